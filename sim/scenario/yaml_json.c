/* yaml_json.c: YAML (read with libyaml's document loader) converted to a cJSON tree with the
 * position index of json_pos.h; see yaml_json.h.
 *
 * Scalar typing follows what `kubectl apply -f` does with a manifest: sigs.k8s.io/yaml turns
 * YAML into JSON with go-yaml v2's resolver (gopkg.in/yaml.v2 resolve.go: the YAML 1.1 bool
 * words, integers through strconv.ParseInt(s without '_', 0), floats matching
 * ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$, .inf and .nan). */
#include "sim/scenario/yaml_json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Start offsets of each line as libyaml counts lines. */
typedef struct line_table {
    size_t *start;
    size_t n;
} line_table;

static size_t break_width(const char *s, size_t len, size_t i) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n')
        return 1;
    if (c == '\r')
        return i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
    if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0x85)
        return 2;
    if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9))
        return 3;
    return 0;
}

static size_t text_start(const char *text, size_t len) {
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static int lines_build(line_table *t, const char *text, size_t len) {
    size_t cap = 64;
    t->n = 0;
    t->start = malloc(cap * sizeof *t->start);
    if (t->start == NULL)
        return -1;
    t->start[t->n++] = text_start(text, len);
    for (size_t i = t->start[0]; i < len;) {
        size_t w = break_width(text, len, i);
        if (w == 0) {
            i++;
            continue;
        }
        i += w;
        if (t->n == cap) {
            cap *= 2;
            size_t *s = realloc(t->start, cap * sizeof *s);
            if (s == NULL)
                return -1;
            t->start = s;
        }
        t->start[t->n++] = i;
    }
    return 0;
}

static size_t lines_offset(const line_table *t, const char *text, size_t len, size_t line,
                           size_t column) {
    if (line >= t->n)
        return len;
    size_t i = t->start[line];
    while (column > 0 && i < len && break_width(text, len, i) == 0) {
        i++;
        while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80) /* continuation bytes */
            i++;
        column--;
    }
    return i;
}

size_t yaml_mark_offset(const char *text, size_t len, size_t line, size_t column) {
    line_table t;
    if (lines_build(&t, text, len) < 0) {
        free(t.start);
        return 0;
    }
    size_t off = lines_offset(&t, text, len, line, column);
    free(t.start);
    return off;
}

typedef struct conv {
    const char *text;
    size_t len;
    yaml_document_t *doc;
    json_index *idx;
    line_table lines;
    size_t nodes;
    size_t err_off;
    char *msg;
    size_t msg_size;
} conv;

static int fail(conv *c, const yaml_mark_t *mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(conv *c, const yaml_mark_t *mark, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, c->msg_size, fmt, ap);
    va_end(ap);
    c->err_off = mark ? lines_offset(&c->lines, c->text, c->len, mark->line, mark->column) : 0;
    return -1;
}

static int word_in(const char *s, const char *const *words) {
    for (; *words; words++)
        if (strcmp(s, *words) == 0)
            return 1;
    return 0;
}

static int parse_int(const char *s, double *out) {
    char buf[80];
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '_')
            continue;
        if (n + 1 >= sizeof buf)
            return -1;
        buf[n++] = *p;
    }
    buf[n] = '\0';
    const char *p = buf;
    int neg = 0;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    int base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        base = 16, p += 2;
    else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
        base = 8, p += 2;
    else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
        base = 2, p += 2;
    else if (p[0] == '0' && p[1] != '\0')
        base = 8, p += 1;
    if (*p == '\0' || *p == '+' || *p == '-')
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(p, &end, base);
    if (*end != '\0' || errno != 0 || v > (unsigned long long)INT64_MAX + (unsigned)neg)
        return -1;
    *out = neg ? -(double)v : (double)v;
    return 0;
}

static int is_yaml_float(const char *s) {
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    int digits = 0;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++, digits++;
        if (digits == 0)
            return 0;
    } else {
        while (*p >= '0' && *p <= '9')
            p++, digits++;
        if (digits == 0)
            return 0;
        if (*p == '.') {
            p++;
            while (*p >= '0' && *p <= '9')
                p++;
        }
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

/* A plain scalar as go-yaml v2 resolves it. */
static cJSON *plain_scalar(const char *s) {
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                        "True", "TRUE", "on",  "On",  "ON",  NULL};
    static const char *const falses[] = {"n",     "N",     "no",  "No",  "NO",  "false",
                                         "False", "FALSE", "off", "Off", "OFF", NULL};
    static const char *const infs[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", NULL};
    static const char *const ninfs[] = {"-.inf", "-.Inf", "-.INF", NULL};
    static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
    if (word_in(s, nulls))
        return cJSON_CreateNull();
    if (word_in(s, trues))
        return cJSON_CreateTrue();
    if (word_in(s, falses))
        return cJSON_CreateFalse();
    if (word_in(s, infs))
        return cJSON_CreateNumber(INFINITY);
    if (word_in(s, ninfs))
        return cJSON_CreateNumber(-INFINITY);
    if (word_in(s, nans))
        return cJSON_CreateNumber(NAN);
    if (strchr("+-.0123456789", s[0]) != NULL) {
        double v;
        if (parse_int(s, &v) == 0)
            return cJSON_CreateNumber(v);
        char buf[80];
        size_t n = 0;
        for (const char *p = s; *p && n + 1 < sizeof buf; p++)
            if (*p != '_')
                buf[n++] = *p;
        buf[n] = '\0';
        if (strlen(s) < sizeof buf && is_yaml_float(buf)) {
            errno = 0;
            v = strtod(buf, NULL);
            return cJSON_CreateNumber(v);
        }
    }
    return cJSON_CreateString(s);
}

static cJSON *convert(conv *c, yaml_node_t *node, size_t key_off, int depth);

static int add(conv *c, cJSON *item, yaml_node_t *node, size_t key_off) {
    size_t off =
        lines_offset(&c->lines, c->text, c->len, node->start_mark.line, node->start_mark.column);
    if (json_index_add(c->idx, item, off, key_off) < 0)
        return fail(c, &node->start_mark, "out of memory");
    return 0;
}

static cJSON *convert(conv *c, yaml_node_t *node, size_t key_off, int depth) {
    if (depth > JSON_MAX_DEPTH) {
        fail(c, &node->start_mark, "nesting deeper than %d levels (or a recursive alias)",
             JSON_MAX_DEPTH);
        return NULL;
    }
    if (++c->nodes > YAML_MAX_NODES) {
        fail(c, &node->start_mark, "more than %d values (after expanding aliases)", YAML_MAX_NODES);
        return NULL;
    }
    cJSON *item = NULL;
    switch (node->type) {
    case YAML_SCALAR_NODE: {
        const char *s = (const char *)node->data.scalar.value;
        if (strlen(s) != node->data.scalar.length) {
            fail(c, &node->start_mark, "a NUL character in a scalar is not supported");
            return NULL;
        }
        item = node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? plain_scalar(s)
                                                                  : cJSON_CreateString(s);
        break;
    }
    case YAML_SEQUENCE_NODE:
        item = cJSON_CreateArray();
        break;
    case YAML_MAPPING_NODE:
        item = cJSON_CreateObject();
        break;
    default:
        fail(c, &node->start_mark, "empty node");
        return NULL;
    }
    if (item == NULL) {
        fail(c, &node->start_mark, "out of memory");
        return NULL;
    }
    if (add(c, item, node, key_off) < 0) {
        cJSON_Delete(item);
        return NULL;
    }
    if (node->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = node->data.sequence.items.start;
             it < node->data.sequence.items.top; it++) {
            yaml_node_t *child = yaml_document_get_node(c->doc, *it);
            cJSON *v = child ? convert(c, child, JSON_NO_OFFSET, depth + 1) : NULL;
            if (v == NULL) {
                if (child == NULL)
                    fail(c, &node->start_mark, "internal error: missing sequence item");
                cJSON_Delete(item);
                return NULL;
            }
            cJSON_AddItemToArray(item, v);
        }
    } else if (node->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
            yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
            if (k == NULL || v == NULL) {
                fail(c, &node->start_mark, "internal error: missing mapping pair");
                cJSON_Delete(item);
                return NULL;
            }
            if (k->type != YAML_SCALAR_NODE) {
                fail(c, &k->start_mark, "a mapping key must be a plain string, not a %s",
                     k->type == YAML_MAPPING_NODE ? "mapping" : "sequence");
                cJSON_Delete(item);
                return NULL;
            }
            const char *key = (const char *)k->data.scalar.value;
            if (strlen(key) != k->data.scalar.length) {
                fail(c, &k->start_mark, "a NUL character in a key is not supported");
                cJSON_Delete(item);
                return NULL;
            }
            size_t koff =
                lines_offset(&c->lines, c->text, c->len, k->start_mark.line, k->start_mark.column);
            cJSON *cv = convert(c, v, koff, depth + 1);
            if (cv == NULL) {
                cJSON_Delete(item);
                return NULL;
            }
            /* Duplicates are kept, so the readers report them with both positions. */
            if (!cJSON_AddItemToObject(item, key, cv)) {
                fail(c, &k->start_mark, "out of memory");
                cJSON_Delete(cv);
                cJSON_Delete(item);
                return NULL;
            }
        }
    }
    return item;
}

static void describe_error(yaml_parser_t *p, conv *c) {
    const char *problem = p->problem ? p->problem : "syntax error";
    if (p->error == YAML_MEMORY_ERROR)
        problem = "out of memory";
    const yaml_mark_t *at = &p->problem_mark;
    if (p->context != NULL)
        fail(c, at, "%s (%s that starts at line %zu, column %zu)", problem, p->context,
             p->context_mark.line + 1, p->context_mark.column + 1);
    else if (p->error == YAML_READER_ERROR)
        fail(c, NULL, "%s", problem),
            c->err_off = p->problem_offset < c->len ? p->problem_offset : c->len;
    else
        fail(c, at, "%s", problem);
}

int yaml_parse_indexed(const char *text, size_t len, cJSON **docs, json_index *idx, size_t *err_off,
                       char *msg, size_t msg_size) {
    memset(idx, 0, sizeof *idx);
    idx->text = text;
    idx->len = len;
    *docs = NULL;
    conv c = {text, len, NULL, idx, {NULL, 0}, 0, 0, msg, msg_size};
    yaml_parser_t parser;
    int rc = -1;
    cJSON *all = NULL;
    if (lines_build(&c.lines, text, len) < 0) {
        fail(&c, NULL, "out of memory");
        goto out_nolib;
    }
    if (!yaml_parser_initialize(&parser)) {
        fail(&c, NULL, "out of memory");
        goto out_nolib;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    all = cJSON_CreateArray();
    if (all == NULL) {
        fail(&c, NULL, "out of memory");
        goto out;
    }
    for (;;) {
        yaml_document_t doc;
        if (!yaml_parser_load(&parser, &doc)) {
            describe_error(&parser, &c);
            goto out;
        }
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (root == NULL) { /* the end of the stream */
            yaml_document_delete(&doc);
            break;
        }
        c.doc = &doc;
        cJSON *item = convert(&c, root, JSON_NO_OFFSET, 1);
        yaml_document_delete(&doc);
        if (item == NULL)
            goto out;
        cJSON_AddItemToArray(all, item);
    }
    json_index_sort(idx);
    *docs = all;
    all = NULL;
    rc = 0;
out:
    yaml_parser_delete(&parser);
out_nolib:
    free(c.lines.start);
    cJSON_Delete(all);
    if (rc < 0) {
        *err_off = c.err_off;
        json_index_free(idx);
        idx->text = text;
        idx->len = len;
    }
    return rc;
}
