/* models/lambda_stream.c — event source mappings: Kinesis shards and SQS queues read by pollers
 * that invoke the function with batches of records.
 *
 * Both triggers keep their items (records, messages) in one pool, linked into FIFO lists by
 * index: a shard's or the queue's waiting records, a batch in flight, the halves of a bisected
 * batch, the messages of a failed SQS batch waiting for their visibility timeout. The pool and
 * every other array grow geometrically and are reused, so the hot path allocates nothing. A batch
 * becomes one lambda_job: its work is the sum of its items', it fails transiently with
 * probability 1 - (1 - rate)^records, it is poison if any item is, counted if any item is, and its
 * arrival is its oldest item's. Each invocation that starts records the batch's iterator age
 * (now - its oldest item's arrival) when counted.
 *
 * Kinesis (AWS-REFERENCE.md, Kinesis event source):
 * - Each item goes to a shard chosen uniformly at random (partition keys are not modelled). An
 *   item with item.records = r counts r records toward batch_size; items are never split.
 * - Producer side: a shard accepts 1 MB/s and 1,000 records/s. A write beyond that is not lost:
 *   the producer is throttled and retries, modelled as the write waiting until the shard has
 *   capacity (two token buckets holding one second of capacity each, kept as GCRA "busy until"
 *   clocks in microseconds so the delays are exact). Writes of a shard stay in order. An item
 *   larger than a bucket waits for a full bucket and leaves it in debt (as if written in pieces).
 * - Batching, per shard: with batch_window > 0 a batch is sent as soon as batch_size records are
 *   waiting or batch_window after the oldest waiting record was written (the poller is assumed to
 *   read continuously inside a window: the 1 s poll granularity is ignored). With batch_window 0
 *   the poller sends whatever is waiting when it polls: right after one of its batches ends, and
 *   otherwise once per second (ticks 1 s apart since its last poll; shards start polling at t = 0).
 *   A batch takes waiting items in order while their records fit in batch_size and their payload
 *   fits in the 6 MB synchronous invocation payload (at least one item); a shard whose waiting
 *   payload reaches 6 MB has a full batch. Each record's data reaches the function base64-encoded
 *   in the event (4 bytes per 3), so a batch carries at most 4.5 MB of record data; the event's
 *   per-record metadata is not counted (optimistic by a few hundred bytes per record).
 * - Reading (https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html and
 *   .../enhanced-consumers.html): a shard serves 2 MB/s of reads, shared by every standard
 *   consumer of the stream (Lambda and kinesis.other_consumers others, each taken to read the
 *   same data, so Lambda gets 2 / (1 + others) MB/s); with enhanced fan-out the mapping has a
 *   dedicated 2 MB/s per shard and records are pushed to it (SubscribeToShard) as they are
 *   written, so with batch_window 0 a batch leaves at once instead of at the next 1 s poll
 *   (AWS quotes about 70 ms of propagation; not modelled). A batch is read only when the
 *   consumer's share holds its data (a GCRA bucket of 5 s of it: GetRecords may return up to
 *   10 MB, after which the shard throttles reads for 5 s); until then its records stay in the
 *   shard. The 5 GetRecords calls per second per shard are not modelled. Lambda polls a shard
 *   once per second when it has nothing to do ("Lambda reads records from each shard at a base
 *   rate of once per second", services-kinesis.html): the window-0 poll ticks above.
 * - parallelization_factor p: p lanes per shard, each with at most one batch at a time; with
 *   p = 1 the shard is strictly sequential. Keys are not modelled: a failing batch holds its lane
 *   (blocks the whole shard when p = 1) while the other lanes go on (chosen).
 * - A throttled invocation keeps its batch; the lane retries when capacity is freed or 1 s later.
 * - A failed run (error, poison, timeout) retries the whole batch at once (AWS gives no delay:
 *   chosen immediate), up to max_retries retries; with max_retries -1 until the oldest record is
 *   older than the 24 h retention. Then its records fail to the on-failure destination (dlq).
 *   bisect_on_error: a failed batch of two or more items is split in two halves (the first
 *   floor(n/2) items, then the rest) processed one after the other in its lane; splitting does not
 *   use up a retry (AWS does not say: chosen, so a poison record is always isolated), and each
 *   half keeps the retries its parent had used. A single item retries as above.
 * - Records left unread for 24 h expire from the stream: dropped (never processed, no dlq); so
 *   are those of a batch that was only ever throttled until then.
 *
 * SQS (AWS-REFERENCE.md, SQS event source):
 * - One queue, FIFO order of visibility. The mapping starts with 5 pollers (concurrent batches)
 *   and, while messages wait and every poller has a batch, adds one every 200 ms (300 per
 *   minute), up to min(max_concurrency, the function's concurrency cap). Scale-down (AWS gives
 *   no rule; chosen): once a minute, if no message has had to wait during the last minute and
 *   none waits now, the idle pollers are retired, down to 5.
 * - A batch: up to batch_size records and 6 MB of message bodies (as for Kinesis, without the
 *   base64 encoding: a message body is text); sent when full, or batch_window after the
 *   oldest waiting message became visible (window 0: at once, with every message that became
 *   visible at the same instant: a burst is received in full batches). When a batch ends its
 *   poller takes the next messages at once (long polling).
 * - A throttled invocation puts its messages back at the head of the queue, not counting a
 *   receive; the pollers retry when capacity is freed or 1 s later.
 * - Each invocation is a receive of its messages. A failed batch (ReportBatchItemFailures is not
 *   modelled) makes all its messages visible again at the receive + visibility_timeout (or at the
 *   failure, if later), appended to the queue. A message that has been received max_receives
 *   times and failed goes to the DLQ at once (SQS moves it at its next receive: the counts are
 *   the same). Messages older than the 4-day default retention are dropped when next read.
 *
 * Duplicates (both triggers): records a failed attempt already processed are processed again by
 * the retry; they count as duplicates when they finally complete. Which records had been
 * processed: those before the first poison record (the function stops there); for a transient
 * error, those up to and including the failing record, whose position is drawn from the
 * truncated geometric law the per-record error rate implies (an error strikes after the record's
 * work, as for direct triggers); for a timeout, those whose work fitted in the timeout.
 *
 * The payload limit: "Lambda passes all of the records in the batch to the function in a single
 * call, up to the payload limit for synchronous invocation (6 MB)" (EventSourceMappingConfiguration,
 * BatchSize: https://docs.aws.amazon.com/lambda/latest/dg/API_EventSourceMappingConfiguration.html).
 * 100 SQS messages of 256 KB are not one 25 MB invocation but batches of 24 (5 invocations).
 *
 * Latency of an item runs from its arrival (the producer's write request) to the end of the
 * invocation that processed it successfully: write throttling, batching, queueing, throttles and
 * retries included. */
#include <math.h>
#include <stdlib.h>
#include <string.h>


#include "models/lambda_internal.h"
#include "models/services.h"
#include "sim/error.h"

enum {
    EV_WRITE = LAMBDA_EV_TRIGGER, /* kinesis: a delayed producer write lands; target = shard */
    EV_POLL,                      /* kinesis, window 0: a shard's poller polls; target = shard */
    EV_WINDOW,                    /* a batch window ends; target = shard (sqs: 0) */
    EV_THROTTLE_RETRY,            /* throttled pollers try again */
    EV_SCALE_UP,                  /* sqs: the next poller may be added */
    EV_SCALE_DOWN,                /* sqs: the once-a-minute scale-down check */
    EV_VISIBLE,                   /* sqs: a failed batch's messages reappear; target = slot */
    EV_READ                       /* kinesis: the shard's read throughput allows the next batch */
};

#define POLL_PERIOD_US SIM_US_PER_S         /* "Lambda polls each shard about once a second" */
#define THROTTLE_RETRY_US SIM_US_PER_S      /* poller backoff after a throttle (chosen) */
#define KINESIS_RETENTION_US (24 * 3600 * SIM_US_PER_S) /* the stream's default retention */
#define SQS_RETENTION_US (4 * 24 * 3600 * SIM_US_PER_S) /* SQS's default retention period */
#define SHARD_US_PER_RECORD 1000            /* 1,000 records/s per shard */
#define SHARD_BUCKET_US SIM_US_PER_S        /* each bucket holds one second of capacity */
#define SQS_START_POLLERS 5
#define SQS_SCALE_STEP_US (200 * SIM_US_PER_MS) /* 300 new pollers per minute */
#define SQS_SCALE_DOWN_US (60 * SIM_US_PER_S)
#define BISECT_DEPTH 32                     /* halves pending per lane: log2(10,000) < 14 */
#define PAYLOAD_MAX_BYTES (6 * 1024 * 1024) /* the synchronous invocation payload */
#define SHARD_READ_MB_PER_S 2.0             /* a shard's read throughput */
#define SHARD_READ_BUCKET_US (5 * SIM_US_PER_S) /* a 10 MB GetRecords, then 5 s of throttling */

typedef struct stream_item {
    sim_time_us arrival_us;
    sim_time_us origin_us;  /* wl_item.origin_us (accounts: end-to-end latency) */
    sim_time_us ready_us;   /* kinesis: written to its shard; sqs: (last) visible in the queue */
    double cpu_s, io_s;
    int64_t records;
    int64_t bytes;          /* what the item adds to an invocation's payload */
    int32_t next;           /* list or free-list link */
    uint32_t receives;      /* sqs: invocations that received it */
    bool poison, counted, side_effects;
} stream_item;

typedef struct item_list {
    int32_t head, tail, n;
    int64_t records, bytes;
} item_list;

/* A Kinesis batch: its items and how often it has been tried. */
typedef struct kin_batch {
    item_list items;
    uint32_t retries; /* retries after failed runs */
    uint32_t runs;    /* attempts that ran (carried from job to job: the core counts retries) */
} kin_batch;

enum { LANE_IDLE, LANE_RUNNING, LANE_THROTTLED };

typedef struct kin_lane {
    kin_batch batch;      /* running, or throttled and waiting to be invoked */
    int32_t shard;
    int32_t depth;        /* bisected halves pending in its stack */
    int32_t next_waiting; /* link in the throttled-lanes FIFO */
    uint8_t state;
} kin_lane;

typedef struct kin_shard {
    item_list unwritten;  /* producer writes delayed by the shard's limits, in write order */
    item_list waiting;    /* written, not yet in a batch */
    sim_time_us records_busy_us, mb_busy_us; /* GCRA clocks of the two write buckets */
    sim_time_us last_write_us, last_poll_us;
    int32_t free_lanes;
    sim_time_us read_busy_us; /* GCRA clock of the consumer's read throughput */
    bool write_event, poll_event, window_event, read_event;
} kin_shard;

/* An SQS batch in flight, or a failed batch's messages waiting to become visible. */
typedef struct sqs_slot {
    item_list items;
    sim_time_us received_us;
    int32_t next_free;
} sqs_slot;

struct lambda_stream {
    stream_item *items;
    int32_t n_items, free_item;
    bool retry_event;
    /* kinesis */
    kin_shard *shards;
    int32_t n_shards, lanes_per_shard;
    kin_lane *lanes;
    kin_batch *stacks;    /* lanes x BISECT_DEPTH, only with bisect_on_error */
    int32_t wait_head, wait_tail;
    /* sqs */
    item_list queue;
    sqs_slot *slots;
    int32_t n_slots, free_slot;
    int64_t pollers, pollers_max, busy;
    sim_time_us next_scale_us, last_backlog_us;
    bool blocked, window_event, scale_up_event, scale_down_event;
};

/* ---------------------------------------------------------------- items and lists */

static int item_alloc(lambda_stream *st, int32_t *out) {
    if (st->free_item < 0) {
        int32_t cap = st->n_items ? st->n_items * 2 : 1024;
        stream_item *items = realloc(st->items, (size_t)cap * sizeof *items);
        if (!items) return SIM_ENOMEM;
        st->items = items;
        for (int32_t i = cap - 1; i >= st->n_items; i--) {
            items[i].next = st->free_item;
            st->free_item = i;
        }
        st->n_items = cap;
    }
    *out = st->free_item;
    st->free_item = st->items[*out].next;
    return SIM_OK;
}

static void item_free(lambda_stream *st, int32_t i) {
    st->items[i].next = st->free_item;
    st->free_item = i;
}

static void list_init(item_list *l) {
    l->head = l->tail = -1;
    l->n = 0;
    l->records = 0;
    l->bytes = 0;
}

static void list_push(stream_item *items, item_list *l, int32_t i) {
    items[i].next = -1;
    if (l->tail >= 0) items[l->tail].next = i;
    else l->head = i;
    l->tail = i;
    l->n++;
    l->records += items[i].records;
    l->bytes += items[i].bytes;
}

static int32_t list_pop(stream_item *items, item_list *l) {
    int32_t i = l->head;
    l->head = items[i].next;
    if (l->head < 0) l->tail = -1;
    l->n--;
    l->records -= items[i].records;
    l->bytes -= items[i].bytes;
    return i;
}

/* front's items, then l's, into l (front is left empty). */
static void list_prepend(stream_item *items, item_list *l, item_list *front) {
    if (front->n == 0) return;
    items[front->tail].next = l->head;
    if (l->n == 0) l->tail = front->tail;
    l->head = front->head;
    l->n += front->n;
    l->records += front->records;
    l->bytes += front->bytes;
    list_init(front);
}

/* Keeps the first n_first items in l, moves the rest to rest. */
static void list_split(stream_item *items, item_list *l, int32_t n_first, item_list *rest) {
    SIM_ASSERT(n_first > 0 && n_first < l->n);
    int32_t last = l->head;
    int64_t records = items[last].records, bytes = items[last].bytes;
    for (int32_t k = 1; k < n_first; k++) {
        last = items[last].next;
        records += items[last].records;
        bytes += items[last].bytes;
    }
    rest->head = items[last].next;
    rest->tail = l->tail;
    rest->n = l->n - n_first;
    rest->records = l->records - records;
    rest->bytes = l->bytes - bytes;
    items[last].next = -1;
    l->tail = last;
    l->n = n_first;
    l->records = records;
    l->bytes = bytes;
}

/* Takes waiting items from the head of from into batch, in order, while their records fit in
 * batch_size and their payload in PAYLOAD_MAX_BYTES (always at least one). Items older than retention_us are dropped on the way (they
 * expired before anyone read them). */
static void take_batch(lambda_sim *m, item_list *from, item_list *batch, int64_t batch_size,
                       sim_time_us retention_us, bool age_from_ready) {
    lambda_stream *st = m->stream;
    stream_item *items = st->items;
    list_init(batch);
    while (from->n > 0) {
        const stream_item *it = &items[from->head];
        sim_time_us born = age_from_ready ? it->ready_us : it->arrival_us;
        if (m->now_us - born >= retention_us) {
            int32_t i = list_pop(items, from);
            lambda_item_dropped(m, items[i].counted, false);
            item_free(st, i);
            m->pending--;
            continue;
        }
        if (batch->n > 0 && (batch->records + it->records > batch_size ||
                             batch->bytes + it->bytes > PAYLOAD_MAX_BYTES))
            break;
        list_push(items, batch, list_pop(items, from));
    }
}

/* ---------------------------------------------------------------- outcomes */

static void complete_list(lambda_sim *m, item_list *l) {
    lambda_stream *st = m->stream;
    while (l->n > 0) {
        int32_t i = list_pop(st->items, l);
        const stream_item *it = &st->items[i];
        lambda_item_completed(m, it->counted, it->arrival_us, it->origin_us, it->side_effects);
        item_free(st, i);
        m->pending--;
    }
}

/* Gives up on every item of l: failed (they ran and failed) or dropped (never ran). */
static void give_up_list(lambda_sim *m, item_list *l, bool ran) {
    lambda_stream *st = m->stream;
    while (l->n > 0) {
        int32_t i = list_pop(st->items, l);
        if (ran) lambda_item_failed(m, st->items[i].counted, true);
        else lambda_item_dropped(m, st->items[i].counted, false);
        item_free(st, i);
        m->pending--;
    }
}

/* Marks the items a failed attempt had already processed (see the file comment). */
static void mark_side_effects(lambda_sim *m, const item_list *l, lambda_outcome outcome,
                              sim_time_us reinit_us) {
    stream_item *items = m->stream->items;
    bool poison = false;
    for (int32_t i = l->head; i >= 0 && !poison; i = items[i].next) poison = items[i].poison;
    if (outcome == LAMBDA_TIMEOUT) {
        /* An init re-run inside the invocation (longer than 10 s) used part of the timeout. */
        double budget_s = sim_time_to_s(m->L->timeout_us - reinit_us), t_s = 0.0;
        for (int32_t i = l->head; i >= 0 && !items[i].poison; i = items[i].next) {
            t_s += items[i].io_s + items[i].cpu_s / m->vcpu;
            if (t_s > budget_s) break;
            items[i].side_effects = true;
        }
        return;
    }
    if (poison) {
        for (int32_t i = l->head; i >= 0 && !items[i].poison; i = items[i].next)
            items[i].side_effects = true;
        return;
    }
    /* A transient error: the first failing record K among n, given that one failed, has
     * P(K <= k) = (1 - (1-r)^(k+1)) / (1 - (1-r)^n). */
    double r = m->s->workload.error_rate;
    int64_t k = l->records - 1;
    if (r > 0.0 && r < 1.0) {
        double p_fail = -expm1((double)l->records * log1p(-r));
        double u = sim_rng_uniform(&m->rng_trigger);
        double x = ceil(log1p(-u * p_fail) / log1p(-r)) - 1.0;
        k = x < 0.0 ? 0 : x > (double)(l->records - 1) ? l->records - 1 : (int64_t)x;
    } else if (r >= 1.0) {
        k = 0;
    }
    int64_t seen = 0;
    for (int32_t i = l->head; i >= 0 && seen <= k; i = items[i].next) {
        items[i].side_effects = true;
        seen += items[i].records;
    }
}

/* Allocates the job of one attempt at batch l. */
static int job_for(lambda_sim *m, const item_list *l, int32_t owner, uint32_t runs,
                   int32_t *out) {
    int rc = lambda_job_alloc(m, out);
    if (rc) return rc;
    const stream_item *items = m->stream->items;
    lambda_job *j = &m->jobs[*out];
    double cpu_s = 0.0, io_s = 0.0;
    sim_time_us oldest = SIM_TIME_NEVER, oldest_stored = SIM_TIME_NEVER;
    bool kinesis = m->L->trigger == SCN_TRIGGER_KINESIS;
    for (int32_t i = l->head; i >= 0; i = items[i].next) {
        const stream_item *it = &items[i];
        cpu_s += it->cpu_s;
        io_s += it->io_s;
        j->poison |= it->poison;
        j->counted |= it->counted;
        if (it->arrival_us < oldest) oldest = it->arrival_us;
        /* Kinesis's IteratorAge counts from when the stream stored the record (after any write
         * throttling of the producer); an SQS message's age from when it was sent. */
        sim_time_us stored = kinesis ? it->ready_us : it->arrival_us;
        if (stored < oldest_stored) oldest_stored = stored;
        if (it->receives > runs) runs = it->receives;
    }
    double rate = m->s->workload.error_rate;
    j->arrival_us = oldest;
    j->stored_us = oldest_stored;
    j->cpu_s = cpu_s;
    j->io_s = io_s;
    j->records = l->records;
    j->error_p = rate <= 0.0 ? 0.0 : rate >= 1.0 ? 1.0 : -expm1((double)l->records * log1p(-rate));
    j->owner = owner;
    j->runs = runs;
    return SIM_OK;
}

static void record_iterator_age(lambda_sim *m, const lambda_job *j) {
    if (j->counted) sim_moments_add(&m->out->iterator_age_s, sim_time_to_s(m->now_us - j->stored_us));
}

static int arm_retry(lambda_sim *m) {
    lambda_stream *st = m->stream;
    if (st->retry_event) return SIM_OK;
    st->retry_event = true;
    return sim_calendar_schedule(&m->cal, m->now_us + THROTTLE_RETRY_US, EV_THROTTLE_RETRY, 0, 0,
                                 NULL);
}

/* Would an invocation start now? (The core's test, without taking anything.) */
static bool capacity_available(const lambda_sim *m) {
    if (m->busy >= m->cap || !lambda_rate_available(m)) return false;
    if (m->idle_provisioned.count + m->idle_ondemand.count > 0) return true;
    double tokens = m->tokens + (double)(m->now_us - m->tokens_at_us) * m->tokens_per_us;
    return tokens >= 1.0;
}

/* Any item above the 6 MB payload is a batch of its own, so sizes beyond this cap change nothing;
 * the cap keeps a list's byte sum (at most INT32_MAX items) inside int64. */
#define PAYLOAD_ITEM_CAP_BYTES (INT64_C(1) << 32)

/* An item's share of an invocation's payload: its data, base64-encoded for Kinesis. */
static int64_t payload_bytes(const lambda_sim *m, double size_mb) {
    double bytes = ceil(size_mb * 1048576.0 - 1e-6);
    if (bytes < 0) bytes = 0;
    if (m->L->trigger == SCN_TRIGGER_KINESIS) bytes = 4.0 * ceil(bytes / 3.0);
    return bytes > (double)PAYLOAD_ITEM_CAP_BYTES ? PAYLOAD_ITEM_CAP_BYTES : (int64_t)bytes;
}

static void fill_item(lambda_sim *m, stream_item *it, const wl_item *w) {
    it->arrival_us = w->arrival_us;
    it->origin_us = w->origin_us;
    it->ready_us = w->arrival_us;
    it->cpu_s = w->cpu_s;
    it->io_s = w->io_s;
    it->records = w->records;
    it->bytes = payload_bytes(m, w->size_mb);
    it->receives = 0;
    it->poison = w->poison;
    it->counted = w->arrival_us >= m->warmup_us;
    it->side_effects = false;
}

/* ================================================================ Kinesis */

static kin_batch *lane_stack(lambda_stream *st, int32_t lane) {
    return &st->stacks[(size_t)lane * BISECT_DEPTH];
}

static int shard_dispatch(lambda_sim *m, int32_t s, bool poll);

static void lane_enqueue_throttled(lambda_stream *st, int32_t id) {
    st->lanes[id].next_waiting = -1;
    if (st->wait_tail >= 0) st->lanes[st->wait_tail].next_waiting = id;
    else st->wait_head = id;
    st->wait_tail = id;
}

static int lane_invoke(lambda_sim *m, int32_t id);

/* The lane's batch is resolved: go on with a pending half, or free the lane and poll. */
static int lane_next(lambda_sim *m, int32_t id) {
    lambda_stream *st = m->stream;
    kin_lane *lane = &st->lanes[id];
    if (lane->depth > 0) {
        lane->batch = lane_stack(st, id)[--lane->depth];
        return lane_invoke(m, id);
    }
    lane->state = LANE_IDLE;
    st->shards[lane->shard].free_lanes++;
    return shard_dispatch(m, lane->shard, true);
}

/* Invokes the lane's batch (first attempt, retry or after a throttle). */
static int lane_invoke(lambda_sim *m, int32_t id) {
    lambda_stream *st = m->stream;
    kin_lane *lane = &st->lanes[id];
    kin_batch *b = &lane->batch;
    if (m->now_us - st->items[b->items.head].ready_us >= KINESIS_RETENTION_US) {
        /* Retried (or throttled) until its oldest record left the stream. */
        give_up_list(m, &b->items, b->runs > 0);
        return lane_next(m, id);
    }
    int32_t job;
    int rc = job_for(m, &b->items, id, b->runs, &job);
    if (rc) return rc;
    int started = lambda_invoke(m, job, true);
    if (started < 0) return started;
    lane = &st->lanes[id];
    if (started == 0) {
        lambda_job_free(m, job);
        lane->state = LANE_THROTTLED;
        lane_enqueue_throttled(st, id);
        return arm_retry(m);
    }
    lane->state = LANE_RUNNING;
    record_iterator_age(m, &m->jobs[job]);
    return SIM_OK;
}

/* The shard's read throughput left to this consumer, microseconds per byte of record data:
 * 2 MB/s shared by every standard consumer of the stream, or 2 MB/s of its own with enhanced
 * fan-out (kinesis.other_consumers, kinesis.enhanced_fan_out; see the file comment). */
static double read_us_per_byte(const scn_lambda *L) {
    double consumers = L->kinesis_enhanced_fan_out ? 1.0 : 1.0 + (double)L->kinesis_other_consumers;
    return consumers * 1e6 / (SHARD_READ_MB_PER_S * 1048576.0);
}

/* Record data read for a batch: its payload without the base64 encoding. */
static sim_time_us read_need_us(const lambda_sim *m, const item_list *batch) {
    return (sim_time_us)ceil((double)batch->bytes * 0.75 * read_us_per_byte(m->L));
}

static sim_time_us next_poll_tick(const kin_shard *sh, sim_time_us now_us) {
    sim_time_us k = (now_us - sh->last_poll_us + POLL_PERIOD_US - 1) / POLL_PERIOD_US;
    if (k < 1) k = 1;
    return sh->last_poll_us + k * POLL_PERIOD_US;
}

/* Sends the batches shard s may send now, then arms the timer that will send the next one.
 * poll: the shard's poller reads now (window 0 sends only then). */
static int shard_dispatch(lambda_sim *m, int32_t s, bool poll) {
    const scn_lambda *L = m->L;
    lambda_stream *st = m->stream;
    kin_shard *sh = &st->shards[s];
    sim_time_us window_us = L->kinesis_batch_window_us;
    bool pushed = L->kinesis_enhanced_fan_out; /* records arrive as written: no poll to wait for */
    int rc = SIM_OK;
    if (window_us == 0 && poll) sh->last_poll_us = m->now_us;
    while (sh->free_lanes > 0 && sh->waiting.n > 0) {
        if (window_us == 0) {
            if (!poll && !pushed) break;
        } else if (sh->waiting.records < L->kinesis_batch_size &&
                   sh->waiting.bytes < PAYLOAD_MAX_BYTES &&
                   m->now_us < st->items[sh->waiting.head].ready_us + window_us) {
            break;
        }
        item_list batch;
        take_batch(m, &sh->waiting, &batch, L->kinesis_batch_size, KINESIS_RETENTION_US, true);
        if (batch.n == 0) continue;
        /* The read: the consumer's share of the shard's read throughput must hold the batch
         * (a bucket of SHARD_READ_BUCKET_US of it); otherwise the records stay in the shard
         * and the poller reads when it can. */
        sim_time_us need_us = read_need_us(m, &batch);
        sim_time_us ready_us =
            sh->read_busy_us + (need_us < SHARD_READ_BUCKET_US ? need_us : SHARD_READ_BUCKET_US);
        if (ready_us > m->now_us) {
            list_prepend(st->items, &sh->waiting, &batch);
            if (sh->read_event) return SIM_OK;
            sh->read_event = true;
            return sim_calendar_schedule(&m->cal, ready_us, EV_READ, (uint32_t)s, 0, NULL);
        }
        sh->read_busy_us = (sh->read_busy_us > m->now_us - SHARD_READ_BUCKET_US
                                ? sh->read_busy_us
                                : m->now_us - SHARD_READ_BUCKET_US) +
                           need_us;
        int32_t id = s * st->lanes_per_shard;
        while (st->lanes[id].state != LANE_IDLE) id++;
        sh->free_lanes--;
        kin_lane *lane = &st->lanes[id];
        lane->batch.items = batch;
        lane->batch.retries = 0;
        lane->batch.runs = 0;
        lane->depth = 0;
        lane->state = LANE_RUNNING;
        if ((rc = lane_invoke(m, id))) return rc;
        sh = &st->shards[s];
    }
    if (sh->waiting.n == 0 || sh->free_lanes == 0) return SIM_OK; /* a lane's end will poll */
    if (window_us == 0) {
        if (sh->poll_event || pushed) return SIM_OK;
        sh->poll_event = true;
        return sim_calendar_schedule(&m->cal, next_poll_tick(sh, m->now_us), EV_POLL,
                                     (uint32_t)s, 0, NULL);
    }
    if (sh->window_event) return SIM_OK; /* an earlier one re-arms when it fires */
    sh->window_event = true;
    return sim_calendar_schedule(&m->cal, st->items[sh->waiting.head].ready_us + window_us,
                                 EV_WINDOW, (uint32_t)s, 0, NULL);
}

static int kinesis_arrival(lambda_sim *m, const wl_item *w) {
    lambda_stream *st = m->stream;
    int32_t s = st->n_shards > 1
                    ? (int32_t)sim_rng_uniform_int(&m->rng_trigger, (uint64_t)st->n_shards)
                    : 0;
    int32_t i;
    int rc = item_alloc(st, &i);
    if (rc) return rc;
    stream_item *it = &st->items[i];
    fill_item(m, it, w);
    m->pending++;

    /* The write: both buckets must hold what it needs (at most a full bucket), in order. */
    kin_shard *sh = &st->shards[s];
    sim_time_us need_records_us = (sim_time_us)it->records * SHARD_US_PER_RECORD;
    sim_time_us need_mb_us = sim_time_from_s(w->size_mb); /* 1 MB takes 1 s */
    sim_time_us t = m->now_us > sh->last_write_us ? m->now_us : sh->last_write_us;
    sim_time_us a = sh->records_busy_us +
                    (need_records_us < SHARD_BUCKET_US ? need_records_us : SHARD_BUCKET_US);
    sim_time_us b = sh->mb_busy_us + (need_mb_us < SHARD_BUCKET_US ? need_mb_us : SHARD_BUCKET_US);
    if (a > t) t = a;
    if (b > t) t = b;
    sh->records_busy_us = (sh->records_busy_us > t - SHARD_BUCKET_US ? sh->records_busy_us
                                                                     : t - SHARD_BUCKET_US) +
                          need_records_us;
    sh->mb_busy_us =
        (sh->mb_busy_us > t - SHARD_BUCKET_US ? sh->mb_busy_us : t - SHARD_BUCKET_US) + need_mb_us;
    /* The buckets chain the writes' durations without a calendar event per sum (sim/time.h):
     * each sum is at most SIM_TIME_EVENT_MAX_US plus one duration, then checked. */
    if (sh->records_busy_us > SIM_TIME_EVENT_MAX_US || sh->mb_busy_us > SIM_TIME_EVENT_MAX_US)
        return SIM_ETIME;
    sh->last_write_us = t;
    it->ready_us = t;
    if (t <= m->now_us && sh->unwritten.n == 0) {
        list_push(st->items, &sh->waiting, i);
        return shard_dispatch(m, s, false);
    }
    list_push(st->items, &sh->unwritten, i);
    if (sh->write_event) return SIM_OK;
    sh->write_event = true;
    return sim_calendar_schedule(&m->cal, t, EV_WRITE, (uint32_t)s, 0, NULL);
}

static int on_write(lambda_sim *m, int32_t s) {
    lambda_stream *st = m->stream;
    kin_shard *sh = &st->shards[s];
    sh->write_event = false;
    while (sh->unwritten.n > 0 && st->items[sh->unwritten.head].ready_us <= m->now_us)
        list_push(st->items, &sh->waiting, list_pop(st->items, &sh->unwritten));
    if (sh->unwritten.n > 0) {
        sh->write_event = true;
        int rc = sim_calendar_schedule(&m->cal, st->items[sh->unwritten.head].ready_us, EV_WRITE,
                                       (uint32_t)s, 0, NULL);
        if (rc) return rc;
    }
    return shard_dispatch(m, s, false);
}

static int kinesis_done(lambda_sim *m, int32_t job, lambda_outcome outcome) {
    const scn_lambda *L = m->L;
    lambda_stream *st = m->stream;
    int32_t id = m->jobs[job].owner;
    kin_lane *lane = &st->lanes[id];
    kin_batch *b = &lane->batch;
    b->runs = m->jobs[job].runs;
    sim_time_us reinit_us = m->jobs[job].reinit_us;
    lambda_job_free(m, job);
    if (outcome == LAMBDA_OK) {
        complete_list(m, &b->items);
        return lane_next(m, id);
    }
    mark_side_effects(m, &b->items, outcome, reinit_us);
    if (L->kinesis_bisect_on_error && b->items.n >= 2) {
        SIM_ASSERT(lane->depth < BISECT_DEPTH);
        kin_batch *second = &lane_stack(st, id)[lane->depth++];
        *second = *b;
        list_split(st->items, &b->items, b->items.n / 2, &second->items);
        return lane_invoke(m, id);
    }
    if (L->kinesis_max_retries >= 0 && b->retries >= (uint32_t)L->kinesis_max_retries) {
        give_up_list(m, &b->items, true);
        return lane_next(m, id);
    }
    b->retries++;
    return lane_invoke(m, id);
}

/* Throttled lanes retry in turn until one is throttled again (it goes to the back). */
static int kinesis_retry_throttled(lambda_sim *m) {
    lambda_stream *st = m->stream;
    while (st->wait_head >= 0) {
        int32_t id = st->wait_head;
        st->wait_head = st->lanes[id].next_waiting;
        if (st->wait_head < 0) st->wait_tail = -1;
        int rc = lane_invoke(m, id);
        if (rc) return rc;
        if (st->lanes[id].state == LANE_THROTTLED) break;
    }
    return SIM_OK;
}

/* ================================================================ SQS */

static int slot_alloc(lambda_stream *st, int32_t *out) {
    if (st->free_slot < 0) {
        int32_t cap = st->n_slots ? st->n_slots * 2 : 64;
        sqs_slot *slots = realloc(st->slots, (size_t)cap * sizeof *slots);
        if (!slots) return SIM_ENOMEM;
        st->slots = slots;
        for (int32_t i = cap - 1; i >= st->n_slots; i--) {
            slots[i].next_free = st->free_slot;
            st->free_slot = i;
        }
        st->n_slots = cap;
    }
    *out = st->free_slot;
    st->free_slot = st->slots[*out].next_free;
    list_init(&st->slots[*out].items);
    return SIM_OK;
}

static void slot_free(lambda_stream *st, int32_t i) {
    st->slots[i].next_free = st->free_slot;
    st->free_slot = i;
}

static int sqs_arm(lambda_sim *m, bool *flag, sim_time_us at_us, int32_t kind) {
    if (*flag) return SIM_OK;
    *flag = true;
    return sim_calendar_schedule(&m->cal, at_us, kind, 0, 0, NULL);
}

/* SQS requests of receiving a batch: a ReceiveMessage per 10 messages, each counting the 64 KB
 * chunks of its messages (models/services.h). */
static void sqs_count_receives(lambda_sim *m, const item_list *batch) {
    const stream_item *items = m->stream->items;
    const pricing_table *p = m->s->pricing_table;
    double kb = 0.0, requests = 0.0;
    int n = 0;
    for (int32_t i = batch->head; i >= 0; i = items[i].next) {
        kb += (double)items[i].bytes / 1024.0;
        if (++n == 10) {
            requests += services_sqs_requests(p, kb);
            kb = 0.0;
            n = 0;
        }
    }
    if (n > 0) requests += services_sqs_requests(p, kb);
    m->out->svc.sqs_receives += requests;
}

/* Starts the batches the pollers may start now, scaling them up when messages wait. */
static int sqs_dispatch(lambda_sim *m) {
    const scn_lambda *L = m->L;
    lambda_stream *st = m->stream;
    int rc = SIM_OK;
    while (!st->blocked && st->queue.n > 0) {
        if (st->busy >= st->pollers) {
            if (st->pollers >= st->pollers_max) break;
            /* A backlog after a quiet spell: the ramp's clock starts now, as at t = 0 (the
             * pollers there are busy first; one more joins 200 ms later). */
            if (m->now_us - st->last_backlog_us > SQS_SCALE_STEP_US &&
                st->next_scale_us < m->now_us + SQS_SCALE_STEP_US)
                st->next_scale_us = m->now_us + SQS_SCALE_STEP_US;
            if (m->now_us >= st->next_scale_us) {
                st->pollers++;
                st->next_scale_us = m->now_us + SQS_SCALE_STEP_US;
                continue;
            }
            if ((rc = sqs_arm(m, &st->scale_up_event, st->next_scale_us, EV_SCALE_UP))) return rc;
            break;
        }
        sim_time_us window_us = L->sqs_batch_window_us;
        if (window_us > 0 && st->queue.records < L->sqs_batch_size &&
            st->queue.bytes < PAYLOAD_MAX_BYTES &&
            m->now_us < st->items[st->queue.head].ready_us + window_us) {
            rc = sqs_arm(m, &st->window_event, st->items[st->queue.head].ready_us + window_us,
                         EV_WINDOW);
            if (rc) return rc;
            break;
        }
        item_list batch;
        take_batch(m, &st->queue, &batch, L->sqs_batch_size, SQS_RETENTION_US, false);
        if (batch.n == 0) continue;
        int32_t slot, job;
        if ((rc = slot_alloc(st, &slot)) || (rc = job_for(m, &batch, slot, 0, &job))) return rc;
        int started = lambda_invoke(m, job, true);
        if (started < 0) return started;
        if (started == 0) {
            lambda_job_free(m, job);
            slot_free(st, slot);
            list_prepend(st->items, &st->queue, &batch);
            st->blocked = true;
            if ((rc = arm_retry(m))) return rc;
            break;
        }
        record_iterator_age(m, &m->jobs[job]);
        for (int32_t i = batch.head; i >= 0; i = st->items[i].next) st->items[i].receives++;
        if (m->jobs[job].counted) sqs_count_receives(m, &batch);
        st->slots[slot].items = batch;
        st->slots[slot].received_us = m->now_us;
        st->busy++;
    }
    if (st->queue.n > 0) st->last_backlog_us = m->now_us;
    if (st->pollers > SQS_START_POLLERS)
        rc = sqs_arm(m, &st->scale_down_event, m->now_us + SQS_SCALE_DOWN_US, EV_SCALE_DOWN);
    return rc;
}

static int sqs_arrival(lambda_sim *m, const wl_item *w) {
    lambda_stream *st = m->stream;
    int32_t i;
    int rc = item_alloc(st, &i);
    if (rc) return rc;
    fill_item(m, &st->items[i], w);
    list_push(st->items, &st->queue, i);
    m->pending++;
    /* Messages sent at the same instant (a burst) are visible together, and a poller's
     * receive returns up to batch_size of them: without a window, the batch waits for the
     * instant's last message rather than leaving with the first. (Events at this instant come
     * before its arrivals: nothing else can happen in between.) */
    sim_time_us next_arrival = m->acct ? lambda_account_peek(m) : workload_peek(&m->wl);
    if (m->L->sqs_batch_window_us == 0 && next_arrival == m->now_us &&
        st->queue.records < m->L->sqs_batch_size)
        return SIM_OK;
    return sqs_dispatch(m);
}

static int sqs_done(lambda_sim *m, int32_t job, lambda_outcome outcome) {
    const scn_lambda *L = m->L;
    lambda_stream *st = m->stream;
    int32_t slot = m->jobs[job].owner;
    sim_time_us reinit_us = m->jobs[job].reinit_us;
    bool counted = m->jobs[job].counted;
    lambda_job_free(m, job);
    st->busy--;
    item_list *batch = &st->slots[slot].items;
    if (outcome == LAMBDA_OK) {
        /* DeleteMessageBatch of the processed messages (counted with the horizon's runs). */
        if (counted) m->out->svc.sqs_deletes += services_sqs_delete_requests((double)batch->n);
        complete_list(m, batch);
        slot_free(st, slot);
        return sqs_dispatch(m);
    }
    mark_side_effects(m, batch, outcome, reinit_us);
    item_list again;
    list_init(&again);
    while (batch->n > 0) {
        int32_t i = list_pop(st->items, batch);
        if (st->items[i].receives >= (uint32_t)L->sqs_max_receives) {
            lambda_item_failed(m, st->items[i].counted, true);
            item_free(st, i);
            m->pending--;
        } else {
            list_push(st->items, &again, i);
        }
    }
    int rc = SIM_OK;
    if (again.n > 0) {
        *batch = again;
        sim_time_us visible_us = st->slots[slot].received_us + L->sqs_visibility_timeout_us;
        if (visible_us < m->now_us) visible_us = m->now_us;
        rc = sim_calendar_schedule(&m->cal, visible_us, EV_VISIBLE, (uint32_t)slot, 0, NULL);
    } else {
        slot_free(st, slot);
    }
    return rc ? rc : sqs_dispatch(m);
}

static int sqs_visible(lambda_sim *m, int32_t slot) {
    lambda_stream *st = m->stream;
    item_list *l = &st->slots[slot].items;
    while (l->n > 0) {
        int32_t i = list_pop(st->items, l);
        st->items[i].ready_us = m->now_us;
        list_push(st->items, &st->queue, i);
    }
    slot_free(st, slot);
    return sqs_dispatch(m);
}

static int sqs_scale_down(lambda_sim *m) {
    lambda_stream *st = m->stream;
    st->scale_down_event = false;
    if (st->queue.n == 0 && m->now_us - st->last_backlog_us >= SQS_SCALE_DOWN_US) {
        int64_t keep = st->busy > SQS_START_POLLERS ? st->busy : SQS_START_POLLERS;
        if (keep < st->pollers) st->pollers = keep;
    }
    if (st->pollers > SQS_START_POLLERS)
        return sqs_arm(m, &st->scale_down_event, m->now_us + SQS_SCALE_DOWN_US, EV_SCALE_DOWN);
    return SIM_OK;
}

/* ================================================================ the trigger interface */

static bool is_kinesis(const lambda_sim *m) { return m->L->trigger == SCN_TRIGGER_KINESIS; }

int lambda_stream_init(lambda_sim *m) {
    const scn_lambda *L = m->L;
    lambda_stream *st = calloc(1, sizeof *st);
    m->stream = st;
    if (!st) return SIM_ENOMEM;
    st->free_item = st->free_slot = st->wait_head = st->wait_tail = -1;
    if (is_kinesis(m)) {
        if (L->kinesis_shards > INT32_MAX / (BISECT_DEPTH * 16)) return SIM_ENOMEM;
        st->n_shards = (int32_t)L->kinesis_shards;
        st->lanes_per_shard = (int32_t)L->kinesis_parallelization;
        size_t n_lanes = (size_t)st->n_shards * (size_t)st->lanes_per_shard;
        st->shards = calloc((size_t)st->n_shards, sizeof *st->shards);
        st->lanes = calloc(n_lanes, sizeof *st->lanes);
        if (L->kinesis_bisect_on_error) st->stacks = calloc(n_lanes * BISECT_DEPTH, sizeof *st->stacks);
        if (!st->shards || !st->lanes || (L->kinesis_bisect_on_error && !st->stacks))
            return SIM_ENOMEM;
        for (int32_t s = 0; s < st->n_shards; s++) {
            kin_shard *sh = &st->shards[s];
            list_init(&sh->unwritten);
            list_init(&sh->waiting);
            sh->records_busy_us = sh->mb_busy_us = -SHARD_BUCKET_US; /* full buckets at t = 0 */
            sh->read_busy_us = -SHARD_READ_BUCKET_US;
            sh->free_lanes = st->lanes_per_shard;
        }
        for (size_t i = 0; i < n_lanes; i++) {
            st->lanes[i].shard = (int32_t)(i / (size_t)st->lanes_per_shard);
            st->lanes[i].state = LANE_IDLE;
            st->lanes[i].next_waiting = -1;
        }
    } else {
        list_init(&st->queue);
        int64_t cap = m->cap > 1 ? m->cap : 1;
        st->pollers_max = L->sqs_max_concurrency < cap ? L->sqs_max_concurrency : cap;
        st->pollers = st->pollers_max < SQS_START_POLLERS ? st->pollers_max : SQS_START_POLLERS;
        st->next_scale_us = SQS_SCALE_STEP_US; /* 5 pollers at t = 0; the first one more 200 ms later */
    }
    return SIM_OK;
}

void lambda_stream_fini(lambda_sim *m) {
    lambda_stream *st = m->stream;
    if (!st) return;
    free(st->items);
    free(st->shards);
    free(st->lanes);
    free(st->stacks);
    free(st->slots);
    free(st);
    m->stream = NULL;
}

int lambda_stream_arrival(lambda_sim *m, const wl_item *item) {
    return is_kinesis(m) ? kinesis_arrival(m, item) : sqs_arrival(m, item);
}

int lambda_stream_done(lambda_sim *m, int32_t job, lambda_outcome outcome) {
    return is_kinesis(m) ? kinesis_done(m, job, outcome) : sqs_done(m, job, outcome);
}

int lambda_stream_event(lambda_sim *m, const sim_event *ev) {
    lambda_stream *st = m->stream;
    int32_t target = (int32_t)ev->target;
    switch (ev->kind) {
    case EV_WRITE: return on_write(m, target);
    case EV_POLL:
        st->shards[target].poll_event = false;
        return shard_dispatch(m, target, true);
    case EV_WINDOW:
        if (!is_kinesis(m)) {
            st->window_event = false;
            return sqs_dispatch(m);
        }
        st->shards[target].window_event = false;
        return shard_dispatch(m, target, false);
    case EV_THROTTLE_RETRY:
        st->retry_event = false;
        if (is_kinesis(m)) return kinesis_retry_throttled(m);
        st->blocked = false;
        return sqs_dispatch(m);
    case EV_SCALE_UP:
        st->scale_up_event = false;
        return sqs_dispatch(m);
    case EV_SCALE_DOWN: return sqs_scale_down(m);
    case EV_VISIBLE: return sqs_visible(m, target);
    case EV_READ:
        st->shards[target].read_event = false;
        return shard_dispatch(m, target, true);
    default: SIM_ASSERT(!"unknown stream event"); return SIM_EINVAL;
    }
}

int lambda_stream_capacity_freed(lambda_sim *m) {
    lambda_stream *st = m->stream;
    if (!capacity_available(m)) return SIM_OK;
    if (is_kinesis(m)) return st->wait_head >= 0 ? kinesis_retry_throttled(m) : SIM_OK;
    if (!st->blocked) return SIM_OK;
    st->blocked = false;
    return sqs_dispatch(m);
}

void lambda_stream_backlog(const lambda_sim *m, int64_t *waiting, sim_time_us *stored_us) {
    const lambda_stream *st = m->stream;
    int64_t n = 0;
    sim_time_us oldest = SIM_TIME_NEVER;
    if (m->L->trigger == SCN_TRIGGER_KINESIS) {
        for (int32_t s = 0; s < st->n_shards; s++) {
            const kin_shard *sh = &st->shards[s];
            n += sh->waiting.n + sh->unwritten.n;
            if (sh->waiting.n > 0 && st->items[sh->waiting.head].ready_us < oldest)
                oldest = st->items[sh->waiting.head].ready_us;
            /* Not yet written (the producer is throttled): waiting since the write request. */
            if (sh->unwritten.n > 0 && st->items[sh->unwritten.head].arrival_us < oldest)
                oldest = st->items[sh->unwritten.head].arrival_us;
        }
        for (int32_t id = 0; id < st->n_shards * st->lanes_per_shard; id++) {
            const kin_lane *lane = &st->lanes[id];
            if (lane->state != LANE_THROTTLED) continue;
            n += lane->batch.items.n;
            if (st->items[lane->batch.items.head].ready_us < oldest)
                oldest = st->items[lane->batch.items.head].ready_us;
        }
    } else {
        n = st->queue.n;
        if (n > 0) oldest = st->items[st->queue.head].arrival_us;
    }
    *waiting = n;
    *stored_us = oldest;
}
