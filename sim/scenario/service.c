/* service.c: reads the "service" section (the Deployment's pods and the Service in front of
 * them) into service_cfg. Defaults and bounds are documented in docs/scenario.md. */
#include <stdio.h>
#include <string.h>

#include "common/quantity.h"
#include "sim/scenario/sections.h"

#define MAX_REPLICAS    10000
#define MAX_CONCURRENCY 100000

static const char *const balancer_names[] = {"random", "round-robin", "least-requests", "queue"};

static const char *const pod_keys[] = {
    "startup",        "cpu_request",    "cpu_limit", "cpu_idle",
    "memory_request", "memory_base",    "demand",    "memory_per_request",
    "concurrency",    "response_bytes", "lifecycle", "llm",
};
static const char *const service_keys[] = {"name", "replicas", "balancer", "pod"};

static int read_pod(const sc_reader *r, const cJSON *node, const char *path, pod_cfg *pod) {
    char p[RD_PATH_MAX];
    const cJSON *m;
    /* Defaults: ready at once, 1 CPU requested, no limit, 10 ms of CPU per request. */
    pod->startup_us.kind = DIST_CONSTANT;
    pod->cpu_request_milli = 1000;
    pod->demand.kind = DIST_CONSTANT;
    pod->demand.mean = 10000;
    if (node == NULL)
        return 0;
    if (rd_object(r, node, path, pod_keys, (int)(sizeof pod_keys / sizeof pod_keys[0]), NULL,
                  NULL) < 0)
        return -1;
    if ((m = rd_get(node, "startup")) != NULL &&
        read_dist(r, m, rd_join(p, path, "startup"), DIST_NONNEGATIVE, &pod->startup_us) < 0)
        return -1;
    if ((m = rd_get(node, "demand")) != NULL &&
        read_dist(r, m, rd_join(p, path, "demand"), DIST_POSITIVE, &pod->demand) < 0)
        return -1;
    const cJSON *req = rd_get(node, "cpu_request"), *lim = rd_get(node, "cpu_limit");
    if (lim != NULL && rd_cpu(r, lim, rd_join(p, path, "cpu_limit"), &pod->cpu_limit_milli) < 0)
        return -1;
    if (req != NULL) {
        if (rd_cpu(r, req, rd_join(p, path, "cpu_request"), &pod->cpu_request_milli) < 0)
            return -1;
    } else if (lim != NULL && pod->cpu_limit_milli > 0) {
        /* Kubernetes: a container with a limit and no request gets request = limit. */
        pod->cpu_request_milli = pod->cpu_limit_milli;
    }
    if (pod->cpu_request_milli <= 0)
        return rd_fail(r, req, rd_join(p, path, "cpu_request"),
                       "must be greater than 0 (CPU utilization is usage / request)");
    char a[32], b[32];
    if (lim != NULL && pod->cpu_limit_milli == 0)
        return rd_fail(r, lim, rd_join(p, path, "cpu_limit"),
                       "must be greater than 0 (leave cpu_limit out for no limit)");
    if (lim != NULL && pod->cpu_limit_milli < pod->cpu_request_milli) {
        quantity_format_cpu(pod->cpu_limit_milli, a, sizeof a);
        quantity_format_cpu(pod->cpu_request_milli, b, sizeof b);
        return rd_fail(r, lim, rd_join(p, path, "cpu_limit"),
                       "%s is less than cpu_request %s (Kubernetes requires limit >= request)", a,
                       b);
    }
    if ((m = rd_get(node, "cpu_idle")) != NULL) {
        if (rd_cpu(r, m, rd_join(p, path, "cpu_idle"), &pod->cpu_idle_milli) < 0)
            return -1;
        if (pod->cpu_limit_milli > 0 && pod->cpu_idle_milli > pod->cpu_limit_milli) {
            quantity_format_cpu(pod->cpu_idle_milli, a, sizeof a);
            quantity_format_cpu(pod->cpu_limit_milli, b, sizeof b);
            return rd_fail(r, m, rd_join(p, path, "cpu_idle"),
                           "%s is more than cpu_limit %s (an idle pod cannot use more than its "
                           "limit)",
                           a, b);
        }
    }
    if ((m = rd_get(node, "memory_request")) != NULL &&
        rd_bytes(r, m, rd_join(p, path, "memory_request"), &pod->memory_request_bytes) < 0)
        return -1;
    if ((m = rd_get(node, "memory_base")) != NULL &&
        rd_bytes(r, m, rd_join(p, path, "memory_base"), &pod->memory_base_bytes) < 0)
        return -1;
    if ((m = rd_get(node, "memory_per_request")) != NULL &&
        rd_bytes(r, m, rd_join(p, path, "memory_per_request"), &pod->memory_per_request_bytes) < 0)
        return -1;
    if ((m = rd_get(node, "response_bytes")) != NULL &&
        rd_bytes(r, m, rd_join(p, path, "response_bytes"), &pod->response_bytes) < 0)
        return -1;
    int64_t v;
    if ((m = rd_get(node, "concurrency")) != NULL) {
        if (rd_int(r, m, rd_join(p, path, "concurrency"), 0, MAX_CONCURRENCY, &v) < 0)
            return -1;
        pod->concurrency = (int)v;
    }
    if ((m = rd_get(node, "lifecycle")) != NULL &&
        read_lifecycle(r, m, rd_join(p, path, "lifecycle"), &pod->lifecycle) < 0)
        return -1;
    if ((m = rd_get(node, "llm")) != NULL &&
        read_llm(r, m, rd_join(p, path, "llm"), &pod->llm) < 0) {
        lifecycle_cfg_free(pod->lifecycle);
        pod->lifecycle = NULL;
        return -1;
    }
    if (pod->llm != NULL && llm_startup_wanted(pod->llm)) {
        if (pod->lifecycle == NULL) {
            llm_cfg_free(pod->llm);
            pod->llm = NULL;
            return rd_fail(r, rd_get(m, "startup"), rd_join(p, path, "llm.startup"),
                           "GPU start-up stages need service.pod.lifecycle");
        }
        llm_startup_to_lifecycle(pod->llm, pod->lifecycle);
    }
    return 0;
}

int read_service(const sc_reader *r, const cJSON *node, const char *path, const char *default_name,
                 service_cfg *out) {
    char p[RD_PATH_MAX];
    const cJSON *m;
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", default_name);
    out->replicas = 1;
    out->balancer = LB_RANDOM;
    if (node != NULL &&
        rd_object(r, node, path, service_keys, (int)(sizeof service_keys / sizeof service_keys[0]),
                  NULL, NULL) < 0)
        return -1;
    if (node != NULL && (m = rd_get(node, "name")) != NULL &&
        rd_name(r, m, rd_join(p, path, "name"), out->name, sizeof out->name) < 0)
        return -1;
    int64_t v;
    if (node != NULL && (m = rd_get(node, "replicas")) != NULL) {
        if (rd_int(r, m, rd_join(p, path, "replicas"), 0, MAX_REPLICAS, &v) < 0)
            return -1;
        out->replicas = (int)v;
    }
    const cJSON *bal = node ? rd_get(node, "balancer") : NULL;
    int b = LB_RANDOM;
    if (bal != NULL && rd_enum(r, bal, rd_join(p, path, "balancer"), balancer_names, 4, &b) < 0)
        return -1;
    out->balancer = (balancer_kind)b;
    const cJSON *pod = node ? rd_get(node, "pod") : NULL;
    if (read_pod(r, pod, rd_join(p, path, "pod"), &out->pod) < 0) {
        dist_cfg_free(&out->pod.startup_us);
        dist_cfg_free(&out->pod.demand);
        return -1;
    }
    if (out->balancer == LB_QUEUE && out->pod.concurrency == 0) {
        dist_cfg_free(&out->pod.startup_us);
        dist_cfg_free(&out->pod.demand);
        lifecycle_cfg_free(out->pod.lifecycle);
        out->pod.lifecycle = NULL;
        llm_cfg_free(out->pod.llm);
        out->pod.llm = NULL;
        return rd_fail(r, bal, rd_join(p, path, "balancer"),
                       "\"queue\" holds requests until a pod has room, so it needs "
                       "service.pod.concurrency of at least 1");
    }
    return 0;
}
