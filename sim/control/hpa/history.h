/* history.h: the per-HPA memory of the upstream controller: recommendation history and the
 * scale-up / scale-down event lists, with upstream's bookkeeping.
 *
 * Contract: an hpa_state belongs to one HPA; hpa_state_init it, hpa_state_free it. Lists never
 * shrink (as upstream's slices): an old slot is overwritten in place (the LAST reusable one in
 * list order) or a new one is appended; the arrays grow by doubling, so memory stays bounded by
 * the longest run of entries that were all still inside their window. Times are int64 us; an
 * entry is inside a window W when its age is < W, obsolete when its age is > W (Go's strict
 * Before/After). Functions that may grow a list return -1 with err filled when memory runs out.
 * Source: kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go (v1.28.0:
 * recordInitialRecommendation, stabilizeRecommendation, stabilizeRecommendationWithBehaviors,
 * storeScaleEvent, markScaleEventsOutdated, getReplicasChangePerPeriod). */
#ifndef SCALESIM_HPA_HISTORY_H
#define SCALESIM_HPA_HISTORY_H

#include <stdint.h>

#include "common/error.h"
#include "sim/control/hpa/rules.h"

typedef struct hpa_recommendation {
    int32_t replicas;
    int64_t at_us;
} hpa_recommendation;

typedef struct hpa_scale_event {
    int32_t change; /* >= 0; the direction is the list it is in */
    int64_t at_us;
    int outdated; /* marked for reuse */
} hpa_scale_event;

typedef struct hpa_state {
    int has_history; /* 0 until the first sync records its initial recommendation */
    hpa_recommendation *recs;
    int nrecs, cap_recs;
    hpa_scale_event *up;
    int nup, cap_up;
    hpa_scale_event *down;
    int ndown, cap_down;
} hpa_state;

void hpa_state_init(hpa_state *st);
void hpa_state_free(hpa_state *st);

/* Appends without any reuse (for loading a recorded history). */
int hpa_state_push_recommendation(hpa_state *st, hpa_recommendation r, sim_error *err);
int hpa_state_push_event(hpa_state *st, int up, hpa_scale_event e, sim_error *err);

/* recordInitialRecommendation: the first time only, stores (current, now). */
int hpa_state_record_initial(hpa_state *st, int32_t current, int64_t now_us, sim_error *err);

/* Legacy downscale stabilisation: max(desired, entries not older than the window); stores
 * (desired, now) over the last entry older than the window, or appends. */
int hpa_stabilize_legacy(hpa_state *st, int32_t desired, int64_t window_us, int64_t now_us,
                         int32_t *out, sim_error *err);

/* Stabilisation with behaviour: min(max(current, min of the up window), max of the down window)
 * with both windows seeded by desired; stores (desired, now) over the last entry obsolete for
 * both windows, or appends. */
int hpa_stabilize_behavior(hpa_state *st, int32_t current, int32_t desired, int64_t up_window_us,
                           int64_t down_window_us, int64_t now_us, int32_t *out, sim_error *err);

/* Sum of the changes of events younger than the period (outdated flags are ignored). */
int64_t hpa_events_change_in_period(const hpa_scale_event *ev, int n, int64_t period_us,
                                    int64_t now_us);

/* storeScaleEvent after a successful rescale prev -> next. behavior NULL or not present: nothing
 * is stored. Otherwise events older than the longest policy period of the direction are marked
 * outdated and the last outdated one is overwritten, else the event is appended. The rules must
 * be the defaulted ones. */
int hpa_store_scale_event(hpa_state *st, const hpa_rules *up_rules, const hpa_rules *down_rules,
                          int32_t prev, int32_t next, int64_t now_us, sim_error *err);

#endif
