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

/* Bounds that keep time arithmetic from overflowing. SIM_TIME_LIMIT_US (100 years, 36,525 days)
 * is the longest duration a model is given or samples, and the longest simulated span: scenario
 * loaders refuse longer durations (and a warmup + horizon beyond it), and sim_time_from_s
 * saturates there. SIM_TIME_EVENT_MAX_US (1,000 limits, 100,000 years) is the latest time an
 * event may be scheduled (sim_calendar_schedule refuses later ones with SIM_ETIME). So "now"
 * never passes SIM_TIME_EVENT_MAX_US, and now plus up to a thousand bounded durations stays below
 * INT64_MAX (292,000 years): a model adding durations to now cannot overflow. A model that
 * chains durations without scheduling each sum (a queue's end time) checks the sum against
 * SIM_TIME_EVENT_MAX_US itself. */
#define SIM_TIME_LIMIT_US (INT64_C(36525) * 86400 * SIM_US_PER_S)
#define SIM_TIME_EVENT_MAX_US (1000 * SIM_TIME_LIMIT_US)

/* Seconds (double) to microseconds, rounded to nearest (halves away from zero); negative and
 * NaN inputs give 0; values beyond SIM_TIME_LIMIT_US saturate to it. Inline: it runs several
 * times per simulated invocation, and llround costs ~80 instructions. */
static inline sim_time_us sim_time_from_s(double seconds) {
    double us = seconds * 1e6;
    if (!(us > 0.0)) return 0;          /* also NaN */
    if (us >= (double)SIM_TIME_LIMIT_US) return SIM_TIME_LIMIT_US; /* also +inf */
    sim_time_us t = (sim_time_us)us;    /* truncation; the fraction decides the rounding */
    return (us - (double)t >= 0.5) ? t + 1 : t;
}
static inline double sim_time_to_s(sim_time_us t_us) { return (double)t_us / 1e6; }

#endif
