/* tests/unit/test_rng.c — reproducibility and independence of the random streams, and the laws
 * of the fast samplers.
 *
 * The seed formula and the generator are part of the reproducibility contract (SIM_RNG_NAME),
 * so they are re-implemented here from their documentation in sim/rng.c (independently of that
 * code) and checked, together with the published test vectors of their building blocks:
 * FNV-1a-64, splitmix64 and xoshiro256**. The ziggurat tables are checked against their
 * defining invariants, and the exponential and normal samplers against their exact laws
 * (chi-square over 1,000 equiprobable bins, moments, and the tails, where a ziggurat's special
 * cases live), at 4 million draws each. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include <gsl/gsl_cdf.h>

#include "sim/error.h"
#include "sim/rng.h"

/* ---- independent implementation of the documented formula ---- */

/* splitmix64's generator: state += golden gamma, then the output mix of the new state. */
static uint64_t ref_splitmix64_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t ref_mix(uint64_t x)
{
    uint64_t state = x;
    return ref_splitmix64_next(&state);
}

static uint64_t ref_fnv1a64(const char *s)
{
    uint64_t h = 14695981039346656037ull; /* 0xcbf29ce484222325 */
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
    return h;
}

static uint64_t ref_derive(uint64_t seed, uint32_t rep, const char *stream)
{
    return ref_mix(ref_mix(ref_mix(seed) ^ rep) ^ ref_fnv1a64(stream));
}

static void test_reference_building_blocks_match_published_vectors(void **state)
{
    /* FNV-1a-64 vectors (Fowler/Noll/Vo test suite). */
    assert_true(ref_fnv1a64("") == 0xcbf29ce484222325ull);
    assert_true(ref_fnv1a64("a") == 0xaf63dc4c8601ec8cull);
    assert_true(ref_fnv1a64("foobar") == 0x85944171f73967e8ull);
    /* splitmix64 from state 0 (the reference seeding sequence of xoshiro/xorshift). */
    uint64_t s = 0;
    assert_true(ref_splitmix64_next(&s) == 0xe220a8397b1dcdafull);
    assert_true(ref_splitmix64_next(&s) == 0x6e789e6aa1b965f4ull);
    assert_true(ref_splitmix64_next(&s) == 0x06c45d188009454full);
}

static void test_derived_seed_is_the_documented_formula(void **state)
{
    static const struct {
        uint64_t seed;
        uint32_t rep;
        const char *stream;
    } cases[] = {
        {0, 0, ""},
        {1, 0, "arrivals"},
        {1, 1, "arrivals"},
        {42, 7, "cold_start"},
        {0xffffffffffffffffull, 0xffffffffu, "keep_alive"},
        {20240601, 123456, "sizes"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t got = sim_rng_derive_seed(cases[i].seed, cases[i].rep, cases[i].stream);
        uint64_t want = ref_derive(cases[i].seed, cases[i].rep, cases[i].stream);
        if (got != want) {
            print_error("case %zu: got %016llx, want %016llx\n", i, (unsigned long long)got,
                        (unsigned long long)want);
            fail();
        }
    }
    /* Spot value by hand through the blocks whose vectors were checked above. */
    assert_true(sim_rng_derive_seed(0, 0, "") ==
                ref_mix(ref_mix(0xe220a8397b1dcdafull) ^ 0xcbf29ce484222325ull));
}

/* ---- the generator: xoshiro256** seeded by splitmix64 from the derived seed ---- */

static uint64_t ref_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* Blackman & Vigna's reference xoshiro256** (prng.di.unimi.it/xoshiro256starstar.c). */
static uint64_t ref_xoshiro_next(uint64_t s[4])
{
    const uint64_t result = ref_rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ref_rotl(s[3], 45);
    return result;
}

static void test_xoshiro_matches_reference_vector(void **state)
{
    /* From the state {1, 2, 3, 4}: the test vector of the reference implementation, as also
     * used by the rand_xoshiro crate. */
    static const uint64_t want[10] = {
        11520u, 0u, 1509978240u, 1215971899390074240u, 1216172134540287360u,
        607988272756665600u, 16172922978634559625u, 8476171486693032832u,
        10595114339597558777u, 2904607092377533576u,
    };
    sim_rng r = {{1, 2, 3, 4}};
    uint64_t ref[4] = {1, 2, 3, 4};
    for (int i = 0; i < 10; i++) {
        assert_true(sim_rng_next(&r) == want[i]);
        assert_true(ref_xoshiro_next(ref) == want[i]);
    }
    assert_string_equal(SIM_RNG_NAME, "xoshiro256**-v1");
}

static void test_stream_is_seeded_by_splitmix_from_derived_seed(void **state)
{
    sim_rng r;
    sim_rng_seed(&r, 99, 3, "work");
    uint64_t sm = ref_derive(99, 3, "work");
    uint64_t ref[4];
    for (int i = 0; i < 4; i++) ref[i] = ref_splitmix64_next(&sm);
    for (int i = 0; i < 4; i++) assert_true(r.s[i] == ref[i]);
    for (int i = 0; i < 1000; i++) assert_true(sim_rng_next(&r) == ref_xoshiro_next(ref));
    /* Pinned: the first output of a stream (the contract SIM_RNG_NAME). */
    sim_rng_seed(&r, 1, 0, "workload.arrivals");
    uint64_t first = sim_rng_next(&r);
    print_message("first output of (1, 0, workload.arrivals): %016llx\n", (unsigned long long)first);
    sm = ref_derive(1, 0, "workload.arrivals");
    for (int i = 0; i < 4; i++) ref[i] = ref_splitmix64_next(&sm);
    assert_true(first == ref_xoshiro_next(ref));
}

static void test_uniforms_are_in_range(void **state)
{
    sim_rng r;
    sim_rng_seed(&r, 5, 0, "u");
    double lo = 1, hi = 0;
    for (int i = 0; i < 1000000; i++) {
        double u = sim_rng_uniform(&r), p = sim_rng_uniform_pos(&r);
        assert_true(u >= 0.0 && u < 1.0);
        assert_true(p > 0.0 && p < 1.0);
        if (u < lo) lo = u;
        if (u > hi) hi = u;
    }
    assert_true(lo < 1e-5 && hi > 1 - 1e-5);
    /* The extremes the formulas can reach. */
    sim_rng zero = {{0, 0, 0, 0}}; /* an invalid state, only to reach output 0 */
    assert_double_near(sim_rng_uniform(&zero), 0.0, 0.0);
    assert_double_near(sim_rng_uniform_pos(&zero), 0x1p-54, 0.0);
}

/* Unbiased integers: with n = 3 x 2^62, a plain 64-bit modulo would put half of the draws
 * below 2^62 instead of a third. Each of n = 7's values within 4 binomial SE of 1/7. */
static void test_uniform_int_is_unbiased(void **state)
{
    sim_rng r;
    sim_rng_seed(&r, 11, 0, "int");
    const int n = 700000;
    const uint64_t big = UINT64_C(3) << 62;
    int below = 0, count[7] = {0};
    for (int i = 0; i < n; i++) {
        uint64_t x = sim_rng_uniform_int(&r, big);
        assert_true(x < big);
        below += x < (UINT64_C(1) << 62);
        uint64_t k = sim_rng_uniform_int(&r, 7);
        assert_true(k < 7);
        count[k]++;
    }
    assert_double_near((double)below / n, 1.0 / 3.0, 4 * sqrt(2.0 / 9.0 / n));
    for (int k = 0; k < 7; k++)
        assert_double_near((double)count[k], n / 7.0, 4 * sqrt(n * (1.0 / 7) * (6.0 / 7)));
    assert_true(sim_rng_uniform_int(&r, 1) == 0);
}

/* ---- the ziggurat tables: the invariants of scripts/gen_ziggurat.c ---- */

typedef struct zig {
    const char *name;
    const uint64_t *k;
    const double *w, *f;
    double r;
    int bits;
    double (*dens)(double);
    double tail; /* integral of the density beyond r */
} zig;

static double dens_exp(double x) { return exp(-x); }
static double dens_nor(double x) { return exp(-0.5 * x * x); }

static void check_zig(const zig *z)
{
    double m = ldexp(1.0, z->bits);
    double v = z->r * z->dens(z->r) + z->tail; /* the area of every layer */
    assert_double_rel(z->w[255] * m, z->r, 1e-15);
    assert_double_rel(z->w[0] * m * z->dens(z->r), v, 1e-14); /* base strip plus tail */
    assert_double_near(z->f[0], 1.0, 0.0);
    for (int i = 1; i < 256; i++) {
        double x = z->w[i] * m, xprev = i > 1 ? z->w[i - 1] * m : 0.0;
        assert_true(x > xprev);
        assert_double_rel(z->f[i], z->dens(x), 1e-14);
        assert_double_rel(x * (z->f[i - 1] - z->f[i]), v, 1e-9);
        if (i > 1) {
            double k = floor(m * xprev / x);
            assert_true(fabs((double)z->k[i] - k) <= 2.0);
        }
    }
    assert_true(z->k[1] == 0);
    assert_true(fabs((double)z->k[0] - floor(m * z->r / (z->w[0] * m))) <= 2.0);
    print_message("%s ziggurat: r = %.17g, layer area %.17g\n", z->name, z->r, v);
}

static void test_ziggurat_tables(void **state)
{
    zig e = {"exponential", sim_rng_zig_exp_k_, sim_rng_zig_exp_w_, sim_rng_zig_exp_f_,
             sim_rng_zig_exp_r_, 53, dens_exp, exp(-sim_rng_zig_exp_r_)};
    zig n = {"normal", sim_rng_zig_nor_k_, sim_rng_zig_nor_w_, sim_rng_zig_nor_f_,
             sim_rng_zig_nor_r_, 52, dens_nor,
             sqrt(acos(-1.0) / 2) * erfc(sim_rng_zig_nor_r_ / sqrt(2.0))};
    check_zig(&e);
    check_zig(&n);
    /* Marsaglia & Tsang's published constants for 256 layers. */
    assert_double_rel(sim_rng_zig_exp_r_, 7.69711747013104972, 1e-15);
    assert_double_rel(sim_rng_zig_nor_r_, 3.6541528853610088, 1e-15);
}

/* ---- the samplers' laws, tails included ---- */

enum { LAW_N = 4000000, LAW_BINS = 1000 };

/* Chi-square of LAW_BINS equiprobable bins (bin = floor(B F(x))) with B - 1 degrees of freedom:
 * mean B - 1, sd sqrt(2 (B - 1)); the bound is 5 sd (a correct sampler fails ~1e-6). */
static void assert_chi2_ok(const char *what, const unsigned *count)
{
    double e = (double)LAW_N / LAW_BINS, chi2 = 0;
    for (int b = 0; b < LAW_BINS; b++) chi2 += ((double)count[b] - e) * ((double)count[b] - e) / e;
    double df = LAW_BINS - 1, bound = df + 5 * sqrt(2 * df);
    print_message("%s: chi2 %.1f over %d bins (bound %.1f)\n", what, chi2, LAW_BINS, bound);
    assert_true(chi2 < bound);
}

/* A count of events of probability p among LAW_N within 4 binomial SE. */
static void assert_count_ok(const char *what, double count, double p)
{
    double e = LAW_N * p, se = sqrt(LAW_N * p * (1 - p));
    print_message("%s: %.0f (expected %.1f, se %.1f)\n", what, count, e, se);
    assert_double_near(count, e, 4 * se);
}

static void test_exponential_sampler_law(void **state)
{
    sim_rng r;
    sim_rng_seed(&r, 2026, 0, "exponential law");
    unsigned *count = calloc(LAW_BINS, sizeof *count);
    double sum = 0, sum2 = 0, tail_n = 0, tail_excess = 0, far = 0;
    const double rz = sim_rng_zig_exp_r_;
    for (int i = 0; i < LAW_N; i++) {
        double x = sim_rng_exponential(&r);
        assert_true(x >= 0.0 && isfinite(x));
        sum += x;
        sum2 += x * x;
        int b = (int)(-expm1(-x) * LAW_BINS);
        count[b < LAW_BINS ? b : LAW_BINS - 1]++;
        if (x > rz) {
            tail_n++;
            tail_excess += x - rz;
        }
        far += x > 12.0;
    }
    assert_chi2_ok("exponential", count);
    /* Mean 1 (variance 1), second moment 2 (variance of x^2: 24 - 4 = 20). */
    assert_double_near(sum / LAW_N, 1.0, 4 / sqrt((double)LAW_N));
    assert_double_near(sum2 / LAW_N, 2.0, 4 * sqrt(20.0 / LAW_N));
    /* The tail algorithm: P(X > r) = e^-r, and beyond r it is memoryless (excess mean 1). */
    assert_count_ok("exponential beyond r", tail_n, exp(-rz));
    assert_double_near(tail_excess / tail_n, 1.0, 4 / sqrt(tail_n));
    assert_count_ok("exponential beyond 12", far, exp(-12.0));
    free(count);
}

static void test_normal_sampler_law(void **state)
{
    sim_rng r;
    sim_rng_seed(&r, 2026, 0, "normal law");
    unsigned *count = calloc(LAW_BINS, sizeof *count);
    double sum = 0, sum2 = 0, sum4 = 0, tail_hi = 0, tail_lo = 0, far = 0, negative = 0;
    const double rz = sim_rng_zig_nor_r_;
    for (int i = 0; i < LAW_N; i++) {
        double x = sim_rng_normal(&r);
        assert_true(isfinite(x));
        sum += x;
        sum2 += x * x;
        sum4 += x * x * x * x;
        int b = (int)(gsl_cdf_ugaussian_P(x) * LAW_BINS);
        count[b < LAW_BINS ? b : LAW_BINS - 1]++;
        tail_hi += x > rz;
        tail_lo += x < -rz;
        far += fabs(x) > 4.5;
        negative += x < 0;
    }
    assert_chi2_ok("normal", count);
    /* Moments: E X = 0 (var 1), E X^2 = 1 (var 2), E X^4 = 3 (var 105 - 9 = 96). */
    assert_double_near(sum / LAW_N, 0.0, 4 / sqrt((double)LAW_N));
    assert_double_near(sum2 / LAW_N, 1.0, 4 * sqrt(2.0 / LAW_N));
    assert_double_near(sum4 / LAW_N, 3.0, 4 * sqrt(96.0 / LAW_N));
    assert_count_ok("normal below 0", negative, 0.5);
    /* Both tails beyond r come from the tail algorithm. */
    double p_tail = gsl_cdf_ugaussian_Q(rz);
    assert_count_ok("normal above r", tail_hi, p_tail);
    assert_count_ok("normal below -r", tail_lo, p_tail);
    assert_count_ok("normal beyond 4.5", far, 2 * gsl_cdf_ugaussian_Q(4.5));
    free(count);
}

/* Number of positions where two streams give the same 64-bit output (~n / 2^64 by chance). */
static int count_equal_draws(sim_rng *a, sim_rng *b, int n)
{
    int eq = 0;
    for (int i = 0; i < n; i++) eq += sim_rng_next(a) == sim_rng_next(b);
    return eq;
}

static sim_rng stream(uint64_t seed, uint32_t rep, const char *name)
{
    sim_rng r;
    sim_rng_seed(&r, seed, rep, name);
    return r;
}

static void test_same_triple_same_sequence_different_triple_different(void **state)
{
    sim_rng a = stream(7, 2, "arrivals"), b = stream(7, 2, "arrivals");
    assert_int_equal(count_equal_draws(&a, &b, 10000), 10000);

    sim_rng c = stream(7, 3, "arrivals"); /* next replication */
    sim_rng d = stream(7, 2, "arrival");  /* similar name */
    sim_rng e = stream(8, 2, "arrivals"); /* next seed */
    sim_rng f = stream(7, 2, "arrivals");
    assert_int_equal(count_equal_draws(&f, &c, 10000), 0);
    f = stream(7, 2, "arrivals");
    assert_int_equal(count_equal_draws(&f, &d, 10000), 0);
    f = stream(7, 2, "arrivals");
    assert_int_equal(count_equal_draws(&f, &e, 10000), 0);

    /* Neighbouring seeds must not give shifted copies of each other either (a weak seeding
     * scheme can): compare c against e at a few lags. */
    static uint64_t xc[2000], xe[2000];
    for (int i = 0; i < 2000; i++) {
        xc[i] = sim_rng_next(&c);
        xe[i] = sim_rng_next(&e);
    }
    for (int lag = 0; lag < 50; lag++) {
        int eq = 0;
        for (int i = 0; i + lag < 2000; i++) eq += xc[i + lag] == xe[i];
        assert_int_equal(eq, 0);
    }
}

/* Pearson correlation of n paired uniforms; under independence its standard error is
 * 1/sqrt(n), so |r| < 4/sqrt(n) fails an independent pair with probability ~6e-5. */
static double paired_correlation(sim_rng *a, sim_rng *b, int n)
{
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        double x = sim_rng_uniform(a), y = sim_rng_uniform(b);
        sx += x;
        sy += y;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
    }
    double cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
    return cov / sqrt(vx * vy);
}

static void test_streams_are_uncorrelated(void **state)
{
    const int n = 100000;
    const double bound = 4.0 / sqrt((double)n);
    static const struct {
        uint32_t rep_a, rep_b;
        const char *sa, *sb;
    } pairs[] = {
        {0, 0, "arrivals", "sizes"},
        {0, 1, "arrivals", "arrivals"},
        {5, 5, "cold_start", "keep_alive"},
        {1, 2, "work", "work"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        sim_rng a = stream(2024, pairs[i].rep_a, pairs[i].sa);
        sim_rng b = stream(2024, pairs[i].rep_b, pairs[i].sb);
        double r = paired_correlation(&a, &b, n);
        assert_double_near(r, 0.0, bound);
    }
    /* The statistic itself must detect dependence: a stream against itself gives r = 1. */
    sim_rng a = stream(2024, 0, "x"), b = stream(2024, 0, "x");
    assert_double_near(paired_correlation(&a, &b, n), 1.0, 1e-12);
}

int main(void)
{
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_building_blocks_match_published_vectors),
        cmocka_unit_test(test_derived_seed_is_the_documented_formula),
        cmocka_unit_test(test_xoshiro_matches_reference_vector),
        cmocka_unit_test(test_stream_is_seeded_by_splitmix_from_derived_seed),
        cmocka_unit_test(test_uniforms_are_in_range),
        cmocka_unit_test(test_uniform_int_is_unbiased),
        cmocka_unit_test(test_ziggurat_tables),
        cmocka_unit_test(test_exponential_sampler_law),
        cmocka_unit_test(test_normal_sampler_law),
        cmocka_unit_test(test_same_triple_same_sequence_different_triple_different),
        cmocka_unit_test(test_streams_are_uncorrelated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
