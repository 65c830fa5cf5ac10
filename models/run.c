/* models/run.c — the replication driver for a whole scenario (see run.h). */
#include "models/run.h"

#include <stdlib.h>

#include "models/lambda.h"
#include "models/pricing.h"
#include "sim/driver.h"
#include "sim/error.h"

int run_check(const scenario *s, sim_diag *diag) {
    size_t before = sim_diag_count(diag);
    if (s->lambda.present) lambda_check_supported(s, diag);
    static const char *const later[] = {"glue", "emr"};
    const bool present[] = {s->glue.present, s->emr.present};
    for (size_t i = 0; i < 2; i++) {
        if (!present[i]) continue;
        scenario_refuse(s, diag, later[i],
                       "this platform is not simulated by capsim %s yet; remove the section to "
                       "simulate lambda alone", CAPSIM_VERSION);
    }
    pricing_table *table = NULL;
    if (pricing_load(s->pricing.table, diag, &table) == SIM_OK) pricing_destroy(table);
    if (!s->lambda.present && sim_diag_count(diag) == before) {
        scenario_refuse(s, diag, "lambda", "no platform to simulate: add a lambda section");
    }
    return sim_diag_count(diag) > before ? SIM_EUNSUPPORTED : SIM_OK;
}

typedef struct lambda_job {
    const scenario *s;
    lambda_pool *pool;
} lambda_job;

static int lambda_one(void *ctx, uint32_t replication, void *slot) {
    lambda_job *job = ctx;
    return lambda_simulate(job->s, replication, slot, job->pool);
}

int run_scenario(const scenario *s, int threads, report *r) {
    size_t n = (size_t)s->replications;
    sim_diag diag; /* run_check reported any problem with the table already */
    sim_diag_init(&diag);
    pricing_table *table = NULL;
    int rc = pricing_load(s->pricing.table, &diag, &table);
    sim_diag_fini(&diag);
    if (rc) return rc;
    if (s->lambda.present) {
        lambda_rep *reps = calloc(n, sizeof *reps);
        lambda_pool *pool = malloc(sizeof *pool);
        if (!reps || !pool) {
            free(reps);
            free(pool);
            return SIM_ENOMEM;
        }
        sim_hist_init(&pool->latency_us);
        sim_hist_init(&pool->duration_us);
        lambda_job job = {s, pool};
        rc = sim_replicate((uint32_t)n, threads, lambda_one, &job, reps, sizeof *reps);
        for (size_t i = 0; i < n && !rc; i++) rc = lambda_bill(s, table, &reps[i]);
        if (!rc) rc = lambda_summarize(s, reps, n, pool, r);
        free(reps);
        free(pool);
    }
    pricing_destroy(table);
    return rc;
}
