/* tests/unit/test_scenario.c — the scenario loader (models/scenario.h) against the format.
 *
 * A scenario using every key loads with the expected values in base units; a minimal one gets
 * the documented defaults; `--set` overrides replace, create and fail with `--set:N:COL`
 * positions; every error of a broken file is reported with its line:col; the effective scenario
 * written by scenario_write_yaml loads back to the same text; data files are found relative to
 * the scenario file, with environment variables in their paths expanded. Files are written into a fresh temporary directory. */
#include "test_util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/scenario.h"
#include "sim/error.h"

static char tmpdir[64];

static void write_file(const char *rel, const char *text) { test_write_file(tmpdir, rel, text); }

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/capsim-test-scenario-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    char sub[128];
    snprintf(sub, sizeof sub, "%s/data", tmpdir);
    return mkdir(sub, 0755);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Loads tmpdir/rel; fails the test (printing every diagnostic) unless it loads. */
static scenario *load_ok(const char *rel, const char *const *ov, size_t n_ov)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    int rc = scenario_load_file(path, ov, n_ov, &diag, &s);
    if (rc != SIM_OK) {
        sim_diag_print(&diag, stderr);
        sim_diag_fini(&diag);
        fail_msg("%s did not load: %s", rel, sim_strerror(rc));
    }
    assert_int_equal(sim_diag_count(&diag), 0);
    sim_diag_fini(&diag);
    return s;
}

/* Loads text expecting failure; returns every diagnostic joined by newlines (caller frees). */
static char *load_errors(const char *text, const char *const *ov, size_t n_ov, int expect_rc)
{
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    int rc = scenario_load_string("t.yaml", text, ov, n_ov, &diag, &s);
    assert_null(s);
    assert_int_equal(rc, expect_rc);
    size_t len = 1;
    for (size_t i = 0; i < diag.count; i++)
        len += strlen(diag.entries[i].text) + 1;
    char *all = calloc(1, len);
    assert_non_null(all);
    for (size_t i = 0; i < diag.count; i++) {
        strcat(all, diag.entries[i].text);
        strcat(all, "\n");
    }
    sim_diag_fini(&diag);
    return all;
}

static void assert_has(const char *all, const char *line)
{
    if (!strstr(all, line)) {
        /* (cmocka's messages are cut at a few hundred characters: print the list ourselves) */
        fprintf(stderr, "expected a diagnostic containing\n  %s\ngot:\n%s", line, all);
        fail();
    }
}

static char *write_yaml(const scenario *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(scenario_write_yaml(s, f), 0);
    fclose(f);
    return buf;
}

static const char FULL[] =
    "name: full-example\n"
    "description: Every key of the format.\n"
    "horizon: 2h\n"
    "warmup: 10min\n"
    "seed: 9223372036854775807\n"
    "replications: 7\n"
    "workload:\n"
    "  arrivals:\n"
    "    process: mmpp\n"
    "    mmpp: {states: [{rate: 1/s, dwell: 10min}, {rate: 80/s, dwell: 30s}]}\n"
    "  bursts:\n"
    "    - {at: 10min, count: 100}\n"
    "    - {at: 1h, count: 5, every: 2h}\n"
    "  item:\n"
    "    size: {dist: lognormal, median: 5MB, sigma: 0.8}\n"
    "    records: 3\n"
    "  work:\n"
    "    cpu: {dist: empirical, file: data/cpu.txt}\n"
    "    cpu_per_mb: 20ms\n"
    "    io: {dist: gamma, mean: 100ms, cv: 0.5}\n"
    "    threads: 2\n"
    "  errors:\n"
    "    rate: 0.001\n"
    "    poison: 1e-4\n"
    "lambda:\n"
    "  memory: 1536MB\n"
    "  architecture: arm64\n"
    "  timeout: 900s\n"
    "  ephemeral_storage: 2GB\n"
    "  trigger: kinesis\n"
    "  cold_start:\n"
    "    init: {dist: lognormal, median: 300ms, p99: 1s}\n"
    "    init_billed: false\n"
    "  keep_alive: {dist: uniform, min: 5min, max: 15min}\n"
    "  max_lifetime: {dist: constant, value: 3h}\n"
    "  routing: random\n"
    "  concurrency:\n"
    "    account_limit: 3000\n"
    "    reserved: 2000\n"
    "    scale_rate: 500/1min\n"
    "    provisioned: [{from: 12h, to: 20h, count: 100}, {from: 6h, to: 8h, count: 10}]\n"
    "  async: {max_retries: 0, max_event_age: 60s, on_failure: drop}\n"
    "  kinesis:\n"
    "    shards: 4\n"
    "    batch_size: 10000\n"
    "    batch_window: 300s\n"
    "    parallelization_factor: 10\n"
    "    max_retries: 10000\n"
    "    bisect_on_error: true\n"
    "  sqs: {batch_size: 5, batch_window: 1s, max_concurrency: 2, max_receives: 9}\n"
    "glue:\n"
    "  version: \"3.0\"\n"
    "  worker_type: G.2X\n"
    "  workers: 2\n"
    "  execution_class: flex\n"
    "  trigger: {batch_items: 1000}\n"
    "  startup: {dist: exponential, mean: 30s}\n"
    "  efficiency: 1\n"
    "  max_concurrent_runs: 3\n"
    "  timeout: 1min\n"
    "emr:\n"
    "  deployment: serverless\n"
    "  mode: transient\n"
    "  instance_type: r5.2xlarge\n"
    "  core_nodes: 5\n"
    "  provisioning: {dist: pareto, min: 5min, alpha: 1.5}\n"
    "  trigger: {every: 30min, batch_items: 50}\n"
    "  efficiency: 0.5\n"
    "  serverless: {vcpu: 8, memory: 32GB, workers: 20, startup: 2min, pre_initialized: 4}\n"
    "pricing:\n"
    "  table: aws-us-east-1\n"
    "  free_tier: true\n"
    "  month: 31d\n"
    "lesson:\n"
    "  topic: cold-starts\n"
    "  question: \"What is a cold start?\"\n"
    "  explain: |\n"
    "    First line.\n"
    "    Second line: with a colon.\n";

static void test_full_scenario(void **state)
{
    (void)state;
    write_file("data/cpu.txt", "# vCPU-seconds\n0.5\n250ms\n\n2s  # slow one\n0.1\n");
    write_file("full.yaml", FULL);
    scenario *s = load_ok("full.yaml", NULL, 0);
    assert_string_equal(s->name, "full-example");
    assert_string_equal(s->description, "Every key of the format.");
    assert_int_equal(s->horizon_us, INT64_C(7200000000));
    assert_int_equal(s->warmup_us, INT64_C(600000000));
    assert_true(s->seed == (uint64_t)INT64_MAX);
    assert_int_equal(s->replications, 7);

    const scn_workload *w = &s->workload;
    assert_int_equal(w->process, SCN_ARRIVALS_MMPP);
    assert_int_equal(w->n_mmpp_states, 2);
    assert_double_near(w->mmpp_states[1].rate_per_s, 80, 0);
    assert_int_equal(w->mmpp_states[1].dwell_us, 30000000);
    assert_int_equal(w->n_bursts, 2);
    assert_int_equal(w->bursts[1].at_us, INT64_C(3600000000));
    assert_int_equal(w->bursts[1].count, 5);
    assert_int_equal(w->bursts[1].every_us, INT64_C(7200000000));
    assert_int_equal(w->bursts[0].every_us, 0);
    assert_int_equal(w->item_size.form, SCN_FORM_LOGNORMAL_SIGMA);
    assert_int_equal(w->item_size.quantity, SCN_QTY_SIZE);
    assert_double_near(w->item_size.p1, 5, 0);
    assert_double_near(w->item_size.p2, 0.8, 0);
    assert_int_equal(w->item_size.dist.kind, SIM_DIST_LOGNORMAL);
    assert_int_equal(w->item_records, 3);
    assert_int_equal(w->work_cpu.form, SCN_FORM_EMPIRICAL);
    assert_string_equal(w->work_cpu.file, "data/cpu.txt");
    assert_int_equal(w->work_cpu.n_values, 4);
    assert_double_near(w->work_cpu.values[0], 0.1, 0); /* sorted */
    assert_double_near(w->work_cpu.values[1], 0.25, 0);
    assert_double_near(w->work_cpu.values[3], 2, 0);
    assert_ptr_equal(w->work_cpu.dist.values, w->work_cpu.values);
    assert_int_equal(w->work_cpu_per_mb.form, SCN_FORM_PLAIN);
    assert_double_near(w->work_cpu_per_mb.p1, 0.02, 1e-15);
    assert_int_equal(w->work_io.form, SCN_FORM_GAMMA);
    assert_double_near(w->work_io.p2, 0.5, 0);
    assert_int_equal(w->work_threads, 2);
    assert_double_near(w->error_rate, 0.001, 0);
    assert_double_near(w->poison_rate, 1e-4, 0);

    const scn_lambda *L = &s->lambda;
    assert_true(L->present);
    assert_int_equal(L->memory_mb, 1536);
    assert_int_equal(L->architecture, SCN_ARCH_ARM64);
    assert_int_equal(L->timeout_us, INT64_C(900000000));
    assert_int_equal(L->ephemeral_mb, 2048);
    assert_int_equal(L->trigger, SCN_TRIGGER_KINESIS);
    assert_int_equal(L->init.form, SCN_FORM_LOGNORMAL_P99);
    assert_double_near(L->init.p1, 0.3, 1e-15);
    assert_double_near(L->init.p2, 1.0, 0);
    assert_false(L->init_billed);
    assert_int_equal(L->keep_alive.form, SCN_FORM_UNIFORM);
    assert_double_near(L->keep_alive.p2, 900, 0);
    assert_true(L->has_max_lifetime);
    assert_int_equal(L->max_lifetime.form, SCN_FORM_CONSTANT);
    assert_double_near(L->max_lifetime.p1, 10800, 0);
    assert_int_equal(L->routing, SCN_ROUTING_RANDOM);
    assert_int_equal(L->account_limit, 3000);
    assert_int_equal(L->reserved, 2000);
    assert_double_near(L->scale_count, 500, 0);
    assert_int_equal(L->scale_period_us, 60000000);
    assert_int_equal(L->n_provisioned_windows, 2);
    assert_int_equal(L->provisioned_schedule[0].from_us, INT64_C(21600000000)); /* sorted */
    assert_int_equal(L->provisioned_schedule[1].count, 100);
    assert_int_equal(L->async_max_retries, 0);
    assert_int_equal(L->async_max_event_age_us, 60000000);
    assert_int_equal(L->async_on_failure, SCN_ON_FAILURE_DROP);
    assert_int_equal(L->kinesis_shards, 4);
    assert_int_equal(L->kinesis_batch_size, 10000);
    assert_int_equal(L->kinesis_batch_window_us, 300000000);
    assert_int_equal(L->kinesis_parallelization, 10);
    assert_int_equal(L->kinesis_max_retries, 10000);
    assert_true(L->kinesis_bisect_on_error);
    assert_int_equal(L->sqs_batch_size, 5);
    assert_int_equal(L->sqs_batch_window_us, 1000000);
    assert_int_equal(L->sqs_max_concurrency, 2);
    assert_int_equal(L->sqs_max_receives, 9);

    const scn_glue *g = &s->glue;
    assert_true(g->present);
    assert_string_equal(g->version, "3.0");
    assert_int_equal(g->worker_type, SCN_GLUE_G2X);
    assert_double_near(g->dpu_per_worker, 2, 0);
    assert_int_equal(g->workers, 2);
    assert_int_equal(g->execution_class, SCN_EXEC_FLEX);
    assert_int_equal(g->trigger.every_us, 0);
    assert_int_equal(g->trigger.batch_items, 1000);
    assert_int_equal(g->startup.form, SCN_FORM_EXPONENTIAL);
    assert_double_near(g->efficiency, 1, 0);
    assert_int_equal(g->max_concurrent_runs, 3);
    assert_int_equal(g->timeout_us, 60000000);

    const scn_emr *e = &s->emr;
    assert_true(e->present);
    assert_int_equal(e->deployment, SCN_EMR_SERVERLESS);
    assert_int_equal(e->mode, SCN_EMR_TRANSIENT);
    assert_string_equal(e->instance_type, "r5.2xlarge");
    assert_int_equal(e->core_nodes, 5);
    assert_int_equal(e->provisioning.form, SCN_FORM_PARETO);
    assert_double_near(e->provisioning.p1, 300, 0);
    assert_double_near(e->provisioning.p2, 1.5, 0);
    assert_int_equal(e->trigger.every_us, INT64_C(1800000000));
    assert_int_equal(e->trigger.batch_items, 50);
    assert_double_near(e->efficiency, 0.5, 0);
    assert_double_near(e->sl_vcpu, 8, 0);
    assert_double_near(e->sl_memory_gb, 32, 0);
    assert_int_equal(e->sl_workers, 20);
    assert_double_near(e->sl_startup.p1, 120, 0);
    assert_int_equal(e->sl_pre_initialized, 4);

    assert_string_equal(s->pricing.table, "aws-us-east-1");
    assert_true(s->pricing.free_tier);
    assert_int_equal(s->pricing.month_us, INT64_C(31) * 86400 * 1000000);
    assert_true(s->lesson.present);
    assert_string_equal(s->lesson.topic, "cold-starts");
    assert_string_equal(s->lesson.question, "What is a cold start?");
    assert_string_equal(s->lesson.explain, "First line.\nSecond line: with a colon.\n");

    /* Where keys were written, including list items. */
    int line, col;
    assert_true(scenario_key_pos(s, "lambda.memory", &line, &col));
    assert_int_equal(line, 26);
    assert_int_equal(col, 3);
    assert_true(scenario_key_pos(s, "workload.bursts[1].every", &line, &col));
    assert_int_equal(line, 13);
    assert_int_equal(col, 26);
    assert_true(scenario_key_pos(s, "workload.arrivals.mmpp.states[0].dwell", &line, &col));
    assert_int_equal(line, 10);
    assert_true(scenario_key_pos(s, "lambda.kinesis", &line, &col));
    assert_false(scenario_key_pos(s, "workload.arrivals.rate", &line, &col));
    assert_int_equal(line, 0);
    scenario_destroy(s);
}

static void test_defaults(void **state)
{
    (void)state;
    write_file("min.yaml", "name: min\nhorizon: 1h\n"
                           "workload: {arrivals: {process: poisson, rate: 2/s}}\n"
                           "lambda:\nglue: {version: \"1.0\"}\nemr: {}\n");
    scenario *s = load_ok("min.yaml", NULL, 0);
    assert_int_equal(s->warmup_us, 0);
    assert_true(s->seed == 1);
    assert_int_equal(s->replications, 1);
    assert_null(s->description);
    const scn_workload *w = &s->workload;
    assert_double_near(w->rate_per_s, 2, 0);
    assert_int_equal(w->n_bursts, 0);
    assert_int_equal(w->item_size.form, SCN_FORM_PLAIN);
    assert_double_near(w->item_size.p1, 1, 0);
    assert_int_equal(w->item_records, 1);
    assert_double_near(w->work_cpu.p1, 0, 0);
    assert_int_equal(w->work_threads, 1);
    assert_double_near(w->error_rate, 0, 0);
    assert_int_equal(w->diurnal_period_us, INT64_C(86400000000));
    assert_int_equal(w->diurnal_peak_at_us, INT64_C(14) * 3600 * 1000000);
    assert_double_near(w->trace.scale, 1, 0);

    const scn_lambda *L = &s->lambda;
    assert_true(L->present); /* `lambda:` with nothing takes every default */
    assert_int_equal(L->memory_mb, 1024);
    assert_int_equal(L->architecture, SCN_ARCH_X86_64);
    assert_int_equal(L->timeout_us, 60000000);
    assert_int_equal(L->ephemeral_mb, 512);
    assert_int_equal(L->trigger, SCN_TRIGGER_SYNC);
    assert_int_equal(L->init.form, SCN_FORM_LOGNORMAL_P99);
    assert_double_near(L->init.p1, 0.25, 1e-15);
    assert_double_near(L->init.p2, 0.7, 1e-15);
    assert_true(L->init_billed);
    assert_int_equal(L->keep_alive.form, SCN_FORM_PLAIN);
    assert_double_near(L->keep_alive.p1, 600, 0);
    assert_false(L->has_max_lifetime);
    assert_int_equal(L->routing, SCN_ROUTING_MRU);
    assert_int_equal(L->account_limit, 1000);
    assert_int_equal(L->reserved, -1);
    assert_double_near(L->scale_count, 1000, 0);
    assert_int_equal(L->scale_period_us, 10000000);
    assert_int_equal(L->provisioned, 0);
    assert_null(L->provisioned_schedule);
    assert_int_equal(L->async_max_retries, 2);
    assert_int_equal(L->async_max_event_age_us, INT64_C(6) * 3600 * 1000000);
    assert_int_equal(L->async_on_failure, SCN_ON_FAILURE_DLQ);
    assert_int_equal(L->kinesis_shards, 1);
    assert_int_equal(L->kinesis_batch_size, 100);
    assert_int_equal(L->kinesis_batch_window_us, 0);
    assert_int_equal(L->kinesis_parallelization, 1);
    assert_int_equal(L->kinesis_max_retries, -1);
    assert_false(L->kinesis_bisect_on_error);
    assert_int_equal(L->sqs_batch_size, 10);
    assert_int_equal(L->sqs_batch_window_us, 0);
    assert_int_equal(L->sqs_max_concurrency, 1000);
    assert_int_equal(L->sqs_max_receives, 3);

    const scn_glue *g = &s->glue;
    assert_string_equal(g->version, "1.0");
    assert_int_equal(g->worker_type, SCN_GLUE_G1X);
    assert_double_near(g->dpu_per_worker, 1, 0);
    assert_int_equal(g->workers, 10);
    assert_int_equal(g->trigger.every_us, 15 * 60000000);
    assert_int_equal(g->trigger.batch_items, 0);
    assert_int_equal(g->startup.form, SCN_FORM_UNIFORM); /* Glue 1.0: 8..10 min */
    assert_double_near(g->startup.p1, 480, 0);
    assert_double_near(g->startup.p2, 600, 0);
    assert_double_near(g->efficiency, 0.6, 0);
    assert_int_equal(g->max_concurrent_runs, 1);
    assert_int_equal(g->timeout_us, INT64_C(48) * 3600 * 1000000);

    const scn_emr *e = &s->emr;
    assert_int_equal(e->deployment, SCN_EMR_EC2);
    assert_int_equal(e->mode, SCN_EMR_PERSISTENT);
    assert_string_equal(e->instance_type, "m5.xlarge");
    assert_int_equal(e->core_nodes, 2);
    assert_double_near(e->provisioning.p1, 360, 0);
    assert_double_near(e->provisioning.p2, 600, 0);
    assert_int_equal(e->trigger.every_us, INT64_C(3600000000));
    assert_double_near(e->efficiency, 0.7, 0);
    assert_double_near(e->sl_vcpu, 4, 0);
    assert_double_near(e->sl_memory_gb, 16, 0);
    assert_int_equal(e->sl_workers, 10);
    assert_double_near(e->sl_startup.p1, 90, 0);

    assert_string_equal(s->pricing.table, "aws-us-east-1");
    assert_false(s->pricing.free_tier);
    assert_int_equal(s->pricing.month_us, INT64_C(30) * 86400 * 1000000);
    assert_false(s->lesson.present);
    scenario_destroy(s);

    /* Glue 2.0 and later start in 10..60 s by default. */
    write_file("glue2.yaml", "name: g\nhorizon: 1h\n"
                             "workload: {arrivals: {process: constant, rate: 1/min}}\n"
                             "glue: {version: 2.0}\n");
    s = load_ok("glue2.yaml", NULL, 0);
    assert_false(s->lambda.present);
    assert_string_equal(s->glue.version, "2.0");
    assert_double_near(s->glue.startup.p1, 10, 0);
    assert_double_near(s->glue.startup.p2, 60, 0);
    scenario_destroy(s);
}

static const char MIN[] = "name: m\nhorizon: 1h\n"
                          "workload:\n  arrivals: {process: poisson, rate: 1/s}\n"
                          "lambda:\n  memory: 512MB\n";

static void test_overrides(void **state)
{
    (void)state;
    write_file("ov.yaml", MIN);
    const char *ov[] = {
        "lambda.memory=2048MB",
        "lambda.cold_start.init={dist: exponential, mean: 1s}", /* creates cold_start */
        "glue.trigger.every=1h",                                 /* creates glue and trigger */
        "horizon=2h",
        "glue.version=\"5.0\"",
        "lambda.concurrency.provisioned=[{from: 1h, to: 2h, count: 3}]",
    };
    scenario *s = load_ok("ov.yaml", ov, sizeof ov / sizeof ov[0]);
    assert_int_equal(s->lambda.memory_mb, 2048);
    assert_int_equal(s->lambda.init.form, SCN_FORM_EXPONENTIAL);
    assert_double_near(s->lambda.init.p1, 1, 0);
    assert_true(s->glue.present);
    assert_int_equal(s->glue.trigger.every_us, INT64_C(3600000000));
    assert_string_equal(s->glue.version, "5.0");
    assert_int_equal(s->horizon_us, INT64_C(7200000000));
    assert_int_equal(s->lambda.n_provisioned_windows, 1);
    const char *src;
    int line, col;
    assert_true(scenario_key_where(s, "lambda.memory", &src, &line, &col));
    assert_string_equal(src, "--set"); /* the key was replaced by override 1 */
    assert_true(scenario_key_where(s, "glue.trigger.every", &src, &line, &col));
    assert_string_equal(src, "--set");
    assert_int_equal(line, 3);
    assert_int_equal(col, 14);
    assert_true(scenario_key_where(s, "name", &src, &line, &col));
    assert_string_equal(src, s->file);
    scenario_destroy(s);

    /* Errors in overrides point at --set:N:COL, with the same checks as the file. */
    const char *bad[] = {
        "lambda.memory=20000MB",
        "lambda.memroy=1GB",
        "lambda.cold_start.init={dist: gamma, mean: 2s, cv: -1}",
        "lambda.timeout={a",
        "nokey",
        "lambda..memory=1GB",
        "lambda.memory.x=1",
    };
    char *all = load_errors(MIN, bad, sizeof bad / sizeof bad[0], SIM_ESCENARIO);
    assert_has(all, "--set:1:15: error: lambda.memory: 20000MB is outside 128MB..10240MB\n");
    assert_has(all, "--set:2:8: error: lambda.memroy: unknown key 'memroy'; did you mean 'memory'?");
    assert_has(all, "--set:3:52: error: lambda.cold_start.init.cv: cv");
    assert_has(all, "--set:4:");
    assert_has(all, "error: lambda.timeout: YAML syntax:");
    assert_has(all, "--set:5:1: error: expected KEY=VALUE");
    assert_has(all, "--set:6:8: error: lambda..memory: empty part");
    assert_has(all, "--set:7:8: error: lambda.memory: cannot set a key inside 'lambda.memory'");
    free(all);
}

/* The overrides' errors come after the file's, in the order the overrides were given — not in
 * the order the walk meets their keys — and a pricing table's own errors stay right after the
 * error at the override that named it. */
static void test_override_errors_in_given_order(void **state)
{
    (void)state;
    const char text[] = "name: m\nhorizon: 1h\n"
                        "workload:\n  arrivals: {process: poisson, rate: 1/s}\n"
                        "lambda:\n  memory: 1MB\n"; /* the file's own error, at 6:11 */
    const char *ov[] = {
        "workload.arrivals.rate=abc",
        "horizon=xx",
        "pricing.table=" CAPSIM_SOURCE_DIR "/tests/data/pricing/bad-negative-price.yaml",
        "lambda.timeout=-1s",
        "bogus=1",
    };
    char *all = load_errors(text, ov, sizeof ov / sizeof ov[0], SIM_ESCENARIO);
    const char *in_order[] = {
        "t.yaml:6:11: error: lambda.memory",
        "--set:1:24: error: workload.arrivals.rate",
        "--set:2:9: error: horizon",
        "--set:3:15: error: pricing.table: pricing table",
        "bad-negative-price.yaml:12:31: error:",
        "--set:4:16: error: lambda.timeout",
        "--set:5:1: error: bogus: unknown key",
    };
    const char *at = all;
    for (size_t i = 0; i < sizeof in_order / sizeof in_order[0]; i++) {
        const char *found = strstr(at, in_order[i]);
        if (!found) fprintf(stderr, "expected, after the previous one:\n  %s\ngot:\n%s", in_order[i], all);
        assert_non_null(found);
        at = found + 1;
    }
    free(all);

    /* The same keys, overrides given the other way round. */
    const char *reversed[] = {"lambda.timeout=-1s", "horizon=xx", "workload.arrivals.rate=abc"};
    all = load_errors(MIN, reversed, 3, SIM_ESCENARIO);
    const char *timeout = strstr(all, "--set:1:16: error: lambda.timeout");
    const char *horizon = strstr(all, "--set:2:9: error: horizon");
    const char *rate = strstr(all, "--set:3:24: error: workload.arrivals.rate");
    if (!(timeout && horizon && rate && timeout < horizon && horizon < rate))
        fprintf(stderr, "expected --set:1, 2, 3 in order; got:\n%s", all);
    assert_true(timeout && horizon && rate && timeout < horizon && horizon < rate);
    free(all);
}

static void test_all_errors_reported(void **state)
{
    (void)state;
    const char text[] =
        "name: Bad_Name\n"                                      /* 1 */
        "horizon: 120\n"                                        /* 2 */
        "workload:\n"                                           /* 3 */
        "  arrivals:\n"                                         /* 4 */
        "    process: poisson\n"                                /* 5 */
        "  item:\n"                                             /* 6 */
        "    size: {dist: lognormal, median: 5MB, p99: 1MB}\n"  /* 7 */
        "    records: 0128\n"                                   /* 8 */
        "  work: [1, 2]\n"                                      /* 9 */
        "lambda:\n"                                             /* 10 */
        "  memroy: 1024MB\n"                                    /* 11 */
        "  memory: 20000MB\n"                                   /* 12 */
        "  memory: 128MB\n"                                     /* 13 */
        "  timeout: 1e3\n"                                      /* 14 */
        "  concurrency: {reserved: 950, provisioned: 5}\n"     /* 15 */
        "glue: {version: 4, workers: 1}\n";                     /* 16 */
    char *all = load_errors(text, NULL, 0, SIM_ESCENARIO);
    assert_has(all, "t.yaml:1:7: error: name: 'Bad_Name' must use only a-z, 0-9 and '-'\n");
    assert_has(all, "t.yaml:2:10: error: horizon: '120' has no unit; expected a duration like");
    assert_has(all, "t.yaml:5:5: error: workload.arrivals.rate: required key is missing");
    assert_has(all, "t.yaml:7:47: error: workload.item.size.p99: p99 (1MB) must be greater than "
                    "the median (5MB)\n");
    assert_has(all, "t.yaml:8:14: error: workload.item.records: '0128' has a leading zero");
    assert_has(all, "t.yaml:9:9: error: workload.work: expected a map of keys, not a list\n");
    assert_has(all, "t.yaml:11:3: error: lambda.memroy: unknown key 'memroy'; did you mean "
                    "'memory'?\n");
    assert_has(all, "t.yaml:12:11: error: lambda.memory: 20000MB is outside 128MB..10240MB\n");
    assert_has(all, "t.yaml:13:3: error: lambda.memory: duplicate key 'memory' (first written at "
                    "t.yaml:12:3)\n");
    assert_has(all, "t.yaml:14:12: error: lambda.timeout: '1e3'");
    assert_has(all, "t.yaml:15:27: error: lambda.concurrency.reserved: 950 leaves fewer than 100");
    assert_has(all, "t.yaml:16:17: error: glue.version: '4' is not a Glue version");
    assert_has(all, "t.yaml:16:29: error: glue.workers: 1 is outside 2..299\n");
    free(all);

    /* Syntax errors carry libyaml's position; a missing file is an I/O error. */
    all = load_errors("name: x\nlambda:\n  memory: [1\n", NULL, 0, SIM_ESCENARIO);
    assert_has(all, "t.yaml:4:1: error: YAML syntax: did not find expected ',' or ']'");
    free(all);
    all = load_errors("name: x\n\tlambda: {}\n", NULL, 0, SIM_ESCENARIO);
    assert_has(all, "t.yaml:2:1: error: YAML syntax:");
    free(all);
    all = load_errors("", NULL, 0, SIM_ESCENARIO);
    assert_has(all, "t.yaml:1:1: error: name: required key is missing\n");
    assert_has(all, "at least one platform");
    free(all);

    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    char path[256];
    snprintf(path, sizeof path, "%s/does-not-exist.yaml", tmpdir);
    assert_int_equal(scenario_load_file(path, NULL, 0, &diag, &s), SIM_EIO);
    assert_null(s);
    assert_int_equal(diag.count, 1);
    assert_non_null(strstr(diag.entries[0].text, "does-not-exist.yaml: error: cannot read: No such file"));
    sim_diag_fini(&diag);
}

/* write(load(x)) loads back and writes the identical text. */
static void check_round_trip(const char *rel)
{
    scenario *s = load_ok(rel, NULL, 0);
    char *first = write_yaml(s);
    scenario_destroy(s);
    write_file("rt.yaml", first);
    s = load_ok("rt.yaml", NULL, 0);
    char *second = write_yaml(s);
    scenario_destroy(s);
    if (strcmp(first, second) != 0)
        fail_msg("round trip of %s differs:\n--- first\n%s--- second\n%s", rel, first, second);
    free(first);
    free(second);
}

static void test_round_trip(void **state)
{
    (void)state;
    write_file("data/cpu.txt", "0.5\n250ms\n");
    write_file("full.yaml", FULL);
    check_round_trip("full.yaml");
    write_file("min.yaml", MIN);
    check_round_trip("min.yaml");
    write_file("odd.yaml",
               "name: odd\nhorizon: 1.5h\ndescription: \"quotes \\\" and: colons # here\"\n"
               "workload:\n  arrivals: {process: diurnal, diurnal: {mean_rate: 6000/min, "
               "amplitude: 0.8}}\n  item: {size: 1536KB}\n"
               "lambda: {memory: 1000MB, keep_alive: 90s, concurrency: {scale_rate: 2/h}}\n"
               "emr: {mode: transient}\n");
    check_round_trip("odd.yaml");

    scenario *s = load_ok("odd.yaml", NULL, 0);
    char *text = write_yaml(s);
    assert_non_null(strstr(text, "horizon: 1.5h\n"));
    assert_non_null(strstr(text, "mean_rate: 100/s\n"));
    assert_non_null(strstr(text, "size: 1.5MB\n"));
    assert_non_null(strstr(text, "keep_alive: 1.5min\n"));
    assert_non_null(strstr(text, "scale_rate: 2/h\n"));
    assert_non_null(strstr(text, "memory: 1000MB\n"));
    free(text);
    scenario_destroy(s);
}

static void test_data_files(void **state)
{
    (void)state;
    char sub[128];
    snprintf(sub, sizeof sub, "%s/nested", tmpdir);
    assert_int_equal(mkdir(sub, 0755), 0);
    snprintf(sub, sizeof sub, "%s/nested/data", tmpdir);
    assert_int_equal(mkdir(sub, 0755), 0);
    write_file("nested/data/sizes.txt", "1MB\n# comment\n\n0.5\n2GB\n");
    write_file("nested/data/ts.csv", "0.5\n1.5\n");
    write_file("nested/x.yaml",
               "name: files\nhorizon: 1h\n"
               "workload:\n"
               "  arrivals: {process: trace, trace: {file: data/ts.csv, loop: true}}\n"
               "  item: {size: {dist: empirical, file: data/sizes.txt}}\n"
               "lambda: {}\n");
    scenario *s = load_ok("nested/x.yaml", NULL, 0);
    assert_int_equal(s->workload.item_size.n_values, 3);
    assert_double_near(s->workload.item_size.values[0], 0.5, 0);
    assert_double_near(s->workload.item_size.values[2], 2048, 0);
    char expect[256];
    snprintf(expect, sizeof expect, "%s/nested/data/ts.csv", tmpdir);
    assert_string_equal(s->workload.trace.path, expect);
    assert_string_equal(s->workload.trace.file, "data/ts.csv");
    assert_int_equal(s->workload.trace.format, SCN_TRACE_TIMESTAMPS);
    assert_true(s->workload.trace.loop);
    scenario_destroy(s);

    /* Errors inside a data file are reported as DATAFILE:LINE. */
    write_file("nested/data/bad.txt", "1MB\n5 MB\n-2\n");
    write_file("nested/y.yaml",
               "name: files\nhorizon: 1h\n"
               "workload:\n"
               "  arrivals: {process: poisson, rate: 1/s}\n"
               "  item: {size: {dist: empirical, file: data/bad.txt}}\n"
               "  work: {cpu: {dist: empirical, file: data/missing.txt}}\n"
               "lambda: {}\n");
    char path[256];
    snprintf(path, sizeof path, "%s/nested/y.yaml", tmpdir);
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *bad = NULL;
    assert_int_equal(scenario_load_file(path, NULL, 0, &diag, &bad), SIM_ESCENARIO);
    assert_int_equal(diag.count, 3);
    assert_non_null(strstr(diag.entries[0].text, "nested/data/bad.txt:2: error: workload.item.size.file:"));
    assert_non_null(strstr(diag.entries[1].text, "nested/data/bad.txt:3: error:"));
    assert_non_null(strstr(diag.entries[2].text, "nested/y.yaml:6:39: error: workload.work.cpu.file: "
                                                 "cannot read"));
    sim_diag_fini(&diag);
}

/* Data-file paths expand environment variables (${NAME}, $NAME, $$), so a scenario can name data
 * that lives outside the repository (a downloaded trace) without naming a machine's folders. A
 * relative result is relative to the scenario, like any path. An unset or empty variable, or a
 * '$' that starts no variable, is a scenario error at the path, with the scenario's advice
 * (${NAME:?advice}) when it gives one. */
static void test_path_variables(void **state)
{
    (void)state;
    char sub[128], path[256], want[256];
    snprintf(sub, sizeof sub, "%s/vars", tmpdir);
    assert_int_equal(mkdir(sub, 0755), 0);
    snprintf(sub, sizeof sub, "%s/vars/d$x", tmpdir);
    assert_int_equal(mkdir(sub, 0755), 0);
    write_file("vars/d$x/ts.csv", "0.5\n1.5\n");
    write_file("vars/d$x/sizes.txt", "1MB\n2MB\n");
    write_file("vars/ok.yaml",
               "name: vars\nhorizon: 1h\n"
               "workload:\n"
               "  arrivals: {process: trace, trace: {file: \"${CAPSIM_TEST_DATA}/ts.csv\"}}\n"
               "  item: {size: {dist: empirical, file: $CAPSIM_TEST_REL/d$$x/sizes.txt}}\n"
               "lambda: {}\n");
    snprintf(sub, sizeof sub, "%s/vars/d$x", tmpdir);
    assert_int_equal(setenv("CAPSIM_TEST_DATA", sub, 1), 0); /* absolute: taken as is */
    assert_int_equal(setenv("CAPSIM_TEST_REL", ".", 1), 0);  /* relative: to the scenario */
    scenario *s = load_ok("vars/ok.yaml", NULL, 0);
    snprintf(want, sizeof want, "%s/ts.csv", sub);
    assert_string_equal(s->workload.trace.path, want);
    assert_string_equal(s->workload.trace.file, "${CAPSIM_TEST_DATA}/ts.csv"); /* as written */
    assert_int_equal(s->workload.trace.n_times, 2);
    assert_int_equal(s->workload.item_size.n_values, 2);
    scenario_destroy(s);

    /* Unset, empty, and malformed: each reported at its path, all of them. */
    unsetenv("CAPSIM_TEST_DATA");
    assert_int_equal(setenv("CAPSIM_TEST_REL", "", 1), 0);
    write_file("vars/bad.yaml",
               "name: vars\nhorizon: 1h\n"
               "workload:\n"
               "  arrivals:\n"
               "    process: trace\n"
               "    trace:\n"
               "      file: \"${CAPSIM_TEST_DATA:?download the trace and set CAPSIM_TEST_DATA}/t.csv\"\n"
               "  item: {size: {dist: empirical, file: \"${CAPSIM_TEST_REL}/sizes.txt\"}}\n"
               "  work:\n"
               "    cpu: {dist: empirical, file: data/$/cpu.txt}\n"
               "    io: {dist: empirical, file: \"${CAPSIM_TEST_DATA:-x}/io.txt\"}\n"
               "lambda:\n"
               "  keep_alive: {dist: empirical, file: $CAPSIM_TEST_DATA/k.txt}\n");
    snprintf(path, sizeof path, "%s/vars/bad.yaml", tmpdir);
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *bad = NULL;
    assert_int_equal(scenario_load_file(path, NULL, 0, &diag, &bad), SIM_ESCENARIO);
    assert_null(bad);
    const char *want_errors[] = {
        "vars/bad.yaml:7:13: error: workload.arrivals.trace.file: environment variable "
        "CAPSIM_TEST_DATA is not set: download the trace and set CAPSIM_TEST_DATA",
        "vars/bad.yaml:8:40: error: workload.item.size.file: environment variable "
        "CAPSIM_TEST_REL is empty: set it to where the data is (export CAPSIM_TEST_REL=/path/to/it) "
        "or write the path '${CAPSIM_TEST_REL}/sizes.txt' in full",
        "vars/bad.yaml:10:34: error: workload.work.cpu.file: 'data/$/cpu.txt': a '$' must start "
        "${NAME}, ${NAME:?advice} or $NAME",
        "vars/bad.yaml:11:33: error: workload.work.io.file: '${CAPSIM_TEST_DATA:-x}/io.txt': a '$'",
        "vars/bad.yaml:13:39: error: lambda.keep_alive.file: environment variable CAPSIM_TEST_DATA "
        "is not set",
    };
    size_t n_want = sizeof want_errors / sizeof want_errors[0];
    if (diag.count != n_want)
        sim_diag_print(&diag, stderr);
    assert_int_equal(diag.count, n_want);
    for (size_t i = 0; i < n_want; i++)
        if (!strstr(diag.entries[i].text, want_errors[i]))
            fail_msg("error %zu: got\n  %s\nexpected it to contain\n  %s", i,
                     diag.entries[i].text, want_errors[i]);
    sim_diag_fini(&diag);
    unsetenv("CAPSIM_TEST_REL");
}

/* What AWS accepts and refuses at the boundaries (tests/data/bad/ has one file per refusal). */
static void test_aws_limits(void **state)
{
    (void)state;
    write_file("limits.yaml", MIN);
    const char *ok[] = {
        "lambda.trigger=sqs", "lambda.sqs.batch_size=11", "lambda.sqs.batch_window=1s",
        "glue.version=\"3.0\"", "glue.execution_class=flex", "glue.worker_type=G.2X",
        "glue.timeout=10080min",
    };
    scenario *s = load_ok("limits.yaml", ok, sizeof ok / sizeof ok[0]);
    assert_int_equal(s->glue.timeout_us, INT64_C(10080) * 60 * 1000000);
    scenario_destroy(s);
    const char *ten[] = {"lambda.trigger=sqs", "lambda.sqs.batch_size=10"};
    s = load_ok("limits.yaml", ten, 2);
    scenario_destroy(s);
    /* Without an SQS trigger the sqs section is not read: no rule. */
    const char *not_sqs[] = {"lambda.sqs.batch_size=100"};
    s = load_ok("limits.yaml", not_sqs, 1);
    scenario_destroy(s);

    const char *bad[] = {
        "lambda.trigger=sqs", "lambda.sqs.batch_size=11", "lambda.sqs.batch_window=999ms",
        "glue.timeout=10081min",
    };
    char *all = load_errors(MIN, bad, sizeof bad / sizeof bad[0], SIM_ESCENARIO);
    assert_has(all, "lambda.sqs.batch_size: 11 needs lambda.sqs.batch_window of at least 1s "
                    "(it is 999ms)");
    assert_has(all, "glue.timeout: 10081min is outside 1min..7d");
    free(all);
    const char *small[] = {"glue.worker_type=G.025X"};
    all = load_errors(MIN, small, 1, SIM_ESCENARIO);
    assert_has(all, "glue.worker_type: G.025X workers are for Glue streaming jobs only");
    free(all);
    const char *flex[] = {"glue.version=\"2.0\"", "glue.execution_class=flex"};
    all = load_errors(MIN, flex, 2, SIM_ESCENARIO);
    assert_has(all, "glue.execution_class: flex needs Glue 3.0 or later");
    free(all);
    const char *flex8[] = {"glue.worker_type=G.8X", "glue.execution_class=flex"};
    all = load_errors(MIN, flex8, 2, SIM_ESCENARIO);
    assert_has(all, "glue.execution_class: flex runs only on G.1X or G.2X workers");
    free(all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_scenario),  cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_overrides),      cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_override_errors_in_given_order),
        cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_data_files),
        cmocka_unit_test(test_path_variables),
        cmocka_unit_test(test_aws_limits),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
