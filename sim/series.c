/* sim/series.c — time-bucketed integer accumulators (see series.h). */
#include "sim/series.h"

#include <stdlib.h>
#include <string.h>

#include "sim/error.h"

int sim_series_init(sim_series *s, sim_time_us start_us, sim_time_us end_us,
                    sim_time_us width_us, uint32_t n_cols) {
    memset(s, 0, sizeof *s);
    if (end_us <= start_us || width_us <= 0 || n_cols == 0) return SIM_EINVAL;
    sim_time_us span = end_us - start_us;
    sim_time_us n = span / width_us + (span % width_us != 0);
    if (n > SIM_SERIES_MAX_BUCKETS) return SIM_EINVAL;
    s->start_us = start_us;
    s->end_us = end_us;
    s->width_us = width_us;
    s->n_buckets = (uint32_t)n;
    s->n_cols = n_cols;
    s->v = calloc(((size_t)n + 1) * n_cols, sizeof *s->v);
    return s->v ? SIM_OK : SIM_ENOMEM;
}

int sim_series_init_like(sim_series *s, const sim_series *like) {
    return sim_series_init(s, like->start_us, like->end_us, like->width_us, like->n_cols);
}

void sim_series_fini(sim_series *s) {
    free(s->v);
    memset(s, 0, sizeof *s);
}

sim_time_us sim_series_bucket_start(const sim_series *s, uint32_t b) {
    return s->start_us + (sim_time_us)b * s->width_us;
}

sim_time_us sim_series_bucket_end(const sim_series *s, uint32_t b) {
    sim_time_us t = s->start_us + ((sim_time_us)b + 1) * s->width_us;
    return t < s->end_us ? t : s->end_us;
}

void sim_series_merge(sim_series *dst, const sim_series *src) {
    SIM_ASSERT(dst->n_buckets == src->n_buckets && dst->n_cols == src->n_cols);
    size_t n = ((size_t)dst->n_buckets + 1) * dst->n_cols;
    for (size_t i = 0; i < n; i++) dst->v[i] += src->v[i];
    dst->replications += src->replications;
}
