/* sim/time.h — simulated time.
 *
 * Time is an integer count of microseconds since the start of the simulation (t = 0). Integer time
 * makes event order exact and reproducible (no floating-point ties that differ between compilers);
 * one microsecond is far below anything a cloud service can resolve, and int64 covers 292,000 years. */
#ifndef SIM_TIME_H
#define SIM_TIME_H

#include <stdint.h>

typedef int64_t sim_time_us;

#define SIM_US_PER_MS INT64_C(1000)
#define SIM_US_PER_S INT64_C(1000000)
#define SIM_TIME_NEVER INT64_MAX

/* Seconds (double) to microseconds, rounded to nearest (halves away from zero); negative and
 * NaN inputs give 0; values beyond the int64 range saturate to SIM_TIME_NEVER. Inline: it runs
 * several times per simulated invocation, and llround costs ~80 instructions. */
static inline sim_time_us sim_time_from_s(double seconds) {
    double us = seconds * 1e6;
    if (!(us > 0.0)) return 0;          /* also NaN */
    if (us >= 0x1p63) return SIM_TIME_NEVER; /* 2^63: the first double beyond INT64_MAX */
    sim_time_us t = (sim_time_us)us;    /* truncation; the fraction decides the rounding */
    return (us - (double)t >= 0.5) ? t + 1 : t;
}
static inline double sim_time_to_s(sim_time_us t_us) { return (double)t_us / 1e6; }

#endif
