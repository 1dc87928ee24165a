/* hpa_case_controller.c: the `controller` case kind: a recorded HPA state (config, spec, scale,
 * history, pods, metric data, injected failures) through one hpa_sync, rendered as
 * desired_replicas, scale_updated, conditions, cpu_utilization and event. */
#include <stdlib.h>
#include <string.h>

#include "cli/hpa_case_io.h"

static const char *const FAILURES[] = {"get_scale", "update_scale", "resource_metrics_api",
                                       "custom_metrics_api", "external_metrics_api"};

static void explain_sync(FILE *ex, const hpa_spec *spec, const hpa_decision *d,
                         const hpa_status *status, const hpa_state *st) {
    static const char *const PATHS[] = {
        "the scale subresource could not be read",
        "scaling is disabled (the target has 0 replicas and minReplicas > 0)",
        "current replicas above maxReplicas: metrics not evaluated",
        "current replicas below minReplicas: metrics not evaluated",
        "the metric step failed: nothing is written",
        "metrics evaluated"};
    fprintf(ex, "current replicas: %d (min %d, max %d, %s)\n", d->current, spec->min_replicas,
            spec->max_replicas, spec->behavior.present ? "with behavior" : "no behavior");
    fprintf(ex, "path: %s\n", PATHS[d->path]);
    for (int i = 0; i < d->nmetrics; i++) {
        const hpa_metric_result *m = &d->metrics[i];
        if (m->ok)
            fprintf(ex, "  metric %d: %s -> %d replicas (utilization %d%%, usage %lld milli)\n", i,
                    m->name, m->proposal, m->detail.utilization, (long long)m->detail.usage_milli);
        else
            fprintf(ex, "  metric %d: FAILED (%s): %s\n", i, m->fail_reason, m->error);
    }
    if (d->path == HPA_PATH_METRICS) {
        fprintf(ex, "proposal (max over metrics): %d\n", d->proposal);
        fprintf(ex, "desired: %d\n", d->desired);
        fprintf(ex, "stabilized: %d (%s)\n", d->stabilized, d->stabilize_reason);
        fprintf(ex, "limited: %d (%s: %s)\n", d->limit.replicas, d->limit.reason, d->limit.message);
    }
    if (d->rescale_reason[0])
        fprintf(ex, "rescale reason: %s\n", d->rescale_reason);
    fprintf(ex, "scale written: %s; replicas now %d; status.desiredReplicas %d\n",
            d->scale_updated ? "yes" : "no", d->replicas_after, status->desired_replicas);
    fprintf(ex, "conditions:\n");
    for (int i = 0; i < HPA_NCONDITIONS; i++) {
        const hpa_condition *c = &status->conditions.c[i];
        if (c->set)
            fprintf(ex, "  %-14s %-5s %-20s %s\n", hpa_condition_type_name((hpa_condition_type)i),
                    c->status_true ? "True" : "False", c->reason, c->message);
    }
    fprintf(ex, "events:\n");
    for (int i = 0; i < d->events.n; i++)
        fprintf(ex, "  %-7s %-28s %s\n", d->events.ev[i].warning ? "Warning" : "Normal",
                d->events.ev[i].reason, d->events.ev[i].message);
    if (d->events.n == 0)
        fprintf(ex, "  (none)\n");
    fprintf(ex, "history after: %d recommendation(s), %d up event(s), %d down event(s)\n",
            st->nrecs, st->nup, st->ndown);
    if (d->error[0])
        fprintf(ex, "sync error: %s\n", d->error);
}

int hpa_case_controller(hjson_reader *r, case_arena *a, const cJSON *in, case_got *g, FILE *ex) {
    const char *P = "input";
    hpa_config cfg;
    hpa_config_default(&cfg);
    hpa_spec spec;
    memset(&spec, 0, sizeof spec);
    hpa_status status;
    memset(&status, 0, sizeof status);
    hpa_inputs inputs;
    memset(&inputs, 0, sizeof inputs);
    hpa_state st;
    hpa_state_init(&st);
    int rc = -1;
    const cJSON *c_cfg, *c_hpa, *c_scale, *c_fail, *c_metrics, *c_status, *c_beh, *c_recs;

    /* config */
    if (hjson_object(r, in, P, "config", 0, &c_cfg) < 0)
        goto done;
    if (c_cfg != NULL) {
        const char *CP = "input.config";
        const cJSON *tol = hjson_get(c_cfg, "tolerance");
        if (tol != NULL && cJSON_IsObject(tol)) {
            if (hjson_double(r, tol, "input.config.tolerance", "scale_down", 1,
                             &cfg.tolerance.scale_down, NULL) < 0 ||
                hjson_double(r, tol, "input.config.tolerance", "scale_up", 1,
                             &cfg.tolerance.scale_up, NULL) < 0)
                goto done;
        } else {
            double t;
            int has;
            if (hjson_double(r, c_cfg, CP, "tolerance", 0, &t, &has) < 0)
                goto done;
            if (has)
                cfg.tolerance = (hpa_tolerance){t, t};
        }
        if (case_secs(r, c_cfg, CP, "cpu_initialization_period_s", 0, &cfg.cpu_init_period_us,
                      NULL) < 0 ||
            case_secs(r, c_cfg, CP, "delay_of_initial_readiness_status_s", 0,
                      &cfg.readiness_delay_us, NULL) < 0 ||
            case_secs(r, c_cfg, CP, "downscale_stabilization_window_s", 0, &cfg.downscale_window_us,
                      NULL) < 0 ||
            hjson_double(r, c_cfg, CP, "scale_up_limit_factor", 0, &cfg.scale_up_limit_factor,
                         NULL) < 0 ||
            hjson_double(r, c_cfg, CP, "scale_up_limit_minimum", 0, &cfg.scale_up_limit_minimum,
                         NULL) < 0 ||
            hjson_bool(r, c_cfg, CP, "pod_level_resources_enabled", 0, &cfg.pod_level_requests,
                       NULL) < 0)
            goto done;
    }

    /* hpa */
    const char *HP = "input.hpa";
    int has_min;
    if (hjson_object(r, in, P, "hpa", 1, &c_hpa) < 0 ||
        hjson_int32(r, c_hpa, HP, "min_replicas", 0, &spec.min_replicas, &has_min) < 0 ||
        hjson_int32(r, c_hpa, HP, "max_replicas", 1, &spec.max_replicas, NULL) < 0 ||
        hjson_object(r, c_hpa, HP, "behavior", 0, &c_beh) < 0 ||
        hjson_array(r, c_hpa, HP, "metrics", 0, &c_metrics) < 0 ||
        hjson_object(r, c_hpa, HP, "status", 0, &c_status) < 0)
        goto done;
    if (!has_min)
        spec.min_replicas = 1; /* the API default */
    if (c_beh != NULL) {
        spec.behavior.present = 1;
        if (case_read_rules_key(r, c_beh, "input.hpa.behavior", "scale_up", 0, &spec.behavior.up,
                                &spec.behavior.has_up) < 0 ||
            case_read_rules_key(r, c_beh, "input.hpa.behavior", "scale_down", 0,
                                &spec.behavior.down, &spec.behavior.has_down) < 0)
            goto done;
    }
    spec.nmetrics = c_metrics ? cJSON_GetArraySize(c_metrics) : 0;
    if (spec.nmetrics > HPA_MAX_METRICS) {
        hjson_fail(r, "input.hpa.metrics", "at most %d metrics are supported", HPA_MAX_METRICS);
        goto done;
    }
    hpa_metric_spec *ms = case_alloc(a, (size_t)spec.nmetrics, sizeof *ms);
    if (ms == NULL) {
        hjson_fail(r, HP, "out of memory");
        goto done;
    }
    int i = 0;
    for (const cJSON *c = c_metrics ? c_metrics->child : NULL; c; c = c->next, i++) {
        char p[512];
        PATHF(p, "input.hpa.metrics[%d]", i);
        if (case_read_metric_spec(r, a, c, p, &ms[i]) < 0)
            goto done;
    }
    spec.metrics = ms;
    if (c_status != NULL && (hjson_int32(r, c_status, "input.hpa.status", "current_replicas", 0,
                                         &status.current_replicas, NULL) < 0 ||
                             hjson_int32(r, c_status, "input.hpa.status", "desired_replicas", 0,
                                         &status.desired_replicas, NULL) < 0))
        goto done;

    /* scale (status.replicas defaults to spec.replicas), failures, history */
    int has_status_replicas = 0;
    if (hjson_object(r, in, P, "scale", 1, &c_scale) < 0 ||
        hjson_int32(r, c_scale, "input.scale", "spec_replicas", 1, &inputs.spec_replicas, NULL) <
            0 ||
        hjson_int32(r, c_scale, "input.scale", "status_replicas", 0, &inputs.status_replicas,
                    &has_status_replicas) < 0 ||
        hjson_object(r, in, P, "failures", 0, &c_fail) < 0)
        goto done;
    int fails[5] = {0};
    for (int f = 0; c_fail && f < 5; f++)
        if (hjson_bool(r, c_fail, "input.failures", FAILURES[f], 0, &fails[f], NULL) < 0)
            goto done;
    for (const cJSON *k = c_fail ? c_fail->child : NULL; k; k = k->next) {
        int known = 0;
        for (int f = 0; f < 5; f++)
            known |= strcmp(k->string, FAILURES[f]) == 0;
        if (!known) {
            char p[512];
            PATHF(p, "input.failures.%s", k->string);
            hjson_fail(r, p,
                       "unknown failure (known: get_scale, update_scale, "
                       "resource_metrics_api, custom_metrics_api, external_metrics_api)");
            goto done;
        }
    }
    if (!has_status_replicas)
        inputs.status_replicas = inputs.spec_replicas;
    inputs.get_scale_fails = fails[0];
    inputs.update_scale_fails = fails[1];
    if (hjson_array(r, in, P, "recommendations", 0, &c_recs) < 0 ||
        (c_recs && case_read_recommendations(r, c_recs, "input.recommendations", &st) < 0) ||
        case_read_events(r, in, P, "scale_up_events", 1, &st) < 0 ||
        case_read_events(r, in, P, "scale_down_events", 0, &st) < 0)
        goto done;

    /* pods and metric data: the fake metrics servers answer the same data for every metric */
    hpa_pod *pods;
    hpa_resource_sample *samples;
    hpa_pod_metric *pvals;
    int64_t *ext, object_value = 0;
    int nsamples, npvals, next, has_object;
    if (case_read_pods(r, a, in, P, 0, &pods, &inputs.npods) < 0 ||
        case_read_resource_metrics(r, a, in, P, &samples, &nsamples) < 0 ||
        case_read_pod_metrics(r, a, in, P, "pod_metric_values", &pvals, &npvals) < 0 ||
        case_read_int64_list(r, a, in, P, "external_values_milli", &ext, &next) < 0 ||
        hjson_int64(r, in, P, "object_value_milli", 0, &object_value, &has_object) < 0)
        goto done;
    inputs.pods = pods;
    int ndata = spec.nmetrics > 0 ? spec.nmetrics : 1;
    hpa_metric_data *data = case_alloc(a, (size_t)ndata, sizeof *data);
    if (data == NULL) {
        hjson_fail(r, P, "out of memory");
        goto done;
    }
    for (int k = 0; k < ndata; k++) {
        hpa_metric_type t = spec.nmetrics > 0 ? ms[k].type : HPA_METRIC_RESOURCE;
        hpa_metric_data *d = &data[k];
        d->resource = samples;
        d->nresource = nsamples;
        d->pod_values = pvals;
        d->npod_values = npvals;
        d->external_values = ext;
        d->nexternal = next;
        d->object_value_milli = object_value;
        if (t == HPA_METRIC_RESOURCE || t == HPA_METRIC_CONTAINER_RESOURCE)
            d->failed = fails[2];
        else if (t == HPA_METRIC_PODS)
            d->failed = fails[3];
        else if (t == HPA_METRIC_OBJECT) {
            d->failed = fails[3] || !has_object;
            if (!has_object && !fails[3])
                d->error = "no object metric value given (input.object_value_milli)";
        } else if (t == HPA_METRIC_EXTERNAL)
            d->failed = fails[4];
    }
    inputs.metrics = data;
    inputs.now_us = 0;

    hpa_decision dec;
    if (hpa_sync(&cfg, &spec, &st, &status, &inputs, &dec, r->err) < 0)
        goto done;

    case_got_add(g, "desired_replicas", "%d", status.desired_replicas);
    case_got_add(g, "scale_updated", "%s", dec.scale_updated ? "true" : "false");
    {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (f == NULL)
            goto done;
        fputc('{', f);
        int first = 1;
        for (int k = 0; k < HPA_NCONDITIONS; k++) {
            const hpa_condition *c = &status.conditions.c[k];
            if (!c->set)
                continue;
            fprintf(f, "%s\"%s\": [\"%s\", ", first ? "" : ", ",
                    hpa_condition_type_name((hpa_condition_type)k),
                    c->status_true ? "True" : "False");
            case_put_str(f, c->reason);
            fputc(']', f);
            first = 0;
        }
        fputc('}', f);
        fclose(f);
        case_got_add(g, "conditions", "%s", buf);
        free(buf);
    }
    /* status.currentCPUUtilizationPercentage of the autoscaling/v1 view: the first Resource
     * cpu metric with an average utilization (autoscaling/v1 conversion). */
    const hpa_metric_status *cpu = NULL;
    for (int k = 0; k < status.nmetrics; k++) {
        const hpa_metric_status *m = &status.metrics[k];
        if (m->valid && m->type == HPA_METRIC_RESOURCE && m->name && strcmp(m->name, "cpu") == 0 &&
            m->has_utilization)
            cpu = m; /* the v1 conversion loops over all of them: the last one wins */
    }
    if (cpu != NULL)
        case_got_add(g, "cpu_utilization", "%d", cpu->average_utilization);
    else
        case_got_add(g, "cpu_utilization", "null");
    const hpa_event *ev = NULL;
    for (int k = 0; k < dec.events.n; k++)
        if (strcmp(dec.events.ev[k].reason, "SuccessfulRescale") == 0 ||
            strcmp(dec.events.ev[k].reason, "FailedRescale") == 0)
            ev = &dec.events.ev[k];
    if (ev == NULL && dec.events.n > 0)
        ev = &dec.events.ev[dec.events.n - 1];
    case_got_str(g, "event", ev ? ev->message : NULL);
    if (ex != NULL)
        explain_sync(ex, &spec, &dec, &status, &st);
    rc = 0;
done:
    hpa_state_free(&st);
    return rc;
}
