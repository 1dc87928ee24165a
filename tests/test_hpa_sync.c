/* test_hpa_sync.c: hpa_sync across successive syncs with kept state: the worked examples of
 * docs/hpa.md (the seed's two HPAs), the first-sync recommendation, failure paths, condition
 * bookkeeping and huge replica counts. */
#include "cu.h"

#include <stdio.h>
#include <string.h>

#include "sim/control/hpa/hpa.h"

#define S 1000000LL

/* A small cluster: up to 16 pods with one container each. */
typedef struct world {
    hpa_container cont[16];
    hpa_pod pods[16];
    hpa_resource_sample samples[16];
    hpa_container_usage usage[16];
    hpa_pod_metric values[16];
    char names[16][16];
    int n;
} world;

/* Pods 0..n-1: started at start_us[i], Ready since ready_us[i]; cpu usage or metric value. */
static void world_set(world *w, int n, const int64_t *start_us, const int64_t *ready_us,
                      const int64_t *value_milli, int64_t now_us, int64_t request_milli) {
    memset(w, 0, sizeof *w);
    w->n = n;
    for (int i = 0; i < n; i++) {
        snprintf(w->names[i], sizeof w->names[i], "pod-%d", i);
        w->cont[i] = (hpa_container){"main", 1, request_milli, 0};
        hpa_pod *p = &w->pods[i];
        p->name = w->names[i];
        p->phase = HPA_PHASE_RUNNING;
        p->ready = HPA_READY_TRUE;
        p->ready_transition_us = ready_us[i];
        p->has_start_time = 1;
        p->start_time_us = start_us[i];
        p->containers = &w->cont[i];
        p->ncontainers = 1;
        w->usage[i] = (hpa_container_usage){"main", 1, value_milli[i]};
        /* metrics-server: a 15 s window ending now */
        w->samples[i] = (hpa_resource_sample){w->names[i], now_us, 15 * S, &w->usage[i], 1};
        w->values[i] = (hpa_pod_metric){w->names[i], value_milli[i], now_us, 60 * S};
    }
}

typedef struct hpa_fixture {
    hpa_config cfg;
    hpa_spec spec;
    hpa_metric_spec metric;
    hpa_state state;
    hpa_status status;
    hpa_decision d;
    int32_t replicas; /* the target's spec.replicas */
} hpa_fixture;

/* Seed HPA 1 (KServe sklearn-iris): cpu Utilization 10 %, 1..10, behavior with the defaults. */
static void fixture_cpu(hpa_fixture *f) {
    memset(f, 0, sizeof *f);
    hpa_config_default(&f->cfg);
    f->metric = (hpa_metric_spec){HPA_METRIC_RESOURCE,
                                  "Resource",
                                  "cpu",
                                  NULL,
                                  NULL,
                                  NULL,
                                  NULL,
                                  {HPA_TARGET_UTILIZATION, 1, 10, 0, 0, 0, 0}};
    f->spec.min_replicas = 1;
    f->spec.max_replicas = 10;
    f->spec.metrics = &f->metric;
    f->spec.nmetrics = 1;
    f->spec.behavior.present = 1;
    hpa_state_init(&f->state);
    f->replicas = 1;
}

/* Seed HPA 2 (KServe qwen): Pods metric DCGM_CUSTOM_PROCESS_SM_UTIL AverageValue 50, 1..2. */
static void fixture_gpu(hpa_fixture *f) {
    memset(f, 0, sizeof *f);
    hpa_config_default(&f->cfg);
    f->metric = (hpa_metric_spec){HPA_METRIC_PODS,
                                  "Pods",
                                  "DCGM_CUSTOM_PROCESS_SM_UTIL",
                                  NULL,
                                  NULL,
                                  NULL,
                                  NULL,
                                  {HPA_TARGET_AVERAGE_VALUE, 0, 0, 1, 50000, 0, 0}};
    f->spec.min_replicas = 1;
    f->spec.max_replicas = 2;
    f->spec.metrics = &f->metric;
    f->spec.nmetrics = 1;
    hpa_state_init(&f->state);
    f->replicas = 1;
}

static void sync_at(hpa_fixture *f, const world *w, int64_t now_us) {
    hpa_metric_data data = {0};
    data.resource = w->samples;
    data.nresource = w->n;
    data.pod_values = w->values;
    data.npod_values = w->n;
    hpa_inputs in = {0};
    in.now_us = now_us;
    in.spec_replicas = f->replicas;
    in.status_replicas = w->n;
    in.pods = w->pods;
    in.npods = w->n;
    in.metrics = &data;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(hpa_sync(&f->cfg, &f->spec, &f->state, &f->status, &in, &f->d, &err), 0);
    f->replicas = f->d.replicas_after;
}

static const char *reason(const hpa_fixture *f, hpa_condition_type t) {
    return f->status.conditions.c[t].set ? f->status.conditions.c[t].reason : "(unset)";
}

static const char *last_event(const hpa_fixture *f) {
    return f->d.events.n ? f->d.events.ev[f->d.events.n - 1].message : "(none)";
}

/* docs/hpa.md, example 1 (sklearn-iris). */
static void test_seed_cpu_example(void) {
    hpa_fixture f;
    fixture_cpu(&f);
    world w;
    int64_t old = -3600 * S;
    /* t=0: one pod at 350m of its 1000m request: 35 % -> ceil(3.5 x 1) = 4 (rate limit 5) */
    world_set(&w, 1, (int64_t[]){old}, (int64_t[]){old}, (int64_t[]){350}, 0, 1000);
    sync_at(&f, &w, 0);
    CU_ASSERT_EQUAL(f.d.metrics[0].detail.utilization, 35);
    CU_ASSERT_EQUAL(f.d.proposal, 4);
    CU_ASSERT_EQUAL(f.d.stabilized, 4);
    CU_ASSERT_EQUAL(f.replicas, 4);
    CU_ASSERT_STRING_EQUAL(last_event(&f), "New size: 4; reason: cpu resource utilization "
                                           "(percentage of request) above target");
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_SCALING_LIMITED), "DesiredWithinRange");

    /* t=15: the 3 new pods started 10 s ago, Ready 2 s ago; their 15 s samples began before
     * they were ready, so for cpu they are unready and filled with 0 on a scale-up:
     * 400m/4000m = 10 % = target -> no change. */
    int64_t t = 15 * S;
    world_set(&w, 4, (int64_t[]){old, t - 10 * S, t - 10 * S, t - 10 * S},
              (int64_t[]){old, t - 2 * S, t - 2 * S, t - 2 * S}, (int64_t[]){400, 90, 90, 90}, t,
              1000);
    sync_at(&f, &w, t);
    CU_ASSERT_EQUAL(f.d.metrics[0].detail.utilization, 40);
    CU_ASSERT_EQUAL(f.d.proposal, 4);
    CU_ASSERT_EQUAL(f.replicas, 4);
    CU_ASSERT_FALSE(f.d.rescale);
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_ABLE_TO_SCALE), "ReadyForNewScale");

    /* t=90: all four trusted at 200m: 20 % -> ceil(2 x 4) = 8, allowed (4 + 4 or 4 x 2) */
    t = 90 * S;
    int64_t st4[4] = {old, 5 * S, 5 * S, 5 * S}, rd4[4] = {old, 13 * S, 13 * S, 13 * S};
    world_set(&w, 4, st4, rd4, (int64_t[]){200, 200, 200, 200}, t, 1000);
    sync_at(&f, &w, t);
    CU_ASSERT_EQUAL(f.replicas, 8);
    CU_ASSERT_STRING_EQUAL(last_event(&f), "New size: 8; reason: cpu resource utilization "
                                           "(percentage of request) above target");

    /* t=300: load gone, 8 pods at 2m: 0 % -> proposal 0, but the 300 s scale-down window
     * remembers 8: ScaleDownStabilized, no change (the seed's `kubectl describe`). */
    t = 300 * S;
    int64_t st8[8], rd8[8], v8[8];
    for (int i = 0; i < 8; i++)
        st8[i] = old, rd8[i] = old, v8[i] = 2;
    world_set(&w, 8, st8, rd8, v8, t, 1000);
    sync_at(&f, &w, t);
    CU_ASSERT_EQUAL(f.d.proposal, 0);
    CU_ASSERT_EQUAL(f.d.stabilized, 8);
    CU_ASSERT_EQUAL(f.replicas, 8);
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_ABLE_TO_SCALE), "ScaleDownStabilized");
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_SCALING_ACTIVE), "ValidMetricFound");
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_SCALING_LIMITED), "DesiredWithinRange");

    /* syncs every 15 s; with behaviour a recommendation counts while its age is < 300 s, so
     * the 8 of t=90 is gone at t=390 (the legacy path keeps it at exactly 300 s): it drops to
     * min 1 in one step (Percent 100 per 15 s allows 0) */
    for (t = 315 * S; t <= 375 * S; t += 15 * S) {
        world_set(&w, 8, st8, rd8, v8, t, 1000);
        sync_at(&f, &w, t);
        CU_ASSERT_EQUAL(f.replicas, 8);
    }
    t = 390 * S;
    world_set(&w, 8, st8, rd8, v8, t, 1000);
    sync_at(&f, &w, t);
    CU_ASSERT_EQUAL(f.replicas, 1);
    CU_ASSERT_STRING_EQUAL(last_event(&f), "New size: 1; reason: All metrics below target");
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_SCALING_LIMITED), "TooFewReplicas");
    hpa_state_free(&f.state);
}

/* docs/hpa.md, example 2 (qwen, GPU SM utilization as a Pods metric, no behavior). */
static void test_seed_gpu_example(void) {
    hpa_fixture f;
    fixture_gpu(&f);
    world w;
    int64_t old = -3600 * S;
    /* t=0: one pod at 90 -> ceil(1.8 x 1) = 2 = max */
    world_set(&w, 1, (int64_t[]){old}, (int64_t[]){old}, (int64_t[]){90000}, 0, 4000);
    sync_at(&f, &w, 0);
    CU_ASSERT_EQUAL(f.replicas, 2);
    CU_ASSERT_STRING_EQUAL(last_event(&f),
                           "New size: 2; reason: pods metric DCGM_CUSTOM_PROCESS_SM_UTIL above "
                           "target");
    /* load ends at t=60: proposal 0, held at 2 for the 300 s window of recommendations */
    int64_t t;
    int scaled_down_at = -1;
    for (t = 60 * S; t <= 600 * S; t += 15 * S) {
        world_set(&w, f.replicas, (int64_t[]){old, old}, (int64_t[]){old, old}, (int64_t[]){0, 0},
                  t, 4000);
        sync_at(&f, &w, t);
        if (f.replicas == 1 && scaled_down_at < 0) {
            scaled_down_at = (int)(t / S);
            CU_ASSERT_STRING_EQUAL(last_event(&f), "New size: 1; reason: All metrics below target");
        }
        if (scaled_down_at < 0)
            CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_ABLE_TO_SCALE), "ScaleDownStabilized");
    }
    /* the only recommendation of 2 was stored at t=0; the legacy window keeps it while its age
     * is <= 300 s, so the scale-down comes with the sync at t=315 */
    CU_ASSERT_EQUAL(scaled_down_at, 315);
    /* afterwards, at 1 pod and metric 0: exactly the seed's describe output */
    CU_ASSERT_EQUAL(f.replicas, 1);
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_ABLE_TO_SCALE), "ReadyForNewScale");
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_SCALING_ACTIVE), "ValidMetricFound");
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_SCALING_LIMITED), "TooFewReplicas");
    CU_ASSERT_TRUE(f.status.conditions.c[HPA_COND_SCALING_LIMITED].status_true);
    CU_ASSERT_STRING_EQUAL(f.status.conditions.c[HPA_COND_SCALING_ACTIVE].message,
                           "the HPA was able to successfully calculate a replica count from pods "
                           "metric DCGM_CUSTOM_PROCESS_SM_UTIL");
    hpa_state_free(&f.state);
}

/* (derived) The first sync stores (current, now): no scale-down for the first 5 minutes. */
static void test_initial_recommendation_blocks_scale_down(void) {
    hpa_fixture f;
    fixture_gpu(&f);
    f.spec.max_replicas = 5;
    f.replicas = 5;
    world w;
    int64_t old = -3600 * S, st[5] = {old, old, old, old, old}, v[5] = {0};
    world_set(&w, 5, st, st, v, 0, 1000);
    sync_at(&f, &w, 0);
    CU_ASSERT_EQUAL(f.d.desired, 0);
    CU_ASSERT_EQUAL(f.d.stabilized, 5);
    CU_ASSERT_EQUAL(f.replicas, 5);
    world_set(&w, 5, st, st, v, 300 * S, 1000);
    sync_at(&f, &w, 300 * S); /* age 300 s is not older than the window yet */
    CU_ASSERT_EQUAL(f.replicas, 5);
    world_set(&w, 5, st, st, v, 301 * S, 1000);
    sync_at(&f, &w, 301 * S);
    CU_ASSERT_EQUAL(f.replicas, 1);
    hpa_state_free(&f.state);
}

static void test_disabled_and_clamp_paths(void) {
    hpa_fixture f;
    fixture_cpu(&f);
    world w;
    world_set(&w, 0, NULL, NULL, NULL, 0, 1000);
    f.replicas = 0;
    sync_at(&f, &w, 0);
    CU_ASSERT_EQUAL(f.d.path, HPA_PATH_DISABLED);
    CU_ASSERT_FALSE(f.d.rescale);
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_SCALING_ACTIVE), "ScalingDisabled");
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_ABLE_TO_SCALE), "SucceededGetScale");
    f.replicas = 12; /* above max: straight to max, metrics not evaluated */
    hpa_status fresh = {0};
    f.status = fresh;
    sync_at(&f, &w, 0);
    CU_ASSERT_EQUAL(f.d.path, HPA_PATH_ABOVE_MAX);
    CU_ASSERT_EQUAL(f.replicas, 10);
    CU_ASSERT_EQUAL(f.d.nmetrics, 0);
    CU_ASSERT_FALSE(f.status.conditions.c[HPA_COND_SCALING_ACTIVE].set);
    CU_ASSERT_STRING_EQUAL(last_event(&f), "New size: 10; reason: Current number of replicas above "
                                           "Spec.MaxReplicas");
    hpa_state_free(&f.state);
}

/* A failing metric never leads to a scale-down, but a healthy scale-up proceeds. */
static void test_failing_metric_veto(void) {
    hpa_fixture f;
    fixture_cpu(&f);
    hpa_metric_spec ms[2] = {f.metric,
                             {HPA_METRIC_EXTERNAL,
                              "External",
                              "qps",
                              NULL,
                              NULL,
                              NULL,
                              NULL,
                              {HPA_TARGET_VALUE, 0, 0, 0, 0, 1, 1000}}};
    f.spec.metrics = ms;
    f.spec.nmetrics = 2;
    f.replicas = 4;
    f.status.desired_replicas = 4;
    world w;
    int64_t old = -3600 * S, st[4] = {old, old, old, old};
    world_set(&w, 4, st, st, (int64_t[]){10, 10, 10, 10}, 0, 1000); /* 1 %: scale-down */
    hpa_metric_data data[2] = {{0}};
    data[0].resource = w.samples;
    data[0].nresource = 4;
    data[1].failed = 1;
    data[1].error = "boom";
    hpa_inputs in = {0};
    in.spec_replicas = 4;
    in.status_replicas = 4;
    in.pods = w.pods;
    in.npods = 4;
    in.metrics = data;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(hpa_sync(&f.cfg, &f.spec, &f.state, &f.status, &in, &f.d, &err), 0);
    CU_ASSERT_EQUAL(f.d.path, HPA_PATH_METRICS_FAILED);
    CU_ASSERT_FALSE(f.d.rescale);
    CU_ASSERT_EQUAL(f.status.desired_replicas, 4);
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_SCALING_ACTIVE), "FailedGetExternalMetric");
    CU_ASSERT_PTR_NOT_NULL(strstr(f.d.error, "invalid metrics (1 invalid out of 2)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(f.d.error, "boom"));
    /* the same with the cpu metric hot: 90 % -> 36, capped at max 10 by the behaviour path */
    world_set(&w, 4, st, st, (int64_t[]){900, 900, 900, 900}, 0, 1000);
    CU_ASSERT_EQUAL_FATAL(hpa_sync(&f.cfg, &f.spec, &f.state, &f.status, &in, &f.d, &err), 0);
    CU_ASSERT_EQUAL(f.d.path, HPA_PATH_METRICS);
    CU_ASSERT_TRUE(f.d.scale_updated);
    CU_ASSERT_EQUAL(f.d.replicas_after, 8); /* 4 + 4 pods or +100 % per 15 s */
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_SCALING_LIMITED), "ScaleUpLimit");
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_SCALING_ACTIVE), "ValidMetricFound");
    CU_ASSERT_PTR_NOT_NULL(strstr(f.d.error, "invalid metrics"));
    hpa_state_free(&f.state);
}

static void test_update_failure_and_transitions(void) {
    hpa_fixture f;
    fixture_gpu(&f);
    f.status.desired_replicas = 1;
    world w;
    int64_t old = -3600 * S;
    world_set(&w, 1, (int64_t[]){old}, (int64_t[]){old}, (int64_t[]){90000}, 0, 1000);
    hpa_metric_data data = {0};
    data.pod_values = w.values;
    data.npod_values = 1;
    hpa_inputs in = {0};
    in.spec_replicas = 1;
    in.status_replicas = 1;
    in.pods = w.pods;
    in.npods = 1;
    in.metrics = &data;
    in.update_scale_fails = 1;
    in.update_scale_error = "conflict";
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(hpa_sync(&f.cfg, &f.spec, &f.state, &f.status, &in, &f.d, &err), 0);
    CU_ASSERT_TRUE(f.d.rescale);
    CU_ASSERT_FALSE(f.d.scale_updated);
    CU_ASSERT_EQUAL(f.status.desired_replicas, 1); /* the old value stays */
    CU_ASSERT_STRING_EQUAL(reason(&f, HPA_COND_ABLE_TO_SCALE), "FailedUpdateScale");
    CU_ASSERT_STRING_EQUAL(last_event(&f), "New size: 2; reason: pods metric "
                                           "DCGM_CUSTOM_PROCESS_SM_UTIL above target; error: "
                                           "conflict");
    CU_ASSERT_EQUAL(f.status.conditions.c[HPA_COND_ABLE_TO_SCALE].last_transition_us, 0);
    /* a later success flips AbleToScale back: its transition time moves; ScalingActive stays
     * True and keeps its time */
    in.update_scale_fails = 0;
    in.now_us = 15 * S;
    CU_ASSERT_EQUAL_FATAL(hpa_sync(&f.cfg, &f.spec, &f.state, &f.status, &in, &f.d, &err), 0);
    CU_ASSERT_TRUE(f.d.scale_updated);
    CU_ASSERT_EQUAL(f.status.desired_replicas, 2);
    CU_ASSERT_EQUAL(f.status.conditions.c[HPA_COND_ABLE_TO_SCALE].last_transition_us, 15 * S);
    CU_ASSERT_EQUAL(f.status.conditions.c[HPA_COND_SCALING_ACTIVE].last_transition_us, 0);
    CU_ASSERT_TRUE(f.status.has_last_scale_time);
    hpa_state_free(&f.state);
}

/* Huge replica counts end on the int32 rail instead of wrapping. */
static void test_huge_counts(void) {
    hpa_fixture f;
    fixture_gpu(&f);
    f.metric = (hpa_metric_spec){HPA_METRIC_EXTERNAL,
                                 "External",
                                 "queue",
                                 NULL,
                                 NULL,
                                 NULL,
                                 NULL,
                                 {HPA_TARGET_VALUE, 0, 0, 0, 0, 1, 1}};
    f.spec.max_replicas = INT32_MAX;
    world w;
    int64_t old = -3600 * S;
    world_set(&w, 1, (int64_t[]){old}, (int64_t[]){old}, (int64_t[]){0}, 0, 1000);
    int64_t values[2] = {INT64_MAX, INT64_MAX};
    hpa_metric_data data = {0};
    data.external_values = values;
    data.nexternal = 2;
    hpa_inputs in = {0};
    in.pods = w.pods;
    in.npods = 1;
    in.metrics = &data;
    sim_error err;
    /* legacy path: current 1e9 -> scaleUpLimit 2e9 < max: ScaleUpLimit */
    in.spec_replicas = 1000000000;
    CU_ASSERT_EQUAL_FATAL(hpa_sync(&f.cfg, &f.spec, &f.state, &f.status, &in, &f.d, &err), 0);
    CU_ASSERT_EQUAL(f.d.proposal, INT32_MAX);
    CU_ASSERT_EQUAL(f.d.replicas_after, 2000000000);
    CU_ASSERT_STRING_EQUAL(f.d.limit.reason, "ScaleUpLimit");
    CU_ASSERT_EQUAL(f.status.metrics[0].value_milli, INT64_MAX);
    /* current 1.5e9: 2 x current saturates, the max is the limit */
    in.spec_replicas = 1500000000;
    CU_ASSERT_EQUAL_FATAL(hpa_sync(&f.cfg, &f.spec, &f.state, &f.status, &in, &f.d, &err), 0);
    CU_ASSERT_EQUAL(f.d.replicas_after, INT32_MAX);
    CU_ASSERT_STRING_EQUAL(f.d.limit.reason, "DesiredWithinRange");
    /* behaviour path: +100 % of 1.5e9 saturates too */
    f.spec.behavior.present = 1;
    in.now_us = 1 * S;
    CU_ASSERT_EQUAL_FATAL(hpa_sync(&f.cfg, &f.spec, &f.state, &f.status, &in, &f.d, &err), 0);
    CU_ASSERT_EQUAL(f.d.replicas_after, INT32_MAX);
    CU_ASSERT_EQUAL(f.state.up[0].change, INT32_MAX - 1500000000);
    hpa_state_free(&f.state);
}

static void test_default_metric_and_limits(void) {
    hpa_fixture f;
    fixture_cpu(&f);
    f.spec.nmetrics = 0; /* defaults to cpu Utilization 80 % */
    f.replicas = 2;
    world w;
    int64_t old = -3600 * S, st[2] = {old, old};
    world_set(&w, 2, st, st, (int64_t[]){1000, 1000}, 0, 1000);
    sync_at(&f, &w, 0);
    CU_ASSERT_EQUAL(f.d.metrics[0].detail.utilization, 100);
    CU_ASSERT_EQUAL(f.replicas, 3); /* ceil(1.25 x 2) */
    CU_ASSERT_STRING_EQUAL(f.d.metrics[0].name, "cpu resource utilization (percentage of request)");
    hpa_spec many = f.spec;
    many.nmetrics = HPA_MAX_METRICS + 1;
    hpa_inputs in = {0};
    sim_error err;
    CU_ASSERT_EQUAL(hpa_sync(&f.cfg, &f.spec, &f.state, &f.status, &in, &f.d, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "one metric data entry per metric"));
    CU_ASSERT_EQUAL(hpa_sync(&f.cfg, &many, &f.state, &f.status, &in, &f.d, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "at most"));
    hpa_state_free(&f.state);
}

int main(void) {
    static const cu_test tests[] = {
        {"seed_cpu_example", test_seed_cpu_example},
        {"seed_gpu_example", test_seed_gpu_example},
        {"initial_recommendation_blocks_scale_down", test_initial_recommendation_blocks_scale_down},
        {"disabled_and_clamp_paths", test_disabled_and_clamp_paths},
        {"failing_metric_veto", test_failing_metric_veto},
        {"update_failure_and_transitions", test_update_failure_and_transitions},
        {"huge_counts", test_huge_counts},
        {"default_metric_and_limits", test_default_metric_and_limits},
        {NULL, NULL},
    };
    cu_add_suite("hpa_sync", tests);
    return cu_run_all();
}
