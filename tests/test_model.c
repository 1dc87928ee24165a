/* test_model.c: the service and pods (balancers, CPU limit and processor sharing, idle baseline,
 * memory, start-up and removal at run time), client timeouts, open-loop rate shapes, request
 * records coming back to the pool, and input validation. */
#include "cu.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "sim/model/sim.h"

#define SEC INT64_C(1000000)

static load_cfg open_load(const char *name, double rps, arrival_kind a) {
    load_cfg l;
    memset(&l, 0, sizeof l);
    snprintf(l.name, sizeof l.name, "%s", name);
    l.kind = LOAD_OPEN;
    l.end_us = INT64_MAX;
    l.shape = RATE_CONSTANT;
    l.arrivals = a;
    l.rate = rps;
    return l;
}

static load_cfg hey_load(int c, int64_t z_us) {
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

static scenario_cfg base(load_cfg *loads, size_t n, int pods, int64_t duration_us) {
    scenario_cfg c;
    memset(&c, 0, sizeof c);
    c.name = "test";
    c.seed = 1;
    c.duration_us = duration_us;
    strcpy(c.service.name, "svc");
    c.service.replicas = pods;
    c.service.balancer = LB_ROUND_ROBIN;
    c.service.pod.cpu_request_milli = 1000;
    c.service.pod.cpu_limit_milli = 1000;
    c.service.pod.demand.kind = DIST_CONSTANT;
    c.service.pod.demand.mean = 1000;
    c.service.pod.startup_us.kind = DIST_CONSTANT;
    c.loads = loads;
    c.n_loads = n;
    return c;
}

static sim_model *build(const scenario_cfg *c) {
    sim_error err;
    sim_model *m = sim_model_new(c, 0, &err);
    if (m == NULL)
        fprintf(stderr, "sim_model_new: %s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    return m;
}

static void go(sim_model *m) {
    sim_error err;
    int rc = sim_model_run(m, &err);
    if (rc)
        fprintf(stderr, "sim_model_run: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
}

static sim_model *run(const scenario_cfg *c) {
    sim_model *m = build(c);
    go(m);
    return m;
}

static void test_round_robin_is_exact(void) {
    load_cfg l = open_load("l", 100, ARRIVALS_UNIFORM);
    scenario_cfg c = base(&l, 1, 4, 10 * SEC);
    sim_model *m = run(&c);
    service *s = sim_model_service(m);
    CU_ASSERT_EQUAL(s->n_pods, 4);
    uint64_t total = 0;
    for (int i = 0; i < s->n_pods; i++) {
        CU_ASSERT(s->pods[i]->completed >= 249 && s->pods[i]->completed <= 250);
        total += s->pods[i]->completed;
    }
    CU_ASSERT(total >= 999 && total <= 1000); /* 1/100 s spacing from t = 0.01 s */
    sim_model_free(m);
}

static void test_random_spreads_evenly(void) {
    load_cfg l = open_load("l", 4000, ARRIVALS_POISSON);
    scenario_cfg c = base(&l, 1, 4, 10 * SEC);
    c.service.balancer = LB_RANDOM;
    c.service.pod.demand.mean = 100;
    sim_model *m = run(&c);
    service *s = sim_model_service(m);
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int i = 0; i < 4; i++) {
        lo = s->pods[i]->completed < lo ? s->pods[i]->completed : lo;
        hi = s->pods[i]->completed > hi ? s->pods[i]->completed : hi;
    }
    CU_ASSERT(lo > 9500 && hi < 10500);
    CU_ASSERT(hi != lo); /* not round robin in disguise */
    sim_model_free(m);
}

/* Arrivals every 60 ms needing 100 ms of one core, 2 single-core pods. Least-requests always
 * finds an idle pod, so nobody shares a core; random sometimes stacks two on one pod. */
static int64_t max_latency(balancer_kind b) {
    load_cfg l = open_load("l", 1e6 / 60000.0, ARRIVALS_UNIFORM);
    scenario_cfg c = base(&l, 1, 2, 60 * SEC);
    c.service.balancer = b;
    c.service.pod.demand.mean = 100000;
    sim_model *m = run(&c);
    int64_t max = sim_model_stats(m)->client.latency.max;
    sim_model_free(m);
    return max;
}

static void test_least_requests_avoids_busy_pods(void) {
    CU_ASSERT_EQUAL(max_latency(LB_LEAST_REQUESTS), 100000);
    CU_ASSERT(max_latency(LB_RANDOM) > 150000);
}

static void test_queue_balancer_respects_concurrency(void) {
    /* 2 pods, concurrency 1, 4 cores each: one request at a time per pod, so 4 workers of a
     * closed loop with 100 ms demand see 100 ms service plus queueing: exactly 2 / 0.1 = 20 rps */
    load_cfg l = hey_load(4, 10 * SEC);
    scenario_cfg c = base(&l, 1, 2, 20 * SEC);
    c.service.balancer = LB_QUEUE;
    c.service.pod.concurrency = 1;
    c.service.pod.cpu_limit_milli = 4000;
    c.service.pod.demand.mean = 100000;
    sim_model *m = run(&c);
    const load_src *ls = sim_model_load(m, 0);
    CU_ASSERT_EQUAL(ls->st.latency.min, 100000);
    CU_ASSERT_EQUAL(ls->st.latency.max, 200000);
    CU_ASSERT(ls->st.ok >= 200 && ls->st.ok <= 202);
    sim_model_free(m);
    /* concurrency 0 with the queue balancer is a contradiction */
    c.service.pod.concurrency = 0;
    sim_error err;
    CU_ASSERT_PTR_NULL(sim_model_new(&c, 0, &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "service.balancer: \"queue\" needs"));
}

static void test_pod_concurrency_cap_queues_fifo(void) {
    /* one pod, cap 1, 8 cores: 3 workers are served one after the other */
    load_cfg l = hey_load(3, 3 * SEC);
    scenario_cfg c = base(&l, 1, 1, 10 * SEC);
    c.service.pod.concurrency = 1;
    c.service.pod.cpu_limit_milli = 8000;
    c.service.pod.demand.mean = 100000;
    sim_model *m = run(&c);
    const load_src *ls = sim_model_load(m, 0);
    CU_ASSERT_EQUAL(ls->st.latency.max, 300000);
    CU_ASSERT(ls->st.ok >= 30 && ls->st.ok <= 32);
    sim_model_free(m);
}

static void test_cpu_limit_and_sharing(void) {
    /* 2 workers, 100 ms demand: with 1 core they share it (200 ms each), with 2 they do not */
    load_cfg l = hey_load(2, 2 * SEC);
    scenario_cfg c = base(&l, 1, 1, 5 * SEC);
    c.service.pod.demand.mean = 100000;
    sim_model *m = run(&c);
    CU_ASSERT_EQUAL(sim_model_load(m, 0)->st.latency.min, 200000);
    sim_model_free(m);
    c.service.pod.cpu_limit_milli = 2000;
    m = run(&c);
    CU_ASSERT_EQUAL(sim_model_load(m, 0)->st.latency.max, 100000);
    sim_model_free(m);
    /* 1.5 cores for 2 requests: 0.75 core each, 133.334 ms */
    c.service.pod.cpu_limit_milli = 1500;
    m = run(&c);
    CU_ASSERT_EQUAL(sim_model_load(m, 0)->st.latency.max, 133334);
    sim_model_free(m);
}

static void test_cpu_utilization_and_idle(void) {
    /* a 500m request, 2-core limit, one request always in service: usage 1 core = 200% */
    load_cfg l = hey_load(1, 10 * SEC);
    scenario_cfg c = base(&l, 1, 1, 10 * SEC);
    c.service.pod.cpu_request_milli = 500;
    c.service.pod.cpu_limit_milli = 2000;
    c.service.pod.demand.mean = 100000;
    sim_model *m = run(&c);
    CU_ASSERT_DOUBLE_EQUAL(sim_model_stats(m)->cpu_util_pct, 200.0, 0.01);
    int64_t ns = service_cpu_usage_core_ns(sim_model_service(m));
    CU_ASSERT(ns >= 10 * INT64_C(1000000000)); /* 10 s on one core, in core-ns */
    sim_model_free(m);
    /* no load: the idle baseline alone; memory = base */
    c.n_loads = 0;
    c.service.pod.cpu_request_milli = 1000;
    c.service.pod.cpu_idle_milli = 100;
    c.service.pod.memory_request_bytes = 1 << 30;
    c.service.pod.memory_base_bytes = 1 << 29;
    m = run(&c);
    CU_ASSERT_DOUBLE_EQUAL(sim_model_stats(m)->cpu_util_pct, 10.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(sim_model_stats(m)->mem_util_pct, 50.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(sim_model_stats(m)->pod_seconds, 10.0, 1e-9);
    sim_model_free(m);
    /* limit at or below the idle baseline leaves nothing for requests */
    c.service.pod.cpu_limit_milli = 100;
    sim_error err;
    CU_ASSERT_PTR_NULL(sim_model_new(&c, 0, &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "must exceed the idle baseline"));
}

typedef struct rows {
    sim_second r[64];
    int n;
} rows;

static void keep_row(void *ctx, const sim_second *row) {
    rows *rs = ctx;
    if (rs->n < 64)
        rs->r[rs->n++] = *row;
}

static void test_single_slot_pod(void) {
    /* concurrency 1 takes pod.c's single-slot path: 700m limit, 100m idle, so a request runs at
     * 0.6 core and 100 ms of demand takes ceil(166,666.67) = 166,667 us; with 2 workers the
     * second waits for the first (FIFO at the pod): 333,334 us */
    load_cfg l = hey_load(2, 2 * SEC);
    scenario_cfg c = base(&l, 1, 1, 5 * SEC);
    c.service.pod.concurrency = 1;
    c.service.pod.cpu_request_milli = 700;
    c.service.pod.cpu_limit_milli = 700;
    c.service.pod.cpu_idle_milli = 100;
    c.service.pod.demand.mean = 100000;
    rows rs = {0};
    sim_model *m = build(&c);
    sim_model_set_observer(m, (sim_observer){keep_row, &rs});
    go(m);
    const load_src *ls = sim_model_load(m, 0);
    CU_ASSERT_EQUAL(ls->st.latency.min, 166667);
    CU_ASSERT_EQUAL(ls->st.latency.max, 333334);
    /* busy the whole second 1: 700m of a 700m request */
    CU_ASSERT_DOUBLE_EQUAL(rs.r[1].cpu_util_pct, 100.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(rs.r[1].inflight, 2.0, 1e-9);
    CU_ASSERT_EQUAL(rs.r[1].completed, 6); /* 1,000,000 / 166,667 = 6.0, ends at 5 + 1 */
    CU_ASSERT_EQUAL(sim_model_stats(m)->live_requests, 0);
    sim_model_free(m);

    /* with never more than one request in flight the single-slot path and the general one
     * (concurrency 0: processor sharing in virtual time) are the same model: one worker,
     * exponential demand, identical rows */
    l = hey_load(1, 40 * SEC);
    c = base(&l, 1, 1, 40 * SEC);
    c.service.pod.cpu_limit_milli = 600;
    c.service.pod.cpu_request_milli = 600;
    c.service.pod.demand.kind = DIST_EXPONENTIAL;
    c.service.pod.demand.mean = 20000;
    rows single = {0}, general = {0};
    c.service.pod.concurrency = 1;
    m = build(&c);
    sim_model_set_observer(m, (sim_observer){keep_row, &single});
    go(m);
    uint64_t single_ok = sim_model_load(m, 0)->st.ok;
    sim_model_free(m);
    c.service.pod.concurrency = 0;
    m = build(&c);
    sim_model_set_observer(m, (sim_observer){keep_row, &general});
    go(m);
    CU_ASSERT_EQUAL(sim_model_load(m, 0)->st.ok, single_ok);
    CU_ASSERT(single_ok > 1000);
    sim_model_free(m);
    CU_ASSERT_EQUAL(single.n, general.n);
    for (int i = 0; i < single.n && i < general.n; i++) {
        CU_ASSERT_EQUAL(single.r[i].completed, general.r[i].completed);
        CU_ASSERT_EQUAL(single.r[i].p50_us, general.r[i].p50_us);
        CU_ASSERT_EQUAL(single.r[i].p99_us, general.r[i].p99_us);
        CU_ASSERT_DOUBLE_EQUAL(single.r[i].cpu_util_pct, general.r[i].cpu_util_pct, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(single.r[i].inflight, general.r[i].inflight, 1e-9);
    }
}

static void test_memory_per_request(void) {
    /* 4 workers always in flight on one pod: memory = base + 4 * per request */
    load_cfg l = hey_load(4, 10 * SEC);
    scenario_cfg c = base(&l, 1, 1, 10 * SEC);
    c.service.pod.cpu_limit_milli = 8000;
    c.service.pod.demand.mean = 100000;
    c.service.pod.memory_request_bytes = 1000;
    c.service.pod.memory_base_bytes = 200;
    c.service.pod.memory_per_request_bytes = 100;
    rows rs = {0};
    sim_model *m = build(&c);
    sim_model_set_observer(m, (sim_observer){keep_row, &rs});
    go(m);
    CU_ASSERT_EQUAL(rs.n, 10);
    CU_ASSERT_DOUBLE_EQUAL(rs.r[5].mem_util_pct, 60.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(rs.r[5].inflight, 4.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(rs.r[5].cpu_util_pct, 400.0, 1e-9);
    /* a pod that is idle at the end holds its base memory */
    CU_ASSERT_EQUAL(pod_memory_bytes(sim_model_service(m)->pods[0]), 200);
    sim_model_free(m);
}

static void add_late_pod(engine *e, void *obj, uint64_t arg) {
    (void)e;
    (void)arg;
    service_add_pod(obj, POD_START_DELAYED);
}

static void test_startup_delay_and_refusals(void) {
    /* no pods at first; one is created at t = 0 with a 3 s start-up: until it is Ready, kube-proxy
     * refuses connections and the client sees errors */
    load_cfg l = open_load("l", 10, ARRIVALS_UNIFORM);
    scenario_cfg c = base(&l, 1, 0, 6 * SEC);
    c.service.pod.startup_us.mean = 3 * SEC;
    rows rs = {0};
    sim_model *m = build(&c);
    sim_model_set_observer(m, (sim_observer){keep_row, &rs});
    engine_at(sim_model_engine(m), 0, add_late_pod, sim_model_service(m), 0);
    go(m);
    CU_ASSERT_EQUAL(rs.n, 6);
    CU_ASSERT_EQUAL(rs.r[0].pods_ready, 0);
    CU_ASSERT_EQUAL(rs.r[0].pods_total, 1);
    CU_ASSERT(rs.r[1].failed >= 9);
    CU_ASSERT_EQUAL(rs.r[4].failed, 0);
    CU_ASSERT_EQUAL(rs.r[4].pods_ready, 1);
    CU_ASSERT_EQUAL(rs.r[4].completed, 10);
    const sim_stats *st = sim_model_stats(m);
    CU_ASSERT(st->refused >= 29 && st->refused <= 31);
    CU_ASSERT_EQUAL(st->live_requests, 0);
    sim_model_free(m);
}

static pod *manual_pod;

static void add_manual(engine *e, void *obj, uint64_t arg) {
    (void)e;
    (void)arg;
    manual_pod = service_add_pod(obj, POD_START_MANUAL);
}

static void make_ready(engine *e, void *obj, uint64_t arg) {
    (void)e;
    (void)arg;
    service_pod_ready(obj, manual_pod);
}

static void test_manual_readiness(void) {
    /* a lifecycle model (issue 4) decides when a pod is Ready: here at 2.5 s */
    load_cfg l = open_load("l", 10, ARRIVALS_UNIFORM);
    scenario_cfg c = base(&l, 1, 0, 4 * SEC);
    rows rs = {0};
    sim_model *m = build(&c);
    sim_model_set_observer(m, (sim_observer){keep_row, &rs});
    engine_at(sim_model_engine(m), 0, add_manual, sim_model_service(m), 0);
    engine_at(sim_model_engine(m), 2500000, make_ready, sim_model_service(m), 0);
    go(m);
    CU_ASSERT_EQUAL(rs.r[1].pods_ready, 0);
    CU_ASSERT_EQUAL(rs.r[1].pods_total, 1);
    CU_ASSERT_EQUAL(rs.r[2].pods_ready, 1);
    CU_ASSERT_EQUAL(rs.r[3].failed, 0);
    CU_ASSERT_EQUAL(manual_pod->ready_us, 2500000);
    CU_ASSERT(sim_model_stats(m)->refused >= 24 && sim_model_stats(m)->refused <= 25);
    sim_model_free(m);
}

static void remove_first(engine *e, void *obj, uint64_t arg) {
    (void)e;
    (void)arg;
    service *s = obj;
    service_remove_pod(s, s->pods[0]);
}

static void test_pod_removal_drains(void) {
    load_cfg l = hey_load(8, 6 * SEC);
    scenario_cfg c = base(&l, 1, 2, 8 * SEC);
    c.service.pod.demand.mean = 50000;
    rows rs = {0};
    sim_model *m = build(&c);
    sim_model_set_observer(m, (sim_observer){keep_row, &rs});
    engine_at(sim_model_engine(m), 3 * SEC + 10, remove_first, sim_model_service(m), 0);
    go(m);
    CU_ASSERT_EQUAL(rs.r[2].pods_total, 2);
    CU_ASSERT_EQUAL(rs.r[3].pods_total, 1);
    CU_ASSERT_EQUAL(rs.r[3].pods_ready, 1);
    const sim_stats *st = sim_model_stats(m);
    CU_ASSERT_EQUAL(st->client.failed, 0); /* the removed pod finished what it had */
    CU_ASSERT_EQUAL(st->live_requests, 0);
    CU_ASSERT_EQUAL(sim_model_service(m)->n_pods, 1);
    sim_model_free(m);
}

static void test_timeouts_counted_server_keeps_working(void) {
    /* 1 worker, 300 ms of work, 200 ms timeout, -z 1s: every request times out (at 0.2, 0.4,
     * ... 1.0 s); the server still completes all five after the client gave up. */
    load_cfg l = hey_load(1, 1 * SEC);
    l.timeout_us = 200000;
    scenario_cfg c = base(&l, 1, 1, 5 * SEC);
    c.service.pod.demand.mean = 300000;
    sim_model *m = run(&c);
    const load_src *ls = sim_model_load(m, 0);
    const sim_stats *st = sim_model_stats(m);
    CU_ASSERT_EQUAL(ls->st.sent, 5);
    CU_ASSERT_EQUAL(ls->st.ok, 0);
    CU_ASSERT_EQUAL(ls->st.timeouts, 5);
    CU_ASSERT_EQUAL(ls->st.t_last_us, 1 * SEC);
    CU_ASSERT_EQUAL(st->client.failed, 5);
    CU_ASSERT_EQUAL(st->server_completed, 5);
    CU_ASSERT_EQUAL(st->live_requests, 0);
    CU_ASSERT_EQUAL(st->unfinished, 0);
    sim_model_free(m);
}

static void test_central_queue_drops_abandoned(void) {
    /* a gateway queue with no pod at all: every request times out, and leaves the queue when it
     * does, so the queue (and memory) stays at rate * timeout instead of growing with time */
    load_cfg l = open_load("l", 100, ARRIVALS_UNIFORM);
    l.timeout_us = 1 * SEC;
    scenario_cfg c = base(&l, 1, 0, 120 * SEC);
    c.service.balancer = LB_QUEUE;
    c.service.pod.concurrency = 1;
    rows rs = {0};
    sim_model *m = build(&c);
    sim_model_set_observer(m, (sim_observer){keep_row, &rs});
    go(m);
    const sim_stats *st = sim_model_stats(m);
    CU_ASSERT(st->timeouts >= 11990 && st->timeouts <= 12000);
    CU_ASSERT_EQUAL(st->client.completed, 0);
    CU_ASSERT_EQUAL(st->live_requests, 0);
    CU_ASSERT_EQUAL(st->request_slabs, 1); /* never more than ~100 alive */
    CU_ASSERT_DOUBLE_EQUAL(rs.r[50].queued, 100.0, 1.0);
    CU_ASSERT_EQUAL(sim_model_service(m)->cancelled, st->timeouts);
    sim_model_free(m);
}

static void test_no_memory_growth(void) {
    /* 4x the horizon, same peak of live requests: the pool does not grow with time */
    load_cfg l = open_load("l", 2000, ARRIVALS_POISSON);
    scenario_cfg c = base(&l, 1, 4, 60 * SEC);
    c.service.pod.demand.kind = DIST_EXPONENTIAL;
    c.service.pod.demand.mean = 1500;
    sim_model *m = run(&c);
    size_t slabs_short = sim_model_stats(m)->request_slabs;
    CU_ASSERT_EQUAL(sim_model_stats(m)->live_requests, 0);
    sim_model_free(m);
    c.duration_us = 240 * SEC;
    m = run(&c);
    const sim_stats *st = sim_model_stats(m);
    CU_ASSERT(st->client.completed > 470000);
    CU_ASSERT_EQUAL(st->live_requests, 0);
    CU_ASSERT_EQUAL(st->request_slabs, slabs_short);
    CU_ASSERT(st->request_slabs <= 2);
    sim_model_free(m);
}

static uint64_t offered_between(load_cfg *l, int64_t dur, int from_s, int to_s) {
    scenario_cfg c = base(l, 1, 4, dur);
    c.service.pod.demand.mean = 10;
    rows rs = {0};
    sim_model *m = build(&c);
    sim_model_set_observer(m, (sim_observer){keep_row, &rs});
    go(m);
    uint64_t n = 0;
    for (int i = from_s; i < to_s && i < rs.n; i++)
        n += rs.r[i].offered;
    sim_model_free(m);
    return n;
}

static void test_open_loop_shapes(void) {
    /* ramp 0 -> 200 rps over 40 s, uniform arrivals: 4000 requests, 20% in the first half */
    load_cfg l = open_load("ramp", 0, ARRIVALS_UNIFORM);
    l.shape = RATE_RAMP;
    l.rate_from = 0;
    l.rate_to = 200;
    uint64_t all = offered_between(&l, 40 * SEC, 0, 40);
    CU_ASSERT(all >= 3990 && all <= 4000);
    uint64_t first = offered_between(&l, 40 * SEC, 0, 20);
    CU_ASSERT(first >= 990 && first <= 1010);
    /* step: 10 rps, then 50 rps from 5 s, then 0 from 8 s */
    rate_point pts[] = {{0, 10}, {5 * SEC, 50}, {8 * SEC, 0}};
    l = open_load("step", 0, ARRIVALS_UNIFORM);
    l.shape = RATE_STEP;
    l.points = pts;
    l.n_points = 3;
    CU_ASSERT(offered_between(&l, 10 * SEC, 0, 5) >= 49 &&
              offered_between(&l, 10 * SEC, 0, 5) <= 50);
    CU_ASSERT(offered_between(&l, 10 * SEC, 5, 8) >= 149);
    CU_ASSERT_EQUAL(offered_between(&l, 10 * SEC, 8, 10), 0);
    /* trace with linear interpolation: 0 -> 100 over 10 s, Poisson: ~500 */
    rate_point tr[] = {{0, 0}, {10 * SEC, 100}};
    l = open_load("trace", 0, ARRIVALS_POISSON);
    l.shape = RATE_TRACE;
    l.interpolation = INTERP_LINEAR;
    l.points = tr;
    l.n_points = 2;
    uint64_t n = offered_between(&l, 10 * SEC, 0, 10);
    CU_ASSERT(n > 430 && n < 570);
    /* diurnal: 10..90 rps over a 20 s period, peak at 5 s: the mean is 50 rps */
    l = open_load("diurnal", 0, ARRIVALS_POISSON);
    l.shape = RATE_DIURNAL;
    l.rate_min = 10;
    l.rate_max = 90;
    l.period_us = 20 * SEC;
    l.peak_at_us = 5 * SEC;
    n = offered_between(&l, 40 * SEC, 0, 40);
    CU_ASSERT(n > 1850 && n < 2150);
    uint64_t peak = offered_between(&l, 40 * SEC, 3, 7),
             trough = offered_between(&l, 40 * SEC, 13, 17);
    CU_ASSERT(peak > 3 * trough);
    /* a phase window: start 2 s, end 4 s */
    l = open_load("window", 100, ARRIVALS_UNIFORM);
    l.start_us = 2 * SEC;
    l.end_us = 4 * SEC;
    CU_ASSERT_EQUAL(offered_between(&l, 6 * SEC, 0, 2), 0);
    CU_ASSERT(offered_between(&l, 6 * SEC, 2, 4) >= 199);
    CU_ASSERT_EQUAL(offered_between(&l, 6 * SEC, 4, 6), 0);
}

static void test_common_random_numbers(void) {
    /* Two phases. Changing phase B's rate must not change phase A's arrivals. */
    load_cfg ls[2] = {open_load("a", 50, ARRIVALS_POISSON), open_load("b", 50, ARRIVALS_POISSON)};
    scenario_cfg c = base(ls, 2, 4, 20 * SEC);
    sim_model *m = run(&c);
    uint64_t a1 = sim_model_load(m, 0)->st.sent;
    sim_model_free(m);
    ls[1].rate = 500;
    m = run(&c);
    CU_ASSERT_EQUAL(sim_model_load(m, 0)->st.sent, a1);
    CU_ASSERT(sim_model_load(m, 1)->st.sent > 5 * a1);
    sim_model_free(m);
    /* the same name twice would share a stream: rejected */
    strcpy(ls[1].name, "a");
    sim_error err;
    CU_ASSERT_PTR_NULL(sim_model_new(&c, 0, &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "loads[1].name: \"a\" is also the name of loads[0]"));
}

static void test_validation_messages(void) {
    sim_error err;
    load_cfg l = hey_load(0, SEC);
    scenario_cfg c = base(&l, 1, 1, SEC);
    CU_ASSERT_PTR_NULL(sim_model_new(&c, 0, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "loads[0].c: needs at least one worker (got 0)");
    l = hey_load(2000000, SEC);
    CU_ASSERT_PTR_NULL(sim_model_new(&c, 0, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "loads[0].c: at most 1000000 workers (got 2000000)");
    l = hey_load(1, SEC);
    c.service.replicas = 100001;
    CU_ASSERT_PTR_NULL(sim_model_new(&c, 0, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "service.replicas: must be between 0 and 100000 (got 100001)");
    c.service.replicas = 1;
    c.loads = NULL;
    CU_ASSERT_PTR_NULL(sim_model_new(&c, 0, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "loads: 1 phases announced but none given");
    c.loads = &l;
    l = hey_load(10, 0);
    l.total_requests = 5;
    CU_ASSERT_PTR_NULL(sim_model_new(&c, 0, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "loads[0]: -n cannot be less than -c (n 5, c 10)");
    l = open_load("o", -1, ARRIVALS_POISSON);
    CU_ASSERT_PTR_NULL(sim_model_new(&c, 0, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "loads[0].rate: must be a finite number >= 0 (got -1)");
    rate_point pts[] = {{0, 1}, {0, 2}};
    l = open_load("o", 0, ARRIVALS_POISSON);
    l.shape = RATE_STEP;
    l.points = pts;
    l.n_points = 2;
    CU_ASSERT_PTR_NULL(sim_model_new(&c, 0, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "loads[0].points[1]: times must increase");
    l = open_load("o", 1, ARRIVALS_POISSON);
    c.duration_us = 0;
    CU_ASSERT_PTR_NULL(sim_model_new(&c, 0, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "duration: a scenario without a duration needs every load "
                                    "phase to end; loads[0] (o) has no end");
    /* a closed loop with -n and no duration runs until it is done */
    l = hey_load(2, 0);
    l.total_requests = 10;
    sim_model *m = run(&c);
    CU_ASSERT_EQUAL(sim_model_load(m, 0)->st.ok, 10);
    CU_ASSERT_EQUAL(sim_model_stats(m)->horizon_us, SEC); /* rows up to the next whole second */
    sim_model_free(m);
}

int main(void) {
    static const cu_test tests[] = {
        {"round_robin_is_exact", test_round_robin_is_exact},
        {"random_spreads_evenly", test_random_spreads_evenly},
        {"least_requests_avoids_busy_pods", test_least_requests_avoids_busy_pods},
        {"queue_balancer_respects_concurrency", test_queue_balancer_respects_concurrency},
        {"pod_concurrency_cap_queues_fifo", test_pod_concurrency_cap_queues_fifo},
        {"cpu_limit_and_sharing", test_cpu_limit_and_sharing},
        {"single_slot_pod", test_single_slot_pod},
        {"cpu_utilization_and_idle", test_cpu_utilization_and_idle},
        {"memory_per_request", test_memory_per_request},
        {"startup_delay_and_refusals", test_startup_delay_and_refusals},
        {"manual_readiness", test_manual_readiness},
        {"pod_removal_drains", test_pod_removal_drains},
        {"timeouts_counted_server_keeps_working", test_timeouts_counted_server_keeps_working},
        {"central_queue_drops_abandoned", test_central_queue_drops_abandoned},
        {"no_memory_growth", test_no_memory_growth},
        {"open_loop_shapes", test_open_loop_shapes},
        {"common_random_numbers", test_common_random_numbers},
        {"validation_messages", test_validation_messages},
        {NULL, NULL},
    };
    cu_add_suite("model", tests);
    return cu_run_all();
}
