/* tests/unit/test_workload.c — the arrival processes and item attributes (models/workload.h).
 *
 * Trace replay is checked exactly, minute by minute: an invocation file in the Azure Functions
 * 2019 layout (hashed names, a header of minute numbers, CRLF lines), written here with counts
 * from a formula, replays with `all`, `row`, `function`, `scale` and `loop`; small traces
 * (tests/data/traces) check picks, uniform spreading within a minute, scale, loop, the horizon
 * cut and timestamps to the microsecond. (The real Azure sample, which is not in the repository,
 * is test_azure_trace.c's.) Deterministic processes (constant, bursts) are checked exactly;
 * stochastic ones against their closed-form means with tolerances of 4 standard errors (Poisson
 * counts: SE = sqrt(mean); MMPP: batch means), with fixed seeds, so a wrong model fails and luck
 * cannot. Last, common random numbers: the same (seed, replication) gives the same items,
 * another replication others, and item attributes do not depend on the arrival process. */
#include "workload_util.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TRACES CAPSIM_SOURCE_DIR "/tests/data/traces"
#define PI 3.14159265358979323846 /* M_PI is not in strict C11 */

/* Up to cap arrival times of replication rep; returns how many there were (all of them). */
static size_t arrivals(const scenario *s, uint32_t rep, sim_time_us *out, size_t cap)
{
    workload_gen g;
    assert_int_equal(workload_init(&g, s, rep, NULL), SIM_OK);
    size_t n = 0;
    wl_item it;
    while (workload_next(&g, &it)) {
        if (n < cap)
            out[n] = it.arrival_us;
        n++;
    }
    workload_fini(&g);
    return n;
}

/* ------------------------------------------------------------------ an Azure-format trace */

/* Written by the group setup into a fresh folder: GEN_ROWS functions over GEN_MINUTES minutes,
 * numbered from 480 as in the public 8-hour sample, each row's counts from gen_count. */
enum { GEN_ROWS = 6, GEN_MINUTES = 30, GEN_FIRST_MINUTE = 480, GEN_BUSY_ROW = 3 };
static char gen_dir[64];
static char gen_file[128];

/* Row r's count in minute m: a mix like the real trace's -- a bursty row with idle minutes, a
 * sparse timer, a row active only in the last minute, one busy row, a steady one. */
static int64_t gen_count(int r, int m)
{
    switch (r) {
    case 0: return (m * 7 + 3) % 11;
    case 1: return m % 10 == 0;
    case 2: return m == GEN_MINUTES - 1 ? 5 : 0;
    case 3: return 1000 + 37 * m;
    case 4: return m % 3 == 0 ? 0 : m;
    default: return 1;
    }
}

/* A 64-hex-digit name, as the dataset's SHA-256 hashes. */
static void gen_hash(int r, const char *what, char *buf, size_t len)
{
    unsigned x = 2654435761u * (unsigned)(r + 1) + (unsigned)what[0];
    size_t used = 0;
    for (int i = 0; i < 8; i++, x = x * 1103515245u + 12345u)
        used += (size_t)snprintf(buf + used, len - used, "%08x", x);
}

/* Expected per-minute counts: one row (r >= 0) or all of them (r < 0). */
static void gen_want(int r, int64_t *want)
{
    for (int m = 0; m < GEN_MINUTES; m++) {
        want[m] = 0;
        for (int i = 0; i < GEN_ROWS; i++)
            if (r < 0 || r == i)
                want[m] += gen_count(i, m);
    }
}

static int gen_setup(void **state)
{
    (void)state;
    snprintf(gen_dir, sizeof gen_dir, "/tmp/capsim-test-workload-XXXXXX");
    if (!mkdtemp(gen_dir))
        return -1;
    snprintf(gen_file, sizeof gen_file, "%s/invocations.csv", gen_dir);
    FILE *f = fopen(gen_file, "w");
    if (!f)
        return -1;
    fputs("HashOwner,HashApp,HashFunction,Trigger", f);
    for (int m = 0; m < GEN_MINUTES; m++)
        fprintf(f, ",%d", GEN_FIRST_MINUTE + m);
    fputs("\r\n", f);
    static const char *const triggers[] = {"http", "timer", "queue", "event", "orchestration"};
    for (int r = 0; r < GEN_ROWS; r++) {
        char owner[80], app[80], fn[80];
        gen_hash(r, "owner", owner, sizeof owner);
        gen_hash(r, "app", app, sizeof app);
        gen_hash(r, "function", fn, sizeof fn);
        fprintf(f, "%s,%s,%s,%s", owner, app, fn, triggers[r % 5]);
        for (int m = 0; m < GEN_MINUTES; m++)
            fprintf(f, ",%lld", (long long)gen_count(r, m));
        fputs(r % 2 ? "\n" : "\r\n", f); /* both line endings, as files from either world */
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int gen_teardown(void **state)
{
    (void)state;
    unlink(gen_file);
    return rmdir(gen_dir);
}

static scenario *load_gen(const char *horizon, const char *trace_keys)
{
    return load("name: t\nhorizon: %s\nworkload:\n  arrivals:\n    process: trace\n"
                "    trace: {file: %s, format: per_minute, %s}\nlambda: {}\n",
                horizon, gen_file, trace_keys);
}

/* all: true, row: N and function: HASH each replay exactly their minutes' counts. */
static void test_azure_format_picks(void **state)
{
    (void)state;
    int64_t want[GEN_MINUTES], got[GEN_MINUTES];
    char pick[128], hash[80];
    for (int r = -1; r < GEN_ROWS; r++) {
        if (r < 0)
            snprintf(pick, sizeof pick, "all: true");
        else
            snprintf(pick, sizeof pick, "row: %d", r + 1);
        gen_want(r, want);
        scenario *s = load_gen("30min", pick);
        assert_int_equal(s->workload.trace.n_minutes, GEN_MINUTES);
        assert_int_equal(s->workload.trace.total, sum(want, GEN_MINUTES));
        memset(got, 0, sizeof got);
        assert_int_equal(drain(s, 0, US_PER_MIN, got, GEN_MINUTES), sum(want, GEN_MINUTES));
        assert_counts(got, want, GEN_MINUTES);
        scenario_destroy(s);
    }
    /* The busy function and the last-minute one, by their hashes. */
    for (int r = GEN_BUSY_ROW; r >= 2; r--) {
        gen_hash(r, "function", hash, sizeof hash);
        snprintf(pick, sizeof pick, "function: %s", hash);
        gen_want(r, want);
        scenario *s = load_gen("30min", pick);
        memset(got, 0, sizeof got);
        assert_int_equal(drain(s, 1, US_PER_MIN, got, GEN_MINUTES), sum(want, GEN_MINUTES));
        assert_counts(got, want, GEN_MINUTES);
        scenario_destroy(s);
    }
}

/* scale: 3 triples every minute exactly; loop: true replays the 30 minutes again from minute 30,
 * and the horizon cuts the third pass after 15 minutes. */
static void test_azure_format_scale_loop(void **state)
{
    (void)state;
    int64_t one[GEN_MINUTES], want[75], got[75] = {0};
    gen_want(-1, one);
    scenario *s = load_gen("30min", "all: true, scale: 3");
    for (int m = 0; m < GEN_MINUTES; m++)
        want[m] = 3 * one[m];
    assert_int_equal(drain(s, 0, US_PER_MIN, got, GEN_MINUTES), sum(want, GEN_MINUTES));
    assert_counts(got, want, GEN_MINUTES);
    scenario_destroy(s);

    memset(got, 0, sizeof got);
    s = load_gen("75min", "all: true, loop: true");
    for (int m = 0; m < 75; m++)
        want[m] = one[m % GEN_MINUTES];
    assert_int_equal(drain(s, 0, US_PER_MIN, got, 75), sum(want, 75));
    assert_counts(got, want, 75);
    scenario_destroy(s);

    /* Without loop, nothing after the trace's last minute. */
    memset(got, 0, sizeof got);
    s = load_gen("75min", "row: 4");
    gen_want(GEN_BUSY_ROW, want);
    memset(want + GEN_MINUTES, 0, (75 - GEN_MINUTES) * sizeof want[0]);
    assert_int_equal(drain(s, 0, US_PER_MIN, got, 75), sum(want, GEN_MINUTES));
    assert_counts(got, want, 75);
    scenario_destroy(s);
}

/* ------------------------------------------------------------------ small per-minute trace */

/* tests/data/traces/per-minute.csv */
static const int64_t F1[5] = {3, 0, 7, 1, 12}, F2[5] = {0, 5, 0, 2, 1},
                     F3[5] = {1000, 0, 0, 0, 20000}, ALL[5] = {1003, 5, 7, 3, 20013};

static scenario *load_small(const char *horizon, const char *trace_keys, const char *extra)
{
    return load("name: t\nhorizon: %s\nworkload:\n  arrivals:\n    process: trace\n"
                "    trace: {file: " TRACES "/per-minute.csv, format: per_minute, %s}\n%s"
                "lambda: {}\n",
                horizon, trace_keys, extra);
}

static void test_per_minute_picks(void **state)
{
    (void)state;
    struct { const char *pick; const int64_t *want; } cases[] = {
        {"row: 1", F1}, {"function: f2", F2}, {"row: 3", F3}, {"all: true", ALL},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        scenario *s = load_small("5min", cases[c].pick, "");
        assert_int_equal(s->workload.trace.total, sum(cases[c].want, 5));
        for (uint32_t rep = 0; rep < 3; rep++) {
            int64_t got[5] = {0};
            assert_int_equal(drain(s, rep, US_PER_MIN, got, 5), sum(cases[c].want, 5));
            assert_counts(got, cases[c].want, 5);
        }
        scenario_destroy(s);
    }
}

/* Within a minute, arrivals are uniform: f3's 20,000 arrivals of minute 5 split evenly into
 * quarters (each Binomial(20000, 1/4)) with mean offset 30 s (SE 60/sqrt(12 n)). A horizon
 * ending mid-minute keeps the arrivals before it: Binomial(20000, 1/2). */
static void test_per_minute_uniform_within_minute(void **state)
{
    (void)state;
    scenario *s = load_small("5min", "row: 3", "");
    workload_gen g;
    assert_int_equal(workload_init(&g, s, 7, NULL), SIM_OK);
    wl_item it;
    int64_t quarters[4] = {0}, n = 0;
    double offset_sum = 0;
    while (workload_next(&g, &it)) {
        if (it.arrival_us < 4 * US_PER_MIN)
            continue;
        sim_time_us off = it.arrival_us - 4 * US_PER_MIN;
        assert_true(off >= 0 && off < US_PER_MIN);
        quarters[off / (US_PER_MIN / 4)]++;
        offset_sum += (double)off / 1e6;
        n++;
    }
    workload_fini(&g);
    assert_int_equal(n, 20000);
    double sd = sqrt(20000 * 0.25 * 0.75);
    for (int q = 0; q < 4; q++)
        assert_double_near((double)quarters[q], 5000, 4 * sd);
    assert_double_near(offset_sum / (double)n, 30, 4 * 60 / sqrt(12.0 * (double)n));
    scenario_destroy(s);

    s = load_small("270s", "row: 3", "");
    int64_t got[5] = {0};
    drain(s, 0, US_PER_MIN, got, 5);
    assert_int_equal(got[0], 1000);
    assert_double_near((double)got[4], 10000, 4 * sqrt(20000 * 0.25));
    scenario_destroy(s);
}

/* Small counts too: over many replications the k-th of n arrivals in a minute sits on average
 * at 60 k / (n + 1) s, with variance 60^2 k (n + 1 - k) / ((n + 1)^2 (n + 2)) (the uniform order
 * statistics). f1's minute 0 has 3 arrivals, minute 3 one. */
static void test_per_minute_order_statistics(void **state)
{
    (void)state;
    enum { R = 4000 };
    scenario *s = load_small("5min", "row: 1", "");
    double first3[3] = {0, 0, 0}, single = 0;
    for (uint32_t rep = 0; rep < R; rep++) {
        sim_time_us t[32];
        assert_int_equal(arrivals(s, rep, t, 32), 23);
        for (int k = 0; k < 3; k++)
            first3[k] += (double)t[k] / 1e6 / R;
        single += (double)(t[10] - 3 * US_PER_MIN) / 1e6 / R; /* 3 + 0 + 7 arrivals before it */
    }
    for (int k = 1; k <= 3; k++) {
        double sd = 60 * sqrt(k * (4.0 - k) / (16.0 * 5.0));
        assert_double_near(first3[k - 1], 60.0 * k / 4, 4 * sd / sqrt(R));
    }
    assert_double_near(single, 30, 4 * 60 / sqrt(12.0 * R));
    scenario_destroy(s);
}

/* scale multiplies each minute's count: 2 exactly; 0.5 gives floor or floor + 1 with the
 * fraction's probability, so the mean over replications is 0.5 x the count. */
static void test_per_minute_scale(void **state)
{
    (void)state;
    scenario *s = load_small("5min", "row: 1, scale: 2", "");
    int64_t got[5] = {0}, want[5];
    for (int m = 0; m < 5; m++)
        want[m] = 2 * F1[m];
    drain(s, 0, US_PER_MIN, got, 5);
    assert_counts(got, want, 5);
    scenario_destroy(s);

    s = load_small("5min", "row: 1, scale: 0.5", "");
    const int reps = 400;
    double total = 0;
    for (int rep = 0; rep < reps; rep++) {
        int64_t c[5] = {0};
        total += (double)drain(s, (uint32_t)rep, US_PER_MIN, c, 5);
        for (int m = 0; m < 5; m++)
            if (c[m] != F1[m] / 2 && c[m] != (F1[m] + 1) / 2)
                fail_msg("minute %d: %lld arrivals at scale 0.5 of %lld", m, (long long)c[m],
                         (long long)F1[m]);
    }
    /* Three minutes (3, 7, 1) have a fraction 0.5: variance 3 x 0.25 per replication. */
    assert_double_near(total / reps, 0.5 * (double)sum(F1, 5), 4 * sqrt(0.75 / reps));
    scenario_destroy(s);
}

/* loop: the 5-minute trace repeats; without it, arrivals stop after minute 5. Bursts add on top
 * at their exact time. */
static void test_per_minute_loop_and_bursts(void **state)
{
    (void)state;
    int64_t got[12] = {0}, want[12];
    scenario *s = load_small("12min", "row: 1, loop: true", "");
    for (int m = 0; m < 12; m++)
        want[m] = F1[m % 5];
    assert_int_equal(drain(s, 0, US_PER_MIN, got, 12), sum(want, 12));
    assert_counts(got, want, 12);
    scenario_destroy(s);

    memset(got, 0, sizeof got);
    s = load_small("12min", "row: 1", "  bursts: [{at: 90s, count: 4}, {at: 8min, count: 2}]\n");
    for (int m = 0; m < 12; m++)
        want[m] = m < 5 ? F1[m] : 0;
    want[1] += 4;
    want[8] += 2;
    assert_int_equal(drain(s, 0, US_PER_MIN, got, 12), sum(want, 12));
    assert_counts(got, want, 12);
    sim_time_us t[64];
    size_t n = arrivals(s, 0, t, 64);
    assert_int_equal(n, 29);
    /* Minute 0 has 3 arrivals; then the burst at 90 s (minute 1 has no trace arrival). */
    for (int i = 3; i < 7; i++)
        assert_int_equal(t[i], 90 * SIM_US_PER_S);
    assert_int_equal(t[27], 8 * US_PER_MIN);
    assert_int_equal(t[28], 8 * US_PER_MIN);
    scenario_destroy(s);
}

/* ------------------------------------------------------------------ timestamps */

/* tests/data/traces/timestamps.txt, in microseconds. */
static const sim_time_us TS[6] = {0, 500000, 500000, 2250000, 7000002, 59900000};

static scenario *load_ts(const char *horizon, const char *trace_keys)
{
    return load("name: t\nhorizon: %s\nworkload:\n  arrivals:\n    process: trace\n"
                "    trace: {file: " TRACES "/timestamps.txt%s}\nlambda: {}\n",
                horizon, trace_keys);
}

static void test_timestamps(void **state)
{
    (void)state;
    sim_time_us t[64];

    scenario *s = load_ts("100s", "");
    assert_int_equal(s->workload.trace.n_times, 6);
    assert_double_near(s->workload.trace.period_s, 60, 0);
    assert_int_equal(arrivals(s, 0, t, 64), 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(t[i], TS[i]);
    scenario_destroy(s);

    /* scale 2 doubles the rate: every time halved. */
    s = load_ts("100s", ", scale: 2");
    assert_int_equal(arrivals(s, 0, t, 64), 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(t[i], TS[i] / 2);
    scenario_destroy(s);

    /* The trace's 0 s is t = 0 (warmup included); the run ends at warmup + horizon. */
    s = load("name: t\nwarmup: 1s\nhorizon: 1.5s\nworkload:\n  arrivals:\n    process: trace\n"
             "    trace: {file: " TRACES "/timestamps.txt}\nlambda: {}\n");
    assert_int_equal(arrivals(s, 0, t, 64), 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(t[i], TS[i]);
    scenario_destroy(s);

    /* loop: period 60 s (the whole second after 59.9 s); pass 2 is cut at 150 s. */
    s = load_ts("150s", ", loop: true");
    assert_int_equal(arrivals(s, 0, t, 64), 17);
    for (int i = 0; i < 17; i++)
        assert_int_equal(t[i], TS[i % 6] + (i / 6) * 60 * SIM_US_PER_S);
    scenario_destroy(s);

    /* loop and scale: the period shrinks with the times (30 s). */
    s = load_ts("75s", ", loop: true, scale: 2");
    assert_int_equal(arrivals(s, 0, t, 64), 17);
    for (int i = 0; i < 17; i++)
        assert_int_equal(t[i], (TS[i % 6] + (i / 6) * 60 * SIM_US_PER_S) / 2);
    scenario_destroy(s);
}

/* The trace argument replaces the scenario's; an unloaded trace is refused. */
static void test_trace_argument(void **state)
{
    (void)state;
    scenario *pm = load_small("5min", "row: 1", "");
    scenario *ts = load_ts("100s", "");
    workload_gen g;
    wl_item it;
    assert_int_equal(workload_init(&g, pm, 0, &ts->workload.trace), SIM_OK);
    for (int i = 0; i < 6; i++) {
        assert_true(workload_next(&g, &it));
        assert_int_equal(it.arrival_us, TS[i]);
    }
    assert_false(workload_next(&g, &it));
    workload_fini(&g);

    scn_trace empty = {.format = SCN_TRACE_PER_MINUTE, .scale = 1};
    assert_int_equal(workload_init(&g, pm, 0, &empty), SIM_EINVAL);
    workload_fini(&g);
    scenario_destroy(pm);
    scenario_destroy(ts);
}

/* ------------------------------------------------------------------ other processes */

/* constant: exactly rate x horizon arrivals, the k-th at k / rate (rounded to the microsecond). */
static void test_constant(void **state)
{
    (void)state;
    scenario *s = load("name: t\nhorizon: 1000s\nworkload:\n  arrivals: {process: constant, "
                       "rate: 5/s}\nlambda: {}\n");
    static sim_time_us t[6000];
    assert_int_equal(arrivals(s, 0, t, 6000), 5000);
    for (int k = 0; k < 5000; k++)
        assert_int_equal(t[k], (sim_time_us)k * 200000);
    scenario_destroy(s);

    s = load("name: t\nhorizon: 100s\nworkload:\n  arrivals: {process: constant, rate: 3/s}\n"
             "lambda: {}\n");
    assert_int_equal(arrivals(s, 0, t, 6000), 300);
    for (int k = 0; k < 300; k++)
        assert_int_equal(t[k], llround(k * 1e6 / 3.0));
    scenario_destroy(s);
}

/* poisson: the count over the horizon is Poisson(rate x horizon): within 4 sqrt(mean). */
static void test_poisson(void **state)
{
    (void)state;
    scenario *s = load("name: t\nhorizon: 2000s\nworkload:\n  arrivals: {process: poisson, "
                       "rate: 50/s}\nlambda: {}\n");
    for (uint32_t rep = 0; rep < 2; rep++)
        assert_double_near((double)drain(s, rep, 1, NULL, 0), 1e5, 4 * sqrt(1e5));
    scenario_destroy(s);
}

/* mmpp: the long-run rate is sum(rate_i dwell_i) / sum(dwell_i) = (2 x 60 + 40 x 10) / 70. Counts
 * in consecutive periods are correlated through the state, so the standard error comes from batch
 * means: 80 batches of 10,000 s, each about 140 state cycles long, nearly independent. */
static void test_mmpp(void **state)
{
    (void)state;
    enum { B = 80 };
    const double batch_s = 10000, want = (2.0 * 60 + 40.0 * 10) / 70;
    scenario *s = load("name: t\nhorizon: 800000s\nworkload:\n  arrivals:\n    process: mmpp\n"
                       "    mmpp: {states: [{rate: 2/s, dwell: 60s}, {rate: 40/s, dwell: 10s}]}\n"
                       "lambda: {}\n");
    int64_t batches[B] = {0};
    drain(s, 0, (sim_time_us)(batch_s * 1e6), batches, B);
    double mean = 0, var = 0;
    for (int b = 0; b < B; b++)
        mean += (double)batches[b] / batch_s / B;
    for (int b = 0; b < B; b++)
        var += pow((double)batches[b] / batch_s - mean, 2) / (B - 1);
    double se = sqrt(var / B);
    /* The run must be long enough to tell the right rate from plausible wrong ones (the
     * unweighted mean of the rates, 21/s; dwell times swapped, 34.6/s). */
    assert_true(4 * se < 0.05 * want);
    assert_double_near(mean, want, 4 * se);
    scenario_destroy(s);
}

/* diurnal: over whole periods the count is Poisson(mean_rate x horizon). Near the peak and the
 * trough the count in a window of +-w over K periods is Poisson with mean
 * K mean (2w +- amp (period / pi) sin(2 pi w / period)), about mean (1 +- amp) x 2w K. The exact
 * integral is used: the approximation is off by 4 SE at the trough for w = 120 s. */
static void test_diurnal(void **state)
{
    (void)state;
    const double mean = 20, amp = 0.8, period = 3600, peak_at = 900, w = 120;
    const int K = 20;
    scenario *s = load("name: t\nhorizon: 20h\nworkload:\n  arrivals:\n    process: diurnal\n"
                       "    diurnal: {mean_rate: 20/s, amplitude: 0.8, period: 1h, peak_at: 15min}\n"
                       "lambda: {}\n");
    workload_gen g;
    assert_int_equal(workload_init(&g, s, 0, NULL), SIM_OK);
    wl_item it;
    int64_t n = 0, near_peak = 0, near_trough = 0;
    while (workload_next(&g, &it)) {
        n++;
        double phase = fmod((double)it.arrival_us / 1e6, period);
        if (fabs(phase - peak_at) < w)
            near_peak++;
        if (fabs(phase - (peak_at + period / 2)) < w)
            near_trough++;
    }
    workload_fini(&g);
    double total = mean * period * K;
    assert_double_near((double)n, total, 4 * sqrt(total));
    double bump = amp * period / PI * sin(2 * PI * w / period);
    double peak = K * mean * (2 * w + bump), trough = K * mean * (2 * w - bump);
    assert_double_near((double)near_peak, peak, 4 * sqrt(peak));
    assert_double_near((double)near_trough, trough, 4 * sqrt(trough));
    /* The shape, as the format states it: about mean (1 +- amplitude). */
    assert_double_near((double)near_peak / (2 * w * K), mean * (1 + amp), 0.05 * mean * (1 + amp));
    assert_double_near((double)near_trough / (2 * w * K), mean * (1 - amp), 0.1 * mean * (1 - amp));
    scenario_destroy(s);
}

/* bursts: exact counts at exact times, `every` repeating until the end (exclusive); simultaneous
 * bursts both arrive. rate 0/s: only bursts. */
static void test_bursts(void **state)
{
    (void)state;
    scenario *s = load("name: t\nhorizon: 300s\nworkload:\n  arrivals: {process: poisson, rate: 0/s}\n"
                       "  bursts:\n    - {at: 10s, count: 100, every: 60s}\n"
                       "    - {at: 30s, count: 5}\n    - {at: 70s, count: 2}\n"
                       "    - {at: 300s, count: 7}\nlambda: {}\n");
    static sim_time_us t[1000];
    size_t n = arrivals(s, 0, t, 1000);
    assert_int_equal(n, 507);
    const struct { sim_time_us at; int count; } want[] = {
        {10, 100}, {30, 5}, {70, 102}, {130, 100}, {190, 100}, {250, 100},
    };
    size_t i = 0;
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        for (int c = 0; c < want[k].count; c++, i++)
            assert_int_equal(t[i], want[k].at * SIM_US_PER_S);
    assert_int_equal(i, n);
    scenario_destroy(s);
}

/* ------------------------------------------------------------------ common random numbers */

#define ITEM_KEYS                                                                   \
    "  item: {size: {dist: exponential, mean: 2MB}}\n"                              \
    "  work: {cpu: {dist: lognormal, median: 100ms, sigma: 0.5}, cpu_per_mb: 10ms,\n" \
    "         io: {dist: uniform, min: 10ms, max: 50ms}}\n"                         \
    "  errors: {poison: 0.1}\n"

static size_t items(const scenario *s, uint32_t rep, wl_item *out, size_t cap)
{
    workload_gen g;
    assert_int_equal(workload_init(&g, s, rep, NULL), SIM_OK);
    size_t n = 0;
    while (n < cap && workload_next(&g, &out[n]))
        n++;
    workload_fini(&g);
    return n;
}

static bool same_attributes(const wl_item *a, const wl_item *b)
{
    return a->size_mb == b->size_mb && a->records == b->records && a->cpu_s == b->cpu_s &&
           a->io_s == b->io_s && a->poison == b->poison;
}

static void test_common_random_numbers(void **state)
{
    (void)state;
    enum { N = 2000 };
    static wl_item a[N], b[N], c[N];
    const char *poisson = "name: t\nseed: 11\nhorizon: 1h\nworkload:\n"
                          "  arrivals: {process: poisson, rate: 10/s}\n" ITEM_KEYS "lambda: {}\n";
    scenario *s1 = load("%s", poisson), *s2 = load("%s", poisson);
    assert_int_equal(items(s1, 3, a, N), N);
    assert_int_equal(items(s2, 3, b, N), N);
    for (size_t i = 0; i < N; i++)
        assert_true(a[i].arrival_us == b[i].arrival_us && same_attributes(&a[i], &b[i]));

    /* Another replication: other arrivals and other attributes. */
    assert_int_equal(items(s1, 4, c, N), N);
    size_t same_time = 0, same_attr = 0;
    for (size_t i = 0; i < N; i++) {
        same_time += a[i].arrival_us == c[i].arrival_us;
        same_attr += same_attributes(&a[i], &c[i]);
    }
    assert_true(same_time < N / 100 && same_attr == 0);

    /* Item k's attributes do not depend on the arrival process (their own streams). */
    scenario *tr = load("name: t\nseed: 11\nhorizon: 5min\nworkload:\n  arrivals:\n"
                        "    process: trace\n    trace: {file: " TRACES "/per-minute.csv, "
                        "format: per_minute, all: true, scale: 0.7}\n" ITEM_KEYS "lambda: {}\n");
    assert_int_equal(items(tr, 3, c, N), N);
    size_t poisoned = 0;
    for (size_t i = 0; i < N; i++) {
        assert_true(same_attributes(&a[i], &c[i]));
        poisoned += a[i].poison;
    }
    assert_true(poisoned > 0 && poisoned < N / 2); /* the attributes are not all alike */
    scenario_destroy(s1);
    scenario_destroy(s2);
    scenario_destroy(tr);
}

int main(void)
{
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_azure_format_picks),
        cmocka_unit_test(test_azure_format_scale_loop),
        cmocka_unit_test(test_per_minute_picks),
        cmocka_unit_test(test_per_minute_uniform_within_minute),
        cmocka_unit_test(test_per_minute_order_statistics),
        cmocka_unit_test(test_per_minute_scale),
        cmocka_unit_test(test_per_minute_loop_and_bursts),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_trace_argument),
        cmocka_unit_test(test_constant),
        cmocka_unit_test(test_poisson),
        cmocka_unit_test(test_mmpp),
        cmocka_unit_test(test_diurnal),
        cmocka_unit_test(test_bursts),
        cmocka_unit_test(test_common_random_numbers),
    };
    return cmocka_run_group_tests(tests, gen_setup, gen_teardown);
}
