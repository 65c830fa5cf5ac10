/* cli/output.c — the result writers (JSON, table, CSV) and atomic output.
 *
 * Writers walk the report's dotted metric paths, so a new metric appears in every format
 * without touching this file. Everything is rendered into memory first and written in one go
 * (to stdout, or to a temporary file renamed into place), so a failure never leaves a partial
 * output behind. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "sim/rng.h"

/* ---------------------------------------------------------------- JSON */

static json_t *metric_json(const report_metric *m) {
    /* Counts averaged over replications stay integers when they are whole numbers. */
    if (isnan(m->value)) return json_null(); /* nothing behind it: no item completed */
    if (m->kind == REPORT_COUNT && m->value == floor(m->value) && fabs(m->value) < 9e15)
        return json_integer((json_int_t)m->value);
    return json_real(isfinite(m->value) ? m->value : 0.0);
}

/* Sets obj[a][b]... = value for the dotted path "a.b...". */
static int json_set_path(json_t *obj, const char *path, json_t *value) {
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    char *key = buf, *dot;
    while ((dot = strchr(key, '.'))) {
        *dot = '\0';
        json_t *child = json_object_get(obj, key);
        if (!child) {
            child = json_object();
            if (!child || json_object_set_new(obj, key, child)) return -1;
        }
        obj = child;
        key = dot + 1;
    }
    return json_object_set_new(obj, key, value);
}

/* false, or what grows, how fast, and what would fix it. */
static json_t *overload_json(const report_overload *o) {
    if (!o->overloaded) return json_false();
    return json_pack("{s:s, s:f, s:s}", "metric", o->metric, "growth_per_hour",
                     o->growth_per_hour, "hint", o->hint);
}

static json_t *platform_name_json(const report *r, int index) {
    return index < 0 ? json_null() : json_string(r->platforms[index].name);
}

/* {"cheapest": ..., "fastest": ..., "overloaded": [...], "notes": [...]} */
static json_t *comparison_json(const report *r) {
    const report_comparison *c = &r->comparison;
    json_t *overloaded = json_array(), *notes = json_array();
    int rc = !overloaded || !notes;
    for (size_t i = 0; i < r->n_platforms && !rc; i++)
        if (r->platforms[i].overload.overloaded)
            rc |= json_array_append_new(overloaded, json_string(r->platforms[i].name));
    for (size_t i = 0; i < c->n_notes && !rc; i++)
        rc |= json_array_append_new(notes, json_string(c->notes[i]));
    if (rc) {
        json_decref(overloaded);
        json_decref(notes);
        return NULL;
    }
    return json_pack("{s:o, s:o, s:o, s:o}", "cheapest", platform_name_json(r, c->cheapest),
                     "fastest", platform_name_json(r, c->fastest), "overloaded", overloaded,
                     "notes", notes);
}

/* The ci95 object of function NAME (its first nlen characters) in a section's JSON, made on
 * first use (the function's object exists: its values are set before their ci95). */
static json_t *function_ci(json_t *obj, const char *name, int nlen) {
    char key[96];
    snprintf(key, sizeof key, "%.*s", nlen, name);
    json_t *fn = json_object_get(json_object_get(obj, "functions"), key);
    json_t *ci = json_object_get(fn, "ci95");
    if (!ci && fn) {
        ci = json_object();
        if (!ci || json_object_set_new(fn, "ci95", ci)) return NULL;
    }
    return ci;
}

static json_t *section_json(const report_section *sec, bool with_ci) {
    json_t *obj = json_object();
    json_t *ci = with_ci ? json_object() : NULL;
    if (!obj || (with_ci && !ci)) goto fail;
    for (size_t i = 0; i < sec->n; i++) {
        const report_metric *m = &sec->metrics[i];
        if (json_set_path(obj, m->path, metric_json(m))) goto fail;
        if (!ci || !m->has_ci) continue;
        /* A function of an account (functions.NAME.PATH) has its own ci95, like a section. */
        const char *name = strncmp(m->path, "functions.", 10) == 0 ? m->path + 10 : NULL;
        const char *dot = name ? strchr(name, '.') : NULL;
        if (dot) {
            json_t *fn_ci = function_ci(obj, name, (int)(dot - name));
            if (!fn_ci || json_object_set_new(fn_ci, dot + 1, json_real(m->ci95))) goto fail;
            continue;
        }
        if (json_object_set_new(ci, m->path, json_real(m->ci95))) goto fail;
    }
    if (sec->note[0] && json_object_set_new(obj, "note", json_string(sec->note))) goto fail;
    if (with_ci && json_object_set_new(obj, "overloaded", overload_json(&sec->overload)))
        goto fail;
    if (ci && json_object_set_new(obj, "ci95", ci)) goto fail;
    return obj;
fail:
    json_decref(obj);
    json_decref(ci);
    return NULL;
}

char *cli_render_json(const scenario *s, const report *r) {
    json_t *root = json_object(), *platforms = json_object();
    json_t *wl = section_json(&r->workload, false);
    char *text = NULL;
    if (!root || !platforms || !wl) goto done;
    int rc = 0;
    rc |= json_object_set_new(root, "capsim", json_string(CAPSIM_VERSION));
    /* The random-number contract: the same seed reproduces these numbers only under it. */
    rc |= json_object_set_new(root, "rng", json_string(SIM_RNG_NAME));
    rc |= json_object_set_new(root, "scenario", json_string(s->name));
    rc |= json_object_set_new(root, "seed", json_integer((json_int_t)s->seed));
    rc |= json_object_set_new(root, "replications", json_integer((json_int_t)s->replications));
    rc |= json_object_set_new(root, "horizon_s", json_real(sim_time_to_s(s->horizon_us)));
    rc |= json_object_set_new(root, "warmup_s", json_real(sim_time_to_s(s->warmup_us)));
    rc |= json_object_set(root, "workload", wl);
    for (size_t i = 0; i < r->n_platforms && !rc; i++) {
        json_t *p = section_json(&r->platforms[i], true);
        rc |= !p || json_object_set_new(platforms, r->platforms[i].name, p);
    }
    rc |= json_object_set(root, "platforms", platforms);
    if (!rc && r->n_platforms > 0) {
        json_t *cmp = comparison_json(r);
        rc |= !cmp || json_object_set_new(root, "comparison", cmp);
    }
    if (!rc && r->warnings.count > 0) {
        json_t *w = json_array();
        rc |= !w || json_object_set_new(root, "warnings", w);
        for (size_t i = 0; i < r->warnings.count && !rc; i++)
            rc |= json_array_append_new(w, json_string(r->warnings.entries[i].text));
    }
    if (!rc) text = cli_json_text(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
done:
    json_decref(wl);
    json_decref(platforms);
    json_decref(root);
    return text;
}

char *cli_json_text(struct json_t *root, size_t flags) {
    char *text = json_dumps(root, flags);
    if (!text) return NULL;
    /* json_dumps leaves no final newline; writers print lines. */
    size_t len = strlen(text);
    char *out = realloc(text, len + 2);
    if (!out) {
        free(text);
        return NULL;
    }
    out[len] = '\n';
    out[len + 1] = '\0';
    return out;
}

/* ---------------------------------------------------------------- table */

static void put_line(FILE *f, const char *line);

/* The table's width: a terminal's default. */
#define TABLE_WIDTH 80

static void format_value(char *buf, size_t len, const report_metric *m) {
    double v = m->value;
    if (isnan(v)) snprintf(buf, len, "-"); /* nothing behind it */
    else if (m->kind == REPORT_COUNT && v == floor(v)) snprintf(buf, len, "%.0f", v);
    else if (m->kind == REPORT_COUNT) snprintf(buf, len, "%.1f", v);
    else if (strncmp(m->path, "cost_usd", 8) == 0 && fabs(v) >= 1.0) snprintf(buf, len, "%.2f", v);
    else snprintf(buf, len, "%.4g", v); /* small dollar amounts keep 4 significant digits */
}

/* Display columns of UTF-8 text (the table uses "·" and "±"). */
static int display_width(const char *text, size_t len) {
    int cols = 0;
    for (size_t i = 0; i < len; i++) cols += ((unsigned char)text[i] & 0xC0) != 0x80;
    return cols;
}

/* Prints `first`, then text word-wrapped to `width` columns, lines after the first indented
 * by `indent`. */
static void print_wrapped_indent(FILE *f, const char *first, const char *text, int width,
                                 int indent) {
    int col = display_width(first, strlen(first)), start = col;
    fputs(first, f);
    const char *p = text;
    while (*p) {
        while (*p == ' ') p++;
        size_t word = strcspn(p, " ");
        if (word == 0) break;
        int word_cols = display_width(p, word);
        if (col > start && col + 1 + word_cols > width) {
            fprintf(f, "\n%*s", indent, "");
            col = start = indent;
        } else if (col > start) {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, word, f);
        col += word_cols;
        p += word;
    }
    fputc('\n', f);
}

/* Prints text word-wrapped to `width` columns, every line after the first indented as far as
 * `first` is long. */
static void print_wrapped(FILE *f, const char *first, const char *text, int width) {
    print_wrapped_indent(f, first, text, width, display_width(first, strlen(first)));
}

/* The scenario's lesson (SCENARIO-FORMAT.md: "shown with the results"), reflowed to the table's
 * width: the question, then the explanation to read the numbers with. */
static void table_lesson(FILE *f, const scenario *s) {
    const scn_lesson *l = &s->lesson;
    if (!l->present || (!l->question && !l->explain)) return;
    char head[96];
    snprintf(head, sizeof head, "\nlesson%s%s%s: ", l->topic ? " (" : "", l->topic ? l->topic : "",
             l->topic ? ")" : "");
    fputs("\n", f);
    if (l->question) print_wrapped(f, head + 1, l->question, TABLE_WIDTH);
    if (l->explain) {
        char *text = strdup(l->explain);
        if (!text) return;
        for (char *c = text; *c; c++)
            if (*c == '\n' || *c == '\t') *c = ' ';
        print_wrapped(f, "  ", text, TABLE_WIDTH);
        free(text);
    }
}

static void format_usd(char *buf, size_t len, double usd);
static void format_latency(char *buf, size_t len, double s);
static void format_count(char *buf, size_t len, double v);

/* The functions of an account, one line each (their every metric is in JSON and CSV). */
#define TABLE_MAX_FUNCTIONS 20
static void table_functions(FILE *f, const report_section *sec) {
    size_t shown = 0, total = 0;
    char line[160];
    for (size_t i = 0; i < sec->n; i++) {
        const char *path = sec->metrics[i].path;
        const char *name = path + 10, *dot;
        size_t len = strlen(path);
        if (strncmp(path, "functions.", 10) != 0 || !(dot = strchr(name, '.')) ||
            strcmp(dot, ".items") != 0 || len >= 96)
            continue;
        if (total++ == 0) {
            snprintf(line, sizeof line, "  %-20s %11s %8s %9s %10s %11s", "functions", "invocations",
                     "cold", "throttled", "p99", "cost");
            put_line(f, line);
        }
        if (shown == TABLE_MAX_FUNCTIONS) continue;
        shown++;
        char key[128], inv[32], cold[24], thr[24], p99[24], cost[24];
        int nlen = (int)(dot - name);
#define FN_VALUE(suffix) \
    (snprintf(key, sizeof key, "functions.%.*s.%s", nlen, name, suffix), \
     report_value(sec, key, NAN))
        double jobs = FN_VALUE("jobs");
        if (!isnan(jobs)) { /* a Glue or EMR stage: its job runs; no cold starts or throttles */
            char runs[16];
            format_count(runs, sizeof runs, jobs);
            snprintf(inv, sizeof inv, "%s job%s", runs, jobs == 1 ? "" : "s");
            snprintf(cold, sizeof cold, "-");
            snprintf(thr, sizeof thr, "-");
        } else {
            format_count(inv, sizeof inv, FN_VALUE("invocations"));
            snprintf(cold, sizeof cold, "%.2f %%", 100.0 * FN_VALUE("cold_start_ratio"));
            snprintf(thr, sizeof thr, "%.2f %%", 100.0 * FN_VALUE("throttle_ratio"));
        }
        format_latency(p99, sizeof p99, FN_VALUE("latency_s.p99"));
        format_usd(cost, sizeof cost, FN_VALUE("cost_usd.total"));
#undef FN_VALUE
        snprintf(line, sizeof line, "  %-20.*s %11s %8s %9s %10s %11s", nlen > 20 ? 20 : nlen, name,
                 inv, cold, thr, p99, cost);
        put_line(f, line);
    }
    if (total > shown) {
        snprintf(line, sizeof line,
                 "  ... and %zu more functions (--format json or csv has them all)", total - shown);
        put_line(f, line);
    }
}

static void table_section(FILE *f, const report_section *sec) {
    char group[64] = "";
    bool functions = false;
    for (size_t i = 0; i < sec->n; i++) {
        const report_metric *m = &sec->metrics[i];
        if (strncmp(m->path, "functions.", 10) == 0) {
            functions = true;
            continue;
        }
        const char *dot = strchr(m->path, '.');
        const char *label = m->path;
        if (dot) {
            size_t glen = (size_t)(dot - m->path);
            if (strlen(group) != glen || strncmp(group, m->path, glen) != 0) {
                snprintf(group, sizeof group, "%.*s", (int)glen, m->path);
                fprintf(f, "  %s\n", group);
            }
            label = dot + 1;
        } else {
            group[0] = '\0';
        }
        char value[32], ci[40] = "";
        format_value(value, sizeof value, m);
        if (m->has_ci && !isnan(m->value)) {
            report_metric c = *m;
            c.value = m->ci95;
            c.kind = REPORT_REAL;
            char cv[32];
            format_value(cv, sizeof cv, &c);
            snprintf(ci, sizeof ci, "± %s", cv);
        }
        char line[224]; /* the label is a path (report_metric.path) */
        snprintf(line, sizeof line, "  %s%-*s %16s  %s", dot ? "  " : "", dot ? 26 : 28, label,
                 value, ci);
        put_line(f, line);
    }
    if (functions) table_functions(f, sec);
    if (sec->overload.overloaded) {
        char what[160];
        const report_overload *o = &sec->overload;
        size_t mlen = strlen(o->metric);
        bool seconds = mlen > 2 && strcmp(o->metric + mlen - 2, "_s") == 0;
        snprintf(what, sizeof what, "yes: %s grows by %.0f%s per hour (see the comparison's notes)",
                 o->metric, o->growth_per_hour, seconds ? " s" : "");
        print_wrapped(f, "  overloaded: ", what, TABLE_WIDTH);
    }
    if (sec->note[0]) print_wrapped(f, "  note: ", sec->note, TABLE_WIDTH);
}

/* A platform's configuration in one line (wrapped at the table's width, continued indented). */
static void lambda_heading(char *buf, size_t len, const scenario *s) {
    static const char *const arch[] = {"x86_64", "arm64"};
    static const char *const trig[] = {"sync", "async", "s3", "eventbridge", "kinesis", "sqs"};
    const scn_lambda *L = &s->lambda;
    if (s->functions_present) {
        /* An account: its functions' own configurations are in the table of functions. */
        int64_t reserved = 0;
        size_t stages = 0;
        for (size_t i = 0; i < s->n_functions; i++) {
            const scn_function *fn = &s->functions[i];
            if (fn->platform != SCN_STAGE_LAMBDA) stages++;
            else if (fn->lambda.reserved > 0) reserved += fn->lambda.reserved;
        }
        size_t lambdas = s->n_functions - stages;
        char with[48] = "";
        if (stages)
            snprintf(with, sizeof with, " and %zu Glue or EMR stage%s", stages,
                     stages == 1 ? "" : "s");
        snprintf(buf, len, "lambda: an account of %zu function%s%s, concurrency limit %lld "
                 "(%lld reserved)%s", lambdas, lambdas == 1 ? "" : "s", with,
                 (long long)s->account_limit, (long long)reserved,
                 s->from_trace.present ? ", one per trace row" : "");
        return;
    }
    char timeout[32], provisioned[48] = "";
    scenario_format_duration(timeout, sizeof timeout, L->timeout_us);
    if (L->provisioned > 0)
        snprintf(provisioned, sizeof provisioned, ", %lld provisioned", (long long)L->provisioned);
    snprintf(buf, len, "lambda: %lld MB, %s, trigger %s, timeout %s%s", (long long)L->memory_mb,
             arch[L->architecture], trig[L->trigger], timeout, provisioned);
}

static void trigger_text(char *buf, size_t len, const scn_batch_trigger *t) {
    char every[32] = "";
    if (t->every_us > 0) scenario_format_duration(every, sizeof every, t->every_us);
    if (t->every_us > 0 && t->batch_items > 0)
        snprintf(buf, len, "every %s or %lld items", every, (long long)t->batch_items);
    else if (t->every_us > 0) snprintf(buf, len, "every %s", every);
    else snprintf(buf, len, "every %lld items", (long long)t->batch_items);
}

static void glue_heading(char *buf, size_t len, const scenario *s) {
    static const char *const worker[] = {"G.025X", "G.1X", "G.2X", "G.4X", "G.8X"};
    const scn_glue *G = &s->glue;
    char trigger[96];
    trigger_text(trigger, sizeof trigger, &G->trigger);
    if (G->job_type == SCN_GLUE_PYTHON_SHELL) {
        snprintf(buf, len, "glue: %s, Python shell on %g DPU, trigger %s", G->version,
                 G->python_shell_dpu, trigger);
        return;
    }
    snprintf(buf, len, "glue: %s, %lld x %s (%g DPU), %s, trigger %s, efficiency %g", G->version,
             (long long)G->workers, worker[G->worker_type], (double)G->workers * G->dpu_per_worker,
             G->execution_class == SCN_EXEC_FLEX ? "flex" : "standard", trigger, G->efficiency);
}

static void emr_heading(char *buf, size_t len, const scenario *s) {
    const scn_emr *E = &s->emr;
    char trigger[96];
    trigger_text(trigger, sizeof trigger, &E->trigger);
    if (E->deployment == SCN_EMR_SERVERLESS)
        snprintf(buf, len, "emr: serverless, %lld workers x %g vCPU / %g GB, %lld pre-initialized, "
                 "trigger %s, efficiency %g", (long long)E->sl_workers, E->sl_vcpu,
                 E->sl_memory_gb, (long long)E->sl_pre_initialized, trigger, E->efficiency);
    else
        snprintf(buf, len, "emr: ec2 %s, %lld core + 1 primary %s, trigger %s, efficiency %g",
                 E->mode == SCN_EMR_TRANSIENT ? "transient" : "persistent",
                 (long long)E->core_nodes, E->instance_type, trigger, E->efficiency);
}

/* ---------------------------------------------------------------- comparison */

/* Dollars with enough digits that every figure shows: cents from $1 up, four decimals down to
 * a cent, then three significant digits (no "$0.0000" for a small but real cost). */
static void format_usd(char *buf, size_t len, double usd) {
    double a = fabs(usd);
    if (isnan(usd)) snprintf(buf, len, "-");
    else if (usd == 0.0) snprintf(buf, len, "$0");
    else if (a >= 1.0) snprintf(buf, len, "$%.2f", usd);
    else if (a >= 0.01) snprintf(buf, len, "$%.4f", usd);
    else if (a >= 1e-6) snprintf(buf, len, "$%.*f", 2 - (int)floor(log10(a)), usd);
    else snprintf(buf, len, "$%.2e", usd);
}

/* Seconds in the unit a reader compares at a glance: s, min or h; "-" when nothing completed. */
static void format_latency(char *buf, size_t len, double s) {
    if (isnan(s)) snprintf(buf, len, "-");
    else if (s < 10.0) snprintf(buf, len, "%.3f s", s);
    else if (s < 120.0) snprintf(buf, len, "%.1f s", s);
    else if (s < 7200.0) snprintf(buf, len, "%.1f min", s / 60.0);
    else snprintf(buf, len, "%.1f h", s / 3600.0);
}

static void format_count(char *buf, size_t len, double v) {
    if (v == floor(v)) snprintf(buf, len, "%.0f", v);
    else snprintf(buf, len, "%.1f", v);
}

/* Prints a line without its trailing blanks. */
static void put_line(FILE *f, const char *line) {
    size_t len = strlen(line);
    while (len > 0 && line[len - 1] == ' ') len--;
    fprintf(f, "%.*s\n", (int)len, line);
}

/* The whole bill side by side, when the scenario prices services around the compute
 * (models/services.h): each platform's own charges, each service's line, and declared capacity
 * apart from usage. */
static void table_cost_lines(FILE *f, const report *r) {
    static const char *const services[] = {"kinesis", "sqs", "s3", "step_functions", "logs"};
    enum { N_SERVICES = sizeof services / sizeof services[0] };
    bool shown[N_SERVICES] = {false}, any = false;
    char path[48], line[256], cell[32];
    for (size_t k = 0; k < N_SERVICES; k++) {
        snprintf(path, sizeof path, "cost_usd.%s", services[k]);
        for (size_t i = 0; i < r->n_platforms; i++)
            shown[k] = shown[k] || report_section_find(&r->platforms[i], path) != NULL;
        any = any || shown[k];
    }
    if (!any) return;
    int used = snprintf(line, sizeof line, "  %-16s", "cost breakdown");
    for (size_t i = 0; i < r->n_platforms; i++)
        used += snprintf(line + used, sizeof line - (size_t)used, " %12s", r->platforms[i].name);
    put_line(f, line);
    for (size_t k = 0; k <= N_SERVICES + 2; k++) {
        const char *label = k == 0 ? "own charges"
                            : k <= N_SERVICES ? services[k - 1]
                            : k == N_SERVICES + 1 ? "= capacity"
                                                  : "+ usage";
        if (k >= 1 && k <= N_SERVICES && !shown[k - 1]) continue;
        used = snprintf(line, sizeof line, "    %-14s", label);
        for (size_t i = 0; i < r->n_platforms; i++) {
            const report_section *sec = &r->platforms[i];
            double v;
            if (k == 0) {
                v = report_value(sec, "cost_usd.total", NAN);
                for (size_t j = 0; j < N_SERVICES; j++) {
                    snprintf(path, sizeof path, "cost_usd.%s", services[j]);
                    v -= report_value(sec, path, 0.0);
                }
            } else {
                snprintf(path, sizeof path, "cost_usd.%s",
                         k <= N_SERVICES ? services[k - 1]
                         : k == N_SERVICES + 1 ? "capacity"
                                               : "usage");
                v = report_value(sec, path, NAN);
            }
            format_usd(cell, sizeof cell, v);
            used += snprintf(line + used, sizeof line - (size_t)used, " %12s", cell);
        }
        put_line(f, line);
    }
}

/* The side-by-side answer: one row per platform, then the verdict — the cheapest and the
 * fastest among the platforms that completed every item and keep up (report_compare) — and the
 * notes. Fits TABLE_WIDTH columns. Costs per item are per 1,000 items, or per million when
 * every platform's is below a cent per 1,000. */
static void table_comparison(FILE *f, const scenario *s, const report *r) {
    if (r->n_platforms == 0) return;
    const report_comparison *c = &r->comparison;
    char horizon[32], month[32];
    scenario_format_duration(horizon, sizeof horizon, s->horizon_us);
    scenario_format_duration(month, sizeof month, s->pricing.month_us);
    double per_items = 1.0; /* per_1k_items x this */
    bool tiny = true;
    for (size_t i = 0; i < r->n_platforms; i++)
        tiny = tiny && !(fabs(report_value(&r->platforms[i], "cost_usd.per_1k_items", 0)) >= 0.01);
    if (tiny) per_items = 1000.0;
    if (s->replications > 1)
        fprintf(f, "\ncomparison (means over %lld replications)\n", (long long)s->replications);
    else
        fprintf(f, "\ncomparison\n");
    char line[256], in_month[40];
    snprintf(in_month, sizeof in_month, "(%s)", month);
    snprintf(line, sizeof line, "  %-8s %9s %10s %9s %8s %9s %10s %7s", "platform", "cost for",
             "per month", tiny ? "per 1M" : "per 1k", "p50", "p99", "completed", "failed");
    put_line(f, line);
    snprintf(line, sizeof line, "  %-8s %9s %10s %9s %8s %9s", "", horizon, in_month, "items",
             "latency", "latency");
    put_line(f, line);
    for (size_t i = 0; i < r->n_platforms; i++) {
        const report_section *sec = &r->platforms[i];
        char total[24], per_month[28], per_k[24], p50[24], p99[24], completed[24], failed[24];
        format_usd(total, sizeof total, report_value(sec, "cost_usd.total", NAN));
        format_usd(per_month, sizeof per_month, report_value(sec, "cost_usd.per_month", NAN));
        if (c->month_assumed) strcat(per_month, "*");
        format_usd(per_k, sizeof per_k, report_value(sec, "cost_usd.per_1k_items", NAN) * per_items);
        double items = report_value(sec, "items", 0), done = report_value(sec, "completed", 0);
        format_latency(p50, sizeof p50, report_item_latency(sec, "p50", NAN));
        format_latency(p99, sizeof p99, report_item_latency(sec, "p99", NAN));
        format_count(completed, sizeof completed, done);
        format_count(failed, sizeof failed, items - done);
        snprintf(line, sizeof line, "  %-8s %9s %10s %9s %8s %9s %10s %7s", sec->name, total,
                 per_month, per_k, p50, p99, completed, failed);
        put_line(f, line);
    }
    table_cost_lines(f, r);
    /* The verdict. */
    char verdict[256] = "", overloaded[96] = "";
    for (size_t i = 0; i < r->n_platforms; i++) {
        if (!r->platforms[i].overload.overloaded) continue;
        size_t used = strlen(overloaded);
        snprintf(overloaded + used, sizeof overloaded - used, "%s%s", used ? ", " : "",
                 r->platforms[i].name);
    }
    if (c->cheapest < 0 && c->fastest < 0)
        snprintf(verdict, sizeof verdict, "no platform completed every item and kept up");
    else
        snprintf(verdict, sizeof verdict, "cheapest: %s · fastest: %s",
                 c->cheapest >= 0 ? r->platforms[c->cheapest].name : "-",
                 c->fastest >= 0 ? r->platforms[c->fastest].name : "-");
    if (overloaded[0]) {
        size_t used = strlen(verdict);
        snprintf(verdict + used, sizeof verdict - used, " · overloaded: %s", overloaded);
    }
    print_wrapped(f, "  ", verdict, TABLE_WIDTH);
    bool pipeline = false;
    for (size_t i = 0; i < r->n_platforms; i++)
        pipeline |= report_section_find(&r->platforms[i], "end_to_end_latency_s.p99") != NULL;
    char legend[512];
    snprintf(legend, sizeof legend,
             "failed: items not completed (errors, timeouts, throttled requests). cheapest "
             "(lowest cost) and fastest (lowest p99 latency) are chosen among the platforms that "
             "completed every item and keep up. Latency: from an item's arrival until it is "
             "processed%s.",
             pipeline ? "; through a pipeline, until its last stage is done (end_to_end_latency_s)"
                      : "");
    print_wrapped(f, "  ", legend, TABLE_WIDTH);
    for (size_t i = 0; i < c->n_notes; i++) print_wrapped(f, "  note: ", c->notes[i], TABLE_WIDTH);
}

char *cli_render_table(const scenario *s, const report *r) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    char horizon[32], warmup[32];
    scenario_format_duration(horizon, sizeof horizon, s->horizon_us);
    scenario_format_duration(warmup, sizeof warmup, s->warmup_us);
    fprintf(f, "capsim %s · %s\nseed %llu · %lld replication%s · horizon %s · warmup %s\n",
            CAPSIM_VERSION, s->name, (unsigned long long)s->seed, (long long)s->replications,
            s->replications == 1 ? "" : "s", horizon, warmup);
    fprintf(f, "(values are means over replications; ± is the 95 %% confidence half-width)\n\n");
    fprintf(f, "workload\n");
    table_section(f, &r->workload);
    for (size_t i = 0; i < r->n_platforms; i++) {
        fprintf(f, "\n");
        const char *name = r->platforms[i].name;
        char heading[256];
        if (strcmp(name, "lambda") == 0) lambda_heading(heading, sizeof heading, s);
        else if (strcmp(name, "glue") == 0) glue_heading(heading, sizeof heading, s);
        else if (strcmp(name, "emr") == 0) emr_heading(heading, sizeof heading, s);
        else snprintf(heading, sizeof heading, "%s", name);
        print_wrapped_indent(f, "", heading, TABLE_WIDTH, 2);
        table_section(f, &r->platforms[i]);
    }
    table_comparison(f, s, r);
    table_lesson(f, s);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* ---------------------------------------------------------------- CSV */

static void csv_section(FILE *f, const char *name, const report_section *sec) {
    for (size_t i = 0; i < sec->n; i++) {
        const report_metric *m = &sec->metrics[i];
        fprintf(f, "%s,%s,", name, m->path);
        if (!isnan(m->value)) fprintf(f, "%.10g", m->value); /* empty: nothing behind it */
        fprintf(f, ",");
        if (m->has_ci && !isnan(m->value)) fprintf(f, "%.10g", m->ci95);
        fprintf(f, "\n");
    }
    if (strcmp(name, "workload") == 0) return;
    fprintf(f, "%s,overloaded,%d,\n", name, sec->overload.overloaded);
    if (sec->overload.overloaded)
        fprintf(f, "%s,overload.%s.growth_per_hour,%.10g,\n", name, sec->overload.metric,
                sec->overload.growth_per_hour);
}

char *cli_render_csv(const scenario *s, const report *r) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    fprintf(f, "platform,metric,value,ci95\n");
    csv_section(f, "workload", &r->workload);
    for (size_t i = 0; i < r->n_platforms; i++) csv_section(f, r->platforms[i].name, &r->platforms[i]);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* ---------------------------------------------------------------- output */

int cli_emit(const char *dir, const char *name, const char *text) {
    size_t len = strlen(text);
    int stop = cli_interrupted();
    if (stop) return stop;
    if (!dir) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "capsim: cannot write to standard output: %s\n", strerror(errno));
            return CLI_EXIT_IO;
        }
        return CLI_EXIT_OK;
    }
    char path[4096], tmp[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, name);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "capsim: cannot write %s: %s\n", path, strerror(errno));
        return CLI_EXIT_IO;
    }
    errno = 0;
    cli_interrupt_guard_file(tmp); /* a second Ctrl-C removes it (interrupt.c) */
    fchmod(fd, 0644); /* mkstemp makes 0600; results are ordinary files */
    FILE *f = fdopen(fd, "w");
    bool ok = f && fwrite(text, 1, len, f) == len;
    ok = (f ? fclose(f) == 0 : (close(fd), false)) && ok;
    stop = ok ? cli_interrupted() : 0;
    if (ok && !stop && rename(tmp, path) == 0) {
        cli_interrupt_guard_file(NULL);
        return CLI_EXIT_OK;
    }
    bool oom = !stop && errno == ENOMEM; /* fdopen or a stream buffer: not an I/O error */
    if (oom) fprintf(stderr, "capsim: out of memory while writing %s\n", path);
    else if (!stop) fprintf(stderr, "capsim: cannot write %s: %s\n", path, strerror(errno));
    unlink(tmp);
    cli_interrupt_guard_file(NULL);
    return stop ? stop : oom ? CLI_EXIT_RUNTIME : CLI_EXIT_IO;
}

/* ---------------------------------------------------------------- shared with the sweep writers
 * (cli/sweep_output.c): the run writers' own pieces, so that a sweep's point reads exactly like
 * a run's. Wrappers only, so this file's writers stay as they are. */

json_t *cli_section_json(const report_section *sec, bool with_ci) { return section_json(sec, with_ci); }
void cli_format_usd(char *buf, size_t len, double usd) { format_usd(buf, len, usd); }
void cli_format_latency(char *buf, size_t len, double s) { format_latency(buf, len, s); }
void cli_format_count(char *buf, size_t len, double v) { format_count(buf, len, v); }
void cli_print_wrapped(FILE *f, const char *first, const char *text, int width) {
    print_wrapped(f, first, text, width);
}
