/* cli/cmd_sweep.c — `capsim sweep FILE --vary KEY=V1,V2,... [--vary ...] [--zip] [--shard I/N]`.
 *
 * Order of work: load the scenario with the user's overrides (its errors are a run's errors);
 * parse the --vary arguments; load every point to check it; only then run anything. So a bad
 * value anywhere in the sweep stops it before the first simulation, with every problem printed
 * once (exit 3), and nothing is written. Points run in parallel (models/sweep.h, sim/sweep.h)
 * and are rendered in point order (cli/sweep_output.c). With --shard I/N only the points p with
 * p mod N = I-1 run, and the output is a shard file for `capsim merge`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/mpi.h"
#include "cli/progress.h"
#include "cli/sweep.h"
#include "models/sweep.h"
#include "sim/error.h"

/* The progress hook: called after each finished point, on one thread at a time, with `done`
 * counting up to `total` (the points this process runs). The progress bar of the run command
 * (cli/progress.h: points done, rate and ETA on stderr when it is a terminal, not with -q)
 * plugs in here; until it does, this does nothing. */
/* The run command's progress bar, counting points: "27/64  1.3 points/s  ETA 0:12". */
static const cli_progress_style sweep_progress_style = {.items = "points", .format_work = NULL};

static void sweep_progress_point(void *ctx, uint32_t done, uint32_t total)
{
    (void)done;
    (void)total;
    sim_progress_add(ctx, 1, 1);
}

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "capsim sweep: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'capsim sweep --help'.\n");
    return CLI_EXIT_USAGE;
}

/* "I/N" with 1 <= I <= N <= SWEEP_MAX_POINTS, digits only. */
static bool parse_shard(const char *text, size_t *index, size_t *count)
{
    const char *slash = strchr(text, '/');
    if (!slash || slash == text || !slash[1]) return false;
    size_t v[2] = {0, 0};
    const char *part[2] = {text, slash + 1};
    size_t len[2] = {(size_t)(slash - text), strlen(slash + 1)};
    for (int k = 0; k < 2; k++) {
        if (len[k] > 6 || part[k][0] == '0') return false;
        for (size_t i = 0; i < len[k]; i++) {
            if (part[k][i] < '0' || part[k][i] > '9') return false;
            v[k] = v[k] * 10 + (size_t)(part[k][i] - '0');
        }
    }
    if (v[0] < 1 || v[0] > v[1] || v[1] > SWEEP_MAX_POINTS) return false;
    *index = v[0];
    *count = v[1];
    return true;
}

/* Runs points[0..n) of the sweep into reports: here on threads (sweep_run), or, under mpiexec
 * with several ranks, on the other ranks (cli/mpi.h), each point sent as its KEY=VALUE
 * overrides. Either way reports[i] is point points[i]'s, so the output is the same. */
static int run_points(const cli_options *opt, const sweep *sw, const size_t *points, size_t n,
                      report *reports, sim_progress *progress, size_t *failed)
{
    if (cli_mpi_size() <= 1)
        return sweep_run(sw, opt->file, opt->overrides, opt->n_overrides, points, n,
                         opt->threads, reports, sweep_progress_point, progress, failed);
    point_spec *specs = calloc(n ? n : 1, sizeof *specs);
    int rc = specs ? SIM_OK : SIM_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        specs[i].platforms = POINT_ALL;
        if (!(specs[i].overrides = calloc(sw->n_axes, sizeof *specs[i].overrides))) {
            rc = SIM_ENOMEM;
            break;
        }
        for (size_t a = 0; a < sw->n_axes && !rc; a++) {
            const sweep_axis *x = &sw->axes[a];
            const char *v = x->values[sweep_point_value(sw, points[i], a)].text;
            size_t len = strlen(x->key) + strlen(v) + 2;
            if (!(specs[i].overrides[a] = malloc(len))) rc = SIM_ENOMEM;
            else snprintf(specs[i].overrides[a], len, "%s=%s", x->key, v);
            specs[i].n_overrides += !rc;
        }
    }
    size_t at = 0;
    if (!rc) rc = cli_mpi_run_points(specs, n, reports, sweep_progress_point, progress, &at);
    *failed = rc && at < n ? points[at] : 0;
    for (size_t i = 0; specs && i < n; i++) {
        for (size_t a = 0; a < specs[i].n_overrides; a++) free(specs[i].overrides[a]);
        free(specs[i].overrides);
    }
    free(specs);
    return rc;
}

/* FNV-1a 64 of the effective scenario (file and overrides, defaults filled in), as hex: shards
 * of one sweep agree on it, so merge refuses shards run from different files. */
static int scenario_digest(const scenario *s, char **out)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc = f ? scenario_write_yaml(s, f) : SIM_ENOMEM;
    if (f && fclose(f) != 0) rc = SIM_ENOMEM;
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; !rc && i < len; i++) h = (h ^ (unsigned char)buf[i]) * 1099511628211ull;
    free(buf);
    if (rc) return rc;
    if (!(*out = malloc(17))) return SIM_ENOMEM;
    snprintf(*out, 17, "%016llx", (unsigned long long)h);
    return SIM_OK;
}


/* "lambda.memory=128MB, workload.arrivals.rate=2/s" */
static void describe_point(char *buf, size_t len, const sweep *sw, size_t point)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t a = 0; a < sw->n_axes && at < len; a++)
        at += (size_t)snprintf(buf + at, len - at, "%s%s=%s", a ? ", " : "", sw->axes[a].key,
                               sw->axes[a].values[sweep_point_value(sw, point, a)].text);
}

int cli_sweep_build(const char *const *sets, size_t n_sets, const scenario *s, const sweep *sw,
                    const size_t *points, size_t n, report *reports, size_t shard_index,
                    size_t shard_count, cli_sweep *out)
{
    memset(out, 0, sizeof *out);
    int rc = scenario_digest(s, &out->digest);
    out->scenario = strdup(s->name);
    out->seed = s->seed;
    out->replications = s->replications;
    out->horizon_us = s->horizon_us;
    out->warmup_us = s->warmup_us;
    out->month_us = s->pricing.month_us;
    out->zip = sw->zip;
    out->n_points = sw->n_points;
    out->shard_index = shard_index;
    out->shard_count = shard_count;
    out->sets = calloc(n_sets ? n_sets : 1, sizeof *out->sets);
    out->axes = calloc(sw->n_axes, sizeof *out->axes);
    out->points = calloc(n ? n : 1, sizeof *out->points);
    if (rc || !out->scenario || !out->sets || !out->axes || !out->points) return SIM_ENOMEM;
    for (size_t i = 0; i < n_sets; i++, out->n_sets++)
        if (!(out->sets[i] = strdup(sets[i]))) return SIM_ENOMEM;
    for (size_t a = 0; a < sw->n_axes; a++, out->n_axes++) {
        const sweep_axis *x = &sw->axes[a];
        cli_sweep_axis *y = &out->axes[a];
        if (!(y->key = strdup(x->key)) || !(y->arg = strdup(x->arg)) ||
            !(y->values = calloc(x->n_values, sizeof *y->values)))
            return SIM_ENOMEM;
        for (size_t k = 0; k < x->n_values; k++, y->n_values++)
            if (!(y->values[k] = strdup(x->values[k].text))) return SIM_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        cli_sweep_point *p = &out->points[out->n_present++];
        p->index = points[i];
        p->r = reports[i];
        report_init(&reports[i]);
        if (!(p->values = calloc(sw->n_axes, sizeof *p->values))) return SIM_ENOMEM;
        for (size_t a = 0; a < sw->n_axes; a++)
            if (!(p->values[a] = strdup(sw->axes[a].values[sweep_point_value(sw, points[i], a)].text)))
                return SIM_ENOMEM;
    }
    return SIM_OK;
}

int cli_cmd_sweep(const cli_options *opt)
{
    if (opt->n_varies == 0) return usage("%s", "needs at least one --vary KEY=V1,V2,...");
    size_t shard_index = 0, shard_count = 0;
    const char *shard_text = cli_option_value(opt, "shard");
    if (shard_text && !parse_shard(shard_text, &shard_index, &shard_count))
        return usage("--shard needs I/N with 1 <= I <= N <= 100000, not '%s'", shard_text);
    bool zip = cli_option_value(opt, "zip") != NULL;

    sim_diag diag;
    sim_diag_init(&diag);
    scenario *base = NULL;
    sweep *sw = NULL;
    size_t *points = NULL, n = 0;
    report *reports = NULL;
    cli_sweep result = {0};
    char *text = NULL;
    int code = CLI_EXIT_OK;

    int rc = scenario_load_file(opt->file, opt->overrides, opt->n_overrides, &diag, &base);
    if (rc) {
        code = cli_load_exit(opt->file, rc, &diag);
        goto done;
    }
    rc = sweep_parse(opt->varies, opt->n_varies, zip, &diag, &sw);
    if (rc) {
        code = cli_load_exit(opt->file, rc, &diag);
        goto done;
    }
    size_t n_bad = 0, first_bad = 0;
    rc = sweep_validate(sw, opt->file, opt->overrides, opt->n_overrides, opt->threads, &diag,
                        &n_bad, &first_bad);
    if (rc) {
        code = cli_load_exit(opt->file, rc, &diag);
        if (n_bad) {
            char point[1024];
            describe_point(point, sizeof point, sw, first_bad);
            fprintf(stderr, "capsim sweep: %zu of %zu points are invalid, the first being point "
                    "%zu (%s); nothing was run\n", n_bad, sw->n_points, first_bad + 1, point);
        }
        goto done;
    }

    /* The points of this shard (all of them without --shard). */
    points = malloc(sw->n_points * sizeof *points);
    if (!points) goto oom;
    for (size_t p = 0; p < sw->n_points; p++)
        if (!shard_count || p % shard_count == shard_index - 1) points[n++] = p;
    reports = calloc(n ? n : 1, sizeof *reports);
    if (!reports) goto oom;
    for (size_t i = 0; i < n; i++) report_init(&reports[i]);
    /* The output folder is made before the points run: one that cannot be made fails now. */
    if (opt->out_dir && (code = cli_out_dir_create(opt->out_dir))) goto done;
    sim_progress progress;
    sim_progress_init(&progress);
    sim_progress_expect(&progress, n);
    cli_progress_bar *bar =
        opt->quiet ? NULL : cli_progress_start(&progress, stderr, &sweep_progress_style);
    size_t failed = 0;
    rc = run_points(opt, sw, points, n, reports, &progress, &failed);
    cli_progress_stop(bar);
    if (rc) {
        char point[1024];
        describe_point(point, sizeof point, sw, failed);
        fprintf(stderr, "capsim: %s: simulation failed at point %zu (%s): %s\n", opt->file,
                failed + 1, point, sim_strerror(rc));
        code = CLI_EXIT_RUNTIME;
        goto done;
    }
    if (cli_sweep_build(opt->overrides, opt->n_overrides, base, sw, points, n, reports,
                        shard_index, shard_count, &result))
        goto oom;
    text = shard_count ? cli_sweep_shard_text(&result) : cli_sweep_render(&result, opt->format);
    if (!text) goto oom;
    char name[64];
    static const char *const names[] = {"sweep.txt", "sweep.json", "sweep.csv"};
    if (shard_count)
        snprintf(name, sizeof name, "sweep.shard-%zu-of-%zu.json", shard_index, shard_count);
    else
        snprintf(name, sizeof name, "%s", names[opt->format]);
    code = cli_emit(opt->out_dir, name, text);
    if (!code && opt->out_dir && !opt->quiet)
        fprintf(stderr, "capsim: wrote %s/%s\n", opt->out_dir, name);
    goto done;
oom:
    fprintf(stderr, "capsim: out of memory\n");
    code = CLI_EXIT_RUNTIME;
done:
    free(text);
    cli_sweep_fini(&result);
    for (size_t i = 0; reports && i < n; i++) report_fini(&reports[i]);
    free(reports);
    free(points);
    sweep_destroy(sw);
    scenario_destroy(base);
    sim_diag_fini(&diag);
    return code;
}
