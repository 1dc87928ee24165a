/* bench_sim.c: how fast the simulator runs, and in how much memory (figures, not a test).
 *
 *   bench_sim [--hours H] [--rps R] [--pods N] [--mmc] [--arity 2|4] [--out DIR]
 *
 * Default scenario: Poisson arrivals at R = 1000 requests/s for H = 24 simulated hours onto N = 20
 * single-core pods behind a random (kube-proxy iptables) Service, each request needing an
 * exponential 16 ms of CPU (utilisation 0.8), processor sharing in the pod, 20 s client timeout.
 * --mmc makes it the M/M/c model the SimPy script runs: a central FIFO, concurrency 1 per pod, and
 * no client timeout (an M/M/c customer never gives up; SimPy's does not either).
 * Either way it is the real `scalesim run` path (sim_run on a scenario_cfg) without output files:
 * the per-second rows (counts, latency percentiles, time averages, CPU) are still computed and
 * handed to sim_run's observer, only not written to timeline.csv.
 * Prints one line: requests, events, wall and CPU seconds of sim_run (CPU by
 * CLOCK_PROCESS_CPUTIME_ID around the call: like the SimPy script, which times simulate() and not
 * the interpreter's start), requests per CPU second, and peak RSS of the process (getrusage
 * ru_maxrss), so bench/run can compare horizons and event-queue arities. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sim/output/sim_run.h"

static double clock_s(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    double hours = 24, rps = 1000;
    int pods = 20, mmc = 0, arity = 0;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--hours") && i + 1 < argc)
            hours = atof(argv[++i]);
        else if (!strcmp(argv[i], "--rps") && i + 1 < argc)
            rps = atof(argv[++i]);
        else if (!strcmp(argv[i], "--pods") && i + 1 < argc)
            pods = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--arity") && i + 1 < argc)
            arity = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--mmc"))
            mmc = 1;
        else {
            fprintf(stderr, "usage: bench_sim [--hours H] [--rps R] [--pods N] [--mmc] "
                            "[--arity 2|4] [--out DIR]\n");
            return 2;
        }
    }
    load_cfg l;
    memset(&l, 0, sizeof l);
    strcpy(l.name, "poisson");
    l.kind = LOAD_OPEN;
    l.end_us = INT64_MAX;
    l.shape = RATE_CONSTANT;
    l.arrivals = ARRIVALS_POISSON;
    l.rate = rps;
    l.timeout_us = mmc ? 0 : 20 * INT64_C(1000000);
    scenario_cfg c;
    memset(&c, 0, sizeof c);
    c.name = "bench";
    c.seed = 1;
    c.duration_us = (int64_t)(hours * 3600e6);
    strcpy(c.service.name, "svc");
    c.service.replicas = pods;
    c.service.balancer = mmc ? LB_QUEUE : LB_RANDOM;
    c.service.pod.concurrency = mmc ? 1 : 0;
    c.service.pod.cpu_request_milli = 1000;
    c.service.pod.cpu_limit_milli = 1000;
    c.service.pod.demand.kind = DIST_EXPONENTIAL;
    c.service.pod.demand.mean = 0.8 * pods / rps * 1e6;
    c.loads = &l;
    c.n_loads = 1;
    sim_stats st;
    sim_run_options opt = {out, NULL, NULL, arity, &st};
    sim_error err;
    double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    if (sim_run(&c, &opt, &err) < 0) {
        fprintf(stderr, "bench_sim: %s\n", err.msg);
        return 1;
    }
    double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    double dt = clock_s(CLOCK_MONOTONIC) - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    uint64_t n = st.server_completed;
    printf("%s %.3gh %g rps %d pods arity %d: %llu requests, %llu events, %.2f s wall, "
           "%.3f s cpu, %.3f M requests/s, %.3f M requests/cpu-s, %.1f ns/request, "
           "peak RSS %.1f MB, mean response %.2f ms\n",
           mmc ? "M/M/c" : "random+PS", hours, rps, pods, arity ? arity : EQ_DEFAULT_ARITY,
           (unsigned long long)n, (unsigned long long)st.events, dt, cpu, n / dt / 1e6,
           n / cpu / 1e6, cpu * 1e9 / (double)n, ru.ru_maxrss / 1024.0,
           st.sum_sojourn_us / (double)n / 1e3);
    return 0;
}
