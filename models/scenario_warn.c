/* models/scenario_warn.c — a valid scenario that probably does not mean what it says.
 *
 * These are not errors: AWS would accept the configuration and capsim simulates it faithfully.
 * But the result silently leaves something out — a schedule that never fires inside the
 * horizon, a provisioned window the horizon never reaches, items too big for the function's
 * /tmp — and a user reading the table would not know. Each is a warning pointing at the key
 * (FILE:LINE:COL, or the section when the value is a default), printed on stderr. */
#include "models/scenario.h"

#include <stdio.h>

#define DAY_US (86400 * SIM_US_PER_S)

/* Where to point: the key itself when it was written, else the first of `fallbacks` that was
 * (its section), else the file alone. */
static void where(const scenario *s, const char *path, const char *fallback, const char **file,
                  int *line, int *col) {
    if (!scenario_key_where(s, path, file, line, col) && fallback)
        scenario_key_where(s, fallback, file, line, col);
}

/* A batch trigger period longer than the horizon: no scheduled run falls in it. platform: the
 * section's path ("glue", or a stage's "functions[2].glue"). */
static void warn_trigger(const scenario *s, const char *platform, const scn_batch_trigger *t,
                         bool stage, sim_diag *w) {
    if (t->every_us <= s->horizon_us) return;
    char path[64], section[48], every[32], horizon[32];
    snprintf(path, sizeof path, "%s.trigger.every", platform);
    snprintf(section, sizeof section, "%s", platform);
    scenario_format_duration(every, sizeof every, t->every_us);
    scenario_format_duration(horizon, sizeof horizon, s->horizon_us);
    const char *file;
    int line, col;
    where(s, path, section, &file, &line, &col);
    sim_diag_warning(w, file, line, col, path,
                     "the trigger period (%s) is longer than the horizon (%s): no scheduled run "
                     "starts inside it, and the horizon's items wait for one after it%s; "
                     "simulate several periods to see the schedule's steady state",
                     every, horizon,
                     stage ? " (a stage's run after the horizon is the next period's: it is "
                             "not billed to this one)"
                           : "");
}

/* Items larger than the function's /tmp: a function that stores an item whole cannot. */
static void warn_item_size(const scenario *s, sim_diag *w) {
    const scn_lambda *L = &s->lambda;
    double share = 1.0 - sim_dist_cdf(&s->workload.item_size.dist, (double)L->ephemeral_mb);
    if (!(share > 1e-6)) return;
    char size[32];
    scenario_format_size_mb(size, sizeof size, (double)L->ephemeral_mb);
    const char *file;
    int line, col;
    where(s, "workload.item.size", "workload", &file, &line, &col);
    sim_diag_warning(w, file, line, col, "workload.item.size",
                     "%.3g %% of the items are larger than the function's ephemeral storage "
                     "(lambda.ephemeral_storage: %s): a function that copies an item to /tmp "
                     "fails on them; stream them instead, or raise ephemeral_storage "
                     "(up to 10240MB)",
                     100.0 * share, size);
}

/* A provisioned window (a daily time of day) that the simulated time never reaches. */
static void warn_provisioned_windows(const scenario *s, sim_diag *w) {
    const scn_lambda *L = &s->lambda;
    sim_time_us lo = s->warmup_us, hi = s->warmup_us + s->horizon_us;
    if (hi - lo >= DAY_US) return; /* a whole day: every window recurs inside it */
    for (size_t i = 0; i < L->n_provisioned_windows; i++) {
        const scn_provisioned_window *win = &L->provisioned_schedule[i];
        bool overlaps = false;
        for (sim_time_us day = lo / DAY_US * DAY_US; day < hi && !overlaps; day += DAY_US)
            overlaps = day + win->from_us < hi && day + win->to_us > lo;
        if (overlaps) continue;
        char from[32], to[32], a[32], b[32];
        scenario_format_duration(from, sizeof from, win->from_us);
        scenario_format_duration(to, sizeof to, win->to_us);
        scenario_format_duration(a, sizeof a, lo);
        scenario_format_duration(b, sizeof b, hi);
        const char *file;
        int line, col;
        where(s, "lambda.concurrency.provisioned", "lambda", &file, &line, &col);
        sim_diag_warning(w, file, line, col, "lambda.concurrency.provisioned",
                         "the window from %s to %s (times of day) never overlaps the measured "
                         "time, %s to %s: its %lld environments serve nothing and cost nothing "
                         "here",
                         from, to, a, b, (long long)win->count);
    }
}

void scenario_warn(const scenario *s, sim_diag *w) {
    if (s->lambda.present) {
        warn_item_size(s, w);
        warn_provisioned_windows(s, w);
    }
    if (s->glue.present) warn_trigger(s, "glue", &s->glue.trigger, false, w);
    if (s->emr.present) warn_trigger(s, "emr", &s->emr.trigger, false, w);
    for (size_t i = 0; i < s->n_functions; i++) {
        const scn_function *fn = &s->functions[i];
        if (fn->platform == SCN_STAGE_LAMBDA) continue;
        bool glue = fn->platform == SCN_STAGE_GLUE;
        char section[48];
        snprintf(section, sizeof section, "functions[%zu].%s", i, glue ? "glue" : "emr");
        warn_trigger(s, section, glue ? &fn->glue.trigger : &fn->emr.trigger, true, w);
    }
}
