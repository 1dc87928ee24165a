/* pod.h: one pod of the service: CPU processor sharing, a concurrency cap with a FIFO queue,
 * and the counters a metrics pipeline samples (cumulative CPU, memory in use).
 *
 * CPU model. The pod may use `limit` cores (no limit: one core per request). The idle baseline
 * is always consumed; requests share the rest (usable = limit - idle), each request at most one
 * core: with n requests in service each progresses at rate min(1, usable / n) cores. This is
 * egalitarian processor sharing, kept in virtual time: V advances at that per-request rate, a
 * request that starts at V0 with demand d finishes when V reaches V0 + d, and the in-service
 * requests sit in a min-heap on that finish tag. Arrivals and completions cost O(log n); only
 * one wake-up per pod is pending in the engine: when n grows (completions move later) the
 * pending wake-up is kept and re-checks when it fires; when n shrinks it is rescheduled earlier
 * (an old event is cancelled lazily through `timer_gen`). A pod of concurrency 1 takes a
 * shorter path to the same model: its one request runs at a constant rate, so it finishes
 * ceil(demand / rate) us after it starts, scheduled exactly, with no virtual time or heap (the
 * general path reaches the same instant up to the rounding of V + demand in doubles: in two
 * 24 h runs of 9.5 M requests, 16 and 39 of the 86,400 timeline rows differed in a last digit).
 *
 * Counters: `cpu_usage_core_ns` is cumulative CPU in core-nanoseconds (1 millicore for 1 us),
 * like cAdvisor's container_cpu_usage_seconds_total; it is exact up to `t_last_us` and
 * pod_sync(now) brings it forward. Memory in use is base + per_request * in-flight (in service
 * plus queued at the pod). CPU utilisation as the HPA sees it is usage / request.
 *
 * A pod does not know who sent a request: it calls hooks->done when one completes, and
 * hooks->slot_free when it could take more work than its own queue holds. */
#ifndef SCALESIM_MODEL_POD_H
#define SCALESIM_MODEL_POD_H

#include <limits.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "common/error.h"
#include "sim/engine/engine.h"
#include "sim/model/request.h"
#include "sim/scenario/config.h"

struct pod;
struct llm_engine;

typedef enum { POD_STARTING, POD_READY, POD_TERMINATING } pod_state;

/* Requests inside the service and their time integrals (request-microseconds), shared by all
 * pods of a service and its central queue, for time-averaged in-flight and queue lengths.
 *
 * An integral is kept as base + count * now: a change of a count by d at time t adds -d * t to
 * its base (occupancy_add_*), so the integral of the count over [0, now] is base + count * now
 * (occupancy_areas_at) without any bookkeeping when time passes. The same integers as summing
 * count * dt over every interval, one multiply-add per change instead of four per touch. Every
 * change of in_service, pod_queued, central and pods goes through these functions. */
typedef struct occupancy {
    int64_t in_service, pod_queued, central;
    int64_t pods, pods_ready;
    int64_t base_in_service, base_pod_queued, base_central, base_pods; /* see above */
    /* LLM pods only (llm.h), brought forward by pod_sync: output tokens emitted, GPU
     * kernel-busy microseconds, SM_ACTIVE integral, running batch integral over step time */
    uint64_t llm_tokens;
    double llm_busy_us, llm_sm_active_us, llm_batch_area_us;
} occupancy;

static inline void occupancy_add_in_service(occupancy *o, int64_t d, int64_t now_us) {
    o->in_service += d;
    o->base_in_service -= d * now_us;
}
static inline void occupancy_add_pod_queued(occupancy *o, int64_t d, int64_t now_us) {
    o->pod_queued += d;
    o->base_pod_queued -= d * now_us;
}
static inline void occupancy_add_central(occupancy *o, int64_t d, int64_t now_us) {
    o->central += d;
    o->base_central -= d * now_us;
}
static inline void occupancy_add_pods(occupancy *o, int64_t d, int64_t now_us) {
    o->pods += d;
    o->base_pods -= d * now_us;
}

/* The time integrals over [0, now_us] (now_us not before the latest change). */
typedef struct occupancy_areas {
    int64_t in_service, pod_queued, central;
    int64_t pods; /* pod-microseconds */
} occupancy_areas;

static inline occupancy_areas occupancy_areas_at(const occupancy *o, int64_t now_us) {
    return (occupancy_areas){
        o->base_in_service + o->in_service * now_us, o->base_pod_queued + o->pod_queued * now_us,
        o->base_central + o->central * now_us, o->base_pods + o->pods * now_us};
}

/* done(done_ctx, r): r is complete (the service passes its client's hook straight through, so a
 * response costs one indirect call); slot_free(ctx, p): p could take more work. */
typedef struct pod_hooks {
    void (*done)(void *done_ctx, request *r);
    void *done_ctx;
    void (*slot_free)(void *ctx, struct pod *p);
    void *ctx;
} pod_hooks;

typedef struct pod {
    int64_t uid; /* creation order within the service, from 0 */
    pod_state state;
    int64_t created_us, ready_us; /* ready_us: -1 until Ready */

    int64_t limit_milli; /* 0: no limit */
    int64_t idle_milli, request_milli;
    int64_t usable_milli; /* limit - idle; unused without limit */
    int concurrency;      /* 0: unlimited */
    /* Derived once from the three above, for the hot path: */
    int slot_limit;    /* concurrency, INT_MAX when unlimited: a slot is free while n_ps < it */
    int full_rate_max; /* the most requests in service that each still get a full core:
                          usable / 1000, INT_MAX without a limit */
    /* concurrency 1 (and not an LLM server): at most one request in service, progressing at
     * the constant single_rate cores, so its completion is known when it starts and the pod
     * keeps no virtual time (pod.c, the single-slot path) */
    int single;
    double single_rate;
    int64_t memory_base_bytes, memory_per_request_bytes;

    double vtime;      /* virtual time: core-us of service each in-service request has had */
    int64_t t_last_us; /* vtime and the counters are exact at this time */
    request **ps;      /* in service: min-heap on (tag, id) */
    int n_ps, cap_ps;
    request *q_head, *q_tail; /* waiting for a concurrency slot */
    int n_queued;

    int64_t timer_at_us; /* scheduled completion, -1 when none */
    uint32_t timer_gen;

    int64_t cpu_usage_core_ns;
    uint64_t completed;

    engine *eng;
    occupancy *occ;
    pod_hooks hooks;
    struct pod *next_gone;  /* the service's list of retired pods */
    int ready_pending;      /* a start-up event will make it Ready */
    struct llm_engine *llm; /* non-NULL: an LLM server (llm.h) instead of the CPU model; it keeps
                               n_queued = requests in flight and n_ps = 0 */
    uint64_t *idle_word;    /* the owner's idle map (service.h), NULL when it keeps none: */
    uint64_t idle_bit;      /* the pod keeps this bit set exactly while n_ps == 0 */
} pod;

/* Brings the owner's idle bit up to date after n_ps changed. */
static inline void pod_mark_idle(pod *p) {
    if (p->idle_word == NULL)
        return;
    if (p->n_ps == 0)
        *p->idle_word |= p->idle_bit;
    else
        *p->idle_word &= ~p->idle_bit;
}

/* Sets up an idle pod (state STARTING) created at now. Does not allocate; with cfg->llm the
 * caller attaches the LLM engine with pod_attach_llm. */
void pod_init(pod *p, int64_t uid, const pod_cfg *cfg, engine *eng, occupancy *occ,
              pod_hooks hooks);
/* Makes p an LLM server (cfg->llm), drawing token counts from rng. -1 and err on failure. */
struct llm_totals;
int pod_attach_llm(pod *p, const pod_cfg *cfg, gsl_rng *rng, struct llm_totals *totals,
                   sim_error *err);
void pod_free(pod *p);

/* Takes a request: starts it when a slot is free, else queues it. -1 when out of memory. */
int pod_accept(pod *p, request *r);

/* Brings vtime and the counters forward to the engine's now. */
void pod_sync(pod *p);

/* Takes every request out of the pod (in service and queued at the pod), as when its container
 * is killed, and returns them linked through qnext; the pod is left idle with no wake-up
 * pending. The caller tells their clients. */
request *pod_abort(pod *p);

static inline int pod_in_flight(const pod *p) {
    return p->n_ps + p->n_queued;
}
static inline int pod_has_slot(const pod *p) {
    return p->n_ps < p->slot_limit;
}

/* Current usage rate in millicores (idle baseline included). */
int64_t pod_usage_milli(const pod *p);

/* Memory in use now: base + per request in flight (in service or queued at the pod). */
static inline int64_t pod_memory_bytes(const pod *p) {
    return p->memory_base_bytes + p->memory_per_request_bytes * pod_in_flight(p);
}

#endif
