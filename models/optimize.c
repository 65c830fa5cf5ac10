/* models/optimize.c — the search of `capsim optimize` (see optimize.h).
 *
 * Each combination of a platform's tried keys is a task, a small state machine: asked for its
 * next step, it goes as far as the points already simulated let it, and names the points it
 * needs next. A round asks every unfinished task, runs the points named (once each) as one
 * batch, and stores what each point's results say (its objective, and whether it meets the
 * goals); the next round continues. The order of tasks and of their points is fixed, so the
 * rounds, and the answer, depend only on the simulations' results. */
#include "models/optimize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/error.h"
#include "sim/stats.h"

/* ---------------------------------------------------------------- which keys are capacity */

static const char *const CAPACITY_KEYS[] = {
    "lambda.memory", "lambda.concurrency.provisioned", "lambda.concurrency.reserved",
    "lambda.concurrency.account_limit", "lambda.kinesis.shards",
    "lambda.kinesis.parallelization_factor", "lambda.sqs.max_concurrency", "glue.workers",
    "glue.max_concurrent_runs", "emr.core_nodes", "emr.serverless.workers",
};

static bool is_capacity_key(const char *key)
{
    for (size_t i = 0; i < sizeof CAPACITY_KEYS / sizeof CAPACITY_KEYS[0]; i++)
        if (strcmp(key, CAPACITY_KEYS[i]) == 0) return true;
    return false;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether more of capacity key `key` never makes goal g harder to meet: a bound from above on
 * a metric that does not grow with capacity, or from below on one that does not fall. Cold
 * starts fall with memory (fewer environments busy at once) and provisioned concurrency, but
 * grow with concurrency limits and shards (more environments are started). */
static bool goal_monotone(const goal *g, const char *key)
{
    const char *m = g->metric;
    bool cold_ok = strcmp(key, "lambda.memory") == 0 ||
                   strcmp(key, "lambda.concurrency.provisioned") == 0;
    if (g->op == GOAL_LE || g->op == GOAL_LT)
        return starts_with(m, "latency_s.") || starts_with(m, "duration_s.") ||
               starts_with(m, "iterator_age_s.") || starts_with(m, "queue_s.") ||
               !strcmp(m, "throttles") || !strcmp(m, "throttle_ratio") || !strcmp(m, "failed") ||
               !strcmp(m, "dropped") || !strcmp(m, "timeouts") || !strcmp(m, "dlq") ||
               (cold_ok && (!strcmp(m, "cold_starts") || !strcmp(m, "cold_start_ratio")));
    return !strcmp(m, "completed") ||
           (!strcmp(m, "provisioned_ratio") && !strcmp(key, "lambda.concurrency.provisioned"));
}

/* ---------------------------------------------------------------- tasks */

enum { T_LINES, T_WALK_START, T_WALK, T_DONE };
enum { L_START, L_LOW, L_GALLOP, L_BISECT };
#define THR_UNKNOWN (-1L)

struct opt_task {
    size_t *fixed;   /* per axis: the value index of a tried axis (others unused) */
    long *thr;       /* per line: the smallest rank of the search axis meeting the goals;
                        the axis' length when none does; THR_UNKNOWN before it is known */
    long line;       /* the line being searched, counting down; -1 when all are */
    int phase, lphase;
    size_t lo, hi;   /* bracket on the search axis: lo does not meet the goals, hi does */
    size_t step;     /* galloping: the next probe is lo + step */
    size_t start[2]; /* refinement: the walks' starting points */
    size_t n_starts, walk, cur;
};

static size_t axis_len(const optimize_platform *pf, size_t j)
{
    return pf->axes[j].axis->n_values;
}

/* The grid point with the given value index on every axis (row-major, the first axis slowest,
 * as sweep_point_value reads it). */
static size_t point_of(const optimize_platform *pf, const size_t *idx)
{
    size_t p = 0;
    for (size_t j = 0; j < pf->n_axes; j++) p = p * axis_len(pf, j) + idx[j];
    return p;
}

static void values_of(const optimize_platform *pf, size_t point, size_t *idx)
{
    for (size_t j = pf->n_axes; j-- > 0;) {
        idx[j] = point % axis_len(pf, j);
        point /= axis_len(pf, j);
    }
}

/* The line (setting of the other bracketed axes, in ranks, the first one most significant) of
 * value indices idx. */
static size_t line_of(const optimize_platform *pf, const size_t *idx)
{
    size_t line = 0;
    for (size_t i = 0; i < pf->n_others; i++) {
        size_t j = pf->others[i];
        line = line * axis_len(pf, j) + pf->axes[j].rank[idx[j]];
    }
    return line;
}

/* Value indices of the task's point on `line` with the search axis at rank rs. */
static void task_values(const optimize_platform *pf, const opt_task *t, size_t line, size_t rs,
                        size_t *idx)
{
    for (size_t j = 0; j < pf->n_axes; j++) idx[j] = t->fixed[j];
    for (size_t i = pf->n_others; i-- > 0;) {
        size_t j = pf->others[i];
        idx[j] = pf->axes[j].by_rank[line % axis_len(pf, j)];
        line /= axis_len(pf, j);
    }
    if (pf->search_axis < pf->n_axes)
        idx[pf->search_axis] = pf->axes[pf->search_axis].by_rank[rs];
}

static bool meets(const optimize_eval *e)
{
    return e->verdict == GOAL_MET;
}

/* Whether a is a better answer than b (objective, then the earlier simulated). */
static bool better(const optimize_eval *a, const optimize_eval *b)
{
    if (a->objective != b->objective) return a->objective < b->objective;
    return a->seq < b->seq;
}

/* Advances task t as far as the simulated points allow. Returns how many points it needs
 * next (written to need[], at most 2 * n_axes + 1), 0 when it is finished. */
static size_t task_step(optimize_platform *pf, opt_task *t, size_t *idx, size_t *need)
{
    const size_t s = pf->search_axis;
    for (;;) {
        switch (t->phase) {
        case T_LINES: {
            if (s >= pf->n_axes) { /* no bracketed axis: the task is one point */
                task_values(pf, t, 0, 0, idx);
                size_t p = point_of(pf, idx);
                if (!pf->evals[p]) {
                    need[0] = p;
                    return 1;
                }
                t->phase = T_DONE;
                continue;
            }
            if (t->line < 0) {
                t->phase = T_WALK_START;
                continue;
            }
            size_t line = (size_t)t->line, ns = axis_len(pf, s), p;
            if (t->lphase == L_START) {
                /* Lines with one more step of one other axis are searched before: the answer
                 * here is no smaller than theirs, and there is none if one of them has none. */
                long lb = 0;
                bool none = false;
                size_t stride = 1;
                for (size_t i = pf->n_others; i-- > 0;) {
                    size_t j = pf->others[i], n = axis_len(pf, j);
                    size_t r = (line / stride) % n;
                    if (r + 1 < n) {
                        long up = t->thr[line + stride];
                        if (up >= (long)ns) none = true;
                        else if (up > lb) lb = up;
                    }
                    stride *= n;
                }
                if (none) {
                    t->thr[line] = (long)ns;
                    t->line--;
                    continue;
                }
                t->lo = (size_t)lb;
                t->lphase = L_LOW;
            }
            if (t->lphase == L_LOW) {
                task_values(pf, t, line, t->lo, idx);
                if (!pf->evals[p = point_of(pf, idx)]) {
                    need[0] = p;
                    return 1;
                }
                if (meets(pf->evals[p]) || t->lo + 1 == ns) {
                    t->thr[line] = meets(pf->evals[p]) ? (long)t->lo : (long)ns;
                    t->lphase = L_START;
                    t->line--;
                    continue;
                }
                t->step = 1;
                t->lphase = L_GALLOP;
            }
            /* Galloping: 1, 3, 7, 15, ... steps above the first lo, up to the largest value,
             * until one meets the goals: an answer a few steps above the last line's costs a few
             * points, and a line where nothing meets them (nor on any line below it) about log2
             * of its length. */
            while (t->lphase == L_GALLOP) {
                size_t probe = t->lo + t->step < ns - 1 ? t->lo + t->step : ns - 1;
                task_values(pf, t, line, probe, idx);
                if (!pf->evals[p = point_of(pf, idx)]) {
                    need[0] = p;
                    return 1;
                }
                if (meets(pf->evals[p])) {
                    t->hi = probe;
                    t->lphase = L_BISECT;
                } else if (probe == ns - 1) {
                    t->thr[line] = (long)ns;
                    t->lphase = L_START;
                    t->line--;
                } else {
                    t->lo = probe;
                    t->step *= 2;
                }
            }
            if (t->lphase == L_START) continue;
            while (t->hi - t->lo > 1) {
                size_t mid = t->lo + (t->hi - t->lo) / 2;
                task_values(pf, t, line, mid, idx);
                if (!pf->evals[p = point_of(pf, idx)]) {
                    need[0] = p;
                    return 1;
                }
                if (meets(pf->evals[p])) t->hi = mid;
                else t->lo = mid;
            }
            t->thr[line] = (long)t->hi;
            t->lphase = L_START;
            t->line--;
            continue;
        }
        case T_WALK_START: {
            /* the two best points of the frontier (each line's smallest answer) */
            t->n_starts = 0;
            for (size_t line = 0; line < pf->n_lines; line++) {
                if (t->thr[line] >= (long)axis_len(pf, s)) continue;
                task_values(pf, t, line, (size_t)t->thr[line], idx);
                size_t p = point_of(pf, idx);
                const optimize_eval *e = pf->evals[p];
                if (!meets(e)) continue;
                if (t->n_starts < 2) t->start[t->n_starts++] = p;
                else if (better(e, pf->evals[t->start[1]])) t->start[1] = p;
                if (t->n_starts == 2 && better(pf->evals[t->start[1]], pf->evals[t->start[0]])) {
                    size_t x = t->start[0];
                    t->start[0] = t->start[1];
                    t->start[1] = x;
                }
            }
            if (t->n_starts == 0) {
                t->phase = T_DONE;
                continue;
            }
            t->walk = 0;
            t->cur = t->start[0];
            t->phase = T_WALK;
            continue;
        }
        case T_WALK: {
            size_t n_need = 0, best = t->cur;
            size_t m = pf->n_axes;
            for (size_t j = 0; j < m; j++) {
                if (!pf->axes[j].bracketed) continue;
                for (int dir = -1; dir <= 1; dir += 2) {
                    values_of(pf, t->cur, idx);
                    size_t r = pf->axes[j].rank[idx[j]];
                    if ((dir < 0 && r == 0) || (dir > 0 && r + 1 == axis_len(pf, j))) continue;
                    idx[j] = pf->axes[j].by_rank[dir < 0 ? r - 1 : r + 1];
                    /* ruled out: below its line's smallest answer */
                    long thr = t->thr[line_of(pf, idx)];
                    if ((long)pf->axes[s].rank[idx[s]] < thr) continue;
                    size_t p = point_of(pf, idx);
                    const optimize_eval *e = pf->evals[p];
                    if (!e) need[n_need++] = p;
                    else if (meets(e) && e->objective < pf->evals[best]->objective) best = p;
                }
            }
            if (n_need) return n_need;
            if (best != t->cur) {
                t->cur = best;
                continue;
            }
            if (++t->walk < t->n_starts) {
                t->cur = t->start[t->walk];
                continue;
            }
            t->phase = T_DONE;
            continue;
        }
        default: return 0;
        }
    }
}

/* ---------------------------------------------------------------- setting up */

static const char *const PLATFORM_NAMES[] = {"lambda", "glue", "emr"};

/* The platform (index in PLATFORM_NAMES) whose key a --vary names, or -1: lambda.*, glue.*,
 * emr.*, and for an account (format 1.1) functions.* and account.*, which are Lambda's. */
static int platform_of_key(const char *a) {
    for (int k = 0; k < OPTIMIZE_MAX_PLATFORMS; k++) {
        size_t len = strlen(PLATFORM_NAMES[k]);
        if (strncmp(a, PLATFORM_NAMES[k], len) == 0 && a[len] == '.') return k;
    }
    if (strncmp(a, "functions.", 10) == 0 || strncmp(a, "account.", 8) == 0) return 0;
    return -1;
}

static void eval_free(optimize_eval *e)
{
    if (!e) return;
    free(e->goal_values);
    free(e);
}

static void platform_fini(optimize_platform *pf)
{
    for (size_t j = 0; pf->axes && j < pf->n_axes; j++) {
        free(pf->axes[j].by_rank);
        free(pf->axes[j].rank);
    }
    free(pf->axes);
    for (size_t p = 0; pf->evals && p < pf->n_points; p++) eval_free(pf->evals[p]);
    free(pf->evals);
    free(pf->pending);
    free(pf->others);
    for (size_t i = 0; pf->tasks && i < pf->n_tasks; i++) {
        free(pf->tasks[i].fixed);
        free(pf->tasks[i].thr);
    }
    free(pf->tasks);
    free(pf->goal_metrics);
    sweep_destroy(pf->grid);
}

static void candidate_fini(optimize_candidate *c)
{
    free(c->objective);
    free(c->goal_means);
    free(c->goal_ci95);
}

void optimize_destroy(optimize *o)
{
    if (!o) return;
    for (size_t i = 0; i < o->n_platforms; i++) platform_fini(&o->platforms[i]);
    for (size_t i = 0; i < o->n_candidates; i++) candidate_fini(&o->candidates[i]);
    free(o->candidates);
    free(o->order);
    free(o->ranked);
    free(o);
}

typedef struct by_value {
    double v;
    size_t i;
} by_value;

static int by_value_cmp(const void *a, const void *b)
{
    const by_value *x = a, *y = b;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Decides which axes are bracketed, orders their values, and makes the tasks; goal_metrics
 * (which goals the platform's results have) must be known. */
static int platform_plan(optimize_platform *pf, const goal *goals, size_t n_goals)
{
    size_t n = pf->n_axes;
    if (n > 0 && !(pf->axes = calloc(n, sizeof *pf->axes))) return SIM_ENOMEM;
    if (!(pf->others = calloc(n ? n : 1, sizeof *pf->others))) return SIM_ENOMEM;
    pf->search_axis = n;
    for (size_t j = 0; j < n; j++) {
        optimize_axis *a = &pf->axes[j];
        a->axis = &pf->grid->axes[j];
        bool bracket = is_capacity_key(a->axis->key) && a->axis->n_values > 1;
        for (size_t g = 0; g < n_goals && bracket; g++)
            if (pf->goal_metrics[g]) /* goals the platform's results have: the others do not bind */
                bracket = goal_monotone(&goals[g], a->axis->key);
        by_value *v = bracket ? calloc(a->axis->n_values, sizeof *v) : NULL;
        if (bracket && !v) return SIM_ENOMEM;
        for (size_t k = 0; bracket && k < a->axis->n_values; k++) {
            v[k].i = k;
            bracket = sweep_value_base(a->axis->values[k].text, &v[k].v);
        }
        if (bracket) {
            qsort(v, a->axis->n_values, sizeof *v, by_value_cmp);
            a->by_rank = calloc(a->axis->n_values, sizeof *a->by_rank);
            a->rank = calloc(a->axis->n_values, sizeof *a->rank);
            if (!a->by_rank || !a->rank) {
                free(v);
                return SIM_ENOMEM;
            }
            for (size_t r = 0; r < a->axis->n_values; r++) {
                a->by_rank[r] = v[r].i;
                a->rank[v[r].i] = r;
            }
            a->bracketed = true;
            if (pf->search_axis == n || a->axis->n_values > axis_len(pf, pf->search_axis))
                pf->search_axis = j;
        }
        free(v);
    }
    pf->n_lines = 1;
    for (size_t j = 0; j < n; j++)
        if (pf->axes[j].bracketed && j != pf->search_axis) {
            pf->others[pf->n_others++] = j;
            pf->n_lines *= axis_len(pf, j);
        }
    /* one task per combination of the tried axes */
    pf->n_tasks = 1;
    for (size_t j = 0; j < n; j++)
        if (!pf->axes[j].bracketed) pf->n_tasks *= axis_len(pf, j);
    if (!(pf->tasks = calloc(pf->n_tasks, sizeof *pf->tasks))) return SIM_ENOMEM;
    for (size_t k = 0; k < pf->n_tasks; k++) {
        opt_task *t = &pf->tasks[k];
        t->fixed = calloc(n ? n : 1, sizeof *t->fixed);
        t->thr = malloc(pf->n_lines * sizeof *t->thr);
        if (!t->fixed || !t->thr) return SIM_ENOMEM;
        for (size_t l = 0; l < pf->n_lines; l++) t->thr[l] = THR_UNKNOWN;
        t->line = (long)pf->n_lines - 1;
        size_t rest = k;
        for (size_t j = n; j-- > 0;) {
            if (pf->axes[j].bracketed) continue;
            t->fixed[j] = rest % axis_len(pf, j);
            rest /= axis_len(pf, j);
        }
    }
    return SIM_OK;
}

int optimize_create(const scenario *base_scn, const char *file, const char *const *base,
                    size_t n_base, const char *const *varies, size_t n_varies, const goal *goals,
                    size_t n_goals, const char *objective, int confirm_runs, sim_diag *diag,
                    optimize **out)
{
    *out = NULL;
    optimize *o = calloc(1, sizeof *o);
    const char **args = calloc(n_varies ? n_varies : 1, sizeof *args);
    int *numbers = calloc(n_varies ? n_varies : 1, sizeof *numbers);
    int rc = o && args && numbers ? SIM_OK : SIM_ENOMEM;
    if (rc) goto done;
    o->file = file;
    o->base = base;
    o->n_base = n_base;
    o->goals = goals;
    o->n_goals = n_goals;
    snprintf(o->objective, sizeof o->objective, "%s", objective);
    o->confirm_runs = confirm_runs;
    o->seed = base_scn->seed;
    o->replications = base_scn->replications;
    o->best = o->runner_up = -1;
    o->sweep_points = 1;
    size_t errors = sim_diag_count(diag);
    /* every --vary names a platform's key */
    for (size_t j = 0; j < n_varies; j++) {
        const char *a = varies[j];
        if (platform_of_key(a) < 0) {
            const char *eq = strchr(a, '=');
            char key[128];
            snprintf(key, sizeof key, "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
            sim_diag_error(diag, SWEEP_SOURCE, (int)j + 1, 1, key,
                           "not a decision: optimize chooses the keys of a platform (lambda.*, "
                           "functions.*, account.*, glue.*, emr.*); to see how the answer changes with %s, run optimize "
                           "once per value (with --set)", key);
        }
    }
    if (sim_diag_count(diag) != errors) {
        rc = SIM_ESCENARIO;
        goto done;
    }
    const bool present[] = {base_scn->lambda.present || base_scn->functions_present,
                            base_scn->glue.present, base_scn->emr.present};
    for (size_t k = 0; k < OPTIMIZE_MAX_PLATFORMS; k++) {
        size_t n = 0;
        for (size_t j = 0; j < n_varies; j++)
            if (platform_of_key(varies[j]) == (int)k) {
                args[n] = varies[j];
                numbers[n++] = (int)j + 1;
            }
        if (n == 0 && !present[k]) continue;
        optimize_platform *pf = &o->platforms[o->n_platforms++];
        snprintf(pf->name, sizeof pf->name, "%s", PLATFORM_NAMES[k]);
        pf->bit = point_platform_bit(pf->name);
        pf->n_points = 1;
        if (n > 0) {
            int prc = sweep_parse_numbered(args, numbers, n, false, diag, &pf->grid);
            if (prc == SIM_ENOMEM) {
                rc = prc;
                goto done;
            }
            if (prc) continue;
            pf->n_axes = pf->grid->n_axes;
            pf->n_points = pf->grid->n_points;
            for (size_t j = 0; j < pf->n_axes; j++)
                o->sweep_points *= (double)pf->grid->axes[j].n_values;
        }
    }
    if (sim_diag_count(diag) != errors) {
        rc = SIM_ESCENARIO;
        goto done;
    }
    for (size_t k = 0; k < o->n_platforms && !rc; k++) {
        optimize_platform *pf = &o->platforms[k];
        pf->evals = calloc(pf->n_points, sizeof *pf->evals);
        pf->pending = calloc(pf->n_points, sizeof *pf->pending);
        pf->goal_metrics = calloc(n_goals ? n_goals : 1, sizeof *pf->goal_metrics);
        if (!pf->evals || !pf->pending || !pf->goal_metrics) rc = SIM_ENOMEM;
    }
done:
    free(args);
    free(numbers);
    if (rc) optimize_destroy(o);
    else *out = o;
    return rc;
}

const char *optimize_value(const optimize_platform *pf, size_t point, size_t axis)
{
    return pf->grid->axes[axis].values[sweep_point_value(pf->grid, point, axis)].text;
}

size_t optimize_grid_points(const optimize *o)
{
    size_t n = 0;
    for (size_t k = 0; k < o->n_platforms; k++) n += o->platforms[k].n_points;
    return n;
}

size_t optimize_estimate_points(const optimize *o)
{
    size_t n = 0;
    for (size_t k = 0; k < o->n_platforms; k++) {
        const optimize_platform *pf = &o->platforms[k];
        if (!pf->tasks) return 0; /* not planned yet: no idea */
        if (pf->search_axis >= pf->n_axes) { /* every point */
            n += pf->n_points;
            continue;
        }
        size_t ns = axis_len(pf, pf->search_axis), log2n = 0, bracketed = 0;
        while (((size_t)1 << log2n) < ns) log2n++;
        for (size_t j = 0; j < pf->n_axes; j++) bracketed += pf->axes[j].bracketed;
        size_t per_task = 2 * pf->n_lines + 2 * log2n + 2 * bracketed;
        size_t task_points = pf->n_points / pf->n_tasks;
        n += pf->n_tasks * (per_task < task_points ? per_task : task_points);
    }
    return n + 2 * (size_t)o->confirm_runs;
}

/* "lambda.memory=64MB, lambda.concurrency.provisioned=4" */
static void describe(char *buf, size_t len, const optimize_platform *pf, size_t point)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < pf->n_axes && at < len; j++)
        at += (size_t)snprintf(buf + at, len - at, "%s%s=%s", j ? ", " : "",
                               pf->grid->axes[j].key, optimize_value(pf, point, j));
}

int optimize_validate(const optimize *o, int threads, sim_diag *diag, size_t *n_bad, char *bad,
                      size_t bad_len)
{
    *n_bad = 0;
    if (bad_len) bad[0] = '\0';
    int first_rc = SIM_OK;
    for (size_t k = 0; k < o->n_platforms; k++) {
        const optimize_platform *pf = &o->platforms[k];
        if (!pf->grid) continue;
        size_t nb = 0, first = 0;
        int rc = sweep_validate(pf->grid, o->file, o->base, o->n_base, threads, diag, &nb, &first);
        if (rc && nb == 0) return rc; /* I/O or memory */
        if (rc && *n_bad == 0) {
            describe(bad, bad_len, pf, first);
            first_rc = rc;
        }
        *n_bad += nb;
    }
    return first_rc;
}

/* ---------------------------------------------------------------- running points */

typedef struct batch {
    point_spec *specs;
    struct optimize_ref *refs;
    report *reports;
    size_t n, cap;
} batch;

static void batch_clear(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        for (size_t k = 0; k < b->specs[i].n_overrides; k++) free(b->specs[i].overrides[k]);
        free(b->specs[i].overrides);
        report_fini(&b->reports[i]);
    }
    b->n = 0;
}

static void batch_fini(batch *b)
{
    batch_clear(b);
    free(b->specs);
    free(b->refs);
    free(b->reports);
}

/* Adds point `point` of platform k (seed: 0 = the scenario's, else this seed). */
static int batch_add(batch *b, const optimize *o, size_t k, size_t point, bool with_seed,
                     uint64_t seed)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 16;
        point_spec *s = realloc(b->specs, cap * sizeof *s);
        if (s) b->specs = s;
        struct optimize_ref *r = realloc(b->refs, cap * sizeof *r);
        if (r) b->refs = r;
        report *rep = realloc(b->reports, cap * sizeof *rep);
        if (rep) b->reports = rep;
        if (!s || !r || !rep) return SIM_ENOMEM;
        b->cap = cap;
    }
    const optimize_platform *pf = &o->platforms[k];
    point_spec *spec = &b->specs[b->n];
    memset(spec, 0, sizeof *spec);
    spec->platforms = pf->bit;
    report_init(&b->reports[b->n]);
    b->refs[b->n] = (struct optimize_ref){k, point};
    b->n++;
    if (!(spec->overrides = calloc(pf->n_axes + 1, sizeof *spec->overrides))) return SIM_ENOMEM;
    for (size_t j = 0; j < pf->n_axes; j++) {
        const char *key = pf->grid->axes[j].key, *value = optimize_value(pf, point, j);
        size_t len = strlen(key) + strlen(value) + 2;
        if (!(spec->overrides[j] = malloc(len))) return SIM_ENOMEM;
        snprintf(spec->overrides[j], len, "%s=%s", key, value);
        spec->n_overrides++;
    }
    if (with_seed) {
        char text[48];
        snprintf(text, sizeof text, "seed=%llu", (unsigned long long)seed);
        if (!(spec->overrides[pf->n_axes] = strdup(text))) return SIM_ENOMEM;
        spec->n_overrides++;
    }
    return SIM_OK;
}

static int batch_run(batch *b, point_runner_fn run, void *ctx)
{
    size_t failed = 0;
    return b->n ? run(ctx, b->specs, b->n, b->reports, &failed) : SIM_OK;
}

/* The platform's section of a point's report (a point simulates only its platform). */
static const report_section *section_of(const report *r, const optimize_platform *pf)
{
    return report_find_platform(r, pf->name);
}

/* Judges a section: goal values into values[], returns the verdict. */
static int judge(const optimize *o, const report_section *sec, double *values, double *objective)
{
    int v = goal_judge(o->goals, o->n_goals, sec, values);
    *objective = report_value(sec, o->objective, NAN);
    if (v == GOAL_MET && isnan(*objective)) v = GOAL_NO_OBJECTIVE;
    return v;
}

static int record(optimize *o, size_t k, size_t point, const report *r)
{
    optimize_platform *pf = &o->platforms[k];
    const report_section *sec = section_of(r, pf);
    if (!sec) return SIM_EINVAL;
    for (size_t g = 0; g < o->n_goals; g++) pf->goal_metrics[g] |= goal_applies(&o->goals[g], sec);
    if (report_section_find(sec, o->objective)) pf->has_objective = true;
    optimize_eval *e = calloc(1, sizeof *e);
    if (!e || !(e->goal_values = calloc(o->n_goals ? o->n_goals : 1, sizeof *e->goal_values))) {
        free(e);
        return SIM_ENOMEM;
    }
    e->point = point;
    e->seq = o->n_simulated;
    e->verdict = judge(o, sec, e->goal_values, &e->objective);
    e->lost = goal_lost_items(sec);
    pf->evals[point] = e;
    pf->pending[point] = false;
    pf->n_evaluated++;
    o->order[o->n_simulated++] = (struct optimize_ref){k, point};
    return SIM_OK;
}

static int edit_distance(const char *a, const char *b)
{
    size_t n = strlen(b);
    int row[64];
    if (n >= 64 || strlen(a) >= 64) return 99;
    for (size_t j = 0; j <= n; j++) row[j] = (int)j;
    for (size_t i = 1; a[i - 1]; i++) {
        int prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= n; j++) {
            int cur = row[j];
            int sub = prev + (a[i - 1] != b[j - 1]);
            int del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
        }
    }
    return row[n];
}

/* After the probe (the first point of each platform, recorded): every goal's metric, and the
 * objective's, must be in the results of a platform it applies to. */
static int check_metrics(optimize *o, const batch *b, sim_diag *diag)
{
    size_t errors = sim_diag_count(diag);
    /* the closest metric name any platform has, for "did you mean" */
    for (size_t g = 0; g <= o->n_goals; g++) {
        bool objective = g == o->n_goals;
        const char *metric = objective ? o->objective : o->goals[g].metric;
        const char *limit = objective ? "" : o->goals[g].platform;
        bool found = false, searched = !limit[0];
        for (size_t k = 0; k < o->n_platforms; k++) {
            const optimize_platform *pf = &o->platforms[k];
            searched |= !strcmp(pf->name, limit);
            found |= objective ? pf->has_objective : pf->goal_metrics[g];
        }
        if (found) continue;
        const char *source = objective ? GOAL_OBJECTIVE_SOURCE : GOAL_SOURCE;
        int number = objective ? 1 : o->goals[g].number;
        int col = objective ? 1 : o->goals[g].metric_col;
        if (!searched) {
            sim_diag_error(diag, source, number, col, NULL,
                           "%s is not among the platforms searched (the scenario's and those a "
                           "--vary names)", limit);
            continue;
        }
        const char *best = NULL;
        int best_d = 4;
        for (size_t i = 0; i < b->n; i++) {
            const optimize_platform *pf = &o->platforms[b->refs[i].platform];
            const report_section *sec = section_of(&b->reports[i], pf);
            for (size_t m = 0; sec && m < sec->n; m++) {
                int d = edit_distance(metric, sec->metrics[m].path);
                if (d < best_d) {
                    best_d = d;
                    best = sec->metrics[m].path;
                }
            }
        }
        char names[64] = ""; /* at most "lambda, glue, emr" */
        for (size_t k = 0; k < o->n_platforms; k++)
            if (!limit[0] || !strcmp(o->platforms[k].name, limit)) {
                if (names[0]) strcat(names, ", ");
                strcat(names, o->platforms[k].name);
            }
        if (best)
            sim_diag_error(diag, source, number, col, metric,
                           "not in the results of %s; did you mean '%s'?", names, best);
        else
            sim_diag_error(diag, source, number, col, metric,
                           "not in the results of %s (docs/results.md lists the metrics)", names);
    }
    return sim_diag_count(diag) == errors ? SIM_OK : SIM_ESCENARIO;
}

/* ---------------------------------------------------------------- the search */

static int search(optimize *o, point_runner_fn run, void *ctx, sim_diag *diag)
{
    size_t total = optimize_grid_points(o), max_axes = 1;
    for (size_t k = 0; k < o->n_platforms; k++)
        if (o->platforms[k].n_axes > max_axes) max_axes = o->platforms[k].n_axes;
    o->order = calloc(total, sizeof *o->order);
    size_t *idx = calloc(max_axes, sizeof *idx), *need = calloc(2 * max_axes + 1, sizeof *need);
    batch b = {0};
    int rc = o->order && idx && need ? SIM_OK : SIM_ENOMEM;
    /* The probe: the first point of each platform's grid says which goals its results have, so
     * that a goal on a metric a platform does not report (cold starts for Glue) does not stop
     * its capacity keys from being bracketed, and a misspelt metric is found at once. */
    for (size_t k = 0; k < o->n_platforms && !rc; k++) {
        o->platforms[k].pending[0] = true;
        rc = batch_add(&b, o, k, 0, false, 0);
    }
    if (!rc) rc = batch_run(&b, run, ctx);
    for (size_t i = 0; i < b.n && !rc; i++)
        rc = record(o, b.refs[i].platform, b.refs[i].point, &b.reports[i]);
    if (!rc) rc = check_metrics(o, &b, diag);
    if (!rc) o->n_rounds++;
    batch_clear(&b);
    for (size_t k = 0; k < o->n_platforms && !rc; k++)
        rc = platform_plan(&o->platforms[k], o->goals, o->n_goals);
    while (!rc) {
        for (size_t k = 0; k < o->n_platforms && !rc; k++) {
            optimize_platform *pf = &o->platforms[k];
            for (size_t t = 0; t < pf->n_tasks && !rc; t++) {
                size_t n = task_step(pf, &pf->tasks[t], idx, need);
                for (size_t i = 0; i < n && !rc; i++) {
                    if (pf->pending[need[i]]) continue;
                    pf->pending[need[i]] = true;
                    rc = batch_add(&b, o, k, need[i], false, 0);
                }
            }
        }
        if (rc || b.n == 0) break;
        rc = batch_run(&b, run, ctx);
        for (size_t i = 0; i < b.n && !rc; i++)
            rc = record(o, b.refs[i].platform, b.refs[i].point, &b.reports[i]);
        o->n_rounds++;
        batch_clear(&b);
    }
    batch_fini(&b);
    free(idx);
    free(need);
    return rc;
}

/* ---------------------------------------------------------------- confirmation */

static int ref_cmp_ctx(const optimize *o, const struct optimize_ref *x, const struct optimize_ref *y)
{
    const optimize_eval *a = o->platforms[x->platform].evals[x->point];
    const optimize_eval *b = o->platforms[y->platform].evals[y->point];
    if (a->objective != b->objective) return a->objective < b->objective ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* qsort has no context: a small insertion sort keeps it simple (the list is the points meeting
 * the goals, at most the points simulated). */
static void rank_points(optimize *o)
{
    for (size_t i = 1; i < o->n_ranked; i++) {
        struct optimize_ref x = o->ranked[i];
        size_t j = i;
        while (j > 0 && ref_cmp_ctx(o, &x, &o->ranked[j - 1]) < 0) {
            o->ranked[j] = o->ranked[j - 1];
            j--;
        }
        o->ranked[j] = x;
    }
}

static int candidate_init(optimize *o, optimize_candidate *c, size_t k, const optimize_eval *e)
{
    memset(c, 0, sizeof *c);
    c->platform = k;
    c->search = e;
    size_t runs = 1 + (size_t)o->confirm_runs, ng = o->n_goals ? o->n_goals : 1;
    c->objective = calloc(runs, sizeof *c->objective);
    c->goal_means = calloc(ng, sizeof *c->goal_means);
    c->goal_ci95 = calloc(ng, sizeof *c->goal_ci95);
    if (!c->objective || !c->goal_means || !c->goal_ci95) return SIM_ENOMEM;
    return SIM_OK;
}

/* Summarises a candidate's runs: run 0 is its search run; runs 1.. are reports[0..n). */
static int candidate_finish(optimize *o, optimize_candidate *c, const report *reports, size_t n)
{
    const optimize_platform *pf = &o->platforms[c->platform];
    size_t runs = 1 + n, ng = o->n_goals;
    double *vals = calloc((ng ? ng : 1) * runs, sizeof *vals), *x = calloc(runs, sizeof *x);
    if (!vals || !x) {
        free(vals);
        free(x);
        return SIM_ENOMEM;
    }
    c->n_runs = runs;
    c->objective[0] = c->search->objective;
    for (size_t g = 0; g < ng; g++) vals[g * runs] = c->search->goal_values[g];
    bool allow_losses = false;
    for (size_t g = 0; g < ng; g++)
        if (pf->goal_metrics[g] && (!strcmp(o->goals[g].metric, "failed") ||
                                    !strcmp(o->goals[g].metric, "dropped") ||
                                    !strcmp(o->goals[g].metric, "completed")))
            allow_losses = true;
    c->runs_losing = !allow_losses && c->search->lost > 0;
    c->runs_overloaded = c->search->verdict == GOAL_OVERLOADED;
    double *one = calloc(ng ? ng : 1, sizeof *one);
    if (!one) {
        free(vals);
        free(x);
        return SIM_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const report_section *sec = section_of(&reports[i], pf);
        if (!sec) {
            free(vals);
            free(x);
            free(one);
            return SIM_EINVAL;
        }
        judge(o, sec, one, &c->objective[1 + i]);
        for (size_t g = 0; g < ng; g++) vals[g * runs + 1 + i] = one[g];
        c->runs_overloaded += sec->overload.overloaded;
        c->runs_losing += !allow_losses && goal_lost_items(sec) > 0;
    }
    free(one);
    c->objective_mean = sim_mean(c->objective, runs);
    c->objective_ci95 = runs > 1 ? sim_ci_halfwidth(c->objective, runs, 0.95) : NAN;
    c->verdict = c->runs_overloaded ? GOAL_OVERLOADED : c->runs_losing ? GOAL_LOST_ITEMS : GOAL_MET;
    for (size_t g = 0; g < ng; g++) {
        size_t m = 0;
        for (size_t r = 0; r < runs; r++)
            if (!isnan(vals[g * runs + r])) x[m++] = vals[g * runs + r];
        c->goal_means[g] = m == runs ? sim_mean(x, m) : NAN;
        c->goal_ci95[g] = m == runs && runs > 1 ? sim_ci_halfwidth(x, m, 0.95) : NAN;
        /* A goal that applies (it had a value in the search run, which met the goals) must hold
         * on the mean; a run without a value (nothing completed) fails it. */
        if (!isnan(c->search->goal_values[g]) && c->verdict == GOAL_MET &&
            !goal_holds(&o->goals[g], c->goal_means[g]))
            c->verdict = (int)g;
    }
    free(vals);
    free(x);
    return SIM_OK;
}

static int confirm(optimize *o, point_runner_fn run, void *ctx)
{
    o->n_ranked = 0;
    o->ranked = calloc(o->n_simulated ? o->n_simulated : 1, sizeof *o->ranked);
    o->candidates = calloc(OPTIMIZE_MAX_CONFIRMED, sizeof *o->candidates);
    if (!o->ranked || !o->candidates) return SIM_ENOMEM;
    for (size_t i = 0; i < o->n_simulated; i++) {
        struct optimize_ref r = o->order[i];
        if (meets(o->platforms[r.platform].evals[r.point])) o->ranked[o->n_ranked++] = r;
    }
    rank_points(o);
    size_t next = 0, n_ok = 0;
    batch b = {0};
    int rc = SIM_OK;
    while (!rc && n_ok < 2 && next < o->n_ranked && o->n_candidates < OPTIMIZE_MAX_CONFIRMED) {
        size_t take = o->n_candidates == 0 && o->n_ranked >= 2 ? 2 : 1;
        size_t first = o->n_candidates;
        for (size_t c = 0; c < take && !rc; c++, next++) {
            struct optimize_ref r = o->ranked[next];
            rc = candidate_init(o, &o->candidates[o->n_candidates++], r.platform,
                                o->platforms[r.platform].evals[r.point]);
            for (int k = 1; k <= o->confirm_runs && !rc; k++)
                rc = batch_add(&b, o, r.platform, r.point, true,
                               (o->seed + (uint64_t)k) & (uint64_t)INT64_MAX);
        }
        if (!rc) rc = batch_run(&b, run, ctx);
        o->n_confirm_runs += b.n;
        for (size_t c = first; c < o->n_candidates && !rc; c++) {
            size_t k = (size_t)o->confirm_runs;
            rc = candidate_finish(o, &o->candidates[c], k ? b.reports + (c - first) * k : NULL, k);
            n_ok += o->candidates[c].verdict == GOAL_MET;
        }
        batch_clear(&b);
    }
    batch_fini(&b);
    if (rc) return rc;
    /* rank the confirmed by their mean objective (stable: the search's order breaks ties) */
    for (size_t i = 0; i < o->n_candidates; i++) {
        const optimize_candidate *c = &o->candidates[i];
        if (c->verdict != GOAL_MET) continue;
        if (o->best < 0 || c->objective_mean < o->candidates[o->best].objective_mean) {
            o->runner_up = o->best;
            o->best = (int)i;
        } else if (o->runner_up < 0 ||
                   c->objective_mean < o->candidates[o->runner_up].objective_mean) {
            o->runner_up = (int)i;
        }
    }
    o->reversed = o->best >= 0 && o->runner_up >= 0 && o->runner_up < o->best;
    return SIM_OK;
}

int optimize_run(optimize *o, point_runner_fn run, void *ctx, sim_diag *diag)
{
    int rc = search(o, run, ctx, diag);
    if (!rc) rc = confirm(o, run, ctx);
    return rc;
}
