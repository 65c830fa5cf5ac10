/* models/lambda_direct.c — triggers with one item per invocation: sync, async, s3, eventbridge.
 *
 * sync: the caller waits. A throttled request is rejected (HTTP 429) and the item is dropped; a
 * failed attempt (error, poison item, timeout) is returned to the caller and the item fails.
 *
 * async (S3 and EventBridge invoke asynchronously too): events go to Lambda's internal queue and
 * are invoked in arrival order. When an invocation is throttled the event goes back to the queue
 * and the queue's poller backs off — 1 s, doubling up to 5 minutes, back to 1 s once an
 * invocation succeeds (AWS-REFERENCE.md: "retried with backoff, 1 s growing to 5 min"), and an
 * environment that finishes takes the next queued event at once. The backoff belongs to the
 * poller, not to each event: with thousands of throttled events, per-event timers in lockstep
 * would leave capacity unused between retries, whereas Lambda keeps draining its queue as fast
 * as concurrency and the scaling rate allow (a concurrency-limited queue is then an M/G/c
 * queue: Erlang C, VALIDATION.md section 3). An event older than max_event_age
 * is dropped (sent to the DLQ / on-failure destination when on_failure: dlq).
 * A failed run is retried max_retries times, 1 minute and then 2 minutes later; then the item
 * fails (DLQ when on_failure: dlq). Delivery is at least once: a transient error strikes after the
 * run did its work, so when a retry of that item succeeds the item has been processed twice — a
 * duplicate. A poison item runs and fails every attempt without producing anything valid, and a
 * timed-out run is taken as not having finished its work: neither makes a duplicate. */
#include <stdlib.h>

#include "models/lambda_internal.h"
#include "sim/error.h"

enum { EV_ERROR_RETRY = LAMBDA_EV_TRIGGER, EV_POLL };

#define BACKOFF_FIRST_US (1 * SIM_US_PER_S)
#define BACKOFF_MAX_US (300 * SIM_US_PER_S)
#define ERROR_RETRY_STEP_US (60 * SIM_US_PER_S) /* 1 min, then 2 min */

/* The internal event queue: a growable ring of job indices, and its poller's state. */
struct lambda_direct_queue {
    int32_t *ring;
    size_t head, count, capacity;
    sim_time_us backoff_us;   /* the poller's current backoff (0: not backing off) */
    bool poll_scheduled;
};
typedef lambda_direct_queue direct_queue;

static bool is_async(const scn_lambda *L) { return L->trigger != SCN_TRIGGER_SYNC; }

static void job_done(lambda_sim *m, int32_t job) {
    lambda_job_free(m, job);
    m->pending--;
}

static direct_queue *queue_of(lambda_sim *m) { return m->queue; }

static int queue_push(direct_queue *q, int32_t job) {
    if (q->count == q->capacity) {
        size_t cap = q->capacity ? 2 * q->capacity : 256;
        int32_t *ring = malloc(cap * sizeof *ring);
        if (!ring) return SIM_ENOMEM;
        for (size_t i = 0; i < q->count; i++) ring[i] = q->ring[(q->head + i) % q->capacity];
        free(q->ring);
        q->ring = ring;
        q->head = 0;
        q->capacity = cap;
    }
    q->ring[(q->head + q->count) % q->capacity] = job;
    q->count++;
    return SIM_OK;
}

static int32_t queue_front(const direct_queue *q) { return q->ring[q->head]; }

static void queue_pop(direct_queue *q) {
    q->head = (q->head + 1) % q->capacity;
    q->count--;
}

static int schedule_poll(lambda_sim *m, direct_queue *q) {
    if (q->poll_scheduled || q->count == 0) return SIM_OK;
    q->backoff_us = q->backoff_us == 0 ? BACKOFF_FIRST_US : 2 * q->backoff_us;
    if (q->backoff_us > BACKOFF_MAX_US) q->backoff_us = BACKOFF_MAX_US;
    q->poll_scheduled = true;
    return sim_calendar_schedule(&m->cal, m->now_us + q->backoff_us, EV_POLL, 0, 0, NULL);
}

/* Invokes queued events in order until one is throttled; drops events past max_event_age. */
static int poll(lambda_sim *m, direct_queue *q) {
    const scn_lambda *L = m->L;
    bool progressed = false;
    while (q->count > 0) {
        int32_t job = queue_front(q);
        lambda_job *j = &m->jobs[job];
        if (m->now_us - j->arrival_us > L->async_max_event_age_us) {
            queue_pop(q);
            lambda_item_dropped(m, j->counted, L->async_on_failure == SCN_ON_FAILURE_DLQ);
            job_done(m, job);
            continue;
        }
        /* Once this poll has invoked, the attempt that finds the capacity full again is the
         * poller seeing that the queue has filled what was freed, not a throttled request: not
         * counted (else every finished invocation of a draining backlog added one throttle). */
        int started = lambda_invoke(m, job, !progressed);
        if (started < 0) return started;
        if (started == 0) break;
        queue_pop(q);
        progressed = true;
    }
    if (progressed || q->count == 0) q->backoff_us = 0;
    return schedule_poll(m, q);
}

/* A new or retried event: straight to an invocation when nothing waits ahead of it. */
static int submit(lambda_sim *m, int32_t job) {
    if (!is_async(m->L)) {
        int started = lambda_invoke(m, job, true);
        if (started < 0) return started;
        if (started == 0) {
            lambda_item_dropped(m, m->jobs[job].counted, false); /* HTTP 429 to the caller */
            job_done(m, job);
            return SIM_OK;
        }
        /* A sync request is never retried, and its end needs only its arrival, which the
         * finish event carries: the job goes back to the pool now, while it is in cache, and
         * the next arrival reuses it. (At 100,000 concurrent invocations, reading it again a
         * second later was a cache miss per invocation.) m->pending still counts it. */
        lambda_job_free(m, job);
        return SIM_OK;
    }
    direct_queue *q = queue_of(m);
    int rc = queue_push(q, job);
    if (rc) return rc;
    /* Alone in the queue: try now (a backoff poll may still be pending from an earlier
     * throttle, but nothing waits ahead of this event). Behind others: wait in line. */
    return q->count == 1 ? poll(m, q) : schedule_poll(m, q);
}

int lambda_direct_init(lambda_sim *m) {
    if (!is_async(m->L)) return SIM_OK;
    direct_queue *q = calloc(1, sizeof *q);
    if (!q) return SIM_ENOMEM;
    m->queue = q;
    return SIM_OK;
}

void lambda_direct_fini(lambda_sim *m) {
    direct_queue *q = queue_of(m);
    if (!q) return;
    free(q->ring);
    free(q);
    m->queue = NULL;
}

int lambda_direct_arrival(lambda_sim *m, const wl_item *item) {
    int32_t job;
    int rc = lambda_job_alloc(m, &job);
    if (rc) return rc;
    lambda_job_from_item(m, &m->jobs[job], item);
    m->pending++;
    return submit(m, job);
}

int lambda_direct_done(lambda_sim *m, int32_t job, lambda_outcome outcome, sim_time_us arrival_us,
                       sim_time_us origin_us) {
    if (!is_async(m->L)) { /* released at its start (submit); counted by its arrival */
        bool counted = arrival_us >= m->warmup_us;
        if (outcome == LAMBDA_OK) lambda_item_completed(m, counted, arrival_us, origin_us, false);
        else lambda_item_failed(m, counted, false);
        m->pending--;
        return SIM_OK;
    }
    lambda_job *j = &m->jobs[job];
    if (outcome == LAMBDA_OK) {
        lambda_item_completed(m, j->counted, j->arrival_us, j->origin_us, j->side_effects);
        job_done(m, job);
        return SIM_OK;
    }
    if (outcome == LAMBDA_ERROR && !j->poison) j->side_effects = true;
    const scn_lambda *L = m->L;
    bool dlq = is_async(L) && L->async_on_failure == SCN_ON_FAILURE_DLQ;
    if (!is_async(L) || j->error_retries >= (uint32_t)L->async_max_retries) {
        lambda_item_failed(m, j->counted, dlq);
        job_done(m, job);
        return SIM_OK;
    }
    j->error_retries++;
    sim_time_us at = m->now_us + ERROR_RETRY_STEP_US * j->error_retries;
    if (at - j->arrival_us > L->async_max_event_age_us) { /* too old to retry */
        lambda_item_failed(m, j->counted, dlq);
        job_done(m, job);
        return SIM_OK;
    }
    return sim_calendar_schedule(&m->cal, at, EV_ERROR_RETRY, (uint32_t)job, 0, NULL);
}

/* An environment became idle: queued events take it now instead of at the next backoff poll, so
 * a queue limited by concurrency drains as fast as invocations finish. */
int lambda_direct_capacity_freed(lambda_sim *m) {
    direct_queue *q = queue_of(m);
    return q && q->count > 0 ? poll(m, q) : SIM_OK;
}

int lambda_direct_event(lambda_sim *m, const sim_event *ev) {
    if (ev->kind == EV_ERROR_RETRY) return submit(m, (int32_t)ev->target);
    SIM_ASSERT(ev->kind == EV_POLL);
    direct_queue *q = queue_of(m);
    q->poll_scheduled = false;
    return poll(m, q);
}

void lambda_direct_backlog(const lambda_sim *m, int64_t *waiting, sim_time_us *next_us) {
    const direct_queue *q = m->queue;
    *waiting = q ? (int64_t)q->count : 0;
    *next_us = q && q->count > 0 ? m->jobs[queue_front(q)].arrival_us : SIM_TIME_NEVER;
}
