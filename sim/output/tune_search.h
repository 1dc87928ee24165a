/* tune_search.h: the sampled search of `scalesim tune --search sobol`: a deterministic list of
 * configurations from GSL's Sobol sequence over the parameter space, then a local refinement
 * (compass search) around the best feasible one.
 *
 * Contract:
 * - A tune_points list holds configurations as rows of nparams values, each with the phase
 *   that produced it; tune_eval.h's tune_job.points points at its rows.
 * - tune_sobol appends the first `samples` points of gsl_qrng_sobol in nparams dimensions
 *   (GSL supports 1..40), mapped to each parameter by tune_param_at (lists and ranges by
 *   index, so steps are respected; integers rounded); a point equal to an earlier one is left
 *   out, so fewer rows than samples may come back. Same input, same list.
 * - tune_refine starts from the best feasible outcome (tune_outcome_cmp) and runs at most
 *   `rounds` rounds: each tries the 2 x nparams neighbours at the current step (list and range
 *   parameters move by indexes, continuous ones by value), evaluated as one batch through
 *   `eval`; it moves to the best one that ranks before the current point, else halves every
 *   step, and stops when no step can shrink further (1 index, 1 for integers, 1/1000 of the
 *   range for reals). Points already evaluated are not run again. The first steps are half the
 *   spacing of the samples per axis (samples^(1/nparams)). Without a feasible point it does
 *   nothing. The result does not depend on how eval spreads a batch over processes. */
#ifndef SCALESIM_OUTPUT_TUNE_SEARCH_H
#define SCALESIM_OUTPUT_TUNE_SEARCH_H

#include "common/error.h"
#include "sim/output/tune_eval.h"
#include "sim/output/tune_space.h"

typedef enum { TUNE_PHASE_GRID, TUNE_PHASE_SOBOL, TUNE_PHASE_REFINE } tune_phase;

/* "grid", "sobol", "refine". */
const char *tune_phase_name(int phase);

typedef struct tune_points {
    int nparams;
    long n, cap;
    double *v;            /* n x nparams */
    unsigned char *phase; /* tune_phase of each row */
} tune_points;

int tune_points_add(tune_points *pts, const double *values, int phase, sim_error *err);
/* The row equal to values, -1 when none. */
long tune_points_find(const tune_points *pts, const double *values);
void tune_points_free(tune_points *pts);

int tune_sobol(const tune_param *ps, int np, long samples, tune_points *out, sim_error *err);

/* Evaluates rows [first, end) of the points into outs[first..end-1]. */
typedef int (*tune_batch_fn)(void *ctx, tune_outcome *outs, long first, long end, sim_error *err);

/* *outs holds the outcomes of pts' rows and grows with them (realloc). *rounds_done gets the
 * number of rounds run. */
int tune_refine(const tune_param *ps, int np, long samples, int rounds, tune_points *pts,
                tune_outcome **outs, tune_batch_fn eval, void *ctx, int *rounds_done,
                sim_error *err);

#endif
