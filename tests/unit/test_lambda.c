/* tests/unit/test_lambda.c — the Lambda model on deterministic scenarios.
 *
 * Constant arrivals and constant work make every number computable by hand: counts, cold
 * starts, latency, concurrency, billed duration and cost. Bursts exercise the scaling rate (a
 * token bucket of 1,000 environments per 10 s) and the concurrency caps exactly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_util.h"

/* Metrics of the lambda platform and of the workload (run_util.h). */
static double metric(const test_run *res, const char *path) { return test_metric(res, "lambda", path); }
static double workload_metric(const test_run *res, const char *path) {
    return test_metric(res, "workload", path);
}

/* One request per second, 0.5 s each, never overlapping: one cold start, then all warm. */
static void test_constant_one_environment(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 100s\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "  work: {cpu: 500ms}\n"
                   "lambda:\n  memory: 1769MB\n  cold_start: {init: 200ms}\n");
    assert_double_near(workload_metric(&res, "items"), 100, 0);
    assert_double_near(metric(&res, "items"), 100, 0);
    assert_double_near(metric(&res, "completed"), 100, 0);
    assert_double_near(metric(&res, "invocations"), 100, 0);
    assert_double_near(metric(&res, "cold_starts"), 1, 0);
    assert_double_near(metric(&res, "cold_start_ratio"), 0.01, 1e-12);
    assert_double_near(metric(&res, "throttles"), 0, 0);
    /* 99 warm runs of 0.5 s and one of 0.7 s (init first). */
    assert_double_near(metric(&res, "latency_s.mean"), (99 * 0.5 + 0.7) / 100, 1e-9);
    assert_double_near(metric(&res, "latency_s.max"), 0.7, 1e-9);
    assert_double_near(metric(&res, "latency_s.p50"), 0.5, 0.5 / 256);
    assert_double_near(metric(&res, "duration_s.mean"), 0.5, 1e-9);
    /* Busy 0.5 s of every second, plus the 0.2 s init, over a 100 s window. */
    assert_double_near(metric(&res, "concurrency.mean"), (100 * 0.5 + 0.2) / 100, 1e-9);
    assert_double_near(metric(&res, "concurrency.max"), 1, 0);
    /* One environment from t = 0 to the end of the window. */
    assert_double_near(metric(&res, "environments.mean"), 1.0, 1e-9);
    test_run_free(&res);
}

/* Costs of a deterministic run equal the formula: requests x price + GB-s x rate, 1 ms rounding,
 * INIT billed (rounded together with the first invocation). */
static void test_cost_formula(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 1h\nworkload:\n  arrivals: {process: constant, rate: 5/s}\n"
                   "  work: {cpu: 120.3ms}\n"
                   "lambda:\n  memory: 1536MB\n  ephemeral_storage: 1024MB\n"
                   "  cold_start: {init: 50.4ms}\n");
    /* The first run (50.4 ms init + 138.5 ms) ends before the next arrival: one cold start. */
    double n = 18000, gb = 1.5;
    /* 1536 MB is 0.868 vCPU: 120.3 ms of work takes 138.54 ms, billed 139 ms. */
    double run_ms = ceil(120.3 * 1769.0 / 1536.0);
    double init_ms = ceil(50.4 + 120.3 * 1769.0 / 1536.0) - run_ms;
    assert_double_near(run_ms, 139, 0);
    assert_double_near(metric(&res, "cold_starts"), 1, 0);
    assert_double_near(metric(&res, "cost_usd.requests"), n * 0.20 / 1e6, 1e-12);
    assert_double_near(metric(&res, "cost_usd.compute"), n * run_ms / 1000 * gb * 0.0000166667, 1e-12);
    assert_double_near(metric(&res, "cost_usd.init"), init_ms / 1000 * gb * 0.0000166667, 1e-12);
    assert_double_near(metric(&res, "cost_usd.ephemeral"),
                       (n * run_ms + init_ms) / 1000 * 0.5 * 0.0000000309, 1e-12);
    assert_double_near(metric(&res, "cost_usd.provisioned"), 0, 0);
    double total = n * 0.20 / 1e6 + (n * run_ms + init_ms) / 1000 * gb * 0.0000166667 +
                   (n * run_ms + init_ms) / 1000 * 0.5 * 0.0000000309;
    assert_double_near(metric(&res, "cost_usd.total"), total, 1e-12);
    assert_double_near(metric(&res, "cost_usd.per_month"), total * 24 * 30, 1e-9);
    assert_double_near(metric(&res, "cost_usd.per_1k_items"), total / n * 1000, 1e-12);
    test_run_free(&res);
}

/* VALIDATION.md §6: t(m) = 65.8 ms x max(1, 1769 / m) for a single-threaded CPU-bound function. */
static void test_memory_to_cpu(void **state) {
    (void)state;
    const int memories[] = {128, 512, 1024, 1769, 3008, 10240};
    for (size_t i = 0; i < sizeof memories / sizeof memories[0]; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "name: t\nhorizon: 100s\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                 "  work: {cpu: 65.8ms}\nlambda:\n  memory: %dMB\n  cold_start: {init: 0s}\n",
                 memories[i]);
        test_run res;
        test_run_yaml(&res, yaml);
        double expected = 0.0658 * (memories[i] < 1769 ? 1769.0 / memories[i] : 1.0);
        assert_double_near(metric(&res, "latency_s.mean"), expected, 1e-6);
        test_run_free(&res);
    }
    /* Two threads use up to two vCPUs: at 3538 MB the work takes half as long. */
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 100s\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "  work: {cpu: 1s, io: 100ms, threads: 2}\n"
                   "lambda:\n  memory: 3538MB\n  cold_start: {init: 0s}\n");
    assert_double_near(metric(&res, "latency_s.mean"), 0.6, 1e-6);
    test_run_free(&res);
}

/* 10,000 simultaneous requests to a cold function: the scaling rate lets 1,000 environments
 * start, the other 9,000 requests are throttled (sync: dropped). Ten seconds later the bucket
 * is full again; five seconds later it holds 500. */
static void test_scaling_rate_burst(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 100s\nworkload:\n  arrivals: {process: constant, rate: 0/s}\n"
                   "  bursts: [{at: 1s, count: 10000}]\n  work: {cpu: 60s}\n"
                   "lambda:\n  memory: 1769MB\n  timeout: 900s\n  cold_start: {init: 0s}\n"
                   "  concurrency: {account_limit: 20000}\n");
    assert_double_near(metric(&res, "items"), 10000, 0);
    assert_double_near(metric(&res, "invocations"), 1000, 0);
    assert_double_near(metric(&res, "cold_starts"), 1000, 0);
    assert_double_near(metric(&res, "throttles"), 9000, 0);
    assert_double_near(metric(&res, "dropped"), 9000, 0);
    assert_double_near(metric(&res, "throttle_ratio"), 0.9, 1e-12);
    assert_double_near(metric(&res, "completed"), 1000, 0);
    test_run_free(&res);

    test_run_yaml(&res, "name: t\nhorizon: 100s\nworkload:\n  arrivals: {process: constant, rate: 0/s}\n"
                   "  bursts: [{at: 1s, count: 1000}, {at: 6s, count: 1000}]\n  work: {cpu: 60s}\n"
                   "lambda:\n  memory: 1769MB\n  timeout: 900s\n  cold_start: {init: 0s}\n"
                   "  concurrency: {account_limit: 20000}\n");
    assert_double_near(metric(&res, "invocations"), 1500, 0);
    assert_double_near(metric(&res, "throttles"), 500, 0);
    test_run_free(&res);
}

/* The concurrency cap (reserved, else the account limit) binds before the scaling rate. */
static void test_concurrency_caps(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 100s\nworkload:\n  arrivals: {process: constant, rate: 0/s}\n"
                   "  bursts: [{at: 1s, count: 500}]\n  work: {cpu: 10s}\n"
                   "lambda:\n  memory: 1769MB\n  cold_start: {init: 0s}\n"
                   "  concurrency: {reserved: 120}\n");
    assert_double_near(metric(&res, "invocations"), 120, 0);
    assert_double_near(metric(&res, "throttles"), 380, 0);
    assert_double_near(metric(&res, "concurrency.max"), 120, 0);
    test_run_free(&res);
    test_run_yaml(&res, "name: t\nhorizon: 100s\nworkload:\n  arrivals: {process: constant, rate: 0/s}\n"
                   "  bursts: [{at: 1s, count: 500}]\n  work: {cpu: 10s}\n"
                   "lambda:\n  memory: 1769MB\n  cold_start: {init: 0s}\n"
                   "  concurrency: {account_limit: 300}\n");
    assert_double_near(metric(&res, "invocations"), 300, 0);
    test_run_free(&res);
    test_run_yaml(&res, "name: t\nhorizon: 100s\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "  work: {cpu: 1s}\nlambda:\n  concurrency: {reserved: 0}\n");
    assert_double_near(metric(&res, "invocations"), 0, 0);
    assert_double_near(metric(&res, "dropped"), 100, 0);
    assert_double_near(metric(&res, "throttle_ratio"), 1.0, 0);
    test_run_free(&res);
}

/* A 20-minute item times out at 900 s, is billed 900 s and fails; the environment is reset, so
 * the next item starts cold. */
static void test_timeout(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 2h\nworkload:\n  arrivals: {process: constant, rate: 1/h}\n"
                   "  work: {cpu: 20min}\n"
                   "lambda:\n  memory: 1769MB\n  timeout: 900s\n  cold_start: {init: 0s}\n"
                   "  keep_alive: 3h\n");
    assert_double_near(metric(&res, "items"), 2, 0);
    assert_double_near(metric(&res, "timeouts"), 2, 0);
    assert_double_near(metric(&res, "failed"), 2, 0);
    assert_double_near(metric(&res, "completed"), 0, 0);
    assert_double_near(metric(&res, "cold_starts"), 2, 0);
    assert_double_near(metric(&res, "duration_s.p50"), 900, 0);
    assert_double_near(metric(&res, "cost_usd.compute"), 2 * 900 * 1769.0 / 1024 * 0.0000166667, 1e-12);
    test_run_free(&res);
}

/* Transient errors fail the attempt (sync: returned to the caller); poison items always fail. */
static void test_errors(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 1000s\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "  work: {cpu: 100ms}\n  errors: {rate: 1}\nlambda: {}\n");
    assert_double_near(metric(&res, "failed"), 1000, 0);
    assert_double_near(metric(&res, "completed"), 0, 0);
    assert_double_near(metric(&res, "invocations"), 1000, 0);
    assert_double_near(metric(&res, "retries"), 0, 0);
    test_run_free(&res);
    test_run_yaml(&res, "name: t\nhorizon: 1000s\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "  work: {cpu: 100ms}\n  errors: {poison: 1}\nlambda: {}\n");
    assert_double_near(metric(&res, "failed"), 1000, 0);
    test_run_free(&res);
}

/* Items arriving during the warmup are simulated but not counted. */
static void test_warmup_excluded(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 100s\nwarmup: 50s\n"
                   "workload:\n  arrivals: {process: constant, rate: 1/s}\n  work: {cpu: 100ms}\n"
                   "lambda:\n  cold_start: {init: 0s}\n");
    assert_double_near(workload_metric(&res, "items"), 100, 0);
    assert_double_near(metric(&res, "invocations"), 100, 0);
    assert_double_near(metric(&res, "cold_starts"), 0, 0); /* the cold one was in the warmup */
    test_run_free(&res);
}

/* Provisioned environments serve first and are billed for the configured time. */
static void test_provisioned_serves_first(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 1000s\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "  work: {cpu: 100ms}\n"
                   "lambda:\n  memory: 2048MB\n  concurrency: {provisioned: 2}\n");
    assert_double_near(metric(&res, "cold_starts"), 0, 0);
    assert_double_near(metric(&res, "provisioned_ratio"), 1.0, 0);
    assert_double_near(metric(&res, "environments.mean"), 2.0, 1e-12);
    /* 1000 s is rounded up to 1200 s (5-minute steps); 2 environments x 2 GB. */
    assert_double_near(metric(&res, "cost_usd.provisioned"), 2 * 2.0 * 1200 * 0.0000041667, 1e-12);
    /* One thread uses at most one vCPU, whatever the memory: 100 ms billed. */
    assert_double_near(metric(&res, "cost_usd.compute"), 1000 * 0.100 * 2.0 * 0.0000097222, 1e-12);
    test_run_free(&res);
}

/* Every routing policy serves the same steady load; random draws from its own stream. */
static void test_routing_policies(void **state) {
    (void)state;
    const char *policies[] = {"mru", "newest", "random"};
    for (size_t i = 0; i < 3; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "name: t\nhorizon: 2000s\nworkload:\n  arrivals: {process: poisson, rate: 20/s}\n"
                 "  work: {cpu: {dist: exponential, mean: 500ms}}\n"
                 "lambda:\n  memory: 1769MB\n  routing: %s\n  keep_alive: 5s\n", policies[i]);
        test_run res;
        test_run_yaml(&res, yaml);
        double items = metric(&res, "items");
        assert_double_near(items, 40000, 4 * sqrt(40000)); /* Poisson count, 4 SE */
        assert_double_near(metric(&res, "completed"), items, 0);
        assert_true(metric(&res, "cold_starts") > 0);
        assert_true(metric(&res, "environments.mean") >= metric(&res, "concurrency.mean"));
        test_run_free(&res);
    }
}

/* The example: 20,000 requests/s of 10 ms work need about 200 concurrent environments,
 * well within the default 1,000, but the synchronous rate limit is 10 x 1,000 = 10,000/s.
 * Constant arrivals every 50 us against a bucket of 10,000 tokens refilled at one per 100 us:
 * the bucket empties after 20,000 arrivals (each takes 1, 0.5 comes back), at t = 1 s; from then
 * on every other request passes. In 10 s: 20,000 + 180,000 / 2 = 110,000 accepted, 90,000
 * throttled (rejected with a 429), all by the rate limit. */
static void test_rate_limit_sync(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 10s\nworkload:\n  arrivals: {process: constant, rate: 20000/s}\n"
                   "  work: {io: 10ms}\n"
                   "lambda:\n  cold_start: {init: 0s}\n");
    assert_double_near(metric(&res, "items"), 200000, 0);
    assert_double_near(metric(&res, "invocations"), 110000, 1);
    assert_double_near(metric(&res, "throttles"), 90000, 1);
    assert_double_near(metric(&res, "rps_throttles"), metric(&res, "throttles"), 0);
    assert_double_near(metric(&res, "dropped"), metric(&res, "throttles"), 0);
    assert_true(metric(&res, "concurrency.max") < 1000);
    test_run_free(&res);
    /* Asynchronous invocations have no such limit (only concurrency): nothing is throttled. */
    test_run_yaml(&res, "name: t\nhorizon: 10s\nworkload:\n  arrivals: {process: constant, rate: 20000/s}\n"
                   "  work: {io: 10ms}\n"
                   "lambda:\n  trigger: async\n  cold_start: {init: 0s}\n");
    assert_double_near(metric(&res, "invocations"), 200000, 0);
    assert_double_near(metric(&res, "throttles"), 0, 0);
    test_run_free(&res);
}

/* An init longer than 10 s. AWS stops it after 10 s and re-runs it inside the first
 * invocation, under the function's timeout (lambda-runtime-environment.html).
 * The timeout case: init 20 s, timeout 15 s, 1 s of work. The re-run init alone outlasts the
 * timeout, so every request times out: 10 s of failed INIT, then 15 s of invocation, billed
 * 10 s of INIT and 15 s of duration; the environment is reset, so the next request starts cold
 * and times out again. (Before: it "completed" in 21 s, billed 11 s.) */
static void test_init_longer_than_10s_times_out(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 300s\nworkload:\n  arrivals: {process: constant, rate: 1/min}\n"
                   "  work: {cpu: 1s}\n"
                   "lambda:\n  memory: 1769MB\n  timeout: 15s\n  cold_start: {init: 20s}\n");
    double n = 5, gb = 1769.0 / 1024;
    assert_double_near(metric(&res, "items"), n, 0);
    assert_double_near(metric(&res, "invocations"), n, 0);
    assert_double_near(metric(&res, "cold_starts"), n, 0);
    assert_double_near(metric(&res, "suppressed_inits"), n, 0);
    assert_double_near(metric(&res, "timeouts"), n, 0);
    assert_double_near(metric(&res, "failed"), n, 0);
    assert_double_near(metric(&res, "completed"), 0, 0);
    assert_double_near(metric(&res, "duration_s.mean"), 15, 0);
    assert_double_near(metric(&res, "cost_usd.compute"), n * 15 * gb * 0.0000166667, 1e-12);
    assert_double_near(metric(&res, "cost_usd.init"), n * 10 * gb * 0.0000166667, 1e-12);
    test_run_free(&res);
}

/* The billing case: init 12 s, timeout 60 s, 1 s of work. The first request waits 10 s of
 * failed INIT, then runs 12 s of init and 1 s of work: done at 23 s, billed 10 s of INIT and
 * 13 s of duration. The environment is initialised now: the next requests are warm (1 s). */
static void test_init_longer_than_10s_billing(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, "name: t\nhorizon: 300s\nworkload:\n  arrivals: {process: constant, rate: 1/min}\n"
                   "  work: {cpu: 1s}\n"
                   "lambda:\n  memory: 1769MB\n  timeout: 60s\n  cold_start: {init: 12s}\n");
    double gb = 1769.0 / 1024;
    assert_double_near(metric(&res, "cold_starts"), 1, 0);
    assert_double_near(metric(&res, "suppressed_inits"), 1, 0);
    assert_double_near(metric(&res, "completed"), 5, 0);
    assert_double_near(metric(&res, "timeouts"), 0, 0);
    assert_double_near(metric(&res, "latency_s.max"), 23, 1e-9);
    assert_double_near(metric(&res, "latency_s.mean"), (23 + 4 * 1) / 5.0, 1e-9);
    assert_double_near(metric(&res, "cost_usd.compute"), (13 + 4 * 1) * gb * 0.0000166667, 1e-12);
    assert_double_near(metric(&res, "cost_usd.init"), 10 * gb * 0.0000166667, 1e-12);
    test_run_free(&res);
    /* An init of exactly 10 s is within the limit: billed as INIT, not re-run. */
    test_run_yaml(&res, "name: t\nhorizon: 300s\nworkload:\n  arrivals: {process: constant, rate: 1/min}\n"
                   "  work: {cpu: 1s}\n"
                   "lambda:\n  memory: 1769MB\n  timeout: 60s\n  cold_start: {init: 10s}\n");
    assert_double_near(metric(&res, "latency_s.max"), 11, 1e-9);
    assert_double_near(metric(&res, "cost_usd.compute"), 5 * gb * 0.0000166667, 1e-12);
    assert_double_near(metric(&res, "cost_usd.init"), 10 * gb * 0.0000166667, 1e-12);
    test_run_free(&res);
}

/* With MRU routing, a constant keep-alive and no max_lifetime, idle environments expire from the
 * idle list's tail instead of from calendar timers (models/lambda.c, expire_fifo). A max_lifetime
 * far beyond the horizon turns the timers back on without changing what happens (it draws from
 * its own stream only): every result must be the same. Random arrivals and work, a keep-alive
 * short enough that many environments expire. */
static void test_keep_alive_queue_equals_timers(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 2h\nwarmup: 5min\nseed: 11\nreplications: 3\n"
        "workload:\n  arrivals: {process: poisson, rate: 3/s}\n"
        "  work: {cpu: {dist: exponential, mean: 2s}}\n"
        "lambda:\n  memory: 1769MB\n  keep_alive: 20s\n"
        "  cold_start: {init: {dist: lognormal, median: 300ms, sigma: 0.5}}\n";
    static const char *const timers[] = {"lambda.max_lifetime=1000d"};
    test_run a, b;
    test_run_yaml(&a, yaml);
    test_run_yaml_with(&b, yaml, timers, 1, 2);
    static const char *const paths[] = {
        "invocations", "cold_starts", "completed", "latency_s.mean", "latency_s.p99",
        "latency_s.max", "concurrency.mean", "concurrency.max", "environments.mean",
        "environments.max", "cost_usd.total", "recycles"};
    assert_true(metric(&a, "cold_starts") > 500); /* many environments expired and came back */
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        print_message("  %-18s %.12g %.12g\n", paths[i], metric(&a, paths[i]), metric(&b, paths[i]));
        assert_double_near(metric(&a, paths[i]), metric(&b, paths[i]), 0.0);
    }
    test_run_free(&a);
    test_run_free(&b);
}

int main(void) {
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constant_one_environment),
        cmocka_unit_test(test_cost_formula),
        cmocka_unit_test(test_memory_to_cpu),
        cmocka_unit_test(test_scaling_rate_burst),
        cmocka_unit_test(test_concurrency_caps),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_warmup_excluded),
        cmocka_unit_test(test_provisioned_serves_first),
        cmocka_unit_test(test_routing_policies),
        cmocka_unit_test(test_rate_limit_sync),
        cmocka_unit_test(test_init_longer_than_10s_times_out),
        cmocka_unit_test(test_init_longer_than_10s_billing),
        cmocka_unit_test(test_keep_alive_queue_equals_timers),
    };
    return cmocka_run_group_tests_name("lambda", tests, NULL, NULL);
}
