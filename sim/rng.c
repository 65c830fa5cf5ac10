/* sim/rng.c — seeding of the per-(replication, stream) generators.
 *
 * The derived seed is, with + and * modulo 2^64:
 *
 *   mix(z)  = splitmix64 output function of z + 0x9e3779b97f4a7c15:
 *               z += 0x9e3779b97f4a7c15
 *               z  = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
 *               z  = (z ^ (z >> 27)) * 0x94d049bb133111eb
 *               z  =  z ^ (z >> 31)
 *   fnv(s)  = FNV-1a-64 of the bytes of s (offset 0xcbf29ce484222325, prime 0x100000001b3);
 *             a NULL name hashes like ""
 *   derive(seed, rep, s) = mix(mix(mix(seed) ^ rep) ^ fnv(s))
 *
 * Each input passes through a full avalanche round before the next is folded in, so nearby seeds,
 * consecutive replications and similar names give unrelated seeds. The formula is part of the
 * reproducibility contract (tests pin values): changing it changes every result.
 *
 * mt19937 in GSL uses only 32 bits of its seed (mt[0] = s & 0xffffffff) and replaces 0 by its
 * default 4357, so the 64-bit value is folded to x ^ (x >> 32) and a fold of 0 is replaced by a
 * fixed non-zero constant. */
#include "sim/rng.h"

static uint64_t sim_rng_mix_(uint64_t z)
{
    z += UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static uint64_t sim_rng_fnv1a64_(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    if (s == NULL) return h;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        h ^= *p;
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

uint64_t sim_rng_derive_seed(uint64_t seed, uint32_t replication, const char *stream)
{
    uint64_t x = sim_rng_mix_(seed);
    x = sim_rng_mix_(x ^ (uint64_t)replication);
    return sim_rng_mix_(x ^ sim_rng_fnv1a64_(stream));
}

gsl_rng *sim_rng_create(uint64_t seed, uint32_t replication, const char *stream)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r == NULL) return NULL;
    uint64_t x = sim_rng_derive_seed(seed, replication, stream);
    unsigned long s = (unsigned long)((x ^ (x >> 32)) & UINT64_C(0xffffffff));
    /* 0 would silently become GSL's default seed 4357; any fixed stand-in is as good. */
    if (s == 0) s = 0x6a09e667UL;
    gsl_rng_set(r, s);
    return r;
}
