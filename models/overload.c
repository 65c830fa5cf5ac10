/* models/overload.c — the overload test (see overload.h). */
#include "models/overload.h"


overload_fit overload_judge(const sim_trend *waits_s, double horizon_s) {
    overload_fit f = {0};
    double slope_per_us, r2;
    sim_trend_fit(waits_s, &slope_per_us, &r2);
    double slope = slope_per_us * 1e6; /* seconds of wait per second */
    f.growth_per_hour_s = slope * 3600.0;
    f.overloaded = slope >= OVERLOAD_MIN_SLOPE && slope * horizon_s >= OVERLOAD_MIN_GROWTH_S &&
                   r2 >= OVERLOAD_MIN_R2;
    f.capacity_factor = 1.0 + slope;
    return f;
}
