/* sim/dist.h — probability distributions of the scenario format.
 *
 * A sim_dist is a small value (no allocation except an empirical table, which it borrows) that
 * can be sampled, and whose mean, CDF and quantile are known in closed form, so tests can compare
 * samples against the exact law. Units are the caller's: capsim uses seconds for durations and
 * MB for sizes. Sampling uses the samplers of sim/rng.h (ziggurats for the exponential and the
 * normal, Marsaglia-Tsang for the gamma, inversion for the others); CDFs and quantiles GSL's
 * gsl_cdf_*, an independent implementation the tests compare the samplers against. */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/rng.h"

typedef enum sim_dist_kind {
    SIM_DIST_CONSTANT,    /* a = value */
    SIM_DIST_EXPONENTIAL, /* a = mean */
    SIM_DIST_LOGNORMAL,   /* a = mu (log of the median), b = sigma */
    SIM_DIST_UNIFORM,     /* a = min, b = max */
    SIM_DIST_GAMMA,       /* a = shape k, b = scale theta */
    SIM_DIST_PARETO,      /* a = alpha, b = minimum x_m */
    SIM_DIST_EMPIRICAL    /* values[0..n_values), sorted ascending, borrowed; sampled uniformly */
} sim_dist_kind;

typedef struct sim_dist {
    sim_dist_kind kind;
    double a, b;
    const double *values;
    size_t n_values;
} sim_dist;

/* Constructors check their parameters: SIM_OK, or SIM_ERANGE (and *out untouched). */
int sim_dist_constant(sim_dist *out, double value);                 /* value >= 0 */
int sim_dist_exponential(sim_dist *out, double mean);               /* mean > 0 */
int sim_dist_lognormal_sigma(sim_dist *out, double median, double sigma); /* median > 0, sigma >= 0 */
int sim_dist_lognormal_p99(sim_dist *out, double median, double p99);     /* 0 < median < p99 */
int sim_dist_uniform(sim_dist *out, double min, double max);         /* 0 <= min <= max */
int sim_dist_gamma_mean_cv(sim_dist *out, double mean, double cv);   /* mean > 0, cv > 0 */
int sim_dist_pareto(sim_dist *out, double min, double alpha);        /* min > 0, alpha > 0 */
/* values must be sorted ascending, non-negative, n >= 1; the array is borrowed, not copied. */
int sim_dist_empirical(sim_dist *out, const double *values, size_t n);

/* A sample. The two laws the hot loop draws most (constants and exponentials) are inline. */
double sim_dist_sample_other_(const sim_dist *d, sim_rng *rng);
static inline double sim_dist_sample(const sim_dist *d, sim_rng *rng)
{
    if (d->kind == SIM_DIST_CONSTANT) return d->a;
    if (d->kind == SIM_DIST_EXPONENTIAL) return d->a * sim_rng_exponential(rng);
    return sim_dist_sample_other_(d, rng);
}
/* True when every sample is the same value (a constant, or a degenerate uniform or lognormal):
 * sampling then draws no random number. */
bool sim_dist_is_constant(const sim_dist *d);
double sim_dist_mean(const sim_dist *d);        /* +INFINITY when it does not exist */
double sim_dist_cdf(const sim_dist *d, double x);
double sim_dist_quantile(const sim_dist *d, double p); /* p in [0,1] */
/* Median of the lognormal (exp(mu)) etc. are derivable by the caller from a/b. */

#endif
