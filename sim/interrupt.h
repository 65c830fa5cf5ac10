/* sim/interrupt.h — a request to stop, made from a signal handler, polled by simulation loops.
 *
 * Ctrl-C must end a long run at once and cleanly: the program's SIGINT/SIGTERM handler calls
 * sim_interrupt_request (async-signal-safe), and every simulation loop polls the request every
 * SIM_INTERRUPT_EVERY events (SIM_INTERRUPT_POLL: an increment and a mask per event, a relaxed
 * load every 4,096), returning SIM_EINTERRUPTED so the run unwinds through its normal error
 * path, freeing everything and writing nothing. The request is the one piece of process-wide
 * mutable state in sim/: a signal is process-wide. It is a lock-free C11 atomic rather than a
 * volatile sig_atomic_t because the replication threads read it while a handler (on any thread)
 * writes it; both are async-signal-safe, only the atomic is race-free between threads. */
#ifndef SIM_INTERRUPT_H
#define SIM_INTERRUPT_H

#include <stdint.h>

/* Records a stop request (signo: the signal, for the exit status). Async-signal-safe. */
void sim_interrupt_request(int signo);
/* 0, or the signal number of the first stop request since the last clear. Any thread. */
int sim_interrupt_pending(void);
/* Forgets the request (tests, and a program that handles it and goes on). */
void sim_interrupt_clear(void);

#define SIM_INTERRUPT_EVERY 4096u
/* In a loop: true every SIM_INTERRUPT_EVERY calls (counter: a uint32_t of the loop) when a stop
 * was requested. */
#define SIM_INTERRUPT_POLL(counter) \
    ((++(counter) & (SIM_INTERRUPT_EVERY - 1u)) == 0 && sim_interrupt_pending() != 0)

#endif
