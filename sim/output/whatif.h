/* whatif.h: counterfactual runs of a recording (`scalesim replay --set`): the recording's
 * offered load replaces the scenario's load, and the scenario is simulated as it is (baseline)
 * and with the --set edits, on the same seed (common random numbers), so the difference between
 * the two runs is the edits' effect alone.
 *
 * Contract:
 * - whatif_run writes job->dir/offered.csv (t_s,rps: the recording's offered column), the two
 *   scenarios as simulated (baseline.json, counterfactual.json: the scenario with `load`
 *   replaced by one open-loop phase reading offered.csv with step interpolation, `duration` the
 *   recording's span, `expect` removed; the second with the edits made by tune_set) and runs
 *   them into job->dir/baseline/ and job->dir/counterfactual/ (timeline.csv, summary.json,
 *   events.log), then fills the figures of both. job->dir must exist.
 * - An edit tune_set rejects (a path the scenario lacks) or a scenario the loader rejects is an
 *   input error: -1 with err holding "--set PATH=VALUE: " and tune's or the loader's message.
 * - whatif_recorded computes the same figures from a recording (pod-seconds from its
 *   pod_seconds column, else its pod count held over each row; the whole-run percentiles are
 *   not known from per-second ones, only their weighted mean ps_*). The runs get both: their
 *   whole-run percentiles from summary.json and ps_* from their timelines, comparable with the
 *   recording's.
 * - Cost is summary.json pods.gpu_hours when the pods have GPUs, else pods.pod_hours, as tune
 *   computes it (tune_eval.h); for the recording, pod-seconds x gpus_per_pod / 3600. */
#ifndef SCALESIM_OUTPUT_WHATIF_H
#define SCALESIM_OUTPUT_WHATIF_H

#include <cjson/cJSON.h>

#include "common/error.h"
#include "sim/replay/replay_csv.h"

#define WHATIF_MAX_SETS 32

typedef struct whatif_set {
    const char *path;
    double value;
    const char *text; /* "PATH=VALUE" as given, for messages */
} whatif_set;

typedef struct whatif_figures {
    double seconds;                         /* span covered */
    double pods_mean;                       /* pod-seconds / seconds */
    double pods_max;                        /* most pods in any second */
    double pod_hours;                       /* pod-seconds / 3600 */
    double cost;                            /* GPU-hours when gpu, else pod-hours */
    double p50_ms, p95_ms, p99_ms;          /* whole-run percentiles; NAN: not known */
    double ps_p50_ms, ps_p95_ms, ps_p99_ms; /* the per-second percentiles' mean, weighted by the
                                               requests completed each second; NAN: none */
    double requests;                        /* offered */
    double errors;                          /* failed requests */
} whatif_figures;

typedef struct whatif_job {
    const cJSON *root;    /* the scenario as parsed; not modified */
    const char *name;     /* the scenario file (messages, default scenario name) */
    const char *base_dir; /* its folder: relative files resolve against it */
    const whatif_set *sets;
    int nsets;
    const replay_series *rec;
    const char *arrivals; /* "uniform" or "poisson" */
    const char *dir;      /* output folder (exists) */
    int keep;             /* dir is the user's (-o): messages name the files in it */
} whatif_job;

typedef struct whatif_result {
    int gpu; /* cost is GPU-hours */
    double gpus_per_pod;
    whatif_figures baseline, counterfactual;
} whatif_result;

int whatif_run(const whatif_job *job, whatif_result *out, sim_error *err);
void whatif_recorded(const replay_series *rec, double gpus_per_pod, whatif_figures *out);

/* The diff summary (diff.json): the edits, the three sets of figures and the changes
 * (counterfactual - baseline). Returns malloc'd formatted JSON, NULL when out of memory. */
char *whatif_json(const whatif_job *job, const whatif_result *r, const whatif_figures *recorded);

#endif
