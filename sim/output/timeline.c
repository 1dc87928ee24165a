/* timeline.c: see timeline.h. */
#include "sim/output/timeline.h"

#include <math.h>

#include "sim/model/hpa_controller.h"
#include "sim/model/service.h"

void timeline_begin(FILE *f) {
    fputs(TIMELINE_HEADER "\n", f);
}

void timeline_begin_model(FILE *f, const sim_model *m) {
    fputs(TIMELINE_HEADER, f);
    const hpa_ctl *c = sim_model_hpa(m);
    if (c != NULL || sim_model_lifecycle(m) != NULL)
        fputs(",desired_replicas,current_replicas,pods_unscheduled", f);
    if (c != NULL) {
        for (int i = 0; i < hpa_ctl_nmetrics(c); i++) {
            char label[96];
            hpa_ctl_metric_label(c, i, label, sizeof label);
            fprintf(f, ",%s_true,%s_seen", label, label);
        }
    }
    if (sim_model_service((sim_model *)m)->pod_cfg.llm != NULL)
        fputs(",tokens_per_s,gpu_util_pct,sm_active,batch", f);
    fputc('\n', f);
}

static void value(FILE *f, double v) {
    if (isnan(v))
        fputc(',', f);
    else
        fprintf(f, ",%.2f", v);
}

void timeline_row(void *ctx, const sim_second *r) {
    FILE *f = ctx;
    fprintf(f, "%lld,%llu,%llu,%llu,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d,%.2f,%.2f,%.3f",
            (long long)(r->t_us / 1000000), (unsigned long long)r->offered,
            (unsigned long long)r->completed, (unsigned long long)r->failed, r->p50_us / 1e3,
            r->p95_us / 1e3, r->p99_us / 1e3, r->mean_us / 1e3, r->inflight, r->queued,
            r->pods_ready, r->pods_total, r->cpu_util_pct, r->mem_util_pct, r->pod_seconds);
    if (r->has_hpa) {
        fprintf(f, ",%d,%d,%d", r->desired_replicas, r->current_replicas, r->pods_unscheduled);
        for (int i = 0; i < r->nmetrics && i < HPA_MAX_METRICS; i++) {
            value(f, r->metric_true[i]);
            value(f, r->metric_seen[i]);
        }
    }
    if (r->has_llm)
        fprintf(f, ",%.1f,%.2f,%.3f,%.2f", r->tokens_per_s, r->gpu_util_pct, r->sm_active,
                r->batch);
    fputc('\n', f);
}
