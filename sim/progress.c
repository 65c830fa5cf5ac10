/* sim/progress.c — the shared progress counter and the per-replication clock (see progress.h). */
#include "sim/progress.h"

void sim_progress_init(sim_progress *p) {
    atomic_init(&p->total, 0);
    atomic_init(&p->done, 0);
    atomic_init(&p->items, 0);
}

void sim_progress_expect(sim_progress *p, uint64_t units) {
    atomic_fetch_add_explicit(&p->total, units, memory_order_relaxed);
}

void sim_progress_add(sim_progress *p, uint64_t units, uint64_t items) {
    if (units) atomic_fetch_add_explicit(&p->done, units, memory_order_relaxed);
    if (items) atomic_fetch_add_explicit(&p->items, items, memory_order_relaxed);
}

/* The readers cast const away: C11's atomic_load takes a non-const pointer (fixed in C17), and a
 * relaxed load writes nothing. */
uint64_t sim_progress_total(const sim_progress *p) {
    return atomic_load_explicit(&((sim_progress *)p)->total, memory_order_relaxed);
}
uint64_t sim_progress_done(const sim_progress *p) {
    return atomic_load_explicit(&((sim_progress *)p)->done, memory_order_relaxed);
}
uint64_t sim_progress_items(const sim_progress *p) {
    return atomic_load_explicit(&((sim_progress *)p)->items, memory_order_relaxed);
}

void sim_progress_clock_init(sim_progress_clock *c, sim_progress *p, sim_time_us from_us,
                             sim_time_us to_us) {
    c->progress = p;
    c->published_us = from_us;
    c->to_us = to_us > from_us ? to_us : from_us;
    c->published_items = 0;
    c->countdown = SIM_PROGRESS_EVENTS;
}

void sim_progress_clock_publish(sim_progress_clock *c, sim_time_us now_us, uint64_t items) {
    c->countdown = SIM_PROGRESS_EVENTS;
    if (now_us > c->to_us) now_us = c->to_us;
    uint64_t units = now_us > c->published_us ? (uint64_t)(now_us - c->published_us) : 0;
    uint64_t new_items = items > c->published_items ? items - c->published_items : 0;
    if (units) c->published_us = now_us;
    if (new_items) c->published_items = items;
    if (c->progress && (units || new_items)) sim_progress_add(c->progress, units, new_items);
}

void sim_progress_clock_finish(sim_progress_clock *c, uint64_t items) {
    sim_progress_clock_publish(c, c->to_us, items);
}
