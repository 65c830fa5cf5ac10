/* cli/main.c — the capsim program: command dispatch and the run/validate/schema commands (cost
 * is in cmd_cost.c).
 *
 * Errors go to stderr, data to stdout (or files with -o); the exit code says what kind of
 * failure it was (cli.h). A scenario is loaded and checked completely before anything runs, and
 * every problem is printed, compiler style, before exiting 3. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/mpi.h"
#include "cli/plot.h"
#include "cli/progress.h"
#include "models/pricing.h"
#include "models/run.h"
#include "sim/error.h"
#include "sim/interrupt.h"
#include "sim/rng.h"

static int cmd_validate(const cli_options *opt) {
    scenario *s = NULL;
    int code = cli_load_scenario(opt, &s);
    if (code) return code;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc = f ? scenario_write_yaml(s, f) : SIM_ENOMEM;
    if (f && fclose(f) != 0) rc = SIM_ENOMEM;
    sim_diag warnings;
    sim_diag_init(&warnings);
    scenario_warn(s, &warnings);
    sim_diag_print(&warnings, stderr);
    sim_diag_fini(&warnings);
    code = rc ? CLI_EXIT_RUNTIME : cli_emit(NULL, NULL, buf);
    if (rc) fprintf(stderr, "capsim: %s\n", sim_strerror(rc));
    free(buf);
    scenario_destroy(s);
    return code;
}

/* The reference of the scenario format, generated from the loader's tables (scenarios/SCHEMA.md
 * is this output). Rendered whole first, so a failed write is reported like any output's. */
static int cmd_schema(void) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc = f ? scenario_write_schema(f) : SIM_ENOMEM;
    if (f && fclose(f) != 0) rc = SIM_ENOMEM;
    int code = rc ? CLI_EXIT_RUNTIME : cli_emit(NULL, NULL, buf);
    if (rc) fprintf(stderr, "capsim: %s\n", sim_strerror(rc));
    free(buf);
    return code;
}

static int cmd_run(const cli_options *opt) {
    cli_interrupt_install(); /* Ctrl-C: stop, write nothing, exit 130 (interrupt.c) */
    scenario *s = NULL;
    int code = cli_load_scenario(opt, &s);
    if (code || (code = cli_interrupted())) {
        scenario_destroy(s);
        return code;
    }
    /* The output folder is made once the scenario is known good, before the simulation: a
     * folder that cannot be made fails now, not after a long run. */
    if (opt->out_dir && (code = cli_out_dir_create(opt->out_dir))) {
        scenario_destroy(s);
        return code;
    }
    report r;
    report_init(&r);
    /* The bar (stderr, terminals only, runs past 2 s) reads the counters the replications
     * advance; the results never depend on it. */
    sim_progress progress;
    sim_progress_init(&progress);
    cli_progress_bar *bar =
        opt->quiet ? NULL : cli_progress_start(&progress, stderr, &cli_progress_style_sim);
    int rc = run_scenario(s, opt->threads, &progress, &r);
    cli_progress_stop(bar);
    if (rc == SIM_EINTERRUPTED || sim_interrupt_pending()) {
        code = cli_interrupted();
    } else if (!opt->quiet) {
        sim_diag_print(&r.warnings, stderr);
    }
    if (code) {
        /* interrupted: nothing is written */
    } else if (rc) {
        fprintf(stderr, "capsim: %s: simulation failed: %s\n", opt->file, sim_strerror(rc));
        code = CLI_EXIT_RUNTIME;
    } else {
        static const char *const names[] = {"results.txt", "results.json", "results.csv"};
        char *text = opt->format == CLI_FORMAT_JSON  ? cli_render_json(s, &r)
                     : opt->format == CLI_FORMAT_CSV ? cli_render_csv(s, &r)
                                                     : cli_render_table(s, &r);
        if (!text) {
            fprintf(stderr, "capsim: out of memory while writing results\n");
            code = CLI_EXIT_RUNTIME;
        } else {
            code = cli_emit(opt->out_dir, names[opt->format], text);
            if (!code && opt->out_dir && !opt->quiet)
                fprintf(stderr, "capsim: wrote %s/%s\n", opt->out_dir, names[opt->format]);
        }
        free(text);
    }
    report_fini(&r);
    scenario_destroy(s);
    return code;
}

/* The version and the default pricing table's name and date (which prices results use) and
 * folder. A table that cannot be read is said, not an error: --version must work regardless. */
static int print_version(void) {
    sim_diag diag;
    sim_diag_init(&diag);
    pricing_table *p = NULL;
    int rc = pricing_load(PRICING_DEFAULT_TABLE, &diag, &p);
    sim_diag_fini(&diag);
    char text[4096];
    if (rc == SIM_OK)
        snprintf(text, sizeof text,
                 "capsim %s (pricing %s, %s)\npricing tables: %s\nrandom numbers: %s\n",
                 CAPSIM_VERSION, p->name, p->date, pricing_dir(), SIM_RNG_NAME);
    else
        snprintf(text, sizeof text, "capsim %s (pricing table %s %s in %s; set "
                 "CAPSIM_PRICING_DIR to the folder of the tables)\n", CAPSIM_VERSION,
                 PRICING_DEFAULT_TABLE, rc == SIM_EIO ? "not found" : "unreadable", pricing_dir());
    size_t used = strlen(text);
    snprintf(text + used, sizeof text - used, "plot templates: %s\n", cli_plot_template_dir());
    pricing_destroy(p);
    return cli_emit(NULL, NULL, text); /* exit 4 when stdout fails */
}

/* The ranks above 0 of an MPI run (cli/mpi.h) parse the same command line, then simulate the
 * points rank 0 sends them until it says stop; rank 0 reports any problem. */
static int mpi_worker(int argc, char **argv) {
    cli_options opt;
    memset(&opt, 0, sizeof opt);
    if (argc >= 2 && cli_command_status(argv[1]) == 1) cli_parse(argc, argv, argv[1], &opt);
    int code = cli_mpi_serve(&opt);
    cli_options_fini(&opt);
    return code;
}

static int run_command(int argc, char **argv) {
    if (argc < 2) {
        cli_print_help(stderr, NULL);
        return CLI_EXIT_USAGE;
    }
    const char *command = argv[1];
    if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 || strcmp(command, "help") == 0) {
        cli_print_help(stdout, argc > 2 && strcmp(command, "help") == 0 ? argv[2] : NULL);
        return CLI_EXIT_OK;
    }
    if (strcmp(command, "--version") == 0) return print_version();
    int status = cli_command_status(command);
    if (status < 0) {
        fprintf(stderr, "capsim: unknown command '%s'\nTry 'capsim --help'.\n", command);
        return CLI_EXIT_USAGE;
    }
    if (status == 0) {
        if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
            cli_print_help(stdout, command);
            return CLI_EXIT_OK;
        }
        fprintf(stderr, "capsim: '%s' is planned but not available in capsim %s\n", command,
                CAPSIM_VERSION);
        return CLI_EXIT_USAGE;
    }
    cli_options opt;
    int code = cli_parse(argc, argv, command, &opt);
    if (code == CLI_EXIT_OK) {
        if (opt.help) cli_print_help(stdout, command);
        else if (strcmp(command, "validate") == 0) code = cmd_validate(&opt);
        else if (strcmp(command, "cost") == 0) code = cli_cmd_cost(&opt);
        else if (strcmp(command, "schema") == 0) code = cmd_schema();
        else if (strcmp(command, "sweep") == 0) code = cli_cmd_sweep(&opt);
        else if (strcmp(command, "merge") == 0) code = cli_cmd_merge(&opt);
        else if (strcmp(command, "optimize") == 0) code = cli_cmd_optimize(&opt);
        else if (strcmp(command, "plot") == 0) code = cli_cmd_plot(&opt);
        else if (strcmp(command, "report") == 0) code = cli_cmd_report(&opt);
        else if (strcmp(command, "lesson") == 0) code = cli_cmd_lesson(&opt);
        else code = cmd_run(&opt);
    }
    cli_options_fini(&opt);
    return code;
}

/* Every write to stdout is checked, help and version included: a full disk or a closed pipe
 * is exit 4, like any output (`capsim --help > /dev/full`). */
static int stdout_checked(int code) {
    if ((fflush(stdout) != 0 || ferror(stdout)) && code == CLI_EXIT_OK) {
        fprintf(stderr, "capsim: cannot write to standard output: %s\n", strerror(errno));
        return CLI_EXIT_IO;
    }
    return code;
}

int main(int argc, char **argv) {
    sim_init();
    if (cli_mpi_start(&argc, &argv) > 0) return mpi_worker(argc, argv);
    int code = stdout_checked(run_command(argc, argv));
    cli_mpi_finish();
    return code;
}
