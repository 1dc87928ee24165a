/* normalize.h: turning the metric proposal into the replica count to write: the min/max and
 * rate limits, without `behavior` (legacy scaleUpLimit) and with it (policies over the scale
 * event history).
 *
 * Contract: pure functions; the limit ones read the event lists of an hpa_state and change
 * nothing. Each result carries the ScalingLimited reason and message upstream would set.
 * Arithmetic is done in int64/double and saturated onto int32 (upstream's int32 would wrap).
 * Source: kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go (v1.28.0:
 * convertDesiredReplicasWithRules, calculateScaleUpLimit, convertDesiredReplicasWithBehaviorRate,
 * calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors). */
#ifndef SCALESIM_HPA_NORMALIZE_H
#define SCALESIM_HPA_NORMALIZE_H

#include <stdint.h>

#include "sim/control/hpa/history.h"
#include "sim/control/hpa/rules.h"

typedef struct hpa_limit {
    int32_t replicas;
    const char *reason;  /* DesiredWithinRange, TooFewReplicas, TooManyReplicas, ScaleUpLimit,
                            ScaleDownLimit (static strings) */
    const char *message; /* upstream's condition message */
} hpa_limit;

/* Without behaviour: min, then min(max, int32(max(factor*current, minimum))). Production
 * factor/minimum are 2 and 4 (upstream's tests use 8). */
hpa_limit hpa_clamp_legacy(int32_t current, int32_t desired, int32_t min_replicas,
                           int32_t max_replicas, double factor, double minimum);

/* The raw policy limits of one direction (before the "not past current" fix), measured from the
 * replica count at the start of each policy's period. Disabled gives current; no policies give
 * INT32_MIN (up) or INT32_MAX (down), as upstream's fold seeds. */
int32_t hpa_scale_up_limit(int32_t current, const hpa_state *st, const hpa_rules *rules,
                           int64_t now_us);
int32_t hpa_scale_down_limit(int32_t current, const hpa_state *st, const hpa_rules *rules,
                             int64_t now_us);

/* With behaviour: rate limits plus min/max, for an already stabilised desired count. When
 * desired == current nothing is clamped. Rules must be defaulted. */
hpa_limit hpa_rate_limit(int32_t current, int32_t desired, int32_t min_replicas,
                         int32_t max_replicas, const hpa_state *st, const hpa_rules *up,
                         const hpa_rules *down, int64_t now_us);

#endif
