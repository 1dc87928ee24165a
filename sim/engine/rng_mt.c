/* rng_mt.c: see rng_mt.h. The algorithm is Matsumoto and Nishimura's MT19937 ("Mersenne
 * Twister", ACM TOMACS 8(1), 1998) with the 2002 initialisation (mt[i] = 1812433253 *
 * (mt[i-1] ^ mt[i-1] >> 30) + i), which is what GSL 2.x's rng/mt.c implements; GSL's seed 0
 * means 4357, kept here so the two agree for every seed. */
#include "sim/engine/rng_mt.h"

#define M          397
#define UPPER_MASK UINT32_C(0x80000000)
#define LOWER_MASK UINT32_C(0x7fffffff)

static inline uint32_t twist(uint32_t a, uint32_t b, uint32_t far) {
    uint32_t y = (a & UPPER_MASK) | (b & LOWER_MASK);
    return far ^ (y >> 1) ^ ((y & 1u) ? UINT32_C(0x9908b0df) : 0u);
}

void rng_mt_refill(rng_mt_state *s) {
    uint32_t *mt = s->mt;
    int k;
    for (k = 0; k < RNG_MT_N - M; k++)
        mt[k] = twist(mt[k], mt[k + 1], mt[k + M]);
    for (; k < RNG_MT_N - 1; k++)
        mt[k] = twist(mt[k], mt[k + 1], mt[k + (M - RNG_MT_N)]);
    mt[RNG_MT_N - 1] = twist(mt[RNG_MT_N - 1], mt[0], mt[M - 1]);
    s->mti = 0;
}

static void mt_set(void *vstate, unsigned long seed) {
    rng_mt_state *s = vstate;
    if (seed == 0)
        seed = 4357;
    s->mt[0] = (uint32_t)(seed & 0xffffffffUL);
    for (int i = 1; i < RNG_MT_N; i++)
        s->mt[i] = UINT32_C(1812433253) * (s->mt[i - 1] ^ (s->mt[i - 1] >> 30)) + (uint32_t)i;
    s->mti = RNG_MT_N;
}

static unsigned long mt_get(void *vstate) {
    return rng_mt_next(vstate);
}

static double mt_get_double(void *vstate) {
    return (double)mt_get(vstate) / 4294967296.0;
}

const gsl_rng_type rng_mt19937_type = {
    "scalesim-mt19937", 0xffffffffUL, 0, sizeof(rng_mt_state), mt_set, mt_get, mt_get_double,
};
