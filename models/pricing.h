/* models/pricing.h — prices the cost model multiplies usage by.
 *
 * This version carries one built-in table, AWS us-east-1 as listed in AWS-REFERENCE.md (AWS
 * Lambda pricing page, stored late 2026). Prices are per unit named in the field. Loading tables
 * from data files (other regions, updated prices) comes with the cost-model work. */
#ifndef MODELS_PRICING_H
#define MODELS_PRICING_H

#include "models/scenario.h"

typedef struct pricing_lambda_arch {
    double usd_per_gb_s;                    /* on-demand duration, first monthly tier */
    double provisioned_usd_per_gb_s;        /* provisioned concurrency, per GB-s configured */
    double provisioned_duration_usd_per_gb_s; /* duration of invocations it serves */
} pricing_lambda_arch;

typedef struct pricing_table {
    const char *name;
    const char *source;
    double lambda_usd_per_request;
    pricing_lambda_arch lambda[2];          /* indexed by scn_arch */
    double lambda_ephemeral_usd_per_gb_s;   /* /tmp above 512 MB */
    double lambda_provisioned_round_s;      /* configured time rounded up to this (300 s) */
} pricing_table;

/* The built-in table of that name, or NULL. */
const pricing_table *pricing_find(const char *name);

#endif
