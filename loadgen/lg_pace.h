/* lg_pace.h: when requests are due: hey's per-worker ticker and open-loop rate schedules.
 *
 * A schedule is a rate over time (requests/s), piecewise linear between points, the last
 * rate held; "--rate 200" is one point, "--rate 0:500" a ramp from 0 to 500 over the run
 * (needs its length), "--rate-file F" reads t_s,rps rows (the scenario trace format, rate
 * held from one row to the next, like "interpolation": "step"), "--rate-steps" a scenario's
 * "step" list. Arrivals are evenly spaced (the scenario's "uniform") or Poisson, both exact
 * for a rate that changes over time (lg_schedule_next). */
#ifndef SCALESIM_LOADGEN_LG_PACE_H
#define SCALESIM_LOADGEN_LG_PACE_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

typedef struct lg_rate_point {
    int64_t t_us;
    double rps;
} lg_rate_point;

typedef struct lg_schedule {
    lg_rate_point *points; /* times strictly increasing, first at 0 */
    size_t n;
    int linear; /* 1: linear between points; 0: held */
} lg_schedule;

/* "R" or "FROM:TO" (a ramp over duration_us, which must then be > 0). */
int lg_schedule_parse(const char *text, int64_t duration_us, lg_schedule *s, sim_error *err);
/* Steps as in a scenario's "step": "T=R,T=R,..." with T a duration from the start ("0", "90s",
 * "5m") strictly increasing, R a rate held until the next step; 0 before the first. */
int lg_schedule_steps(const char *text, lg_schedule *s, sim_error *err);
/* A CSV file with columns t_s and rps (any order, others ignored). */
int lg_schedule_load(const char *path, lg_schedule *s, sim_error *err);
void lg_schedule_free(lg_schedule *s);

double lg_schedule_rate(const lg_schedule *s, int64_t t_us);
/* The instant of the arrival after one at t_us (the rate scaled by share): where the integral
 * of the rate from t_us reaches `need` (1 for evenly spaced arrivals, an Exp(1) draw for
 * Poisson arrivals); INT64_MAX when the rate stays 0 for the rest of the schedule. */
int64_t lg_schedule_next(const lg_schedule *s, double share, int64_t t_us, double need);

/* An Exp(1) draw from a splitmix64 stream (deterministic for a seed). */
double lg_exp1(uint64_t *state);

/* hey's ticker (time.Tick(interval)): ticks at start + k * interval, k >= 1; a receiver that is
 * late takes the one tick Go kept for it at once, and the next comes at the grid point after. */
typedef struct lg_ticker {
    int64_t start_us, interval_us, next_us;
} lg_ticker;

void lg_ticker_init(lg_ticker *t, int64_t start_us, double qps);
/* Called when the worker wants to send at now_us: returns the instant it may send (>= now_us)
 * and consumes that tick. */
int64_t lg_ticker_take(lg_ticker *t, int64_t now_us);

#endif
