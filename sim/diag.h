/* sim/diag.h — diagnostics reported like a compiler.
 *
 * Loading a scenario collects every problem before giving up, each as
 * `FILE:LINE:COL: error: KEY.PATH: message`. A sim_diag owns a list of such messages in the order
 * they were reported; the caller prints them all (to stderr) and exits 3. Line and column are
 * 1-based; 0 means "no position" (the message then reads `FILE: error: ...`). Warnings (a
 * scenario that is valid but probably not what was meant) read `warning:` and go in a sim_diag
 * of their own. */
#ifndef SIM_DIAG_H
#define SIM_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct sim_diag_entry {
    char *text;   /* the formatted line, without a trailing newline */
    int line, col; /* as reported (0: none) */
    bool follows; /* appended (sim_diag_append) after the entry before it, which it explains */
} sim_diag_entry;

typedef struct sim_diag {
    sim_diag_entry *entries;
    size_t count, capacity;
    int max_entries; /* stop recording (but keep counting) beyond this; default 100; <= 0: no limit */
    size_t dropped;
} sim_diag;

void sim_diag_init(sim_diag *d);
void sim_diag_fini(sim_diag *d);
/* Records `file:line:col: error: path: <fmt...>` (path may be NULL or ""). */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
void sim_diag_error(sim_diag *d, const char *file, int line, int col, const char *path,
                    const char *fmt, ...);
/* Records `file:line:col: warning: path: <fmt...>`. Keep warnings in a sim_diag of their own:
 * every entry of a sim_diag counts in sim_diag_count, which callers read as errors. */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
void sim_diag_warning(sim_diag *d, const char *file, int line, int col, const char *path,
                      const char *fmt, ...);
/* Appends src's messages to d as they are (already formatted), as if reported to d; src's
 * dropped errors are counted too. For errors found while loading a file a scenario refers to
 * (a pricing table): reported in the scenario's diagnostics after the error at the reference. */
void sim_diag_append(sim_diag *d, const sim_diag *src);
/* Moves the entries from index `first` on that were reported for `file` after the others, in
 * (line, col) order; the order is otherwise kept (stable), and entries that follow one
 * (sim_diag_append) move with it. For a walk that reports errors of several sources in the
 * order of its own: the scenario loader puts the `--set` overrides' errors after the file's,
 * in the order the overrides were given. */
void sim_diag_sort_source(sim_diag *d, size_t first, const char *file);
/* Every error reported, recorded or dropped. */
size_t sim_diag_count(const sim_diag *d);
/* Prints every entry, one per line, then "... and N more errors" when entries were dropped
 * (more than max_entries were reported). */
void sim_diag_print(const sim_diag *d, FILE *out);

#endif
