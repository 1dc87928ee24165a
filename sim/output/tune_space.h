/* tune_space.h: the parameter space of `scalesim tune`: parameters addressed by JSON path into
 * a scenario, each with a list of values, and the full grid over them.
 *
 * Contract:
 * - tune_param_parse reads "PATH=V1,V2,..." or "PATH=FROM:TO:STEP" (numbers; the range includes
 *   TO when a whole number of steps reaches it). Paths are dotted keys with [i] array indexes:
 *   "hpa.spec.metrics[0].resource.target.averageUtilization".
 * - tune_set edits a cJSON tree: every key and index on the path but the last must exist; the
 *   last key is replaced or added (numbers only). Errors name the path and the missing part.
 * - Grid order: the last parameter varies fastest; configuration i is tune_grid_values(i).
 * - "PATH=MIN..MAX" is a continuous parameter (values NULL, nvalues 0): sampled, never gridded
 *   (tune_grid_size refuses it). It is an integer parameter when both bounds are written as
 *   whole numbers without '.' or an exponent ("1..20"; "0.0..1.0" is real); integers round.
 * - tune_param_text writes the canonical text of a parameter, which tune_param_parse reads back
 *   to the same parameter (lists and ranges as their value lists).
 * - Pure functions, no I/O; a tune_param owns its path and values (tune_param_free). */
#ifndef SCALESIM_OUTPUT_TUNE_SPACE_H
#define SCALESIM_OUTPUT_TUNE_SPACE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/error.h"

#define TUNE_MAX_PARAMS 16
#define TUNE_MAX_VALUES 100000

typedef struct tune_param {
    char *path;
    double *values;
    int nvalues;
    int continuous; /* 1: any value in [min, max] (values NULL, nvalues 0) */
    int integer;    /* continuous only: values are whole numbers */
    double min, max;
} tune_param;

int tune_param_parse(const char *text, tune_param *out, sim_error *err);
void tune_param_free(tune_param *p);

/* The number of configurations (product of the value counts), -1 with err past max. */
long tune_grid_size(const tune_param *ps, int n, long max, sim_error *err);
/* The value of each parameter in configuration i. */
void tune_grid_values(const tune_param *ps, int n, long i, double *values);

/* The canonical "PATH=..." text of p into buf (NUL-terminated; -1 when it does not fit). */
int tune_param_text(const tune_param *p, char *buf, size_t size);
/* The value of p at u in [0, 1): list and range values by index floor(u * nvalues), continuous
 * ones min + u * (max - min), rounded for integer parameters. */
double tune_param_at(const tune_param *p, double u);

int tune_set(cJSON *root, const char *path, double value, sim_error *err);
/* The node at path, NULL when any part is missing. */
cJSON *tune_get(cJSON *root, const char *path);
/* Whether a parameter may replace node: absent (NULL), a number, or a string that is a
 * Kubernetes quantity ("500m", "200Mi") or a duration ("5ms", "1m30s"), where the scenario
 * loader also reads a plain number (cores, bytes, seconds: docs/scenario.md), so the tuned
 * values are in those units. */
int tune_settable(const cJSON *node);

#endif
