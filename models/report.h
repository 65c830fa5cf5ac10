/* models/report.h — the results of a run, ready for the writers.
 *
 * Each platform model turns its per-replication results into a report_section: an ordered list
 * of metrics named by dotted paths as in RESULTS-FORMAT.md ("latency_s.p99", "cost_usd.total").
 * A metric's value is the mean over replications (or a value pooled over all items, for latency
 * percentiles), and ci95 the Student-t 95 % half-width across replications. Writers (JSON,
 * table, CSV) only walk this structure, so adding a metric never touches them. */
#ifndef MODELS_REPORT_H
#define MODELS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/diag.h"

typedef enum report_kind {
    REPORT_COUNT, /* an integer per replication (items, invocations) */
    REPORT_REAL   /* anything else (ratios, seconds, dollars) */
} report_kind;

typedef struct report_metric {
    char path[128]; /* room for functions.NAME.cost_usd.step_functions (NAME: 64 at most) */
    report_kind kind;
    double value; /* NaN: nothing behind it (a latency when no item completed): JSON null */
    double ci95;  /* meaningful when has_ci */
    bool has_ci;  /* two or more replications had a value */
} report_metric;

/* Whether a platform keeps up with the workload (models/overload.h decides). */
typedef struct report_overload {
    bool overloaded;
    char metric[32];        /* what grows: "latency_s", "iterator_age_s", "queue_s", ... */
    double growth_per_hour; /* how fast, in the metric's unit per hour */
    char hint[256];         /* what would fix it, in a sentence */
} report_overload;

typedef struct report_section {
    char name[16];          /* "workload", "lambda", "glue", "emr" */
    report_metric *metrics; /* owned */
    size_t n, capacity;
    char note[320];         /* why a platform could not serve the workload, or "" */
    report_overload overload;
} report_section;

#define REPORT_MAX_PLATFORMS 3
#define REPORT_MAX_NOTES 8

/* The side-by-side verdict (report_compare). */
typedef struct report_comparison {
    int cheapest, fastest; /* platform index, or -1 when no platform qualifies */
    char notes[REPORT_MAX_NOTES][400];
    size_t n_notes;
    bool month_assumed; /* a note says what per_month assumes: mark the figures */
} report_comparison;

typedef struct report {
    report_section workload;
    report_section platforms[REPORT_MAX_PLATFORMS];
    size_t n_platforms;
    report_comparison comparison;
    sim_diag warnings; /* FILE:LINE:COL: warning: ... (scenario_warn, and what the run saw) */
} report;

void report_init(report *r);
void report_fini(report *r);
/* A new, empty platform section named `name`; NULL when out of memory or full. */
report_section *report_add_platform(report *r, const char *name);

/* Adds a metric from its per-replication values x[0..n): value = mean of x (or `pooled` when
 * it is not NaN), ci95 from x. NaN values (a replication where the metric has nothing behind
 * it) are left out of both; with none left the value is NaN. Returns 0 or SIM_ENOMEM. */
int report_section_add(report_section *s, const char *path, report_kind kind, const double *x,
                       size_t n, double pooled);
/* Moves the section's last metric to just before the metric named `before` (nothing when there
 * is none): a line added after the others, put where it belongs. */
void report_section_move_last_before(report_section *s, const char *before);
/* The metric named path, or NULL. */
const report_metric *report_section_find(const report_section *s, const char *path);
/* The platform section named name, or NULL. */
const report_section *report_find_platform(const report *r, const char *name);
/* An item's latency quantile q ("p50", "p99") on a platform, from its arrival until its last
 * stage is done: end_to_end_latency_s for an account of chained functions, else latency_s;
 * `fallback` when the section has neither. */
double report_item_latency(const report_section *s, const char *q, double fallback);
/* A metric's value, or `fallback` when the section has no such metric. */
double report_value(const report_section *s, const char *path, double fallback);

/* Fills r->comparison: the cheapest (cost_usd.total) and the fastest (latency_s.p99) among the
 * platforms that completed every item and are not overloaded, and the notes (each platform's
 * note and overload hint). Call once every platform's section is in. */
void report_compare(report *r);
/* Appends a note to the comparison (printf-style); dropped when the list is full. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void report_add_note(report *r, const char *fmt, ...);

#endif
