/* lifecycle.c: see lifecycle.h. Upstream rules restated here:
 * - Pod phase and conditions (kubernetes v1.28 pkg/kubelet/status/generate.go, kubelet_pods.go):
 *   a pod is Pending until its containers have started, Running after; the kubelet sets
 *   status.startTime and Ready=False (ContainersNotReady) when it first handles the pod, so an
 *   unscheduled pod has neither; Ready=True when every container's readiness probe passed.
 * - Readiness probe (pkg/kubelet/prober/worker.go): the worker probes every periodSeconds from
 *   when the kubelet starts it, the first time at once; results before initialDelaySeconds after
 *   the container started are skipped; successThreshold consecutive successes make it Ready.
 * - Victims of a scale-down (pkg/controller/replicaset/replica_set.go getPodsToDelete with
 *   pkg/controller/controller_utils.go ActivePodsWithRanks.Less, v1.28; LogarithmicScaleDown
 *   on, beta since v1.22): unassigned before assigned; Pending before Running; not Ready before
 *   Ready; more co-located pods of the set on the node first; Ready for a shorter time first,
 *   compared in log2 buckets of age, ties by UID; then newer before older, same buckets, UID.
 *   Pod-deletion-cost and restart counts are equal for every simulated pod. */
#include "sim/model/lifecycle.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/rng.h"

/* The initial replicas have run this long when the scenario starts. */
#define ADOPTED_AGE_US (3600 * INT64_C(1000000))
#define NO_TIME        INT64_C(-1)

static const lifecycle_cfg *cfg_of(const lifecycle *lc) {
    return lc->cfg;
}

static int grow(lifecycle *lc) {
    if (lc->n_all < lc->cap_all)
        return 0;
    int cap = lc->cap_all ? lc->cap_all * 2 : 16;
    lc_pod **a = realloc(lc->all, (size_t)cap * sizeof *a);
    if (a == NULL)
        return -1;
    lc->all = a;
    lc->cap_all = cap;
    return 0;
}

static lc_pod *new_record(lifecycle *lc, pod *p) {
    if (grow(lc) < 0)
        return NULL;
    lc_pod *lp = calloc(1, sizeof *lp);
    if (lp == NULL)
        return NULL;
    static const char alnum[] = "bcdfghjklmnpqrstvwxz2456789"; /* as k8s rand.String */
    char suffix[6];
    for (int i = 0; i < 5; i++)
        suffix[i] = alnum[gsl_rng_uniform_int(lc->rng_uid, sizeof alnum - 1)];
    suffix[5] = 0;
    lp->id = lc->n_all;
    snprintf(lp->name, sizeof lp->name, "%s-%s", lc->svc_name, suffix);
    lp->uid = ((uint64_t)gsl_rng_get(lc->rng_uid) << 32) ^ gsl_rng_get(lc->rng_uid);
    lp->p = p;
    lp->node = -1;
    lp->created_us = lp->start_us = lp->running_us = lp->loaded_us = NO_TIME;
    lp->ready_transition_us = lp->deleted_us = NO_TIME;
    lp->lc = lc;
    lc->all[lc->n_all++] = lp;
    return lp;
}

static int64_t draw(lifecycle *lc, const dist *d) {
    double v = dist_sample(d, lc->rng);
    return v > 0 ? (int64_t)v : 0;
}

static void on_probe(engine *eng, void *obj, uint64_t arg);
static void on_started(engine *eng, void *obj, uint64_t arg);
static void on_pulled(engine *eng, void *obj, uint64_t arg);
static void on_schedule(engine *eng, void *obj, uint64_t arg);

/* The kubelet has the pod: startTime, Ready=False, image pull. */
static int node_count(const lifecycle *lc);

static void bind(lifecycle *lc, lc_pod *lp, int node) {
    int64_t now = lc->eng->now_us;
    lp->node = node;
    if (node_count(lc) > 0)
        lc->node_pods[node]++;
    lp->stage = LC_PULLING;
    lp->start_us = now;
    lp->ready_transition_us = now;
    int cached = cfg_of(lc)->nodes == 0 || lc->node_cached[node];
    engine_after(lc->eng, draw(lc, cached ? &lc->pull_cached : &lc->pull_cold), on_pulled, lp, 0);
    /* the probe worker starts with the pod on the kubelet: first probe now, then every period */
    engine_at(lc->eng, now, on_probe, lp, 0);
}

/* Least allocated node with room (kube-scheduler's default scoring spreads), lowest index on
 * ties; -1 when every node is full. Unlimited capacity: a node of its own per pod. */
static int pick_node(lifecycle *lc, const lc_pod *lp) {
    const lifecycle_cfg *c = cfg_of(lc);
    if (c->nodes == 0)
        return (int)lp->id;
    int best = -1;
    for (int i = 0; i < c->nodes; i++)
        if (lc->node_pods[i] < c->pods_per_node &&
            (best < 0 || lc->node_pods[i] < lc->node_pods[best]))
            best = i;
    return best;
}

static int node_count(const lifecycle *lc) {
    return lc->cfg && lc->cfg->nodes > 0 ? lc->cfg->nodes : 0;
}

static void on_schedule(engine *eng, void *obj, uint64_t arg) {
    (void)eng;
    (void)arg;
    lc_pod *lp = obj;
    lifecycle *lc = lp->lc;
    if (lp->stage != LC_UNSCHEDULED)
        return;
    int node = pick_node(lc, lp);
    if (node >= 0)
        bind(lc, lp, node);
    else
        lp->waiting = 1;
    /* else it waits (FailedScheduling) until a node frees a slot: release_node */
}

static void release_node(lifecycle *lc, lc_pod *lp) {
    if (lp->node < 0 || node_count(lc) == 0)
        return;
    lc->node_pods[lp->node]--;
    /* the scheduler retries pending pods when capacity frees, oldest first */
    for (int i = 0; i < lc->n_all; i++) {
        lc_pod *w = lc->all[i];
        if (w->stage == LC_UNSCHEDULED && w->waiting) {
            int node = pick_node(lc, w);
            if (node < 0)
                break;
            w->waiting = 0;
            bind(lc, w, node);
        }
    }
}

static void on_pulled(engine *eng, void *obj, uint64_t arg) {
    (void)eng;
    (void)arg;
    lc_pod *lp = obj;
    lifecycle *lc = lp->lc;
    if (lp->stage != LC_PULLING)
        return;
    if (node_count(lc) > 0)
        lc->node_cached[lp->node] = 1;
    lp->stage = LC_CREATING;
    engine_after(lc->eng, draw(lc, &lc->start), on_started, lp, 0);
}

static void on_started(engine *eng, void *obj, uint64_t arg) {
    (void)arg;
    lc_pod *lp = obj;
    lifecycle *lc = lp->lc;
    if (lp->stage != LC_CREATING)
        return;
    lp->stage = LC_RUNNING;
    lp->running_us = eng->now_us;
    pod_sync(lp->p);
    lp->cpu_at_start_core_ns = lp->p->cpu_usage_core_ns;
    lp->loaded_us = eng->now_us + draw(lc, &lc->model_load);
    if (lc->on_running)
        lc->on_running(lc->hook_ctx, lp);
}

static void on_probe(engine *eng, void *obj, uint64_t arg) {
    (void)arg;
    lc_pod *lp = obj;
    lifecycle *lc = lp->lc;
    const lifecycle_cfg *c = cfg_of(lc);
    if (lp->stage == LC_READY || lp->stage == LC_TERMINATING)
        return; /* after Ready a failing probe is not modelled: the server stays up */
    int64_t now = eng->now_us;
    if (lp->stage == LC_RUNNING && now - lp->running_us >= c->probe_initial_delay_us) {
        if (now >= lp->loaded_us) {
            if (++lp->probe_successes >= c->probe_success_threshold) {
                lp->stage = LC_READY;
                lp->ready_transition_us = now;
                service_pod_ready(lc->svc, lp->p);
                return;
            }
        } else {
            lp->probe_successes = 0;
        }
    }
    engine_after(eng, c->probe_period_us, on_probe, lp, 0);
}

/* No lifecycle: Running at creation, Ready after the service's start-up delay. */
static void on_plain_ready(engine *eng, void *obj, uint64_t arg) {
    (void)arg;
    lc_pod *lp = obj;
    if (lp->stage != LC_RUNNING)
        return;
    lp->stage = LC_READY;
    lp->ready_transition_us = eng->now_us;
    service_pod_ready(lp->lc->svc, lp->p);
}

static int create_pod(lifecycle *lc) {
    pod *p = service_add_pod(lc->svc, POD_START_MANUAL);
    if (p == NULL)
        return -1;
    lc_pod *lp = new_record(lc, p);
    if (lp == NULL)
        return -1;
    int64_t now = lc->eng->now_us;
    lp->created_us = now;
    lc->n_live++;
    lc->created++;
    if (lc->cfg == NULL) {
        lp->stage = LC_RUNNING;
        lp->node = (int)lp->id;
        lp->start_us = lp->running_us = lp->ready_transition_us = now;
        lp->cpu_at_start_core_ns = p->cpu_usage_core_ns;
        double d = dist_sample(&lc->svc->startup, lc->svc->rng_startup);
        lp->loaded_us = now + (d > 0 ? (int64_t)d : 0);
        engine_at(lc->eng, lp->loaded_us, on_plain_ready, lp, 0);
        if (lc->on_running)
            lc->on_running(lc->hook_ctx, lp);
        return 0;
    }
    lp->stage = LC_UNSCHEDULED;
    engine_after(lc->eng, draw(lc, &lc->schedule), on_schedule, lp, 0);
    return 0;
}

static void on_grace_end(engine *eng, void *obj, uint64_t arg) {
    (void)eng;
    (void)arg;
    lc_pod *lp = obj;
    /* the kubelet kills the container: what it still holds fails (service_kill_pod) */
    lp->killed_inflight = service_kill_pod(lp->lc->svc, lp->p);
    lp->lc->killed_requests += (uint64_t)lp->killed_inflight;
}

static void delete_pod(lifecycle *lc, lc_pod *lp) {
    lp->stage = LC_TERMINATING;
    lp->deleted_us = lc->eng->now_us;
    lc->n_live--;
    lc->deleted++;
    service_remove_pod(lc->svc, lp->p);
    release_node(lc, lp);
    int64_t grace = lc->cfg ? lc->cfg->termination_grace_us : 30 * INT64_C(1000000);
    engine_after(lc->eng, grace, on_grace_end, lp, 0);
}

int lifecycle_init(lifecycle *lc, service *svc, const service_cfg *cfg, uint64_t seed,
                   sim_error *err) {
    memset(lc, 0, sizeof *lc);
    lc->svc = svc;
    lc->eng = svc->eng;
    lc->cfg = cfg->pod.lifecycle;
    snprintf(lc->svc_name, sizeof lc->svc_name, "%s", cfg->name);
    char name[CFG_NAME_MAX + 32];
    snprintf(name, sizeof name, "%s.lifecycle", cfg->name);
    lc->rng = rng_stream_new(seed, name);
    snprintf(name, sizeof name, "%s.uid", cfg->name);
    lc->rng_uid = rng_stream_new(seed, name);
    if (lc->rng == NULL || lc->rng_uid == NULL)
        return error_set(err, "out of memory creating random streams");
    const lifecycle_cfg *c = lc->cfg;
    if (c != NULL) {
        if (dist_init(&lc->schedule, &c->schedule_us, "service.pod.lifecycle.schedule", err) < 0 ||
            dist_init(&lc->pull_cold, &c->pull_cold_us, "service.pod.lifecycle.pull_cold", err) <
                0 ||
            dist_init(&lc->pull_cached, &c->pull_cached_us, "service.pod.lifecycle.pull_cached",
                      err) < 0 ||
            dist_init(&lc->start, &c->start_us, "service.pod.lifecycle.start", err) < 0 ||
            dist_init(&lc->model_load, &c->model_load_us, "service.pod.lifecycle.model_load", err) <
                0)
            return -1;
        if (c->probe_period_us <= 0)
            return error_set(err, "service.pod.lifecycle.probe.period: must be > 0");
        if (c->probe_success_threshold < 1)
            return error_set(err, "service.pod.lifecycle.probe.success_threshold: must be >= 1");
        if (c->nodes < 0 || (c->nodes > 0 && c->pods_per_node < 1))
            return error_set(err, "service.pod.lifecycle: nodes must be >= 0 and pods_per_node "
                                  ">= 1");
        if (c->nodes > 0) {
            lc->node_pods = calloc((size_t)c->nodes, sizeof *lc->node_pods);
            lc->node_cached = calloc((size_t)c->nodes, 1);
            if (lc->node_pods == NULL || lc->node_cached == NULL)
                return error_set(err, "out of memory");
            if ((int64_t)c->nodes * c->pods_per_node < cfg->replicas)
                return error_set(err,
                                 "service.replicas: %d pods do not fit on %d node%s of %d pod%s "
                                 "each",
                                 cfg->replicas, c->nodes, c->nodes == 1 ? "" : "s",
                                 c->pods_per_node, c->pods_per_node == 1 ? "" : "s");
        }
    }
    /* Adopt the Deployment's existing pods: Ready, started an hour ago, spread over nodes. */
    for (int i = 0; i < svc->n_pods; i++) {
        lc_pod *lp = new_record(lc, svc->pods[i]);
        if (lp == NULL)
            return error_set(err, "out of memory");
        lp->stage = LC_READY;
        lp->created_us = lp->start_us = lp->running_us = lp->loaded_us = -ADOPTED_AGE_US;
        lp->ready_transition_us = -ADOPTED_AGE_US;
        if (node_count(lc) > 0) {
            lp->node = pick_node(lc, lp);
            lc->node_pods[lp->node]++;
            lc->node_cached[lp->node] = 1;
        } else {
            lp->node = (int)lp->id;
        }
        lc->n_live++;
    }
    lc->spec_replicas = cfg->replicas;
    return 0;
}

void lifecycle_free(lifecycle *lc) {
    for (int i = 0; i < lc->n_all; i++)
        free(lc->all[i]);
    free(lc->all);
    free(lc->node_pods);
    free(lc->node_cached);
    if (lc->rng)
        gsl_rng_free(lc->rng);
    if (lc->rng_uid)
        gsl_rng_free(lc->rng_uid);
    memset(lc, 0, sizeof *lc);
}

/* ---- deletion ranking ---- */

typedef struct rank_ctx {
    const lifecycle *lc;
    const int *colocated; /* per pod index into all */
    int64_t now_us;
} rank_ctx;

static int phase_ordinal(const lc_pod *lp) {
    return lp->stage >= LC_RUNNING ? 2 : 0; /* Pending 0, Unknown 1 (never), Running 2 */
}

static int64_t log_rank(int64_t t_us, int64_t now_us) {
    int64_t d_ns = (now_us - t_us) * 1000; /* Go compares time.Duration (ns) */
    return d_ns > 0 ? (int64_t)log2((double)d_ns) : -1;
}

/* < 0 when a should be deleted before b (upstream's Less(a, b)), > 0 when b before a. */
static int compare(const rank_ctx *c, int ia, int ib) {
    const lc_pod *a = c->lc->all[ia], *b = c->lc->all[ib];
    int aa = a->node >= 0, ba = b->node >= 0;
    if (aa != ba)
        return aa ? 1 : -1; /* 1. unassigned first */
    int pa = phase_ordinal(a), pb = phase_ordinal(b);
    if (pa != pb)
        return pa < pb ? -1 : 1; /* 2. Pending < Unknown < Running */
    int ra = a->stage == LC_READY, rb = b->stage == LC_READY;
    if (ra != rb)
        return ra ? 1 : -1; /* 3. not Ready first */
    if (c->colocated[ia] != c->colocated[ib])
        return c->colocated[ia] > c->colocated[ib] ? -1 : 1; /* 5. doubled up first */
    if (ra && rb && a->ready_transition_us != b->ready_transition_us) {
        int64_t d = log_rank(a->ready_transition_us, c->now_us) -
                    log_rank(b->ready_transition_us, c->now_us);
        if (d != 0)
            return d < 0 ? -1 : 1; /* 6. Ready for less time first */
        return a->uid < b->uid ? -1 : 1;
    }
    if (a->created_us != b->created_us) {
        int64_t d = log_rank(a->created_us, c->now_us) - log_rank(b->created_us, c->now_us);
        if (d != 0)
            return d < 0 ? -1 : 1; /* 8. newer first */
        return a->uid < b->uid ? -1 : 1;
    }
    return a->id > b->id ? -1 : (a->id < b->id); /* Go's sort is not stable; any fixed order */
}

void lifecycle_rank_for_deletion(const lifecycle *lc, int *out) {
    int n = 0;
    int *colocated = calloc((size_t)(lc->n_all ? lc->n_all : 1), sizeof *colocated);
    for (int i = 0; i < lc->n_all; i++)
        if (lc->all[i]->stage != LC_TERMINATING)
            out[n++] = i;
    if (colocated != NULL) {
        /* rank = active pods of the set on the same node (getPodsRankedByRelatedPodsOnSameNode) */
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (lc->all[out[j]]->node == lc->all[out[i]]->node && lc->all[out[i]]->node >= 0)
                    colocated[out[i]]++;
    }
    rank_ctx c = {lc, colocated, lc->eng->now_us};
    static const int zero = 0;
    if (colocated == NULL)
        c.colocated = &zero; /* out of memory: only index 0 may be read; treat all equal */
    /* insertion sort: n is a Deployment's size, and the order must be exact */
    for (int i = 1; i < n; i++) {
        int v = out[i], j = i;
        while (j > 0 && (colocated ? compare(&c, v, out[j - 1]) < 0 : 0)) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = v;
    }
    free(colocated);
}

int lifecycle_scale(lifecycle *lc, int32_t replicas) {
    lc->spec_replicas = replicas;
    while (lc->n_live < replicas)
        if (create_pod(lc) < 0)
            return -1;
    if (lc->n_live > replicas) {
        int *order = malloc((size_t)lc->n_live * sizeof *order);
        if (order == NULL)
            return -1;
        lifecycle_rank_for_deletion(lc, order);
        int surplus = lc->n_live - replicas;
        for (int i = 0; i < surplus; i++)
            delete_pod(lc, lc->all[order[i]]);
        free(order);
    }
    return 0;
}

void lifecycle_hpa_pod(const lc_pod *lp, hpa_container *container, int64_t request_milli,
                       hpa_pod *out) {
    memset(out, 0, sizeof *out);
    memset(container, 0, sizeof *container);
    container->name = "kserve-container";
    container->has_request = request_milli > 0;
    container->request_milli = request_milli;
    out->name = lp->name;
    out->phase = lp->stage >= LC_RUNNING && lp->running_us != NO_TIME ? HPA_PHASE_RUNNING
                                                                      : HPA_PHASE_PENDING;
    if (lp->ready_transition_us == NO_TIME)
        out->ready = HPA_READY_ABSENT;
    else
        out->ready = lp->stage == LC_READY ? HPA_READY_TRUE : HPA_READY_FALSE;
    out->ready_transition_us = lp->ready_transition_us;
    out->has_start_time = lp->start_us != NO_TIME;
    out->start_time_us = lp->start_us;
    out->deleted = lp->stage == LC_TERMINATING;
    out->containers = container;
    out->ncontainers = 1;
}

int lifecycle_unscheduled(const lifecycle *lc) {
    int n = 0;
    for (int i = 0; i < lc->n_all; i++)
        n += lc->all[i]->stage == LC_UNSCHEDULED;
    return n;
}
