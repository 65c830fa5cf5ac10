/* tests/stat/test_erlang_c.c — SQS pollers as an M/M/c queue (VALIDATION.md §3, Erlang C).
 *
 * With batch size 1 and max_concurrency c, once the pollers have scaled up to c (the warmup
 * covers the ramp of one poller per 200 ms), the SQS trigger is c servers in front of a FIFO
 * queue: Poisson arrivals, exponential work at one vCPU (memory 1769 MB), init 0 s, a timeout that
 * never binds, no errors. The mean wait Wq must equal C(c, a) / (c mu - lambda).
 *
 * The wait of each message is measured twice: as the iterator age (a batch of one starts when
 * its message has waited Wq: the metric is exactly the mean wait), and as mean latency minus
 * mean billed duration (billing rounds each run up to the millisecond, which adds 0.4995 ms on
 * average for a continuous distribution on a microsecond clock). The first is compared with the
 * closed form through the run's confidence interval; the second must agree with the first. */
#include "stat/stat_util.h"

#include <stdio.h>

typedef struct erlang_c_case {
    const char *rate, *mean, *c, *horizon, *warmup;
    double wq_s;
} erlang_c_case;

static void check_erlang_c(const erlang_c_case *k) {
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "name: erlang-c\n"
             "horizon: %s\n"
             "warmup: %s\n"
             "seed: 20261201\n"
             "replications: 20\n"
             "workload:\n"
             "  arrivals: {process: poisson, rate: %s}\n"
             "  item: {size: 1KB}\n"
             "  work:\n"
             "    cpu: {dist: exponential, mean: %s}\n"
             "lambda:\n"
             "  memory: 1769MB\n"
             "  timeout: 900s\n"
             "  cold_start:\n"
             "    init: 0s\n"
             "  trigger: sqs\n"
             "  sqs: {batch_size: 1, max_concurrency: %s}\n",
             k->horizon, k->warmup, k->rate, k->mean, k->c);
    stat_run run;
    print_message("Erlang C: rate %s, E[S] %s, c = %s\n", k->rate, k->mean, k->c);
    stat_run_start(&run, yaml, NULL, 0);
    stat_assert_metric(&run, "iterator_age_s.mean", k->wq_s, 0.015);
    double latency = stat_metric(&run, "lambda", "latency_s.mean")->value;
    double duration = stat_metric(&run, "lambda", "duration_s.mean")->value - 0.0004995;
    double age = stat_metric(&run, "lambda", "iterator_age_s.mean")->value;
    print_message("  latency - duration     %.6g (iterator age %.6g)\n", latency - duration, age);
    assert_double_near(latency - duration, age, 1e-5);
    /* The queue holds the work: nothing is throttled, dropped or retried. */
    assert_double_near(stat_metric(&run, "lambda", "throttles")->value, 0.0, 0.0);
    assert_double_near(stat_metric(&run, "lambda", "dropped")->value, 0.0, 0.0);
    assert_double_near(stat_metric(&run, "lambda", "retries")->value, 0.0, 0.0);
    assert_true(stat_metric(&run, "lambda", "concurrency.max")->value <= strtod(k->c, NULL));
    stat_run_end(&run);
}

static void test_erlang_c_60(void **state) {
    (void)state;
    erlang_c_case k = {"100/s", "500ms", "60", "20000s", "100s", 0.0058651};
    check_erlang_c(&k);
}

static void test_erlang_c_25(void **state) {
    (void)state;
    erlang_c_case k = {"10/s", "2s", "25", "80000s", "200s", 0.0836411};
    check_erlang_c(&k);
}

/* The asynchronous trigger holds throttled events in Lambda's internal queue and invokes the
 * next one as soon as an environment frees up: with reserved concurrency c it is the same M/M/c
 * queue. There is no iterator age; the wait is latency minus billed duration (corrected for the
 * millisecond rounding as above), and its standard error is at most that of the mean latency
 * (the difference removes the service-time noise), which gives a conservative tolerance. */
static void test_erlang_c_async(void **state) {
    (void)state;
    const char *yaml = "name: erlang-c-async\nhorizon: 20000s\nwarmup: 100s\nseed: 20261202\n"
                       "replications: 20\nworkload:\n  arrivals: {process: poisson, rate: 100/s}\n"
                       "  work:\n    cpu: {dist: exponential, mean: 500ms}\n"
                       "lambda:\n  memory: 1769MB\n  timeout: 900s\n  cold_start: {init: 0s}\n"
                       "  trigger: async\n  concurrency: {reserved: 60}\n";
    stat_run run;
    print_message("Erlang C, async trigger: rate 100/s, E[S] 500ms, c = 60\n");
    stat_run_start(&run, yaml, NULL, 0);
    const report_metric *latency = stat_metric(&run, "lambda", "latency_s.mean");
    double duration = stat_metric(&run, "lambda", "duration_s.mean")->value - 0.0004995;
    double wq = latency->value - duration;
    double se = latency->ci95 / gsl_cdf_tdist_Pinv(0.975, 19.0);
    print_message("  wait %.6g (expected 0.0058651, se <= %.3g)\n", wq, se);
    assert_true(se < 0.03 * 0.0058651);
    assert_double_near(wq, 0.0058651, STAT_SE_TOLERANCE * se);
    assert_double_near(stat_metric(&run, "lambda", "dropped")->value, 0.0, 0.0);
    assert_double_near(stat_metric(&run, "lambda", "concurrency.max")->value, 60.0, 0.0);
    stat_run_end(&run);
}

int main(void) {
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_erlang_c_60),
        cmocka_unit_test(test_erlang_c_25),
        cmocka_unit_test(test_erlang_c_async),
    };
    return cmocka_run_group_tests_name("erlang_c", tests, NULL, NULL);
}
