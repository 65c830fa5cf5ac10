/* cli/mpi.c — points on MPI ranks (see mpi.h). Built only with -DCAPSIM_MPI=ON.
 *
 * Messages (MPI_BYTE, MPI_COMM_WORLD):
 *   rank 0 -> rank r, TAG_WORK:   "INDEX\0PLATFORMS\0KEY=VALUE\0KEY=VALUE\0..."
 *   rank r -> rank 0, TAG_RESULT: "INDEX\0RC\0SECTIONS" (SECTIONS: cli_report_sections_json,
 *                                 numbers with 17 digits, so they read back to the same bits)
 *   rank 0 -> rank r, TAG_STOP:   empty; the rank finalizes and exits.
 * Rank 0 keeps every other rank busy with one point at a time and gives the next point to the
 * first rank that answers, so slow points do not hold fast ones back. The threads of a rank
 * (OpenMP, the progress bar) never call MPI: MPI_THREAD_FUNNELED is enough. */
#include "cli/mpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <mpi.h>

#include "cli/sweep.h"
#include "sim/error.h"

enum { TAG_WORK = 1, TAG_RESULT = 2, TAG_STOP = 3 };

static int mpi_rank = 0, mpi_size = 1;

int cli_mpi_start(int *argc, char ***argv)
{
    int provided;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &mpi_size);
    if (mpi_rank > 0) { /* rank 0 says everything there is to say */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) {
            /* nothing to report it on; the rank still serves */
        }
    }
    return mpi_rank;
}

int cli_mpi_size(void)
{
    return mpi_size;
}

void cli_mpi_finish(void)
{
    for (int r = 1; r < mpi_size; r++) MPI_Send(NULL, 0, MPI_BYTE, r, TAG_STOP, MPI_COMM_WORLD);
    MPI_Finalize();
}

/* Receives a whole message of `tag` from `source` (MPI_ANY_SOURCE allowed) as a NUL-terminated
 * buffer (malloc'ed; NULL when out of memory, the message then dropped). */
static char *receive(int source, int tag, int *from, int *len)
{
    MPI_Status st;
    MPI_Probe(source, tag, MPI_COMM_WORLD, &st);
    MPI_Get_count(&st, MPI_BYTE, len);
    char *buf = malloc((size_t)*len + 1);
    MPI_Recv(buf ? buf : NULL, buf ? *len : 0, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG,
             MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (buf) buf[*len] = '\0';
    *from = st.MPI_SOURCE;
    return buf;
}

/* ---------------------------------------------------------------- the other ranks */

static int serve_one(const cli_options *opt, char *msg, int len, int *index, char **reply,
                     size_t *reply_len)
{
    /* INDEX\0PLATFORMS\0OVERRIDES... */
    char *end = msg + len, *p = msg;
    *index = atoi(p);
    p += strlen(p) + 1;
    if (p >= end) return SIM_EINVAL;
    point_spec spec = {NULL, 0, (unsigned)strtoul(p, NULL, 10)};
    p += strlen(p) + 1;
    size_t cap = 0;
    for (char *q = p; q < end; q += strlen(q) + 1) cap++;
    spec.overrides = calloc(cap ? cap : 1, sizeof *spec.overrides);
    if (!spec.overrides) return SIM_ENOMEM;
    for (char *q = p; q < end; q += strlen(q) + 1) spec.overrides[spec.n_overrides++] = q;
    report r;
    report_init(&r);
    int rc = point_run(opt->file, opt->overrides, opt->n_overrides, &spec, opt->threads, &r);
    free(spec.overrides);
    char *json = NULL;
    if (!rc) {
        json_t *sections = cli_report_sections_json(&r);
        json = sections ? json_dumps(sections, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
        json_decref(sections);
        if (!json) rc = SIM_ENOMEM;
    }
    report_fini(&r);
    char head[64];
    int n = snprintf(head, sizeof head, "%d%c%d%c", *index, '\0', rc, '\0');
    size_t body = json ? strlen(json) : 0;
    *reply = malloc((size_t)n + body + 1);
    if (!*reply) {
        free(json);
        return SIM_ENOMEM;
    }
    memcpy(*reply, head, (size_t)n);
    if (json) memcpy(*reply + n, json, body);
    *reply_len = (size_t)n + body;
    free(json);
    return SIM_OK;
}

int cli_mpi_serve(const cli_options *opt)
{
    for (;;) {
        MPI_Status st;
        MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG == TAG_STOP) {
            MPI_Recv(NULL, 0, MPI_BYTE, 0, TAG_STOP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            break;
        }
        int from, len, index = -1;
        char *msg = receive(0, st.MPI_TAG, &from, &len), *reply = NULL;
        size_t reply_len = 0;
        int rc = msg ? serve_one(opt, msg, len, &index, &reply, &reply_len) : SIM_ENOMEM;
        if (rc) { /* cannot even answer properly: say the point failed */
            char head[64];
            int n = snprintf(head, sizeof head, "%d%c%d%c", index, '\0', rc, '\0');
            MPI_Send(head, n, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
        } else {
            MPI_Send(reply, (int)reply_len, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
        }
        free(msg);
        free(reply);
    }
    MPI_Finalize();
    return CLI_EXIT_OK;
}

/* ---------------------------------------------------------------- rank 0 */

static int send_point(int rank, size_t index, const point_spec *p)
{
    size_t len = 64;
    for (size_t i = 0; i < p->n_overrides; i++) len += strlen(p->overrides[i]) + 1;
    char *buf = malloc(len);
    if (!buf) return SIM_ENOMEM;
    int at = snprintf(buf, 64, "%zu%c%u%c", index, '\0', p->platforms, '\0');
    for (size_t i = 0; i < p->n_overrides; i++) {
        size_t n = strlen(p->overrides[i]) + 1;
        memcpy(buf + at, p->overrides[i], n);
        at += (int)n;
    }
    MPI_Send(buf, at, MPI_BYTE, rank, TAG_WORK, MPI_COMM_WORLD);
    free(buf);
    return SIM_OK;
}

/* Reads a TAG_RESULT message into reports[*index]; returns the point's error. */
static int take_result(char *msg, int len, int from, size_t n, report *reports, size_t *index)
{
    char *end = msg + len, *p = msg;
    long idx = strtol(p, NULL, 10);
    p += strlen(p) + 1;
    if (idx < 0 || (size_t)idx >= n || p >= end) return SIM_EINVAL;
    *index = (size_t)idx;
    int rc = atoi(p);
    p += strlen(p) + 1;
    if (rc) return rc;
    json_error_t err;
    json_t *sections = json_loadb(p, (size_t)(end - p), 0, &err);
    char what[48];
    snprintf(what, sizeof what, "capsim: the report of MPI rank %d", from);
    int rrc = sections ? cli_report_sections_read(sections, what, &reports[idx]) : -1;
    json_decref(sections);
    return rrc == 0 ? SIM_OK : rrc == -2 ? SIM_ENOMEM : SIM_EINVAL;
}

int cli_mpi_run_points(const point_spec *points, size_t n, report *reports,
                       sim_progress_fn progress, void *progress_ctx, size_t *failed)
{
    *failed = 0;
    size_t next = 0, done = 0, first_fail = n;
    int first_err = SIM_OK, busy = 0;
    for (int r = 1; r < mpi_size && next < n; r++, next++, busy++)
        if (send_point(r, next, &points[next])) return SIM_ENOMEM;
    while (busy > 0) {
        int from, len;
        char *msg = receive(MPI_ANY_SOURCE, TAG_RESULT, &from, &len);
        busy--;
        size_t index = n;
        int rc = msg ? take_result(msg, len, from, n, reports, &index) : SIM_ENOMEM;
        free(msg);
        if (rc) {
            if (index == n) index = next ? next - 1 : 0; /* unknown: blame the last sent */
            if (index < first_fail) {
                first_fail = index;
                first_err = rc;
            }
        } else if (progress) {
            progress(progress_ctx, (uint32_t)++done, (uint32_t)n);
        }
        /* as the point driver does: after a failure, points above it are not started */
        if (next < n && next < first_fail) {
            if (send_point(from, next, &points[next])) return SIM_ENOMEM;
            next++;
            busy++;
        }
    }
    if (first_err) *failed = first_fail;
    return first_err;
}
