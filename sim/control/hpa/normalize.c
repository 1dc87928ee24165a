/* normalize.c: legacy clamp and behaviour rate limits; see normalize.h. */
#include "sim/control/hpa/normalize.h"

#include <math.h>

#include "sim/control/hpa/replica_calc.h"

static const char MSG_WITHIN[] = "the desired count is within the acceptable range";
static const char MSG_TOO_FEW[] =
    "the desired replica count is less than the minimum replica count";
static const char MSG_TOO_MANY[] =
    "the desired replica count is more than the maximum replica count";
static const char MSG_UP_LIMIT[] =
    "the desired replica count is increasing faster than the maximum scale rate";
static const char MSG_DOWN_LIMIT[] =
    "the desired replica count is decreasing faster than the maximum scale rate";

hpa_limit hpa_clamp_legacy(int32_t current, int32_t desired, int32_t min_replicas,
                           int32_t max_replicas, double factor, double minimum) {
    int32_t up_limit = hpa_trunc_i32(fmax(factor * (double)current, minimum));
    hpa_limit cand;
    if (max_replicas > up_limit)
        cand = (hpa_limit){up_limit, "ScaleUpLimit", MSG_UP_LIMIT};
    else
        cand = (hpa_limit){max_replicas, "TooManyReplicas", MSG_TOO_MANY};
    if (desired < min_replicas)
        return (hpa_limit){min_replicas, "TooFewReplicas", MSG_TOO_FEW};
    if (desired > cand.replicas)
        return cand;
    return (hpa_limit){desired, "DesiredWithinRange", MSG_WITHIN};
}

/* periodStartReplicas = current - added + removed within the policy's own period. */
static int64_t period_start(int32_t current, const hpa_state *st, const hpa_policy *p,
                            int64_t now_us) {
    int64_t period_us = (int64_t)p->period_s * 1000000;
    return (int64_t)current - hpa_events_change_in_period(st->up, st->nup, period_us, now_us) +
           hpa_events_change_in_period(st->down, st->ndown, period_us, now_us);
}

int32_t hpa_scale_up_limit(int32_t current, const hpa_state *st, const hpa_rules *rules,
                           int64_t now_us) {
    if (rules->select == HPA_SELECT_DISABLED)
        return current;
    int use_min = rules->select == HPA_SELECT_MIN;
    int64_t result = use_min ? INT32_MAX : INT32_MIN;
    for (int i = 0; i < rules->npolicies; i++) {
        const hpa_policy *p = &rules->policies[i];
        int64_t start = period_start(current, st, p, now_us), proposed;
        if (p->type == HPA_POLICY_PODS)
            proposed = start + p->value;
        else /* rounded up, or a small percentage would never add a pod */
            proposed = hpa_ceil_i32((double)start * (1 + (double)p->value / 100));
        result = use_min ? (proposed < result ? proposed : result)
                         : (proposed > result ? proposed : result);
    }
    return hpa_sat_i32(result);
}

int32_t hpa_scale_down_limit(int32_t current, const hpa_state *st, const hpa_rules *rules,
                             int64_t now_us) {
    if (rules->select == HPA_SELECT_DISABLED)
        return current;
    /* For scale-down "Max" (largest change) is the smallest count, "Min" the largest. */
    int use_max = rules->select == HPA_SELECT_MIN;
    int64_t result = use_max ? INT32_MIN : INT32_MAX;
    for (int i = 0; i < rules->npolicies; i++) {
        const hpa_policy *p = &rules->policies[i];
        int64_t start = period_start(current, st, p, now_us), proposed;
        if (p->type == HPA_POLICY_PODS)
            proposed = start - p->value;
        else /* int32(float64): truncation toward zero */
            proposed = hpa_trunc_i32((double)start * (1 - (double)p->value / 100));
        result = use_max ? (proposed > result ? proposed : result)
                         : (proposed < result ? proposed : result);
    }
    return hpa_sat_i32(result);
}

hpa_limit hpa_rate_limit(int32_t current, int32_t desired, int32_t min_replicas,
                         int32_t max_replicas, const hpa_state *st, const hpa_rules *up,
                         const hpa_rules *down, int64_t now_us) {
    if (desired > current) {
        int32_t limit = hpa_scale_up_limit(current, st, up, now_us);
        if (limit < current)
            limit = current; /* no growth until old events leave their periods */
        hpa_limit cand;
        if (max_replicas > limit)
            cand = (hpa_limit){limit, "ScaleUpLimit", MSG_UP_LIMIT};
        else
            cand = (hpa_limit){max_replicas, "TooManyReplicas", MSG_TOO_MANY};
        if (desired > cand.replicas)
            return cand;
    } else if (desired < current) {
        int32_t limit = hpa_scale_down_limit(current, st, down, now_us);
        if (limit > current)
            limit = current;
        hpa_limit cand;
        if (min_replicas < limit)
            cand = (hpa_limit){limit, "ScaleDownLimit", MSG_DOWN_LIMIT};
        else
            cand = (hpa_limit){min_replicas, "TooFewReplicas", MSG_TOO_FEW};
        if (desired < cand.replicas)
            return cand;
    }
    return (hpa_limit){desired, "DesiredWithinRange", MSG_WITHIN};
}
