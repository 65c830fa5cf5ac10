/* models/pricing.c — pricing tables (see pricing.h).
 *
 * TEMPORARY: this version knows one table, aws-us-east-1, compiled in from AWS-REFERENCE.md;
 * loading tables from models/pricing/NAME.yaml replaces it. */
#include "models/pricing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/error.h"

static const pricing_instance us_east_1_instances[] = {
    {"m5.xlarge", 4, 16, 0.192, 0.048},   {"m5.2xlarge", 8, 32, 0.384, 0.096},
    {"r5.xlarge", 4, 32, 0.252, 0.063},   {"r5.2xlarge", 8, 64, 0.504, 0.126},
    {"r5.4xlarge", 16, 128, 1.008, 0.252},
};

static void fill_us_east_1(pricing_table *p) {
    snprintf(p->name, sizeof p->name, "aws-us-east-1");
    snprintf(p->region, sizeof p->region, "us-east-1");
    snprintf(p->date, sizeof p->date, "2026-11-01");
    p->lambda_usd_per_request = 0.20 / 1e6;
    p->lambda[SCN_ARCH_X86_64] = (pricing_lambda_arch){
        {{6e9, 0.0000166667}, {15e9, 0.0000150000}, {INFINITY, 0.0000133334}}, 3,
        0.0000041667, 0.0000097222};
    p->lambda[SCN_ARCH_ARM64] = (pricing_lambda_arch){
        {{7.5e9, 0.0000133334}, {18.75e9, 0.0000120001}, {INFINITY, 0.0000106667}}, 3,
        0.0000033334, 0.0000077778};
    p->lambda_ephemeral_usd_per_gb_s = 0.0000000309;
    p->lambda_provisioned_round_s = 300.0;
    p->lambda_free_requests = 1e6;
    p->lambda_free_gb_s = 400000.0;
    p->glue_usd_per_dpu_hour = 0.44;
    p->glue_flex_usd_per_dpu_hour = 0.29;
    p->emr_serverless_usd_per_vcpu_hour = 0.052624;
    p->emr_serverless_usd_per_gb_hour = 0.0057785;
    p->emr_serverless_storage_usd_per_gb_hour = 0.000111;
    p->emr_serverless_free_storage_gb = 20.0;
}

int pricing_load(const char *name_or_path, sim_diag *diag, pricing_table **out) {
    *out = NULL;
    if (strcmp(name_or_path, "aws-us-east-1") != 0) {
        sim_diag_error(diag, name_or_path, 0, 0, NULL, "no such pricing table (this build ships "
                       "aws-us-east-1)");
        return SIM_ESCENARIO;
    }
    pricing_table *p = calloc(1, sizeof *p);
    size_t n = sizeof us_east_1_instances / sizeof us_east_1_instances[0];
    if (p) p->instances = malloc(sizeof us_east_1_instances);
    if (!p || !p->instances) {
        free(p);
        return SIM_ENOMEM;
    }
    fill_us_east_1(p);
    memcpy(p->instances, us_east_1_instances, sizeof us_east_1_instances);
    p->n_instances = n;
    *out = p;
    return SIM_OK;
}

void pricing_destroy(pricing_table *p) {
    if (!p) return;
    free(p->instances);
    free(p->path);
    free(p);
}

const pricing_instance *pricing_find_instance(const pricing_table *p, const char *name) {
    for (size_t i = 0; i < p->n_instances; i++)
        if (strcmp(p->instances[i].name, name) == 0) return &p->instances[i];
    return NULL;
}

const char *pricing_dir(void) { return ""; }
