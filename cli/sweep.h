/* cli/sweep.h — a sweep's results as the writers see them, and the shard file format.
 *
 * `capsim sweep` fills a cli_sweep from the points it ran; `capsim merge` fills one from shard
 * files. The writers render only this structure, so a merge prints, byte for byte, what the
 * unsharded sweep prints.
 *
 * A shard file (`--shard I/N`) is one JSON object: {"capsim": VERSION, "kind": "capsim-sweep-
 * shard", "shard": {"index": I, "count": N}, "sweep": IDENTITY, "points": [...]}. IDENTITY is what
 * every shard of one sweep has in common — scenario name, a digest of the effective scenario
 * (file and --set), seed, replications, horizon, warmup, month, the --set/-s/-r overrides, the
 * --vary arguments with their values, zip, and the number of points — so that merge can refuse
 * shards of different sweeps. A point is {"index": P, "values": [...], "sections": [{"name",
 * "note", "metrics": [[PATH, "count"|"real", VALUE, CI95 or null], ...]}]}, numbers written with
 * 17 significant digits (non-finite ones as "nan", "inf", "-inf"), so they read back to the
 * same bits. */
#ifndef CLI_SWEEP_H
#define CLI_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cli/cli.h"
#include "models/report.h"

#define CLI_SHARD_KIND "capsim-sweep-shard"

typedef struct cli_sweep_axis {
    char *key, *arg; /* "lambda.memory", the --vary argument (owned) */
    char **values;   /* owned */
    size_t n_values;
} cli_sweep_axis;

typedef struct cli_sweep_point {
    size_t index;  /* in the whole sweep */
    char **values; /* one per axis (owned) */
    report r;
} cli_sweep_point;

typedef struct cli_sweep {
    char *scenario, *digest; /* owned */
    uint64_t seed;
    int64_t replications, horizon_us, warmup_us, month_us;
    char **sets; /* the overrides every point had: --set, then -s/-r (owned) */
    size_t n_sets;
    cli_sweep_axis *axes;
    size_t n_axes;
    bool zip;
    size_t n_points;              /* of the whole sweep */
    size_t shard_index, shard_count; /* 1..N of N; 0 of 0 when this is the whole sweep */
    cli_sweep_point *points;      /* the points present, by increasing index (owned) */
    size_t n_present;
} cli_sweep;

void cli_sweep_fini(cli_sweep *sw);

/* The writers' view of a sweep that ran (cmd_sweep.c): its identity — s is the scenario loaded
 * with the overrides sets[0..n_sets) every point had — and the points points[0..n) with their
 * reports, moved out of reports[] (left report_init'ed). shard_count 0: the whole sweep.
 * SIM_OK or SIM_ENOMEM (then free out with cli_sweep_fini all the same). */
struct sweep; /* models/sweep.h */
int cli_sweep_build(const char *const *sets, size_t n_sets, const scenario *s,
                    const struct sweep *sw, const size_t *points, size_t n, report *reports,
                    size_t shard_index, size_t shard_count, cli_sweep *out);

/* The sweep's output in a format (table, JSON, CSV), malloc'ed; NULL when out of memory
 * (sweep_output.c). */
char *cli_sweep_render(const cli_sweep *sw, cli_format format);

/* Shard files (sweep_shard.c). */
/* The shard file of sw (shard_count > 0), malloc'ed; NULL when out of memory. */
char *cli_sweep_shard_text(const cli_sweep *sw);
/* The identity object of sw (new reference; NULL when out of memory). */
json_t *cli_sweep_identity(const cli_sweep *sw);

/* A report's sections (workload, then each platform) as a lossless JSON list, as in a shard
 * file's points (new reference; NULL when out of memory). MPI ranks send reports this way. */
json_t *cli_report_sections_json(const report *r);
/* Reads such a list into r (report_init'ed). Returns 0; -1 when damaged (why goes to stderr as
 * WHAT: error: ...); -2 when out of memory. */
int cli_report_sections_read(json_t *sections, const char *what, report *r);

/* Reads a shard file written by cli_sweep_shard_text into *out (zeroed first; free with
 * cli_sweep_fini). Returns CLI_EXIT_OK, CLI_EXIT_IO (cannot read), CLI_EXIT_SCENARIO (not a
 * shard file, or a damaged one: why goes to stderr as FILE[:LINE:COL]: error: ...) or
 * CLI_EXIT_RUNTIME (out of memory). *identity receives the file's identity object. */
int cli_sweep_shard_read(const char *path, cli_sweep *out, json_t **identity);

#endif
