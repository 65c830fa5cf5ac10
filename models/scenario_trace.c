/* models/scenario_trace.c — reads the data file of an arrival trace (workload.arrivals.trace).
 *
 * The file is read once, when the scenario loads, into the scn_trace (scenario.h); every
 * replication then replays it read-only (models/workload.c), so threads share one copy and a bad
 * line fails `capsim validate` instead of a run. Two formats (SCENARIO-FORMAT.md):
 *   timestamps  one arrival time in seconds per line, sorted non-decreasing; blank lines and
 *               '#' comments skipped.
 *   per_minute  the Azure Functions 2019 invocation CSV: a header HashOwner,HashApp,HashFunction,
 *               Trigger followed by one column per minute, then one row per function. The picked
 *               row (function: HASH, row: N) or the sum of all rows (all: true) is kept as one
 *               count per minute.
 * Problems inside the file are reported like a compiler, at DATAFILE:LINE (every bad line, one
 * message per line); a pick the file does not have (an unknown HashFunction, a row past the end)
 * is reported at the scenario key that asked for it. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario_internal.h"
#include "models/units.h"
#include "sim/error.h"

/* The Azure header's fixed columns, before the minute columns. */
static const char *const AZURE_COLUMNS[] = {"HashOwner", "HashApp", "HashFunction", "Trigger"};
#define N_AZURE_COLUMNS 4
#define AZURE_APP_COLUMN 1
#define AZURE_FUNCTION_COLUMN 2

/* capsim's time limit (sim/time.h), in seconds: no arrival can be later. */
#define MAX_TIMESTAMP_S ((double)SIM_TIME_LIMIT_US / 1e6)

void scn_trace_data_free(scn_trace *t)
{
    free(t->minute_counts);
    free(t->times_s);
    for (size_t i = 0; t->row_names && i < t->n_rows; i++)
        free(t->row_names[i]);
    for (size_t i = 0; t->row_apps && i < t->n_rows; i++)
        free(t->row_apps[i]);
    free(t->row_names);
    free(t->row_apps);
    free(t->row_counts);
    t->row_names = NULL;
    t->row_apps = NULL;
    t->row_counts = NULL;
    t->n_rows = 0;
    t->minute_counts = NULL;
    t->times_s = NULL;
    t->n_minutes = t->n_times = 0;
    t->max_minute_count = t->total = 0;
    t->period_s = 0;
}

void scn_chomp(char *line)
{
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
}

void scn_split_csv(char *line, char **fields, size_t cap, size_t *n)
{
    *n = 0;
    for (char *p = line;;) {
        char *comma = strchr(p, ',');
        if (*n < cap)
            fields[*n] = p;
        (*n)++;
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
}

/* After getline stopped: true (after reporting) unless it reached the end of the file. It
 * stops without end of file or a read error only when it cannot grow its buffer. */
static bool read_failed(scn_walk *w, FILE *fp, const scn_trace *t, const char *file_path)
{
    if (feof(fp))
        return false;
    if (ferror(fp))
        sim_diag_error(scn_diag(w), t->path, 0, 0, file_path, "cannot read: %s", strerror(errno));
    else
        scn_oom(w);
    return true;
}

/* ------------------------------------------------------------------ timestamps */

static bool read_timestamps(scn_walk *w, yaml_node_t *file_node, const char *file_path,
                            FILE *fp, scn_trace *t)
{
    size_t cap = 0, before = scn_error_count(w);
    char *line = NULL, msg[256];
    size_t line_cap = 0;
    int lineno = 0, prev_line = 0;
    int64_t total = 0;
    double prev = 0;
    ssize_t n;
    while ((n = getline(&line, &line_cap, fp)) >= 0) {
        lineno++;
        if (!scn_data_line_ok(w, t->path, lineno, file_path, line, (size_t)n, &total)) {
            free(line);
            return false;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        scn_chomp(line);
        char *s = line, *end = line + strlen(line);
        while (*s == ' ' || *s == '\t')
            s++;
        while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
            *--end = '\0';
        if (!*s)
            continue;
        /* The likeliest mistake: an Azure file with the default format. One message, not one
         * per line. */
        if (!prev_line && !strncmp(s, "HashOwner,", 10)) {
            sim_diag_error(scn_diag(w), t->path, lineno, 0, file_path,
                           "this is an Azure per-minute invocation file, but the trace's format "
                           "is timestamps; set format: per_minute");
            free(line);
            return false;
        }
        double v;
        int rc = units_parse_number(s, &v, msg, sizeof msg);
        if (rc) {
            sim_diag_error(scn_diag(w), t->path, lineno, 0, file_path,
                           "%s (one arrival time in seconds per line)", msg);
            continue;
        }
        if (v < 0 || v >= MAX_TIMESTAMP_S) {
            sim_diag_error(scn_diag(w), t->path, lineno, 0, file_path,
                           v < 0 ? "'%s' is negative: the trace starts at 0 seconds"
                                 : "'%s' seconds is beyond capsim's time limit of "
                                   SCN_TIME_LIMIT_TEXT, s);
            continue;
        }
        /* Sorted input lets replay stream the times without sorting per replication; an
         * unsorted file is more likely a wrong column or a concatenation than intended. */
        if (prev_line && v < prev) {
            char p[64];
            units_format_number(p, sizeof p, prev);
            sim_diag_error(scn_diag(w), t->path, lineno, 0, file_path,
                           "%s is before %s on line %d: timestamps must be sorted", s, p,
                           prev_line);
            continue;
        }
        prev = v;
        prev_line = lineno;
        if (t->n_times == cap) {
            size_t ncap = cap ? 2 * cap : 1024;
            double *nv = realloc(t->times_s, ncap * sizeof *nv);
            if (!nv) {
                scn_oom(w);
                free(line);
                return false;
            }
            t->times_s = nv;
            cap = ncap;
        }
        t->times_s[t->n_times++] = v;
    }
    free(line);
    if (read_failed(w, fp, t, file_path))
        return false;
    if (scn_error_count(w) != before)
        return false;
    if (t->n_times == 0) {
        scn_error(w, file_node, file_path, "'%s' has no arrival times (one time in seconds per "
                  "line)", t->path);
        return false;
    }
    t->total = (int64_t)t->n_times;
    /* Loop period: the trace covers [0, P) with P the next whole second after the last arrival,
     * so a looped pass never starts before the previous one ends, and a trace of whole-second
     * arrivals keeps whole-second spacing across the seam. */
    t->period_s = floor(t->times_s[t->n_times - 1]) + 1.0;
    return true;
}

/* ------------------------------------------------------------------ per_minute */

/* Checks the header and returns the number of minute columns (0 after reporting an error). */
static size_t read_azure_header(scn_walk *w, const char *file_path, const scn_trace *t,
                                char *line, char ***fields, size_t *fields_cap)
{
    size_t n;
    /* Count first, then split into an array of the right size. */
    size_t commas = 0;
    for (const char *p = line; *p; p++)
        commas += *p == ',';
    if (commas + 1 > *fields_cap) {
        char **nf = realloc(*fields, (commas + 1) * sizeof *nf);
        if (!nf) {
            scn_oom(w);
            return 0;
        }
        *fields = nf;
        *fields_cap = commas + 1;
    }
    scn_split_csv(line, *fields, *fields_cap, &n);
    bool ok = n > N_AZURE_COLUMNS;
    for (size_t i = 0; ok && i < N_AZURE_COLUMNS; i++)
        ok = !strcmp((*fields)[i], AZURE_COLUMNS[i]);
    if (!ok) {
        sim_diag_error(scn_diag(w), t->path, 1, 0, file_path,
                       "expected the header HashOwner,HashApp,HashFunction,Trigger followed by "
                       "one column per minute (the Azure Functions 2019 invocation format)");
        return 0;
    }
    return n - N_AZURE_COLUMNS;
}

static bool read_per_minute(scn_walk *w, yaml_node_t *map, const char *path,
                            const char *file_path, FILE *fp, scn_trace *t)
{
    char sub[SCN_PATH_LEN], msg[256];
    char *line = NULL, **fields = NULL;
    size_t line_cap = 0, fields_cap = 0, before = scn_error_count(w);
    int lineno = 0, picked_line = 0;
    int64_t rows = 0, total = 0;
    bool ok = true;
    ssize_t got = getline(&line, &line_cap, fp);
    if (got < 0 && read_failed(w, fp, t, file_path)) {
        free(line);
        return false;
    }
    if (got >= 0 && !scn_data_line_ok(w, t->path, 1, file_path, line, (size_t)got, &total)) {
        free(line);
        return false;
    }
    if (got < 0) {
        scn_error(w, scn_map_get(w, map, "file"), file_path, "'%s' is empty; expected the Azure "
                  "Functions 2019 invocation format (HashOwner,HashApp,HashFunction,Trigger,"
                  "minutes...)", t->path);
        free(line);
        return false;
    }
    lineno = 1;
    scn_chomp(line);
    size_t n_minutes = read_azure_header(w, file_path, t, line, &fields, &fields_cap);
    if (n_minutes == 0) {
        free(line);
        free(fields);
        return false;
    }
    size_t n_cols = n_minutes + N_AZURE_COLUMNS;
    t->minute_counts = calloc(n_minutes, sizeof *t->minute_counts);
    if (!t->minute_counts) {
        scn_oom(w);
        free(line);
        free(fields);
        return false;
    }
    t->n_minutes = n_minutes;

    while (ok && (got = getline(&line, &line_cap, fp)) >= 0) {
        lineno++;
        if (!scn_data_line_ok(w, t->path, lineno, file_path, line, (size_t)got, &total)) {
            ok = false;
            break;
        }
        scn_chomp(line);
        if (!line[strspn(line, " \t")])
            continue; /* a blank line (often the last) is not a data row */
        rows++;
        size_t n;
        scn_split_csv(line, fields, fields_cap, &n);
        if (n != n_cols) {
            sim_diag_error(scn_diag(w), t->path, lineno, 0, file_path,
                           "%zu columns, but the header has %zu", n, n_cols);
            continue;
        }
        bool take = t->all || rows == t->row;
        if (t->function && !strcmp(fields[AZURE_FUNCTION_COLUMN], t->function)) {
            if (picked_line) {
                sim_diag_error(scn_diag(w), t->path, lineno, 0, file_path,
                               "HashFunction %s appears again (first on line %d); pick one "
                               "with row: N", t->function, picked_line);
                continue;
            }
            take = true;
        }
        if (take && !t->all)
            picked_line = lineno;
        int64_t *row = NULL;
        if (t->per_function) {
            size_t cap_rows = t->n_rows;
            if ((cap_rows & (cap_rows - 1)) == 0) { /* 0, 1, 2, 4, ...: grow by doubling */
                size_t ncap = cap_rows ? 2 * cap_rows : 1;
                int64_t *rc2 = realloc(t->row_counts, ncap * n_minutes * sizeof *rc2);
                char **rn = rc2 ? realloc(t->row_names, ncap * sizeof *rn) : NULL;
                if (rc2)
                    t->row_counts = rc2;
                if (rn)
                    t->row_names = rn;
                char **ra = rn ? realloc(t->row_apps, ncap * sizeof *ra) : NULL;
                if (!ra) {
                    scn_oom(w);
                    ok = false;
                    break;
                }
                t->row_apps = ra;
            }
            row = t->row_counts + t->n_rows * n_minutes;
            memset(row, 0, n_minutes * sizeof *row);
            t->row_names[t->n_rows] = strdup(fields[AZURE_FUNCTION_COLUMN]);
            t->row_apps[t->n_rows] = strdup(fields[AZURE_APP_COLUMN]);
            if (!t->row_names[t->n_rows] || !t->row_apps[t->n_rows]) {
                free(t->row_names[t->n_rows]);
                free(t->row_apps[t->n_rows]);
                scn_oom(w);
                ok = false;
                break;
            }
            t->n_rows++;
        }
        /* Every row is checked, picked or not: a damaged file should not pass unnoticed. */
        for (size_t m = 0; m < n_minutes; m++) {
            const char *cell = fields[N_AZURE_COLUMNS + m];
            int64_t c;
            int rc = units_parse_int64(cell, &c, msg, sizeof msg);
            if (!rc && c < 0) {
                snprintf(msg, sizeof msg, "'%s' is negative", cell);
                rc = SIM_ERANGE;
            }
            if (rc) {
                sim_diag_error(scn_diag(w), t->path, lineno, 0, file_path,
                               "minute column %zu (field %zu): %s (an invocation count)", m + 1,
                               N_AZURE_COLUMNS + m + 1, msg);
                break;
            }
            if (row)
                row[m] = c;
            if (take) {
                if (t->minute_counts[m] > INT64_MAX - c) {
                    sim_diag_error(scn_diag(w), t->path, lineno, 0, file_path,
                                   "the invocation counts overflow");
                    ok = false;
                    break;
                }
                t->minute_counts[m] += c;
            }
        }
    }
    free(line);
    free(fields);
    if (ok && read_failed(w, fp, t, file_path))
        return false;
    if (scn_error_count(w) != before || !ok)
        return false;
    if (rows == 0) {
        scn_error(w, scn_map_get(w, map, "file"), file_path, "'%s' has a header but no data rows",
                  t->path);
        return false;
    }
    if (t->row > rows) {
        scn_join_path(sub, sizeof sub, path, "row");
        scn_error_key(w, sub, map, "row %lld is beyond the %lld data rows of '%s'",
                      (long long)t->row, (long long)rows, t->path);
        return false;
    }
    if (t->function && !picked_line) {
        scn_join_path(sub, sizeof sub, path, "function");
        scn_error_key(w, sub, map, "no row of '%s' has HashFunction %s", t->path, t->function);
        return false;
    }
    for (size_t m = 0; m < n_minutes; m++) {
        if (t->minute_counts[m] > t->max_minute_count)
            t->max_minute_count = t->minute_counts[m];
        if (t->total > INT64_MAX - t->minute_counts[m]) {
            scn_error(w, scn_map_get(w, map, "file"), file_path, "'%s': the total invocation "
                      "count overflows", t->path);
            return false;
        }
        t->total += t->minute_counts[m];
    }
    t->period_s = 60.0 * (double)n_minutes;
    return true;
}

/* ------------------------------------------------------------------ entry point */

void scn_trace_load(scn_walk *w, yaml_node_t *map, const char *path, scn_trace *t)
{
    scn_trace_data_free(t);
    char file_path[SCN_PATH_LEN];
    scn_join_path(file_path, sizeof file_path, path, "file");
    yaml_node_t *file_node = scn_map_get(w, map, "file");
    FILE *fp = scn_open_data_file(w, file_node, file_path, t->path);
    if (!fp)
        return;
    bool ok = t->format == SCN_TRACE_TIMESTAMPS
                  ? read_timestamps(w, file_node, file_path, fp, t)
                  : read_per_minute(w, map, path, file_path, fp, t);
    if (ok && ferror(fp)) {
        scn_error(w, file_node, file_path, "cannot read '%s': %s", t->path, strerror(errno));
        ok = false;
    }
    fclose(fp);
    if (!ok)
        scn_trace_data_free(t);
}
