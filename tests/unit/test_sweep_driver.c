/* tests/unit/test_sweep_driver.c — the point driver (sim/sweep.h).
 *
 * Points of uneven length draw from their own streams and write only their own slot: results
 * must be identical for 1, 2, 3 threads and OpenMP's default; the thread split gives fewer
 * points than threads the spare threads; the error returned is the lowest failing point's even
 * when it fails last; the progress hook counts 1..n, one call at a time. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include <omp.h>

#include "sim/error.h"
#include "sim/rng.h"
#include "sim/sweep.h"

#define N_POINTS 23

typedef struct ctx {
    double sums[N_POINTS];
    int threads_seen[N_POINTS];
    uint32_t fail_a, fail_b; /* UINT32_MAX: none */
} ctx;

static int point(void *vctx, uint32_t p, int threads)
{
    ctx *c = vctx;
    c->threads_seen[p] = threads;
    sim_rng rng;
    sim_rng_seed(&rng, 7, 0, "work"); /* the same stream at every point: CRN */
    unsigned long draws = 1000 + (p * 7919u) % 40000 + (p == c->fail_a ? 1000000 : 0);
    double sum = 0;
    for (unsigned long i = 0; i < draws; i++) sum += sim_rng_uniform(&rng) * (p + 1);
    c->sums[p] = sum;
    if (p == c->fail_a) return SIM_ERANGE;
    if (p == c->fail_b) return SIM_EIO;
    return SIM_OK;
}

static void test_same_for_any_thread_count(void **state)
{
    (void)state;
    ctx ref = {.fail_a = UINT32_MAX, .fail_b = UINT32_MAX};
    assert_int_equal(sim_sweep_run(N_POINTS, 1, point, &ref, NULL, NULL), SIM_OK);
    int threads[] = {2, 3, 0};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        ctx c = {.fail_a = UINT32_MAX, .fail_b = UINT32_MAX};
        assert_int_equal(sim_sweep_run(N_POINTS, threads[t], point, &c, NULL, NULL), SIM_OK);
        assert_memory_equal(c.sums, ref.sums, sizeof ref.sums);
    }
}

static void test_split(void **state)
{
    (void)state;
    int outer, inner;
    sim_sweep_split(64, 2, &outer, &inner);
    assert_int_equal(outer, 2);
    assert_int_equal(inner, 1);
    sim_sweep_split(1, 2, &outer, &inner); /* one point: its replications get both threads */
    assert_int_equal(outer, 1);
    assert_int_equal(inner, 2);
    sim_sweep_split(3, 8, &outer, &inner); /* 3 points on 8 threads: 3 x 2 */
    assert_int_equal(outer, 3);
    assert_int_equal(inner, 2);
    sim_sweep_split(5, 8, &outer, &inner);
    assert_int_equal(outer, 5);
    assert_int_equal(inner, 1);
    /* a single point is told it has every thread */
    ctx c = {.fail_a = UINT32_MAX, .fail_b = UINT32_MAX};
    assert_int_equal(sim_sweep_run(1, 3, point, &c, NULL, NULL), SIM_OK);
    assert_int_equal(c.threads_seen[0], 3);
}

static void test_lowest_failing_point_decides(void **state)
{
    (void)state;
    for (int t = 1; t <= 3; t++) {
        ctx c = {.fail_a = 4, .fail_b = 17}; /* 4 fails last (it runs long), 17 first */
        assert_int_equal(sim_sweep_run(N_POINTS, t, point, &c, NULL, NULL), SIM_ERANGE);
    }
    assert_int_equal(sim_sweep_run(N_POINTS, 2, NULL, NULL, NULL, NULL), SIM_EINVAL);
    assert_int_equal(sim_sweep_run(0, 2, point, NULL, NULL, NULL), SIM_OK);
}

/* With fewer points than threads, a point's own parallel region (its replications) really gets
 * the spare threads, and nesting is switched back off afterwards. */
static int nested_point(void *vctx, uint32_t p, int threads)
{
    int *team = vctx;
#pragma omp parallel num_threads(threads)
    {
#pragma omp single
        team[p] = omp_get_num_threads();
    }
    return SIM_OK;
}

static void test_spare_threads_reach_replications(void **state)
{
    (void)state;
    int levels = omp_get_max_active_levels();
    int team[3] = {0, 0, 0};
    assert_int_equal(sim_sweep_run(3, 6, nested_point, team, NULL, NULL), SIM_OK);
    for (int p = 0; p < 3; p++) assert_int_equal(team[p], 2);
    assert_int_equal(omp_get_max_active_levels(), levels);
}

typedef struct progress_log {
    uint32_t calls, last, total;
    int in_call, overlapped;
} progress_log;

static void progress(void *vctx, uint32_t done, uint32_t total)
{
    progress_log *p = vctx;
    if (p->in_call++) p->overlapped = 1;
    if (done != p->last + 1) p->overlapped = 1; /* must count up by one */
    p->last = done;
    p->total = total;
    p->calls++;
    p->in_call--;
}

static void test_progress_counts_points(void **state)
{
    (void)state;
    for (int t = 1; t <= 2; t++) {
        ctx c = {.fail_a = UINT32_MAX, .fail_b = UINT32_MAX};
        progress_log log = {0};
        assert_int_equal(sim_sweep_run(N_POINTS, t, point, &c, progress, &log), SIM_OK);
        assert_int_equal(log.calls, N_POINTS);
        assert_int_equal(log.last, N_POINTS);
        assert_int_equal(log.total, N_POINTS);
        assert_int_equal(log.overlapped, 0);
    }
}

int main(void)
{
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_for_any_thread_count),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_lowest_failing_point_decides),
        cmocka_unit_test(test_spare_threads_reach_replications),
        cmocka_unit_test(test_progress_counts_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
