/* test_check.c: the assertion engine of `scalesim check` (sim/output/check.h): every kind,
 * passing and failing, with the exact message (observed value and simulated time), over
 * hand-made run outputs whose figures are worked out in the comments. */
#include "cu.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/output/check.h"
#include "sim/scenario/scenario.h"

/* Ten seconds of a run with an HPA: desired_replicas changes at 3 s (1->3), 5 s (3->5),
 * 8 s (5->2) and 9 s (2->1), four changes; pods_total lags one second behind. */
static const char *const TIMELINE =
    "time_s,offered,completed,failed,latency_p50_ms,latency_p95_ms,latency_p99_ms,pods_total,"
    "desired_replicas,pod_seconds\n"
    "0,10,10,0,50,80,100,1,1,1\n"
    "1,10,10,0,50,80,100,1,1,1\n"
    "2,10,10,0,50,80,100,1,1,1\n"
    "3,10,10,0,200,300,400,1,3,3\n"
    "4,10,10,0,200,300,400,3,3,3\n"
    "5,10,10,0,150,250,300,3,5,5\n"
    "6,10,8,2,50,80,100,5,5,5\n"
    "7,10,10,0,50,80,100,5,5,5\n"
    "8,10,10,0,50,80,100,5,2,2\n"
    "9,0,0,0,0,0,0,2,1,1\n";

/* pod_seconds sum to 27, so 0.0075 pod-hours; 2 of 90 requests failed. */
static const char *const SUMMARY = "{\"requests\": {\"offered\": 90, \"completed\": 88, "
                                   "\"failed\": 2}, \"latency_ms\": {\"p50\": 50, \"p90\": 280, "
                                   "\"p95\": 300, \"p99\": 350.5, \"p999\": 400}, \"pods\": "
                                   "{\"pod_hours\": 0.0075}}";

static check_run run;
static scenario_cfg cfg;

static void make_run(const char *timeline, const char *summary, const char *events) {
    sim_error err;
    check_run_free(&run);
    CU_ASSERT_EQUAL_FATAL(
        check_table_parse(timeline, strlen(timeline), "timeline.csv", &run.timeline, &err), 0);
    run.summary = summary ? cJSON_Parse(summary) : NULL;
    if (events) {
        run.has_events = 1;
        CU_ASSERT_EQUAL_FATAL(
            check_events_parse(events, strlen(events), &run.events, &run.n_events, &err), 0);
    }
}

/* Loads a scenario whose expect block is `expect` (a JSON array) into cfg. */
static int load_expect(const char *expect, sim_error *err) {
    char text[4096];
    snprintf(text, sizeof text,
             "{\"name\": \"t\", \"duration\": \"10s\",\n \"load\": [{\"name\": \"a\", \"type\": "
             "\"poisson\", \"rate\": 10, \"start\": \"2s\", \"end\": \"7s\"}],\n \"expect\": %s}",
             expect);
    scenario_cfg_free(&cfg);
    return scenario_load_text(text, strlen(text), "t.json", "", &cfg, err);
}

/* Evaluates the only assertion of `expect` on the current run. */
static check_result eval1(const char *expect) {
    check_result r;
    sim_error err;
    memset(&r, 0, sizeof r);
    if (load_expect(expect, &err) != 0) {
        printf("\nload failed: %s\n", err.msg);
        CU_FAIL_FATAL("load");
    }
    CU_ASSERT_EQUAL_FATAL(cfg.expect.n, 1);
    if (check_eval(&cfg.expect.asserts[0], &run, NULL, &r, &err) != 0) {
        printf("\neval failed: %s\n", err.msg);
        CU_FAIL_FATAL("eval");
    }
    return r;
}

#define CHECK_MSG(r, want)                                                                         \
    do {                                                                                           \
        if (strcmp((r).message, (want)) != 0)                                                      \
            printf("\n  got:  %s\n  want: %s\n", (r).message, (want));                             \
        CU_ASSERT_STRING_EQUAL((r).message, (want));                                               \
    } while (0)

static void test_replicas_at(void) {
    make_run(TIMELINE, SUMMARY, NULL);
    check_result r = eval1("[{\"replicas_at\": 5, \"at\": \"5s\"}]");
    CU_ASSERT_TRUE(r.passed);
    CHECK_MSG(r, "5 replicas at 5s, expected 5 (column desired_replicas)");
    r = eval1("[{\"replicas_at\": 3, \"at\": \"8s\"}]");
    CU_ASSERT_FALSE(r.passed);
    CU_ASSERT_EQUAL(r.t_us, 8000000);
    CU_ASSERT_DOUBLE_EQUAL(r.observed, 2, 0);
    CHECK_MSG(r, "2 replicas at 8s, expected 3 (column desired_replicas)");
}

static void test_replicas_at_most(void) {
    make_run(TIMELINE, SUMMARY, NULL);
    check_result r = eval1("[{\"replicas_at_most\": 5}]");
    CU_ASSERT_TRUE(r.passed);
    CHECK_MSG(r, "at most 5 replicas, at 5s (column desired_replicas)");
    r = eval1("[{\"replicas_at_most\": 2}]");
    CU_ASSERT_FALSE(r.passed);
    CU_ASSERT_EQUAL(r.t_us, 3000000);
    CU_ASSERT_DOUBLE_EQUAL(r.observed, 5, 0);
    CHECK_MSG(r, "3 replicas at 3s, above 2 (the most was 5, at 5s; column desired_replicas)");
    /* In a range that excludes the peak: [0s, 3s) holds 1 replica. */
    r = eval1("[{\"replicas_at_most\": 1, \"from\": \"0s\", \"to\": \"3s\"}]");
    CU_ASSERT_TRUE(r.passed);
}

static void test_replicas_at_least(void) {
    make_run(TIMELINE, SUMMARY, NULL);
    check_result r = eval1("[{\"replicas_at_least\": 3, \"from\": \"3s\", \"to\": \"8s\"}]");
    CU_ASSERT_TRUE(r.passed);
    CHECK_MSG(r, "at least 3 replicas, at 3s (column desired_replicas)");
    r = eval1("[{\"replicas_at_least\": 3, \"from\": \"3s\"}]");
    CU_ASSERT_FALSE(r.passed);
    CHECK_MSG(r, "2 replicas at 8s, below 3 (the fewest was 1, at 9s; column desired_replicas)");
}

static void test_replicas_fallback_pods_total(void) {
    /* Without desired/current replica columns, pods_total is used and the message says so. */
    make_run("time_s,pods_total\n0,1\n1,2\n2,2\n", NULL, NULL);
    check_result r = eval1("[{\"replicas_at_most\": 1}]");
    CU_ASSERT_FALSE(r.passed);
    CHECK_MSG(r, "2 replicas at 1s, above 1 (the most was 2, at 1s; column pods_total: the "
                 "timeline has no desired_replicas column)");
}

static void test_scale_up_within(void) {
    make_run(TIMELINE, SUMMARY, NULL);
    /* The default load step is the load's start, 2s; the first scale-up is seen in the row
     * of second 3, so it happened by 4s. */
    check_result r = eval1("[{\"scale_up_within\": \"2s\"}]");
    CU_ASSERT_TRUE(r.passed);
    CU_ASSERT_DOUBLE_EQUAL(r.observed, 2, 1e-9);
    CHECK_MSG(r, "first scale-up 1 -> 3 at 4s, 2s after the load step at 2s (column "
                 "desired_replicas)");
    r = eval1("[{\"scale_up_within\": \"1s\", \"after\": \"3s\"}]");
    CU_ASSERT_FALSE(r.passed);
    CU_ASSERT_EQUAL(r.t_us, 6000000);
    CU_ASSERT_DOUBLE_EQUAL(r.observed, 3, 1e-9);
    CHECK_MSG(r, "first scale-up 3 -> 5 at 6s, 3s after the load step at 3s (column "
                 "desired_replicas)");
    r = eval1("[{\"scale_up_within\": \"2s\", \"after\": \"6s\"}]");
    CU_ASSERT_FALSE(r.passed);
    CHECK_MSG(r, "no scale-up after the load step at 6s: 5 replicas until the end at 10s (column "
                 "desired_replicas)");
}

static void test_back_to_min(void) {
    make_run(TIMELINE, SUMMARY, NULL);
    /* The load ends at 7s; the count is 1 from the row of second 9 on, so by 10s: 3s after. */
    check_result r = eval1("[{\"back_to_min_within\": [\"1s\", \"3s\"], \"min\": 1}]");
    CU_ASSERT_TRUE(r.passed);
    CU_ASSERT_DOUBLE_EQUAL(r.observed, 3, 1e-9);
    CHECK_MSG(r, "back to 1 replica at 10s, 3s after the load ended at 7s; expected 1s to 3s "
                 "(column desired_replicas)");
    r = eval1("[{\"back_to_min_within\": [\"5s\", \"6s\"], \"min\": 1}]");
    CU_ASSERT_FALSE(r.passed);
    CU_ASSERT_EQUAL(r.t_us, 10000000);
    CHECK_MSG(r, "back to 1 replica at 10s, 3s after the load ended at 7s; expected 5s to 6s "
                 "(column desired_replicas)");
    make_run("time_s,desired_replicas\n0,1\n1,4\n2,4\n", NULL, NULL);
    r = eval1("[{\"back_to_min_within\": [\"0s\", \"1s\"], \"after\": \"1s\", \"min\": 1}]");
    CU_ASSERT_FALSE(r.passed);
    CHECK_MSG(r, "not back to 1 replica by the end at 3s (4 then), 2s after the load ended at 1s; "
                 "expected 0s to 1s (column desired_replicas)");
}

static void test_rescales_from_timeline(void) {
    make_run(TIMELINE, SUMMARY, NULL);
    check_result r = eval1("[{\"rescales_at_most\": 4}]");
    CU_ASSERT_TRUE(r.passed);
    CHECK_MSG(r, "4 rescales (no events.log: counted as changes of the replica count; column "
                 "desired_replicas)");
    r = eval1("[{\"rescales_at_most\": 2}]");
    CU_ASSERT_FALSE(r.passed);
    CU_ASSERT_EQUAL(r.t_us, 9000000);
    CHECK_MSG(r, "4 rescales, more than 2: the 3rd at 9s (no events.log: counted as changes of "
                 "the replica count; column desired_replicas)");
}

/* A flapping HPA's events, in `kubectl describe hpa` form with a simulated time column. */
static const char *const EVENTS =
    "  Type    Reason             Time   Age   From                       Message\n"
    "  ----    ------             ----   ----  ----                       -------\n"
    "  Normal  SuccessfulRescale  15s    5m    horizontal-pod-autoscaler  New size: 3; reason: "
    "cpu resource utilization (percentage of request) above target\n"
    "  Normal  SuccessfulRescale  1m15s  4m    horizontal-pod-autoscaler  New size: 1; reason: All "
    "metrics below target\n"
    "  Normal  SuccessfulRescale  1m30s  3m    horizontal-pod-autoscaler  New size: 3; reason: "
    "cpu resource utilization (percentage of request) above target\n"
    "  Normal  SuccessfulRescale  2m30s  2m    horizontal-pod-autoscaler  New size: 1; reason: All "
    "metrics below target\n"
    "  Warning FailedGetResourceMetric 2m45s 2m horizontal-pod-autoscaler  missing request for "
    "cpu\n";

static void test_rescales_from_events(void) {
    make_run(TIMELINE, SUMMARY, EVENTS);
    CU_ASSERT_EQUAL(run.n_events, 4);
    CU_ASSERT_EQUAL(run.events[1].t_us, 75000000);
    CU_ASSERT_EQUAL(run.events[1].new_size, 1);
    check_result r = eval1("[{\"rescales_at_most\": 4}]");
    CU_ASSERT_TRUE(r.passed);
    CHECK_MSG(r, "4 rescale events (SuccessfulRescale in events.log)");
    r = eval1("[{\"rescales_at_most\": 1}]");
    CU_ASSERT_FALSE(r.passed);
    CU_ASSERT_EQUAL(r.t_us, 75000000);
    CU_ASSERT_DOUBLE_EQUAL(r.observed, 4, 0);
    CHECK_MSG(r, "4 rescale events (SuccessfulRescale in events.log), more than 1: the 2nd at "
                 "1m15s");
}

/* The loop's events.log: a "t=" simulated time first, kubectl's Age after the reason. */
static void test_events_loop_format(void) {
    const char *log =
        "# HorizontalPodAutoscaler default/sklearn-iris-predictor: events, Age at the end of the "
        "run (t=10m)\n"
        "TIME   TYPE    REASON             AGE    FROM                       MESSAGE\n"
        "t=30s  Normal  SuccessfulRescale  9m30s  horizontal-pod-autoscaler  New size: 4; reason: "
        "cpu resource utilization (percentage of request) above target\n"
        "t=45s  Normal  SuccessfulRescale  9m15s  horizontal-pod-autoscaler  New size: 8; reason: "
        "cpu resource utilization (percentage of request) above target\n";
    check_event *ev;
    size_t n;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(check_events_parse(log, strlen(log), &ev, &n, &err), 0);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_EQUAL(ev[0].t_us, 30000000);
    CU_ASSERT_EQUAL(ev[0].new_size, 4);
    CU_ASSERT_EQUAL(ev[1].t_us, 45000000);
    CU_ASSERT_EQUAL(ev[1].new_size, 8);
    free(ev);
}

static void test_latency_whole_run(void) {
    make_run(TIMELINE, SUMMARY, NULL);
    check_result r = eval1("[{\"latency_at_most\": \"400ms\"}]");
    CU_ASSERT_TRUE(r.passed);
    CHECK_MSG(r, "p99 latency 350.5ms over the whole run (summary.json), bound 400ms");
    r = eval1("[{\"latency_at_most\": \"250ms\", \"percentile\": 95}]");
    CU_ASSERT_FALSE(r.passed);
    CU_ASSERT_EQUAL(r.t_us, -1);
    CHECK_MSG(r, "p95 latency 300.0ms over the whole run (summary.json), bound 250ms");
}

static void test_latency_window(void) {
    make_run(TIMELINE, SUMMARY, NULL);
    /* 2 s windows of p99: [0,2) 100, [2,4) 250, [4,6) 350, [6,8) (100*8+100*10)/18 = 100,
     * [8,10) 100 (the 9 s row served nothing). */
    check_result r = eval1("[{\"latency_at_most\": \"350ms\", \"window\": \"2s\"}]");
    CU_ASSERT_TRUE(r.passed);
    CHECK_MSG(r, "worst p99 latency 350.0ms in the 2s window at 4s (5 windows)");
    r = eval1("[{\"latency_at_most\": \"200ms\", \"window\": \"2s\"}]");
    CU_ASSERT_FALSE(r.passed);
    CU_ASSERT_EQUAL(r.t_us, 4000000);
    CHECK_MSG(r, "p99 latency 350.0ms in the 2s window at 4s, above 200ms (2 of 5 windows above, "
                 "the first at 2s)");
}

static void test_slo_attainment(void) {
    make_run(TIMELINE, SUMMARY, NULL);
    /* Nine seconds with traffic; p99 <= 300 ms in all but 3s and 4s (400 ms): 7/9. */
    check_result r = eval1("[{\"slo_attainment_at_least\": 75, \"latency\": \"300ms\"}]");
    CU_ASSERT_TRUE(r.passed);
    CU_ASSERT_DOUBLE_EQUAL(r.observed, 700.0 / 9, 1e-9);
    CHECK_MSG(r, "SLO attainment 77.78%: 7 of 9 seconds with traffic met p99 <= 300ms; the first "
                 "miss at 3s (400.0ms)");
    r = eval1("[{\"slo_attainment_at_least\": 99, \"latency\": \"300ms\"}]");
    CU_ASSERT_FALSE(r.passed);
    CU_ASSERT_EQUAL(r.t_us, 3000000);
}

static void test_error_rate(void) {
    make_run(TIMELINE, SUMMARY, NULL);
    /* 2 failed of 90: 2.222%. */
    check_result r = eval1("[{\"error_rate_at_most\": 5}]");
    CU_ASSERT_TRUE(r.passed);
    r = eval1("[{\"error_rate_at_most\": 1}]");
    CU_ASSERT_FALSE(r.passed);
    CU_ASSERT_EQUAL(r.t_us, 6000000);
    CHECK_MSG(r, "error rate 2.222% (2 failed of 90) over the whole run; the most failures (2) in "
                 "the second at 6s");
}

static void test_pod_hours(void) {
    make_run(TIMELINE, SUMMARY, NULL);
    check_result r = eval1("[{\"pod_hours_at_most\": 0.01}]");
    CU_ASSERT_TRUE(r.passed);
    CHECK_MSG(r, "0.0075 pod-hours over the whole run (10s)");
    /* The running sum of pod_seconds passes 0.002 h = 7.2 s at 4s (1+1+1+3+3 = 9). */
    r = eval1("[{\"pod_hours_at_most\": 0.002}]");
    CU_ASSERT_FALSE(r.passed);
    CU_ASSERT_EQUAL(r.t_us, 4000000);
    CHECK_MSG(r, "0.0075 pod-hours over the whole run (10s), above 0.002 from 4s on");
}

static void test_gpu_hours(void) {
    make_run(TIMELINE, "{\"gpu_hours\": 0.5}", NULL);
    check_result r = eval1("[{\"gpu_hours_at_most\": 1}]");
    CU_ASSERT_TRUE(r.passed);
    CHECK_MSG(r, "0.5 GPU-hours over the whole run (10s)");
    r = eval1("[{\"gpu_hours_at_most\": 0.25}]");
    CU_ASSERT_FALSE(r.passed);
    CHECK_MSG(r, "0.5 GPU-hours over the whole run (10s), above 0.25");
    /* Without the figure, the assertion cannot be evaluated: an error, not a pass. */
    make_run(TIMELINE, SUMMARY, NULL);
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(load_expect("[{\"gpu_hours_at_most\": 1}]", &err), 0);
    check_result r2;
    CU_ASSERT_EQUAL(check_eval(&cfg.expect.asserts[0], &run, NULL, &r2, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "summary.json has no gpu_hours (this run has no GPU model)");
}

static void test_golden(void) {
    make_run(TIMELINE, SUMMARY, NULL);
    const char *g = "time_s,desired_replicas,latency_p99_ms\n0,1,100\n1,1,100\n2,1,100\n3,3,380\n";
    check_table golden;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(check_table_parse(g, strlen(g), "g.csv", &golden, &err), 0);
    CU_ASSERT_EQUAL_FATAL(load_expect("[{\"golden\": \"g.csv\", \"tolerance\": "
                                      "{\"latency_p99_ms\": \"10%\"}}]",
                                      &err),
                          0);
    check_result r;
    CU_ASSERT_EQUAL_FATAL(check_eval(&cfg.expect.asserts[0], &run, &golden, &r, &err), 0);
    CU_ASSERT_TRUE(r.passed);
    CHECK_MSG(r, "4 rows x 2 columns within tolerance");
    /* 5% of 380 is 19: 400 is 20 away. */
    CU_ASSERT_EQUAL_FATAL(load_expect("[{\"golden\": \"g.csv\", \"tolerance\": "
                                      "{\"latency_p99_ms\": \"5%\"}}]",
                                      &err),
                          0);
    CU_ASSERT_EQUAL_FATAL(check_eval(&cfg.expect.asserts[0], &run, &golden, &r, &err), 0);
    CU_ASSERT_FALSE(r.passed);
    CU_ASSERT_EQUAL(r.t_us, 3000000);
    CHECK_MSG(r, "latency_p99_ms at 3s: 400, golden 380 (tolerance 5%, i.e. 19); 1 value outside "
                 "tolerance in all");
    check_table_free(&golden);
    /* A column the run lacks fails, naming it. */
    g = "time_s,gpu_util_pct\n0,1\n";
    CU_ASSERT_EQUAL_FATAL(check_table_parse(g, strlen(g), "g.csv", &golden, &err), 0);
    CU_ASSERT_EQUAL_FATAL(load_expect("[{\"golden\": \"g.csv\"}]", &err), 0);
    CU_ASSERT_EQUAL_FATAL(check_eval(&cfg.expect.asserts[0], &run, &golden, &r, &err), 0);
    CU_ASSERT_FALSE(r.passed);
    CHECK_MSG(r, "column gpu_util_pct of the golden timeline is missing from the run's timeline");
    check_table_free(&golden);
}

static void test_worst_of_seeds(void) {
    check_result pass_a = {.passed = 1, .margin = 3}, pass_b = {.passed = 1, .margin = 1};
    check_result fail_a = {.passed = 0, .margin = -1}, fail_b = {.passed = 0, .margin = -5};
    CU_ASSERT_TRUE(check_result_worse(&pass_b, &pass_a));
    CU_ASSERT_FALSE(check_result_worse(&pass_a, &pass_b));
    CU_ASSERT_TRUE(check_result_worse(&fail_a, &pass_b));
    CU_ASSERT_TRUE(check_result_worse(&fail_b, &fail_a));
    CU_ASSERT_FALSE(check_result_worse(&pass_b, &fail_b));
}

static void test_table_errors(void) {
    check_table t;
    sim_error err;
    const char *bad = "time_s,a\n0,1\n1,x\n";
    CU_ASSERT_EQUAL(check_table_parse(bad, strlen(bad), "g.csv", &t, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "g.csv:3: column a: expected a number, got \"x\"");
    bad = "time_s,a\n0,1,2\n";
    CU_ASSERT_EQUAL(check_table_parse(bad, strlen(bad), "g.csv", &t, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "g.csv:2: more fields than the header has columns");
    bad = "time_s,a\n0\n";
    CU_ASSERT_EQUAL(check_table_parse(bad, strlen(bad), "g.csv", &t, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "g.csv:2: fewer fields than the header has columns");
    CU_ASSERT_EQUAL(check_table_parse("", 0, "g.csv", &t, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "g.csv:1: expected a header row of column names");
    bad = "a,a\n";
    CU_ASSERT_EQUAL(check_table_parse(bad, strlen(bad), "g.csv", &t, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "g.csv:1: duplicate column name \"a\"");
}

static void test_missing_column_is_an_error(void) {
    make_run("time_s,pods_total\n0,1\n", SUMMARY, NULL);
    sim_error err;
    check_result r;
    CU_ASSERT_EQUAL_FATAL(load_expect("[{\"latency_at_most\": \"1s\", \"window\": \"10s\"}]", &err),
                          0);
    CU_ASSERT_EQUAL(check_eval(&cfg.expect.asserts[0], &run, NULL, &r, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "timeline.csv has no latency_p99_ms column");
    CU_ASSERT_EQUAL_FATAL(load_expect("[{\"replicas_at\": 1, \"at\": \"5s\"}]", &err), 0);
    CU_ASSERT_EQUAL(check_eval(&cfg.expect.asserts[0], &run, NULL, &r, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "the timeline has no row at 5s (it covers 0s to 1s)");
}

/* Garbage in, a precise error or a table out, never a crash (run under ASan in make test). */
static void test_parsers_survive_garbage(void) {
    static const char alphabet[] = "0123456789,.-e\n\r \tabcSuccessfulRescale:New size t=";
    unsigned state = 12345;
    char buf[512];
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = (size_t)(iter % 500);
        for (size_t i = 0; i < n; i++) {
            state = state * 1103515245u + 12345u;
            buf[i] = iter % 7 == 0 ? (char)(state >> 16)
                                   : alphabet[(state >> 16) % (sizeof alphabet - 1)];
        }
        check_table t;
        sim_error err;
        if (check_table_parse(buf, n, "g.csv", &t, &err) == 0)
            check_table_free(&t);
        else
            CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "g.csv:"));
        check_event *ev = NULL;
        size_t nev = 0;
        CU_ASSERT_EQUAL(check_events_parse(buf, n, &ev, &nev, &err), 0);
        free(ev);
    }
}

static const cu_test tests[] = {
    {"replicas_at", test_replicas_at},
    {"replicas_at_most", test_replicas_at_most},
    {"replicas_at_least", test_replicas_at_least},
    {"replicas_fallback_pods_total", test_replicas_fallback_pods_total},
    {"scale_up_within", test_scale_up_within},
    {"back_to_min", test_back_to_min},
    {"rescales_from_timeline", test_rescales_from_timeline},
    {"rescales_from_events", test_rescales_from_events},
    {"events_loop_format", test_events_loop_format},
    {"latency_whole_run", test_latency_whole_run},
    {"latency_window", test_latency_window},
    {"slo_attainment", test_slo_attainment},
    {"error_rate", test_error_rate},
    {"pod_hours", test_pod_hours},
    {"gpu_hours", test_gpu_hours},
    {"golden", test_golden},
    {"worst_of_seeds", test_worst_of_seeds},
    {"table_errors", test_table_errors},
    {"missing_column_is_an_error", test_missing_column_is_an_error},
    {"parsers_survive_garbage", test_parsers_survive_garbage},
    {NULL, NULL},
};

int main(void) {
    cu_add_suite("check", tests);
    int rc = cu_run_all();
    check_run_free(&run);
    scenario_cfg_free(&cfg);
    return rc;
}
