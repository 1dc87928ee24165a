/* hpa_controller.h: the HorizontalPodAutoscaler in the loop: every sync period (at its phase)
 * it builds what the controller would observe (the pods' phase, Ready condition and its
 * transition time, start time and requests; the metric values the pipelines have delivered),
 * calls hpa_sync (sim/control/hpa), writes the decision to the ReplicaSet (lifecycle_scale) and
 * keeps the HPA's state, status and events.
 *
 * Contract: hpa_ctl_init takes an hpa_cfg with present = 1 and the lifecycle of the target
 * Deployment; it owns the metric pipelines (resource always, one Prometheus pipeline per
 * metrics.prom entry) and hooks the lifecycle's on_running. Events are kept in order with their
 * simulated time (memory grows with the number of events only). Nothing here prints. */
#ifndef SCALESIM_MODEL_HPA_CONTROLLER_H
#define SCALESIM_MODEL_HPA_CONTROLLER_H

#include "sim/control/hpa/hpa.h"
#include "sim/model/lifecycle.h"
#include "sim/model/pipeline_prom.h"
#include "sim/model/pipeline_resource.h"

typedef struct hpa_ctl_event {
    int64_t t_us;
    hpa_event ev;
} hpa_ctl_event;

typedef struct hpa_ctl {
    const hpa_cfg *cfg;
    const metrics_cfg *mcfg;
    lifecycle *lc;
    engine *eng;
    res_pipeline res;
    int res_ok;
    prom_pipeline *prom;
    size_t n_prom;
    int *prom_of; /* per spec metric: index into prom, or -1 */

    hpa_state state;
    hpa_status status;
    /* spec.minReplicas / maxReplicas as the object now has them: cfg's at the start; a CronHPA
     * targeting this HPA rewrites them (cron_controller.h) */
    int32_t min_replicas, max_replicas;
    /* External metrics served by KEDA's metrics server (selector scaledobject.keda.sh/name):
     * the value of spec metric i at now, in milli-units (cron_controller.h keda_ctl). Set after
     * hpa_ctl_init; NULL: such metrics fail like a missing series. */
    int64_t (*keda_value)(void *ctx, int metric, int64_t now_us);
    void *keda_ctx;
    hpa_decision last; /* the latest sync's decision */
    int synced;        /* at least one sync ran */
    uint64_t syncs, rescales;
    int64_t first_rescale_up_us, last_rescale_us;
    int32_t max_replicas_seen;

    int64_t last_rec_above_min_us; /* latest sync whose recommendation exceeded minReplicas */

    /* optional: called after every sync with what the controller saw and decided (tests) */
    void (*on_sync)(void *ctx, const hpa_inputs *in, const hpa_decision *d);
    void *on_sync_ctx;

    /* per pod (by id): CPU counter and time at the previous hpa_ctl_true_cpu call */
    int64_t *true_cpu_prev, *true_t_prev;
    int true_cap;

    hpa_ctl_event *events;
    size_t n_events, cap_events;

    /* scratch for building inputs */
    hpa_pod *pods;
    hpa_container *containers;
    hpa_resource_sample *samples;
    hpa_container_usage *usages;
    hpa_pod_metric *pod_values;
    int cap_scratch;
    int64_t ext_value[HPA_MAX_METRICS];
} hpa_ctl;

/* `requests` counts requests arrived at the service (for request-rate metrics); may be NULL. */
int hpa_ctl_init(hpa_ctl *c, const hpa_cfg *cfg, const metrics_cfg *mcfg, lifecycle *lc,
                 const char *svc_name, uint64_t seed, prom_counter_fn requests, void *requests_ctx,
                 sim_error *err);
void hpa_ctl_free(hpa_ctl *c);

/* The number of metrics the HPA evaluates (1 for the default cpu metric). */
int hpa_ctl_nmetrics(const hpa_ctl *c);
/* The spec of metric i (the default cpu 80 % metric when the spec has none). */
const hpa_metric_spec *hpa_ctl_metric(const hpa_ctl *c, int i);

/* The value the HPA saw for metric i at its latest sync, in the target's unit (percent for
 * Utilization, else the value or average value in whole units); NAN when none yet. */
double hpa_ctl_observed(const hpa_ctl *c, int i);

/* The true CPU use of the Running pods (not terminating) since the previous call, in percent
 * of their request (*request_pct) and of their limit, or request without one (*cap_pct); 0
 * with no Running pod. Call once per timeline row. */
void hpa_ctl_true_cpu(hpa_ctl *c, double *request_pct, double *cap_pct);

/* A short column name for metric i: "cpu_pct", "DCGM_CUSTOM_PROCESS_SM_UTIL", ... */
void hpa_ctl_metric_label(const hpa_ctl *c, int i, char *buf, size_t size);

#endif
