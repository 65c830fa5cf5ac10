/* bench/bench_main.c — the simulator benchmark: simulated invocations per CPU-second, as such and
 * as a multiple of the hold-loop floor (bench/floor.h).
 *
 * Usage: capsim_bench SCENARIO [--rounds R] [--no-floor] [--series] [--set KEY=VALUE]...
 * Runs the scenario's Lambda model on one thread, replication by replication, R times (default
 * 3), each round followed by the floor: a bare 4-ary-heap hold loop of as many events as the
 * run's mean concurrency. Prints, per round and as the median of the rounds: invocations and
 * items, CPU seconds (CLOCK_PROCESS_CPUTIME_ID), wall seconds, invocations and items per
 * CPU-second (stream triggers batch many items per invocation), CPU microseconds per
 * replication (what sweeps and many-replication scenarios pay), the floor's holds per
 * CPU-second and the ratio (CPU per invocation) / (CPU per hold), then the peak resident memory
 * (getrusage). The ratio is the figure to compare across machines and loads: both sides run in
 * the same process, one right after the other. Not a test: see README for reference figures and
 * `valgrind --tool=callgrind` for stable instruction counts. --series records the time series
 * `capsim plot` draws (models/series.h, default buckets), to measure what recording costs;
 * without it nothing is recorded, as in `capsim run`. A scenario with several functions
 * (`functions:` or `functions_from_trace:`) runs the account model instead (lambda_account.c, as
 * `capsim run -j 1` does): invocations, items and cold starts are summed over its functions,
 * the concurrency is the account's; --series does not apply to it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench/floor.h"
#include "models/lambda.h"
#include "models/run.h"
/* bench/compare.sh builds this file against older revisions too, some without time series. */
#if defined(__has_include)
#if __has_include("models/series.h")
#include "models/series.h"
#define BENCH_SERIES 1
#endif
#endif
#ifndef BENCH_SERIES
typedef void sim_series;
#endif
#if defined(__has_include)
#if __has_include("models/lambda_account.h")
#include "models/lambda_account.h"
#define BENCH_ACCOUNT 1
#endif
#endif
#include "sim/error.h"

static double clock_seconds(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct round_result {
    double cpu, wall, floor_cpu;
    uint64_t invocations, cold, items, floor_holds;
    double concurrency_mean;
    int floor_n;
} round_result;

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *x, int n) {
    qsort(x, (size_t)n, sizeof *x, cmp_double);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

/* Closes a pass: its times and mean concurrency, and the check that every replication published
 * all of its simulated time, however its loop ended. 0, or 1 after saying what is wrong. */
static int finish_round(const scenario *s, const sim_progress *progress, double t0, double w0,
                        double concurrency, round_result *out) {
    out->cpu = clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - t0;
    out->wall = clock_seconds(CLOCK_MONOTONIC) - w0;
    out->concurrency_mean = concurrency / (double)s->replications;
    uint64_t expected_us = (uint64_t)s->replications * (uint64_t)(s->warmup_us + s->horizon_us);
    if (sim_progress_done(progress) != expected_us) {
        fprintf(stderr, "capsim_bench: progress counted %llu us of %llu\n",
                (unsigned long long)sim_progress_done(progress), (unsigned long long)expected_us);
        return 1;
    }
    return 0;
}

/* One pass over every replication of s, as `capsim run -j 1` does for Lambda. */
static int run_round(const scenario *s, lambda_pool *pool, lambda_rep *rep, sim_series *table,
                     round_result *out) {
    /* A live progress counter, as `capsim run` has, so that its cost is in the measure. */
    sim_progress progress;
    sim_progress_init(&progress);
    double concurrency = 0.0;
    double t0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID), w0 = clock_seconds(CLOCK_MONOTONIC);
    for (uint32_t r = 0; r < (uint32_t)s->replications; r++) {
        memset(rep, 0, sizeof *rep);
#ifdef BENCH_SERIES
        int rc = lambda_simulate_series(s, r, rep, pool, &progress, table);
#else
        int rc = lambda_simulate(s, r, rep, pool, &progress);
#endif
        if (rc) {
            fprintf(stderr, "capsim_bench: %s\n", sim_strerror(rc));
            return 1;
        }
        out->invocations += rep->invocations;
        out->items += rep->items;
        out->cold += rep->cold_starts;
        concurrency += rep->concurrency_mean;
    }
    return finish_round(s, &progress, t0, w0, concurrency, out);
}

#ifdef BENCH_ACCOUNT
/* The same pass for an account of several functions: one lambda_account_simulate per
 * replication, the functions' counts summed. */
static int run_account_round(const lambda_account_views *v, lambda_account_pool *pool,
                             lambda_rep *fn, batch_rep *stages, round_result *out) {
    const scenario *s = v->s;
    sim_progress progress;
    sim_progress_init(&progress);
    double concurrency = 0.0;
    lambda_account_rep rep;
    double t0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID), w0 = clock_seconds(CLOCK_MONOTONIC);
    for (uint32_t r = 0; r < (uint32_t)s->replications; r++) {
        memset(&rep, 0, sizeof rep);
        memset(fn, 0, v->n * sizeof *fn);
        memset(stages, 0, v->n_stages * sizeof *stages);
        rep.fn = fn;
        rep.stage = stages;
        int rc = lambda_account_simulate(v, r, &rep, pool, &progress);
        if (rc) {
            fprintf(stderr, "capsim_bench: %s\n", sim_strerror(rc));
            return 1;
        }
        for (size_t i = 0; i < v->n; i++) {
            out->invocations += fn[i].invocations;
            out->items += fn[i].items;
            out->cold += fn[i].cold_starts;
        }
        concurrency += rep.total.concurrency_mean;
    }
    return finish_round(s, &progress, t0, w0, concurrency, out);
}
#endif

int main(int argc, char **argv) {
    sim_init();
    if (argc < 2) {
        fprintf(stderr, "usage: capsim_bench SCENARIO [--rounds R] [--no-floor] [--series] "
                        "[--set KEY=VALUE]...\n");
        return 2;
    }
    const char **overrides = calloc((size_t)argc, sizeof *overrides);
    size_t n_overrides = 0;
    int rounds = 3;
    int with_floor = 1;
    bool record = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--no-floor") == 0) {
            with_floor = 0;
        } else if (strcmp(argv[i], "--series") == 0) {
            record = true;
        } else if (i + 1 < argc && strcmp(argv[i], "--rounds") == 0) {
            rounds = atoi(argv[++i]);
            if (rounds < 1 || rounds > 100) {
                fprintf(stderr, "capsim_bench: --rounds takes 1..100\n");
                return 2;
            }
        } else if (i + 1 < argc && strcmp(argv[i], "--set") == 0) {
            overrides[n_overrides++] = argv[++i];
        } else {
            fprintf(stderr, "capsim_bench: unexpected argument '%s'\n", argv[i]);
            return 2;
        }
    }
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    int rc = scenario_load_file(argv[1], overrides, n_overrides, &diag, &s);
    sim_diag_print(&diag, stderr);
    sim_diag_fini(&diag);
    free(overrides);
    if (rc) return 3;

    lambda_pool *pool = malloc(sizeof *pool);
    lambda_rep *rep = calloc(1, sizeof *rep);
    round_result *res = calloc((size_t)rounds, sizeof *res);
    if (!pool || !rep || !res) return 1;
    sim_hist_init(&pool->latency_us);
    sim_hist_init(&pool->duration_us);
#ifdef BENCH_ACCOUNT
    bool account = s->functions_present && s->n_functions > 0;
    lambda_account_views views;
    lambda_account_pool *account_pool = NULL;
    batch_rep *stages = NULL;
    lambda_rep *fn = NULL;
    if (account) {
        if (record) {
            fprintf(stderr, "capsim_bench: --series: an account records no time series\n");
            return 2;
        }
        if (lambda_account_views_init(&views, s)) return 1;
        account_pool = lambda_account_pool_create(&views);
        fn = calloc(s->n_functions, sizeof *fn);
        stages = calloc(views.n_stages + 1, sizeof *stages);
        if (!account_pool || !fn || !stages) return 1;
    }
#endif
#ifdef BENCH_SERIES
    run_series series;
    run_series_init(&series, 0);
    if (record && run_series_prepare(&series, s)) return 1;
    sim_series *table = record && series.lambda_on ? &series.lambda : NULL;
#else
    sim_series *table = NULL;
    if (record) {
        fprintf(stderr, "capsim_bench: --series: this capsim has no time series\n");
        return 2;
    }
#endif
    printf("scenario          %s (%lld replication%s, %d round%s)\n", s->name,
           (long long)s->replications,
           s->replications == 1 ? "" : "s", rounds, rounds == 1 ? "" : "s");
#ifdef BENCH_ACCOUNT
    if (account) printf("account           %zu functions\n", s->n_functions);
#endif
    printf("%5s %12s %10s %9s %9s %11s %13s %13s %7s\n", "round", "invocations", "concurrency",
           "cpu_s", "wall_s", "inv/cpu_s", "us/replication", "floor_holds/s", "ratio");
    uint64_t checksum_all = 0;
    for (int k = 0; k < rounds; k++) {
        round_result *r = &res[k];
#ifdef BENCH_ACCOUNT
        if (account ? run_account_round(&views, account_pool, fn, stages, r)
                    : run_round(s, pool, rep, table, r))
            return 1;
#else
        if (run_round(s, pool, rep, table, r)) return 1;
#endif
        if (with_floor) {
            /* The floor's heap is the run's mean concurrency (at least 1); enough holds for a
             * tenth of a second or more, never more than the run's own invocations needs. */
            double c = r->concurrency_mean;
            r->floor_n = c < 1.0 ? 1 : (int)lround(c);
            uint64_t holds = r->invocations < 2000000 ? 2000000 : r->invocations;
            if (holds > 20000000) holds = 20000000;
            uint64_t checksum = 0;
            r->floor_cpu = bench_floor_run((uint32_t)r->floor_n, holds, &checksum);
            r->floor_holds = holds;
            checksum_all ^= checksum;
        }
        double inv_rate = r->cpu > 0 ? (double)r->invocations / r->cpu : 0.0;
        double floor_rate = r->floor_cpu > 0 ? (double)r->floor_holds / r->floor_cpu : 0.0;
        printf("%5d %12llu %10.1f %9.3f %9.3f %11.0f %13.1f", k + 1,
               (unsigned long long)r->invocations, r->concurrency_mean, r->cpu, r->wall, inv_rate,
               r->cpu / s->replications * 1e6);
        if (with_floor)
            printf(" %13.0f %7.2f\n", floor_rate, floor_rate / inv_rate);
        else
            printf(" %13s %7s\n", "-", "-");
    }
    double *x = calloc((size_t)rounds, sizeof *x);
    if (!x) return 1;
    const round_result *r0 = &res[0];
    printf("invocations       %llu (cold %llu, mean concurrency %.1f)\n",
           (unsigned long long)r0->invocations, (unsigned long long)r0->cold, r0->concurrency_mean);
    for (int k = 0; k < rounds; k++) x[k] = res[k].cpu;
    printf("cpu_seconds       %.3f (median)\n", median(x, rounds));
    for (int k = 0; k < rounds; k++) x[k] = res[k].wall;
    printf("wall_seconds      %.3f (median)\n", median(x, rounds));
    for (int k = 0; k < rounds; k++) x[k] = res[k].cpu > 0 ? res[k].invocations / res[k].cpu : 0;
    printf("invocations_per_cpu_second %.0f (median)\n", median(x, rounds));
    /* Stream triggers batch items: an invocation is many items, so count both. */
    printf("items             %llu\n", (unsigned long long)r0->items);
    for (int k = 0; k < rounds; k++) x[k] = res[k].cpu > 0 ? res[k].items / res[k].cpu : 0;
    printf("items_per_cpu_second %.0f (median)\n", median(x, rounds));
    for (int k = 0; k < rounds; k++) x[k] = res[k].cpu / s->replications * 1e6;
    printf("cpu_us_per_replication %.1f (median)\n", median(x, rounds));
    if (with_floor) {
        for (int k = 0; k < rounds; k++) x[k] = res[k].floor_holds / res[k].floor_cpu;
        printf("floor_holds_per_cpu_second %.0f (median; heap of %d, checksum %llx)\n",
               median(x, rounds), r0->floor_n, (unsigned long long)(checksum_all & 0xffff));
        for (int k = 0; k < rounds; k++)
            x[k] = (res[k].floor_holds / res[k].floor_cpu) / (res[k].invocations / res[k].cpu);
        printf("ratio_to_floor    %.2f (median; CPU per invocation / CPU per hold)\n",
               median(x, rounds));
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak_rss_mb       %.1f\n", (double)ru.ru_maxrss / 1024.0);
#ifdef BENCH_SERIES
    if (table)
        printf("series            %u buckets of %.3f s\n", table->n_buckets,
               sim_time_to_s(table->width_us));
    run_series_fini(&series);
#endif
#ifdef BENCH_ACCOUNT
    if (account) {
        free(fn);
        free(stages);
        lambda_account_pool_destroy(account_pool);
        lambda_account_views_fini(&views);
    }
#endif
    free(x);
    free(res);
    free(rep);
    free(pool);
    scenario_destroy(s);
    return 0;
}
