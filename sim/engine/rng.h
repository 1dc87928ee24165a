/* rng.h: named random streams (common random numbers).
 *
 * Every random source in a scenario (each load phase's arrivals, each service's demand, the
 * balancer, pod start-up, ...) draws from its own GSL generator, seeded from the scenario seed and
 * the source's name by a stable hash (FNV-1a of the name, mixed with the seed by splitmix64).
 * Adding, removing or reconfiguring one source therefore leaves every other source's numbers
 * unchanged, so two variants of a scenario are compared on the same arrivals. The hash is fixed
 * forever: changing it would change every published result. The generator is MT19937 (GSL's
 * default; our own copy, rng_mt.h, so the hot path can draw inline), which takes a 32-bit seed;
 * the 64-bit mix is folded to 32 bits. */
#ifndef SCALESIM_ENGINE_RNG_H
#define SCALESIM_ENGINE_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* The seed a stream gets: a pure function of (scenario seed, name). */
uint64_t rng_stream_seed(uint64_t seed, const char *name);

/* A new generator for the stream, or NULL when out of memory. Free with gsl_rng_free. */
gsl_rng *rng_stream_new(uint64_t seed, const char *name);

#endif
