/* test_gpu_metrics.c: the DCGM fields of an LLM pod (sim/model/gpu_metrics.c and the activity
 * counters of llm.c): the per-step curves, averages over an exporter interval, and the issue's
 * claim that SM utilization is monotone in load and saturates well before latency does. */
#include "llm_harness.h"

#include <stdio.h>

static void test_step_curves(void) {
    llm_cfg c;
    CU_ASSERT_EQUAL_FATAL(llm_preset_apply(&c, "llama2-7b-fp16-a100-80gb"), 0);
    const gpu_metric_cfg *m = &c.metrics;
    double prev = 0;
    for (int b = 1; b <= 256; b *= 2) {
        double a = gpu_sm_active_frac(m, b, 0);
        CU_ASSERT(a >= prev);
        CU_ASSERT(a <= m->sm_max + 1e-12);
        prev = a;
    }
    CU_ASSERT_DOUBLE_EQUAL(gpu_sm_active_frac(m, 1, 0), 0.65 + 0.25 / 8, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(gpu_sm_active_frac(m, 8, 0), 0.90, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(gpu_sm_active_frac(m, 1, 512), 0.95, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(gpu_sm_occupancy_frac(m, 128), 0.45, 1e-12);
    CU_ASSERT(gpu_sm_occupancy_frac(m, 16) < gpu_sm_occupancy_frac(m, 64));
    gpu_activity a = {0, 0, 0}, b = {15e6, 12e6, 3e6};
    CU_ASSERT_DOUBLE_EQUAL(gpu_field_average(GPU_FIELD_UTIL, &a, &b, 30000000), 50.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(gpu_field_average(GPU_FIELD_SM_ACTIVE, &a, &b, 30000000), 0.4, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(gpu_field_average(GPU_FIELD_SM_OCCUPANCY, &a, &b, 30000000), 0.1, 1e-9);
}

/* One decode stream at batch 1: GPU busy = kernel / (kernel + host). */
static void test_batch_one_busy_share(void) {
    harness h;
    h_init(&h, "llama2-7b-fp16-a100-80gb", 1024, 2000);
    h_start(&h);
    h_submit(&h);
    h_run(&h, 1 * SEC);
    gpu_activity a = h.p.llm->act;
    int64_t t0 = h.eng.now_us;
    h_run(&h, 11 * SEC);
    pod_sync(&h.p);
    double util = gpu_field_average(GPU_FIELD_UTIL, &a, &h.p.llm->act, h.eng.now_us - t0);
    double kernel = 9280 + 0.321 * 1100; /* ~1.1 k context over the window */
    printf("\n  batch 1 decode: GPU_UTIL %.1f %% (kernel %.1f / step %.1f ms)", util, kernel / 1e3,
           (kernel + 1000) / 1e3);
    CU_ASSERT(fabs(util - 100 * kernel / (kernel + 1000)) < 1.0);
    h_free(&h);
}

typedef struct point {
    double rate, util, sm_active, e2e_ms, tps;
} point;

static point at_rate(double rate) {
    harness h;
    h_init(&h, "llama2-7b-fp16-a100-80gb", 0, 0); /* chat lengths: the preset's */
    h.rate = rate;
    h.stop_us = 900 * SEC;
    h.measure_from_us = 120 * SEC;
    h_start(&h);
    h_run(&h, 120 * SEC);
    pod_sync(&h.p);
    gpu_activity a = h.p.llm->act;
    uint64_t tok0 = h.p.llm->stats.output_tokens;
    int64_t t0 = h.eng.now_us;
    h_run(&h, 900 * SEC);
    pod_sync(&h.p);
    int64_t dt = h.eng.now_us - t0;
    point pt = {rate, gpu_field_average(GPU_FIELD_UTIL, &a, &h.p.llm->act, dt),
                gpu_field_average(GPU_FIELD_SM_ACTIVE, &a, &h.p.llm->act, dt),
                h.done_measured ? h.e2e_sum_us / (double)h.done_measured / 1e3 : 0,
                (double)(h.p.llm->stats.output_tokens - tok0) * 1e6 / (double)dt};
    CU_ASSERT_FALSE(h.kv_violation);
    h_free(&h);
    return pt;
}

/* Poisson arrivals of chat-shaped requests (Azure conversation medians) on one A100 pod. */
static void test_sm_util_saturates_before_latency(void) {
    static const double rates[] = {0.1, 0.25, 0.5, 1, 2, 4, 6, 8, 10, 12};
    enum { N = sizeof rates / sizeof rates[0] };
    point pts[N];
    printf(
        "\n  A100 7B, chat lengths, Poisson:\n  req/s  GPU_UTIL%%  SM_ACTIVE  tok/s  mean e2e ms");
    for (int i = 0; i < N; i++) {
        pts[i] = at_rate(rates[i]);
        printf("\n  %5.2f  %8.1f  %9.3f  %5.0f  %8.0f", pts[i].rate, pts[i].util, pts[i].sm_active,
               pts[i].tps, pts[i].e2e_ms);
    }
    for (int i = 1; i < N; i++) {
        CU_ASSERT(pts[i].util >= pts[i - 1].util - 0.5); /* monotone in load */
        CU_ASSERT(pts[i].sm_active >= pts[i - 1].sm_active - 0.005);
    }
    /* the first rate at which GPU_UTIL reads >= 90 %: latency there is still within 1.5x of
     * the idle latency, while the highest rate costs far more latency with util barely
     * higher */
    int sat = -1;
    for (int i = 0; i < N && sat < 0; i++)
        if (pts[i].util >= 90)
            sat = i;
    CU_ASSERT_FATAL(sat > 0);
    /* light-load latency: the least of the three lightest loads (few, heavy-tailed samples) */
    double idle = pts[0].e2e_ms;
    for (int i = 1; i < 3; i++)
        idle = pts[i].e2e_ms < idle ? pts[i].e2e_ms : idle;
    printf("\n  GPU_UTIL >= 90 %% from %.2f req/s, latency %.0f ms vs %.0f ms at light load",
           pts[sat].rate, pts[sat].e2e_ms, idle);
    CU_ASSERT(pts[sat].e2e_ms < 1.5 * idle);
    CU_ASSERT(pts[N - 1].e2e_ms > 2.0 * pts[sat].e2e_ms);
    CU_ASSERT(pts[N - 1].util - pts[sat].util < 10);
    CU_ASSERT(pts[N - 1].rate >= 4 * pts[sat].rate); /* saturates at a fraction of capacity */
}

int main(void) {
    static const cu_test tests[] = {
        {"step_curves", test_step_curves},
        {"batch_one_busy_share", test_batch_one_busy_share},
        {"sm_util_saturates_before_latency", test_sm_util_saturates_before_latency},
        {NULL, NULL},
    };
    cu_add_suite("gpu_metrics", tests);
    return cu_run_all();
}
