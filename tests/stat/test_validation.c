/* tests/stat/test_validation.c — Lambda against queueing theory (VALIDATION.md §1, §2, §4).
 *
 * Each case is the set-up VALIDATION.md describes (Poisson arrivals, memory 1769 MB so duration
 * equals work.cpu, init 0 s, the scaling rate not binding, a warmup) and the expected values are
 * the closed forms tabulated there. Tolerances come from the run's confidence interval (see
 * stat_util.h); every case also requires a precise enough run, so a model that is off by a few
 * percent fails. Seeds are fixed: a result is the same on every machine and thread count. */
#include "stat/stat_util.h"

#include <stdio.h>

/* The VALIDATION.md set-up; %s are rate, work distribution, and extra lambda keys. */
static char *scenario_text(const char *rate, const char *cpu, const char *lambda_extra,
                           const char *horizon, const char *warmup, int replications) {
    static char buf[2048];
    snprintf(buf, sizeof buf,
             "name: validation\n"
             "horizon: %s\n"
             "warmup: %s\n"
             "seed: 20261127\n"
             "replications: %d\n"
             "workload:\n"
             "  arrivals: {process: poisson, rate: %s}\n"
             "  work:\n"
             "    cpu: %s\n"
             "lambda:\n"
             "  memory: 1769MB\n"
             "  timeout: 900s\n"
             "  cold_start:\n"
             "    init: 0s\n"
             "%s",
             horizon, warmup, replications, rate, cpu, lambda_extra);
    return buf;
}

/* ---- §1: a concurrency limit with no queue is Erlang B, for any service distribution ---- */

typedef struct erlang_b_case {
    const char *rate, *cpu, *reserved, *horizon;
    double throttle_ratio, mean_concurrency;
} erlang_b_case;

static void check_erlang_b(const erlang_b_case *c) {
    char extra[256];
    snprintf(extra, sizeof extra, "  concurrency:\n    reserved: %s\n", c->reserved);
    stat_run run;
    print_message("Erlang B: rate %s, cpu %s, c = %s\n", c->rate, c->cpu, c->reserved);
    stat_run_start(&run, scenario_text(c->rate, c->cpu, extra, c->horizon, "100s", 20), NULL, 0);
    stat_assert_metric(&run, "throttle_ratio", c->throttle_ratio, 0.01);
    stat_assert_metric(&run, "concurrency.mean", c->mean_concurrency, 0.005);
    /* Sync: every throttle is a dropped item, nothing queues or retries. */
    const report_metric *drop = stat_metric(&run, "lambda", "dropped");
    const report_metric *thr = stat_metric(&run, "lambda", "throttles");
    assert_double_near(drop->value, thr->value, 0.0);
    stat_run_end(&run);
}

static void test_erlang_b_exponential(void **state) {
    (void)state;
    erlang_b_case c = {"100/s", "{dist: exponential, mean: 500ms}", "60", "5000s", 0.0216685,
                       48.9166};
    check_erlang_b(&c);
}

static void test_erlang_b_constant(void **state) {
    (void)state;
    erlang_b_case c = {"100/s", "500ms", "60", "5000s", 0.0216685, 48.9166};
    check_erlang_b(&c);
}

static void test_erlang_b_lognormal(void **state) {
    (void)state;
    /* Mean 2 s: median 2 s x exp(-sigma^2 / 2) with sigma 0.8 -> median 1.4522966 s. */
    erlang_b_case c = {"10/s", "{dist: lognormal, median: 1452.297ms, sigma: 0.8}", "25",
                       "10000s", 0.0502218, 18.9956};
    check_erlang_b(&c);
}

static void test_erlang_b_50(void **state) {
    (void)state;
    erlang_b_case c = {"50/s", "{dist: exponential, mean: 1s}", "50", "4000s", 0.104787, 44.7606};
    check_erlang_b(&c);
}

static void test_erlang_b_single(void **state) {
    (void)state;
    erlang_b_case c = {"1/s", "{dist: uniform, min: 0s, max: 1s}", "1", "50000s", 1.0 / 3.0,
                       1.0 / 3.0};
    check_erlang_b(&c);
}

/* ---- §2: no limit is M/G/inf; k provisioned environments served first form an Erlang B
 * loss system, and the spill-over share is B(k, a) ---- */

typedef struct provisioned_case {
    const char *rate, *cpu, *provisioned;
    double spill, offered_load;
} provisioned_case;

static void check_provisioned(const provisioned_case *c) {
    char extra[256];
    snprintf(extra, sizeof extra, "  concurrency:\n    provisioned: %s\n", c->provisioned);
    stat_run run;
    print_message("provisioned: rate %s, cpu %s, k = %s\n", c->rate, c->cpu, c->provisioned);
    stat_run_start(&run, scenario_text(c->rate, c->cpu, extra, "3000s", "100s", 20), NULL, 0);
    stat_assert_metric(&run, "provisioned_ratio", 1.0 - c->spill, 0.002);
    /* M/G/inf: mean busy = offered load, nothing throttled. */
    stat_assert_metric(&run, "concurrency.mean", c->offered_load, 0.005);
    assert_double_near(stat_metric(&run, "lambda", "throttles")->value, 0.0, 0.0);
    /* Little's law with the measured mean duration: mean busy = rate x mean duration. Durations
     * are billed (rounded up to 1 ms, +0.5 ms on average), hence the 0.0005 s correction. */
    double rate = strtod(c->rate, NULL);
    double duration = stat_metric(&run, "lambda", "duration_s.mean")->value - 0.0005;
    stat_assert_metric(&run, "concurrency.mean", rate * duration, 0.005);
    stat_run_end(&run);
}

static void test_provisioned_50(void **state) {
    (void)state;
    provisioned_case c = {"100/s", "{dist: exponential, mean: 500ms}", "50", 0.104787, 50.0};
    check_provisioned(&c);
}

static void test_provisioned_60(void **state) {
    (void)state;
    provisioned_case c = {"100/s", "{dist: gamma, mean: 500ms, cv: 2}", "60", 0.0216685, 50.0};
    check_provisioned(&c);
}

static void test_provisioned_25(void **state) {
    (void)state;
    provisioned_case c = {"10/s", "2s", "25", 0.0502218, 20.0};
    check_provisioned(&c);
}

/* ---- §4: cold starts under a fixed keep-alive T with MRU reuse (exponential service) ---- */

typedef struct cold_case {
    const char *rate, *mean, *keep_alive, *horizon, *warmup;
    int replications;
    double cold_ratio, environments, cold_precision;
} cold_case;

/* Runs a case; with cold_out, returns the cold-start ratio and its standard error instead of
 * checking it against the closed form. */
static void check_cold(const cold_case *c, const char *routing, double cold_out[2]) {
    char cpu[64], extra[256];
    snprintf(cpu, sizeof cpu, "{dist: exponential, mean: %s}", c->mean);
    snprintf(extra, sizeof extra, "  keep_alive: %s\n  routing: %s\n", c->keep_alive, routing);
    stat_run run;
    print_message("cold starts: rate %s, E[S] %s, T %s, routing %s\n", c->rate, c->mean,
                  c->keep_alive, routing);
    stat_run_start(&run, scenario_text(c->rate, cpu, extra, c->horizon, c->warmup, c->replications),
                   NULL, 0);
    if (cold_out) {
        const report_metric *m = stat_metric(&run, "lambda", "cold_start_ratio");
        cold_out[0] = m->value;
        cold_out[1] = m->ci95 / gsl_cdf_tdist_Pinv(0.975, (double)c->replications - 1.0);
    } else {
        stat_assert_metric(&run, "cold_start_ratio", c->cold_ratio, c->cold_precision);
        stat_assert_metric(&run, "environments.mean", c->environments, 0.005);
    }
    stat_run_end(&run);
}

static const cold_case cold_cases[] = {
    {"1/s", "2s", "10s", "100000s", "1000s", 20, 0.0996998, 4.53124, 0.01},
    {"0.9/s", "1.991s", "600s", "200000s", "3000s", 20, 0.00132931, 7.69193, 0.03},
    {"0.01/s", "2s", "600s", "20000000s", "10000s", 10, 0.019762, 1.10794, 0.02},
};

static void test_cold_short_keep_alive(void **state) {
    (void)state;
    check_cold(&cold_cases[0], "mru", NULL);
}

static void test_cold_busy_ten_minutes(void **state) {
    (void)state;
    check_cold(&cold_cases[1], "mru", NULL);
}

static void test_cold_sparse(void **state) {
    (void)state;
    check_cold(&cold_cases[2], "mru", NULL);
}

/* routing: newest keeps the newest environments busy and lets old ones expire together, which
 * VALIDATION.md reports as 8-10 % fewer cold starts than MRU when T is a few service times. The
 * ratio must fall in [0.90, 0.92] within 4 standard errors (delta method over the two runs). */
static void test_cold_newest_fewer_than_mru(void **state) {
    (void)state;
    double mru[2], newest[2];
    check_cold(&cold_cases[0], "mru", mru);
    check_cold(&cold_cases[0], "newest", newest);
    double ratio = newest[0] / mru[0];
    double se = ratio * sqrt(pow(newest[1] / newest[0], 2) + pow(mru[1] / mru[0], 2));
    print_message("  newest / mru = %.4f (se %.4f)\n", ratio, se);
    assert_true(se < 0.005);
    assert_true(ratio > 0.90 - STAT_SE_TOLERANCE * se);
    assert_true(ratio < 0.92 + STAT_SE_TOLERANCE * se);
}

int main(void) {
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_erlang_b_exponential),
        cmocka_unit_test(test_erlang_b_constant),
        cmocka_unit_test(test_erlang_b_lognormal),
        cmocka_unit_test(test_erlang_b_50),
        cmocka_unit_test(test_erlang_b_single),
        cmocka_unit_test(test_provisioned_50),
        cmocka_unit_test(test_provisioned_60),
        cmocka_unit_test(test_provisioned_25),
        cmocka_unit_test(test_cold_short_keep_alive),
        cmocka_unit_test(test_cold_busy_ten_minutes),
        cmocka_unit_test(test_cold_sparse),
        cmocka_unit_test(test_cold_newest_fewer_than_mru),
    };
    return cmocka_run_group_tests_name("validation", tests, NULL, NULL);
}
