/* replay.h: replaying a recorded HPA timeline through the same HPA code (sim/control/hpa).
 *
 * Contract:
 * - A recording is an array of replay_sample rows in time order (replay_csv.h reads one from
 *   CSV). replay_run walks the HPA's syncs (sync_phase_us + k * sync_period_us, as the scenario's
 *   controller section says), and for each sync builds what the controller saw from the rows
 *   around it: the replica count before the sync (the row just before), the ready and total pods
 *   (same row), and the metric values the HPA reported after the sync (the row just after: the
 *   `_seen` columns are status.currentMetrics). It calls hpa_sync with state and status kept
 *   across syncs, and compares the computed replica count with the recorded one (the row after).
 * - Pure logic: no I/O, no globals; replay_result is filled and owned by the caller.
 * - Returns -1 with err filled only for inputs it cannot use (no rows, too many metrics). */
#ifndef SCALESIM_REPLAY_REPLAY_H
#define SCALESIM_REPLAY_REPLAY_H

#include <stdint.h>

#include "common/error.h"
#include "sim/control/hpa/hpa.h"
#include "sim/scenario/config.h"

typedef struct replay_sample {
    int64_t t_us;
    int32_t desired;    /* spec.replicas as recorded (desired_replicas / hpa_desired) */
    int32_t current;    /* live pods (current_replicas / hpa_current); -1 when absent */
    int32_t pods_ready; /* -1 when absent: taken as `current` */
    int32_t pods_total; /* -1 when absent: taken as `current` */
    int32_t min_replicas, max_replicas; /* the HPA's spec as recorded; -1 when absent */
    int nmetrics;
    double metric[HPA_MAX_METRICS]; /* NAN: the metric was not available */
} replay_sample;

typedef struct replay_sync {
    int64_t t_us;
    int32_t current;  /* replicas before the sync */
    int32_t recorded; /* replicas after the sync, as recorded */
    int32_t computed; /* replicas after the sync, as hpa_sync decides */
    int32_t proposal; /* the metric proposal before stabilisation and limits */
    double metric[HPA_MAX_METRICS];
    int nmetrics;
    int32_t pods_ready, pods_total;
    int32_t min_replicas, max_replicas; /* the limits this sync used */
    int cron_fires;                     /* CronHPA fires run by this sync (cumulative) */
    char rule[128]; /* what decided the computed count (replay_rule; for Utilization metrics
                       "proposal = current" says whether the tolerance kept it) */
} replay_sync;

typedef struct replay_result {
    int nsyncs;
    int nagree;
    int first_divergence; /* index into syncs, -1 when every sync agrees */
    replay_sync *syncs;   /* nsyncs entries, malloc'd: free with replay_result_free */
} replay_result;

/* `cfg` is the scenario's HPA (present), `cpu_request_milli` the pod's request (Utilization
 * targets divide by it). `cron` (NULL or not present: none) is the scenario's CronHPA, whose
 * fires (replay_cron.h) rewrite the limits and set replicas between syncs; start_unix_us is the
 * wall clock of t = 0 for its schedules. A row's recorded min/max_replicas, when present,
 * are the limits of a sync after it (they are what the cluster had). */
int replay_run(const hpa_cfg *cfg, int64_t cpu_request_milli, const cronhpa_cfg *cron,
               int64_t start_unix_us, const replay_sample *rows, int nrows, replay_result *out,
               sim_error *err);
void replay_result_free(replay_result *r);

/* The rule that decided a sync's count, as a short phrase: "min/max (TooManyReplicas)",
 * "stabilization (ScaleDownStabilized)", "rate limit (ScaleUpLimit)",
 * "proposal = current (tolerance or rounding)",
 * "metric proposal", or the path for syncs that did not evaluate metrics. */
void replay_rule(const hpa_decision *d, char *buf, size_t size);

#endif
