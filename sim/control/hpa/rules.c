/* rules.c: behaviour defaulting; see rules.h. */
#include "sim/control/hpa/rules.h"

#include <string.h>

void hpa_rules_default(const hpa_rules *spec, int scale_up, hpa_rules *out) {
    memset(out, 0, sizeof *out);
    out->has_select = 1;
    out->select = HPA_SELECT_MAX;
    out->has_policies = 1;
    if (scale_up) {
        out->has_window = 1;
        out->window_s = 0;
        out->npolicies = 2;
        out->policies[0] = (hpa_policy){HPA_POLICY_PODS, 4, 15};
        out->policies[1] = (hpa_policy){HPA_POLICY_PERCENT, 100, 15};
    } else {
        out->npolicies = 1; /* the window stays unset: the controller flag fills it in */
        out->policies[0] = (hpa_policy){HPA_POLICY_PERCENT, 100, 15};
    }
    if (spec == NULL)
        return;
    if (spec->has_select) {
        out->has_select = 1;
        out->select = spec->select;
    }
    if (spec->has_window) {
        out->has_window = 1;
        out->window_s = spec->window_s;
    }
    if (spec->has_policies) {
        out->npolicies = spec->npolicies;
        memcpy(out->policies, spec->policies, sizeof out->policies);
    }
    if (spec->has_tolerance) {
        out->has_tolerance = 1;
        out->tolerance = spec->tolerance;
    }
}

int32_t hpa_rules_longest_period(const hpa_rules *rules) {
    int32_t longest = 0;
    for (int i = 0; i < rules->npolicies; i++)
        if (rules->policies[i].period_s > longest)
            longest = rules->policies[i].period_s;
    return longest;
}

const char *hpa_select_name(hpa_select s) {
    return s == HPA_SELECT_MIN ? "Min" : s == HPA_SELECT_DISABLED ? "Disabled" : "Max";
}

const char *hpa_policy_type_name(hpa_policy_type t) {
    return t == HPA_POLICY_PODS ? "Pods" : "Percent";
}
