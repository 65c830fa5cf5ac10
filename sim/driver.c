/* sim/driver.c — the replication driver: independent replications over OpenMP threads.
 *
 * Determinism comes from the callers' side of the contract (each replication seeds its own
 * streams and writes only its own slot) and from this side: slots are zeroed before each call,
 * and the error returned is the one of the lowest failing index, whichever thread saw it first.
 * schedule(dynamic, 1) because replications can differ a lot in run time (bursts, sweeps). */
#include "sim/driver.h"

#include <string.h>

#include <omp.h>

#include "sim/error.h"
#include "sim/interrupt.h"

int sim_replicate(uint32_t n, int threads, sim_replication_fn fn, void *ctx, void *results,
                  size_t result_size)
{
    if (fn == NULL || (results == NULL && result_size > 0 && n > 0)) return SIM_EINVAL;
    if (threads < 0) return SIM_EINVAL;

    /* Lowest failing index so far (n = none) and its error. Replications above it are skipped:
     * they cannot change the result, because the lowest failing index itself is never skipped
     * (nothing below it fails). */
    int64_t first_fail = n;
    int first_err = SIM_OK;
    char *base = results;
    int nthreads = threads > 0 ? threads : omp_get_max_threads();

#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads) shared(first_fail, first_err)
    for (int64_t i = 0; i < (int64_t)n; i++) {
        void *slot = result_size > 0 ? base + (size_t)i * result_size : NULL;
        if (result_size > 0) memset(slot, 0, result_size);
        int64_t ff;
#pragma omp atomic read
        ff = first_fail;
        if (i > ff) continue;
        /* A stop request (Ctrl-C) ends replications too short to poll it themselves. */
        int rc = sim_interrupt_pending() ? SIM_EINTERRUPTED : fn(ctx, (uint32_t)i, slot);
        if (rc != SIM_OK) {
#pragma omp critical(sim_replicate_error)
            {
                if (i < first_fail) {
                    first_err = rc;
#pragma omp atomic write
                    first_fail = i;
                }
            }
        }
    }
    return first_err;
}
