/* pods.h: the pods an HPA targets, their metric samples, and how upstream classifies them.
 *
 * Contract: pure functions over caller-owned arrays; nothing here keeps state or prints. Name
 * matching goes through a temporary hash index (freed before returning; without memory the same
 * answer comes from a linear search). Times are int64 microseconds on one clock (the caller's
 * "now"); quantities are int64 milli-units (1 CPU core = 1000). Names are compared as C strings; a
 * pod name that appears twice in a list behaves like a map key (the later entry wins), as
 * upstream's maps do. Rules restated from kubernetes/kubernetes
 * pkg/controller/podautoscaler/replica_calculator.go (master after v1.34: groupPods,
 * calculateRequests) and metrics/client.go (getPodMetrics). */
#ifndef SCALESIM_HPA_PODS_H
#define SCALESIM_HPA_PODS_H

#include <stdint.h>

#include "common/error.h"

typedef enum {
    HPA_PHASE_RUNNING,
    HPA_PHASE_PENDING,
    HPA_PHASE_SUCCEEDED,
    HPA_PHASE_FAILED
} hpa_pod_phase;

/* The pod's Ready condition: absent, or its status. */
typedef enum { HPA_READY_ABSENT, HPA_READY_TRUE, HPA_READY_FALSE, HPA_READY_UNKNOWN } hpa_ready;

typedef struct hpa_container {
    const char *name;
    int has_request; /* 0: no request for the resource (a Utilization metric then fails) */
    int64_t request_milli;
    int restart_always; /* init containers only: a sidecar (restartPolicy Always) */
} hpa_container;

typedef struct hpa_pod {
    const char *name;
    hpa_pod_phase phase;
    hpa_ready ready;
    int64_t ready_transition_us; /* lastTransitionTime of the Ready condition */
    int has_start_time;          /* 0: status.startTime is nil */
    int64_t start_time_us;
    int deleted; /* deletionTimestamp set */
    const hpa_container *containers;
    int ncontainers;
    const hpa_container *init_containers;
    int ninit_containers;
    int has_pod_request; /* pod-level requests (KEP-2837) set for the resource */
    int64_t pod_request_milli;
} hpa_pod;

/* One pod's value for one metric, as the metrics clients hand it to the calculator. */
typedef struct hpa_pod_metric {
    const char *pod;
    int64_t value_milli;
    int64_t timestamp_us;
    int64_t window_us;
} hpa_pod_metric;

/* What metrics.k8s.io returns for one pod: per-container usage of one resource. */
typedef struct hpa_container_usage {
    const char *name;
    int has_usage; /* 0: the container reports no value for the resource */
    int64_t usage_milli;
} hpa_container_usage;

typedef struct hpa_resource_sample {
    const char *pod;
    int64_t timestamp_us;
    int64_t window_us;
    const hpa_container_usage *containers;
    int ncontainers;
} hpa_resource_sample;

/* Turns resource samples into per-pod values (into out, room for n entries; *nout set). A pod
 * whose sample has no containers, or a container without the resource, is left out (missing).
 * With a named container only that container counts, and a pod without it is left out (current
 * master; before v1.32 this was an error). Fails when n == 0: "no metrics returned from resource
 * metrics API". Duplicate pods: the later sample wins. */
int hpa_resource_pod_metrics(const hpa_resource_sample *samples, int n, const char *container,
                             hpa_pod_metric *out, int *nout, sim_error *err);

typedef enum { HPA_POD_READY, HPA_POD_UNREADY, HPA_POD_MISSING, HPA_POD_IGNORED } hpa_pod_class;

typedef struct hpa_group_cfg {
    int cpu_rules; /* 1 when the metric is the "cpu" resource (readiness filtering applies) */
    int64_t now_us;
    int64_t cpu_init_period_us;
    int64_t readiness_delay_us;
} hpa_group_cfg;

/* Classifies every pod (cls_out has room for npods): ignored (deleted or Failed), unready
 * (Pending; or, with cpu_rules, not yet trustworthy), missing (no metric), else ready.
 * Returns the ready count. */
int hpa_group_pods(const hpa_pod *pods, int npods, const hpa_pod_metric *metrics, int nmetrics,
                   const hpa_group_cfg *cfg, hpa_pod_class *cls_out);

/* The same with each pod's metric already matched: metric_of[i] is the index in metrics of pod
 * i's sample, or -1 (the linear-time form the calculators use). */
int hpa_group_pods_matched(const hpa_pod *pods, int npods, const hpa_pod_metric *metrics,
                           const int *metric_of, const hpa_group_cfg *cfg, hpa_pod_class *cls_out);

/* The request a Utilization target divides by, for one pod: the pod-level request when enabled
 * and set and no container is named; else the named container, or the sum over containers and
 * sidecar init containers. Errors: "missing request for <res> in container <c> of Pod <p>",
 * "container <c> not found in Pod <p>". */
int hpa_pod_request(const hpa_pod *pod, const char *resource, const char *container,
                    int pod_level_enabled, int64_t *out_milli, sim_error *err);

/* Index of the last metric for pod `name`, or -1. */
int hpa_find_metric(const hpa_pod_metric *metrics, int n, const char *name);

#endif
