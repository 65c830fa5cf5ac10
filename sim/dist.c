/* sim/dist.c — the scenario format's distributions: validation, sampling, and exact laws.
 *
 * Sampling uses sim/rng.h's samplers (the same formulas GSL's gsl_ran_* use, on a faster
 * generator and with ziggurats for the exponential and the normal), and mean/CDF/quantile closed
 * forms or gsl_cdf_*, so the statistical tests compare the sampler against an independent exact
 * law. Degenerate
 * parameter values the format allows (uniform with min == max, lognormal with sigma 0) are
 * treated as constants here because GSL's formulas divide by the width or by sigma. A degenerate
 * distribution draws no random number, like a constant. */
#include "sim/dist.h"

#include <math.h>
#include <stdint.h>

#include <gsl/gsl_cdf.h>

#include "sim/error.h"

static int sim_dist_set_(sim_dist *out, sim_dist_kind kind, double a, double b)
{
    out->kind = kind;
    out->a = a;
    out->b = b;
    out->values = NULL;
    out->n_values = 0;
    return SIM_OK;
}

/* Range tests are written !(x >= lo) so that NaN fails them; infinities are refused with
 * isfinite because no distribution of the format has an infinite parameter. */
int sim_dist_constant(sim_dist *out, double value)
{
    if (!(value >= 0.0) || !isfinite(value)) return SIM_ERANGE;
    return sim_dist_set_(out, SIM_DIST_CONSTANT, value, 0.0);
}

int sim_dist_exponential(sim_dist *out, double mean)
{
    if (!(mean > 0.0) || !isfinite(mean)) return SIM_ERANGE;
    return sim_dist_set_(out, SIM_DIST_EXPONENTIAL, mean, 0.0);
}

int sim_dist_lognormal_sigma(sim_dist *out, double median, double sigma)
{
    if (!(median > 0.0) || !isfinite(median) || !(sigma >= 0.0) || !isfinite(sigma))
        return SIM_ERANGE;
    return sim_dist_set_(out, SIM_DIST_LOGNORMAL, log(median), sigma);
}

int sim_dist_lognormal_p99(sim_dist *out, double median, double p99)
{
    if (!(median > 0.0) || !(p99 > median) || !isfinite(p99)) return SIM_ERANGE;
    /* p99 = median * exp(sigma * z_0.99). */
    double sigma = log(p99 / median) / gsl_cdf_ugaussian_Pinv(0.99);
    return sim_dist_set_(out, SIM_DIST_LOGNORMAL, log(median), sigma);
}

int sim_dist_uniform(sim_dist *out, double min, double max)
{
    if (!(min >= 0.0) || !(max >= min) || !isfinite(max)) return SIM_ERANGE;
    return sim_dist_set_(out, SIM_DIST_UNIFORM, min, max);
}

int sim_dist_gamma_mean_cv(sim_dist *out, double mean, double cv)
{
    if (!(mean > 0.0) || !isfinite(mean) || !(cv > 0.0) || !isfinite(cv)) return SIM_ERANGE;
    /* mean = k theta, cv^2 = 1/k. */
    double k = 1.0 / (cv * cv);
    double theta = mean * cv * cv;
    if (!(k > 0.0) || !isfinite(k) || !(theta > 0.0) || !isfinite(theta)) return SIM_ERANGE;
    return sim_dist_set_(out, SIM_DIST_GAMMA, k, theta);
}

int sim_dist_pareto(sim_dist *out, double min, double alpha)
{
    if (!(min > 0.0) || !isfinite(min) || !(alpha > 0.0) || !isfinite(alpha)) return SIM_ERANGE;
    return sim_dist_set_(out, SIM_DIST_PARETO, alpha, min);
}

int sim_dist_empirical(sim_dist *out, const double *values, size_t n)
{
    if (values == NULL || n == 0) return SIM_ERANGE;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!(values[i] >= 0.0) || !isfinite(values[i])) return SIM_ERANGE;
        if (i > 0 && values[i] < values[i - 1]) return SIM_ERANGE;
        sum += values[i];
    }
    /* a caches the mean (so sim_dist_mean is O(1)); b is unused. */
    sim_dist_set_(out, SIM_DIST_EMPIRICAL, sum / (double)n, 0.0);
    out->values = values;
    out->n_values = n;
    return SIM_OK;
}

double sim_dist_sample_other_(const sim_dist *d, sim_rng *rng)
{
    switch (d->kind) {
    case SIM_DIST_CONSTANT:
        return d->a;
    case SIM_DIST_EXPONENTIAL:
        return d->a * sim_rng_exponential(rng);
    case SIM_DIST_LOGNORMAL:
        return d->b > 0.0 ? exp(d->a + d->b * sim_rng_normal(rng)) : exp(d->a);
    case SIM_DIST_UNIFORM: {
        if (!(d->b > d->a)) return d->a;
        double u = sim_rng_uniform(rng);
        return d->a * (1.0 - u) + d->b * u;
    }
    case SIM_DIST_GAMMA:
        return sim_rng_gamma(rng, d->a, d->b);
    case SIM_DIST_PARETO: /* inversion: x_m U^(-1/alpha), U on (0, 1] */
        return d->b * pow(sim_rng_uniform_pos(rng), -1.0 / d->a);
    case SIM_DIST_EMPIRICAL:
        return d->values[sim_rng_uniform_int(rng, (uint64_t)d->n_values)];
    }
    sim_assert_fail(__FILE__, __LINE__, "known sim_dist kind");
}

bool sim_dist_is_constant(const sim_dist *d)
{
    return d->kind == SIM_DIST_CONSTANT || (d->kind == SIM_DIST_UNIFORM && !(d->b > d->a)) ||
           (d->kind == SIM_DIST_LOGNORMAL && !(d->b > 0.0));
}

double sim_dist_mean(const sim_dist *d)
{
    switch (d->kind) {
    case SIM_DIST_CONSTANT:
    case SIM_DIST_EXPONENTIAL:
    case SIM_DIST_EMPIRICAL:
        return d->a;
    case SIM_DIST_LOGNORMAL:
        return exp(d->a + 0.5 * d->b * d->b);
    case SIM_DIST_UNIFORM:
        return 0.5 * (d->a + d->b);
    case SIM_DIST_GAMMA:
        return d->a * d->b;
    case SIM_DIST_PARETO:
        return d->a > 1.0 ? d->a * d->b / (d->a - 1.0) : INFINITY;
    }
    sim_assert_fail(__FILE__, __LINE__, "known sim_dist kind");
}

/* Number of values <= x in a sorted array (upper bound). */
static size_t sim_dist_count_le_(const double *v, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

double sim_dist_cdf(const sim_dist *d, double x)
{
    if (isnan(x)) return NAN;
    switch (d->kind) {
    case SIM_DIST_CONSTANT:
        return x >= d->a ? 1.0 : 0.0;
    case SIM_DIST_EXPONENTIAL:
        return gsl_cdf_exponential_P(x, d->a);
    case SIM_DIST_LOGNORMAL:
        if (d->b > 0.0) return gsl_cdf_lognormal_P(x, d->a, d->b);
        return x >= exp(d->a) ? 1.0 : 0.0;
    case SIM_DIST_UNIFORM:
        if (d->b > d->a) return gsl_cdf_flat_P(x, d->a, d->b);
        return x >= d->a ? 1.0 : 0.0;
    case SIM_DIST_GAMMA:
        return gsl_cdf_gamma_P(x, d->a, d->b);
    case SIM_DIST_PARETO:
        return gsl_cdf_pareto_P(x, d->a, d->b);
    case SIM_DIST_EMPIRICAL:
        return (double)sim_dist_count_le_(d->values, d->n_values, x) / (double)d->n_values;
    }
    sim_assert_fail(__FILE__, __LINE__, "known sim_dist kind");
}

double sim_dist_quantile(const sim_dist *d, double p)
{
    if (!(p >= 0.0 && p <= 1.0)) return NAN;
    switch (d->kind) {
    case SIM_DIST_CONSTANT:
        return d->a;
    case SIM_DIST_EXPONENTIAL:
        return gsl_cdf_exponential_Pinv(p, d->a);
    case SIM_DIST_LOGNORMAL:
        if (d->b > 0.0) return gsl_cdf_lognormal_Pinv(p, d->a, d->b);
        return exp(d->a);
    case SIM_DIST_UNIFORM:
        if (d->b > d->a) return gsl_cdf_flat_Pinv(p, d->a, d->b);
        return d->a;
    case SIM_DIST_GAMMA:
        return gsl_cdf_gamma_Pinv(p, d->a, d->b);
    case SIM_DIST_PARETO:
        return gsl_cdf_pareto_Pinv(p, d->a, d->b);
    case SIM_DIST_EMPIRICAL: {
        /* Nearest rank: the smallest value with at least ceil(p n) values <= it. The slack keeps
         * p n that should be an integer (0.9 * 10) from rounding up to the next rank. */
        size_t n = d->n_values;
        double r = ceil(p * (double)n - 1e-9);
        size_t k = r < 1.0 ? 1 : (r > (double)n ? n : (size_t)r);
        return d->values[k - 1];
    }
    }
    sim_assert_fail(__FILE__, __LINE__, "known sim_dist kind");
}
