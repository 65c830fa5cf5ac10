/* models/cost.h — billing: usage in, dollars out, by each service's rules.
 *
 * Models measure usage (requests, billed GB-seconds, DPU-seconds, instance-seconds...) and never
 * multiply by a price themselves; this module owns the billing rules (rounding, minimums, tiers,
 * free tier) and takes its rates from a pricing table (pricing.h). `capsim cost` and the
 * simulation use the same functions, so the simulator reproduces AWS's worked examples exactly.
 *
 * Monthly rules (Lambda's duration tiers and free tier) apply to a month of usage: the simulator
 * scales a horizon's usage to pricing.month, prices that month, and scales back. */
#ifndef MODELS_COST_H
#define MODELS_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/pricing.h"
#include "models/scenario.h"
#include "sim/time.h"

/* ---- Lambda ---- */
typedef struct cost_lambda_usage {
    scn_arch arch;
    double requests;                    /* every request: on-demand and provisioned-served,
                                           plus the extra requests of large async events */
    double ondemand_gb_s;               /* billed duration (1 ms steps) of on-demand invocations */
    double init_gb_s;                   /* billed INIT of on-demand cold starts */
    double provisioned_duration_gb_s;   /* billed duration of invocations served by provisioned
                                           environments */
    double provisioned_configured_gb_s; /* configured provisioned concurrency (each configured
                                           period rounded up to 5 minutes by the caller with
                                           cost_lambda_provisioned_round) */
    double ephemeral_gb_s;              /* /tmp above 512 MB x billed seconds */
} cost_lambda_usage;

typedef struct cost_lambda_bill {
    double requests, compute, init, provisioned, provisioned_duration, ephemeral, total;
} cost_lambda_bill;

/* Prices one month of Lambda usage: the request fee, on-demand duration through the monthly tiers
 * of the architecture (INIT counts as on-demand duration), provisioned concurrency and its
 * duration rate, ephemeral storage; the free tier when free_tier: the month's first requests
 * (provisioned-served included, as in AWS's provisioned concurrency example) and on-demand GB-s
 * (INIT included) before the tiers, never provisioned concurrency or its duration. Line items
 * unrounded (round each with cost_round_cents, then add, as AWS does). Returns 0 or SIM_EINVAL. */
int cost_lambda_month(const pricing_table *p, const cost_lambda_usage *u, bool free_tier,
                      cost_lambda_bill *out);
/* The same with the free allowance given: free_requests and free_gb_s of the month are not
 * billed (an account shares its free tier between its architectures' bills). */
int cost_lambda_month_allowing(const pricing_table *p, const cost_lambda_usage *u,
                               double free_requests, double free_gb_s, cost_lambda_bill *out);
/* Seconds of configured provisioned concurrency as billed: rounded up to the table's step (5 min). */
double cost_lambda_provisioned_round(const pricing_table *p, double seconds);
/* Billed milliseconds of one invocation: its duration rounded up to the next 1 ms, no minimum. */
int64_t cost_lambda_billed_ms(sim_time_us duration_us);
/* GB-s billed for `invocations` invocations of duration_us each at memory_mb (GB = MB / 1024),
 * each rounded up to 1 ms: invocations x ceil_ms(duration) / 1000 x memory_mb / 1024. */
double cost_lambda_gb_s(double invocations, sim_time_us duration_us, double memory_mb);
/* GB-s of configured provisioned concurrency: count environments of memory_mb for seconds,
 * the time rounded up to the table's step (cost_lambda_provisioned_round). */
double cost_lambda_provisioned_gb_s(const pricing_table *p, double count, double memory_mb,
                                    double seconds);
/* GB of /tmp that is charged for: what is configured above the table's included 512 MB. */
double cost_lambda_ephemeral_gb(const pricing_table *p, double ephemeral_mb);
/* Requests billed for one asynchronous event (S3, EventBridge, async invoke) of payload_kb:
 * 1 for the first 256 KB plus 1 per further 64 KB or part (a 1 MB event counts 13). */
int64_t cost_lambda_async_requests(double payload_kb);

/* ---- Glue ---- */
/* Billed seconds of one job run: per second, with the version's minimum (600 s for 0.9/1.0,
 * 60 s for 2.0 and later). */
double cost_glue_billed_s(const char *version, double run_s);
/* Billed seconds of one Python shell job run: per second, 1-minute minimum, whatever the
 * version (https://aws.amazon.com/glue/pricing/). */
double cost_glue_python_shell_billed_s(double run_s);
/* USD for DPU-seconds already billed (sum of billed_s x DPUs), standard or flex. */
double cost_glue_usd(const pricing_table *p, double dpu_s, scn_exec_class execution_class);

/* ---- EMR ---- */
/* Billed seconds of one instance: per second with a 1-minute minimum. */
double cost_emr_billed_s(double run_s);
/* USD for instance-seconds of one type on EMR on EC2 (EC2 price + EMR fee); SIM_EINVAL-free:
 * returns NAN when the type is not in the table (the loader checks types first). */
double cost_emr_ec2_usd(const pricing_table *p, const char *instance_type, double instance_s);
/* USD for instance-seconds at the EC2 price less `discount` (Spot: the share saved) plus the
 * EMR fee in full ("the Amazon EMR rate remains fixed" for Spot). NAN for an unknown type. */
double cost_emr_ec2_market_usd(const pricing_table *p, const char *instance_type,
                               double instance_s, double discount);
/* USD for EBS GB-seconds (GB attached x seconds), per GB-month of 30 days prorated by the second
 * as in AWS's EBS example (https://aws.amazon.com/ebs/pricing/). */
double cost_emr_ebs_usd(const pricing_table *p, double gb_s);
/* USD for EMR Serverless: vCPU-seconds, GB-seconds, and storage GB-seconds above the free 20 GB. */
double cost_emr_serverless_usd(const pricing_table *p, double vcpu_s, double gb_s,
                               double storage_gb_s);

/* Rounds to the cent as AWS's examples do (half away from zero). */
double cost_round_cents(double usd);

#endif
