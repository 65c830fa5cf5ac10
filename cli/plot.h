/* cli/plot.h — plots: the data behind each one as CSV, drawn by gnuplot from a template.
 *
 * A plot NAME is three files in the output folder: NAME.csv (the data: `# key: value` comment
 * lines first — `# title:` among them — then a header and one row per point), NAME.png and
 * NAME.svg, drawn by `gnuplot -c plots/TEMPLATE.gp NAME.csv NAME.png` (the template picks
 * pngcairo or svg from the output's extension, and the title from a third argument or the
 * CSV's `# title:` line). Every template works on its own on any CSV of its layout.
 *
 * gnuplot is the program named by $CAPSIM_GNUPLOT when set (set it empty, or to a path that
 * does not exist, to go without), else `gnuplot` on the PATH. Without it the CSVs are still
 * written, the exact gnuplot commands are printed on stdout (a script for `sh`), a note goes to
 * stderr, and the command succeeds (exit 0): the data is the result, the pictures a rendering.
 * Templates are found in $CAPSIM_PLOTS_DIR when set, else installed beside the binary
 * (share/capsim/plots), else in the source tree's plots/.
 *
 * Every file is written under a temporary name and renamed into place. */
#ifndef CLI_PLOT_H
#define CLI_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "models/report.h"
#include "models/scenario.h"
#include "models/series.h"

#define CLI_PLOT_MAX 12

typedef struct cli_plot {
    char name[48];      /* file stem in the folder: "environments" */
    char template_[32]; /* plots/TEMPLATE.gp */
    char title[256];
    char caption[320];  /* what it shows, in a sentence (the HTML report's caption) */
    bool drawn;         /* NAME.png and NAME.svg were written */
} cli_plot;

typedef struct cli_plot_set {
    cli_plot plots[CLI_PLOT_MAX];
    size_t n;
    bool gnuplot_missing; /* the CSVs were written, the pictures not */
} cli_plot_set;

/* Writes the plots that fit a run into dir (which must exist): Lambda's environments and
 * concurrency over time; its queue and the age of the item next in line (async, Kinesis, SQS);
 * items waiting for a Glue or EMR job; the cost accrued over time; the latency distribution
 * (CDF) per platform; the cost breakdown per platform. series is what run_scenario_with
 * recorded for s (its tables and latency histograms; NULL: nothing was recorded, and only the
 * cost breakdown is drawn); r the report of the same run.
 * quiet: no "wrote" lines on stderr (errors and the no-gnuplot note still go there).
 * out (may be NULL) receives what was written, for a report. Returns a CLI exit code:
 * CLI_EXIT_OK (also when gnuplot is missing), CLI_EXIT_IO (a file could not be written or a
 * template is missing), CLI_EXIT_RUNTIME (gnuplot failed, out of memory). */
int cli_plot_write_set(const scenario *s, const report *r, const run_series *series,
                       const char *dir, bool quiet, cli_plot_set *out);
/* The same without the list (for `capsim lesson TOPIC -o DIR` and the like). */
int cli_plot_write(const scenario *s, const report *r, const run_series *series, const char *dir,
                   bool quiet);

/* Plots of a sweep's CSV (`capsim sweep --format csv`, one varied key): the memory curve
 * (duration and cost per memory size, cheapest and fastest marked) for lambda.memory; cost per
 * month and p99 latency per platform against the traffic rate (the crossover) for
 * workload.arrivals.rate, and against any other numeric key; the cold-start share (with cost)
 * against lambda.keep_alive or lambda.concurrency.provisioned. Exit codes as above, plus
 * CLI_EXIT_SCENARIO when the file is not a sweep CSV plot can read (why on stderr). */
int cli_plot_sweep_csv(const char *csv_path, const char *dir, bool quiet, cli_plot_set *out);

/* ---- shared by the plot writers (plot.c, plot_sweep.c) ---- */

/* The folder of the templates (see above). */
const char *cli_plot_template_dir(void);
/* Writes text as dir/NAME.csv, then draws NAME.png and NAME.svg with template (or, without
 * gnuplot, prints the commands); records the plot in set. Returns a CLI exit code. */
int cli_plot_emit(cli_plot_set *set, const char *dir, const char *name, const char *template_,
                  const char *title, const char *caption, const char *csv_text, bool quiet);
/* The `# capsim ...` provenance line's text for a run of s: version, scenario, seed,
 * replications, horizon, warmup. */
void cli_plot_provenance(char *buf, size_t len, const scenario *s);

#endif
