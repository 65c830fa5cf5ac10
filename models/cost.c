/* models/cost.c — the billing rules of Lambda, Glue and EMR (see cost.h). */
#include "models/cost.h"

#include <math.h>
#include <string.h>

#include "sim/error.h"

double cost_round_cents(double usd) {
    /* The epsilon keeps values like 0.125 that binary floating point stores as 0.12499999...
     * rounding the way a person computing in decimal would. */
    return round(usd * 100.0 + copysign(1e-7, usd)) / 100.0;
}

double cost_lambda_provisioned_round(const pricing_table *p, double seconds) {
    double step = p->lambda_provisioned_round_s > 0 ? p->lambda_provisioned_round_s : 1.0;
    return ceil(seconds / step - 1e-9) * step;
}

int64_t cost_lambda_billed_ms(sim_time_us duration_us) {
    return duration_us <= 0 ? 0 : (duration_us + 999) / 1000;
}

double cost_lambda_gb_s(double invocations, sim_time_us duration_us, double memory_mb) {
    /* Multiply before dividing: invocations x ms x MB is an integer, exact in a double up to
     * 2^53 (3M x 120 ms x 1536 MB = 5.5e11), so AWS's examples come out exact. */
    return invocations * (double)cost_lambda_billed_ms(duration_us) * memory_mb / (1000.0 * 1024.0);
}

double cost_lambda_provisioned_gb_s(const pricing_table *p, double count, double memory_mb,
                                    double seconds) {
    return count * memory_mb / 1024.0 * cost_lambda_provisioned_round(p, seconds);
}

double cost_lambda_ephemeral_gb(const pricing_table *p, double ephemeral_mb) {
    return fmax(0.0, ephemeral_mb - p->lambda_ephemeral_included_mb) / 1024.0;
}

int64_t cost_lambda_async_requests(double payload_kb) {
    double extra_kb = payload_kb - 256.0;
    return extra_kb > 0 ? 1 + (int64_t)ceil(extra_kb / 64.0 - 1e-9) : 1;
}

/* Cost of gb_s on-demand GB-seconds in one month through the architecture's tiers. */
static double tiered(const pricing_lambda_arch *a, double gb_s) {
    double usd = 0.0, from = 0.0;
    for (size_t i = 0; i < a->n_tiers && gb_s > from; i++) {
        double to = a->tiers[i].up_to_gb_s;
        double in_tier = (gb_s < to ? gb_s : to) - from;
        usd += in_tier * a->tiers[i].usd_per_gb_s;
        from = to;
    }
    return usd;
}

int cost_lambda_month(const pricing_table *p, const cost_lambda_usage *u, bool free_tier,
                      cost_lambda_bill *out) {
    return cost_lambda_month_allowing(p, u, free_tier ? p->lambda_free_requests : 0.0,
                                      free_tier ? p->lambda_free_gb_s : 0.0, out);
}

int cost_lambda_month_allowing(const pricing_table *p, const cost_lambda_usage *u,
                               double free_requests, double free_gb_s, cost_lambda_bill *out) {
    memset(out, 0, sizeof *out);
    if ((unsigned)u->arch > SCN_ARCH_ARM64 || p->lambda[u->arch].n_tiers == 0) return SIM_EINVAL;
    const pricing_lambda_arch *a = &p->lambda[u->arch];
    double ondemand = u->ondemand_gb_s + u->init_gb_s; /* INIT is billed as on-demand duration */
    /* The free tier covers requests and on-demand duration, never provisioned concurrency. */
    double requests = fmax(0.0, u->requests - free_requests);
    double billable = fmax(0.0, ondemand - free_gb_s);
    double duration_usd = tiered(a, billable);
    /* Split the on-demand duration charge between invoke and INIT in proportion to usage. */
    double init_share = ondemand > 0 ? u->init_gb_s / ondemand : 0.0;
    out->requests = requests * p->lambda_usd_per_request;
    out->init = duration_usd * init_share;
    out->compute = duration_usd - out->init;
    out->provisioned = u->provisioned_configured_gb_s * a->provisioned_usd_per_gb_s;
    out->provisioned_duration = u->provisioned_duration_gb_s * a->provisioned_duration_usd_per_gb_s;
    out->ephemeral = u->ephemeral_gb_s * p->lambda_ephemeral_usd_per_gb_s;
    out->total = out->requests + out->compute + out->init + out->provisioned +
                 out->provisioned_duration + out->ephemeral;
    return SIM_OK;
}

double cost_glue_billed_s(const char *version, double run_s) {
    /* Glue 0.9 and 1.0 bill at least 10 minutes; 2.0 and later at least 1 minute. */
    double minimum_s = (strcmp(version, "0.9") == 0 || strcmp(version, "1.0") == 0) ? 600.0 : 60.0;
    double billed = ceil(run_s - 1e-9);
    return billed > minimum_s ? billed : minimum_s;
}

double cost_glue_python_shell_billed_s(double run_s) {
    double billed = ceil(run_s - 1e-9);
    return billed > 60.0 ? billed : 60.0;
}

double cost_glue_usd(const pricing_table *p, double dpu_s, scn_exec_class execution_class) {
    double rate = execution_class == SCN_EXEC_FLEX ? p->glue_flex_usd_per_dpu_hour
                                                   : p->glue_usd_per_dpu_hour;
    return dpu_s / 3600.0 * rate;
}

double cost_emr_billed_s(double run_s) {
    double billed = ceil(run_s - 1e-9);
    return billed > 60.0 ? billed : 60.0;
}

double cost_emr_ec2_usd(const pricing_table *p, const char *instance_type, double instance_s) {
    const pricing_instance *i = pricing_find_instance(p, instance_type);
    if (!i) return NAN;
    return instance_s / 3600.0 * (i->ec2_usd_per_hour + i->emr_usd_per_hour);
}

double cost_emr_ec2_market_usd(const pricing_table *p, const char *instance_type,
                               double instance_s, double discount) {
    const pricing_instance *i = pricing_find_instance(p, instance_type);
    if (!i) return NAN;
    return instance_s / 3600.0 * (i->ec2_usd_per_hour * (1.0 - discount) + i->emr_usd_per_hour);
}

#define EBS_SECONDS_PER_MONTH (30.0 * 86400.0)
double cost_emr_ebs_usd(const pricing_table *p, double gb_s) {
    return gb_s / EBS_SECONDS_PER_MONTH * p->emr_ebs_usd_per_gb_month;
}

double cost_emr_serverless_usd(const pricing_table *p, double vcpu_s, double gb_s,
                               double storage_gb_s) {
    return vcpu_s / 3600.0 * p->emr_serverless_usd_per_vcpu_hour +
           gb_s / 3600.0 * p->emr_serverless_usd_per_gb_hour +
           storage_gb_s / 3600.0 * p->emr_serverless_storage_usd_per_gb_hour;
}
