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

typedef enum report_kind {
    REPORT_COUNT, /* an integer per replication (items, invocations) */
    REPORT_REAL   /* anything else (ratios, seconds, dollars) */
} report_kind;

typedef struct report_metric {
    char path[48];
    report_kind kind;
    double value;
    double ci95;  /* meaningful when has_ci */
    bool has_ci;  /* replications >= 2 */
} report_metric;

typedef struct report_section {
    char name[16];          /* "workload", "lambda", "glue", "emr" */
    report_metric *metrics; /* owned */
    size_t n, capacity;
    char note[256];         /* why a platform could not serve the workload, or "" */
} report_section;

#define REPORT_MAX_PLATFORMS 3

typedef struct report {
    report_section workload;
    report_section platforms[REPORT_MAX_PLATFORMS];
    size_t n_platforms;
} report;

void report_init(report *r);
void report_fini(report *r);
/* A new, empty platform section named `name`; NULL when out of memory or full. */
report_section *report_add_platform(report *r, const char *name);

/* Adds a metric from its per-replication values x[0..n): value = mean of x (or `pooled` when
 * it is not NaN), ci95 from x. Returns 0 or SIM_ENOMEM. */
int report_section_add(report_section *s, const char *path, report_kind kind, const double *x,
                       size_t n, double pooled);
/* The metric named path, or NULL. */
const report_metric *report_section_find(const report_section *s, const char *path);
/* The platform section named name, or NULL. */
const report_section *report_find_platform(const report *r, const char *name);

#endif
