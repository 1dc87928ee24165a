/* cron_controller.h: the ACK CronHPA controller in the simulation: it keeps the simulated wall
 * clock (t = 0 is cfg start_unix_us), schedules each job's next fire in the controller's zone as
 * an engine event, and at each fire applies cronhpa.h's rules to the Deployment (through the
 * ReplicaSet, lifecycle_scale) or to the HPA's min/max (hpa_ctl) and its workload, keeping
 * each job's condition (state, message, lastProbeTime), the events the controller emits and
 * warnings wherever a documented upstream quirk changed the outcome.
 *
 * Contract: cron_ctl_init takes a cronhpa_cfg with present = 1, the lifecycle of the service and
 * the HPA controller (NULL without one; required when the target is an HPA). Timing follows
 * upstream's engine (README 1.3): next fire = Next(wake-up instant), no catch-up, a run-once job
 * fires once (whatever its outcome) and is then removed. A failed scale is retried for 10 s
 * (every 3 s: 4 tries) before the job is marked Failed. Nothing here prints. */
#ifndef SCALESIM_MODEL_CRON_CONTROLLER_H
#define SCALESIM_MODEL_CRON_CONTROLLER_H

#include "sim/control/cron/cronhpa.h"
#include "sim/model/hpa_controller.h"
#include "sim/model/lifecycle.h"
#include "sim/scenario/config.h"

#define CRON_CTL_FROM "cron-horizontal-pod-autoscaler"

typedef struct cron_ctl_event {
    int64_t t_us; /* simulated time */
    int warning;  /* Warning (Failed) or Normal (Succeed) */
    const char *reason;
    char message[CRONHPA_MSG_MAX];
} cron_ctl_event;

/* One fire, for tests and the timeline of what the controller did. */
typedef struct cron_ctl_fire {
    int64_t t_us;
    int job;
    cronhpa_state state;
    int32_t replicas_after;       /* the workload's spec.replicas after the fire */
    int32_t min_after, max_after; /* the HPA's, when the target is one (else 0) */
} cron_ctl_fire;

typedef struct cron_ctl_warning {
    int64_t t_us;
    char text[CRONHPA_MSG_MAX + 96];
} cron_ctl_warning;

typedef struct cron_ctl_job {
    const cronhpa_job_cfg *cfg;
    cron_schedule sched;
    int parsed;
    cronhpa_state state;
    char message[CRONHPA_MSG_MAX];
    int64_t last_probe_us;
    char job_id[40];
    int removed;     /* run-once job done, or never scheduled */
    int64_t next_us; /* simulated time of the next fire, -1 when none */
    uint64_t fires;
} cron_ctl_job;

typedef struct cron_ctl {
    const cronhpa_cfg *cfg;
    cron_zone *zone;
    int64_t start_unix_us;
    int target_hpa;
    int hpa_zero_ok; /* HPAScaleToZero taken as enabled (the HPA's own minReplicas is 0) */
    lifecycle *lc;
    hpa_ctl *hpa;
    engine *eng;
    cron_ctl_job *jobs;
    size_t n_jobs;
    cron_schedule *excl;
    const cron_schedule **excl_of; /* parsed excludes, in spec order */
    int *excl_idx;                 /* spec index of each parsed exclude */
    int n_excl;

    cron_ctl_event *events;
    size_t n_events, cap_events;
    cron_ctl_fire *fires;
    size_t n_fires, cap_fires;
    cron_ctl_warning *warnings;
    size_t n_warnings, cap_warnings;
} cron_ctl;

int cron_ctl_init(cron_ctl *c, const cronhpa_cfg *cfg, int64_t start_unix_us, lifecycle *lc,
                  hpa_ctl *hpa, uint64_t seed, sim_error *err);
void cron_ctl_free(cron_ctl *c);

/* The wall clock of simulated time t in the controller's zone, RFC 3339 (buf: 40 bytes). */
void cron_ctl_wall(const cron_ctl *c, int64_t t_us, char *buf, size_t size);

/* KEDA's cron triggers as KEDA's metrics server answers the HPA's External metric queries:
 * desiredReplicas while keda_cron_active (cronhpa.h) says the window is on, else 0 (KEDA >=
 * 2.18), evaluated at the query instant on the simulated wall clock in the trigger's zone.
 * Install with hpa->keda_value = keda_ctl_value, hpa->keda_ctx = k. */
typedef struct keda_ctl {
    const keda_cfg *cfg;
    int64_t start_unix_us;
    cron_zone **zones;
    cron_schedule *start, *end;
    int trigger_of[HPA_MAX_METRICS]; /* HPA metric index -> trigger, -1 */
    uint64_t queries, active;        /* metric queries answered, and how many while active */
} keda_ctl;

int keda_ctl_init(keda_ctl *k, const keda_cfg *cfg, int64_t start_unix_us, sim_error *err);
int64_t keda_ctl_value(void *ctx, int metric, int64_t now_us);
void keda_ctl_free(keda_ctl *k);

#endif
