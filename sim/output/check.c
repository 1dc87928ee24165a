/* check.c: see check.h. Every message states the observed value and the simulated time, in
 * the words a user reads on a CI log. */
#include "sim/output/check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/duration.h"

static const char *fmt_t(int64_t us, char *buf, size_t size) {
    duration_format(us, buf, size);
    return buf;
}

static int64_t sec_us(double s) {
    return (int64_t)llround(s * 1e6);
}

static void say(check_result *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(check_result *out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->message, sizeof out->message, fmt, ap);
    va_end(ap);
}

int check_replica_col(const check_table *t) {
    static const char *const names[] = {"desired_replicas", "current_replicas", "pods_total"};
    for (int i = 0; i < 3; i++) {
        int c = check_table_col(t, names[i]);
        if (c >= 0)
            return c;
    }
    return -1;
}

int check_result_worse(const check_result *r, const check_result *best) {
    if (r->passed != best->passed)
        return !r->passed;
    return r->margin < best->margin;
}

/* Where the replica count comes from, for messages. */
static void replica_note(const check_table *t, int col, char *buf, size_t size) {
    if (strcmp(t->names[col], "pods_total") == 0)
        snprintf(buf, size, "column pods_total: the timeline has no desired_replicas column");
    else
        snprintf(buf, size, "column %s", t->names[col]);
}

static const char *replicas_word(double n) {
    return n == 1 ? "replica" : "replicas";
}

typedef struct tl {
    const check_table *t;
    const double *time_s;
    size_t n;
} tl;

static int need_col(const check_table *t, const char *name, const double **out, sim_error *err) {
    int c = check_table_col(t, name);
    if (c < 0)
        return error_set(err, "timeline.csv has no %s column", name);
    *out = t->cols[c];
    return 0;
}

static int timeline_of(const check_run *run, tl *out, sim_error *err) {
    out->t = &run->timeline;
    out->n = run->timeline.nrows;
    if (need_col(out->t, "time_s", &out->time_s, err) < 0)
        return -1;
    if (out->n == 0)
        return error_set(err, "timeline.csv has no rows");
    return 0;
}

static int64_t end_us(const tl *t) {
    return sec_us(t->time_s[t->n - 1] + 1);
}

/* When a change first seen in row i happened: a row holds the count at the end of its second,
 * so by time_s + 1 (the sync that made it, as events.log times it). */
static int64_t change_us(const tl *t, size_t i) {
    return sec_us(t->time_s[i] + 1);
}

/* The row whose time_s is at_us, or -1. */
static long row_at(const tl *t, int64_t at_us) {
    for (size_t i = 0; i < t->n; i++)
        if (sec_us(t->time_s[i]) == at_us)
            return (long)i;
    return -1;
}

/* The first row at or after at_us, or -1. */
static long row_from(const tl *t, int64_t at_us) {
    for (size_t i = 0; i < t->n; i++)
        if (sec_us(t->time_s[i]) >= at_us)
            return (long)i;
    return -1;
}

static int replicas_col(const tl *t, const double **rep, char *note, size_t size, sim_error *err) {
    int c = check_replica_col(t->t);
    if (c < 0)
        return error_set(err, "timeline.csv has no replica column (desired_replicas, "
                              "current_replicas or pods_total)");
    *rep = t->t->cols[c];
    replica_note(t->t, c, note, size);
    return 0;
}

static int eval_replicas(const expect_assert *a, const tl *t, check_result *out, sim_error *err) {
    const double *rep;
    char note[128], b1[32], b2[32];
    if (replicas_col(t, &rep, note, sizeof note, err) < 0)
        return -1;
    if (a->kind == EXPECT_REPLICAS_AT) {
        long i = row_at(t, a->at_us);
        if (i < 0)
            return error_set(err, "the timeline has no row at %s (it covers 0s to %s)",
                             fmt_t(a->at_us, b1, sizeof b1), fmt_t(end_us(t), b2, sizeof b2));
        out->observed = rep[i];
        out->t_us = a->at_us;
        out->passed = rep[i] == a->value;
        out->margin = -fabs(rep[i] - a->value);
        say(out, "%g %s at %s, expected %g (%s)", rep[i], replicas_word(rep[i]),
            fmt_t(a->at_us, b1, sizeof b1), a->value, note);
        return 0;
    }
    int most = a->kind == EXPECT_REPLICAS_AT_MOST;
    long worst = -1, first_bad = -1;
    for (size_t i = 0; i < t->n; i++) {
        int64_t ts = sec_us(t->time_s[i]);
        if (ts < a->from_us || ts >= a->to_us || isnan(rep[i]))
            continue;
        if (worst < 0 || (most ? rep[i] > rep[worst] : rep[i] < rep[worst]))
            worst = (long)i;
        if (first_bad < 0 && (most ? rep[i] > a->value : rep[i] < a->value))
            first_bad = (long)i;
    }
    if (worst < 0)
        return error_set(err, "the timeline has no rows in the time range asked (%s to %s)",
                         fmt_t(a->from_us, b1, sizeof b1),
                         a->to_us == INT64_MAX ? "the end" : fmt_t(a->to_us, b2, sizeof b2));
    out->observed = rep[worst];
    out->margin = most ? a->value - rep[worst] : rep[worst] - a->value;
    out->passed = first_bad < 0;
    if (first_bad >= 0) {
        out->t_us = sec_us(t->time_s[first_bad]);
        say(out, "%g %s at %s, %s %g (the %s was %g, at %s; %s)", rep[first_bad],
            replicas_word(rep[first_bad]), fmt_t(out->t_us, b1, sizeof b1),
            most ? "above" : "below", a->value, most ? "most" : "fewest", rep[worst],
            fmt_t(sec_us(t->time_s[worst]), b2, sizeof b2), note);
    } else {
        out->t_us = sec_us(t->time_s[worst]);
        say(out, "%s %g %s, at %s (%s)", most ? "at most" : "at least", rep[worst],
            replicas_word(rep[worst]), fmt_t(out->t_us, b1, sizeof b1), note);
    }
    return 0;
}

static int eval_scale_up(const expect_assert *a, const tl *t, check_result *out, sim_error *err) {
    const double *rep;
    char note[128], b1[32], b2[32], b3[32];
    if (replicas_col(t, &rep, note, sizeof note, err) < 0)
        return -1;
    long base = row_from(t, a->at_us);
    if (base < 0)
        return error_set(err, "the load step at %s is after the timeline's end (%s)",
                         fmt_t(a->at_us, b1, sizeof b1), fmt_t(end_us(t), b2, sizeof b2));
    fmt_t(a->at_us, b1, sizeof b1);
    for (size_t i = (size_t)base; i < t->n; i++) {
        if (rep[i] > rep[base]) {
            out->t_us = change_us(t, i);
            out->observed = (double)(out->t_us - a->at_us) / 1e6;
            out->margin = (double)a->hi_us / 1e6 - out->observed;
            out->passed = out->t_us - a->at_us <= a->hi_us;
            say(out, "first scale-up %g -> %g at %s, %s after the load step at %s (%s)", rep[base],
                rep[i], fmt_t(out->t_us, b2, sizeof b2), fmt_t(out->t_us - a->at_us, b3, sizeof b3),
                b1, note);
            return 0;
        }
    }
    out->t_us = end_us(t);
    out->observed = (double)(out->t_us - a->at_us) / 1e6;
    out->margin = (double)a->hi_us / 1e6 - out->observed - 1;
    out->passed = 0;
    say(out, "no scale-up after the load step at %s: %g %s until the end at %s (%s)", b1, rep[base],
        replicas_word(rep[base]), fmt_t(out->t_us, b2, sizeof b2), note);
    return 0;
}

static int eval_back_to_min(const expect_assert *a, const tl *t, check_result *out,
                            sim_error *err) {
    const double *rep;
    char note[128], b1[32], b2[32], b3[32], b4[32], b5[32];
    if (replicas_col(t, &rep, note, sizeof note, err) < 0)
        return -1;
    long first = row_from(t, a->at_us);
    if (first < 0)
        return error_set(err, "the load end at %s is after the timeline's end (%s)",
                         fmt_t(a->at_us, b1, sizeof b1), fmt_t(end_us(t), b2, sizeof b2));
    fmt_t(a->at_us, b1, sizeof b1);
    fmt_t(a->lo_us, b3, sizeof b3);
    fmt_t(a->hi_us, b4, sizeof b4);
    if (rep[t->n - 1] > a->value) {
        out->t_us = end_us(t);
        out->observed = (double)(out->t_us - a->at_us) / 1e6;
        out->margin = (double)a->hi_us / 1e6 - out->observed - 1;
        out->passed = 0;
        say(out,
            "not back to %g %s by the end at %s (%g then), %s after the load "
            "ended at %s; expected %s to %s (%s)",
            a->value, replicas_word(a->value), fmt_t(out->t_us, b2, sizeof b2), rep[t->n - 1],
            fmt_t(out->t_us - a->at_us, b5, sizeof b5), b1, b3, b4, note);
        return 0;
    }
    long last_above = -1;
    for (size_t i = (size_t)first; i < t->n; i++)
        if (rep[i] > a->value)
            last_above = (long)i;
    int64_t back_us = last_above < 0 ? a->at_us : change_us(t, (size_t)last_above + 1);
    out->t_us = back_us;
    out->observed = (double)(back_us - a->at_us) / 1e6;
    double lo = (double)a->lo_us / 1e6, hi = (double)a->hi_us / 1e6;
    out->margin = fmin(out->observed - lo, hi - out->observed);
    out->passed = out->margin >= 0;
    say(out, "back to %g %s at %s, %s after the load ended at %s; expected %s to %s (%s)", a->value,
        replicas_word(a->value), fmt_t(back_us, b2, sizeof b2),
        fmt_t(back_us - a->at_us, b5, sizeof b5), b1, b3, b4, note);
    return 0;
}

static int eval_rescales(const expect_assert *a, const check_run *run, const tl *t,
                         check_result *out, sim_error *err) {
    char b1[32], note[128];
    size_t k = (size_t)a->value;
    out->t_us = -1;
    if (run->has_events) {
        size_t n = run->n_events;
        out->observed = (double)n;
        out->margin = a->value - (double)n;
        out->passed = n <= k;
        if (n > k && run->events[k].t_us >= 0) {
            out->t_us = run->events[k].t_us;
            say(out,
                "%zu rescale events (SuccessfulRescale in events.log), more than %zu: the "
                "%zu%s at %s",
                n, k, k + 1,
                k + 1 == 1   ? "st"
                : k + 1 == 2 ? "nd"
                : k + 1 == 3 ? "rd"
                             : "th",
                fmt_t(out->t_us, b1, sizeof b1));
        } else {
            say(out, "%zu rescale events (SuccessfulRescale in events.log)", n);
        }
        return 0;
    }
    const double *rep;
    if (replicas_col(t, &rep, note, sizeof note, err) < 0)
        return -1;
    size_t n = 0;
    for (size_t i = 1; i < t->n; i++) {
        if (rep[i] != rep[i - 1]) {
            n++;
            if (n == k + 1)
                out->t_us = change_us(t, i);
        }
    }
    out->observed = (double)n;
    out->margin = a->value - (double)n;
    out->passed = n <= k;
    if (n > k)
        say(out,
            "%zu rescales, more than %zu: the %zu%s at %s (no events.log: counted as changes "
            "of the replica count; %s)",
            n, k, k + 1,
            k + 1 == 1   ? "st"
            : k + 1 == 2 ? "nd"
            : k + 1 == 3 ? "rd"
                         : "th",
            fmt_t(out->t_us, b1, sizeof b1), note);
    else
        say(out, "%zu rescales (no events.log: counted as changes of the replica count; %s)", n,
            note);
    return 0;
}

/* "p99", "p999" for summary.json; "latency_p99_ms" for the timeline. */
static void pct_key(double p, char *key, size_t size, int column) {
    char k[16];
    if (p == 99.9)
        snprintf(k, sizeof k, "p999");
    else
        snprintf(k, sizeof k, "p%g", p);
    snprintf(key, size, column ? "latency_%s_ms" : "%s", k);
}

static int summary_number(const check_run *run, const char *obj, const char *key, double *out,
                          sim_error *err) {
    if (run->summary == NULL)
        return error_set(err, "no summary.json in the run folder");
    const cJSON *o = obj ? cJSON_GetObjectItemCaseSensitive(run->summary, obj) : run->summary;
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    if (!cJSON_IsNumber(v)) {
        if (obj)
            return error_set(err, "summary.json has no number %s.%s", obj, key);
        return error_set(err, "summary.json has no number %s", key);
    }
    *out = v->valuedouble;
    return 0;
}

static int eval_latency(const expect_assert *a, const check_run *run, const tl *t,
                        check_result *out, sim_error *err) {
    char key[32], b1[32], b2[32];
    if (a->window_us == 0) {
        pct_key(a->percentile, key, sizeof key, 0);
        if (summary_number(run, "latency_ms", key, &out->observed, err) < 0)
            return -1;
        out->t_us = -1;
        out->passed = out->observed <= a->value;
        out->margin = a->value - out->observed;
        say(out, "p%g latency %.1fms over the whole run (summary.json), bound %gms", a->percentile,
            out->observed, a->value);
        return 0;
    }
    const double *lat = NULL, *done = NULL;
    pct_key(a->percentile, key, sizeof key, 1);
    if (need_col(t->t, key, &lat, err) < 0 || need_col(t->t, "completed", &done, err) < 0)
        return -1;
    int64_t w0 = a->from_us, end = a->to_us < end_us(t) ? a->to_us : end_us(t);
    long nwin = 0, nbad = 0;
    int64_t first_bad = -1, worst_at = -1;
    double worst = -1;
    for (int64_t ws = w0; ws < end; ws += a->window_us) {
        double sum = 0, weight = 0;
        for (size_t i = 0; i < t->n; i++) {
            int64_t ts = sec_us(t->time_s[i]);
            if (ts < ws || ts >= ws + a->window_us || ts >= end || done[i] <= 0 || isnan(lat[i]))
                continue;
            sum += lat[i] * done[i];
            weight += done[i];
        }
        if (weight <= 0)
            continue; /* nothing served in that window: no latency to judge */
        double v = sum / weight;
        nwin++;
        if (v > worst) {
            worst = v;
            worst_at = ws;
        }
        if (v > a->value) {
            nbad++;
            if (first_bad < 0)
                first_bad = ws;
        }
    }
    fmt_t(a->window_us, b2, sizeof b2);
    if (nwin == 0) {
        out->observed = 0;
        out->t_us = -1;
        out->passed = 1;
        out->margin = a->value;
        say(out, "no %s window served a request: nothing to judge", b2);
        return 0;
    }
    out->observed = worst;
    out->t_us = worst_at;
    out->passed = nbad == 0;
    out->margin = a->value - worst;
    if (nbad == 0) {
        say(out, "worst p%g latency %.1fms in the %s window at %s (%ld windows)", a->percentile,
            worst, b2, fmt_t(worst_at, b1, sizeof b1), nwin);
    } else {
        char b3[32];
        say(out,
            "p%g latency %.1fms in the %s window at %s, above %gms (%ld of %ld windows "
            "above, the first at %s)",
            a->percentile, worst, b2, fmt_t(worst_at, b1, sizeof b1), a->value, nbad, nwin,
            fmt_t(first_bad, b3, sizeof b3));
    }
    return 0;
}

static int eval_slo(const expect_assert *a, const tl *t, check_result *out, sim_error *err) {
    char key[32], b1[32];
    const double *lat = NULL, *done = NULL, *failed = NULL, *offered = NULL;
    pct_key(a->percentile, key, sizeof key, 1);
    if (need_col(t->t, key, &lat, err) < 0 || need_col(t->t, "completed", &done, err) < 0)
        return -1;
    int c = check_table_col(t->t, "failed");
    if (c >= 0)
        failed = t->t->cols[c];
    c = check_table_col(t->t, "offered");
    if (c >= 0)
        offered = t->t->cols[c];
    long busy = 0, met = 0;
    long first_miss = -1;
    for (size_t i = 0; i < t->n; i++) {
        int traffic = done[i] > 0 || (failed && failed[i] > 0) || (offered && offered[i] > 0);
        if (!traffic)
            continue;
        busy++;
        if (done[i] > 0 && lat[i] <= a->slo_ms)
            met++;
        else if (first_miss < 0)
            first_miss = (long)i;
    }
    out->observed = busy ? 100.0 * (double)met / (double)busy : 100.0;
    out->passed = out->observed >= a->value;
    out->margin = out->observed - a->value;
    out->t_us = first_miss >= 0 ? sec_us(t->time_s[first_miss]) : -1;
    if (first_miss >= 0)
        say(out,
            "SLO attainment %.2f%%: %ld of %ld seconds with traffic met p%g <= %gms; the "
            "first miss at %s (%.1fms)",
            out->observed, met, busy, a->percentile, a->slo_ms, fmt_t(out->t_us, b1, sizeof b1),
            lat[first_miss]);
    else
        say(out, "SLO attainment %.2f%%: %ld of %ld seconds with traffic met p%g <= %gms",
            out->observed, met, busy, a->percentile, a->slo_ms);
    return 0;
}

static int eval_errors(const expect_assert *a, const check_run *run, const tl *t, check_result *out,
                       sim_error *err) {
    double done = 0, failed = 0;
    char b1[32];
    if (summary_number(run, "requests", "completed", &done, err) < 0 ||
        summary_number(run, "requests", "failed", &failed, err) < 0)
        return -1;
    out->observed = done + failed > 0 ? 100.0 * failed / (done + failed) : 0;
    out->passed = out->observed <= a->value;
    out->margin = a->value - out->observed;
    out->t_us = -1;
    int c = check_table_col(t->t, "failed");
    long most = -1;
    for (size_t i = 0; c >= 0 && i < t->n; i++)
        if (t->t->cols[c][i] > 0 && (most < 0 || t->t->cols[c][i] > t->t->cols[c][most]))
            most = (long)i;
    if (most >= 0) {
        out->t_us = sec_us(t->time_s[most]);
        say(out,
            "error rate %.3f%% (%.0f failed of %.0f) over the whole run; the most failures "
            "(%.0f) in the second at %s",
            out->observed, failed, done + failed, t->t->cols[c][most],
            fmt_t(out->t_us, b1, sizeof b1));
    } else {
        say(out, "error rate %.3f%% (%.0f failed of %.0f) over the whole run", out->observed,
            failed, done + failed);
    }
    return 0;
}

static int eval_hours(const expect_assert *a, const check_run *run, const tl *t, check_result *out,
                      sim_error *err) {
    int gpu = a->kind == EXPECT_GPU_HOURS_AT_MOST;
    const char *what = gpu ? "GPU-hours" : "pod-hours";
    char b1[32], b2[32];
    if (gpu) {
        if (summary_number(run, NULL, "gpu_hours", &out->observed, NULL) < 0 &&
            summary_number(run, "pods", "gpu_hours", &out->observed, NULL) < 0)
            return error_set(err, "summary.json has no gpu_hours (this run has no GPU model)");
    } else if (summary_number(run, "pods", "pod_hours", &out->observed, err) < 0) {
        return -1;
    }
    out->passed = out->observed <= a->value;
    out->margin = a->value - out->observed;
    out->t_us = -1;
    int c = check_table_col(t->t, gpu ? "gpu_seconds" : "pod_seconds");
    double sum = 0;
    for (size_t i = 0; c >= 0 && !out->passed && i < t->n; i++) {
        if (!isnan(t->t->cols[c][i]))
            sum += t->t->cols[c][i];
        if (sum / 3600.0 > a->value) {
            out->t_us = sec_us(t->time_s[i]);
            break;
        }
    }
    if (out->t_us >= 0)
        say(out, "%.4g %s over the whole run (%s), above %g from %s on", out->observed, what,
            fmt_t(end_us(t), b2, sizeof b2), a->value, fmt_t(out->t_us, b1, sizeof b1));
    else if (!out->passed)
        say(out, "%.4g %s over the whole run (%s), above %g", out->observed, what,
            fmt_t(end_us(t), b2, sizeof b2), a->value);
    else
        say(out, "%.4g %s over the whole run (%s)", out->observed, what,
            fmt_t(end_us(t), b2, sizeof b2));
    return 0;
}

static const expect_tolerance *tolerance_for(const expect_assert *a, const char *col) {
    const expect_tolerance *star = NULL;
    for (size_t i = 0; i < a->n_tolerances; i++) {
        if (strcmp(a->tolerances[i].column, col) == 0)
            return &a->tolerances[i];
        if (strcmp(a->tolerances[i].column, "*") == 0)
            star = &a->tolerances[i];
    }
    return star;
}

static int eval_golden(const expect_assert *a, const tl *t, const check_table *g, check_result *out,
                       sim_error *err) {
    char b1[32];
    int gt = check_table_col(g, "time_s");
    if (gt < 0)
        return error_set(err, "%s: the golden timeline has no time_s column", a->golden_path);
    for (size_t i = 0; i < a->n_tolerances; i++)
        if (strcmp(a->tolerances[i].column, "*") != 0 &&
            check_table_col(g, a->tolerances[i].column) < 0)
            return error_set(err, "%s: tolerance for column %s, which the golden timeline lacks",
                             a->golden_path, a->tolerances[i].column);
    long bad = 0;
    int first_set = 0;
    size_t ri = 0;
    for (size_t c = 0; c < g->ncols; c++) {
        if ((int)c == gt)
            continue;
        if (check_table_col(t->t, g->names[c]) < 0) {
            out->passed = 0;
            out->observed = 1;
            out->margin = -1e300;
            out->t_us = -1;
            say(out, "column %s of the golden timeline is missing from the run's timeline",
                g->names[c]);
            return 0;
        }
    }
    for (size_t r = 0; r < g->nrows; r++) {
        int64_t ts = sec_us(g->cols[gt][r]);
        while (ri < t->n && sec_us(t->time_s[ri]) < ts)
            ri++;
        if (ri >= t->n || sec_us(t->time_s[ri]) != ts) {
            out->passed = 0;
            out->observed = (double)(g->nrows - r);
            out->margin = -1e300;
            out->t_us = ts;
            say(out, "the run's timeline has no row at %s, which the golden timeline has",
                fmt_t(ts, b1, sizeof b1));
            return 0;
        }
        for (size_t c = 0; c < g->ncols; c++) {
            if ((int)c == gt)
                continue;
            double want = g->cols[c][r];
            double got = t->t->cols[check_table_col(t->t, g->names[c])][ri];
            const expect_tolerance *tol = tolerance_for(a, g->names[c]);
            double allowed = 0;
            if (tol)
                allowed = tol->rel_pct >= 0 ? fabs(want) * tol->rel_pct / 100.0 : tol->abs;
            int same = (isnan(want) && isnan(got)) ||
                       (!isnan(want) && !isnan(got) && fabs(got - want) <= allowed + 1e-9);
            if (same)
                continue;
            bad++;
            if (!first_set) {
                first_set = 1;
                out->t_us = ts;
                char tolbuf[48];
                if (tol && tol->rel_pct >= 0)
                    snprintf(tolbuf, sizeof tolbuf, "%g%%, i.e. %g", tol->rel_pct, allowed);
                else
                    snprintf(tolbuf, sizeof tolbuf, "%g", allowed);
                say(out, "%s at %s: %g, golden %g (tolerance %s)", g->names[c],
                    fmt_t(ts, b1, sizeof b1), got, want, tolbuf);
            }
        }
    }
    out->observed = (double)bad;
    out->margin = -(double)bad;
    out->passed = bad == 0;
    if (bad == 0) {
        out->t_us = -1;
        say(out, "%zu rows x %zu columns within tolerance", g->nrows, g->ncols - 1);
    } else {
        size_t len = strlen(out->message);
        snprintf(out->message + len, sizeof out->message - len,
                 "; %ld value%s outside tolerance in all", bad, bad == 1 ? "" : "s");
    }
    return 0;
}

int check_eval(const expect_assert *a, const check_run *run, const check_table *golden,
               check_result *out, sim_error *err) {
    memset(out, 0, sizeof *out);
    out->t_us = -1;
    tl t;
    if (timeline_of(run, &t, err) < 0)
        return -1;
    switch (a->kind) {
    case EXPECT_REPLICAS_AT:
    case EXPECT_REPLICAS_AT_MOST:
    case EXPECT_REPLICAS_AT_LEAST:
        return eval_replicas(a, &t, out, err);
    case EXPECT_SCALE_UP_WITHIN:
        return eval_scale_up(a, &t, out, err);
    case EXPECT_BACK_TO_MIN:
        return eval_back_to_min(a, &t, out, err);
    case EXPECT_RESCALES_AT_MOST:
        return eval_rescales(a, run, &t, out, err);
    case EXPECT_LATENCY_AT_MOST:
        return eval_latency(a, run, &t, out, err);
    case EXPECT_SLO_AT_LEAST:
        return eval_slo(a, &t, out, err);
    case EXPECT_ERROR_RATE_AT_MOST:
        return eval_errors(a, run, &t, out, err);
    case EXPECT_POD_HOURS_AT_MOST:
    case EXPECT_GPU_HOURS_AT_MOST:
        return eval_hours(a, run, &t, out, err);
    case EXPECT_GOLDEN:
        if (golden == NULL)
            return error_set(err, "golden: the golden timeline was not read");
        return eval_golden(a, &t, golden, out, err);
    }
    return error_set(err, "unknown assertion kind %d", (int)a->kind);
}
