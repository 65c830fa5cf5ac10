/* cli/sweep_output.c — a sweep's writers: table, JSON, CSV (see sweep.h; shard files are in
 * cli/sweep_shard.c).
 *
 * Everything is rendered from a cli_sweep in point order, so the output depends only on the
 * points' results: not on the thread count, and not on whether the points were run in one
 * process or in shards merged afterwards. A point's sections are rendered by the run writers'
 * own code (cli_section_json), so a point reads exactly like a run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/sweep.h"
#include "models/scenario.h"
#include "models/sweep.h"
#include "sim/rng.h"
#include "sim/time.h"

void cli_sweep_fini(cli_sweep *sw)
{
    free(sw->scenario);
    free(sw->digest);
    for (size_t i = 0; i < sw->n_sets; i++) free(sw->sets[i]);
    free(sw->sets);
    for (size_t a = 0; a < sw->n_axes; a++) {
        cli_sweep_axis *x = &sw->axes[a];
        free(x->key);
        free(x->arg);
        for (size_t k = 0; k < x->n_values; k++) free(x->values[k]);
        free(x->values);
    }
    free(sw->axes);
    for (size_t i = 0; i < sw->n_present; i++) {
        cli_sweep_point *p = &sw->points[i];
        if (p->values)
            for (size_t a = 0; a < sw->n_axes; a++) free(p->values[a]);
        free(p->values);
        report_fini(&p->r);
    }
    free(sw->points);
    memset(sw, 0, sizeof *sw);
}

/* ---------------------------------------------------------------- helpers */

static const report_section *point_section(const cli_sweep_point *p, const char *name)
{
    return strcmp(name, "workload") == 0 ? &p->r.workload : report_find_platform(&p->r, name);
}

/* The metric at `path`, looked up first at position `hint` (points of one sweep usually have
 * the same metrics in the same order). */
static const report_metric *find_metric(const report_section *sec, const char *path, size_t hint)
{
    if (!sec) return NULL;
    if (hint < sec->n && strcmp(sec->metrics[hint].path, path) == 0) return &sec->metrics[hint];
    return report_section_find(sec, path);
}

static double metric_value(const report_section *sec, const char *path)
{
    const report_metric *m = sec ? report_section_find(sec, path) : NULL;
    return m ? m->value : NAN;
}

/* Platform names in order of first appearance over the points. */
static size_t platform_names(const cli_sweep *sw, const char *names[REPORT_MAX_PLATFORMS * 4])
{
    size_t n = 0;
    for (size_t i = 0; i < sw->n_present; i++)
        for (size_t k = 0; k < sw->points[i].r.n_platforms; k++) {
            const char *name = sw->points[i].r.platforms[k].name;
            bool seen = false;
            for (size_t j = 0; j < n && !seen; j++) seen = strcmp(names[j], name) == 0;
            if (!seen && n < REPORT_MAX_PLATFORMS * 4) names[n++] = name;
        }
    return n;
}

/* Closes an open_memstream stream (which sets *buf only then) and returns its text. */
static char *close_memstream(FILE *f, char **buf)
{
    if (fclose(f) != 0) {
        free(*buf);
        return NULL;
    }
    return *buf;
}

/* ---------------------------------------------------------------- JSON */

static char *render_json(const cli_sweep *sw)
{
    json_t *root = json_object(), *vary = json_array(), *points = json_array();
    char *text = NULL;
    int rc = !root || !vary || !points;
    if (!rc) {
        rc |= json_object_set_new(root, "capsim", json_string(CAPSIM_VERSION));
        rc |= json_object_set_new(root, "rng", json_string(SIM_RNG_NAME));
        rc |= json_object_set_new(root, "scenario", json_string(sw->scenario));
        rc |= json_object_set_new(root, "seed", json_integer((json_int_t)sw->seed));
        rc |= json_object_set_new(root, "replications", json_integer((json_int_t)sw->replications));
        rc |= json_object_set_new(root, "horizon_s", json_real(sim_time_to_s(sw->horizon_us)));
        rc |= json_object_set_new(root, "warmup_s", json_real(sim_time_to_s(sw->warmup_us)));
        rc |= json_object_set(root, "vary", vary);
        rc |= json_object_set_new(root, "zip", json_boolean(sw->zip));
        rc |= json_object_set(root, "points", points);
    }
    for (size_t a = 0; a < sw->n_axes && !rc; a++) {
        json_t *ax = json_object(), *values = json_array();
        rc |= !ax || !values || json_array_append_new(vary, ax);
        if (rc) {
            json_decref(values);
            break;
        }
        rc |= json_object_set_new(ax, "key", json_string(sw->axes[a].key));
        rc |= json_object_set_new(ax, "values", values);
        for (size_t k = 0; k < sw->axes[a].n_values && !rc; k++)
            rc |= json_array_append_new(values, json_string(sw->axes[a].values[k]));
    }
    for (size_t i = 0; i < sw->n_present && !rc; i++) {
        const cli_sweep_point *p = &sw->points[i];
        json_t *pt = json_object(), *values = json_object(), *platforms = json_object();
        json_t *wl = cli_section_json(&p->r.workload, false);
        rc |= !pt || !values || !platforms || !wl || json_array_append(points, pt);
        if (!rc) {
            rc |= json_object_set(pt, "values", values);
            rc |= json_object_set(pt, "workload", wl);
            rc |= json_object_set(pt, "platforms", platforms);
        }
        for (size_t a = 0; a < sw->n_axes && !rc; a++)
            rc |= json_object_set_new(values, sw->axes[a].key, json_string(p->values[a]));
        for (size_t k = 0; k < p->r.n_platforms && !rc; k++) {
            json_t *sec = cli_section_json(&p->r.platforms[k], true);
            rc |= !sec || json_object_set_new(platforms, p->r.platforms[k].name, sec);
        }
        json_decref(pt);
        json_decref(values);
        json_decref(platforms);
        json_decref(wl);
    }
    if (!rc) text = cli_json_text(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    json_decref(vary);
    json_decref(points);
    json_decref(root);
    return text;
}

/* ---------------------------------------------------------------- CSV */

typedef struct csv_group {
    const char *section;
    const char **paths; /* borrowed from the reports */
    bool *has_ci;
    size_t n, cap;
} csv_group;

static int group_add(csv_group *g, const report_metric *m, size_t hint)
{
    size_t k = hint < g->n && strcmp(g->paths[hint], m->path) == 0 ? hint : g->n;
    for (size_t j = 0; k == g->n && j < g->n; j++)
        if (strcmp(g->paths[j], m->path) == 0) k = j;
    if (k == g->n) {
        if (g->n == g->cap) {
            size_t cap = g->cap ? 2 * g->cap : 64;
            const char **p = realloc(g->paths, cap * sizeof *p);
            if (!p) return -1;
            g->paths = p;
            bool *c = realloc(g->has_ci, cap * sizeof *c);
            if (!c) return -1;
            g->has_ci = c;
            g->cap = cap;
        }
        g->paths[g->n] = m->path;
        g->has_ci[g->n++] = false;
    }
    g->has_ci[k] |= m->has_ci;
    return 0;
}

static void csv_text(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static char *render_csv(const cli_sweep *sw)
{
    const char *names[REPORT_MAX_PLATFORMS * 4];
    size_t n_groups = 1 + platform_names(sw, names);
    csv_group groups[1 + REPORT_MAX_PLATFORMS * 4];
    memset(groups, 0, sizeof groups);
    groups[0].section = "workload";
    for (size_t g = 1; g < n_groups; g++) groups[g].section = names[g - 1];
    int rc = 0;
    for (size_t i = 0; i < sw->n_present && !rc; i++)
        for (size_t g = 0; g < n_groups && !rc; g++) {
            const report_section *sec = point_section(&sw->points[i], groups[g].section);
            for (size_t k = 0; sec && k < sec->n && !rc; k++)
                rc = group_add(&groups[g], &sec->metrics[k], k);
        }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = rc ? NULL : open_memstream(&buf, &len);
    if (f) {
        for (size_t a = 0; a < sw->n_axes; a++) {
            if (a) fputc(',', f);
            csv_text(f, sw->axes[a].key);
        }
        for (size_t g = 0; g < n_groups; g++) {
            for (size_t k = 0; k < groups[g].n; k++)
                fprintf(f, ",%s.%s", groups[g].section, groups[g].paths[k]);
            for (size_t k = 0; k < groups[g].n; k++)
                if (groups[g].has_ci[k]) fprintf(f, ",%s.ci95.%s", groups[g].section, groups[g].paths[k]);
        }
        fputc('\n', f);
        for (size_t i = 0; i < sw->n_present; i++) {
            const cli_sweep_point *p = &sw->points[i];
            for (size_t a = 0; a < sw->n_axes; a++) {
                if (a) fputc(',', f);
                csv_text(f, p->values[a]);
            }
            for (size_t g = 0; g < n_groups; g++) {
                const report_section *sec = point_section(p, groups[g].section);
                for (size_t k = 0; k < groups[g].n; k++) {
                    const report_metric *m = find_metric(sec, groups[g].paths[k], k);
                    fputc(',', f);
                    if (m) fprintf(f, "%.10g", m->value);
                }
                for (size_t k = 0; k < groups[g].n; k++) {
                    if (!groups[g].has_ci[k]) continue;
                    const report_metric *m = find_metric(sec, groups[g].paths[k], k);
                    fputc(',', f);
                    if (m && m->has_ci) fprintf(f, "%.10g", m->ci95);
                }
            }
            fputc('\n', f);
        }
    }
    for (size_t g = 0; g < n_groups; g++) {
        free(groups[g].paths);
        free(groups[g].has_ci);
    }
    return f ? close_memstream(f, &buf) : NULL;
}

/* ---------------------------------------------------------------- table */

enum { TABLE_WIDTH = 80 };

/* Prints a line without its trailing blanks. */
static void put_line(FILE *f, const char *line)
{
    size_t len = strlen(line);
    while (len > 0 && line[len - 1] == ' ') len--;
    fprintf(f, "%.*s\n", (int)len, line);
}

/* An axis' column heading: the key's last part ("memory"), unless another axis ends alike. */
static const char *axis_heading(const cli_sweep *sw, size_t a)
{
    const char *key = sw->axes[a].key, *dot = strrchr(key, '.');
    const char *last = dot ? dot + 1 : key;
    for (size_t b = 0; b < sw->n_axes; b++) {
        if (b == a) continue;
        const char *o = strrchr(sw->axes[b].key, '.');
        if (strcmp(o ? o + 1 : sw->axes[b].key, last) == 0) return key;
    }
    return last;
}

static int axis_width(const cli_sweep *sw, size_t a)
{
    size_t w = strlen(axis_heading(sw, a));
    for (size_t k = 0; k < sw->axes[a].n_values; k++)
        if (strlen(sw->axes[a].values[k]) > w) w = strlen(sw->axes[a].values[k]);
    return (int)w;
}

/* Appends the point's values, each left-aligned in its axis' column, to line. */
static size_t put_values(char *line, size_t len, const cli_sweep *sw, const char *const *values)
{
    size_t at = 0;
    for (size_t a = 0; a < sw->n_axes && at < len; a++)
        at += (size_t)snprintf(line + at, len - at, "  %-*s", axis_width(sw, a), values[a]);
    return at < len ? at : len;
}

typedef struct table_col {
    const char *h1, *h2;
    int width;
} table_col;

static void put_headings(FILE *f, const cli_sweep *sw, const table_col *cols, size_t n)
{
    char line[1024];
    for (int row = 0; row < 2; row++) {
        size_t at = 0;
        for (size_t a = 0; a < sw->n_axes && at < sizeof line; a++)
            at += (size_t)snprintf(line + at, sizeof line - at, "  %-*s", axis_width(sw, a),
                                   row == 0 ? axis_heading(sw, a) : "");
        for (size_t c = 0; c < n && at < sizeof line; c++)
            at += (size_t)snprintf(line + at, sizeof line - at, "  %*s", cols[c].width,
                                   row == 0 ? cols[c].h1 : cols[c].h2);
        put_line(f, line);
    }
}

static void format_ratio(char *buf, size_t len, double v)
{
    if (isnan(v)) snprintf(buf, len, "-");
    else snprintf(buf, len, "%.1f %%", 100.0 * v);
}

/* An item's p99 latency: through the pipeline (end_to_end_latency_s) for an account of chained
 * functions, else latency_s, as the comparison reads it (report_item_latency). */
static void format_p99_or_dash(char *buf, size_t len, const report_section *sec)
{
    double v = report_item_latency(sec, "p99", NAN);
    if (!(metric_value(sec, "completed") > 0) || isnan(v)) snprintf(buf, len, "-");
    else cli_format_latency(buf, len, v);
}

static bool section_equal(const report_section *x, const report_section *y)
{
    if (!x || !y || x->n != y->n || strcmp(x->note, y->note) != 0) return false;
    for (size_t k = 0; k < x->n; k++) {
        const report_metric *a = &x->metrics[k], *b = &y->metrics[k];
        if (strcmp(a->path, b->path) != 0 || a->kind != b->kind || a->has_ci != b->has_ci ||
            memcmp(&a->value, &b->value, sizeof a->value) != 0 ||
            (a->has_ci && memcmp(&a->ci95, &b->ci95, sizeof a->ci95) != 0))
            return false;
    }
    return true;
}

/* The platform's results are the same at every point (the varied keys do not touch it). */
static bool same_everywhere(const cli_sweep *sw, const char *name)
{
    if (sw->n_present < 2) return false;
    const report_section *first = point_section(&sw->points[0], name);
    for (size_t i = 1; i < sw->n_present; i++)
        if (!section_equal(first, point_section(&sw->points[i], name))) return false;
    return first != NULL;
}

static void table_same(FILE *f, const char *name, const report_section *sec)
{
    char month[24], per_1k[24], p99[24], failed[24], text[256];
    cli_format_usd(month, sizeof month, metric_value(sec, "cost_usd.per_month"));
    cli_format_usd(per_1k, sizeof per_1k, metric_value(sec, "cost_usd.per_1k_items"));
    format_p99_or_dash(p99, sizeof p99, sec);
    cli_format_count(failed, sizeof failed,
                     metric_value(sec, "items") - metric_value(sec, "completed"));
    snprintf(text, sizeof text, "the same at every point (the varied keys do not change it): %s "
             "per month, %s per 1k items, p99 latency %s, %s failed", month, per_1k, p99, failed);
    char first[32];
    snprintf(first, sizeof first, "%s: ", name);
    fputc('\n', f);
    cli_print_wrapped(f, first, text, TABLE_WIDTH);
}

/* One row per point: cost per month and per 1,000 items, p99 latency, failed items, and for
 * Lambda the cold-start and throttle ratios, for a batch platform its jobs. */
static void table_platform(FILE *f, const cli_sweep *sw, const char *name)
{
    bool lambda = strcmp(name, "lambda") == 0;
    table_col cols[6] = {{"cost per", "month", 10}, {"per 1k", "items", 9},
                         {"p99", "latency", 9}, {"failed", "", 6}};
    size_t n = 4;
    if (lambda) {
        cols[n++] = (table_col){"cold", "starts", 6};
        cols[n++] = (table_col){"throttled", "", 9};
    } else {
        cols[n++] = (table_col){"jobs", "", 6};
    }
    fprintf(f, "\n%s\n", name);
    put_headings(f, sw, cols, n);
    for (size_t i = 0; i < sw->n_present; i++) {
        const cli_sweep_point *p = &sw->points[i];
        const report_section *sec = point_section(p, name);
        char line[1024], cell[6][32];
        size_t at = put_values(line, sizeof line, sw, (const char *const *)p->values);
        if (!sec) {
            snprintf(line + at, sizeof line - at, "  (not simulated at this point)");
            put_line(f, line);
            continue;
        }
        cli_format_usd(cell[0], sizeof cell[0], metric_value(sec, "cost_usd.per_month"));
        cli_format_usd(cell[1], sizeof cell[1], metric_value(sec, "cost_usd.per_1k_items"));
        format_p99_or_dash(cell[2], sizeof cell[2], sec);
        cli_format_count(cell[3], sizeof cell[3],
                         metric_value(sec, "items") - metric_value(sec, "completed"));
        if (lambda) {
            format_ratio(cell[4], sizeof cell[4], metric_value(sec, "cold_start_ratio"));
            format_ratio(cell[5], sizeof cell[5], metric_value(sec, "throttle_ratio"));
        } else {
            cli_format_count(cell[4], sizeof cell[4], metric_value(sec, "jobs"));
        }
        for (size_t c = 0; c < n && at < sizeof line; c++)
            at += (size_t)snprintf(line + at, sizeof line - at, "  %*s", cols[c].width, cell[c]);
        put_line(f, line);
    }
}

/* Completed every item: the points (or platforms) the cheapest and fastest are chosen among, as
 * in the run's comparison. */
static bool completed_all(const report_section *sec)
{
    return sec && metric_value(sec, "completed") >= metric_value(sec, "items");
}

/* AWS Lambda Power Tuning's question: what each memory size costs and how fast it runs. The
 * fastest is the lowest mean billed duration — what memory buys — rather than p99 latency,
 * which also counts cold starts and queueing (shown in the lambda rows of a general sweep). */
static void table_power_tuning(FILE *f, const cli_sweep *sw)
{
    char horizon[32], cost_head[48];
    scenario_format_duration(horizon, sizeof horizon, sw->horizon_us);
    snprintf(cost_head, sizeof cost_head, "%s", horizon);
    table_col cols[4] = {{"mean", "duration", 9}, {"cost for", cost_head, 10},
                         {"cost per", "1k items", 9}, {"cold", "starts", 7}};
    if ((int)strlen(cost_head) > cols[1].width) cols[1].width = (int)strlen(cost_head);
    int cheapest = -1, fastest = -1;
    for (size_t i = 0; i < sw->n_present; i++) {
        const report_section *sec = point_section(&sw->points[i], "lambda");
        if (!completed_all(sec)) continue;
        if (cheapest < 0 || metric_value(sec, "cost_usd.total") <
                                metric_value(point_section(&sw->points[cheapest], "lambda"),
                                             "cost_usd.total"))
            cheapest = (int)i;
        if (fastest < 0 || metric_value(sec, "duration_s.mean") <
                               metric_value(point_section(&sw->points[fastest], "lambda"),
                                            "duration_s.mean"))
            fastest = (int)i;
    }
    fprintf(f, "\npower tuning: lambda.memory\n");
    put_headings(f, sw, cols, 4);
    for (size_t i = 0; i < sw->n_present; i++) {
        const cli_sweep_point *p = &sw->points[i];
        const report_section *sec = point_section(p, "lambda");
        char line[1024], cell[4][32];
        size_t at = put_values(line, sizeof line, sw, (const char *const *)p->values);
        double dur = metric_value(sec, "duration_s.mean");
        if (isnan(dur) || !(metric_value(sec, "invocations") > 0)) snprintf(cell[0], 32, "-");
        else cli_format_latency(cell[0], sizeof cell[0], dur);
        cli_format_usd(cell[1], sizeof cell[1], metric_value(sec, "cost_usd.total"));
        cli_format_usd(cell[2], sizeof cell[2], metric_value(sec, "cost_usd.per_1k_items"));
        cli_format_count(cell[3], sizeof cell[3], metric_value(sec, "cold_starts"));
        for (size_t c = 0; c < 4 && at < sizeof line; c++)
            at += (size_t)snprintf(line + at, sizeof line - at, "  %*s", cols[c].width, cell[c]);
        const char *mark = (int)i == cheapest && (int)i == fastest ? "cheapest, fastest"
                           : (int)i == cheapest                    ? "cheapest"
                           : (int)i == fastest                     ? "fastest"
                           : !completed_all(sec)                   ? "failed items"
                                                                   : "";
        if (at < sizeof line) snprintf(line + at, sizeof line - at, "  %s", mark);
        put_line(f, line);
    }
    char text[512];
    if (cheapest < 0) {
        snprintf(text, sizeof text, "no memory size completed every item: see the failed items "
                 "in the JSON or CSV output.");
    } else {
        const report_section *c = point_section(&sw->points[cheapest], "lambda");
        const report_section *q = point_section(&sw->points[fastest], "lambda");
        char cost[24], month[24], dur[24];
        cli_format_usd(cost, sizeof cost, metric_value(c, "cost_usd.total"));
        cli_format_usd(month, sizeof month, metric_value(c, "cost_usd.per_month"));
        cli_format_latency(dur, sizeof dur, metric_value(q, "duration_s.mean"));
        snprintf(text, sizeof text, "cheapest: %s (%s for %s, %s per month); fastest: %s (mean "
                 "duration %s). Both among the sizes that completed every item; fastest is the "
                 "lowest mean billed duration of an invocation.",
                 sw->points[cheapest].values[0], cost, horizon, month,
                 sw->points[fastest].values[0], dur);
    }
    cli_print_wrapped(f, "  ", text, TABLE_WIDTH);
}

typedef struct xy {
    double x;
    size_t i; /* point */
} xy;

static int xy_cmp(const void *a, const void *b)
{
    const xy *p = a, *q = b;
    if (p->x != q->x) return p->x < q->x ? -1 : 1;
    return p->i < q->i ? -1 : p->i > q->i;
}

/* With one numeric key and several platforms: where each pair's monthly cost lines cross,
 * interpolated linearly between neighbouring tested values (sorted by value). */
static void table_crossings(FILE *f, const cli_sweep *sw, const char *const *names, size_t n_names)
{
    size_t n = sw->n_present;
    xy *pts = malloc(n * sizeof *pts);
    if (!pts) return;
    for (size_t i = 0; i < n; i++) {
        pts[i].i = i;
        if (!sweep_value_base(sw->points[i].values[0], &pts[i].x)) {
            free(pts);
            return;
        }
    }
    qsort(pts, n, sizeof *pts, xy_cmp);
    const char *like = sw->points[pts[0].i].values[0];
    char lo[64], hi[64];
    snprintf(lo, sizeof lo, "%s", sw->points[pts[0].i].values[0]);
    snprintf(hi, sizeof hi, "%s", sw->points[pts[n - 1].i].values[0]);
    char title[256];
    snprintf(title, sizeof title, "where the cost lines cross (cost per month against %s; "
             "between tested values, by linear interpolation):", sw->axes[0].key);
    fputc('\n', f);
    cli_print_wrapped(f, "", title, TABLE_WIDTH);
    for (size_t a = 0; a < n_names; a++)
        for (size_t b = a + 1; b < n_names; b++) {
            char text[1024];
            size_t at = 0;
            int below = 0, above = 0, crossings = 0;
            for (size_t k = 0; k < n; k++) {
                const cli_sweep_point *p = &sw->points[pts[k].i];
                double d = metric_value(point_section(p, names[a]), "cost_usd.per_month") -
                           metric_value(point_section(p, names[b]), "cost_usd.per_month");
                if (isnan(d)) continue;
                below += d < 0;
                above += d > 0;
                if (d == 0 && at < sizeof text) {
                    at += (size_t)snprintf(text + at, sizeof text - at, "%sequal at %s",
                                           crossings++ ? "; " : "", p->values[0]);
                }
                if (k + 1 == n) continue;
                const cli_sweep_point *q = &sw->points[pts[k + 1].i];
                double e = metric_value(point_section(q, names[a]), "cost_usd.per_month") -
                           metric_value(point_section(q, names[b]), "cost_usd.per_month");
                if (!((d < 0 && e > 0) || (d > 0 && e < 0)) || at >= sizeof text) continue;
                double x = pts[k].x + (pts[k + 1].x - pts[k].x) * d / (d - e);
                char xs[64];
                sweep_value_format(xs, sizeof xs, like, x, 3);
                at += (size_t)snprintf(text + at, sizeof text - at,
                                       "%sequal at about %s (between %s and %s): %s is cheaper "
                                       "below, %s above", crossings++ ? "; " : "", xs,
                                       p->values[0], q->values[0], d < 0 ? names[a] : names[b],
                                       d < 0 ? names[b] : names[a]);
            }
            if (crossings == 0 && (below > 0) != (above > 0))
                snprintf(text, sizeof text, "%s is cheaper at every tested value (%s to %s)",
                         below ? names[a] : names[b], lo, hi);
            else if (crossings == 0)
                snprintf(text, sizeof text, "no cost to compare");
            char first[64];
            snprintf(first, sizeof first, "  %s and %s: ", names[a], names[b]);
            cli_print_wrapped(f, first, text, TABLE_WIDTH);
        }
    free(pts);
}

static char *render_table(const cli_sweep *sw)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    char horizon[32], head[512];
    scenario_format_duration(horizon, sizeof horizon, sw->horizon_us);
    snprintf(head, sizeof head, "capsim %s · %s · %zu point%s · seed %llu · %lld replication%s · "
             "horizon %s", CAPSIM_VERSION, sw->scenario, sw->n_present,
             sw->n_present == 1 ? "" : "s", (unsigned long long)sw->seed,
             (long long)sw->replications, sw->replications == 1 ? "" : "s", horizon);
    cli_print_wrapped(f, "", head, TABLE_WIDTH);
    cli_print_wrapped(f, "", "(values are means over replications; every point draws the same "
                      "random numbers, so differences between points are not noise)", TABLE_WIDTH);
    const char *names[REPORT_MAX_PLATFORMS * 4];
    size_t n_names = platform_names(sw, names);
    bool power = sw->n_axes == 1 && strcmp(sw->axes[0].key, "lambda.memory") == 0;
    for (size_t i = 0; power && i < sw->n_present; i++)
        power = point_section(&sw->points[i], "lambda") != NULL;
    if (power) table_power_tuning(f, sw);
    for (size_t k = 0; k < n_names; k++) {
        if (power && strcmp(names[k], "lambda") == 0) continue;
        if (same_everywhere(sw, names[k]))
            table_same(f, names[k], point_section(&sw->points[0], names[k]));
        else
            table_platform(f, sw, names[k]);
    }
    bool numeric = sw->n_axes == 1 && n_names >= 2 && sw->n_present >= 2;
    double x;
    for (size_t i = 0; numeric && i < sw->n_present; i++)
        numeric = sweep_value_base(sw->points[i].values[0], &x);
    if (numeric) table_crossings(f, sw, names, n_names);
    return close_memstream(f, &buf);
}

char *cli_sweep_render(const cli_sweep *sw, cli_format format)
{
    switch (format) {
    case CLI_FORMAT_JSON: return render_json(sw);
    case CLI_FORMAT_CSV: return render_csv(sw);
    default: return render_table(sw);
    }
}
