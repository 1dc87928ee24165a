/* lg_pace.h: when requests are due: hey's per-worker ticker, and the loadgen's open-loop flags
 * as the scenario load phases they stand for.
 *
 * The open loop itself runs scenario load phases (sim/scenario/config.h) through the
 * simulator's own rate and arrival code (sim/model/rate.h, loadgen/lg_arrivals.h); the flags
 * come from --load (a scenario file or JSON), or the flags below, shorthands for one phase
 * named "load[0]", of type "poisson" with --arrivals poisson and
 * "uniform" otherwise:
 *   --rate R            {"rate": R}
 *   --rate FROM:TO      {"ramp": {"from": FROM, "to": TO}, "end": -z}
 *   --rate-steps T=R,.. {"step": [[T, R], ...]}
 *   --rate-file F       {"trace": {"file": F, "interpolation": "step"}} */
#ifndef SCALESIM_LOADGEN_LG_PACE_H
#define SCALESIM_LOADGEN_LG_PACE_H

#include <stdint.h>

#include "common/error.h"
#include "sim/scenario/config.h"

/* --load ARG: ARG is JSON when it starts with '{' or '[' (after blanks), named "--load" in
 * messages, with trace files relative to the working directory; else a file name. Either holds
 * a scenario, one load phase or an array of them, read by the scenario loader
 * (scenario_open_loads_text: its checks and "name:line:col: path: ..." messages; closed-loop
 * phases refused). */
int lg_pace_read_load(const char *arg, scenario_cfg *out, sim_error *err);

/* Exactly one of rate, steps and file is not NULL. out gets one phase (free it with
 * scenario_cfg_free); duration_us is -z (0: none), which a ramp needs. */
int lg_pace_load(const char *rate, const char *steps, const char *file, int poisson,
                 int64_t duration_us, scenario_cfg *out, sim_error *err);

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
