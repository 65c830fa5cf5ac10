/* sim/rng.c — seeding of the per-(replication, stream) generators, and the slow paths of the
 * samplers.
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
 * consecutive replications and similar names give unrelated seeds. The xoshiro256** state is
 * then s[i] = mix(x + i * 0x9e3779b97f4a7c15) for i = 0..3, x the derived seed: splitmix64's
 * own sequence from x, the seeding its authors recommend. mix is a bijection, so the four words
 * are never all zero. The formulas are part of the reproducibility contract SIM_RNG_NAME
 * (tests pin values): changing them changes every result. */
#include "sim/rng.h"

#include <math.h>
#include <stddef.h>

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

void sim_rng_seed(sim_rng *r, uint64_t seed, uint32_t replication, const char *stream)
{
    uint64_t x = sim_rng_derive_seed(seed, replication, stream);
    for (int i = 0; i < 4; i++) r->s[i] = sim_rng_mix_(x + (uint64_t)i * UINT64_C(0x9e3779b97f4a7c15));
}

uint64_t sim_rng_uniform_int(sim_rng *r, uint64_t n)
{
    /* Lemire (2019): the high word of x * n is uniform on [0, n) once the low word's few
     * values that would over-represent some results are rejected. */
    unsigned __int128 m = (unsigned __int128)sim_rng_next(r) * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        uint64_t threshold = (0 - n) % n; /* 2^64 mod n */
        while (low < threshold) {
            m = (unsigned __int128)sim_rng_next(r) * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

double sim_rng_exponential_slow_(sim_rng *r, unsigned idx, double x)
{
    for (;;) {
        if (idx == 0) /* the tail beyond r: memoryless, r plus a fresh exponential */
            return sim_rng_zig_exp_r_ - log1p(-sim_rng_uniform(r));
        /* The wedge of layer idx: accept x under the density. */
        double y = sim_rng_zig_exp_f_[idx] +
                   (sim_rng_zig_exp_f_[idx - 1] - sim_rng_zig_exp_f_[idx]) * sim_rng_uniform(r);
        if (y < exp(-x)) return x;
        /* Rejected: a whole new draw. */
        uint64_t u = sim_rng_next(r) >> 3;
        idx = (unsigned)(u & 0xff);
        u >>= 8;
        x = (double)u * sim_rng_zig_exp_w_[idx];
        if (u < sim_rng_zig_exp_k_[idx]) return x;
    }
}

double sim_rng_normal(sim_rng *r)
{
    for (;;) {
        /* 8 bits of layer, 1 of sign, 52 of magnitude. */
        uint64_t u = sim_rng_next(r);
        unsigned idx = (unsigned)(u & 0xff);
        u >>= 8;
        int negative = (int)(u & 1);
        uint64_t mag = (u >> 1) & ((UINT64_C(1) << 52) - 1);
        double x = (double)mag * sim_rng_zig_nor_w_[idx];
        if (mag < sim_rng_zig_nor_k_[idx]) return negative ? -x : x; /* about 99.3 % */
        if (idx == 0) {
            /* The tail beyond r (Marsaglia 1964): x = -ln(U1) / r until 2 (-ln U2) > x^2. */
            for (;;) {
                double t = -log1p(-sim_rng_uniform(r)) / sim_rng_zig_nor_r_;
                double y = -log1p(-sim_rng_uniform(r));
                if (y + y > t * t) return negative ? -(sim_rng_zig_nor_r_ + t) : sim_rng_zig_nor_r_ + t;
            }
        }
        double y = sim_rng_zig_nor_f_[idx] +
                   (sim_rng_zig_nor_f_[idx - 1] - sim_rng_zig_nor_f_[idx]) * sim_rng_uniform(r);
        if (y < exp(-0.5 * x * x)) return negative ? -x : x;
    }
}

double sim_rng_gamma(sim_rng *r, double k, double theta)
{
    /* Shape below 1: Gamma(k) = Gamma(k + 1) U^(1/k) (Marsaglia & Tsang, section 6). */
    if (k < 1.0) {
        double u = sim_rng_uniform_pos(r);
        return sim_rng_gamma(r, k + 1.0, theta) * pow(u, 1.0 / k);
    }
    double d = k - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = sim_rng_normal(r);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        double u = sim_rng_uniform_pos(r);
        if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return theta * d * v;
        if (log(u) < 0.5 * x * x + d * (1.0 - v + log(v))) return theta * d * v;
    }
}
