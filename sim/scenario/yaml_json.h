/* yaml_json.h: a YAML stream (a Kubernetes manifest) turned into the same cJSON tree and
 * position index (json_pos.h) that the JSON loader builds, so the scenario readers and their
 * "file:line:col: path: ..." messages work on YAML unchanged.
 *
 * Contract: yaml_parse_indexed reads text[0..len) with libyaml and returns in *docs a cJSON
 * array with one item per document of the stream (free it with cJSON_Delete) and fills idx
 * with the offset of every value and key (the array itself has no entry). Scalars are typed as
 * Kubernetes reads YAML (sigs.k8s.io/yaml over go-yaml v2, YAML 1.1 rules): quoted scalars are
 * strings; plain ones are null (~, null, empty), booleans (true/false, yes/no, on/off, y/n in
 * their three cases), numbers (decimal, 0x hex, 0o octal, .inf, .nan) or else strings. Keys are
 * always strings; aliases are expanded (anchored nodes report the anchor's position). On a
 * syntax error, nesting deeper than JSON_MAX_DEPTH, or more than YAML_MAX_NODES values after
 * alias expansion, it returns -1 with the byte offset of the fault in *err_off and the reason
 * in msg. The index borrows `text`. */
#ifndef SCALESIM_SCENARIO_YAML_JSON_H
#define SCALESIM_SCENARIO_YAML_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "sim/scenario/json_pos.h"

#define YAML_MAX_NODES 1000000

int yaml_parse_indexed(const char *text, size_t len, cJSON **docs, json_index *idx, size_t *err_off,
                       char *msg, size_t msg_size);

/* Byte offset of a 0-based line and column (in characters) as libyaml counts them: breaks are
 * \n, \r\n, \r, U+0085, U+2028 and U+2029; a leading UTF-8 BOM is skipped. */
size_t yaml_mark_offset(const char *text, size_t len, size_t line, size_t column);

#endif
