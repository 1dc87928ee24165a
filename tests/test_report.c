/* test_report.c: report_gather on hand-made run folders: figures straight from summary.json,
 * rescale events from events.log (or the replica column), SLO attainment and verdicts from the
 * scenario's expect block, and each warning (pods not Ready, maxReplicas with the SLO missed,
 * flapping, saturation, failures) raised exactly when its condition holds. */
#include "cu.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/output/report.h"

static char dir[256];

static void put(const char *name, const char *text) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

/* 120 s: desired flaps 2,5,2,5 ... at max 5 while p99 is 900 ms; one pod waits 70 s unready;
 * CPU at 100% of the request for the first 65 s. */
static void make_dir(int with_events) {
    snprintf(dir, sizeof dir, "/tmp/scalesim-test-report-XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    size_t cap = 1 << 16, n = 0;
    char *csv = malloc(cap);
    n += (size_t)snprintf(csv + n, cap - n,
                          "time_s,offered,completed,failed,latency_p99_ms,pods_ready,pods_total,"
                          "desired_replicas,cpu_util_pct,pod_seconds\n");
    for (int t = 0; t < 120; t++) {
        int desired = (t / 20) % 2 ? 5 : 2;
        n += (size_t)snprintf(csv + n, cap - n, "%d,10,10,0,%d,%d,%d,%d,%d,%d\n", t,
                              desired == 5 ? 900 : 100, t < 70 ? 1 : 2, 2, desired,
                              t < 65 ? 100 : 50, 2);
    }
    put("timeline.csv", csv);
    free(csv);
    put("summary.json", "{\"scenario\": \"flappy\", \"seed\": 9, \"duration_s\": 120, "
                        "\"requests\": {\"offered\": 1200, \"completed\": 1190, \"failed\": 10}, "
                        "\"throughput_rps\": 9.91667, \"latency_ms\": {\"p50\": 12.5, \"p90\": 80, "
                        "\"p95\": 300, \"p99\": 900.125, \"p999\": 950, \"mean\": 40, \"max\": "
                        "990}, \"pods\": {\"pod_hours\": 0.0666667, \"cpu_util_pct\": 50, "
                        "\"mem_util_pct\": 10}}");
    if (with_events)
        put("events.log", "  Normal  SuccessfulRescale  20s  100s  horizontal-pod-autoscaler  "
                          "New size: 5; reason: cpu above target\n"
                          "  Normal  SuccessfulRescale  40s  80s  horizontal-pod-autoscaler  "
                          "New size: 2; reason: All metrics below target\n");
    put("scenario.json",
        "{\"name\": \"flappy\", \"duration\": \"2m\", \"hpa\": {\"maxReplicas\": 5},\n"
        " \"load\": [{\"type\": \"poisson\", \"rate\": 10}],\n \"expect\": ["
        "{\"slo_attainment_at_least\": 90, \"latency\": \"500ms\"}, {\"rescales_at_most\": 1}]}");
}

static void clean(void) {
    static const char *const files[] = {"timeline.csv", "summary.json", "events.log",
                                        "scenario.json"};
    char p[512];
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

static const report_options OPT = {0.5, NAN, "$", 1};

static int has_warning(const report_run *r, const char *text) {
    for (size_t i = 0; i < r->n_warnings; i++)
        if (strstr(r->warnings[i], text))
            return 1;
    return 0;
}

static void test_gather(void) {
    make_dir(1);
    report_run r;
    sim_error err;
    int rc = report_gather(dir, 0, &OPT, &r, &err);
    if (rc != 0)
        printf("\n%s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_STRING_EQUAL(r.name, "flappy");
    CU_ASSERT_EQUAL(r.seed, 9);
    CU_ASSERT_DOUBLE_EQUAL(r.p99, 900.125, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.pod_hours, 0.0666667, 0);
    CU_ASSERT_DOUBLE_EQUAL(report_cost(&r, &OPT), 0.0666667 * 0.5, 1e-12);
    CU_ASSERT(isnan(r.gpu_hours));
    CU_ASSERT_DOUBLE_EQUAL(r.peak_replicas, 5, 0);
    /* events.log wins over the replica column (which changes 5 times). */
    CU_ASSERT_EQUAL(r.rescales, 2);
    CU_ASSERT_TRUE(r.events_from_log);
    CU_ASSERT_EQUAL_FATAL(r.n_events, 2);
    CU_ASSERT_EQUAL(r.events[1].t_us, 40000000);
    CU_ASSERT_EQUAL(r.events[1].new_size, 2);
    /* SLO: p99 <= 500 ms in the 60 seconds at 2 replicas of 120: 50%. */
    CU_ASSERT_EQUAL_FATAL(r.n_slo, 1);
    CU_ASSERT_STRING_EQUAL(r.slo[0].value, "50.00%");
    /* The scenario has an "hpa" section, so whether its expect block can be evaluated here
     * depends on the loader; the SLO above comes from the raw block either way. */
    /* Warnings: 70 s unready, at max 5 with 900 ms p99 for 60 s (first at 20s), 5 reversals
     * of the replica count, 10 failures, 65 s saturated. */
    CU_ASSERT_TRUE(has_warning(&r, "Pods were not Ready for 1m10s in a row from 0s"));
    CU_ASSERT_TRUE(has_warning(&r, "At maxReplicas (5) while p99 latency missed the 500ms SLO for "
                                   "60 seconds, first at 20s"));
    CU_ASSERT_TRUE(has_warning(&r, "changed direction 4 times (2 rescales)"));
    CU_ASSERT_TRUE(has_warning(&r, "10 requests failed (0.833% of those answered)"));
    CU_ASSERT_TRUE(has_warning(&r, "Saturated: CPU at 95% of the request or more for 1m5s in a "
                                   "row from 0s"));
    CU_ASSERT_EQUAL(r.n_settings, 5); /* name, duration, hpa.maxReplicas, load[0].type, .rate */
    report_run_free(&r);
    clean();
}

static void test_verdicts(void) {
    make_dir(1);
    put("scenario.json", "{\"name\": \"flappy\", \"duration\": \"2m\",\n"
                         " \"load\": [{\"type\": \"poisson\", \"rate\": 10}],\n \"expect\": ["
                         "{\"slo_attainment_at_least\": 40, \"latency\": \"500ms\"}, "
                         "{\"rescales_at_most\": 1}, {\"gpu_hours_at_most\": 1}]}");
    report_run r;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(report_gather(dir, 0, &OPT, &r, &err), 0);
    CU_ASSERT_EQUAL_FATAL(r.n_verdicts, 3);
    CU_ASSERT_EQUAL(r.verdicts[0].status, 0);
    if (r.verdicts[1].status != 1)
        printf("\n%d %s\n", r.verdicts[1].status, r.verdicts[1].message);
    CU_ASSERT_EQUAL(r.verdicts[1].status, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.verdicts[1].message, "2 rescale events"));
    CU_ASSERT_EQUAL(r.verdicts[2].status, 2);
    CU_ASSERT_EQUAL_FATAL(r.n_slo, 1);
    CU_ASSERT_STRING_EQUAL(r.slo[0].value, "50.00%");
    /* Without the HPA's maxReplicas there is no maxReplicas warning. */
    CU_ASSERT_FALSE(has_warning(&r, "At maxReplicas"));
    report_run_free(&r);
    clean();
}

static void test_without_events(void) {
    make_dir(0);
    report_run r;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(report_gather(dir, 0, &OPT, &r, &err), 0);
    CU_ASSERT_FALSE(r.events_from_log);
    CU_ASSERT_EQUAL(r.rescales, 5);
    CU_ASSERT_EQUAL_FATAL(r.n_events, 5);
    CU_ASSERT_EQUAL(r.events[0].t_us, 21000000); /* seen in the row of 20s: by 21s */
    CU_ASSERT_EQUAL(r.events[0].new_size, 5);
    report_run_free(&r);
    clean();
}

/* Text from the scenario is escaped in the HTML page: no markup gets through. */
static void test_html_escapes(void) {
    make_dir(1);
    put("scenario.json", "{\"name\": \"x\", \"comment\": \"<script>alert(1)</script> & "
                         "<b>\", \"load\": [{\"type\": \"poisson\", \"rate\": 1, \"name\": "
                         "\"<img src=x>\"}]}");
    report_run r;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(report_gather(dir, 0, &OPT, &r, &err), 0);
    char *html = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&html, &len);
    CU_ASSERT_EQUAL(report_write_html(f, &r, 1, &OPT), 0);
    fclose(f);
    CU_ASSERT_PTR_NULL(strstr(html, "<script"));
    CU_ASSERT_PTR_NULL(strstr(html, "<img"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "&lt;img src=x&gt;"));
    free(html);
    report_run_free(&r);
    clean();
}

static void test_not_a_run_dir(void) {
    report_run r;
    sim_error err;
    CU_ASSERT_EQUAL(report_gather("/nonexistent-scalesim", 0, &OPT, &r, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg,
                           "/nonexistent-scalesim/timeline.csv: cannot open: No such file or "
                           "directory");
}

static void test_num(void) {
    char b[32];
    CU_ASSERT_STRING_EQUAL(report_num(89.855, b, sizeof b), "89.855");
    CU_ASSERT_STRING_EQUAL(report_num(23912, b, sizeof b), "23912");
    CU_ASSERT_STRING_EQUAL(report_num(NAN, b, sizeof b), "–");
}

static const cu_test tests[] = {
    {"gather", test_gather},
    {"verdicts", test_verdicts},
    {"without_events", test_without_events},
    {"html_escapes", test_html_escapes},
    {"not_a_run_dir", test_not_a_run_dir},
    {"num", test_num},
    {NULL, NULL},
};

int main(void) {
    cu_add_suite("report", tests);
    return cu_run_all();
}
