/* reader.h: typed, position-aware readers of scenario JSON values (internal to the loader).
 *
 * Each reader checks one value and either stores it or fails with the one error format of the
 * loader, "file:line:col: path: what was expected" (common/error.h), where path is the JSON
 * path (load[1].rate, service.pod.cpu_request) and line:col is where the value (or, for
 * unknown and duplicate keys, the key; for missing keys, the enclosing object) starts. All
 * return 0 or -1. A section reader (service.c, load.c, dist.c, and later hpa, metrics...) is a
 * function of (reader, node, path, out) built from these. */
#ifndef SCALESIM_SCENARIO_READER_H
#define SCALESIM_SCENARIO_READER_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "common/error.h"
#include "sim/scenario/json_pos.h"

#define RD_PATH_MAX 256
/* The longest simulated horizon and the latest time anything may be scheduled. */
#define RD_MAX_TIME_US (INT64_C(366) * 24 * 3600 * 1000000)

typedef struct sc_reader {
    const char *file;     /* the scenario's name in messages */
    const char *base_dir; /* folder that relative file names are resolved against; "" = cwd */
    const json_index *idx;
    sim_error *err;
} sc_reader;

/* Fails at a node's value, at its key, or at a raw offset, with "file:line:col: path: ...". */
int rd_fail(const sc_reader *r, const cJSON *node, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int rd_fail_key(const sc_reader *r, const cJSON *node, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int rd_fail_at(const sc_reader *r, size_t offset, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "parent.key" (or "key" at the top) and "parent[i]" into buf. */
const char *rd_join(char *buf, const char *parent, const char *key);
const char *rd_index(char *buf, const char *parent, size_t i);

/* A short description of a value for messages: "a string", "the number 3", "true", "null". */
const char *rd_describe(const cJSON *node, char *buf, size_t size);

/* Checks that node is an object whose keys are all in `allowed` (plus "comment", a string,
 * accepted everywhere), none twice. For a key that is not allowed, `foreign` (may be NULL)
 * can supply a specific message; otherwise the message suggests the closest allowed key. */
typedef const char *(*rd_foreign_fn)(const char *key, const void *ctx);
int rd_object(const sc_reader *r, const cJSON *node, const char *path, const char *const *allowed,
              int nallowed, rd_foreign_fn foreign, const void *foreign_ctx);

/* The candidate a mistyped word most likely meant: opts_closest (common/options.h), or else a
 * candidate that differs from word by two swapped neighbouring characters ("mena" -> "mean"),
 * which plain edit distance counts as two edits. NULL when none is close. */
const char *rd_closest(const char *word, const char *const *candidates, int ncandidates);

/* Member lookup, case-sensitive; NULL when absent. */
const cJSON *rd_get(const cJSON *obj, const char *key);
/* Fails with "path.key: missing; <why>" at the object when key is absent. */
int rd_require(const sc_reader *r, const cJSON *obj, const char *path, const char *key,
               const char *why, const cJSON **out);

int rd_string(const sc_reader *r, const cJSON *node, const char *path, const char **out);
/* A name: 1 to 63 letters, digits, '.', '_' or '-'. */
int rd_name(const sc_reader *r, const cJSON *node, const char *path, char *dst, size_t size);
int rd_enum(const sc_reader *r, const cJSON *node, const char *path, const char *const *names,
            int nnames, int *out);
/* A finite number in [min, max] (min excluded when min_excl). */
int rd_number(const sc_reader *r, const cJSON *node, const char *path, double min, int min_excl,
              double max, double *out);
int rd_int(const sc_reader *r, const cJSON *node, const char *path, int64_t min, int64_t max,
           int64_t *out);
/* A duration: a number of seconds or a Go-style string, in [min_us, max_us] (min excluded when
 * min_excl). */
int rd_duration(const sc_reader *r, const cJSON *node, const char *path, int64_t min_us,
                int min_excl, int64_t max_us, int64_t *out_us);
/* CPU: a Kubernetes quantity ("500m", "2") or a number of cores, as millicores >= 0. */
int rd_cpu(const sc_reader *r, const cJSON *node, const char *path, int64_t *out_milli);
/* Memory or sizes: a Kubernetes quantity ("200Mi") or a number of bytes, as bytes >= 0. */
int rd_bytes(const sc_reader *r, const cJSON *node, const char *path, int64_t *out_bytes);

/* Resolves a file name from the scenario against its folder into buf (RD_PATH_MAX * 4). */
const char *rd_resolve(const sc_reader *r, const char *name, char *buf, size_t size);

#endif
