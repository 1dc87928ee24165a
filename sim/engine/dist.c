/* dist.c: see dist.h. */
#include "sim/engine/dist.h"

#include <gsl/gsl_randist.h>
#include <math.h>

static int bad(double x) {
    return !isfinite(x) || x < 0;
}

int dist_init(dist *d, const dist_cfg *cfg, const char *what, sim_error *err) {
    d->kind = cfg->kind;
    d->a = d->b = 0;
    d->samples = NULL;
    d->n_samples = 0;
    d->mean = cfg->mean;
    switch (cfg->kind) {
    case DIST_CONSTANT:
    case DIST_EXPONENTIAL:
        if (bad(cfg->mean))
            return error_set(err, "%s: mean must be a finite number >= 0 (got %g)", what,
                             cfg->mean);
        d->a = cfg->mean;
        return 0;
    case DIST_LOGNORMAL:
    case DIST_GAMMA:
        if (bad(cfg->mean))
            return error_set(err, "%s: mean must be a finite number >= 0 (got %g)", what,
                             cfg->mean);
        if (bad(cfg->cv))
            return error_set(err, "%s: cv must be a finite number >= 0 (got %g)", what, cfg->cv);
        if (cfg->cv == 0 || cfg->mean == 0) {
            d->kind = DIST_CONSTANT;
            d->a = cfg->mean;
        } else if (cfg->kind == DIST_LOGNORMAL) {
            double s2 = log1p(cfg->cv * cfg->cv);
            d->a = log(cfg->mean) - s2 / 2; /* mu */
            d->b = sqrt(s2);                /* sigma */
        } else {
            d->a = 1.0 / (cfg->cv * cfg->cv);     /* shape */
            d->b = cfg->mean * cfg->cv * cfg->cv; /* scale */
        }
        return 0;
    case DIST_UNIFORM:
        if (bad(cfg->min) || bad(cfg->max) || cfg->max < cfg->min)
            return error_set(err, "%s: uniform needs 0 <= min <= max (got min %g, max %g)", what,
                             cfg->min, cfg->max);
        d->a = cfg->min;
        d->b = cfg->max;
        d->mean = (cfg->min + cfg->max) / 2;
        return 0;
    case DIST_EMPIRICAL: {
        if (cfg->n_samples == 0 || cfg->samples == NULL)
            return error_set(err, "%s: empirical distribution has no samples", what);
        double sum = 0;
        for (size_t i = 0; i < cfg->n_samples; i++) {
            if (bad(cfg->samples[i]))
                return error_set(err, "%s: sample %zu is %g; samples must be finite and >= 0", what,
                                 i + 1, cfg->samples[i]);
            sum += cfg->samples[i];
        }
        d->samples = cfg->samples;
        d->n_samples = cfg->n_samples;
        d->mean = sum / (double)cfg->n_samples;
        return 0;
    }
    }
    return error_set(err, "%s: unknown distribution kind %d", what, (int)cfg->kind);
}

double dist_sample_any(const dist *d, gsl_rng *r) {
    switch (d->kind) {
    case DIST_CONSTANT:
        return d->a;
    case DIST_EXPONENTIAL:
        return dist_exponential(r, d->a);
    case DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, d->a, d->b);
    case DIST_GAMMA:
        return gsl_ran_gamma(r, d->a, d->b);
    case DIST_UNIFORM:
        return d->a + (d->b - d->a) * gsl_rng_uniform(r);
    case DIST_EMPIRICAL:
        return d->samples[gsl_rng_uniform_int(r, d->n_samples)];
    }
    return 0;
}

void dist_fill(const dist *d, gsl_rng *r, double *out, int n) {
    if (d->kind != DIST_EXPONENTIAL) {
        for (int i = 0; i < n; i++)
            out[i] = dist_sample_any(d, r);
        return;
    }
    zig_exp_fill(r, out, n);
    for (int i = 0; i < n; i++)
        out[i] = d->a * out[i]; /* dist_exponential's very product */
}
