/* models/lambda_series.c — the Lambda model's time series (models/series.h, sim/series.h).
 *
 * Only a replication asked to record calls in here: the core (lambda.c) schedules nothing and
 * computes nothing for a series otherwise. Every function reads the model and writes the
 * replication's own table; none changes the model's state, so results are the same bits with or
 * without recording. Kept apart from lambda.c so the hot loop's code is the same either way. */
#include <math.h>
#include <stdlib.h>

#include "models/lambda_internal.h"
#include "models/series.h"
#include "sim/error.h"

#define DAY_US (86400 * SIM_US_PER_S)

struct lambda_recorder {
    sim_series table;  /* this replication's */
    sim_series *pool;  /* where it is summed */
    uint32_t next;     /* the next bucket to record */
    /* The busy and live integrals of the statistics windows before the current one (the
     * window's opening restarts the time averages), and their values at the last boundary. */
    double busy_base, live_base, busy_prev, live_prev;
};

/* Provisioned environments configured during [lo, hi), environment-seconds (unrounded: it only
 * shapes the cost curve; billing rounds in provisioned_configured_gb_s). */
static double configured_env_s(const scn_lambda *L, sim_time_us lo, sim_time_us hi) {
    if (hi <= lo) return 0.0;
    double env_s = (double)L->provisioned * sim_time_to_s(hi - lo);
    for (int64_t day = lo / DAY_US; day * DAY_US < hi; day++) {
        for (size_t i = 0; i < L->n_provisioned_windows; i++) {
            const scn_provisioned_window *w = &L->provisioned_schedule[i];
            sim_time_us a = day * DAY_US + w->from_us, b = day * DAY_US + w->to_us;
            if (a < lo) a = lo;
            if (b > hi) b = hi;
            if (b > a) env_s += (double)w->count * sim_time_to_s(b - a);
        }
    }
    return env_s;
}

/* The running totals of a series row (models/series.h), as they stand now. */
static void totals(const lambda_sim *m, int64_t *row) {
    const lambda_rep *o = m->out;
    row[LAMBDA_SERIES_ITEMS] = (int64_t)o->items;
    row[LAMBDA_SERIES_INVOCATIONS] = (int64_t)o->invocations;
    row[LAMBDA_SERIES_COLD_STARTS] = (int64_t)o->cold_starts;
    row[LAMBDA_SERIES_THROTTLES] = (int64_t)o->throttles;
    row[LAMBDA_SERIES_COMPLETED] = (int64_t)o->completed;
    row[LAMBDA_SERIES_FAILED] = (int64_t)o->failed;
    row[LAMBDA_SERIES_DROPPED] = (int64_t)o->dropped;
    row[LAMBDA_SERIES_REQUESTS] = (int64_t)o->requests;
    row[LAMBDA_SERIES_ONDEMAND_MB_MS] = (int64_t)o->ondemand_mb_ms;
    row[LAMBDA_SERIES_INIT_MB_MS] = (int64_t)o->init_mb_ms;
    row[LAMBDA_SERIES_PROVISIONED_MB_MS] = (int64_t)o->provisioned_duration_mb_ms;
    row[LAMBDA_SERIES_EPHEMERAL_MB_MS] = (int64_t)o->ephemeral_mb_ms;
    sim_time_us to = m->now_us < m->end_us ? m->now_us : m->end_us;
    row[LAMBDA_SERIES_CONFIGURED_MS] = llround(configured_env_s(m->L, m->warmup_us, to) * 1e3);
}

/* The end of bucket b: records the levels and totals, then schedules the next boundary. Reads
 * the model, changes nothing in it. */
int lambda_series_record(lambda_sim *m, uint32_t b) {
    lambda_recorder *r = m->series;
    int64_t *row = sim_series_row(&r->table, b);
    double busy = r->busy_base + sim_timeavg_area_at(&m->busy_avg, m->now_us);
    double live = r->live_base + sim_timeavg_area_at(&m->live_avg, m->now_us);
    row[LAMBDA_SERIES_BUSY_US] = llround(busy - r->busy_prev);
    row[LAMBDA_SERIES_LIVE_US] = llround(live - r->live_prev);
    r->busy_prev = busy;
    r->live_prev = live;
    int64_t provisioned = 0;
    for (int32_t e = 0; e < m->n_env_slots; e++)
        provisioned += m->envs[e].state != ENV_FREE && m->envs[e].provisioned;
    row[LAMBDA_SERIES_PROVISIONED] = provisioned;
    int64_t waiting;
    sim_time_us next_us;
    if (lambda_is_stream(m->L)) lambda_stream_backlog(m, &waiting, &next_us);
    else lambda_direct_backlog(m, &waiting, &next_us);
    row[LAMBDA_SERIES_QUEUED] = waiting;
    row[LAMBDA_SERIES_OLDEST_US] = next_us == SIM_TIME_NEVER ? 0 : m->now_us - next_us;
    row[LAMBDA_SERIES_IN_FLIGHT] = m->pending;
    totals(m, row);
    r->next = b + 1;
    if (r->next >= r->table.n_buckets) return SIM_OK;
    return sim_calendar_schedule(&m->cal, sim_series_bucket_end(&r->table, r->next),
                                 LAMBDA_EV_SERIES, 0, (int64_t)r->next, NULL);
}

/* The loop may end on the horizon's last event before the boundaries at that same time fire:
 * record them now (nothing changes after the loop), then the end-of-run row. */
int lambda_series_flush(lambda_sim *m) {
    lambda_recorder *r = m->series;
    int rc = SIM_OK;
    while (r->next < r->table.n_buckets && !rc) {
        sim_time_us at = sim_series_bucket_end(&r->table, r->next);
        if (at > m->now_us) m->now_us = at;
        rc = lambda_series_record(m, r->next);
    }
    totals(m, sim_series_row(&r->table, r->table.n_buckets));
    return rc;
}

/* Opening the time averages at t = 0 changes none of their results: the statistics window's
 * opening resets them (area, maximum) exactly as it would have. */
int lambda_series_setup(lambda_sim *m, sim_series *pool) {
    lambda_recorder *r = calloc(1, sizeof *r);
    if (!r) return SIM_ENOMEM;
    int rc = sim_series_init_like(&r->table, pool);
    if (rc) {
        free(r);
        return rc;
    }
    r->pool = pool;
    r->table.replications = 1;
    m->series = r;
    sim_timeavg_open(&m->busy_avg, 0);
    sim_timeavg_open(&m->live_avg, 0);
    return sim_calendar_schedule(&m->cal, sim_series_bucket_end(&r->table, 0), LAMBDA_EV_SERIES,
                                 0, 0, NULL);
}

/* The statistics window opens: the time averages restart from zero, so keep what they held. */
void lambda_series_window_open(lambda_sim *m) {
    m->series->busy_base += sim_timeavg_area_at(&m->busy_avg, m->now_us);
    m->series->live_base += sim_timeavg_area_at(&m->live_avg, m->now_us);
}

void lambda_series_merge(lambda_sim *m) { sim_series_merge(m->series->pool, &m->series->table); }

void lambda_series_fini(lambda_sim *m) {
    sim_series_fini(&m->series->table);
    free(m->series);
    m->series = NULL;
}
