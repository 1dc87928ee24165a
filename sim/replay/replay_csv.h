/* replay_csv.h: reading a replay recording (docs/replay.md) from CSV text.
 *
 * Contract: replay_csv_parse reads the header, finds the time column (time_s or t_s), the
 * decision columns (desired_replicas or hpa_desired; current_replicas or hpa_current), the pod
 * columns when present (pods_ready, pods_total) and, per HPA metric i, the column
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

#endif
