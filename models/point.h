/* models/point.h — one simulation of a scenario at a setting of some of its keys: a point.
 *
 * A point is the scenario file with the user's overrides (--set, -s, -r) and then its own
 * `KEY=VALUE` overrides, exactly as if all were given to `capsim run` with --set, simulated on
 * some of its platforms. Sweeps and the optimizer describe their points this way, so that a
 * point can be run here, on threads, or on another process (an MPI rank, cli/mpi.h) from its
 * text alone, and every way gives the same report.
 *
 * Leaving platforms out changes nothing for the others: every platform of a replication draws
 * the same workload from its own streams (common random numbers), so Lambda's section is the
 * same whether Glue was simulated beside it or not. The optimizer uses this to search each
 * platform's keys without simulating the platforms those keys do not touch. */
#ifndef MODELS_POINT_H
#define MODELS_POINT_H

#include <stddef.h>

#include "models/report.h"
#include "sim/sweep.h"

/* Platform bits of point_spec.platforms. */
enum { POINT_LAMBDA = 1, POINT_GLUE = 2, POINT_EMR = 4, POINT_ALL = 0 };

typedef struct point_spec {
    char **overrides;   /* "KEY=VALUE", applied after the base overrides (owned by the maker) */
    size_t n_overrides;
    unsigned platforms; /* POINT_* bits of the platforms to simulate; POINT_ALL: every one present */
} point_spec;

/* The bit of a platform by name ("lambda", "glue", "emr"), or 0. */
unsigned point_platform_bit(const char *name);

/* Loads file with base[0..n_base) then p's overrides, keeps p's platforms, and simulates it on
 * `threads` threads into r (report_init'ed by the caller). A point that does not load is
 * SIM_ESCENARIO (callers check their points before running them); else what run_scenario
 * returns. */
int point_run(const char *file, const char *const *base, size_t n_base, const point_spec *p,
              int threads, report *r);

/* Runs points[0..n) into reports[0..n) on up to `threads` threads (sim_sweep_run: points in
 * parallel, spare threads to a point's replications; progress after each point). Returns 0 or
 * the error of the lowest failing point, whose index goes to *failed. */
int point_run_many(const char *file, const char *const *base, size_t n_base,
                   const point_spec *points, size_t n, int threads, report *reports,
                   sim_progress_fn progress, void *progress_ctx, size_t *failed);

/* The signature of point_run_many with its file, base overrides and threads bound in ctx: how
 * the optimizer has its batches run (here, or by MPI ranks). */
typedef int (*point_runner_fn)(void *ctx, const point_spec *points, size_t n, report *reports,
                               size_t *failed);

#endif
