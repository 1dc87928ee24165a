/* summary_json.c: see summary_json.h. */
#include "sim/output/summary_json.h"

#include <cjson/cJSON.h>
#include <math.h>

#include "sim/model/cron_controller.h"
#include "sim/model/hpa_controller.h"
#include "sim/model/lifecycle.h"
#include "sim/model/llm.h"
#include "sim/model/llm_cfg.h"
#include "sim/model/service.h"
#include "sim/output/cronhpa_report.h"

/* Rounded so the file shows the figures, not float noise. */
static double r3(double x) {
    return isfinite(x) ? round(x * 1000.0) / 1000.0 : 0.0;
}

static cJSON *latency(const histogram *h) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "p50", r3(histogram_percentile(h, 0.50) / 1e3));
    cJSON_AddNumberToObject(o, "p90", r3(histogram_percentile(h, 0.90) / 1e3));
    cJSON_AddNumberToObject(o, "p95", r3(histogram_percentile(h, 0.95) / 1e3));
    cJSON_AddNumberToObject(o, "p99", r3(histogram_percentile(h, 0.99) / 1e3));
    cJSON_AddNumberToObject(o, "p999", r3(histogram_percentile(h, 0.999) / 1e3));
    cJSON_AddNumberToObject(o, "mean", r3(histogram_mean(h) / 1e3));
    cJSON_AddNumberToObject(o, "max", r3(h->count ? h->max / 1e3 : 0));
    return o;
}

char *summary_json(const scenario_cfg *cfg, const sim_model *m) {
    const sim_stats *st = sim_model_stats(m);
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    cJSON_AddStringToObject(root, "scenario", cfg->name ? cfg->name : "");
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)cfg->seed);
    cJSON_AddRawToObject(root, "seed", seed); /* exact: a double would round 64-bit seeds */
    cJSON_AddNumberToObject(root, "duration_s", r3(st->horizon_us / 1e6));
    cJSON_AddNumberToObject(root, "drain_end_s", r3(st->end_us / 1e6));

    cJSON *req = cJSON_AddObjectToObject(root, "requests");
    cJSON_AddNumberToObject(req, "offered", (double)st->client.offered);
    cJSON_AddNumberToObject(req, "completed", (double)st->client.completed);
    cJSON_AddNumberToObject(req, "failed", (double)st->client.failed);
    cJSON_AddNumberToObject(req, "timeouts", (double)st->timeouts);
    cJSON_AddNumberToObject(req, "refused", (double)st->refused);
    cJSON_AddNumberToObject(req, "unfinished", (double)st->unfinished);
    cJSON_AddNumberToObject(
        root, "throughput_rps",
        r3(st->horizon_us > 0 ? (double)st->client.completed / (st->horizon_us / 1e6) : 0));
    cJSON_AddItemToObject(root, "latency_ms", latency(&st->client.latency));

    cJSON *srv = cJSON_AddObjectToObject(root, "server");
    double n = (double)st->server_completed;
    cJSON_AddNumberToObject(srv, "completed", n);
    cJSON_AddNumberToObject(srv, "mean_wait_ms", r3(n > 0 ? st->sum_wait_us / n / 1e3 : 0));
    cJSON_AddNumberToObject(srv, "mean_response_ms", r3(n > 0 ? st->sum_sojourn_us / n / 1e3 : 0));

    cJSON *pods = cJSON_AddObjectToObject(root, "pods");
    cJSON_AddNumberToObject(pods, "ready_at_end", st->pods_ready);
    cJSON_AddNumberToObject(pods, "total_at_end", st->pods_total);
    cJSON_AddNumberToObject(pods, "pod_seconds", r3(st->pod_seconds));
    cJSON_AddNumberToObject(pods, "pod_hours", r3(st->pod_seconds / 3600));
    if (cfg->service.pod.llm != NULL) {
        /* Every pod of an LLM service holds its GPUs (the tensor-parallel degree) from creation
         * to deletion, as a GPU node bills them. */
        double gpus = cfg->service.pod.llm->gpus > 0 ? cfg->service.pod.llm->gpus : 1;
        cJSON_AddNumberToObject(pods, "gpus_per_pod", gpus);
        cJSON_AddNumberToObject(pods, "gpu_hours", r3(st->pod_seconds * gpus / 3600));
    }
    cJSON_AddNumberToObject(pods, "cpu_util_pct", r3(st->cpu_util_pct));
    cJSON_AddNumberToObject(pods, "mem_util_pct", r3(st->mem_util_pct));

    cJSON *loads = cJSON_AddArrayToObject(root, "loads");
    for (size_t i = 0; i < sim_model_n_loads(m); i++) {
        const load_src *l = sim_model_load(m, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", l->cfg->name);
        cJSON_AddStringToObject(o, "kind", l->cfg->kind == LOAD_CLOSED ? "closed" : "open");
        cJSON_AddNumberToObject(o, "sent", (double)l->st.sent);
        cJSON_AddNumberToObject(o, "ok", (double)l->st.ok);
        cJSON_AddNumberToObject(o, "timeouts", (double)l->st.timeouts);
        cJSON_AddNumberToObject(o, "refused", (double)l->st.refused);
        double total_s = (l->st.t_last_us - l->st.t_first_us) / 1e6;
        cJSON_AddNumberToObject(o, "total_s", r3(total_s));
        uint64_t results = l->st.ok + l->st.timeouts + l->st.refused;
        cJSON_AddNumberToObject(o, "requests_per_s",
                                r3(total_s > 0 ? (double)results / total_s : 0));
        cJSON_AddItemToObject(o, "latency_ms", latency(&l->st.latency));
        cJSON_AddItemToArray(loads, o);
    }
    const hpa_ctl *hc = sim_model_hpa(m);
    if (hc != NULL) {
        const lifecycle *lc = sim_model_lifecycle(m);
        cJSON *a = cJSON_AddObjectToObject(root, "autoscaling");
        cJSON_AddStringToObject(a, "hpa", cfg->hpa.name);
        cJSON_AddNumberToObject(a, "syncs", (double)hc->syncs);
        cJSON_AddNumberToObject(a, "rescales", (double)hc->rescales);
        if (hc->first_rescale_up_us >= 0)
            cJSON_AddNumberToObject(a, "first_scale_up_s", r3(hc->first_rescale_up_us / 1e6));
        else
            cJSON_AddNullToObject(a, "first_scale_up_s");
        if (hc->last_rescale_us >= 0)
            cJSON_AddNumberToObject(a, "last_rescale_s", r3(hc->last_rescale_us / 1e6));
        else
            cJSON_AddNullToObject(a, "last_rescale_s");
        cJSON_AddNumberToObject(a, "max_replicas", hc->max_replicas_seen);
        cJSON_AddNumberToObject(a, "desired_at_end", hc->status.desired_replicas);
        cJSON_AddNumberToObject(a, "pods_created", (double)lc->created);
        cJSON_AddNumberToObject(a, "pods_deleted", (double)lc->deleted);
        cJSON_AddNumberToObject(a, "requests_past_grace", (double)lc->killed_requests);
        cJSON_AddNumberToObject(a, "events", (double)hc->n_events);
    }
    const llm_totals *lt = sim_model_service((sim_model *)m)->llm_totals;
    if (lt != NULL) {
        cJSON *o = cJSON_AddObjectToObject(root, "llm");
        cJSON_AddStringToObject(o, "preset", cfg->service.pod.llm->preset);
        cJSON_AddNumberToObject(o, "completed", (double)lt->completed);
        cJSON_AddNumberToObject(o, "prompt_tokens", (double)lt->prompt_tokens);
        cJSON_AddNumberToObject(o, "output_tokens", (double)lt->output_tokens);
        cJSON_AddNumberToObject(
            o, "output_tokens_per_s",
            r3(st->horizon_us > 0 ? (double)lt->output_tokens / (st->horizon_us / 1e6) : 0));
        cJSON_AddNumberToObject(o, "steps", (double)lt->steps);
        cJSON_AddNumberToObject(o, "preemptions", (double)lt->preemptions);
        cJSON_AddItemToObject(o, "ttft_ms", latency(&lt->ttft_us));
        cJSON_AddItemToObject(o, "tpot_ms", latency(&lt->tpot_us));
        cJSON_AddItemToObject(o, "e2e_ms", latency(&lt->e2e_us));
    }
    const cron_ctl *cc = sim_model_cron(m);
    if (cc != NULL)
        cronhpa_summary_json(root, cc);
    const keda_ctl *kc = sim_model_keda(m);
    if (kc != NULL && hc != NULL)
        keda_summary_json(root, kc, hc);
    cJSON_AddNumberToObject(root, "events", (double)st->events);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}
