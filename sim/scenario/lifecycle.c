/* lifecycle.c (scenario): reads "service.pod.lifecycle" (a pod's stages, node capacity and
 * termination) and the top-level "metrics" (the metric pipelines) into config.h's lifecycle_cfg
 * and metrics_cfg. Defaults and their sources: docs/model.md and docs/scenario.md.
 *
 *   "lifecycle": {"schedule": "0s", "image_pull": {"cold": "30s", "cached": "0s"},
 *                 "container_start": "1s", "model_load": {"dist": "lognormal", ...},
 *                 "readiness_probe": {"initialDelaySeconds": 0, "periodSeconds": 10,
 *                                     "successThreshold": 1},
 *                 "terminationGracePeriodSeconds": 30, "nodes": 2, "pods_per_node": 1}
 *   "metrics": {"housekeeping": "10s", "resolution": "15s",
 *               "prometheus": [{"name": "DCGM_CUSTOM_PROCESS_SM_UTIL", "source": "busy_pct",
 *                               "exporter_interval": "30s", "scrape_interval": "15s",
 *                               "query_window": "0s", "relist": "1m"}]} */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/sections.h"

#define SEC_US    INT64_C(1000000)
#define MAX_NODES 100000

static const char *const lc_keys[] = {"schedule",        "image_pull",
                                      "container_start", "model_load",
                                      "readiness_probe", "terminationGracePeriodSeconds",
                                      "nodes",           "pods_per_node"};
static const char *const pull_keys[] = {"cold", "cached"};
static const char *const probe_keys[] = {"initialDelaySeconds", "periodSeconds",
                                         "successThreshold"};

void lifecycle_cfg_free(lifecycle_cfg *lc) {
    if (lc == NULL)
        return;
    dist_cfg_free(&lc->schedule_us);
    dist_cfg_free(&lc->pull_cold_us);
    dist_cfg_free(&lc->pull_cached_us);
    dist_cfg_free(&lc->start_us);
    dist_cfg_free(&lc->model_load_us);
    free(lc);
}

static dist_cfg constant_us(int64_t us) {
    dist_cfg d;
    memset(&d, 0, sizeof d);
    d.kind = DIST_CONSTANT;
    d.mean = (double)us;
    return d;
}

/* An integer number of seconds, as the Kubernetes fields are. */
static int seconds_field(const sc_reader *r, const cJSON *obj, const char *path, const char *key,
                         int64_t min, int64_t max, int64_t *out_us) {
    const cJSON *m = rd_get(obj, key);
    char p[RD_PATH_MAX];
    int64_t v;
    if (m == NULL)
        return 0;
    if (rd_int(r, m, rd_join(p, path, key), min, max, &v) < 0)
        return -1;
    *out_us = v * SEC_US;
    return 0;
}

static int read_stages(const sc_reader *r, const cJSON *node, const char *path, lifecycle_cfg *lc) {
    char p[RD_PATH_MAX], q[RD_PATH_MAX];
    const cJSON *m;
    if (rd_object(r, node, path, lc_keys, (int)(sizeof lc_keys / sizeof lc_keys[0]), NULL, NULL) <
        0)
        return -1;
    if ((m = rd_get(node, "schedule")) != NULL &&
        read_dist(r, m, rd_join(p, path, "schedule"), DIST_NONNEGATIVE, &lc->schedule_us) < 0)
        return -1;
    if ((m = rd_get(node, "image_pull")) != NULL) {
        const char *pp = rd_join(p, path, "image_pull");
        const cJSON *k;
        if (rd_object(r, m, pp, pull_keys, 2, NULL, NULL) < 0)
            return -1;
        if ((k = rd_get(m, "cold")) != NULL &&
            read_dist(r, k, rd_join(q, pp, "cold"), DIST_NONNEGATIVE, &lc->pull_cold_us) < 0)
            return -1;
        if ((k = rd_get(m, "cached")) != NULL &&
            read_dist(r, k, rd_join(q, pp, "cached"), DIST_NONNEGATIVE, &lc->pull_cached_us) < 0)
            return -1;
    }
    if ((m = rd_get(node, "container_start")) != NULL &&
        read_dist(r, m, rd_join(p, path, "container_start"), DIST_NONNEGATIVE, &lc->start_us) < 0)
        return -1;
    if ((m = rd_get(node, "model_load")) != NULL &&
        read_dist(r, m, rd_join(p, path, "model_load"), DIST_NONNEGATIVE, &lc->model_load_us) < 0)
        return -1;
    if ((m = rd_get(node, "readiness_probe")) != NULL) {
        const char *pp = rd_join(p, path, "readiness_probe");
        if (rd_object(r, m, pp, probe_keys, 3, NULL, NULL) < 0)
            return -1;
        /* API validation: initialDelaySeconds >= 0, periodSeconds >= 1, successThreshold >= 1 */
        if (seconds_field(r, m, pp, "initialDelaySeconds", 0, 86400, &lc->probe_initial_delay_us) <
                0 ||
            seconds_field(r, m, pp, "periodSeconds", 1, 86400, &lc->probe_period_us) < 0)
            return -1;
        const cJSON *k = rd_get(m, "successThreshold");
        int64_t v;
        if (k != NULL) {
            if (rd_int(r, k, rd_join(q, pp, "successThreshold"), 1, 1000, &v) < 0)
                return -1;
            lc->probe_success_threshold = (int)v;
        }
    }
    if (seconds_field(r, node, path, "terminationGracePeriodSeconds", 0, 86400,
                      &lc->termination_grace_us) < 0)
        return -1;
    int64_t v;
    if ((m = rd_get(node, "nodes")) != NULL) {
        if (rd_int(r, m, rd_join(p, path, "nodes"), 0, MAX_NODES, &v) < 0)
            return -1;
        lc->nodes = (int)v;
    }
    if ((m = rd_get(node, "pods_per_node")) != NULL) {
        if (rd_int(r, m, rd_join(p, path, "pods_per_node"), 1, 1000, &v) < 0)
            return -1;
        lc->pods_per_node = (int)v;
    } else if (lc->nodes > 0) {
        return rd_fail(r, rd_get(node, "nodes"), rd_join(p, path, "nodes"),
                       "needs pods_per_node too (how many of these pods fit on one node)");
    }
    return 0;
}

int read_lifecycle(const sc_reader *r, const cJSON *node, const char *path, lifecycle_cfg **out) {
    *out = NULL;
    lifecycle_cfg *lc = calloc(1, sizeof *lc);
    if (lc == NULL)
        return error_set(r->err, "%s: out of memory", r->file);
    /* Defaults: docs/model.md (probe and grace period: Kubernetes API defaults) */
    lc->schedule_us = constant_us(0);
    lc->pull_cold_us = constant_us(30 * SEC_US);
    lc->pull_cached_us = constant_us(0);
    lc->start_us = constant_us(1 * SEC_US);
    lc->model_load_us = constant_us(0);
    lc->probe_period_us = 10 * SEC_US;
    lc->probe_success_threshold = 1;
    lc->termination_grace_us = 30 * SEC_US;
    if (read_stages(r, node, path, lc) < 0) {
        lifecycle_cfg_free(lc);
        return -1;
    }
    *out = lc;
    return 0;
}

static const char *const metrics_keys[] = {"housekeeping", "resolution", "prometheus"};
static const char *const prom_keys[] = {
    "name", "source", "exporter_interval", "scrape_interval", "query_window", "relist"};
static const char *const source_names[] = {"busy_pct",
                                           "inflight",
                                           "requests",
                                           "queue",
                                           "gpu_util",
                                           "sm_active",
                                           "sm_occupancy",
                                           "process_sm_util",
                                           "num_requests_running",
                                           "num_requests_waiting"};

#define MAX_PROM 16

static int read_prom(const sc_reader *r, const cJSON *node, const char *path, prom_metric_cfg *pm) {
    char p[RD_PATH_MAX];
    const cJSON *m;
    memset(pm, 0, sizeof *pm);
    if (rd_object(r, node, path, prom_keys, (int)(sizeof prom_keys / sizeof prom_keys[0]), NULL,
                  NULL) < 0)
        return -1;
    if (rd_require(r, node, path, "name", "the metric name the HPA's spec uses", &m) < 0)
        return -1;
    const char *name;
    if (rd_string(r, m, rd_join(p, path, "name"), &name) < 0)
        return -1;
    if (name[0] == 0 || strlen(name) >= sizeof pm->name)
        return rd_fail(r, m, p, "must be 1 to %zu characters", sizeof pm->name - 1);
    snprintf(pm->name, sizeof pm->name, "%s", name);
    int src = SERIES_BUSY_PCT;
    if (rd_require(r, node, path, "source",
                   "what the exporter reports: busy_pct, inflight, requests, queue, gpu_util, "
                   "sm_active, sm_occupancy, process_sm_util, num_requests_running or "
                   "num_requests_waiting",
                   &m) < 0 ||
        rd_enum(r, m, rd_join(p, path, "source"), source_names,
                (int)(sizeof source_names / sizeof source_names[0]), &src) < 0)
        return -1;
    pm->source = (series_source)src;
    pm->relist_us = 60 * SEC_US;
    const struct {
        const char *key;
        int64_t *dst;
        int64_t min;
        int excl;
    } d[] = {{"exporter_interval", &pm->exporter_interval_us, 0, 1},
             {"scrape_interval", &pm->scrape_interval_us, 0, 1},
             {"query_window", &pm->query_window_us, 0, 0},
             {"relist", &pm->relist_us, 0, 0}};
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        if ((m = rd_get(node, d[i].key)) != NULL &&
            rd_duration(r, m, rd_join(p, path, d[i].key), d[i].min, d[i].excl, RD_MAX_TIME_US,
                        d[i].dst) < 0)
            return -1;
    return 0;
}

int read_metric_pipelines(const sc_reader *r, const cJSON *node, const char *path,
                          metrics_cfg *out) {
    char p[RD_PATH_MAX], q[RD_PATH_MAX];
    const cJSON *m;
    memset(out, 0, sizeof *out);
    if (node == NULL)
        return 0;
    if (rd_object(r, node, path, metrics_keys, 3, NULL, NULL) < 0)
        return -1;
    if ((m = rd_get(node, "housekeeping")) != NULL &&
        rd_duration(r, m, rd_join(p, path, "housekeeping"), SEC_US, 0, 3600 * SEC_US,
                    &out->housekeeping_us) < 0)
        return -1;
    /* metrics-server refuses --metric-resolution below 10 s (options.go) */
    if ((m = rd_get(node, "resolution")) != NULL &&
        rd_duration(r, m, rd_join(p, path, "resolution"), 10 * SEC_US, 0, 3600 * SEC_US,
                    &out->resolution_us) < 0)
        return -1;
    if ((m = rd_get(node, "prometheus")) == NULL)
        return 0;
    const char *pp = rd_join(p, path, "prometheus");
    char d[96];
    if (!cJSON_IsArray(m))
        return rd_fail(r, m, pp, "expected an array of metric pipelines, got %s",
                       rd_describe(m, d, sizeof d));
    int n = cJSON_GetArraySize(m);
    if (n > MAX_PROM)
        return rd_fail(r, m, pp, "at most %d pipelines", MAX_PROM);
    if (n == 0)
        return 0;
    out->prom = calloc((size_t)n, sizeof *out->prom);
    if (out->prom == NULL)
        return error_set(r->err, "%s: out of memory", r->file);
    int i = 0;
    for (const cJSON *e = m->child; e; e = e->next, i++) {
        if (read_prom(r, e, rd_index(q, pp, (size_t)i), &out->prom[i]) < 0)
            goto fail;
        for (int k = 0; k < i; k++)
            if (strcmp(out->prom[k].name, out->prom[i].name) == 0) {
                rd_fail(r, rd_get(e, "name"), rd_index(q, pp, (size_t)i),
                        "\"%s\" is also the name of %s[%d]", out->prom[i].name, pp, k);
                goto fail;
            }
        out->n_prom = (size_t)i + 1;
    }
    return 0;
fail:
    free(out->prom);
    out->prom = NULL;
    out->n_prom = 0;
    return -1;
}
