/* scenario.h: reads a scenario file (JSON, documented field by field in docs/scenario.md) into
 * a scenario_cfg (config.h).
 *
 * Validation is strict: unknown keys (with a did-you-mean), wrong types, out-of-range values
 * and contradictions all fail, and every message reads "file:line:col: json.path: what was
 * expected" (trace and sample CSV files: "file:line: what"). On failure the functions return
 * -1, fill err and leave *out zeroed; on success the caller owns *out and frees it with
 * scenario_cfg_free. Nothing here prints or exits. */
#ifndef SCALESIM_SCENARIO_SCENARIO_H
#define SCALESIM_SCENARIO_SCENARIO_H

#include <stddef.h>

#include "common/error.h"
#include "sim/scenario/config.h"

/* Scenario files larger than this are refused (they are hand-written; data goes in CSV). */
#define SCENARIO_MAX_BYTES (4u << 20)

/* Reads the file at path; relative trace and sample files resolve against its folder. */
int scenario_load(const char *path, scenario_cfg *out, sim_error *err);

/* Reads a scenario from memory. `name` is the file name used in messages and for the default
 * scenario name; `base_dir` is the folder relative file names resolve against (NULL or "" for
 * the working directory). text need not be NUL-terminated. */
int scenario_load_text(const char *text, size_t len, const char *name, const char *base_dir,
                       scenario_cfg *out, sim_error *err);

/* Frees everything a scenario_cfg owns and zeroes it; safe on a zeroed or freed cfg. */
void scenario_cfg_free(scenario_cfg *cfg);

#endif
