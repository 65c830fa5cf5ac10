/* cli/cmd_cost.c — `capsim cost`: prices a month of usage given on the command line, like AWS's
 * calculator, with no simulation (RESULTS-FORMAT.md, `capsim cost`).
 *
 * It is the check that capsim's billing rules reproduce AWS's published examples to the cent, and
 * a quick answer to "what would this usage cost": the same rules (models/cost.h) and pricing
 * tables (models/pricing.h) as the simulator. Each line item is rounded to the cent and the
 * rounded items are added, as AWS does in its examples. The options are declared in options.c;
 * here they are interpreted with the strict parsers of models/units.h. Usage errors exit 2, an
 * unusable pricing table exits 3; nothing is printed to stdout on failure. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "models/cost.h"
#include "models/pricing.h"
#include "models/units.h"
#include "sim/error.h"

/* Lambda limits (AWS-REFERENCE.md): memory and /tmp 128/512..10240 MB, runs of at most 900 s. */
#define LAMBDA_MEMORY_MIN_MB 128
#define LAMBDA_EPHEMERAL_MIN_MB 512
#define LAMBDA_SIZE_MAX_MB 10240
#define LAMBDA_TIMEOUT_MAX_US (900 * SIM_US_PER_S)

static const char *const GLUE_VERSIONS[] = {"0.9", "1.0", "2.0", "3.0", "4.0", "5.0", NULL};

/* The usage, in base units, as given (defaults filled in). */
typedef struct cost_args {
    int64_t requests;                  /* on-demand */
    sim_time_us duration_us;
    int64_t memory_mb;
    scn_arch arch;
    int64_t ephemeral_mb;
    int64_t provisioned;               /* environments */
    double provisioned_hours;
    int64_t provisioned_requests;
    sim_time_us provisioned_duration_us;
    bool free_tier;
    double glue_dpu, glue_hours;
    int64_t glue_runs;
    const char *glue_version;
    bool glue_flex;
    const char *emr_instance;
    int64_t emr_count;
    double emr_hours;
    /* the services around the compute */
    int64_t kinesis_shards;
    double kinesis_hours;
    int64_t kinesis_put_units, sqs_requests, s3_get, s3_put, sfn_transitions;
    double logs_gb;
    const char *pricing;
    /* Which line items were asked for: an item appears when its usage was given. */
    bool has_requests, has_provisioned, has_provisioned_requests, has_ephemeral;
} cost_args;

#define MAX_ITEMS 16

typedef struct cost_item {
    const char *name;
    double usd;        /* rounded to the cent */
    char usage[96];    /* what was billed, for the table */
} cost_item;

typedef struct cost_result {
    cost_item items[MAX_ITEMS];
    size_t n_items;
    double total_usd;  /* the sum of the rounded items */
} cost_result;

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("capsim cost: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'capsim cost --help'.\n", stderr);
    return CLI_EXIT_USAGE;
}

static bool given(const cli_options *opt, const char *name)
{
    return cli_option_value(opt, name) != NULL;
}

/* ---------------------------------------------------------------- reading the options */

/* Each reader leaves *out alone when the option is absent; returns CLI_EXIT_OK or a usage error
 * that quotes the option and says what is allowed. */
static int read_count(const cli_options *opt, const char *name, int64_t min, int64_t *out)
{
    const char *v = cli_option_value(opt, name);
    char msg[256];
    if (!v)
        return CLI_EXIT_OK;
    if (units_parse_int64(v, out, msg, sizeof msg))
        return usage_error("--%s: %s", name, msg);
    if (*out < min)
        return usage_error("--%s: %s must be >= %lld", name, v, (long long)min);
    return CLI_EXIT_OK;
}

static int read_number(const cli_options *opt, const char *name, bool positive, double *out)
{
    const char *v = cli_option_value(opt, name);
    char msg[256];
    if (!v)
        return CLI_EXIT_OK;
    if (units_parse_number(v, out, msg, sizeof msg))
        return usage_error("--%s: %s", name, msg);
    if (positive ? !(*out > 0) : !(*out >= 0))
        return usage_error("--%s: %s must be %s 0", name, v, positive ? ">" : ">=");
    return CLI_EXIT_OK;
}

static int read_duration(const cli_options *opt, const char *name, sim_time_us *out)
{
    const char *v = cli_option_value(opt, name);
    char msg[256];
    if (!v)
        return CLI_EXIT_OK;
    if (units_parse_duration(v, out, msg, sizeof msg))
        return usage_error("--%s: %s", name, msg);
    if (*out > LAMBDA_TIMEOUT_MAX_US)
        return usage_error("--%s: %s is longer than Lambda's limit of 900s", name, v);
    return CLI_EXIT_OK;
}

static int read_size_mb(const cli_options *opt, const char *name, int64_t min_mb, int64_t *out)
{
    const char *v = cli_option_value(opt, name);
    char msg[256];
    double mb;
    if (!v)
        return CLI_EXIT_OK;
    if (units_parse_size_mb(v, &mb, msg, sizeof msg))
        return usage_error("--%s: %s", name, msg);
    if (mb != floor(mb))
        return usage_error("--%s: %s is not a whole number of MB (it is set in 1MB steps)", name,
                           v);
    if (mb < (double)min_mb || mb > LAMBDA_SIZE_MAX_MB)
        return usage_error("--%s: %s is outside %lldMB..%dMB", name, v, (long long)min_mb,
                           LAMBDA_SIZE_MAX_MB);
    *out = (int64_t)mb;
    return CLI_EXIT_OK;
}

/* Options that only mean something with others: "--a needs --b" (or "--b or --c"). */
static const struct {
    const char *option, *needs, *or_needs;
} REQUIRES[] = {
    {"requests", "duration", NULL},
    {"requests", "memory", NULL},
    {"duration", "requests", NULL},
    {"provisioned", "provisioned-hours", NULL},
    {"provisioned", "memory", NULL},
    {"provisioned-hours", "provisioned", NULL},
    {"provisioned-requests", "provisioned", NULL},
    {"provisioned-requests", "provisioned-duration", NULL},
    {"provisioned-duration", "provisioned-requests", NULL},
    {"memory", "requests", "provisioned"},
    {"arch", "requests", "provisioned"},
    {"ephemeral", "requests", "provisioned-requests"},
    {"free-tier", "requests", "provisioned"},
    {"glue-dpu", "glue-hours", NULL},
    {"glue-hours", "glue-dpu", NULL},
    {"glue-runs", "glue-dpu", NULL},
    {"glue-version", "glue-dpu", NULL},
    {"glue-flex", "glue-dpu", NULL},
    {"emr-instance", "emr-hours", NULL},
    {"emr-hours", "emr-instance", NULL},
    {"emr-count", "emr-instance", NULL},
    {"kinesis-shards", "kinesis-hours", NULL},
    {"kinesis-hours", "kinesis-shards", NULL},
};

/* Options that price something on their own (one of them is needed). */
static const char *const PRICED[] = {"requests", "provisioned", "glue-dpu", "emr-instance",
                                     "kinesis-shards", "kinesis-put-units", "sqs-requests",
                                     "s3-get", "s3-put", "sfn-transitions", "logs-gb"};

static int read_args(const cli_options *opt, cost_args *a)
{
    *a = (cost_args){.memory_mb = 0, .arch = SCN_ARCH_X86_64,
                     .ephemeral_mb = LAMBDA_EPHEMERAL_MIN_MB, .glue_runs = 1,
                     .glue_version = "4.0", .emr_count = 1, .pricing = PRICING_DEFAULT_TABLE};
    bool any = false;
    for (size_t i = 0; i < sizeof PRICED / sizeof PRICED[0]; i++)
        any = any || given(opt, PRICED[i]);
    if (!any)
        return usage_error("nothing to price: give Lambda usage (--requests, --provisioned), "
                           "a Glue job (--glue-dpu), EMR instances (--emr-instance) or a "
                           "service (--kinesis-shards, --sqs-requests, --s3-get, ...)");
    /* Zero requests bill no duration and no memory: `--requests 0` (say, all traffic on
     * provisioned environments) needs neither --duration nor --memory. */
    bool no_requests = given(opt, "requests") && strcmp(cli_option_value(opt, "requests"), "0") == 0;
    bool no_provisioned_requests = given(opt, "provisioned-requests") &&
                                   strcmp(cli_option_value(opt, "provisioned-requests"), "0") == 0;
    for (size_t i = 0; i < sizeof REQUIRES / sizeof REQUIRES[0]; i++) {
        if (!given(opt, REQUIRES[i].option) || given(opt, REQUIRES[i].needs) ||
            (REQUIRES[i].or_needs && given(opt, REQUIRES[i].or_needs)))
            continue;
        if ((no_requests && strcmp(REQUIRES[i].option, "requests") == 0) ||
            (no_provisioned_requests && strcmp(REQUIRES[i].option, "provisioned-requests") == 0 &&
             strcmp(REQUIRES[i].needs, "provisioned-duration") == 0))
            continue;
        if (REQUIRES[i].or_needs)
            return usage_error("--%s needs --%s or --%s", REQUIRES[i].option, REQUIRES[i].needs,
                               REQUIRES[i].or_needs);
        return usage_error("--%s needs --%s", REQUIRES[i].option, REQUIRES[i].needs);
    }
    int rc;
    if ((rc = read_count(opt, "requests", 0, &a->requests)) ||
        (rc = read_duration(opt, "duration", &a->duration_us)) ||
        (rc = read_size_mb(opt, "memory", LAMBDA_MEMORY_MIN_MB, &a->memory_mb)) ||
        (rc = read_size_mb(opt, "ephemeral", LAMBDA_EPHEMERAL_MIN_MB, &a->ephemeral_mb)) ||
        (rc = read_count(opt, "provisioned", 0, &a->provisioned)) ||
        (rc = read_number(opt, "provisioned-hours", false, &a->provisioned_hours)) ||
        (rc = read_count(opt, "provisioned-requests", 0, &a->provisioned_requests)) ||
        (rc = read_duration(opt, "provisioned-duration", &a->provisioned_duration_us)) ||
        (rc = read_number(opt, "glue-dpu", true, &a->glue_dpu)) ||
        (rc = read_number(opt, "glue-hours", false, &a->glue_hours)) ||
        (rc = read_count(opt, "glue-runs", 1, &a->glue_runs)) ||
        (rc = read_count(opt, "emr-count", 1, &a->emr_count)) ||
        (rc = read_number(opt, "emr-hours", false, &a->emr_hours)) ||
        (rc = read_count(opt, "kinesis-shards", 1, &a->kinesis_shards)) ||
        (rc = read_number(opt, "kinesis-hours", false, &a->kinesis_hours)) ||
        (rc = read_count(opt, "kinesis-put-units", 0, &a->kinesis_put_units)) ||
        (rc = read_count(opt, "sqs-requests", 0, &a->sqs_requests)) ||
        (rc = read_count(opt, "s3-get", 0, &a->s3_get)) ||
        (rc = read_count(opt, "s3-put", 0, &a->s3_put)) ||
        (rc = read_count(opt, "sfn-transitions", 0, &a->sfn_transitions)) ||
        (rc = read_number(opt, "logs-gb", false, &a->logs_gb)))
        return rc;
    const char *arch = cli_option_value(opt, "arch");
    if (arch && strcmp(arch, "x86_64") == 0)
        a->arch = SCN_ARCH_X86_64;
    else if (arch && strcmp(arch, "arm64") == 0)
        a->arch = SCN_ARCH_ARM64;
    else if (arch)
        return usage_error("--arch must be x86_64 or arm64, not '%s'", arch);
    const char *version = cli_option_value(opt, "glue-version");
    if (version) {
        size_t i = 0;
        while (GLUE_VERSIONS[i] && strcmp(GLUE_VERSIONS[i], version) != 0)
            i++;
        if (!GLUE_VERSIONS[i])
            return usage_error("--glue-version must be one of 0.9, 1.0, 2.0, 3.0, 4.0, 5.0, "
                               "not '%s'", version);
        a->glue_version = version;
    }
    a->has_requests = given(opt, "requests");
    a->has_provisioned = given(opt, "provisioned");
    a->has_provisioned_requests = given(opt, "provisioned-requests");
    a->has_ephemeral = given(opt, "ephemeral");
    a->free_tier = given(opt, "free-tier");
    a->glue_flex = given(opt, "glue-flex");
    a->emr_instance = cli_option_value(opt, "emr-instance");
    if (given(opt, "pricing"))
        a->pricing = cli_option_value(opt, "pricing");
    return CLI_EXIT_OK;
}

/* ---------------------------------------------------------------- pricing */

/* "540000", "1.5", "0.125": at most 3 decimals, trailing zeros dropped. */
static void format_quantity(char *buf, size_t len, double v)
{
    snprintf(buf, len, "%.3f", v);
    char *end = buf + strlen(buf);
    while (end > buf && end[-1] == '0')
        *--end = '\0';
    if (end > buf && end[-1] == '.')
        *--end = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void add_item(cost_result *r, const char *name, double usd, const char *fmt, ...)
{
    SIM_ASSERT(r->n_items < MAX_ITEMS);
    cost_item *it = &r->items[r->n_items++];
    it->name = name;
    it->usd = cost_round_cents(usd);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->usage, sizeof it->usage, fmt, ap);
    va_end(ap);
}

static int price(const cost_args *a, const pricing_table *p, cost_result *r)
{
    bool lambda = a->has_requests || a->has_provisioned;
    memset(r, 0, sizeof *r);
    char q[48];
    if (lambda) {
        /* Duration in 1 ms steps per request (cost_lambda_gb_s); the request fee applies to
         * requests served by provisioned environments too. */
        double memory_mb = (double)a->memory_mb;
        double billed_s = ((double)a->requests * (double)cost_lambda_billed_ms(a->duration_us) +
                           (double)a->provisioned_requests *
                               (double)cost_lambda_billed_ms(a->provisioned_duration_us)) / 1000.0;
        cost_lambda_usage u = {
            .arch = a->arch,
            .requests = (double)a->requests + (double)a->provisioned_requests,
            .ondemand_gb_s = cost_lambda_gb_s((double)a->requests, a->duration_us, memory_mb),
            .provisioned_duration_gb_s = cost_lambda_gb_s((double)a->provisioned_requests,
                                                          a->provisioned_duration_us, memory_mb),
            .provisioned_configured_gb_s = cost_lambda_provisioned_gb_s(
                p, (double)a->provisioned, memory_mb, a->provisioned_hours * 3600.0),
            .ephemeral_gb_s = cost_lambda_ephemeral_gb(p, (double)a->ephemeral_mb) * billed_s,
        };
        cost_lambda_bill bill;
        int rc = cost_lambda_month(p, &u, a->free_tier, &bill);
        if (rc)
            return rc;
        static const char *const arch_names[] = {"x86_64", "arm64"};
        double free_requests = a->free_tier ? p->lambda_free_requests : 0.0;
        double free_gb_s = a->free_tier ? p->lambda_free_gb_s : 0.0;
        if (a->has_requests || a->has_provisioned_requests) {
            format_quantity(q, sizeof q, fmax(0.0, u.requests - free_requests));
            add_item(r, "requests", bill.requests, "%s requests", q);
        }
        if (a->has_requests) {
            format_quantity(q, sizeof q, fmax(0.0, u.ondemand_gb_s - free_gb_s));
            add_item(r, "compute", bill.compute + bill.init, "%s GB-s on-demand, %s", q,
                     arch_names[a->arch]);
        }
        if (a->has_provisioned) {
            format_quantity(q, sizeof q, u.provisioned_configured_gb_s);
            add_item(r, "provisioned", bill.provisioned, "%s GB-s configured", q);
        }
        if (a->has_provisioned_requests) {
            format_quantity(q, sizeof q, u.provisioned_duration_gb_s);
            add_item(r, "provisioned_duration", bill.provisioned_duration,
                     "%s GB-s on provisioned", q);
        }
        if (a->has_ephemeral) {
            format_quantity(q, sizeof q, u.ephemeral_gb_s);
            add_item(r, "ephemeral", bill.ephemeral, "%s GB-s of /tmp above %.0fMB", q,
                     p->lambda_ephemeral_included_mb);
        }
    }
    if (a->glue_dpu > 0) {
        /* Each run billed per second with its version's minimum. */
        double dpu_s = (double)a->glue_runs * a->glue_dpu *
                       cost_glue_billed_s(a->glue_version, a->glue_hours * 3600.0);
        format_quantity(q, sizeof q, dpu_s / 3600.0);
        add_item(r, "glue", cost_glue_usd(p, dpu_s, a->glue_flex ? SCN_EXEC_FLEX : SCN_EXEC_STANDARD),
                 "%s DPU-hours, %s", q, a->glue_flex ? "flex" : "standard");
    }
    if (a->emr_instance) {
        double instance_s = (double)a->emr_count * cost_emr_billed_s(a->emr_hours * 3600.0);
        format_quantity(q, sizeof q, instance_s / 3600.0);
        add_item(r, "emr", cost_emr_ec2_usd(p, a->emr_instance, instance_s),
                 "%s instance-hours of %s", q, a->emr_instance);
    }
    /* The services around the compute (models/services.h), one item per rate. */
    if (a->kinesis_shards > 0) {
        double shard_hours = (double)a->kinesis_shards * a->kinesis_hours;
        format_quantity(q, sizeof q, shard_hours);
        add_item(r, "kinesis_shards", shard_hours * p->kinesis_usd_per_shard_hour,
                 "%s shard-hours", q);
    }
    if (a->kinesis_put_units > 0) {
        format_quantity(q, sizeof q, (double)a->kinesis_put_units);
        add_item(r, "kinesis_put_units", (double)a->kinesis_put_units * p->kinesis_usd_per_put_unit,
                 "%s PUT payload units (%g KB)", q, p->kinesis_put_unit_kb);
    }
    if (a->sqs_requests > 0) {
        format_quantity(q, sizeof q, (double)a->sqs_requests);
        add_item(r, "sqs", (double)a->sqs_requests * p->sqs_usd_per_request,
                 "%s requests (%g KB chunks)", q, p->sqs_request_chunk_kb);
    }
    if (a->s3_put > 0) {
        format_quantity(q, sizeof q, (double)a->s3_put);
        add_item(r, "s3_put", (double)a->s3_put * p->s3_usd_per_put, "%s PUT requests", q);
    }
    if (a->s3_get > 0) {
        format_quantity(q, sizeof q, (double)a->s3_get);
        add_item(r, "s3_get", (double)a->s3_get * p->s3_usd_per_get, "%s GET requests", q);
    }
    if (a->sfn_transitions > 0) {
        format_quantity(q, sizeof q, (double)a->sfn_transitions);
        add_item(r, "step_functions", (double)a->sfn_transitions * p->sfn_usd_per_transition,
                 "%s state transitions", q);
    }
    if (a->logs_gb > 0) {
        format_quantity(q, sizeof q, a->logs_gb);
        add_item(r, "logs", a->logs_gb * p->logs_usd_per_gb, "%s GB ingested", q);
    }
    double total = 0.0;
    for (size_t i = 0; i < r->n_items; i++)
        total += r->items[i].usd;
    r->total_usd = cost_round_cents(total); /* the sum of cents, without binary dust */
    return SIM_OK;
}

/* ---------------------------------------------------------------- output */

static char *render(const cost_result *r, const pricing_table *p, const cost_args *a,
                    cli_format format)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    switch (format) {
    case CLI_FORMAT_JSON:
        /* Printed by hand: money with exactly two decimals, as AWS writes it. */
        fputs("{\"items\": [", f);
        for (size_t i = 0; i < r->n_items; i++)
            fprintf(f, "%s{\"name\": \"%s\", \"usd\": %.2f}", i ? ", " : "", r->items[i].name,
                    r->items[i].usd);
        fprintf(f, "], \"total_usd\": %.2f}\n", r->total_usd);
        break;
    case CLI_FORMAT_CSV:
        fputs("item,usd\n", f);
        for (size_t i = 0; i < r->n_items; i++)
            fprintf(f, "%s,%.2f\n", r->items[i].name, r->items[i].usd);
        fprintf(f, "total,%.2f\n", r->total_usd);
        break;
    default:
        fprintf(f, "pricing table %s (%s, prices of %s)%s\n\n", p->name, p->region, p->date,
                a->free_tier ? ", monthly free tier applied" : "");
        fprintf(f, "%-22s %-40s %10s\n", "item", "billed usage", "usd");
        for (size_t i = 0; i < r->n_items; i++)
            fprintf(f, "%-22s %-40s %10.2f\n", r->items[i].name, r->items[i].usage,
                    r->items[i].usd);
        fprintf(f, "%-22s %-40s %10.2f\n", "total", "", r->total_usd);
        break;
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

int cli_cmd_cost(const cli_options *opt)
{
    cost_args a;
    int code = read_args(opt, &a);
    if (code)
        return code;
    sim_diag diag;
    sim_diag_init(&diag);
    pricing_table *p = NULL;
    int rc = pricing_load(a.pricing, &diag, &p);
    sim_diag_print(&diag, stderr);
    sim_diag_fini(&diag);
    if (rc == SIM_ENOMEM) {
        fprintf(stderr, "capsim cost: %s\n", sim_strerror(rc));
        return CLI_EXIT_RUNTIME;
    }
    if (rc == SIM_EIO && pricing_is_path(a.pricing))
        return CLI_EXIT_IO; /* a table file given by path that cannot be read */
    if (rc)
        return CLI_EXIT_SCENARIO; /* no table of that name, or a broken one: like a bad scenario */
    if (a.emr_instance && !pricing_find_instance(p, a.emr_instance)) {
        char known[512];
        pricing_list_instances(p, known, sizeof known);
        code = usage_error("--emr-instance: '%s' is not in pricing table %s; known types: %s",
                           a.emr_instance, p->name, known);
        pricing_destroy(p);
        return code;
    }
    cost_result r;
    rc = price(&a, p, &r);
    char *text = rc ? NULL : render(&r, p, &a, opt->format);
    if (!text) {
        fprintf(stderr, "capsim cost: %s\n", sim_strerror(rc ? rc : SIM_ENOMEM));
        code = CLI_EXIT_RUNTIME;
    } else {
        code = cli_emit(NULL, NULL, text);
    }
    free(text);
    pricing_destroy(p);
    return code;
}
