/* tune_eval.h: one configuration of `scalesim tune`: the scenario tree with the parameter
 * values set, loaded by the normal loader (its errors still name the path), simulated R times
 * on seeds seed0..seed0+R-1 (the same seeds for every configuration: common random numbers),
 * each run judged by the scenario's `expect` assertions through the check engine (check.h).
 *
 * Contract: tune_eval returns 0 with *out filled; a configuration the loader rejects, or whose
 * assertions cannot be evaluated, is an outcome (valid 0, message), not an error. -1 with err
 * only when a run cannot be written (tmp_dir) or memory runs out. Runs go to a fresh folder
 * under tmp_dir, removed afterwards. Cost: summary.json pods.gpu_hours when the pods have GPUs,
 * else pods.pod_hours, averaged over the replications. */
#ifndef SCALESIM_OUTPUT_TUNE_EVAL_H
#define SCALESIM_OUTPUT_TUNE_EVAL_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "common/error.h"
#include "sim/output/check.h"
#include "sim/output/tune_space.h"

typedef struct tune_outcome {
    long config;        /* grid index */
    int valid;          /* 0: rejected by the loader or not evaluable (message says why) */
    int feasible;       /* every assertion passed in every replication */
    int gpu;            /* cost is GPU-hours */
    double cost;        /* mean over replications */
    double p95_ms;      /* mean of summary.json latency_ms.p95 */
    int failed;         /* failed (assertion, replication) pairs */
    char message[2048]; /* the first failure or the loader's error */
} tune_outcome;

/* What "cost" means: pod-hours, or GPU-hours when the pods have GPUs (TUNE_OBJ_COST, the
 * default), or one of them always. */
typedef enum { TUNE_OBJ_COST, TUNE_OBJ_POD_HOURS, TUNE_OBJ_GPU_HOURS } tune_objective;

typedef struct tune_job {
    const cJSON *root;    /* the scenario as parsed; not modified */
    const char *name;     /* scenario file name (messages) */
    const char *base_dir; /* for relative trace files */
    const tune_param *params;
    int nparams;
    int reps;
    uint64_t seed0;
    int64_t duration_us; /* > 0: overrides the scenario's */
    const char *tmp_dir;
    /* Added for sampled searches; zero in a grid job: */
    const double *points; /* npoints x nparams values; NULL: configuration i is grid index i */
    long npoints;
    tune_objective objective;
} tune_job;

int tune_eval(const tune_job *job, long config, tune_outcome *out, sim_error *err);

/* One assertion's worst verdict over a configuration's replications (check_result_worse). */
typedef struct tune_verdict {
    char name[128];
    check_result worst;
} tune_verdict;

/* tune_eval that also fills v[i] for the scenario's first max assertions; *nv gets how many. */
int tune_eval_detail(const tune_job *job, long config, tune_outcome *out, tune_verdict *v,
                     size_t max, size_t *nv, sim_error *err);

/* The parameter values of configuration config (a grid index, or a row of job->points). */
void tune_job_values(const tune_job *job, long config, double *values);

/* The ranking order: feasible first, then valid, then lower cost, then lower p95, then lower
 * config. */
int tune_outcome_cmp(const tune_outcome *a, const tune_outcome *b);

/* The scenario text of a configuration (malloc'd, formatted), NULL with err on failure. */
char *tune_config_text(const tune_job *job, long config, int formatted, sim_error *err);

/* Marks on_front[i] = 1 for the outcomes on the Pareto front of cost against p95 latency (both
 * lower is better; among valid outcomes with a p95, feasible or not): no other has cost <= and
 * p95 <= with one of them <. Equal points are all on it. -1 with err when out of memory. */
int tune_pareto(const tune_outcome *outs, long n, int *on_front, sim_error *err);

#endif
