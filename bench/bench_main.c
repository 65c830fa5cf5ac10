/* bench/bench_main.c — the simulator benchmark: simulated invocations per CPU-second.
 *
 * Usage: capsim_bench SCENARIO [--set KEY=VALUE]... [--series]
 * --series records the time series `capsim plot` draws (models/series.h, default buckets), to
 * measure what recording costs; without it nothing is recorded, as in `capsim run`.
 * Runs the scenario's Lambda model on one thread, replication by replication, and prints
 * invocations and items, CPU seconds (CLOCK_PROCESS_CPUTIME_ID), invocations and items per
 * CPU-second (stream triggers batch many items per invocation) and the peak resident memory
 * (getrusage). Not a test: timings on a shared machine are noisy; see README for the reference
 * figure and `valgrind --tool=callgrind` for stable instruction counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "models/lambda.h"
#include "models/run.h"
#include "models/series.h"
#include "sim/error.h"

static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    sim_init();
    if (argc < 2) {
        fprintf(stderr, "usage: capsim_bench SCENARIO [--set KEY=VALUE]... [--series]\n");
        return 2;
    }
    const char **overrides = calloc((size_t)argc, sizeof *overrides);
    size_t n_overrides = 0;
    bool record = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--series") == 0) {
            record = true;
        } else if (strcmp(argv[i], "--set") == 0 && i + 1 < argc) {
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
    if (!pool || !rep) return 1;
    sim_hist_init(&pool->latency_us);
    sim_hist_init(&pool->duration_us);
    run_series series;
    run_series_init(&series, 0);
    if (record && run_series_prepare(&series, s)) return 1;
    sim_series *table = record && series.lambda_on ? &series.lambda : NULL;
    uint64_t invocations = 0, cold = 0, items = 0;
    /* A live progress counter, as `capsim run` has, so that its cost is in the measure. */
    sim_progress progress;
    sim_progress_init(&progress);
    double t0 = cpu_seconds();
    for (uint32_t r = 0; r < (uint32_t)s->replications; r++) {
        memset(rep, 0, sizeof *rep);
        if ((rc = lambda_simulate_series(s, r, rep, pool, &progress, table))) {
            fprintf(stderr, "capsim_bench: %s\n", sim_strerror(rc));
            return 1;
        }
        invocations += rep->invocations;
        items += rep->items;
        cold += rep->cold_starts;
    }
    double cpu = cpu_seconds() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("scenario          %s\n", s->name);
    printf("invocations       %llu (cold %llu, mean concurrency %.1f)\n",
           (unsigned long long)invocations, (unsigned long long)cold, rep->concurrency_mean);
    printf("cpu_seconds       %.3f\n", cpu);
    printf("invocations_per_cpu_second %.0f\n", cpu > 0 ? (double)invocations / cpu : 0.0);
    /* Stream triggers batch items: an invocation is many items, so count both. */
    printf("items             %llu\n", (unsigned long long)items);
    printf("items_per_cpu_second %.0f\n", cpu > 0 ? (double)items / cpu : 0.0);
    printf("peak_rss_mb       %.1f\n", (double)ru.ru_maxrss / 1024.0);
    /* Every replication publishes all of its simulated time, however its loop ended. */
    uint64_t expected_us = (uint64_t)s->replications * (uint64_t)(s->warmup_us + s->horizon_us);
    if (sim_progress_done(&progress) != expected_us) {
        fprintf(stderr, "capsim_bench: progress counted %llu us of %llu\n",
                (unsigned long long)sim_progress_done(&progress), (unsigned long long)expected_us);
        return 1;
    }
    if (table) printf("series            %u buckets of %.3f s\n", table->n_buckets,
                      sim_time_to_s(table->width_us));
    run_series_fini(&series);
    free(rep);
    free(pool);
    scenario_destroy(s);
    return 0;
}
