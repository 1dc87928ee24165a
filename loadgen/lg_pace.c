/* lg_pace.c: hey's ticker and open-loop rate schedules (lg_pace.h). */
#include "loadgen/lg_pace.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/duration.h"
#include "common/options.h"

#define MAX_RATE 1e7

int lg_schedule_parse(const char *text, int64_t duration_us, lg_schedule *s, sim_error *err) {
    memset(s, 0, sizeof *s);
    char buf[128];
    snprintf(buf, sizeof buf, "%s", text);
    char *colon = strchr(buf, ':');
    if (colon)
        *colon = 0;
    double a, b = 0;
    if (opts_parse_double(buf, &a) != 0 || (colon && opts_parse_double(colon + 1, &b) != 0))
        return error_set(err, "loadgen: --rate \"%s\": expected R or FROM:TO (requests/s)", text);
    if (!(a >= 0 && a <= MAX_RATE) || !(b >= 0 && b <= MAX_RATE))
        return error_set(err, "loadgen: --rate \"%s\": rates must be within 0..1e7", text);
    if (colon && duration_us <= 0)
        return error_set(err, "loadgen: --rate %s: a ramp needs -z (its length)", text);
    if (!colon && a <= 0)
        return error_set(err, "loadgen: --rate must be > 0");
    s->points = calloc(2, sizeof *s->points);
    if (s->points == NULL)
        return error_set(err, "loadgen: out of memory");
    s->points[0] = (lg_rate_point){0, a};
    s->n = 1;
    if (colon) {
        s->points[1] = (lg_rate_point){duration_us, b};
        s->n = 2;
        s->linear = 1;
    }
    return 0;
}

typedef struct csv_state {
    lg_schedule *s;
    size_t cap, field, row;
    int col_t, col_rps, ncols;
    double t, rps;
    int bad;
    char msg[200];
} csv_state;

static void on_field(void *data, size_t len, void *p) {
    csv_state *c = p;
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s", (int)(len < 63 ? len : 63), (const char *)data);
    if (c->row == 0) {
        if (strcmp(buf, "t_s") == 0)
            c->col_t = (int)c->field;
        if (strcmp(buf, "rps") == 0)
            c->col_rps = (int)c->field;
    } else if ((int)c->field == c->col_t || (int)c->field == c->col_rps) {
        double v;
        if (opts_parse_double(buf, &v) != 0 || !(v >= 0) || v > 1e12) {
            if (!c->bad)
                snprintf(c->msg, sizeof c->msg, "line %zu: \"%s\" is not a number >= 0", c->row + 1,
                         buf);
            c->bad = 1;
        }
        if ((int)c->field == c->col_t)
            c->t = v;
        else
            c->rps = v;
    }
    c->field++;
}

static void on_row(int ch, void *p) {
    (void)ch;
    csv_state *c = p;
    if (c->row == 0) {
        c->ncols = (int)c->field;
        if ((c->col_t < 0 || c->col_rps < 0) && !c->bad) {
            snprintf(c->msg, sizeof c->msg, "the header must name columns t_s and rps");
            c->bad = 1;
        }
    } else if (!c->bad) {
        lg_schedule *s = c->s;
        int64_t t_us = (int64_t)llround(c->t * 1e6);
        if (s->n > 0 && t_us <= s->points[s->n - 1].t_us) {
            snprintf(c->msg, sizeof c->msg, "line %zu: t_s must increase from row to row",
                     c->row + 1);
            c->bad = 1;
        } else if (c->rps > MAX_RATE) {
            snprintf(c->msg, sizeof c->msg, "line %zu: rps above 1e7", c->row + 1);
            c->bad = 1;
        } else {
            if (s->n == c->cap) {
                size_t cap = c->cap ? c->cap * 2 : 64;
                lg_rate_point *q = realloc(s->points, cap * sizeof *q);
                if (q == NULL) {
                    snprintf(c->msg, sizeof c->msg, "out of memory");
                    c->bad = 1;
                    return;
                }
                s->points = q;
                c->cap = cap;
            }
            s->points[s->n++] = (lg_rate_point){t_us, c->rps};
        }
    }
    c->row++;
    c->field = 0;
}

int lg_schedule_load(const char *path, lg_schedule *s, sim_error *err) {
    memset(s, 0, sizeof *s);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return error_set(err, "loadgen: --rate-file %s: cannot open: %s", path, strerror(errno));
    struct csv_parser p;
    csv_init(&p, CSV_APPEND_NULL | CSV_EMPTY_IS_NULL);
    csv_state c = {.s = s, .col_t = -1, .col_rps = -1};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && !c.bad)
        if (csv_parse(&p, buf, n, on_field, on_row, &c) != n) {
            snprintf(c.msg, sizeof c.msg, "%s", csv_strerror(csv_error(&p)));
            c.bad = 1;
        }
    csv_fini(&p, on_field, on_row, &c);
    csv_free(&p);
    fclose(f);
    if (!c.bad && s->n == 0)
        snprintf(c.msg, sizeof c.msg, "no data rows"), c.bad = 1;
    if (c.bad) {
        lg_schedule_free(s);
        return error_set(err, "loadgen: --rate-file %s: %s", path, c.msg);
    }
    return 0;
}

void lg_schedule_free(lg_schedule *s) {
    free(s->points);
    s->points = NULL;
    s->n = 0;
}

double lg_schedule_rate(const lg_schedule *s, int64_t t_us) {
    if (s->n == 0 || t_us < s->points[0].t_us)
        return 0;
    size_t i = 0;
    while (i + 1 < s->n && s->points[i + 1].t_us <= t_us)
        i++;
    if (!s->linear || i + 1 >= s->n)
        return s->points[i].rps;
    const lg_rate_point *a = &s->points[i], *b = &s->points[i + 1];
    double f = (double)(t_us - a->t_us) / (double)(b->t_us - a->t_us);
    return a->rps + (b->rps - a->rps) * f;
}

/* The next arrival is where the expected count since t reaches one: the integral of the rate
 * (times share) from t, segment by segment; exact for held and for linear segments. */
double lg_exp1(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL); /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    double u = ((double)(z >> 11) + 0.5) / 9007199254740992.0; /* (0, 1) */
    return -log(u);
}

int lg_schedule_steps(const char *text, lg_schedule *s, sim_error *err) {
    memset(s, 0, sizeof *s);
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    s->points = calloc(cap, sizeof *s->points);
    if (s->points == NULL)
        return error_set(err, "loadgen: out of memory");
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, ",");
        char item[128], *eq;
        snprintf(item, sizeof item, "%.*s", (int)(n < 127 ? n : 127), p);
        eq = strchr(item, '=');
        double rate;
        int64_t t_us;
        sim_error e2;
        if (eq == NULL) {
            lg_schedule_free(s);
            return error_set(err, "loadgen: --rate-steps \"%s\": expected TIME=RATE, got \"%s\"",
                             text, item);
        }
        *eq = 0;
        double secs;
        if (opts_parse_double(item, &secs) == 0 && secs >= 0 && secs < 1e9)
            t_us = (int64_t)llround(secs * 1e6);
        else if (duration_parse(item, &t_us, &e2) != 0 || t_us < 0) {
            lg_schedule_free(s);
            return error_set(err, "loadgen: --rate-steps: \"%s\" is not a time >= 0", item);
        }
        if (opts_parse_double(eq + 1, &rate) != 0 || !(rate >= 0 && rate <= MAX_RATE)) {
            lg_schedule_free(s);
            return error_set(err, "loadgen: --rate-steps: \"%s\" is not a rate within 0..1e7",
                             eq + 1);
        }
        if (s->n > 0 && t_us <= s->points[s->n - 1].t_us) {
            lg_schedule_free(s);
            return error_set(err, "loadgen: --rate-steps: times must increase (%s)", item);
        }
        s->points[s->n++] = (lg_rate_point){t_us, rate};
        p += n;
        if (*p == ',')
            p++;
    }
    if (s->n == 0) {
        lg_schedule_free(s);
        return error_set(err, "loadgen: --rate-steps: no steps");
    }
    return 0;
}

int64_t lg_schedule_next(const lg_schedule *s, double share, int64_t t_us, double need) {
    double t = (double)t_us / 1e6;
    size_t i = 0;
    while (i < s->n && (double)s->points[i].t_us / 1e6 <= t)
        i++;
    for (; i <= s->n; i++) { /* segment [t, end) where end is point i (or forever) */
        double end = i < s->n ? (double)s->points[i].t_us / 1e6 : INFINITY;
        double r = lg_schedule_rate(s, (int64_t)llround(t * 1e6)) * share;
        double k = 0;
        if (s->linear && i > 0 && i < s->n) {
            const lg_rate_point *p = &s->points[i - 1], *q = &s->points[i];
            k = (q->rps - p->rps) * share / ((double)(q->t_us - p->t_us) / 1e6);
        }
        double dx;
        if (k == 0)
            dx = r > 0 ? need / r : INFINITY;
        else {
            double disc = r * r + 2 * k * need;
            dx = disc >= 0 ? (-r + sqrt(disc)) / k : INFINITY;
            if (dx < 0)
                dx = INFINITY;
        }
        if (t + dx <= end) {
            double at_us = (t + dx) * 1e6;
            if (!(at_us < 9e18))
                return INT64_MAX;
            int64_t next = (int64_t)at_us;
            return next > t_us ? next : t_us + 1;
        }
        if (end == INFINITY)
            return INT64_MAX;
        double seg = (end - t);
        need -= r * seg + k * seg * seg / 2;
        t = end;
    }
    return INT64_MAX;
}

void lg_ticker_init(lg_ticker *t, int64_t start_us, double qps) {
    t->start_us = start_us;
    /* hey: time.Tick(time.Duration(1e6/(b.QPS)) * time.Microsecond) */
    t->interval_us = qps > 0 ? (int64_t)(1e6 / qps) : 0;
    if (t->interval_us <= 0)
        t->interval_us = 1;
    t->next_us = start_us + t->interval_us;
}

int64_t lg_ticker_take(lg_ticker *t, int64_t now_us) {
    int64_t at = t->next_us > now_us ? t->next_us : now_us;
    /* the tick after the one taken is the first grid point after `at` */
    int64_t k = (at - t->start_us) / t->interval_us + 1;
    t->next_us = t->start_us + k * t->interval_us;
    return at;
}
