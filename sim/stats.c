/* sim/stats.c — streaming statistics: moments, log-linear histograms, time averages, CIs.
 *
 * sim_moments_add and sim_hist_add run once per simulated item, so they avoid divisions beyond
 * Welford's one, loops and (for the histogram) floating point. Everything is mergeable so that
 * per-replication and per-shard results combine in a fixed order into identical output. */
#include "sim/stats.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_statistics_double.h>

/* ---- moments ---------------------------------------------------------------------------- */

void sim_moments_init(sim_moments *m)
{
    memset(m, 0, sizeof *m);
}

void sim_moments_add(sim_moments *m, double x)
{
    /* min/max read 0 while empty rather than +-inf, so writers need no special case. */
    if (m->n == 0) {
        m->min = x;
        m->max = x;
    } else {
        if (x < m->min) m->min = x;
        if (x > m->max) m->max = x;
    }
    m->n++;
    double delta = x - m->mean;
    m->mean += delta / (double)m->n;
    m->m2 += delta * (x - m->mean);
}

void sim_moments_merge(sim_moments *dst, const sim_moments *src)
{
    if (src->n == 0) return;
    if (dst->n == 0) {
        *dst = *src;
        return;
    }
    double na = (double)dst->n, nb = (double)src->n, n = na + nb;
    double delta = src->mean - dst->mean;
    /* Chan, Golub & LeVeque's pairwise update. */
    dst->mean += delta * (nb / n);
    dst->m2 += src->m2 + delta * delta * (na * nb / n);
    dst->n += src->n;
    if (src->min < dst->min) dst->min = src->min;
    if (src->max > dst->max) dst->max = src->max;
}

double sim_moments_variance(const sim_moments *m)
{
    return m->n < 2 ? 0.0 : m->m2 / (double)(m->n - 1);
}

void sim_sums_init(sim_sums *s)
{
    memset(s, 0, sizeof *s);
}

void sim_sums_to_moments(const sim_sums *s, double divisor, sim_moments *out)
{
    sim_moments_init(out);
    if (s->n == 0) return;
    double n = (double)s->n, mean_d = s->s1 / n;
    out->n = s->n;
    out->mean = (s->shift + mean_d) / divisor;
    double m2 = s->s2 - s->s1 * mean_d;
    out->m2 = m2 > 0.0 ? m2 / (divisor * divisor) : 0.0;
    out->min = s->min / divisor;
    out->max = s->max / divisor;
}

/* ---- histogram ---------------------------------------------------------------------------
 *
 * Layout: a value v in [0, 2^(SUB+1)) has bucket v (octaves 0 and 1 are exact). Above, with
 * shift = (position of the highest set bit) - SUB, bucket = (shift << SUB) + (v >> shift):
 * v >> shift keeps the leading 1 and the next SUB bits, i.e. a number in [2^SUB, 2^(SUB+1)),
 * so each octave [2^(SUB+shift), 2^(SUB+shift+1)) gets 2^SUB buckets of width 2^shift.
 * OR-ing 2^(SUB+1) - 1 into v before counting leading zeros makes shift 0 for the exact range,
 * which gives one branch-free formula for all values. */

#define SIM_HIST_EXACT_ (2 * SIM_HIST_SUB) /* buckets 0 .. 2^(SUB+1) - 1 hold one value each */
/* Highest bucket a non-negative int64 can reach: INT64_MAX has shift 62 - SUB and
 * v >> shift = 2^(SUB+1) - 1, so the last bucket is (64 - SUB) * 2^SUB - 1. */
#define SIM_HIST_LAST_ ((size_t)(64 - SIM_HIST_SUB_BITS) * SIM_HIST_SUB - 1)

_Static_assert(SIM_HIST_LAST_ < SIM_HIST_BUCKETS, "sim_hist buckets too few for int64");

size_t sim_hist_bucket(int64_t value)
{
    return sim_hist_bucket_u_(value < 0 ? 0 : (uint64_t)value);
}

void sim_hist_bucket_range(size_t bucket, int64_t *lo, int64_t *hi)
{
    if (bucket < SIM_HIST_EXACT_) {
        *lo = *hi = (int64_t)bucket;
        return;
    }
    if (bucket > SIM_HIST_LAST_) {
        /* Unreachable buckets (the array has spare room): no value maps there. */
        *lo = *hi = INT64_MAX;
        return;
    }
    unsigned shift = (unsigned)(bucket >> SIM_HIST_SUB_BITS) - 1;
    uint64_t mant = (uint64_t)(bucket & (SIM_HIST_SUB - 1)) + SIM_HIST_SUB;
    uint64_t l = mant << shift;
    *lo = (int64_t)l;
    *hi = (int64_t)(l + ((UINT64_C(1) << shift) - 1));
}

void sim_hist_init(sim_hist *h)
{
    h->n = 0;
    h->min = h->max = 0;
    h->lo = h->hi = 0; /* no valid bucket: counts is never written here */
}

/* Makes counts[lo..hi) cover [from, to), zeroing what it adds. */
void sim_hist_cover_(sim_hist *h, uint32_t from, uint32_t to)
{
    if (h->lo == h->hi) {
        memset(&h->counts[from], 0, (size_t)(to - from) * sizeof h->counts[0]);
        h->lo = from;
        h->hi = to;
        return;
    }
    if (from < h->lo) {
        memset(&h->counts[from], 0, (size_t)(h->lo - from) * sizeof h->counts[0]);
        h->lo = from;
    }
    if (to > h->hi) {
        memset(&h->counts[h->hi], 0, (size_t)(to - h->hi) * sizeof h->counts[0]);
        h->hi = to;
    }
}

void sim_hist_merge(sim_hist *dst, const sim_hist *src)
{
    if (src->n == 0) return;
    sim_hist_cover_(dst, src->lo, src->hi);
    for (size_t i = src->lo; i < src->hi; i++) dst->counts[i] += src->counts[i];
    if (dst->n == 0) {
        dst->min = src->min;
        dst->max = src->max;
    } else {
        if (src->min < dst->min) dst->min = src->min;
        if (src->max > dst->max) dst->max = src->max;
    }
    dst->n += src->n;
}

uint64_t sim_hist_count(const sim_hist *h, size_t bucket)
{
    return bucket >= h->lo && bucket < h->hi ? h->counts[bucket] : 0;
}

int64_t sim_hist_quantile(const sim_hist *h, double p)
{
    if (h->n == 0) return 0;
    if (!(p >= 0.0)) p = 0.0; /* NaN too */
    if (p > 1.0) p = 1.0;
    /* Nearest rank; the slack keeps p n that should be an integer from rounding up a rank. */
    double r = ceil(p * (double)h->n - 1e-9);
    uint64_t target = r < 1.0 ? 1 : (r >= (double)h->n ? h->n : (uint64_t)r);
    /* Ranks 1 and n are the tracked extremes: exact, whatever their bucket's width. */
    if (target == 1) return h->min;
    if (target == h->n) return h->max;
    uint64_t cum = 0;
    size_t b = h->lo;
    for (; b < h->hi; b++) {
        cum += h->counts[b];
        if (cum >= target) break;
    }
    int64_t lo, hi;
    sim_hist_bucket_range(b, &lo, &hi);
    int64_t mid = lo + (hi - lo) / 2;
    if (mid < h->min) mid = h->min;
    if (mid > h->max) mid = h->max;
    return mid;
}

/* ---- time average ------------------------------------------------------------------------ */

void sim_timeavg_init(sim_timeavg *t)
{
    memset(t, 0, sizeof *t);
}

void sim_timeavg_open(sim_timeavg *t, sim_time_us now_us)
{
    t->window_start_us = now_us;
    t->last_us = now_us;
    t->area = 0.0;
    t->max = t->level;
    t->open = true;
}

void sim_timeavg_close(sim_timeavg *t, sim_time_us now_us)
{
    if (!t->open) return;
    t->area += (double)t->level * (double)(now_us - t->last_us);
    t->last_us = now_us;
    t->open = false;
}

double sim_timeavg_mean(const sim_timeavg *t)
{
    sim_time_us width = t->last_us - t->window_start_us;
    /* An empty window has no mean; 0 keeps reports finite. */
    return width > 0 ? t->area / (double)width : 0.0;
}

double sim_timeavg_area_at(const sim_timeavg *t, sim_time_us now_us)
{
    return t->open ? t->area + (double)t->level * (double)(now_us - t->last_us) : t->area;
}

/* ---- across replications ----------------------------------------------------------------- */

/* ---- trend ------------------------------------------------------------------------------- */

void sim_trend_init(sim_trend *t, sim_time_us start_us, sim_time_us end_us)
{
    memset(t, 0, sizeof *t);
    t->start_us = start_us;
    t->windows_per_us = (double)SIM_TREND_WINDOWS / (double)(end_us - start_us);
}

void sim_trend_merge(sim_trend *dst, const sim_trend *src)
{
    for (int i = 0; i < SIM_TREND_WINDOWS; i++) {
        dst->sum[i] += src->sum[i];
        dst->n[i] += src->n[i];
    }
}

int sim_trend_fit(const sim_trend *t, double *slope_per_us, double *r2)
{
    double width_us = 1.0 / t->windows_per_us;
    double x[SIM_TREND_WINDOWS], y[SIM_TREND_WINDOWS];
    int k = 0;
    for (int i = 0; i < SIM_TREND_WINDOWS; i++) {
        if (t->n[i] == 0) continue;
        x[k] = ((double)i + 0.5) * width_us;
        y[k] = t->sum[i] / (double)t->n[i];
        k++;
    }
    *slope_per_us = 0.0;
    *r2 = 0.0;
    if (k < 3) return k;
    double c0, c1, cov00, cov01, cov11, sumsq;
    gsl_fit_linear(x, 1, y, 1, (size_t)k, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
    double tss = gsl_stats_tss(y, 1, (size_t)k);
    *slope_per_us = c1;
    *r2 = tss > 0.0 ? 1.0 - sumsq / tss : 1.0;
    if (*r2 < 0.0) *r2 = 0.0;
    return k;
}

double sim_mean(const double *x, size_t n)
{
    return n == 0 ? 0.0 : gsl_stats_mean(x, 1, n);
}

double sim_ci_halfwidth(const double *x, size_t n, double level)
{
    if (n < 2) return 0.0;
    if (!(level > 0.0 && level < 1.0)) return NAN;
    double s = gsl_stats_sd(x, 1, n); /* two-pass, n - 1 denominator */
    double t = gsl_cdf_tdist_Pinv(1.0 - (1.0 - level) / 2.0, (double)(n - 1));
    return t * s / sqrt((double)n);
}
