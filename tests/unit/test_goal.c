/* tests/unit/test_goal.c — goals of capsim optimize (models/goal.h): METRIC OP VALUE with the
 * metric's unit (durations for *_s metrics, ratios and percentages, dollars), platform limits,
 * errors at --goal:N:COL, and judging a platform's section (goals that do not apply, overload,
 * lost items and the goals that allow them). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "models/goal.h"
#include "sim/error.h"

static goal parse_ok(const char *text)
{
    const char *args[] = {text};
    sim_diag diag;
    sim_diag_init(&diag);
    goal *g = NULL;
    int rc = goal_parse(args, 1, &diag, &g);
    if (rc) sim_diag_print(&diag, stderr);
    assert_int_equal(rc, SIM_OK);
    goal out = g[0];
    out.text = NULL;
    goal_free(g, 1);
    sim_diag_fini(&diag);
    return out;
}

/* The first error of a bad goal starts with want. */
static void assert_bad(const char *text, const char *want)
{
    const char *args[] = {"latency_s.p99<=2s", text};
    sim_diag diag;
    sim_diag_init(&diag);
    goal *g = NULL;
    assert_int_equal(goal_parse(args, 2, &diag, &g), SIM_ESCENARIO);
    assert_null(g);
    assert_true(diag.count >= 1);
    if (strncmp(diag.entries[0].text, want, strlen(want)) != 0)
        print_error("%s\n  got: %s\n want: %s...\n", text, diag.entries[0].text, want);
    assert_true(strncmp(diag.entries[0].text, want, strlen(want)) == 0);
    sim_diag_fini(&diag);
}

static void test_parse_good(void **state)
{
    (void)state;
    goal g = parse_ok("latency_s.p99<=2s");
    assert_string_equal(g.metric, "latency_s.p99");
    assert_string_equal(g.platform, "");
    assert_int_equal(g.op, GOAL_LE);
    assert_double_near(g.value, 2.0, 1e-12);
    g = parse_ok("  latency_s.p99 < 500ms ");
    assert_int_equal(g.op, GOAL_LT);
    assert_double_near(g.value, 0.5, 1e-12);
    assert_int_equal(g.metric_col, 3);
    assert_int_equal(g.value_col, 19);
    g = parse_ok("latency_s.p50<=1.5"); /* plain seconds */
    assert_double_near(g.value, 1.5, 1e-12);
    g = parse_ok("iterator_age_s.max<=1min");
    assert_double_near(g.value, 60.0, 1e-12);
    g = parse_ok("throttle_ratio<=0.1%");
    assert_double_near(g.value, 0.001, 1e-15);
    g = parse_ok("throttle_ratio<=0.001");
    assert_double_near(g.value, 0.001, 1e-15);
    g = parse_ok("lambda.cold_start_ratio>0.01");
    assert_string_equal(g.platform, "lambda");
    assert_string_equal(g.metric, "cold_start_ratio");
    assert_int_equal(g.op, GOAL_GT);
    g = parse_ok("cost_usd.per_month<=$120.50");
    assert_double_near(g.value, 120.5, 1e-12);
    g = parse_ok("glue.jobs>=4");
    assert_string_equal(g.platform, "glue");
    assert_int_equal(g.op, GOAL_GE);
    assert_double_near(g.value, 4.0, 1e-12);
    g = parse_ok("failed<=3");
    assert_double_near(g.value, 3.0, 1e-12);
}

static void test_parse_bad(void **state)
{
    (void)state;
    assert_bad("latency_s.p99=2s", "--goal:2:14: error: expected METRIC OP VALUE");
    assert_bad("latency_s.p99=<2s", "--goal:2:14: error: '=' before the comparison");
    assert_bad("latency_s.p99<=>2s", "--goal:2:16: error: unknown comparison '<=>'");
    assert_bad("<=2s", "--goal:2:1: error: no metric before '<='");
    assert_bad("latency_s.p99<=", "--goal:2:16: error: latency_s.p99: no value after '<='");
}

static void test_parse_bad_values(void **state)
{
    (void)state;
    assert_bad("latency_s.p99<=2 s", "--goal:2:16: error: latency_s.p99 is in seconds:");
    assert_bad("latency_s.p99<=2MB", "--goal:2:16: error: latency_s.p99 is in seconds:");
    assert_bad("throttle_ratio<=2", "--goal:2:17: error: throttle_ratio is a ratio: '2' is outside");
    assert_bad("throttle_ratio<=150%", "--goal:2:17: error: throttle_ratio is a ratio: '150%'");
    assert_bad("throttle_ratio<=1s", "--goal:2:17: error: throttle_ratio is a ratio: write a number");
    assert_bad("failed<=2s", "--goal:2:9: error: failed is a plain number:");
    assert_bad("cost_usd.per_month<=cheap", "--goal:2:21: error: cost_usd.per_month is in dollars");
    assert_bad("Latency.P99<=2s", "--goal:2:1: error: 'Latency.P99' is not a metric path");
    assert_bad("latency_s..p99<=2s", "--goal:2:1: error: 'latency_s..p99' is not a metric path");
    assert_bad("workload.items>=5", "--goal:2:1: error: goals are on a platform's results");
}

static void test_objective(void **state)
{
    (void)state;
    sim_diag diag;
    sim_diag_init(&diag);
    assert_int_equal(goal_check_objective("cost_usd.per_month", &diag), SIM_OK);
    assert_int_equal(goal_check_objective("latency_s.p99", &diag), SIM_OK);
    assert_int_equal(goal_check_objective("lambda.cost_usd.total", &diag), SIM_ESCENARIO);
    assert_int_equal(goal_check_objective("Cost", &diag), SIM_ESCENARIO);
    assert_int_equal(diag.count, 2);
    assert_true(strncmp(diag.entries[0].text, "--objective:1:1: error: the objective applies to every",
                        40) == 0);
    sim_diag_fini(&diag);
}

static void test_units(void **state)
{
    (void)state;
    assert_int_equal(goal_metric_unit("latency_s.p99"), GOAL_UNIT_SECONDS);
    assert_int_equal(goal_metric_unit("iterator_age_s.mean"), GOAL_UNIT_SECONDS);
    assert_int_equal(goal_metric_unit("startup_s.mean"), GOAL_UNIT_SECONDS);
    assert_int_equal(goal_metric_unit("throttle_ratio"), GOAL_UNIT_RATIO);
    assert_int_equal(goal_metric_unit("cost_usd.per_month"), GOAL_UNIT_USD);
    assert_int_equal(goal_metric_unit("failed"), GOAL_UNIT_NUMBER);
    assert_int_equal(goal_metric_unit("dpu_hours"), GOAL_UNIT_NUMBER);
    assert_int_equal(goal_metric_unit("items_sum"), GOAL_UNIT_NUMBER);
}

static void add(report_section *sec, const char *path, double v)
{
    assert_int_equal(report_section_add(sec, path, REPORT_REAL, &v, 1, NAN), SIM_OK);
}

static void test_judge(void **state)
{
    (void)state;
    const char *args[] = {"latency_s.p99<=2s", "throttle_ratio<=0.1%", "glue.jobs>=4"};
    sim_diag diag;
    sim_diag_init(&diag);
    goal *g = NULL;
    assert_int_equal(goal_parse(args, 3, &diag, &g), SIM_OK);
    report r;
    report_init(&r);
    report_section *lam = report_add_platform(&r, "lambda"), *glue = report_add_platform(&r, "glue");
    add(lam, "items", 100);
    add(lam, "completed", 100);
    add(lam, "latency_s.p99", 1.5);
    add(lam, "throttle_ratio", 0.0005);
    add(glue, "items", 100);
    add(glue, "completed", 100);
    add(glue, "latency_s.p99", 1.9);
    add(glue, "jobs", 3);
    double v[3];
    assert_int_equal(goal_judge(g, 3, lam, v), GOAL_MET);
    assert_double_near(v[0], 1.5, 0);
    assert_double_near(v[1], 0.0005, 0);
    assert_true(isnan(v[2])); /* glue.jobs is Glue's */
    /* throttle_ratio does not apply to Glue; jobs 3 < 4 misses goal 2 */
    assert_int_equal(goal_judge(g, 3, glue, v), 2);
    assert_true(isnan(v[1]));
    assert_false(goal_applies(&g[0], &r.workload));
    lam->metrics[1].value = 99; /* one item lost */
    assert_int_equal(goal_judge(g, 3, lam, v), GOAL_LOST_ITEMS);
    lam->overload.overloaded = true;
    assert_int_equal(goal_judge(g, 3, lam, v), GOAL_OVERLOADED);
    lam->overload.overloaded = false;
    lam->metrics[2].value = NAN; /* nothing completed: no latency */
    assert_int_equal(goal_judge(g, 3, lam, v), GOAL_LOST_ITEMS);
    goal_free(g, 3);

    /* a goal on failed items allows losses within it */
    const char *lossy[] = {"failed<=2", "latency_s.p99<=2s"};
    assert_int_equal(goal_parse(lossy, 2, &diag, &g), SIM_OK);
    lam->metrics[2].value = 1.0;
    add(lam, "failed", 1);
    assert_int_equal(goal_judge(g, 2, lam, v), GOAL_MET);
    lam->metrics[lam->n - 1].value = 3;
    assert_int_equal(goal_judge(g, 2, lam, v), 0);
    goal_free(g, 2);
    report_fini(&r);
    sim_diag_fini(&diag);
}

static void test_format(void **state)
{
    (void)state;
    char buf[48];
    goal_format_value(buf, sizeof buf, GOAL_UNIT_SECONDS, 2.0);
    assert_string_equal(buf, "2 s");
    goal_format_value(buf, sizeof buf, GOAL_UNIT_SECONDS, 0.25);
    assert_string_equal(buf, "250 ms");
    goal_format_value(buf, sizeof buf, GOAL_UNIT_RATIO, 0.001);
    assert_string_equal(buf, "0.1 %");
    goal_format_value(buf, sizeof buf, GOAL_UNIT_USD, 412.3);
    assert_string_equal(buf, "$412.30");
    goal_format_value(buf, sizeof buf, GOAL_UNIT_NUMBER, NAN);
    assert_string_equal(buf, "-");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),   cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_parse_bad_values), cmocka_unit_test(test_objective),
        cmocka_unit_test(test_units),        cmocka_unit_test(test_judge),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
