/* test_tune.c: sim/output/tune_space: parameter specs (lists, ranges, errors), grid order, and
 * JSON path edits (objects, array indexes, an added last key, precise errors). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/output/tune_eval.h"
#include "sim/output/tune_space.h"
#include "sim/output/tune_yaml.h"
#include "sim/scenario/yaml_json.h"
#include "tests/support/cu.h"

static void test_parse(void) {
    tune_param p;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(tune_param_parse("a.b=1,2.5,-3", &p, &err), 0);
    CU_ASSERT_STRING_EQUAL(p.path, "a.b");
    CU_ASSERT_EQUAL(p.nvalues, 3);
    CU_ASSERT_DOUBLE_EQUAL(p.values[1], 2.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(p.values[2], -3, 1e-12);
    tune_param_free(&p);
    CU_ASSERT_EQUAL_FATAL(tune_param_parse("x=0.1:0.5:0.1", &p, &err), 0);
    CU_ASSERT_EQUAL(p.nvalues, 5); /* TO reached despite rounding */
    CU_ASSERT_DOUBLE_EQUAL(p.values[4], 0.5, 1e-9);
    tune_param_free(&p);
    CU_ASSERT_EQUAL_FATAL(tune_param_parse("x=1:10:4", &p, &err), 0);
    CU_ASSERT_EQUAL(p.nvalues, 3); /* 1, 5, 9 */
    tune_param_free(&p);
    CU_ASSERT_EQUAL(tune_param_parse("novalue", &p, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "expected PATH="));
    CU_ASSERT_EQUAL(tune_param_parse("x=1,,2", &p, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "value 2 is not a number"));
    CU_ASSERT_EQUAL(tune_param_parse("x=5:1:1", &p, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "STEP > 0 and TO >= FROM"));
    CU_ASSERT_EQUAL(tune_param_parse("x=1:5:0", &p, &err), -1);
    CU_ASSERT_EQUAL(tune_param_parse("x=0:1e9:1", &p, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "more than"));
}

static void test_grid(void) {
    tune_param ps[2];
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(tune_param_parse("a=1,2,3", &ps[0], &err), 0);
    CU_ASSERT_EQUAL_FATAL(tune_param_parse("b=10,20", &ps[1], &err), 0);
    CU_ASSERT_EQUAL(tune_grid_size(ps, 2, 100, &err), 6);
    CU_ASSERT_EQUAL(tune_grid_size(ps, 2, 5, &err), -1);
    double v[2];
    tune_grid_values(ps, 2, 0, v);
    CU_ASSERT(v[0] == 1 && v[1] == 10);
    tune_grid_values(ps, 2, 1, v); /* the last parameter varies fastest */
    CU_ASSERT(v[0] == 1 && v[1] == 20);
    tune_grid_values(ps, 2, 5, v);
    CU_ASSERT(v[0] == 3 && v[1] == 20);
    tune_param_free(&ps[0]);
    tune_param_free(&ps[1]);
}

static void test_set(void) {
    cJSON *root = cJSON_Parse("{\"hpa\":{\"spec\":{\"minReplicas\":1,\"metrics\":[{\"resource\":"
                              "{\"target\":{\"averageUtilization\":80}}}]}}}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    sim_error err;
    const char *u = "hpa.spec.metrics[0].resource.target.averageUtilization";
    CU_ASSERT_EQUAL(tune_set(root, u, 35, &err), 0);
    CU_ASSERT_DOUBLE_EQUAL(tune_get(root, u)->valuedouble, 35, 1e-12);
    CU_ASSERT_EQUAL(tune_set(root, "hpa.spec.maxReplicas", 7, &err), 0); /* added */
    CU_ASSERT_DOUBLE_EQUAL(tune_get(root, "hpa.spec.maxReplicas")->valuedouble, 7, 1e-12);
    CU_ASSERT_EQUAL(tune_set(root, "hpa.spec.minReplicas", 2, &err), 0);
    CU_ASSERT_DOUBLE_EQUAL(tune_get(root, "hpa.spec.minReplicas")->valuedouble, 2, 1e-12);
    CU_ASSERT_EQUAL(tune_set(root, "hpa.spex.minReplicas", 2, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "the scenario has no hpa.spex"));
    CU_ASSERT_EQUAL(tune_set(root, "hpa.spec.metrics[3].x", 2, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no hpa.spec.metrics[3]"));
    CU_ASSERT_EQUAL(tune_set(root, "hpa.spec.minReplicas.x", 2, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "is not an object"));
    CU_ASSERT_PTR_NULL(tune_get(root, "hpa.nothing"));
    cJSON_Delete(root);
}

static void test_pareto(void) {
    /* A(1,10) B(2,5) C(2,8: B beats it) D(3,5: B beats it) E(no p95) F(1,10: equal to A)
     * G(invalid) H(0.5,20: cheapest) */
    const double cost[] = {1, 2, 2, 3, 0.5, 1, 0.1, 0.5};
    const double p95[] = {10, 5, 8, 5, NAN, 10, 1, 20};
    const int valid[] = {1, 1, 1, 1, 1, 1, 0, 1};
    tune_outcome o[8];
    for (int i = 0; i < 8; i++) {
        memset(&o[i], 0, sizeof o[i]);
        o[i].config = i;
        o[i].valid = valid[i];
        o[i].cost = cost[i];
        o[i].p95_ms = p95[i];
    }
    int front[8];
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(tune_pareto(o, 8, front, &err), 0);
    const int want[] = {1, 1, 0, 0, 0, 1, 0, 1};
    for (int i = 0; i < 8; i++)
        CU_ASSERT_EQUAL(front[i], want[i]);
}

static void test_yaml(void) {
    const char *json = "{\"apiVersion\":\"autoscaling/v2\",\"kind\":\"HorizontalPodAutoscaler\","
                       "\"spec\":{\"minReplicas\":2,\"target\":0.25,\"big\":-1e20,"
                       "\"metrics\":[{\"type\":\"Resource\"},[]],\"empty\":{}},"
                       "\"tricky\":[\"true\",\"10\",\"\",\"a: b\",\"on\",\"0x1F\",\"null\","
                       "\"- x\",\"#c\",\"line\\nbreak\",\"1e3\",\".inf\"],"
                       "\"flags\":[true,false,null],\"yes\":1}";
    cJSON *root = cJSON_Parse(json);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    sim_error err;
    char *yaml = tune_yaml(root, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(yaml);
    CU_ASSERT_PTR_NOT_NULL(strstr(yaml, "kind: HorizontalPodAutoscaler"));
    CU_ASSERT_PTR_NOT_NULL(strstr(yaml, "minReplicas: 2"));
    cJSON *docs = NULL;
    json_index idx;
    memset(&idx, 0, sizeof idx);
    size_t off;
    char msg[256];
    int rc = yaml_parse_indexed(yaml, strlen(yaml), &docs, &idx, &off, msg, sizeof msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(docs), 1);
    int same = cJSON_Compare(cJSON_GetArrayItem(docs, 0), root, 1);
    if (!same)
        fprintf(stderr, "\n%s\n", yaml);
    CU_ASSERT(same);
    json_index_free(&idx);
    cJSON_Delete(docs);
    free(yaml);
    cJSON_Delete(root);
}

int main(void) {
    static const cu_test tests[] = {
        {"parse", test_parse},   {"grid", test_grid}, {"set", test_set},
        {"pareto", test_pareto}, {"yaml", test_yaml}, {NULL, NULL},
    };
    cu_add_suite("tune_space", tests);
    return cu_run_all();
}
