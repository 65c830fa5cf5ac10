/* cli/mpi.h — points on MPI ranks, in the optional MPI build (cmake -DCAPSIM_MPI=ON).
 *
 * Run under mpiexec, every rank parses the same command line. Rank 0 runs the command; the
 * other ranks only simulate points: rank 0 hands out one point at a time to whichever rank is
 * free (a point is its text: its platforms and its KEY=VALUE overrides, models/point.h), the
 * rank runs it on its -j threads and sends its report back losslessly (the sections of a shard
 * file, cli/sweep.h), and rank 0 stores it in the point's slot. Whatever is printed is rendered
 * from the slots in point order, so the output is byte for byte the single process's. The
 * other ranks print nothing (their output goes to /dev/null): rank 0 reports every problem.
 * `capsim sweep` and `capsim optimize` send their points this way; other commands run on rank
 * 0 alone. Outside mpiexec (one rank) everything runs in the process, on threads.
 *
 * Without CAPSIM_MPI the functions below are stand-ins for a single process. */
#ifndef CLI_MPI_H
#define CLI_MPI_H

#include <stddef.h>

#include "cli/cli.h"
#include "models/point.h"
#include "models/report.h"
#include "sim/sweep.h"

#ifdef CAPSIM_MPI
/* MPI_Init; returns this process' rank. Ranks above 0 send their stdout and stderr to
 * /dev/null. */
int cli_mpi_start(int *argc, char ***argv);
/* The number of ranks (1 outside mpiexec). */
int cli_mpi_size(void);
/* Ranks above 0: simulates the points rank 0 sends (with opt's scenario FILE, overrides and
 * threads) until told to stop. Returns an exit code. */
int cli_mpi_serve(const cli_options *opt);
/* Rank 0: tells the other ranks to stop, then MPI_Finalize. */
void cli_mpi_finish(void);
/* Rank 0: runs points[0..n) on the other ranks into reports[0..n), progress after each point
 * as sim_sweep_run calls it. Returns 0 or the error of the lowest failing point (*failed). */
int cli_mpi_run_points(const point_spec *points, size_t n, report *reports,
                       sim_progress_fn progress, void *progress_ctx, size_t *failed);
#else
static inline int cli_mpi_start(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}
static inline int cli_mpi_size(void) { return 1; }
static inline int cli_mpi_serve(const cli_options *opt)
{
    (void)opt;
    return CLI_EXIT_OK;
}
static inline void cli_mpi_finish(void) {}
static inline int cli_mpi_run_points(const point_spec *points, size_t n, report *reports,
                                     sim_progress_fn progress, void *progress_ctx, size_t *failed)
{
    (void)points;
    (void)n;
    (void)reports;
    (void)progress;
    (void)progress_ctx;
    *failed = 0;
    return -1;
}
#endif

#endif
