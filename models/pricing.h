/* models/pricing.h — pricing tables: every rate capsim bills with, loaded from a data file.
 *
 * Tables are YAML files shipped in models/pricing/ — one per region and date, each rate with its
 * unit in its key and a source for each group of rates — so a user can add a region or update a
 * price without rebuilding. `pricing.table: NAME` selects <pricing_dir()>/NAME.yaml; a path
 * (containing '/' or ending in .yaml) selects that file, relative to the scenario's directory
 * (or the current directory for `capsim cost --pricing`), with `${NAME}` environment variables
 * expanded as in every data-file path (scenario_internal.h, scn_resolve_path). Tables are read with the scenario
 * loader's walker (scenario_internal.h), so they are checked like scenarios: every problem as
 * FILE:LINE:COL: error: KEY.PATH: message (unknown keys, missing rates, negative prices, tier
 * bounds that do not increase). The format is described by the field tables in pricing.c and
 * by the shipped models/pricing/aws-us-east-1.yaml. Billing rules are not data: see cost.h. */
#ifndef MODELS_PRICING_H
#define MODELS_PRICING_H

#include <stdbool.h>
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
    char name[64];                            /* "aws-us-east-1": the name, or a path's file stem */
    char region[32], date[16];                /* "us-east-1", "2026-11-01" (when prices were read) */
    char *path;                               /* the file it came from (owned) */
    double lambda_usd_per_request;
    pricing_lambda_arch lambda[2];            /* indexed by scn_arch */
    double lambda_ephemeral_usd_per_gb_s;     /* /tmp above the included size */
    double lambda_ephemeral_included_mb;      /* 512 MB of /tmp come without charge */
    double lambda_provisioned_round_s;        /* 300 s */
    double lambda_free_requests, lambda_free_gb_s; /* monthly free tier */
    double glue_usd_per_dpu_hour, glue_flex_usd_per_dpu_hour;
    pricing_instance *instances;              /* owned */
    size_t n_instances;
    double emr_serverless_usd_per_vcpu_hour, emr_serverless_usd_per_gb_hour,
        emr_serverless_storage_usd_per_gb_hour, emr_serverless_free_storage_gb;
    double emr_ebs_usd_per_gb_month;          /* EBS gp3 attached to EMR instances */
    /* The services around the compute (the scenario's `services:`) */
    double kinesis_usd_per_shard_hour, kinesis_usd_per_put_unit, kinesis_put_unit_kb;
    double kinesis_od_usd_per_stream_hour, kinesis_od_usd_per_gb_written,
        kinesis_od_usd_per_gb_read, kinesis_od_record_rounding_kb;
    double kinesis_efo_usd_per_consumer_shard_hour, kinesis_efo_usd_per_gb;
    double sqs_usd_per_request, sqs_request_chunk_kb;
    double s3_usd_per_put, s3_usd_per_get;
    double sfn_usd_per_transition;
    double logs_usd_per_gb;
} pricing_table;

/* Loads table `name_or_path` (see above; a relative path is relative to the current directory).
 * 0; SIM_EIO when the file cannot be read (why, and the tables available, in diag);
 * SIM_ESCENARIO (every problem of the file in diag); SIM_ENOMEM. Free with pricing_destroy. */
int pricing_load(const char *name_or_path, sim_diag *diag, pricing_table **out);
/* The same, with a relative path resolved against base_dir ("" = the current directory). */
int pricing_load_from(const char *name_or_path, const char *base_dir, sim_diag *diag,
                      pricing_table **out);
/* True when name_or_path is a path (contains '/' or ends in ".yaml"), not a table name. */
bool pricing_is_path(const char *name_or_path);
/* The file name_or_path refers to, into *out (malloc'ed): a path's environment variables are
 * expanded (scn_resolve_path: `${NAME}`). 0; SIM_ENOMEM; SIM_ESCENARIO with why when a
 * variable is not set. */
int pricing_resolve(const char *name_or_path, const char *base_dir, char **out, char *why,
                    size_t why_len);
/* Checks that the file of name_or_path can be read. On failure returns SIM_EIO and writes into
 * why one line saying why, naming the tables available ("cannot read '/x/nope.yaml': No such
 * file or directory; tables in /x: aws-us-east-1"); SIM_ESCENARIO (why says so) when a variable
 * of the path is not set; SIM_ENOMEM. */
int pricing_check_readable(const char *name_or_path, const char *base_dir, char *why,
                           size_t why_len);
/* "m5.xlarge, m5.2xlarge, ..." into buf: the instance types of the table, for messages. */
void pricing_list_instances(const pricing_table *p, char *buf, size_t len);
void pricing_destroy(pricing_table *p);
/* The instance type named name, or NULL. */
const pricing_instance *pricing_find_instance(const pricing_table *p, const char *name);
/* The directory table names are looked up in: $CAPSIM_PRICING_DIR when set and not empty (read
 * each call, so a change of the environment takes effect), else the tables installed with the
 * running binary (<bin>/../share/capsim/pricing), else the source tree's models/pricing. The
 * order and why: models/pricing.c. */
const char *pricing_dir(void);
/* The table a scenario uses when it names none (and `capsim --version` reports). */
#define PRICING_DEFAULT_TABLE "aws-us-east-1"

#endif
