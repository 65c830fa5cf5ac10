/* models/lambda_account.c — several Lambda functions in one account (format 1.1).
 *
 * Each function is a lambda_sim of its own — its calendar, workload, environments and trigger,
 * run by the same core (lambda.c) as a lone function — seeing a "view": a shallow copy of the
 * scenario whose lambda and workload are the function's. One replication interleaves them in
 * time order: an indexed binary heap holds each function's next step time (ties: the function
 * listed first), the driver steps the earliest function once and puts it back. Functions meet in
 * two places only:
 *   - concurrency: a function without reserved concurrency may start an environment only while
 *     the busy environments of all such functions are below the account's limit minus the sum
 *     of the reservations; a function with `reserved: N` is capped at N by its own cap and never
 *     waits for others (AWS: reserved concurrency is both a cap and a guarantee);
 *   - pipelines: when a function completes an item, each function fed by it (`from:`) receives
 *     per_item items at that instant (a FIFO per function, whose head is its next arrival), with
 *     their size and work drawn from its own workload; a function that feeds none records the
 *     item's end-to-end latency, from its first stage's arrival (wl_item.origin_us).
 * A Glue or EMR stage (functions[].glue, .emr) is not stepped with them: it is a last stage, so
 * nothing waits for it, and what it is fed stays in its inject queue until the Lambda
 * functions are done; then the batch core (batch.c) runs it on those items, adding their
 * end-to-end latency to the account's.
 * A throttled async or stream function retries on its own backoff timer; a function freeing
 * capacity does not wake another function's queue (only its own), so under account contention
 * an async queue may drain a little slower than on AWS. */
#include "models/lambda_account.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/emr.h"
#include "models/glue.h"
#include "models/lambda_internal.h"
#include "sim/driver.h"
#include "sim/error.h"
#include "sim/interrupt.h"

/* What upstream functions made for a function and it has not taken yet: each item's arrival
 * and origin (its other attributes are drawn when it is taken). A Glue or EMR stage takes
 * nothing until the Lambda functions are done, so its queue stays in order from ring[0] (the
 * ring is re-laid from its head whenever it grows): that array is the stage's feed. */
typedef struct inject_queue {
    batch_arrival *ring;
    size_t head, count, capacity;
} inject_queue;

typedef struct heap_entry {
    sim_time_us key; /* the function's next step time */
    int32_t fn;
} heap_entry;

struct lambda_account {
    const lambda_account_views *views;
    size_t n;
    lambda_sim *sims;
    inject_queue *inject;      /* per function */
    sim_rng *rng_duration;     /* per function (functions_from_trace durations) */
    int64_t unreserved_busy, unreserved_cap;
    int64_t busy, live;
    sim_timeavg busy_avg, live_avg;
    /* the heap of functions by next step time (ties: the function listed first) */
    heap_entry *heap;
    int32_t *pos;              /* each function's place in the heap */
    sim_time_us now_us, warmup_us;
    sim_hist *e2e_us;          /* end-to-end latency of items leaving a last stage */
    /* The only allocation failure a completion can meet is an inject queue growing: it is kept
     * here and reported by the driver after the step (the core's completion path returns
     * nothing). */
    bool inject_failed;
    sim_sums e2e_sums;
    sim_trend e2e_trend;
};

/* ---------------------------------------------------------------- views */

static bool key_written(const scenario *s, const char *path) {
    return scenario_key_pos(s, path, NULL, NULL);
}

int lambda_account_views_init(lambda_account_views *v, const scenario *s) {
    memset(v, 0, sizeof *v);
    v->s = s;
    v->n = s->n_functions;
    v->view = calloc(v->n, sizeof *v->view);
    v->downstream = calloc(v->n, sizeof *v->downstream);
    v->n_downstream = calloc(v->n, sizeof *v->n_downstream);
    v->stage_of = calloc(v->n, sizeof *v->stage_of);
    if (!v->view || !v->downstream || !v->n_downstream || !v->stage_of) {
        lambda_account_views_fini(v);
        return SIM_ENOMEM;
    }
    for (size_t i = 0; i < v->n; i++) {
        const scn_function *fn = &s->functions[i];
        scenario *w = &v->view[i];
        *w = *s;
        w->lambda = fn->lambda;
        /* A stage's view is its job alone (the top-level glue: and emr: are other platforms). */
        bool stage = fn->platform != SCN_STAGE_LAMBDA;
        w->lambda.present = !stage;
        w->glue = fn->platform == SCN_STAGE_GLUE ? fn->glue : (scn_glue){0};
        w->emr = fn->platform == SCN_STAGE_EMR ? fn->emr : (scn_emr){0};
        v->stage_of[i] = stage ? (int32_t)v->n_stages++ : -1;
        w->n_functions = 0; /* a view is one function */
        w->workload = *scenario_function_workload(s, i);
        if (fn->trace) w->workload.trace = *fn->trace;
        if (fn->has_duration) {
            /* Its run time is the trace's (lambda_account_next_item): the workload's work would
             * be drawn for nothing (from streams nothing else reads, so results are the same). */
            sim_dist_constant(&w->workload.work_cpu.dist, 0.0);
            sim_dist_constant(&w->workload.work_cpu_per_mb.dist, 0.0);
            sim_dist_constant(&w->workload.work_io.dist, 0.0);
        }
        /* The first function draws the scenario's own streams, so that it sees the very items
         * Glue and EMR see (common random numbers); the others draw independent ones. */
        w->seed = i == 0 ? s->seed : sim_rng_derive_seed(s->seed, (uint32_t)i, "capsim.function");
        /* services.source: auto is the function's own trigger (the queue or stream between
         * stages, or the bucket that invokes it), with that source's per-item defaults; for a
         * Glue or EMR stage, S3: its upstream function writes each item to a bucket (a PUT)
         * and the job reads it (a GET). */
        scn_services *sv = &w->services;
        if (sv->source == SCN_SOURCE_AUTO) {
            const scn_lambda *L = &fn->lambda;
            sv->resolved_source = stage                           ? SCN_SOURCE_S3
                                  : L->trigger == SCN_TRIGGER_KINESIS ? SCN_SOURCE_KINESIS
                                  : L->trigger == SCN_TRIGGER_SQS   ? SCN_SOURCE_SQS
                                  : L->trigger == SCN_TRIGGER_S3    ? SCN_SOURCE_S3
                                                                    : SCN_SOURCE_NONE;
            if (sv->resolved_source == SCN_SOURCE_S3) {
                if (!key_written(s, "services.s3.gets_per_item")) sv->s3_gets_per_item = 1;
                if (!key_written(s, "services.s3.puts_per_item")) sv->s3_puts_per_item = 1;
            }
            if (sv->resolved_source == SCN_SOURCE_KINESIS &&
                !key_written(s, "services.kinesis.shards"))
                sv->kinesis_shards = L->kinesis_shards;
        }
        if (fn->from >= 0) v->n_downstream[fn->from]++;
    }
    for (size_t i = 0; i < v->n; i++) {
        if (v->n_downstream[i] == 0) continue;
        v->downstream[i] = malloc(v->n_downstream[i] * sizeof *v->downstream[i]);
        if (!v->downstream[i]) {
            lambda_account_views_fini(v);
            return SIM_ENOMEM;
        }
        v->n_downstream[i] = 0;
    }
    for (size_t i = 0; i < v->n; i++) {
        int32_t up = s->functions[i].from;
        if (up >= 0) v->downstream[up][v->n_downstream[up]++] = (int32_t)i;
        v->chained |= up >= 0;
    }
    return SIM_OK;
}

void lambda_account_views_fini(lambda_account_views *v) {
    for (size_t i = 0; v->downstream && i < v->n; i++) free(v->downstream[i]);
    free(v->downstream);
    free(v->n_downstream);
    free(v->stage_of);
    free(v->view);
    memset(v, 0, sizeof *v);
}

/* ---------------------------------------------------------------- core hooks */

void lambda_account_busy(lambda_sim *m, int delta) {
    lambda_account *a = m->acct;
    a->busy += delta;
    if (m->pooled) a->unreserved_busy += delta;
    sim_timeavg_set(&a->busy_avg, m->now_us, a->busy);
}

void lambda_account_live(lambda_sim *m, int delta) {
    lambda_account *a = m->acct;
    a->live += delta;
    sim_timeavg_set(&a->live_avg, m->now_us, a->live);
}

bool lambda_account_room(const lambda_sim *m) {
    return m->acct->unreserved_busy < m->acct->unreserved_cap;
}

static int inject_push(inject_queue *q, sim_time_us arrival_us, sim_time_us origin_us) {
    if (q->count == q->capacity) {
        size_t cap = q->capacity ? 2 * q->capacity : 64;
        batch_arrival *ring = malloc(cap * sizeof *ring);
        if (!ring) return SIM_ENOMEM;
        for (size_t i = 0; i < q->count; i++) ring[i] = q->ring[(q->head + i) % q->capacity];
        free(q->ring);
        q->ring = ring;
        q->head = 0;
        q->capacity = cap;
    }
    q->ring[(q->head + q->count) % q->capacity] = (batch_arrival){arrival_us, origin_us};
    q->count++;
    return SIM_OK;
}

static void heap_fix(lambda_account *a, int32_t f); /* below */

void lambda_account_completed(lambda_sim *m, sim_time_us origin_us) {
    lambda_account *a = m->acct;
    const lambda_account_views *v = a->views;
    int32_t n_down = v->n_downstream[m->fn];
    if (n_down == 0) {
        if (v->chained && origin_us >= a->warmup_us) {
            sim_time_us e2e = m->now_us - origin_us;
            sim_hist_add(a->e2e_us, e2e);
            sim_sums_add(&a->e2e_sums, (double)e2e);
        }
        return;
    }
    for (int32_t k = 0; k < n_down; k++) {
        int32_t d = v->downstream[m->fn][k];
        const scn_function *fn = &v->s->functions[d];
        for (int64_t i = 0; i < fn->per_item; i++)
            if (inject_push(&a->inject[d], m->now_us, origin_us)) {
                a->inject_failed = true;
                return;
            }
        if (v->stage_of[d] < 0) heap_fix(a, d); /* a stage runs after the loop */
    }
}

/* ---------------------------------------------------------------- arrivals of a function */

sim_time_us lambda_account_peek(const lambda_sim *m) {
    if (m->fed) {
        const inject_queue *q = &m->acct->inject[m->fn];
        return q->count ? q->ring[q->head].arrival_us : SIM_TIME_NEVER;
    }
    return workload_peek(&m->wl);
}

bool lambda_account_next_item(lambda_sim *m, wl_item *item) {
    lambda_account *a = m->acct;
    const scn_function *fn = m->function;
    if (m->fed) {
        inject_queue *q = &a->inject[m->fn];
        if (q->count == 0) return false;
        sim_time_us arrival = q->ring[q->head].arrival_us, origin = q->ring[q->head].origin_us;
        q->head = (q->head + 1) % q->capacity;
        q->count--;
        workload_attributes(&m->wl, item);
        item->arrival_us = arrival;
        item->origin_us = origin;
        m->wl.produced++;
    } else if (!workload_next(&m->wl, item)) {
        return false;
    }
    if (fn->has_duration) { /* the trace's own run time replaces workload.work */
        item->cpu_s = 0;
        item->io_s = sim_dist_sample(&fn->duration.dist, &a->rng_duration[m->fn]);
    }
    return true;
}

/* ---------------------------------------------------------------- the heap of functions */

static inline bool before(heap_entry x, heap_entry y) {
    return x.key < y.key || (x.key == y.key && x.fn < y.fn);
}

static inline void heap_place(lambda_account *a, int32_t i, heap_entry e) {
    a->heap[i] = e;
    a->pos[e.fn] = i;
}

/* Moves the entry at i up or down to its place (a hole moves, the entry is written once). */
static void heap_sift(lambda_account *a, int32_t i) {
    int32_t n = (int32_t)a->n;
    heap_entry e = a->heap[i];
    while (i > 0 && before(e, a->heap[(i - 1) / 2])) {
        heap_place(a, i, a->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    for (;;) {
        int32_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && before(a->heap[c + 1], a->heap[c])) c++;
        if (!before(a->heap[c], e)) break;
        heap_place(a, i, a->heap[c]);
        i = c;
    }
    heap_place(a, i, e);
}

/* Whether `top` (the function at the top of the heap, with its new next time) would have to
 * give way to one of the top's children, the earliest of the others. */
static bool runner_up_before(const lambda_account *a, heap_entry top) {
    int32_t n = (int32_t)a->n;
    return (n > 1 && before(a->heap[1], top)) || (n > 2 && before(a->heap[2], top));
}

static void heap_fix(lambda_account *a, int32_t f) {
    int32_t i = a->pos[f];
    a->heap[i].key = lambda_next_time(&a->sims[f]);
    heap_sift(a, i);
}

/* ---------------------------------------------------------------- one replication */

static void account_free(lambda_account *a, bool *setup) {
    for (size_t i = 0; i < a->n; i++) {
        if (setup && setup[i]) lambda_replication_fini(&a->sims[i]);
        if (a->inject) free(a->inject[i].ring);
    }
    free(a->sims);
    free(a->inject);
    free(a->rng_duration);
    free(a->heap);
    free(a->pos);
}

int lambda_account_simulate(const lambda_account_views *v, uint32_t replication,
                            lambda_account_rep *out, lambda_account_pool *pool,
                            sim_progress *progress) {
    const scenario *s = v->s;
    lambda_account a;
    memset(&a, 0, sizeof a);
    a.views = v;
    a.n = v->n;
    a.warmup_us = s->warmup_us;
    /* Each function's latency and duration histograms, then the account's three: only the
     * span of buckets reached is ever written (sim/stats.h), so 2n + 3 of them cost little. */
    sim_hist *hists = malloc((2 * a.n + 3) * sizeof *hists);
    if (!hists) return SIM_ENOMEM;
    sim_hist *acct_lat = &hists[2 * a.n], *acct_dur = acct_lat + 1;
    a.e2e_us = acct_lat + 2;
    sim_hist_init(acct_lat);
    sim_hist_init(acct_dur);
    sim_hist_init(a.e2e_us);
    sim_sums_init(&a.e2e_sums);
    sim_timeavg_init(&a.busy_avg);
    sim_timeavg_init(&a.live_avg);
    a.sims = calloc(a.n, sizeof *a.sims);
    a.inject = calloc(a.n, sizeof *a.inject);
    a.rng_duration = calloc(a.n, sizeof *a.rng_duration);
    a.heap = malloc(a.n * sizeof *a.heap);
    a.pos = malloc(a.n * sizeof *a.pos);
    bool *setup = calloc(a.n, sizeof *setup);
    int rc = a.sims && a.inject && a.rng_duration && a.heap && a.pos && setup
                 ? SIM_OK
                 : SIM_ENOMEM;
    int64_t reserved = 0;
    for (size_t i = 0; i < a.n; i++)
        if (s->functions[i].lambda.reserved > 0) reserved += s->functions[i].lambda.reserved;
    a.unreserved_cap = s->account_limit - reserved;
    for (size_t i = 0; i < a.n && !rc; i++) {
        lambda_sim *m = &a.sims[i];
        if (v->stage_of[i] >= 0) {
            sim_hist_init(&hists[2 * i]); /* merged with the others': empty */
            sim_hist_init(&hists[2 * i + 1]);
            continue;
        }
        rc = lambda_replication_setup(m, &v->view[i], replication, &out->fn[i], NULL,
                                      &hists[2 * i], NULL);
        setup[i] = true; /* fini is safe after a failed set-up */
        m->acct = &a;
        m->fn = (int32_t)i;
        m->function = &s->functions[i];
        m->fed = s->functions[i].from >= 0;
        m->pooled = s->functions[i].lambda.reserved < 0;
        /* Provisioned environments made during set-up are live in the account too. */
        a.live += m->live;
        sim_rng_seed(&a.rng_duration[i], v->view[i].seed, replication, "functions.duration");
    }
    sim_timeavg_set(&a.live_avg, 0, a.live);
    bool opened = false, closed = false;
    sim_time_us end_us = s->warmup_us + s->horizon_us;
    sim_progress_clock clock;
    sim_progress_clock_init(&clock, progress, 0, end_us);
    if (!rc) {
        for (size_t i = 0; i < a.n; i++) {
            sim_time_us next = v->stage_of[i] < 0 ? lambda_next_time(&a.sims[i]) : SIM_TIME_NEVER;
            a.heap[i] = (heap_entry){next, (int32_t)i};
            a.pos[i] = (int32_t)i;
        }
        for (int32_t i = (int32_t)a.n / 2; i >= 0; i--) heap_sift(&a, i);
    }
    uint32_t steps = 0;
    uint64_t produced = 0;
    while (!rc) {
        if (SIM_INTERRUPT_POLL(steps)) {
            rc = SIM_EINTERRUPTED;
            break;
        }
        int32_t f = a.heap[0].fn;
        sim_time_us t = a.heap[0].key;
        if (t == SIM_TIME_NEVER) break;
        /* The account's time averages open at the warmup and close at the end, like each
         * function's own (their window events come first among equal times). */
        if (!opened && t >= s->warmup_us) {
            sim_timeavg_open(&a.busy_avg, s->warmup_us);
            sim_timeavg_open(&a.live_avg, s->warmup_us);
            opened = true;
        }
        if (!closed && t >= end_us) {
            sim_timeavg_close(&a.busy_avg, end_us);
            sim_timeavg_close(&a.live_avg, end_us);
            closed = true;
        }
        lambda_sim *m = &a.sims[f];
        uint64_t before_items = m->wl.produced;
        int r = lambda_account_step(m);
        produced += m->wl.produced - before_items;
        if (r < 0) {
            rc = r;
            break;
        }
        if (a.inject_failed) {
            rc = SIM_ENOMEM;
            break;
        }
        /* Usually the function stepped is still the earliest (a busy function's events come
         * in runs): then only its key changes and the heap stays as it is. (A function it fed
         * during the step may have taken the top already: heap_fix moved it.) */
        int32_t at = a.pos[f];
        heap_entry e = {lambda_next_time(m), f};
        bool stays = e.key == a.heap[at].key || (at == 0 && !runner_up_before(&a, e));
        a.heap[at].key = e.key;
        if (!stays) heap_sift(&a, at);
        sim_progress_clock_tick(&clock, t, produced);
    }
    if (!closed) {
        sim_timeavg_close(&a.busy_avg, end_us);
        sim_timeavg_close(&a.live_avg, end_us);
    }
    for (size_t i = 0; i < a.n && !rc; i++)
        if (v->stage_of[i] < 0) rc = lambda_replication_finish(&a.sims[i]);
    /* The Glue and EMR stages, each on what its upstream completed (in time order). */
    for (size_t i = 0; i < a.n && !rc; i++) {
        int32_t k = v->stage_of[i];
        if (k < 0) continue;
        SIM_ASSERT(a.inject[i].head == 0); /* never taken from: in order from ring[0] */
        batch_feed feed = {a.inject[i].ring, a.inject[i].count, a.e2e_us, &a.e2e_sums};
        rc = s->functions[i].platform == SCN_STAGE_GLUE
                 ? glue_simulate_fed(&v->view[i], s->pricing_table, replication, &out->stage[k],
                                     &pool->stage_latency_us[k], &feed)
                 : emr_simulate_fed(&v->view[i], s->pricing_table, replication, &out->stage[k],
                                    &pool->stage_latency_us[k], &feed);
    }
    if (!rc) {
        sim_progress_clock_finish(&clock, produced);
        for (size_t i = 0; i < a.n; i++) {
            if (v->stage_of[i] >= 0) continue;
            lambda_sim *m = &a.sims[i];
            lambda_rep *o = &out->fn[i];
            o->concurrency_mean = sim_timeavg_mean(&m->busy_avg);
            o->concurrency_max = m->busy_avg.max;
            o->environments_mean = sim_timeavg_mean(&m->live_avg);
            o->environments_max = m->live_avg.max;
            sim_sums_to_moments(&m->latency_s, 1e6, &o->latency_s);
            sim_sums_to_moments(&m->duration_s, 1e6, &o->duration_s);
            lambda_rep_quantiles(o, m->latency_us, m->duration_us);
        }
        lambda_rep *t = &out->total;
        memset(t, 0, sizeof *t);
        sim_moments_init(&t->latency_s);
        sim_moments_init(&t->duration_s);
        sim_moments_init(&t->iterator_age_s);
        sim_trend_init(&t->latency_trend, s->warmup_us, end_us);
        for (size_t i = 0; i < a.n; i++) {
            sim_hist_merge(acct_lat, &hists[2 * i]);
            sim_hist_merge(acct_dur, &hists[2 * i + 1]);
        }
        lambda_rep_quantiles(t, acct_lat, acct_dur);
        t->concurrency_mean = sim_timeavg_mean(&a.busy_avg);
        t->concurrency_max = a.busy_avg.max;
        t->environments_mean = sim_timeavg_mean(&a.live_avg);
        t->environments_max = a.live_avg.max;
        sim_moments e2e;
        sim_sums_to_moments(&a.e2e_sums, 1e6, &e2e);
        out->e2e_mean_s = e2e.n ? e2e.mean : NAN;
        static const double p[5] = {0.50, 0.90, 0.95, 0.99, 0.999};
        for (int k = 0; k < 5; k++)
            out->e2e_q_s[k] = e2e.n ? sim_time_to_s(sim_hist_quantile(a.e2e_us, p[k])) : NAN;
        out->e2e_q_s[5] = e2e.n ? sim_time_to_s(a.e2e_us->max) : NAN;
#pragma omp critical(capsim_lambda_account_pool)
        {
            sim_hist_merge(&pool->lambda.latency_us, acct_lat);
            sim_hist_merge(&pool->lambda.duration_us, acct_dur);
            sim_hist_merge(&pool->e2e_us, a.e2e_us);
        }
    }
    account_free(&a, setup);
    free(setup);
    free(hists);
    return rc;
}

lambda_account_pool *lambda_account_pool_create(const lambda_account_views *v) {
    lambda_account_pool *pool = malloc(sizeof *pool);
    sim_hist *stages = malloc((v->n_stages + 1) * sizeof *stages);
    if (!pool || !stages) {
        free(pool);
        free(stages);
        return NULL;
    }
    sim_hist_init(&pool->lambda.latency_us);
    sim_hist_init(&pool->lambda.duration_us);
    sim_hist_init(&pool->e2e_us);
    for (size_t k = 0; k < v->n_stages; k++) sim_hist_init(&stages[k]);
    pool->stage_latency_us = stages;
    return pool;
}

void lambda_account_pool_destroy(lambda_account_pool *pool) {
    if (!pool) return;
    free(pool->stage_latency_us);
    free(pool);
}

/* ---------------------------------------------------------------- the whole run */

typedef struct account_ctx {
    lambda_rep *fn_reps; /* n_replications x n_functions */
    batch_rep *stage_reps; /* n_replications x n_stages */
    const lambda_account_views *views;
    lambda_account_pool *pool;
    sim_progress *progress;
} account_ctx;

static int account_one(void *ctx, uint32_t replication, void *slot) {
    account_ctx *c = ctx;
    lambda_account_rep *out = slot;
    /* The driver zeroed the slot; the functions' results are zeroed here, as it would. */
    out->fn = c->fn_reps + (size_t)replication * c->views->n;
    memset(out->fn, 0, c->views->n * sizeof *out->fn);
    out->stage = c->stage_reps + (size_t)replication * c->views->n_stages;
    memset(out->stage, 0, c->views->n_stages * sizeof *out->stage);
    return lambda_account_simulate(c->views, replication, slot, c->pool, c->progress);
}

/* The services lines any function's bill has (an S3-triggered ingest and an SQS-fed stage:
 * both), so that the account's lines add up to its total. */
static services_lines account_lines(const lambda_account_views *v) {
    services_lines all = {0};
    for (size_t i = 0; i < v->n; i++) {
        services_lines l = services_used(&v->view[i]);
        all.kinesis |= l.kinesis;
        all.sqs |= l.sqs;
        all.s3 |= l.s3;
        all.step_functions |= l.step_functions;
        all.logs |= l.logs;
    }
    return all;
}

/* x's share of part / whole (0 when whole is). */
static double share(double part, double x, double whole) {
    return whole > 0 ? part * (x / whole) : 0.0;
}

/* Bills an account's functions as AWS bills the account: the duration tiers count the on-demand
 * GB-s of all its functions of one architecture together, and the free tier (a month's first
 * million requests and 400,000 GB-s) is the account's, shared between the architectures in
 * proportion to their use. Each architecture's month is priced once (cost_lambda_month), and
 * each function's lines are its share of it, in proportion to its own usage of each line; with
 * one function this is lambda_bill exactly. usage: scratch for the functions' months. */
static int account_bill(const lambda_account_views *v, const pricing_table *p, lambda_rep *fn,
                        cost_lambda_usage *usage) {
    cost_lambda_usage arch[2] = {{.arch = SCN_ARCH_X86_64}, {.arch = SCN_ARCH_ARM64}};
    bool used[2] = {false, false};
    for (size_t i = 0; i < v->n; i++) {
        if (v->stage_of[i] >= 0) continue; /* Glue or EMR: billed by batch_finish_bill */
        usage[i] = lambda_month_usage(&v->view[i], p, &fn[i]);
        used[usage[i].arch] = true;
        cost_lambda_usage *a = &arch[usage[i].arch];
        a->requests += usage[i].requests;
        a->ondemand_gb_s += usage[i].ondemand_gb_s;
        a->init_gb_s += usage[i].init_gb_s;
        a->provisioned_duration_gb_s += usage[i].provisioned_duration_gb_s;
        a->provisioned_configured_gb_s += usage[i].provisioned_configured_gb_s;
        a->ephemeral_gb_s += usage[i].ephemeral_gb_s;
    }
    bool free_tier = v->s->pricing.free_tier;
    double requests = arch[0].requests + arch[1].requests;
    double gb_s[2] = {arch[0].ondemand_gb_s + arch[0].init_gb_s,
                      arch[1].ondemand_gb_s + arch[1].init_gb_s};
    cost_lambda_bill bill[2];
    for (int a = 0; a < 2; a++) {
        if (!used[a]) continue;
        double free_requests = free_tier ? share(p->lambda_free_requests, arch[a].requests, requests)
                                         : 0.0;
        double free_gb_s = free_tier ? share(p->lambda_free_gb_s, gb_s[a], gb_s[0] + gb_s[1]) : 0.0;
        int rc = cost_lambda_month_allowing(p, &arch[a], free_requests, free_gb_s, &bill[a]);
        if (rc) return rc;
    }
    for (size_t i = 0; i < v->n; i++) {
        if (v->stage_of[i] >= 0) continue;
        const cost_lambda_usage *u = &usage[i], *a = &arch[u->arch];
        const cost_lambda_bill *b = &bill[u->arch];
        cost_lambda_bill mine = {
            .requests = share(b->requests, u->requests, a->requests),
            .compute = share(b->compute, u->ondemand_gb_s, a->ondemand_gb_s),
            .init = share(b->init, u->init_gb_s, a->init_gb_s),
            .provisioned = share(b->provisioned, u->provisioned_configured_gb_s,
                                 a->provisioned_configured_gb_s),
            .provisioned_duration = share(b->provisioned_duration, u->provisioned_duration_gb_s,
                                          a->provisioned_duration_gb_s),
            .ephemeral = share(b->ephemeral, u->ephemeral_gb_s, a->ephemeral_gb_s),
        };
        mine.total = mine.requests + mine.compute + mine.init + mine.provisioned +
                     mine.provisioned_duration + mine.ephemeral;
        lambda_apply_bill(&v->view[i], p, &mine, &fn[i]);
    }
    return SIM_OK;
}

static int add_values(report_section *sec, const char *path, const double *x, size_t n,
                      double pooled) {
    return report_section_add(sec, path, REPORT_REAL, x, n, pooled);
}

int lambda_account_run(const scenario *s, int threads, sim_progress *progress, report *r) {
    size_t n = (size_t)s->replications, nf = s->n_functions;
    lambda_account_views views;
    int rc = lambda_account_views_init(&views, s);
    if (rc) return rc;
    size_t ns = views.n_stages;
    lambda_account_rep *reps = calloc(n, sizeof *reps);
    lambda_rep *fn_reps = calloc(n * nf, sizeof *fn_reps);
    batch_rep *stage_reps = calloc(n * ns + 1, sizeof *stage_reps);
    batch_rep *stage_scratch = calloc(n, sizeof *stage_scratch);
    lambda_rep *scratch = calloc(n, sizeof *scratch);
    double *x = calloc(n, sizeof *x);
    lambda_account_pool *pool = lambda_account_pool_create(&views);
    scenario *acct_view = malloc(sizeof *acct_view);
    if (!reps || !fn_reps || !stage_reps || !stage_scratch || !scratch || !x || !pool ||
        !acct_view)
        rc = SIM_ENOMEM;
    if (!rc) {
        account_ctx ctx = {fn_reps, stage_reps, &views, pool, progress};
        rc = sim_replicate((uint32_t)n, threads, account_one, &ctx, reps, sizeof *reps);
    }
    /* Each replication's functions billed as one account (account_bill); the account's counts
     * and costs are the sums. */
    cost_lambda_usage *usage = rc ? NULL : malloc(nf * sizeof *usage);
    if (!rc && !usage) rc = SIM_ENOMEM;
    double to_month = scenario_horizons_per_month(s);
    for (size_t k = 0; k < n && !rc; k++) {
        rc = account_bill(&views, s->pricing_table, reps[k].fn, usage);
        for (size_t i = 0; i < nf && !rc; i++)
            if (views.stage_of[i] < 0) lambda_rep_accumulate(&reps[k].total, &reps[k].fn[i]);
        /* A Glue or EMR stage's items and bill are the account's too (its bill is the
         * horizon's, scaled to a month: Glue and EMR have no tiers). */
        for (size_t j = 0; j < ns; j++) {
            const batch_rep *b = &reps[k].stage[j];
            lambda_rep *t = &reps[k].total;
            t->items += b->items;
            t->completed += b->completed;
            t->failed += b->failed;
            services_bill_add(&t->cost_services, &b->cost_services);
            t->cost_total += b->cost_usd;
            t->cost_capacity += b->cost_capacity;
            t->cost_per_month += b->cost_usd * to_month;
        }
    }
    free(usage);
    /* The account's workload is what arrived at its first stages (functions fed by none), not
     * every stage's items: the workload section, and the account's cost per 1,000 items (a
     * pipeline's cost per item, as all Glue's). */
    for (size_t k = 0; k < n && !rc; k++) {
        lambda_rep *t = &reps[k].total;
        t->wl_items = t->wl_records = 0;
        t->wl_mb = 0.0;
        for (size_t i = 0; i < nf; i++) {
            if (s->functions[i].from >= 0) continue;
            t->wl_items += reps[k].fn[i].wl_items;
            t->wl_records += reps[k].fn[i].wl_records;
            t->wl_mb += reps[k].fn[i].wl_mb;
        }
        scratch[k] = *t;
    }
    if (!rc) rc = lambda_summarize_workload(scratch, n, r);
    report_section *sec = rc ? NULL : report_add_platform(r, "lambda");
    if (!rc && !sec) rc = SIM_ENOMEM;
    if (!rc) {
        /* The first function's view decides which trigger-specific lines appear. */
        *acct_view = views.view[0];
        services_lines lines = account_lines(&views);
        for (size_t k = 0; k < n; k++) scratch[k] = reps[k].total;
        rc = lambda_summarize_section(acct_view, scratch, n, &pool->lambda, &lines, sec, "");
    }
    /* The stages' own charges (their services are in the services' lines), one line per
     * platform, before capacity, so that the lines above it add up to the total. */
    for (int platform = SCN_STAGE_GLUE; platform <= SCN_STAGE_EMR && !rc; platform++) {
        bool any = false;
        for (size_t k = 0; k < n; k++) x[k] = 0.0;
        for (size_t i = 0; i < nf; i++) {
            if ((int)s->functions[i].platform != platform) continue;
            any = true;
            for (size_t k = 0; k < n; k++) {
                const batch_rep *b = &reps[k].stage[views.stage_of[i]];
                x[k] += b->cost_usd - b->cost_services.total;
            }
        }
        if (!any) continue;
        rc = add_values(sec, platform == SCN_STAGE_GLUE ? "cost_usd.glue" : "cost_usd.emr", x, n,
                        NAN);
        if (!rc) report_section_move_last_before(sec, "cost_usd.capacity");
    }
    if (!rc && views.chained) {
        static const char *const paths[] = {
            "end_to_end_latency_s.p50", "end_to_end_latency_s.p90", "end_to_end_latency_s.p95",
            "end_to_end_latency_s.p99", "end_to_end_latency_s.p999", "end_to_end_latency_s.max"};
        static const double p[5] = {0.50, 0.90, 0.95, 0.99, 0.999};
        const sim_hist *h = &pool->e2e_us;
        for (size_t k = 0; k < n; k++) x[k] = reps[k].e2e_mean_s;
        rc |= add_values(sec, "end_to_end_latency_s.mean", x, n, NAN);
        for (int q = 0; q < 6 && !rc; q++) {
            for (size_t k = 0; k < n; k++) x[k] = reps[k].e2e_q_s[q];
            double pooled = !h->n ? NAN
                            : q < 5 ? sim_time_to_s(sim_hist_quantile(h, p[q]))
                                    : sim_time_to_s(h->max);
            rc |= add_values(sec, paths[q], x, n, pooled);
        }
    }
    if (!rc) {
        for (size_t k = 0; k < n; k++) x[k] = (double)nf;
        rc = report_section_add(sec, "function_count", REPORT_COUNT, x, n, NAN);
    }
    /* Each function, with the same metrics (its percentiles: means of the replications'). */
    char prefix[96];
    size_t overloaded = 0;
    char names[160] = "";
    report_overload first = {0};
    for (size_t i = 0; i < nf && !rc; i++) {
        snprintf(prefix, sizeof prefix, "functions.%s.", s->functions[i].name);
        report_overload o = {0};
        int32_t stage = views.stage_of[i];
        if (stage >= 0) {
            /* A Glue or EMR stage: its platform's metrics (percentiles pooled, as there). */
            for (size_t k = 0; k < n; k++) stage_scratch[k] = reps[k].stage[stage];
            batch_summary_spec spec = s->functions[i].platform == SCN_STAGE_GLUE
                                          ? glue_summary_spec(&views.view[i])
                                          : emr_summary_spec(&views.view[i]);
            rc = batch_summarize_into(&views.view[i], &spec, stage_scratch, n,
                                      &pool->stage_latency_us[stage], sec, prefix, &o);
        } else {
            for (size_t k = 0; k < n; k++) scratch[k] = reps[k].fn[i];
            rc = lambda_summarize_section(&views.view[i], scratch, n, NULL, NULL, sec, prefix);
            lambda_judge_overload(&views.view[i], scratch, n, &o);
        }
        if (o.overloaded) {
            if (overloaded++ == 0) first = o;
            size_t used = strlen(names);
            if (used + strlen(s->functions[i].name) + 8 < sizeof names)
                snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "",
                         s->functions[i].name);
        }
    }
    /* The account is overloaded when any function is: say which. */
    if (!rc && overloaded) {
        sec->overload = first;
        char hint[sizeof first.hint + sizeof names + 64];
        snprintf(hint, sizeof hint, "%zu function(s) fall behind (%s); the first: %s",
                 overloaded, names, first.hint);
        snprintf(sec->overload.hint, sizeof sec->overload.hint, "%.*s",
                 (int)sizeof sec->overload.hint - 1, hint);
    }
    if (!rc) {
        double longest_s = pool->lambda.latency_us.n
                               ? sim_time_to_s(pool->lambda.latency_us.max)
                               : 0.0;
        /* Its free tier is the account's, shared by its functions (account_bill), not one
         * function's as the note on a lone function says. */
        acct_view->pricing.free_tier = false;
        lambda_note_optimism(acct_view, longest_s, sec, r);
    }
    free(reps);
    free(fn_reps);
    free(stage_reps);
    free(stage_scratch);
    free(scratch);
    free(x);
    lambda_account_pool_destroy(pool);
    free(acct_view);
    lambda_account_views_fini(&views);
    return rc;
}
