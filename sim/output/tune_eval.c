/* tune_eval.c: see tune_eval.h. */
#include "sim/output/tune_eval.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/output/check.h"
#include "sim/output/check_data.h"
#include "sim/output/sim_run.h"
#include "sim/scenario/scenario.h"

void tune_job_values(const tune_job *job, long config, double *values) {
    if (job->points != NULL)
        memcpy(values, job->points + config * job->nparams, (size_t)job->nparams * sizeof *values);
    else
        tune_grid_values(job->params, job->nparams, config, values);
}

int tune_outcome_cmp(const tune_outcome *x, const tune_outcome *y) {
    if (x->feasible != y->feasible)
        return y->feasible - x->feasible;
    if (x->valid != y->valid)
        return y->valid - x->valid;
    if (x->valid && x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    /* equal cost: the lower p95 (a free latency gain, and the one on the Pareto front) */
    if (x->valid && !isnan(x->p95_ms) && !isnan(y->p95_ms) && x->p95_ms != y->p95_ms)
        return x->p95_ms < y->p95_ms ? -1 : 1;
    return x->config < y->config ? -1 : x->config > y->config;
}

char *tune_config_text(const tune_job *job, long config, int formatted, sim_error *err) {
    cJSON *copy = cJSON_Duplicate(job->root, 1);
    if (copy == NULL) {
        error_set(err, "out of memory");
        return NULL;
    }
    double values[TUNE_MAX_PARAMS];
    tune_job_values(job, config, values);
    for (int k = 0; k < job->nparams; k++)
        if (tune_set(copy, job->params[k].path, values[k], err) < 0) {
            cJSON_Delete(copy);
            return NULL;
        }
    char *text = formatted ? cJSON_Print(copy) : cJSON_PrintUnformatted(copy);
    cJSON_Delete(copy);
    if (text == NULL)
        error_set(err, "out of memory");
    return text;
}

static void remove_run(const char *dir) {
    static const char *const files[] = {"timeline.csv", "summary.json", "events.log"};
    char path[4200];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static double summary_num(const cJSON *summary, const char *obj, const char *key) {
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(summary, obj);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

int tune_eval(const tune_job *job, long config, tune_outcome *out, sim_error *err) {
    return tune_eval_detail(job, config, out, NULL, 0, NULL, err);
}

int tune_eval_detail(const tune_job *job, long config, tune_outcome *out, tune_verdict *v,
                     size_t max, size_t *nv, sim_error *err) {
    if (nv)
        *nv = 0;
    memset(out, 0, sizeof *out);
    out->config = config;
    out->cost = NAN;
    out->p95_ms = NAN;
    sim_error e;
    char *text = tune_config_text(job, config, 0, &e);
    if (text == NULL) {
        snprintf(out->message, sizeof out->message, "%s", e.msg);
        return 0;
    }
    scenario_cfg cfg;
    int rc = scenario_load_text(text, strlen(text), job->name, job->base_dir, &cfg, &e);
    free(text);
    if (rc != 0) {
        snprintf(out->message, sizeof out->message, "%s", e.msg);
        return 0;
    }
    if (job->duration_us > 0)
        cfg.duration_us = job->duration_us;
    out->valid = 1;
    double cost_sum = 0, p95_sum = 0;
    int p95_n = 0;
    for (int r = 0; r < job->reps && out->valid; r++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/tune-%ld-%d-XXXXXX", job->tmp_dir, config, r);
        if (mkdtemp(dir) == NULL) {
            scenario_cfg_free(&cfg);
            return error_set(err, "tune: cannot create a folder in %s", job->tmp_dir);
        }
        cfg.seed = job->seed0 + (uint64_t)r;
        sim_run_options opt = {.out_dir = dir};
        check_run run;
        memset(&run, 0, sizeof run);
        if (sim_run(&cfg, &opt, &e) < 0 || check_run_load(dir, &run, &e) < 0) {
            remove_run(dir);
            check_run_free(&run);
            out->valid = 0;
            snprintf(out->message, sizeof out->message, "%s", e.msg);
            break;
        }
        remove_run(dir);
        double gpu = summary_num(run.summary, "pods", "gpu_hours");
        out->gpu = job->objective == TUNE_OBJ_GPU_HOURS ||
                   (job->objective == TUNE_OBJ_COST && !isnan(gpu) && gpu > 0);
        if (out->gpu && isnan(gpu))
            gpu = 0; /* pods without GPUs use no GPU-hours */
        cost_sum += out->gpu ? gpu : summary_num(run.summary, "pods", "pod_hours");
        double p95 = summary_num(run.summary, "latency_ms", "p95");
        if (!isnan(p95)) {
            p95_sum += p95;
            p95_n++;
        }
        for (size_t i = 0; i < cfg.expect.n; i++) {
            const expect_assert *a = &cfg.expect.asserts[i];
            check_result res;
            if (a->kind == EXPECT_GOLDEN || check_eval(a, &run, NULL, &res, &e) < 0) {
                out->valid = 0;
                snprintf(out->message, sizeof out->message, "%s: %s", a->name,
                         a->kind == EXPECT_GOLDEN ? "golden files are not used by tune" : e.msg);
                break;
            }
            if (v != NULL && i < max) {
                if (r == 0 || check_result_worse(&res, &v[i].worst))
                    v[i].worst = res;
                snprintf(v[i].name, sizeof v[i].name, "%s", a->name);
                if (nv && *nv < i + 1)
                    *nv = i + 1;
            }
            if (!res.passed) {
                if (out->failed == 0)
                    snprintf(out->message, sizeof out->message, "%s (seed %llu): %s", a->name,
                             (unsigned long long)cfg.seed, res.message);
                out->failed++;
            }
        }
        check_run_free(&run);
    }
    scenario_cfg_free(&cfg);
    if (out->valid) {
        out->cost = cost_sum / job->reps;
        out->p95_ms = p95_n ? p95_sum / p95_n : NAN;
        out->feasible = out->failed == 0;
    } else {
        out->failed = 0;
    }
    return 0;
}

typedef struct pareto_point {
    double cost, p95;
    long i;
} pareto_point;

static int by_cost_p95(const void *a, const void *b) {
    const pareto_point *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    if (x->p95 != y->p95)
        return x->p95 < y->p95 ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

int tune_pareto(const tune_outcome *outs, long n, int *on_front, sim_error *err) {
    pareto_point *pt = malloc((size_t)(n > 0 ? n : 1) * sizeof *pt);
    if (pt == NULL)
        return error_set(err, "out of memory");
    long m = 0;
    for (long i = 0; i < n; i++) {
        on_front[i] = 0;
        if (outs[i].valid && !isnan(outs[i].cost) && !isnan(outs[i].p95_ms))
            pt[m++] = (pareto_point){outs[i].cost, outs[i].p95_ms, i};
    }
    qsort(pt, (size_t)m, sizeof *pt, by_cost_p95);
    double best = INFINITY;
    for (long k = 0; k < m;) {
        long e = k;
        while (e < m && pt[e].cost == pt[k].cost)
            e++;
        /* a group of equal cost: its lowest p95 (and equal points) when it beats every cheaper */
        if (pt[k].p95 < best) {
            for (long j = k; j < e && pt[j].p95 == pt[k].p95; j++)
                on_front[pt[j].i] = 1;
            best = pt[k].p95;
        }
        k = e;
    }
    free(pt);
    return 0;
}
