/* events_log.h: events.log, the HPA's events in the form of `kubectl describe hpa`'s Events
 * table (Type, Reason, Age, From, Message), one line per event as it was emitted, with the
 * simulated time it happened and its Age at the end of the run.
 *
 *   # HorizontalPodAutoscaler default/sklearn-iris-predictor: events, Age at the end of the run
 * (t=10m) TIME   TYPE    REASON             AGE    FROM                       MESSAGE t=30s  Normal
 * SuccessfulRescale  9m30s  horizontal-pod-autoscaler  New size: 4; reason: ...
 *
 * Age is kubectl's (k8s.io/apimachinery pkg/util/duration HumanDuration). Byte-identical for
 * the same scenario and seed. */
#ifndef SCALESIM_OUTPUT_EVENTS_LOG_H
#define SCALESIM_OUTPUT_EVENTS_LOG_H

#include <stdint.h>
#include <stdio.h>

#include "sim/model/hpa_controller.h"

#define EVENTS_FROM "horizontal-pod-autoscaler"

/* HumanDuration: "45s", "2m", "5m30s", "3h", "2d5h", ... (d in microseconds). */
void k8s_human_duration(int64_t d_us, char *buf, size_t size);

/* Writes the log of c's events; end_us is the end of the run (for Age). */
void events_log_write(FILE *f, const hpa_cfg *cfg, const hpa_ctl *c, int64_t end_us);

#endif
