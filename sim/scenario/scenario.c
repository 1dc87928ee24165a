/* scenario.c: the scenario loader's top level (see scenario.h): reads the file, parses it with
 * positions (json_pos.h), reads each top-level section with its reader (sections.h), applies
 * the defaults that depend on several sections, and frees a scenario_cfg. */
#include "sim/scenario/scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/duration.h"
#include "sim/scenario/json_pos.h"
#include "sim/scenario/sections.h"

/* Top-level keys. A new section (hpa, metrics...) adds its key here and a reader call below. */
static const char *const top_keys[] = {
    "name",    "comment", "seed",    "duration",           "service", "load", "hpa", "controller",
    "metrics", "expect",  "cronhpa", "cronhpa_controller", "start",   "keda", "tune"};

void scenario_cfg_free(scenario_cfg *cfg) {
    if (cfg == NULL)
        return;
    free(cfg->path);
    free(cfg->name);
    free(cfg->comment);
    dist_cfg_free(&cfg->service.pod.startup_us);
    dist_cfg_free(&cfg->service.pod.demand);
    lifecycle_cfg_free(cfg->service.pod.lifecycle);
    llm_cfg_free(cfg->service.pod.llm);
    free(cfg->metrics.prom);
    for (size_t i = 0; i < cfg->n_loads; i++)
        load_cfg_free(&cfg->loads[i]);
    free(cfg->loads);
    hpa_cfg_free(&cfg->hpa);
    cronhpa_cfg_free(&cfg->cronhpa);
    keda_cfg_free(&cfg->keda);
    expect_cfg_free(&cfg->expect);
    memset(cfg, 0, sizeof *cfg);
}

/* The default scenario name: the file's base name without its extension, with anything but
 * letters, digits, '.', '_' and '-' replaced by '-'. */
static char *default_name(const char *file) {
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot != NULL && dot != base)
        n = (size_t)(dot - base);
    if (n == 0) {
        base = "scenario";
        n = strlen(base);
    }
    if (n > 63)
        n = 63;
    char *name = strndup(base, n);
    if (name == NULL)
        return NULL;
    for (char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            *p = '-';
    return name;
}

static int read_seed(const sc_reader *r, const cJSON *node, uint64_t *out) {
    int64_t v;
    if (cJSON_IsString(node)) {
        /* Seeds above 2^53 do not survive a JSON number; a decimal string keeps all 64 bits. */
        const char *s = node->valuestring;
        char *end = NULL;
        errno = 0;
        unsigned long long u = strtoull(s, &end, 10);
        if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0)
            return rd_fail(r, node, "seed",
                           "expected an integer from 0 to 18446744073709551615, got \"%.40s\"", s);
        *out = (uint64_t)u;
        return 0;
    }
    if (rd_int(r, node, "seed", 0, INT64_C(9007199254740992), &v) < 0)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

/* Without "duration", the run lasts until the last phase ends, if every phase has an end. */
static int default_duration(const sc_reader *r, const cJSON *root, scenario_cfg *cfg) {
    int64_t latest = 0;
    for (size_t i = 0; i < cfg->n_loads; i++) {
        const load_cfg *l = &cfg->loads[i];
        if (l->end_us == INT64_MAX)
            return rd_fail(r, root, "duration",
                           "missing; it may be left out only when every load phase ends, and "
                           "%s has no end (give it \"end\"%s)",
                           l->name, l->kind == LOAD_CLOSED ? " or z / -z" : "");
        if (l->end_us > latest)
            latest = l->end_us;
    }
    cfg->duration_us = latest;
    return 0;
}

/* Reads a parsed scenario (root is an object) into out. */
static int read_root(const sc_reader *rr, const cJSON *root, const char *name, scenario_cfg *out) {
    const sc_reader r = *rr;
    sim_error *err = r.err;
    const cJSON *m;
    int rc = -1;
    if (rd_object(&r, root, "", top_keys, (int)(sizeof top_keys / sizeof top_keys[0]), NULL, NULL) <
        0)
        goto done;
    out->path = strdup(name);
    if ((m = rd_get(root, "name")) != NULL) {
        char buf[CFG_NAME_MAX];
        if (rd_name(&r, m, "name", buf, sizeof buf) < 0)
            goto done;
        out->name = strdup(buf);
    } else {
        out->name = default_name(name);
    }
    if ((m = rd_get(root, "comment")) != NULL) /* type checked by rd_object */
        out->comment = strdup(m->valuestring);
    if (out->path == NULL || out->name == NULL || (m != NULL && out->comment == NULL)) {
        error_set(err, "%s: out of memory", name);
        goto done;
    }
    out->seed = 1;
    if ((m = rd_get(root, "seed")) != NULL && read_seed(&r, m, &out->seed) < 0)
        goto done;
    const cJSON *dur = rd_get(root, "duration");
    if (dur != NULL &&
        rd_duration(&r, dur, "duration", 0, 1, RD_MAX_TIME_US, &out->duration_us) < 0)
        goto done;
    if (read_service(&r, rd_get(root, "service"), "service", out->name, &out->service) < 0)
        goto done;
    int scale_to_zero = 0;
    if (read_controller(&r, rd_get(root, "controller"), "controller", &out->hpa, &scale_to_zero) <
        0)
        goto done;
    if ((m = rd_get(root, "hpa")) != NULL &&
        read_hpa(&r, m, "hpa", out->service.name, scale_to_zero, &out->hpa) < 0)
        goto done;
    const cJSON *load;
    if (rd_require(&r, root, "", "load",
                   "a scenario needs at least one load phase, e.g. [{\"hey\": \"hey -z 2m -c 20 "
                   "http://host/\"}]",
                   &load) < 0 ||
        read_loads(&r, load, "load", &out->loads, &out->n_loads) < 0)
        goto done;
    if (dur == NULL && default_duration(&r, root, out) < 0)
        goto done;
    if (read_metric_pipelines(&r, rd_get(root, "metrics"), "metrics", &out->metrics) < 0)
        goto done;
    if (read_cronhpa_controller(&r, rd_get(root, "cronhpa_controller"), "cronhpa_controller",
                                &out->cronhpa) < 0)
        goto done;
    if ((m = rd_get(root, "cronhpa")) != NULL &&
        read_cronhpa(&r, m, "cronhpa", out->service.name, out->hpa.present ? out->hpa.name : NULL,
                     &out->cronhpa) < 0)
        goto done;
    if ((m = rd_get(root, "keda")) != NULL &&
        read_keda(&r, m, "keda", out->service.name, &out->hpa, &out->keda) < 0)
        goto done;
    if ((m = rd_get(root, "start")) != NULL) {
        if (read_start(&r, m, "start", &out->start_unix_us) < 0)
            goto done;
        out->has_start = 1;
    }
    if ((m = rd_get(root, "expect")) != NULL && read_expect(&r, m, "expect", out, &out->expect) < 0)
        goto done;
    /* `scalesim tune` reads the block itself (tune_block.h); a run only validates it. */
    if ((m = rd_get(root, "tune")) != NULL && read_tune(&r, m, "tune", root, NULL) < 0)
        goto done;
    rc = 0;
done:
    return rc;
}

/* Parses text with positions; on success *root and *idx are the caller's to free. */
static int parse(const char *text, size_t len, const char *name, cJSON **root, json_index *idx,
                 sim_error *err) {
    size_t err_off = 0;
    char msg[512];
    if (len > SCENARIO_MAX_BYTES)
        return error_set(err, "%s: file larger than %u MiB", name, SCENARIO_MAX_BYTES >> 20);
    if (json_parse_indexed(text, len, root, idx, &err_off, msg, sizeof msg) < 0) {
        json_pos p = json_pos_of(text, len, err_off);
        return error_set(err, "%s:%d:%d: invalid JSON: %s", name, p.line, p.col, msg);
    }
    return 0;
}

/* Reads the root of a parsed text into out. */
typedef int (*root_reader)(const sc_reader *r, const cJSON *root, const char *name,
                           scenario_cfg *out);

/* Parses text, hands its root to body and frees what parsing made; out is freed on failure. */
static int load_root(const char *text, size_t len, const char *name, const char *base_dir,
                     root_reader body, scenario_cfg *out, sim_error *err) {
    memset(out, 0, sizeof *out);
    json_index idx;
    cJSON *root = NULL;
    if (parse(text, len, name, &root, &idx, err) < 0)
        return -1;
    sc_reader r = {name, base_dir ? base_dir : "", &idx, err};
    int rc = body(&r, root, name, out);
    cJSON_Delete(root);
    json_index_free(&idx);
    if (rc < 0)
        scenario_cfg_free(out);
    return rc;
}

static int scenario_root(const sc_reader *r, const cJSON *root, const char *name,
                         scenario_cfg *out) {
    char d[96];
    if (!cJSON_IsObject(root))
        return rd_fail(r, root, NULL, "expected a JSON object at the top level, got %s",
                       rd_describe(root, d, sizeof d));
    return read_root(r, root, name, out);
}

int scenario_load_text(const char *text, size_t len, const char *name, const char *base_dir,
                       scenario_cfg *out, sim_error *err) {
    return load_root(text, len, name ? name : "scenario", base_dir, scenario_root, out, err);
}

static int open_loads_root(const sc_reader *r, const cJSON *root, const char *name,
                           scenario_cfg *out) {
    char d[96];
    const cJSON *phases = root; /* the array of phases, or the one phase, as written */
    if (cJSON_IsObject(root) && rd_get(root, "load") != NULL) {
        if (read_root(r, root, name, out) < 0)
            return -1;
        phases = rd_get(root, "load");
    } else if (cJSON_IsArray(root)) {
        if (read_loads(r, root, "load", &out->loads, &out->n_loads) < 0)
            return -1;
    } else if (cJSON_IsObject(root)) {
        out->loads = calloc(1, sizeof *out->loads);
        if (out->loads == NULL) {
            error_set(r->err, "%s: out of memory", name);
            return -1;
        }
        if (read_load_phase(r, root, "load[0]", 0, out->loads) < 0) {
            load_cfg_free(out->loads);
            return -1;
        }
        out->n_loads = 1;
    } else {
        rd_fail(r, root, NULL,
                "expected a scenario (an object with \"load\"), a load phase (an object) or an "
                "array of load phases, got %s",
                rd_describe(root, d, sizeof d));
        return -1;
    }
    if (out->path == NULL) { /* phases alone: they end when the latest ends, if all do */
        out->seed = 1;
        for (size_t i = 0; i < out->n_loads; i++) {
            if (out->loads[i].end_us == INT64_MAX) {
                out->duration_us = 0;
                break;
            }
            if (out->loads[i].end_us > out->duration_us)
                out->duration_us = out->loads[i].end_us;
        }
    }
    size_t i = 0;
    for (const cJSON *ph = cJSON_IsArray(phases) ? phases->child : phases;
         ph != NULL && i < out->n_loads; ph = cJSON_IsArray(phases) ? ph->next : NULL, i++) {
        if (out->loads[i].kind != LOAD_CLOSED)
            continue;
        char p[RD_PATH_MAX];
        rd_fail(r, ph, rd_index(p, "load", i),
                "a closed loop (hey's -c, -n, -z, -q) cannot be part of an open-loop load; "
                "give only phases of type \"poisson\" or \"uniform\"");
        return -1;
    }
    return 0;
}

int scenario_open_loads_text(const char *text, size_t len, const char *name, const char *base_dir,
                             scenario_cfg *out, sim_error *err) {
    return load_root(text, len, name ? name : "load", base_dir, open_loads_root, out, err);
}

/* Reads the file at path and passes its text and folder to fn. */
typedef int (*text_reader)(const char *text, size_t len, const char *name, const char *base_dir,
                           scenario_cfg *out, sim_error *err);

static int read_file(const char *path, text_reader fn, scenario_cfg *out, sim_error *err) {
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return error_set(err, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = SCENARIO_MAX_BYTES + 1;
    char *text = malloc(cap);
    if (text == NULL) {
        fclose(f);
        return error_set(err, "%s: out of memory", path);
    }
    size_t len = fread(text, 1, cap, f);
    int read_errno = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (read_errno) {
        free(text);
        return error_set(err, "%s: cannot read: %s", path, strerror(read_errno));
    }
    if (len > SCENARIO_MAX_BYTES) {
        free(text);
        return error_set(err, "%s: file larger than %u MiB", path, SCENARIO_MAX_BYTES >> 20);
    }
    /* Relative trace and sample files resolve against the scenario's own folder. */
    char *dir = strdup(path);
    if (dir == NULL) {
        free(text);
        return error_set(err, "%s: out of memory", path);
    }
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        dir[0] = '\0';
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int rc = fn(text, len, path, dir, out, err);
    free(dir);
    free(text);
    return rc;
}

int scenario_load(const char *path, scenario_cfg *out, sim_error *err) {
    return read_file(path, scenario_load_text, out, err);
}

int scenario_open_loads(const char *path, scenario_cfg *out, sim_error *err) {
    return read_file(path, scenario_open_loads_text, out, err);
}
