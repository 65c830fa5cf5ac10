/* models/lambda_internal.h — what the Lambda core (lambda.c) shares with its triggers.
 *
 * The core owns execution environments and concurrency: it starts an invocation if an
 * environment can serve it (or reports a throttle), runs it to its end and tells the trigger the
 * outcome. Triggers own what happens around invocations: lambda_direct.c (sync, async, s3,
 * eventbridge: one item per invocation, retries and the event queue) and lambda_stream.c (kinesis,
 * sqs: batches of records read by pollers). Not a public header: only models/lambda*.c include it. */
#ifndef MODELS_LAMBDA_INTERNAL_H
#define MODELS_LAMBDA_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>


#include "models/lambda.h"
#include "models/pricing.h"
#include "models/workload.h"
#include "sim/calendar.h"
#include "sim/progress.h"
#include "sim/rng.h"
#include "sim/series.h"

/* Calendar event kinds: the core's, then each trigger's own from LAMBDA_EV_TRIGGER on. */
enum {
    LAMBDA_EV_FINISH,
    LAMBDA_EV_EXPIRE,
    LAMBDA_EV_WINDOW_OPEN,
    LAMBDA_EV_WINDOW_CLOSE,
    LAMBDA_EV_PROVISION, /* a provisioned-schedule boundary: arg = window index, target = 1 start */
    LAMBDA_EV_SERIES,    /* record a time bucket (sim/series.h): arg = bucket; changes nothing */
    LAMBDA_EV_TRIGGER = 16
};

typedef enum lambda_outcome { LAMBDA_OK, LAMBDA_ERROR, LAMBDA_TIMEOUT } lambda_outcome;

enum { ENV_FREE, ENV_BUSY, ENV_IDLE }; /* lambda_env.state */

/* One invocation request: an item (direct triggers) or a batch of records (stream triggers).
 * Jobs live in a pool with a free list and are referred to by index. */
typedef struct lambda_job {
    sim_time_us arrival_us;   /* the item's arrival; for a batch its oldest record's */
    sim_time_us origin_us;    /* direct triggers: the item's wl_item.origin_us */
    sim_time_us stored_us;    /* stream triggers: when its oldest record entered the stream or
                                 queue (the iterator age counts from there) */
    double cpu_s, io_s;       /* the invocation's work */
    double error_p;           /* probability that an attempt fails transiently (after its work) */
    double size_mb;
    int64_t records;
    sim_time_us reinit_us;    /* the running attempt re-runs an init that exceeded 10 s (0: no) */
    uint32_t error_retries;   /* retries after failed runs so far */
    uint32_t runs;            /* attempts that ran */
    int32_t next_free;        /* pool link */
    int32_t owner;            /* stream triggers: shard or batch handle */
    bool poison;              /* fails every attempt (after running, producing nothing valid) */
    bool counted;             /* the item arrived after warmup (a batch: any of its records) */
    bool side_effects;        /* a failed attempt already did the work: a later success duplicates */
} lambda_job;

typedef struct lambda_env {
    sim_time_us expire_us;      /* idle: when the keep-alive or max_lifetime timer retires it */
    sim_time_us timer_us;       /* when the pending timer fires */
    sim_time_us retire_us;      /* created + max_lifetime (SIM_TIME_NEVER without) */
    uint64_t create_seq;        /* creation order, for routing: newest */
    int32_t prev, next;         /* MRU list links; next doubles as the free-slot link */
    int32_t pos;                /* index in the newest-heap or random array */
    int32_t job;                /* the running invocation */
    sim_time_us origin_us;      /* accounts: the running direct item's origin (a sync job is
                                   released when it starts) */
    uint8_t state;
    bool provisioned;
    bool deprovision;           /* provisioned, its window ended while busy: remove when done */
    bool timer_pending;
    bool timed_out, failed;     /* outcome of the running attempt */
    sim_event_handle timer;
} lambda_env;

/* Idle environments of one kind, in the structure the routing policy needs. */
typedef struct lambda_idle_set {
    scn_routing routing;
    int32_t count;
    int32_t head;     /* mru: most recently freed */
    int32_t tail;     /* mru: least recently freed */
    int32_t *slots;   /* newest: max-heap on create_seq; random: array */
    int32_t capacity;
} lambda_idle_set;

typedef struct lambda_stream lambda_stream;             /* lambda_stream.c */
typedef struct lambda_recorder lambda_recorder;         /* lambda_series.c */
typedef struct lambda_direct_queue lambda_direct_queue; /* lambda_direct.c */

typedef struct lambda_account lambda_account; /* lambda_account.c */

typedef struct lambda_sim {
    const scenario *s;
    const scn_lambda *L;
    /* Accounts of several functions (lambda_account.c); NULL for a single function. */
    lambda_account *acct;
    int32_t fn;               /* this function's index in the account */
    const scn_function *function; /* its entry in the scenario (account only) */
    bool fed;                 /* its arrivals come from an upstream function (from:) */
    bool pooled;              /* no reservation: shares the account's unreserved pool */
    sim_calendar cal;
    workload_gen wl;
    sim_rng rng_init, rng_keep_alive, rng_errors, rng_routing, rng_lifetime, rng_trigger;
    lambda_env *envs;
    int32_t n_env_slots, free_env;
    uint64_t next_create_seq;
    lambda_idle_set idle_provisioned, idle_ondemand;
    bool expire_fifo;         /* on-demand keep-alive expiries in idle order (lambda.c) */
    lambda_job *jobs;
    int32_t n_job_slots, free_job;
    int64_t busy, live, cap;
    double tokens, token_cap, tokens_per_us;
    sim_time_us tokens_at_us;
    /* The synchronous request-rate limit (10 per second per unit of the concurrency cap), a
     * token bucket holding one second of it; rps_limited is false for triggers it does not
     * apply to (lambda.c: rate_limit_applies). */
    bool rps_limited;
    double rps_tokens, rps_cap, rps_per_us;
    sim_time_us rps_at_us;
    double vcpu;              /* min(memory share, 6, threads) */
    uint64_t ephemeral_billed_mb; /* /tmp above what the price includes (512 MB) */
    sim_time_us now_us, warmup_us, end_us;
    sim_timeavg busy_avg, live_avg;
    bool window_closed;
    int64_t pending;          /* triggers: work not finished (queued, waiting, running) */
    sim_hist *latency_us, *duration_us;
    sim_sums latency_s, duration_s; /* in microseconds; out->latency_s, out->duration_s at the end */
    lambda_stream *stream;    /* Kinesis / SQS state (stream triggers) */
    lambda_direct_queue *queue; /* the async event queue (async, s3, eventbridge) */
    lambda_rep *out;
    sim_progress_clock progress; /* publishes simulated time and items (sim/progress.h) */
    lambda_recorder *series; /* time series (lambda_series.c), only when asked; else NULL */
    double busy_base, live_base, busy_prev, live_prev;
} lambda_sim;

/* ---- core services for triggers (lambda.c) ---- */

/* A new job from the pool, zeroed; SIM_ENOMEM. */
int lambda_job_alloc(lambda_sim *m, int32_t *out);
void lambda_job_free(lambda_sim *m, int32_t job);
/* Fills a job from one item. */
void lambda_job_from_item(lambda_sim *m, lambda_job *j, const wl_item *item);

/* Starts job now if an environment can serve it: returns 1 (started), 0 (throttled: counted in
 * throttles when the job is counted and count_throttle says the attempt is one), or a negative
 * sim_error. */
int lambda_invoke(lambda_sim *m, int32_t job, bool count_throttle);

/* Whether the request-rate limit lets one more invocation through now (always true for the
 * triggers it does not apply to). Takes nothing. */
bool lambda_rate_available(const lambda_sim *m);

/* Item outcomes, counted only when `counted`. origin_us: wl_item.origin_us of the item. */
void lambda_item_completed(lambda_sim *m, bool counted, sim_time_us arrival_us,
                           sim_time_us origin_us, bool duplicate);
void lambda_item_failed(lambda_sim *m, bool counted, bool to_dlq);
void lambda_item_dropped(lambda_sim *m, bool counted, bool to_dlq);

/* ---- time series (lambda_series.c), called only when the replication records one ---- */

/* Starts recording into a table of the pool's shape: opens the time averages at t = 0 and
 * schedules the first boundary. 0 or SIM_ENOMEM. */
int lambda_series_setup(lambda_sim *m, sim_series *pool);
/* LAMBDA_EV_SERIES: records bucket b and schedules the next boundary. */
int lambda_series_record(lambda_sim *m, uint32_t b);
/* LAMBDA_EV_WINDOW_OPEN, before the time averages restart. */
void lambda_series_window_open(lambda_sim *m);
/* After the loop: the boundaries it did not reach, and the end-of-run row. */
int lambda_series_flush(lambda_sim *m);
/* Adds the replication's table into the pool (call inside the pool's critical section). */
void lambda_series_merge(lambda_sim *m);
void lambda_series_fini(lambda_sim *m);

/* ---- triggers ---- */

/* lambda_direct.c: sync, async, s3, eventbridge. init/fini around a replication. */
int lambda_direct_init(lambda_sim *m);
void lambda_direct_fini(lambda_sim *m);
int lambda_direct_arrival(lambda_sim *m, const wl_item *item);
/* An invocation of job (whose item arrived at arrival_us) ended. A sync job was already
 * released when it started: only arrival_us is used. */
int lambda_direct_done(lambda_sim *m, int32_t job, lambda_outcome outcome, sim_time_us arrival_us,
                       sim_time_us origin_us);
int lambda_direct_event(lambda_sim *m, const sim_event *ev);
int lambda_direct_capacity_freed(lambda_sim *m);
/* Items waiting in the async queue, and when the next in line arrived (SIM_TIME_NEVER: none). */
void lambda_direct_backlog(const lambda_sim *m, int64_t *waiting, sim_time_us *next_us);

/* lambda_stream.c: kinesis, sqs. init/fini around a replication; capacity freed is a hint that
 * an environment became available (a waiting poller may start a batch). */
int lambda_stream_init(lambda_sim *m);
void lambda_stream_fini(lambda_sim *m);
int lambda_stream_arrival(lambda_sim *m, const wl_item *item);
int lambda_stream_done(lambda_sim *m, int32_t job, lambda_outcome outcome);
int lambda_stream_event(lambda_sim *m, const sim_event *ev);
int lambda_stream_capacity_freed(lambda_sim *m);
/* Items waiting for a batch (Kinesis: written or not yet, and in throttled batches; SQS: visible
 * in the queue), and since when the oldest next in line waits: stored, as iterator_age_s counts
 * it (a Kinesis record the producer could not write yet: since its write request); SIM_TIME_NEVER
 * when none waits. */
void lambda_stream_backlog(const lambda_sim *m, int64_t *waiting, sim_time_us *stored_us);

/* ---- accounts (lambda_account.c, called by the core only when m->acct is set) ---- */

/* The account's counters follow each function's busy and live environments. */
void lambda_account_busy(lambda_sim *m, int delta);
void lambda_account_live(lambda_sim *m, int delta);
/* Whether the unreserved pool has room for one more environment of a pooled function. */
bool lambda_account_room(const lambda_sim *m);
/* An item completed: the next stages receive theirs; a last stage records end-to-end latency. */
void lambda_account_completed(lambda_sim *m, sim_time_us origin_us);

/* The core's replication pieces, for the account driver: set-up of one function (its own
 * calendar, workload, environments), one step of its loop, the time of its next step
 * (SIM_TIME_NEVER when it has nothing left to do), and the end. */
int lambda_replication_setup(lambda_sim *m, const scenario *s, uint32_t rep, lambda_rep *out,
                             sim_progress *progress, sim_hist hists[2], sim_series *series);
void lambda_replication_fini(lambda_sim *m);
int lambda_replication_finish(lambda_sim *m);
sim_time_us lambda_next_time(lambda_sim *m);
/* accounts: the next item of a function (its workload, or what upstream made for it) */
bool lambda_account_next_item(lambda_sim *m, wl_item *item);
sim_time_us lambda_account_peek(const lambda_sim *m);
int lambda_account_step(lambda_sim *m);

static inline bool lambda_is_stream(const scn_lambda *L) {
    return L->trigger == SCN_TRIGGER_KINESIS || L->trigger == SCN_TRIGGER_SQS;
}

#endif
