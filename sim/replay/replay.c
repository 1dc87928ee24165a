/* replay.c: see replay.h. The controller's view of each sync is rebuilt from the recorded rows:
 * `ready` pods that have been Ready long enough for the cpu readiness rules to count them, each
 * reporting the recorded average (so the HPA's average is the recorded one), and the other
 * pods Running, not Ready and without a metric value (missing: upstream counts them as 0 on a
 * scale-up and at the target on a scale-down, replica_calculator.go v1.28.0 groupPods). A
 * recording does not say whether an unready pod had a value; taking it as missing agrees best
 * with the simulator (docs/replay.md, "What the HPA saw"). */
#include "sim/replay/replay.h"

#include "sim/replay/replay_cron.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void replay_rule(const hpa_decision *d, char *buf, size_t size) {
    switch (d->path) {
    case HPA_PATH_GET_SCALE_FAILED:
        snprintf(buf, size, "scale read failed");
        return;
    case HPA_PATH_DISABLED:
        snprintf(buf, size, "scaling disabled (current 0)");
        return;
    case HPA_PATH_ABOVE_MAX:
        snprintf(buf, size, "min/max (current above maxReplicas)");
        return;
    case HPA_PATH_BELOW_MIN:
        snprintf(buf, size, "min/max (current below minReplicas)");
        return;
    case HPA_PATH_METRICS_FAILED:
        snprintf(buf, size, "metrics failed (no change)");
        return;
    case HPA_PATH_METRICS:
        break;
    }
    const char *lr = d->limit.reason ? d->limit.reason : "";
    if (d->limit.replicas != d->stabilized) {
        if (strcmp(lr, "TooFewReplicas") == 0 || strcmp(lr, "TooManyReplicas") == 0)
            snprintf(buf, size, "min/max (%s)", lr);
        else
            snprintf(buf, size, "rate limit (%s)", lr);
    } else if (d->stabilized != d->desired) {
        snprintf(buf, size, "stabilization (%s)", d->stabilize_reason ? d->stabilize_reason : "");
    } else if (d->desired == d->current) {
        snprintf(buf, size, "proposal = current (tolerance or rounding)");
    } else {
        snprintf(buf, size, "metric proposal");
    }
}

/* "proposal = current" split into its two causes for Utilization metrics: the usage ratio
 * within the tolerance (the calculator keeps current), or outside it but ceil(ratio * pods)
 * landing on current. The tolerance is the controller flag, or behavior's per-direction one
 * (KEP-4951) as sync.c applies it. Other metric kinds keep the joint wording. */
static void refine_rule(const hpa_config *cc, const hpa_spec *spec, const hpa_metric_spec *ms,
                        int nm, const hpa_decision *d, char *buf, size_t size) {
    if (strncmp(buf, "proposal = current", 18) != 0)
        return;
    hpa_tolerance tol = cc->tolerance;
    if (spec->behavior.present && cc->configurable_tolerance) {
        if (spec->behavior.has_up && spec->behavior.up.has_tolerance)
            tol.scale_up = spec->behavior.up.tolerance;
        if (spec->behavior.has_down && spec->behavior.down.has_tolerance)
            tol.scale_down = spec->behavior.down.tolerance;
    }
    for (int m = 0; m < nm && m < d->nmetrics; m++) {
        const hpa_metric_result *r = &d->metrics[m];
        if (!r->ok || r->proposal != d->proposal || !ms[m].target.has_utilization ||
            ms[m].target.has_average_value || ms[m].target.average_utilization <= 0)
            continue;
        double ratio = (double)r->detail.utilization / ms[m].target.average_utilization;
        if (hpa_tolerance_within(tol, ratio))
            snprintf(buf, size, "tolerance (usage ratio %.2f within %.2f..%.2f)", ratio,
                     1 - tol.scale_down, 1 + tol.scale_up);
        else
            snprintf(buf, size, "proposal = current (usage ratio %.2f, outside the tolerance)",
                     ratio);
        return;
    }
}

/* The last row before t (or the first row), from cursor *k on: times only grow, so the walk
 * over a whole recording is linear. */
static int row_before(const replay_sample *rows, int n, int64_t t, int *k) {
    while (*k + 1 < n && rows[*k + 1].t_us < t)
        (*k)++;
    return *k;
}

/* The first row after t (or -1), from cursor *k on. */
static int row_after(const replay_sample *rows, int n, int64_t t, int *k) {
    while (*k < n && rows[*k].t_us <= t)
        (*k)++;
    return *k < n ? *k : -1;
}

typedef struct replay_scratch {
    char (*names)[24];
    hpa_pod *pods;
    hpa_container *containers;
    hpa_resource_sample *samples;
    hpa_container_usage *usages;
    hpa_pod_metric *pod_values;
    int cap;
} replay_scratch;

static int scratch_grow(replay_scratch *s, int n) {
    if (n <= s->cap)
        return 0;
    int cap = s->cap ? s->cap : 16;
    while (cap < n)
        cap *= 2;
    void *p;
#define GROW(field)                                                                                \
    p = realloc(s->field, (size_t)cap * sizeof *s->field);                                         \
    if (p == NULL)                                                                                 \
        return -1;                                                                                 \
    s->field = p;
    GROW(names)
    GROW(pods)
    GROW(containers)
    GROW(samples)
    GROW(usages)
    GROW(pod_values)
#undef GROW
    s->cap = cap;
    return 0;
}

static void scratch_free(replay_scratch *s) {
    free(s->names);
    free(s->pods);
    free(s->containers);
    free(s->samples);
    free(s->usages);
    free(s->pod_values);
}

static int64_t to_milli(double v) {
    return (int64_t)llround(v * 1000.0);
}

int replay_run(const hpa_cfg *cfg, int64_t cpu_request_milli, const cronhpa_cfg *cron,
               int64_t start_unix_us, const replay_sample *rows, int nrows, replay_result *out,
               sim_error *err) {
    memset(out, 0, sizeof *out);
    out->first_divergence = -1;
    if (nrows < 2)
        return error_set(err, "replay: the recording needs at least two rows, has %d", nrows);
    if (cfg->sync_period_us <= 0)
        return error_set(err, "replay: the sync period must be > 0");
    int nm;
    const hpa_metric_spec *ms = hpa_spec_metrics(&cfg->spec, &nm);
    if (nm > HPA_MAX_METRICS)
        return error_set(err, "replay: at most %d metrics", HPA_MAX_METRICS);
    for (int i = 0; i < nrows; i++)
        if (rows[i].nmetrics < nm)
            return error_set(err, "replay: row %d has %d metric values, the HPA has %d metrics",
                             i + 1, rows[i].nmetrics, nm);
    int64_t last = rows[nrows - 1].t_us;
    int64_t span = last - (rows[0].t_us < cfg->sync_phase_us ? rows[0].t_us : cfg->sync_phase_us);
    int cap = (int)(span / cfg->sync_period_us) + 2;
    if (cap < 1)
        cap = 1;
    out->syncs = calloc((size_t)cap, sizeof *out->syncs);
    if (out->syncs == NULL)
        return error_set(err, "out of memory");
    hpa_state st;
    hpa_state_init(&st);
    hpa_status status;
    memset(&status, 0, sizeof status);
    replay_scratch sc;
    memset(&sc, 0, sizeof sc);
    /* the HPA's limits as the CronHPA leaves them (the spec's without one) */
    int32_t min = cfg->spec.min_replicas, max = cfg->spec.max_replicas;
    replay_cron rcron;
    int has_cron = cron != NULL && cron->present;
    if (has_cron && replay_cron_init(&rcron, cron, start_unix_us, min, err) < 0) {
        replay_result_free(out);
        return -1;
    }
    int32_t set_replicas = -1; /* a CronHPA fire set the workload's replicas ... */
    int64_t set_at = -1;       /* ... at this time */
    int kb = 0, ka = 0, kf = 0, rc = 0;
    /* syncs whose whole period is before the first row are not in the recording (a
     * Prometheus range that starts long after the scenario's start) */
    int64_t t0 = cfg->sync_phase_us;
    if (rows[0].t_us - cfg->sync_period_us >= t0)
        t0 +=
            (rows[0].t_us - cfg->sync_period_us - t0) / cfg->sync_period_us * cfg->sync_period_us +
            cfg->sync_period_us;
    for (int64_t t = t0; t < last; t += cfg->sync_period_us) {
        int a = row_after(rows, nrows, t, &ka);
        if (a < 0)
            break;
        /* CronHPA fires due by the sync: the simulator's engine runs a fire before a sync at the
         * same instant (the fire was queued a whole schedule period earlier; ties go by
         * insertion order, sim/engine/event_queue.h) */
        for (int64_t f; has_cron && (f = replay_cron_next(&rcron)) >= 0 && f <= t;) {
            const replay_sample *fb = &rows[row_before(rows, nrows, f, &kf)];
            int32_t workload = set_at >= 0 && fb->t_us < set_at ? set_replicas : fb->desired;
            int32_t hpa_current = out->nsyncs > 0 ? status.current_replicas : 0;
            int32_t after_fire = replay_cron_fire(&rcron, hpa_current, workload, &min, &max);
            if (after_fire != workload) {
                set_replicas = after_fire;
                set_at = f;
            }
        }
        const replay_sample *b = &rows[row_before(rows, nrows, t, &kb)], *after = &rows[a];
        /* a fire after the row before the sync is not in that row's count yet */
        int32_t current = set_at >= 0 && b->t_us < set_at ? set_replicas : b->desired;
        hpa_spec spec = cfg->spec;
        spec.min_replicas = b->min_replicas >= 0 ? b->min_replicas : min;
        spec.max_replicas = b->max_replicas >= 0 ? b->max_replicas : max;
        int32_t live = b->current >= 0 ? b->current : current;
        int32_t total = b->pods_total >= 0 ? b->pods_total : live;
        int32_t ready = b->pods_ready >= 0 ? b->pods_ready : total;
        if (ready > total)
            ready = total;
        if (scratch_grow(&sc, total + 1) < 0) {
            rc = error_set(err, "out of memory");
            break;
        }
        /* Ready pods: started and Ready an hour before, past the cpu initialisation period. */
        for (int i = 0; i < total; i++) {
            hpa_pod *p = &sc.pods[i];
            memset(p, 0, sizeof *p);
            snprintf(sc.names[i], sizeof sc.names[i], "pod-%d", i);
            p->name = sc.names[i];
            sc.containers[i] = (hpa_container){"main", 1, cpu_request_milli, 0};
            p->containers = &sc.containers[i];
            p->ncontainers = 1;
            p->has_start_time = 1;
            p->start_time_us = t - 3600 * INT64_C(1000000);
            p->ready_transition_us = p->start_time_us;
            p->phase = HPA_PHASE_RUNNING;
            p->ready = i < ready ? HPA_READY_TRUE : HPA_READY_FALSE;
        }
        hpa_metric_data data[HPA_MAX_METRICS];
        memset(data, 0, sizeof data);
        for (int m = 0; m < nm; m++) {
            double v = after->metric[m];
            hpa_metric_data *d = &data[m];
            if (isnan(v)) {
                d->failed = 1;
                d->error = "no value in the recording";
                continue;
            }
            switch (ms[m].type) {
            case HPA_METRIC_RESOURCE:
            case HPA_METRIC_CONTAINER_RESOURCE: {
                /* Utilization: v percent of the request; AverageValue: v per pod */
                int64_t usage = ms[m].target.has_utilization && !ms[m].target.has_average_value
                                    ? (int64_t)llround(v * (double)cpu_request_milli / 100.0)
                                    : to_milli(v);
                for (int i = 0; i < ready; i++) {
                    sc.usages[i] = (hpa_container_usage){"main", 1, usage};
                    sc.samples[i] = (hpa_resource_sample){sc.names[i], t, 30 * INT64_C(1000000),
                                                          &sc.usages[i], 1};
                }
                d->resource = sc.samples;
                d->nresource = ready;
                break;
            }
            case HPA_METRIC_PODS: {
                /* one metric of this type per replay: the scratch holds one set of values */
                for (int i = 0; i < ready; i++)
                    sc.pod_values[i] =
                        (hpa_pod_metric){sc.names[i], to_milli(v), t, 60 * INT64_C(1000000)};
                d->pod_values = sc.pod_values;
                d->npod_values = ready;
                break;
            }
            case HPA_METRIC_OBJECT:
            case HPA_METRIC_EXTERNAL:
                d->object_value_milli = to_milli(v);
                d->external_values = &d->object_value_milli;
                d->nexternal = 1;
                break;
            default:
                break;
            }
        }
        hpa_inputs in;
        memset(&in, 0, sizeof in);
        in.now_us = t;
        in.spec_replicas = current;
        in.status_replicas = live;
        in.pods = sc.pods;
        in.npods = total;
        in.metrics = data;
        hpa_decision d;
        if (hpa_sync(&cfg->controller, &spec, &st, &status, &in, &d, err) < 0) {
            rc = -1;
            break;
        }
        replay_sync *s = &out->syncs[out->nsyncs];
        s->t_us = t;
        s->current = current;
        s->recorded = after->desired;
        s->computed = d.replicas_after;
        s->proposal = d.proposal;
        s->nmetrics = nm;
        for (int m = 0; m < nm; m++)
            s->metric[m] = after->metric[m];
        s->pods_ready = ready;
        s->pods_total = total;
        s->min_replicas = spec.min_replicas;
        s->max_replicas = spec.max_replicas;
        s->cron_fires = has_cron ? rcron.fires : 0;
        replay_rule(&d, s->rule, sizeof s->rule);
        refine_rule(&cfg->controller, &spec, ms, nm, &d, s->rule, sizeof s->rule);
        if (s->computed == s->recorded)
            out->nagree++;
        else if (out->first_divergence < 0)
            out->first_divergence = out->nsyncs;
        out->nsyncs++;
        if (out->nsyncs == cap)
            break;
    }
    scratch_free(&sc);
    hpa_state_free(&st);
    if (has_cron)
        replay_cron_free(&rcron);
    if (rc < 0)
        replay_result_free(out);
    return rc;
}

void replay_result_free(replay_result *r) {
    free(r->syncs);
    r->syncs = NULL;
    r->nsyncs = 0;
}
