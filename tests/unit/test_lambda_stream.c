/* tests/unit/test_lambda_stream.c — the Kinesis and SQS triggers on deterministic scenarios.
 *
 * Bursts and constant arrivals with constant work make every count and most times computable by
 * hand: batches by size and by window, the 1 s poll, parallelization, the shard write limits,
 * poison records blocking a shard with and without bisection, retention, timeouts, SQS receives
 * and the DLQ, the visibility timeout, poller scaling up and down. Duplicates must appear with
 * errors and never without. Memory is 1769 MB (one vCPU: duration = work) and init 0 s unless
 * a test says otherwise; items are 1 KB so the shard's 1 MB/s limit binds only where intended. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/run.h"
#include "sim/error.h"
#include "run_util.h"

/* Runs and lambda metrics through run_util.h, on one thread. */
typedef test_run run_result;
static void run_yaml(run_result *out, const char *yaml) { test_run_yaml_with(out, yaml, NULL, 0, 1); }
static void run_free(run_result *out) { test_run_free(out); }
static double metric(const run_result *res, const char *path) {
    return test_metric(res, "lambda", path);
}

/* A scenario: horizon, arrivals (a flow map), work/errors lines, lambda lines. */
static const char *yaml_of(const char *horizon, const char *arrivals, const char *workload_extra,
                           const char *lambda_extra) {
    static char buf[4096];
    snprintf(buf, sizeof buf,
             "name: t\nhorizon: %s\nworkload:\n  arrivals: %s\n  item: {size: 1KB}\n%s"
             "lambda:\n  memory: 1769MB\n  timeout: 900s\n  cold_start: {init: 0s}\n%s",
             horizon, arrivals, workload_extra, lambda_extra);
    return buf;
}

/* Every item accounted for: completed + failed + dropped = items. */
static void assert_conserved(const run_result *res) {
    assert_double_near(metric(res, "completed") + metric(res, "failed") + metric(res, "dropped"),
                       metric(res, "items"), 0);
}

/* ---------------------------------------------------------------- Kinesis batching */

/* 100 records/s on one shard, batches of 10: a batch leaves when its 10th record is written,
 * so record k of a batch waits (9 - k) x 10 ms, then the batch runs 10 x 1 ms. */
static void test_kinesis_batch_by_size(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, yaml_of("100s", "{process: constant, rate: 100/s}", "  work: {cpu: 1ms}\n",
                           "  trigger: kinesis\n"
                           "  kinesis: {shards: 1, batch_size: 10, batch_window: 300s}\n"));
    assert_double_near(metric(&res, "items"), 10000, 0);
    assert_double_near(metric(&res, "completed"), 10000, 0);
    assert_double_near(metric(&res, "invocations"), 1000, 0);
    assert_double_near(metric(&res, "latency_s.mean"), 0.045 + 0.010, 1e-9);
    assert_double_near(metric(&res, "latency_s.max"), 0.090 + 0.010, 1e-9);
    assert_double_near(metric(&res, "duration_s.mean"), 0.010, 1e-9);
    /* The oldest record of each batch is 90 ms old when the batch starts. */
    assert_double_near(metric(&res, "iterator_age_s.mean"), 0.090, 1e-9);
    assert_double_near(metric(&res, "iterator_age_s.max"), 0.090, 1e-9);
    assert_double_near(metric(&res, "concurrency.max"), 1, 0);
    assert_double_near(metric(&res, "cold_starts"), 1, 0);
    assert_double_near(metric(&res, "duplicates"), 0, 0);
    run_free(&res);
}

/* One record per second, window 10 s: the window opens with the first waiting record and
 * closes 10 s later, before the record arriving at that instant (events before arrivals). */
static void test_kinesis_batch_by_window(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, yaml_of("100s", "{process: constant, rate: 1/s}", "  work: {cpu: 1ms}\n",
                           "  trigger: kinesis\n"
                           "  kinesis: {shards: 1, batch_size: 100, batch_window: 10s}\n"));
    assert_double_near(metric(&res, "completed"), 100, 0);
    assert_double_near(metric(&res, "invocations"), 10, 0);
    /* record k of a window waits 10 - k s; the batch runs 10 ms */
    assert_double_near(metric(&res, "latency_s.mean"), 5.5 + 0.010, 1e-9);
    assert_double_near(metric(&res, "iterator_age_s.max"), 10.0, 1e-9);
    run_free(&res);
}

/* Window 0: whatever is waiting when the poller polls, once a second while the shard is idle
 * (ticks at whole seconds from t = 0). Five records at 0.5 s go at 1 s, as one batch. */
static void test_kinesis_poll_once_a_second(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, yaml_of("10s", "{process: constant, rate: 0/s}",
                           "  bursts: [{at: 500ms, count: 5}]\n  work: {cpu: 100ms}\n",
                           "  trigger: kinesis\n  kinesis: {shards: 1, batch_size: 100}\n"));
    assert_double_near(metric(&res, "invocations"), 1, 0);
    assert_double_near(metric(&res, "latency_s.mean"), 0.5 + 0.5, 1e-9);
    assert_double_near(metric(&res, "iterator_age_s.max"), 0.5, 1e-9);
    run_free(&res);
}

/* 40 records at once, batches of 10 taking 10 s: one lane runs them one after the other
 * (done at 10, 20, 30, 40 s), four lanes at once. */
static void test_kinesis_parallelization(void **state) {
    (void)state;
    const char *wl = "  bursts: [{at: 1s, count: 40}]\n  work: {cpu: 1s}\n";
    run_result res;
    run_yaml(&res, yaml_of("10s", "{process: constant, rate: 0/s}", wl,
                           "  trigger: kinesis\n"
                           "  kinesis: {shards: 1, batch_size: 10, batch_window: 1s}\n"));
    assert_double_near(metric(&res, "invocations"), 4, 0);
    assert_double_near(metric(&res, "latency_s.mean"), 25.0, 1e-9);
    assert_double_near(metric(&res, "latency_s.max"), 40.0, 1e-9);
    assert_double_near(metric(&res, "concurrency.max"), 1, 0);
    run_free(&res);
    run_yaml(&res, yaml_of("10s", "{process: constant, rate: 0/s}", wl,
                           "  trigger: kinesis\n"
                           "  kinesis: {shards: 1, batch_size: 10, batch_window: 1s,\n"
                           "            parallelization_factor: 4}\n"));
    assert_double_near(metric(&res, "invocations"), 4, 0);
    assert_double_near(metric(&res, "latency_s.mean"), 10.0, 1e-9);
    assert_double_near(metric(&res, "latency_s.max"), 10.0, 1e-9);
    assert_double_near(metric(&res, "concurrency.max"), 4, 0);
    assert_double_near(metric(&res, "cold_starts"), 4, 0);
    run_free(&res);
}

/* Items with several records count them all toward batch_size and are never split. */
static void test_kinesis_records_per_item(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, "name: t\nhorizon: 100s\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                   "  item: {size: 1KB, records: 30}\n  work: {cpu: 1ms}\n"
                   "lambda:\n  memory: 1769MB\n  cold_start: {init: 0s}\n  trigger: kinesis\n"
                   "  kinesis: {batch_size: 100, batch_window: 300s}\n");
    /* three items (90 records) wait; the fourth would make 120: the batch is full at 4 items'
     * worth of records and takes 3 (the 4th starts the next batch). */
    assert_double_near(metric(&res, "items"), 100, 0);
    assert_double_near(metric(&res, "completed"), 100, 0);
    assert_double_near(metric(&res, "invocations"), 34, 0);
    run_free(&res);
}

/* ---------------------------------------------------------------- shard write limits */

/* 3,000 records of 0.5 KB at once on one shard (1,000 records/s binds, 1 MB/s does not): the
 * first 1,000 are written at once, then one per millisecond. With batches of 1,000 and a long
 * window each batch leaves when its last record is written: at +0 s, +1 s and +2 s. */
static void test_kinesis_write_limit_records(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, "name: t\nhorizon: 10s\nworkload:\n  arrivals: {process: constant, rate: 0/s}\n"
                   "  bursts: [{at: 1s, count: 3000}]\n  item: {size: 0.5KB}\n"
                   "lambda:\n  memory: 1769MB\n  cold_start: {init: 0s}\n  trigger: kinesis\n"
                   "  kinesis: {batch_size: 1000, batch_window: 300s}\n");
    assert_double_near(metric(&res, "completed"), 3000, 0);
    assert_double_near(metric(&res, "invocations"), 3, 0);
    /* (+ 1 ms: an invocation runs at least a millisecond) */
    assert_double_near(metric(&res, "latency_s.mean"), 1.0 + 0.001, 1e-9);
    assert_double_near(metric(&res, "latency_s.max"), 2.0 + 0.001, 1e-9);
    run_free(&res);
}

/* 10 items of 512 KB at once: two fit the 1 MB bucket, then one every 0.5 s; a 5 MB item waits
 * for a full bucket and leaves it 4 MB in debt. */
static void test_kinesis_write_limit_bytes(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, "name: t\nhorizon: 10s\nworkload:\n  arrivals: {process: constant, rate: 0/s}\n"
                   "  bursts: [{at: 1s, count: 10}]\n  item: {size: 512KB}\n"
                   "lambda:\n  memory: 1769MB\n  cold_start: {init: 0s}\n  trigger: kinesis\n"
                   "  kinesis: {batch_size: 1, batch_window: 1s}\n");
    assert_double_near(metric(&res, "invocations"), 10, 0);
    /* delays 0, 0, 0.5, 1.0, ..., 4.0 s, plus the 1 ms minimum run (2 ms for the second item,
     * which waits for the first on its shard) */
    assert_double_near(metric(&res, "latency_s.mean"), 0.5 * 36 / 10 + 0.0011, 1e-9);
    assert_double_near(metric(&res, "latency_s.max"), 4.0 + 0.001, 1e-9);
    run_free(&res);
    run_yaml(&res, "name: t\nhorizon: 10s\nworkload:\n  arrivals: {process: constant, rate: 0/s}\n"
                   "  bursts: [{at: 1s, count: 2}]\n  item: {size: 5MB}\n"
                   "lambda:\n  memory: 1769MB\n  cold_start: {init: 0s}\n  trigger: kinesis\n"
                   "  kinesis: {batch_size: 1, batch_window: 1s}\n");
    /* the second 5 MB item waits until the bucket is full again: 4 MB of debt + 1 MB */
    assert_double_near(metric(&res, "latency_s.max"), 5.0 + 0.001, 1e-9);
    assert_double_near(metric(&res, "latency_s.mean"), 2.5 + 0.001, 1e-9);
    run_free(&res);
}

/* ---------------------------------------------------------------- Kinesis failures */

/* Invocations and time a lane spends on a batch of n poison items when every split half is
 * retried: a batch of two or more fails once and splits (first floor(n/2)); a single item is
 * tried 1 + max_retries times. */
static void bisect_cost(int n, int max_retries, double s_per_item, int *invocations,
                        double *seconds) {
    if (n == 1) {
        *invocations += 1 + max_retries;
        *seconds += (1 + max_retries) * s_per_item;
        return;
    }
    *invocations += 1;
    *seconds += n * s_per_item;
    bisect_cost(n / 2, max_retries, s_per_item, invocations, seconds);
    bisect_cost(n - n / 2, max_retries, s_per_item, invocations, seconds);
}

/* Every record is poison. Two batches of 10 (at 1 s and 1.5 s) on one shard, 0.1 s per record:
 * the first is tried 4 times (at 1, 2, 3, 4 s) and blocks the shard; the second starts at 5 s. */
static void test_kinesis_poison_blocks_shard(void **state) {
    (void)state;
    const char *wl = "  bursts: [{at: 1s, count: 10}, {at: 1500ms, count: 10}]\n"
                     "  work: {cpu: 100ms}\n  errors: {poison: 1}\n";
    run_result res;
    run_yaml(&res, yaml_of("10s", "{process: constant, rate: 0/s}", wl,
                           "  trigger: kinesis\n"
                           "  kinesis: {batch_size: 10, batch_window: 1s, max_retries: 3}\n"));
    assert_double_near(metric(&res, "invocations"), 8, 0);
    assert_double_near(metric(&res, "retries"), 6, 0);
    assert_double_near(metric(&res, "failed"), 20, 0);
    assert_double_near(metric(&res, "dlq"), 20, 0);
    assert_double_near(metric(&res, "completed"), 0, 0);
    /* ages at start: 0, 1, 2, 3 then 3.5, 4.5, 5.5, 6.5 */
    assert_double_near(metric(&res, "iterator_age_s.max"), 6.5, 1e-9);
    assert_double_near(metric(&res, "iterator_age_s.mean"), 26.0 / 8, 1e-9);
    run_free(&res);

    /* bisect: each batch splits down to single records, each tried 1 + max_retries times */
    run_yaml(&res, yaml_of("10s", "{process: constant, rate: 0/s}", wl,
                           "  trigger: kinesis\n"
                           "  kinesis: {batch_size: 10, batch_window: 1s, max_retries: 1,\n"
                           "            bisect_on_error: true}\n"));
    int inv = 0;
    double secs = 0.0;
    bisect_cost(10, 1, 0.1, &inv, &secs);
    assert_int_equal(inv, 29);
    assert_double_near(metric(&res, "invocations"), 2 * inv, 0);
    assert_double_near(metric(&res, "retries"), 2 * inv - 2, 0);
    assert_double_near(metric(&res, "failed"), 20, 0);
    assert_double_near(metric(&res, "dlq"), 20, 0);
    assert_double_near(secs, 5.4, 1e-9);
    /* the second batch starts when the first is resolved (1 s + secs); its last attempt, at a
     * single record of 0.1 s, starts 0.1 s before it is resolved */
    assert_double_near(metric(&res, "iterator_age_s.max"), 1.0 + 2 * secs - 0.1 - 1.5, 1e-9);
    run_free(&res);
}

/* A few poison records among healthy ones: with bisect only the poison records fail — exactly
 * the items a synchronous function fails on the same workload (same seed, same items) — and the
 * healthy records of failed batches were processed before the poison one: duplicates. Without
 * bisect whole batches fail. */
static void test_kinesis_poison_isolated_by_bisect(void **state) {
    (void)state;
    const char *wl = "  work: {cpu: 10ms}\n  errors: {poison: 0.02}\n";
    run_result sync_res, bis, whole;
    run_yaml(&sync_res, yaml_of("1000s", "{process: constant, rate: 10/s}", wl, ""));
    double poison = metric(&sync_res, "failed");
    assert_true(poison > 100 && poison < 300);
    run_yaml(&bis, yaml_of("1000s", "{process: constant, rate: 10/s}", wl,
                           "  trigger: kinesis\n"
                           "  kinesis: {batch_size: 10, batch_window: 1s, max_retries: 2,\n"
                           "            bisect_on_error: true}\n"));
    assert_double_near(metric(&bis, "failed"), poison, 0);
    assert_double_near(metric(&bis, "dlq"), poison, 0);
    assert_double_near(metric(&bis, "completed"), 10000 - poison, 0);
    assert_true(metric(&bis, "duplicates") > 0);
    assert_conserved(&bis);
    run_yaml(&whole, yaml_of("1000s", "{process: constant, rate: 10/s}", wl,
                             "  trigger: kinesis\n"
                             "  kinesis: {batch_size: 10, batch_window: 1s, max_retries: 2}\n"));
    assert_true(metric(&whole, "failed") > 3 * poison);
    assert_double_near(metric(&whole, "failed"), metric(&whole, "dlq"), 0);
    assert_conserved(&whole);
    run_free(&sync_res);
    run_free(&bis);
    run_free(&whole);
}

/* max_retries -1: a poison batch is retried until its oldest record is 24 h old. 10 records of
 * 10 s each: attempts every 100 s from t = 1 s, the last at 86,301 s: 864 invocations. */
static void test_kinesis_retry_until_expiry(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, yaml_of("10s", "{process: constant, rate: 0/s}",
                           "  bursts: [{at: 1s, count: 10}]\n  work: {cpu: 10s}\n"
                           "  errors: {poison: 1}\n",
                           "  trigger: kinesis\n  kinesis: {batch_size: 10, batch_window: 1s}\n"));
    assert_double_near(metric(&res, "invocations"), 864, 0);
    assert_double_near(metric(&res, "failed"), 10, 0);
    assert_double_near(metric(&res, "dlq"), 10, 0);
    assert_double_near(metric(&res, "iterator_age_s.max"), 86300.0, 1e-9);
    run_free(&res);
}

/* A batch of 3 records of 30 s times out at 60 s on every attempt; bisect splits it into [1]
 * and [2], which fit. The timed-out attempt had processed the first two records: duplicates. */
static void test_kinesis_timeout(void **state) {
    (void)state;
    const char *wl = "  bursts: [{at: 1s, count: 3}]\n  work: {cpu: 30s}\n";
    const char *common = "name: t\nhorizon: 10s\nworkload:\n  arrivals: {process: constant, rate: 0/s}\n"
                         "  item: {size: 1KB}\n%s"
                         "lambda:\n  memory: 1769MB\n  timeout: 60s\n  cold_start: {init: 0s}\n"
                         "  trigger: kinesis\n"
                         "  kinesis: {batch_size: 10, batch_window: 1s, max_retries: 2%s}\n";
    char yaml[1024];
    run_result res;
    snprintf(yaml, sizeof yaml, common, wl, "");
    run_yaml(&res, yaml);
    assert_double_near(metric(&res, "invocations"), 3, 0);
    assert_double_near(metric(&res, "timeouts"), 3, 0);
    assert_double_near(metric(&res, "failed"), 3, 0);
    run_free(&res);
    snprintf(yaml, sizeof yaml, common, wl, ", bisect_on_error: true");
    run_yaml(&res, yaml);
    assert_double_near(metric(&res, "invocations"), 3, 0);
    assert_double_near(metric(&res, "timeouts"), 1, 0);
    assert_double_near(metric(&res, "completed"), 3, 0);
    assert_double_near(metric(&res, "duplicates"), 2, 0);
    /* the window sends the 3 records at 2 s; 60 s lost, then [1] done at 92 s, [2] at 152 s */
    assert_double_near(metric(&res, "latency_s.max"), 151.0, 1e-9);
    run_free(&res);
}

/* More shards than the function may run: the pollers are throttled and wait; nothing is lost. */
static void test_kinesis_throttled_pollers_wait(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, yaml_of("200s", "{process: poisson, rate: 100/s}", "  work: {cpu: 10ms}\n",
                           "  trigger: kinesis\n"
                           "  kinesis: {shards: 8, batch_size: 100, batch_window: 1s}\n"
                           "  concurrency: {account_limit: 102, reserved: 2}\n"));
    assert_true(metric(&res, "throttles") > 0);
    assert_double_near(metric(&res, "concurrency.max"), 2, 0);
    assert_double_near(metric(&res, "completed"), metric(&res, "items"), 0);
    assert_double_near(metric(&res, "dropped"), 0, 0);
    run_free(&res);
}

/* ---------------------------------------------------------------- SQS */

/* Every attempt fails: each message is received max_receives times, then goes to the DLQ. */
static void test_sqs_max_receives_dlq(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, yaml_of("100s", "{process: constant, rate: 1/s}",
                           "  work: {cpu: 100ms}\n  errors: {rate: 1}\n",
                           "  trigger: sqs\n  sqs: {batch_size: 1, max_receives: 3}\n"));
    assert_double_near(metric(&res, "items"), 100, 0);
    assert_double_near(metric(&res, "invocations"), 300, 0);
    assert_double_near(metric(&res, "retries"), 200, 0);
    assert_double_near(metric(&res, "failed"), 100, 0);
    assert_double_near(metric(&res, "dlq"), 100, 0);
    assert_double_near(metric(&res, "completed"), 0, 0);
    assert_double_near(metric(&res, "duplicates"), 0, 0);
    run_free(&res);
    /* batches of 10 poison messages (the window keeps the burst in full batches): 10 batches,
     * 3 receives each */
    run_yaml(&res, yaml_of("10s", "{process: constant, rate: 0/s}",
                           "  bursts: [{at: 1s, count: 100}]\n  work: {cpu: 100ms}\n"
                           "  errors: {poison: 1}\n",
                           "  trigger: sqs\n"
                           "  sqs: {batch_size: 10, batch_window: 1s, max_receives: 3}\n"));
    assert_double_near(metric(&res, "invocations"), 30, 0);
    assert_double_near(metric(&res, "dlq"), 100, 0);
    run_free(&res);
}

/* A failed message reappears visibility_timeout after its receive: 6 x timeout by default. */
static void test_sqs_visibility_timeout(void **state) {
    (void)state;
    const char *wl = "  bursts: [{at: 1s, count: 1}]\n  work: {cpu: 100ms}\n  errors: {poison: 1}\n";
    char yaml[1024];
    run_result res;
    snprintf(yaml, sizeof yaml,
             "name: t\nhorizon: 10s\nworkload:\n  arrivals: {process: constant, rate: 0/s}\n%s"
             "lambda:\n  trigger: sqs\n  sqs: {batch_size: 1}\n  timeout: 10s\n"
             "  cold_start: {init: 0s}\n", wl);
    run_yaml(&res, yaml);
    assert_int_equal(res.s->lambda.sqs_visibility_timeout_us, 60 * SIM_US_PER_S);
    /* receives at 1, 61, 121 s */
    assert_double_near(metric(&res, "invocations"), 3, 0);
    assert_double_near(metric(&res, "iterator_age_s.max"), 120.0, 1e-9);
    assert_double_near(metric(&res, "iterator_age_s.mean"), 60.0, 1e-9);
    run_free(&res);
    snprintf(yaml, sizeof yaml,
             "name: t\nhorizon: 10s\nworkload:\n  arrivals: {process: constant, rate: 0/s}\n%s"
             "lambda:\n  trigger: sqs\n  sqs: {batch_size: 1, visibility_timeout: 30s}\n"
             "  timeout: 10s\n  cold_start: {init: 0s}\n", wl);
    run_yaml(&res, yaml);
    assert_double_near(metric(&res, "iterator_age_s.max"), 60.0, 1e-9);
    run_free(&res);
}

/* The loader: the default follows lambda.timeout wherever it is written; AWS's lower bound. */
static void test_sqs_visibility_timeout_loader(void **state) {
    (void)state;
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    const char *base = "name: t\nhorizon: 10s\nworkload:\n  arrivals: {process: constant, rate: 1/s}\n"
                       "lambda:\n  trigger: sqs\n  sqs: {batch_size: 1%s}\n  timeout: 2min\n";
    char yaml[512];
    snprintf(yaml, sizeof yaml, base, "");
    assert_int_equal(scenario_load_string("t.yaml", yaml, NULL, 0, &diag, &s), 0);
    assert_int_equal(s->lambda.sqs_visibility_timeout_us, 12 * 60 * SIM_US_PER_S);
    /* the effective scenario keeps it */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(scenario_write_yaml(s, f), 0);
    fclose(f);
    assert_non_null(strstr(text, "visibility_timeout: 12min"));
    free(text);
    scenario_destroy(s);
    /* an override of the timeout moves the default */
    const char *ov[] = {"lambda.timeout=10s"};
    assert_int_equal(scenario_load_string("t.yaml", yaml, ov, 1, &diag, &s), 0);
    assert_int_equal(s->lambda.sqs_visibility_timeout_us, 60 * SIM_US_PER_S);
    scenario_destroy(s);
    snprintf(yaml, sizeof yaml, base, ", visibility_timeout: 1min");
    assert_int_equal(scenario_load_string("t.yaml", yaml, NULL, 0, &diag, &s), SIM_ESCENARIO);
    assert_int_equal(sim_diag_count(&diag), 1);
    snprintf(yaml, sizeof yaml, base, ", visibility_timeout: 13h");
    assert_int_equal(scenario_load_string("t.yaml", yaml, NULL, 0, &diag, &s), SIM_ESCENARIO);
    sim_diag_fini(&diag);
}

/* 100 messages at once, each running 800 s: 5 pollers, a 6th at once, then one every 200 ms —
 * message 100 starts at 18.8 s. A second burst just after the first is done finds the 100
 * pollers still there; one long after finds 5 again (idle pollers retired after a quiet minute). */
static void test_sqs_poller_scaling(void **state) {
    (void)state;
    const char *lam = "  trigger: sqs\n  sqs: {batch_size: 1}\n";
    run_result res;
    run_yaml(&res, yaml_of("30s", "{process: constant, rate: 0/s}",
                           "  bursts: [{at: 0s, count: 100}]\n  work: {cpu: 800s}\n", lam));
    assert_double_near(metric(&res, "concurrency.max"), 100, 0);
    /* 5 pollers at t = 0, one more every 200 ms: message k (from 0) starts at 0.2 (k - 4) s */
    assert_double_near(metric(&res, "iterator_age_s.max"), 19.0, 1e-9);
    assert_double_near(metric(&res, "iterator_age_s.mean"), 0.2 * 95 * 96 / 2 / 100, 1e-9);
    run_free(&res);
    run_yaml(&res, yaml_of("3000s", "{process: constant, rate: 0/s}",
                           "  bursts: [{at: 0s, count: 100}, {at: 830s, count: 100}]\n"
                           "  work: {cpu: 800s}\n", lam));
    assert_double_near(metric(&res, "iterator_age_s.max"), 19.0, 1e-9);
    assert_double_near(metric(&res, "iterator_age_s.mean"), 0.2 * 95 * 96 / 2 / 200, 1e-9);
    run_free(&res);
    run_yaml(&res, yaml_of("3000s", "{process: constant, rate: 0/s}",
                           "  bursts: [{at: 0s, count: 100}, {at: 2000s, count: 100}]\n"
                           "  work: {cpu: 800s}\n", lam));
    assert_double_near(metric(&res, "iterator_age_s.mean"), 0.2 * 95 * 96 / 2 / 100, 1e-9);
    run_free(&res);
    /* max_concurrency caps the pollers */
    run_yaml(&res, yaml_of("10s", "{process: constant, rate: 0/s}",
                           "  bursts: [{at: 0s, count: 100}]\n  work: {cpu: 10s}\n",
                           "  trigger: sqs\n  sqs: {batch_size: 1, max_concurrency: 20}\n"));
    assert_double_near(metric(&res, "concurrency.max"), 20, 0);
    assert_double_near(metric(&res, "completed"), 100, 0);
    run_free(&res);
}

/* SQS batching: full batches at once; a window holds a partial batch. */
static void test_sqs_batching(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, yaml_of("100s", "{process: constant, rate: 1/s}", "  work: {cpu: 1ms}\n",
                           "  trigger: sqs\n  sqs: {batch_size: 10, batch_window: 5s}\n"));
    /* windows of 5 s from the first waiting message: records 0..4, 5..9, ... */
    assert_double_near(metric(&res, "invocations"), 20, 0);
    assert_double_near(metric(&res, "latency_s.mean"), 3.0 + 0.005, 1e-9);
    run_free(&res);
    /* 95 messages at once: nine full batches at once (or as soon as a poller is free), the
     * last five when their window ends */
    run_yaml(&res, yaml_of("10s", "{process: constant, rate: 0/s}",
                           "  bursts: [{at: 1s, count: 95}]\n  work: {cpu: 1ms}\n",
                           "  trigger: sqs\n  sqs: {batch_size: 10, batch_window: 1s}\n"));
    assert_double_near(metric(&res, "invocations"), 10, 0);
    assert_double_near(metric(&res, "completed"), 95, 0);
    assert_double_near(metric(&res, "latency_s.max"), 1.0 + 0.005, 1e-9);
    run_free(&res);
    /* Without a window, messages sent at the same instant are received together: 95 at once
     * make nine batches of 10 and one of 5 (each poller's receive takes up to 10 visible
     * messages), not five batches of one for the five idle pollers and the rest after. */
    run_yaml(&res, yaml_of("10s", "{process: constant, rate: 0/s}",
                           "  bursts: [{at: 1s, count: 95}]\n  work: {cpu: 1ms}\n",
                           "  trigger: sqs\n  sqs: {batch_size: 10}\n"));
    assert_double_near(metric(&res, "invocations"), 10, 0);
    assert_double_near(metric(&res, "completed"), 95, 0);
    run_free(&res);
}

/* Event source mappings invoke synchronously, so the request-rate limit (10 per second per
 * unit of the concurrency cap) binds their batches too: reserved 2 allows 20 invocations per
 * second. 100 one-message batches of 1 ms arrive at once: 20 pass at once (the bucket), the
 * rest are throttled and retried by the pollers a second later, 20 a second: all are done after
 * about 4 s, and rate throttles are counted. */
static void test_sqs_rate_limit(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, yaml_of("10s", "{process: constant, rate: 0/s}",
                           "  bursts: [{at: 0s, count: 100}]\n  work: {cpu: 1ms}\n",
                           "  trigger: sqs\n  sqs: {batch_size: 1, max_concurrency: 2}\n"
                           "  concurrency: {reserved: 2}\n"));
    assert_double_near(metric(&res, "completed"), 100, 0);
    assert_double_near(metric(&res, "invocations"), 100, 0);
    assert_true(metric(&res, "rps_throttles") > 0);
    assert_double_near(metric(&res, "rps_throttles"), metric(&res, "throttles"), 0);
    double last = metric(&res, "latency_s.max");
    if (last < 3.9 || last > 4.2) print_error("last message done after %g s\n", last);
    assert_true(last >= 3.9 && last <= 4.2);
    run_free(&res);
}

/* yaml with yaml_of's 1 KB items replaced by items of `size`. */
static void with_item_size(char *out, size_t len, const char *yaml, const char *size) {
    const char *at = strstr(yaml, "size: 1KB");
    assert_non_null(at);
    snprintf(out, len, "%.*ssize: %s%s", (int)(at - yaml), yaml, size, at + strlen("size: 1KB"));
}

/* The 6 MB synchronous payload limit of event source mappings. Bursts of 100 SQS messages of
 * 256 KB every 10 s, batch_size 100 with a 1 s window: a batch of 100 would be a 25 MB
 * invocation; AWS sends at most 6 MB, so each burst takes ceil(100 x 256 KB / 6 MB) = 5
 * invocations (24 + 24 + 24 + 24 + 4). With 1 MB messages and batches of 10: ceil(10 / 6) = 2
 * per burst (6 + 4). */
static void test_sqs_payload_limit(void **state) {
    (void)state;
    struct {
        const char *size;
        int count, batch_size;
        double per_burst;
    } cases[] = {
        {"256KB", 100, 100, 5}, /* ceil(100 x 0.25 / 6) */
        {"1MB", 10, 10, 2},     /* ceil(10 x 1 / 6) */
        {"1MB", 12, 100, 2},    /* ceil(12 / 6): two full 6 MB batches */
        {"100KB", 50, 100, 1},  /* 4.9 MB: one batch */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char workload[256], lambda[256], yaml[4096];
        snprintf(workload, sizeof workload,
                 "  bursts: [{at: 0s, count: %d, every: 10s}]\n  work: {cpu: 1ms}\n",
                 cases[i].count);
        snprintf(lambda, sizeof lambda,
                 "  trigger: sqs\n  sqs: {batch_size: %d, batch_window: 1s}\n",
                 cases[i].batch_size);
        with_item_size(yaml, sizeof yaml,
                       yaml_of("100s", "{process: constant, rate: 0/s}", workload, lambda),
                       cases[i].size);
        run_result res;
        run_yaml(&res, yaml);
        assert_double_near(metric(&res, "items"), 10.0 * cases[i].count, 0);
        assert_double_near(metric(&res, "completed"), 10.0 * cases[i].count, 0);
        assert_double_near(metric(&res, "invocations"), 10 * cases[i].per_burst, 0);
        run_free(&res);
    }
}

/* Kinesis delivers each record's data base64-encoded (4 bytes per 3): two records of 2.5 MB are
 * 5 MB of data but 6.67 MB of payload, so they take two invocations; through SQS, one. */
static void test_kinesis_payload_base64(void **state) {
    (void)state;
    const char *lambdas[] = {"  trigger: kinesis\n  kinesis: {batch_size: 100, batch_window: 300s}\n",
                             "  trigger: sqs\n  sqs: {batch_size: 100, batch_window: 300s}\n"};
    const double invocations[] = {2, 1};
    for (int i = 0; i < 2; i++) {
        char yaml[4096];
        with_item_size(yaml, sizeof yaml,
                       yaml_of("1h", "{process: constant, rate: 0/s}",
                               "  bursts: [{at: 0s, count: 2}]\n  work: {cpu: 1ms}\n", lambdas[i]),
                       "2560KB");
        run_result res;
        run_yaml(&res, yaml);
        assert_double_near(metric(&res, "completed"), 2, 0);
        assert_double_near(metric(&res, "invocations"), invocations[i], 0);
        run_free(&res);
    }
}

/* The shard's 2 MB/s of reads is shared by its standard consumers. A producer writes 0.78 MB/s
 * (8 records of 100 KB a second) to one shard for 10 minutes. With one other consumer Lambda
 * reads 1 MB/s and keeps up; with three it reads 0.5 MB/s and falls behind by 0.28125 MB/s:
 * 168.75 MB behind after 600 s, which takes 337.5 s to read, so the last record is about 337 s
 * old when read (less the 5 s bucket, plus a batch), and the consumer is overloaded. Enhanced
 * fan-out gives it 2 MB/s of its own. */
static void test_kinesis_shared_reads(void **state) {
    (void)state;
    const char *lambda = "  trigger: kinesis\n  kinesis: {batch_size: 100, batch_window: 0s, "
                         "other_consumers: %d, enhanced_fan_out: %s}\n";
    struct {
        int others;
        const char *efo;
        bool behind;
    } cases[] = {{1, "false", false}, {3, "false", true}, {3, "true", false}};
    for (size_t i = 0; i < 3; i++) {
        char extra[256], yaml[4096];
        snprintf(extra, sizeof extra, lambda, cases[i].others, cases[i].efo);
        with_item_size(yaml, sizeof yaml,
                       yaml_of("600s", "{process: constant, rate: 8/s}", "  work: {cpu: 1ms}\n",
                               extra),
                       "100KB");
        run_result res;
        run_yaml(&res, yaml);
        assert_double_near(metric(&res, "completed"), 4800, 0);
        double age = metric(&res, "iterator_age_s.max");
        const report_section *sec = report_find_platform(&res.r, "lambda");
        print_message("  others %d, efo %s: iterator age max %.1f s, overloaded %d\n",
                      cases[i].others, cases[i].efo, age, sec->overload.overloaded);
        if (cases[i].behind) {
            assert_double_near(age, 337.5, 10);
            assert_true(sec->overload.overloaded);
        } else {
            assert_true(age < 2);
            assert_false(sec->overload.overloaded);
        }
        run_free(&res);
    }
}

/* Enhanced fan-out pushes records as they are written: with batch_window 0 a record is
 * processed at once instead of at the shard's next poll, a second after the last one. Records
 * every 2.5 s wait up to a second for the poll without it (test_kinesis_poll_once_a_second has
 * the exact times), nothing with it. */
static void test_kinesis_enhanced_fan_out_push(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, yaml_of("100s", "{process: constant, rate: 0.4/s}", "  work: {cpu: 1ms}\n",
                           "  trigger: kinesis\n  kinesis: {batch_window: 0s}\n"));
    assert_true(metric(&res, "latency_s.mean") > 0.25);
    run_free(&res);
    run_yaml(&res, yaml_of("100s", "{process: constant, rate: 0.4/s}", "  work: {cpu: 1ms}\n",
                           "  trigger: kinesis\n  kinesis: {batch_window: 0s, enhanced_fan_out: true}\n"));
    assert_double_near(metric(&res, "latency_s.mean"), 0.001, 1e-9);
    assert_double_near(metric(&res, "invocations"), 40, 0);
    run_free(&res);
}

/* ---------------------------------------------------------------- duplicates */

/* Transient errors with retries produce duplicates (records processed by an attempt that failed
 * and again by the retry); without errors there are none. */
static void test_duplicates_only_with_errors(void **state) {
    (void)state;
    const char *triggers[] = {
        "  trigger: sqs\n  sqs: {batch_size: 5, max_receives: 100}\n",
        "  trigger: kinesis\n  kinesis: {shards: 2, batch_size: 5, batch_window: 1s}\n",
        "  trigger: kinesis\n  kinesis: {shards: 2, batch_size: 20, batch_window: 1s,\n"
        "                              bisect_on_error: true}\n",
    };
    for (size_t i = 0; i < sizeof triggers / sizeof triggers[0]; i++) {
        run_result res;
        run_yaml(&res, yaml_of("500s", "{process: poisson, rate: 10/s}",
                               "  work: {cpu: 20ms}\n  errors: {rate: 0.05}\n", triggers[i]));
        assert_true(metric(&res, "duplicates") > 0);
        assert_true(metric(&res, "retries") > 0);
        assert_true(metric(&res, "duplicates") <= metric(&res, "completed"));
        assert_double_near(metric(&res, "completed"), metric(&res, "items"), 0);
        run_free(&res);
        run_yaml(&res, yaml_of("500s", "{process: poisson, rate: 10/s}", "  work: {cpu: 20ms}\n",
                               triggers[i]));
        assert_double_near(metric(&res, "duplicates"), 0, 0);
        assert_double_near(metric(&res, "retries"), 0, 0);
        assert_double_near(metric(&res, "completed"), metric(&res, "items"), 0);
        run_free(&res);
    }
}

/* Items arriving in the warmup are simulated but not counted, batches included. */
static void test_stream_warmup(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, "name: t\nhorizon: 100s\nwarmup: 50s\nworkload:\n"
                   "  arrivals: {process: constant, rate: 1/s}\n  item: {size: 1KB}\n"
                   "  work: {cpu: 1ms}\nlambda:\n  cold_start: {init: 0s}\n  trigger: kinesis\n"
                   "  kinesis: {batch_size: 10, batch_window: 300s}\n");
    assert_double_near(metric(&res, "items"), 100, 0);
    assert_double_near(metric(&res, "completed"), 100, 0);
    assert_double_near(metric(&res, "invocations"), 10, 0);
    run_free(&res);
}

int main(void) {
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinesis_batch_by_size),
        cmocka_unit_test(test_kinesis_batch_by_window),
        cmocka_unit_test(test_kinesis_poll_once_a_second),
        cmocka_unit_test(test_kinesis_parallelization),
        cmocka_unit_test(test_kinesis_records_per_item),
        cmocka_unit_test(test_kinesis_write_limit_records),
        cmocka_unit_test(test_kinesis_write_limit_bytes),
        cmocka_unit_test(test_kinesis_poison_blocks_shard),
        cmocka_unit_test(test_kinesis_poison_isolated_by_bisect),
        cmocka_unit_test(test_kinesis_retry_until_expiry),
        cmocka_unit_test(test_kinesis_timeout),
        cmocka_unit_test(test_kinesis_throttled_pollers_wait),
        cmocka_unit_test(test_sqs_max_receives_dlq),
        cmocka_unit_test(test_sqs_visibility_timeout),
        cmocka_unit_test(test_sqs_visibility_timeout_loader),
        cmocka_unit_test(test_sqs_poller_scaling),
        cmocka_unit_test(test_sqs_batching),
        cmocka_unit_test(test_sqs_rate_limit),
        cmocka_unit_test(test_sqs_payload_limit),
        cmocka_unit_test(test_kinesis_payload_base64),
        cmocka_unit_test(test_kinesis_shared_reads),
        cmocka_unit_test(test_kinesis_enhanced_fan_out_push),
        cmocka_unit_test(test_duplicates_only_with_errors),
        cmocka_unit_test(test_stream_warmup),
    };
    return cmocka_run_group_tests_name("lambda_stream", tests, NULL, NULL);
}
