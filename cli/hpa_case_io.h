/* hpa_case_io.h: what the case kinds of `scalesim hpa` share: an arena owning a case's
 * arrays, the `got` key/value list and its rendering, and readers of the input shapes that
 * several kinds use (pods, resource samples, pod metrics, rules, history, metric specs).
 *
 * Contract: readers fill library structs whose arrays live in the arena and whose strings
 * point into the cJSON tree, so both must outlive the structs; on bad input they fill r->err
 * with "FILE: case N: PATH: what was expected" and return -1. Times in case files are seconds
 * relative to now = 0 and become microseconds. */
#ifndef SCALESIM_CLI_HPA_CASE_IO_H
#define SCALESIM_CLI_HPA_CASE_IO_H

#include <stdint.h>
#include <stdio.h>

#include "cli/hpa_json.h"
#include "sim/control/hpa/hpa.h"

#define US_PER_S 1000000LL

/* Every allocation of one case, freed together. */
typedef struct case_arena {
    void **blocks;
    int n, cap;
} case_arena;

/* Zeroed room for count elements (at least one); NULL when memory runs out. */
void *case_alloc(case_arena *a, size_t count, size_t size);
void case_arena_free(case_arena *a);

/* The got object under construction: keys with their JSON texts. */
#define MAX_KEYS 16

typedef struct case_got {
    const char *key[MAX_KEYS];
    char *json[MAX_KEYS];
    int n;
} case_got;

void case_got_add(case_got *g, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void case_got_str(case_got *g, const char *key, const char *s); /* a string or null */
void case_got_free(case_got *g);
/* The keys of `keys` in its order (null for one the kind lacks), or all when keys is NULL. */
char *case_got_render(const case_got *g, const cJSON *keys);
void case_put_str(FILE *f, const char *s); /* a JSON string literal */

/* Seconds -> microseconds (refusing values that would overflow). */
int case_secs(hjson_reader *r, const cJSON *obj, const char *path, const char *key, int required,
              int64_t *out_us, int *present);
int case_read_pods(hjson_reader *r, case_arena *a, const cJSON *in, const char *path, int required,
                   hpa_pod **out, int *n);
int case_read_resource_metrics(hjson_reader *r, case_arena *a, const cJSON *in, const char *path,
                               hpa_resource_sample **out, int *n);
int case_read_pod_metrics(hjson_reader *r, case_arena *a, const cJSON *in, const char *path,
                          const char *key, hpa_pod_metric **out, int *n);
int case_read_int64_list(hjson_reader *r, case_arena *a, const cJSON *in, const char *path,
                         const char *key, int64_t **out, int *n);
int case_read_rules(hjson_reader *r, const cJSON *o, const char *path, hpa_rules *rules);
/* An optional rules object under key; *present says whether it was given. */
int case_read_rules_key(hjson_reader *r, const cJSON *in, const char *path, const char *key,
                        int required, hpa_rules *rules, int *present);
int case_read_recommendations(hjson_reader *r, const cJSON *arr, const char *path, hpa_state *st);
int case_read_events(hjson_reader *r, const cJSON *in, const char *path, const char *key, int up,
                     hpa_state *st);
void case_rules_got(case_got *g, const hpa_rules *rules);
int case_read_metric_spec(hjson_reader *r, case_arena *a, const cJSON *c, const char *p,
                          hpa_metric_spec *m);

/* The `controller` kind (hpa_case_controller.c): one full sync. */
int hpa_case_controller(hjson_reader *r, case_arena *a, const cJSON *in, case_got *g,
                        FILE *explain);

#endif
