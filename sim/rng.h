/* sim/rng.h — independent, reproducible random streams.
 *
 * Every source of randomness in a model has its own named stream, and each replication has its
 * own generator per stream, seeded from (seed, replication, stream name) through a strong 64-bit
 * mix (splitmix64 over FNV-1a of the name). Nothing depends on the thread that runs the
 * replication, so results are identical for any thread count, and adding a new stream never
 * shifts the numbers an existing stream draws (common random numbers across platforms and
 * across versions). Generators are GSL's mt19937. */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

/* The seed a (seed, replication, stream) triple gives; exposed for tests and diagnostics. */
uint64_t sim_rng_derive_seed(uint64_t seed, uint32_t replication, const char *stream);
/* A new mt19937 generator for that triple, or NULL when out of memory. Free with gsl_rng_free. */
gsl_rng *sim_rng_create(uint64_t seed, uint32_t replication, const char *stream);

#endif
