/* models/point.c — loading and running points (see point.h). */
#include "models/point.h"

#include <stdlib.h>
#include <string.h>

#include "models/run.h"
#include "models/scenario.h"
#include "sim/error.h"

unsigned point_platform_bit(const char *name)
{
    return strcmp(name, "lambda") == 0 ? POINT_LAMBDA
           : strcmp(name, "glue") == 0 ? POINT_GLUE
           : strcmp(name, "emr") == 0  ? POINT_EMR
                                       : 0;
}

int point_run(const char *file, const char *const *base, size_t n_base, const point_spec *p,
              int threads, report *r)
{
    size_t n = n_base + p->n_overrides;
    const char **ov = malloc((n ? n : 1) * sizeof *ov);
    if (!ov) return SIM_ENOMEM;
    for (size_t i = 0; i < n_base; i++) ov[i] = base[i];
    for (size_t i = 0; i < p->n_overrides; i++) ov[n_base + i] = p->overrides[i];
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    int rc = scenario_load_file(file, ov, n, &diag, &s);
    sim_diag_fini(&diag);
    free(ov);
    if (rc) return rc == SIM_ENOMEM || rc == SIM_EIO ? rc : SIM_ESCENARIO;
    if (p->platforms != POINT_ALL) {
        s->lambda.present &= (p->platforms & POINT_LAMBDA) != 0;
        s->functions_present &= (p->platforms & POINT_LAMBDA) != 0; /* an account is lambda */
        s->glue.present &= (p->platforms & POINT_GLUE) != 0;
        s->emr.present &= (p->platforms & POINT_EMR) != 0;
    }
    rc = run_scenario(s, threads, NULL, r);
    scenario_destroy(s);
    return rc;
}

typedef struct many_job {
    const char *file;
    const char *const *base;
    size_t n_base;
    const point_spec *points;
    report *reports;
    int *rcs;
} many_job;

static int many_one(void *ctx, uint32_t i, int threads)
{
    many_job *job = ctx;
    job->rcs[i] = point_run(job->file, job->base, job->n_base, &job->points[i], threads,
                            &job->reports[i]);
    return job->rcs[i];
}

int point_run_many(const char *file, const char *const *base, size_t n_base,
                   const point_spec *points, size_t n, int threads, report *reports,
                   sim_progress_fn progress, void *progress_ctx, size_t *failed)
{
    *failed = 0;
    many_job job = {file, base, n_base, points, reports, calloc(n ? n : 1, sizeof(int))};
    if (!job.rcs) return SIM_ENOMEM;
    int rc = sim_sweep_run((uint32_t)n, threads, many_one, &job, progress, progress_ctx);
    for (size_t i = 0; i < n && rc; i++)
        if (job.rcs[i]) {
            *failed = i;
            break;
        }
    free(job.rcs);
    return rc;
}
