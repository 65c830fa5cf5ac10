/* models/optimize.h — the search of `capsim optimize`: the configuration with the best objective
 * (the lowest cost per month by default) that meets every goal (models/goal.h).
 *
 * Decision variables. The --vary arguments (the syntax of `capsim sweep`) are the candidate
 * values of a platform's keys: `lambda.` keys are Lambda's, `glue.` Glue's, `emr.` EMR's; other
 * keys (the workload, pricing, seed) are not decisions and are refused. Each platform is
 * searched on its own grid of its own keys, simulated alone: its results do not depend on the
 * other platforms (common random numbers, models/point.h), so a grid of Lambda's keys times
 * Glue's is never needed. A platform of the scenario that no --vary names is one point, its
 * setting as written. The answer is the best configuration over every platform searched.
 *
 * Probe. The first point of each platform's grid runs first: it says which goals the platform's
 * results have (a goal on cold starts does not bind Glue), and a metric that no platform
 * reports is an error at once (exit 3), not after a search.
 *
 * Search. Some keys are capacity: more of them makes a performance goal (latency_s, throttles,
 * failed items, iterator age, ...: a goal that a metric stays below a bound) easier to meet —
 * lambda.memory (shorter runs, up to the vCPU limit), lambda.concurrency.provisioned (fewer
 * cold starts), reserved and account_limit (fewer throttles), kinesis.shards and
 * parallelization_factor, sqs.max_concurrency, glue.workers, glue.max_concurrent_runs,
 * emr.core_nodes, emr.serverless.workers (cold starts fall with memory and provisioned
 * concurrency only). When every goal the platform's results have is of that kind for the key,
 * and every value of the key is a number, the key is searched by bracketing, its values taken in increasing
 * order; every other key (worker or instance type, batch size, trigger period, a schedule) has
 * every value tried. For each combination of the tried keys:
 *   1. Frontier: the longest capacity axis is searched, for each setting of the other capacity
 *      axes taken from the most capacity down, for the smallest value that meets the goals:
 *      first the smallest value not ruled out (monotonicity: never below the answer of a
 *      setting with more capacity), then values 1, 3, 7, 15, ... steps above it up to the
 *      largest (galloping: answers that move a little from line to line cost a few points;
 *      when even the largest does not meet the goals, nor does any line with less capacity),
 *      then bisection between the last that did not and the first that did.
 *   2. Refinement: from the two best points of the frontier, a walk to the best neighbour (one
 *      step up or down one capacity axis, among points not ruled out) as long as it improves
 *      the objective: cost is not monotone in capacity (provisioned concurrency that is well
 *      used costs less than on-demand), so the best point may lie beyond the frontier.
 * This finds the best point when meeting the goals is monotone in capacity and the objective is
 * unimodal along each capacity axis; it assumes both (said in the output). With other goals
 * (a cost bound, a >= on a ratio) no key is bracketed and every point of the grid is simulated.
 * Points already simulated are never simulated again. All the searches advance together in
 * rounds: each round's points run as one batch through the caller's runner (in parallel, or on
 * MPI ranks), and everything depends only on the results, so the answer, and the points
 * simulated, are the same for any -j.
 *
 * Confirmation. The best and the runner-up (the next best point meeting the goals, on any
 * platform) are run K more times (default 3) with seeds SEED+1..SEED+K, each run as `capsim run
 * -s SEED+k` would, so that every candidate sees the same random numbers in run k: the difference
 * of their objectives is paired run by run, and its 95 % confidence interval (Student t over
 * the K+1 runs, the search's run included) says whether the choice is more than noise. A
 * candidate is confirmed when the mean over the K+1 runs of each goal's metric meets the goal
 * and no run is overloaded or loses items; one that is not is replaced by the next best, up to
 * OPTIMIZE_MAX_CONFIRMED candidates in all. The confirmed candidates are ranked by their mean
 * objective, which may reverse the search's order (said in the output). */
#ifndef MODELS_OPTIMIZE_H
#define MODELS_OPTIMIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/goal.h"
#include "models/point.h"
#include "models/scenario.h"
#include "models/sweep.h"
#include "sim/diag.h"

#define OPTIMIZE_DEFAULT_OBJECTIVE "cost_usd.per_month"
#define OPTIMIZE_DEFAULT_CONFIRM_RUNS 3
#define OPTIMIZE_MAX_CONFIRM_RUNS 100
#define OPTIMIZE_MAX_CONFIRMED 6
#define OPTIMIZE_MAX_PLATFORMS 3

typedef struct optimize_axis {
    const sweep_axis *axis; /* key, --vary argument and values, in the platform's grid */
    bool bracketed;         /* searched by bracketing (a capacity key); else every value tried */
    size_t *by_rank;        /* bracketed: value indices from the least capacity to the most */
    size_t *rank;           /* bracketed: the rank of each value index */
} optimize_axis;

/* A point simulated during the search. */
typedef struct optimize_eval {
    size_t point;         /* in its platform's grid */
    size_t seq;           /* when: 0 for the first point simulated (over every platform) */
    int verdict;          /* GOAL_MET, the index of the first goal not met, GOAL_OVERLOADED,
                             GOAL_LOST_ITEMS or GOAL_NO_OBJECTIVE */
    double objective;     /* NaN when the platform has no such metric */
    double lost;          /* items not completed */
    double *goal_values;  /* per goal: the metric's value, NaN where the goal does not apply */
} optimize_eval;

typedef struct opt_task opt_task; /* one combination of the tried keys (optimize.c) */

typedef struct optimize_platform {
    char name[16];
    unsigned bit;           /* POINT_* */
    sweep *grid;            /* its --vary axes as a grid; NULL when not varied (one point) */
    optimize_axis *axes;    /* one per axis of grid */
    size_t n_axes;
    size_t n_points;        /* of the grid (1 when not varied) */
    optimize_eval **evals;  /* per point: NULL until simulated */
    bool *pending;          /* per point: in the batch being built */
    size_t n_evaluated;
    size_t search_axis;     /* the bracketed axis searched for its smallest value (n_axes: none) */
    size_t *others;         /* the other bracketed axes, in --vary order */
    size_t n_others;
    size_t n_lines;         /* settings of the other bracketed axes */
    opt_task *tasks;
    size_t n_tasks;
    bool *goal_metrics;     /* per goal: its results have the goal's metric (first round) */
    bool has_objective;     /* its results have the objective's metric */
} optimize_platform;

/* A candidate run again (or, without confirmation, only its search run). */
typedef struct optimize_candidate {
    size_t platform;        /* index into platforms */
    const optimize_eval *search;
    size_t n_runs;          /* 1 + confirmation runs; run k had seed SEED+k */
    double *objective;      /* per run */
    double *goal_means;     /* per goal: the mean over runs, NaN where it does not apply */
    double *goal_ci95;      /* per goal: Student-t half-width over runs (NaN with one run) */
    double objective_mean, objective_ci95;
    size_t runs_overloaded, runs_losing; /* runs overloaded, runs that lost items (not allowed) */
    int verdict;            /* GOAL_MET (confirmed) or why not: goal index on the means,
                               GOAL_OVERLOADED, GOAL_LOST_ITEMS */
} optimize_candidate;

typedef struct optimize {
    /* what was asked */
    const char *file;
    const char *const *base; /* the user's overrides: --set, then -s/-r */
    size_t n_base;
    const goal *goals;
    size_t n_goals;
    char objective[48];
    int confirm_runs;
    uint64_t seed;
    int64_t replications;
    /* the search */
    optimize_platform platforms[OPTIMIZE_MAX_PLATFORMS];
    size_t n_platforms;
    double sweep_points;    /* what `capsim sweep` of the same --vary would simulate */
    struct optimize_ref { size_t platform, point; } *order; /* points in the order simulated */
    size_t n_simulated;
    size_t n_rounds;
    size_t n_confirm_runs;
    /* the answer */
    struct optimize_ref *ranked; /* points meeting the goals, best objective first */
    size_t n_ranked;
    optimize_candidate *candidates; /* in the order confirmed */
    size_t n_candidates;
    int best, runner_up;    /* indices into candidates; -1: none */
    bool reversed;          /* the confirmation ranked them otherwise than the search */
} optimize;

/* Sets up the search: splits the --vary arguments by platform (errors at --vary:N:COL; a key of
 * no platform is an error), parses each platform's grid and decides which keys are bracketed.
 * base_scn is the scenario loaded with the base overrides (its platforms, seed, replications).
 * goals, file and base must outlive *out. Returns 0, SIM_ESCENARIO (problems in diag) or
 * SIM_ENOMEM. */
int optimize_create(const scenario *base_scn, const char *file, const char *const *base,
                    size_t n_base, const char *const *varies, size_t n_varies, const goal *goals,
                    size_t n_goals, const char *objective, int confirm_runs, sim_diag *diag,
                    optimize **out);
void optimize_destroy(optimize *o);

/* Loads every point of every platform's grid to check it (like sweep_validate). Returns 0 or
 * SIM_ESCENARIO with the problems in diag and the first bad point described in bad ("lambda.memory=
 * 64MB, ...") and *n_bad the number of bad points; SIM_EIO, SIM_ENOMEM. */
int optimize_validate(const optimize *o, int threads, sim_diag *diag, size_t *n_bad, char *bad,
                      size_t bad_len);

/* Runs the probe, the search and the confirmation, every batch through run(ctx, ...). Returns
 * 0, the runner's error, or SIM_ESCENARIO when a goal's or the objective's metric is reported
 * by no platform searched (found by the probe; in diag). */
int optimize_run(optimize *o, point_runner_fn run, void *ctx, sim_diag *diag);

/* The value of axis `axis` at point `point` of platform pf. */
const char *optimize_value(const optimize_platform *pf, size_t point, size_t axis);
/* The number of points of every platform's grid. */
size_t optimize_grid_points(const optimize *o);
/* A rough guess of the points the search and confirmation will simulate, for a progress bar:
 * 0 until the probe has run, then per combination of tried keys about two points
 * per line, two per bisection step and two per bracketed axis for the walk, at most the grid. */
size_t optimize_estimate_points(const optimize *o);

#endif
