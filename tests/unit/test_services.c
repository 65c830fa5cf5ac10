/* tests/unit/test_services.c — the whole bill: the services around the compute.
 *
 * Deterministic scenarios (constant arrivals, constant sizes) make every line a hand
 * calculation from the aws-us-east-1 table's rates: Kinesis (provisioned, on-demand, enhanced
 * fan-out), SQS requests, S3 requests, Step Functions transitions, CloudWatch Logs, and the
 * split between declared capacity and usage. Each line is checked to 1e-9 USD and, rounded to
 * the cent, against the cents of the hand calculation. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "models/cost.h"
#include "run_util.h"

/* Rates of models/pricing/aws-us-east-1.yaml */
#define SHARD_HOUR 0.015
#define PUT_UNIT (0.014 / 1e6)
#define OD_STREAM_HOUR 0.04
#define OD_GB_WRITTEN 0.08
#define OD_GB_READ 0.04
#define EFO_SHARD_HOUR 0.015
#define EFO_GB 0.013
#define SQS_REQUEST (0.40 / 1e6)
#define S3_GET (0.0004 / 1000)
#define S3_PUT (0.005 / 1000)
#define SFN_TRANSITION (0.025 / 1000)
#define LOGS_GB 0.50
#define KB_PER_GB (1024.0 * 1024.0)

static double metric(const test_run *res, const char *platform, const char *path) {
    return test_metric(res, platform, path);
}

/* A line to 1e-9 USD, and its cents as AWS would print them. */
static void assert_usd(double got, double expected) {
    assert_double_near(got, expected, 1e-9);
    assert_double_near(cost_round_cents(got), cost_round_cents(expected), 1e-12);
}

static bool has_metric(const test_run *res, const char *platform, const char *path) {
    return report_section_find(report_find_platform(&res->r, platform), path) != NULL;
}

/* A day of a 4-shard stream: 10 records/s of 30 KB (2 PUT payload units of 25 KB each), read by
 * a Lambda function in batches of 100 and by Glue every hour. Provisioned: 4 x 24 shard-hours =
 * $1.44 of capacity, 864,000 x 2 units = $0.024192; both platforms pay for the stream (each
 * would read it). The point: the stream costs ten times the function. */
static void test_kinesis_provisioned(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 24h\n"
        "workload:\n  arrivals: {process: constant, rate: 10/s}\n  item: {size: 30KB}\n"
        "  work: {cpu: 1ms}\n"
        "lambda:\n  memory: 512MB\n  trigger: kinesis\n  cold_start: {init: 0s}\n"
        "  kinesis: {shards: 4, batch_size: 100, batch_window: 10s}\n"
        "glue:\n  trigger: {every: 1h}\n";
    test_run res;
    test_run_yaml(&res, yaml);
    double records = 864000, capacity = 4 * 24 * SHARD_HOUR, puts = records * 2 * PUT_UNIT;
    assert_usd(metric(&res, "lambda", "cost_usd.kinesis"), capacity + puts);
    assert_usd(metric(&res, "glue", "cost_usd.kinesis"), capacity + puts);
    assert_double_near(cost_round_cents(capacity), 1.44, 1e-12);
    /* capacity and usage apart, and the total is everything */
    assert_usd(metric(&res, "lambda", "cost_usd.capacity"), capacity);
    double lambda_own = metric(&res, "lambda", "cost_usd.requests") +
                        metric(&res, "lambda", "cost_usd.compute") +
                        metric(&res, "lambda", "cost_usd.init") +
                        metric(&res, "lambda", "cost_usd.provisioned") +
                        metric(&res, "lambda", "cost_usd.ephemeral");
    assert_usd(metric(&res, "lambda", "cost_usd.total"), lambda_own + capacity + puts);
    assert_usd(metric(&res, "lambda", "cost_usd.usage"), lambda_own + puts);
    assert_usd(metric(&res, "glue", "cost_usd.total"),
               metric(&res, "glue", "cost_usd.compute") + capacity + puts);
    assert_usd(metric(&res, "glue", "cost_usd.capacity"), capacity);
    /* per_month is 30 days of it */
    assert_double_near(metric(&res, "glue", "cost_usd.per_month"),
                       30 * metric(&res, "glue", "cost_usd.total"), 1e-9);
    assert_false(has_metric(&res, "lambda", "cost_usd.sqs"));
    /* The comparison shows the whole bill side by side: own charges, the stream, capacity. */
    char *table = cli_render_table(res.s, &res.r);
    assert_non_null(table);
    const char *lines = strstr(table, "  cost breakdown ");
    assert_non_null(lines);
    assert_non_null(strstr(lines, "    kinesis "));
    assert_non_null(strstr(lines, "    = capacity            $1.44        $1.44\n"));
    free(table);
    test_run_free(&res);
}

/* On-demand: $0.04 per stream-hour (capacity), $0.08 per GB written (records rounded up to
 * 1 KB: 30.2 KB counts 31 KB), $0.04 per GB read by a standard consumer. Enhanced fan-out
 * instead: the reads are billed as its retrievals ($0.013 per GB) and its consumer-shard-hours
 * ($0.015) are capacity; Glue, a standard consumer of the same stream, pays the reads. */
static void test_kinesis_on_demand_and_fan_out(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 24h\n"
        "workload:\n  arrivals: {process: constant, rate: 10/s}\n  item: {size: 30.2KB}\n"
        "  work: {cpu: 1ms}\n"
        "lambda:\n  memory: 512MB\n  trigger: kinesis\n  cold_start: {init: 0s}\n"
        "  kinesis: {shards: 4, batch_size: 100, batch_window: 10s}\n"
        "glue:\n  trigger: {every: 1h}\n"
        "services:\n  kinesis: {mode: on_demand}\n";
    test_run res;
    test_run_yaml(&res, yaml);
    double records = 864000, gb = records * 30.2 / KB_PER_GB;
    double written = records * 31 / KB_PER_GB * OD_GB_WRITTEN;
    double stream = 24 * OD_STREAM_HOUR;
    assert_usd(metric(&res, "lambda", "cost_usd.kinesis"), stream + written + gb * OD_GB_READ);
    assert_usd(metric(&res, "lambda", "cost_usd.capacity"), stream);
    test_run_free(&res);

    const char *const efo[] = {"lambda.kinesis.enhanced_fan_out=true"};
    test_run_yaml_with(&res, yaml, efo, 1, 2);
    double consumer = 4 * 24 * EFO_SHARD_HOUR;
    assert_usd(metric(&res, "lambda", "cost_usd.kinesis"),
               stream + written + consumer + gb * EFO_GB);
    assert_usd(metric(&res, "lambda", "cost_usd.capacity"), stream + consumer);
    assert_usd(metric(&res, "glue", "cost_usd.kinesis"), stream + written + gb * OD_GB_READ);
    test_run_free(&res);
}

/* SQS: 10 messages/s of 100 KB for 100 s, read by Lambda in batches of 10. Each SendMessage is 2
 * requests (two 64 KB chunks); each batch of 10 (1,000 KB) is received by one ReceiveMessage of
 * 16 chunks and deleted by one DeleteMessageBatch; Lambda's 5 long-polling pollers make 5 empty
 * receives per 20 s. A Glue job every 50 s drains the same queue with ReceiveMessage calls of 10
 * messages, a DeleteMessageBatch per 10 and one empty receive per job. */
static void test_sqs_requests(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 100s\n"
        "workload:\n  arrivals: {process: constant, rate: 10/s}\n  item: {size: 100KB}\n"
        "  work: {cpu: 1ms}\n"
        "lambda:\n  memory: 1769MB\n  trigger: sqs\n  cold_start: {init: 0s}\n"
        "  sqs: {batch_size: 10, batch_window: 1s}\n"
        "glue:\n  trigger: {every: 50s}\n";
    test_run res;
    test_run_yaml(&res, yaml);
    assert_double_near(metric(&res, "lambda", "invocations"), 100, 0);
    double sends = 1000 * 2, receives = 100 * 16, deletes = 100, empty = 5 * 100 / 20.0;
    assert_usd(metric(&res, "lambda", "cost_usd.sqs"),
               (sends + receives + deletes + empty) * SQS_REQUEST);
    /* Glue: jobs at 50 s (500 messages) and 100 s (500): 100 receives of 10 messages, 16
     * chunks each, 100 deletes, 2 empty receives. */
    assert_double_near(metric(&res, "glue", "jobs"), 2, 0);
    assert_usd(metric(&res, "glue", "cost_usd.sqs"), (sends + 100 * 16 + 100 + 2) * SQS_REQUEST);
    assert_usd(metric(&res, "lambda", "cost_usd.capacity"), 0);
    test_run_free(&res);
}

/* S3: an S3-triggered function: by default each object is uploaded (a PUT) and read (a GET);
 * writing two outputs per item makes 3 PUTs. Step Functions: 5 transitions per run (each Lambda
 * invocation, each Glue job). CloudWatch Logs: 2 KB per invocation, 10 MB per Glue job. */
static void test_s3_step_functions_logs(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 1h\n"
        "workload:\n  arrivals: {process: constant, rate: 1/s}\n  work: {cpu: 10ms}\n"
        "lambda:\n  memory: 1769MB\n  trigger: s3\n  cold_start: {init: 0s}\n"
        "glue:\n  trigger: {every: 15min}\n"
        "services:\n  s3: {puts_per_item: 3}\n  step_functions: {transitions_per_run: 5}\n"
        "  cloudwatch_logs: {kb_per_invocation: 2, kb_per_job: 10240}\n";
    test_run res;
    test_run_yaml(&res, yaml);
    double items = 3600, jobs = 4;
    assert_double_near(metric(&res, "lambda", "invocations"), items, 0);
    assert_double_near(metric(&res, "glue", "jobs"), jobs, 0);
    assert_usd(metric(&res, "lambda", "cost_usd.s3"), items * (S3_GET + 3 * S3_PUT));
    assert_usd(metric(&res, "glue", "cost_usd.s3"), items * (S3_GET + 3 * S3_PUT));
    assert_usd(metric(&res, "lambda", "cost_usd.step_functions"), items * 5 * SFN_TRANSITION);
    assert_usd(metric(&res, "glue", "cost_usd.step_functions"), jobs * 5 * SFN_TRANSITION);
    assert_usd(metric(&res, "lambda", "cost_usd.logs"), items * 2 / KB_PER_GB * LOGS_GB);
    assert_usd(metric(&res, "glue", "cost_usd.logs"), jobs * 10240 / KB_PER_GB * LOGS_GB);
    assert_false(has_metric(&res, "lambda", "cost_usd.kinesis"));
    test_run_free(&res);

    /* Without a source and without requests declared, there are no service lines. */
    test_run_yaml(&res, "name: t\nhorizon: 1h\nworkload:\n  arrivals: {process: constant, "
                        "rate: 1/s}\nlambda: {}\n");
    assert_false(has_metric(&res, "lambda", "cost_usd.s3"));
    assert_false(has_metric(&res, "lambda", "cost_usd.kinesis"));
    assert_double_near(metric(&res, "lambda", "cost_usd.usage"),
                       metric(&res, "lambda", "cost_usd.total"), 1e-15);
    test_run_free(&res);
}

/* Declared capacity: Lambda's provisioned concurrency and a persistent EMR cluster are
 * capacity; a transient cluster is usage. */
static void test_capacity_and_usage(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 1h\n"
        "workload:\n  arrivals: {process: constant, rate: 1/min}\n  work: {cpu: 1s}\n"
        "lambda:\n  memory: 1024MB\n  concurrency: {provisioned: 2}\n"
        "emr:\n  core_nodes: 2\n  trigger: {every: 15min}\n";
    test_run res;
    test_run_yaml(&res, yaml);
    assert_usd(metric(&res, "lambda", "cost_usd.capacity"),
               metric(&res, "lambda", "cost_usd.provisioned"));
    assert_usd(metric(&res, "emr", "cost_usd.capacity"), 3 * (0.192 + 0.048));
    assert_usd(metric(&res, "emr", "cost_usd.usage"), 0);
    test_run_free(&res);
    const char *const transient[] = {"emr.mode=transient"};
    test_run_yaml_with(&res, yaml, transient, 1, 2);
    assert_usd(metric(&res, "emr", "cost_usd.capacity"), 0);
    assert_usd(metric(&res, "emr", "cost_usd.usage"), metric(&res, "emr", "cost_usd.total"));
    test_run_free(&res);
}

int main(void) {
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinesis_provisioned),
        cmocka_unit_test(test_kinesis_on_demand_and_fan_out),
        cmocka_unit_test(test_sqs_requests),
        cmocka_unit_test(test_s3_step_functions_logs),
        cmocka_unit_test(test_capacity_and_usage),
    };
    return cmocka_run_group_tests_name("services", tests, NULL, NULL);
}
