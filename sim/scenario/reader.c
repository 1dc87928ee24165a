/* reader.c: typed readers of scenario JSON values with file:line:col errors (see reader.h). */
#include "sim/scenario/reader.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/duration.h"
#include "common/options.h"
#include "common/quantity.h"

static int vfail(const sc_reader *r, size_t off, const char *path, const char *fmt, va_list ap) {
    char what[SIM_ERROR_MAX];
    vsnprintf(what, sizeof what, fmt, ap);
    if (off == JSON_NO_OFFSET)
        off = 0;
    json_pos p = json_pos_of(r->idx->text, r->idx->len, off);
    if (path != NULL && path[0] != '\0')
        return error_set(r->err, "%s:%d:%d: %s: %s", r->file, p.line, p.col, path, what);
    return error_set(r->err, "%s:%d:%d: %s", r->file, p.line, p.col, what);
}

int rd_fail(const sc_reader *r, const cJSON *node, const char *path, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(r, json_value_offset(r->idx, node), path, fmt, ap);
    va_end(ap);
    return rc;
}

int rd_fail_key(const sc_reader *r, const cJSON *node, const char *path, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    size_t off = json_key_offset(r->idx, node);
    if (off == JSON_NO_OFFSET)
        off = json_value_offset(r->idx, node);
    int rc = vfail(r, off, path, fmt, ap);
    va_end(ap);
    return rc;
}

int rd_fail_at(const sc_reader *r, size_t offset, const char *path, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(r, offset, path, fmt, ap);
    va_end(ap);
    return rc;
}

const char *rd_join(char *buf, const char *parent, const char *key) {
    if (parent == NULL || parent[0] == '\0')
        snprintf(buf, RD_PATH_MAX, "%s", key);
    else
        snprintf(buf, RD_PATH_MAX, "%s.%s", parent, key);
    return buf;
}

const char *rd_index(char *buf, const char *parent, size_t i) {
    snprintf(buf, RD_PATH_MAX, "%s[%zu]", parent, i);
    return buf;
}

const char *rd_describe(const cJSON *node, char *buf, size_t size) {
    if (cJSON_IsObject(node))
        snprintf(buf, size, "an object");
    else if (cJSON_IsArray(node))
        snprintf(buf, size, "an array");
    else if (cJSON_IsString(node)) {
        const char *s = node->valuestring;
        if (strlen(s) > 40)
            snprintf(buf, size, "the string \"%.37s...\"", s);
        else
            snprintf(buf, size, "the string \"%s\"", s);
    } else if (cJSON_IsNumber(node))
        snprintf(buf, size, "the number %.15g", node->valuedouble);
    else if (cJSON_IsTrue(node))
        snprintf(buf, size, "true");
    else if (cJSON_IsFalse(node))
        snprintf(buf, size, "false");
    else
        snprintf(buf, size, "null");
    return buf;
}

static int is_transposition(const char *a, const char *b) {
    size_t n = strlen(a);
    if (n != strlen(b) || n < 2)
        return 0;
    size_t i = 0;
    while (i < n && a[i] == b[i])
        i++;
    return i + 1 < n && a[i] == b[i + 1] && a[i + 1] == b[i] && strcmp(a + i + 2, b + i + 2) == 0;
}

const char *rd_closest(const char *word, const char *const *candidates, int ncandidates) {
    const char *guess = opts_closest(word, candidates, ncandidates);
    for (int i = 0; guess == NULL && i < ncandidates; i++)
        if (is_transposition(word, candidates[i]))
            guess = candidates[i];
    return guess;
}

const cJSON *rd_get(const cJSON *obj, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

int rd_object(const sc_reader *r, const cJSON *node, const char *path, const char *const *allowed,
              int nallowed, rd_foreign_fn foreign, const void *foreign_ctx) {
    char d[96], p[RD_PATH_MAX];
    if (!cJSON_IsObject(node))
        return rd_fail(r, node, path, "expected an object, got %s", rd_describe(node, d, sizeof d));
    for (const cJSON *m = node->child; m != NULL; m = m->next) {
        const char *key = m->string;
        rd_join(p, path, key);
        int ok = strcmp(key, "comment") == 0;
        for (int i = 0; !ok && i < nallowed; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (!ok) {
            const char *why = foreign ? foreign(key, foreign_ctx) : NULL;
            if (why != NULL)
                return rd_fail_key(r, m, p, "%s", why);
            const char *guess = rd_closest(key, allowed, nallowed);
            if (guess != NULL)
                return rd_fail_key(r, m, p, "unknown key (did you mean \"%s\"?)", guess);
            char list[512] = "";
            size_t n = 0;
            for (int i = 0; i < nallowed && n < sizeof list; i++)
                n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", allowed[i]);
            return rd_fail_key(r, m, p, "unknown key (expected one of: %s)", list);
        }
        for (const cJSON *prev = node->child; prev != m; prev = prev->next) {
            if (strcmp(prev->string, key) == 0) {
                json_pos first =
                    json_pos_of(r->idx->text, r->idx->len, json_key_offset(r->idx, prev));
                return rd_fail_key(r, m, p, "duplicate key (first given at line %d, column %d)",
                                   first.line, first.col);
            }
        }
        if (strcmp(key, "comment") == 0 && !cJSON_IsString(m))
            return rd_fail(r, m, p, "expected a string, got %s", rd_describe(m, d, sizeof d));
    }
    return 0;
}

int rd_require(const sc_reader *r, const cJSON *obj, const char *path, const char *key,
               const char *why, const cJSON **out) {
    const cJSON *m = rd_get(obj, key);
    if (m == NULL) {
        char p[RD_PATH_MAX];
        return rd_fail(r, obj, rd_join(p, path, key), "missing; %s", why);
    }
    *out = m;
    return 0;
}

int rd_string(const sc_reader *r, const cJSON *node, const char *path, const char **out) {
    char d[96];
    if (!cJSON_IsString(node))
        return rd_fail(r, node, path, "expected a string, got %s", rd_describe(node, d, sizeof d));
    *out = node->valuestring;
    return 0;
}

int rd_name(const sc_reader *r, const cJSON *node, const char *path, char *dst, size_t size) {
    const char *s = NULL;
    if (rd_string(r, node, path, &s) < 0)
        return -1;
    size_t n = strlen(s);
    int ok = n >= 1 && n < size && n <= 63;
    for (size_t i = 0; ok && i < n; i++)
        ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
             (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-';
    if (!ok) {
        char d[96];
        return rd_fail(r, node, path,
                       "expected a name of 1 to 63 letters, digits, '.', '_' or '-', got %s",
                       rd_describe(node, d, sizeof d));
    }
    memcpy(dst, s, n + 1);
    return 0;
}

int rd_enum(const sc_reader *r, const cJSON *node, const char *path, const char *const *names,
            int nnames, int *out) {
    char list[256] = "";
    size_t n = 0;
    for (int i = 0; i < nnames && n < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s\"%s\"", i ? ", " : "", names[i]);
    if (!cJSON_IsString(node)) {
        char d[96];
        return rd_fail(r, node, path, "expected one of %s, got %s", list,
                       rd_describe(node, d, sizeof d));
    }
    for (int i = 0; i < nnames; i++) {
        if (strcmp(node->valuestring, names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    const char *guess = rd_closest(node->valuestring, names, nnames);
    if (guess != NULL)
        return rd_fail(r, node, path, "expected one of %s, got \"%.40s\" (did you mean \"%s\"?)",
                       list, node->valuestring, guess);
    return rd_fail(r, node, path, "expected one of %s, got \"%.40s\"", list, node->valuestring);
}

static int range_fail_double(const sc_reader *r, const cJSON *node, const char *path, double v,
                             double min, int min_excl, double max) {
    if (v < min || (min_excl && v == min)) {
        if (min_excl)
            return rd_fail(r, node, path, "must be greater than %.15g, got %.15g", min, v);
        return rd_fail(r, node, path, "must be at least %.15g, got %.15g", min, v);
    }
    if (v > max)
        return rd_fail(r, node, path, "must be at most %.15g, got %.15g", max, v);
    return 0;
}

int rd_number(const sc_reader *r, const cJSON *node, const char *path, double min, int min_excl,
              double max, double *out) {
    char d[96];
    if (!cJSON_IsNumber(node))
        return rd_fail(r, node, path, "expected a number, got %s", rd_describe(node, d, sizeof d));
    double v = node->valuedouble;
    if (!isfinite(v))
        return rd_fail(r, node, path, "number out of range");
    if (range_fail_double(r, node, path, v, min, min_excl, max) < 0)
        return -1;
    *out = v;
    return 0;
}

int rd_int(const sc_reader *r, const cJSON *node, const char *path, int64_t min, int64_t max,
           int64_t *out) {
    char d[96];
    if (!cJSON_IsNumber(node) || !isfinite(node->valuedouble) ||
        node->valuedouble != floor(node->valuedouble))
        return rd_fail(r, node, path, "expected an integer, got %s",
                       rd_describe(node, d, sizeof d));
    double v = node->valuedouble;
    if (v < (double)min)
        return rd_fail(r, node, path, "must be at least %lld, got %.15g", (long long)min, v);
    if (v > (double)max)
        return rd_fail(r, node, path, "must be at most %lld, got %.15g", (long long)max, v);
    *out = (int64_t)v;
    return 0;
}

int rd_duration(const sc_reader *r, const cJSON *node, const char *path, int64_t min_us,
                int min_excl, int64_t max_us, int64_t *out_us) {
    char d[96];
    sim_error perr;
    int64_t us = 0;
    if (cJSON_IsNumber(node)) {
        if (duration_from_seconds(node->valuedouble, &us, &perr) < 0)
            return rd_fail(r, node, path, "%s", perr.msg);
    } else if (cJSON_IsString(node)) {
        if (duration_parse(node->valuestring, &us, &perr) < 0)
            return rd_fail(r, node, path, "%s", perr.msg);
    } else {
        return rd_fail(r, node, path,
                       "expected a duration (a number of seconds or a string such as \"250ms\", "
                       "\"30s\", \"2m\", \"1h30m\"), got %s",
                       rd_describe(node, d, sizeof d));
    }
    char got[64], lim[64];
    duration_format(us, got, sizeof got);
    if (us < min_us || (min_excl && us == min_us)) {
        if (min_us == 0 && !min_excl)
            return rd_fail(r, node, path, "must not be negative, got %s", got);
        duration_format(min_us, lim, sizeof lim);
        return rd_fail(r, node, path, "must be %s %s, got %s",
                       min_excl ? "greater than" : "at least", lim, got);
    }
    if (us > max_us) {
        duration_format(max_us, lim, sizeof lim);
        return rd_fail(r, node, path, "must be at most %s, got %s", lim, got);
    }
    *out_us = us;
    return 0;
}

/* Shared by rd_cpu and rd_bytes: milli-units from a quantity string or a number of units. */
static int read_milli(const sc_reader *r, const cJSON *node, const char *path, const char *kind,
                      double max_units, int64_t *out_milli) {
    char d[96];
    sim_error qerr;
    int64_t milli = 0;
    if (cJSON_IsNumber(node)) {
        double v = node->valuedouble;
        if (!isfinite(v) || fabs(v) > max_units)
            return rd_fail(r, node, path, "must be at most %.15g, got %.15g", max_units, v);
        milli = (int64_t)ceil(v * 1000.0 - 1e-9);
    } else if (cJSON_IsString(node)) {
        if (quantity_parse_milli(node->valuestring, &milli, &qerr) < 0)
            return rd_fail(r, node, path, "%s", qerr.msg);
        if ((double)milli / 1000.0 > max_units)
            return rd_fail(r, node, path, "quantity \"%s\" is too large", node->valuestring);
    } else {
        return rd_fail(r, node, path, "expected %s, got %s", kind, rd_describe(node, d, sizeof d));
    }
    if (milli < 0) {
        if (cJSON_IsString(node))
            return rd_fail(r, node, path, "must not be negative, got \"%s\"", node->valuestring);
        return rd_fail(r, node, path, "must not be negative, got %.15g", node->valuedouble);
    }
    *out_milli = milli;
    return 0;
}

int rd_cpu(const sc_reader *r, const cJSON *node, const char *path, int64_t *out_milli) {
    return read_milli(r, node, path,
                      "a CPU quantity such as \"500m\" or \"2\", or a number of cores", 1e6,
                      out_milli);
}

int rd_bytes(const sc_reader *r, const cJSON *node, const char *path, int64_t *out_bytes) {
    int64_t milli;
    if (read_milli(r, node, path,
                   "a memory quantity such as \"200Mi\" or \"1Gi\", or a number of bytes",
                   1125899906842624.0 /* 1Pi */, &milli) < 0)
        return -1;
    *out_bytes = milli / 1000 + (milli % 1000 != 0); /* Kubernetes Value() rounds up */
    return 0;
}

const char *rd_resolve(const sc_reader *r, const char *name, char *buf, size_t size) {
    if (name[0] == '/' || r->base_dir == NULL || r->base_dir[0] == '\0')
        snprintf(buf, size, "%s", name);
    else
        snprintf(buf, size, "%s/%s", r->base_dir, name);
    return buf;
}
