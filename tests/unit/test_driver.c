/* tests/unit/test_driver.c — the replication driver is deterministic for any thread count.
 *
 * Each replication draws from its own sim_rng stream a replication-dependent number of values
 * (so threads finish in varying order) and writes sums into its slot; results must be byte-
 * identical for 1, 2, 4 threads and OpenMP's default. Errors: the lowest failing index decides,
 * even when it is the slowest to fail. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"


#include "sim/driver.h"
#include "sim/error.h"
#include "sim/interrupt.h"
#include "sim/rng.h"

typedef struct result {
    double sum;
    uint64_t xor_bits;
    uint32_t replication;
    uint32_t slot_was_zero;
} result;

typedef struct ctx {
    uint64_t seed;
    uint32_t fail_a, fail_b, fail_c; /* failing replications; UINT32_MAX: none */
} ctx;

static int slot_is_zero(const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        if (c[i] != 0) return 0;
    return 1;
}

static int replication(void *vctx, uint32_t rep, void *slot)
{
    const ctx *c = vctx;
    result *r = slot;
    r->slot_was_zero = (uint32_t)slot_is_zero(r, sizeof *r);
    r->replication = rep;
    sim_rng rng;
    sim_rng_seed(&rng, c->seed, rep, "work");
    /* Uneven work; the first failing replication is by far the slowest. */
    unsigned long draws = 2000 + (rep * 7919u) % 50000 + (rep == c->fail_a ? 2000000 : 0);
    for (unsigned long i = 0; i < draws; i++) {
        uint64_t x = sim_rng_next(&rng) >> 32;
        r->sum += (double)x / 4294967296.0;
        r->xor_bits ^= (uint64_t)x << (i % 32);
    }
    if (rep == c->fail_a) return SIM_ERANGE;
    if (rep == c->fail_b) return SIM_EIO;
    if (rep == c->fail_c) return SIM_EPARSE;
    return SIM_OK;
}

static void test_identical_for_any_thread_count(void **state)
{
    enum { N = 41 };
    ctx c = {12345, UINT32_MAX, UINT32_MAX, UINT32_MAX};
    static result base[N], other[N];
    memset(base, 0xff, sizeof base); /* the driver must zero each slot */
    assert_int_equal(sim_replicate(N, 1, replication, &c, base, sizeof(result)), SIM_OK);
    for (uint32_t i = 0; i < N; i++) {
        assert_int_equal(base[i].replication, i);
        assert_int_equal(base[i].slot_was_zero, 1);
        assert_true(base[i].sum > 0);
    }
    /* Sanity of the fixture: different replications really differ. */
    assert_true(base[0].xor_bits != base[1].xor_bits);

    static const int threads[] = {2, 4, 0, 3};
    for (int t = 0; t < 4; t++) {
        memset(other, 0xff, sizeof other);
        assert_int_equal(sim_replicate(N, threads[t], replication, &c, other, sizeof(result)),
                         SIM_OK);
        assert_memory_equal(other, base, sizeof base);
    }

    /* A different seed gives different results (the comparison above is not vacuous). */
    c.seed = 12346;
    assert_int_equal(sim_replicate(N, 2, replication, &c, other, sizeof(result)), SIM_OK);
    assert_memory_not_equal(other, base, sizeof base);
}

static void test_lowest_failing_index_decides(void **state)
{
    enum { N = 24 };
    static result res[N];
    /* Replication 3 fails last (it is slow); 9 and 20 fail fast. */
    ctx c = {7, 3, 9, 20};
    static const int threads[] = {1, 2, 4, 0};
    for (int t = 0; t < 4; t++)
        assert_int_equal(sim_replicate(N, threads[t], replication, &c, res, sizeof(result)),
                         SIM_ERANGE);
    c.fail_a = UINT32_MAX; /* now 9 is the lowest */
    for (int t = 0; t < 4; t++)
        assert_int_equal(sim_replicate(N, threads[t], replication, &c, res, sizeof(result)),
                         SIM_EIO);
    /* The failing replication is still run and its slot written. */
    assert_int_equal(res[9].replication, 9);
    assert_int_equal(res[9].slot_was_zero, 1);
}

static void test_edge_cases(void **state)
{
    ctx c = {1, UINT32_MAX, UINT32_MAX, UINT32_MAX};
    result r;
    assert_int_equal(sim_replicate(0, 4, replication, &c, &r, sizeof r), SIM_OK);
    assert_int_equal(sim_replicate(1, 4, NULL, &c, &r, sizeof r), SIM_EINVAL);
    assert_int_equal(sim_replicate(1, 8, replication, &c, &r, sizeof r), SIM_OK); /* threads > n */
    assert_int_equal(r.replication, 0);
}

/* A stop request (Ctrl-C, sim/interrupt.h) ends the driver without running replications, and a
 * loop polling it with SIM_INTERRUPT_POLL sees it within SIM_INTERRUPT_EVERY steps. */
static void test_interrupt(void **state)
{
    ctx c = {1, UINT32_MAX, UINT32_MAX, UINT32_MAX};
    result r[4];
    assert_int_equal(sim_interrupt_pending(), 0);
    sim_interrupt_request(2);
    sim_interrupt_request(15); /* the first request is kept */
    assert_int_equal(sim_interrupt_pending(), 2);
    memset(r, 0xff, sizeof r);
    assert_int_equal(sim_replicate(4, 2, replication, &c, r, sizeof r[0]), SIM_EINTERRUPTED);
    for (int i = 0; i < 4; i++)
        assert_true(r[i].sum == 0.0); /* never ran: the slot is only zeroed */
    uint32_t steps = 0, polls = 0;
    while (!SIM_INTERRUPT_POLL(steps))
        polls++;
    assert_int_equal(polls + 1, SIM_INTERRUPT_EVERY);
    sim_interrupt_clear();
    assert_int_equal(sim_interrupt_pending(), 0);
    assert_int_equal(sim_replicate(4, 2, replication, &c, r, sizeof r[0]), SIM_OK);
}

int main(void)
{
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical_for_any_thread_count),
        cmocka_unit_test(test_lowest_failing_index_decides),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_interrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
