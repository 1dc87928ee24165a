/* replay_csv.h: reading a replay recording (docs/replay.md) from CSV text.
 *
 * Contract: replay_csv_parse reads the header, finds the time column (time_s or t_s), the
 * decision columns (desired_replicas or hpa_desired; current_replicas or hpa_current), the pod
 * columns when present (pods_ready, pods_total), the HPA's limits when present (min_replicas,
 * max_replicas) and, per HPA metric i, the column
 * metric_cols[i] (e.g. "cpu_pct_seen"); when that column is absent and an `hpa_metrics` column
 * (scalesim loadgen --watch-hpa: "cpu=58%;memory=120Mi") is present, the entry named
 * metric_names[i] is read from it. Rows without a decision (empty cells) are skipped. Errors
 * name the line and column. *rows is malloc'd (free it), *nrows set. No I/O. */
#ifndef SCALESIM_REPLAY_REPLAY_CSV_H
#define SCALESIM_REPLAY_REPLAY_CSV_H

#include <stddef.h>

#include "common/error.h"
#include "sim/replay/replay.h"

int replay_csv_parse(const char *text, size_t len, const char *const *metric_cols,
                     const char *const *metric_names, int nmetrics, replay_sample **rows,
                     int *nrows, sim_error *err);

/* The per-second figures of a recording a counterfactual needs (docs/replay.md, "Counterfactual
 * runs"), every row kept (rows without a decision too). Columns by name, the first present:
 * time time_s, t_s; offered load offered (the simulator: requests that second), rps (loadgen:
 * sent that second); pods pods_total, current_replicas, hpa_current (an empty cell holds the
 * previous row's count: loadgen fills the HPA cells only every --every); pod_seconds; failed;
 * completed; latency latency_pNN_ms or pNN_ms for NN = 50, 95, 99. Absent columns and empty
 * cells read as NAN. Errors name the line. */
typedef struct replay_second {
    double t_s; /* the row's label: the second [t_s, t_s + 1) */
    double offered, pods, pod_seconds, failed, completed, p50_ms, p95_ms, p99_ms;
} replay_second;

typedef struct replay_series {
    replay_second *rows; /* malloc'd: replay_series_free */
    int n;
    int has_offered, has_pods, has_pod_seconds, has_failed, has_completed;
    int has_p[3]; /* p50, p95, p99 */
} replay_series;

int replay_csv_series(const char *text, size_t len, replay_series *out, sim_error *err);
void replay_series_free(replay_series *s);

#endif
