/* test_model_random.c: hundreds of random small scenarios (every balancer, shape, arrival kind,
 * limits, caps, timeouts, pods added and removed mid-run). Each must either be rejected with a
 * message or run to the end with its books balanced: every request sent is completed, failed or
 * still unfinished; every record is back in the pool when nothing is unfinished; the timeline has
 * one row per second; with the queue balancer, the idle map (service.h) agrees with the pods at
 * every churn step and at the end. Run under ASan/UBSan too, so memory errors surface here. */
#include "cu.h"

#include <gsl/gsl_rng.h>
#include <string.h>

#include "sim/engine/rng.h"
#include "sim/model/sim.h"

#define SEC INT64_C(1000000)

static double uni(gsl_rng *r, double lo, double hi) {
    return lo + (hi - lo) * gsl_rng_uniform(r);
}

static int pick(gsl_rng *r, int n) {
    return (int)gsl_rng_uniform_int(r, (unsigned long)n);
}

typedef struct counter {
    int rows;
    uint64_t offered, completed, failed;
} counter;

static void count_row(void *ctx, const sim_second *row) {
    counter *c = ctx;
    c->rows++;
    c->offered += row->offered;
    c->completed += row->completed;
    c->failed += row->failed;
}

/* Idle-map checks made and failed (queue balancer): bit i set exactly when ready[i] has
 * nothing in service, and no bit beyond the endpoints. */
static int idle_checks, idle_bad;

static void check_idle_map(const service *s) {
    if (s->balancer != LB_QUEUE)
        return;
    int ok = 1;
    for (int i = 0; i < s->cap_pods; i++) {
        int bit = (int)((s->idle_bits[i / 64] >> (i % 64)) & 1);
        int want = i < s->n_ready && s->ready[i]->n_ps == 0;
        ok &= bit == want;
    }
    idle_checks++;
    idle_bad += !ok;
}

static void churn(engine *e, void *obj, uint64_t arg) {
    service *s = obj;
    check_idle_map(s);
    if (arg % 2 == 0 || s->n_pods == 0)
        service_add_pod(s, (pod_start)(arg % 3));
    else
        service_remove_pod(s, s->pods[arg % (uint64_t)s->n_pods]);
    check_idle_map(s);
    if (arg < 40)
        engine_after(e, 700000, churn, s, arg * 7 + 3);
}

static void test_random_scenarios(void) {
    gsl_rng *r = rng_stream_new(2024, "fuzz");
    int ran = 0, rejected = 0;
    double samples[] = {500, 2000, 15000, 0};
    rate_point pts[] = {{0, 20}, {2 * SEC, 0}, {3 * SEC, 80}, {5 * SEC, 5}};
    for (int iter = 0; iter < 1000; iter++) {
        load_cfg loads[3];
        memset(loads, 0, sizeof loads);
        int n_loads = pick(r, 4);
        for (int i = 0; i < n_loads; i++) {
            load_cfg *l = &loads[i];
            snprintf(l->name, sizeof l->name, "load%d", i);
            l->start_us = pick(r, 3) * SEC / 2;
            l->end_us = pick(r, 2) ? INT64_MAX : l->start_us + (1 + pick(r, 6)) * SEC;
            l->timeout_us = pick(r, 3) == 0 ? 0 : (int64_t)uni(r, 1000, 3e6);
            if (pick(r, 2)) {
                l->kind = LOAD_CLOSED;
                l->workers = pick(r, 30); /* 0 is invalid: must be rejected */
                l->duration_us = pick(r, 2) ? (1 + pick(r, 5)) * SEC : 0;
                l->total_requests = pick(r, 2) ? pick(r, 300) : 0;
                l->qps_per_worker = pick(r, 2) ? uni(r, 0, 50) : 0;
            } else {
                l->kind = LOAD_OPEN;
                l->shape = (rate_shape)pick(r, 5);
                l->arrivals = (arrival_kind)pick(r, 2);
                l->rate = uni(r, -5, 300);
                l->rate_from = uni(r, 0, 200);
                l->rate_to = uni(r, 0, 200);
                l->rate_min = uni(r, 0, 50);
                l->rate_max = uni(r, 0, 300);
                l->period_us = pick(r, 4) * SEC;
                l->peak_at_us = pick(r, 4) * SEC;
                l->points = pts;
                l->n_points = (size_t)pick(r, 5);
                l->interpolation = (interp_kind)pick(r, 2);
            }
        }
        scenario_cfg c;
        memset(&c, 0, sizeof c);
        c.name = "fuzz";
        c.seed = (uint64_t)iter;
        c.duration_us = pick(r, 5) == 0 ? 0 : (1 + pick(r, 8)) * SEC;
        strcpy(c.service.name, "svc");
        c.service.replicas = pick(r, 5);
        c.service.balancer = (balancer_kind)pick(r, 4);
        pod_cfg *p = &c.service.pod;
        p->cpu_request_milli = 1 + pick(r, 2000);
        p->cpu_limit_milli = pick(r, 3) ? pick(r, 4000) : 0;
        p->cpu_idle_milli = pick(r, 200);
        p->concurrency = pick(r, 4);
        p->memory_request_bytes = pick(r, 1000);
        p->memory_base_bytes = pick(r, 500);
        p->memory_per_request_bytes = pick(r, 50);
        p->demand.kind = (dist_kind)pick(r, 6);
        p->demand.mean = uni(r, 0, 80000);
        p->demand.cv = uni(r, 0, 3);
        p->demand.min = uni(r, 0, 1000);
        p->demand.max = uni(r, 0, 100000);
        p->demand.samples = samples;
        p->demand.n_samples = 4;
        p->startup_us.kind = DIST_UNIFORM;
        p->startup_us.min = 0;
        p->startup_us.max = 2e6;
        c.loads = loads;
        c.n_loads = (size_t)n_loads;

        sim_error err;
        sim_model *m = sim_model_new(&c, pick(r, 2) ? 2 : 4, &err);
        if (m == NULL) {
            CU_ASSERT(strlen(err.msg) > 0);
            rejected++;
            continue;
        }
        counter cnt = {0};
        sim_model_set_observer(m, (sim_observer){count_row, &cnt});
        if (pick(r, 2))
            engine_at(sim_model_engine(m), 300000, churn, sim_model_service(m), 1);
        int rc = sim_model_run(m, &err);
        CU_ASSERT_EQUAL(rc, 0);
        const sim_stats *st = sim_model_stats(m);
        int books = st->client.offered == st->client.completed + st->client.failed + st->unfinished;
        if (!books)
            fprintf(stderr, "iter %d: offered %llu completed %llu failed %llu unfinished %llu\n",
                    iter, (unsigned long long)st->client.offered,
                    (unsigned long long)st->client.completed, (unsigned long long)st->client.failed,
                    (unsigned long long)st->unfinished);
        CU_ASSERT(books);
        /* every record still alive is either at the server (a timed-out request whose work the
         * drain did not wait for, or an unfinished one) or an unfinished one on its way */
        const occupancy *o = &sim_model_service(m)->occ;
        uint64_t at_server = (uint64_t)(o->in_service + o->pod_queued + o->central);
        int held =
            st->live_requests >= at_server && st->live_requests <= at_server + st->unfinished;
        if (!held)
            fprintf(stderr, "iter %d: %llu live, %llu at the server, %llu unfinished\n", iter,
                    (unsigned long long)st->live_requests, (unsigned long long)at_server,
                    (unsigned long long)st->unfinished);
        CU_ASSERT(held);
        if (at_server == 0 && st->unfinished == 0)
            CU_ASSERT_EQUAL(st->live_requests, 0);
        CU_ASSERT_EQUAL(cnt.rows, (int)((st->horizon_us + SEC - 1) / SEC));
        CU_ASSERT(cnt.offered <= st->client.offered);
        check_idle_map(sim_model_service(m));
        sim_model_free(m);
        ran++;
    }
    printf("\n    %d scenarios ran, %d rejected with a message\n", ran, rejected);
    CU_ASSERT(ran > 500);
    CU_ASSERT(rejected > 50);
    CU_ASSERT(idle_checks > 200);
    CU_ASSERT_EQUAL(idle_bad, 0);
    gsl_rng_free(r);
}

int main(void) {
    static const cu_test tests[] = {
        {"random_scenarios", test_random_scenarios},
        {NULL, NULL},
    };
    cu_add_suite("model_random", tests);
    return cu_run_all();
}
