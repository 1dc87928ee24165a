/* hpa_case_io.c: readers and output helpers shared by the case kinds; see hpa_case_io.h. */
#include "cli/hpa_case_io.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/quantity.h"
#include "sim/scenario/label_selector.h"

/* ---- the arena of a case and the got key/value list ---- */

void *case_alloc(case_arena *a, size_t count, size_t size) {
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

void case_arena_free(case_arena *a) {
    for (int i = 0; i < a->n; i++)
        free(a->blocks[i]);
    free(a->blocks);
}

void case_got_add(case_got *g, const char *key, const char *fmt, ...) {
    if (g->n >= MAX_KEYS)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&g->json[g->n], fmt, ap) < 0)
        g->json[g->n] = NULL;
    va_end(ap);
    g->key[g->n++] = key;
}

void case_got_free(case_got *g) {
    for (int i = 0; i < g->n; i++)
        free(g->json[i]);
}

/* A JSON string literal. */
void case_put_str(FILE *f, const char *s) {
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

char *case_str_json(const char *s) {
    if (s == NULL)
        return strdup("null");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return NULL;
    case_put_str(f, s);
    fclose(f);
    return buf;
}

void case_got_str(case_got *g, const char *key, const char *s) {
    char *j = case_str_json(s);
    case_got_add(g, key, "%s", j ? j : "null");
    free(j);
}

/* Renders the got object: expect's keys in their order (null for a key the kind lacks), or
 * everything. */
char *case_got_render(const case_got *g, const cJSON *keys) {
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
            case_put_str(f, k->string);
            fprintf(f, ": %s", v);
            first = 0;
        }
    } else {
        for (int i = 0; i < g->n; i++) {
            fprintf(f, "%s", first ? "" : ", ");
            case_put_str(f, g->key[i]);
            fprintf(f, ": %s", g->json[i] ? g->json[i] : "null");
            first = 0;
        }
    }
    fputc('}', f);
    fclose(f);
    return buf;
}

/* ---- readers of the shared input shapes ---- */

/* Seconds -> microseconds, refusing values whose product would overflow. */
int case_secs(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
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

/* The elements of arr (NULL: none) as an arena block of *n elements of `size` bytes; NULL, with
 * the error set at path, when out of memory. */
static void *alloc_elements(hjson_reader *r, case_arena *a, const cJSON *arr, const char *path,
                            size_t size, int *n) {
    *n = arr ? cJSON_GetArraySize(arr) : 0;
    void *out = case_alloc(a, (size_t)*n, size);
    if (out == NULL)
        hjson_fail(r, path, "out of memory");
    return out;
}

/* The array in[key] (absent or null: empty) and its elements as an arena block (alloc_elements);
 * pp (512 bytes) gets the array's path "path.key". NULL, with the error set, on a failure. */
static void *array_under(hjson_reader *r, case_arena *a, const cJSON *in, const char *path,
                         const char *key, int required, size_t size, const cJSON **arr, char *pp,
                         int *n) {
    snprintf(pp, 512, "%s.%s", path, key);
    if (hjson_array(r, in, path, key, required, arr) < 0)
        return NULL;
    return alloc_elements(r, a, *arr, pp, size, n);
}

/* The path of element i of the array at path, into p; -1 with the error set unless c is an
 * object. */
static int element_object(hjson_reader *r, const cJSON *c, const char *path, int i, char *p,
                          size_t psize) {
    snprintf(p, psize, "%s[%d]", path, i);
    if (!cJSON_IsObject(c))
        return hjson_fail(r, p, "expected an object");
    return 0;
}

static int case_read_containers(hjson_reader *r, case_arena *a, const cJSON *arr, const char *path,
                                int init, hpa_container **out, int *n) {
    if ((*out = alloc_elements(r, a, arr, path, sizeof **out, n)) == NULL)
        return -1;
    int i = 0;
    for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next, i++) {
        char p[512];
        if (element_object(r, c, path, i, p, sizeof p) < 0)
            return -1;
        hpa_container *k = &(*out)[i];
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

int case_read_pods(hjson_reader *r, case_arena *a, const cJSON *in, const char *path, int required,
                   hpa_pod **out, int *n) {
    const cJSON *arr;
    char pp[512];
    if ((*out = array_under(r, a, in, path, "pods", required, sizeof **out, &arr, pp, n)) == NULL)
        return -1;
    int i = 0;
    for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next, i++) {
        char p[512];
        if (element_object(r, c, pp, i, p, sizeof p) < 0)
            return -1;
        hpa_pod *pod = &(*out)[i];
        int phase = 0, ready = 0, has_ready = 0, has_phase = 0;
        if (hjson_string(r, c, p, "name", 1, &pod->name) < 0 ||
            hjson_enum(r, c, p, "phase", 0, PHASES, &phase, &has_phase) < 0 ||
            hjson_enum(r, c, p, "ready", 0, READY, &ready, &has_ready) < 0 ||
            case_secs(r, c, p, "ready_last_transition_s", 0, &pod->ready_transition_us, NULL) < 0 ||
            case_secs(r, c, p, "start_time_s", 0, &pod->start_time_us, &pod->has_start_time) < 0 ||
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
        if (case_read_containers(r, a, cs, cp, 0, &k, &pod->ncontainers) < 0)
            return -1;
        pod->containers = k;
        PATHF(cp, "%s.init_containers", p);
        if (case_read_containers(r, a, ics, cp, 1, &k, &pod->ninit_containers) < 0)
            return -1;
        pod->init_containers = k;
    }
    return 0;
}

/* resource_metrics: [{pod, timestamp_s, window_s, containers:[{name, usage_milli}]}] */
int case_read_resource_metrics(hjson_reader *r, case_arena *a, const cJSON *in, const char *path,
                               hpa_resource_sample **out, int *n) {
    const cJSON *arr;
    char pp[512];
    *out = array_under(r, a, in, path, "resource_metrics", 0, sizeof **out, &arr, pp, n);
    if (*out == NULL)
        return -1;
    int i = 0;
    for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next, i++) {
        char p[512];
        if (element_object(r, c, pp, i, p, sizeof p) < 0)
            return -1;
        hpa_resource_sample *s = &(*out)[i];
        const cJSON *cs;
        if (hjson_string(r, c, p, "pod", 1, &s->pod) < 0 ||
            case_secs(r, c, p, "timestamp_s", 0, &s->timestamp_us, NULL) < 0 ||
            case_secs(r, c, p, "window_s", 0, &s->window_us, NULL) < 0 ||
            hjson_array(r, c, p, "containers", 0, &cs) < 0)
            return -1;
        hpa_container_usage *u = alloc_elements(r, a, cs, p, sizeof *u, &s->ncontainers);
        if (u == NULL)
            return -1;
        char csp[560];
        PATHF(csp, "%s.containers", p);
        int j = 0;
        for (const cJSON *k = cs ? cs->child : NULL; k; k = k->next, j++) {
            char kp[600];
            if (element_object(r, k, csp, j, kp, sizeof kp) < 0)
                return -1;
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
int case_read_pod_metrics(hjson_reader *r, case_arena *a, const cJSON *in, const char *path,
                          const char *key, hpa_pod_metric **out, int *n) {
    const cJSON *arr;
    char pp[512];
    if ((*out = array_under(r, a, in, path, key, 0, sizeof **out, &arr, pp, n)) == NULL)
        return -1;
    int i = 0;
    for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next, i++) {
        char p[512];
        if (element_object(r, c, pp, i, p, sizeof p) < 0)
            return -1;
        hpa_pod_metric *m = &(*out)[i];
        if (hjson_string(r, c, p, "pod", 1, &m->pod) < 0 ||
            hjson_int64(r, c, p, "value_milli", 1, &m->value_milli, NULL) < 0 ||
            case_secs(r, c, p, "timestamp_s", 0, &m->timestamp_us, NULL) < 0 ||
            case_secs(r, c, p, "window_s", 0, &m->window_us, NULL) < 0)
            return -1;
    }
    return 0;
}

int case_read_int64_list(hjson_reader *r, case_arena *a, const cJSON *in, const char *path,
                         const char *key, int64_t **out, int *n) {
    const cJSON *arr;
    char pp[512];
    if ((*out = array_under(r, a, in, path, key, 0, sizeof **out, &arr, pp, n)) == NULL)
        return -1;
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
static int case_read_tolerance(hjson_reader *r, const cJSON *o, const char *path,
                               hpa_rules *rules) {
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
int case_read_rules(hjson_reader *r, const cJSON *o, const char *path, hpa_rules *rules) {
    memset(rules, 0, sizeof *rules);
    int sel = 0;
    const cJSON *ps;
    if (!cJSON_IsObject(o))
        return hjson_fail(r, path, "expected an object");
    if (hjson_enum(r, o, path, "select_policy", 0, SELECTS, &sel, &rules->has_select) < 0 ||
        hjson_int32(r, o, path, "stabilization_window_s", 0, &rules->window_s, &rules->has_window) <
            0 ||
        case_read_tolerance(r, o, path, rules) < 0 ||
        hjson_array(r, o, path, "policies", 0, &ps) < 0)
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
int case_read_rules_key(hjson_reader *r, const cJSON *in, const char *path, const char *key,
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
    return case_read_rules(r, o, p, rules);
}

/* [{replicas, age_s}] into the state's recommendation history. */
int case_read_recommendations(hjson_reader *r, const cJSON *arr, const char *path, hpa_state *st) {
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
            case_secs(r, c, p, "age_s", 1, &age_us, NULL) < 0)
            return -1;
        rec.at_us = -age_us;
        if (hpa_state_push_recommendation(st, rec, r->err) < 0)
            return -1;
    }
    return 0;
}

/* [{change, age_s, outdated?}] into the up or down event list. */
int case_read_events(hjson_reader *r, const cJSON *in, const char *path, const char *key, int up,
                     hpa_state *st) {
    const cJSON *arr;
    if (hjson_array(r, in, path, key, 0, &arr) < 0)
        return -1;
    char pp[512];
    PATHF(pp, "%s.%s", path, key);
    int i = 0;
    for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next, i++) {
        char p[512];
        if (element_object(r, c, pp, i, p, sizeof p) < 0)
            return -1;
        hpa_scale_event e = {0, 0, 0};
        int64_t age_us = 0;
        if (hjson_int32(r, c, p, "change", 1, &e.change, NULL) < 0 ||
            case_secs(r, c, p, "age_s", 1, &age_us, NULL) < 0 ||
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
void case_rules_got(case_got *g, const hpa_rules *rules) {
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
        case_got_add(g, "policies", "%s", rules->has_policies ? buf : "null");
        free(buf);
    }
    if (rules->has_window)
        case_got_add(g, "stabilization_window_s", "%d", rules->window_s);
    else
        case_got_add(g, "stabilization_window_s", "null");
    case_got_str(g, "select_policy", rules->has_select ? hpa_select_name(rules->select) : NULL);
    if (rules->has_tolerance)
        case_got_add(g, "tolerance", "%.17g", rules->tolerance);
    else
        case_got_add(g, "tolerance", "null");
}

/* ---- metric specs (hpa.metrics of the controller kind) ---- */

static const char *const METRIC_TYPES[] = {"Resource", "ContainerResource", "Pods",
                                           "Object",   "External",          NULL};
static const char *const TARGET_TYPES[] = {"Utilization", "AverageValue", "Value", NULL};

static int case_read_target(hjson_reader *r, const cJSON *src, const char *path,
                            hpa_metric_target *t) {
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
static int case_read_selector(hjson_reader *r, case_arena *a, const cJSON *src, const char *path,
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
    for (const cJSON *l = labels ? labels->child : NULL; l; l = l->next)
        if (!cJSON_IsString(l))
            return hjson_fail(r, p, "expected string label values");
    char *buf = label_selector_string(labels, exprs);
    if (buf == NULL)
        return hjson_fail(r, p, "out of memory");
    size_t len = strlen(buf);
    char *kept = case_alloc(a, len + 1, 1);
    if (kept != NULL)
        memcpy(kept, buf, len + 1);
    free(buf);
    if (kept == NULL)
        return hjson_fail(r, p, "out of memory");
    *out = kept;
    return 0;
}

int case_read_metric_spec(hjson_reader *r, case_arena *a, const cJSON *c, const char *p,
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
        case_read_selector(r, a, src, sp, &m->selector) < 0 ||
        case_read_target(r, src, sp, &m->target) < 0)
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
