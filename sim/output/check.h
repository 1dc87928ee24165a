/* check.h: the assertion engine of `scalesim check`: pure functions from one assertion of a
 * scenario's "expect" block (sim/scenario/config.h) and one run's parsed outputs (check_data.h)
 * to a verdict with the observed value, the simulated time it refers to and a message.
 *
 * How each kind is computed (docs/check.md has the user's view):
 *   replicas_*        the replica column: desired_replicas, else current_replicas, else
 *                     pods_total (the message names the column used); the value of the row whose
 *                     time_s is the time asked about (a row holds the count at the end of its
 *                     second);
 *   scale_up_within   the first row at or after `after` whose replica count exceeds the count at
 *                     `after`; the time is that row's time_s;
 *   back_to_min       the first time at or after `after` from which the count stays <= min to
 *                     the end of the run;
 *   rescales          SuccessfulRescale lines of events.log; without events.log, the number of
 *                     changes of the replica column (the message says so);
 *   latency           whole run: summary.json latency_ms.pNN; with a window: every window's
 *                     mean of the per-second latency_pNN_ms weighted by completed requests;
 *   slo_attainment    percent of the seconds with traffic whose latency_pNN_ms <= the SLO
 *                     (a second that served nothing but had failures misses it);
 *   error_rate        summary.json failed / (completed + failed), in percent;
 *   pod/gpu_hours     summary.json pods.pod_hours / gpu_hours (pods.gpu_hours); the time is when
 *                     the running sum of pod_seconds / gpu_seconds passed the bound;
 *   golden            every column of the golden file, row by row matched on time_s.
 * A verdict's margin is larger the better it holds (negative when it fails), so that the worst
 * of several seeds is the one with the smallest margin. */
#ifndef SCALESIM_OUTPUT_CHECK_H
#define SCALESIM_OUTPUT_CHECK_H

#include <stdint.h>

#include "common/error.h"
#include "sim/output/check_data.h"
#include "sim/scenario/config.h"

#define CHECK_MSG_MAX 512

typedef struct check_result {
    int passed;
    double observed; /* in the assertion's unit (replicas, seconds, ms, percent, hours, count) */
    double margin;   /* > 0 holds with room, < 0 fails; comparable across seeds */
    int64_t t_us;    /* simulated time the observation refers to; -1: the whole run */
    char message[CHECK_MSG_MAX]; /* the observation, e.g. "12 replicas at 1m30s (column ...)" */
} check_result;

/* Evaluates a against run. golden is the parsed golden timeline for EXPECT_GOLDEN (NULL for
 * the others). Returns 0 with *out filled, or -1 with err set when the assertion cannot be
 * evaluated on these files (a column or summary field it needs is missing). */
int check_eval(const expect_assert *a, const check_run *run, const check_table *golden,
               check_result *out, sim_error *err);

/* The replica column check_eval uses, -1 when the timeline has none. */
int check_replica_col(const check_table *t);

/* True when r is worse than best (a failure beats a pass; then the smaller margin). */
int check_result_worse(const check_result *r, const check_result *best);

#endif
