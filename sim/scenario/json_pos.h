/* json_pos.h: strict JSON parsing that remembers where every value came from.
 *
 * cJSON builds the tree but keeps no positions, so json_parse_indexed first scans the raw text
 * with a strict RFC 8259 scanner of its own (which also gives precise syntax errors with their
 * offset), then lets cJSON parse the same text and pairs each cJSON node, in document order,
 * with the byte offsets of its value and (for object members) its key. Positions are turned
 * into 1-based line:column (columns count UTF-8 characters) only when an error needs one.
 * The index borrows `text`, which must outlive it. */
#ifndef SCALESIM_SCENARIO_JSON_POS_H
#define SCALESIM_SCENARIO_JSON_POS_H

#include <cjson/cJSON.h>
#include <stddef.h>

#define JSON_MAX_DEPTH 64
#define JSON_NO_OFFSET ((size_t)-1)

typedef struct json_pos {
    int line, col;
} json_pos;

typedef struct json_entry {
    const cJSON *node;
    size_t value_off;
    size_t key_off; /* JSON_NO_OFFSET for array items and the root */
} json_entry;

typedef struct json_index {
    const char *text;
    size_t len;
    json_entry *entries; /* sorted by node address once parsing succeeded */
    size_t n, cap;
} json_index;

/* Parses text[0..len). On success returns 0, *root (free with cJSON_Delete) and a filled idx.
 * On a syntax error returns -1 with *err_off at the fault and the reason in msg. */
int json_parse_indexed(const char *text, size_t len, cJSON **root, json_index *idx, size_t *err_off,
                       char *msg, size_t msg_size);

void json_index_free(json_index *idx);

/* For other front ends that build a cJSON tree themselves (yaml_json.c): record one node's
 * offsets in idx (whose text and len the caller has set), then sort once, after the last add,
 * before any lookup. json_index_add returns -1 when memory runs out. */
int json_index_add(json_index *idx, const cJSON *node, size_t value_off, size_t key_off);
void json_index_sort(json_index *idx);

/* Byte offsets of a node's value and key; JSON_NO_OFFSET when unknown. */
size_t json_value_offset(const json_index *idx, const cJSON *node);
size_t json_key_offset(const json_index *idx, const cJSON *node);

/* Offset in the raw text of byte `decoded` of a string value's decoded contents (escapes such
 * as \" take their raw width); decoded == strlen gives the closing quote. */
size_t json_string_offset(const json_index *idx, const cJSON *node, size_t decoded);

/* Line and column (both from 1) of a byte offset. */
json_pos json_pos_of(const char *text, size_t len, size_t off);

#endif
