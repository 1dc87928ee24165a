/* test_hpa_calc.c: sim/control/hpa pods and replica calculator: the README's derived edge
 * cases, int64 saturation and huge counts, beyond what the conformance sample pins. */
#include "cu.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/control/hpa/pods.h"
#include "sim/control/hpa/replica_calc.h"

#define S 1000000LL /* microseconds per second */

/* A ready, long-running pod with one container requesting req_milli. */
static hpa_container one_container[8];

static hpa_pod ready_pod(const char *name, int64_t req_milli, int slot) {
    one_container[slot] = (hpa_container){"c", 1, req_milli, 0};
    hpa_pod p = {0};
    p.name = name;
    p.phase = HPA_PHASE_RUNNING;
    p.ready = HPA_READY_TRUE;
    p.ready_transition_us = -1000 * S;
    p.has_start_time = 1;
    p.start_time_us = -1000 * S;
    p.containers = &one_container[slot];
    p.ncontainers = 1;
    return p;
}

static hpa_calc_ctx ctx_of(const hpa_pod *pods, int n) {
    hpa_calc_ctx c = {pods, n, 0, 120 * S, 10 * S, {0.1, 0.1}, 0};
    return c;
}

static hpa_pod_metric metric(const char *pod, int64_t v) {
    return (hpa_pod_metric){pod, v, 0, 60 * S};
}

static void test_saturating_conversions(void) {
    CU_ASSERT_EQUAL(hpa_ceil_i32(1.0000001), 2);
    CU_ASSERT_EQUAL(hpa_ceil_i32(-0.5), 0);
    CU_ASSERT_EQUAL(hpa_ceil_i32(1e30), INT32_MAX);
    CU_ASSERT_EQUAL(hpa_ceil_i32(-1e30), INT32_MIN);
    CU_ASSERT_EQUAL(hpa_ceil_i32(INFINITY), INT32_MAX);
    CU_ASSERT_EQUAL(hpa_ceil_i32(NAN), 0);
    CU_ASSERT_EQUAL(hpa_trunc_i32(0.9999999999999998), 0);
    CU_ASSERT_EQUAL(hpa_trunc_i32(-2.7), -2);
    CU_ASSERT_EQUAL(hpa_ceil_i64(9223372036854775807.0), INT64_MAX); /* the double is 2^63 */
    CU_ASSERT_EQUAL(hpa_ceil_i64(-1e300), INT64_MIN);
    CU_ASSERT_EQUAL(hpa_ceil_i64(NAN), 0);
    CU_ASSERT_EQUAL(hpa_sat_i32(INT64_MAX), INT32_MAX);
    CU_ASSERT_EQUAL(hpa_sat_i32(-5), -5);
}

/* (derived) The tolerance test is inclusive on both sides: 1.1 against 0.1 does not scale
 * (|1 - 1.1| > 0.1 in double arithmetic, the pre-1.33 test, would have). */
static void test_tolerance_inclusive(void) {
    hpa_tolerance t = {0.1, 0.1};
    CU_ASSERT_TRUE(hpa_tolerance_within(t, 1.1));
    CU_ASSERT_TRUE(fabs(1.0 - 1.1) > 0.1);
    CU_ASSERT_TRUE(hpa_tolerance_within(t, 0.9));
    CU_ASSERT_FALSE(hpa_tolerance_within(t, 1.1000001));
    CU_ASSERT_FALSE(hpa_tolerance_within(t, NAN));
    hpa_tolerance asym = {0.5, 0.0};
    CU_ASSERT_TRUE(hpa_tolerance_within(asym, 0.5));
    CU_ASSERT_FALSE(hpa_tolerance_within(asym, 1.0000001));
}

/* Utilization is a whole percent of the summed requests, truncated: 1099/1000 = 109 %. */
static void test_utilization_truncated(void) {
    hpa_pod pods[1] = {ready_pod("a", 1000, 0)};
    hpa_pod_metric m[1] = {metric("a", 1099)};
    hpa_calc_ctx c = ctx_of(pods, 1);
    c.tolerance = (hpa_tolerance){0, 0};
    hpa_proposal p;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(hpa_calc_resource_utilization(&c, 1, 100, "cpu", "", m, 1, &p, &err), 0);
    CU_ASSERT_EQUAL(p.utilization, 109);
    CU_ASSERT_EQUAL(p.usage_milli, 1099);
    CU_ASSERT_EQUAL(p.replicas, 2); /* ceil(1.09 * 1) */
}

/* (derived) On a scale-down a missing pod is assumed at max(100 %, target) of its request. */
static void test_missing_fallback_above_100(void) {
    hpa_pod pods[3] = {ready_pod("a", 1000, 0), ready_pod("b", 1000, 1), ready_pod("c", 1000, 2)};
    hpa_pod_metric m[2] = {metric("a", 1000), metric("b", 1000)}; /* c missing; 100 % of 300 % */
    hpa_calc_ctx c = ctx_of(pods, 3);
    hpa_proposal p;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(hpa_calc_resource_utilization(&c, 3, 300, "cpu", "", m, 2, &p, &err), 0);
    CU_ASSERT_EQUAL(p.utilization, 100);
    /* fill c at 3000: (1000+1000+3000)/3000 = 166 % -> 0.5533 of target -> ceil(1.66) = 2 */
    CU_ASSERT_EQUAL(p.replicas, 2);
    /* With a 100 % fallback it would have been ceil((3000/3000*100 = 100)/300*3) = 1. */
}

/* When the conservative fill flips the direction, nothing changes. */
static void test_fill_flips_direction(void) {
    hpa_pod pods[2] = {ready_pod("a", 1000, 0), ready_pod("b", 1000, 1)};
    pods[1].phase = HPA_PHASE_PENDING; /* unready, filled with 0 on a scale-up */
    hpa_pod_metric m[1] = {metric("a", 1200)};
    hpa_calc_ctx c = ctx_of(pods, 2);
    hpa_proposal p;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(hpa_calc_resource_utilization(&c, 2, 100, "cpu", "", m, 1, &p, &err), 0);
    CU_ASSERT_EQUAL(p.utilization, 120);
    CU_ASSERT_EQUAL(p.replicas, 2); /* 1200/2000 = 60 % < 100 %: flipped, keep 2 */
}

/* Pods metrics skip the cpu readiness rules; a Succeeded pod counts as ready. */
static void test_plain_metric_ignores_cpu_rules(void) {
    hpa_pod pods[2] = {ready_pod("a", 0, 0), ready_pod("b", 0, 1)};
    pods[1].ready = HPA_READY_FALSE;
    pods[1].phase = HPA_PHASE_SUCCEEDED;
    hpa_pod_metric m[2] = {metric("a", 20000), metric("b", 20000)};
    hpa_calc_ctx c = ctx_of(pods, 2);
    hpa_proposal p;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(hpa_calc_plain(&c, 2, 10000, 0, m, 2, &p, &err), 0);
    CU_ASSERT_EQUAL(p.replicas, 4);
    CU_ASSERT_EQUAL(p.usage_milli, 20000);
    /* The same data as cpu AverageValue: b is unready (Ready False, never ready). */
    pods[1].phase = HPA_PHASE_RUNNING;
    pods[1].ready_transition_us = pods[1].start_time_us + 1 * S;
    CU_ASSERT_EQUAL_FATAL(hpa_calc_plain(&c, 2, 10000, 1, m, 2, &p, &err), 0);
    CU_ASSERT_EQUAL(p.replicas, 2); /* 2x over target but the unready pod is filled with 0 */
}

static void test_errors(void) {
    hpa_pod pods[1] = {ready_pod("a", 1000, 0)};
    hpa_calc_ctx c = ctx_of(pods, 1);
    hpa_proposal p;
    sim_error err;
    hpa_pod_metric none[1] = {metric("zzz", 1)};
    CU_ASSERT_EQUAL(hpa_calc_resource_utilization(&c, 1, 50, "cpu", "", none, 1, &p, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "no metrics returned matched known pods");
    CU_ASSERT_EQUAL(hpa_calc_resource_utilization(&c, 1, 50, "cpu", "", none, 0, &p, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg,
                           "did not receive metrics for targeted pods (pods might be unready)");
    hpa_calc_ctx empty = ctx_of(pods, 0);
    CU_ASSERT_EQUAL(hpa_calc_plain(&empty, 1, 50, 0, none, 1, &p, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "no pods returned by selector while calculating replica count");
    CU_ASSERT_EQUAL(hpa_calc_value(&empty, 3, 10, 100, &p, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unable to calculate ready pods"));
}

/* (derived) Object/External Value targets multiply by Running+Ready pods and, from zero,
 * ignore tolerance: usage == target gives 1. */
static void test_value_targets(void) {
    hpa_pod pods[3] = {ready_pod("a", 0, 0), ready_pod("b", 0, 1), ready_pod("c", 0, 2)};
    pods[2].ready = HPA_READY_FALSE;
    hpa_calc_ctx c = ctx_of(pods, 3);
    hpa_proposal p;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(hpa_calc_value(&c, 3, 1000, 1950, &p, &err), 0);
    CU_ASSERT_EQUAL(p.replicas, 4); /* ceil(1.95 * 2 ready) */
    CU_ASSERT_EQUAL_FATAL(hpa_calc_value(&c, 0, 1000, 1000, &p, &err), 0);
    CU_ASSERT_EQUAL(p.replicas, 1);
    CU_ASSERT_EQUAL_FATAL(hpa_calc_value(&c, 0, 1000, 0, &p, &err), 0);
    CU_ASSERT_EQUAL(p.replicas, 0);
    /* huge replica count: saturates at MaxInt32 */
    CU_ASSERT_EQUAL_FATAL(hpa_calc_value(&c, 3, 1, INT64_MAX, &p, &err), 0);
    CU_ASSERT_EQUAL(p.replicas, INT32_MAX);
    CU_ASSERT_EQUAL(p.usage_milli, INT64_MAX);
}

/* (derived) AverageValue with status.replicas 0: +Inf ratio -> ceil(value/target); 0/0 -> NaN
 * -> not within -> ceil(0) = 0. No crash, no undefined conversion. */
static void test_average_value_zero_status(void) {
    hpa_calc_ctx c = ctx_of(NULL, 0);
    hpa_proposal p;
    hpa_calc_object_average(&c, 0, 1000, 2500, &p);
    CU_ASSERT_EQUAL(p.replicas, 3);
    CU_ASSERT_EQUAL(p.usage_milli, INT64_MAX); /* ceil(2500/0) = +Inf, on the rail */
    hpa_calc_object_average(&c, 0, 1000, 0, &p);
    CU_ASSERT_EQUAL(p.replicas, 0);
    CU_ASSERT_EQUAL(p.usage_milli, 0);
    hpa_calc_external_average(&c, 4, 1000, 4100, &p);
    CU_ASSERT_EQUAL(p.replicas, 4); /* 4100/4000 within 10 % */
    CU_ASSERT_EQUAL(p.usage_milli, 1025);
}

static void test_external_sums_saturate(void) {
    int64_t over[2] = {INT64_MAX, 1};
    CU_ASSERT_EQUAL(hpa_external_sum_value(over, 2), INT64_MAX);
    CU_ASSERT_EQUAL(hpa_external_sum_average(over, 2), INT64_MAX);
    int64_t neg[2] = {-5, 3};
    CU_ASSERT_EQUAL(hpa_external_sum_value(neg, 2), -2);
    /* upstream's per-pod sum treats any negative running sum as an overflow */
    CU_ASSERT_EQUAL(hpa_external_sum_average(neg, 2), INT64_MAX);
    int64_t big[3] = {INT64_MAX / 2, INT64_MAX / 2, 1};
    CU_ASSERT_EQUAL(hpa_external_sum_value(big, 3), INT64_MAX);
}

/* int64 usages beyond what a naive int64 sum or x100 holds: exact 128-bit sums, the percent on
 * the int32 rail, the proposal on the int32 rail. */
static void test_utilization_int64_saturation(void) {
    hpa_pod pods[2] = {ready_pod("a", 1, 0), ready_pod("b", 1, 1)};
    hpa_pod_metric m[2] = {metric("a", INT64_MAX), metric("b", INT64_MAX)};
    hpa_calc_ctx c = ctx_of(pods, 2);
    hpa_proposal p;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(hpa_calc_resource_utilization(&c, 2, 50, "cpu", "", m, 2, &p, &err), 0);
    CU_ASSERT_EQUAL(p.utilization, INT32_MAX);
    CU_ASSERT_EQUAL(p.usage_milli, INT64_MAX); /* the exact average */
    CU_ASSERT_EQUAL(p.replicas, 85899346);     /* ceil(2147483647 / 50 * 2) */
    CU_ASSERT_EQUAL_FATAL(hpa_calc_plain(&c, 2, 1, 0, m, 2, &p, &err), 0);
    CU_ASSERT_EQUAL(p.usage_milli, INT64_MAX);
    CU_ASSERT_EQUAL(p.replicas, INT32_MAX);
}

static void test_group_pods(void) {
    hpa_pod pods[5] = {ready_pod("ok", 1, 0), ready_pod("gone", 1, 1), ready_pod("pend", 1, 2),
                       ready_pod("nometric", 1, 3), ready_pod("fresh", 1, 4)};
    pods[1].deleted = 1;
    pods[2].phase = HPA_PHASE_PENDING;
    pods[4].start_time_us = -60 * S; /* inside the 120 s cpu initialisation period */
    pods[4].ready_transition_us = -30 * S;
    hpa_pod_metric m[4] = {metric("ok", 1), metric("gone", 1), metric("pend", 1),
                           metric("fresh", 1)};
    m[3].timestamp_us = -1 * S; /* before transition + window (-30 + 60 s): not trusted */
    hpa_group_cfg cfg = {1, 0, 120 * S, 10 * S};
    hpa_pod_class cls[5];
    CU_ASSERT_EQUAL(hpa_group_pods(pods, 5, m, 4, &cfg, cls), 1);
    CU_ASSERT_EQUAL(cls[0], HPA_POD_READY);
    CU_ASSERT_EQUAL(cls[1], HPA_POD_IGNORED);
    CU_ASSERT_EQUAL(cls[2], HPA_POD_UNREADY);
    CU_ASSERT_EQUAL(cls[3], HPA_POD_MISSING);
    CU_ASSERT_EQUAL(cls[4], HPA_POD_UNREADY);
    cfg.cpu_rules = 0; /* memory or a custom metric: no readiness filtering */
    CU_ASSERT_EQUAL(hpa_group_pods(pods, 5, m, 4, &cfg, cls), 2);
    /* (derived) after the period, start + delay == transition is not "After": ready */
    pods[4].start_time_us = -600 * S;
    pods[4].ready = HPA_READY_FALSE;
    pods[4].ready_transition_us = -590 * S;
    cfg.cpu_rules = 1;
    hpa_group_pods(pods, 5, m, 4, &cfg, cls);
    CU_ASSERT_EQUAL(cls[4], HPA_POD_READY);
    pods[4].ready_transition_us = -591 * S; /* within the delay: never been ready */
    hpa_group_pods(pods, 5, m, 4, &cfg, cls);
    CU_ASSERT_EQUAL(cls[4], HPA_POD_UNREADY);
}

static void test_requests(void) {
    hpa_container cs[2] = {{"app", 1, 100, 0}, {"side", 1, 50, 0}};
    hpa_container init[2] = {{"setup", 1, 1000, 0}, {"proxy", 1, 25, 1}};
    hpa_pod p = {0};
    p.name = "p";
    p.containers = cs;
    p.ncontainers = 2;
    p.init_containers = init;
    p.ninit_containers = 2;
    int64_t r;
    sim_error err;
    CU_ASSERT_EQUAL(hpa_pod_request(&p, "cpu", "", 0, &r, &err), 0);
    CU_ASSERT_EQUAL(r, 175); /* containers + the sidecar, not the ordinary init container */
    CU_ASSERT_EQUAL(hpa_pod_request(&p, "cpu", "proxy", 0, &r, &err), 0);
    CU_ASSERT_EQUAL(r, 25);
    p.has_pod_request = 1;
    p.pod_request_milli = 800;
    CU_ASSERT_EQUAL(hpa_pod_request(&p, "cpu", "", 1, &r, &err), 0);
    CU_ASSERT_EQUAL(r, 800);
    CU_ASSERT_EQUAL(hpa_pod_request(&p, "cpu", "", 0, &r, &err), 0);
    CU_ASSERT_EQUAL(r, 175); /* gate off */
    CU_ASSERT_EQUAL(hpa_pod_request(&p, "cpu", "app", 1, &r, &err), 0);
    CU_ASSERT_EQUAL(r, 100); /* a named container wins over pod-level requests */
    CU_ASSERT_EQUAL(hpa_pod_request(&p, "cpu", "nope", 0, &r, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "container nope not found in Pod p");
    cs[1].has_request = 0;
    CU_ASSERT_EQUAL(hpa_pod_request(&p, "cpu", "", 0, &r, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "missing request for cpu in container side of Pod p");
    CU_ASSERT_EQUAL(hpa_pod_request(&p, "cpu", "app", 0, &r, &err), 0); /* only app counts */
}

static void test_resource_samples(void) {
    hpa_container_usage full[2] = {{"c1", 1, 100}, {"c2", 1, 200}};
    hpa_container_usage slot[2] = {{"c1", 1, 100}, {"", 0, 0}}; /* an empty slot */
    hpa_resource_sample s[3] = {
        {"a", 0, 60 * S, full, 2}, {"b", 0, 60 * S, slot, 2}, {"c", 0, 60 * S, NULL, 0}};
    hpa_pod_metric out[3];
    int n;
    sim_error err;
    CU_ASSERT_EQUAL(hpa_resource_pod_metrics(s, 3, "", out, &n, &err), 0);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_STRING_EQUAL(out[0].pod, "a");
    CU_ASSERT_EQUAL(out[0].value_milli, 300);
    CU_ASSERT_EQUAL(hpa_resource_pod_metrics(s, 3, "c1", out, &n, &err), 0);
    CU_ASSERT_EQUAL(n, 2); /* a and b have c1; c has no containers */
    CU_ASSERT_EQUAL(hpa_resource_pod_metrics(s, 3, "c2", out, &n, &err), 0);
    CU_ASSERT_EQUAL(n, 1); /* only a; b lacks c2: missing, not an error */
    CU_ASSERT_EQUAL(hpa_resource_pod_metrics(s, 0, "", out, &n, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "no metrics returned from resource metrics API");
}

/* Many pods (names matched through a hash index, so linear time) and map semantics: a pod
 * reported twice counts once, with its later sample. */
static void test_many_pods_and_duplicates(void) {
    enum { N = 20000 };
    static hpa_pod pods[N];
    static hpa_container cont[N];
    static hpa_pod_metric m[N + 1];
    static char names[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "p%d", i);
        cont[i] = (hpa_container){"c", 1, 1000, 0};
        pods[i] = ready_pod(names[i], 1000, 0);
        pods[i].containers = &cont[i];
    }
    /* the first half report 200m; the second half is missing */
    for (int i = 0; i < N / 2; i++)
        m[i] = metric(names[i], 200);
    m[N / 2] = metric(names[0], 1200); /* a second, later sample of p0 */
    hpa_calc_ctx c = ctx_of(pods, N);
    hpa_proposal p;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(
        hpa_calc_resource_utilization(&c, N, 50, "cpu", "", m, N / 2 + 1, &p, &err), 0);
    /* (1200 + 9999 x 200) / (10000 x 1000) = 20.1 % -> 20 % */
    CU_ASSERT_EQUAL(p.utilization, 20);
    CU_ASSERT_EQUAL(p.usage_milli, (1200 + 9999 * 200) / 10000);
    /* scale-down with missing pods: they count at 100 %: (2001200 + 10000000) / 20000000 =
     * 60 % -> 1.2 x target: the fill flipped the direction, keep N */
    CU_ASSERT_EQUAL(p.replicas, N);
    CU_ASSERT_EQUAL_FATAL(hpa_calc_plain(&c, N, 100, 0, m, N / 2 + 1, &p, &err), 0);
    CU_ASSERT_EQUAL(p.usage_milli, (1200 + 9999 * 200) / 10000);
}

int main(void) {
    static const cu_test calc_tests[] = {
        {"saturating_conversions", test_saturating_conversions},
        {"tolerance_inclusive", test_tolerance_inclusive},
        {"utilization_truncated", test_utilization_truncated},
        {"missing_fallback_above_100", test_missing_fallback_above_100},
        {"fill_flips_direction", test_fill_flips_direction},
        {"plain_metric_ignores_cpu_rules", test_plain_metric_ignores_cpu_rules},
        {"errors", test_errors},
        {"value_targets", test_value_targets},
        {"average_value_zero_status", test_average_value_zero_status},
        {"external_sums_saturate", test_external_sums_saturate},
        {"utilization_int64_saturation", test_utilization_int64_saturation},
        {NULL, NULL},
    };
    static const cu_test pod_tests[] = {
        {"group_pods", test_group_pods},
        {"requests", test_requests},
        {"resource_samples", test_resource_samples},
        {"many_pods_and_duplicates", test_many_pods_and_duplicates},
        {NULL, NULL},
    };
    cu_add_suite("hpa_calc", calc_tests);
    cu_add_suite("hpa_pods", pod_tests);
    return cu_run_all();
}
