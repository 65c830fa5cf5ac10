/* cli/plot.c — a run's plots and the gnuplot driver (see plot.h). */
#include "cli/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <threads.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sim/error.h"

extern char **environ;

/* Both are set by CMakeLists.txt; these fallbacks only keep the file compilable on its own. */
#ifndef CAPSIM_PLOTS_DIR_SOURCE
#define CAPSIM_PLOTS_DIR_SOURCE "plots"
#endif
#ifndef CAPSIM_PLOTS_DIR_FROM_BIN
#define CAPSIM_PLOTS_DIR_FROM_BIN "../share/capsim/plots"
#endif

/* ---------------------------------------------------------------- finding things */

static char installed_dir[PATH_MAX];
static const char *fixed_dir = CAPSIM_PLOTS_DIR_SOURCE;
static once_flag fixed_dir_once = ONCE_FLAG_INIT;

static bool is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The templates installed beside the binary (as models/pricing.c finds its tables), else the
 * source tree's. */
static void find_fixed_dir(void) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || (size_t)n >= sizeof exe - 1) return;
    exe[n] = '\0';
    const char *rel = CAPSIM_PLOTS_DIR_FROM_BIN;
    char *slash = strrchr(exe, '/');
    if (!slash) return;
    *slash = '\0';
    while (strncmp(rel, "../", 3) == 0 && (slash = strrchr(exe, '/')) != NULL && slash != exe) {
        *slash = '\0';
        rel += 3;
    }
    int len = snprintf(installed_dir, sizeof installed_dir, "%s/%s", exe, rel);
    if (len <= 0 || (size_t)len >= sizeof installed_dir) return;
    if (is_dir(installed_dir) || !is_dir(CAPSIM_PLOTS_DIR_SOURCE)) fixed_dir = installed_dir;
}

const char *cli_plot_template_dir(void) {
    const char *env = getenv("CAPSIM_PLOTS_DIR");
    if (env && *env) return env;
    call_once(&fixed_dir_once, find_fixed_dir);
    return fixed_dir;
}

/* The gnuplot program into buf; or false, and why into buf, when there is none to run. */
static bool find_gnuplot(char *buf, size_t len) {
    const char *env = getenv("CAPSIM_GNUPLOT");
    if (env) {
        if (*env && access(env, X_OK) == 0) {
            snprintf(buf, len, "%s", env);
            return true;
        }
        if (*env) snprintf(buf, len, "CAPSIM_GNUPLOT=%s: %s", env, strerror(errno));
        else snprintf(buf, len, "CAPSIM_GNUPLOT is set and empty");
        return false;
    }
    const char *path = getenv("PATH");
    if (!path) path = "/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        if (n > 0 && (int)snprintf(buf, len, "%.*s/gnuplot", (int)n, path) < (int)len &&
            access(buf, X_OK) == 0)
            return true;
        path += n;
        if (*path == ':') path++;
    }
    snprintf(buf, len, "no gnuplot on the PATH");
    return false;
}

/* ---------------------------------------------------------------- running gnuplot */

/* `word` for a POSIX shell: as is when safe, else in single quotes. */
static void shell_word(FILE *f, const char *word) {
    if (*word && strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                              "/._-+=:,@%") == strlen(word)) {
        fputs(word, f);
        return;
    }
    fputc('\'', f);
    for (const char *c = word; *c; c++) {
        if (*c == '\'') fputs("'\\''", f);
        else fputc(*c, f);
    }
    fputc('\'', f);
}

/* Runs `gnuplot -c template csv out` with its messages kept aside: shown only when it fails.
 * Returns CLI_EXIT_OK or CLI_EXIT_RUNTIME after saying why. */
static int run_gnuplot(const char *program, const char *template_, const char *csv,
                       const char *out) {
    FILE *errors = tmpfile();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (errors) posix_spawn_file_actions_adddup2(&fa, fileno(errors), 2);
    char *argv[] = {(char *)program, "-c", (char *)template_, (char *)csv, (char *)out, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, program, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    if (!err) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    bool ok = !err && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) {
        if (err) fprintf(stderr, "capsim: cannot run %s: %s\n", program, strerror(err));
        else fprintf(stderr, "capsim: %s -c %s %s %s failed:\n", program, template_, csv, out);
        if (errors) {
            rewind(errors);
            char line[512];
            while (fgets(line, sizeof line, errors)) fprintf(stderr, "  %s", line);
        }
    }
    if (errors) fclose(errors);
    return ok ? CLI_EXIT_OK : CLI_EXIT_RUNTIME;
}

/* Draws dir/name.ext from dir/name.csv through a temporary file renamed into place. */
static int draw(const char *program, const char *template_, const char *dir, const char *name,
                const char *ext) {
    char csv[4096], tmp[4096], path[4096];
    snprintf(csv, sizeof csv, "%s/%s.csv", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp-%ld.%s", dir, name, (long)getpid(), ext);
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
    int code = run_gnuplot(program, template_, csv, tmp);
    struct stat st;
    if (!code && (stat(tmp, &st) != 0 || st.st_size == 0)) {
        fprintf(stderr, "capsim: gnuplot wrote nothing to %s\n", tmp);
        code = CLI_EXIT_RUNTIME;
    }
    if (!code && rename(tmp, path) != 0) {
        fprintf(stderr, "capsim: cannot write %s: %s\n", path, strerror(errno));
        code = CLI_EXIT_IO;
    }
    if (code) unlink(tmp);
    return code;
}

int cli_plot_emit(cli_plot_set *set, const char *dir, const char *name, const char *template_,
                  const char *title, const char *caption, const char *csv_text, bool quiet) {
    if (set->n >= CLI_PLOT_MAX) return CLI_EXIT_RUNTIME;
    char csv_name[96], tpl[4096];
    snprintf(csv_name, sizeof csv_name, "%s.csv", name);
    snprintf(tpl, sizeof tpl, "%s/%s.gp", cli_plot_template_dir(), template_);
    if (access(tpl, R_OK) != 0) {
        fprintf(stderr, "capsim: no plot template %s: %s (set CAPSIM_PLOTS_DIR to the folder of "
                "the templates)\n", tpl, strerror(errno));
        return CLI_EXIT_IO;
    }
    int code = cli_emit(dir, csv_name, csv_text);
    if (code) return code;
    cli_plot *p = &set->plots[set->n++];
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(p->template_, sizeof p->template_, "%s", template_);
    snprintf(p->title, sizeof p->title, "%s", title);
    snprintf(p->caption, sizeof p->caption, "%s", caption);
    char program[4096];
    if (!find_gnuplot(program, sizeof program)) {
        if (!set->gnuplot_missing)
            fprintf(stderr, "capsim: gnuplot not found (%s; install gnuplot-nox, or set "
                    "CAPSIM_GNUPLOT to the program): the plots' data is written in %s, and the "
                    "commands on standard output draw them\n", program, dir);
        set->gnuplot_missing = true;
        for (int k = 0; k < 2; k++) {
            char csv[4096], out[4096];
            snprintf(csv, sizeof csv, "%s/%s.csv", dir, name);
            snprintf(out, sizeof out, "%s/%s.%s", dir, name, k ? "svg" : "png");
            fputs("gnuplot -c ", stdout);
            shell_word(stdout, tpl);
            fputc(' ', stdout);
            shell_word(stdout, csv);
            fputc(' ', stdout);
            shell_word(stdout, out);
            fputc('\n', stdout);
        }
        fflush(stdout);
        if (!quiet) fprintf(stderr, "capsim: wrote %s/%s.csv\n", dir, name);
        return CLI_EXIT_OK;
    }
    code = draw(program, tpl, dir, name, "png");
    if (!code) code = draw(program, tpl, dir, name, "svg");
    if (code) return code;
    p->drawn = true;
    if (!quiet) fprintf(stderr, "capsim: wrote %s/%s.{csv,png,svg}\n", dir, name);
    return CLI_EXIT_OK;
}

/* ---------------------------------------------------------------- CSV text */

void cli_plot_provenance(char *buf, size_t len, const scenario *s) {
    char horizon[32], warmup[32];
    scenario_format_duration(horizon, sizeof horizon, s->horizon_us);
    scenario_format_duration(warmup, sizeof warmup, s->warmup_us);
    snprintf(buf, len, "capsim %s, scenario %s, seed %llu, %lld replication%s, horizon %s, "
             "warmup %s", CAPSIM_VERSION, s->name, (unsigned long long)s->seed,
             (long long)s->replications, s->replications == 1 ? "" : "s", horizon, warmup);
}

/* A CSV being written: open_memstream, its comment lines first. */
typedef struct csv_doc {
    FILE *f;
    char *text;
    size_t len;
} csv_doc;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static bool csv_open(csv_doc *d, const scenario *s, const char *title_fmt, ...) {
    memset(d, 0, sizeof *d);
    d->f = open_memstream(&d->text, &d->len);
    if (!d->f) return false;
    char title[256], prov[512];
    va_list ap;
    va_start(ap, title_fmt);
    vsnprintf(title, sizeof title, title_fmt, ap);
    va_end(ap);
    cli_plot_provenance(prov, sizeof prov, s);
    /* Comment lines: one value each, no newline inside. */
    for (char *c = title; *c; c++)
        if (*c == '\n' || *c == '\r') *c = ' ';
    fprintf(d->f, "# title: %s\n# source: %s\n", title, prov);
    return true;
}

/* The text, or NULL when writing it failed (out of memory). */
static char *csv_close(csv_doc *d) {
    if (!d->f) return NULL;
    if (fclose(d->f) != 0) {
        free(d->text);
        return NULL;
    }
    return d->text;
}

/* A value for a CSV cell: empty when there is nothing behind it. */
static void cell(FILE *f, double v) {
    if (isfinite(v)) fprintf(f, ",%.6g", v);
    else fputc(',', f);
}

static const sim_series *table_of(const run_series *rs, const char *platform) {
    if (strcmp(platform, "lambda") == 0) return rs->lambda_on ? &rs->lambda : NULL;
    if (strcmp(platform, "glue") == 0) return rs->glue_on ? &rs->glue : NULL;
    if (strcmp(platform, "emr") == 0) return rs->emr_on ? &rs->emr : NULL;
    return NULL;
}

static const sim_hist *latency_of(const run_series *rs, const char *platform) {
    if (strcmp(platform, "lambda") == 0) return rs->lambda_latency_us;
    if (strcmp(platform, "glue") == 0) return rs->glue_latency_us;
    if (strcmp(platform, "emr") == 0) return rs->emr_latency_us;
    return NULL;
}

/* The metadata every time series shares: bucket width and warmup. */
static void time_meta(FILE *f, const scenario *s, const sim_series *t) {
    fprintf(f, "# bucket_s: %.6g\n# warmup_s: %.6g\n# replications: %lld (each row is their "
            "mean)\n", sim_time_to_s(t->width_us), sim_time_to_s(s->warmup_us),
            (long long)s->replications);
}

static void time_cells(FILE *f, const sim_series *t, uint32_t b) {
    fprintf(f, "%.6g,%.6g", sim_time_to_s(sim_series_bucket_start(t, b)),
            sim_time_to_s(sim_series_bucket_end(t, b)));
}

static char *environments_csv(const scenario *s, const sim_series *t) {
    csv_doc d;
    if (!csv_open(&d, s, "%s: Lambda environments over time", s->name)) return NULL;
    time_meta(d.f, s, t);
    fprintf(d.f, "# columns: busy and idle environments averaged over the bucket; provisioned "
            "environments alive at its end; invocations, cold starts and throttles per second "
            "in the bucket (items arrived after the warmup)\n");
    fprintf(d.f, "start_s,end_s,busy,idle,provisioned,invocations_per_s,cold_starts_per_s,"
            "throttles_per_s\n");
    for (uint32_t b = 0; b < t->n_buckets; b++) {
        double width_s = sim_time_to_s(sim_series_bucket_end(t, b) - sim_series_bucket_start(t, b));
        double busy = run_series_time_mean(t, b, LAMBDA_SERIES_BUSY_US);
        double live = run_series_time_mean(t, b, LAMBDA_SERIES_LIVE_US);
        time_cells(d.f, t, b);
        cell(d.f, busy);
        cell(d.f, live - busy > 0 ? live - busy : 0.0);
        cell(d.f, run_series_at_end(t, b, LAMBDA_SERIES_PROVISIONED));
        cell(d.f, run_series_in_bucket(t, b, LAMBDA_SERIES_INVOCATIONS) / width_s);
        cell(d.f, run_series_in_bucket(t, b, LAMBDA_SERIES_COLD_STARTS) / width_s);
        cell(d.f, run_series_in_bucket(t, b, LAMBDA_SERIES_THROTTLES) / width_s);
        fputc('\n', d.f);
    }
    return csv_close(&d);
}

static char *queue_csv(const scenario *s, const sim_series *t) {
    static const char *const trig[] = {"sync", "async", "s3", "eventbridge", "kinesis", "sqs"};
    csv_doc d;
    if (!csv_open(&d, s, "%s: Lambda %s queue over time", s->name, trig[s->lambda.trigger]))
        return NULL;
    time_meta(d.f, s, t);
    fprintf(d.f, "# columns: at the bucket's end, items waiting to be invoked (async queue; "
            "Kinesis or SQS records not in a running batch), the age in seconds of the item "
            "next in line (for Kinesis and SQS the iterator age), and items in flight (arrived, "
            "not finished)\n");
    fprintf(d.f, "start_s,end_s,waiting,oldest_s,in_flight\n");
    for (uint32_t b = 0; b < t->n_buckets; b++) {
        time_cells(d.f, t, b);
        cell(d.f, run_series_at_end(t, b, LAMBDA_SERIES_QUEUED));
        cell(d.f, run_series_at_end(t, b, LAMBDA_SERIES_OLDEST_US) / 1e6);
        cell(d.f, run_series_at_end(t, b, LAMBDA_SERIES_IN_FLIGHT));
        fputc('\n', d.f);
    }
    return csv_close(&d);
}

/* Items waiting for a Glue or EMR job, one column per batch platform. */
static char *backlog_csv(const scenario *s, const report *r, const run_series *rs) {
    const sim_series *tables[REPORT_MAX_PLATFORMS];
    const char *names[REPORT_MAX_PLATFORMS];
    size_t n = 0;
    for (size_t i = 0; i < r->n_platforms; i++) {
        const char *name = r->platforms[i].name;
        const sim_series *t = table_of(rs, name);
        if (t && strcmp(name, "lambda") != 0) {
            tables[n] = t;
            names[n++] = name;
        }
    }
    if (n == 0) return NULL;
    csv_doc d;
    if (!csv_open(&d, s, "%s: items waiting for a batch job", s->name)) return NULL;
    time_meta(d.f, s, tables[0]);
    fprintf(d.f, "# columns: items pending for the platform's next job at the bucket's end\n");
    fprintf(d.f, "start_s,end_s");
    for (size_t k = 0; k < n; k++) fprintf(d.f, ",%s", names[k]);
    fputc('\n', d.f);
    for (uint32_t b = 0; b < tables[0]->n_buckets; b++) {
        time_cells(d.f, tables[0], b);
        for (size_t k = 0; k < n; k++) cell(d.f, run_series_at_end(tables[k], b, BATCH_SERIES_WAITING));
        fputc('\n', d.f);
    }
    return csv_close(&d);
}

static char *cost_time_csv(const scenario *s, const report *r, const run_series *rs) {
    const sim_series *any = NULL;
    for (size_t i = 0; i < r->n_platforms && !any; i++) any = table_of(rs, r->platforms[i].name);
    if (!any) return NULL;
    csv_doc d;
    if (!csv_open(&d, s, "%s: cost accrued over time", s->name)) return NULL;
    time_meta(d.f, s, any);
    fprintf(d.f, "# columns: USD accrued by the bucket's end per platform (each cost line spread "
            "over the usage it bills; from the warmup's end)\n");
    fprintf(d.f, "start_s,end_s");
    for (size_t i = 0; i < r->n_platforms; i++)
        if (table_of(rs, r->platforms[i].name)) fprintf(d.f, ",%s", r->platforms[i].name);
    fputc('\n', d.f);
    for (uint32_t b = 0; b < any->n_buckets; b++) {
        time_cells(d.f, any, b);
        for (size_t i = 0; i < r->n_platforms; i++)
            if (table_of(rs, r->platforms[i].name))
                cell(d.f, run_series_cost(rs, &r->platforms[i], b));
        fputc('\n', d.f);
    }
    return csv_close(&d);
}

/* Share of h's observations in buckets that end at or below x_us (sim_hist_count: only the
 * span of buckets the histogram reached is valid memory). */
static double cdf_at(const sim_hist *h, size_t *bucket, uint64_t *cum, int64_t x_us) {
    while (*bucket < SIM_HIST_BUCKETS) {
        int64_t lo, hi;
        sim_hist_bucket_range(*bucket, &lo, &hi);
        if (hi > x_us) break;
        *cum += sim_hist_count(h, *bucket);
        (*bucket)++;
    }
    return (double)*cum / (double)h->n;
}

#define CDF_POINTS 400

static char *latency_csv(const scenario *s, const report *r, const run_series *rs) {
    const sim_hist *h[REPORT_MAX_PLATFORMS];
    const char *names[REPORT_MAX_PLATFORMS];
    size_t n = 0;
    int64_t lo = INT64_MAX, hi = 0;
    for (size_t i = 0; i < r->n_platforms; i++) {
        const sim_hist *x = latency_of(rs, r->platforms[i].name);
        if (!x || x->n == 0) continue;
        h[n] = x;
        names[n++] = r->platforms[i].name;
        if (x->min < lo) lo = x->min;
        if (x->max > hi) hi = x->max;
    }
    if (n == 0) return NULL;
    if (lo < 1) lo = 1;
    if (hi <= lo) hi = lo + 1;
    csv_doc d;
    if (!csv_open(&d, s, "%s: latency distribution per platform", s->name)) return NULL;
    fprintf(d.f, "# columns: share of the completed items (of every replication) whose latency "
            "is at most latency_s; empty before a platform's first item. From the histograms "
            "the percentiles come from (within 0.4 %%)\n");
    fprintf(d.f, "latency_s");
    for (size_t k = 0; k < n; k++) fprintf(d.f, ",%s", names[k]);
    fputc('\n', d.f);
    size_t bucket[REPORT_MAX_PLATFORMS] = {0};
    uint64_t cum[REPORT_MAX_PLATFORMS] = {0};
    double step = log((double)hi / (double)lo) / (CDF_POINTS - 1);
    for (int i = 0; i < CDF_POINTS; i++) {
        int64_t x = i == CDF_POINTS - 1 ? hi : (int64_t)llround((double)lo * exp(step * i));
        fprintf(d.f, "%.6g", sim_time_to_s(x));
        for (size_t k = 0; k < n; k++) {
            double share = cdf_at(h[k], &bucket[k], &cum[k], x);
            if (x < h[k]->min) fputc(',', d.f);
            else cell(d.f, x >= h[k]->max ? 1.0 : share);
        }
        fputc('\n', d.f);
    }
    return csv_close(&d);
}

static char *cost_breakdown_csv(const scenario *s, const report *r) {
    if (r->n_platforms == 0) return NULL;
    char horizon[32];
    scenario_format_duration(horizon, sizeof horizon, s->horizon_us);
    csv_doc d;
    if (!csv_open(&d, s, "%s: cost per platform for the %s horizon", s->name, horizon))
        return NULL;
    fprintf(d.f, "# horizon: %s\n# columns: USD for the horizon by what is billed (Lambda: "
            "duration (an account's: with its Glue and EMR stages' bills), requests, init, "
            "provisioned concurrency, /tmp; Glue and EMR: compute, i.e. DPU-, instance- or "
            "vCPU-hours), and the month's bill (per_month)\n", horizon);
    fprintf(d.f, "platform,compute,requests,init,provisioned,ephemeral,per_month\n");
    for (size_t i = 0; i < r->n_platforms; i++) {
        const report_section *sec = &r->platforms[i];
        bool lambda = strcmp(sec->name, "lambda") == 0;
        fprintf(d.f, "%s", sec->name);
        /* An account's Glue and EMR stages (cost_usd.glue, .emr) are compute too. */
        double stages = lambda ? report_value(sec, "cost_usd.glue", 0) +
                                     report_value(sec, "cost_usd.emr", 0)
                               : 0.0;
        cell(d.f, report_value(sec, lambda ? "cost_usd.compute" : "cost_usd.total", NAN) + stages);
        cell(d.f, lambda ? report_value(sec, "cost_usd.requests", 0) : 0.0);
        cell(d.f, lambda ? report_value(sec, "cost_usd.init", 0) : 0.0);
        cell(d.f, lambda ? report_value(sec, "cost_usd.provisioned", 0) : 0.0);
        cell(d.f, lambda ? report_value(sec, "cost_usd.ephemeral", 0) : 0.0);
        cell(d.f, report_value(sec, "cost_usd.per_month", NAN));
        fputc('\n', d.f);
    }
    return csv_close(&d);
}

/* ---------------------------------------------------------------- a run's plots */

static int emit_owned(cli_plot_set *set, const char *dir, const char *name, const char *tpl,
                      const char *caption, char *text, bool quiet) {
    if (!text) {
        fprintf(stderr, "capsim: out of memory while writing %s.csv\n", name);
        return CLI_EXIT_RUNTIME;
    }
    /* The title is the CSV's own (its first line), so the two never disagree. */
    char title[256] = "";
    sscanf(text, "# title: %255[^\n]", title);
    int code = cli_plot_emit(set, dir, name, tpl, title, caption, text, quiet);
    free(text);
    return code;
}

int cli_plot_write_set(const scenario *s, const report *r, const run_series *series,
                       const char *dir, bool quiet, cli_plot_set *out) {
    cli_plot_set local, *set = out ? out : &local;
    memset(set, 0, sizeof *set);
    static const run_series nothing_recorded;
    if (!series) series = &nothing_recorded;
    int code = CLI_EXIT_OK;
    const report_section *lambda = report_find_platform(r, "lambda");
    if (lambda && series->lambda_on) {
        code = emit_owned(set, dir, "environments", "environments",
                          "Lambda's execution environments over time: busy (running an "
                          "invocation) and idle ones, provisioned ones, and below, invocations, "
                          "cold starts and throttles per second.",
                          environments_csv(s, &series->lambda), quiet);
        if (!code && s->lambda.trigger != SCN_TRIGGER_SYNC)
            code = emit_owned(set, dir, "lambda-queue", "queue",
                              "Items waiting to be invoked and the age of the one next in line "
                              "(the iterator age of a stream): a line that keeps rising means "
                              "the function falls behind.",
                              queue_csv(s, &series->lambda), quiet);
    }
    if (!code && (series->glue_on || series->emr_on))
        code = emit_owned(set, dir, "backlog", "backlog",
                          "Items waiting for the next Glue or EMR job: the saw-tooth of batching, "
                          "each drop a job starting.",
                          backlog_csv(s, r, series), quiet);
    if (!code && r->n_platforms > 0) {
        char *text = latency_csv(s, r, series);
        if (text)
            code = emit_owned(set, dir, "latency-cdf", "latency-cdf",
                              "Share of items processed within a given latency, per platform "
                              "(log scale): the further left, the faster; p50 and p99 are where "
                              "the curves cross the dashed lines.",
                              text, quiet);
    }
    if (!code && r->n_platforms > 0)
        code = emit_owned(set, dir, "cost-breakdown", "cost-breakdown",
                          "What each platform costs for the simulated horizon, by what is "
                          "billed.",
                          cost_breakdown_csv(s, r), quiet);
    if (!code && r->n_platforms > 0 && (series->lambda_on || series->glue_on || series->emr_on))
        code = emit_owned(set, dir, "cost-over-time", "cost-over-time",
                          "Cost accrued over the horizon per platform: steady slopes for "
                          "per-use billing, steps for batch jobs, a straight line for capacity "
                          "paid by the hour.",
                          cost_time_csv(s, r, series), quiet);
    return code;
}

int cli_plot_write(const scenario *s, const report *r, const run_series *series, const char *dir,
                   bool quiet) {
    return cli_plot_write_set(s, r, series, dir, quiet, NULL);
}
