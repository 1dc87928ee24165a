/* hpa_case.c: conformance cases of every kind, read into sim/control/hpa structs, evaluated and
 * rendered as `got` objects; see hpa_case.h. Times in the file are seconds relative to now = 0
 * (ages positive into the past); the library works in microseconds. */
#include "cli/hpa_case.h"
#include "cli/hpa_case_io.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/control/hpa/hpa.h"

/* ---- the kinds ---- */

static const char *const METHODS[] = {"GetResourceReplicas",
                                      "GetRawResourceReplicas",
                                      "GetMetricReplicas",
                                      "GetObjectMetricReplicas",
                                      "GetObjectPerPodMetricReplicas",
                                      "GetExternalMetricReplicas",
                                      "GetExternalPerPodMetricReplicas",
                                      NULL};

static int kind_replica_calc(hjson_reader *r, case_arena *a, const cJSON *in, case_got *g,
                             FILE *ex) {
    const char *P = "input";
    int method = 0;
    int32_t current = 0;
    hpa_calc_ctx ctx = {0};
    const cJSON *tol;
    const char *resource = "cpu", *container = "";
    if (hjson_enum(r, in, P, "method", 1, METHODS, &method, NULL) < 0 ||
        hjson_int32(r, in, P, "current_replicas", 1, &current, NULL) < 0 ||
        hjson_object(r, in, P, "tolerance", 1, &tol) < 0 ||
        hjson_double(r, tol, "input.tolerance", "scale_down", 1, &ctx.tolerance.scale_down, NULL) <
            0 ||
        hjson_double(r, tol, "input.tolerance", "scale_up", 1, &ctx.tolerance.scale_up, NULL) < 0 ||
        case_secs(r, in, P, "cpu_initialization_period_s", 1, &ctx.cpu_init_period_us, NULL) < 0 ||
        case_secs(r, in, P, "delay_of_initial_readiness_status_s", 1, &ctx.readiness_delay_us,
                  NULL) < 0 ||
        hjson_string(r, in, P, "resource", 0, &resource) < 0 ||
        hjson_string(r, in, P, "container", 0, &container) < 0 ||
        hjson_bool(r, in, P, "pod_level_resources_enabled", 0, &ctx.pod_level_requests, NULL) < 0)
        return -1;
    hpa_pod *pods;
    if (case_read_pods(r, a, in, P, 1, &pods, &ctx.npods) < 0)
        return -1;
    ctx.pods = pods;
    hpa_proposal p = {0};
    sim_error e = {""};
    int rc = 0;
    int is_util = method == 0;
    if (method <= 1) {
        hpa_resource_sample *samples;
        int ns, npm = 0;
        int32_t target_pct = 0;
        int64_t target = 0;
        if (case_read_resource_metrics(r, a, in, P, &samples, &ns) < 0 ||
            (is_util ? hjson_int32(r, in, P, "target_utilization", 1, &target_pct, NULL)
                     : hjson_int64(r, in, P, "target_value_milli", 1, &target, NULL)) < 0)
            return -1;
        hpa_pod_metric *pm = case_alloc(a, (size_t)ns, sizeof *pm);
        if (pm == NULL)
            return hjson_fail(r, P, "out of memory");
        rc = hpa_resource_pod_metrics(samples, ns, container, pm, &npm, &e);
        if (rc < 0)
            error_prefix(&e, "unable to get metrics for resource %s", resource);
        else if (is_util)
            rc = hpa_calc_resource_utilization(&ctx, current, target_pct, resource, container, pm,
                                               npm, &p, &e);
        else
            rc = hpa_calc_plain(&ctx, current, target, strcmp(resource, "cpu") == 0, pm, npm, &p,
                                &e);
    } else if (method == 2) {
        hpa_pod_metric *pm;
        int npm;
        int64_t target;
        if (case_read_pod_metrics(r, a, in, P, "pod_metric_values", &pm, &npm) < 0 ||
            hjson_int64(r, in, P, "target_value_milli", 1, &target, NULL) < 0)
            return -1;
        rc = hpa_calc_plain(&ctx, current, target, 0, pm, npm, &p, &e);
    } else if (method == 3 || method == 4) {
        int64_t value, target;
        if (hjson_int64(r, in, P, "object_value_milli", 1, &value, NULL) < 0 ||
            hjson_int64(r, in, P, method == 3 ? "target_value_milli" : "target_per_pod_milli", 1,
                        &target, NULL) < 0)
            return -1;
        if (method == 3)
            rc = hpa_calc_value(&ctx, current, target, value, &p, &e);
        else
            rc = hpa_calc_object_average(&ctx, current, target, value, &p);
    } else {
        int64_t *values, target;
        int nv;
        if (case_read_int64_list(r, a, in, P, "external_values_milli", &values, &nv) < 0 ||
            hjson_int64(r, in, P, method == 5 ? "target_value_milli" : "target_per_pod_milli", 1,
                        &target, NULL) < 0)
            return -1;
        if (method == 5)
            rc = hpa_calc_value(&ctx, current, target, hpa_external_sum_value(values, nv), &p, &e);
        else
            rc = hpa_calc_external_average(&ctx, current, target,
                                           hpa_external_sum_average(values, nv), &p);
    }
    if (rc < 0) {
        case_got_str(g, "error_contains", e.msg);
        case_got_str(g, "error", e.msg);
    } else {
        case_got_add(g, "replicas", "%d", p.replicas);
        if (is_util) {
            case_got_add(g, "utilization", "%d", p.utilization);
            case_got_add(g, "raw_value_milli", "%lld", (long long)p.usage_milli);
        } else {
            case_got_add(g, "usage_milli", "%lld", (long long)p.usage_milli);
        }
    }
    if (ex != NULL) {
        fprintf(ex, "method:      %s (current replicas %d)\n", METHODS[method], current);
        if (rc < 0)
            fprintf(ex, "error:       %s\n", e.msg);
        else
            fprintf(ex, "proposal:    %d replicas\n%s   %lld milli%s\n", p.replicas,
                    is_util ? "usage:    " : "usage:    ", (long long)p.usage_milli,
                    is_util ? " (average per pod)" : "");
        if (rc == 0 && is_util)
            fprintf(ex, "utilization: %d%% of request\n", p.utilization);
    }
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void name_list(case_got *g, const char *key, const hpa_pod *pods, const hpa_pod_class *cls,
                      int n, hpa_pod_class want, case_arena *a) {
    const char **names = case_alloc(a, (size_t)n, sizeof *names);
    int k = 0;
    for (int i = 0; names && i < n; i++)
        if (cls[i] == want)
            names[k++] = pods[i].name;
    if (k > 0)
        qsort(names, (size_t)k, sizeof *names, cmp_str);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return;
    fputc('[', f);
    for (int i = 0; i < k; i++) {
        fprintf(f, "%s", i ? ", " : "");
        case_put_str(f, names[i]);
    }
    fputc(']', f);
    fclose(f);
    case_got_add(g, key, "%s", buf);
    free(buf);
}

static int kind_group_pods(hjson_reader *r, case_arena *a, const cJSON *in, case_got *g) {
    const char *P = "input", *resource = "cpu";
    hpa_group_cfg cfg = {0};
    hpa_pod *pods;
    hpa_pod_metric *pm;
    int npods, npm;
    if (hjson_string(r, in, P, "resource", 0, &resource) < 0 ||
        case_secs(r, in, P, "cpu_initialization_period_s", 1, &cfg.cpu_init_period_us, NULL) < 0 ||
        case_secs(r, in, P, "delay_of_initial_readiness_status_s", 1, &cfg.readiness_delay_us,
                  NULL) < 0 ||
        case_read_pods(r, a, in, P, 1, &pods, &npods) < 0 ||
        case_read_pod_metrics(r, a, in, P, "metrics", &pm, &npm) < 0)
        return -1;
    cfg.cpu_rules = strcmp(resource, "cpu") == 0;
    hpa_pod_class *cls = case_alloc(a, (size_t)npods, sizeof *cls);
    if (cls == NULL)
        return hjson_fail(r, P, "out of memory");
    int ready = hpa_group_pods(pods, npods, pm, npm, &cfg, cls);
    case_got_add(g, "ready_pod_count", "%d", ready);
    name_list(g, "unready", pods, cls, npods, HPA_POD_UNREADY, a);
    name_list(g, "missing", pods, cls, npods, HPA_POD_MISSING, a);
    name_list(g, "ignored", pods, cls, npods, HPA_POD_IGNORED, a);
    return 0;
}

static int kind_calculate_requests(hjson_reader *r, case_arena *a, const cJSON *in, case_got *g) {
    const char *P = "input", *resource = "cpu", *container = "";
    int pod_level = 0;
    hpa_pod *pods;
    int npods;
    if (hjson_string(r, in, P, "resource", 0, &resource) < 0 ||
        hjson_string(r, in, P, "container", 0, &container) < 0 ||
        hjson_bool(r, in, P, "pod_level_resources_enabled", 0, &pod_level, NULL) < 0 ||
        case_read_pods(r, a, in, P, 1, &pods, &npods) < 0)
        return -1;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return hjson_fail(r, P, "out of memory");
    fputc('{', f);
    sim_error e;
    int failed = 0;
    for (int i = 0; i < npods && !failed; i++) {
        int64_t req;
        if (hpa_pod_request(&pods[i], resource, container, pod_level, &req, &e) < 0) {
            failed = 1;
            break;
        }
        fprintf(f, "%s", i ? ", " : "");
        case_put_str(f, pods[i].name);
        fprintf(f, ": %lld", (long long)req);
    }
    fputc('}', f);
    fclose(f);
    if (failed) {
        case_got_str(g, "error", e.msg);
    } else {
        case_got_add(g, "requests_milli", "%s", buf);
    }
    free(buf);
    return 0;
}

static int kind_default_rules(hjson_reader *r, const cJSON *in, case_got *g) {
    static const char *const DIRS[] = {"up", "down", NULL};
    int dir = 0, given = 0;
    hpa_rules spec, out;
    if (hjson_enum(r, in, "input", "direction", 1, DIRS, &dir, NULL) < 0 ||
        case_read_rules_key(r, in, "input", "spec", 0, &spec, &given) < 0)
        return -1;
    hpa_rules_default(given ? &spec : NULL, dir == 0, &out);
    case_rules_got(g, &out);
    return 0;
}

/* behavior_rate: convertDesiredReplicasWithBehaviorRate over the given events. */
static int kind_behavior_rate(hjson_reader *r, const cJSON *in, case_got *g, FILE *ex) {
    const char *P = "input";
    int32_t current, desired, min, max;
    hpa_rules up, down;
    int has_up, has_down;
    hpa_state st;
    hpa_state_init(&st);
    int rc = -1;
    if (hjson_int32(r, in, P, "current_replicas", 1, &current, NULL) < 0 ||
        hjson_int32(r, in, P, "desired_replicas", 1, &desired, NULL) < 0 ||
        hjson_int32(r, in, P, "min_replicas", 1, &min, NULL) < 0 ||
        hjson_int32(r, in, P, "max_replicas", 1, &max, NULL) < 0 ||
        case_read_rules_key(r, in, P, "scale_up_rules", 1, &up, &has_up) < 0 ||
        case_read_rules_key(r, in, P, "scale_down_rules", 1, &down, &has_down) < 0 ||
        case_read_events(r, in, P, "scale_up_events", 1, &st) < 0 ||
        case_read_events(r, in, P, "scale_down_events", 0, &st) < 0)
        goto done;
    hpa_limit l = hpa_rate_limit(current, desired, min, max, &st, &up, &down, 0);
    case_got_add(g, "replicas", "%d", l.replicas);
    case_got_str(g, "condition_reason", l.reason);
    if (ex != NULL)
        fprintf(ex,
                "current %d, stabilized %d, min %d, max %d -> %d (ScalingLimited reason %s: "
                "%s)\n",
                current, desired, min, max, l.replicas, l.reason, l.message);
    rc = 0;
done:
    hpa_state_free(&st);
    return rc;
}

static int kind_scale_limit(hjson_reader *r, const cJSON *in, case_got *g) {
    static const char *const DIRS[] = {"up", "down", NULL};
    const char *P = "input";
    int dir = 0, has_rules;
    int32_t current;
    hpa_rules rules;
    hpa_state st;
    hpa_state_init(&st);
    int rc = -1;
    if (hjson_enum(r, in, P, "direction", 1, DIRS, &dir, NULL) < 0 ||
        hjson_int32(r, in, P, "current_replicas", 1, &current, NULL) < 0 ||
        case_read_rules_key(r, in, P, "rules", 1, &rules, &has_rules) < 0 ||
        case_read_events(r, in, P, "scale_up_events", 1, &st) < 0 ||
        case_read_events(r, in, P, "scale_down_events", 0, &st) < 0)
        goto done;
    int32_t limit = dir == 0 ? hpa_scale_up_limit(current, &st, &rules, 0)
                             : hpa_scale_down_limit(current, &st, &rules, 0);
    case_got_add(g, "limit", "%d", limit);
    rc = 0;
done:
    hpa_state_free(&st);
    return rc;
}

static void recs_json(case_got *g, const char *key, const hpa_state *st) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return;
    fputc('[', f);
    for (int i = 0; i < st->nrecs; i++)
        fprintf(f, "%s%d", i ? ", " : "", st->recs[i].replicas);
    fputc(']', f);
    fclose(f);
    case_got_add(g, key, "%s", buf);
    free(buf);
}

static int kind_stabilize(hjson_reader *r, const cJSON *in, int behavior, case_got *g) {
    const char *P = "input";
    int32_t current = 0, desired, out;
    int64_t up_us = 0, down_us = 0, window_us = 0;
    const cJSON *recs;
    hpa_state st;
    hpa_state_init(&st);
    int rc = -1;
    if (hjson_array(r, in, P, "recommendations", 1, &recs) < 0 ||
        case_read_recommendations(r, recs, "input.recommendations", &st) < 0 ||
        hjson_int32(r, in, P, "desired_replicas", 1, &desired, NULL) < 0)
        goto done;
    if (behavior) {
        if (hjson_int32(r, in, P, "current_replicas", 1, &current, NULL) < 0 ||
            case_secs(r, in, P, "scale_up_stabilization_window_s", 1, &up_us, NULL) < 0 ||
            case_secs(r, in, P, "scale_down_stabilization_window_s", 1, &down_us, NULL) < 0 ||
            hpa_stabilize_behavior(&st, current, desired, up_us, down_us, 0, &out, r->err) < 0)
            goto done;
    } else {
        if (case_secs(r, in, P, "downscale_stabilization_window_s", 1, &window_us, NULL) < 0 ||
            hpa_stabilize_legacy(&st, desired, window_us, 0, &out, r->err) < 0)
            goto done;
    }
    case_got_add(g, "replicas", "%d", out);
    recs_json(g, "recommendations_after", &st);
    case_got_add(g, "recommendations_len_after", "%d", st.nrecs);
    rc = 0;
done:
    hpa_state_free(&st);
    return rc;
}

static int kind_clamp_legacy(hjson_reader *r, const cJSON *in, case_got *g) {
    const char *P = "input";
    int32_t current, desired, min, max;
    double factor = 2.0, minimum = 4.0;
    if (hjson_int32(r, in, P, "current_replicas", 1, &current, NULL) < 0 ||
        hjson_int32(r, in, P, "desired_replicas", 1, &desired, NULL) < 0 ||
        hjson_int32(r, in, P, "min_replicas", 1, &min, NULL) < 0 ||
        hjson_int32(r, in, P, "max_replicas", 1, &max, NULL) < 0 ||
        hjson_double(r, in, P, "scale_up_limit_factor", 0, &factor, NULL) < 0 ||
        hjson_double(r, in, P, "scale_up_limit_minimum", 0, &minimum, NULL) < 0)
        return -1;
    hpa_limit l = hpa_clamp_legacy(current, desired, min, max, factor, minimum);
    case_got_add(g, "replicas", "%d", l.replicas);
    case_got_str(g, "condition_reason", l.reason);
    return 0;
}

/* store_scale_events: upstream runs the row as a scale-up from 10 (and again as a scale-down);
 * the bookkeeping is symmetric, so the scale-up run is reported. */
static int kind_store_scale_events(hjson_reader *r, const cJSON *in, case_got *g) {
    const char *P = "input";
    hpa_rules rules, defaulted;
    int has_rules;
    int32_t change = 0;
    int64_t period_us = 0;
    hpa_state st;
    hpa_state_init(&st);
    int rc = -1;
    if (case_read_rules_key(r, in, P, "rules", 0, &rules, &has_rules) < 0 ||
        case_read_events(r, in, P, "previous_events", 1, &st) < 0 ||
        hjson_int32(r, in, P, "replica_change", 1, &change, NULL) < 0 ||
        case_secs(r, in, P, "period_for_sum_s", 1, &period_us, NULL) < 0)
        goto done;
    case_got_add(g, "change_in_period_before", "%lld",
                 (long long)hpa_events_change_in_period(st.up, st.nup, period_us, 0));
    /* The test's behaviour has these rules for scale-up (the other direction defaulted). */
    hpa_rules down;
    hpa_rules_default(NULL, 0, &down);
    defaulted = rules;
    if (hpa_store_scale_event(&st, has_rules ? &defaulted : NULL, has_rules ? &down : NULL, 10,
                              10 + change, 0, r->err) < 0)
        goto done;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        goto done;
    fputc('[', f);
    for (int i = 0; i < st.nup; i++)
        fprintf(f, "%s{\"change\": %d, \"outdated\": %s}", i ? ", " : "", st.up[i].change,
                st.up[i].outdated ? "true" : "false");
    fputc(']', f);
    fclose(f);
    case_got_add(g, "events_after", "%s", buf);
    free(buf);
    rc = 0;
done:
    hpa_state_free(&st);
    return rc;
}

static const char *const KINDS[] = {"replica_calc",       "group_pods",       "calculate_requests",
                                    "default_rules",      "behavior_rate",    "scale_limit",
                                    "stabilize_behavior", "stabilize_legacy", "clamp_legacy",
                                    "store_scale_events", "controller",       NULL};

int hpa_case_eval(hjson_reader *r, const cJSON *c, const cJSON *expect_keys, char **got_text,
                  FILE *explain) {
    *got_text = NULL;
    int kind = 0;
    const cJSON *in;
    if (hjson_enum(r, c, "", "kind", 1, KINDS, &kind, NULL) < 0 ||
        hjson_object(r, c, "", "input", 1, &in) < 0)
        return -1;
    case_arena a = {0};
    case_got g = {0};
    int rc;
    switch (kind) {
    case 0:
        rc = kind_replica_calc(r, &a, in, &g, explain);
        break;
    case 1:
        rc = kind_group_pods(r, &a, in, &g);
        break;
    case 2:
        rc = kind_calculate_requests(r, &a, in, &g);
        break;
    case 3:
        rc = kind_default_rules(r, in, &g);
        break;
    case 4:
        rc = kind_behavior_rate(r, in, &g, explain);
        break;
    case 5:
        rc = kind_scale_limit(r, in, &g);
        break;
    case 6:
        rc = kind_stabilize(r, in, 1, &g);
        break;
    case 7:
        rc = kind_stabilize(r, in, 0, &g);
        break;
    case 8:
        rc = kind_clamp_legacy(r, in, &g);
        break;
    case 9:
        rc = kind_store_scale_events(r, in, &g);
        break;
    default:
        rc = hpa_case_controller(r, &a, in, &g, explain);
        break;
    }
    if (rc == 0) {
        *got_text = case_got_render(&g, expect_keys);
        if (*got_text == NULL)
            rc = hjson_fail(r, "", "out of memory");
    }
    case_got_free(&g);
    case_arena_free(&a);
    return rc;
}
