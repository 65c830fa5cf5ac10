/* models/lesson.c — answer templates (parsing, evaluation) and the index of lessons (lesson.h).
 *
 * A template is cut into literal text and placeholders once, when the scenario loads, so a
 * mistake in one is reported with the scenario's other problems before anything runs. An
 * expression is a small tree (numbers, references, + - * /, unary minus), parsed by recursive
 * descent; references are resolved by the caller, who holds the reports. */
#include "models/lesson.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include <yaml.h>

#include "models/datadir.h"
#include "sim/error.h"

/* Both are set by CMakeLists.txt; these fallbacks only keep the file compilable on its own. */
#ifndef CAPSIM_SCENARIOS_DIR_SOURCE
#define CAPSIM_SCENARIOS_DIR_SOURCE "scenarios"
#endif
#ifndef CAPSIM_SCENARIOS_DIR_FROM_BIN
#define CAPSIM_SCENARIOS_DIR_FROM_BIN "../share/capsim/scenarios"
#endif

/* ================================================================ expressions */

typedef enum node_kind { N_NUM, N_REF, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV } node_kind;

struct lesson_expr {
    node_kind kind;
    double num;          /* N_NUM */
    lesson_ref ref;      /* N_REF */
    lesson_expr *a, *b;  /* operands */
};

static void expr_free(lesson_expr *e)
{
    if (!e)
        return;
    expr_free(e->a);
    expr_free(e->b);
    free(e->ref.scope);
    free(e->ref.path);
    free(e->ref.path2);
    free(e->ref.text);
    free(e);
}

typedef struct parser {
    const char *p;       /* next character */
    const char *whole;   /* the placeholder's EXPR, for messages */
    char *why;
    size_t why_len;
    int rc;              /* first error */
} parser;

static void fail(parser *ps, int rc, const char *fmt, const char *arg)
{
    if (ps->rc)
        return;
    ps->rc = rc;
    char msg[256];
    snprintf(msg, sizeof msg, fmt, arg);
    snprintf(ps->why, ps->why_len, "{%s}: %s", ps->whole, msg);
}

static void skip_spaces(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n')
        ps->p++;
}

static bool is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

/* A name: letters, digits, _ . - and bracketed parts ([128MB], [0]); NULL on error. */
static char *read_name(parser *ps)
{
    const char *start = ps->p;
    while (is_name_char(*ps->p) || *ps->p == '[') {
        if (*ps->p == '[') {
            const char *close = strchr(ps->p, ']');
            if (!close) {
                fail(ps, SIM_EPARSE, "'[' without ']' in '%s'", start);
                return NULL;
            }
            ps->p = close + 1;
        } else {
            ps->p++;
        }
    }
    /* A name never ends with '-' or '.': "a.b -c" is the name a.b minus c. */
    while (ps->p > start && (ps->p[-1] == '-' || ps->p[-1] == '.'))
        ps->p--;
    char *name = strndup(start, (size_t)(ps->p - start));
    if (!name)
        fail(ps, SIM_ENOMEM, "%s", "out of memory");
    return name;
}

static lesson_expr *node_new(parser *ps, node_kind kind)
{
    lesson_expr *e = calloc(1, sizeof *e);
    if (!e)
        fail(ps, SIM_ENOMEM, "%s", "out of memory");
    else
        e->kind = kind;
    return e;
}

static const char *const FUNCTIONS[] = {"min", "max", "argmin", "argmax", "crossing", NULL};
static const int FUNCTION_ARGS[] = {1, 1, 1, 1, 2};

/* Splits a reference into kind, scope and path. */
static void ref_classify(parser *ps, char *name, lesson_ref *ref)
{
    ref->text = name;
    if (strncmp(name, "pricing.", 8) == 0) {
        ref->kind = LESSON_REF_PRICING;
        if (!name[8])
            fail(ps, SIM_EPARSE, "'%s' names no rate of the pricing table", name);
        else if (!(ref->path = strdup(name + 8)))
            fail(ps, SIM_ENOMEM, "%s", "out of memory");
        return;
    }
    if (strncmp(name, "sweep[", 6) == 0) {
        ref->kind = LESSON_REF_POINT;
        const char *close = strchr(name, ']');
        if (!close || close == name + 6 || close[1] != '.' || !close[2]) {
            fail(ps, SIM_EPARSE, "'%s' is not sweep[VALUE].PLATFORM.METRIC", name);
            return;
        }
        ref->scope = strndup(name + 6, (size_t)(close - name - 6));
        ref->path = strdup(close + 2);
        if (!ref->scope || !ref->path)
            fail(ps, SIM_ENOMEM, "%s", "out of memory");
        return;
    }
    ref->kind = LESSON_REF_RUN;
    const char *dot = strchr(name, '.');
    if (!dot || dot == name || !dot[1] || strchr(name, '[')) {
        fail(ps, SIM_EPARSE,
             "'%s' is not RUN.METRIC, sweep[VALUE].METRIC, pricing.KEY or a number", name);
        return;
    }
    ref->scope = strndup(name, (size_t)(dot - name));
    ref->path = strdup(dot + 1);
    if (!ref->scope || !ref->path)
        fail(ps, SIM_ENOMEM, "%s", "out of memory");
}

static lesson_expr *parse_sum(parser *ps);

/* FUNC(ARG[, ARG]) after the function's name. */
static lesson_expr *parse_call(parser *ps, char *fn)
{
    size_t k = 0;
    while (FUNCTIONS[k] && strcmp(FUNCTIONS[k], fn))
        k++;
    if (!FUNCTIONS[k]) {
        fail(ps, SIM_EPARSE, "unknown function '%s' (min, max, argmin, argmax, crossing)", fn);
        free(fn);
        return NULL;
    }
    lesson_expr *e = node_new(ps, N_REF);
    if (!e) {
        free(fn);
        return NULL;
    }
    e->ref.kind = LESSON_REF_CALL;
    e->ref.scope = fn;
    ps->p++; /* '(' */
    char *args[2] = {NULL, NULL};
    int n = 0;
    for (;;) {
        skip_spaces(ps);
        char *arg = read_name(ps);
        if (!arg)
            break;
        if (!*arg || !strchr(arg, '.') || n == 2) {
            fail(ps, SIM_EPARSE, n == 2 ? "too many arguments to %s" : "%s takes PLATFORM.METRIC "
                 "arguments", fn);
            free(arg);
            break;
        }
        args[n++] = arg;
        skip_spaces(ps);
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p == ')') {
            ps->p++;
            break;
        }
        fail(ps, SIM_EPARSE, "expected ',' or ')' in the arguments of %s", fn);
        break;
    }
    if (!ps->rc && n != FUNCTION_ARGS[k])
        fail(ps, SIM_EPARSE, FUNCTION_ARGS[k] == 1 ? "%s takes one argument" :
             "%s takes two arguments", fn);
    e->ref.path = args[0];
    e->ref.path2 = args[1];
    char text[512];
    snprintf(text, sizeof text, "%s(%s%s%s)", fn, args[0] ? args[0] : "", args[1] ? ", " : "",
             args[1] ? args[1] : "");
    if (!(e->ref.text = strdup(text)))
        fail(ps, SIM_ENOMEM, "%s", "out of memory");
    return e;
}

static lesson_expr *parse_factor(parser *ps)
{
    skip_spaces(ps);
    char c = *ps->p;
    if (c == '(') {
        ps->p++;
        lesson_expr *e = parse_sum(ps);
        skip_spaces(ps);
        if (*ps->p != ')')
            fail(ps, SIM_EPARSE, "%s", "expected ')'");
        else
            ps->p++;
        return e;
    }
    if (c == '-') {
        ps->p++;
        lesson_expr *e = node_new(ps, N_NEG);
        if (e)
            e->a = parse_factor(ps);
        return e;
    }
    if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)ps->p[1]))) {
        char *end;
        errno = 0;
        double v = strtod(ps->p, &end);
        if (errno || !isfinite(v)) {
            fail(ps, SIM_EPARSE, "bad number '%s'", ps->p);
            return NULL;
        }
        ps->p = end;
        lesson_expr *e = node_new(ps, N_NUM);
        if (e)
            e->num = v;
        return e;
    }
    if (isalpha((unsigned char)c)) {
        char *name = read_name(ps);
        if (!name)
            return NULL;
        if (*ps->p == '(' && !strchr(name, '.') && !strchr(name, '['))
            return parse_call(ps, name);
        lesson_expr *e = node_new(ps, N_REF);
        if (!e) {
            free(name);
            return NULL;
        }
        ref_classify(ps, name, &e->ref);
        return e;
    }
    fail(ps, SIM_EPARSE, c ? "unexpected '%.1s'" : "%s", c ? ps->p : "expected a value");
    return NULL;
}

static lesson_expr *parse_product(parser *ps)
{
    lesson_expr *e = parse_factor(ps);
    for (;;) {
        skip_spaces(ps);
        char c = *ps->p;
        if (ps->rc || (c != '*' && c != '/'))
            return e;
        ps->p++;
        lesson_expr *op = node_new(ps, c == '*' ? N_MUL : N_DIV);
        if (!op)
            return e;
        op->a = e;
        op->b = parse_factor(ps);
        e = op;
    }
}

static lesson_expr *parse_sum(parser *ps)
{
    lesson_expr *e = parse_product(ps);
    for (;;) {
        skip_spaces(ps);
        char c = *ps->p;
        if (ps->rc || (c != '+' && c != '-'))
            return e;
        ps->p++;
        lesson_expr *op = node_new(ps, c == '+' ? N_ADD : N_SUB);
        if (!op)
            return e;
        op->a = e;
        op->b = parse_product(ps);
        e = op;
    }
}

static const char *const FORMAT_NAMES[] = {
    [LESSON_FMT_DEFAULT] = "", [LESSON_FMT_USD] = "usd", [LESSON_FMT_PERCENT] = "%",
    [LESSON_FMT_SECONDS] = "s", [LESSON_FMT_MS] = "ms", [LESSON_FMT_COUNT] = "n",
    [LESSON_FMT_TIMES] = "x", [LESSON_FMT_AXIS] = "axis"};

const char *lesson_format_name(lesson_format f)
{
    return FORMAT_NAMES[f];
}

/* One placeholder's inside: EXPR[:FORMAT]. */
static int parse_placeholder(const char *inside, lesson_segment *seg, char *why, size_t why_len)
{
    if (!(seg->text = strdup(inside)))
        return SIM_ENOMEM;
    char *colon = strrchr(seg->text, ':');
    char *expr_text = strdup(inside);
    if (!expr_text)
        return SIM_ENOMEM;
    if (colon) {
        const char *name = colon + 1;
        size_t k = 1;
        while (k < sizeof FORMAT_NAMES / sizeof FORMAT_NAMES[0] && strcmp(FORMAT_NAMES[k], name))
            k++;
        if (k == sizeof FORMAT_NAMES / sizeof FORMAT_NAMES[0]) {
            snprintf(why, why_len, "{%s}: unknown format '%s' (usd, %%, s, ms, n, x, axis)",
                     inside, name);
            free(expr_text);
            return SIM_EPARSE;
        }
        seg->format = (lesson_format)k;
        expr_text[colon - seg->text] = '\0';
    }
    parser ps = {expr_text, inside, why, why_len, 0};
    skip_spaces(&ps);
    seg->expr = parse_sum(&ps);
    skip_spaces(&ps);
    if (!ps.rc && *ps.p)
        fail(&ps, SIM_EPARSE, "unexpected '%s'", ps.p);
    if (!ps.rc && !seg->expr)
        fail(&ps, SIM_EPARSE, "%s", "expected a value");
    free(expr_text);
    return ps.rc;
}

static int add_segment(lesson_template *t, size_t *cap)
{
    if (t->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        lesson_segment *s = realloc(t->segs, ncap * sizeof *s);
        if (!s)
            return SIM_ENOMEM;
        t->segs = s;
        *cap = ncap;
    }
    memset(&t->segs[t->n++], 0, sizeof t->segs[0]);
    return SIM_OK;
}

int lesson_template_parse(const char *text, lesson_template *out, char *why, size_t why_len)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0, len = strlen(text);
    char *lit = malloc(len + 1);
    if (!lit)
        return SIM_ENOMEM;
    size_t n_lit = 0;
    int rc = SIM_OK;
    for (const char *p = text; !rc;) {
        if (*p == '\0' || (*p == '{' && p[1] != '{')) {
            if (n_lit) { /* the literal text so far */
                lit[n_lit] = '\0';
                if (!(rc = add_segment(out, &cap)) && !(out->segs[out->n - 1].text = strdup(lit)))
                    rc = SIM_ENOMEM;
                n_lit = 0;
            }
            if (rc || *p == '\0')
                break;
            const char *close = strchr(p + 1, '}');
            const char *nested = strchr(p + 1, '{');
            if (!close || (nested && nested < close)) {
                snprintf(why, why_len, "'{' without '}' (write '{{' for a brace): %.40s", p);
                rc = SIM_EPARSE;
                break;
            }
            char *inside = strndup(p + 1, (size_t)(close - p - 1));
            if (!inside || (rc = add_segment(out, &cap))) {
                free(inside);
                rc = SIM_ENOMEM;
                break;
            }
            rc = parse_placeholder(inside, &out->segs[out->n - 1], why, why_len);
            free(inside);
            p = close + 1;
            continue;
        }
        if ((*p == '{' && p[1] == '{') || (*p == '}' && p[1] == '}')) {
            lit[n_lit++] = *p;
            p += 2;
            continue;
        }
        if (*p == '}') {
            snprintf(why, why_len, "'}' without '{' (write '}}' for a brace): %.40s", p);
            rc = SIM_EPARSE;
            break;
        }
        lit[n_lit++] = *p++;
    }
    free(lit);
    if (rc)
        lesson_template_fini(out);
    return rc;
}

void lesson_template_fini(lesson_template *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->segs[i].text);
        expr_free(t->segs[i].expr);
    }
    free(t->segs);
    t->segs = NULL;
    t->n = 0;
}

void lesson_expr_each_ref(const lesson_expr *e, void (*fn)(void *ctx, const lesson_ref *ref),
                          void *ctx)
{
    if (!e)
        return;
    if (e->kind == N_REF)
        fn(ctx, &e->ref);
    lesson_expr_each_ref(e->a, fn, ctx);
    lesson_expr_each_ref(e->b, fn, ctx);
}

int lesson_expr_eval(const lesson_expr *e, lesson_resolve_fn resolve, void *ctx,
                     lesson_value *out, char *why, size_t why_len)
{
    memset(out, 0, sizeof *out);
    out->number = NAN;
    switch (e->kind) {
    case N_NUM:
        out->number = e->num;
        return SIM_OK;
    case N_REF: {
        int rc = resolve(ctx, &e->ref, out, why, why_len);
        if (!rc && out->gap[0])
            out->number = NAN;
        return rc;
    }
    default:
        break;
    }
    lesson_value a, b;
    int rc = lesson_expr_eval(e->a, resolve, ctx, &a, why, why_len);
    if (rc)
        return rc;
    if (e->b && (rc = lesson_expr_eval(e->b, resolve, ctx, &b, why, why_len)))
        return rc;
    if (a.text || (e->b && b.text)) {
        snprintf(why, why_len, "'%s' is a text, not a number: it can only stand alone",
                 a.text ? a.text : b.text);
        return SIM_EINVAL;
    }
    if (a.gap[0] || (e->b && b.gap[0])) {
        snprintf(out->gap, sizeof out->gap, "%s", a.gap[0] ? a.gap : b.gap);
        return SIM_OK;
    }
    /* An axis value stays one through + and - of plain numbers (crossing(...) + 0). */
    switch (e->kind) {
    case N_NEG: out->number = -a.number; break;
    case N_ADD: out->number = a.number + b.number; out->axis = a.axis || b.axis; break;
    case N_SUB: out->number = a.number - b.number; out->axis = a.axis && !b.axis; break;
    case N_MUL: out->number = a.number * b.number; break;
    case N_DIV: out->number = a.number / b.number; break;
    default: break;
    }
    return SIM_OK;
}

/* ================================================================ numbers in a YAML file */

int lesson_yaml_number(const char *path, const char *key, double *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return SIM_EIO;
    yaml_parser_t p;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&p)) {
        fclose(f);
        return SIM_ENOMEM;
    }
    yaml_parser_set_input_file(&p, f);
    int rc = yaml_parser_load(&p, &doc) ? SIM_OK : SIM_EIO;
    yaml_parser_delete(&p);
    fclose(f);
    if (rc)
        return rc;
    yaml_node_t *node = yaml_document_get_root_node(&doc);
    rc = SIM_EINVAL;
    const char *k = key;
    while (node && *k) {
        if (*k == '[') { /* a list item */
            char *end;
            long i = strtol(k + 1, &end, 10);
            if (*end != ']' || i < 0 || node->type != YAML_SEQUENCE_NODE ||
                i >= node->data.sequence.items.top - node->data.sequence.items.start) {
                node = NULL;
                break;
            }
            node = yaml_document_get_node(&doc, node->data.sequence.items.start[i]);
            k = end + 1;
        } else {
            size_t n = strcspn(k, ".[");
            yaml_node_t *next = NULL;
            if (node->type == YAML_MAPPING_NODE)
                for (yaml_node_pair_t *pr = node->data.mapping.pairs.start;
                     pr < node->data.mapping.pairs.top; pr++) {
                    yaml_node_t *kn = yaml_document_get_node(&doc, pr->key);
                    if (kn && kn->type == YAML_SCALAR_NODE && kn->data.scalar.length == n &&
                        !memcmp(kn->data.scalar.value, k, n))
                        next = yaml_document_get_node(&doc, pr->value);
                }
            node = next;
            k += n;
        }
        if (*k == '.')
            k++;
    }
    if (node && node->type == YAML_SCALAR_NODE) {
        const char *t = (const char *)node->data.scalar.value;
        char *end;
        errno = 0;
        double v = strtod(t, &end);
        if (end != t && !*end && !errno && isfinite(v)) {
            *out = v;
            rc = SIM_OK;
        }
    }
    yaml_document_delete(&doc);
    return rc;
}

/* ================================================================ the index */

static char installed_dir[PATH_MAX];
static const char *fixed_dir = CAPSIM_SCENARIOS_DIR_SOURCE;
static once_flag fixed_dir_once = ONCE_FLAG_INIT;

static void find_fixed_dir(void)
{
    fixed_dir = datadir_locate(CAPSIM_SCENARIOS_DIR_FROM_BIN, CAPSIM_SCENARIOS_DIR_SOURCE,
                               installed_dir, sizeof installed_dir);
}

const char *lesson_scenarios_dir(void)
{
    const char *env = getenv("CAPSIM_SCENARIOS_DIR");
    if (env && *env)
        return env;
    call_once(&fixed_dir_once, find_fixed_dir);
    return fixed_dir;
}

/* The scalar at key in a mapping node, or NULL. */
static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = yaml_document_get_node(doc, pr->key);
        if (k && k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
            return yaml_document_get_node(doc, pr->value);
    }
    return NULL;
}

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* Reads one file's lesson keys into e; false when it has no topic (or is not YAML). */
static bool read_entry(const char *path, lesson_entry *e, bool *oom)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    yaml_parser_t p;
    yaml_document_t doc;
    bool ok = false;
    if (!yaml_parser_initialize(&p)) {
        fclose(f);
        *oom = true;
        return false;
    }
    yaml_parser_set_input_file(&p, f);
    if (yaml_parser_load(&p, &doc)) {
        yaml_node_t *lesson = map_get(&doc, yaml_document_get_root_node(&doc), "lesson");
        const char *topic = scalar(map_get(&doc, lesson, "topic"));
        const char *question = scalar(map_get(&doc, lesson, "question"));
        const char *part = scalar(map_get(&doc, lesson, "part"));
        if (topic && *topic) {
            memset(e, 0, sizeof *e);
            e->topic = strdup(topic);
            e->question = question ? strdup(question) : NULL;
            e->file = strdup(path);
            e->part = part ? strtoll(part, NULL, 10) : 0;
            ok = e->topic && e->file && (!question || e->question);
            if (!ok) {
                *oom = true;
                free(e->topic);
                free(e->question);
                free(e->file);
            }
        }
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&p);
    fclose(f);
    return ok;
}

static int entry_cmp(const void *x, const void *y)
{
    const lesson_entry *a = x, *b = y;
    int c = strcmp(a->topic, b->topic);
    if (c)
        return c;
    int64_t pa = a->part > 0 ? a->part : 1, pb = b->part > 0 ? b->part : 1;
    if (pa != pb)
        return pa < pb ? -1 : 1;
    return strcmp(a->file, b->file);
}

int lesson_index_read(const char *dir, lesson_index *out)
{
    memset(out, 0, sizeof *out);
    DIR *d = opendir(dir);
    if (!d)
        return SIM_EIO;
    size_t cap = 0;
    bool oom = false;
    for (struct dirent *de; !oom && (de = readdir(d)) != NULL;) {
        size_t n = strlen(de->d_name);
        if (de->d_name[0] == '.' || n < 6 || strcmp(de->d_name + n - 5, ".yaml"))
            continue;
        if (out->n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            lesson_entry *e = realloc(out->entries, ncap * sizeof *e);
            if (!e) {
                oom = true;
                break;
            }
            out->entries = e;
            cap = ncap;
        }
        size_t plen = strlen(dir) + n + 2;
        char *path = malloc(plen);
        if (!path) {
            oom = true;
            break;
        }
        snprintf(path, plen, "%s/%s", dir, de->d_name);
        if (read_entry(path, &out->entries[out->n], &oom))
            out->n++;
        free(path);
    }
    closedir(d);
    if (oom) {
        lesson_index_fini(out);
        return SIM_ENOMEM;
    }
    if (out->n)
        qsort(out->entries, out->n, sizeof out->entries[0], entry_cmp);
    return SIM_OK;
}

void lesson_index_fini(lesson_index *ix)
{
    for (size_t i = 0; i < ix->n; i++) {
        free(ix->entries[i].topic);
        free(ix->entries[i].question);
        free(ix->entries[i].file);
    }
    free(ix->entries);
    ix->entries = NULL;
    ix->n = 0;
}
