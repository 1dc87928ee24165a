/* lg_prom.h: Prometheus instant queries through its HTTP API, with libcurl (control plane:
 * a few calls per interval, so libcurl's cost per request does not matter here).
 *
 * GET BASE/api/v1/query?query=PROMQL (Prometheus HTTP API, /api/v1/query). The answer is
 * reduced to one number: a scalar as is, an instant vector as the sum of its samples (write
 * sum by (...) in the query to choose), an empty vector as "" (no sample). The cell is the
 * value as Prometheus wrote it (a scalar, or a single sample) or the sum printed with %.6g. */
#ifndef SCALESIM_LOADGEN_LG_PROM_H
#define SCALESIM_LOADGEN_LG_PROM_H

#include "common/error.h"

typedef struct lg_prom lg_prom;

lg_prom *lg_prom_new(const char *base_url, int timeout_ms, sim_error *err);
/* cell receives the value text (size bytes); "" when the result is empty. */
int lg_prom_query(lg_prom *p, const char *promql, char *cell, size_t size, sim_error *err);
void lg_prom_free(lg_prom *p);

#endif
