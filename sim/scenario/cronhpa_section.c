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

#include "sim/control/cron/cron.h"
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

/* ---- "keda": a ScaledObject with cron triggers ---- */

/* KEDA's metric name for a cron trigger, approximately as pkg/scalers/cron_scaler.go
 * (8b4f083ca) builds it: "s<index>-cron-<timezone>-<start>-<end>" with spaces dropped, '*' as
 * 'x', '/' as "Sl", '?' as "Qm" in the schedules and '/' as '-' in the zone. */
static void keda_metric_name(int index, const char *tz, const char *start, const char *end,
                             char *buf, size_t size) {
    size_t n = (size_t)snprintf(buf, size, "s%d-cron-", index);
    const char *parts[3] = {tz, start, end};
    for (int p = 0; p < 3 && n + 4 < size; p++) {
        if (p > 0)
            buf[n++] = '-';
        for (const char *c = parts[p]; *c && n + 4 < size; c++) {
            if (*c == ' ')
                continue;
            if (*c == '*')
                buf[n++] = 'x';
            else if (*c == '/' && p == 0)
                buf[n++] = '-';
            else if (*c == '/') {
                buf[n++] = 'S';
                buf[n++] = 'l';
            } else if (*c == '?') {
                buf[n++] = 'Q';
                buf[n++] = 'm';
            } else
                buf[n++] = *c;
        }
    }
    buf[n] = '\0';
}

static int keda_string(const sc_reader *r, const cJSON *meta, const char *path, const char *key,
                       const char **out) {
    const cJSON *v;
    char p[RD_PATH_MAX];
    if (rd_require(r, meta, path, key,
                   "KEDA's cron trigger requires timezone, start, end and "
                   "desiredReplicas",
                   &v) < 0)
        return -1;
    return rd_string(r, v, rd_join(p, path, key), out);
}

static int read_cron_trigger(const sc_reader *r, const cJSON *trig, const char *path, int index,
                             hpa_cfg *hpa, const char *so_name, keda_cron_cfg *out) {
    static const char *const keys[] = {"type", "name", "metadata", "metricType"};
    char p[RD_PATH_MAX], mp[RD_PATH_MAX];
    const cJSON *meta, *v;
    const char *tz, *start, *end;
    if (rd_object(r, trig, path, keys, 4, NULL, NULL) < 0)
        return -1;
    if ((v = rd_get(trig, "metricType")) != NULL) {
        const char *mt;
        if (rd_string(r, v, rd_join(p, path, "metricType"), &mt) < 0)
            return -1;
        if (strcmp(mt, "AverageValue") != 0)
            return rd_fail(r, v, p, "only AverageValue (KEDA's default for cron) is simulated");
    }
    if (rd_require(r, trig, path, "metadata", "timezone, start, end, desiredReplicas", &meta) < 0)
        return -1;
    rd_join(mp, path, "metadata");
    static const char *const mkeys[] = {"timezone", "start", "end", "desiredReplicas"};
    if (rd_object(r, meta, mp, mkeys, 4, NULL, NULL) < 0)
        return -1;
    if (keda_string(r, meta, mp, "timezone", &tz) < 0 ||
        keda_string(r, meta, mp, "start", &start) < 0 || keda_string(r, meta, mp, "end", &end) < 0)
        return -1;
    sim_error e;
    cron_zone *z = NULL;
    v = rd_get(meta, "timezone");
    if (strlen(tz) >= CFG_NAME_MAX || cron_zone_load(tz, &z, &e) < 0)
        return rd_fail(r, v, rd_join(p, mp, "timezone"), "%s",
                       strlen(tz) >= CFG_NAME_MAX ? "too long" : e.msg);
    cron_zone_free(z);
    const char *which[2] = {"start", "end"};
    const char *exprs[2] = {start, end};
    for (int k = 0; k < 2; k++) {
        cron_schedule s;
        v = rd_get(meta, which[k]);
        rd_join(p, mp, which[k]);
        if (cron_parse(exprs[k], CRON_DIALECT_STANDARD, &s, &e) < 0)
            return rd_fail(r, v, p, "%s", e.msg);
        int descriptor = s.nfields == 0, tzp = s.zone != NULL;
        cron_schedule_free(&s);
        /* cron_scaler.go builds its parser with Minute|Hour|Dom|Month|Dow, no Descriptor */
        if (descriptor)
            return rd_fail(r, v, p,
                           "KEDA's cron parser has no descriptors; write 5 fields (minute hour "
                           "day-of-month month day-of-week)");
        if (tzp)
            return rd_fail(r, v, p, "a CRON_TZ=/TZ= prefix would override timezone; leave it out");
    }
    if (strcmp(start, end) == 0)
        return rd_fail(r, rd_get(meta, "end"), rd_join(p, mp, "end"),
                       "start and end must not be the same (KEDA refuses it)");
    v = rd_get(meta, "desiredReplicas");
    rd_join(p, mp, "desiredReplicas");
    if (v == NULL)
        return rd_fail(r, meta, mp, "desiredReplicas: missing");
    int64_t want = 0;
    if (cJSON_IsString(v)) {
        char *endp = NULL;
        errno = 0;
        long long x = strtoll(v->valuestring, &endp, 10);
        if (v->valuestring[0] == '\0' || *endp != '\0' || errno || x < 1 || x > INT32_MAX)
            return rd_fail(r, v, p, "expected a positive integer (KEDA rejects 0), got \"%.40s\"",
                           v->valuestring);
        want = x;
    } else if (rd_int(r, v, p, 1, INT32_MAX, &want) < 0) {
        return -1;
    }
    snprintf(out->timezone, sizeof out->timezone, "%s", tz);
    out->start = strdup(start);
    out->end = strdup(end);
    out->desired_replicas = (int32_t)want;
    if (!out->start || !out->end)
        return oom(r, trig, path);
    /* the External metric of KEDA's HPA for this trigger */
    if (hpa->spec.nmetrics >= HPA_MAX_METRICS)
        return rd_fail(r, trig, path, "the HPA would have more than %d metrics", HPA_MAX_METRICS);
    hpa_metric_spec *ms = realloc(hpa->metrics, (size_t)(hpa->spec.nmetrics + 1) * sizeof *ms);
    if (ms == NULL)
        return oom(r, trig, path);
    hpa->metrics = ms;
    hpa->spec.metrics = ms;
    hpa_metric_spec *m = &ms[hpa->spec.nmetrics];
    memset(m, 0, sizeof *m);
    char name[CFG_NAME_MAX * 4], sel[CFG_NAME_MAX * 4];
    keda_metric_name(index, tz, start, end, name, sizeof name);
    snprintf(sel, sizeof sel,
             "&LabelSelector{MatchLabels:map[string]string{scaledobject.keda.sh/name: %s,},"
             "MatchExpressions:[]LabelSelectorRequirement{},}",
             so_name);
    m->type = HPA_METRIC_EXTERNAL;
    m->type_name = strdup("External");
    m->name = strdup(name);
    m->selector = strdup(sel);
    m->target = (hpa_metric_target){HPA_TARGET_AVERAGE_VALUE, 0, 0, 1, 1000, 0, 0};
    out->metric = hpa->spec.nmetrics;
    hpa->spec.nmetrics++;
    if (!m->type_name || !m->name || !m->selector)
        return oom(r, trig, path);
    return 0;
}

int read_keda(const sc_reader *r, const cJSON *node, const char *path, const char *service_name,
              hpa_cfg *hpa, keda_cfg *out) {
    static const char *const keys[] = {"apiVersion", "kind", "metadata", "spec", "status"};
    static const char *const spec_keys[] = {"scaleTargetRef",  "minReplicaCount", "maxReplicaCount",
                                            "pollingInterval", "cooldownPeriod",  "triggers"};
    char p[RD_PATH_MAX], q[RD_PATH_MAX], d[96];
    const cJSON *v, *spec, *trigs;
    const char *s;
    out->present = 1;
    snprintf(out->name, sizeof out->name, "scaledobject");
    if (!cJSON_IsObject(node))
        return rd_fail(r, node, path, "expected a ScaledObject (keda.sh/v1alpha1), got %s",
                       rd_describe(node, d, sizeof d));
    if (rd_object(r, node, path, keys, 5, NULL, NULL) < 0)
        return -1;
    if (!hpa->present)
        return rd_fail(r, node, path,
                       "needs the \"hpa\" section: it stands for the HPA KEDA creates (with the "
                       "metrics of the ScaledObject's other triggers); the cron triggers are "
                       "added to it");
    if ((v = rd_get(node, "apiVersion")) != NULL) {
        if (rd_string(r, v, rd_join(p, path, "apiVersion"), &s) < 0)
            return -1;
        if (strcmp(s, "keda.sh/v1alpha1") != 0)
            return rd_fail(r, v, p, "expected \"keda.sh/v1alpha1\", got \"%.60s\"", s);
    }
    if ((v = rd_get(node, "kind")) != NULL) {
        if (rd_string(r, v, rd_join(p, path, "kind"), &s) < 0)
            return -1;
        if (strcmp(s, "ScaledObject") != 0)
            return rd_fail(r, v, p, "expected \"ScaledObject\", got \"%.60s\"", s);
    }
    const cJSON *md = rd_get(node, "metadata");
    if (cJSON_IsObject(md) && (v = rd_get(md, "name")) != NULL &&
        rd_name(r, v, rd_join(p, path, "metadata.name"), out->name, sizeof out->name) < 0)
        return -1;
    if (rd_require(r, node, path, "spec", "scaleTargetRef and triggers", &spec) < 0)
        return -1;
    rd_join(p, path, "spec");
    if (rd_object(r, spec, p, spec_keys, 6, NULL, NULL) < 0)
        return -1;
    if ((v = rd_get(spec, "scaleTargetRef")) != NULL) {
        const cJSON *n = cJSON_IsObject(v) ? rd_get(v, "name") : NULL;
        rd_join(q, p, "scaleTargetRef.name");
        if (n == NULL || rd_string(r, n, q, &s) < 0)
            return n ? -1 : rd_fail(r, v, q, "missing");
        if (strcmp(s, service_name) != 0)
            return rd_fail(r, n, q, "\"%s\" is not the scenario's workload (service.name \"%s\")",
                           s, service_name);
    }
    int64_t x;
    if ((v = rd_get(spec, "minReplicaCount")) != NULL) {
        if (rd_int(r, v, rd_join(q, p, "minReplicaCount"), 0, INT32_MAX, &x) < 0)
            return -1;
        if (x == 0)
            return rd_fail(r, v, q,
                           "0 (KEDA's own activation to and from zero) is not simulated; use 1 "
                           "or more");
        hpa->spec.min_replicas = (int32_t)x;
    }
    if ((v = rd_get(spec, "maxReplicaCount")) != NULL) {
        if (rd_int(r, v, rd_join(q, p, "maxReplicaCount"), 1, INT32_MAX, &x) < 0)
            return -1;
        hpa->spec.max_replicas = (int32_t)x;
    }
    if (hpa->spec.min_replicas > hpa->spec.max_replicas)
        return rd_fail(r, spec, p, "minReplicaCount %d is above maxReplicaCount %d",
                       hpa->spec.min_replicas, hpa->spec.max_replicas);
    if (rd_require(r, spec, p, "triggers", "at least one cron trigger", &trigs) < 0)
        return -1;
    rd_join(q, p, "triggers");
    if (!cJSON_IsArray(trigs) || cJSON_GetArraySize(trigs) == 0)
        return rd_fail(r, trigs, q, "expected a non-empty array of triggers");
    size_t n = (size_t)cJSON_GetArraySize(trigs), i = 0;
    out->crons = calloc(n, sizeof *out->crons);
    if (out->crons == NULL)
        return oom(r, trigs, q);
    for (const cJSON *t = trigs->child; t; t = t->next, i++) {
        char tp[RD_PATH_MAX], tt[RD_PATH_MAX];
        rd_index(tp, q, i);
        const cJSON *type = cJSON_IsObject(t) ? rd_get(t, "type") : NULL;
        if (type == NULL)
            return rd_fail(r, t, tp, "expected a trigger object with \"type\"");
        if (rd_string(r, type, rd_join(tt, tp, "type"), &s) < 0)
            return -1;
        if (strcmp(s, "cron") != 0)
            return rd_fail(r, type, tt,
                           "only cron triggers are simulated here; give the metrics of other "
                           "triggers in the \"hpa\" section (KEDA's HPA evaluates them alongside)");
        out->n_crons = i + 1;
        if (read_cron_trigger(r, t, tp, (int)i, hpa, out->name, &out->crons[i]) < 0)
            return -1;
    }
    return 0;
}

void keda_cfg_free(keda_cfg *cfg) {
    for (size_t i = 0; cfg->crons && i < cfg->n_crons; i++) {
        free(cfg->crons[i].start);
        free(cfg->crons[i].end);
    }
    free(cfg->crons);
    memset(cfg, 0, sizeof *cfg);
}
