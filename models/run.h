/* models/run.h — runs every platform of a scenario over its replications.
 *
 * run_scenario runs the replications in parallel (sim_replicate) and fills the report. Results
 * are byte-identical for any thread count. */
#ifndef MODELS_RUN_H
#define MODELS_RUN_H

#include "models/report.h"
#include "models/scenario.h"
#include "models/series.h"
#include "sim/progress.h"

/* Simulates s on `threads` threads (0 = all cores) into r (report_init'ed by the caller).
 * When progress is not NULL (sim_progress_init'ed by the caller), the run first adds its work
 * to the expected total — simulated microseconds: platforms x replications x (warmup +
 * horizon) — and the replications advance it as they go (items: workload items consumed, every
 * platform counting its own). Progress never changes the results. 0, SIM_ENOMEM, or another
 * sim_error. */
int run_scenario(const scenario *s, int threads, sim_progress *progress, report *r);

/* What a run may do besides its results. Zero-initialise, then set what is wanted. */
typedef struct run_options {
    int threads;            /* 0 = all cores */
    sim_progress *progress; /* NULL: none (as run_scenario's) */
    run_series *series;     /* NULL: no time series; else run_series_init'ed by the caller, filled
                               for the scenario's platforms (models/series.h). Results are the
                               same bits with or without it. */
} run_options;

/* run_scenario with options. */
int run_scenario_with(const scenario *s, const run_options *opt, report *r);

#endif
