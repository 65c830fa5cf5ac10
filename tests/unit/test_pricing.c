/* tests/unit/test_pricing.c — pricing tables (models/pricing.h) and their use by scenarios.
 *
 * The shipped table loads with AWS-REFERENCE.md's rates; every broken table of
 * tests/data/pricing/ fails with the FILE:LINE:COL errors its `# expect-error:` lines name; a
 * scenario naming a missing or broken table, or an EMR instance type the table lacks, fails
 * validation at the key; $CAPSIM_PRICING_DIR redirects table names, so a price changes without
 * a rebuild; a table's path may name an environment variable. Files are written into a fresh temporary directory. */
#include "test_util.h"

#include <glob.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/pricing.h"
#include "models/scenario.h"
#include "sim/error.h"

#define SHIPPED CAPSIM_SOURCE_DIR "/models/pricing/aws-us-east-1.yaml"

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    unsetenv("CAPSIM_PRICING_DIR");
    snprintf(tmpdir, sizeof tmpdir, "/tmp/capsim-test-pricing-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *copy = strdup(buf);
    assert_non_null(copy);
    return copy;
}

static void write_file(const char *rel, const char *text) { test_write_file(tmpdir, rel, text); }

/* Every diagnostic joined by newlines (caller frees). */
static char *joined(const sim_diag *diag)
{
    size_t len = 1;
    for (size_t i = 0; i < diag->count; i++)
        len += strlen(diag->entries[i].text) + 1;
    char *all = calloc(1, len);
    assert_non_null(all);
    for (size_t i = 0; i < diag->count; i++) {
        strcat(all, diag->entries[i].text);
        strcat(all, "\n");
    }
    return all;
}

static void assert_has(const char *all, const char *line)
{
    if (!strstr(all, line)) {
        fprintf(stderr, "expected a diagnostic containing\n  %s\ngot:\n%s", line, all);
        fail();
    }
}

/* Loads name_or_path expecting failure with rc; returns the diagnostics (caller frees). */
static char *load_errors(const char *name_or_path, int expect_rc)
{
    sim_diag diag;
    sim_diag_init(&diag);
    pricing_table *p = NULL;
    assert_int_equal(pricing_load(name_or_path, &diag, &p), expect_rc);
    assert_null(p);
    assert_true(sim_diag_count(&diag) > 0);
    char *all = joined(&diag);
    sim_diag_fini(&diag);
    return all;
}

/* ---------------------------------------------------------------- the shipped table */

static void test_shipped_table(void **state)
{
    (void)state;
    assert_string_equal(pricing_dir(), CAPSIM_SOURCE_DIR "/models/pricing");
    sim_diag diag;
    sim_diag_init(&diag);
    pricing_table *p = NULL;
    int rc = pricing_load("aws-us-east-1", &diag, &p);
    sim_diag_print(&diag, stderr);
    assert_int_equal(rc, SIM_OK);
    assert_int_equal(sim_diag_count(&diag), 0);
    sim_diag_fini(&diag);

    assert_string_equal(p->name, "aws-us-east-1");
    assert_string_equal(p->region, "us-east-1");
    assert_string_equal(p->date, "2026-11-01");
    assert_string_equal(p->path, SHIPPED);
    /* AWS-REFERENCE.md, Lambda pricing. Parsed from the same decimal text as these literals, so
     * they compare equal exactly (except the per-request fee, divided by a million). */
    assert_double_rel(p->lambda_usd_per_request, 0.20 / 1e6, 1e-15);
    const pricing_lambda_arch *x86 = &p->lambda[SCN_ARCH_X86_64], *arm = &p->lambda[SCN_ARCH_ARM64];
    assert_int_equal(x86->n_tiers, 3);
    assert_double_near(x86->tiers[0].up_to_gb_s, 6e9, 0);
    assert_double_near(x86->tiers[0].usd_per_gb_s, 0.0000166667, 0);
    assert_double_near(x86->tiers[1].up_to_gb_s, 15e9, 0);
    assert_double_near(x86->tiers[1].usd_per_gb_s, 0.0000150000, 0);
    assert_true(isinf(x86->tiers[2].up_to_gb_s));
    assert_double_near(x86->tiers[2].usd_per_gb_s, 0.0000133334, 0);
    assert_int_equal(arm->n_tiers, 3);
    assert_double_near(arm->tiers[0].up_to_gb_s, 7.5e9, 0);
    assert_double_near(arm->tiers[0].usd_per_gb_s, 0.0000133334, 0);
    assert_double_near(arm->tiers[1].up_to_gb_s, 18.75e9, 0);
    assert_double_near(arm->tiers[1].usd_per_gb_s, 0.0000120001, 0);
    assert_true(isinf(arm->tiers[2].up_to_gb_s));
    assert_double_near(arm->tiers[2].usd_per_gb_s, 0.0000106667, 0);
    assert_double_near(x86->provisioned_usd_per_gb_s, 0.0000041667, 0);
    assert_double_near(x86->provisioned_duration_usd_per_gb_s, 0.0000097222, 0);
    assert_double_near(arm->provisioned_usd_per_gb_s, 0.0000033334, 0);
    assert_double_near(arm->provisioned_duration_usd_per_gb_s, 0.0000077778, 0);
    assert_double_near(p->lambda_ephemeral_usd_per_gb_s, 0.0000000309, 0);
    assert_double_near(p->lambda_ephemeral_included_mb, 512, 0);
    assert_double_near(p->lambda_provisioned_round_s, 300, 0);
    assert_double_near(p->lambda_free_requests, 1e6, 0);
    assert_double_near(p->lambda_free_gb_s, 400000, 0);
    /* Glue */
    assert_double_near(p->glue_usd_per_dpu_hour, 0.44, 0);
    assert_double_near(p->glue_flex_usd_per_dpu_hour, 0.29, 0);
    /* EMR on EC2 */
    static const pricing_instance expect[] = {
        {"m5.xlarge", 4, 16, 0.192, 0.048},     {"m5.2xlarge", 8, 32, 0.384, 0.096},
        {"r5.xlarge", 4, 32, 0.252, 0.063},     {"r5.2xlarge", 8, 64, 0.504, 0.126},
        {"r5.4xlarge", 16, 128, 1.008, 0.252},  {"m5.8xlarge", 32, 128, 1.536, 0.27},
        {"m6g.xlarge", 4, 16, 0.154, 0.0385},   {"m7g.2xlarge", 8, 32, 0.3264, 0.0816},
        {"c5.9xlarge", 36, 72, 1.53, 0.27},     {"c6g.4xlarge", 16, 32, 0.544, 0.136},
        {"r6g.8xlarge", 32, 256, 1.6128, 0.27},
    };
    /* m5, m6g, m7g, c5, c6g, r5, r6g, four sizes each */
    assert_int_equal(p->n_instances, 28);
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        const pricing_instance *got = pricing_find_instance(p, expect[i].name);
        assert_non_null(got);
        assert_double_near(got->vcpu, expect[i].vcpu, 0);
        assert_double_near(got->memory_gb, expect[i].memory_gb, 0);
        assert_double_near(got->ec2_usd_per_hour, expect[i].ec2_usd_per_hour, 0);
        assert_double_near(got->emr_usd_per_hour, expect[i].emr_usd_per_hour, 0);
    }
    assert_null(pricing_find_instance(p, "m5.large"));
    char list[1024];
    pricing_list_instances(p, list, sizeof list);
    assert_non_null(strstr(list, "m5.xlarge, m5.2xlarge, m5.4xlarge, m5.8xlarge, m6g.xlarge"));
    assert_double_near(p->emr_ebs_usd_per_gb_month, 0.08, 0);
    /* EMR Serverless */
    assert_double_near(p->emr_serverless_usd_per_vcpu_hour, 0.052624, 0);
    assert_double_near(p->emr_serverless_usd_per_gb_hour, 0.0057785, 0);
    assert_double_near(p->emr_serverless_storage_usd_per_gb_hour, 0.000111, 0);
    assert_double_near(p->emr_serverless_free_storage_gb, 20, 0);
    /* The services around the compute, converted to per-unit rates */
    assert_double_near(p->kinesis_usd_per_shard_hour, 0.015, 0);
    assert_double_near(p->kinesis_usd_per_put_unit, 0.014 / 1e6, 1e-18);
    assert_double_near(p->kinesis_put_unit_kb, 25, 1e-9);
    assert_double_near(p->kinesis_od_usd_per_stream_hour, 0.04, 0);
    assert_double_near(p->kinesis_od_usd_per_gb_written, 0.08, 0);
    assert_double_near(p->kinesis_od_usd_per_gb_read, 0.04, 0);
    assert_double_near(p->kinesis_od_record_rounding_kb, 1, 1e-9);
    assert_double_near(p->kinesis_efo_usd_per_consumer_shard_hour, 0.015, 0);
    assert_double_near(p->kinesis_efo_usd_per_gb, 0.013, 0);
    assert_double_near(p->sqs_usd_per_request, 0.40 / 1e6, 1e-18);
    assert_double_near(p->sqs_request_chunk_kb, 64, 1e-9);
    assert_double_near(p->s3_usd_per_put, 0.005 / 1000, 1e-18);
    assert_double_near(p->s3_usd_per_get, 0.0004 / 1000, 1e-18);
    assert_double_near(p->sfn_usd_per_transition, 0.025 / 1000, 1e-18);
    assert_double_near(p->logs_usd_per_gb, 0.50, 0);
    pricing_destroy(p);

    /* The same file by path: its name is the file's stem. */
    sim_diag_init(&diag);
    assert_int_equal(pricing_load(SHIPPED, &diag, &p), SIM_OK);
    assert_string_equal(p->name, "aws-us-east-1");
    pricing_destroy(p);
    sim_diag_fini(&diag);
}

static void test_names_and_paths(void **state)
{
    (void)state;
    assert_false(pricing_is_path("aws-us-east-1"));
    assert_true(pricing_is_path("eu.yaml"));
    assert_true(pricing_is_path("tables/eu"));
    char *p, why[1024];
    assert_int_equal(pricing_resolve("aws-us-east-1", "/somewhere", &p, why, sizeof why), SIM_OK);
    assert_string_equal(p, CAPSIM_SOURCE_DIR "/models/pricing/aws-us-east-1.yaml");
    free(p);
    assert_int_equal(pricing_resolve("tables/eu.yaml", "/somewhere", &p, why, sizeof why), SIM_OK);
    assert_string_equal(p, "/somewhere/tables/eu.yaml");
    free(p);
    assert_int_equal(pricing_resolve("/abs/eu.yaml", "/somewhere", &p, why, sizeof why), SIM_OK);
    assert_string_equal(p, "/abs/eu.yaml");
    free(p);

    /* A missing table: SIM_EIO, naming the file and the tables there are. */
    char *all = load_errors("nope", SIM_EIO);
    assert_has(all, CAPSIM_SOURCE_DIR "/models/pricing/nope.yaml: error: cannot read pricing "
                    "table 'nope': No such file or directory; tables in " CAPSIM_SOURCE_DIR
                    "/models/pricing: aws-us-east-1");
    free(all);
    assert_int_equal(pricing_check_readable("nope", "", why, sizeof why), SIM_EIO);
    assert_non_null(strstr(why, "nope.yaml': No such file or directory; tables in"));
    assert_int_equal(pricing_check_readable("aws-us-east-1", "", why, sizeof why), SIM_OK);
}

/* ---------------------------------------------------------------- broken tables */

/* A few errors spelled out in full... */
static void test_broken_tables(void **state)
{
    (void)state;
    char *all = load_errors(CAPSIM_SOURCE_DIR "/tests/data/pricing/bad-negative-price.yaml",
                            SIM_ESCENARIO);
    assert_has(all, "tests/data/pricing/bad-negative-price.yaml:12:31: error: "
                    "lambda.requests.usd_per_million_requests: -0.20 must be >= 0\n");
    assert_has(all, "bad-negative-price.yaml:39:26: error: glue.flex_usd_per_dpu_hour: -0.29 "
                    "must be >= 0\n");
    free(all);
    all = load_errors(CAPSIM_SOURCE_DIR "/tests/data/pricing/bad-tiers.yaml", SIM_ESCENARIO);
    assert_has(all, "bad-tiers.yaml:18:32: error: lambda.duration.x86_64[1].up_to_gb_s_per_month: "
                    "tier bounds must increase: 5e9 is not above the previous tier's 6e9\n");
    free(all);

    /* A table that is not a map, and one with two documents. */
    write_file("list.yaml", "- region: us-east-1\n");
    write_file("two.yaml", "region: a\n---\nregion: b\n");
    char path[256];
    snprintf(path, sizeof path, "%s/list.yaml", tmpdir);
    all = load_errors(path, SIM_ESCENARIO);
    assert_has(all, "list.yaml:1:1: error: a pricing table is a map of keys (region:, date:, "
                    "lambda:, glue:, emr:, kinesis:, sqs:, s3:, step_functions:, "
                    "cloudwatch_logs:), not a list");
    free(all);
    snprintf(path, sizeof path, "%s/two.yaml", tmpdir);
    all = load_errors(path, SIM_ESCENARIO);
    assert_has(all, "two.yaml:3:1: error: a pricing table file holds one YAML document");
    assert_has(all, "two.yaml:1:1: error: date: required key is missing");
    assert_has(all, "two.yaml:1:1: error: lambda: required key is missing");
    free(all);
}

/* ...and every file of the corpus against its own `# expect-error:` lines. */
static void test_broken_corpus(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob(CAPSIM_SOURCE_DIR "/tests/data/pricing/bad-*.yaml", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 5);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char *text = read_text(g.gl_pathv[i]);
        char *all = load_errors(g.gl_pathv[i], SIM_ESCENARIO);
        size_t expected = 0;
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
            static const char tag[] = "# expect-error: ";
            if (strncmp(line, tag, sizeof tag - 1) != 0)
                continue;
            char want[512];
            /* Positions are relative to the file: prefix its name. */
            snprintf(want, sizeof want, "%s%s", g.gl_pathv[i], line + sizeof tag - 1);
            assert_has(all, want);
            expected++;
        }
        assert_true(expected > 0);
        free(all);
        free(text);
    }
    globfree(&g);
}

/* ---------------------------------------------------------------- scenarios */

static const char SCENARIO_HEAD[] =
    "name: t\n"
    "horizon: 1h\n"
    "workload: {arrivals: {process: poisson, rate: 1/s}}\n"
    "lambda: {}\n";

static char *scenario_errors(const char *file_rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, file_rel);
    write_file(file_rel, text);
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    assert_int_equal(scenario_load_file(path, NULL, 0, &diag, &s), SIM_ESCENARIO);
    assert_null(s);
    char *all = joined(&diag);
    sim_diag_fini(&diag);
    return all;
}

static void test_scenario_table(void **state)
{
    (void)state;
    char text[1024];
    /* The default table is loaded with the scenario and kept in it. */
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    assert_int_equal(scenario_load_string("t.yaml", SCENARIO_HEAD, NULL, 0, &diag, &s), SIM_OK);
    assert_non_null(s->pricing_table);
    assert_string_equal(s->pricing_table->name, "aws-us-east-1");
    scenario_destroy(s);

    /* pricing.table: nope fails at the key (exit 3 from validate). */
    snprintf(text, sizeof text, "%spricing:\n  table: nope\n", SCENARIO_HEAD);
    assert_int_equal(scenario_load_string("t.yaml", text, NULL, 0, &diag, &s), SIM_ESCENARIO);
    assert_null(s);
    assert_int_equal(diag.count, 1);
    assert_non_null(strstr(diag.entries[0].text, "t.yaml:6:10: error: pricing.table: no pricing "
                                                 "table 'nope': cannot read '"));
    assert_non_null(strstr(diag.entries[0].text, "tables in " CAPSIM_SOURCE_DIR
                                                 "/models/pricing: aws-us-east-1"));
    sim_diag_fini(&diag);
    /* The same through --set. */
    sim_diag_init(&diag);
    const char *ov[] = {"pricing.table=nope"};
    assert_int_equal(scenario_load_string("t.yaml", SCENARIO_HEAD, ov, 1, &diag, &s),
                     SIM_ESCENARIO);
    assert_non_null(strstr(diag.entries[0].text, "--set:1:15: error: pricing.table: no pricing"));
    sim_diag_fini(&diag);
    /* Neither a name nor a path. */
    sim_diag_init(&diag);
    snprintf(text, sizeof text, "%spricing: {table: US_East}\n", SCENARIO_HEAD);
    assert_int_equal(scenario_load_string("t.yaml", text, NULL, 0, &diag, &s), SIM_ESCENARIO);
    assert_non_null(strstr(diag.entries[0].text, "t.yaml:5:18: error: pricing.table: 'US_East' "
                                                 "is neither a table name"));
    sim_diag_fini(&diag);

    /* A broken table by path, relative to the scenario's directory: the error at the key, then
     * the table's own errors. */
    char *bad = read_text(CAPSIM_SOURCE_DIR "/tests/data/pricing/bad-negative-price.yaml");
    char cmd[256];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/sub/tables'", tmpdir);
    assert_int_equal(system(cmd), 0);
    write_file("sub/tables/neg.yaml", bad);
    free(bad);
    snprintf(text, sizeof text, "%spricing:\n  table: tables/neg.yaml\n", SCENARIO_HEAD);
    char *all = scenario_errors("sub/s.yaml", text);
    assert_has(all, "sub/s.yaml:6:10: error: pricing.table: pricing table 'tables/neg.yaml' is "
                    "invalid (2 errors below)\n");
    assert_has(all, "sub/tables/neg.yaml:12:31: error: lambda.requests.usd_per_million_requests: "
                    "-0.20 must be >= 0\n");
    assert_true(strstr(all, "pricing.table") < strstr(all, "neg.yaml:12:31"));
    free(all);

    /* A good table by path, and an EMR instance type it lacks: at emr.instance_type. */
    snprintf(text, sizeof text,
             "%semr: {instance_type: m5.large}\npricing: {table: %s}\n", SCENARIO_HEAD, SHIPPED);
    all = scenario_errors("emr.yaml", text);
    assert_has(all, "emr.yaml:5:22: error: emr.instance_type: 'm5.large' is not in pricing table "
                    "aws-us-east-1; known types: m5.xlarge, m5.2xlarge, m5.4xlarge, m5.8xlarge, "
                    "m6g.xlarge,");
    free(all);
}

/* $CAPSIM_PRICING_DIR: table names are looked up there, so an edited price is used without a
 * rebuild. */
static void test_pricing_dir_env(void **state)
{
    (void)state;
    char *text = read_text(SHIPPED);
    char *at = strstr(text, "usd_per_million_requests: 0.20");
    assert_non_null(at);
    memcpy(at, "usd_per_million_requests: 0.25", strlen("usd_per_million_requests: 0.25"));
    write_file("test-region.yaml", text);
    free(text);

    assert_int_equal(setenv("CAPSIM_PRICING_DIR", tmpdir, 1), 0);
    assert_string_equal(pricing_dir(), tmpdir);
    sim_diag diag;
    sim_diag_init(&diag);
    pricing_table *p = NULL;
    assert_int_equal(pricing_load("test-region", &diag, &p), SIM_OK);
    assert_string_equal(p->name, "test-region");
    assert_double_rel(p->lambda_usd_per_request, 0.25 / 1e6, 1e-15);
    pricing_destroy(p);
    /* The shipped name is not in that directory. */
    assert_int_equal(pricing_load("aws-us-east-1", &diag, &p), SIM_EIO);
    assert_non_null(strstr(diag.entries[0].text, "tables in "));
    assert_non_null(strstr(diag.entries[0].text, "test-region"));
    sim_diag_fini(&diag);

    /* A scenario picks it by name. */
    sim_diag_init(&diag);
    scenario *s = NULL;
    char scen[512];
    snprintf(scen, sizeof scen, "%spricing: {table: test-region}\n", SCENARIO_HEAD);
    assert_int_equal(scenario_load_string("t.yaml", scen, NULL, 0, &diag, &s), SIM_OK);
    assert_double_rel(s->pricing_table->lambda_usd_per_request, 0.25 / 1e6, 1e-15);
    scenario_destroy(s);
    sim_diag_fini(&diag);

    /* Empty means unset. */
    assert_int_equal(setenv("CAPSIM_PRICING_DIR", "", 1), 0);
    assert_string_equal(pricing_dir(), CAPSIM_SOURCE_DIR "/models/pricing");
    unsetenv("CAPSIM_PRICING_DIR");
}

/* A table's path may name an environment variable (the user's own folder of tables); unset, the
 * scenario fails at pricing.table, and `capsim cost --pricing` (pricing_load) fails too. */
static void test_path_variables(void **state)
{
    (void)state;
    char *text = read_text(SHIPPED);
    write_file("env-table.yaml", text);
    free(text);
    unsetenv("CAPSIM_TEST_TABLES");
    char scen[512];
    snprintf(scen, sizeof scen, "%spricing:\n  table: ${CAPSIM_TEST_TABLES}/env-table.yaml\n",
             SCENARIO_HEAD);
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    assert_int_equal(scenario_load_string("t.yaml", scen, NULL, 0, &diag, &s), SIM_ESCENARIO);
    char *all = joined(&diag);
    assert_has(all, "t.yaml:");
    assert_has(all, ": error: pricing.table: environment variable CAPSIM_TEST_TABLES is not set");
    free(all);
    sim_diag_fini(&diag);
    all = load_errors("$CAPSIM_TEST_TABLES/env-table.yaml", SIM_ESCENARIO);
    assert_has(all, "$CAPSIM_TEST_TABLES/env-table.yaml: error: environment variable "
                    "CAPSIM_TEST_TABLES is not set");
    free(all);

    assert_int_equal(setenv("CAPSIM_TEST_TABLES", tmpdir, 1), 0);
    sim_diag_init(&diag);
    assert_int_equal(scenario_load_string("t.yaml", scen, NULL, 0, &diag, &s), SIM_OK);
    assert_string_equal(s->pricing_table->name, "env-table");
    char want[256];
    snprintf(want, sizeof want, "%s/env-table.yaml", tmpdir);
    assert_string_equal(s->pricing_table->path, want);
    scenario_destroy(s);
    sim_diag_fini(&diag);
    unsetenv("CAPSIM_TEST_TABLES");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_table),  cmocka_unit_test(test_names_and_paths),
        cmocka_unit_test(test_broken_tables),  cmocka_unit_test(test_broken_corpus),
        cmocka_unit_test(test_scenario_table), cmocka_unit_test(test_pricing_dir_env),
        cmocka_unit_test(test_path_variables),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
