/* csv_columns.c: named CSV columns with line numbers, on top of libcsv (see csv_columns.h).
 *
 * libcsv reports fields and row ends but no positions, so the file is fed to it one line at
 * a time: whatever callback fires during a chunk belongs to that line. */
#include "sim/scenario/csv_columns.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/reader.h"

typedef struct row_state {
    const char *path;
    const char *const *names;
    int ncols;
    const char *header_hint;
    csv_row_fn row;
    void *user;
    sim_error *err;
    int line;     /* line being fed */
    int row_line; /* line where the current row started */
    char **fields;
    size_t nfields, cap;
    int have_header;
    size_t header_fields;
    int col_index[8];
    long rows;
    int failed;
} row_state;

static void on_field(void *data, size_t len, void *user) {
    row_state *st = user;
    if (st->failed)
        return;
    if (st->nfields == 0)
        st->row_line = st->line;
    if (st->nfields == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 8;
        char **f = realloc(st->fields, cap * sizeof *f);
        if (f == NULL) {
            st->failed = 1;
            error_set(st->err, "%s:%d: out of memory", st->path, st->line);
            return;
        }
        st->fields = f;
        st->cap = cap;
    }
    const char *text = data ? data : "";
    if (data != NULL && strlen(text) != len) {
        st->failed = 1;
        error_set(st->err, "%s:%d: NUL byte in a field", st->path, st->line);
        return;
    }
    char *copy = strndup(text, len);
    if (copy == NULL) {
        st->failed = 1;
        error_set(st->err, "%s:%d: out of memory", st->path, st->line);
        return;
    }
    st->fields[st->nfields++] = copy;
}

static void clear_fields(row_state *st) {
    for (size_t i = 0; i < st->nfields; i++)
        free(st->fields[i]);
    st->nfields = 0;
}

static void read_header(row_state *st) {
    char list[256] = "";
    size_t n = 0;
    /* A UTF-8 byte order mark (spreadsheet exports) is not part of the first name. */
    if (st->nfields > 0 && strncmp(st->fields[0], "\xEF\xBB\xBF", 3) == 0)
        memmove(st->fields[0], st->fields[0] + 3, strlen(st->fields[0] + 3) + 1);
    for (size_t i = 0; i < st->nfields && n < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? "," : "", st->fields[i]);
    st->header_fields = st->nfields;
    for (int c = 0; c < st->ncols; c++) {
        const char *want = st->names[c];
        if (want == NULL) {
            if (st->nfields != 1) {
                st->failed = 1;
                error_set(st->err,
                          "%s:%d: the header names %zu columns (%s); say which one to use with "
                          "\"column\"",
                          st->path, st->row_line, st->nfields, list);
                return;
            }
            st->col_index[c] = 0;
            continue;
        }
        int found = -1;
        for (size_t i = 0; i < st->nfields; i++)
            if (strcmp(st->fields[i], want) == 0)
                found = (int)i;
        if (found < 0) {
            const char *guess = rd_closest(want, (const char *const *)st->fields,
                                           (int)(st->nfields < 1000 ? st->nfields : 1000));
            st->failed = 1;
            if (guess)
                error_set(st->err,
                          "%s:%d: the header has no column \"%s\" (did you mean \"%s\"?); "
                          "expected a header such as \"%s\"",
                          st->path, st->row_line, want, guess, st->header_hint);
            else
                error_set(st->err,
                          "%s:%d: the header has no column \"%s\" (it names: %s); expected a "
                          "header such as \"%s\"",
                          st->path, st->row_line, want, list, st->header_hint);
            return;
        }
        st->col_index[c] = found;
    }
    st->have_header = 1;
}

static void on_row(int term, void *user) {
    (void)term;
    row_state *st = user;
    if (st->failed) {
        clear_fields(st);
        return;
    }
    if (!st->have_header) {
        read_header(st);
    } else if (st->nfields != st->header_fields) {
        st->failed = 1;
        error_set(st->err, "%s:%d: expected %zu fields as in the header, got %zu", st->path,
                  st->row_line, st->header_fields, st->nfields);
    } else {
        const char *values[8];
        for (int c = 0; c < st->ncols; c++)
            values[c] = st->fields[st->col_index[c]];
        st->rows++;
        if (st->row(st->user, st->path, st->row_line, values, st->err) < 0)
            st->failed = 1;
    }
    clear_fields(st);
}

long csv_read_columns(const char *path, const char *const *names, int ncols,
                      const char *header_hint, csv_row_fn row, void *user, sim_error *err) {
    if (ncols < 1 || ncols > 8)
        return error_set(err, "%s: internal error: bad column count", path);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return error_set(err, "%s", strerror(errno)), CSV_COLUMNS_CANNOT_OPEN;
    char *text = NULL;
    size_t len = 0, cap = 0;
    int read_error = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            char *t = cap <= (size_t)CSV_COLUMNS_MAX_BYTES * 2 ? realloc(text, cap) : NULL;
            if (t == NULL) {
                read_error = ENOMEM;
                break;
            }
            text = t;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0 || len > CSV_COLUMNS_MAX_BYTES)
            break;
    }
    if (ferror(f))
        read_error = errno ? errno : EIO;
    fclose(f);
    if (read_error) {
        free(text);
        error_set(err, "%s", strerror(read_error));
        return CSV_COLUMNS_CANNOT_OPEN;
    }
    if (len > CSV_COLUMNS_MAX_BYTES) {
        free(text);
        return error_set(err, "%s: file larger than %u MiB", path, CSV_COLUMNS_MAX_BYTES >> 20);
    }
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        free(text);
        return error_set(err, "%s: cannot initialise libcsv", path);
    }
    row_state st = {0};
    st.path = path;
    st.names = names;
    st.ncols = ncols;
    st.header_hint = header_hint;
    st.row = row;
    st.user = user;
    st.err = err;
    size_t pos = 0;
    while (pos < len && !st.failed) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t chunk = nl ? (size_t)(nl - (text + pos)) + 1 : len - pos;
        st.line++;
        if (csv_parse(&p, text + pos, chunk, on_field, on_row, &st) != chunk && !st.failed) {
            st.failed = 1;
            error_set(err, "%s:%d: %s", path, st.line,
                      csv_error(&p) == CSV_EPARSE ? "malformed quoting (a quote inside an "
                                                    "unquoted field, or text after a closing "
                                                    "quote)"
                                                  : csv_strerror(csv_error(&p)));
        }
        pos += chunk;
    }
    if (st.line == 0)
        st.line = 1;
    if (!st.failed && csv_fini(&p, on_field, on_row, &st) != 0 && !st.failed) {
        st.failed = 1;
        error_set(err, "%s:%d: unterminated quoted field", path, st.line);
    }
    csv_free(&p);
    clear_fields(&st);
    free(st.fields);
    free(text);
    if (st.failed)
        return -1;
    if (!st.have_header)
        return error_set(err, "%s:1: empty file; expected a header line such as \"%s\"", path,
                         header_hint);
    if (st.rows == 0)
        return error_set(err, "%s:%d: no data rows after the header", path, st.line + 1);
    return st.rows;
}
