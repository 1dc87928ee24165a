/* conditions.h: the HPA status conditions and the events one sync emits.
 *
 * Contract: plain fixed-size data, no allocation. hpa_condition_set follows upstream's
 * setCondition: it replaces the reason and message of the condition of that type and moves
 * last_transition_us to now only when the status flips (or the condition is new).
 * Source: kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go (v1.28.0:
 * setCondition, setConditionInList). */
#ifndef SCALESIM_HPA_CONDITIONS_H
#define SCALESIM_HPA_CONDITIONS_H

#include <stdint.h>

typedef enum {
    HPA_COND_ABLE_TO_SCALE,
    HPA_COND_SCALING_ACTIVE,
    HPA_COND_SCALING_LIMITED,
    HPA_NCONDITIONS
} hpa_condition_type;

#define HPA_REASON_MAX  48
#define HPA_MESSAGE_MAX 512

typedef struct hpa_condition {
    int set;         /* 0: upstream never set this type on the HPA */
    int status_true; /* ConditionTrue / ConditionFalse */
    char reason[HPA_REASON_MAX];
    char message[HPA_MESSAGE_MAX];
    int64_t last_transition_us;
} hpa_condition;

typedef struct hpa_conditions {
    hpa_condition c[HPA_NCONDITIONS];
} hpa_conditions;

void hpa_condition_set(hpa_conditions *cs, hpa_condition_type type, int status_true,
                       const char *reason, int64_t now_us, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

const char *hpa_condition_type_name(hpa_condition_type type); /* "AbleToScale", ... */

/* Events of one sync, in emission order. Beyond HPA_MAX_EVENTS they are counted, not kept. */
#define HPA_MAX_EVENTS 8

typedef struct hpa_event {
    int warning; /* 0: Normal */
    char reason[HPA_REASON_MAX];
    char message[HPA_MESSAGE_MAX];
} hpa_event;

typedef struct hpa_events {
    hpa_event ev[HPA_MAX_EVENTS];
    int n;
    int dropped;
} hpa_events;

void hpa_event_add(hpa_events *es, int warning, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
