/* sim/series.h — time series of a simulation in equal time buckets, summed over replications.
 *
 * A sim_series is a table of int64 accumulators: one row per bucket, one column per quantity the
 * model chooses (a level sampled at the bucket's end, the time integral of a level over the
 * bucket, a running counter...), plus one last row for the values at the very end of the run
 * (work after the last bucket included). Buckets split [start, end) into equal widths (the last
 * one may be shorter). Values are integers so that summing replications is exact and its order
 * irrelevant: merged under a lock in whatever order threads finish, the total is the same bits
 * for any thread count. Memory is (buckets + 1) x columns x 8 bytes, whatever the run's length.
 *
 * The simulation side mirrors sim/progress.h: the replication puts the end of bucket 0 in its
 * own calendar as an event that only records (its argument is the bucket index), and each such
 * event schedules the next boundary. The hot loop pays nothing per event, and nothing at all when
 * no series is asked for; a recording event changes no state of the model, and the calendar
 * orders by (time, insertion sequence), so the model's own events keep their order and results
 * are identical with and without recording. */
#ifndef SIM_SERIES_H
#define SIM_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "sim/time.h"

/* Bucket limits: SIM_SERIES_MAX_BUCKETS keeps a mistaken width from asking for gigabytes. */
#define SIM_SERIES_MAX_BUCKETS 100000

typedef struct sim_series {
    sim_time_us start_us, end_us, width_us;
    uint32_t n_buckets, n_cols;
    uint64_t replications; /* replications summed into this table */
    int64_t *v;            /* (n_buckets + 1) x n_cols, row-major (owned) */
} sim_series;

/* Buckets of width_us (> 0) over [start_us, end_us) (end > start), n_cols columns, all zero.
 * 0, SIM_EINVAL (bad limits, more than SIM_SERIES_MAX_BUCKETS buckets) or SIM_ENOMEM. */
int sim_series_init(sim_series *s, sim_time_us start_us, sim_time_us end_us,
                    sim_time_us width_us, uint32_t n_cols);
/* An empty table of the same shape as `like`. */
int sim_series_init_like(sim_series *s, const sim_series *like);
void sim_series_fini(sim_series *s);

/* Row b (0..n_buckets-1: bucket b; n_buckets: the end of the run). */
static inline int64_t *sim_series_row(sim_series *s, uint32_t b) {
    return s->v + (size_t)b * s->n_cols;
}
static inline const int64_t *sim_series_row_const(const sim_series *s, uint32_t b) {
    return s->v + (size_t)b * s->n_cols;
}
/* Where bucket b starts and ends (the last bucket ends at end_us). */
sim_time_us sim_series_bucket_start(const sim_series *s, uint32_t b);
sim_time_us sim_series_bucket_end(const sim_series *s, uint32_t b);

/* dst += src, cell by cell (the same shape), and dst->replications += src->replications. */
void sim_series_merge(sim_series *dst, const sim_series *src);

#endif
