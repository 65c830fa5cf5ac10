/* cli/sweep_shard.c — a sweep's shard files: written by `capsim sweep --shard I/N`, read back
 * by `capsim merge` (the format is in sweep.h).
 *
 * Every number is written so that it reads back to the same bits, and the reader checks every
 * field, so a merge renders exactly what the shards' points were, and a damaged or foreign file
 * is refused with the first thing wrong with it. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/sweep.h"
#include "models/sweep.h"
#include "sim/rng.h"

static json_t *string_array(char *const *items, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, json_string(items[i]))) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

json_t *cli_sweep_identity(const cli_sweep *sw)
{
    json_t *id = json_object(), *vary = json_array();
    int rc = !id || !vary;
    if (!rc) {
        rc |= json_object_set_new(id, "scenario", json_string(sw->scenario));
        rc |= json_object_set_new(id, "seed", json_integer((json_int_t)sw->seed));
        rc |= json_object_set_new(id, "replications", json_integer(sw->replications));
        rc |= json_object_set_new(id, "horizon_us", json_integer(sw->horizon_us));
        rc |= json_object_set_new(id, "warmup_us", json_integer(sw->warmup_us));
        rc |= json_object_set_new(id, "month_us", json_integer(sw->month_us));
        rc |= json_object_set_new(id, "sets", string_array(sw->sets, sw->n_sets));
        rc |= json_object_set(id, "vary", vary);
        rc |= json_object_set_new(id, "zip", json_boolean(sw->zip));
        rc |= json_object_set_new(id, "points", json_integer((json_int_t)sw->n_points));
        /* last: merge names the first field that differs, and this one says least */
        rc |= json_object_set_new(id, "digest", json_string(sw->digest));
    }
    for (size_t a = 0; a < sw->n_axes && !rc; a++) {
        const cli_sweep_axis *x = &sw->axes[a];
        json_t *ax = json_object();
        rc |= !ax || json_array_append_new(vary, ax);
        if (rc) break;
        rc |= json_object_set_new(ax, "arg", json_string(x->arg));
        rc |= json_object_set_new(ax, "key", json_string(x->key));
        rc |= json_object_set_new(ax, "values", string_array(x->values, x->n_values));
    }
    json_decref(vary);
    if (rc) {
        json_decref(id);
        return NULL;
    }
    return id;
}

/* A double that reads back to the same bits: 17 significant digits, or a string when it is
 * not finite (JSON has no NaN). */
static json_t *exact_json(double v)
{
    if (isnan(v)) return json_string("nan");
    if (isinf(v)) return json_string(v > 0 ? "inf" : "-inf");
    return json_real(v);
}

/* A platform's overload verdict: null when it keeps up. */
static json_t *overload_json(const report_overload *o)
{
    if (!o->overloaded) return json_null();
    return json_pack("{s s s o s s}", "metric", o->metric, "growth_per_hour",
                     exact_json(o->growth_per_hour), "hint", o->hint);
}

static json_t *section_shard_json(const report_section *sec)
{
    json_t *obj = json_object(), *metrics = json_array();
    int rc = !obj || !metrics;
    if (!rc) {
        rc |= json_object_set_new(obj, "name", json_string(sec->name));
        rc |= json_object_set_new(obj, "note", json_string(sec->note));
        rc |= json_object_set_new(obj, "overload", overload_json(&sec->overload));
        rc |= json_object_set(obj, "metrics", metrics);
    }
    for (size_t k = 0; k < sec->n && !rc; k++) {
        const report_metric *m = &sec->metrics[k];
        json_t *row = json_pack("[s s o o]", m->path, m->kind == REPORT_COUNT ? "count" : "real",
                                exact_json(m->value), m->has_ci ? exact_json(m->ci95) : json_null());
        rc |= !row || json_array_append_new(metrics, row);
    }
    json_decref(metrics);
    if (rc) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

json_t *cli_report_sections_json(const report *r)
{
    json_t *sections = json_array();
    int rc = !sections || json_array_append_new(sections, section_shard_json(&r->workload));
    for (size_t k = 0; k < r->n_platforms && !rc; k++)
        rc |= json_array_append_new(sections, section_shard_json(&r->platforms[k]));
    if (rc) {
        json_decref(sections);
        return NULL;
    }
    return sections;
}

char *cli_sweep_shard_text(const cli_sweep *sw)
{
    json_t *root = json_object(), *points = json_array(), *id = cli_sweep_identity(sw);
    char *text = NULL;
    int rc = !root || !points || !id;
    if (!rc) {
        rc |= json_object_set_new(root, "capsim", json_string(CAPSIM_VERSION));
        rc |= json_object_set_new(root, "rng", json_string(SIM_RNG_NAME));
        rc |= json_object_set_new(root, "kind", json_string(CLI_SHARD_KIND));
        rc |= json_object_set_new(root, "shard", json_pack("{s I s I}", "index",
                                                          (json_int_t)sw->shard_index, "count",
                                                          (json_int_t)sw->shard_count));
        rc |= json_object_set(root, "sweep", id);
        rc |= json_object_set(root, "points", points);
    }
    for (size_t i = 0; i < sw->n_present && !rc; i++) {
        const cli_sweep_point *p = &sw->points[i];
        json_t *pt = json_object();
        rc |= !pt || json_array_append_new(points, pt);
        if (rc) break;
        rc |= json_object_set_new(pt, "index", json_integer((json_int_t)p->index));
        rc |= json_object_set_new(pt, "values", string_array(p->values, sw->n_axes));
        rc |= json_object_set_new(pt, "sections", cli_report_sections_json(&p->r));
    }
    if (!rc) text = cli_json_text(root, JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_decref(id);
    json_decref(points);
    json_decref(root);
    return text;
}

/* ---- reading a shard */

typedef struct shard_reader {
    const char *path;
    bool bad, oom;
} shard_reader;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void bad(shard_reader *rd, const char *fmt, ...)
{
    if (rd->bad) return; /* the first problem says it: the rest follow from it */
    rd->bad = true;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: error: not a capsim sweep shard of this version: ", rd->path);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static json_t *field(shard_reader *rd, json_t *obj, const char *key, json_type type)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (!v || json_typeof(v) != type)
        bad(rd, "'%s' is missing or of the wrong type", key);
    return rd->bad ? NULL : v;
}

static char *string_field(shard_reader *rd, json_t *obj, const char *key)
{
    json_t *v = field(rd, obj, key, JSON_STRING);
    char *s = v ? strdup(json_string_value(v)) : NULL;
    if (v && !s) rd->oom = true;
    return s;
}

static int64_t int_field(shard_reader *rd, json_t *obj, const char *key, int64_t min)
{
    json_t *v = field(rd, obj, key, JSON_INTEGER);
    if (v && json_integer_value(v) < min) bad(rd, "'%s' is out of range", key);
    return v ? (int64_t)json_integer_value(v) : 0;
}

static char **strings(shard_reader *rd, json_t *arr, const char *what, size_t *n)
{
    *n = 0;
    if (!json_is_array(arr)) {
        bad(rd, "'%s' is not a list", what);
        return NULL;
    }
    size_t len = json_array_size(arr);
    char **out = calloc(len ? len : 1, sizeof *out);
    if (!out) {
        rd->oom = true;
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        json_t *s = json_array_get(arr, i);
        if (!json_is_string(s)) {
            bad(rd, "'%s' holds something other than text", what);
            break;
        }
        if (!(out[i] = strdup(json_string_value(s)))) {
            rd->oom = true;
            break;
        }
        *n = i + 1;
    }
    return out;
}

static bool exact_read(json_t *v, double *out)
{
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return true;
    }
    const char *s = json_string_value(v);
    if (!s) return false;
    if (strcmp(s, "nan") == 0) *out = NAN;
    else if (strcmp(s, "inf") == 0) *out = INFINITY;
    else if (strcmp(s, "-inf") == 0) *out = -INFINITY;
    else return false;
    return true;
}

static void read_section(shard_reader *rd, json_t *obj, report *r)
{
    json_t *name = field(rd, obj, "name", JSON_STRING), *note = field(rd, obj, "note", JSON_STRING);
    json_t *metrics = field(rd, obj, "metrics", JSON_ARRAY);
    if (rd->bad) return;
    const char *nm = json_string_value(name);
    report_section *sec = NULL;
    if (strcmp(nm, "workload") == 0) {
        if (r->workload.n > 0) bad(rd, "a point has two workload sections");
        sec = &r->workload;
    } else if (strlen(nm) >= sizeof sec->name || report_find_platform(r, nm)) {
        bad(rd, "bad platform section '%s'", nm);
    } else if (!(sec = report_add_platform(r, nm))) {
        bad(rd, "a point has more than %d platforms", REPORT_MAX_PLATFORMS);
    }
    if (rd->bad) return;
    if (strlen(json_string_value(note)) >= sizeof sec->note) {
        bad(rd, "a note is too long");
        return;
    }
    snprintf(sec->note, sizeof sec->note, "%s", json_string_value(note));
    /* "overload": null (keeps up) or {metric, growth_per_hour, hint}; absent in older shards */
    json_t *ov = json_object_get(obj, "overload");
    if (ov && !json_is_null(ov)) {
        json_t *om = json_object_get(ov, "metric"), *oh = json_object_get(ov, "hint");
        if (!json_is_string(om) || !json_is_string(oh) ||
            strlen(json_string_value(om)) >= sizeof sec->overload.metric ||
            strlen(json_string_value(oh)) >= sizeof sec->overload.hint ||
            !exact_read(json_object_get(ov, "growth_per_hour"), &sec->overload.growth_per_hour)) {
            bad(rd, "the overload of section '%s' is damaged", nm);
            return;
        }
        sec->overload.overloaded = true;
        snprintf(sec->overload.metric, sizeof sec->overload.metric, "%s", json_string_value(om));
        snprintf(sec->overload.hint, sizeof sec->overload.hint, "%s", json_string_value(oh));
    }
    size_t n = json_array_size(metrics);
    if (n > 0 && !(sec->metrics = calloc(n, sizeof *sec->metrics))) {
        rd->oom = true;
        return;
    }
    sec->capacity = n;
    for (size_t k = 0; k < n; k++) {
        json_t *row = json_array_get(metrics, k);
        report_metric *m = &sec->metrics[k];
        json_t *ci = json_array_get(row, 3);
        const char *path = json_string_value(json_array_get(row, 0));
        const char *kind = json_string_value(json_array_get(row, 1));
        if (json_array_size(row) != 4 || !path || strlen(path) >= sizeof m->path || !kind ||
            (strcmp(kind, "count") != 0 && strcmp(kind, "real") != 0) ||
            !exact_read(json_array_get(row, 2), &m->value) ||
            !(json_is_null(ci) || exact_read(ci, &m->ci95))) {
            bad(rd, "metric %zu of section '%s' is damaged", k + 1, nm);
            return;
        }
        snprintf(m->path, sizeof m->path, "%s", path);
        m->kind = strcmp(kind, "count") == 0 ? REPORT_COUNT : REPORT_REAL;
        m->has_ci = !json_is_null(ci);
        sec->n = k + 1;
    }
}

int cli_report_sections_read(json_t *sections, const char *what, report *r)
{
    shard_reader rd = {what, false, false};
    if (!json_is_array(sections)) bad(&rd, "'sections' is not a list");
    for (size_t k = 0; !rd.bad && !rd.oom && k < json_array_size(sections); k++)
        read_section(&rd, json_array_get(sections, k), r);
    return rd.oom ? -2 : rd.bad ? -1 : 0;
}

static void read_identity(shard_reader *rd, json_t *id, cli_sweep *out)
{
    out->scenario = string_field(rd, id, "scenario");
    out->digest = string_field(rd, id, "digest");
    out->seed = (uint64_t)int_field(rd, id, "seed", 0);
    out->replications = int_field(rd, id, "replications", 1);
    out->horizon_us = int_field(rd, id, "horizon_us", 0);
    out->warmup_us = int_field(rd, id, "warmup_us", 0);
    out->month_us = int_field(rd, id, "month_us", 0);
    json_t *sets = field(rd, id, "sets", JSON_ARRAY);
    if (sets) out->sets = strings(rd, sets, "sets", &out->n_sets);
    json_t *zip = json_object_get(id, "zip");
    if (!json_is_boolean(zip)) bad(rd, "'zip' is missing or of the wrong type");
    out->zip = json_is_true(zip);
    out->n_points = (size_t)int_field(rd, id, "points", 1);
    if (!rd->bad && out->n_points > SWEEP_MAX_POINTS) bad(rd, "'points' is out of range");
    json_t *vary = field(rd, id, "vary", JSON_ARRAY);
    size_t n = vary ? json_array_size(vary) : 0;
    if (vary && n == 0) bad(rd, "'vary' is empty");
    if (rd->bad || !(out->axes = calloc(n, sizeof *out->axes))) {
        rd->oom |= !rd->bad;
        return;
    }
    for (size_t a = 0; a < n && !rd->bad && !rd->oom; a++) {
        json_t *ax = json_array_get(vary, a);
        cli_sweep_axis *x = &out->axes[out->n_axes++];
        x->arg = string_field(rd, ax, "arg");
        x->key = string_field(rd, ax, "key");
        json_t *values = field(rd, ax, "values", JSON_ARRAY);
        if (values) x->values = strings(rd, values, "values", &x->n_values);
    }
}

static void read_points(shard_reader *rd, json_t *points, cli_sweep *out)
{
    size_t n = json_array_size(points);
    if (!(out->points = calloc(n ? n : 1, sizeof *out->points))) {
        rd->oom = true;
        return;
    }
    for (size_t i = 0; i < n && !rd->bad && !rd->oom; i++) {
        json_t *pt = json_array_get(points, i);
        cli_sweep_point *p = &out->points[out->n_present++];
        report_init(&p->r);
        int64_t index = int_field(rd, pt, "index", 0);
        json_t *values = field(rd, pt, "values", JSON_ARRAY);
        json_t *sections = field(rd, pt, "sections", JSON_ARRAY);
        if (rd->bad) break;
        p->index = (size_t)index;
        if (p->index >= out->n_points || (i > 0 && p->index <= out->points[i - 1].index)) {
            bad(rd, "point %zu has index %lld: out of range or out of order", i + 1,
                (long long)index);
            break;
        }
        if (json_array_size(values) != out->n_axes) {
            bad(rd, "point %zu has %zu values for %zu keys", i + 1, json_array_size(values),
                out->n_axes);
            break;
        }
        if (!(p->values = calloc(out->n_axes, sizeof *p->values))) {
            rd->oom = true;
            break;
        }
        for (size_t a = 0; a < out->n_axes && !rd->oom && !rd->bad; a++) {
            const char *v = json_string_value(json_array_get(values, a));
            if (!v) bad(rd, "point %zu has a value that is not text", i + 1);
            else if (!(p->values[a] = strdup(v))) rd->oom = true;
        }
        for (size_t k = 0; k < json_array_size(sections) && !rd->bad && !rd->oom; k++)
            read_section(rd, json_array_get(sections, k), &p->r);
    }
}

int cli_sweep_shard_read(const char *path, cli_sweep *out, json_t **identity)
{
    memset(out, 0, sizeof *out);
    *identity = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "capsim: cannot read %s: %s\n", path, strerror(errno));
        return CLI_EXIT_IO;
    }
    json_error_t err;
    json_t *root = json_loadf(f, 0, &err);
    bool read_error = ferror(f);
    fclose(f);
    if (read_error) {
        json_decref(root);
        fprintf(stderr, "capsim: cannot read %s\n", path);
        return CLI_EXIT_IO;
    }
    if (!root) {
        fprintf(stderr, "%s:%d:%d: error: not a capsim sweep shard: %s\n", path, err.line,
                err.column, err.text);
        return CLI_EXIT_SCENARIO;
    }
    shard_reader rd = {path, false, false};
    json_t *kind = field(&rd, root, "kind", JSON_STRING);
    if (kind && strcmp(json_string_value(kind), CLI_SHARD_KIND) != 0)
        bad(&rd, "its kind is '%s'", json_string_value(kind));
    json_t *version = field(&rd, root, "capsim", JSON_STRING);
    if (version && strcmp(json_string_value(version), CAPSIM_VERSION) != 0)
        bad(&rd, "written by capsim %s, this is capsim %s", json_string_value(version),
            CAPSIM_VERSION);
    /* Shards drawn with another random-number contract are other numbers: never merged. */
    json_t *rng = field(&rd, root, "rng", JSON_STRING);
    if (rng && strcmp(json_string_value(rng), SIM_RNG_NAME) != 0)
        bad(&rd, "drawn with random numbers %s, this capsim uses %s", json_string_value(rng),
            SIM_RNG_NAME);
    json_t *shard = field(&rd, root, "shard", JSON_OBJECT);
    json_t *id = field(&rd, root, "sweep", JSON_OBJECT);
    json_t *points = field(&rd, root, "points", JSON_ARRAY);
    if (shard) {
        out->shard_count = (size_t)int_field(&rd, shard, "count", 1);
        out->shard_index = (size_t)int_field(&rd, shard, "index", 1);
        if (!rd.bad && (out->shard_index > out->shard_count || out->shard_count > SWEEP_MAX_POINTS))
            bad(&rd, "shard %zu/%zu is out of range", out->shard_index, out->shard_count);
    }
    if (!rd.bad) read_identity(&rd, id, out);
    if (!rd.bad && !rd.oom) read_points(&rd, points, out);
    if (!rd.bad && !rd.oom) *identity = json_incref(id);
    json_decref(root);
    if (rd.oom) fprintf(stderr, "capsim: out of memory while reading %s\n", path);
    return rd.oom ? CLI_EXIT_RUNTIME : rd.bad ? CLI_EXIT_SCENARIO : CLI_EXIT_OK;
}
