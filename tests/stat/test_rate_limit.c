/* tests/stat/test_rate_limit.c — Lambda's synchronous request-rate limit.
 *
 * A function may take at most 10 synchronous requests per second per unit of its concurrency
 * limit (AWS Lambda quotas: "10 x concurrent executions limit"). With short work the
 * concurrency limit never binds, so the rate limit alone decides: at an arrival rate of twice the
 * limit, half the requests are throttled. capsim's bucket holds one second of the rate; after a
 * warmup that drains it, requests are accepted at exactly the limit, so the throttled share of
 * Poisson arrivals at rate 2L is 1 - L / (2L) = 0.5 (up to a term of order 1 / (lambda T), far
 * below the tolerance). The tolerance is the run's own confidence interval (stat_util.h). */
#include "stat/stat_util.h"

#include <stdio.h>

static void test_rate_limit_twice_the_limit(void **state) {
    (void)state;
    /* reserved 100: at most 1,000 requests per second. 2,000/s of 1 ms work keep about 1
     * environment busy, far below the concurrency cap. */
    static const char yaml[] =
        "name: rate-limit\nhorizon: 60s\nwarmup: 10s\nseed: 20261210\nreplications: 10\n"
        "workload:\n  arrivals: {process: poisson, rate: 2000/s}\n  work: {io: 1ms}\n"
        "lambda:\n  trigger: sync\n  cold_start: {init: 0s}\n"
        "  concurrency: {reserved: 100}\n";
    stat_run run;
    stat_run_start(&run, yaml, NULL, 0);
    stat_assert_metric(&run, "throttle_ratio", 0.5, 0.01);
    /* Every throttle is the rate limit's (concurrency stays far below 100), and a sync
     * throttle is a rejected request. */
    const report_metric *thr = stat_metric(&run, "lambda", "throttles");
    const report_metric *rps = stat_metric(&run, "lambda", "rps_throttles");
    const report_metric *drop = stat_metric(&run, "lambda", "dropped");
    assert_double_near(rps->value, thr->value, 0.0);
    assert_double_near(drop->value, thr->value, 0.0);
    assert_true(stat_metric(&run, "lambda", "concurrency.max")->value < 100);
    stat_run_end(&run);
}

/* Below the limit (80 % of it) nothing is throttled: the one-second bucket absorbs Poisson
 * fluctuations (at 800/s the count in a second exceeds 1,000 with probability ~1e-12). */
static void test_rate_limit_below(void **state) {
    (void)state;
    static const char yaml[] =
        "name: rate-limit\nhorizon: 60s\nseed: 7\nreplications: 4\n"
        "workload:\n  arrivals: {process: poisson, rate: 800/s}\n  work: {io: 1ms}\n"
        "lambda:\n  trigger: sync\n  cold_start: {init: 0s}\n"
        "  concurrency: {reserved: 100}\n";
    stat_run run;
    stat_run_start(&run, yaml, NULL, 0);
    assert_double_near(stat_metric(&run, "lambda", "rps_throttles")->value, 0, 0);
    stat_run_end(&run);
}

int main(void) {
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_limit_twice_the_limit),
        cmocka_unit_test(test_rate_limit_below),
    };
    return cmocka_run_group_tests_name("rate_limit", tests, NULL, NULL);
}
