/* bench/floor.c — the hold-loop floor (see floor.h).
 *
 * A plain, competent 4-ary min-heap: entries (time, seq) ordered lexicographically (FIFO ties
 * like sim/calendar), hole-sifting, the replacement of the top by the new event followed by one
 * sift-down (the cheapest way to do a pop plus a push). Increments are exponential with mean n
 * time units (inversion, one log per step), so times spread like those of n busy servers. */
#include "bench/floor.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

typedef struct floor_entry {
    int64_t time;
    uint64_t seq;
} floor_entry;

static inline int floor_less(const floor_entry *a, const floor_entry *b)
{
    return (a->time < b->time) | ((a->time == b->time) & (a->seq < b->seq));
}

static inline uint64_t floor_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* xoshiro256** (Blackman & Vigna). */
static inline uint64_t floor_next(uint64_t s[4])
{
    uint64_t r = floor_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = floor_rotl(s[3], 45);
    return r;
}

static double floor_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double bench_floor_run(uint32_t n, uint64_t holds, uint64_t *checksum)
{
    if (n < 1) n = 1;
    floor_entry *h = malloc((size_t)n * sizeof *h);
    if (!h) return -1.0;
    uint64_t s[4] = {0x9e3779b97f4a7c15u, 0xbf58476d1ce4e5b9u, 0x94d049bb133111ebu, 1};
    const double mean = 1000.0 * n; /* time units: about 1,000 per event apart */
    uint64_t seq = 0;
    /* Start from n events spread like the steady state, heapified by sifting each up. */
    for (uint32_t i = 0; i < n; i++) {
        double u = (double)(floor_next(s) >> 11) * 0x1p-53;
        floor_entry e = {(int64_t)(-log1p(-u) * mean), seq++};
        uint32_t k = i;
        while (k > 0 && floor_less(&e, &h[(k - 1) / 4])) {
            h[k] = h[(k - 1) / 4];
            k = (k - 1) / 4;
        }
        h[k] = e;
    }
    uint64_t sum = 0;
    double t0 = floor_cpu();
    for (uint64_t step = 0; step < holds; step++) {
        int64_t now = h[0].time;
        sum += (uint64_t)now;
        double u = (double)(floor_next(s) >> 11) * 0x1p-53;
        floor_entry e = {now + (int64_t)(-log1p(-u) * mean), seq++};
        /* Replace the top by e and sift it down. */
        uint32_t i = 0;
        for (;;) {
            uint64_t c = 4 * (uint64_t)i + 1;
            if (c >= n) break;
            uint64_t m = c, end = c + 4 < n ? c + 4 : n;
            for (uint64_t j = c + 1; j < end; j++)
                if (floor_less(&h[j], &h[m])) m = j;
            if (!floor_less(&h[m], &e)) break;
            h[i] = h[m];
            i = (uint32_t)m;
        }
        h[i] = e;
    }
    double cpu = floor_cpu() - t0;
    free(h);
    *checksum = sum;
    return cpu;
}
