/* tests/failalloc/failalloc.h — allocation-failure injection (failalloc.c). */
#ifndef TESTS_FAILALLOC_FAILALLOC_H
#define TESTS_FAILALLOC_FAILALLOC_H

#include <stdbool.h>
#include <stdint.h>

/* From now on, fail the n-th allocation (1-based; 0: none) and count them from zero. */
void failalloc_arm(uint64_t n);
/* Allocations counted since failalloc_arm (libgomp's excluded). */
uint64_t failalloc_count(void);
/* Whether the armed allocation has failed. */
bool failalloc_fired(void);
/* Blocks allocated minus blocks freed, since the process started. */
int64_t failalloc_live(void);

#endif
