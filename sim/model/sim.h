/* sim.h: one simulation of a scenario: the engine, the service and its pods, the load sources,
 * and the per-second and whole-run accounting, without any I/O (sim/output writes files).
 *
 * sim_model_new builds everything from a scenario_cfg (which must outlive the model);
 * sim_model_run runs the scenario to its horizon, calling observer.second once per simulated
 * second with that second's row (the last row may cover less than a second), then lets requests
 * already sent finish (no new sends) for at most the longest client timeout (60 s without one),
 * so the client-side view is complete; what is still in flight then is counted as unfinished.
 * A duration of 0 runs until every load phase is over, which needs every phase to end (-n, -z or
 * an end time).
 *
 * Row semantics: offered/completed/failed count client sends, successful responses and errors
 * (timeouts, refusals) in the second; latencies are of that second's successful responses;
 * inflight and queued are time averages over the second of requests inside the service (central
 * queue, pod queues, in service; timed-out requests the server still works on included) and of
 * those waiting; pods are counted at the end of the second; cpu_util_pct is CPU used / CPU
 * requested by the pods that existed, time-weighted; memory likewise; pod_seconds is the
 * integral of existing pods over the second.
 *
 * With cfg->hpa.present the model adds the pods' lifecycle (lifecycle.h), the metric pipelines
 * and the HPA controller (hpa_controller.h), which scale the service during the run. */
#ifndef SCALESIM_MODEL_SIM_H
#define SCALESIM_MODEL_SIM_H

#include "sim/model/load.h"

typedef struct sim_second {
    int64_t t_us, dt_us; /* start of the row and its length */
    uint64_t offered, completed, failed;
    int64_t p50_us, p95_us, p99_us; /* 0 when nothing completed */
    double mean_us;
    double inflight, queued;
    int pods_ready, pods_total;
    double cpu_util_pct, mem_util_pct;
    double pod_seconds;
    /* With an HPA (0 / empty otherwise): the Deployment's spec.replicas (what the HPA wrote)
     * and status.replicas (its pods, not terminating), pods Pending without a node, and per
     * HPA metric the true value over the second and the value the HPA saw at its latest sync
     * (NAN before one), both in the target's unit (hpa_controller.h). */
    int has_hpa;
    int32_t desired_replicas, current_replicas;
    int pods_unscheduled;
    int nmetrics;
    double metric_true[HPA_MAX_METRICS], metric_seen[HPA_MAX_METRICS];
    /* With LLM pods (service.pod.llm): output tokens per second, GPU busy % (kernel time, the
     * per-process SM util) and SM_ACTIVE (0..1) over the pods that existed, time-weighted, and
     * the mean running batch per pod over the second. */
    int has_llm;
    double tokens_per_s, gpu_util_pct, sm_active, batch;
} sim_second;

typedef struct sim_observer {
    void (*second)(void *ctx, const sim_second *row);
    void *ctx;
} sim_observer;

typedef struct sim_stats {
    int64_t horizon_us; /* end of the timeline */
    int64_t end_us;     /* end of the drain */
    traffic client;     /* whole run, client side */
    uint64_t timeouts, refused, unfinished;
    uint64_t server_completed;
    double sum_wait_us;    /* queueing before service, over server completions */
    double sum_sojourn_us; /* arrival to completion at the server */
    double pod_seconds;    /* over the timeline */
    double cpu_util_pct;   /* over the timeline */
    double mem_util_pct;
    int pods_ready, pods_total; /* at the horizon */
    uint64_t events;
    uint64_t live_requests; /* records still allocated at the end (0 when all finished) */
    size_t request_slabs;   /* slabs of REQUEST_SLAB records ever allocated */
} sim_stats;

typedef struct sim_model sim_model;
struct hpa_ctl;
struct lifecycle;
struct cron_ctl;
struct keda_ctl;

/* queue_arity: event queue arity (0 = default). NULL with err filled on bad input. */
sim_model *sim_model_new(const scenario_cfg *cfg, int queue_arity, sim_error *err);
void sim_model_free(sim_model *m);

void sim_model_set_observer(sim_model *m, sim_observer obs);
/* Runs the scenario; call it once per model. */
int sim_model_run(sim_model *m, sim_error *err);

const sim_stats *sim_model_stats(const sim_model *m);
size_t sim_model_n_loads(const sim_model *m);
const load_src *sim_model_load(const sim_model *m, size_t i);
engine *sim_model_engine(sim_model *m);
service *sim_model_service(sim_model *m);
/* The HPA controller and the ReplicaSet's pods; NULL when the scenario has no HPA. */
const struct hpa_ctl *sim_model_hpa(const sim_model *m);
const struct lifecycle *sim_model_lifecycle(const sim_model *m);
/* The CronHPA controller (cron_controller.h); NULL when the scenario has no CronHPA. With one,
 * the lifecycle exists too and the rows carry the replica columns. */
const struct cron_ctl *sim_model_cron(const sim_model *m);
/* KEDA's cron triggers (cron_controller.h keda_ctl); NULL without a "keda" section. */
const struct keda_ctl *sim_model_keda(const sim_model *m);
/* The simulated wall-clock instant of t = 0 (scenario "start"; default 2024-01-01T00:00:00 in
 * the CronHPA controller's zone, UTC without a CronHPA), microseconds since the Unix epoch. */
int64_t sim_start_unix_us(const scenario_cfg *cfg);
/* Sets the HPA controller's per-sync observer (hpa_controller.h on_sync); no-op without HPA. */
void sim_model_set_sync_observer(sim_model *m,
                                 void (*fn)(void *ctx, const hpa_inputs *in, const hpa_decision *d),
                                 void *ctx);

#endif
