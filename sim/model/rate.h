/* rate.h: the offered rate of an open-loop load phase over time, and the instants of its
 * arrivals. One implementation for the simulator's load sources (sim/model/load.c) and for
 * `scalesim loadgen`'s open loop (loadgen/lg_arrivals.c), so that one load description of a
 * scenario file means the same load in both.
 *
 * Shapes (config.h), t counted from the phase's start: constant; ramp (linear from rate_from at
 * the start to rate_to at the phase's stop); step (each point's rate holds until the next);
 * diurnal (r = (min+max)/2 + (max-min)/2 * cos(2 pi (t - peak_at) / period)); trace (points,
 * step or linear interpolation). Before the first point the first point's rate applies, after
 * the last the last one's.
 *
 * Arrivals: Poisson by thinning against the phase's peak rate (Lewis-Shedler; a constant rate
 * uses exponential gaps directly), drawing from the phase's own stream; uniform: the next
 * arrival is where the integral of r(t) has grown by one request, integrated in steps of at most
 * 1 ms with the rate at each step's middle (at a constant rate simply 1 / rate apart, the first
 * at start + 1 / rate); a stretch of rate 0 between step points is skipped in one jump, and a
 * rate that stays 0 after the last point ends the arrivals. */
#ifndef SCALESIM_MODEL_RATE_H
#define SCALESIM_MODEL_RATE_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "sim/scenario/config.h"

/* The rate (requests/s) of phase c at rel_us from its start; span_us is the phase's length
 * (start to stop), which only a ramp needs. */
double rate_at(const load_cfg *c, int64_t span_us, int64_t rel_us);

/* The largest rate the phase reaches. */
double rate_peak(const load_cfg *c);

#define RATE_GAP_BATCH 64

/* The arrival clock of one open-loop phase. */
typedef struct rate_clock {
    const load_cfg *cfg;
    int64_t start_us, stop_us; /* the phase's window: no arrival at or after stop_us */
    double share;              /* the fraction of the rate drawn here: 1 in the simulator;
                                  loadgen splits a rate among its event loops */
    double peak;               /* rate_peak x share */
    double gap_mean_us;        /* 1e6 / peak: the Poisson gaps' mean, divided once */
    double clock_us;           /* the latest arrival, unrounded (start_us before the first) */
    /* Constant-rate Poisson: unit exponentials drawn ahead, RATE_GAP_BATCH at a time (the
     * phase's stream feeds nothing else), so the same numbers come out of a tight loop whose
     * draws overlap instead of one dependent chain per arrival. */
    double gap_ahead[RATE_GAP_BATCH];
    int gap_next; /* next unused entry; RATE_GAP_BATCH: none left */
} rate_clock;

void rate_clock_init(rate_clock *k, const load_cfg *c, int64_t start_us, int64_t stop_us,
                     double share);

/* Advances clock_us to the next arrival and returns 1, or returns 0 when there is none before
 * stop_us. rng: the phase's stream (only Poisson arrivals draw from it), the same one on every
 * call and drawn by nothing else: a constant-rate clock draws ahead from it (rate_clock). */
int rate_clock_next_slow(rate_clock *k, gsl_rng *rng);
static inline int rate_clock_next(rate_clock *k, gsl_rng *rng) {
    /* inline: a gap drawn ahead (only a constant-rate Poisson clock has any); the rest, with
     * the refill of the gaps, in rate_clock_next_slow */
    if (k->gap_next < RATE_GAP_BATCH) {
        k->clock_us += k->gap_mean_us * k->gap_ahead[k->gap_next++];
        return k->clock_us < (double)k->stop_us;
    }
    return rate_clock_next_slow(k, rng);
}

#endif
