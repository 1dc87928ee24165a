/* lg_watch.h: watching the cluster while the load runs: the HPA (kubectl) and Prometheus
 * queries, sampled every `every_us` from the run's start on a thread of their own (a slow
 * kubectl never delays the load or the trace), each sample handed to the trace row of the
 * second in which it was taken. Columns: hpa_desired, hpa_current, hpa_metrics,
 * hpa_conditions, hpa_error (with --watch-hpa), then prom_NAME for each query. A failed look
 * leaves its cells empty (hpa_error says why) and is counted; the run goes on. */
#ifndef SCALESIM_LOADGEN_LG_WATCH_H
#define SCALESIM_LOADGEN_LG_WATCH_H

#include <stdint.h>

#include "common/error.h"

#define LG_MAX_QUERIES 16
#define LG_WATCH_CELL  512

typedef struct lg_watch_cfg {
    const char *hpa;     /* NULL: no HPA watch */
    const char *ns;      /* may be NULL */
    const char *kubectl; /* NULL: "kubectl" from $PATH */
    const char *prom_url;
    int nqueries;
    const char *qnames[LG_MAX_QUERIES], *queries[LG_MAX_QUERIES];
    int64_t every_us;
    int64_t t0_ns;
} lg_watch_cfg;

typedef struct lg_watch lg_watch;

/* *out is NULL (and 0 returned) when there is nothing to watch. */
int lg_watch_start(lg_watch **out, const lg_watch_cfg *cfg, sim_error *err);
int lg_watch_ncols(const lg_watch *w);
const char *const *lg_watch_names(const lg_watch *w);
/* Fills cells (ncols pointers into w) with the latest waiting sample taken at or before second
 * sec, if there is one; else every cell is "". Samples of later seconds wait for their own
 * rows, so a trace writer running late loses none (up to 4 seconds behind). */
void lg_watch_take(lg_watch *w, int64_t sec, const char **cells);
/* Stops the thread; returns how many looks failed, with the first failure in first_err. */
uint64_t lg_watch_stop(lg_watch *w, char *first_err, size_t size);

#endif
