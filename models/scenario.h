/* models/scenario.h — a loaded, checked scenario (SCENARIO-FORMAT.md, version 1).
 *
 * The loader (scenario_load.c) turns a YAML file plus `--set KEY=VALUE` overrides into this
 * struct, in base units, with every default filled in and every AWS limit checked (the pricing
 * table and trace and empirical data files are loaded and checked too). scenario_key_pos() tells
 * where a key was written, for a message that must point at it after loading.
 *
 * Units: times are int64 microseconds (sim_time_us); distributions of durations sample seconds;
 * distributions of sizes sample MB (binary: 1 GB = 1024 MB); rates are per second. */
#ifndef MODELS_SCENARIO_H
#define MODELS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

#include "sim/diag.h"
#include "sim/dist.h"
#include "sim/time.h"

struct pricing_table; /* models/pricing.h */

/* A distribution as the user wrote it (so `validate` can print it back) plus the ready sampler. */
typedef enum scn_dist_form {
    SCN_FORM_PLAIN,          /* a bare value: constant */
    SCN_FORM_CONSTANT,       /* {dist: constant, value} */
    SCN_FORM_EXPONENTIAL,    /* {dist: exponential, mean} */
    SCN_FORM_LOGNORMAL_SIGMA,/* {dist: lognormal, median, sigma} */
    SCN_FORM_LOGNORMAL_P99,  /* {dist: lognormal, median, p99} */
    SCN_FORM_UNIFORM,        /* {dist: uniform, min, max} */
    SCN_FORM_GAMMA,          /* {dist: gamma, mean, cv} */
    SCN_FORM_PARETO,         /* {dist: pareto, min, alpha} */
    SCN_FORM_EMPIRICAL       /* {dist: empirical, file} */
} scn_dist_form;

typedef enum scn_quantity { SCN_QTY_DURATION, SCN_QTY_SIZE } scn_quantity;

typedef struct scn_dist {
    scn_dist_form form;
    scn_quantity quantity;   /* seconds or MB */
    double p1, p2;           /* the user's parameters in base units (value; mean; median+sigma;
                                median+p99; min+max; mean+cv; min+alpha) */
    char *file;              /* empirical: the path as written (owned) */
    double *values;          /* empirical: values in base units, sorted (owned) */
    size_t n_values;
    sim_dist dist;           /* the sampler (borrows values) */
} scn_dist;

/* ---- workload ---- */
typedef enum scn_arrival_process {
    SCN_ARRIVALS_POISSON, SCN_ARRIVALS_CONSTANT, SCN_ARRIVALS_MMPP, SCN_ARRIVALS_DIURNAL,
    SCN_ARRIVALS_TRACE
} scn_arrival_process;

typedef struct scn_mmpp_state {
    double rate_per_s;
    sim_time_us dwell_us; /* mean of the exponential dwell time */
} scn_mmpp_state;

typedef enum scn_trace_format { SCN_TRACE_TIMESTAMPS, SCN_TRACE_PER_MINUTE } scn_trace_format;

typedef struct scn_trace {
    char *file;          /* as written (owned) */
    char *path;          /* resolved against the scenario's directory (owned) */
    scn_trace_format format;
    double scale;        /* default 1.0, > 0 */
    bool loop;           /* default false */
    char *function;      /* per_minute: HashFunction to pick, or NULL */
    int64_t row;         /* per_minute: 1-based data row, or 0 */
    bool all;            /* per_minute: sum every row */
    bool per_function;   /* per_minute: every row is also kept apart, one function each
                            (functions_from_trace); the sum is the top-level workload */
    /* The data, read once by the loader (scenario_trace.c) and shared read-only by every
     * replication and thread. In no field table: derived, freed by scenario_destroy. */
    int64_t *minute_counts; /* per_minute: invocations in each minute of the picked row(s),
                               unscaled (owned); minute 0 starts at t = 0 */
    size_t n_minutes;       /* per_minute: >= 1 once loaded */
    int64_t max_minute_count;
    double *times_s;        /* timestamps: arrival times in seconds, sorted, >= 0 (owned) */
    size_t n_times;         /* timestamps: >= 1 once loaded */
    int64_t total;          /* arrivals in one pass, unscaled (sum of counts, or n_times) */
    double period_s;        /* one pass, unscaled, for loop: n_minutes x 60 s; for timestamps
                               the smallest whole second after the last timestamp */
    /* per_function: each data row's counts (n_rows x n_minutes, row-major), HashFunction and
     * HashApp (the dataset's memory file is per app) */
    int64_t *row_counts;    /* owned */
    char **row_names;       /* owned */
    char **row_apps;        /* owned */
    size_t n_rows;
} scn_trace;

typedef struct scn_burst {
    sim_time_us at_us;
    int64_t count;       /* >= 1 */
    sim_time_us every_us;/* 0 = once */
} scn_burst;

typedef struct scn_workload {
    scn_arrival_process process;
    double rate_per_s;                 /* poisson, constant */
    scn_mmpp_state *mmpp_states;       /* owned */
    size_t n_mmpp_states;              /* >= 1 when mmpp */
    double diurnal_mean_rate_per_s;
    double diurnal_amplitude;          /* 0..1 */
    sim_time_us diurnal_period_us;     /* default 24h */
    sim_time_us diurnal_peak_at_us;    /* default 14h */
    scn_trace trace;
    scn_burst *bursts;                 /* owned */
    size_t n_bursts;
    scn_dist item_size;                /* MB, default constant 1MB */
    int64_t item_records;              /* default 1, >= 1 */
    scn_dist work_cpu;                 /* vCPU-seconds at one full vCPU, default constant 0 */
    scn_dist work_cpu_per_mb;          /* vCPU-seconds per MB, default constant 0 */
    scn_dist work_io;                  /* seconds, default constant 0 */
    int64_t work_threads;              /* default 1, 1..64 */
    double error_rate;                 /* [0,1], default 0 */
    double poison_rate;                /* [0,1], default 0 */
} scn_workload;

/* ---- lambda ---- */
typedef enum scn_arch { SCN_ARCH_X86_64, SCN_ARCH_ARM64 } scn_arch;
typedef enum scn_trigger {
    SCN_TRIGGER_SYNC, SCN_TRIGGER_ASYNC, SCN_TRIGGER_S3, SCN_TRIGGER_EVENTBRIDGE,
    SCN_TRIGGER_KINESIS, SCN_TRIGGER_SQS
} scn_trigger;
typedef enum scn_routing { SCN_ROUTING_MRU, SCN_ROUTING_NEWEST, SCN_ROUTING_RANDOM } scn_routing;
typedef enum scn_on_failure { SCN_ON_FAILURE_DLQ, SCN_ON_FAILURE_DROP } scn_on_failure;

typedef struct scn_provisioned_window {
    sim_time_us from_us, to_us; /* times of day in [0, 24h]; from < to; repeats daily */
    int64_t count;
} scn_provisioned_window;

typedef struct scn_lambda {
    bool present;
    int64_t memory_mb;                 /* 128..10240, default 1024 */
    scn_arch architecture;             /* default x86_64 */
    sim_time_us timeout_us;            /* 1s..900s, default 60s (see README: AWS console says 3s) */
    int64_t ephemeral_mb;              /* 512..10240, default 512 */
    scn_trigger trigger;               /* default sync */
    scn_dist init;                     /* cold_start.init, seconds; default lognormal
                                          median 250ms p99 700ms */
    bool init_billed;                  /* default true */
    scn_dist keep_alive;               /* seconds, default constant 10min */
    bool has_max_lifetime;             /* default false (none) */
    scn_dist max_lifetime;
    scn_routing routing;               /* default mru */
    int64_t account_limit;             /* default 1000, >= 1 */
    int64_t reserved;                  /* -1 = none (default); 0..account_limit-100 */
    double scale_count;                /* scale_rate: count per period, default 1000 */
    sim_time_us scale_period_us;       /* default 10s */
    int64_t provisioned;               /* constant count (default 0), when no schedule */
    scn_provisioned_window *provisioned_schedule; /* owned; NULL when constant; sorted by from */
    size_t n_provisioned_windows;
    sim_time_us provisioned_allocation_us; /* a schedule window is enabled (and billed) this long
                                              before `from`, ready at `from`; default 2min */
    /* async / s3 / eventbridge */
    int64_t async_max_retries;         /* 0..2, default 2 */
    sim_time_us async_max_event_age_us;/* 60s..6h, default 6h */
    scn_on_failure async_on_failure;   /* default dlq */
    /* kinesis */
    int64_t kinesis_shards;            /* >= 1, default 1 */
    int64_t kinesis_batch_size;        /* 1..10000, default 100 */
    sim_time_us kinesis_batch_window_us;/* 0..300s, default 0 */
    int64_t kinesis_parallelization;   /* 1..10, default 1 */
    int64_t kinesis_max_retries;       /* -1..10000, default -1 */
    bool kinesis_bisect_on_error;      /* default false */
    int64_t kinesis_other_consumers;   /* other standard consumers sharing each shard's 2 MB/s of
                                          reads, default 0 */
    bool kinesis_enhanced_fan_out;     /* a dedicated 2 MB/s per shard, records pushed; default
                                          false */
    /* sqs */
    int64_t sqs_batch_size;            /* 1..10000, default 10 */
    sim_time_us sqs_batch_window_us;   /* 0..300s, default 0 */
    int64_t sqs_max_concurrency;       /* 2..1000, default 1000 */
    int64_t sqs_max_receives;          /* >= 1, default 3 */
    sim_time_us sqs_visibility_timeout_us; /* 0..12h; default 6 x timeout (AWS's advice), filled
                                              in by the lambda section's rule */
} scn_lambda;

/* ---- glue ---- */
typedef enum scn_glue_worker {
    SCN_GLUE_G025X, SCN_GLUE_G1X, SCN_GLUE_G2X, SCN_GLUE_G4X, SCN_GLUE_G8X
} scn_glue_worker;
typedef enum scn_exec_class { SCN_EXEC_STANDARD, SCN_EXEC_FLEX } scn_exec_class;
typedef enum scn_glue_job_type { SCN_GLUE_SPARK, SCN_GLUE_PYTHON_SHELL } scn_glue_job_type;

/* A batch trigger (glue.trigger, emr.trigger): every period, or when batch_items have queued;
 * both may be set, the first to match starts a job. */
typedef struct scn_batch_trigger {
    sim_time_us every_us; /* 0 = not set */
    int64_t batch_items;  /* 0 = not set */
} scn_batch_trigger;

typedef struct scn_glue {
    bool present;
    scn_glue_job_type job_type; /* default spark */
    double python_shell_dpu;  /* python_shell: 0.0625 (default) or 1 */
    bool job_run_queuing;     /* default false (AWS's): a run started at the limit fails */
    bool auto_scaling;        /* default false: Spark on Glue 3.0+, bills the workers it uses */
    char version[8];          /* "0.9" "1.0" "2.0" "3.0" "4.0" "5.0", default "4.0" */
    scn_glue_worker worker_type; /* default G.1X */
    double dpu_per_worker;    /* derived from worker_type */
    int64_t workers;          /* >= 2, default 10 */
    scn_exec_class execution_class; /* default standard */
    scn_batch_trigger trigger;/* default every 15min */
    scn_dist startup;         /* seconds; default by version (see scenario_rules.c) */
    double efficiency;        /* (0,1], default 0.6 */
    int64_t max_concurrent_runs; /* >= 1, default 1 */
    sim_time_us timeout_us;   /* default 48h, 1min..7d */
} scn_glue;

/* ---- emr ---- */
typedef enum scn_emr_deployment { SCN_EMR_EC2, SCN_EMR_SERVERLESS } scn_emr_deployment;
typedef enum scn_emr_mode { SCN_EMR_PERSISTENT, SCN_EMR_TRANSIENT } scn_emr_mode;
typedef enum scn_market { SCN_MARKET_ON_DEMAND, SCN_MARKET_SPOT } scn_market;

typedef struct scn_emr {
    bool present;
    scn_emr_deployment deployment; /* default ec2 */
    scn_emr_mode mode;             /* default persistent */
    char instance_type[32];        /* default m5.xlarge */
    int64_t core_nodes;            /* >= 1, default 2 */
    int64_t task_nodes;            /* compute-only nodes, default 0 */
    scn_market task_market;        /* default on_demand */
    double spot_discount;          /* share off the EC2 On-Demand price, default 0.6 */
    double spot_interruptions_per_s; /* per Spot instance, default 0.05/30d */
    double ebs_gb_per_node;        /* EBS storage per instance, default 0 */
    scn_dist provisioning;         /* seconds, default uniform 6min..10min */
    scn_batch_trigger trigger;     /* default every 1h */
    double efficiency;             /* (0,1], default 0.7 */
    /* serverless */
    double sl_vcpu;                /* per worker, default 4 */
    double sl_memory_gb;           /* per worker, default 16 */
    int64_t sl_workers;            /* default 10 */
    scn_dist sl_startup;           /* seconds, default constant 90s */
    int64_t sl_pre_initialized;    /* workers kept initialised, default 0 */
    bool sl_auto_stop;             /* the application stops when idle, default true */
    sim_time_us sl_idle_timeout_us;/* ... after this long, default 15min */
} scn_emr;
/* ---- functions and account (format 1.1): several functions sharing one account ---- */

/* What runs a function of an account: Lambda, or (a last stage of a pipeline, fed by `from:`)
 * a Glue or EMR job on the items its upstream completes. */
typedef enum scn_stage_platform {
    SCN_STAGE_LAMBDA, SCN_STAGE_GLUE, SCN_STAGE_EMR
} scn_stage_platform;

/* One function of `functions:`. Its lambda (glue, emr) section is parsed with the same table as
 * the top-level one (every key but lambda.concurrency.account_limit, which the account owns). */
typedef struct scn_function {
    char *name;              /* [a-z0-9-]+, unique (owned) */
    bool has_workload;       /* its own `workload:`; else the top-level workload */
    scn_workload workload;   /* own (has_workload); a stage (from >= 0) has no arrivals here */
    scn_stage_platform platform; /* lambda (default), or a Glue or EMR job as a last stage */
    scn_lambda lambda;       /* platform lambda: present = true; account_limit = the account's */
    scn_glue glue;           /* platform glue: the job (present = true) */
    scn_emr emr;             /* platform emr: the cluster or application (present = true) */
    bool lambda_borrowed;    /* functions_from_trace: lambda is the template's (not owned) */
    int32_t from;            /* the upstream function (index, listed earlier), or -1: arrivals */
    int64_t per_item;        /* from: items made here by each item the upstream completes */
    /* Per-function trace replay (functions_from_trace): this function's row of the trace, and
     * its duration from the companion file. Derived, freed by scenario_destroy. */
    scn_trace *trace;        /* owned, or NULL: the workload's own trace */
    bool has_duration;       /* the run time of an invocation replaces workload.work */
    scn_dist duration;       /* seconds (owned values) */
} scn_function;

/* functions_from_trace: one function per row of a per_minute trace (capsim's key). */
typedef struct scn_functions_from_trace {
    bool present;
    scn_lambda lambda;       /* the template every function gets (owned) */
    char *durations;         /* Azure function_durations_percentiles file as written, or NULL */
    char *memory;            /* Azure app_memory_percentiles file as written, or NULL */
    int64_t min_invocations; /* rows with fewer invocations in the trace are left out (default 1) */
} scn_functions_from_trace;

/* ---- services around the compute (capsim's section, for the whole bill) ---- */
typedef enum scn_source {
    SCN_SOURCE_AUTO, SCN_SOURCE_NONE, SCN_SOURCE_KINESIS, SCN_SOURCE_SQS, SCN_SOURCE_S3
} scn_source;
typedef enum scn_kinesis_mode { SCN_KINESIS_PROVISIONED, SCN_KINESIS_ON_DEMAND } scn_kinesis_mode;

typedef struct scn_services {
    scn_source source;             /* as written, default auto */
    scn_source resolved_source;    /* derived: auto resolved from lambda.trigger; never AUTO */
    scn_kinesis_mode kinesis_mode; /* default provisioned */
    int64_t kinesis_shards;        /* default lambda.kinesis.shards with trigger kinesis, else 1 */
    double s3_gets_per_item;       /* default 1 with source s3, else 0 */
    double s3_puts_per_item;       /* default 1 with source s3 (the upload), else 0 */
    double sfn_transitions_per_run;/* per Lambda invocation or Glue/EMR job run, default 0 */
    double logs_kb_per_invocation; /* CloudWatch Logs ingested per Lambda invocation, default 0 */
    double logs_kb_per_job;        /* ... per Glue or EMR job run, default 0 */
} scn_services;

/* ---- pricing, lesson ---- */
typedef struct scn_pricing {
    char table[256];      /* as written: a table name (default "aws-us-east-1") or a path */
    bool free_tier;       /* default false */
    sim_time_us month_us; /* default 30d */
    double horizons_per_month; /* 0 = not set: month / horizon (scenario_horizons_per_month) */
} scn_pricing;

/* One configuration a lesson runs: the file with these overrides (models/lesson.h). */
typedef struct scn_lesson_run {
    char *name;  /* [a-z0-9-]+, unique in the lesson; answers refer to it (owned) */
    char **set;  /* "KEY=VALUE" overrides, applied in order on top of the file (owned) */
    size_t n_set;
} scn_lesson_run;

typedef struct scn_lesson {
    bool present;
    char *topic, *question, *explain; /* owned, may be NULL */
    int64_t part;            /* order among the scenarios of one topic; 0 = not set (first) */
    scn_lesson_run *runs;    /* owned; none: the file as written, named after the scenario */
    size_t n_runs;
    bool has_sweep;          /* lesson.sweep: a sweep (models/sweep.h) the lesson also runs */
    char **sweep_set;        /* overrides of every point (owned) */
    size_t n_sweep_set;
    char **sweep_vary;       /* --vary arguments, at least one (owned) */
    size_t n_sweep_vary;
    bool sweep_zip;
    char **show;             /* "PLATFORM.PATH" metrics tabled for the runs (owned) */
    size_t n_show;
    char *answer;            /* template filled with the runs' numbers (owned, may be NULL) */
} scn_lesson;

/* Where a key was written, for errors raised after loading. */
typedef struct scn_key_pos {
    char *path; /* dotted, e.g. "lambda.concurrency.reserved" (owned) */
    int line, col;
    /* Added by the loader: */
    int value_line, value_col; /* where the key's value starts (errors about a value point here) */
    const char *source;        /* the scenario's file, or "--set" for a key from an override
                                  (then line is the override's 1-based index); borrowed */
} scn_key_pos;

typedef struct scenario {
    char *file;         /* the scenario's path as given (owned) */
    char *name;         /* [a-z0-9-]+ */
    char *description;  /* may be NULL */
    sim_time_us horizon_us; /* > 0 */
    sim_time_us warmup_us;  /* >= 0, default 0 */
    uint64_t seed;          /* default 1 */
    int64_t replications;   /* 1..100000, default 1 */
    scn_workload workload;
    scn_lambda lambda;
    /* format 1.1: `account:` and `functions:` instead of `lambda:` (lambda.present is false) */
    int64_t account_limit;  /* account.concurrency_limit, default 1000 */
    scn_function *functions;/* owned */
    size_t n_functions;
    bool functions_present; /* the functions are simulated (set when n_functions > 0; a caller
                               running only other platforms clears it) */
    scn_functions_from_trace from_trace;
    scn_glue glue;
    scn_emr emr;
    scn_services services;
    scn_pricing pricing;
    scn_lesson lesson;
    scn_key_pos *keys;      /* every key present in the file or overrides (owned) */
    size_t n_keys;
    /* The pricing table named by pricing.table, loaded and checked with the scenario (owned;
     * never NULL in a loaded scenario). Models price usage with it (models/cost.h). */
    struct pricing_table *pricing_table;
} scenario;

/* Loads and checks a scenario file, applying overrides ("KEY=VALUE" strings, applied in order
 * on top of the file). On success returns 0 and a new scenario in *out (free with
 * scenario_destroy). On failure: every problem is recorded in diag; returns SIM_ESCENARIO for an
 * invalid scenario (exit 3), SIM_EIO when the file cannot be read (exit 4), SIM_ENOMEM. */
int scenario_load_file(const char *path, const char *const *overrides, size_t n_overrides,
                       sim_diag *diag, scenario **out);
/* The same from text in memory; `name` is used as the file name in messages and relative paths
 * are resolved against the current directory. */
int scenario_load_string(const char *name, const char *text, const char *const *overrides,
                         size_t n_overrides, sim_diag *diag, scenario **out);
void scenario_destroy(scenario *s);

/* Where `path` was written (1-based line/col), or false if it was not written (a default).
 * line and col may be NULL. */
bool scenario_key_pos(const scenario *s, const char *path, int *line, int *col);

/* Like scenario_key_pos, and also where: s->file, or "--set" when the key came from an override
 * (line = the override's 1-based index, col = the column in its "KEY=VALUE" text). Use this for
 * messages so that `--set` keys are reported as `--set:N:COL`. */
bool scenario_key_where(const scenario *s, const char *path, const char **source, int *line,
                        int *col);

/* Writes the effective scenario as YAML: every key with its value, defaults filled in, in the
 * user's units where possible. Loading the output gives the same scenario. */
int scenario_write_yaml(const scenario *s, FILE *out);

/* The value of the scalar key `path` ("lambda.memory", "workload.arrivals.rate") in base units:
 * durations in seconds, sizes in MB, rates per second, booleans 0/1, a constant distribution its
 * value. SIM_EINVAL for a key that is not a number (a list, a text, a distribution, none). */
int scenario_key_number(const scenario *s, const char *path, double *out);

/* Writes the reference of the format as Markdown (`capsim schema`, scenarios/SCHEMA.md): every
 * key of the loader's tables with its type, range, default and meaning, and the rules relating
 * keys. Returns 0, or SIM_EIO when writing failed. */
int scenario_write_schema(FILE *out);

/* Records in w (sim_diag_warning) what a valid scenario probably did not mean: a batch
 * trigger period longer than the horizon, items larger than Lambda's ephemeral storage, a
 * provisioned window the horizon never reaches. */
void scenario_warn(const scenario *s, sim_diag *w);

/* How many times a month the horizon's usage happens: pricing.horizons_per_month, or
 * month / horizon when it is not set. per_month costs are the horizon's usage times this. */
double scenario_horizons_per_month(const scenario *s);

/* The workload function i replays or takes its items' attributes from: its own, else the
 * top-level one. */
const scn_workload *scenario_function_workload(const scenario *s, size_t i);

/* Formatting helpers shared with the result writers: "250ms", "10min", "1.5GB". */
void scenario_format_duration(char *buf, size_t len, sim_time_us t_us);
void scenario_format_size_mb(char *buf, size_t len, double mb);

#endif
