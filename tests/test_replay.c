/* test_replay.c: sim/replay: the recording reader (timeline and loadgen columns, errors) and
 * replay_run against hand-computed HPA decisions (legacy path, cpu Utilization 50%, request
 * 1000m, sync every 15 s): agreement, a perturbed sample reported at its sync, and the rule. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/replay/replay.h"
#include "sim/replay/replay_csv.h"
#include "tests/support/cu.h"

static hpa_metric_spec cpu50;

static void make_cfg(hpa_cfg *cfg) {
    memset(cfg, 0, sizeof *cfg);
    memset(&cpu50, 0, sizeof cpu50);
    cpu50.type = HPA_METRIC_RESOURCE;
    cpu50.type_name = "Resource";
    cpu50.name = "cpu";
    cpu50.target.type = HPA_TARGET_UTILIZATION;
    cpu50.target.has_utilization = 1;
    cpu50.target.average_utilization = 50;
    cfg->present = 1;
    cfg->spec.min_replicas = 1;
    cfg->spec.max_replicas = 10;
    cfg->spec.metrics = &cpu50;
    cfg->spec.nmetrics = 1;
    hpa_config_default(&cfg->controller);
    cfg->sync_period_us = 15000000;
    cfg->sync_phase_us = 0;
}

/* Rows at 1..61 s: cpu 40% on one pod until 30 s (proposal ceil(0.8) = 1), then 150% (sync 30:
 * ceil(3 * 1) = 3, under the legacy limit max(2*1, 4)), 50% on three pods from 46 s (3 stays),
 * 10% from 58 s (sync 60: proposal 1, held at 3 by the 5-minute downscale stabilisation). */
static int make_rows(replay_sample *rows) {
    int n = 0;
    for (int t = 1; t <= 61; t++, n++) {
        replay_sample *s = &rows[n];
        memset(s, 0, sizeof *s);
        s->t_us = (int64_t)t * 1000000;
        s->desired = t > 30 ? 3 : 1;
        s->current = t > 30 ? 3 : 1;
        s->pods_ready = t > 45 ? 3 : 1;
        s->pods_total = s->current;
        s->min_replicas = s->max_replicas = -1;
        s->nmetrics = 1;
        s->metric[0] = t <= 30 ? 40 : t <= 45 ? 150 : t < 58 ? 50 : 10;
    }
    return n;
}

static void test_agree(void) {
    hpa_cfg cfg;
    make_cfg(&cfg);
    replay_sample rows[64];
    int n = make_rows(rows);
    replay_result r;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(replay_run(&cfg, 1000, NULL, 0, rows, n, &r, &err), 0);
    CU_ASSERT_EQUAL(r.nsyncs, 5); /* 0, 15, 30, 45, 60 */
    CU_ASSERT_EQUAL(r.nagree, 5);
    CU_ASSERT_EQUAL(r.first_divergence, -1);
    CU_ASSERT_EQUAL(r.syncs[2].t_us, 30000000);
    CU_ASSERT_EQUAL(r.syncs[2].computed, 3);
    CU_ASSERT_EQUAL(r.syncs[2].proposal, 3);
    CU_ASSERT_STRING_EQUAL(r.syncs[2].rule, "metric proposal");
    CU_ASSERT_STRING_EQUAL(r.syncs[3].rule, "tolerance (usage ratio 1.00 within 0.90..1.10)");
    CU_ASSERT_EQUAL(r.syncs[4].proposal, 1);
    CU_ASSERT_EQUAL(r.syncs[4].computed, 3);
    CU_ASSERT_STRING_EQUAL(r.syncs[4].rule, "stabilization (ScaleDownStabilized)");
    replay_result_free(&r);
}

static void test_perturbed(void) {
    hpa_cfg cfg;
    make_cfg(&cfg);
    replay_sample rows[64];
    int n = make_rows(rows);
    rows[30].metric[0] = 40; /* the row at 31 s: what sync 30 reported */
    replay_result r;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(replay_run(&cfg, 1000, NULL, 0, rows, n, &r, &err), 0);
    CU_ASSERT_EQUAL(r.nagree, 4);
    CU_ASSERT_EQUAL_FATAL(r.first_divergence, 2);
    const replay_sync *s = &r.syncs[2];
    CU_ASSERT_EQUAL(s->t_us, 30000000);
    CU_ASSERT_EQUAL(s->recorded, 3);
    CU_ASSERT_EQUAL(s->computed, 1);
    CU_ASSERT_DOUBLE_EQUAL(s->metric[0], 40, 1e-9);
    CU_ASSERT_STRING_EQUAL(s->rule, "proposal = current (usage ratio 0.80, outside the tolerance)");
    replay_result_free(&r);

    /* above maxReplicas: a clamp, named as such */
    make_rows(rows);
    rows[30].metric[0] = 1000; /* 20 x 1 pod, legacy limit 4 */
    CU_ASSERT_EQUAL_FATAL(replay_run(&cfg, 1000, NULL, 0, rows, n, &r, &err), 0);
    CU_ASSERT_EQUAL_FATAL(r.first_divergence, 2);
    CU_ASSERT_EQUAL(r.syncs[2].computed, 4);
    CU_ASSERT_STRING_EQUAL(r.syncs[2].rule, "rate limit (ScaleUpLimit)");
    replay_result_free(&r);
}

static void test_errors(void) {
    hpa_cfg cfg;
    make_cfg(&cfg);
    replay_sample rows[64];
    replay_result r;
    sim_error err;
    make_rows(rows);
    CU_ASSERT_EQUAL(replay_run(&cfg, 1000, NULL, 0, rows, 1, &r, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "at least two rows"));
    rows[3].nmetrics = 0;
    CU_ASSERT_EQUAL(replay_run(&cfg, 1000, NULL, 0, rows, 10, &r, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "row 4 has 0 metric values"));
}

static const char *const cols[] = {"cpu_pct_seen"};
static const char *const names[] = {"cpu"};

static void test_csv_timeline(void) {
    const char *text = "time_s,pods_ready,pods_total,desired_replicas,current_replicas,"
                       "cpu_pct_true,cpu_pct_seen\n"
                       "0,1,1,1,1,100.00,\n"
                       "1,1,2,2,2,100.00,81.00\r\n";
    replay_sample *rows;
    int n;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(replay_csv_parse(text, strlen(text), cols, names, 1, &rows, &n, &err), 0);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_EQUAL(rows[0].t_us, 1000000); /* the end of second 0 */
    CU_ASSERT(isnan(rows[0].metric[0]));
    CU_ASSERT_EQUAL(rows[1].pods_total, 2);
    CU_ASSERT_EQUAL(rows[1].desired, 2);
    CU_ASSERT_DOUBLE_EQUAL(rows[1].metric[0], 81, 1e-9);
    free(rows);
}

static void test_csv_loadgen(void) {
    const char *text = "t_s,rps,hpa_desired,hpa_current,hpa_metrics,hpa_conditions,hpa_error\n"
                       "0,10,,,,,kubectl failed\n"
                       "1,10,3,2,memory=120Mi;cpu=58%,AbleToScale=True,\n"
                       "2,10,3,3,memory=120Mi,AbleToScale=True,\n";
    replay_sample *rows;
    int n;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(replay_csv_parse(text, strlen(text), cols, names, 1, &rows, &n, &err), 0);
    CU_ASSERT_EQUAL_FATAL(n, 2); /* the failed look is skipped */
    CU_ASSERT_EQUAL(rows[0].desired, 3);
    CU_ASSERT_EQUAL(rows[0].current, 2);
    CU_ASSERT_EQUAL(rows[0].pods_ready, -1);
    CU_ASSERT_DOUBLE_EQUAL(rows[0].metric[0], 58, 1e-9);
    CU_ASSERT(isnan(rows[1].metric[0]));
    free(rows);
    const char *mem = "t_s,hpa_desired,hpa_metrics\n0,1,memory=120Mi\n";
    const char *const mcols[] = {"memory_seen"}, *const mnames[] = {"memory"};
    CU_ASSERT_EQUAL_FATAL(replay_csv_parse(mem, strlen(mem), mcols, mnames, 1, &rows, &n, &err), 0);
    CU_ASSERT_DOUBLE_EQUAL(rows[0].metric[0], 120.0 * 1024 * 1024, 1e-3);
    free(rows);
}

static void expect_error(const char *text, const char *want) {
    replay_sample *rows = NULL;
    int n = 0;
    sim_error err;
    CU_ASSERT_EQUAL(replay_csv_parse(text, strlen(text), cols, names, 1, &rows, &n, &err), -1);
    CU_ASSERT_PTR_NULL(rows);
    if (strstr(err.msg, want) == NULL)
        fprintf(stderr, "\nwanted \"%s\", got \"%s\"\n", want, err.msg);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
}

static void test_csv_errors(void) {
    expect_error("", "empty file");
    expect_error("x,y\n1,2\n", "needs a time column");
    expect_error("time_s,desired_replicas\n0,1\n", "no column cpu_pct_seen");
    expect_error("time_s,desired_replicas,cpu_pct_seen\n0,1\n",
                 "line 2: 2 cells, the header has 3");
    expect_error("time_s,desired_replicas,cpu_pct_seen\nzero,1,5\n", "line 2: time \"zero\"");
    expect_error("time_s,desired_replicas,cpu_pct_seen\n0,1.5,5\n", "line 2: desired replicas");
    expect_error("time_s,desired_replicas,cpu_pct_seen\n1,1,5\n1,1,5\n",
                 "line 3: time 1 is not after");
    expect_error("time_s,desired_replicas,cpu_pct_seen\n0,1,abc\n", "line 2: metric 0 value");
    expect_error("t_s,hpa_desired,hpa_metrics\n0,1,cpu=lots\n", "line 2: metric 0 value");
}

int main(void) {
    static const cu_test run_tests[] = {
        {"agree", test_agree},
        {"perturbed", test_perturbed},
        {"errors", test_errors},
        {NULL, NULL},
    };
    static const cu_test csv_tests[] = {
        {"timeline", test_csv_timeline},
        {"loadgen", test_csv_loadgen},
        {"errors", test_csv_errors},
        {NULL, NULL},
    };
    cu_add_suite("replay_run", run_tests);
    cu_add_suite("replay_csv", csv_tests);
    return cu_run_all();
}
