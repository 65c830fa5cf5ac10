/* models/goal.c — parsing goals and judging a platform's results by them (see goal.h). */
#include "models/goal.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/units.h"
#include "sim/error.h"

static const char *const PLATFORMS[] = {"lambda", "glue", "emr"};

const char *goal_op_text(goal_op op)
{
    static const char *const text[] = {"<=", "<", ">=", ">"};
    return text[op];
}

goal_unit goal_metric_unit(const char *metric)
{
    if (strncmp(metric, "cost_usd.", 9) == 0 || strcmp(metric, "cost_usd") == 0)
        return GOAL_UNIT_USD;
    /* a part ending in _s: latency_s.p99, iterator_age_s.max, startup_s.mean */
    for (const char *p = metric; (p = strstr(p, "_s")) != NULL; p += 2)
        if (p[2] == '\0' || p[2] == '.') return GOAL_UNIT_SECONDS;
    const char *last = strrchr(metric, '.');
    last = last ? last + 1 : metric;
    size_t n = strlen(last);
    if (n >= 6 && strcmp(last + n - 6, "_ratio") == 0) return GOAL_UNIT_RATIO;
    return GOAL_UNIT_NUMBER;
}

/* [a-z0-9_] parts separated by single dots. */
static bool metric_path_ok(const char *m)
{
    if (!*m || *m == '.') return false;
    for (const char *p = m; *p; p++) {
        if (*p == '.') {
            if (p[1] == '.' || p[1] == '\0') return false;
        } else if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_')) {
            return false;
        }
    }
    return true;
}

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void gerr(sim_diag *diag, const char *source, int number, int col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sim_diag_error(diag, source, number, col, NULL, "%s", msg);
}

/* Parses VALUE (trimmed) in the unit of the goal's metric. */
static bool parse_value(goal *g, const char *text, sim_diag *diag)
{
    goal_unit unit = goal_metric_unit(g->metric);
    char msg[256];
    size_t n = strlen(text);
    double v;
    if (n == 0) {
        gerr(diag, GOAL_SOURCE, g->number, g->value_col, "%s: no value after '%s'", g->metric,
             goal_op_text(g->op));
        return false;
    }
    switch (unit) {
    case GOAL_UNIT_SECONDS: {
        sim_time_us us;
        if (units_parse_number(text, &v, NULL, 0) == 0) break; /* plain seconds */
        if (units_parse_duration(text, &us, msg, sizeof msg) != 0) {
            gerr(diag, GOAL_SOURCE, g->number, g->value_col, "%s is in seconds: %s", g->metric,
                 msg);
            return false;
        }
        v = (double)us / 1e6;
        break;
    }
    case GOAL_UNIT_RATIO: {
        char num[48];
        bool percent = text[n - 1] == '%';
        snprintf(num, sizeof num, "%.*s", (int)(percent ? n - 1 : n), text);
        if (units_parse_number(num, &v, msg, sizeof msg) != 0) {
            gerr(diag, GOAL_SOURCE, g->number, g->value_col,
                 "%s is a ratio: write a number from 0 to 1 or a percentage like 0.1%%, not '%s'",
                 g->metric, text);
            return false;
        }
        if (percent) v /= 100.0;
        if (v < 0 || v > 1) {
            gerr(diag, GOAL_SOURCE, g->number, g->value_col,
                 "%s is a ratio: '%s' is outside 0..1 (0%%..100%%)", g->metric, text);
            return false;
        }
        break;
    }
    case GOAL_UNIT_USD:
        if (units_parse_number(text[0] == '$' ? text + 1 : text, &v, msg, sizeof msg) != 0) {
            gerr(diag, GOAL_SOURCE, g->number, g->value_col,
                 "%s is in dollars: write a number like 120 or $120.50, not '%s'", g->metric, text);
            return false;
        }
        break;
    default:
        if (units_parse_number(text, &v, msg, sizeof msg) != 0) {
            gerr(diag, GOAL_SOURCE, g->number, g->value_col, "%s is a plain number: %s%s",
                 g->metric, msg,
                 isalpha((unsigned char)text[n - 1]) ? " (only metrics in seconds, named *_s, "
                                                       "take a unit)"
                                                     : "");
            return false;
        }
        break;
    }
    g->value = v;
    snprintf(g->value_text, sizeof g->value_text, "%s", text);
    return true;
}

/* Parses one goal argument; false after recording its problem. */
static bool parse_one(goal *g, const char *arg, sim_diag *diag)
{
    const char *op = strpbrk(arg, "<>");
    const char *eq = strchr(arg, '=');
    if (!op) {
        int col = eq ? (int)(eq - arg) + 1 : 1;
        gerr(diag, GOAL_SOURCE, g->number, col,
             "expected METRIC OP VALUE with OP one of <= < >= >, like latency_s.p99<=2s, got '%s'",
             arg);
        return false;
    }
    if (eq && eq < op) {
        gerr(diag, GOAL_SOURCE, g->number, (int)(eq - arg) + 1,
             "'=' before the comparison: write <=, <, >= or > (like latency_s.p99<=2s)");
        return false;
    }
    size_t op_len = op[1] == '=' ? 2 : 1;
    g->op = op[0] == '<' ? (op_len == 2 ? GOAL_LE : GOAL_LT) : (op_len == 2 ? GOAL_GE : GOAL_GT);
    /* the metric: before the operator, trimmed */
    const char *b = arg, *e = op;
    while (b < e && isspace((unsigned char)*b)) b++;
    while (e > b && isspace((unsigned char)e[-1])) e--;
    g->metric_col = (int)(b - arg) + 1;
    char path[160]; /* lambda.functions.NAME.METRIC */
    if (b == e) {
        gerr(diag, GOAL_SOURCE, g->number, (int)(op - arg) + 1, "no metric before '%.*s'",
             (int)op_len, op);
        return false;
    }
    snprintf(path, sizeof path, "%.*s", (int)(e - b), b);
    const char *metric = path;
    for (size_t i = 0; i < sizeof PLATFORMS / sizeof PLATFORMS[0]; i++) {
        size_t n = strlen(PLATFORMS[i]);
        if (strncmp(path, PLATFORMS[i], n) == 0 && path[n] == '.') {
            snprintf(g->platform, sizeof g->platform, "%s", PLATFORMS[i]);
            metric = path + n + 1;
        }
    }
    if (strncmp(path, "workload.", 9) == 0 || strcmp(path, "workload") == 0) {
        gerr(diag, GOAL_SOURCE, g->number, g->metric_col,
             "goals are on a platform's results, not the workload's (the workload is the same "
             "at every configuration)");
        return false;
    }
    if (!metric_path_ok(metric) || strlen(metric) >= sizeof g->metric) {
        gerr(diag, GOAL_SOURCE, g->number, g->metric_col,
             "'%s' is not a metric path like latency_s.p99 or throttle_ratio (lower-case parts "
             "joined by dots, as in the JSON results)", path);
        return false;
    }
    snprintf(g->metric, sizeof g->metric, "%s", metric);
    const char *v = op + op_len;
    if (*v == '=' || *v == '<' || *v == '>') {
        gerr(diag, GOAL_SOURCE, g->number, (int)(v - arg) + 1,
             "unknown comparison '%.*s%c': use <=, <, >= or >", (int)op_len, op, *v);
        return false;
    }
    while (isspace((unsigned char)*v)) v++;
    g->value_col = (int)(v - arg) + 1;
    char value[64];
    size_t n = strlen(v);
    while (n > 0 && isspace((unsigned char)v[n - 1])) n--;
    if (n >= sizeof value) {
        gerr(diag, GOAL_SOURCE, g->number, g->value_col, "the value is too long");
        return false;
    }
    snprintf(value, sizeof value, "%.*s", (int)n, v);
    return parse_value(g, value, diag);
}

void goal_free(goal *goals, size_t n)
{
    if (!goals) return;
    for (size_t i = 0; i < n; i++) free(goals[i].text);
    free(goals);
}

int goal_parse(const char *const *args, size_t n_args, sim_diag *diag, goal **out)
{
    *out = NULL;
    goal *goals = calloc(n_args ? n_args : 1, sizeof *goals);
    if (!goals) return SIM_ENOMEM;
    size_t before = sim_diag_count(diag);
    for (size_t i = 0; i < n_args; i++) {
        goals[i].number = (int)i + 1;
        if (!(goals[i].text = strdup(args[i]))) {
            goal_free(goals, n_args);
            return SIM_ENOMEM;
        }
        parse_one(&goals[i], args[i], diag);
    }
    if (sim_diag_count(diag) != before) {
        goal_free(goals, n_args);
        return SIM_ESCENARIO;
    }
    *out = goals;
    return SIM_OK;
}

int goal_check_objective(const char *metric, sim_diag *diag)
{
    for (size_t i = 0; i < sizeof PLATFORMS / sizeof PLATFORMS[0]; i++) {
        size_t n = strlen(PLATFORMS[i]);
        if (strncmp(metric, PLATFORMS[i], n) == 0 && metric[n] == '.') {
            gerr(diag, GOAL_OBJECTIVE_SOURCE, 1, 1,
                 "the objective applies to every platform: write '%s', without '%s.'",
                 metric + n + 1, PLATFORMS[i]);
            return SIM_ESCENARIO;
        }
    }
    if (!metric_path_ok(metric) || strlen(metric) >= sizeof((goal *)0)->metric) {
        gerr(diag, GOAL_OBJECTIVE_SOURCE, 1, 1,
             "'%s' is not a metric path like cost_usd.per_month or latency_s.p99", metric);
        return SIM_ESCENARIO;
    }
    return SIM_OK;
}

bool goal_holds(const goal *g, double v)
{
    if (isnan(v)) return false;
    switch (g->op) {
    case GOAL_LE: return v <= g->value;
    case GOAL_LT: return v < g->value;
    case GOAL_GE: return v >= g->value;
    default: return v > g->value;
    }
}

bool goal_applies(const goal *g, const report_section *sec)
{
    if (g->platform[0] && strcmp(g->platform, sec->name) != 0) return false;
    return report_section_find(sec, g->metric) != NULL;
}

double goal_lost_items(const report_section *sec)
{
    const report_metric *items = report_section_find(sec, "items");
    const report_metric *done = report_section_find(sec, "completed");
    if (!items || !done) return 0.0;
    double lost = items->value - done->value;
    return lost > 0 ? lost : 0.0;
}

int goal_judge(const goal *goals, size_t n, const report_section *sec, double *values)
{
    bool losses_allowed = false;
    int first = GOAL_MET;
    for (size_t i = 0; i < n; i++) {
        const goal *g = &goals[i];
        values[i] = NAN;
        if (!goal_applies(g, sec)) continue;
        values[i] = report_section_find(sec, g->metric)->value;
        if (!strcmp(g->metric, "failed") || !strcmp(g->metric, "dropped") ||
            !strcmp(g->metric, "completed"))
            losses_allowed = true;
        if (first == GOAL_MET && !goal_holds(g, values[i])) first = (int)i;
    }
    if (sec->overload.overloaded) return GOAL_OVERLOADED;
    if (!losses_allowed && goal_lost_items(sec) > 0) return GOAL_LOST_ITEMS;
    return first;
}

void goal_format_value(char *buf, size_t len, goal_unit unit, double v)
{
    char num[48];
    if (isnan(v)) {
        snprintf(buf, len, "-");
        return;
    }
    switch (unit) {
    case GOAL_UNIT_SECONDS:
        if (v != 0 && fabs(v) < 1) snprintf(buf, len, "%.4g ms", v * 1e3);
        else if (fabs(v) < 120) snprintf(buf, len, "%.4g s", v);
        else if (fabs(v) < 7200) snprintf(buf, len, "%.4g min", v / 60);
        else snprintf(buf, len, "%.4g h", v / 3600);
        return;
    case GOAL_UNIT_RATIO: snprintf(buf, len, "%.4g %%", v * 100); return;
    case GOAL_UNIT_USD:
        if (fabs(v) >= 100) snprintf(buf, len, "$%.2f", v);
        else snprintf(buf, len, "$%.4g", v);
        return;
    default:
        snprintf(num, sizeof num, "%.6g", v);
        snprintf(buf, len, "%s", num);
        return;
    }
}
