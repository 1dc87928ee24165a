/* test_check_expect.c: the scenario's "expect" section (sim/scenario/expect.c): every kind
 * read with its defaults, and bad blocks refused as file:line:col errors. */
#include "cu.h"

#include <stdio.h>
#include <string.h>

#include "sim/scenario/scenario.h"

static scenario_cfg cfg;

static int load(const char *expect, sim_error *err) {
    char text[4096];
    snprintf(text, sizeof text,
             "{\"name\": \"x\", \"duration\": \"5m\", \"service\": {\"replicas\": 2},\n"
             " \"load\": [{\"type\": \"poisson\", \"rate\": 5, \"start\": \"30s\", \"end\": "
             "\"2m\"}],\n \"expect\": %s}",
             expect);
    scenario_cfg_free(&cfg);
    return scenario_load_text(text, strlen(text), "e.json", "/data", &cfg, err);
}

static void fails_with(const char *expect, const char *want) {
    sim_error err;
    CU_ASSERT_EQUAL(load(expect, &err), -1);
    if (strcmp(err.msg, want) != 0)
        printf("\n  got:  %s\n  want: %s\n", err.msg, want);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
}

static void test_every_kind(void) {
    sim_error err;
    int rc = load("[{\"replicas_at\": 3, \"at\": \"90s\"}, {\"replicas_at_most\": 10, \"from\": "
                  "\"1m\", \"to\": \"2m\"}, {\"replicas_at_least\": 1}, {\"scale_up_within\": "
                  "\"45s\"}, {\"back_to_min_within\": [\"5m\", \"6m\"]}, {\"rescales_at_most\": "
                  "4}, {\"latency_at_most\": \"250ms\"}, {\"latency_at_most\": \"1s\", "
                  "\"percentile\": 95, \"window\": \"30s\"}, {\"slo_attainment_at_least\": 99.5, "
                  "\"latency\": \"500ms\", \"percentile\": 90}, {\"error_rate_at_most\": 1}, "
                  "{\"pod_hours_at_most\": 2.5, \"name\": \"cost\"}, {\"gpu_hours_at_most\": 1}, "
                  "{\"golden\": \"g/x.csv\", \"tolerance\": {\"a\": 1, \"*\": \"2%\"}}]",
                  &err);
    if (rc != 0)
        printf("\n%s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_EQUAL_FATAL(cfg.expect.n, 13);
    const expect_assert *a = cfg.expect.asserts;
    CU_ASSERT_EQUAL(a[0].kind, EXPECT_REPLICAS_AT);
    CU_ASSERT_EQUAL(a[0].at_us, 90000000);
    CU_ASSERT_DOUBLE_EQUAL(a[0].value, 3, 0);
    CU_ASSERT_EQUAL(a[0].line, 3);
    CU_ASSERT_STRING_EQUAL(a[0].name, "replicas_at 3");
    CU_ASSERT_EQUAL(a[1].from_us, 60000000);
    CU_ASSERT_EQUAL(a[1].to_us, 120000000);
    CU_ASSERT_EQUAL(a[2].to_us, INT64_MAX);
    /* The load step defaults to the load's start, the end to the load's end, the minimum to
     * the fixed replica count (no HPA). */
    CU_ASSERT_EQUAL(a[3].at_us, 30000000);
    CU_ASSERT_EQUAL(a[3].hi_us, 45000000);
    CU_ASSERT_EQUAL(a[4].at_us, 120000000);
    CU_ASSERT_EQUAL(a[4].lo_us, 300000000);
    CU_ASSERT_EQUAL(a[4].hi_us, 360000000);
    CU_ASSERT_DOUBLE_EQUAL(a[4].value, 2, 0);
    CU_ASSERT_DOUBLE_EQUAL(a[6].value, 250, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(a[6].percentile, 99, 0);
    CU_ASSERT_EQUAL(a[6].window_us, 0);
    CU_ASSERT_EQUAL(a[7].window_us, 30000000);
    CU_ASSERT_DOUBLE_EQUAL(a[8].slo_ms, 500, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(a[8].percentile, 90, 0);
    CU_ASSERT_STRING_EQUAL(a[10].name, "cost");
    CU_ASSERT_STRING_EQUAL(a[12].golden_path, "/data/g/x.csv");
    CU_ASSERT_EQUAL_FATAL(a[12].n_tolerances, 2);
    CU_ASSERT_DOUBLE_EQUAL(a[12].tolerances[0].abs, 1, 0);
    CU_ASSERT(a[12].tolerances[0].rel_pct < 0);
    CU_ASSERT_DOUBLE_EQUAL(a[12].tolerances[1].rel_pct, 2, 0);
}

static void test_errors(void) {
    fails_with("[{\"replicas_at_mots\": 3}]",
               "e.json:3:14: expect[0].replicas_at_mots: unknown assertion (did you mean "
               "\"replicas_at_most\"?)");
    fails_with("[{\"replicas_at\": 3}]",
               "e.json:3:13: expect[0].at: missing; replicas_at needs the time, e.g. \"at\": "
               "\"90s\"");
    fails_with("[{\"replicas_at\": 3, \"at\": \"1m\", \"rescales_at_most\": 2}]",
               "e.json:3:44: expect[0].rescales_at_most: one assertion per item: this item "
               "already has \"replicas_at\"");
    fails_with("{}", "e.json:3:12: expect: expected an array of assertions, e.g. "
                     "[{\"replicas_at_most\": 10}], got an object");
    fails_with("[{\"latency_at_most\": \"1s\", \"percentile\": 98}]",
               "e.json:3:53: expect[0].percentile: expected one of 50, 90, 95, 99, 99.9 (the "
               "percentiles the run outputs keep), got 98");
    fails_with("[{\"back_to_min_within\": [\"6m\", \"5m\"]}]",
               "e.json:3:36: expect[0].back_to_min_within: latest is before earliest");
    fails_with("[{\"replicas_at_most\": 3, \"window\": \"1s\"}]",
               "e.json:3:37: expect[0].window: unknown key (expected one of: replicas_at_most, "
               "name, from, to)");
    fails_with("[{\"replicas_at_most\": 3, \"from\": \"2m\", \"to\": \"1m\"}]",
               "e.json:3:57: expect[0].to: must be after \"from\"");
    fails_with("[{\"error_rate_at_most\": 101}]",
               "e.json:3:36: expect[0].error_rate_at_most: must be at most 100, got 101");
}

static const cu_test tests[] = {
    {"every_kind", test_every_kind},
    {"errors", test_errors},
    {NULL, NULL},
};

int main(void) {
    cu_add_suite("check_expect", tests);
    int rc = cu_run_all();
    scenario_cfg_free(&cfg);
    return rc;
}
