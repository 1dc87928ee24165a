/* replica_calc.h: one metric's replica proposal, the way upstream's ReplicaCalculator makes it.
 *
 * Contract: each function takes the pods and the metric data the controller fetched, fills an
 * hpa_proposal and returns 0, or fills err and returns -1 (the text is upstream's). They do not
 * touch their inputs; scratch memory is allocated and freed inside the call. Replica counts are
 * int32 like upstream's; every float-to-integer step saturates at the int32/int64 rails (upstream
 * saturates where its newest code does, and wraps or is implementation-defined elsewhere: the
 * rails are the documented choice here) and NaN becomes 0.
 * Source: kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator.go (master after
 * v1.34, with per-direction Tolerances) and metrics/utilization.go. */
#ifndef SCALESIM_HPA_REPLICA_CALC_H
#define SCALESIM_HPA_REPLICA_CALC_H

#include <stdint.h>

#include "common/error.h"
#include "sim/control/hpa/pods.h"

/* Per-direction tolerance (KEP-4951): a ratio r is "within" when 1-down <= r <= 1+up. */
typedef struct hpa_tolerance {
    double scale_down;
    double scale_up;
} hpa_tolerance;

int hpa_tolerance_within(hpa_tolerance tol, double ratio);

/* Saturating conversions: ceil(x) onto [INT32_MIN, INT32_MAX] / [INT64_MIN, INT64_MAX]. */
int32_t hpa_ceil_i32(double x);
int64_t hpa_ceil_i64(double x);
int32_t hpa_trunc_i32(double x);
int32_t hpa_sat_i32(int64_t v);

/* What every calculator sees besides the metric itself. */
typedef struct hpa_calc_ctx {
    const hpa_pod *pods; /* the pods the target's selector matches */
    int npods;
    int64_t now_us;
    int64_t cpu_init_period_us;
    int64_t readiness_delay_us;
    hpa_tolerance tolerance;
    int pod_level_requests; /* the PodLevelResources feature gate */
} hpa_calc_ctx;

typedef struct hpa_proposal {
    int32_t replicas;
    int32_t utilization; /* Utilization targets: whole percent of request, before any fill */
    int64_t usage_milli; /* Utilization: raw average usage; Pods/AverageValue: average usage;
                            Object/External Value: the value (sum); AverageValue: per replica */
} hpa_proposal;

/* Resource or ContainerResource with a Utilization target (percent). `container` "" = pod. */
int hpa_calc_resource_utilization(const hpa_calc_ctx *ctx, int32_t current, int32_t target_pct,
                                  const char *resource, const char *container,
                                  const hpa_pod_metric *metrics, int nmetrics, hpa_proposal *out,
                                  sim_error *err);

/* Per-pod average against a milli target: Pods metrics (cpu_rules 0) and Resource AverageValue
 * (cpu_rules 1 for "cpu"). */
int hpa_calc_plain(const hpa_calc_ctx *ctx, int32_t current, int64_t target_milli, int cpu_rules,
                   const hpa_pod_metric *metrics, int nmetrics, hpa_proposal *out, sim_error *err);

/* Object or External (already summed) value against a Value target. current == 0 gives
 * ceil(value/target) with no tolerance and no pod count (scale from zero). */
int hpa_calc_value(const hpa_calc_ctx *ctx, int32_t current, int64_t target_milli,
                   int64_t value_milli, hpa_proposal *out, sim_error *err);

/* Object value against an AverageValue target; status_replicas is scale.status.replicas. */
int hpa_calc_object_average(const hpa_calc_ctx *ctx, int32_t status_replicas, int64_t target_milli,
                            int64_t value_milli, hpa_proposal *out);

/* Upstream's External sums: Value targets cap a positive overflow at INT64_MAX; AverageValue
 * targets replace a sum that went negative by INT64_MAX (a quirk kept as is). */
int64_t hpa_external_sum_value(const int64_t *values, int n);
int64_t hpa_external_sum_average(const int64_t *values, int n);

/* External (already summed with hpa_external_sum_average) against an AverageValue target. */
int hpa_calc_external_average(const hpa_calc_ctx *ctx, int32_t status_replicas,
                              int64_t target_milli, int64_t sum_milli, hpa_proposal *out);

#endif
