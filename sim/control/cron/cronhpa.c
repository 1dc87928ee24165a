/* cronhpa.c: see cronhpa.h. Rules read in kubernetes-cronhpa-controller 31c63bed
 * pkg/controller/cronjob.go (Run, IsTodayOff, ScaleHPA, ScalePlainRef) and KEDA 8b4f083ca
 * pkg/scalers/cron_scaler.go, as summarised in shared/conformance/cron/README.md 1.4 and 2. */
#include "sim/control/cron/cronhpa.h"

#include <stdio.h>

#include "sim/control/cron/civil.h"

const char *cronhpa_state_name(cronhpa_state s) {
    switch (s) {
    case CRONHPA_SUBMITTED:
        return "Submitted";
    case CRONHPA_SUCCEED:
        return "Succeed";
    case CRONHPA_FAILED:
        return "Failed";
    }
    return "?";
}

static void wall(const cron_zone *zone, int64_t us, civil_time *out) {
    int64_t s = civil_floor_div(us, 1000000);
    civil_from_seconds(s + cron_zone_offset(zone, s), out);
}

int cronhpa_excluded(const cron_schedule *const *excludes, int n, const cron_zone *zone,
                     int64_t now_us, int *quirk) {
    civil_time now;
    wall(zone, now_us, &now);
    /* the intent: the exclude matches some instant of today's date (from local midnight) */
    int64_t midnight_wall = civil_days_from_date(now.year, now.month, now.day) * 86400;
    int64_t day_start_us = (cron_zone_date(zone, midnight_wall) - 1) * 1000000;
    int intended = -1, actual = -1;
    for (int i = 0; i < n; i++) {
        int64_t next = cron_next(excludes[i], zone, now_us);
        civil_time t;
        /* CRON_NEVER is Go's zero time (year 1): never the same month and hour in practice */
        if (next != CRON_NEVER) {
            wall(zone, next, &t);
            /* time.Format("11-15-1990"): "01"->month, "15"->hour, "1"->month, "990" literal */
            if (actual < 0 && t.month == now.month && t.hour == now.hour)
                actual = i;
        }
        int64_t today = cron_next(excludes[i], zone, day_start_us);
        if (intended < 0 && today != CRON_NEVER) {
            wall(zone, today, &t);
            if (t.year == now.year && t.month == now.month && t.day == now.day)
                intended = i;
        }
    }
    if (quirk)
        *quirk = (actual >= 0) != (intended >= 0);
    return actual;
}

void cronhpa_scale_workload(int32_t target, int32_t old_replicas, char *msg, int size) {
    snprintf(msg, (size_t)size, "current replicas:%d, desired replicas:%d.", old_replicas, target);
}

void cronhpa_scale_hpa(int32_t target, int32_t min_replicas, int32_t max_replicas, int32_t cur,
                       int32_t workload_replicas, const char *hpa_name, const char *ns,
                       cronhpa_hpa_effect *out, char *msg, int size) {
    int32_t mn = min_replicas, mx = max_replicas;
    int updated = 0;
    out->max_raised = 0;
    /* ScaleHPA: the four adjustments in upstream's order */
    if (target > mx) {
        mx = target;
        updated = 1;
        out->max_raised = 1;
    }
    if (target < mn) {
        mn = target;
        updated = 1;
    }
    if (cur == mn && target < cur) { /* redundant with the rule above; kept for fidelity */
        mn = target;
        updated = 1;
    }
    if (cur < target) {
        if (mn != target)
            updated = 1;
        mn = target;
    }
    out->min_replicas = mn;
    out->max_replicas = mx;
    out->hpa_updated = updated && (mn != min_replicas || mx != max_replicas);
    if (cur >= target) {
        out->set_replicas = 0;
        out->skipped = 1;
        /* upstream prints the workload's spec.replicas here, not currentReplicas. Text as the
         * reference quotes it for 31c63bed; an older stored pkg/controller/cronjob.go
         * (259ba5c3) has no "in namespace %s" part. */
        snprintf(msg, (size_t)size,
                 "Skip scale replicas because HPA %s in namespace %s current replicas:%d >= "
                 "desired replicas:%d.",
                 hpa_name, ns, workload_replicas, target);
    } else {
        out->set_replicas = 1;
        out->skipped = 0;
        snprintf(msg, (size_t)size, "current replicas:%d, desired replicas:%d.", workload_replicas,
                 target);
    }
}

void cronhpa_msg_succeed(const char *job, const char *detail, char *msg, int size) {
    snprintf(msg, (size_t)size, "cron hpa job %s executed successfully. %s", job, detail);
}

void cronhpa_msg_skip_exclude(const char *job, const char *expr, char *msg, int size) {
    snprintf(msg, (size_t)size,
             "cron hpa job %s executed successfully. skip scaling activity,because of "
             "excludeDate (%s).",
             job, expr);
}

/* cronmanager.go JobResultHandler: "cron hpa failed to execute,because of" as the reference
 * quotes it; some upstream versions print ", because of" (with a space). */
void cronhpa_msg_failed_scale(const char *kind, const char *name, const char *ns, int32_t target,
                              int tries, const char *cause, char *msg, int size) {
    snprintf(msg, (size_t)size,
             "cron hpa failed to execute,because of failed to scale %s %s in %s namespace to %d "
             "after retrying %d times and exit,because of %s",
             kind, name, ns, target, tries, cause);
}

void cronhpa_msg_failed_parse(const char *job, const char *cause, char *msg, int size) {
    snprintf(msg, (size_t)size,
             "Failed to update cron hpa job %s,because of Failed to add job to "
             "cronExecutor,because of %s",
             job, cause);
}

int keda_cron_active(const cron_schedule *start, const cron_schedule *end, const cron_zone *zone,
                     int64_t now_us) {
    int64_t ns = cron_next(start, zone, now_us), ne = cron_next(end, zone, now_us);
    if (ne == CRON_NEVER)
        return 0;
    if (ns == CRON_NEVER)
        return 1;
    return ne <= ns;
}
