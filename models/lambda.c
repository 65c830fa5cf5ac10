/* models/lambda.c — the Lambda core: environments, concurrency, invocations (see lambda.h).
 *
 * State of one replication: a pool of execution environments (indices, never pointers, so the
 * pool can grow), two idle sets (provisioned environments serve first), a pool of jobs
 * (invocation requests), the event calendar and the workload generator. Triggers
 * (lambda_direct.c, lambda_stream.c) turn items into jobs and decide what a throttle or a failure
 * means; this file decides whether a job can run, runs it, and reports its outcome.
 *
 * Arrivals are not put in the calendar: the next one is compared with the calendar's earliest
 * event, which saves a heap push and pop per item. On equal times the calendar goes first, so
 * an environment freed at t serves an arrival at t.
 *
 * Keep-alive: each environment has at most one pending timer. When an environment goes idle it
 * gets a retirement time (keep-alive death, or max_lifetime); a timer is armed only if none is
 * pending (or the pending one is later). A timer that fires early (the environment was reused
 * since) re-arms itself. This keeps the calendar at about one entry per environment instead of
 * one stale entry per invocation (600,000 of them at 1,000/s with a 10-minute keep-alive).
 *
 * In the common case — most-recently-used routing, a constant keep-alive, no max_lifetime —
 * on-demand environments die in the order they went idle, which is the order of the idle list
 * from its tail: the list itself is the timer queue (expire_fifo), and the loop compares its
 * tail's death with the calendar and the next arrival. No keep-alive timer enters the calendar,
 * which then holds little more than the running invocations (half the heap at a steady state,
 * one level less to sift). On equal times an expiry goes first, then the calendar, then the
 * arrival: an environment idle for exactly its keep-alive is gone for a request at that instant,
 * as with the timers (armed long before, they came first among equal times). */
#include "models/lambda.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/cost.h"
#include "models/lambda_internal.h"
#include "models/overload.h"
#include "sim/error.h"
#include "sim/interrupt.h"
#include "sim/rng.h"


#define LAMBDA_MB_PER_VCPU 1769.0
#define LAMBDA_MAX_VCPU 6.0
/* The INIT phase of an on-demand environment is limited to 10 s; "if all three tasks do not
 * complete within 10 seconds, Lambda retries the Init phase at the time of the first function
 * invocation with the configured function timeout"
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). So an init
 * longer than 10 s costs 10 s of failed INIT (billed as INIT, since 2025-08-01), then runs again
 * inside the first invocation, whose duration (billed as duration) is the re-run init plus the
 * work, under the timeout: an init longer than the timeout times out every request. capsim takes
 * the re-run init to last as long as the first one would have (AWS does not say; chosen).
 * Provisioned environments are initialised ahead with a longer limit: 130 s or the function's
 * timeout, whichever is higher (same page). */
#define LAMBDA_INIT_MAX_US (10 * SIM_US_PER_S)
#define LAMBDA_PROVISIONED_INIT_MAX_US (130 * SIM_US_PER_S)
#define DAY_US (86400 * SIM_US_PER_S)
#define LAMBDA_MIN_RUN_US SIM_US_PER_MS

/* ---------------------------------------------------------------- idle sets */

static int idle_init(lambda_idle_set *set, scn_routing routing, int32_t capacity) {
    memset(set, 0, sizeof *set);
    set->routing = routing;
    set->head = set->tail = -1;
    if (routing != SCN_ROUTING_MRU) {
        set->capacity = capacity > 0 ? capacity : 1;
        set->slots = malloc((size_t)set->capacity * sizeof *set->slots);
        if (!set->slots) return SIM_ENOMEM;
    }
    return SIM_OK;
}

static int idle_reserve(lambda_idle_set *set, int32_t capacity) {
    if (set->routing == SCN_ROUTING_MRU || capacity <= set->capacity) return SIM_OK;
    int32_t *slots = realloc(set->slots, (size_t)capacity * sizeof *slots);
    if (!slots) return SIM_ENOMEM;
    set->slots = slots;
    set->capacity = capacity;
    return SIM_OK;
}

static void heap_swap(lambda_env *envs, int32_t *slots, int32_t i, int32_t j) {
    int32_t a = slots[i], b = slots[j];
    slots[i] = b;
    slots[j] = a;
    envs[b].pos = i;
    envs[a].pos = j;
}

/* newest: max-heap on create_seq. */
static void heap_sift_up(lambda_env *envs, int32_t *slots, int32_t i) {
    while (i > 0) {
        int32_t parent = (i - 1) / 2;
        if (envs[slots[parent]].create_seq >= envs[slots[i]].create_seq) break;
        heap_swap(envs, slots, i, parent);
        i = parent;
    }
}

static void heap_sift_down(lambda_env *envs, int32_t *slots, int32_t n, int32_t i) {
    for (;;) {
        int32_t l = 2 * i + 1, r = l + 1, best = i;
        if (l < n && envs[slots[l]].create_seq > envs[slots[best]].create_seq) best = l;
        if (r < n && envs[slots[r]].create_seq > envs[slots[best]].create_seq) best = r;
        if (best == i) return;
        heap_swap(envs, slots, i, best);
        i = best;
    }
}

static void idle_add(lambda_sim *m, lambda_idle_set *set, int32_t e) {
    lambda_env *envs = m->envs;
    switch (set->routing) {
    case SCN_ROUTING_MRU:
        envs[e].prev = -1;
        envs[e].next = set->head;
        if (set->head >= 0) envs[set->head].prev = e;
        else set->tail = e;
        set->head = e;
        break;
    case SCN_ROUTING_NEWEST:
        set->slots[set->count] = e;
        envs[e].pos = set->count;
        heap_sift_up(envs, set->slots, set->count);
        break;
    case SCN_ROUTING_RANDOM:
        set->slots[set->count] = e;
        envs[e].pos = set->count;
        break;
    }
    set->count++;
}

static void idle_remove(lambda_sim *m, lambda_idle_set *set, int32_t e) {
    lambda_env *envs = m->envs;
    SIM_ASSERT(set->count > 0);
    set->count--;
    switch (set->routing) {
    case SCN_ROUTING_MRU:
        if (envs[e].prev >= 0) envs[envs[e].prev].next = envs[e].next;
        else set->head = envs[e].next;
        if (envs[e].next >= 0) envs[envs[e].next].prev = envs[e].prev;
        else set->tail = envs[e].prev;
        break;
    case SCN_ROUTING_NEWEST: {
        int32_t i = envs[e].pos;
        if (i != set->count) {
            heap_swap(envs, set->slots, i, set->count);
            heap_sift_down(envs, set->slots, set->count, i);
            heap_sift_up(envs, set->slots, i);
        }
        break;
    }
    case SCN_ROUTING_RANDOM: {
        int32_t i = envs[e].pos, last = set->slots[set->count];
        set->slots[i] = last;
        envs[last].pos = i;
        break;
    }
    }
}

/* Removes and returns the environment the routing policy picks, or -1 when the set is empty. */
static int32_t idle_pick(lambda_sim *m, lambda_idle_set *set) {
    if (set->count == 0) return -1;
    int32_t e;
    switch (set->routing) {
    case SCN_ROUTING_MRU: e = set->head; break;
    case SCN_ROUTING_NEWEST: e = set->slots[0]; break;
    default: e = set->slots[sim_rng_uniform_int(&m->rng_routing, (uint64_t)set->count)]; break;
    }
    idle_remove(m, set, e);
    return e;
}

static lambda_idle_set *idle_set_of(lambda_sim *m, const lambda_env *v) {
    return v->provisioned ? &m->idle_provisioned : &m->idle_ondemand;
}

/* ---------------------------------------------------------------- environments */

static sim_time_us sample_us(const scn_dist *d, sim_rng *rng) {
    return sim_time_from_s(sim_dist_sample(&d->dist, rng));
}

static int env_alloc(lambda_sim *m, bool provisioned, int32_t *out) {
    if (m->free_env < 0) {
        int32_t cap = m->n_env_slots * 2;
        lambda_env *envs = realloc(m->envs, (size_t)cap * sizeof *envs);
        if (!envs) return SIM_ENOMEM;
        m->envs = envs;
        for (int32_t i = cap - 1; i >= m->n_env_slots; i--) {
            envs[i].state = ENV_FREE;
            envs[i].next = m->free_env;
            m->free_env = i;
        }
        m->n_env_slots = cap;
        if (idle_reserve(&m->idle_ondemand, cap) || idle_reserve(&m->idle_provisioned, cap))
            return SIM_ENOMEM;
    }
    int32_t e = m->free_env;
    lambda_env *v = &m->envs[e];
    m->free_env = v->next;
    memset(v, 0, sizeof *v);
    v->prev = v->next = v->job = -1;
    v->provisioned = provisioned;
    v->create_seq = m->next_create_seq++;
    v->retire_us = m->L->has_max_lifetime
                       ? m->now_us + sample_us(&m->L->max_lifetime, &m->rng_lifetime)
                       : SIM_TIME_NEVER;
    m->live++;
    sim_timeavg_set(&m->live_avg, m->now_us, m->live);
    if (m->acct) lambda_account_live(m, 1);
    *out = e;
    return SIM_OK;
}

static void env_release(lambda_sim *m, int32_t e) {
    lambda_env *v = &m->envs[e];
    if (v->timer_pending) sim_calendar_cancel(&m->cal, v->timer);
    v->state = ENV_FREE;
    v->timer_pending = false;
    v->next = m->free_env;
    m->free_env = e;
    m->live--;
    sim_timeavg_set(&m->live_avg, m->now_us, m->live);
    if (m->acct) lambda_account_live(m, -1);
}

static int env_arm_timer(lambda_sim *m, int32_t e) {
    lambda_env *v = &m->envs[e];
    if (v->expire_us == SIM_TIME_NEVER) return SIM_OK;
    if (v->timer_pending && v->timer_us <= v->expire_us) return SIM_OK; /* it will re-arm */
    if (v->timer_pending) sim_calendar_cancel(&m->cal, v->timer);
    v->timer_pending = true;
    v->timer_us = v->expire_us;
    return sim_calendar_schedule(&m->cal, v->expire_us, LAMBDA_EV_EXPIRE, (uint32_t)e, 0, &v->timer);
}

/* A new idle provisioned environment (initialised ahead: no cold start for its first request). */
static int env_provision(lambda_sim *m) {
    int32_t e;
    int rc = env_alloc(m, true, &e);
    if (rc) return rc;
    lambda_env *v = &m->envs[e];
    v->state = ENV_IDLE;
    idle_add(m, &m->idle_provisioned, e);
    v->expire_us = v->retire_us;
    return env_arm_timer(m, e);
}

/* max_lifetime reached: Lambda replaces the environment. A provisioned one is replaced by a new
 * initialised one at once (its init billed, AWS-REFERENCE.md); an on-demand one just goes. */
static int env_recycle(lambda_sim *m, int32_t e) {
    bool provisioned = m->envs[e].provisioned;
    env_release(m, e);
    if (m->now_us >= m->warmup_us) m->out->recycles++;
    if (!provisioned) return SIM_OK;
    if (m->L->init_billed && m->now_us >= m->warmup_us) {
        sim_time_us init_us = sample_us(&m->L->init, &m->rng_init);
        sim_time_us max_us = m->L->timeout_us > LAMBDA_PROVISIONED_INIT_MAX_US
                                 ? m->L->timeout_us
                                 : LAMBDA_PROVISIONED_INIT_MAX_US;
        if (init_us > max_us) init_us = max_us;
        m->out->init_mb_ms += (uint64_t)m->L->memory_mb * (uint64_t)cost_lambda_billed_ms(init_us);
    }
    return env_provision(m);
}

/* The environment finished an invocation: it waits for the next one, until its keep-alive
 * (on-demand) or max_lifetime retires it. */
static inline __attribute__((always_inline)) int env_make_idle(lambda_sim *m, int32_t e) {
    lambda_env *v = &m->envs[e];
    if (v->deprovision) {
        env_release(m, e);
        return SIM_OK;
    }
    if (m->now_us >= v->retire_us) return env_recycle(m, e);
    v->state = ENV_IDLE;
    idle_add(m, idle_set_of(m, v), e);
    if (v->provisioned) {
        v->expire_us = v->retire_us;
    } else {
        sim_time_us death = m->now_us + sample_us(&m->L->keep_alive, &m->rng_keep_alive);
        v->expire_us = death < v->retire_us ? death : v->retire_us;
        if (m->expire_fifo) return SIM_OK; /* its place in the idle list is its timer */
    }
    return env_arm_timer(m, e);
}

static int on_expire(lambda_sim *m, int32_t e) {
    lambda_env *v = &m->envs[e];
    v->timer_pending = false;
    if (v->state != ENV_IDLE) return SIM_OK; /* busy: it re-arms when it goes idle */
    if (v->expire_us > m->now_us) return env_arm_timer(m, e); /* reused since this timer was armed */
    idle_remove(m, idle_set_of(m, v), e);
    if (m->now_us >= v->retire_us) return env_recycle(m, e);
    env_release(m, e);
    return SIM_OK;
}

/* expire_fifo: the least recently used idle on-demand environment dies now. */
static void on_expire_fifo(lambda_sim *m) {
    int32_t e = m->idle_ondemand.tail;
    idle_remove(m, &m->idle_ondemand, e);
    env_release(m, e);
}

/* ---------------------------------------------------------------- provisioned schedule */

/* A schedule window starts (allocate its environments) or ends (remove them: idle ones now,
 * busy ones when their invocation ends). Windows repeat daily; the next occurrence is
 * scheduled here. */
static int on_provision(lambda_sim *m, const sim_event *ev) {
    const scn_provisioned_window *w = &m->L->provisioned_schedule[ev->arg];
    int rc = sim_calendar_schedule(&m->cal, ev->time_us + DAY_US, LAMBDA_EV_PROVISION, ev->target,
                                   ev->arg, NULL);
    if (rc) return rc;
    if (ev->target == 1) {
        for (int64_t i = 0; i < w->count && !rc; i++) rc = env_provision(m);
        return rc;
    }
    for (int32_t e = 0; e < m->n_env_slots; e++) {
        lambda_env *v = &m->envs[e];
        if (v->state == ENV_FREE || !v->provisioned) continue;
        if (v->state == ENV_BUSY) {
            v->deprovision = true;
        } else {
            idle_remove(m, &m->idle_provisioned, e);
            env_release(m, e);
        }
    }
    return SIM_OK;
}

/* ---------------------------------------------------------------- jobs and invocations */

int lambda_job_alloc(lambda_sim *m, int32_t *out) {
    if (m->free_job < 0) {
        int32_t cap = m->n_job_slots ? m->n_job_slots * 2 : 64;
        lambda_job *jobs = realloc(m->jobs, (size_t)cap * sizeof *jobs);
        if (!jobs) return SIM_ENOMEM;
        m->jobs = jobs;
        for (int32_t i = cap - 1; i >= m->n_job_slots; i--) {
            jobs[i].next_free = m->free_job;
            m->free_job = i;
        }
        m->n_job_slots = cap;
    }
    int32_t j = m->free_job;
    m->free_job = m->jobs[j].next_free;
    memset(&m->jobs[j], 0, sizeof m->jobs[j]);
    m->jobs[j].owner = -1;
    *out = j;
    return SIM_OK;
}

void lambda_job_free(lambda_sim *m, int32_t job) {
    m->jobs[job].next_free = m->free_job;
    m->free_job = job;
}

void lambda_job_from_item(lambda_sim *m, lambda_job *j, const wl_item *item) {
    j->arrival_us = item->arrival_us;
    j->origin_us = item->origin_us;
    j->cpu_s = item->cpu_s;
    j->io_s = item->io_s;
    j->size_mb = item->size_mb;
    j->records = item->records;
    j->poison = item->poison;
    j->error_p = m->s->workload.error_rate;
    j->counted = item->arrival_us >= m->warmup_us;
}

/* The synchronous request-rate limit. Each execution environment serves at most 10 requests
 * per second, so a function's synchronous invocations are capped at 10 x its concurrency limit
 * (reserved, else the account's) per second: "Invocation requests per function per Region
 * (synchronous): 10 x concurrent executions limit"
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html, and the AWS Compute
 * Blog, https://aws.amazon.com/blogs/compute/understanding-aws-lambdas-invoke-throttle-limits/:
 * TPS = min(10 x concurrency, concurrency / duration), so functions shorter than 100 ms are
 * rate-limited before they are concurrency-limited). Asynchronous invocations are limited by
 * concurrency only (the quotas page); event source mappings invoke the function synchronously,
 * so Kinesis and SQS batches count. AWS does not say over what window the rate is measured:
 * capsim uses a token bucket holding one second of the rate (chosen), full at t = 0. A
 * rate-throttled request is a throttle like any other (sync: 429; a poller backs off) and is
 * also counted in rps_throttles. */
#define LAMBDA_RPS_PER_CONCURRENCY 10.0
#define LAMBDA_RPS_BUCKET_US SIM_US_PER_S

static bool rate_limit_applies(const scn_lambda *L) {
    return L->trigger == SCN_TRIGGER_SYNC || L->trigger == SCN_TRIGGER_KINESIS ||
           L->trigger == SCN_TRIGGER_SQS;
}

static double rps_level(const lambda_sim *m) {
    double t = m->rps_tokens + (double)(m->now_us - m->rps_at_us) * m->rps_per_us;
    return t < m->rps_cap ? t : m->rps_cap;
}

bool lambda_rate_available(const lambda_sim *m) {
    return !m->rps_limited || rps_level(m) >= 1.0;
}

static bool scale_token_take(lambda_sim *m) {
    double t = m->tokens + (double)(m->now_us - m->tokens_at_us) * m->tokens_per_us;
    m->tokens = t < m->token_cap ? t : m->token_cap;
    m->tokens_at_us = m->now_us;
    if (m->tokens < 1.0) return false;
    m->tokens -= 1.0;
    return true;
}

/* Requests an invocation bills: an async payload counts extra requests above 256 KB. With
 * trigger: async the item itself is taken as the payload (S3 and EventBridge send a small
 * notification instead), up to AWS's 1 MB payload limit: a larger item would be passed by
 * reference (an S3 key), so it is billed as a full 1 MB event. */
#define LAMBDA_ASYNC_MAX_PAYLOAD_KB 1024.0
static uint64_t billed_requests(const lambda_sim *m, const lambda_job *j) {
    if (m->L->trigger != SCN_TRIGGER_ASYNC) return 1;
    double kb = j->size_mb * 1024.0;
    return (uint64_t)cost_lambda_async_requests(kb < LAMBDA_ASYNC_MAX_PAYLOAD_KB ? kb
                                                                               : LAMBDA_ASYNC_MAX_PAYLOAD_KB);
}

int lambda_invoke(lambda_sim *m, int32_t job, bool count_throttle) {
    const scn_lambda *L = m->L;
    lambda_job *j = &m->jobs[job];
    int32_t e = -1;
    bool cold = false;
    bool rate_ok = true;
    if (m->rps_limited) {
        m->rps_tokens = rps_level(m);
        m->rps_at_us = m->now_us;
        rate_ok = m->rps_tokens >= 1.0;
    }
    /* In an account, a function without a reservation also needs room in the unreserved pool
     * (lambda_account.c); its own cap is then the account's limit. */
    if (rate_ok && m->busy < m->cap && (!m->pooled || lambda_account_room(m))) {
        e = idle_pick(m, &m->idle_provisioned);
        if (e < 0) e = idle_pick(m, &m->idle_ondemand);
        if (e < 0 && scale_token_take(m)) {
            int rc = env_alloc(m, false, &e);
            if (rc) return rc;
            cold = true;
        }
    }
    if (e < 0) {
        if (j->counted && count_throttle) {
            m->out->throttles++;
            m->out->rps_throttles += !rate_ok;
        }
        return 0;
    }
    if (m->rps_limited) m->rps_tokens -= 1.0;
    lambda_env *v = &m->envs[e];
    sim_time_us init_us = cold ? sample_us(&L->init, &m->rng_init) : 0;
    sim_time_us exec_us = sim_time_from_s(j->io_s + j->cpu_s / m->vcpu);
    /* An invocation takes at least a millisecond (Lambda's billing step; the runtime's own
     * overhead is of that order). Without a floor, work of 0 s that fails would be retried by a
     * stream trigger at the same instant forever. */
    if (exec_us < LAMBDA_MIN_RUN_US) exec_us = LAMBDA_MIN_RUN_US;
    /* An init longer than 10 s fails after 10 s and is re-run inside the invocation (see
     * LAMBDA_INIT_MAX_US): exec_us becomes the invocation's duration, re-run init included. */
    bool suppressed = init_us > LAMBDA_INIT_MAX_US;
    j->reinit_us = suppressed ? init_us : 0;
    if (suppressed) {
        exec_us += init_us;
        init_us = LAMBDA_INIT_MAX_US;
    }
    bool timed_out = exec_us > L->timeout_us;
    if (timed_out) exec_us = L->timeout_us;
    bool transient = j->error_p > 0 && sim_rng_uniform(&m->rng_errors) < j->error_p;

    v->state = ENV_BUSY;
    v->job = job;
    v->timed_out = timed_out;
    v->failed = timed_out || j->poison || transient;
    j->runs++;
    m->busy++;
    sim_timeavg_set(&m->busy_avg, m->now_us, m->busy);
    if (m->acct) {
        lambda_account_busy(m, 1);
        v->origin_us = j->origin_us;
    }

    if (j->counted) {
        lambda_rep *o = m->out;
        o->invocations++;
        o->requests += billed_requests(m, j);
        o->cold_starts += cold;
        o->provisioned_invocations += v->provisioned;
        o->retries += j->runs > 1;
        o->suppressed_inits += suppressed;
        uint64_t run_ms = (uint64_t)cost_lambda_billed_ms(exec_us);
        uint64_t init_ms = 0;
        if (cold && L->init_billed) {
            /* INIT and invoke rounded together (AWS-REFERENCE.md: unconfirmed, chosen). INIT
             * is at most 10 s here (a longer one was cut to its failed 10 s above). */
            init_ms = (uint64_t)cost_lambda_billed_ms(init_us + exec_us) - run_ms;
        }
        uint64_t mb = (uint64_t)L->memory_mb;
        if (v->provisioned) o->provisioned_duration_mb_ms += mb * run_ms;
        else o->ondemand_mb_ms += mb * run_ms;
        o->init_mb_ms += mb * init_ms;
        o->ephemeral_mb_ms += m->ephemeral_billed_mb * (run_ms + init_ms);
        sim_time_us billed_us = (sim_time_us)run_ms * SIM_US_PER_MS;
        sim_hist_add(m->duration_us, billed_us);
        sim_sums_add(&m->duration_s, (double)billed_us);
    }
    /* The item's arrival travels with the event: the end of a direct invocation needs nothing
     * else from the job (lambda_direct.c releases a sync job as soon as it starts). */
    int rc = sim_calendar_schedule(&m->cal, m->now_us + init_us + exec_us, LAMBDA_EV_FINISH,
                                   (uint32_t)e, j->arrival_us, NULL);
    return rc ? rc : 1;
}

void lambda_item_completed(lambda_sim *m, bool counted, sim_time_us arrival_us,
                           sim_time_us origin_us, bool duplicate) {
    if (m->acct) lambda_account_completed(m, origin_us);
    if (!counted) return;
    sim_time_us latency_us = m->now_us - arrival_us;
    m->out->completed++;
    m->out->duplicates += duplicate;
    sim_hist_add(m->latency_us, latency_us);
    sim_sums_add(&m->latency_s, (double)latency_us);
    sim_trend_add(&m->out->latency_trend, arrival_us, sim_time_to_s(latency_us));
}

void lambda_item_failed(lambda_sim *m, bool counted, bool to_dlq) {
    if (!counted) return;
    m->out->failed++;
    m->out->dlq += to_dlq;
}

void lambda_item_dropped(lambda_sim *m, bool counted, bool to_dlq) {
    if (!counted) return;
    m->out->dropped++;
    m->out->dlq += to_dlq;
}

/* arrival_us: the job's arrival (the event's argument). */
/* Inlined into both loops (replication_loop, lambda_account_step), as it was into the one loop
 * before accounts: out of line it cost a lone function about 2 % more instructions. */
static inline __attribute__((always_inline)) int on_finish(lambda_sim *m, int32_t e,
                                                           sim_time_us arrival_us) {
    lambda_env *v = &m->envs[e];
    int32_t job = v->job;
    sim_time_us origin_us = m->acct ? v->origin_us : arrival_us;
    lambda_outcome outcome = v->timed_out ? LAMBDA_TIMEOUT : v->failed ? LAMBDA_ERROR : LAMBDA_OK;
    bool stream = lambda_is_stream(m->L);
    /* A direct job is counted by its arrival (lambda_job_from_item); a batch by its records. */
    if (v->timed_out && (stream ? m->jobs[job].counted : arrival_us >= m->warmup_us))
        m->out->timeouts++;
    m->busy--;
    sim_timeavg_set(&m->busy_avg, m->now_us, m->busy);
    if (m->acct) lambda_account_busy(m, -1);
    v->job = -1;
    /* A timed-out environment is reset by Lambda: the next request there starts cold. */
    int rc = SIM_OK;
    if (v->timed_out && !v->provisioned) env_release(m, e);
    else rc = env_make_idle(m, e);
    if (rc) return rc;
    if (stream) {
        rc = lambda_stream_done(m, job, outcome);
        if (!rc) rc = lambda_stream_capacity_freed(m);
        return rc;
    }
    rc = lambda_direct_done(m, job, outcome, arrival_us, origin_us);
    return rc ? rc : lambda_direct_capacity_freed(m);
}

/* ---------------------------------------------------------------- one replication */

void lambda_replication_fini(lambda_sim *m) {
    if (lambda_is_stream(m->L)) lambda_stream_fini(m);
    else lambda_direct_fini(m);
    sim_calendar_fini(&m->cal);
    workload_fini(&m->wl);
    free(m->envs);
    free(m->jobs);
    free(m->idle_provisioned.slots);
    free(m->idle_ondemand.slots);
    if (m->series) lambda_series_fini(m);
}

static int64_t max_provisioned(const scn_lambda *L) {
    int64_t k = L->provisioned;
    for (size_t i = 0; i < L->n_provisioned_windows; i++)
        if (L->provisioned_schedule[i].count > k) k = L->provisioned_schedule[i].count;
    return k;
}

/* Initial room for environments beyond the provisioned ones; the pools grow by doubling, so a
 * replication's memory follows the environments it reaches, not its concurrency limit. */
#define LAMBDA_ENV_SLOTS_MIN 64

/* hists: the replication's latency and duration histograms (caller-owned, see lambda_simulate). */
int lambda_replication_setup(lambda_sim *m, const scenario *s, uint32_t rep, lambda_rep *out,
                             sim_progress *progress, sim_hist hists[2], sim_series *series) {
    const scn_lambda *L = &s->lambda;
    memset(m, 0, sizeof *m);
    m->s = s;
    m->L = L;
    m->out = out;
    m->warmup_us = s->warmup_us;
    m->end_us = s->warmup_us + s->horizon_us;
    m->cap = L->reserved >= 0 ? L->reserved : L->account_limit;
    m->token_cap = L->scale_count;
    m->tokens = L->scale_count;
    m->tokens_per_us = L->scale_count / (double)L->scale_period_us;
    m->rps_limited = rate_limit_applies(L) && m->cap > 0;
    m->rps_cap = LAMBDA_RPS_PER_CONCURRENCY * (double)m->cap * (double)LAMBDA_RPS_BUCKET_US /
                 (double)SIM_US_PER_S;
    m->rps_tokens = m->rps_cap;
    m->rps_per_us = LAMBDA_RPS_PER_CONCURRENCY * (double)m->cap / (double)SIM_US_PER_S;
    double share = (double)L->memory_mb / LAMBDA_MB_PER_VCPU;
    if (share > LAMBDA_MAX_VCPU) share = LAMBDA_MAX_VCPU;
    m->vcpu = share < (double)s->workload.work_threads ? share : (double)s->workload.work_threads;
    m->free_env = m->free_job = -1;
    m->expire_fifo = L->routing == SCN_ROUTING_MRU && sim_dist_is_constant(&L->keep_alive.dist) &&
                     !L->has_max_lifetime;
    double included_mb = s->pricing_table->lambda_ephemeral_included_mb;
    m->ephemeral_billed_mb =
        (double)L->ephemeral_mb > included_mb ? (uint64_t)((double)L->ephemeral_mb - included_mb) : 0;
    m->n_env_slots = (int32_t)(max_provisioned(L) + LAMBDA_ENV_SLOTS_MIN);
    sim_timeavg_init(&m->busy_avg);
    sim_timeavg_init(&m->live_avg);
    sim_moments_init(&out->latency_s);
    sim_moments_init(&out->duration_s);
    sim_sums_init(&m->latency_s);
    sim_sums_init(&m->duration_s);
    sim_moments_init(&out->iterator_age_s);
    sim_trend_init(&out->latency_trend, m->warmup_us, m->end_us);

    int rc = sim_calendar_init(&m->cal, (size_t)m->n_env_slots);
    if (rc) return rc;
    rc = workload_init(&m->wl, s, rep, NULL);
    if (rc) return rc;
    sim_rng_seed(&m->rng_init, s->seed, rep, "lambda.cold_start.init");
    sim_rng_seed(&m->rng_keep_alive, s->seed, rep, "lambda.keep_alive");
    sim_rng_seed(&m->rng_errors, s->seed, rep, "lambda.errors");
    sim_rng_seed(&m->rng_routing, s->seed, rep, "lambda.routing");
    sim_rng_seed(&m->rng_lifetime, s->seed, rep, "lambda.max_lifetime");
    sim_rng_seed(&m->rng_trigger, s->seed, rep, "lambda.trigger");
    m->envs = malloc((size_t)m->n_env_slots * sizeof *m->envs);
    if (!m->envs) return SIM_ENOMEM;
    m->latency_us = &hists[0];
    m->duration_us = &hists[1];
    sim_hist_init(m->latency_us);
    sim_hist_init(m->duration_us);
    if ((rc = idle_init(&m->idle_provisioned, L->routing, m->n_env_slots)) ||
        (rc = idle_init(&m->idle_ondemand, L->routing, m->n_env_slots)))
        return rc;
    for (int32_t i = m->n_env_slots - 1; i >= 0; i--) {
        m->envs[i].state = ENV_FREE;
        m->envs[i].next = m->free_env;
        m->free_env = i;
    }
    if ((rc = lambda_is_stream(L) ? lambda_stream_init(m) : lambda_direct_init(m))) return rc;

    /* Scheduled first, so they precede any other event at the same time (FIFO). */
    if ((rc = sim_calendar_schedule(&m->cal, m->warmup_us, LAMBDA_EV_WINDOW_OPEN, 0, 0, NULL)) ||
        (rc = sim_calendar_schedule(&m->cal, m->end_us, LAMBDA_EV_WINDOW_CLOSE, 0, 0, NULL)))
        return rc;
    sim_progress_clock_init(&m->progress, progress, 0, m->end_us);
    if (series && (rc = lambda_series_setup(m, series))) return rc;
    /* Provisioned environments: a constant pool exists, initialised, from t = 0; a schedule's
     * windows (times of day, daily) are allocated ahead so they are ready at `from`. */
    for (int64_t i = 0; i < L->provisioned && !rc; i++) rc = env_provision(m);
    for (size_t i = 0; i < L->n_provisioned_windows && !rc; i++) {
        const scn_provisioned_window *w = &L->provisioned_schedule[i];
        rc = sim_calendar_schedule(&m->cal, w->from_us, LAMBDA_EV_PROVISION, 1, (int64_t)i, NULL);
        if (!rc)
            rc = sim_calendar_schedule(&m->cal, w->to_us, LAMBDA_EV_PROVISION, 0, (int64_t)i, NULL);
    }
    return rc;
}

#define LOOP_DONE 1 /* a step's result: the replication has nothing left to do */

/* One step of a replication's loop: the earliest of the oldest idle environment's expiry
 * (expire_fifo), the next arrival and the next calendar event. `account` (a constant where it
 * is inlined) takes arrivals from lambda_account_next_item instead of the workload. Returns
 * SIM_OK, LOOP_DONE, or an error. */
static inline __attribute__((always_inline)) int loop_step(lambda_sim *m, bool stream,
                                                            bool account) {
    wl_item item;
    sim_event ev;
    int rc = SIM_OK;
    sim_time_us next_arrival = account ? lambda_account_peek(m) : workload_peek(&m->wl);
    sim_time_us next_event = sim_calendar_peek_time(&m->cal);
    if (next_arrival == SIM_TIME_NEVER && m->window_closed && m->pending == 0) return LOOP_DONE;
    int32_t oldest = m->idle_ondemand.tail;
    if (m->expire_fifo && oldest >= 0 && m->envs[oldest].expire_us <= next_event &&
        m->envs[oldest].expire_us <= next_arrival) {
        m->now_us = m->envs[oldest].expire_us;
        on_expire_fifo(m);
    } else if (next_arrival < next_event) {
        if (account) lambda_account_next_item(m, &item);
        else workload_next(&m->wl, &item);
        m->now_us = item.arrival_us;
        if (item.arrival_us >= m->warmup_us) {
            m->out->wl_items++;
            m->out->wl_records += (uint64_t)item.records;
            m->out->wl_mb += item.size_mb;
            m->out->items++;
            services_add_item(m->s, m->s->pricing_table, &m->out->svc, item.size_mb,
                              item.records, false);
        }
        rc = stream ? lambda_stream_arrival(m, &item) : lambda_direct_arrival(m, &item);
    } else {
        if (!sim_calendar_pop(&m->cal, &ev)) return LOOP_DONE;
        m->now_us = ev.time_us;
        switch (ev.kind) {
        case LAMBDA_EV_FINISH: rc = on_finish(m, (int32_t)ev.target, ev.arg); break;
        case LAMBDA_EV_EXPIRE: rc = on_expire(m, (int32_t)ev.target); break;
        case LAMBDA_EV_PROVISION: rc = on_provision(m, &ev); break;
        case LAMBDA_EV_SERIES: rc = lambda_series_record(m, (uint32_t)ev.arg); break;
        case LAMBDA_EV_WINDOW_OPEN:
            if (m->series) lambda_series_window_open(m);
            sim_timeavg_open(&m->busy_avg, m->now_us);
            sim_timeavg_open(&m->live_avg, m->now_us);
            break;
        case LAMBDA_EV_WINDOW_CLOSE:
            sim_timeavg_close(&m->busy_avg, m->now_us);
            sim_timeavg_close(&m->live_avg, m->now_us);
            m->window_closed = true;
            m->out->pending_at_end = m->pending;
            break;
        default:
            SIM_ASSERT(ev.kind >= LAMBDA_EV_TRIGGER);
            rc = stream ? lambda_stream_event(m, &ev) : lambda_direct_event(m, &ev);
            break;
        }
    }
    return rc;
}

/* Out of line: compiled on its own, the loop's code does not depend on what its caller (or the
 * optional time series) adds around it. */
__attribute__((noinline)) static int replication_loop(lambda_sim *m) {
    bool stream = lambda_is_stream(m->L);
    uint32_t steps = 0;
    for (;;) {
        if (SIM_INTERRUPT_POLL(steps)) return SIM_EINTERRUPTED; /* Ctrl-C (sim/interrupt.h) */
        int rc = loop_step(m, stream, false);
        if (rc == LOOP_DONE) break;
        if (rc) return rc;
        sim_progress_clock_tick(&m->progress, m->now_us, m->wl.produced);
    }
    return lambda_replication_finish(m);
}

int lambda_replication_finish(lambda_sim *m) {
    sim_progress_clock_finish(&m->progress, m->wl.produced);
    SIM_ASSERT(m->pending == 0);
    return m->series ? lambda_series_flush(m) : SIM_OK;
}

/* accounts: one step of function m (lambda_account.c picks the function whose turn it is). */
int lambda_account_step(lambda_sim *m) {
    return lambda_is_stream(m->L) ? loop_step(m, true, true) : loop_step(m, false, true);
}

/* accounts: when function m's next step happens, or SIM_TIME_NEVER when it is done (until an
 * upstream function gives it an item: lambda_account_peek then changes). */
sim_time_us lambda_next_time(lambda_sim *m) {
    sim_time_us next_arrival = lambda_account_peek(m);
    sim_time_us next_event = sim_calendar_peek_time(&m->cal);
    if (next_arrival == SIM_TIME_NEVER && m->window_closed && m->pending == 0)
        return SIM_TIME_NEVER;
    sim_time_us t = next_arrival < next_event ? next_arrival : next_event;
    int32_t oldest = m->idle_ondemand.tail;
    if (m->expire_fifo && oldest >= 0 && m->envs[oldest].expire_us < t)
        t = m->envs[oldest].expire_us;
    return t;
}

/* Configured provisioned concurrency in the statistics window, GB-s. Provisioned concurrency
 * is billed "from the time you enable it on your function until it is disabled, rounded up to
 * the nearest 5 minutes" (https://aws.amazon.com/lambda/pricing/). A constant pool is enabled
 * for the whole window (the horizon, rounded up). A schedule window is enabled
 * provisioned_allocation before `from` so that its environments are ready at `from`, and
 * disabled at `to`: each daily occurrence is one configured period [from - allocation, to),
 * rounded up to the table's step as a whole, and the window bills the share of it that falls
 * inside the statistics window (so a period cut by the horizon is not rounded up twice). */
static double provisioned_configured_gb_s(const scenario *s, const pricing_table *p) {
    const scn_lambda *L = &s->lambda;
    double gb = (double)L->memory_mb / 1024.0;
    sim_time_us lo = s->warmup_us, hi = s->warmup_us + s->horizon_us;
    double gb_s = (double)L->provisioned * gb *
                  cost_lambda_provisioned_round(p, sim_time_to_s(s->horizon_us));
    sim_time_us lead = L->provisioned_allocation_us;
    for (int64_t day = lo / DAY_US - 1; day * DAY_US < hi; day++) {
        for (size_t i = 0; i < L->n_provisioned_windows; i++) {
            const scn_provisioned_window *w = &L->provisioned_schedule[i];
            sim_time_us enabled = day * DAY_US + w->from_us - lead;
            sim_time_us disabled = day * DAY_US + w->to_us;
            sim_time_us a = enabled > lo ? enabled : lo, b = disabled < hi ? disabled : hi;
            if (b <= a) continue;
            double period_s = sim_time_to_s(disabled - enabled);
            double share = (double)(b - a) / (double)(disabled - enabled);
            gb_s += (double)w->count * gb * cost_lambda_provisioned_round(p, period_s) * share;
        }
    }
    return gb_s;
}

/* Tiers and the free tier are monthly: a month of the horizon's usage is priced (the horizon
 * times scenario_horizons_per_month), then the bill scaled back to the horizon. */
cost_lambda_usage lambda_month_usage(const scenario *s, const pricing_table *p, lambda_rep *o) {
    const double mb_ms_per_gb_s = 1024.0 * 1000.0;
    double to_month = scenario_horizons_per_month(s);
    o->provisioned_configured_gb_s = provisioned_configured_gb_s(s, p);
    return (cost_lambda_usage){
        .arch = s->lambda.architecture,
        .requests = (double)o->requests * to_month,
        .ondemand_gb_s = (double)o->ondemand_mb_ms / mb_ms_per_gb_s * to_month,
        .init_gb_s = (double)o->init_mb_ms / mb_ms_per_gb_s * to_month,
        .provisioned_duration_gb_s = (double)o->provisioned_duration_mb_ms / mb_ms_per_gb_s * to_month,
        .provisioned_configured_gb_s = o->provisioned_configured_gb_s * to_month,
        .ephemeral_gb_s = (double)o->ephemeral_mb_ms / mb_ms_per_gb_s * to_month,
    };
}

void lambda_apply_bill(const scenario *s, const pricing_table *p, const cost_lambda_bill *month,
                       lambda_rep *o) {
    const cost_lambda_bill bill = *month;
    double to_month = scenario_horizons_per_month(s);
    o->cost_requests = bill.requests / to_month;
    o->cost_compute = (bill.compute + bill.provisioned_duration) / to_month;
    o->cost_init = bill.init / to_month;
    o->cost_provisioned = bill.provisioned / to_month;
    o->cost_ephemeral = bill.ephemeral / to_month;
    /* The services around the function: not tiered, so the horizon's usage priced as is. */
    services_usage svc = o->svc;
    svc.runs = (double)o->invocations;
    services_price(s, p, &svc, sim_time_to_s(s->horizon_us), true, &o->cost_services);
    o->cost_total = bill.total / to_month + o->cost_services.total;
    o->cost_per_month = bill.total + o->cost_services.total * to_month;
    o->cost_capacity = o->cost_provisioned + o->cost_services.capacity;
}

int lambda_bill(const scenario *s, const pricing_table *p, lambda_rep *o) {
    cost_lambda_usage month = lambda_month_usage(s, p, o);
    cost_lambda_bill bill;
    int rc = cost_lambda_month(p, &month, s->pricing.free_tier, &bill);
    if (!rc) lambda_apply_bill(s, p, &bill, o);
    return rc;
}

void lambda_rep_quantiles(lambda_rep *out, const sim_hist *latency_us,
                          const sim_hist *duration_us) {
    /* A replication with nothing completed has no latency (NaN: left out of the means). */
    static const double latency_p[5] = {0.50, 0.90, 0.95, 0.99, 0.999};
    bool lat = latency_us->n > 0, dur = duration_us->n > 0;
    for (int i = 0; i < 5; i++)
        out->latency_q_s[i] = lat ? sim_time_to_s(sim_hist_quantile(latency_us, latency_p[i])) : NAN;
    out->latency_q_s[5] = lat ? sim_time_to_s(latency_us->max) : NAN;
    out->duration_q_s[0] = dur ? sim_time_to_s(sim_hist_quantile(duration_us, 0.50)) : NAN;
    out->duration_q_s[1] = dur ? sim_time_to_s(sim_hist_quantile(duration_us, 0.99)) : NAN;
}

void lambda_rep_accumulate(lambda_rep *t, const lambda_rep *x) {
    t->wl_items += x->wl_items;
    t->wl_records += x->wl_records;
    t->wl_mb += x->wl_mb;
    t->items += x->items;
    t->completed += x->completed;
    t->failed += x->failed;
    t->dropped += x->dropped;
    t->invocations += x->invocations;
    t->cold_starts += x->cold_starts;
    t->provisioned_invocations += x->provisioned_invocations;
    t->throttles += x->throttles;
    t->timeouts += x->timeouts;
    t->retries += x->retries;
    t->duplicates += x->duplicates;
    t->rps_throttles += x->rps_throttles;
    t->suppressed_inits += x->suppressed_inits;
    t->dlq += x->dlq;
    t->recycles += x->recycles;
    t->requests += x->requests;
    sim_moments_merge(&t->iterator_age_s, &x->iterator_age_s);
    sim_moments_merge(&t->latency_s, &x->latency_s);
    sim_moments_merge(&t->duration_s, &x->duration_s);
    sim_trend_merge(&t->latency_trend, &x->latency_trend);
    t->pending_at_end += x->pending_at_end;
    t->ondemand_mb_ms += x->ondemand_mb_ms;
    t->init_mb_ms += x->init_mb_ms;
    t->provisioned_duration_mb_ms += x->provisioned_duration_mb_ms;
    t->ephemeral_mb_ms += x->ephemeral_mb_ms;
    t->provisioned_configured_gb_s += x->provisioned_configured_gb_s;
    t->cost_requests += x->cost_requests;
    t->cost_compute += x->cost_compute;
    t->cost_init += x->cost_init;
    t->cost_provisioned += x->cost_provisioned;
    t->cost_ephemeral += x->cost_ephemeral;
    t->cost_total += x->cost_total;
    services_bill_add(&t->cost_services, &x->cost_services);
    t->cost_capacity += x->cost_capacity;
    t->cost_per_month += x->cost_per_month;
}

int lambda_simulate(const scenario *s, uint32_t replication, lambda_rep *out, lambda_pool *pool,
                    sim_progress *progress) {
    return lambda_simulate_series(s, replication, out, pool, progress, NULL);
}

int lambda_simulate_series(const scenario *s, uint32_t replication, lambda_rep *out,
                           lambda_pool *pool, sim_progress *progress, sim_series *series) {
    lambda_sim m;
    /* On this thread's stack: the next replication on the thread reuses the same (already
     * resident) memory, and only the span of buckets reached is ever written (sim/stats.h). */
    sim_hist hists[2];
    int rc = lambda_replication_setup(&m, s, replication, out, progress, hists, series);
    if (!rc) rc = replication_loop(&m);
    if (!rc) {
        out->concurrency_mean = sim_timeavg_mean(&m.busy_avg);
        out->concurrency_max = m.busy_avg.max;
        out->environments_mean = sim_timeavg_mean(&m.live_avg);
        out->environments_max = m.live_avg.max;
        sim_sums_to_moments(&m.latency_s, 1e6, &out->latency_s); /* microseconds to seconds */
        sim_sums_to_moments(&m.duration_s, 1e6, &out->duration_s);
        lambda_rep_quantiles(out, m.latency_us, m.duration_us);
#pragma omp critical(capsim_lambda_pool)
        {
            sim_hist_merge(&pool->latency_us, m.latency_us);
            sim_hist_merge(&pool->duration_us, m.duration_us);
            if (m.series) lambda_series_merge(&m);
        }
    }
    lambda_replication_fini(&m);
    return rc;
}

/* ---------------------------------------------------------------- summary */

typedef double (*rep_getter)(const lambda_rep *r);

/* The prefix of every path the summary adds ("" for a section of its own, "functions.NAME."
 * for a function of an account); set by lambda_summarize_section. */
static _Thread_local const char *metric_prefix = "";

static int add_metric(report_section *sec, const char *path, report_kind kind,
                      const lambda_rep *reps, size_t n, double *scratch, rep_getter get,
                      double pooled) {
    for (size_t i = 0; i < n; i++) scratch[i] = get(&reps[i]);
    if (!metric_prefix[0]) return report_section_add(sec, path, kind, scratch, n, pooled);
    char full[sizeof sec->metrics[0].path];
    snprintf(full, sizeof full, "%s%s", metric_prefix, path);
    return report_section_add(sec, full, kind, scratch, n, pooled);
}

static double ratio(uint64_t num, uint64_t den) { return den ? (double)num / (double)den : 0.0; }

#define GETTER(name, expr) \
    static double get_##name(const lambda_rep *r) { return (double)(expr); }
GETTER(wl_items, r->wl_items)
GETTER(wl_records, r->wl_records)
GETTER(wl_mb, r->wl_mb)
GETTER(items, r->items)
GETTER(completed, r->completed)
GETTER(failed, r->failed)
GETTER(dropped, r->dropped)
GETTER(invocations, r->invocations)
GETTER(cold_starts, r->cold_starts)
GETTER(cold_start_ratio, ratio(r->cold_starts, r->invocations))
GETTER(provisioned_ratio, ratio(r->provisioned_invocations, r->invocations))
GETTER(throttles, r->throttles)
GETTER(throttle_ratio, ratio(r->throttles, r->invocations + r->throttles))
GETTER(rps_throttles, r->rps_throttles)
GETTER(suppressed_inits, r->suppressed_inits)
GETTER(timeouts, r->timeouts)
GETTER(retries, r->retries)
GETTER(duplicates, r->duplicates)
GETTER(dlq, r->dlq)
GETTER(recycles, r->recycles)
GETTER(iterator_age_mean, r->iterator_age_s.n ? r->iterator_age_s.mean : NAN)
GETTER(iterator_age_max, r->iterator_age_s.n ? r->iterator_age_s.max : NAN)
GETTER(latency_mean, r->latency_s.n ? r->latency_s.mean : NAN)
GETTER(latency_p50, r->latency_q_s[0])
GETTER(latency_p90, r->latency_q_s[1])
GETTER(latency_p95, r->latency_q_s[2])
GETTER(latency_p99, r->latency_q_s[3])
GETTER(latency_p999, r->latency_q_s[4])
GETTER(latency_max, r->latency_q_s[5])
GETTER(duration_mean, r->duration_s.n ? r->duration_s.mean : NAN)
GETTER(duration_p50, r->duration_q_s[0])
GETTER(duration_p99, r->duration_q_s[1])
GETTER(concurrency_mean, r->concurrency_mean)
GETTER(concurrency_max, r->concurrency_max)
GETTER(environments_mean, r->environments_mean)
GETTER(environments_max, r->environments_max)
GETTER(cost_total, r->cost_total)
GETTER(cost_requests, r->cost_requests)
GETTER(cost_compute, r->cost_compute)
GETTER(cost_init, r->cost_init)
GETTER(cost_provisioned, r->cost_provisioned)
GETTER(cost_ephemeral, r->cost_ephemeral)
GETTER(cost_per_month, r->cost_per_month)
GETTER(cost_kinesis, r->cost_services.kinesis)
GETTER(cost_sqs, r->cost_services.sqs)
GETTER(cost_s3, r->cost_services.s3)
GETTER(cost_step_functions, r->cost_services.step_functions)
GETTER(cost_logs, r->cost_services.logs)
GETTER(cost_capacity, r->cost_capacity)
GETTER(cost_usage, r->cost_total - r->cost_capacity)
/* Per 1,000 items of the workload: a lone function's items, an account's first stages' (an
 * account sets its total's wl_items to those, not every stage's). */
GETTER(cost_per_1k_items, r->wl_items ? r->cost_total / (double)r->wl_items * 1000.0 : 0.0)
#undef GETTER

/* What would let the function keep up, for its trigger: the throughput it needs is about
 * `factor` times what it has (models/overload.h). */
static void overload_hint(const scenario *s, double factor, char *buf, size_t len) {
    const scn_lambda *L = &s->lambda;
    char need[48] = "";
    if (isfinite(factor)) snprintf(need, sizeof need, "about %.3gx its throughput", factor);
    else snprintf(need, sizeof need, "far more throughput");
    int64_t cap = L->reserved >= 0 ? L->reserved : L->account_limit;
    switch (L->trigger) {
    case SCN_TRIGGER_KINESIS:
        snprintf(buf, len,
                 "the consumer falls behind the stream and needs %s: more shards "
                 "(lambda.kinesis.shards, now %lld), a higher parallelization_factor (now %lld, "
                 "up to 10), larger batches, or more memory (now %lld MB)",
                 need, (long long)L->kinesis_shards, (long long)L->kinesis_parallelization,
                 (long long)L->memory_mb);
        break;
    case SCN_TRIGGER_SQS:
        snprintf(buf, len,
                 "messages wait longer and longer in the queue; it needs %s: a higher "
                 "lambda.sqs.max_concurrency (now %lld), larger batches, or more memory "
                 "(now %lld MB)",
                 need, (long long)L->sqs_max_concurrency, (long long)L->memory_mb);
        break;
    default:
        snprintf(buf, len,
                 "events wait longer and longer in Lambda's async queue; it needs %s: more "
                 "concurrency (the cap is %lld: lambda.concurrency.%s) or more memory (now "
                 "%lld MB)",
                 need, (long long)cap, L->reserved >= 0 ? "reserved" : "account_limit",
                 (long long)L->memory_mb);
        break;
    }
}

/* Overloaded (models/overload.h): the latency of the items grows steadily with their arrival
 * time, or — for a backlog the trend cannot see, such as one huge burst — more than half of the
 * horizon's items were still waiting when it ended. A sync function never queues: what it
 * cannot serve is throttled (and counted as not completed) instead. The backlog test is left out
 * for stream triggers whose batch window is a tenth of the horizon or more, where waiting for
 * the window is normal. */
void lambda_judge_overload(const scenario *s, const lambda_rep *reps, size_t n, report_overload *out) {
    const scn_lambda *L = &s->lambda;
    memset(out, 0, sizeof *out);
    if (L->trigger == SCN_TRIGGER_SYNC || n == 0) return;
    sim_trend pooled = reps[0].latency_trend;
    double pending = (double)reps[0].pending_at_end, items = (double)reps[0].items;
    for (size_t i = 1; i < n; i++) {
        sim_trend_merge(&pooled, &reps[i].latency_trend);
        pending += (double)reps[i].pending_at_end;
        items += (double)reps[i].items;
    }
    double horizon_s = sim_time_to_s(s->horizon_us);
    overload_fit fit = overload_judge(&pooled, horizon_s);
    sim_time_us window_us = L->trigger == SCN_TRIGGER_KINESIS ? L->kinesis_batch_window_us
                            : L->trigger == SCN_TRIGGER_SQS   ? L->sqs_batch_window_us
                                                              : 0;
    bool backlog = pending > 0.5 * items && items > 0 && 10 * window_us < s->horizon_us;
    if (!fit.overloaded && !backlog) return;
    out->overloaded = true;
    if (fit.overloaded) {
        snprintf(out->metric, sizeof out->metric, "%s",
                 L->trigger == SCN_TRIGGER_KINESIS ? "iterator_age_s" : "latency_s");
        out->growth_per_hour = fit.growth_per_hour_s;
    } else {
        snprintf(out->metric, sizeof out->metric, "backlog_items");
        out->growth_per_hour = pending / (double)n / (horizon_s / 3600.0);
    }
    overload_hint(s, fit.overloaded ? fit.capacity_factor : INFINITY, out->hint,
                  sizeof out->hint);
}

/* Where capsim is optimistic about Lambda, said beside the results when it matters:
 * - a long backlog in the async queue: capsim's poller retries throttled events with a backoff
 *   capped at 5 minutes and keeps each until max_event_age; under a long backlog AWS lengthens
 *   its retry interval and may drop events before then ("Lambda retries ... with exponential
 *   backoff"; https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html);
 * - the free tier: per account (and shared by every function in it), while capsim gives it all
 *   to this function (https://aws.amazon.com/lambda/pricing/);
 * - arm64: capsim runs it at x86_64's speed; only the price differs. */
#define LAMBDA_LONG_BACKLOG_S (15 * 60.0)
void lambda_note_optimism(const scenario *s, double longest_s, const report_section *sec, report *r) {
    const scn_lambda *L = &s->lambda;
    bool async = L->trigger == SCN_TRIGGER_ASYNC || L->trigger == SCN_TRIGGER_S3 ||
                 L->trigger == SCN_TRIGGER_EVENTBRIDGE;
    if (async && (sec->overload.overloaded || longest_s >= LAMBDA_LONG_BACKLOG_S))
        report_add_note(r, "lambda: events waited up to %.0f min in the async queue; capsim "
                        "retries them at most 5 minutes apart until max_event_age, but under a "
                        "long backlog AWS lengthens its retry interval and may drop events "
                        "sooner: expect worse on AWS", longest_s / 60.0);
    if (s->pricing.free_tier)
        report_add_note(r, "lambda: the free tier is per account and shared by all its "
                        "functions; capsim gives all of it to this one (optimistic if others "
                        "use it)");
    if (L->architecture == SCN_ARCH_ARM64)
        report_add_note(r, "lambda: arm64 is simulated at x86_64's speed (only its price "
                        "differs); measure your code on Graviton before trusting the saving");
}

int lambda_summarize(const scenario *s, const lambda_rep *reps, size_t n,
                     const lambda_pool *pool, report *r) {
    int rc = lambda_summarize_workload(reps, n, r);
    report_section *sec = rc ? NULL : report_add_platform(r, "lambda");
    if (!sec) return SIM_ENOMEM;
    rc = lambda_summarize_section(s, reps, n, pool, NULL, sec, "");
    if (!rc) lambda_judge_overload(s, reps, n, &sec->overload);
    if (!rc) lambda_note_optimism(s, pool->latency_us.n ? sim_time_to_s(pool->latency_us.max) : 0.0,
                           sec, r);
    return rc;
}

int lambda_summarize_workload(const lambda_rep *reps, size_t n, report *r) {
    double *x = calloc(n ? n : 1, sizeof *x);
    if (!x) return SIM_ENOMEM;
    const double none = NAN;
    int rc = 0;
    report_section *wl = &r->workload;
    rc |= add_metric(wl, "items", REPORT_COUNT, reps, n, x, get_wl_items, none);
    rc |= add_metric(wl, "records", REPORT_COUNT, reps, n, x, get_wl_records, none);
    rc |= add_metric(wl, "mb", REPORT_REAL, reps, n, x, get_wl_mb, none);
    free(x);
    return rc ? SIM_ENOMEM : SIM_OK;
}

int lambda_summarize_section(const scenario *s, const lambda_rep *reps, size_t n,
                             const lambda_pool *pool, const services_lines *lines,
                             report_section *sec, const char *prefix) {
    double *x = calloc(n ? n : 1, sizeof *x);
    if (!x) return SIM_ENOMEM;
    const double none = NAN;
    int rc = 0;
    metric_prefix = prefix;
    /* Without a pool (a function of an account), percentiles are the means of the
     * replications' own. */
    static const sim_hist empty_hist; /* n = 0: every pooled value NaN */
    const sim_hist *lat = pool ? &pool->latency_us : &empty_hist;
    const sim_hist *dur = pool ? &pool->duration_us : &empty_hist;
    bool any_suppressed = false;
    for (size_t i = 0; i < n; i++) any_suppressed |= reps[i].suppressed_inits > 0;
#define Q(h, p) ((h)->n ? sim_time_to_s(sim_hist_quantile((h), (p))) : NAN)
    struct {
        const char *path;
        report_kind kind;
        rep_getter get;
        double pooled;
    } table[] = {
        {"items", REPORT_COUNT, get_items, none},
        {"completed", REPORT_COUNT, get_completed, none},
        {"failed", REPORT_COUNT, get_failed, none},
        {"dropped", REPORT_COUNT, get_dropped, none},
        {"invocations", REPORT_COUNT, get_invocations, none},
        {"cold_starts", REPORT_COUNT, get_cold_starts, none},
        {"cold_start_ratio", REPORT_REAL, get_cold_start_ratio, none},
        {"provisioned_ratio", REPORT_REAL, get_provisioned_ratio, none},
        {"throttles", REPORT_COUNT, get_throttles, none},
        {"throttle_ratio", REPORT_REAL, get_throttle_ratio, none},
        {"timeouts", REPORT_COUNT, get_timeouts, none},
        {"retries", REPORT_COUNT, get_retries, none},
        {"duplicates", REPORT_COUNT, get_duplicates, none},
        {"dlq", REPORT_COUNT, get_dlq, none},
        {"recycles", REPORT_COUNT, get_recycles, none},
        /* Percentiles over all items of all replications; the ci95 from per-replication ones. */
        {"latency_s.mean", REPORT_REAL, get_latency_mean, none},
        {"latency_s.p50", REPORT_REAL, get_latency_p50, Q(lat, 0.50)},
        {"latency_s.p90", REPORT_REAL, get_latency_p90, Q(lat, 0.90)},
        {"latency_s.p95", REPORT_REAL, get_latency_p95, Q(lat, 0.95)},
        {"latency_s.p99", REPORT_REAL, get_latency_p99, Q(lat, 0.99)},
        {"latency_s.p999", REPORT_REAL, get_latency_p999, Q(lat, 0.999)},
        {"latency_s.max", REPORT_REAL, get_latency_max, lat->n ? sim_time_to_s(lat->max) : NAN},
        {"duration_s.mean", REPORT_REAL, get_duration_mean, none},
        {"duration_s.p50", REPORT_REAL, get_duration_p50, Q(dur, 0.50)},
        {"duration_s.p99", REPORT_REAL, get_duration_p99, Q(dur, 0.99)},
        {"concurrency.mean", REPORT_REAL, get_concurrency_mean, none},
        {"concurrency.max", REPORT_COUNT, get_concurrency_max, none},
        {"environments.mean", REPORT_REAL, get_environments_mean, none},
        {"environments.max", REPORT_COUNT, get_environments_max, none},
        {"cost_usd.total", REPORT_REAL, get_cost_total, none},
        {"cost_usd.requests", REPORT_REAL, get_cost_requests, none},
        {"cost_usd.compute", REPORT_REAL, get_cost_compute, none},
        {"cost_usd.init", REPORT_REAL, get_cost_init, none},
        {"cost_usd.provisioned", REPORT_REAL, get_cost_provisioned, none},
        {"cost_usd.ephemeral", REPORT_REAL, get_cost_ephemeral, none},
    };
#undef Q
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        /* The request-rate limit's own count, where it applies, after the throttles. */
        if (strcmp(table[i].path, "timeouts") == 0 && rate_limit_applies(&s->lambda))
            rc |= add_metric(sec, "rps_throttles", REPORT_COUNT, reps, n, x, get_rps_throttles,
                             none);
        /* Stream triggers also report how far behind the pollers are, before the costs. */
        if (strcmp(table[i].path, "cost_usd.total") == 0 && lambda_is_stream(&s->lambda)) {
            rc |= add_metric(sec, "iterator_age_s.mean", REPORT_REAL, reps, n, x,
                             get_iterator_age_mean, none);
            rc |= add_metric(sec, "iterator_age_s.max", REPORT_REAL, reps, n, x,
                             get_iterator_age_max, none);
        }
        rc |= add_metric(sec, table[i].path, table[i].kind, reps, n, x, table[i].get,
                         table[i].pooled);
        /* Inits longer than 10 s, after the cold starts, when there were any. */
        if (strcmp(table[i].path, "cold_starts") == 0 && any_suppressed)
            rc |= add_metric(sec, "suppressed_inits", REPORT_COUNT, reps, n, x,
                             get_suppressed_inits, none);
    }
    /* The services' lines (models/services.h), then declared capacity and usage apart. */
    services_lines used = lines ? *lines : services_used(s);
    if (used.kinesis)
        rc |= add_metric(sec, "cost_usd.kinesis", REPORT_REAL, reps, n, x, get_cost_kinesis, none);
    if (used.sqs)
        rc |= add_metric(sec, "cost_usd.sqs", REPORT_REAL, reps, n, x, get_cost_sqs, none);
    if (used.s3)
        rc |= add_metric(sec, "cost_usd.s3", REPORT_REAL, reps, n, x, get_cost_s3, none);
    if (used.step_functions)
        rc |= add_metric(sec, "cost_usd.step_functions", REPORT_REAL, reps, n, x,
                         get_cost_step_functions, none);
    if (used.logs)
        rc |= add_metric(sec, "cost_usd.logs", REPORT_REAL, reps, n, x, get_cost_logs, none);
    rc |= add_metric(sec, "cost_usd.capacity", REPORT_REAL, reps, n, x, get_cost_capacity, none);
    rc |= add_metric(sec, "cost_usd.usage", REPORT_REAL, reps, n, x, get_cost_usage, none);
    rc |= add_metric(sec, "cost_usd.per_month", REPORT_REAL, reps, n, x, get_cost_per_month, none);
    rc |= add_metric(sec, "cost_usd.per_1k_items", REPORT_REAL, reps, n, x, get_cost_per_1k_items,
                     none);
    free(x);
    metric_prefix = "";
    return rc ? SIM_ENOMEM : SIM_OK;
}
