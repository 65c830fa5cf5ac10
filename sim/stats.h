/* sim/stats.h — streaming statistics: nothing here stores per-observation data.
 *
 * - sim_moments: count, mean, variance (Welford), min, max; mergeable (Chan et al.), so per-
 *   replication results combine exactly in a fixed order. gsl_rstat is not mergeable and also
 *   runs a P² quantile estimator on every add, which the hot loop does not need.
 * - sim_sums: the hot-loop form of sim_moments: shifted sums (the first value is the shift), so
 *   an add is two multiply-adds and no division; turned into a sim_moments once, at the end.
 *   With the shift a typical value, the variance loses only the digits of (mean - shift)^2 /
 *   variance, a handful at worst, far below what is reported.
 * - sim_hist: a log-linear histogram of non-negative integers (microseconds): values below 2^SUB
 *   are exact, above that every power of two is split in 2^SUB buckets, so a quantile is within
 *   2^-SUB (0.4 % for SUB = 8) of the truth at any scale. Fixed size, no allocation, mergeable by
 *   adding counts; quantiles are exact at the extremes (min and max are tracked). Only the span
 *   of buckets observations reached is valid memory: init writes a few words, not the 117 KB
 *   of counts, and merge and quantile visit only that span, so a histogram costs what its
 *   values spread over (a replication's latencies: a few octaves) and untouched pages of it are
 *   never made resident.
 * - sim_timeavg: the time-weighted mean and the maximum of a level (busy environments...) over an
 *   observation window.
 * - sim_trend: the mean of a value (an item's latency) by when it happened, in a fixed number
 *   of equal windows over the observation period, and the least-squares line through the
 *   window means: how fast the value grows, and how steadily (R^2). Tells a queue that cannot
 *   keep up (its waits grow without bound) from one that is merely busy or bursty.
 * - sim_ci_halfwidth: Student-t confidence half-width of a mean across replications. */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/time.h"

typedef struct sim_moments {
    uint64_t n;
    double mean, m2, min, max;
} sim_moments;

void sim_moments_init(sim_moments *m);
void sim_moments_add(sim_moments *m, double x);
/* dst := dst combined with src (as if every observation of src had been added to dst). */
void sim_moments_merge(sim_moments *dst, const sim_moments *src);
double sim_moments_variance(const sim_moments *m); /* sample variance (n - 1); 0 when n < 2 */

typedef struct sim_sums {
    uint64_t n;
    double shift, s1, s2, min, max; /* s1 = sum (x - shift), s2 = sum (x - shift)^2 */
} sim_sums;

void sim_sums_init(sim_sums *s);
static inline void sim_sums_add(sim_sums *s, double x)
{
    if (__builtin_expect(s->n == 0, 0)) {
        s->shift = s->min = s->max = x;
    }
    double d = x - s->shift;
    s->s1 += d;
    s->s2 += d * d;
    s->min = x < s->min ? x : s->min;
    s->max = x > s->max ? x : s->max;
    s->n++;
}
/* The same observations, divided by `divisor` (1e6 for microseconds added, seconds wanted), as
 * moments (n, mean, m2, min, max). */
void sim_sums_to_moments(const sim_sums *s, double divisor, sim_moments *out);

#define SIM_HIST_SUB_BITS 8
#define SIM_HIST_SUB (1 << SIM_HIST_SUB_BITS)
/* Octave 0 holds the exact values [0, 2^SUB); octaves 1..(63-SUB+1) hold the rest. */
#define SIM_HIST_BUCKETS ((64 - SIM_HIST_SUB_BITS + 1) * SIM_HIST_SUB)

typedef struct sim_hist {
    uint64_t n;
    int64_t min, max;
    uint32_t lo, hi;        /* counts[lo..hi) are valid (zero or counted); the rest is not */
    uint64_t counts[SIM_HIST_BUCKETS];
} sim_hist;

void sim_hist_init(sim_hist *h);
/* Bucket index of a non-negative value (see stats.c for the layout): 2^(SUB+1) - 1 OR-ed in
 * before counting leading zeros makes the shift 0 for the exact range. */
static inline size_t sim_hist_bucket_u_(uint64_t v)
{
    unsigned shift = (unsigned)(63 - SIM_HIST_SUB_BITS) -
                     (unsigned)__builtin_clzll(v | (uint64_t)(2 * SIM_HIST_SUB - 1));
    return ((size_t)shift << SIM_HIST_SUB_BITS) + (size_t)(v >> shift);
}
void sim_hist_cover_(sim_hist *h, uint32_t from, uint32_t to);
/* Adds one observation; negative values are clamped to 0. Inline: it runs twice per simulated
 * invocation. */
static inline void sim_hist_add(sim_hist *h, int64_t value)
{
    int64_t v = value < 0 ? 0 : value;
    uint32_t b = (uint32_t)sim_hist_bucket_u_((uint64_t)v);
    /* One unsigned compare for "outside [lo, hi)". */
    if (__builtin_expect(b - h->lo >= h->hi - h->lo, 0)) sim_hist_cover_(h, b, b + 1);
    h->counts[b]++;
    h->min = (h->n == 0 || v < h->min) ? v : h->min;
    h->max = (h->n == 0 || v > h->max) ? v : h->max;
    h->n++;
}
void sim_hist_merge(sim_hist *dst, const sim_hist *src);
/* Observations in bucket b (0 outside the span reached). */
uint64_t sim_hist_count(const sim_hist *h, size_t bucket);
/* Nearest-rank quantile: the smallest recorded value v with at least ceil(p*n) observations <= v,
 * reported as its bucket's midpoint clamped to [min, max]. p in [0,1]; 0 when n == 0. */
int64_t sim_hist_quantile(const sim_hist *h, double p);
/* Bucket index of a value and the value range [lo, hi] of a bucket (for tests and plots). */
size_t sim_hist_bucket(int64_t value);
void sim_hist_bucket_range(size_t bucket, int64_t *lo, int64_t *hi);

typedef struct sim_timeavg {
    sim_time_us window_start_us, last_us;
    int64_t level, max;
    double area; /* level x microseconds since window_start */
    bool open;   /* observations count only while the window is open */
} sim_timeavg;

/* Starts tracking at level 0 with the window closed (nothing counts until sim_timeavg_open). */
void sim_timeavg_init(sim_timeavg *t);
/* Changes the level at now_us (calls must come in non-decreasing time). */
static inline void sim_timeavg_set(sim_timeavg *t, sim_time_us now_us, int64_t level)
{
    if (t->open) {
        t->area += (double)t->level * (double)(now_us - t->last_us);
        t->last_us = now_us;
        if (level > t->max) t->max = level;
    }
    /* While closed, last_us keeps the close time: it is the end of the window mean() reports. */
    t->level = level;
}
/* Opens the observation window at now_us: area 0, max = current level. */
void sim_timeavg_open(sim_timeavg *t, sim_time_us now_us);
/* Closes the window at now_us; later changes are tracked but not counted. */
void sim_timeavg_close(sim_timeavg *t, sim_time_us now_us);
/* Mean level over the window [open, close] (or up to the last change if still open). */
double sim_timeavg_mean(const sim_timeavg *t);
/* Level x microseconds accumulated since the window opened, up to now_us (>= the last change)
 * while open; up to the close once closed. For readers sampling the integral (sim/series.h). */
double sim_timeavg_area_at(const sim_timeavg *t, sim_time_us now_us);

#define SIM_TREND_WINDOWS 16

typedef struct sim_trend {
    sim_time_us start_us;  /* the observation period [start, start + SIM_TREND_WINDOWS * width) */
    double windows_per_us; /* 1 / window width */
    double sum[SIM_TREND_WINDOWS];
    uint64_t n[SIM_TREND_WINDOWS];
} sim_trend;

/* Observes [start_us, end_us) (end > start) in SIM_TREND_WINDOWS equal windows, all empty. */
void sim_trend_init(sim_trend *t, sim_time_us start_us, sim_time_us end_us);
/* Adds value x observed for time at_us (ignored outside the period). */
static inline void sim_trend_add(sim_trend *t, sim_time_us at_us, double x)
{
    double w = (double)(at_us - t->start_us) * t->windows_per_us;
    if (!(w >= 0.0 && w < (double)SIM_TREND_WINDOWS)) return;
    int i = (int)w;
    t->sum[i] += x;
    t->n[i]++;
}
/* dst += src (the same period). */
void sim_trend_merge(sim_trend *dst, const sim_trend *src);
/* The least-squares line through the means of the non-empty windows, against the windows'
 * mid-times: *slope_per_us (value units per microsecond) and *r2 (share of the variance of the
 * window means the line explains, 0..1; 1 when they do not vary). Returns the number of
 * non-empty windows used; with fewer than 3 the fit is not made (slope 0, r2 0). */
int sim_trend_fit(const sim_trend *t, double *slope_per_us, double *r2);

/* Half-width of the two-sided confidence interval (level, e.g. 0.95) of the mean of x[0..n),
 * Student t with n-1 degrees of freedom; 0 when n < 2. */
double sim_ci_halfwidth(const double *x, size_t n, double level);
double sim_mean(const double *x, size_t n);

#endif
