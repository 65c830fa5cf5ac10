/* models/scenario_limits.c — the limits that keep hostile YAML cheap to refuse (issue 12).
 *
 * A scenario is a few KB of YAML, but a small text can still cost a lot:
 *   - nesting: libyaml 0.2.5 takes time quadratic in the depth of nested flow collections
 *     (200 KB of `[[[[...` took 70 s), so the text is first streamed with the event API, which
 *     stops at the first level deeper than SCN_MAX_DEPTH, before any document is built;
 *   - aliases: `*alias` shares a node, so a few lines can stand for 10^9 nodes (a "billion
 *     laughs"); whoever expands them (a copy of an override, a walk) must not, so the document is
 *     measured with every alias expanded, memoised (linear in the real nodes), and refused past
 *     SCN_MAX_NODES; an alias inside its own anchor (a cycle) is refused too;
 *   - NUL: a YAML escape "\0" puts a NUL inside a string, which C code then reads as the string's
 *     end (`"2048MB\0xyz"` would be 2 GB): strings holding a NUL are refused.
 * And the data files a scenario names (traces, empirical tables): only regular files (a FIFO or
 * /dev/stdin would block, /dev/zero never end), at most SCN_MAX_DATA_FILE_BYTES, text.
 * Every refusal is an error at the place in the file (or the --set override) where it happens. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/scenario_internal.h"
#include "sim/error.h"

int scn_yaml_check_depth(sim_diag *diag, const char *file, int line_base, int col_base,
                         const char *path, const char *text, size_t len)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return SIM_ENOMEM;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int depth = 0, rc = SIM_OK;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            /* Not valid YAML: the document load reports it, with the same position. */
            rc = SCN_YAML_OOM(&p) ? SIM_ENOMEM : SIM_OK;
            break;
        }
        yaml_event_type_t type = ev.type;
        yaml_mark_t mark = ev.start_mark;
        yaml_event_delete(&ev);
        if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
            if (++depth > SCN_MAX_DEPTH) {
                int line = (int)mark.line + 1, col = (int)mark.column + 1;
                if (line_base > 0) { /* an override: one argument, KEY= before the value */
                    col = col_base + scn_text_offset(text, len, mark.line, mark.column) + 1;
                    line = line_base;
                }
                sim_diag_error(diag, file, line, col, path,
                               "lists and maps nested more than %d deep; a scenario needs fewer "
                               "than 10 levels", SCN_MAX_DEPTH);
                rc = SIM_ESCENARIO;
                break;
            }
        } else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) {
            depth--;
        } else if (type == YAML_STREAM_END_EVENT) {
            break;
        }
    }
    yaml_parser_delete(&p);
    return rc;
}

int scn_text_offset(const char *text, size_t len, size_t line, size_t column)
{
    size_t i = 0;
    for (size_t l = 0; l < line && i < len; i++)
        if (text[i] == '\n')
            l++;
    i += column;
    return (int)(i < len ? i : len);
}

/* Children of a collection node: items of a list, keys and values of a map. */
static int n_children(const yaml_node_t *n)
{
    if (n->type == YAML_SEQUENCE_NODE)
        return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (n->type == YAML_MAPPING_NODE)
        return 2 * (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    return 0;
}

static int child_id(const yaml_node_t *n, int i)
{
    if (n->type == YAML_SEQUENCE_NODE)
        return n->data.sequence.items.start[i];
    const yaml_node_pair_t *pair = &n->data.mapping.pairs.start[i / 2];
    return i % 2 ? pair->value : pair->key;
}

int scn_yaml_measure(yaml_document_t *doc, int root, int64_t limit, scn_yaml_measure_out *out)
{
    memset(out, 0, sizeof *out);
    int n_nodes = (int)(doc->nodes.top - doc->nodes.start);
    if (root < 1 || root > n_nodes)
        return SIM_OK;
    /* Per node: its expanded size once known (memo), and whether it is on the current path. */
    int64_t *size = calloc((size_t)n_nodes + 1, sizeof *size);
    unsigned char *state = calloc((size_t)n_nodes + 1, 1); /* 0 new, 1 on the path, 2 done */
    struct frame { int id, next; } *stack = malloc(((size_t)n_nodes + 1) * sizeof *stack);
    if (!size || !state || !stack) {
        free(size);
        free(state);
        free(stack);
        return SIM_ENOMEM;
    }
    int top = 0;
    stack[top++] = (struct frame){root, 0};
    state[root] = 1;
    size[root] = 1;
    while (top > 0) {
        struct frame *f = &stack[top - 1];
        yaml_node_t *n = yaml_document_get_node(doc, f->id);
        if (n->type == YAML_SCALAR_NODE && !out->nul_node &&
            strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
            out->nul_node = n;
        if (f->next < n_children(n)) {
            int c = child_id(n, f->next++);
            if (c < 1 || c > n_nodes)
                continue;
            if (state[c] == 1) { /* an alias to an enclosing node */
                if (!out->cycle_node)
                    out->cycle_node = yaml_document_get_node(doc, c);
                continue;
            }
            if (state[c] == 0) { /* the first visit: measure it */
                state[c] = 1;
                size[c] = 1;
                stack[top++] = (struct frame){c, 0};
                continue;
            }
            size[f->id] += size[c]; /* a node met again through an alias: its memo */
            if (size[f->id] > limit)
                size[f->id] = limit + 1;
            continue;
        }
        /* Done with this node: add it to its parent's size; remember the deepest node to
         * pass the limit (where to point at). */
        state[f->id] = 2;
        if (size[f->id] > limit && !out->big_node)
            out->big_node = n;
        int done = f->id;
        top--;
        if (top > 0) {
            int parent = stack[top - 1].id;
            size[parent] += size[done];
            if (size[parent] > limit)
                size[parent] = limit + 1;
        }
    }
    out->nodes = size[root];
    free(size);
    free(state);
    free(stack);
    return SIM_OK;
}

/* ------------------------------------------------------------------ data files */

FILE *scn_open_data_file(scn_walk *w, yaml_node_t *node, const char *key_path, const char *file)
{
    /* O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever; the flag is
     * cleared before reading (a regular file ignores it anyway). */
    int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOMEM)
            scn_oom(w);
        else
            scn_error(w, node, key_path, "cannot read '%s': %s", file, strerror(errno));
        return NULL;
    }
    struct stat st;
    const char *refusal = NULL;
    if (fstat(fd, &st) != 0) {
        scn_error(w, node, key_path, "cannot read '%s': %s", file, strerror(errno));
        close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode))
        refusal = "is a directory, not a data file";
    else if (!S_ISREG(st.st_mode))
        refusal = "is not a regular file (it is a pipe, a device or a socket); capsim reads "
                  "data files whole, from ordinary files only";
    if (refusal) {
        scn_error(w, node, key_path, "'%s' %s", file, refusal);
        close(fd);
        return NULL;
    }
    if (st.st_size > SCN_MAX_DATA_FILE_BYTES) {
        scn_error(w, node, key_path, "'%s' is %.0f MB, more than capsim's limit of %d MB for a "
                  "data file", file, (double)st.st_size / (1024.0 * 1024.0),
                  SCN_MAX_DATA_FILE_BYTES >> 20);
        close(fd);
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    FILE *f = flags >= 0 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 ? fdopen(fd, "r") : NULL;
    if (!f) {
        if (errno == ENOMEM)
            scn_oom(w);
        else
            scn_error(w, node, key_path, "cannot read '%s': %s", file, strerror(errno));
        close(fd);
    }
    return f;
}

bool scn_data_line_ok(scn_walk *w, const char *file, int lineno, const char *key_path,
                      const char *line, size_t n, int64_t *total)
{
    *total += (int64_t)n;
    if (*total > SCN_MAX_DATA_FILE_BYTES) { /* it grew while being read */
        sim_diag_error(scn_diag(w), file, lineno, 0, key_path, "more than capsim's limit of %d "
                       "MB for a data file", SCN_MAX_DATA_FILE_BYTES >> 20);
        return false;
    }
    if (memchr(line, '\0', n)) {
        sim_diag_error(scn_diag(w), file, lineno, 0, key_path, "a NUL byte: this is not a text "
                       "file (data files hold one value, or one CSV row, per line)");
        return false;
    }
    return true;
}
