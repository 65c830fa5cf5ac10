/* sim/sweep.h — runs the points of a parameter sweep in parallel (OpenMP).
 *
 * A point is one whole simulation (all its replications) at one setting of the swept parameters.
 * The caller's function runs point i and writes only point i's own result slot; whatever the
 * caller then renders it renders in point order, so output is byte-identical for any thread
 * count. Points are handed out one at a time (schedule(dynamic, 1)) because their run times
 * differ a lot (a sweep over memory or rate changes how much there is to simulate).
 *
 * Threads go to points first: with at least as many points as threads each point runs on one
 * thread; with fewer points, each point gets threads / points threads for its replications
 * (nested OpenMP, for the length of the call), and a single point gets them all. Because the
 * caller's results never depend on how many threads a point had, this choice changes only the
 * speed. The progress callback is the hook for a progress bar: it is called after each finished
 * point, on one thread at a time, with `done` increasing by one up to `total`. */
#ifndef SIM_SWEEP_H
#define SIM_SWEEP_H

#include <stdint.h>

/* Runs point `point` (0-based, in the caller's numbering) using up to `threads` threads for its
 * replications. Returns 0 or a negative sim_error code. Must not touch shared mutable state
 * other than its own result slot. */
typedef int (*sim_point_fn)(void *ctx, uint32_t point, int threads);

/* Called after each finished point: done = points finished so far (1..total). Never called
 * concurrently; may be NULL. */
typedef void (*sim_progress_fn)(void *ctx, uint32_t done, uint32_t total);

/* Runs points 0..n-1 on up to `threads` threads (0 = OpenMP's default). Returns 0 or the error
 * of the lowest failing point; on error, points above a failed one may be skipped. */
int sim_sweep_run(uint32_t n, int threads, sim_point_fn fn, void *ctx, sim_progress_fn progress,
                  void *progress_ctx);

/* How sim_sweep_run splits `threads` between n points: *outer points at once, each with *inner
 * threads (exposed for tests and for reporting). */
void sim_sweep_split(uint32_t n, int threads, int *outer, int *inner);

#endif
