/* cli/cmd_merge.c — `capsim merge FILE...`: the shard files of a sweep into the whole sweep.
 *
 * The shards must fit together before anything is printed: the same sweep (same identity: the
 * scenario and its digest, seed, replications, overrides, --vary arguments and values, zip,
 * point count), split the same way (the same N), every shard 1..N given exactly once, each
 * holding exactly its points. Then the points are put back in order and rendered by the sweep's
 * own writers, so the output is byte for byte what the unsharded sweep prints.
 *
 * Exit codes: 4 a file cannot be read; 3 a file is not a shard of this capsim version, or is
 * damaged (wrong JSON, missing fields, a shard without all its points); 2 the files do not fit
 * together (shards of different sweeps or splits, a shard missing or given twice) — the files
 * are fine, the command line is wrong. Every problem is printed before exiting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/sweep.h"

/* The first key of the identity whose value differs ("seed"), for the message. */
static const char *first_difference(json_t *a, json_t *b)
{
    const char *key;
    json_t *value;
    json_object_foreach(a, key, value) {
        if (!json_equal(value, json_object_get(b, key))) return key;
    }
    return "?";
}

/* Points of shard `index` (1-based) of `count` in a sweep of `total` points. */
static size_t shard_size(size_t index, size_t count, size_t total)
{
    return index - 1 < total ? (total - (index - 1) + count - 1) / count : 0;
}

int cli_cmd_merge(const cli_options *opt)
{
    size_t n = opt->n_files;
    cli_sweep *shards = calloc(n, sizeof *shards);
    json_t **ids = calloc(n, sizeof *ids);
    const char **owner = NULL; /* owner[I-1]: the file holding shard I */
    cli_sweep whole = {0};
    char *text = NULL;
    int code = CLI_EXIT_OK;
    if (!shards || !ids) goto oom;

    for (size_t i = 0; i < n; i++) {
        int c = cli_sweep_shard_read(opt->files[i], &shards[i], &ids[i]);
        if (c > code) code = c; /* I/O (4) over damaged (3) */
    }
    if (code) goto done;

    /* One sweep, split one way. */
    size_t count = shards[0].shard_count;
    for (size_t i = 1; i < n; i++) {
        if (!json_equal(ids[i], ids[0])) {
            const char *what = first_difference(ids[0], ids[i]);
            fprintf(stderr, "%s: error: a shard of another sweep than %s (%s%s%s)\n",
                    opt->files[i], opt->files[0], strcmp(what, "digest") == 0 ? "" : "'",
                    strcmp(what, "digest") == 0 ? "the scenario file differs" : what,
                    strcmp(what, "digest") == 0 ? "" : "' differs");
            code = CLI_EXIT_USAGE;
        } else if (shards[i].shard_count != count) {
            fprintf(stderr, "%s: error: shard %zu/%zu, but %s is shard %zu/%zu: the sweep was "
                    "split two ways\n", opt->files[i], shards[i].shard_index,
                    shards[i].shard_count, opt->files[0], shards[0].shard_index, count);
            code = CLI_EXIT_USAGE;
        }
    }
    if (code) goto done;

    /* Every shard exactly once, each with exactly its points. */
    size_t total = shards[0].n_points;
    if (!(owner = calloc(count, sizeof *owner))) goto oom;
    for (size_t i = 0; i < n; i++) {
        const cli_sweep *s = &shards[i];
        if (owner[s->shard_index - 1]) {
            fprintf(stderr, "%s: error: shard %zu/%zu again (%s is that shard too)\n",
                    opt->files[i], s->shard_index, count, owner[s->shard_index - 1]);
            code = CLI_EXIT_USAGE;
            continue;
        }
        owner[s->shard_index - 1] = opt->files[i];
        bool ok = s->n_present == shard_size(s->shard_index, count, total);
        for (size_t k = 0; ok && k < s->n_present; k++)
            ok = s->points[k].index % count == s->shard_index - 1;
        if (!ok) {
            fprintf(stderr, "%s: error: shard %zu/%zu should hold exactly the %zu points p with "
                    "p mod %zu = %zu (it holds %zu points): the file is damaged\n", opt->files[i],
                    s->shard_index, count, shard_size(s->shard_index, count, total), count,
                    s->shard_index - 1, s->n_present);
            if (code < CLI_EXIT_SCENARIO) code = CLI_EXIT_SCENARIO;
        }
    }
    size_t missing = 0;
    for (size_t k = 0; k < count; k++) missing += !owner[k];
    if (missing) {
        fprintf(stderr, "capsim merge: error: %zu of the %zu shards %s missing:", missing, count,
                missing == 1 ? "is" : "are");
        size_t shown = 0;
        for (size_t k = 0; k < count && shown < 20; k++)
            if (!owner[k]) fprintf(stderr, "%s %zu/%zu", shown++ ? "," : "", k + 1, count);
        fprintf(stderr, "%s (give every shard file of the sweep)\n", missing > shown ? ", ..." : "");
        if (!code) code = CLI_EXIT_USAGE;
    }
    if (code) goto done;

    /* The whole sweep: the identity of the first shard, the points of all in order. */
    whole = shards[0];
    whole.points = NULL;
    whole.n_present = 0;
    whole.shard_index = whole.shard_count = 0;
    cli_sweep *first = &shards[0];
    cli_sweep_point *first_points = first->points;
    size_t first_n = first->n_present;
    memset(first, 0, sizeof *first);
    first->points = first_points;
    first->n_present = first_n;
    if (!(whole.points = calloc(total ? total : 1, sizeof *whole.points))) goto oom;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < shards[i].n_present; k++)
            whole.points[shards[i].points[k].index] = shards[i].points[k];
        shards[i].n_present = 0; /* moved */
    }
    whole.n_present = total;
    text = cli_sweep_render(&whole, opt->format);
    if (!text) goto oom;
    static const char *const names[] = {"sweep.txt", "sweep.json", "sweep.csv"};
    if (opt->out_dir && (code = cli_out_dir_create(opt->out_dir))) goto done;
    code = cli_emit(opt->out_dir, names[opt->format], text);
    if (!code && opt->out_dir && !opt->quiet)
        fprintf(stderr, "capsim: wrote %s/%s\n", opt->out_dir, names[opt->format]);
    goto done;
oom:
    fprintf(stderr, "capsim: out of memory\n");
    code = CLI_EXIT_RUNTIME;
done:
    free(text);
    cli_sweep_fini(&whole);
    for (size_t i = 0; shards && i < n; i++) cli_sweep_fini(&shards[i]);
    for (size_t i = 0; ids && i < n; i++) json_decref(ids[i]);
    free(shards);
    free(ids);
    free(owner);
    return code;
}
