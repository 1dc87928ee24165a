/* service.h: a Kubernetes Service in front of a Deployment's pods, and how it balances.
 *
 * Balancers (config.h balancer_kind): random picks a uniform Ready endpoint (kube-proxy iptables
 * mode); round-robin cycles over the Ready endpoints (IPVS rr); least-requests picks the Ready
 * pod with the fewest requests in flight, ties to the oldest pod; queue holds every request in
 * one central FIFO and hands it to a Ready pod with a free concurrency slot (a gateway or
 * activator), so a pod never queues locally.
 *
 * With no Ready endpoint a request through random/rr/least-requests is refused (kube-proxy
 * REJECTs connections to a Service without endpoints); the service calls hooks.refused and the
 * caller decides what the client sees. Pods can be added and removed while the simulation runs:
 * service_add_pod creates one (Ready at once, or after its start-up delay), service_remove_pod
 * takes it out of the endpoints at once and retires it when its in-flight requests have drained
 * (a retired pod's record, about 200 bytes, is kept until service_free).
 * The endpoint list stays in pod creation order so every balancer is deterministic. */
#ifndef SCALESIM_MODEL_SERVICE_H
#define SCALESIM_MODEL_SERVICE_H

#include <gsl/gsl_rng.h>

#include "sim/engine/dist.h"
#include "sim/model/pod.h"

#define SERVICE_MAX_PODS 100000 /* a sanity bound, far above any real Deployment */

typedef struct service_hooks {
    void (*done)(void *ctx, request *r);    /* the server completed r */
    void (*refused)(void *ctx, request *r); /* no Ready endpoint */
    void *ctx;
} service_hooks;

typedef struct service {
    balancer_kind balancer;
    pod_cfg pod_cfg; /* borrowed pointers (demand samples) stay the scenario's */
    dist startup;    /* pod start-up delay */
    dist demand;     /* CPU per request */
    gsl_rng *rng_balancer, *rng_startup, *rng_demand;
    engine *eng;
    occupancy occ;
    service_hooks hooks;

    pod **pods; /* every live pod (starting, ready, terminating), creation order */
    int n_pods, cap_pods;
    pod *gone;   /* removed pods, freed with the service */
    pod **ready; /* the endpoints: Ready pods, creation order */
    int n_ready;
    /* Balancer queue: bit i of idle_bits is set while ready[i] has nothing in service; the pods
     * keep their bit current (pod_mark_idle), so finding the first idle endpoint is a scan of
     * words instead of pods. Bits are laid out again whenever the endpoints change. */
    uint64_t *idle_bits; /* cap_pods bits */
    int rr_next;
    int64_t next_uid;

    request *cq_head, *cq_tail; /* central queue (balancer queue) */

    int64_t cpu_usage_gone_core_ns; /* usage of pods already removed */
    uint64_t refused;
    uint64_t cancelled;            /* left the central queue because their client timed out */
    struct llm_totals *llm_totals; /* LLM pods: TTFT, TPOT, tokens over all pods (llm.h) */
} service;

/* Validates the service config, makes its random streams (named "<name>.balancer",
 * "<name>.startup", "<name>.demand") and creates cfg->replicas pods, Ready at time 0 (the
 * Deployment exists before the scenario starts). */
int service_init(service *s, const service_cfg *cfg, uint64_t seed, engine *eng,
                 service_hooks hooks, sim_error *err);
void service_free(service *s);

/* Routes a request that the client has just sent. Draws its CPU demand. -1: out of memory. */
int service_submit(service *s, request *r);

/* The client of r gave up. A request still waiting in the central queue is taken out (a gateway
 * or the Knative activator sees the connection close and stops holding it): returns 1 and the
 * caller frees r. Otherwise returns 0: a pod has it and will finish it. */
int service_cancel(service *s, request *r);

/* How a new pod becomes Ready. */
typedef enum {
    POD_START_READY,   /* at once (the scenario's initial replicas) */
    POD_START_DELAYED, /* after a delay drawn from the service's start-up distribution */
    POD_START_MANUAL,  /* when the caller says so (service_pod_ready): a lifecycle model */
} pod_start;

/* Creates a pod now (state STARTING until Ready). NULL when out of memory. */
pod *service_add_pod(service *s, pod_start how);

/* Makes a STARTING pod Ready now (for POD_START_MANUAL); does nothing in any other state. */
void service_pod_ready(service *s, pod *p);

/* Removes p from the endpoints now; it finishes what it holds and is then freed. */
void service_remove_pod(service *s, pod *p);

/* A removed pod that has drained (or was killed) and been retired: its record stays valid until
 * service_free, but it holds nothing and is no longer one of the service's pods. */
static inline int service_pod_retired(const pod *p) {
    return p->hooks.ctx == NULL;
}

/* The grace period of a removed pod p ended (terminationGracePeriodSeconds): its container is
 * killed; every request it still holds goes to hooks.refused (the client sees the connection
 * fail) and the pod is retired. Returns how many requests were cut off; 0 when p had drained. */
int service_kill_pod(service *s, pod *p);

/* Brings every pod's counters to now; returns total CPU used so far (core-ns), removed pods too. */
int64_t service_cpu_usage_core_ns(service *s);

#endif
