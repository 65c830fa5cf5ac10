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

/* Seconds (double) to microseconds, rounded to nearest; negative inputs give 0. Values beyond
 * the int64 range saturate to SIM_TIME_NEVER. */
sim_time_us sim_time_from_s(double seconds);
static inline double sim_time_to_s(sim_time_us t_us) { return (double)t_us / 1e6; }

#endif
