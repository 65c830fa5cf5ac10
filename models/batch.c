/* models/batch.c — the batch-platform core (see batch.h for the semantics).
 *
 * One replication: the workload generator supplies items in time order; the calendar holds the
 * schedule's ticks, the end-of-horizon flush and, under a concurrency limit, job ends. As in the
 * Lambda model, arrivals are not put in the calendar: the next one is compared with the
 * calendar's earliest event, and on equal times the calendar goes first (a tick at kT closes
 * the batch before an item arriving at kT joins the next one). */
#include "models/batch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/overload.h"
#include "models/series.h"
#include "models/workload.h"
#include "sim/calendar.h"
#include "sim/error.h"
#include "sim/interrupt.h"

enum {
    EV_TICK,
    EV_FLUSH,
    EV_JOB_END,
    EV_SERIES /* record a time bucket (arg = bucket); changes nothing */
};

typedef struct batch_sim {
    const scenario *s;
    const batch_config *cfg;
    batch_rep *out;
    sim_calendar cal;
    workload_gen wl;
    sim_time_us now_us, warmup_us, end_us;
    /* the pending batch */
    int64_t pending_items;
    double pending_work_s, pending_cpu_s, pending_io_s, pending_mb;
    uint64_t pending_poison_counted; /* poison items after the warmup: they fail */
    int64_t pending_counted;         /* pending items that arrived after the warmup */
    sim_time_us *arrivals_us;        /* arrivals of the pending non-poison items */
    sim_time_us *origins_us;         /* ... and with a feed, their origins (else NULL) */
    size_t n_arrivals, cap_arrivals;
    const batch_feed *feed;          /* cfg->feed: items fed instead of the workload's, or NULL */
    size_t fed;                      /* with a feed: items taken from it so far */
    /* jobs */
    int64_t running;                 /* tracked only under a concurrency limit */
    bool waiting;                    /* a trigger is waiting for a run slot */
    bool retry_at_job_end;           /* a rejected trigger after the horizon: retry then */
    sim_time_us first_refused_us;    /* the first trigger refused since the last run started
                                        (SIM_TIME_NEVER: none): the pending data's wait */
    sim_time_us waiting_trigger_us;
    bool waiting_counted;
    sim_hist *latency_us;
    sim_progress_clock progress;
    sim_series *series;              /* this replication's (NULL: not recording) */
    int64_t billed_milli;            /* billed units x 1000 of the counted jobs started so far */
} batch_sim;

/* Doubles the pending arrivals' arrays (rare: they stop growing at the largest batch). */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int grow_arrivals(batch_sim *m) {
    size_t cap = m->cap_arrivals ? 2 * m->cap_arrivals : 1024;
    sim_time_us *a = realloc(m->arrivals_us, cap * sizeof *a);
    if (!a) return SIM_ENOMEM;
    m->arrivals_us = a;
    if (m->feed) {
        sim_time_us *o = realloc(m->origins_us, cap * sizeof *o);
        if (!o) return SIM_ENOMEM;
        m->origins_us = o;
    }
    m->cap_arrivals = cap;
    return SIM_OK;
}

static inline int push_arrival(batch_sim *m, const wl_item *item) {
    if (m->n_arrivals == m->cap_arrivals) {
        int rc = grow_arrivals(m);
        if (rc) return rc;
    }
    if (m->origins_us) m->origins_us[m->n_arrivals] = item->origin_us;
    m->arrivals_us[m->n_arrivals++] = item->arrival_us;
    return SIM_OK;
}

/* The next arrival: the workload's, or with a feed (fed: m->feed is set) the feed's. */
static inline sim_time_us peek_arrival(const batch_sim *m, bool fed) {
    if (!fed) return workload_peek(&m->wl);
    const batch_feed *f = m->feed;
    return m->fed < f->n ? f->items[m->fed].arrival_us : SIM_TIME_NEVER;
}

static inline void take_arrival(batch_sim *m, bool fed, wl_item *item) {
    if (!fed) {
        workload_next(&m->wl, item);
        return;
    }
    const batch_feed *f = m->feed;
    workload_attributes(&m->wl, item);
    item->arrival_us = f->items[m->fed].arrival_us;
    item->origin_us = f->items[m->fed].origin_us;
    m->fed++;
    m->wl.produced++;
}

/* Starts a job on everything pending, now. The job is counted (and billed) when its batch holds
 * an item that arrived after the warmup — those items are counted, so their processing must be
 * too — or, for an empty scheduled run, when `in_window` says its trigger fired in the horizon. */
static int dispatch(batch_sim *m, sim_time_us trigger_us, bool in_window) {
    bool counted = m->pending_counted > 0 || (m->pending_items == 0 && in_window);
    /* A feed's items that come after the horizon (its upstream draining) are run by jobs of the
     * next period, not billed to this one (batch.h). */
    if (m->feed && trigger_us > m->end_us) counted = false;
    batch_job job = {
        .trigger_us = trigger_us,
        .start_us = m->now_us,
        .items = m->pending_items,
        .work_s = m->pending_work_s,
        .cpu_s = m->pending_cpu_s,
        .io_s = m->pending_io_s,
        .mb = m->pending_mb,
        .counted = counted,
    };
    batch_outcome oc = {0};
    int rc = m->cfg->run(m->cfg->platform, &job, &oc);
    if (rc) return rc;
    SIM_ASSERT(oc.end_us >= m->now_us);
    batch_rep *o = m->out;
    if (counted && m->series) m->billed_milli += llround(oc.billed_units * 1e3);
    if (counted) {
        o->jobs++;
        o->timeouts += oc.killed;
        services_end_batch(m->s, m->s->pricing_table, &o->svc, (double)m->pending_counted);
        sim_moments_add(&o->delay_s, sim_time_to_s(oc.delay_us));
        sim_trend_add(&o->wait_trend, trigger_us,
                      sim_time_to_s(m->now_us - trigger_us + oc.queue_us));
    }
    /* The batch's end is known now, so each item's latency is too: record it and forget it. */
    for (size_t i = 0; i < m->n_arrivals; i++) {
        sim_time_us a = m->arrivals_us[i];
        if (a < m->warmup_us) continue;
        if (oc.killed) {
            o->failed++;
            continue;
        }
        sim_time_us latency_us = oc.end_us - a;
        o->completed++;
        sim_hist_add(m->latency_us, latency_us);
        sim_moments_add(&o->latency_s, sim_time_to_s(latency_us));
    }
    /* Fed through a pipeline: each completed item's end-to-end latency, from its origin (an
     * origin after the warmup means an arrival after it too). */
    for (size_t i = 0; m->origins_us && !oc.killed && i < m->n_arrivals; i++) {
        if (m->origins_us[i] < m->warmup_us) continue;
        sim_time_us e2e_us = oc.end_us - m->origins_us[i];
        sim_hist_add(m->feed->e2e_us, e2e_us);
        sim_sums_add(m->feed->e2e_sums, (double)e2e_us);
    }
    o->failed += m->pending_poison_counted;
    m->pending_items = 0;
    m->pending_work_s = m->pending_cpu_s = m->pending_io_s = m->pending_mb = 0.0;
    m->pending_poison_counted = 0;
    m->pending_counted = 0;
    m->n_arrivals = 0;
    if (m->cfg->max_concurrent > 0) {
        m->running++;
        return sim_calendar_schedule(&m->cal, oc.end_us, EV_JOB_END, 0, 0, NULL);
    }
    return SIM_OK;
}

/* A trigger fires now: start a job, or — at the run limit — fail (reject_at_limit) or wait for
 * a run slot (merging with a waiting trigger). */
static int fire(batch_sim *m, bool counted) {
    if (m->cfg->max_concurrent > 0 && m->running >= m->cfg->max_concurrent) {
        if (m->cfg->reject_at_limit) {
            m->out->rejected += counted;
            if (m->first_refused_us == SIM_TIME_NEVER) m->first_refused_us = m->now_us;
            /* The items wait for the next trigger; after the horizon, without a schedule,
             * none will come: retry when a run ends. */
            if (m->now_us >= m->end_us && m->cfg->trigger.every_us == 0)
                m->retry_at_job_end = true;
            return SIM_OK;
        }
        if (!m->waiting) {
            m->waiting = true;
            m->waiting_trigger_us = m->now_us;
            m->waiting_counted = counted;
        }
        return SIM_OK;
    }
    /* A run after refused ones: its data has waited since the first refusal (the overload test
     * sees that wait grow when runs cannot keep up). */
    sim_time_us trigger_us = m->now_us;
    if (m->first_refused_us != SIM_TIME_NEVER) {
        trigger_us = m->first_refused_us;
        m->first_refused_us = SIM_TIME_NEVER;
    }
    return dispatch(m, trigger_us, counted);
}

/* Inlined in both loops below (GCC would otherwise call it: 5 % of the instructions). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int on_arrival(batch_sim *m, const wl_item *item) {
    batch_rep *o = m->out;
    bool counted = item->arrival_us >= m->warmup_us;
    if (counted) {
        o->wl_items++;
        o->wl_records += (uint64_t)item->records;
        o->wl_mb += item->size_mb;
        o->items++;
        m->pending_counted++;
        services_add_item(m->s, m->s->pricing_table, &o->svc, item->size_mb, item->records, true);
    }
    m->pending_items++;
    m->pending_work_s += item->cpu_s + item->io_s;
    m->pending_cpu_s += item->cpu_s;
    m->pending_io_s += item->io_s;
    m->pending_mb += item->size_mb;
    if (item->poison) {
        m->pending_poison_counted += counted;
    } else {
        int rc = push_arrival(m, item);
        if (rc) return rc;
    }
    int64_t n = m->cfg->trigger.batch_items;
    if (n > 0 && m->pending_items >= n) {
        o->count_triggers++;
        return fire(m, counted);
    }
    return SIM_OK;
}

static int on_tick(batch_sim *m) {
    int rc = SIM_OK;
    /* After the horizon a tick only serves items still pending: the schedule's empty runs from
     * then on are outside what is measured. */
    if (m->now_us <= m->end_us || m->pending_items > 0)
        rc = fire(m, m->now_us > m->warmup_us && m->now_us <= m->end_us);
    if (rc) return rc;
    /* A feed may still bring items after the horizon: ticks go on for them. */
    bool more = m->feed && peek_arrival(m, true) != SIM_TIME_NEVER;
    if (m->now_us < m->end_us || m->pending_items > 0 || more)
        rc = sim_calendar_schedule(&m->cal, m->now_us + m->cfg->trigger.every_us, EV_TICK, 0, 0,
                                   NULL);
    return rc;
}

static int on_job_end(batch_sim *m) {
    m->running--;
    if (m->retry_at_job_end) {
        m->retry_at_job_end = false;
        return m->pending_items > 0 ? fire(m, true) : SIM_OK;
    }
    if (!m->waiting) return SIM_OK;
    m->waiting = false;
    return dispatch(m, m->waiting_trigger_us, m->waiting_counted);
}

/* The running totals of a series row, as they stand now. */
static void series_totals(const batch_sim *m, int64_t *row) {
    sim_time_us to = m->now_us < m->end_us ? m->now_us : m->end_us;
    double fixed_s = to > m->warmup_us ? sim_time_to_s(to - m->warmup_us) : 0.0;
    row[BATCH_SERIES_ITEMS] = (int64_t)m->out->items;
    row[BATCH_SERIES_JOBS] = (int64_t)m->out->jobs;
    row[BATCH_SERIES_BILLED_MILLI] = m->billed_milli + llround(m->cfg->fixed_units_per_s * fixed_s * 1e3);
}

/* The end of bucket b: records, then schedules the next boundary; changes nothing. */
static int on_series(batch_sim *m, uint32_t b) {
    int64_t *row = sim_series_row(m->series, b);
    row[BATCH_SERIES_WAITING] = m->pending_items;
    series_totals(m, row);
    if (b + 1 >= m->series->n_buckets) return SIM_OK;
    return sim_calendar_schedule(&m->cal, sim_series_bucket_end(m->series, b + 1), EV_SERIES, 0,
                                 (int64_t)b + 1, NULL);
}

/* The loop, for a workload (fed false) or a feed: `fed` is a constant in each of the two
 * functions below, each a copy of it, so that the workload's loop tests for no feed (the tests
 * cost it 3 % of its instructions). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int replication_loop_of(batch_sim *m, const bool fed) {
    wl_item item;
    sim_event ev;
    int rc = SIM_OK;
    uint32_t steps = 0;
    for (;;) {
        if (SIM_INTERRUPT_POLL(steps)) return SIM_EINTERRUPTED; /* Ctrl-C (sim/interrupt.h) */
        sim_time_us next_arrival = peek_arrival(m, fed);
        sim_time_us next_event = sim_calendar_peek_time(&m->cal);
        if (next_arrival == SIM_TIME_NEVER && next_event == SIM_TIME_NEVER) break;
        if (next_arrival < next_event) {
            take_arrival(m, fed, &item);
            m->now_us = item.arrival_us;
            rc = on_arrival(m, &item);
        } else {
            if (!sim_calendar_pop(&m->cal, &ev)) break;
            m->now_us = ev.time_us;
            switch (ev.kind) {
            case EV_TICK: rc = on_tick(m); break;
            case EV_FLUSH:
                rc = m->pending_items > 0 ? fire(m, true) : SIM_OK;
                break;
            case EV_JOB_END: rc = on_job_end(m); break;
            case EV_SERIES: rc = on_series(m, (uint32_t)ev.arg); break;
            default: SIM_ASSERT(!"unknown event kind");
            }
        }
        if (rc) return rc;
        sim_progress_clock_tick(&m->progress, m->now_us, m->wl.produced);
    }
    sim_progress_clock_finish(&m->progress, m->wl.produced);
    SIM_ASSERT(m->pending_items == 0 && !m->waiting && !m->retry_at_job_end);
    return SIM_OK;
}

#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int replication_loop_workload(batch_sim *m) { return replication_loop_of(m, false); }
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int replication_loop_fed(batch_sim *m) { return replication_loop_of(m, true); }

static int replication_loop(batch_sim *m) {
    return m->feed ? replication_loop_fed(m) : replication_loop_workload(m);
}

int batch_simulate(const scenario *s, uint32_t replication, const batch_config *cfg,
                   batch_rep *out, sim_hist *pool) {
    batch_sim m;
    memset(&m, 0, sizeof m);
    m.s = s;
    m.cfg = cfg;
    m.out = out;
    m.warmup_us = s->warmup_us;
    m.end_us = s->warmup_us + s->horizon_us;
    m.first_refused_us = SIM_TIME_NEVER;
    m.feed = cfg->feed;
    sim_moments_init(&out->latency_s);
    sim_moments_init(&out->delay_s);
    sim_trend_init(&out->wait_trend, m.warmup_us, m.end_us);
    SIM_ASSERT(cfg->trigger.every_us > 0 || cfg->trigger.batch_items > 0);

    /* On this thread's stack, reused by its next replication; only the span of buckets
     * reached is ever written (sim/stats.h). */
    sim_hist latency_hist;
    m.latency_us = &latency_hist;
    sim_hist_init(m.latency_us);
    int rc = sim_calendar_init(&m.cal, 64);
    if (!rc) rc = workload_init(&m.wl, s, replication, NULL);
    if (!rc && cfg->trigger.every_us > 0)
        rc = sim_calendar_schedule(&m.cal, cfg->trigger.every_us, EV_TICK, 0, 0, NULL);
    else if (!rc) {
        /* The last partial batch: at the end of the horizon, or just after a feed's last item
         * (the calendar goes first among equal times). */
        sim_time_us flush_us = m.end_us;
        const batch_feed *f = cfg->feed;
        if (f && f->n > 0 && f->items[f->n - 1].arrival_us >= flush_us)
            flush_us = f->items[f->n - 1].arrival_us + 1;
        rc = sim_calendar_schedule(&m.cal, flush_us, EV_FLUSH, 0, 0, NULL);
    }
    sim_progress_clock_init(&m.progress, cfg->progress, 0, m.end_us);
    if (!rc && cfg->series) {
        m.series = malloc(sizeof *m.series);
        rc = !m.series ? SIM_ENOMEM : sim_series_init_like(m.series, cfg->series);
        if (rc) {
            free(m.series);
            m.series = NULL;
        } else {
            m.series->replications = 1;
            rc = sim_calendar_schedule(&m.cal, sim_series_bucket_end(m.series, 0), EV_SERIES, 0,
                                       0, NULL);
        }
    }
    if (!rc) rc = replication_loop(&m);
    if (!rc) {
        /* A replication with nothing completed has no latency (NaN: left out of the means). */
        static const double latency_p[5] = {0.50, 0.90, 0.95, 0.99, 0.999};
        bool lat = m.latency_us->n > 0;
        for (int i = 0; i < 5; i++)
            out->latency_q_s[i] =
                lat ? sim_time_to_s(sim_hist_quantile(m.latency_us, latency_p[i])) : NAN;
        out->latency_q_s[5] = lat ? sim_time_to_s(m.latency_us->max) : NAN;
        if (m.series) series_totals(&m, sim_series_row(m.series, m.series->n_buckets));
#pragma omp critical(capsim_batch_pool)
        {
            sim_hist_merge(pool, m.latency_us);
            if (m.series) sim_series_merge(cfg->series, m.series);
        }
    }
    if (m.series) {
        sim_series_fini(m.series);
        free(m.series);
    }
    sim_calendar_fini(&m.cal);
    workload_fini(&m.wl);
    free(m.arrivals_us);
    free(m.origins_us);
    return rc;
}

void batch_finish_bill(const scenario *s, const pricing_table *p, batch_rep *out) {
    services_usage svc = out->svc;
    svc.runs = (double)out->jobs;
    services_price(s, p, &svc, sim_time_to_s(s->horizon_us), false, &out->cost_services);
    out->cost_capacity = out->cost_platform_capacity + out->cost_services.capacity;
    out->cost_usd = out->cost_compute + out->cost_ebs + out->cost_services.total;
}

/* ---------------------------------------------------------------- summary */

typedef double (*rep_getter)(const batch_rep *r, size_t arg);

/* Where a summary's metrics go: a section, each path after a prefix. */
typedef struct summary {
    report_section *sec;
    const char *prefix;
    const batch_rep *reps;
    size_t n;
    double *x; /* scratch: n values */
} summary;

static int add_values(summary *o, const char *path, report_kind kind, double pooled) {
    char full[sizeof ((report_metric *)0)->path];
    snprintf(full, sizeof full, "%s%s", o->prefix, path);
    return report_section_add(o->sec, full, kind, o->x, o->n, pooled);
}

static int add_metric(summary *o, const char *path, report_kind kind, rep_getter get, size_t arg,
                      double pooled) {
    for (size_t i = 0; i < o->n; i++) o->x[i] = get(&o->reps[i], arg);
    return add_values(o, path, kind, pooled);
}

#define GETTER(name, expr) \
    static double get_##name(const batch_rep *r, size_t arg) { (void)arg; return (double)(expr); }
GETTER(wl_items, r->wl_items)
GETTER(wl_records, r->wl_records)
GETTER(wl_mb, r->wl_mb)
GETTER(items, r->items)
GETTER(completed, r->completed)
GETTER(failed, r->failed)
GETTER(jobs, r->jobs)
GETTER(timeouts, r->timeouts)
GETTER(rejected, r->rejected)
GETTER(usage, r->usage[arg])
GETTER(delay_mean, r->delay_s.n ? r->delay_s.mean : NAN)
GETTER(latency_mean, r->latency_s.n ? r->latency_s.mean : NAN)
GETTER(latency_q, r->latency_q_s[arg])
GETTER(cost_total, r->cost_usd)
GETTER(cost_compute, r->cost_compute)
GETTER(cost_ebs, r->cost_ebs)
GETTER(cost_kinesis, r->cost_services.kinesis)
GETTER(cost_sqs, r->cost_services.sqs)
GETTER(cost_s3, r->cost_services.s3)
GETTER(cost_step_functions, r->cost_services.step_functions)
GETTER(cost_logs, r->cost_services.logs)
GETTER(cost_capacity, r->cost_capacity)
GETTER(cost_usage, r->cost_usd - r->cost_capacity)
GETTER(cost_per_1k_items, r->items ? r->cost_usd / (double)r->items * 1000.0 : 0.0)
#undef GETTER

/* Overloaded (models/overload.h) when jobs wait longer and longer for a run slot or the
 * cluster: each run outlasts the trigger period, so the work queues up. Start-up and
 * provisioning are not part of that wait: they do not pile up. */
static void judge_overload(const scenario *s, const batch_summary_spec *spec,
                           const batch_rep *reps, size_t n, report_overload *out) {
    memset(out, 0, sizeof *out);
    if (n == 0) return;
    sim_trend pooled = reps[0].wait_trend;
    for (size_t i = 1; i < n; i++) sim_trend_merge(&pooled, &reps[i].wait_trend);
    overload_fit fit = overload_judge(&pooled, sim_time_to_s(s->horizon_us));
    if (!fit.overloaded) return;
    out->overloaded = true;
    snprintf(out->metric, sizeof out->metric, "queue_s");
    out->growth_per_hour = fit.growth_per_hour_s;
    if (spec->overload_hint) spec->overload_hint(s, fit.capacity_factor, out->hint, sizeof out->hint);
}

int batch_summarize_into(const scenario *s, const batch_summary_spec *spec, const batch_rep *reps,
                         size_t n, const sim_hist *pool, report_section *sec, const char *prefix,
                         report_overload *overload) {
    memset(overload, 0, sizeof *overload);
    double *x = calloc(n ? n : 1, sizeof *x);
    if (!x) return SIM_ENOMEM;
    summary o = {sec, prefix, reps, n, x};
    const double none = NAN;
    int rc = 0;
    rc |= add_metric(&o, "items", REPORT_COUNT, get_items, 0, none);
    rc |= add_metric(&o, "completed", REPORT_COUNT, get_completed, 0, none);
    rc |= add_metric(&o, "failed", REPORT_COUNT, get_failed, 0, none);
    rc |= add_metric(&o, "jobs", REPORT_COUNT, get_jobs, 0, none);
    if (spec->with_timeouts) rc |= add_metric(&o, "timeouts", REPORT_COUNT, get_timeouts, 0, none);
    if (spec->with_rejected)
        rc |= add_metric(&o, "rejected_runs", REPORT_COUNT, get_rejected, 0, none);
    for (size_t u = 0; u < spec->n_usage; u++)
        rc |= add_metric(&o, spec->usage_paths[u], REPORT_REAL, get_usage, u, none);
    if (spec->delay_path)
        rc |= add_metric(&o, spec->delay_path, REPORT_REAL, get_delay_mean, 0, none);
    /* Percentiles over all items of all replications; the ci95 from per-replication ones. */
#define Q(p) (pool->n ? sim_time_to_s(sim_hist_quantile(pool, (p))) : NAN)
    rc |= add_metric(&o, "latency_s.mean", REPORT_REAL, get_latency_mean, 0, none);
    rc |= add_metric(&o, "latency_s.p50", REPORT_REAL, get_latency_q, 0, Q(0.50));
    rc |= add_metric(&o, "latency_s.p90", REPORT_REAL, get_latency_q, 1, Q(0.90));
    rc |= add_metric(&o, "latency_s.p95", REPORT_REAL, get_latency_q, 2, Q(0.95));
    rc |= add_metric(&o, "latency_s.p99", REPORT_REAL, get_latency_q, 3, Q(0.99));
    rc |= add_metric(&o, "latency_s.p999", REPORT_REAL, get_latency_q, 4, Q(0.999));
    rc |= add_metric(&o, "latency_s.max", REPORT_REAL, get_latency_q, 5,
                     pool->n ? sim_time_to_s(pool->max) : NAN);
#undef Q
    rc |= add_metric(&o, "cost_usd.total", REPORT_REAL, get_cost_total, 0, none);
    /* The platform's own charges, the services' lines, then declared capacity and usage. */
    rc |= add_metric(&o, "cost_usd.compute", REPORT_REAL, get_cost_compute, 0, none);
    if (spec->with_ebs) rc |= add_metric(&o, "cost_usd.ebs", REPORT_REAL, get_cost_ebs, 0, none);
    services_lines used = services_used(s);
    if (used.kinesis)
        rc |= add_metric(&o, "cost_usd.kinesis", REPORT_REAL, get_cost_kinesis, 0, none);
    if (used.sqs) rc |= add_metric(&o, "cost_usd.sqs", REPORT_REAL, get_cost_sqs, 0, none);
    if (used.s3) rc |= add_metric(&o, "cost_usd.s3", REPORT_REAL, get_cost_s3, 0, none);
    if (used.step_functions)
        rc |= add_metric(&o, "cost_usd.step_functions", REPORT_REAL, get_cost_step_functions, 0,
                         none);
    if (used.logs) rc |= add_metric(&o, "cost_usd.logs", REPORT_REAL, get_cost_logs, 0, none);
    rc |= add_metric(&o, "cost_usd.capacity", REPORT_REAL, get_cost_capacity, 0, none);
    rc |= add_metric(&o, "cost_usd.usage", REPORT_REAL, get_cost_usage, 0, none);
    /* Glue and EMR have no monthly tiers or free tier: a month is the horizon's cost times the
     * horizons in a month. */
    double to_month = scenario_horizons_per_month(s);
    for (size_t i = 0; i < n; i++) x[i] = reps[i].cost_usd * to_month;
    rc |= add_values(&o, "cost_usd.per_month", REPORT_REAL, none);
    rc |= add_metric(&o, "cost_usd.per_1k_items", REPORT_REAL, get_cost_per_1k_items, 0, none);
    free(x);
    judge_overload(s, spec, reps, n, overload);
    return rc ? SIM_ENOMEM : SIM_OK;
}

int batch_summarize(const scenario *s, const batch_summary_spec *spec, const batch_rep *reps,
                    size_t n, const sim_hist *pool, report *r, report_section **out_section) {
    if (out_section) *out_section = NULL;
    if (r->workload.n == 0) {
        double *x = calloc(n ? n : 1, sizeof *x);
        if (!x) return SIM_ENOMEM;
        summary o = {&r->workload, "", reps, n, x};
        int rc = add_metric(&o, "items", REPORT_COUNT, get_wl_items, 0, NAN);
        rc |= add_metric(&o, "records", REPORT_COUNT, get_wl_records, 0, NAN);
        rc |= add_metric(&o, "mb", REPORT_REAL, get_wl_mb, 0, NAN);
        free(x);
        if (rc) return SIM_ENOMEM;
    }
    report_section *sec = report_add_platform(r, spec->platform);
    if (!sec) return SIM_ENOMEM;
    int rc = batch_summarize_into(s, spec, reps, n, pool, sec, "", &sec->overload);
    if (!rc && out_section) *out_section = sec;
    return rc;
}
