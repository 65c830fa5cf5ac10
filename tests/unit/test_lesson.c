/* tests/unit/test_lesson.c — lessons (models/lesson.h): answer templates parsed into text and
 * placeholders, expressions evaluated with a resolver (arithmetic, precedence, texts, gaps),
 * numbers read from a YAML file by key path, the index of lessons read from a folder (topics,
 * parts, files without a lesson), and the loader's rules for lesson blocks: runs, sweep, show
 * and answer checked at load, their mistakes reported at their lines; the effective scenario
 * with a lesson writes back and loads to the same text; scenario_key_number. */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/lesson.h"
#include "models/scenario.h"
#include "sim/error.h"

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/capsim-test-lesson-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- templates */

static void test_template_segments(void **state)
{
    (void)state;
    lesson_template t;
    char why[256];
    assert_int_equal(lesson_template_parse("Cost {a.lambda.cost_usd.total:usd}, {{literal}} and "
                                           "{b.lambda.cold_start_ratio:%}.", &t, why, sizeof why),
                     SIM_OK);
    assert_int_equal(t.n, 5);
    assert_string_equal(t.segs[0].text, "Cost ");
    assert_null(t.segs[0].expr);
    assert_non_null(t.segs[1].expr);
    assert_int_equal(t.segs[1].format, LESSON_FMT_USD);
    assert_string_equal(t.segs[2].text, ", {literal} and ");
    assert_int_equal(t.segs[3].format, LESSON_FMT_PERCENT);
    assert_string_equal(t.segs[4].text, ".");
    lesson_template_fini(&t);

    static const struct {
        const char *text, *why;
    } bad[] = {
        {"an {open brace", "without '}'"},
        {"a } alone", "without '{'"},
        {"{a.b:euros}", "unknown format 'euros'"},
        {"{nodot}", "is not RUN.METRIC"},
        {"{a.b +}", "expected a value"},
        {"{(a.b}", "expected ')'"},
        {"{sweep[1].}", "is not sweep[VALUE].PLATFORM.METRIC"},
        {"{median(lambda.x)}", "unknown function 'median'"},
        {"{crossing(lambda.x)}", "crossing takes two arguments"},
        {"{argmin(lambda.x, glue.y)}", "argmin takes one argument"},
        {"{pricing.}", "is not RUN.METRIC"},
        {"{a.b c.d}", "unexpected"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        assert_int_equal(lesson_template_parse(bad[i].text, &t, why, sizeof why), SIM_EPARSE);
        if (!strstr(why, bad[i].why))
            fail_msg("%s: '%s' does not say '%s'", bad[i].text, why, bad[i].why);
        assert_int_equal(t.n, 0);
    }
}

/* A resolver over fixed values: run "a" has x = 2, y = 8; run "b-c" has z = 3; name is a text;
 * pricing.missing is a gap; the function max(...) is 100; anything else is unknown. */
static int fake_resolve(void *ctx, const lesson_ref *ref, lesson_value *out, char *why,
                        size_t why_len)
{
    int *calls = ctx;
    (*calls)++;
    if (ref->kind == LESSON_REF_PRICING) {
        if (!strcmp(ref->path, "rate")) {
            out->number = 0.5;
            return SIM_OK;
        }
        snprintf(out->gap, sizeof out->gap, "no %s", ref->path);
        return SIM_OK;
    }
    if (ref->kind == LESSON_REF_CALL) {
        assert_string_equal(ref->scope, "max");
        assert_string_equal(ref->path, "lambda.cost");
        out->number = 100;
        return SIM_OK;
    }
    if (ref->kind == LESSON_REF_POINT) {
        assert_string_equal(ref->scope, "128MB");
        assert_string_equal(ref->path, "lambda.duration_s.mean");
        out->number = 27;
        return SIM_OK;
    }
    const char *key = ref->path;
    if (!strcmp(ref->scope, "a") && !strcmp(key, "lambda.x")) out->number = 2;
    else if (!strcmp(ref->scope, "a") && !strcmp(key, "lambda.y")) out->number = 8;
    else if (!strcmp(ref->scope, "b-c") && !strcmp(key, "lambda.z")) out->number = 3;
    else if (!strcmp(ref->scope, "a") && !strcmp(key, "comparison.cheapest")) out->text = "emr";
    else {
        snprintf(why, why_len, "unknown %s", ref->text);
        return SIM_EINVAL;
    }
    return SIM_OK;
}

static double eval(const char *text, int *rc, lesson_value *v)
{
    lesson_template t;
    char why[256];
    assert_int_equal(lesson_template_parse(text, &t, why, sizeof why), SIM_OK);
    assert_int_equal(t.n, 1);
    int calls = 0;
    *rc = lesson_expr_eval(t.segs[0].expr, fake_resolve, &calls, v, why, sizeof why);
    lesson_template_fini(&t);
    return v->number;
}

static void test_expressions(void **state)
{
    (void)state;
    lesson_value v;
    int rc;
    assert_double_near(eval("{a.lambda.x + a.lambda.y * 2}", &rc, &v), 18, 0);
    assert_double_near(eval("{(a.lambda.x + a.lambda.y) / 4}", &rc, &v), 2.5, 0);
    assert_double_near(eval("{a.lambda.y - a.lambda.x - 1}", &rc, &v), 5, 0); /* left to right */
    assert_double_near(eval("{-a.lambda.x * 3}", &rc, &v), -6, 0);
    assert_double_near(eval("{b-c.lambda.z - 1}", &rc, &v), 2, 0);  /* '-' in a run's name */
    assert_double_near(eval("{1.5e3 / 1000}", &rc, &v), 1.5, 0);
    assert_double_near(eval("{pricing.rate * 4:usd}", &rc, &v), 2, 0);
    assert_double_near(eval("{max(lambda.cost) / a.lambda.x}", &rc, &v), 50, 0);
    assert_double_near(eval("{sweep[128MB].lambda.duration_s.mean}", &rc, &v), 27, 0);
    assert_int_equal(rc, SIM_OK);
    eval("{a.comparison.cheapest}", &rc, &v);
    assert_int_equal(rc, SIM_OK);
    assert_string_equal(v.text, "emr");
    eval("{a.comparison.cheapest + 1}", &rc, &v);
    assert_int_equal(rc, SIM_EINVAL); /* a text cannot be added */
    eval("{a.lambda.x * pricing.missing}", &rc, &v);
    assert_int_equal(rc, SIM_OK);
    assert_string_equal(v.gap, "no missing");
    assert_true(isnan(v.number));
    eval("{a.lambda.nope}", &rc, &v);
    assert_int_equal(rc, SIM_EINVAL);
}

static void count_ref(void *ctx, const lesson_ref *ref)
{
    int *n = ctx;
    (*n)++;
    assert_non_null(ref->text);
}

static void test_each_ref(void **state)
{
    (void)state;
    lesson_template t;
    char why[256];
    assert_int_equal(lesson_template_parse("{(a.b + c.d) / pricing.e * crossing(lambda.f, emr.g)}",
                                           &t, why, sizeof why), SIM_OK);
    int n = 0;
    lesson_expr_each_ref(t.segs[0].expr, count_ref, &n);
    assert_int_equal(n, 4);
    lesson_template_fini(&t);
}

/* ---------------------------------------------------------------- YAML numbers */

static void test_yaml_number(void **state)
{
    (void)state;
    test_write_file(tmpdir, "table.yaml",
                    "lambda:\n  duration:\n    x86_64:\n      - {up_to: 6e9, usd_per_gb_s: 0.0000166667}\n"
                    "      - {usd_per_gb_s: 0.000015}\n  note: text\n  period: 5min\n"
                    "step_functions:\n  usd_per_1000_transitions: 0.025\n");
    char path[256];
    snprintf(path, sizeof path, "%s/table.yaml", tmpdir);
    double v = 0;
    assert_int_equal(lesson_yaml_number(path, "step_functions.usd_per_1000_transitions", &v), SIM_OK);
    assert_double_near(v, 0.025, 0);
    assert_int_equal(lesson_yaml_number(path, "lambda.duration.x86_64[1].usd_per_gb_s", &v), SIM_OK);
    assert_double_near(v, 0.000015, 0);
    assert_int_equal(lesson_yaml_number(path, "lambda.duration.x86_64[0].up_to", &v), SIM_OK);
    assert_double_near(v, 6e9, 0);
    assert_int_equal(lesson_yaml_number(path, "lambda.duration.x86_64[2].usd_per_gb_s", &v), SIM_EINVAL);
    assert_int_equal(lesson_yaml_number(path, "lambda.note", &v), SIM_EINVAL);   /* not a number */
    assert_int_equal(lesson_yaml_number(path, "lambda.period", &v), SIM_EINVAL); /* has a unit */
    assert_int_equal(lesson_yaml_number(path, "lambda.duration", &v), SIM_EINVAL); /* a map */
    assert_int_equal(lesson_yaml_number(path, "s3.usd_per_1000_put", &v), SIM_EINVAL);
    snprintf(path, sizeof path, "%s/none.yaml", tmpdir);
    assert_int_equal(lesson_yaml_number(path, "a", &v), SIM_EIO);
}

/* ---------------------------------------------------------------- the index */

static void test_index(void **state)
{
    (void)state;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/lessons", tmpdir);
    assert_int_equal(mkdir(dir, 0755), 0);
    test_write_file(dir, "b.yaml", "name: b\nlesson: {topic: spike, part: 2, question: Second?}\n");
    test_write_file(dir, "a.yaml", "name: a\nlesson: {topic: spike, question: First?}\n");
    test_write_file(dir, "c.yaml", "name: c\nlesson: {topic: cold-starts, question: Cold?}\n");
    test_write_file(dir, "d.yaml", "name: d\n");                   /* no lesson */
    test_write_file(dir, "e.yaml", "name: [unclosed\n");           /* not YAML */
    test_write_file(dir, "notes.txt", "lesson: {topic: x}\n");     /* not .yaml */
    lesson_index ix;
    assert_int_equal(lesson_index_read(dir, &ix), SIM_OK);
    assert_int_equal(ix.n, 3);
    assert_string_equal(ix.entries[0].topic, "cold-starts");
    assert_string_equal(ix.entries[1].question, "First?");  /* part 1 (unset) before part 2 */
    assert_string_equal(ix.entries[2].question, "Second?");
    assert_int_equal(ix.entries[2].part, 2);
    assert_non_null(strstr(ix.entries[2].file, "/b.yaml"));
    lesson_index_fini(&ix);
    snprintf(dir, sizeof dir, "%s/missing", tmpdir);
    assert_int_equal(lesson_index_read(dir, &ix), SIM_EIO);
}

static void test_shipped_index(void **state)
{
    (void)state;
    lesson_index ix;
    assert_int_equal(lesson_index_read(CAPSIM_SOURCE_DIR "/scenarios", &ix), SIM_OK);
    assert_true(ix.n >= 14);
    lesson_index_fini(&ix);
}

/* ---------------------------------------------------------------- the loader's rules */

static const char *BASE = "name: s\nhorizon: 1h\nworkload:\n  arrivals: {process: poisson, rate: 1/s}\n"
                          "lambda: {memory: 1769MB, timeout: 15min}\n";

static int load_text(const char *lesson, sim_diag *diag, scenario **out)
{
    char text[4096];
    snprintf(text, sizeof text, "%slesson:\n%s", BASE, lesson);
    sim_diag_init(diag);
    return scenario_load_string("s.yaml", text, NULL, 0, diag, out);
}

static void expect_error(const char *lesson, int line, const char *msg)
{
    sim_diag diag;
    scenario *s = NULL;
    assert_int_equal(load_text(lesson, &diag, &s), SIM_ESCENARIO);
    bool found = false;
    for (size_t i = 0; i < diag.count && !found; i++)
        found = strstr(diag.entries[i].text, msg) && (!line || diag.entries[i].line == line);
    if (!found) {
        sim_diag_print(&diag, stderr);
        fail_msg("no error '%s' at line %d", msg, line);
    }
    sim_diag_fini(&diag);
}

static void test_loader_rules(void **state)
{
    (void)state;
    sim_diag diag;
    scenario *s = NULL;
    assert_int_equal(load_text("  topic: t\n  part: 2\n"
                               "  runs:\n    - {name: one, set: [lambda.memory=512MB]}\n"
                               "    - {name: two}\n"
                               "  sweep: {set: [replications=2], vary: ['lambda.memory=128MB,1GB']}\n"
                               "  show: [lambda.cost_usd.total, workload.items]\n"
                               "  answer: '{one.lambda.cost_usd.total:usd} {sweep[1GB].lambda.items}"
                               " {argmin(lambda.cost_usd.total)} {pricing.a.b}'\n",
                               &diag, &s), SIM_OK);
    const scn_lesson *l = &s->lesson;
    assert_int_equal(l->part, 2);
    assert_int_equal(l->n_runs, 2);
    assert_string_equal(l->runs[0].name, "one");
    assert_int_equal(l->runs[0].n_set, 1);
    assert_string_equal(l->runs[0].set[0], "lambda.memory=512MB");
    assert_int_equal(l->runs[1].n_set, 0);
    assert_true(l->has_sweep);
    assert_int_equal(l->n_sweep_vary, 1);
    assert_string_equal(l->sweep_set[0], "replications=2");
    assert_false(l->sweep_zip);
    assert_int_equal(l->n_show, 2);
    /* The effective scenario writes the lesson back, and loads to the same text. */
    char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    FILE *f = open_memstream(&a, &alen);
    assert_int_equal(scenario_write_yaml(s, f), SIM_OK);
    fclose(f);
    scenario *s2 = NULL;
    sim_diag d2;
    sim_diag_init(&d2);
    assert_int_equal(scenario_load_string("w.yaml", a, NULL, 0, &d2, &s2), SIM_OK);
    f = open_memstream(&b, &blen);
    assert_int_equal(scenario_write_yaml(s2, f), SIM_OK);
    fclose(f);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "set: [\"lambda.memory=512MB\"]"));
    free(a);
    free(b);
    scenario_destroy(s2);
    sim_diag_fini(&d2);
    /* A setting by its path, in base units. */
    double v;
    assert_int_equal(scenario_key_number(s, "lambda.memory", &v), SIM_OK);
    assert_double_near(v, 1769, 0);
    assert_int_equal(scenario_key_number(s, "lambda.timeout", &v), SIM_OK);
    assert_double_near(v, 900, 0);
    assert_int_equal(scenario_key_number(s, "workload.arrivals.rate", &v), SIM_OK);
    assert_double_near(v, 1, 0);
    assert_int_equal(scenario_key_number(s, "lambda.concurrency.scale_rate", &v), SIM_OK);
    assert_double_near(v, 100, 1e-9);
    assert_int_equal(scenario_key_number(s, "lambda.trigger", &v), SIM_EINVAL);
    assert_int_equal(scenario_key_number(s, "lambda", &v), SIM_EINVAL);
    assert_int_equal(scenario_key_number(s, "lambda.nope", &v), SIM_EINVAL);
    scenario_destroy(s);
    sim_diag_fini(&diag);

    /* Without runs, the scenario's own name is the run. */
    assert_int_equal(load_text("  answer: '{s.lambda.items:n}'\n", &diag, &s), SIM_OK);
    scenario_destroy(s);
    sim_diag_fini(&diag);

    expect_error("  answer: '{other.lambda.items}'\n", 7, "no run named 'other' (runs: s)");
    expect_error("  runs: [{name: a}]\n  answer: '{s.lambda.items}'\n", 8, "no run named 's'");
    expect_error("  answer: '{sweep[1].lambda.items}'\n", 7, "needs lesson.sweep");
    expect_error("  answer: '{min(lambda.items)}'\n", 7, "needs lesson.sweep");
    expect_error("  sweep: {vary: ['lambda.memory=1GB']}\n  answer: '{s.lambda.items}'\n", 8,
                 "the lesson has no runs, only its sweep");
    expect_error("  answer: 'a {broken'\n", 7, "without '}'");
    expect_error("  runs: [{name: a}, {name: a}]\n", 7, "'a' is the name of runs[0] too");
    expect_error("  runs: [{name: sweep}]\n", 7, "'sweep' is reserved");
    expect_error("  runs: [{name: Bad}]\n", 7, "must use only a-z, 0-9 and '-'");
    expect_error("  runs: [{set: [a=b]}]\n", 7, "name");
    expect_error("  show: [cost_usd.total]\n", 7, "is not PLATFORM.METRIC");
    expect_error("  show: lambda.items\n", 7, "expected a list of texts");
    expect_error("  sweep: {zip: true}\n", 7, "vary");
    expect_error("  part: 0\n", 7, "outside");
}

int main(void)
{
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_segments),
        cmocka_unit_test(test_expressions),
        cmocka_unit_test(test_each_ref),
        cmocka_unit_test(test_yaml_number),
        cmocka_unit_test(test_index),
        cmocka_unit_test(test_shipped_index),
        cmocka_unit_test(test_loader_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
