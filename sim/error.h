/* sim/error.h — error codes for the whole program, generated from one table.
 *
 * Fallible functions return 0 (SIM_OK) or a negative code from SIM_ERRNO_MAP (libuv's
 * UV_ERRNO_MAP pattern): one X-macro line gives the enum constant, its name and its message, so
 * they can never drift apart. SIM_ASSERT checks cheap invariants and stays on in release builds:
 * a simulator that silently continues from a broken invariant produces wrong numbers. */
#ifndef SIM_ERROR_H
#define SIM_ERROR_H

#define SIM_ERRNO_MAP(X)                                                   \
    X(NOMEM, "out of memory")                                              \
    X(INVAL, "invalid argument")                                           \
    X(RANGE, "value out of range")                                         \
    X(PARSE, "cannot parse value")                                         \
    X(IO, "input/output error")                                            \
    X(UNSUPPORTED, "not supported by this version")                        \
    X(LIMIT, "internal limit exceeded")                                    \
    X(SCENARIO, "invalid scenario")                                        \
    X(TIME, "simulated time would pass 100,000 years: more work is queued than capsim can simulate") \
    X(INTERRUPTED, "interrupted")

enum sim_error_index_ {
    SIM_ERROR_INDEX_OK_ = 0,
#define SIM_X_(name, msg) SIM_ERROR_INDEX_##name##_,
    SIM_ERRNO_MAP(SIM_X_)
#undef SIM_X_
    SIM_ERROR_INDEX_COUNT_
};

/* Public codes: 0 and negatives. */
enum sim_error {
    SIM_OK = 0,
#define SIM_X_(name, msg) SIM_E##name = -SIM_ERROR_INDEX_##name##_,
    SIM_ERRNO_MAP(SIM_X_)
#undef SIM_X_
};

/* Message for a code ("out of memory"); "unknown error" for codes outside the table. */
const char *sim_strerror(int code);
/* Name for a code ("SIM_ENOMEM"); "SIM_OK" for 0. */
const char *sim_err_name(int code);

/* Invariant check kept in release builds: prints file:line and the expression, then aborts. */
#define SIM_ASSERT(cond) \
    ((cond) ? (void)0 : sim_assert_fail(__FILE__, __LINE__, #cond))
_Noreturn void sim_assert_fail(const char *file, int line, const char *expr);

/* Process start-up for anything using sim/: switches GSL's abort-on-error handler off, so GSL
 * reports domain errors through return values (NaN, GSL_E*) instead of killing the program.
 * Call once from main() (and from test set-up) before any thread starts; idempotent. */
void sim_init(void);

#endif
