/* tune_space.c: see tune_space.h. */
#include "sim/output/tune_space.h"

#include <stdint.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/duration.h"
#include "common/quantity.h"

static int parse_num(const char *s, size_t len, double *out) {
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    *out = strtod(buf, &end);
    return (*end != '\0' || !isfinite(*out)) ? -1 : 0;
}

int tune_param_parse(const char *text, tune_param *out, sim_error *err) {
    memset(out, 0, sizeof *out);
    const char *eq = strchr(text, '=');
    if (eq == NULL || eq == text)
        return error_set(
            err, "tune: parameter \"%s\": expected PATH=V1,V2,... or PATH=FROM:TO:STEP", text);
    const char *v = eq + 1;
    int n = 0;
    double *vals = NULL;
    const char *dots = strstr(v, "..");
    if (dots != NULL) {
        double lo, hi;
        if (parse_num(v, (size_t)(dots - v), &lo) < 0 ||
            parse_num(dots + 2, strlen(dots + 2), &hi) < 0)
            return error_set(
                err, "tune: parameter \"%s\": the continuous range is not MIN..MAX numbers", text);
        if (!(hi > lo))
            return error_set(err, "tune: parameter \"%s\": needs MAX > MIN", text);
        out->path = strndup(text, (size_t)(eq - text));
        if (out->path == NULL)
            return error_set(err, "out of memory");
        out->continuous = 1;
        out->min = lo;
        out->max = hi;
        /* whole bounds written without '.' or an exponent: an integer parameter */
        out->integer = strcspn(v, ".eE") == (size_t)(dots - v) &&
                       strpbrk(dots + 2, ".eE") == NULL && lo == floor(lo) && hi == floor(hi);
        return 0;
    }
    if (strchr(v, ':') != NULL) {
        const char *c1 = strchr(v, ':'), *c2 = strchr(c1 + 1, ':');
        double from, to, step;
        if (c2 == NULL || parse_num(v, (size_t)(c1 - v), &from) < 0 ||
            parse_num(c1 + 1, (size_t)(c2 - c1 - 1), &to) < 0 ||
            parse_num(c2 + 1, strlen(c2 + 1), &step) < 0)
            return error_set(err, "tune: parameter \"%s\": the range is not FROM:TO:STEP numbers",
                             text);
        if (!(step > 0) || to < from)
            return error_set(err, "tune: parameter \"%s\": needs STEP > 0 and TO >= FROM", text);
        double count = floor((to - from) / step + 1e-9) + 1;
        if (count > TUNE_MAX_VALUES)
            return error_set(err, "tune: parameter \"%s\": more than %d values", text,
                             TUNE_MAX_VALUES);
        n = (int)count;
        vals = malloc((size_t)n * sizeof *vals);
        if (vals == NULL)
            return error_set(err, "out of memory");
        for (int i = 0; i < n; i++)
            vals[i] = from + step * i;
    } else {
        int cap = 1;
        for (const char *p = v; *p; p++)
            cap += *p == ',';
        vals = malloc((size_t)cap * sizeof *vals);
        if (vals == NULL)
            return error_set(err, "out of memory");
        const char *p = v;
        for (;;) {
            const char *c = strchr(p, ',');
            size_t len = c ? (size_t)(c - p) : strlen(p);
            if (parse_num(p, len, &vals[n]) < 0) {
                free(vals);
                return error_set(err, "tune: parameter \"%s\": value %d is not a number", text,
                                 n + 1);
            }
            n++;
            if (c == NULL)
                break;
            p = c + 1;
        }
    }
    out->path = strndup(text, (size_t)(eq - text));
    if (out->path == NULL) {
        free(vals);
        return error_set(err, "out of memory");
    }
    out->values = vals;
    out->nvalues = n;
    return 0;
}

void tune_param_free(tune_param *p) {
    free(p->path);
    free(p->values);
    memset(p, 0, sizeof *p);
}

long tune_grid_size(const tune_param *ps, int n, long max, sim_error *err) {
    long size = 1;
    for (int i = 0; i < n; i++) {
        if (ps[i].continuous || ps[i].nvalues < 1)
            return error_set(err,
                             "tune: %s is a continuous range (MIN..MAX): a grid needs a list or "
                             "FROM:TO:STEP; use --search sobol",
                             ps[i].path);
        if (size > max / ps[i].nvalues)
            return error_set(err, "tune: the grid has more than %ld configurations", max);
        size *= ps[i].nvalues;
    }
    return size;
}

void tune_grid_values(const tune_param *ps, int n, long i, double *values) {
    for (int k = n - 1; k >= 0; k--) {
        values[k] = ps[k].values[i % ps[k].nvalues];
        i /= ps[k].nvalues;
    }
}

/* The shortest of %.15g and %.17g that reads back as x. */
static const char *num_text(double x, char *buf, size_t size) {
    snprintf(buf, size, "%.15g", x);
    if (strtod(buf, NULL) != x)
        snprintf(buf, size, "%.17g", x);
    return buf;
}

int tune_param_text(const tune_param *p, char *buf, size_t size) {
    char a[32], b[32];
    size_t used = (size_t)snprintf(buf, size, "%s=", p->path);
    if (used >= size)
        return -1;
    if (p->continuous) {
        /* a real parameter with whole bounds keeps a '.' so that it reads back as real */
        const char *frac = p->integer ? "" : ".0";
        int whole_lo = p->min == floor(p->min) && fabs(p->min) < 1e15;
        int whole_hi = p->max == floor(p->max) && fabs(p->max) < 1e15;
        used += (size_t)snprintf(buf + used, size - used, "%s%s..%s%s",
                                 num_text(p->min, a, sizeof a), whole_lo ? frac : "",
                                 num_text(p->max, b, sizeof b), whole_hi ? frac : "");
        return used < size ? 0 : -1;
    }
    for (int i = 0; i < p->nvalues; i++) {
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? "," : "",
                                 num_text(p->values[i], a, sizeof a));
        if (used >= size)
            return -1;
    }
    return 0;
}

double tune_param_at(const tune_param *p, double u) {
    if (u < 0)
        u = 0;
    if (p->continuous) {
        double x = p->min + u * (p->max - p->min);
        double lo = p->min, hi = p->max;
        if (p->integer) {
            x = round(x);
            lo = ceil(lo); /* bounds need not be whole: the whole numbers within them */
            hi = floor(hi);
        }
        return x < lo ? lo : x > hi ? hi : x;
    }
    long i = (long)floor(u * p->nvalues);
    return p->values[i >= p->nvalues ? p->nvalues - 1 : i];
}

/* Walks one step of path at *p: a key (up to '.', '[' or the end, copied into key) or an index
 * "[i]" (is_index, index set). Returns the child, NULL when it is not there. */
static cJSON *step(cJSON *node, const char **p, char *key, size_t keysize, int *is_index,
                   long *index) {
    const char *s = *p;
    if (*s == '.')
        s++;
    if (*s == '[') {
        char *end;
        *index = strtol(s + 1, &end, 10);
        if (end == s + 1 || *end != ']' || *index < 0)
            return NULL;
        *is_index = 1;
        *p = end + 1;
        return cJSON_IsArray(node) ? cJSON_GetArrayItem(node, (int)*index) : NULL;
    }
    size_t len = strcspn(s, ".[");
    if (len == 0 || len >= keysize)
        return NULL;
    memcpy(key, s, len);
    key[len] = '\0';
    *is_index = 0;
    *p = s + len;
    return cJSON_IsObject(node) ? cJSON_GetObjectItemCaseSensitive(node, key) : NULL;
}

cJSON *tune_get(cJSON *root, const char *path) {
    const char *p = path;
    cJSON *node = root;
    char key[256];
    while (node && *p) {
        int is_index;
        long index;
        node = step(node, &p, key, sizeof key, &is_index, &index);
    }
    return node;
}

int tune_set(cJSON *root, const char *path, double value, sim_error *err) {
    const char *p = path;
    cJSON *node = root;
    char key[256];
    for (;;) {
        const char *before = p;
        int is_index = 0;
        long index = 0;
        cJSON *child = step(node, &p, key, sizeof key, &is_index, &index);
        if (*p == '\0') {
            cJSON *num = cJSON_CreateNumber(value);
            if (num == NULL)
                return error_set(err, "out of memory");
            if (is_index) {
                if (child == NULL) {
                    cJSON_Delete(num);
                    return error_set(err, "tune: %s: no element %.*s", path, (int)(p - path), path);
                }
                cJSON_ReplaceItemInArray(node, (int)index, num);
            } else if (cJSON_IsObject(node) && *key) {
                if (child)
                    cJSON_ReplaceItemInObjectCaseSensitive(node, key, num);
                else
                    cJSON_AddItemToObject(node, key, num);
            } else {
                cJSON_Delete(num);
                return error_set(err, "tune: %s: \"%.*s\" is not an object", path,
                                 (int)(before - path), path);
            }
            return 0;
        }
        if (child == NULL)
            return error_set(err, "tune: %s: the scenario has no %.*s", path, (int)(p - path),
                             path);
        node = child;
    }
}

int tune_settable(const cJSON *node) {
    if (node == NULL || cJSON_IsNumber(node))
        return 1;
    if (!cJSON_IsString(node))
        return 0;
    int64_t v;
    sim_error e;
    return quantity_parse_milli(node->valuestring, &v, &e) == 0 ||
           duration_parse(node->valuestring, &v, &e) == 0;
}
