/* models/series.h — the platforms over time: what `capsim plot` and `capsim report` draw.
 *
 * When asked (run_options.series, models/run.h), each platform records, in equal time buckets
 * over [0, warmup + horizon), its levels and running totals (sim/series.h), summed over every
 * replication; the values below are their means over replications. Nothing is recorded — and
 * nothing costs anything — when no series is asked for, and results are the same bits either
 * way (the recording events change no state of the models).
 *
 * Lambda, per bucket: busy and live environments averaged over the bucket's time (exact time
 * integrals, warmup included); provisioned environments alive, items waiting to be invoked, the
 * age of the item next in line and items in flight, all at the bucket's end; and, of the items
 * that count (arrived after the warmup, as in the results), the arrivals, invocations, cold
 * starts, throttles, completions, failures and drops in the bucket, and the billed usage. Glue
 * and EMR, per bucket: items waiting for a job at its end, items arrived, jobs started, usage.
 *
 * Cost accrued: each cost line of the report (cost_usd.requests, .compute, ...; Glue's and
 * EMR's total) spread over time in proportion to the usage it bills, counted when an invocation
 * or job starts (provisioned concurrency and a persistent cluster or pre-initialized workers:
 * as configured time passes). Usage after the horizon's end (work still in flight, a last batch)
 * belongs to the horizon's bill but to no bucket, so the last bucket may show a little less than
 * cost_usd.total. */
#ifndef MODELS_SERIES_H
#define MODELS_SERIES_H

#include <stdbool.h>
#include <stdint.h>

#include "models/report.h"
#include "models/scenario.h"
#include "sim/series.h"
#include "sim/stats.h"

/* Buckets when run_series.width_us is 0: (warmup + horizon) / RUN_SERIES_BUCKETS, rounded up to
 * a whole millisecond. */
#define RUN_SERIES_BUCKETS 200

/* Lambda's columns (sim_series of LAMBDA_SERIES_COLS). Running totals are at the bucket's end. */
enum lambda_series_col {
    LAMBDA_SERIES_BUSY_US,      /* busy environments x microseconds in the bucket */
    LAMBDA_SERIES_LIVE_US,      /* live environments (busy + idle) x microseconds */
    LAMBDA_SERIES_PROVISIONED,  /* provisioned environments alive at the bucket's end */
    LAMBDA_SERIES_QUEUED,       /* items waiting to be invoked: in the async queue, or Kinesis and
                                   SQS records not in a running batch */
    LAMBDA_SERIES_OLDEST_US,    /* age of the item next in line (Kinesis: the oldest of the
                                   shards'), counted as iterator_age_s is (a record the producer
                                   could not write yet: since its write); 0 when none waits */
    LAMBDA_SERIES_IN_FLIGHT,    /* items arrived and not finished (waiting, running, retrying) */
    LAMBDA_SERIES_ITEMS,        /* running totals of the items that count: */
    LAMBDA_SERIES_INVOCATIONS,
    LAMBDA_SERIES_COLD_STARTS,
    LAMBDA_SERIES_THROTTLES,
    LAMBDA_SERIES_COMPLETED,
    LAMBDA_SERIES_FAILED,
    LAMBDA_SERIES_DROPPED,
    LAMBDA_SERIES_REQUESTS,     /* running totals of billed usage (lambda_rep's): */
    LAMBDA_SERIES_ONDEMAND_MB_MS,
    LAMBDA_SERIES_INIT_MB_MS,
    LAMBDA_SERIES_PROVISIONED_MB_MS,
    LAMBDA_SERIES_EPHEMERAL_MB_MS,
    LAMBDA_SERIES_CONFIGURED_MS, /* provisioned environments configured x ms since the warmup */
    LAMBDA_SERIES_COLS
};

/* Glue's and EMR's columns (models/batch.h records them). */
enum batch_series_col {
    BATCH_SERIES_WAITING,       /* items pending for the next job at the bucket's end */
    BATCH_SERIES_ITEMS,         /* running total: items that count */
    BATCH_SERIES_JOBS,          /* running total: jobs of the horizon started */
    BATCH_SERIES_BILLED_MILLI,  /* running total: billed units x 1000 (DPU-s, instance-s, worker-s)
                                   of the jobs of the horizon started, and of the configured
                                   capacity billed by time since the warmup */
    BATCH_SERIES_COLS
};

/* What a run records. The caller sets width_us (0: the default) and calls run_series_fini.
 * With the tables come each platform's latencies pooled over all items of all replications (the
 * histogram the percentiles of the results are read from), for latency distributions. */
typedef struct run_series {
    sim_time_us width_us;
    bool lambda_on, glue_on, emr_on; /* which tables were recorded */
    sim_series lambda, glue, emr;
    sim_hist *lambda_latency_us, *glue_latency_us, *emr_latency_us; /* owned; NULL: absent */
} run_series;

void run_series_init(run_series *rs, sim_time_us width_us);
void run_series_fini(run_series *rs);
/* Prepares the tables for the platforms of s (run_scenario_with calls it). 0, SIM_EINVAL (too
 * many buckets: more than SIM_SERIES_MAX_BUCKETS) or SIM_ENOMEM. */
int run_series_prepare(run_series *rs, const scenario *s);
/* The bucket width run_series_prepare would choose for s with width_us (0: the default). */
sim_time_us run_series_width(const scenario *s, sim_time_us width_us);

/* Means over replications of one bucket b of a table. */
/* A level's time average over the bucket (columns *_US of busy and live environments). */
double run_series_time_mean(const sim_series *t, uint32_t b, int col);
/* A level at the bucket's end (provisioned, queued, in flight, waiting; OLDEST_US in us). */
double run_series_at_end(const sim_series *t, uint32_t b, int col);
/* A running total's increase during bucket b. */
double run_series_in_bucket(const sim_series *t, uint32_t b, int col);

/* Cost accrued by the end of bucket b, USD (see the top of this file), from the platform's
 * section of the report (its cost_usd.* lines). platform: "lambda", "glue" or "emr". */
double run_series_cost(const run_series *rs, const report_section *sec, uint32_t b);

#endif
