/* hpa_json.h: reading JSON case files exactly: cJSON for the structure, the source text for
 * numbers (so 9223372036854775807 stays an int64 instead of a rounded double), and accessors
 * that report precise errors ("FILE: case 12: input.pods[3].phase: expected ...").
 *
 * Contract: hjson_parse keeps, for every number node, its literal text in node->valuestring
 * (freed by cJSON_Delete like any string). The accessors never print; they fill the reader's
 * sim_error and return -1. A key that is absent or null is "not present"; required keys report
 * an error then. */
#ifndef SCALESIM_CLI_HPA_JSON_H
#define SCALESIM_CLI_HPA_JSON_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "common/error.h"

/* Parses text (len bytes, with text[len] == '\0'); on a syntax error names file:line:col. */
cJSON *hjson_parse(const char *file, const char *text, size_t len, sim_error *err);

/* Reads the whole file, then hjson_parse: the file's tree (the caller deletes it), or NULL. */
cJSON *hjson_load(const char *path, sim_error *err);

/* Formats a JSON path into a fixed buffer; a cut-off path is acceptable in a message. */
void hjson_pathf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define PATHF(buf, ...) hjson_pathf(buf, sizeof buf, __VA_ARGS__)

/* The exact integer value of a number node; -1 when it is not an integer in int64 range. */
int hjson_number_int64(const cJSON *node, int64_t *out);

/* Deep equality: numbers by value (integers exactly), objects regardless of key order, arrays
 * in order. A key "error_contains" in `expect` matches a got string containing it. */
int hjson_equal(const cJSON *got, const cJSON *expect);

/* Where the reader is, for messages. */
typedef struct hjson_reader {
    const char *file;
    long case_id; /* -1: not known yet */
    sim_error *err;
} hjson_reader;

/* Fails with "FILE: case N: PATH: <message>". */
int hjson_fail(hjson_reader *r, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* obj[key] with path "path.key"; NULL when absent or null. */
const cJSON *hjson_get(const cJSON *obj, const char *key);

int hjson_int64(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
                int64_t *out, int *present);
int hjson_int32(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
                int32_t *out, int *present);
int hjson_double(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
                 double *out, int *present);
int hjson_bool(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
               int *out, int *present);
/* The string stays owned by the tree. */
int hjson_string(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
                 const char **out);
/* One of `choices` (NULL-terminated); *out is its index. */
int hjson_enum(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
               const char *const *choices, int *out, int *present);
/* An array (or object) member; *out NULL when absent or null. */
int hjson_array(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
                const cJSON **out);
int hjson_object(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
                 const cJSON **out);

#endif
