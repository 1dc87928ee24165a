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

/* The open-loop load of `scalesim loadgen --load`, read with the same readers and messages:
 * text is a scenario (an object with "load": read and checked whole, as scenario_load_text
 * does), one load phase (an object; its path in messages is load[0]) or an array of phases
 * (load[i]). A closed-loop phase fails at its position ("name:line:col: load[i]: ..."). For
 * phases alone, out holds only loads, seed 1 and duration_us: the latest end when every phase
 * has one, else 0. */
int scenario_open_loads_text(const char *text, size_t len, const char *name, const char *base_dir,
                             scenario_cfg *out, sim_error *err);
/* The same from the file at path (relative trace files resolve against its folder). */
int scenario_open_loads(const char *path, scenario_cfg *out, sim_error *err);

/* Reads a trace CSV (columns t_s and rps, docs/scenario.md "Trace files") into l->points
 * (appended to none: l->points must be NULL), rates times scale (0 < scale). Errors read
 * "path:line: what" or "path: cannot read: why". l->points is freed with the scenario_cfg
 * that holds l (scenario_cfg_free). */
int scenario_read_trace(const char *path, double scale, load_cfg *l, sim_error *err);

/* Frees everything a scenario_cfg owns and zeroes it; safe on a zeroed or freed cfg. */
void scenario_cfg_free(scenario_cfg *cfg);

#endif
