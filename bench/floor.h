/* bench/floor.h — the hold-loop floor: what one discrete event costs at the least.
 *
 * The classic "hold" model of priority-queue benchmarks: a heap of n pending events; each step
 * removes the earliest and schedules one new event a random time after it, so the heap keeps n
 * entries. It is what any event of any simulation must pay (one removal and one insertion in a
 * calendar of the run's size) and nothing else: no model, no statistics, no event body.
 *
 * The floor is deliberately independent of sim/ (its own bare 4-ary heap of 16-byte (time,
 * sequence) entries, its own xoshiro256** generator and exponential increments by inversion), so
 * that it stays a fixed yardstick while sim/ changes: capsim_bench runs it beside the simulation
 * in the same process and reports the simulator's CPU per invocation as a multiple of the
 * floor's CPU per hold, a ratio that is much more stable on a shared machine than either time. */
#ifndef BENCH_FLOOR_H
#define BENCH_FLOOR_H

#include <stdint.h>

/* Runs `holds` hold steps on a heap of n events (n >= 1) and returns the CPU seconds taken
 * (set-up excluded). `checksum` receives a value that depends on every step, so the compiler
 * cannot drop the loop. */
double bench_floor_run(uint32_t n, uint64_t holds, uint64_t *checksum);

#endif
