/* tests/unit/test_workload.c — the arrival processes and item attributes (models/workload.h).
 *
 * Trace replay is checked exactly: the Azure 2019 sample replays its 3,037,902 invocations
 * (VALIDATION.md §7), minute by minute against counts read here independently of the loader;
 * small traces (tests/data/traces) check picks, uniform spreading within a minute, scale, loop,
 * the horizon cut and timestamps to the microsecond. Deterministic processes (constant, bursts) are checked exactly; stochastic
 * ones against their closed-form means with tolerances of 4 standard errors (Poisson counts:
 * SE = sqrt(mean); MMPP: batch means), with fixed seeds, so a wrong model fails and luck cannot.
 * Last, common random numbers: the same (seed, replication) gives the same items, another
 * replication others, and item attributes do not depend on the arrival process. */
#include "test_util.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario.h"
#include "models/workload.h"
#include "sim/error.h"

#define US_PER_MIN (60 * SIM_US_PER_S)
#define TRACES CAPSIM_SOURCE_DIR "/tests/data/traces"
#define AZURE CAPSIM_SHARED_DIR "/data/azure2019_invitro_sample500/invocations.csv"
#define AZURE_MINUTES 480
#define AZURE_TOTAL 3037902 /* VALIDATION.md §7 and the sample's README */
#define PI 3.14159265358979323846 /* M_PI is not in strict C11 */

/* ------------------------------------------------------------------ helpers */

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static scenario *load(const char *fmt, ...)
{
    char text[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof text);
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    int rc = scenario_load_string("test.yaml", text, NULL, 0, &diag, &s);
    if (rc)
        sim_diag_print(&diag, stderr);
    sim_diag_fini(&diag);
    assert_int_equal(rc, SIM_OK);
    return s;
}

/* Runs replication rep to the end. Checks that arrivals are in time order and inside
 * [0, warmup + horizon); counts them into buckets of bucket_us when buckets is not NULL. */
static int64_t drain(const scenario *s, uint32_t rep, sim_time_us bucket_us, int64_t *buckets,
                     size_t n_buckets)
{
    workload_gen g;
    assert_int_equal(workload_init(&g, s, rep, NULL), SIM_OK);
    sim_time_us prev = 0, end = s->warmup_us + s->horizon_us;
    int64_t n = 0;
    wl_item it;
    while (workload_next(&g, &it)) {
        if (it.arrival_us < prev || it.arrival_us >= end)
            fail_msg("arrival %lld after %lld (end %lld)", (long long)it.arrival_us,
                     (long long)prev, (long long)end);
        prev = it.arrival_us;
        if (buckets) {
            size_t b = (size_t)(it.arrival_us / bucket_us);
            assert_true(b < n_buckets);
            buckets[b]++;
        }
        n++;
    }
    assert_int_equal(workload_peek(&g), SIM_TIME_NEVER);
    workload_fini(&g);
    return n;
}

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

static void assert_counts(const int64_t *got, const int64_t *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            fail_msg("minute %zu: %lld arrivals, expected %lld", i, (long long)got[i],
                     (long long)want[i]);
}

/* The Azure sample's counts, read here without the loader: data row `row` (1-based), or the sum
 * of all rows for row 0. Also reports the data row with the most invocations and its hash. */
static void azure_counts(int64_t row, int64_t *minutes, int64_t *busiest_row, char *busiest_hash,
                         size_t hash_len)
{
    FILE *f = fopen(AZURE, "r");
    assert_non_null(f);
    char *line = NULL;
    size_t cap = 0;
    int64_t r = -1, best = -1;
    memset(minutes, 0, AZURE_MINUTES * sizeof *minutes);
    while (getline(&line, &cap, f) >= 0) {
        if (++r == 0)
            continue; /* the header */
        char *save = NULL, *tok = strtok_r(line, ",\r\n", &save);
        char hash[128] = "";
        int64_t sum = 0;
        for (int col = 0; tok; col++, tok = strtok_r(NULL, ",\r\n", &save)) {
            if (col == 2)
                snprintf(hash, sizeof hash, "%s", tok);
            if (col < 4)
                continue;
            assert_true(col - 4 < AZURE_MINUTES);
            int64_t c = strtoll(tok, NULL, 10);
            sum += c;
            if (row == 0 || row == r)
                minutes[col - 4] += c;
        }
        if (sum > best) {
            best = sum;
            *busiest_row = r;
            snprintf(busiest_hash, hash_len, "%s", hash);
        }
    }
    free(line);
    fclose(f);
    assert_int_equal(r, 500);
}

static int64_t sum(const int64_t *v, size_t n)
{
    int64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s;
}

/* ------------------------------------------------------------------ Azure sample (VALIDATION §7) */

static scenario *load_azure(const char *pick)
{
    return load("name: t\nhorizon: 480min\nworkload:\n  arrivals:\n    process: trace\n"
                "    trace: {file: %s, format: per_minute, %s}\nlambda: {}\n", AZURE, pick);
}

/* all: true reproduces the sample's total exactly, and every minute's count. */
static void test_azure_all(void **state)
{
    (void)state;
    int64_t want[AZURE_MINUTES], got[AZURE_MINUTES] = {0}, busiest;
    char hash[128];
    azure_counts(0, want, &busiest, hash, sizeof hash);
    assert_int_equal(sum(want, AZURE_MINUTES), AZURE_TOTAL);

    scenario *s = load_azure("all: true");
    assert_int_equal(s->workload.trace.n_minutes, AZURE_MINUTES);
    assert_int_equal(s->workload.trace.total, AZURE_TOTAL);
    assert_int_equal(drain(s, 0, US_PER_MIN, got, AZURE_MINUTES), AZURE_TOTAL);
    assert_counts(got, want, AZURE_MINUTES);
    scenario_destroy(s);
}

/* row: N and function: HASH give that row, minute by minute. */
static void test_azure_row_and_function(void **state)
{
    (void)state;
    int64_t want[AZURE_MINUTES], got[AZURE_MINUTES], busiest;
    char hash[128], pick[256];

    azure_counts(1, want, &busiest, hash, sizeof hash);
    memset(got, 0, sizeof got);
    scenario *s = load_azure("row: 1");
    assert_int_equal(drain(s, 0, US_PER_MIN, got, AZURE_MINUTES), sum(want, AZURE_MINUTES));
    assert_counts(got, want, AZURE_MINUTES);
    scenario_destroy(s);

    /* The busiest function (about 1.9 million invocations), picked by its hash. */
    azure_counts(busiest, want, &busiest, hash, sizeof hash);
    assert_true(sum(want, AZURE_MINUTES) > 1000000);
    snprintf(pick, sizeof pick, "function: %s", hash);
    memset(got, 0, sizeof got);
    s = load_azure(pick);
    assert_int_equal(drain(s, 0, US_PER_MIN, got, AZURE_MINUTES), sum(want, AZURE_MINUTES));
    assert_counts(got, want, AZURE_MINUTES);
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
        cmocka_unit_test(test_azure_all),
        cmocka_unit_test(test_azure_row_and_function),
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
    return cmocka_run_group_tests(tests, NULL, NULL);
}
