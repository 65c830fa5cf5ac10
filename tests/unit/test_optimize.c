/* tests/unit/test_optimize.c — the search of capsim optimize (models/optimize.h) on synthetic
 * results: a stand-in runner computes each point's metrics from its --set values, so that the
 * search can be compared with a brute force over every point on many landscapes that satisfy
 * its assumptions (meeting the goals monotone in capacity, cost unimodal along each capacity
 * axis); the confirmation (a reversed order, a winner that fails its goals on more runs);
 * platforms searched apart and the best across them; keys refused; the exhaustive fallback;
 * and, on the real models, that a point simulated alone gives its platform the same results
 * as with every platform beside it (the premise of searching platforms apart). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

#include "models/optimize.h"
#include "models/point.h"
#include "sim/error.h"

/* ---------------------------------------------------------------- a synthetic world */

typedef struct world {
    /* lambda: memory rank m (0..), provisioned p: latency falls in both, cost unimodal */
    double lat_m, lat_p, lat0;    /* latency = lat0 + lat_m / (m + 1) + lat_p / (p + 1) */
    double cost_m, cost_p, p_star; /* cost = 100 + cost_m * m + cost_p * (p - p_star)^2 */
    /* glue: workers w; a fixed cost per worker */
    double glue_lat, glue_cost;   /* latency = glue_lat / w; cost = glue_cost * w */
    /* tricks for the confirmation tests (by seed) */
    uint64_t seed0;
    long trick_point;             /* a lambda memory rank that looks better in seed0 only */
    double trick_cost, trick_lat;  /* its cost and latency at other seeds */
    size_t calls;
} world;

static double value_of(const point_spec *p, const char *key, double fallback)
{
    size_t n = strlen(key);
    for (size_t i = 0; i < p->n_overrides; i++)
        if (strncmp(p->overrides[i], key, n) == 0 && p->overrides[i][n] == '=')
            return atof(p->overrides[i] + n + 1); /* "512MB" -> 512 */
    return fallback;
}

static void put(report_section *sec, const char *path, double v)
{
    report_section_add(sec, path, REPORT_REAL, &v, 1, NAN);
}

static int fake_run(void *ctx, const point_spec *points, size_t n, report *reports, size_t *failed)
{
    world *w = ctx;
    *failed = 0;
    for (size_t i = 0; i < n; i++) {
        const point_spec *p = &points[i];
        uint64_t seed = (uint64_t)value_of(p, "seed", (double)w->seed0);
        report *r = &reports[i];
        w->calls++;
        if (p->platforms & POINT_LAMBDA) {
            double m = value_of(p, "lambda.memory", 1024) / 128 - 1; /* 128MB: rank 0 */
            double prov = value_of(p, "lambda.concurrency.provisioned", 0);
            double lat = w->lat0 + w->lat_m / (m + 1) + w->lat_p / (prov + 1);
            double cost = 100 + w->cost_m * m + w->cost_p * (prov - w->p_star) * (prov - w->p_star);
            if ((long)m == w->trick_point && seed != w->seed0) {
                cost = w->trick_cost;
                lat = w->trick_lat;
            }
            cost += 0.001 * (double)(seed - w->seed0); /* the same for every point of a run */
            report_section *sec = report_add_platform(r, "lambda");
            put(sec, "items", 1000);
            put(sec, "completed", 1000);
            put(sec, "latency_s.p99", lat);
            put(sec, "throttle_ratio", 0);
            put(sec, "cost_usd.per_month", cost);
        }
        if (p->platforms & POINT_GLUE) {
            double workers = value_of(p, "glue.workers", 10);
            report_section *sec = report_add_platform(r, "glue");
            put(sec, "items", 1000);
            put(sec, "completed", 1000);
            put(sec, "latency_s.p99", w->glue_lat / workers);
            put(sec, "cost_usd.per_month", w->glue_cost * workers);
            sec->overload.overloaded = workers < 3; /* too few workers never keep up */
        }
    }
    return SIM_OK;
}

static scenario *base_scenario(bool glue)
{
    const char *text = glue ? "name: synth\nhorizon: 1h\nseed: 7\nreplications: 2\n"
                              "workload: {arrivals: {process: poisson, rate: 1/s}}\n"
                              "lambda: {}\nglue: {}\n"
                            : "name: synth\nhorizon: 1h\nseed: 7\nreplications: 2\n"
                              "workload: {arrivals: {process: poisson, rate: 1/s}}\nlambda: {}\n";
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    int rc = scenario_load_string("synth.yaml", text, NULL, 0, &diag, &s);
    if (rc) sim_diag_print(&diag, stderr);
    assert_int_equal(rc, SIM_OK);
    sim_diag_fini(&diag);
    return s;
}

typedef struct setup {
    scenario *s;
    goal *goals;
    size_t n_goals;
    optimize *o;
    sim_diag diag;
} setup;

static int setup_run(setup *t, bool glue, const char *const *varies, size_t n_varies,
                     const char *const *goals, size_t n_goals, int confirm, world *w)
{
    memset(t, 0, sizeof *t);
    sim_diag_init(&t->diag);
    t->s = base_scenario(glue);
    w->seed0 = t->s->seed;
    assert_int_equal(goal_parse(goals, n_goals, &t->diag, &t->goals), SIM_OK);
    t->n_goals = n_goals;
    int rc = optimize_create(t->s, "synth.yaml", NULL, 0, varies, n_varies, t->goals, n_goals,
                             OPTIMIZE_DEFAULT_OBJECTIVE, confirm, &t->diag, &t->o);
    if (rc) return rc;
    rc = optimize_run(t->o, fake_run, w, &t->diag);
    if (rc) sim_diag_print(&t->diag, stderr);
    return rc;
}

static void teardown_run(setup *t)
{
    optimize_destroy(t->o);
    goal_free(t->goals, t->n_goals);
    scenario_destroy(t->s);
    sim_diag_fini(&t->diag);
}

/* The best Lambda point by brute force over memory 128MB * (1..nm) and provisioned 0..np-1:
 * its ranks, or -1 when none meets latency <= bound. */
static void brute_force(const world *w, int nm, int np, double bound, int *bm, int *bp)
{
    double best = INFINITY;
    *bm = *bp = -1;
    for (int m = 0; m < nm; m++)
        for (int p = 0; p < np; p++) {
            double lat = w->lat0 + w->lat_m / (m + 1) + w->lat_p / (p + 1);
            double cost = 100 + w->cost_m * m + w->cost_p * (p - w->p_star) * (p - w->p_star);
            if (lat <= bound && cost < best) {
                best = cost;
                *bm = m;
                *bp = p;
            }
        }
}

static int best_rank(const optimize *o, const char *key)
{
    const optimize_candidate *c = &o->candidates[o->best];
    const optimize_platform *pf = &o->platforms[c->platform];
    for (size_t j = 0; j < pf->n_axes; j++)
        if (!strcmp(pf->grid->axes[j].key, key)) {
            const char *v = optimize_value(pf, c->search->point, j);
            return !strcmp(key, "lambda.memory") ? atoi(v) / 128 - 1 : atoi(v);
        }
    return -99;
}

/* ---------------------------------------------------------------- tests */

static bool starts(const char *text, const char *prefix)
{
    if (strncmp(text, prefix, strlen(prefix)) == 0) return true;
    print_error("got: %s\nwant: %s...\n", text, prefix);
    return false;
}

/* Many landscapes: the search finds the brute force's best, simulating fewer points. */
static void test_matches_brute_force(void **state)
{
    (void)state;
    const char *varies[] = {"lambda.memory=128MB..1536MB:+128MB",
                            "lambda.concurrency.provisioned=0..14:+1"};
    const char *goals[] = {"latency_s.p99<=2s"};
    srand(12345);
    size_t simulated = 0, grid = 0, feasible = 0;
    for (int trial = 0; trial < 300; trial++) {
        world w = {0};
        w.trick_point = -1;
        w.lat0 = 0.2 + 0.8 * rand() / (double)RAND_MAX;
        w.lat_m = 5.0 * rand() / (double)RAND_MAX;
        w.lat_p = 3.0 * rand() / (double)RAND_MAX;
        w.cost_m = 0.1 + 5.0 * rand() / (double)RAND_MAX;
        w.cost_p = 0.05 + 2.0 * rand() / (double)RAND_MAX;
        w.p_star = 14.0 * rand() / (double)RAND_MAX;
        setup t;
        assert_int_equal(setup_run(&t, false, varies, 2, goals, 1, 0, &w), SIM_OK);
        int bm, bp;
        brute_force(&w, 12, 15, 2.0, &bm, &bp);
        if (bm < 0) {
            assert_int_equal(t.o->best, -1);
        } else {
            feasible++;
            assert_true(t.o->best >= 0);
            int m = best_rank(t.o, "lambda.memory"), p = best_rank(t.o, "lambda.concurrency.provisioned");
            if (m != bm || p != bp)
                print_error("trial %d: search (%d, %d), brute force (%d, %d)\n", trial, m, p, bm, bp);
            assert_int_equal(m, bm);
            assert_int_equal(p, bp);
        }
        simulated += t.o->n_simulated;
        grid += optimize_grid_points(t.o);
        assert_int_equal(t.o->n_simulated, w.calls);
        teardown_run(&t);
    }
    assert_true(feasible > 100);
    print_message("search simulated %zu of %zu grid points (%.0f %%)\n", simulated, grid,
                  100.0 * (double)simulated / (double)grid);
    assert_true(3 * simulated <= grid); /* at most a third, on average */
}

/* Lambda against Glue: each searched on its own keys, each point simulating one platform; the
 * cheapest platform meeting the goals wins; Glue below 3 workers is overloaded. */
static void test_across_platforms(void **state)
{
    (void)state;
    const char *varies[] = {"lambda.memory=128MB..1024MB:+128MB", "glue.workers=2..20:+1"};
    const char *goals[] = {"latency_s.p99<=1.5s"};
    world w = {.lat0 = 0.5, .lat_m = 2, .cost_m = 10, .trick_point = -1,
               .glue_lat = 12, .glue_cost = 10}; /* lambda: m >= 1 -> $110; glue: w >= 8 -> $80 */
    setup t;
    assert_int_equal(setup_run(&t, true, varies, 2, goals, 1, 2, &w), SIM_OK);
    optimize *o = t.o;
    assert_int_equal(o->n_platforms, 2);
    assert_true(o->best >= 0);
    const optimize_candidate *b = &o->candidates[o->best];
    assert_string_equal(o->platforms[b->platform].name, "glue");
    assert_string_equal(optimize_value(&o->platforms[b->platform], b->search->point, 0), "8");
    assert_double_near(b->search->objective, 80, 1e-9);
    /* runner-up: glue at 9 workers ($90) beats lambda ($110) */
    assert_true(o->runner_up >= 0);
    assert_double_near(o->candidates[o->runner_up].search->objective, 90, 1e-9);
    assert_int_equal(b->n_runs, 3);
    assert_false(o->reversed);
    /* the points each platform simulated are its own */
    assert_true(o->platforms[0].n_evaluated + o->platforms[1].n_evaluated == o->n_simulated);
    assert_true(o->n_simulated < optimize_grid_points(o));
    assert_int_equal(o->n_confirm_runs, 4);
    assert_double_near(o->sweep_points, 8 * 19, 0);
    teardown_run(&t);
}

/* The search's best was lucky in the search's seed: over more runs the runner-up is cheaper. */
static void test_confirmation_reverses(void **state)
{
    (void)state;
    const char *varies[] = {"lambda.memory=128MB..1024MB:+128MB"};
    const char *goals[] = {"latency_s.p99<=3s"};
    /* cost 100 + 2m: m = 0 best ($100), m = 1 ($102); but m = 0 costs $104 at other seeds */
    world w = {.lat0 = 0.5, .cost_m = 2, .trick_point = 0, .trick_cost = 104, .trick_lat = 0.5};
    setup t;
    assert_int_equal(setup_run(&t, false, varies, 1, goals, 1, 3, &w), SIM_OK);
    optimize *o = t.o;
    assert_int_equal(o->n_candidates, 2);
    assert_int_equal(o->best, 1);
    assert_int_equal(o->runner_up, 0);
    assert_true(o->reversed);
    assert_double_near(o->candidates[1].objective_mean, 102 + 0.001 * 1.5, 1e-9);
    assert_double_near(o->candidates[0].objective_mean, (100 + 3 * 104) / 4.0 + 0.001 * 1.5, 1e-9);
    teardown_run(&t);
}

/* The search's best misses the goal on average over more runs: it is replaced. */
static void test_confirmation_fails_goal(void **state)
{
    (void)state;
    const char *varies[] = {"lambda.memory=128MB..1024MB:+128MB"};
    const char *goals[] = {"latency_s.p99<=3s"};
    world w = {.lat0 = 0.5, .cost_m = 2, .trick_point = 0, .trick_cost = 100, .trick_lat = 4};
    setup t;
    assert_int_equal(setup_run(&t, false, varies, 1, goals, 1, 3, &w), SIM_OK);
    optimize *o = t.o;
    assert_int_equal(o->candidates[0].verdict, 0); /* goal 0 missed on the mean */
    assert_double_near(o->candidates[0].goal_means[0], (0.5 + 3 * 4) / 4.0, 1e-9);
    assert_int_equal(o->best, 1);
    /* the search simulated no third point meeting the goals: no runner-up is left */
    assert_int_equal(o->runner_up, -1);
    assert_int_equal(o->n_candidates, 2);
    assert_false(o->reversed);
    teardown_run(&t);
}

/* A goal on cost is not monotone in capacity: every point is simulated. */
static void test_exhaustive_fallback(void **state)
{
    (void)state;
    const char *varies[] = {"lambda.memory=128MB..1024MB:+128MB",
                            "lambda.concurrency.provisioned=0..4:+1"};
    const char *goals[] = {"latency_s.p99<=3s", "cost_usd.per_month<=200"};
    world w = {.lat0 = 0.5, .cost_m = 2, .cost_p = 1, .trick_point = -1};
    setup t;
    assert_int_equal(setup_run(&t, false, varies, 2, goals, 2, 0, &w), SIM_OK);
    assert_false(t.o->platforms[0].axes[0].bracketed);
    assert_int_equal(t.o->n_simulated, 8 * 5);
    teardown_run(&t);
}

/* Nothing meets the goals: no best, and the output can still say the closest. */
static void test_nothing_meets(void **state)
{
    (void)state;
    const char *varies[] = {"lambda.memory=128MB..1024MB:+128MB"};
    const char *goals[] = {"latency_s.p99<=0.1s"};
    world w = {.lat0 = 0.5, .lat_m = 1, .trick_point = -1};
    setup t;
    assert_int_equal(setup_run(&t, false, varies, 1, goals, 1, 3, &w), SIM_OK);
    assert_int_equal(t.o->best, -1);
    assert_int_equal(t.o->n_ranked, 0);
    assert_int_equal(t.o->n_confirm_runs, 0);
    /* galloping up from the least capacity to the most: ranks 0, 1, 3, then 7 */
    assert_int_equal(t.o->n_simulated, 4);
    teardown_run(&t);
}

static void test_refused_keys(void **state)
{
    (void)state;
    const char *varies[] = {"lambda.memory=512MB,1GB", "workload.arrivals.rate=1/s,2/s",
                            "seed=1,2"};
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = base_scenario(false);
    optimize *o = NULL;
    assert_int_equal(optimize_create(s, "synth.yaml", NULL, 0, varies, 3, NULL, 0,
                                     OPTIMIZE_DEFAULT_OBJECTIVE, 0, &diag, &o),
                     SIM_ESCENARIO);
    assert_null(o);
    assert_int_equal(diag.count, 2);
    assert_true(starts(diag.entries[0].text,
                       "--vary:2:1: error: workload.arrivals.rate: not a decision"));
    assert_true(starts(diag.entries[1].text, "--vary:3:1: error: seed: not a decision"));
    sim_diag_fini(&diag);
    /* a bad range in the second platform's --vary is reported at its own place */
    const char *bad[] = {"lambda.memory=512MB,1GB", "glue.workers=10..2:+2"};
    sim_diag_init(&diag);
    assert_int_equal(optimize_create(s, "synth.yaml", NULL, 0, bad, 2, NULL, 0,
                                     OPTIMIZE_DEFAULT_OBJECTIVE, 0, &diag, &o),
                     SIM_ESCENARIO);
    assert_true(starts(diag.entries[0].text, "--vary:2:"));
    sim_diag_fini(&diag);
    scenario_destroy(s);
}

/* An unknown goal metric is found after the first round, with a suggestion. */
static void test_unknown_metric(void **state)
{
    (void)state;
    const char *varies[] = {"lambda.memory=128MB..1024MB:+128MB"};
    const char *goals[] = {"latency_s.p98<=3s"};
    world w = {.lat0 = 0.5, .trick_point = -1};
    setup t;
    assert_int_equal(setup_run(&t, false, varies, 1, goals, 1, 0, &w), SIM_ESCENARIO);
    assert_true(strstr(t.diag.entries[0].text, "--goal:1:1: error: latency_s.p98: not in the "
                       "results of lambda; did you mean 'latency_s.p99'?") != NULL);
    teardown_run(&t);
}

/* The real models: Lambda simulated alone gives the same section as beside Glue and EMR. */
static void test_platform_alone_same(void **state)
{
    (void)state;
    char dir[] = "/tmp/capsim-optXXXXXX";
    assert_non_null(mkdtemp(dir));
    test_write_file(dir, "s.yaml",
                    "name: alone\nhorizon: 10min\nseed: 3\nreplications: 2\n"
                    "workload:\n  arrivals: {process: poisson, rate: 3/s}\n"
                    "  work: {cpu: {dist: exponential, mean: 300ms}, io: 20ms}\n"
                    "lambda: {memory: 512MB}\nglue: {workers: 2, trigger: {every: 2min}}\n"
                    "emr: {core_nodes: 1, trigger: {every: 2min}}\n");
    char file[64];
    snprintf(file, sizeof file, "%s/s.yaml", dir);
    char ov0[] = "lambda.memory=768MB";
    char *ovs[] = {ov0};
    point_spec all = {ovs, 1, POINT_ALL}, alone = {ovs, 1, POINT_LAMBDA};
    report a, b;
    report_init(&a);
    report_init(&b);
    assert_int_equal(point_run(file, NULL, 0, &all, 2, &a), SIM_OK);
    assert_int_equal(point_run(file, NULL, 0, &alone, 1, &b), SIM_OK);
    assert_int_equal(a.n_platforms, 3);
    assert_int_equal(b.n_platforms, 1);
    const report_section *x = report_find_platform(&a, "lambda"), *y = report_find_platform(&b, "lambda");
    assert_int_equal(x->n, y->n);
    for (size_t k = 0; k < x->n; k++) {
        assert_string_equal(x->metrics[k].path, y->metrics[k].path);
        assert_memory_equal(&x->metrics[k].value, &y->metrics[k].value, sizeof(double));
        assert_memory_equal(&x->metrics[k].ci95, &y->metrics[k].ci95, sizeof(double));
    }
    assert_true(report_value(y, "items", 0) > 1000);
    report_fini(&a);
    report_fini(&b);
    unlink(file);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_brute_force),  cmocka_unit_test(test_across_platforms),
        cmocka_unit_test(test_confirmation_reverses), cmocka_unit_test(test_confirmation_fails_goal),
        cmocka_unit_test(test_exhaustive_fallback),   cmocka_unit_test(test_nothing_meets),
        cmocka_unit_test(test_refused_keys),          cmocka_unit_test(test_unknown_metric),
        cmocka_unit_test(test_platform_alone_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
