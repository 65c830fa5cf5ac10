/* sim/calendar.c — the event calendar: an implicit 4-ary min-heap of events, plus a pool of
 * bodies for the events that can be cancelled.
 *
 * This is the simulator's hot path (a Lambda invocation costs a schedule/pop pair or more).
 * Each heap entry is 32 bytes: a 128-bit key — time, a 32-bit insertion sequence and a body
 * index packed so that comparing two entries is one unsigned 128-bit compare (two
 * instructions) — and the event's payload (kind, target, argument). The array starts one entry
 * into a 64-byte aligned block, so the four children 4i+1..4i+4 of a node fill exactly two
 * aligned cache lines, which the hardware fetches as a pair. Carrying the payload in the entry
 * means popping an event touches nothing but the heap: in a large simulation, where the heap
 * and everything else are far out of cache, that saves a miss per event over a separate body
 * store (measured: 100,000 concurrent environments ran about 20 % faster than with 16-byte keys
 * and bodies apart, at 1 % more instructions). Entries move by hole-sifting (one copy per level,
 * no swaps), and the tournament among children compares keys by index, which the compiler turns
 * into conditional moves (carrying the entries through the comparisons instead was measured 40 %
 * slower at 100,000 events).
 *
 * Only events scheduled with a handle get a body: its generation and a cancelled mark, in a pool
 * threaded by a LIFO free list. Cancellation is lazy (the entry stays in the heap and is skipped
 * when it reaches the top). Body life cycle: free (cancelled == true, on the free list) ->
 * scheduled (cancelled == false, named by exactly one heap entry) -> either popped, or cancelled
 * (still in the heap, released when it reaches the top). Releasing bumps gen, which invalidates
 * every handle given out for the previous use; using `cancelled` as the "not live" mark for free
 * bodies too means one test in cancel rejects both stale and already-cancelled handles.
 *
 * Sequence numbers are 32 bits. Before the counter would pass 2^32 (a run of billions of
 * events), the pending entries are renumbered 0..n-1 in their sequence order: their relative
 * order, hence the heap order and FIFO among equal times, is unchanged, and the counter
 * continues from n. So the order is exactly that of an unbounded sequence. */
#include "sim/calendar.h"

#include <stdlib.h>
#include <string.h>

#include "sim/error.h"

#define SIM_CAL_END_ UINT32_MAX
#define SIM_CAL_NO_BODY_ UINT32_MAX
/* Body indices must stay below SIM_CAL_END_, the free-list terminator. */
#define SIM_CAL_MAX_BODIES_ ((size_t)UINT32_MAX - 1)
#define SIM_CAL_MIN_GROW_ 64
#define SIM_CAL_SEQ_LIMIT_ (UINT64_C(1) << 32)
#define SIM_CAL_LINE_ 64
/* heap[0] sits one entry into the aligned block: heap[4i + 1] is then at 128 (i + 1) bytes. */
#define SIM_CAL_OFFSET_ 1

#if defined(__GNUC__)
#define SIM_CAL_UNLIKELY_(x) __builtin_expect(!!(x), 0)
#else
#define SIM_CAL_UNLIKELY_(x) (x)
#endif

typedef sim_calendar_entry_ entry_;
typedef unsigned __int128 key_;

static inline key_ sim_cal_key_(sim_time_us t, uint64_t seq, uint32_t body)
{
    uint64_t hi = (uint64_t)t ^ (UINT64_C(1) << 63);
    return ((key_)hi << 64) | ((key_)seq << 32) | body;
}

static inline sim_time_us sim_cal_time_(key_ k)
{
    return (sim_time_us)((uint64_t)(k >> 64) ^ (UINT64_C(1) << 63));
}

static inline uint32_t sim_cal_body_(key_ k) { return (uint32_t)k; }
static inline uint32_t sim_cal_seq_(key_ k) { return (uint32_t)((uint64_t)k >> 32); }

/* Links bodies [from, to) onto the front of the free list, in index order. */
static void sim_cal_link_free_(sim_calendar *cal, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++) {
        cal->bodies[i].cancelled = true;
        cal->bodies[i].next_free = i + 1 < to ? i + 1 : cal->free_head;
    }
    if (from < to) cal->free_head = from;
}

static int sim_cal_grow_bodies_(sim_calendar *cal, size_t want)
{
    size_t old = cal->body_capacity;
    if (want <= old) return SIM_OK;
    if (want > SIM_CAL_MAX_BODIES_) return SIM_ENOMEM;
    sim_calendar_body_ *b = realloc(cal->bodies, want * sizeof *b);
    if (b == NULL) return SIM_ENOMEM;
    cal->bodies = b;
    /* gen starts at 0 for new bodies; old handles can only name old indices. */
    for (size_t i = old; i < want; i++) cal->bodies[i].gen = 0;
    cal->body_capacity = (uint32_t)want;
    sim_cal_link_free_(cal, (uint32_t)old, (uint32_t)want);
    return SIM_OK;
}

static int sim_cal_grow_heap_(sim_calendar *cal, size_t want)
{
    if (want <= cal->capacity) return SIM_OK;
    if (want > (SIZE_MAX - SIM_CAL_LINE_) / sizeof(entry_) - SIM_CAL_OFFSET_) return SIM_ENOMEM;
    size_t bytes = (want + SIM_CAL_OFFSET_) * sizeof(entry_);
    bytes = (bytes + SIM_CAL_LINE_ - 1) / SIM_CAL_LINE_ * SIM_CAL_LINE_;
    void *block = aligned_alloc(SIM_CAL_LINE_, bytes);
    if (block == NULL) return SIM_ENOMEM;
    entry_ *h = (entry_ *)block + SIM_CAL_OFFSET_;
    if (cal->size > 0) memcpy(h, cal->heap, cal->size * sizeof *h);
    free(cal->heap_block);
    cal->heap_block = block;
    cal->heap = h;
    cal->capacity = want;
    return SIM_OK;
}

/* Kept out of line so the common path of schedule stays small. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int sim_cal_grow_heap_step_(sim_calendar *cal)
{
    size_t want = cal->capacity < SIM_CAL_MIN_GROW_ ? SIM_CAL_MIN_GROW_ : cal->capacity * 2;
    if (want <= cal->size) return SIM_ENOMEM;
    return sim_cal_grow_heap_(cal, want);
}

#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int sim_cal_grow_bodies_step_(sim_calendar *cal)
{
    size_t cur = cal->body_capacity;
    size_t want = cur < SIM_CAL_MIN_GROW_ ? SIM_CAL_MIN_GROW_ : cur * 2;
    if (want > SIM_CAL_MAX_BODIES_) want = SIM_CAL_MAX_BODIES_;
    if (want <= cur) return SIM_ENOMEM;
    return sim_cal_grow_bodies_(cal, want);
}

typedef struct sim_cal_rank_ {
    uint32_t seq, pos;
} sim_cal_rank_;

static int sim_cal_rank_cmp_(const void *a, const void *b)
{
    uint32_t x = ((const sim_cal_rank_ *)a)->seq, y = ((const sim_cal_rank_ *)b)->seq;
    return (x > y) - (x < y);
}

/* Renumbers the pending entries 0..n-1 in sequence order (see the file comment). */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int sim_cal_renumber_(sim_calendar *cal)
{
    size_t n = cal->size;
    sim_cal_rank_ *r = malloc((n ? n : 1) * sizeof *r);
    if (r == NULL) return SIM_ENOMEM;
    for (size_t i = 0; i < n; i++)
        r[i] = (sim_cal_rank_){sim_cal_seq_(cal->heap[i].key), (uint32_t)i};
    qsort(r, n, sizeof *r, sim_cal_rank_cmp_);
    for (size_t k = 0; k < n; k++) {
        key_ old = cal->heap[r[k].pos].key;
        cal->heap[r[k].pos].key = sim_cal_key_(sim_cal_time_(old), k, sim_cal_body_(old));
    }
    free(r);
    cal->next_seq = n;
    return SIM_OK;
}

int sim_calendar_init(sim_calendar *cal, size_t capacity_hint)
{
    memset(cal, 0, sizeof *cal);
    cal->free_head = SIM_CAL_END_;
    if (capacity_hint == 0) return SIM_OK;
    if (capacity_hint > SIM_CAL_MAX_BODIES_) return SIM_ENOMEM;
    int rc = sim_cal_grow_heap_(cal, capacity_hint);
    if (rc != SIM_OK) sim_calendar_fini(cal);
    return rc;
}

void sim_calendar_fini(sim_calendar *cal)
{
    free(cal->heap_block);
    free(cal->bodies);
    memset(cal, 0, sizeof *cal);
    cal->free_head = SIM_CAL_END_;
}

void sim_calendar_clear(sim_calendar *cal)
{
    /* Bump every generation so handles from before the clear are stale, then rebuild the free
     * list in index order (the state a fresh calendar of this capacity would be in). */
    for (uint32_t i = 0; i < cal->body_capacity; i++) cal->bodies[i].gen++;
    cal->free_head = SIM_CAL_END_;
    sim_cal_link_free_(cal, 0, cal->body_capacity);
    cal->size = 0;
    cal->cancelled = 0;
    cal->next_seq = 0;
}

int sim_calendar_schedule(sim_calendar *cal, sim_time_us time_us, int32_t kind, uint32_t target,
                          int64_t arg, sim_event_handle *out_handle)
{
    if (SIM_CAL_UNLIKELY_(time_us > SIM_TIME_EVENT_MAX_US)) return SIM_ETIME;
    if (SIM_CAL_UNLIKELY_(cal->size == cal->capacity)) {
        int rc = sim_cal_grow_heap_step_(cal);
        if (rc != SIM_OK) return rc;
    }
    if (SIM_CAL_UNLIKELY_(cal->next_seq >= SIM_CAL_SEQ_LIMIT_)) {
        int rc = sim_cal_renumber_(cal);
        if (rc != SIM_OK) return rc;
    }
    uint32_t b = SIM_CAL_NO_BODY_;
    if (out_handle != NULL) {
        if (SIM_CAL_UNLIKELY_(cal->free_head == SIM_CAL_END_)) {
            int rc = sim_cal_grow_bodies_step_(cal);
            if (rc != SIM_OK) return rc;
        }
        b = cal->free_head;
        sim_calendar_body_ *body = &cal->bodies[b];
        cal->free_head = body->next_free;
        body->cancelled = false;
        out_handle->body = b;
        out_handle->gen = body->gen;
    }

    /* Sift the hole up from the new leaf; parents move down one copy at a time. */
    const entry_ e = {sim_cal_key_(time_us, cal->next_seq++, b), kind, target, arg};
    entry_ *heap = cal->heap;
    size_t i = cal->size++;
    while (i > 0) {
        size_t p = (i - 1) >> 2;
        if (!(e.key < heap[p].key)) break;
        heap[i] = heap[p];
        i = p;
    }
    heap[i] = e;
    return SIM_OK;
}

/* Removes heap[0]. Floyd's bottom-up variant: walk the hole down to a leaf along the smaller
 * children without comparing against the displaced last entry (which, coming from the bottom,
 * almost always belongs near the bottom again), then sift that entry up from the leaf. This saves
 * a comparison and an unpredictable branch per level over the classic sift-down. */
static inline void sim_cal_remove_top_(sim_calendar *cal)
{
    size_t n = --cal->size;
    if (n == 0) return;
    entry_ *heap = cal->heap;
    const entry_ last = heap[n];
    size_t i = 0;
    for (;;) {
        size_t c = 4 * i + 1;
        size_t m;
        if (c + 3 < n) {
            /* All four children exist (the common case), on one aligned pair of lines. */
            size_t m1 = heap[c + 1].key < heap[c].key ? c + 1 : c;
            size_t m2 = heap[c + 3].key < heap[c + 2].key ? c + 3 : c + 2;
            m = heap[m2].key < heap[m1].key ? m2 : m1;
        } else {
            if (c >= n) break;
            m = c;
            for (size_t j = c + 1; j < n; j++)
                if (heap[j].key < heap[m].key) m = j;
        }
        heap[i] = heap[m];
        i = m;
    }
    while (i > 0) {
        size_t p = (i - 1) >> 2;
        if (!(last.key < heap[p].key)) break;
        heap[i] = heap[p];
        i = p;
    }
    heap[i] = last;
}

static inline void sim_cal_release_(sim_calendar *cal, uint32_t b)
{
    sim_calendar_body_ *body = &cal->bodies[b];
    body->gen++;
    body->cancelled = true;
    body->next_free = cal->free_head;
    cal->free_head = b;
}

int sim_calendar_cancel(sim_calendar *cal, sim_event_handle handle)
{
    if (handle.body >= cal->body_capacity) return SIM_EINVAL;
    sim_calendar_body_ *body = &cal->bodies[handle.body];
    /* A stale generation means the event fired (or was dropped) and the body may be reused;
     * cancelled also covers free bodies, whose current gen was never handed out. */
    if (body->gen != handle.gen || body->cancelled) return SIM_EINVAL;
    body->cancelled = true;
    cal->cancelled++;
    return SIM_OK;
}

bool sim_calendar_pop(sim_calendar *cal, sim_event *out)
{
    while (cal->size > 0) {
        const entry_ top = cal->heap[0];
        sim_cal_remove_top_(cal);
        uint32_t b = sim_cal_body_(top.key);
        if (b != SIM_CAL_NO_BODY_) {
            bool cancelled = cal->bodies[b].cancelled;
            sim_cal_release_(cal, b);
            if (SIM_CAL_UNLIKELY_(cancelled)) {
                cal->cancelled--;
                continue;
            }
        }
        if (out != NULL) {
            out->time_us = sim_cal_time_(top.key);
            out->kind = top.kind;
            out->target = top.target;
            out->arg = top.arg;
        }
        return true;
    }
    return false;
}

sim_time_us sim_calendar_peek_time_slow_(sim_calendar *cal)
{
    while (cal->size > 0) {
        key_ top = cal->heap[0].key;
        uint32_t b = sim_cal_body_(top);
        if (cal->cancelled == 0 || b == SIM_CAL_NO_BODY_ || !cal->bodies[b].cancelled)
            return sim_cal_time_(top);
        sim_cal_remove_top_(cal);
        cal->cancelled--;
        sim_cal_release_(cal, b);
    }
    return SIM_TIME_NEVER;
}

size_t sim_calendar_pending(const sim_calendar *cal)
{
    return cal->size - cal->cancelled;
}
