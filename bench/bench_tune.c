/* bench_tune.c: how fast `scalesim tune` sweeps a grid (figures, not a test).
 *
 *   bench_tune [SCENARIO] [--jobs N]
 *
 * The issue-8 benchmark: 1,000 configurations (averageUtilization 1..100 x maxReplicas 3..12)
 * of SCENARIO (default scenarios/sklearn-iris.json: 10 simulated minutes each), one
 * replication, evaluated by tune_eval (simulate, then the expect assertions) in N forked
 * processes (default 2). Prints configurations, feasible ones, wall seconds and
 * configurations per second; goal: under 60 s with 2 processes on a 2-core machine. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/output/tune_eval.h"

static double wall(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    const char *path = "scenarios/sklearn-iris.json";
    int jobs = 2;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--jobs") && i + 1 < argc)
            jobs = atoi(argv[++i]);
        else
            path = argv[i];
    }
    if (jobs < 1 || jobs > 64) {
        fprintf(stderr, "bench_tune: --jobs 1..64\n");
        return 2;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "bench_tune: cannot open %s\n", path);
        return 2;
    }
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    cJSON *root = cJSON_Parse(text);
    if (root == NULL) {
        fprintf(stderr, "bench_tune: %s: not JSON\n", path);
        return 2;
    }
    sim_error err;
    tune_param ps[2];
    if (tune_param_parse("hpa.spec.metrics[0].resource.target.averageUtilization=1:100:1", &ps[0],
                         &err) < 0 ||
        tune_param_parse("hpa.spec.maxReplicas=3:12:1", &ps[1], &err) < 0) {
        fprintf(stderr, "bench_tune: %s\n", err.msg);
        return 2;
    }
    char tmp[] = "/tmp/bench-tune-XXXXXX";
    if (mkdtemp(tmp) == NULL) {
        fprintf(stderr, "bench_tune: mkdtemp failed\n");
        return 2;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    tune_job job = {root, path, dir, ps, 2, 1, 1, 0, tmp, NULL, 0, TUNE_OBJ_COST};
    long n = tune_grid_size(ps, 2, 1000000, &err);
    int fds[2];
    if (pipe(fds) < 0)
        return 2;
    double t0 = wall();
    for (int w = 0; w < jobs; w++) {
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            long feasible = 0;
            for (long i = w; i < n; i += jobs) {
                tune_outcome o;
                if (tune_eval(&job, i, &o, &err) < 0)
                    _exit(3);
                feasible += o.feasible;
            }
            if (write(fds[1], &feasible, sizeof feasible) != sizeof feasible)
                _exit(3);
            _exit(0);
        }
    }
    close(fds[1]);
    long total = 0, part;
    while (read(fds[0], &part, sizeof part) == sizeof part)
        total += part;
    int bad = 0, st;
    while (wait(&st) > 0)
        bad |= !WIFEXITED(st) || WEXITSTATUS(st) != 0;
    double secs = wall() - t0;
    rmdir(tmp);
    printf("bench_tune: %ld configurations of %s, %d processes: %ld feasible, %.2f s wall, "
           "%.0f configurations/s%s\n",
           n, path, jobs, total, secs, n / secs, bad ? " (a worker failed)" : "");
    tune_param_free(&ps[0]);
    tune_param_free(&ps[1]);
    cJSON_Delete(root);
    return bad ? 1 : 0;
}
