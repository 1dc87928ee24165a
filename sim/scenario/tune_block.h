/* tune_block.h: the scenario's optional top-level "tune" block, the search that
 * `scalesim tune` runs when the command line gives no parameters (docs/tune.md):
 *
 *   "tune": {"params": [{"path": P, "values": [..]} | {"path": P, "from": A, "to": B, "step": S}
 *                       | {"path": P, "min": A, "max": B, "integer": BOOL}],
 *            "search": "grid" | "sobol", "samples": N, "refine": {"rounds": R} | BOOL,
 *            "reps": R, "objective": "cost" | "pod_hours" | "gpu_hours"}
 *
 * Contract: the scenario loader validates the block like every other section (unknown keys
 * with a did-you-mean, "file:line:col: tune.params[0].path: ..." errors; each path must lead
 * into the scenario, every key on it but the last existing, to a number or nothing) and
 * otherwise ignores it: a run does not change. tune_block_read reads it from a scenario's text
 * into plain data; fields the block leaves out are "unset" (-1 or 0, below), for the command's
 * flags and defaults to fill. */
#ifndef SCALESIM_SCENARIO_TUNE_BLOCK_H
#define SCALESIM_SCENARIO_TUNE_BLOCK_H

#include <stddef.h>

#include "common/error.h"
#include "sim/output/tune_space.h"

typedef struct tune_block {
    int present;
    tune_param params[TUNE_MAX_PARAMS]; /* owned */
    int nparams;
    int search;        /* -1 unset, 0 grid, 1 sobol */
    long samples;      /* 0 unset */
    int refine_rounds; /* -1 unset; 0 no refinement */
    int reps;          /* 0 unset */
    int objective;     /* -1 unset, else a tune_objective (tune_eval.h) */
} tune_block;

/* Reads the "tune" block of a JSON scenario text (name for messages); out->present 0 without
 * one. -1 with err (the loader's message) when the text or the block is invalid. */
int tune_block_read(const char *text, size_t len, const char *name, tune_block *out,
                    sim_error *err);
void tune_block_free(tune_block *b);

#endif
