/* metric_eval.h: one metric spec of an HPA -> its proposal, status entry and failure, the way
 * upstream's computeReplicasForMetric does it (message texts included).
 *
 * Contract: pure; reads the spec, the observed data and the pods, fills `res` and `st` (both
 * cleared first). A failure is reported in res (ok 0, fail_reason = the ScalingActive reason,
 * error = the wrapped upstream message), never as a return code.
 * Source: kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go (v1.28.0:
 * computeReplicasForMetric, computeStatusFor*Metric). */
#ifndef SCALESIM_HPA_METRIC_EVAL_H
#define SCALESIM_HPA_METRIC_EVAL_H

#include "sim/control/hpa/hpa.h"

typedef struct hpa_eval_ctx {
    const hpa_calc_ctx *calc; /* pods, periods, tolerance of this HPA */
    const char *namespace_name;
    int32_t spec_replicas;   /* current */
    int32_t status_replicas; /* for AverageValue Object/External targets */
} hpa_eval_ctx;

void hpa_eval_metric(const hpa_eval_ctx *ctx, const hpa_metric_spec *m, const hpa_metric_data *d,
                     hpa_metric_result *res, hpa_metric_status *st);

#endif
