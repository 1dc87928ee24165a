/* test_scenario.c: the scenario loader (sim/scenario/scenario.h): valid files load into the
 * expected scenario_cfg, with the documented defaults.
 *
 * Every documented validation error has its own test, with the exact message, in
 * test_scenario_errors.c; test_scenario_fuzz.c feeds damaged files. */
#include "cu.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/scenario/scenario.h"

static int load(const char *json, scenario_cfg *cfg) {
    sim_error err;
    int rc = scenario_load_text(json, strlen(json), "s.json", NULL, cfg, &err);
    if (rc != 0)
        printf("\n  unexpected error: %s\n", err.msg);
    return rc;
}

static void test_seed_scenario(void) {
    scenario_cfg c;
    sim_error err;
    int rc = scenario_load(cu_src_path("scenarios/sklearn-iris.json"), &c, &err);
    if (rc != 0)
        printf("\n  %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_STRING_EQUAL(c.name, "sklearn-iris");
    CU_ASSERT_PTR_NOT_NULL(strstr(c.comment, "hey -z 2m -c 20"));
    CU_ASSERT_EQUAL(c.duration_us, 600000000);
    CU_ASSERT_EQUAL(c.service.replicas, 1);
    CU_ASSERT_EQUAL(c.service.balancer, LB_RANDOM);
    CU_ASSERT_EQUAL(c.service.pod.cpu_request_milli, 1000);
    CU_ASSERT_EQUAL(c.service.pod.cpu_limit_milli, 1000);
    CU_ASSERT_EQUAL(c.service.pod.memory_request_bytes, 200 * 1024 * 1024);
    CU_ASSERT_EQUAL(c.service.pod.demand.kind, DIST_LOGNORMAL);
    CU_ASSERT_DOUBLE_EQUAL(c.service.pod.demand.mean, 5000, 0);
    CU_ASSERT_EQUAL_FATAL(c.n_loads, 1);
    const load_cfg *l = &c.loads[0];
    CU_ASSERT_EQUAL(l->kind, LOAD_CLOSED);
    CU_ASSERT_EQUAL(l->workers, 20);
    CU_ASSERT_EQUAL(l->duration_us, 120000000);
    CU_ASSERT_EQUAL(l->total_requests, 0);
    CU_ASSERT_EQUAL(l->timeout_us, 20000000);
    CU_ASSERT_EQUAL(l->qps_per_worker, 0);
    CU_ASSERT_EQUAL(l->start_us, 0);
    CU_ASSERT_EQUAL(l->end_us, 120000000);
    CU_ASSERT_STRING_EQUAL(l->method, "POST");
    CU_ASSERT_STRING_EQUAL(l->body_file, "./iris-input.json");
    CU_ASSERT_STRING_EQUAL(l->content_type, "application/json");
    CU_ASSERT_STRING_EQUAL(l->host, "$SERVICE_HOSTNAME");
    CU_ASSERT_PTR_NOT_NULL(strstr(l->hey_command, "-D ./iris-input.json"));
    scenario_cfg_free(&c);
    CU_ASSERT_PTR_NULL(c.loads);
}

static void test_example_scenarios(void) {
    const char *files[] = {"scenarios/diurnal.json", "scenarios/trace-spike.json"};
    for (int i = 0; i < 2; i++) {
        scenario_cfg c;
        sim_error err;
        int rc = scenario_load(cu_src_path(files[i]), &c, &err);
        if (rc != 0)
            printf("\n  %s\n", err.msg);
        CU_ASSERT_EQUAL_FATAL(rc, 0);
        CU_ASSERT_PTR_NOT_NULL(c.comment);
        scenario_cfg_free(&c);
    }
    scenario_cfg c;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(scenario_load(cu_src_path("scenarios/trace-spike.json"), &c, &err), 0);
    CU_ASSERT_EQUAL(c.loads[0].shape, RATE_TRACE);
    CU_ASSERT_EQUAL(c.loads[0].n_points, 31);
    CU_ASSERT_EQUAL(c.loads[0].points[30].t_us, 1800000000);
    CU_ASSERT_EQUAL(c.service.balancer, LB_QUEUE);
    CU_ASSERT_EQUAL(c.service.pod.concurrency, 8);
    scenario_cfg_free(&c);
}

static void test_defaults(void) {
    scenario_cfg c;
    CU_ASSERT_EQUAL_FATAL(load("{\"duration\": 60, \"load\": [{\"hey\": \"hey http://h/\"}]}", &c),
                          0);
    CU_ASSERT_STRING_EQUAL(c.path, "s.json");
    CU_ASSERT_STRING_EQUAL(c.name, "s");
    CU_ASSERT_PTR_NULL(c.comment);
    CU_ASSERT_EQUAL(c.seed, 1);
    CU_ASSERT_EQUAL(c.duration_us, 60000000);
    CU_ASSERT_STRING_EQUAL(c.service.name, "s");
    CU_ASSERT_EQUAL(c.service.replicas, 1);
    CU_ASSERT_EQUAL(c.service.balancer, LB_RANDOM);
    const pod_cfg *p = &c.service.pod;
    CU_ASSERT_EQUAL(p->startup_us.kind, DIST_CONSTANT);
    CU_ASSERT_EQUAL(p->startup_us.mean, 0);
    CU_ASSERT_EQUAL(p->cpu_request_milli, 1000);
    CU_ASSERT_EQUAL(p->cpu_limit_milli, 0);
    CU_ASSERT_EQUAL(p->cpu_idle_milli, 0);
    CU_ASSERT_EQUAL(p->memory_request_bytes, 0);
    CU_ASSERT_EQUAL(p->memory_base_bytes, 0);
    CU_ASSERT_EQUAL(p->memory_per_request_bytes, 0);
    CU_ASSERT_EQUAL(p->concurrency, 0);
    CU_ASSERT_EQUAL(p->demand.kind, DIST_CONSTANT);
    CU_ASSERT_DOUBLE_EQUAL(p->demand.mean, 10000, 0);
    CU_ASSERT_EQUAL(p->response_bytes, 0);
    const load_cfg *l = &c.loads[0];
    CU_ASSERT_STRING_EQUAL(l->name, "load[0]");
    CU_ASSERT_EQUAL(l->workers, 50);
    CU_ASSERT_EQUAL(l->total_requests, 200);
    CU_ASSERT_EQUAL(l->duration_us, 0);
    CU_ASSERT_EQUAL(l->timeout_us, 20000000);
    CU_ASSERT_EQUAL(l->end_us, INT64_MAX);
    CU_ASSERT_STRING_EQUAL(l->method, "GET");
    CU_ASSERT_STRING_EQUAL(l->content_type, "text/html");
    scenario_cfg_free(&c);
}

static void test_service_fields(void) {
    scenario_cfg c;
    const char *json =
        "{\"name\": \"x-1\", \"comment\": \"hi\", \"seed\": \"18446744073709551615\",\n"
        " \"duration\": \"1h30m\",\n"
        " \"service\": {\"name\": \"svc\", \"replicas\": 3, \"balancer\": \"least-requests\",\n"
        "  \"comment\": \"comments are allowed in every object\",\n"
        "  \"pod\": {\"startup\": {\"dist\": \"uniform\", \"min\": \"10s\", \"max\": 20},\n"
        "   \"cpu_request\": 0.25, \"cpu_limit\": \"1500m\", \"cpu_idle\": \"5m\",\n"
        "   \"memory_request\": \"1Gi\", \"memory_base\": 1000, \"memory_per_request\": \"1k\",\n"
        "   \"concurrency\": 4, \"demand\": {\"dist\": \"exponential\", \"mean\": 0.03},\n"
        "   \"response_bytes\": \"2Ki\"}},\n"
        " \"load\": [{\"type\": \"poisson\", \"rate\": 10}]}";
    CU_ASSERT_EQUAL_FATAL(load(json, &c), 0);
    CU_ASSERT_STRING_EQUAL(c.name, "x-1");
    CU_ASSERT_STRING_EQUAL(c.comment, "hi");
    CU_ASSERT_EQUAL(c.seed, UINT64_MAX);
    CU_ASSERT_EQUAL(c.duration_us, 5400000000LL);
    CU_ASSERT_STRING_EQUAL(c.service.name, "svc");
    CU_ASSERT_EQUAL(c.service.replicas, 3);
    CU_ASSERT_EQUAL(c.service.balancer, LB_LEAST_REQUESTS);
    const pod_cfg *p = &c.service.pod;
    CU_ASSERT_EQUAL(p->startup_us.kind, DIST_UNIFORM);
    CU_ASSERT_DOUBLE_EQUAL(p->startup_us.min, 10e6, 0);
    CU_ASSERT_DOUBLE_EQUAL(p->startup_us.max, 20e6, 0);
    CU_ASSERT_DOUBLE_EQUAL(p->startup_us.mean, 15e6, 0);
    CU_ASSERT_EQUAL(p->cpu_request_milli, 250);
    CU_ASSERT_EQUAL(p->cpu_limit_milli, 1500);
    CU_ASSERT_EQUAL(p->cpu_idle_milli, 5);
    CU_ASSERT_EQUAL(p->memory_request_bytes, 1073741824);
    CU_ASSERT_EQUAL(p->memory_base_bytes, 1000);
    CU_ASSERT_EQUAL(p->memory_per_request_bytes, 1000);
    CU_ASSERT_EQUAL(p->concurrency, 4);
    CU_ASSERT_EQUAL(p->demand.kind, DIST_EXPONENTIAL);
    CU_ASSERT_DOUBLE_EQUAL(p->demand.mean, 30000, 1e-6);
    CU_ASSERT_EQUAL(p->response_bytes, 2048);
    scenario_cfg_free(&c);

    /* Kubernetes: a limit without a request makes the request equal to the limit. */
    CU_ASSERT_EQUAL_FATAL(load("{\"duration\": 1, \"service\": {\"pod\": {\"cpu_limit\": \"2\"}},"
                               " \"load\": [{\"type\": \"uniform\", \"rate\": 1}]}",
                               &c),
                          0);
    CU_ASSERT_EQUAL(c.service.pod.cpu_request_milli, 2000);
    CU_ASSERT_EQUAL(c.service.pod.cpu_limit_milli, 2000);
    CU_ASSERT_EQUAL(c.loads[0].arrivals, ARRIVALS_UNIFORM);
    scenario_cfg_free(&c);
}

static void test_distributions(void) {
    scenario_cfg c;
    const char *json = "{\"duration\": 1, \"service\": {\"pod\": {"
                       "\"startup\": {\"dist\": \"constant\", \"value\": \"1m\"},"
                       "\"demand\": {\"dist\": \"gamma\", \"mean\": \"20ms\", \"cv\": 0.5}}},"
                       "\"load\": [{\"type\": \"poisson\", \"rate\": 1}]}";
    CU_ASSERT_EQUAL_FATAL(load(json, &c), 0);
    CU_ASSERT_EQUAL(c.service.pod.startup_us.kind, DIST_CONSTANT);
    CU_ASSERT_DOUBLE_EQUAL(c.service.pod.startup_us.mean, 60e6, 0);
    CU_ASSERT_EQUAL(c.service.pod.demand.kind, DIST_GAMMA);
    CU_ASSERT_DOUBLE_EQUAL(c.service.pod.demand.mean, 20000, 0);
    CU_ASSERT_DOUBLE_EQUAL(c.service.pod.demand.cv, 0.5, 0);
    scenario_cfg_free(&c);
    /* A plain number is a constant in seconds; 0 start-up is allowed. */
    CU_ASSERT_EQUAL_FATAL(load("{\"duration\": 1, \"service\": {\"pod\": {\"startup\": 0, "
                               "\"demand\": 0.005}}, \"load\": [{\"type\": \"poisson\", "
                               "\"rate\": 1}]}",
                               &c),
                          0);
    CU_ASSERT_EQUAL(c.service.pod.demand.kind, DIST_CONSTANT);
    CU_ASSERT_DOUBLE_EQUAL(c.service.pod.demand.mean, 5000, 0);
    scenario_cfg_free(&c);
}

static void test_closed_fields(void) {
    scenario_cfg c;
    const char *json = "{\"load\": ["
                       "{\"type\": \"closed\", \"c\": 20, \"q\": 2.5, \"z\": \"2m\", \"t\": "
                       "\"5s\", \"start\": 30},"
                       "{\"name\": \"batch\", \"type\": \"closed\", \"c\": 4, \"n\": 1000, "
                       "\"end\": \"10m\"},"
                       "{\"type\": \"closed\", \"end\": \"1m\", \"t\": 0}]}";
    CU_ASSERT_EQUAL_FATAL(load(json, &c), 0);
    CU_ASSERT_EQUAL_FATAL(c.n_loads, 3);
    const load_cfg *a = &c.loads[0], *b = &c.loads[1], *d = &c.loads[2];
    CU_ASSERT_EQUAL(a->kind, LOAD_CLOSED);
    CU_ASSERT_EQUAL(a->workers, 20);
    CU_ASSERT_DOUBLE_EQUAL(a->qps_per_worker, 2.5, 0);
    CU_ASSERT_EQUAL(a->duration_us, 120000000);
    CU_ASSERT_EQUAL(a->total_requests, 0);
    CU_ASSERT_EQUAL(a->timeout_us, 5000000);
    CU_ASSERT_EQUAL(a->start_us, 30000000);
    CU_ASSERT_EQUAL(a->end_us, 150000000);
    CU_ASSERT_PTR_NULL(a->hey_command);
    CU_ASSERT_STRING_EQUAL(b->name, "batch");
    CU_ASSERT_EQUAL(b->total_requests, 1000);
    CU_ASSERT_EQUAL(b->duration_us, 0);
    CU_ASSERT_EQUAL(b->end_us, 600000000);
    CU_ASSERT_EQUAL(d->workers, 50);
    CU_ASSERT_EQUAL(d->total_requests, 0); /* end given: no default n */
    CU_ASSERT_EQUAL(d->timeout_us, 0);
    /* No duration: the latest end (10m). */
    CU_ASSERT_EQUAL(c.duration_us, 600000000);
    scenario_cfg_free(&c);
}

static void test_open_shapes(void) {
    scenario_cfg c;
    const char *json;
    json = "{\"duration\": \"24h\", \"load\": ["
           "{\"type\": \"poisson\", \"rate\": 12.5, \"t\": \"1s\"},"
           "{\"type\": \"uniform\", \"ramp\": {\"from\": 0, \"to\": 100}, \"start\": \"1m\", "
           "\"end\": \"11m\"},"
           "{\"type\": \"poisson\", \"step\": [[0, 5], [\"1m\", 50], [120, 0]]},"
           "{\"type\": \"poisson\", \"diurnal\": {\"min\": 20, \"max\": 200, \"peak_at\": "
           "\"14h\"}},"
           "{\"type\": \"poisson\", \"diurnal\": {\"min\": 1, \"max\": 1, \"period\": \"1h\"}}]}";
    CU_ASSERT_EQUAL_FATAL(load(json, &c), 0);
    CU_ASSERT_EQUAL_FATAL(c.n_loads, 5);
    const load_cfg *l = c.loads;
    CU_ASSERT_EQUAL(l[0].kind, LOAD_OPEN);
    CU_ASSERT_EQUAL(l[0].arrivals, ARRIVALS_POISSON);
    CU_ASSERT_EQUAL(l[0].shape, RATE_CONSTANT);
    CU_ASSERT_DOUBLE_EQUAL(l[0].rate, 12.5, 0);
    CU_ASSERT_EQUAL(l[0].timeout_us, 1000000);
    CU_ASSERT_EQUAL(l[0].end_us, INT64_MAX);
    CU_ASSERT_EQUAL(l[1].shape, RATE_RAMP);
    CU_ASSERT_EQUAL(l[1].arrivals, ARRIVALS_UNIFORM);
    CU_ASSERT_DOUBLE_EQUAL(l[1].rate_from, 0, 0);
    CU_ASSERT_DOUBLE_EQUAL(l[1].rate_to, 100, 0);
    CU_ASSERT_EQUAL(l[1].start_us, 60000000);
    CU_ASSERT_EQUAL(l[1].end_us, 660000000);
    CU_ASSERT_EQUAL(l[1].timeout_us, 20000000);
    CU_ASSERT_EQUAL(l[2].shape, RATE_STEP);
    CU_ASSERT_EQUAL(l[2].interpolation, INTERP_STEP);
    CU_ASSERT_EQUAL_FATAL(l[2].n_points, 3);
    CU_ASSERT_EQUAL(l[2].points[1].t_us, 60000000);
    CU_ASSERT_DOUBLE_EQUAL(l[2].points[1].rps, 50, 0);
    CU_ASSERT_EQUAL(l[2].points[2].t_us, 120000000);
    CU_ASSERT_EQUAL(l[3].shape, RATE_DIURNAL);
    CU_ASSERT_DOUBLE_EQUAL(l[3].rate_min, 20, 0);
    CU_ASSERT_DOUBLE_EQUAL(l[3].rate_max, 200, 0);
    CU_ASSERT_EQUAL(l[3].period_us, 86400000000LL);
    CU_ASSERT_EQUAL(l[3].peak_at_us, 14 * 3600000000LL);
    CU_ASSERT_EQUAL(l[4].period_us, 3600000000LL);
    CU_ASSERT_EQUAL(l[4].peak_at_us, 1800000000LL); /* default: half the period */
    scenario_cfg_free(&c);
}

static char tmpdir[256];

static const char *write_file(const char *name, const char *text) {
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_trace_and_empirical_files(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/scalesim-scenario-XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpdir));
    char sub[300];
    snprintf(sub, sizeof sub, "%s/traces", tmpdir);
    CU_ASSERT_EQUAL_FATAL(mkdir(sub, 0700), 0);
    /* Extra columns are ignored, columns may come in any order, quoting and CRLF are fine. */
    write_file("traces/t.csv", "\xEF\xBB\xBFnote,rps,t_s\r\nx,10,0\r\n\"y, z\",20,30.5\r\n\r\n"
                               "w,0,60\r\n");
    write_file("samples.csv", "latency_ms,other\n12,a\n\"8\",b\n20ms,c\n");
    const char *scenario = write_file(
        "s.json", "{\"duration\": 100, \"service\": {\"pod\": {\"demand\": {\"dist\": "
                  "\"empirical\", \"file\": \"samples.csv\", \"column\": \"latency_ms\", "
                  "\"unit\": \"ms\"}}}, \"load\": [{\"type\": \"poisson\", \"trace\": "
                  "{\"file\": \"traces/t.csv\", \"interpolation\": \"step\", \"scale\": 2}}]}");
    scenario_cfg c;
    sim_error err;
    int rc = scenario_load(scenario, &c, &err);
    if (rc != 0)
        printf("\n  %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    const load_cfg *l = &c.loads[0];
    CU_ASSERT_EQUAL(l->shape, RATE_TRACE);
    CU_ASSERT_EQUAL(l->interpolation, INTERP_STEP);
    char want[600];
    snprintf(want, sizeof want, "%s/traces/t.csv", tmpdir);
    CU_ASSERT_STRING_EQUAL(l->trace_file, want);
    CU_ASSERT_EQUAL_FATAL(l->n_points, 3);
    CU_ASSERT_EQUAL(l->points[0].t_us, 0);
    CU_ASSERT_DOUBLE_EQUAL(l->points[0].rps, 20, 0);
    CU_ASSERT_EQUAL(l->points[1].t_us, 30500000);
    CU_ASSERT_DOUBLE_EQUAL(l->points[1].rps, 40, 0);
    CU_ASSERT_EQUAL(l->points[2].t_us, 60000000);
    const dist_cfg *d = &c.service.pod.demand;
    CU_ASSERT_EQUAL(d->kind, DIST_EMPIRICAL);
    CU_ASSERT_EQUAL_FATAL(d->n_samples, 3);
    CU_ASSERT_DOUBLE_EQUAL(d->samples[0], 12000, 0);
    CU_ASSERT_DOUBLE_EQUAL(d->samples[1], 8000, 0);
    CU_ASSERT_DOUBLE_EQUAL(d->samples[2], 20000, 0);
    CU_ASSERT_DOUBLE_EQUAL(d->mean, 40000.0 / 3, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(d->min, 8000, 0);
    CU_ASSERT_DOUBLE_EQUAL(d->max, 20000, 0);
    scenario_cfg_free(&c);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_text_forms(void) {
    /* A UTF-8 BOM and CRLF line ends are accepted; the loader needs no NUL terminator. */
    const char json[] = "\xEF\xBB\xBF{\r\n\"duration\": 5,\r\n\"load\": [{\"type\": \"poisson\", "
                        "\"rate\": 1}]}XXXX";
    scenario_cfg c;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(scenario_load_text(json, strlen(json) - 4, "s.json", NULL, &c, &err), 0);
    CU_ASSERT_EQUAL(c.duration_us, 5000000);
    scenario_cfg_free(&c);
    scenario_cfg_free(&c); /* twice is harmless */
}

int main(void) {
    static const cu_test tests[] = {
        {"seed_scenario", test_seed_scenario},
        {"example_scenarios", test_example_scenarios},
        {"defaults", test_defaults},
        {"service_fields", test_service_fields},
        {"distributions", test_distributions},
        {"closed_fields", test_closed_fields},
        {"open_shapes", test_open_shapes},
        {"trace_and_empirical_files", test_trace_and_empirical_files},
        {"text_forms", test_text_forms},
        {NULL, NULL},
    };
    cu_add_suite("scenario", tests);
    return cu_run_all();
}
