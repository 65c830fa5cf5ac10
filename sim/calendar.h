/* sim/calendar.h — the event calendar: a priority queue of future events.
 *
 * An implicit 4-ary min-heap of 32-byte entries (time, sequence, and the event's kind, target
 * and argument) ordered by time and, for equal times, by insertion sequence (FIFO), so a run is
 * deterministic. Events that can be cancelled also have a body (generation, cancelled mark) in a
 * pool with a free list. Scheduling allocates nothing once the heap and pool have grown to the
 * run's working size. Cancellation is lazy: the body is marked and the event skipped when it
 * reaches the top, which keeps cancel O(1). A handle carries the body's generation so
 * cancelling an event that already fired (and whose body was reused) is detected.
 *
 * The struct is public so a replication can embed it (caller-owned init/fini); treat the fields
 * as private. */
#ifndef SIM_CALENDAR_H
#define SIM_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/time.h"

/* What a popped event carries; the meaning of kind/target/arg belongs to the model. */
typedef struct sim_event {
    sim_time_us time_us;
    int32_t kind;
    uint32_t target;
    int64_t arg;
} sim_event;

typedef struct sim_event_handle {
    uint32_t body;
    uint32_t gen;
} sim_event_handle;

/* A pending event: one 128-bit key, compared as an unsigned integer — the time (sign bit
 * flipped, so unsigned order is signed order) in the high 64 bits, then a 32-bit insertion
 * sequence (unique among pending events), then the index of its body (UINT32_MAX: none) — and
 * its payload. 32 bytes: two entries per cache line. */
typedef struct sim_calendar_entry_ {
    unsigned __int128 key;
    int32_t kind;
    uint32_t target;
    int64_t arg;
} sim_calendar_entry_;

/* What a handle names: only events scheduled with a handle have one. */
typedef struct sim_calendar_body_ {
    uint32_t gen;       /* bumped each time the body is released */
    uint32_t next_free; /* free-list link; UINT32_MAX = end */
    bool cancelled;
} sim_calendar_body_;

typedef struct sim_calendar {
    sim_calendar_entry_ *heap; /* 1 entry into a 64-byte aligned block (see calendar.c) */
    void *heap_block;
    size_t size, capacity;
    sim_calendar_body_ *bodies;
    uint32_t body_capacity;
    uint32_t free_head;
    size_t cancelled; /* cancelled bodies still in the heap */
    uint64_t next_seq; /* below 2^32: renumbered before it gets there (calendar.c) */
} sim_calendar;

/* Prepares an empty calendar with room for capacity_hint events (0 is allowed). SIM_ENOMEM. */
int sim_calendar_init(sim_calendar *cal, size_t capacity_hint);
/* Frees everything; the calendar may be initialised again. */
void sim_calendar_fini(sim_calendar *cal);
/* Removes all events, keeping the memory. */
void sim_calendar_clear(sim_calendar *cal);

/* Schedules an event at time_us (any time up to SIM_TIME_EVENT_MAX_US, past or future: the
 * calendar does not know "now"). Writes a handle when out_handle is not NULL. SIM_ETIME for a
 * later time (sim/time.h: it keeps every model's "now + duration" from overflowing); SIM_ENOMEM
 * only when the pool must grow and cannot. */
int sim_calendar_schedule(sim_calendar *cal, sim_time_us time_us, int32_t kind, uint32_t target,
                          int64_t arg, sim_event_handle *out_handle);
/* Cancels a pending event. SIM_EINVAL if the handle's event already fired or was cancelled. */
int sim_calendar_cancel(sim_calendar *cal, sim_event_handle handle);
/* Removes the earliest pending (not cancelled) event into *out; false when none is left. */
bool sim_calendar_pop(sim_calendar *cal, sim_event *out);
/* Time of the earliest pending event, or SIM_TIME_NEVER when none. May discard cancelled tops. */
sim_time_us sim_calendar_peek_time_slow_(sim_calendar *cal);
static inline sim_time_us sim_calendar_peek_time(sim_calendar *cal)
{
    /* With nothing cancelled the top is live (the loop asks before every event). */
    if (cal->cancelled == 0)
        return cal->size > 0
                   ? (sim_time_us)((uint64_t)(cal->heap[0].key >> 64) ^ (UINT64_C(1) << 63))
                             : SIM_TIME_NEVER;
    return sim_calendar_peek_time_slow_(cal);
}
/* Pending events, cancelled ones excluded. */
size_t sim_calendar_pending(const sim_calendar *cal);

#endif
