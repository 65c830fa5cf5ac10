/* cli/cmd_lesson.c — `capsim lesson [TOPIC]`: list the lessons, or run one and answer its
 * question with the numbers the runs produced.
 *
 * Lessons are the `lesson:` blocks of the scenarios in lesson_scenarios_dir() (models/lesson.h):
 * a topic gathers one or more scenarios (ordered by lesson.part). For each, the lesson runs the
 * configurations of lesson.runs (the file with --set overrides; none: the file as written,
 * named after the scenario) and the points of lesson.sweep, then fills lesson.answer's
 * placeholders from their reports. As with `run` and `sweep`, every scenario, run and sweep
 * point is loaded and checked, and every reference of the answer matched to a run or point,
 * before anything is simulated; a reference to a metric the run does not report is an error of
 * the scenario (exit 3), a pricing rate the table lacks a visible gap in the text.
 *
 * Output: the question; per scenario a table of the lesson.show metrics by run, the command
 * that reproduces each run, the sweep's own table; then the answer. `--format json` gives the
 * same as one object, with each run's and the sweep's results as `capsim run` and `capsim
 * sweep` print them and every quoted number with the expression it came from (the tests check
 * each against an independent run). -o DIR writes both, lesson.txt and lesson.json, and each
 * run's and the sweep's results as CSV. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/plot.h"
#include "cli/progress.h"
#include "cli/sweep.h"
#include "models/lesson.h"
#include "models/pricing.h"
#include "models/run.h"
#include "models/sweep.h"
#include "sim/error.h"

#define WIDTH 80 /* the table's width, as `capsim run`'s */

typedef struct lrun {
    char *name;      /* borrowed from the scenario, or its name */
    char **sets;     /* the run's overrides, then the user's -s/-r (owned array, borrowed texts) */
    size_t n_sets;
    scenario *s;
    report r;
    run_series series; /* recorded for -o DIR's plots (has_series) */
    bool has_series;
    bool ran;
} lrun;

typedef struct lpart {
    const lesson_entry *entry;
    scenario *base;    /* the file with the user's overrides: its lesson block */
    lrun *runs;
    size_t n_runs;
    /* lesson.sweep */
    sweep *sw;
    scenario *sweep_base; /* the file with the sweep's overrides (the sweep's heading) */
    char **sweep_sets; /* lesson.sweep.set, then the user's overrides (borrowed texts) */
    size_t n_sweep_sets;
    char **point_names; /* each point's values joined with ',' (owned) */
    cli_sweep result;
    bool swept;
    lesson_template tpl;
    char *answer;      /* the filled answer (owned) */
    json_t *values;    /* [{expr, format, value, text[, gap]}] */
} lpart;

typedef struct lesson_ctx {
    const cli_options *opt;
    lpart *parts;
    size_t n_parts;
    size_t n_gaps;
} lesson_ctx;

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "capsim lesson: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'capsim lesson --help'.\n");
    return CLI_EXIT_USAGE;
}

static char *render_list(const lesson_index *ix)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    for (size_t i = 0; i < ix->n; i++) {
        if (i && !strcmp(ix->entries[i].topic, ix->entries[i - 1].topic))
            continue; /* a topic once, with its first scenario's question */
        fprintf(f, "%-22s %s\n", ix->entries[i].topic,
                ix->entries[i].question ? ix->entries[i].question : "");
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}


/* overrides = first[0..n1) then the user's; a new array of borrowed texts. */
static char **join_sets(char *const *first, size_t n1, const cli_options *opt, size_t *n)
{
    *n = n1 + opt->n_overrides;
    char **all = calloc(*n ? *n : 1, sizeof *all);
    if (!all)
        return NULL;
    for (size_t i = 0; i < n1; i++)
        all[i] = first[i];
    for (size_t i = 0; i < opt->n_overrides; i++)
        all[n1 + i] = (char *)opt->overrides[i];
    return all;
}

/* ---------------------------------------------------------------- resolving references */

static const lrun *find_run(const lpart *p, const char *name)
{
    for (size_t i = 0; i < p->n_runs; i++)
        if (!strcmp(p->runs[i].name, name))
            return &p->runs[i];
    return NULL;
}

static const cli_sweep_point *find_point(const lpart *p, const char *name)
{
    if (!p->swept)
        return NULL;
    for (size_t i = 0; i < p->result.n_present; i++)
        if (!strcmp(p->point_names[p->result.points[i].index], name))
            return &p->result.points[i];
    return NULL;
}

/* A metric of a report by its JSON path: "workload.items", "lambda.ci95.cold_start_ratio",
 * "comparison.cheapest". */
static int report_lookup(const report *r, const char *path, lesson_value *out, char *why,
                         size_t why_len, const char *owner)
{
    if (!strcmp(path, "comparison.cheapest") || !strcmp(path, "comparison.fastest")) {
        int i = path[11] == 'c' ? r->comparison.cheapest : r->comparison.fastest;
        out->text = i >= 0 ? r->platforms[i].name : "none";
        return SIM_OK;
    }
    const char *dot = strchr(path, '.');
    if (!dot || !dot[1]) {
        snprintf(why, why_len, "'%s' is not PLATFORM.METRIC", path);
        return SIM_EINVAL;
    }
    char platform[32];
    snprintf(platform, sizeof platform, "%.*s", (int)(dot - path), path);
    const report_section *sec = !strcmp(platform, "workload") ? &r->workload
                                                               : report_find_platform(r, platform);
    if (!sec) {
        snprintf(why, why_len, "%s has no platform '%s'", owner, platform);
        return SIM_EINVAL;
    }
    const char *metric = dot + 1;
    bool ci = !strncmp(metric, "ci95.", 5);
    /* A function of an account has its ci95 in its own object (functions.NAME.ci95.PATH, as in
     * the JSON: cli/output.c); the section stores it with the metric functions.NAME.PATH. The
     * section-level form ci95.functions.NAME.PATH is no JSON path, so the tests' independent
     * reading of the JSON would not find it: it is refused with the path to write. */
    const char *key = ci ? metric + 5 : metric; /* the metric's path in the section */
    char fn_metric[sizeof ((report_metric *)0)->path];
    if (ci && !strncmp(key, "functions.", 10)) {
        const char *name = metric + 15, *end = strchr(name, '.');
        snprintf(why, why_len, "%s.%s is not a JSON path: a function's ci95 is %s.functions.%.*s"
                 ".ci95.%s", platform, metric, platform, end ? (int)(end - name) : 0,
                 name, end ? end + 1 : "METRIC");
        return SIM_EINVAL;
    }
    if (!ci && !strncmp(metric, "functions.", 10)) {
        const char *name = metric + 10, *end = strchr(name, '.');
        if (end && !strncmp(end, ".ci95.", 6) && end[6]) {
            snprintf(fn_metric, sizeof fn_metric, "functions.%.*s.%s", (int)(end - name), name,
                     end + 6);
            key = fn_metric;
            ci = true;
        }
    }
    const report_metric *m = report_section_find(sec, key);
    if (!m) {
        snprintf(why, why_len, "%s reports no metric %s.%s", owner, platform, dot + 1);
        return SIM_EINVAL;
    }
    out->number = ci ? (m->has_ci ? m->ci95 : NAN) : m->value;
    return SIM_OK;
}

static int settings_lookup(const scenario *s, int64_t horizon_us, int64_t warmup_us,
                           uint64_t seed, int64_t reps, const char *path, lesson_value *out)
{
    (void)s;
    if (!strcmp(path, "horizon_s")) out->number = (double)horizon_us / 1e6;
    else if (!strcmp(path, "warmup_s")) out->number = (double)warmup_us / 1e6;
    else if (!strcmp(path, "seed")) out->number = (double)seed;
    else if (!strcmp(path, "replications")) out->number = (double)reps;
    else return 1;
    return SIM_OK;
}

/* The points sorted by their (one) axis value in base units; false when not numeric. */
typedef struct axis_point {
    double x;
    const cli_sweep_point *p;
} axis_point;

static int axis_cmp(const void *a, const void *b)
{
    const axis_point *u = a, *v = b;
    return u->x < v->x ? -1 : u->x > v->x;
}

static int sweep_function(const lpart *p, const lesson_ref *ref, lesson_value *out, char *why,
                          size_t why_len)
{
    const cli_sweep *sw = &p->result;
    if (sw->n_axes != 1) {
        snprintf(why, why_len, "%s needs a sweep of one --vary", ref->scope);
        return SIM_EINVAL;
    }
    size_t n = sw->n_present;
    axis_point *pts = calloc(n ? n : 1, sizeof *pts);
    double *y = calloc(n ? n : 1, sizeof *y), *z = calloc(n ? n : 1, sizeof *z);
    int rc = pts && y && z ? SIM_OK : SIM_ENOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
        pts[i].p = &sw->points[i];
        if (!sweep_value_base(sw->points[i].values[0], &pts[i].x)) {
            snprintf(why, why_len, "%s needs numeric values of %s, not '%s'", ref->scope,
                     sw->axes[0].key, sw->points[i].values[0]);
            rc = SIM_EINVAL;
        }
    }
    if (!rc)
        qsort(pts, n, sizeof *pts, axis_cmp);
    char owner[128];
    for (size_t i = 0; !rc && i < n; i++) {
        lesson_value v = {0};
        snprintf(owner, sizeof owner, "sweep point %s", pts[i].p->values[0]);
        rc = report_lookup(&pts[i].p->r, ref->path, &v, why, why_len, owner);
        y[i] = v.number;
        if (!rc && ref->path2) {
            rc = report_lookup(&pts[i].p->r, ref->path2, &v, why, why_len, owner);
            z[i] = v.number;
        }
    }
    if (!rc) {
        const char *fn = ref->scope;
        out->number = NAN;
        if (!strcmp(fn, "crossing")) {
            out->axis = true;
            for (size_t k = 0; k < n && isnan(out->number); k++) {
                double d = y[k] - z[k];
                if (d == 0) {
                    out->number = pts[k].x;
                } else if (k + 1 < n) {
                    double e = y[k + 1] - z[k + 1];
                    if ((d < 0 && e > 0) || (d > 0 && e < 0))
                        out->number = pts[k].x + (pts[k + 1].x - pts[k].x) * d / (d - e);
                }
            }
        } else {
            /* argmin/argmax: the point's value as written (a text: "1769MB", not a rounding
             * of it); ties go to the lowest value of the axis. */
            bool arg = !strncmp(fn, "arg", 3), lowest = !strcmp(fn + (arg ? 3 : 0), "min");
            double best = NAN;
            const char *at = NULL;
            for (size_t k = 0; k < n; k++)
                if (!isnan(y[k]) && (isnan(best) || (lowest ? y[k] < best : y[k] > best))) {
                    best = y[k];
                    at = pts[k].p->values[0];
                }
            out->number = best;
            if (arg)
                out->text = at ? at : "n/a";
        }
    }
    free(pts);
    free(y);
    free(z);
    return rc;
}

static int resolve(void *ctx, const lesson_ref *ref, lesson_value *out, char *why, size_t why_len)
{
    const lpart *p = ctx;
    char owner[160];
    switch (ref->kind) {
    case LESSON_REF_RUN: {
        const lrun *run = find_run(p, ref->scope);
        if (!run) {
            snprintf(why, why_len, "no run named '%s'", ref->scope);
            return SIM_EINVAL;
        }
        const scenario *s = run->s;
        if (!settings_lookup(s, s->horizon_us, s->warmup_us, s->seed, s->replications, ref->path,
                             out))
            return SIM_OK;
        if (!strncmp(ref->path, "scenario.", 9)) {
            if (!scenario_key_number(s, ref->path + 9, &out->number))
                return SIM_OK;
            snprintf(why, why_len, "'%s' is not a numeric key of the scenario", ref->path + 9);
            return SIM_EINVAL;
        }
        snprintf(owner, sizeof owner, "run '%s'", run->name);
        return report_lookup(&run->r, ref->path, out, why, why_len, owner);
    }
    case LESSON_REF_POINT: {
        const cli_sweep_point *pt = find_point(p, ref->scope);
        if (!pt) {
            snprintf(why, why_len, "the sweep has no point %s", ref->scope);
            return SIM_EINVAL;
        }
        const cli_sweep *sw = &p->result;
        if (!settings_lookup(NULL, sw->horizon_us, sw->warmup_us, sw->seed, sw->replications,
                             ref->path, out))
            return SIM_OK;
        snprintf(owner, sizeof owner, "sweep point %s", ref->scope);
        return report_lookup(&pt->r, ref->path, out, why, why_len, owner);
    }
    case LESSON_REF_PRICING: {
        const char *table = p->base->pricing_table->path;
        int rc = lesson_yaml_number(table, ref->path, &out->number);
        if (rc == SIM_EINVAL) {
            snprintf(out->gap, sizeof out->gap, "the pricing table %s has no rate %s",
                     p->base->pricing_table->name, ref->path);
            return SIM_OK;
        }
        if (rc)
            snprintf(why, why_len, "cannot read the pricing table %s: %s", table, sim_strerror(rc));
        return rc;
    }
    case LESSON_REF_CALL: return sweep_function(p, ref, out, why, why_len);
    }
    return SIM_EINVAL;
}

/* Before anything runs: every run and point the answer names exists. */
typedef struct precheck {
    const lpart *p;
    char why[512];
    bool bad;
} precheck;

static void precheck_ref(void *ctx, const lesson_ref *ref)
{
    precheck *c = ctx;
    if (c->bad)
        return;
    const lpart *p = c->p;
    if (ref->kind == LESSON_REF_RUN && !find_run(p, ref->scope)) {
        snprintf(c->why, sizeof c->why, "{%s}: no run named '%s'", ref->text, ref->scope);
        c->bad = true;
    }
    if (ref->kind == LESSON_REF_POINT) {
        bool found = false;
        for (size_t i = 0; p->sw && i < p->sw->n_points; i++)
            found = found || !strcmp(p->point_names[i], ref->scope);
        if (!found) {
            char first[64] = "";
            if (p->sw && p->sw->n_points)
                snprintf(first, sizeof first, " (the first is %s)", p->point_names[0]);
            snprintf(c->why, sizeof c->why, "{%s}: the sweep has no point %s%s", ref->text,
                     ref->scope, first);
            c->bad = true;
        }
    }
    if (ref->kind == LESSON_REF_CALL && p->sw && p->sw->n_axes != 1) {
        snprintf(c->why, sizeof c->why, "{%s}: %s needs a sweep of one --vary", ref->text,
                 ref->scope);
        c->bad = true;
    }
}

/* Reports a problem of the answer at its position in the file. */
static int answer_error(const lpart *p, const char *why)
{
    int line = 0, col = 0;
    const char *where = NULL;
    if (scenario_key_where(p->base, "lesson.answer", &where, &line, &col))
        fprintf(stderr, "%s:%d:%d: error: lesson.answer: %s\n", where, line, col, why);
    else
        fprintf(stderr, "%s: error: lesson.answer: %s\n", p->entry->file, why);
    return CLI_EXIT_SCENARIO;
}

/* ---------------------------------------------------------------- formatting numbers */

/* 1234567.8 -> "1,234,568" */
static void format_grouped(char *buf, size_t len, double v)
{
    char digits[64];
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t n = strlen(digits), at = 0;
    if (v < 0 && llround(fabs(v)) != 0 && at + 1 < len)
        buf[at++] = '-';
    for (size_t i = 0; i < n && at + 2 < len; i++) {
        buf[at++] = digits[i];
        if ((n - i - 1) % 3 == 0 && i + 1 < n)
            buf[at++] = ',';
    }
    buf[at] = '\0';
}

static void format_number(char *buf, size_t len, double v, lesson_format f, const lpart *p,
                          bool axis)
{
    double a = fabs(v);
    if (f == LESSON_FMT_DEFAULT && axis)
        f = LESSON_FMT_AXIS;
    switch (f) {
    case LESSON_FMT_USD: cli_format_usd(buf, len, v); return;
    case LESSON_FMT_SECONDS: cli_format_latency(buf, len, v); return;
    case LESSON_FMT_PERCENT: {
        double pc = v * 100.0, b = fabs(pc);
        if (pc == 0) snprintf(buf, len, "0 %%");
        else if (b >= 9.95) snprintf(buf, len, "%.0f %%", pc);
        else if (b >= 0.995) snprintf(buf, len, "%.1f %%", pc);
        else if (b >= 0.01) snprintf(buf, len, "%.2f %%", pc);
        else snprintf(buf, len, "%.1g %%", pc);
        return;
    }
    case LESSON_FMT_MS: {
        double ms = v * 1000.0;
        if (fabs(ms) >= 9.5) snprintf(buf, len, "%.0f ms", ms);
        else snprintf(buf, len, "%.2g ms", ms);
        return;
    }
    case LESSON_FMT_COUNT:
        if (a >= 99.95) format_grouped(buf, len, v);
        else if (v == floor(v)) snprintf(buf, len, "%.0f", v);
        else if (a >= 9.995) snprintf(buf, len, "%.1f", v);
        else snprintf(buf, len, "%.2g", v);
        return;
    case LESSON_FMT_TIMES:
        if (a >= 9.95) snprintf(buf, len, "%.0fx", v);
        else if (a >= 0.995) snprintf(buf, len, "%.1fx", v);
        else snprintf(buf, len, "%.2gx", v);
        return;
    case LESSON_FMT_AXIS:
        if (p->swept && p->result.n_axes >= 1 && p->result.axes[0].n_values > 0) {
            sweep_value_format(buf, len, p->result.axes[0].values[0], v, 3);
            return;
        }
        break;
    default: break;
    }
    if (a >= 999.5) format_grouped(buf, len, v);
    else snprintf(buf, len, "%.3g", v);
}

static void format_value(char *buf, size_t len, const lesson_value *v, lesson_format f,
                         const lpart *p)
{
    if (v->gap[0]) snprintf(buf, len, "[gap: %s]", v->gap);
    else if (v->text) snprintf(buf, len, "%s", v->text);
    else if (!isfinite(v->number)) snprintf(buf, len, "n/a");
    else format_number(buf, len, v->number, f, p, v->axis);
}

/* A metric in the runs' table, formatted after its path. */
static void format_metric(char *buf, size_t len, const char *path, double v)
{
    size_t n = strlen(path);
    if (isnan(v)) snprintf(buf, len, "-");
    else if (strstr(path, "cost_usd")) cli_format_usd(buf, len, v);
    else if (n > 6 && !strcmp(path + n - 6, "_ratio")) {
        lesson_value lv = {.number = v};
        format_value(buf, len, &lv, LESSON_FMT_PERCENT, NULL);
    } else if (strstr(path, "latency_s") || strstr(path, "duration_s") || strstr(path, "_age_s") ||
               (n > 2 && !strcmp(path + n - 2, "_s")))
        cli_format_latency(buf, len, v);
    else {
        lesson_value lv = {.number = v};
        format_value(buf, len, &lv, LESSON_FMT_COUNT, NULL);
    }
}

static const char *display_path(const char *file);

/* ---------------------------------------------------------------- filling the answer */

static int fill_answer(lesson_ctx *L, lpart *p)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f || !(p->values = json_array())) {
        if (f) fclose(f);
        free(buf);
        return CLI_EXIT_RUNTIME;
    }
    int code = CLI_EXIT_OK;
    for (size_t i = 0; i < p->tpl.n && !code; i++) {
        const lesson_segment *seg = &p->tpl.segs[i];
        if (!seg->expr) {
            fputs(seg->text, f);
            continue;
        }
        lesson_value v;
        char why[512], text[320];
        int rc = lesson_expr_eval(seg->expr, resolve, p, &v, why, sizeof why);
        if (rc) {
            char msg[700];
            snprintf(msg, sizeof msg, "{%s}: %s", seg->text, why);
            code = answer_error(p, msg);
            break;
        }
        format_value(text, sizeof text, &v, seg->format, p);
        fputs(text, f);
        if (v.gap[0]) { /* each missing rate said once */
            bool said = false;
            for (size_t k = 0; k < json_array_size(p->values) && !said; k++)
                said = json_object_get(json_array_get(p->values, k), "gap") &&
                       !strcmp(json_string_value(json_object_get(
                                   json_array_get(p->values, k), "gap")), v.gap);
            L->n_gaps++;
            if (!said && !L->opt->quiet)
                fprintf(stderr, "capsim lesson: %s: gap: %s\n", display_path(p->entry->file),
                        v.gap);
        }
        /* "expr": the expression alone, without its ":FORMAT" */
        char expr[512];
        snprintf(expr, sizeof expr, "%s", seg->text);
        char *colon = strrchr(expr, ':');
        if (colon && seg->format != LESSON_FMT_DEFAULT)
            *colon = '\0';
        json_t *item = json_pack("{s:s, s:s, s:o, s:s}", "expr", expr, "format",
                                 lesson_format_name(seg->format), "value",
                                 v.text ? json_string(v.text)
                                 : isfinite(v.number) && !v.gap[0] ? json_real(v.number)
                                                                   : json_null(),
                                 "text", text);
        if (item && v.gap[0])
            json_object_set_new(item, "gap", json_string(v.gap));
        if (!item || json_array_append_new(p->values, item))
            code = CLI_EXIT_RUNTIME;
    }
    if (fclose(f) != 0)
        code = code ? code : CLI_EXIT_RUNTIME;
    if (code)
        free(buf);
    else
        p->answer = buf;
    return code;
}

/* ---------------------------------------------------------------- output */

/* The file as the reader would type it: relative to the current folder when it is inside it. */
static const char *display_path(const char *file)
{
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        return file;
    size_t n = strlen(cwd);
    if (n > 1 && !strncmp(file, cwd, n) && file[n] == '/')
        return file + n + 1;
    return file;
}

/* A command line that reproduces a run or the sweep: overrides quoted for a POSIX shell. */
static void put_shell_word(FILE *f, const char *w)
{
    bool plain = *w != '\0';
    for (const char *c = w; *c; c++)
        plain = plain && (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789._/=:,+-@%", *c) != NULL);
    if (plain) {
        fputs(w, f);
        return;
    }
    fputc('\'', f);
    for (const char *c = w; *c; c++) {
        if (*c == '\'') fputs("'\\''", f);
        else fputc(*c, f);
    }
    fputc('\'', f);
}

static char *command_text(const char *cmd, const char *file, char *const *sets, size_t n_sets,
                          char *const *vary, size_t n_vary, bool zip)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fprintf(f, "capsim %s ", cmd);
    put_shell_word(f, file);
    for (size_t i = 0; i < n_sets; i++) {
        fputs(" --set ", f);
        put_shell_word(f, sets[i]);
    }
    for (size_t i = 0; i < n_vary; i++) {
        fputs(" --vary ", f);
        put_shell_word(f, vary[i]);
    }
    if (zip)
        fputs(" --zip", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The metrics tabled for the runs: lesson.show, or cost, p99 and completed of each platform. */
static size_t show_list(const lpart *p, const char **out, char store[][48], size_t max)
{
    const scn_lesson *l = &p->base->lesson;
    size_t n = 0;
    for (size_t i = 0; i < l->n_show && n < max; i++)
        out[n++] = l->show[i];
    if (n)
        return n;
    static const char *const defaults[] = {"cost_usd.total", "latency_s.p99", "completed"};
    if (!p->n_runs)
        return 0;
    const report *r = &p->runs[0].r;
    for (size_t k = 0; k < r->n_platforms; k++)
        for (size_t d = 0; d < 3 && n < max; d++) {
            snprintf(store[n], 48, "%s.%s", r->platforms[k].name, defaults[d]);
            out[n] = store[n];
            n++;
        }
    return n;
}

static double run_metric(const lrun *run, const char *path)
{
    lesson_value v = {.number = NAN};
    char why[256];
    if (report_lookup(&run->r, path, &v, why, sizeof why, "run") || v.text)
        return NAN;
    return v.number;
}

static void put_trimmed(FILE *f, const char *line)
{
    size_t len = strlen(line);
    while (len > 0 && line[len - 1] == ' ')
        len--;
    fprintf(f, "%.*s\n", (int)len, line);
}

/* Rows: the shown metrics; columns: the runs (in groups that fit the width). */
static void table_runs(FILE *f, const lpart *p)
{
    const char *show[32];
    char store[32][48];
    size_t n_show = show_list(p, show, store, 32);
    size_t label = 12;
    for (size_t i = 0; i < n_show; i++)
        if (strlen(show[i]) + 2 > label)
            label = strlen(show[i]) + 2;
    for (size_t first = 0; first < p->n_runs;) {
        size_t used = label, last = first;
        while (last < p->n_runs) {
            size_t w = strlen(p->runs[last].name) + 2;
            if (w < 13) w = 13;
            if (last > first && used + w > WIDTH)
                break;
            used += w;
            last++;
        }
        char line[1024];
        size_t at = (size_t)snprintf(line, sizeof line, "%-*s", (int)label, "");
        for (size_t k = first; k < last && at < sizeof line; k++) {
            int w = (int)strlen(p->runs[k].name) + 2;
            at += (size_t)snprintf(line + at, sizeof line - at, "%*s", w < 13 ? 13 : w,
                                   p->runs[k].name);
        }
        put_trimmed(f, line);
        for (size_t i = 0; i < n_show; i++) {
            at = (size_t)snprintf(line, sizeof line, "  %-*s", (int)label - 2, show[i]);
            for (size_t k = first; k < last && at < sizeof line; k++) {
                char v[64];
                format_metric(v, sizeof v, show[i], run_metric(&p->runs[k], show[i]));
                int w = (int)strlen(p->runs[k].name) + 2;
                at += (size_t)snprintf(line + at, sizeof line - at, "%*s", w < 13 ? 13 : w, v);
            }
            put_trimmed(f, line);
        }
        first = last;
    }
}

/* Paragraphs (separated by blank lines) reflowed to the width, indented by two. */
static void put_answer(FILE *f, const char *text)
{
    char *copy = strdup(text);
    if (!copy)
        return;
    char *para = copy;
    while (para && *para) {
        char *end = strstr(para, "\n\n");
        if (end)
            *end = '\0';
        for (char *c = para; *c; c++)
            if (*c == '\n' || *c == '\t')
                *c = ' ';
        if (strspn(para, " ") != strlen(para))
            cli_print_wrapped(f, "  ", para, WIDTH);
        if (!end)
            break;
        para = end + 2;
        while (*para == '\n')
            para++;
        if (*para)
            fputc('\n', f);
    }
    free(copy);
}

static char *render_table(const lesson_ctx *L)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    const lpart *first = &L->parts[0];
    fprintf(f, "capsim %s · lesson %s\n", CAPSIM_VERSION, first->entry->topic);
    if (first->entry->question)
        cli_print_wrapped(f, "", first->entry->question, WIDTH);
    for (size_t i = 0; i < L->n_parts; i++) {
        const lpart *p = &L->parts[i];
        const scenario *s = p->n_runs ? p->runs[0].s : p->sweep_base;
        char horizon[32];
        scenario_format_duration(horizon, sizeof horizon, s->horizon_us);
        fprintf(f, "\n");
        if (L->n_parts > 1)
            fprintf(f, "── part %zu of %zu ──\n", i + 1, L->n_parts);
        if (i > 0 && p->entry->question)
            cli_print_wrapped(f, "", p->entry->question, WIDTH);
        fprintf(f, "%s\n", display_path(p->entry->file));
        if (p->base->description)
            cli_print_wrapped(f, "", p->base->description, WIDTH);
        fprintf(f, "seed %llu · %lld replication%s · horizon %s\n", (unsigned long long)s->seed,
                (long long)s->replications, s->replications == 1 ? "" : "s", horizon);
        if (p->n_runs) {
            fputc('\n', f);
            table_runs(f, p);
            fputc('\n', f);
        }
        for (size_t k = 0; k < p->n_runs; k++) {
            char *cmd = command_text("run", display_path(p->entry->file), p->runs[k].sets,
                                     p->runs[k].n_sets,
                                     NULL, 0, false);
            char lead[96];
            snprintf(lead, sizeof lead, "  %s: ", p->runs[k].name);
            if (cmd)
                cli_print_wrapped(f, lead, cmd, WIDTH);
            free(cmd);
        }
        if (p->swept) {
            char *table = cli_sweep_render(&p->result, CLI_FORMAT_TABLE);
            fputc('\n', f);
            if (table)
                fputs(table, f);
            free(table);
            const scn_lesson *l = &p->base->lesson;
            char *cmd = command_text("sweep", display_path(p->entry->file), p->sweep_sets,
                                     p->n_sweep_sets,
                                     l->sweep_vary, l->n_sweep_vary, l->sweep_zip);
            fputc('\n', f);
            if (cmd)
                cli_print_wrapped(f, "  sweep: ", cmd, WIDTH);
            free(cmd);
        }
        if (p->answer) {
            fprintf(f, "\nanswer%s\n", L->n_parts > 1 && i > 0 ? " (continued)" : "");
            put_answer(f, p->answer);
        } else if (p->base->lesson.explain) {
            fprintf(f, "\nexplanation\n");
            put_answer(f, p->base->lesson.explain);
        }
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static json_t *strings_json(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(v[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* The text of a writer parsed back into JSON (the run's and the sweep's own output). */
static json_t *text_json(char *text)
{
    if (!text)
        return NULL;
    json_t *j = json_loads(text, 0, NULL);
    free(text);
    return j;
}

static char *render_json(const lesson_ctx *L)
{
    const lpart *first = &L->parts[0];
    json_t *root = json_object(), *parts = json_array();
    int rc = !root || !parts || json_object_set(root, "parts", parts);
    rc = rc || json_object_set_new(root, "capsim", json_string(CAPSIM_VERSION));
    rc = rc || json_object_set_new(root, "lesson", json_string(first->entry->topic));
    rc = rc || json_object_set_new(root, "question", first->entry->question
                                                         ? json_string(first->entry->question)
                                                         : json_null());
    for (size_t i = 0; i < L->n_parts && !rc; i++) {
        const lpart *p = &L->parts[i];
        json_t *part = json_object(), *runs = json_array();
        rc = !part || !runs || json_array_append_new(parts, part);
        rc = rc || json_object_set_new(part, "file", json_string(p->entry->file));
        rc = rc || json_object_set_new(part, "scenario", json_string(p->base->name));
        rc = rc || json_object_set_new(part, "question", p->entry->question
                                                             ? json_string(p->entry->question)
                                                             : json_null());
        rc = rc || json_object_set_new(part, "runs", runs);
        for (size_t k = 0; k < p->n_runs && !rc; k++) {
            const lrun *r = &p->runs[k];
            json_t *results = text_json(cli_render_json(r->s, &r->r));
            json_t *run = json_pack("{s:s, s:o, s:o}", "name", r->name, "set",
                                    strings_json(r->sets, r->n_sets), "results", results);
            rc = !run || json_array_append_new(runs, run);
        }
        if (p->swept && !rc) {
            const scn_lesson *l = &p->base->lesson;
            json_t *results = text_json(cli_sweep_render(&p->result, CLI_FORMAT_JSON));
            json_t *sw = json_pack("{s:o, s:o, s:b, s:o}", "set",
                                   strings_json(p->sweep_sets, p->n_sweep_sets), "vary",
                                   strings_json(l->sweep_vary, l->n_sweep_vary), "zip",
                                   l->sweep_zip, "results", results);
            rc = !sw || json_object_set_new(part, "sweep", sw);
        }
        if (!rc)
            rc = json_object_set_new(part, "answer", p->answer ? json_string(p->answer)
                                                               : json_null()) ||
                 json_object_set_new(part, "values", p->values ? json_incref(p->values)
                                                               : json_array());
    }
    char *text = rc ? NULL : cli_json_text(root, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    json_decref(parts);
    json_decref(root);
    return text;
}

/* -o DIR: each run's and the sweep's results as CSV, beside the lesson. */
static int write_data(const lesson_ctx *L)
{
    const char *dir = L->opt->out_dir;
    int code = CLI_EXIT_OK;
    for (size_t i = 0; i < L->n_parts && !code; i++) {
        const lpart *p = &L->parts[i];
        for (size_t k = 0; k < p->n_runs && !code; k++) {
            const lrun *r = &p->runs[k];
            char name[256];
            if (!strcmp(r->name, p->base->name))
                snprintf(name, sizeof name, "%s.csv", r->name);
            else
                snprintf(name, sizeof name, "%s.%s.csv", p->base->name, r->name);
            char *csv = cli_render_csv(r->s, &r->r);
            code = csv ? cli_emit(dir, name, csv) : CLI_EXIT_RUNTIME;
            free(csv);
            if (!code && !L->opt->quiet)
                fprintf(stderr, "capsim: wrote %s/%s\n", dir, name);
        }
        if (p->swept && !code) {
            char name[256];
            snprintf(name, sizeof name, "%s.sweep.csv", p->base->name);
            char *csv = cli_sweep_render(&p->result, CLI_FORMAT_CSV);
            code = csv ? cli_emit(dir, name, csv) : CLI_EXIT_RUNTIME;
            free(csv);
            if (!code && !L->opt->quiet)
                fprintf(stderr, "capsim: wrote %s/%s\n", dir, name);
        }
        /* The figures the lesson talks about: each run's plots in DIR/RUN/ (their names are
         * the same for every run), the sweep's in DIR/SCENARIO.sweep/, drawn from its CSV. */
        for (size_t k = 0; k < p->n_runs && !code; k++) {
            const lrun *r = &p->runs[k];
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", dir, r->name);
            code = cli_out_dir_create(sub);
            if (!code)
                code = cli_plot_write(r->s, &r->r, r->has_series ? &r->series : NULL, sub,
                                      L->opt->quiet);
        }
        if (p->swept && !code) {
            char csv[4096], sub[4096];
            snprintf(csv, sizeof csv, "%s/%s.sweep.csv", dir, p->base->name);
            snprintf(sub, sizeof sub, "%s/%s.sweep", dir, p->base->name);
            code = cli_out_dir_create(sub);
            /* A sweep of several keys has no plot of its own: its CSV stays the data. */
            if (!code && p->result.n_axes == 1)
                code = cli_plot_sweep_csv(csv, sub, L->opt->quiet, NULL);
        }
    }
    return code;
}

/* ---------------------------------------------------------------- the command */

static const cli_progress_style sweep_style = {.items = "points", .format_work = NULL};

static void sweep_progress_point(void *ctx, uint32_t done, uint32_t total)
{
    (void)done;
    (void)total;
    sim_progress_add(ctx, 1, 1);
}

/* Loads the part's scenario, its runs and sweep points (nothing runs). */
static int prepare(lesson_ctx *L, lpart *p)
{
    const cli_options *opt = L->opt;
    sim_diag diag;
    sim_diag_init(&diag);
    int code = CLI_EXIT_OK;
    const char *file = p->entry->file;
    int rc = scenario_load_file(file, opt->overrides, opt->n_overrides, &diag, &p->base);
    if (rc) {
        code = cli_load_exit(file, rc, &diag);
        goto done;
    }
    const scn_lesson *l = &p->base->lesson;
    /* No runs: the file as written, unless the lesson is a sweep alone. */
    p->n_runs = l->n_runs ? l->n_runs : l->has_sweep ? 0 : 1;
    if (!(p->runs = calloc(p->n_runs ? p->n_runs : 1, sizeof *p->runs)))
        goto oom;
    for (size_t k = 0; k < p->n_runs; k++) {
        lrun *r = &p->runs[k];
        report_init(&r->r);
        r->name = l->n_runs ? l->runs[k].name : p->base->name;
        if (!(r->sets = join_sets(l->n_runs ? l->runs[k].set : NULL,
                                  l->n_runs ? l->runs[k].n_set : 0, opt, &r->n_sets)))
            goto oom;
        rc = scenario_load_file(file, (const char *const *)r->sets, r->n_sets, &diag, &r->s);
        if (rc) {
            fprintf(stderr, "capsim lesson: %s: lesson run '%s' (its --set N count "
                    "lesson.runs[%zu].set, then -s/-r):\n", file, r->name, k);
            code = cli_load_exit(file, rc, &diag);
            goto done;
        }
    }
    if (l->has_sweep) {
        if (!(p->sweep_sets = join_sets(l->sweep_set, l->n_sweep_set, opt, &p->n_sweep_sets)))
            goto oom;
        rc = scenario_load_file(file, (const char *const *)p->sweep_sets, p->n_sweep_sets, &diag,
                                &p->sweep_base);
        if (!rc)
            rc = sweep_parse((const char *const *)l->sweep_vary, l->n_sweep_vary, l->sweep_zip,
                             &diag, &p->sw);
        size_t n_bad = 0, first_bad = 0;
        if (!rc)
            rc = sweep_validate(p->sw, file, (const char *const *)p->sweep_sets, p->n_sweep_sets,
                                opt->threads, &diag, &n_bad, &first_bad);
        if (rc) {
            fprintf(stderr, "capsim lesson: %s: lesson.sweep (--vary N counts lesson.sweep.vary, "
                    "--set N lesson.sweep.set then -s/-r):\n", file);
            code = cli_load_exit(file, rc, &diag);
            goto done;
        }
        if (!(p->point_names = calloc(p->sw->n_points, sizeof *p->point_names)))
            goto oom;
        for (size_t pt = 0; pt < p->sw->n_points; pt++) {
            char name[1024];
            size_t at = 0;
            name[0] = '\0';
            for (size_t a = 0; a < p->sw->n_axes && at < sizeof name; a++)
                at += (size_t)snprintf(name + at, sizeof name - at, "%s%s", a ? "," : "",
                                       p->sw->axes[a].values[sweep_point_value(p->sw, pt, a)].text);
            if (!(p->point_names[pt] = strdup(name)))
                goto oom;
        }
    }
    if (l->answer) {
        char why[512];
        rc = lesson_template_parse(l->answer, &p->tpl, why, sizeof why);
        if (rc == SIM_ENOMEM)
            goto oom;
        if (rc) { /* the loader checked it: only a bug gets here */
            code = answer_error(p, why);
            goto done;
        }
        precheck c = {p, "", false};
        for (size_t i = 0; i < p->tpl.n && !c.bad; i++)
            if (p->tpl.segs[i].expr)
                lesson_expr_each_ref(p->tpl.segs[i].expr, precheck_ref, &c);
        if (c.bad) {
            code = answer_error(p, c.why);
            goto done;
        }
    }
    goto done;
oom:
    fprintf(stderr, "capsim: out of memory\n");
    code = CLI_EXIT_RUNTIME;
done:
    sim_diag_fini(&diag);
    return code;
}

static int simulate(lesson_ctx *L, lpart *p)
{
    const cli_options *opt = L->opt;
    for (size_t k = 0; k < p->n_runs; k++) {
        lrun *r = &p->runs[k];
        sim_progress progress;
        sim_progress_init(&progress);
        cli_progress_bar *bar =
            opt->quiet ? NULL : cli_progress_start(&progress, stderr, &cli_progress_style_sim);
        /* With -o DIR the run also records its time series, for the plots beside the lesson
         * (the results are the same bits with or without). */
        if (opt->out_dir && !r->has_series) {
            run_series_init(&r->series, 0);
            r->has_series = true;
        }
        run_options ro = {.threads = opt->threads, .progress = &progress,
                          .series = r->has_series ? &r->series : NULL};
        int rc = run_scenario_with(r->s, &ro, &r->r);
        cli_progress_stop(bar);
        if (!opt->quiet)
            sim_diag_print(&r->r.warnings, stderr);
        if (rc) {
            fprintf(stderr, "capsim: %s: lesson run '%s': simulation failed: %s\n",
                    p->entry->file, r->name, sim_strerror(rc));
            return CLI_EXIT_RUNTIME;
        }
        r->ran = true;
    }
    if (!p->sw)
        return CLI_EXIT_OK;
    size_t n = p->sw->n_points;
    size_t *points = malloc(n * sizeof *points);
    report *reports = calloc(n, sizeof *reports);
    int code = CLI_EXIT_OK;
    if (!points || !reports) {
        fprintf(stderr, "capsim: out of memory\n");
        code = CLI_EXIT_RUNTIME;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        points[i] = i;
        report_init(&reports[i]);
    }
    sim_progress progress;
    sim_progress_init(&progress);
    sim_progress_expect(&progress, n);
    cli_progress_bar *bar = opt->quiet ? NULL : cli_progress_start(&progress, stderr, &sweep_style);
    size_t failed = 0;
    int rc = sweep_run(p->sw, p->entry->file, (const char *const *)p->sweep_sets, p->n_sweep_sets,
                       points, n, opt->threads, reports, sweep_progress_point, &progress, &failed);
    cli_progress_stop(bar);
    if (rc) {
        fprintf(stderr, "capsim: %s: lesson sweep failed at point %zu (%s): %s\n",
                p->entry->file, failed + 1, p->point_names[failed], sim_strerror(rc));
        code = CLI_EXIT_RUNTIME;
        goto done;
    }
    rc = cli_sweep_build((const char *const *)p->sweep_sets, p->n_sweep_sets, p->sweep_base, p->sw,
                         points, n, reports, 0, 0, &p->result);
    p->swept = true; /* freed with cli_sweep_fini whatever happened */
    if (rc) {
        fprintf(stderr, "capsim: out of memory\n");
        code = CLI_EXIT_RUNTIME;
    }
done:
    for (size_t i = 0; reports && i < n; i++)
        report_fini(&reports[i]);
    free(reports);
    free(points);
    return code;
}

static void part_fini(lpart *p)
{
    for (size_t k = 0; p->runs && k < p->n_runs; k++) {
        report_fini(&p->runs[k].r);
        if (p->runs[k].has_series) run_series_fini(&p->runs[k].series);
        scenario_destroy(p->runs[k].s);
        free(p->runs[k].sets);
    }
    free(p->runs);
    for (size_t i = 0; p->point_names && p->sw && i < p->sw->n_points; i++)
        free(p->point_names[i]);
    free(p->point_names);
    if (p->swept)
        cli_sweep_fini(&p->result);
    sweep_destroy(p->sw);
    scenario_destroy(p->sweep_base);
    free(p->sweep_sets);
    lesson_template_fini(&p->tpl);
    free(p->answer);
    json_decref(p->values);
    scenario_destroy(p->base);
}

int cli_cmd_lesson(const cli_options *opt)
{
    if (opt->format == CLI_FORMAT_CSV)
        return usage("%s", "--format must be table or json (-o DIR also writes each run's CSV)");
    const char *dir = lesson_scenarios_dir();
    lesson_index ix;
    int rc = lesson_index_read(dir, &ix);
    if (rc) {
        fprintf(stderr, "capsim lesson: cannot read the scenarios in %s: %s (set "
                "CAPSIM_SCENARIOS_DIR to the folder of the scenarios)\n", dir, sim_strerror(rc));
        return rc == SIM_ENOMEM ? CLI_EXIT_RUNTIME : CLI_EXIT_IO;
    }
    int code = CLI_EXIT_OK;
    char *text = NULL;
    lesson_ctx L = {opt, NULL, 0, 0};
    if (!opt->file) {
        text = render_list(&ix);
        code = text ? cli_emit(NULL, NULL, text) : CLI_EXIT_RUNTIME;
        goto done;
    }
    size_t first = 0;
    while (first < ix.n && strcmp(ix.entries[first].topic, opt->file))
        first++;
    if (first == ix.n) {
        fprintf(stderr, "capsim lesson: no lesson '%s' in %s; the lessons are:\n", opt->file, dir);
        text = render_list(&ix);
        if (text)
            fputs(text, stderr);
        code = CLI_EXIT_USAGE;
        goto done;
    }
    size_t n = 0;
    while (first + n < ix.n && !strcmp(ix.entries[first + n].topic, opt->file))
        n++;
    if (!(L.parts = calloc(n, sizeof *L.parts))) {
        code = CLI_EXIT_RUNTIME;
        goto done;
    }
    L.n_parts = n;
    for (size_t i = 0; i < n; i++)
        L.parts[i].entry = &ix.entries[first + i];
    for (size_t i = 0; i < n && !code; i++)
        code = prepare(&L, &L.parts[i]);
    if (!code && opt->out_dir)
        code = cli_out_dir_create(opt->out_dir);
    for (size_t i = 0; i < n && !code; i++)
        code = simulate(&L, &L.parts[i]);
    for (size_t i = 0; i < n && !code; i++)
        if (L.parts[i].tpl.n)
            code = fill_answer(&L, &L.parts[i]);
    if (code)
        goto done;
    if (!opt->out_dir) {
        text = opt->format == CLI_FORMAT_JSON ? render_json(&L) : render_table(&L);
        code = text ? cli_emit(NULL, NULL, text) : CLI_EXIT_RUNTIME;
        if (!text)
            fprintf(stderr, "capsim: out of memory while writing the lesson\n");
        goto done;
    }
    /* -o DIR: the lesson as text and as JSON, and the runs' data. */
    if ((code = write_data(&L)))
        goto done;
    for (int k = 0; k < 2 && !code; k++) {
        const char *name = k ? "lesson.json" : "lesson.txt";
        free(text);
        text = k ? render_json(&L) : render_table(&L);
        if (!text) {
            fprintf(stderr, "capsim: out of memory while writing the lesson\n");
            code = CLI_EXIT_RUNTIME;
            break;
        }
        code = cli_emit(opt->out_dir, name, text);
        if (!code && !opt->quiet)
            fprintf(stderr, "capsim: wrote %s/%s\n", opt->out_dir, name);
    }
done:
    free(text);
    for (size_t i = 0; i < L.n_parts; i++)
        part_fini(&L.parts[i]);
    free(L.parts);
    lesson_index_fini(&ix);
    return code;
}
