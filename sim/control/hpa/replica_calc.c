/* replica_calc.c: the per-metric replica calculators; see replica_calc.h. */
#include "sim/control/hpa/replica_calc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/control/hpa/name_index.h"

int hpa_tolerance_within(hpa_tolerance tol, double ratio) {
    /* Tolerances.isWithin (KEP-4951, v1.33+): both bounds inclusive; NaN is never within. */
    return (1.0 - tol.scale_down) <= ratio && ratio <= (1.0 + tol.scale_up);
}

int32_t hpa_ceil_i32(double x) {
    if (isnan(x))
        return 0;
    x = ceil(x);
    if (x >= (double)INT32_MAX)
        return INT32_MAX;
    if (x <= (double)INT32_MIN)
        return INT32_MIN;
    return (int32_t)x;
}

int32_t hpa_trunc_i32(double x) {
    if (isnan(x))
        return 0;
    x = trunc(x);
    if (x >= (double)INT32_MAX)
        return INT32_MAX;
    if (x <= (double)INT32_MIN)
        return INT32_MIN;
    return (int32_t)x;
}

int64_t hpa_ceil_i64(double x) {
    if (isnan(x))
        return 0;
    x = ceil(x);
    /* (double)INT64_MAX rounds up to 2^63, which no int64 holds. */
    if (x >= 9223372036854775808.0)
        return INT64_MAX;
    if (x <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)x;
}

int32_t hpa_sat_i32(int64_t v) {
    return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

static int64_t sat_i64(__int128 v) {
    return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : (int64_t)v;
}

/* The metrics map of upstream (pod name -> value), with its delete and overwrite semantics:
 * slots are never moved, a deleted one is marked dead, and `index` finds a name's slot. */
typedef struct entry {
    const char *pod;
    int64_t value;
    int live;
} entry;

typedef struct entries {
    entry *e;
    int n;    /* slots used */
    int live; /* live entries: len(metrics) upstream */
    name_index index;
} entries;

/* Room is sized by the caller (metrics + pods), so put never overflows. */
static void entries_put(entries *m, const char *pod, int64_t value) {
    int i = name_index_get(&m->index, pod);
    if (i < 0) {
        i = m->n++;
        name_index_put(&m->index, pod, i);
        m->e[i].live = 0;
    }
    m->live += !m->e[i].live;
    m->e[i] = (entry){pod, value, 1};
}

static void entries_delete(entries *m, const char *pod) {
    int i = name_index_get(&m->index, pod);
    if (i >= 0 && m->e[i].live) {
        m->e[i].live = 0;
        m->live--;
    }
}

/* Shared scratch of the pod-metric calculators: the classes, the working map, the requests and
 * the pod-name index (requests[podName] upstream: the last pod of that name). */
typedef struct scratch {
    hpa_pod_class *cls;
    int *metric_of;
    entries map;
    int64_t *requests;
    name_index pods;
    int ready, nunready, nmissing;
} scratch;

static void scratch_free(scratch *s) {
    free(s->cls);
    free(s->metric_of);
    free(s->map.e);
    free(s->requests);
    name_index_free(&s->map.index);
    name_index_free(&s->pods);
}

/* Steps shared by GetResourceReplicas and calcPlainMetricReplicas: pod list check, grouping,
 * removal of ignored and unready pods, empty check. */
static int prepare(const hpa_calc_ctx *ctx, int cpu_rules, const hpa_pod_metric *metrics,
                   int nmetrics, scratch *s, sim_error *err) {
    memset(s, 0, sizeof *s);
    if (ctx->npods == 0)
        return error_set(err, "no pods returned by selector while calculating replica count");
    int room = ctx->npods + nmetrics;
    s->cls = calloc((size_t)ctx->npods, sizeof *s->cls);
    s->metric_of = calloc((size_t)ctx->npods, sizeof *s->metric_of);
    s->map.e = calloc((size_t)room, sizeof *s->map.e);
    s->requests = calloc((size_t)ctx->npods, sizeof *s->requests);
    if (s->cls == NULL || s->metric_of == NULL || s->map.e == NULL || s->requests == NULL ||
        name_index_init(&s->map.index, room, err) < 0 ||
        name_index_init(&s->pods, ctx->npods, err) < 0)
        return error_set(err, "out of memory");
    for (int i = 0; i < ctx->npods; i++)
        name_index_put(&s->pods, ctx->pods[i].name, i);
    for (int i = 0; i < nmetrics; i++)
        entries_put(&s->map, metrics[i].pod, metrics[i].value_milli);
    /* the sample each pod is judged by: the last one of its name, like the map upstream */
    name_index last;
    if (name_index_init(&last, nmetrics, err) < 0)
        return -1;
    for (int i = 0; i < nmetrics; i++)
        name_index_put(&last, metrics[i].pod, i);
    for (int i = 0; i < ctx->npods; i++)
        s->metric_of[i] = name_index_get(&last, ctx->pods[i].name);
    name_index_free(&last);
    hpa_group_cfg g = {cpu_rules, ctx->now_us, ctx->cpu_init_period_us, ctx->readiness_delay_us};
    s->ready = hpa_group_pods_matched(ctx->pods, ctx->npods, metrics, s->metric_of, &g, s->cls);
    for (int i = 0; i < ctx->npods; i++) {
        if (s->cls[i] == HPA_POD_IGNORED || s->cls[i] == HPA_POD_UNREADY)
            entries_delete(&s->map, ctx->pods[i].name);
        s->nunready += s->cls[i] == HPA_POD_UNREADY;
        s->nmissing += s->cls[i] == HPA_POD_MISSING;
    }
    if (s->map.live == 0)
        return error_set(err, "did not receive metrics for targeted pods (pods might be unready)");
    return 0;
}

/* GetResourceUtilizationRatio (metrics/utilization.go): sums first, then a whole percent,
 * truncated toward zero. Exact 128-bit sums like the newest overflow-safe upstream; the percent
 * is clamped to the int32 rails. */
static int utilization_ratio(const scratch *s, int32_t target_pct, double *ratio, int32_t *util,
                             int64_t *raw, sim_error *err) {
    __int128 usage = 0, request = 0;
    int64_t n = 0;
    for (int i = 0; i < s->map.n; i++) {
        if (!s->map.e[i].live)
            continue;
        int p = name_index_get(&s->pods, s->map.e[i].pod);
        if (p < 0)
            continue; /* a metric of a pod outside the list: extraneous, skipped here */
        usage += s->map.e[i].value;
        request += s->requests[p];
        n++;
    }
    if (request == 0)
        return error_set(err, "no metrics returned matched known pods");
    __int128 pct = usage * 100 / request;
    *util = pct > INT32_MAX ? INT32_MAX : pct < INT32_MIN ? INT32_MIN : (int32_t)pct;
    *raw = sat_i64(usage / n);
    *ratio = (double)*util / (double)target_pct;
    return 0;
}

/* The "conservative fill" tail shared by both pod-metric calculators (steps 4 of §4.1/§4.3):
 * returns the final proposal given the old and the recomputed ratio. */
static int32_t settle(int32_t current, hpa_tolerance tol, double ratio, double new_ratio,
                      int entries_n) {
    if (hpa_tolerance_within(tol, new_ratio) || (ratio < 1.0 && new_ratio > 1.0) ||
        (ratio > 1.0 && new_ratio < 1.0))
        return current; /* too small a change, or the fill flipped the direction */
    int32_t replicas = hpa_ceil_i32(new_ratio * (double)entries_n);
    if ((new_ratio < 1.0 && replicas > current) || (new_ratio > 1.0 && replicas < current))
        return current; /* the entry count would move against the ratio */
    return replicas;
}

int hpa_calc_resource_utilization(const hpa_calc_ctx *ctx, int32_t current, int32_t target_pct,
                                  const char *resource, const char *container,
                                  const hpa_pod_metric *metrics, int nmetrics, hpa_proposal *out,
                                  sim_error *err) {
    memset(out, 0, sizeof *out);
    scratch s;
    int rc = -1;
    if (prepare(ctx, strcmp(resource, "cpu") == 0, metrics, nmetrics, &s, err) < 0)
        goto done;
    for (int i = 0; i < ctx->npods; i++)
        if (hpa_pod_request(&ctx->pods[i], resource, container, ctx->pod_level_requests,
                            &s.requests[i], err) < 0)
            goto done;
    double ratio;
    if (utilization_ratio(&s, target_pct, &ratio, &out->utilization, &out->usage_milli, err) < 0)
        goto done;
    int up_with_unready = s.nunready > 0 && ratio > 1.0;
    rc = 0;
    if (!up_with_unready && s.nmissing == 0) {
        out->replicas = hpa_tolerance_within(ctx->tolerance, ratio)
                            ? current
                            : hpa_ceil_i32(ratio * (double)s.ready);
        goto done;
    }
    /* A missing pod is assumed at max(100%, target) of its request on a scale-down (the newest
     * fallback) and at 0 on a scale-up; unready pods at 0, and only on a scale-up. */
    int64_t fallback_pct = target_pct > 100 ? target_pct : 100;
    for (int i = 0; i < ctx->npods; i++) {
        if (s.cls[i] == HPA_POD_MISSING && ratio < 1.0) {
            int p = name_index_get(&s.pods, ctx->pods[i].name);
            entries_put(&s.map, ctx->pods[i].name,
                        sat_i64((__int128)s.requests[p] * fallback_pct / 100));
        } else if (s.cls[i] == HPA_POD_MISSING && ratio > 1.0) {
            entries_put(&s.map, ctx->pods[i].name, 0);
        } else if (s.cls[i] == HPA_POD_UNREADY && up_with_unready) {
            entries_put(&s.map, ctx->pods[i].name, 0);
        }
    }
    double new_ratio;
    int32_t new_util;
    int64_t new_raw;
    if (utilization_ratio(&s, target_pct, &new_ratio, &new_util, &new_raw, err) < 0) {
        rc = -1;
        goto done;
    }
    out->replicas = settle(current, ctx->tolerance, ratio, new_ratio, s.map.live);
done:
    scratch_free(&s);
    return rc;
}

/* GetMetricUsageRatio: the integer average (exact, like the newest big.Int fallback). */
static double usage_ratio(const entries *m, int64_t target, int64_t *usage) {
    __int128 sum = 0;
    for (int i = 0; i < m->n; i++)
        if (m->e[i].live)
            sum += m->e[i].value;
    *usage = sat_i64(sum / m->live);
    return (double)*usage / (double)target;
}

int hpa_calc_plain(const hpa_calc_ctx *ctx, int32_t current, int64_t target_milli, int cpu_rules,
                   const hpa_pod_metric *metrics, int nmetrics, hpa_proposal *out, sim_error *err) {
    memset(out, 0, sizeof *out);
    scratch s;
    int rc = -1;
    if (prepare(ctx, cpu_rules, metrics, nmetrics, &s, err) < 0)
        goto done;
    rc = 0;
    double ratio = usage_ratio(&s.map, target_milli, &out->usage_milli);
    int up_with_unready = s.nunready > 0 && ratio > 1.0;
    if (!up_with_unready && s.nmissing == 0) {
        out->replicas = hpa_tolerance_within(ctx->tolerance, ratio)
                            ? current
                            : hpa_ceil_i32(ratio * (double)s.ready);
        goto done;
    }
    /* calcPlainMetricReplicas: a missing pod is assumed exactly at target on a scale-down. */
    for (int i = 0; i < ctx->npods; i++) {
        if (s.cls[i] == HPA_POD_MISSING && ratio < 1.0)
            entries_put(&s.map, ctx->pods[i].name, target_milli);
        else if (s.cls[i] == HPA_POD_MISSING && ratio > 1.0)
            entries_put(&s.map, ctx->pods[i].name, 0);
        else if (s.cls[i] == HPA_POD_UNREADY && up_with_unready)
            entries_put(&s.map, ctx->pods[i].name, 0);
    }
    int64_t new_usage;
    double new_ratio = usage_ratio(&s.map, target_milli, &new_usage);
    out->replicas = settle(current, ctx->tolerance, ratio, new_ratio, s.map.live);
done:
    scratch_free(&s);
    return rc;
}

/* getUsageRatioReplicaCount + getReadyPodsCount. */
int hpa_calc_value(const hpa_calc_ctx *ctx, int32_t current, int64_t target_milli,
                   int64_t value_milli, hpa_proposal *out, sim_error *err) {
    memset(out, 0, sizeof *out);
    out->usage_milli = value_milli;
    double ratio = (double)value_milli / (double)target_milli;
    if (current == 0) {
        out->replicas = hpa_ceil_i32(ratio); /* scale from zero: no tolerance, no pod count */
        return 0;
    }
    if (hpa_tolerance_within(ctx->tolerance, ratio)) {
        out->replicas = current;
        return 0;
    }
    if (ctx->npods == 0)
        return error_set(err, "unable to calculate ready pods: no pods returned by selector "
                              "while calculating replica count");
    int64_t ready = 0;
    for (int i = 0; i < ctx->npods; i++)
        ready += ctx->pods[i].phase == HPA_PHASE_RUNNING && ctx->pods[i].ready == HPA_READY_TRUE;
    out->replicas = hpa_ceil_i32(ratio * (double)ready);
    return 0;
}

/* GetObjectPerPodMetricReplicas / GetExternalPerPodMetricReplicas: the proposal is
 * ceil(total/target) when the per-replica ratio is outside tolerance, else status.replicas. */
static void per_pod(const hpa_calc_ctx *ctx, int32_t status_replicas, int64_t target_milli,
                    int64_t total, hpa_proposal *out) {
    memset(out, 0, sizeof *out);
    out->replicas = status_replicas;
    double ratio = (double)total / ((double)target_milli * (double)status_replicas);
    if (!hpa_tolerance_within(ctx->tolerance, ratio))
        out->replicas = hpa_ceil_i32((double)total / (double)target_milli);
    /* Newest External code: a saturated total reports INT64_MAX; otherwise ceil(total/status)
     * (status 0 gives +-Inf or NaN, mapped to the rails or 0). */
    if ((double)total >= 9223372036854775808.0)
        out->usage_milli = INT64_MAX;
    else
        out->usage_milli = hpa_ceil_i64((double)total / (double)status_replicas);
}

int hpa_calc_object_average(const hpa_calc_ctx *ctx, int32_t status_replicas, int64_t target_milli,
                            int64_t value_milli, hpa_proposal *out) {
    per_pod(ctx, status_replicas, target_milli, value_milli, out);
    return 0;
}

int hpa_calc_external_average(const hpa_calc_ctx *ctx, int32_t status_replicas,
                              int64_t target_milli, int64_t sum_milli, hpa_proposal *out) {
    per_pod(ctx, status_replicas, target_milli, sum_milli, out);
    return 0;
}

int64_t hpa_external_sum_value(const int64_t *values, int n) {
    int64_t usage = 0;
    for (int i = 0; i < n; i++) {
        if (values[i] > 0 && usage > INT64_MAX - values[i])
            return INT64_MAX; /* GetExternalMetricReplicas caps a positive overflow */
        usage = (int64_t)((uint64_t)usage + (uint64_t)values[i]); /* Go wraps otherwise */
    }
    return usage;
}

int64_t hpa_external_sum_average(const int64_t *values, int n) {
    int64_t usage = 0;
    for (int i = 0; i < n; i++) {
        usage = (int64_t)((uint64_t)usage + (uint64_t)values[i]);
        if (usage < 0)
            return INT64_MAX; /* GetExternalPerPodMetricReplicas: "only an overflow gets here" */
    }
    return usage;
}
