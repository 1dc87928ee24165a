/* hpa_section.c: reads the "hpa" section (an autoscaling/v2 HorizontalPodAutoscaler, pasted
 * from `kubectl get hpa.v2.autoscaling NAME -o json` or read from a YAML/JSON manifest file) and
 * the "controller" section (kube-controller-manager's HPA flags and feature gates) into hpa_cfg.
 *
 * Validation has the meaning of the Kubernetes API server's, with its wording ("Invalid value:
 * 0: must be greater than 0", "Required value: ...", "Unsupported value: ...", "Forbidden:
 * ...") after scalesim's "file:line:col: json.path: ". Source: kubernetes/kubernetes
 * pkg/apis/autoscaling/validation/validation.go of 2025 master (read from the mirror
 * yongruilin/kubernetes at 39308a14e0f9, the same text in jpbetz/validation-gen at 27107a33:
 * validateHorizontalPodAutoscalerSpec, ValidateCrossVersionObjectReference, validateMetrics,
 * validateMetricSpec and the *Source validators, validateMetricTarget, validateMetricIdentifier,
 * validateBehavior, validateScalingRules, validateScalingPolicy). That text predates the per-HPA
 * tolerance; its rule ("cannot be set to a negative value") is from KEP-4951 and
 * kubernetes/kubernetes PR #130797, and the wording of that one message is scalesim's. Defaults
 * from pkg/apis/autoscaling/v2/defaults.go (v1.28.0, as sim/control/hpa/rules.h). The API
 * server reports every error at once; scalesim reports the first, in the order validation.go
 * checks them. See docs/scenario.md, section hpa. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/duration.h"
#include "common/quantity.h"
#include "sim/scenario/json_pos.h"
#include "sim/scenario/label_selector.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/sections.h"
#include "sim/scenario/yaml_json.h"

/* validation.go's MaxPeriodSeconds and MaxStabilizationWindowSeconds. */
#define MAX_PERIOD_SECONDS               1800
#define MAX_STABILIZATION_WINDOW_SECONDS 3600

#define KUBECTL_V2_HINT "kubectl get hpa.v2.autoscaling NAME -o json"

typedef struct hpa_reader {
    const sc_reader *r;
    hpa_cfg *out;
    int scale_to_zero; /* the HPAScaleToZero feature gate */
    const char *service_name;
} hpa_reader;

/* A member that is absent or null (Go leaves an optional field nil for both). */
static const cJSON *opt(const cJSON *obj, const char *key) {
    const cJSON *m = rd_get(obj, key);
    return m == NULL || cJSON_IsNull(m) ? NULL : m;
}

static int oom(const sc_reader *r, const cJSON *at, const char *path) {
    return rd_fail(r, at, path, "out of memory");
}

static int dup_str(const sc_reader *r, const cJSON *at, const char *path, const char *s,
                   const char **out) {
    char *d = strdup(s);
    if (d == NULL)
        return oom(r, at, path);
    *out = d;
    return 0;
}

static int read_int32(const sc_reader *r, const cJSON *node, const char *path, int32_t *out) {
    int64_t v;
    if (rd_int(r, node, path, INT32_MIN, INT32_MAX, &v) < 0)
        return -1;
    *out = (int32_t)v;
    return 0;
}

/* A resource.Quantity: a string ("500m", "50") or a JSON number, as milli-units (rounded up,
 * as MilliValue does); `shown` gets it as written, for messages. */
static int read_quantity(const sc_reader *r, const cJSON *node, const char *path,
                         int64_t *out_milli, char *shown, size_t size) {
    char d[96];
    sim_error qerr;
    if (cJSON_IsString(node)) {
        if (quantity_parse_milli(node->valuestring, out_milli, &qerr) < 0)
            return rd_fail(r, node, path, "%s", qerr.msg);
        snprintf(shown, size, "\"%s\"", node->valuestring);
        return 0;
    }
    if (cJSON_IsNumber(node)) {
        double v = node->valuedouble;
        if (!(v > -9.2e15 && v < 9.2e15))
            return rd_fail(r, node, path, "number out of range");
        double milli = v * 1000.0;
        int64_t m = (int64_t)milli;
        if ((double)m < milli) /* round up, as MilliValue does */
            m++;
        *out_milli = m;
        snprintf(shown, size, "\"%.15g\"", v);
        return 0;
    }
    return rd_fail(r, node, path,
                   "expected a quantity (a string such as \"500m\" or \"50\", or a number), "
                   "got %s",
                   rd_describe(node, d, sizeof d));
}

/* pathvalidation.IsValidPathSegmentName (k8s.io/apimachinery/pkg/api/validation/path). */
static const char *path_segment_problem(const char *s) {
    if (strcmp(s, ".") == 0)
        return "may not be '.'";
    if (strcmp(s, "..") == 0)
        return "may not be '..'";
    if (strchr(s, '/') != NULL)
        return "may not contain '/'";
    if (strchr(s, '%') != NULL)
        return "may not contain '%'";
    return NULL;
}

static int is_lower_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* An RFC 1123 label (apimachinery's IsDNS1123Label): [a-z0-9]([-a-z0-9]*[a-z0-9])?, <= 63. */
static int is_dns1123_label(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > 63 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_lower_alnum(s[i]) && s[i] != '-')
            return 0;
    return 1;
}

/* An RFC 1123 subdomain: labels joined by '.', <= 253 (scalesim keeps names <= 63). */
static int is_dns1123_subdomain(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > 253 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_lower_alnum(s[i]) && s[i] != '-' && s[i] != '.')
            return 0;
        if (s[i] == '.' && (!is_lower_alnum(s[i - 1]) || !is_lower_alnum(s[i + 1])))
            return 0;
    }
    return 1;
}

/* ---- references and metric identifiers ---- */

/* ValidateCrossVersionObjectReference: kind and name required and valid path segments.
 * node may be NULL (not given: both are missing); at is where to point then. */
static int read_object_ref(const sc_reader *r, const cJSON *node, const cJSON *at, const char *path,
                           const char **kind, const char **name, const char **api_version) {
    static const char *const keys[] = {"kind", "name", "apiVersion"};
    char p[RD_PATH_MAX];
    const char *version = NULL;
    *kind = *name = "";
    if (node != NULL && rd_object(r, node, path, keys, 3, NULL, NULL) < 0)
        return -1;
    const cJSON *k = node ? opt(node, "kind") : NULL, *n = node ? opt(node, "name") : NULL;
    const cJSON *v = node ? opt(node, "apiVersion") : NULL;
    if ((k && rd_string(r, k, rd_join(p, path, "kind"), kind) < 0) ||
        (n && rd_string(r, n, rd_join(p, path, "name"), name) < 0) ||
        (v && rd_string(r, v, rd_join(p, path, "apiVersion"), &version) < 0))
        return -1;
    if (api_version != NULL)
        *api_version = version;
    const char *why;
    if ((*kind)[0] == '\0')
        return rd_fail(r, k ? k : node ? node : at, rd_join(p, path, "kind"), "Required value");
    if ((why = path_segment_problem(*kind)) != NULL)
        return rd_fail(r, k, rd_join(p, path, "kind"), "Invalid value: \"%s\": %s", *kind, why);
    if ((*name)[0] == '\0')
        return rd_fail(r, n ? n : node ? node : at, rd_join(p, path, "name"), "Required value");
    if ((why = path_segment_problem(*name)) != NULL)
        return rd_fail(r, n, rd_join(p, path, "name"), "Invalid value: \"%s\": %s", *name, why);
    return 0;
}

/* A label selector: {matchLabels: {k: v}, matchExpressions: [{key, operator, values}]}. */
static int read_selector(const sc_reader *r, const cJSON *node, const char *path,
                         const char **out) {
    static const char *const keys[] = {"matchLabels", "matchExpressions"};
    static const char *const req_keys[] = {"key", "operator", "values"};
    char p[RD_PATH_MAX], q[RD_PATH_MAX], d[96];
    const char *s;
    if (rd_object(r, node, path, keys, 2, NULL, NULL) < 0)
        return -1;
    const cJSON *labels = opt(node, "matchLabels"), *exprs = opt(node, "matchExpressions");
    if (labels != NULL) {
        rd_join(p, path, "matchLabels");
        if (!cJSON_IsObject(labels))
            return rd_fail(r, labels, p, "expected an object of label values, got %s",
                           rd_describe(labels, d, sizeof d));
        for (const cJSON *l = labels->child; l; l = l->next)
            if (rd_string(r, l, rd_join(q, p, l->string), &s) < 0)
                return -1;
    }
    if (exprs != NULL) {
        rd_join(p, path, "matchExpressions");
        if (!cJSON_IsArray(exprs))
            return rd_fail(r, exprs, p, "expected an array of requirements, got %s",
                           rd_describe(exprs, d, sizeof d));
        size_t i = 0;
        for (const cJSON *e = exprs->child; e; e = e->next, i++) {
            char ep[RD_PATH_MAX];
            rd_index(ep, p, i);
            if (rd_object(r, e, ep, req_keys, 3, NULL, NULL) < 0)
                return -1;
            const cJSON *m;
            if (rd_require(r, e, ep, "key", "a requirement names a label", &m) < 0 ||
                rd_string(r, m, rd_join(q, ep, "key"), &s) < 0 ||
                rd_require(r, e, ep, "operator", "In, NotIn, Exists or DoesNotExist", &m) < 0 ||
                rd_string(r, m, rd_join(q, ep, "operator"), &s) < 0)
                return -1;
            const cJSON *vals = opt(e, "values");
            if (vals != NULL) {
                rd_join(q, ep, "values");
                if (!cJSON_IsArray(vals))
                    return rd_fail(r, vals, q, "expected an array of strings, got %s",
                                   rd_describe(vals, d, sizeof d));
                size_t j = 0;
                for (const cJSON *v = vals->child; v; v = v->next, j++) {
                    char vp[RD_PATH_MAX];
                    if (rd_string(r, v, rd_index(vp, q, j), &s) < 0)
                        return -1;
                }
            }
        }
    }
    char *str = label_selector_string(labels, exprs);
    if (str == NULL)
        return oom(r, node, path);
    *out = str;
    return 0;
}

/* validateMetricIdentifier: {name, selector}; node may be NULL (at: where to point). */
static int read_identifier(const sc_reader *r, const cJSON *node, const cJSON *at, const char *path,
                           hpa_metric_spec *m) {
    static const char *const keys[] = {"name", "selector"};
    char p[RD_PATH_MAX];
    const char *name = "";
    if (node != NULL && rd_object(r, node, path, keys, 2, NULL, NULL) < 0)
        return -1;
    const cJSON *n = node ? opt(node, "name") : NULL, *sel = node ? opt(node, "selector") : NULL;
    if (n != NULL && rd_string(r, n, rd_join(p, path, "name"), &name) < 0)
        return -1;
    if (sel != NULL && read_selector(r, sel, rd_join(p, path, "selector"), &m->selector) < 0)
        return -1;
    const char *why;
    if (name[0] == '\0')
        return rd_fail(r,
                       n      ? n
                       : node ? node
                              : at,
                       rd_join(p, path, "name"), "Required value: must specify a metric name");
    if ((why = path_segment_problem(name)) != NULL)
        return rd_fail(r, n, rd_join(p, path, "name"), "Invalid value: \"%s\": %s", name, why);
    return dup_str(r, n, path, name, &m->name);
}

/* ---- targets ---- */

/* Where the target's values were, for messages about them. */
typedef struct target_nodes {
    const cJSON *target; /* the target object, or the source object when it is missing */
    char path[RD_PATH_MAX];
} target_nodes;

/* A target's value or averageValue: a quantity the API requires to be positive. */
static int read_positive_quantity(const sc_reader *r, const cJSON *node, const char *parent,
                                  const char *key, int64_t *milli, int *has) {
    char p[RD_PATH_MAX], shown[96];
    rd_join(p, parent, key);
    if (read_quantity(r, node, p, milli, shown, sizeof shown) < 0)
        return -1;
    if (*milli <= 0)
        return rd_fail(r, node, p, "Invalid value: %s: must be positive", shown);
    *has = 1;
    return 0;
}

/* validateMetricTarget. */
static int read_target(const sc_reader *r, const cJSON *src, const char *src_path,
                       hpa_metric_target *t, target_nodes *tn) {
    static const char *const keys[] = {"type", "value", "averageValue", "averageUtilization"};
    static const char *const types[] = {"Utilization", "Value", "AverageValue"};
    static const hpa_target_type of[] = {HPA_TARGET_UTILIZATION, HPA_TARGET_VALUE,
                                         HPA_TARGET_AVERAGE_VALUE};
    char p[RD_PATH_MAX];
    const char *type = "";
    const cJSON *node = opt(src, "target");
    rd_join(tn->path, src_path, "target");
    tn->target = node ? node : src;
    memset(t, 0, sizeof *t);
    if (node != NULL && rd_object(r, node, tn->path, keys, 4, NULL, NULL) < 0)
        return -1;
    const cJSON *ty = node ? opt(node, "type") : NULL;
    const cJSON *v = node ? opt(node, "value") : NULL,
                *av = node ? opt(node, "averageValue") : NULL;
    const cJSON *au = node ? opt(node, "averageUtilization") : NULL;
    if (ty != NULL && rd_string(r, ty, rd_join(p, tn->path, "type"), &type) < 0)
        return -1;
    if (type[0] == '\0')
        return rd_fail(r, ty ? ty : tn->target, rd_join(p, tn->path, "type"),
                       "Required value: must specify a metric target type");
    int known = 0;
    for (int i = 0; i < 3; i++)
        if (strcmp(type, types[i]) == 0)
            t->type = of[i], known = 1;
    if (!known)
        return rd_fail(r, ty, rd_join(p, tn->path, "type"),
                       "Invalid value: \"%s\": must be either Utilization, Value, or AverageValue",
                       type);
    if (v != NULL &&
        read_positive_quantity(r, v, tn->path, "value", &t->value_milli, &t->has_value) < 0)
        return -1;
    if (av != NULL && read_positive_quantity(r, av, tn->path, "averageValue",
                                             &t->average_value_milli, &t->has_average_value) < 0)
        return -1;
    if (au != NULL) {
        rd_join(p, tn->path, "averageUtilization");
        if (read_int32(r, au, p, &t->average_utilization) < 0)
            return -1;
        if (t->average_utilization < 1)
            return rd_fail(r, au, p, "Invalid value: %d: must be greater than 0",
                           t->average_utilization);
        t->has_utilization = 1;
    }
    return 0;
}

/* The resource sources' rule: a utilization or an average value, not both. */
static int utilization_or_value(const sc_reader *r, const hpa_metric_target *t,
                                const target_nodes *tn) {
    char p[RD_PATH_MAX];
    if (!t->has_utilization && !t->has_average_value)
        return rd_fail(r, tn->target, rd_join(p, tn->path, "averageUtilization"),
                       "Required value: must set either a target raw value or a target "
                       "utilization");
    if (t->has_utilization && t->has_average_value)
        return rd_fail(r, opt(tn->target, "averageValue"), rd_join(p, tn->path, "averageValue"),
                       "Forbidden: may not set both a target raw value and a target utilization");
    return 0;
}

/* ---- metric sources ---- */

/* corevalidation.ValidateContainerResourceName, for the names an HPA can use: the standard
 * container resources, hugepages-*, or a domain-prefixed extended resource. */
static int container_resource_ok(const char *s) {
    static const char *const std[] = {"cpu", "memory", "ephemeral-storage", "storage", NULL};
    for (int i = 0; std[i]; i++)
        if (strcmp(s, std[i]) == 0)
            return 1;
    return strncmp(s, "hugepages-", 10) == 0 || (strchr(s, '/') != NULL && s[0] != '/');
}

static int read_resource(const sc_reader *r, const cJSON *src, const char *sp, int container,
                         hpa_metric_spec *m) {
    static const char *const keys[] = {"name", "target", "container"};
    char p[RD_PATH_MAX];
    const char *name = "", *cont = "";
    if (rd_object(r, src, sp, keys, container ? 3 : 2, NULL, NULL) < 0)
        return -1;
    const cJSON *n = opt(src, "name"), *c = opt(src, "container");
    if (n != NULL && rd_string(r, n, rd_join(p, sp, "name"), &name) < 0)
        return -1;
    if (c != NULL && rd_string(r, c, rd_join(p, sp, "container"), &cont) < 0)
        return -1;
    if (name[0] == '\0')
        return rd_fail(r, n ? n : src, rd_join(p, sp, "name"),
                       "Required value: must specify a resource name");
    if (container && !container_resource_ok(name))
        return rd_fail(r, n, rd_join(p, sp, "name"),
                       "Invalid value: \"%s\": must be a standard resource for containers", name);
    if (container && cont[0] == '\0')
        return rd_fail(r, c ? c : src, rd_join(p, sp, "container"),
                       "Required value: must specify a container");
    if (container && !is_dns1123_label(cont))
        return rd_fail(r, c, rd_join(p, sp, "container"),
                       "Invalid value: \"%s\": a lowercase RFC 1123 label must consist of lower "
                       "case alphanumeric characters or '-', and must start and end with an "
                       "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                       "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                       cont);
    if (dup_str(r, n, sp, name, &m->name) < 0 ||
        (container && dup_str(r, c, sp, cont, &m->container) < 0))
        return -1;
    target_nodes tn;
    if (read_target(r, src, sp, &m->target, &tn) < 0)
        return -1;
    return utilization_or_value(r, &m->target, &tn);
}

/* The {metric, target} body of a Pods or External source; the callers check the target's kind. */
static int read_metric_target(const sc_reader *r, const cJSON *src, const char *sp,
                              hpa_metric_spec *m, target_nodes *tn) {
    static const char *const keys[] = {"metric", "target"};
    char p[RD_PATH_MAX];
    if (rd_object(r, src, sp, keys, 2, NULL, NULL) < 0 ||
        read_identifier(r, opt(src, "metric"), src, rd_join(p, sp, "metric"), m) < 0 ||
        read_target(r, src, sp, &m->target, tn) < 0)
        return -1;
    return 0;
}

static int read_pods(const sc_reader *r, const cJSON *src, const char *sp, hpa_metric_spec *m) {
    char p[RD_PATH_MAX];
    target_nodes tn;
    if (read_metric_target(r, src, sp, m, &tn) < 0)
        return -1;
    if (!m->target.has_average_value)
        return rd_fail(r, tn.target, rd_join(p, tn.path, "averageValue"),
                       "Required value: must specify a positive target averageValue");
    return 0;
}

static int read_object(const sc_reader *r, const cJSON *src, const char *sp, hpa_metric_spec *m) {
    static const char *const keys[] = {"describedObject", "metric", "target"};
    char p[RD_PATH_MAX];
    const char *kind, *name;
    if (rd_object(r, src, sp, keys, 3, NULL, NULL) < 0 ||
        read_object_ref(r, opt(src, "describedObject"), src, rd_join(p, sp, "describedObject"),
                        &kind, &name, NULL) < 0 ||
        dup_str(r, src, sp, kind, &m->object_kind) < 0 ||
        dup_str(r, src, sp, name, &m->object_name) < 0 ||
        read_identifier(r, opt(src, "metric"), src, rd_join(p, sp, "metric"), m) < 0)
        return -1;
    target_nodes tn;
    if (read_target(r, src, sp, &m->target, &tn) < 0)
        return -1;
    if (!m->target.has_value && !m->target.has_average_value)
        return rd_fail(r, tn.target, rd_join(p, tn.path, "averageValue"),
                       "Required value: must set either a target value or averageValue");
    return 0;
}

static int read_external(const sc_reader *r, const cJSON *src, const char *sp, hpa_metric_spec *m) {
    char p[RD_PATH_MAX];
    target_nodes tn;
    if (read_metric_target(r, src, sp, m, &tn) < 0)
        return -1;
    if (!m->target.has_value && !m->target.has_average_value)
        return rd_fail(r, tn.target, rd_join(p, tn.path, "averageValue"),
                       "Required value: must set either a target value for metric or a per-pod "
                       "target");
    if (m->target.has_value && m->target.has_average_value)
        return rd_fail(r, opt(tn.target, "value"), rd_join(p, tn.path, "value"),
                       "Forbidden: may not set both a target value for metric and a per-pod "
                       "target");
    return 0;
}

/* The source key of each type, in hpa_metric_type order. */
static const char *const SOURCE_KEYS[] = {"resource", "containerResource", "pods", "object",
                                          "external"};
static const char *const TYPE_NAMES[] = {"Resource", "ContainerResource", "Pods", "Object",
                                         "External"};

/* validateMetricSpec. */
static int read_metric(const sc_reader *r, const cJSON *node, const char *path,
                       hpa_metric_spec *m) {
    static const char *const keys[] = {"type", "resource", "containerResource",
                                       "pods", "object",   "external"};
    char p[RD_PATH_MAX];
    const char *type = "";
    if (rd_object(r, node, path, keys, 6, NULL, NULL) < 0)
        return -1;
    const cJSON *ty = opt(node, "type");
    if (ty != NULL && rd_string(r, ty, rd_join(p, path, "type"), &type) < 0)
        return -1;
    if (type[0] == '\0')
        return rd_fail(r, ty ? ty : node, rd_join(p, path, "type"),
                       "Required value: must specify a metric source type");
    int t = -1;
    for (int i = 0; i < 5; i++)
        if (strcmp(type, TYPE_NAMES[i]) == 0)
            t = i;
    if (t < 0)
        return rd_fail(r, ty, rd_join(p, path, "type"),
                       "Unsupported value: \"%s\": supported values: \"ContainerResource\", "
                       "\"External\", \"Object\", \"Pods\", \"Resource\"",
                       type);
    m->type = (hpa_metric_type)t;
    if (dup_str(r, ty, path, type, &m->type_name) < 0)
        return -1;
    const cJSON *src = opt(node, SOURCE_KEYS[t]);
    char sp[RD_PATH_MAX];
    rd_join(sp, path, SOURCE_KEYS[t]);
    if (src == NULL)
        return rd_fail(r, node, sp,
                       "Required value: must populate information for the given metric source");
    for (const cJSON *c = node->child; c; c = c->next) {
        for (int i = 0; i < 5; i++)
            if (i != t && strcmp(c->string, SOURCE_KEYS[i]) == 0 && !cJSON_IsNull(c))
                return rd_fail_key(r, c, rd_join(p, path, c->string),
                                   "Forbidden: must populate the given metric source only");
    }
    switch (m->type) {
    case HPA_METRIC_RESOURCE:
        return read_resource(r, src, sp, 0, m);
    case HPA_METRIC_CONTAINER_RESOURCE:
        return read_resource(r, src, sp, 1, m);
    case HPA_METRIC_PODS:
        return read_pods(r, src, sp, m);
    case HPA_METRIC_OBJECT:
        return read_object(r, src, sp, m);
    default:
        return read_external(r, src, sp, m);
    }
}

static void metric_free(hpa_metric_spec *m) {
    free((char *)m->type_name);
    free((char *)m->name);
    free((char *)m->container);
    free((char *)m->object_kind);
    free((char *)m->object_name);
    free((char *)m->selector);
    memset(m, 0, sizeof *m);
}

/* validateMetrics, then the default metric of an empty list (v2 defaults.go: cpu at 80%). */
static int read_metrics(const hpa_reader *h, const cJSON *node, const cJSON *spec,
                        const char *path) {
    const sc_reader *r = h->r;
    hpa_cfg *out = h->out;
    char d[96];
    int n = 0;
    if (node != NULL) {
        if (!cJSON_IsArray(node))
            return rd_fail(r, node, path, "expected an array of metrics, got %s",
                           rd_describe(node, d, sizeof d));
        n = cJSON_GetArraySize(node);
        if (n > HPA_MAX_METRICS)
            return rd_fail(r, node, path, "more than %d metrics (scalesim's limit)",
                           HPA_MAX_METRICS);
    }
    out->metrics = calloc((size_t)(n > 0 ? n : 1), sizeof *out->metrics);
    if (out->metrics == NULL)
        return oom(r, spec, path);
    out->spec.metrics = out->metrics;
    int object_or_external = 0, i = 0;
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next, i++) {
        char p[RD_PATH_MAX];
        out->spec.nmetrics = i + 1; /* so hpa_cfg_free frees what this one got */
        if (read_metric(r, c, rd_index(p, path, (size_t)i), &out->metrics[i]) < 0)
            return -1;
        object_or_external |= out->metrics[i].type == HPA_METRIC_OBJECT ||
                              out->metrics[i].type == HPA_METRIC_EXTERNAL;
    }
    out->spec.nmetrics = n;
    if (out->spec.min_replicas == 0 && !object_or_external)
        return rd_fail(r, node ? node : spec, path,
                       "Forbidden: must specify at least one Object or External metric to "
                       "support scaling to zero replicas");
    if (n == 0) {
        hpa_metric_spec *m = &out->metrics[0];
        m->type = HPA_METRIC_RESOURCE;
        m->target = (hpa_metric_target){HPA_TARGET_UTILIZATION, 1, 80, 0, 0, 0, 0};
        if (dup_str(r, spec, path, "Resource", &m->type_name) < 0 ||
            dup_str(r, spec, path, "cpu", &m->name) < 0)
            return -1;
        out->spec.nmetrics = 1;
    }
    return 0;
}

/* ---- behavior ---- */

/* A per-HPA tolerance (KEP-4951): a quantity ("50m", "0.05") or a number, as a ratio. */
static int read_tolerance(const sc_reader *r, const cJSON *node, const char *path,
                          hpa_rules *rules) {
    char shown[96];
    int64_t milli;
    if (read_quantity(r, node, path, &milli, shown, sizeof shown) < 0)
        return -1;
    if (milli < 0)
        return rd_fail(r, node, path, "Invalid value: %s: must be greater than or equal to 0",
                       shown);
    rules->has_tolerance = 1;
    rules->tolerance = (double)milli / 1000.0;
    return 0;
}

/* validateScalingRules and validateScalingPolicy. */
static int read_rules(const sc_reader *r, const cJSON *node, const char *path, hpa_rules *rules) {
    static const char *const keys[] = {"stabilizationWindowSeconds", "selectPolicy", "policies",
                                       "tolerance"};
    static const char *const pkeys[] = {"type", "value", "periodSeconds"};
    char p[RD_PATH_MAX], d[96];
    memset(rules, 0, sizeof *rules);
    if (rd_object(r, node, path, keys, 4, NULL, NULL) < 0)
        return -1;
    const cJSON *w = opt(node, "stabilizationWindowSeconds"), *sel = opt(node, "selectPolicy");
    const cJSON *pols = opt(node, "policies"), *tol = opt(node, "tolerance");
    if (w != NULL) {
        rd_join(p, path, "stabilizationWindowSeconds");
        if (read_int32(r, w, p, &rules->window_s) < 0)
            return -1;
        if (rules->window_s < 0)
            return rd_fail(r, w, p, "Invalid value: %d: must be greater than or equal to zero",
                           rules->window_s);
        if (rules->window_s > MAX_STABILIZATION_WINDOW_SECONDS)
            return rd_fail(r, w, p, "Invalid value: %d: must be less than or equal to %d",
                           rules->window_s, MAX_STABILIZATION_WINDOW_SECONDS);
        rules->has_window = 1;
    }
    if (sel != NULL) {
        const char *s;
        rd_join(p, path, "selectPolicy");
        if (rd_string(r, sel, p, &s) < 0)
            return -1;
        if (strcmp(s, "Max") == 0)
            rules->select = HPA_SELECT_MAX;
        else if (strcmp(s, "Min") == 0)
            rules->select = HPA_SELECT_MIN;
        else if (strcmp(s, "Disabled") == 0)
            rules->select = HPA_SELECT_DISABLED;
        else
            return rd_fail(r, sel, p,
                           "Unsupported value: \"%s\": supported values: \"Disabled\", \"Max\", "
                           "\"Min\"",
                           s);
        rules->has_select = 1;
    }
    if (pols != NULL) {
        char pp[RD_PATH_MAX];
        rd_join(pp, path, "policies");
        if (!cJSON_IsArray(pols))
            return rd_fail(r, pols, pp, "expected an array of policies, got %s",
                           rd_describe(pols, d, sizeof d));
        rules->has_policies = 1;
        if (pols->child == NULL)
            return rd_fail(r, pols, pp, "Required value: must specify at least one Policy");
        if (cJSON_GetArraySize(pols) > HPA_MAX_POLICIES)
            return rd_fail(r, pols, pp, "more than %d policies (scalesim's limit)",
                           HPA_MAX_POLICIES);
        int i = 0;
        for (const cJSON *c = pols->child; c; c = c->next, i++) {
            char ip[RD_PATH_MAX];
            hpa_policy *pol = &rules->policies[i];
            const char *type = "";
            rd_index(ip, pp, (size_t)i);
            if (rd_object(r, c, ip, pkeys, 3, NULL, NULL) < 0)
                return -1;
            const cJSON *ty = opt(c, "type"), *v = opt(c, "value"), *ps = opt(c, "periodSeconds");
            if (ty != NULL && rd_string(r, ty, rd_join(p, ip, "type"), &type) < 0)
                return -1;
            if (strcmp(type, "Pods") == 0)
                pol->type = HPA_POLICY_PODS;
            else if (strcmp(type, "Percent") == 0)
                pol->type = HPA_POLICY_PERCENT;
            else
                return rd_fail(r, ty ? ty : c, rd_join(p, ip, "type"),
                               "Unsupported value: \"%s\": supported values: \"Percent\", "
                               "\"Pods\"",
                               type);
            if (v != NULL && read_int32(r, v, rd_join(p, ip, "value"), &pol->value) < 0)
                return -1;
            if (pol->value <= 0)
                return rd_fail(r, v ? v : c, rd_join(p, ip, "value"),
                               "Invalid value: %d: must be greater than zero", pol->value);
            if (ps != NULL &&
                read_int32(r, ps, rd_join(p, ip, "periodSeconds"), &pol->period_s) < 0)
                return -1;
            if (pol->period_s <= 0)
                return rd_fail(r, ps ? ps : c, rd_join(p, ip, "periodSeconds"),
                               "Invalid value: %d: must be greater than zero", pol->period_s);
            if (pol->period_s > MAX_PERIOD_SECONDS)
                return rd_fail(r, ps, rd_join(p, ip, "periodSeconds"),
                               "Invalid value: %d: must be less than or equal to %d", pol->period_s,
                               MAX_PERIOD_SECONDS);
        }
        rules->npolicies = i;
    }
    if (tol != NULL && read_tolerance(r, tol, rd_join(p, path, "tolerance"), rules) < 0)
        return -1;
    return 0;
}

/* validateBehavior; then the API server's defaults (v2 defaults.go,
 * SetDefaults_HorizontalPodAutoscalerBehavior): a given behavior gets both directions, each
 * filled field by field (scale-down's window stays unset: the controller flag applies). Without
 * the HPAConfigurableTolerance gate the API server drops tolerance (dropDisabledFields). */
static int read_behavior(const hpa_reader *h, const cJSON *node, const char *path) {
    static const char *const keys[] = {"scaleUp", "scaleDown"};
    const sc_reader *r = h->r;
    hpa_behavior *b = &h->out->spec.behavior;
    char p[RD_PATH_MAX];
    if (rd_object(r, node, path, keys, 2, NULL, NULL) < 0)
        return -1;
    const cJSON *up = opt(node, "scaleUp"), *down = opt(node, "scaleDown");
    hpa_rules given_up, given_down;
    if (up != NULL && read_rules(r, up, rd_join(p, path, "scaleUp"), &given_up) < 0)
        return -1;
    if (down != NULL && read_rules(r, down, rd_join(p, path, "scaleDown"), &given_down) < 0)
        return -1;
    if (!h->out->controller.configurable_tolerance) {
        given_up.has_tolerance = given_down.has_tolerance = 0;
    }
    b->present = b->has_up = b->has_down = 1;
    hpa_rules_default(up ? &given_up : NULL, 1, &b->up);
    hpa_rules_default(down ? &given_down : NULL, 0, &b->down);
    return 0;
}

/* ---- spec and object ---- */

static const char *spec_foreign(const char *key, const void *ctx) {
    (void)ctx;
    if (strcmp(key, "targetCPUUtilizationPercentage") == 0)
        return "a field of autoscaling/v1, which has no metrics or behavior; give the "
               "autoscaling/v2 object (" KUBECTL_V2_HINT ")";
    return NULL;
}

/* validateHorizontalPodAutoscalerSpec, then scalesim's rule that the target is the service. */
static int read_spec(const hpa_reader *h, const cJSON *spec, const char *path) {
    static const char *const keys[] = {"scaleTargetRef", "minReplicas", "maxReplicas", "metrics",
                                       "behavior"};
    const sc_reader *r = h->r;
    hpa_spec *s = &h->out->spec;
    char p[RD_PATH_MAX];
    if (rd_object(r, spec, path, keys, 5, spec_foreign, NULL) < 0)
        return -1;
    const cJSON *min = opt(spec, "minReplicas"), *max = opt(spec, "maxReplicas");
    s->min_replicas = 1; /* v2 defaults.go */
    int lower = h->scale_to_zero ? 0 : 1;
    if (min != NULL) {
        rd_join(p, path, "minReplicas");
        if (read_int32(r, min, p, &s->min_replicas) < 0)
            return -1;
        if (s->min_replicas < lower)
            return rd_fail(r, min, p, "Invalid value: %d: must be greater than or equal to %d%s",
                           s->min_replicas, lower,
                           s->min_replicas == 0
                               ? " (minReplicas 0 needs the HPAScaleToZero feature gate: "
                                 "controller.feature_gates.HPAScaleToZero)"
                               : "");
    }
    rd_join(p, path, "maxReplicas");
    if (max == NULL)
        return rd_fail(r, spec, p, "Required value: the upper limit of replicas");
    if (read_int32(r, max, p, &s->max_replicas) < 0)
        return -1;
    if (s->max_replicas < 1)
        return rd_fail(r, max, p, "Invalid value: %d: must be greater than 0", s->max_replicas);
    if (s->max_replicas < s->min_replicas)
        return rd_fail(r, max, p,
                       "Invalid value: %d: must be greater than or equal to "
                       "`minReplicas`",
                       s->max_replicas);
    const cJSON *ref = opt(spec, "scaleTargetRef");
    const char *kind, *name, *api_version;
    char rp[RD_PATH_MAX];
    rd_join(rp, path, "scaleTargetRef");
    if (read_object_ref(r, ref, spec, rp, &kind, &name, &api_version) < 0)
        return -1;
    if (read_metrics(h, opt(spec, "metrics"), spec, rd_join(p, path, "metrics")) < 0)
        return -1;
    const cJSON *beh = opt(spec, "behavior");
    if (beh != NULL && read_behavior(h, beh, rd_join(p, path, "behavior")) < 0)
        return -1;
    /* scalesim: the HPA scales the scenario's one Deployment, service.name. */
    if (strcmp(kind, "Deployment") != 0)
        return rd_fail(r, opt(ref, "kind"), rd_join(p, rp, "kind"),
                       "the scenario's service is a Deployment, got \"%s\"", kind);
    if (api_version != NULL && strcmp(api_version, "apps/v1") != 0)
        return rd_fail(r, opt(ref, "apiVersion"), rd_join(p, rp, "apiVersion"),
                       "the scenario's service is an apps/v1 Deployment, got \"%s\"", api_version);
    if (strcmp(name, h->service_name) != 0)
        return rd_fail(r, opt(ref, "name"), rd_join(p, rp, "name"),
                       "\"%s\" is not the scenario's service \"%s\" (the HPA scales the "
                       "Deployment named by service.name)",
                       name, h->service_name);
    return 0;
}

static int read_metadata(const hpa_reader *h, const cJSON *meta, const char *path) {
    const sc_reader *r = h->r;
    hpa_cfg *out = h->out;
    char p[RD_PATH_MAX], d[96];
    const char *s;
    if (!cJSON_IsObject(meta))
        return rd_fail(r, meta, path, "expected an object, got %s", rd_describe(meta, d, sizeof d));
    /* Everything but name and namespace (labels, annotations, uid, resourceVersion,
     * creationTimestamp, managedFields...) is accepted and ignored. */
    const cJSON *name = opt(meta, "name"), *ns = opt(meta, "namespace");
    if (name != NULL) {
        rd_join(p, path, "name");
        if (rd_string(r, name, p, &s) < 0)
            return -1;
        if (!is_dns1123_subdomain(s))
            return rd_fail(r, name, p,
                           "Invalid value: \"%.80s\": a lowercase RFC 1123 subdomain must consist "
                           "of lower case alphanumeric characters, '-' or '.', and must start and "
                           "end with an alphanumeric character (e.g. 'example.com', regex used "
                           "for validation is "
                           "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                           s);
        if (strlen(s) >= sizeof out->name)
            return rd_fail(r, name, p, "names longer than %zu characters are not supported",
                           sizeof out->name - 1);
        snprintf(out->name, sizeof out->name, "%s", s);
    }
    if (ns != NULL) {
        rd_join(p, path, "namespace");
        if (rd_string(r, ns, p, &s) < 0)
            return -1;
        if (!is_dns1123_label(s))
            return rd_fail(r, ns, p,
                           "Invalid value: \"%.80s\": a lowercase RFC 1123 label must consist of "
                           "lower case alphanumeric characters or '-', and must start and end "
                           "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
                           "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                           s);
        snprintf(out->namespace_name, sizeof out->namespace_name, "%s", s);
    }
    return 0;
}

/* One HorizontalPodAutoscaler object, as kubectl prints it. */
static int read_hpa_object(const hpa_reader *h, const cJSON *obj, const char *path) {
    static const char *const keys[] = {"apiVersion", "kind", "metadata", "spec", "status"};
    const sc_reader *r = h->r;
    hpa_cfg *out = h->out;
    char p[RD_PATH_MAX];
    const char *s;
    if (rd_object(r, obj, path, keys, 5, NULL, NULL) < 0)
        return -1;
    const cJSON *av = opt(obj, "apiVersion"), *kind = opt(obj, "kind");
    if (av != NULL) {
        rd_join(p, path, "apiVersion");
        if (rd_string(r, av, p, &s) < 0)
            return -1;
        if (strcmp(s, "autoscaling/v1") == 0)
            return rd_fail(r, av, p,
                           "autoscaling/v1 has no metrics or behavior (kubectl get hpa prints "
                           "v1 by default); use `" KUBECTL_V2_HINT "`");
        if (strcmp(s, "autoscaling/v2beta1") == 0)
            return rd_fail(r, av, p,
                           "autoscaling/v2beta1 has an older metric shape; use `" KUBECTL_V2_HINT
                           "`");
        if (strcmp(s, "autoscaling/v2") != 0 && strcmp(s, "autoscaling/v2beta2") != 0)
            return rd_fail(r, av, p,
                           "expected \"autoscaling/v2\" (or \"autoscaling/v2beta2\"), got "
                           "\"%.60s\"",
                           s);
    }
    if (kind != NULL) {
        rd_join(p, path, "kind");
        if (rd_string(r, kind, p, &s) < 0)
            return -1;
        if (strcmp(s, "HorizontalPodAutoscaler") != 0)
            return rd_fail(r, kind, p, "expected \"HorizontalPodAutoscaler\", got \"%.60s\"", s);
    }
    const cJSON *meta = opt(obj, "metadata"), *spec;
    if (meta != NULL && read_metadata(h, meta, rd_join(p, path, "metadata")) < 0)
        return -1;
    if (rd_require(r, obj, path, "spec",
                   "the HPA's spec (scaleTargetRef, minReplicas, maxReplicas, metrics, "
                   "behavior)",
                   &spec) < 0)
        return -1;
    rd_join(p, path, "spec");
    if (!cJSON_IsObject(spec)) {
        char d[96];
        return rd_fail(r, spec, p, "expected an object, got %s", rd_describe(spec, d, sizeof d));
    }
    if (read_spec(h, spec, p) < 0)
        return -1;
    if (out->name[0] == '\0') /* no metadata.name: the HPA takes its target's name */
        snprintf(out->name, sizeof out->name, "%s", h->service_name);
    return 0;
}

/* ---- manifest files ---- */

static const char *kind_of(const cJSON *doc) {
    const cJSON *k = cJSON_IsObject(doc) ? rd_get(doc, "kind") : NULL;
    return cJSON_IsString(k) ? k->valuestring : NULL;
}

static const char *name_of(const cJSON *doc) {
    const cJSON *m = rd_get(doc, "metadata");
    const cJSON *n = cJSON_IsObject(m) ? rd_get(m, "name") : NULL;
    return cJSON_IsString(n) ? n->valuestring : "";
}

/* The HPA objects of a stream: documents of kind HorizontalPodAutoscaler, and the items of
 * kind List documents (what `kubectl get hpa -o yaml` prints without a NAME). */
typedef struct found {
    const cJSON *obj;
    char path[32]; /* "" or "items[i]" */
} found;

static int find_hpas(const cJSON *docs, found *f, int max, char *kinds, size_t kinds_size) {
    int n = 0;
    size_t used = 0;
    kinds[0] = '\0';
    for (const cJSON *d = docs->child; d; d = d->next) {
        const char *k = kind_of(d);
        if (k != NULL && strcmp(k, "List") == 0 && cJSON_IsArray(rd_get(d, "items"))) {
            int i = 0;
            for (const cJSON *it = rd_get(d, "items")->child; it; it = it->next, i++) {
                const char *ik = kind_of(it);
                if (ik != NULL && strcmp(ik, "HorizontalPodAutoscaler") == 0) {
                    if (n < max) {
                        f[n].obj = it;
                        snprintf(f[n].path, sizeof f[n].path, "items[%d]", i);
                    }
                    n++;
                }
            }
        } else if (k != NULL && strcmp(k, "HorizontalPodAutoscaler") == 0) {
            if (n < max) {
                f[n].obj = d;
                f[n].path[0] = '\0';
            }
            n++;
        }
        if (k != NULL && used + strlen(k) + 3 < kinds_size && !strstr(kinds, k))
            used += (size_t)snprintf(kinds + used, kinds_size - used, "%s%s", used ? ", " : "", k);
    }
    return n;
}

static char *read_whole(const char *path, size_t *len, char *why, size_t why_size) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(why, why_size, "%s", strerror(errno));
        return NULL;
    }
    size_t cap = SCENARIO_MAX_BYTES + 1;
    char *text = malloc(cap);
    if (text == NULL) {
        fclose(f);
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    *len = fread(text, 1, cap, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || *len > SCENARIO_MAX_BYTES) {
        snprintf(why, why_size, "%s", bad ? "read error" : "file larger than 4 MiB");
        free(text);
        return NULL;
    }
    return text;
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int read_manifest(hpa_reader *h, const cJSON *node, const char *path) {
    static const char *const keys[] = {"manifest", "name"};
    const sc_reader *r = h->r;
    char mp[RD_PATH_MAX], np[RD_PATH_MAX];
    if (rd_object(r, node, path, keys, 2, NULL, NULL) < 0)
        return -1;
    const cJSON *m = rd_get(node, "manifest"), *want = opt(node, "name");
    const char *file, *want_name = NULL;
    rd_join(mp, path, "manifest");
    rd_join(np, path, "name");
    if (rd_string(r, m, mp, &file) < 0 || (want && rd_string(r, want, np, &want_name) < 0))
        return -1;
    if (file[0] == '\0')
        return rd_fail(r, m, mp, "expected a file name, got \"\"");
    char resolved[RD_PATH_MAX * 4], why[256];
    rd_resolve(r, file, resolved, sizeof resolved);
    size_t len = 0;
    char *text = read_whole(resolved, &len, why, sizeof why);
    if (text == NULL)
        return rd_fail(r, m, mp, "cannot read \"%s\": %s", resolved, why);
    h->out->manifest_path = strdup(resolved);
    if (h->out->manifest_path == NULL) {
        free(text);
        return oom(r, m, mp);
    }
    json_index idx;
    cJSON *docs = NULL;
    size_t err_off = 0;
    char msg[512] = "";
    int rc = -1, json = ends_with(resolved, ".json");
    if (json) {
        cJSON *root = NULL;
        if (json_parse_indexed(text, len, &root, &idx, &err_off, msg, sizeof msg) == 0) {
            docs = cJSON_CreateArray();
            if (docs == NULL)
                cJSON_Delete(root);
            else
                cJSON_AddItemToArray(docs, root);
        }
    } else if (yaml_parse_indexed(text, len, &docs, &idx, &err_off, msg, sizeof msg) < 0) {
        docs = NULL;
    }
    if (docs == NULL) {
        json_pos pos = json_pos_of(text, len, err_off);
        if (msg[0] == '\0')
            snprintf(msg, sizeof msg, "out of memory");
        error_set(r->err, "%s:%d:%d: invalid %s: %s", resolved, pos.line, pos.col,
                  json ? "JSON" : "YAML", msg);
        json_index_free(&idx);
        free(text);
        return -1;
    }
    /* Messages inside the manifest name the manifest, with paths from its document root. */
    sc_reader mr = {resolved, r->base_dir, &idx, r->err};
    found f[16];
    char kinds[256];
    int n = find_hpas(docs, f, 16, kinds, sizeof kinds), pick = -1;
    if (n == 0) {
        rd_fail(r, m, mp, "\"%s\" has no HorizontalPodAutoscaler%s%s%s", resolved,
                kinds[0] ? " (its documents are of kind " : "", kinds, kinds[0] ? ")" : "");
        goto done;
    }
    for (int i = 0; i < n && i < 16; i++)
        if (want_name == NULL ? n == 1 : strcmp(name_of(f[i].obj), want_name) == 0)
            pick = i;
    if (pick < 0) {
        char names[256] = "";
        size_t used = 0;
        for (int i = 0; i < n && i < 16 && used < sizeof names; i++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                     name_of(f[i].obj));
        if (want_name == NULL)
            rd_fail(r, m, mp,
                    "\"%s\" has %d HorizontalPodAutoscalers (%s); say which with \"name\"",
                    resolved, n, names);
        else
            rd_fail(r, want, np, "no HorizontalPodAutoscaler named \"%s\" in \"%s\" (it has: %s)",
                    want_name, resolved, names);
        goto done;
    }
    hpa_reader mh = *h;
    mh.r = &mr;
    rc = read_hpa_object(&mh, f[pick].obj, f[pick].path);
done:
    cJSON_Delete(docs);
    json_index_free(&idx);
    free(text);
    return rc;
}

/* ---- entry points (sections.h) ---- */

int read_hpa(const sc_reader *r, const cJSON *node, const char *path, const char *service_name,
             int scale_to_zero, hpa_cfg *out) {
    char d[96];
    hpa_reader h = {r, out, scale_to_zero, service_name};
    out->present = 1;
    snprintf(out->namespace_name, sizeof out->namespace_name, "default");
    if (!cJSON_IsObject(node)) {
        rd_fail(r, node, path,
                "expected an object (the HPA as `" KUBECTL_V2_HINT "` prints it, or "
                "{\"manifest\": \"hpa.yaml\"}), got %s",
                rd_describe(node, d, sizeof d));
        goto fail;
    }
    int rc = rd_get(node, "manifest") != NULL ? read_manifest(&h, node, path)
                                              : read_hpa_object(&h, node, path);
    if (rc < 0)
        goto fail;
    char *ns = strdup(out->namespace_name);
    if (ns == NULL) {
        oom(r, node, path);
        goto fail;
    }
    out->spec.namespace_name = ns;
    return 0;
fail:;
    /* The controller part was filled by read_controller; keep it, drop the HPA. */
    hpa_config ctl = out->controller;
    int64_t period = out->sync_period_us, phase = out->sync_phase_us;
    hpa_cfg_free(out);
    out->controller = ctl;
    out->sync_period_us = period;
    out->sync_phase_us = phase;
    return -1;
}

void hpa_cfg_free(hpa_cfg *cfg) {
    if (cfg == NULL)
        return;
    for (int i = 0; cfg->metrics != NULL && i < cfg->spec.nmetrics; i++)
        metric_free(&cfg->metrics[i]);
    free(cfg->metrics);
    free((char *)cfg->spec.namespace_name);
    free(cfg->manifest_path);
    memset(cfg, 0, sizeof *cfg);
}

/* kube-controller-manager's HPA flags (cmd/kube-controller-manager/app/options/
 * hpacontroller.go) and the feature gates that change the HPA's API or algorithm. */
int read_controller(const sc_reader *r, const cJSON *node, const char *path, hpa_cfg *out,
                    int *scale_to_zero) {
    static const char *const keys[] = {"sync_period",
                                       "sync_phase",
                                       "tolerance",
                                       "downscale_stabilization",
                                       "cpu_initialization_period",
                                       "initial_readiness_delay",
                                       "feature_gates"};
    static const char *const gates[] = {"HPAScaleToZero", "HPAConfigurableTolerance",
                                        "PodLevelResources"};
    char p[RD_PATH_MAX], d[96];
    const cJSON *m;
    hpa_config_default(&out->controller);
    out->sync_period_us = 15 * INT64_C(1000000);
    out->sync_phase_us = 0;
    *scale_to_zero = 0;
    if (node == NULL)
        return 0;
    if (rd_object(r, node, path, keys, 7, NULL, NULL) < 0)
        return -1;
    if ((m = rd_get(node, "sync_period")) != NULL &&
        rd_duration(r, m, rd_join(p, path, "sync_period"), 0, 1, RD_MAX_TIME_US,
                    &out->sync_period_us) < 0)
        return -1;
    if ((m = rd_get(node, "sync_phase")) != NULL) {
        rd_join(p, path, "sync_phase");
        if (rd_duration(r, m, p, 0, 0, RD_MAX_TIME_US, &out->sync_phase_us) < 0)
            return -1;
        if (out->sync_phase_us >= out->sync_period_us) {
            char a[64], b[64];
            duration_format(out->sync_phase_us, a, sizeof a);
            duration_format(out->sync_period_us, b, sizeof b);
            return rd_fail(r, m, p, "must be less than sync_period (%s), got %s", b, a);
        }
    }
    if ((m = rd_get(node, "tolerance")) != NULL) {
        double t;
        if (rd_number(r, m, rd_join(p, path, "tolerance"), 0, 0, 10, &t) < 0)
            return -1;
        out->controller.tolerance = (hpa_tolerance){t, t};
    }
    if ((m = rd_get(node, "downscale_stabilization")) != NULL &&
        rd_duration(r, m, rd_join(p, path, "downscale_stabilization"), 0, 0, RD_MAX_TIME_US,
                    &out->controller.downscale_window_us) < 0)
        return -1;
    if ((m = rd_get(node, "cpu_initialization_period")) != NULL &&
        rd_duration(r, m, rd_join(p, path, "cpu_initialization_period"), 0, 0, RD_MAX_TIME_US,
                    &out->controller.cpu_init_period_us) < 0)
        return -1;
    if ((m = rd_get(node, "initial_readiness_delay")) != NULL &&
        rd_duration(r, m, rd_join(p, path, "initial_readiness_delay"), 0, 0, RD_MAX_TIME_US,
                    &out->controller.readiness_delay_us) < 0)
        return -1;
    if ((m = rd_get(node, "feature_gates")) != NULL) {
        char gp[RD_PATH_MAX];
        rd_join(gp, path, "feature_gates");
        if (rd_object(r, m, gp, gates, 3, NULL, NULL) < 0)
            return -1;
        int *dst[] = {scale_to_zero, &out->controller.configurable_tolerance,
                      &out->controller.pod_level_requests};
        for (int i = 0; i < 3; i++) {
            const cJSON *g = rd_get(m, gates[i]);
            if (g == NULL)
                continue;
            if (!cJSON_IsBool(g))
                return rd_fail(r, g, rd_join(p, gp, gates[i]), "expected true or false, got %s",
                               rd_describe(g, d, sizeof d));
            *dst[i] = cJSON_IsTrue(g);
        }
    }
    return 0;
}
