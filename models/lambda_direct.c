/* models/lambda_direct.c — triggers with one item per invocation: sync, async, s3, eventbridge.
 *
 * sync: the caller waits. A throttled request is rejected (HTTP 429) and the item is dropped; a
 * failed attempt (error, poison item, timeout) is returned to the caller and the item fails.
 *
 * async (S3 and EventBridge invoke asynchronously too): the event goes to Lambda's internal queue.
 * A throttled attempt returns the event to the queue and it is retried with backoff — 1 s,
 * doubling, at most 5 minutes (AWS-REFERENCE.md) — until the event is older than max_event_age,
 * when it is dropped (to the DLQ / on-failure destination when on_failure: dlq). A failed run is
 * retried max_retries times, 1 minute and then 2 minutes later; after that the item fails (to the
 * DLQ when on_failure: dlq). Delivery is at least once: a transient error strikes after the run
 * did its work, so when a retry of that item succeeds the item has been processed twice — a
 * duplicate. A poison item fails before doing anything, and a timed-out run is treated as not
 * having finished its work (no duplicate). */
#include "models/lambda_internal.h"
#include "sim/error.h"

enum { EV_ASYNC_RETRY = LAMBDA_EV_TRIGGER };

#define BACKOFF_FIRST_US (1 * SIM_US_PER_S)
#define BACKOFF_MAX_US (300 * SIM_US_PER_S)
#define ERROR_RETRY_STEP_US (60 * SIM_US_PER_S) /* 1 min, then 2 min */

static bool is_async(const scn_lambda *L) { return L->trigger != SCN_TRIGGER_SYNC; }

static void job_done(lambda_sim *m, int32_t job) {
    lambda_job_free(m, job);
    m->pending--;
}

/* Schedules a retry of job at `at`, unless the event would be older than max_event_age then:
 * expired events are dropped (throttled) or failed (after errors). */
static int retry_or_expire(lambda_sim *m, int32_t job, sim_time_us at, bool after_error) {
    const scn_lambda *L = m->L;
    lambda_job *j = &m->jobs[job];
    if (at - j->arrival_us > L->async_max_event_age_us) {
        bool dlq = L->async_on_failure == SCN_ON_FAILURE_DLQ;
        if (after_error) lambda_item_failed(m, j->counted, dlq);
        else lambda_item_dropped(m, j->counted, dlq);
        job_done(m, job);
        return SIM_OK;
    }
    return sim_calendar_schedule(&m->cal, at, EV_ASYNC_RETRY, (uint32_t)job, 0, NULL);
}

static int attempt(lambda_sim *m, int32_t job) {
    int started = lambda_invoke(m, job);
    if (started != 0) return started < 0 ? started : SIM_OK;
    lambda_job *j = &m->jobs[job];
    if (!is_async(m->L)) {
        lambda_item_dropped(m, j->counted, false);
        job_done(m, job);
        return SIM_OK;
    }
    j->backoff_us = j->backoff_us == 0 ? BACKOFF_FIRST_US : 2 * j->backoff_us;
    if (j->backoff_us > BACKOFF_MAX_US) j->backoff_us = BACKOFF_MAX_US;
    return retry_or_expire(m, job, m->now_us + j->backoff_us, false);
}

int lambda_direct_arrival(lambda_sim *m, const wl_item *item) {
    int32_t job;
    int rc = lambda_job_alloc(m, &job);
    if (rc) return rc;
    lambda_job_from_item(m, &m->jobs[job], item);
    m->pending++;
    return attempt(m, job);
}

int lambda_direct_done(lambda_sim *m, int32_t job, lambda_outcome outcome) {
    lambda_job *j = &m->jobs[job];
    if (outcome == LAMBDA_OK) {
        lambda_item_completed(m, j->counted, j->arrival_us, j->side_effects);
        job_done(m, job);
        return SIM_OK;
    }
    if (outcome == LAMBDA_ERROR && !j->poison) j->side_effects = true;
    const scn_lambda *L = m->L;
    if (!is_async(L) || j->error_retries >= (uint32_t)L->async_max_retries) {
        lambda_item_failed(m, j->counted, is_async(L) && L->async_on_failure == SCN_ON_FAILURE_DLQ);
        job_done(m, job);
        return SIM_OK;
    }
    j->error_retries++;
    return retry_or_expire(m, job, m->now_us + ERROR_RETRY_STEP_US * j->error_retries, true);
}

int lambda_direct_event(lambda_sim *m, const sim_event *ev) {
    SIM_ASSERT(ev->kind == EV_ASYNC_RETRY);
    return attempt(m, (int32_t)ev->target);
}
