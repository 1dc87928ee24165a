/* replay_prom.c: see replay_prom.h. The response shape is Prometheus's HTTP API
 * (prometheus/prometheus v2.x docs/querying/api.md, "Range queries" and "Range vectors": values
 * are [unix_seconds_float, "value string"], the value formatted by Go's strconv.FormatFloat, so
 * NaN and +Inf/-Inf appear as "NaN", "+Inf", "-Inf"); the 5-minute hold is the query engine's
 * default lookback delta (--query.lookback-delta). Series names are kube-state-metrics' (v2.x
 * docs/horizontalpodautoscaler-metrics.md and docs/deployment-metrics.md, later moved under
 * docs/metrics/workload/; v1.x named the HPA series kube_hpa_*, accepted too). */
#include "sim/replay/replay_prom.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOOKBACK_US (300 * INT64_C(1000000))

/* Recording columns: the fixed ones, then one per HPA metric. */
enum { C_DESIRED, C_CURRENT, C_READY, C_TOTAL, C_MIN, C_MAX, C_OFFERED, C_FIXED };
static const char *const col_keys[C_FIXED] = {"desired", "current", "ready",  "total",
                                              "min",     "max",     "offered"};
static const char *const col_csv[C_FIXED] = {"desired_replicas", "current_replicas", "pods_ready",
                                             "pods_total",       "min_replicas",     "max_replicas",
                                             "offered"};
static const char *const col_series[C_FIXED] = {
    "kube_horizontalpodautoscaler_status_desired_replicas",
    "kube_horizontalpodautoscaler_status_current_replicas",
    "kube_deployment_status_replicas_ready",
    "kube_deployment_status_replicas",
    "kube_horizontalpodautoscaler_spec_min_replicas",
    "kube_horizontalpodautoscaler_spec_max_replicas",
    NULL};
/* kube-state-metrics v1.x names */
static const char *const col_series_v1[C_FIXED] = {
    "kube_hpa_status_desired_replicas", "kube_hpa_status_current_replicas", NULL, NULL,
    "kube_hpa_spec_min_replicas",       "kube_hpa_spec_max_replicas",       NULL};

typedef struct sample {
    int64_t t_us;
    double v; /* NAN: no sample (NaN, +Inf, -Inf) */
} sample;

typedef struct series {
    sample *s;
    int n;
    int given;
} series;

static const char *describe(const cJSON *n) {
    if (n == NULL)
        return "nothing";
    if (cJSON_IsString(n))
        return "a string";
    if (cJSON_IsNumber(n))
        return "a number";
    if (cJSON_IsArray(n))
        return "an array";
    if (cJSON_IsObject(n))
        return "an object";
    if (cJSON_IsBool(n))
        return "a boolean";
    return "null";
}

/* Column index for a name: a fixed key, an HPA metric name, or "metric" with one metric. */
static int column_of(const char *name, const char *const *names, int nm) {
    for (int c = 0; c < C_FIXED; c++)
        if (strcmp(name, col_keys[c]) == 0)
            return c;
    for (int m = 0; m < nm; m++)
        if (strcmp(name, names[m]) == 0)
            return C_FIXED + m;
    if (nm == 1 && strcmp(name, "metric") == 0)
        return C_FIXED;
    return -1;
}

static int parse_values(const replay_prom_doc *d, const cJSON *values, int ri, int is_count,
                        series *out, sim_error *err) {
    if (!cJSON_IsArray(values))
        return error_set(err,
                         "%s: data.result[%d].values: expected an array of [time, \"value\"], "
                         "got %s",
                         d->path, ri, describe(values));
    int n = cJSON_GetArraySize(values);
    out->s = malloc((size_t)(n ? n : 1) * sizeof *out->s);
    if (out->s == NULL)
        return error_set(err, "out of memory");
    out->n = 0;
    int j = 0;
    for (const cJSON *p = values->child; p; p = p->next, j++) {
        if (!cJSON_IsArray(p) || cJSON_GetArraySize(p) != 2)
            return error_set(err,
                             "%s: data.result[%d].values[%d]: expected a pair [time, \"value\"], "
                             "got %s",
                             d->path, ri, j, cJSON_IsArray(p) ? "another array" : describe(p));
        const cJSON *t = p->child, *v = p->child->next;
        if (!cJSON_IsNumber(t) || !isfinite(t->valuedouble) || t->valuedouble < 0)
            return error_set(err,
                             "%s: data.result[%d].values[%d][0]: expected a Unix time in seconds, "
                             "got %s",
                             d->path, ri, j, describe(t));
        if (!cJSON_IsString(v))
            return error_set(err,
                             "%s: data.result[%d].values[%d][1]: expected the value as a string "
                             "(\"12.5\"), got %s",
                             d->path, ri, j, describe(v));
        char *end;
        double x = strtod(v->valuestring, &end);
        if (end == v->valuestring || *end != '\0')
            return error_set(err,
                             "%s: data.result[%d].values[%d][1]: expected a number, got \"%.40s\"",
                             d->path, ri, j, v->valuestring);
        if (!isfinite(x))
            x = NAN; /* NaN, +Inf, -Inf: no usable sample */
        if (is_count && !isnan(x) && (x < 0 || x != floor(x) || x > 1e9))
            return error_set(err,
                             "%s: data.result[%d].values[%d][1]: expected a whole replica count, "
                             "got \"%.40s\"",
                             d->path, ri, j, v->valuestring);
        int64_t tu = (int64_t)llround(t->valuedouble * 1e6);
        if (out->n > 0 && tu <= out->s[out->n - 1].t_us)
            return error_set(err,
                             "%s: data.result[%d].values[%d][0]: %.17g is not after the previous "
                             "sample",
                             d->path, ri, j, t->valuedouble);
        out->s[out->n++] = (sample){tu, x};
    }
    return 0;
}

/* Maps one document's series into cols. */
static int read_doc(const replay_prom_doc *d, const char *const *names, int nm, series *cols,
                    sim_error *err) {
    cJSON *root = cJSON_ParseWithLength(d->text, d->len);
    if (root == NULL) {
        const char *at = cJSON_GetErrorPtr();
        long off = at && at >= d->text && at <= d->text + d->len ? (long)(at - d->text) : -1;
        return error_set(err, "%s: not JSON (near byte %ld); expected a query_range response",
                         d->path, off);
    }
    int rc = 0;
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "status");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    const cJSON *rt = cJSON_GetObjectItemCaseSensitive(data, "resultType");
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(data, "result");
    if (!cJSON_IsObject(root)) {
        rc = error_set(err, "%s: expected an object (a query_range response), got %s", d->path,
                       describe(root));
    } else if (!cJSON_IsString(st) || strcmp(st->valuestring, "success") != 0) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
        rc = error_set(err, "%s: status: expected \"success\", got %s%s%s%s", d->path,
                       cJSON_IsString(st) ? "\"" : describe(st),
                       cJSON_IsString(st) ? st->valuestring : "", cJSON_IsString(st) ? "\"" : "",
                       cJSON_IsString(e) ? " (the query failed)" : "");
    } else if (!cJSON_IsObject(data)) {
        rc = error_set(err, "%s: data: expected an object, got %s", d->path, describe(data));
    } else if (!cJSON_IsString(rt) || strcmp(rt->valuestring, "matrix") != 0) {
        rc = error_set(
            err, "%s: data.resultType: expected \"matrix\" (a query_range response), got %s%s%s",
            d->path, cJSON_IsString(rt) ? "\"" : describe(rt),
            cJSON_IsString(rt) ? rt->valuestring : "", cJSON_IsString(rt) ? "\"" : "");
    } else if (!cJSON_IsArray(res)) {
        rc = error_set(err, "%s: data.result: expected an array of series, got %s", d->path,
                       describe(res));
    }
    int fixed = -1;
    if (rc == 0 && d->column) {
        fixed = column_of(d->column, names, nm);
        if (fixed < 0) {
            char known[512] = "desired, current, ready, total, min, max, offered";
            for (int m = 0; m < nm; m++)
                snprintf(known + strlen(known), sizeof known - strlen(known), ", %s", names[m]);
            rc = error_set(err, "--prom %s=%s: unknown column \"%s\"; expected one of %s",
                           d->column, d->path, d->column, known);
        } else if (cJSON_GetArraySize(res) != 1) {
            rc = error_set(err,
                           "%s: data.result: expected one series for column %s, got %d (aggregate "
                           "with sum()/avg() or filter by labels)",
                           d->path, d->column, cJSON_GetArraySize(res));
        }
    }
    int ri = 0;
    for (const cJSON *r = rc == 0 ? res->child : NULL; r && rc == 0; r = r->next, ri++) {
        if (!cJSON_IsObject(r)) {
            rc = error_set(err, "%s: data.result[%d]: expected an object (metric, values), got %s",
                           d->path, ri, describe(r));
            break;
        }
        int c = fixed;
        if (c < 0) {
            const cJSON *metric = cJSON_GetObjectItemCaseSensitive(r, "metric");
            const cJSON *nm_ = cJSON_GetObjectItemCaseSensitive(metric, "__name__");
            if (!cJSON_IsString(nm_)) {
                rc = error_set(err,
                               "%s: data.result[%d].metric.__name__: expected a series name to map "
                               "by, got %s; give --prom COLUMN=%s",
                               d->path, ri, describe(nm_), d->path);
                break;
            }
            for (int k = 0; k < C_FIXED && c < 0; k++)
                if ((col_series[k] && strcmp(nm_->valuestring, col_series[k]) == 0) ||
                    (col_series_v1[k] && strcmp(nm_->valuestring, col_series_v1[k]) == 0))
                    c = k;
            for (int m = 0; m < nm && c < 0; m++)
                if (strcmp(nm_->valuestring, names[m]) == 0)
                    c = C_FIXED + m;
            if (c < 0) {
                rc = error_set(err,
                               "%s: data.result[%d].metric.__name__: \"%.100s\" maps to no "
                               "recording column (docs/replay.md); give --prom COLUMN=%s",
                               d->path, ri, nm_->valuestring, d->path);
                break;
            }
        }
        if (cols[c].given) {
            rc = error_set(err, "%s: data.result[%d]: a second series for column %s", d->path, ri,
                           c < C_FIXED ? col_keys[c] : names[c - C_FIXED]);
            break;
        }
        cols[c].given = 1;
        rc = parse_values(d, cJSON_GetObjectItemCaseSensitive(r, "values"), ri, c < C_OFFERED,
                          &cols[c], err);
    }
    cJSON_Delete(root);
    return rc;
}

static int by_time(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct strbuf {
    char *p;
    size_t len, cap;
} strbuf;

static int sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static int sb_printf(strbuf *b, const char *fmt, ...) {
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return -1;
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return 0;
        }
        size_t cap = b->cap ? b->cap * 2 : 65536;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (q == NULL)
            return -1;
        b->p = q;
        b->cap = cap;
    }
}

char *replay_prom_csv(const replay_prom_doc *docs, int ndocs, const char *const *metric_cols,
                      const char *const *metric_names, int nmetrics, int64_t origin_unix_us,
                      size_t *len, sim_error *err) {
    int ncols = C_FIXED + nmetrics;
    series *cols = calloc((size_t)ncols, sizeof *cols);
    int64_t *grid = NULL;
    strbuf b = {0};
    int rc = cols ? 0 : error_set(err, "out of memory");
    for (int i = 0; rc == 0 && i < ndocs; i++)
        rc = read_doc(&docs[i], metric_names, nmetrics, cols, err);
    if (rc == 0 && !cols[C_DESIRED].given)
        rc = error_set(err, "--prom: no desired-replicas series: give --prom desired=FILE or a "
                            "file with kube_horizontalpodautoscaler_status_desired_replicas");
    for (int m = 0; rc == 0 && m < nmetrics; m++)
        if (!cols[C_FIXED + m].given)
            rc = error_set(err, "--prom: no series for the HPA's metric %s: give --prom %s=FILE",
                           metric_names[m], metric_names[m]);
    size_t ng = 0;
    if (rc == 0) {
        size_t total = 0;
        for (int c = 0; c < ncols; c++)
            total += (size_t)cols[c].n;
        grid = malloc((total ? total : 1) * sizeof *grid);
        if (grid == NULL)
            rc = error_set(err, "out of memory");
        for (int c = 0; rc == 0 && c < ncols; c++)
            for (int k = 0; k < cols[c].n; k++)
                grid[ng++] = cols[c].s[k].t_us;
        if (rc == 0) {
            qsort(grid, ng, sizeof *grid, by_time);
            size_t u = 0;
            for (size_t k = 0; k < ng; k++)
                if (u == 0 || grid[k] != grid[u - 1])
                    grid[u++] = grid[k];
            ng = u;
        }
    }
    if (rc == 0 && cols[C_DESIRED].n == 0)
        rc = error_set(err, "--prom: the desired-replicas series has no samples");
    if (rc == 0) {
        int64_t origin = origin_unix_us != INT64_MIN ? origin_unix_us : cols[C_DESIRED].s[0].t_us;
        int ok = sb_printf(&b, "time_s") == 0;
        for (int c = 0; c < ncols; c++)
            ok = ok &&
                 sb_printf(&b, ",%s", c < C_FIXED ? col_csv[c] : metric_cols[c - C_FIXED]) == 0;
        ok = ok && sb_printf(&b, "\n") == 0;
        int *at = calloc((size_t)ncols, sizeof *at);
        ok = ok && at != NULL;
        for (size_t k = 0; ok && k < ng; k++) {
            int64_t g = grid[k];
            /* the row seen at g is labelled g - 1 s, as the CSV writers label theirs */
            double label = (double)(g - origin) / 1e6 - 1;
            ok = sb_printf(&b, "%.6f", label) == 0;
            for (int c = 0; ok && c < ncols; c++) {
                series *s = &cols[c];
                while (at[c] + 1 < s->n && s->s[at[c] + 1].t_us <= g)
                    at[c]++;
                double v = NAN;
                if (s->n > 0 && s->s[at[c]].t_us <= g && g - s->s[at[c]].t_us <= LOOKBACK_US)
                    v = s->s[at[c]].v;
                if (isnan(v))
                    ok = sb_printf(&b, ",") == 0;
                else if (c < C_OFFERED)
                    ok = sb_printf(&b, ",%.0f", v) == 0;
                else
                    ok = sb_printf(&b, ",%.17g", v) == 0;
            }
            ok = ok && sb_printf(&b, "\n") == 0;
        }
        free(at);
        if (!ok)
            rc = error_set(err, "out of memory");
    }
    for (int c = 0; cols && c < ncols; c++)
        free(cols[c].s);
    free(cols);
    free(grid);
    if (rc < 0) {
        free(b.p);
        return NULL;
    }
    *len = b.len;
    return b.p;
}
