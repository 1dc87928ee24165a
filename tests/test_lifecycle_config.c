/* test_lifecycle_config.c: the scenario's "service.pod.lifecycle" and "metrics" sections: values,
 * defaults, and file:line:col errors for bad input. */
#include "cu.h"

#include <string.h>

#include "sim/scenario/scenario.h"

#define SEC INT64_C(1000000)

static int load(const char *text, scenario_cfg *c, sim_error *err) {
    return scenario_load_text(text, strlen(text), "t.json", "", c, err);
}

static void test_values(void) {
    const char *text =
        "{\"duration\": \"1m\", \"load\": [{\"hey\": \"hey -z 10s -c 1 http://x/\"}],\n"
        " \"service\": {\"pod\": {\"lifecycle\": {\"schedule\": \"2s\",\n"
        "   \"image_pull\": {\"cold\": \"100s\", \"cached\": \"1s\"}, \"container_start\": "
        "\"3s\",\n"
        "   \"model_load\": {\"dist\": \"uniform\", \"min\": \"50s\", \"max\": \"70s\"},\n"
        "   \"readiness_probe\": {\"initialDelaySeconds\": 5, \"periodSeconds\": 2,\n"
        "                         \"successThreshold\": 3},\n"
        "   \"terminationGracePeriodSeconds\": 60, \"nodes\": 2, \"pods_per_node\": 4}}},\n"
        " \"metrics\": {\"resolution\": \"30s\", \"prometheus\": [{\"name\": \"sm\", \"source\": "
        "\"busy_pct\", \"exporter_interval\": \"5s\", \"query_window\": \"1m\"}]}}\n";
    scenario_cfg c;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(load(text, &c, &err), 0);
    const lifecycle_cfg *lc = c.service.pod.lifecycle;
    CU_ASSERT_PTR_NOT_NULL_FATAL(lc);
    CU_ASSERT_EQUAL(lc->schedule_us.mean, 2e6);
    CU_ASSERT_EQUAL(lc->pull_cold_us.mean, 100e6);
    CU_ASSERT_EQUAL(lc->pull_cached_us.mean, 1e6);
    CU_ASSERT_EQUAL(lc->start_us.mean, 3e6);
    CU_ASSERT_EQUAL(lc->model_load_us.kind, DIST_UNIFORM);
    CU_ASSERT_EQUAL(lc->probe_initial_delay_us, 5 * SEC);
    CU_ASSERT_EQUAL(lc->probe_period_us, 2 * SEC);
    CU_ASSERT_EQUAL(lc->probe_success_threshold, 3);
    CU_ASSERT_EQUAL(lc->termination_grace_us, 60 * SEC);
    CU_ASSERT_EQUAL(lc->nodes, 2);
    CU_ASSERT_EQUAL(lc->pods_per_node, 4);
    CU_ASSERT_EQUAL(c.metrics.resolution_us, 30 * SEC);
    CU_ASSERT_EQUAL(c.metrics.housekeeping_us, 0); /* default applied by the pipeline */
    CU_ASSERT_EQUAL_FATAL(c.metrics.n_prom, 1);
    CU_ASSERT_STRING_EQUAL(c.metrics.prom[0].name, "sm");
    CU_ASSERT_EQUAL(c.metrics.prom[0].source, SERIES_BUSY_PCT);
    CU_ASSERT_EQUAL(c.metrics.prom[0].exporter_interval_us, 5 * SEC);
    CU_ASSERT_EQUAL(c.metrics.prom[0].scrape_interval_us, 0);
    CU_ASSERT_EQUAL(c.metrics.prom[0].query_window_us, 60 * SEC);
    CU_ASSERT_EQUAL(c.metrics.prom[0].relist_us, 60 * SEC);
    scenario_cfg_free(&c);
}

static void test_defaults(void) {
    const char *text =
        "{\"duration\": \"1m\", \"load\": [{\"hey\": \"hey -z 10s -c 1 http://x/\"}],"
        " \"service\": {\"pod\": {\"lifecycle\": {}}}}";
    scenario_cfg c;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(load(text, &c, &err), 0);
    const lifecycle_cfg *lc = c.service.pod.lifecycle;
    CU_ASSERT_PTR_NOT_NULL_FATAL(lc);
    CU_ASSERT_EQUAL(lc->probe_period_us, 10 * SEC);
    CU_ASSERT_EQUAL(lc->probe_success_threshold, 1);
    CU_ASSERT_EQUAL(lc->probe_initial_delay_us, 0);
    CU_ASSERT_EQUAL(lc->termination_grace_us, 30 * SEC);
    CU_ASSERT_EQUAL(lc->nodes, 0);
    CU_ASSERT_EQUAL(c.metrics.n_prom, 0);
    scenario_cfg_free(&c);
}

static void expect_error(const char *section, const char *want) {
    char text[1024];
    snprintf(text, sizeof text,
             "{\"duration\": \"1m\", \"load\": [{\"hey\": \"hey -z 10s -c 1 http://x/\"}],\n%s}",
             section);
    scenario_cfg c;
    sim_error err;
    CU_ASSERT_EQUAL(load(text, &c, &err), -1);
    if (strstr(err.msg, want) == NULL)
        printf("\n  got: %s\n  want: %s\n", err.msg, want);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
}

static void test_errors(void) {
    expect_error("\"service\": {\"pod\": {\"lifecycle\": {\"nodes\": 2}}}",
                 "t.json:2:44: service.pod.lifecycle.nodes: needs pods_per_node");
    expect_error(
        "\"service\": {\"pod\": {\"lifecycle\": {\"readiness_probe\": "
        "{\"periodSeconds\": 0}}}}",
        "t.json:2:72: service.pod.lifecycle.readiness_probe.periodSeconds: must be at least 1");
    expect_error("\"service\": {\"pod\": {\"lifecycle\": {\"model_lod\": \"1s\"}}}",
                 "service.pod.lifecycle");
    expect_error("\"metrics\": {\"resolution\": \"5s\"}", "t.json:2:27: metrics.resolution");
    expect_error("\"metrics\": {\"prometheus\": [{\"name\": \"x\", \"source\": \"gpu\"}]}",
                 "metrics.prometheus[0].source");
    expect_error("\"metrics\": {\"prometheus\": [{\"source\": \"queue\"}]}",
                 "metrics.prometheus[0].name: missing");
    expect_error("\"metrics\": {\"prometheus\": [{\"name\": \"x\", \"source\": \"queue\"}, "
                 "{\"name\": \"x\", \"source\": \"queue\"}]}",
                 "is also the name of metrics.prometheus[0]");
}

static const cu_test tests[] = {
    {"values", test_values},
    {"defaults", test_defaults},
    {"errors", test_errors},
    {NULL, NULL},
};

int main(void) {
    cu_add_suite("lifecycle_config", tests);
    return cu_run_all();
}
