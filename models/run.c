/* models/run.c — the replication driver for a whole scenario (see run.h). */
#include "models/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/emr.h"
#include "models/glue.h"
#include "models/lambda.h"
#include "models/lambda_account.h"
#include "models/pricing.h"
#include "sim/driver.h"
#include "sim/error.h"

typedef struct lambda_run_ctx {
    const scenario *s;
    lambda_pool *pool;
    sim_progress *progress;
    sim_series *series;
} lambda_run_ctx;

static int lambda_one(void *ctx, uint32_t replication, void *slot) {
    lambda_run_ctx *run = ctx;
    return lambda_simulate_series(run->s, replication, slot, run->pool, run->progress,
                                  run->series);
}

/* ---- Glue and EMR: the batch platforms (models/batch.h) ---- */

typedef int (*batch_platform_simulate)(const scenario *s, const pricing_table *p,
                                       uint32_t replication, batch_rep *out, sim_hist *pool,
                                       sim_progress *progress, sim_series *series);
typedef int (*batch_platform_summarize)(const scenario *s, const batch_rep *reps, size_t n,
                                        const sim_hist *pool, report *r);

typedef struct batch_platform_job {
    const scenario *s;
    const pricing_table *table;
    batch_platform_simulate simulate;
    sim_hist *pool;
    sim_progress *progress;
    sim_series *series;
} batch_platform_job;

static int batch_platform_one(void *ctx, uint32_t replication, void *slot) {
    batch_platform_job *job = ctx;
    return job->simulate(job->s, job->table, replication, slot, job->pool, job->progress,
                         job->series);
}

/* A batch_items trigger (without a schedule) that was never reached: the only run was the one
 * capsim starts at the end of the horizon on everything pending. */
static void warn_batch_items(const scenario *s, const char *platform,
                             const scn_batch_trigger *t, const batch_rep *reps, size_t n,
                             report *r) {
    if (t->batch_items <= 0 || t->every_us > 0) return;
    for (size_t i = 0; i < n; i++)
        if (reps[i].count_triggers > 0) return;
    char path[48];
    snprintf(path, sizeof path, "%s.trigger.batch_items", platform);
    const char *file;
    int line, col;
    if (!scenario_key_where(s, path, &file, &line, &col))
        scenario_key_where(s, platform, &file, &line, &col);
    sim_diag_warning(&r->warnings, file, line, col, path,
                     "%lld items were never pending at once, so no run started on this trigger; "
                     "capsim ran one job on everything pending at the end of the horizon "
                     "(lower batch_items, or add `every:` for a schedule)",
                     (long long)t->batch_items);
}

/* Runs one batch platform over the replications and adds its section to r. */
static int run_batch_platform(const scenario *s, int threads, sim_progress *progress,
                              sim_series *series, sim_hist *latency_us, const pricing_table *table,
                              batch_platform_simulate simulate,
                              batch_platform_summarize summarize, const char *platform,
                              const scn_batch_trigger *trigger, report *r) {
    size_t n = (size_t)s->replications;
    batch_rep *reps = calloc(n, sizeof *reps);
    sim_hist *pool = malloc(sizeof *pool);
    int rc = reps && pool ? SIM_OK : SIM_ENOMEM;
    if (!rc) {
        sim_hist_init(pool);
        batch_platform_job job = {s, table, simulate, pool, progress, series};
        rc = sim_replicate((uint32_t)n, threads, batch_platform_one, &job, reps, sizeof *reps);
    }
    if (!rc) rc = summarize(s, reps, n, pool, r);
    if (!rc) warn_batch_items(s, platform, trigger, reps, n, r);
    if (!rc && latency_us) *latency_us = *pool;
    free(reps);
    free(pool);
    return rc;
}

/* Lambda's maximum timeout (AWS-REFERENCE.md): work that needs more cannot fit Lambda at all. */
#define LAMBDA_MAX_TIMEOUT_US (900 * SIM_US_PER_S)

/* Why Lambda failed items that Glue and EMR process: runs past the function's timeout. Lambda's
 * summary has the count; the comparison needs the reason next to it. */
static void note_lambda_timeouts(const scenario *s, report *r) {
    report_section *sec = NULL;
    for (size_t i = 0; i < r->n_platforms; i++)
        if (strcmp(r->platforms[i].name, "lambda") == 0) sec = &r->platforms[i];
    const report_metric *t = sec ? report_section_find(sec, "timeouts") : NULL;
    if (!t || !(t->value > 0)) return;
    char count[32];
    if (t->value == floor(t->value)) snprintf(count, sizeof count, "%.0f", t->value);
    else snprintf(count, sizeof count, "%.1f", t->value);
    const char *others = s->glue.present && s->emr.present ? "Glue and EMR process them"
                         : s->glue.present                 ? "Glue processes them"
                         : s->emr.present                  ? "EMR processes them"
                                                           : "Glue or EMR would process them";
    double timeout_s = sim_time_to_s(s->lambda.timeout_us);
    if (s->lambda.timeout_us >= LAMBDA_MAX_TIMEOUT_US)
        snprintf(sec->note, sizeof sec->note,
                 "%s run(s) needed more than Lambda's 15-minute maximum (the %.0f s timeout): "
                 "Lambda kills them at the timeout and bills the %.0f s, and work that long "
                 "fails on every retry; %s",
                 count, timeout_s, timeout_s, others);
    else
        snprintf(sec->note, sizeof sec->note,
                 "%s run(s) went past the %.4g s timeout: Lambda killed them (billed, failed); "
                 "raise lambda.timeout (up to 900 s) if they fit, else %s",
                 count, timeout_s, s->glue.present || s->emr.present ? others : "use Glue or EMR");
}

/* per_month multiplies the horizon by scenario_horizons_per_month. When the horizon is not a
 * stretch of steady traffic — a one-off burst, part of a daily cycle, a trace — say what that
 * assumes, beside the figure (unless the scenario said how often its horizon happens). */
static void note_month_assumption(const scenario *s, report *r) {
    if (s->pricing.horizons_per_month > 0 || r->n_platforms == 0) return;
    const scn_workload *w = &s->workload;
    char horizon[32], what[96] = "";
    scenario_format_duration(horizon, sizeof horizon, s->horizon_us);
    size_t once = 0;
    for (size_t i = 0; i < w->n_bursts; i++) once += w->bursts[i].every_us == 0;
    if (once > 0)
        snprintf(what, sizeof what, "%s horizon, its one-off %s included,", horizon,
                 once == 1 ? "burst" : "bursts");
    else if (w->process == SCN_ARRIVALS_DIURNAL && s->horizon_us % w->diurnal_period_us != 0)
        snprintf(what, sizeof what, "%s horizon (not a whole cycle of the diurnal pattern)",
                 horizon);
    else if (w->process == SCN_ARRIVALS_TRACE)
        snprintf(what, sizeof what, "%s horizon of the trace", horizon);
    else
        return;
    r->comparison.month_assumed = true;
    report_add_note(r,
                    "* per month assumes the %s happens %.4g times a month, back to back; "
                    "set pricing.horizons_per_month to say how often it really happens "
                    "(e.g. 1 for once a month)",
                    what, scenario_horizons_per_month(s));
}

int run_scenario(const scenario *s, int threads, sim_progress *progress, report *r) {
    run_options o = {.threads = threads, .progress = progress};
    return run_scenario_with(s, &o, r);
}

int run_scenario_with(const scenario *s, const run_options *opt, report *r) {
    size_t n = (size_t)s->replications;
    int threads = opt->threads;
    sim_progress *progress = opt->progress;
    run_series *series = opt->series;
    const pricing_table *table = s->pricing_table; /* loaded and checked with the scenario */
    int rc = table ? SIM_OK : SIM_EINVAL;
    if (rc) return rc;
    if (series && (rc = run_series_prepare(series, s))) return rc;
    scenario_warn(s, &r->warnings);
    if (progress) {
        uint64_t platforms = (uint64_t)(s->lambda.present || s->functions_present) +
                             s->glue.present + s->emr.present;
        sim_progress_expect(progress, platforms * n * (uint64_t)(s->warmup_us + s->horizon_us));
    }
    if (s->lambda.present) {
        lambda_rep *reps = calloc(n, sizeof *reps);
        lambda_pool *pool = malloc(sizeof *pool);
        if (!reps || !pool) {
            free(reps);
            free(pool);
            return SIM_ENOMEM;
        }
        sim_hist_init(&pool->latency_us);
        sim_hist_init(&pool->duration_us);
        lambda_run_ctx run = {s, pool, progress, series ? &series->lambda : NULL};
        rc = sim_replicate((uint32_t)n, threads, lambda_one, &run, reps, sizeof *reps);
        for (size_t i = 0; i < n && !rc; i++) rc = lambda_bill(s, table, &reps[i]);
        if (!rc) rc = lambda_summarize(s, reps, n, pool, r);
        if (!rc && series) *series->lambda_latency_us = pool->latency_us;
        free(reps);
        free(pool);
        if (!rc) note_lambda_timeouts(s, r);
    }
    /* Several functions in one account (format 1.1): no time series for them (yet). */
    if (!rc && s->functions_present) rc = lambda_account_run(s, threads, progress, r);
    /* Platforms appear in the report in this order: lambda, glue, emr. */
    if (!rc && s->glue.present)
        rc = run_batch_platform(s, threads, progress, series ? &series->glue : NULL,
                                series ? series->glue_latency_us : NULL, table,
                                glue_simulate, glue_summarize, "glue", &s->glue.trigger, r);
    if (!rc && s->emr.present)
        rc = run_batch_platform(s, threads, progress, series ? &series->emr : NULL,
                                series ? series->emr_latency_us : NULL, table,
                                emr_simulate, emr_summarize, "emr", &s->emr.trigger, r);
    if (!rc) {
        report_compare(r);
        note_month_assumption(s, r);
    }
    return rc;
}
