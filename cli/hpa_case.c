/* hpa_case.c: conformance cases of every kind, read into sim/control/hpa structs, evaluated and
 * rendered as `got` objects; see hpa_case.h. Times in the file are seconds relative to now = 0
 * (ages positive into the past); the library works in microseconds. */
#include "cli/hpa_case.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/quantity.h"
#include "sim/control/hpa/hpa.h"

/* Formats a JSON path into a fixed buffer; a cut-off path is acceptable in a message. */
static void pathf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void pathf(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}
#define PATHF(buf, ...) pathf(buf, sizeof buf, __VA_ARGS__)

/* ---- small helpers: an arena for the case's arrays, and the got key/value list ---- */

typedef struct arena {
    void **blocks;
    int n, cap;
} arena;

static void *arena_alloc(arena *a, size_t count, size_t size) {
    if (a->n == a->cap) {
        int ncap = a->cap ? a->cap * 2 : 16;
        void **nb = realloc(a->blocks, (size_t)ncap * sizeof *nb);
        if (nb == NULL)
            return NULL;
        a->blocks = nb;
        a->cap = ncap;
    }
    void *p = calloc(count ? count : 1, size);
    if (p != NULL)
        a->blocks[a->n++] = p;
    return p;
}

static void arena_free(arena *a) {
    for (int i = 0; i < a->n; i++)
        free(a->blocks[i]);
    free(a->blocks);
}

#define MAX_KEYS 16

typedef struct got {
    const char *key[MAX_KEYS];
    char *json[MAX_KEYS];
    int n;
} got;

static void got_add(got *g, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void got_add(got *g, const char *key, const char *fmt, ...) {
    if (g->n >= MAX_KEYS)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&g->json[g->n], fmt, ap) < 0)
        g->json[g->n] = NULL;
    va_end(ap);
    g->key[g->n++] = key;
}

static void got_free(got *g) {
    for (int i = 0; i < g->n; i++)
        free(g->json[i]);
}

/* A JSON string literal. */
static void put_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static char *str_json(const char *s) {
    if (s == NULL)
        return strdup("null");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return NULL;
    put_str(f, s);
    fclose(f);
    return buf;
}

static void got_str(got *g, const char *key, const char *s) {
    char *j = str_json(s);
    got_add(g, key, "%s", j ? j : "null");
    free(j);
}

/* Renders the got object: expect's keys in their order (null for a key the kind lacks), or
 * everything. */
static char *got_render(const got *g, const cJSON *keys) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return NULL;
    fputc('{', f);
    int first = 1;
    if (keys != NULL) {
        for (const cJSON *k = keys->child; k; k = k->next) {
            const char *v = "null";
            for (int i = 0; i < g->n; i++)
                if (strcmp(g->key[i], k->string) == 0 && g->json[i])
                    v = g->json[i];
            fprintf(f, "%s", first ? "" : ", ");
            put_str(f, k->string);
            fprintf(f, ": %s", v);
            first = 0;
        }
    } else {
        for (int i = 0; i < g->n; i++) {
            fprintf(f, "%s", first ? "" : ", ");
            put_str(f, g->key[i]);
            fprintf(f, ": %s", g->json[i] ? g->json[i] : "null");
            first = 0;
        }
    }
    fputc('}', f);
    fclose(f);
    return buf;
}

/* ---- readers of the shared input shapes ---- */

#define US_PER_S 1000000LL

/* Seconds -> microseconds, refusing values whose product would overflow. */
static int secs(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
                int64_t *out_us, int *present) {
    int64_t s = 0;
    int rc = hjson_int64(r, obj, path, key, required, &s, present);
    if (rc <= 0)
        return rc;
    if (s > INT64_MAX / US_PER_S || s < INT64_MIN / US_PER_S) {
        char full[512];
        PATHF(full, "%s.%s", path, key);
        return hjson_fail(r, full, "expected seconds within +-9.2e12, got %lld", (long long)s);
    }
    *out_us = s * US_PER_S;
    return 1;
}

static const char *const PHASES[] = {"Running", "Pending", "Succeeded", "Failed", NULL};
static const char *const READY[] = {"True", "False", "Unknown", NULL};

static int read_containers(hjson_reader *r, arena *a, const cJSON *arr, const char *path, int init,
                           hpa_container **out, int *n) {
    *n = arr ? cJSON_GetArraySize(arr) : 0;
    *out = arena_alloc(a, (size_t)*n, sizeof **out);
    if (*out == NULL)
        return hjson_fail(r, path, "out of memory");
    int i = 0;
    for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next, i++) {
        char p[512];
        PATHF(p, "%s[%d]", path, i);
        hpa_container *k = &(*out)[i];
        if (!cJSON_IsObject(c))
            return hjson_fail(r, p, "expected an object");
        k->name = "";
        if (hjson_string(r, c, p, "name", 0, &k->name) < 0 ||
            hjson_int64(r, c, p, "request_milli", 0, &k->request_milli, &k->has_request) < 0)
            return -1;
        if (init) {
            const char *policy = NULL;
            if (hjson_string(r, c, p, "restart_policy", 0, &policy) < 0)
                return -1;
            k->restart_always = policy != NULL && strcmp(policy, "Always") == 0;
        }
    }
    return 0;
}

static int read_pods(hjson_reader *r, arena *a, const cJSON *in, const char *path, int required,
                     hpa_pod **out, int *n) {
    const cJSON *arr;
    char pp[512];
    PATHF(pp, "%s.pods", path);
    if (hjson_array(r, in, path, "pods", required, &arr) < 0)
        return -1;
    *n = arr ? cJSON_GetArraySize(arr) : 0;
    *out = arena_alloc(a, (size_t)*n, sizeof **out);
    if (*out == NULL)
        return hjson_fail(r, pp, "out of memory");
    int i = 0;
    for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next, i++) {
        char p[512];
        PATHF(p, "%s[%d]", pp, i);
        hpa_pod *pod = &(*out)[i];
        if (!cJSON_IsObject(c))
            return hjson_fail(r, p, "expected an object");
        int phase = 0, ready = 0, has_ready = 0, has_phase = 0;
        if (hjson_string(r, c, p, "name", 1, &pod->name) < 0 ||
            hjson_enum(r, c, p, "phase", 0, PHASES, &phase, &has_phase) < 0 ||
            hjson_enum(r, c, p, "ready", 0, READY, &ready, &has_ready) < 0 ||
            secs(r, c, p, "ready_last_transition_s", 0, &pod->ready_transition_us, NULL) < 0 ||
            secs(r, c, p, "start_time_s", 0, &pod->start_time_us, &pod->has_start_time) < 0 ||
            hjson_bool(r, c, p, "deleted", 0, &pod->deleted, NULL) < 0 ||
            hjson_int64(r, c, p, "pod_level_requests_milli", 0, &pod->pod_request_milli,
                        &pod->has_pod_request) < 0)
            return -1;
        static const hpa_pod_phase phase_of[] = {HPA_PHASE_RUNNING, HPA_PHASE_PENDING,
                                                 HPA_PHASE_SUCCEEDED, HPA_PHASE_FAILED};
        static const hpa_ready ready_of[] = {HPA_READY_TRUE, HPA_READY_FALSE, HPA_READY_UNKNOWN};
        pod->phase = has_phase ? phase_of[phase] : HPA_PHASE_RUNNING;
        pod->ready = has_ready ? ready_of[ready] : HPA_READY_ABSENT;
        const cJSON *cs, *ics;
        char cp[512];
        if (hjson_array(r, c, p, "containers", 0, &cs) < 0 ||
            hjson_array(r, c, p, "init_containers", 0, &ics) < 0)
            return -1;
        hpa_container *k;
        PATHF(cp, "%s.containers", p);
        if (read_containers(r, a, cs, cp, 0, &k, &pod->ncontainers) < 0)
            return -1;
        pod->containers = k;
        PATHF(cp, "%s.init_containers", p);
        if (read_containers(r, a, ics, cp, 1, &k, &pod->ninit_containers) < 0)
            return -1;
        pod->init_containers = k;
    }
    return 0;
}

/* resource_metrics: [{pod, timestamp_s, window_s, containers:[{name, usage_milli}]}] */
static int read_resource_metrics(hjson_reader *r, arena *a, const cJSON *in, const char *path,
                                 hpa_resource_sample **out, int *n) {
    const cJSON *arr;
    char pp[512];
    PATHF(pp, "%s.resource_metrics", path);
    if (hjson_array(r, in, path, "resource_metrics", 0, &arr) < 0)
        return -1;
    *n = arr ? cJSON_GetArraySize(arr) : 0;
    *out = arena_alloc(a, (size_t)*n, sizeof **out);
    if (*out == NULL)
        return hjson_fail(r, pp, "out of memory");
    int i = 0;
    for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next, i++) {
        char p[512];
        PATHF(p, "%s[%d]", pp, i);
        hpa_resource_sample *s = &(*out)[i];
        const cJSON *cs;
        if (!cJSON_IsObject(c))
            return hjson_fail(r, p, "expected an object");
        if (hjson_string(r, c, p, "pod", 1, &s->pod) < 0 ||
            secs(r, c, p, "timestamp_s", 0, &s->timestamp_us, NULL) < 0 ||
            secs(r, c, p, "window_s", 0, &s->window_us, NULL) < 0 ||
            hjson_array(r, c, p, "containers", 0, &cs) < 0)
            return -1;
        s->ncontainers = cs ? cJSON_GetArraySize(cs) : 0;
        hpa_container_usage *u = arena_alloc(a, (size_t)s->ncontainers, sizeof *u);
        if (u == NULL)
            return hjson_fail(r, p, "out of memory");
        int j = 0;
        for (const cJSON *k = cs ? cs->child : NULL; k; k = k->next, j++) {
            char kp[600];
            PATHF(kp, "%s.containers[%d]", p, j);
            if (!cJSON_IsObject(k))
                return hjson_fail(r, kp, "expected an object");
            u[j].name = "";
            if (hjson_string(r, k, kp, "name", 0, &u[j].name) < 0 ||
                hjson_int64(r, k, kp, "usage_milli", 0, &u[j].usage_milli, &u[j].has_usage) < 0)
                return -1;
        }
        s->containers = u;
    }
    return 0;
}

/* [{pod, value_milli, timestamp_s?, window_s?}] under `key`. */
static int read_pod_metrics(hjson_reader *r, arena *a, const cJSON *in, const char *path,
                            const char *key, hpa_pod_metric **out, int *n) {
    const cJSON *arr;
    char pp[512];
    PATHF(pp, "%s.%s", path, key);
    if (hjson_array(r, in, path, key, 0, &arr) < 0)
        return -1;
    *n = arr ? cJSON_GetArraySize(arr) : 0;
    *out = arena_alloc(a, (size_t)*n, sizeof **out);
    if (*out == NULL)
        return hjson_fail(r, pp, "out of memory");
    int i = 0;
    for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next, i++) {
        char p[512];
        PATHF(p, "%s[%d]", pp, i);
        hpa_pod_metric *m = &(*out)[i];
        if (!cJSON_IsObject(c))
            return hjson_fail(r, p, "expected an object");
        if (hjson_string(r, c, p, "pod", 1, &m->pod) < 0 ||
            hjson_int64(r, c, p, "value_milli", 1, &m->value_milli, NULL) < 0 ||
            secs(r, c, p, "timestamp_s", 0, &m->timestamp_us, NULL) < 0 ||
            secs(r, c, p, "window_s", 0, &m->window_us, NULL) < 0)
            return -1;
    }
    return 0;
}

static int read_int64_list(hjson_reader *r, arena *a, const cJSON *in, const char *path,
                           const char *key, int64_t **out, int *n) {
    const cJSON *arr;
    char pp[512];
    PATHF(pp, "%s.%s", path, key);
    if (hjson_array(r, in, path, key, 0, &arr) < 0)
        return -1;
    *n = arr ? cJSON_GetArraySize(arr) : 0;
    *out = arena_alloc(a, (size_t)*n, sizeof **out);
    if (*out == NULL)
        return hjson_fail(r, pp, "out of memory");
    int i = 0;
    for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next, i++) {
        char p[512];
        PATHF(p, "%s[%d]", pp, i);
        if (hjson_number_int64(c, &(*out)[i]) < 0)
            return hjson_fail(r, p, "expected an integer in int64 range");
    }
    return 0;
}

static const char *const SELECTS[] = {"Max", "Min", "Disabled", NULL};
static const char *const POLICY_TYPES[] = {"Pods", "Percent", NULL};

/* A per-HPA tolerance: a number (0.05) or a Kubernetes quantity string ("50m"). */
static int read_tolerance(hjson_reader *r, const cJSON *o, const char *path, hpa_rules *rules) {
    const cJSON *v = hjson_get(o, "tolerance");
    rules->has_tolerance = v != NULL;
    if (v == NULL)
        return 0;
    if (cJSON_IsNumber(v)) {
        rules->tolerance = v->valuedouble;
        return 0;
    }
    char p[512];
    PATHF(p, "%s.tolerance", path);
    int64_t milli;
    sim_error qe;
    if (!cJSON_IsString(v) || quantity_parse_milli(v->valuestring, &milli, &qe) < 0)
        return hjson_fail(r, p, "expected a number or a quantity such as \"50m\"");
    rules->tolerance = (double)milli / 1000.0;
    return 0;
}

/* {select_policy, stabilization_window_s, policies:[{type, value, period_s}], tolerance} */
static int read_rules(hjson_reader *r, const cJSON *o, const char *path, hpa_rules *rules) {
    memset(rules, 0, sizeof *rules);
    int sel = 0;
    const cJSON *ps;
    if (!cJSON_IsObject(o))
        return hjson_fail(r, path, "expected an object");
    if (hjson_enum(r, o, path, "select_policy", 0, SELECTS, &sel, &rules->has_select) < 0 ||
        hjson_int32(r, o, path, "stabilization_window_s", 0, &rules->window_s, &rules->has_window) <
            0 ||
        read_tolerance(r, o, path, rules) < 0 || hjson_array(r, o, path, "policies", 0, &ps) < 0)
        return -1;
    rules->select = (hpa_select)sel;
    if (ps == NULL)
        return 0;
    rules->has_policies = 1;
    char pp[512];
    PATHF(pp, "%s.policies", path);
    if (cJSON_GetArraySize(ps) > HPA_MAX_POLICIES)
        return hjson_fail(r, pp, "at most %d policies are supported", HPA_MAX_POLICIES);
    int i = 0;
    for (const cJSON *c = ps->child; c; c = c->next, i++) {
        char p[600];
        PATHF(p, "%s[%d]", pp, i);
        int type = 0;
        hpa_policy *pol = &rules->policies[i];
        if (!cJSON_IsObject(c))
            return hjson_fail(r, p, "expected an object");
        if (hjson_enum(r, c, p, "type", 1, POLICY_TYPES, &type, NULL) < 0 ||
            hjson_int32(r, c, p, "value", 1, &pol->value, NULL) < 0 ||
            hjson_int32(r, c, p, "period_s", 1, &pol->period_s, NULL) < 0)
            return -1;
        pol->type = (hpa_policy_type)type;
    }
    rules->npolicies = i;
    return 0;
}

/* An optional rules object under key; *present says whether it was given. */
static int read_rules_key(hjson_reader *r, const cJSON *in, const char *path, const char *key,
                          int required, hpa_rules *rules, int *present) {
    const cJSON *o;
    char p[512];
    PATHF(p, "%s.%s", path, key);
    if (hjson_object(r, in, path, key, required, &o) < 0)
        return -1;
    *present = o != NULL;
    if (o == NULL) {
        memset(rules, 0, sizeof *rules);
        return 0;
    }
    return read_rules(r, o, p, rules);
}

/* [{replicas, age_s}] into the state's recommendation history. */
static int read_recommendations(hjson_reader *r, const cJSON *arr, const char *path,
                                hpa_state *st) {
    int i = 0;
    st->has_history = 1;
    for (const cJSON *c = arr->child; c; c = c->next, i++) {
        char p[512];
        PATHF(p, "%s[%d]", path, i);
        hpa_recommendation rec;
        int64_t age_us = 0;
        if (!cJSON_IsObject(c))
            return hjson_fail(r, p, "expected an object");
        if (hjson_int32(r, c, p, "replicas", 1, &rec.replicas, NULL) < 0 ||
            secs(r, c, p, "age_s", 1, &age_us, NULL) < 0)
            return -1;
        rec.at_us = -age_us;
        if (hpa_state_push_recommendation(st, rec, r->err) < 0)
            return -1;
    }
    return 0;
}

/* [{change, age_s, outdated?}] into the up or down event list. */
static int read_events(hjson_reader *r, const cJSON *in, const char *path, const char *key, int up,
                       hpa_state *st) {
    const cJSON *arr;
    if (hjson_array(r, in, path, key, 0, &arr) < 0)
        return -1;
    int i = 0;
    for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next, i++) {
        char p[512];
        PATHF(p, "%s.%s[%d]", path, key, i);
        hpa_scale_event e = {0, 0, 0};
        int64_t age_us = 0;
        if (!cJSON_IsObject(c))
            return hjson_fail(r, p, "expected an object");
        if (hjson_int32(r, c, p, "change", 1, &e.change, NULL) < 0 ||
            secs(r, c, p, "age_s", 1, &age_us, NULL) < 0 ||
            hjson_bool(r, c, p, "outdated", 0, &e.outdated, NULL) < 0)
            return -1;
        e.at_us = -age_us;
        if (hpa_state_push_event(st, up, e, r->err) < 0)
            return -1;
    }
    return 0;
}

/* The fields of effective rules as got keys (policies, stabilization_window_s,
 * select_policy, tolerance), null where unset. */
static void rules_got(got *g, const hpa_rules *rules) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f != NULL) {
        fputc('[', f);
        for (int i = 0; i < rules->npolicies; i++)
            fprintf(f, "%s{\"type\": \"%s\", \"value\": %d, \"period_s\": %d}", i ? ", " : "",
                    hpa_policy_type_name(rules->policies[i].type), rules->policies[i].value,
                    rules->policies[i].period_s);
        fputc(']', f);
        fclose(f);
        got_add(g, "policies", "%s", rules->has_policies ? buf : "null");
        free(buf);
    }
    if (rules->has_window)
        got_add(g, "stabilization_window_s", "%d", rules->window_s);
    else
        got_add(g, "stabilization_window_s", "null");
    got_str(g, "select_policy", rules->has_select ? hpa_select_name(rules->select) : NULL);
    if (rules->has_tolerance)
        got_add(g, "tolerance", "%.17g", rules->tolerance);
    else
        got_add(g, "tolerance", "null");
}

/* ---- the kinds ---- */

static const char *const METHODS[] = {"GetResourceReplicas",
                                      "GetRawResourceReplicas",
                                      "GetMetricReplicas",
                                      "GetObjectMetricReplicas",
                                      "GetObjectPerPodMetricReplicas",
                                      "GetExternalMetricReplicas",
                                      "GetExternalPerPodMetricReplicas",
                                      NULL};

static int kind_replica_calc(hjson_reader *r, arena *a, const cJSON *in, got *g, FILE *ex) {
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
        secs(r, in, P, "cpu_initialization_period_s", 1, &ctx.cpu_init_period_us, NULL) < 0 ||
        secs(r, in, P, "delay_of_initial_readiness_status_s", 1, &ctx.readiness_delay_us, NULL) <
            0 ||
        hjson_string(r, in, P, "resource", 0, &resource) < 0 ||
        hjson_string(r, in, P, "container", 0, &container) < 0 ||
        hjson_bool(r, in, P, "pod_level_resources_enabled", 0, &ctx.pod_level_requests, NULL) < 0)
        return -1;
    hpa_pod *pods;
    if (read_pods(r, a, in, P, 1, &pods, &ctx.npods) < 0)
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
        if (read_resource_metrics(r, a, in, P, &samples, &ns) < 0 ||
            (is_util ? hjson_int32(r, in, P, "target_utilization", 1, &target_pct, NULL)
                     : hjson_int64(r, in, P, "target_value_milli", 1, &target, NULL)) < 0)
            return -1;
        hpa_pod_metric *pm = arena_alloc(a, (size_t)ns, sizeof *pm);
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
        if (read_pod_metrics(r, a, in, P, "pod_metric_values", &pm, &npm) < 0 ||
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
        if (read_int64_list(r, a, in, P, "external_values_milli", &values, &nv) < 0 ||
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
        got_str(g, "error_contains", e.msg);
        got_str(g, "error", e.msg);
    } else {
        got_add(g, "replicas", "%d", p.replicas);
        if (is_util) {
            got_add(g, "utilization", "%d", p.utilization);
            got_add(g, "raw_value_milli", "%lld", (long long)p.usage_milli);
        } else {
            got_add(g, "usage_milli", "%lld", (long long)p.usage_milli);
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

static void name_list(got *g, const char *key, const hpa_pod *pods, const hpa_pod_class *cls, int n,
                      hpa_pod_class want, arena *a) {
    const char **names = arena_alloc(a, (size_t)n, sizeof *names);
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
        put_str(f, names[i]);
    }
    fputc(']', f);
    fclose(f);
    got_add(g, key, "%s", buf);
    free(buf);
}

static int kind_group_pods(hjson_reader *r, arena *a, const cJSON *in, got *g) {
    const char *P = "input", *resource = "cpu";
    hpa_group_cfg cfg = {0};
    hpa_pod *pods;
    hpa_pod_metric *pm;
    int npods, npm;
    if (hjson_string(r, in, P, "resource", 0, &resource) < 0 ||
        secs(r, in, P, "cpu_initialization_period_s", 1, &cfg.cpu_init_period_us, NULL) < 0 ||
        secs(r, in, P, "delay_of_initial_readiness_status_s", 1, &cfg.readiness_delay_us, NULL) <
            0 ||
        read_pods(r, a, in, P, 1, &pods, &npods) < 0 ||
        read_pod_metrics(r, a, in, P, "metrics", &pm, &npm) < 0)
        return -1;
    cfg.cpu_rules = strcmp(resource, "cpu") == 0;
    hpa_pod_class *cls = arena_alloc(a, (size_t)npods, sizeof *cls);
    if (cls == NULL)
        return hjson_fail(r, P, "out of memory");
    int ready = hpa_group_pods(pods, npods, pm, npm, &cfg, cls);
    got_add(g, "ready_pod_count", "%d", ready);
    name_list(g, "unready", pods, cls, npods, HPA_POD_UNREADY, a);
    name_list(g, "missing", pods, cls, npods, HPA_POD_MISSING, a);
    name_list(g, "ignored", pods, cls, npods, HPA_POD_IGNORED, a);
    return 0;
}

static int kind_calculate_requests(hjson_reader *r, arena *a, const cJSON *in, got *g) {
    const char *P = "input", *resource = "cpu", *container = "";
    int pod_level = 0;
    hpa_pod *pods;
    int npods;
    if (hjson_string(r, in, P, "resource", 0, &resource) < 0 ||
        hjson_string(r, in, P, "container", 0, &container) < 0 ||
        hjson_bool(r, in, P, "pod_level_resources_enabled", 0, &pod_level, NULL) < 0 ||
        read_pods(r, a, in, P, 1, &pods, &npods) < 0)
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
        put_str(f, pods[i].name);
        fprintf(f, ": %lld", (long long)req);
    }
    fputc('}', f);
    fclose(f);
    if (failed) {
        got_str(g, "error", e.msg);
    } else {
        got_add(g, "requests_milli", "%s", buf);
    }
    free(buf);
    return 0;
}

static int kind_default_rules(hjson_reader *r, const cJSON *in, got *g) {
    static const char *const DIRS[] = {"up", "down", NULL};
    int dir = 0, given = 0;
    hpa_rules spec, out;
    if (hjson_enum(r, in, "input", "direction", 1, DIRS, &dir, NULL) < 0 ||
        read_rules_key(r, in, "input", "spec", 0, &spec, &given) < 0)
        return -1;
    hpa_rules_default(given ? &spec : NULL, dir == 0, &out);
    rules_got(g, &out);
    return 0;
}

/* behavior_rate: convertDesiredReplicasWithBehaviorRate over the given events. */
static int kind_behavior_rate(hjson_reader *r, const cJSON *in, got *g, FILE *ex) {
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
        read_rules_key(r, in, P, "scale_up_rules", 1, &up, &has_up) < 0 ||
        read_rules_key(r, in, P, "scale_down_rules", 1, &down, &has_down) < 0 ||
        read_events(r, in, P, "scale_up_events", 1, &st) < 0 ||
        read_events(r, in, P, "scale_down_events", 0, &st) < 0)
        goto done;
    hpa_limit l = hpa_rate_limit(current, desired, min, max, &st, &up, &down, 0);
    got_add(g, "replicas", "%d", l.replicas);
    got_str(g, "condition_reason", l.reason);
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

static int kind_scale_limit(hjson_reader *r, const cJSON *in, got *g) {
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
        read_rules_key(r, in, P, "rules", 1, &rules, &has_rules) < 0 ||
        read_events(r, in, P, "scale_up_events", 1, &st) < 0 ||
        read_events(r, in, P, "scale_down_events", 0, &st) < 0)
        goto done;
    int32_t limit = dir == 0 ? hpa_scale_up_limit(current, &st, &rules, 0)
                             : hpa_scale_down_limit(current, &st, &rules, 0);
    got_add(g, "limit", "%d", limit);
    rc = 0;
done:
    hpa_state_free(&st);
    return rc;
}

static void recs_json(got *g, const char *key, const hpa_state *st) {
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
    got_add(g, key, "%s", buf);
    free(buf);
}

static int kind_stabilize(hjson_reader *r, const cJSON *in, int behavior, got *g) {
    const char *P = "input";
    int32_t current = 0, desired, out;
    int64_t up_us = 0, down_us = 0, window_us = 0;
    const cJSON *recs;
    hpa_state st;
    hpa_state_init(&st);
    int rc = -1;
    if (hjson_array(r, in, P, "recommendations", 1, &recs) < 0 ||
        read_recommendations(r, recs, "input.recommendations", &st) < 0 ||
        hjson_int32(r, in, P, "desired_replicas", 1, &desired, NULL) < 0)
        goto done;
    if (behavior) {
        if (hjson_int32(r, in, P, "current_replicas", 1, &current, NULL) < 0 ||
            secs(r, in, P, "scale_up_stabilization_window_s", 1, &up_us, NULL) < 0 ||
            secs(r, in, P, "scale_down_stabilization_window_s", 1, &down_us, NULL) < 0 ||
            hpa_stabilize_behavior(&st, current, desired, up_us, down_us, 0, &out, r->err) < 0)
            goto done;
    } else {
        if (secs(r, in, P, "downscale_stabilization_window_s", 1, &window_us, NULL) < 0 ||
            hpa_stabilize_legacy(&st, desired, window_us, 0, &out, r->err) < 0)
            goto done;
    }
    got_add(g, "replicas", "%d", out);
    recs_json(g, "recommendations_after", &st);
    got_add(g, "recommendations_len_after", "%d", st.nrecs);
    rc = 0;
done:
    hpa_state_free(&st);
    return rc;
}

static int kind_clamp_legacy(hjson_reader *r, const cJSON *in, got *g) {
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
    got_add(g, "replicas", "%d", l.replicas);
    got_str(g, "condition_reason", l.reason);
    return 0;
}

/* store_scale_events: upstream runs the row as a scale-up from 10 (and again as a scale-down);
 * the bookkeeping is symmetric, so the scale-up run is reported. */
static int kind_store_scale_events(hjson_reader *r, const cJSON *in, got *g) {
    const char *P = "input";
    hpa_rules rules, defaulted;
    int has_rules;
    int32_t change = 0;
    int64_t period_us = 0;
    hpa_state st;
    hpa_state_init(&st);
    int rc = -1;
    if (read_rules_key(r, in, P, "rules", 0, &rules, &has_rules) < 0 ||
        read_events(r, in, P, "previous_events", 1, &st) < 0 ||
        hjson_int32(r, in, P, "replica_change", 1, &change, NULL) < 0 ||
        secs(r, in, P, "period_for_sum_s", 1, &period_us, NULL) < 0)
        goto done;
    got_add(g, "change_in_period_before", "%lld",
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
    got_add(g, "events_after", "%s", buf);
    free(buf);
    rc = 0;
done:
    hpa_state_free(&st);
    return rc;
}

/* ---- controller: one full sync ---- */

static const char *const METRIC_TYPES[] = {"Resource", "ContainerResource", "Pods",
                                           "Object",   "External",          NULL};
static const char *const TARGET_TYPES[] = {"Utilization", "AverageValue", "Value", NULL};

static int read_target(hjson_reader *r, const cJSON *src, const char *path, hpa_metric_target *t) {
    const cJSON *o;
    char p[512];
    PATHF(p, "%s.target", path);
    memset(t, 0, sizeof *t);
    if (hjson_object(r, src, path, "target", 0, &o) < 0)
        return -1;
    if (o == NULL)
        return 0;
    int type = 0, has_type = 0;
    if (hjson_enum(r, o, p, "type", 0, TARGET_TYPES, &type, &has_type) < 0 ||
        hjson_int32(r, o, p, "average_utilization", 0, &t->average_utilization,
                    &t->has_utilization) < 0 ||
        hjson_int64(r, o, p, "average_value_milli", 0, &t->average_value_milli,
                    &t->has_average_value) < 0 ||
        hjson_int64(r, o, p, "value_milli", 0, &t->value_milli, &t->has_value) < 0)
        return -1;
    static const hpa_target_type of[] = {HPA_TARGET_UTILIZATION, HPA_TARGET_AVERAGE_VALUE,
                                         HPA_TARGET_VALUE};
    t->type = has_type ? of[type] : HPA_TARGET_UNSET;
    return 0;
}

/* The metric selector as Go's %+v prints a *metav1.LabelSelector (its generated String()):
 * given as that text already, or as {"match_labels"|"matchLabels": {k: v}, "match_expressions"|
 * "matchExpressions": [{key, operator, values}]}; absent: "nil". */
static int read_selector(hjson_reader *r, arena *a, const cJSON *src, const char *path,
                         const char **out) {
    const cJSON *v = hjson_get(src, "selector");
    *out = NULL;
    if (v == NULL)
        return 0;
    if (cJSON_IsString(v)) {
        *out = v->valuestring;
        return 0;
    }
    char p[512];
    PATHF(p, "%s.selector", path);
    if (!cJSON_IsObject(v))
        return hjson_fail(r, p, "expected a string or an object");
    const cJSON *labels = hjson_get(v, "match_labels");
    if (labels == NULL)
        labels = hjson_get(v, "matchLabels");
    const cJSON *exprs = hjson_get(v, "match_expressions");
    if (exprs == NULL)
        exprs = hjson_get(v, "matchExpressions");
    int n = labels ? cJSON_GetArraySize(labels) : 0;
    const cJSON **keys = arena_alloc(a, (size_t)n, sizeof *keys);
    if (keys == NULL)
        return hjson_fail(r, p, "out of memory");
    int k = 0;
    for (const cJSON *l = labels ? labels->child : NULL; l; l = l->next) {
        if (!cJSON_IsString(l))
            return hjson_fail(r, p, "expected string label values");
        keys[k++] = l;
    }
    for (int i = 1; i < k; i++) /* sorted keys, like the generated String() */
        for (int j = i; j > 0 && strcmp(keys[j - 1]->string, keys[j]->string) > 0; j--) {
            const cJSON *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return hjson_fail(r, p, "out of memory");
    fprintf(f, "&LabelSelector{MatchLabels:map[string]string{");
    for (int i = 0; i < k; i++)
        fprintf(f, "%s: %s,", keys[i]->string, keys[i]->valuestring);
    fprintf(f, "},MatchExpressions:[]LabelSelectorRequirement{");
    for (const cJSON *e = exprs ? exprs->child : NULL; e; e = e->next) {
        const cJSON *key = hjson_get(e, "key"), *op = hjson_get(e, "operator");
        const cJSON *vals = hjson_get(e, "values");
        fprintf(f, "LabelSelectorRequirement{Key:%s,Operator:%s,Values:[",
                cJSON_IsString(key) ? key->valuestring : "",
                cJSON_IsString(op) ? op->valuestring : "");
        for (const cJSON *x = vals ? vals->child : NULL; x; x = x->next)
            fprintf(f, "%s%s", x == vals->child ? "" : " ",
                    cJSON_IsString(x) ? x->valuestring : "");
        fprintf(f, "],},");
    }
    fprintf(f, "},}");
    fclose(f);
    char *kept = arena_alloc(a, len + 1, 1);
    if (kept != NULL)
        memcpy(kept, buf, len + 1);
    free(buf);
    if (kept == NULL)
        return hjson_fail(r, p, "out of memory");
    *out = kept;
    return 0;
}

static int read_metric_spec(hjson_reader *r, arena *a, const cJSON *c, const char *p,
                            hpa_metric_spec *m) {
    memset(m, 0, sizeof *m);
    if (!cJSON_IsObject(c))
        return hjson_fail(r, p, "expected an object");
    if (hjson_string(r, c, p, "type", 1, &m->type_name) < 0)
        return -1;
    m->type = HPA_METRIC_UNKNOWN;
    for (int i = 0; METRIC_TYPES[i]; i++)
        if (strcmp(METRIC_TYPES[i], m->type_name) == 0)
            m->type = (hpa_metric_type)i;
    static const char *const KEYS[] = {"resource", "container_resource", "pods", "object",
                                       "external"};
    if (m->type == HPA_METRIC_UNKNOWN)
        return 0; /* upstream fails it with InvalidMetricSourceType at evaluation */
    const cJSON *src;
    char sp[512];
    PATHF(sp, "%s.%s", p, KEYS[m->type]);
    if (hjson_object(r, c, p, KEYS[m->type], 1, &src) < 0)
        return -1;
    int resource = m->type == HPA_METRIC_RESOURCE || m->type == HPA_METRIC_CONTAINER_RESOURCE;
    if (hjson_string(r, src, sp, resource ? "name" : "metric", 1, &m->name) < 0 ||
        hjson_string(r, src, sp, "container", m->type == HPA_METRIC_CONTAINER_RESOURCE,
                     &m->container) < 0 ||
        read_selector(r, a, src, sp, &m->selector) < 0 || read_target(r, src, sp, &m->target) < 0)
        return -1;
    if (m->type == HPA_METRIC_OBJECT) {
        const cJSON *d;
        char dp[600];
        PATHF(dp, "%s.described_object", sp);
        if (hjson_object(r, src, sp, "described_object", 0, &d) < 0 ||
            (d && (hjson_string(r, d, dp, "kind", 0, &m->object_kind) < 0 ||
                   hjson_string(r, d, dp, "name", 0, &m->object_name) < 0)))
            return -1;
    }
    return 0;
}

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

static int kind_controller(hjson_reader *r, arena *a, const cJSON *in, got *g, FILE *ex) {
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
        if (secs(r, c_cfg, CP, "cpu_initialization_period_s", 0, &cfg.cpu_init_period_us, NULL) <
                0 ||
            secs(r, c_cfg, CP, "delay_of_initial_readiness_status_s", 0, &cfg.readiness_delay_us,
                 NULL) < 0 ||
            secs(r, c_cfg, CP, "downscale_stabilization_window_s", 0, &cfg.downscale_window_us,
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
        if (read_rules_key(r, c_beh, "input.hpa.behavior", "scale_up", 0, &spec.behavior.up,
                           &spec.behavior.has_up) < 0 ||
            read_rules_key(r, c_beh, "input.hpa.behavior", "scale_down", 0, &spec.behavior.down,
                           &spec.behavior.has_down) < 0)
            goto done;
    }
    spec.nmetrics = c_metrics ? cJSON_GetArraySize(c_metrics) : 0;
    if (spec.nmetrics > HPA_MAX_METRICS) {
        hjson_fail(r, "input.hpa.metrics", "at most %d metrics are supported", HPA_MAX_METRICS);
        goto done;
    }
    hpa_metric_spec *ms = arena_alloc(a, (size_t)spec.nmetrics, sizeof *ms);
    if (ms == NULL) {
        hjson_fail(r, HP, "out of memory");
        goto done;
    }
    int i = 0;
    for (const cJSON *c = c_metrics ? c_metrics->child : NULL; c; c = c->next, i++) {
        char p[512];
        PATHF(p, "input.hpa.metrics[%d]", i);
        if (read_metric_spec(r, a, c, p, &ms[i]) < 0)
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
        (c_recs && read_recommendations(r, c_recs, "input.recommendations", &st) < 0) ||
        read_events(r, in, P, "scale_up_events", 1, &st) < 0 ||
        read_events(r, in, P, "scale_down_events", 0, &st) < 0)
        goto done;

    /* pods and metric data: the fake metrics servers answer the same data for every metric */
    hpa_pod *pods;
    hpa_resource_sample *samples;
    hpa_pod_metric *pvals;
    int64_t *ext, object_value = 0;
    int nsamples, npvals, next, has_object;
    if (read_pods(r, a, in, P, 0, &pods, &inputs.npods) < 0 ||
        read_resource_metrics(r, a, in, P, &samples, &nsamples) < 0 ||
        read_pod_metrics(r, a, in, P, "pod_metric_values", &pvals, &npvals) < 0 ||
        read_int64_list(r, a, in, P, "external_values_milli", &ext, &next) < 0 ||
        hjson_int64(r, in, P, "object_value_milli", 0, &object_value, &has_object) < 0)
        goto done;
    inputs.pods = pods;
    int ndata = spec.nmetrics > 0 ? spec.nmetrics : 1;
    hpa_metric_data *data = arena_alloc(a, (size_t)ndata, sizeof *data);
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

    got_add(g, "desired_replicas", "%d", status.desired_replicas);
    got_add(g, "scale_updated", "%s", dec.scale_updated ? "true" : "false");
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
            put_str(f, c->reason);
            fputc(']', f);
            first = 0;
        }
        fputc('}', f);
        fclose(f);
        got_add(g, "conditions", "%s", buf);
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
        got_add(g, "cpu_utilization", "%d", cpu->average_utilization);
    else
        got_add(g, "cpu_utilization", "null");
    const hpa_event *ev = NULL;
    for (int k = 0; k < dec.events.n; k++)
        if (strcmp(dec.events.ev[k].reason, "SuccessfulRescale") == 0 ||
            strcmp(dec.events.ev[k].reason, "FailedRescale") == 0)
            ev = &dec.events.ev[k];
    if (ev == NULL && dec.events.n > 0)
        ev = &dec.events.ev[dec.events.n - 1];
    got_str(g, "event", ev ? ev->message : NULL);
    if (ex != NULL)
        explain_sync(ex, &spec, &dec, &status, &st);
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
    arena a = {0};
    got g = {0};
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
        rc = kind_controller(r, &a, in, &g, explain);
        break;
    }
    if (rc == 0) {
        *got_text = got_render(&g, expect_keys);
        if (*got_text == NULL)
            rc = hjson_fail(r, "", "out of memory");
    }
    got_free(&g);
    arena_free(&a);
    return rc;
}
