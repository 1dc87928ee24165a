/* llm_curves.c: tokens/s, GPU_UTIL and SM_ACTIVE of one LLM pod against the batch size, for
 * every preset (sim/model/llm_presets.c), as CSV on stdout: the data behind docs/model.md's plot
 * (docs/gpu-llm-curves.gp -> docs/gpu-llm-curves.png).
 *
 * B closed-loop clients each send a 1024-token prompt for 256 output tokens and resend at once;
 * figures are measured from 30 s to 90 s of simulated time; "batch" is the mean running batch. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/engine/rng.h"
#include "sim/model/llm.h"
#include "sim/model/llm_presets.h"
#include "sim/model/pod.h"

typedef struct run {
    engine eng;
    occupancy occ;
    pod p;
    pod_cfg pc;
    llm_cfg cfg;
    request_pool pool;
} run;

static void submit(run *r) {
    request *q = request_new(&r->pool);
    if (q == NULL || pod_accept(&r->p, q) < 0) {
        fprintf(stderr, "llm_curves: out of memory\n");
        r->eng.out_of_memory = 1;
        return;
    }
    q->t_sent_us = r->eng.now_us;
}

static void done(void *ctx, request *q) {
    run *r = ctx;
    request_free(&r->pool, q);
    submit(r);
}

static int measure(const char *preset, int clients, FILE *out) {
    static run r;
    memset(&r, 0, sizeof r);
    sim_error err;
    if (engine_init(&r.eng, 2, &err) < 0 || llm_preset_apply(&r.cfg, preset) < 0)
        return -1;
    r.cfg.prompt_tokens.kind = r.cfg.output_tokens.kind = DIST_CONSTANT;
    r.cfg.prompt_tokens.mean = 1024;
    r.cfg.output_tokens.mean = 256;
    r.pc.llm = &r.cfg;
    gsl_rng *rng = rng_stream_new(1, "curves");
    request_pool_init(&r.pool);
    pod_hooks hooks = {done, &r, NULL, &r};
    pod_init(&r.p, 0, &r.pc, &r.eng, &r.occ, hooks);
    if (pod_attach_llm(&r.p, &r.pc, rng, NULL, &err) < 0) {
        fprintf(stderr, "llm_curves: %s\n", err.msg);
        return -1;
    }
    for (int i = 0; i < clients; i++)
        submit(&r);
    int64_t t0 = 30000000, t1 = 90000000;
    if (engine_run(&r.eng, t0, &err) < 0)
        return -1;
    r.eng.now_us = t0; /* the counters are brought to exactly t0 */
    pod_sync(&r.p);
    gpu_activity a = r.p.llm->act;
    uint64_t tok = r.p.llm->stats.output_tokens;
    double area = r.occ.llm_batch_area_us;
    if (engine_run(&r.eng, t1, &err) < 0)
        return -1;
    r.eng.now_us = t1;
    pod_sync(&r.p);
    double dt = (double)(t1 - t0);
    fprintf(out, "%s,%d,%.1f,%.1f,%.3f,%.3f,%.1f\n", preset, clients,
            (r.occ.llm_batch_area_us - area) / dt,
            (double)(r.p.llm->stats.output_tokens - tok) * 1e6 / dt,
            gpu_field_average(GPU_FIELD_UTIL, &a, &r.p.llm->act, (int64_t)dt),
            gpu_field_average(GPU_FIELD_SM_ACTIVE, &a, &r.p.llm->act, (int64_t)dt),
            histogram_mean(&r.p.llm->stats.tpot_us) / 1e3);
    pod_free(&r.p);
    request_pool_free(&r.pool);
    gsl_rng_free(rng);
    engine_free(&r.eng);
    return 0;
}

int main(void) {
    static const int clients[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
    printf("preset,clients,batch,tokens_per_s,gpu_util_pct,sm_active,tpot_ms\n");
    for (int i = 0; llm_preset_names[i] != NULL; i++)
        for (size_t k = 0; k < sizeof clients / sizeof clients[0]; k++)
            if (measure(llm_preset_names[i], clients[k], stdout) < 0)
                return 1;
    return 0;
}
