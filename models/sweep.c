/* models/sweep.c — --vary arguments into points; loading and running the points (see sweep.h).
 *
 * A point's values reach the loader as ordinary `KEY=VALUE` overrides after the user's own, so
 * a sweep value gets exactly the checks of a `--set`. The loader reports override problems as
 * `--set:K:COL` (K the override's 1-based index, COL the column in "KEY=VALUE"); for the point's
 * overrides (K past the user's) that position is translated back to the --vary argument the
 * value came from, so errors read `--vary:N:COL` at the value as the user wrote it. */
#include "models/sweep.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/run.h"
#include "models/units.h"
#include "sim/error.h"

/* ---------------------------------------------------------------- quantities */

typedef enum q_kind { Q_NUMBER, Q_DURATION, Q_SIZE, Q_RATE } q_kind;
static const char *const KIND_NAME[] = {"a plain number", "a duration", "a size", "a rate"};

/* A numeric value as written: its kind, its value in base units (the number; us; MB; per
 * second) and the unit it was written in. */
typedef struct quantity {
    q_kind kind;
    double base;
    double factor;    /* durations and sizes: base units per written unit; numbers: 1 */
    double period_s;  /* rates: the written period in seconds (count = per_s * period_s) */
    char suffix[32];  /* what follows the number: "MB", "s", "/min", "/10s", "" */
} quantity;

static int quantity_parse(const char *text, quantity *q, char *msg, size_t len)
{
    memset(q, 0, sizeof *q);
    q->factor = 1.0;
    const char *slash = strchr(text, '/');
    if (slash) {
        units_rate r;
        int rc = units_parse_rate(text, &r, msg, len);
        if (rc) return rc;
        q->kind = Q_RATE;
        q->base = r.per_s;
        q->period_s = (double)r.period_us / 1e6;
        snprintf(q->suffix, sizeof q->suffix, "%s", slash);
        return 0;
    }
    size_t n = strlen(text), k = n;
    while (k > 0 && isalpha((unsigned char)text[k - 1])) k--;
    if (k == n) {
        q->kind = Q_NUMBER;
        return units_parse_number(text, &q->base, msg, len);
    }
    char one[40];
    snprintf(one, sizeof one, "1%s", text + k);
    sim_time_us us;
    double mb;
    if (units_parse_duration(one, &us, NULL, 0) == 0) {
        q->kind = Q_DURATION;
        q->factor = (double)us;
        int rc = units_parse_duration(text, &us, msg, len);
        q->base = (double)us;
        snprintf(q->suffix, sizeof q->suffix, "%s", text + k);
        return rc;
    }
    if (units_parse_size_mb(one, &mb, NULL, 0) == 0) {
        q->kind = Q_SIZE;
        q->factor = mb;
        snprintf(q->suffix, sizeof q->suffix, "%s", text + k);
        return units_parse_size_mb(text, &q->base, msg, len);
    }
    snprintf(msg, len, "'%s' is not a number, a duration (250ms), a size (512MB) or a rate (100/s)",
             text);
    return SIM_EPARSE;
}

/* The shortest fixed-point text of x with 12 significant digits ("0.3", not
 * "0.30000000000000004"; "2048", not "2048.00000000"); with an exponent beyond 1e15 or below
 * 1e-9 (which only plain numbers accept: a size or rate that large is an error anyway). */
static void format_number(char *buf, size_t len, double x)
{
    if (x == 0.0 || !isfinite(x)) {
        snprintf(buf, len, "%s", x == 0.0 ? "0" : "nan");
        return;
    }
    int mag = (int)floor(log10(fabs(x)));
    if (mag >= 15 || mag < -9) { /* too many digits in fixed point: a plain number's exponent */
        snprintf(buf, len, "%.12g", x);
        return;
    }
    int dec = 11 - mag;
    if (dec < 0) dec = 0;
    snprintf(buf, len, "%.*f", dec, x);
    if (strchr(buf, '.')) {
        size_t n = strlen(buf);
        while (n > 0 && buf[n - 1] == '0') buf[--n] = '\0';
        if (n > 0 && buf[n - 1] == '.') buf[--n] = '\0';
    }
    if (strcmp(buf, "-0") == 0) snprintf(buf, len, "0");
}

/* x rounded to `digits` significant digits. */
static double round_significant(double x, int digits)
{
    if (x == 0.0 || !isfinite(x)) return x;
    double scale = pow(10.0, digits - 1 - (int)floor(log10(fabs(x))));
    return nearbyint(x * scale) / scale;
}

/* Writes `base` in like's unit with `digits` significant digits (at most 12). Durations are
 * whole microseconds, written with the fewest decimals of like's unit that read back exactly
 * (else in the unit units.c chooses). */
static void quantity_format(char *buf, size_t len, const quantity *like, double base, int digits)
{
    char num[64];
    switch (like->kind) {
    case Q_DURATION: {
        double r = digits < 12 ? round_significant(base / like->factor, digits) * like->factor : base;
        r = nearbyint(r);
        sim_time_us us = (sim_time_us)r, back;
        for (int d = 0; d <= 9; d++) {
            snprintf(buf, len, "%.*f%s", d, r / like->factor, like->suffix);
            if (units_parse_duration(buf, &back, NULL, 0) == 0 && back == us) return;
        }
        units_format_duration(buf, len, us);
        return;
    }
    case Q_RATE:
        format_number(num, sizeof num, round_significant(base * like->period_s, digits));
        break;
    default: format_number(num, sizeof num, round_significant(base / like->factor, digits)); break;
    }
    snprintf(buf, len, "%s%s", num, like->suffix);
}

bool sweep_value_base(const char *text, double *base)
{
    quantity q;
    char msg[8];
    if (quantity_parse(text, &q, msg, sizeof msg)) return false;
    *base = q.base;
    return true;
}

void sweep_value_format(char *buf, size_t len, const char *like, double base, int digits)
{
    quantity q;
    char msg[8];
    if (digits > 12 || digits < 1) digits = 12;
    if (quantity_parse(like, &q, msg, sizeof msg)) {
        format_number(buf, len, round_significant(base, digits));
        return;
    }
    quantity_format(buf, len, &q, base, digits);
}

/* ---------------------------------------------------------------- parsing */

typedef struct parser {
    sim_diag *diag;
    int line;        /* the --vary argument's 1-based index */
    const char *key;
    bool oom;
} parser;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void perr(parser *p, int col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sim_diag_error(p->diag, SWEEP_SOURCE, p->line, col, p->key, "%s", msg);
}

static bool axis_push(parser *p, sweep_axis *a, size_t *cap, const char *text, size_t len, int col,
                      bool from_range)
{
    if (a->n_values == *cap) {
        size_t c = *cap ? 2 * *cap : 8;
        sweep_value *v = realloc(a->values, c * sizeof *v);
        if (!v) {
            p->oom = true;
            return false;
        }
        a->values = v;
        *cap = c;
    }
    char *t = strndup(text, len);
    if (!t) {
        p->oom = true;
        return false;
    }
    a->values[a->n_values++] = (sweep_value){t, col, from_range};
    return true;
}

/* Within 1e-9 of `scale` (B for geometric ranges, the step for arithmetic ones). */
static bool lands_on(double v, double b, double scale)
{
    return fabs(v - b) <= 1e-9 * fabs(scale);
}

/* Expands the range text[0..len) written at column col. Returns false on a problem (reported). */
static bool expand_range(parser *p, sweep_axis *a, size_t *cap, const char *text, size_t len,
                         int col)
{
    char buf[256], msg[256];
    if (len >= sizeof buf) {
        perr(p, col, "range '%.40s...' is too long", text);
        return false;
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *dots = strstr(buf, ".."), *colon = strchr(dots + 2, ':');
    int b_col = col + (int)(dots + 2 - buf);
    if (!colon) {
        perr(p, col, "range '%s' has no step: write A..B:xK (multiply by K) or A..B:+S (add S)",
             buf);
        return false;
    }
    *dots = '\0';
    *colon = '\0';
    const char *atext = buf, *btext = dots + 2, *step = colon + 1;
    int step_col = col + (int)(step - buf);
    quantity qa, qb;
    if (quantity_parse(atext, &qa, msg, sizeof msg)) {
        perr(p, col, "range start: %s", msg);
        return false;
    }
    if (!*btext) {
        perr(p, b_col, "the range has no end after '..'");
        return false;
    }
    if (quantity_parse(btext, &qb, msg, sizeof msg)) {
        perr(p, b_col, "range end: %s", msg);
        return false;
    }
    if (qa.kind != qb.kind) {
        perr(p, b_col, "the range mixes kinds of values: '%s' is %s, '%s' is %s", atext,
             KIND_NAME[qa.kind], btext, KIND_NAME[qb.kind]);
        return false;
    }
    double a0 = qa.base, b = qb.base;
    size_t first = a->n_values;
    char v_text[96];
    if (step[0] == 'x') {
        double k;
        if (units_parse_number(step + 1, &k, msg, sizeof msg)) {
            perr(p, step_col, "factor after 'x': %s", msg);
            return false;
        }
        if (!(k > 0)) {
            perr(p, step_col, "the factor x%s must be above 0", step + 1);
            return false;
        }
        if (k == 1) {
            perr(p, step_col, "x1 never moves from %s: the range would be infinite", atext);
            return false;
        }
        if (!(a0 > 0) || !(b > 0)) {
            perr(p, !(a0 > 0) ? col : b_col,
                 "a geometric range needs a start and an end above 0 (multiplying never "
                 "leaves or reaches 0)");
            return false;
        }
        bool up = k > 1;
        if (a0 != b && (a0 < b) != up) {
            if (a0 < b)
                perr(p, step_col, "x%s shrinks from %s and never reaches %s: the range would be "
                     "infinite (use a factor above 1)", step + 1, atext, btext);
            else
                perr(p, step_col, "empty range: %s is above %s and x%s grows (write %s..%s, or "
                     "use a factor below 1 to count down)", atext, btext, step + 1, btext, atext);
            return false;
        }
        for (int i = 0;; i++) {
            double v = a0 * pow(k, i);
            bool hit = lands_on(v, b, b);
            if (!hit && (up ? v > b : v < b)) break;
            if (hit) v = b;
            if (a->n_values - first >= SWEEP_MAX_POINTS) {
                perr(p, col, "range '%s..%s:%s' has more than %d values", atext, btext, step,
                     SWEEP_MAX_POINTS);
                return false;
            }
            quantity_format(v_text, sizeof v_text, &qa, v, 12);
            if (!axis_push(p, a, cap, v_text, strlen(v_text), col, true)) return false;
            if (hit) break;
        }
        return true;
    }
    if (step[0] != '+' && step[0] != '-') {
        perr(p, step_col, "the step must be xK (multiply by K) or +S / -S (add or subtract S), "
             "not '%s'", step);
        return false;
    }
    bool up = step[0] == '+';
    quantity qs;
    double s;
    if (units_parse_number(step + 1, &s, NULL, 0) == 0) {
        /* a plain step is in A's unit */
        s = qa.kind == Q_RATE ? s / qa.period_s : s * qa.factor;
    } else if (quantity_parse(step + 1, &qs, msg, sizeof msg)) {
        perr(p, step_col + 1, "step: %s", msg);
        return false;
    } else if (qs.kind != qa.kind) {
        perr(p, step_col + 1, "the step '%s' is %s, but the range is of %s", step + 1,
             KIND_NAME[qs.kind], qa.kind == Q_NUMBER ? "plain numbers"
                                 : qa.kind == Q_DURATION ? "durations"
                                 : qa.kind == Q_SIZE     ? "sizes"
                                                         : "rates");
        return false;
    } else {
        s = qs.base;
    }
    if (s < 0) {
        perr(p, step_col + 1, "write the step without a sign: the '%c' before it says the "
             "direction", step[0]);
        return false;
    }
    if (s == 0) {
        perr(p, step_col, "a step of %s never moves from %s: the range would be infinite", step,
             atext);
        return false;
    }
    if (qa.kind == Q_DURATION && s != floor(s)) {
        perr(p, step_col, "the step %s is finer than 1us, the resolution of durations", step);
        return false;
    }
    if (a0 != b && (a0 < b) != up) {
        perr(p, step_col, "empty range: %s is %s %s and the step %s moves away from it (write "
             "%s..%s:%c%s)", atext, up ? "above" : "below", btext, step, atext, btext,
             up ? '-' : '+', step + 1);
        return false;
    }
    double count = floor(fabs(b - a0) / s + 1e-9) + 1;
    if (!(count <= SWEEP_MAX_POINTS)) {
        perr(p, col, "range '%s..%s:%s' has more than %d values", atext, btext, step,
             SWEEP_MAX_POINTS);
        return false;
    }
    for (size_t i = 0; i < (size_t)count; i++) {
        double v = up ? a0 + (double)i * s : a0 - (double)i * s;
        if (lands_on(v, b, s)) v = b;
        quantity_format(v_text, sizeof v_text, &qa, v, 12);
        if (!axis_push(p, a, cap, v_text, strlen(v_text), col, true)) return false;
    }
    return true;
}

/* `A..B...` where A starts like a number: a range. Anything else (quoted, a path such as
 * ../x.csv, YAML) is one value. */
static bool is_range(const char *text, size_t len)
{
    if (len == 0 || !(isdigit((unsigned char)text[0]) || text[0] == '-')) return false;
    for (size_t i = 0; i + 1 < len; i++)
        if (text[i] == '.' && text[i + 1] == '.') return true;
    return false;
}

/* Splits the values after '=' at commas outside brackets and quotes, trims blanks, and adds
 * each value (or a range's values) to the axis. */
static bool parse_values(parser *p, sweep_axis *a, const char *arg, const char *values)
{
    size_t cap = 0;
    bool ok = true;
    const char *s = values;
    for (;;) {
        int depth = 0;
        char quote = 0;
        const char *e = s;
        for (; *e && (quote || depth > 0 || *e != ','); e++) {
            if (quote) {
                if (quote == '"' && *e == '\\' && e[1]) e++;
                else if (*e == quote) quote = 0;
            } else if (*e == '"' || *e == '\'') {
                quote = *e;
            } else if (*e == '{' || *e == '[') {
                depth++;
            } else if ((*e == '}' || *e == ']') && depth > 0) {
                depth--;
            }
        }
        const char *b = s, *t = e;
        while (b < t && isspace((unsigned char)*b)) b++;
        while (t > b && isspace((unsigned char)t[-1])) t--;
        int col = (int)(b - arg) + 1;
        if (b == t) {
            perr(p, col, "empty value (two commas in a row, or a comma at the end)");
            ok = false;
        } else if (is_range(b, (size_t)(t - b))) {
            ok = expand_range(p, a, &cap, b, (size_t)(t - b), col) && ok;
        } else if (!axis_push(p, a, &cap, b, (size_t)(t - b), col, false)) {
            return false;
        }
        if (p->oom) return false;
        if (!*e) break;
        s = e + 1;
    }
    return ok;
}

void sweep_destroy(sweep *sw)
{
    if (!sw) return;
    for (size_t i = 0; i < sw->n_axes; i++) {
        sweep_axis *a = &sw->axes[i];
        for (size_t k = 0; k < a->n_values; k++) free(a->values[k].text);
        free(a->values);
        free(a->key);
        free(a->arg);
    }
    free(sw->axes);
    free(sw);
}

/* Keys equal, or one inside the other ("lambda.cold_start" and "lambda.cold_start.init"). */
static bool keys_overlap(const char *x, const char *y)
{
    size_t nx = strlen(x), ny = strlen(y), n = nx < ny ? nx : ny;
    return strncmp(x, y, n) == 0 && (nx == ny || (nx < ny ? y[n] : x[n]) == '.');
}

int sweep_parse(const char *const *args, size_t n_args, bool zip, sim_diag *diag, sweep **out)
{
    return sweep_parse_numbered(args, NULL, n_args, zip, diag, out);
}

int sweep_parse_numbered(const char *const *args, const int *numbers, size_t n_args, bool zip,
                         sim_diag *diag, sweep **out)
{
    *out = NULL;
    if (n_args == 0) return SIM_EINVAL;
    sweep *sw = calloc(1, sizeof *sw);
    if (!sw || !(sw->axes = calloc(n_args, sizeof *sw->axes))) {
        free(sw);
        return SIM_ENOMEM;
    }
    sw->zip = zip;
    size_t errors_before = sim_diag_count(diag);
    bool oom = false;
    for (size_t j = 0; j < n_args && !oom; j++) {
        const char *arg = args[j];
        const char *eq = strchr(arg, '=');
        sweep_axis *a = &sw->axes[sw->n_axes++];
        a->number = numbers ? numbers[j] : (int)j + 1;
        parser p = {diag, a->number, NULL, false};
        if (!(a->arg = strdup(arg))) {
            oom = true;
            break;
        }
        if (!eq || eq == arg) {
            perr(&p, 1, "expected KEY=V1,V2,... like lambda.memory=512MB,1024MB, got '%s'", arg);
            continue;
        }
        if (!(a->key = strndup(arg, (size_t)(eq - arg)))) {
            oom = true;
            break;
        }
        p.key = a->key;
        if (!strcmp(a->key, "seed") || !strcmp(a->key, "replications")) {
            perr(&p, 1, "cannot be varied: every point runs the same replications of the same "
                 "seed, so that points differ only by the varied keys (use -s and -r)");
            continue;
        }
        if (!strcmp(a->key, "name")) {
            perr(&p, 1, "cannot be varied: a sweep is of one scenario");
            continue;
        }
        bool dup = false;
        for (size_t i = 0; i < j && !dup; i++)
            if (sw->axes[i].key && keys_overlap(sw->axes[i].key, a->key)) {
                perr(&p, 1, "already varied by --vary %d (%s)", sw->axes[i].number,
                     sw->axes[i].key);
                dup = true;
            }
        if (dup) continue;
        if (!eq[1]) {
            perr(&p, (int)(eq - arg) + 2, "no values after '='");
            continue;
        }
        parse_values(&p, a, arg, eq + 1);
        oom = p.oom;
    }
    if (!oom && sim_diag_count(diag) == errors_before) {
        size_t n = sw->axes[0].n_values;
        for (size_t j = 1; j < sw->n_axes; j++) {
            parser p = {diag, sw->axes[j].number, sw->axes[j].key, false};
            size_t m = sw->axes[j].n_values;
            if (zip && m != n) {
                perr(&p, 1, "--zip pairs the values of every --vary one to one: this one has %zu "
                     "values, --vary %d has %zu", m, sw->axes[0].number, sw->axes[0].n_values);
                break;
            }
            if (!zip && m > SWEEP_MAX_POINTS / n) {
                perr(&p, 1, "the grid would have more than %d points (%zu so far, times %zu)",
                     SWEEP_MAX_POINTS, n, m);
                break;
            }
            if (!zip) n *= m;
        }
        sw->n_points = n;
    }
    if (oom) {
        sweep_destroy(sw);
        return SIM_ENOMEM;
    }
    if (sim_diag_count(diag) != errors_before) {
        sweep_destroy(sw);
        return SIM_ESCENARIO;
    }
    *out = sw;
    return SIM_OK;
}

size_t sweep_point_value(const sweep *sw, size_t point, size_t axis)
{
    if (sw->zip) return point;
    size_t stride = 1;
    for (size_t j = axis + 1; j < sw->n_axes; j++) stride *= sw->axes[j].n_values;
    return (point / stride) % sw->axes[axis].n_values;
}

/* ---------------------------------------------------------------- loading points */

/* Rewrites a loader message about override K > n_base ("--set:K:COL: error: ...") to the --vary
 * argument of axis K - n_base - 1, at the value as the user wrote it. NULL when out of memory;
 * the text itself when it is about something else. */
static char *remap_message(const sweep *sw, size_t point, size_t n_base, char *text)
{
    static const char SET[] = "--set:";
    if (strncmp(text, SET, sizeof SET - 1) != 0) return text;
    char *end;
    long k = strtol(text + sizeof SET - 1, &end, 10);
    if (k <= (long)n_base || (size_t)k > n_base + sw->n_axes) return text;
    long c = 0;
    if (*end == ':' && isdigit((unsigned char)end[1])) c = strtol(end + 1, &end, 10);
    size_t axis = (size_t)k - n_base - 1;
    const sweep_axis *a = &sw->axes[axis];
    const sweep_value *v = &a->values[sweep_point_value(sw, point, axis)];
    long key_part = (long)strlen(a->key) + 1; /* "KEY=" is the same in both texts */
    long col = c <= 0 ? 0 : c <= key_part ? c : v->from_range ? v->col : v->col + (c - 1 - key_part);
    char pos[64];
    if (col > 0) snprintf(pos, sizeof pos, "%s:%d:%ld", SWEEP_SOURCE, a->number, col);
    else snprintf(pos, sizeof pos, "%s:%d", SWEEP_SOURCE, a->number);
    size_t n = strlen(pos) + strlen(end) + 1;
    char *out = malloc(n);
    if (!out) return NULL;
    snprintf(out, n, "%s%s", pos, end);
    free(text);
    return out;
}

int sweep_point_load(const sweep *sw, size_t point, const char *file,
                     const char *const *base, size_t n_base, sim_diag *diag, scenario **out)
{
    *out = NULL;
    size_t n = n_base + sw->n_axes;
    const char **ov = malloc(n * sizeof *ov);
    char **own = calloc(sw->n_axes, sizeof *own);
    int rc = ov && own ? SIM_OK : SIM_ENOMEM;
    for (size_t i = 0; i < n_base && !rc; i++) ov[i] = base[i];
    for (size_t j = 0; j < sw->n_axes && !rc; j++) {
        const sweep_axis *a = &sw->axes[j];
        const char *value = a->values[sweep_point_value(sw, point, j)].text;
        size_t len = strlen(a->key) + strlen(value) + 2;
        if (!(own[j] = malloc(len))) {
            rc = SIM_ENOMEM;
            break;
        }
        snprintf(own[j], len, "%s=%s", a->key, value);
        ov[n_base + j] = own[j];
    }
    if (!rc) {
        sim_diag local;
        sim_diag_init(&local);
        local.max_entries = diag->max_entries;
        rc = scenario_load_file(file, ov, n, &local, out);
        for (size_t i = 0; i < local.count; i++) {
            char *t = remap_message(sw, point, n_base, local.entries[i].text);
            if (!t) { /* keep the message as it was rather than lose it */
                rc = rc ? rc : SIM_ENOMEM;
                continue;
            }
            local.entries[i].text = t;
        }
        sim_diag_append(diag, &local);
        sim_diag_fini(&local);
    }
    if (own)
        for (size_t j = 0; j < sw->n_axes; j++) free(own[j]);
    free(own);
    free(ov);
    return rc;
}

/* ---------------------------------------------------------------- validating and running */

typedef struct point_job {
    const sweep *sw;
    const char *file;
    const char *const *base;
    size_t n_base;
    const size_t *points;  /* NULL: every point, in order */
    sim_diag *diags;       /* validation: one per point */
    int *rcs;              /* one per point */
    report *reports;       /* running: one per point */
} point_job;

static int validate_one(void *ctx, uint32_t i, int threads)
{
    point_job *job = ctx;
    scenario *s = NULL;
    job->rcs[i] = sweep_point_load(job->sw, i, job->file, job->base, job->n_base, &job->diags[i], &s);
    scenario_destroy(s);
    return job->rcs[i] == SIM_ENOMEM ? SIM_ENOMEM : SIM_OK;
}

static bool diag_has(const sim_diag *d, const char *text)
{
    for (size_t i = 0; i < d->count; i++)
        if (strcmp(d->entries[i].text, text) == 0) return true;
    return false;
}

int sweep_validate(const sweep *sw, const char *file, const char *const *base, size_t n_base,
                   int threads, sim_diag *diag, size_t *n_bad, size_t *first_bad)
{
    *n_bad = 0;
    *first_bad = 0;
    size_t n = sw->n_points;
    point_job job = {sw, file, base, n_base, NULL, calloc(n, sizeof(sim_diag)),
                     calloc(n, sizeof(int)), NULL};
    int rc = job.diags && job.rcs ? SIM_OK : SIM_ENOMEM;
    if (!rc) {
        for (size_t i = 0; i < n; i++) {
            sim_diag_init(&job.diags[i]);
            job.diags[i].max_entries = diag->max_entries;
        }
        rc = sim_sweep_run((uint32_t)n, threads, validate_one, &job, NULL, NULL);
    }
    for (size_t i = 0; i < n && !rc; i++) {
        if (job.rcs[i] == SIM_OK) continue;
        if (++*n_bad == 1) *first_bad = i;
        for (size_t e = 0; e < job.diags[i].count; e++) {
            if (diag_has(diag, job.diags[i].entries[e].text)) continue;
            sim_diag one = {.entries = &job.diags[i].entries[e], .count = 1};
            sim_diag_append(diag, &one);
        }
        diag->dropped += job.diags[i].dropped;
    }
    if (!rc && *n_bad) rc = job.rcs[*first_bad];
    if (job.diags)
        for (size_t i = 0; i < n; i++) sim_diag_fini(&job.diags[i]);
    free(job.diags);
    free(job.rcs);
    return rc;
}

static int run_one(void *ctx, uint32_t i, int threads)
{
    point_job *job = ctx;
    size_t point = job->points ? job->points[i] : i;
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    int rc = sweep_point_load(job->sw, point, job->file, job->base, job->n_base, &diag, &s);
    sim_diag_fini(&diag);
    if (!rc) rc = run_scenario(s, threads, NULL, &job->reports[i]);
    scenario_destroy(s);
    job->rcs[i] = rc;
    return rc;
}

int sweep_run(const sweep *sw, const char *file, const char *const *base, size_t n_base,
              const size_t *points, size_t n, int threads, report *reports,
              sim_progress_fn progress, void *progress_ctx, size_t *failed)
{
    *failed = 0;
    point_job job = {sw, file, base, n_base, points, NULL, calloc(n ? n : 1, sizeof(int)), reports};
    if (!job.rcs) return SIM_ENOMEM;
    int rc = sim_sweep_run((uint32_t)n, threads, run_one, &job, progress, progress_ctx);
    for (size_t i = 0; i < n && rc; i++)
        if (job.rcs[i]) {
            *failed = points ? points[i] : i;
            break;
        }
    free(job.rcs);
    return rc;
}
