/* hpa.h: one sync of one HorizontalPodAutoscaler (autoscaling/v2), as kube-controller-manager's
 * HPA controller performs it every --horizontal-pod-autoscaler-sync-period.
 *
 * Contract:
 * - hpa_sync is a pure step function: (config, spec, per-HPA state, status, this sync's
 *   observations) -> decision. It never does I/O and keeps nothing outside `state` and
 *   `status`, which the caller owns and passes back at the next sync of the same HPA.
 * - Times are int64 microseconds on the caller's clock (`now_us`); quantities int64 milli-units;
 *   replica counts int32 like upstream.
 * - Upstream failures (scale read, metrics, scale write) are part of the decision (conditions,
 *   events, error text), not errors: hpa_sync returns -1 only for arguments it cannot use
 *   (too many metrics, out of memory), with err filled.
 * - The spec is taken as the API server would hand it over: the caller applies minReplicas'
 *   default of 1; an empty metric list means the default cpu Utilization 80 metric.
 * Source: kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go (v1.28.0,
 * reconcileAutoscaler, computeReplicasForMetrics, normalizeDesiredReplicas[WithBehaviors]) with
 * the newest replica_calculator.go; per-HPA tolerance from KEP-4951. See docs/hpa.md. */
#ifndef SCALESIM_HPA_HPA_H
#define SCALESIM_HPA_HPA_H

#include <stdint.h>

#include "common/error.h"
#include "sim/control/hpa/conditions.h"
#include "sim/control/hpa/history.h"
#include "sim/control/hpa/normalize.h"
#include "sim/control/hpa/pods.h"
#include "sim/control/hpa/replica_calc.h"
#include "sim/control/hpa/rules.h"

#define HPA_MAX_METRICS 16

typedef enum {
    HPA_METRIC_RESOURCE,
    HPA_METRIC_CONTAINER_RESOURCE,
    HPA_METRIC_PODS,
    HPA_METRIC_OBJECT,
    HPA_METRIC_EXTERNAL,
    HPA_METRIC_UNKNOWN, /* any other type string: fails with InvalidMetricSourceType */
} hpa_metric_type;

typedef enum {
    HPA_TARGET_UNSET,
    HPA_TARGET_UTILIZATION,
    HPA_TARGET_AVERAGE_VALUE,
    HPA_TARGET_VALUE,
} hpa_target_type;

/* A MetricTarget: its declared type and which of the three values are set. Resource metrics go
 * by which value is set (averageValue first); Object/External need the type and its value. */
typedef struct hpa_metric_target {
    hpa_target_type type;
    int has_utilization;
    int32_t average_utilization; /* percent */
    int has_average_value;
    int64_t average_value_milli;
    int has_value;
    int64_t value_milli;
} hpa_metric_target;

typedef struct hpa_metric_spec {
    hpa_metric_type type;
    const char *type_name;   /* the type as written (messages about unknown types) */
    const char *name;        /* resource name ("cpu") or metric name ("qps") */
    const char *container;   /* ContainerResource only */
    const char *object_kind; /* Object: describedObject.kind, e.g. "Deployment" */
    const char *object_name; /* Object: describedObject.name */
    const char *selector; /* Object/External metric selector as Go's %+v prints it; NULL: "nil" */
    hpa_metric_target target;
} hpa_metric_spec;

typedef struct hpa_spec {
    const char *namespace_name; /* for messages; NULL: "default" */
    int32_t min_replicas;
    int32_t max_replicas;
    const hpa_metric_spec *metrics;
    int nmetrics;
    hpa_behavior behavior; /* behavior.present 0: the legacy path */
} hpa_spec;

/* Controller flags. hpa_config_default gives the production values. */
typedef struct hpa_config {
    hpa_tolerance tolerance;       /* --horizontal-pod-autoscaler-tolerance (0.1 both ways) */
    int64_t cpu_init_period_us;    /* --horizontal-pod-autoscaler-cpu-initialization-period 5m */
    int64_t readiness_delay_us;    /* --horizontal-pod-autoscaler-initial-readiness-delay 30s */
    int64_t downscale_window_us;   /* --horizontal-pod-autoscaler-downscale-stabilization 5m */
    double scale_up_limit_factor;  /* 2 (upstream's unit tests: 8) */
    double scale_up_limit_minimum; /* 4 */
    int pod_level_requests;        /* PodLevelResources feature gate */
    int configurable_tolerance;    /* HPAConfigurableTolerance feature gate (beta, on) */
} hpa_config;

void hpa_config_default(hpa_config *cfg);

/* What the metrics APIs answer for one metric of the spec in this sync. */
typedef struct hpa_metric_data {
    int failed;                          /* the API call for this metric fails */
    const char *error;                   /* its error text; NULL: a generic one */
    const hpa_resource_sample *resource; /* Resource, ContainerResource */
    int nresource;
    const hpa_pod_metric *pod_values; /* Pods */
    int npod_values;
    int64_t object_value_milli;     /* Object */
    const int64_t *external_values; /* External: every series matching the selector */
    int nexternal;
} hpa_metric_data;

/* What the controller observes in this sync. */
typedef struct hpa_inputs {
    int64_t now_us;
    int get_scale_fails; /* reading the scale subresource fails */
    const char *get_scale_error;
    int32_t spec_replicas;   /* scale.spec.replicas: "current" */
    int32_t status_replicas; /* scale.status.replicas (Object/External AverageValue) */
    int update_scale_fails;  /* a scale write in this sync fails */
    const char *update_scale_error;
    const hpa_pod *pods; /* pods matched by the target's selector */
    int npods;
    const hpa_metric_data *metrics; /* one per spec metric (one for the default metric) */
} hpa_inputs;

typedef struct hpa_metric_status {
    int valid; /* 0: an empty entry (the metric failed) */
    hpa_metric_type type;
    const char *name;
    int has_utilization;
    int32_t average_utilization;
    int has_average_value;
    int64_t average_value_milli;
    int has_value;
    int64_t value_milli;
} hpa_metric_status;

/* The HPA object's status; the caller keeps it between syncs. */
typedef struct hpa_status {
    int32_t current_replicas;
    int32_t desired_replicas;
    int has_last_scale_time;
    int64_t last_scale_time_us;
    int nmetrics;
    hpa_metric_status metrics[HPA_MAX_METRICS];
    hpa_conditions conditions;
} hpa_status;

typedef enum {
    HPA_PATH_GET_SCALE_FAILED, /* stopped after the scale read failed */
    HPA_PATH_DISABLED,         /* current == 0 and minReplicas > 0 */
    HPA_PATH_ABOVE_MAX,        /* current > max: desired = max, metrics not evaluated */
    HPA_PATH_BELOW_MIN,        /* current < min: desired = min, metrics not evaluated */
    HPA_PATH_METRICS_FAILED,   /* the metric step failed as a whole: nothing written */
    HPA_PATH_METRICS,          /* metrics evaluated and normalised */
} hpa_path;

typedef struct hpa_metric_result {
    int ok;
    int32_t proposal;
    char name[160];          /* "cpu resource utilization (percentage of request)" ... */
    hpa_proposal detail;     /* utilization and usage behind the proposal */
    const char *fail_reason; /* FailedGetResourceMetric, ... (ScalingActive reason) */
    char error[SIM_ERROR_MAX];
} hpa_metric_result;

typedef struct hpa_decision {
    hpa_path path;
    int32_t current; /* scale.spec.replicas */
    int nmetrics;
    hpa_metric_result metrics[HPA_MAX_METRICS];
    int32_t proposal;             /* max over the healthy metrics (0 when none) */
    int32_t desired;              /* max(proposal, 0), or the min/max clamp on those paths */
    int32_t stabilized;           /* after the stabilisation window */
    const char *stabilize_reason; /* ReadyForNewScale, ScaleDownStabilized, ScaleUpStabilized */
    hpa_limit limit;              /* after the rate and min/max limits: the final count */
    int rescale;                  /* a scale write was attempted */
    int scale_updated;            /* ... and succeeded */
    int32_t replicas_after;       /* scale.spec.replicas after the sync */
    char rescale_reason[256];
    hpa_events events;
    char error[SIM_ERROR_MAX]; /* the error the sync returns upstream, "" when none */
} hpa_decision;

/* One sync. `state` and `status` are read and updated; `out` is filled. */
int hpa_sync(const hpa_config *cfg, const hpa_spec *spec, hpa_state *state, hpa_status *status,
             const hpa_inputs *in, hpa_decision *out, sim_error *err);

/* The effective rules of a behaviour (defaulted; the unset scale-down window filled from the
 * controller flag). behavior->present must be 1. */
void hpa_effective_rules(const hpa_config *cfg, const hpa_behavior *behavior, hpa_rules *up,
                         hpa_rules *down);

const char *hpa_metric_type_name(hpa_metric_type t);

/* The metrics the controller evaluates: spec->metrics, or for an HPA without metrics the default
 * cpu Utilization 80 metric (pkg/apis/autoscaling/v2/defaults.go). *n receives the count (>= 1). */
const hpa_metric_spec *hpa_spec_metrics(const hpa_spec *spec, int *n);

#endif
