/* test_queueing.c: the simulator against queueing theory: M/M/4 with a shared queue (Erlang C),
 * an M/M/1 processor-sharing pod (S / (1 - rho)), Little's law on the timeline, and hey's closed
 * loop (c workers, service time S: c / S requests per second). */
#include "cu.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "sim/model/sim.h"

static load_cfg open_load(double rps) {
    load_cfg l;
    memset(&l, 0, sizeof l);
    strcpy(l.name, "load");
    l.kind = LOAD_OPEN;
    l.end_us = INT64_MAX;
    l.shape = RATE_CONSTANT;
    l.arrivals = ARRIVALS_POISSON;
    l.rate = rps;
    return l;
}

static scenario_cfg base(load_cfg *loads, size_t n, int pods, int64_t duration_us) {
    scenario_cfg c;
    memset(&c, 0, sizeof c);
    c.name = "test";
    c.seed = 42;
    c.duration_us = duration_us;
    strcpy(c.service.name, "svc");
    c.service.replicas = pods;
    c.service.balancer = LB_ROUND_ROBIN;
    c.service.pod.cpu_request_milli = 1000;
    c.service.pod.cpu_limit_milli = 1000;
    c.service.pod.demand.kind = DIST_EXPONENTIAL;
    c.service.pod.demand.mean = 10000; /* 10 ms of one core */
    c.service.pod.startup_us.kind = DIST_CONSTANT;
    c.loads = loads;
    c.n_loads = n;
    return c;
}

/* Erlang C: probability that an arrival waits in M/M/c with offered load a = lambda * S. */
static double erlang_c(int c, double a) {
    double b =
        gsl_ran_poisson_pdf((unsigned)c, a) / gsl_cdf_poisson_P((unsigned)c, a); /* Erlang B */
    return c * b / (c - a * (1 - b));
}

static sim_model *run(const scenario_cfg *c, sim_observer *obs) {
    sim_error err;
    sim_model *m = sim_model_new(c, 0, &err);
    if (m == NULL)
        fprintf(stderr, "sim_model_new: %s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    if (obs)
        sim_model_set_observer(m, *obs);
    int rc = sim_model_run(m, &err);
    if (rc != 0)
        fprintf(stderr, "sim_model_run: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    return m;
}

static void test_mm4_erlang_c(void) {
    /* 4 single-core pods, concurrency 1, one central FIFO: M/M/4 at rho = 0.8. */
    const int c = 4;
    const double s_us = 10000, rho = 0.8, lambda = rho * c / (s_us / 1e6);
    load_cfg l = open_load(lambda);
    scenario_cfg cfg = base(&l, 1, c, 6000 * INT64_C(1000000)); /* ~1.9 M requests */
    cfg.service.balancer = LB_QUEUE;
    cfg.service.pod.concurrency = 1;
    sim_model *m = run(&cfg, NULL);
    const sim_stats *st = sim_model_stats(m);
    double a = lambda * s_us / 1e6;
    double wq_us = erlang_c(c, a) * s_us / (c - a);
    double got_us = st->sum_wait_us / (double)st->server_completed;
    printf("\n    M/M/4 rho 0.8: %llu requests, mean wait %.1f us, Erlang C %.1f us (%+.2f%%)\n",
           (unsigned long long)st->server_completed, got_us, wq_us, 100 * (got_us - wq_us) / wq_us);
    CU_ASSERT(st->server_completed > 1800000);
    CU_ASSERT(fabs(got_us - wq_us) / wq_us < 0.03);
    /* and the response time is wait + S */
    double t_us = st->sum_sojourn_us / (double)st->server_completed;
    CU_ASSERT(fabs(t_us - (wq_us + s_us)) / (wq_us + s_us) < 0.03);
    sim_model_free(m);
}

static void test_mm1_processor_sharing(void) {
    /* One pod, one core, no concurrency cap: every request in service shares the core. */
    const double s_us = 10000, rho = 0.7, lambda = rho / (s_us / 1e6);
    load_cfg l = open_load(lambda);
    scenario_cfg cfg = base(&l, 1, 1, 20000 * INT64_C(1000000)); /* ~1.4 M requests */
    sim_model *m = run(&cfg, NULL);
    const sim_stats *st = sim_model_stats(m);
    double want = s_us / (1 - rho);
    double got = st->sum_sojourn_us / (double)st->server_completed;
    printf("\n    M/M/1-PS rho 0.7: %llu requests, mean response %.1f us, S/(1-rho) %.1f us "
           "(%+.2f%%)\n",
           (unsigned long long)st->server_completed, got, want, 100 * (got - want) / want);
    CU_ASSERT(fabs(got - want) / want < 0.03);
    /* utilisation as the HPA sees it: usage / request = rho */
    CU_ASSERT(fabs(st->cpu_util_pct - 100 * rho) < 1.0);
    sim_model_free(m);
}

typedef struct little_acc {
    double area_s;    /* sum of inflight * row length */
    double sojourn_s; /* sum of completed * mean latency */
    uint64_t rows, completed;
} little_acc;

static void little_row(void *ctx, const sim_second *r) {
    little_acc *a = ctx;
    a->area_s += r->inflight * (double)r->dt_us / 1e6;
    a->sojourn_s += (double)r->completed * r->mean_us / 1e6;
    a->completed += r->completed;
    a->rows++;
}

static void test_littles_law_on_timeline(void) {
    const double lambda = 300;
    load_cfg l = open_load(lambda);
    scenario_cfg cfg = base(&l, 1, 4, 600 * INT64_C(1000000));
    cfg.service.balancer = LB_LEAST_REQUESTS;
    little_acc a = {0};
    sim_observer obs = {little_row, &a};
    sim_model *m = run(&cfg, &obs);
    CU_ASSERT_EQUAL(a.rows, 600);
    double L = a.area_s / 600, W = a.sojourn_s / (double)a.completed,
           lam = (double)a.completed / 600;
    printf("\n    Little: L %.4f, lambda*W %.4f\n", L, lam * W);
    CU_ASSERT(fabs(L - lam * W) / L < 0.01);
    CU_ASSERT(fabs(lam - lambda) / lambda < 0.02);
    sim_model_free(m);
}

static load_cfg hey_load(int c, int64_t z_us, int64_t n) {
    load_cfg l;
    memset(&l, 0, sizeof l);
    strcpy(l.name, "hey");
    l.kind = LOAD_CLOSED;
    l.end_us = INT64_MAX;
    l.workers = c;
    l.duration_us = z_us;
    l.total_requests = n;
    l.timeout_us = 20 * INT64_C(1000000);
    return l;
}

static void test_hey_closed_loop_rate(void) {
    /* c = 10 workers, fixed service time 50 ms, 16 cores: nobody waits, 10 / 0.05 = 200 rps. */
    load_cfg l = hey_load(10, 10 * INT64_C(1000000), 0);
    scenario_cfg cfg = base(&l, 1, 1, 30 * INT64_C(1000000));
    cfg.service.pod.cpu_limit_milli = 16000;
    cfg.service.pod.demand.kind = DIST_CONSTANT;
    cfg.service.pod.demand.mean = 50000;
    sim_model *m = run(&cfg, NULL);
    const load_src *ls = sim_model_load(m, 0);
    CU_ASSERT_EQUAL(ls->st.ok, 2000); /* 200 rps for the 10 s of -z */
    CU_ASSERT_EQUAL(ls->st.t_last_us - ls->st.t_first_us, 10 * INT64_C(1000000));
    CU_ASSERT_EQUAL(ls->st.latency.min, 50000);
    CU_ASSERT_EQUAL(ls->st.latency.max, 50000);
    sim_model_free(m);

    /* -n 1000 -c 10: 100 requests per worker, 5 s */
    l = hey_load(10, 0, 1000);
    m = run(&cfg, NULL);
    ls = sim_model_load(m, 0);
    CU_ASSERT_EQUAL(ls->st.ok, 1000);
    CU_ASSERT_EQUAL(ls->st.t_last_us - ls->st.t_first_us, 5 * INT64_C(1000000));
    sim_model_free(m);

    /* -n 1005 -c 10: hey drops the remainder (100 each) */
    l = hey_load(10, 0, 1005);
    m = run(&cfg, NULL);
    CU_ASSERT_EQUAL(sim_model_load(m, 0)->st.ok, 1000);
    sim_model_free(m);

    /* too few cores: 10 workers on 2 cores share them, so 2 / 0.05 = 40 rps */
    l = hey_load(10, 10 * INT64_C(1000000), 0);
    cfg.service.pod.cpu_limit_milli = 2000;
    m = run(&cfg, NULL);
    ls = sim_model_load(m, 0);
    CU_ASSERT(ls->st.ok >= 400 && ls->st.ok <= 410);
    CU_ASSERT_EQUAL(ls->st.latency.min, 250000); /* 5 requests per core */
    sim_model_free(m);
}

static void test_hey_qps_throttle(void) {
    /* -q 5 -c 4 -z 10s, 50 ms service: each worker sends on its 200 ms ticks, the first after one
     * period; the worker that passes the stop check at 9.85 s waits for the 10.0 s tick and still
     * sends (hey checks before it waits): 50 requests each. */
    load_cfg l = hey_load(4, 10 * INT64_C(1000000), 0);
    l.qps_per_worker = 5;
    scenario_cfg cfg = base(&l, 1, 1, 30 * INT64_C(1000000));
    cfg.service.pod.cpu_limit_milli = 8000;
    cfg.service.pod.demand.kind = DIST_CONSTANT;
    cfg.service.pod.demand.mean = 50000;
    sim_model *m = run(&cfg, NULL);
    const load_src *ls = sim_model_load(m, 0);
    CU_ASSERT_EQUAL(ls->st.ok, 200);
    CU_ASSERT_EQUAL(ls->st.t_last_us, 10 * INT64_C(1000000) + 50000);
    sim_model_free(m);

    /* service slower than the tick (300 ms vs 200 ms): the buffered tick lets the next request
     * go at once, so the worker runs back to back: 1 request per 300 ms after the first tick. */
    cfg.service.pod.demand.mean = 300000;
    l.workers = 1;
    l.duration_us = 3 * INT64_C(1000000);
    m = run(&cfg, NULL);
    ls = sim_model_load(m, 0);
    /* sends at 0.2, 0.5, 0.8, ..., 2.9 (stop check at 3.2 fails): 10 */
    CU_ASSERT_EQUAL(ls->st.ok, 10);
    sim_model_free(m);
}

int main(void) {
    static const cu_test tests[] = {
        {"mm4_erlang_c", test_mm4_erlang_c},
        {"mm1_processor_sharing", test_mm1_processor_sharing},
        {"littles_law_on_timeline", test_littles_law_on_timeline},
        {"hey_closed_loop_rate", test_hey_closed_loop_rate},
        {"hey_qps_throttle", test_hey_qps_throttle},
        {NULL, NULL},
    };
    cu_add_suite("queueing", tests);
    return cu_run_all();
}
