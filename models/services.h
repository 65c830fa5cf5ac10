/* models/services.h — the services around the compute: the rest of a pipeline's bill.
 *
 * A Lambda consumer of a Kinesis stream is a few cents a day; the stream itself, its shard-hours
 * and PUT units, is often more. This module prices what the scenario's `services:` section says
 * the pipeline uses besides the compute platform, each as its own line of a platform's cost:
 *
 * - the source the items come from (`services.source`, by default the Lambda trigger's):
 *   Kinesis Data Streams (provisioned: shard-hours and 25 KB PUT payload units; on-demand:
 *   stream-hours, GB written with records rounded up to 1 KB, GB read), SQS requests (each 64 KB
 *   chunk of a payload one request; SendMessage per item, ReceiveMessage per batch of up to 10
 *   messages, DeleteMessageBatch per batch of up to 10 processed, and the empty receives of
 *   long-polling consumers), S3 (its GETs and PUTs per item);
 * - Step Functions state transitions per run (a Lambda invocation or a Glue/EMR job run);
 * - CloudWatch Logs ingestion per Lambda invocation or per job run.
 *
 * Which platform pays for the source: every one. The platforms of a scenario are alternative
 * consumers of the same items, and each would read the same stream, queue or bucket, so the
 * source is part of each platform's bill (its declared capacity — shard-hours — identical
 * across them; the requests of reading it depend on how the consumer batches). A Lambda
 * consumer with enhanced fan-out also pays its consumer-shard-hours and GB retrieved.
 *
 * Declared capacity — paid whether used or not — is kept apart from usage: Kinesis shard-hours,
 * on-demand stream-hours and enhanced fan-out consumer-shard-hours are capacity; everything else
 * is usage. The platforms add their own capacity (Lambda provisioned concurrency, a persistent
 * EMR cluster, EMR Serverless pre-initialized capacity) to report cost_usd.capacity and
 * cost_usd.usage.
 *
 * Free tiers of these services are not applied (they are per account and shared). Prices come
 * from the pricing table (models/pricing.h); rules live here and in models/cost.c. */
#ifndef MODELS_SERVICES_H
#define MODELS_SERVICES_H

#include <stdbool.h>
#include <stdint.h>

#include "models/pricing.h"
#include "models/scenario.h"

/* What a replication used, counted for the items (and runs) of the horizon. */
typedef struct services_usage {
    double items;              /* items produced into the source */
    double kinesis_put_units;  /* provisioned: each record's 25 KB payload units */
    double kinesis_kb_written; /* on-demand: each record rounded up to 1 KB */
    double data_gb;            /* the items' data, GB (on-demand reads, fan-out retrievals) */
    double sqs_sends;          /* SendMessage requests (64 KB chunks) */
    double sqs_receives;       /* ReceiveMessage requests of batches received (64 KB chunks) */
    double sqs_deletes;        /* DeleteMessageBatch requests */
    double runs;               /* Lambda invocations or Glue/EMR job runs */
    /* an SQS receive group being filled (batch platforms receive 10 messages per call) */
    double group_messages, group_kb;
} services_usage;

/* The services' lines of one platform's cost, USD for the horizon. */
typedef struct services_bill {
    double kinesis, sqs, s3, step_functions, logs;
    double capacity; /* of them, declared capacity (Kinesis shard-, stream-, consumer-hours) */
    double total;
} services_bill;

/* t += x, line by line (an account adding up its functions' and stages' bills). */
void services_bill_add(services_bill *t, const services_bill *x);

/* Which services a scenario's bill has lines for (so reports show only those). */
typedef struct services_lines {
    bool kinesis, sqs, s3, step_functions, logs;
} services_lines;
services_lines services_used(const scenario *s);

/* Counts one item of the horizon going into the source (producer side), and, for a batch
 * platform reading SQS, its place in a 10-message receive. */
void services_add_item(const scenario *s, const pricing_table *p, services_usage *u,
                       double size_mb, int64_t records, bool batch_reader);
/* A batch platform's job run took everything pending: close its SQS receive group and count the
 * DeleteMessageBatch requests of its `items` messages. */
void services_end_batch(const scenario *s, const pricing_table *p, services_usage *u,
                        double items);
/* DeleteMessageBatch requests for `messages` processed messages: one per 10. */
double services_sqs_delete_requests(double messages);

/* Prices usage u of a horizon of horizon_s seconds for one platform. lambda_consumer: the
 * platform is the Lambda function (its enhanced fan-out, its long-polling SQS pollers). */
void services_price(const scenario *s, const pricing_table *p, const services_usage *u,
                    double horizon_s, bool lambda_consumer, services_bill *out);

/* PUT payload units of one record of record_kb (25 KB each, at least 1). */
double services_kinesis_put_units(const pricing_table *p, double record_kb);
/* Requests a payload of kb counts on SQS: one per 64 KB chunk, at least 1. */
double services_sqs_requests(const pricing_table *p, double kb);

#endif
