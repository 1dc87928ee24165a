/* lg_trace.h: the per-second trace CSV of a load run.
 *
 * One row per second of the run: t_s (seconds from the start), rps (requests sent that second,
 * the offered load; with t_s this is the scenario trace format, so the file drives `scalesim
 * run` as an open-loop "trace" phase unchanged), sent, completed, failed, one column per error
 * kind (lg_err_names), s1xx..s5xx and s_other (status classes), latency p50/p90/p99/max in ms of
 * the responses completed that second (empty when none), and in_flight at the end of the
 * second. Extra columns (the HPA watch, Prometheus queries) follow, named by the caller; their
 * cells are empty in seconds without a sample. Rows are flushed as written, so a run stopped
 * by Ctrl-C leaves a complete file. */
#ifndef SCALESIM_LOADGEN_LG_TRACE_H
#define SCALESIM_LOADGEN_LG_TRACE_H

#include <stdint.h>
#include <stdio.h>

#include "common/error.h"
#include "loadgen/lg_stats.h"

typedef struct lg_trace {
    FILE *f;
    int nextra;
} lg_trace;

int lg_trace_open(lg_trace *t, const char *path, const char *const *extra, int nextra,
                  sim_error *err);
/* extra: nextra cells already formatted (NULL or "" for empty). */
void lg_trace_row(lg_trace *t, int64_t sec, const lg_second *s, const char *const *extra);
int lg_trace_close(lg_trace *t, sim_error *err);

#endif
