/* cli/optimize.h — the writers of `capsim optimize` (optimize_output.c).
 *
 * They render a finished search (models/optimize.h) as an 80-column table or as one JSON object;
 * both say the same things: the goals and objective, the best configuration as --set arguments
 * and as a YAML snippet with its metrics, its confirmation, the runner-up and why it lost (its
 * cost difference with a 95 % confidence interval, or the goal it misses), the cheapest point
 * that missed a goal, each platform's best, and how many points were simulated against the
 * size of the grids. */
#ifndef CLI_OPTIMIZE_H
#define CLI_OPTIMIZE_H

#include "cli/cli.h"
#include "models/optimize.h"
#include "models/scenario.h"

/* The output in format (table or JSON), malloc'ed; NULL when out of memory. */
char *cli_optimize_render(const optimize *o, const scenario *s, cli_format format);

#endif
