/* sim/progress.h — a lock-free progress counter: simulation loops advance it, a display reads it.
 *
 * A sim_progress holds three relaxed atomic counters: work units expected (`total`), work units
 * done, and items processed (for a rate). The unit is the producer's: simulated microseconds
 * for replications, points for a sweep. Any thread may add; a reader (a progress bar on its own
 * thread) sees a consistent-enough snapshot. Nothing here feeds back into a simulation, so
 * results cannot depend on whether, or how often, progress is reported.
 *
 * The simulation side is sim_progress_clock, one per replication: it tells the loop when, in
 * simulated time, to publish next (every 1/SIM_PROGRESS_TICKS of the replication's span), and
 * the loop puts that time in its calendar as an event that only publishes. The hot loop thus
 * pays nothing per event, a thousand calendar events per replication, and two atomic adds per
 * publication; a replication busy or idle in simulated time reports at the same pace. The extra
 * events change no result: the calendar orders by (time, insertion sequence), so the other
 * events keep their order, and a publication changes no state of the model. */
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

/* Publications per replication: a clock publishes every 1/SIM_PROGRESS_TICKS of its span. */
#define SIM_PROGRESS_TICKS 1000

/* One replication's publisher. Its work is simulated time from `from_us` to `to_us`; the loop
 * publishes at the times the clock names (an event of its own calendar), so the cost is per
 * publication, never per event, and does not depend on how busy the simulation is. */
typedef struct sim_progress_clock {
    sim_progress *progress;   /* NULL: publish nothing */
    sim_time_us published_us; /* simulated time published so far (from_us..to_us) */
    sim_time_us to_us;
    sim_time_us period_us;    /* simulated time between publications */
    uint64_t published_items; /* items published so far */
} sim_progress_clock;

/* Starts a clock for simulated time [from_us, to_us] reporting into p (may be NULL). */
void sim_progress_clock_init(sim_progress_clock *c, sim_progress *p, sim_time_us from_us,
                             sim_time_us to_us);
/* When the loop should publish first: SIM_TIME_NEVER when there is nothing to report to (p
 * NULL) or nothing before to_us. */
sim_time_us sim_progress_clock_first(const sim_progress_clock *c);
/* Publishes simulated time up to now_us (clamped to to_us) and items, the replication's running
 * count (only the increase since the last publication is added). Returns when to publish next
 * (SIM_TIME_NEVER: not before the end, which sim_progress_clock_finish publishes). */
sim_time_us sim_progress_clock_publish(sim_progress_clock *c, sim_time_us now_us, uint64_t items);
/* The replication is done: publishes the rest of its time (up to to_us) and its items. */
void sim_progress_clock_finish(sim_progress_clock *c, uint64_t items);

#endif
