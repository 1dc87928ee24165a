/* rules.h: `behavior` scaling rules (autoscaling/v2 HPAScalingRules) and their API defaults.
 *
 * Contract: plain data with explicit "is set" flags, because upstream distinguishes an unset
 * field (nil) from a zero one; hpa_rules_default is pure. Source: kubernetes/kubernetes
 * pkg/apis/autoscaling/v2/defaults.go (v1.28.0: GenerateHPAScaleUpRules,
 * GenerateHPAScaleDownRules, copyHPAScalingRules; the tolerance field from KEP-4951). */
#ifndef SCALESIM_HPA_RULES_H
#define SCALESIM_HPA_RULES_H

#include <stdint.h>

typedef enum { HPA_SELECT_MAX, HPA_SELECT_MIN, HPA_SELECT_DISABLED } hpa_select;
typedef enum { HPA_POLICY_PODS, HPA_POLICY_PERCENT } hpa_policy_type;

typedef struct hpa_policy {
    hpa_policy_type type;
    int32_t value;
    int32_t period_s;
} hpa_policy;

/* More than upstream validation would ever see in practice; readers reject longer lists. */
#define HPA_MAX_POLICIES 16

typedef struct hpa_rules {
    int has_select;
    hpa_select select;
    int has_window; /* stabilizationWindowSeconds; scale-down may stay unset after defaulting */
    int32_t window_s;
    int has_policies; /* a given list replaces the defaults as a whole, even when empty */
    int npolicies;
    hpa_policy policies[HPA_MAX_POLICIES];
    int has_tolerance; /* per-HPA tolerance (HPAConfigurableTolerance), as a ratio */
    double tolerance;
} hpa_rules;

/* spec.behavior: absent, or both directions (each possibly not given). */
typedef struct hpa_behavior {
    int present;
    int has_up, has_down;
    hpa_rules up, down;
} hpa_behavior;

/* Fills out with the defaults of one direction (scale_up 1: window 0, Max, [Pods 4/15s,
 * Percent 100/15s]; scale_up 0: window unset, Max, [Percent 100/15s]), then overrides them
 * field by field with what spec sets. spec may be NULL (direction not given). */
void hpa_rules_default(const hpa_rules *spec, int scale_up, hpa_rules *out);

/* The longest policy period of a direction, 0 with no policies. */
int32_t hpa_rules_longest_period(const hpa_rules *rules);

const char *hpa_select_name(hpa_select s);
const char *hpa_policy_type_name(hpa_policy_type t);

#endif
