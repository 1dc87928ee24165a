/* rng.c: see rng.h. */
#include "sim/engine/rng.h"

#include "sim/engine/rng_mt.h"

static uint64_t splitmix64(uint64_t x) {
    x += UINT64_C(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

uint64_t rng_stream_seed(uint64_t seed, const char *name) {
    uint64_t h = UINT64_C(0xcbf29ce484222325); /* FNV-1a 64 */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= UINT64_C(0x100000001b3);
    }
    return splitmix64(seed ^ splitmix64(h));
}

gsl_rng *rng_stream_new(uint64_t seed, const char *name) {
    gsl_rng *r = gsl_rng_alloc(rng_mt19937);
    if (r == NULL)
        return NULL;
    uint64_t s = rng_stream_seed(seed, name);
    unsigned long s32 = (unsigned long)((s ^ (s >> 32)) & 0xffffffffu);
    gsl_rng_set(r, s32 ? s32 : 1); /* 0 would select MT's built-in default seed */
    return r;
}
