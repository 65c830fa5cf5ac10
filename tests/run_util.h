/* tests/run_util.h — running a scenario given as YAML text and reading its metrics.
 *
 * Shared by the model tests: load (with overrides), check what this version simulates, run on
 * the given number of threads, and look metrics up by platform and dotted path. Any failure
 * fails the calling test with the loader's diagnostics printed. */
#ifndef TESTS_RUN_UTIL_H
#define TESTS_RUN_UTIL_H

#include "models/run.h"
#include "sim/error.h"
#include "test_util.h"

typedef struct test_run {
    scenario *s;
    report r;
} test_run;

static inline void test_run_yaml_with(test_run *out, const char *yaml, const char *const *overrides,
                                      size_t n_overrides, int threads) {
    sim_diag diag;
    sim_diag_init(&diag);
    int rc = scenario_load_string("test.yaml", yaml, overrides, n_overrides, &diag, &out->s);
    if (rc) sim_diag_print(&diag, stderr);
    sim_diag_fini(&diag);
    assert_int_equal(rc, 0);
    report_init(&out->r);
    assert_int_equal(run_scenario(out->s, threads, NULL, &out->r), 0);
}

static inline void test_run_yaml(test_run *out, const char *yaml) {
    test_run_yaml_with(out, yaml, NULL, 0, 2);
}

static inline void test_run_free(test_run *out) {
    report_fini(&out->r);
    scenario_destroy(out->s);
}

static inline const report_metric *test_run_find(const test_run *res, const char *platform,
                                                 const char *path) {
    const report_section *sec = strcmp(platform, "workload") == 0
                                    ? &res->r.workload
                                    : report_find_platform(&res->r, platform);
    if (!sec) print_error("no platform %s\n", platform);
    assert_non_null(sec);
    const report_metric *m = report_section_find(sec, path);
    if (!m) print_error("no metric %s.%s\n", platform, path);
    assert_non_null(m);
    return m;
}

/* The value of platform.path ("lambda", "cold_starts"). */
static inline double test_metric(const test_run *res, const char *platform, const char *path) {
    return test_run_find(res, platform, path)->value;
}

#endif
