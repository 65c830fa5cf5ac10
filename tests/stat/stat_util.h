/* tests/stat/stat_util.h — running a scenario and comparing a metric with a closed form.
 *
 * A statistical test runs a scenario with a fixed seed and many replications, then checks the
 * metric against the exact value with a tolerance derived from the run's own confidence
 * interval: the standard error is ci95 / t(0.975, n-1), and the estimate must lie within
 * STAT_SE_TOLERANCE standard errors of the truth. So that a test cannot pass a wrong model by
 * being vague, it also requires the run to be precise: the standard error must be below a
 * stated share of the expected value (the "precision" argument). */
#ifndef TESTS_STAT_UTIL_H
#define TESTS_STAT_UTIL_H

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "models/run.h"
#include "sim/error.h"
#include "test_util.h"

#define STAT_SE_TOLERANCE 4.0

typedef struct stat_run {
    scenario *s;
    report r;
} stat_run;

/* Loads YAML text plus overrides and runs it on 2 threads; fails the test on any error. */
static inline void stat_run_start(stat_run *run, const char *yaml, const char *const *overrides,
                                  size_t n_overrides) {
    sim_diag diag;
    sim_diag_init(&diag);
    int rc = scenario_load_string("stat.yaml", yaml, overrides, n_overrides, &diag, &run->s);
    if (rc) sim_diag_print(&diag, stderr);
    sim_diag_fini(&diag);
    assert_int_equal(rc, 0);
    report_init(&run->r);
    assert_int_equal(run_scenario(run->s, 2, NULL, &run->r), 0);
}

static inline void stat_run_end(stat_run *run) {
    report_fini(&run->r);
    scenario_destroy(run->s);
}

static inline const report_metric *stat_metric(const stat_run *run, const char *platform,
                                               const char *path) {
    const report_section *sec = report_find_platform(&run->r, platform);
    assert_non_null(sec);
    const report_metric *m = report_section_find(sec, path);
    if (!m) print_error("no metric %s.%s\n", platform, path);
    assert_non_null(m);
    return m;
}

/* Checks metric `path` against `expected`: within STAT_SE_TOLERANCE standard errors, and the
 * standard error at most precision x expected. */
static inline void stat_assert_metric(const stat_run *run, const char *path, double expected,
                                      double precision) {
    const report_metric *m = stat_metric(run, "lambda", path);
    assert_true(m->has_ci);
    double n = (double)run->s->replications;
    double se = m->ci95 / gsl_cdf_tdist_Pinv(0.975, n - 1.0);
    print_message("  %-22s %.6g (expected %.6g, se %.3g = %.2f%%, off by %.2f se)\n", path,
                  m->value, expected, se, 100.0 * se / expected, fabs(m->value - expected) / se);
    if (se > precision * fabs(expected)) {
        print_error("%s: the run is too short for this test: se %.3g > %.3g\n", path, se,
                    precision * fabs(expected));
        fail();
    }
    assert_double_near(m->value, expected, STAT_SE_TOLERANCE * se);
}

#endif
