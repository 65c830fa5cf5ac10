/* models/report.c — building the report (see report.h). */
#include "models/report.h"

#include <math.h>
#include <stdarg.h>
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
    sim_diag_init(&r->warnings);
}

void report_fini(report *r) {
    section_fini(&r->workload);
    for (size_t i = 0; i < r->n_platforms; i++) section_fini(&r->platforms[i]);
    r->n_platforms = 0;
    sim_diag_fini(&r->warnings);
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
    /* Replications where the metric has nothing behind it (NaN) are left out (of a copy). */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += !isnan(x[i]);
    double *kept = NULL;
    if (k < n && k > 0) {
        if (!(kept = malloc(k * sizeof *kept))) {
            s->n--;
            return SIM_ENOMEM;
        }
        for (size_t i = 0, j = 0; i < n; i++)
            if (!isnan(x[i])) kept[j++] = x[i];
        x = kept;
    }
    m->value = !isnan(pooled) ? pooled : k > 0 ? sim_mean(x, k) : NAN;
    m->has_ci = k >= 2;
    m->ci95 = m->has_ci ? sim_ci_halfwidth(x, k, 0.95) : 0.0;
    free(kept);
    return SIM_OK;
}

const report_metric *report_section_find(const report_section *s, const char *path) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->metrics[i].path, path) == 0) return &s->metrics[i];
    return NULL;
}

double report_value(const report_section *s, const char *path, double fallback) {
    const report_metric *m = report_section_find(s, path);
    return m ? m->value : fallback;
}

void report_add_note(report *r, const char *fmt, ...) {
    report_comparison *c = &r->comparison;
    if (c->n_notes >= REPORT_MAX_NOTES) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->notes[c->n_notes++], sizeof c->notes[0], fmt, ap);
    va_end(ap);
}

/* A platform that dropped or failed items has done less work, and its latency covers only
 * what it finished; one that cannot keep up would cost more, and wait longer, the longer it
 * ran. Neither is a fair winner. */
static bool qualifies(const report_section *sec) {
    return !sec->overload.overloaded &&
           report_value(sec, "completed", 0) >= report_value(sec, "items", 0);
}

void report_compare(report *r) {
    report_comparison *c = &r->comparison;
    c->cheapest = c->fastest = -1;
    for (size_t i = 0; i < r->n_platforms; i++) {
        const report_section *sec = &r->platforms[i];
        if (!qualifies(sec)) continue;
        double cost = report_value(sec, "cost_usd.total", INFINITY);
        double p99 = report_item_latency(sec, "p99", INFINITY);
        if (isnan(p99)) p99 = INFINITY;
        if (c->cheapest < 0 || cost < report_value(&r->platforms[c->cheapest], "cost_usd.total",
                                                   INFINITY))
            c->cheapest = (int)i;
        double best = c->fastest < 0 ? INFINITY
                                     : report_item_latency(&r->platforms[c->fastest], "p99",
                                                           INFINITY);
        if (c->fastest < 0 || p99 < best) c->fastest = (int)i;
    }
    for (size_t i = 0; i < r->n_platforms; i++) {
        const report_section *sec = &r->platforms[i];
        if (sec->overload.overloaded)
            report_add_note(r, "%s is overloaded: %s", sec->name, sec->overload.hint);
        if (sec->note[0]) report_add_note(r, "%s: %s", sec->name, sec->note);
    }
}

double report_item_latency(const report_section *s, const char *q, double fallback) {
    char path[64];
    snprintf(path, sizeof path, "end_to_end_latency_s.%s", q);
    if (report_section_find(s, path)) return report_value(s, path, fallback);
    snprintf(path, sizeof path, "latency_s.%s", q);
    return report_value(s, path, fallback);
}

void report_section_move_last_before(report_section *s, const char *before) {
    for (size_t i = 0; i + 1 < s->n; i++) {
        if (strcmp(s->metrics[i].path, before) != 0) continue;
        report_metric last = s->metrics[s->n - 1];
        memmove(&s->metrics[i + 1], &s->metrics[i], (s->n - 1 - i) * sizeof *s->metrics);
        s->metrics[i] = last;
        return;
    }
}

const report_section *report_find_platform(const report *r, const char *name) {
    for (size_t i = 0; i < r->n_platforms; i++)
        if (strcmp(r->platforms[i].name, name) == 0) return &r->platforms[i];
    return NULL;
}
