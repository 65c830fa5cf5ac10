/* tests/unit/test_glue_emr.c — the Glue and EMR models (and the comparison) on deterministic
 * scenarios.
 *
 * Constant arrivals, constant work and constant start-up delays make every number computable
 * by hand: jobs, each item's latency (its batch's end minus its arrival), billed seconds and
 * dollars. The reference scenario feeds the same 120 items to Lambda, Glue and EMR, and all
 * three must equal their closed-form costs to the cent (here: to 1e-9 USD). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "models/emr.h"
#include "models/run.h"
#include "sim/error.h"
#include "run_util.h"

/* Rates of the aws-us-east-1 table (AWS-REFERENCE.md). */
#define GLUE_USD_PER_DPU_H 0.44
#define GLUE_FLEX_USD_PER_DPU_H 0.29
#define M5_XLARGE_USD_PER_H (0.192 + 0.048)
#define SL_USD_PER_VCPU_H 0.052624
#define SL_USD_PER_GB_H 0.0057785
#define LAMBDA_USD_PER_GB_S 0.0000166667
#define LAMBDA_USD_PER_REQUEST (0.20 / 1e6)

/* Runs and metrics through run_util.h (1 thread unless a test asks for more). */
typedef test_run run_result;
static void run_yaml_threads(run_result *out, const char *yaml, const char *const *overrides,
                             size_t n_overrides, int threads) {
    test_run_yaml_with(out, yaml, overrides, n_overrides, threads);
}
static void run_yaml(run_result *out, const char *yaml, const char *const *overrides,
                     size_t n_overrides) {
    test_run_yaml_with(out, yaml, overrides, n_overrides, 1);
}
static void run_free(run_result *out) { test_run_free(out); }
static double metric(const run_result *res, const char *platform, const char *path) {
    return test_metric(res, platform, path);
}

static const char *note(const run_result *res, const char *platform) {
    const report_section *sec = report_find_platform(&res->r, platform);
    assert_non_null(sec);
    return sec->note;
}

/* Every line of a rendered table fits 80 columns, a terminal's default (characters, not bytes:
 * "±" and "·" take two bytes each). */
static void assert_fits_80_columns(const char *table) {
    for (const char *line = table; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        size_t chars = 0;
        for (size_t i = 0; i < len; i++) chars += ((unsigned char)line[i] & 0xC0) != 0x80;
        if (chars > 80) print_error("line too long (%zu): %.*s\n", chars, (int)len, line);
        assert_true(chars <= 80);
        line = end ? end + 1 : line + len;
    }
}

/* A histogram percentile is within 1/256 of the true value (sim/stats.h). */
#define assert_quantile_near(actual, expected) \
    assert_double_near((actual), (expected), (expected) / 256.0 + 1e-9)

/* The reference scenario: 2 items a minute for an hour (arrivals at 0, 30 s, ..., 3570 s), each
 * 4 s of CPU and 2 s of I/O. Lambda at 1769 MB (one vCPU): 6 s each, never overlapping. Glue:
 * 2 G.1X workers = 8 vCPU at efficiency 0.5 = 4; every 15 min a batch of 30 items (180
 * vCPU-seconds) takes 45 s after a 30 s start-up. EMR: 2 m5.xlarge core nodes = 8 vCPU at 0.5,
 * the same 45 s per batch. The batch of the job at kT holds the arrivals of [(k-1)T, kT), so
 * item j of a batch (arrival (k-1)T + 30 j) waits 900 - 30 j s until kT: 465 s on average. */
static const char REFERENCE[] =
    "name: t\nhorizon: 1h\n"
    "workload:\n  arrivals: {process: constant, rate: 2/min}\n  work: {cpu: 4s, io: 2s}\n"
    "lambda:\n  memory: 1769MB\n  cold_start: {init: 0s}\n"
    "glue:\n  workers: 2\n  efficiency: 0.5\n  startup: 30s\n  trigger: {every: 15min}\n"
    "emr:\n  core_nodes: 2\n  efficiency: 0.5\n  provisioning: 6min\n  trigger: {every: 15min}\n";

#define REF_ITEMS 120.0
#define REF_JOBS 4.0
#define REF_WAIT_MEAN_S 465.0 /* mean of 900 - 30 j, j = 0..29 */

static void test_three_platforms_closed_form(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, REFERENCE, NULL, 0);
    assert_int_equal(res.r.n_platforms, 3);
    assert_string_equal(res.r.platforms[0].name, "lambda");
    assert_string_equal(res.r.platforms[1].name, "glue");
    assert_string_equal(res.r.platforms[2].name, "emr");

    /* Lambda: 120 requests of 6 s at 1769 MB. */
    double lambda_usd = REF_ITEMS * LAMBDA_USD_PER_REQUEST +
                        REF_ITEMS * 6.0 * 1769.0 / 1024.0 * LAMBDA_USD_PER_GB_S;
    assert_double_near(metric(&res, "lambda", "completed"), REF_ITEMS, 0);
    assert_double_near(metric(&res, "lambda", "latency_s.mean"), 6.0, 1e-9);
    assert_double_near(metric(&res, "lambda", "cost_usd.total"), lambda_usd, 1e-9);

    /* Glue: 4 runs of 30 + 45 = 75 s on 2 DPU, billed per second. */
    assert_double_near(metric(&res, "glue", "items"), REF_ITEMS, 0);
    assert_double_near(metric(&res, "glue", "completed"), REF_ITEMS, 0);
    assert_double_near(metric(&res, "glue", "failed"), 0, 0);
    assert_double_near(metric(&res, "glue", "jobs"), REF_JOBS, 0);
    assert_double_near(metric(&res, "glue", "timeouts"), 0, 0);
    assert_double_near(metric(&res, "glue", "startup_s.mean"), 30, 1e-9);
    double glue_dpu_h = REF_JOBS * 75.0 * 2.0 / 3600.0;
    assert_double_near(metric(&res, "glue", "dpu_hours"), glue_dpu_h, 1e-12);
    double glue_usd = glue_dpu_h * GLUE_USD_PER_DPU_H;
    assert_double_near(metric(&res, "glue", "cost_usd.total"), glue_usd, 1e-9);
    assert_double_near(metric(&res, "glue", "cost_usd.per_month"), glue_usd * 24 * 30, 1e-9);
    assert_double_near(metric(&res, "glue", "cost_usd.per_1k_items"), glue_usd / REF_ITEMS * 1000,
                       1e-9);
    assert_double_near(metric(&res, "glue", "latency_s.mean"), REF_WAIT_MEAN_S + 75, 1e-6);
    assert_double_near(metric(&res, "glue", "latency_s.max"), 900 + 75, 1e-9);
    /* Latencies 105, 135, ..., 975 s, four of each: the 60th of 120 is 525, the 119th 975. */
    assert_quantile_near(metric(&res, "glue", "latency_s.p50"), 525);
    assert_quantile_near(metric(&res, "glue", "latency_s.p99"), 975);

    /* EMR, persistent: 3 instances all hour; each batch done 45 s after its trigger. */
    assert_double_near(metric(&res, "emr", "jobs"), REF_JOBS, 0);
    assert_double_near(metric(&res, "emr", "completed"), REF_ITEMS, 0);
    assert_double_near(metric(&res, "emr", "instance_hours"), 3.0, 1e-12);
    assert_double_near(metric(&res, "emr", "queue_s.mean"), 0, 0);
    assert_double_near(metric(&res, "emr", "cost_usd.total"), 3.0 * M5_XLARGE_USD_PER_H, 1e-9);
    assert_double_near(metric(&res, "emr", "latency_s.mean"), REF_WAIT_MEAN_S + 45, 1e-6);
    assert_double_near(metric(&res, "emr", "latency_s.max"), 900 + 45, 1e-9);

    /* The workload section is there once, from the first platform. */
    const report_metric *wl = report_section_find(&res.r.workload, "items");
    assert_non_null(wl);
    assert_double_near(wl->value, REF_ITEMS, 0);
    run_free(&res);
}

/* The same workload with only Glue, then only EMR: the workload section comes from whichever
 * platform runs first, and the numbers do not depend on which others are present. */
static void test_batch_platform_alone(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res,
             "name: t\nhorizon: 1h\n"
             "workload:\n  arrivals: {process: constant, rate: 2/min}\n  work: {cpu: 4s, io: 2s}\n"
             "emr:\n  core_nodes: 2\n  efficiency: 0.5\n  trigger: {every: 15min}\n",
             NULL, 0);
    assert_int_equal(res.r.n_platforms, 1);
    const report_metric *wl = report_section_find(&res.r.workload, "items");
    assert_non_null(wl);
    assert_double_near(wl->value, REF_ITEMS, 0);
    assert_double_near(metric(&res, "emr", "latency_s.mean"), REF_WAIT_MEAN_S + 45, 1e-6);
    run_free(&res);
}

/* Transient clusters on the same workload: each batch waits for a cluster (6 min), so every
 * latency is the persistent one plus the provisioning delay; billing is per cluster, from the
 * request to termination (360 + 45 s), for 3 instances, instead of the whole hour. */
static void test_emr_transient_vs_persistent(void **state) {
    (void)state;
    run_result persistent, transient;
    run_yaml(&persistent, REFERENCE, NULL, 0);
    const char *const set[] = {"emr.mode=transient"};
    run_yaml(&transient, REFERENCE, set, 1);

    assert_double_near(metric(&persistent, "emr", "instance_hours"), 3.0, 1e-12);
    double instance_h = REF_JOBS * 3.0 * (360 + 45) / 3600.0;
    assert_double_near(metric(&transient, "emr", "instance_hours"), instance_h, 1e-12);
    assert_double_near(metric(&transient, "emr", "cost_usd.total"),
                       instance_h * M5_XLARGE_USD_PER_H, 1e-9);
    assert_double_near(metric(&transient, "emr", "provisioning_s.mean"), 360, 1e-9);
    assert_double_near(metric(&transient, "emr", "latency_s.mean") -
                           metric(&persistent, "emr", "latency_s.mean"),
                       360, 1e-6);
    assert_double_near(metric(&transient, "emr", "latency_s.max") -
                           metric(&persistent, "emr", "latency_s.max"),
                       360, 1e-6);
    assert_double_near(metric(&transient, "emr", "completed"), REF_ITEMS, 0);
    run_free(&persistent);
    run_free(&transient);

    /* Clusters that outlive the trigger period overlap: nothing waits for an earlier one. */
    const char *const overlap[] = {"emr.mode=transient", "emr.trigger={every: 5min}"};
    run_yaml(&transient, REFERENCE, overlap, 2);
    assert_double_near(metric(&transient, "emr", "jobs"), 12, 0);
    /* 10 items per batch: 60 vCPU-s take 15 s; waits 300 - 30 j, mean 165 s. */
    assert_double_near(metric(&transient, "emr", "latency_s.mean"), 165 + 360 + 15, 1e-6);
    assert_double_near(metric(&transient, "emr", "instance_hours"), 12 * 3.0 * 375 / 3600.0,
                       1e-12);
    run_free(&transient);

    /* A persistent cluster runs its jobs one after another: a job triggered while the cluster
     * is busy queues. A trigger every minute brings 2 items (12 vCPU-s). */
    const char *const queue[] = {"emr.trigger={every: 1min}", "emr.efficiency=0.0625"};
    run_yaml(&persistent, REFERENCE, queue, 2);
    /* Each batch: 2 items, 12 vCPU-s at 8 x 0.0625 = 0.5 vCPU: 24 s, done before the next:
     * no queue. */
    assert_double_near(metric(&persistent, "emr", "queue_s.mean"), 0, 1e-9);
    run_free(&persistent);
    const char *const slow[] = {"emr.trigger={every: 1min}", "emr.efficiency=0.015625"};
    run_yaml(&persistent, REFERENCE, slow, 2);
    /* Now 96 s per batch of 2 items, triggers every 60 s: job k starts at 60 + 96 (k - 1) and
     * waits 36 (k - 1) s; 60 jobs. */
    assert_double_near(metric(&persistent, "emr", "jobs"), 60, 0);
    assert_double_near(metric(&persistent, "emr", "queue_s.mean"), 36.0 * 59.0 / 2.0, 1e-6);
    run_free(&persistent);
}

/* EMR Serverless: 2 workers of 4 vCPU / 16 GB; a 90 s start-up, then 45 s of processing billed
 * with the 1-minute minimum. Pre-initialized workers that cover the job start it within
 * seconds, are billed for the whole horizon, and the job adds nothing to the bill. */
static void test_emr_serverless(void **state) {
    (void)state;
    run_result res;
    const char *const cold[] = {"emr.deployment=serverless",
                                "emr.serverless={vcpu: 4, memory: 16GB, workers: 2, startup: 90s}"};
    run_yaml(&res, REFERENCE, cold, 2);
    double vcpu_h = REF_JOBS * 2 * 4 * 60 / 3600.0, gb_h = REF_JOBS * 2 * 16 * 60 / 3600.0;
    assert_double_near(metric(&res, "emr", "vcpu_hours"), vcpu_h, 1e-12);
    assert_double_near(metric(&res, "emr", "gb_hours"), gb_h, 1e-12);
    assert_double_near(metric(&res, "emr", "cost_usd.total"),
                       vcpu_h * SL_USD_PER_VCPU_H + gb_h * SL_USD_PER_GB_H, 1e-9);
    assert_double_near(metric(&res, "emr", "startup_s.mean"), 90, 1e-9);
    assert_double_near(metric(&res, "emr", "latency_s.mean"), REF_WAIT_MEAN_S + 90 + 45, 1e-6);
    run_free(&res);

    const char *const warm[] = {
        "emr.deployment=serverless",
        "emr.serverless={vcpu: 4, memory: 16GB, workers: 2, startup: 90s, pre_initialized: 2}"};
    run_yaml(&res, REFERENCE, warm, 2);
    assert_double_near(metric(&res, "emr", "vcpu_hours"), 2 * 4 * 1.0, 1e-12);
    assert_double_near(metric(&res, "emr", "gb_hours"), 2 * 16 * 1.0, 1e-12);
    assert_double_near(metric(&res, "emr", "cost_usd.total"),
                       8 * SL_USD_PER_VCPU_H + 32 * SL_USD_PER_GB_H, 1e-9);
    assert_double_near(metric(&res, "emr", "startup_s.mean"), EMR_SERVERLESS_WARM_START_S, 1e-9);
    assert_double_near(metric(&res, "emr", "latency_s.mean"),
                       REF_WAIT_MEAN_S + EMR_SERVERLESS_WARM_START_S + 45, 1e-6);
    run_free(&res);

    /* One pre-initialized worker does not cover a 2-worker job: a cold start, and the job pays
     * for the one worker it adds. */
    const char *const partial[] = {
        "emr.deployment=serverless",
        "emr.serverless={vcpu: 4, memory: 16GB, workers: 2, startup: 90s, pre_initialized: 1}"};
    run_yaml(&res, REFERENCE, partial, 2);
    assert_double_near(metric(&res, "emr", "vcpu_hours"), REF_JOBS * 1 * 4 * 60 / 3600.0 + 4.0,
                       1e-12);
    assert_double_near(metric(&res, "emr", "latency_s.mean"), REF_WAIT_MEAN_S + 90 + 45, 1e-6);
    run_free(&res);
}

/* EMR Serverless auto-stop (AWS's default: after 15 idle minutes). Jobs every hour for 3 hours
 * (at 1h, 2h, 3h), 2 workers all pre-initialized, a 90 s cold start, 180 s of processing. The
 * application is up from t = 0, stops at 15 min idle, restarts cold with the job at 1h (ends at
 * 1h + 270 s), stops 15 minutes later, and so on: pre-initialized capacity is billed for 900 +
 * 1170 + 1170 s (the restart at 3h is at the horizon's end) instead of the 3 hours, and every job
 * starts cold. Without auto-stop: 3 hours, and warm starts. */
static void test_emr_serverless_auto_stop(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 3h\n"
        "workload:\n  arrivals: {process: constant, rate: 2/min}\n  work: {cpu: 4s, io: 2s}\n"
        "emr:\n  deployment: serverless\n  efficiency: 0.5\n  trigger: {every: 1h}\n"
        "  serverless: {vcpu: 4, memory: 16GB, workers: 2, startup: 90s, pre_initialized: 2}\n";
    run_result res;
    run_yaml(&res, yaml, NULL, 0);
    double up_h = (900 + 1170 + 1170) / 3600.0;
    assert_double_near(metric(&res, "emr", "pre_initialized_hours"), up_h, 1e-12);
    assert_double_near(metric(&res, "emr", "vcpu_hours"), 2 * 4 * up_h, 1e-12);
    assert_double_near(metric(&res, "emr", "gb_hours"), 2 * 16 * up_h, 1e-12);
    assert_double_near(metric(&res, "emr", "startup_s.mean"), 90, 1e-9);
    assert_double_near(metric(&res, "emr", "cost_usd.total"),
                       8 * up_h * SL_USD_PER_VCPU_H + 32 * up_h * SL_USD_PER_GB_H, 1e-9);
    run_free(&res);
    const char *const always[] = {"emr.serverless.auto_stop=false"};
    run_yaml(&res, yaml, always, 1);
    assert_double_near(metric(&res, "emr", "pre_initialized_hours"), 3, 1e-12);
    assert_double_near(metric(&res, "emr", "vcpu_hours"), 2 * 4 * 3.0, 1e-12);
    assert_double_near(metric(&res, "emr", "startup_s.mean"), EMR_SERVERLESS_WARM_START_S, 1e-9);
    run_free(&res);
}

/* Task nodes on a persistent cluster, On-Demand or Spot, and EBS. The reference cluster (2 core
 * m5.xlarge + primary, efficiency 0.5) with 2 task nodes processes each 180 vCPU-s batch on 4
 * nodes (22.5 s instead of 45 s) and bills 5 instances for the hour. Spot task nodes at 60 % off
 * the EC2 price (the EMR fee in full), never interrupted: 3 x ($0.192 + $0.048) + 2 x ($0.192 x
 * 0.4 + $0.048). Interrupted once an hour each with a 6-minute replacement, they are up 1 / 1.1
 * of the time. EBS: 100 GB on each of 3 instances for an hour, $0.08 per GB-month of 30 days. */
static void test_emr_task_nodes_spot_ebs(void **state) {
    (void)state;
    run_result res;
    const char *const od[] = {"emr.task_nodes=2"};
    run_yaml(&res, REFERENCE, od, 1);
    assert_double_near(metric(&res, "emr", "instance_hours"), 5, 1e-12);
    assert_double_near(metric(&res, "emr", "cost_usd.total"), 5 * M5_XLARGE_USD_PER_H, 1e-9);
    assert_double_near(metric(&res, "emr", "latency_s.mean"), REF_WAIT_MEAN_S + 22.5, 1e-6);
    run_free(&res);
    const char *const spot[] = {"emr.task_nodes=2", "emr.task_market=spot",
                                "emr.spot_interruptions=0/h"};
    run_yaml(&res, REFERENCE, spot, 3);
    assert_double_near(metric(&res, "emr", "cost_usd.total"),
                       3 * M5_XLARGE_USD_PER_H + 2 * (0.192 * 0.4 + 0.048), 1e-9);
    assert_double_near(metric(&res, "emr", "latency_s.mean"), REF_WAIT_MEAN_S + 22.5, 1e-6);
    run_free(&res);
    const char *const interrupted[] = {"emr.task_nodes=2", "emr.task_market=spot",
                                       "emr.spot_interruptions=1/h", "emr.provisioning=6min"};
    run_yaml(&res, REFERENCE, interrupted, 4);
    double a = 1.0 / 1.1;
    assert_double_near(metric(&res, "emr", "latency_s.mean"),
                       REF_WAIT_MEAN_S + 180.0 / ((2 + 2 * a) * 4 * 0.5), 1e-5);
    run_free(&res);
    const char *const ebs[] = {"emr.ebs_per_node=100GB"};
    run_yaml(&res, REFERENCE, ebs, 1);
    assert_double_near(metric(&res, "emr", "cost_usd.total"),
                       3 * M5_XLARGE_USD_PER_H + 3 * 100 * 3600.0 / (30 * 86400.0) * 0.08, 1e-9);
    run_free(&res);
}

/* One job of 30 s (10 s start-up + 20 s of work): billed 60 s on Glue 2.0 and later, 600 s on
 * 0.9/1.0; Flex at its own rate; longer runs by the second. */
static void test_glue_minimum_billing(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 1h\n"
        "workload:\n  arrivals: {process: constant, rate: 0/s}\n"
        "  bursts: [{at: 10s, count: 1}]\n  work: {cpu: 80s}\n"
        "glue:\n  workers: 2\n  efficiency: 0.5\n  startup: 10s\n  trigger: {batch_items: 1}\n";
    struct {
        const char *version;
        double billed_s;
    } cases[] = {{"\"0.9\"", 600}, {"\"1.0\"", 600}, {"\"2.0\"", 60}, {"\"3.0\"", 60},
                 {"\"4.0\"", 60},  {"\"5.0\"", 60}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char set[64];
        snprintf(set, sizeof set, "glue.version=%s", cases[i].version);
        const char *const overrides[] = {set};
        run_result res;
        run_yaml(&res, yaml, overrides, 1);
        assert_double_near(metric(&res, "glue", "jobs"), 1, 0);
        assert_double_near(metric(&res, "glue", "latency_s.mean"), 30, 1e-9);
        double dpu_s = cases[i].billed_s * 2;
        assert_double_near(metric(&res, "glue", "dpu_hours"), dpu_s / 3600, 1e-12);
        assert_double_near(metric(&res, "glue", "cost_usd.total"),
                           dpu_s / 3600 * GLUE_USD_PER_DPU_H, 1e-9);
        run_free(&res);
    }
    /* Flex: the same 60 DPU-seconds x 2 at $0.29 per DPU-hour. */
    const char *const flex[] = {"glue.execution_class=flex"};
    run_result res;
    run_yaml(&res, yaml, flex, 1);
    assert_double_near(metric(&res, "glue", "cost_usd.total"),
                       120.0 / 3600 * GLUE_FLEX_USD_PER_DPU_H, 1e-9);
    run_free(&res);
    /* 10 s + 80.4 s = 90.4 s is billed 91 s. */
    const char *const longer[] = {"workload.work.cpu=321.6s"};
    run_yaml(&res, yaml, longer, 1);
    assert_double_near(metric(&res, "glue", "latency_s.mean"), 90.4, 1e-9);
    assert_double_near(metric(&res, "glue", "dpu_hours"), 91.0 * 2 / 3600, 1e-12);
    run_free(&res);
}

/* max_concurrent_runs with job-run queuing: a trigger at the limit waits for the running job,
 * then starts with everything pending. Items every 10 s for 10 min, a trigger every minute,
 * runs of 100 s. With a limit of 1: runs [60,160] [160,260] [260,360] [360,460] [460,560]
 * [560,660] [660,760] (7 jobs; the triggers in between merged into the waiting one); latencies
 * average 155 s: 6 items at 135, 50 at 155, 4 at 185. With 2, every trigger starts at once: 10
 * jobs, 135 s.
 * AWS's default (no queuing): a run started at the limit fails and its items wait for the next
 * trigger. Runs start at 60, 180, 300, 420, 540 (each on the 12 items since the last run, 6 for
 * the first) and the triggers at 120, 240, 360, 480, 600 fail (5 rejected); the items of
 * 540..590 go with the tick at 660 after the horizon. Latencies: 6 at 135 on average, 48 at 165,
 * 6 at 195: mean 165 s, max 220 s; 6 runs billed. */
static void test_glue_max_concurrent_runs(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 10min\n"
        "workload:\n  arrivals: {process: constant, rate: 6/min}\n"
        "glue:\n  workers: 2\n  startup: 100s\n  trigger: {every: 1min}\n"
        "  max_concurrent_runs: 1\n";
    run_result res;
    run_yaml(&res, yaml, NULL, 0);
    assert_double_near(metric(&res, "glue", "completed"), 60, 0);
    assert_double_near(metric(&res, "glue", "jobs"), 6, 0);
    assert_double_near(metric(&res, "glue", "rejected_runs"), 5, 0);
    assert_double_near(metric(&res, "glue", "latency_s.mean"), 165, 1e-6);
    assert_double_near(metric(&res, "glue", "latency_s.max"), 220, 1e-9);
    assert_double_near(metric(&res, "glue", "dpu_hours"), 6 * 100.0 * 2 / 3600, 1e-12);
    run_free(&res);

    const char *const queuing[] = {"glue.job_run_queuing=true"};
    run_yaml(&res, yaml, queuing, 1);
    assert_double_near(metric(&res, "glue", "rejected_runs"), 0, 0);
    assert_double_near(metric(&res, "glue", "items"), 60, 0);
    assert_double_near(metric(&res, "glue", "completed"), 60, 0);
    assert_double_near(metric(&res, "glue", "jobs"), 7, 0);
    assert_double_near(metric(&res, "glue", "latency_s.mean"), 155, 1e-6);
    assert_double_near(metric(&res, "glue", "latency_s.max"), 200, 1e-9);
    assert_double_near(metric(&res, "glue", "dpu_hours"), 7 * 100.0 * 2 / 3600, 1e-12);
    run_free(&res);

    const char *const two[] = {"glue.max_concurrent_runs=2"};
    run_yaml(&res, yaml, two, 1);
    assert_double_near(metric(&res, "glue", "jobs"), 10, 0);
    assert_double_near(metric(&res, "glue", "rejected_runs"), 0, 0);
    assert_double_near(metric(&res, "glue", "latency_s.mean"), 135, 1e-6);
    assert_double_near(metric(&res, "glue", "latency_s.max"), 160, 1e-9);
    run_free(&res);
}

/* With only batch_items and no queuing, a trigger refused after the horizon is retried when the
 * running job ends: a burst of 5 items with batch_items 1 starts one run on the first, the other
 * four triggers fail, and the end-of-horizon flush (refused while it runs, if it still does)
 * starts a run on the four: every item is processed. */
static void test_glue_rejected_runs_drain(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 5min\n"
        "workload:\n  arrivals: {process: constant, rate: 0/s}\n"
        "  bursts: [{at: 1min, count: 5}]\n  work: {cpu: 10s}\n"
        "glue:\n  workers: 2\n  startup: 6min\n  trigger: {batch_items: 1}\n";
    run_result res;
    run_yaml(&res, yaml, NULL, 0);
    assert_double_near(metric(&res, "glue", "completed"), 5, 0);
    assert_double_near(metric(&res, "glue", "jobs"), 2, 0);
    /* 4 refused at 1 min, and the flush at 5 min (the first run ends at 7 min + 1.25 s) */
    assert_double_near(metric(&res, "glue", "rejected_runs"), 5, 0);
    run_free(&res);
}

/* Glue Python shell jobs: one process on 1/16 DPU (0.25 vCPU) or 1 DPU (4 vCPU, one used by a
 * single thread), billed per second with a 1-minute minimum at the DPU-hour rate. One item of
 * 80 s of CPU and 5 s of I/O after a 10 s start-up: on 1/16 DPU 10 + 5 + 320 = 335 s, billed
 * 335 x 0.0625 DPU-s; on 1 DPU 10 + 5 + 80 = 95 s, billed 95 DPU-s; a 1 s job on 1 DPU is billed
 * the minute. */
static void test_glue_python_shell(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 1h\n"
        "workload:\n  arrivals: {process: constant, rate: 0/s}\n"
        "  bursts: [{at: 10s, count: 1}]\n  work: {cpu: 80s, io: 5s}\n"
        "glue:\n  job_type: python_shell\n  startup: 10s\n  trigger: {batch_items: 1}\n";
    struct {
        const char *dpu, *cpu;
        double latency_s, billed_dpu_s;
    } cases[] = {{"0.0625", "80s", 335, 335 * 0.0625},
                 {"1", "80s", 95, 95},
                 {"1", "1s", 16, 60}};
    for (size_t i = 0; i < 3; i++) {
        char dpu[64], cpu[64];
        snprintf(dpu, sizeof dpu, "glue.python_shell_dpu=%s", cases[i].dpu);
        snprintf(cpu, sizeof cpu, "workload.work.cpu=%s", cases[i].cpu);
        const char *const ov[] = {dpu, cpu};
        run_result res;
        run_yaml(&res, yaml, ov, 2);
        assert_double_near(metric(&res, "glue", "latency_s.mean"), cases[i].latency_s, 1e-9);
        assert_double_near(metric(&res, "glue", "dpu_hours"), cases[i].billed_dpu_s / 3600, 1e-12);
        assert_double_near(metric(&res, "glue", "cost_usd.total"),
                           cases[i].billed_dpu_s / 3600 * GLUE_USD_PER_DPU_H, 1e-12);
        run_free(&res);
    }
}

/* Glue auto scaling: a batch uses the workers its tasks fill (items, or 128 MB splits), plus
 * the driver, at least 2, at most `workers`. 10 G.1X workers (4 tasks each), efficiency 0.5, a
 * 10 s start-up: one item of 80 s uses 2 workers (80 / (2 x 4 x 0.5) = 20 s, billed 60 s x 2
 * DPU) instead of 10 (4 s, billed 60 s x 10 DPU); 100 items use all 10. */
static void test_glue_auto_scaling(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 1h\n"
        "workload:\n  arrivals: {process: constant, rate: 0/s}\n"
        "  bursts: [{at: 10s, count: 1}]\n  work: {cpu: 80s}\n"
        "glue:\n  workers: 10\n  efficiency: 0.5\n  startup: 10s\n  trigger: {batch_items: 1}\n";
    run_result res;
    run_yaml(&res, yaml, NULL, 0);
    assert_double_near(metric(&res, "glue", "latency_s.mean"), 14, 1e-9);
    assert_double_near(metric(&res, "glue", "dpu_hours"), 60.0 * 10 / 3600, 1e-12);
    run_free(&res);
    const char *const on[] = {"glue.auto_scaling=true"};
    run_yaml(&res, yaml, on, 1);
    assert_double_near(metric(&res, "glue", "latency_s.mean"), 30, 1e-9);
    assert_double_near(metric(&res, "glue", "dpu_hours"), 60.0 * 2 / 3600, 1e-12);
    run_free(&res);
    /* 100 items of 80 s in one batch: 26 workers wanted, 10 allowed: 8000 / 20 = 400 s. */
    const char *const many[] = {"glue.auto_scaling=true", "glue.trigger={batch_items: 100}",
                                "workload.bursts=[{at: 10s, count: 100}]"};
    run_yaml(&res, yaml, many, 3);
    assert_double_near(metric(&res, "glue", "latency_s.max"), 410, 1e-9);
    assert_double_near(metric(&res, "glue", "dpu_hours"), 410.0 * 10 / 3600, 1e-12);
    run_free(&res);
}

/* Triggers: batch_items alone (and a last partial batch at the end of the horizon); a schedule
 * whose runs are empty still bills its minimum; jobs and items of the warmup are not counted. */
static void test_triggers_and_warmup(void **state) {
    (void)state;
    run_result res;
    /* 120 items, batches of 50: jobs at the 50th (1470 s) and 100th (2970 s) arrival, and the
     * last 20 at the end of the horizon (3600 s). */
    const char *const items[] = {"glue.trigger={batch_items: 50}"};
    run_yaml(&res, REFERENCE, items, 1);
    assert_double_near(metric(&res, "glue", "jobs"), 3, 0);
    assert_double_near(metric(&res, "glue", "completed"), REF_ITEMS, 0);
    /* Batch 1 (arrivals 0..1470 s, 30 s apart) ends 1470 + 30 + 75 s (300 vCPU-s at 4). */
    double lat1 = 1470 + 30 + 75 - 735, lat2 = lat1, lat3 = 3600 + 30 + 30 - (3000 + 3570) / 2.0;
    assert_double_near(metric(&res, "glue", "latency_s.mean"), (50 * lat1 + 50 * lat2 + 20 * lat3) / 120,
                       1e-6);
    run_free(&res);

    /* No items at all: a schedule every 15 min still runs (and bills) 4 jobs of the minimum. */
    const char *const empty[] = {"workload.arrivals={process: constant, rate: 0/s}"};
    run_yaml(&res, REFERENCE, empty, 1);
    assert_double_near(metric(&res, "glue", "jobs"), 4, 0);
    assert_double_near(metric(&res, "glue", "dpu_hours"), 4 * 60.0 * 2 / 3600, 1e-12);
    assert_double_near(metric(&res, "glue", "items"), 0, 0);
    run_free(&res);

    /* A 15 min warmup: items of [15 min, 75 min) count, and the jobs at 30, 45, 60 and 75 min
     * (the one at 15 min processed warmup items). */
    const char *const warm[] = {"warmup=15min"};
    run_yaml(&res, REFERENCE, warm, 1);
    assert_double_near(metric(&res, "glue", "items"), REF_ITEMS, 0);
    assert_double_near(metric(&res, "glue", "jobs"), 4, 0);
    assert_double_near(metric(&res, "glue", "latency_s.mean"), REF_WAIT_MEAN_S + 75, 1e-6);
    assert_double_near(metric(&res, "emr", "instance_hours"), 3.0, 1e-12);
    run_free(&res);

    /* Poison items are processed with their batch and fail. */
    const char *const poison[] = {"workload.errors={poison: 1}"};
    run_yaml(&res, REFERENCE, poison, 1);
    assert_double_near(metric(&res, "glue", "failed"), REF_ITEMS, 0);
    assert_double_near(metric(&res, "emr", "failed"), REF_ITEMS, 0);
    assert_double_near(metric(&res, "emr", "completed"), 0, 0);
    run_free(&res);
}

/* One item of 20 minutes of work: Lambda kills it at 900 s (and the comparison says why);
 * Glue (30 s start-up + 1200 / 4 s) and EMR (1200 / 4 s) finish it. A Glue timeout kills the
 * run and fails the item. */
static void test_twenty_minute_item(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 1h\n"
        "workload:\n  arrivals: {process: constant, rate: 0/s}\n"
        "  bursts: [{at: 1min, count: 1}]\n  work: {cpu: 20min}\n"
        "lambda:\n  memory: 1769MB\n  timeout: 900s\n  cold_start: {init: 0s}\n"
        "glue:\n  workers: 2\n  efficiency: 0.5\n  startup: 30s\n  trigger: {batch_items: 1}\n"
        "emr:\n  core_nodes: 2\n  efficiency: 0.5\n  trigger: {batch_items: 1}\n";
    run_result res;
    run_yaml(&res, yaml, NULL, 0);
    assert_double_near(metric(&res, "lambda", "timeouts"), 1, 0);
    assert_double_near(metric(&res, "lambda", "completed"), 0, 0);
    assert_double_near(metric(&res, "lambda", "failed"), 1, 0);
    const char *n = note(&res, "lambda");
    assert_non_null(strstr(n, "900 s"));
    assert_non_null(strstr(n, "15-minute"));
    assert_non_null(strstr(n, "Glue and EMR process them"));
    assert_double_near(metric(&res, "glue", "completed"), 1, 0);
    assert_double_near(metric(&res, "glue", "latency_s.mean"), 330, 1e-9);
    assert_double_near(metric(&res, "emr", "completed"), 1, 0);
    assert_double_near(metric(&res, "emr", "latency_s.mean"), 300, 1e-9);

    /* The comparison: Lambda completed nothing, so it is neither cheapest nor fastest (Glue
     * and EMR are: EMR's 300 s beats Glue's 330 s); the note is printed under the table; Lambda
     * shows no latency ("-"); every line fits 80 columns. */
    assert_int_equal(res.r.comparison.fastest, 2);
    char *table = cli_render_table(res.s, &res.r);
    assert_non_null(table);
    const char *cmp = strstr(table, "\ncomparison\n");
    assert_non_null(cmp);
    assert_non_null(strstr(cmp, "note: lambda: "));
    assert_non_null(strstr(cmp, "\n  cheapest: "));
    assert_non_null(strstr(cmp, " · fastest: emr\n"));
    assert_null(strstr(cmp, "cheapest: lambda"));
    const char *lambda_row = strstr(cmp, "\n  lambda ");
    assert_non_null(lambda_row);
    const char *eol = strchr(lambda_row + 1, '\n');
    char row[128];
    snprintf(row, sizeof row, "%.*s", (int)(eol - lambda_row - 1), lambda_row + 1);
    assert_non_null(strstr(row, "       -         - ")); /* p50, p99 */
    assert_fits_80_columns(table);
    free(table);
    /* In JSON: null latencies, and the comparison object. */
    char *json = cli_render_json(res.s, &res.r);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"p99\": null"));
    assert_non_null(strstr(json, "\"fastest\": \"emr\""));
    assert_non_null(strstr(json, "\"overloaded\": false"));
    free(json);
    run_free(&res);

    /* A Glue timeout of 1 min kills the 330 s run at 60 s (billed 60 s); the item fails. */
    const char *const killed[] = {"glue.timeout=1min"};
    run_yaml(&res, yaml, killed, 1);
    assert_double_near(metric(&res, "glue", "timeouts"), 1, 0);
    assert_double_near(metric(&res, "glue", "failed"), 1, 0);
    assert_double_near(metric(&res, "glue", "completed"), 0, 0);
    assert_double_near(metric(&res, "glue", "dpu_hours"), 60.0 * 2 / 3600, 1e-12);
    assert_non_null(strstr(note(&res, "glue"), "glue.timeout"));
    run_free(&res);
}

/* The comparison table marks the cheapest and the fastest among platforms that completed all. */
static void test_comparison_marks(void **state) {
    (void)state;
    run_result res;
    run_yaml(&res, REFERENCE, NULL, 0);
    char *table = cli_render_table(res.s, &res.r);
    assert_non_null(table);
    const char *cmp = strstr(table, "\ncomparison");
    assert_non_null(cmp);
    const char *lambda_row = strstr(cmp, "\n  lambda ");
    const char *glue_row = strstr(cmp, "\n  glue ");
    const char *emr_row = strstr(cmp, "\n  emr ");
    assert_non_null(lambda_row);
    assert_non_null(glue_row);
    assert_non_null(emr_row);
    /* Lambda: $0.0208 and 6 s beats Glue ($0.0733, 16 min) and EMR ($0.72, 15.7 min). */
    assert_int_equal(res.r.comparison.cheapest, 0);
    assert_int_equal(res.r.comparison.fastest, 0);
    assert_non_null(strstr(emr_row, "\n  cheapest: lambda · fastest: lambda\n"));
    assert_fits_80_columns(table);
    free(table);
    run_free(&res);
}

/* Random start-ups, provisioning and arrivals: the same report for 1 and 2 threads. */
static void test_determinism_across_threads(void **state) {
    (void)state;
    static const char yaml[] =
        "name: t\nhorizon: 2h\nwarmup: 10min\nseed: 11\nreplications: 5\n"
        "workload:\n  arrivals: {process: poisson, rate: 1/s}\n"
        "  work: {cpu: {dist: exponential, mean: 2s}, io: 100ms}\n"
        "lambda:\n  memory: 1769MB\n"
        "glue:\n  trigger: {every: 10min, batch_items: 500}\n  max_concurrent_runs: 2\n"
        "emr:\n  mode: transient\n  trigger: {every: 20min}\n";
    run_result one, two;
    run_yaml_threads(&one, yaml, NULL, 0, 1);
    run_yaml_threads(&two, yaml, NULL, 0, 2);
    char *a = cli_render_json(one.s, &one.r), *b = cli_render_json(two.s, &two.r);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    /* Replications differ (their ci95 is not zero) and the platforms all ran. */
    assert_non_null(strstr(a, "\"glue\""));
    assert_non_null(strstr(a, "\"emr\""));
    assert_true(metric(&one, "glue", "jobs") > 0);
    assert_true(metric(&one, "emr", "provisioning_s.mean") >= 360);
    free(a);
    free(b);
    char *t1 = cli_render_table(one.s, &one.r), *t2 = cli_render_table(two.s, &two.r);
    assert_string_equal(t1, t2);
    free(t1);
    free(t2);
    run_free(&one);
    run_free(&two);
}

int main(void) {
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_platforms_closed_form),
        cmocka_unit_test(test_batch_platform_alone),
        cmocka_unit_test(test_emr_transient_vs_persistent),
        cmocka_unit_test(test_emr_serverless),
        cmocka_unit_test(test_glue_minimum_billing),
        cmocka_unit_test(test_glue_max_concurrent_runs),
        cmocka_unit_test(test_emr_serverless_auto_stop),
        cmocka_unit_test(test_emr_task_nodes_spot_ebs),
        cmocka_unit_test(test_glue_rejected_runs_drain),
        cmocka_unit_test(test_glue_python_shell),
        cmocka_unit_test(test_glue_auto_scaling),
        cmocka_unit_test(test_triggers_and_warmup),
        cmocka_unit_test(test_twenty_minute_item),
        cmocka_unit_test(test_comparison_marks),
        cmocka_unit_test(test_determinism_across_threads),
    };
    return cmocka_run_group_tests_name("glue_emr", tests, NULL, NULL);
}
