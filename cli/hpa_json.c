/* hpa_json.c: exact-number JSON reading and path-aware accessors; see hpa_json.h. */
#include "cli/hpa_json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hjson_pathf(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

/* Reads a whole file into a NUL-terminated heap buffer (hjson_load). */
static char *read_file(const char *path, size_t *len, sim_error *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        error_set(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        cap *= 2;
        char *nb = realloc(buf, cap);
        if (nb == NULL)
            free(buf);
        buf = nb;
    }
    int bad = ferror(f);
    fclose(f);
    if (buf == NULL || bad) {
        free(buf);
        error_set(err, "%s: cannot read the file", path);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The number tokens of a JSON text in document order (strings skipped with their escapes). */
typedef struct token {
    size_t at, len;
} token;

static token *number_tokens(const char *s, size_t len, size_t *count) {
    size_t cap = 256, n = 0;
    token *t = malloc(cap * sizeof *t);
    for (size_t i = 0; t != NULL && i < len; i++) {
        char c = s[i];
        if (c == '"') {
            for (i++; i < len && s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t j = i;
            while (j < len && strchr("+-0123456789.eE", s[j]) != NULL && s[j] != '\0')
                j++;
            if (n == cap) {
                cap *= 2;
                token *nt = realloc(t, cap * sizeof *t);
                if (nt == NULL)
                    free(t);
                t = nt;
                if (t == NULL)
                    break;
            }
            t[n++] = (token){i, j - i};
            i = j - 1;
        }
    }
    *count = n;
    return t;
}

/* Gives every number node its literal, in the same (document) order cJSON built them. */
static int attach(cJSON *node, const char *text, const token *t, size_t nt, size_t *next) {
    for (; node != NULL; node = node->next) {
        if (cJSON_IsNumber(node)) {
            if (*next >= nt)
                return -1;
            node->valuestring = strndup(text + t[*next].at, t[*next].len);
            if (node->valuestring == NULL)
                return -1;
            (*next)++;
        }
        if (node->child != NULL && attach(node->child, text, t, nt, next) < 0)
            return -1;
    }
    return 0;
}

cJSON *hjson_parse(const char *file, const char *text, size_t len, sim_error *err) {
    const char *end = NULL;
    cJSON *root =
        cJSON_ParseWithLengthOpts(text, len + 1, &end, 1); /* len + 1: cJSON wants the NUL inside */
    if (root == NULL) {
        const char *at = end ? end : cJSON_GetErrorPtr();
        if (at == NULL || at < text || at > text + len)
            at = text;
        int line = 1, col = 1;
        for (const char *p = text; p < at; p++, col++)
            if (*p == '\n')
                line++, col = 0;
        error_set(err, "%s:%d:%d: invalid JSON", file, line, col);
        return NULL;
    }
    size_t nt = 0, next = 0;
    token *t = number_tokens(text, len, &nt);
    if (t == NULL || attach(root, text, t, nt, &next) < 0 || next != nt) {
        free(t);
        cJSON_Delete(root);
        error_set(err, "%s: could not map the numbers of the file onto its structure", file);
        return NULL;
    }
    free(t);
    return root;
}

int hjson_number_int64(const cJSON *node, int64_t *out) {
    if (!cJSON_IsNumber(node) || node->valuestring == NULL)
        return -1;
    const char *s = node->valuestring;
    if (strpbrk(s, ".eE") != NULL) {
        /* 3.0 or 1e3 are integers too, as long as a double holds them exactly. */
        double d = node->valuedouble;
        if (d != floor(d) || fabs(d) > 9007199254740992.0)
            return -1;
        *out = (int64_t)d;
        return 0;
    }
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

int hjson_equal(const cJSON *got, const cJSON *expect) {
    if (got == NULL || expect == NULL)
        return got == expect;
    if (cJSON_IsNumber(expect)) {
        if (!cJSON_IsNumber(got))
            return 0;
        int64_t a, b;
        if (hjson_number_int64(got, &a) == 0 && hjson_number_int64(expect, &b) == 0)
            return a == b;
        return got->valuedouble == expect->valuedouble;
    }
    if (cJSON_IsString(expect))
        return cJSON_IsString(got) && strcmp(got->valuestring, expect->valuestring) == 0;
    if (cJSON_IsBool(expect))
        return cJSON_IsBool(got) && cJSON_IsTrue(got) == cJSON_IsTrue(expect);
    if (cJSON_IsNull(expect))
        return cJSON_IsNull(got);
    if (cJSON_IsArray(expect)) {
        if (!cJSON_IsArray(got) || cJSON_GetArraySize(got) != cJSON_GetArraySize(expect))
            return 0;
        for (const cJSON *g = got->child, *e = expect->child; e; g = g->next, e = e->next)
            if (!hjson_equal(g, e))
                return 0;
        return 1;
    }
    if (cJSON_IsObject(expect)) {
        if (!cJSON_IsObject(got) || cJSON_GetArraySize(got) != cJSON_GetArraySize(expect))
            return 0;
        for (const cJSON *e = expect->child; e; e = e->next) {
            const cJSON *g = cJSON_GetObjectItemCaseSensitive(got, e->string);
            if (g == NULL)
                return 0;
            if (strcmp(e->string, "error_contains") == 0 && cJSON_IsString(e)) {
                if (!cJSON_IsString(g) || strstr(g->valuestring, e->valuestring) == NULL)
                    return 0;
            } else if (!hjson_equal(g, e)) {
                return 0;
            }
        }
        return 1;
    }
    return 0;
}

int hjson_fail(hjson_reader *r, const char *path, const char *fmt, ...) {
    char msg[SIM_ERROR_MAX / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->case_id >= 0)
        return error_set(r->err, "%s: case %ld: %s: %s", r->file, r->case_id, path, msg);
    return error_set(r->err, "%s: %s: %s", r->file, path, msg);
}

const cJSON *hjson_get(const cJSON *obj, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return v == NULL || cJSON_IsNull(v) ? NULL : v;
}

static const char *kind_of(const cJSON *v) {
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    return "null";
}

/* Looks key up; 1 when present, 0 when absent/null (an error if required), -1 on error. */
static int lookup(hjson_reader *r, const cJSON *obj, const char *path, const char *key,
                  int required, const cJSON **v, char *full, size_t fullsize) {
    snprintf(full, fullsize, "%s%s%s", path, path[0] ? "." : "", key);
    *v = hjson_get(obj, key);
    if (*v == NULL && required)
        return hjson_fail(r, full, "missing (required)");
    return *v != NULL;
}

/* lookup, then the kind: 1 with *v of that kind, 0 when absent or null, -1 on error ("expected
 * WHAT, got KIND"). *present (when not NULL): whether the key is there at all. */
static int lookup_kind(hjson_reader *r, const cJSON *obj, const char *path, const char *key,
                       int required, cJSON_bool (*is)(const cJSON *), const char *what,
                       const cJSON **v, int *present) {
    char full[512];
    int rc = lookup(r, obj, path, key, required, v, full, sizeof full);
    if (present)
        *present = rc == 1;
    if (rc <= 0)
        return rc;
    if (!is(*v))
        return hjson_fail(r, full, "expected %s, got %s", what, kind_of(*v));
    return 1;
}

int hjson_int64(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
                int64_t *out, int *present) {
    const cJSON *v;
    char full[512];
    int rc = lookup(r, obj, path, key, required, &v, full, sizeof full);
    if (present)
        *present = rc == 1;
    if (rc <= 0)
        return rc;
    if (hjson_number_int64(v, out) < 0)
        return hjson_fail(r, full, "expected an integer in int64 range, got %s%s%s", kind_of(v),
                          cJSON_IsNumber(v) ? " " : "", cJSON_IsNumber(v) ? v->valuestring : "");
    return 1;
}

int hjson_int32(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
                int32_t *out, int *present) {
    int64_t v = 0;
    int rc = hjson_int64(r, obj, path, key, required, &v, present);
    if (rc <= 0)
        return rc;
    if (v < INT32_MIN || v > INT32_MAX) {
        char full[512];
        PATHF(full, "%s%s%s", path, path[0] ? "." : "", key);
        return hjson_fail(r, full, "expected an int32, got %lld", (long long)v);
    }
    *out = (int32_t)v;
    return 1;
}

int hjson_double(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
                 double *out, int *present) {
    const cJSON *v;
    int rc = lookup_kind(r, obj, path, key, required, cJSON_IsNumber, "a number", &v, present);
    if (rc <= 0)
        return rc;
    *out = v->valuedouble;
    return 1;
}

int hjson_bool(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
               int *out, int *present) {
    const cJSON *v;
    int rc = lookup_kind(r, obj, path, key, required, cJSON_IsBool, "true or false", &v, present);
    if (rc <= 0)
        return rc;
    *out = cJSON_IsTrue(v);
    return 1;
}

int hjson_string(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
                 const char **out) {
    const cJSON *v;
    int rc = lookup_kind(r, obj, path, key, required, cJSON_IsString, "a string", &v, NULL);
    if (rc <= 0)
        return rc;
    *out = v->valuestring;
    return 1;
}

int hjson_enum(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
               const char *const *choices, int *out, int *present) {
    const char *s = NULL;
    int rc = hjson_string(r, obj, path, key, required, &s);
    if (present)
        *present = rc == 1;
    if (rc <= 0)
        return rc;
    for (int i = 0; choices[i] != NULL; i++) {
        if (strcmp(choices[i], s) == 0) {
            *out = i;
            return 1;
        }
    }
    char list[256] = "";
    for (int i = 0; choices[i] != NULL; i++) {
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, "%s\"%s\"", i ? ", " : "", choices[i]);
    }
    char full[512];
    PATHF(full, "%s%s%s", path, path[0] ? "." : "", key);
    return hjson_fail(r, full, "expected one of %s, got \"%s\"", list, s);
}

int hjson_array(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
                const cJSON **out) {
    const cJSON *v;
    *out = NULL;
    int rc = lookup_kind(r, obj, path, key, required, cJSON_IsArray, "an array", &v, NULL);
    if (rc <= 0)
        return rc;
    *out = v;
    return 1;
}

int hjson_object(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
                 const cJSON **out) {
    const cJSON *v;
    *out = NULL;
    int rc = lookup_kind(r, obj, path, key, required, cJSON_IsObject, "an object", &v, NULL);
    if (rc <= 0)
        return rc;
    *out = v;
    return 1;
}

cJSON *hjson_load(const char *path, sim_error *err) {
    size_t len;
    char *text = read_file(path, &len, err);
    if (text == NULL)
        return NULL;
    cJSON *root = hjson_parse(path, text, len, err);
    free(text);
    return root;
}
