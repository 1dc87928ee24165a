/* metric_eval.c: per-metric evaluation with upstream's names and messages; see metric_eval.h. */
#include "sim/control/hpa/metric_eval.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *sel(const hpa_metric_spec *m) {
    return m->selector ? m->selector : "nil";
}

static const char *api_error(const hpa_metric_data *d) {
    return d->error ? d->error : "the metrics API is unavailable";
}

static void fail(hpa_metric_result *res, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(hpa_metric_result *res, const char *reason, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->error, sizeof res->error, fmt, ap);
    va_end(ap);
    res->ok = 0;
    res->fail_reason = reason;
}

static void ok(hpa_metric_result *res, const hpa_proposal *p) {
    res->ok = 1;
    res->detail = *p;
    res->proposal = p->replicas;
}

/* computeStatusForResourceMetricGeneric: AverageValue first, then Utilization. */
static void resource(const hpa_eval_ctx *ctx, const hpa_metric_spec *m, const hpa_metric_data *d,
                     hpa_metric_result *res, hpa_metric_status *st) {
    int is_container = m->type == HPA_METRIC_CONTAINER_RESOURCE;
    const char *container = is_container ? m->container : "";
    const char *reason =
        is_container ? "FailedGetContainerResourceMetric" : "FailedGetResourceMetric";
    /* computeReplicasForMetric's outer wrap */
    char outer[200];
    if (is_container)
        snprintf(outer, sizeof outer, "failed to get %s container metric value", m->container);
    else
        snprintf(outer, sizeof outer, "failed to get %s resource metric value", m->name);
    const hpa_metric_target *t = &m->target;
    if (!t->has_average_value && !t->has_utilization) {
        fail(res, reason,
             "%s: invalid resource metric source: neither an average utilization "
             "target nor an average value (usage) target was set",
             outer);
        return;
    }
    const char *what = t->has_average_value ? "usage" : "utilization";
    sim_error e;
    hpa_pod_metric *pm = NULL;
    int npm = 0;
    if (d->failed) {
        fail(res, reason, "%s: failed to get %s %s: unable to get metrics for resource %s: %s",
             outer, m->name, what, m->name, api_error(d));
        return;
    }
    pm = calloc((size_t)d->nresource + 1, sizeof *pm);
    if (pm == NULL) {
        fail(res, reason, "%s: out of memory", outer);
        return;
    }
    hpa_proposal p;
    int rc = hpa_resource_pod_metrics(d->resource, d->nresource, container, pm, &npm, &e);
    if (rc < 0) {
        error_prefix(&e, "unable to get metrics for resource %s", m->name);
    } else if (t->has_average_value) {
        rc = hpa_calc_plain(ctx->calc, ctx->spec_replicas, t->average_value_milli,
                            strcmp(m->name, "cpu") == 0, pm, npm, &p, &e);
    } else {
        rc = hpa_calc_resource_utilization(ctx->calc, ctx->spec_replicas, t->average_utilization,
                                           m->name, container, pm, npm, &p, &e);
    }
    free(pm);
    if (rc < 0) {
        fail(res, reason, "%s: failed to get %s %s: %s", outer, m->name, what, e.msg);
        return;
    }
    ok(res, &p);
    st->valid = 1;
    st->has_average_value = 1;
    st->average_value_milli = p.usage_milli;
    if (t->has_average_value) {
        snprintf(res->name, sizeof res->name, "%s %sresource", m->name,
                 is_container ? "container " : "");
    } else {
        st->has_utilization = 1;
        st->average_utilization = p.utilization;
        snprintf(res->name, sizeof res->name, "%s %sresource utilization (percentage of request)",
                 m->name, is_container ? "container " : "");
    }
}

static void pods(const hpa_eval_ctx *ctx, const hpa_metric_spec *m, const hpa_metric_data *d,
                 hpa_metric_result *res, hpa_metric_status *st) {
    const char *reason = "FailedGetPodsMetric";
    if (!m->target.has_average_value) {
        fail(res, reason,
             "failed to get pods metric value: invalid pods metric source: no "
             "average value target was set");
        return;
    }
    if (d->failed) {
        fail(res, reason, "failed to get pods metric value: unable to get metric %s: %s", m->name,
             api_error(d));
        return;
    }
    hpa_proposal p;
    sim_error e;
    if (hpa_calc_plain(ctx->calc, ctx->spec_replicas, m->target.average_value_milli, 0,
                       d->pod_values, d->npod_values, &p, &e) < 0) {
        fail(res, reason, "failed to get pods metric value: %s", e.msg);
        return;
    }
    ok(res, &p);
    snprintf(res->name, sizeof res->name, "pods metric %s", m->name);
    st->valid = 1;
    st->has_average_value = 1;
    st->average_value_milli = p.usage_milli;
}

static void object(const hpa_eval_ctx *ctx, const hpa_metric_spec *m, const hpa_metric_data *d,
                   hpa_metric_result *res, hpa_metric_status *st) {
    const char *reason = "FailedGetObjectMetric";
    const hpa_metric_target *t = &m->target;
    int value = t->type == HPA_TARGET_VALUE && t->has_value;
    int average = t->type == HPA_TARGET_AVERAGE_VALUE && t->has_average_value;
    if (!value && !average) {
        fail(res, reason,
             "failed to get object metric value: invalid object metric source: "
             "neither a value target nor an average value target was set");
        return;
    }
    if (d->failed) {
        char inner[SIM_ERROR_MAX / 2];
        snprintf(inner, sizeof inner, "unable to get metric %s: %s on %s %s/%s", m->name,
                 api_error(d), m->object_kind ? m->object_kind : "", ctx->namespace_name,
                 m->object_name ? m->object_name : "");
        if (average) /* only the AverageValue path adds its own wrap */
            fail(res, reason,
                 "failed to get object metric value: failed to get %s object "
                 "metric: %s",
                 m->name, inner);
        else
            fail(res, reason, "failed to get object metric value: %s", inner);
        return;
    }
    hpa_proposal p;
    sim_error e;
    st->valid = 1;
    if (value) {
        if (hpa_calc_value(ctx->calc, ctx->spec_replicas, t->value_milli, d->object_value_milli, &p,
                           &e) < 0) {
            st->valid = 0;
            fail(res, reason, "failed to get object metric value: %s", e.msg);
            return;
        }
        snprintf(res->name, sizeof res->name, "%s metric %s", m->object_kind ? m->object_kind : "",
                 m->name);
        st->has_value = 1;
        st->value_milli = p.usage_milli;
    } else {
        hpa_calc_object_average(ctx->calc, ctx->status_replicas, t->average_value_milli,
                                d->object_value_milli, &p);
        /* Upstream copy-paste quirk (horizontal.go v1.28): Object AverageValue names itself an
         * external metric. */
        snprintf(res->name, sizeof res->name, "external metric %s(%s)", m->name, sel(m));
        st->has_average_value = 1;
        st->average_value_milli = p.usage_milli;
    }
    ok(res, &p);
}

static void external(const hpa_eval_ctx *ctx, const hpa_metric_spec *m, const hpa_metric_data *d,
                     hpa_metric_result *res, hpa_metric_status *st) {
    const char *reason = "FailedGetExternalMetric";
    const hpa_metric_target *t = &m->target;
    int value = t->type == HPA_TARGET_VALUE && t->has_value;
    int average = t->type == HPA_TARGET_AVERAGE_VALUE && t->has_average_value;
    char outer[200];
    snprintf(outer, sizeof outer, "failed to get %s external metric value", m->name);
    if (!value && !average) {
        fail(res, reason,
             "%s: invalid external metric source: neither a value target nor an "
             "average value target was set",
             outer);
        return;
    }
    if (d->failed) {
        char inner[SIM_ERROR_MAX / 2];
        snprintf(inner, sizeof inner, "unable to get external metric %s/%s/%s: %s",
                 ctx->namespace_name, m->name, sel(m), api_error(d));
        if (value) /* only the Value path adds its own wrap */
            fail(res, reason, "%s: failed to get external metric %s: %s", outer, m->name, inner);
        else
            fail(res, reason, "%s: %s", outer, inner);
        return;
    }
    hpa_proposal p;
    sim_error e;
    st->valid = 1;
    if (value) {
        int64_t sum = hpa_external_sum_value(d->external_values, d->nexternal);
        if (hpa_calc_value(ctx->calc, ctx->spec_replicas, t->value_milli, sum, &p, &e) < 0) {
            st->valid = 0;
            fail(res, reason, "%s: failed to get external metric %s: %s", outer, m->name, e.msg);
            return;
        }
        st->has_value = 1;
        st->value_milli = p.usage_milli;
    } else {
        int64_t sum = hpa_external_sum_average(d->external_values, d->nexternal);
        hpa_calc_external_average(ctx->calc, ctx->status_replicas, t->average_value_milli, sum, &p);
        st->has_average_value = 1;
        st->average_value_milli = p.usage_milli;
    }
    snprintf(res->name, sizeof res->name, "external metric %s(%s)", m->name, sel(m));
    ok(res, &p);
}

void hpa_eval_metric(const hpa_eval_ctx *ctx, const hpa_metric_spec *m, const hpa_metric_data *d,
                     hpa_metric_result *res, hpa_metric_status *st) {
    memset(res, 0, sizeof *res);
    memset(st, 0, sizeof *st);
    st->type = m->type;
    st->name = m->name;
    switch (m->type) {
    case HPA_METRIC_RESOURCE:
    case HPA_METRIC_CONTAINER_RESOURCE:
        resource(ctx, m, d, res, st);
        break;
    case HPA_METRIC_PODS:
        pods(ctx, m, d, res, st);
        break;
    case HPA_METRIC_OBJECT:
        object(ctx, m, d, res, st);
        break;
    case HPA_METRIC_EXTERNAL:
        external(ctx, m, d, res, st);
        break;
    default:
        /* horizontal.go wraps errSpec, whose text is empty */
        fail(res, "InvalidMetricSourceType", "unknown metric source type \"%s\"",
             m->type_name ? m->type_name : "");
        break;
    }
    if (!res->ok)
        st->valid = 0;
}
