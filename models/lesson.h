/* models/lesson.h — lessons: finding them by topic, and their answer templates.
 *
 * A lesson is one or more scenarios whose `lesson:` blocks share a topic (scenarios/ folder;
 * LESSONS.md's topics). `capsim lesson TOPIC` runs each of them — the file as written, or the
 * configurations of `lesson.runs` (the file with --set overrides) and the points of
 * `lesson.sweep` — and then fills `lesson.answer`, a text whose placeholders name the numbers
 * those runs produced, so that the answer quotes the run, never a constant.
 *
 * Placeholders are `{EXPR}` or `{EXPR:FORMAT}`; `{{` and `}}` are literal braces. EXPR is
 * arithmetic (+ - * / and parentheses; write a minus with spaces around it, since names contain
 * '-') on numbers and references:
 *   RUN.horizon_s, RUN.warmup_s, RUN.replications, RUN.seed   the run's settings
 *   RUN.workload.PATH, RUN.PLATFORM.PATH     a metric of a run, by its JSON path
 *                                            (lambda.cost_usd.total, lambda.ci95.cold_start_ratio;
 *                                            a function of an account:
 *                                            lambda.functions.NAME.throttle_ratio, its ci95
 *                                            lambda.functions.NAME.ci95.throttle_ratio)
 *   RUN.comparison.cheapest, RUN.comparison.fastest   a platform's name (a text: alone)
 *   sweep[V].PLATFORM.PATH                   a metric of the sweep point whose value is V
 *                                            (several axes: V1,V2 in --vary order)
 *   pricing.KEY.PATH                         a rate of the scenario's pricing table, as written in
 *                                            the file (list items as [i]): a rate the table lacks
 *                                            is a gap, rendered as such, not an error
 *   FUNC(PLATFORM.PATH[, PLATFORM.PATH])     over the points of a one-axis sweep: min, max,
 *                                            argmin, argmax (the value, as written, of the point
 *                                            where the metric is lowest/highest: a text; ties
 *                                            go to the lowest), crossing (the axis value where the
 *                                            two metrics' lines cross, by linear interpolation
 *                                            between neighbouring points; none: n/a)
 * RUN is the name of one of lesson.runs, or the scenario's name when it has none.
 * FORMAT: usd ($), % (a ratio as a percentage), s (seconds, minutes or hours), ms, n (a count),
 * x (a ratio as "2.5x"), axis (in the unit of the sweep's values); none: 3 significant digits.
 * The formats are applied by the program (cli/cmd_lesson.c); this module parses and evaluates. */
#ifndef MODELS_LESSON_H
#define MODELS_LESSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum lesson_ref_kind {
    LESSON_REF_RUN,     /* scope: the run's name; path: "lambda.cost_usd.total", "horizon_s" */
    LESSON_REF_POINT,   /* scope: the point's value text; path as for a run */
    LESSON_REF_PRICING, /* path: "lambda.duration.x86_64[0].usd_per_gb_s" */
    LESSON_REF_CALL     /* scope: the function; path (and path2): its arguments */
} lesson_ref_kind;

typedef struct lesson_ref {
    lesson_ref_kind kind;
    char *scope, *path, *path2; /* owned; NULL when not used */
    char *text;                 /* the reference as written, for messages (owned) */
} lesson_ref;

/* What a reference or an expression evaluates to. */
typedef struct lesson_value {
    double number;      /* NaN: nothing behind it (rendered "n/a") */
    const char *text;   /* a text (a platform's name), or NULL: the value is the number */
    bool axis;          /* a value of the sweep's axis, in its base unit (argmin, crossing) */
    char gap[256];      /* not empty: what is missing (a pricing table without the rate) */
} lesson_value;

typedef enum lesson_format {
    LESSON_FMT_DEFAULT, LESSON_FMT_USD, LESSON_FMT_PERCENT, LESSON_FMT_SECONDS, LESSON_FMT_MS,
    LESSON_FMT_COUNT, LESSON_FMT_TIMES, LESSON_FMT_AXIS
} lesson_format;

typedef struct lesson_expr lesson_expr; /* an expression tree */

typedef struct lesson_segment {
    char *text;         /* literal text (braces unescaped), or the placeholder's EXPR as written */
    lesson_expr *expr;  /* NULL for literal text */
    lesson_format format;
} lesson_segment;

typedef struct lesson_template {
    lesson_segment *segs; /* owned */
    size_t n;
} lesson_template;

/* Parses an answer template into *out (zeroed first; free with lesson_template_fini). Returns
 * 0; SIM_EPARSE with one line in why naming the placeholder and the problem; SIM_ENOMEM. */
int lesson_template_parse(const char *text, lesson_template *out, char *why, size_t why_len);
void lesson_template_fini(lesson_template *t);
/* The format's name as written after ':' ("usd", "%"); "" for the default. */
const char *lesson_format_name(lesson_format f);

/* Calls fn on every reference of e, left to right. */
void lesson_expr_each_ref(const lesson_expr *e, void (*fn)(void *ctx, const lesson_ref *ref),
                          void *ctx);

/* Resolves one reference (the caller knows the runs): 0 with *out filled (gap set for a rate
 * the table lacks), or a negative code with one line in why (an unknown run, metric, point). */
typedef int (*lesson_resolve_fn)(void *ctx, const lesson_ref *ref, lesson_value *out, char *why,
                                 size_t why_len);
/* Evaluates e. A text is only allowed alone; arithmetic on it is an error. A gap in any operand
 * makes the result a gap (its number NaN). Returns 0 or the resolver's error (why filled). */
int lesson_expr_eval(const lesson_expr *e, lesson_resolve_fn resolve, void *ctx,
                     lesson_value *out, char *why, size_t why_len);

/* The number written at `key` (dotted, list items as [i]) in the YAML file `path`, such as a
 * pricing table. 0; SIM_EINVAL when the key is absent or its value is not a plain number;
 * SIM_EIO when the file cannot be read or parsed; SIM_ENOMEM. */
int lesson_yaml_number(const char *path, const char *key, double *out);

/* ---- the lessons shipped as scenarios ---- */

/* The folder scenarios are looked up in: $CAPSIM_SCENARIOS_DIR when set and not empty, else
 * those installed with the running binary (<bin>/../share/capsim/scenarios), else the source
 * tree's scenarios/ (models/datadir.h). */
const char *lesson_scenarios_dir(void);

typedef struct lesson_entry {
    char *topic, *question; /* owned; question may be NULL */
    char *file;             /* dir/NAME.yaml (owned) */
    int64_t part;           /* lesson.part, 0 when not set */
} lesson_entry;

typedef struct lesson_index {
    lesson_entry *entries;  /* sorted by topic, then part, then file name (owned) */
    size_t n;
} lesson_index;

/* Reads the `lesson.topic`, `.question` and `.part` of every *.yaml file in dir (without
 * loading the scenarios: a scenario whose data is missing is still listed). Files without a
 * topic, or that are not YAML, are left out. 0; SIM_EIO when dir cannot be read; SIM_ENOMEM. */
int lesson_index_read(const char *dir, lesson_index *out);
void lesson_index_fini(lesson_index *ix);

#endif
