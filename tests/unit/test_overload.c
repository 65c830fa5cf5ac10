/* tests/unit/test_overload.c — platforms that cannot keep up are called out (models/overload.h).
 *
 * For each overloaded case the demand/capacity ratio rho is known in closed form, and a queue
 * that falls behind makes an item arriving at t wait about t (rho - 1): the reported growth must
 * be (rho - 1) x 3600 s per hour. Backlogs this large are nearly deterministic (the noise is the
 * square root of hundreds of thousands of arrivals), hence the 3 % tolerance. Stable cases with
 * the same shape must not be marked, and an overloaded platform is never cheapest or fastest. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "run_util.h"

static const report_section *platform(const test_run *res, const char *name) {
    const report_section *sec = report_find_platform(&res->r, name);
    assert_non_null(sec);
    return sec;
}

/* Kinesis: 2,000 records/s over 4 shards at 512 MB. A batch of 100 records takes
 * 100 x 0.5 ms of I/O + 100 x 2 ms of CPU / (512/1769 vCPU) = 0.741 s, so a shard serves 134.9
 * records/s against 500 arriving: rho = 3.706. At 200/s (rho = 0.37) it keeps up. */
static const char KINESIS[] =
    "name: t\nhorizon: 1h\nseed: 3\n"
    "workload:\n  arrivals: {process: poisson, rate: 2000/s}\n  item: {size: 1KB}\n"
    "  work: {cpu: 2ms, io: 0.5ms}\n"
    "lambda:\n  memory: 512MB\n  trigger: kinesis\n  cold_start: {init: 0s}\n"
    "  kinesis: {shards: 4, batch_size: 100, batch_window: 1s}\n";

static void test_kinesis(void **state) {
    (void)state;
    double batch_s = 100 * 0.0005 + 100 * 0.002 / (512.0 / 1769.0);
    double rho = 500.0 / (100.0 / batch_s);
    test_run res;
    test_run_yaml(&res, KINESIS);
    const report_overload *o = &platform(&res, "lambda")->overload;
    assert_true(o->overloaded);
    assert_string_equal(o->metric, "iterator_age_s");
    assert_double_rel(o->growth_per_hour, (rho - 1) * 3600, 0.03);
    assert_non_null(strstr(o->hint, "lambda.kinesis.shards, now 4"));
    assert_non_null(strstr(o->hint, "about 3.7x"));
    assert_int_equal(res.r.comparison.cheapest, -1);
    assert_int_equal(res.r.comparison.fastest, -1);
    char *table = cli_render_table(res.s, &res.r);
    char *json = cli_render_json(res.s, &res.r);
    assert_non_null(strstr(table, "overloaded: lambda"));
    assert_non_null(strstr(table, "note: lambda is overloaded: the consumer falls behind"));
    assert_non_null(strstr(json, "\"metric\": \"iterator_age_s\""));
    assert_non_null(strstr(json, "\"overloaded\": [\n      \"lambda\"\n    ]"));
    free(table);
    free(json);
    test_run_free(&res);

    const char *const stable[] = {"workload.arrivals.rate=200/s"};
    test_run_yaml_with(&res, KINESIS, stable, 1, 2);
    assert_false(platform(&res, "lambda")->overload.overloaded);
    assert_int_equal(res.r.comparison.cheapest, 0);
    test_run_free(&res);
}

/* SQS: 50 messages/s of 100 ms on one vCPU, batches of one, at most 2 concurrent: a load of 5
 * busy environments on 2, rho = 2.5. With 10 it keeps up. */
static const char SQS[] =
    "name: t\nhorizon: 1h\nseed: 5\n"
    "workload:\n  arrivals: {process: poisson, rate: 50/s}\n  work: {cpu: 100ms}\n"
    "lambda:\n  memory: 1769MB\n  trigger: sqs\n  cold_start: {init: 0s}\n"
    "  sqs: {batch_size: 1, max_concurrency: 2}\n";

static void test_sqs(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, SQS);
    const report_overload *o = &platform(&res, "lambda")->overload;
    assert_true(o->overloaded);
    assert_string_equal(o->metric, "latency_s");
    assert_double_rel(o->growth_per_hour, 1.5 * 3600, 0.03);
    assert_non_null(strstr(o->hint, "lambda.sqs.max_concurrency (now 2)"));
    test_run_free(&res);

    const char *const stable[] = {"lambda.sqs.max_concurrency=10"};
    test_run_yaml_with(&res, SQS, stable, 1, 2);
    assert_false(platform(&res, "lambda")->overload.overloaded);
    test_run_free(&res);
}

/* An async function capped at 1 concurrent execution by its reservation, with one huge burst
 * it cannot drain in the horizon: every item arrives at once, so no trend can be fitted, but
 * nearly all are still waiting when the horizon ends. */
static void test_async_backlog(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 10min\n"
        "workload:\n  arrivals: {process: constant, rate: 0/s}\n"
        "  bursts: [{at: 1min, count: 1000}]\n  work: {cpu: 10s}\n"
        "lambda:\n  memory: 1769MB\n  trigger: async\n  cold_start: {init: 0s}\n"
        "  concurrency: {account_limit: 1000, reserved: 1}\n";
    test_run res;
    test_run_yaml(&res, yaml);
    const report_overload *o = &platform(&res, "lambda")->overload;
    assert_true(o->overloaded);
    assert_string_equal(o->metric, "backlog_items");
    assert_non_null(strstr(o->hint, "lambda.concurrency.reserved"));
    test_run_free(&res);
    /* With room for all of them, they are done in seconds. */
    const char *const roomy[] = {"lambda.concurrency.reserved=900"};
    test_run_yaml_with(&res, yaml, roomy, 1, 2);
    assert_false(platform(&res, "lambda")->overload.overloaded);
    test_run_free(&res);
}

/* Glue and a persistent EMR cluster every 15 minutes on 10 vCPU-seconds per second of work:
 * Glue's 2 G.1X workers give 2 x 4 x 0.6 = 4.8 vCPU, EMR's 2 m5.xlarge core nodes
 * 2 x 4 x 0.7 = 5.6: both fall behind, run after run (EMR's queue grows at 10/5.6 - 1 = 0.786 s
 * per second; Glue's runs also pay their start-up each time). With 10 workers and 10 nodes
 * they keep up. */
static const char BATCH[] =
    "name: t\nhorizon: 4h\nseed: 2\n"
    "workload:\n  arrivals: {process: poisson, rate: 10/s}\n  work: {cpu: 1s}\n"
    "glue:\n  workers: 2\n  trigger: {every: 15min}\n"
    "emr:\n  mode: persistent\n  core_nodes: 2\n  trigger: {every: 15min}\n";

static void test_batch(void **state) {
    (void)state;
    test_run res;
    test_run_yaml(&res, BATCH);
    const report_overload *g = &platform(&res, "glue")->overload;
    const report_overload *e = &platform(&res, "emr")->overload;
    assert_true(g->overloaded);
    assert_true(e->overloaded);
    assert_string_equal(e->metric, "queue_s");
    assert_double_rel(e->growth_per_hour, (10.0 / 5.6 - 1) * 3600, 0.03);
    assert_true(g->growth_per_hour > (10.0 / 4.8 - 1) * 3600);
    assert_non_null(strstr(g->hint, "glue.workers, now 2"));
    assert_non_null(strstr(e->hint, "emr.core_nodes, now 2"));
    assert_int_equal(res.r.comparison.cheapest, -1);
    test_run_free(&res);

    const char *const bigger[] = {"glue.workers=10", "emr.core_nodes=10"};
    test_run_yaml_with(&res, BATCH, bigger, 2, 2);
    assert_false(platform(&res, "glue")->overload.overloaded);
    assert_false(platform(&res, "emr")->overload.overloaded);
    assert_true(res.r.comparison.cheapest >= 0);
    test_run_free(&res);
}

int main(void) {
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinesis),
        cmocka_unit_test(test_sqs),
        cmocka_unit_test(test_async_backlog),
        cmocka_unit_test(test_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
