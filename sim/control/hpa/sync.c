/* sync.c: one reconcile of one HPA (reconcileAutoscaler); see hpa.h. */
#include "sim/control/hpa/hpa.h"

#include <stdio.h>
#include <string.h>

#include "sim/control/hpa/metric_eval.h"

void hpa_config_default(hpa_config *cfg) {
    /* kube-controller-manager defaults: cmd/kube-controller-manager/app/options/hpacontroller.go
     * and pkg/controller/podautoscaler/config/v1alpha1/defaults.go (v1.28.0). */
    memset(cfg, 0, sizeof *cfg);
    cfg->tolerance = (hpa_tolerance){0.1, 0.1};
    cfg->cpu_init_period_us = 300 * 1000000LL;
    cfg->readiness_delay_us = 30 * 1000000LL;
    cfg->downscale_window_us = 300 * 1000000LL;
    cfg->scale_up_limit_factor = 2.0;
    cfg->scale_up_limit_minimum = 4.0;
    cfg->configurable_tolerance = 1;
}

const char *hpa_metric_type_name(hpa_metric_type t) {
    switch (t) {
    case HPA_METRIC_RESOURCE:
        return "Resource";
    case HPA_METRIC_CONTAINER_RESOURCE:
        return "ContainerResource";
    case HPA_METRIC_PODS:
        return "Pods";
    case HPA_METRIC_OBJECT:
        return "Object";
    case HPA_METRIC_EXTERNAL:
        return "External";
    default:
        return "Unknown";
    }
}

void hpa_effective_rules(const hpa_config *cfg, const hpa_behavior *behavior, hpa_rules *up,
                         hpa_rules *down) {
    hpa_rules_default(behavior->has_up ? &behavior->up : NULL, 1, up);
    hpa_rules_default(behavior->has_down ? &behavior->down : NULL, 0, down);
    /* maybeInitScaleDownStabilizationWindow: the flag fills an unset scale-down window. */
    if (!down->has_window) {
        down->has_window = 1;
        down->window_s = (int32_t)(cfg->downscale_window_us / 1000000);
    }
}

/* setStatus / setCurrentReplicasAndMetricsInStatus. */
static void set_status_metrics(hpa_status *status, int32_t current, const hpa_metric_status *ms,
                               int n) {
    status->current_replicas = current;
    status->nmetrics = n;
    for (int i = 0; i < n; i++)
        status->metrics[i] = ms[i];
}

/* The default metric of an HPA without metrics (pkg/apis/autoscaling/v2/defaults.go). */
static const hpa_metric_spec default_metric = {HPA_METRIC_RESOURCE,
                                               "Resource",
                                               "cpu",
                                               NULL,
                                               NULL,
                                               NULL,
                                               NULL,
                                               {HPA_TARGET_UTILIZATION, 1, 80, 0, 0, 0, 0}};

const hpa_metric_spec *hpa_spec_metrics(const hpa_spec *spec, int *n) {
    *n = spec->nmetrics > 0 ? spec->nmetrics : 1;
    return spec->nmetrics > 0 ? spec->metrics : &default_metric;
}

/* computeReplicasForMetrics: the plain maximum over healthy metrics; a failure blocks the step
 * when every metric failed or when the healthy maximum is below current. Returns 0 when the
 * step as a whole succeeded. */
static int eval_metrics(const hpa_config *cfg, const hpa_spec *spec, const hpa_inputs *in,
                        int32_t current, hpa_status *status, hpa_metric_status *ms,
                        hpa_decision *out, int *best_index) {
    int n;
    const hpa_metric_spec *specs = hpa_spec_metrics(spec, &n);
    hpa_tolerance tol = cfg->tolerance;
    if (spec->behavior.present && cfg->configurable_tolerance) {
        if (spec->behavior.has_up && spec->behavior.up.has_tolerance)
            tol.scale_up = spec->behavior.up.tolerance;
        if (spec->behavior.has_down && spec->behavior.down.has_tolerance)
            tol.scale_down = spec->behavior.down.tolerance;
    }
    hpa_calc_ctx calc = {in->pods,
                         in->npods,
                         in->now_us,
                         cfg->cpu_init_period_us,
                         cfg->readiness_delay_us,
                         tol,
                         cfg->pod_level_requests};
    hpa_eval_ctx ectx = {&calc, spec->namespace_name ? spec->namespace_name : "default", current,
                         in->status_replicas};
    int invalid = 0, first_invalid = -1;
    int32_t replicas = 0;
    *best_index = -1;
    out->nmetrics = n;
    for (int i = 0; i < n; i++) {
        hpa_metric_result *r = &out->metrics[i];
        hpa_eval_metric(&ectx, &specs[i], &in->metrics[i], r, &ms[i]);
        if (!r->ok) {
            /* getUnableComputeReplicaCountCondition records a Warning per failing metric. */
            hpa_event_add(&out->events, 1, r->fail_reason, "%s", r->error);
            if (first_invalid < 0)
                first_invalid = i;
            invalid++;
            continue;
        }
        if (replicas == 0 || r->proposal > replicas) {
            replicas = r->proposal;
            *best_index = i;
        }
    }
    out->proposal = replicas;
    if (invalid > 0)
        snprintf(out->error, sizeof out->error,
                 "invalid metrics (%d invalid out of %d), first error is: %.900s", invalid, n,
                 out->metrics[first_invalid].error);
    if (invalid > 0 && (invalid >= n || replicas < current)) {
        hpa_condition_set(&status->conditions, HPA_COND_SCALING_ACTIVE, 0,
                          out->metrics[first_invalid].fail_reason, in->now_us,
                          "the HPA was unable to compute the replica count: %s",
                          out->metrics[first_invalid].error);
        return -1;
    }
    hpa_condition_set(&status->conditions, HPA_COND_SCALING_ACTIVE, 1, "ValidMetricFound",
                      in->now_us,
                      "the HPA was able to successfully calculate a replica count from %s",
                      *best_index >= 0 ? out->metrics[*best_index].name : "");
    return 0;
}

/* normalizeDesiredReplicas (no behaviour) and normalizeDesiredReplicasWithBehaviors. */
static int normalize(const hpa_config *cfg, const hpa_spec *spec, hpa_state *state,
                     hpa_status *status, int64_t now, int32_t current, int32_t desired,
                     hpa_decision *out, sim_error *err) {
    hpa_conditions *cs = &status->conditions;
    int32_t stabilized;
    const char *stab_reason = "ScaleDownStabilized";
    const char *stab_message = "recent recommendations were higher than current one, applying "
                               "the highest recent recommendation";
    if (!spec->behavior.present) {
        if (hpa_stabilize_legacy(state, desired, cfg->downscale_window_us, now, &stabilized, err) <
            0)
            return -1;
        out->limit = hpa_clamp_legacy(current, stabilized, spec->min_replicas, spec->max_replicas,
                                      cfg->scale_up_limit_factor, cfg->scale_up_limit_minimum);
    } else {
        hpa_rules up, down;
        hpa_effective_rules(cfg, &spec->behavior, &up, &down);
        if (hpa_stabilize_behavior(state, current, desired, (int64_t)up.window_s * 1000000,
                                   (int64_t)down.window_s * 1000000, now, &stabilized, err) < 0)
            return -1;
        if (desired >= current) {
            stab_reason = "ScaleUpStabilized";
            stab_message = "recent recommendations were lower than current one, applying the "
                           "lowest recent recommendation";
        }
        out->limit = hpa_rate_limit(current, stabilized, spec->min_replicas, spec->max_replicas,
                                    state, &up, &down, now);
    }
    out->stabilized = stabilized;
    if (stabilized != desired) {
        out->stabilize_reason = stab_reason;
        hpa_condition_set(cs, HPA_COND_ABLE_TO_SCALE, 1, stab_reason, now, "%s", stab_message);
    } else {
        out->stabilize_reason = "ReadyForNewScale";
        hpa_condition_set(cs, HPA_COND_ABLE_TO_SCALE, 1, "ReadyForNewScale", now,
                          "recommended size matches current size");
    }
    hpa_condition_set(cs, HPA_COND_SCALING_LIMITED, out->limit.replicas != stabilized,
                      out->limit.reason, now, "%s", out->limit.message);
    return 0;
}

int hpa_sync(const hpa_config *cfg, const hpa_spec *spec, hpa_state *state, hpa_status *status,
             const hpa_inputs *in, hpa_decision *out, sim_error *err) {
    memset(out, 0, sizeof *out);
    if (spec->nmetrics > HPA_MAX_METRICS)
        return error_set(err, "hpa: %d metrics, at most %d are supported", spec->nmetrics,
                         HPA_MAX_METRICS);
    if (in->metrics == NULL || (in->pods == NULL && in->npods > 0) || in->npods < 0)
        return error_set(err, "hpa: the inputs need one metric data entry per metric and the "
                              "pod array");
    int64_t now = in->now_us;
    hpa_conditions *cs = &status->conditions;
    if (in->get_scale_fails) {
        const char *e = in->get_scale_error ? in->get_scale_error : "the scale read failed";
        out->path = HPA_PATH_GET_SCALE_FAILED;
        hpa_event_add(&out->events, 1, "FailedGetScale", "%s", e);
        hpa_condition_set(cs, HPA_COND_ABLE_TO_SCALE, 0, "FailedGetScale", now,
                          "the HPA controller was unable to get the target's current scale: %s", e);
        snprintf(out->error, sizeof out->error, "%s", e);
        return 0;
    }
    hpa_condition_set(cs, HPA_COND_ABLE_TO_SCALE, 1, "SucceededGetScale", now,
                      "the HPA controller was able to get the target's current scale");
    int32_t current = in->spec_replicas;
    out->current = current;
    out->replicas_after = current;
    if (hpa_state_record_initial(state, current, now, err) < 0)
        return -1;

    hpa_metric_status ms[HPA_MAX_METRICS];
    int nms = 0;
    int32_t desired = 0;
    int rescale = 1;
    int32_t min = spec->min_replicas;
    if (current == 0 && min != 0) {
        out->path = HPA_PATH_DISABLED;
        rescale = 0;
        hpa_condition_set(cs, HPA_COND_SCALING_ACTIVE, 0, "ScalingDisabled", now,
                          "scaling is disabled since the replica count of the target is zero");
    } else if (current > spec->max_replicas) {
        out->path = HPA_PATH_ABOVE_MAX;
        snprintf(out->rescale_reason, sizeof out->rescale_reason,
                 "Current number of replicas above Spec.MaxReplicas");
        desired = spec->max_replicas;
    } else if (current < min) {
        out->path = HPA_PATH_BELOW_MIN;
        snprintf(out->rescale_reason, sizeof out->rescale_reason,
                 "Current number of replicas below Spec.MinReplicas");
        desired = min;
    } else {
        out->path = HPA_PATH_METRICS;
        int best;
        nms = spec->nmetrics > 0 ? spec->nmetrics : 1;
        if (eval_metrics(cfg, spec, in, current, status, ms, out, &best) < 0) {
            out->path = HPA_PATH_METRICS_FAILED;
            /* v1.31-era code stores the fresh (partly empty) metric statuses here. */
            set_status_metrics(status, current, ms, nms);
            hpa_event_add(&out->events, 1, "FailedComputeMetricsReplicas", "%s", out->error);
            char inner[SIM_ERROR_MAX];
            snprintf(inner, sizeof inner, "%s", out->error);
            snprintf(out->error, sizeof out->error,
                     "failed to compute desired number of replicas based on listed metrics: %.900s",
                     inner);
            out->desired = out->stabilized = out->limit.replicas = status->desired_replicas;
            return 0;
        }
        const char *metric_name = "";
        if (out->proposal > desired) {
            desired = out->proposal;
            metric_name = best >= 0 ? out->metrics[best].name : "";
        }
        if (desired > current)
            snprintf(out->rescale_reason, sizeof out->rescale_reason, "%s above target",
                     metric_name);
        if (desired < current)
            snprintf(out->rescale_reason, sizeof out->rescale_reason, "All metrics below target");
        out->desired = desired;
        if (normalize(cfg, spec, state, status, now, current, desired, out, err) < 0)
            return -1;
        desired = out->limit.replicas;
        rescale = desired != current;
    }
    if (out->path != HPA_PATH_METRICS) {
        out->desired = out->stabilized = desired;
        out->limit = (hpa_limit){desired, "", ""};
    }
    if (out->path == HPA_PATH_DISABLED)
        out->desired = out->stabilized = out->limit.replicas = 0;

    if (rescale) {
        out->rescale = 1;
        if (in->update_scale_fails) {
            const char *e =
                in->update_scale_error ? in->update_scale_error : "the scale write failed";
            hpa_event_add(&out->events, 1, "FailedRescale", "New size: %d; reason: %s; error: %s",
                          desired, out->rescale_reason, e);
            hpa_condition_set(cs, HPA_COND_ABLE_TO_SCALE, 0, "FailedUpdateScale", now,
                              "the HPA controller was unable to update the target scale: %s", e);
            set_status_metrics(status, current, ms, nms);
            snprintf(out->error, sizeof out->error, "failed to rescale: %s", e);
            return 0;
        }
        out->scale_updated = 1;
        out->replicas_after = desired;
        hpa_condition_set(cs, HPA_COND_ABLE_TO_SCALE, 1, "SucceededRescale", now,
                          "the HPA controller was able to update the target scale to %d", desired);
        hpa_event_add(&out->events, 0, "SuccessfulRescale", "New size: %d; reason: %s", desired,
                      out->rescale_reason);
        if (spec->behavior.present) {
            hpa_rules up, down;
            hpa_effective_rules(cfg, &spec->behavior, &up, &down);
            if (hpa_store_scale_event(state, &up, &down, current, desired, now, err) < 0)
                return -1;
        }
    } else {
        desired = current;
    }
    set_status_metrics(status, current, ms, nms);
    status->desired_replicas = desired;
    if (rescale) {
        status->has_last_scale_time = 1;
        status->last_scale_time_us = now;
    }
    return 0;
}
