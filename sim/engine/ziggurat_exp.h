/* ziggurat_exp.h: standard exponential variates by the ziggurat method, about 99% of them from
 * one 32-bit draw, a comparison and a multiplication (no logarithm): the simulator's hottest
 * random numbers are exponential (Poisson gaps, exponential demand). Exact distribution (the
 * rejection steps handle the layers' edges and the tail); tables in ziggurat_exp.c. */
#ifndef SCALESIM_ENGINE_ZIGGURAT_EXP_H
#define SCALESIM_ENGINE_ZIGGURAT_EXP_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>

#include "sim/engine/rng_mt.h"

#define ZIG_EXP_R 7.697117470131487 /* start of the tail */

extern const uint32_t zig_exp_k[256];
extern const double zig_exp_w[256];
extern const double zig_exp_f[256];

/* The rest of a draw whose first 32 bits j fell outside the layer's rectangle (about 1 in 50):
 * the tail or the wedge test, and further draws if that rejects. Out of line, so the inline
 * fast path below keeps its values in registers. */
double zig_exp_slow(gsl_rng *r, uint32_t j);

/* out[0..n) = n calls of zig_exp(r) in order (the same numbers), for the streams drawn ahead:
 * the generator's type is tested once for the batch, not once per draw. */
void zig_exp_fill(gsl_rng *r, double *out, int n);

/* A draw with mean 1. `r` must deliver 32 random bits per gsl_rng_get (MT19937 does); the
 * streams of rng.h are drawn inline (rng_mt.h). */
static inline double zig_exp(gsl_rng *r) {
    uint32_t j = rng_u32(r);
    unsigned i = j & 255;
    uint32_t u = j >> 8;
    if (__builtin_expect(u < zig_exp_k[i], 1))
        return u * zig_exp_w[i]; /* inside the layer's rectangle */
    return zig_exp_slow(r, j);
}

#endif
