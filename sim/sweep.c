/* sim/sweep.c — the point driver: whole simulations at many parameter settings, in parallel.
 *
 * Same contract as the replication driver (sim/driver.c): the error returned is the one of the
 * lowest failing point, whichever thread saw it first, and points above it may be skipped. A
 * point's replications run inside the point's function (which may start its own parallel
 * region): when there are fewer points than threads, nesting is switched on for this call so
 * those inner regions get the spare threads, and switched back afterwards. */
#include "sim/sweep.h"

#include <stddef.h>

#include <omp.h>

#include "sim/error.h"

void sim_sweep_split(uint32_t n, int threads, int *outer, int *inner)
{
    int t = threads > 0 ? threads : omp_get_max_threads();
    if (t < 1) t = 1;
    int o = n < (uint32_t)t ? (int)n : t;
    if (o < 1) o = 1;
    *outer = o;
    *inner = t / o > 1 ? t / o : 1;
}

int sim_sweep_run(uint32_t n, int threads, sim_point_fn fn, void *ctx, sim_progress_fn progress,
                  void *progress_ctx)
{
    if (fn == NULL || threads < 0) return SIM_EINVAL;
    if (n == 0) return SIM_OK;
    int outer, inner;
    sim_sweep_split(n, threads, &outer, &inner);

    if (outer == 1) { /* one point at a time, each with every thread */
        for (uint32_t i = 0; i < n; i++) {
            int rc = fn(ctx, i, inner);
            if (rc != SIM_OK) return rc;
            if (progress) progress(progress_ctx, i + 1, n);
        }
        return SIM_OK;
    }

    int saved_levels = omp_get_max_active_levels();
    if (inner > 1 && saved_levels < 2) omp_set_max_active_levels(2);
    int64_t first_fail = n;
    int first_err = SIM_OK;
    uint32_t done = 0;

#pragma omp parallel for schedule(dynamic, 1) num_threads(outer) \
    shared(first_fail, first_err, done)
    for (int64_t i = 0; i < (int64_t)n; i++) {
        int64_t ff;
#pragma omp atomic read
        ff = first_fail;
        if (i > ff) continue;
        int rc = fn(ctx, (uint32_t)i, inner);
        if (rc != SIM_OK) {
#pragma omp critical(sim_sweep_error)
            {
                if (i < first_fail) {
                    first_err = rc;
#pragma omp atomic write
                    first_fail = i;
                }
            }
            continue;
        }
#pragma omp critical(sim_sweep_progress)
        {
            done++;
            if (progress) progress(progress_ctx, done, n);
        }
    }
    if (inner > 1 && saved_levels < 2) omp_set_max_active_levels(saved_levels);
    return first_err;
}
