/* check_data.c: see check_data.h. */
#include "sim/output/check_data.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/duration.h"

#define MAX_FILE_BYTES (1u << 30)
#define MAX_COLUMNS    4096

char *check_read_file(const char *path, size_t *len, int *missing, sim_error *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        if (errno == ENOENT && missing != NULL) {
            *missing = 1;
            return NULL;
        }
        error_set(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        if (n + 1 >= cap) {
            if (cap >= MAX_FILE_BYTES) {
                free(buf);
                fclose(f);
                error_set(err, "%s: larger than %u MiB", path, MAX_FILE_BYTES >> 20);
                return NULL;
            }
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (buf == NULL) {
        error_set(err, "%s: out of memory", path);
        return NULL;
    }
    if (bad) {
        free(buf);
        error_set(err, "%s: cannot read", path);
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

void check_table_free(check_table *t) {
    for (size_t i = 0; i < t->ncols; i++) {
        if (t->names)
            free(t->names[i]);
        if (t->cols)
            free(t->cols[i]);
    }
    free(t->names);
    free(t->cols);
    memset(t, 0, sizeof *t);
}

int check_table_col(const check_table *t, const char *name) {
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->names[i], name) == 0)
            return (int)i;
    return -1;
}

/* The next line of text[*pos..len): start and length without the line end; 0 at the end. */
static int next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *n) {
    if (*pos >= len)
        return 0;
    const char *s = text + *pos;
    const char *nl = memchr(s, '\n', len - *pos);
    size_t l = nl ? (size_t)(nl - s) : len - *pos;
    *pos += l + (nl ? 1 : 0);
    if (l > 0 && s[l - 1] == '\r')
        l--;
    *line = s;
    *n = l;
    return 1;
}

static int table_fail(check_table *t, sim_error *err, const char *name, int line, const char *what,
                      const char *field, size_t flen) {
    check_table_free(t);
    if (field)
        return error_set(err, "%s:%d: %s, got \"%.*s\"", name, line, what,
                         (int)(flen > 40 ? 40 : flen), field);
    return error_set(err, "%s:%d: %s", name, line, what);
}

int check_table_parse(const char *text, size_t len, const char *name, check_table *out,
                      sim_error *err) {
    memset(out, 0, sizeof *out);
    size_t pos = 0, n;
    const char *line;
    int lineno = 1;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    if (!next_line(text, len, &pos, &line, &n) || n == 0)
        return error_set(err, "%s:1: expected a header row of column names", name);
    /* Header. */
    size_t ncols = 1;
    for (size_t i = 0; i < n; i++)
        ncols += line[i] == ',';
    if (ncols > MAX_COLUMNS)
        return error_set(err, "%s:1: more than %d columns", name, MAX_COLUMNS);
    out->names = calloc(ncols, sizeof *out->names);
    out->cols = calloc(ncols, sizeof *out->cols);
    if (out->names == NULL || out->cols == NULL)
        return table_fail(out, err, name, 1, "out of memory", NULL, 0);
    out->ncols = ncols;
    for (size_t c = 0, start = 0; c < ncols; c++) {
        size_t end = start;
        while (end < n && line[end] != ',')
            end++;
        size_t a = start, b = end;
        while (a < b && (line[a] == ' ' || line[a] == '\t'))
            a++;
        while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t'))
            b--;
        if (a == b)
            return table_fail(out, err, name, 1, "empty column name in the header", NULL, 0);
        out->names[c] = strndup(line + a, b - a);
        if (out->names[c] == NULL)
            return table_fail(out, err, name, 1, "out of memory", NULL, 0);
        for (size_t k = 0; k < c; k++)
            if (strcmp(out->names[k], out->names[c]) == 0) {
                char what[160];
                snprintf(what, sizeof what, "duplicate column name \"%.100s\"", out->names[c]);
                return table_fail(out, err, name, 1, what, NULL, 0);
            }
        start = end + 1;
    }
    /* Rows. */
    size_t cap = 0;
    while (next_line(text, len, &pos, &line, &n)) {
        lineno++;
        if (n == 0)
            continue;
        if (out->nrows == cap) {
            cap = cap ? cap * 2 : 256;
            for (size_t c = 0; c < ncols; c++) {
                double *nc = realloc(out->cols[c], cap * sizeof(double));
                if (nc == NULL)
                    return table_fail(out, err, name, lineno, "out of memory", NULL, 0);
                out->cols[c] = nc;
            }
        }
        size_t start = 0;
        for (size_t c = 0; c < ncols; c++) {
            if (start > n)
                return table_fail(out, err, name, lineno,
                                  "fewer fields than the header has columns", NULL, 0);
            size_t end = start;
            while (end < n && line[end] != ',')
                end++;
            char buf[64];
            size_t a = start, b = end;
            while (a < b && (line[a] == ' ' || line[a] == '\t'))
                a++;
            while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t'))
                b--;
            double v = NAN;
            if (b > a) {
                if (b - a >= sizeof buf)
                    return table_fail(out, err, name, lineno, "expected a number", line + a, b - a);
                memcpy(buf, line + a, b - a);
                buf[b - a] = '\0';
                char *e = NULL;
                v = strtod(buf, &e);
                if (*e != '\0' || !isfinite(v)) {
                    char what[160];
                    snprintf(what, sizeof what, "column %s: expected a number", out->names[c]);
                    return table_fail(out, err, name, lineno, what, line + a, b - a);
                }
            }
            out->cols[c][out->nrows] = v;
            start = end + 1;
        }
        if (start <= n)
            return table_fail(out, err, name, lineno, "more fields than the header has columns",
                              NULL, 0);
        out->nrows++;
    }
    return 0;
}

int check_table_load(const char *path, check_table *out, sim_error *err) {
    size_t len;
    memset(out, 0, sizeof *out);
    char *text = check_read_file(path, &len, NULL, err);
    if (text == NULL)
        return -1;
    int rc = check_table_parse(text, len, path, out, err);
    free(text);
    return rc;
}

/* A time in an event line: a Go duration ("1m30s", "t=90s"), or h:mm:ss. */
static int64_t token_time(const char *tok) {
    if (strncmp(tok, "t=", 2) == 0)
        tok += 2;
    int64_t us;
    if (tok[0] >= '0' && tok[0] <= '9' && duration_parse(tok, &us, NULL) == 0 && us >= 0)
        return us;
    int h, m, s, used = 0;
    if (sscanf(tok, "%d:%d:%d%n", &h, &m, &s, &used) == 3 && tok[used] == '\0' && h >= 0 &&
        m >= 0 && m < 60 && s >= 0 && s < 60)
        return ((int64_t)h * 3600 + m * 60 + s) * 1000000;
    return -1;
}

int check_events_parse(const char *text, size_t len, check_event **out, size_t *n_out,
                       sim_error *err) {
    *out = NULL;
    *n_out = 0;
    size_t pos = 0, n, cap = 0;
    const char *line;
    while (next_line(text, len, &pos, &line, &n)) {
        char buf[1024];
        if (n >= sizeof buf)
            n = sizeof buf - 1;
        memcpy(buf, line, n);
        buf[n] = '\0';
        if (strstr(buf, "SuccessfulRescale") == NULL)
            continue;
        check_event ev = {-1, -1};
        const char *ns = strstr(buf, "New size: ");
        if (ns)
            ev.new_size = atoi(ns + 10);
        /* The event's time is the first token that reads as a time, before the message: the
         * simulated timestamp, which comes before kubectl's Age column. */
        char *reason = strstr(buf, "SuccessfulRescale");
        memset(reason, ' ', strlen("SuccessfulRescale"));
        char *msg = strstr(buf, "horizontal-pod-autoscaler");
        if (msg == NULL)
            msg = strstr(buf, "New size");
        if (msg != NULL)
            *msg = '\0';
        for (char *save = NULL, *tok = strtok_r(buf, " \t", &save); tok;
             tok = strtok_r(NULL, " \t", &save)) {
            int64_t t = token_time(tok);
            if (t >= 0) {
                ev.t_us = t;
                break;
            }
        }
        if (*n_out == cap) {
            cap = cap ? cap * 2 : 16;
            check_event *ne = realloc(*out, cap * sizeof *ne);
            if (ne == NULL) {
                free(*out);
                *out = NULL;
                *n_out = 0;
                return error_set(err, "events.log: out of memory");
            }
            *out = ne;
        }
        (*out)[(*n_out)++] = ev;
    }
    return 0;
}

void check_run_free(check_run *run) {
    check_table_free(&run->timeline);
    cJSON_Delete(run->summary);
    free(run->events);
    memset(run, 0, sizeof *run);
}

int check_run_load(const char *dir, check_run *out, sim_error *err) {
    memset(out, 0, sizeof *out);
    char path[4096];
    snprintf(path, sizeof path, "%s/timeline.csv", dir);
    if (check_table_load(path, &out->timeline, err) < 0)
        return -1;
    size_t len;
    int missing = 0;
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *text = check_read_file(path, &len, &missing, err);
    if (text == NULL && !missing)
        goto fail;
    if (text != NULL) {
        out->summary = cJSON_ParseWithLength(text, len);
        free(text);
        if (!cJSON_IsObject(out->summary)) {
            error_set(err, "%s: not a JSON object", path);
            goto fail;
        }
    }
    missing = 0;
    snprintf(path, sizeof path, "%s/events.log", dir);
    text = check_read_file(path, &len, &missing, err);
    if (text == NULL && !missing)
        goto fail;
    if (text != NULL) {
        out->has_events = 1;
        int rc = check_events_parse(text, len, &out->events, &out->n_events, err);
        free(text);
        if (rc < 0)
            goto fail;
    }
    return 0;
fail:
    check_run_free(out);
    return -1;
}
