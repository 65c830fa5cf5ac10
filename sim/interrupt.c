/* sim/interrupt.c — the stop request (see interrupt.h). */
#include "sim/interrupt.h"

#include <stdatomic.h>

/* C11 7.14.1.1: a handler may store to a lock-free atomic object. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the stop request must be a lock-free atomic");

static atomic_int sim_interrupt_signal_; /* 0: none; else the signal (or -1) */

void sim_interrupt_request(int signo)
{
    int expected = 0;
    atomic_compare_exchange_strong(&sim_interrupt_signal_, &expected, signo > 0 ? signo : -1);
}

int sim_interrupt_pending(void)
{
    return atomic_load_explicit(&sim_interrupt_signal_, memory_order_relaxed);
}

void sim_interrupt_clear(void)
{
    atomic_store(&sim_interrupt_signal_, 0);
}
