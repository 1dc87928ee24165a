/* json_pos.c: a strict JSON scanner that records value and key offsets, paired afterwards with
 * the nodes cJSON builds from the same text (see json_pos.h).
 *
 * The scanner accepts a subset of what cJSON 1.7.15 accepts, so that every text it passes
 * parses in cJSON too, node for node: it refuses \u0000 (cJSON's strings are NUL-terminated),
 * unpaired UTF-16 surrogates (cJSON's utf16_literal_to_utf8 fails on them) and numbers longer
 * than 63 characters (cJSON's parse_number copies at most 63). If cJSON still fails, its error
 * offset is reported. */
#include "sim/scenario/json_pos.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct scanner {
    const char *s;
    size_t len, pos;
    json_index *idx;
    size_t err_off;
    char *msg;
    size_t msg_size;
} scanner;

static int fail(scanner *sc, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(scanner *sc, size_t off, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sc->msg, sc->msg_size, fmt, ap);
    va_end(ap);
    sc->err_off = off;
    return -1;
}

static int peek(const scanner *sc) {
    return sc->pos < sc->len ? (unsigned char)sc->s[sc->pos] : -1;
}

static void skip_ws(scanner *sc) {
    while (sc->pos < sc->len) {
        char c = sc->s[sc->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        sc->pos++;
    }
}

static int add_entry(scanner *sc, size_t value_off, size_t key_off) {
    json_index *idx = sc->idx;
    if (idx->n == idx->cap) {
        size_t cap = idx->cap ? idx->cap * 2 : 64;
        json_entry *e = realloc(idx->entries, cap * sizeof *e);
        if (e == NULL)
            return fail(sc, value_off, "out of memory");
        idx->entries = e;
        idx->cap = cap;
    }
    idx->entries[idx->n++] = (json_entry){NULL, value_off, key_off};
    return 0;
}

static void describe_char(int c, char *buf, size_t size) {
    if (c < 0)
        snprintf(buf, size, "the end of the file");
    else if (c >= 0x21 && c < 0x7f)
        snprintf(buf, size, "'%c'", c);
    else
        snprintf(buf, size, "byte 0x%02X", c);
}

static int hex4(const char *p, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static int scan_string(scanner *sc) {
    size_t open = sc->pos++;
    for (;;) {
        if (sc->pos >= sc->len)
            return fail(sc, open, "unterminated string");
        unsigned char c = (unsigned char)sc->s[sc->pos];
        if (c == '"') {
            sc->pos++;
            return 0;
        }
        if (c == '\n')
            return fail(sc, open,
                        "unterminated string (a line break inside a string must be "
                        "written \\n)");
        if (c < 0x20)
            return fail(sc, sc->pos,
                        "control character 0x%02X in a string (write it as an escape such as "
                        "\\t)",
                        c);
        if (c != '\\') {
            sc->pos++;
            continue;
        }
        size_t esc = sc->pos;
        if (sc->pos + 1 >= sc->len)
            return fail(sc, open, "unterminated string");
        char e = sc->s[sc->pos + 1];
        if (strchr("\"\\/bfnrt", e) != NULL && e != '\0') {
            sc->pos += 2;
            continue;
        }
        if (e != 'u') {
            return fail(sc, esc,
                        "invalid escape \\%c in a string (JSON allows \\\" \\\\ \\/ \\b \\f \\n "
                        "\\r \\t \\uXXXX)",
                        e >= 0x21 && e < 0x7f ? e : '?');
        }
        unsigned cp;
        if (sc->pos + 6 > sc->len || hex4(sc->s + sc->pos + 2, &cp) < 0)
            return fail(sc, esc, "\\u must be followed by four hexadecimal digits");
        sc->pos += 6;
        if (cp == 0)
            return fail(sc, esc, "\\u0000 (a NUL character) is not allowed in strings");
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return fail(sc, esc, "unpaired UTF-16 surrogate \\u%04X", cp);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned lo;
            if (sc->pos + 6 > sc->len || sc->s[sc->pos] != '\\' || sc->s[sc->pos + 1] != 'u' ||
                hex4(sc->s + sc->pos + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
                return fail(sc, esc, "unpaired UTF-16 surrogate \\u%04X", cp);
            sc->pos += 6;
        }
    }
}

static int is_digit(int c) {
    return c >= '0' && c <= '9';
}

static int scan_number(scanner *sc) {
    size_t start = sc->pos;
    if (peek(sc) == '-')
        sc->pos++;
    if (peek(sc) == '0') {
        sc->pos++;
        if (is_digit(peek(sc)))
            return fail(sc, start, "invalid number: leading zeros are not allowed in JSON");
    } else if (is_digit(peek(sc))) {
        while (is_digit(peek(sc)))
            sc->pos++;
    } else {
        return fail(sc, start, "invalid number: expected a digit after '-'");
    }
    if (peek(sc) == '.') {
        sc->pos++;
        if (!is_digit(peek(sc)))
            return fail(sc, start, "invalid number: expected a digit after '.'");
        while (is_digit(peek(sc)))
            sc->pos++;
    }
    if (peek(sc) == 'e' || peek(sc) == 'E') {
        sc->pos++;
        if (peek(sc) == '+' || peek(sc) == '-')
            sc->pos++;
        if (!is_digit(peek(sc)))
            return fail(sc, start, "invalid number: expected a digit in the exponent");
        while (is_digit(peek(sc)))
            sc->pos++;
    }
    if (sc->pos - start > 63)
        return fail(sc, start, "number too long (at most 63 characters)");
    return 0;
}

static int scan_value(scanner *sc, size_t key_off, int depth);

static int scan_container(scanner *sc, int depth) {
    char open = sc->s[sc->pos];
    char close = open == '{' ? '}' : ']';
    const char *what = open == '{' ? "member" : "item";
    if (depth >= JSON_MAX_DEPTH)
        return fail(sc, sc->pos, "nesting deeper than %d levels", JSON_MAX_DEPTH);
    sc->pos++;
    skip_ws(sc);
    if (peek(sc) == close) {
        sc->pos++;
        return 0;
    }
    for (;;) {
        size_t key_off = JSON_NO_OFFSET;
        if (open == '{') {
            int c = peek(sc);
            if (c != '"') {
                if (c == '\'')
                    return fail(sc, sc->pos, "strings must use double quotes");
                if (c == '/')
                    return fail(sc, sc->pos,
                                "comments are not allowed in JSON (use a \"comment\" field)");
                char d[32];
                describe_char(c, d, sizeof d);
                return fail(sc, sc->pos, "expected a key in double quotes, got %s", d);
            }
            key_off = sc->pos;
            if (scan_string(sc) < 0)
                return -1;
            skip_ws(sc);
            if (peek(sc) != ':') {
                char d[32];
                describe_char(peek(sc), d, sizeof d);
                return fail(sc, sc->pos, "expected ':' after the key, got %s", d);
            }
            sc->pos++;
        }
        if (scan_value(sc, key_off, depth + 1) < 0)
            return -1;
        skip_ws(sc);
        int c = peek(sc);
        if (c == ',') {
            size_t comma = sc->pos++;
            skip_ws(sc);
            if (peek(sc) == close)
                return fail(sc, comma, "trailing comma before '%c' (JSON does not allow one)",
                            close);
            continue;
        }
        if (c == close) {
            sc->pos++;
            return 0;
        }
        if (c < 0)
            return fail(sc, sc->pos, "unexpected end of file: missing '%c'", close);
        char d[32];
        describe_char(c, d, sizeof d);
        return fail(sc, sc->pos, "expected ',' or '%c' after the %s, got %s%s", close, what, d,
                    c == '"' || c == '{' || c == '[' ? " (a missing comma?)" : "");
    }
}

static int scan_value(scanner *sc, size_t key_off, int depth) {
    skip_ws(sc);
    if (add_entry(sc, sc->pos, key_off) < 0)
        return -1;
    int c = peek(sc);
    static const char *const literals[] = {"true", "false", "null"};
    switch (c) {
    case '{':
    case '[':
        return scan_container(sc, depth);
    case '"':
        return scan_string(sc);
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        return scan_number(sc);
    case 't':
    case 'f':
    case 'n':
        for (int i = 0; i < 3; i++) {
            size_t n = strlen(literals[i]);
            if (literals[i][0] == c && sc->len - sc->pos >= n &&
                memcmp(sc->s + sc->pos, literals[i], n) == 0) {
                sc->pos += n;
                return 0;
            }
        }
        return fail(sc, sc->pos,
                    "invalid literal (expected true, false or null; strings need "
                    "double quotes)");
    case '/':
        return fail(sc, sc->pos, "comments are not allowed in JSON (use a \"comment\" field)");
    case '\'':
        return fail(sc, sc->pos, "strings must use double quotes");
    case -1:
        return fail(sc, sc->pos, "unexpected end of file: expected a value");
    default: {
        char d[32];
        describe_char(c, d, sizeof d);
        return fail(sc, sc->pos,
                    "expected a value (object, array, string, number, true, false "
                    "or null), got %s",
                    d);
    }
    }
}

static size_t attach(json_index *idx, const cJSON *node, size_t k, int depth) {
    if (k == JSON_NO_OFFSET || k >= idx->n || depth > JSON_MAX_DEPTH + 1)
        return JSON_NO_OFFSET;
    idx->entries[k++].node = node;
    for (const cJSON *child = node->child; child != NULL; child = child->next)
        k = attach(idx, child, k, depth + 1);
    return k;
}

static int by_node(const void *a, const void *b) {
    uintptr_t x = (uintptr_t)((const json_entry *)a)->node;
    uintptr_t y = (uintptr_t)((const json_entry *)b)->node;
    return x < y ? -1 : x > y;
}

int json_parse_indexed(const char *text, size_t len, cJSON **root, json_index *idx, size_t *err_off,
                       char *msg, size_t msg_size) {
    memset(idx, 0, sizeof *idx);
    idx->text = text;
    idx->len = len;
    *root = NULL;
    scanner sc = {text, len, 0, idx, 0, msg, msg_size};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) /* cJSON skips a UTF-8 BOM too */
        sc.pos = 3;
    skip_ws(&sc);
    if (sc.pos >= len) {
        fail(&sc, sc.pos, "empty file: expected a JSON object");
        goto bad;
    }
    if (scan_value(&sc, JSON_NO_OFFSET, 0) < 0)
        goto bad;
    skip_ws(&sc);
    if (sc.pos < len) {
        fail(&sc, sc.pos, "unexpected text after the end of the JSON document");
        goto bad;
    }
    const char *end = NULL;
    cJSON *tree = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (tree == NULL) {
        size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
        fail(&sc, off, "invalid JSON (rejected by cJSON)");
        goto bad;
    }
    if (attach(idx, tree, 0, 0) != idx->n) {
        cJSON_Delete(tree);
        fail(&sc, 0, "internal error: cJSON's tree does not match the scanned document");
        goto bad;
    }
    qsort(idx->entries, idx->n, sizeof *idx->entries, by_node);
    *root = tree;
    return 0;
bad:
    *err_off = sc.err_off;
    json_index_free(idx);
    idx->text = text;
    idx->len = len;
    return -1;
}

int json_index_add(json_index *idx, const cJSON *node, size_t value_off, size_t key_off) {
    if (idx->n == idx->cap) {
        size_t cap = idx->cap ? idx->cap * 2 : 64;
        json_entry *e = realloc(idx->entries, cap * sizeof *e);
        if (e == NULL)
            return -1;
        idx->entries = e;
        idx->cap = cap;
    }
    idx->entries[idx->n++] = (json_entry){node, value_off, key_off};
    return 0;
}

void json_index_sort(json_index *idx) {
    if (idx->n > 1)
        qsort(idx->entries, idx->n, sizeof *idx->entries, by_node);
}

void json_index_free(json_index *idx) {
    free(idx->entries);
    idx->entries = NULL;
    idx->n = idx->cap = 0;
}

static const json_entry *find(const json_index *idx, const cJSON *node) {
    if (node == NULL || idx->entries == NULL)
        return NULL;
    json_entry key = {node, 0, 0};
    return bsearch(&key, idx->entries, idx->n, sizeof key, by_node);
}

size_t json_value_offset(const json_index *idx, const cJSON *node) {
    const json_entry *e = find(idx, node);
    return e ? e->value_off : JSON_NO_OFFSET;
}

size_t json_key_offset(const json_index *idx, const cJSON *node) {
    const json_entry *e = find(idx, node);
    return e ? e->key_off : JSON_NO_OFFSET;
}

size_t json_string_offset(const json_index *idx, const cJSON *node, size_t decoded) {
    size_t off = json_value_offset(idx, node);
    if (off == JSON_NO_OFFSET || off >= idx->len || idx->text[off] != '"')
        return off;
    const char *s = idx->text;
    size_t p = off + 1, n = 0;
    while (p < idx->len && s[p] != '"') {
        size_t raw = 1, out = 1;
        if (s[p] == '\\' && p + 1 < idx->len) {
            raw = 2;
            unsigned cp = 0;
            if (s[p + 1] == 'u' && p + 6 <= idx->len && hex4(s + p + 2, &cp) == 0) {
                raw = 6;
                out = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
                if (cp >= 0xD800 && cp <= 0xDBFF) { /* a pair: one 4-byte character */
                    raw = 12;
                    out = 4;
                }
            }
        }
        if (decoded < n + out)
            return p;
        n += out;
        p += raw;
    }
    return p;
}

json_pos json_pos_of(const char *text, size_t len, size_t off) {
    json_pos pos = {1, 1};
    if (off > len)
        off = len;
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = off >= 3 ? 3 : off;
    for (; i < off; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            pos.line++;
            pos.col = 1;
        } else if ((c & 0xC0) != 0x80) { /* count characters, not UTF-8 continuation bytes */
            pos.col++;
        }
    }
    return pos;
}
