/* pods.c: metric-sample conversion, pod classification and per-pod requests; see pods.h. */
#include "sim/control/hpa/pods.h"

#include <stdlib.h>
#include <string.h>

#include "sim/control/hpa/name_index.h"

int hpa_find_metric(const hpa_pod_metric *metrics, int n, const char *name) {
    for (int i = n - 1; i >= 0; i--)
        if (strcmp(metrics[i].pod, name) == 0)
            return i;
    return -1;
}

int hpa_resource_pod_metrics(const hpa_resource_sample *samples, int n, const char *container,
                             hpa_pod_metric *out, int *nout, sim_error *err) {
    *nout = 0;
    /* metrics/client.go (resourceMetricsClient.GetResourceMetric): an empty answer is an error. */
    if (n == 0)
        return error_set(err, "no metrics returned from resource metrics API");
    int named = container != NULL && container[0] != '\0';
    name_index ix;
    int indexed = name_index_init(&ix, n, NULL) == 0;
    for (int i = 0; i < n; i++) {
        const hpa_resource_sample *s = &samples[i];
        int64_t sum = 0;
        int missing = 0;
        if (named) {
            /* getContainerMetrics: only the named container; absent means the pod is missing. */
            missing = 1;
            for (int c = 0; c < s->ncontainers; c++) {
                if (strcmp(s->containers[c].name, container) == 0) {
                    missing = !s->containers[c].has_usage;
                    sum = s->containers[c].usage_milli;
                    break;
                }
            }
        } else {
            /* getPodMetrics: a pod with no containers, or any container lacking the resource,
             * is missing. The sum wraps like Go's int64 would (done in unsigned arithmetic). */
            missing = s->ncontainers == 0;
            uint64_t acc = 0;
            for (int c = 0; c < s->ncontainers && !missing; c++) {
                if (!s->containers[c].has_usage)
                    missing = 1;
                else
                    acc += (uint64_t)s->containers[c].usage_milli;
            }
            sum = (int64_t)acc;
        }
        if (missing)
            continue;
        int at = indexed ? name_index_get(&ix, s->pod) : hpa_find_metric(out, *nout, s->pod);
        if (at < 0) {
            at = (*nout)++;
            if (indexed)
                name_index_put(&ix, s->pod, at);
        }
        out[at] = (hpa_pod_metric){s->pod, sum, s->timestamp_us, s->window_us};
    }
    if (indexed)
        name_index_free(&ix);
    return 0;
}

/* groupPods, replica_calculator.go (master after v1.34). Every time comparison is strict, like
 * Go's time.Before/After. */
static hpa_pod_class classify(const hpa_pod *pod, const hpa_pod_metric *metrics, int m,
                              const hpa_group_cfg *cfg) {
    if (pod->deleted || pod->phase == HPA_PHASE_FAILED)
        return HPA_POD_IGNORED;
    if (pod->phase == HPA_PHASE_PENDING)
        return HPA_POD_UNREADY;
    if (m < 0)
        return HPA_POD_MISSING;
    if (!cfg->cpu_rules)
        return HPA_POD_READY;
    if (pod->ready == HPA_READY_ABSENT || !pod->has_start_time)
        return HPA_POD_UNREADY;
    int unready;
    if (pod->start_time_us + cfg->cpu_init_period_us > cfg->now_us) {
        /* Inside the CPU initialisation period: trust the sample only if the pod is ready and
         * a whole metric window has passed since it became ready. */
        unready = pod->ready == HPA_READY_FALSE ||
                  metrics[m].timestamp_us < pod->ready_transition_us + metrics[m].window_us;
    } else {
        /* After it: drop only a pod that is unready and has probably never been ready. */
        unready = pod->ready == HPA_READY_FALSE &&
                  pod->start_time_us + cfg->readiness_delay_us > pod->ready_transition_us;
    }
    return unready ? HPA_POD_UNREADY : HPA_POD_READY;
}

int hpa_group_pods_matched(const hpa_pod *pods, int npods, const hpa_pod_metric *metrics,
                           const int *metric_of, const hpa_group_cfg *cfg, hpa_pod_class *cls_out) {
    int ready = 0;
    for (int i = 0; i < npods; i++) {
        cls_out[i] = classify(&pods[i], metrics, metric_of[i], cfg);
        if (cls_out[i] == HPA_POD_READY)
            ready++;
    }
    return ready;
}

int hpa_group_pods(const hpa_pod *pods, int npods, const hpa_pod_metric *metrics, int nmetrics,
                   const hpa_group_cfg *cfg, hpa_pod_class *cls_out) {
    int ready = 0;
    name_index ix;
    int indexed = name_index_init(&ix, nmetrics, NULL) == 0;
    for (int i = 0; indexed && i < nmetrics; i++)
        name_index_put(&ix, metrics[i].pod, i); /* the later sample wins */
    for (int i = 0; i < npods; i++) {
        /* without memory for the index, the same answer by linear search */
        int m = indexed ? name_index_get(&ix, pods[i].name)
                        : hpa_find_metric(metrics, nmetrics, pods[i].name);
        cls_out[i] = classify(&pods[i], metrics, m, cfg);
        if (cls_out[i] == HPA_POD_READY)
            ready++;
    }
    if (indexed)
        name_index_free(&ix);
    return ready;
}

/* calculateRequests / calculatePodRequestsFromContainers, replica_calculator.go (master after
 * v1.34): regular containers then sidecar init containers, in that order. */
int hpa_pod_request(const hpa_pod *pod, const char *resource, const char *container,
                    int pod_level_enabled, int64_t *out_milli, sim_error *err) {
    int named = container != NULL && container[0] != '\0';
    *out_milli = 0;
    if (pod_level_enabled && pod->has_pod_request && !named) {
        *out_milli = pod->pod_request_milli;
        return 0;
    }
    uint64_t sum = 0;
    int total = pod->ncontainers + pod->ninit_containers;
    for (int i = 0; i < total; i++) {
        const hpa_container *c;
        if (i < pod->ncontainers) {
            c = &pod->containers[i];
        } else {
            c = &pod->init_containers[i - pod->ncontainers];
            if (!c->restart_always)
                continue;
        }
        if (named && strcmp(container, c->name) != 0)
            continue;
        if (!c->has_request)
            return error_set(err, "missing request for %s in container %s of Pod %s", resource,
                             c->name, pod->name);
        sum += (uint64_t)c->request_milli;
        if (named) {
            *out_milli = (int64_t)sum;
            return 0;
        }
    }
    if (named)
        return error_set(err, "container %s not found in Pod %s", container, pod->name);
    *out_milli = (int64_t)sum;
    return 0;
}
