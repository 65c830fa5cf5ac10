/* models/overload.h — does a platform keep up with its workload?
 *
 * A platform that cannot keep up has a backlog that grows for as long as the traffic lasts:
 * each item waits longer than the one before, and the longer the horizon, the worse every
 * figure gets — so its cost and latency are not an answer, and it must never be called
 * cheapest or fastest. A busy but stable platform has waits that go up and down around a level.
 *
 * The test: a wait (an item's latency, or a batch job's wait for a run slot) is averaged in
 * SIM_TREND_WINDOWS equal windows of the horizon by when it arose (sim_trend), and a line is
 * fitted through the window means. The platform is overloaded when the line rises by at least
 * OVERLOAD_MIN_GROWTH_S over the horizon at a rate of at least OVERLOAD_MIN_SLOPE seconds per
 * second, and explains at least OVERLOAD_MIN_R2 of the windows' variation — a steady climb, not
 * one burst (a burst in the last of 16 windows alone explains R^2 = 3/17) or a batch schedule's
 * sawtooth. For a queue whose demand exceeds its capacity by a factor rho, the work that
 * arrived by time t is done at t * rho, so an item arriving at t waits t * (rho - 1): waits grow
 * at rho - 1 seconds per second, and the slope also says how much more capacity it needs:
 * rho = 1 + slope. */
#ifndef MODELS_OVERLOAD_H
#define MODELS_OVERLOAD_H

#include <stdbool.h>

#include "sim/stats.h"

#define OVERLOAD_MIN_SLOPE 0.002   /* 7.2 s of extra wait per hour: rho >= 1.002 */
#define OVERLOAD_MIN_GROWTH_S 60.0 /* and a minute of extra wait over the horizon */
#define OVERLOAD_MIN_R2 0.8

typedef struct overload_fit {
    bool overloaded;
    double growth_per_hour_s; /* the fitted growth of the wait, seconds per hour */
    double capacity_factor;   /* rho: demand / capacity (meaningful when overloaded) */
} overload_fit;

/* Judges a trend of waits in seconds observed over a horizon of horizon_s seconds. */
overload_fit overload_judge(const sim_trend *waits_s, double horizon_s);

#endif
