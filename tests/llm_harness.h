/* llm_harness.h: one LLM pod on its own engine, fed by closed-loop clients or Poisson arrivals,
 * for tests/test_llm*.c and tests/test_gpu_metrics*.c (header-only, static functions). */
#ifndef SCALESIM_TESTS_LLM_HARNESS_H
#define SCALESIM_TESTS_LLM_HARNESS_H

#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#include "cu.h"
#include "sim/engine/rng.h"
#include "sim/model/llm.h"
#include "sim/model/llm_presets.h"
#include "sim/model/pod.h"

#define SEC INT64_C(1000000)

typedef struct harness {
    engine eng;
    occupancy occ;
    pod p;
    pod_cfg pc;
    llm_cfg cfg;
    gsl_rng *rng, *arrivals;
    request_pool pool;
    int closed;      /* resubmit on completion until stop_us */
    int64_t stop_us; /* no new requests from then on */
    double rate;     /* Poisson arrivals per second, 0: none */
    int64_t measure_from_us;
    uint64_t done, done_measured;
    double e2e_sum_us; /* over completions sent at or after measure_from_us */
    int64_t last_done_us;
    int kv_violation;
    int max_waiting, max_running;
} harness;

static void h_submit(harness *h) {
    request *r = request_new(&h->pool);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    r->t_sent_us = h->eng.now_us;
    CU_ASSERT_EQUAL_FATAL(pod_accept(&h->p, r), 0);
}

static void h_done(void *ctx, request *r) {
    harness *h = ctx;
    h->done++;
    h->last_done_us = h->eng.now_us;
    if (r->t_sent_us >= h->measure_from_us) {
        h->done_measured++;
        h->e2e_sum_us += (double)(h->eng.now_us - r->t_sent_us);
    }
    request_free(&h->pool, r);
    if (h->closed && h->eng.now_us < h->stop_us)
        h_submit(h);
}

static void h_arrival(engine *eng, void *obj, uint64_t arg) {
    harness *h = obj;
    (void)arg;
    if (eng->now_us >= h->stop_us)
        return;
    h_submit(h);
    double gap = gsl_ran_exponential(h->arrivals, 1e6 / h->rate);
    engine_after(eng, (int64_t)ceil(gap), h_arrival, h, 0);
}

/* Checks the KV invariant and records the queue lengths every millisecond. */
static void h_probe(engine *eng, void *obj, uint64_t arg) {
    harness *h = obj;
    (void)arg;
    llm_engine *e = h->p.llm;
    if (e->kv_used > e->kv_budget || e->kv_used < 0)
        h->kv_violation = 1;
    if (e->n_wait > h->max_waiting)
        h->max_waiting = e->n_wait;
    if (e->n_run > h->max_running)
        h->max_running = e->n_run;
    if (eng->now_us < h->stop_us)
        engine_after(eng, 1000, h_probe, h, 0);
}

/* A pod with preset `name`; token counts constant (prompt, output) unless either is 0 (then
 * the preset's distributions stay). */
static void h_init(harness *h, const char *name, double prompt, double output) {
    memset(h, 0, sizeof *h);
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(engine_init(&h->eng, 2, &err), 0);
    CU_ASSERT_EQUAL_FATAL(llm_preset_apply(&h->cfg, name), 0);
    if (prompt > 0) {
        h->cfg.prompt_tokens.kind = DIST_CONSTANT;
        h->cfg.prompt_tokens.mean = prompt;
    }
    if (output > 0) {
        h->cfg.output_tokens.kind = DIST_CONSTANT;
        h->cfg.output_tokens.mean = output;
    }
    h->pc.llm = &h->cfg;
    h->rng = rng_stream_new(1, "svc.demand");
    h->arrivals = rng_stream_new(1, "arrivals");
    request_pool_init(&h->pool);
    h->stop_us = INT64_MAX;
}

/* Call after adjusting h->cfg. */
static void h_start(harness *h) {
    sim_error err;
    pod_hooks hooks = {h_done, h, NULL, h};
    pod_init(&h->p, 0, &h->pc, &h->eng, &h->occ, hooks);
    int rc = pod_attach_llm(&h->p, &h->pc, h->rng, NULL, &err);
    if (rc)
        fprintf(stderr, "pod_attach_llm: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    engine_at(&h->eng, 0, h_probe, h, 0);
    if (h->rate > 0)
        engine_at(&h->eng, 0, h_arrival, h, 0);
}

static void h_run(harness *h, int64_t until_us) {
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(engine_run(&h->eng, until_us, &err), 0);
}

static void h_free(harness *h) {
    pod_free(&h->p);
    request_pool_free(&h->pool);
    gsl_rng_free(h->rng);
    gsl_rng_free(h->arrivals);
    engine_free(&h->eng);
}

#endif
