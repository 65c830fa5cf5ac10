/* models/report.c — building the report (see report.h). */
#include "models/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/error.h"
#include "sim/stats.h"

static void section_init(report_section *s, const char *name) {
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
}

static void section_fini(report_section *s) {
    free(s->metrics);
    memset(s, 0, sizeof *s);
}

void report_init(report *r) {
    memset(r, 0, sizeof *r);
    section_init(&r->workload, "workload");
}

void report_fini(report *r) {
    section_fini(&r->workload);
    for (size_t i = 0; i < r->n_platforms; i++) section_fini(&r->platforms[i]);
    r->n_platforms = 0;
}

report_section *report_add_platform(report *r, const char *name) {
    if (r->n_platforms >= REPORT_MAX_PLATFORMS) return NULL;
    report_section *s = &r->platforms[r->n_platforms++];
    section_init(s, name);
    return s;
}

int report_section_add(report_section *s, const char *path, report_kind kind, const double *x,
                       size_t n, double pooled) {
    if (s->n == s->capacity) {
        size_t cap = s->capacity ? 2 * s->capacity : 32;
        report_metric *m = realloc(s->metrics, cap * sizeof *m);
        if (!m) return SIM_ENOMEM;
        s->metrics = m;
        s->capacity = cap;
    }
    report_metric *m = &s->metrics[s->n++];
    memset(m, 0, sizeof *m);
    snprintf(m->path, sizeof m->path, "%s", path);
    m->kind = kind;
    m->value = isnan(pooled) ? sim_mean(x, n) : pooled;
    m->has_ci = n >= 2;
    m->ci95 = m->has_ci ? sim_ci_halfwidth(x, n, 0.95) : 0.0;
    return SIM_OK;
}

const report_metric *report_section_find(const report_section *s, const char *path) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->metrics[i].path, path) == 0) return &s->metrics[i];
    return NULL;
}

const report_section *report_find_platform(const report *r, const char *name) {
    for (size_t i = 0; i < r->n_platforms; i++)
        if (strcmp(r->platforms[i].name, name) == 0) return &r->platforms[i];
    return NULL;
}
