/* models/workload.c — arrival processes and item attributes (see workload.h).
 *
 * Arrival times are computed in double seconds from an exact running clock and rounded to
 * microseconds only when handed out, so rounding never accumulates over millions of arrivals.
 * Processes: poisson (exponential gaps), constant (t_k = k / rate, starting at 0), mmpp (a
 * Poisson rate per state, exponential dwell, states visited in order), diurnal (a sinusoidal
 * rate, sampled by thinning), trace (a loaded trace replayed, see below). Bursts add `count`
 * simultaneous items at `at` (and every `every`) on top of any process.
 *
 * Trace replay computes each time from its index in the trace (pass, minute, timestamp), never
 * from a running clock, so a long or looped replay cannot drift:
 *   per_minute  minute k starts at k x 60 s. Its count c becomes n = floor(c x scale), plus one
 *               with probability frac(c x scale) (drawn only when there is a fraction), and its n
 *               arrivals are spread uniformly at random within the minute, produced directly in
 *               ascending order (Bentley & Saxe's sequential order statistics: one uniform and
 *               one pow per arrival, no buffer, no sort, no allocation).
 *   timestamps  time i is (pass x P + t_i) / scale: scale multiplies the rate by compressing
 *               time, the loop period P included (P: the next whole second after the last time).
 * With loop, pass p replays the trace shifted by p x period; without it arrivals stop at the
 * trace's end. All draws come from the arrivals stream, so item attributes are unchanged. */
#include "models/workload.h"

#include <math.h>
#include <stdlib.h>

#include "sim/error.h"
#include "sim/rng.h"

/* Past SIM_TIME_LIMIT_US (which no run's end exceeds) a clock time is "never". */
static sim_time_us clock_to_us(double t_s) {
    return t_s * 1e6 >= (double)SIM_TIME_LIMIT_US ? SIM_TIME_NEVER : sim_time_from_s(t_s);
}

/* per_minute: moves to the next minute with at least one arrival. False when the trace (without
 * loop) or the run ends first. */
static bool trace_next_minute(workload_gen *g) {
    const wl_trace *tr = g->trace;
    if (tr->total == 0) return false; /* also keeps a looped empty trace from spinning */
    for (;;) {
        if (g->trace_pos == tr->n_minutes) {
            if (!tr->loop) return false;
            g->trace_pos = 0;
            g->trace_pass++;
        }
        /* Minute index from (pass, position): exact, and compared before multiplying so a
         * very long loop cannot overflow. */
        uint64_t minute = g->trace_pass * (uint64_t)tr->n_minutes + g->trace_pos;
        if (minute >= (uint64_t)(g->end_us / (60 * SIM_US_PER_S)) + 1) return false;
        sim_time_us start = (sim_time_us)minute * 60 * SIM_US_PER_S;
        if (start >= g->end_us) return false;
        double x = (double)tr->minute_counts[g->trace_pos++] * tr->scale;
        if (x > 4e18) x = 4e18; /* an absurd scale: keep the count an int64 */
        int64_t n = (int64_t)x;
        double frac = x - (double)n;
        if (frac > 0 && sim_rng_uniform(&g->arrivals) < frac) n++;
        if (n > 0) {
            g->trace_minute_us = start;
            g->trace_minute_left = n;
            g->trace_gap_left = 1.0;
            return true;
        }
    }
}

/* The next trace arrival, or SIM_TIME_NEVER when the trace or the run has ended. */
static sim_time_us trace_advance(workload_gen *g) {
    const wl_trace *tr = g->trace;
    sim_time_us t_us;
    if (tr->format == SCN_TRACE_PER_MINUTE) {
        if (g->trace_minute_left == 0 && !trace_next_minute(g)) return SIM_TIME_NEVER;
        /* The smallest of m uniforms on (a, 1) is 1 - (1 - a) V^(1/m), V uniform on (0, 1]:
         * keep the gap 1 - a and shrink it by V^(1/m), m = arrivals left in the minute. */
        double m = (double)g->trace_minute_left--;
        g->trace_gap_left *= pow(sim_rng_uniform_pos(&g->arrivals), 1.0 / m);
        /* floor keeps the offset inside the minute's 60,000,000 microseconds; the clamp covers
         * 1 - gap rounding to 1. */
        sim_time_us off_us = (sim_time_us)(60e6 * (1.0 - g->trace_gap_left));
        if (off_us > 60 * SIM_US_PER_S - 1) off_us = 60 * SIM_US_PER_S - 1;
        t_us = g->trace_minute_us + off_us;
    } else {
        if (g->trace_pos == tr->n_times) {
            if (!tr->loop) return SIM_TIME_NEVER;
            g->trace_pos = 0;
            g->trace_pass++;
        }
        double t_s = ((double)g->trace_pass * tr->period_s + tr->times_s[g->trace_pos++]) / tr->scale;
        t_us = clock_to_us(t_s);
    }
    return t_us < g->end_us ? t_us : SIM_TIME_NEVER;
}

/* Sets next_process_us to the first process arrival strictly after the current clock. */
static void process_advance(workload_gen *g) {
    const scn_workload *w = g->w;
    double t = g->process_clock_s;
    if ((w->process == SCN_ARRIVALS_POISSON || w->process == SCN_ARRIVALS_CONSTANT) &&
        !(w->rate_per_s > 0)) {
        g->next_process_us = SIM_TIME_NEVER; /* rate 0: only bursts arrive */
        return;
    }
    switch (w->process) {
    case SCN_ARRIVALS_POISSON:
        t += sim_rng_exponential(&g->arrivals) / w->rate_per_s;
        break;
    case SCN_ARRIVALS_CONSTANT:
        /* t_k = k / rate from the index, not by adding gaps: no drift. */
        t = (double)g->process_index / w->rate_per_s;
        g->process_index++;
        break;
    case SCN_ARRIVALS_MMPP:
        for (;;) {
            const scn_mmpp_state *st = &w->mmpp_states[g->mmpp_state];
            double next = st->rate_per_s > 0
                              ? t + sim_rng_exponential(&g->arrivals) / st->rate_per_s
                              : INFINITY;
            if (next <= g->mmpp_state_end_s) {
                t = next;
                break;
            }
            /* Memoryless: restart the clock at the state change. */
            t = g->mmpp_state_end_s;
            if (t * 1e6 >= (double)g->end_us) {
                g->next_process_us = SIM_TIME_NEVER;
                return;
            }
            g->mmpp_state = (g->mmpp_state + 1) % w->n_mmpp_states;
            double dwell_s = (double)w->mmpp_states[g->mmpp_state].dwell_us / 1e6;
            g->mmpp_state_end_s = t + dwell_s * sim_rng_exponential(&g->arrivals);
        }
        break;
    case SCN_ARRIVALS_DIURNAL: {
        /* Lewis-Shedler thinning against the peak rate. */
        double mean = w->diurnal_mean_rate_per_s, amp = w->diurnal_amplitude;
        double peak = mean * (1.0 + amp);
        double period_s = (double)w->diurnal_period_us / 1e6;
        double peak_at_s = (double)w->diurnal_peak_at_us / 1e6;
        if (peak <= 0) {
            g->next_process_us = SIM_TIME_NEVER;
            return;
        }
        for (;;) {
            t += sim_rng_exponential(&g->arrivals) / peak;
            if (t * 1e6 >= (double)g->end_us) break;
            double rate = mean * (1.0 + amp * cos(6.283185307179586 * (t - peak_at_s) / period_s));
            if (sim_rng_uniform(&g->arrivals) * peak < rate) break;
        }
        break;
    }
    case SCN_ARRIVALS_TRACE:
        g->next_process_us = trace_advance(g);
        return;
    }
    g->process_clock_s = t;
    sim_time_us t_us = clock_to_us(t);
    g->next_process_us = t_us < g->end_us ? t_us : SIM_TIME_NEVER;
}

/* The earliest pending burst occurrence, or SIM_TIME_NEVER. */
static void burst_select(workload_gen *g) {
    g->next_burst_us = SIM_TIME_NEVER;
    for (size_t i = 0; i < g->w->n_bursts; i++) {
        if (g->burst_next_us[i] < g->next_burst_us) {
            g->next_burst_us = g->burst_next_us[i];
            g->next_burst_index = i;
        }
    }
    if (g->next_burst_us >= g->end_us) g->next_burst_us = SIM_TIME_NEVER;
    if (g->next_burst_us != SIM_TIME_NEVER) g->burst_left = g->w->bursts[g->next_burst_index].count;
}

int workload_init(workload_gen *g, const scenario *s, uint32_t replication, const wl_trace *trace) {
    return workload_init_with(g, s, &s->workload, s->seed, replication, trace);
}

int workload_init_with(workload_gen *g, const scenario *s, const scn_workload *w, uint64_t seed,
                       uint32_t replication, const wl_trace *trace) {
    *g = (workload_gen){0};
    g->w = w;
    g->end_us = s->warmup_us + s->horizon_us;
    if (w->process == SCN_ARRIVALS_TRACE) {
        g->trace = trace ? trace : &w->trace;
        /* The loader always leaves at least one minute / timestamp; none means not loaded. */
        bool loaded = g->trace->format == SCN_TRACE_PER_MINUTE
                          ? g->trace->minute_counts != NULL && g->trace->n_minutes > 0
                          : g->trace->times_s != NULL && g->trace->n_times > 0;
        if (!loaded || !(g->trace->scale > 0)) return SIM_EINVAL;
    }
    sim_rng_seed(&g->arrivals, seed, replication, "workload.arrivals");
    sim_rng_seed(&g->sizes, seed, replication, "workload.item.size");
    sim_rng_seed(&g->cpu, seed, replication, "workload.work.cpu");
    sim_rng_seed(&g->cpu_per_mb, seed, replication, "workload.work.cpu_per_mb");
    sim_rng_seed(&g->io, seed, replication, "workload.work.io");
    sim_rng_seed(&g->poison, seed, replication, "workload.errors.poison");
    if (w->n_bursts > 0)
        g->burst_next_us = malloc(w->n_bursts * sizeof *g->burst_next_us);
    if (w->n_bursts > 0 && !g->burst_next_us) {
        workload_fini(g);
        return SIM_ENOMEM;
    }
    for (size_t i = 0; i < w->n_bursts; i++) g->burst_next_us[i] = w->bursts[i].at_us;
    burst_select(g);
    if (w->process == SCN_ARRIVALS_MMPP)
        g->mmpp_state_end_s =
            ((double)w->mmpp_states[0].dwell_us / 1e6) * sim_rng_exponential(&g->arrivals);
    process_advance(g);
    return SIM_OK;
}

void workload_fini(workload_gen *g) {
    free(g->burst_next_us);
    *g = (workload_gen){0};
}

sim_time_us workload_peek(const workload_gen *g) {
    return g->next_burst_us < g->next_process_us ? g->next_burst_us : g->next_process_us;
}

/* Inlined into workload_next, which runs once per simulated item (a call there costs about 3 %
 * of a simple replication's instructions). */
static inline __attribute__((always_inline)) void attributes(workload_gen *g, wl_item *out) {
    /* Attributes are drawn in a fixed order from their own streams (common random numbers). */
    const scn_workload *w = g->w;
    out->size_mb = sim_dist_sample(&w->item_size.dist, &g->sizes);
    out->records = w->item_records;
    out->cpu_s = sim_dist_sample(&w->work_cpu.dist, &g->cpu) +
                 sim_dist_sample(&w->work_cpu_per_mb.dist, &g->cpu_per_mb) * out->size_mb;
    out->io_s = sim_dist_sample(&w->work_io.dist, &g->io);
    out->poison = w->poison_rate > 0 && sim_rng_uniform(&g->poison) < w->poison_rate;
}

bool workload_next(workload_gen *g, wl_item *out) {
    sim_time_us t = workload_peek(g);
    if (t == SIM_TIME_NEVER) return false;
    if (g->next_burst_us <= g->next_process_us) {
        /* Bursts first on a tie: deterministic either way, and it keeps the burst contiguous. */
        if (--g->burst_left == 0) {
            const scn_burst *b = &g->w->bursts[g->next_burst_index];
            g->burst_next_us[g->next_burst_index] =
                b->every_us > 0 ? g->next_burst_us + b->every_us : SIM_TIME_NEVER;
            burst_select(g);
        }
    } else {
        process_advance(g);
    }
    out->arrival_us = t;
    out->origin_us = t;
    attributes(g, out);
    g->produced++;
    return true;
}

void workload_attributes(workload_gen *g, wl_item *out) { attributes(g, out); }
