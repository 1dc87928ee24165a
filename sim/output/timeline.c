/* timeline.c: see timeline.h. */
#include "sim/output/timeline.h"

void timeline_begin(FILE *f) {
    fputs(TIMELINE_HEADER "\n", f);
}

void timeline_row(void *ctx, const sim_second *r) {
    FILE *f = ctx;
    fprintf(f, "%lld,%llu,%llu,%llu,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d,%.2f,%.2f,%.3f\n",
            (long long)(r->t_us / 1000000), (unsigned long long)r->offered,
            (unsigned long long)r->completed, (unsigned long long)r->failed, r->p50_us / 1e3,
            r->p95_us / 1e3, r->p99_us / 1e3, r->mean_us / 1e3, r->inflight, r->queued,
            r->pods_ready, r->pods_total, r->cpu_util_pct, r->mem_util_pct, r->pod_seconds);
}
