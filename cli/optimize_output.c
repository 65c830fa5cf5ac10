/* cli/optimize_output.c — the table and JSON of `capsim optimize` (see optimize.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/optimize.h"
#include "cli/sweep.h"
#include "sim/stats.h"
#include "sim/time.h"

enum { WIDTH = 80 };

/* ---------------------------------------------------------------- pieces */

static void format_metric(char *buf, size_t len, const char *metric, double v)
{
    goal_format_value(buf, len, goal_metric_unit(metric), v);
}

/* "lambda.memory=1536MB, lambda.concurrency.provisioned=6"; a platform not varied: its
 * setting in the scenario. */
static void point_text(char *buf, size_t len, const optimize_platform *pf, size_t point)
{
    size_t at = 0;
    buf[0] = '\0';
    if (pf->n_axes == 0) {
        snprintf(buf, len, "as in the scenario");
        return;
    }
    for (size_t j = 0; j < pf->n_axes && at < len; j++)
        at += (size_t)snprintf(buf + at, len - at, "%s%s=%s", j ? ", " : "",
                               pf->grid->axes[j].key, optimize_value(pf, point, j));
}

/* "lambda with lambda.memory=1536MB, ..." or "glue as in the scenario". */
static void config_text(char *buf, size_t len, const optimize_platform *pf, size_t point)
{
    int at = snprintf(buf, len, "%s%s", pf->name, pf->n_axes ? " with " : " ");
    if (at > 0 && (size_t)at < len) point_text(buf + at, len - (size_t)at, pf, point);
}

/* A shell word: as it is when it has only safe characters, else in single quotes. */
static void shell_word(FILE *f, const char *w)
{
    if (w[strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/:=+-%,")]
        == '\0') {
        fputs(w, f);
        return;
    }
    fputc('\'', f);
    for (; *w; w++) {
        if (*w == '\'') fputs("'\\''", f);
        else fputc(*w, f);
    }
    fputc('\'', f);
}

/* "--set lambda.memory=1536MB --set ..." (malloc'ed). */
static char *set_args(const optimize_platform *pf, size_t point)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    for (size_t j = 0; j < pf->n_axes; j++) {
        char arg[1024];
        snprintf(arg, sizeof arg, "%s=%s", pf->grid->axes[j].key, optimize_value(pf, point, j));
        fprintf(f, "%s--set ", j ? " " : "");
        shell_word(f, arg);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The --set arguments, on one line when they fit, else one per line joined by " \\", so that
 * they can be pasted into a shell as they are. */
static void print_sets(FILE *f, const char *sets)
{
    if (strlen(sets) + 2 <= WIDTH) {
        fprintf(f, "  %s\n", sets);
        return;
    }
    fputs("  ", f);
    for (const char *p = sets; *p; p++) {
        if (p != sets && strncmp(p, " --set ", 7) == 0) fputs(" \\\n  ", f), p++;
        fputc(*p, f);
    }
    fputc('\n', f);
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The point's keys as YAML, nested by their dotted paths, each line after `indent` (malloc'ed). */
static char *yaml_snippet(const optimize_platform *pf, size_t point, const char *indent)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    const char **keys = calloc(pf->n_axes ? pf->n_axes : 1, sizeof *keys);
    if (!f || !keys) {
        if (f) fclose(f);
        free(buf);
        free(keys);
        return NULL;
    }
    for (size_t j = 0; j < pf->n_axes; j++) keys[j] = pf->grid->axes[j].key;
    qsort(keys, pf->n_axes, sizeof *keys, key_cmp); /* keys sharing a map come together */
    const char *prev = "";
    for (size_t k = 0; k < pf->n_axes; k++) {
        const char *key = keys[k];
        size_t j = 0;
        while (strcmp(pf->grid->axes[j].key, key) != 0) j++;
        /* the parts already opened by the previous key */
        size_t common = 0, depth = 0;
        for (size_t i = 0; key[i] && key[i] == prev[i]; i++)
            if (key[i] == '.') {
                common = i + 1;
                depth++;
            }
        const char *part = key + common;
        for (;;) {
            const char *dot = strchr(part, '.');
            fprintf(f, "%s%*s%.*s:", indent, (int)(2 * depth), "",
                    dot ? (int)(dot - part) : (int)strlen(part), part);
            if (!dot) break;
            fputc('\n', f);
            part = dot + 1;
            depth++;
        }
        fprintf(f, " %s\n", optimize_value(pf, point, j));
        prev = key;
    }
    free(keys);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Why a simulated point does not meet the goals: "latency_s.p99 2.31 s, the goal <= 2 s". */
static void why_not(char *buf, size_t len, const optimize *o, const optimize_eval *e)
{
    char v[48], t[48];
    if (e->verdict >= 0) {
        const goal *g = &o->goals[e->verdict];
        format_metric(v, sizeof v, g->metric, e->goal_values[e->verdict]);
        format_metric(t, sizeof t, g->metric, g->value);
        snprintf(buf, len, "%s %s, the goal %s %s", g->metric, v, goal_op_text(g->op), t);
    } else if (e->verdict == GOAL_OVERLOADED) {
        snprintf(buf, len, "overloaded (it does not keep up with the workload)");
    } else if (e->verdict == GOAL_LOST_ITEMS) {
        snprintf(buf, len, "%.4g items not completed (failed or dropped) per horizon", e->lost);
    } else {
        snprintf(buf, len, "no %s in its results", o->objective);
    }
}

static const optimize_eval *eval_of(const optimize *o, struct optimize_ref r)
{
    return o->platforms[r.platform].evals[r.point];
}

/* The platform's best point meeting the goals, or NULL. */
static const optimize_eval *platform_best(const optimize *o, size_t k)
{
    for (size_t i = 0; i < o->n_ranked; i++)
        if (o->ranked[i].platform == k) return eval_of(o, o->ranked[i]);
    return NULL;
}

/* The platform's point closest to meeting the goals: not overloaded, then not losing items,
 * then the fewest goals missed, then the smallest relative miss. */
static const optimize_eval *platform_closest(const optimize *o, size_t k)
{
    const optimize_platform *pf = &o->platforms[k];
    const optimize_eval *best = NULL;
    double best_score = INFINITY;
    for (size_t i = 0; i < o->n_simulated; i++) {
        if (o->order[i].platform != k) continue;
        const optimize_eval *e = pf->evals[o->order[i].point];
        double score = e->verdict == GOAL_OVERLOADED ? 3e6 : e->verdict == GOAL_LOST_ITEMS ? 2e6 : 0;
        for (size_t g = 0; g < o->n_goals; g++) {
            double v = e->goal_values[g], t = o->goals[g].value;
            if (isnan(v) && pf->goal_metrics[g]) score += 1e3;
            else if (!isnan(v) && !goal_holds(&o->goals[g], v))
                score += 1e3 + fabs(v - t) / (fabs(t) > 1e-12 ? fabs(t) : 1e-12);
        }
        if (score < best_score) {
            best_score = score;
            best = e;
        }
    }
    return best;
}

/* The simulated point missing a goal whose objective is below the best's and closest to it:
 * the next cheaper configuration, and why it was not chosen. */
static struct optimize_ref next_cheaper(const optimize *o, double best, bool *found)
{
    struct optimize_ref out = {0, 0};
    *found = false;
    for (size_t i = 0; i < o->n_simulated; i++) {
        const optimize_eval *e = eval_of(o, o->order[i]);
        if (e->verdict == GOAL_MET || isnan(e->objective) || !(e->objective < best)) continue;
        if (!*found || e->objective > eval_of(o, out)->objective) out = o->order[i];
        *found = true;
    }
    return out;
}

/* The paired difference runner-up minus best over their runs: mean and 95 % half-width (NaN
 * with one run). */
static void paired_difference(const optimize_candidate *best, const optimize_candidate *other,
                              double *mean, double *ci)
{
    size_t n = best->n_runs < other->n_runs ? best->n_runs : other->n_runs;
    double d[OPTIMIZE_MAX_CONFIRM_RUNS + 1] = {0};
    for (size_t k = 0; k < n; k++) d[k] = other->objective[k] - best->objective[k];
    *mean = sim_mean(d, n);
    *ci = n > 1 ? sim_ci_halfwidth(d, n, 0.95) : NAN;
}

static bool is_cost(const optimize *o)
{
    return goal_metric_unit(o->objective) == GOAL_UNIT_USD;
}

static void goal_text(char *buf, size_t len, const goal *g)
{
    char t[48];
    format_metric(t, sizeof t, g->metric, g->value);
    snprintf(buf, len, "%s%s%s %s %s", g->platform, g->platform[0] ? "." : "", g->metric,
             goal_op_text(g->op), t);
}

/* Closes an open_memstream stream and returns its text (NULL on failure). */
static char *close_memstream(FILE *f, char **buf)
{
    if (fclose(f) != 0) {
        free(*buf);
        return NULL;
    }
    return *buf;
}

/* ---------------------------------------------------------------- table */

static void table_candidate_goals(FILE *f, const optimize *o, const optimize_candidate *c)
{
    const optimize_platform *pf = &o->platforms[c->platform];
    for (size_t g = 0; g < o->n_goals; g++) {
        if (!pf->goal_metrics[g] || isnan(c->search->goal_values[g])) continue;
        const goal *gl = &o->goals[g];
        char v[48], t[64], line[256];
        format_metric(v, sizeof v, gl->metric, c->search->goal_values[g]);
        char gt[48];
        format_metric(gt, sizeof gt, gl->metric, gl->value);
        snprintf(t, sizeof t, "goal %s %s", goal_op_text(gl->op), gt);
        snprintf(line, sizeof line, "  %-24s %12s   %s", gl->metric, v, t);
        fprintf(f, "%s\n", line);
    }
}

static void table_confirmation(FILE *f, const optimize *o, const optimize_candidate *c)
{
    char text[1024], m[48], ci[48];
    size_t at = 0;
    if (c->n_runs < 2) {
        cli_print_wrapped(f, "  ", "not confirmed (--confirm-runs 0): the figures are the search "
                          "run's", WIDTH);
        return;
    }
    format_metric(m, sizeof m, o->objective, c->objective_mean);
    format_metric(ci, sizeof ci, o->objective, c->objective_ci95);
    at += (size_t)snprintf(text + at, sizeof text - at,
                           "confirmed over %zu runs (seeds %llu to %llu, %lld replication%s "
                           "each): %s %s ± %s",
                           c->n_runs, (unsigned long long)o->seed,
                           (unsigned long long)((o->seed + c->n_runs - 1) & (uint64_t)INT64_MAX),
                           (long long)o->replications, o->replications == 1 ? "" : "s",
                           o->objective, m, ci);
    const optimize_platform *pf = &o->platforms[c->platform];
    for (size_t g = 0; g < o->n_goals && at < sizeof text; g++) {
        if (!pf->goal_metrics[g] || isnan(c->goal_means[g])) continue;
        format_metric(m, sizeof m, o->goals[g].metric, c->goal_means[g]);
        format_metric(ci, sizeof ci, o->goals[g].metric, c->goal_ci95[g]);
        at += (size_t)snprintf(text + at, sizeof text - at, ", %s %s ± %s", o->goals[g].metric,
                               m, ci);
    }
    if (at < sizeof text)
        snprintf(text + at, sizeof text - at, " (means ± 95 %% half-widths over the runs): %s",
                 c->verdict == GOAL_MET ? "meets every goal" : "does not meet the goals");
    cli_print_wrapped(f, "  ", text, WIDTH);
}

/* Why candidate c failed its confirmation. */
static void confirm_failure(char *buf, size_t len, const optimize *o, const optimize_candidate *c)
{
    if (c->verdict == GOAL_OVERLOADED)
        snprintf(buf, len, "overloaded in %zu of its %zu runs", c->runs_overloaded, c->n_runs);
    else if (c->verdict == GOAL_LOST_ITEMS)
        snprintf(buf, len, "lost items in %zu of its %zu runs", c->runs_losing, c->n_runs);
    else {
        const goal *g = &o->goals[c->verdict];
        char v[48], t[48];
        format_metric(v, sizeof v, g->metric, c->goal_means[c->verdict]);
        format_metric(t, sizeof t, g->metric, g->value);
        snprintf(buf, len, "its mean %s over %zu runs is %s, the goal %s %s", g->metric, c->n_runs,
                 v, goal_op_text(g->op), t);
    }
}

static void table_runner_up(FILE *f, const optimize *o)
{
    const optimize_candidate *b = &o->candidates[o->best];
    char text[1600], where[900], d[48], lo[48], hi[48], v[48];
    if (o->runner_up < 0) {
        snprintf(text, sizeof text, "none: no other configuration simulated meets the goals%s",
                 o->n_candidates > 1 ? " once confirmed" : "");
        cli_print_wrapped(f, "runner-up: ", text, WIDTH);
        return;
    }
    const optimize_candidate *r = &o->candidates[o->runner_up];
    const optimize_platform *pf = &o->platforms[r->platform];
    config_text(where, sizeof where, pf, r->search->point);
    double mean, ci;
    paired_difference(b, r, &mean, &ci);
    format_metric(v, sizeof v, o->objective, r->objective_mean);
    format_metric(d, sizeof d, o->objective, mean);
    size_t at = (size_t)snprintf(text, sizeof text, "%s: %s %s", where, o->objective, v);
    if (r->n_runs < 2) {
        snprintf(text + at, sizeof text - at, "; %s %s in the search run (not confirmed: "
                 "--confirm-runs 0)", d, is_cost(o) ? "more" : "higher");
    } else {
        format_metric(lo, sizeof lo, o->objective, mean - ci);
        format_metric(hi, sizeof hi, o->objective, mean + ci);
        bool sure = ci < fabs(mean);
        snprintf(text + at, sizeof text - at,
                 " over the %zu runs; %s %s%s (95 %% CI %s to %s, paired run by run on the same "
                 "random numbers): %s%s",
                 r->n_runs, is_cost(o) ? "it costs" : "higher by", d, is_cost(o) ? " more" : "",
                 lo, hi,
                 sure ? "the best is better with 95 % confidence"
                      : "the difference is within the noise of these runs, so the two are as "
                        "good as each other at this precision (more --confirm-runs would tell "
                        "them apart)",
                 o->reversed ? "; the confirmation reversed the search's order" : "");
    }
    cli_print_wrapped(f, "runner-up: ", text, WIDTH);
}

static char *render_table(const optimize *o, const scenario *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    char horizon[32], text[2048];
    scenario_format_duration(horizon, sizeof horizon, s->horizon_us);
    fprintf(f, "capsim %s · optimize · %s · seed %llu · %lld replication%s · horizon %s\n",
            CAPSIM_VERSION, s->name, (unsigned long long)o->seed, (long long)o->replications,
            o->replications == 1 ? "" : "s", horizon);
    /* goals */
    size_t at = 0;
    text[0] = '\0';
    for (size_t g = 0; g < o->n_goals && at < sizeof text; g++) {
        char gt[128], only[96] = "";
        goal_text(gt, sizeof gt, &o->goals[g]);
        size_t n_with = 0, n_all = o->n_platforms;
        for (size_t k = 0; k < o->n_platforms; k++) n_with += o->platforms[k].goal_metrics[g];
        if (!o->goals[g].platform[0] && n_with < n_all) {
            size_t oa = (size_t)snprintf(only, sizeof only, " (");
            for (size_t k = 0, i = 0; k < o->n_platforms; k++)
                if (o->platforms[k].goal_metrics[g])
                    oa += (size_t)snprintf(only + oa, sizeof only - oa, "%s%s", i++ ? ", " : "",
                                           o->platforms[k].name);
            snprintf(only + oa, sizeof only - oa, " only)");
        }
        at += (size_t)snprintf(text + at, sizeof text - at, "%s%s; ", gt, only);
    }
    if (at < sizeof text)
        snprintf(text + at, sizeof text - at, "%severy item completed, no platform overloaded",
                 o->n_goals ? "and " : "");
    cli_print_wrapped(f, "goals: ", text, WIDTH);
    fprintf(f, "objective: %s, the lowest\n\n", o->objective);

    if (o->best < 0) {
        snprintf(text, sizeof text, "%s",
                 o->n_ranked == 0 ? "no configuration simulated meets the goals (each "
                                    "platform's closest is below)"
                                  : "no configuration meets the goals once confirmed (below)");
        cli_print_wrapped(f, "best: ", text, WIDTH);
    } else {
        const optimize_candidate *b = &o->candidates[o->best];
        const optimize_platform *pf = &o->platforms[b->platform];
        char v[48];
        format_metric(v, sizeof v, o->objective, b->search->objective);
        fprintf(f, "best: %s, %s %s\n", pf->name, o->objective, v);
        if (pf->n_axes > 0) {
            char *sets = set_args(pf, b->search->point), *yaml = yaml_snippet(pf, b->search->point, "  ");
            if (sets) print_sets(f, sets);
            if (yaml) fprintf(f, "\n%s\n", yaml);
            free(sets);
            free(yaml);
        } else {
            fprintf(f, "  (%s as in the scenario: no --vary names its keys)\n\n", pf->name);
        }
        table_candidate_goals(f, o, b);
        table_confirmation(f, o, b);
        fputc('\n', f);
        table_runner_up(f, o);
    }
    /* candidates that failed their confirmation */
    for (size_t i = 0; i < o->n_candidates; i++) {
        const optimize_candidate *c = &o->candidates[i];
        if (c->verdict == GOAL_MET) continue;
        char where[900], why[256];
        config_text(where, sizeof where, &o->platforms[c->platform], c->search->point);
        confirm_failure(why, sizeof why, o, c);
        snprintf(text, sizeof text, "%s met the goals in the search run, but %s", where, why);
        cli_print_wrapped(f, "not confirmed: ", text, WIDTH);
    }
    if (o->best >= 0) {
        bool found;
        struct optimize_ref r = next_cheaper(o, o->candidates[o->best].search->objective, &found);
        if (found) {
            char where[900], why[256], v[48];
            const optimize_eval *e = eval_of(o, r);
            config_text(where, sizeof where, &o->platforms[r.platform], r.point);
            why_not(why, sizeof why, o, e);
            format_metric(v, sizeof v, o->objective, e->objective);
            snprintf(text, sizeof text, "%s: %s %s, but %s", where, o->objective, v, why);
            cli_print_wrapped(f, is_cost(o) ? "next cheaper, missing a goal: "
                                            : "next better, missing a goal: ",
                              text, WIDTH);
        }
    }
    /* each platform */
    fprintf(f, "\nplatforms:\n");
    for (size_t k = 0; k < o->n_platforms; k++) {
        const optimize_platform *pf = &o->platforms[k];
        const optimize_eval *e = platform_best(o, k);
        char where[900], v[48], first[64];
        snprintf(first, sizeof first, "  %-7s ", pf->name);
        at = (size_t)snprintf(text, sizeof text, "%zu point%s, %zu simulated; ", pf->n_points,
                              pf->n_points == 1 ? "" : "s", pf->n_evaluated);
        if (e) {
            point_text(where, sizeof where, pf, e->point);
            format_metric(v, sizeof v, o->objective, e->objective);
            snprintf(text + at, sizeof text - at, "best %s (%s)", v, where);
        } else if ((e = platform_closest(o, k)) != NULL) {
            char why[256];
            point_text(where, sizeof where, pf, e->point);
            why_not(why, sizeof why, o, e);
            snprintf(text + at, sizeof text - at, "none meets the goals; the closest, %s: %s",
                     where, why);
        }
        cli_print_wrapped(f, first, text, WIDTH);
    }
    /* the search */
    size_t grid = optimize_grid_points(o);
    at = (size_t)snprintf(text, sizeof text,
                          "%zu point%s simulated of the %zu in the platforms' grids (%.0f %%), "
                          "in %zu round%s",
                          o->n_simulated, o->n_simulated == 1 ? "" : "s", grid,
                          grid ? 100.0 * (double)o->n_simulated / (double)grid : 0.0,
                          o->n_rounds, o->n_rounds == 1 ? "" : "s");
    if (o->n_platforms > 1 && at < sizeof text)
        at += (size_t)snprintf(text + at, sizeof text - at,
                               "; a sweep of the same --vary would simulate %.0f",
                               o->sweep_points);
    if (at < sizeof text)
        at += (size_t)snprintf(text + at, sizeof text - at, "; then %zu confirmation run%s.",
                               o->n_confirm_runs, o->n_confirm_runs == 1 ? "" : "s");
    for (size_t pass = 0; pass < 2; pass++) {
        bool first = true;
        for (size_t k = 0; k < o->n_platforms; k++)
            for (size_t j = 0; j < o->platforms[k].n_axes && at < sizeof text; j++) {
                if (o->platforms[k].axes[j].bracketed != (pass == 0)) continue;
                at += (size_t)snprintf(text + at, sizeof text - at, "%s%s",
                                       first ? (pass == 0 ? " Bracketed (meeting the goals "
                                                            "assumed monotone in them, the "
                                                            "objective unimodal): "
                                                          : " Every value tried: ")
                                             : ", ",
                                       o->platforms[k].axes[j].axis->key);
                first = false;
            }
        if (!first && at < sizeof text) at += (size_t)snprintf(text + at, sizeof text - at, ".");
    }
    fputc('\n', f);
    cli_print_wrapped(f, "search: ", text, WIDTH);
    return close_memstream(f, &buf);
}

/* ---------------------------------------------------------------- JSON */

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *values_json(const optimize_platform *pf, size_t point)
{
    json_t *obj = json_object();
    for (size_t j = 0; obj && j < pf->n_axes; j++)
        if (json_object_set_new(obj, pf->grid->axes[j].key,
                                json_string(optimize_value(pf, point, j)))) {
            json_decref(obj);
            return NULL;
        }
    return obj;
}

static const char *verdict_name(int v)
{
    return v == GOAL_MET          ? "meets the goals"
           : v == GOAL_OVERLOADED ? "overloaded"
           : v == GOAL_LOST_ITEMS ? "items not completed"
           : v == GOAL_NO_OBJECTIVE ? "no objective"
                                    : "misses a goal";
}

/* {"platform", "values", "objective", "meets_goals", "reason", "goals": {metric: value}} */
static json_t *eval_json(const optimize *o, size_t k, const optimize_eval *e)
{
    const optimize_platform *pf = &o->platforms[k];
    json_t *goals = json_object();
    for (size_t g = 0; goals && g < o->n_goals; g++)
        if (pf->goal_metrics[g] && !isnan(e->goal_values[g]))
            json_object_set_new(goals, o->goals[g].text, json_real(e->goal_values[g]));
    char why[256] = "";
    if (e->verdict != GOAL_MET) why_not(why, sizeof why, o, e);
    return json_pack("{s s s o s o s b s s s o s o}", "platform", pf->name, "values",
                     values_json(pf, e->point), "objective", num_or_null(e->objective),
                     "meets_goals", e->verdict == GOAL_MET, "verdict", verdict_name(e->verdict),
                     "why_not", e->verdict == GOAL_MET ? json_null() : json_string(why),
                     "goals", goals);
}

static json_t *candidate_json(const optimize *o, const optimize_candidate *c)
{
    const optimize_platform *pf = &o->platforms[c->platform];
    json_t *obj = eval_json(o, c->platform, c->search);
    if (!obj) return NULL;
    char *sets = pf->n_axes ? set_args(pf, c->search->point) : strdup("");
    char *yaml = pf->n_axes ? yaml_snippet(pf, c->search->point, "") : strdup("");
    json_t *goals = json_object(), *seeds = json_array(), *runs = json_array();
    for (size_t g = 0; goals && g < o->n_goals; g++) {
        if (!pf->goal_metrics[g] || isnan(c->search->goal_values[g])) continue;
        json_object_set_new(goals, o->goals[g].text,
                            json_pack("{s o s o s o}", "search", json_real(c->search->goal_values[g]),
                                      "mean", num_or_null(c->goal_means[g]), "ci95",
                                      num_or_null(c->goal_ci95[g])));
    }
    for (size_t r = 0; seeds && runs && r < c->n_runs; r++) {
        json_array_append_new(seeds, json_integer((json_int_t)((o->seed + r) & (uint64_t)INT64_MAX)));
        json_array_append_new(runs, num_or_null(c->objective[r]));
    }
    char why[256] = "";
    if (c->verdict != GOAL_MET) confirm_failure(why, sizeof why, o, c);
    json_object_set_new(obj, "set", json_string(sets ? sets : ""));
    json_object_set_new(obj, "yaml", json_string(yaml ? yaml : ""));
    json_object_set_new(obj, "confirmation",
                        json_pack("{s I s o s o s o s o s o s b s o}", "runs",
                                  (json_int_t)c->n_runs, "seeds", seeds, "objective_runs", runs,
                                  "objective_mean", num_or_null(c->objective_mean),
                                  "objective_ci95", num_or_null(c->objective_ci95), "goals", goals,
                                  "meets_goals", c->verdict == GOAL_MET, "why_not",
                                  c->verdict == GOAL_MET ? json_null() : json_string(why)));
    free(sets);
    free(yaml);
    return obj;
}

static char *render_json(const optimize *o, const scenario *s)
{
    json_t *root = json_object(), *goals = json_array(), *platforms = json_object();
    json_t *simulated = json_array(), *unconfirmed = json_array();
    char *text = NULL;
    if (!root || !goals || !platforms || !simulated || !unconfirmed) goto done;
    json_object_set_new(root, "capsim", json_string(CAPSIM_VERSION));
    json_object_set_new(root, "scenario", json_string(s->name));
    json_object_set_new(root, "seed", json_integer((json_int_t)o->seed));
    json_object_set_new(root, "replications", json_integer((json_int_t)o->replications));
    json_object_set_new(root, "horizon_s", json_real(sim_time_to_s(s->horizon_us)));
    for (size_t g = 0; g < o->n_goals; g++) {
        const goal *gl = &o->goals[g];
        json_t *applies = json_array();
        for (size_t k = 0; applies && k < o->n_platforms; k++)
            if (o->platforms[k].goal_metrics[g])
                json_array_append_new(applies, json_string(o->platforms[k].name));
        json_array_append_new(goals, json_pack("{s s s o s s s s s f s o}", "goal", gl->text,
                                               "platform", gl->platform[0] ? json_string(gl->platform)
                                                                           : json_null(),
                                               "metric", gl->metric, "op", goal_op_text(gl->op),
                                               "value", gl->value, "applies_to", applies));
    }
    json_object_set(root, "goals", goals);
    json_object_set_new(root, "objective", json_pack("{s s s s}", "metric", o->objective, "best",
                                                     "lowest"));
    json_object_set_new(root, "best", o->best >= 0 ? candidate_json(o, &o->candidates[o->best])
                                                   : json_null());
    if (o->runner_up >= 0) {
        const optimize_candidate *b = &o->candidates[o->best], *r = &o->candidates[o->runner_up];
        json_t *ru = candidate_json(o, r);
        double mean, ci;
        paired_difference(b, r, &mean, &ci);
        if (ru)
            json_object_set_new(ru, "difference",
                                json_pack("{s o s o s I s b s b}", "mean", num_or_null(mean),
                                          "ci95", num_or_null(ci), "paired_runs",
                                          (json_int_t)(b->n_runs < r->n_runs ? b->n_runs
                                                                             : r->n_runs),
                                          "significant", !isnan(ci) && ci < fabs(mean),
                                          "reversed_by_confirmation", o->reversed));
        json_object_set_new(root, "runner_up", ru);
    } else {
        json_object_set_new(root, "runner_up", json_null());
    }
    for (size_t i = 0; i < o->n_candidates; i++)
        if (o->candidates[i].verdict != GOAL_MET)
            json_array_append_new(unconfirmed, candidate_json(o, &o->candidates[i]));
    json_object_set(root, "not_confirmed", unconfirmed);
    json_t *cheaper = json_null();
    if (o->best >= 0) {
        bool found;
        struct optimize_ref r = next_cheaper(o, o->candidates[o->best].search->objective, &found);
        if (found) {
            json_decref(cheaper);
            cheaper = eval_json(o, r.platform, eval_of(o, r));
        }
    }
    json_object_set_new(root, "next_cheaper", cheaper);
    for (size_t k = 0; k < o->n_platforms; k++) {
        const optimize_platform *pf = &o->platforms[k];
        const optimize_eval *best = platform_best(o, k), *closest = best ? NULL : platform_closest(o, k);
        json_t *bracketed = json_array(), *tried = json_array();
        for (size_t j = 0; bracketed && tried && j < pf->n_axes; j++)
            json_array_append_new(pf->axes[j].bracketed ? bracketed : tried,
                                  json_string(pf->axes[j].axis->key));
        json_object_set_new(platforms, pf->name,
                            json_pack("{s I s I s o s o s o s o}", "grid", (json_int_t)pf->n_points,
                                      "simulated", (json_int_t)pf->n_evaluated, "best",
                                      best ? eval_json(o, k, best) : json_null(), "closest",
                                      closest ? eval_json(o, k, closest) : json_null(),
                                      "bracketed", bracketed, "every_value_tried", tried));
    }
    json_object_set(root, "platforms", platforms);
    for (size_t i = 0; i < o->n_simulated; i++)
        json_array_append_new(simulated, eval_json(o, o->order[i].platform, eval_of(o, o->order[i])));
    json_object_set_new(root, "search",
                        json_pack("{s I s I s f s I s I s o}", "simulated",
                                  (json_int_t)o->n_simulated, "grid",
                                  (json_int_t)optimize_grid_points(o), "sweep_grid", o->sweep_points,
                                  "rounds", (json_int_t)o->n_rounds, "confirmation_runs",
                                  (json_int_t)o->n_confirm_runs, "points", json_incref(simulated)));
    text = cli_json_text(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
done:
    json_decref(goals);
    json_decref(platforms);
    json_decref(simulated);
    json_decref(unconfirmed);
    json_decref(root);
    return text;
}

char *cli_optimize_render(const optimize *o, const scenario *s, cli_format format)
{
    return format == CLI_FORMAT_JSON ? render_json(o, s) : render_table(o, s);
}
