/* models/lambda_account.h — several Lambda functions sharing one account (format 1.1).
 *
 * A scenario with `functions:` is simulated as one replication of every function together
 * (lambda_account.c): they share the account's concurrency limit (less the reservations) and a
 * function may be fed by another's completed items (`from:`), making a pipeline. Results are per
 * function (the same metrics as a lone function) and for the account (their sum; concurrency
 * and environments measured across the account; end-to-end latency through a pipeline). */
#ifndef MODELS_LAMBDA_ACCOUNT_H
#define MODELS_LAMBDA_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "models/batch.h"
#include "models/lambda.h"
#include "models/report.h"
#include "models/scenario.h"
#include "sim/progress.h"
#include "sim/stats.h"

/* What every replication shares: each function's view of the scenario (a shallow copy whose
 * lambda and workload are the function's own; read-only) and who feeds whom. */
typedef struct lambda_account_views {
    const scenario *s;
    size_t n;
    scenario *view;         /* owned array (shallow copies: they own nothing) */
    int32_t **downstream;   /* per function: the functions it feeds */
    int32_t *n_downstream;
    bool chained;           /* some function has `from:` */
    /* Glue and EMR stages (functions[].glue, .emr): not Lambda functions, run after the Lambda
     * functions of a replication on the items their upstream completed. */
    size_t n_stages;
    int32_t *stage_of;      /* per function: its stage index, or -1 (a Lambda function) */
} lambda_account_views;

int lambda_account_views_init(lambda_account_views *v, const scenario *s);
void lambda_account_views_fini(lambda_account_views *v);

/* One replication of an account: its Lambda functions together, then each Glue or EMR stage on
 * the items its upstream made (a stage is a last stage: it feeds nothing, so it can wait). fn
 * is the caller's array of n entries (each function's results); total holds the account's quantiles, concurrency and environments from the run, and
 * its counts and costs once the runner adds up the billed functions (lambda_rep_accumulate). */
typedef struct lambda_account_rep {
    lambda_rep *fn;             /* a stage's entry stays zero */
    batch_rep *stage;           /* the caller's array of n_stages entries (each stage's results) */
    lambda_rep total;
    double e2e_q_s[6];          /* end-to-end latency p50 p90 p95 p99 p999 max (chained) */
    double e2e_mean_s;
} lambda_account_rep;

/* Histograms pooled over replications (added under critical sections). */
typedef struct lambda_account_pool {
    lambda_pool lambda;  /* latency and duration of every function's items */
    sim_hist e2e_us;
    sim_hist *stage_latency_us; /* per stage (n_stages) */
} lambda_account_pool;

/* A new pool, empty, for v's account (its stages' histograms too): NULL when out of memory.
 * Freed with lambda_account_pool_destroy. */
lambda_account_pool *lambda_account_pool_create(const lambda_account_views *v);
void lambda_account_pool_destroy(lambda_account_pool *pool);

/* out->fn must hold v->n entries and out->stage v->n_stages (both zeroed). */
int lambda_account_simulate(const lambda_account_views *v, uint32_t replication,
                            lambda_account_rep *out, lambda_account_pool *pool,
                            sim_progress *progress);

/* Runs every replication and adds the workload section and the lambda section (the account's
 * totals, then functions.NAME.* for each function, and end_to_end_latency_s.* for a pipeline). */
int lambda_account_run(const scenario *s, int threads, sim_progress *progress, report *r);

#endif
