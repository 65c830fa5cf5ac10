/* models/scenario_dist.c — distributions in a scenario (SCENARIO-FORMAT.md "Values").
 *
 * A duration or size may be a plain value (a constant) or a map `{dist: NAME, params...}`. This
 * file checks the parameters of each kind (lognormal: median and exactly one of sigma / p99 with
 * p99 > median; uniform: min <= max; ...), reads empirical tables from data files (reporting bad
 * lines as `DATAFILE:LINE`), and fills the scn_dist: the user's form for printing back, and the
 * ready sim_dist sampler. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario_internal.h"
#include "models/units.h"
#include "sim/error.h"

/* Parses one value of the distribution's quantity: seconds or MB. */
static bool parse_quantity(scn_walk *w, scn_quantity q, yaml_node_t *node, const char *path,
                           double *out)
{
    char msg[256];
    if (!node || node->type != YAML_SCALAR_NODE || scn_is_null(node)) {
        scn_error(w, node, path, "expected %s, not %s",
                  q == SCN_QTY_DURATION ? "a duration like 250ms" : "a size like 5MB",
                  node ? scn_node_kind(node) : "nothing");
        return false;
    }
    int rc;
    if (q == SCN_QTY_DURATION) {
        sim_time_us us = 0;
        rc = units_parse_duration(scn_text(node), &us, msg, sizeof msg);
        *out = sim_time_to_s(us);
        if (!rc && !scn_check_time_limit(w, node, path, us, scn_text(node)))
            return false;
    } else {
        rc = units_parse_size_mb(scn_text(node), out, msg, sizeof msg);
    }
    if (rc)
        scn_error(w, node, path, "%s", msg);
    return rc == 0;
}

static bool parse_plain_number(scn_walk *w, yaml_node_t *node, const char *path, double *out)
{
    char msg[256];
    if (!node || node->type != YAML_SCALAR_NODE || scn_is_null(node)) {
        scn_error(w, node, path, "expected a number, not %s", node ? scn_node_kind(node) : "nothing");
        return false;
    }
    int rc = units_parse_number(scn_text(node), out, msg, sizeof msg);
    if (rc)
        scn_error(w, node, path, "%s", msg);
    return rc == 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Reads an empirical table: one value per line, with the quantity's unit or a bare number in
 * base units (seconds, MB); blank lines and '#' comments are skipped. Errors name the data file
 * and line. Fills d->values (sorted) and d->n_values. */
static bool read_empirical(scn_walk *w, yaml_node_t *file_node, const char *path, scn_dist *d)
{
    char *resolved = scn_data_path(w, file_node, path, d->file);
    if (!resolved)
        return false;
    FILE *fp = scn_open_data_file(w, file_node, path, resolved);
    if (!fp) {
        free(resolved);
        return false;
    }
    size_t before = sim_diag_count(scn_diag(w)), cap = 0;
    char *line = NULL, msg[256];
    size_t line_cap = 0;
    int lineno = 0;
    int64_t total = 0;
    bool oom = false, stopped = false;
    ssize_t got;
    while ((got = getline(&line, &line_cap, fp)) >= 0) {
        lineno++;
        if (!scn_data_line_ok(w, resolved, lineno, path, line, (size_t)got, &total)) {
            stopped = true;
            break;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *t = line, *end = line + strlen(line);
        while (*t == ' ' || *t == '\t')
            t++;
        while (end > t && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
            *--end = '\0';
        if (!*t)
            continue;
        double v;
        bool bare = end[-1] >= '0' && end[-1] <= '9';
        int rc;
        if (bare) {
            rc = units_parse_number(t, &v, msg, sizeof msg);
            if (!rc && v < 0) {
                snprintf(msg, sizeof msg, "'%s' is negative", t);
                rc = SIM_ERANGE;
            }
        } else if (d->quantity == SCN_QTY_DURATION) {
            sim_time_us us = 0;
            rc = units_parse_duration(t, &us, msg, sizeof msg);
            v = sim_time_to_s(us);
        } else {
            rc = units_parse_size_mb(t, &v, msg, sizeof msg);
        }
        if (!rc && d->quantity == SCN_QTY_DURATION && v * 1e6 > (double)SIM_TIME_LIMIT_US) {
            snprintf(msg, sizeof msg, "'%s' is beyond capsim's time limit of " SCN_TIME_LIMIT_TEXT,
                     t);
            rc = SIM_ERANGE;
        }
        if (rc) {
            sim_diag_error(scn_diag(w), resolved, lineno, 0, path, "%s (a bare number is in %s)", msg,
                           d->quantity == SCN_QTY_DURATION ? "seconds" : "MB");
            continue;
        }
        if (d->n_values == cap) {
            size_t ncap = cap ? 2 * cap : 64;
            double *nv = realloc(d->values, ncap * sizeof *nv);
            if (!nv) {
                scn_oom(w);
                oom = true;
                break;
            }
            d->values = nv;
            cap = ncap;
        }
        d->values[d->n_values++] = v;
    }
    bool read_error = ferror(fp);
    int saved = errno;
    if (!oom && !stopped && !read_error && !feof(fp)) { /* getline could not grow its buffer */
        scn_oom(w);
        oom = true;
    }
    free(line);
    fclose(fp);
    bool ok = !oom && sim_diag_count(scn_diag(w)) == before;
    if (ok && read_error) {
        scn_error(w, file_node, path, "cannot read '%s': %s", resolved, strerror(saved));
        ok = false;
    } else if (ok && d->n_values == 0) {
        scn_error(w, file_node, path, "'%s' has no values (one value per line)", resolved);
        ok = false;
    }
    free(resolved);
    if (ok)
        qsort(d->values, d->n_values, sizeof *d->values, cmp_double);
    return ok;
}

typedef struct dist_spec {
    const char *name;
    const char *params[3];
    bool quantity[3]; /* true: a duration/size; false: a plain number (or the file name) */
    /* For `capsim schema`: an example, and what finish_dist checks, in words. */
    const char *example;
    const char *rule;
} dist_spec;

static const dist_spec DISTS[] = {
    {"constant", {"value"}, {true}, "{dist: constant, value: 2s}", "the same as the plain value"},
    {"exponential", {"mean"}, {true}, "{dist: exponential, mean: 500ms}", "mean > 0"},
    {"lognormal", {"median", "sigma", "p99"}, {true, false, true},
     "{dist: lognormal, median: 250ms, p99: 700ms}",
     "median > 0, and one of sigma (a number >= 0) or p99 (> median), not both"},
    {"uniform", {"min", "max"}, {true, true}, "{dist: uniform, min: 5min, max: 15min}",
     "min <= max"},
    {"gamma", {"mean", "cv"}, {true, false}, "{dist: gamma, mean: 2s, cv: 0.5}",
     "mean > 0; cv, the coefficient of variation, a number > 0"},
    {"pareto", {"min", "alpha"}, {true, false}, "{dist: pareto, min: 1MB, alpha: 1.5}",
     "min > 0; alpha, a number > 0"},
    {"empirical", {"file"}, {false}, "{dist: empirical, file: x.csv}",
     "one value per line (with a unit, or bare seconds or MB; # comments), each as likely; "
     "file relative to the scenario file (`${NAME}` in it: an environment variable)"},
};
#define N_DISTS (sizeof DISTS / sizeof DISTS[0])

bool scn_dist_kind_doc(size_t i, const char **example, const char **rule)
{
    if (i >= N_DISTS)
        return false;
    *example = DISTS[i].example;
    *rule = DISTS[i].rule;
    return true;
}

/* The checks after the parameters parsed: returns false (after reporting) when they conflict. */
static bool finish_dist(scn_walk *w, const dist_spec *spec, yaml_node_t *map, yaml_node_t **pn,
                        const double *pv, const char *path, scn_dist *d)
{
    char sub[SCN_PATH_LEN];
    int rc = SIM_OK;
    d->p1 = pv[0];
    d->p2 = pv[1];
    if (!strcmp(spec->name, "constant")) {
        d->form = SCN_FORM_CONSTANT;
        rc = sim_dist_constant(&d->dist, pv[0]);
    } else if (!strcmp(spec->name, "exponential") || !strcmp(spec->name, "gamma")) {
        bool gamma = spec->name[0] == 'g';
        scn_join_path(sub, sizeof sub, path, "mean");
        if (pv[0] <= 0) {
            scn_error(w, pn[0], sub, "the mean must be > 0");
            return false;
        }
        if (gamma && pv[1] <= 0) {
            scn_join_path(sub, sizeof sub, path, "cv");
            scn_error(w, pn[1], sub, "cv (the coefficient of variation) must be > 0");
            return false;
        }
        d->form = gamma ? SCN_FORM_GAMMA : SCN_FORM_EXPONENTIAL;
        rc = gamma ? sim_dist_gamma_mean_cv(&d->dist, pv[0], pv[1])
                   : sim_dist_exponential(&d->dist, pv[0]);
    } else if (!strcmp(spec->name, "lognormal")) {
        if ((pn[1] != NULL) == (pn[2] != NULL)) {
            scn_error(w, map, path, "a lognormal needs exactly one of sigma and p99 beside median");
            return false;
        }
        scn_join_path(sub, sizeof sub, path, "median");
        if (pv[0] <= 0) {
            scn_error(w, pn[0], sub, "the median must be > 0");
            return false;
        }
        if (pn[1]) {
            scn_join_path(sub, sizeof sub, path, "sigma");
            if (pv[1] < 0) {
                scn_error(w, pn[1], sub, "sigma must be >= 0");
                return false;
            }
            d->form = SCN_FORM_LOGNORMAL_SIGMA;
            rc = sim_dist_lognormal_sigma(&d->dist, pv[0], pv[1]);
        } else {
            scn_join_path(sub, sizeof sub, path, "p99");
            if (pv[2] <= pv[0]) {
                scn_error(w, pn[2], sub, "p99 (%s) must be greater than the median (%s)",
                          scn_text(pn[2]), scn_text(pn[0]));
                return false;
            }
            d->form = SCN_FORM_LOGNORMAL_P99;
            d->p2 = pv[2];
            rc = sim_dist_lognormal_p99(&d->dist, pv[0], pv[2]);
        }
    } else if (!strcmp(spec->name, "uniform")) {
        if (pv[0] > pv[1]) {
            scn_error(w, map, path, "min (%s) must not exceed max (%s)", scn_text(pn[0]),
                      scn_text(pn[1]));
            return false;
        }
        d->form = SCN_FORM_UNIFORM;
        rc = sim_dist_uniform(&d->dist, pv[0], pv[1]);
    } else if (!strcmp(spec->name, "pareto")) {
        if (pv[0] <= 0 || pv[1] <= 0) {
            scn_join_path(sub, sizeof sub, path, pv[0] <= 0 ? "min" : "alpha");
            scn_error(w, pv[0] <= 0 ? pn[0] : pn[1], sub, "must be > 0");
            return false;
        }
        d->form = SCN_FORM_PARETO;
        rc = sim_dist_pareto(&d->dist, pv[0], pv[1]);
    } else { /* empirical */
        d->form = SCN_FORM_EMPIRICAL;
        d->p1 = d->p2 = 0;
        if (!(d->file = strdup(scn_text(pn[0])))) {
            scn_oom(w);
            return false;
        }
        scn_join_path(sub, sizeof sub, path, "file");
        if (!read_empirical(w, pn[0], sub, d))
            return false;
        rc = sim_dist_empirical(&d->dist, d->values, d->n_values);
    }
    if (rc) {
        scn_error(w, map, path, "these parameters do not make a valid distribution");
        return false;
    }
    return true;
}

void scn_parse_dist(scn_walk *w, yaml_node_t *node, const char *path, scn_quantity q,
                       scn_dist *d)
{
    scn_dist_free(d);
    d->quantity = q;
    if (node->type == YAML_SCALAR_NODE && !scn_is_null(node)) {
        double v;
        if (parse_quantity(w, q, node, path, &v)) {
            d->form = SCN_FORM_PLAIN;
            d->p1 = v;
            sim_dist_constant(&d->dist, v);
        }
        return;
    }
    if (node->type != YAML_MAPPING_NODE) {
        scn_error(w, node, path, "expected %s, not %s",
                  q == SCN_QTY_DURATION
                      ? "a duration like 250ms or a distribution like {dist: exponential, mean: 500ms}"
                      : "a size like 5MB or a distribution like {dist: lognormal, median: 5MB, sigma: 0.8}",
                  scn_node_kind(node));
        return;
    }
    char sub[SCN_PATH_LEN];
    yaml_node_t *kind = scn_map_get(w, node, "dist");
    const dist_spec *spec = NULL;
    for (size_t i = 0; kind && i < N_DISTS; i++)
        if (!strcmp(scn_text(kind), DISTS[i].name))
            spec = &DISTS[i];
    if (!spec) {
        scn_join_path(sub, sizeof sub, path, "dist");
        if (kind)
            scn_error(w, kind, sub, "'%s' is not one of constant | exponential | lognormal | "
                      "uniform | gamma | pareto | empirical", scn_text(kind));
        else
            scn_error(w, node, path, "a distribution map needs 'dist:' (constant | exponential | "
                      "lognormal | uniform | gamma | pareto | empirical)");
        return;
    }
    const char *known[4] = {"dist"};
    size_t n_known = 1;
    for (size_t i = 0; i < 3 && spec->params[i]; i++)
        known[n_known++] = spec->params[i];

    yaml_node_t *pn[3] = {NULL, NULL, NULL};
    double pv[3] = {0, 0, 0};
    bool ok = true, seen_dist = false;
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++) {
        yaml_node_t *k = scn_node(w, p->key), *v = scn_node(w, p->value);
        const char *kt = scn_text(k);
        scn_join_path(sub, sizeof sub, path, kt);
        if (!strcmp(kt, "dist")) {
            if (seen_dist) {
                scn_error(w, k, sub, "duplicate key 'dist'");
                ok = false;
            }
            seen_dist = true;
            continue;
        }
        size_t i = 0;
        while (i < 3 && spec->params[i] && strcmp(kt, spec->params[i]))
            i++;
        if (i == 3 || !spec->params[i]) {
            scn_unknown_key(w, k, sub, known, n_known);
            ok = false;
            continue;
        }
        if (pn[i]) {
            scn_error(w, k, sub, "duplicate key '%s'", kt);
            ok = false;
            continue;
        }
        pn[i] = v;
        scn_record_key(w, sub, k, v);
        if (!strcmp(spec->name, "empirical")) {
            if (v->type != YAML_SCALAR_NODE || scn_is_null(v) || !*scn_text(v)) {
                scn_error(w, v, sub, "expected a file name, not %s", scn_node_kind(v));
                ok = false;
            }
        } else if (spec->quantity[i]) {
            ok &= parse_quantity(w, q, v, sub, &pv[i]);
        } else {
            ok &= parse_plain_number(w, v, sub, &pv[i]);
        }
    }
    /* Every parameter is required except lognormal's alternatives (checked in finish_dist). */
    bool lognormal = !strcmp(spec->name, "lognormal");
    for (size_t i = 0; i < 3 && spec->params[i]; i++) {
        if (!pn[i] && !(lognormal && i > 0)) {
            scn_join_path(sub, sizeof sub, path, spec->params[i]);
            scn_error(w, node, sub, "the %s distribution needs '%s'", spec->name, spec->params[i]);
            ok = false;
        }
    }
    if (ok)
        finish_dist(w, spec, node, pn, pv, path, d);
}

