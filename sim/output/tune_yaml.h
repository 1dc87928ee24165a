/* tune_yaml.h: a cJSON tree written as YAML (the recommended HPA as a manifest for kubectl
 * apply), with libyaml's emitter.
 *
 * Contract: tune_yaml returns a malloc'd block-style YAML document of node, or NULL with err
 * filled. Strings that YAML 1.1 would read back as something else (numbers, booleans, null,
 * empty) are double-quoted; others are plain when libyaml allows. Read back with
 * yaml_parse_indexed (sim/scenario/yaml_json.h) it gives a tree equal to node. */
#ifndef SCALESIM_OUTPUT_TUNE_YAML_H
#define SCALESIM_OUTPUT_TUNE_YAML_H

#include <cjson/cJSON.h>

#include "common/error.h"

char *tune_yaml(const cJSON *node, sim_error *err);

#endif
