/* tests/unit/test_cost.c — the billing rules (models/cost.h) against AWS's worked examples.
 *
 * Prices come from the shipped table (models/pricing/aws-us-east-1.yaml), so these tests also
 * check that the table carries AWS's rates. Line items are rounded to the cent and then added,
 * as AWS does in its examples. Examples used, with their published figures:
 *   - AWS Lambda pricing page, "mobile application backend" (AWS-REFERENCE.md): $2.33 + $0.40
 *     = $2.73;
 *   - AWS Lambda pricing page, provisioned concurrency "mobile application launch"
 *     (AWS-REFERENCE.md): $18.00 + $0.40 + $0.73 + $0.83 = $19.96;
 *   - AWS Glue pricing page: a Spark job of 15 minutes on 6 DPU costs $0.66 (AWS-REFERENCE.md).
 * The other figures (the same examples without the free tier or on arm64, ephemeral storage,
 * tiers, minimums, async request counting) are computed by hand here from the rates and rules of
 * AWS-REFERENCE.md, not quoted from AWS. */
#include "test_util.h"

#include <math.h>
#include <stdlib.h>

#include "models/cost.h"
#include "models/pricing.h"
#include "sim/error.h"

static pricing_table *table;

static int setup(void **state)
{
    (void)state;
    unsetenv("CAPSIM_PRICING_DIR"); /* the shipped table of the source tree */
    sim_diag diag;
    sim_diag_init(&diag);
    int rc = pricing_load("aws-us-east-1", &diag, &table);
    sim_diag_print(&diag, stderr);
    sim_diag_fini(&diag);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    pricing_destroy(table);
    return 0;
}

static cost_lambda_bill bill_of(const cost_lambda_usage *u, bool free_tier)
{
    cost_lambda_bill b;
    assert_int_equal(cost_lambda_month(table, u, free_tier, &b), SIM_OK);
    return b;
}

/* Money compared to the cent: amounts already rounded with cost_round_cents. */
#define assert_usd(actual, expected) assert_double_near((actual), (expected), 1e-9)

/* ---------------------------------------------------------------- AWS's Lambda examples */

/* 3M requests/month of 120 ms at 1536 MB, x86, free tier: 540,000 GB-s - 400,000 = 140,000 x
 * $0.0000166667 = $2.33; (3M - 1M) x $0.20/M = $0.40; total $2.73. */
static void test_aws_mobile_backend(void **state)
{
    (void)state;
    double gb_s = cost_lambda_gb_s(3e6, 120 * SIM_US_PER_MS, 1536);
    assert_double_near(gb_s, 540000.0, 0.0); /* exact: 3M x 120 ms x 1.5 GB */
    cost_lambda_usage u = {.arch = SCN_ARCH_X86_64, .requests = 3e6, .ondemand_gb_s = gb_s};
    cost_lambda_bill b = bill_of(&u, true);
    double compute = cost_round_cents(b.compute), requests = cost_round_cents(b.requests);
    assert_usd(compute, 2.33);
    assert_usd(requests, 0.40);
    assert_usd(cost_round_cents(compute + requests), 2.73);
    assert_usd(b.provisioned + b.provisioned_duration + b.ephemeral + b.init, 0.0);
}

/* Provisioned concurrency 100 for 8 h at 1536 MB, x86, free tier; 500,000 requests of 100 ms
 * served by it, 2.5M of 120 ms on demand: provisioned 4,320,000 GB-s x $0.0000041667 = $18.00;
 * requests $0.40; provisioned duration 75,000 GB-s x $0.0000097222 = $0.73; on-demand 450,000 -
 * 400,000 = 50,000 GB-s x $0.0000166667 = $0.83; total $19.96. */
static void test_aws_provisioned_launch(void **state)
{
    (void)state;
    cost_lambda_usage u = {
        .arch = SCN_ARCH_X86_64,
        .requests = 3e6,
        .ondemand_gb_s = cost_lambda_gb_s(2.5e6, 120 * SIM_US_PER_MS, 1536),
        .provisioned_duration_gb_s = cost_lambda_gb_s(5e5, 100 * SIM_US_PER_MS, 1536),
        .provisioned_configured_gb_s = cost_lambda_provisioned_gb_s(table, 100, 1536, 8 * 3600.0),
    };
    assert_double_near(u.ondemand_gb_s, 450000.0, 0.0);
    assert_double_near(u.provisioned_duration_gb_s, 75000.0, 0.0);
    assert_double_near(u.provisioned_configured_gb_s, 4320000.0, 0.0);
    cost_lambda_bill b = bill_of(&u, true);
    double items[] = {cost_round_cents(b.provisioned), cost_round_cents(b.requests),
                      cost_round_cents(b.provisioned_duration), cost_round_cents(b.compute)};
    assert_usd(items[0], 18.00);
    assert_usd(items[1], 0.40);
    assert_usd(items[2], 0.73);
    assert_usd(items[3], 0.83);
    assert_usd(cost_round_cents(items[0] + items[1] + items[2] + items[3]), 19.96);
}

/* The mobile backend without the free tier, and on arm64 (computed from the table's rates):
 * x86 540,000 x $0.0000166667 = $9.00 + 3M x $0.20/M = $0.60; arm64 with the free tier
 * 140,000 x $0.0000133334 = $1.87 + $0.40. */
static void test_mobile_backend_variants(void **state)
{
    (void)state;
    cost_lambda_usage u = {.arch = SCN_ARCH_X86_64, .requests = 3e6, .ondemand_gb_s = 540000};
    cost_lambda_bill b = bill_of(&u, false);
    assert_usd(cost_round_cents(b.compute), 9.00);
    assert_usd(cost_round_cents(b.requests), 0.60);
    u.arch = SCN_ARCH_ARM64;
    b = bill_of(&u, true);
    assert_usd(cost_round_cents(b.compute), 1.87);
    assert_usd(cost_round_cents(b.requests), 0.40);
    b = bill_of(&u, false);
    assert_usd(cost_round_cents(b.compute), 7.20); /* 540,000 x $0.0000133334 = $7.200036 */
}

/* ---------------------------------------------------------------- Lambda rules */

/* Each invocation's duration is rounded up to the next millisecond, with no minimum. */
static void test_duration_rounding(void **state)
{
    (void)state;
    assert_int_equal(cost_lambda_billed_ms(0), 0);
    assert_int_equal(cost_lambda_billed_ms(1), 1);
    assert_int_equal(cost_lambda_billed_ms(999), 1);
    assert_int_equal(cost_lambda_billed_ms(1000), 1);
    assert_int_equal(cost_lambda_billed_ms(1001), 2);
    assert_int_equal(cost_lambda_billed_ms(120300), 121);
    /* 1M invocations of 120.3 ms at 1024 MB: 121 ms each -> 121,000 GB-s. */
    assert_double_near(cost_lambda_gb_s(1e6, 120300, 1024), 121000.0, 1e-6);
}

/* Async events: 1 request per 256 KB, plus 1 per further 64 KB (AWS-REFERENCE.md). */
static void test_async_requests(void **state)
{
    (void)state;
    assert_int_equal(cost_lambda_async_requests(1), 1);
    assert_int_equal(cost_lambda_async_requests(256), 1);
    assert_int_equal(cost_lambda_async_requests(256.5), 2);
    assert_int_equal(cost_lambda_async_requests(320), 2);
    assert_int_equal(cost_lambda_async_requests(321), 3);
    assert_int_equal(cost_lambda_async_requests(1024), 13);
}

/* Monthly tiers: x86 $0.0000166667 up to 6B GB-s, $0.000015 to 15B, $0.0000133334 above;
 * arm64 $0.0000133334 up to 7.5B, $0.0000120001 to 18.75B, $0.0000106667 above. */
static void test_tiers(void **state)
{
    (void)state;
    cost_lambda_usage u = {.arch = SCN_ARCH_X86_64, .ondemand_gb_s = 6e9};
    assert_double_rel(bill_of(&u, false).compute, 6e9 * 0.0000166667, 1e-12);
    u.ondemand_gb_s = 7e9;
    assert_double_rel(bill_of(&u, false).compute, 6e9 * 0.0000166667 + 1e9 * 0.000015, 1e-12);
    u.ondemand_gb_s = 16e9;
    assert_double_rel(bill_of(&u, false).compute,
                      6e9 * 0.0000166667 + 9e9 * 0.000015 + 1e9 * 0.0000133334, 1e-12);
    /* Just below the first boundary everything is at the first rate. */
    u.ondemand_gb_s = 6e9 - 1;
    assert_double_rel(bill_of(&u, false).compute, (6e9 - 1) * 0.0000166667, 1e-12);

    u.arch = SCN_ARCH_ARM64;
    u.ondemand_gb_s = 7.5e9;
    assert_double_rel(bill_of(&u, false).compute, 7.5e9 * 0.0000133334, 1e-12);
    u.ondemand_gb_s = 8.5e9;
    assert_double_rel(bill_of(&u, false).compute, 7.5e9 * 0.0000133334 + 1e9 * 0.0000120001,
                      1e-12);
    u.ondemand_gb_s = 20e9;
    assert_double_rel(bill_of(&u, false).compute,
                      7.5e9 * 0.0000133334 + 11.25e9 * 0.0000120001 + 1.25e9 * 0.0000106667,
                      1e-12);
    /* At 7e9 GB-s x86 has left its first tier, arm64 has not. */
    u.ondemand_gb_s = 7e9;
    assert_double_rel(bill_of(&u, false).compute, 7e9 * 0.0000133334, 1e-12);
}

/* arm64's provisioned rates, and the free tier that never covers provisioned concurrency. */
static void test_arm64_provisioned_and_free_tier(void **state)
{
    (void)state;
    cost_lambda_usage u = {.arch = SCN_ARCH_ARM64,
                           .requests = 5e5,
                           .provisioned_configured_gb_s = 1e6,
                           .provisioned_duration_gb_s = 1e5};
    cost_lambda_bill with = bill_of(&u, true), without = bill_of(&u, false);
    assert_double_rel(with.provisioned, 1e6 * 0.0000033334, 1e-12);
    assert_double_rel(with.provisioned_duration, 1e5 * 0.0000077778, 1e-12);
    assert_double_near(with.provisioned, without.provisioned, 0.0);
    assert_double_near(with.provisioned_duration, without.provisioned_duration, 0.0);
    assert_double_near(with.requests, 0.0, 0.0);        /* 500,000 < 1M free requests */
    assert_double_rel(without.requests, 0.10, 1e-12);
    /* On-demand usage below the free allowance costs nothing, and never goes negative. */
    cost_lambda_usage small = {.arch = SCN_ARCH_X86_64, .requests = 10, .ondemand_gb_s = 300000};
    cost_lambda_bill b = bill_of(&small, true);
    assert_double_near(b.compute, 0.0, 0.0);
    assert_double_near(b.total, 0.0, 0.0);
}

/* Configured provisioned time is rounded up to 5 minutes. */
static void test_provisioned_rounding(void **state)
{
    (void)state;
    assert_double_near(cost_lambda_provisioned_round(table, 1), 300, 0);
    assert_double_near(cost_lambda_provisioned_round(table, 300), 300, 0);
    assert_double_near(cost_lambda_provisioned_round(table, 301), 600, 0);
    assert_double_near(cost_lambda_provisioned_round(table, 28800), 28800, 0);
    /* 10 environments of 2 GB for 61 minutes: billed 65 minutes. */
    assert_double_near(cost_lambda_provisioned_gb_s(table, 10, 2048, 61 * 60), 10 * 2 * 3900.0, 0);
}

/* /tmp above 512 MB at $0.0000000309 per GB-s: 10 GB for 3M x 120 ms (360,000 s) is 9.5 GB x
 * 360,000 s = 3,420,000 GB-s = $0.105678 -> $0.11. */
static void test_ephemeral_storage(void **state)
{
    (void)state;
    assert_double_near(cost_lambda_ephemeral_gb(table, 512), 0.0, 0.0);
    assert_double_near(cost_lambda_ephemeral_gb(table, 10240), 9.5, 0.0);
    double billed_s = 3e6 * (double)cost_lambda_billed_ms(120 * SIM_US_PER_MS) / 1000.0;
    cost_lambda_usage u = {.arch = SCN_ARCH_ARM64,
                           .ephemeral_gb_s = cost_lambda_ephemeral_gb(table, 10240) * billed_s};
    assert_double_near(u.ephemeral_gb_s, 3420000.0, 0.0);
    cost_lambda_bill b = bill_of(&u, true); /* the free tier does not cover /tmp */
    assert_usd(cost_round_cents(b.ephemeral), 0.11);
}

/* INIT is billed as on-demand duration: it shares the tiers and the free tier with invocations,
 * and its share of the duration charge is reported apart. */
static void test_init_billing(void **state)
{
    (void)state;
    cost_lambda_usage u = {.arch = SCN_ARCH_X86_64, .ondemand_gb_s = 500000, .init_gb_s = 100000};
    cost_lambda_bill b = bill_of(&u, true);
    double all = (600000.0 - 400000.0) * 0.0000166667;
    assert_double_rel(b.compute + b.init, all, 1e-12);
    assert_double_rel(b.init, all / 6.0, 1e-12);
    u.arch = (scn_arch)7;
    cost_lambda_bill bad;
    assert_int_equal(cost_lambda_month(table, &u, false, &bad), SIM_EINVAL);
}

/* ---------------------------------------------------------------- Glue, EMR */

/* Per second, at least 1 minute on Glue 2.0 and later, 10 minutes on 0.9 and 1.0. */
static void test_glue(void **state)
{
    (void)state;
    assert_double_near(cost_glue_billed_s("2.0", 30), 60, 0);
    assert_double_near(cost_glue_billed_s("4.0", 30), 60, 0);
    assert_double_near(cost_glue_billed_s("5.0", 61.2), 62, 0);
    assert_double_near(cost_glue_billed_s("1.0", 30), 600, 0);
    assert_double_near(cost_glue_billed_s("0.9", 30), 600, 0);
    assert_double_near(cost_glue_billed_s("1.0", 601), 601, 0);
    /* AWS's example: 15 minutes on 6 DPU = 6 x 1/4 h x $0.44 = $0.66. */
    double dpu_s = 6 * cost_glue_billed_s("4.0", 15 * 60);
    assert_usd(cost_round_cents(cost_glue_usd(table, dpu_s, SCN_EXEC_STANDARD)), 0.66);
    /* Flex: 6 x 1/4 h x $0.29 = $0.435, which AWS would write $0.44. */
    assert_usd(cost_round_cents(cost_glue_usd(table, dpu_s, SCN_EXEC_FLEX)), 0.44);
    /* A 30 s job on 10 DPU: 60 s billed on 4.0 ($0.07), 600 s on 1.0 ($0.73). */
    assert_usd(cost_round_cents(cost_glue_usd(table, 10 * cost_glue_billed_s("4.0", 30),
                                              SCN_EXEC_STANDARD)), 0.07);
    assert_usd(cost_round_cents(cost_glue_usd(table, 10 * cost_glue_billed_s("1.0", 30),
                                              SCN_EXEC_STANDARD)), 0.73);
}

/* EMR on EC2: EC2 price plus EMR fee per instance, per second with a 1-minute minimum. */
static void test_emr(void **state)
{
    (void)state;
    assert_double_near(cost_emr_billed_s(10), 60, 0);
    assert_double_near(cost_emr_billed_s(60), 60, 0);
    assert_double_near(cost_emr_billed_s(60.4), 61, 0);
    /* 3 m5.xlarge for 10 h: 30 instance-hours x ($0.192 + $0.048) = $7.20. */
    assert_usd(cost_round_cents(cost_emr_ec2_usd(table, "m5.xlarge", 3 * 36000.0)), 7.20);
    /* r5.4xlarge for an hour: $1.008 + $0.252 = $1.26. */
    assert_usd(cost_round_cents(cost_emr_ec2_usd(table, "r5.4xlarge", 3600.0)), 1.26);
    /* A 10 s step on one m5.2xlarge is billed a minute: ($0.384 + $0.096) / 60 = $0.008. */
    assert_double_rel(cost_emr_ec2_usd(table, "m5.2xlarge", cost_emr_billed_s(10)), 0.008, 1e-12);
    assert_true(isnan(cost_emr_ec2_usd(table, "m5.large", 3600.0)));
    /* Serverless: 10 workers of 4 vCPU / 16 GB for an hour, 30 GB of storage each (10 above the
     * free 20 GB): 40 x $0.052624 + 160 x $0.0057785 + 100 x $0.000111 = $3.04062 -> $3.04. */
    double usd = cost_emr_serverless_usd(table, 40 * 3600.0, 160 * 3600.0, 100 * 3600.0);
    assert_double_rel(usd, 40 * 0.052624 + 160 * 0.0057785 + 100 * 0.000111, 1e-12);
    assert_usd(cost_round_cents(usd), 3.04);
}

/* Half a cent rounds away from zero, as a person computing in decimal would. */
static void test_round_cents(void **state)
{
    (void)state;
    assert_usd(cost_round_cents(0.0), 0.0);
    assert_usd(cost_round_cents(0.125), 0.13);
    assert_usd(cost_round_cents(0.005), 0.01);
    assert_usd(cost_round_cents(0.0049999), 0.0);
    assert_usd(cost_round_cents(-0.125), -0.13);
    assert_usd(cost_round_cents(2.333338), 2.33);
    assert_usd(cost_round_cents(18.000144), 18.00);
    assert_usd(cost_round_cents(0.729165), 0.73);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws_mobile_backend),
        cmocka_unit_test(test_aws_provisioned_launch),
        cmocka_unit_test(test_mobile_backend_variants),
        cmocka_unit_test(test_duration_rounding),
        cmocka_unit_test(test_async_requests),
        cmocka_unit_test(test_tiers),
        cmocka_unit_test(test_arm64_provisioned_and_free_tier),
        cmocka_unit_test(test_provisioned_rounding),
        cmocka_unit_test(test_ephemeral_storage),
        cmocka_unit_test(test_init_billing),
        cmocka_unit_test(test_glue),
        cmocka_unit_test(test_emr),
        cmocka_unit_test(test_round_cents),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
