/* describe.h: the `kubectl describe hpa` block `scalesim run` prints at the end of a run with
 * an HPA: Name, Namespace, Reference, Metrics ( current / target ), Min/Max replicas, Behavior
 * (when the spec has one, as the API server defaults it), Deployment pods current / desired,
 * Conditions, Events (aggregated like the event recorder: identical events counted,
 * "Age (xN over Age)", those not seen in the last hour dropped as the API server's --event-ttl
 * does). Layout and wording: kubectl pkg/describe/describe.go describeHorizontalPodAutoscalerV2
 * and DescribeEvents (v1.28), aligned as Go's tabwriter would. Timestamps are simulated. */
#ifndef SCALESIM_OUTPUT_DESCRIBE_H
#define SCALESIM_OUTPUT_DESCRIBE_H

#include <stdio.h>

#include "sim/model/hpa_controller.h"

void describe_hpa(FILE *f, const hpa_cfg *cfg, const pod_cfg *pod, const hpa_ctl *c,
                  int64_t end_us);

#endif
