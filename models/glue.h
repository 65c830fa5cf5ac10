/* models/glue.h — AWS Glue jobs (Spark, or Python shell) as a batch platform.
 *
 * Items accumulate; a trigger (schedule and/or batch size) starts a job run on everything pending
 * (models/batch.h has the shared semantics). A run pays a start-up delay (glue.startup, its own
 * random stream), then processes the batch — a Spark job at workers x DPU per worker x 4 vCPU x
 * efficiency (with auto scaling, the workers its tasks fill), a Python shell job on one process
 * of python_shell_dpu x 4 vCPU — and is billed per second, with the version's minimum (10
 * minutes for 0.9/1.0, 1 minute from 2.0; 1 minute for Python shell), for all its DPUs, at the
 * standard or Flex rate. A run longer than glue.timeout is killed at the timeout (billed to it)
 * and its items fail. At most max_concurrent_runs run at once: as on AWS, a run started at the
 * limit fails (rejected_runs) and its items wait for the next trigger, unless
 * glue.job_run_queuing makes it wait for a run to end. */
#ifndef MODELS_GLUE_H
#define MODELS_GLUE_H

#include <stddef.h>
#include <stdint.h>

#include "models/batch.h"
#include "models/pricing.h"
#include "models/report.h"
#include "models/scenario.h"
#include "sim/diag.h"
#include "sim/stats.h"

/* batch_rep.usage[] of a Glue replication. */
enum { GLUE_USAGE_DPU_HOURS, GLUE_USAGE_COUNT };


/* Simulates replication `replication` into *out (usage and cost included, priced from p), adding
 * its latencies (microseconds) into *pool and its simulated time and items into *progress (may
 * be NULL). 0, SIM_ENOMEM. */
int glue_simulate(const scenario *s, const pricing_table *p, uint32_t replication, batch_rep *out,
                  sim_hist *pool, sim_progress *progress, sim_series *series);

/* The same on items fed by an upstream function (a stage of an account's pipeline): no progress
 * or time series. */
int glue_simulate_fed(const scenario *s, const pricing_table *p, uint32_t replication,
                      batch_rep *out, sim_hist *pool, const batch_feed *feed);

/* How the glue section is laid out (batch_summarize), for s. */
batch_summary_spec glue_summary_spec(const scenario *s);

/* Adds the glue section (and the workload section if none yet). 0 or SIM_ENOMEM. */
int glue_summarize(const scenario *s, const batch_rep *reps, size_t n, const sim_hist *pool,
                   report *r);

#endif
