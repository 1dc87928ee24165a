/* replay_csv.c: see replay_csv.h. Cells hold no commas in either format (loadgen separates its
 * lists with ';'), so a row is split on commas; quotes are not interpreted. */
#include "sim/replay/replay_csv.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/quantity.h"

#define MAX_COLS 512

/* Splits line (modified) into cells; returns the count or -1 past MAX_COLS. */
static int split(char *line, char **cells) {
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == MAX_COLS)
            return -1;
        cells[n++] = p;
        char *c = strchr(p, ',');
        if (c == NULL)
            break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

static int find(char **cells, int n, const char *a, const char *b) {
    for (int i = 0; i < n; i++)
        if ((a && strcmp(cells[i], a) == 0) || (b && strcmp(cells[i], b) == 0))
            return i;
    return -1;
}

/* A number cell: 1 with *out set, 0 when empty, -1 when not a number. */
static int number(const char *s, double *out) {
    if (*s == '\0')
        return 0;
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v))
        return -1;
    *out = v;
    return 1;
}

/* The value of `name` in a loadgen hpa_metrics cell "cpu=58%;requests=12": 1, 0 when absent. */
static int from_hpa_metrics(const char *cell, const char *name, double *out, sim_error *err) {
    size_t nl = strlen(name);
    const char *p = cell;
    while (*p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
            char buf[64];
            size_t vl = len - nl - 1;
            if (vl >= sizeof buf)
                return error_set(err, "value of %s too long", name);
            memcpy(buf, p + nl + 1, vl);
            buf[vl] = '\0';
            if (vl > 0 && buf[vl - 1] == '%')
                buf[vl - 1] = '\0';
            if (number(buf, out) == 1)
                return 1;
            int64_t milli;
            if (quantity_parse_milli(buf, &milli, err) < 0)
                return -1;
            *out = (double)milli / 1000.0;
            return 1;
        }
        p += len;
        if (*p == ';')
            p++;
    }
    return 0;
}

/* A recording's text, copied and split line by line; cells point into buf. */
typedef struct {
    char *buf;
    char **cells;
    char *save;
    int nh; /* header cells */
} csv_lines;

/* Copies the text, reads and splits its header line into r->cells; 0 or -1 with err set. Either
 * way csv_lines_free releases it. */
static int csv_lines_open(csv_lines *r, const char *text, size_t len, sim_error *err) {
    memset(r, 0, sizeof *r);
    r->buf = malloc(len + 1);
    r->cells = malloc(MAX_COLS * sizeof *r->cells);
    if (r->buf == NULL || r->cells == NULL)
        return error_set(err, "out of memory");
    memcpy(r->buf, text, len);
    r->buf[len] = '\0';
    char *line = strtok_r(r->buf, "\n", &r->save);
    if (line == NULL)
        return error_set(err, "recording: empty file");
    line[strcspn(line, "\r")] = '\0';
    r->nh = split(line, r->cells);
    if (r->nh < 0)
        return error_set(err, "recording: line 1: more than %d columns", MAX_COLS);
    return 0;
}

/* The next line with its trailing CR cut, or NULL at the end. */
static char *csv_lines_next(csv_lines *r) {
    char *line = strtok_r(NULL, "\n", &r->save);
    if (line != NULL)
        line[strcspn(line, "\r")] = '\0';
    return line;
}

static void csv_lines_free(csv_lines *r) {
    free(r->buf);
    free(r->cells);
}

int replay_csv_parse(const char *text, size_t len, const char *const *metric_cols,
                     const char *const *metric_names, int nmetrics, replay_sample **rows,
                     int *nrows, sim_error *err) {
    *rows = NULL;
    *nrows = 0;
    if (nmetrics > HPA_MAX_METRICS)
        return error_set(err, "recording: at most %d metrics", HPA_MAX_METRICS);
    replay_sample *out = NULL;
    int n = 0, cap = 0, rc = 0;
    csv_lines lines;
    char *line;
    if (csv_lines_open(&lines, text, len, err) < 0) {
        rc = -1;
        goto done;
    }
    char **cells = lines.cells;
    int nh = lines.nh;
    int c_time = find(cells, nh, "time_s", "t_s");
    int c_desired = find(cells, nh, "desired_replicas", "hpa_desired");
    int c_current = find(cells, nh, "current_replicas", "hpa_current");
    int c_ready = find(cells, nh, "pods_ready", NULL);
    int c_total = find(cells, nh, "pods_total", NULL);
    int c_min = find(cells, nh, "min_replicas", NULL);
    int c_max = find(cells, nh, "max_replicas", NULL);
    int c_hm = find(cells, nh, "hpa_metrics", NULL);
    int c_metric[HPA_MAX_METRICS];
    if (c_time < 0 || c_desired < 0) {
        rc = error_set(err, "recording: line 1: needs a time column (time_s or t_s) and a decision "
                            "column (desired_replicas or hpa_desired)");
        goto done;
    }
    for (int m = 0; m < nmetrics; m++) {
        c_metric[m] = find(cells, nh, metric_cols[m], NULL);
        if (c_metric[m] < 0 && c_hm < 0) {
            rc = error_set(err, "recording: line 1: no column %s (nor hpa_metrics) for metric %d",
                           metric_cols[m], m);
            goto done;
        }
    }
    int lineno = 1;
    while ((line = csv_lines_next(&lines)) != NULL) {
        lineno++; /* strtok_r skips empty lines: numbers are of non-empty lines */
        int nc = split(line, cells);
        if (nc != nh) {
            rc = error_set(err, "recording: line %d: %d cells, the header has %d", lineno, nc, nh);
            goto done;
        }
        double t = 0, d = 0;
        int kt = number(cells[c_time], &t), kd = number(cells[c_desired], &d);
        if (kt < 0 || kt == 0) {
            rc = error_set(err, "recording: line %d: time \"%s\" is not a number", lineno,
                           cells[c_time]);
            goto done;
        }
        if (kd < 0 || (kd == 1 && (d < 0 || d > INT32_MAX || d != floor(d)))) {
            rc = error_set(err, "recording: line %d: desired replicas \"%s\" is not a count",
                           lineno, cells[c_desired]);
            goto done;
        }
        if (kd == 0)
            continue; /* no decision recorded at this sample (a failed kubectl look) */
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            replay_sample *p = realloc(out, (size_t)cap * sizeof *p);
            if (p == NULL) {
                rc = error_set(err, "out of memory");
                goto done;
            }
            out = p;
        }
        replay_sample *s = &out[n];
        memset(s, 0, sizeof *s);
        /* a row labelled t holds what was seen by the end of second t (docs/replay.md) */
        s->t_us = (int64_t)llround((t + 1) * 1e6);
        if (n > 0 && s->t_us <= out[n - 1].t_us) {
            rc = error_set(err, "recording: line %d: time %s is not after the previous row", lineno,
                           cells[c_time]);
            goto done;
        }
        s->desired = (int32_t)d;
        int cols[5] = {c_current, c_ready, c_total, c_min, c_max};
        int32_t *dst[5] = {&s->current, &s->pods_ready, &s->pods_total, &s->min_replicas,
                           &s->max_replicas};
        for (int k = 0; k < 5; k++) {
            double v;
            int kv = cols[k] < 0 ? 0 : number(cells[cols[k]], &v);
            if (kv < 0 || (kv == 1 && (v < 0 || v > INT32_MAX || v != floor(v)))) {
                rc = error_set(err, "recording: line %d: \"%s\" is not a count", lineno,
                               cells[cols[k]]);
                goto done;
            }
            *dst[k] = kv == 1 ? (int32_t)v : -1;
        }
        s->nmetrics = nmetrics;
        for (int m = 0; m < nmetrics; m++) {
            double v = NAN;
            int kv;
            if (c_metric[m] >= 0) {
                kv = number(cells[c_metric[m]], &v);
            } else {
                sim_error qe;
                kv = from_hpa_metrics(cells[c_hm], metric_names[m], &v, &qe);
            }
            if (kv < 0) {
                rc = error_set(err, "recording: line %d: metric %d value is not a number", lineno,
                               m);
                goto done;
            }
            s->metric[m] = kv == 1 ? v : NAN;
        }
        n++;
    }
done:
    csv_lines_free(&lines);
    if (rc < 0) {
        free(out);
        return -1;
    }
    *rows = out;
    *nrows = n;
    return 0;
}

/* The first of the names present in the header, -1 when none. */
static int find_any(char **cells, int n, const char *const *names) {
    for (; *names; names++) {
        int c = find(cells, n, *names, NULL);
        if (c >= 0)
            return c;
    }
    return -1;
}

void replay_series_free(replay_series *s) {
    free(s->rows);
    memset(s, 0, sizeof *s);
}

int replay_csv_series(const char *text, size_t len, replay_series *out, sim_error *err) {
    static const char *const time_names[] = {"time_s", "t_s", NULL};
    static const char *const names[][4] = {
        {"offered", "rps", NULL},
        {"pods_total", "current_replicas", "hpa_current", NULL},
        {"pod_seconds", NULL},
        {"failed", NULL},
        {"completed", NULL},
        {"latency_p50_ms", "p50_ms", NULL},
        {"latency_p95_ms", "p95_ms", NULL},
        {"latency_p99_ms", "p99_ms", NULL},
    };
    enum { NF = 8 };
    memset(out, 0, sizeof *out);
    int cap = 0, rc = 0;
    csv_lines lines;
    char *line;
    if (csv_lines_open(&lines, text, len, err) < 0) {
        rc = -1;
        goto done;
    }
    char **cells = lines.cells;
    int nh = lines.nh;
    int c_time = find_any(cells, nh, time_names), col[NF];
    if (c_time < 0) {
        rc = error_set(err, "recording: line 1: needs a time column (time_s or t_s)");
        goto done;
    }
    for (int k = 0; k < NF; k++)
        col[k] = find_any(cells, nh, names[k]);
    out->has_offered = col[0] >= 0;
    out->has_pods = col[1] >= 0;
    out->has_pod_seconds = col[2] >= 0;
    out->has_failed = col[3] >= 0;
    out->has_completed = col[4] >= 0;
    for (int k = 0; k < 3; k++)
        out->has_p[k] = col[5 + k] >= 0;
    int lineno = 1;
    double pods = NAN;
    while ((line = csv_lines_next(&lines)) != NULL) {
        lineno++;
        int nc = split(line, cells);
        if (nc != nh) {
            rc = error_set(err, "recording: line %d: %d cells, the header has %d", lineno, nc, nh);
            goto done;
        }
        double t = 0;
        if (number(cells[c_time], &t) != 1) {
            rc = error_set(err, "recording: line %d: time \"%s\" is not a number", lineno,
                           cells[c_time]);
            goto done;
        }
        if (out->n > 0 && t <= out->rows[out->n - 1].t_s) {
            rc = error_set(err, "recording: line %d: time %s is not after the previous row", lineno,
                           cells[c_time]);
            goto done;
        }
        if (out->n == cap) {
            cap = cap ? cap * 2 : 256;
            replay_second *p = realloc(out->rows, (size_t)cap * sizeof *p);
            if (p == NULL) {
                rc = error_set(err, "out of memory");
                goto done;
            }
            out->rows = p;
        }
        replay_second *r = &out->rows[out->n];
        double *dst[NF] = {&r->offered,   &r->pods,   &r->pod_seconds, &r->failed,
                           &r->completed, &r->p50_ms, &r->p95_ms,      &r->p99_ms};
        r->t_s = t;
        for (int k = 0; k < NF; k++) {
            double v = NAN;
            if (col[k] >= 0 && number(cells[col[k]], &v) < 0) {
                rc = error_set(err, "recording: line %d: %s \"%s\" is not a number", lineno,
                               names[k][0], cells[col[k]]);
                goto done;
            }
            if (k < 5 && v < 0) {
                rc = error_set(err, "recording: line %d: %s %s is negative", lineno, names[k][0],
                               cells[col[k]]);
                goto done;
            }
            *dst[k] = v;
        }
        /* loadgen writes the HPA's cells only when it looked: the count holds in between */
        if (isnan(r->pods))
            r->pods = pods;
        pods = r->pods;
        out->n++;
    }
done:
    csv_lines_free(&lines);
    if (rc < 0)
        replay_series_free(out);
    return rc;
}
