/* llm_presets.h: named LLM server presets (model x GPU) with cited defaults.
 *
 * llm_preset_apply fills every field of an llm_cfg from a preset name and returns 0, or -1 when
 * the name is unknown. The list and each number's source: llm_presets.c, docs/model.md. */
#ifndef SCALESIM_MODEL_LLM_PRESETS_H
#define SCALESIM_MODEL_LLM_PRESETS_H

#include "sim/model/llm_cfg.h"

int llm_preset_apply(llm_cfg *cfg, const char *name);

/* The preset names, NULL-terminated, in the order the docs list them. */
extern const char *const llm_preset_names[];

/* KV budget in tokens the way vLLM sizes it: (memory * utilization - weights - activations) /
 * bytes per token, or cfg->kv_budget_tokens when set; <= 0 means the model does not fit. */
int64_t llm_kv_budget_tokens(const llm_cfg *cfg);

/* Sets lc's cold image pull to image / pull bandwidth and its model load to weights (all GPUs)
 * / load bandwidth + compile + CUDA graphs + server start, as constants. */
void llm_startup_apply(const llm_cfg *cfg, lifecycle_cfg *lc);
/* The model load time those give, in microseconds. */
int64_t llm_startup_load_us(const llm_cfg *cfg);

#endif
