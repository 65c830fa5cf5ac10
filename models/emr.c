/* models/emr.c — the EMR model (see emr.h): the batch core plus EMR's timing and billing for
 * persistent and transient clusters on EC2 and for EMR Serverless. */
#include "models/emr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "models/cost.h"
#include "sim/error.h"
#include "sim/rng.h"

/* Whether a Serverless job's start-up is billed. AWS bills the resources workers use "from the
 * time workers are ready to run your workload until the time they stop": the application
 * start-up before that is not billed. Set to true to bill it too. */
#define EMR_SERVERLESS_STARTUP_BILLED false

typedef struct emr_sim {
    const scn_emr *E;
    sim_rng rng_delay;           /* emr.provisioning (transient) or emr.serverless.startup */
    double vcpu_effective;       /* vCPU-seconds of work done per second */
    /* persistent */
    sim_time_us cluster_free_us; /* when the cluster finishes the jobs queued so far */
    /* transient */
    double instances;            /* core_nodes + 1 primary (On-Demand) */
    double instance_s;           /* billed instance-seconds of the horizon's clusters (On-Demand) */
    double task_instance_s;      /* of them, the task nodes' (priced On-Demand or Spot) */
    /* serverless */
    sim_time_us pool_free_us;    /* when the pre-initialized workers are free again */
    sim_time_us busy_until_us;   /* when the last job started so far ends */
    sim_time_us app_started_us;  /* the application (pre-initialized capacity) runs since */
    double app_up_s;             /* seconds it ran inside the statistics window, closed periods */
    sim_time_us lo_us, hi_us;    /* the statistics window */
    double vcpu_s, gb_s;         /* billed vCPU- and GB-seconds of the horizon's jobs */
} emr_sim;

/* Spot task nodes: an interrupted node is replaced by a new one, which takes a provisioning
 * delay to join; meanwhile its capacity is missing. With interruptions at rate r per node and a
 * mean replacement time d, each node is available 1 / (1 + r d) of the time (a renewal process:
 * up on average 1/r, down d). The work an interrupted node was doing is redone by Spark on the
 * others (not counted: optimistic by up to one task per interruption). Billing is unchanged:
 * there is always one instance per node, working or being provisioned. */
static double task_availability(const scn_emr *E) {
    if (E->task_market != SCN_MARKET_SPOT || E->spot_interruptions_per_s <= 0) return 1.0;
    double d = sim_dist_mean(&E->provisioning.dist);
    if (!isfinite(d)) return 0.0;
    return 1.0 / (1.0 + E->spot_interruptions_per_s * d);
}

/* The application's running time inside the statistics window, for a period [a, b). */
static double window_overlap_s(const emr_sim *e, sim_time_us a, sim_time_us b) {
    if (a < e->lo_us) a = e->lo_us;
    if (b > e->hi_us) b = e->hi_us;
    return b > a ? sim_time_to_s(b - a) : 0.0;
}

/* Spark splits the batch into tasks over every executor core; a task waiting on S3 holds its
 * core, so I/O time occupies core slots like CPU time and proceeds on all cores at once: the
 * batch takes sum(cpu + io) / (vCPUs x efficiency). */
static sim_time_us processing_time(const emr_sim *e, const batch_job *job) {
    return sim_time_from_s(job->work_s / e->vcpu_effective);
}

static int run_persistent(void *platform, const batch_job *job, batch_outcome *out) {
    emr_sim *e = platform;
    /* Steps run one at a time in order: a job starts when the cluster is done with the last. */
    sim_time_us begin_us = e->cluster_free_us > job->start_us ? e->cluster_free_us : job->start_us;
    out->delay_us = begin_us - job->start_us;
    out->queue_us = out->delay_us;
    /* The queue's end is chained job after job without a calendar event per sum, so it is
     * checked here (sim/time.h): begin <= SIM_TIME_EVENT_MAX_US, processing <= the limit. */
    out->end_us = begin_us + processing_time(e, job);
    if (out->end_us > SIM_TIME_EVENT_MAX_US) return SIM_ETIME;
    e->cluster_free_us = out->end_us;
    return SIM_OK; /* billed for the horizon, not per job */
}

static int run_transient(void *platform, const batch_job *job, batch_outcome *out) {
    emr_sim *e = platform;
    sim_time_us provisioning_us =
        sim_time_from_s(sim_dist_sample(&e->E->provisioning.dist, &e->rng_delay));
    sim_time_us run_us = provisioning_us + processing_time(e, job);
    out->delay_us = provisioning_us;
    out->end_us = job->start_us + run_us;
    /* Every instance is billed from the request to termination, 1-minute minimum each. */
    if (job->counted) {
        double billed_s = cost_emr_billed_s(sim_time_to_s(run_us));
        out->billed_units = e->instances * billed_s;
        e->instance_s += out->billed_units;
        e->task_instance_s += (double)e->E->task_nodes * billed_s;
    }
    return SIM_OK;
}

static int run_serverless(void *platform, const batch_job *job, batch_outcome *out) {
    emr_sim *e = platform;
    const scn_emr *E = e->E;
    /* Drawn for every job, used or not, so the n-th job gets the same draw in every variant
     * (with or without pre-initialized capacity). */
    sim_time_us startup_us = sim_time_from_s(sim_dist_sample(&E->sl_startup.dist, &e->rng_delay));
    /* Auto-stop: an application idle for idle_timeout stopped, and its pre-initialized workers
     * with it; this job starts it again (a cold start), and its capacity is billed from now. */
    bool restarted = false;
    if (E->sl_auto_stop && job->start_us > e->busy_until_us + E->sl_idle_timeout_us) {
        if (e->app_started_us != SIM_TIME_NEVER)
            e->app_up_s += window_overlap_s(e, e->app_started_us,
                                            e->busy_until_us + E->sl_idle_timeout_us);
        e->app_started_us = job->start_us;
        restarted = true;
    }
    bool pool_free = E->sl_pre_initialized > 0 && e->pool_free_us <= job->start_us;
    int64_t from_pool = 0;
    if (pool_free) from_pool = E->sl_pre_initialized < E->sl_workers ? E->sl_pre_initialized
                                                                     : E->sl_workers;
    /* Covered: every worker is already initialised. Otherwise the job waits for the
     * application to start the missing workers. */
    if (from_pool == E->sl_workers && !restarted)
        startup_us = sim_time_from_s(EMR_SERVERLESS_WARM_START_S);
    sim_time_us processing_us = processing_time(e, job);
    out->delay_us = startup_us;
    out->end_us = job->start_us + startup_us + processing_us;
    if (from_pool > 0) e->pool_free_us = out->end_us;
    if (out->end_us > e->busy_until_us) e->busy_until_us = out->end_us;
    if (job->counted) {
        sim_time_us run_us = processing_us + (EMR_SERVERLESS_STARTUP_BILLED ? startup_us : 0);
        double billed_s = cost_emr_billed_s(sim_time_to_s(run_us));
        double workers = (double)(E->sl_workers - from_pool); /* the pool is billed apart */
        out->billed_units = workers * billed_s; /* worker-seconds: the pool's unit too */
        e->vcpu_s += workers * E->sl_vcpu * billed_s;
        e->gb_s += workers * E->sl_memory_gb * billed_s;
    }
    return SIM_OK;
}

static int emr_replicate(const scenario *s, const pricing_table *p, uint32_t replication,
                         batch_rep *out, sim_hist *pool, sim_progress *progress,
                         sim_series *series, const batch_feed *feed) {
    const scn_emr *E = &s->emr;
    emr_sim e = {.E = E, .app_started_us = 0, .lo_us = s->warmup_us,
                 .hi_us = s->warmup_us + s->horizon_us};
    batch_config cfg = {.trigger = E->trigger,
                        .max_concurrent = 0,
                        .platform = &e,
                        .progress = progress,
                        .series = series,
                        .feed = feed};
    double horizon_s = sim_time_to_s(s->horizon_us);
    if (E->deployment == SCN_EMR_SERVERLESS) {
        e.vcpu_effective = (double)E->sl_workers * E->sl_vcpu * E->efficiency;
        sim_rng_seed(&e.rng_delay, s->seed, replication, "emr.serverless.startup");
        cfg.run = run_serverless;
        cfg.fixed_units_per_s = (double)E->sl_pre_initialized;
    } else {
        const pricing_instance *it = pricing_find_instance(p, E->instance_type);
        if (!it) return SIM_EINVAL;
        /* Core and task nodes run tasks (the primary does not); Spot task nodes only while they
         * are up (task_availability). */
        double nodes = (double)E->core_nodes + (double)E->task_nodes * task_availability(E);
        e.vcpu_effective = nodes * it->vcpu * E->efficiency;
        e.instances = (double)E->core_nodes + 1.0;
        if (E->mode == SCN_EMR_TRANSIENT) {
            sim_rng_seed(&e.rng_delay, s->seed, replication, "emr.provisioning");
            cfg.run = run_transient;
        } else {
            cfg.run = run_persistent;
            cfg.fixed_units_per_s = e.instances;
        }
    }
    int rc = batch_simulate(s, replication, &cfg, out, pool);
    if (rc) return rc;

    if (E->deployment == SCN_EMR_SERVERLESS) {
        /* Pre-initialized workers exist, and are billed, while the application runs: from t = 0
         * (created with it) until it auto-stops idle_timeout after its last job, and again from
         * each job that restarts it; without auto-stop, the whole horizon. */
        double pre = (double)E->sl_pre_initialized;
        sim_time_us stop_us = E->sl_auto_stop ? e.busy_until_us + E->sl_idle_timeout_us
                                              : SIM_TIME_NEVER;
        double up_s = e.app_up_s + window_overlap_s(&e, e.app_started_us, stop_us);
        e.vcpu_s += pre * E->sl_vcpu * up_s;
        e.gb_s += pre * E->sl_memory_gb * up_s;
        out->usage[EMR_USAGE_PRE_INITIALIZED_HOURS] = up_s / 3600.0;
        out->usage[EMR_USAGE_VCPU_HOURS] = e.vcpu_s / 3600.0;
        out->usage[EMR_USAGE_GB_HOURS] = e.gb_s / 3600.0;
        /* Storage: capsim does not model disk, which stays within the 20 GB each worker gets
         * free. The pre-initialized workers are declared capacity. */
        out->cost_compute = cost_emr_serverless_usd(p, e.vcpu_s, e.gb_s, 0.0);
        out->cost_platform_capacity = cost_emr_serverless_usd(
            p, pre * E->sl_vcpu * up_s, pre * E->sl_memory_gb * up_s, 0.0);
    } else {
        /* A persistent cluster runs, and is billed, for the whole horizon. */
        if (E->mode == SCN_EMR_PERSISTENT) {
            e.instance_s = e.instances * horizon_s;
            e.task_instance_s = (double)E->task_nodes * horizon_s;
        }
        out->usage[EMR_USAGE_INSTANCE_HOURS] = (e.instance_s + e.task_instance_s) / 3600.0;
        double discount = E->task_market == SCN_MARKET_SPOT ? E->spot_discount : 0.0;
        out->cost_compute =
            cost_emr_ec2_usd(p, E->instance_type, e.instance_s) +
            cost_emr_ec2_market_usd(p, E->instance_type, e.task_instance_s, discount);
        out->cost_ebs =
            cost_emr_ebs_usd(p, E->ebs_gb_per_node * (e.instance_s + e.task_instance_s));
        /* A persistent cluster is declared capacity: billed whether it works or not. */
        if (E->mode == SCN_EMR_PERSISTENT)
            out->cost_platform_capacity = out->cost_compute + out->cost_ebs;
    }
    batch_finish_bill(s, p, out);
    return SIM_OK;
}

int emr_simulate(const scenario *s, const pricing_table *p, uint32_t replication, batch_rep *out,
                 sim_hist *pool, sim_progress *progress, sim_series *series) {
    return emr_replicate(s, p, replication, out, pool, progress, series, NULL);
}

int emr_simulate_fed(const scenario *s, const pricing_table *p, uint32_t replication,
                     batch_rep *out, sim_hist *pool, const batch_feed *feed) {
    return emr_replicate(s, p, replication, out, pool, NULL, NULL, feed);
}

/* Only a persistent cluster queues jobs (transient clusters and Serverless applications start
 * one per batch), so only it can fall behind. */
static void persistent_hint(const scenario *s, double factor, char *buf, size_t len) {
    snprintf(buf, len,
             "each batch takes longer than the trigger period, so steps queue up on the cluster; "
             "it needs about %.3gx its capacity: more core nodes (emr.core_nodes, now %lld), a "
             "larger instance type (now %s), or a transient cluster per batch",
             factor, (long long)s->emr.core_nodes, s->emr.instance_type);
}

batch_summary_spec emr_summary_spec(const scenario *s) {
    batch_summary_spec ec2_persistent = {
        .platform = "emr", .usage_paths = {"instance_hours"}, .n_usage = 1,
        .delay_path = "queue_s.mean", .overload_hint = persistent_hint,
        .with_ebs = s->emr.ebs_gb_per_node > 0};
    batch_summary_spec ec2_transient = {
        .platform = "emr", .usage_paths = {"instance_hours"}, .n_usage = 1,
        .delay_path = "provisioning_s.mean", .with_ebs = s->emr.ebs_gb_per_node > 0};
    static const batch_summary_spec serverless = {
        .platform = "emr", .usage_paths = {"vcpu_hours", "gb_hours", "pre_initialized_hours"},
        .n_usage = 3, .delay_path = "startup_s.mean"};
    const scn_emr *E = &s->emr;
    return E->deployment == SCN_EMR_SERVERLESS ? serverless
           : E->mode == SCN_EMR_TRANSIENT      ? ec2_transient
                                               : ec2_persistent;
}

int emr_summarize(const scenario *s, const batch_rep *reps, size_t n, const sim_hist *pool,
                  report *r) {
    batch_summary_spec spec = emr_summary_spec(s);
    return batch_summarize(s, &spec, reps, n, pool, r, NULL);
}
