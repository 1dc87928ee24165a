/* timeline.h: timeline.csv, one row per simulated second, streamed as the run goes (constant
 * memory whatever the duration).
 *
 * Columns (sim/model/sim.h says exactly what each counts):
 *   time_s           start of the second
 *   offered          requests sent by the clients
 *   completed        successful responses
 *   failed           client errors (timeouts, refused connections)
 *   latency_p50_ms, latency_p95_ms, latency_p99_ms, latency_mean_ms
 *                    of that second's successful responses (0 when none)
 *   inflight, queued time averages of requests inside the service / waiting in a queue
 *   pods_ready, pods_total   at the end of the second
 *   cpu_util_pct     CPU used / CPU requested (the HPA's view; may exceed 100)
 *   mem_util_pct     memory used / memory requested
 *   pod_seconds      pods existing, integrated over the second
 * With an HPA, then:
 *   desired_replicas the Deployment's spec.replicas (what the HPA last wrote)
 *   current_replicas its pods that are not terminating (status.replicas)
 *   pods_unscheduled pods Pending without a node (capacity exhausted)
 *   per HPA metric, <metric>_true and <metric>_seen: the true value over the second and the
 *                    value the HPA saw at its latest sync (empty before one), in the target's
 *                    unit (percent for a Utilization target; <metric> is e.g. cpu_pct) */
#ifndef SCALESIM_OUTPUT_TIMELINE_H
#define SCALESIM_OUTPUT_TIMELINE_H

#include <stdio.h>

#include "sim/model/sim.h"

#define TIMELINE_HEADER                                                                            \
    "time_s,offered,completed,failed,latency_p50_ms,latency_p95_ms,latency_p99_ms,"                \
    "latency_mean_ms,inflight,queued,pods_ready,pods_total,cpu_util_pct,mem_util_pct,pod_seconds"

/* Writes the header to f (not owned). */
void timeline_begin(FILE *f);

/* The header for this model: with an HPA, its columns too. */
void timeline_begin_model(FILE *f, const sim_model *m);

/* A sim_observer.second callback; ctx is the FILE. */
void timeline_row(void *ctx, const sim_second *row);

#endif
