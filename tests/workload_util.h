/* tests/workload_util.h — loading a scenario from YAML text and replaying its arrivals, for the
 * workload tests (test_workload.c, and test_azure_trace.c, which checks the real Azure sample).
 * Any failure fails the calling test, with the loader's diagnostics printed. */
#ifndef TESTS_WORKLOAD_UTIL_H
#define TESTS_WORKLOAD_UTIL_H

#include <stdarg.h>
#include <stdint.h>

#include "models/scenario.h"
#include "models/workload.h"
#include "sim/error.h"
#include "test_util.h"

#define US_PER_MIN (60 * SIM_US_PER_S)

/* The scenario printf(fmt, ...) gives, loaded as "test.yaml" (relative files: the current
 * directory). */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static inline scenario *load(const char *fmt, ...)
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
static inline int64_t drain(const scenario *s, uint32_t rep, sim_time_us bucket_us,
                            int64_t *buckets, size_t n_buckets)
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

static inline void assert_counts(const int64_t *got, const int64_t *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            fail_msg("minute %zu: %lld arrivals, expected %lld", i, (long long)got[i],
                     (long long)want[i]);
}

static inline int64_t sum(const int64_t *v, size_t n)
{
    int64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s;
}

#endif
