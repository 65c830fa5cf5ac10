/* sim/diag.c — compiler-style diagnostics, collected so that all problems are reported at once.
 *
 * Formatting happens when the error is reported (not when printed) so the caller's strings may
 * be freed right after. Allocation failures while recording only lose the text: the error is
 * still counted, so a run can never be mistaken for clean. */
#include "sim/diag.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define SIM_DIAG_DEFAULT_MAX_ 100

void sim_diag_init(sim_diag *d)
{
    memset(d, 0, sizeof *d);
    d->max_entries = SIM_DIAG_DEFAULT_MAX_;
}

void sim_diag_fini(sim_diag *d)
{
    for (size_t i = 0; i < d->count; i++) free(d->entries[i].text);
    free(d->entries);
    d->entries = NULL;
    d->count = d->capacity = 0;
    d->dropped = 0;
}

/* vasprintf is not C11: measure, allocate, format. */
static char *sim_diag_vformat_(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (len < 0) return NULL;
    char *s = malloc((size_t)len + 1);
    if (s != NULL) vsnprintf(s, (size_t)len + 1, fmt, ap);
    return s;
}

static char *sim_diag_format_(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = sim_diag_vformat_(fmt, ap);
    va_end(ap);
    return s;
}

/* Takes ownership of text (NULL counts as dropped: the error is never lost from the count). */
static void sim_diag_push_(sim_diag *d, char *text, int line, int col, bool follows)
{
    if (text == NULL || (d->max_entries > 0 && d->count >= (size_t)d->max_entries)) {
        free(text);
        d->dropped++;
        return;
    }
    if (d->count == d->capacity) {
        size_t cap = d->capacity ? 2 * d->capacity : 16;
        sim_diag_entry *e = realloc(d->entries, cap * sizeof *e);
        if (e == NULL) {
            free(text);
            d->dropped++;
            return;
        }
        d->entries = e;
        d->capacity = cap;
    }
    d->entries[d->count++] = (sim_diag_entry){text, line, col, follows};
}

/* Records `FILE:LINE:COL: SEVERITY: PATH: MSG`. */
static void sim_diag_vreport_(sim_diag *d, const char *severity, const char *file, int line,
                              int col, const char *path, const char *fmt, va_list ap)
{
    if (d->max_entries > 0 && d->count >= (size_t)d->max_entries) {
        d->dropped++;
        return;
    }
    char *msg = sim_diag_vformat_(fmt, ap);
    if (msg == NULL) {
        d->dropped++;
        return;
    }

    /* FILE[:LINE[:COL]]: error: [PATH: ]MSG — no position reads "FILE: error: ...". */
    char pos[48] = "";
    if (line > 0 && col > 0)
        snprintf(pos, sizeof pos, ":%d:%d", line, col);
    else if (line > 0)
        snprintf(pos, sizeof pos, ":%d", line);
    const char *f = (file != NULL && file[0] != '\0') ? file : "capsim";
    bool has_path = path != NULL && path[0] != '\0';
    char *text = sim_diag_format_("%s%s: %s: %s%s%s", f, pos, severity, has_path ? path : "",
                                  has_path ? ": " : "", msg);
    free(msg);
    sim_diag_push_(d, text, line, col, false);
}

void sim_diag_error(sim_diag *d, const char *file, int line, int col, const char *path,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sim_diag_vreport_(d, "error", file, line, col, path, fmt, ap);
    va_end(ap);
}

void sim_diag_warning(sim_diag *d, const char *file, int line, int col, const char *path,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sim_diag_vreport_(d, "warning", file, line, col, path, fmt, ap);
    va_end(ap);
}

void sim_diag_append(sim_diag *d, const sim_diag *src)
{
    for (size_t i = 0; i < src->count; i++)
        sim_diag_push_(d, strdup(src->entries[i].text), src->entries[i].line,
                       src->entries[i].col, true);
    d->dropped += src->dropped;
}

/* Whether e was reported for file: its text starts "FILE:" (sim_diag_error's format). */
static bool sim_diag_is_from_(const sim_diag_entry *e, const char *file)
{
    size_t n = strlen(file);
    return strncmp(e->text, file, n) == 0 && e->text[n] == ':';
}

void sim_diag_sort_source(sim_diag *d, size_t first, const char *file)
{
    if (first >= d->count) return;
    size_t n = d->count - first;
    sim_diag_entry *src = d->entries + first;
    sim_diag_entry *out = malloc(n * sizeof *out);
    size_t *heads = malloc(n * sizeof *heads);
    if (!out || !heads) { /* only the order is lost */
        free(out);
        free(heads);
        return;
    }
    /* Heads of groups (an entry and those that follow it): first the others, in order, then
     * the file's, insertion-sorted by position (stable: equal positions keep their order). */
    size_t n_heads = 0, n_others = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && src[i].follows) continue;
            if (sim_diag_is_from_(&src[i], file) != (pass == 1)) continue;
            size_t j = n_heads++;
            if (pass == 0) n_others++;
            while (pass == 1 && j > n_others &&
                   (src[heads[j - 1]].line > src[i].line ||
                    (src[heads[j - 1]].line == src[i].line && src[heads[j - 1]].col > src[i].col))) {
                heads[j] = heads[j - 1];
                j--;
            }
            heads[j] = i;
        }
    size_t k = 0;
    for (size_t h = 0; h < n_heads; h++) {
        size_t i = heads[h];
        do out[k++] = src[i++];
        while (i < n && src[i].follows);
    }
    memcpy(src, out, n * sizeof *out);
    free(out);
    free(heads);
}

size_t sim_diag_count(const sim_diag *d)
{
    return d->count + d->dropped;
}

void sim_diag_print(const sim_diag *d, FILE *out)
{
    for (size_t i = 0; i < d->count; i++) fprintf(out, "%s\n", d->entries[i].text);
    if (d->dropped > 0)
        fprintf(out, "... and %zu more error%s\n", d->dropped, d->dropped == 1 ? "" : "s");
}
