/* tests/unit/test_dist.c — every distribution against its exact law.
 *
 * For each law: the mean of N draws must be within 4 standard errors of sim_dist_mean, the
 * standard error coming from the variance computed here analytically from the test's own
 * parameters; the empirical median and p90 must satisfy |F(q) - p| < 4 sqrt(p(1-p)/N) with F
 * taken from GSL directly (F(sample quantile) is Beta-distributed with that standard deviation);
 * and sim_dist_quantile/cdf must equal GSL's gsl_cdf_* for the same parameters. Fixed seeds, so
 * a pass is reproducible; 4 sigma so a correct sampler fails with probability ~1e-4. */
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include <gsl/gsl_cdf.h>

#include "sim/dist.h"
#include "sim/error.h"
#include "sim/rng.h"

enum { N = 200000 };

typedef struct law {
    const char *name;
    double var;                      /* analytic variance */
    double (*cdf)(double x, const double *prm);
    double (*inv)(double p, const double *prm);
    double prm[2];                   /* GSL parameters, derived in the test */
} law;

static double cdf_exp(double x, const double *p) { return gsl_cdf_exponential_P(x, p[0]); }
static double inv_exp(double q, const double *p) { return gsl_cdf_exponential_Pinv(q, p[0]); }
static double cdf_lgn(double x, const double *p) { return gsl_cdf_lognormal_P(x, p[0], p[1]); }
static double inv_lgn(double q, const double *p) { return gsl_cdf_lognormal_Pinv(q, p[0], p[1]); }
static double cdf_flat(double x, const double *p) { return gsl_cdf_flat_P(x, p[0], p[1]); }
static double inv_flat(double q, const double *p) { return gsl_cdf_flat_Pinv(q, p[0], p[1]); }
static double cdf_gam(double x, const double *p) { return gsl_cdf_gamma_P(x, p[0], p[1]); }
static double inv_gam(double q, const double *p) { return gsl_cdf_gamma_Pinv(q, p[0], p[1]); }
static double cdf_par(double x, const double *p) { return gsl_cdf_pareto_P(x, p[0], p[1]); }
static double inv_par(double q, const double *p) { return gsl_cdf_pareto_Pinv(q, p[0], p[1]); }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank empirical quantile of sorted data. */
static double sorted_quantile(const double *s, size_t n, double p)
{
    size_t k = (size_t)ceil(p * (double)n);
    if (k < 1) k = 1;
    return s[k - 1];
}

static void check_law(const sim_dist *d, const law *L, uint32_t rep)
{
    sim_rng rng_state, *rng = &rng_state;
    sim_rng_seed(rng, 31337, rep, L->name);
    double *x = malloc(N * sizeof *x);
    double sum = 0.0;
    for (size_t i = 0; i < N; i++) {
        x[i] = sim_dist_sample(d, rng);
        sum += x[i];
    }
    double mean = sim_dist_mean(d);
    print_message("%s: sample mean %.6g, mean %.6g, 4 SE %.3g\n", L->name, sum / N, mean,
                  4.0 * sqrt(L->var / N));
    assert_double_near(sum / N, mean, 4.0 * sqrt(L->var / N));

    qsort(x, N, sizeof *x, cmp_double);
    assert_true(x[0] >= 0.0); /* every law of the format is non-negative */
    static const double ps[] = {0.5, 0.9};
    for (int i = 0; i < 2; i++) {
        double p = ps[i];
        double q = sorted_quantile(x, N, p);
        assert_double_near(L->cdf(q, L->prm), p, 4.0 * sqrt(p * (1 - p) / N));
    }

    /* Same numbers as GSL's own CDF and inverse, and mutually consistent. */
    static const double qs[] = {0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999};
    for (int i = 0; i < 9; i++) {
        double want = L->inv(qs[i], L->prm);
        assert_double_rel(sim_dist_quantile(d, qs[i]), want, 1e-13);
        assert_double_rel(sim_dist_cdf(d, want), L->cdf(want, L->prm), 1e-13);
        assert_double_near(sim_dist_cdf(d, sim_dist_quantile(d, qs[i])), qs[i], 1e-9);
    }
    assert_true(isnan(sim_dist_quantile(d, -0.1)));
    assert_true(isnan(sim_dist_quantile(d, 1.1)));
    free(x);
}

static void test_exponential(void **state)
{
    const double m = 2.5;
    sim_dist d;
    assert_int_equal(sim_dist_exponential(&d, m), SIM_OK);
    assert_double_rel(sim_dist_mean(&d), m, 1e-15);
    law L = {"exponential", m * m, cdf_exp, inv_exp, {m, 0}};
    check_law(&d, &L, 1);
}

static void test_lognormal_sigma(void **state)
{
    const double median = 0.2, s = 0.8, mu = log(median);
    sim_dist d;
    assert_int_equal(sim_dist_lognormal_sigma(&d, median, s), SIM_OK);
    assert_double_rel(sim_dist_mean(&d), exp(mu + s * s / 2), 1e-14);
    law L = {"lognormal", (exp(s * s) - 1) * exp(2 * mu + s * s), cdf_lgn, inv_lgn, {mu, s}};
    check_law(&d, &L, 2);
    assert_double_rel(sim_dist_quantile(&d, 0.5), median, 1e-14);
}

static void test_lognormal_p99(void **state)
{
    const double median = 1.3, p99 = 5.0;
    sim_dist d;
    assert_int_equal(sim_dist_lognormal_p99(&d, median, p99), SIM_OK);
    assert_double_rel(sim_dist_quantile(&d, 0.99), p99, 1e-12);
    assert_double_rel(sim_dist_quantile(&d, 0.5), median, 1e-14);
    /* z_0.99 = 2.3263478740408408 (standard normal table). */
    const double s = log(p99 / median) / 2.3263478740408408, mu = log(median);
    assert_double_rel(d.b, s, 1e-12);
    law L = {"lognormal_p99", (exp(s * s) - 1) * exp(2 * mu + s * s), cdf_lgn, inv_lgn, {mu, s}};
    check_law(&d, &L, 3);
}

static void test_uniform(void **state)
{
    const double a = 2.0, b = 7.0;
    sim_dist d;
    assert_int_equal(sim_dist_uniform(&d, a, b), SIM_OK);
    assert_double_rel(sim_dist_mean(&d), 4.5, 1e-15);
    law L = {"uniform", (b - a) * (b - a) / 12, cdf_flat, inv_flat, {a, b}};
    check_law(&d, &L, 4);
}

static void test_gamma(void **state)
{
    const double mean = 3.0, cv = 0.5;
    const double k = 1 / (cv * cv), theta = mean * cv * cv; /* k = 4, theta = 0.75 */
    sim_dist d;
    assert_int_equal(sim_dist_gamma_mean_cv(&d, mean, cv), SIM_OK);
    assert_double_rel(sim_dist_mean(&d), mean, 1e-14);
    law L = {"gamma", k * theta * theta, cdf_gam, inv_gam, {k, theta}};
    check_law(&d, &L, 5);

    /* cv > 1 (shape < 1) takes a different sampling branch (Gamma(k + 1) U^(1/k)). */
    const double cv2 = 1.6, k2 = 1 / (cv2 * cv2), t2 = mean * cv2 * cv2;
    assert_int_equal(sim_dist_gamma_mean_cv(&d, mean, cv2), SIM_OK);
    law L2 = {"gamma_cv_gt_1", k2 * t2 * t2, cdf_gam, inv_gam, {k2, t2}};
    check_law(&d, &L2, 6);
}

static void test_pareto(void **state)
{
    const double xm = 1.5, alpha = 4.0; /* alpha > 2: finite variance for the mean test */
    sim_dist d;
    assert_int_equal(sim_dist_pareto(&d, xm, alpha), SIM_OK);
    assert_double_rel(sim_dist_mean(&d), alpha * xm / (alpha - 1), 1e-15);
    double var = xm * xm * alpha / ((alpha - 1) * (alpha - 1) * (alpha - 2));
    law L = {"pareto", var, cdf_par, inv_par, {alpha, xm}};
    check_law(&d, &L, 7);
    assert_double_rel(sim_dist_quantile(&d, 0.0), xm, 1e-15);

    /* No mean for alpha <= 1. */
    assert_int_equal(sim_dist_pareto(&d, xm, 1.0), SIM_OK);
    assert_true(isinf(sim_dist_mean(&d)) && sim_dist_mean(&d) > 0);
    assert_int_equal(sim_dist_pareto(&d, xm, 0.5), SIM_OK);
    assert_true(isinf(sim_dist_mean(&d)));
}

static void test_constants_and_degenerate_laws(void **state)
{
    sim_rng rng_state, *rng = &rng_state;
    sim_rng_seed(rng, 1, 0, "constant");
    sim_dist c, u, l;
    assert_int_equal(sim_dist_constant(&c, 0.75), SIM_OK);
    assert_int_equal(sim_dist_uniform(&u, 0.75, 0.75), SIM_OK);
    assert_int_equal(sim_dist_lognormal_sigma(&l, 0.75, 0.0), SIM_OK);
    const sim_dist *ds[] = {&c, &u, &l};
    for (int i = 0; i < 3; i++) {
        const sim_dist *d = ds[i];
        for (int k = 0; k < 100; k++) assert_double_rel(sim_dist_sample(d, rng), 0.75, 1e-15);
        assert_double_rel(sim_dist_mean(d), 0.75, 1e-15);
        assert_double_near(sim_dist_cdf(d, 0.7499), 0.0, 0.0);
        assert_double_near(sim_dist_cdf(d, 0.75), 1.0, 0.0);
        assert_double_near(sim_dist_cdf(d, 1e9), 1.0, 0.0);
        assert_double_rel(sim_dist_quantile(d, 0.0), 0.75, 1e-15);
        assert_double_rel(sim_dist_quantile(d, 0.5), 0.75, 1e-15);
        assert_double_rel(sim_dist_quantile(d, 1.0), 0.75, 1e-15);
        assert_false(isnan(sim_dist_cdf(d, 0.75)));
        assert_true(sim_dist_is_constant(d));
    }
    sim_dist e;
    assert_int_equal(sim_dist_exponential(&e, 1.0), SIM_OK);
    assert_false(sim_dist_is_constant(&e));
    assert_int_equal(sim_dist_uniform(&e, 0.5, 0.75), SIM_OK);
    assert_false(sim_dist_is_constant(&e));
    assert_int_equal(sim_dist_lognormal_sigma(&e, 0.75, 0.1), SIM_OK);
    assert_false(sim_dist_is_constant(&e));
    assert_int_equal(sim_dist_constant(&c, 0.0), SIM_OK);
    assert_double_near(sim_dist_sample(&c, rng), 0.0, 0.0);
}

static void test_empirical(void **state)
{
    static const double v[] = {1, 2, 2, 5, 10};
    sim_dist d;
    assert_int_equal(sim_dist_empirical(&d, v, 5), SIM_OK);
    assert_ptr_equal(d.values, v); /* borrowed */
    assert_double_rel(sim_dist_mean(&d), 4.0, 1e-15);

    /* Empirical CDF: fraction of values <= x. */
    assert_double_near(sim_dist_cdf(&d, 0.5), 0.0, 0.0);
    assert_double_near(sim_dist_cdf(&d, 1.0), 0.2, 1e-15);
    assert_double_near(sim_dist_cdf(&d, 1.5), 0.2, 1e-15);
    assert_double_near(sim_dist_cdf(&d, 2.0), 0.6, 1e-15);
    assert_double_near(sim_dist_cdf(&d, 9.99), 0.8, 1e-15);
    assert_double_near(sim_dist_cdf(&d, 10.0), 1.0, 0.0);

    /* Nearest rank: values[ceil(p n) - 1], rank at least 1. */
    static const struct { double p, q; } nr[] = {
        {0.0, 1}, {0.1, 1}, {0.2, 1}, {0.21, 2}, {0.4, 2}, {0.6, 2}, {0.61, 5},
        {0.8, 5}, {0.81, 10}, {0.9, 10}, {1.0, 10},
    };
    for (size_t i = 0; i < sizeof nr / sizeof nr[0]; i++)
        assert_double_near(sim_dist_quantile(&d, nr[i].p), nr[i].q, 0.0);

    /* Each of the 5 values drawn with probability 1/5: per-value counts within 4 binomial SE,
     * and the sample mean within 4 SE (variance E[X^2] - 16 = 26.8 - 16). */
    sim_rng rng_state, *rng = &rng_state;
    sim_rng_seed(rng, 5, 0, "empirical");
    size_t count[5] = {0};
    double sum = 0;
    for (size_t i = 0; i < N; i++) {
        double x = sim_dist_sample(&d, rng);
        sum += x;
        if (x == 1) count[0]++;
        else if (x == 2) count[1]++;
        else if (x == 5) count[3]++;
        else if (x == 10) count[4]++;
        else fail_msg("sampled a value not in the table: %g", x);
    }
    double se = sqrt(N * 0.2 * 0.8);
    assert_double_near((double)count[0], N * 0.2, 4 * se);
    assert_double_near((double)count[1], N * 0.4, 4 * sqrt(N * 0.4 * 0.6));
    assert_double_near((double)count[3], N * 0.2, 4 * se);
    assert_double_near((double)count[4], N * 0.2, 4 * se);
    assert_double_near(sum / N, 4.0, 4 * sqrt(10.8 / N));

    /* A one-value table is a constant. */
    static const double one[] = {3.5};
    assert_int_equal(sim_dist_empirical(&d, one, 1), SIM_OK);
    assert_double_near(sim_dist_sample(&d, rng), 3.5, 0.0);
    assert_double_near(sim_dist_quantile(&d, 0.99), 3.5, 0.0);
}

static void test_constructor_range_errors(void **state)
{
    sim_dist d, sentinel;
    memset(&sentinel, 0xab, sizeof sentinel);
    static const double unsorted[] = {1, 3, 2}, negative[] = {-1, 2}, withnan[] = {1, NAN};
#define EXPECT_RANGE(call)                                     \
    do {                                                       \
        d = sentinel;                                          \
        assert_int_equal((call), SIM_ERANGE);                  \
        assert_memory_equal(&d, &sentinel, sizeof d);          \
    } while (0)
    EXPECT_RANGE(sim_dist_constant(&d, -1));
    EXPECT_RANGE(sim_dist_constant(&d, NAN));
    EXPECT_RANGE(sim_dist_constant(&d, INFINITY));
    EXPECT_RANGE(sim_dist_exponential(&d, 0));
    EXPECT_RANGE(sim_dist_exponential(&d, -2));
    EXPECT_RANGE(sim_dist_exponential(&d, NAN));
    EXPECT_RANGE(sim_dist_lognormal_sigma(&d, 0, 1));
    EXPECT_RANGE(sim_dist_lognormal_sigma(&d, 1, -0.1));
    EXPECT_RANGE(sim_dist_lognormal_sigma(&d, 1, NAN));
    EXPECT_RANGE(sim_dist_lognormal_p99(&d, 0, 1));
    EXPECT_RANGE(sim_dist_lognormal_p99(&d, 2, 2));
    EXPECT_RANGE(sim_dist_lognormal_p99(&d, 2, 1));
    EXPECT_RANGE(sim_dist_lognormal_p99(&d, 2, INFINITY));
    EXPECT_RANGE(sim_dist_uniform(&d, -1, 1));
    EXPECT_RANGE(sim_dist_uniform(&d, 2, 1));
    EXPECT_RANGE(sim_dist_uniform(&d, 0, INFINITY));
    EXPECT_RANGE(sim_dist_gamma_mean_cv(&d, 0, 1));
    EXPECT_RANGE(sim_dist_gamma_mean_cv(&d, 1, 0));
    EXPECT_RANGE(sim_dist_gamma_mean_cv(&d, -1, 1));
    EXPECT_RANGE(sim_dist_pareto(&d, 0, 2));
    EXPECT_RANGE(sim_dist_pareto(&d, 1, 0));
    EXPECT_RANGE(sim_dist_pareto(&d, 1, -3));
    EXPECT_RANGE(sim_dist_empirical(&d, NULL, 3));
    EXPECT_RANGE(sim_dist_empirical(&d, unsorted, 0));
    EXPECT_RANGE(sim_dist_empirical(&d, unsorted, 3));
    EXPECT_RANGE(sim_dist_empirical(&d, negative, 2));
    EXPECT_RANGE(sim_dist_empirical(&d, withnan, 2));
#undef EXPECT_RANGE
    /* Boundary values that are allowed. */
    assert_int_equal(sim_dist_constant(&d, 0), SIM_OK);
    assert_int_equal(sim_dist_uniform(&d, 0, 0), SIM_OK);
    assert_int_equal(sim_dist_lognormal_sigma(&d, 1, 0), SIM_OK);
    assert_int_equal(sim_dist_empirical(&d, unsorted, 2), SIM_OK); /* {1, 3} is sorted */
}

int main(void)
{
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exponential),
        cmocka_unit_test(test_lognormal_sigma),
        cmocka_unit_test(test_lognormal_p99),
        cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_gamma),
        cmocka_unit_test(test_pareto),
        cmocka_unit_test(test_constants_and_degenerate_laws),
        cmocka_unit_test(test_empirical),
        cmocka_unit_test(test_constructor_range_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
