/* cli/cmd_plot.c — `capsim plot FILE -o DIR` and `capsim plot SWEEP.csv -o DIR`.
 *
 * A scenario is loaded and checked, the output folder made, then the scenario runs once with its
 * time series recorded (models/series.h) and the plots that fit it are written (cli/plot.h). A
 * file ending in .csv is a sweep's CSV: nothing runs; its points are plotted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/plot.h"
#include "cli/plot_run.h"
#include "cli/progress.h"
#include "models/run.h"
#include "models/units.h"
#include "sim/error.h"

static int usage(const char *command, const char *msg) {
    fprintf(stderr, "capsim %s: %s\nTry 'capsim %s --help'.\n", command, msg, command);
    return CLI_EXIT_USAGE;
}

int cli_plot_run(const cli_options *opt, cli_plot_run_result *out) {
    memset(out, 0, sizeof *out);
    report_init(&out->r);
    run_series_init(&out->series, 0);
    if (!opt->out_dir) return usage(opt->command, "needs -o DIR (the folder to write into)");
    const char *bucket = cli_option_value(opt, "bucket");
    if (bucket) {
        char msg[256], why[320];
        if (units_parse_duration(bucket, &out->series.width_us, msg, sizeof msg) != 0) {
            snprintf(why, sizeof why, "--bucket: %s", msg);
            return usage(opt->command, why);
        }
        if (out->series.width_us <= 0) return usage(opt->command, "--bucket must be longer than 0s");
    }
    int code = cli_load_scenario(opt, &out->s);
    if (code) return code;
    sim_time_us width = run_series_width(out->s, out->series.width_us);
    sim_time_us span = out->s->warmup_us + out->s->horizon_us;
    if (span / width + (span % width != 0) > SIM_SERIES_MAX_BUCKETS) {
        fprintf(stderr, "capsim %s: --bucket %s makes more than %d buckets of the %g s simulated; "
                "choose a longer one\n", opt->command, bucket ? bucket : "", SIM_SERIES_MAX_BUCKETS,
                sim_time_to_s(span));
        return CLI_EXIT_USAGE;
    }
    /* The folder is made once the scenario and options are known good, before the run. */
    if ((code = cli_out_dir_create(opt->out_dir))) return code;
    sim_progress progress;
    sim_progress_init(&progress);
    cli_progress_bar *bar =
        opt->quiet ? NULL : cli_progress_start(&progress, stderr, &cli_progress_style_sim);
    run_options ro = {.threads = opt->threads, .progress = &progress, .series = &out->series};
    int rc = run_scenario_with(out->s, &ro, &out->r);
    cli_progress_stop(bar);
    if (!opt->quiet) sim_diag_print(&out->r.warnings, stderr);
    if (rc) {
        fprintf(stderr, "capsim: %s: simulation failed: %s\n", opt->file, sim_strerror(rc));
        return CLI_EXIT_RUNTIME;
    }
    return CLI_EXIT_OK;
}

void cli_plot_run_fini(cli_plot_run_result *res) {
    report_fini(&res->r);
    run_series_fini(&res->series);
    scenario_destroy(res->s);
    res->s = NULL;
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int cli_cmd_plot(const cli_options *opt) {
    if (ends_with(opt->file, ".csv")) {
        if (!opt->out_dir) return usage("plot", "needs -o DIR (the folder to write into)");
        if (opt->n_overrides > 0 || cli_option_value(opt, "bucket"))
            return usage("plot", "a sweep's CSV is plotted as it is: --set, -s, -r and --bucket "
                                 "apply to a scenario");
        int code = cli_out_dir_create(opt->out_dir);
        return code ? code : cli_plot_sweep_csv(opt->file, opt->out_dir, opt->quiet, NULL);
    }
    cli_plot_run_result res;
    int code = cli_plot_run(opt, &res);
    if (!code) code = cli_plot_write(res.s, &res.r, &res.series, opt->out_dir, opt->quiet);
    cli_plot_run_fini(&res);
    return code;
}
