/* models/goal.h — the goals of `capsim optimize`: `METRIC OP VALUE`, and judging a platform by them.
 *
 * A goal is written `latency_s.p99<=2s`, `throttle_ratio<=0.1%` or `lambda.cold_start_ratio<0.01`
 * (blanks around the parts are allowed): METRIC is the dotted path of a metric in a platform's
 * results (docs/results.md), optionally after a platform name, which limits the goal to that
 * platform; OP is one of <= < >= >; VALUE is in the metric's unit:
 *   a metric in seconds (a part ending in _s: latency_s.p99, iterator_age_s.max, queue_s.mean)
 *       takes a duration (2s, 500ms, 1.5min) or a plain number of seconds;
 *   a ratio (a name ending in _ratio) takes a number from 0 to 1 or a percentage (0.1%);
 *   a cost (cost_usd.*) takes a number of dollars, with or without a leading '$';
 *   anything else (counts: failed, throttles, jobs) takes a plain number.
 * Problems are reported at the argument, `--goal:N:COL` (N the --goal's place, from 1).
 *
 * Judging: a goal applies to every platform whose results have its metric (throttle_ratio to
 * Lambda, jobs to Glue and EMR) and is checked on the metric's value (the mean over
 * replications; pooled percentiles for latency). A value that is missing (nothing completed,
 * so no latency) does not meet a goal. Besides the goals, a platform must keep up (not
 * overloaded: models/overload.h) and complete every item (completed = items), as the run's
 * comparison requires of a winner; a goal on failed, dropped or completed replaces the second
 * requirement by what it says. */
#ifndef MODELS_GOAL_H
#define MODELS_GOAL_H

#include <stdbool.h>
#include <stddef.h>

#include "models/report.h"
#include "sim/diag.h"

#define GOAL_SOURCE "--goal"
#define GOAL_OBJECTIVE_SOURCE "--objective"

typedef enum goal_op { GOAL_LE, GOAL_LT, GOAL_GE, GOAL_GT } goal_op;

typedef enum goal_unit { GOAL_UNIT_NUMBER, GOAL_UNIT_SECONDS, GOAL_UNIT_RATIO, GOAL_UNIT_USD } goal_unit;

typedef struct goal {
    char *text;        /* the argument as given (owned) */
    int number;        /* its 1-based place among the --goal options */
    char platform[16]; /* "" for every platform, else the one it is limited to */
    char metric[48];   /* the metric's path inside a platform's results */
    goal_op op;
    double value;      /* in the metric's base unit: seconds, a ratio (0..1), dollars, a number */
    char value_text[48]; /* the value as written, trimmed */
    int metric_col, value_col; /* 1-based columns in text */
} goal;

/* Reasons a platform does not meet the goals other than a goal of the list (goal_judge). */
enum { GOAL_MET = -1, GOAL_OVERLOADED = -2, GOAL_LOST_ITEMS = -3, GOAL_NO_OBJECTIVE = -4 };

/* Parses the --goal arguments into *out (free with goal_free). Returns 0, SIM_ESCENARIO (every
 * problem recorded in diag at --goal:N:COL) or SIM_ENOMEM. */
int goal_parse(const char *const *args, size_t n_args, sim_diag *diag, goal **out);
void goal_free(goal *goals, size_t n);

/* Checks an --objective metric path (what a goal's METRIC may be, without a platform). Returns
 * 0 or SIM_ESCENARIO (recorded in diag at --objective:1:COL). */
int goal_check_objective(const char *metric, sim_diag *diag);

/* The unit of a metric path, from its name (goal.h's first paragraph). */
goal_unit goal_metric_unit(const char *metric);
/* "<=", "<", ">=", ">". */
const char *goal_op_text(goal_op op);
/* Whether value meets the goal (false for NaN). */
bool goal_holds(const goal *g, double value);
/* Whether goal g applies to the platform section sec: it is not limited to another platform
 * and sec has its metric. */
bool goal_applies(const goal *g, const report_section *sec);

/* Judges a platform's section: fills values[i] with goal i's metric (NaN when the goal does not
 * apply) and returns GOAL_MET, the index of the first goal not met, GOAL_OVERLOADED or
 * GOAL_LOST_ITEMS (checked in that order: overload first, then lost items, then the goals). */
int goal_judge(const goal *goals, size_t n, const report_section *sec, double *values);

/* Items a section lost: items - completed (0 when it lacks either). */
double goal_lost_items(const report_section *sec);

/* Writes a goal's value in its unit for people: "2 s", "0.1 %", "$120", "5". */
void goal_format_value(char *buf, size_t len, goal_unit unit, double value);

#endif
