/* models/sweep.h — the points of a parameter sweep, and running them.
 *
 * `capsim sweep FILE --vary KEY=V1,V2,... [--vary ...] [--zip]` varies scenario keys by their
 * dotted paths (the paths of `--set`). Each --vary argument is an axis: KEY, '=', then values
 * separated by commas (commas inside {...}, [...] or quotes belong to the value, so YAML flow
 * values work). A value is passed to the loader as `KEY=VALUE`, exactly like `--set`, so it gets
 * the file's parsing and checks; a problem is reported at the --vary argument: `--vary:N:COL`,
 * N the argument's 1-based index among the --vary options, COL the column in its text.
 *
 * A value may be a range `A..B:STEP` (A starting with a digit or '-'):
 *   A..B:xK   geometric: A, A*K, A*K^2, ... (K > 0, K != 1; A and B above 0)
 *   A..B:+S   arithmetic: A, A+S, A+2S, ... up to B;  A..B:-S counts down from A to B
 * A and B are numbers, durations, sizes or rates of one kind (128MB..3GB is fine, 1s..3GB is
 * not); S is of the same kind, or a plain number in A's unit (128MB..3008MB:+128 steps 128MB).
 * Each value is computed from A (A*K^i, A+i*S: no accumulated rounding) and written in A's unit
 * (128MB..3008MB:x2 gives 128MB 256MB ... 2048MB), with 12 significant digits (durations: whole
 * microseconds). B is included when a value lands on it within a relative 1e-9 (of B for
 * geometric ranges, of the step for arithmetic ones), and that value is written as B; otherwise
 * the range stops at its last value before B. A range that is empty (A above B counting up, or
 * below it counting down), infinite (x1, +0, a factor that moves away from B, a geometric range
 * through 0), without a step, or mixing kinds is an error at its position.
 *
 * Several --vary form a grid, the first --vary varying slowest (row-major: point order is the
 * order of nested loops written in --vary order); with zip the axes are paired value by value
 * and must have the same number of values. A sweep has at most SWEEP_MAX_POINTS points. Seed,
 * replications and name cannot be varied: every point runs the same replications of the same
 * seed, so every point sees the same random numbers (common random numbers). */
#ifndef MODELS_SWEEP_H
#define MODELS_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/report.h"
#include "models/scenario.h"
#include "sim/diag.h"
#include "sim/sweep.h"

#define SWEEP_MAX_POINTS 100000
#define SWEEP_SOURCE "--vary" /* the file name of positions in --vary arguments */

typedef struct sweep_value {
    char *text;      /* as given to the loader: "256MB" (owned) */
    int col;         /* 1-based column in the --vary argument: the value's, or its range's start */
    bool from_range; /* computed from a range (so its text is not in the argument) */
} sweep_value;

typedef struct sweep_axis {
    char *key;           /* "lambda.memory" (owned) */
    char *arg;           /* the --vary argument as given (owned) */
    int number;          /* its 1-based place among the --vary options: positions --vary:N:COL */
    sweep_value *values; /* owned */
    size_t n_values;
} sweep_axis;

typedef struct sweep {
    sweep_axis *axes; /* owned, in --vary order */
    size_t n_axes;
    bool zip;
    size_t n_points;  /* 1..SWEEP_MAX_POINTS */
} sweep;

/* Parses the --vary arguments into *out (free with sweep_destroy). Returns 0; SIM_ESCENARIO
 * when any argument is wrong (every problem recorded in diag as --vary:N:COL); SIM_ENOMEM. */
int sweep_parse(const char *const *args, size_t n_args, bool zip, sim_diag *diag, sweep **out);
/* The same for some of the --vary arguments (capsim optimize parses each platform's apart):
 * numbers[j] is the 1-based place of args[j] among all the --vary options, used in positions. */
int sweep_parse_numbered(const char *const *args, const int *numbers, size_t n_args, bool zip,
                         sim_diag *diag, sweep **out);
void sweep_destroy(sweep *sw);

/* The index into axis `axis`'s values of the value point `point` takes. */
size_t sweep_point_value(const sweep *sw, size_t point, size_t axis);

/* Loads point `point`: the file with the base overrides (the user's --set, -s, -r: positions
 * --set:N:COL) and then the point's KEY=VALUE for every axis. Problems go to diag with the
 * point's own values reported at their --vary argument. Returns what scenario_load_file does. */
int sweep_point_load(const sweep *sw, size_t point, const char *file,
                     const char *const *base, size_t n_base, sim_diag *diag, scenario **out);

/* Loads every point to check it, on up to `threads` threads. Every distinct problem is recorded
 * once in diag, in point order. Returns 0, SIM_ESCENARIO (*n_bad points invalid, the first
 * being *first_bad), SIM_EIO or SIM_ENOMEM. */
int sweep_validate(const sweep *sw, const char *file, const char *const *base, size_t n_base,
                   int threads, sim_diag *diag, size_t *n_bad, size_t *first_bad);

/* Runs the points points[0..n) (indices into the sweep), each loaded as sweep_point_load does and
 * simulated by run_scenario into reports[i] (report_init'ed by the caller), on up to `threads`
 * threads (sim_sweep_run; progress as there). Returns 0 or the error of the lowest failing
 * point, whose index goes to *failed. */
int sweep_run(const sweep *sw, const char *file, const char *const *base, size_t n_base,
              const size_t *points, size_t n, int threads, report *reports,
              sim_progress_fn progress, void *progress_ctx, size_t *failed);

/* A numeric --vary value (a number, duration, size or rate) in base units — the number; us; MB;
 * per second — or false when the text is not one. */
bool sweep_value_base(const char *text, double *base);
/* Writes `base` (base units) in the unit of `like`, a numeric value ("2/min", "512MB"), rounded
 * to `digits` significant digits (1..12; durations also to whole microseconds). */
void sweep_value_format(char *buf, size_t len, const char *like, double base, int digits);

#endif
