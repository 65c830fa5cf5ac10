/* models/run.h — runs every platform of a scenario over its replications.
 *
 * run_scenario runs the replications in parallel (sim_replicate) and fills the report. Results
 * are byte-identical for any thread count. */
#ifndef MODELS_RUN_H
#define MODELS_RUN_H

#include "models/report.h"
#include "models/scenario.h"

/* Simulates s on `threads` threads (0 = all cores) into r (report_init'ed by the caller).
 * 0, SIM_ENOMEM, or another sim_error. */
int run_scenario(const scenario *s, int threads, report *r);

#endif
