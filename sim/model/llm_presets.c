/* llm_presets.c: the named LLM server presets and their sources.
 *
 * Labels as in the project's reference notes: [src] read at the source, [derived] arithmetic
 * from [src] numbers (shown), [assumption] a modelling choice, exposed in the scenario.
 * R1 = shared reference metric-pipelines-gpu-kpa.md, R2 = model-defaults.md.
 *
 * Step time (llm.c): max(weight_read_us, tokens * prefill_us_per_token)
 *                    + sum of decode contexts * kv_read_us_per_token + host_us.
 * - weight_read_us / prefill_us_per_token: microsoft/vidur @7d475133
 *   data/profiling/compute/{a100,h100}/meta-llama/Llama-2-7b-hf/mlp.csv summed over 32 layers
 *   (R1 §3.3 table): A100 9.28 ms at 1 token, 15 k tok/s at 512-2048 tokens; H100 5.60 ms,
 *   48 k tok/s. The max() form is within 10 % of that table from 1 to 4096 tokens.
 * - kv_read_us_per_token = kv bytes / (0.8 * HBM bandwidth) (R1 §3.3; vendor bandwidths 2.04
 *   TB/s A100-80GB, 3.35 TB/s H100-SXM, 0.9 TB/s V100 [unchecked vendor figures]).
 * - host_us 1 ms per step for a V1 engine [assumption, R1 §3.2].
 * Scheduler defaults: vllm/engine/arg_utils.py EngineArgs (gpu_memory_utilization 0.90;
 * get_batch_defaults: A100 and < 70 GiB GPUs 256 seqs / 2048 batched tokens for the server,
 * H100 1024 / 8192) (R2 §3). V1 always chunks prefill.
 * GPU metric model: R1 §3.1 [assumption]: s_pre 0.95, s_min 0.65, s_max 0.90, B_sat 8; occupancy
 * 0.10 -> 0.45 at 128 tokens per step.
 * Token counts: Azure LLM inference trace 2023, conversation (Splitwise, ISCA'24): median prompt
 * 1020, median output 129 tokens (R2 §5, [unchecked]); lognormal with cv 1 [assumption], so the
 * means are median * sqrt(2) = 1442 and 182. */
#include "sim/model/llm_presets.h"

#include <string.h>

#define GIB    (INT64_C(1) << 30)
#define MIB    (INT64_C(1) << 20)
#define KV_MHA INT64_C(524288) /* 2 * 32 layers * 4096 * 2 B: Llama-2-7B, Qwen-7B (R2 §3) */

const char *const llm_preset_names[] = {"qwen-7b-gptq-int8-v100", "llama2-7b-fp16-a100-80gb",
                                        "llama2-7b-fp16-h100-80gb", "llama2-70b-fp16-a100-80gb-tp4",
                                        NULL};

/* GPU pod start-up (R1 §3.5, R2 §3 "Pod cold start"): vllm/vllm-openai ~10 GB compressed
 * (vllm #7609, #27154 [src]) pulled at 100 MB/s [assumption, R2's figure] = 100 s; weights from
 * object storage or a PVC at 250 MB/s [assumption, within R1's 100-500 MB/s]; torch.compile 29 s
 * cold (PR #550 log [src]) on V1 presets, none on the seed's vLLM 0.4.1 (no torch.compile then);
 * CUDA graph capture 17 s (vllm #20264 [src]); API server start 5 s [assumption]. */
static void startup(llm_cfg *c, int64_t compile_us) {
    c->startup.present = 0; /* applied only when the scenario asks for it */
    c->startup.image_bytes = INT64_C(10000000000);
    c->startup.pull_bytes_per_s = 100e6;
    c->startup.load_bytes_per_s = 250e6;
    c->startup.compile_us = compile_us;
    c->startup.cuda_graphs_us = 17000000;
    c->startup.server_us = 5000000;
}

static void common(llm_cfg *c) {
    startup(c, 29000000);
    c->gpu_memory_utilization = 0.90;
    c->kv_budget_tokens = 0;
    c->host_us = 1000;
    c->chunked_prefill = 1;
    c->gpus = 1;
    c->metrics = (gpu_metric_cfg){0.95, 0.65, 0.90, 8, 0.10, 0.45, 128};
    memset(&c->prompt_tokens, 0, sizeof c->prompt_tokens);
    memset(&c->output_tokens, 0, sizeof c->output_tokens);
    c->prompt_tokens.kind = DIST_LOGNORMAL;
    c->prompt_tokens.mean = 1442;
    c->prompt_tokens.cv = 1;
    c->output_tokens.kind = DIST_LOGNORMAL;
    c->output_tokens.mean = 182;
    c->output_tokens.cv = 1;
}

/* Llama-2-7B fp16 on A100-80GB. Weights 12.55 GiB and ~3 GiB of activations/graphs: the vLLM log
 * in kubernetes-sigs/gateway-api-inference-extension PR #550 (H100-80GB: 0.9 * 79.65 GiB - 12.55
 * - 56.18 KV = 2.95 GiB) [src + derived]. A100-80GB: 81920 MiB [vendor]. */
static void a100(llm_cfg *c) {
    common(c);
    c->gpu_memory_bytes = 81920 * MIB;
    c->weight_bytes = (int64_t)(12.55 * (double)GIB);
    c->activation_bytes = 3 * GIB;
    c->kv_bytes_per_token = KV_MHA;
    c->weight_read_us = 9280;
    c->prefill_us_per_token = 1e6 / 15000.0;
    c->kv_read_us_per_token = (double)KV_MHA / (0.8 * 2.04e12) * 1e6; /* 0.321 us */
    c->max_num_seqs = 256;
    c->max_num_batched_tokens = 2048;
    c->max_model_len = 4096; /* Llama-2 max_position_embeddings */
}

/* Llama-2-7B fp16 on H100-80GB (81559 MiB as nvidia-smi reports; KV 7191 blocks x 16 tokens in
 * PR #550's log, which this preset reproduces: llm_kv_budget_tokens = 115,056). */
static void h100(llm_cfg *c) {
    common(c);
    c->gpu_memory_bytes = 81559 * MIB;
    c->weight_bytes = (int64_t)(12.55 * (double)GIB);
    c->activation_bytes = (int64_t)(2.95 * (double)GIB);
    c->kv_bytes_per_token = KV_MHA;
    c->weight_read_us = 5600;
    c->prefill_us_per_token = 1e6 / 48000.0;
    c->kv_read_us_per_token = (double)KV_MHA / (0.8 * 3.35e12) * 1e6; /* 0.196 us */
    c->max_num_seqs = 1024;
    c->max_num_batched_tokens = 8192;
    c->max_model_len = 4096;
}

/* The seed: Qwen-7B-Chat-Int8 (GPTQ) on a V100 with vLLM 0.4.1, --gpu-memory-utilization 0.95
 * --max-model-len=6144 (ACK docs, the seed). vLLM 0.4.1 is a V0 engine: no chunked prefill,
 * max_num_batched_tokens = max(max_model_len, 2048) = 6144, max_num_seqs 256 (R2 §3).
 * [assumption] V100 16 GB (ACK gn6v; 16160 MiB usable); weights 9.5 GiB (7.7 B parameters:
 * ~6.5 B in int8 transformer layers + 2 x 0.62 B fp16 embedding and LM head); activations 2 GiB.
 * That leaves 0.95 * 15.78 - 9.5 - 2 = 3.49 GiB = 7,150 tokens of KV, between 6144 and Qwen's
 * 8192 context, which is why the seed had to lower --max-model-len [derived].
 * Step: weights read at 0.75 * 900 GB/s = 15.1 ms [derived, R2 §3 roofline]; prefill 3,000 tok/s
 * (125 TFLOPS fp16 x 40 % MFU / 15.4 GFLOP per token = 3,250) [derived/assumption]; host 8 ms per
 * step: the V0 engine's CPU side (API server, scheduler, detokenizer) took ~62 % of a step in
 * vLLM's v0.6.0 profile (R1 §3.1 [unchecked]) [assumption]. */
static void v100(llm_cfg *c) {
    common(c);
    c->gpu_memory_bytes = 16160 * MIB;
    c->gpu_memory_utilization = 0.95;
    c->weight_bytes = (int64_t)(9.5 * (double)GIB);
    c->activation_bytes = 2 * GIB;
    c->kv_bytes_per_token = KV_MHA;
    c->weight_read_us = 15100;
    c->prefill_us_per_token = 1e6 / 3000.0;
    c->kv_read_us_per_token = (double)KV_MHA / (0.75 * 0.9e12) * 1e6; /* 0.777 us */
    c->host_us = 8000;
    c->chunked_prefill = 0;
    c->startup.compile_us = 0;
    c->max_num_seqs = 256;
    c->max_num_batched_tokens = 6144;
    c->max_model_len = 6144;
}

/* Llama-2-70B fp16, tensor parallel over 4 A100-80GB in one pod. Per GPU: weights 128.5 GiB / 4;
 * GQA with 8 KV heads: 2 * 80 layers * 8 * 128 * 2 B = 327,680 B per token, / 4 = 81,920 B
 * [derived]. Weight read 32.1 GiB / (0.8 * 2.04 TB/s) = 21.1 ms plus ~2.4 ms of all-reduces
 * (160 per step at ~15 us [assumption]); prefill 2 * 70 G FLOP per token over 4 x 312 TFLOPS at
 * 45 % MFU = 4,000 tok/s [derived]. */
static void a100_70b(llm_cfg *c) {
    common(c);
    c->gpus = 4;
    c->gpu_memory_bytes = 81920 * MIB;
    c->weight_bytes = (int64_t)(128.5 / 4 * (double)GIB);
    c->activation_bytes = 3 * GIB;
    c->kv_bytes_per_token = 81920;
    c->weight_read_us = 23500;
    c->prefill_us_per_token = 250;
    c->kv_read_us_per_token = 81920.0 / (0.8 * 2.04e12) * 1e6; /* 0.050 us */
    c->max_num_seqs = 256;
    c->max_num_batched_tokens = 2048;
    c->max_model_len = 4096;
}

int llm_preset_apply(llm_cfg *cfg, const char *name) {
    static void (*const fill[])(llm_cfg *) = {v100, a100, h100, a100_70b};
    for (int i = 0; llm_preset_names[i] != NULL; i++)
        if (strcmp(name, llm_preset_names[i]) == 0) {
            memset(cfg, 0, sizeof *cfg);
            fill[i](cfg);
            strncpy(cfg->preset, name, sizeof cfg->preset - 1);
            return 0;
        }
    return -1;
}

int64_t llm_kv_budget_tokens(const llm_cfg *cfg) {
    if (cfg->kv_budget_tokens > 0)
        return cfg->kv_budget_tokens;
    if (cfg->kv_bytes_per_token <= 0)
        return 0;
    double free_bytes = (double)cfg->gpu_memory_bytes * cfg->gpu_memory_utilization -
                        (double)cfg->weight_bytes - (double)cfg->activation_bytes;
    if (free_bytes <= 0)
        return 0;
    /* vLLM allocates whole blocks of 16 tokens */
    int64_t blocks = (int64_t)(free_bytes / (double)cfg->kv_bytes_per_token / 16.0);
    return blocks * 16;
}

int64_t llm_startup_load_us(const llm_cfg *cfg) {
    const llm_startup *s = &cfg->startup;
    double weights = (double)cfg->weight_bytes * (cfg->gpus > 0 ? cfg->gpus : 1);
    double load_us = s->load_bytes_per_s > 0 ? weights / s->load_bytes_per_s * 1e6 : 0;
    return (int64_t)load_us + s->compile_us + s->cuda_graphs_us + s->server_us;
}

void llm_startup_apply(const llm_cfg *cfg, lifecycle_cfg *lc) {
    const llm_startup *s = &cfg->startup;
    memset(&lc->pull_cold_us, 0, sizeof lc->pull_cold_us);
    lc->pull_cold_us.kind = DIST_CONSTANT;
    lc->pull_cold_us.mean =
        s->pull_bytes_per_s > 0 ? (double)s->image_bytes / s->pull_bytes_per_s * 1e6 : 0;
    memset(&lc->model_load_us, 0, sizeof lc->model_load_us);
    lc->model_load_us.kind = DIST_CONSTANT;
    lc->model_load_us.mean = (double)llm_startup_load_us(cfg);
}
