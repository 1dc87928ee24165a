/* pod.c: see pod.h. */
#include "sim/model/pod.h"

#include <math.h>
#include <stdlib.h>

#include "sim/model/llm.h"

void pod_init(pod *p, int64_t uid, const pod_cfg *cfg, engine *eng, occupancy *occ,
              pod_hooks hooks) {
    p->uid = uid;
    p->state = POD_STARTING;
    p->created_us = eng->now_us;
    p->ready_us = -1;
    p->limit_milli = cfg->cpu_limit_milli;
    p->idle_milli = cfg->cpu_idle_milli;
    p->request_milli = cfg->cpu_request_milli;
    p->usable_milli = cfg->cpu_limit_milli > 0 ? cfg->cpu_limit_milli - cfg->cpu_idle_milli : 0;
    p->concurrency = cfg->concurrency;
    p->slot_limit = cfg->concurrency > 0 ? cfg->concurrency : INT_MAX;
    /* n * 1000 <= usable exactly when n <= usable / 1000 (integers, usable > 0) */
    int64_t full = cfg->cpu_limit_milli > 0 ? p->usable_milli / 1000 : INT_MAX;
    p->full_rate_max = full < INT_MAX ? (int)full : INT_MAX;
    p->single = cfg->concurrency == 1;
    p->single_rate = p->full_rate_max >= 1 ? 1.0 : (double)p->usable_milli / 1000.0;
    p->memory_base_bytes = cfg->memory_base_bytes;
    p->memory_per_request_bytes = cfg->memory_per_request_bytes;
    p->vtime = 0;
    p->t_last_us = eng->now_us;
    p->ps = NULL;
    p->n_ps = p->cap_ps = 0;
    p->q_head = p->q_tail = NULL;
    p->n_queued = 0;
    p->timer_at_us = -1;
    p->timer_gen = 0;
    p->cpu_usage_core_ns = 0;
    p->completed = 0;
    p->eng = eng;
    p->occ = occ;
    p->hooks = hooks;
    p->next_gone = NULL;
    p->ready_pending = 0;
    p->llm = NULL;
    p->idle_word = NULL;
    p->idle_bit = 0;
}

int pod_attach_llm(pod *p, const pod_cfg *cfg, gsl_rng *rng, llm_totals *totals, sim_error *err) {
    p->llm = llm_new(cfg->llm, p, rng, totals, err);
    p->single = 0; /* the LLM engine takes every request (llm.h) */
    return p->llm ? 0 : -1;
}

void pod_free(pod *p) {
    free(p->ps);
    p->ps = NULL;
    llm_free(p->llm); /* a stale step event finds p->llm NULL: the record outlives it */
    p->llm = NULL;
}

int64_t pod_usage_milli(const pod *p) {
    int64_t busy = p->n_ps <= p->full_rate_max ? (int64_t)p->n_ps * 1000 : p->usable_milli;
    return p->idle_milli + busy;
}

/* Progress rate of each in-service request, in cores. */
static inline double rate(const pod *p) {
    if (p->n_ps <= p->full_rate_max)
        return 1.0;
    return (double)p->usable_milli / (1000.0 * p->n_ps);
}

/* The CPU counter forward to now; the time it moved (0 when none). */
static inline __attribute__((always_inline)) int64_t advance_cpu(pod *p) {
    int64_t now = p->eng->now_us;
    int64_t dt = now - p->t_last_us;
    if (dt <= 0)
        return 0;
    p->cpu_usage_core_ns += pod_usage_milli(p) * dt;
    p->t_last_us = now;
    return dt;
}

/* pod_sync, inlined into the arrival and the completion: each call site then knows what it
 * already tested (LLM or not, how many in service), and the wake-up below likewise
 * (always_inline: GCC otherwise keeps these as calls; -34 and more instructions per M/M/c
 * request). */
static inline __attribute__((always_inline)) void sync_now(pod *p) {
    if (p->llm)
        llm_sync(p->llm);
    int64_t dt = advance_cpu(p);
    if (dt > 0 && p->n_ps > 0)
        p->vtime += (double)dt * rate(p);
}

void pod_sync(pod *p) {
    sync_now(p);
}

/* The pod's own FIFO of requests waiting for a slot (linked through qnext). */
static inline void queue_push(pod *p, request *r) {
    r->qnext = NULL;
    if (p->q_tail)
        p->q_tail->qnext = r;
    else
        p->q_head = r;
    p->q_tail = r;
    p->n_queued++;
    occupancy_add_pod_queued(p->occ, 1, p->eng->now_us);
}

static inline request *queue_pop(pod *p) { /* q_head != NULL */
    request *r = p->q_head;
    p->q_head = r->qnext;
    if (p->q_head == NULL)
        p->q_tail = NULL;
    p->n_queued--;
    occupancy_add_pod_queued(p->occ, -1, p->eng->now_us);
    return r;
}

/* ---- the single-slot path (concurrency 1) ----
 *
 * One request in service at a time, at a rate that does not change while it runs: it finishes
 * ceil(demand / rate) microseconds after it starts, and that wake-up is exact (no early wake-up,
 * no virtual time, no heap). The same model as the general path, which would reach the same
 * instant up to the rounding of V + demand in doubles. */

static void on_single_done(engine *eng, void *obj, uint64_t gen);

static int ps_grow(pod *p);

static inline __attribute__((always_inline)) int single_start(pod *p, request *r) {
    if (p->cap_ps == 0 && ps_grow(p) < 0)
        return -1;
    int64_t now = p->eng->now_us;
    r->t_start_us = now;
    p->ps[0] = r;
    p->n_ps = 1;
    occupancy_add_in_service(p->occ, 1, now);
    double left = r->demand_core_us;
    if (p->single_rate != 1.0)
        left /= p->single_rate;
    int64_t wait = 0;
    if (left > 0) { /* ceil(left), without the libm call */
        wait = (int64_t)left;
        wait += (double)wait < left;
    }
    p->timer_gen++;
    p->timer_at_us = now + wait;
    engine_at(p->eng, now + wait, on_single_done, p, p->timer_gen);
    return 0;
}

/* Finish tags within this many core-us of V count as reached: whole-microsecond wake-ups and
 * float rounding of V (ulp ~1e-5 at a day of virtual time) must not leave a request behind. */
#define TAG_EPSILON 1e-3

static inline int earlier(const request *a, const request *b) {
    return a->tag < b->tag || (a->tag == b->tag && a->id < b->id);
}

/* Doubles the in-service heap (out of line: it runs a few times per pod). */
static __attribute__((noinline)) int ps_grow(pod *p) {
    int cap = p->cap_ps ? p->cap_ps * 2 : 8;
    request **h = realloc(p->ps, (size_t)cap * sizeof *h);
    if (h == NULL)
        return -1;
    p->ps = h;
    p->cap_ps = cap;
    return 0;
}

static inline int ps_push(pod *p, request *r) {
    if (p->n_ps == p->cap_ps && ps_grow(p) < 0)
        return -1;
    int i = p->n_ps++;
    while (i > 0) {
        int parent = (i - 1) / 2;
        if (!earlier(r, p->ps[parent]))
            break;
        p->ps[i] = p->ps[parent];
        i = parent;
    }
    p->ps[i] = r;
    return 0;
}

static request *ps_pop(pod *p) {
    request *top = p->ps[0];
    request *last = p->ps[--p->n_ps];
    int n = p->n_ps, i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && earlier(p->ps[c + 1], p->ps[c]))
            c++;
        if (!earlier(p->ps[c], last))
            break;
        p->ps[i] = p->ps[c];
        i = c;
    }
    if (n > 0)
        p->ps[i] = last;
    return top;
}

static void on_timer(engine *eng, void *obj, uint64_t gen);

/* Makes sure a wake-up is pending no later than the earliest completion. An event already
 * pending at or before that time is kept: when n grows the completion only moves later, and
 * on_timer re-checks and sleeps again, so a burst of arrivals costs one wake-up instead of a
 * push and a stale pop each. Only on_timer (after the pending event fired) moves it earlier. */
static inline __attribute__((always_inline)) void reschedule(pod *p) { /* see sync_now */
    if (p->n_ps == 0)
        return; /* a pending wake-up finds nothing to do */
    double left = p->ps[0]->tag - p->vtime, r = rate(p);
    if (r != 1.0) /* x / 1.0 is x: skip the division when nothing throttles */
        left /= r;
    int64_t wait = 0;
    if (left > 0) { /* ceil(left), without the libm call */
        wait = (int64_t)left;
        wait += (double)wait < left;
    }
    int64_t at = p->eng->now_us + wait;
    if (p->timer_at_us >= 0 && p->timer_at_us <= at)
        return;
    p->timer_gen++;
    p->timer_at_us = at;
    engine_at(p->eng, at, on_timer, p, p->timer_gen);
}

static inline __attribute__((always_inline)) int start(pod *p, request *r) { /* see sync_now */
    r->t_start_us = p->eng->now_us;
    r->tag = p->vtime + r->demand_core_us;
    if (ps_push(p, r) < 0)
        return -1;
    occupancy_add_in_service(p->occ, 1, p->eng->now_us);
    return 0;
}

/* The single-slot path's arrival (pod_accept's common case, kept free of the general path's
 * registers). */
static inline __attribute__((always_inline)) int single_accept(pod *p, request *r) {
    advance_cpu(p); /* no virtual time on this path */
    r->pod = p;
    if (p->n_ps == 0) {
        if (single_start(p, r) < 0)
            return -1;
        pod_mark_idle(p);
        return 0;
    }
    queue_push(p, r);
    return 0;
}

static __attribute__((noinline)) int general_accept(pod *p, request *r);

int pod_accept(pod *p, request *r) {
    if (p->single)
        return single_accept(p, r);
    return general_accept(p, r);
}

/* An LLM server or the processor-sharing path. */
static __attribute__((noinline)) int general_accept(pod *p, request *r) {
    if (p->llm) {
        sync_now(p);
        return llm_accept(p->llm, r);
    }
    sync_now(p);
    r->pod = p;
    if (pod_has_slot(p)) {
        if (start(p, r) < 0)
            return -1;
        pod_mark_idle(p);
        reschedule(p);
    } else {
        queue_push(p, r);
    }
    return 0;
}

/* A wake-up: finish every request whose tag V has reached (equal tags finish together; an early
 * wake-up finds none and just sleeps again), refill from the pod's queue, then tell the service.
 * Hooks run last, with the pod consistent, because a client may answer a response by sending to
 * this same pod. */
static void on_timer(engine *eng, void *obj, uint64_t gen) {
    pod *p = obj;
    if ((uint32_t)gen != p->timer_gen)
        return; /* superseded */
    p->timer_at_us = -1;
    sync_now(p);
    request *done = NULL, **tail = &done;
    while (p->n_ps > 0 && p->ps[0]->tag <= p->vtime + TAG_EPSILON) {
        request *r = ps_pop(p);
        if (r->tag > p->vtime)
            p->vtime = r->tag; /* rounding to whole microseconds: never let V lag a finish */
        r->qnext = NULL;
        *tail = r;
        tail = &r->qnext;
        occupancy_add_in_service(p->occ, -1, p->eng->now_us);
        p->completed++;
    }
    while (p->q_head && pod_has_slot(p)) {
        if (start(p, queue_pop(p)) < 0) {
            eng->out_of_memory = 1;
            return;
        }
    }
    pod_mark_idle(p); /* before the hooks: a client may answer by sending to the service */
    reschedule(p);
    while (done) {
        request *r = done;
        done = r->qnext;
        p->hooks.done(p->hooks.done_ctx, r);
    }
    if (pod_has_slot(p) && p->q_head == NULL && p->hooks.slot_free)
        p->hooks.slot_free(p->hooks.ctx, p);
}

/* The single-slot path's completion: the request in service is done (its wake-up is exact). */
static void on_single_done(engine *eng, void *obj, uint64_t gen) {
    pod *p = obj;
    if ((uint32_t)gen != p->timer_gen)
        return; /* superseded (pod_abort) */
    p->timer_at_us = -1;
    advance_cpu(p); /* no virtual time on this path */
    request *r = p->ps[0];
    p->n_ps = 0;
    occupancy_add_in_service(p->occ, -1, eng->now_us);
    p->completed++;
    if (p->q_head) {
        if (single_start(p, queue_pop(p)) < 0) {
            eng->out_of_memory = 1;
            return;
        }
    }
    pod_mark_idle(p);
    p->hooks.done(p->hooks.done_ctx, r);
    if (p->n_ps == 0 && p->q_head == NULL && p->hooks.slot_free)
        p->hooks.slot_free(p->hooks.ctx, p);
}

request *pod_abort(pod *p) {
    pod_sync(p);
    if (p->llm)
        return llm_abort(p->llm);
    request *list = NULL, **tail = &list;
    for (int i = 0; i < p->n_ps; i++) {
        request *r = p->ps[i];
        r->qnext = NULL;
        *tail = r;
        tail = &r->qnext;
    }
    occupancy_add_in_service(p->occ, -p->n_ps, p->eng->now_us);
    p->n_ps = 0;
    *tail = p->q_head; /* the pod's queue is already linked through qnext */
    occupancy_add_pod_queued(p->occ, -p->n_queued, p->eng->now_us);
    p->q_head = p->q_tail = NULL;
    p->n_queued = 0;
    pod_mark_idle(p);
    p->timer_gen++; /* a pending completion wake-up finds nothing */
    p->timer_at_us = -1;
    return list;
}
