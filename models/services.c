/* models/services.c — pricing the services around the compute (see services.h).
 *
 * Rules, with their sources (rates are in the pricing table):
 * - Kinesis Data Streams, provisioned: a shard-hour per shard and hour; a PUT payload unit per
 *   25 KB of each record ("a 5 KB record contains one PUT Payload Unit, a 45 KB record contains
 *   two"). On-demand: a stream-hour per hour; GB written, each record rounded up to 1 KB; GB read
 *   by standard consumers. Enhanced fan-out: consumer-shard-hours and GB retrieved
 *   (https://aws.amazon.com/kinesis/data-streams/pricing/).
 * - SQS: every API action is a request, and "each 64 KB chunk of a payload is billed as 1
 *   request"; a batch action of up to 10 messages counts its total payload the same way
 *   (https://aws.amazon.com/sqs/pricing/). capsim counts one SendMessage per item (the producer's
 *   batching is unknown: chosen), a ReceiveMessage per 10 messages received (retries included),
 *   a DeleteMessageBatch per 10 messages processed; Lambda's pollers long-poll (20 s) and at
 *   least 5 of them poll an idle queue, so an SQS event source makes about 5 empty receives per
 *   20 s (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html: Lambda starts
 *   with 5 concurrent batches); a batch platform makes one empty receive per job (it reads the
 *   queue until it is empty).
 * - S3 Standard: GETs and PUTs per 1,000 (https://aws.amazon.com/s3/pricing/).
 * - Step Functions Standard: per state transition (https://aws.amazon.com/step-functions/pricing/).
 * - CloudWatch Logs: per GB ingested (https://aws.amazon.com/cloudwatch/pricing/). */
#include "models/services.h"

#include <math.h>
#include <string.h>

#define KB_PER_GB (1024.0 * 1024.0)
#define SQS_BATCH_MESSAGES 10.0     /* ReceiveMessage and DeleteMessageBatch take up to 10 */
#define SQS_LONG_POLL_S 20.0        /* the longest ReceiveMessage wait */
#define SQS_MIN_POLLERS 5.0         /* Lambda's pollers of an idle queue */

services_lines services_used(const scenario *s) {
    const scn_services *v = &s->services;
    services_lines l = {
        .kinesis = v->resolved_source == SCN_SOURCE_KINESIS,
        .sqs = v->resolved_source == SCN_SOURCE_SQS,
        .s3 = v->s3_gets_per_item > 0 || v->s3_puts_per_item > 0,
        .step_functions = v->sfn_transitions_per_run > 0,
        .logs = v->logs_kb_per_invocation > 0 || v->logs_kb_per_job > 0,
    };
    return l;
}

void services_bill_add(services_bill *t, const services_bill *x) {
    t->kinesis += x->kinesis;
    t->sqs += x->sqs;
    t->s3 += x->s3;
    t->step_functions += x->step_functions;
    t->logs += x->logs;
    t->capacity += x->capacity;
    t->total += x->total;
}

/* Counts in whole units, with a tolerance for the binary dust of sizes given in other units. */
static double units_of(double amount, double unit) {
    double n = ceil(amount / unit - 1e-9);
    return n < 1.0 ? 1.0 : n;
}

double services_kinesis_put_units(const pricing_table *p, double record_kb) {
    return units_of(record_kb, p->kinesis_put_unit_kb);
}

double services_sqs_requests(const pricing_table *p, double kb) {
    return units_of(kb, p->sqs_request_chunk_kb);
}

void services_add_item(const scenario *s, const pricing_table *p, services_usage *u,
                       double size_mb, int64_t records, bool batch_reader) {
    scn_source src = s->services.resolved_source;
    double kb = size_mb * 1024.0;
    u->items += 1.0;
    u->data_gb += kb / KB_PER_GB;
    if (src == SCN_SOURCE_KINESIS) {
        /* An item of r records: r records of kb / r each. */
        double r = records > 0 ? (double)records : 1.0;
        u->kinesis_put_units += r * services_kinesis_put_units(p, kb / r);
        u->kinesis_kb_written += r * units_of(kb / r, p->kinesis_od_record_rounding_kb) *
                                 p->kinesis_od_record_rounding_kb;
    } else if (src == SCN_SOURCE_SQS) {
        u->sqs_sends += services_sqs_requests(p, kb);
        /* a batch platform's receive groups (the Lambda model counts its own batches) */
        if (!batch_reader) return;
        u->group_messages += 1.0;
        u->group_kb += kb;
        if (u->group_messages >= SQS_BATCH_MESSAGES) {
            u->sqs_receives += services_sqs_requests(p, u->group_kb);
            u->group_messages = u->group_kb = 0.0;
        }
    }
}

void services_end_batch(const scenario *s, const pricing_table *p, services_usage *u,
                        double items) {
    if (s->services.resolved_source != SCN_SOURCE_SQS) return;
    if (u->group_messages > 0) u->sqs_receives += services_sqs_requests(p, u->group_kb);
    u->group_messages = u->group_kb = 0.0;
    u->sqs_receives += 1.0; /* the empty receive that tells the job the queue is drained */
    u->sqs_deletes += services_sqs_delete_requests(items);
}

double services_sqs_delete_requests(double messages) {
    return messages > 0 ? ceil(messages / SQS_BATCH_MESSAGES - 1e-9) : 0.0;
}

void services_price(const scenario *s, const pricing_table *p, const services_usage *u,
                    double horizon_s, bool lambda_consumer, services_bill *out) {
    const scn_services *v = &s->services;
    memset(out, 0, sizeof *out);
    double hours = horizon_s / 3600.0;
    if (v->resolved_source == SCN_SOURCE_KINESIS) {
        double shards = (double)v->kinesis_shards, capacity = 0.0, usage = 0.0;
        bool efo = lambda_consumer && s->lambda.present &&
                   s->lambda.trigger == SCN_TRIGGER_KINESIS && s->lambda.kinesis_enhanced_fan_out;
        if (v->kinesis_mode == SCN_KINESIS_PROVISIONED) {
            capacity += shards * hours * p->kinesis_usd_per_shard_hour;
            usage += u->kinesis_put_units * p->kinesis_usd_per_put_unit;
        } else {
            capacity += hours * p->kinesis_od_usd_per_stream_hour;
            usage += u->kinesis_kb_written / KB_PER_GB * p->kinesis_od_usd_per_gb_written;
            /* a standard consumer's reads (enhanced fan-out retrievals are billed below) */
            if (!efo) usage += u->data_gb * p->kinesis_od_usd_per_gb_read;
        }
        if (efo) {
            capacity += shards * hours * p->kinesis_efo_usd_per_consumer_shard_hour;
            usage += u->data_gb * p->kinesis_efo_usd_per_gb;
        }
        out->kinesis = capacity + usage;
        out->capacity += capacity;
    }
    if (v->resolved_source == SCN_SOURCE_SQS) {
        double empty = lambda_consumer ? SQS_MIN_POLLERS * horizon_s / SQS_LONG_POLL_S : 0.0;
        double requests = u->sqs_sends + u->sqs_receives + u->sqs_deletes + empty;
        out->sqs = requests * p->sqs_usd_per_request;
    }
    out->s3 = (v->s3_gets_per_item * p->s3_usd_per_get + v->s3_puts_per_item * p->s3_usd_per_put) *
              u->items;
    out->step_functions = v->sfn_transitions_per_run * u->runs * p->sfn_usd_per_transition;
    double kb_per_run = lambda_consumer ? v->logs_kb_per_invocation : v->logs_kb_per_job;
    out->logs = kb_per_run * u->runs / KB_PER_GB * p->logs_usd_per_gb;
    out->total = out->kinesis + out->sqs + out->s3 + out->step_functions + out->logs;
}
