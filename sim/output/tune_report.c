/* tune_report.c: see tune_report.h. */
#include "sim/output/tune_report.h"

#include <limits.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/output/plot.h"
#include "sim/output/tune_search.h"
#include "sim/output/tune_yaml.h"

static int front_by_cost_base_cmp(const tune_outcome *x, const tune_outcome *y) {
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    if (x->p95_ms != y->p95_ms)
        return x->p95_ms < y->p95_ms ? -1 : 1;
    return x->config < y->config ? -1 : x->config > y->config;
}

/* The feasible configurations (with a cost and a p95) that no other feasible one beats on both,
 * in cost order, into idx (room for n); returns how many. O(n^2): a sweep holds a few thousand. */
static long feasible_front(const tune_outcome *outs, long n, long *idx) {
    long m = 0;
    for (long i = 0; i < n; i++) {
        const tune_outcome *o = &outs[i];
        if (!o->valid || !o->feasible || isnan(o->cost) || isnan(o->p95_ms))
            continue;
        int beaten = 0;
        for (long j = 0; j < n && !beaten; j++) {
            const tune_outcome *q = &outs[j];
            if (j == i || !q->valid || !q->feasible || isnan(q->cost) || isnan(q->p95_ms))
                continue;
            int no_worse = q->cost <= o->cost && q->p95_ms <= o->p95_ms;
            int better = q->cost < o->cost || q->p95_ms < o->p95_ms;
            /* equal points: the first in the base order stands for both */
            beaten = no_worse && (better || front_by_cost_base_cmp(q, o) < 0);
        }
        if (beaten)
            continue;
        long j = m++;
        while (j > 0 && front_by_cost_base_cmp(o, &outs[idx[j - 1]]) < 0) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    return m;
}

int tune_plot_pareto(const char *out_dir, const tune_outcome *outs, long n, const int *front,
                     long best, int svg, sim_error *err) {
    char path[4200];
    snprintf(path, sizeof path, "%s/pareto.dat", out_dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return error_set(err, "tune: %s: cannot write", path);
    fputs("# p95_ms cost feasible config: every configuration with a cost and a p95\n", f);
    long *fr = malloc((size_t)(n > 0 ? n : 1) * sizeof *fr);
    long nfr = 0, npoints = 0, nfeas = 0;
    if (fr == NULL) {
        fclose(f);
        return error_set(err, "out of memory");
    }
    for (long i = 0; i < n; i++) {
        const tune_outcome *o = &outs[i];
        if (!o->valid || isnan(o->cost) || isnan(o->p95_ms))
            continue;
        fprintf(f, "%.6f %.6f %d %ld\n", o->p95_ms, o->cost, o->feasible, o->config);
        npoints++;
        nfeas += o->feasible;
        if (front[i]) {
            /* insertion in cost order: fronts are short */
            long j = nfr++;
            while (j > 0 && front_by_cost_base_cmp(o, &outs[fr[j - 1]]) < 0) {
                fr[j] = fr[j - 1];
                j--;
            }
            fr[j] = i;
        }
    }
    fputs("\n\n# the Pareto front in order of cost\n", f);
    for (long k = 0; k < nfr; k++) {
        const tune_outcome *o = &outs[fr[k]];
        fprintf(f, "%.6f %.6f %d %ld\n", o->p95_ms, o->cost, o->feasible, o->config);
    }
    fputs("\n\n# the recommended configuration\n", f);
    int has_rec = best >= 0 && !isnan(outs[best].p95_ms);
    if (has_rec)
        fprintf(f, "%.6f %.6f %d %ld\n", outs[best].p95_ms, outs[best].cost, outs[best].feasible,
                outs[best].config);
    else
        fputs("NaN NaN 0 -1\n", f); /* keeps block 2 present for gnuplot */
    /* The front above includes configurations that break an assertion; the recommendation sits
     * on the front of the feasible ones, which a reader wants to see next to it. */
    fputs("\n\n# the Pareto front of the feasible configurations in order of cost\n", f);
    long nff = feasible_front(outs, n, fr);
    for (long k = 0; k < nff; k++) {
        const tune_outcome *o = &outs[fr[k]];
        fprintf(f, "%.6f %.6f %d %ld\n", o->p95_ms, o->cost, o->feasible, o->config);
    }
    if (nff == 0)
        fputs("NaN NaN 0 -1\n", f);
    free(fr);
    if (fclose(f) != 0)
        return error_set(err, "tune: %s: write error", path);
    snprintf(path, sizeof path, "%s/pareto.%s", out_dir, svg ? "svg" : "png");
    unlink(path); /* a plot of an earlier search in the same folder would mislead */
    if (npoints == 0)
        return 0;
    char templates[PATH_MAX];
    if (plot_find_templates(templates, sizeof templates, err) < 0)
        return -1;
    char vars[320];
    int gpu = 0;
    double lo = INFINITY, hi = 0, cmax = 0;
    for (long i = 0; i < n; i++) {
        gpu |= outs[i].valid && outs[i].gpu;
        if (outs[i].valid && !isnan(outs[i].p95_ms) && !isnan(outs[i].cost)) {
            lo = fmin(lo, outs[i].p95_ms);
            hi = fmax(hi, outs[i].p95_ms);
            cmax = fmax(cmax, outs[i].cost);
        }
    }
    /* explicit ranges: gnuplot's autoscale warns when every point has the same cost or p95 */
    int logx = lo > 0 && hi > 30 * lo;
    double span = hi - lo > 0 ? hi - lo : fmax(hi, 1) * 0.2;
    double xmin = logx ? lo / 1.3 : fmax(0, lo - 0.08 * span);
    double xmax = logx ? hi * 1.3 : hi + 0.08 * span;
    double ymax = cmax > 0 ? cmax * 1.08 : 1;
    /* an overloaded configuration's p95 can be 1000 times the others': a log axis keeps the
     * front readable */
    snprintf(vars, sizeof vars,
             "term='%s';out='pareto.%s';unit='%s';logx=%d;ninf=%ld;nfeas=%ld;rec=%d;"
             "xmin=%.9g;xmax=%.9g;ymax=%.9g",
             svg ? "svg" : "png", svg ? "svg" : "png", gpu ? "GPU-hours" : "pod-hours", logx,
             npoints - nfeas, nfeas, has_rec, xmin, xmax, ymax);
    return plot_gnuplot_template(out_dir, templates, "pareto", vars, err) < 0 ? -1 : 1;
}

static int write_text(const char *out_dir, const char *name, const char *body, int newline,
                      sim_error *err) {
    char p[4300];
    snprintf(p, sizeof p, "%s/%s", out_dir, name);
    FILE *g = fopen(p, "w");
    if (g == NULL || fputs(body, g) < 0 || (newline && fputc('\n', g) < 0) || fclose(g) != 0) {
        if (g)
            fclose(g);
        return error_set(err, "tune: %s: cannot write", p);
    }
    return 0;
}

/* NAME.json and NAME.yaml of node. */
static int write_manifest(const char *out_dir, const char *stem, const cJSON *node,
                          sim_error *err) {
    char *json = cJSON_Print(node);
    char *yaml = json ? tune_yaml(node, err) : NULL;
    char name[64];
    int rc = -1;
    if (json == NULL)
        error_set(err, "out of memory");
    else if (yaml != NULL) {
        snprintf(name, sizeof name, "%s.json", stem);
        rc = write_text(out_dir, name, json, 1, err);
        snprintf(name, sizeof name, "%s.yaml", stem);
        if (rc == 0)
            rc = write_text(out_dir, name, yaml, 0, err);
    }
    free(json);
    free(yaml);
    return rc;
}

int tune_manifests(const char *out_dir, const cJSON *tree, int *wrote, char *note, size_t note_size,
                   sim_error *err) {
    *wrote = 0;
    if (note_size)
        note[0] = '\0';
    const cJSON *hpa = cJSON_GetObjectItemCaseSensitive(tree, "hpa");
    if (hpa != NULL) {
        if (write_manifest(out_dir, "recommended-hpa", hpa, err) < 0)
            return -1;
        *wrote |= 1;
    }
    const cJSON *cron = cJSON_GetObjectItemCaseSensitive(tree, "cronhpa");
    if (cron != NULL) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(cron, "manifest");
        if (cJSON_IsString(m)) {
            snprintf(note, note_size,
                     "the CronHPA is the file %s (not copied: tune parameters address the "
                     "scenario, not that file)",
                     m->valuestring);
        } else {
            if (write_manifest(out_dir, "recommended-cronhpa", cron, err) < 0)
                return -1;
            *wrote |= 2;
        }
    }
    return 0;
}

/* A growing text buffer. */
typedef struct text_buf {
    char *s;
    size_t n, cap;
    int oom;
} text_buf;

__attribute__((format(printf, 2, 3))) static void tb_printf(text_buf *b, const char *fmt, ...) {
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->oom = 1;
            return;
        }
        if (b->s && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = (b->cap ? b->cap : 1024) * 2 + (size_t)k;
        char *p = realloc(b->s, cap);
        if (p == NULL) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
}

char *tune_recommendation_text(const tune_job *job, const tune_outcome *outs, long n,
                               const unsigned char *phase, long best, const tune_verdict *v,
                               size_t nv, sim_error *err) {
    text_buf b = {0};
    long total[3] = {0}, feas[3] = {0}, nfeasible = 0;
    for (long i = 0; i < n; i++) {
        int ph = phase ? phase[i] : TUNE_PHASE_GRID;
        total[ph]++;
        feas[ph] += outs[i].feasible;
        nfeasible += outs[i].feasible;
    }
    tb_printf(&b, "# scalesim tune: recommendation for %s\n\n", job->name);
    if (best < 0 || !outs[best].feasible) {
        tb_printf(&b, "No configuration passes every expect assertion (0 of %ld feasible).\n", n);
    } else {
        const tune_outcome *o = &outs[best];
        double vals[TUNE_MAX_PARAMS];
        tune_job_values(job, best, vals);
        tb_printf(&b, "Recommended: configuration %ld (%s phase).\n\n", o->config,
                  tune_phase_name(phase ? phase[best] : TUNE_PHASE_GRID));
        tb_printf(&b, "| parameter | value |\n| --- | --- |\n");
        for (int k = 0; k < job->nparams; k++)
            tb_printf(&b, "| `%s` | %.10g |\n", job->params[k].path, vals[k]);
        tb_printf(&b,
                  "\nCost: %.6f %s (mean of %d replication%s, seeds %llu..%llu); p95 latency "
                  "%.1f ms (mean).\n\n",
                  o->cost, o->gpu ? "GPU-hours" : "pod-hours", job->reps, job->reps > 1 ? "s" : "",
                  (unsigned long long)job->seed0,
                  (unsigned long long)(job->seed0 + (uint64_t)job->reps - 1), o->p95_ms);
        tb_printf(&b, "Margin to each expect assertion (the worst replication; positive: holds "
                      "with that much room, in the assertion's unit):\n\n");
        tb_printf(&b, "| assertion | margin | worst observation |\n| --- | --- | --- |\n");
        for (size_t i = 0; i < nv; i++) {
            char msg[CHECK_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", v[i].worst.message);
            for (char *p = msg; *p; p++)
                if (*p == '|' || *p == '\n')
                    *p = ' ';
            tb_printf(&b, "| %s | %.6g | %s |\n", v[i].name, v[i].worst.margin + 0.0, msg);
        }
        tb_printf(&b, "\n");
    }
    tb_printf(&b, "Feasible: %ld of %ld configurations", nfeasible, n);
    static const char *const names[3] = {"grid", "sobol", "refine"};
    const char *sep = " (";
    for (int ph = 0; ph < 3; ph++)
        if (total[ph] > 0 && (phase != NULL)) {
            tb_printf(&b, "%s%s %ld of %ld", sep, names[ph], feas[ph], total[ph]);
            sep = ", ";
        }
    tb_printf(&b, "%s.\n", *sep == ',' ? ")" : "");
    if (b.oom) {
        free(b.s);
        error_set(err, "out of memory");
        return NULL;
    }
    return b.s;
}
