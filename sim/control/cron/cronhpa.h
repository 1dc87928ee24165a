/* cronhpa.h: what one fire of an ACK CronHorizontalPodAutoscaler job does, as pure functions
 * (no clock, no I/O): the excludeDates check with its month-and-hour comparison, the effect on
 * a workload's replicas or on a HorizontalPodAutoscaler's min/max and its workload, and the
 * texts the controller writes into the job's condition. Also KEDA's cron trigger activity rule.
 *
 * Contract:
 *   - The rules and texts are those of AliyunContainerService/kubernetes-cronhpa-controller at
 *     commit 31c63bed (pkg/controller/cronjob.go: CronJobHPA.Run, ScaleHPA, ScalePlainRef;
 *     pkg/controller/cronhorizontalpodautoscaler_controller.go; pkg/controller/cronmanager.go),
 *     as shared/conformance/cron/README.md sections 1.3-1.5 describe them; KEDA's from
 *     kedacore/keda pkg/scalers/cron_scaler.go (commit 8b4f083ca, README section 2).
 *   - Functions fill caller-owned structs; messages are written into fixed buffers (truncated,
 *     never overflowed). A `quirk` flag says a documented quirk changed the outcome from what
 *     the user most likely meant, so the caller can warn about it. */
#ifndef SCALESIM_CRON_CRONHPA_H
#define SCALESIM_CRON_CRONHPA_H

#include <stdint.h>

#include "sim/control/cron/cron.h"

#define CRONHPA_MSG_MAX 320

typedef enum { CRONHPA_SUBMITTED, CRONHPA_SUCCEED, CRONHPA_FAILED } cronhpa_state;

const char *cronhpa_state_name(cronhpa_state s);

/* excludeDates (cronjob.go IsTodayOff): for each exclude schedule n = Next(now) in the zone;
 * upstream compares n and now formatted with Go's layout "11-15-1990", which prints month,
 * month, hour, month and the literal "990": the job is skipped iff n and now share the month and
 * the hour (not the day). Returns the index of the first exclude that skips the job, or -1.
 * *quirk (may be NULL) is set when the outcome differs from the documented intent (skip on the
 * dates the exclude matches): a skip on a date no exclude matches, or a run on one that does. */
int cronhpa_excluded(const cron_schedule *const *excludes, int n, const cron_zone *zone,
                     int64_t now_us, int *quirk);

/* A workload target (Deployment, StatefulSet...): spec.replicas := target, unconditionally
 * (ScalePlainRef). Writes the success message. */
void cronhpa_scale_workload(int32_t target, int32_t old_replicas, char *msg, int size);

/* An HPA target (ScaleHPA). In: T, the HPA's min/max, its status.currentReplicas (0 before its
 * first sync, issue #64) and S, spec.replicas of the HPA's own target. */
typedef struct cronhpa_hpa_effect {
    int32_t min_replicas, max_replicas; /* after */
    int hpa_updated;                    /* min or max changed: the HPA object is written */
    int set_replicas;                   /* cur < T: the workload's spec.replicas := T */
    int max_raised;                     /* quirk: maxReplicas grew and nothing lowers it again */
    int skipped;                        /* cur >= T: replicas left alone ("Skip scale ...") */
} cronhpa_hpa_effect;

void cronhpa_scale_hpa(int32_t target, int32_t min_replicas, int32_t max_replicas, int32_t cur,
                       int32_t workload_replicas, const char *hpa_name, const char *ns,
                       cronhpa_hpa_effect *out, char *msg, int size);

/* The condition messages (cronhpa_controller.go / cronmanager.go result handler). */
void cronhpa_msg_succeed(const char *job, const char *detail, char *msg, int size);
void cronhpa_msg_skip_exclude(const char *job, const char *expr, char *msg, int size);
void cronhpa_msg_failed_scale(const char *kind, const char *name, const char *ns, int32_t target,
                              int tries, const char *cause, char *msg, int size);
void cronhpa_msg_failed_parse(const char *job, const char *cause, char *msg, int size);

/* KEDA cron trigger (cron_scaler.go getMetricsAndActivity): active iff the next end is not
 * after the next start, both strictly after now in the trigger's zone. Value reported to the
 * HPA: desiredReplicas when active, else 0 (KEDA >= 2.18; 1 before, bug #6886). A schedule that
 * never fires counts as "never" (later than any instant). */
int keda_cron_active(const cron_schedule *start, const cron_schedule *end, const cron_zone *zone,
                     int64_t now_us);

#endif
