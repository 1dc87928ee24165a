/* cronhpa_section.c: the top-level "cronhpa" key (an ACK CronHorizontalPodAutoscaler,
 * autoscaling.alibabacloud.com/v1beta1, as `kubectl get cronhpa NAME -o json` prints it, or
 * {"manifest": FILE} naming a YAML/JSON manifest), "cronhpa_controller" ({"TZ": ZONE}, the
 * controller's time zone) and "start" (the simulated wall-clock instant of t = 0).
 *
 * Field rules from the controller's CRD (kubernetes-cronhpa-controller 31c63bed,
 * config/crds/autoscaling_v1beta1_cronhorizontalpodautoscaler.yaml and pkg/apis/.../types.go):
 * scaleTargetRef {apiVersion, kind, name} required, jobs[] {name, schedule, targetSize required,
 * runOnce optional}, excludeDates optional. metadata and status are accepted and ignored (the
 * simulation starts from a fresh object). Schedules are not parsed here: upstream accepts any
 * string and marks a bad one Failed at run time, which the model reproduces. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/control/cron/rfc3339.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/sections.h"
#include "sim/scenario/yaml_json.h"

#define CRONHPA_API  "autoscaling.alibabacloud.com/v1beta1"
#define CRONHPA_KIND "CronHorizontalPodAutoscaler"

static int oom(const sc_reader *r, const cJSON *at, const char *path) {
    return rd_fail(r, at, path, "out of memory");
}

static int read_job(const sc_reader *r, const cJSON *node, const char *path, cronhpa_job_cfg *j) {
    static const char *const keys[] = {"name", "schedule", "targetSize", "runOnce"};
    char p[RD_PATH_MAX];
    const cJSON *v;
    if (rd_object(r, node, path, keys, 4, NULL, NULL) < 0)
        return -1;
    if (rd_require(r, node, path, "name", "each job needs a unique name", &v) < 0 ||
        rd_name(r, v, rd_join(p, path, "name"), j->name, sizeof j->name) < 0)
        return -1;
    const char *sched;
    if (rd_require(r, node, path, "schedule", "e.g. \"0 30 10 * * *\" (seconds first)", &v) < 0 ||
        rd_string(r, v, rd_join(p, path, "schedule"), &sched) < 0)
        return -1;
    j->schedule = strdup(sched);
    if (j->schedule == NULL)
        return oom(r, v, path);
    int64_t t;
    if (rd_require(r, node, path, "targetSize", "the replica count the job sets", &v) < 0 ||
        rd_int(r, v, rd_join(p, path, "targetSize"), 0, INT32_MAX, &t) < 0)
        return -1;
    j->target_size = (int32_t)t;
    if ((v = rd_get(node, "runOnce")) != NULL) {
        if (!cJSON_IsBool(v)) {
            char d[96];
            return rd_fail(r, v, rd_join(p, path, "runOnce"), "expected true or false, got %s",
                           rd_describe(v, d, sizeof d));
        }
        j->run_once = cJSON_IsTrue(v);
    }
    return 0;
}

static int read_object(const sc_reader *r, const cJSON *node, const char *path,
                       const char *service_name, const char *hpa_name, cronhpa_cfg *out) {
    static const char *const keys[] = {"apiVersion", "kind", "metadata", "spec", "status"};
    static const char *const spec_keys[] = {"scaleTargetRef", "jobs", "excludeDates"};
    static const char *const ref_keys[] = {"apiVersion", "kind", "name"};
    char p[RD_PATH_MAX], q[RD_PATH_MAX], d[96];
    const cJSON *v, *spec, *ref, *jobs;
    const char *s;
    if (rd_object(r, node, path, keys, 5, NULL, NULL) < 0)
        return -1;
    if ((v = rd_get(node, "apiVersion")) != NULL) {
        if (rd_string(r, v, rd_join(p, path, "apiVersion"), &s) < 0)
            return -1;
        if (strcmp(s, CRONHPA_API) != 0)
            return rd_fail(r, v, p, "expected \"" CRONHPA_API "\", got \"%.60s\"", s);
    }
    if ((v = rd_get(node, "kind")) != NULL) {
        if (rd_string(r, v, rd_join(p, path, "kind"), &s) < 0)
            return -1;
        if (strcmp(s, CRONHPA_KIND) != 0)
            return rd_fail(r, v, p, "expected \"" CRONHPA_KIND "\", got \"%.60s\"", s);
    }
    snprintf(out->name, sizeof out->name, "cronhpa");
    snprintf(out->namespace_name, sizeof out->namespace_name, "default");
    const cJSON *md = rd_get(node, "metadata");
    if (md != NULL) {
        if (!cJSON_IsObject(md))
            return rd_fail(r, md, rd_join(p, path, "metadata"), "expected an object, got %s",
                           rd_describe(md, d, sizeof d));
        if ((v = rd_get(md, "name")) != NULL &&
            rd_name(r, v, rd_join(p, path, "metadata.name"), out->name, sizeof out->name) < 0)
            return -1;
        if ((v = rd_get(md, "namespace")) != NULL &&
            rd_name(r, v, rd_join(p, path, "metadata.namespace"), out->namespace_name,
                    sizeof out->namespace_name) < 0)
            return -1;
    }
    if (rd_require(r, node, path, "spec", "the CronHPA's spec (scaleTargetRef, jobs)", &spec) < 0)
        return -1;
    rd_join(p, path, "spec");
    if (rd_object(r, spec, p, spec_keys, 3, NULL, NULL) < 0)
        return -1;
    if (rd_require(r, spec, p, "scaleTargetRef", "{apiVersion, kind, name} of the target", &ref) <
        0)
        return -1;
    rd_join(q, p, "scaleTargetRef");
    if (rd_object(r, ref, q, ref_keys, 3, NULL, NULL) < 0)
        return -1;
    char *dst[] = {out->target_api_version, out->target_kind, out->target_name};
    for (int i = 0; i < 3; i++) {
        char kp[RD_PATH_MAX];
        if (rd_require(r, ref, q, ref_keys[i], "upstream needs all three", &v) < 0 ||
            rd_string(r, v, rd_join(kp, q, ref_keys[i]), &s) < 0)
            return -1;
        if (s[0] == '\0' || strlen(s) >= CFG_NAME_MAX)
            return rd_fail(r, v, kp, "expected 1 to %d characters", CFG_NAME_MAX - 1);
        /* jobs.go NewCronJobHPA splits apiVersion on "/" and indexes [1]: a core-group
         * "v1" would crash the controller (README 1.1); refuse it here. */
        if (i == 0 && strchr(s, '/') == NULL)
            return rd_fail(r, v, kp,
                           "\"%s\" has no group; the controller splits apiVersion on \"/\" and "
                           "fails on a core-group version (use e.g. apps/v1)",
                           s);
        snprintf(dst[i], CFG_NAME_MAX, "%s", s);
    }
    rd_join(q, p, "scaleTargetRef.name");
    if (strcmp(out->target_kind, "HorizontalPodAutoscaler") == 0) {
        if (hpa_name == NULL)
            return rd_fail(r, rd_get(ref, "name"), q,
                           "the target is an HPA but the scenario has none; add the \"hpa\" "
                           "section");
        if (strcmp(out->target_name, hpa_name) != 0)
            return rd_fail(r, rd_get(ref, "name"), q, "\"%s\" is not the scenario's HPA (\"%s\")",
                           out->target_name, hpa_name);
    } else if (strcmp(out->target_name, service_name) != 0) {
        return rd_fail(r, rd_get(ref, "name"), q,
                       "\"%s\" is not the scenario's workload (service.name \"%s\")",
                       out->target_name, service_name);
    }
    if (rd_require(r, spec, p, "jobs", "at least one job {name, schedule, targetSize}", &jobs) < 0)
        return -1;
    rd_join(q, p, "jobs");
    if (!cJSON_IsArray(jobs))
        return rd_fail(r, jobs, q, "expected an array, got %s", rd_describe(jobs, d, sizeof d));
    size_t n = (size_t)cJSON_GetArraySize(jobs);
    out->jobs = calloc(n ? n : 1, sizeof *out->jobs);
    if (out->jobs == NULL)
        return oom(r, jobs, q);
    size_t i = 0;
    for (const cJSON *j = jobs->child; j; j = j->next, i++) {
        char jp[RD_PATH_MAX], np[RD_PATH_MAX];
        out->n_jobs = i + 1;
        if (read_job(r, j, rd_index(jp, q, i), &out->jobs[i]) < 0)
            return -1;
        for (size_t k = 0; k < i; k++)
            if (strcmp(out->jobs[k].name, out->jobs[i].name) == 0)
                return rd_fail(r, rd_get(j, "name"), rd_join(np, jp, "name"),
                               "\"%s\" is also the name of jobs[%zu]; job names must be unique "
                               "(status conditions are keyed by name)",
                               out->jobs[i].name, k);
    }
    if ((v = rd_get(spec, "excludeDates")) != NULL) {
        rd_join(q, p, "excludeDates");
        if (!cJSON_IsArray(v))
            return rd_fail(r, v, q, "expected an array of cron expressions, got %s",
                           rd_describe(v, d, sizeof d));
        size_t ne = (size_t)cJSON_GetArraySize(v);
        out->exclude_dates = calloc(ne ? ne : 1, sizeof *out->exclude_dates);
        if (out->exclude_dates == NULL)
            return oom(r, v, q);
        i = 0;
        for (const cJSON *e = v->child; e; e = e->next, i++) {
            char ep[RD_PATH_MAX];
            if (rd_string(r, e, rd_index(ep, q, i), &s) < 0)
                return -1;
            out->exclude_dates[i] = strdup(s);
            if (out->exclude_dates[i] == NULL)
                return oom(r, e, ep);
            out->n_exclude_dates = i + 1;
        }
    }
    return 0;
}

static int read_manifest(const sc_reader *r, const cJSON *node, const char *path,
                         const char *service_name, const char *hpa_name, cronhpa_cfg *out) {
    static const char *const keys[] = {"manifest"};
    char mp[RD_PATH_MAX], why[256];
    if (rd_object(r, node, path, keys, 1, NULL, NULL) < 0)
        return -1;
    const cJSON *m = rd_get(node, "manifest");
    const char *file;
    if (rd_string(r, m, rd_join(mp, path, "manifest"), &file) < 0)
        return -1;
    char resolved[RD_PATH_MAX * 4];
    rd_resolve(r, file, resolved, sizeof resolved);
    FILE *f = fopen(resolved, "rb");
    if (f == NULL)
        return rd_fail(r, m, mp, "cannot read \"%s\": %s", resolved, strerror(errno));
    char *text = malloc(SCENARIO_MAX_BYTES + 1);
    size_t len = text ? fread(text, 1, SCENARIO_MAX_BYTES + 1, f) : 0;
    int bad = text == NULL || ferror(f) || len > SCENARIO_MAX_BYTES;
    fclose(f);
    if (bad) {
        free(text);
        return rd_fail(r, m, mp, "cannot read \"%s\": read error or larger than 4 MiB", resolved);
    }
    out->manifest_path = strdup(resolved);
    json_index idx;
    cJSON *docs = NULL;
    size_t err_off = 0;
    int rc = -1;
    if (yaml_parse_indexed(text, len, &docs, &idx, &err_off, why, sizeof why) < 0) {
        json_pos pos = json_pos_of(text, len, err_off);
        error_set(r->err, "%s:%d:%d: invalid YAML: %s", resolved, pos.line, pos.col, why);
        json_index_free(&idx);
        free(text);
        return -1;
    }
    sc_reader mr = {resolved, r->base_dir, &idx, r->err};
    const cJSON *pick = NULL;
    for (const cJSON *d = docs->child; d && pick == NULL; d = d->next) {
        const cJSON *k = cJSON_IsObject(d) ? rd_get(d, "kind") : NULL;
        if (cJSON_IsString(k) && strcmp(k->valuestring, CRONHPA_KIND) == 0)
            pick = d;
    }
    if (pick == NULL)
        rd_fail(r, m, mp, "\"%s\" has no " CRONHPA_KIND, resolved);
    else
        rc = read_object(&mr, pick, "", service_name, hpa_name, out);
    cJSON_Delete(docs);
    json_index_free(&idx);
    free(text);
    return rc;
}

int read_cronhpa(const sc_reader *r, const cJSON *node, const char *path, const char *service_name,
                 const char *hpa_name, cronhpa_cfg *out) {
    char d[96];
    out->present = 1;
    if (!cJSON_IsObject(node)) {
        rd_fail(r, node, path,
                "expected an object (the CronHPA as `kubectl get cronhpa NAME -o json` prints "
                "it, or {\"manifest\": \"cronhpa.yaml\"}), got %s",
                rd_describe(node, d, sizeof d));
        goto fail;
    }
    int rc = rd_get(node, "manifest") != NULL
                 ? read_manifest(r, node, path, service_name, hpa_name, out)
                 : read_object(r, node, path, service_name, hpa_name, out);
    if (rc == 0)
        return 0;
fail:;
    char tz[CFG_NAME_MAX];
    memcpy(tz, out->tz, sizeof tz);
    cronhpa_cfg_free(out);
    memcpy(out->tz, tz, sizeof tz);
    return -1;
}

void cronhpa_cfg_free(cronhpa_cfg *cfg) {
    for (size_t i = 0; cfg->jobs && i < cfg->n_jobs; i++)
        free(cfg->jobs[i].schedule);
    free(cfg->jobs);
    for (size_t i = 0; cfg->exclude_dates && i < cfg->n_exclude_dates; i++)
        free(cfg->exclude_dates[i]);
    free(cfg->exclude_dates);
    free(cfg->manifest_path);
    memset(cfg, 0, sizeof *cfg);
}

int read_cronhpa_controller(const sc_reader *r, const cJSON *node, const char *path,
                            cronhpa_cfg *out) {
    static const char *const keys[] = {"TZ"};
    char p[RD_PATH_MAX];
    snprintf(out->tz, sizeof out->tz, "Asia/Shanghai");
    if (node == NULL)
        return 0;
    if (rd_object(r, node, path, keys, 1, NULL, NULL) < 0)
        return -1;
    const cJSON *v = rd_get(node, "TZ");
    const char *s;
    if (v != NULL) {
        if (rd_string(r, v, rd_join(p, path, "TZ"), &s) < 0)
            return -1;
        cron_zone *z = NULL;
        sim_error e;
        if (cron_zone_load(s, &z, &e) < 0)
            return rd_fail(r, v, p, "%s", e.msg);
        cron_zone_free(z);
        snprintf(out->tz, sizeof out->tz, "%s", s);
    }
    return 0;
}

int read_start(const sc_reader *r, const cJSON *node, const char *path, int64_t *out_us) {
    const char *s;
    sim_error e;
    if (rd_string(r, node, path, &s) < 0)
        return -1;
    if (cron_rfc3339_parse(s, out_us, &e) < 0)
        return rd_fail(r, node, path, "%s (expected RFC 3339, e.g. \"2024-05-13T08:00:00+08:00\")",
                       e.msg);
    return 0;
}
