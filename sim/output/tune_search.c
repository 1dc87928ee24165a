/* tune_search.c: see tune_search.h. */
#include "sim/output/tune_search.h"

#include <gsl/gsl_qrng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *tune_phase_name(int phase) {
    return phase == TUNE_PHASE_SOBOL ? "sobol" : phase == TUNE_PHASE_REFINE ? "refine" : "grid";
}

int tune_points_add(tune_points *pts, const double *values, int phase, sim_error *err) {
    if (pts->n == pts->cap) {
        long cap = pts->cap ? pts->cap * 2 : 64;
        double *v = realloc(pts->v, (size_t)cap * (size_t)pts->nparams * sizeof *v);
        if (v == NULL)
            return error_set(err, "out of memory");
        pts->v = v;
        unsigned char *ph = realloc(pts->phase, (size_t)cap);
        if (ph == NULL)
            return error_set(err, "out of memory");
        pts->phase = ph;
        pts->cap = cap;
    }
    memcpy(pts->v + pts->n * pts->nparams, values, (size_t)pts->nparams * sizeof *values);
    pts->phase[pts->n++] = (unsigned char)phase;
    return 0;
}

long tune_points_find(const tune_points *pts, const double *values) {
    for (long i = 0; i < pts->n; i++)
        if (memcmp(pts->v + i * pts->nparams, values, (size_t)pts->nparams * sizeof *values) == 0)
            return i;
    return -1;
}

void tune_points_free(tune_points *pts) {
    free(pts->v);
    free(pts->phase);
    pts->v = NULL;
    pts->phase = NULL;
    pts->n = pts->cap = 0;
}

int tune_sobol(const tune_param *ps, int np, long samples, tune_points *out, sim_error *err) {
    /* GSL's Sobol generator (Bratley and Fox, ACM TOMS 659) supports up to 40 dimensions. */
    if (np < 1 || np > 40)
        return error_set(err, "tune: sobol search needs 1 to 40 parameters, got %d", np);
    if (samples < 1)
        return error_set(err, "tune: sobol search needs at least 1 sample");
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)np);
    if (q == NULL)
        return error_set(err, "out of memory");
    out->nparams = np;
    double u[40], vals[TUNE_MAX_PARAMS];
    int rc = 0;
    for (long s = 0; s < samples && rc == 0; s++) {
        gsl_qrng_get(q, u);
        for (int k = 0; k < np; k++)
            vals[k] = tune_param_at(&ps[k], u[k]);
        if (tune_points_find(out, vals) < 0)
            rc = tune_points_add(out, vals, TUNE_PHASE_SOBOL, err);
    }
    gsl_qrng_free(q);
    return rc;
}

/* A parameter's refinement coordinate: the value's index for lists and ranges, else the value. */
static double coord_of(const tune_param *p, double value) {
    if (p->continuous)
        return value;
    for (int i = 0; i < p->nvalues; i++)
        if (p->values[i] == value)
            return i;
    return 0;
}

static double value_of(const tune_param *p, double coord) {
    if (p->continuous) {
        double x = p->integer ? round(coord) : coord;
        double lo = p->integer ? ceil(p->min) : p->min, hi = p->integer ? floor(p->max) : p->max;
        return x < lo ? lo : x > hi ? hi : x;
    }
    long i = lround(coord);
    return p->values[i < 0 ? 0 : i >= p->nvalues ? p->nvalues - 1 : i];
}

static double min_step(const tune_param *p) {
    if (!p->continuous || p->integer)
        return 1;
    return (p->max - p->min) / 1000;
}

int tune_refine(const tune_param *ps, int np, long samples, int rounds, tune_points *pts,
                tune_outcome **outs, tune_batch_fn eval, void *ctx, int *rounds_done,
                sim_error *err) {
    *rounds_done = 0;
    long cur = -1;
    for (long i = 0; i < pts->n; i++)
        if ((*outs)[i].feasible && (cur < 0 || tune_outcome_cmp(&(*outs)[i], &(*outs)[cur]) < 0))
            cur = i;
    if (cur < 0)
        return 0;
    double per_axis = ceil(pow((double)(samples > 0 ? samples : 1), 1.0 / np) - 1e-9);
    double step[TUNE_MAX_PARAMS];
    for (int k = 0; k < np; k++) {
        double span = ps[k].continuous ? ps[k].max - ps[k].min : ps[k].nvalues - 1;
        step[k] = span / (2 * per_axis);
        if (!ps[k].continuous || ps[k].integer)
            step[k] = floor(step[k]);
        if (step[k] < min_step(&ps[k]))
            step[k] = min_step(&ps[k]);
    }
    for (int round = 0; round < rounds; round++) {
        double here[TUNE_MAX_PARAMS], cand[TUNE_MAX_PARAMS];
        memcpy(here, pts->v + cur * np, (size_t)np * sizeof *here);
        long first = pts->n;
        long tried[2 * TUNE_MAX_PARAMS];
        int ntried = 0;
        for (int k = 0; k < np; k++)
            for (int dir = -1; dir <= 1; dir += 2) {
                memcpy(cand, here, (size_t)np * sizeof *cand);
                cand[k] = value_of(&ps[k], coord_of(&ps[k], here[k]) + dir * step[k]);
                if (cand[k] == here[k])
                    continue;
                long at = tune_points_find(pts, cand);
                if (at < 0) {
                    if (tune_points_add(pts, cand, TUNE_PHASE_REFINE, err) < 0)
                        return -1;
                    at = pts->n - 1;
                }
                tried[ntried++] = at;
            }
        if (pts->n > first) {
            tune_outcome *o = realloc(*outs, (size_t)pts->cap * sizeof *o);
            if (o == NULL)
                return error_set(err, "out of memory");
            *outs = o;
            if (eval(ctx, *outs, first, pts->n, err) < 0)
                return -1;
        }
        *rounds_done = round + 1;
        long best = cur;
        for (int t = 0; t < ntried; t++)
            if (tune_outcome_cmp(&(*outs)[tried[t]], &(*outs)[best]) < 0)
                best = tried[t];
        if (best != cur) {
            cur = best;
            continue;
        }
        int shrunk = 0;
        for (int k = 0; k < np; k++) {
            double s = step[k] / 2;
            if (!ps[k].continuous || ps[k].integer)
                s = floor(s);
            if (s < min_step(&ps[k]))
                s = min_step(&ps[k]);
            shrunk |= s < step[k];
            step[k] = s;
        }
        if (!shrunk)
            break;
    }
    return 0;
}
