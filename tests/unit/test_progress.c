/* tests/unit/test_progress.c — the progress counter, its clock, and the bar's text.
 *
 * A clock publishes its whole span and every item exactly once, however its publications fall;
 * a run with a progress counter reports exactly platforms x replications x (warmup + horizon)
 * simulated microseconds and every workload item once per platform, and its results are
 * byte-identical to a run without one, for any thread count. The bar's line is checked as
 * text; the bar itself never draws on something that is not a terminal. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run_util.h"

#include "cli/cli.h"
#include "cli/progress.h"
#include "sim/progress.h"

static void test_clock_publishes_span_once(void **state) {
    (void)state;
    sim_progress p;
    sim_progress_init(&p);
    sim_progress_expect(&p, 2000000);
    sim_progress_clock c;
    sim_progress_clock_init(&c, &p, 0, 2000000);
    /* One event every 10 us: a publication every SIM_PROGRESS_EVENTS events, of the time and
     * items reached at that event, and nothing in between. */
    uint64_t items = 0;
    int publications = 0;
    for (sim_time_us t = 10; t < 2000000; t += 10) {
        items += 3;
        uint64_t before = sim_progress_done(&p);
        sim_progress_clock_tick(&c, t, items);
        if (sim_progress_done(&p) != before) {
            publications++;
            assert_int_equal(sim_progress_done(&p), (uint64_t)t);
            assert_int_equal(sim_progress_items(&p), items);
            assert_int_equal(t / 10 % SIM_PROGRESS_EVENTS, 0);
        }
    }
    assert_int_equal(publications, 199999 / SIM_PROGRESS_EVENTS);
    sim_progress_clock_finish(&c, items + 5);
    assert_int_equal(sim_progress_done(&p), 2000000);
    assert_int_equal(sim_progress_items(&p), items + 5);
    assert_int_equal(sim_progress_total(&p), 2000000);
    /* Time past the end (draining) and repeated publications add nothing. */
    sim_progress_clock_publish(&c, 5000000, items + 5);
    sim_progress_clock_finish(&c, items + 5);
    assert_int_equal(sim_progress_done(&p), 2000000);
    assert_int_equal(sim_progress_items(&p), items + 5);
}

static void test_clock_edges(void **state) {
    (void)state;
    sim_progress_clock c;
    sim_progress_clock_init(&c, NULL, 0, 1000000); /* nothing to report to: ticks are harmless */
    for (int i = 0; i < 3 * SIM_PROGRESS_EVENTS; i++) sim_progress_clock_tick(&c, i, (uint64_t)i);
    sim_progress_clock_finish(&c, 7);
    sim_progress p;
    sim_progress_init(&p);
    sim_progress_clock_init(&c, &p, 0, 10); /* fewer events than a period: only the finish */
    sim_progress_clock_tick(&c, 3, 1);
    assert_int_equal(sim_progress_done(&p), 0);
    sim_progress_clock_finish(&c, 1);
    assert_int_equal(sim_progress_done(&p), 10);
    assert_int_equal(sim_progress_items(&p), 1);
    sim_progress_clock_init(&c, &p, 0, 0); /* an empty span */
    sim_progress_clock_finish(&c, 0);
    assert_int_equal(sim_progress_done(&p), 10);
}

/* Lambda, Glue and EMR on the same items, with a warmup. */
static const char THREE_PLATFORMS[] =
    "name: t\nhorizon: 2h\nwarmup: 30min\nreplications: 3\n"
    "workload:\n  arrivals: {process: poisson, rate: 2/s}\n  work: {cpu: 1s}\n"
    "lambda:\n  memory: 1769MB\n"
    "glue:\n  workers: 2\n  trigger: {every: 15min}\n"
    "emr:\n  core_nodes: 2\n  trigger: {every: 15min}\n";

static char *run_json(const char *yaml, const char *const *overrides, size_t n, int threads,
                      sim_progress *progress) {
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    int rc = scenario_load_string("test.yaml", yaml, overrides, n, &diag, &s);
    if (rc) sim_diag_print(&diag, stderr);
    sim_diag_fini(&diag);
    assert_int_equal(rc, 0);
    report r;
    report_init(&r);
    assert_int_equal(run_scenario(s, threads, progress, &r), 0);
    char *json = cli_render_json(s, &r);
    assert_non_null(json);
    report_fini(&r);
    scenario_destroy(s);
    return json;
}

static void test_run_counts_everything_once(void **state) {
    (void)state;
    const uint64_t span_us = UINT64_C(9000000000); /* 30 min + 2 h */
    for (int threads = 1; threads <= 3; threads++) {
        sim_progress p;
        sim_progress_init(&p);
        char *json = run_json(THREE_PLATFORMS, NULL, 0, threads, &p);
        assert_int_equal(sim_progress_total(&p), 3 * 3 * span_us);
        assert_int_equal(sim_progress_done(&p), 3 * 3 * span_us);
        /* About 2/s over 2.5 h, for each replication and platform. */
        double expected_items = 3.0 * 3.0 * 2.0 * 9000.0;
        assert_double_rel((double)sim_progress_items(&p), expected_items, 0.02);
        free(json);
    }
    /* Without warmup, the items are exactly the workload's, once per platform. */
    static const char *const no_warmup[] = {"warmup=0s"};
    sim_progress p;
    sim_progress_init(&p);
    test_run res;
    test_run_yaml_with(&res, THREE_PLATFORMS, no_warmup, 1, 2);
    double items_mean = test_metric(&res, "workload", "items");
    test_run_free(&res);
    free(run_json(THREE_PLATFORMS, no_warmup, 1, 2, &p));
    assert_int_equal(sim_progress_items(&p), (uint64_t)(3.0 * 3.0 * items_mean + 0.5));
}

static void test_results_do_not_depend_on_progress(void **state) {
    (void)state;
    char *reference = run_json(THREE_PLATFORMS, NULL, 0, 1, NULL);
    for (int threads = 1; threads <= 3; threads++) {
        sim_progress p;
        sim_progress_init(&p);
        char *with = run_json(THREE_PLATFORMS, NULL, 0, threads, &p);
        char *without = run_json(THREE_PLATFORMS, NULL, 0, threads, NULL);
        assert_string_equal(with, reference);
        assert_string_equal(without, reference);
        free(with);
        free(without);
    }
    free(reference);
    /* Stream triggers have their own events: Kinesis, with the bar's counter and without. */
    static const char kinesis[] =
        "name: k\nhorizon: 1h\nwarmup: 5min\nreplications: 2\n"
        "workload:\n  arrivals: {process: poisson, rate: 50/s}\n  work: {cpu: 5ms, io: 20ms}\n"
        "  errors: {rate: 0.01}\n"
        "lambda:\n  memory: 512MB\n  trigger: kinesis\n"
        "  kinesis: {shards: 4, batch_size: 100, batch_window: 2s}\n";
    char *a = run_json(kinesis, NULL, 0, 2, NULL);
    sim_progress p;
    sim_progress_init(&p);
    char *b = run_json(kinesis, NULL, 0, 2, &p);
    assert_int_equal(sim_progress_done(&p), sim_progress_total(&p));
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_render(void **state) {
    (void)state;
    char line[256];
    /* 42 % of 30 days simulated in 10 s: 4.2 M items, ETA 10 x 58/42 = 13.8 s. */
    uint64_t total = UINT64_C(30) * 86400 * 1000000;
    uint64_t done = total / 100 * 42;
    size_t n = cli_progress_render(line, sizeof line, 200, done, total, 4200000, 10.0,
                                   &cli_progress_style_sim);
    assert_int_equal(n, strlen(line));
    assert_string_equal(line, " 42% [########............] sim 12.6 d of 30 d  420 k items/s  ETA 0:14");
    /* Narrow terminals cut the line; it never wraps. */
    n = cli_progress_render(line, sizeof line, 20, done, total, 4200000, 10.0,
                            &cli_progress_style_sim);
    assert_int_equal(n, 20);
    assert_string_equal(line, " 42% [########......");
    /* Nothing done yet; all done (draining after the horizon); a style of plain counts. */
    cli_progress_render(line, sizeof line, 200, 0, total, 0, 2.0, &cli_progress_style_sim);
    assert_non_null(strstr(line, "  0% ["));
    assert_non_null(strstr(line, "ETA --:--"));
    cli_progress_render(line, sizeof line, 200, total + 5, total, 12345678, 3.0,
                        &cli_progress_style_sim);
    assert_non_null(strstr(line, "100% [####################]"));
    assert_non_null(strstr(line, "4.12 M items/s"));
    assert_non_null(strstr(line, "finishing"));
    static const cli_progress_style points = {"points", NULL};
    cli_progress_render(line, sizeof line, 200, 3, 12, 3, 7200.0, &points);
    assert_string_equal(line, " 25% [#####...............] 3/12  0.00 points/s  ETA 6:00:00");
}

static void test_no_bar_off_a_terminal(void **state) {
    (void)state;
    sim_progress p;
    sim_progress_init(&p);
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_null(cli_progress_start(&p, f, &cli_progress_style_sim));
    assert_int_equal(ftell(f), 0);
    fclose(f);
    cli_progress_stop(NULL);
}

int main(void) {
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock_publishes_span_once),
        cmocka_unit_test(test_clock_edges),
        cmocka_unit_test(test_run_counts_everything_once),
        cmocka_unit_test(test_results_do_not_depend_on_progress),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_no_bar_off_a_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
