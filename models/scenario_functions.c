/* models/scenario_functions.c — `account:`, `functions:` and `functions_from_trace:` (format 1.1).
 *
 * A function's `lambda:` is the top-level lambda section, parsed with the same table into a
 * scratch scenario and moved into the scn_function: every key, default, range and rule of the
 * lambda section applies unchanged, except what depends on the account's limit, which may be
 * written after `functions:` and is checked with the account (scn_functions_check). A
 * function's `workload:` is the top-level workload section, or for a function fed by another
 * (`from:`) only its item, work and errors. A last stage may be a Glue or EMR job instead
 * (`glue:` or `emr:` in place of `lambda:`, parsed the same way with that section's table); it
 * needs `from:`, and no function may be fed by it.
 *
 * functions_from_trace expands, after the whole file is parsed, into one function per row of a
 * per_function Azure trace: each gets the template's lambda (shared, not copied), its own row of
 * minute counts (borrowed from the loaded trace), and, from the dataset's companion files, its
 * memory (app_memory_percentiles: AverageAllocatedMb) and its run time
 * (function_durations_percentiles: the percentiles of its average duration, interpolated). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/pricing.h"
#include "models/scenario_internal.h"
#include "models/units.h"
#include "sim/error.h"

#define NO SCN_NO_OFF

const scn_workload *scenario_function_workload(const scenario *s, size_t i)
{
    return s->functions[i].has_workload ? &s->functions[i].workload : &s->workload;
}

/* ------------------------------------------------------------------ freeing */

/* Tables free through scenario offsets: move the part (size bytes, at offset off in a scenario)
 * into a scratch scenario to free it with its section's table, then zero it. */
static void free_part(const scn_section *sec, size_t off, void *part, size_t size)
{
    scenario tmp;
    memset(&tmp, 0, sizeof tmp);
    memcpy((char *)&tmp + off, part, size);
    scn_free_section(sec, &tmp);
    memset(part, 0, size);
}

static void free_lambda(scn_lambda *L)
{
    free_part(scn_lambda_section, offsetof(scenario, lambda), L, sizeof *L);
}

static void free_workload(scn_workload *wl)
{
    scn_trace_data_free(&wl->trace);
    free_part(scn_workload_section, offsetof(scenario, workload), wl, sizeof *wl);
}

static void functions_destroy(const scn_field *f, void *base)
{
    scenario *s = base;
    for (size_t i = 0; s->functions && i < s->n_functions; i++) {
        scn_function *fn = &s->functions[i];
        free(fn->name);
        if (fn->has_workload)
            free_workload(&fn->workload);
        if (!fn->lambda_borrowed)
            free_lambda(&fn->lambda);
        free_part(scn_glue_section, offsetof(scenario, glue), &fn->glue, sizeof fn->glue);
        free_part(scn_emr_section, offsetof(scenario, emr), &fn->emr, sizeof fn->emr);
        free(fn->trace); /* its data is the root trace's rows */
        scn_dist_free(&fn->duration);
    }
    free(s->functions);
    s->functions = NULL;
    s->n_functions = 0;
}

/* ------------------------------------------------------------------ parsing `functions:` */

static const scn_field NAME_FIELD = {.key = "name", .type = SCN_T_STRING,
                                     .off = offsetof(scn_function, name), .off2 = NO,
                                     .slug = true};
static const scn_field PER_ITEM_FIELD = {.key = "per_item", .type = SCN_T_INT,
                                         .off = offsetof(scn_function, per_item), .off2 = NO,
                                         .has_min = true, .min = 1, .has_max = true,
                                         .max = 10000};
static const scn_field WORKLOAD_FIELD = {.key = "workload", .type = SCN_T_SECTION, .off2 = NO};
static const scn_field LAMBDA_FIELD = {.key = "lambda", .type = SCN_T_SECTION, .off2 = NO};
static const scn_field GLUE_FIELD = {.key = "glue", .type = SCN_T_SECTION, .off2 = NO};
static const scn_field EMR_FIELD = {.key = "emr", .type = SCN_T_SECTION, .off2 = NO};
static const char *const PLATFORM_KEYS[] = {"lambda", "glue", "emr"};

/* Parses a lambda section (node may be NULL: every default) into *out through a scratch
 * scenario, so that the lambda table and its rules apply as they are. */
static void parse_lambda(scn_walk *w, yaml_node_t *node, const char *path, scn_lambda *out)
{
    scenario *tmp = calloc(1, sizeof *tmp);
    if (!tmp) {
        scn_oom(w);
        return;
    }
    scn_field f = LAMBDA_FIELD;
    f.sub = scn_lambda_section;
    scn_apply(w, &f, node, tmp, path);
    *out = tmp->lambda;
    out->present = true;
    free(tmp);
    if (!node)
        return;
    /* The account owns the limit: a function's own would silently mean nothing. */
    yaml_node_t *conc = scn_map_get(w, node, "concurrency");
    yaml_node_t *limit = conc && conc->type == YAML_MAPPING_NODE
                             ? scn_map_get(w, conc, "account_limit")
                             : NULL;
    if (limit) {
        char sub[SCN_PATH_LEN];
        snprintf(sub, sizeof sub, "%s.concurrency.account_limit", path);
        scn_error(w, limit, sub, "a function has no limit of its own: the account's is "
                  "account.concurrency_limit (shared by every function); a function's cap and "
                  "guarantee is concurrency.reserved");
    }
}

/* Parses a Glue or EMR stage's section into fn through a scratch scenario, so that the
 * section's table and rules apply as they do at the top level. */
static void parse_batch(scn_walk *w, yaml_node_t *node, const char *path, scn_function *fn)
{
    scenario *tmp = calloc(1, sizeof *tmp);
    if (!tmp) {
        scn_oom(w);
        return;
    }
    scn_field f = fn->platform == SCN_STAGE_GLUE ? GLUE_FIELD : EMR_FIELD;
    f.sub = fn->platform == SCN_STAGE_GLUE ? scn_glue_section : scn_emr_section;
    scn_apply(w, &f, node, tmp, path);
    if (fn->platform == SCN_STAGE_GLUE) {
        fn->glue = tmp->glue;
        fn->glue.present = true;
    } else {
        fn->emr = tmp->emr;
        fn->emr.present = true;
    }
    free(tmp);
}

static void parse_workload(scn_walk *w, yaml_node_t *node, const char *path, bool stage,
                           scn_workload *out)
{
    scenario *tmp = calloc(1, sizeof *tmp);
    if (!tmp) {
        scn_oom(w);
        return;
    }
    scn_field f = WORKLOAD_FIELD;
    f.sub = stage ? scn_stage_workload_section : scn_workload_section;
    scn_apply(w, &f, node, tmp, path);
    *out = tmp->workload;
    free(tmp);
}

static void parse_from(scn_walk *w, yaml_node_t *node, const char *path, scenario *s, size_t i)
{
    scn_function *fn = &s->functions[i];
    char sub[SCN_PATH_LEN];
    if (node->type != YAML_MAPPING_NODE) {
        scn_error(w, node, path, "expected a map like {function: ingest, per_item: 1}, not %s",
                  scn_node_kind(node));
        return;
    }
    static const char *const known[] = {"function", "per_item"};
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = scn_node(w, p->key);
        const char *key = scn_text(k);
        if (strcmp(key, known[0]) && strcmp(key, known[1])) {
            snprintf(sub, sizeof sub, "%s", path);
            scn_unknown_key(w, k, sub, known, 2);
        }
    }
    yaml_node_t *name = scn_map_get(w, node, "function");
    scn_join_path(sub, sizeof sub, path, "function");
    if (!name) {
        scn_error(w, node, sub, "required key is missing (the function whose completed items "
                  "feed this one)");
    } else {
        const char *want = scn_text(name);
        for (size_t j = 0; j < i; j++)
            if (s->functions[j].name && !strcmp(s->functions[j].name, want))
                fn->from = (int32_t)j;
        if (fn->from >= 0 && s->functions[fn->from].platform != SCN_STAGE_LAMBDA) {
            scn_error(w, name, sub, "'%s' is a %s stage: a Glue or EMR job is the last stage of "
                      "its pipeline (it makes no items for another)", want,
                      PLATFORM_KEYS[s->functions[fn->from].platform]);
            fn->from = -1;
            return;
        }
        if (fn->from < 0) {
            /* Say which names it can be (a typo is the likely cause). */
            char names[256] = "";
            size_t used = 0;
            for (size_t j = 0; j < i && used < sizeof names; j++)
                if (s->functions[j].name && s->functions[j].platform == SCN_STAGE_LAMBDA)
                    used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                             used ? ", " : "", s->functions[j].name);
            if (used >= sizeof names)
                memcpy(names + sizeof names - 6, ", ...", 6); /* with its NUL */
            scn_error(w, name, sub, "'%s' is not a function listed before this one (a stage "
                      "is fed by a function above it, so pipelines have no cycles): %s%s", want,
                      i ? "one of " : "none is listed before it", names);
        }
    }
    scn_join_path(sub, sizeof sub, path, "per_item");
    yaml_node_t *per = scn_map_get(w, node, "per_item");
    if (per)
        scn_apply(w, &PER_ITEM_FIELD, per, fn, sub);
}

static void functions_set(scn_walk *w, const scn_field *f, yaml_node_t *node, void *base,
                          const char *path)
{
    scenario *s = base;
    functions_destroy(f, base);
    if (node->type != YAML_SEQUENCE_NODE) {
        scn_error(w, node, path, "expected a list of functions (- name: ...), not %s",
                  scn_node_kind(node));
        return;
    }
    size_t n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
    if (n == 0) {
        scn_error(w, node, path, "needs at least one function");
        return;
    }
    s->functions = calloc(n, sizeof *s->functions);
    if (!s->functions) {
        scn_oom(w);
        return;
    }
    s->n_functions = n;
    static const char *const known[] = {"name", "from", "workload", "lambda", "glue", "emr"};
    char ip[SCN_PATH_LEN], sub[SCN_PATH_LEN];
    /* Names first, so that `from` can name any function above it. */
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = scn_node(w, node->data.sequence.items.start[i]);
        snprintf(ip, sizeof ip, "%s[%zu]", path, i);
        scn_function *fn = &s->functions[i];
        fn->from = -1;
        fn->per_item = 1;
        if (!item || item->type != YAML_MAPPING_NODE) {
            scn_error(w, item, ip, "expected a map (name:, lambda:, ...), not %s",
                      scn_node_kind(item));
            continue;
        }
        yaml_node_t *name = scn_map_get(w, item, "name");
        scn_join_path(sub, sizeof sub, ip, "name");
        if (!name) {
            scn_error(w, item, sub, "required key is missing (a name like ingest)");
            continue;
        }
        scn_apply(w, &NAME_FIELD, name, fn, sub);
        /* AWS's limit for a function's name; it also keeps functions.NAME.METRIC within a
         * result's path (report_metric.path). */
        if (fn->name && strlen(fn->name) > 64)
            scn_error(w, name, sub, "%zu characters: a function's name has at most 64",
                      strlen(fn->name));
        for (size_t j = 0; fn->name && j < i; j++)
            if (s->functions[j].name && !strcmp(s->functions[j].name, fn->name))
                scn_error(w, name, sub, "'%s' names function %zu too: names must be unique",
                          fn->name, j);
    }
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = scn_node(w, node->data.sequence.items.start[i]);
        if (!item || item->type != YAML_MAPPING_NODE)
            continue;
        snprintf(ip, sizeof ip, "%s[%zu]", path, i);
        scn_function *fn = &s->functions[i];
        /* Its keys, each once; what runs it: Lambda unless the item says glue: or emr: (one
         * platform: a second is reported where it is written). */
        yaml_node_t *seen[6] = {NULL}, *on[3] = {NULL};
        bool two_platforms = false;
        for (yaml_node_pair_t *p = item->data.mapping.pairs.start;
             p < item->data.mapping.pairs.top; p++) {
            yaml_node_t *k = scn_node(w, p->key);
            const char *key = scn_text(k);
            size_t j = 0;
            while (j < 6 && strcmp(key, known[j]))
                j++;
            scn_join_path(sub, sizeof sub, ip, key);
            if (j == 6) {
                scn_unknown_key(w, k, ip, known, 6);
                continue;
            }
            if (seen[j]) {
                scn_error(w, k, sub, "duplicate key '%s' (a function's keys are written once)",
                          key);
                continue;
            }
            seen[j] = k;
            for (int pl = 0; pl < 3; pl++) {
                if (strcmp(key, PLATFORM_KEYS[pl]))
                    continue;
                bool first = !on[0] && !on[1] && !on[2];
                if (!first && !two_platforms)
                    scn_error(w, k, sub, "a function runs on one platform: lambda, glue or emr, "
                              "not two");
                two_platforms |= !first;
                on[pl] = scn_node(w, p->value);
                if (first)
                    fn->platform = (scn_stage_platform)pl;
            }
        }
        if (two_platforms) {
            fn->platform = SCN_STAGE_LAMBDA; /* no "is a stage" errors downstream of it */
            continue;
        }
        yaml_node_t *from = scn_map_get(w, item, "from");
        scn_join_path(sub, sizeof sub, ip, "from");
        if (from)
            parse_from(w, from, sub, s, i);
        yaml_node_t *wl = scn_map_get(w, item, "workload");
        scn_join_path(sub, sizeof sub, ip, "workload");
        if (wl) {
            parse_workload(w, wl, sub, from != NULL, &fn->workload);
            fn->has_workload = true;
        }
        scn_join_path(sub, sizeof sub, ip, PLATFORM_KEYS[fn->platform]);
        if (fn->platform == SCN_STAGE_LAMBDA) {
            parse_lambda(w, on[0], sub, &fn->lambda);
            continue;
        }
        parse_batch(w, on[fn->platform], sub, fn);
        if (!from) {
            scn_join_path(sub, sizeof sub, ip, "from");
            scn_error(w, item, sub, "required key is missing: a %s stage runs on the items a "
                      "function above it completes (from: {function: NAME}); a job on the "
                      "scenario's own arrivals is the top-level %s section",
                      PLATFORM_KEYS[fn->platform], PLATFORM_KEYS[fn->platform]);
        }
    }
}

/* Writes the list as a block below `functions:` (the writer has written "functions: " and ends
 * the value with a newline, so the block's own last newline is dropped). */
static void functions_write(FILE *out, const scn_field *f, const void *base, int indent)
{
    const scenario *s = base;
    scenario *view = calloc(1, sizeof *view);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = view ? open_memstream(&text, &len) : NULL;
    if (!mem) {
        free(view);
        return;
    }
    for (size_t i = 0; i < s->n_functions; i++) {
        const scn_function *fn = &s->functions[i];
        fprintf(mem, "%s%*s- name: %s\n", i ? "" : "\n", indent + 2, "", fn->name);
        if (fn->from >= 0)
            fprintf(mem, "%*sfrom: {function: %s, per_item: %lld}\n", indent + 4, "",
                    s->functions[fn->from].name, (long long)fn->per_item);
        *view = *s; /* n_functions > 0: the lambda writer leaves out account_limit */
        view->lambda = fn->lambda;
        if (fn->has_workload) {
            view->workload = fn->workload;
            fprintf(mem, "%*sworkload:\n", indent + 4, "");
            scn_write_section(mem, view,
                              fn->from >= 0 ? scn_stage_workload_section : scn_workload_section,
                              view, indent + 6);
        }
        fprintf(mem, "%*s%s:\n", indent + 4, "", PLATFORM_KEYS[fn->platform]);
        view->glue = fn->glue;
        view->emr = fn->emr;
        scn_write_section(mem, view,
                          fn->platform == SCN_STAGE_GLUE ? scn_glue_section
                          : fn->platform == SCN_STAGE_EMR ? scn_emr_section
                                                          : scn_lambda_section,
                          view, indent + 6);
    }
    free(view);
    if (fclose(mem) == 0 && text) {
        if (len > 0 && text[len - 1] == '\n')
            len--;
        fwrite(text, 1, len, out);
    }
    free(text);
}

static bool functions_zero(const scn_field *f, const void *base)
{
    const scenario *s = base;
    /* Functions made from a trace are written as the functions_from_trace that makes them. */
    return s->n_functions == 0 || s->from_trace.present;
}

/* For `capsim schema` only (functions_set parses an item by hand): what an item holds. A
 * function's workload and lambda are the top-level sections, documented there. */
static const scn_custom DOC_WORKLOAD = {NULL, NULL, NULL, "a workload section", "", NULL, NULL,
                                        false};
static const scn_custom DOC_LAMBDA = {NULL, NULL, NULL, "a lambda section", "", NULL, NULL, false};
static const scn_custom DOC_GLUE = {NULL, NULL, NULL, "a glue section", "", NULL, NULL, false};
static const scn_custom DOC_EMR = {NULL, NULL, NULL, "an emr section", "", NULL, NULL, false};
static const scn_field from_doc_fields[] = {
    {"function", SCN_T_STRING, 0, NO,
     .help = "a function listed before this one: each item it completes feeds this one"},
    {"per_item", SCN_T_INT, 0, NO, .has_min = true, .min = 1, .has_max = true, .max = 10000,
     .def = "1", .help = "items made here of each item the upstream function completes "
                         "(fan-out)"},
};
static const scn_section from_doc_section = {from_doc_fields, sizeof from_doc_fields / sizeof from_doc_fields[0], NULL};
static const scn_field function_doc_fields[] = {
    {"name", SCN_T_STRING, 0, NO,
     .help = "[a-z0-9-], at most 64 characters, unique: its results are lambda.functions.NAME"},
    {"from", SCN_T_SECTION, 0, NO, .sub = &from_doc_section,
     .help = "a pipeline stage: fed by an upstream function instead of its own arrivals"},
    {"workload", SCN_T_CUSTOM, 0, NO, .custom = &DOC_WORKLOAD, .def_doc = "the top-level workload",
     .help = "every key of the workload section; with from, only item, work and errors"},
    {"lambda", SCN_T_CUSTOM, 0, NO, .custom = &DOC_LAMBDA, .def = "{}",
     .help = "every key of the lambda section but concurrency.account_limit"},
    {"glue", SCN_T_CUSTOM, 0, NO, .custom = &DOC_GLUE, .def_doc = "none: the function is Lambda",
     .help = "instead of lambda: a Glue job on the items of `from` (a last stage); every key "
             "of the glue section"},
    {"emr", SCN_T_CUSTOM, 0, NO, .custom = &DOC_EMR, .def_doc = "none: the function is Lambda",
     .help = "instead of lambda: an EMR job on the items of `from` (a last stage); every key "
             "of the emr section"},
};
static const scn_section function_doc_section = {function_doc_fields, sizeof function_doc_fields / sizeof function_doc_fields[0],
                                                    NULL};

const scn_custom scn_functions_custom = {
    functions_set, functions_write, functions_destroy, "list of functions", "",
    &function_doc_section, functions_zero, .block = true};

/* ------------------------------------------------------------------ functions_from_trace */

static void template_set(scn_walk *w, const scn_field *f, yaml_node_t *node, void *base,
                         const char *path)
{
    scenario *s = base;
    free_lambda(&s->from_trace.lambda);
    parse_lambda(w, scn_is_null(node) ? NULL : node, path, &s->from_trace.lambda);
}
static void template_write(FILE *out, const scn_field *f, const void *base, int indent)
{
    const scenario *s = base;
    scenario *view = calloc(1, sizeof *view);
    if (!view)
        return;
    *view = *s;
    view->lambda = s->from_trace.lambda;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem) {
        fputc('\n', mem);
        scn_write_section(mem, view, scn_lambda_section, view, indent + 2);
        if (fclose(mem) == 0 && text)
            fwrite(text, 1, len > 0 && text[len - 1] == '\n' ? len - 1 : len, out);
        free(text);
    }
    free(view);
}
static void template_destroy(const scn_field *f, void *base)
{
    free_lambda(&((scenario *)base)->from_trace.lambda);
}
static const scn_custom TEMPLATE = {template_set, template_write, template_destroy,
                                    "a lambda section", "", NULL, NULL, .block = true};

static const scn_field from_trace_fields[] = {
    {"lambda", SCN_T_CUSTOM, offsetof(scenario, from_trace.lambda), NO, .custom = &TEMPLATE,
     .def = "{}", .help = "every key of the lambda section: what each function is"},
    {"durations", SCN_T_STRING, offsetof(scenario, from_trace.durations), NO,
     .omit_if_zero = true,
     .help = "Azure function_durations_percentiles file: each function's run time (replaces "
             "workload.work)"},
    {"memory", SCN_T_STRING, offsetof(scenario, from_trace.memory), NO, .omit_if_zero = true,
     .help = "Azure app_memory_percentiles file (rows by HashFunction, or by HashApp: each "
             "function gets its app's): each function's memory (AverageAllocatedMb, at least "
             "128MB)"},
    {"min_invocations", SCN_T_INT, offsetof(scenario, from_trace.min_invocations), NO,
     .has_min = true, .min = 1, .def = "1",
     .help = "rows with fewer invocations in the whole trace are left out"},
};
const scn_section scn_functions_from_trace_section = {
    from_trace_fields, sizeof from_trace_fields / sizeof from_trace_fields[0], NULL};

/* ---- companion files: one row per HashFunction (or per HashApp: the dataset's memory file),
 * columns found by their header names, looked up by binary search (the whole dataset has some
 * 50,000 functions a day) ---- */

typedef struct companion_key {
    const char *name;
    size_t row;
} companion_key;

typedef struct companion {
    char **names;      /* HashFunction (or HashApp, by_app) of each row */
    double *values;    /* n_rows x n_cols, in the order of the wanted columns */
    size_t n_rows, n_cols;
    companion_key *order; /* rows by name */
    bool by_app;
} companion;

static void companion_free(companion *c)
{
    for (size_t i = 0; c->names && i < c->n_rows; i++)
        free(c->names[i]);
    free(c->names);
    free(c->values);
    free(c->order);
    memset(c, 0, sizeof *c);
}

static int by_name(const void *a, const void *b)
{
    const companion_key *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->row > y->row) - (x->row < y->row); /* a name's first row first */
}

/* Reads the file named at key `key` (a path already resolved) keeping the columns `want`; rows
 * are named by HashFunction, or with per_app_ok by HashApp when the file has no HashFunction
 * (the dataset's app_memory_percentiles). False after reporting. */
static bool companion_read(scn_walk *w, yaml_node_t *node, const char *key, const char *file,
                           const char *const *want, size_t n_want, bool per_app_ok,
                           companion *c)
{
    memset(c, 0, sizeof *c);
    c->n_cols = n_want;
    FILE *fp = scn_open_data_file(w, node, key, file);
    if (!fp)
        return false;
    char *line = NULL;
    size_t cap = 0, before = scn_error_count(w), cap_rows = 0;
    int lineno = 0;
    int64_t total = 0;
    ssize_t got;
    int col_of[16], name_col = -1, n_fields = 0;
    bool ok = true;
    while (ok && (got = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        if (!scn_data_line_ok(w, file, lineno, key, line, (size_t)got, &total)) {
            ok = false;
            break;
        }
        scn_chomp(line);
        if (!line[0])
            continue;
        char *fields[64];
        size_t n_split;
        scn_split_csv(line, fields, 64, &n_split);
        if (n_split > 64) {
            sim_diag_error(scn_diag(w), file, lineno, 0, key, "%zu columns: at most 64 are "
                           "read", n_split);
            ok = false;
            break;
        }
        int n = (int)n_split;
        if (lineno == 1) {
            n_fields = n;
            for (size_t j = 0; j < n_want; j++) {
                col_of[j] = -1;
                for (int k = 0; k < n; k++)
                    if (!strcmp(fields[k], want[j]))
                        col_of[j] = k;
            }
            for (int k = 0; k < n; k++)
                if (!strcmp(fields[k], "HashFunction"))
                    name_col = k;
            for (int k = 0; per_app_ok && name_col < 0 && k < n; k++)
                if (!strcmp(fields[k], "HashApp")) {
                    name_col = k;
                    c->by_app = true;
                }
            for (size_t j = 0; j < n_want && ok; j++)
                if (col_of[j] < 0) {
                    sim_diag_error(scn_diag(w), file, 1, 0, key,
                                   "no column %s in the header (expected the Azure Functions "
                                   "2019 companion format, with HashFunction)", want[j]);
                    ok = false;
                }
            if (ok && name_col < 0) {
                sim_diag_error(scn_diag(w), file, 1, 0, key, "no column HashFunction%s in the "
                               "header", per_app_ok ? " (or HashApp)" : "");
                ok = false;
            }
            continue;
        }
        if (n != n_fields) {
            sim_diag_error(scn_diag(w), file, lineno, 0, key, "%d columns, but the header has %d",
                           n, n_fields);
            continue;
        }
        if (c->n_rows == cap_rows) {
            size_t ncap = cap_rows ? 2 * cap_rows : 256;
            char **nn = realloc(c->names, ncap * sizeof *nn);
            if (nn)
                c->names = nn;
            double *nv = nn ? realloc(c->values, ncap * n_want * sizeof *nv) : NULL;
            if (!nv) {
                scn_oom(w);
                ok = false;
                break;
            }
            c->values = nv;
            cap_rows = ncap;
        }
        double *row = c->values + c->n_rows * n_want;
        bool row_ok = true;
        for (size_t j = 0; j < n_want && row_ok; j++) {
            char msg[256];
            if (units_parse_number(fields[col_of[j]], &row[j], msg, sizeof msg) || row[j] < 0 ||
                !isfinite(row[j])) {
                sim_diag_error(scn_diag(w), file, lineno, 0, key, "column %s: '%s' is not a "
                               "non-negative number", want[j], fields[col_of[j]]);
                row_ok = false;
            }
        }
        if (!row_ok)
            continue;
        if (!(c->names[c->n_rows] = strdup(fields[name_col]))) {
            scn_oom(w);
            ok = false;
            break;
        }
        c->n_rows++;
    }
    free(line);
    fclose(fp);
    if (ok && scn_error_count(w) == before) {
        c->order = malloc((c->n_rows ? c->n_rows : 1) * sizeof *c->order);
        if (!c->order) {
            scn_oom(w);
            ok = false;
        }
    }
    if (!ok || scn_error_count(w) != before) {
        companion_free(c);
        return false;
    }
    for (size_t i = 0; i < c->n_rows; i++)
        c->order[i] = (companion_key){c->names[i], i};
    qsort(c->order, c->n_rows, sizeof *c->order, by_name);
    return true;
}

/* The values of the row named `name` (the first such row), or NULL. */
static const double *companion_find(const companion *c, const char *name)
{
    size_t lo = 0, hi = c->n_rows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->order[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < c->n_rows && !strcmp(c->order[lo].name, name))
        return c->values + c->order[lo].row * c->n_cols;
    return NULL;
}

/* The Azure durations file gives, per function, percentiles of its average duration (ms) over
 * the day. They are taken as the quantiles of one invocation's run time: capsim samples it from
 * the piecewise-linear quantile function through (0, p0), (0.01, p1), (0.25, p25), (0.5, p50),
 * (0.75, p75), (0.99, p99), (1, p100), tabulated at 101 points (an empirical distribution). */
static const char *const DURATION_COLUMNS[] = {
    "percentile_Average_0", "percentile_Average_1", "percentile_Average_25",
    "percentile_Average_50", "percentile_Average_75", "percentile_Average_99",
    "percentile_Average_100"};
static const double DURATION_P[] = {0, 0.01, 0.25, 0.5, 0.75, 0.99, 1};
#define N_DURATION_POINTS 7
#define DURATION_TABLE 101

static bool duration_from_percentiles(const double *ms, scn_dist *d)
{
    double *v = malloc(DURATION_TABLE * sizeof *v);
    if (!v)
        return false;
    double q[N_DURATION_POINTS]; /* seconds: monotone, and at least 1 ms */
    for (int k = 0; k < N_DURATION_POINTS; k++)
        q[k] = fmax(k ? fmax(ms[k] / 1000.0, q[k - 1]) : ms[k] / 1000.0, 0.001);
    for (int i = 0; i < DURATION_TABLE; i++) {
        double p = (double)i / (DURATION_TABLE - 1);
        int k = 0;
        while (k < N_DURATION_POINTS - 2 && p > DURATION_P[k + 1])
            k++;
        double t = (p - DURATION_P[k]) / (DURATION_P[k + 1] - DURATION_P[k]);
        v[i] = q[k] + t * (q[k + 1] - q[k]);
        if (v[i] > q[k + 1]) v[i] = q[k + 1]; /* rounding must not break the order */
        if (i > 0 && v[i] < v[i - 1]) v[i] = v[i - 1];
    }
    memset(d, 0, sizeof *d);
    d->form = SCN_FORM_EMPIRICAL;
    d->quantity = SCN_QTY_DURATION;
    d->values = v;
    d->n_values = DURATION_TABLE;
    return sim_dist_empirical(&d->dist, v, DURATION_TABLE) == SIM_OK;
}

static char *companion_path(scn_walk *w, yaml_node_t *map, const char *key, const char *file)
{
    char sub[SCN_PATH_LEN];
    snprintf(sub, sizeof sub, "functions_from_trace.%s", key);
    return scn_data_path(w, map ? scn_map_get(w, map, key) : NULL, sub, file);
}

/* One function per trace row (scn_functions_check). */
static void expand_trace(scn_walk *w, yaml_node_t *ft_map, scenario *s)
{
    const scn_trace *t = &s->workload.trace;
    companion dur = {0}, mem = {0};
    static const char *const MEMORY_COLUMNS[] = {"AverageAllocatedMb"};
    bool have_dur = false, have_mem = false;
    if (s->from_trace.durations) {
        char *p = companion_path(w, ft_map, "durations", s->from_trace.durations);
        have_dur = p && companion_read(w, scn_map_get(w, ft_map, "durations"),
                                       "functions_from_trace.durations", p, DURATION_COLUMNS,
                                       N_DURATION_POINTS, false, &dur);
        free(p);
        if (!have_dur)
            return;
    }
    if (s->from_trace.memory) {
        char *p = companion_path(w, ft_map, "memory", s->from_trace.memory);
        have_mem = p && companion_read(w, scn_map_get(w, ft_map, "memory"),
                                       "functions_from_trace.memory", p, MEMORY_COLUMNS, 1, true,
                                       &mem);
        free(p);
        if (!have_mem) {
            companion_free(&dur);
            return;
        }
    }
    size_t n = 0;
    s->functions = calloc(t->n_rows ? t->n_rows : 1, sizeof *s->functions);
    if (!s->functions) {
        scn_oom(w);
        goto done;
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        const int64_t *counts = t->row_counts + r * t->n_minutes;
        int64_t total = 0, max = 0;
        for (size_t m = 0; m < t->n_minutes; m++) {
            total += counts[m];
            if (counts[m] > max)
                max = counts[m];
        }
        if (total < s->from_trace.min_invocations)
            continue;
        scn_function *fn = &s->functions[n];
        fn->from = -1;
        fn->per_item = 1;
        char name[40];
        snprintf(name, sizeof name, "f%.12s", t->row_names[r]);
        for (char *c = name; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        if (strspn(name + 1, "0123456789abcdef") != strlen(name + 1))
            snprintf(name, sizeof name, "row-%zu", r + 1); /* not a hex hash: name by row */
        for (size_t j = 0; j < n; j++)
            if (!strcmp(s->functions[j].name, name)) {
                snprintf(name + strlen(name), sizeof name - strlen(name), "-r%zu", r + 1);
                break;
            }
        fn->name = strdup(name);
        fn->trace = malloc(sizeof *fn->trace);
        if (!fn->name || !fn->trace) {
            free(fn->name);
            free(fn->trace);
            scn_oom(w);
            goto done;
        }
        n++;
        /* The row, borrowed from the loaded trace: scale and loop are the trace's. */
        memset(fn->trace, 0, sizeof *fn->trace);
        fn->trace->format = SCN_TRACE_PER_MINUTE;
        fn->trace->scale = t->scale;
        fn->trace->loop = t->loop;
        fn->trace->minute_counts = (int64_t *)counts;
        fn->trace->n_minutes = t->n_minutes;
        fn->trace->max_minute_count = max;
        fn->trace->total = total;
        fn->trace->period_s = t->period_s;
        fn->lambda = s->from_trace.lambda;
        fn->lambda_borrowed = true;
        const double *v;
        if (have_mem &&
            (v = companion_find(&mem, mem.by_app ? t->row_apps[r] : t->row_names[r]))) {
            /* Lambda memory is set in 1 MB steps from 128 MB to 10,240 MB. */
            double mb = ceil(v[0]);
            fn->lambda.memory_mb = (int64_t)fmin(fmax(mb, 128.0), 10240.0);
        }
        if (have_dur && (v = companion_find(&dur, t->row_names[r]))) {
            if (!duration_from_percentiles(v, &fn->duration)) {
                scn_oom(w);
                goto done;
            }
            fn->has_duration = true;
        }
    }
    if (n == 0)
        scn_error(w, ft_map, "functions_from_trace.min_invocations", "no row of the trace has "
                  "%lld invocations or more: no function to simulate",
                  (long long)s->from_trace.min_invocations);
done:
    s->n_functions = n;
    companion_free(&dur);
    companion_free(&mem);
}

/* ------------------------------------------------------------------ root rules */

/* The most environments a function's provisioned concurrency asks for at any time. */
static int64_t provisioned_max(const scn_lambda *L)
{
    int64_t most = L->provisioned;
    for (size_t i = 0; i < L->n_provisioned_windows; i++)
        if (L->provisioned_schedule[i].count > most)
            most = L->provisioned_schedule[i].count;
    return most;
}

/* What the lambda section's own check leaves to the account (check_concurrency): a function's
 * reservation, or without one its provisioned concurrency, at most the limit - 100. */
static void check_against_limit(scn_walk *w, yaml_node_t *map, const char *path,
                                const scn_lambda *L, int64_t limit)
{
    char sub[SCN_PATH_LEN];
    int64_t cap = limit - 100; /* AWS keeps 100 unreserved */
    if (L->reserved > cap) {
        snprintf(sub, sizeof sub, "%s.lambda.concurrency.reserved", path);
        scn_error_key(w, sub, map, "%lld leaves fewer than 100 of the account's %lld "
                      "(account.concurrency_limit) unreserved (AWS requires 100): at most %lld",
                      (long long)L->reserved, (long long)limit, (long long)cap);
    } else if (L->reserved < 0 && provisioned_max(L) > cap) {
        snprintf(sub, sizeof sub, "%s.lambda.concurrency.provisioned", path);
        scn_error_key(w, sub, map, "%lld is more than the account's limit - 100 (%lld): without "
                      "a reservation, provisioned environments come out of the unreserved pool",
                      (long long)provisioned_max(L), (long long)cap);
    }
}

void scn_functions_check(scn_walk *w, yaml_node_t *map, scenario *s)
{
    yaml_node_t *fn_node = scn_map_get(w, map, "functions");
    yaml_node_t *ft_node = scn_map_get(w, map, "functions_from_trace");
    bool per_function = s->workload.process == SCN_ARRIVALS_TRACE &&
                        s->workload.trace.per_function;
    if ((fn_node || ft_node) && s->lambda.present)
        scn_error_key(w, "lambda", map, "a scenario has either lambda (one function) or "
                      "functions (several in one account, format 1.1), not both");
    if (fn_node && ft_node)
        scn_error_key(w, "functions_from_trace", map, "functions_from_trace makes the functions "
                      "from the trace: leave out functions");
    if (ft_node && !per_function)
        scn_error_key(w, "functions_from_trace", map, "needs workload.arrivals.trace with "
                      "format: per_minute and per_function: true (one function per row)");
    if (per_function && !ft_node && !fn_node && scn_error_count(w) == 0)
        scn_error_key(w, "workload.arrivals.trace.per_function", map, "needs "
                      "functions_from_trace: {lambda: {...}} to say what each row's function is");
    if (per_function && fn_node)
        scn_error_key(w, "workload.arrivals.trace.per_function", map, "replays each row as its "
                      "own function: use functions_from_trace, not functions");
    if (ft_node && per_function && !fn_node && !s->lambda.present && scn_error_count(w) == 0 &&
        s->workload.trace.n_rows > 0)
        expand_trace(w, ft_node, s);
    s->functions_present = s->n_functions > 0;
    if (!s->n_functions || scn_error_count(w) > 0)
        return;
    /* The account: reservations leave at least 100 unreserved (AWS). */
    if (s->from_trace.present)
        check_against_limit(w, map, "functions_from_trace", &s->from_trace.lambda,
                            s->account_limit);
    for (size_t i = 0; !s->from_trace.present && i < s->n_functions; i++) {
        char path[48];
        snprintf(path, sizeof path, "functions[%zu]", i);
        const scn_function *fn = &s->functions[i];
        if (fn->platform == SCN_STAGE_LAMBDA)
            check_against_limit(w, map, path, &fn->lambda, s->account_limit);
        /* An EMR stage's instance type, as emr.instance_type's (check_pricing). */
        if (fn->platform == SCN_STAGE_EMR && s->pricing_table && fn->emr.instance_type[0] &&
            !pricing_find_instance(s->pricing_table, fn->emr.instance_type)) {
            char known[512], sub[SCN_PATH_LEN];
            pricing_list_instances(s->pricing_table, known, sizeof known);
            snprintf(sub, sizeof sub, "%s.emr.instance_type", path);
            scn_error_key(w, sub, map, "'%s' is not in pricing table %s; known types: %s",
                          fn->emr.instance_type, s->pricing_table->name, known);
        }
    }
    if (scn_error_count(w) > 0)
        return;
    /* Provisioned environments of functions without a reservation come out of the unreserved
     * pool, which must keep 100 as well (AWS: "up to the unreserved account concurrency minus
     * 100"); a schedule counts with its largest window. */
    int64_t reserved = 0, provisioned = 0;
    for (size_t i = 0; i < s->n_functions; i++) {
        scn_function *fn = &s->functions[i];
        if (fn->platform != SCN_STAGE_LAMBDA)
            continue;
        if (!fn->lambda_borrowed)
            fn->lambda.account_limit = s->account_limit;
        if (fn->lambda.reserved > 0)
            reserved += fn->lambda.reserved;
        else if (fn->lambda.reserved < 0)
            provisioned += provisioned_max(&fn->lambda);
    }
    if (s->from_trace.present)
        s->from_trace.lambda.account_limit = s->account_limit;
    for (size_t i = 0; s->from_trace.present && i < s->n_functions; i++)
        s->functions[i].lambda.account_limit = s->account_limit;
    if (reserved > s->account_limit - 100)
        scn_error_key(w, "functions", map, "the functions reserve %lld of the account's %lld "
                      "(account.concurrency_limit): AWS keeps at least 100 unreserved, so at "
                      "most %lld can be reserved in all", (long long)reserved,
                      (long long)s->account_limit, (long long)(s->account_limit - 100));
    else if (reserved + provisioned > s->account_limit - 100)
        scn_error_key(w, "functions", map, "the functions without a reservation provision %lld "
                      "environments, but the account's %lld (account.concurrency_limit) less the "
                      "%lld reserved leaves %lld unreserved, of which AWS keeps 100: at most %lld "
                      "can be provisioned", (long long)provisioned, (long long)s->account_limit,
                      (long long)reserved, (long long)(s->account_limit - reserved),
                      (long long)(s->account_limit - reserved - 100));
}
