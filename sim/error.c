/* sim/error.c — names and messages of the error codes, and the release-build assertion.
 *
 * Both tables are generated from SIM_ERRNO_MAP, the same X-macro that generates the enum, so a
 * new code gets its name and message in one edit. Also holds sim_init, the one piece of
 * process-wide set-up the engine needs (GSL's error handler). */
#include "sim/error.h"

#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

/* Indexed by -code; slot 0 is SIM_OK. */
static const char *const sim_error_messages_[SIM_ERROR_INDEX_COUNT_] = {
    "success",
#define SIM_X_(name, msg) msg,
    SIM_ERRNO_MAP(SIM_X_)
#undef SIM_X_
};

static const char *const sim_error_names_[SIM_ERROR_INDEX_COUNT_] = {
    "SIM_OK",
#define SIM_X_(name, msg) "SIM_E" #name,
    SIM_ERRNO_MAP(SIM_X_)
#undef SIM_X_
};

/* Maps a code to its table index, or -1. Written without negating `code` so INT_MIN is safe. */
static int sim_error_index_(int code)
{
    if (code > 0 || code <= -SIM_ERROR_INDEX_COUNT_) return -1;
    return -code;
}

const char *sim_strerror(int code)
{
    int i = sim_error_index_(code);
    return i < 0 ? "unknown error" : sim_error_messages_[i];
}

const char *sim_err_name(int code)
{
    int i = sim_error_index_(code);
    return i < 0 ? "SIM_EUNKNOWN" : sim_error_names_[i];
}

_Noreturn void sim_assert_fail(const char *file, int line, const char *expr)
{
    fprintf(stderr, "capsim: internal error: %s:%d: assertion failed: %s\n", file, line, expr);
    fflush(stderr);
    abort();
}

void sim_init(void)
{
    /* GSL's default handler aborts on a domain error (e.g. a quantile of p outside [0,1]); the
     * engine checks its inputs and wants the NaN/error return instead of a dead process. */
    gsl_set_error_handler_off();
}
