/* test_loadgen_kubectl.c: reading the HPA object `kubectl get hpa NAME -o json` prints, in the
 * versions a server may prefer (lg_hpa_parse, loadgen/lg_kubectl.h).
 *
 * None of these objects is recorded from a real cluster (none is reachable from here): each is
 * written by hand in the shape of the upstream types named in lg_kubectl.c. The v2 one is the
 * file the --watch-hpa test's stand-in kubectl serves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu.h"
#include "loadgen/lg_kubectl.h"

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = malloc(1 << 16);
    size_t n = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = 0;
    return buf;
}

static void parse_ok(const char *json_backquoted, lg_hpa_sample *out) {
    char *json = cu_swap_quotes(json_backquoted);
    sim_error err = {0};
    CU_ASSERT_EQUAL(lg_hpa_parse(json, out, &err), 0);
    if (err.msg[0])
        printf("\n  unexpected error: %s\n", err.msg);
    free(json);
}

static void v2_object(void) {
    char *json = read_text(cu_src_path("tests/cli/loadgen_hpa.json"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(json);
    lg_hpa_sample s;
    sim_error err = {0};
    CU_ASSERT_EQUAL(lg_hpa_parse(json, &s, &err), 0);
    CU_ASSERT_STRING_EQUAL(s.desired, "10");
    CU_ASSERT_STRING_EQUAL(s.current, "10");
    CU_ASSERT_STRING_EQUAL(s.metrics, "cpu=58%");
    CU_ASSERT_STRING_EQUAL(s.conditions, "AbleToScale=True;ScalingActive=True;ScalingLimited=True");
    free(json);
}

/* autoscaling/v1 as a server that stores v2 prints it: the CPU utilization in the status, every
 * current metric (the CPU one too, with its raw value) and the conditions in annotations. */
static void v1_with_annotations(void) {
    lg_hpa_sample s;
    parse_ok(
        "{`apiVersion`: `autoscaling/v1`, `kind`: `HorizontalPodAutoscaler`,"
        " `metadata`: {`name`: `web`, `annotations`: {"
        "  `autoscaling.alpha.kubernetes.io/conditions`: `[{\\`type\\`:\\`AbleToScale\\`,"
        "\\`status\\`:\\`True\\`,\\`reason\\`:\\`ReadyForNewScale\\`},{\\`type\\`:"
        "\\`ScalingActive\\`,\\`status\\`:\\`False\\`,\\`reason\\`:\\`FailedGetPodsMetric\\`}]`,"
        "  `autoscaling.alpha.kubernetes.io/current-metrics`: `[{\\`type\\`:\\`Resource\\`,"
        "\\`resource\\`:{\\`name\\`:\\`cpu\\`,\\`currentAverageUtilization\\`:72,"
        "\\`currentAverageValue\\`:\\`144m\\`}},{\\`type\\`:\\`Pods\\`,\\`pods\\`:"
        "{\\`metricName\\`:\\`qps\\`,\\`currentAverageValue\\`:\\`12500m\\`}},{\\`type\\`:"
        "\\`External\\`,\\`external\\`:{\\`metricName\\`:\\`queue\\`,\\`currentValue\\`:\\`30\\`}}]"
        "`"
        " }},"
        " `spec`: {`maxReplicas`: 8, `targetCPUUtilizationPercentage`: 50},"
        " `status`: {`currentReplicas`: 3, `desiredReplicas`: 5,"
        "  `currentCPUUtilizationPercentage`: 72}}",
        &s);
    CU_ASSERT_STRING_EQUAL(s.desired, "5");
    CU_ASSERT_STRING_EQUAL(s.current, "3");
    CU_ASSERT_STRING_EQUAL(s.metrics, "cpu=72%;qps=12500m;queue=30");
    CU_ASSERT_STRING_EQUAL(s.conditions, "AbleToScale=True;ScalingActive=False");
}

/* v1 before the controller wrote annotations (or an old server): the CPU figure alone. */
static void v1_cpu_only(void) {
    lg_hpa_sample s;
    parse_ok("{`apiVersion`: `autoscaling/v1`, `kind`: `HorizontalPodAutoscaler`,"
             " `metadata`: {`name`: `web`},"
             " `status`: {`currentReplicas`: 2, `desiredReplicas`: 2,"
             "  `currentCPUUtilizationPercentage`: 31}}",
             &s);
    CU_ASSERT_STRING_EQUAL(s.metrics, "cpu=31%");
    CU_ASSERT_STRING_EQUAL(s.conditions, "");
}

/* v2beta1: the flat MetricStatus in status.currentMetrics; an Object metric's averageValue. */
static void v2beta1_flat_status(void) {
    lg_hpa_sample s;
    parse_ok(
        "{`apiVersion`: `autoscaling/v2beta1`, `kind`: `HorizontalPodAutoscaler`,"
        " `status`: {`currentReplicas`: 4, `desiredReplicas`: 6, `currentMetrics`: ["
        "  {`type`: `Resource`, `resource`: {`name`: `memory`, `currentAverageValue`: `900Mi`}},"
        "  {`type`: `Object`, `object`: {`metricName`: `rps`, `currentValue`: `0`,"
        "   `averageValue`: `250`, `target`: {`kind`: `Service`, `name`: `web`}}}],"
        "  `conditions`: [{`type`: `AbleToScale`, `status`: `True`}]}}",
        &s);
    /* an Object metric with both values: averageValue first, as for v2 */
    CU_ASSERT_STRING_EQUAL(s.metrics, "memory=900Mi;rps=250");
    CU_ASSERT_STRING_EQUAL(s.conditions, "AbleToScale=True");
}

/* An annotation that is not a JSON array is an error naming it, not a silent empty cell. */
static void v1_bad_annotation(void) {
    char *json = cu_swap_quotes(
        "{`apiVersion`: `autoscaling/v1`, `kind`: `HorizontalPodAutoscaler`,"
        " `metadata`: {`annotations`: {`autoscaling.alpha.kubernetes.io/current-metrics`: `{x`}},"
        " `status`: {`currentReplicas`: 1, `desiredReplicas`: 1}}");
    lg_hpa_sample s;
    sim_error err = {0};
    CU_ASSERT_EQUAL(lg_hpa_parse(json, &s, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg,
                           "kubectl: metadata.annotations[\"autoscaling.alpha.kubernetes.io/"
                           "current-metrics\"]: expected a JSON array");
    free(json);
}

static void not_an_hpa(void) {
    lg_hpa_sample s;
    sim_error err = {0};
    CU_ASSERT_EQUAL(lg_hpa_parse("{\"kind\": \"Deployment\"}", &s, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "kubectl: expected a HorizontalPodAutoscaler, got Deployment");
    CU_ASSERT_EQUAL(lg_hpa_parse("Error from server (NotFound)", &s, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "kubectl: output is not JSON");
}

int main(void) {
    static const cu_test tests[] = {{"v2 object (the --watch-hpa fixture)", v2_object},
                                    {"v1 with annotations", v1_with_annotations},
                                    {"v1 CPU only", v1_cpu_only},
                                    {"v2beta1 flat status", v2beta1_flat_status},
                                    {"v1 bad annotation", v1_bad_annotation},
                                    {"not an HPA", not_an_hpa},
                                    {NULL, NULL}};
    cu_add_suite("loadgen kubectl", tests);
    return cu_run_all();
}
