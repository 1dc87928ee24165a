/* expect.c: reads the "expect" section (the assertions `scalesim check` evaluates) into
 * expect_cfg. Each item is an object with exactly one kind key, whose value is the bound, plus
 * that kind's modifiers; docs/check.md documents every kind with an example. Defaults that
 * depend on other sections (the load step, the load's end, the minimum replica count) are
 * resolved here, so the check engine sees plain numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/duration.h"
#include "sim/scenario/sections.h"

#define MAX_ASSERTS    1000
#define MAX_TOLERANCES 256

typedef struct kind_info {
    const char *key;
    expect_kind kind;
    const char *const *modifiers; /* NULL-terminated */
} kind_info;

static const char *const m_at[] = {"at", NULL};
static const char *const m_range[] = {"from", "to", NULL};
static const char *const m_after[] = {"after", NULL};
static const char *const m_back[] = {"after", "min", NULL};
static const char *const m_none[] = {NULL};
static const char *const m_latency[] = {"percentile", "window", "from", "to", NULL};
static const char *const m_slo[] = {"latency", "percentile", NULL};
static const char *const m_golden[] = {"tolerance", NULL};

static const kind_info kinds[] = {
    {"replicas_at", EXPECT_REPLICAS_AT, m_at},
    {"replicas_at_most", EXPECT_REPLICAS_AT_MOST, m_range},
    {"replicas_at_least", EXPECT_REPLICAS_AT_LEAST, m_range},
    {"scale_up_within", EXPECT_SCALE_UP_WITHIN, m_after},
    {"back_to_min_within", EXPECT_BACK_TO_MIN, m_back},
    {"rescales_at_most", EXPECT_RESCALES_AT_MOST, m_none},
    {"latency_at_most", EXPECT_LATENCY_AT_MOST, m_latency},
    {"slo_attainment_at_least", EXPECT_SLO_AT_LEAST, m_slo},
    {"error_rate_at_most", EXPECT_ERROR_RATE_AT_MOST, m_none},
    {"pod_hours_at_most", EXPECT_POD_HOURS_AT_MOST, m_none},
    {"gpu_hours_at_most", EXPECT_GPU_HOURS_AT_MOST, m_none},
    {"golden", EXPECT_GOLDEN, m_golden},
};
#define NKINDS ((int)(sizeof kinds / sizeof kinds[0]))

void expect_cfg_free(expect_cfg *e) {
    for (size_t i = 0; i < e->n; i++) {
        free(e->asserts[i].golden_path);
        free(e->asserts[i].tolerances);
    }
    free(e->asserts);
    memset(e, 0, sizeof *e);
}

static int read_percentile(const sc_reader *r, const cJSON *obj, const char *path, double *out) {
    char p[RD_PATH_MAX];
    const cJSON *m = rd_get(obj, "percentile");
    *out = 99;
    if (m == NULL)
        return 0;
    if (rd_number(r, m, rd_join(p, path, "percentile"), 0, 1, 100, out) < 0)
        return -1;
    if (*out != 50 && *out != 90 && *out != 95 && *out != 99 && *out != 99.9)
        return rd_fail(r, m, p,
                       "expected one of 50, 90, 95, 99, 99.9 (the percentiles the run "
                       "outputs keep), got %g",
                       *out);
    return 0;
}

/* A tolerance: a number (absolute) or a string "N%" (relative to the golden value). */
static int read_tolerance(const sc_reader *r, const cJSON *m, const char *path,
                          expect_tolerance *t) {
    t->rel_pct = -1;
    if (cJSON_IsNumber(m))
        return rd_number(r, m, path, 0, 0, 1e300, &t->abs);
    if (cJSON_IsString(m)) {
        const char *s = m->valuestring;
        size_t n = strlen(s);
        char *end = NULL;
        double v = n > 1 && s[n - 1] == '%' ? strtod(s, &end) : -1;
        if (end == s + n - 1 && v >= 0 && v <= 1e6) {
            t->rel_pct = v;
            return 0;
        }
    }
    char d[96];
    return rd_fail(r, m, path,
                   "expected a tolerance: a number (absolute) or a string such as \"5%%\" "
                   "(relative to the golden value), got %s",
                   rd_describe(m, d, sizeof d));
}

static int read_tolerances(const sc_reader *r, const cJSON *m, const char *path, expect_assert *a) {
    char p[RD_PATH_MAX], d[96];
    if (!cJSON_IsObject(m))
        return rd_fail(r, m, path,
                       "expected an object of column: tolerance, e.g. {\"pods_total\": 0, "
                       "\"latency_p99_ms\": \"10%%\", \"*\": 0.001}, got %s",
                       rd_describe(m, d, sizeof d));
    size_t n = (size_t)cJSON_GetArraySize(m);
    if (n > MAX_TOLERANCES)
        return rd_fail(r, m, path, "at most %d columns", MAX_TOLERANCES);
    a->tolerances = calloc(n ? n : 1, sizeof *a->tolerances);
    if (a->tolerances == NULL)
        return error_set(r->err, "%s: out of memory", r->file);
    const cJSON *c;
    cJSON_ArrayForEach(c, m) {
        expect_tolerance *t = &a->tolerances[a->n_tolerances];
        rd_join(p, path, c->string);
        if (strlen(c->string) == 0 || strlen(c->string) >= sizeof t->column)
            return rd_fail_key(r, c, p, "a column name of 1 to %d characters",
                               (int)sizeof t->column - 1);
        for (size_t j = 0; j < a->n_tolerances; j++)
            if (strcmp(a->tolerances[j].column, c->string) == 0)
                return rd_fail_key(r, c, p, "duplicate column");
        snprintf(t->column, sizeof t->column, "%s", c->string);
        if (read_tolerance(r, c, p, t) < 0)
            return -1;
        a->n_tolerances++;
    }
    return 0;
}

/* The earliest start of the load phases: the default load step of scale_up_within. */
static int64_t first_load_start(const scenario_cfg *cfg) {
    int64_t t = INT64_MAX;
    for (size_t i = 0; i < cfg->n_loads; i++)
        if (cfg->loads[i].start_us < t)
            t = cfg->loads[i].start_us;
    return t == INT64_MAX ? 0 : t;
}

/* The latest end of the load phases (closed loops end at start + -z); -1 when one has none. */
static int64_t last_load_end(const scenario_cfg *cfg) {
    int64_t t = 0;
    for (size_t i = 0; i < cfg->n_loads; i++) {
        const load_cfg *l = &cfg->loads[i];
        int64_t end = l->end_us;
        if (l->kind == LOAD_CLOSED && l->duration_us > 0 && l->start_us + l->duration_us < end)
            end = l->start_us + l->duration_us;
        if (end == INT64_MAX)
            return -1;
        if (end > t)
            t = end;
    }
    return t;
}

static int read_time(const sc_reader *r, const cJSON *obj, const char *path, const char *key,
                     int64_t *out) {
    char p[RD_PATH_MAX];
    const cJSON *m = rd_get(obj, key);
    if (m == NULL)
        return 0;
    return rd_duration(r, m, rd_join(p, path, key), 0, 0, RD_MAX_TIME_US, out);
}

static int read_item(const sc_reader *r, const cJSON *item, const char *path,
                     const scenario_cfg *cfg, expect_assert *a) {
    char p[RD_PATH_MAX], d[96];
    if (!cJSON_IsObject(item))
        return rd_fail(r, item, path,
                       "expected an assertion object such as {\"replicas_at_most\": "
                       "10}, got %s",
                       rd_describe(item, d, sizeof d));
    /* Find the one kind key first, so that the allowed keys can be that kind's. */
    const kind_info *k = NULL;
    const cJSON *kv = NULL;
    for (int i = 0; i < NKINDS; i++) {
        const cJSON *m = rd_get(item, kinds[i].key);
        if (m == NULL)
            continue;
        if (k != NULL)
            return rd_fail_key(r, m, rd_join(p, path, kinds[i].key),
                               "one assertion per item: this item already has \"%s\"", k->key);
        k = &kinds[i];
        kv = m;
    }
    if (k == NULL) {
        const char *names[NKINDS + 8];
        int n = 0;
        for (int i = 0; i < NKINDS; i++)
            names[n++] = kinds[i].key;
        const cJSON *c;
        cJSON_ArrayForEach(c, item) {
            if (strcmp(c->string, "name") == 0 || strcmp(c->string, "comment") == 0)
                continue;
            const char *guess = rd_closest(c->string, names, n);
            if (guess)
                return rd_fail_key(r, c, rd_join(p, path, c->string),
                                   "unknown assertion (did you mean \"%s\"?)", guess);
        }
        return rd_fail(r, item, path,
                       "no assertion: expected one of replicas_at, replicas_at_most, "
                       "replicas_at_least, scale_up_within, back_to_min_within, rescales_at_most, "
                       "latency_at_most, slo_attainment_at_least, error_rate_at_most, "
                       "pod_hours_at_most, gpu_hours_at_most, golden");
    }
    const char *allowed[16];
    int nallowed = 0;
    allowed[nallowed++] = k->key;
    allowed[nallowed++] = "name";
    for (const char *const *m = k->modifiers; *m; m++)
        allowed[nallowed++] = *m;
    if (rd_object(r, item, path, allowed, nallowed, NULL, NULL) < 0)
        return -1;
    a->kind = k->kind;
    a->line = json_pos_of(r->idx->text, r->idx->len, json_value_offset(r->idx, item)).line;
    a->to_us = INT64_MAX;
    const char *kp = rd_join(p, path, k->key);
    char kpath[RD_PATH_MAX];
    snprintf(kpath, sizeof kpath, "%s", kp);
    int64_t v, us;
    switch (k->kind) {
    case EXPECT_REPLICAS_AT:
    case EXPECT_REPLICAS_AT_MOST:
    case EXPECT_REPLICAS_AT_LEAST:
    case EXPECT_RESCALES_AT_MOST:
        if (rd_int(r, kv, kpath, 0, 100000, &v) < 0)
            return -1;
        a->value = (double)v;
        break;
    case EXPECT_SCALE_UP_WITHIN:
        if (rd_duration(r, kv, kpath, 0, 0, RD_MAX_TIME_US, &a->hi_us) < 0)
            return -1;
        break;
    case EXPECT_BACK_TO_MIN:
        if (!cJSON_IsArray(kv) || cJSON_GetArraySize(kv) != 2)
            return rd_fail(r, kv, kpath,
                           "expected [earliest, latest], e.g. [\"5m\", \"6m\"], got %s",
                           rd_describe(kv, d, sizeof d));
        if (rd_duration(r, cJSON_GetArrayItem(kv, 0), rd_index(p, kpath, 0), 0, 0, RD_MAX_TIME_US,
                        &a->lo_us) < 0 ||
            rd_duration(r, cJSON_GetArrayItem(kv, 1), rd_index(p, kpath, 1), 0, 0, RD_MAX_TIME_US,
                        &a->hi_us) < 0)
            return -1;
        if (a->hi_us < a->lo_us)
            return rd_fail(r, kv, kpath, "latest is before earliest");
        break;
    case EXPECT_LATENCY_AT_MOST:
        if (rd_duration(r, kv, kpath, 0, 0, RD_MAX_TIME_US, &us) < 0)
            return -1;
        a->value = (double)us / 1000.0;
        break;
    case EXPECT_SLO_AT_LEAST:
    case EXPECT_ERROR_RATE_AT_MOST:
        if (rd_number(r, kv, kpath, 0, 0, 100, &a->value) < 0)
            return -1;
        break;
    case EXPECT_POD_HOURS_AT_MOST:
    case EXPECT_GPU_HOURS_AT_MOST:
        if (rd_number(r, kv, kpath, 0, 0, 1e12, &a->value) < 0)
            return -1;
        break;
    case EXPECT_GOLDEN: {
        const char *file;
        char buf[RD_PATH_MAX * 4];
        if (rd_string(r, kv, kpath, &file) < 0)
            return -1;
        if (file[0] == '\0')
            return rd_fail(r, kv, kpath, "expected the golden timeline's file name");
        a->golden_path = strdup(rd_resolve(r, file, buf, sizeof buf));
        if (a->golden_path == NULL)
            return error_set(r->err, "%s: out of memory", r->file);
        const cJSON *t = rd_get(item, "tolerance");
        if (t != NULL && read_tolerances(r, t, rd_join(p, path, "tolerance"), a) < 0)
            return -1;
        break;
    }
    }
    /* Modifiers. */
    if (read_time(r, item, path, "at", &a->at_us) < 0 ||
        read_time(r, item, path, "from", &a->from_us) < 0)
        return -1;
    const cJSON *m;
    if ((m = rd_get(item, "to")) != NULL) {
        if (rd_duration(r, m, rd_join(p, path, "to"), 0, 0, RD_MAX_TIME_US, &a->to_us) < 0)
            return -1;
        if (a->to_us <= a->from_us)
            return rd_fail(r, m, p, "must be after \"from\"");
    }
    if (k->kind == EXPECT_REPLICAS_AT && rd_require(r, item, path, "at",
                                                    "replicas_at needs the time, e.g. \"at\": "
                                                    "\"90s\"",
                                                    &m) < 0)
        return -1;
    if (k->kind == EXPECT_SCALE_UP_WITHIN) {
        a->at_us = first_load_start(cfg);
        if (read_time(r, item, path, "after", &a->at_us) < 0)
            return -1;
    }
    if (k->kind == EXPECT_BACK_TO_MIN) {
        if (rd_get(item, "after") == NULL) {
            a->at_us = last_load_end(cfg);
            if (a->at_us < 0)
                return rd_fail(r, item, path,
                               "\"after\" missing: a load phase has no end, so give the time the "
                               "load ends, e.g. \"after\": \"2m\"");
        } else if (read_time(r, item, path, "after", &a->at_us) < 0) {
            return -1;
        }
        /* The minimum: the HPA's minReplicas, or the fixed replica count without an HPA. */
        a->value = cfg->hpa.present ? cfg->hpa.spec.min_replicas : cfg->service.replicas;
        if ((m = rd_get(item, "min")) != NULL) {
            if (rd_int(r, m, rd_join(p, path, "min"), 0, 100000, &v) < 0)
                return -1;
            a->value = (double)v;
        }
    }
    if (k->kind == EXPECT_LATENCY_AT_MOST || k->kind == EXPECT_SLO_AT_LEAST) {
        if (read_percentile(r, item, path, &a->percentile) < 0)
            return -1;
    }
    if (k->kind == EXPECT_LATENCY_AT_MOST) {
        if ((m = rd_get(item, "window")) != NULL &&
            rd_duration(r, m, rd_join(p, path, "window"), 1000000, 0, RD_MAX_TIME_US,
                        &a->window_us) < 0)
            return -1;
        if (a->window_us % 1000000 != 0)
            return rd_fail(r, m, p, "must be whole seconds (the timeline has one row a second)");
        if (a->window_us == 0 && (rd_get(item, "from") || rd_get(item, "to")))
            return rd_fail(r, item, path,
                           "\"from\"/\"to\" need \"window\" (without it the bound applies to the "
                           "whole run's percentile from summary.json)");
    }
    if (k->kind == EXPECT_SLO_AT_LEAST) {
        if (rd_require(r, item, path, "latency",
                       "the SLO's latency objective, e.g. \"latency\": \"500ms\"", &m) < 0 ||
            rd_duration(r, m, rd_join(p, path, "latency"), 0, 1, RD_MAX_TIME_US, &us) < 0)
            return -1;
        a->slo_ms = (double)us / 1000.0;
    }
    if ((m = rd_get(item, "name")) != NULL) {
        const char *s;
        if (rd_string(r, m, rd_join(p, path, "name"), &s) < 0)
            return -1;
        if (s[0] == '\0' || strlen(s) >= sizeof a->name)
            return rd_fail(r, m, p, "expected 1 to %d characters", (int)sizeof a->name - 1);
        snprintf(a->name, sizeof a->name, "%s", s);
    } else {
        /* The generated name: the kind and its bound, as written in the file. */
        char *bound = cJSON_PrintUnformatted(kv);
        snprintf(a->name, sizeof a->name, "%s %s", k->key, bound ? bound : "");
        free(bound);
    }
    return 0;
}

int read_expect(const sc_reader *r, const cJSON *node, const char *path, const scenario_cfg *cfg,
                expect_cfg *out) {
    char p[RD_PATH_MAX], d[96];
    memset(out, 0, sizeof *out);
    if (!cJSON_IsArray(node))
        return rd_fail(r, node, path,
                       "expected an array of assertions, e.g. [{\"replicas_at_most\": 10}], got %s",
                       rd_describe(node, d, sizeof d));
    size_t n = (size_t)cJSON_GetArraySize(node);
    if (n > MAX_ASSERTS)
        return rd_fail(r, node, path, "at most %d assertions", MAX_ASSERTS);
    out->asserts = calloc(n ? n : 1, sizeof *out->asserts);
    if (out->asserts == NULL)
        return error_set(r->err, "%s: out of memory", r->file);
    const cJSON *item;
    cJSON_ArrayForEach(item, node) {
        expect_assert *a = &out->asserts[out->n++];
        if (read_item(r, item, rd_index(p, path, out->n - 1), cfg, a) < 0) {
            expect_cfg_free(out);
            return -1;
        }
    }
    return 0;
}
