/* test_autoscale.c: the HPA in the loop, as scenario regressions built in C (the scenario files
 * carry the same settings): the seed's sklearn-iris (cpu 10 %, 1..10, hey -z 2m -c 20) and qwen
 * (Pods metric DCGM_CUSTOM_PROCESS_SM_UTIL averageValue 50, 1..2, hey -z 2m -c 5) services, a
 * slow-start case where the unready-pod rule holds the recommendation, event texts, and
 * determinism of the outputs. */
#include "cu.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/model/hpa_controller.h"
#include "sim/model/llm_presets.h"
#include "sim/model/sim.h"
#include "sim/output/describe.h"
#include "sim/output/events_log.h"

#define SEC  INT64_C(1000000)
#define MAXT 1200

typedef struct trace {
    int n;
    int desired[MAXT], current[MAXT], ready[MAXT];
    double seen[MAXT], truth[MAXT];
} trace;

static void on_row(void *ctx, const sim_second *r) {
    trace *t = ctx;
    int i = (int)(r->t_us / SEC);
    if (i < 0 || i >= MAXT)
        return;
    t->desired[i] = r->desired_replicas;
    t->current[i] = r->current_replicas;
    t->ready[i] = r->pods_ready;
    t->seen[i] = r->metric_seen[0];
    t->truth[i] = r->metric_true[0];
    if (i + 1 > t->n)
        t->n = i + 1;
}

static load_cfg hey(int c, int64_t z_us) {
    load_cfg l;
    memset(&l, 0, sizeof l);
    strcpy(l.name, "hey");
    l.kind = LOAD_CLOSED;
    l.end_us = INT64_MAX;
    l.workers = c;
    l.duration_us = z_us;
    l.timeout_us = 20 * SEC;
    return l;
}

static hpa_metric_spec cpu_metric(int pct) {
    hpa_metric_spec m;
    memset(&m, 0, sizeof m);
    m.type = HPA_METRIC_RESOURCE;
    m.type_name = "Resource";
    m.name = "cpu";
    m.target.type = HPA_TARGET_UTILIZATION;
    m.target.has_utilization = 1;
    m.target.average_utilization = pct;
    return m;
}

static void hpa_setup(scenario_cfg *c, const char *name, hpa_metric_spec *m, int min, int max) {
    c->hpa.present = 1;
    snprintf(c->hpa.name, sizeof c->hpa.name, "%s", name);
    c->hpa.spec.min_replicas = min;
    c->hpa.spec.max_replicas = max;
    c->hpa.spec.metrics = m;
    c->hpa.spec.nmetrics = 1;
    hpa_config_default(&c->hpa.controller);
    c->hpa.sync_period_us = 15 * SEC;
}

/* scenarios/sklearn-iris.json, without the file. */
static void sklearn(scenario_cfg *c, load_cfg *l, hpa_metric_spec *m, int64_t duration_us) {
    memset(c, 0, sizeof *c);
    c->name = "sklearn-iris";
    c->seed = 1;
    c->duration_us = duration_us;
    strcpy(c->service.name, "sklearn-iris-predictor");
    c->service.replicas = 1;
    c->service.balancer = LB_RANDOM;
    pod_cfg *p = &c->service.pod;
    p->cpu_request_milli = 1000;
    p->cpu_limit_milli = 1000;
    p->cpu_idle_milli = 2;
    p->memory_request_bytes = 200 << 20;
    p->memory_base_bytes = 150 << 20;
    p->demand.kind = DIST_LOGNORMAL;
    p->demand.mean = 5000;
    p->demand.cv = 0.5;
    p->startup_us.kind = DIST_CONSTANT;
    p->startup_us.mean = 10 * 1e6;
    *l = hey(20, 120 * SEC);
    c->loads = l;
    c->n_loads = 1;
    *m = cpu_metric(10);
    hpa_setup(c, "sklearn-iris-predictor", m, 1, 10);
}

static sim_model *run(const scenario_cfg *c, trace *t) {
    sim_error err;
    memset(t, 0, sizeof *t);
    sim_model *m = sim_model_new(c, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    sim_model_set_observer(m, (sim_observer){on_row, t});
    CU_ASSERT_EQUAL_FATAL(sim_model_run(m, &err), 0);
    return m;
}

static void test_sklearn_iris(void) {
    scenario_cfg c;
    load_cfg l;
    hpa_metric_spec ms;
    sklearn(&c, &l, &ms, 600 * SEC);
    trace t;
    sim_model *m = run(&c, &t);
    const hpa_ctl *h = sim_model_hpa(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    /* first second at which the HPA's view crossed the target, first scale-up */
    int cross = -1, up = -1, ten = -1, one = -1;
    for (int i = 0; i < t.n; i++) {
        if (cross < 0 && !isnan(t.seen[i]) && t.seen[i] > 10 * 1.1)
            cross = i;
        if (up < 0 && t.desired[i] > 1)
            up = i;
        if (ten < 0 && t.desired[i] == 10)
            ten = i;
        if (ten >= 0 && one < 0 && i > 120 && t.desired[i] == 1)
            one = i;
    }
    printf("\n  sklearn-iris: seen crosses at %d s, first scale-up %d s, 10 at %d s, back to 1 at "
           "%d s, last high recommendation %.0f s\n",
           cross, up, ten, one, h->last_rec_above_min_us / 1e6);
    CU_ASSERT(cross >= 0);
    /* The sync that first sees the crossing scales (within 2 sync periods at most). */
    CU_ASSERT(up >= cross && up <= cross + 30);
    /* The true metric crossed at once (load from t=0): the HPA acted after the pipeline lag. */
    CU_ASSERT(t.truth[1] > 10);
    CU_ASSERT(up >= 15 && up <= 75);
    CU_ASSERT(ten > 0 && ten <= 120);
    /* Back to 1 only after 5 minutes of stabilisation since the last high recommendation
     * (legacy stabilisation: an entry exactly 300 s old still counts, so the first sync after). */
    double last_high = h->last_rec_above_min_us / 1e6;
    CU_ASSERT(one > 0);
    CU_ASSERT(one >= last_high + 300);
    CU_ASSERT(one <= last_high + 300 + 15);
    /* never above max, never below min */
    for (int i = 0; i < t.n; i++)
        CU_ASSERT(t.desired[i] >= 1 && t.desired[i] <= 10);
    /* event texts as upstream writes them */
    int ups = 0, downs = 0;
    for (size_t i = 0; i < h->n_events; i++) {
        const hpa_event *e = &h->events[i].ev;
        CU_ASSERT_STRING_EQUAL(e->reason, "SuccessfulRescale");
        CU_ASSERT_FALSE(e->warning);
        int n;
        char tail[200];
        CU_ASSERT_EQUAL(sscanf(e->message, "New size: %d; reason: %199[^\n]", &n, tail), 2);
        if (strcmp(tail, "cpu resource utilization (percentage of request) above target") == 0)
            ups++;
        else if (strcmp(tail, "All metrics below target") == 0)
            downs++;
        else
            CU_FAIL("unexpected rescale reason");
    }
    CU_ASSERT(ups >= 2);
    CU_ASSERT(downs >= 1);
    CU_ASSERT_STRING_EQUAL(h->events[0].ev.message,
                           "New size: 4; reason: cpu resource utilization (percentage of request) "
                           "above target");
    /* describe block */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    describe_hpa(f, &c.hpa, &c.service.pod, h, sim_model_stats(m)->horizon_us);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Name:                                                  "
                                       "sklearn-iris-predictor\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  resource cpu on pods  (as a percentage of request):  "));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Min replicas:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Deployment pods:                                       "
                                       "1 current / 1 desired\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  AbleToScale     True    "));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  Type    Reason             Age    From                 "
                                       "      Message\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "horizontal-pod-autoscaler  New size: 10; reason: cpu"));
    fputs(buf, stdout);
    free(buf);
    sim_model_free(m);
}

static void test_qwen(void) {
    load_cfg l = hey(5, 120 * SEC);
    scenario_cfg c;
    memset(&c, 0, sizeof c);
    c.name = "qwen";
    c.seed = 1;
    c.duration_us = 720 * SEC;
    strcpy(c.service.name, "qwen-predictor");
    c.service.replicas = 1;
    c.service.balancer = LB_LEAST_REQUESTS;
    pod_cfg *p = &c.service.pod;
    p->cpu_request_milli = 4000;
    p->cpu_limit_milli = 4000;
    p->startup_us.kind = DIST_CONSTANT;
    p->startup_us.mean = 60e6;
    /* the LLM model (issue 5): the seed's V100 preset and chat request (10 prompt and 10 output
     * tokens, the usage the seed's response reports) */
    llm_cfg llm;
    CU_ASSERT_EQUAL_FATAL(llm_preset_apply(&llm, "qwen-7b-gptq-int8-v100"), 0);
    llm.prompt_tokens.kind = DIST_CONSTANT;
    llm.prompt_tokens.mean = 10;
    llm.output_tokens.kind = DIST_CONSTANT;
    llm.output_tokens.mean = 10;
    p->llm = &llm;
    c.loads = &l;
    c.n_loads = 1;
    prom_metric_cfg pm;
    memset(&pm, 0, sizeof pm);
    strcpy(pm.name, "DCGM_CUSTOM_PROCESS_SM_UTIL");
    pm.source = SERIES_PROCESS_SM_UTIL;
    pm.relist_us = 60 * SEC;
    c.metrics.prom = &pm;
    c.metrics.n_prom = 1;
    hpa_metric_spec m;
    memset(&m, 0, sizeof m);
    m.type = HPA_METRIC_PODS;
    m.type_name = "Pods";
    m.name = "DCGM_CUSTOM_PROCESS_SM_UTIL";
    /* Arena writes type Utilization with averageValue; the controller reads averageValue */
    m.target.type = HPA_TARGET_UTILIZATION;
    m.target.has_average_value = 1;
    m.target.average_value_milli = 50000;
    hpa_setup(&c, "qwen-hpa", &m, 1, 2);
    trace t;
    sim_model *mm = run(&c, &t);
    const hpa_ctl *h = sim_model_hpa(mm);
    int two = -1, back = -1;
    for (int i = 0; i < t.n; i++) {
        if (two < 0 && t.desired[i] == 2)
            two = i;
        if (two >= 0 && back < 0 && t.desired[i] == 1)
            back = i;
    }
    printf("\n  qwen: 2 replicas at %d s, back to 1 at %d s (load ends at 120 s)\n", two, back);
    CU_ASSERT(two > 0 && two < 120);
    /* about five minutes after the load ends: 300 s window + metric lag + sync */
    CU_ASSERT(back >= 120 + 300);
    CU_ASSERT(back <= 120 + 300 + 120);
    CU_ASSERT(h->n_events >= 2);
    for (size_t i = 0; i < h->n_events; i++)
        printf("  t=%.0f %s %s\n", h->events[i].t_us / 1e6, h->events[i].ev.reason,
               h->events[i].ev.message);
    CU_ASSERT_STRING_EQUAL(h->events[0].ev.message,
                           "New size: 2; reason: pods metric DCGM_CUSTOM_PROCESS_SM_UTIL above "
                           "target");
    CU_ASSERT_STRING_EQUAL(h->events[h->n_events - 1].ev.message,
                           "New size: 1; reason: All metrics below target");
    sim_model_free(mm);
}

/* ---- slow start: 90 s to Ready ---- */

typedef struct hold_probe {
    int held;        /* syncs where the rule held a scale-up the ready pods alone asked for */
    int unready_max; /* most pods the HPA counted unready at one sync */
} hold_probe;

static void on_sync(void *ctx, const hpa_inputs *in, const hpa_decision *d) {
    hold_probe *hp = ctx;
    if (d->path != HPA_PATH_METRICS || !d->metrics[0].ok)
        return;
    hpa_pod_metric pm[64];
    int npm = 0;
    sim_error err;
    if (hpa_resource_pod_metrics(in->metrics[0].resource, in->metrics[0].nresource, NULL, pm, &npm,
                                 &err) < 0)
        return;
    hpa_pod_class cls[64];
    hpa_group_cfg g = {1, in->now_us, 300 * SEC, 30 * SEC};
    int ready = hpa_group_pods(in->pods, in->npods, pm, npm, &g, cls);
    int unready = 0;
    for (int i = 0; i < in->npods; i++)
        unready += cls[i] == HPA_POD_UNREADY;
    if (unready > hp->unready_max)
        hp->unready_max = unready;
    /* what the ready pods alone would ask for: ceil(utilization / target * ready) */
    int32_t plain = (int32_t)ceil(d->metrics[0].detail.utilization / 50.0 * ready);
    if (unready > 0 && plain > d->current && d->metrics[0].proposal == d->current)
        hp->held++;
}

static void slow_case(int64_t load_us, trace *t, hold_probe *hp, int *t_ready4) {
    /* 160 rps of 10 ms (1.6 cores, 160 % of one pod's request) from 0, 210 rps from 60 s:
     * target 50 % -> 1 pod scales to 4; while 3 are unready the ready one shows 210 %, which
     * alone asks for ceil(4.2) = 5, but with the unready pods at 0 the ratio is 210 / 4 / 50 =
     * 1.05, within tolerance: upstream keeps 4. */
    load_cfg l[2];
    memset(l, 0, sizeof l);
    for (int i = 0; i < 2; i++) {
        snprintf(l[i].name, sizeof l[i].name, "open%d", i);
        l[i].kind = LOAD_OPEN;
        l[i].shape = RATE_CONSTANT;
        l[i].arrivals = ARRIVALS_UNIFORM;
        l[i].end_us = INT64_MAX;
    }
    l[0].rate = 160;
    l[1].rate = 50;
    l[1].start_us = 60 * SEC;
    scenario_cfg c;
    memset(&c, 0, sizeof c);
    c.name = "slow";
    c.seed = 3;
    c.duration_us = 300 * SEC;
    strcpy(c.service.name, "svc");
    c.service.replicas = 1;
    c.service.balancer = LB_ROUND_ROBIN;
    c.service.pod.cpu_request_milli = 1000;
    c.service.pod.demand.kind = DIST_CONSTANT;
    c.service.pod.demand.mean = 10000;
    lifecycle_cfg lc;
    memset(&lc, 0, sizeof lc);
    lc.schedule_us.mean = 1e6;
    lc.pull_cached_us.mean = 2e6;
    lc.pull_cold_us.mean = 2e6;
    lc.start_us.mean = 1e6;
    lc.model_load_us.mean = (double)load_us;
    lc.probe_period_us = 10 * SEC;
    lc.probe_success_threshold = 1;
    lc.termination_grace_us = 30 * SEC;
    c.service.pod.lifecycle = &lc;
    c.loads = l;
    c.n_loads = 2;
    hpa_metric_spec m = cpu_metric(50);
    hpa_setup(&c, "svc", &m, 1, 10);
    sim_error err;
    memset(t, 0, sizeof *t);
    sim_model *mm = sim_model_new(&c, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mm);
    sim_model_set_observer(mm, (sim_observer){on_row, t});
    memset(hp, 0, sizeof *hp);
    sim_model_set_sync_observer(mm, on_sync, hp);
    CU_ASSERT_EQUAL_FATAL(sim_model_run(mm, &err), 0);
    *t_ready4 = -1;
    for (int i = 0; i < t->n; i++)
        if (*t_ready4 < 0 && t->ready[i] >= 4)
            *t_ready4 = i;
    sim_model_free(mm);
}

static void test_slow_ready_unready_rule(void) {
    trace fast, slow;
    hold_probe hf, hs;
    int rf, rs;
    slow_case(5 * SEC, &fast, &hf, &rf);
    slow_case(90 * SEC, &slow, &hs, &rs);
    int max_fast = 0, max_slow = 0;
    for (int i = 0; i < 300; i++) {
        if (fast.desired[i] > max_fast)
            max_fast = fast.desired[i];
        if (slow.desired[i] > max_slow)
            max_slow = slow.desired[i];
    }
    printf("\n  4 ready pods at %d s (5 s model load) vs %d s (90 s); max desired %d vs %d; "
           "syncs held by the unready rule: %d vs %d (most unready at a sync: %d)\n",
           rf, rs, max_fast, max_slow, hf.held, hs.held, hs.unready_max);
    CU_ASSERT(rf > 0 && rs > 0);
    CU_ASSERT(rs >= rf + 80); /* scale-up is slower by the start-up difference */
    CU_ASSERT(hs.unready_max >= 3);
    CU_ASSERT(hs.held >= 1); /* the rule held 4 where the ready pod alone asked for 5 */
    CU_ASSERT_EQUAL(max_slow, 4);
    CU_ASSERT_EQUAL(max_fast, 4);
}

static void test_human_duration(void) {
    struct {
        int64_t s;
        const char *want;
    } cases[] = {{0, "0s"},         {59, "59s"},
                 {119, "119s"},     {120, "2m"},
                 {150, "2m30s"},    {599, "9m59s"},
                 {600, "10m"},      {3 * 3600 - 1, "179m"},
                 {3 * 3600, "3h"},  {4 * 3600 + 60, "4h1m"},
                 {8 * 3600, "8h"},  {47 * 3600, "47h"},
                 {48 * 3600, "2d"}, {50 * 3600, "2d2h"},
                 {9 * 86400, "9d"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char b[32];
        k8s_human_duration(cases[i].s * SEC, b, sizeof b);
        CU_ASSERT_STRING_EQUAL(b, cases[i].want);
    }
}

static void test_deterministic(void) {
    scenario_cfg c;
    load_cfg l;
    hpa_metric_spec ms;
    sklearn(&c, &l, &ms, 200 * SEC);
    trace a, b;
    sim_model *m1 = run(&c, &a);
    sim_model *m2 = run(&c, &b);
    CU_ASSERT_EQUAL(memcmp(a.desired, b.desired, sizeof a.desired), 0);
    CU_ASSERT_EQUAL(memcmp(a.seen, b.seen, sizeof a.seen), 0);
    char *x = NULL, *y = NULL;
    size_t nx = 0, ny = 0;
    FILE *f = open_memstream(&x, &nx);
    events_log_write(f, &c.hpa, sim_model_hpa(m1), 200 * SEC);
    fclose(f);
    f = open_memstream(&y, &ny);
    events_log_write(f, &c.hpa, sim_model_hpa(m2), 200 * SEC);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(x, y);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "TIME   TYPE    REASON             AGE    FROM"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x,
                                  "\nt=30s  Normal  SuccessfulRescale  2m50s  "
                                  "horizontal-pod-autoscaler  New size: 4; reason: cpu "
                                  "resource utilization (percentage of request) above target\n"));
    fputs(x, stdout);
    free(x);
    free(y);
    sim_model_free(m1);
    sim_model_free(m2);
}

static const cu_test tests[] = {
    {"sklearn_iris_scales_1_10_1", test_sklearn_iris},
    {"qwen_pods_metric_1_2_1", test_qwen},
    {"slow_ready_unready_rule", test_slow_ready_unready_rule},
    {"human_duration", test_human_duration},
    {"deterministic", test_deterministic},
    {NULL, NULL},
};

int main(void) {
    cu_add_suite("autoscale", tests);
    return cu_run_all();
}
