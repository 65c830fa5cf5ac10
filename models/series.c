/* models/series.c — the recorded tables and their means (see series.h). */
#include "models/series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/error.h"

void run_series_init(run_series *rs, sim_time_us width_us) {
    memset(rs, 0, sizeof *rs);
    rs->width_us = width_us;
}

void run_series_fini(run_series *rs) {
    sim_series_fini(&rs->lambda);
    sim_series_fini(&rs->glue);
    sim_series_fini(&rs->emr);
    free(rs->lambda_latency_us);
    free(rs->glue_latency_us);
    free(rs->emr_latency_us);
    rs->lambda_latency_us = rs->glue_latency_us = rs->emr_latency_us = NULL;
    rs->lambda_on = rs->glue_on = rs->emr_on = false;
}

/* A new empty histogram in *h; false when out of memory. */
static bool hist_new(sim_hist **h) {
    if (!(*h = malloc(sizeof **h))) return false;
    sim_hist_init(*h);
    return true;
}

sim_time_us run_series_width(const scenario *s, sim_time_us width_us) {
    if (width_us > 0) return width_us;
    sim_time_us span = s->warmup_us + s->horizon_us;
    sim_time_us w = (span + RUN_SERIES_BUCKETS - 1) / RUN_SERIES_BUCKETS;
    w = (w + SIM_US_PER_MS - 1) / SIM_US_PER_MS * SIM_US_PER_MS; /* whole milliseconds */
    return w > 0 ? w : 1;
}

int run_series_prepare(run_series *rs, const scenario *s) {
    run_series_fini(rs);
    sim_time_us end = s->warmup_us + s->horizon_us, w = run_series_width(s, rs->width_us);
    int rc = SIM_OK;
    if (s->lambda.present && !(rc = sim_series_init(&rs->lambda, 0, end, w, LAMBDA_SERIES_COLS)))
        rs->lambda_on = true;
    if (!rc && s->glue.present && !(rc = sim_series_init(&rs->glue, 0, end, w, BATCH_SERIES_COLS)))
        rs->glue_on = true;
    if (!rc && s->emr.present && !(rc = sim_series_init(&rs->emr, 0, end, w, BATCH_SERIES_COLS)))
        rs->emr_on = true;
    if (!rc && ((rs->lambda_on && !hist_new(&rs->lambda_latency_us)) ||
                (rs->glue_on && !hist_new(&rs->glue_latency_us)) ||
                (rs->emr_on && !hist_new(&rs->emr_latency_us))))
        rc = SIM_ENOMEM;
    if (rc) run_series_fini(rs);
    return rc;
}

static double per_rep(const sim_series *t) {
    return t->replications ? 1.0 / (double)t->replications : 0.0;
}

double run_series_time_mean(const sim_series *t, uint32_t b, int col) {
    double width = (double)(sim_series_bucket_end(t, b) - sim_series_bucket_start(t, b));
    return (double)sim_series_row_const(t, b)[col] * per_rep(t) / width;
}

double run_series_at_end(const sim_series *t, uint32_t b, int col) {
    return (double)sim_series_row_const(t, b)[col] * per_rep(t);
}

double run_series_in_bucket(const sim_series *t, uint32_t b, int col) {
    int64_t now = sim_series_row_const(t, b)[col];
    int64_t before = b > 0 ? sim_series_row_const(t, b - 1)[col] : 0;
    return (double)(now - before) * per_rep(t);
}

/* A cost line spread over time in proportion to its usage column: line x used(b) / used(end). */
static double share(const sim_series *t, uint32_t b, int col, double line_usd) {
    double total = (double)sim_series_row_const(t, t->n_buckets)[col];
    if (!(total > 0) || !isfinite(line_usd)) return 0.0;
    return line_usd * (double)sim_series_row_const(t, b)[col] / total;
}

double run_series_cost(const run_series *rs, const report_section *sec, uint32_t b) {
    if (strcmp(sec->name, "lambda") == 0 && rs->lambda_on) {
        const sim_series *t = &rs->lambda;
        /* compute covers on-demand and provisioned durations: split it by their GB-s (the two
         * rates differ, but the split only shapes the curve). */
        double compute = report_value(sec, "cost_usd.compute", 0);
        double od = (double)sim_series_row_const(t, t->n_buckets)[LAMBDA_SERIES_ONDEMAND_MB_MS];
        double pd = (double)sim_series_row_const(t, t->n_buckets)[LAMBDA_SERIES_PROVISIONED_MB_MS];
        double od_share = od + pd > 0 ? od / (od + pd) : 1.0;
        return share(t, b, LAMBDA_SERIES_REQUESTS, report_value(sec, "cost_usd.requests", 0)) +
               share(t, b, LAMBDA_SERIES_ONDEMAND_MB_MS, compute * od_share) +
               share(t, b, LAMBDA_SERIES_PROVISIONED_MB_MS, compute * (1.0 - od_share)) +
               share(t, b, LAMBDA_SERIES_INIT_MB_MS, report_value(sec, "cost_usd.init", 0)) +
               share(t, b, LAMBDA_SERIES_CONFIGURED_MS,
                     report_value(sec, "cost_usd.provisioned", 0)) +
               share(t, b, LAMBDA_SERIES_EPHEMERAL_MB_MS,
                     report_value(sec, "cost_usd.ephemeral", 0));
    }
    const sim_series *t = strcmp(sec->name, "glue") == 0 && rs->glue_on ? &rs->glue
                          : strcmp(sec->name, "emr") == 0 && rs->emr_on ? &rs->emr
                                                                        : NULL;
    if (!t) return NAN;
    return share(t, b, BATCH_SERIES_BILLED_MILLI, report_value(sec, "cost_usd.total", 0));
}
