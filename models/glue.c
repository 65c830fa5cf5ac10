/* models/glue.c — the Glue model (see glue.h): the batch core plus Glue's timing and billing. */
#include "models/glue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>


#include "models/cost.h"
#include "sim/error.h"
#include "sim/rng.h"

#define GLUE_VCPU_PER_DPU 4.0 /* AWS-REFERENCE.md: 1 DPU = 4 vCPU + 16 GB */

/* Whether the start-up delay is billed. AWS publishes no statement either way for Spark jobs
 * (AWS-REFERENCE.md: start-up times are unconfirmed); capsim assumes the run is billed from its
 * start, start-up included — the pessimistic choice. Set to false to bill processing only. */
#define GLUE_STARTUP_BILLED true

/* Spark's default input split (spark.sql.files.maxPartitionBytes): a large item is read as
 * several tasks. */
#define GLUE_SPARK_SPLIT_MB 128.0

typedef struct glue_sim {
    const scn_glue *G;
    int threads;            /* workload.work.threads */
    sim_rng rng_startup;
    double dpus;            /* workers x DPU per worker (python shell: its DPU) */
    double vcpu_effective;  /* dpus x 4 x efficiency: vCPU-seconds of work done per second */
    double billed_dpu_s;    /* jobs of the horizon: billed seconds x DPUs */
} glue_sim;

/* Auto scaling (Glue 3.0+): Glue adds executors while tasks wait and removes idle ones, billing
 * the DPUs in use (https://docs.aws.amazon.com/glue/latest/dg/auto-scaling.html). capsim takes a
 * batch's tasks to be its items, or its data in 128 MB splits if that is more, and gives the job
 * the workers those tasks fill (each runs DPU x 4 tasks at once), plus the driver, at least 2 and
 * at most `workers`, for the whole run: a static approximation of Glue's scaling, which also
 * scales down as a job's last tasks finish (so capsim bills a little more than AWS would). */
static double glue_workers_used(const glue_sim *g, const batch_job *job) {
    const scn_glue *G = g->G;
    double workers = (double)G->workers;
    if (!G->auto_scaling) return workers;
    double tasks = fmax((double)job->items, ceil(job->mb / GLUE_SPARK_SPLIT_MB - 1e-9));
    double used = 1.0 + ceil(tasks / (G->dpu_per_worker * GLUE_VCPU_PER_DPU) - 1e-9);
    return fmin(workers, fmax(2.0, used));
}

static int glue_run(void *platform, const batch_job *job, batch_outcome *out) {
    glue_sim *g = platform;
    const scn_glue *G = g->G;
    /* Drawn for every job, used or not, so the n-th job gets the same draw in every variant. */
    sim_time_us startup_us = sim_time_from_s(sim_dist_sample(&G->startup.dist, &g->rng_startup));
    double dpus = g->dpus;
    sim_time_us processing_us;
    if (G->job_type == SCN_GLUE_PYTHON_SHELL) {
        /* One Python process on python_shell_dpu x 4 vCPU (0.25 vCPU at 1/16 DPU), using at
         * most workload.work.threads of them; items one after another, I/O not sped up. No
         * Spark overhead: `efficiency` is Spark's and does not apply. */
        double vcpu = fmin(dpus * GLUE_VCPU_PER_DPU, (double)g->threads);
        processing_us = sim_time_from_s(job->io_s + job->cpu_s / vcpu);
    } else {
        /* Spark splits the batch (and a large splittable input) into tasks spread over every
         * executor core. A task waiting on S3 holds its core, so I/O time occupies core slots
         * like CPU time and, like it, proceeds on all cores at once: the batch takes
         * sum(cpu + io) / (vCPUs x efficiency). */
        dpus = glue_workers_used(g, job) * G->dpu_per_worker;
        processing_us =
            sim_time_from_s(job->work_s / (dpus * GLUE_VCPU_PER_DPU * G->efficiency));
    }
    sim_time_us run_us = startup_us + processing_us;
    out->delay_us = startup_us;
    out->killed = run_us > g->G->timeout_us;
    if (out->killed) run_us = g->G->timeout_us;
    out->end_us = job->start_us + run_us;
    if (job->counted) {
        sim_time_us billed_run_us = run_us;
        if (!GLUE_STARTUP_BILLED) billed_run_us = out->killed ? run_us - startup_us : processing_us;
        if (billed_run_us < 0) billed_run_us = 0;
        double billed_s = G->job_type == SCN_GLUE_PYTHON_SHELL
                              ? cost_glue_python_shell_billed_s(sim_time_to_s(billed_run_us))
                              : cost_glue_billed_s(G->version, sim_time_to_s(billed_run_us));
        out->billed_units = billed_s * dpus;
        g->billed_dpu_s += out->billed_units;
    }
    return SIM_OK;
}

static int glue_replicate(const scenario *s, const pricing_table *p, uint32_t replication,
                          batch_rep *out, sim_hist *pool, sim_progress *progress,
                          sim_series *series, const batch_feed *feed) {
    const scn_glue *G = &s->glue;
    glue_sim g = {
        .G = G,
        .threads = (int)s->workload.work_threads,
        .dpus = G->job_type == SCN_GLUE_PYTHON_SHELL ? G->python_shell_dpu
                                                     : (double)G->workers * G->dpu_per_worker,
    };
    g.vcpu_effective = g.dpus * GLUE_VCPU_PER_DPU * G->efficiency;
    sim_rng_seed(&g.rng_startup, s->seed, replication, "glue.startup");
    batch_config cfg = {
        .trigger = G->trigger,
        .max_concurrent = G->max_concurrent_runs,
        .reject_at_limit = !G->job_run_queuing,
        .run = glue_run,
        .platform = &g,
        .progress = progress,
        .series = series,
        .feed = feed,
    };
    int rc = batch_simulate(s, replication, &cfg, out, pool);
    if (rc) return rc;
    out->usage[GLUE_USAGE_DPU_HOURS] = g.billed_dpu_s / 3600.0;
    out->cost_compute = cost_glue_usd(p, g.billed_dpu_s, G->execution_class);
    batch_finish_bill(s, p, out);
    return SIM_OK;
}

int glue_simulate(const scenario *s, const pricing_table *p, uint32_t replication, batch_rep *out,
                  sim_hist *pool, sim_progress *progress, sim_series *series) {
    return glue_replicate(s, p, replication, out, pool, progress, series, NULL);
}

int glue_simulate_fed(const scenario *s, const pricing_table *p, uint32_t replication,
                      batch_rep *out, sim_hist *pool, const batch_feed *feed) {
    return glue_replicate(s, p, replication, out, pool, NULL, NULL, feed);
}

static void glue_hint(const scenario *s, double factor, char *buf, size_t len) {
    static const char *const worker[] = {"G.025X", "G.1X", "G.2X", "G.4X", "G.8X"};
    if (s->glue.job_type == SCN_GLUE_PYTHON_SHELL) {
        bool small = s->glue.python_shell_dpu < 1.0;
        snprintf(buf, len,
                 "Python shell runs take longer than the trigger period; it needs about %.3gx "
                 "its capacity: %smore concurrent runs, or a Spark job", factor,
                 small ? "python_shell_dpu 1 (now 1/16), " : "");
        return;
    }
    snprintf(buf, len,
             "runs take longer than the trigger period and %s (max_concurrent_runs %lld); it "
             "needs about %.3gx its capacity: more workers (glue.workers, now %lld), a larger "
             "worker type (now %s), or more concurrent runs",
             s->glue.job_run_queuing ? "wait for the previous run"
                                     : "are refused while the previous one runs, their data "
                                       "waiting for a later run",
             (long long)s->glue.max_concurrent_runs, factor, (long long)s->glue.workers,
             worker[s->glue.worker_type]);
}

batch_summary_spec glue_summary_spec(const scenario *s) {
    (void)s; /* the same for every Glue job */
    batch_summary_spec spec = {
        .overload_hint = glue_hint,
        .platform = "glue",
        .usage_paths = {"dpu_hours"},
        .n_usage = GLUE_USAGE_COUNT,
        .delay_path = "startup_s.mean",
        .with_timeouts = true,
        .with_rejected = true,
    };
    return spec;
}

int glue_summarize(const scenario *s, const batch_rep *reps, size_t n, const sim_hist *pool,
                   report *r) {
    batch_summary_spec spec = glue_summary_spec(s);
    report_section *sec;
    int rc = batch_summarize(s, &spec, reps, n, pool, r, &sec);
    if (rc) return rc;
    const report_metric *t = report_section_find(sec, "timeouts");
    if (t && t->value > 0) {
        char limit[32];
        scenario_format_duration(limit, sizeof limit, s->glue.timeout_us);
        snprintf(sec->note, sizeof sec->note,
                 "%.3g job run(s) per horizon reached glue.timeout (%s): killed, their items "
                 "failed", t->value, limit);
    }
    return SIM_OK;
}
