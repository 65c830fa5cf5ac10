/* models/pricing.c — pricing tables: finding, reading and checking a table file (see pricing.h).
 *
 * Finding: a table name is looked up in the first of these that applies (pricing_dir):
 *   1. $CAPSIM_PRICING_DIR, when set and not empty (read at each call);
 *   2. the tables installed beside this binary: <folder of /proc/self/exe>/CAPSIM_PRICING_DIR_
 *      FROM_BIN, which CMake computes from the install layout (bin/ -> share/capsim/pricing gives
 *      "../share/capsim/pricing"), so an installed capsim finds its tables wherever the prefix
 *      is, and even after the prefix is moved;
 *   3. the source tree's models/pricing (CAPSIM_PRICING_DIR_SOURCE), for a binary in a build tree.
 * 2 and 3 cannot change while the program runs: the choice is made once. When neither folder
 * exists, messages name 2 (where an installed capsim expects its tables).
 *
 * The file's format is described here as data, in the field tables of the scenario loader
 * (scenario_internal.h), and walked by the same code: a table gets the scenario's strict values,
 * positions, unknown-key suggestions and "every problem at once" for free. The walk fills a
 * pricing_doc: the pricing_table itself where the file's unit is the table's, plus the values
 * written in another unit (USD per million requests, tiers as a list, the rounding step as a
 * duration) and the sources, which are converted or dropped once the file is known good. */
#include "models/pricing.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <threads.h>
#include <unistd.h>

#include "models/datadir.h"
#include "models/scenario_internal.h"
#include "sim/error.h"

/* Both are set by CMakeLists.txt; these fallbacks only keep the file compilable on its own. */
#ifndef CAPSIM_PRICING_DIR_SOURCE
#define CAPSIM_PRICING_DIR_SOURCE "models/pricing"
#endif
#ifndef CAPSIM_PRICING_DIR_FROM_BIN
#define CAPSIM_PRICING_DIR_FROM_BIN "../share/capsim/pricing"
#endif

/* One tier as written: the bound is 0 when absent (only the last tier has none). */
typedef struct pricing_doc_tier {
    double up_to_gb_s_per_month;
    double usd_per_gb_s;
} pricing_doc_tier;

typedef struct pricing_doc {
    pricing_table t;
    int currency; /* index into CURRENCIES */
    char *description, *source;
    double usd_per_million_requests;
    pricing_doc_tier *tiers[2]; /* by scn_arch */
    size_t n_tiers[2];
    sim_time_us provisioned_round_us;
    int64_t ephemeral_included_mb;
    char *requests_source, *duration_source, *provisioned_source, *ephemeral_source,
        *free_tier_source, *glue_source, *ec2_source, *serverless_source;
    /* services, in the file's units */
    double kinesis_usd_per_million_put_units, sqs_usd_per_million_requests, s3_usd_per_1000_put,
        s3_usd_per_1000_get, sfn_usd_per_1000_transitions;
    double kinesis_put_unit_gb, kinesis_record_rounding_gb, sqs_chunk_gb;
    char *kinesis_source, *sqs_source, *s3_source, *sfn_source, *logs_source;
} pricing_doc;

_Static_assert(sizeof(scn_arch) == sizeof(int), "enum size");

#define D(member) offsetof(pricing_doc, member)
#define NO SCN_NO_OFF
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define SECTION_OF(fields, check) {fields, COUNT(fields), check}
/* Prices may be 0 (a free item) but never negative. */
#define PRICE(key, member) {key, SCN_T_NUMBER, D(member), NO, .has_min = true, .min = 0, .required = true}
#define SOURCE(member) {"source", SCN_T_STRING, D(member), NO, .required = true}
#define REQUIRED_SECTION(key, section) {key, SCN_T_SECTION, 0, NO, .sub = &section, .required = true}

static const char *const CURRENCIES[] = {"USD", NULL}; /* capsim reports usd_* everywhere */

static void check_root(scn_walk *w, yaml_node_t *map, void *base, const char *path);
static void check_duration(scn_walk *w, yaml_node_t *map, void *base, const char *path);
static void check_instances(scn_walk *w, yaml_node_t *map, void *base, const char *path);

/* ---- lambda ---- */
static const scn_field requests_fields[] = {
    PRICE("usd_per_million_requests", usd_per_million_requests),
    SOURCE(requests_source),
};
static const scn_section requests_section = SECTION_OF(requests_fields, NULL);

static const scn_field tier_fields[] = {
    {"up_to_gb_s_per_month", SCN_T_NUMBER, offsetof(pricing_doc_tier, up_to_gb_s_per_month), NO,
     .has_min = true, .min_excl = true, .min = 0},
    {"usd_per_gb_s", SCN_T_NUMBER, offsetof(pricing_doc_tier, usd_per_gb_s), NO, .has_min = true,
     .min = 0, .required = true},
};
static const scn_section tier_section = SECTION_OF(tier_fields, NULL);

#define TIERS(key, arch)                                                                        \
    {key, SCN_T_LIST, D(tiers[arch]), D(n_tiers[arch]), .sub = &tier_section,                  \
     .elem_size = sizeof(pricing_doc_tier), .nonempty = true, .required = true}
static const scn_field duration_fields[] = {
    TIERS("x86_64", SCN_ARCH_X86_64),
    TIERS("arm64", SCN_ARCH_ARM64),
    SOURCE(duration_source),
};
static const scn_section duration_section = SECTION_OF(duration_fields, check_duration);

static const scn_field pc_x86_fields[] = {
    PRICE("configured_usd_per_gb_s", t.lambda[SCN_ARCH_X86_64].provisioned_usd_per_gb_s),
    PRICE("duration_usd_per_gb_s", t.lambda[SCN_ARCH_X86_64].provisioned_duration_usd_per_gb_s),
};
static const scn_section pc_x86_section = SECTION_OF(pc_x86_fields, NULL);
static const scn_field pc_arm_fields[] = {
    PRICE("configured_usd_per_gb_s", t.lambda[SCN_ARCH_ARM64].provisioned_usd_per_gb_s),
    PRICE("duration_usd_per_gb_s", t.lambda[SCN_ARCH_ARM64].provisioned_duration_usd_per_gb_s),
};
static const scn_section pc_arm_section = SECTION_OF(pc_arm_fields, NULL);

static const scn_field provisioned_fields[] = {
    REQUIRED_SECTION("x86_64", pc_x86_section),
    REQUIRED_SECTION("arm64", pc_arm_section),
    {"configured_time_rounded_up_to", SCN_T_DURATION, D(provisioned_round_us), NO,
     .has_min = true, .min_excl = true, .min = 0, .required = true},
    SOURCE(provisioned_source),
};
static const scn_section provisioned_section = SECTION_OF(provisioned_fields, NULL);

static const scn_field ephemeral_fields[] = {
    {"included", SCN_T_SIZE_MB_INT, D(ephemeral_included_mb), NO, .has_min = true, .min = 0,
     .required = true},
    PRICE("usd_per_gb_s", t.lambda_ephemeral_usd_per_gb_s),
    SOURCE(ephemeral_source),
};
static const scn_section ephemeral_section = SECTION_OF(ephemeral_fields, NULL);

static const scn_field free_tier_fields[] = {
    {"requests_per_month", SCN_T_NUMBER, D(t.lambda_free_requests), NO, .has_min = true,
     .min = 0, .required = true},
    {"gb_s_per_month", SCN_T_NUMBER, D(t.lambda_free_gb_s), NO, .has_min = true, .min = 0,
     .required = true},
    SOURCE(free_tier_source),
};
static const scn_section free_tier_section = SECTION_OF(free_tier_fields, NULL);

static const scn_field lambda_fields[] = {
    REQUIRED_SECTION("requests", requests_section),
    REQUIRED_SECTION("duration", duration_section),
    REQUIRED_SECTION("provisioned_concurrency", provisioned_section),
    REQUIRED_SECTION("ephemeral_storage", ephemeral_section),
    REQUIRED_SECTION("free_tier", free_tier_section),
};
static const scn_section lambda_section = SECTION_OF(lambda_fields, NULL);

/* ---- glue, emr ---- */
static const scn_field glue_fields[] = {
    PRICE("standard_usd_per_dpu_hour", t.glue_usd_per_dpu_hour),
    PRICE("flex_usd_per_dpu_hour", t.glue_flex_usd_per_dpu_hour),
    SOURCE(glue_source),
};
static const scn_section glue_section = SECTION_OF(glue_fields, NULL);

#define I(member) offsetof(pricing_instance, member)
static const scn_field instance_fields[] = {
    {"type", SCN_T_STRBUF, I(name), NO, .cap = sizeof(((pricing_instance *)0)->name),
     .required = true},
    {"vcpu", SCN_T_NUMBER, I(vcpu), NO, .has_min = true, .min_excl = true, .min = 0,
     .required = true},
    {"memory", SCN_T_SIZE_GB, I(memory_gb), NO, .has_min = true, .min_excl = true, .min = 0,
     .required = true},
    {"ec2_usd_per_hour", SCN_T_NUMBER, I(ec2_usd_per_hour), NO, .has_min = true, .min = 0,
     .required = true},
    {"emr_usd_per_hour", SCN_T_NUMBER, I(emr_usd_per_hour), NO, .has_min = true, .min = 0,
     .required = true},
};
static const scn_section instance_section = SECTION_OF(instance_fields, NULL);

static const scn_field ec2_fields[] = {
    {"instances", SCN_T_LIST, D(t.instances), D(t.n_instances), .sub = &instance_section,
     .elem_size = sizeof(pricing_instance), .nonempty = true, .required = true},
    PRICE("ebs_usd_per_gb_month", t.emr_ebs_usd_per_gb_month),
    SOURCE(ec2_source),
};
static const scn_section ec2_section = SECTION_OF(ec2_fields, check_instances);

static const scn_field serverless_fields[] = {
    PRICE("usd_per_vcpu_hour", t.emr_serverless_usd_per_vcpu_hour),
    PRICE("usd_per_gb_hour", t.emr_serverless_usd_per_gb_hour),
    PRICE("storage_usd_per_gb_hour", t.emr_serverless_storage_usd_per_gb_hour),
    {"free_storage_per_worker", SCN_T_SIZE_GB, D(t.emr_serverless_free_storage_gb), NO,
     .has_min = true, .min = 0, .required = true},
    SOURCE(serverless_source),
};
static const scn_section serverless_section = SECTION_OF(serverless_fields, NULL);

static const scn_field emr_fields[] = {
    REQUIRED_SECTION("ec2", ec2_section),
    REQUIRED_SECTION("serverless", serverless_section),
};
static const scn_section emr_section = SECTION_OF(emr_fields, NULL);

/* ---- the services around the compute ---- */
/* A positive size (a PUT unit, a rounding step, a request chunk). */
#define UNIT_SIZE(key, member)                                                                 \
    {key, SCN_T_SIZE_GB, D(member), NO, .has_min = true, .min_excl = true, .min = 0,           \
     .required = true}
static const scn_field kinesis_prov_fields[] = {
    PRICE("usd_per_shard_hour", t.kinesis_usd_per_shard_hour),
    PRICE("usd_per_million_put_units", kinesis_usd_per_million_put_units),
    UNIT_SIZE("put_unit", kinesis_put_unit_gb),
};
static const scn_section kinesis_prov_section = SECTION_OF(kinesis_prov_fields, NULL);
static const scn_field kinesis_od_fields[] = {
    PRICE("usd_per_stream_hour", t.kinesis_od_usd_per_stream_hour),
    PRICE("usd_per_gb_written", t.kinesis_od_usd_per_gb_written),
    PRICE("usd_per_gb_read", t.kinesis_od_usd_per_gb_read),
    UNIT_SIZE("record_rounded_up_to", kinesis_record_rounding_gb),
};
static const scn_section kinesis_od_section = SECTION_OF(kinesis_od_fields, NULL);
static const scn_field kinesis_efo_fields[] = {
    PRICE("usd_per_consumer_shard_hour", t.kinesis_efo_usd_per_consumer_shard_hour),
    PRICE("usd_per_gb", t.kinesis_efo_usd_per_gb),
};
static const scn_section kinesis_efo_section = SECTION_OF(kinesis_efo_fields, NULL);
static const scn_field kinesis_fields[] = {
    REQUIRED_SECTION("provisioned", kinesis_prov_section),
    REQUIRED_SECTION("on_demand", kinesis_od_section),
    REQUIRED_SECTION("enhanced_fan_out", kinesis_efo_section),
    SOURCE(kinesis_source),
};
static const scn_section kinesis_section = SECTION_OF(kinesis_fields, NULL);

static const scn_field sqs_fields[] = {
    PRICE("usd_per_million_requests", sqs_usd_per_million_requests),
    UNIT_SIZE("request_chunk", sqs_chunk_gb),
    SOURCE(sqs_source),
};
static const scn_section sqs_section = SECTION_OF(sqs_fields, NULL);
static const scn_field s3_fields[] = {
    PRICE("usd_per_1000_put", s3_usd_per_1000_put),
    PRICE("usd_per_1000_get", s3_usd_per_1000_get),
    SOURCE(s3_source),
};
static const scn_section s3_section = SECTION_OF(s3_fields, NULL);
static const scn_field sfn_fields[] = {
    PRICE("usd_per_1000_transitions", sfn_usd_per_1000_transitions),
    SOURCE(sfn_source),
};
static const scn_section sfn_section = SECTION_OF(sfn_fields, NULL);
static const scn_field logs_fields[] = {
    PRICE("usd_per_gb_ingested", t.logs_usd_per_gb),
    SOURCE(logs_source),
};
static const scn_section logs_section = SECTION_OF(logs_fields, NULL);

static const scn_field root_fields[] = {
    {"region", SCN_T_STRBUF, D(t.region), NO, .cap = sizeof(((pricing_table *)0)->region),
     .slug = true, .required = true},
    {"date", SCN_T_STRBUF, D(t.date), NO, .cap = sizeof(((pricing_table *)0)->date),
     .required = true},
    {"currency", SCN_T_ENUM, D(currency), NO, .names = CURRENCIES, .required = true},
    {"description", SCN_T_STRING, D(description), NO, .required = false},
    {"source", SCN_T_STRING, D(source), NO, .required = false},
    REQUIRED_SECTION("lambda", lambda_section),
    REQUIRED_SECTION("glue", glue_section),
    REQUIRED_SECTION("emr", emr_section),
    REQUIRED_SECTION("kinesis", kinesis_section),
    REQUIRED_SECTION("sqs", sqs_section),
    REQUIRED_SECTION("s3", s3_section),
    REQUIRED_SECTION("step_functions", sfn_section),
    REQUIRED_SECTION("cloudwatch_logs", logs_section),
};
static const scn_section root_section = SECTION_OF(root_fields, check_root);

static const scn_doc_kind PRICING_KIND = {"pricing table",
                                          "region:, date:, lambda:, glue:, emr:, kinesis:, sqs:, "
                                          "s3:, step_functions:, cloudwatch_logs:",
                                          &root_section};

/* ---------------------------------------------------------------- rules */

/* The date the prices were read, as YYYY-MM-DD, so a reader can tell how old they are. */
static void check_root(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    const pricing_doc *d = base;
    const char *t = d->t.date;
    bool ok = strlen(t) == 10 && t[4] == '-' && t[7] == '-';
    for (int i = 0; ok && i < 10; i++)
        ok = i == 4 || i == 7 || (t[i] >= '0' && t[i] <= '9');
    if (map && t[0] && !ok)
        scn_error_key(w, "date", map, "'%s' is not a date like 2026-11-01 (YYYY-MM-DD)", t);
}

/* Each architecture's tiers: every tier but the last has a bound, the last has none, bounds
 * increase, and there are at most PRICING_MAX_TIERS. */
static void check_duration(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    const pricing_doc *d = base;
    if (!map)
        return;
    static const char *const arch_keys[] = {"x86_64", "arm64"};
    char sub[SCN_PATH_LEN];
    for (int a = 0; a < 2; a++) {
        yaml_node_t *list = scn_map_get(w, map, arch_keys[a]);
        size_t n = d->n_tiers[a];
        if (!list || list->type != YAML_SEQUENCE_NODE || n == 0)
            continue; /* missing or not a list: reported by the walk */
        snprintf(sub, sizeof sub, "%s.%s", path, arch_keys[a]);
        if (n > PRICING_MAX_TIERS) {
            scn_error(w, list, sub, "%zu tiers; at most %d are supported", n, PRICING_MAX_TIERS);
            continue;
        }
        double prev = 0.0;
        const char *prev_text = "0";
        for (size_t i = 0; i < n; i++) {
            const pricing_doc_tier *tier = &d->tiers[a][i];
            yaml_node_t *item = scn_node(w, list->data.sequence.items.start[i]);
            yaml_node_t *bound = scn_map_get(w, item, "up_to_gb_s_per_month");
            char at[SCN_PATH_LEN + 64];
            snprintf(at, sizeof at, "%s[%zu].up_to_gb_s_per_month", sub, i);
            bool last = i + 1 == n;
            if (last && bound)
                scn_error(w, bound, at, "the last tier has no upper bound: it covers every GB-s "
                          "above the previous one; remove the key");
            else if (!last && !bound)
                scn_error(w, item, at, "required key is missing (every tier but the last ends "
                          "at a monthly GB-s)");
            else if (!last && tier->up_to_gb_s_per_month > 0 &&
                     tier->up_to_gb_s_per_month <= prev)
                scn_error(w, bound, at, "tier bounds must increase: %s is not above the previous "
                          "tier's %s", scn_text(bound), prev_text);
            if (!last && tier->up_to_gb_s_per_month > prev) {
                prev = tier->up_to_gb_s_per_month;
                prev_text = scn_text(bound);
            }
        }
    }
}

/* Instance types are looked up by name: two with one name would make the price ambiguous. */
static void check_instances(scn_walk *w, yaml_node_t *map, void *base, const char *path)
{
    const pricing_doc *d = base;
    yaml_node_t *list = scn_map_get(w, map, "instances");
    if (!list || list->type != YAML_SEQUENCE_NODE)
        return;
    for (size_t i = 0; i < d->t.n_instances; i++) {
        for (size_t j = 0; j < i; j++) {
            if (!d->t.instances[i].name[0] ||
                strcmp(d->t.instances[i].name, d->t.instances[j].name) != 0)
                continue;
            yaml_node_t *item = scn_node(w, list->data.sequence.items.start[i]);
            char at[SCN_PATH_LEN + 64];
            snprintf(at, sizeof at, "%s.instances[%zu].type", path, i);
            scn_error(w, scn_map_get(w, item, "type"), at, "'%s' is listed twice (first as "
                      "instances[%zu])", d->t.instances[i].name, j);
            break;
        }
    }
}

/* ---------------------------------------------------------------- finding tables */

/* The folder of steps 2 and 3 (see the top of this file; models/datadir.h finds it). Written
 * once, by find_fixed_dir under call_once, and only read afterwards: threads loading scenarios
 * can share it. */
static char installed_dir[PATH_MAX];
static const char *fixed_dir = CAPSIM_PRICING_DIR_SOURCE;
static once_flag fixed_dir_once = ONCE_FLAG_INIT;

static void find_fixed_dir(void)
{
    fixed_dir = datadir_locate(CAPSIM_PRICING_DIR_FROM_BIN, CAPSIM_PRICING_DIR_SOURCE,
                               installed_dir, sizeof installed_dir);
}

const char *pricing_dir(void)
{
    const char *env = getenv("CAPSIM_PRICING_DIR");
    if (env && *env)
        return env;
    call_once(&fixed_dir_once, find_fixed_dir);
    return fixed_dir;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool pricing_is_path(const char *name_or_path)
{
    return strchr(name_or_path, '/') != NULL || ends_with(name_or_path, ".yaml");
}

int pricing_resolve(const char *name_or_path, const char *base_dir, char **out, char *why,
                    size_t why_len)
{
    if (pricing_is_path(name_or_path))
        return scn_resolve_path(base_dir, name_or_path, out, why, why_len);
    const char *dir = pricing_dir();
    size_t len = strlen(dir) + strlen(name_or_path) + sizeof "/.yaml";
    if (!(*out = malloc(len)))
        return SIM_ENOMEM;
    snprintf(*out, len, "%s/%s.yaml", dir, name_or_path);
    return SIM_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "aws-us-east-1, ..." : the tables in pricing_dir(), sorted, or "none". */
static void list_tables(char *buf, size_t len)
{
    snprintf(buf, len, "none");
    DIR *dir = opendir(pricing_dir());
    if (!dir)
        return;
    char *names[64];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL && n < COUNT(names);) {
        if (e->d_name[0] != '.' && ends_with(e->d_name, ".yaml"))
            if ((names[n] = strndup(e->d_name, strlen(e->d_name) - 5)) != NULL)
                n++;
    }
    closedir(dir);
    qsort(names, n, sizeof names[0], cmp_str);
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (used < len)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", names[i]);
        free(names[i]);
    }
}

int pricing_check_readable(const char *name_or_path, const char *base_dir, char *why,
                           size_t why_len)
{
    char *path;
    int rc = pricing_resolve(name_or_path, base_dir, &path, why, why_len);
    if (rc)
        return rc;
    /* Non-blocking: a FIFO without a writer would wait forever; only regular files are
     * tables (a pipe or device is refused like a data file, scenario_limits.c). */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
        snprintf(why, why_len, "cannot read '%s': %s", path,
                 S_ISDIR(st.st_mode) ? "it is a directory" : "it is not a regular file");
        rc = SIM_EIO;
    } else if (fd < 0) {
        int err = errno;
        if (err == ENOMEM) {
            free(path);
            return SIM_ENOMEM;
        }
        if (pricing_is_path(name_or_path)) {
            snprintf(why, why_len, "cannot read '%s': %s", path, strerror(err));
        } else {
            char tables[512];
            list_tables(tables, sizeof tables);
            snprintf(why, why_len, "cannot read '%s': %s; tables in %s: %s", path, strerror(err),
                     pricing_dir(), tables);
        }
        rc = SIM_EIO;
    }
    if (fd >= 0)
        close(fd);
    free(path);
    return rc;
}

/* The table's name: as given, or the file stem of a path ("x/eu-west-1.yaml" -> "eu-west-1"). */
static void table_name(char *buf, size_t len, const char *name_or_path)
{
    if (!pricing_is_path(name_or_path)) {
        snprintf(buf, len, "%s", name_or_path);
        return;
    }
    const char *slash = strrchr(name_or_path, '/');
    const char *stem = slash ? slash + 1 : name_or_path;
    size_t n = strlen(stem);
    if (ends_with(stem, ".yaml"))
        n -= 5;
    snprintf(buf, len, "%.*s", (int)n, stem);
}

/* Converts a walked, checked document into the table (taking the instances array). */
static void doc_to_table(pricing_doc *d, pricing_table *p)
{
    *p = d->t;
    d->t.instances = NULL;
    d->t.n_instances = 0;
    p->lambda_usd_per_request = d->usd_per_million_requests / 1e6;
    for (int a = 0; a < 2; a++) {
        pricing_lambda_arch *arch = &p->lambda[a];
        arch->n_tiers = d->n_tiers[a];
        for (size_t i = 0; i < d->n_tiers[a]; i++) {
            bool last = i + 1 == d->n_tiers[a];
            arch->tiers[i].up_to_gb_s = last ? INFINITY : d->tiers[a][i].up_to_gb_s_per_month;
            arch->tiers[i].usd_per_gb_s = d->tiers[a][i].usd_per_gb_s;
        }
    }
    p->lambda_provisioned_round_s = sim_time_to_s(d->provisioned_round_us);
    p->lambda_ephemeral_included_mb = (double)d->ephemeral_included_mb;
    /* sizes were read as GB (SCN_T_SIZE_GB): in KB */
    p->kinesis_usd_per_put_unit = d->kinesis_usd_per_million_put_units / 1e6;
    p->kinesis_put_unit_kb = d->kinesis_put_unit_gb * 1024.0 * 1024.0;
    p->kinesis_od_record_rounding_kb = d->kinesis_record_rounding_gb * 1024.0 * 1024.0;
    p->sqs_usd_per_request = d->sqs_usd_per_million_requests / 1e6;
    p->sqs_request_chunk_kb = d->sqs_chunk_gb * 1024.0 * 1024.0;
    p->s3_usd_per_put = d->s3_usd_per_1000_put / 1000.0;
    p->s3_usd_per_get = d->s3_usd_per_1000_get / 1000.0;
    p->sfn_usd_per_transition = d->sfn_usd_per_1000_transitions / 1000.0;
}

int pricing_load_from(const char *name_or_path, const char *base_dir, sim_diag *diag,
                      pricing_table **out)
{
    *out = NULL;
    char *path, why[1024];
    int rc = pricing_resolve(name_or_path, base_dir, &path, why, sizeof why);
    if (rc == SIM_ESCENARIO) /* a variable of the path: reported at the path as written */
        sim_diag_error(diag, name_or_path, 0, 0, NULL, "%s", why);
    if (rc)
        return rc;
    char *text = NULL;
    size_t len = 0;
    int err = scn_read_file(path, &text, &len);
    if (err == ENOMEM) {
        free(path);
        return SIM_ENOMEM;
    }
    if (err == EFBIG) {
        sim_diag_error(diag, path, 0, 0, NULL, "pricing table '%s' is larger than 16 MB, capsim's "
                       "limit for a YAML file", name_or_path);
        free(path);
        return SIM_ESCENARIO;
    }
    if (err) {
        char tables[512] = "";
        if (!pricing_is_path(name_or_path))
            list_tables(tables, sizeof tables);
        sim_diag_error(diag, path, 0, 0, NULL, "cannot read pricing table '%s': %s%s%s%s%s",
                       name_or_path, strerror(err), tables[0] ? "; tables in " : "",
                       tables[0] ? pricing_dir() : "", tables[0] ? ": " : "", tables);
        free(path);
        return SIM_EIO;
    }
    pricing_doc *d = calloc(1, sizeof *d);
    pricing_table *p = calloc(1, sizeof *p);
    char *dir = scn_dir_of(path);
    rc = d && p && dir ? scn_load_doc(path, dir, text, len, &PRICING_KIND, d, diag) : SIM_ENOMEM;
    free(text);
    free(dir);
    if (rc == SIM_OK) {
        doc_to_table(d, p);
        table_name(p->name, sizeof p->name, name_or_path);
        p->path = path;
        path = NULL;
        scn_free_section(&root_section, d); /* the sources and tier lists, now copied */
        *out = p;
        p = NULL;
    }
    free(d);
    free(p);
    free(path);
    return rc;
}

int pricing_load(const char *name_or_path, sim_diag *diag, pricing_table **out)
{
    return pricing_load_from(name_or_path, "", diag, out);
}

void pricing_destroy(pricing_table *p)
{
    if (!p)
        return;
    free(p->instances);
    free(p->path);
    free(p);
}

const pricing_instance *pricing_find_instance(const pricing_table *p, const char *name)
{
    for (size_t i = 0; i < p->n_instances; i++)
        if (strcmp(p->instances[i].name, name) == 0)
            return &p->instances[i];
    return NULL;
}

void pricing_list_instances(const pricing_table *p, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->n_instances && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
                                 p->instances[i].name);
}
