/* dist.h: sampling a dist_cfg (scenario/config.h) from a stream.
 *
 * dist_init checks the parameters once and precomputes what sampling needs (the lognormal's
 * mu/sigma, the gamma's shape/scale), so dist_sample is a few arithmetic operations and one or two
 * draws. Parameterisation:
 *   constant     value = mean
 *   exponential  mean
 *   lognormal    mean, cv: sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2 / 2
 *   gamma        mean, cv: shape k = 1 / cv^2, scale = mean * cv^2
 *   uniform      [min, max)
 *   empirical    one of the samples, each equally likely (the array is borrowed, not copied)
 * A cv of 0 makes lognormal and gamma constant. Samples are never negative. */
#ifndef SCALESIM_ENGINE_DIST_H
#define SCALESIM_ENGINE_DIST_H

#include <gsl/gsl_rng.h>
#include <math.h>

#include "common/error.h"
#include "sim/engine/ziggurat_exp.h"
#include "sim/scenario/config.h"

typedef struct dist {
    dist_kind kind;
    double a, b; /* kind-specific, see dist.c */
    const double *samples;
    size_t n_samples;
    double mean; /* the distribution's mean */
} dist;

/* `what` names the field in error messages ("service.pod.demand"). */
/* Exponential with the given mean, by the ziggurat (ziggurat_exp.h): on the hot path. */
static inline double dist_exponential(gsl_rng *r, double mean) {
    return mean * zig_exp(r);
}

int dist_init(dist *d, const dist_cfg *cfg, const char *what, sim_error *err);
/* Every kind; dist_sample is the call to use. */
double dist_sample_any(const dist *d, gsl_rng *r);

/* out[0..n) = n calls of dist_sample(d, r) in order (the same numbers), the kind tested once:
 * for a stream drawn ahead. */
void dist_fill(const dist *d, gsl_rng *r, double *out, int n);

/* One sample; the exponential (the hot one: service demand) inline. */
static inline double dist_sample(const dist *d, gsl_rng *r) {
    if (d->kind == DIST_EXPONENTIAL)
        return dist_exponential(r, d->a);
    return dist_sample_any(d, r);
}

#endif
