/* cli/progress.h — a one-line progress bar on a terminal, drawn from a sim_progress.
 *
 * The bar is for long runs only: it is drawn by its own thread, which wakes every
 * CLI_PROGRESS_PERIOD_MS and reads the counters (relaxed atomics: the simulation never waits
 * for it), first after CLI_PROGRESS_DELAY_MS so that short runs print nothing, always on one
 * line rewritten with '\r' and fitted to the terminal's width, and erased when stopped so
 * that whatever follows starts on a clean line. It is drawn only when the stream is a
 * terminal: a pipe or a file never receives it. What the units are is the caller's: a style
 * names the items of the rate and may format the work done (simulated time for a run, points
 * for a sweep). */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/progress.h"

#define CLI_PROGRESS_DELAY_MS 2000
#define CLI_PROGRESS_PERIOD_MS 200

/* Writes "done of total" in the style's words into buf ("sim 3.2 d of 90 d"). */
typedef void (*cli_progress_format_fn)(char *buf, size_t size, uint64_t done, uint64_t total);

typedef struct cli_progress_style {
    const char *items;                 /* what the rate counts: "items" -> "1.2 M items/s" */
    cli_progress_format_fn format_work; /* NULL: "done/total" as plain numbers */
} cli_progress_style;

/* Work in simulated microseconds, rate in workload items (run_scenario's progress). */
extern const cli_progress_style cli_progress_style_sim;

typedef struct cli_progress_bar cli_progress_bar;

/* Starts drawing p on out (its totals may still grow) if out is a terminal; else, or when the
 * thread cannot start, returns NULL, which cli_progress_stop accepts. p and style must outlive
 * the bar. */
cli_progress_bar *cli_progress_start(const sim_progress *p, FILE *out,
                                     const cli_progress_style *style);
/* Stops the thread, erases the line if one was drawn, frees the bar. NULL: nothing. */
void cli_progress_stop(cli_progress_bar *bar);

/* Renders the bar's text (no '\r', no newline) into buf, at most `width` characters:
 * "  42% [#####.......] sim 12.6 d of 30 d  1.23 M items/s  ETA 0:54". elapsed_s is wall
 * time since the start. Returns the length written. */
size_t cli_progress_render(char *buf, size_t size, size_t width, uint64_t done, uint64_t total,
                           uint64_t items, double elapsed_s, const cli_progress_style *style);

#endif
