/* tests/unit/test_series.c — time series (sim/series.h, models/series.h).
 *
 * Recording changes no result: every shipped scenario and every good test scenario gives the
 * same JSON, byte for byte, with and without a series, for 1 and 2 threads. The series agree
 * with the results they sit beside: the buckets' busy and live integrals over the statistics
 * window are concurrency.mean and environments.mean; running totals end at the results' counts;
 * the cost accrued by the end of the run is cost_usd.total; the series themselves are the same
 * bits for any thread count. Bucket arithmetic: equal widths, a shorter last one, the cap. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run_util.h"

#include "cli/cli.h"
#include "models/series.h"
#include "sim/series.h"

static void test_buckets(void **state) {
    (void)state;
    sim_series t;
    assert_int_equal(sim_series_init(&t, 0, 10 * SIM_US_PER_S, 3 * SIM_US_PER_S, 2), 0);
    assert_int_equal(t.n_buckets, 4);
    assert_int_equal(sim_series_bucket_start(&t, 3), 9 * SIM_US_PER_S);
    assert_int_equal(sim_series_bucket_end(&t, 2), 9 * SIM_US_PER_S);
    assert_int_equal(sim_series_bucket_end(&t, 3), 10 * SIM_US_PER_S); /* the short last one */
    sim_series u;
    assert_int_equal(sim_series_init_like(&u, &t), 0);
    sim_series_row(&t, 4)[1] = 5; /* the end-of-run row */
    sim_series_row(&u, 4)[1] = 2;
    t.replications = u.replications = 1;
    sim_series_merge(&t, &u);
    assert_int_equal(sim_series_row(&t, 4)[1], 7);
    assert_int_equal(t.replications, 2);
    sim_series_fini(&u);
    sim_series_fini(&t);
    assert_int_equal(sim_series_init(&t, 0, 10, 0, 2), SIM_EINVAL);
    assert_int_equal(sim_series_init(&t, 5, 5, 1, 2), SIM_EINVAL);
    assert_int_equal(sim_series_init(&t, 0, SIM_SERIES_MAX_BUCKETS + 1, 1, 2), SIM_EINVAL);
    assert_int_equal(sim_series_init(&t, 0, SIM_SERIES_MAX_BUCKETS, 1, 2), 0);
    sim_series_fini(&t);
}

/* Runs a loaded scenario; returns its JSON (and fills *series when given). */
static char *json_of(const scenario *s, int threads, run_series *series) {
    report r;
    report_init(&r);
    run_options o = {.threads = threads, .series = series};
    assert_int_equal(run_scenario_with(s, &o, &r), 0);
    char *json = cli_render_json(s, &r);
    assert_non_null(json);
    report_fini(&r);
    return json;
}

static size_t compare_folder(const char *rel) {
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", CAPSIM_SOURCE_DIR, rel);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t compared = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0) continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        sim_diag diag;
        sim_diag_init(&diag);
        scenario *s = NULL;
        int rc = scenario_load_file(path, NULL, 0, &diag, &s);
        sim_diag_fini(&diag);
        if (rc) { /* data it needs is absent here (the Azure trace) */
            printf("skipped (does not load here): %s\n", path);
            continue;
        }
        char *plain = json_of(s, 2, NULL);
        for (int threads = 1; threads <= 2; threads++) {
            run_series rs;
            run_series_init(&rs, 0);
            char *recorded = json_of(s, threads, &rs);
            if (strcmp(plain, recorded) != 0) print_error("%s differs when recorded\n", path);
            assert_string_equal(plain, recorded);
            assert_true(rs.lambda_on == s->lambda.present && rs.glue_on == s->glue.present &&
                        rs.emr_on == s->emr.present);
            free(recorded);
            run_series_fini(&rs);
        }
        free(plain);
        scenario_destroy(s);
        compared++;
    }
    closedir(d);
    return compared;
}

static void test_results_do_not_depend_on_recording(void **state) {
    (void)state;
    assert_true(compare_folder("scenarios") >= 8);
    assert_true(compare_folder("tests/data/good") >= 5);
}

/* Lambda (async, with a provisioned pool) and Glue and EMR on the same items, with a warmup
 * that falls on a bucket boundary (60 s buckets). */
static const char THREE[] =
    "name: t\nhorizon: 1h\nwarmup: 5min\nreplications: 3\nseed: 9\n"
    "workload:\n  arrivals: {process: poisson, rate: 4/s}\n  work: {cpu: {dist: exponential, mean: 1s}}\n"
    "lambda:\n  memory: 1769MB\n  trigger: async\n  concurrency: {reserved: 6, provisioned: 2}\n"
    "glue:\n  workers: 2\n  trigger: {every: 15min}\n"
    "emr:\n  deployment: ec2\n  mode: persistent\n  core_nodes: 2\n  trigger: {every: 10min}\n";

static double total_in_window(const sim_series *t, int col, sim_time_us from_us) {
    double sum = 0;
    for (uint32_t b = 0; b < t->n_buckets; b++)
        if (sim_series_bucket_start(t, b) >= from_us) sum += (double)sim_series_row_const(t, b)[col];
    return sum / (double)t->replications;
}

static void test_series_agree_with_results(void **state) {
    (void)state;
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    int rc = scenario_load_string("t.yaml", THREE, NULL, 0, &diag, &s);
    if (rc) sim_diag_print(&diag, stderr);
    sim_diag_fini(&diag);
    assert_int_equal(rc, 0);
    report r;
    report_init(&r);
    run_series rs;
    run_series_init(&rs, 60 * SIM_US_PER_S);
    run_options o = {.threads = 2, .series = &rs};
    assert_int_equal(run_scenario_with(s, &o, &r), 0);
    const sim_series *L = &rs.lambda;
    assert_int_equal(L->n_buckets, 65);
    assert_int_equal(L->replications, 3);
    const report_section *lam = report_find_platform(&r, "lambda");
    double horizon_us = (double)s->horizon_us;
    assert_double_rel(total_in_window(L, LAMBDA_SERIES_BUSY_US, s->warmup_us) / horizon_us,
                      report_value(lam, "concurrency.mean", NAN), 1e-9);
    assert_double_rel(total_in_window(L, LAMBDA_SERIES_LIVE_US, s->warmup_us) / horizon_us,
                      report_value(lam, "environments.mean", NAN), 1e-9);
    /* Two provisioned environments at every boundary; live never below them. */
    for (uint32_t b = 0; b < L->n_buckets; b++) {
        assert_double_near(run_series_at_end(L, b, LAMBDA_SERIES_PROVISIONED), 2.0, 0.0);
        assert_true(run_series_time_mean(L, b, LAMBDA_SERIES_LIVE_US) >= 2.0 - 1e-9);
        assert_true(run_series_time_mean(L, b, LAMBDA_SERIES_BUSY_US) <= 6.0 + 1e-9);
    }
    /* Running totals: what arrived in the buckets is the workload; the end row is the results'. */
    double items = 0, invocations = 0;
    for (uint32_t b = 0; b < L->n_buckets; b++) {
        items += run_series_in_bucket(L, b, LAMBDA_SERIES_ITEMS);
        invocations += run_series_in_bucket(L, b, LAMBDA_SERIES_INVOCATIONS);
    }
    assert_double_rel(items, report_value(&r.workload, "items", NAN), 1e-12);
    assert_double_rel(run_series_at_end(L, L->n_buckets, LAMBDA_SERIES_INVOCATIONS),
                      report_value(lam, "invocations", NAN), 1e-12);
    assert_true(invocations <= report_value(lam, "invocations", NAN) + 1e-9);
    assert_double_rel(run_series_at_end(L, L->n_buckets, LAMBDA_SERIES_COLD_STARTS),
                      report_value(lam, "cold_starts", NAN), 1e-12);
    /* The pooled latencies: every completed item of every replication, p99 as reported. */
    assert_non_null(rs.lambda_latency_us);
    assert_double_rel((double)rs.lambda_latency_us->n / 3.0, report_value(lam, "completed", NAN),
                      1e-12);
    assert_double_near(sim_time_to_s(sim_hist_quantile(rs.lambda_latency_us, 0.99)),
                       report_value(lam, "latency_s.p99", NAN), 0.0);
    assert_double_rel((double)rs.glue_latency_us->n / 3.0,
                      report_value(report_find_platform(&r, "glue"), "completed", NAN), 1e-12);
    /* Nothing counts during the warmup. */
    assert_double_near(run_series_at_end(L, 4, LAMBDA_SERIES_INVOCATIONS), 0.0, 0.0);
    /* Cost: grows, and ends at the total; provisioned concurrency accrues from the warmup on. */
    double prev = 0;
    for (uint32_t b = 0; b < L->n_buckets; b++) {
        double c = run_series_cost(&rs, lam, b);
        assert_true(c >= prev - 1e-12);
        prev = c;
    }
    assert_double_near(run_series_cost(&rs, lam, 4), 0.0, 0.0);
    assert_double_rel(run_series_cost(&rs, lam, L->n_buckets),
                      report_value(lam, "cost_usd.total", NAN), 1e-9);
    /* Glue every 15 min: the items waiting at a boundary just after a run are few; the
     * persistent cluster's cost grows linearly from the warmup. */
    const report_section *glue = report_find_platform(&r, "glue");
    const report_section *emr = report_find_platform(&r, "emr");
    double glue_items = 0;
    for (uint32_t b = 0; b < rs.glue.n_buckets; b++)
        glue_items += run_series_in_bucket(&rs.glue, b, BATCH_SERIES_ITEMS);
    assert_double_rel(glue_items, report_value(&r.workload, "items", NAN), 1e-12);
    assert_true(run_series_at_end(&rs.glue, 28, BATCH_SERIES_WAITING) > 1000); /* at 29 min */
    assert_true(run_series_at_end(&rs.glue, 29, BATCH_SERIES_WAITING) < 10);   /* a run at 30 */
    assert_double_rel(run_series_cost(&rs, glue, rs.glue.n_buckets),
                      report_value(glue, "cost_usd.total", NAN), 1e-9);
    double emr_total = report_value(emr, "cost_usd.total", NAN);
    assert_double_rel(run_series_cost(&rs, emr, 34), emr_total * 30.0 / 60.0, 1e-9);
    assert_double_rel(run_series_cost(&rs, emr, rs.emr.n_buckets - 1), emr_total, 1e-9);

    /* The same bits for any thread count. */
    for (int threads = 1; threads <= 3; threads += 2) {
        report r2;
        report_init(&r2);
        run_series rs2;
        run_series_init(&rs2, 60 * SIM_US_PER_S);
        run_options o2 = {.threads = threads, .series = &rs2};
        assert_int_equal(run_scenario_with(s, &o2, &r2), 0);
        size_t cells = ((size_t)L->n_buckets + 1) * L->n_cols;
        assert_memory_equal(rs2.lambda.v, L->v, cells * sizeof *L->v);
        assert_memory_equal(rs2.glue.v, rs.glue.v,
                            ((size_t)rs.glue.n_buckets + 1) * BATCH_SERIES_COLS * sizeof *L->v);
        run_series_fini(&rs2);
        report_fini(&r2);
    }
    run_series_fini(&rs);
    report_fini(&r);
    scenario_destroy(s);
}

/* Kinesis falling behind: records wait and the next one in line grows older. */
static void test_stream_backlog(void **state) {
    (void)state;
    static const char yaml[] =
        "name: k\nhorizon: 30min\nreplications: 2\n"
        "workload:\n  arrivals: {process: poisson, rate: 200/s}\n  item: {size: 1KB}\n"
        "  work: {cpu: 10ms}\n"
        "lambda:\n  memory: 256MB\n  trigger: kinesis\n"
        "  kinesis: {shards: 1, batch_size: 10, batch_window: 0s}\n";
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    int rc = scenario_load_string("k.yaml", yaml, NULL, 0, &diag, &s);
    if (rc) sim_diag_print(&diag, stderr);
    sim_diag_fini(&diag);
    assert_int_equal(rc, 0);
    report r;
    report_init(&r);
    run_series rs;
    run_series_init(&rs, 0);
    run_options o = {.threads = 2, .series = &rs};
    assert_int_equal(run_scenario_with(s, &o, &r), 0);
    const sim_series *L = &rs.lambda;
    assert_int_equal(L->n_buckets, RUN_SERIES_BUCKETS);
    uint32_t a = L->n_buckets / 4, b = L->n_buckets - 1;
    assert_true(run_series_at_end(L, b, LAMBDA_SERIES_QUEUED) >
                2 * run_series_at_end(L, a, LAMBDA_SERIES_QUEUED));
    assert_true(run_series_at_end(L, b, LAMBDA_SERIES_OLDEST_US) >
                2 * run_series_at_end(L, a, LAMBDA_SERIES_OLDEST_US));
    assert_true(run_series_at_end(L, b, LAMBDA_SERIES_IN_FLIGHT) >=
                run_series_at_end(L, b, LAMBDA_SERIES_QUEUED));
    run_series_fini(&rs);
    report_fini(&r);
    scenario_destroy(s);
}

int main(void) {
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buckets),
        cmocka_unit_test(test_results_do_not_depend_on_recording),
        cmocka_unit_test(test_series_agree_with_results),
        cmocka_unit_test(test_stream_backlog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
