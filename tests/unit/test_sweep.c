/* tests/unit/test_sweep.c — sweep specifications (models/sweep.h): lists, ranges, grids, zip,
 * their errors and positions; points loaded with their values (and errors reported at the
 * --vary argument); common random numbers across points; runs independent of thread count. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

#include "models/lambda.h"
#include "models/sweep.h"
#include "sim/error.h"

/* Parses args (a NULL-terminated list); on failure prints the diagnostics. */
static int parse(const char *const *args, bool zip, sim_diag *diag, sweep **out)
{
    size_t n = 0;
    while (args[n]) n++;
    sim_diag_init(diag);
    return sweep_parse(args, n, zip, diag, out);
}

/* The values of a one-axis sweep, joined with spaces. */
static void values_of(const char *arg, char *buf, size_t len)
{
    const char *args[] = {arg, NULL};
    sim_diag diag;
    sweep *sw = NULL;
    int rc = parse(args, false, &diag, &sw);
    if (rc) sim_diag_print(&diag, stderr);
    assert_int_equal(rc, SIM_OK);
    size_t at = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < sw->axes[0].n_values; k++)
        at += (size_t)snprintf(buf + at, len - at, "%s%s", k ? " " : "", sw->axes[0].values[k].text);
    assert_int_equal(sw->n_points, sw->axes[0].n_values);
    sweep_destroy(sw);
    sim_diag_fini(&diag);
}

#define assert_values(arg, expected)                    \
    do {                                                \
        char got_[8192];                                \
        values_of((arg), got_, sizeof got_);            \
        if (strcmp(got_, (expected)) != 0)              \
            print_error("%s -> '%s'\n", (arg), got_);   \
        assert_string_equal(got_, (expected));          \
    } while (0)

/* The first diagnostic of a failing spec must be `want` (a prefix of the message). */
static void assert_error(const char *const *args, bool zip, const char *want)
{
    sim_diag diag;
    sweep *sw = NULL;
    int rc = parse(args, zip, &diag, &sw);
    assert_int_equal(rc, SIM_ESCENARIO);
    assert_null(sw);
    assert_true(diag.count >= 1);
    if (strncmp(diag.entries[0].text, want, strlen(want)) != 0)
        print_error("got: %s\nwant: %s...\n", diag.entries[0].text, want);
    assert_true(strncmp(diag.entries[0].text, want, strlen(want)) == 0);
    sim_diag_fini(&diag);
}

#define ERR1(arg, want)                                  \
    do {                                                 \
        const char *args_[] = {(arg), NULL};             \
        assert_error(args_, false, (want));              \
    } while (0)

static void test_lists(void **state)
{
    (void)state;
    assert_values("lambda.memory=128MB,256MB, 1GB", "128MB 256MB 1GB");
    /* commas inside flow values and quotes belong to the value */
    assert_values("lambda.cold_start.init={dist: exponential, mean: 1s},[a, b],'x,y',\"p,\\\"q\"",
                  "{dist: exponential, mean: 1s} [a, b] 'x,y' \"p,\\\"q\"");
    /* not ranges: paths, text, quoted ranges */
    assert_values("workload.arrivals.trace.file=../a.csv,data/../b.csv,'1..2'",
                  "../a.csv data/../b.csv '1..2'");
    /* a list can mix values and ranges */
    assert_values("lambda.memory=128MB,1GB..4GB:x2,10240MB", "128MB 1GB 2GB 4GB 10240MB");
}

static void test_ranges(void **state)
{
    (void)state;
    /* geometric, in A's unit; B not hit: stops before it */
    assert_values("lambda.memory=128MB..3008MB:x2", "128MB 256MB 512MB 1024MB 2048MB");
    assert_values("lambda.memory=128MB..3GB:x2", "128MB 256MB 512MB 1024MB 2048MB");
    assert_values("lambda.memory=1024MB..128MB:x0.5", "1024MB 512MB 256MB 128MB");
    assert_values("workload.arrivals.rate=1/s..1000/s:x10", "1/s 10/s 100/s 1000/s");
    assert_values("x=1..2:x1.1", "1 1.1 1.21 1.331 1.4641 1.61051 1.771561 1.9487171");
    /* arithmetic: B included when hit, floating noise absorbed */
    assert_values("x=0..100:+10", "0 10 20 30 40 50 60 70 80 90 100");
    assert_values("x=0..1:+0.1", "0 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 1");
    assert_values("x=0..10:+3", "0 3 6 9");
    assert_values("x=100..0:-25", "100 75 50 25 0");
    assert_values("x=-1..1:+0.5", "-1 -0.5 0 0.5 1");
    assert_values("x=5..5:+1", "5");
    assert_values("x=5..5:x2", "5");
    assert_values("x=1e14..1e16:x10", "100000000000000 1e+15 1e+16");
    assert_values("x=1e-8..1e-10:x0.1", "0.00000001 0.000000001 1e-10");
    /* steps with a unit or in A's unit; B in another unit of the same kind */
    assert_values("lambda.timeout=1s..2s:+250ms", "1s 1.25s 1.5s 1.75s 2s");
    assert_values("lambda.memory=128MB..1GB:+256", "128MB 384MB 640MB 896MB");
    assert_values("workload.arrivals.rate=60/min..5/s:+1/s", "60/min 120/min 180/min 240/min 300/min");
    assert_values("workload.arrivals.rate=0.5/s..2/s:+0.5", "0.5/s 1/s 1.5/s 2/s");
    /* durations are whole microseconds */
    assert_values("lambda.timeout=1s..10s:x1.3",
                  "1s 1.3s 1.69s 2.197s 2.8561s 3.71293s 4.826809s 6.274852s 8.157307s");
    assert_values("lambda.keep_alive=1min..3min:+30s", "1min 1.5min 2min 2.5min 3min");
}

static void test_range_errors(void **state)
{
    (void)state;
    /* each error points at the --vary argument (1-based index) and a column in it */
    ERR1("lambda.memory=128MB..3008MB", "--vary:1:15: error: lambda.memory: range '128MB..3008MB' has no step");
    ERR1("lambda.memory=128MB..3008MB:x1", "--vary:1:29: error: lambda.memory: x1 never moves");
    ERR1("x=1..10:+0", "--vary:1:9: error: x: a step of +0 never moves");
    ERR1("x=10..1:+1", "--vary:1:9: error: x: empty range: 10 is above 1");
    ERR1("x=1..10:-1", "--vary:1:9: error: x: empty range: 1 is below 10");
    ERR1("x=1..10:x0.5", "--vary:1:9: error: x: x0.5 shrinks from 1 and never reaches 10");
    ERR1("x=10..1:x2", "--vary:1:9: error: x: empty range: 10 is above 1 and x2 grows");
    ERR1("x=0..10:x2", "--vary:1:3: error: x: a geometric range needs a start and an end above 0");
    ERR1("x=1..10:x-2", "--vary:1:9: error: x: the factor x-2 must be above 0");
    ERR1("x=1..10:*2", "--vary:1:9: error: x: the step must be xK");
    ERR1("lambda.memory=128MB..3s:x2", "--vary:1:22: error: lambda.memory: the range mixes kinds");
    ERR1("x=1..10s:+1", "--vary:1:6: error: x: the range mixes kinds");
    ERR1("lambda.memory=128MB..1GB:+1s", "--vary:1:27: error: lambda.memory: the step '1s' is a duration");
    ERR1("x=1..:+1", "--vary:1:6: error: x: the range has no end");
    ERR1("x=1..1e:+1", "--vary:1:6: error: x: range end:");
    ERR1("x=1ms..1s:+0.5us", "--vary:1:12: error: x: step: '0.5us' is finer than");
    ERR1("x=1ms..1s:+0.0005", "--vary:1:11: error: x: the step +0.0005 is finer than 1us");
    ERR1("x=1..1000000:+1", "--vary:1:3: error: x: range '1..1000000:+1' has more than 100000 values");
    ERR1("x=1..1e300:x1.0000001", "--vary:1:3: error: x: range '1..1e300:x1.0000001' has more than");
    /* the position is that of the range inside the list */
    ERR1("lambda.memory=128MB, 1GB..2GB", "--vary:1:22: error: lambda.memory: range '1GB..2GB' has no step");
}

static void test_spec_errors(void **state)
{
    (void)state;
    ERR1("lambda.memory=", "--vary:1:15: error: lambda.memory: no values after '='");
    ERR1("lambda.memory=128MB,,256MB", "--vary:1:21: error: lambda.memory: empty value");
    ERR1("lambda.memory=128MB,", "--vary:1:21: error: lambda.memory: empty value");
    ERR1("=1,2", "--vary:1:1: error: expected KEY=V1,V2");
    ERR1("seed=1,2", "--vary:1:1: error: seed: cannot be varied");
    ERR1("replications=1,2", "--vary:1:1: error: replications: cannot be varied");
    const char *dup[] = {"lambda.memory=128MB", "lambda.memory=256MB", NULL};
    assert_error(dup, false, "--vary:2:1: error: lambda.memory: already varied by --vary 1");
    const char *nested[] = {"lambda.cold_start.init=1s", "lambda.cold_start={init: 2s}", NULL};
    assert_error(nested, false, "--vary:2:1: error: lambda.cold_start: already varied by --vary 1");
    const char *zip[] = {"a=1,2,3", "b=1,2", NULL};
    assert_error(zip, true, "--vary:2:1: error: b: --zip pairs the values");
    const char *big[] = {"a=1..1000:+1", "b=1..1000:+1", NULL};
    assert_error(big, false, "--vary:2:1: error: b: the grid would have more than 100000 points");
    /* every problem is reported, not just the first */
    const char *many[] = {"a=1..2", "b=,", NULL};
    sim_diag diag;
    sweep *sw = NULL;
    assert_int_equal(parse(many, false, &diag, &sw), SIM_ESCENARIO);
    assert_int_equal(diag.count, 3);
    sim_diag_fini(&diag);
}

static void test_grid_and_zip(void **state)
{
    (void)state;
    const char *args[] = {"a=1,2", "b=x,y,z", NULL};
    sim_diag diag;
    sweep *sw = NULL;
    assert_int_equal(parse(args, false, &diag, &sw), SIM_OK);
    assert_int_equal(sw->n_points, 6);
    /* row-major: the first --vary varies slowest */
    const char *want[6][2] = {{"1", "x"}, {"1", "y"}, {"1", "z"}, {"2", "x"}, {"2", "y"}, {"2", "z"}};
    for (size_t p = 0; p < 6; p++)
        for (size_t a = 0; a < 2; a++)
            assert_string_equal(sw->axes[a].values[sweep_point_value(sw, p, a)].text, want[p][a]);
    sweep_destroy(sw);
    sim_diag_fini(&diag);

    const char *zargs[] = {"a=1,2,3", "b=x,y,z", NULL};
    assert_int_equal(parse(zargs, true, &diag, &sw), SIM_OK);
    assert_int_equal(sw->n_points, 3);
    for (size_t p = 0; p < 3; p++) {
        assert_int_equal(sweep_point_value(sw, p, 0), p);
        assert_int_equal(sweep_point_value(sw, p, 1), p);
    }
    sweep_destroy(sw);
    sim_diag_fini(&diag);
}

static void test_value_numbers(void **state)
{
    (void)state;
    double v;
    assert_true(sweep_value_base("2/min", &v));
    assert_double_rel(v, 2.0 / 60, 1e-15);
    assert_true(sweep_value_base("1.5GB", &v));
    assert_double_rel(v, 1536, 0);
    assert_true(sweep_value_base("250ms", &v));
    assert_double_rel(v, 250000, 0);
    assert_true(sweep_value_base("0.6", &v));
    assert_false(sweep_value_base("x86_64", &v));
    assert_false(sweep_value_base("{dist: constant, value: 1s}", &v));
    char buf[64];
    sweep_value_format(buf, sizeof buf, "2/s", 3.2142857, 3);
    assert_string_equal(buf, "3.21/s");
    sweep_value_format(buf, sizeof buf, "6/min", 0.5, 12);
    assert_string_equal(buf, "30/min");
    sweep_value_format(buf, sizeof buf, "128MB", 1536, 3);
    assert_string_equal(buf, "1540MB");
    sweep_value_format(buf, sizeof buf, "1s", 1234567, 3);
    assert_string_equal(buf, "1.23s");
}

/* ---- points: loading, errors at the --vary argument, common random numbers */

static const char SCENARIO[] =
    "name: sweep-unit\n"
    "horizon: 120s\n"
    "seed: 11\n"
    "replications: 3\n"
    "workload:\n"
    "  arrivals: {process: poisson, rate: 5/s}\n"
    "  item: {size: {dist: lognormal, median: 2MB, sigma: 0.5}}\n"
    "  work: {cpu: {dist: exponential, mean: 300ms}, io: 20ms}\n"
    "lambda:\n"
    "  memory: 512MB\n";

typedef struct fixture {
    char dir[64], file[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/capsim-sweep-XXXXXX");
    if (!f || !mkdtemp(f->dir)) return -1;
    snprintf(f->file, sizeof f->file, "%s/s.yaml", f->dir);
    FILE *out = fopen(f->file, "w");
    if (!out) return -1;
    fputs(SCENARIO, out);
    fclose(out);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    unlink(f->file);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void test_point_errors_at_vary(void **state)
{
    fixture *f = *state;
    const char *args[] = {"lambda.memory=128MB, 20000MB", "lambda.timeout=1s..3s:+1s", NULL};
    sim_diag diag;
    sweep *sw = NULL;
    assert_int_equal(parse(args, false, &diag, &sw), SIM_OK);
    const char *base[] = {"lambda.keep_alive=1min"};
    size_t n_bad = 0, first_bad = 0;
    assert_int_equal(sweep_validate(sw, f->file, base, 1, 2, &diag, &n_bad, &first_bad),
                     SIM_ESCENARIO);
    assert_int_equal(n_bad, 3); /* the three points with 20000MB */
    assert_int_equal(first_bad, 3);
    assert_int_equal(diag.count, 1); /* reported once */
    assert_string_equal(diag.entries[0].text,
                        "--vary:1:22: error: lambda.memory: 20000MB is outside 128MB..10240MB");
    sim_diag_fini(&diag);
    sim_diag_init(&diag);
    /* a --set keeps its own position */
    const char *bad_base[] = {"lambda.keep_alive=1min", "lambda.architecture=arm"};
    scenario *s = NULL;
    assert_int_equal(sweep_point_load(sw, 0, f->file, bad_base, 2, &diag, &s), SIM_ESCENARIO);
    assert_null(s);
    assert_true(strncmp(diag.entries[0].text, "--set:2:21: error: lambda.architecture", 38) == 0);
    sweep_destroy(sw);
    sim_diag_fini(&diag);

    /* a range's value is reported at the range; an unknown key at the key */
    const char *r[] = {"lambda.memory=100MB..200MB:+50MB", "lambda.memroy=1", NULL};
    assert_int_equal(parse(r, false, &diag, &sw), SIM_OK);
    assert_int_equal(sweep_validate(sw, f->file, NULL, 0, 1, &diag, &n_bad, &first_bad),
                     SIM_ESCENARIO);
    assert_int_equal(n_bad, 3);
    bool range_msg = false, key_msg = false;
    for (size_t i = 0; i < diag.count; i++) {
        range_msg |= strcmp(diag.entries[i].text,
                            "--vary:1:15: error: lambda.memory: 100MB is outside 128MB..10240MB") == 0;
        key_msg |= strncmp(diag.entries[i].text, "--vary:2:8: error: lambda.memroy", 32) == 0;
    }
    if (!range_msg || !key_msg) sim_diag_print(&diag, stderr);
    assert_true(range_msg);
    assert_true(key_msg);
    sweep_destroy(sw);
    sim_diag_fini(&diag);
}

/* Common random numbers: two points that differ only in lambda.memory see the same items (count,
 * records, megabytes) in every replication, while what memory changes (duration) does change. */
static void test_common_random_numbers(void **state)
{
    fixture *f = *state;
    const char *args[] = {"lambda.memory=256MB,2048MB", NULL};
    sim_diag diag;
    sweep *sw = NULL;
    assert_int_equal(parse(args, false, &diag, &sw), SIM_OK);
    scenario *s[2] = {NULL, NULL};
    for (size_t p = 0; p < 2; p++)
        assert_int_equal(sweep_point_load(sw, p, f->file, NULL, 0, &diag, &s[p]), SIM_OK);
    assert_int_equal(s[0]->lambda.memory_mb, 256);
    assert_int_equal(s[1]->lambda.memory_mb, 2048);
    for (uint32_t rep = 0; rep < 3; rep++) {
        lambda_rep out[2];
        for (size_t p = 0; p < 2; p++) {
            lambda_pool *pool = malloc(sizeof *pool);
            assert_non_null(pool);
            sim_hist_init(&pool->latency_us);
            sim_hist_init(&pool->duration_us);
            memset(&out[p], 0, sizeof out[p]);
            assert_int_equal(lambda_simulate(s[p], rep, &out[p], pool, NULL), SIM_OK);
            free(pool);
        }
        assert_true(out[0].wl_items > 400);
        assert_int_equal(out[0].wl_items, out[1].wl_items);
        assert_int_equal(out[0].wl_records, out[1].wl_records);
        assert_memory_equal(&out[0].wl_mb, &out[1].wl_mb, sizeof out[0].wl_mb);
        assert_int_equal(out[0].items, out[1].items);
        assert_true(out[0].duration_s.mean > 2 * out[1].duration_s.mean);
    }
    for (size_t p = 0; p < 2; p++) scenario_destroy(s[p]);
    sweep_destroy(sw);
    sim_diag_fini(&diag);
}

/* sweep_run gives the same reports, to the bit, for 1 and 2 threads and any subset of points. */
static void test_run_independent_of_threads(void **state)
{
    fixture *f = *state;
    const char *args[] = {"lambda.memory=256MB,1024MB", "workload.arrivals.rate=2/s,5/s", NULL};
    sim_diag diag;
    sweep *sw = NULL;
    assert_int_equal(parse(args, false, &diag, &sw), SIM_OK);
    size_t all[4] = {0, 1, 2, 3}, odd[2] = {1, 3};
    report r1[4], r2[4], rs[2];
    for (size_t i = 0; i < 4; i++) {
        report_init(&r1[i]);
        report_init(&r2[i]);
    }
    for (size_t i = 0; i < 2; i++) report_init(&rs[i]);
    size_t failed;
    assert_int_equal(sweep_run(sw, f->file, NULL, 0, all, 4, 1, r1, NULL, NULL, &failed), SIM_OK);
    assert_int_equal(sweep_run(sw, f->file, NULL, 0, all, 4, 2, r2, NULL, NULL, &failed), SIM_OK);
    assert_int_equal(sweep_run(sw, f->file, NULL, 0, odd, 2, 2, rs, NULL, NULL, &failed), SIM_OK);
    for (size_t i = 0; i < 4; i++) {
        const report_section *a = report_find_platform(&r1[i], "lambda");
        const report_section *b = report_find_platform(&r2[i], "lambda");
        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(a->n, b->n);
        assert_memory_equal(a->metrics, b->metrics, a->n * sizeof *a->metrics);
        if (i % 2 == 1) {
            const report_section *c = report_find_platform(&rs[i / 2], "lambda");
            assert_memory_equal(a->metrics, c->metrics, a->n * sizeof *a->metrics);
        }
    }
    /* the rate changes the workload; the memory does not */
    assert_memory_equal(r1[0].workload.metrics, r1[2].workload.metrics,
                        r1[0].workload.n * sizeof *r1[0].workload.metrics);
    assert_true(r1[1].workload.metrics[0].value > r1[0].workload.metrics[0].value);
    for (size_t i = 0; i < 4; i++) {
        report_fini(&r1[i]);
        report_fini(&r2[i]);
    }
    for (size_t i = 0; i < 2; i++) report_fini(&rs[i]);
    sweep_destroy(sw);
    sim_diag_fini(&diag);
}

int main(void)
{
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_range_errors),
        cmocka_unit_test(test_spec_errors),
        cmocka_unit_test(test_grid_and_zip),
        cmocka_unit_test(test_value_numbers),
        cmocka_unit_test_setup_teardown(test_point_errors_at_vary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_common_random_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_independent_of_threads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
