/* dist.c: reads duration distributions (pod start-up delay, per-request CPU demand).
 *
 * A plain duration ("20ms" or 0.02) is a constant. Otherwise an object names the distribution
 * in "dist" and gives its parameters, all durations except cv:
 *   constant {value}  exponential {mean}  lognormal {mean, cv}  gamma {mean, cv}
 *   uniform {min, max}  empirical {file, column, unit}
 * Empirical samples come from one column of a CSV file with a header (csv_columns.h); a cell is
 * a plain number in `unit` (s, ms or us; default s) or a Go-style duration string. Parameters
 * are stored in microseconds (config.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/duration.h"
#include "common/options.h"
#include "sim/scenario/csv_columns.h"
#include "sim/scenario/sections.h"

#define MAX_SAMPLES 10000000
#define MAX_CV      100.0

static const char *const dist_names[] = {"constant", "exponential", "lognormal",
                                         "gamma",    "uniform",     "empirical"};
/* Parameters of each kind, in dist_kind order (config.h). */
static const char *const dist_params[6][4] = {
    {"value", NULL},      {"mean", NULL},       {"mean", "cv", NULL},
    {"mean", "cv", NULL}, {"min", "max", NULL}, {"file", "column", "unit", NULL},
};

void dist_cfg_free(dist_cfg *d) {
    free(d->samples);
    d->samples = NULL;
    d->n_samples = 0;
}

typedef struct foreign_ctx {
    int kind;
    char msg[160];
} foreign_ctx;

static const char *param_list(int kind, char *buf, size_t size) {
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; dist_params[kind][i] != NULL && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", dist_params[kind][i]);
    return buf;
}

static const char *foreign_param(const char *key, const void *ctx) {
    foreign_ctx *fc = (foreign_ctx *)ctx;
    for (int k = 0; k < 6; k++) {
        for (int i = 0; dist_params[k][i] != NULL; i++) {
            if (strcmp(dist_params[k][i], key) == 0) {
                char list[64];
                snprintf(fc->msg, sizeof fc->msg, "not a parameter of \"%s\" (it takes: %s)",
                         dist_names[fc->kind], param_list(fc->kind, list, sizeof list));
                return fc->msg;
            }
        }
    }
    return NULL;
}

typedef struct sample_acc {
    dist_cfg *d;
    double unit_us;
    const char *column;
} sample_acc;

static int on_sample(void *user, const char *path, int line, const char *const *fields,
                     sim_error *err) {
    sample_acc *acc = user;
    dist_cfg *d = acc->d;
    const char *cell = fields[0];
    double us = 0;
    double v;
    int64_t parsed;
    sim_error derr;
    if (opts_parse_double(cell, &v) == 0 && isfinite(v)) {
        us = v * acc->unit_us;
    } else if (duration_parse(cell, &parsed, &derr) == 0) {
        us = (double)parsed;
    } else {
        return error_set(err,
                         "%s:%d: column \"%s\": expected a duration (a number in the scenario's "
                         "\"unit\" or a string such as \"20ms\"), got \"%.40s\"",
                         path, line, acc->column, cell);
    }
    if (us < 0)
        return error_set(err, "%s:%d: column \"%s\": must not be negative, got \"%.40s\"", path,
                         line, acc->column, cell);
    if (us > (double)RD_MAX_TIME_US)
        return error_set(err, "%s:%d: column \"%s\": too long, got \"%.40s\"", path, line,
                         acc->column, cell);
    if (d->n_samples >= MAX_SAMPLES)
        return error_set(err, "%s:%d: more than %d samples", path, line, MAX_SAMPLES);
    if ((d->n_samples & (d->n_samples - 1)) == 0) { /* grow at powers of two */
        size_t cap = d->n_samples ? d->n_samples * 2 : 64;
        double *s = realloc(d->samples, cap * sizeof *s);
        if (s == NULL)
            return error_set(err, "%s:%d: out of memory", path, line);
        d->samples = s;
    }
    d->samples[d->n_samples++] = us;
    return 0;
}

static int read_empirical(const sc_reader *r, const cJSON *node, const char *path, dist_cfg *d) {
    char p[RD_PATH_MAX];
    const cJSON *file_node, *m;
    const char *file = NULL, *column = NULL;
    if (rd_require(r, node, path, "file",
                   "an empirical distribution reads its samples from a CSV file", &file_node) < 0 ||
        rd_string(r, file_node, rd_join(p, path, "file"), &file) < 0)
        return -1;
    if ((m = rd_get(node, "column")) != NULL &&
        rd_string(r, m, rd_join(p, path, "column"), &column) < 0)
        return -1;
    static const char *const units[] = {"s", "ms", "us"};
    static const double unit_us[] = {1e6, 1e3, 1.0};
    int unit = 0;
    if ((m = rd_get(node, "unit")) != NULL &&
        rd_enum(r, m, rd_join(p, path, "unit"), units, 3, &unit) < 0)
        return -1;
    if (file[0] == '\0')
        return rd_fail(r, file_node, rd_join(p, path, "file"), "expected a file name, got \"\"");
    char resolved[RD_PATH_MAX * 4];
    rd_resolve(r, file, resolved, sizeof resolved);
    sample_acc acc = {d, unit_us[unit], column ? column : "(the only column)"};
    const char *names[1] = {column};
    sim_error cerr;
    long rows =
        csv_read_columns(resolved, names, 1, column ? column : "seconds", on_sample, &acc, &cerr);
    if (rows == CSV_COLUMNS_CANNOT_OPEN) {
        dist_cfg_free(d);
        return rd_fail(r, file_node, rd_join(p, path, "file"), "cannot read \"%s\": %s", resolved,
                       cerr.msg);
    }
    if (rows < 0) {
        dist_cfg_free(d);
        return error_set(r->err, "%s (samples of %s)", cerr.msg, path);
    }
    double sum = 0, lo = INFINITY, hi = 0;
    for (size_t i = 0; i < d->n_samples; i++) {
        sum += d->samples[i];
        lo = fmin(lo, d->samples[i]);
        hi = fmax(hi, d->samples[i]);
    }
    d->mean = sum / (double)d->n_samples;
    d->min = lo;
    d->max = hi;
    return 0;
}

/* A duration parameter (microseconds as a double). */
static int param_duration(const sc_reader *r, const cJSON *obj, const char *path, const char *key,
                          int64_t min_us, int min_excl, const char *why, double *out) {
    char p[RD_PATH_MAX];
    const cJSON *m;
    int64_t us;
    if (rd_require(r, obj, path, key, why, &m) < 0 ||
        rd_duration(r, m, rd_join(p, path, key), min_us, min_excl, RD_MAX_TIME_US, &us) < 0)
        return -1;
    *out = (double)us;
    return 0;
}

int read_dist(const sc_reader *r, const cJSON *node, const char *path, dist_use use,
              dist_cfg *out) {
    memset(out, 0, sizeof *out);
    int64_t us;
    if (cJSON_IsNumber(node) || cJSON_IsString(node)) {
        if (rd_duration(r, node, path, 0, use == DIST_POSITIVE, RD_MAX_TIME_US, &us) < 0)
            return -1;
        out->kind = DIST_CONSTANT;
        out->mean = (double)us;
        return 0;
    }
    char d[96], p[RD_PATH_MAX];
    if (!cJSON_IsObject(node))
        return rd_fail(r, node, path,
                       "expected a duration (\"20ms\", 0.02) or a distribution such as "
                       "{\"dist\": \"lognormal\", \"mean\": \"20ms\", \"cv\": 0.5}, got %s",
                       rd_describe(node, d, sizeof d));
    const cJSON *kind_node;
    int kind;
    if (rd_require(r, node, path, "dist",
                   "expected one of \"constant\", \"exponential\", \"lognormal\", \"gamma\", "
                   "\"uniform\", \"empirical\"",
                   &kind_node) < 0 ||
        rd_enum(r, kind_node, rd_join(p, path, "dist"), dist_names, 6, &kind) < 0)
        return -1;
    const char *allowed[5] = {"dist"};
    int nallowed = 1;
    for (int i = 0; dist_params[kind][i] != NULL; i++)
        allowed[nallowed++] = dist_params[kind][i];
    foreign_ctx fc = {kind, ""};
    if (rd_object(r, node, path, allowed, nallowed, foreign_param, &fc) < 0)
        return -1;
    out->kind = (dist_kind)kind;
    int positive = use == DIST_POSITIVE;
    const cJSON *m;
    switch (out->kind) {
    case DIST_CONSTANT:
        return param_duration(r, node, path, "value", 0, positive, "a constant needs its value",
                              &out->mean);
    case DIST_EXPONENTIAL:
        return param_duration(r, node, path, "mean", 0, 1, "an exponential needs its mean",
                              &out->mean);
    case DIST_LOGNORMAL:
    case DIST_GAMMA:
        if (param_duration(r, node, path, "mean", 0, 1, "this distribution needs its mean",
                           &out->mean) < 0 ||
            rd_require(r, node, path, "cv",
                       "this distribution needs its coefficient of variation (stddev / mean)",
                       &m) < 0 ||
            rd_number(r, m, rd_join(p, path, "cv"), 0, 1, MAX_CV, &out->cv) < 0)
            return -1;
        return 0;
    case DIST_UNIFORM:
        if (param_duration(r, node, path, "min", 0, 0, "a uniform distribution needs min and max",
                           &out->min) < 0 ||
            param_duration(r, node, path, "max", 0, positive,
                           "a uniform distribution needs min and max", &out->max) < 0)
            return -1;
        if (out->max < out->min) {
            char lo[64];
            duration_format((int64_t)out->min, lo, sizeof lo);
            return rd_fail(r, rd_get(node, "max"), rd_join(p, path, "max"),
                           "must be at least min (%s)", lo);
        }
        out->mean = (out->min + out->max) / 2;
        return 0;
    case DIST_EMPIRICAL:
        return read_empirical(r, node, path, out);
    }
    return 0;
}
