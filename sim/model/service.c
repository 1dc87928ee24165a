/* service.c: see service.h. */
#include "sim/model/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/rng.h"
#include "sim/model/llm.h"

static void pod_slot_free(void *ctx, pod *p);
static void forget(service *s, pod *p);

int service_init(service *s, const service_cfg *cfg, uint64_t seed, engine *eng,
                 service_hooks hooks, sim_error *err) {
    memset(s, 0, sizeof *s);
    s->balancer = cfg->balancer;
    s->pod_cfg = cfg->pod;
    s->eng = eng;
    s->hooks = hooks;
    const pod_cfg *pc = &cfg->pod;
    if (cfg->replicas < 0 || cfg->replicas > SERVICE_MAX_PODS)
        return error_set(err, "service.replicas: must be between 0 and %d (got %d)",
                         SERVICE_MAX_PODS, cfg->replicas);
    if (pc->cpu_limit_milli < 0 || pc->cpu_idle_milli < 0 || pc->cpu_request_milli < 0)
        return error_set(err, "service.pod: CPU request, limit and idle must be >= 0");
    if (pc->cpu_limit_milli > 0 && pc->cpu_limit_milli <= pc->cpu_idle_milli)
        return error_set(err,
                         "service.pod: the CPU limit (%lldm) must exceed the idle baseline "
                         "(%lldm), or requests could never run",
                         (long long)pc->cpu_limit_milli, (long long)pc->cpu_idle_milli);
    if (pc->concurrency < 0)
        return error_set(err, "service.pod.concurrency: must be >= 0 (got %d)", pc->concurrency);
    if (cfg->balancer == LB_QUEUE && pc->concurrency == 0)
        return error_set(err, "service.balancer: \"queue\" needs service.pod.concurrency >= 1 "
                              "(the central queue hands a pod work only while it has a free slot)");
    if ((unsigned)cfg->balancer > LB_QUEUE)
        return error_set(err, "service.balancer: unknown balancer %d", (int)cfg->balancer);
    if (pc->llm != NULL) {
        if (llm_check(pc->llm, err) < 0)
            return -1;
        s->llm_totals = calloc(1, sizeof *s->llm_totals);
        if (s->llm_totals == NULL)
            return error_set(err, "out of memory");
        histogram_init(&s->llm_totals->ttft_us);
        histogram_init(&s->llm_totals->tpot_us);
        histogram_init(&s->llm_totals->e2e_us);
    }
    if (dist_init(&s->demand, &pc->demand, "service.pod.demand", err) < 0 ||
        dist_init(&s->startup, &pc->startup_us, "service.pod.startup", err) < 0)
        return -1;
    char name[CFG_NAME_MAX + 32];
    snprintf(name, sizeof name, "%s.balancer", cfg->name);
    s->rng_balancer = rng_stream_new(seed, name);
    snprintf(name, sizeof name, "%s.startup", cfg->name);
    s->rng_startup = rng_stream_new(seed, name);
    snprintf(name, sizeof name, "%s.demand", cfg->name);
    s->rng_demand = rng_stream_new(seed, name);
    if (!s->rng_balancer || !s->rng_startup || !s->rng_demand)
        return error_set(err, "out of memory creating random streams");
    s->demand_batched = pc->llm == NULL;
    s->demand_next = SERVICE_DEMAND_BATCH;
    for (int i = 0; i < cfg->replicas; i++)
        if (service_add_pod(s, POD_START_READY) == NULL)
            return error_set(err, "out of memory creating pods");
    return 0;
}

void service_free(service *s) {
    for (int i = 0; i < s->n_pods; i++) {
        pod_free(s->pods[i]);
        free(s->pods[i]);
    }
    free(s->pods);
    free(s->ready);
    free(s->idle_bits);
    while (s->gone) {
        pod *p = s->gone;
        s->gone = p->next_gone;
        free(p);
    }
    if (s->rng_balancer)
        gsl_rng_free(s->rng_balancer);
    if (s->rng_startup)
        gsl_rng_free(s->rng_startup);
    if (s->rng_demand)
        gsl_rng_free(s->rng_demand);
    free(s->llm_totals);
    memset(s, 0, sizeof *s);
}

/* Lays the idle map out for the current endpoints (balancer queue only). */
static void idle_rebuild(service *s) {
    if (s->balancer != LB_QUEUE)
        return;
    memset(s->idle_bits, 0, (size_t)(s->cap_pods + 63) / 64 * sizeof *s->idle_bits);
    for (int i = 0; i < s->n_ready; i++) {
        pod *p = s->ready[i];
        p->idle_word = &s->idle_bits[i / 64];
        p->idle_bit = UINT64_C(1) << (i % 64);
        pod_mark_idle(p);
    }
}

/* A ready pod with a free slot for the central queue: the least busy, ties to the oldest. An
 * idle pod is the least busy there is, so the first idle one (the idle map's lowest bit) is the
 * answer when there is one; with concurrency 1 a free slot means idle, so none is the answer. */
static pod *free_slot(service *s) {
    for (int w = 0; w * 64 < s->n_ready; w++)
        if (s->idle_bits[w])
            return s->ready[w * 64 + __builtin_ctzll(s->idle_bits[w])];
    if (s->pod_cfg.concurrency == 1)
        return NULL;
    pod *best = NULL;
    for (int i = 0; i < s->n_ready; i++) {
        pod *p = s->ready[i];
        if (pod_has_slot(p) && (best == NULL || p->n_ps < best->n_ps)) {
            best = p;
            if (p->n_ps == 0)
                break; /* nobody is less busy than idle */
        }
    }
    return best;
}

static pod *pick(service *s) {
    switch (s->balancer) {
    case LB_RANDOM:
        return s->ready[gsl_rng_uniform_int(s->rng_balancer, (unsigned long)s->n_ready)];
    case LB_ROUND_ROBIN:
        if (s->rr_next >= s->n_ready)
            s->rr_next = 0;
        return s->ready[s->rr_next++];
    case LB_LEAST_REQUESTS: {
        pod *best = s->ready[0];
        for (int i = 1; i < s->n_ready; i++)
            if (pod_in_flight(s->ready[i]) < pod_in_flight(best))
                best = s->ready[i];
        return best;
    }
    case LB_QUEUE:
        break;
    }
    return NULL;
}

/* The next CPU demand of the stream. */
static inline double next_demand(service *s) {
    if (!s->demand_batched)
        return dist_sample(&s->demand, s->rng_demand);
    if (s->demand_next == SERVICE_DEMAND_BATCH) {
        dist_fill(&s->demand, s->rng_demand, s->demand_ahead, SERVICE_DEMAND_BATCH);
        s->demand_next = 0;
    }
    return s->demand_ahead[s->demand_next++];
}

int service_submit(service *s, request *r) {
    r->demand_core_us = next_demand(s);
    if (s->balancer == LB_QUEUE) {
        pod *p = s->cq_head ? NULL : free_slot(s);
        if (p)
            return pod_accept(p, r);
        r->qnext = NULL;
        r->qprev = s->cq_tail;
        if (s->cq_tail)
            s->cq_tail->qnext = r;
        else
            s->cq_head = r;
        s->cq_tail = r;
        r->in_central = 1;
        occupancy_add_central(&s->occ, 1, s->eng->now_us);
        return 0;
    }
    if (s->n_ready == 0) {
        s->refused++;
        s->hooks.refused(s->hooks.ctx, r);
        return 0;
    }
    return pod_accept(pick(s), r);
}

int service_cancel(service *s, request *r) {
    if (!r->in_central)
        return 0;
    if (r->qprev)
        r->qprev->qnext = r->qnext;
    else
        s->cq_head = r->qnext;
    if (r->qnext)
        r->qnext->qprev = r->qprev;
    else
        s->cq_tail = r->qprev;
    r->in_central = 0;
    occupancy_add_central(&s->occ, -1, s->eng->now_us);
    s->cancelled++;
    return 1;
}

/* Hands central-queue requests to p while it has room. */
static void drain_central(service *s, pod *p) {
    while (s->cq_head && p->state == POD_READY && pod_has_slot(p)) {
        request *r = s->cq_head;
        s->cq_head = r->qnext;
        if (s->cq_head)
            s->cq_head->qprev = NULL;
        else
            s->cq_tail = NULL;
        r->in_central = 0;
        occupancy_add_central(&s->occ, -1, s->eng->now_us);
        if (pod_accept(p, r) < 0) {
            s->eng->out_of_memory = 1;
            return;
        }
    }
}

void service_pod_ready(service *s, pod *p) {
    if (p->state != POD_STARTING)
        return;
    p->state = POD_READY;
    p->ready_us = s->eng->now_us;
    s->occ.pods_ready++;
    /* keep the endpoints in creation order */
    int i = s->n_ready;
    while (i > 0 && s->ready[i - 1]->uid > p->uid) {
        s->ready[i] = s->ready[i - 1];
        i--;
    }
    s->ready[i] = p;
    s->n_ready++;
    idle_rebuild(s);
    if (s->balancer == LB_QUEUE)
        drain_central(s, p);
}

static void on_ready(engine *eng, void *obj, uint64_t arg) {
    (void)eng;
    (void)arg;
    pod *p = obj;
    service *s = p->hooks.ctx;
    p->ready_pending = 0;
    if (p->state == POD_TERMINATING) {
        forget(s, p); /* removed while starting */
        return;
    }
    service_pod_ready(s, p);
}

pod *service_add_pod(service *s, pod_start how) {
    if (s->n_pods == s->cap_pods) {
        int cap = s->cap_pods ? s->cap_pods * 2 : 16;
        pod **pods = realloc(s->pods, (size_t)cap * sizeof *pods);
        if (pods == NULL)
            return NULL;
        s->pods = pods;
        pod **ready = realloc(s->ready, (size_t)cap * sizeof *ready);
        if (ready == NULL)
            return NULL;
        s->ready = ready;
        uint64_t *bits = realloc(s->idle_bits, (size_t)(cap + 63) / 64 * sizeof *bits);
        if (bits == NULL)
            return NULL;
        s->idle_bits = bits;
        s->cap_pods = cap;
        idle_rebuild(s); /* the pods point into the map */
    }
    pod *p = malloc(sizeof *p);
    if (p == NULL)
        return NULL;
    pod_hooks hooks = {s->hooks.done, s->hooks.ctx, pod_slot_free, s};
    pod_init(p, s->next_uid++, &s->pod_cfg, s->eng, &s->occ, hooks);
    if (s->pod_cfg.llm != NULL) {
        sim_error err;
        if (pod_attach_llm(p, &s->pod_cfg, s->rng_demand, s->llm_totals, &err) < 0) {
            free(p);
            return NULL;
        }
    }
    s->pods[s->n_pods++] = p;
    occupancy_add_pods(&s->occ, 1, s->eng->now_us);
    if (how == POD_START_READY) {
        service_pod_ready(s, p);
    } else if (how == POD_START_DELAYED) {
        double delay = dist_sample(&s->startup, s->rng_startup);
        p->ready_pending = 1;
        engine_after(s->eng, (int64_t)delay, on_ready, p, 0);
    }
    return p;
}

/* Takes a drained pod out of the books. Its record moves to `gone` rather than being freed:
 * a superseded completion event may still point at it (lazy cancellation). */
static void forget(service *s, pod *p) {
    pod_sync(p);
    s->cpu_usage_gone_core_ns += p->cpu_usage_core_ns;
    occupancy_add_pods(&s->occ, -1, s->eng->now_us);
    for (int i = 0; i < s->n_pods; i++)
        if (s->pods[i] == p) {
            memmove(&s->pods[i], &s->pods[i + 1], (size_t)(s->n_pods - i - 1) * sizeof *s->pods);
            s->n_pods--;
            break;
        }
    pod_free(p);
    p->hooks.ctx = NULL;
    p->next_gone = s->gone;
    s->gone = p;
}

void service_remove_pod(service *s, pod *p) {
    if (p->state == POD_TERMINATING)
        return;
    if (p->state == POD_READY) {
        s->occ.pods_ready--;
        for (int i = 0; i < s->n_ready; i++)
            if (s->ready[i] == p) {
                memmove(&s->ready[i], &s->ready[i + 1],
                        (size_t)(s->n_ready - i - 1) * sizeof *s->ready);
                s->n_ready--;
                break;
            }
        p->idle_word = NULL;
        idle_rebuild(s);
    }
    p->state = POD_TERMINATING; /* a pending on_ready sees this and forgets the pod */
    if (!p->ready_pending && pod_in_flight(p) == 0)
        forget(s, p);
}

int service_kill_pod(service *s, pod *p) {
    if (p->state != POD_TERMINATING || service_pod_retired(p))
        return 0; /* not removed, or already drained and retired */
    request *list = pod_abort(p);
    int n = 0;
    while (list) {
        request *r = list;
        list = r->qnext;
        r->qnext = NULL;
        s->hooks.refused(s->hooks.ctx, r);
        n++;
    }
    if (!p->ready_pending)
        forget(s, p);
    return n;
}

static void pod_slot_free(void *ctx, pod *p) {
    service *s = ctx;
    if (p->state == POD_TERMINATING) {
        if (pod_in_flight(p) == 0)
            forget(s, p);
        return;
    }
    if (s->balancer == LB_QUEUE && s->cq_head) /* the test here: most slots free up to none */
        drain_central(s, p);
}

int64_t service_cpu_usage_core_ns(service *s) {
    int64_t total = s->cpu_usage_gone_core_ns;
    for (int i = 0; i < s->n_pods; i++) {
        pod_sync(s->pods[i]);
        total += s->pods[i]->cpu_usage_core_ns;
    }
    return total;
}
