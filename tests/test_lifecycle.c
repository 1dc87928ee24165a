/* test_lifecycle.c: a pod's stages with their delays (scheduling, cold and cached image pull,
 * container start, model load, readiness probe with initialDelaySeconds / periodSeconds /
 * successThreshold), node capacity leaving pods Pending, the pod as the HPA reads it at each
 * stage, the ReplicaSet's choice of victims, and metrics-server missing a new pod until it has
 * two points. */
#include "cu.h"

#include <stdint.h>
#include <string.h>

#include "sim/model/lifecycle.h"
#include "sim/model/pipeline_resource.h"

#define SEC INT64_C(1000000)

static int n_done, n_cut;
static void done(void *ctx, request *r) {
    (void)ctx;
    (void)r;
    n_done++;
}
static void cut(void *ctx, request *r) {
    (void)ctx;
    (void)r;
    n_cut++;
}

typedef struct rig {
    engine eng;
    service svc;
    lifecycle lc;
    service_cfg scfg;
    lifecycle_cfg lcfg;
} rig;

static dist_cfg constant(double us) {
    dist_cfg d;
    memset(&d, 0, sizeof d);
    d.kind = DIST_CONSTANT;
    d.mean = us;
    return d;
}

static void rig_init_demand(rig *r, int replicas, int nodes, int per_node, double demand_us);
static void rig_init(rig *r, int replicas, int nodes, int per_node) {
    rig_init_demand(r, replicas, nodes, per_node, 1000);
}

static void rig_init_demand(rig *r, int replicas, int nodes, int per_node, double demand_us) {
    memset(r, 0, sizeof *r);
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(engine_init(&r->eng, 0, &err), 0);
    strcpy(r->scfg.name, "svc");
    r->scfg.replicas = replicas;
    r->scfg.balancer = LB_ROUND_ROBIN;
    r->scfg.pod.cpu_request_milli = 1000;
    r->scfg.pod.demand = constant(demand_us);
    r->lcfg.schedule_us = constant(1 * SEC);
    r->lcfg.pull_cold_us = constant(20 * SEC);
    r->lcfg.pull_cached_us = constant(2 * SEC);
    r->lcfg.start_us = constant(1 * SEC);
    r->lcfg.model_load_us = constant(30 * SEC);
    r->lcfg.probe_initial_delay_us = 5 * SEC;
    r->lcfg.probe_period_us = 10 * SEC;
    r->lcfg.probe_success_threshold = 2;
    r->lcfg.termination_grace_us = 30 * SEC;
    r->lcfg.nodes = nodes;
    r->lcfg.pods_per_node = per_node;
    r->scfg.pod.lifecycle = &r->lcfg;
    CU_ASSERT_EQUAL_FATAL(
        service_init(&r->svc, &r->scfg, 1, &r->eng, (service_hooks){done, cut, NULL}, &err), 0);
    CU_ASSERT_EQUAL_FATAL(lifecycle_init(&r->lc, &r->svc, &r->scfg, 1, &err), 0);
}

static void rig_free(rig *r) {
    lifecycle_free(&r->lc);
    service_free(&r->svc);
    engine_free(&r->eng);
}

static void run_to(rig *r, int64_t t) {
    sim_error err;
    CU_ASSERT_EQUAL(engine_run(&r->eng, t, &err), 0);
    r->eng.now_us = t;
}

static void test_stages(void) {
    rig r;
    rig_init(&r, 1, 2, 1); /* node 0 has the image (initial pod), node 1 does not */
    CU_ASSERT_EQUAL_FATAL(lifecycle_scale(&r.lc, 2), 0);
    lc_pod *lp = r.lc.all[1];
    hpa_container k;
    hpa_pod hp;
    lifecycle_hpa_pod(lp, &k, 1000, &hp);
    CU_ASSERT_EQUAL(hp.phase, HPA_PHASE_PENDING);
    CU_ASSERT_EQUAL(hp.ready, HPA_READY_ABSENT);
    CU_ASSERT_FALSE(hp.has_start_time);
    run_to(&r, 1 * SEC); /* scheduled on node 1 at 1 s: startTime, Ready=False */
    CU_ASSERT_EQUAL(lp->node, 1);
    lifecycle_hpa_pod(lp, &k, 1000, &hp);
    CU_ASSERT_EQUAL(hp.phase, HPA_PHASE_PENDING);
    CU_ASSERT_EQUAL(hp.ready, HPA_READY_FALSE);
    CU_ASSERT_EQUAL(hp.start_time_us, 1 * SEC);
    /* cold pull 20 s -> 21 s, start 1 s -> Running at 22 s, model loaded at 52 s; probes at
     * 1, 11, ..., skipped before 22 + 5 s; successes at 61 and 71 s (threshold 2) */
    run_to(&r, 22 * SEC);
    CU_ASSERT_EQUAL(lp->running_us, 22 * SEC);
    lifecycle_hpa_pod(lp, &k, 1000, &hp);
    CU_ASSERT_EQUAL(hp.phase, HPA_PHASE_RUNNING);
    CU_ASSERT_EQUAL(hp.ready, HPA_READY_FALSE);
    CU_ASSERT_EQUAL(hp.ready_transition_us, 1 * SEC);
    run_to(&r, 70 * SEC);
    CU_ASSERT_EQUAL(lp->stage, LC_RUNNING);
    CU_ASSERT_EQUAL(lp->probe_successes, 1);
    run_to(&r, 71 * SEC);
    CU_ASSERT_EQUAL(lp->stage, LC_READY);
    CU_ASSERT_EQUAL(lp->ready_transition_us, 71 * SEC);
    CU_ASSERT_EQUAL(r.svc.n_ready, 2);
    lifecycle_hpa_pod(lp, &k, 1000, &hp);
    CU_ASSERT_EQUAL(hp.ready, HPA_READY_TRUE);
    CU_ASSERT_EQUAL(hp.ready_transition_us, 71 * SEC);
    /* node 1 now has the image: a pod deleted and replaced there pulls cached (2 s) */
    CU_ASSERT_EQUAL(lifecycle_scale(&r.lc, 1), 0);
    CU_ASSERT_EQUAL(lp->stage, LC_TERMINATING); /* newer Ready pod goes first */
    CU_ASSERT_EQUAL(r.svc.n_ready, 1);
    CU_ASSERT_EQUAL(lifecycle_scale(&r.lc, 2), 0);
    lc_pod *again = r.lc.all[2];
    run_to(&r, 72 * SEC);
    CU_ASSERT_EQUAL(again->node, 1);
    run_to(&r, 75 * SEC);
    CU_ASSERT_EQUAL(again->running_us, 75 * SEC); /* 72 + 2 (cached pull) + 1 (start) */
    rig_free(&r);
}

static void test_capacity_pending(void) {
    rig r;
    rig_init(&r, 2, 2, 1); /* both nodes full */
    CU_ASSERT_EQUAL_FATAL(lifecycle_scale(&r.lc, 4), 0);
    run_to(&r, 100 * SEC);
    CU_ASSERT_EQUAL(lifecycle_unscheduled(&r.lc), 2);
    CU_ASSERT_EQUAL(r.lc.all[2]->stage, LC_UNSCHEDULED);
    CU_ASSERT_EQUAL(r.lc.all[2]->waiting, 1);
    /* scale to 3: the unscheduled pods go first (newest of the two ranks by UID/time) */
    CU_ASSERT_EQUAL(lifecycle_scale(&r.lc, 3), 0);
    CU_ASSERT_EQUAL(lifecycle_unscheduled(&r.lc), 1);
    CU_ASSERT_EQUAL(r.lc.all[0]->stage, LC_READY);
    CU_ASSERT_EQUAL(r.lc.all[1]->stage, LC_READY);
    /* scale to 1: the Pending one, then one of the Ready ones: a slot frees, nobody waits */
    CU_ASSERT_EQUAL(lifecycle_scale(&r.lc, 1), 0);
    CU_ASSERT_EQUAL(lifecycle_unscheduled(&r.lc), 0);
    CU_ASSERT_EQUAL(r.lc.n_live, 1);
    /* a freed node lets a waiting pod bind at once */
    CU_ASSERT_EQUAL(lifecycle_scale(&r.lc, 3), 0);
    run_to(&r, 101 * SEC + 1);
    CU_ASSERT_EQUAL(lifecycle_unscheduled(&r.lc), 1);
    rig_free(&r);
}

static void test_victims(void) {
    rig r;
    rig_init(&r, 1, 0, 0);
    r.lcfg.nodes = 0;
    run_to(&r, 10 * SEC);
    CU_ASSERT_EQUAL_FATAL(lifecycle_scale(&r.lc, 2), 0); /* pod 1, created at 10 s */
    run_to(&r, 200 * SEC);                               /* Ready */
    CU_ASSERT_EQUAL(r.lc.all[1]->stage, LC_READY);
    CU_ASSERT_EQUAL_FATAL(lifecycle_scale(&r.lc, 3), 0); /* pod 2: unready */
    run_to(&r, 205 * SEC);
    int order[3];
    lifecycle_rank_for_deletion(&r.lc, order);
    /* not Ready first; then Ready for less time (pod 1, about 130 s, log2 bucket below the
     * initial pod's hour) */
    CU_ASSERT_EQUAL(order[0], 2);
    CU_ASSERT_EQUAL(order[1], 1);
    CU_ASSERT_EQUAL(order[2], 0);
    rig_free(&r);
}

static void test_metrics_missing_until_two_points(void) {
    rig r;
    rig_init(&r, 1, 0, 0);
    sim_error err;
    res_pipeline rp;
    CU_ASSERT_EQUAL_FATAL(res_pipeline_init(&rp, &r.lc, NULL, "svc", 1, &err), 0);
    hpa_resource_sample s[8];
    hpa_container_usage u[8];
    CU_ASSERT_EQUAL(res_pipeline_query(&rp, 0, s, u), 1); /* the adopted pod has a rate */
    CU_ASSERT_EQUAL_FATAL(lifecycle_scale(&r.lc, 2), 0);
    /* Running at 4 s (schedule 1 + pull 2 (no nodes: cached) + start 1); first sample at 4 s;
     * metrics-server needs a second newer one, or the fresh-container rule (>= 10 s old at a
     * scrape): never before 14 s */
    int64_t first_seen = -1;
    for (int64_t t = 4 * SEC; t <= 60 * SEC; t += SEC / 10) {
        run_to(&r, t);
        int n = res_pipeline_query(&rp, 0, s, u);
        if (n == 2 && first_seen < 0)
            first_seen = t;
    }
    CU_ASSERT_EQUAL(r.lc.all[1]->running_us, 4 * SEC);
    CU_ASSERT(first_seen >= 14 * SEC);
    CU_ASSERT(first_seen <= 4 * SEC + 15 * SEC + 20 * SEC);
    res_pipeline_free(&rp);
    rig_free(&r);
}

/* A deleted pod drains for at most terminationGracePeriodSeconds (30 s): a 10 s request
 * finishes, a 60 s one is cut off when the grace period ends. */
static void test_grace_period(void) {
    for (int k = 0; k < 2; k++) {
        rig r;
        rig_init_demand(&r, 1, 0, 0, k == 0 ? 10e6 : 60e6);
        request_pool pool;
        request_pool_init(&pool);
        request *q = request_new(&pool);
        CU_ASSERT_EQUAL_FATAL(service_submit(&r.svc, q), 0);
        n_done = n_cut = 0;
        CU_ASSERT_EQUAL_FATAL(lifecycle_scale(&r.lc, 2), 0);
        run_to(&r, 5 * SEC);
        CU_ASSERT_EQUAL_FATAL(lifecycle_scale(&r.lc, 1), 0); /* the new, unready pod goes */
        CU_ASSERT_EQUAL(r.lc.all[1]->stage, LC_TERMINATING);
        CU_ASSERT_EQUAL(lifecycle_scale(&r.lc, 0), 0); /* now the busy one */
        CU_ASSERT_EQUAL(r.svc.n_ready, 0);             /* out of the Service at once */
        run_to(&r, 5 * SEC + 30 * SEC + 1);
        if (k == 0) {
            CU_ASSERT_EQUAL(n_done, 1);
            CU_ASSERT_EQUAL(n_cut, 0);
            CU_ASSERT_EQUAL(r.lc.killed_requests, 0);
        } else {
            CU_ASSERT_EQUAL(n_done, 0);
            CU_ASSERT_EQUAL(n_cut, 1);
            CU_ASSERT_EQUAL(r.lc.killed_requests, 1);
            CU_ASSERT_EQUAL(r.svc.occ.in_service, 0);
            CU_ASSERT_EQUAL(r.svc.n_pods, 0); /* retired */
        }
        run_to(&r, 100 * SEC); /* the stale completion wake-up finds nothing */
        CU_ASSERT_EQUAL(n_done + n_cut, 1);
        rig_free(&r);
        request_free(&pool, q);
        request_pool_free(&pool);
    }
}

static const cu_test tests[] = {
    {"grace_period", test_grace_period},
    {"stages", test_stages},
    {"capacity_pending", test_capacity_pending},
    {"victims", test_victims},
    {"metrics_missing_until_two_points", test_metrics_missing_until_two_points},
    {NULL, NULL},
};

int main(void) {
    cu_add_suite("lifecycle", tests);
    return cu_run_all();
}
