/* cli/cmd_optimize.c — `capsim optimize FILE --vary KEY=V1,V2,... --goal 'METRIC OP VALUE'...
 * [--objective METRIC] [--confirm-runs K]`.
 *
 * Order of work, as for sweep: the scenario with the user's overrides, the goals and the
 * objective, the --vary arguments split by platform, then every point of every platform's grid
 * loaded and checked — all before anything runs, each problem printed once (exit 3), nothing
 * written. Then the search (models/optimize.h), whose batches of points run on threads here or
 * on MPI ranks (cli/mpi.h), with a progress bar counting points on a terminal, and the output
 * (cli/optimize_output.c): optimize.txt or optimize.json with -o DIR. Finding no configuration
 * that meets the goals is an answer, not a failure: exit 0, and the output says so. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/mpi.h"
#include "cli/optimize.h"
#include "cli/progress.h"
#include "models/optimize.h"
#include "sim/error.h"

static const cli_progress_style optimize_progress_style = {.items = "points", .format_work = NULL};

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "capsim optimize: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'capsim optimize --help'.\n");
    return CLI_EXIT_USAGE;
}


/* How the search's batches run: here on threads, or on MPI ranks. The search does not know its
 * length in advance: the bar's total is the optimizer's estimate (optimize_estimate_points),
 * raised when the points simulated pass it, so its percent and ETA are rough. */
typedef struct runner {
    const cli_options *opt;
    const optimize *o;
    sim_progress *progress;
    const point_spec *last; /* the batch being run, to name a failing point */
    size_t failed;
} runner;

static void progress_point(void *ctx, uint32_t done, uint32_t total)
{
    (void)done;
    (void)total;
    sim_progress_add(ctx, 1, 1);
}

static int run_batch(void *ctx, const point_spec *points, size_t n, report *reports,
                     size_t *failed)
{
    runner *r = ctx;
    uint64_t total = sim_progress_total(r->progress), done = sim_progress_done(r->progress);
    uint64_t want = optimize_estimate_points(r->o);
    if (want < done + n) want = done + n;
    if (want > total) sim_progress_expect(r->progress, want - total);
    r->last = points;
    int rc = cli_mpi_size() > 1
                 ? cli_mpi_run_points(points, n, reports, progress_point, r->progress, failed)
                 : point_run_many(r->opt->file, r->opt->overrides, r->opt->n_overrides, points, n,
                                  r->opt->threads, reports, progress_point, r->progress, failed);
    r->failed = *failed;
    return rc;
}

int cli_cmd_optimize(const cli_options *opt)
{
    if (opt->n_varies == 0)
        return usage("%s", "needs at least one --vary KEY=V1,V2,... (the candidate values)");
    if (opt->format == CLI_FORMAT_CSV)
        return usage("%s", "--format csv is not available for optimize: use table or json");
    const char *objective = cli_option_value(opt, "objective");
    if (!objective) objective = OPTIMIZE_DEFAULT_OBJECTIVE;
    int confirm_runs = OPTIMIZE_DEFAULT_CONFIRM_RUNS;
    const char *cr = cli_option_value(opt, "confirm-runs");
    if (cr) {
        char *end;
        errno = 0;
        long v = strtol(cr, &end, 10);
        if (!*cr || *end || errno || v < 0 || v > OPTIMIZE_MAX_CONFIRM_RUNS ||
            (cr[0] == '0' && cr[1]) || cr[0] == '+' || cr[0] == '-')
            return usage("--confirm-runs needs an integer 0..100, not '%s'", cr);
        confirm_runs = (int)v;
    }

    sim_diag diag;
    sim_diag_init(&diag);
    scenario *base = NULL;
    goal *goals = NULL;
    optimize *o = NULL;
    char *text = NULL;
    int code = CLI_EXIT_OK;
    int rc = scenario_load_file(opt->file, opt->overrides, opt->n_overrides, &diag, &base);
    if (rc) {
        code = cli_load_exit(opt->file, rc, &diag);
        goto done;
    }
    /* the goals, the objective and the --vary arguments: all their problems at once */
    int grc = goal_parse(opt->goals, opt->n_goals, &diag, &goals);
    int orc = goal_check_objective(objective, &diag);
    int vrc = grc == SIM_ENOMEM ? grc
                                : optimize_create(base, opt->file, opt->overrides,
                                                  opt->n_overrides, opt->varies, opt->n_varies,
                                                  goals, goals ? opt->n_goals : 0, objective,
                                                  confirm_runs,
                                                  &diag, &o);
    rc = grc ? grc : orc ? orc : vrc;
    if (rc) {
        code = cli_load_exit(opt->file, rc, &diag);
        goto done;
    }
    size_t n_bad = 0;
    char bad[1024];
    rc = optimize_validate(o, opt->threads, &diag, &n_bad, bad, sizeof bad);
    if (rc) {
        code = cli_load_exit(opt->file, rc, &diag);
        if (n_bad)
            fprintf(stderr, "capsim optimize: %zu of the %zu candidate points are invalid, the "
                    "first being %s; nothing was run\n", n_bad, optimize_grid_points(o), bad);
        goto done;
    }
    if (opt->out_dir && (code = cli_out_dir_create(opt->out_dir))) goto done;

    sim_progress progress;
    sim_progress_init(&progress);
    runner run = {opt, o, &progress, NULL, 0};
    cli_progress_bar *bar =
        opt->quiet ? NULL : cli_progress_start(&progress, stderr, &optimize_progress_style);
    rc = optimize_run(o, run_batch, &run, &diag);
    cli_progress_stop(bar);
    if (rc == SIM_ESCENARIO) { /* a goal's metric that no platform reports */
        sim_diag_print(&diag, stderr);
        code = CLI_EXIT_SCENARIO;
        goto done;
    }
    if (rc) {
        char point[1024] = "";
        if (run.last) {
            const point_spec *p = &run.last[run.failed];
            size_t at = 0;
            for (size_t i = 0; i < p->n_overrides && at < sizeof point; i++)
                at += (size_t)snprintf(point + at, sizeof point - at, "%s%s", i ? ", " : "",
                                       p->overrides[i]);
        }
        fprintf(stderr, "capsim: %s: simulation failed at %s: %s\n", opt->file,
                point[0] ? point : "a point", sim_strerror(rc));
        code = CLI_EXIT_RUNTIME;
        goto done;
    }
    text = cli_optimize_render(o, base, opt->format);
    if (!text) {
        fprintf(stderr, "capsim: out of memory\n");
        code = CLI_EXIT_RUNTIME;
        goto done;
    }
    const char *name = opt->format == CLI_FORMAT_JSON ? "optimize.json" : "optimize.txt";
    code = cli_emit(opt->out_dir, name, text);
    if (!code && opt->out_dir && !opt->quiet)
        fprintf(stderr, "capsim: wrote %s/%s\n", opt->out_dir, name);
done:
    free(text);
    optimize_destroy(o);
    goal_free(goals, opt->n_goals);
    scenario_destroy(base);
    sim_diag_fini(&diag);
    return code;
}
