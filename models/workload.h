/* models/workload.h — the items a scenario feeds to every platform.
 *
 * A workload generator produces, in time order, the items of one replication: arrival time, size,
 * records and work demand. Each attribute has its own random stream seeded from (seed,
 * replication, stream name), so every platform of a replication sees exactly the same items
 * (common random numbers) and a platform's own randomness never shifts them.
 *
 * The generator is caller-owned (init/fini) because it sits in the hot loop: workload_next
 * allocates nothing. Arrivals are produced for t in [0, warmup + horizon); a trace's time 0 (its
 * first minute, or timestamp 0 s) is t = 0. */
#ifndef MODELS_WORKLOAD_H
#define MODELS_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "models/scenario.h"
#include "sim/rng.h"
#include "sim/time.h"

typedef struct wl_item {
    sim_time_us arrival_us;
    sim_time_us origin_us; /* when the item's first stage received it: its arrival, or for an
                              item a function made for the next (functions[].from) its
                              ancestor's arrival (end-to-end latency) */
    double size_mb;
    int64_t records;
    double cpu_s;   /* vCPU-seconds at one full vCPU (work.cpu + work.cpu_per_mb x size) */
    double io_s;    /* seconds no CPU speeds up */
    bool poison;    /* fails every attempt */
} wl_item;

/* A loaded arrival trace: the scenario's own scn_trace, whose data the loader read once
 * (scenario_trace.c); replications only read it, so any number of threads may share one. */
typedef scn_trace wl_trace;

typedef struct workload_gen {
    const scn_workload *w;
    sim_time_us end_us;            /* arrivals stop here (warmup + horizon) */
    sim_rng arrivals, sizes, cpu, cpu_per_mb, io, poison;
    /* the arrival process */
    sim_time_us next_process_us;   /* SIM_TIME_NEVER when exhausted */
    double process_clock_s;        /* exact (unrounded) time of the last process arrival */
    uint64_t process_index;        /* constant: arrivals so far */
    size_t mmpp_state;
    double mmpp_state_end_s;
    /* bursts: the next burst occurrence and how many of its items are left */
    sim_time_us next_burst_us;
    size_t next_burst_index;
    int64_t burst_left;
    sim_time_us *burst_next_us;    /* per burst definition: next occurrence (owned) */
    const wl_trace *trace;         /* borrowed; NULL unless the process is trace */
    size_t trace_pos;              /* next minute (per_minute) or timestamp (timestamps) */
    uint64_t trace_pass;           /* completed passes over the trace (loop) */
    int64_t trace_minute_left;     /* per_minute: arrivals still to come in the current minute */
    double trace_gap_left;         /* per_minute: share of the minute after the last arrival */
    sim_time_us trace_minute_us;   /* per_minute: start of the current minute */
    uint64_t produced;             /* items returned by workload_next so far */
} workload_gen;

/* Prepares the generator for one replication. For process: trace, arrivals replay `trace`, or
 * the scenario's loaded s->workload.trace when trace is NULL (both borrowed: they must outlive
 * the generator). Returns 0, SIM_ENOMEM, or SIM_EINVAL for a trace whose data was not loaded. */
int workload_init(workload_gen *g, const scenario *s, uint32_t replication, const wl_trace *trace);
void workload_fini(workload_gen *g);
/* Time of the next arrival without consuming it; SIM_TIME_NEVER when there is none. */
sim_time_us workload_peek(const workload_gen *g);
/* Produces the next item; false when no arrival is left before end_us. */
bool workload_next(workload_gen *g, wl_item *out);
/* Draws an item's attributes (size, records, work, poison) from the generator's streams, for an
 * item that arrives otherwise (made by an upstream function); arrival_us is left as it is. */
void workload_attributes(workload_gen *g, wl_item *out);
/* Like workload_init for workload w of a scenario, with its own seed (the streams of a second
 * function of an account are independent of the first's). */
int workload_init_with(workload_gen *g, const scenario *s, const scn_workload *w, uint64_t seed,
                       uint32_t replication, const wl_trace *trace);

#endif
