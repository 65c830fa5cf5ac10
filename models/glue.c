/* models/glue.c — the Glue model (see glue.h): the batch core plus Glue's timing and billing. */
#include "models/glue.h"

#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "models/cost.h"
#include "sim/error.h"
#include "sim/rng.h"

#define GLUE_VCPU_PER_DPU 4.0 /* AWS-REFERENCE.md: 1 DPU = 4 vCPU + 16 GB */

/* Whether the start-up delay is billed. AWS publishes no statement either way for Spark jobs
 * (AWS-REFERENCE.md: start-up times are unconfirmed); capsim assumes the run is billed from its
 * start, start-up included — the pessimistic choice. Set to false to bill processing only. */
#define GLUE_STARTUP_BILLED true

typedef struct glue_sim {
    const scn_glue *G;
    gsl_rng *rng_startup;
    double dpus;            /* workers x DPU per worker */
    double vcpu_effective;  /* dpus x 4 x efficiency: vCPU-seconds of work done per second */
    double billed_dpu_s;    /* jobs of the horizon: billed seconds x DPUs */
} glue_sim;

static int glue_run(void *platform, const batch_job *job, batch_outcome *out) {
    glue_sim *g = platform;
    /* Drawn for every job, used or not, so the n-th job gets the same draw in every variant. */
    sim_time_us startup_us = sim_time_from_s(sim_dist_sample(&g->G->startup.dist, g->rng_startup));
    /* Spark splits the batch (and a large splittable input) into tasks spread over every
     * executor core. A task waiting on S3 holds its core, so I/O time occupies core slots like
     * CPU time and, like it, proceeds on all cores at once: the batch takes
     * sum(cpu + io) / (vCPUs x efficiency). */
    sim_time_us processing_us = sim_time_from_s(job->work_s / g->vcpu_effective);
    sim_time_us run_us = startup_us + processing_us;
    out->delay_us = startup_us;
    out->killed = run_us > g->G->timeout_us;
    if (out->killed) run_us = g->G->timeout_us;
    out->end_us = job->start_us + run_us;
    if (job->counted) {
        sim_time_us billed_run_us = run_us;
        if (!GLUE_STARTUP_BILLED) billed_run_us = out->killed ? run_us - startup_us : processing_us;
        if (billed_run_us < 0) billed_run_us = 0;
        out->billed_units = cost_glue_billed_s(g->G->version, sim_time_to_s(billed_run_us)) * g->dpus;
        g->billed_dpu_s += out->billed_units;
    }
    return SIM_OK;
}

int glue_simulate(const scenario *s, const pricing_table *p, uint32_t replication, batch_rep *out,
                  sim_hist *pool, sim_progress *progress, sim_series *series) {
    const scn_glue *G = &s->glue;
    glue_sim g = {
        .G = G,
        .dpus = (double)G->workers * G->dpu_per_worker,
    };
    g.vcpu_effective = g.dpus * GLUE_VCPU_PER_DPU * G->efficiency;
    g.rng_startup = sim_rng_create(s->seed, replication, "glue.startup");
    if (!g.rng_startup) return SIM_ENOMEM;
    batch_config cfg = {
        .trigger = G->trigger,
        .max_concurrent = G->max_concurrent_runs,
        .run = glue_run,
        .platform = &g,
        .progress = progress,
        .series = series,
    };
    int rc = batch_simulate(s, replication, &cfg, out, pool);
    gsl_rng_free(g.rng_startup);
    if (rc) return rc;
    out->usage[GLUE_USAGE_DPU_HOURS] = g.billed_dpu_s / 3600.0;
    out->cost_usd = cost_glue_usd(p, g.billed_dpu_s, G->execution_class);
    return SIM_OK;
}

static void glue_hint(const scenario *s, double factor, char *buf, size_t len) {
    static const char *const worker[] = {"G.025X", "G.1X", "G.2X", "G.4X", "G.8X"};
    snprintf(buf, len,
             "runs take longer than the trigger period and wait for the previous run "
             "(max_concurrent_runs %lld); it needs about %.3gx its capacity: more workers "
             "(glue.workers, now %lld), a larger worker type (now %s), or more concurrent runs",
             (long long)s->glue.max_concurrent_runs, factor, (long long)s->glue.workers,
             worker[s->glue.worker_type]);
}

int glue_summarize(const scenario *s, const batch_rep *reps, size_t n, const sim_hist *pool,
                   report *r) {
    static const batch_summary_spec spec = {
        .overload_hint = glue_hint,
        .platform = "glue",
        .usage_paths = {"dpu_hours"},
        .n_usage = GLUE_USAGE_COUNT,
        .delay_path = "startup_s.mean",
        .with_timeouts = true,
    };
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
