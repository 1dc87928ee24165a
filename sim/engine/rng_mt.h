/* rng_mt.h: MT19937 as scalesim's own GSL generator type, with an inline draw for the hot path.
 *
 * rng_mt19937 produces exactly the numbers of GSL's gsl_rng_mt19937 for the same seed (same
 * seeding by Knuth's multiplier, same 624-word block generation, same tempering, same
 * get_double = get / 2^32; tests/test_engine.c compares the two streams), so every scenario's
 * output is unchanged. What differs is the call: gsl_rng_get goes through two function calls
 * (GSL is not built with inline functions here) and an indirect one, about a third of the cost
 * of a Poisson gap; rng_u32 is inline and branches to the block refill once every 624 draws.
 * Any other gsl_rng falls back to gsl_rng_get, so code that is handed a foreign generator still
 * works. */
#ifndef SCALESIM_ENGINE_RNG_MT_H
#define SCALESIM_ENGINE_RNG_MT_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#define RNG_MT_N 624

typedef struct rng_mt_state {
    uint32_t mt[RNG_MT_N];
    int mti; /* next word to temper; RNG_MT_N: the block is used up */
} rng_mt_state;

extern const gsl_rng_type rng_mt19937_type;
#define rng_mt19937 (&rng_mt19937_type)

/* Regenerates the block (mti = 0). */
void rng_mt_refill(rng_mt_state *s);

/* The next tempered output of the generator state s. always_inline: without it GCC may leave a
 * call inside rng_u32 in the hot draw loops (3% more per M/M/c request, measured). */
static inline __attribute__((always_inline)) uint32_t rng_mt_next(rng_mt_state *s) {
    if (s->mti >= RNG_MT_N)
        rng_mt_refill(s);
    uint32_t k = s->mt[s->mti++];
    k ^= k >> 11;
    k ^= (k << 7) & UINT32_C(0x9d2c5680);
    k ^= (k << 15) & UINT32_C(0xefc60000);
    return k ^ (k >> 18);
}

/* 32 random bits: gsl_rng_get(r) for any generator, inline for rng_mt19937. */
static inline uint32_t rng_u32(const gsl_rng *r) {
    if (r->type != rng_mt19937)
        return (uint32_t)gsl_rng_get(r);
    return rng_mt_next(r->state);
}

/* gsl_rng_uniform(r): [0, 1), the draw / 2^32 for MT19937. */
static inline double rng_uniform(const gsl_rng *r) {
    if (r->type != rng_mt19937)
        return gsl_rng_uniform(r);
    return rng_u32(r) / 4294967296.0;
}

#endif
