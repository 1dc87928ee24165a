/* replay_prom.h: Prometheus query_range responses as a replay recording (docs/replay.md,
 * "Prometheus input").
 *
 * Contract: replay_prom_csv takes the parsed-from-text documents, each the JSON body of
 * /api/v1/query_range ({"status":"success","data":{"resultType":"matrix","result":[{"metric":
 * {...},"values":[[t,"v"],...]}]}}), with the recording column it stands for (COLUMN=FILE) or
 * NULL to map every series by its metric name (kube-state-metrics' HPA and Deployment series, or
 * the HPA's metric name). It returns a recording CSV (replay_csv.h's columns: time_s,
 * desired_replicas, current_replicas, pods_ready, pods_total, min_replicas, max_replicas,
 * offered and metric_cols[i]) on the union of the samples' timestamps, each column holding its
 * last sample for up to 5 minutes (Prometheus's lookback). Row times are seconds from
 * origin_unix_us (INT64_MIN: the first desired_replicas sample), labelled as the CSV writers do
 * (the row seen at T is labelled T - 1 s). "NaN", "+Inf" and "-Inf" values are no sample. Every
 * malformed input gives "FILE: JSON.PATH: expected ..., got ..."; malloc'd text, *len set, NULL
 * with err on error. No I/O. */
#ifndef SCALESIM_REPLAY_REPLAY_PROM_H
#define SCALESIM_REPLAY_REPLAY_PROM_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

typedef struct replay_prom_doc {
    const char *column; /* NULL: map by metric name */
    const char *path;   /* for messages */
    const char *text;
    size_t len;
} replay_prom_doc;

char *replay_prom_csv(const replay_prom_doc *docs, int ndocs, const char *const *metric_cols,
                      const char *const *metric_names, int nmetrics, int64_t origin_unix_us,
                      size_t *len, sim_error *err);

#endif
