/* replay_cron.h: a CronHPA's actions during a replay: when the scenario has a CronHPA, its jobs
 * fire at the times the simulator's controller fires them (sim/model/cron_controller.c) and
 * rewrite the HPA's minReplicas/maxReplicas (target HorizontalPodAutoscaler) or set the
 * workload's replicas (any target), so the replayed HPA syncs see the limits the live one saw.
 *
 * Contract:
 * - replay_cron_init parses the jobs and the excludeDates as the controller does (a job whose
 *   schedule does not parse never fires; an exclude that does not parse is ignored) and loads
 *   the controller's zone. start_unix_us is the wall clock of t = 0 (sim_start_unix_us).
 * - replay_cron_next is the time of the next fire (-1 when none); replay_cron_fire runs it:
 *   given the HPA's status.currentReplicas (0 before its first sync) and the workload's
 *   spec.replicas at that instant, it updates *min and *max and returns the workload's
 *   replicas after the fire (unchanged when the job did not set them). The rules are
 *   cronhpa.h's (cronhpa_excluded, cronhpa_scale_hpa); timing is the controller's: next fire =
 *   cron_next(wake-up instant), a run-once or @date job fires once, a minReplicas of 0 without
 *   HPAScaleToZero (the HPA's own minReplicas is not 0) fails and changes nothing.
 * - Jobs due at the same instant fire in spec order. No I/O; replay_cron_free releases. */
#ifndef SCALESIM_REPLAY_REPLAY_CRON_H
#define SCALESIM_REPLAY_REPLAY_CRON_H

#include <stdint.h>

#include "common/error.h"
#include "sim/control/cron/cron.h"
#include "sim/scenario/config.h"

typedef struct replay_cron_job {
    const cronhpa_job_cfg *cfg;
    cron_schedule sched;
    int parsed;
    int64_t next_us; /* simulated time of the next fire, -1 when none */
} replay_cron_job;

typedef struct replay_cron {
    const cronhpa_cfg *cfg;
    int target_hpa;
    int hpa_zero_ok;
    int64_t start_unix_us;
    cron_zone *zone;
    replay_cron_job *jobs;
    size_t n_jobs;
    cron_schedule *excl;
    const cron_schedule **excl_of;
    int n_excl;
    int fires; /* fires run so far */
} replay_cron;

/* hpa_min_replicas: the HPA spec's own minReplicas (0 means HPAScaleToZero is on). */
int replay_cron_init(replay_cron *c, const cronhpa_cfg *cfg, int64_t start_unix_us,
                     int32_t hpa_min_replicas, sim_error *err);
void replay_cron_free(replay_cron *c);

int64_t replay_cron_next(const replay_cron *c);
int32_t replay_cron_fire(replay_cron *c, int32_t hpa_current, int32_t workload_replicas,
                         int32_t *min, int32_t *max);

#endif
