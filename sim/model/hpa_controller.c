/* hpa_controller.c: see hpa_controller.h. The controller-manager side (kubernetes v1.28
 * pkg/controller/podautoscaler/horizontal.go): the HPA is queued every sync period; at each sync
 * it reads the scale subresource (spec.replicas of the Deployment, status.replicas = its pods),
 * lists the pods by the target's selector (terminating ones included: the calculator ignores
 * them), queries the metrics APIs afresh, and writes spec.replicas. The ReplicaSet controller
 * is taken to act at once on the new count (its own queue latency, milliseconds, is left out). */
#include "sim/model/hpa_controller.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const hpa_metric_spec default_cpu = {HPA_METRIC_RESOURCE,
                                            "Resource",
                                            "cpu",
                                            NULL,
                                            NULL,
                                            NULL,
                                            NULL,
                                            {HPA_TARGET_UTILIZATION, 1, 80, 0, 0, 0, 0}};

int hpa_ctl_nmetrics(const hpa_ctl *c) {
    return c->cfg->spec.nmetrics > 0 ? c->cfg->spec.nmetrics : 1;
}

const hpa_metric_spec *hpa_ctl_metric(const hpa_ctl *c, int i) {
    return c->cfg->spec.nmetrics > 0 ? &c->cfg->spec.metrics[i] : &default_cpu;
}

/* prom_of value of an External metric that KEDA's metrics server answers (keda_value). */
#define KEDA_SERVED (-2)

static int ensure_scratch(hpa_ctl *c, int n) {
    if (n <= c->cap_scratch)
        return 0;
    int cap = c->cap_scratch ? c->cap_scratch : 16;
    while (cap < n)
        cap *= 2;
    hpa_pod *p = realloc(c->pods, (size_t)cap * sizeof *p);
    if (p)
        c->pods = p;
    hpa_container *k = realloc(c->containers, (size_t)cap * sizeof *k);
    if (k)
        c->containers = k;
    hpa_resource_sample *s = realloc(c->samples, (size_t)cap * sizeof *s);
    if (s)
        c->samples = s;
    hpa_container_usage *u = realloc(c->usages, (size_t)cap * sizeof *u);
    if (u)
        c->usages = u;
    hpa_pod_metric *v = realloc(c->pod_values, (size_t)cap * HPA_MAX_METRICS * sizeof *v);
    if (v)
        c->pod_values = v;
    if (!p || !k || !s || !u || !v)
        return -1;
    c->cap_scratch = cap;
    return 0;
}

static int add_events(hpa_ctl *c, const hpa_events *es, int64_t now) {
    for (int i = 0; i < es->n; i++) {
        if (c->n_events == c->cap_events) {
            size_t cap = c->cap_events ? c->cap_events * 2 : 32;
            hpa_ctl_event *e = realloc(c->events, cap * sizeof *e);
            if (e == NULL)
                return -1;
            c->events = e;
            c->cap_events = cap;
        }
        c->events[c->n_events].t_us = now;
        c->events[c->n_events].ev = es->ev[i];
        c->n_events++;
    }
    return 0;
}

/* The resource a Utilization target divides by: the first Resource metric's, cpu by default.
 * (One request per pod is handed to the calculator; an HPA with both a cpu and a memory
 * Utilization target would need one pod list per resource: docs/model.md.) */
static int64_t request_for(const hpa_ctl *c) {
    const pod_cfg *pc = &c->lc->svc->pod_cfg;
    for (int i = 0; i < hpa_ctl_nmetrics(c); i++) {
        const hpa_metric_spec *m = hpa_ctl_metric(c, i);
        if ((m->type == HPA_METRIC_RESOURCE || m->type == HPA_METRIC_CONTAINER_RESOURCE) &&
            m->name && strcmp(m->name, "memory") == 0)
            return pc->memory_request_bytes * 1000;
        if (m->type == HPA_METRIC_RESOURCE || m->type == HPA_METRIC_CONTAINER_RESOURCE)
            break;
    }
    return pc->cpu_request_milli;
}

static void on_sync(engine *eng, void *obj, uint64_t arg) {
    (void)arg;
    hpa_ctl *c = obj;
    lifecycle *lc = c->lc;
    int64_t now = eng->now_us;
    if (ensure_scratch(c, lc->n_all + 1) < 0) {
        eng->out_of_memory = 1;
        return;
    }
    int64_t req = request_for(c);
    int npods = 0;
    for (int i = 0; i < lc->n_all; i++) {
        lc_pod *lp = lc->all[i];
        /* terminating pods stay listed until they are gone (drained) */
        if (lp->stage == LC_TERMINATING && service_pod_retired(lp->p))
            continue;
        lifecycle_hpa_pod(lp, &c->containers[npods], req, &c->pods[npods]);
        c->pods[npods].containers = &c->containers[npods];
        npods++;
    }
    int nm = hpa_ctl_nmetrics(c);
    hpa_metric_data data[HPA_MAX_METRICS];
    memset(data, 0, sizeof data);
    int used_resource = 0;
    for (int i = 0; i < nm && i < HPA_MAX_METRICS; i++) {
        const hpa_metric_spec *m = hpa_ctl_metric(c, i);
        hpa_metric_data *d = &data[i];
        switch (m->type) {
        case HPA_METRIC_RESOURCE:
        case HPA_METRIC_CONTAINER_RESOURCE: {
            int mem = m->name && strcmp(m->name, "memory") == 0;
            if (used_resource) {
                /* each resource query gets its own slice of the scratch arrays */
                d->failed = 1;
                d->error = "scalesim: one Resource metric per HPA is supported";
                break;
            }
            used_resource = 1;
            d->resource = c->samples;
            d->nresource = res_pipeline_query(&c->res, mem, c->samples, c->usages);
            break;
        }
        case HPA_METRIC_PODS:
        case HPA_METRIC_OBJECT:
        case HPA_METRIC_EXTERNAL: {
            int k = c->prom_of[i];
            if (k == KEDA_SERVED && c->keda_value != NULL) {
                c->ext_value[i] = c->keda_value(c->keda_ctx, i, now);
                d->object_value_milli = c->ext_value[i];
                d->external_values = &c->ext_value[i];
                d->nexternal = 1;
                break;
            }
            if (k < 0) {
                d->failed = 1;
                d->error = "no metrics returned from custom metrics API";
                break;
            }
            if (m->type == HPA_METRIC_PODS) {
                hpa_pod_metric *out = c->pod_values + (size_t)i * c->cap_scratch;
                d->pod_values = out;
                d->npod_values = prom_pipeline_query_pods(&c->prom[k], out);
            } else if (prom_pipeline_query_value(&c->prom[k], &c->ext_value[i]) < 0) {
                d->failed = 1;
                d->error = m->type == HPA_METRIC_OBJECT
                               ? "no metrics returned from custom metrics API"
                               : "no metrics returned from external metrics API";
            } else {
                d->object_value_milli = c->ext_value[i];
                d->external_values = &c->ext_value[i];
                d->nexternal = 1;
            }
            break;
        }
        default:
            break;
        }
    }
    hpa_inputs in;
    memset(&in, 0, sizeof in);
    in.now_us = now;
    in.spec_replicas = lc->spec_replicas;
    in.status_replicas = lc->n_live;
    in.pods = c->pods;
    in.npods = npods;
    in.metrics = data;
    sim_error err;
    hpa_spec spec = c->cfg->spec;
    spec.min_replicas = c->min_replicas;
    spec.max_replicas = c->max_replicas;
    if (hpa_sync(&c->cfg->controller, &spec, &c->state, &c->status, &in, &c->last, &err) < 0) {
        eng->out_of_memory = 1; /* the only runtime failure hpa_sync has */
        return;
    }
    c->synced = 1;
    c->syncs++;
    if (c->last.path == HPA_PATH_METRICS && c->last.desired > c->min_replicas)
        c->last_rec_above_min_us = now;
    if (c->on_sync)
        c->on_sync(c->on_sync_ctx, &in, &c->last);
    if (add_events(c, &c->last.events, now) < 0) {
        eng->out_of_memory = 1;
        return;
    }
    if (c->last.scale_updated && c->last.replicas_after != c->last.current) {
        if (c->last.replicas_after > c->last.current && c->first_rescale_up_us < 0)
            c->first_rescale_up_us = now;
        c->rescales++;
        c->last_rescale_us = now;
        if (lifecycle_scale(lc, c->last.replicas_after) < 0) {
            eng->out_of_memory = 1;
            return;
        }
        if (c->last.replicas_after > c->max_replicas_seen)
            c->max_replicas_seen = c->last.replicas_after;
    }
    engine_after(eng, c->cfg->sync_period_us, on_sync, c, 0);
}

static void on_running(void *ctx, lc_pod *lp) {
    hpa_ctl *c = ctx;
    res_pipeline_pod_running(&c->res, lp);
    for (size_t i = 0; i < c->n_prom; i++)
        prom_pipeline_pod_running(&c->prom[i], lp);
}

int hpa_ctl_init(hpa_ctl *c, const hpa_cfg *cfg, const metrics_cfg *mcfg, lifecycle *lc,
                 const char *svc_name, uint64_t seed, prom_counter_fn requests, void *requests_ctx,
                 sim_error *err) {
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    c->mcfg = mcfg;
    c->lc = lc;
    c->eng = lc->eng;
    c->first_rescale_up_us = -1;
    c->last_rescale_us = -1;
    c->last_rec_above_min_us = -1;
    c->max_replicas_seen = lc->spec_replicas;
    hpa_state_init(&c->state);
    const hpa_spec *s = &cfg->spec;
    c->min_replicas = s->min_replicas;
    c->max_replicas = s->max_replicas;
    if (s->nmetrics > HPA_MAX_METRICS)
        return error_set(err, "hpa: at most %d metrics", HPA_MAX_METRICS);
    if (s->min_replicas < 0 || s->max_replicas < 1 || s->min_replicas > s->max_replicas)
        return error_set(err, "hpa.spec: minReplicas %d and maxReplicas %d are not a valid range",
                         s->min_replicas, s->max_replicas);
    if (cfg->sync_period_us <= 0)
        return error_set(err, "hpa: the sync period must be > 0");
    if (cfg->sync_phase_us < 0)
        return error_set(err, "hpa: the sync phase must be >= 0");
    if (res_pipeline_init(&c->res, lc, mcfg, svc_name, seed, err) < 0)
        return -1;
    c->res_ok = 1;
    c->prom_of = malloc(HPA_MAX_METRICS * sizeof *c->prom_of);
    if (c->prom_of == NULL)
        return error_set(err, "out of memory");
    size_t np = mcfg ? mcfg->n_prom : 0;
    if (np > 0) {
        c->prom = calloc(np, sizeof *c->prom);
        if (c->prom == NULL)
            return error_set(err, "out of memory");
    }
    for (size_t i = 0; i < np; i++) {
        if (prom_pipeline_init(&c->prom[i], &mcfg->prom[i], lc, svc_name, seed, requests,
                               requests_ctx, err) < 0)
            return -1;
        c->n_prom = i + 1;
    }
    for (int i = 0; i < hpa_ctl_nmetrics(c); i++) {
        const hpa_metric_spec *m = hpa_ctl_metric(c, i);
        c->prom_of[i] = -1;
        if (m->type != HPA_METRIC_PODS && m->type != HPA_METRIC_OBJECT &&
            m->type != HPA_METRIC_EXTERNAL)
            continue;
        for (size_t k = 0; k < np; k++)
            if (m->name && strcmp(mcfg->prom[k].name, m->name) == 0)
                c->prom_of[i] = (int)k;
        if (c->prom_of[i] < 0 && m->type == HPA_METRIC_EXTERNAL && m->selector &&
            strstr(m->selector, "scaledobject.keda.sh/name") != NULL) {
            c->prom_of[i] = KEDA_SERVED;
            continue;
        }
        if (c->prom_of[i] < 0)
            return error_set(err,
                             "hpa.spec.metrics[%d]: %s metric \"%s\" has no pipeline; describe "
                             "where its values come from in metrics.prometheus (name \"%s\")",
                             i, hpa_metric_type_name(m->type), m->name ? m->name : "",
                             m->name ? m->name : "");
        if (m->type == HPA_METRIC_PODS && !c->prom[c->prom_of[i]].per_pod)
            return error_set(err,
                             "hpa.spec.metrics[%d]: Pods metric \"%s\" needs a per-pod source "
                             "(busy_pct, inflight or queue), not requests",
                             i, m->name);
    }
    lc->on_running = on_running;
    lc->hook_ctx = c;
    engine_at(c->eng, cfg->sync_phase_us, on_sync, c, 0);
    return 0;
}

void hpa_ctl_free(hpa_ctl *c) {
    if (c->res_ok)
        res_pipeline_free(&c->res);
    for (size_t i = 0; i < c->n_prom; i++)
        prom_pipeline_free(&c->prom[i]);
    free(c->prom);
    free(c->prom_of);
    hpa_state_free(&c->state);
    free(c->events);
    free(c->true_cpu_prev);
    free(c->true_t_prev);
    free(c->pods);
    free(c->containers);
    free(c->samples);
    free(c->usages);
    free(c->pod_values);
    memset(c, 0, sizeof *c);
}

double hpa_ctl_observed(const hpa_ctl *c, int i) {
    if (!c->synced || i >= c->status.nmetrics || !c->status.metrics[i].valid)
        return NAN;
    const hpa_metric_status *m = &c->status.metrics[i];
    const hpa_metric_spec *s = hpa_ctl_metric(c, i);
    if (m->has_utilization && s->target.has_utilization && !s->target.has_average_value)
        return m->average_utilization;
    if (m->has_average_value)
        return (double)m->average_value_milli / 1000.0;
    if (m->has_value)
        return (double)m->value_milli / 1000.0;
    return NAN;
}

void hpa_ctl_metric_label(const hpa_ctl *c, int i, char *buf, size_t size) {
    const hpa_metric_spec *m = hpa_ctl_metric(c, i);
    const char *name = m->name ? m->name : "metric";
    if ((m->type == HPA_METRIC_RESOURCE || m->type == HPA_METRIC_CONTAINER_RESOURCE) &&
        m->target.has_utilization && !m->target.has_average_value)
        snprintf(buf, size, "%s_pct", name);
    else
        snprintf(buf, size, "%s", name);
}

void hpa_ctl_true_cpu(hpa_ctl *c, double *request_pct, double *cap_pct) {
    lifecycle *lc = c->lc;
    int64_t now = c->eng->now_us;
    *request_pct = *cap_pct = 0;
    if (lc->n_all > c->true_cap) {
        int cap = c->true_cap ? c->true_cap : 16;
        while (cap < lc->n_all)
            cap *= 2;
        int64_t *a = realloc(c->true_cpu_prev, (size_t)cap * sizeof *a);
        if (a == NULL)
            return;
        c->true_cpu_prev = a;
        int64_t *b = realloc(c->true_t_prev, (size_t)cap * sizeof *b);
        if (b == NULL)
            return;
        c->true_t_prev = b;
        for (int i = c->true_cap; i < cap; i++)
            a[i] = b[i] = -1;
        c->true_cap = cap;
    }
    double used = 0, req = 0, capacity = 0;
    for (int i = 0; i < lc->n_all; i++) {
        lc_pod *lp = lc->all[i];
        if (lp->stage != LC_RUNNING && lp->stage != LC_READY) {
            c->true_t_prev[i] = -1;
            continue;
        }
        pod *p = lp->p;
        pod_sync(p);
        int64_t t0 = c->true_t_prev[i], cpu0 = c->true_cpu_prev[i];
        if (t0 < 0) { /* Running since the last row (or adopted): from its start */
            t0 = lp->running_us > 0 ? lp->running_us : 0;
            cpu0 = lp->running_us > 0 ? lp->cpu_at_start_core_ns : 0;
        }
        double dt = (double)(now - t0);
        if (dt > 0) {
            used += (double)(p->cpu_usage_core_ns - cpu0);
            req += dt * (double)p->request_milli;
            capacity += dt * (double)(p->limit_milli > 0 ? p->limit_milli : p->request_milli);
        }
        c->true_t_prev[i] = now;
        c->true_cpu_prev[i] = p->cpu_usage_core_ns;
    }
    if (req > 0)
        *request_pct = 100.0 * used / req;
    if (capacity > 0)
        *cap_pct = 100.0 * used / capacity;
}
