/* load.c: reads the "load" section: an array of load phases, each one of
 *   - a hey command line, verbatim:        {"hey": "hey -z 2m -c 20 http://..."}
 *   - a closed loop given field by field:   {"type": "closed", "c": 20, "z": "2m", ...}
 *   - an open loop:                         {"type": "poisson" | "uniform", and one of
 *       "rate", "ramp", "step", "diurnal", "trace"}
 * with optional name, start and end. Field meanings, defaults and errors: docs/scenario.md. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/duration.h"
#include "common/hey_args.h"
#include "common/options.h"
#include "sim/scenario/csv_columns.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/sections.h"

#define MAX_PHASES 1000
#define MAX_RATE   1e7 /* requests per second */
#define MAX_POINTS 10000000
#define MAX_N      INT64_C(1000000000000)

enum { TYPE_CLOSED, TYPE_POISSON, TYPE_UNIFORM };
static const char *const type_names[] = {"closed", "poisson", "uniform"};
static const char *const shape_keys[] = {"rate", "ramp", "step", "diurnal", "trace"};

static const char *const hey_phase_keys[] = {"name", "type", "start", "end", "hey"};
static const char *const closed_phase_keys[] = {"name", "type", "start", "end", "c",
                                                "q",    "z",    "n",     "t"};
static const char *const open_phase_keys[] = {"name", "type", "start", "end",     "t",
                                              "rate", "ramp", "step",  "diurnal", "trace"};
#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int in_list(const char *key, const char *const *list, int n) {
    for (int i = 0; i < n; i++)
        if (strcmp(key, list[i]) == 0)
            return 1;
    return 0;
}

typedef struct phase_ctx {
    int type;
    int has_hey;
    char msg[200];
} phase_ctx;

/* Explains keys that belong to another kind of phase. */
static const char *foreign_key(const char *key, const void *vctx) {
    phase_ctx *c = (phase_ctx *)vctx;
    int is_closed = in_list(key, closed_phase_keys + 4, 4); /* c q z n */
    int is_open = in_list(key, shape_keys, 5);
    if (c->has_hey) {
        if (is_closed || strcmp(key, "t") == 0)
            snprintf(c->msg, sizeof c->msg,
                     "not allowed with \"hey\": the hey command line sets the load (give -%s in "
                     "it)",
                     key);
        else if (is_open)
            snprintf(c->msg, sizeof c->msg,
                     "not allowed with \"hey\": a hey command line is a closed loop");
        else
            return NULL;
        return c->msg;
    }
    if (c->type == TYPE_CLOSED && is_open) {
        snprintf(c->msg, sizeof c->msg,
                 "not valid for a closed loop (type \"closed\"); rate, ramp, step, diurnal and "
                 "trace belong to the open-loop types \"poisson\" and \"uniform\"");
        return c->msg;
    }
    if (c->type != TYPE_CLOSED && is_closed) {
        snprintf(c->msg, sizeof c->msg,
                 "not valid for an open-loop phase (type \"%s\"); c, q, z and n belong to type "
                 "\"closed\"",
                 type_names[c->type]);
        return c->msg;
    }
    if (c->type != TYPE_CLOSED && strcmp(key, "hey") == 0) {
        snprintf(c->msg, sizeof c->msg,
                 "a hey command line is a closed loop; it cannot have type \"%s\"",
                 type_names[c->type]);
        return c->msg;
    }
    return NULL;
}

void load_cfg_free(load_cfg *l) {
    char **strings[] = {&l->hey_command,  &l->method, &l->url,        &l->body,   &l->body_file,
                        &l->content_type, &l->host,   &l->trace_file, &l->accept, &l->basic_auth,
                        &l->user_agent,   &l->proxy,  &l->output};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        free(*strings[i]);
        *strings[i] = NULL;
    }
    for (size_t i = 0; i < l->n_headers; i++) {
        free(l->headers[i].name);
        free(l->headers[i].value);
    }
    free(l->headers);
    l->headers = NULL;
    l->n_headers = 0;
    free(l->points);
    l->points = NULL;
    l->n_points = 0;
}

static char *take(char **s) {
    char *v = *s;
    *s = NULL;
    return v;
}

/* ---- hey command lines ------------------------------------------------------------------ */

static int read_hey(const sc_reader *r, const cJSON *obj, const char *path, load_cfg *l,
                    const cJSON *end_node) {
    char p[RD_PATH_MAX];
    const cJSON *node = rd_get(obj, "hey");
    const char *command;
    rd_join(p, path, "hey");
    if (rd_string(r, node, p, &command) < 0)
        return -1;
    hey_args a;
    size_t at = 0;
    sim_error herr;
    if (hey_args_parse_command(command, &a, &at, &herr) < 0)
        return rd_fail_at(r, json_string_offset(r->idx, node, at), p, "%s", herr.msg);
    if (a.z_us > 0 && end_node != NULL) {
        hey_args_free(&a);
        return rd_fail_key(r, end_node, rd_join(p, path, "end"),
                           "give either -z in the hey command line or end, not both");
    }
    if (a.z_us > RD_MAX_TIME_US) {
        hey_args_free(&a);
        char lim[64];
        duration_format(RD_MAX_TIME_US, lim, sizeof lim);
        return rd_fail(r, node, p, "-z is longer than the longest scenario (%s)", lim);
    }
    l->kind = LOAD_CLOSED;
    l->workers = (int)a.c;
    l->qps_per_worker = a.q > 0 ? a.q : 0;           /* hey: q <= 0 means no limit */
    l->duration_us = a.z_us > 0 ? a.z_us : 0;        /* hey: -z <= 0 means none */
    l->total_requests = a.z_us > 0 ? 0 : a.n;        /* hey ignores -n when -z is given */
    l->timeout_us = a.t_s > 0 ? a.t_s * 1000000 : 0; /* hey: -t 0 (or less) means none */
    l->hey_command = strdup(command);
    l->method = take(&a.method);
    l->url = take(&a.url);
    l->body = take(&a.body);
    l->body_file = take(&a.body_file);
    l->content_type = take(&a.content_type);
    l->host = take(&a.host);
    l->accept = take(&a.accept);
    l->basic_auth = take(&a.basic_auth);
    l->user_agent = take(&a.user_agent);
    l->proxy = take(&a.proxy);
    l->output = take(&a.output);
    l->h2 = a.h2;
    l->disable_compression = a.disable_compression;
    l->disable_keepalive = a.disable_keepalive;
    l->disable_redirects = a.disable_redirects;
    l->cpus = a.cpus > 0 && a.cpus < 1000000 ? (int)a.cpus : 0;
    if (a.n_headers > 0) {
        l->headers = calloc(a.n_headers, sizeof *l->headers);
        if (l->headers == NULL) {
            hey_args_free(&a);
            return rd_fail(r, node, p, "out of memory");
        }
        for (size_t i = 0; i < a.n_headers; i++) {
            l->headers[i].name = take(&a.headers[i].name);
            l->headers[i].value = take(&a.headers[i].value);
        }
        l->n_headers = a.n_headers;
    }
    hey_args_free(&a);
    if (l->hey_command == NULL)
        return rd_fail(r, node, p, "out of memory");
    return 0;
}

/* ---- closed loop, field by field --------------------------------------------------------- */

static int read_closed(const sc_reader *r, const cJSON *obj, const char *path, load_cfg *l,
                       const cJSON *end_node) {
    char p[RD_PATH_MAX];
    const cJSON *m;
    int64_t v;
    l->kind = LOAD_CLOSED;
    l->workers = 50;
    l->timeout_us = 20 * 1000000;
    if ((m = rd_get(obj, "c")) != NULL) {
        if (rd_int(r, m, rd_join(p, path, "c"), 1, HEY_MAX_WORKERS, &v) < 0)
            return -1;
        l->workers = (int)v;
    }
    if ((m = rd_get(obj, "q")) != NULL &&
        rd_number(r, m, rd_join(p, path, "q"), 0, 0, HEY_MAX_QPS, &l->qps_per_worker) < 0)
        return -1;
    if ((m = rd_get(obj, "t")) != NULL &&
        rd_duration(r, m, rd_join(p, path, "t"), 0, 0, RD_MAX_TIME_US, &l->timeout_us) < 0)
        return -1;
    const cJSON *z = rd_get(obj, "z"), *n = rd_get(obj, "n");
    if (z != NULL &&
        rd_duration(r, z, rd_join(p, path, "z"), 0, 1, RD_MAX_TIME_US, &l->duration_us) < 0)
        return -1;
    if (n != NULL && rd_int(r, n, rd_join(p, path, "n"), 1, MAX_N, &l->total_requests) < 0)
        return -1;
    if (z != NULL && n != NULL)
        return rd_fail_key(r, n, rd_join(p, path, "n"),
                           "hey ignores n when z is given; give one of them");
    if (z != NULL && end_node != NULL)
        return rd_fail_key(r, end_node, rd_join(p, path, "end"), "give either z or end, not both");
    if (z == NULL && n == NULL && end_node == NULL)
        l->total_requests = 200; /* hey's default -n */
    if (l->total_requests > 0 && l->total_requests < l->workers) {
        if (n != NULL)
            return rd_fail(r, n, rd_join(p, path, "n"),
                           "%" PRId64 " is less than c (%d): hey gives each worker n/c requests, "
                           "so n cannot be less than c",
                           l->total_requests, l->workers);
        return rd_fail(r, rd_get(obj, "c"), rd_join(p, path, "c"),
                       "%d workers are more than hey's default n of 200 requests; give n, z or "
                       "end",
                       l->workers);
    }
    return 0;
}

/* ---- open loop --------------------------------------------------------------------------- */

static int read_rate(const sc_reader *r, const cJSON *node, const char *path, double *out) {
    return rd_number(r, node, path, 0, 0, MAX_RATE, out);
}

/* Two rates a shape needs together (a ramp's from and to, a diurnal rate's min and max), read in
 * that order with the same message when one is missing; *second_node is the second's node. */
static int read_rate_pair(const sc_reader *r, const cJSON *node, const char *path,
                          const char *first, const char *second, const char *need,
                          double *first_rps, const cJSON **second_node, double *second_rps) {
    char p[RD_PATH_MAX];
    const cJSON *v;
    if (rd_require(r, node, path, first, need, &v) < 0 ||
        read_rate(r, v, rd_join(p, path, first), first_rps) < 0 ||
        rd_require(r, node, path, second, need, second_node) < 0 ||
        read_rate(r, *second_node, rd_join(p, path, second), second_rps) < 0)
        return -1;
    return 0;
}

static int read_ramp(const sc_reader *r, const cJSON *node, const char *path, load_cfg *l) {
    static const char *const keys[] = {"from", "to"};
    const cJSON *to;
    if (rd_object(r, node, path, keys, 2, NULL, NULL) < 0 ||
        read_rate_pair(r, node, path, "from", "to",
                       "a ramp needs both from and to (requests per second)", &l->rate_from, &to,
                       &l->rate_to) < 0)
        return -1;
    return 0;
}

static int read_step(const sc_reader *r, const cJSON *node, const char *path, load_cfg *l) {
    char p[RD_PATH_MAX], q[RD_PATH_MAX], d[96];
    int n = cJSON_GetArraySize(node);
    if (!cJSON_IsArray(node) || n == 0)
        return rd_fail(r, node, path,
                       "expected a non-empty array of [time, requests per second] pairs, got %s",
                       cJSON_IsArray(node) ? "an empty array" : rd_describe(node, d, sizeof d));
    l->points = calloc((size_t)n, sizeof *l->points);
    if (l->points == NULL)
        return rd_fail(r, node, path, "out of memory");
    size_t i = 0;
    for (const cJSON *item = node->child; item != NULL; item = item->next, i++) {
        rd_index(p, path, i);
        if (!cJSON_IsArray(item) || cJSON_GetArraySize(item) != 2)
            return rd_fail(r, item, p, "expected a pair [time, requests per second], got %s",
                           rd_describe(item, d, sizeof d));
        rate_point *pt = &l->points[i];
        if (rd_duration(r, item->child, rd_index(q, p, 0), 0, 0, RD_MAX_TIME_US, &pt->t_us) < 0 ||
            read_rate(r, item->child->next, rd_index(q, p, 1), &pt->rps) < 0)
            return -1;
        if (i > 0 && pt->t_us <= l->points[i - 1].t_us) {
            char prev[64], got[64];
            duration_format(l->points[i - 1].t_us, prev, sizeof prev);
            duration_format(pt->t_us, got, sizeof got);
            return rd_fail(r, item->child, rd_index(q, p, 0),
                           "must be after the previous step's time (%s), got %s", prev, got);
        }
        l->n_points = i + 1;
    }
    l->interpolation = INTERP_STEP;
    return 0;
}

static int read_diurnal(const sc_reader *r, const cJSON *node, const char *path, load_cfg *l) {
    static const char *const keys[] = {"min", "max", "period", "peak_at"};
    char p[RD_PATH_MAX];
    const cJSON *hi, *m;
    if (rd_object(r, node, path, keys, 4, NULL, NULL) < 0 ||
        read_rate_pair(r, node, path, "min", "max",
                       "a diurnal rate needs min and max (requests per second)", &l->rate_min, &hi,
                       &l->rate_max) < 0)
        return -1;
    if (l->rate_max < l->rate_min)
        return rd_fail(r, hi, rd_join(p, path, "max"), "must be at least min (%.15g), got %.15g",
                       l->rate_min, l->rate_max);
    l->period_us = 24 * US_PER_HOUR;
    if ((m = rd_get(node, "period")) != NULL &&
        rd_duration(r, m, rd_join(p, path, "period"), 0, 1, RD_MAX_TIME_US, &l->period_us) < 0)
        return -1;
    l->peak_at_us = l->period_us / 2;
    if ((m = rd_get(node, "peak_at")) != NULL) {
        if (rd_duration(r, m, rd_join(p, path, "peak_at"), 0, 0, RD_MAX_TIME_US, &l->peak_at_us) <
            0)
            return -1;
        if (l->peak_at_us >= l->period_us) {
            char a[64], b[64];
            duration_format(l->period_us, a, sizeof a);
            duration_format(l->peak_at_us, b, sizeof b);
            return rd_fail(r, m, rd_join(p, path, "peak_at"),
                           "must be less than period (%s), got %s", a, b);
        }
    }
    return 0;
}

typedef struct trace_acc {
    load_cfg *l;
    size_t cap;
    double scale;
} trace_acc;

static int on_trace_row(void *user, const char *path, int line, const char *const *f,
                        sim_error *err) {
    trace_acc *acc = user;
    load_cfg *l = acc->l;
    double t_s, rps;
    if (opts_parse_double(f[0], &t_s) < 0 || !isfinite(t_s))
        return error_set(err, "%s:%d: t_s: expected a number of seconds, got \"%.40s\"", path, line,
                         f[0]);
    if (t_s < 0 || t_s * 1e6 > (double)RD_MAX_TIME_US)
        return error_set(err, "%s:%d: t_s: must be from 0 to %" PRId64 " seconds, got %s", path,
                         line, RD_MAX_TIME_US / 1000000, f[0]);
    if (opts_parse_double(f[1], &rps) < 0 || !isfinite(rps))
        return error_set(err, "%s:%d: rps: expected a number of requests per second, got \"%.40s\"",
                         path, line, f[1]);
    if (rps < 0 || rps * acc->scale > MAX_RATE)
        return error_set(err, "%s:%d: rps: must be from 0 to %g (after scale), got %s", path, line,
                         MAX_RATE, f[1]);
    int64_t t_us = (int64_t)llround(t_s * 1e6);
    if (l->n_points > 0 && t_us <= l->points[l->n_points - 1].t_us)
        return error_set(err,
                         "%s:%d: t_s %s is not after the previous row's %.15g (rows must be in "
                         "increasing time order)",
                         path, line, f[0], (double)l->points[l->n_points - 1].t_us / 1e6);
    if (l->n_points >= MAX_POINTS)
        return error_set(err, "%s:%d: more than %d rows", path, line, MAX_POINTS);
    if (l->n_points == acc->cap) {
        size_t cap = acc->cap ? acc->cap * 2 : 256;
        rate_point *pts = realloc(l->points, cap * sizeof *pts);
        if (pts == NULL)
            return error_set(err, "%s:%d: out of memory", path, line);
        l->points = pts;
        acc->cap = cap;
    }
    l->points[l->n_points++] = (rate_point){t_us, rps * acc->scale};
    return 0;
}

/* The rows of a trace CSV into l->points: csv_read_columns' return. */
static long read_trace_csv(const char *path, double scale, load_cfg *l, sim_error *err) {
    trace_acc acc = {l, 0, scale};
    static const char *const columns[] = {"t_s", "rps"};
    return csv_read_columns(path, columns, 2, "t_s,rps", on_trace_row, &acc, err);
}

int scenario_read_trace(const char *path, double scale, load_cfg *l, sim_error *err) {
    sim_error cerr;
    long rows = read_trace_csv(path, scale, l, &cerr);
    if (rows == CSV_COLUMNS_CANNOT_OPEN)
        return error_set(err, "%s: cannot read: %s", path, cerr.msg);
    if (rows < 0)
        return error_set(err, "%s", cerr.msg);
    return 0;
}

static int read_trace(const sc_reader *r, const cJSON *node, const char *path, load_cfg *l) {
    static const char *const keys[] = {"file", "interpolation", "scale"};
    static const char *const interp_names[] = {"step", "linear"}; /* interp_kind order */
    char p[RD_PATH_MAX];
    const cJSON *file_node, *m;
    const char *file = NULL;
    if (rd_object(r, node, path, keys, 3, NULL, NULL) < 0 ||
        rd_require(r, node, path, "file", "a trace reads its rates from a CSV file (t_s,rps)",
                   &file_node) < 0 ||
        rd_string(r, file_node, rd_join(p, path, "file"), &file) < 0)
        return -1;
    if (file[0] == '\0')
        return rd_fail(r, file_node, p, "expected a file name, got \"\"");
    int interp = INTERP_LINEAR;
    if ((m = rd_get(node, "interpolation")) != NULL &&
        rd_enum(r, m, rd_join(p, path, "interpolation"), interp_names, 2, &interp) < 0)
        return -1;
    l->interpolation = (interp_kind)interp;
    double scale = 1.0;
    if ((m = rd_get(node, "scale")) != NULL &&
        rd_number(r, m, rd_join(p, path, "scale"), 0, 1, 1e6, &scale) < 0)
        return -1;
    char resolved[RD_PATH_MAX * 4];
    rd_resolve(r, file, resolved, sizeof resolved);
    l->trace_file = strdup(resolved);
    if (l->trace_file == NULL)
        return rd_fail(r, file_node, p, "out of memory");
    sim_error cerr;
    long rows = read_trace_csv(resolved, scale, l, &cerr);
    if (rows == CSV_COLUMNS_CANNOT_OPEN)
        return rd_fail(r, file_node, rd_join(p, path, "file"), "cannot read \"%s\": %s", resolved,
                       cerr.msg);
    if (rows < 0)
        return error_set(r->err, "%s", cerr.msg);
    return 0;
}

static int read_open(const sc_reader *r, const cJSON *obj, const char *path, load_cfg *l,
                     const cJSON *end_node) {
    char p[RD_PATH_MAX];
    const cJSON *m;
    l->kind = LOAD_OPEN;
    l->timeout_us = 20 * 1000000;
    if ((m = rd_get(obj, "t")) != NULL &&
        rd_duration(r, m, rd_join(p, path, "t"), 0, 0, RD_MAX_TIME_US, &l->timeout_us) < 0)
        return -1;
    const cJSON *shape = NULL;
    int which = -1;
    for (int i = 0; i < 5; i++) {
        const cJSON *s = rd_get(obj, shape_keys[i]);
        if (s == NULL)
            continue;
        if (shape != NULL)
            return rd_fail_key(r, s, rd_join(p, path, shape_keys[i]),
                               "give only one of rate, ramp, step, diurnal and trace (%s is "
                               "given too)",
                               shape_keys[which]);
        shape = s;
        which = i;
    }
    if (shape == NULL)
        return rd_fail(r, obj, rd_join(p, path, "rate"),
                       "missing; an open-loop phase needs one of rate, ramp, step, diurnal or "
                       "trace");
    rd_join(p, path, shape_keys[which]);
    switch (which) {
    case 0:
        l->shape = RATE_CONSTANT;
        return rd_number(r, shape, p, 0, 1, MAX_RATE, &l->rate);
    case 1:
        l->shape = RATE_RAMP;
        if (read_ramp(r, shape, p, l) < 0)
            return -1;
        if (end_node == NULL)
            return rd_fail(r, obj, rd_join(p, path, "end"),
                           "missing; a ramp needs an end: it goes from \"from\" at start to "
                           "\"to\" at end");
        return 0;
    case 2:
        l->shape = RATE_STEP;
        return read_step(r, shape, p, l);
    case 3:
        l->shape = RATE_DIURNAL;
        return read_diurnal(r, shape, p, l);
    default:
        l->shape = RATE_TRACE;
        return read_trace(r, shape, p, l);
    }
}

/* ---- one phase, and the array ------------------------------------------------------------ */

static int read_phase(const sc_reader *r, const cJSON *obj, const char *path, size_t index,
                      load_cfg *l) {
    char p[RD_PATH_MAX], d[96];
    if (!cJSON_IsObject(obj))
        return rd_fail(r, obj, path, "expected an object (a load phase), got %s",
                       rd_describe(obj, d, sizeof d));
    phase_ctx ctx = {TYPE_CLOSED, rd_get(obj, "hey") != NULL, ""};
    const cJSON *type_node = rd_get(obj, "type");
    if (type_node != NULL &&
        rd_enum(r, type_node, rd_join(p, path, "type"), type_names, 3, &ctx.type) < 0)
        return -1;
    if (type_node == NULL && !ctx.has_hey)
        return rd_fail(r, obj, rd_join(p, path, "type"),
                       "missing; expected \"closed\", \"poisson\" or \"uniform\" (or a hey "
                       "command line in \"hey\")");
    if (ctx.has_hey && ctx.type != TYPE_CLOSED)
        return rd_fail_key(r, rd_get(obj, "hey"), rd_join(p, path, "hey"),
                           "a hey command line is a closed loop; it cannot have type \"%s\"",
                           type_names[ctx.type]);
    int rc = ctx.has_hey
                 ? rd_object(r, obj, path, hey_phase_keys, COUNT(hey_phase_keys), foreign_key, &ctx)
             : ctx.type == TYPE_CLOSED ? rd_object(r, obj, path, closed_phase_keys,
                                                   COUNT(closed_phase_keys), foreign_key, &ctx)
                                       : rd_object(r, obj, path, open_phase_keys,
                                                   COUNT(open_phase_keys), foreign_key, &ctx);
    if (rc < 0)
        return -1;
    const cJSON *m;
    snprintf(l->name, sizeof l->name, "load[%zu]", index);
    if ((m = rd_get(obj, "name")) != NULL &&
        rd_name(r, m, rd_join(p, path, "name"), l->name, sizeof l->name) < 0)
        return -1;
    if ((m = rd_get(obj, "start")) != NULL &&
        rd_duration(r, m, rd_join(p, path, "start"), 0, 0, RD_MAX_TIME_US, &l->start_us) < 0)
        return -1;
    const cJSON *end_node = rd_get(obj, "end");
    int64_t end_us = INT64_MAX;
    if (end_node != NULL) {
        if (rd_duration(r, end_node, rd_join(p, path, "end"), 0, 0, RD_MAX_TIME_US, &end_us) < 0)
            return -1;
        if (end_us <= l->start_us) {
            char a[64], b[64];
            duration_format(l->start_us, a, sizeof a);
            duration_format(end_us, b, sizeof b);
            return rd_fail(r, end_node, p, "must be after start (%s), got %s", a, b);
        }
    }
    if (ctx.has_hey)
        rc = read_hey(r, obj, path, l, end_node);
    else if (ctx.type == TYPE_CLOSED)
        rc = read_closed(r, obj, path, l, end_node);
    else {
        l->arrivals = ctx.type == TYPE_POISSON ? ARRIVALS_POISSON : ARRIVALS_UNIFORM;
        rc = read_open(r, obj, path, l, end_node);
    }
    if (rc < 0)
        return -1;
    l->end_us = end_us;
    if (l->kind == LOAD_CLOSED && l->duration_us > 0)
        l->end_us = l->start_us + l->duration_us;
    return 0;
}

int read_load_phase(const sc_reader *r, const cJSON *node, const char *path, size_t index,
                    load_cfg *out) {
    return read_phase(r, node, path, index, out);
}

int read_loads(const sc_reader *r, const cJSON *node, const char *path, load_cfg **out,
               size_t *n_out) {
    char p[RD_PATH_MAX], d[96];
    *out = NULL;
    *n_out = 0;
    if (!cJSON_IsArray(node))
        return rd_fail(r, node, path, "expected an array of load phases, got %s",
                       rd_describe(node, d, sizeof d));
    int n = cJSON_GetArraySize(node);
    if (n == 0)
        return rd_fail(r, node, path, "expected at least one load phase, got an empty array");
    if (n > MAX_PHASES)
        return rd_fail(r, node, path, "more than %d load phases", MAX_PHASES);
    load_cfg *loads = calloc((size_t)n, sizeof *loads);
    if (loads == NULL)
        return rd_fail(r, node, path, "out of memory");
    size_t i = 0;
    for (const cJSON *item = node->child; item != NULL; item = item->next, i++) {
        if (read_phase(r, item, rd_index(p, path, i), i, &loads[i]) < 0)
            goto fail;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(loads[j].name, loads[i].name) == 0) {
                const cJSON *name_node = rd_get(item, "name");
                char q[RD_PATH_MAX];
                rd_fail(r, name_node ? name_node : item, rd_join(q, p, "name"),
                        "\"%s\" is already the name of %s[%zu] (each phase needs its own name: it "
                        "names the phase's random stream)",
                        loads[i].name, path, j);
                i++;
                goto fail;
            }
        }
    }
    *out = loads;
    *n_out = (size_t)n;
    return 0;
fail:
    for (size_t j = 0; j <= i && j < (size_t)n; j++)
        load_cfg_free(&loads[j]);
    free(loads);
    return -1;
}
