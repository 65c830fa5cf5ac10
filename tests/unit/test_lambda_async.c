/* tests/unit/test_lambda_async.c — asynchronous triggers, provisioned schedules, max_lifetime.
 *
 * Deterministic scenarios (bursts, constant arrivals and work) whose counts follow from the
 * rules by hand, and one binomial check of retries and duplicates under transient errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "run_util.h"

/* Metrics of the lambda platform and of the workload (run_util.h). */
static double metric(const test_run *res, const char *path) { return test_metric(res, "lambda", path); }

/* 10,000 simultaneous events to a cold function: only the scaling rate binds (account limit
 * raised, and 200 s of work so no environment frees up during the ramp). 1,000 environments
 * start at once, then 100 per second: the last event starts about 90 s after the burst and
 * finishes about 290 s after it. Nothing is lost. */
static void test_spike_async_all_complete(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 10min\nworkload:\n  arrivals: {process: constant, rate: 0/s}\n"
                   "  bursts: [{at: 1s, count: 10000}]\n  work: {cpu: 200s}\n"
                   "lambda:\n  memory: 1769MB\n  timeout: 900s\n  trigger: s3\n"
                   "  cold_start: {init: 0s}\n  concurrency: {account_limit: 20000}\n");
    assert_double_near(metric(&res, "items"), 10000, 0);
    assert_double_near(metric(&res, "completed"), 10000, 0);
    assert_double_near(metric(&res, "dropped"), 0, 0);
    assert_double_near(metric(&res, "failed"), 0, 0);
    assert_double_near(metric(&res, "invocations"), 10000, 0);
    assert_double_near(metric(&res, "cold_starts"), 10000, 0);
    assert_true(metric(&res, "throttles") > 0);
    /* The queue's poller retries every second while it makes progress: the last start is within
     * a second of the ramp's 90 s. */
    double last = metric(&res, "latency_s.max");
    print_message("  last latency %.3f s (ramp 90 s + 200 s of work)\n", last);
    assert_true(last >= 290.0 - 1e-6 && last <= 291.0 + 1e-6);
    assert_double_near(metric(&res, "concurrency.max"), 10000, 0);
    test_run_free(&res);

    /* With the default account limit (1,000) and 1 s of work, concurrency binds instead: all
     * 10,000 still complete, in about ten rounds. */
    test_run_yaml(&res, "name: t\nhorizon: 10min\nworkload:\n  arrivals: {process: constant, rate: 0/s}\n"
                   "  bursts: [{at: 1s, count: 10000}]\n  work: {cpu: 1s}\n"
                   "lambda:\n  memory: 1769MB\n  trigger: async\n  cold_start: {init: 0s}\n");
    assert_double_near(metric(&res, "completed"), 10000, 0);
    assert_double_near(metric(&res, "dropped"), 0, 0);
    assert_double_near(metric(&res, "concurrency.max"), 1000, 0);
    assert_double_near(metric(&res, "cold_starts"), 1000, 0);
    assert_true(metric(&res, "latency_s.max") < 20.0);
    /* Throttles are attempts that fail: the first queued event at the burst, and back-off
     * polls finding the 1,000 busy (about one per 1 s round). A finished environment taking
     * the next event is no attempt that can fail: counting the look past it gave ~9,000. */
    double throttles = metric(&res, "throttles");
    print_message("  throttles %.0f over 10 rounds\n", throttles);
    assert_true(throttles >= 1 && throttles <= 20);
    test_run_free(&res);
}

/* Events older than max_event_age are dropped, to the DLQ with on_failure: dlq. */
static void test_event_age_expires(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 100s\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "  work: {cpu: 1s}\n"
                   "lambda:\n  trigger: async\n  concurrency: {reserved: 0}\n"
                   "  async: {max_event_age: 60s, on_failure: dlq}\n");
    assert_double_near(metric(&res, "items"), 100, 0);
    assert_double_near(metric(&res, "dropped"), 100, 0);
    assert_double_near(metric(&res, "dlq"), 100, 0);
    assert_double_near(metric(&res, "invocations"), 0, 0);
    test_run_free(&res);
    test_run_yaml(&res, "name: t\nhorizon: 100s\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "  work: {cpu: 1s}\n"
                   "lambda:\n  trigger: async\n  concurrency: {reserved: 0}\n"
                   "  async: {max_event_age: 60s, on_failure: drop}\n");
    assert_double_near(metric(&res, "dropped"), 100, 0);
    assert_double_near(metric(&res, "dlq"), 0, 0);
    test_run_free(&res);
}

/* A 20-minute item times out at 900 s on its first run and both retries (1 and 2 minutes
 * later): failed, to the DLQ, 3 x 900 s billed. */
static void test_timeout_every_attempt(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 1h\nworkload:\n  arrivals: {process: constant, rate: 0/s}\n"
                   "  bursts: [{at: 0s, count: 1}]\n  work: {cpu: 20min}\n"
                   "lambda:\n  memory: 1024MB\n  timeout: 900s\n  trigger: async\n"
                   "  cold_start: {init: 0s, init_billed: false}\n  keep_alive: 1h\n");
    assert_double_near(metric(&res, "invocations"), 3, 0);
    assert_double_near(metric(&res, "timeouts"), 3, 0);
    assert_double_near(metric(&res, "retries"), 2, 0);
    assert_double_near(metric(&res, "failed"), 1, 0);
    assert_double_near(metric(&res, "dlq"), 1, 0);
    assert_double_near(metric(&res, "completed"), 0, 0);
    assert_double_near(metric(&res, "duplicates"), 0, 0);
    assert_double_near(metric(&res, "duration_s.p50"), 900, 0);
    assert_double_near(metric(&res, "cost_usd.compute"), 3 * 900 * 1.0 * 0.0000166667, 1e-12);
    test_run_free(&res);
}

/* Poison items fail every attempt and end in the DLQ; nothing is a duplicate. */
static void test_poison_to_dlq(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 100s\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "  work: {cpu: 100ms}\n  errors: {poison: 1}\n"
                   "lambda:\n  trigger: async\n  async: {max_retries: 1}\n");
    assert_double_near(metric(&res, "failed"), 100, 0);
    assert_double_near(metric(&res, "dlq"), 100, 0);
    assert_double_near(metric(&res, "invocations"), 200, 0);
    assert_double_near(metric(&res, "duplicates"), 0, 0);
    test_run_free(&res);
}

/* Transient errors with async retries: an item fails for good with probability p^3, and is
 * processed twice or more (a duplicate) when it failed and a retry succeeded: p(1-p) + p^2(1-p).
 * Never a duplicate without errors, nor with sync (no retries). Binomial tolerances, 4 SE. */
static void test_duplicates_binomial(void **state) {
    (void)state;
    const double p = 0.2, n = 20000;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 20000s\nseed: 5\nworkload:\n"
                   "  arrivals: {process: constant, rate: 1/s}\n  work: {cpu: 100ms}\n"
                   "  errors: {rate: 0.2}\nlambda:\n  trigger: async\n");
    double dup_p = p * (1 - p) + p * p * (1 - p), fail_p = p * p * p;
    assert_double_near(metric(&res, "items"), n, 0);
    assert_double_near(metric(&res, "duplicates"), n * dup_p, 4 * sqrt(n * dup_p * (1 - dup_p)));
    assert_double_near(metric(&res, "failed"), n * fail_p, 4 * sqrt(n * fail_p * (1 - fail_p)));
    assert_double_near(metric(&res, "completed") + metric(&res, "failed"), n, 0);
    /* every failed run is retried until the third: retries = failed runs that were not last */
    assert_double_near(metric(&res, "invocations"), n + metric(&res, "retries"), 0);
    test_run_free(&res);
    test_run_yaml(&res, "name: t\nhorizon: 2000s\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "  work: {cpu: 100ms}\nlambda:\n  trigger: async\n");
    assert_double_near(metric(&res, "duplicates"), 0, 0);
    assert_double_near(metric(&res, "retries"), 0, 0);
    test_run_free(&res);
    test_run_yaml(&res, "name: t\nhorizon: 2000s\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "  work: {cpu: 100ms}\n  errors: {rate: 0.2}\nlambda:\n  trigger: sync\n");
    assert_double_near(metric(&res, "duplicates"), 0, 0);
    assert_double_near(metric(&res, "retries"), 0, 0);
    test_run_free(&res);
}

/* A provisioned window from 1h to 2h of each day: invocations in the window are served by the
 * 5 provisioned environments, the others on demand. Provisioned concurrency is billed from when
 * it is enabled: 2 minutes (provisioned_allocation) before 1h, so that the environments are
 * ready at 1h, until 2h: 62 minutes, rounded up to 65, of 5 x 2 GB. */
static void test_provisioned_schedule(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 3h\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "  work: {cpu: 100ms}\n"
                   "lambda:\n  memory: 2048MB\n  cold_start: {init: 0s}\n"
                   "  concurrency:\n    provisioned: [{from: 1h, to: 2h, count: 5}]\n");
    assert_double_near(metric(&res, "provisioned_ratio"), 1.0 / 3.0, 1e-12);
    assert_double_near(metric(&res, "cost_usd.provisioned"), 5 * 2.0 * 3900 * 0.0000041667, 1e-12);
    /* Provisioned environments serve first: the on-demand one idles from 3599.1 s and dies 10
     * minutes later; at 2h the window ends and the next request starts cold again. */
    assert_double_near(metric(&res, "cold_starts"), 2, 0);
    assert_double_near(metric(&res, "environments.mean"), (4199.1 + 3600) / 10800 + 5.0 / 3.0, 1e-9);
    test_run_free(&res);
}

/* Billing of provisioned windows against the horizon: the configured period [from -
 * allocation, to) is rounded up to 5 minutes as a whole and billed for the share of it inside
 * the horizon. */
static void test_provisioned_billing_periods(void **state) {
    (void)state;
    static const char base[] =
        "name: t\nhorizon: %s\nworkload:\n  arrivals: {process: constant, rate: 1/min}\n"
        "  work: {cpu: 100ms}\n"
        "lambda:\n  memory: 1024MB\n  cold_start: {init: 0s}\n"
        "  concurrency:\n    provisioned: [{from: %s, to: %s, count: 2}]\n"
        "    provisioned_allocation: %s\n";
    const double rate = 0.0000041667;
    struct {
        const char *horizon, *from, *to, *allocation;
        double billed_s; /* per GB and environment */
    } cases[] = {
        /* no allocation time: exactly the window, as configured */
        {"3h", "1h", "2h", "0s", 3600},
        /* 7 minutes ahead: 67 min, rounded up to 70 */
        {"3h", "1h", "2h", "7min", 4200},
        /* a window from midnight is enabled the day before: in a 2-day horizon, day 0's period
         * loses its first 2 minutes (before t = 0) and day 1's is whole, 62 min -> 65 min each:
         * 65 x 60/62 + 65 minutes */
        {"2d", "0s", "1h", "2min", 3900.0 * 60 / 62 + 3900},
        /* a horizon that ends inside the window: 1h58 .. 2h30 of a 62-minute period billed 65 */
        {"150min", "2h", "3h", "2min", 3900.0 * 32 / 62},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml, base, cases[i].horizon, cases[i].from, cases[i].to,
                 cases[i].allocation);
        test_run res;
        test_run_yaml(&res, yaml);
        assert_double_near(metric(&res, "cost_usd.provisioned"),
                           2 * 1.0 * cases[i].billed_s * rate, 1e-12);
        test_run_free(&res);
    }
}

/* max_lifetime: an environment is replaced after 10 minutes, so a steady 1/s flow sees a cold
 * start every 10 minutes. */
static void test_max_lifetime(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 1h\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "  work: {cpu: 100ms}\n"
                   "lambda:\n  memory: 1769MB\n  cold_start: {init: 0s}\n  max_lifetime: 10min\n");
    /* created at 0 s, 600.1 s (the first arrival after the retirement at its finish), ... */
    assert_double_near(metric(&res, "cold_starts"), 6, 0);
    assert_double_near(metric(&res, "recycles"), 5, 0);
    test_run_free(&res);
}

static bool has_note(const test_run *res, const char *text) {
    for (size_t i = 0; i < res->r.comparison.n_notes; i++)
        if (strstr(res->r.comparison.notes[i], text)) return true;
    return false;
}

/* Where capsim is optimistic, said beside the results: a long async backlog (AWS lengthens its
 * retries and may drop events), the account-wide free tier, arm64 at x86_64's speed. */
static void test_optimism_notes(void **state) {
    (void)state;
    test_run res;
    /* 1,000 events of 60 s at once on 10 environments: the last waits about 100 minutes. */
    test_run_yaml(&res, "name: t\nhorizon: 2h\nworkload:\n  arrivals: {process: constant, rate: 0/s}\n"
                   "  bursts: [{at: 0s, count: 1000}]\n  work: {cpu: 60s}\n"
                   "lambda:\n  memory: 1769MB\n  trigger: s3\n  cold_start: {init: 0s}\n"
                   "  concurrency: {reserved: 10}\n");
    assert_true(has_note(&res, "in the async queue"));
    assert_false(has_note(&res, "free tier"));
    assert_false(has_note(&res, "arm64"));
    test_run_free(&res);
    test_run_yaml(&res, "name: t\nhorizon: 1h\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "lambda:\n  architecture: arm64\n  trigger: s3\npricing: {free_tier: true}\n");
    assert_false(has_note(&res, "in the async queue"));
    assert_true(has_note(&res, "free tier is per account"));
    assert_true(has_note(&res, "arm64 is simulated at x86_64's speed"));
    test_run_free(&res);
}

int main(void) {
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spike_async_all_complete),
        cmocka_unit_test(test_event_age_expires),
        cmocka_unit_test(test_timeout_every_attempt),
        cmocka_unit_test(test_poison_to_dlq),
        cmocka_unit_test(test_duplicates_binomial),
        cmocka_unit_test(test_provisioned_schedule),
        cmocka_unit_test(test_provisioned_billing_periods),
        cmocka_unit_test(test_max_lifetime),
        cmocka_unit_test(test_optimism_notes),
    };
    return cmocka_run_group_tests_name("lambda_async", tests, NULL, NULL);
}
