/* models/emr.h — Amazon EMR (on EC2, or Serverless) as a batch platform.
 *
 * Items accumulate and a trigger starts a job on everything pending (models/batch.h has the
 * shared semantics). Three deployments:
 * - EC2, persistent: one always-on cluster of core_nodes + 1 primary, billed for the whole
 *   horizon whatever it does. Jobs (steps) run one after another in trigger order at
 *   core_nodes x instance vCPUs x efficiency (the primary runs no tasks); a job triggered while
 *   the cluster is busy queues, with its batch as it was at its trigger.
 * - EC2, transient: a new cluster per job. It is ready after a provisioning delay
 *   (emr.provisioning, its own random stream), processes the batch at the same capacity, and
 *   terminates; every instance (core_nodes + 1) is billed from the request to termination, per
 *   second with a 1-minute minimum. Clusters of successive jobs may overlap.
 * - Serverless: per job, an application start-up (emr.serverless.startup) unless pre-initialized
 *   workers cover the job (pre_initialized >= workers, and no other job is using them), in which
 *   case it starts within seconds (EMR_SERVERLESS_WARM_START_S). Processing at workers x vcpu x
 *   efficiency; the job's workers are billed vCPU-seconds and GB-seconds while they run, per
 *   second with a 1-minute minimum; pre-initialized workers are billed while the application
 *   runs instead, and a job using them is not billed for them again. The application auto-stops
 *   idle_timeout (default 15 min, AWS's) after its last job ends, releasing its pre-initialized
 *   workers; the next job restarts it with a cold start-up.
 * - Task nodes (EC2): compute-only nodes beside the core nodes, On-Demand or Spot (EC2 price less
 *   spot_discount, the EMR fee in full; interruptions lower their capacity while a replacement is
 *   provisioned). EBS per instance (ebs_per_node) is billed per GB-month.
 * EMR has no job timeout here: a step or job runs until it is done. */
#ifndef MODELS_EMR_H
#define MODELS_EMR_H

#include <stddef.h>
#include <stdint.h>

#include "models/batch.h"
#include "models/pricing.h"
#include "models/report.h"
#include "models/scenario.h"
#include "sim/diag.h"
#include "sim/stats.h"

/* batch_rep.usage[] of an EMR replication: EC2 uses INSTANCE_HOURS, Serverless the other two. */
enum { EMR_USAGE_INSTANCE_HOURS = 0, EMR_USAGE_VCPU_HOURS = 0, EMR_USAGE_GB_HOURS = 1,
       EMR_USAGE_PRE_INITIALIZED_HOURS = 2 };

/* Start of a Serverless job on free pre-initialized workers that cover it. AWS: pre-initialized
 * capacity lets jobs "start within seconds" (AWS-REFERENCE.md); no exact figure is published,
 * so capsim takes 5 s. */
#define EMR_SERVERLESS_WARM_START_S 5.0


/* Simulates replication `replication` into *out (usage and cost included, priced from p), adding
 * its latencies (microseconds) into *pool and its simulated time and items into *progress (may
 * be NULL). 0, SIM_ENOMEM, SIM_EINVAL (unknown instance type). */
int emr_simulate(const scenario *s, const pricing_table *p, uint32_t replication, batch_rep *out,
                 sim_hist *pool, sim_progress *progress, sim_series *series);

/* The same on items fed by an upstream function (a stage of an account's pipeline): no progress
 * or time series. */
int emr_simulate_fed(const scenario *s, const pricing_table *p, uint32_t replication,
                     batch_rep *out, sim_hist *pool, const batch_feed *feed);

/* How the emr section is laid out (batch_summarize), for s. */
batch_summary_spec emr_summary_spec(const scenario *s);

/* Adds the emr section (and the workload section if none yet). 0 or SIM_ENOMEM. */
int emr_summarize(const scenario *s, const batch_rep *reps, size_t n, const sim_hist *pool,
                  report *r);

#endif
