/* test_replay.c: sim/replay: the recording reader (timeline and loadgen columns, errors) and
 * replay_run against hand-computed HPA decisions (legacy path, cpu Utilization 50%, request
 * 1000m, sync every 15 s): agreement, a perturbed sample reported at its sync, and the rule. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/model/cron_controller.h"
#include "sim/model/sim.h"
#include "sim/output/whatif.h"
#include "sim/replay/replay.h"
#include "sim/replay/replay_cron.h"
#include "sim/replay/replay_csv.h"
#include "sim/replay/replay_prom.h"
#include "sim/scenario/scenario.h"
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

/* The counterfactual's per-second figures: a loadgen trace (rps, p50/p90/p99, the HPA cells
 * every few seconds, held in between) and the simulator's timeline (offered, pod_seconds). */
static void test_csv_series(void) {
    const char *lg = "t_s,rps,sent,completed,failed,p50_ms,p90_ms,p99_ms,hpa_desired,hpa_current\n"
                     "0,10,10,9,1,5.0,8.0,9.0,,\n"
                     "1,12,12,12,0,,,,2,2\n"
                     "2,14,14,14,0,6.0,9.0,10.0,,\n";
    replay_series s;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(replay_csv_series(lg, strlen(lg), &s, &err), 0);
    CU_ASSERT_EQUAL_FATAL(s.n, 3);
    CU_ASSERT(s.has_offered && s.has_pods && s.has_failed && s.has_completed);
    CU_ASSERT(!s.has_pod_seconds);
    CU_ASSERT(s.has_p[0] && !s.has_p[1] && s.has_p[2]); /* loadgen records p90, not p95 */
    CU_ASSERT(isnan(s.rows[0].pods));
    CU_ASSERT_DOUBLE_EQUAL(s.rows[2].pods, 2, 0); /* held from the last look */
    CU_ASSERT_DOUBLE_EQUAL(s.rows[2].offered, 14, 0);
    CU_ASSERT(isnan(s.rows[1].p50_ms));
    whatif_figures f;
    whatif_recorded(&s, 0, &f);
    CU_ASSERT_DOUBLE_EQUAL(f.seconds, 3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(f.requests, 36, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(f.errors, 1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(f.pods_max, 2, 0);
    CU_ASSERT_DOUBLE_EQUAL(f.pod_hours, 4.0 / 3600, 1e-12); /* 2 pods x seconds 1 and 2 */
    CU_ASSERT_DOUBLE_EQUAL(f.ps_p50_ms, (5.0 * 9 + 6.0 * 14) / 23, 1e-12);
    CU_ASSERT(isnan(f.ps_p95_ms));
    CU_ASSERT(isnan(f.p50_ms)); /* the whole-run percentile is not known */
    whatif_recorded(&s, 2, &f); /* GPU-hours: 2 GPUs a pod */
    CU_ASSERT_DOUBLE_EQUAL(f.cost, 8.0 / 3600, 1e-12);
    replay_series_free(&s);

    const char *tl = "time_s,offered,completed,failed,pods_total,pod_seconds\n"
                     "0,5,5,0,1,1.000\n"
                     "1,5,5,0,2,1.500\n";
    CU_ASSERT_EQUAL_FATAL(replay_csv_series(tl, strlen(tl), &s, &err), 0);
    whatif_recorded(&s, 0, &f);
    CU_ASSERT_DOUBLE_EQUAL(f.pod_hours, 2.5 / 3600, 1e-12); /* the pod_seconds column */
    CU_ASSERT_DOUBLE_EQUAL(f.pods_mean, 1.25, 1e-12);
    replay_series_free(&s);

    const char *bad[][2] = {
        {"x\n1\n", "needs a time column"},
        {"t_s,rps\n0,1\n0,2\n", "line 3: time 0 is not after"},
        {"t_s,rps\n0,-1\n", "line 2: offered -1 is negative"},
        {"t_s,rps\n0,lots\n", "line 2: offered \"lots\" is not a number"},
        {"t_s,rps\n0\n", "line 2: 1 cells, the header has 2"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        CU_ASSERT_EQUAL(replay_csv_series(bad[k][0], strlen(bad[k][0]), &s, &err), -1);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[k][1]));
        if (strstr(err.msg, bad[k][1]) == NULL)
            fprintf(stderr, "\nwanted \"%s\", got \"%s\"\n", bad[k][1], err.msg);
    }
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

/* ---- CronHPA ---------------------------------------------------------------------------- */

#define S_US INT64_C(1000000)

static cronhpa_job_cfg cron_jobs[3];
static char *cron_excl[1];

/* A CronHPA on the HPA in UTC from 1970-01-01 00:00 (t = 0): "up" at 01:00 daily to 5 (above
 * maxReplicas 3), "down" at 02:00 daily to 1, "once" at 03:00 (run-once, to 2); Jan 2 excluded
 * (the exclude's next match, Jan 2 00:00, would also skip a job at 00:xx on Jan 1: upstream
 * compares only its month and hour, docs/cron.md). */
static void make_cron(cronhpa_cfg *c) {
    memset(c, 0, sizeof *c);
    memset(cron_jobs, 0, sizeof cron_jobs);
    c->present = 1;
    snprintf(c->target_kind, sizeof c->target_kind, "HorizontalPodAutoscaler");
    snprintf(c->target_name, sizeof c->target_name, "h");
    snprintf(c->namespace_name, sizeof c->namespace_name, "default");
    snprintf(c->tz, sizeof c->tz, "UTC");
    snprintf(cron_jobs[0].name, sizeof cron_jobs[0].name, "up");
    cron_jobs[0].schedule = "0 0 1 * * *";
    cron_jobs[0].target_size = 5;
    snprintf(cron_jobs[1].name, sizeof cron_jobs[1].name, "down");
    cron_jobs[1].schedule = "0 0 2 * * *";
    cron_jobs[1].target_size = 1;
    snprintf(cron_jobs[2].name, sizeof cron_jobs[2].name, "once");
    cron_jobs[2].schedule = "0 0 3 * * *";
    cron_jobs[2].target_size = 2;
    cron_jobs[2].run_once = 1;
    c->jobs = cron_jobs;
    c->n_jobs = 3;
    cron_excl[0] = "* * * 2 1 *";
    c->exclude_dates = cron_excl;
    c->n_exclude_dates = 1;
}

static void test_cron_fires(void) {
    cronhpa_cfg c;
    make_cron(&c);
    replay_cron rc;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(replay_cron_init(&rc, &c, 0, 1, &err), 0);
    int32_t min = 1, max = 3;
    /* 01:00 up: 1 pod < 5: max raised to 5 (and kept), min 5, replicas set to 5 */
    CU_ASSERT_EQUAL(replay_cron_next(&rc), 3600 * S_US);
    CU_ASSERT_EQUAL(replay_cron_fire(&rc, 1, 1, &min, &max), 5);
    CU_ASSERT_EQUAL(min, 5);
    CU_ASSERT_EQUAL(max, 5);
    /* 02:00 down: only min lowered; the HPA runs 5 >= 1, replicas left alone */
    CU_ASSERT_EQUAL(replay_cron_next(&rc), 7200 * S_US);
    CU_ASSERT_EQUAL(replay_cron_fire(&rc, 5, 5, &min, &max), 5);
    CU_ASSERT_EQUAL(min, 1);
    CU_ASSERT_EQUAL(max, 5);
    /* 03:00 once: 1 pod < 2: min 2, replicas 2 */
    CU_ASSERT_EQUAL(replay_cron_next(&rc), 10800 * S_US);
    CU_ASSERT_EQUAL(replay_cron_fire(&rc, 1, 1, &min, &max), 2);
    CU_ASSERT_EQUAL(min, 2);
    min = 1;
    /* the run-once job is gone; Jan 2 (excluded) fires but changes nothing */
    CU_ASSERT_EQUAL(replay_cron_next(&rc), (86400 + 3600) * S_US);
    CU_ASSERT_EQUAL(replay_cron_fire(&rc, 1, 1, &min, &max), 1);
    CU_ASSERT_EQUAL(min, 1);
    CU_ASSERT_EQUAL(replay_cron_next(&rc), (86400 + 7200) * S_US);
    replay_cron_fire(&rc, 1, 1, &min, &max);
    /* Jan 3 01:00: the up job again; the HPA already runs 6 >= 5: min stays, no set */
    CU_ASSERT_EQUAL(replay_cron_next(&rc), (2 * 86400 + 3600) * S_US);
    CU_ASSERT_EQUAL(replay_cron_fire(&rc, 6, 6, &min, &max), 6);
    CU_ASSERT_EQUAL(min, 1);
    CU_ASSERT_EQUAL(rc.fires, 6);
    replay_cron_free(&rc);
}

static void test_cron_min_zero(void) {
    cronhpa_cfg c;
    make_cron(&c);
    cron_jobs[1].target_size = 0; /* "down" to 0: minReplicas 0 rejected without HPAScaleToZero */
    replay_cron rc;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(replay_cron_init(&rc, &c, 0, 1, &err), 0);
    int32_t min = 1, max = 3;
    replay_cron_fire(&rc, 2, 2, &min, &max); /* up */
    CU_ASSERT_EQUAL(replay_cron_fire(&rc, 5, 5, &min, &max), 5);
    CU_ASSERT_EQUAL(min, 5); /* unchanged: the update failed */
    replay_cron_free(&rc);
    /* with the HPA's own minReplicas 0 (HPAScaleToZero) it goes through */
    CU_ASSERT_EQUAL_FATAL(replay_cron_init(&rc, &c, 0, 0, &err), 0);
    min = 0;
    max = 3;
    replay_cron_fire(&rc, 2, 2, &min, &max);
    replay_cron_fire(&rc, 5, 5, &min, &max);
    CU_ASSERT_EQUAL(min, 0);
    replay_cron_free(&rc);
}

/* replay_run with the CronHPA: the 01:00 fire lands on a sync (01:00 is a multiple of 15 s) and
 * sets 5 replicas before it (the fire comes first in the simulator); the recorded row before
 * the sync still shows 1, the HPA (metric at target) keeps the 5 and reports min/max 5/5. */
static void test_cron_replay(void) {
    hpa_cfg cfg;
    make_cfg(&cfg);
    cfg.spec.max_replicas = 3;
    cronhpa_cfg c;
    make_cron(&c);
    c.n_jobs = 2; /* up and down */
    static replay_sample rows[600];
    int n = 0;
    for (int t = 3600 - 60; t < 3600 + 60; t++, n++) {
        replay_sample *s = &rows[n];
        memset(s, 0, sizeof *s);
        s->t_us = (int64_t)t * S_US;
        s->desired = t > 3600 ? 5 : 1;
        s->current = s->pods_ready = s->pods_total = 1;
        s->min_replicas = s->max_replicas = -1;
        s->nmetrics = 1;
        s->metric[0] = 50;
    }
    replay_result r;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(replay_run(&cfg, 1000, &c, 0, rows, n, &r, &err), 0);
    CU_ASSERT_EQUAL(r.nagree, r.nsyncs);
    /* the recording starts at 00:59: the syncs before it are not replayed */
    CU_ASSERT_EQUAL(r.nsyncs, 8);
    CU_ASSERT_EQUAL(r.syncs[0].t_us, 3540 * S_US);
    int k = 0; /* the 01:00 sync */
    while (k < r.nsyncs && r.syncs[k].t_us != 3600 * S_US)
        k++;
    CU_ASSERT_FATAL(k > 0 && k < r.nsyncs);
    const replay_sync *s = &r.syncs[k];
    CU_ASSERT_EQUAL(s->t_us, 3600 * S_US);
    CU_ASSERT_EQUAL(s->current, 5);
    CU_ASSERT_EQUAL(s->min_replicas, 5);
    CU_ASSERT_EQUAL(s->max_replicas, 5);
    CU_ASSERT_EQUAL(r.syncs[k - 1].max_replicas, 3);
    CU_ASSERT_EQUAL(r.syncs[k - 1].cron_fires, 0);
    CU_ASSERT_EQUAL(s->cron_fires, 1);
    replay_result_free(&r);
    /* without the CronHPA the 01:00 sync keeps 1: the divergence the replay had before */
    CU_ASSERT_EQUAL_FATAL(replay_run(&cfg, 1000, NULL, 0, rows, n, &r, &err), 0);
    CU_ASSERT_EQUAL(r.first_divergence, k);
    replay_result_free(&r);
    /* recorded limits (kube-state-metrics' spec_min/max) win over the CronHPA's */
    for (int i = 0; i < n; i++)
        rows[i].min_replicas = 1, rows[i].max_replicas = 7;
    CU_ASSERT_EQUAL_FATAL(replay_run(&cfg, 1000, &c, 0, rows, n, &r, &err), 0);
    CU_ASSERT_EQUAL(r.syncs[k].max_replicas, 7);
    replay_result_free(&r);
}

/* Differential, against the simulator's CronHPA controller: scenarios/cronhpa-hpa.json (three
 * days) simulated, its per-second rows turned into a recording as the timeline writer does (a
 * row is seen at the end of its second), replayed with the CronHPA; every fire of the simulator's
 * controller is followed, at the next sync, by the replay using the limits that fire left. */
typedef struct sim_rows {
    replay_sample *rows;
    int n, cap;
} sim_rows;

static void on_second(void *ctx, const sim_second *r) {
    sim_rows *x = ctx;
    if (x->n == x->cap) {
        x->cap = x->cap ? 2 * x->cap : 4096;
        x->rows = realloc(x->rows, (size_t)x->cap * sizeof *x->rows);
        CU_ASSERT_PTR_NOT_NULL_FATAL(x->rows);
    }
    replay_sample *s = &x->rows[x->n++];
    memset(s, 0, sizeof *s);
    s->t_us = r->t_us + r->dt_us;
    s->desired = r->desired_replicas;
    s->current = r->current_replicas;
    s->pods_ready = r->pods_ready;
    s->pods_total = r->pods_total;
    s->min_replicas = s->max_replicas = -1;
    s->nmetrics = r->nmetrics;
    for (int m = 0; m < r->nmetrics; m++) /* the timeline's two decimals */
        s->metric[m] = isnan(r->metric_seen[m]) ? NAN : round(r->metric_seen[m] * 100) / 100;
}

static void test_cron_differential(void) {
    scenario_cfg cfg;
    sim_error err;
    if (scenario_load(cu_src_path("scenarios/cronhpa-hpa.json"), &cfg, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        CU_FAIL_FATAL("scenario load");
    }
    sim_model *m = sim_model_new(&cfg, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    sim_rows x = {0};
    sim_model_set_observer(m, (sim_observer){on_second, &x});
    CU_ASSERT_EQUAL_FATAL(sim_model_run(m, &err), 0);
    const cron_ctl *cc = sim_model_cron(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cc);
    CU_ASSERT_EQUAL(cc->n_fires, 8);
    replay_result r;
    CU_ASSERT_EQUAL_FATAL(replay_run(&cfg.hpa, cfg.service.pod.cpu_request_milli, &cfg.cronhpa,
                                     sim_start_unix_us(&cfg), x.rows, x.n, &r, &err),
                          0);
    CU_ASSERT_EQUAL(r.nsyncs, 17280);
    CU_ASSERT_EQUAL(r.nagree, 17279);
    CU_ASSERT_EQUAL(r.syncs[r.nsyncs - 1].cron_fires, (int)cc->n_fires);
    int k = 0;
    for (size_t f = 0; f < cc->n_fires; f++) {
        const cron_ctl_fire *fi = &cc->fires[f];
        while (k < r.nsyncs && r.syncs[k].t_us < fi->t_us)
            k++;
        CU_ASSERT_FATAL(k < r.nsyncs);
        /* the fire's limits, at the sync after it (syncs are 15 s apart, fires hours) */
        CU_ASSERT_EQUAL(r.syncs[k].cron_fires, (int)f + 1);
        CU_ASSERT_EQUAL(r.syncs[k].min_replicas, fi->min_after);
        CU_ASSERT_EQUAL(r.syncs[k].max_replicas, fi->max_after);
        if (r.syncs[k].min_replicas != fi->min_after || r.syncs[k].max_replicas != fi->max_after)
            fprintf(stderr, "\nfire %zu at %lld: simulator %d/%d, replay %d/%d\n", f,
                    (long long)fi->t_us, fi->min_after, fi->max_after, r.syncs[k].min_replicas,
                    r.syncs[k].max_replicas);
    }
    replay_result_free(&r);
    free(x.rows);
    sim_model_free(m);
    scenario_cfg_free(&cfg);
}

/* ---- Prometheus query_range ------------------------------------------------------------- */

static const char *const pcols[] = {"cpu_pct_seen"};

static char *prom(const replay_prom_doc *d, int n, int64_t origin, sim_error *err) {
    size_t len;
    return replay_prom_csv(d, n, pcols, names, 1, origin, &len, err);
}

#define QR(RESULTS)                                                                                \
    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" RESULTS "]}}"

static void test_prom_csv(void) {
    /* kube-state-metrics series mapped by name in one file; the cpu series in another, sampled
     * at other instants (misaligned: each column holds its last sample), with a NaN, a +Inf
     * (no sample) and a gap longer than the 5-minute lookback; the max series under its
     * kube-state-metrics v1 name */
    const char *ksm =
        QR("{\"metric\":{\"__name__\":\"kube_horizontalpodautoscaler_status_desired_replicas\"},"
           "\"values\":[[1000,\"1\"],[1015,\"2\"],[1030,\"2\"]]},"
           "{\"metric\":{\"__name__\":\"kube_hpa_spec_max_replicas\"},"
           "\"values\":[[1000,\"3\"],[1030,\"5\"]]}");
    const char *cpu =
        QR("{\"metric\":{},\"values\":[[1001.5,\"40.5\"],[1016,\"NaN\"],[1020,\"+Inf\"],"
           "[1031,\"60\"],[1400,\"70\"]]}");
    replay_prom_doc d[2] = {{NULL, "ksm.json", ksm, strlen(ksm)},
                            {"cpu", "cpu.json", cpu, strlen(cpu)}};
    sim_error err;
    char *csv = prom(d, 2, INT64_MIN, &err);
    if (csv == NULL)
        fprintf(stderr, "\n%s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    const char *want =
        "time_s,desired_replicas,current_replicas,pods_ready,pods_total,min_replicas,max_replicas,"
        "offered,cpu_pct_seen\n"
        "-1.000000,1,,,,,3,,\n"
        "0.500000,1,,,,,3,,40.5\n"
        "14.000000,2,,,,,3,,40.5\n"
        "15.000000,2,,,,,3,,\n"
        "19.000000,2,,,,,3,,\n"
        "29.000000,2,,,,,5,,\n"
        "30.000000,2,,,,,5,,60\n"
        "399.000000,,,,,,,,70\n"; /* desired older than the 5-minute lookback: none */
    if (strcmp(csv, want) != 0)
        fprintf(stderr, "\ngot:\n%s", csv);
    CU_ASSERT_STRING_EQUAL(csv, want);
    /* and it reads back as a recording: the rows seen at 1000 s + label + 1 */
    replay_sample *rows;
    int n;
    CU_ASSERT_EQUAL_FATAL(replay_csv_parse(csv, strlen(csv), pcols, names, 1, &rows, &n, &err), 0);
    CU_ASSERT_EQUAL(n, 7); /* the row without a decision is skipped */
    CU_ASSERT_EQUAL(rows[0].t_us, 0);
    CU_ASSERT_EQUAL(rows[1].t_us, 1500000);
    CU_ASSERT_EQUAL(rows[0].max_replicas, 3);
    CU_ASSERT_EQUAL(rows[0].min_replicas, -1);
    CU_ASSERT(isnan(rows[0].metric[0]));
    CU_ASSERT_DOUBLE_EQUAL(rows[1].metric[0], 40.5, 1e-12);
    free(rows);
    free(csv);
    /* an origin (the scenario's start) shifts the labels */
    csv = prom(d, 2, 990 * INT64_C(1000000), &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\n9.000000,1,"));
    free(csv);
}

static void prom_error(const char *column, const char *text, const char *want) {
    const char *desired = QR("{\"metric\":{},\"values\":[[1,\"1\"]]}");
    const char *cpu = QR("{\"metric\":{},\"values\":[[1,\"1\"]]}");
    replay_prom_doc d[2] = {{column, "f.json", text, strlen(text)}, {NULL, NULL, NULL, 0}};
    int n = 1;
    if (column == NULL || strcmp(column, "desired") != 0)
        d[n++] = (replay_prom_doc){"desired", "d.json", desired, strlen(desired)};
    else
        d[n++] = (replay_prom_doc){"cpu", "c.json", cpu, strlen(cpu)};
    sim_error err;
    char *csv = prom(d, n, INT64_MIN, &err);
    CU_ASSERT_PTR_NULL(csv);
    free(csv);
    if (csv == NULL && strstr(err.msg, want) == NULL)
        fprintf(stderr, "\nwanted \"%s\", got \"%s\"\n", want, err.msg);
    CU_ASSERT_PTR_NOT_NULL(csv == NULL ? strstr(err.msg, want) : NULL);
}

static void test_prom_errors(void) {
    prom_error("cpu", "{\"status\":", "f.json: not JSON (near byte");
    prom_error("cpu", "[]", "f.json: expected an object (a query_range response), got an array");
    prom_error("cpu", "{\"status\":\"error\",\"error\":\"bad\"}",
               "f.json: status: expected \"success\", got \"error\" (the query failed)");
    prom_error(
        "cpu", "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
        "f.json: data.resultType: expected \"matrix\" (a query_range response), got \"vector\"");
    prom_error("cpu", "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\"}}",
               "f.json: data.result: expected an array of series, got nothing");
    prom_error("cpu", QR(""), "f.json: data.result: expected one series for column cpu, got 0");
    prom_error("cpu", QR("{\"values\":[[1,\"1\"]]},{\"values\":[[1,\"1\"]]}"),
               "expected one series for column cpu, got 2");
    prom_error(
        "rps", QR("{\"values\":[[1,\"1\"]]}"),
        "--prom rps=f.json: unknown column \"rps\"; expected one of desired, current, ready, "
        "total, min, max, offered, cpu");
    prom_error(
        "cpu", QR("{\"values\":{}}"),
        "f.json: data.result[0].values: expected an array of [time, \"value\"], got an object");
    prom_error(
        "cpu", QR("{\"values\":[[1]]}"),
        "f.json: data.result[0].values[0]: expected a pair [time, \"value\"], got another array");
    prom_error(
        "cpu", QR("{\"values\":[[\"1\",\"1\"]]}"),
        "f.json: data.result[0].values[0][0]: expected a Unix time in seconds, got a string");
    prom_error(
        "cpu", QR("{\"values\":[[1,2]]}"),
        "f.json: data.result[0].values[0][1]: expected the value as a string (\"12.5\"), got a "
        "number");
    prom_error("cpu", QR("{\"values\":[[1,\"2\"],[3,\"x\"]]}"),
               "f.json: data.result[0].values[1][1]: expected a number, got \"x\"");
    prom_error("cpu", QR("{\"values\":[[2,\"2\"],[2,\"3\"]]}"),
               "f.json: data.result[0].values[1][0]: 2 is not after the previous sample");
    prom_error("desired", QR("{\"values\":[[1,\"2.5\"]]}"),
               "f.json: data.result[0].values[0][1]: expected a whole replica count, got \"2.5\"");
    prom_error(NULL, QR("{\"metric\":{\"job\":\"x\"},\"values\":[]}"),
               "f.json: data.result[0].metric.__name__: expected a series name to map by, got "
               "nothing; give --prom COLUMN=f.json");
    prom_error(NULL, QR("{\"metric\":{\"__name__\":\"up\"},\"values\":[]}"),
               "f.json: data.result[0].metric.__name__: \"up\" maps to no recording column");
    prom_error(NULL,
               QR("{\"metric\":{\"__name__\":\"cpu\"},\"values\":[]},"
                  "{\"metric\":{\"__name__\":\"cpu\"},\"values\":[]}"),
               "f.json: data.result[1]: a second series for column cpu");
    /* nothing for the decision, nothing for the metric */
    const char *one = QR("{\"values\":[[1,\"1\"]]}");
    replay_prom_doc d = {"cpu", "c.json", one, strlen(one)};
    sim_error err;
    CU_ASSERT_PTR_NULL(prom(&d, 1, INT64_MIN, &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no desired-replicas series"));
    d.column = "desired";
    CU_ASSERT_PTR_NULL(prom(&d, 1, INT64_MIN, &err));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(err.msg, "no series for the HPA's metric cpu: give --prom cpu=FILE"));
}

/* Damaged inputs never crash (the sanitizer build checks memory) and fail with a message that
 * names the file: a query_range document and a recording cut at every length and with every
 * byte replaced by characters that matter to JSON or CSV. */
static void test_damage(void) {
    const char *ksm =
        QR("{\"metric\":{\"__name__\":\"kube_horizontalpodautoscaler_status_desired_"
           "replicas\"},\"values\":[[1000,\"1\"],[1015.5,\"2\"]]},"
           "{\"metric\":{\"__name__\":\"cpu\"},\"values\":[[1001,\"NaN\"],[1016,\"7e1\"]]}");
    const char subst[] = "{}[],\":0-.eN\n";
    size_t n = strlen(ksm);
    char *buf = malloc(n + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    int failed = 0, bad_msg = 0;
    for (size_t cut = 0; cut <= n; cut++)
        for (size_t k = 0; k <= sizeof subst - 1; k++) {
            memcpy(buf, ksm, n + 1);
            size_t len = n;
            if (k == sizeof subst - 1)
                len = cut; /* cut */
            else if (cut < n)
                buf[cut] = subst[k]; /* replaced */
            else
                continue;
            replay_prom_doc d = {NULL, "k.json", buf, len};
            sim_error err;
            size_t out_len;
            char *csv = replay_prom_csv(&d, 1, pcols, names, 1, INT64_MIN, &out_len, &err);
            if (csv == NULL) {
                failed++;
                if (strncmp(err.msg, "k.json: ", 8) != 0 && strncmp(err.msg, "--prom", 6) != 0)
                    bad_msg++;
            } else {
                /* what it accepts reads back as a recording or fails with a line */
                replay_sample *rows = NULL;
                int nr;
                if (replay_csv_parse(csv, out_len, pcols, names, 1, &rows, &nr, &err) < 0 &&
                    strncmp(err.msg, "recording: ", 11) != 0)
                    bad_msg++;
                free(rows);
                free(csv);
            }
        }
    CU_ASSERT(failed > 0);
    CU_ASSERT_EQUAL(bad_msg, 0);
    free(buf);

    const char *rec = "time_s,offered,desired_replicas,current_replicas,pods_ready,pods_total,"
                      "cpu_pct_seen,latency_p95_ms\n0,5,1,1,1,1,,3.5\n1,6,2,1,1,2,80.5,4\n";
    n = strlen(rec);
    buf = malloc(n + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    bad_msg = 0;
    for (size_t cut = 0; cut <= n; cut++)
        for (size_t k = 0; k <= sizeof subst - 1; k++) {
            memcpy(buf, rec, n + 1);
            size_t len = k == sizeof subst - 1 ? cut : n;
            if (k < sizeof subst - 1) {
                if (cut == n)
                    continue;
                buf[cut] = subst[k];
            }
            replay_sample *rows = NULL;
            int nr;
            sim_error err;
            if (replay_csv_parse(buf, len, pcols, names, 1, &rows, &nr, &err) < 0 &&
                strncmp(err.msg, "recording: ", 11) != 0)
                bad_msg++;
            free(rows);
            replay_series ser;
            if (replay_csv_series(buf, len, &ser, &err) < 0) {
                if (strncmp(err.msg, "recording: ", 11) != 0)
                    bad_msg++;
            } else {
                replay_series_free(&ser);
            }
        }
    CU_ASSERT_EQUAL(bad_msg, 0);
    free(buf);
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
        {"series", test_csv_series},
        {"errors", test_csv_errors},
        {NULL, NULL},
    };
    static const cu_test cron_tests[] = {
        {"fires", test_cron_fires},
        {"min zero", test_cron_min_zero},
        {"replay", test_cron_replay},
        {"differential", test_cron_differential},
        {NULL, NULL},
    };
    static const cu_test prom_tests[] = {
        {"csv", test_prom_csv},
        {"errors", test_prom_errors},
        {"damage", test_damage},
        {NULL, NULL},
    };
    cu_add_suite("replay_run", run_tests);
    cu_add_suite("replay_csv", csv_tests);
    cu_add_suite("replay_cron", cron_tests);
    cu_add_suite("replay_prom", prom_tests);
    return cu_run_all();
}
