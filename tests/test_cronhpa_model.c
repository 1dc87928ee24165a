/* test_cronhpa_model.c: the CronHPA controller in the simulation (cron_controller.h), on the
 * shipped scenarios and small inline ones: the seed's schedule fires at 10:30:00 and 12:00:00 in
 * the controller's zone and the Deployment follows; a CronHPA targeting an HPA applies the
 * README 1.4 rules (maxReplicas raised and kept, minReplicas lowered, skip when the HPA already
 * runs enough); run-once jobs fire once; excludeDates quirks produce warnings; scenario errors
 * point at file:line:col. */
#include "cu.h"

#include <stdlib.h>
#include <string.h>

#include "sim/model/cron_controller.h"
#include "sim/model/sim.h"
#include "sim/scenario/scenario.h"

#define S INT64_C(1000000)

typedef struct rows {
    int32_t desired[3 * 86400 + 2];
    int n;
} rows;

static void on_row(void *ctx, const sim_second *r) {
    rows *x = ctx;
    int64_t end = (r->t_us + r->dt_us) / S; /* counted at the end of the row */
    if (end >= 0 && end < (int64_t)(sizeof x->desired / sizeof x->desired[0]))
        x->desired[end] = r->desired_replicas;
    x->n++;
}

static sim_model *run_file(const char *rel, scenario_cfg *cfg, rows *x) {
    sim_error err;
    if (scenario_load(cu_src_path(rel), cfg, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        CU_FAIL_FATAL("scenario load");
    }
    sim_model *m = sim_model_new(cfg, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    if (x)
        sim_model_set_observer(m, (sim_observer){on_row, x});
    CU_ASSERT_EQUAL_FATAL(sim_model_run(m, &err), 0);
    return m;
}

static sim_model *run_text(const char *text, scenario_cfg *cfg, rows *x, sim_error *err) {
    if (scenario_load_text(text, strlen(text), "t.json", "", cfg, err) != 0)
        return NULL;
    sim_model *m = sim_model_new(cfg, 0, err);
    if (m == NULL)
        return NULL;
    if (x)
        sim_model_set_observer(m, (sim_observer){on_row, x});
    if (sim_model_run(m, err) < 0) {
        sim_model_free(m);
        return NULL;
    }
    return m;
}

static int has_warning(const cron_ctl *c, const char *needle) {
    for (size_t i = 0; i < c->n_warnings; i++)
        if (strstr(c->warnings[i].text, needle))
            return 1;
    return 0;
}

/* scenarios/qwen-cronhpa.json: the seed's CronHPA, one day from midnight Shanghai. */
static void test_seed_schedule(void) {
    scenario_cfg cfg;
    rows *x = calloc(1, sizeof *x);
    sim_model *m = run_file("scenarios/qwen-cronhpa.json", &cfg, x);
    const cron_ctl *c = sim_model_cron(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_STRING_EQUAL(cron_zone_name(c->zone), "Asia/Shanghai");
    CU_ASSERT_EQUAL_FATAL(c->n_fires, 2);
    char wall[48];
    CU_ASSERT_EQUAL(c->fires[0].t_us, (10 * 3600 + 30 * 60) * S);
    cron_ctl_wall(c, c->fires[0].t_us, wall, sizeof wall);
    CU_ASSERT_STRING_EQUAL(wall, "2024-05-13T10:30:00+08:00");
    CU_ASSERT_STRING_EQUAL(c->jobs[c->fires[0].job].cfg->name, "scale-up");
    CU_ASSERT_EQUAL(c->fires[0].replicas_after, 2);
    CU_ASSERT_EQUAL(c->fires[1].t_us, 12 * 3600 * S);
    cron_ctl_wall(c, c->fires[1].t_us, wall, sizeof wall);
    CU_ASSERT_STRING_EQUAL(wall, "2024-05-13T12:00:00+08:00");
    CU_ASSERT_EQUAL(c->fires[1].replicas_after, 1);
    /* the Deployment follows: spec.replicas 1 until 10:30:00, 2 until 12:00:00, then 1 */
    CU_ASSERT_EQUAL(x->desired[37799], 1);
    CU_ASSERT_EQUAL(x->desired[37800], 2);
    CU_ASSERT_EQUAL(x->desired[43199], 2);
    CU_ASSERT_EQUAL(x->desired[43200], 1);
    CU_ASSERT_EQUAL(x->desired[86400], 1);
    CU_ASSERT_EQUAL(c->jobs[0].state, CRONHPA_SUCCEED);
    CU_ASSERT_STRING_EQUAL(c->jobs[0].message, "cron hpa job scale-up executed successfully. "
                                               "current replicas:1, desired replicas:2.");
    CU_ASSERT_EQUAL(c->n_events, 2);
    CU_ASSERT_EQUAL(c->n_warnings, 0);
    /* the second pod was really created and became ready inside the window */
    const sim_stats *st = sim_model_stats(m);
    CU_ASSERT_EQUAL(st->pods_total, 1);
    sim_model_free(m);
    scenario_cfg_free(&cfg);
    free(x);
}

static const char *base =
    "{\"seed\": 1, \"duration\": \"%s\", \"start\": \"%s\", %s"
    "\"service\": {\"name\": \"web\", \"replicas\": 1, \"pod\": {\"demand\": \"10ms\"}},"
    "\"load\": [{\"type\": \"poisson\", \"rate\": 0.2}], \"cronhpa\": %s}";

static char buf[8192];
static const char *scen(const char *dur, const char *start, const char *extra,
                        const char *cronhpa) {
    snprintf(buf, sizeof buf, base, dur, start, extra, cronhpa);
    return buf;
}

/* Same seed CronHPA, but the controller runs in UTC while the user thinks in Shanghai time:
 * the jobs fire at 18:30 and 20:00 Shanghai (the time zone pitfall, issues #30, #104). */
static void test_controller_zone(void) {
    const char *cron =
        "{\"spec\": {\"scaleTargetRef\": {\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", "
        "\"name\": \"web\"}, \"jobs\": [{\"name\": \"up\", \"schedule\": \"0 30 10 * * *\", "
        "\"targetSize\": 2}, {\"name\": \"down\", \"schedule\": \"0 0 12 * * *\", "
        "\"targetSize\": 1}]}}";
    scenario_cfg cfg;
    sim_error err;
    sim_model *m = run_text(scen("24h", "2024-05-13T00:00:00+08:00",
                                 "\"cronhpa_controller\": {\"TZ\": \"UTC\"},", cron),
                            &cfg, NULL, &err);
    if (m == NULL)
        fprintf(stderr, "%s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    const cron_ctl *c = sim_model_cron(m);
    CU_ASSERT_EQUAL_FATAL(c->n_fires, 2);
    CU_ASSERT_EQUAL(c->fires[0].t_us, (18 * 3600 + 30 * 60) * S);
    CU_ASSERT_EQUAL(c->fires[1].t_us, 20 * 3600 * S);
    sim_model_free(m);
    scenario_cfg_free(&cfg);
}

/* A runOnce job with a daily schedule fires on the first day only; a five-field schedule gets
 * the pitfall warning and fires every hour at second 30 of minute 10. */
static void test_run_once(void) {
    const char *cron =
        "{\"spec\": {\"scaleTargetRef\": {\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", "
        "\"name\": \"web\"}, \"jobs\": [{\"name\": \"once\", \"schedule\": \"0 0 9 * * *\", "
        "\"targetSize\": 3, \"runOnce\": true}, {\"name\": \"crontab\", \"schedule\": "
        "\"30 10 * * *\", \"targetSize\": 1}]}}";
    scenario_cfg cfg;
    sim_error err;
    rows *x = calloc(1, sizeof *x);
    sim_model *m = run_text(scen("72h", "2024-05-13T00:00:00+08:00", "", cron), &cfg, x, &err);
    if (m == NULL)
        fprintf(stderr, "%s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    const cron_ctl *c = sim_model_cron(m);
    CU_ASSERT_EQUAL(c->jobs[0].fires, 1);
    CU_ASSERT_EQUAL(c->jobs[0].state, CRONHPA_SUCCEED);
    CU_ASSERT_EQUAL(c->jobs[0].next_us, -1);
    CU_ASSERT_EQUAL(c->jobs[1].fires, 72);
    CU_ASSERT_EQUAL(x->desired[9 * 3600], 3);
    CU_ASSERT_EQUAL(x->desired[9 * 3600 + 10 * 60 + 30], 1);
    CU_ASSERT_EQUAL(x->desired[33 * 3600], 1); /* second day: no fire */
    CU_ASSERT_TRUE(has_warning(c, "five fields in cronhpa"));
    sim_model_free(m);
    scenario_cfg_free(&cfg);
    free(x);
}

/* excludeDates "* * * 15 11 *": a job at 00:30 on Nov 1 is skipped (false positive, warned),
 * the one on Nov 15 at 10:00 is skipped as intended (no quirk warning), a run-once job skipped
 * by it is used up (warned), an unparsable schedule makes its job Failed. */
static void test_exclude_quirk(void) {
    const char *cron =
        "{\"spec\": {\"scaleTargetRef\": {\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", "
        "\"name\": \"web\"}, \"excludeDates\": [\"* * * 15 11 *\"], \"jobs\": ["
        "{\"name\": \"night\", \"schedule\": \"0 30 0 1 11 *\", \"targetSize\": 2},"
        "{\"name\": \"nov15\", \"schedule\": \"0 0 10 15 11 *\", \"targetSize\": 3},"
        "{\"name\": \"once\", \"schedule\": \"@date 2024-11-02 00:10:00\", \"targetSize\": 4},"
        "{\"name\": \"bad\", \"schedule\": \"0 61 * * * *\", \"targetSize\": 5}]}}";
    scenario_cfg cfg;
    sim_error err;
    sim_model *m = run_text(scen("360h", "2024-11-01T00:00:00+08:00", "", cron), &cfg, NULL, &err);
    if (m == NULL)
        fprintf(stderr, "%s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    const cron_ctl *c = sim_model_cron(m);
    CU_ASSERT_EQUAL_FATAL(c->n_fires, 3);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(c->fires[i].replicas_after, 1); /* all three skipped */
    CU_ASSERT_STRING_EQUAL(c->jobs[0].message,
                           "cron hpa job night executed successfully. skip scaling "
                           "activity,because of excludeDate (* * * 15 11 *).");
    CU_ASSERT_TRUE(
        has_warning(c, "job night at 2024-11-01T00:30:00+08:00 skipped by excludeDates"));
    CU_ASSERT_FALSE(has_warning(c, "job nov15"));
    CU_ASSERT_TRUE(has_warning(c, "run-once job once at 2024-11-02T00:10:00+08:00 was skipped"));
    CU_ASSERT_EQUAL(c->jobs[2].fires, 1);
    CU_ASSERT_EQUAL(c->jobs[2].next_us, -1);
    CU_ASSERT_EQUAL(c->jobs[3].state, CRONHPA_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(c->jobs[3].message, "Failed to update cron hpa job bad,because "
                                                      "of Failed to add job to cronExecutor"));
    CU_ASSERT_TRUE(has_warning(c, "job bad never runs"));
    sim_model_free(m);
    scenario_cfg_free(&cfg);
}

/* scenarios/cronhpa-hpa.json: the HPA-target rules over three days. */
static void test_hpa_target(void) {
    scenario_cfg cfg;
    rows *x = calloc(1, sizeof *x);
    sim_model *m = run_file("scenarios/cronhpa-hpa.json", &cfg, x);
    const cron_ctl *c = sim_model_cron(m);
    const hpa_ctl *h = sim_model_hpa(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    int ups = 0, downs = 0;
    for (size_t i = 0; i < c->n_fires; i++) {
        const cron_ctl_fire *f = &c->fires[i];
        const char *name = c->jobs[f->job].cfg->name;
        int64_t tod = (f->t_us / S) % 86400, day = f->t_us / S / 86400;
        if (strcmp(name, "scale-up") == 0) {
            CU_ASSERT_EQUAL(tod, 10 * 3600 + 30 * 60);
            CU_ASSERT_EQUAL(f->max_after, 3); /* raised from 2 and never lowered */
            if (day < 2) {                    /* May 15 is excluded */
                CU_ASSERT_EQUAL(f->min_after, 3);
                CU_ASSERT_EQUAL(f->replicas_after, 3);
            }
            ups++;
        } else if (strcmp(name, "scale-down") == 0) {
            CU_ASSERT_EQUAL(tod, 12 * 3600);
            CU_ASSERT_EQUAL(f->max_after, 3);
            CU_ASSERT_EQUAL(f->min_after, 1);
            if (day < 2)
                CU_ASSERT_EQUAL(f->replicas_after, 3); /* only minReplicas is lowered */
            downs++;
        }
    }
    CU_ASSERT_EQUAL(ups, 3);
    CU_ASSERT_EQUAL(downs, 3);
    /* the fire left spec.replicas at 3 (asserted above); the HPA, syncing in the same second
     * (phase 0, period 15 s), shrinks by its metric under its own rules: 3 -> 2, not to 1 */
    CU_ASSERT_EQUAL(x->desired[12 * 3600 - 1], 3);
    CU_ASSERT_EQUAL(x->desired[12 * 3600], 2);
    CU_ASSERT_TRUE(x->desired[18 * 3600] < 3);
    CU_ASSERT_EQUAL(h->max_replicas, 3);
    CU_ASSERT_EQUAL(h->min_replicas, 1);
    /* the run-once jobs fired once each */
    CU_ASSERT_EQUAL(c->jobs[0].fires, 1);
    CU_ASSERT_EQUAL(c->jobs[3].fires, 1);
    CU_ASSERT_TRUE(has_warning(c, "raised HPA qwen-hpa maxReplicas from 2 to 3"));
    CU_ASSERT_TRUE(has_warning(c, "job night-once at 2024-05-14T00:30:00+08:00 skipped"));
    CU_ASSERT_TRUE(has_warning(c, "run-once job night-once"));
    sim_model_free(m);
    scenario_cfg_free(&cfg);
    free(x);
}

/* With the HPA's minReplicas >= 1 (no HPAScaleToZero), targetSize 0 is rejected by the API
 * server: retried for 10 s, then Failed with upstream's text, a Warning event. */
static void test_hpa_zero_fails(void) {
    const char *text =
        "{\"seed\": 1, \"duration\": \"2h\", \"start\": \"2024-05-13T00:00:00+08:00\","
        "\"service\": {\"name\": \"web\", \"replicas\": 1, \"pod\": {\"demand\": \"10ms\"}},"
        "\"load\": [{\"type\": \"poisson\", \"rate\": 0.2}],"
        "\"hpa\": {\"apiVersion\": \"autoscaling/v2\", \"kind\": \"HorizontalPodAutoscaler\", "
        "\"metadata\": {\"name\": \"web\"}, \"spec\": {\"scaleTargetRef\": {\"apiVersion\": "
        "\"apps/v1\", \"kind\": \"Deployment\", \"name\": \"web\"}, \"minReplicas\": 1, "
        "\"maxReplicas\": 4}},"
        "\"cronhpa\": {\"spec\": {\"scaleTargetRef\": {\"apiVersion\": \"autoscaling/v2\", "
        "\"kind\": \"HorizontalPodAutoscaler\", \"name\": \"web\"}, \"jobs\": [{\"name\": "
        "\"zero\", \"schedule\": \"0 0 1 * * *\", \"targetSize\": 0}]}}}";
    scenario_cfg cfg;
    sim_error err;
    sim_model *m = run_text(text, &cfg, NULL, &err);
    if (m == NULL)
        fprintf(stderr, "%s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    const cron_ctl *c = sim_model_cron(m);
    CU_ASSERT_EQUAL(c->jobs[0].state, CRONHPA_FAILED);
    CU_ASSERT_EQUAL(c->jobs[0].last_probe_us, 3600 * S + 12 * S);
    CU_ASSERT_PTR_NOT_NULL(strstr(c->jobs[0].message,
                                  "failed to scale HorizontalPodAutoscaler web in default "
                                  "namespace to 0 after retrying 4 times"));
    CU_ASSERT_EQUAL_FATAL(c->n_events, 1);
    CU_ASSERT_TRUE(c->events[0].warning);
    CU_ASSERT_EQUAL(sim_model_hpa(m)->min_replicas, 1);
    sim_model_free(m);
    scenario_cfg_free(&cfg);
}

/* KEDA: a cron trigger (10:00-11:00 Asia/Kolkata, desiredReplicas 3) next to a cpu metric on
 * KEDA's HPA: a floor of 3 in the window, the cpu metric above it during a load spike (max),
 * back to 1 after the window once the HPA's 5-minute scale-down stabilisation has passed. */
static void test_keda_cron(void) {
    const char *text =
        "{\"seed\": 1, \"duration\": \"3h\", \"start\": \"2024-01-01T09:00:00+05:30\","
        "\"service\": {\"name\": \"web\", \"replicas\": 1, \"pod\": {\"cpu_request\": \"1\", "
        "\"demand\": \"100ms\"}},"
        "\"load\": [{\"name\": \"base\", \"type\": \"poisson\", \"rate\": 2},"
        "{\"name\": \"spike\", \"type\": \"poisson\", \"rate\": 40, \"start\": \"80m\", "
        "\"end\": \"100m\"}],"
        "\"hpa\": {\"apiVersion\": \"autoscaling/v2\", \"kind\": \"HorizontalPodAutoscaler\", "
        "\"metadata\": {\"name\": \"keda-hpa-web\"}, \"spec\": {\"scaleTargetRef\": "
        "{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"name\": \"web\"}, "
        "\"minReplicas\": 1, \"maxReplicas\": 10, \"metrics\": [{\"type\": \"Resource\", "
        "\"resource\": {\"name\": \"cpu\", \"target\": {\"type\": \"Utilization\", "
        "\"averageUtilization\": 80}}}]}},"
        "\"keda\": {\"apiVersion\": \"keda.sh/v1alpha1\", \"kind\": \"ScaledObject\", "
        "\"metadata\": {\"name\": \"web\"}, \"spec\": {\"scaleTargetRef\": {\"name\": "
        "\"web\"}, \"minReplicaCount\": 1, \"maxReplicaCount\": 10, \"triggers\": "
        "[{\"type\": \"cron\", \"metadata\": {\"timezone\": \"Asia/Kolkata\", \"start\": "
        "\"0 10 * * *\", \"end\": \"0 11 * * *\", \"desiredReplicas\": \"3\"}}]}}}";
    scenario_cfg cfg;
    sim_error err;
    rows *x = calloc(1, sizeof *x);
    sim_model *m = run_text(text, &cfg, x, &err);
    if (m == NULL)
        fprintf(stderr, "%s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    const hpa_ctl *h = sim_model_hpa(m);
    CU_ASSERT_EQUAL(hpa_ctl_nmetrics(h), 2);
    CU_ASSERT_STRING_EQUAL(hpa_ctl_metric(h, 1)->name, "s0-cron-Asia-Kolkata-010xxx-011xxx");
    CU_ASSERT_EQUAL(x->desired[3599], 1); /* 09:59:59 */
    CU_ASSERT_EQUAL(x->desired[3600], 3); /* the sync at 10:00:00 sees the window */
    CU_ASSERT_EQUAL(x->desired[4700], 3); /* floor, cpu alone would say 1 */
    CU_ASSERT_TRUE(x->desired[5400] > 3); /* spike: the cpu metric wins (max) */
    CU_ASSERT_EQUAL(x->desired[7200], 3); /* 11:00: stabilisation holds the recent 3 */
    CU_ASSERT_EQUAL(x->desired[7600], 1); /* then the cpu metric alone */
    const keda_ctl *k = sim_model_keda(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    CU_ASSERT_EQUAL(k->queries, h->syncs);
    CU_ASSERT_EQUAL(k->active, 240); /* 10:00:00 to 10:59:45, every 15 s */
    sim_model_free(m);
    scenario_cfg_free(&cfg);
    free(x);
}

static void expect_error(const char *text, const char *needle) {
    scenario_cfg cfg;
    sim_error err;
    int rc = scenario_load_text(text, strlen(text), "t.json", "", &cfg, &err);
    CU_ASSERT_EQUAL(rc, -1);
    if (rc == 0) {
        scenario_cfg_free(&cfg);
        return;
    }
    if (strstr(err.msg, needle) == NULL)
        fprintf(stderr, "got: %s\nwant: %s\n", err.msg, needle);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
}

static void test_errors(void) {
    const char *ok_jobs = "\"jobs\": [{\"name\": \"a\", \"schedule\": \"@hourly\", "
                          "\"targetSize\": 1}]";
    char cron[1024];
    snprintf(cron, sizeof cron,
             "{\"spec\": {\"scaleTargetRef\": {\"apiVersion\": \"apps/v1\", \"kind\": "
             "\"Deployment\", \"name\": \"other\"}, %s}}",
             ok_jobs);
    expect_error(scen("1h", "2024-05-13T00:00:00+08:00", "", cron),
                 "t.json:1:277: cronhpa.spec.scaleTargetRef.name: \"other\" is not the "
                 "scenario's workload (service.name \"web\")");
    snprintf(cron, sizeof cron,
             "{\"spec\": {\"scaleTargetRef\": {\"apiVersion\": \"v1\", \"kind\": "
             "\"Deployment\", \"name\": \"web\"}, %s}}",
             ok_jobs);
    expect_error(scen("1h", "2024-05-13T00:00:00+08:00", "", cron),
                 "cronhpa.spec.scaleTargetRef.apiVersion: \"v1\" has no group");
    snprintf(cron, sizeof cron,
             "{\"spec\": {\"scaleTargetRef\": {\"apiVersion\": \"apps/v1\", \"kind\": "
             "\"HorizontalPodAutoscaler\", \"name\": \"web\"}, %s}}",
             ok_jobs);
    expect_error(scen("1h", "2024-05-13T00:00:00+08:00", "", cron),
                 "the target is an HPA but the scenario has none");
    snprintf(cron, sizeof cron,
             "{\"spec\": {\"scaleTargetRef\": {\"apiVersion\": \"apps/v1\", \"kind\": "
             "\"Deployment\", \"name\": \"web\"}, %s}}",
             ok_jobs);
    expect_error(scen("1h", "2024-05-13 00:00", "", cron), "start: ");
    expect_error(scen("1h", "2024-05-13T00:00:00Z",
                      "\"cronhpa_controller\": {\"TZ\": "
                      "\"Mars/Olympus\"},",
                      cron),
                 "cronhpa_controller.TZ: time zone \"Mars/Olympus\"");
    expect_error(scen("1h", "2024-05-13T00:00:00Z", "",
                      "{\"apiVersion\": \"autoscaling.alibabacloud.com/v1\", \"spec\": {}}"),
                 "cronhpa.apiVersion: expected \"autoscaling.alibabacloud.com/v1beta1\"");
    expect_error(scen("1h", "2024-05-13T00:00:00Z", "",
                      "{\"spec\": {\"scaleTargetRef\": {\"apiVersion\": \"apps/v1\", \"kind\": "
                      "\"Deployment\", \"name\": \"web\"}, \"jobs\": [{\"name\": \"a\", "
                      "\"schedule\": \"@hourly\", \"targetSize\": 1}, {\"name\": \"a\", "
                      "\"schedule\": \"@daily\", \"targetSize\": 2}]}}"),
                 "cronhpa.spec.jobs[1].name: \"a\" is also the name of jobs[0]");
    expect_error(scen("1h", "2024-05-13T00:00:00Z", "",
                      "{\"spec\": {\"scaleTargetRef\": {\"apiVersion\": \"apps/v1\", \"kind\": "
                      "\"Deployment\", \"name\": \"web\"}, \"jobs\": [{\"name\": \"a\", "
                      "\"schedule\": \"@hourly\"}]}}"),
                 "cronhpa.spec.jobs[0].targetSize: missing");
    expect_error("{\"service\": {\"name\": \"web\"}, \"load\": [{\"type\": \"poisson\", "
                 "\"rate\": 1}], \"duration\": \"1h\", \"keda\": {\"spec\": {}}}",
                 "keda: needs the \"hpa\" section");
    static const char *const keda_cases[][2] = {
        {"{\"type\": \"cron\", \"metadata\": {\"timezone\": \"UTC\", \"start\": \"@daily\", "
         "\"end\": \"0 11 * * *\", \"desiredReplicas\": \"3\"}}",
         "keda.spec.triggers[0].metadata.start: KEDA's cron parser has no descriptors"},
        {"{\"type\": \"cron\", \"metadata\": {\"timezone\": \"UTC\", \"start\": \"0 10 * * *\", "
         "\"end\": \"0 11 * * *\", \"desiredReplicas\": \"0\"}}",
         "keda.spec.triggers[0].metadata.desiredReplicas: expected a positive integer"},
        {"{\"type\": \"cron\", \"metadata\": {\"timezone\": \"UTC\", \"start\": \"0 10 * * *\", "
         "\"end\": \"0 10 * * *\", \"desiredReplicas\": \"2\"}}",
         "keda.spec.triggers[0].metadata.end: start and end must not be the same"},
        {"{\"type\": \"cron\", \"metadata\": {\"timezone\": \"Mars/Base\", \"start\": "
         "\"0 10 * * *\", \"end\": \"0 11 * * *\", \"desiredReplicas\": \"2\"}}",
         "keda.spec.triggers[0].metadata.timezone: time zone \"Mars/Base\""},
        {"{\"type\": \"prometheus\", \"metadata\": {}}",
         "keda.spec.triggers[0].type: only cron triggers are simulated"},
    };
    for (size_t i = 0; i < sizeof keda_cases / sizeof keda_cases[0]; i++) {
        char t[2048];
        snprintf(t, sizeof t,
                 "{\"service\": {\"name\": \"web\"}, \"load\": [{\"type\": \"poisson\", "
                 "\"rate\": 1}], \"duration\": \"1h\", \"hpa\": {\"spec\": {\"scaleTargetRef\": "
                 "{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"name\": \"web\"}, "
                 "\"maxReplicas\": 4}}, \"keda\": {\"spec\": {\"triggers\": [%s]}}}",
                 keda_cases[i][0]);
        expect_error(t, keda_cases[i][1]);
    }
}

int main(void) {
    static const cu_test tests[] = {{"seed_schedule", test_seed_schedule},
                                    {"controller_zone", test_controller_zone},
                                    {"run_once", test_run_once},
                                    {"exclude_quirk", test_exclude_quirk},
                                    {"hpa_target", test_hpa_target},
                                    {"hpa_zero_fails", test_hpa_zero_fails},
                                    {"keda_cron", test_keda_cron},
                                    {"errors", test_errors},
                                    {NULL, NULL}};
    cu_add_suite("cronhpa_model", tests);
    return cu_run_all();
}
