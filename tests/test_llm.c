/* test_llm.c: the continuous-batching LLM pod (sim/model/llm.c): a single request's prefill
 * time and decode rate match the preset (and the reference figures they come from), throughput
 * rises with the batch and saturates, a full KV cache queues and preempts without ever
 * over-committing, max_num_seqs queues, and the LLM pod is deterministic. */
#include "llm_harness.h"

#include <stdio.h>

/* Expected end-to-end time of one request alone on the pod, from the preset's coefficients
 * (computed here independently of llm.c's scheduler): one prefill step, then output - 1 decode
 * steps whose context grows by one token each. */
static double alone_e2e_us(const llm_cfg *c, int prompt, int output, double *ttft_us) {
    double lin = prompt * c->prefill_us_per_token;
    double t = ceil(lin > c->weight_read_us ? lin : c->weight_read_us) + ceil(c->host_us);
    *ttft_us = t;
    for (int g = 1; g < output; g++)
        t +=
            ceil(c->weight_read_us + (prompt + g - 1) * c->kv_read_us_per_token) + ceil(c->host_us);
    return t;
}

static void test_single_request_matches_preset(void) {
    /* reference: metric-pipelines-gpu-kpa.md §3.3, B = 1, 1k context, MHA 7B: A100 10.6 ms per
     * step (94 tok/s), H100 6.8 ms (147 tok/s); Vidur's linear layers for 1024 prompt tokens:
     * A100 67.9 ms, H100 21.0 ms. */
    static const struct {
        const char *preset;
        double ref_step_ms, ref_prefill_ms;
    } cases[] = {{"llama2-7b-fp16-a100-80gb", 10.6, 67.9}, {"llama2-7b-fp16-h100-80gb", 6.8, 21.0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        harness h;
        h_init(&h, cases[i].preset, 1024, 129);
        h_start(&h);
        h_submit(&h);
        h_run(&h, 60 * SEC);
        CU_ASSERT_EQUAL(h.done, 1);
        double ttft;
        double want = alone_e2e_us(&h.cfg, 1024, 129, &ttft);
        double got = (double)h.last_done_us;
        llm_engine *e = h.p.llm;
        double tpot = (got - ttft) / 128.0;
        double prefill_kernel_ms = (ttft - h.cfg.host_us) / 1e3;
        printf("\n  %s: TTFT %.1f ms (prefill kernels %.1f ms, Vidur %.1f), TPOT %.2f ms "
               "(reference %.1f), decode %.0f tok/s, e2e %.1f ms (formula %.1f)",
               cases[i].preset, ttft / 1e3, prefill_kernel_ms, cases[i].ref_prefill_ms, tpot / 1e3,
               cases[i].ref_step_ms, 1e6 / tpot, got / 1e3, want / 1e3);
        CU_ASSERT(fabs(got - want) <= 1.0); /* exact: whole-microsecond steps */
        CU_ASSERT(fabs(histogram_mean(&e->stats.ttft_us) - ttft) <= 0.01 * ttft);
        CU_ASSERT(fabs(prefill_kernel_ms - cases[i].ref_prefill_ms) <=
                  0.05 * cases[i].ref_prefill_ms);
        /* the step at ~1k context */
        CU_ASSERT(fabs(tpot / 1e3 - cases[i].ref_step_ms) <= 0.05 * cases[i].ref_step_ms);
        CU_ASSERT_EQUAL(e->stats.output_tokens, 129);
        CU_ASSERT_EQUAL(e->stats.prompt_tokens, 1024);
        CU_ASSERT_EQUAL(e->stats.steps, 129);
        CU_ASSERT_EQUAL(e->kv_used, 0);
        CU_ASSERT_EQUAL(h.occ.in_service, 0);
        CU_ASSERT_EQUAL(h.occ.pod_queued, 0);
        CU_ASSERT_EQUAL(h.p.n_queued, 0);
        h_free(&h);
    }
}

/* Closed loop: `batch` clients each resending at once; output tokens per second after warm-up. */
static double tokens_per_s(const char *preset, int batch, int prompt, int output,
                           double *mean_batch) {
    harness h;
    h_init(&h, preset, prompt, output);
    h.closed = 1;
    h_start(&h);
    for (int i = 0; i < batch; i++)
        h_submit(&h);
    h_run(&h, 30 * SEC);
    uint64_t t0 = h.p.llm->stats.output_tokens;
    double a0 = h.occ.llm_batch_area_us;
    h_run(&h, 90 * SEC);
    pod_sync(&h.p);
    double tps = (double)(h.p.llm->stats.output_tokens - t0) / 60.0;
    *mean_batch = (h.occ.llm_batch_area_us - a0) / 60e6;
    CU_ASSERT_FALSE(h.kv_violation);
    h_free(&h);
    return tps;
}

static void test_throughput_rises_and_saturates(void) {
    static const int batches[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
    double tps[10], mb[10];
    printf("\n  A100 7B, prompt 1024 / output 256, closed loop:\n  clients  tok/s  mean batch");
    for (int i = 0; i < 10; i++) {
        tps[i] = tokens_per_s("llama2-7b-fp16-a100-80gb", batches[i], 1024, 256, &mb[i]);
        printf("\n  %7d %6.0f %6.1f", batches[i], tps[i], mb[i]);
    }
    for (int i = 1; i < 7; i++)
        CU_ASSERT(tps[i] > tps[i - 1] * 1.2); /* rises up to 64 */
    CU_ASSERT(tps[3] > 5 * tps[0]);           /* batch 8: memory bound, nearly free */
    double best = 0;
    for (int i = 0; i < 10; i++)
        best = tps[i] > best ? tps[i] : best;
    /* saturated: from 128 clients on, within 10 % of the best and no longer growing */
    for (int i = 7; i < 10; i++)
        CU_ASSERT(tps[i] > 0.9 * best);
    CU_ASSERT(tps[9] < 1.05 * tps[8]);
    /* the KV cache (115 k tokens, 1024 + 256 per sequence) caps the batch near 90 */
    CU_ASSERT(mb[9] < 120);
}

static void test_kv_exhaustion_queues_and_preempts(void) {
    for (int chunked = 0; chunked <= 1; chunked++) {
        harness h;
        h_init(&h, "llama2-7b-fp16-a100-80gb", 1000, 1000);
        h.cfg.kv_budget_tokens = 4096;
        h.cfg.chunked_prefill = chunked;
        h.cfg.max_num_batched_tokens = 4096;
        h_start(&h);
        for (int i = 0; i < 8; i++)
            h_submit(&h);
        /* the first request starts a step alone; at the second step three more join: 4 x 1000
         * prompt tokens fit in 4096 (less the 1 % watermark... 4055), the other 4 wait */
        h_run(&h, 150000);
        CU_ASSERT_EQUAL(h.p.llm->n_run, 4);
        CU_ASSERT_EQUAL(h.p.llm->n_wait, 4);
        CU_ASSERT_EQUAL(h.occ.in_service, 4);
        CU_ASSERT_EQUAL(h.occ.pod_queued, 4);
        CU_ASSERT_EQUAL(h.p.n_queued, 8);
        h_run(&h, 600 * SEC);
        llm_engine *e = h.p.llm;
        printf(
            "\n  chunked=%d: %llu preemptions, max running %d, max waiting %d, done %llu at %.1f s",
            chunked, (unsigned long long)e->stats.preemptions, h.max_running, h.max_waiting,
            (unsigned long long)h.done, h.last_done_us / 1e6);
        CU_ASSERT_EQUAL(h.done, 8);
        CU_ASSERT(e->stats.preemptions > 0); /* 4 sequences growing past 4096 tokens */
        CU_ASSERT_FALSE(h.kv_violation);
        CU_ASSERT_EQUAL(e->stats.output_tokens, 8000); /* recompute keeps what was generated */
        CU_ASSERT(e->stats.prompt_tokens > 8000);      /* ... and prefills it again */
        CU_ASSERT_EQUAL(e->kv_used, 0);
        CU_ASSERT_EQUAL(h.occ.in_service + h.occ.pod_queued, 0);
        h_free(&h);
    }
}

static void test_max_num_seqs_queues(void) {
    harness h;
    h_init(&h, "llama2-7b-fp16-h100-80gb", 100, 50);
    h.cfg.max_num_seqs = 2;
    h_start(&h);
    for (int i = 0; i < 5; i++)
        h_submit(&h);
    h_run(&h, 50000); /* past the first (single-request) step */
    CU_ASSERT_EQUAL(h.p.llm->n_run, 2);
    CU_ASSERT_EQUAL(h.p.llm->n_wait, 3);
    h_run(&h, 60 * SEC);
    CU_ASSERT_EQUAL(h.done, 5);
    CU_ASSERT_EQUAL(h.max_running, 2);
    CU_ASSERT_EQUAL(h.p.llm->stats.preemptions, 0);
    h_free(&h);
}

/* A killed container (grace period over): every request comes back, the counters are zero, and
 * the step that was in flight is ignored when it fires. */
static void test_abort(void) {
    harness h;
    h_init(&h, "llama2-7b-fp16-a100-80gb", 500, 100);
    h.cfg.max_num_seqs = 3;
    h_start(&h);
    for (int i = 0; i < 6; i++)
        h_submit(&h);
    h_run(&h, 100000);
    CU_ASSERT_EQUAL(h.p.llm->n_run, 3);
    request *list = pod_abort(&h.p);
    int n = 0;
    while (list) {
        request *r = list;
        list = r->qnext;
        request_free(&h.pool, r);
        n++;
    }
    CU_ASSERT_EQUAL(n, 6);
    CU_ASSERT_EQUAL(h.p.n_queued, 0);
    CU_ASSERT_EQUAL(h.occ.in_service, 0);
    CU_ASSERT_EQUAL(h.occ.pod_queued, 0);
    CU_ASSERT_EQUAL(h.p.llm->kv_used, 0);
    uint64_t steps = h.p.llm->stats.steps;
    h_run(&h, 10 * SEC);
    CU_ASSERT_EQUAL(h.done, 0);
    CU_ASSERT_EQUAL(h.p.llm->stats.steps, steps);
    CU_ASSERT_EQUAL(h.pool.live, 0);
    h_free(&h);
}

static void test_presets_and_budget(void) {
    llm_cfg c;
    /* PR #550's vLLM log: Llama-2-7B on H100-80GB, 7191 blocks of 16 tokens */
    CU_ASSERT_EQUAL_FATAL(llm_preset_apply(&c, "llama2-7b-fp16-h100-80gb"), 0);
    CU_ASSERT_EQUAL(llm_kv_budget_tokens(&c), 7191 * 16);
    /* the seed's V100: room for --max-model-len 6144 but not Qwen's 8192 */
    CU_ASSERT_EQUAL_FATAL(llm_preset_apply(&c, "qwen-7b-gptq-int8-v100"), 0);
    CU_ASSERT(llm_kv_budget_tokens(&c) >= 6144);
    CU_ASSERT(llm_kv_budget_tokens(&c) < 8192);
    for (int i = 0; llm_preset_names[i]; i++) {
        sim_error err;
        CU_ASSERT_EQUAL_FATAL(llm_preset_apply(&c, llm_preset_names[i]), 0);
        CU_ASSERT_EQUAL(llm_check(&c, &err), 0);
    }
    CU_ASSERT_EQUAL(llm_preset_apply(&c, "gpt-5-on-a-toaster"), -1);
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(llm_preset_apply(&c, "qwen-7b-gptq-int8-v100"), 0);
    c.gpu_memory_utilization = 0.80; /* 12.6 GiB: weights + activations leave ~1 GiB */
    CU_ASSERT_EQUAL(llm_check(&c, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "fewer than max_model_len"));
}

/* Same arrivals and tokens, same result; a Poisson load with drawn token counts. */
static void test_deterministic(void) {
    uint64_t tok[2];
    double e2e[2];
    for (int k = 0; k < 2; k++) {
        harness h;
        h_init(&h, "llama2-7b-fp16-a100-80gb", 0, 0);
        h.rate = 3;
        h.stop_us = 120 * SEC;
        h_start(&h);
        h_run(&h, 200 * SEC);
        tok[k] = h.p.llm->stats.output_tokens;
        e2e[k] = h.e2e_sum_us;
        CU_ASSERT_FALSE(h.kv_violation);
        CU_ASSERT_EQUAL(h.occ.in_service + h.occ.pod_queued, 0);
        h_free(&h);
    }
    CU_ASSERT_EQUAL(tok[0], tok[1]);
    CU_ASSERT_EQUAL(e2e[0], e2e[1]);
}

int main(void) {
    static const cu_test tests[] = {
        {"single_request_matches_preset", test_single_request_matches_preset},
        {"throughput_rises_and_saturates", test_throughput_rises_and_saturates},
        {"kv_exhaustion_queues_and_preempts", test_kv_exhaustion_queues_and_preempts},
        {"max_num_seqs_queues", test_max_num_seqs_queues},
        {"abort", test_abort},
        {"presets_and_budget", test_presets_and_budget},
        {"deterministic", test_deterministic},
        {NULL, NULL},
    };
    cu_add_suite("llm", tests);
    return cu_run_all();
}
