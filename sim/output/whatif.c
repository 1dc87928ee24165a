/* whatif.c: see whatif.h. */
#include "sim/output/whatif.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/model/llm_cfg.h"
#include "sim/output/check_data.h"
#include "sim/output/sim_run.h"
#include "sim/output/tune_space.h"
#include "sim/scenario/scenario.h"

static int write_text(const char *path, const char *text, sim_error *err) {
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return error_set(err, "replay: cannot write %s: %s", path, strerror(errno));
    fputs(text, f);
    if (fclose(f) != 0)
        return error_set(err, "replay: %s: write error", path);
    return 0;
}

/* dir/offered.csv from the recording's offered column; its absolute path into abs. */
static int write_trace(const whatif_job *job, char *abs, size_t size, sim_error *err) {
    char path[4200];
    snprintf(path, sizeof path, "%s/offered.csv", job->dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return error_set(err, "replay: cannot write %s: %s", path, strerror(errno));
    fputs("t_s,rps\n", f);
    for (int i = 0; i < job->rec->n; i++) {
        const replay_second *r = &job->rec->rows[i];
        if (!isnan(r->offered) && r->t_s >= 0)
            fprintf(f, "%.6f,%.9g\n", r->t_s, r->offered);
    }
    if (fclose(f) != 0)
        return error_set(err, "replay: %s: write error", path);
    char buf[PATH_MAX];
    if (realpath(path, buf) == NULL || strlen(buf) >= size)
        return error_set(err, "replay: %s: cannot resolve the path", path);
    memcpy(abs, buf, strlen(buf) + 1);
    return 0;
}

/* The baseline tree: the scenario with the recorded load, over the recording's span. */
static cJSON *baseline_tree(const whatif_job *job, const char *trace, double span_s) {
    cJSON *t = cJSON_Duplicate(job->root, 1);
    if (t == NULL)
        return NULL;
    cJSON_DeleteItemFromObjectCaseSensitive(t, "expect");
    cJSON_DeleteItemFromObjectCaseSensitive(t, "load");
    cJSON_DeleteItemFromObjectCaseSensitive(t, "duration");
    cJSON *load = cJSON_AddArrayToObject(t, "load");
    cJSON *phase = cJSON_CreateObject();
    cJSON_AddItemToArray(load, phase);
    cJSON_AddStringToObject(phase, "type", job->arrivals);
    cJSON *tr = cJSON_AddObjectToObject(phase, "trace");
    cJSON_AddStringToObject(tr, "file", trace);
    /* a row's count is the load of its second: held, not interpolated */
    cJSON_AddStringToObject(tr, "interpolation", "step");
    cJSON_AddNumberToObject(t, "duration", span_s);
    return t;
}

/* Prints the tree to dir/file and loads it with the normal loader. */
static int load_tree(const whatif_job *job, const cJSON *tree, const char *file, const char *what,
                     scenario_cfg *cfg, sim_error *err) {
    char *text = cJSON_Print(tree);
    if (text == NULL)
        return error_set(err, "out of memory");
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", job->dir, file);
    size_t n = strlen(text);
    char *t2 = realloc(text, n + 2);
    if (t2 == NULL) {
        free(text);
        return error_set(err, "out of memory");
    }
    text = t2;
    memcpy(text + n, "\n", 2);
    int rc = write_text(path, text, err);
    if (rc == 0 && scenario_load_text(text, n + 1, job->name, job->base_dir, cfg, err) < 0)
        rc = job->keep ? error_prefix(err, "replay: %s (%s)", what, path)
                       : error_prefix(err, "replay: %s", what);
    free(text);
    return rc;
}

static double summary_num(const cJSON *summary, const char *obj, const char *key) {
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(summary, obj);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* Simulates cfg into job->dir/sub and reads its figures. */
static int simulate(const whatif_job *job, const scenario_cfg *cfg, const char *sub,
                    whatif_figures *fig, int *gpu, sim_error *err) {
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/%s", job->dir, sub);
    sim_run_options opt = {.out_dir = dir};
    check_run run;
    memset(&run, 0, sizeof run);
    if (sim_run(cfg, &opt, err) < 0 || check_run_load(dir, &run, err) < 0) {
        check_run_free(&run);
        return -1;
    }
    const cJSON *s = run.summary;
    double gpu_hours = summary_num(s, "pods", "gpu_hours");
    *gpu = !isnan(gpu_hours) && gpu_hours > 0;
    memset(fig, 0, sizeof *fig);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(s, "duration_s");
    fig->seconds = cJSON_IsNumber(d) ? d->valuedouble : NAN;
    fig->pod_hours = summary_num(s, "pods", "pod_hours");
    fig->cost = *gpu ? gpu_hours : fig->pod_hours;
    fig->pods_mean = fig->seconds > 0 ? summary_num(s, "pods", "pod_seconds") / fig->seconds : NAN;
    fig->p50_ms = summary_num(s, "latency_ms", "p50");
    fig->p95_ms = summary_num(s, "latency_ms", "p95");
    fig->p99_ms = summary_num(s, "latency_ms", "p99");
    fig->requests = summary_num(s, "requests", "offered");
    fig->errors = summary_num(s, "requests", "failed");
    /* the per-second latency figures, computed as for the recording */
    char path[4300];
    snprintf(path, sizeof path, "%s/timeline.csv", dir);
    size_t len;
    char *text = check_read_file(path, &len, NULL, err);
    replay_series ts;
    if (text == NULL || replay_csv_series(text, len, &ts, err) < 0) {
        free(text);
        check_run_free(&run);
        return -1;
    }
    whatif_figures per;
    whatif_recorded(&ts, 0, &per);
    fig->ps_p50_ms = per.ps_p50_ms;
    fig->ps_p95_ms = per.ps_p95_ms;
    fig->ps_p99_ms = per.ps_p99_ms;
    replay_series_free(&ts);
    free(text);
    int c = check_table_col(&run.timeline, "pods_total");
    fig->pods_max = NAN;
    for (size_t i = 0; c >= 0 && i < run.timeline.nrows; i++) {
        double v = run.timeline.cols[c][i];
        if (!isnan(v) && (isnan(fig->pods_max) || v > fig->pods_max))
            fig->pods_max = v;
    }
    check_run_free(&run);
    return 0;
}

int whatif_run(const whatif_job *job, whatif_result *out, sim_error *err) {
    memset(out, 0, sizeof *out);
    const replay_series *rec = job->rec;
    if (!rec->has_offered)
        return error_set(err, "replay: --set needs the recording's offered load: a column "
                              "offered (scalesim run's timeline.csv) or rps (scalesim loadgen "
                              "--trace)");
    double last = -1;
    int npoints = 0;
    for (int i = 0; i < rec->n; i++)
        if (!isnan(rec->rows[i].offered) && rec->rows[i].t_s >= 0) {
            last = rec->rows[i].t_s;
            npoints++;
        }
    if (npoints == 0)
        return error_set(err, "replay: --set: the recording's offered column has no value");
    /* the last row's second is part of the span */
    double span_s = floor(last) + 1;
    char trace[PATH_MAX];
    if (write_trace(job, trace, sizeof trace, err) < 0)
        return -1;
    cJSON *base = baseline_tree(job, trace, span_s);
    cJSON *cf = base ? cJSON_Duplicate(base, 1) : NULL;
    if (base == NULL || cf == NULL) {
        cJSON_Delete(base);
        return error_set(err, "out of memory");
    }
    int rc = 0;
    for (int k = 0; k < job->nsets && rc == 0; k++) {
        if (tune_set(cf, job->sets[k].path, job->sets[k].value, err) < 0) {
            /* tune's messages open with "tune: "; this is replay's --set */
            const char *m = strncmp(err->msg, "tune: ", 6) == 0 ? err->msg + 6 : err->msg;
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "%s", m);
            rc = error_set(err, "replay: --set %s: %s", job->sets[k].text, msg);
        }
    }
    scenario_cfg bcfg, ccfg;
    memset(&bcfg, 0, sizeof bcfg);
    memset(&ccfg, 0, sizeof ccfg);
    char what[256];
    snprintf(what, sizeof what, "--set %s", job->nsets ? job->sets[0].text : "");
    if (rc == 0)
        rc = load_tree(job, base, "baseline.json", "the scenario with the recorded load", &bcfg,
                       err);
    if (rc == 0)
        rc = load_tree(job, cf, "counterfactual.json",
                       job->nsets == 1 ? what : "the scenario with the --set edits", &ccfg, err);
    cJSON_Delete(base);
    cJSON_Delete(cf);
    int gpu_b = 0, gpu_c = 0;
    if (rc == 0)
        rc = simulate(job, &bcfg, "baseline", &out->baseline, &gpu_b, err);
    if (rc == 0)
        rc = simulate(job, &ccfg, "counterfactual", &out->counterfactual, &gpu_c, err);
    if (rc == 0) {
        out->gpu = gpu_b || gpu_c;
        out->gpus_per_pod = bcfg.service.pod.llm
                                ? (bcfg.service.pod.llm->gpus > 0 ? bcfg.service.pod.llm->gpus : 1)
                                : 0;
    }
    scenario_cfg_free(&bcfg);
    scenario_cfg_free(&ccfg);
    return rc;
}

void whatif_recorded(const replay_series *rec, double gpus_per_pod, whatif_figures *out) {
    memset(out, 0, sizeof *out);
    double pod_s = 0, wsum[3] = {0, 0, 0}, w[3] = {0, 0, 0};
    out->pods_max = NAN;
    for (int i = 0; i < rec->n; i++) {
        const replay_second *r = &rec->rows[i];
        /* each row stands for the time to the next (its own second for the last) */
        double dt = i + 1 < rec->n ? rec->rows[i + 1].t_s - r->t_s : 1;
        if (rec->has_pod_seconds) {
            if (!isnan(r->pod_seconds))
                pod_s += r->pod_seconds;
        } else if (!isnan(r->pods)) {
            pod_s += r->pods * dt;
        }
        if (!isnan(r->pods) && (isnan(out->pods_max) || r->pods > out->pods_max))
            out->pods_max = r->pods;
        if (!isnan(r->offered))
            out->requests += r->offered * dt;
        if (!isnan(r->failed))
            out->errors += r->failed;
        const double p[3] = {r->p50_ms, r->p95_ms, r->p99_ms};
        double c = isnan(r->completed) ? 1 : r->completed;
        for (int k = 0; k < 3; k++)
            if (!isnan(p[k]) && c > 0) {
                wsum[k] += p[k] * c;
                w[k] += c;
            }
    }
    out->seconds = rec->n ? rec->rows[rec->n - 1].t_s + 1 - rec->rows[0].t_s : 0;
    int has_pods = rec->has_pod_seconds || rec->has_pods;
    out->pods_mean = has_pods && out->seconds > 0 ? pod_s / out->seconds : NAN;
    out->pod_hours = has_pods ? pod_s / 3600 : NAN;
    out->cost = gpus_per_pod > 0 ? out->pod_hours * gpus_per_pod : out->pod_hours;
    out->p50_ms = out->p95_ms = out->p99_ms = NAN;
    double *dst[3] = {&out->ps_p50_ms, &out->ps_p95_ms, &out->ps_p99_ms};
    for (int k = 0; k < 3; k++)
        *dst[k] = w[k] > 0 ? wsum[k] / w[k] : NAN;
    if (!rec->has_offered)
        out->requests = NAN;
    if (!rec->has_failed)
        out->errors = NAN;
}

static void add_num(cJSON *o, const char *key, double v) {
    if (isnan(v))
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, round(v * 1e6) / 1e6);
}

static cJSON *figures_json(const whatif_figures *f) {
    cJSON *o = cJSON_CreateObject();
    add_num(o, "seconds", f->seconds);
    add_num(o, "pods_mean", f->pods_mean);
    add_num(o, "pods_max", f->pods_max);
    add_num(o, "pod_hours", f->pod_hours);
    add_num(o, "cost", f->cost);
    add_num(o, "latency_p50_ms", f->p50_ms);
    add_num(o, "latency_p95_ms", f->p95_ms);
    add_num(o, "latency_p99_ms", f->p99_ms);
    add_num(o, "latency_per_second_p50_ms", f->ps_p50_ms);
    add_num(o, "latency_per_second_p95_ms", f->ps_p95_ms);
    add_num(o, "latency_per_second_p99_ms", f->ps_p99_ms);
    add_num(o, "requests", f->requests);
    add_num(o, "errors", f->errors);
    return o;
}

char *whatif_json(const whatif_job *job, const whatif_result *r, const whatif_figures *recorded) {
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    cJSON *sets = cJSON_AddArrayToObject(root, "set");
    for (int k = 0; k < job->nsets; k++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "path", job->sets[k].path);
        cJSON_AddNumberToObject(s, "value", job->sets[k].value);
        cJSON_AddItemToArray(sets, s);
    }
    cJSON_AddStringToObject(root, "cost_unit", r->gpu ? "gpu_hours" : "pod_hours");
    cJSON_AddStringToObject(root, "arrivals", job->arrivals);
    cJSON_AddItemToObject(root, "recorded", figures_json(recorded));
    cJSON_AddItemToObject(root, "baseline", figures_json(&r->baseline));
    cJSON_AddItemToObject(root, "counterfactual", figures_json(&r->counterfactual));
    whatif_figures d;
    const whatif_figures *b = &r->baseline, *c = &r->counterfactual;
    d.seconds = c->seconds - b->seconds;
    d.pods_mean = c->pods_mean - b->pods_mean;
    d.pods_max = c->pods_max - b->pods_max;
    d.pod_hours = c->pod_hours - b->pod_hours;
    d.cost = c->cost - b->cost;
    d.p50_ms = c->p50_ms - b->p50_ms;
    d.p95_ms = c->p95_ms - b->p95_ms;
    d.p99_ms = c->p99_ms - b->p99_ms;
    d.ps_p50_ms = c->ps_p50_ms - b->ps_p50_ms;
    d.ps_p95_ms = c->ps_p95_ms - b->ps_p95_ms;
    d.ps_p99_ms = c->ps_p99_ms - b->ps_p99_ms;
    d.requests = c->requests - b->requests;
    d.errors = c->errors - b->errors;
    cJSON_AddItemToObject(root, "change", figures_json(&d));
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}
