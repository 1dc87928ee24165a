/* lg_kubectl.c: running kubectl and reading the HPA object it prints (lg_kubectl.h).
 * Field names: kubernetes/api autoscaling/v2/types.go (v0.29) for v2 and v2beta2 (a metric's
 * value under `current`); autoscaling/v1/types.go and v2beta1/types.go for the older flat
 * MetricStatus (currentAverageUtilization, currentAverageValue, currentValue, averageValue,
 * metricName). An autoscaling/v1 object carries its metrics and conditions in annotations,
 * as JSON text (kubernetes/kubernetes pkg/apis/autoscaling/v1/conversion.go and
 * pkg/apis/autoscaling/annotations.go, v1.29: MetricStatusesAnnotation,
 * HorizontalPodAutoscalerConditionsAnnotation), and the CPU utilization alone in
 * status.currentCPUUtilizationPercentage. */
#include "loadgen/lg_kubectl.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_OUT (4 << 20)

static void add(char *cell, const char *text) {
    size_t n = strlen(cell);
    snprintf(cell + n, LG_HPA_CELL - n, "%s%s", n ? ";" : "", text);
}

static const char *str(const cJSON *o, const char *k) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* One MetricStatus: "name=value". */
static void metric(const cJSON *m, char *cell) {
    const char *type = str(m, "type");
    if (type == NULL)
        return;
    static const struct {
        const char *type, *field;
    } kinds[] = {{"Resource", "resource"},
                 {"ContainerResource", "containerResource"},
                 {"Pods", "pods"},
                 {"Object", "object"},
                 {"External", "external"}};
    const cJSON *src = NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(type, kinds[i].type) == 0)
            src = cJSON_GetObjectItemCaseSensitive(m, kinds[i].field);
    if (src == NULL)
        return;
    const char *name = str(src, "name"); /* Resource, ContainerResource */
    if (name == NULL)
        name = str(cJSON_GetObjectItemCaseSensitive(src, "metric"), "name");
    if (name == NULL)
        name = str(src, "metricName"); /* v1 and v2beta1 */
    const cJSON *cur = cJSON_GetObjectItemCaseSensitive(src, "current");
    char text[256];
    const cJSON *util = cJSON_GetObjectItemCaseSensitive(cur, "averageUtilization");
    const char *avg = str(cur, "averageValue"), *val = str(cur, "value");
    if (cur == NULL) { /* v1 and v2beta1: the values sit beside the name */
        util = cJSON_GetObjectItemCaseSensitive(src, "currentAverageUtilization");
        avg = str(src, "currentAverageValue");
        if (avg == NULL)
            avg = str(src, "averageValue"); /* an Object metric's */
        val = str(src, "currentValue");
    }
    if (cJSON_IsNumber(util))
        snprintf(text, sizeof text, "%s=%d%%", name ? name : type, util->valueint);
    else
        snprintf(text, sizeof text, "%s=%s", name ? name : type,
                 avg   ? avg
                 : val ? val
                       : "<unknown>");
    add(cell, text);
}

#define ANNOTATION_METRICS    "autoscaling.alpha.kubernetes.io/current-metrics"
#define ANNOTATION_CONDITIONS "autoscaling.alpha.kubernetes.io/conditions"

/* The JSON array held as text in annotation `key`: *out stays NULL when there is none; text
 * that is not a JSON array is an error naming the annotation. */
static int annotation(const cJSON *notes, const char *key, cJSON **out, sim_error *err) {
    *out = NULL;
    const char *text = str(notes, key);
    if (text == NULL)
        return 0;
    *out = cJSON_Parse(text);
    if (!cJSON_IsArray(*out)) {
        cJSON_Delete(*out);
        *out = NULL;
        return error_set(err, "kubectl: metadata.annotations[\"%s\"]: expected a JSON array", key);
    }
    return 0;
}

int lg_hpa_parse(const char *json, lg_hpa_sample *out, sim_error *err) {
    memset(out, 0, sizeof *out);
    cJSON *root = cJSON_Parse(json);
    if (root == NULL)
        return error_set(err, "kubectl: output is not JSON");
    const char *kind = str(root, "kind");
    if (kind == NULL || strcmp(kind, "HorizontalPodAutoscaler") != 0) {
        /* the message first: kind points into root */
        error_set(err, "kubectl: expected a HorizontalPodAutoscaler, got %s",
                  kind ? kind : "no kind");
        cJSON_Delete(root);
        return -1;
    }
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "status");
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(st, "desiredReplicas");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(st, "currentReplicas");
    if (cJSON_IsNumber(d))
        snprintf(out->desired, sizeof out->desired, "%d", d->valueint);
    if (cJSON_IsNumber(c))
        snprintf(out->current, sizeof out->current, "%d", c->valueint);
    /* autoscaling/v1: the v2 status lives in annotations (JSON text) */
    const cJSON *notes = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(root, "metadata"), "annotations");
    cJSON *metrics_v1 = NULL, *conditions_v1 = NULL;
    if (annotation(notes, ANNOTATION_METRICS, &metrics_v1, err) < 0 ||
        annotation(notes, ANNOTATION_CONDITIONS, &conditions_v1, err) < 0) {
        cJSON_Delete(metrics_v1);
        cJSON_Delete(root);
        return -1;
    }
    const cJSON *metrics = cJSON_GetObjectItemCaseSensitive(st, "currentMetrics");
    const cJSON *conditions = cJSON_GetObjectItemCaseSensitive(st, "conditions");
    if (metrics == NULL)
        metrics = metrics_v1;
    if (conditions == NULL)
        conditions = conditions_v1;
    const cJSON *m;
    cJSON_ArrayForEach(m, metrics) metric(m, out->metrics);
    const cJSON *cpu = cJSON_GetObjectItemCaseSensitive(st, "currentCPUUtilizationPercentage");
    if (metrics == NULL && cJSON_IsNumber(cpu)) { /* v1 without the annotation */
        char text[64];
        snprintf(text, sizeof text, "cpu=%d%%", cpu->valueint);
        add(out->metrics, text);
    }
    const cJSON *cond;
    cJSON_ArrayForEach(cond, conditions) {
        const char *t = str(cond, "type"), *s = str(cond, "status");
        if (t && s) {
            char text[128];
            snprintf(text, sizeof text, "%s=%s", t, s);
            add(out->conditions, text);
        }
    }
    cJSON_Delete(metrics_v1);
    cJSON_Delete(conditions_v1);
    cJSON_Delete(root);
    return 0;
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int lg_kubectl_get_hpa(const char *kubectl, const char *name, const char *ns, int timeout_ms,
                       lg_hpa_sample *out, sim_error *err) {
    const char *prog = kubectl ? kubectl : "kubectl";
    const char *argv[10];
    int k = 0;
    argv[k++] = prog;
    argv[k++] = "get";
    argv[k++] = "hpa";
    argv[k++] = name;
    if (ns) {
        argv[k++] = "-n";
        argv[k++] = ns;
    }
    argv[k++] = "-o";
    argv[k++] = "json";
    argv[k] = NULL;
    int fd[2];
    if (pipe2(fd, O_CLOEXEC) != 0)
        return error_set(err, "kubectl: pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]), close(fd[1]);
        return error_set(err, "kubectl: fork: %s", strerror(errno));
    }
    if (pid == 0) {
        dup2(fd[1], STDOUT_FILENO);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, STDERR_FILENO);
        execvp(prog, (char *const *)argv);
        _exit(127);
    }
    close(fd[1]);
    char *buf = malloc(MAX_OUT + 1);
    size_t len = 0;
    int timed_out = 0;
    int64_t end = now_ms() + timeout_ms;
    while (buf) {
        int left = (int)(end - now_ms());
        if (left <= 0) {
            timed_out = 1;
            break;
        }
        struct pollfd p = {fd[0], POLLIN, 0};
        if (poll(&p, 1, left) <= 0)
            continue;
        ssize_t r = read(fd[0], buf + len, MAX_OUT - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || (len += (size_t)r) >= MAX_OUT)
            break;
    }
    close(fd[0]);
    if (timed_out)
        kill(pid, SIGKILL); /* our own child, by its pid */
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    int rc;
    if (buf == NULL)
        rc = error_set(err, "kubectl: out of memory");
    else if (timed_out)
        rc = error_set(err, "kubectl: no answer in %d ms", timeout_ms);
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        rc = error_set(err, "kubectl: cannot run %s", prog);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        rc = error_set(err, "kubectl get hpa %s failed (exit %d)", name,
                       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    else {
        buf[len] = 0;
        rc = lg_hpa_parse(buf, out, err);
    }
    free(buf);
    return rc;
}
