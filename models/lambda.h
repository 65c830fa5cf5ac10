/* models/lambda.h — AWS Lambda, one function, as a discrete-event model.
 *
 * An item (or, for Kinesis and SQS, a batch of records) is an invocation. It runs in an idle environment if one exists (provisioned ones
 * first, then on-demand, chosen by `routing`), else a new on-demand environment is created —
 * a cold start, with its init phase — if the concurrency cap (reserved, else the account limit)
 * and the scaling rate (a token bucket: scale_rate new environments per period, refilled
 * continuously, not banked) allow; else the invocation is throttled. Duration = io + cpu /
 * min(memory/1769 MB, 6, threads) vCPU; a run longer than the timeout is killed at the timeout.
 * Idle on-demand environments die keep_alive after they were freed.
 *
 * What a throttle or a failure means depends on the trigger (models/lambda_internal.h): sync
 * rejects (429) and returns errors to the caller (lambda_direct.c); async, s3 and eventbridge
 * queue and retry (lambda_direct.c); kinesis and sqs are pollers reading batches
 * (lambda_stream.c). The core is models/lambda.c. */
#ifndef MODELS_LAMBDA_H
#define MODELS_LAMBDA_H

#include <stdint.h>

#include "models/cost.h"
#include "models/pricing.h"
#include "models/report.h"
#include "models/scenario.h"
#include "models/services.h"
#include "sim/diag.h"
#include "sim/progress.h"
#include "sim/series.h"
#include "sim/stats.h"

/* What one replication measured (small: percentiles are kept per replication for their
 * confidence intervals; the pooled histograms live in lambda_pool). */
typedef struct lambda_rep {
    uint64_t wl_items, wl_records;
    double wl_mb;
    uint64_t items, completed, failed, dropped;
    uint64_t invocations, cold_starts, provisioned_invocations, throttles, timeouts, retries,
        duplicates;
    uint64_t rps_throttles; /* of the throttles, those of the request-rate limit */
    uint64_t suppressed_inits; /* cold starts whose init exceeded 10 s and was re-run in the
                                  invocation */
    uint64_t dlq;           /* items sent to the DLQ / on-failure destination */
    uint64_t recycles;      /* environments replaced at max_lifetime */
    uint64_t requests;      /* billed requests (large async events count several) */
    sim_moments iterator_age_s; /* stream triggers: age of a batch's oldest record at its start */
    sim_moments latency_s, duration_s;
    sim_trend latency_trend;    /* latency (s) by arrival time over the horizon: overload test */
    int64_t pending_at_end;     /* items not finished when the horizon ended */
    double latency_q_s[6];  /* p50 p90 p95 p99 p999 max of this replication */
    double duration_q_s[2]; /* p50 p99 */
    double concurrency_mean, environments_mean;
    int64_t concurrency_max, environments_max;
    /* billing usage, exact: MB x billed milliseconds */
    uint64_t ondemand_mb_ms, init_mb_ms, provisioned_duration_mb_ms, ephemeral_mb_ms;
    double provisioned_configured_gb_s;
    services_usage svc;     /* the services around the function (models/services.h) */
    /* cost of the horizon, USD */
    double cost_requests, cost_compute, cost_init, cost_provisioned, cost_ephemeral, cost_total;
    services_bill cost_services;
    double cost_capacity;   /* declared capacity: provisioned concurrency, Kinesis shards... */
    double cost_per_month; /* the month's bill at the simulated rate (monthly tiers, free tier) */
} lambda_rep;

/* Histograms pooled over all replications (latency and billed duration, microseconds).
 * Replications add into it under a lock; integer counts make the order irrelevant. */
typedef struct lambda_pool {
    sim_hist latency_us, duration_us;
} lambda_pool;

/* Simulates replication `replication` into *out, adding its histograms into *pool (which the
 * caller has initialised and protects with an OpenMP critical section inside), and its
 * simulated time (warmup + horizon, microseconds) and items into *progress when not NULL.
 * 0 or SIM_ENOMEM. */
int lambda_simulate(const scenario *s, uint32_t replication, lambda_rep *out, lambda_pool *pool,
                    sim_progress *progress);

/* The same, recording the replication's time series (models/series.h: LAMBDA_SERIES_COLS
 * columns) into *series, summed under the pool's critical section, when series is not NULL.
 * Results are the same bits with or without it. */
int lambda_simulate_series(const scenario *s, uint32_t replication, lambda_rep *out,
                           lambda_pool *pool, sim_progress *progress, sim_series *series);

/* Prices a replication's usage into its cost_* fields (lambda_simulate leaves them 0). */
int lambda_bill(const scenario *s, const pricing_table *p, lambda_rep *o);
/* lambda_bill's two halves, for an account that prices its functions' months together: a month
 * of o's Lambda usage (it also sets o->provisioned_configured_gb_s), and o's costs from a month's
 * bill of that usage, with the services around the function. */
cost_lambda_usage lambda_month_usage(const scenario *s, const pricing_table *p, lambda_rep *o);
void lambda_apply_bill(const scenario *s, const pricing_table *p, const cost_lambda_bill *month,
                       lambda_rep *o);

/* Adds the workload section (items, records, mb) and the lambda platform section. */
int lambda_summarize(const scenario *s, const lambda_rep *reps, size_t n,
                     const lambda_pool *pool, report *r);

/* ---- pieces of the summary, for accounts of several functions (models/lambda_account.c) ---- */

/* Fills a replication's latency (p50 p90 p95 p99 p999 max) and duration (p50 p99) quantiles. */
void lambda_rep_quantiles(lambda_rep *out, const sim_hist *latency_us, const sim_hist *duration_us);
/* t += x: counts, usage and costs added, moments and trends merged (not quantiles, concurrency
 * or environments, which do not add). */
void lambda_rep_accumulate(lambda_rep *t, const lambda_rep *x);
/* Adds the workload section (items, records, mb). */
int lambda_summarize_workload(const lambda_rep *reps, size_t n, report *r);
/* Adds the lambda metrics of reps to sec, each path prefixed by prefix ("" or
 * "functions.NAME."); pool may be NULL (percentiles are then the replications' means). The
 * services' cost lines are those of `lines`, or when NULL those s uses (services_used; an
 * account shows the union of its functions'). */
int lambda_summarize_section(const scenario *s, const lambda_rep *reps, size_t n,
                             const lambda_pool *pool, const services_lines *lines,
                             report_section *sec, const char *prefix);
/* Whether the function kept up (models/overload.h), into *out. */
void lambda_judge_overload(const scenario *s, const lambda_rep *reps, size_t n,
                           report_overload *out);
/* The comparison's notes on where capsim is optimistic about Lambda; longest_s: the longest
 * latency seen. */
void lambda_note_optimism(const scenario *s, double longest_s, const report_section *sec,
                          report *r);

#endif
