/* test_hpa_behavior.c: sim/control/hpa rules defaulting, history bookkeeping and the
 * normalisation limits: the README's derived rounding cases, slot reuse, saturation. */
#include "cu.h"

#include <string.h>

#include "sim/control/hpa/history.h"
#include "sim/control/hpa/normalize.h"
#include "sim/control/hpa/rules.h"

#define S 1000000LL

static hpa_rules rules1(hpa_select sel, hpa_policy_type t, int32_t value, int32_t period_s) {
    hpa_rules r = {0};
    r.has_select = 1;
    r.select = sel;
    r.has_window = 1;
    r.has_policies = 1;
    r.npolicies = 1;
    r.policies[0] = (hpa_policy){t, value, period_s};
    return r;
}

static void test_defaults(void) {
    hpa_rules up, down, spec = {0};
    hpa_rules_default(NULL, 1, &up);
    CU_ASSERT_TRUE(up.has_window);
    CU_ASSERT_EQUAL(up.window_s, 0);
    CU_ASSERT_EQUAL(up.npolicies, 2);
    CU_ASSERT_EQUAL(up.policies[0].type, HPA_POLICY_PODS);
    CU_ASSERT_EQUAL(up.policies[0].value, 4);
    CU_ASSERT_EQUAL(up.policies[1].value, 100);
    hpa_rules_default(NULL, 0, &down);
    CU_ASSERT_FALSE(down.has_window); /* left to the controller flag */
    CU_ASSERT_EQUAL(down.npolicies, 1);
    CU_ASSERT_EQUAL(down.policies[0].type, HPA_POLICY_PERCENT);
    /* A given list replaces the defaults as a whole, even an empty one. */
    spec.has_policies = 1;
    spec.npolicies = 0;
    hpa_rules_default(&spec, 1, &up);
    CU_ASSERT_EQUAL(up.npolicies, 0);
    CU_ASSERT_EQUAL(up.select, HPA_SELECT_MAX);
    spec.has_tolerance = 1;
    spec.tolerance = 0.05;
    hpa_rules_default(&spec, 0, &down);
    CU_ASSERT_TRUE(down.has_tolerance);
    CU_ASSERT_DOUBLE_EQUAL(down.tolerance, 0.05, 1e-12);
}

/* (derived) 50 x (1 + 10/100) = 55.00000000000001 in double: ceil gives 56. */
static void test_percent_up_rounding(void) {
    hpa_state st;
    hpa_state_init(&st);
    hpa_rules r = rules1(HPA_SELECT_MAX, HPA_POLICY_PERCENT, 10, 60);
    CU_ASSERT_EQUAL(hpa_scale_up_limit(50, &st, &r, 0), 56);
    hpa_limit l = hpa_rate_limit(50, 100, 1, 1000, &st, &r, &r, 0);
    CU_ASSERT_EQUAL(l.replicas, 56);
    CU_ASSERT_STRING_EQUAL(l.reason, "ScaleUpLimit");
    hpa_state_free(&st);
}

/* (derived) 10 x (1 - 90/100) = 0.9999999999999998: truncation gives 0. */
static void test_percent_down_rounding(void) {
    hpa_state st;
    hpa_state_init(&st);
    hpa_rules r = rules1(HPA_SELECT_MAX, HPA_POLICY_PERCENT, 90, 60);
    CU_ASSERT_EQUAL(hpa_scale_down_limit(10, &st, &r, 0), 0);
    hpa_limit l = hpa_rate_limit(10, 0, 0, 20, &st, &r, &r, 0);
    CU_ASSERT_EQUAL(l.replicas, 0);
    CU_ASSERT_STRING_EQUAL(l.reason, "DesiredWithinRange");
    hpa_state_free(&st);
}

/* Limits are measured from the count at the start of each policy's own period, and a limit
 * behind current freezes growth instead of being ignored. */
static void test_period_start_and_freeze(void) {
    hpa_state st;
    hpa_state_init(&st);
    sim_error err;
    CU_ASSERT_EQUAL(hpa_state_push_event(&st, 1, (hpa_scale_event){15, -10 * S, 0}, &err), 0);
    CU_ASSERT_EQUAL(hpa_state_push_event(&st, 1, (hpa_scale_event){5, -70 * S, 0}, &err), 0);
    CU_ASSERT_EQUAL(hpa_state_push_event(&st, 0, (hpa_scale_event){2, -20 * S, 0}, &err), 0);
    hpa_rules pods = rules1(HPA_SELECT_MAX, HPA_POLICY_PODS, 4, 60);
    /* start = 100 - 15 + 2 = 87 -> 91, below current: frozen at 100 */
    CU_ASSERT_EQUAL(hpa_scale_up_limit(100, &st, &pods, 0), 91);
    hpa_limit l = hpa_rate_limit(100, 150, 1, 1000, &st, &pods, &pods, 0);
    CU_ASSERT_EQUAL(l.replicas, 100);
    CU_ASSERT_STRING_EQUAL(l.reason, "ScaleUpLimit");
    /* an event exactly as old as the period is outside it (age < period only) */
    hpa_rules p10 = rules1(HPA_SELECT_MAX, HPA_POLICY_PODS, 1, 10);
    CU_ASSERT_EQUAL(hpa_scale_up_limit(100, &st, &p10, 0), 101);
    hpa_state_free(&st);
}

static void test_select_policies(void) {
    hpa_state st;
    hpa_state_init(&st);
    hpa_rules r = rules1(HPA_SELECT_MIN, HPA_POLICY_PODS, 2, 60);
    r.npolicies = 2;
    r.policies[1] = (hpa_policy){HPA_POLICY_PERCENT, 50, 60};
    CU_ASSERT_EQUAL(hpa_scale_up_limit(10, &st, &r, 0), 12);  /* min(12, 15) */
    CU_ASSERT_EQUAL(hpa_scale_down_limit(10, &st, &r, 0), 8); /* max(8, 5) */
    r.select = HPA_SELECT_MAX;
    CU_ASSERT_EQUAL(hpa_scale_up_limit(10, &st, &r, 0), 15);
    CU_ASSERT_EQUAL(hpa_scale_down_limit(10, &st, &r, 0), 5);
    r.select = HPA_SELECT_DISABLED;
    CU_ASSERT_EQUAL(hpa_scale_up_limit(10, &st, &r, 0), 10);
    hpa_limit l = hpa_rate_limit(10, 3, 1, 20, &st, &r, &r, 0);
    CU_ASSERT_EQUAL(l.replicas, 10);
    CU_ASSERT_STRING_EQUAL(l.reason, "ScaleDownLimit");
    /* no policies: the fold seeds, then frozen at current */
    r.select = HPA_SELECT_MAX;
    r.npolicies = 0;
    CU_ASSERT_EQUAL(hpa_scale_up_limit(10, &st, &r, 0), INT32_MIN);
    CU_ASSERT_EQUAL(hpa_scale_down_limit(10, &st, &r, 0), INT32_MAX);
    CU_ASSERT_EQUAL(hpa_rate_limit(10, 30, 1, 20, &st, &r, &r, 0).replicas, 10);
    /* nothing is clamped when desired == current, even outside [min, max] */
    CU_ASSERT_EQUAL(hpa_rate_limit(10, 10, 12, 20, &st, &r, &r, 0).replicas, 10);
    hpa_state_free(&st);
}

static void test_legacy_clamp(void) {
    hpa_limit l = hpa_clamp_legacy(3, 5, 1, 10, 2.0, 4.0);
    CU_ASSERT_EQUAL(l.replicas, 5);
    CU_ASSERT_STRING_EQUAL(l.reason, "DesiredWithinRange");
    l = hpa_clamp_legacy(3, 9, 1, 10, 2.0, 4.0);
    CU_ASSERT_EQUAL(l.replicas, 6);
    CU_ASSERT_STRING_EQUAL(l.reason, "ScaleUpLimit");
    l = hpa_clamp_legacy(0, 9, 0, 10, 2.0, 4.0); /* from zero: max(2*0, 4) */
    CU_ASSERT_EQUAL(l.replicas, 4);
    l = hpa_clamp_legacy(3, 0, 2, 10, 2.0, 4.0);
    CU_ASSERT_EQUAL(l.replicas, 2);
    CU_ASSERT_STRING_EQUAL(l.reason, "TooFewReplicas");
    /* huge counts: 2 x current overflows int32 and saturates instead of wrapping */
    l = hpa_clamp_legacy(INT32_MAX - 1, INT32_MAX, 1, INT32_MAX, 2.0, 4.0);
    CU_ASSERT_EQUAL(l.replicas, INT32_MAX);
    CU_ASSERT_STRING_EQUAL(l.reason, "DesiredWithinRange");
}

static void test_huge_counts_rate(void) {
    hpa_state st;
    hpa_state_init(&st);
    sim_error err;
    hpa_rules pct = rules1(HPA_SELECT_MAX, HPA_POLICY_PERCENT, 1000, 60);
    CU_ASSERT_EQUAL(hpa_scale_up_limit(INT32_MAX / 2, &st, &pct, 0), INT32_MAX);
    hpa_rules pods = rules1(HPA_SELECT_MAX, HPA_POLICY_PODS, INT32_MAX, 60);
    CU_ASSERT_EQUAL(hpa_scale_up_limit(INT32_MAX, &st, &pods, 0), INT32_MAX);
    CU_ASSERT_EQUAL(hpa_scale_down_limit(0, &st, &pods, 0), -INT32_MAX);
    /* many big down events: the period start exceeds int32 and saturates */
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(hpa_state_push_event(&st, 0, (hpa_scale_event){INT32_MAX, -1, 0}, &err), 0);
    CU_ASSERT_EQUAL(hpa_scale_up_limit(1, &st, &pods, 0), INT32_MAX);
    hpa_state_free(&st);
}

static void test_stabilize_legacy_reuse(void) {
    hpa_state st;
    hpa_state_init(&st);
    sim_error err;
    int32_t out;
    hpa_recommendation recs[4] = {{9, -400 * S}, {7, -300 * S}, {2, -500 * S}, {3, -10 * S}};
    for (int i = 0; i < 4; i++)
        hpa_state_push_recommendation(&st, recs[i], &err);
    /* age == window (300 s) is still inside for the legacy path (not Before the cutoff) */
    CU_ASSERT_EQUAL(hpa_stabilize_legacy(&st, 1, 300 * S, 0, &out, &err), 0);
    CU_ASSERT_EQUAL(out, 7);
    CU_ASSERT_EQUAL(st.nrecs, 4);            /* never shrinks */
    CU_ASSERT_EQUAL(st.recs[2].replicas, 1); /* the LAST old entry is overwritten */
    CU_ASSERT_EQUAL(st.recs[2].at_us, 0);
    CU_ASSERT_EQUAL(st.recs[0].replicas, 9); /* the other old one stays */
    hpa_state_free(&st);
}

static void test_stabilize_behavior(void) {
    hpa_state st;
    hpa_state_init(&st);
    sim_error err;
    int32_t out;
    hpa_recommendation recs[3] = {{4, -30 * S}, {8, -200 * S}, {6, -400 * S}};
    for (int i = 0; i < 3; i++)
        hpa_state_push_recommendation(&st, recs[i], &err);
    /* up window 60 s: min(5, 4) = 4; down window 300 s: max(5, 4, 8) = 8; from current 5:
     * max(5, 4) = 5, min(5, 8) = 5 */
    CU_ASSERT_EQUAL(hpa_stabilize_behavior(&st, 5, 5, 60 * S, 300 * S, 0, &out, &err), 0);
    CU_ASSERT_EQUAL(out, 5);
    CU_ASSERT_EQUAL(st.nrecs, 3);
    CU_ASSERT_EQUAL(st.recs[2].replicas, 5); /* only -400 s is older than both windows */
    /* scale-up 5 -> 10 with the up window: held at the lowest recent (4 -> current 5) */
    CU_ASSERT_EQUAL(hpa_stabilize_behavior(&st, 5, 10, 60 * S, 0, 0, &out, &err), 0);
    CU_ASSERT_EQUAL(out, 5);
    CU_ASSERT_EQUAL(st.nrecs, 3); /* -200 s reused: older than 60 s and 0 s */
    CU_ASSERT_EQUAL(st.recs[1].replicas, 10);
    /* windows of 0: desired passes straight through */
    CU_ASSERT_EQUAL(hpa_stabilize_behavior(&st, 5, 2, 0, 0, 1, &out, &err), 0);
    CU_ASSERT_EQUAL(out, 2);
    hpa_state_free(&st);
}

static void test_store_events(void) {
    hpa_state st;
    hpa_state_init(&st);
    sim_error err;
    hpa_rules up = rules1(HPA_SELECT_MAX, HPA_POLICY_PODS, 4, 60);
    hpa_rules down = rules1(HPA_SELECT_MAX, HPA_POLICY_PERCENT, 100, 15);
    /* no behaviour: nothing is recorded */
    CU_ASSERT_EQUAL(hpa_store_scale_event(&st, NULL, NULL, 1, 5, 0, &err), 0);
    CU_ASSERT_EQUAL(st.nup, 0);
    CU_ASSERT_EQUAL(hpa_store_scale_event(&st, &up, &down, 1, 5, -100 * S, &err), 0);
    CU_ASSERT_EQUAL(hpa_store_scale_event(&st, &up, &down, 5, 7, -61 * S, &err), 0);
    CU_ASSERT_EQUAL(st.nup, 2); /* the first is 39 s old at -61 s: kept */
    /* at -10 s the first is 90 s old: outdated, and its slot takes the new event */
    CU_ASSERT_EQUAL(hpa_store_scale_event(&st, &up, &down, 7, 8, -10 * S, &err), 0);
    CU_ASSERT_EQUAL(st.nup, 2);
    CU_ASSERT_EQUAL(st.up[0].change, 1);
    CU_ASSERT_EQUAL(st.up[0].at_us, -10 * S);
    CU_ASSERT_FALSE(st.up[0].outdated);
    CU_ASSERT_EQUAL(hpa_store_scale_event(&st, &up, &down, 8, 3, 0, &err), 0);
    CU_ASSERT_EQUAL(st.ndown, 1);
    CU_ASSERT_EQUAL(st.down[0].change, 5);
    CU_ASSERT_EQUAL(st.nup, 2); /* a scale-down leaves the up list alone */
    /* a scale-up at 0: the -61 s event is outdated (61 > 60) and reused */
    CU_ASSERT_EQUAL(hpa_store_scale_event(&st, &up, &down, 3, 9, 0, &err), 0);
    CU_ASSERT_EQUAL(st.nup, 2);
    CU_ASSERT_EQUAL(st.up[1].change, 6);
    CU_ASSERT_FALSE(st.up[1].outdated);
    CU_ASSERT_EQUAL(st.up[1].at_us, 0);
    CU_ASSERT_EQUAL(hpa_events_change_in_period(st.up, st.nup, 60 * S, 0), 7);
    hpa_state_free(&st);
}

/* The lists grow while every entry is inside its window, then stay bounded by slot reuse. */
static void test_history_bounded(void) {
    hpa_state st;
    hpa_state_init(&st);
    sim_error err;
    int32_t out;
    CU_ASSERT_EQUAL(hpa_state_record_initial(&st, 3, 0, &err), 0);
    CU_ASSERT_EQUAL(hpa_state_record_initial(&st, 9, 0, &err), 0); /* only the first time */
    CU_ASSERT_EQUAL(st.nrecs, 1);
    /* a sync every 15 s for a day with a 300 s window: at most 21 live entries (+1) */
    for (int64_t t = 15; t <= 86400; t += 15)
        CU_ASSERT_EQUAL_FATAL(
            hpa_stabilize_legacy(&st, (int32_t)(t % 7), 300 * S, t * S, &out, &err), 0);
    CU_ASSERT_TRUE(st.nrecs <= 22);
    CU_ASSERT_TRUE(st.cap_recs <= 32);
    hpa_state_free(&st);
    CU_ASSERT_EQUAL(st.nrecs, 0);
}

int main(void) {
    static const cu_test tests[] = {
        {"defaults", test_defaults},
        {"percent_up_rounding", test_percent_up_rounding},
        {"percent_down_rounding", test_percent_down_rounding},
        {"period_start_and_freeze", test_period_start_and_freeze},
        {"select_policies", test_select_policies},
        {"legacy_clamp", test_legacy_clamp},
        {"huge_counts_rate", test_huge_counts_rate},
        {"stabilize_legacy_reuse", test_stabilize_legacy_reuse},
        {"stabilize_behavior", test_stabilize_behavior},
        {"store_events", test_store_events},
        {"history_bounded", test_history_bounded},
        {NULL, NULL},
    };
    cu_add_suite("hpa_behavior", tests);
    return cu_run_all();
}
