/* models/scenario_rules.c — the scenario format as data: every key, its type, range and default.
 *
 * Read this file to know what a scenario may contain. Each map of SCENARIO-FORMAT.md is a table
 * of fields below (see scenario_internal.h for the field struct); defaults are written as a user
 * would write them and parsed by the same code as the file. Ranges come from AWS-REFERENCE.md.
 * After the tables: the few values with several shapes (`reserved: none | N`), and the rules that
 * relate several keys (reserved <= account_limit - 100, the map named after the arrival process,
 * ...), each run when its section has been parsed. Every key's `help` and each check's rules in
 * words feed `capsim schema` (scenario_schema.c), which generates scenarios/SCHEMA.md: change a
 * key or a rule here and regenerate that file (tests/cli/test_schema.sh fails until then). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "models/lesson.h"
#include "models/pricing.h"
#include "models/scenario_internal.h"
#include "models/units.h"
#include "sim/error.h"

/* Enums are stored through an int (SCN_T_ENUM); make sure every enum here is int-sized. */
_Static_assert(sizeof(scn_arrival_process) == sizeof(int), "enum size");
_Static_assert(sizeof(scn_trace_format) == sizeof(int), "enum size");
_Static_assert(sizeof(scn_arch) == sizeof(int), "enum size");
_Static_assert(sizeof(scn_trigger) == sizeof(int), "enum size");
_Static_assert(sizeof(scn_routing) == sizeof(int), "enum size");
_Static_assert(sizeof(scn_on_failure) == sizeof(int), "enum size");
_Static_assert(sizeof(scn_glue_worker) == sizeof(int), "enum size");
_Static_assert(sizeof(scn_exec_class) == sizeof(int), "enum size");
_Static_assert(sizeof(scn_glue_job_type) == sizeof(int), "enum size");
_Static_assert(sizeof(scn_emr_deployment) == sizeof(int), "enum size");
_Static_assert(sizeof(scn_emr_mode) == sizeof(int), "enum size");
_Static_assert(sizeof(scn_market) == sizeof(int), "enum size");
_Static_assert(sizeof(scn_source) == sizeof(int), "enum size");
_Static_assert(sizeof(scn_kinesis_mode) == sizeof(int), "enum size");

#define S(member) offsetof(scenario, member)
#define NO SCN_NO_OFF
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define SECTION_OF(fields, check) {fields, COUNT(fields), check}

/* Ranges, in base units: microseconds, MB, counts, per second. */
#define RANGE(lo, hi) .has_min = true, .min = (lo), .has_max = true, .max = (hi)
#define ATLEAST(lo) .has_min = true, .min = (lo)
#define ABOVE(lo) .has_min = true, .min_excl = true, .min = (lo)
#define ABOVE_UPTO(lo, hi) ABOVE(lo), .has_max = true, .max = (hi)
#define US_S 1e6
#define US_MIN 60e6
#define US_H 3600e6

/* Enum names, in the order of the enums in scenario.h. */
static const char *const PROCESS_NAMES[] = {"poisson", "constant", "mmpp", "diurnal", "trace", NULL};
static const char *const TRACE_FORMAT_NAMES[] = {"timestamps", "per_minute", NULL};
static const char *const ARCH_NAMES[] = {"x86_64", "arm64", NULL};
static const char *const TRIGGER_NAMES[] = {"sync", "async", "s3", "eventbridge", "kinesis", "sqs", NULL};
static const char *const ROUTING_NAMES[] = {"mru", "newest", "random", NULL};
static const char *const ON_FAILURE_NAMES[] = {"dlq", "drop", NULL};
static const char *const GLUE_WORKER_NAMES[] = {"G.025X", "G.1X", "G.2X", "G.4X", "G.8X", NULL};
static const double GLUE_DPU_PER_WORKER[] = {0.25, 1, 2, 4, 8}; /* AWS-REFERENCE.md, Glue */
static const char *const EXEC_CLASS_NAMES[] = {"standard", "flex", NULL};
static const char *const GLUE_JOB_TYPE_NAMES[] = {"spark", "python_shell", NULL};
#define GLUE_MAX_WORKERS 299 /* G.1X; also the DPUs of a job run (check_glue) */
static const char *const GLUE_VERSIONS[] = {"0.9", "1.0", "2.0", "3.0", "4.0", "5.0", NULL};
static const char *const DEPLOYMENT_NAMES[] = {"ec2", "serverless", NULL};
static const char *const EMR_MODE_NAMES[] = {"persistent", "transient", NULL};
static const char *const MARKET_NAMES[] = {"on_demand", "spot", NULL};
static const char *const SOURCE_NAMES[] = {"auto", "none", "kinesis", "sqs", "s3", NULL};
static const char *const KINESIS_MODE_NAMES[] = {"provisioned", "on_demand", NULL};

/* ---- when the writer prints a key (it must not print keys that would not load back) ---- */
static bool uses_rate(const scenario *s)
{
    return s->workload.process == SCN_ARRIVALS_POISSON || s->workload.process == SCN_ARRIVALS_CONSTANT;
}
static bool uses_mmpp(const scenario *s) { return s->workload.process == SCN_ARRIVALS_MMPP; }
static bool uses_diurnal(const scenario *s) { return s->workload.process == SCN_ARRIVALS_DIURNAL; }
static bool uses_trace(const scenario *s) { return s->workload.process == SCN_ARRIVALS_TRACE; }
static bool uses_async(const scenario *s)
{
    scn_trigger t = s->lambda.trigger;
    return t == SCN_TRIGGER_ASYNC || t == SCN_TRIGGER_S3 || t == SCN_TRIGGER_EVENTBRIDGE;
}
static bool uses_kinesis(const scenario *s) { return s->lambda.trigger == SCN_TRIGGER_KINESIS; }
static bool uses_sqs(const scenario *s) { return s->lambda.trigger == SCN_TRIGGER_SQS; }
/* A function of `functions:` has no account_limit of its own (the account's is shared). */
static bool has_no_functions(const scenario *s) { return s->n_functions == 0 && !s->from_trace.present; }
static bool uses_serverless(const scenario *s) { return s->emr.deployment == SCN_EMR_SERVERLESS; }
static bool uses_spot(const scenario *s)
{
    return s->emr.deployment == SCN_EMR_EC2 && s->emr.task_nodes > 0 &&
           s->emr.task_market == SCN_MARKET_SPOT;
}
static bool uses_spark(const scenario *s) { return s->glue.job_type == SCN_GLUE_SPARK; }
static bool uses_python_shell(const scenario *s) { return s->glue.job_type == SCN_GLUE_PYTHON_SHELL; }

/* ---- custom values and rules, defined after the tables ---- */
static const scn_custom MAX_LIFETIME, RESERVED, PROVISIONED, GLUE_VERSION, STRINGS;
static void check_root(scn_walk *w, yaml_node_t *map, void *base, const char *path);
static void check_arrivals(scn_walk *w, yaml_node_t *map, void *base, const char *path);
static void check_lesson(scn_walk *w, yaml_node_t *map, void *base, const char *path);
static void check_diurnal(scn_walk *w, yaml_node_t *map, void *base, const char *path);
static void check_trace(scn_walk *w, yaml_node_t *map, void *base, const char *path);
static void check_concurrency(scn_walk *w, yaml_node_t *map, void *base, const char *path);
static void check_trigger(scn_walk *w, yaml_node_t *map, void *base, const char *path);
static void check_lambda(scn_walk *w, yaml_node_t *map, void *base, const char *path);
static void check_glue(scn_walk *w, yaml_node_t *map, void *base, const char *path);
static void check_emr(scn_walk *w, yaml_node_t *map, void *base, const char *path);
static void check_pricing(scn_walk *w, yaml_node_t *map, void *base, const char *path);
static void check_services(scn_walk *w, yaml_node_t *map, void *base, const char *path);

/* ================================================================ workload */

static const scn_field mmpp_state_fields[] = {
    {"rate", SCN_T_RATE, offsetof(scn_mmpp_state, rate_per_s), NO, ATLEAST(0), .required = true,
     .help = "arrival rate while in this state"},
    {"dwell", SCN_T_DURATION, offsetof(scn_mmpp_state, dwell_us), NO, ABOVE(0), .required = true,
     .help = "mean time spent in this state (dwell times are exponential)"},
};
static const scn_section mmpp_state_section = SECTION_OF(mmpp_state_fields, NULL);

static const scn_field mmpp_fields[] = {
    {"states", SCN_T_LIST, S(workload.mmpp_states), S(workload.n_mmpp_states), .required = true,
     .sub = &mmpp_state_section, .elem_size = sizeof(scn_mmpp_state), .nonempty = true,
     .help = "the states of the Markov-modulated Poisson process, in turn"},
};
static const scn_section mmpp_section = SECTION_OF(mmpp_fields, NULL);

static const scn_field diurnal_fields[] = {
    {"mean_rate", SCN_T_RATE, S(workload.diurnal_mean_rate_per_s), NO, ABOVE(0), .required = true,
     .help = "mean arrival rate over a period"},
    {"amplitude", SCN_T_NUMBER, S(workload.diurnal_amplitude), NO, RANGE(0, 1), .required = true,
     .help = "swing of the sinusoidal rate, as a share of the mean"},
    /* A day, peaking mid-afternoon: the header's defaults. */
    {"period", SCN_T_DURATION, S(workload.diurnal_period_us), NO, ABOVE(0), .def = "24h",
     .help = "length of one cycle"},
    {"peak_at", SCN_T_DURATION, S(workload.diurnal_peak_at_us), NO, ATLEAST(0), .def = "14h",
     .help = "when in the period the rate peaks"},
};
static const scn_section diurnal_section = SECTION_OF(diurnal_fields, check_diurnal);

static const scn_field trace_fields[] = {
    {"file", SCN_T_STRING, S(workload.trace.file), NO, .required = true,
     .help = "the trace data file (relative to the scenario file)"},
    /* timestamps: the simplest format (one arrival time per line). */
    {"format", SCN_T_ENUM, S(workload.trace.format), NO, .names = TRACE_FORMAT_NAMES,
     .def = "timestamps", .help = "arrival times in seconds, or Azure per-minute counts"},
    /* SCENARIO-FORMAT.md example: scale 1.0, loop false. */
    {"scale", SCN_T_NUMBER, S(workload.trace.scale), NO, ABOVE(0), .def = "1",
     .help = "multiplies the rate"},
    {"loop", SCN_T_BOOL, S(workload.trace.loop), NO, .def = "false",
     .help = "repeat the trace past its end"},
    {"function", SCN_T_STRING, S(workload.trace.function), NO, .omit_if_zero = true,
     .help = "per_minute: replay the row of this HashFunction"},
    {"row", SCN_T_INT, S(workload.trace.row), NO, ATLEAST(1), .omit_if_zero = true,
     .help = "per_minute: replay this data row (1-based)"},
    {"all", SCN_T_BOOL, S(workload.trace.all), NO, .omit_if_zero = true,
     .help = "per_minute: replay the sum of every row"},
    {"per_function", SCN_T_BOOL, S(workload.trace.per_function), NO, .omit_if_zero = true,
     .help = "per_minute: one function per row (with functions_from_trace); the sum of the rows "
             "is the workload of glue and emr"},
};
static const scn_section trace_section = SECTION_OF(trace_fields, check_trace);

static const scn_field arrivals_fields[] = {
    {"process", SCN_T_ENUM, S(workload.process), NO, .names = PROCESS_NAMES, .required = true,
     .help = "how items arrive"},
    /* required for poisson/constant: see check_arrivals. 0/s is allowed: a workload made
     * only of bursts (10,000 simultaneous uploads) has no background process. */
    {"rate", SCN_T_RATE, S(workload.rate_per_s), NO, ATLEAST(0), .applies = uses_rate,
     .help = "arrival rate of process poisson or constant"},
    {"mmpp", SCN_T_SECTION, 0, NO, .sub = &mmpp_section, .applies = uses_mmpp,
     .help = "parameters of process: mmpp (Markov-modulated Poisson)"},
    {"diurnal", SCN_T_SECTION, 0, NO, .sub = &diurnal_section, .applies = uses_diurnal,
     .help = "parameters of process: diurnal (Poisson, sinusoidal rate)"},
    {"trace", SCN_T_SECTION, 0, NO, .sub = &trace_section, .applies = uses_trace,
     .help = "parameters of process: trace (arrivals replayed from a file)"},
};
static const scn_section arrivals_section = SECTION_OF(arrivals_fields, check_arrivals);

static const scn_field burst_fields[] = {
    {"at", SCN_T_DURATION, offsetof(scn_burst, at_us), NO, ATLEAST(0), .required = true,
     .help = "when the burst arrives"},
    {"count", SCN_T_INT, offsetof(scn_burst, count), NO, ATLEAST(1), .required = true,
     .help = "items arriving at once"},
    {"every", SCN_T_DURATION, offsetof(scn_burst, every_us), NO, ABOVE(0), .omit_if_zero = true,
     .help = "repeat the burst with this period (default: once)"},
};
static const scn_section burst_section = SECTION_OF(burst_fields, NULL);

/* SCENARIO-FORMAT.md and the header: an item of 1MB, one record, no work unless stated. */
static const scn_field item_fields[] = {
    {"size", SCN_T_DIST_SIZE, S(workload.item_size), NO, .def = "1MB",
     .help = "data per item"},
    {"records", SCN_T_INT, S(workload.item_records), NO, RANGE(1, 1e6), .def = "1",
     .help = "records per item (Kinesis/SQS count records)"},
};
static const scn_section item_section = SECTION_OF(item_fields, NULL);

static const scn_field work_fields[] = {
    {"cpu", SCN_T_DIST_DURATION, S(workload.work_cpu), NO, .def = "0s",
     .help = "vCPU-seconds per item at one full vCPU"},
    {"cpu_per_mb", SCN_T_DIST_DURATION, S(workload.work_cpu_per_mb), NO, .def = "0s",
     .help = "added vCPU-seconds per MB of item size"},
    {"io", SCN_T_DIST_DURATION, S(workload.work_io), NO, .def = "0s",
     .help = "per-item time no CPU speeds up (S3 get/put...)"},
    /* 64: more than any Lambda (6 vCPUs) or single Glue/EMR worker can use. */
    {"threads", SCN_T_INT, S(workload.work_threads), NO, RANGE(1, 64), .def = "1",
     .help = "vCPUs the code keeps busy at once"},
};
static const scn_section work_section = SECTION_OF(work_fields, NULL);

static const scn_field errors_fields[] = {
    {"rate", SCN_T_NUMBER, S(workload.error_rate), NO, RANGE(0, 1), .def = "0",
     .help = "probability that one attempt fails (transient)"},
    {"poison", SCN_T_NUMBER, S(workload.poison_rate), NO, RANGE(0, 1), .def = "0",
     .help = "probability that an item fails every attempt"},
};
static const scn_section errors_section = SECTION_OF(errors_fields, NULL);

static const scn_field workload_fields[] = {
    {"arrivals", SCN_T_SECTION, 0, NO, .sub = &arrivals_section, .required = true,
     .help = "the arrival process of items"},
    {"bursts", SCN_T_LIST, S(workload.bursts), S(workload.n_bursts), .sub = &burst_section,
     .elem_size = sizeof(scn_burst), .help = "extra simultaneous arrivals on top of the process"},
    {"item", SCN_T_SECTION, 0, NO, .sub = &item_section, .help = "what each item carries"},
    {"work", SCN_T_SECTION, 0, NO, .sub = &work_section,
     .help = "compute per item, the same on every platform"},
    {"errors", SCN_T_SECTION, 0, NO, .sub = &errors_section,
     .help = "how often processing an item fails"},
};
static const scn_section workload_section = SECTION_OF(workload_fields, NULL);
const scn_section *const scn_workload_section = &workload_section;

/* The workload of a function fed by another (functions[].from): its items come from upstream, so
 * only what each item carries, its work and its errors are given. */
static const scn_field stage_workload_fields[] = {
    {"item", SCN_T_SECTION, 0, NO, .sub = &item_section, .help = "what each item carries"},
    {"work", SCN_T_SECTION, 0, NO, .sub = &work_section,
     .help = "compute per item, the same on every platform"},
    {"errors", SCN_T_SECTION, 0, NO, .sub = &errors_section,
     .help = "how often processing an item fails"},
};
static const scn_section stage_workload_section = SECTION_OF(stage_workload_fields, NULL);
const scn_section *const scn_stage_workload_section = &stage_workload_section;

/* ================================================================ lambda */

static const scn_field cold_start_fields[] = {
    /* A mid-weight runtime (Java 21 / .NET 8 hello-world is 240-250ms median, 630-660ms p99,
     * lambda-perf mid-2026; AWS-REFERENCE.md), rounded. */
    {"init", SCN_T_DIST_DURATION, S(lambda.init), NO,
     .def = "{dist: lognormal, median: 250ms, p99: 700ms}",
     .help = "init phase of a new environment, before its first run"},
    /* AWS bills INIT for on-demand functions since 2025-08-01 (AWS-REFERENCE.md). */
    {"init_billed", SCN_T_BOOL, S(lambda.init_billed), NO, .def = "true",
     .help = "INIT is billed (AWS, since 2025-08-01, for on-demand)"},
};
static const scn_section cold_start_section = SECTION_OF(cold_start_fields, NULL);

static const scn_field window_fields[] = {
    /* Times of day; `to: 24h` is the end of the day. */
    {"from", SCN_T_DURATION, offsetof(scn_provisioned_window, from_us), NO, RANGE(0, 24 * US_H),
     .required = true, .help = "start of the window, a time of day"},
    {"to", SCN_T_DURATION, offsetof(scn_provisioned_window, to_us), NO, RANGE(0, 24 * US_H),
     .required = true, .help = "end of the window, a time of day (24h: midnight)"},
    {"count", SCN_T_INT, offsetof(scn_provisioned_window, count), NO, ATLEAST(0), .required = true,
     .help = "environments kept warm during the window"},
};
static const scn_section window_section = SECTION_OF(window_fields, NULL);

static const scn_field concurrency_fields[] = {
    /* AWS default account concurrency per region (AWS-REFERENCE.md). The upper bound is far
     * above any quota AWS grants; it only keeps per-environment arrays of a model sane. */
    {"account_limit", SCN_T_INT, S(lambda.account_limit), NO, RANGE(1, 1000000), .def = "1000",
     .applies = has_no_functions, .help = "concurrent executions for the account (region)"},
    {"reserved", SCN_T_CUSTOM, S(lambda.reserved), NO, .custom = &RESERVED, .def = "none",
     .help = "per-function cap (and guarantee); none = account limit"},
    /* Since Nov 2023: 1,000 new environments per function every 10 s (AWS-REFERENCE.md). */
    {"scale_rate", SCN_T_RATE_PARTS, S(lambda.scale_count), S(lambda.scale_period_us), ABOVE(0),
     .def = "1000/10s", .help = "new environments per function per time, refilled continuously"},
    {"provisioned", SCN_T_CUSTOM, S(lambda.provisioned), NO, .custom = &PROVISIONED, .def = "0",
     .help = "always-warm environments, or a daily schedule of them"},
    /* capsim's key. "Allocation takes a minute or two" (AWS-REFERENCE.md); AWS bills provisioned
     * concurrency from when it is enabled (https://aws.amazon.com/lambda/pricing/). */
    {"provisioned_allocation", SCN_T_DURATION, S(lambda.provisioned_allocation_us), NO,
     RANGE(0, 1 * US_H), .def = "2min",
     .help = "a schedule window is enabled this long before `from` to be ready then; billed "
             "from enabling"},
};
static const scn_section concurrency_section = SECTION_OF(concurrency_fields, check_concurrency);

/* Async invocation defaults are AWS's: 2 retries, 6 h maximum event age (AWS-REFERENCE.md). */
static const scn_field async_fields[] = {
    {"max_retries", SCN_T_INT, S(lambda.async_max_retries), NO, RANGE(0, 2), .def = "2",
     .help = "on function error: retried after 1 min, then 2 min"},
    {"max_event_age", SCN_T_DURATION, S(lambda.async_max_event_age_us), NO,
     RANGE(60 * US_S, 6 * US_H), .def = "6h",
     .help = "throttled events are retried until this age, then dropped"},
    {"on_failure", SCN_T_ENUM, S(lambda.async_on_failure), NO, .names = ON_FAILURE_NAMES,
     .def = "dlq", .help = "where failed or expired events go (counted)"},
};
static const scn_section async_section = SECTION_OF(async_fields, NULL);

/* Kinesis event source mapping: AWS's defaults and limits (AWS-REFERENCE.md); 1 shard is the
 * smallest stream. */
static const scn_field kinesis_fields[] = {
    {"shards", SCN_T_INT, S(lambda.kinesis_shards), NO, RANGE(1, 10000), .def = "1",
     .help = "per-shard order kept; 1 MB/s and 1000 records/s in"},
    {"batch_size", SCN_T_INT, S(lambda.kinesis_batch_size), NO, RANGE(1, 10000), .def = "100",
     .help = "most records in one batch"},
    {"batch_window", SCN_T_DURATION, S(lambda.kinesis_batch_window_us), NO, RANGE(0, 300 * US_S),
     .def = "0s", .help = "a batch is sent when full or when the window ends"},
    {"parallelization_factor", SCN_T_INT, S(lambda.kinesis_parallelization), NO, RANGE(1, 10),
     .def = "1", .help = "concurrent batches per shard"},
    {"max_retries", SCN_T_INT, S(lambda.kinesis_max_retries), NO, RANGE(-1, 10000), .def = "-1",
     .help = "retries of a failed batch; -1 = until the record expires"},
    {"bisect_on_error", SCN_T_BOOL, S(lambda.kinesis_bisect_on_error), NO, .def = "false",
     .help = "split a failed batch in two before retrying"},
    /* capsim's keys. A shard's 2 MB/s of reads is shared by its standard consumers; an
     * enhanced fan-out consumer has its own (Kinesis Data Streams quotas and enhanced fan-out:
     * https://docs.aws.amazon.com/streams/latest/dev/enhanced-consumers.html). */
    {"other_consumers", SCN_T_INT, S(lambda.kinesis_other_consumers), NO, RANGE(0, 100),
     .def = "0", .help = "other standard consumers sharing each shard's 2 MB/s of reads"},
    {"enhanced_fan_out", SCN_T_BOOL, S(lambda.kinesis_enhanced_fan_out), NO, .def = "false",
     .help = "a dedicated 2 MB/s per shard, records pushed (priced per consumer-shard-hour)"},
};
static const scn_section kinesis_section = SECTION_OF(kinesis_fields, NULL);

/* SQS event source mapping: AWS's defaults and limits; max_receives 3 is a common redrive
 * policy (AWS has no default: the queue's maxReceiveCount is the user's). */
static const scn_field sqs_fields[] = {
    {"batch_size", SCN_T_INT, S(lambda.sqs_batch_size), NO, RANGE(1, 10000), .def = "10",
     .help = "most messages in one batch"},
    {"batch_window", SCN_T_DURATION, S(lambda.sqs_batch_window_us), NO, RANGE(0, 300 * US_S),
     .def = "0s", .help = "a batch is sent when full or when the window ends"},
    {"max_concurrency", SCN_T_INT, S(lambda.sqs_max_concurrency), NO, RANGE(2, 1000),
     .def = "1000", .help = "most concurrent invocations of the mapping"},
    {"max_receives", SCN_T_INT, S(lambda.sqs_max_receives), NO, RANGE(1, 1000), .def = "3",
     .help = "receives of a failing message, then it goes to the DLQ"},
    /* SQS allows 0..12 h. The default, 6 x lambda.timeout (AWS's advice), depends on another
     * key: check_lambda fills it in once the whole lambda map is parsed. */
    {"visibility_timeout", SCN_T_DURATION, S(lambda.sqs_visibility_timeout_us), NO,
     RANGE(0, 12 * US_H), .def = NULL, .def_doc = "6 x lambda.timeout",
     .help = "a received message stays hidden this long, then reappears"},
};
static const scn_section sqs_section = SECTION_OF(sqs_fields, NULL);

static const scn_field lambda_fields[] = {
    /* 1024MB: the header's default (a common production size; the console's is 128MB). */
    {"memory", SCN_T_SIZE_MB_INT, S(lambda.memory_mb), NO, RANGE(128, 10240), .def = "1024MB",
     .help = "function memory (CPU is allocated in proportion)"},
    {"architecture", SCN_T_ENUM, S(lambda.architecture), NO, .names = ARCH_NAMES, .def = "x86_64",
     .help = "instruction set (arm64 is priced lower)"},
    /* 60s: the header's default (the console's 3s would time out most data jobs). */
    {"timeout", SCN_T_DURATION, S(lambda.timeout_us), NO, RANGE(1 * US_S, 900 * US_S),
     .def = "60s", .help = "a longer run is killed at the timeout, billed, error"},
    /* 512MB is what Lambda gives without charge (AWS-REFERENCE.md). */
    {"ephemeral_storage", SCN_T_SIZE_MB_INT, S(lambda.ephemeral_mb), NO, RANGE(512, 10240),
     .def = "512MB", .help = "/tmp storage (512MB is free)"},
    {"trigger", SCN_T_ENUM, S(lambda.trigger), NO, .names = TRIGGER_NAMES, .def = "sync",
     .help = "how items invoke the function"},
    {"cold_start", SCN_T_SECTION, 0, NO, .sub = &cold_start_section,
     .help = "what starting a new environment costs"},
    /* Measured idle lifetimes of about 10 minutes (AWS-REFERENCE.md, keep-alive). */
    {"keep_alive", SCN_T_DIST_DURATION, S(lambda.keep_alive), NO, .def = "10min",
     .help = "idle time after which an environment dies"},
    {"max_lifetime", SCN_T_CUSTOM, S(lambda.max_lifetime), NO, .custom = &MAX_LIFETIME,
     .def = "none", .help = "environments are recycled after this age"},
    {"routing", SCN_T_ENUM, S(lambda.routing), NO, .names = ROUTING_NAMES, .def = "mru",
     .help = "which idle environment serves a request"},
    {"concurrency", SCN_T_SECTION, 0, NO, .sub = &concurrency_section,
     .help = "limits on concurrent environments, provisioned concurrency"},
    {"async", SCN_T_SECTION, 0, NO, .sub = &async_section, .applies = uses_async,
     .help = "asynchronous invocation (trigger async, s3, eventbridge)"},
    {"kinesis", SCN_T_SECTION, 0, NO, .sub = &kinesis_section, .applies = uses_kinesis,
     .help = "Kinesis event source mapping (trigger: kinesis)"},
    {"sqs", SCN_T_SECTION, 0, NO, .sub = &sqs_section, .applies = uses_sqs,
     .help = "SQS event source mapping (trigger: sqs)"},
};
static const scn_section lambda_section = SECTION_OF(lambda_fields, check_lambda);
const scn_section *const scn_lambda_section = &lambda_section;

/* ================================================================ glue, emr */

/* A batch trigger: every period and/or after batch_items items; at least one (check_trigger). */
#define TRIGGER_FIELDS(sect)                                                                  \
    {"every", SCN_T_DURATION, S(sect.trigger.every_us), NO, ABOVE(0), .omit_if_zero = true,   \
     .help = "start a job every period"},                                                     \
    {"batch_items", SCN_T_INT, S(sect.trigger.batch_items), NO, ATLEAST(1),                   \
     .omit_if_zero = true, .help = "start a job when this many items have queued"}
static const scn_field glue_trigger_fields[] = {TRIGGER_FIELDS(glue)};
static const scn_section glue_trigger_section = SECTION_OF(glue_trigger_fields, check_trigger);
static const scn_field emr_trigger_fields[] = {TRIGGER_FIELDS(emr)};
static const scn_section emr_trigger_section = SECTION_OF(emr_trigger_fields, check_trigger);

static const scn_field glue_fields[] = {
    /* capsim's key (AWS: Command.Name glueetl or pythonshell). Python shell jobs run one Python
     * process on 1/16 or 1 DPU (MaxCapacity), billed per second with a 1-minute minimum at the
     * DPU-hour rate (https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-job.html,
     * https://aws.amazon.com/glue/pricing/). */
    {"job_type", SCN_T_ENUM, S(glue.job_type), NO, .names = GLUE_JOB_TYPE_NAMES, .def = "spark",
     .help = "spark (an ETL job on workers) or python_shell (one Python process)"},
    {"python_shell_dpu", SCN_T_NUMBER, S(glue.python_shell_dpu), NO, RANGE(0.0625, 1),
     .def = "0.0625", .applies = uses_python_shell,
     .help = "python_shell: 0.0625 (1/16 DPU: 1 GB) or 1 DPU (4 vCPU, 16 GB)"},
    /* 4.0: the version AWS's console proposes for new Spark jobs (as of the format, version 1).
     * .names is only read by `capsim schema` (GLUE_VERSION checks the same list). */
    {"version", SCN_T_CUSTOM, S(glue.version), NO, .custom = &GLUE_VERSION, .def = "\"4.0\"",
     .names = GLUE_VERSIONS, .help = "Glue version: 0.9 and 1.0 bill 10 min at least, later 1 min"},
    /* G.1X and 10 workers: AWS's defaults for a Spark job (AWS-REFERENCE.md, "default 10").
     * G.025X (0.25 DPU) is for Glue streaming jobs only; capsim's Glue jobs are batch ETL jobs,
     * so check_glue refuses it, as AWS would for a batch job. */
    {"worker_type", SCN_T_ENUM, S(glue.worker_type), NO, .names = GLUE_WORKER_NAMES,
     .def = "G.1X", .applies = uses_spark,
     .help = "worker size: 1, 2, 4 or 8 DPU per worker (G.025X: streaming only)"},
    /* AWS Glue API, NumberOfWorkers: "The maximum number of workers you can define are 299 for
     * G.1X, and 149 for G.2X" (about 300 DPUs either way); check_glue applies that DPU bound to
     * the other types (not documented for them: capsim's choice). */
    {"workers", SCN_T_INT, S(glue.workers), NO, RANGE(2, GLUE_MAX_WORKERS), .def = "10",
     .applies = uses_spark, .help = "workers per job run (the most, with auto_scaling)"},
    {"execution_class", SCN_T_ENUM, S(glue.execution_class), NO, .names = EXEC_CLASS_NAMES,
     .def = "standard", .help = "flex runs on spare capacity at a lower price"},
    /* AWS's default is off: a run started at the limit fails (Job.JobRunQueuingEnabled,
     * StartJobRun: https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-runs.html). */
    {"job_run_queuing", SCN_T_BOOL, S(glue.job_run_queuing), NO, .def = "false",
     .help = "a run started at max_concurrent_runs waits instead of failing"},
    /* Glue 3.0+ Spark jobs scale executors with the work and bill the DPUs in use
     * (https://docs.aws.amazon.com/glue/latest/dg/auto-scaling.html). */
    {"auto_scaling", SCN_T_BOOL, S(glue.auto_scaling), NO, .def = "false", .applies = uses_spark,
     .help = "use (and bill) only the workers a batch needs, up to workers"},
    /* SCENARIO-FORMAT.md's example: a job every 15 minutes. */
    {"trigger", SCN_T_SECTION, 0, NO, .sub = &glue_trigger_section, .def = "{every: 15min}",
     .help = "when a job starts; the first match starts it"},
    /* Default depends on the version: filled in by check_glue. */
    {"startup", SCN_T_DIST_DURATION, S(glue.startup), NO, .def = NULL,
     .def_doc = "by version (Rules)", .help = "time from a job's start to its first work"},
    /* 0.6: Spark rarely keeps every core busy (planning, shuffles, stragglers); the header's
     * default, to be calibrated. */
    {"efficiency", SCN_T_NUMBER, S(glue.efficiency), NO, ABOVE_UPTO(0, 1), .def = "0.6",
     .help = "useful share of the workers' vCPU-seconds"},
    {"max_concurrent_runs", SCN_T_INT, S(glue.max_concurrent_runs), NO, ATLEAST(1), .def = "1",
     .help = "a trigger at the limit fails (its items wait for the next run), or waits with "
             "job_run_queuing"},
    /* AWS's job timeout: 2,880 minutes (48 h) by default, at most 10,080 minutes (7 days)
     * (Glue API, Job.Timeout: https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-job.html). */
    {"timeout", SCN_T_DURATION, S(glue.timeout_us), NO, RANGE(1 * US_MIN, 10080 * US_MIN),
     .def = "48h", .help = "a job run longer than this is stopped (at most 7 days)"},
};
static const scn_section glue_section = SECTION_OF(glue_fields, check_glue);

/* EMR documents no maximum for an instance group's InstanceCount (the account's EC2 quotas
 * bound it) nor for a Serverless job's workers (the application's maximum capacity does): 1,000
 * is capsim's bound, far above the clusters AWS's examples use, so a typo cannot bill billions. */
#define EMR_MAX_NODES 1000

/* EMR Serverless: 4 vCPU / 16 GB workers are its default driver and executor size. */
static const scn_field serverless_fields[] = {
    /* Worker sizes EMR Serverless supports: 1 to 32 vCPUs, up to 244 GB (EMR Serverless User
     * Guide, "Supported worker configurations"). */
    {"vcpu", SCN_T_NUMBER, S(emr.sl_vcpu), NO, ABOVE_UPTO(0, 32), .def = "4",
     .help = "vCPUs per worker"},
    {"memory", SCN_T_SIZE_GB, S(emr.sl_memory_gb), NO, ABOVE_UPTO(0, 244), .def = "16GB",
     .help = "memory per worker"},
    {"workers", SCN_T_INT, S(emr.sl_workers), NO, RANGE(1, EMR_MAX_NODES), .def = "10",
     .help = "workers per job run"},
    /* About 1.5 min for a cold application (unconfirmed; AWS-REFERENCE.md has no number). */
    {"startup", SCN_T_DIST_DURATION, S(emr.sl_startup), NO, .def = "90s",
     .help = "time to start the workers that are not pre-initialized"},
    {"pre_initialized", SCN_T_INT, S(emr.sl_pre_initialized), NO, ATLEAST(0), .def = "0",
     .help = "workers kept initialised, billed while the application runs"},
    /* AWS's defaults: auto-stop on, after 15 idle minutes (idleTimeoutMinutes 1..10080:
     * https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/app-behavior.html). */
    {"auto_stop", SCN_T_BOOL, S(emr.sl_auto_stop), NO, .def = "true",
     .help = "the application (and its pre-initialized workers) stops when idle"},
    {"idle_timeout", SCN_T_DURATION, S(emr.sl_idle_timeout_us), NO, RANGE(US_MIN, 10080 * US_MIN),
     .def = "15min", .help = "how long the application stays up without jobs (auto_stop)"},
};
static const scn_section serverless_section = SECTION_OF(serverless_fields, NULL);

static const scn_field emr_fields[] = {
    {"deployment", SCN_T_ENUM, S(emr.deployment), NO, .names = DEPLOYMENT_NAMES, .def = "ec2",
     .help = "EMR on EC2 clusters or EMR Serverless"},
    {"mode", SCN_T_ENUM, S(emr.mode), NO, .names = EMR_MODE_NAMES, .def = "persistent",
     .help = "persistent (always on) or transient (a cluster per batch)"},
    /* m5.xlarge: the smallest general-purpose type in the pricing table. */
    {"instance_type", SCN_T_STRBUF, S(emr.instance_type), NO, .cap = sizeof(((scn_emr *)0)->instance_type),
     .def = "m5.xlarge", .help = "EC2 instance type, priced from the pricing table"},
    {"core_nodes", SCN_T_INT, S(emr.core_nodes), NO, RANGE(1, EMR_MAX_NODES), .def = "2",
     .help = "core nodes, plus one primary node"},
    /* Task nodes: compute only, the usual place for Spot instances (the primary and core nodes
     * hold the cluster and HDFS). */
    {"task_nodes", SCN_T_INT, S(emr.task_nodes), NO, ATLEAST(0), .def = "0",
     .help = "task nodes (compute only), of the same instance type"},
    {"task_market", SCN_T_ENUM, S(emr.task_market), NO, .names = MARKET_NAMES,
     .def = "on_demand", .help = "task nodes On-Demand or Spot"},
    /* capsim's keys: Spot prices move with the market (AWS: "up to 90%" off On-Demand; the Spot
     * Instance Advisor shows each type's savings and interruption frequency band, the lowest
     * "<5%" a month: https://aws.amazon.com/ec2/spot/instance-advisor/). Defaults: 60 % off and
     * 5 % a month, assumptions to replace with the advisor's figures for the chosen type. */
    {"spot_discount", SCN_T_NUMBER, S(emr.spot_discount), NO, RANGE(0, 0.95), .def = "0.6",
     .applies = uses_spot, .help = "Spot: share saved on the EC2 price (the EMR fee is not)"},
    {"spot_interruptions", SCN_T_RATE, S(emr.spot_interruptions_per_s), NO, ATLEAST(0),
     .def = "0.05/30d", .applies = uses_spot,
     .help = "Spot: interruptions per instance and time; each node is replaced"},
    /* EBS volumes attached to every instance, billed per GB-month (capsim's key; 0: not
     * priced). */
    {"ebs_per_node", SCN_T_SIZE_GB, S(emr.ebs_gb_per_node), NO, ATLEAST(0), .def = "0GB",
     .help = "EBS storage per instance, billed per GB-month"},
    /* "5-10 minutes is the common figure" (unconfirmed, AWS-REFERENCE.md), per the header. */
    {"provisioning", SCN_T_DIST_DURATION, S(emr.provisioning), NO,
     .def = "{dist: uniform, min: 6min, max: 10min}", .help = "time to start a transient cluster"},
    /* SCENARIO-FORMAT.md's example: a batch every hour. */
    {"trigger", SCN_T_SECTION, 0, NO, .sub = &emr_trigger_section, .def = "{every: 1h}",
     .help = "batching as in glue; the first match starts a job"},
    /* 0.7: the header's default, a little above Glue's (no Glue overheads), to be calibrated. */
    {"efficiency", SCN_T_NUMBER, S(emr.efficiency), NO, ABOVE_UPTO(0, 1), .def = "0.7",
     .help = "useful share of the nodes' vCPU-seconds"},
    {"serverless", SCN_T_SECTION, 0, NO, .sub = &serverless_section, .applies = uses_serverless,
     .help = "EMR Serverless application (deployment: serverless)"},
};
static const scn_section emr_section = SECTION_OF(emr_fields, check_emr);
const scn_section *const scn_glue_section = &glue_section;
const scn_section *const scn_emr_section = &emr_section;

/* ================================================================ services */

/* services.s3.{gets,puts}_per_item and services.kinesis.shards default to what the lambda
 * trigger says. With functions, each function's trigger decides (lambda_account.c), so a
 * written-out scenario leaves out those the file did not give: written, they would override
 * every function's default when read back. */
static bool written_unless_account(const scenario *s, const char *path)
{
    return !s->functions_present || scenario_key_pos(s, path, NULL, NULL);
}
static bool writes_s3_gets(const scenario *s)
{
    return written_unless_account(s, "services.s3.gets_per_item");
}
static bool writes_s3_puts(const scenario *s)
{
    return written_unless_account(s, "services.s3.puts_per_item");
}
static bool writes_kinesis_shards(const scenario *s)
{
    return written_unless_account(s, "services.kinesis.shards");
}
/* The services a pipeline pays for around the compute, priced as lines of each platform's cost
 * (models/services.h). capsim's section: SCENARIO-FORMAT.md has none. */
static const scn_field kinesis_stream_fields[] = {
    {"mode", SCN_T_ENUM, S(services.kinesis_mode), NO, .names = KINESIS_MODE_NAMES,
     .def = "provisioned", .help = "provisioned (shard-hours + PUT units) or on_demand (per GB)"},
    {"shards", SCN_T_INT, S(services.kinesis_shards), NO, RANGE(1, 10000), .def = NULL,
     .applies = writes_kinesis_shards,
     .def_doc = "lambda.kinesis.shards with trigger: kinesis, else 1",
     .help = "shards of the stream (provisioned mode)"},
};
static const scn_section kinesis_stream_section = SECTION_OF(kinesis_stream_fields, NULL);
static const scn_field s3_requests_fields[] = {
    {"gets_per_item", SCN_T_NUMBER, S(services.s3_gets_per_item), NO, RANGE(0, 1e6), .def = NULL,
     .applies = writes_s3_gets,
     .def_doc = "1 with source s3, else 0", .help = "GET requests per item (reading it)"},
    {"puts_per_item", SCN_T_NUMBER, S(services.s3_puts_per_item), NO, RANGE(0, 1e6), .def = NULL,
     .applies = writes_s3_puts,
     .def_doc = "1 with source s3 (its upload), else 0",
     .help = "PUT requests per item: its upload, plus what the pipeline writes"},
};
static const scn_section s3_requests_section = SECTION_OF(s3_requests_fields, NULL);
static const scn_field sfn_fields[] = {
    {"transitions_per_run", SCN_T_NUMBER, S(services.sfn_transitions_per_run), NO, RANGE(0, 1e6),
     .def = "0", .help = "state transitions per Lambda invocation or Glue/EMR job run"},
};
static const scn_section sfn_section = SECTION_OF(sfn_fields, NULL);
static const scn_field logs_fields[] = {
    {"kb_per_invocation", SCN_T_NUMBER, S(services.logs_kb_per_invocation), NO, RANGE(0, 1e9),
     .def = "0", .help = "log data ingested per Lambda invocation, KB"},
    {"kb_per_job", SCN_T_NUMBER, S(services.logs_kb_per_job), NO, RANGE(0, 1e12), .def = "0",
     .help = "log data ingested per Glue or EMR job run, KB"},
};
static const scn_section logs_section = SECTION_OF(logs_fields, NULL);
static const scn_field services_fields[] = {
    {"source", SCN_T_ENUM, S(services.source), NO, .names = SOURCE_NAMES, .def = "auto",
     .help = "where items come from, priced on every platform (auto: from lambda.trigger)"},
    {"kinesis", SCN_T_SECTION, 0, NO, .sub = &kinesis_stream_section,
     .help = "the Kinesis data stream (source: kinesis)"},
    {"s3", SCN_T_SECTION, 0, NO, .sub = &s3_requests_section,
     .help = "S3 requests per item"},
    {"step_functions", SCN_T_SECTION, 0, NO, .sub = &sfn_section,
     .help = "a Standard state machine orchestrating each run"},
    {"cloudwatch_logs", SCN_T_SECTION, 0, NO, .sub = &logs_section,
     .help = "log data ingested into CloudWatch Logs"},
};
static const scn_section services_section = SECTION_OF(services_fields, check_services);

/* ================================================================ pricing, lesson, top level */

static const scn_field pricing_fields[] = {
    /* The one table capsim ships (AWS-REFERENCE.md: us-east-1). A name or a path: see
     * check_pricing. */
    {"table", SCN_T_STRBUF, S(pricing.table), NO, .cap = sizeof(((scn_pricing *)0)->table),
     .def = PRICING_DEFAULT_TABLE, .help = "a pricing table shipped with capsim, or a path to one"},
    /* Off: a capacity plan should not depend on a per-account allowance. */
    {"free_tier", SCN_T_BOOL, S(pricing.free_tier), NO, .def = "false",
     .help = "apply the monthly Lambda free tier"},
    /* AWS's own monthly examples use 30-day months. */
    {"month", SCN_T_DURATION, S(pricing.month_us), NO, ABOVE(0), .def = "30d",
     .help = "costs are also reported per month at the simulated rate"},
    /* capsim's key. Not set: the horizon repeats back to back (month / horizon times), right for
     * steady traffic and for a daily pattern simulated over a day, wrong for a one-off spike. */
    {"horizons_per_month", SCN_T_NUMBER, S(pricing.horizons_per_month), NO, ABOVE_UPTO(0, 1e9),
     .omit_if_zero = true,
     .help = "how many times a month the simulated horizon happens (default: month / horizon); "
             "e.g. 1 for a monthly spike"},
};
static const scn_section pricing_section = SECTION_OF(pricing_fields, check_pricing);

/* `capsim lesson` (models/lesson.h): the configurations a lesson runs, and its answer. */
#define L(member) offsetof(scn_lesson_run, member)
static const scn_field lesson_run_fields[] = {
    {"name", SCN_T_STRING, L(name), NO, .required = true, .slug = true,
     .help = "the run's name, by which the answer refers to its numbers"},
    {"set", SCN_T_CUSTOM, L(set), L(n_set), .custom = &STRINGS, .omit_if_zero = true,
     .help = "KEY=VALUE overrides on top of the file, as with --set"},
};
#undef L
static const scn_section lesson_run_section = SECTION_OF(lesson_run_fields, NULL);

static const scn_field lesson_sweep_fields[] = {
    {"set", SCN_T_CUSTOM, S(lesson.sweep_set), S(lesson.n_sweep_set), .custom = &STRINGS,
     .omit_if_zero = true, .help = "KEY=VALUE overrides of every point, as with --set"},
    {"vary", SCN_T_CUSTOM, S(lesson.sweep_vary), S(lesson.n_sweep_vary), .custom = &STRINGS,
     .required = true, .help = "the --vary arguments of capsim sweep: KEY=V1,V2,... or ranges"},
    {"zip", SCN_T_BOOL, S(lesson.sweep_zip), NO, .def = "false",
     .help = "pair the vary lists value by value instead of forming a grid"},
};
static const scn_section lesson_sweep_section = SECTION_OF(lesson_sweep_fields, NULL);

static const scn_field lesson_fields[] = {
    {"topic", SCN_T_STRING, S(lesson.topic), NO, .slug = true, .omit_if_zero = true,
     .help = "the lesson's name (capsim lesson TOPIC); scenarios may share a topic"},
    {"part", SCN_T_INT, S(lesson.part), NO, RANGE(1, 100), .omit_if_zero = true, .def_doc = "1",
     .help = "order among the scenarios of one topic"},
    {"question", SCN_T_STRING, S(lesson.question), NO, .omit_if_zero = true,
     .help = "the question the scenario answers"},
    {"explain", SCN_T_STRING, S(lesson.explain), NO, .omit_if_zero = true,
     .help = "shown with the results: what to look at, and why it happens"},
    {"runs", SCN_T_LIST, S(lesson.runs), S(lesson.n_runs), .sub = &lesson_run_section,
     .elem_size = sizeof(scn_lesson_run), .omit_if_zero = true,
     .def_doc = "the file as written (none with a sweep)",
     .help = "the configurations capsim lesson runs and compares"},
    {"sweep", SCN_T_SECTION, 0, S(lesson.has_sweep), .sub = &lesson_sweep_section,
     .help = "a sweep capsim lesson also runs (capsim sweep's --vary)"},
    {"show", SCN_T_CUSTOM, S(lesson.show), S(lesson.n_show), .custom = &STRINGS,
     .omit_if_zero = true, .def_doc = "cost, p99 latency, completed",
     .help = "PLATFORM.METRIC paths tabled for the runs, e.g. lambda.cold_start_ratio"},
    {"answer", SCN_T_STRING, S(lesson.answer), NO, .omit_if_zero = true,
     .help = "capsim lesson's answer, with {RUN.PLATFORM.METRIC:FORMAT} filled from the runs"},
};
static const scn_section lesson_section = SECTION_OF(lesson_fields, check_lesson);

/* AWS's default account concurrency per region (AWS-REFERENCE.md); the same bound as
 * lambda.concurrency.account_limit. */
static const scn_field account_fields[] = {
    {"concurrency_limit", SCN_T_INT, S(account_limit), NO, RANGE(1, 1000000), .def = "1000",
     .help = "concurrent executions shared by every function of the account"},
};
static const scn_section account_section = SECTION_OF(account_fields, NULL);

static const scn_field root_fields[] = {
    {"name", SCN_T_STRING, S(name), NO, .required = true, .slug = true,
     .help = "names the scenario in results"},
    {"description", SCN_T_STRING, S(description), NO, .omit_if_zero = true,
     .help = "what the scenario models, in a sentence"},
    {"horizon", SCN_T_DURATION, S(horizon_us), NO, ABOVE(0), .required = true,
     .help = "simulated time after warmup"},
    /* SCENARIO-FORMAT.md: no warmup, seed 1, one replication unless asked. */
    {"warmup", SCN_T_DURATION, S(warmup_us), NO, ATLEAST(0), .def = "0s",
     .help = "simulated before statistics start"},
    {"seed", SCN_T_UINT64, S(seed), NO, .def = "1", .help = "seed of the random streams"},
    {"replications", SCN_T_INT, S(replications), NO, RANGE(1, 100000), .def = "1",
     .help = "independent runs"},
    {"workload", SCN_T_SECTION, 0, NO, .sub = &workload_section, .required = true,
     .help = "the items that arrive and the work each needs"},
    {"lambda", SCN_T_SECTION, 0, S(lambda.present), .sub = &lambda_section,
     .help = "simulate AWS Lambda on the workload"},
    {"account", SCN_T_SECTION, 0, NO, .sub = &account_section,
     .help = "the Lambda account the functions share (format 1.1)"},
    {"functions", SCN_T_CUSTOM, S(functions), S(n_functions), .custom = &scn_functions_custom,
     .omit_if_zero = true,
     .help = "several Lambda functions in one account, instead of lambda (format 1.1)"},
    {"functions_from_trace", SCN_T_SECTION, 0, S(from_trace.present),
     .sub = &scn_functions_from_trace_section,
     .help = "one function per row of a per_function trace, from this template (capsim's)"},
    {"glue", SCN_T_SECTION, 0, S(glue.present), .sub = &glue_section,
     .help = "simulate AWS Glue on the same workload"},
    {"emr", SCN_T_SECTION, 0, S(emr.present), .sub = &emr_section,
     .help = "simulate Amazon EMR on the same workload"},
    {"services", SCN_T_SECTION, 0, NO, .sub = &services_section,
     .help = "the services around the compute, priced for the whole bill (capsim's)"},
    {"pricing", SCN_T_SECTION, 0, NO, .sub = &pricing_section, .help = "which prices to apply"},
    {"lesson", SCN_T_SECTION, 0, S(lesson.present), .sub = &lesson_section,
     .help = "teaching text shown with the results"},
};
const scn_section scn_root_section = SECTION_OF(root_fields, check_root);

/* ================================================================ values of several shapes */

static bool is_none(yaml_node_t *node)
{
    return node->type == YAML_SCALAR_NODE && !strcmp(scn_text(node), "none");
}

/* A scalar field parsed with a temporary table entry (same messages and ranges as any key). */
static void apply_as(scn_walk *w, scn_type type, size_t off, double min, yaml_node_t *node,
                     void *base, const char *path)
{
    scn_field f = {"", type, off, NO, ATLEAST(min)};
    scn_apply(w, &f, node, base, path);
}

/* lambda.max_lifetime: none | a duration or distribution */
static void max_lifetime_set(scn_walk *w, const scn_field *f, yaml_node_t *node, void *base,
                             const char *path)
{
    scenario *s = base;
    s->lambda.has_max_lifetime = !is_none(node);
    if (s->lambda.has_max_lifetime)
        apply_as(w, SCN_T_DIST_DURATION, f->off, 0, node, base, path);
}
static void max_lifetime_write(FILE *out, const scn_field *f, const void *base, int indent)
{
    const scenario *s = base;
    if (s->lambda.has_max_lifetime)
        scn_write_dist(out, &s->lambda.max_lifetime);
    else
        fputs("none", out);
}
static void max_lifetime_destroy(const scn_field *f, void *base)
{
    scn_dist_free(&((scenario *)base)->lambda.max_lifetime);
}
static const scn_custom MAX_LIFETIME = {max_lifetime_set, max_lifetime_write, max_lifetime_destroy,
                                        "none or distribution of durations", "", NULL, NULL,
                                        false};

/* lambda.concurrency.reserved: none | N (its upper bound is in check_concurrency) */
static void reserved_set(scn_walk *w, const scn_field *f, yaml_node_t *node, void *base,
                         const char *path)
{
    scenario *s = base;
    s->lambda.reserved = -1;
    if (!is_none(node))
        apply_as(w, SCN_T_INT, f->off, 0, node, base, path);
}
static void reserved_write(FILE *out, const scn_field *f, const void *base, int indent)
{
    const scenario *s = base;
    if (s->lambda.reserved < 0)
        fputs("none", out);
    else
        fprintf(out, "%lld", (long long)s->lambda.reserved);
}
static const scn_custom RESERVED = {reserved_set, reserved_write, NULL, "none or integer",
                                    ">= 0 (Rules)", NULL, NULL, false};

static int cmp_window_from(const void *a, const void *b)
{
    const scn_provisioned_window *x = a, *y = b;
    return (x->from_us > y->from_us) - (x->from_us < y->from_us);
}

/* lambda.concurrency.provisioned: N | [{from, to, count}, ...] (times of day, not overlapping) */
static void provisioned_set(scn_walk *w, const scn_field *f, yaml_node_t *node, void *base,
                            const char *path)
{
    scenario *s = base;
    scn_lambda *L = &s->lambda;
    if (node->type != YAML_SEQUENCE_NODE) {
        apply_as(w, SCN_T_INT, f->off, 0, node, base, path);
        return;
    }
    void *items = NULL;
    size_t n = 0, errors_before = scn_error_count(w);
    scn_walk_list(w, &window_section, sizeof(scn_provisioned_window), node, &items, &n, path);
    L->provisioned_schedule = items;
    L->n_provisioned_windows = n;
    L->provisioned = 0;
    if (scn_error_count(w) > errors_before)
        return; /* a window is already wrong: comparing windows would only add noise */
    char sub[SCN_PATH_LEN];
    for (size_t i = 0; i < n; i++) {
        const scn_provisioned_window *win = &L->provisioned_schedule[i];
        if (win->from_us >= win->to_us) {
            snprintf(sub, sizeof sub, "%s[%zu].to", path, i);
            char a[32], b[32];
            units_format_duration(a, sizeof a, win->from_us);
            units_format_duration(b, sizeof b, win->to_us);
            scn_error_key(w, sub, node, "the window must end after it starts (from %s, to %s)", a, b);
        }
    }
    if (n > 1) /* an empty list has no array: qsort must not see NULL */
        qsort(L->provisioned_schedule, n, sizeof *L->provisioned_schedule, cmp_window_from);
    for (size_t i = 1; i < n; i++) {
        const scn_provisioned_window *p = &L->provisioned_schedule[i - 1], *c = p + 1;
        if (c->from_us < p->to_us) {
            char a[32], b[32], x[32], y[32];
            units_format_duration(a, sizeof a, p->from_us);
            units_format_duration(b, sizeof b, p->to_us);
            units_format_duration(x, sizeof x, c->from_us);
            units_format_duration(y, sizeof y, c->to_us);
            scn_error(w, node, path, "windows %s..%s and %s..%s overlap", a, b, x, y);
        }
    }
}
static void provisioned_write(FILE *out, const scn_field *f, const void *base, int indent)
{
    const scn_lambda *L = &((const scenario *)base)->lambda;
    if (L->n_provisioned_windows == 0) {
        fprintf(out, "%lld", (long long)L->provisioned);
        return;
    }
    fputc('[', out);
    for (size_t i = 0; i < L->n_provisioned_windows; i++) {
        const scn_provisioned_window *win = &L->provisioned_schedule[i];
        char a[32], b[32];
        units_format_duration(a, sizeof a, win->from_us);
        units_format_duration(b, sizeof b, win->to_us);
        fprintf(out, "%s{from: %s, to: %s, count: %lld}", i ? ", " : "", a, b,
                (long long)win->count);
    }
    fputc(']', out);
}
static void provisioned_destroy(const scn_field *f, void *base)
{
    scn_lambda *L = &((scenario *)base)->lambda;
    free(L->provisioned_schedule);
    L->provisioned_schedule = NULL;
    L->n_provisioned_windows = 0;
}
static const scn_custom PROVISIONED = {provisioned_set, provisioned_write, provisioned_destroy,
                                       "integer or list of windows", ">= 0 (Rules)",
                                       &window_section, NULL, false};

/* glue.version: a string from the list; `4.0` unquoted is a YAML float whose text is the same,
 * so both spellings are taken, but `4` is not a Glue version. */
static void glue_version_set(scn_walk *w, const scn_field *f, yaml_node_t *node, void *base,
                             const char *path)
{
    scenario *s = base;
    const char *t = scn_text(node);
    for (size_t i = 0; node->type == YAML_SCALAR_NODE && GLUE_VERSIONS[i]; i++) {
        if (!strcmp(t, GLUE_VERSIONS[i])) {
            snprintf(s->glue.version, sizeof s->glue.version, "%s", t);
            return;
        }
    }
    scn_error(w, node, path, "'%s' is not a Glue version; expected one of \"0.9\", \"1.0\", "
              "\"2.0\", \"3.0\", \"4.0\", \"5.0\"", node->type == YAML_SCALAR_NODE ? t : "(a map or list)");
}
static void glue_version_write(FILE *out, const scn_field *f, const void *base, int indent)
{
    fprintf(out, "\"%s\"", ((const scenario *)base)->glue.version);
}
/* Its schema type is "one of" the field's .names (GLUE_VERSIONS). */
static const scn_custom GLUE_VERSION = {glue_version_set, glue_version_write, NULL, NULL, "", NULL,
                                        NULL, false};

/* A list of texts: char ** at off, size_t count at off2. */
static void strings_destroy(const scn_field *f, void *base)
{
    char ***items = (char ***)((char *)base + f->off);
    size_t *n = (size_t *)((char *)base + f->off2);
    for (size_t i = 0; *items && i < *n; i++)
        free((*items)[i]);
    free(*items);
    *items = NULL;
    *n = 0;
}
static void strings_set(scn_walk *w, const scn_field *f, yaml_node_t *node, void *base,
                        const char *path)
{
    strings_destroy(f, base);
    if (scn_is_null(node))
        return;
    if (node->type != YAML_SEQUENCE_NODE) {
        scn_error(w, node, path, "expected a list of texts like [a, b], not %s",
                  scn_node_kind(node));
        return;
    }
    size_t count = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
    char **items = calloc(count ? count : 1, sizeof *items);
    if (!items) {
        scn_oom(w);
        return;
    }
    *(char ***)((char *)base + f->off) = items;
    size_t *n = (size_t *)((char *)base + f->off2);
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *item = scn_node(w, node->data.sequence.items.start[i]);
        char sub[SCN_PATH_LEN];
        snprintf(sub, sizeof sub, "%s[%zu]", path, i);
        if (!item || item->type != YAML_SCALAR_NODE || scn_is_null(item)) {
            scn_error(w, item, sub, "expected a text, not %s", item ? scn_node_kind(item) : "nothing");
            continue;
        }
        if (!(items[*n] = strdup(scn_text(item)))) {
            scn_oom(w);
            return;
        }
        (*n)++;
    }
}
static void strings_write(FILE *out, const scn_field *f, const void *base, int indent)
{
    char *const *items = *(char *const *const *)((const char *)base + f->off);
    size_t n = *(const size_t *)((const char *)base + f->off2);
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", out);
        scn_write_inline_string(out, items[i]);
    }
    fputc(']', out);
}
static bool strings_empty(const scn_field *f, const void *base)
{
    return *(const size_t *)((const char *)base + f->off2) == 0;
}
static const scn_custom STRINGS = {strings_set, strings_write, strings_destroy, "list of texts",
                                   "", NULL, strings_empty, false};

/* ================================================================ cross-field rules */

/* Each check is preceded by its rules in words, for `capsim schema` (scn_section_rules at the end
 * of the file): a rule changed in code is changed in the reference beside it. */

static const char *const root_rules[] = {
    "`functions` (format 1.1) replaces `lambda`: a scenario has one or the other. Each function's "
    "`lambda` takes every key of the lambda section except `concurrency.account_limit` (the "
    "account owns it: `account.concurrency_limit`); the reservations together leave at least "
    "100 of it unreserved. A function's `from` names a function listed before it; such a "
    "function's `workload` gives only `item`, `work` and `errors`.",
    "`functions_from_trace` needs `workload.arrivals.trace.per_function: true` and no "
    "`functions`: each row of the trace with at least `min_invocations` invocations becomes a "
    "function named f + the first 12 characters of its HashFunction, with the template's "
    "`lambda`; `durations` and `memory` (Azure companion files) set its run time and memory.",
    "At least one platform is needed: `lambda`, `glue` or `emr` (an empty `lambda: {}` takes "
    "every default). Each platform present is simulated on the same workload.",
    "`warmup` + `horizon` is at most " SCN_TIME_LIMIT_TEXT ", capsim's time limit.",
    NULL};

static void check_root(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    scenario *s = base;
    if (map)
        scn_functions_check(w, map, s);
    if (map && !s->lambda.present && !s->glue.present && !s->emr.present &&
        !scn_map_get(w, map, "functions") && !s->from_trace.present)
        scn_error(w, map, NULL, "at least one platform is needed: add a lambda, glue or emr "
                  "section (an empty `lambda: {}` takes every default)");
    /* Each is within the limit already (so the sum cannot overflow); the simulated span too. */
    if (map && s->warmup_us + s->horizon_us > SIM_TIME_LIMIT_US) {
        char a[64], b[64];
        units_format_duration(a, sizeof a, s->warmup_us);
        units_format_duration(b, sizeof b, s->horizon_us);
        scn_error_key(w, "horizon", map, "warmup %s + horizon %s is beyond capsim's time limit "
                      "of " SCN_TIME_LIMIT_TEXT, a, b);
    }
}

static const char *const arrivals_rules[] = {
    "`rate` is required for `process: poisson` and `constant`, and refused for the others.",
    "Processes `mmpp`, `diurnal` and `trace` take their parameters in the map named after them, "
    "beside `process:` (`process: mmpp` needs `mmpp:`); a map named after another process is "
    "an error.",
    NULL};

/* The arrival process decides which of rate / mmpp / diurnal / trace must, and may, be given. */
static void check_arrivals(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    static const char *const maps[] = {NULL, NULL, "mmpp", "diurnal", "trace"};
    const scenario *s = base;
    yaml_node_t *proc = scn_map_get(w, map, "process");
    if (!map || !proc)
        return;
    const char *name = scn_text(proc);
    if (strcmp(name, PROCESS_NAMES[s->workload.process]) != 0)
        return; /* not a valid process: already reported */
    char sub[SCN_PATH_LEN];
    snprintf(sub, sizeof sub, "%s.rate", path);
    yaml_node_t *rate = scn_map_get(w, map, "rate");
    if (uses_rate(s) && !rate)
        scn_error(w, map, sub, "required key is missing (process: %s needs a rate like 2/s)", name);
    else if (!uses_rate(s) && rate)
        scn_error(w, rate, sub, "only poisson and constant take a rate; process %s takes its "
                  "parameters in %s.%s", name, path, maps[s->workload.process]);
    for (int p = SCN_ARRIVALS_MMPP; p <= SCN_ARRIVALS_TRACE; p++) {
        yaml_node_t *m = scn_map_get(w, map, maps[p]);
        snprintf(sub, sizeof sub, "%s.%s", path, maps[p]);
        if ((int)s->workload.process == p && !m)
            scn_error(w, map, sub, "required key is missing (process: %s takes its parameters "
                      "in a map named %s)", name, maps[p]);
        else if ((int)s->workload.process != p && m)
            scn_error(w, m, sub, "is for process: %s, but process is %s", maps[p], name);
    }
}

static const char *const diurnal_rules[] = {
    "`peak_at` must be within the period: 0s <= `peak_at` < `period`.",
    NULL};

static void check_diurnal(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    const scn_workload *wl = &((const scenario *)base)->workload;
    if (!map || !scn_section_ok(w) || wl->diurnal_peak_at_us < wl->diurnal_period_us)
        return;
    char sub[SCN_PATH_LEN], a[32], b[32];
    snprintf(sub, sizeof sub, "%s.peak_at", path);
    units_format_duration(a, sizeof a, wl->diurnal_peak_at_us);
    units_format_duration(b, sizeof b, wl->diurnal_period_us);
    scn_error_key(w, sub, map, "%s must be within the period (0s..%s)", a, b);
}

static const char *const trace_rules[] = {
    "A relative `file` is relative to the scenario file; the file is read, and checked, when the "
    "scenario is loaded.",
    "`${NAME}` or `$NAME` in `file` (and in an empirical `file` or a `pricing.table` path) is the "
    "environment variable NAME, which must be set and not empty; `${NAME:?advice}` prints advice "
    "when it is not; `$$` is a '$'.",
    "`format: timestamps`: one arrival time in seconds per line (sorted); takes no `function`, "
    "`row` or `all`.",
    "`format: per_minute`: Azure Functions 2019 invocation files (HashOwner, HashApp, "
    "HashFunction, Trigger, then one count column per minute); exactly one of `function`, `row` "
    "or `all` picks what to replay. Arrivals spread uniformly at random within each minute.",
    NULL};

/* per_minute traces pick exactly one of function / row / all; timestamps traces none. The file
 * is read now (scenario_trace.c), once for every replication, so a typo or a bad line fails at
 * load time rather than mid-run. */
static void check_trace(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    scenario *s = base;
    scn_trace *t = &s->workload.trace;
    if (!map)
        return;
    static const char *const pickers[] = {"function", "row", "all"};
    char sub[SCN_PATH_LEN];
    bool picks_ok = scn_section_ok(w);
    if (t->format == SCN_TRACE_PER_MINUTE) {
        /* per_function replays every row (each apart): it is a pick like all, and means all
         * for the workload itself (the sum of the rows). */
        int chosen = (t->function != NULL) + (t->row > 0) + (t->all || t->per_function);
        if (chosen == 1 && t->per_function)
            t->all = true;
        if (chosen != 1) {
            scn_error(w, map, path, "a per_minute trace needs exactly one of function: HASH, "
                      "row: N or all: true (%d given)", chosen);
            picks_ok = false;
        }
    } else {
        if (t->per_function) {
            snprintf(sub, sizeof sub, "%s.per_function", path);
            scn_error_key(w, sub, map, "only per_minute traces have rows to replay per function");
            picks_ok = false;
        }
        for (int i = 0; i < 3; i++) {
            yaml_node_t *n = scn_map_get(w, map, pickers[i]);
            snprintf(sub, sizeof sub, "%s.%s", path, pickers[i]);
            if (n) {
                scn_error(w, n, sub, "only per_minute traces pick a function, row or all");
                picks_ok = false;
            }
        }
    }
    if (!t->file)
        return;
    free(t->path);
    snprintf(sub, sizeof sub, "%s.file", path);
    yaml_node_t *file_node = scn_map_get(w, map, "file");
    if (!(t->path = scn_data_path(w, file_node, sub, t->file)))
        return;
    FILE *fp = scn_open_data_file(w, file_node, sub, t->path);
    if (!fp)
        return;
    fclose(fp);
    /* Reading the file against a pick that is already wrong would only add noise. */
    if (picks_ok)
        scn_trace_load(w, map, path, t);
}

static const char *const concurrency_rules[] = {
    "`reserved`: `none` (the function shares the account limit) or N, with N <= "
    "`account_limit` - 100 (AWS keeps 100 unreserved).",
    "`provisioned`: N, or a daily schedule of windows `[{from: 12h, to: 20h, count: 100}]` "
    "(times of day, `from` < `to`, windows not overlapping).",
    "Provisioned environments (N, or each window's count) <= `reserved`, or <= `account_limit` "
    "- 100 when `reserved` is `none`.",
    NULL};

static void check_concurrency(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    const scn_lambda *L = &((const scenario *)base)->lambda;
    if (!map || !scn_section_ok(w))
        return;
    char sub[SCN_PATH_LEN];
    /* A function of `functions:` is parsed into a scratch scenario, maybe before `account:`:
     * what depends on the account's limit is checked with the account (scn_functions_check). */
    bool in_account = base != scn_root(w);
    int64_t unreserved_cap = L->account_limit - 100; /* AWS keeps 100 unreserved */
    if (in_account && L->reserved < 0)
        return;
    if (!in_account && L->reserved >= 0 && L->reserved > unreserved_cap) {
        snprintf(sub, sizeof sub, "%s.reserved", path);
        scn_error_key(w, sub, map, "%lld leaves fewer than 100 of account_limit %lld "
                      "unreserved (AWS requires 100): at most %lld", (long long)L->reserved,
                      (long long)L->account_limit, (long long)unreserved_cap);
        return;
    }
    int64_t cap = L->reserved >= 0 ? L->reserved : unreserved_cap;
    const char *why = L->reserved >= 0 ? "reserved" : "account_limit - 100";
    if (L->n_provisioned_windows == 0 && L->provisioned > cap) {
        snprintf(sub, sizeof sub, "%s.provisioned", path);
        scn_error_key(w, sub, map, "%lld is more than %s (%lld)", (long long)L->provisioned, why,
                      (long long)cap);
    }
    /* Windows were sorted: find the written item by its values, for its position. */
    for (size_t i = 0; i < L->n_provisioned_windows; i++) {
        const scn_provisioned_window *win = &L->provisioned_schedule[i];
        if (win->count <= cap)
            continue;
        snprintf(sub, sizeof sub, "%s.provisioned", path);
        char a[32], b[32];
        units_format_duration(a, sizeof a, win->from_us);
        units_format_duration(b, sizeof b, win->to_us);
        scn_error_key(w, sub, map, "count %lld in window %s..%s is more than %s (%lld)",
                      (long long)win->count, a, b, why, (long long)cap);
    }
}

static const char *const lambda_rules[] = {
    "`max_lifetime`: `none` (an environment lives until `keep_alive` ends it) or a duration "
    "(a distribution allowed).",
    "`async` is read with trigger `async`, `s3` or `eventbridge`, `kinesis` with `kinesis`, "
    "`sqs` with `sqs`. Schedules (eventbridge): the workload's arrivals are the events; use "
    "`process: constant` for a cron.",
    "`sqs.visibility_timeout` defaults to 6 x `timeout` (AWS's advice); with `trigger: sqs` it "
    "must be at least `timeout`, as AWS requires.",
    "With `trigger: sqs`, a `sqs.batch_size` above 10 needs a `sqs.batch_window` of at least 1s, "
    "as AWS requires (CreateEventSourceMapping).",
    NULL};

/* sqs.visibility_timeout defaults to 6 x timeout, as AWS advises for an SQS event source; it
 * is filled in here, after the whole lambda map, because the user may write timeout after sqs.
 * AWS refuses an SQS mapping whose queue visibility timeout is below the function timeout
 * (a message would reappear while its batch is still running): so does capsim. */
/* AWS refuses an SQS event source mapping with a batch size above 10 and a batching window
 * below 1 s ("When you set BatchSize to a value greater than 10, you must set
 * MaximumBatchingWindowInSeconds to at least 1":
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html). The API page
 * says so of streams too, but Kinesis's own default batch size is 100 with no window, which AWS
 * accepts: capsim applies the rule to SQS only. */
#define SQS_BATCH_WITHOUT_WINDOW_MAX 10
static void check_sqs_batch(scn_walk *w, yaml_node_t *map, const scn_lambda *L, const char *path)
{
    if (L->trigger != SCN_TRIGGER_SQS || L->sqs_batch_size <= SQS_BATCH_WITHOUT_WINDOW_MAX ||
        L->sqs_batch_window_us >= SIM_US_PER_S)
        return;
    char sub[SCN_PATH_LEN], window[32];
    snprintf(sub, sizeof sub, "%s.sqs.batch_size", path);
    units_format_duration(window, sizeof window, L->sqs_batch_window_us);
    scn_error_key(w, sub, map, "%lld needs lambda.sqs.batch_window of at least 1s (it is %s): "
                  "AWS refuses an SQS batch size above 10 without a batching window",
                  (long long)L->sqs_batch_size, window);
}

static void check_lambda(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    scn_lambda *L = &((scenario *)base)->lambda;
    if (map && scn_section_ok(w))
        check_sqs_batch(w, map, L, path);
    yaml_node_t *sqs = map ? scn_map_get(w, map, "sqs") : NULL;
    bool written = sqs && scn_map_get(w, sqs, "visibility_timeout");
    if (!written) {
        L->sqs_visibility_timeout_us = 6 * L->timeout_us;
        return;
    }
    if (!scn_section_ok(w) || L->trigger != SCN_TRIGGER_SQS ||
        L->sqs_visibility_timeout_us >= L->timeout_us)
        return;
    char sub[SCN_PATH_LEN], a[32], b[32];
    snprintf(sub, sizeof sub, "%s.sqs.visibility_timeout", path);
    units_format_duration(a, sizeof a, L->sqs_visibility_timeout_us);
    units_format_duration(b, sizeof b, L->timeout_us);
    scn_error_key(w, sub, map, "%s is less than lambda.timeout %s: AWS requires the queue's "
                  "visibility timeout to be at least the function timeout (6 x is advised)", a, b);
}

static const char *const trigger_rules[] = {
    "A trigger needs `every`, `batch_items` or both; the first to match starts a job.",
    NULL};

static void check_trigger(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    if (map && !scn_map_get(w, map, "every") && !scn_map_get(w, map, "batch_items"))
        scn_error(w, map, path, "a trigger needs every: DURATION and/or batch_items: N");
}

/* Start-up times per version are unconfirmed (AWS-REFERENCE.md): "commonly under a minute for
 * 2.0+ and 8-10 min before"; Glue 2.0 announced "10x faster job start". */
#define GLUE_STARTUP_BEFORE_2 "{dist: uniform, min: 8min, max: 10min}"
#define GLUE_STARTUP_FROM_2 "{dist: uniform, min: 10s, max: 60s}"
static const char *const glue_rules[] = {
    "`version` may be written quoted or not (`\"4.0\"` or `4.0`).",
    "Worker types `G.4X` and `G.8X` need version 3.0 or later.",
    "`G.025X` workers are for Glue streaming jobs only; capsim's Glue jobs are batch ETL jobs, "
    "so it is refused.",
    "`execution_class: flex` needs version 3.0 or later and worker type `G.1X` or `G.2X`, as AWS "
    "requires.",
    "`job_type: python_shell` runs one Python process on `python_shell_dpu` (0.0625 or 1): it "
    "takes no `worker_type`, `workers`, `auto_scaling` or Flex; `python_shell_dpu` is for "
    "Python shell jobs only.",
    "`auto_scaling` needs version 3.0 or later.",
    "`workers` x the worker type's DPUs <= 299 (AWS: at most 299 G.1X or 149 G.2X workers).",
    "`startup` defaults to `" GLUE_STARTUP_BEFORE_2 "` before version 2.0, and to `"
    GLUE_STARTUP_FROM_2 "` from 2.0.",
    NULL};

/* Worker types and version, and the start-up time that depends on the version. */
static void check_glue(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    scenario *s = base;
    scn_glue *g = &s->glue;
    g->dpu_per_worker = GLUE_DPU_PER_WORKER[g->worker_type];
    if (!g->version[0])
        return; /* a bad version was reported */
    bool before_3 = strcmp(g->version, "3.0") < 0;
    bool small_or_large = g->worker_type != SCN_GLUE_G1X && g->worker_type != SCN_GLUE_G2X;
    char sub[SCN_PATH_LEN];
    bool spark = g->job_type == SCN_GLUE_SPARK;
    if (map && scn_section_ok(w) && !spark) {
        /* Python shell jobs: MaxCapacity 0.0625 or 1, no workers, no Flex (Job API, above). */
        static const char *const spark_only[] = {"worker_type", "workers", "auto_scaling"};
        for (size_t i = 0; i < COUNT(spark_only); i++) {
            snprintf(sub, sizeof sub, "%s.%s", path, spark_only[i]);
            if (scn_map_get(w, map, spark_only[i]))
                scn_error_key(w, sub, map, "only Spark jobs take it; a Python shell job runs on "
                              "python_shell_dpu (0.0625 or 1)");
        }
        snprintf(sub, sizeof sub, "%s.python_shell_dpu", path);
        if (g->python_shell_dpu != 0.0625 && g->python_shell_dpu != 1.0)
            scn_error_key(w, sub, map, "%g is not a Python shell capacity: 0.0625 (1/16 DPU) or 1",
                          g->python_shell_dpu);
        snprintf(sub, sizeof sub, "%s.execution_class", path);
        if (g->execution_class == SCN_EXEC_FLEX)
            scn_error_key(w, sub, map, "flex is for Spark (glueetl) jobs, not Python shell jobs");
    }
    if (map && scn_section_ok(w) && spark) {
        snprintf(sub, sizeof sub, "%s.python_shell_dpu", path);
        if (scn_map_get(w, map, "python_shell_dpu"))
            scn_error_key(w, sub, map, "is for job_type: python_shell");
        snprintf(sub, sizeof sub, "%s.auto_scaling", path);
        if (g->auto_scaling && before_3)
            scn_error_key(w, sub, map, "needs Glue 3.0 or later (version is \"%s\")", g->version);
        /* Worker types and the Flex class, as AWS's Job API accepts them
         * (https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-job.html: WorkerType,
         * ExecutionClass). */
        snprintf(sub, sizeof sub, "%s.worker_type", path);
        if (g->worker_type == SCN_GLUE_G025X)
            scn_error_key(w, sub, map, "G.025X workers are for Glue streaming jobs only; a batch "
                          "ETL job needs G.1X or larger");
        else if (before_3 && small_or_large)
            scn_error_key(w, sub, map, "%s needs Glue 3.0 or later (version is \"%s\")",
                          GLUE_WORKER_NAMES[g->worker_type], g->version);
        snprintf(sub, sizeof sub, "%s.execution_class", path);
        if (g->execution_class == SCN_EXEC_FLEX && before_3)
            scn_error_key(w, sub, map, "flex needs Glue 3.0 or later (version is \"%s\")",
                          g->version);
        else if (g->execution_class == SCN_EXEC_FLEX && small_or_large &&
                 g->worker_type != SCN_GLUE_G025X)
            scn_error_key(w, sub, map, "flex runs only on G.1X or G.2X workers (worker_type is "
                          "%s)", GLUE_WORKER_NAMES[g->worker_type]);
    }
    if (map && scn_section_ok(w) && g->job_type == SCN_GLUE_SPARK &&
        (double)g->workers * g->dpu_per_worker > GLUE_MAX_WORKERS) {
        char workers_path[SCN_PATH_LEN];
        snprintf(workers_path, sizeof workers_path, "%s.workers", path);
        scn_error_key(w, workers_path, map, "%lld %s workers are %g DPUs; a job run has at most %d DPUs "
                      "(%lld %s workers)", (long long)g->workers, GLUE_WORKER_NAMES[g->worker_type],
                      (double)g->workers * g->dpu_per_worker, GLUE_MAX_WORKERS,
                      (long long)(GLUE_MAX_WORKERS / g->dpu_per_worker),
                      GLUE_WORKER_NAMES[g->worker_type]);
    }
    if (!scn_map_get(w, map, "startup")) {
        /* The defaults and their sources are above check_glue. */
        size_t k = 0;
        while (strcmp(glue_fields[k].key, "startup") != 0)
            k++;
        scn_field f = glue_fields[k];
        f.def = strcmp(g->version, "2.0") < 0 ? GLUE_STARTUP_BEFORE_2 : GLUE_STARTUP_FROM_2;
        snprintf(sub, sizeof sub, "%s.startup", path);
        scn_apply(w, &f, NULL, base, sub);
    }
}

static const char *const emr_rules[] = {
    "`instance_type` must be in the pricing table (`pricing.table`).",
    "`spot_discount` and `spot_interruptions` are read with `task_market: spot` and task nodes.",
    "`serverless` is read with `deployment: serverless`; its `pre_initialized` <= its `workers`.",
    NULL};

static void check_emr(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    const scn_emr *e = &((const scenario *)base)->emr;
    if (map && scn_section_ok(w) && e->sl_pre_initialized > e->sl_workers) {
        char sub[SCN_PATH_LEN];
        snprintf(sub, sizeof sub, "%s.serverless.pre_initialized", path);
        scn_error_key(w, sub, map, "%lld is more than serverless.workers (%lld)",
                      (long long)e->sl_pre_initialized, (long long)e->sl_workers);
    }
}

static const char *const services_rules[] = {
    "`source: auto` is `kinesis`, `sqs` or `s3` for a Lambda function with that trigger, else "
    "`none`. The source is priced on every platform: each would read the same stream, queue "
    "or bucket.",
    "`kinesis.shards` defaults to `lambda.kinesis.shards` with `trigger: kinesis` (and must "
    "equal it: it is the same stream), else to 1.",
    "`s3.gets_per_item` and `s3.puts_per_item` default to 1 with source `s3` (the item's upload "
    "and its read), else to 0.",
    NULL};

static void check_services(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    scenario *s = base;
    scn_services *v = &s->services;
    const scn_lambda *L = &s->lambda;
    v->resolved_source = v->source;
    if (v->source == SCN_SOURCE_AUTO) {
        v->resolved_source = SCN_SOURCE_NONE;
        if (L->present && L->trigger == SCN_TRIGGER_KINESIS)
            v->resolved_source = SCN_SOURCE_KINESIS;
        else if (L->present && L->trigger == SCN_TRIGGER_SQS)
            v->resolved_source = SCN_SOURCE_SQS;
        else if (L->present && L->trigger == SCN_TRIGGER_S3)
            v->resolved_source = SCN_SOURCE_S3;
    }
    yaml_node_t *k = map ? scn_map_get(w, map, "kinesis") : NULL;
    yaml_node_t *shards = k ? scn_map_get(w, k, "shards") : NULL;
    bool lambda_stream = L->present && L->trigger == SCN_TRIGGER_KINESIS;
    char sub[SCN_PATH_LEN];
    if (!shards)
        v->kinesis_shards = lambda_stream ? L->kinesis_shards : 1;
    else if (lambda_stream && scn_section_ok(w) && v->kinesis_shards != L->kinesis_shards) {
        snprintf(sub, sizeof sub, "%s.kinesis.shards", path);
        scn_error_key(w, sub, map, "%lld differs from lambda.kinesis.shards (%lld): the "
                      "function reads this stream; set the shards there",
                      (long long)v->kinesis_shards, (long long)L->kinesis_shards);
    }
    yaml_node_t *s3 = map ? scn_map_get(w, map, "s3") : NULL;
    double s3_default = v->resolved_source == SCN_SOURCE_S3 ? 1.0 : 0.0;
    if (!s3 || !scn_map_get(w, s3, "gets_per_item"))
        v->s3_gets_per_item = s3_default;
    if (!s3 || !scn_map_get(w, s3, "puts_per_item"))
        v->s3_puts_per_item = s3_default;
}

static bool is_table_name(const char *t)
{
    if (!*t)
        return false;
    for (; *t; t++)
        if (!((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') || *t == '-'))
            return false;
    return true;
}

static const char *const pricing_rules[] = {
    "`table` is a name (a-z, 0-9 and '-'; the file NAME.yaml in $CAPSIM_PRICING_DIR when set, "
    "else in the tables installed with capsim, else in the source tree's models/pricing) or a "
    "path (containing '/' or ending in .yaml; relative to the scenario file; `${NAME}` is an "
    "environment variable, as in trace files). The table is loaded and checked with the scenario.",
    NULL};

/* The pricing table is loaded with the scenario, so `capsim validate` catches a missing or
 * broken table (reported at pricing.table, followed by the table file's own errors) and models
 * find it in s->pricing_table. Runs after the platform sections (pricing comes after them in
 * the root table), so the EMR instance type can be looked up here. */
static void check_pricing(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    scenario *s = base;
    pricing_destroy(s->pricing_table);
    s->pricing_table = NULL;
    const char *table = s->pricing.table;
    char sub[SCN_PATH_LEN];
    snprintf(sub, sizeof sub, "%s.table", path);
    if (!table[0])
        return; /* too long: already reported */
    if (!pricing_is_path(table) && !is_table_name(table)) {
        scn_error_key(w, sub, map, "'%s' is neither a table name (a-z, 0-9 and '-', looked up in "
                      "%s) nor a path (containing '/' or ending in .yaml)", table, pricing_dir());
        return;
    }
    char why[1024];
    int rc = pricing_check_readable(table, scn_dir(w), why, sizeof why);
    if (rc == SIM_ENOMEM) {
        scn_oom(w);
        return;
    }
    if (rc == SIM_ESCENARIO) { /* the path's environment variable */
        scn_error_key(w, sub, map, "%s", why);
        return;
    }
    if (rc) {
        scn_error_key(w, sub, map, "no pricing table '%s': %s", table, why);
        return;
    }
    sim_diag table_diag;
    sim_diag_init(&table_diag);
    rc = pricing_load_from(table, scn_dir(w), &table_diag, &s->pricing_table);
    if (rc == SIM_ENOMEM) {
        scn_oom(w);
    } else if (rc) {
        size_t n = sim_diag_count(&table_diag);
        scn_error_key(w, sub, map, "pricing table '%s' is invalid (%zu error%s below)", table, n,
                      n == 1 ? "" : "s");
        sim_diag_append(scn_diag(w), &table_diag);
    }
    sim_diag_fini(&table_diag);

    const scn_emr *e = &s->emr;
    if (s->pricing_table && e->present && e->instance_type[0] &&
        !pricing_find_instance(s->pricing_table, e->instance_type)) {
        char known[512];
        pricing_list_instances(s->pricing_table, known, sizeof known);
        scn_error_key(w, "emr.instance_type", NULL, "'%s' is not in pricing table %s; known "
                      "types: %s", e->instance_type, s->pricing_table->name, known);
    }
}

/* ================================================================ rules, for the reference */

static const char *const lesson_rules[] = {
    "Run names are unique, and neither `sweep` nor `pricing`.",
    "`answer` is text with placeholders `{EXPR}` or `{EXPR:FORMAT}` (`{{` and `}}` are braces). "
    "EXPR is arithmetic (`+ - * /`, parentheses; spaces around a minus) on numbers and "
    "references: `RUN.PLATFORM.METRIC` (a metric of a run by its JSON path, e.g. "
    "`pool.lambda.cost_usd.total`; also `RUN.workload.items`, `RUN.horizon_s`, "
    "`RUN.comparison.cheapest`), `sweep[VALUE].PLATFORM.METRIC`, `pricing.KEY` (a rate of the "
    "pricing table as written there), and over a one-axis sweep `min`, `max`, `argmin`, "
    "`argmax` (one metric) and `crossing` (two). RUN is a name of `runs`, or the scenario's "
    "name when there are none. FORMAT: `usd`, `%`, `s`, `ms`, `n`, `x`, `axis`.",
    "`sweep[...]` and the functions need `sweep`; `show` entries are `PLATFORM.METRIC`, the "
    "platform one of lambda, glue, emr, workload.",
    NULL};

typedef struct lesson_ref_check {
    scn_walk *w;
    yaml_node_t *node;
    const scenario *s;
    bool reported;
} lesson_ref_check;

static void check_lesson_ref(void *ctx, const lesson_ref *ref)
{
    lesson_ref_check *c = ctx;
    const scn_lesson *l = &c->s->lesson;
    if (c->reported)
        return;
    if ((ref->kind == LESSON_REF_POINT || ref->kind == LESSON_REF_CALL) && !l->has_sweep) {
        scn_error(c->w, c->node, "lesson.answer", "{%s}: needs lesson.sweep", ref->text);
        c->reported = true;
    }
    if (ref->kind != LESSON_REF_RUN)
        return;
    bool found = false;
    for (size_t i = 0; i < l->n_runs; i++)
        found = found || (l->runs[i].name && !strcmp(l->runs[i].name, ref->scope));
    if (l->n_runs == 0 && l->has_sweep) { /* a sweep alone: no run to refer to */
        scn_error(c->w, c->node, "lesson.answer", "{%s}: the lesson has no runs, only its sweep: "
                  "refer to sweep[VALUE].PLATFORM.METRIC, or add lesson.runs", ref->text);
        c->reported = true;
        return;
    }
    if (l->n_runs == 0)
        found = !c->s->name || !strcmp(c->s->name, ref->scope);
    if (!found) {
        char names[256] = "";
        size_t used = 0;
        for (size_t i = 0; i < l->n_runs && used < sizeof names; i++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                     l->runs[i].name ? l->runs[i].name : "?");
        scn_error(c->w, c->node, "lesson.answer", "{%s}: no run named '%s' (runs: %s)", ref->text,
                  ref->scope, l->n_runs ? names : c->s->name);
        c->reported = true;
    }
}

static void check_lesson(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    const scenario *s = base;
    const scn_lesson *l = &s->lesson;
    if (!map || !scn_section_ok(w))
        return;
    yaml_node_t *runs = scn_map_get(w, map, "runs");
    for (size_t i = 0; i < l->n_runs; i++) {
        const char *name = l->runs[i].name;
        if (!name)
            continue;
        yaml_node_t *at = runs && runs->type == YAML_SEQUENCE_NODE
                              ? scn_node(w, runs->data.sequence.items.start[i]) : map;
        char sub[SCN_PATH_LEN];
        snprintf(sub, sizeof sub, "lesson.runs[%zu].name", i);
        if (!strcmp(name, "sweep") || !strcmp(name, "pricing"))
            scn_error(w, at, sub, "'%s' is reserved for the answer's references", name);
        for (size_t j = 0; j < i; j++)
            if (l->runs[j].name && !strcmp(l->runs[j].name, name))
                scn_error(w, at, sub, "'%s' is the name of runs[%zu] too", name, j);
    }
    yaml_node_t *show = scn_map_get(w, map, "show");
    for (size_t i = 0; i < l->n_show; i++) {
        static const char *const platforms[] = {"lambda.", "glue.", "emr.", "workload."};
        bool ok = false;
        for (size_t k = 0; k < COUNT(platforms); k++)
            ok = ok || (!strncmp(l->show[i], platforms[k], strlen(platforms[k])) &&
                        l->show[i][strlen(platforms[k])]);
        if (!ok)
            scn_error(w, show, "lesson.show", "'%s' is not PLATFORM.METRIC (lambda, glue, emr or "
                      "workload, then a metric's path such as cost_usd.total)", l->show[i]);
    }
    if (!l->answer)
        return;
    yaml_node_t *answer = scn_map_get(w, map, "answer");
    lesson_template t;
    char why[512];
    int rc = lesson_template_parse(l->answer, &t, why, sizeof why);
    if (rc == SIM_ENOMEM) {
        scn_oom(w);
        return;
    }
    if (rc) {
        scn_error(w, answer, "lesson.answer", "%s", why);
        return;
    }
    lesson_ref_check c = {w, answer, s, false};
    for (size_t i = 0; i < t.n; i++)
        if (t.segs[i].expr)
            lesson_expr_each_ref(t.segs[i].expr, check_lesson_ref, &c);
    lesson_template_fini(&t);
}

const char *const *scn_section_rules(const scn_section *sec)
{
    static const struct {
        const scn_section *sec;
        const char *const *rules;
    } by_section[] = {
        {&scn_root_section, root_rules},
        {&arrivals_section, arrivals_rules},
        {&diurnal_section, diurnal_rules},
        {&trace_section, trace_rules},
        {&lambda_section, lambda_rules},
        {&concurrency_section, concurrency_rules},
        {&glue_section, glue_rules},
        {&glue_trigger_section, trigger_rules},
        {&emr_section, emr_rules},
        {&emr_trigger_section, trigger_rules},
        {&services_section, services_rules},
        {&pricing_section, pricing_rules},
        {&lesson_section, lesson_rules},
    };
    for (size_t i = 0; i < COUNT(by_section); i++)
        if (by_section[i].sec == sec)
            return by_section[i].rules;
    return NULL;
}
