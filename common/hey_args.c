/* hey_args.c: hey's command line, read the way hey reads it (see hey_args.h).
 *
 * Sources of the rules reimplemented here:
 *  - rakyll/hey hey.go (commit 8985827, after v0.1.4): the flag set, the defaults, the checks
 *    and their messages ("-n cannot be less than -c.", the -H and -a regular expressions);
 *  - rakyll/hey requester/requester.go: -q paces each worker with time.Tick(1e6/q us);
 *  - Go's flag package (src/flag/flag.go, parseOne): one or two dashes, -flag=value or
 *    -flag value (not for booleans), parsing stops at the first non-flag word or after "--",
 *    and the error texts ("flag provided but not defined: -x");
 *  - Go's strconv ParseInt(s, 0, 64) / ParseFloat / ParseBool for the value syntax. */
#include "common/hey_args.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/duration.h"
#include "common/options.h"

/* ---- shell words ---------------------------------------------------------------------- */

typedef struct word_buf {
    char *s;
    size_t len, cap;
} word_buf;

static int wb_put(word_buf *b, char c) {
    if (b->len + 1 >= b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 32;
        char *s = realloc(b->s, cap);
        if (s == NULL)
            return -1;
        b->s = s;
        b->cap = cap;
    }
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
    return 0;
}

typedef struct word_list {
    char **argv;
    size_t *offsets;
    int argc, cap;
} word_list;

static int wl_push(word_list *l, word_buf *b, size_t offset) {
    if (l->argc + 2 > l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        char **argv = realloc(l->argv, (size_t)cap * sizeof *argv);
        if (argv == NULL)
            return -1;
        l->argv = argv;
        size_t *offs = realloc(l->offsets, (size_t)cap * sizeof *offs);
        if (offs == NULL)
            return -1;
        l->offsets = offs;
        l->cap = cap;
    }
    l->argv[l->argc] = b->s; /* allocated when the word started, even if it stays empty */
    l->offsets[l->argc] = offset;
    l->argc++;
    l->argv[l->argc] = NULL;
    b->s = NULL;
    b->len = b->cap = 0;
    return 0;
}

void hey_shell_free(char **argv, size_t *offsets, int argc) {
    if (argv != NULL)
        for (int i = 0; i < argc; i++)
            free(argv[i]);
    free(argv);
    free(offsets);
}

static int is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int hey_shell_split(const char *line, char ***argv_out, size_t **offsets_out, int *argc_out,
                    size_t *err_offset, sim_error *err) {
    word_list l = {0};
    word_buf b = {0};
    int in_word = 0;
    size_t word_start = 0;
    size_t i = 0, fail_at = 0;
    const char *why = NULL;
    while (line[i] != '\0') {
        char ch = line[i];
        if (!in_word) {
            if (is_blank(ch)) {
                i++;
                continue;
            }
            if (ch == '\\' && line[i + 1] == '\n') { /* line continuation between words */
                i += 2;
                continue;
            }
            if (ch == '#') { /* comment to the end of the line */
                while (line[i] != '\0' && line[i] != '\n')
                    i++;
                continue;
            }
            in_word = 1;
            word_start = i;
            if (wb_put(&b, 'x') < 0) /* allocate now, so that '' gives an empty word */
                goto nomem;
            b.s[b.len = 0] = '\0';
        }
        if (is_blank(ch)) {
            if (wl_push(&l, &b, word_start) < 0)
                goto nomem;
            in_word = 0;
            i++;
            continue;
        }
        if (strchr("|&;<>()", ch) != NULL) {
            fail_at = i;
            why = "shell operators (| & ; < > ( )) are not supported: give one hey command";
            goto fail;
        }
        if (ch == '`' || (ch == '$' && line[i + 1] == '(')) {
            fail_at = i;
            why = "command substitution is not supported: write the value itself";
            goto fail;
        }
        if (ch == '\\') {
            if (line[i + 1] == '\0') {
                fail_at = i;
                why = "the command ends with a lone backslash";
                goto fail;
            }
            if (line[i + 1] != '\n' && wb_put(&b, line[i + 1]) < 0)
                goto nomem;
            i += 2;
            continue;
        }
        if (ch == '\'') {
            size_t open = i++;
            while (line[i] != '\0' && line[i] != '\'') {
                if (wb_put(&b, line[i]) < 0)
                    goto nomem;
                i++;
            }
            if (line[i] == '\0') {
                fail_at = open;
                why = "unterminated single quote";
                goto fail;
            }
            i++;
            continue;
        }
        if (ch == '"') {
            size_t open = i++;
            while (line[i] != '\0' && line[i] != '"') {
                char c = line[i];
                if (c == '`' || (c == '$' && line[i + 1] == '(')) {
                    fail_at = i;
                    why = "command substitution is not supported: write the value itself";
                    goto fail;
                }
                if (c == '\\' && line[i + 1] != '\0' && strchr("$`\"\\\n", line[i + 1]) != NULL) {
                    if (line[i + 1] != '\n' && wb_put(&b, line[i + 1]) < 0)
                        goto nomem;
                    i += 2;
                    continue;
                }
                if (wb_put(&b, c) < 0)
                    goto nomem;
                i++;
            }
            if (line[i] == '\0') {
                fail_at = open;
                why = "unterminated double quote";
                goto fail;
            }
            i++;
            continue;
        }
        if (wb_put(&b, ch) < 0)
            goto nomem;
        i++;
    }
    if (in_word && wl_push(&l, &b, word_start) < 0)
        goto nomem;
    if (l.argv == NULL) { /* no words at all: still hand back a valid empty vector */
        l.argv = calloc(1, sizeof *l.argv);
        l.offsets = calloc(1, sizeof *l.offsets);
        if (l.argv == NULL || l.offsets == NULL)
            goto nomem;
    }
    *argv_out = l.argv;
    *offsets_out = l.offsets;
    *argc_out = l.argc;
    return 0;
nomem:
    fail_at = i;
    why = "out of memory";
fail:
    free(b.s);
    hey_shell_free(l.argv, l.offsets, l.argc);
    if (err_offset)
        *err_offset = fail_at;
    return error_set(err, "%s", why);
}

/* ---- Go value syntax ------------------------------------------------------------------ */

/* strconv's underscoreOK: underscores only between digits (or right after a base prefix). */
static int underscore_ok(const char *s) {
    char saw = '^';
    size_t i = 0;
    if (s[0] == '+' || s[0] == '-')
        s++;
    int hex = 0;
    if (s[0] == '0' && s[1] != '\0' && strchr("bBoOxX", s[1]) != NULL) {
        i = 2;
        saw = '0';
        hex = s[1] == 'x' || s[1] == 'X';
    }
    for (; s[i] != '\0'; i++) {
        char c = s[i];
        if (isdigit((unsigned char)c) || (hex && isxdigit((unsigned char)c))) {
            saw = '0';
            continue;
        }
        if (c == '_') {
            if (saw != '0')
                return 0;
            saw = '_';
            continue;
        }
        if (saw == '_')
            return 0;
        saw = '!';
    }
    return saw != '_';
}

/* Copies s without underscores into buf. */
static int strip_underscores(const char *s, char *buf, size_t size) {
    size_t n = 0;
    for (; *s; s++) {
        if (*s == '_')
            continue;
        if (n + 1 >= size)
            return -1;
        buf[n++] = *s;
    }
    buf[n] = '\0';
    return 0;
}

/* strconv.ParseInt(s, 0, 64). Returns 0, or -1 with *why "parse error" / "value out of range". */
static int go_parse_int(const char *s, int64_t *out, const char **why) {
    *why = "parse error";
    if (*s == '\0' || !underscore_ok(s))
        return -1;
    char buf[128];
    if (strip_underscores(s, buf, sizeof buf) < 0)
        return -1;
    const char *p = buf;
    int neg = 0;
    if (*p == '+' || *p == '-') {
        neg = *p == '-';
        p++;
    }
    int base = 10;
    if (p[0] == '0' && p[1] != '\0') {
        if (p[1] == 'x' || p[1] == 'X')
            base = 16, p += 2;
        else if (p[1] == 'b' || p[1] == 'B')
            base = 2, p += 2;
        else if (p[1] == 'o' || p[1] == 'O')
            base = 8, p += 2;
        else
            base = 8, p += 1;
    }
    if (*p == '\0')
        return -1;
    uint64_t v = 0;
    for (; *p; p++) {
        int d;
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (*p >= 'a' && *p <= 'z')
            d = *p - 'a' + 10;
        else if (*p >= 'A' && *p <= 'Z')
            d = *p - 'A' + 10;
        else
            return -1;
        if (d >= base)
            return -1;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) {
            *why = "value out of range";
            return -1;
        }
        v = v * (uint64_t)base + (uint64_t)d;
    }
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (v > limit) {
        *why = "value out of range";
        return -1;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

/* strconv.ParseFloat(s, 64), except that infinities and NaN are refused (hey would hang or
 * ignore them; see HEY_MAX_QPS). */
static int go_parse_float(const char *s, double *out, const char **why) {
    *why = "parse error";
    if (*s == '\0' || isspace((unsigned char)*s) || !underscore_ok(s))
        return -1;
    char buf[128];
    if (strip_underscores(s, buf, sizeof buf) < 0)
        return -1;
    int hex = strchr(buf, 'x') != NULL || strchr(buf, 'X') != NULL;
    if (hex && strchr(buf, 'p') == NULL && strchr(buf, 'P') == NULL)
        return -1; /* Go requires a p exponent in hexadecimal floats */
    char *end = NULL;
    errno = 0;
    double v = strtod(buf, &end);
    if (end == buf || *end != '\0')
        return -1;
    if (isnan(v) || isinf(v)) {
        *why = errno == ERANGE ? "value out of range" : "not a finite number";
        return -1;
    }
    *out = v;
    return 0;
}

static int go_parse_bool(const char *s, int *out) {
    static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
    for (int i = 0; i < 6; i++) {
        if (strcmp(s, yes[i]) == 0)
            return *out = 1, 0;
        if (strcmp(s, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

/* ---- hey's flag set ------------------------------------------------------------------- */

typedef enum { F_STRING, F_INT, F_FLOAT, F_DURATION, F_BOOL, F_HEADER } flag_type;

enum {
    FL_M,
    FL_H_DEPRECATED,
    FL_D,
    FL_DFILE,
    FL_A,
    FL_T,
    FL_AUTH,
    FL_HOST,
    FL_U,
    FL_O,
    FL_C,
    FL_N,
    FL_Q,
    FL_TIMEOUT,
    FL_Z,
    FL_H2,
    FL_CPUS,
    FL_DISABLE_COMPRESSION,
    FL_DISABLE_KEEPALIVE,
    FL_DISABLE_REDIRECTS,
    FL_X,
    FL_HEADER,
    FL_COUNT
};

static const struct hey_flag {
    const char *name;
    flag_type type;
} hey_flags[FL_COUNT] = {
    [FL_M] = {"m", F_STRING},
    [FL_H_DEPRECATED] = {"h", F_STRING},
    [FL_D] = {"d", F_STRING},
    [FL_DFILE] = {"D", F_STRING},
    [FL_A] = {"A", F_STRING},
    [FL_T] = {"T", F_STRING},
    [FL_AUTH] = {"a", F_STRING},
    [FL_HOST] = {"host", F_STRING},
    [FL_U] = {"U", F_STRING},
    [FL_O] = {"o", F_STRING},
    [FL_C] = {"c", F_INT},
    [FL_N] = {"n", F_INT},
    [FL_Q] = {"q", F_FLOAT},
    [FL_TIMEOUT] = {"t", F_INT},
    [FL_Z] = {"z", F_DURATION},
    [FL_H2] = {"h2", F_BOOL},
    [FL_CPUS] = {"cpus", F_INT},
    [FL_DISABLE_COMPRESSION] = {"disable-compression", F_BOOL},
    [FL_DISABLE_KEEPALIVE] = {"disable-keepalive", F_BOOL},
    [FL_DISABLE_REDIRECTS] = {"disable-redirects", F_BOOL},
    [FL_X] = {"x", F_STRING},
    [FL_HEADER] = {"H", F_HEADER},
};

void hey_args_free(hey_args *a) {
    if (a == NULL)
        return;
    char **strings[] = {&a->method,     &a->url,          &a->body,       &a->body_file,
                        &a->accept,     &a->content_type, &a->basic_auth, &a->host,
                        &a->user_agent, &a->proxy,        &a->output};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        free(*strings[i]);
        *strings[i] = NULL;
    }
    for (size_t i = 0; i < a->n_headers; i++) {
        free(a->headers[i].name);
        free(a->headers[i].value);
    }
    free(a->headers);
    a->headers = NULL;
    a->n_headers = 0;
}

static int set_string(char **dst, const char *value) {
    char *copy = strdup(value);
    if (copy == NULL)
        return -1;
    free(*dst);
    *dst = copy;
    return 0;
}

/* Go's textproto.CanonicalMIMEHeaderKey for a key made of [A-Za-z0-9_-]. */
static void canonical_header(char *key) {
    int upper = 1;
    for (char *p = key; *p; p++) {
        if (upper && *p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
        else if (!upper && *p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
        upper = *p == '-';
    }
}

static int is_re_space(char c) { /* RE2's \s: [\t\n\f\r ] */
    return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

/* Matches hey's headerRegexp `^([\w-]+):\s*(.+)` (RE2: '.' stops at a newline, \s* backs
 * off to leave .+ at least one character). Returns 0 and allocated name/value, or -1. */
static int match_header(const char *s, char **name, char **value) {
    size_t n = 0;
    while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '-')
        n++;
    if (n == 0 || s[n] != ':')
        return -1;
    const char *rest = s + n + 1;
    size_t k = 0;
    while (is_re_space(rest[k]))
        k++;
    for (size_t i = k + 1; i-- > 0;) {
        if (rest[i] != '\0' && rest[i] != '\n') {
            size_t len = strcspn(rest + i, "\n");
            *name = strndup(s, n);
            *value = strndup(rest + i, len);
            if (*name == NULL || *value == NULL) {
                free(*name);
                free(*value);
                return -1;
            }
            canonical_header(*name);
            return 0;
        }
    }
    return -1;
}

/* Matches hey's authRegexp `^(.+):([^\s].+)`. */
static int match_basic_auth(const char *s) {
    size_t first_nl = strcspn(s, "\n");
    for (size_t p = 1; p < first_nl; p++) {
        if (s[p] != ':')
            continue;
        char after = s[p + 1];
        if (after == '\0' || is_re_space(after))
            continue;
        if (s[p + 2] != '\0' && s[p + 2] != '\n')
            return 0;
    }
    return -1;
}

static int add_header(hey_args *a, const char *raw) {
    char *name = NULL, *value = NULL;
    if (match_header(raw, &name, &value) < 0)
        return -1;
    for (size_t i = 0; i < a->n_headers; i++) {
        if (strcmp(a->headers[i].name, name) == 0) { /* http.Header.Set replaces */
            free(a->headers[i].value);
            a->headers[i].value = value;
            free(name);
            return 0;
        }
    }
    hey_header_kv *h = realloc(a->headers, (a->n_headers + 1) * sizeof *h);
    if (h == NULL) {
        free(name);
        free(value);
        return -1;
    }
    a->headers = h;
    a->headers[a->n_headers].name = name;
    a->headers[a->n_headers].value = value;
    a->n_headers++;
    return 0;
}

/* An HTTP method is a token (Go's net/http validMethod). */
static int valid_method(const char *m) {
    if (*m == '\0')
        return 0;
    for (; *m; m++)
        if (!isalnum((unsigned char)*m) && strchr("!#$%&'*+-.^_`|~", *m) == NULL)
            return 0;
    return 1;
}

static int starts_with_ci(const char *s, const char *prefix) {
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Fails at word `word` (argc: after the last word) with a printf-style message. */
#define FAIL(word, ...)                                                                            \
    do {                                                                                           \
        if (bad_word)                                                                              \
            *bad_word = (word);                                                                    \
        error_set(err, __VA_ARGS__);                                                               \
        goto out;                                                                                  \
    } while (0)

int hey_args_parse_argv(int argc, char *const *argv, hey_args *a, int *bad_word, sim_error *err) {
    memset(a, 0, sizeof *a);
    a->n = 200;
    a->c = 50;
    a->t_s = 20;
    int word_of[FL_COUNT]; /* the word of each flag's last occurrence, for error positions */
    for (int f = 0; f < FL_COUNT; f++)
        word_of[f] = -1;
    const char *raw_method = NULL;
    const char **raw_headers = NULL;
    int *raw_header_word = NULL;
    size_t n_raw_headers = 0;
    int rc = -1;
    int i = 0;
    if (set_string(&a->content_type, "text/html") < 0)
        goto nomem;

    while (i < argc) {
        const char *s = argv[i];
        if (strlen(s) < 2 || s[0] != '-')
            break;
        int minuses = 1;
        if (s[1] == '-') {
            minuses = 2;
            if (s[2] == '\0') { /* "--" ends the flags */
                i++;
                break;
            }
        }
        const char *name = s + minuses;
        if (name[0] == '-' || name[0] == '=')
            FAIL(i, "bad flag syntax: %s", s);
        int word = i++;
        char flag_name[64];
        const char *eq = strchr(name + 1, '=');
        const char *value = eq ? eq + 1 : NULL;
        size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
        if (name_len >= sizeof flag_name)
            name_len = sizeof flag_name - 1;
        memcpy(flag_name, name, name_len);
        flag_name[name_len] = '\0';
        int f = 0;
        while (f < FL_COUNT && strcmp(hey_flags[f].name, flag_name) != 0)
            f++;
        if (f == FL_COUNT) {
            if (strcmp(flag_name, "help") == 0)
                FAIL(word, "-help makes hey print its usage and exit: it sends no requests");
            const char *names[FL_COUNT];
            for (int k = 0; k < FL_COUNT; k++)
                names[k] = hey_flags[k].name;
            /* One-letter typos have too many neighbours to guess from. */
            const char *guess =
                strlen(flag_name) > 1 ? opts_closest(flag_name, names, FL_COUNT) : NULL;
            if (guess)
                FAIL(word, "flag provided but not defined: -%s (did you mean -%s?)", flag_name,
                     guess);
            FAIL(word, "flag provided but not defined: -%s", flag_name);
        }
        word_of[f] = word;
        if (hey_flags[f].type == F_BOOL) {
            /* A boolean takes no separate value: "-h2 false" would make "false" the URL. */
            int v = 1;
            if (value && go_parse_bool(value, &v) < 0)
                FAIL(word, "invalid boolean value \"%s\" for -%s: parse error", value, flag_name);
            int *dst = f == FL_H2                    ? &a->h2
                       : f == FL_DISABLE_COMPRESSION ? &a->disable_compression
                       : f == FL_DISABLE_KEEPALIVE   ? &a->disable_keepalive
                                                     : &a->disable_redirects;
            *dst = v;
            continue;
        }
        if (value == NULL) {
            if (i >= argc)
                FAIL(word, "flag needs an argument: -%s", flag_name);
            value = argv[i++];
        }
        const char *why = NULL;
        int64_t iv = 0;
        double dv = 0;
        sim_error derr;
        switch (hey_flags[f].type) {
        case F_INT:
            if (go_parse_int(value, &iv, &why) < 0)
                FAIL(word, "invalid value \"%s\" for flag -%s: %s", value, flag_name, why);
            *(f == FL_C ? &a->c : f == FL_N ? &a->n : f == FL_TIMEOUT ? &a->t_s : &a->cpus) = iv;
            break;
        case F_FLOAT:
            if (go_parse_float(value, &dv, &why) < 0)
                FAIL(word, "invalid value \"%s\" for flag -%s: %s", value, flag_name, why);
            a->q = dv;
            break;
        case F_DURATION:
            if (duration_parse(value, &iv, &derr) < 0)
                FAIL(word, "invalid value \"%s\" for flag -%s: parse error (%s)", value, flag_name,
                     derr.msg);
            a->z_us = iv;
            break;
        case F_HEADER: {
            const char **h = realloc(raw_headers, (n_raw_headers + 1) * sizeof *h);
            if (h == NULL)
                goto nomem;
            raw_headers = h;
            int *w = realloc(raw_header_word, (n_raw_headers + 1) * sizeof *w);
            if (w == NULL)
                goto nomem;
            raw_header_word = w;
            raw_headers[n_raw_headers] = value;
            raw_header_word[n_raw_headers++] = word;
            break;
        }
        default: {
            if (f == FL_M) {
                raw_method = value;
                break;
            }
            if (f == FL_H_DEPRECATED) {
                /* hey objects to -h only when it is non-empty, after its other checks. */
                if (value[0] == '\0')
                    word_of[f] = -1;
                break;
            }
            char **dst = f == FL_D       ? &a->body
                         : f == FL_DFILE ? &a->body_file
                         : f == FL_A     ? &a->accept
                         : f == FL_T     ? &a->content_type
                         : f == FL_AUTH  ? &a->basic_auth
                         : f == FL_HOST  ? &a->host
                         : f == FL_U     ? &a->user_agent
                         : f == FL_O     ? &a->output
                                         : &a->proxy;
            if (set_string(dst, value) < 0)
                goto nomem;
            break;
        }
        }
    }

    /* flag.NArg() < 1: hey prints its usage and exits. */
    if (i >= argc)
        FAIL(argc, "missing URL: hey needs the URL after the flags (hey [options...] <url>)");
    int url_word = i;
    /* hey silently ignores everything after the URL (Go's flag package stops at the first
     * non-flag word); a flag there is almost surely meant to count, so say so. */
    if (i + 1 < argc)
        FAIL(i + 1,
             "\"%s\" comes after the URL, where hey ignores it (Go's flag package stops at the "
             "first non-flag argument); move it before the URL",
             argv[i + 1]);
    if (a->z_us > 0) {
        if (a->c <= 0)
            FAIL(word_of[FL_C], "-c cannot be smaller than 1.");
    } else {
        if (a->n <= 0 || a->c <= 0)
            FAIL(a->n <= 0 ? word_of[FL_N] : word_of[FL_C], "-n and -c cannot be smaller than 1.");
        if (a->n < a->c)
            FAIL(word_of[FL_N] >= 0 ? word_of[FL_N] : word_of[FL_C], "-n cannot be less than -c.");
    }
    if (word_of[FL_H_DEPRECATED] >= 0)
        FAIL(word_of[FL_H_DEPRECATED], "Flag '-h' is deprecated, please use '-H' instead.");
    for (size_t h = 0; h < n_raw_headers; h++)
        if (add_header(a, raw_headers[h]) < 0)
            FAIL(raw_header_word[h],
                 "could not parse the provided input; input = %s (-H wants \"Name: value\")",
                 raw_headers[h]);
    /* hey sets Content-Type from -T first, so a -H Content-Type wins. */
    for (size_t h = 0; h < a->n_headers; h++)
        if (strcmp(a->headers[h].name, "Content-Type") == 0 &&
            set_string(&a->content_type, a->headers[h].value) < 0)
            goto nomem;
    if (a->basic_auth != NULL && a->basic_auth[0] != '\0' && match_basic_auth(a->basic_auth) < 0)
        FAIL(word_of[FL_AUTH],
             "could not parse the provided input; input = %s (-a wants \"user:password\")",
             a->basic_auth);
    /* http.NewRequest: an empty method means GET; otherwise it must be a token. */
    if (raw_method == NULL || raw_method[0] == '\0')
        raw_method = "GET";
    if (set_string(&a->method, raw_method) < 0)
        goto nomem;
    for (char *p = a->method; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    if (!valid_method(a->method))
        FAIL(word_of[FL_M], "net/http: invalid method \"%s\"", a->method);
    const char *url = argv[url_word];
    /* A $VARIABLE is kept as written: the simulator never connects, so it need not expand. */
    if (!starts_with_ci(url, "http://") && !starts_with_ci(url, "https://") && url[0] != '$')
        FAIL(url_word, "URL \"%s\" must start with http:// or https:// (hey sends nothing else)",
             url);
    if (set_string(&a->url, url) < 0)
        goto nomem;
    /* Beyond these, hey itself cannot do what was asked. */
    if (a->q > HEY_MAX_QPS)
        FAIL(word_of[FL_Q],
             "-q %g is above 1000000: hey paces each worker with a ticker of "
             "time.Duration(1e6/q) microseconds, which truncates to 0, and then never sends",
             a->q);
    if (a->t_s > 1000000000)
        FAIL(word_of[FL_TIMEOUT], "-t %lld seconds is out of range (hey's time.Duration overflows)",
             (long long)a->t_s);
    if (a->c > HEY_MAX_WORKERS)
        FAIL(word_of[FL_C], "-c %lld is above the %d workers scalesim simulates", (long long)a->c,
             HEY_MAX_WORKERS);
    rc = 0;
    goto out;
nomem:
    error_set(err, "out of memory");
    if (bad_word)
        *bad_word = i < argc ? i : argc;
out:
    free(raw_headers);
    free(raw_header_word);
    if (rc < 0)
        hey_args_free(a);
    return rc;
}

int hey_args_parse_command(const char *command, hey_args *out, size_t *err_offset, sim_error *err) {
    char **argv = NULL;
    size_t *offsets = NULL;
    int argc = 0;
    memset(out, 0, sizeof *out);
    if (hey_shell_split(command, &argv, &offsets, &argc, err_offset, err) < 0)
        return -1;
    int first = 0;
    int rc = -1;
    if (argc == 0) {
        if (err_offset)
            *err_offset = 0;
        error_set(err, "empty command: expected a hey command line such as \"hey -z 2m -c 20 "
                       "http://host/\"");
        goto done;
    }
    if (argv[0][0] != '-') {
        const char *base = strrchr(argv[0], '/');
        base = base ? base + 1 : argv[0];
        if (strncmp(base, "hey", 3) != 0) {
            if (err_offset)
                *err_offset = offsets[0];
            error_set(err, "expected a hey command line starting with \"hey\", got \"%s\"",
                      argv[0]);
            goto done;
        }
        first = 1;
    }
    int bad = -1;
    if (hey_args_parse_argv(argc - first, argv + first, out, &bad, err) < 0) {
        if (err_offset) {
            int w = bad < 0 ? argc : bad + first;
            *err_offset = w < argc ? offsets[w] : strlen(command);
        }
        goto done;
    }
    rc = 0;
done:
    hey_shell_free(argv, offsets, argc);
    return rc;
}
