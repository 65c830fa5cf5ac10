/* sim/driver.h — runs independent replications in parallel (OpenMP).
 *
 * Each replication writes only its own result slot, and whatever the caller then merges is
 * merged in replication order, so the output is byte-identical for any thread count. The first
 * failing replication (lowest index) decides the returned error. */
#ifndef SIM_DRIVER_H
#define SIM_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/* Runs one replication: fills result_slot (result_size bytes, zeroed before the call).
 * Returns 0 or a negative sim_error code. Must not touch shared mutable state. */
typedef int (*sim_replication_fn)(void *ctx, uint32_t replication, void *result_slot);

/* Runs replications 0..n-1 on up to `threads` threads (0 = OpenMP's default) and stores result
 * i at (char *)results + i * result_size. Returns 0 or the error of the lowest failing index.
 * On error, replications above a failed index may be skipped (their slots left zeroed). */
int sim_replicate(uint32_t n, int threads, sim_replication_fn fn, void *ctx, void *results,
                  size_t result_size);

#endif
