/* models/lambda_stream.c — event source mappings: Kinesis and SQS (not simulated yet).
 *
 * lambda_check_supported refuses these triggers, so none of these functions is reached. */
#include "models/lambda_internal.h"
#include "sim/error.h"

int lambda_stream_init(lambda_sim *m) { return SIM_EUNSUPPORTED; }
void lambda_stream_fini(lambda_sim *m) {}
int lambda_stream_arrival(lambda_sim *m, const wl_item *item) { return SIM_EUNSUPPORTED; }
int lambda_stream_done(lambda_sim *m, int32_t job, lambda_outcome outcome) { return SIM_EUNSUPPORTED; }
int lambda_stream_event(lambda_sim *m, const sim_event *ev) { return SIM_EUNSUPPORTED; }
int lambda_stream_capacity_freed(lambda_sim *m) { return SIM_EUNSUPPORTED; }
