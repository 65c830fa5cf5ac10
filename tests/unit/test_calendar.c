/* tests/unit/test_calendar.c — the event calendar against a naive reference.
 *
 * The reference keeps every scheduled event in an array and finds the next one by a linear scan
 * for the smallest (time, insertion order), i.e. a stable sort by time: that is the order the
 * calendar promises (FIFO among equal times). Times are drawn from a small range so ties are
 * frequent, which is where an incorrect heap order shows. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include <gsl/gsl_rng.h>

#include "sim/calendar.h"
#include "sim/error.h"

typedef struct ref_event {
    sim_time_us time_us;
    uint64_t order; /* insertion order */
    int32_t kind;
    uint32_t target;
    int64_t arg;
    sim_event_handle handle;
    int state; /* 0 pending, 1 popped, 2 cancelled */
} ref_event;

static int ref_cmp(const void *pa, const void *pb)
{
    const ref_event *a = pa, *b = pb;
    if (a->time_us != b->time_us) return a->time_us < b->time_us ? -1 : 1;
    return a->order < b->order ? -1 : (a->order > b->order);
}

/* Index of the earliest pending reference event, or -1. */
static long ref_min(const ref_event *r, size_t n)
{
    long best = -1;
    for (size_t i = 0; i < n; i++) {
        if (r[i].state != 0) continue;
        if (best < 0 || ref_cmp(&r[i], &r[best]) < 0) best = (long)i;
    }
    return best;
}

static void assert_event_is(const sim_event *ev, const ref_event *r)
{
    assert_int_equal(ev->time_us, r->time_us);
    assert_int_equal(ev->kind, r->kind);
    assert_int_equal(ev->target, r->target);
    assert_int_equal(ev->arg, r->arg);
}

static void schedule_ref(sim_calendar *cal, ref_event *r, uint64_t order, gsl_rng *rng,
                         unsigned long time_range)
{
    r->time_us = (sim_time_us)gsl_rng_uniform_int(rng, time_range) - 5; /* a few negative */
    r->order = order;
    r->kind = (int32_t)gsl_rng_uniform_int(rng, 7) - 3;
    r->target = (uint32_t)order; /* identifies the event */
    r->arg = (int64_t)gsl_rng_get(rng) * 1000003 - (INT64_C(1) << 40);
    r->state = 0;
    assert_int_equal(sim_calendar_schedule(cal, r->time_us, r->kind, r->target, r->arg, &r->handle),
                     SIM_OK);
}

static void test_schedule_all_then_pop_is_stable_sorted(void **state)
{
    enum { N = 20000 };
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 12345);
    ref_event *ref = calloc(N, sizeof *ref);
    sim_calendar cal;
    assert_int_equal(sim_calendar_init(&cal, 0), SIM_OK);

    for (size_t i = 0; i < N; i++) {
        /* Mostly 100 distinct times (heavy ties), occasionally a huge one. */
        schedule_ref(&cal, &ref[i], i, rng, 100);
        if (i % 97 == 0) {
            /* Move every 97th event far out (cancel + reschedule), as a model moves a timer;
             * the far times are distinct, so insertion order does not matter for them. */
            assert_int_equal(sim_calendar_cancel(&cal, ref[i].handle), SIM_OK);
            ref[i].time_us = SIM_TIME_EVENT_MAX_US - (sim_time_us)i; /* the latest allowed */
            assert_int_equal(sim_calendar_schedule(&cal, ref[i].time_us, ref[i].kind,
                                                   ref[i].target, ref[i].arg, &ref[i].handle),
                             SIM_OK);
        }
    }
    assert_int_equal(sim_calendar_pending(&cal), N);
    qsort(ref, N, sizeof *ref, ref_cmp);

    sim_event ev;
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(sim_calendar_peek_time(&cal), ref[i].time_us);
        assert_true(sim_calendar_pop(&cal, &ev));
        assert_event_is(&ev, &ref[i]);
        assert_int_equal(sim_calendar_pending(&cal), N - i - 1);
    }
    assert_false(sim_calendar_pop(&cal, &ev));
    assert_int_equal(sim_calendar_peek_time(&cal), SIM_TIME_NEVER);

    sim_calendar_fini(&cal);
    free(ref);
    gsl_rng_free(rng);
}

/* A random walk of schedules, pops and cancels against the reference. With renumber, the
 * calendar's 32-bit sequence counter is pushed to a few steps below its limit every 500
 * operations, so the pending entries are renumbered dozens of times (calendar.c), ties among
 * them included: the order must stay exactly the reference's. */
static void run_interleaved_with_cancel(unsigned long seed, bool renumber)
{
    enum { OPS = 30000 };
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    ref_event *ref = calloc(OPS, sizeof *ref);
    size_t n = 0, pending = 0, popped = 0, cancelled = 0, stale = 0;
    sim_calendar cal;
    assert_int_equal(sim_calendar_init(&cal, 3), SIM_OK);

    int renumbered = 0;
    for (size_t op = 0; op < OPS; op++) {
        if (renumber && op % 500 == 0) {
            cal.next_seq = (UINT64_C(1) << 32) - 3;
            renumbered++;
        }
        unsigned long r = gsl_rng_uniform_int(rng, 100);
        if (r < 50 || pending == 0) {
            /* Times move forward slowly, like a simulation clock, with many ties. */
            schedule_ref(&cal, &ref[n], n, rng, 40 + op / 100);
            n++;
            pending++;
        } else if (r < 85) {
            long m = ref_min(ref, n);
            sim_event ev;
            assert_int_equal(sim_calendar_peek_time(&cal), ref[m].time_us);
            assert_true(sim_calendar_pop(&cal, &ev));
            assert_event_is(&ev, &ref[m]);
            ref[m].state = 1;
            pending--;
            popped++;
        } else {
            /* Cancel a random earlier event: pending ones succeed, fired/cancelled ones must be
             * refused even though their bodies have very likely been reused by now. */
            size_t k = gsl_rng_uniform_int(rng, n);
            int rc = sim_calendar_cancel(&cal, ref[k].handle);
            if (ref[k].state == 0) {
                assert_int_equal(rc, SIM_OK);
                ref[k].state = 2;
                pending--;
                cancelled++;
            } else {
                assert_int_equal(rc, SIM_EINVAL);
                stale++;
            }
        }
        assert_int_equal(sim_calendar_pending(&cal), pending);
    }
    /* The random walk must have exercised every branch. */
    assert_true(popped > 1000 && cancelled > 500 && stale > 500);

    sim_event ev;
    while (pending > 0) {
        long m = ref_min(ref, n);
        assert_true(sim_calendar_pop(&cal, &ev));
        assert_event_is(&ev, &ref[m]);
        ref[m].state = 1;
        pending--;
    }
    assert_false(sim_calendar_pop(&cal, &ev));
    assert_int_equal(sim_calendar_pending(&cal), 0);
    if (renumber) {
        assert_int_equal(renumbered, OPS / 500);
        assert_true(cal.next_seq < (UINT64_C(1) << 32) - 3); /* the last push did renumber */
    }
    sim_calendar_fini(&cal);
    free(ref);
    gsl_rng_free(rng);
}

static void test_interleaved_with_cancel(void **state)
{
    run_interleaved_with_cancel(777, false);
}

static void test_sequence_renumbering_keeps_the_order(void **state)
{
    run_interleaved_with_cancel(778, true);
}

static void test_cancel_rules(void **state)
{
    sim_calendar cal;
    assert_int_equal(sim_calendar_init(&cal, 0), SIM_OK);
    sim_event_handle a, b, c, d;
    assert_int_equal(sim_calendar_schedule(&cal, 10, 1, 0, 0, &a), SIM_OK);
    assert_int_equal(sim_calendar_schedule(&cal, 20, 2, 0, 0, &b), SIM_OK);
    assert_int_equal(sim_calendar_schedule(&cal, 30, 3, 0, 0, &c), SIM_OK);
    assert_int_equal(sim_calendar_pending(&cal), 3);

    assert_int_equal(sim_calendar_cancel(&cal, b), SIM_OK);
    assert_int_equal(sim_calendar_pending(&cal), 2);
    assert_int_equal(sim_calendar_cancel(&cal, b), SIM_EINVAL); /* twice */
    assert_int_equal(sim_calendar_pending(&cal), 2);

    sim_event ev;
    assert_true(sim_calendar_pop(&cal, &ev));
    assert_int_equal(ev.kind, 1);
    assert_int_equal(sim_calendar_cancel(&cal, a), SIM_EINVAL); /* already fired */

    /* Pop skips the cancelled b and delivers c. */
    assert_true(sim_calendar_pop(&cal, &ev));
    assert_int_equal(ev.kind, 3);
    assert_int_equal(ev.time_us, 30);
    assert_int_equal(sim_calendar_pending(&cal), 0);

    /* A new event reuses one of the freed bodies; the old handles to that body must stay dead. */
    assert_int_equal(sim_calendar_schedule(&cal, 40, 4, 0, 0, &d), SIM_OK);
    const sim_event_handle *old[] = {&a, &b, &c};
    int reused = 0;
    for (int i = 0; i < 3; i++) {
        if (old[i]->body != d.body) continue;
        reused = 1;
        assert_int_not_equal(old[i]->gen, d.gen);
        assert_int_equal(sim_calendar_cancel(&cal, *old[i]), SIM_EINVAL);
    }
    assert_true(reused);
    assert_int_equal(sim_calendar_pending(&cal), 1);
    assert_int_equal(sim_calendar_peek_time(&cal), 40);

    /* Handles that never existed. */
    sim_event_handle bogus = {d.body + 1000000, 0};
    assert_int_equal(sim_calendar_cancel(&cal, bogus), SIM_EINVAL);
    for (uint32_t i = 0; i < cal.body_capacity; i++) {
        if (i == d.body) continue;
        sim_event_handle h = {i, cal.bodies[i].gen}; /* a free body's current generation */
        assert_int_equal(sim_calendar_cancel(&cal, h), SIM_EINVAL);
    }
    assert_int_equal(sim_calendar_pending(&cal), 1);

    assert_int_equal(sim_calendar_cancel(&cal, d), SIM_OK);
    assert_int_equal(sim_calendar_pending(&cal), 0);
    assert_false(sim_calendar_pop(&cal, &ev));
    sim_calendar_fini(&cal);
}

static void test_peek_discards_cancelled_tops(void **state)
{
    sim_calendar cal;
    assert_int_equal(sim_calendar_init(&cal, 4), SIM_OK);
    assert_int_equal(sim_calendar_peek_time(&cal), SIM_TIME_NEVER);
    sim_event_handle h[5];
    for (int i = 0; i < 5; i++)
        assert_int_equal(sim_calendar_schedule(&cal, 100 - i, i, 0, 0, &h[i]), SIM_OK);
    assert_int_equal(sim_calendar_peek_time(&cal), 96);
    assert_int_equal(sim_calendar_peek_time(&cal), 96); /* peek does not consume */
    assert_int_equal(sim_calendar_pending(&cal), 5);
    assert_int_equal(sim_calendar_cancel(&cal, h[4]), SIM_OK);
    assert_int_equal(sim_calendar_cancel(&cal, h[3]), SIM_OK);
    assert_int_equal(sim_calendar_pending(&cal), 3);
    assert_int_equal(sim_calendar_peek_time(&cal), 98);
    assert_int_equal(sim_calendar_pending(&cal), 3);
    /* The discarded tops' handles stay invalid after peek freed their bodies. */
    assert_int_equal(sim_calendar_cancel(&cal, h[4]), SIM_EINVAL);
    sim_event ev;
    assert_true(sim_calendar_pop(&cal, &ev));
    assert_int_equal(ev.time_us, 98);
    assert_int_equal(ev.kind, 2);

    /* All remaining cancelled: pop and peek both report empty. */
    assert_int_equal(sim_calendar_cancel(&cal, h[1]), SIM_OK);
    assert_int_equal(sim_calendar_cancel(&cal, h[0]), SIM_OK);
    assert_int_equal(sim_calendar_pending(&cal), 0);
    assert_int_equal(sim_calendar_peek_time(&cal), SIM_TIME_NEVER);
    assert_false(sim_calendar_pop(&cal, &ev));
    sim_calendar_fini(&cal);
}

static void test_growth_from_zero_and_clear(void **state)
{
    enum { N = 100000 };
    sim_calendar cal;
    assert_int_equal(sim_calendar_init(&cal, 0), SIM_OK);
    assert_int_equal(sim_calendar_pending(&cal), 0);
    sim_event ev;
    assert_false(sim_calendar_pop(&cal, &ev));

    /* Decreasing times: every push sifts to the root, through every growth step. */
    for (int i = 0; i < N; i++)
        assert_int_equal(sim_calendar_schedule(&cal, N - i, 0, (uint32_t)i, i, NULL), SIM_OK);
    assert_int_equal(sim_calendar_pending(&cal), N);
    assert_true(cal.capacity >= N);
    assert_int_equal(cal.body_capacity, 0); /* no handle asked for: no body */
    for (int i = 0; i < N; i++) {
        assert_true(sim_calendar_pop(&cal, &ev));
        assert_int_equal(ev.time_us, i + 1);
        assert_int_equal(ev.target, N - 1 - i);
    }

    /* Steady state: once the heap (and, for events with handles, the body pool) has grown,
     * scheduling as many again must not grow either. */
    size_t cap = cal.capacity;
    sim_event_handle keep;
    for (int i = 0; i < N; i++)
        assert_int_equal(sim_calendar_schedule(&cal, i % 10, 0, 0, 0, &keep), SIM_OK);
    assert_int_equal(cal.capacity, cap);
    uint32_t bcap = cal.body_capacity;
    assert_true(bcap >= N);
    for (int i = 0; i < N; i++) assert_true(sim_calendar_pop(&cal, &ev));
    for (int i = 0; i < N; i++)
        assert_int_equal(sim_calendar_schedule(&cal, i % 10, 0, 0, 0, &keep), SIM_OK);
    assert_int_equal(cal.capacity, cap);
    assert_int_equal(cal.body_capacity, bcap);

    /* clear drops everything, keeps memory, and invalidates older handles. */
    sim_calendar_clear(&cal);
    assert_int_equal(sim_calendar_pending(&cal), 0);
    assert_false(sim_calendar_pop(&cal, &ev));
    assert_int_equal(sim_calendar_cancel(&cal, keep), SIM_EINVAL);
    assert_int_equal(cal.capacity, cap);
    assert_int_equal(sim_calendar_schedule(&cal, 5, 9, 1, 2, NULL), SIM_OK);
    assert_int_equal(sim_calendar_schedule(&cal, 5, 8, 1, 2, NULL), SIM_OK);
    assert_true(sim_calendar_pop(&cal, &ev));
    assert_int_equal(ev.kind, 9);
    assert_true(sim_calendar_pop(&cal, &ev));
    assert_int_equal(ev.kind, 8);

    sim_calendar_fini(&cal);
    /* A finalised calendar can be initialised again. */
    assert_int_equal(sim_calendar_init(&cal, 16), SIM_OK);
    assert_int_equal(sim_calendar_schedule(&cal, 1, 0, 0, 0, NULL), SIM_OK);
    sim_calendar_fini(&cal);
}

/* Time bounds (sim/time.h): the calendar refuses events past SIM_TIME_EVENT_MAX_US, so "now"
 * never passes it, and seconds convert with saturation at SIM_TIME_LIMIT_US. */
static void test_time_limits(void **state)
{
    (void)state;
    sim_calendar cal;
    sim_event ev;
    assert_int_equal(sim_calendar_init(&cal, 4), SIM_OK);
    assert_int_equal(sim_calendar_schedule(&cal, SIM_TIME_EVENT_MAX_US, 1, 0, 0, NULL), SIM_OK);
    assert_int_equal(sim_calendar_schedule(&cal, SIM_TIME_EVENT_MAX_US + 1, 2, 0, 0, NULL),
                     SIM_ETIME);
    assert_int_equal(sim_calendar_schedule(&cal, SIM_TIME_NEVER, 2, 0, 0, NULL), SIM_ETIME);
    assert_int_equal(sim_calendar_pending(&cal), 1);
    assert_true(sim_calendar_pop(&cal, &ev));
    assert_int_equal(ev.kind, 1);
    sim_calendar_fini(&cal);

    assert_int_equal(SIM_TIME_LIMIT_US, INT64_C(3155760000000000)); /* 36,525 days */
    assert_true(SIM_TIME_EVENT_MAX_US < INT64_MAX - 1000 * SIM_TIME_LIMIT_US);
    assert_int_equal(sim_time_from_s(1.5), 1500000);
    assert_int_equal(sim_time_from_s(3155760000.0), SIM_TIME_LIMIT_US);
    assert_int_equal(sim_time_from_s(1e30), SIM_TIME_LIMIT_US);
    assert_int_equal(sim_time_from_s(INFINITY), SIM_TIME_LIMIT_US);
    assert_int_equal(sim_time_from_s(NAN), 0);
    assert_int_equal(sim_time_from_s(-1.0), 0);
}

int main(void)
{
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_all_then_pop_is_stable_sorted),
        cmocka_unit_test(test_interleaved_with_cancel),
        cmocka_unit_test(test_sequence_renumbering_keeps_the_order),
        cmocka_unit_test(test_cancel_rules),
        cmocka_unit_test(test_peek_discards_cancelled_tops),
        cmocka_unit_test(test_growth_from_zero_and_clear),
        cmocka_unit_test(test_time_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
