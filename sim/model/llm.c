/* llm.c: see llm.h. The scheduler restates vLLM's (vllm-project/vllm, v0.4 core/scheduler.py
 * for the V0 engine the seed runs; v1/core/sched/scheduler.py for chunked prefill): running
 * sequences first, one new KV slot per decoding sequence per step, preemption of the most
 * recently admitted sequence by recompute when the cache is full, waiting sequences admitted in
 * FIFO order while max_num_seqs and the free KV blocks allow, token budget
 * max_num_batched_tokens per step. Facts carried over, not code. */
#include "sim/model/llm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/model/llm_presets.h"
#include "sim/model/pod.h"

#define STEP_DECODE (-1)

double llm_kernel_us(const llm_cfg *cfg, int64_t tokens, int64_t context_tokens) {
    double lin = (double)tokens * cfg->prefill_us_per_token;
    if (lin < cfg->weight_read_us)
        lin = cfg->weight_read_us; /* memory bound: the weights are read once per step */
    return lin + (double)context_tokens * cfg->kv_read_us_per_token;
}

int llm_check(const llm_cfg *cfg, sim_error *err) {
    if (cfg->max_num_seqs < 1 || cfg->max_num_batched_tokens < 1 || cfg->max_model_len < 2) {
        return error_set(err, "service.pod.llm: max_num_seqs and max_num_batched_tokens must be "
                              ">= 1 and max_model_len >= 2");
    }
    if (!cfg->chunked_prefill && cfg->max_num_batched_tokens < cfg->max_model_len) {
        return error_set(err,
                         "service.pod.llm: without chunked prefill max_num_batched_tokens (%d) "
                         "must be >= max_model_len (%d), as vLLM requires",
                         cfg->max_num_batched_tokens, cfg->max_model_len);
    }
    int64_t budget = llm_kv_budget_tokens(cfg);
    if (budget < cfg->max_model_len)
        return error_set(err,
                         "service.pod.llm: the KV cache holds %lld tokens, fewer than "
                         "max_model_len (%d): vLLM would refuse to start (raise "
                         "gpu_memory_utilization or lower max_model_len)",
                         (long long)budget, cfg->max_model_len);
    if (cfg->weight_read_us <= 0 || cfg->prefill_us_per_token < 0 ||
        cfg->kv_read_us_per_token < 0 || cfg->host_us < 0)
        return error_set(err, "service.pod.llm: step-time coefficients must be >= 0 and the "
                              "weight read > 0");
    return 0;
}

llm_engine *llm_new(const llm_cfg *cfg, struct pod *p, gsl_rng *rng, llm_totals *totals,
                    sim_error *err) {
    if (llm_check(cfg, err) < 0)
        return NULL;
    int64_t budget = llm_kv_budget_tokens(cfg);
    llm_engine *e = calloc(1, sizeof *e);
    if (e == NULL) {
        error_set(err, "out of memory");
        return NULL;
    }
    if (dist_init(&e->prompt, &cfg->prompt_tokens, "service.pod.llm.prompt_tokens", err) < 0 ||
        dist_init(&e->output, &cfg->output_tokens, "service.pod.llm.output_tokens", err) < 0) {
        free(e);
        return NULL;
    }
    e->cfg = cfg;
    e->p = p;
    e->rng = rng;
    e->totals = totals;
    e->kv_budget = budget;
    e->act_t_us = p->eng->now_us;
    histogram_init(&e->stats.ttft_us);
    histogram_init(&e->stats.tpot_us);
    histogram_init(&e->stats.e2e_us);
    return e;
}

void llm_free(llm_engine *e) {
    if (e == NULL)
        return;
    free(e->run);
    free(e->wait);
    free(e);
}

void llm_sync(llm_engine *e) {
    int64_t now = e->p->eng->now_us;
    if (now <= e->act_t_us)
        return;
    if (e->stepping) {
        int64_t a = e->act_t_us > e->step_start_us ? e->act_t_us : e->step_start_us;
        int64_t b = now < e->kernel_end_us ? now : e->kernel_end_us;
        if (b > a) {
            double d = (double)(b - a);
            e->act.busy_us += d;
            e->act.sm_active_us += d * e->step_sm_active;
            e->act.sm_occ_us += d * e->step_sm_occ;
            e->p->occ->llm_busy_us += d;
            e->p->occ->llm_sm_active_us += d * e->step_sm_active;
        }
        b = now < e->step_end_us ? now : e->step_end_us;
        if (b > a)
            e->p->occ->llm_batch_area_us += (double)e->step_batch * (double)(b - a);
    }
    e->act_t_us = now;
}

static int wait_push(llm_engine *e, llm_seq s, int front) {
    if (e->n_wait == e->cap_wait) {
        int cap = e->cap_wait ? e->cap_wait * 2 : 16;
        llm_seq *w = malloc((size_t)cap * sizeof *w);
        if (w == NULL)
            return -1;
        for (int i = 0; i < e->n_wait; i++)
            w[i] = e->wait[(e->w_head + i) % e->cap_wait];
        free(e->wait);
        e->wait = w;
        e->w_head = 0;
        e->cap_wait = cap;
    }
    if (front) {
        e->w_head = (e->w_head + e->cap_wait - 1) % e->cap_wait;
        e->wait[e->w_head] = s;
    } else {
        e->wait[(e->w_head + e->n_wait) % e->cap_wait] = s;
    }
    e->n_wait++;
    return 0;
}

static int run_push(llm_engine *e, llm_seq s) {
    if (e->n_run == e->cap_run) {
        int cap = e->cap_run ? e->cap_run * 2 : 16;
        llm_seq *r = realloc(e->run, (size_t)cap * sizeof *r);
        if (r == NULL)
            return -1;
        e->run = r;
        e->cap_run = cap;
    }
    e->run[e->n_run++] = s;
    return 0;
}

/* KV tokens a running sequence holds: everything prefilled or reserved so far. */
static int64_t seq_kv(const llm_seq *s) {
    return (int64_t)s->prompt + s->generated - (s->generated > 0 ? 1 : 0);
}

static void on_step_end(engine *eng, void *obj, uint64_t gen);

/* Plans and starts one step now, or leaves the engine idle when there is nothing to do. */
static int begin_step(llm_engine *e) {
    const llm_cfg *c = e->cfg;
    pod *p = e->p;
    llm_sync(e);
    /* (1) one new KV slot per decoding sequence; preempt the newest while they do not fit */
    for (;;) {
        int64_t decoders = 0;
        for (int i = 0; i < e->n_run; i++)
            if (e->run[i].need_prefill == 0)
                decoders++;
        if (e->kv_used + decoders <= e->kv_budget || e->n_run == 0)
            break;
        llm_seq s = e->run[--e->n_run];
        e->kv_used -= s.need_prefill == 0 ? seq_kv(&s) : s.prompt + s.generated;
        s.need_prefill = s.prompt + s.generated; /* recompute */
        if (wait_push(e, s, 1) < 0)
            return -1;
        occupancy_add_in_service(p->occ, -1, p->eng->now_us);
        occupancy_add_pod_queued(p->occ, 1, p->eng->now_us);
        e->stats.preemptions++;
        if (e->totals)
            e->totals->preemptions++;
    }
    /* (2) admit waiting sequences (FIFO) while the batch and the KV cache have room: the running
     * sequences' next slots stay reserved, and 1 % of the cache is kept free (vLLM V0
     * BlockSpaceManager watermark 0.01) so an admission does not force a preemption at once */
    int64_t reserve = 0;
    for (int i = 0; i < e->n_run; i++)
        if (e->run[i].need_prefill == 0)
            reserve++;
    int64_t watermark = e->kv_budget / 100;
    while (e->n_wait > 0 && e->n_run < c->max_num_seqs) {
        llm_seq s = e->wait[e->w_head];
        int64_t room = e->kv_budget - e->kv_used - reserve - (e->n_run > 0 ? watermark : 0);
        if (s.need_prefill > room)
            break; /* it waits: queueing behind a full cache */
        e->w_head = (e->w_head + 1) % e->cap_wait;
        e->n_wait--;
        e->kv_used += s.need_prefill;
        if (run_push(e, s) < 0)
            return -1;
        occupancy_add_pod_queued(p->occ, -1, p->eng->now_us);
        occupancy_add_in_service(p->occ, 1, p->eng->now_us);
    }
    /* (3) tokens of this step */
    int64_t tokens = 0, context = 0, prefill = 0;
    int64_t budget = c->max_num_batched_tokens;
    int any_prefill = 0;
    for (int i = 0; i < e->n_run; i++) {
        e->run[i].step_prefill = 0;
        if (e->run[i].need_prefill > 0)
            any_prefill = 1;
    }
    if (c->chunked_prefill || !any_prefill) {
        for (int i = 0; i < e->n_run; i++)
            if (e->run[i].need_prefill == 0) {
                e->run[i].step_prefill = STEP_DECODE;
                e->kv_used++;
                tokens++;
                context += seq_kv(&e->run[i]);
            }
    }
    if (any_prefill) {
        for (int i = 0; i < e->n_run && tokens < budget; i++) {
            llm_seq *s = &e->run[i];
            if (s->need_prefill == 0)
                continue;
            int64_t chunk = s->need_prefill;
            if (chunk > budget - tokens) {
                if (!c->chunked_prefill && tokens > 0)
                    break; /* whole prompts only */
                chunk = budget - tokens;
            }
            s->step_prefill = (int32_t)chunk;
            tokens += chunk;
            prefill += chunk;
        }
    }
    if (tokens == 0) {
        e->stepping = 0;
        return 0;
    }
    int batch = 0;
    for (int i = 0; i < e->n_run; i++)
        if (e->run[i].step_prefill != 0)
            batch++;
    int64_t now = p->eng->now_us;
    int64_t kernel = (int64_t)ceil(llm_kernel_us(c, tokens, context));
    e->step_start_us = now;
    e->kernel_end_us = now + kernel;
    e->step_end_us = e->kernel_end_us + (int64_t)ceil(c->host_us);
    if (e->step_end_us == now)
        e->step_end_us = now + 1;
    e->step_sm_active = gpu_sm_active_frac(&c->metrics, batch, (int)prefill);
    e->step_sm_occ = gpu_sm_occupancy_frac(&c->metrics, (int)tokens);
    e->step_batch = batch;
    e->stepping = 1;
    e->gen++;
    engine_at(p->eng, e->step_end_us, on_step_end, p, e->gen);
    return 0;
}

int llm_accept(llm_engine *e, request *r) {
    const llm_cfg *c = e->cfg;
    pod *p = e->p;
    llm_sync(e);
    r->pod = p;
    llm_seq s;
    memset(&s, 0, sizeof s);
    s.r = r;
    double pr = floor(dist_sample(&e->prompt, e->rng) + 0.5);
    double out = floor(dist_sample(&e->output, e->rng) + 0.5);
    if (pr < 1)
        pr = 1;
    if (pr > c->max_model_len - 1)
        pr = c->max_model_len - 1;
    if (out < 1)
        out = 1;
    if (out > c->max_model_len - pr)
        out = c->max_model_len - pr;
    s.prompt = (int32_t)pr;
    s.output = (int32_t)out;
    s.need_prefill = s.prompt;
    s.t_first_us = -1;
    s.t_arrive_us = p->eng->now_us;
    if (wait_push(e, s, 0) < 0)
        return -1;
    p->n_queued++;
    occupancy_add_pod_queued(p->occ, 1, p->eng->now_us);
    if (!e->stepping)
        return begin_step(e);
    return 0;
}

static void on_step_end(engine *eng, void *obj, uint64_t gen) {
    pod *p = obj;
    llm_engine *e = p->llm;
    if (e == NULL || (uint32_t)gen != e->gen || !e->stepping)
        return; /* superseded (killed pod) */
    llm_sync(e);
    int64_t now = eng->now_us;
    e->stats.steps++;
    if (e->totals)
        e->totals->steps++;
    e->stats.batch_area_us += (double)e->step_batch * (double)(now - e->step_start_us);
    request *done = NULL, **tail = &done;
    int keep = 0;
    for (int i = 0; i < e->n_run; i++) {
        llm_seq s = e->run[i];
        int emitted = 0;
        if (s.step_prefill > 0) {
            s.need_prefill -= s.step_prefill;
            e->stats.prompt_tokens += (uint64_t)s.step_prefill;
            if (e->totals)
                e->totals->prompt_tokens += (uint64_t)s.step_prefill;
            if (s.need_prefill == 0)
                emitted = 1; /* the prefill step samples the next token */
        } else if (s.step_prefill == STEP_DECODE) {
            emitted = 1;
        }
        s.step_prefill = 0;
        if (emitted) {
            s.generated++;
            e->stats.output_tokens++;
            p->occ->llm_tokens++;
            if (e->totals)
                e->totals->output_tokens++;
            if (s.t_first_us < 0)
                s.t_first_us = now;
        }
        if (s.generated >= s.output) {
            e->kv_used -= seq_kv(&s);
            occupancy_add_in_service(p->occ, -1, p->eng->now_us);
            p->n_queued--;
            p->completed++;
            e->stats.completed++;
            request *r = s.r;
            int64_t ttft = s.t_first_us - r->t_sent_us, e2e = now - r->t_sent_us;
            int64_t tpot = s.generated > 1 ? (now - s.t_first_us) / (s.generated - 1) : -1;
            histogram_record(&e->stats.ttft_us, ttft);
            histogram_record(&e->stats.e2e_us, e2e);
            if (tpot >= 0)
                histogram_record(&e->stats.tpot_us, tpot);
            if (e->totals) {
                e->totals->completed++;
                histogram_record(&e->totals->ttft_us, ttft);
                histogram_record(&e->totals->e2e_us, e2e);
                if (tpot >= 0)
                    histogram_record(&e->totals->tpot_us, tpot);
            }
            r->t_start_us = s.t_arrive_us;
            r->qnext = NULL;
            *tail = r;
            tail = &r->qnext;
        } else {
            e->run[keep++] = s;
        }
    }
    e->n_run = keep;
    if (e->kv_used < 0)
        e->kv_used = 0;
    e->stepping = 0;
    if (begin_step(e) < 0) {
        eng->out_of_memory = 1;
        return;
    }
    while (done) {
        request *r = done;
        done = r->qnext;
        p->hooks.done(p->hooks.done_ctx, r);
    }
    /* last: a drained terminating pod is retired here (and its engine freed) */
    if (p->hooks.slot_free)
        p->hooks.slot_free(p->hooks.ctx, p);
}

request *llm_abort(llm_engine *e) {
    pod *p = e->p;
    llm_sync(e);
    request *list = NULL, **tail = &list;
    for (int i = 0; i < e->n_run; i++) {
        *tail = e->run[i].r;
        e->run[i].r->qnext = NULL;
        tail = &e->run[i].r->qnext;
    }
    for (int i = 0; i < e->n_wait; i++) {
        request *r = e->wait[(e->w_head + i) % e->cap_wait].r;
        r->qnext = NULL;
        *tail = r;
        tail = &r->qnext;
    }
    occupancy_add_in_service(p->occ, -e->n_run, p->eng->now_us);
    occupancy_add_pod_queued(p->occ, -e->n_wait, p->eng->now_us);
    p->n_queued = 0;
    e->n_run = e->n_wait = 0;
    e->w_head = 0;
    e->kv_used = 0;
    e->stepping = 0;
    e->gen++;
    return list;
}
