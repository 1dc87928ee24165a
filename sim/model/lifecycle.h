/* lifecycle.h: the Deployment's ReplicaSet and its pods' lives: creation, scheduling onto nodes
 * with capacity, image pull, container start, model load, readiness probe, Ready; deletion of
 * the pods the ReplicaSet controller would pick, and their drain.
 *
 * Contract: a lifecycle sits on top of a service (service.h) and owns one record per pod it
 * knows, from creation until lifecycle_free (records of deleted pods are kept, a few hundred
 * bytes each, so metric pipelines may keep pointers to them). The initial replicas the service
 * created are adopted as Ready pods that started an hour before the run. lifecycle_scale is
 * what the ReplicaSet controller does when spec.replicas changes: create pods, or delete the
 * surplus ranked as upstream's ActivePodsWithRanks (see lifecycle.c). Without a lifecycle_cfg
 * (pod_cfg.lifecycle NULL) a new pod is Running at once and Ready after the pod's `startup`
 * delay. Random draws come from the streams "<service>.lifecycle" and "<service>.uid". */
#ifndef SCALESIM_MODEL_LIFECYCLE_H
#define SCALESIM_MODEL_LIFECYCLE_H

#include <gsl/gsl_rng.h>

#include "sim/control/hpa/pods.h"
#include "sim/engine/dist.h"
#include "sim/model/service.h"

typedef enum {
    LC_UNSCHEDULED, /* Pending, no node (waits for capacity) */
    LC_PULLING,     /* Pending, bound to a node, pulling the image */
    LC_CREATING,    /* Pending, starting the container */
    LC_RUNNING,     /* Running, Ready=False (model loading, probe not yet passed) */
    LC_READY,       /* Running, Ready=True */
    LC_TERMINATING, /* deletionTimestamp set; out of the Service; draining */
} lc_stage;

typedef struct lc_pod {
    int64_t id;    /* creation order in this lifecycle, from 0 */
    char name[80]; /* <service>-<5 random characters>, like a ReplicaSet's pods */
    uint64_t uid;  /* random, for upstream's UID tie-break */
    pod *p;        /* the service's pod (valid memory until service_free) */
    lc_stage stage;
    int node;                    /* -1 until scheduled */
    int64_t created_us;          /* metadata.creationTimestamp */
    int64_t start_us;            /* status.startTime (the kubelet saw it), -1 before */
    int64_t running_us;          /* containers started, -1 before */
    int64_t loaded_us;           /* the model is loaded (the probe can pass), -1 before */
    int64_t ready_transition_us; /* lastTransitionTime of the Ready condition, -1: absent */
    int64_t deleted_us;          /* -1 while alive */
    int probe_successes;
    int waiting;                  /* Pending after its scheduling delay: no node had room */
    int64_t cpu_at_start_core_ns; /* the pod's CPU counter when its containers started */
    int killed_inflight;          /* requests cut off when the grace period ended */
    struct lifecycle *lc;
} lc_pod;

typedef struct lifecycle {
    service *svc;
    engine *eng;
    const lifecycle_cfg *cfg; /* NULL: no stages (the service's startup delay) */
    dist schedule, pull_cold, pull_cached, start, model_load;
    gsl_rng *rng, *rng_uid;
    char svc_name[CFG_NAME_MAX];

    lc_pod **all; /* every pod ever, creation order */
    int n_all, cap_all;
    int n_live; /* not terminating */
    int32_t spec_replicas;
    int *node_pods;    /* pods bound to each node (alive or draining until gone) */
    char *node_cached; /* the image is on the node */
    uint64_t created, deleted, killed_requests;
    /* called when a pod's containers start (metric exporters begin sampling it) */
    void (*on_running)(void *ctx, lc_pod *lp);
    void *hook_ctx;
} lifecycle;

int lifecycle_init(lifecycle *lc, service *svc, const service_cfg *cfg, uint64_t seed,
                   sim_error *err);
void lifecycle_free(lifecycle *lc);

/* The ReplicaSet controller: make the live pod count `replicas`. -1 when out of memory. */
int lifecycle_scale(lifecycle *lc, int32_t replicas);

/* Indices into lc->all of the live pods in deletion preference order (most preferred first),
 * as upstream's ActivePodsWithRanks; out has room for n_live. */
void lifecycle_rank_for_deletion(const lifecycle *lc, int *out);

/* The pod as the HPA reads it (phase, Ready condition and its transition, start time,
 * deletion), with `containers` describing its single container's request of the resource. */
void lifecycle_hpa_pod(const lc_pod *lp, hpa_container *container, int64_t request_milli,
                       hpa_pod *out);

/* Counts for the timeline: pods Pending without a node. */
int lifecycle_unscheduled(const lifecycle *lc);

#endif
