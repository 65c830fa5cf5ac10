/* tests/stat/test_kinesis_batching.c — Kinesis batching windows at low traffic (closed form).
 *
 * Poisson records at rate lambda per shard, far fewer than batch_size per window W: a window
 * opens with the first waiting record and closes W later, so each window holds N = 1 + Poisson(
 * lambda W) records and becomes one invocation; windows follow each other every W + 1/lambda on
 * average (the window, then the wait for the next record). A record waits until its window
 * closes: the first W, the others W/2 on average; then its batch runs N x c (c = work per
 * record at one vCPU). Per record:
 *   mean latency = [W + lambda W^2 / 2 + c E[N^2]] / E[N],  E[N] = 1 + x, E[N^2] = x + (1 + x)^2,
 *   x = lambda W; invocations = shards x horizon / (W + 1/lambda).
 * With x = 2 the mean latency is well above W/2: the first record of every window waits it all. */
#include "stat/stat_util.h"

static void test_kinesis_window_low_traffic(void **state) {
    (void)state;
    const double shards = 2, rate = 0.2, window_s = 20, c_s = 0.010, horizon_s = 100000;
    double lambda = rate / shards, x = lambda * window_s;
    double latency = (window_s + lambda * window_s * window_s / 2 + c_s * (x + (1 + x) * (1 + x))) /
                     (1 + x);
    double invocations = shards * horizon_s / (window_s + 1 / lambda);
    const char *yaml = "name: kinesis-window\n"
                       "horizon: 100000s\n"
                       "warmup: 1000s\n"
                       "seed: 20261202\n"
                       "replications: 20\n"
                       "workload:\n"
                       "  arrivals: {process: poisson, rate: 0.2/s}\n"
                       "  item: {size: 1KB}\n"
                       "  work: {cpu: 10ms}\n"
                       "lambda:\n"
                       "  memory: 1769MB\n"
                       "  timeout: 900s\n"
                       "  cold_start: {init: 0s}\n"
                       "  trigger: kinesis\n"
                       "  kinesis: {shards: 2, batch_size: 100, batch_window: 20s}\n";
    stat_run run;
    stat_run_start(&run, yaml, NULL, 0);
    stat_assert_metric(&run, "latency_s.mean", latency, 0.005);
    stat_assert_metric(&run, "invocations", invocations, 0.005);
    /* every batch leaves at its window's end: its oldest record is exactly W old */
    assert_double_near(stat_metric(&run, "lambda", "iterator_age_s.max")->value, window_s, 1e-9);
    stat_run_end(&run);
}

int main(void) {
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinesis_window_low_traffic),
    };
    return cmocka_run_group_tests_name("kinesis_batching", tests, NULL, NULL);
}
