/* test_scenario_hpa.c: the scenario's "hpa" and "controller" sections (sim/scenario/
 * hpa_section.c, yaml_json.c): the seed's two HPAs, pasted as `kubectl get hpa -o json` prints
 * them and read from the YAML manifests in scenarios/manifests/, load into the expected hpa_spec
 * and identically; every validation error has its exact message and line:col, in JSON and in
 * YAML; damaged inputs never crash and always fail with a positioned message.
 *
 * As in test_scenario_errors.c, JSON is written with ` for " and the expected line:col is where
 * a marker first occurs in the input ('^' inside the marker marks the spot). */
#include "cu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario.h"

static int load_json(const char *json_bq, scenario_cfg *cfg, const char *base_dir) {
    char *json = cu_swap_quotes(json_bq);
    sim_error err;
    int rc = scenario_load_text(json, strlen(json), "s.json", base_dir, cfg, &err);
    if (rc != 0)
        printf("\n  unexpected error: %s\n", err.msg);
    free(json);
    return rc;
}

/* ---- the seed's HPAs ---- */

#define SCENARIO_HEAD(svc)                                                                         \
    "{`duration`: 60, `service`: {`name`: `" svc "`}, `load`: [{`type`: `poisson`, `rate`: 1}],\n"

/* `kubectl get hpa.v2.autoscaling sklearn-iris-predictor -o json`, from the seed's describe. */
static const char *sklearn_json = SCENARIO_HEAD(
    "sklearn-iris-predictor") "`hpa`: {\n"
                              "    `apiVersion`: `autoscaling/v2`,\n"
                              "    `kind`: `HorizontalPodAutoscaler`,\n"
                              "    `metadata`: {\n"
                              "        `annotations`: {\n"
                              "            `arena.kubeflow.org/username`: "
                              "`kubecfg:certauth:admin`,\n"
                              "            `serving.kserve.io/deploymentMode`: `RawDeployment`\n"
                              "        },\n"
                              "        `creationTimestamp`: `2024-05-11T09:15:47Z`,\n"
                              "        `labels`: {\n"
                              "            `app`: `isvc.sklearn-iris-predictor`,\n"
                              "            `component`: `predictor`,\n"
                              "            `serving.kserve.io/inferenceservice`: `sklearn-iris`\n"
                              "        },\n"
                              "        `managedFields`: [{`apiVersion`: `autoscaling/v2`, "
                              "`fieldsType`: `FieldsV1`, "
                              "`manager`: `manager`, `operation`: `Update`, `time`: "
                              "`2024-05-11T09:15:47Z`}],\n"
                              "        `name`: `sklearn-iris-predictor`,\n"
                              "        `namespace`: `default`,\n"
                              "        `resourceVersion`: `1523472`,\n"
                              "        `uid`: `8f1e6a52-3d47-4b43-a2a1-6f1f0f5d2c9e`\n"
                              "    },\n"
                              "    `spec`: {\n"
                              "        `behavior`: {\n"
                              "            `scaleDown`: {\n"
                              "                `policies`: [{`periodSeconds`: 15, `type`: "
                              "`Percent`, `value`: 100}],\n"
                              "                `selectPolicy`: `Max`\n"
                              "            },\n"
                              "            `scaleUp`: {\n"
                              "                `policies`: [\n"
                              "                    {`periodSeconds`: 15, `type`: `Pods`, `value`: "
                              "4},\n"
                              "                    {`periodSeconds`: 15, `type`: `Percent`, "
                              "`value`: 100}\n"
                              "                ],\n"
                              "                `selectPolicy`: `Max`,\n"
                              "                `stabilizationWindowSeconds`: 0\n"
                              "            }\n"
                              "        },\n"
                              "        `maxReplicas`: 10,\n"
                              "        `metrics`: [\n"
                              "            {\n"
                              "                `resource`: {`name`: `cpu`, `target`: "
                              "{`averageUtilization`: 10, `type`: "
                              "`Utilization`}},\n"
                              "                `type`: `Resource`\n"
                              "            }\n"
                              "        ],\n"
                              "        `minReplicas`: 1,\n"
                              "        `scaleTargetRef`: {`apiVersion`: `apps/v1`, `kind`: "
                              "`Deployment`, `name`: "
                              "`sklearn-iris-predictor`}\n"
                              "    },\n"
                              "    `status`: {\n"
                              "        `conditions`: [{`lastTransitionTime`: "
                              "`2024-05-11T09:16:03Z`, `message`: "
                              "`recommended size matches current size`, `reason`: "
                              "`ReadyForNewScale`, `status`: `True`, "
                              "`type`: `AbleToScale`}],\n"
                              "        `currentMetrics`: [{`resource`: {`current`: "
                              "{`averageUtilization`: 0, "
                              "`averageValue`: `2m`}, `name`: `cpu`}, `type`: `Resource`}],\n"
                              "        `currentReplicas`: 1,\n"
                              "        `desiredReplicas`: 1\n"
                              "    }\n"
                              "}}\n";

static const char *qwen_json = SCENARIO_HEAD(
    "qwen-predictor") "`hpa`: {\n"
                      "  `apiVersion`: `autoscaling/v2`, `kind`: `HorizontalPodAutoscaler`,\n"
                      "  `metadata`: {`creationTimestamp`: `2024-05-14T06:57:03Z`, `name`: "
                      "`qwen-hpa`, "
                      "`namespace`: `default`, `resourceVersion`: `9205625`, `uid`: "
                      "`2b6c1d0e-94f3-4c55-8f0a-3e7d5b9c1a42`},\n"
                      "  `spec`: {\n"
                      "    `maxReplicas`: 2,\n"
                      "    `metrics`: [{`pods`: {`metric`: {`name`: "
                      "`DCGM_CUSTOM_PROCESS_SM_UTIL`}, `target`: "
                      "{`averageValue`: `50`, `type`: `AverageValue`}}, `type`: `Pods`}],\n"
                      "    `minReplicas`: 1,\n"
                      "    `scaleTargetRef`: {`apiVersion`: `apps/v1`, `kind`: `Deployment`, "
                      "`name`: "
                      "`qwen-predictor`}\n"
                      "  },\n"
                      "  `status`: {`currentReplicas`: 1, `desiredReplicas`: 1}\n"
                      "}}\n";

static void check_sklearn(const hpa_cfg *h) {
    CU_ASSERT_EQUAL(h->present, 1);
    CU_ASSERT_STRING_EQUAL(h->name, "sklearn-iris-predictor");
    CU_ASSERT_STRING_EQUAL(h->namespace_name, "default");
    CU_ASSERT_STRING_EQUAL(h->spec.namespace_name, "default");
    CU_ASSERT_EQUAL(h->spec.min_replicas, 1);
    CU_ASSERT_EQUAL(h->spec.max_replicas, 10);
    CU_ASSERT_EQUAL_FATAL(h->spec.nmetrics, 1);
    CU_ASSERT_PTR_EQUAL(h->spec.metrics, h->metrics);
    const hpa_metric_spec *m = &h->metrics[0];
    CU_ASSERT_EQUAL(m->type, HPA_METRIC_RESOURCE);
    CU_ASSERT_STRING_EQUAL(m->type_name, "Resource");
    CU_ASSERT_STRING_EQUAL(m->name, "cpu");
    CU_ASSERT_PTR_NULL(m->selector);
    CU_ASSERT_EQUAL(m->target.type, HPA_TARGET_UTILIZATION);
    CU_ASSERT_EQUAL(m->target.has_utilization, 1);
    CU_ASSERT_EQUAL(m->target.average_utilization, 10);
    CU_ASSERT_EQUAL(m->target.has_average_value, 0);
    CU_ASSERT_EQUAL(m->target.has_value, 0);
    const hpa_behavior *b = &h->spec.behavior;
    CU_ASSERT_EQUAL(b->present, 1);
    CU_ASSERT_EQUAL(b->has_up, 1);
    CU_ASSERT_EQUAL(b->up.has_window, 1);
    CU_ASSERT_EQUAL(b->up.window_s, 0);
    CU_ASSERT_EQUAL(b->up.select, HPA_SELECT_MAX);
    CU_ASSERT_EQUAL_FATAL(b->up.npolicies, 2);
    CU_ASSERT_EQUAL(b->up.policies[0].type, HPA_POLICY_PODS);
    CU_ASSERT_EQUAL(b->up.policies[0].value, 4);
    CU_ASSERT_EQUAL(b->up.policies[0].period_s, 15);
    CU_ASSERT_EQUAL(b->up.policies[1].type, HPA_POLICY_PERCENT);
    CU_ASSERT_EQUAL(b->up.policies[1].value, 100);
    CU_ASSERT_EQUAL(b->has_down, 1);
    CU_ASSERT_EQUAL(b->down.has_window, 0); /* the controller's 5m flag applies */
    CU_ASSERT_EQUAL_FATAL(b->down.npolicies, 1);
    CU_ASSERT_EQUAL(b->down.policies[0].type, HPA_POLICY_PERCENT);
    CU_ASSERT_EQUAL(b->down.policies[0].value, 100);
    CU_ASSERT_EQUAL(b->down.policies[0].period_s, 15);
    CU_ASSERT_EQUAL(b->up.has_tolerance, 0);
    /* The controller defaults. */
    CU_ASSERT_EQUAL(h->sync_period_us, 15000000);
    CU_ASSERT_EQUAL(h->sync_phase_us, 0);
    CU_ASSERT_EQUAL(h->controller.downscale_window_us, 300000000);
    CU_ASSERT_EQUAL(h->controller.cpu_init_period_us, 300000000);
    CU_ASSERT_EQUAL(h->controller.readiness_delay_us, 30000000);
    CU_ASSERT_DOUBLE_EQUAL(h->controller.tolerance.scale_up, 0.1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(h->controller.tolerance.scale_down, 0.1, 1e-12);
}

static void check_qwen(const hpa_cfg *h) {
    CU_ASSERT_EQUAL(h->present, 1);
    CU_ASSERT_STRING_EQUAL(h->name, "qwen-hpa");
    CU_ASSERT_EQUAL(h->spec.min_replicas, 1);
    CU_ASSERT_EQUAL(h->spec.max_replicas, 2);
    CU_ASSERT_EQUAL_FATAL(h->spec.nmetrics, 1);
    const hpa_metric_spec *m = &h->metrics[0];
    CU_ASSERT_EQUAL(m->type, HPA_METRIC_PODS);
    CU_ASSERT_STRING_EQUAL(m->type_name, "Pods");
    CU_ASSERT_STRING_EQUAL(m->name, "DCGM_CUSTOM_PROCESS_SM_UTIL");
    CU_ASSERT_EQUAL(m->target.type, HPA_TARGET_AVERAGE_VALUE);
    CU_ASSERT_EQUAL(m->target.has_average_value, 1);
    CU_ASSERT_EQUAL(m->target.average_value_milli, 50000);
    CU_ASSERT_EQUAL(h->spec.behavior.present, 0); /* describe shows no Behavior */
}

static int str_eq(const char *a, const char *b) {
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Two hpa_cfgs describe the same HPA (everything but where it came from). */
static int same_hpa(const hpa_cfg *a, const hpa_cfg *b) {
    if (a->present != b->present || strcmp(a->name, b->name) != 0 ||
        strcmp(a->namespace_name, b->namespace_name) != 0 ||
        a->spec.min_replicas != b->spec.min_replicas ||
        a->spec.max_replicas != b->spec.max_replicas || a->spec.nmetrics != b->spec.nmetrics ||
        memcmp(&a->spec.behavior, &b->spec.behavior, sizeof a->spec.behavior) != 0 ||
        memcmp(&a->controller, &b->controller, sizeof a->controller) != 0 ||
        a->sync_period_us != b->sync_period_us || a->sync_phase_us != b->sync_phase_us)
        return 0;
    for (int i = 0; i < a->spec.nmetrics; i++) {
        const hpa_metric_spec *x = &a->metrics[i], *y = &b->metrics[i];
        if (x->type != y->type || !str_eq(x->type_name, y->type_name) ||
            !str_eq(x->name, y->name) || !str_eq(x->container, y->container) ||
            !str_eq(x->object_kind, y->object_kind) || !str_eq(x->object_name, y->object_name) ||
            !str_eq(x->selector, y->selector) ||
            memcmp(&x->target, &y->target, sizeof x->target) != 0)
            return 0;
    }
    return 1;
}

static void test_sklearn_kubectl_json(void) {
    scenario_cfg c;
    CU_ASSERT_EQUAL_FATAL(load_json(sklearn_json, &c, NULL), 0);
    check_sklearn(&c.hpa);
    CU_ASSERT_PTR_NULL(c.hpa.manifest_path);
    scenario_cfg_free(&c);
    CU_ASSERT_EQUAL(c.hpa.present, 0);
}

static void test_qwen_kubectl_json(void) {
    scenario_cfg c;
    CU_ASSERT_EQUAL_FATAL(load_json(qwen_json, &c, NULL), 0);
    check_qwen(&c.hpa);
    scenario_cfg_free(&c);
}

/* The manifests in scenarios/manifests load exactly as the pasted JSON does. */
static void test_yaml_manifests_identical(void) {
    const char *svc[] = {"sklearn-iris-predictor", "qwen-predictor"};
    const char *file[] = {"manifests/sklearn-iris-hpa.yaml", "manifests/qwen-hpa.yaml"};
    const char *json[] = {sklearn_json, qwen_json};
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", cu_src_path("scenarios"));
    for (int i = 0; i < 2; i++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "{`duration`: 60, `service`: {`name`: `%s`}, `load`: [{`type`: `poisson`, "
                 "`rate`: 1}], `hpa`: {`manifest`: `%s`}}",
                 svc[i], file[i]);
        scenario_cfg y, j;
        CU_ASSERT_EQUAL_FATAL(load_json(text, &y, dir), 0);
        CU_ASSERT_EQUAL_FATAL(load_json(json[i], &j, NULL), 0);
        if (i == 0)
            check_sklearn(&y.hpa);
        else
            check_qwen(&y.hpa);
        CU_ASSERT(same_hpa(&y.hpa, &j.hpa));
        CU_ASSERT_PTR_NOT_NULL(y.hpa.manifest_path);
        if (y.hpa.manifest_path)
            CU_ASSERT_PTR_NOT_NULL(strstr(y.hpa.manifest_path, file[i]));
        scenario_cfg_free(&y);
        scenario_cfg_free(&j);
    }
}

/* The YAML manifest turned into JSON by hand (as kubectl -o json prints it) and read as a JSON
 * manifest file gives the same HPA too. */
static void test_json_manifest_and_v2beta2(void) {
    char *inner = cu_swap_quotes(strstr(sklearn_json, "`hpa`: ") + 7);
    inner[strlen(inner) - 2] = '\0'; /* drop the scenario's closing "}\n" */
    const char *path = cu_write_temp(".json", inner);
    CU_ASSERT_PTR_NOT_NULL_FATAL(path);
    char text[1024];
    snprintf(text, sizeof text,
             "{`duration`: 60, `service`: {`name`: `sklearn-iris-predictor`}, `load`: "
             "[{`type`: `poisson`, `rate`: 1}], `hpa`: {`manifest`: `%s`}}",
             path);
    scenario_cfg c;
    CU_ASSERT_EQUAL_FATAL(load_json(text, &c, NULL), 0);
    check_sklearn(&c.hpa);
    scenario_cfg_free(&c);
    free(inner);
    /* autoscaling/v2beta2 has the same shape. */
    char *v2b2 = strdup(qwen_json);
    char *at = strstr(v2b2, "autoscaling/v2`");
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    char buf[4096];
    snprintf(buf, sizeof buf, "%.*sautoscaling/v2beta2%s", (int)(at - v2b2), v2b2,
             at + strlen("autoscaling/v2"));
    CU_ASSERT_EQUAL_FATAL(load_json(buf, &c, NULL), 0);
    check_qwen(&c.hpa);
    scenario_cfg_free(&c);
    free(v2b2);
}

/* A multi-document stream picks the HPA; a List (kubectl get hpa -o yaml without a NAME) too;
 * "name" chooses among several. */
static void test_multi_document(void) {
    const char *yaml = "apiVersion: apps/v1\n"
                       "kind: Deployment\n"
                       "metadata: {name: web}\n"
                       "spec: {replicas: 1}\n"
                       "---\n"
                       "apiVersion: v1\n"
                       "kind: List\n"
                       "items:\n"
                       "- apiVersion: autoscaling/v2\n"
                       "  kind: HorizontalPodAutoscaler\n"
                       "  metadata: {name: a}\n"
                       "  spec:\n"
                       "    scaleTargetRef: {kind: Deployment, name: web}\n"
                       "    maxReplicas: 3\n"
                       "- apiVersion: autoscaling/v2\n"
                       "  kind: HorizontalPodAutoscaler\n"
                       "  metadata: {name: b}\n"
                       "  spec:\n"
                       "    scaleTargetRef: {kind: Deployment, name: web}\n"
                       "    minReplicas: 2\n"
                       "    maxReplicas: 7\n"
                       "    metrics:\n"
                       "    - type: External\n"
                       "      external:\n"
                       "        metric:\n"
                       "          name: queue_depth\n"
                       "          selector: {matchLabels: {queue: main, app: web}}\n"
                       "        target: {type: AverageValue, averageValue: 30}\n"
                       "    - type: Object\n"
                       "      object:\n"
                       "        describedObject: {apiVersion: networking.k8s.io/v1, kind: "
                       "Ingress, name: main-route}\n"
                       "        metric: {name: requests-per-second}\n"
                       "        target: {type: Value, value: 2k}\n"
                       "    - type: ContainerResource\n"
                       "      containerResource: {name: memory, container: app, target: {type: "
                       "AverageValue, averageValue: 200Mi}}\n"
                       "    behavior:\n"
                       "      scaleDown: {tolerance: 50m, stabilizationWindowSeconds: 60}\n";
    const char *path = cu_write_temp(".yaml", yaml);
    CU_ASSERT_PTR_NOT_NULL_FATAL(path);
    char text[1024];
    snprintf(text, sizeof text,
             "{`duration`: 60, `service`: {`name`: `web`}, `load`: [{`type`: `poisson`, "
             "`rate`: 1}], `hpa`: {`manifest`: `%s`, `name`: `b`}}",
             path);
    scenario_cfg c;
    CU_ASSERT_EQUAL_FATAL(load_json(text, &c, NULL), 0);
    const hpa_cfg *h = &c.hpa;
    CU_ASSERT_STRING_EQUAL(h->name, "b");
    CU_ASSERT_EQUAL(h->spec.min_replicas, 2);
    CU_ASSERT_EQUAL(h->spec.max_replicas, 7);
    CU_ASSERT_EQUAL_FATAL(h->spec.nmetrics, 3);
    CU_ASSERT_EQUAL(h->metrics[0].type, HPA_METRIC_EXTERNAL);
    CU_ASSERT_STRING_EQUAL(h->metrics[0].name, "queue_depth");
    CU_ASSERT_STRING_EQUAL(h->metrics[0].selector,
                           "&LabelSelector{MatchLabels:map[string]string{app: web,queue: main,},"
                           "MatchExpressions:[]LabelSelectorRequirement{},}");
    CU_ASSERT_EQUAL(h->metrics[0].target.average_value_milli, 30000);
    CU_ASSERT_EQUAL(h->metrics[1].type, HPA_METRIC_OBJECT);
    CU_ASSERT_STRING_EQUAL(h->metrics[1].object_kind, "Ingress");
    CU_ASSERT_STRING_EQUAL(h->metrics[1].object_name, "main-route");
    CU_ASSERT_STRING_EQUAL(h->metrics[1].name, "requests-per-second");
    CU_ASSERT_EQUAL(h->metrics[1].target.type, HPA_TARGET_VALUE);
    CU_ASSERT_EQUAL(h->metrics[1].target.value_milli, 2000000);
    CU_ASSERT_EQUAL(h->metrics[2].type, HPA_METRIC_CONTAINER_RESOURCE);
    CU_ASSERT_STRING_EQUAL(h->metrics[2].container, "app");
    CU_ASSERT_EQUAL(h->metrics[2].target.average_value_milli, 200LL * 1024 * 1024 * 1000);
    /* behavior given: both directions defaulted field by field (v2 defaults.go). */
    CU_ASSERT_EQUAL(h->spec.behavior.present, 1);
    CU_ASSERT_EQUAL(h->spec.behavior.up.npolicies, 2);
    CU_ASSERT_EQUAL(h->spec.behavior.up.window_s, 0);
    CU_ASSERT_EQUAL(h->spec.behavior.down.window_s, 60);
    CU_ASSERT_EQUAL(h->spec.behavior.down.npolicies, 1);
    CU_ASSERT_EQUAL(h->spec.behavior.down.has_tolerance, 1);
    CU_ASSERT_DOUBLE_EQUAL(h->spec.behavior.down.tolerance, 0.05, 1e-12);
    scenario_cfg_free(&c);
    /* Without "name" the two HPAs are ambiguous. */
    snprintf(text, sizeof text,
             "{`duration`: 60, `service`: {`name`: `web`}, `load`: [{`type`: `poisson`, "
             "`rate`: 1}], `hpa`: {`manifest`: `%s`}}",
             path);
    char *json = cu_swap_quotes(text);
    sim_error err;
    CU_ASSERT_EQUAL(scenario_load_text(json, strlen(json), "s.json", NULL, &c, &err), -1);
    char want[1024];
    int line, col;
    cu_marker_pos(json, "`manifest`: ^`", &line, &col);
    snprintf(want, sizeof want,
             "s.json:%d:%d: hpa.manifest: \"%s\" has 2 HorizontalPodAutoscalers (a, b); say "
             "which with \"name\"",
             line, col, path);
    if (strcmp(err.msg, want) != 0)
        printf("\n  got:  %s\n  want: %s\n", err.msg, want);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
    free(json);
}

/* Defaults: the smallest HPA, and the controller section. */
static void test_defaults_and_controller(void) {
    scenario_cfg c;
    CU_ASSERT_EQUAL_FATAL(
        load_json(SCENARIO_HEAD("web") "`hpa`: {`spec`: {`scaleTargetRef`: {`kind`: "
                                       "`Deployment`, `name`: `web`}, `maxReplicas`: 5}}}",
                  &c, NULL),
        0);
    CU_ASSERT_STRING_EQUAL(c.hpa.name, "web");
    CU_ASSERT_STRING_EQUAL(c.hpa.namespace_name, "default");
    CU_ASSERT_EQUAL(c.hpa.spec.min_replicas, 1);
    CU_ASSERT_EQUAL_FATAL(c.hpa.spec.nmetrics, 1); /* cpu at 80% (v2 defaults.go) */
    CU_ASSERT_EQUAL(c.hpa.metrics[0].type, HPA_METRIC_RESOURCE);
    CU_ASSERT_STRING_EQUAL(c.hpa.metrics[0].name, "cpu");
    CU_ASSERT_EQUAL(c.hpa.metrics[0].target.average_utilization, 80);
    CU_ASSERT_EQUAL(c.hpa.spec.behavior.present, 0);
    scenario_cfg_free(&c);

    CU_ASSERT_EQUAL_FATAL(
        load_json(SCENARIO_HEAD("web") "`controller`: {`sync_period`: `30s`, `sync_phase`: 7.5, "
                                       "`tolerance`: 0.05, `downscale_stabilization`: `10m`, "
                                       "`cpu_initialization_period`: `3m`, "
                                       "`initial_readiness_delay`: 10, `feature_gates`: "
                                       "{`HPAScaleToZero`: true, `HPAConfigurableTolerance`: "
                                       "false, `PodLevelResources`: true}},\n"
                                       "`hpa`: {`spec`: {`scaleTargetRef`: {`kind`: "
                                       "`Deployment`, `name`: `web`}, `minReplicas`: 0, "
                                       "`maxReplicas`: 5, `metrics`: [{`type`: `External`, "
                                       "`external`: {`metric`: {`name`: `q`}, `target`: "
                                       "{`type`: `Value`, `value`: `100`}}}], `behavior`: "
                                       "{`scaleUp`: {`tolerance`: `0.5`}}}}}",
                  &c, NULL),
        0);
    CU_ASSERT_EQUAL(c.hpa.sync_period_us, 30000000);
    CU_ASSERT_EQUAL(c.hpa.sync_phase_us, 7500000);
    CU_ASSERT_DOUBLE_EQUAL(c.hpa.controller.tolerance.scale_up, 0.05, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(c.hpa.controller.tolerance.scale_down, 0.05, 1e-12);
    CU_ASSERT_EQUAL(c.hpa.controller.downscale_window_us, 600000000);
    CU_ASSERT_EQUAL(c.hpa.controller.cpu_init_period_us, 180000000);
    CU_ASSERT_EQUAL(c.hpa.controller.readiness_delay_us, 10000000);
    CU_ASSERT_EQUAL(c.hpa.controller.configurable_tolerance, 0);
    CU_ASSERT_EQUAL(c.hpa.controller.pod_level_requests, 1);
    CU_ASSERT_EQUAL(c.hpa.spec.min_replicas, 0); /* HPAScaleToZero on, External metric */
    CU_ASSERT_EQUAL(c.hpa.spec.behavior.up.has_tolerance, 0); /* dropped: gate off */
    scenario_cfg_free(&c);

    /* No hpa: controller defaults, present 0. */
    CU_ASSERT_EQUAL_FATAL(load_json(SCENARIO_HEAD("web") "`seed`: 1}", &c, NULL), 0);
    CU_ASSERT_EQUAL(c.hpa.present, 0);
    CU_ASSERT_EQUAL(c.hpa.sync_period_us, 15000000);
    CU_ASSERT_EQUAL(c.hpa.controller.configurable_tolerance, 1);
    scenario_cfg_free(&c);
}

/* ---- validation errors, inline JSON ---- */

static void expect(const char *json_bq, const char *marker, const char *rest_bq) {
    char *json = cu_swap_quotes(json_bq);
    char *rest = cu_swap_quotes(rest_bq);
    for (char *p = rest; *p; p++)
        if (*p == '@')
            *p = '`';
    int line, col;
    cu_marker_pos(json, marker, &line, &col);
    char want[2048];
    snprintf(want, sizeof want, "s.json:%d:%d: %s", line, col, rest);
    scenario_cfg cfg;
    sim_error err;
    int rc = scenario_load_text(json, strlen(json), "s.json", NULL, &cfg, &err);
    CU_ASSERT_EQUAL(rc, -1);
    if (rc == 0) {
        printf("\n  accepted: %s\n", json);
        scenario_cfg_free(&cfg);
    } else {
        if (strcmp(err.msg, want) != 0)
            printf("\n  input: %s\n  got:  %s\n  want: %s\n", json, err.msg, want);
        CU_ASSERT_STRING_EQUAL(err.msg, want);
        CU_ASSERT_PTR_NULL(cfg.hpa.metrics);
        CU_ASSERT_PTR_NULL(cfg.name);
    }
    free(json);
    free(rest);
}

#define HEAD      SCENARIO_HEAD("web")
#define REF       "`scaleTargetRef`: {`kind`: `Deployment`, `name`: `web`}"
#define SPEC(x)   HEAD "`hpa`: {`spec`: {" REF ", " x "}}}"
#define METRIC(x) SPEC("`maxReplicas`: 3, `metrics`: [" x "]")
#define RULES(x)  SPEC("`maxReplicas`: 3, `behavior`: {`scaleUp`: {" x "}}")

static void test_object_errors(void) {
    expect(HEAD "`hpa`: 3}", "3}",
           "hpa: expected an object (the HPA as @kubectl get hpa.v2.autoscaling NAME -o json@ "
           "prints it, or {`manifest`: `hpa.yaml`}), got the number 3");
    expect(HEAD "`hpa`: {`apiVersion`: `autoscaling/v1`, `spec`: {}}}", "`autoscaling/v1",
           "hpa.apiVersion: autoscaling/v1 has no metrics or behavior (kubectl get hpa prints "
           "v1 by default); use @kubectl get hpa.v2.autoscaling NAME -o json@");
    expect(HEAD "`hpa`: {`apiVersion`: `autoscaling/v2beta1`, `spec`: {}}}", "`autoscaling/v2b",
           "hpa.apiVersion: autoscaling/v2beta1 has an older metric shape; use @kubectl get "
           "hpa.v2.autoscaling NAME -o json@");
    expect(HEAD "`hpa`: {`apiVersion`: `apps/v1`, `spec`: {}}}", "`apps",
           "hpa.apiVersion: expected `autoscaling/v2` (or `autoscaling/v2beta2`), got "
           "`apps/v1`");
    expect(HEAD "`hpa`: {`kind`: `Deployment`, `spec`: {}}}", "`Deployment",
           "hpa.kind: expected `HorizontalPodAutoscaler`, got `Deployment`");
    expect(HEAD "`hpa`: {`kind`: `HorizontalPodAutoscaler`}}", "{`kind`: `Horiz",
           "hpa.spec: missing; the HPA's spec (scaleTargetRef, minReplicas, maxReplicas, "
           "metrics, behavior)");
    expect(HEAD "`hpa`: {`spec`: {" REF ", `maxReplicas`: 3}, `spek`: 1}}", "`spek",
           "hpa.spek: unknown key (did you mean `spec`?)");
    expect(HEAD "`hpa`: {`metadata`: {`name`: `Web_1`}, `spec`: {}}}", "`Web_1",
           "hpa.metadata.name: Invalid value: `Web_1`: a lowercase RFC 1123 subdomain must "
           "consist of lower case alphanumeric characters, '-' or '.', and must start and end "
           "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
           "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    expect(HEAD "`hpa`: {`metadata`: {`namespace`: `a.b`}, `spec`: {}}}", "`a.b",
           "hpa.metadata.namespace: Invalid value: `a.b`: a lowercase RFC 1123 label must "
           "consist of lower case alphanumeric characters or '-', and must start and end with "
           "an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation "
           "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    expect(HEAD "`hpa`: {`spec`: {`targetCPUUtilizationPercentage`: 50}}}", "`targetCPU",
           "hpa.spec.targetCPUUtilizationPercentage: a field of autoscaling/v1, which has no "
           "metrics or behavior; give the autoscaling/v2 object (kubectl get hpa.v2.autoscaling "
           "NAME -o json)");
    expect(HEAD "`hpa`: {`manifest`: `x.yaml`, `spec`: {}}}", "`spec",
           "hpa.spec: unknown key (expected one of: manifest, name)");
    expect(HEAD "`hpa`: {`manifest`: ``}}", "``", "hpa.manifest: expected a file name, got ``");
    expect(HEAD "`hpa`: {`manifest`: `/nonexistent/h.yaml`}}", "`/non",
           "hpa.manifest: cannot read `/nonexistent/h.yaml`: No such file or directory");
}

static void test_spec_errors(void) {
    /* min > max, max < 1, minReplicas 0 without the gate and without Object/External. */
    expect(SPEC("`minReplicas`: 5, `maxReplicas`: 3"), "`maxReplicas`: ^3",
           "hpa.spec.maxReplicas: Invalid value: 3: must be greater than or equal to "
           "@minReplicas@");
    expect(SPEC("`maxReplicas`: 0"), "`maxReplicas`: ^0",
           "hpa.spec.maxReplicas: Invalid value: 0: must be greater than 0");
    expect(SPEC("`minReplicas`: -1, `maxReplicas`: 3"), "-1",
           "hpa.spec.minReplicas: Invalid value: -1: must be greater than or equal to 1");
    expect(SPEC("`minReplicas`: 0, `maxReplicas`: 3"), "`minReplicas`: ^0",
           "hpa.spec.minReplicas: Invalid value: 0: must be greater than or equal to 1 "
           "(minReplicas 0 needs the HPAScaleToZero feature gate: "
           "controller.feature_gates.HPAScaleToZero)");
    expect(HEAD "`controller`: {`feature_gates`: {`HPAScaleToZero`: true}}, `hpa`: {`spec`: "
                "{" REF ", `minReplicas`: 0, `maxReplicas`: 3, `metrics`: [{`type`: `Resource`, "
                "`resource`: {`name`: `cpu`, `target`: {`type`: `Utilization`, "
                "`averageUtilization`: 50}}}]}}}",
           "[{`type`: `Resource`",
           "hpa.spec.metrics: Forbidden: must specify at least one Object or External metric "
           "to support scaling to zero replicas");
    expect(HEAD "`hpa`: {`spec`: {`maxReplicas`: 3}}}", "{`maxReplicas`: 3}",
           "hpa.spec.scaleTargetRef.kind: Required value");
    expect(SPEC("`minReplicas`: 1.5, `maxReplicas`: 3"), "1.5",
           "hpa.spec.minReplicas: expected an integer, got the number 1.5");
    expect(SPEC("`maxReplicas`: 3000000000"), "3000000000",
           "hpa.spec.maxReplicas: must be at most 2147483647, got 3000000000");
    expect(HEAD "`hpa`: {`spec`: {" REF "}}}", "{`scaleTargetRef`",
           "hpa.spec.maxReplicas: Required value: the upper limit of replicas");
    expect(HEAD "`hpa`: {`spec`: {`scaleTargetRef`: {`kind`: `Deployment`}, `maxReplicas`: 3}}}",
           "{`kind`: `Deployment`}", "hpa.spec.scaleTargetRef.name: Required value");
    expect(HEAD "`hpa`: {`spec`: {`scaleTargetRef`: {`kind`: `Deployment`, `name`: `a/b`}, "
                "`maxReplicas`: 3}}}",
           "`a/b", "hpa.spec.scaleTargetRef.name: Invalid value: `a/b`: may not contain '/'");
    expect(HEAD "`hpa`: {`spec`: {`scaleTargetRef`: {`kind`: `StatefulSet`, `name`: `web`}, "
                "`maxReplicas`: 3}}}",
           "`StatefulSet",
           "hpa.spec.scaleTargetRef.kind: the scenario's service is a Deployment, got "
           "`StatefulSet`");
    expect(HEAD "`hpa`: {`spec`: {`scaleTargetRef`: {`kind`: `Deployment`, `name`: `web`, "
                "`apiVersion`: `extensions/v1beta1`}, `maxReplicas`: 3}}}",
           "`extensions",
           "hpa.spec.scaleTargetRef.apiVersion: the scenario's service is an apps/v1 "
           "Deployment, got `extensions/v1beta1`");
    expect(HEAD "`hpa`: {`spec`: {`scaleTargetRef`: {`kind`: `Deployment`, `name`: `other`}, "
                "`maxReplicas`: 3}}}",
           "`other",
           "hpa.spec.scaleTargetRef.name: `other` is not the scenario's service `web` (the HPA "
           "scales the Deployment named by service.name)");
    expect(SPEC("`maxReplicas`: 3, `metricz`: []"), "`metricz",
           "hpa.spec.metricz: unknown key (did you mean `metrics`?)");
}

static void test_metric_errors(void) {
    expect(METRIC("{`type`: `CheddarCheese`, `resource`: {}}"), "`CheddarCheese",
           "hpa.spec.metrics[0].type: Unsupported value: `CheddarCheese`: supported values: "
           "`ContainerResource`, `External`, `Object`, `Pods`, `Resource`");
    expect(METRIC("{`resource`: {}}"), "{`resource`: {}}",
           "hpa.spec.metrics[0].type: Required value: must specify a metric source type");
    expect(METRIC("{`type`: `Pods`}"), "{`type`: `Pods`}",
           "hpa.spec.metrics[0].pods: Required value: must populate information for the given "
           "metric source");
    expect(METRIC("{`type`: `Pods`, `pods`: {`metric`: {`name`: `x`}, `target`: {`type`: "
                  "`AverageValue`, `averageValue`: 1}}, `resource`: {}}"),
           "`resource`: {}",
           "hpa.spec.metrics[0].resource: Forbidden: must populate the given metric source only");
    /* Missing target, missing target type, unknown target type. */
    expect(METRIC("{`type`: `Resource`, `resource`: {`name`: `cpu`}}"), "{`name`: `cpu`}",
           "hpa.spec.metrics[0].resource.target.type: Required value: must specify a metric "
           "target type");
    expect(METRIC("{`type`: `Resource`, `resource`: {`name`: `cpu`, `target`: "
                  "{`averageUtilization`: 50}}}"),
           "{`averageUtilization`",
           "hpa.spec.metrics[0].resource.target.type: Required value: must specify a metric "
           "target type");
    expect(METRIC("{`type`: `Resource`, `resource`: {`name`: `cpu`, `target`: {`type`: "
                  "`Percent`, `averageUtilization`: 50}}}"),
           "`Percent",
           "hpa.spec.metrics[0].resource.target.type: Invalid value: `Percent`: must be either "
           "Utilization, Value, or AverageValue");
    expect(METRIC("{`type`: `Resource`, `resource`: {`target`: {`type`: `Utilization`, "
                  "`averageUtilization`: 50}}}"),
           "{`target`",
           "hpa.spec.metrics[0].resource.name: Required value: must specify a resource name");
    expect(METRIC("{`type`: `Resource`, `resource`: {`name`: `cpu`, `target`: {`type`: "
                  "`Utilization`}}}"),
           "{`type`: `Utilization`}",
           "hpa.spec.metrics[0].resource.target.averageUtilization: Required value: must set "
           "either a target raw value or a target utilization");
    expect(METRIC("{`type`: `Resource`, `resource`: {`name`: `cpu`, `target`: {`type`: "
                  "`Utilization`, `averageUtilization`: 50, `averageValue`: `500m`}}}"),
           "`500m",
           "hpa.spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a "
           "target raw value and a target utilization");
    expect(METRIC("{`type`: `Resource`, `resource`: {`name`: `cpu`, `target`: {`type`: "
                  "`Utilization`, `averageUtilization`: 0}}}"),
           "0}",
           "hpa.spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be "
           "greater than 0");
    expect(METRIC("{`type`: `Resource`, `resource`: {`name`: `cpu`, `target`: {`type`: "
                  "`AverageValue`, `averageValue`: `-1`}}}"),
           "`-1",
           "hpa.spec.metrics[0].resource.target.averageValue: Invalid value: `-1`: must be "
           "positive");
    expect(METRIC("{`type`: `Resource`, `resource`: {`name`: `cpu`, `target`: {`type`: "
                  "`AverageValue`, `averageValue`: `lots`}}}"),
           "`lots",
           "hpa.spec.metrics[0].resource.target.averageValue: invalid quantity `lots` (expected "
           "a Kubernetes quantity such as `500m`, `2`, `200Mi` or `1Gi`)");
    /* Wrong target type for the source: Utilization on Pods has no averageValue. */
    expect(METRIC("{`type`: `Pods`, `pods`: {`metric`: {`name`: `x`}, `target`: {`type`: "
                  "`Utilization`, `averageUtilization`: 50}}}"),
           "{`type`: `Utilization`",
           "hpa.spec.metrics[0].pods.target.averageValue: Required value: must specify a "
           "positive target averageValue");
    expect(METRIC("{`type`: `Pods`, `pods`: {`target`: {`type`: `AverageValue`, "
                  "`averageValue`: 1}}}"),
           "{`target`",
           "hpa.spec.metrics[0].pods.metric.name: Required value: must specify a metric name");
    expect(METRIC("{`type`: `Pods`, `pods`: {`metric`: {`name`: `a%b`}, `target`: {`type`: "
                  "`AverageValue`, `averageValue`: 1}}}"),
           "`a%b",
           "hpa.spec.metrics[0].pods.metric.name: Invalid value: `a%b`: may not contain '%'");
    expect(METRIC("{`type`: `Object`, `object`: {`describedObject`: {`kind`: `Ingress`, "
                  "`name`: `r`}, `metric`: {`name`: `rps`}, `target`: {`type`: "
                  "`Utilization`, `averageUtilization`: 5}}}"),
           "{`type`: `Utilization`, `averageUtilization`: 5",
           "hpa.spec.metrics[0].object.target.averageValue: Required value: must set either a "
           "target value or averageValue");
    expect(METRIC("{`type`: `Object`, `object`: {`metric`: {`name`: `rps`}, `target`: "
                  "{`type`: `Value`, `value`: 1}}}"),
           "{`metric`", "hpa.spec.metrics[0].object.describedObject.kind: Required value");
    expect(METRIC("{`type`: `External`, `external`: {`metric`: {`name`: `q`}, `target`: "
                  "{`type`: `Value`}}}"),
           "{`type`: `Value`}",
           "hpa.spec.metrics[0].external.target.averageValue: Required value: must set either a "
           "target value for metric or a per-pod target");
    expect(METRIC("{`type`: `External`, `external`: {`metric`: {`name`: `q`}, `target`: "
                  "{`type`: `Value`, `value`: 1, `averageValue`: 2}}}"),
           "1,",
           "hpa.spec.metrics[0].external.target.value: Forbidden: may not set both a target "
           "value for metric and a per-pod target");
    expect(METRIC("{`type`: `External`, `external`: {`metric`: {`name`: `q`, `selector`: "
                  "{`matchLabels`: {`a`: 1}}}, `target`: {`type`: `Value`, `value`: 1}}}"),
           "1}}",
           "hpa.spec.metrics[0].external.metric.selector.matchLabels.a: expected a string, got "
           "the number 1");
    expect(METRIC("{`type`: `ContainerResource`, `containerResource`: {`name`: `cpu`, "
                  "`target`: {`type`: `Utilization`, `averageUtilization`: 5}}}"),
           "{`name`: `cpu`",
           "hpa.spec.metrics[0].containerResource.container: Required value: must specify a "
           "container");
    expect(METRIC("{`type`: `ContainerResource`, `containerResource`: {`name`: `gpu`, "
                  "`container`: `app`, `target`: {`type`: `Utilization`, "
                  "`averageUtilization`: 5}}}"),
           "`gpu",
           "hpa.spec.metrics[0].containerResource.name: Invalid value: `gpu`: must be a "
           "standard resource for containers");
    expect(METRIC("{`type`: `Resource`, `resource`: {`name`: `cpu`, `target`: {`type`: "
                  "`Utilization`, `averageUtilization`: 5}, `container`: `x`}}"),
           "`container",
           "hpa.spec.metrics[0].resource.container: unknown key (expected one of: name, target)");
}

static void test_behavior_errors(void) {
    expect(RULES("`policies`: [{`type`: `Pods`, `value`: 0, `periodSeconds`: 15}]"), "`value`: ^0",
           "hpa.spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than "
           "zero");
    expect(RULES("`policies`: [{`type`: `Pods`, `value`: -2, `periodSeconds`: 15}]"), "-2",
           "hpa.spec.behavior.scaleUp.policies[0].value: Invalid value: -2: must be greater than "
           "zero");
    expect(RULES("`policies`: [{`type`: `Pods`, `value`: 1, `periodSeconds`: 0}]"),
           "`periodSeconds`: ^0",
           "hpa.spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 0: must be "
           "greater than zero");
    expect(RULES("`policies`: [{`type`: `Pods`, `value`: 1, `periodSeconds`: 1801}]"), "1801",
           "hpa.spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 1801: must be "
           "less than or equal to 1800");
    expect(RULES("`policies`: [{`type`: `Replicas`, `value`: 1, `periodSeconds`: 1}]"), "`Replicas",
           "hpa.spec.behavior.scaleUp.policies[0].type: Unsupported value: `Replicas`: "
           "supported values: `Percent`, `Pods`");
    expect(RULES("`policies`: []"), "[]",
           "hpa.spec.behavior.scaleUp.policies: Required value: must specify at least one "
           "Policy");
    expect(RULES("`stabilizationWindowSeconds`: -1"), "-1",
           "hpa.spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: -1: must be "
           "greater than or equal to zero");
    expect(RULES("`stabilizationWindowSeconds`: 3601"), "3601",
           "hpa.spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be "
           "less than or equal to 3600");
    expect(RULES("`selectPolicy`: `Maximum`"), "`Maximum",
           "hpa.spec.behavior.scaleUp.selectPolicy: Unsupported value: `Maximum`: supported "
           "values: `Disabled`, `Max`, `Min`");
    expect(RULES("`tolerance`: `-50m`"), "`-50m",
           "hpa.spec.behavior.scaleUp.tolerance: Invalid value: `-50m`: must be greater than or "
           "equal to 0");
    expect(RULES("`tolerance`: -0.1"), "-0.1",
           "hpa.spec.behavior.scaleUp.tolerance: Invalid value: `-0.1`: must be greater than or "
           "equal to 0");
    expect(SPEC("`maxReplicas`: 3, `behavior`: {`scaleup`: {}}"), "`scaleup",
           "hpa.spec.behavior.scaleup: unknown key (did you mean `scaleUp`?)");
}

static void test_controller_errors(void) {
    expect(HEAD "`controller`: {`sync_period`: 0}}", "`sync_period`: ^0",
           "controller.sync_period: must be greater than 0s, got 0s");
    expect(HEAD "`controller`: {`sync_period`: `10s`, `sync_phase`: `10s`}}", "`10s`}",
           "controller.sync_phase: must be less than sync_period (10s), got 10s");
    expect(HEAD "`controller`: {`tolerance`: -0.1}}", "-0.1",
           "controller.tolerance: must be at least 0, got -0.1");
    expect(HEAD "`controller`: {`downscale_stabilization`: `-1m`}}", "`-1m",
           "controller.downscale_stabilization: must not be negative, got -1m");
    expect(HEAD "`controller`: {`feature_gates`: {`HPAScaleToZero`: 1}}}", "`HPAScaleToZero`: ^1",
           "controller.feature_gates.HPAScaleToZero: expected true or false, got the number 1");
    expect(HEAD "`controller`: {`feature_gates`: {`HPAScaleToZer`: true}}}", "`HPAScaleToZer",
           "controller.feature_gates.HPAScaleToZer: unknown key (did you mean "
           "`HPAScaleToZero`?)");
    expect(HEAD "`controller`: {`sync-period`: 1}}", "`sync-period",
           "controller.sync-period: unknown key (did you mean `sync_period`?)");
}

/* ---- validation errors, YAML manifests: the message names the YAML file and its position ---- */

static const char *yaml_base = "apiVersion: autoscaling/v2\n"
                               "kind: HorizontalPodAutoscaler\n"
                               "metadata:\n"
                               "  name: web\n"
                               "spec:\n"
                               "  scaleTargetRef:\n"
                               "    apiVersion: apps/v1\n"
                               "    kind: Deployment\n"
                               "    name: web\n";

/* yaml: the spec lines after scaleTargetRef; marker as in expect(). */
static void expect_yaml(const char *yaml_tail, const char *marker, const char *rest) {
    char yaml[4096];
    snprintf(yaml, sizeof yaml, "%s%s", yaml_base, yaml_tail);
    const char *path = cu_write_temp(".yaml", yaml);
    CU_ASSERT_PTR_NOT_NULL_FATAL(path);
    int line, col;
    cu_marker_pos(yaml, marker, &line, &col);
    char want[2048], json[1024];
    snprintf(want, sizeof want, "%s:%d:%d: %s", path, line, col, rest);
    snprintf(json, sizeof json,
             "{\"duration\": 60, \"service\": {\"name\": \"web\"}, \"load\": [{\"type\": "
             "\"poisson\", \"rate\": 1}], \"hpa\": {\"manifest\": \"%s\"}}",
             path);
    scenario_cfg cfg;
    sim_error err;
    int rc = scenario_load_text(json, strlen(json), "s.json", NULL, &cfg, &err);
    CU_ASSERT_EQUAL(rc, -1);
    if (rc == 0) {
        printf("\n  accepted: %s\n", yaml);
        scenario_cfg_free(&cfg);
        return;
    }
    if (strcmp(err.msg, want) != 0)
        printf("\n  yaml:\n%s\n  got:  %s\n  want: %s\n", yaml, err.msg, want);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
    CU_ASSERT_PTR_NULL(cfg.hpa.metrics);
}

static void test_yaml_errors(void) {
    expect_yaml("  minReplicas: 5\n  maxReplicas: 3\n", "3\n",
                "spec.maxReplicas: Invalid value: 3: must be greater than or equal to "
                "`minReplicas`");
    expect_yaml("  maxReplicas: 0\n", "0\n",
                "spec.maxReplicas: Invalid value: 0: must be greater than 0");
    expect_yaml("  maxReplicas: 3\n  metrics:\n  - type: CheddarCheese\n", "CheddarCheese",
                "spec.metrics[0].type: Unsupported value: \"CheddarCheese\": supported values: "
                "\"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"");
    expect_yaml("  maxReplicas: 3\n  metrics:\n  - type: Resource\n    resource:\n      name: "
                "cpu\n",
                "name: cpu",
                "spec.metrics[0].resource.target.type: Required value: must specify a metric "
                "target type");
    expect_yaml("  maxReplicas: 3\n  metrics:\n  - type: Pods\n    pods:\n      metric: {name: "
                "x}\n      target:\n        type: Utilization\n        averageUtilization: 50\n",
                "type: Utilization",
                "spec.metrics[0].pods.target.averageValue: Required value: must specify a "
                "positive target averageValue");
    expect_yaml("  maxReplicas: 3\n  behavior:\n    scaleDown:\n      policies:\n      - type: "
                "Pods\n        value: 1\n        periodSeconds: 4000\n",
                "4000",
                "spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 4000: must "
                "be less than or equal to 1800");
    expect_yaml("  maxReplicas: 3\n  behavior:\n    scaleDown:\n      policies: []\n", "[]",
                "spec.behavior.scaleDown.policies: Required value: must specify at least one "
                "Policy");
    expect_yaml("  maxReplicas: 3\n  behavior:\n    scaleDown:\n      selectPolicy: max\n", "max\n",
                "spec.behavior.scaleDown.selectPolicy: Unsupported value: \"max\": supported "
                "values: \"Disabled\", \"Max\", \"Min\"");
    expect_yaml("  maxReplicas: 3\n  behavior:\n    scaleUp:\n      tolerance: -1\n", "-1",
                "spec.behavior.scaleUp.tolerance: Invalid value: \"-1\": must be greater than or "
                "equal to 0");
    expect_yaml("  maxReplicas: 3\n  maxReplicas: 4\n", "maxReplicas: 4",
                "spec.maxReplicas: duplicate key (first given at line 10, column 3)");
    expect_yaml("  maxReplicas: three\n", "three",
                "spec.maxReplicas: expected an integer, got the string \"three\"");
    expect_yaml("  maxReplicas: 3\n  metrics: [\n", "[\n^",
                "invalid YAML: did not find expected node content (while parsing a flow node "
                "that starts at line 12, column 1)");
    /* Syntax errors carry "invalid YAML" and the libyaml problem; the position is libyaml's. */
    expect_yaml("  maxReplicas: 3\n bad: 1\n", " ^bad",
                "invalid YAML: did not find expected key (while parsing a block mapping that "
                "starts at line 1, column 1)");
}

/* Loads a scenario whose hpa reads the manifest `yaml` (extra: more keys of "hpa"); returns the
 * error message (static) or NULL when it loaded; *path gets the manifest's path. */
static const char *manifest_error(const char *suffix, const char *yaml, const char *extra,
                                  const char **path, char *json, size_t size) {
    static sim_error err;
    *path = cu_write_temp(suffix, yaml);
    CU_ASSERT_PTR_NOT_NULL_FATAL(*path);
    snprintf(json, size,
             "{\"duration\": 60, \"service\": {\"name\": \"web\"}, \"load\": [{\"type\": "
             "\"poisson\", \"rate\": 1}], \"hpa\": {\"manifest\": \"%s\"%s}}",
             *path, extra);
    scenario_cfg cfg;
    if (scenario_load_text(json, strlen(json), "s.json", NULL, &cfg, &err) == 0) {
        scenario_cfg_free(&cfg);
        return NULL;
    }
    CU_ASSERT_PTR_NULL(cfg.hpa.metrics);
    return err.msg;
}

static void expect_msg(const char *got, const char *want) {
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    if (strcmp(got, want) != 0)
        printf("\n  got:  %s\n  want: %s\n", got, want);
    CU_ASSERT_STRING_EQUAL(got, want);
}

/* The manifest-level and limit errors documented in docs/scenario.md. */
static void test_manifest_errors(void) {
    const char *path;
    char json[1024], want[2048];
    int line, col;
    const char *got = manifest_error(".yaml",
                                     "apiVersion: apps/v1\nkind: Deployment\n---\n"
                                     "apiVersion: v1\nkind: Service\n",
                                     "", &path, json, sizeof json);
    cu_marker_pos(json, "`manifest`: ^`", &line, &col);
    snprintf(want, sizeof want,
             "s.json:%d:%d: hpa.manifest: \"%s\" has no HorizontalPodAutoscaler (its documents "
             "are of kind Deployment, Service)",
             line, col, path);
    expect_msg(got, want);
    got = manifest_error(".yaml", yaml_base, ", \"name\": \"nope\"", &path, json, sizeof json);
    cu_marker_pos(json, "`name`: ^`nope", &line, &col);
    snprintf(want, sizeof want,
             "s.json:%d:%d: hpa.name: no HorizontalPodAutoscaler named \"nope\" in \"%s\" (it "
             "has: web)",
             line, col, path);
    expect_msg(got, want);
    /* A JSON manifest gets the JSON syntax messages. */
    got = manifest_error(".json", "{\"spec\": {,}}", "", &path, json, sizeof json);
    snprintf(want, sizeof want, "%s:1:11: invalid JSON: expected a key in double quotes, got ','",
             path);
    expect_msg(got, want);
    /* YAML: a mapping as a key, a recursive alias, an exponential alias, columns in
     * characters. */
    got = manifest_error(".yaml", "kind: HorizontalPodAutoscaler\n? {a: 1}\n: 2\n", "", &path, json,
                         sizeof json);
    snprintf(want, sizeof want,
             "%s:2:3: invalid YAML: a mapping key must be a plain string, not a mapping", path);
    expect_msg(got, want);
    got = manifest_error(".yaml", "kind: HorizontalPodAutoscaler\nspec: &a [*a]\n", "", &path, json,
                         sizeof json);
    snprintf(want, sizeof want,
             "%s:2:7: invalid YAML: nesting deeper than 64 levels (or a recursive alias)", path);
    expect_msg(got, want);
    char bomb[2048] = "kind: HorizontalPodAutoscaler\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 7; i++) {
        size_t n = strlen(bomb);
        snprintf(bomb + n, sizeof bomb - n, "a%d: &a%d [", i, i);
        for (int k = 0; k < 10; k++) {
            n = strlen(bomb);
            snprintf(bomb + n, sizeof bomb - n, "%s*a%d", k ? ", " : "", i - 1);
        }
        strcat(bomb, "]\n");
    }
    got = manifest_error(".yaml", bomb, "", &path, json, sizeof json);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_PTR_NOT_NULL(strstr(got, "invalid YAML: more than 1000000 values (after expanding "
                                       "aliases)"));
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "%s  maxReplicas: 3\n  metrics:\n  - {type: Pods, pods: {metric: {name: «é»}, "
             "target: {type: AverageValue, averageValue: -5}}}\n",
             yaml_base);
    got = manifest_error(".yaml", yaml, "", &path, json, sizeof json);
    cu_marker_pos(yaml, "averageValue: ^-5", &line, &col);
    const char *hit = strstr(yaml, "averageValue: -5") + strlen("averageValue: ");
    const char *bol = hit;
    while (bol > yaml && bol[-1] != '\n')
        bol--;
    CU_ASSERT_EQUAL(col, (int)(hit - bol) + 1 - 3); /* «é» is 3 characters in 6 bytes */
    snprintf(want, sizeof want,
             "%s:%d:%d: spec.metrics[0].pods.target.averageValue: Invalid value: \"-5\": must "
             "be positive",
             path, line, col);
    expect_msg(got, want);
}

static void test_limit_errors(void) {
    char json[8192];
    char metrics[6000] = "";
    for (int i = 0; i < 17; i++) {
        size_t n = strlen(metrics);
        snprintf(metrics + n, sizeof metrics - n,
                 "%s{`type`: `Resource`, `resource`: {`name`: `cpu`, `target`: {`type`: "
                 "`Utilization`, `averageUtilization`: 50}}}",
                 i ? ", " : "");
    }
    snprintf(json, sizeof json, METRIC("%s"), metrics);
    expect(json, "`metrics`: ^[", "hpa.spec.metrics: more than 16 metrics (scalesim's limit)");
    char pols[4096] = "";
    for (int i = 0; i < 17; i++) {
        size_t n = strlen(pols);
        snprintf(pols + n, sizeof pols - n, "%s{`type`: `Pods`, `value`: 1, `periodSeconds`: 15}",
                 i ? ", " : "");
    }
    snprintf(json, sizeof json, RULES("`policies`: [%s]"), pols);
    expect(json, "[{`type`: `Pods`",
           "hpa.spec.behavior.scaleUp.policies: more than 16 policies (scalesim's limit)");
    expect(HEAD "`hpa`: {`metadata`: {`name`: "
                "`a234567890123456789012345678901234567890123456789012345678901234`}, `spec`: "
                "{}}}",
           "`a2345", "hpa.metadata.name: names longer than 63 characters are not supported");
    expect(HEAD "`hpa`: {`spec`: []}}", "[]}", "hpa.spec: expected an object, got an array");
    expect(METRIC("{`type`: `Pods`, `pods`: {`metric`: {`name`: `x`}, `target`: {`type`: "
                  "`AverageValue`, `averageValue`: true}}}"),
           "true",
           "hpa.spec.metrics[0].pods.target.averageValue: expected a quantity (a string such as "
           "`500m` or `50`, or a number), got true");
    expect(METRIC("{`type`: `ContainerResource`, `containerResource`: {`name`: `cpu`, "
                  "`container`: `App`, `target`: {`type`: `Utilization`, "
                  "`averageUtilization`: 5}}}"),
           "`App",
           "hpa.spec.metrics[0].containerResource.container: Invalid value: `App`: a lowercase "
           "RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
           "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
           "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    expect(METRIC("{`type`: `Object`, `object`: {`describedObject`: {`kind`: `Ingress`}, "
                  "`metric`: {`name`: `rps`}, `target`: {`type`: `Value`, `value`: 1}}}"),
           "{`kind`: `Ingress`}",
           "hpa.spec.metrics[0].object.describedObject.name: Required value");
    expect(HEAD "`controller`: {`tolerance`: 11}}", "11",
           "controller.tolerance: must be at most 10, got 11");
}

/* ---- fuzz: damaged hpa sections and manifests ---- */

static long loads, failures;

static int well_formed(const char *msg, const char *file, size_t len, const char *text) {
    size_t n = strlen(file);
    int line = 0, col = 0, k = 0;
    if (strncmp(msg, file, n) != 0 || msg[n] != ':')
        return 0;
    if (sscanf(msg + n, ":%d:%d: %n", &line, &col, &k) != 2 || k == 0)
        return 0;
    int lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'));
    return line >= 1 && line <= lines && col >= 1 && (size_t)col <= len + 1;
}

static void check_json(const char *text, size_t len) {
    scenario_cfg cfg;
    sim_error err;
    loads++;
    if (scenario_load_text(text, len, "s.json", NULL, &cfg, &err) == 0) {
        scenario_cfg_free(&cfg);
        return;
    }
    failures++;
    if (!well_formed(err.msg, "s.json", len, text) || cfg.hpa.metrics != NULL) {
        printf("\n  bad outcome for: %.*s\n  message: %s\n", (int)len, text, err.msg);
        CU_FAIL("badly formed error");
    }
}

static void mutate_json(const char *text) {
    size_t len = strlen(text);
    char *buf = malloc(len + 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    for (size_t cut = 0; cut <= len; cut++) {
        memcpy(buf, text, cut);
        check_json(buf, cut);
    }
    for (size_t i = 0; i < len; i++) {
        memcpy(buf, text, i);
        memcpy(buf + i, text + i + 1, len - i - 1);
        check_json(buf, len - 1);
    }
    static const char repl[] = {'"', '{', ']', ',', '0', '-', '\\', '\0'};
    for (size_t i = 0; i < len; i++)
        for (size_t k = 0; k < sizeof repl; k++) {
            memcpy(buf, text, len);
            buf[i] = repl[k];
            check_json(buf, len);
        }
    free(buf);
}

static void test_fuzz_json(void) {
    char *s = cu_swap_quotes(sklearn_json), *q = cu_swap_quotes(qwen_json);
    mutate_json(s);
    mutate_json(q);
    free(s);
    free(q);
    printf("(%ld loads, %ld rejected) ", loads, failures);
    CU_ASSERT(failures > loads / 2);
}

/* The YAML manifest damaged the same ways, through a file the scenario names. */
static void check_yaml(const char *path, const char *text, size_t len) {
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fwrite(text, 1, len, f);
    fclose(f);
    char json[1024];
    snprintf(json, sizeof json,
             "{\"duration\": 60, \"service\": {\"name\": \"sklearn-iris-predictor\"}, \"load\": "
             "[{\"type\": \"poisson\", \"rate\": 1}], \"hpa\": {\"manifest\": \"%s\"}}",
             path);
    scenario_cfg cfg;
    sim_error err;
    loads++;
    if (scenario_load_text(json, strlen(json), "s.json", NULL, &cfg, &err) == 0) {
        scenario_cfg_free(&cfg);
        return;
    }
    failures++;
    /* Either inside the manifest, or at the scenario's "manifest" (no HPA in the file). */
    if (!well_formed(err.msg, path, len, text) &&
        !well_formed(err.msg, "s.json", strlen(json), json)) {
        printf("\n  bad outcome for:\n%.*s\n  message: %s\n", (int)len, text, err.msg);
        CU_FAIL("badly formed error");
    }
}

static void test_fuzz_yaml(void) {
    FILE *fp = fopen(cu_src_path("scenarios/manifests/sklearn-iris-hpa.yaml"), "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    static char text[1 << 14];
    size_t len = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    const char *path = cu_write_temp(".yaml", "");
    CU_ASSERT_PTR_NOT_NULL_FATAL(path);
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", path);
    static char buf[1 << 14];
    long before = failures;
    for (size_t cut = 0; cut <= len; cut += 4)
        check_yaml(tmp, text, cut);
    for (size_t i = 0; i < len; i += 3) {
        memcpy(buf, text, i);
        memcpy(buf + i, text + i + 1, len - i - 1);
        check_yaml(tmp, buf, len - 1);
    }
    static const char repl[] = {':', '-', '[', '{', ' ', '\n', '&', '*', '"', '\0', '\t'};
    for (size_t i = 0; i < len; i += 5)
        for (size_t k = 0; k < sizeof repl; k++) {
            memcpy(buf, text, len);
            buf[i] = repl[k];
            check_yaml(tmp, buf, len);
        }
    /* Aliases: a recursive one and an exponential one are refused, not followed. */
    const char *bombs[] = {"a: &a [*a]\n", "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                                           "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                                           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                                           "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                                           "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                                           "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"};
    for (int i = 0; i < 2; i++)
        check_yaml(tmp, bombs[i], strlen(bombs[i]));
    remove(tmp);
    printf("(%ld rejected) ", failures - before);
    CU_ASSERT(failures > before);
}

int main(void) {
    static const cu_test tests[] = {
        {"sklearn_kubectl_json", test_sklearn_kubectl_json},
        {"qwen_kubectl_json", test_qwen_kubectl_json},
        {"yaml_manifests_identical", test_yaml_manifests_identical},
        {"json_manifest_and_v2beta2", test_json_manifest_and_v2beta2},
        {"multi_document", test_multi_document},
        {"defaults_and_controller", test_defaults_and_controller},
        {"object_errors", test_object_errors},
        {"spec_errors", test_spec_errors},
        {"metric_errors", test_metric_errors},
        {"behavior_errors", test_behavior_errors},
        {"controller_errors", test_controller_errors},
        {"yaml_errors", test_yaml_errors},
        {"manifest_errors", test_manifest_errors},
        {"limit_errors", test_limit_errors},
        {"fuzz_json", test_fuzz_json},
        {"fuzz_yaml", test_fuzz_yaml},
        {NULL, NULL},
    };
    cu_add_suite("scenario_hpa", tests);
    return cu_run_all();
}
