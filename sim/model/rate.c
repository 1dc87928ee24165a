/* rate.c: see rate.h. */
#include "sim/model/rate.h"

#include <math.h>

#include "sim/engine/dist.h"
#include "sim/engine/rng_mt.h"

#define UNIFORM_STEP_US 1000.0

static double points_rate(const load_cfg *c, int64_t rel) {
    const rate_point *p = c->points;
    size_t n = c->n_points;
    if (rel <= p[0].t_us)
        return p[0].rps;
    if (rel >= p[n - 1].t_us)
        return p[n - 1].rps;
    size_t lo = 0, hi = n - 1; /* p[lo].t <= rel < p[hi].t */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (p[mid].t_us <= rel)
            lo = mid;
        else
            hi = mid;
    }
    if (c->shape == RATE_STEP || c->interpolation == INTERP_STEP)
        return p[lo].rps;
    double f = (double)(rel - p[lo].t_us) / (double)(p[hi].t_us - p[lo].t_us);
    return p[lo].rps + (p[hi].rps - p[lo].rps) * f;
}

double rate_at(const load_cfg *c, int64_t span_us, int64_t rel) {
    switch (c->shape) {
    case RATE_CONSTANT:
        return c->rate;
    case RATE_RAMP: {
        double f = span_us > 0 ? (double)rel / (double)span_us : 1.0;
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        return c->rate_from + (c->rate_to - c->rate_from) * f;
    }
    case RATE_DIURNAL: {
        double mid = (c->rate_min + c->rate_max) / 2, amp = (c->rate_max - c->rate_min) / 2;
        double x = (double)(rel - c->peak_at_us) / (double)c->period_us;
        return mid + amp * cos(2 * M_PI * x);
    }
    case RATE_STEP:
    case RATE_TRACE:
        return c->n_points > 0 ? points_rate(c, rel) : 0;
    }
    return 0;
}

double rate_peak(const load_cfg *c) {
    switch (c->shape) {
    case RATE_CONSTANT:
        return c->rate;
    case RATE_RAMP:
        return fmax(c->rate_from, c->rate_to);
    case RATE_DIURNAL:
        return c->rate_max;
    default: {
        double peak = 0;
        for (size_t k = 0; k < c->n_points; k++)
            peak = fmax(peak, c->points[k].rps);
        return peak;
    }
    }
}

void rate_clock_init(rate_clock *k, const load_cfg *c, int64_t start_us, int64_t stop_us,
                     double share) {
    k->cfg = c;
    k->start_us = start_us;
    k->stop_us = stop_us;
    k->share = share;
    k->peak = rate_peak(c) * share;
    k->gap_mean_us = k->peak > 0 ? 1e6 / k->peak : 0;
    k->clock_us = (double)start_us;
    k->gap_next = RATE_GAP_BATCH;
}

static double share_at(const rate_clock *k, int64_t t_us) {
    return rate_at(k->cfg, k->stop_us - k->start_us, t_us - k->start_us) * k->share;
}

/* noinline: once per RATE_GAP_BATCH arrivals at a constant rate; inlined (LTO does) it makes
 * every caller of rate_clock_next save and restore registers on each arrival. */
__attribute__((noinline)) int rate_clock_next_slow(rate_clock *k, gsl_rng *rng) {
    const load_cfg *c = k->cfg;
    double stop = (double)k->stop_us;
    if (k->peak <= 0)
        return 0;
    if (c->arrivals == ARRIVALS_POISSON) {
        if (c->shape == RATE_CONSTANT) { /* no thinning: every gap is an arrival */
            if (k->gap_next == RATE_GAP_BATCH) {
                zig_exp_fill(rng, k->gap_ahead, RATE_GAP_BATCH);
                k->gap_next = 0;
            }
            /* mean * unit draw: the very product dist_exponential forms */
            k->clock_us += k->gap_mean_us * k->gap_ahead[k->gap_next++];
            return k->clock_us < stop;
        }
        for (;;) {
            k->clock_us += dist_exponential(rng, k->gap_mean_us);
            if (k->clock_us >= stop)
                return 0;
            if ((c->shape == RATE_STEP || c->shape == RATE_TRACE) &&
                (int64_t)k->clock_us - k->start_us >= c->points[c->n_points - 1].t_us &&
                c->points[c->n_points - 1].rps == 0)
                return 0; /* the last point's rate, 0, holds forever: nothing would pass */
            double r = share_at(k, (int64_t)k->clock_us);
            if (rng_uniform(rng) * k->peak < r)
                return 1;
        }
    }
    if (c->shape == RATE_CONSTANT) {
        k->clock_us += 1e6 / (c->rate * k->share);
        return k->clock_us < stop;
    }
    /* Uniform under a varying rate: the next arrival is where the integral of r(t) has grown by
     * one request, integrated in steps of at most 1 ms (rate taken at each step's middle). */
    double need = 1.0;
    for (;;) {
        double h = UNIFORM_STEP_US;
        double r = share_at(k, (int64_t)(k->clock_us + h / 2));
        if (r * h / 1e6 >= need) {
            k->clock_us += need * 1e6 / r;
            return k->clock_us < stop;
        }
        need -= r * h / 1e6;
        k->clock_us += h;
        if (r == 0 && (c->shape == RATE_STEP || c->shape == RATE_TRACE)) {
            /* a stretch of rate 0 between points: jump to the next point */
            int64_t rel = (int64_t)k->clock_us - k->start_us;
            size_t i = 0;
            while (i < c->n_points && c->points[i].t_us <= rel)
                i++;
            if (i == c->n_points && c->points[i - 1].rps == 0)
                return 0; /* the last point's rate, 0, holds forever */
            if (i < c->n_points && (i == 0 || c->points[i - 1].rps == 0) &&
                (c->shape == RATE_STEP || c->interpolation == INTERP_STEP))
                k->clock_us = (double)(k->start_us + c->points[i].t_us);
        }
        if (k->clock_us >= stop)
            return 0;
    }
}
