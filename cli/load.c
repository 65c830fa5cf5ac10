/* cli/load.c — loading the scenario a command names, with its overrides (cli.h). */
#include <stdio.h>

#include "cli/cli.h"
#include "sim/error.h"

int cli_load_exit(const char *file, int rc, const sim_diag *diag) {
    sim_diag_print(diag, stderr);
    switch (rc) {
    case SIM_OK: return CLI_EXIT_OK;
    case SIM_ESCENARIO: return CLI_EXIT_SCENARIO;
    case SIM_EIO: return CLI_EXIT_IO;
    default:
        fprintf(stderr, "capsim: %s: %s\n", file, sim_strerror(rc));
        return CLI_EXIT_RUNTIME;
    }
}

int cli_load_scenario(const cli_options *opt, scenario **out) {
    sim_diag diag;
    sim_diag_init(&diag);
    int rc = scenario_load_file(opt->file, opt->overrides, opt->n_overrides, &diag, out);
    int code = cli_load_exit(opt->file, rc, &diag);
    sim_diag_fini(&diag);
    return code;
}
