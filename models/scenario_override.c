/* models/scenario_override.c — grafts `--set KEY=VALUE` overrides into the scenario's document.
 *
 * VALUE is parsed as YAML on its own (so `--set 'lambda.cold_start.init={dist: exponential,
 * mean: 1s}'` works) and its nodes are copied into the scenario file's document under the dotted
 * KEY, creating the maps on the way that the file does not have. The walk that follows then
 * applies exactly the checks the file gets, and an unknown key is reported like one in the file.
 * Copied nodes carry the override's position: line = its 0-based index, column = the column in
 * the "KEY=VALUE" text, so errors read `--set:N:COL`. A list of named maps is entered by name:
 * `functions.ingest.lambda.memory=2048MB` sets the memory of the function named ingest. */
#include <stdlib.h>
#include <string.h>

#include "models/scenario_internal.h"
#include "sim/error.h"

#define MAX_OVERRIDE_DEPTH 64 /* measured before (no cycles, bounded size); kept as a guard */

static void mark_override(yaml_document_t *doc, int id, int index, int col0)
{
    yaml_node_t *n = yaml_document_get_node(doc, id);
    n->start_mark.line = n->end_mark.line = (size_t)index;
    n->start_mark.column = n->end_mark.column = (size_t)col0;
}

/* Copies node `id` of src into dst with override positions; returns the new id, 0 on failure. */
static int copy_node(yaml_document_t *src, int id, yaml_document_t *dst, int index, int col0,
                     int depth)
{
    yaml_node_t *n = yaml_document_get_node(src, id);
    if (!n || depth > MAX_OVERRIDE_DEPTH)
        return 0;
    int col = col0 + (int)n->start_mark.column, nid = 0;
    switch (n->type) {
    case YAML_SCALAR_NODE:
        nid = yaml_document_add_scalar(dst, n->tag, n->data.scalar.value, (int)n->data.scalar.length,
                                       n->data.scalar.style);
        break;
    case YAML_SEQUENCE_NODE: {
        nid = yaml_document_add_sequence(dst, n->tag, n->data.sequence.style);
        int count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
        for (int i = 0; nid && i < count; i++) {
            n = yaml_document_get_node(src, id);
            int c = copy_node(src, n->data.sequence.items.start[i], dst, index, col0, depth + 1);
            if (!c || !yaml_document_append_sequence_item(dst, nid, c))
                return 0;
        }
        break;
    }
    case YAML_MAPPING_NODE: {
        nid = yaml_document_add_mapping(dst, n->tag, n->data.mapping.style);
        int count = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
        for (int i = 0; nid && i < count; i++) {
            n = yaml_document_get_node(src, id);
            yaml_node_pair_t pair = n->data.mapping.pairs.start[i];
            int k = copy_node(src, pair.key, dst, index, col0, depth + 1);
            int v = k ? copy_node(src, pair.value, dst, index, col0, depth + 1) : 0;
            if (!v || !yaml_document_append_mapping_pair(dst, nid, k, v))
                return 0;
        }
        break;
    }
    default:
        return 0;
    }
    if (nid)
        mark_override(dst, nid, index, col);
    return nid;
}

/* Index of the pair of `map` whose key is `key` (first match), or -1. */
static int find_pair(yaml_document_t *doc, int map, const char *key)
{
    yaml_node_t *m = yaml_document_get_node(doc, map);
    int count = (int)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
    for (int i = 0; i < count; i++) {
        yaml_node_t *k = yaml_document_get_node(doc, m->data.mapping.pairs.start[i].key);
        if (k && k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
            return i;
    }
    return -1;
}

/* The item of sequence `seq` that is a map with `name: NAME`, or 0. */
static int named_item(yaml_document_t *doc, int seq, const char *name)
{
    yaml_node_t *q = yaml_document_get_node(doc, seq);
    int count = (int)(q->data.sequence.items.top - q->data.sequence.items.start);
    for (int i = 0; i < count; i++) {
        int id = q->data.sequence.items.start[i];
        yaml_node_t *item = yaml_document_get_node(doc, id);
        if (!item || item->type != YAML_MAPPING_NODE)
            continue;
        int at = find_pair(doc, id, "name");
        if (at < 0)
            continue;
        yaml_node_t *v = yaml_document_get_node(doc, item->data.mapping.pairs.start[at].value);
        if (v && v->type == YAML_SCALAR_NODE && !strcmp((const char *)v->data.scalar.value, name))
            return id;
    }
    return 0;
}

/* Adds `key: value` to map, the key positioned at column col0 of override `index`. */
static bool add_pair(yaml_document_t *doc, int map, const char *key, int value, int index,
                     int col0)
{
    int k = yaml_document_add_scalar(doc, NULL, (const yaml_char_t *)key, (int)strlen(key),
                                     YAML_PLAIN_SCALAR_STYLE);
    if (!k)
        return false;
    mark_override(doc, k, index, col0);
    return yaml_document_append_mapping_pair(doc, map, k, value);
}

int scn_override_apply(yaml_document_t *doc, const char *text, int index, sim_diag *diag)
{
    const char *eq = strchr(text, '=');
    if (!eq || eq == text) {
        sim_diag_error(diag, SCN_OVERRIDE_SOURCE, index + 1, 1, NULL,
                       "expected KEY=VALUE, like lambda.memory=2048MB; got '%s'", text);
        return SIM_OK;
    }
    size_t key_len = (size_t)(eq - text);
    char *key = strndup(text, key_len);
    if (!key)
        return SIM_ENOMEM;
    int parts = 1;
    for (size_t i = 0; i <= key_len; i++) {
        bool boundary = i == key_len || key[i] == '.';
        if (key[i] == '.' && ++parts > SCN_MAX_DEPTH) {
            sim_diag_error(diag, SCN_OVERRIDE_SOURCE, index + 1, (int)i + 1, NULL,
                           "a key path of more than %d parts; scenario keys have at most 5",
                           SCN_MAX_DEPTH);
            free(key);
            return SIM_OK;
        }
        if (boundary && (i == 0 || key[i - 1] == '.')) {
            sim_diag_error(diag, SCN_OVERRIDE_SOURCE, index + 1, (int)i + 1, key,
                           "empty part in the key (keys are dotted paths like lambda.memory)");
            free(key);
            return SIM_OK;
        }
    }
    const char *value = eq + 1;
    int value_col0 = (int)key_len + 1;
    yaml_parser_t p;
    yaml_document_t vdoc;
    int depth_rc = scn_yaml_check_depth(diag, SCN_OVERRIDE_SOURCE, index + 1, value_col0, key,
                                        value, strlen(value));
    if (depth_rc) {
        free(key);
        return depth_rc == SIM_ENOMEM ? SIM_ENOMEM : SIM_OK;
    }
    if (!yaml_parser_initialize(&p)) {
        free(key);
        return SIM_ENOMEM;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)value, strlen(value));
    if (!yaml_parser_load(&p, &vdoc)) {
        int rc = SCN_YAML_OOM(&p) ? SIM_ENOMEM : SIM_OK;
        if (!rc)
            scn_report_yaml_error(diag, SCN_OVERRIDE_SOURCE, index + 1, value_col0, key, &p,
                                  value, strlen(value));
        yaml_parser_delete(&p);
        free(key);
        return rc;
    }
    yaml_parser_delete(&p);

    /* The copy below expands aliases: measure first what it would make (scenario_limits.c). */
    scn_yaml_measure_out m;
    if (scn_yaml_measure(&vdoc, 1, SCN_MAX_NODES, &m)) {
        yaml_document_delete(&vdoc);
        free(key);
        return SIM_ENOMEM;
    }
    yaml_node_t *bad = m.cycle_node ? m.cycle_node : m.big_node;
    if (bad) {
        int col = value_col0 + scn_text_offset(value, strlen(value), bad->start_mark.line,
                                               bad->start_mark.column) + 1;
        if (m.cycle_node)
            sim_diag_error(diag, SCN_OVERRIDE_SOURCE, index + 1, col, key,
                           "this value contains an alias to itself (*name inside its own "
                           "&name), so it never ends");
        else
            sim_diag_error(diag, SCN_OVERRIDE_SOURCE, index + 1, col, key,
                           "this value stands for more than %d nodes once its aliases (*name) "
                           "are expanded; a scenario needs a few hundred", SCN_MAX_NODES);
        yaml_document_delete(&vdoc);
        free(key);
        return SIM_OK;
    }

    /* Walk down the dotted path, creating the maps that are missing; set the last part. */
    int rc = SIM_OK, cur = 1; /* the root mapping, ensured by the caller */
    for (char *seg = key;;) {
        char *dot = strchr(seg, '.');
        if (dot)
            *dot = '\0';
        int seg_col0 = (int)(seg - key);
        int at = find_pair(doc, cur, seg);
        if (!dot) {
            int v;
            if (yaml_document_get_root_node(&vdoc)) {
                v = copy_node(&vdoc, 1, doc, index, value_col0, 0);
            } else { /* `KEY=`: an empty (null) value */
                v = yaml_document_add_scalar(doc, NULL, (const yaml_char_t *)"", 0,
                                             YAML_PLAIN_SCALAR_STYLE);
                if (v)
                    mark_override(doc, v, index, value_col0);
            }
            bool ok = v != 0;
            if (ok && at >= 0)
                yaml_document_get_node(doc, cur)->data.mapping.pairs.start[at].value = v;
            else if (ok)
                ok = add_pair(doc, cur, seg, v, index, seg_col0);
            if (!ok) /* out of memory, or a value nested absurdly deep (alias cycles) */
                sim_diag_error(diag, SCN_OVERRIDE_SOURCE, index + 1, value_col0 + 1, key,
                               "cannot use this value (nested too deeply, or out of memory)");
            break;
        }
        /* Functions made from a trace have no item to name: their template is the key. */
        if (cur == 1 && at < 0 && !strcmp(seg, "functions") &&
            find_pair(doc, 1, "functions_from_trace") >= 0) {
            sim_diag_error(diag, SCN_OVERRIDE_SOURCE, index + 1, seg_col0 + 1, "functions",
                           "this scenario makes its functions from the trace: set "
                           "functions_from_trace.lambda.KEY (every function's), e.g. "
                           "functions_from_trace.lambda.memory=2048MB");
            *dot = '.';
            break;
        }
        int child = 0;
        if (at >= 0) {
            child = yaml_document_get_node(doc, cur)->data.mapping.pairs.start[at].value;
            yaml_node_t *c = yaml_document_get_node(doc, child);
            /* A list of named maps (functions:): the next part names the item. */
            if (c->type == YAML_SEQUENCE_NODE) {
                char *name = dot + 1, *next = strchr(name, '.');
                if (!next) {
                    sim_diag_error(diag, SCN_OVERRIDE_SOURCE, index + 1, seg_col0 + 1, key,
                                   "'%s' is a list: name an item and a key inside it, like "
                                   "functions.NAME.lambda.memory", seg);
                    *dot = '.';
                    break;
                }
                *next = '\0';
                int item = named_item(doc, child, name);
                if (item == 0) {
                    sim_diag_error(diag, SCN_OVERRIDE_SOURCE, index + 1, (int)(name - key) + 1,
                                   NULL, "%s: no item of the list has name: %s", seg, name);
                    *dot = '.';
                    *next = '.';
                    break;
                }
                *dot = '.';
                *next = '.';
                cur = item;
                seg = next + 1;
                continue;
            }
            if (c->type != YAML_MAPPING_NODE && !scn_is_null(c)) {
                sim_diag_error(diag, SCN_OVERRIDE_SOURCE, index + 1, seg_col0 + 1, key,
                               "cannot set a key inside '%s': it is %s, not a map", key,
                               scn_node_kind(c));
                break;
            }
            if (c->type == YAML_MAPPING_NODE) {
                cur = child;
                *dot = '.';
                seg = dot + 1;
                continue;
            }
        }
        /* Missing, or `lambda:` with nothing after it: a new map here. */
        int nm = yaml_document_add_mapping(doc, NULL, YAML_BLOCK_MAPPING_STYLE);
        if (nm)
            mark_override(doc, nm, index, seg_col0);
        if (nm && at >= 0)
            yaml_document_get_node(doc, cur)->data.mapping.pairs.start[at].value = nm;
        if (!nm || (at < 0 && !add_pair(doc, cur, seg, nm, index, seg_col0))) {
            rc = SIM_ENOMEM;
            break;
        }
        cur = nm;
        *dot = '.';
        seg = dot + 1;
    }
    yaml_document_delete(&vdoc);
    free(key);
    return rc;
}

