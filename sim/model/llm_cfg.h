/* llm_cfg.h: the plain-data description of a continuous-batching LLM server pod (vLLM-like):
 * GPU and model sizes, step-time coefficients, scheduler limits, the GPU metric model and the
 * request token counts. Filled from a preset (llm_presets.h) and the scenario's
 * "service.pod.llm" section; read by llm.c and gpu_metrics.c. Every default and its source:
 * llm_presets.c and docs/model.md "GPU LLM service". */
#ifndef SCALESIM_MODEL_LLM_CFG_H
#define SCALESIM_MODEL_LLM_CFG_H

#include <stdint.h>

#include "sim/scenario/config.h"

/* How dcgm-style activity responds to a step (gpu_metrics.h). Fractions 0..1. */
typedef struct gpu_metric_cfg {
    double sm_prefill;       /* SM_ACTIVE during a step that holds prefill tokens */
    double sm_min, sm_max;   /* SM_ACTIVE of a decode step at batch 1 and at saturation */
    double sm_batch_sat;     /* batch at which decode SM_ACTIVE reaches sm_max */
    double occ_min, occ_max; /* SM_OCCUPANCY at batch 1 and at saturation */
    double occ_batch_sat;    /* tokens in a step at which occupancy reaches occ_max */
} gpu_metric_cfg;

/* GPU pod start-up (a lifecycle preset): the image pull on a node without the image and the
 * model load (weights from storage, torch.compile, CUDA graph capture, server start). Applied to
 * service.pod.lifecycle by llm_startup_apply. */
typedef struct llm_startup {
    int present;
    int64_t image_bytes;     /* compressed vLLM image */
    double pull_bytes_per_s; /* registry -> node */
    double load_bytes_per_s; /* weights: storage -> GPU */
    int64_t compile_us, cuda_graphs_us, server_us;
} llm_startup;

typedef struct llm_cfg {
    char preset[CFG_NAME_MAX];
    /* memory: KV budget = gpu_memory * utilization - weights - activation reserve */
    int64_t gpu_memory_bytes;
    double gpu_memory_utilization; /* vLLM --gpu-memory-utilization */
    int64_t weight_bytes;          /* model weights resident on the GPU (per GPU with TP) */
    int64_t activation_bytes;      /* peak activations + CUDA graphs + non-torch memory */
    int64_t kv_bytes_per_token;    /* KV cache per token per GPU */
    int64_t kv_budget_tokens;      /* 0: derived from the above */
    /* step time: max(weight_read_us, tokens * prefill_us_per_token)
     *            + sum of decode contexts * kv_read_us_per_token + host_us */
    double weight_read_us;       /* linear layers at small token counts (memory bound) */
    double prefill_us_per_token; /* linear layers per token once compute bound */
    double kv_read_us_per_token; /* attention: reading one cached token of context */
    double host_us;              /* scheduler/sampling gap per step: GPU idle */
    /* scheduler (vLLM EngineArgs) */
    int max_num_seqs;
    int max_num_batched_tokens;
    int chunked_prefill; /* 1: prefill chunks share steps with decodes */
    int max_model_len;
    int gpus; /* tensor-parallel degree: GPUs per pod */
    gpu_metric_cfg metrics;
    llm_startup startup;
    /* per-request token counts (dist_cfg in tokens, not microseconds) */
    dist_cfg prompt_tokens, output_tokens;
} llm_cfg;

#endif
