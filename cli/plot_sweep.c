/* cli/plot_sweep.c — plots of a sweep's CSV (`capsim sweep --format csv`; see plot.h).
 *
 * The CSV's layout (docs/results.md): the varied keys' values as written ("512MB", "4/s"),
 * then every metric as PLATFORM.PATH and PLATFORM.ci95.PATH, the workload's first. The axis
 * columns are those before `workload.items`. Values with units are read with the scenario
 * parsers (models/units.h) into numbers: sizes in MB, durations in s, min or h, rates per
 * second. Points are plotted in increasing order of the key. The CSV does not name its
 * scenario: titles name the file (its folder when it is sweep.csv, as `-o DIR` writes it). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/plot.h"
#include "models/units.h"

/* ---------------------------------------------------------------- reading the CSV */

typedef struct csv_table {
    char **cells; /* rows x cols, row 0 the header (owned strings) */
    size_t rows, cols, n_cells, cap;
} csv_table;

static void table_free(csv_table *t) {
    for (size_t i = 0; i < t->n_cells; i++) free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

/* One field starting at *p (quoted or not); advances past it. NULL when out of memory. */
static char *read_field(const char **p) {
    const char *s = *p;
    size_t cap = 32, n = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    bool quoted = *s == '"';
    if (quoted) s++;
    for (;;) {
        char c = *s;
        if (c == '\0') break;
        if (quoted) {
            if (c == '"' && s[1] == '"') {
                s += 2;
            } else if (c == '"') {
                s++;
                quoted = false;
                continue;
            } else {
                s++;
            }
        } else {
            if (c == ',' || c == '\n' || c == '\r') break;
            s++;
        }
        if (n + 2 > cap) {
            char *o = realloc(out, cap *= 2);
            if (!o) {
                free(out);
                return NULL;
            }
            out = o;
        }
        out[n++] = c;
    }
    out[n] = '\0';
    *p = s;
    return out;
}

/* Parses text into t (free it with table_free in every case): 0; -1 when a row has another
 * number of fields than the header (*bad_line says which) or there is none; -2 when out of
 * memory. */
static int table_parse(const char *text, csv_table *t, size_t *bad_line) {
    memset(t, 0, sizeof *t);
    size_t line = 1;
    const char *p = text;
    while (*p) {
        if (*p == '\n' || *p == '\r') { /* an empty line */
            line += *p == '\n';
            p++;
            continue;
        }
        size_t fields = 0;
        for (;;) {
            if (t->n_cells == t->cap) {
                size_t cap = t->cap ? 2 * t->cap : 1024;
                char **c = realloc(t->cells, cap * sizeof *c);
                if (!c) return -2;
                t->cells = c;
                t->cap = cap;
            }
            char *f = read_field(&p);
            if (!f) return -2;
            t->cells[t->n_cells++] = f;
            fields++;
            if (*p != ',') break;
            p++;
        }
        if (t->rows == 0) t->cols = fields;
        if (fields != t->cols) {
            *bad_line = line;
            return -1;
        }
        t->rows++;
        while (*p == '\r') p++;
        if (*p == '\n') {
            p++;
            line++;
        }
    }
    return t->rows > 0 ? 0 : -1;
}

static const char *cell_at(const csv_table *t, size_t row, size_t col) {
    return t->cells[row * t->cols + col];
}

static int column(const csv_table *t, const char *name) {
    for (size_t c = 0; c < t->cols; c++)
        if (strcmp(cell_at(t, 0, c), name) == 0) return (int)c;
    return -1;
}

/* A metric cell as a number: NaN when empty, "nan" or absent. */
static double number(const csv_table *t, size_t row, int col) {
    if (col < 0) return NAN;
    const char *s = cell_at(t, row, (size_t)col);
    if (!*s) return NAN;
    char *end;
    double v = strtod(s, &end);
    return *end ? NAN : v;
}

static double metric(const csv_table *t, size_t row, const char *platform, const char *path) {
    char name[128];
    snprintf(name, sizeof name, "%s.%s", platform, path);
    return number(t, row, column(t, name));
}

/* An item's p99 latency: through the pipeline for an account of chained functions (its
 * end_to_end_latency_s column), else latency_s (as the comparison reads it). */
static double item_p99(const csv_table *t, size_t row, const char *platform) {
    char name[128];
    snprintf(name, sizeof name, "%s.end_to_end_latency_s.p99", platform);
    int col = column(t, name);
    return col >= 0 ? number(t, row, col) : metric(t, row, platform, "latency_s.p99");
}

/* ---------------------------------------------------------------- the key's values */

typedef enum value_kind { VALUE_NUMBER, VALUE_SIZE, VALUE_DURATION, VALUE_RATE } value_kind;

/* A --vary value as a number in its base unit (MB, s, per s); false when it is not numeric. */
static bool value_of(const char *text, value_kind *kind, double *out) {
    char msg[256];
    double mb;
    sim_time_us us;
    units_rate rate;
    if (units_parse_size_mb(text, &mb, msg, sizeof msg) == 0) {
        *kind = VALUE_SIZE;
        *out = mb;
    } else if (units_parse_duration(text, &us, msg, sizeof msg) == 0) {
        *kind = VALUE_DURATION;
        *out = sim_time_to_s(us);
    } else if (units_parse_rate(text, &rate, msg, sizeof msg) == 0) {
        *kind = VALUE_RATE;
        *out = rate.per_s;
    } else if (units_parse_number(text, out, msg, sizeof msg) == 0) {
        *kind = VALUE_NUMBER;
    } else {
        return false;
    }
    return true;
}

typedef struct point {
    double x;  /* in the axis' display unit */
    size_t row;
} point;

static int point_cmp(const void *a, const void *b) {
    const point *p = a, *q = b;
    if (p->x != q->x) return p->x < q->x ? -1 : 1;
    return p->row < q->row ? -1 : p->row > q->row;
}

typedef struct sweep_data {
    const char *path;
    csv_table t;
    const char *key;
    point *pts;
    size_t n;
    char xlabel[128];
    char name[128];            /* what titles call it */
    const char *platforms[3];  /* in the CSV's order */
    size_t n_platforms;
} sweep_data;

/* ---------------------------------------------------------------- CSV text */

typedef struct out_doc {
    FILE *f;
    char *text;
    size_t len;
} out_doc;

static bool doc_open(out_doc *d, const sweep_data *sw, const char *title) {
    memset(d, 0, sizeof *d);
    d->f = open_memstream(&d->text, &d->len);
    if (!d->f) return false;
    fprintf(d->f, "# title: %s\n# source: capsim %s, from the sweep %s (points in increasing "
            "order of %s; values are means over replications)\n# xlabel: %s\n", title,
            CAPSIM_VERSION, sw->path, sw->key, sw->xlabel);
    return true;
}

static char *doc_close(out_doc *d) {
    if (!d->f || fclose(d->f) != 0) {
        free(d->text);
        return NULL;
    }
    return d->text;
}

static void cell(FILE *f, double v) {
    if (isfinite(v)) fprintf(f, ",%.6g", v);
    else fputc(',', f);
}

static bool completed_all(const sweep_data *sw, size_t row, const char *platform) {
    return metric(&sw->t, row, platform, "completed") >= metric(&sw->t, row, platform, "items");
}

/* Duration and cost per memory size; the cheapest (cost_usd.total) and fastest (mean billed
 * duration) among the sizes that completed every item, as the power-tuning table says. */
static char *memory_csv(const sweep_data *sw) {
    int cheapest = -1, fastest = -1;
    for (size_t i = 0; i < sw->n; i++) {
        size_t r = sw->pts[i].row;
        if (!completed_all(sw, r, "lambda")) continue;
        double cost = metric(&sw->t, r, "lambda", "cost_usd.total");
        double dur = metric(&sw->t, r, "lambda", "duration_s.mean");
        if (isfinite(cost) && (cheapest < 0 || cost < metric(&sw->t, sw->pts[cheapest].row,
                                                             "lambda", "cost_usd.total")))
            cheapest = (int)i;
        if (isfinite(dur) && (fastest < 0 || dur < metric(&sw->t, sw->pts[fastest].row, "lambda",
                                                           "duration_s.mean")))
            fastest = (int)i;
    }
    char title[256];
    snprintf(title, sizeof title, "%s: Lambda duration and cost by memory size", sw->name);
    out_doc d;
    if (!doc_open(&d, sw, title)) return NULL;
    fprintf(d.f, "# columns: memory size; mean billed duration of an invocation and its 95 %% "
            "half-width; cost for the horizon and its half-width; cost per 1,000 items; 1 when "
            "every item completed; which is cheapest and fastest among those\n");
    fprintf(d.f, "memory_mb,duration_s,duration_ci95_s,cost_usd,cost_ci95_usd,cost_per_1k_usd,"
            "completed_all,mark\n");
    for (size_t i = 0; i < sw->n; i++) {
        size_t r = sw->pts[i].row;
        fprintf(d.f, "%.6g", sw->pts[i].x);
        cell(d.f, metric(&sw->t, r, "lambda", "duration_s.mean"));
        cell(d.f, metric(&sw->t, r, "lambda", "ci95.duration_s.mean"));
        cell(d.f, metric(&sw->t, r, "lambda", "cost_usd.total"));
        cell(d.f, metric(&sw->t, r, "lambda", "ci95.cost_usd.total"));
        cell(d.f, metric(&sw->t, r, "lambda", "cost_usd.per_1k_items"));
        fprintf(d.f, ",%d,%s\n", completed_all(sw, r, "lambda"),
                (int)i == cheapest && (int)i == fastest ? "cheapest and fastest"
                : (int)i == cheapest                    ? "cheapest"
                : (int)i == fastest                     ? "fastest"
                                                        : "");
    }
    return doc_close(&d);
}

/* Cost per month and p99 latency of every platform against the key. */
static char *against_csv(const sweep_data *sw, const char *title) {
    out_doc d;
    if (!doc_open(&d, sw, title)) return NULL;
    fprintf(d.f, "# platforms:");
    for (size_t k = 0; k < sw->n_platforms; k++) fprintf(d.f, " %s", sw->platforms[k]);
    fprintf(d.f, "\n# columns: the key; each platform's cost per month (USD), then each one's "
            "p99 latency (s); empty where nothing completed\n");
    fprintf(d.f, "x");
    for (size_t k = 0; k < sw->n_platforms; k++) fprintf(d.f, ",%s.cost_per_month_usd", sw->platforms[k]);
    for (size_t k = 0; k < sw->n_platforms; k++) fprintf(d.f, ",%s.p99_s", sw->platforms[k]);
    fputc('\n', d.f);
    for (size_t i = 0; i < sw->n; i++) {
        size_t r = sw->pts[i].row;
        fprintf(d.f, "%.6g", sw->pts[i].x);
        for (size_t k = 0; k < sw->n_platforms; k++)
            cell(d.f, metric(&sw->t, r, sw->platforms[k], "cost_usd.per_month"));
        for (size_t k = 0; k < sw->n_platforms; k++)
            cell(d.f, item_p99(&sw->t, r, sw->platforms[k]));
        fputc('\n', d.f);
    }
    return doc_close(&d);
}

static char *cold_csv(const sweep_data *sw, const char *title) {
    out_doc d;
    if (!doc_open(&d, sw, title)) return NULL;
    fprintf(d.f, "# columns: the key; share of invocations that started cold; Lambda's cost per "
            "month (USD); p99 latency (s); share of invocations served by provisioned "
            "environments\n");
    fprintf(d.f, "x,cold_start_share,cost_per_month_usd,p99_s,provisioned_share\n");
    for (size_t i = 0; i < sw->n; i++) {
        size_t r = sw->pts[i].row;
        fprintf(d.f, "%.6g", sw->pts[i].x);
        cell(d.f, metric(&sw->t, r, "lambda", "cold_start_ratio"));
        cell(d.f, metric(&sw->t, r, "lambda", "cost_usd.per_month"));
        cell(d.f, metric(&sw->t, r, "lambda", "latency_s.p99"));
        cell(d.f, metric(&sw->t, r, "lambda", "provisioned_ratio"));
        fputc('\n', d.f);
    }
    return doc_close(&d);
}

/* ---------------------------------------------------------------- the command */

static int bad(const char *path, const char *why) {
    fprintf(stderr, "capsim plot: %s: %s\n", path, why);
    return CLI_EXIT_SCENARIO;
}

static char *read_all(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                buf = NULL;
            } else {
                buf = b;
            }
        }
    }
    bool err = ferror(f);
    fclose(f);
    if (!buf || err) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* What titles call the sweep: the file's stem, or its folder's name for "sweep.csv". */
static void sweep_name(char *buf, size_t len, const char *path) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    char *slash = strrchr(tmp, '/');
    char *base = slash ? slash + 1 : tmp;
    char *dot = strrchr(base, '.');
    if (dot) *dot = '\0';
    if (strcmp(base, "sweep") == 0 && slash) {
        *slash = '\0';
        char *parent = strrchr(tmp, '/');
        const char *folder = parent ? parent + 1 : tmp;
        if (*folder && strcmp(folder, ".") != 0 && strcmp(folder, "..") != 0) base = (char *)folder;
    }
    snprintf(buf, len, "%.*s", (int)(len - 1), base);
}

static int plot_sweep(sweep_data *sw, const char *dir, bool quiet, cli_plot_set *set) {
    const char *key = sw->key;
    bool lambda = column(&sw->t, "lambda.cost_usd.total") >= 0;
    char title[256], name[160];
    if (strcmp(key, "lambda.memory") == 0 && lambda) {
        char *text = memory_csv(sw);
        if (!text) return CLI_EXIT_RUNTIME;
        snprintf(title, sizeof title, "%s: Lambda duration and cost by memory size", sw->name);
        int code = cli_plot_emit(set, dir, "memory-curve", "memory-curve", title,
                                 "Mean billed duration and cost for each memory size tested "
                                 "(points only: sizes in between were not run); the cheapest "
                                 "and the fastest are marked.",
                                 text, quiet);
        free(text);
        return code;
    }
    if ((strcmp(key, "lambda.keep_alive") == 0 ||
         strcmp(key, "lambda.concurrency.provisioned") == 0) && lambda) {
        bool keep = strcmp(key, "lambda.keep_alive") == 0;
        snprintf(title, sizeof title, "%s: cold starts against %s", sw->name,
                 keep ? "keep-alive" : "provisioned concurrency");
        char *text = cold_csv(sw, title);
        if (!text) return CLI_EXIT_RUNTIME;
        int code = cli_plot_emit(set, dir, "cold-starts", "cold-starts", title,
                                 keep ? "Share of invocations that start cold as environments "
                                        "are kept alive longer, with Lambda's monthly cost."
                                      : "Share of invocations that start cold with more "
                                        "provisioned environments, and what they cost a month.",
                                 text, quiet);
        free(text);
        return code;
    }
    bool rate = strcmp(key, "workload.arrivals.rate") == 0;
    if (rate) {
        snprintf(title, sizeof title, "%s: cost and p99 latency against traffic", sw->name);
        snprintf(name, sizeof name, "crossover");
    } else {
        snprintf(title, sizeof title, "%s: cost and p99 latency against %s", sw->name, key);
        snprintf(name, sizeof name, "sweep-");
        for (const char *c = key; *c && strlen(name) + 1 < sizeof name; c++) {
            size_t l = strlen(name);
            name[l] = *c == '.' || *c == '_' ? '-' : *c;
            name[l + 1] = '\0';
        }
    }
    char *text = against_csv(sw, title);
    if (!text) return CLI_EXIT_RUNTIME;
    int code = cli_plot_emit(set, dir, name, "crossover", title,
                             rate ? "Cost per month and p99 latency of each platform as traffic "
                                    "grows (log scales): where the cost lines cross, the cheaper "
                                    "platform changes."
                                  : "Cost per month and p99 latency of each platform at each "
                                    "value tested.",
                             text, quiet);
    free(text);
    return code;
}

int cli_plot_sweep_csv(const char *csv_path, const char *dir, bool quiet, cli_plot_set *out) {
    cli_plot_set local, *set = out ? out : &local;
    memset(set, 0, sizeof *set);
    char *text = read_all(csv_path);
    if (!text) {
        fprintf(stderr, "capsim plot: cannot read %s\n", csv_path);
        return CLI_EXIT_IO;
    }
    sweep_data sw;
    memset(&sw, 0, sizeof sw);
    sw.path = csv_path;
    size_t bad_line = 0;
    int prc = table_parse(text, &sw.t, &bad_line);
    free(text);
    int code = CLI_EXIT_OK;
    char why[512];
    if (prc == -2) {
        fprintf(stderr, "capsim plot: out of memory reading %s\n", csv_path);
        code = CLI_EXIT_RUNTIME;
        goto done;
    }
    if (prc < 0) {
        if (bad_line) snprintf(why, sizeof why, "line %zu has another number of fields than the "
                               "header: not a sweep CSV (capsim sweep --format csv)", bad_line);
        else snprintf(why, sizeof why, "empty: not a sweep CSV (capsim sweep --format csv)");
        code = bad(csv_path, why);
        goto done;
    }
    int first_metric = column(&sw.t, "workload.items");
    if (first_metric <= 0 || sw.t.rows < 2) {
        code = bad(csv_path, "not a sweep CSV (capsim sweep --format csv): no varied key before "
                             "workload.items, or no point");
        goto done;
    }
    if (first_metric > 1) {
        snprintf(why, sizeof why, "varies %d keys (%s, %s%s); plot draws sweeps of one key",
                 first_metric, cell_at(&sw.t, 0, 0), cell_at(&sw.t, 0, 1),
                 first_metric > 2 ? ", ..." : "");
        fprintf(stderr, "capsim plot: %s: %s\n", csv_path, why);
        code = CLI_EXIT_USAGE;
        goto done;
    }
    sw.key = cell_at(&sw.t, 0, 0);
    sw.n = sw.t.rows - 1;
    sw.pts = malloc(sw.n * sizeof *sw.pts);
    if (!sw.pts) {
        code = CLI_EXIT_RUNTIME;
        goto done;
    }
    value_kind kind = VALUE_NUMBER;
    double max_abs = 0;
    for (size_t i = 0; i < sw.n; i++) {
        value_kind k;
        const char *v = cell_at(&sw.t, i + 1, 0);
        if (!value_of(v, &k, &sw.pts[i].x) || (i > 0 && k != kind)) {
            snprintf(why, sizeof why, "the values of %s are not numbers with one unit ('%s'): "
                     "plot draws numeric keys", sw.key, v);
            fprintf(stderr, "capsim plot: %s: %s\n", csv_path, why);
            code = CLI_EXIT_USAGE;
            goto done;
        }
        kind = k;
        sw.pts[i].row = i + 1;
        if (fabs(sw.pts[i].x) > max_abs) max_abs = fabs(sw.pts[i].x);
    }
    /* Durations in the unit that reads best over the range tested. */
    double scale = 1.0;
    const char *unit = "";
    switch (kind) {
    case VALUE_SIZE: unit = "MB"; break;
    case VALUE_RATE: unit = "items/s"; break;
    case VALUE_DURATION:
        scale = max_abs >= 7200 ? 3600.0 : max_abs >= 120 ? 60.0 : 1.0;
        unit = scale == 3600.0 ? "h" : scale == 60.0 ? "min" : "s";
        break;
    default: break;
    }
    for (size_t i = 0; i < sw.n; i++) sw.pts[i].x /= scale;
    qsort(sw.pts, sw.n, sizeof *sw.pts, point_cmp);
    const char *what = strcmp(sw.key, "lambda.memory") == 0                  ? "memory"
                       : strcmp(sw.key, "workload.arrivals.rate") == 0       ? "traffic"
                       : strcmp(sw.key, "lambda.keep_alive") == 0            ? "keep-alive"
                       : strcmp(sw.key, "lambda.concurrency.provisioned") == 0
                           ? "provisioned environments"
                           : sw.key;
    if (*unit) snprintf(sw.xlabel, sizeof sw.xlabel, "%s (%s)", what, unit);
    else snprintf(sw.xlabel, sizeof sw.xlabel, "%s", what);
    static const char *const all[] = {"lambda", "glue", "emr"};
    for (size_t k = 0; k < 3; k++) {
        char col[64];
        snprintf(col, sizeof col, "%s.cost_usd.per_month", all[k]);
        if (column(&sw.t, col) >= 0) sw.platforms[sw.n_platforms++] = all[k];
    }
    if (sw.n_platforms == 0) {
        code = bad(csv_path, "no platform's cost_usd.per_month column: not a sweep CSV");
        goto done;
    }
    sweep_name(sw.name, sizeof sw.name, csv_path);
    code = plot_sweep(&sw, dir, quiet, set);
done:
    free(sw.pts);
    table_free(&sw.t);
    return code;
}
