/* models/batch.h — the batch-platform core shared by the Glue and EMR models.
 *
 * Glue and EMR work the same way seen from the data: items accumulate; a trigger starts a job on
 * everything pending; the job pays a start-up (or provisioning, or queueing) delay, processes
 * the batch at some capacity, and is billed by its service's rules. This module owns the part
 * that is the same — the workload, the pending batch, the triggers, the concurrency limit, item
 * outcomes and latencies, the summary — and calls the platform back to decide, for each job,
 * when it ends and what it bills.
 *
 * Triggers (glue.trigger, emr.trigger): `every: T` starts jobs at T, 2T, ... — a scheduled job
 * runs even with nothing pending, as a Glue or EMR schedule does, and bills its minimum;
 * `batch_items: N` starts a job as soon as N items are pending; with both, the first to match.
 * With only batch_items, a last partial batch is started at the end of the horizon (the items
 * would otherwise wait for arrivals the simulation does not make). A scheduled trigger is
 * served before an arrival at the same instant, so the batch of the job at kT holds exactly the
 * items that arrived in [(k-1)T, kT).
 *
 * Concurrency: with a limit (Glue's max_concurrent_runs), a trigger at the limit either fails
 * (reject_at_limit: AWS's default, "ConcurrentRunsExceededException": the run does not start, is
 * counted in `rejected`, and its items stay pending for the next trigger; after the horizon, with
 * no trigger left to come, the next job end starts a run on them) or waits (job-run queuing):
 * it starts with everything pending when a running job finishes, and further triggers while one
 * waits merge into it. Without a limit, jobs overlap freely (the platform may still serialise
 * them, as a persistent EMR cluster does).
 *
 * Horizon: items arriving in [0, warmup + horizon) are all processed — the simulation runs until
 * the last of them is done — and statistics count items that arrived after the warmup. A job
 * (its count, usage and cost) belongs to the horizon when its batch holds an item that arrived
 * after the warmup — including the run after the horizon that processes its last items, since
 * Lambda too bills every item that arrived — and an empty scheduled run when its trigger fired in
 * (warmup, warmup + horizon]. A job straddling the warmup is billed whole.
 *
 * Items: an item's latency is its batch's end minus its arrival. Poison items (workload.errors.
 * poison) are processed with their batch and fail; transient errors (workload.errors.rate) are
 * not modelled here, because Spark retries a failed task inside the job (4 attempts by default)
 * and a transient error therefore costs a little time, not the item. A job killed by its timeout
 * fails all its items.
 *
 * Memory: no per-item storage beyond the pending batch. Latencies need each item's arrival, and
 * a batch's end is known as soon as it starts (the platform computes it), so the arrivals of
 * the pending items sit in one growable int64 array that is emptied at every job start: memory
 * is bounded by the largest batch (8 bytes per item: a million-item batch takes 8 MB; 16 with a
 * feed, whose items' origins are kept too), and the array stops growing once it reaches that
 * size, so the hot loop allocates nothing after. */
#ifndef MODELS_BATCH_H
#define MODELS_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/pricing.h"
#include "models/report.h"
#include "models/scenario.h"
#include "sim/progress.h"
#include "models/services.h"
#include "sim/series.h"
#include "sim/stats.h"
#include "sim/time.h"

/* A job the core is starting now, as the platform sees it. */
typedef struct batch_job {
    sim_time_us trigger_us; /* when its trigger fired (a trigger that waited: when it first fired) */
    sim_time_us start_us;   /* now: when the job is started (submitted to the platform) */
    int64_t items;          /* items in the batch, poison ones included; 0 for an empty schedule */
    double work_s;          /* sum of cpu_s + io_s over the batch: vCPU-seconds at one vCPU */
    double cpu_s, io_s;     /* the two parts of work_s */
    double mb;              /* data in the batch */
    bool counted;           /* the job belongs to the horizon: bill it and count it */
} batch_job;

/* What the platform decided for that job. */
typedef struct batch_outcome {
    sim_time_us end_us;     /* when the job ends (processing done, or killed) */
    sim_time_us delay_us;   /* start-up, provisioning or queueing before processing began */
    sim_time_us queue_us;   /* of delay_us, the wait for a resource busy with earlier jobs (a
                               persistent cluster): grows without bound when jobs outlast the
                               trigger period */
    bool killed;            /* killed by a timeout: its items fail */
    double billed_units;    /* a counted job's usage in the platform's billing unit (DPU-s,
                               instance-s, worker-s), for the time series' cost curve only */
} batch_outcome;

/* Items fed from outside instead of the workload's arrivals: a Glue or EMR stage of an account's
 * pipeline (models/lambda_account.c) takes the items its upstream function completed. Each
 * item's arrival and origin are given, in time order; its size, work and poison are drawn from
 * the workload as for any item. The feed may run past the horizon (upstream drains its last
 * items): every item is processed (its latency counted), the schedule going on for them and a
 * last partial batch starting just after the last arrival; but a job triggered after the
 * horizon is not billed or counted among the jobs. It belongs to the next period, whose first
 * job would carry these items (as this period's first job would have carried the last
 * period's, in a steady state): billing it here would add a whole run, start-up and minimum
 * included, for a few items, which a job on the workload's own arrivals never pays. */
typedef struct batch_arrival {
    sim_time_us arrival_us;
    sim_time_us origin_us; /* when its first stage received it (wl_item.origin_us) */
} batch_arrival;

typedef struct batch_feed {
    const batch_arrival *items; /* in time order */
    size_t n;
    sim_hist *e2e_us;      /* end-to-end latency (job end - origin) of each completed item */
    sim_sums *e2e_sums;    /* ... its sum, in microseconds */
} batch_feed;

/* The platform's part: time and bill one job started now (usage of a counted job only).
 * Returns 0 or a negative sim_error. */
typedef int (*batch_run_fn)(void *platform, const batch_job *job, batch_outcome *out);

typedef struct batch_config {
    scn_batch_trigger trigger;
    int64_t max_concurrent; /* jobs running at once; 0 = no limit */
    bool reject_at_limit;   /* a trigger at the limit fails instead of waiting */
    batch_run_fn run;
    void *platform;
    sim_progress *progress; /* optional (NULL): simulated time and items, for a display */
    sim_series *series;     /* optional (NULL): the time series (models/series.h, BATCH_SERIES_
                               COLS columns), summed over replications under a lock */
    double fixed_units_per_s; /* capacity billed by time over the horizon (a persistent cluster's
                               instances, pre-initialized workers), in billed_units' unit */
    const batch_feed *feed;   /* optional (NULL: the workload's arrivals) */
} batch_config;

#define BATCH_MAX_USAGE 4

/* What one replication of a batch platform measured. */
typedef struct batch_rep {
    uint64_t wl_items, wl_records;
    double wl_mb;
    uint64_t items, completed, failed;
    uint64_t jobs, timeouts;           /* jobs of the horizon; of those, killed by the timeout */
    sim_moments latency_s, delay_s;    /* per completed item; per job of the horizon */
    sim_trend wait_trend;              /* per job of the horizon, by trigger time: seconds from
                                          its trigger until it could start (a run slot or the
                                          cluster was busy): the overload test */
    uint64_t count_triggers;           /* jobs started because batch_items were pending */
    uint64_t rejected;                 /* triggers of the horizon refused at the run limit */
    double latency_q_s[6];             /* p50 p90 p95 p99 p999 max of this replication */
    double usage[BATCH_MAX_USAGE];     /* the platform's usage metrics (DPU-hours, ...) */
    services_usage svc;                /* the services around the platform (services.h) */
    /* The horizon's bill: the platform sets cost_compute (its own charges), cost_ebs and of
     * those cost_platform_capacity (declared capacity: a persistent cluster, pre-initialized
     * workers); batch_finish_bill adds the services and the totals. */
    double cost_compute, cost_ebs, cost_platform_capacity;
    services_bill cost_services;
    double cost_capacity;              /* platform capacity + the services' */
    double cost_usd;                   /* the horizon's bill, everything included */
} batch_rep;

/* Prices the services of a replication (its counted jobs are its runs) and fills cost_services,
 * cost_capacity and cost_usd from the platform's cost_compute, cost_ebs and
 * cost_platform_capacity. */
void batch_finish_bill(const scenario *s, const pricing_table *p, batch_rep *out);

/* Simulates one replication of the scenario's workload through a batch platform into *out,
 * adding its latencies (microseconds) into *pool under an OpenMP critical section. The caller
 * fills out->usage and out->cost_usd afterwards from what cfg->run accumulated.
 * 0, SIM_ENOMEM, or the platform's error. */
int batch_simulate(const scenario *s, uint32_t replication, const batch_config *cfg,
                   batch_rep *out, sim_hist *pool);

/* How a platform's section is laid out by batch_summarize. */
typedef struct batch_summary_spec {
    const char *platform;                  /* "glue", "emr" */
    const char *usage_paths[BATCH_MAX_USAGE]; /* names of out->usage[i] ("dpu_hours") */
    size_t n_usage;
    const char *delay_path;                /* "startup_s.mean", ...; NULL to leave it out */
    bool with_ebs;                         /* report cost_usd.ebs */
    bool with_timeouts;                    /* report `timeouts` (jobs killed) */
    bool with_rejected;                    /* report `rejected_runs` (triggers refused) */
    /* What would let the platform keep up, when jobs need `factor` times the capacity. */
    void (*overload_hint)(const scenario *s, double factor, char *buf, size_t len);
} batch_summary_spec;

/* Adds the platform's metrics to sec, each path after prefix ("" or "functions.NAME."), and
 * its overload judgement to *overload: the body of batch_summarize. 0 or SIM_ENOMEM. */
int batch_summarize_into(const scenario *s, const batch_summary_spec *spec, const batch_rep *reps,
                         size_t n, const sim_hist *pool, report_section *sec, const char *prefix,
                         report_overload *overload);

/* Adds the platform's section to r: items, completed, failed, jobs [, timeouts], usage, delay,
 * latency_s.{mean,p50,p90,p95,p99,p999,max} (percentiles pooled over all replications),
 * cost_usd.{total,per_month,per_1k_items}; and the workload section when r has none yet (every
 * platform sees the same items). Returns the new section in *out_section (may be NULL).
 * 0 or SIM_ENOMEM. */
int batch_summarize(const scenario *s, const batch_summary_spec *spec, const batch_rep *reps,
                    size_t n, const sim_hist *pool, report *r, report_section **out_section);

#endif
