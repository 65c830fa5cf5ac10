/* models/scenario_load.c — reads a scenario file into a checked `scenario` (scenario.h).
 *
 * Steps: read the file (at most 16 MB); stream it once to refuse deep nesting before anything
 * is built (scenario_limits.c); parse it with libyaml's document API (yaml_parser_load), which
 * keeps the line and column of every node, so even a range error found late can point at its
 * line; graft the `--set KEY=VALUE` overrides into the same document (so they get exactly the
 * checks the file gets, see scenario_override.c); measure it with aliases expanded and refuse
 * NUL in strings (scenario_limits.c); then walk the document with the field tables of
 * scenario_rules.c. The walk never stops at the first problem: every error is recorded in the
 * sim_diag and the load fails at the end. Also here: scenario_destroy and the key positions.
 *
 * Positions: libyaml marks are 0-based; messages are 1-based. Nodes grafted from override N
 * (scenario_override.c) carry line N-1 and the column in its "KEY=VALUE" text; they are the
 * nodes added after the file's, and are reported as `--set:N:COL`. */
#include "models/scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/pricing.h"
#include "models/scenario_internal.h"
#include "models/units.h"
#include "sim/error.h"

#define MAX_FILE_BYTES (16u << 20)   /* a scenario is a few KB; refuse anything absurd */
#define MAX_SECTION_FIELDS 32

static const char *const OVERRIDE_SOURCE = SCN_OVERRIDE_SOURCE;

struct scn_walk {
    scenario *s;
    sim_diag *diag;
    size_t diag_before;      /* diag count when the load started */
    const char *dir;         /* the scenario file's directory, "" for the current one */
    yaml_document_t *doc;    /* the document being walked (main, or a default's) */
    int n_file_nodes;        /* node ids above this were grafted from --set */
    int in_default;          /* > 0 while applying a default: no keys recorded */
    bool oom;
    bool section_ok;         /* for the check being run: its section had no error */
    size_t keys_cap;
};

/* ------------------------------------------------------------------ small services */

const char *scn_dir(scn_walk *w) { return w->dir; }
scenario *scn_root(scn_walk *w) { return w->s; }
void scn_oom(scn_walk *w) { w->oom = true; }
size_t scn_error_count(scn_walk *w) { return sim_diag_count(w->diag); }
sim_diag *scn_diag(scn_walk *w) { return w->diag; }
bool scn_section_ok(scn_walk *w) { return w->section_ok; }

yaml_node_t *scn_node(scn_walk *w, int id) { return yaml_document_get_node(w->doc, id); }

const char *scn_text(yaml_node_t *node)
{
    return node && node->type == YAML_SCALAR_NODE ? (const char *)node->data.scalar.value : "";
}

bool scn_is_null(yaml_node_t *node)
{
    if (!node || node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *t = scn_text(node);
    return !*t || !strcmp(t, "~") || !strcmp(t, "null") || !strcmp(t, "Null") || !strcmp(t, "NULL");
}

const char *scn_node_kind(yaml_node_t *node)
{
    switch (node->type) {
    case YAML_MAPPING_NODE: return "a map";
    case YAML_SEQUENCE_NODE: return "a list";
    default: return scn_is_null(node) ? "nothing" : "a single value";
    }
}

yaml_node_t *scn_map_get(scn_walk *w, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = scn_node(w, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp(scn_text(k), key) == 0)
            return scn_node(w, p->value);
    }
    return NULL;
}

/* Where a node was written: the file, or the --set override it was grafted from. */
static void node_where(scn_walk *w, yaml_node_t *node, const char **file, int *line, int *col)
{
    *file = w->s->file;
    *line = *col = 0;
    if (!node || w->in_default)
        return;
    int id = (int)(node - w->doc->nodes.start) + 1;
    if (id > w->n_file_nodes)
        *file = OVERRIDE_SOURCE;
    *line = (int)node->start_mark.line + 1;
    *col = (int)node->start_mark.column + 1;
}

void scn_error(scn_walk *w, yaml_node_t *node, const char *path, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *file;
    int line, col;
    node_where(w, node, &file, &line, &col);
    sim_diag_error(w->diag, file, line, col, path, "%s", msg);
}

void scn_error_key(scn_walk *w, const char *key_path, yaml_node_t *fallback, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const scenario *s = w->s;
    for (size_t i = s->n_keys; !w->in_default && i-- > 0;) {
        const scn_key_pos *k = &s->keys[i];
        if (!strcmp(k->path, key_path)) {
            sim_diag_error(w->diag, k->source, k->value_line, k->value_col, key_path, "%s", msg);
            return;
        }
    }
    const char *file;
    int line, col;
    node_where(w, fallback, &file, &line, &col);
    sim_diag_error(w->diag, file, line, col, key_path, "%s", msg);
}

/* ------------------------------------------------------------------ data file paths */

/* Data files may live outside the repository (a downloaded trace, a user's pricing tables), so
 * their paths name environment variables instead of machine-specific folders; the scenario
 * then works on every machine where the variable is set, and says what to do where it is not. */

static bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
static bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

/* A growing string for the expansion; oom is sticky. */
typedef struct path_buf {
    char *p;
    size_t len, cap;
    bool oom;
} path_buf;

static void buf_add(path_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = 2 * (b->len + n + 1);
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Expands `${NAME}`, `${NAME:?advice}`, `$NAME` and `$$` in file (see scn_resolve_path). */
static int expand_env(const char *file, path_buf *b, char *why, size_t why_len)
{
    buf_add(b, "", 0);
    for (const char *p = file; *p;) {
        const char *dollar = strchr(p, '$');
        if (!dollar) {
            buf_add(b, p, strlen(p));
            break;
        }
        buf_add(b, p, (size_t)(dollar - p));
        const char *name = dollar + 1, *advice = NULL, *end;
        size_t name_len = 0, advice_len = 0;
        if (*name == '$') {             /* $$: a literal '$' */
            buf_add(b, "$", 1);
            p = name + 1;
            continue;
        }
        bool braced = *name == '{';
        name += braced;
        while (is_name_char(name[name_len]))
            name_len++;
        end = name + name_len;
        if (braced && end[0] == ':' && end[1] == '?') {
            advice = end + 2;
            const char *close = strchr(advice, '}');
            advice_len = close ? (size_t)(close - advice) : 0;
            end = close ? close : advice + strlen(advice);
        }
        if (name_len == 0 || !is_name_start(*name) || (braced && *end != '}')) {
            snprintf(why, why_len, "'%s': a '$' must start ${NAME}, ${NAME:?advice} or $NAME (an "
                     "environment variable; write $$ for a '$' itself)", file);
            return SIM_ESCENARIO;
        }
        p = end + braced;
        char var[256];
        snprintf(var, sizeof var, "%.*s", (int)name_len, name);
        const char *value = getenv(var);
        if (!value || !*value) {
            if (advice && advice_len)
                snprintf(why, why_len, "environment variable %s is %s: %.*s", var,
                         value ? "empty" : "not set", (int)advice_len, advice);
            else
                snprintf(why, why_len, "environment variable %s is %s: set it to where the data "
                         "is (export %s=/path/to/it) or write the path '%s' in full", var,
                         value ? "empty" : "not set", var, file);
            return SIM_ESCENARIO;
        }
        buf_add(b, value, strlen(value));
    }
    return b->oom ? SIM_ENOMEM : SIM_OK;
}

int scn_resolve_path(const char *dir, const char *file, char **out, char *why, size_t why_len)
{
    *out = NULL;
    path_buf b = {0};
    int rc = expand_env(file, &b, why, why_len);
    if (rc) {
        free(b.p);
        return rc;
    }
    if (b.p[0] == '/' || dir[0] == '\0') {
        *out = b.p;
        return SIM_OK;
    }
    path_buf joined = {0};
    buf_add(&joined, dir, strlen(dir));
    buf_add(&joined, "/", 1);
    buf_add(&joined, b.p, b.len);
    free(b.p);
    if (joined.oom) {
        free(joined.p);
        return SIM_ENOMEM;
    }
    *out = joined.p;
    return SIM_OK;
}

char *scn_data_path(scn_walk *w, yaml_node_t *node, const char *path, const char *file)
{
    char *out, why[1024];
    int rc = scn_resolve_path(w->dir, file, &out, why, sizeof why);
    if (rc == SIM_ENOMEM)
        w->oom = true;
    else if (rc)
        scn_error(w, node, path, "%s", why);
    return out;
}

/* "a.b" + "c" -> "a.b.c" into buf (the root's children have no prefix). */
void scn_join_path(char *buf, size_t len, const char *parent, const char *key)
{
    if (parent[0])
        snprintf(buf, len, "%s.%s", parent, key);
    else
        snprintf(buf, len, "%s", key);
}

void scn_record_key(scn_walk *w, const char *path, yaml_node_t *key, yaml_node_t *value)
{
    if (w->in_default)
        return;
    scenario *s = w->s;
    if (s->n_keys == w->keys_cap) {
        size_t cap = w->keys_cap ? 2 * w->keys_cap : 64;
        scn_key_pos *k = realloc(s->keys, cap * sizeof *k);
        if (!k) {
            w->oom = true;
            return;
        }
        s->keys = k;
        w->keys_cap = cap;
    }
    char *p = strdup(path);
    if (!p) {
        w->oom = true;
        return;
    }
    scn_key_pos *k = &s->keys[s->n_keys++];
    const char *key_file, *value_file;
    node_where(w, key, &key_file, &k->line, &k->col);
    node_where(w, value, &value_file, &k->value_line, &k->value_col);
    if (key_file != value_file) { /* a file's key whose value --set replaced: the override's */
        k->line = k->value_line;
        k->col = k->value_col;
    }
    k->source = value_file;
    k->path = p;
}

/* ------------------------------------------------------------------ key suggestions */

/* Optimal string alignment distance (Levenshtein plus adjacent transpositions): "memroy" is one
 * edit from "memory". Keys are short; longer inputs are simply not compared. */
static int edit_distance(const char *a, const char *b)
{
    enum { N = 40 };
    size_t la = strlen(a), lb = strlen(b);
    if (la >= N || lb >= N)
        return 99;
    int d[N + 1][N + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

/* Reports an unknown key: "did you mean" when one known key is close, else the allowed list. */
void scn_unknown_key(scn_walk *w, yaml_node_t *key, const char *path, const char *const *known,
                        size_t n_known)
{
    const char *text = scn_text(key);
    const char *best = NULL;
    int best_d = 99;
    for (size_t i = 0; i < n_known; i++) {
        int d = edit_distance(text, known[i]);
        if (d < best_d) {
            best_d = d;
            best = known[i];
        }
    }
    int allowed = strlen(best ? best : "") <= 4 ? 1 : 2;
    if (best && best_d <= allowed) {
        scn_error(w, key, path, "unknown key '%s'; did you mean '%s'?", text, best);
        return;
    }
    char list[600] = "";
    size_t used = 0;
    for (size_t i = 0; i < n_known && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", known[i]);
    scn_error(w, key, path, "unknown key '%s'; allowed here: %s", text, list);
}

/* ------------------------------------------------------------------ ranges */

/* Shared with `capsim schema`, so the reference prints ranges exactly as errors do. */
void scn_format_bound(char *buf, size_t len, const scn_field *f, double v)
{
    switch (f->type) {
    case SCN_T_DURATION: units_format_duration(buf, len, (sim_time_us)v); break;
    case SCN_T_SIZE_MB_INT: snprintf(buf, len, "%.0fMB", v); break;
    case SCN_T_SIZE_GB: units_format_size_mb(buf, len, v * 1024.0); break;
    case SCN_T_RATE:
    case SCN_T_RATE_PARTS: units_format_rate_per_s(buf, len, v); break;
    default: units_format_number(buf, len, v); break;
    }
}

/* Checks v (base units) against the field's range; reports "TEXT is outside A..B" otherwise. */
static bool in_range(scn_walk *w, const scn_field *f, yaml_node_t *node, const char *path,
                     double v, const char *text)
{
    bool lo_ok = !f->has_min || (f->min_excl ? v > f->min : v >= f->min);
    bool hi_ok = !f->has_max || v <= f->max;
    if (lo_ok && hi_ok)
        return true;
    char lo[64], hi[64];
    scn_format_bound(lo, sizeof lo, f, f->min);
    scn_format_bound(hi, sizeof hi, f, f->max);
    if (f->has_min && f->has_max && !f->min_excl)
        scn_error(w, node, path, "%s is outside %s..%s", text, lo, hi);
    else if (f->has_min && f->has_max)
        scn_error(w, node, path, "%s must be > %s and <= %s", text, lo, hi);
    else if (f->has_min)
        scn_error(w, node, path, "%s must be %s %s", text, f->min_excl ? ">" : ">=", lo);
    else
        scn_error(w, node, path, "%s must be <= %s", text, hi);
    return false;
}

bool scn_check_time_limit(scn_walk *w, yaml_node_t *node, const char *path, sim_time_us us,
                          const char *text)
{
    if (us <= SIM_TIME_LIMIT_US)
        return true;
    scn_error(w, node, path, "%s is beyond capsim's time limit of " SCN_TIME_LIMIT_TEXT, text);
    return false;
}

/* "sync | async | s3" */
static const char *enum_list(const scn_field *f, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; f->names[i] && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " | " : "", f->names[i]);
    return buf;
}

static const char *expectation(const scn_field *f)
{
    switch (f->type) {
    case SCN_T_DURATION: return "a duration like 250ms, 2s, 1.5min";
    case SCN_T_SIZE_MB_INT:
    case SCN_T_SIZE_GB: return "a size like 512MB, 1.5GB";
    case SCN_T_RATE:
    case SCN_T_RATE_PARTS: return "a rate like 100/s, 6000/min";
    case SCN_T_INT:
    case SCN_T_UINT64: return "an integer";
    case SCN_T_NUMBER: return "a number";
    case SCN_T_BOOL: return "true or false";
    case SCN_T_DIST_DURATION:
        return "a duration like 250ms or a distribution like {dist: exponential, mean: 500ms}";
    case SCN_T_DIST_SIZE:
        return "a size like 5MB or a distribution like {dist: lognormal, median: 5MB, sigma: 0.8}";
    case SCN_T_SECTION: return "a map of keys";
    case SCN_T_LIST: return "a list";
    default: return "a single value";
    }
}

/* ------------------------------------------------------------------ scalars */

static bool is_slug(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

static void apply_scalar(scn_walk *w, const scn_field *f, yaml_node_t *node, void *base,
                         const char *path)
{
    char msg[256];
    const char *t = scn_text(node);
    void *slot = (char *)base + f->off;
    int rc = 0;
    switch (f->type) {
    case SCN_T_DURATION: {
        sim_time_us us;
        rc = units_parse_duration(t, &us, msg, sizeof msg);
        if (!rc && in_range(w, f, node, path, (double)us, t) &&
            scn_check_time_limit(w, node, path, us, t))
            *(sim_time_us *)slot = us;
        break;
    }
    case SCN_T_SIZE_MB_INT:
    case SCN_T_SIZE_GB: {
        double mb;
        rc = units_parse_size_mb(t, &mb, msg, sizeof msg);
        if (rc)
            break;
        if (f->type == SCN_T_SIZE_GB) {
            if (in_range(w, f, node, path, mb / 1024.0, t))
                *(double *)slot = mb / 1024.0;
        } else if (mb != (double)(int64_t)mb) {
            scn_error(w, node, path, "%s is not a whole number of MB (it is set in 1MB steps)", t);
        } else if (in_range(w, f, node, path, mb, t)) {
            *(int64_t *)slot = (int64_t)mb;
        }
        break;
    }
    case SCN_T_RATE:
    case SCN_T_RATE_PARTS: {
        units_rate r;
        rc = units_parse_rate(t, &r, msg, sizeof msg);
        if (rc || !in_range(w, f, node, path, r.per_s, t))
            break;
        if (f->type == SCN_T_RATE) {
            *(double *)slot = r.per_s;
        } else {
            *(double *)slot = r.count;
            *(sim_time_us *)((char *)base + f->off2) = r.period_us;
        }
        break;
    }
    case SCN_T_INT: {
        int64_t v;
        rc = units_parse_int64(t, &v, msg, sizeof msg);
        if (!rc && in_range(w, f, node, path, (double)v, t))
            *(int64_t *)slot = v;
        break;
    }
    case SCN_T_UINT64:
        rc = units_parse_uint64(t, (uint64_t *)slot, msg, sizeof msg);
        /* Seeds and the like go into JSON, whose integers (jansson's) are signed 64-bit. */
        if (!rc && *(uint64_t *)slot > (uint64_t)INT64_MAX) {
            scn_error(w, node, path, "%s is too large: at most 9223372036854775807", t);
            *(uint64_t *)slot = 0;
        }
        break;
    case SCN_T_NUMBER: {
        double v;
        rc = units_parse_number(t, &v, msg, sizeof msg);
        if (!rc && in_range(w, f, node, path, v, t))
            *(double *)slot = v;
        break;
    }
    case SCN_T_BOOL:
        rc = units_parse_bool(t, (bool *)slot, msg, sizeof msg);
        break;
    case SCN_T_ENUM: {
        for (int i = 0; f->names[i]; i++) {
            if (strcmp(t, f->names[i]) == 0) {
                memcpy(slot, &i, sizeof i);
                return;
            }
        }
        char list[300];
        scn_error(w, node, path, "'%s' is not one of %s", t, enum_list(f, list, sizeof list));
        return;
    }
    case SCN_T_STRING:
    case SCN_T_STRBUF:
        if (f->slug && !is_slug(t)) {
            scn_error(w, node, path, "'%s' must use only a-z, 0-9 and '-'", t);
            return;
        }
        if (f->type == SCN_T_STRBUF) {
            if (strlen(t) >= f->cap)
                scn_error(w, node, path, "'%s' is too long (at most %zu characters)", t, f->cap - 1);
            else
                memcpy(slot, t, strlen(t) + 1);
            return;
        }
        if (!(*(char **)slot = strdup(t)))
            w->oom = true;
        return;
    default:
        return;
    }
    if (rc)
        scn_error(w, node, path, "%s", msg);
}

/* ------------------------------------------------------------------ sections and lists */

static void walk_section(scn_walk *w, const scn_section *sec, yaml_node_t *map, void *base,
                         const char *path);

/* Applies a default written as YAML text: parsed into its own small document and walked like
 * user input, so defaults cannot drift from what a user may write. */
static void apply_default(scn_walk *w, const scn_field *f, void *base, const char *path)
{
    yaml_parser_t p;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&p)) {
        w->oom = true;
        return;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)f->def, strlen(f->def));
    if (!yaml_parser_load(&p, &doc)) {
        /* A broken default is a bug in the tables, not in the user's file. */
        if (SCN_YAML_OOM(&p))
            w->oom = true;
        else
            sim_diag_error(w->diag, w->s->file, 0, 0, path, "internal: bad default '%s'", f->def);
        yaml_parser_delete(&p);
        return;
    }
    yaml_document_t *saved = w->doc;
    w->doc = &doc;
    w->in_default++;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root)
        scn_apply(w, f, root, base, path);
    w->in_default--;
    w->doc = saved;
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
}

void scn_apply(scn_walk *w, const scn_field *f, yaml_node_t *node, void *base, const char *path)
{
    void *slot = (char *)base + f->off;
    if (!node) {
        if (f->def)
            apply_default(w, f, base, path);
        else if (f->type == SCN_T_SECTION)
            walk_section(w, f->sub, NULL, base, path);
        return;
    }
    switch (f->type) {
    case SCN_T_SECTION:
        if (node->type != YAML_MAPPING_NODE && !scn_is_null(node)) {
            scn_error(w, node, path, "expected a map of keys, not %s", scn_node_kind(node));
            walk_section(w, f->sub, NULL, base, path);
            return;
        }
        if (f->off2 != SCN_NO_OFF)
            *(bool *)((char *)base + f->off2) = true;
        walk_section(w, f->sub, node, base, path);
        return;
    case SCN_T_LIST: {
        void **items = (void **)slot;
        size_t *n = (size_t *)((char *)base + f->off2);
        if (scn_walk_list(w, f->sub, f->elem_size, node, items, n, path) && f->nonempty && *n == 0)
            scn_error(w, node, path, "needs at least one item");
        return;
    }
    case SCN_T_CUSTOM:
        f->custom->set(w, f, node, base, path);
        return;
    case SCN_T_DIST_DURATION:
    case SCN_T_DIST_SIZE:
        scn_parse_dist(w, node, path,
                       f->type == SCN_T_DIST_DURATION ? SCN_QTY_DURATION : SCN_QTY_SIZE,
                       (scn_dist *)slot);
        return;
    default:
        break;
    }
    char list[300];
    const char *expected = f->type == SCN_T_ENUM ? enum_list(f, list, sizeof list) : expectation(f);
    if (node->type != YAML_SCALAR_NODE) {
        scn_error(w, node, path, "expected %s, not %s", expected, scn_node_kind(node));
        return;
    }
    if (scn_is_null(node)) {
        scn_error(w, node, path, "has no value; expected %s", expected);
        return;
    }
    apply_scalar(w, f, node, base, path);
}

bool scn_walk_list(scn_walk *w, const scn_section *elem, size_t elem_size, yaml_node_t *node,
                   void **items, size_t *n_items, const char *path)
{
    if (scn_is_null(node))
        return true; /* `bursts:` with nothing: an empty list */
    if (node->type != YAML_SEQUENCE_NODE) {
        scn_error(w, node, path, "expected a list (items starting with '- '), not %s",
                  scn_node_kind(node));
        return false;
    }
    size_t n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
    if (n == 0)
        return true;
    char *arr = calloc(n, elem_size);
    if (!arr) {
        w->oom = true;
        return false;
    }
    *items = arr;
    *n_items = n;
    char sub[SCN_PATH_LEN];
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = scn_node(w, node->data.sequence.items.start[i]);
        snprintf(sub, sizeof sub, "%s[%zu]", path, i);
        scn_record_key(w, sub, item, item);
        if (!item || item->type != YAML_MAPPING_NODE) {
            scn_error(w, item, sub, "expected a map like {key: value, ...}, not %s",
                      item ? scn_node_kind(item) : "nothing");
            walk_section(w, elem, NULL, arr + i * elem_size, sub);
            continue;
        }
        walk_section(w, elem, item, arr + i * elem_size, sub);
    }
    return true;
}

/* Walks one map with its table: each written key in document order (so errors come out in
 * line order), then defaults for the absent ones, then the section's cross-field rules. */
static void walk_section(scn_walk *w, const scn_section *sec, yaml_node_t *map, void *base,
                         const char *path)
{
    SIM_ASSERT(sec->n_fields <= MAX_SECTION_FIELDS);
    size_t errors_before = sim_diag_count(w->diag);
    yaml_node_t *seen_key[MAX_SECTION_FIELDS] = {0};
    const char *known[MAX_SECTION_FIELDS];
    for (size_t i = 0; i < sec->n_fields; i++)
        known[i] = sec->fields[i].key;
    char sub[SCN_PATH_LEN];

    if (map && map->type == YAML_MAPPING_NODE) {
        for (int j = 0; map->data.mapping.pairs.start + j < map->data.mapping.pairs.top; j++) {
            yaml_node_pair_t pair = map->data.mapping.pairs.start[j];
            yaml_node_t *k = scn_node(w, pair.key), *v = scn_node(w, pair.value);
            if (!k || k->type != YAML_SCALAR_NODE) {
                scn_error(w, k, path[0] ? path : NULL, "a key must be a single word, not %s",
                          k ? scn_node_kind(k) : "nothing");
                continue;
            }
            const char *kt = scn_text(k);
            scn_join_path(sub, sizeof sub, path, kt);
            size_t i = 0;
            while (i < sec->n_fields && strcmp(kt, sec->fields[i].key))
                i++;
            if (i == sec->n_fields) {
                scn_unknown_key(w, k, sub, known, sec->n_fields);
                continue;
            }
            if (seen_key[i]) {
                const char *file;
                int line, col;
                node_where(w, seen_key[i], &file, &line, &col);
                scn_error(w, k, sub, "duplicate key '%s' (first written at %s:%d:%d)", kt, file,
                          line, col);
                continue;
            }
            seen_key[i] = k;
            scn_record_key(w, sub, k, v);
            scn_apply(w, &sec->fields[i], v, base, sub);
        }
    }
    for (size_t i = 0; i < sec->n_fields; i++) {
        if (seen_key[i])
            continue;
        const scn_field *f = &sec->fields[i];
        scn_join_path(sub, sizeof sub, path, f->key);
        if (f->required && map)
            scn_error(w, map, sub, "required key is missing");
        scn_apply(w, f, NULL, base, sub);
    }
    if (sec->check) {
        w->section_ok = sim_diag_count(w->diag) == errors_before;
        sec->check(w, map, base, path);
    }
}

/* ------------------------------------------------------------------ YAML input */

/* Line and column (0-based) of a byte offset, for reader errors that carry only an offset. */
static void offset_to_mark(const char *text, size_t len, size_t offset, int *line, int *col)
{
    *line = *col = 0;
    for (size_t i = 0; i < offset && i < len; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 0;
        } else {
            (*col)++;
        }
    }
}

void scn_report_yaml_error(sim_diag *diag, const char *file, int line_base, int col_base,
                              const char *path, const yaml_parser_t *p, const char *text,
                              size_t len)
{
    int line, col;
    if (p->error == YAML_READER_ERROR) {
        offset_to_mark(text, len, p->problem_offset, &line, &col);
    } else {
        line = (int)p->problem_mark.line;
        col = (int)p->problem_mark.column;
    }
    char ctx[160] = "";
    if (line_base > 0) {
        /* An override is one argument, even when its value holds line breaks (or libyaml's
         * mark is past its end, on the "line" after it): columns count from the start of the
         * "KEY=VALUE" text. */
        if (p->context)
            snprintf(ctx, sizeof ctx, " (%s at column %d)", p->context,
                     col_base + scn_text_offset(text, len, p->context_mark.line,
                                                p->context_mark.column) + 1);
        if (p->error != YAML_READER_ERROR)
            col = scn_text_offset(text, len, (size_t)line, (size_t)col);
        else
            col = (int)(p->problem_offset < len ? p->problem_offset : len);
        sim_diag_error(diag, file, line_base, col_base + col + 1, path, "YAML syntax: %s%s",
                       p->problem ? p->problem : "cannot parse", ctx);
        return;
    }
    if (p->context)
        snprintf(ctx, sizeof ctx, " (%s at line %d)", p->context,
                 (int)p->context_mark.line + 1);
    sim_diag_error(diag, file, line + 1, col + 1, path, "YAML syntax: %s%s",
                   p->problem ? p->problem : "cannot parse", ctx);
}

/* ------------------------------------------------------------------ loading */

void scn_free_section(const scn_section *sec, void *base)
{
    for (size_t i = 0; i < sec->n_fields; i++) {
        const scn_field *f = &sec->fields[i];
        void *slot = (char *)base + f->off;
        switch (f->type) {
        case SCN_T_STRING:
            free(*(char **)slot);
            *(char **)slot = NULL;
            break;
        case SCN_T_DIST_DURATION:
        case SCN_T_DIST_SIZE:
            scn_dist_free((scn_dist *)slot);
            break;
        case SCN_T_SECTION:
            scn_free_section(f->sub, base);
            break;
        case SCN_T_LIST: {
            char *items = *(char **)slot;
            size_t *n = (size_t *)((char *)base + f->off2);
            for (size_t j = 0; items && j < *n; j++)
                scn_free_section(f->sub, items + j * f->elem_size);
            free(items);
            *(char **)slot = NULL;
            *n = 0;
            break;
        }
        case SCN_T_CUSTOM:
            if (f->custom->destroy)
                f->custom->destroy(f, base);
            break;
        default:
            break;
        }
    }
}

void scenario_destroy(scenario *s)
{
    if (!s)
        return;
    scn_free_section(&scn_root_section, s);
    free(s->workload.trace.path); /* derived, so in no table */
    pricing_destroy(s->pricing_table);
    scn_trace_data_free(&s->workload.trace);
    for (size_t i = 0; i < s->n_keys; i++)
        free(s->keys[i].path);
    free(s->keys);
    free(s->file);
    free(s);
}

char *scn_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup("");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* The limits of scenario_limits.c on the whole document, overrides grafted: false after
 * reporting a value that stands for too many nodes, contains itself, or holds a NUL. */
static bool check_document(scn_walk *w, yaml_node_t *root)
{
    scn_yaml_measure_out m;
    if (scn_yaml_measure(w->doc, (int)(root - w->doc->nodes.start) + 1, SCN_MAX_NODES, &m)) {
        w->oom = true;
        return false;
    }
    if (m.cycle_node)
        scn_error(w, m.cycle_node, NULL, "this value contains an alias to itself (*name inside "
                  "its own &name), so it never ends");
    if (m.big_node)
        scn_error(w, m.big_node, NULL, "this value stands for more than %d nodes once its "
                  "aliases (*name) are expanded; a scenario needs a few hundred", SCN_MAX_NODES);
    if (m.nul_node)
        scn_error(w, m.nul_node, NULL, "a NUL character (\\0) in a key or value is not "
                  "accepted: C strings end there, so '%s' would be read", scn_text(m.nul_node));
    return !m.cycle_node && !m.big_node && !m.nul_node;
}

/* Parses text (one YAML document), grafts the overrides and walks it with kind->root into base.
 * `holder` supplies the file name for messages (holder->file) and receives the keys' positions
 * (holder->keys); for a scenario it is the scenario itself. Frees nothing on failure. */
static int walk_text(scenario *holder, const char *dir, const char *text, size_t len,
                     const char *const *overrides, size_t n_overrides, const scn_doc_kind *kind,
                     void *base, sim_diag *diag)
{
    const char *name = holder->file;
    scn_walk w = {.s = holder, .diag = diag, .diag_before = sim_diag_count(diag), .dir = dir};
    size_t first_entry = diag->count; /* this walk's entries start here */
    yaml_parser_t p;
    yaml_document_t doc;
    int rc = SIM_OK;
    if ((rc = scn_yaml_check_depth(diag, name, 0, 0, NULL, text, len)))
        return rc;
    if (!yaml_parser_initialize(&p))
        return SIM_ENOMEM;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    if (!yaml_parser_load(&p, &doc)) {
        rc = SCN_YAML_OOM(&p) ? SIM_ENOMEM : SIM_ESCENARIO;
        if (rc == SIM_ESCENARIO)
            scn_report_yaml_error(diag, name, 0, 0, NULL, &p, text, len);
        yaml_parser_delete(&p);
        return rc;
    }
    /* A second document ("---") would be silently ignored: refuse it. */
    yaml_document_t extra;
    if (!yaml_parser_load(&p, &extra)) {
        if (SCN_YAML_OOM(&p)) {
            yaml_parser_delete(&p);
            yaml_document_delete(&doc);
            return SIM_ENOMEM;
        }
        scn_report_yaml_error(diag, name, 0, 0, NULL, &p, text, len);
    } else {
        yaml_node_t *r = yaml_document_get_root_node(&extra);
        if (r)
            sim_diag_error(diag, name, (int)r->start_mark.line + 1, (int)r->start_mark.column + 1,
                           NULL, "a %s file holds one YAML document; remove the second",
                           kind->what);
        yaml_document_delete(&extra);
    }
    yaml_parser_delete(&p);

    w.doc = &doc;
    if (!yaml_document_get_root_node(&doc)) { /* an empty file: an empty map, then report */
        if (!yaml_document_add_mapping(&doc, NULL, YAML_BLOCK_MAPPING_STYLE))
            w.oom = true;
    }
    w.n_file_nodes = (int)(doc.nodes.top - doc.nodes.start);
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root && root->type != YAML_MAPPING_NODE) {
        scn_error(&w, root, NULL, "a %s is a map of keys (%s), not %s", kind->what,
                  kind->root_keys, scn_node_kind(root));
        root = NULL;
    } else if (root) {
        for (size_t i = 0; i < n_overrides && !w.oom; i++)
            if (scn_override_apply(&doc, overrides[i], (int)i, diag) == SIM_ENOMEM)
                w.oom = true;
        root = yaml_document_get_root_node(&doc);
    }
    /* A document the limits refuse is not walked: that walk could be what they prevent. */
    if (!w.oom && (!root || check_document(&w, root)))
        walk_section(&w, kind->root, root, base, "");
    yaml_document_delete(&doc);
    /* The walk reports in the order of the format's keys; a user reads the overrides' errors
     * in the order the overrides were given, after the file's. */
    if (n_overrides > 0) sim_diag_sort_source(diag, first_entry, OVERRIDE_SOURCE);

    if (w.oom)
        return SIM_ENOMEM;
    return sim_diag_count(diag) > w.diag_before ? SIM_ESCENARIO : SIM_OK;
}

static const scn_doc_kind SCENARIO_KIND = {"scenario", "name:, horizon:, workload:, ...",
                                           &scn_root_section};

static int load_text(const char *name, const char *dir, const char *text, size_t len,
                     const char *const *overrides, size_t n_overrides, sim_diag *diag,
                     scenario **out)
{
    *out = NULL;
    scenario *s = calloc(1, sizeof *s);
    if (!s || !(s->file = strdup(name))) {
        free(s);
        return SIM_ENOMEM;
    }
    int rc = walk_text(s, dir, text, len, overrides, n_overrides, &SCENARIO_KIND, s, diag);
    if (rc) {
        scenario_destroy(s);
        return rc;
    }
    *out = s;
    return SIM_OK;
}

int scn_load_doc(const char *name, const char *dir, const char *text, size_t len,
                 const scn_doc_kind *kind, void *base, sim_diag *diag)
{
    /* A scratch scenario holds only the file name and the key positions the walker records. */
    scenario *holder = calloc(1, sizeof *holder);
    if (!holder || !(holder->file = strdup(name))) {
        free(holder);
        return SIM_ENOMEM;
    }
    int rc = walk_text(holder, dir, text, len, NULL, 0, kind, base, diag);
    for (size_t i = 0; i < holder->n_keys; i++)
        free(holder->keys[i].path);
    free(holder->keys);
    free(holder->file);
    free(holder);
    if (rc)
        scn_free_section(kind->root, base);
    return rc;
}

int scn_read_file(const char *path, char **text, size_t *len)
{
    /* A scenario may come through a pipe (`capsim run <(make-scenario)`); reading stops at the
     * limit. A regular file is judged by its size first, a directory refused before reading. */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    struct stat st;
    if (fstat(fd, &st) == 0 && (S_ISDIR(st.st_mode) ||
                                (S_ISREG(st.st_mode) && st.st_size > MAX_FILE_BYTES))) {
        close(fd);
        return S_ISDIR(st.st_mode) ? EISDIR : EFBIG;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        int err = errno;
        close(fd);
        return err;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    int err = buf ? 0 : ENOMEM;
    while (!err) {
        if (n == cap) {
            if (cap > MAX_FILE_BYTES) { /* one byte more than the limit was read */
                err = EFBIG;
                break;
            }
            size_t ncap = cap * 2 > MAX_FILE_BYTES ? MAX_FILE_BYTES + 1 : cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                err = ENOMEM;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                err = errno ? errno : EIO;
            break;
        }
    }
    fclose(f);
    if (err) {
        free(buf);
        return err;
    }
    *text = buf;
    *len = n;
    return 0;
}

int scenario_load_file(const char *path, const char *const *overrides, size_t n_overrides,
                       sim_diag *diag, scenario **out)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    errno = 0;
    int err = scn_read_file(path, &text, &len);
    if (err == ENOMEM)
        return SIM_ENOMEM;
    if (err == EFBIG) { /* input refused for its size: a scenario problem, not an I/O one */
        sim_diag_error(diag, path, 0, 0, NULL, "larger than %u MB, capsim's limit for a scenario "
                       "file (a scenario is a few KB)", MAX_FILE_BYTES >> 20);
        return SIM_ESCENARIO;
    }
    if (err) {
        sim_diag_error(diag, path, 0, 0, NULL, "cannot read: %s", strerror(err));
        return SIM_EIO;
    }
    char *dir = scn_dir_of(path);
    int rc = dir ? load_text(path, dir, text, len, overrides, n_overrides, diag, out) : SIM_ENOMEM;
    free(dir);
    free(text);
    return rc;
}

int scenario_load_string(const char *name, const char *text, const char *const *overrides,
                         size_t n_overrides, sim_diag *diag, scenario **out)
{
    return load_text(name, "", text, strlen(text), overrides, n_overrides, diag, out);
}

/* ------------------------------------------------------------------ key positions */

static const scn_key_pos *find_key(const scenario *s, const char *path)
{
    for (size_t i = 0; i < s->n_keys; i++)
        if (!strcmp(s->keys[i].path, path))
            return &s->keys[i];
    return NULL;
}

bool scenario_key_pos(const scenario *s, const char *path, int *line, int *col)
{
    const scn_key_pos *k = find_key(s, path);
    if (line) *line = k ? k->line : 0;
    if (col) *col = k ? k->col : 0;
    return k != NULL;
}

bool scenario_key_where(const scenario *s, const char *path, const char **source, int *line,
                        int *col)
{
    const scn_key_pos *k = find_key(s, path);
    if (source) *source = k ? k->source : s->file;
    if (line) *line = k ? k->line : 0;
    if (col) *col = k ? k->col : 0;
    return k != NULL;
}
