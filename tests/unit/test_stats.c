/* tests/unit/test_stats.c — streaming moments, the log-linear histogram, time averages and
 * confidence intervals, each against a direct computation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/error.h"
#include "sim/stats.h"

/* ---- moments ---- */

static void two_pass(const double *x, size_t n, double *mean, double *var)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += x[i];
    *mean = s / n;
    double ss = 0;
    for (size_t i = 0; i < n; i++) ss += (x[i] - *mean) * (x[i] - *mean);
    *var = ss / (n - 1);
}

static void test_moments_match_two_pass_and_merge(void **state)
{
    enum { N = 10000 };
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 4);
    static double x[N];
    /* A large offset with small spread: the naive sum-of-squares formula loses every digit
     * here, Welford and the two-pass reference do not. */
    for (size_t i = 0; i < N; i++) x[i] = 1e8 + gsl_ran_lognormal(rng, 0, 1);
    double mean, var;
    two_pass(x, N, &mean, &var);

    sim_moments all;
    sim_moments_init(&all);
    double mn = x[0], mx = x[0];
    for (size_t i = 0; i < N; i++) {
        sim_moments_add(&all, x[i]);
        if (x[i] < mn) mn = x[i];
        if (x[i] > mx) mx = x[i];
    }
    assert_int_equal(all.n, N);
    assert_double_rel(all.mean, mean, 1e-14);
    assert_double_rel(sim_moments_variance(&all), var, 1e-8);
    assert_double_near(all.min, mn, 0.0);
    assert_double_near(all.max, mx, 0.0);

    /* Uneven parts, including an empty one, merged in order. */
    const size_t cut[] = {0, 1, 1, 2500, 9000, N};
    sim_moments merged;
    sim_moments_init(&merged);
    for (int p = 0; p < 5; p++) {
        sim_moments part;
        sim_moments_init(&part);
        for (size_t i = cut[p]; i < cut[p + 1]; i++) sim_moments_add(&part, x[i]);
        sim_moments_merge(&merged, &part);
    }
    assert_int_equal(merged.n, N);
    assert_double_rel(merged.mean, mean, 1e-14);
    assert_double_rel(sim_moments_variance(&merged), var, 1e-8);
    assert_double_near(merged.min, mn, 0.0);
    assert_double_near(merged.max, mx, 0.0);

    /* Merging an empty summary changes nothing. */
    sim_moments empty, before = merged;
    sim_moments_init(&empty);
    sim_moments_merge(&merged, &empty);
    assert_memory_equal(&merged, &before, sizeof merged);
    gsl_rng_free(rng);
}

static void test_moments_small_cases(void **state)
{
    sim_moments m;
    sim_moments_init(&m);
    assert_double_near(sim_moments_variance(&m), 0.0, 0.0);
    sim_moments_add(&m, -3.0);
    assert_double_near(sim_moments_variance(&m), 0.0, 0.0);
    assert_double_near(m.min, -3.0, 0.0);
    assert_double_near(m.max, -3.0, 0.0);
    sim_moments_add(&m, 5.0);
    sim_moments_add(&m, 1.0);
    assert_double_near(m.mean, 1.0, 1e-15);
    assert_double_near(sim_moments_variance(&m), 16.0, 1e-13); /* (16 + 16 + 0) / 2 */
    assert_double_near(m.min, -3.0, 0.0);
    assert_double_near(m.max, 5.0, 0.0);
}

/* ---- histogram ---- */

static void test_hist_small_values_are_exact(void **state)
{
    for (int64_t v = 0; v < 2 * SIM_HIST_SUB; v++) {
        int64_t lo, hi;
        assert_int_equal(sim_hist_bucket(v), (size_t)v);
        sim_hist_bucket_range(sim_hist_bucket(v), &lo, &hi);
        assert_int_equal(lo, v);
        assert_int_equal(hi, v);
    }
    assert_int_equal(sim_hist_bucket(-5), 0);
    assert_int_equal(sim_hist_bucket(INT64_MIN), 0);

    sim_hist h;
    sim_hist_init(&h);
    int64_t data[] = {7, 3, 3, 200, 0, 255, 42};
    for (int i = 0; i < 7; i++) sim_hist_add(&h, data[i]);
    sim_hist_add(&h, -9); /* clamped to 0 */
    assert_int_equal(h.n, 8);
    assert_int_equal(h.min, 0);
    assert_int_equal(h.max, 255);
    /* sorted: 0 0 3 3 7 42 200 255; nearest rank ceil(p * 8) */
    assert_int_equal(sim_hist_quantile(&h, 0.25), 0);
    assert_int_equal(sim_hist_quantile(&h, 0.26), 3);
    assert_int_equal(sim_hist_quantile(&h, 0.5), 3);
    assert_int_equal(sim_hist_quantile(&h, 0.51), 7);
    assert_int_equal(sim_hist_quantile(&h, 0.75), 42);
    assert_int_equal(sim_hist_quantile(&h, 0.875), 200);
    assert_int_equal(sim_hist_quantile(&h, 0.9), 255);
}

static void test_hist_buckets_tile_the_range(void **state)
{
    /* Consecutive buckets are contiguous and each bucket is no wider than 2^-SUB of its lower
     * bound: together these are the layout, and the relative error bound of any quantile. */
    size_t last = sim_hist_bucket(INT64_MAX);
    assert_true(last < SIM_HIST_BUCKETS);
    int64_t lo, hi, prev_hi = -1;
    for (size_t b = 0; b <= last; b++) {
        sim_hist_bucket_range(b, &lo, &hi);
        assert_int_equal(lo, prev_hi + 1);
        assert_true(hi >= lo);
        assert_true((double)(hi - lo) <= ldexp((double)lo, -SIM_HIST_SUB_BITS));
        assert_int_equal(sim_hist_bucket(lo), b);
        assert_int_equal(sim_hist_bucket(hi), b);
        prev_hi = hi;
    }
    assert_int_equal(prev_hi, INT64_MAX);
}

static void test_hist_bucket_contains_value(void **state)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 99);
    for (int i = 0; i < 200000; i++) {
        /* Spread over every magnitude 0 .. 2^62. */
        uint64_t bits = ((uint64_t)gsl_rng_get(rng) << 32) | gsl_rng_get(rng);
        int64_t v = (int64_t)((bits >> 2) >> gsl_rng_uniform_int(rng, 62));
        int64_t lo, hi;
        size_t b = sim_hist_bucket(v);
        assert_true(b < SIM_HIST_BUCKETS);
        sim_hist_bucket_range(b, &lo, &hi);
        if (!(lo <= v && v <= hi)) fail_msg("%lld not in [%lld, %lld]", (long long)v, (long long)lo, (long long)hi);
        /* Reporting the midpoint is within 2^-(SUB+1) of the value. */
        double mid = (double)lo + (double)(hi - lo) / 2;
        assert_true(fabs(mid - (double)v) <= ldexp((double)v, -(SIM_HIST_SUB_BITS + 1)) + 0.5);
    }
    gsl_rng_free(rng);
}

static void test_hist_quantiles_of_known_data(void **state)
{
    enum { N = 100000 };
    static sim_hist h;
    sim_hist_init(&h);
    assert_int_equal(sim_hist_quantile(&h, 0.5), 0); /* empty */
    for (int64_t v = 1; v <= N; v++) sim_hist_add(&h, v);
    /* p = k / 1000: the nearest rank k N / 1000 is an integer, computed without rounding. */
    static const int64_t ks[] = {1, 10, 100, 250, 500, 750, 900, 950, 990, 999};
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        int64_t exact = ks[i] * N / 1000; /* in 1..N the value of rank r is r */
        int64_t q = sim_hist_quantile(&h, (double)ks[i] / 1000.0);
        /* Within half a bucket, i.e. 2^-(SUB+1) relative, and in the exact value's bucket. */
        if (llabs(q - exact) > (int64_t)ldexp((double)exact, -(SIM_HIST_SUB_BITS + 1)) ||
            sim_hist_bucket(q) != sim_hist_bucket(exact))
            fail_msg("p = %g: quantile %lld, exact %lld", (double)ks[i] / 1000.0, (long long)q,
                     (long long)exact);
    }
    assert_int_equal(sim_hist_quantile(&h, 0.0), 1);
    assert_int_equal(sim_hist_quantile(&h, 0.000001), 1);
    assert_int_equal(sim_hist_quantile(&h, 1.0), N);
    /* Rank N - 1 is not the maximum: a bucket midpoint. */
    assert_int_equal(sim_hist_bucket(sim_hist_quantile(&h, 0.99999)), sim_hist_bucket(N - 1));
}

static void test_hist_extremes_and_merge(void **state)
{
    static sim_hist a, b, c, all;
    sim_hist_init(&a);
    sim_hist_init(&b);
    sim_hist_init(&c);
    sim_hist_init(&all);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 3);
    for (int i = 0; i < 30000; i++) {
        int64_t v = 17 + (int64_t)(gsl_ran_lognormal(rng, 12, 2)); /* heavy right tail */
        sim_hist_add(i % 3 == 0 ? &a : &b, v);
        sim_hist_add(&all, v);
    }
    sim_hist_add(&b, 123456789);
    sim_hist_add(&all, 123456789);
    sim_hist_add(&a, 17);
    sim_hist_add(&all, 17);

    /* p = 0 and p = 1 are the tracked min and max, not bucket midpoints. */
    assert_int_equal(sim_hist_quantile(&all, 0.0), all.min);
    assert_int_equal(sim_hist_quantile(&all, 1.0), all.max);
    assert_true(all.max >= 123456789);
    assert_int_equal(all.min, 17);

    sim_hist_merge(&c, &a); /* into empty */
    sim_hist_merge(&c, &b);
    sim_hist empty;
    sim_hist_init(&empty);
    sim_hist_merge(&c, &empty);
    assert_memory_equal(&c, &all, sizeof c);
    gsl_rng_free(rng);
}

/* ---- time average ---- */

static void test_timeavg_step_function(void **state)
{
    sim_timeavg t;
    sim_timeavg_init(&t);
    sim_timeavg_set(&t, 0, 2);  /* before the window: not counted */
    sim_timeavg_set(&t, 5, 9);
    sim_timeavg_set(&t, 8, 2);
    sim_timeavg_open(&t, 10);   /* level 2 from 10 */
    assert_int_equal(t.max, 2);
    sim_timeavg_set(&t, 20, 5); /* 2 x 10 = 20 */
    sim_timeavg_set(&t, 26, 1); /* 5 x 6 = 30 */
    /* Still open: mean up to the last change, (20 + 30) / 16. */
    assert_double_rel(sim_timeavg_mean(&t), 50.0 / 16.0, 1e-15);
    sim_timeavg_close(&t, 40);  /* 1 x 14 = 14 */
    assert_double_rel(sim_timeavg_mean(&t), 64.0 / 30.0, 1e-15);
    assert_int_equal(t.max, 5); /* 9 was before the window */
    sim_timeavg_set(&t, 50, 100); /* after close: tracked, not counted */
    assert_double_rel(sim_timeavg_mean(&t), 64.0 / 30.0, 1e-15);
    assert_int_equal(t.max, 5);
    assert_int_equal(t.level, 100);

    /* Reopen: starts from the current level. */
    sim_timeavg_open(&t, 60);
    assert_int_equal(t.max, 100);
    sim_timeavg_set(&t, 64, 0); /* 100 x 4 */
    sim_timeavg_close(&t, 80);  /* 0 x 16 */
    assert_double_rel(sim_timeavg_mean(&t), 400.0 / 20.0, 1e-15);

    /* Empty window. */
    sim_timeavg_init(&t);
    assert_double_near(sim_timeavg_mean(&t), 0.0, 0.0);
}

/* ---- confidence interval ---- */

/* A trend: window means on a line are fitted exactly (slope per microsecond, R^2 = 1); values
 * outside the period are ignored; a spike in the last window alone explains R^2 = 3/17 of the
 * variation; merging adds windows; fewer than 3 windows make no fit. */
static void test_trend_fit(void **state)
{
    (void)state;
    sim_trend t, u;
    sim_trend_init(&t, 1000000, 1000000 + 16 * 1000000); /* 16 windows of 1 s from t = 1 s */
    for (int i = 0; i < 16; i++) {
        sim_time_us at = 1000000 + i * 1000000 + 250000;
        sim_trend_add(&t, at, 2.0 + 0.5 * i - 0.25); /* mean of window i: 2 + 0.5 i */
        sim_trend_add(&t, at + 500000, 2.0 + 0.5 * i + 0.25);
    }
    sim_trend_add(&t, 999999, 1e9);   /* before the period */
    sim_trend_add(&t, 17000000, 1e9); /* at its end: outside */
    double slope, r2;
    assert_int_equal(sim_trend_fit(&t, &slope, &r2), 16);
    assert_double_near(slope * 1e6, 0.5, 1e-12);
    assert_double_near(r2, 1.0, 1e-12);

    sim_trend_init(&u, 0, 16);
    for (int i = 0; i < 16; i++) sim_trend_add(&u, i, i == 15 ? 1.0 : 0.0);
    assert_int_equal(sim_trend_fit(&u, &slope, &r2), 16);
    assert_double_near(r2, 3.0 / 17.0, 1e-12); /* 3 / (windows + 1) */

    sim_trend v;
    sim_trend_init(&v, 0, 16);
    sim_trend_add(&v, 0, 1.0);
    sim_trend_add(&v, 5, 1.0);
    assert_int_equal(sim_trend_fit(&v, &slope, &r2), 2);
    assert_double_near(slope, 0.0, 0.0);
    sim_trend_merge(&v, &u);
    assert_int_equal((int)v.n[0], 2);
    assert_double_near(v.sum[15], 1.0, 0.0);
}

static void test_ci_halfwidth(void **state)
{
    static const double x[] = {1, 2, 3, 4, 5};
    /* mean 3, s^2 = (4 + 1 + 0 + 1 + 4) / 4 = 2.5, t(0.975, 4) = 2.7764451051977987 */
    assert_double_near(gsl_cdf_tdist_Pinv(0.975, 4), 2.7764451051977987, 1e-12);
    double want = 2.7764451051977987 * sqrt(2.5) / sqrt(5.0);
    assert_double_rel(sim_ci_halfwidth(x, 5, 0.95), want, 1e-12);
    assert_double_rel(sim_mean(x, 5), 3.0, 1e-15);
    /* 90 %: t(0.95, 4) = 2.1318467863266499 */
    assert_double_rel(sim_ci_halfwidth(x, 5, 0.90), 2.1318467863266499 * sqrt(0.5), 1e-12);
    assert_double_near(sim_ci_halfwidth(x, 1, 0.95), 0.0, 0.0);
    assert_double_near(sim_ci_halfwidth(x, 0, 0.95), 0.0, 0.0);
    assert_double_near(sim_mean(x, 0), 0.0, 0.0);
    static const double same[] = {4, 4, 4};
    assert_double_near(sim_ci_halfwidth(same, 3, 0.95), 0.0, 0.0);
}

int main(void)
{
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moments_match_two_pass_and_merge),
        cmocka_unit_test(test_moments_small_cases),
        cmocka_unit_test(test_hist_small_values_are_exact),
        cmocka_unit_test(test_hist_buckets_tile_the_range),
        cmocka_unit_test(test_hist_bucket_contains_value),
        cmocka_unit_test(test_hist_quantiles_of_known_data),
        cmocka_unit_test(test_hist_extremes_and_merge),
        cmocka_unit_test(test_timeavg_step_function),
        cmocka_unit_test(test_ci_halfwidth),
        cmocka_unit_test(test_trend_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
