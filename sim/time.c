/* sim/time.c — conversion of user-facing seconds to the engine's integer microseconds.
 *
 * Scenario files and distributions speak seconds (double); the calendar speaks int64
 * microseconds. Rounding happens here, once, so every model rounds the same way. */
#include "sim/time.h"

#include <math.h>

sim_time_us sim_time_from_s(double seconds)
{
    double us = seconds * 1e6;
    /* !(us > 0) also catches NaN, which has no sensible time; treat it like a negative input. */
    if (!(us > 0.0)) return 0;
    /* 2^63 is the first double beyond INT64_MAX; converting it would be undefined behaviour. */
    if (us >= 0x1p63) return SIM_TIME_NEVER;
    /* llround, not floor(us + 0.5): the latter rounds 0.49999999999999994 up. */
    return (sim_time_us)llround(us);
}
