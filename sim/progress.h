/* sim/progress.h — a lock-free progress counter: simulation loops advance it, a display reads it.
 *
 * A sim_progress holds three relaxed atomic counters: work units expected (`total`), work units
 * done, and items processed (for a rate). The unit is the producer's: simulated microseconds
 * for replications, points for a sweep. Any thread may add; a reader (a progress bar on its own
 * thread) sees a consistent-enough snapshot. Nothing here feeds back into a simulation, so
 * results cannot depend on whether, or how often, progress is reported.
 *
 * The simulation side is sim_progress_clock, one per replication: the loop ticks it once per
 * event (a decrement and a well-predicted branch), and every SIM_PROGRESS_EVENTS events it
 * publishes the simulated time reached and the items produced (two relaxed atomic adds), so
 * publications follow the CPU work — about one per millisecond of a busy replication — and a
 * small replication pays nothing but its final publication. (An earlier design put a thousand
 * publication events per replication in the calendar: a busy replication did not notice, but
 * they were most of the CPU time of a small one.) Publishing reads the model and changes
 * nothing in it, so results cannot depend on it. */
#ifndef SIM_PROGRESS_H
#define SIM_PROGRESS_H

#include <stdatomic.h>
#include <stdint.h>

#include "sim/time.h"

typedef struct sim_progress {
    atomic_uint_fast64_t total; /* work units expected; 0 = unknown */
    atomic_uint_fast64_t done;  /* work units done */
    atomic_uint_fast64_t items; /* items (or points) processed so far */
} sim_progress;

/* Sets all counters to 0. */
void sim_progress_init(sim_progress *p);
/* Adds `units` to the expected total (callers announce work before starting it). */
void sim_progress_expect(sim_progress *p, uint64_t units);
/* Adds units done and items processed. Relaxed: safe from any thread, orders nothing. */
void sim_progress_add(sim_progress *p, uint64_t units, uint64_t items);
/* Snapshot readers. */
uint64_t sim_progress_total(const sim_progress *p);
uint64_t sim_progress_done(const sim_progress *p);
uint64_t sim_progress_items(const sim_progress *p);

/* Events between two publications of a clock. */
#define SIM_PROGRESS_EVENTS 8192

/* One replication's publisher. Its work is simulated time from `from_us` to `to_us`. */
typedef struct sim_progress_clock {
    sim_progress *progress;   /* NULL: publish nothing */
    sim_time_us published_us; /* simulated time published so far (from_us..to_us) */
    sim_time_us to_us;
    uint64_t published_items; /* items published so far */
    uint32_t countdown;       /* events until the next publication */
} sim_progress_clock;

/* Starts a clock for simulated time [from_us, to_us] reporting into p (may be NULL). */
void sim_progress_clock_init(sim_progress_clock *c, sim_progress *p, sim_time_us from_us,
                             sim_time_us to_us);
/* Publishes simulated time up to now_us (clamped to to_us) and items, the replication's running
 * count (only the increase since the last publication is added), and restarts the countdown. */
void sim_progress_clock_publish(sim_progress_clock *c, sim_time_us now_us, uint64_t items);
/* One event of the loop at now_us, with `items` produced so far: publishes every
 * SIM_PROGRESS_EVENTS calls. */
static inline void sim_progress_clock_tick(sim_progress_clock *c, sim_time_us now_us,
                                           uint64_t items) {
    if (__builtin_expect(--c->countdown == 0, 0)) sim_progress_clock_publish(c, now_us, items);
}
/* The replication is done: publishes the rest of its time (up to to_us) and its items. */
void sim_progress_clock_finish(sim_progress_clock *c, uint64_t items);

#endif
