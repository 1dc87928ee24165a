/* llm.h: the continuous-batching engine of one LLM server pod (vLLM-like), one step at a time.
 *
 * A request joins the pod's waiting FIFO with token counts drawn from the config's
 * distributions (prompt clamped to max_model_len - 1, prompt + output to max_model_len). Before
 * each step the scheduler (1) reserves one KV token for every running sequence that decodes,
 * preempting the newest running sequence (recompute: its KV is freed and it returns to the front
 * of the waiting queue, to prefill prompt + generated tokens again) while they do not fit;
 * (2) admits waiting sequences in order while the batch is under max_num_seqs and their whole
 * prefill fits in the free KV cache (else they wait: queueing). A step then processes one decode
 * token per decoding sequence and prefill tokens up to max_num_batched_tokens (chunked
 * prefill: decodes first, then chunks of the admitted prompts; without it a step with prefill
 * work runs prefills only, whole prompts). A sequence that finishes its prefill emits its first
 * token at the end of that step (TTFT); each later step adds one token. Step time:
 *   max(weight_read_us, tokens * prefill_us_per_token) + contexts * kv_read_us_per_token
 * of GPU kernels, then host_us of host work (GPU idle). gpu_activity accrues during kernels.
 *
 * The pod's counters stay meaningful: n_queued = running + waiting (requests in flight), the
 * service occupancy counts running as in service and waiting as queued at the pod. */
#ifndef SCALESIM_MODEL_LLM_H
#define SCALESIM_MODEL_LLM_H

#include <gsl/gsl_rng.h>

#include "common/error.h"
#include "common/histogram.h"
#include "sim/engine/dist.h"
#include "sim/model/gpu_metrics.h"
#include "sim/model/llm_cfg.h"
#include "sim/model/request.h"

struct pod;

typedef struct llm_seq {
    request *r;
    int32_t prompt, output; /* tokens */
    int32_t need_prefill;   /* tokens still to prefill (prompt, or prompt + generated after
                               a preemption) */
    int32_t generated;      /* output tokens so far */
    int32_t step_prefill;   /* prefill tokens scheduled in the current step */
    int64_t t_first_us;     /* first token, -1 before */
    int64_t t_arrive_us;
} llm_seq;

/* Totals since the pod started, for tests, the timeline and the summary. */
typedef struct llm_stats {
    uint64_t steps, prompt_tokens, output_tokens, preemptions, completed;
    double batch_area_us; /* integral of the running batch over kernel+host time */
    histogram ttft_us, tpot_us, e2e_us;
} llm_stats;

/* Service-wide totals over every LLM pod (retired ones included), owned by the service. */
typedef struct llm_totals {
    uint64_t completed, prompt_tokens, output_tokens, preemptions, steps;
    histogram ttft_us, tpot_us, e2e_us;
} llm_totals;

typedef struct llm_engine {
    const llm_cfg *cfg;
    struct pod *p;
    gsl_rng *rng;
    dist prompt, output;
    int64_t kv_budget; /* tokens */
    int64_t kv_used;
    llm_seq *run; /* running batch, admission order */
    int n_run, cap_run;
    llm_seq *wait; /* ring */
    int w_head, n_wait, cap_wait;
    int stepping;
    int64_t step_start_us, kernel_end_us, step_end_us;
    double step_sm_active, step_sm_occ;
    int step_batch;
    uint32_t gen;
    gpu_activity act; /* exact up to act_t_us */
    int64_t act_t_us;
    llm_stats stats;
    llm_totals *totals; /* may be NULL */
} llm_engine;

/* Checks a config the way vLLM would at start-up (KV room for max_model_len, limits). */
int llm_check(const llm_cfg *cfg, sim_error *err);

/* A new engine for pod p (its engine, occupancy and hooks); token counts are drawn from rng.
 * NULL and err filled when the config is invalid (no KV room, bad distributions) or memory is
 * short. */
llm_engine *llm_new(const llm_cfg *cfg, struct pod *p, gsl_rng *rng, llm_totals *totals,
                    sim_error *err);
void llm_free(llm_engine *e);

/* A request arrives at the pod. -1 when out of memory. */
int llm_accept(llm_engine *e, request *r);

/* Brings the activity counters forward to the engine's now. */
void llm_sync(llm_engine *e);

/* Every request out (container killed), linked through qnext; the engine is left idle. */
request *llm_abort(llm_engine *e);

/* Step time in microseconds (kernels only) for `tokens` tokens in the step of which the decoding
 * sequences hold `context_tokens` of context in total. */
double llm_kernel_us(const llm_cfg *cfg, int64_t tokens, int64_t context_tokens);

static inline int llm_running(const llm_engine *e) {
    return e->n_run;
}
static inline int llm_waiting(const llm_engine *e) {
    return e->n_wait;
}

#endif
