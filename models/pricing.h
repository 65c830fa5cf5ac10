/* models/pricing.h — pricing tables: every rate capsim bills with, loaded from a data file.
 *
 * Tables are YAML files shipped in models/pricing/ (installed beside the program) — one per
 * region and date, each rate with its unit and source — so a user can add a region or update a
 * price without rebuilding. `pricing.table: NAME` selects models/pricing/NAME.yaml; a path
 * (containing '/' or ending in .yaml) selects that file. Tables are loaded and checked like
 * scenarios: every problem as FILE:LINE:COL: error: KEY.PATH: message. */
#ifndef MODELS_PRICING_H
#define MODELS_PRICING_H

#include <stddef.h>

#include "models/scenario.h"
#include "sim/diag.h"

#define PRICING_MAX_TIERS 4

typedef struct pricing_tier {
    double up_to_gb_s;  /* monthly GB-s at which this tier ends; INFINITY for the last */
    double usd_per_gb_s;
} pricing_tier;

typedef struct pricing_lambda_arch {
    pricing_tier tiers[PRICING_MAX_TIERS];
    size_t n_tiers;
    double provisioned_usd_per_gb_s;          /* per GB-s configured */
    double provisioned_duration_usd_per_gb_s; /* duration of invocations it serves */
} pricing_lambda_arch;

typedef struct pricing_instance {
    char name[32];          /* "m5.xlarge" */
    double vcpu, memory_gb;
    double ec2_usd_per_hour, emr_usd_per_hour;
} pricing_instance;

typedef struct pricing_table {
    char name[64], region[32], date[16];
    char *path;                               /* the file it came from (owned) */
    double lambda_usd_per_request;
    pricing_lambda_arch lambda[2];            /* indexed by scn_arch */
    double lambda_ephemeral_usd_per_gb_s;     /* /tmp above 512 MB */
    double lambda_provisioned_round_s;        /* 300 s */
    double lambda_free_requests, lambda_free_gb_s; /* monthly free tier */
    double glue_usd_per_dpu_hour, glue_flex_usd_per_dpu_hour;
    pricing_instance *instances;              /* owned */
    size_t n_instances;
    double emr_serverless_usd_per_vcpu_hour, emr_serverless_usd_per_gb_hour,
        emr_serverless_storage_usd_per_gb_hour, emr_serverless_free_storage_gb;
} pricing_table;

/* Loads table `name_or_path` (see above). 0, SIM_ESCENARIO (problems in diag), SIM_EIO. */
int pricing_load(const char *name_or_path, sim_diag *diag, pricing_table **out);
void pricing_destroy(pricing_table *p);
/* The instance type named name, or NULL. */
const pricing_instance *pricing_find_instance(const pricing_table *p, const char *name);
/* The directory tables are looked up in: $CAPSIM_PRICING_DIR, else the source tree's
 * models/pricing (compiled in), else models/pricing next to the executable. */
const char *pricing_dir(void);

#endif
