/* tune_section.c: the top-level "tune" key (tune_block.h): the parameter space and search
 * settings of `scalesim tune`. The loader calls read_tune only to validate (out NULL); the
 * tune command reads the block through tune_block_read. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/json_pos.h"
#include "sim/scenario/sections.h"
#include "sim/scenario/tune_block.h"

#define NUM_MAX 1e300

static int read_param(const sc_reader *r, const cJSON *node, const char *path, cJSON *scratch,
                      tune_param *out) {
    static const char *const keys[] = {"path", "values", "from", "to",
                                       "step", "min",    "max",  "integer"};
    char p[RD_PATH_MAX], d[96];
    const cJSON *v;
    const char *ppath;
    memset(out, 0, sizeof *out);
    if (rd_object(r, node, path, keys, 8, NULL, NULL) < 0)
        return -1;
    if (rd_require(r, node, path, "path",
                   "the JSON path of a number in the scenario, e.g. \"hpa.spec.minReplicas\"",
                   &v) < 0 ||
        rd_string(r, v, rd_join(p, path, "path"), &ppath) < 0)
        return -1;
    if (*ppath == '\0' || strchr(ppath, '=') != NULL)
        return rd_fail(r, v, p, "expected a path like \"hpa.spec.minReplicas\", got \"%.60s\"",
                       ppath);
    /* the path must lead into the scenario: tune_set on a scratch copy says where it does not */
    sim_error e;
    const cJSON *there = tune_get(scratch, ppath);
    if (!tune_settable(there))
        return rd_fail(r, v, p,
                       "%s holds %s in the scenario, not a number (or a quantity or duration)",
                       ppath, rd_describe(there, d, sizeof d));
    if (tune_set(scratch, ppath, 0, &e) < 0)
        return rd_fail(r, v, p, "%s", strncmp(e.msg, "tune: ", 6) == 0 ? e.msg + 6 : e.msg);
    int has_values = rd_get(node, "values") != NULL;
    int has_range = rd_get(node, "from") || rd_get(node, "to") || rd_get(node, "step");
    int has_cont = rd_get(node, "min") || rd_get(node, "max") || rd_get(node, "integer");
    if (has_values + has_range + has_cont != 1)
        return rd_fail(r, node, path,
                       "give exactly one of \"values\": [..], \"from\"/\"to\"/\"step\" or "
                       "\"min\"/\"max\" (continuous)");
    if (has_values) {
        v = rd_get(node, "values");
        rd_join(p, path, "values");
        int n = cJSON_GetArraySize(v);
        if (!cJSON_IsArray(v) || n < 1 || n > TUNE_MAX_VALUES)
            return rd_fail(r, v, p, "expected an array of 1 to %d numbers, got %s", TUNE_MAX_VALUES,
                           rd_describe(v, d, sizeof d));
        double *vals = malloc((size_t)n * sizeof *vals);
        if (vals == NULL)
            return rd_fail(r, v, p, "out of memory");
        const cJSON *x;
        int i = 0;
        cJSON_ArrayForEach(x, v) {
            char q[RD_PATH_MAX];
            if (rd_number(r, x, rd_index(q, p, (size_t)i), -NUM_MAX, 0, NUM_MAX, &vals[i]) < 0) {
                free(vals);
                return -1;
            }
            i++;
        }
        out->values = vals;
        out->nvalues = n;
    } else if (has_range) {
        double f, t, s;
        const cJSON *vf, *vt, *vs;
        if (rd_require(r, node, path, "from", "a range needs from, to and step", &vf) < 0 ||
            rd_require(r, node, path, "to", "a range needs from, to and step", &vt) < 0 ||
            rd_require(r, node, path, "step", "a range needs from, to and step", &vs) < 0 ||
            rd_number(r, vf, rd_join(p, path, "from"), -NUM_MAX, 0, NUM_MAX, &f) < 0 ||
            rd_number(r, vs, rd_join(p, path, "step"), 0, 1, NUM_MAX, &s) < 0 ||
            rd_number(r, vt, rd_join(p, path, "to"), f, 0, NUM_MAX, &t) < 0)
            return -1;
        char text[128];
        snprintf(text, sizeof text, "x=%.17g:%.17g:%.17g", f, t, s);
        if (tune_param_parse(text, out, &e) < 0)
            return rd_fail(r, node, path, "from %g to %g by %g gives more than %d values", f, t, s,
                           TUNE_MAX_VALUES); /* the only failure left after the checks */
        free(out->path);
        out->path = NULL;
    } else {
        const cJSON *vmin, *vmax;
        if (rd_require(r, node, path, "min", "a continuous range needs min and max", &vmin) < 0 ||
            rd_require(r, node, path, "max", "a continuous range needs min and max", &vmax) < 0 ||
            rd_number(r, vmin, rd_join(p, path, "min"), -NUM_MAX, 0, NUM_MAX, &out->min) < 0 ||
            rd_number(r, vmax, rd_join(p, path, "max"), out->min, 1, NUM_MAX, &out->max) < 0)
            return -1;
        out->continuous = 1;
        /* whole bounds: an integer parameter unless "integer": false says otherwise */
        out->integer =
            out->min == (double)(long long)out->min && out->max == (double)(long long)out->max;
        if ((v = rd_get(node, "integer")) != NULL) {
            if (!cJSON_IsBool(v))
                return rd_fail(r, v, rd_join(p, path, "integer"), "expected true or false, got %s",
                               rd_describe(v, d, sizeof d));
            out->integer = cJSON_IsTrue(v);
            if (out->integer && floor(out->max) < ceil(out->min))
                return rd_fail(r, v, p, "no whole number lies between min and max");
        }
    }
    out->path = strdup(ppath);
    if (out->path == NULL) {
        tune_param_free(out);
        return rd_fail(r, node, path, "out of memory");
    }
    return 0;
}

int read_tune(const sc_reader *r, const cJSON *node, const char *path, const cJSON *root,
              tune_block *out) {
    static const char *const keys[] = {"params", "search", "samples",
                                       "refine", "reps",   "objective"};
    static const char *const searches[] = {"grid", "sobol"};
    static const char *const objectives[] = {"cost", "pod_hours", "gpu_hours"};
    char p[RD_PATH_MAX], d[96];
    const cJSON *v, *params;
    tune_block b;
    memset(&b, 0, sizeof b);
    b.search = b.refine_rounds = b.objective = -1;
    if (rd_object(r, node, path, keys, 6, NULL, NULL) < 0)
        return -1;
    if (rd_require(r, node, path, "params",
                   "an array of {\"path\": ..., \"values\" | \"from\"/\"to\"/\"step\" | "
                   "\"min\"/\"max\"}",
                   &params) < 0)
        return -1;
    rd_join(p, path, "params");
    int n = cJSON_GetArraySize(params);
    if (!cJSON_IsArray(params) || n < 1 || n > TUNE_MAX_PARAMS)
        return rd_fail(r, params, p, "expected an array of 1 to %d parameters, got %s",
                       TUNE_MAX_PARAMS, rd_describe(params, d, sizeof d));
    cJSON *scratch = cJSON_Duplicate(root, 1);
    if (scratch == NULL)
        return rd_fail(r, node, path, "out of memory");
    int rc = 0, any_continuous = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, params) {
        char q[RD_PATH_MAX];
        if (read_param(r, item, rd_index(q, p, (size_t)b.nparams), scratch, &b.params[b.nparams]) <
            0) {
            rc = -1;
            break;
        }
        any_continuous |= b.params[b.nparams].continuous;
        char qp[RD_PATH_MAX];
        for (int k = 0; k < b.nparams && rc == 0; k++)
            if (strcmp(b.params[k].path, b.params[b.nparams].path) == 0)
                rc = rd_fail(r, rd_get(item, "path"), rd_join(qp, q, "path"),
                             "%s is already params[%d]", b.params[k].path, k);
        b.nparams++;
    }
    cJSON_Delete(scratch);
    int64_t iv;
    if (rc == 0 && (v = rd_get(node, "search")) != NULL) {
        if (rd_enum(r, v, rd_join(p, path, "search"), searches, 2, &b.search) < 0)
            rc = -1;
        else if (b.search == 0 && any_continuous)
            rc = rd_fail(r, v, p,
                         "a grid cannot hold a continuous (min/max) parameter; use \"sobol\" or "
                         "give it values or from/to/step");
    }
    if (rc == 0 && (v = rd_get(node, "samples")) != NULL) {
        if (rd_int(r, v, rd_join(p, path, "samples"), 1, 1000000, &iv) < 0)
            rc = -1;
        else
            b.samples = (long)iv;
    }
    if (rc == 0 && (v = rd_get(node, "refine")) != NULL) {
        rd_join(p, path, "refine");
        if (cJSON_IsBool(v)) {
            b.refine_rounds = cJSON_IsTrue(v) ? -1 : 0;
        } else {
            static const char *const rkeys[] = {"rounds"};
            const cJSON *rr;
            char q[RD_PATH_MAX];
            if (!cJSON_IsObject(v))
                rc = rd_fail(r, v, p, "expected {\"rounds\": N}, true or false, got %s",
                             rd_describe(v, d, sizeof d));
            else if (rd_object(r, v, p, rkeys, 1, NULL, NULL) < 0 ||
                     rd_require(r, v, p, "rounds", "the most refinement rounds, e.g. 10", &rr) <
                         0 ||
                     rd_int(r, rr, rd_join(q, p, "rounds"), 0, 1000, &iv) < 0)
                rc = -1;
            else
                b.refine_rounds = (int)iv;
        }
    }
    if (rc == 0 && (v = rd_get(node, "reps")) != NULL) {
        if (rd_int(r, v, rd_join(p, path, "reps"), 1, 1000, &iv) < 0)
            rc = -1;
        else
            b.reps = (int)iv;
    }
    if (rc == 0 && (v = rd_get(node, "objective")) != NULL &&
        rd_enum(r, v, rd_join(p, path, "objective"), objectives, 3, &b.objective) < 0)
        rc = -1;
    if (rc < 0 || out == NULL) {
        tune_block_free(&b);
        return rc;
    }
    b.present = 1;
    *out = b;
    return 0;
}

void tune_block_free(tune_block *b) {
    for (int i = 0; i < b->nparams; i++)
        tune_param_free(&b->params[i]);
    b->nparams = 0;
}

int tune_block_read(const char *text, size_t len, const char *name, tune_block *out,
                    sim_error *err) {
    memset(out, 0, sizeof *out);
    out->search = out->refine_rounds = out->objective = -1;
    json_index idx;
    cJSON *root = NULL;
    size_t err_off = 0;
    char msg[512];
    if (json_parse_indexed(text, len, &root, &idx, &err_off, msg, sizeof msg) < 0) {
        json_pos p = json_pos_of(text, len, err_off);
        return error_set(err, "%s:%d:%d: invalid JSON: %s", name, p.line, p.col, msg);
    }
    sc_reader r = {name, "", &idx, err};
    const cJSON *node = cJSON_IsObject(root) ? rd_get(root, "tune") : NULL;
    int rc = node ? read_tune(&r, node, "tune", root, out) : 0;
    cJSON_Delete(root);
    json_index_free(&idx);
    return rc;
}
