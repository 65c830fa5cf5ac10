/* cli/plot_run.h — the run behind `capsim plot` and `capsim report` (cmd_plot.c).
 *
 * Both commands load the scenario with the user's options, make the output folder, and run it
 * once with its time series recorded; then each writes what it writes. */
#ifndef CLI_PLOT_RUN_H
#define CLI_PLOT_RUN_H

#include "cli/cli.h"
#include "models/report.h"
#include "models/scenario.h"
#include "models/series.h"

typedef struct cli_plot_run_result {
    scenario *s;
    report r;
    run_series series;
} cli_plot_run_result;

/* Checks -o and --bucket, loads opt->file, makes opt->out_dir, runs with the progress bar
 * (unless -q) and prints the warnings (unless -q). Returns a CLI exit code; call
 * cli_plot_run_fini in every case. */
int cli_plot_run(const cli_options *opt, cli_plot_run_result *out);
void cli_plot_run_fini(cli_plot_run_result *res);

#endif
