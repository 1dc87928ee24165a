/* pipeline_prom.c: see pipeline_prom.h. Upstream behaviour restated:
 * - dcgm-exporter refreshes its metrics every --collect-interval (30 s default, NVIDIA
 *   dcgm-exporter pkg/cmd/app.go); profiling fields are averages over the collect period, which
 *   the busy percentage follows (CPU used over the period / capacity).
 * - Prometheus scrapes every scrape_interval (global default 1 m, prometheus config/config.go;
 *   ServiceMonitors for dcgm-exporter and Arena's kserve chart set 15 s) and stores the value
 *   with the scrape time; an instant query returns the newest sample within the 5 m lookback;
 *   the series of a deleted pod ends (staleness marker at the next scrape).
 * - prometheus-adapter (kubernetes-sigs/prometheus-adapter pkg/custom-provider/provider.go)
 *   runs the query when the HPA asks (no caching of values); series are discovered by a relist
 *   every --metrics-relist-interval (10 m binary, 1 m in the Helm chart), so a new pod's series
 *   is invisible until the next relist after its first scrape.
 * - rate(x[W]) here is (last - first) / (t_last - t_first) over the samples in the window,
 *   without Prometheus' extrapolation to the window's edges (a documented simplification). */
#include "sim/model/pipeline_prom.h"

#include <stdlib.h>
#include <string.h>

#include "sim/engine/rng.h"
#include "sim/model/llm.h"

static prom_series *slot(prom_pipeline *pp, int64_t id) {
    if (id >= pp->cap) {
        int cap = pp->cap ? pp->cap : 16;
        while (cap <= id)
            cap *= 2;
        prom_series *p = realloc(pp->pods, (size_t)cap * sizeof *p);
        if (p == NULL)
            return NULL;
        memset(p + pp->cap, 0, (size_t)(cap - pp->cap) * sizeof *p);
        pp->pods = p;
        pp->cap = cap;
    }
    return &pp->pods[id];
}

static int is_counter(const prom_pipeline *pp) {
    return pp->cfg.source == SERIES_REQUESTS;
}

static int series_alive(const prom_series *s) {
    return s->active && (s->lp == NULL || s->lp->stage != LC_TERMINATING);
}

/* A DCGM field of an LLM pod averaged since the previous export (the collect interval). One
 * pod per GPU set, so the per-process SM util is the pod's GPU busy share [assumption, R1 §2.3];
 * a CPU pod reads 0. */
static double measure_gpu(prom_pipeline *pp, prom_series *s) {
    if (s->lp == NULL || s->lp->p->llm == NULL)
        return 0;
    llm_engine *e = s->lp->p->llm;
    int64_t now = pp->eng->now_us;
    llm_sync(e);
    gpu_field f = pp->cfg.source == SERIES_SM_ACTIVE      ? GPU_FIELD_SM_ACTIVE
                  : pp->cfg.source == SERIES_SM_OCCUPANCY ? GPU_FIELD_SM_OCCUPANCY
                                                          : GPU_FIELD_UTIL;
    double v = s->has_exported ? s->exported : 0;
    if (now > s->last_t_us)
        v = gpu_field_average(f, &s->last_gpu, &e->act, now - s->last_t_us);
    s->last_t_us = now;
    s->last_gpu = e->act;
    return v;
}

/* The exporter's value now. */
static double measure(prom_pipeline *pp, prom_series *s) {
    service *svc = pp->lc->svc;
    int64_t now = pp->eng->now_us;
    switch (pp->cfg.source) {
    case SERIES_BUSY_PCT: {
        if (s->lp == NULL) {
            return 0; /* service-wide busy is not a series of its own */
        }
        pod *p = s->lp->p;
        pod_sync(p);
        int64_t cap = p->limit_milli > 0 ? p->limit_milli : p->request_milli;
        double v = s->has_exported ? s->exported : 0;
        if (now > s->last_t_us && cap > 0 && s->last_t_us >= 0)
            v = 100.0 * (double)(p->cpu_usage_core_ns - s->last_cpu_core_ns) /
                ((double)(now - s->last_t_us) * (double)cap);
        s->last_t_us = now;
        s->last_cpu_core_ns = p->cpu_usage_core_ns;
        return v;
    }
    case SERIES_INFLIGHT:
        if (s->lp != NULL)
            return pod_in_flight(s->lp->p);
        return (double)(svc->occ.in_service + svc->occ.pod_queued + svc->occ.central);
    case SERIES_REQUESTS:
        return pp->requests ? (double)pp->requests(pp->requests_ctx) : 0;
    case SERIES_QUEUE:
        if (s->lp != NULL)
            return s->lp->p->n_queued;
        return (double)(svc->occ.pod_queued + svc->occ.central);
    case SERIES_GPU_UTIL:
    case SERIES_PROCESS_SM_UTIL:
    case SERIES_SM_ACTIVE:
    case SERIES_SM_OCCUPANCY:
        return measure_gpu(pp, s);
    case SERIES_LLM_RUNNING:
    case SERIES_LLM_WAITING:
        if (s->lp == NULL || s->lp->p->llm == NULL)
            return 0;
        return pp->cfg.source == SERIES_LLM_RUNNING ? llm_running(s->lp->p->llm)
                                                    : llm_waiting(s->lp->p->llm);
    }
    return 0;
}

static uint64_t series_arg(const prom_pipeline *pp, const prom_series *s) {
    return s == &pp->total ? UINT64_MAX : (uint64_t)(s - pp->pods);
}

static prom_series *series_of(prom_pipeline *pp, uint64_t arg) {
    return arg == UINT64_MAX ? &pp->total : &pp->pods[arg];
}

static void on_export(engine *eng, void *obj, uint64_t arg) {
    prom_pipeline *pp = obj;
    prom_series *s = series_of(pp, arg);
    if (!series_alive(s))
        return;
    s->exported = measure(pp, s);
    s->has_exported = 1;
    engine_after(eng, pp->cfg.exporter_interval_us, on_export, pp, arg);
}

static void on_scrape(engine *eng, void *obj, uint64_t arg) {
    prom_pipeline *pp = obj;
    prom_series *s = series_of(pp, arg);
    if (!series_alive(s))
        return; /* the target is gone: the series goes stale */
    if (s->has_exported) {
        if (s->first_scrape_us == -1)
            s->first_scrape_us = eng->now_us;
        int at = (s->head + s->n) % PROM_RING;
        if (s->n == PROM_RING)
            s->head = (s->head + 1) % PROM_RING;
        else
            s->n++;
        s->ring[at].t_us = eng->now_us;
        s->ring[at].v = s->exported;
    }
    engine_after(eng, pp->cfg.scrape_interval_us, on_scrape, pp, arg);
}

/* Series that existed before the run: the exporter has a value (the idle one) and Prometheus
 * holds a few scrapes of it, so the first sync already sees it. */
static void seed_history(prom_pipeline *pp, prom_series *s) {
    double v = 0;
    if (s->lp != NULL && pp->cfg.source == SERIES_BUSY_PCT) {
        const pod *p = s->lp->p;
        int64_t cap = p->limit_milli > 0 ? p->limit_milli : p->request_milli;
        v = cap > 0 ? 100.0 * (double)p->idle_milli / (double)cap : 0;
    }
    s->exported = v;
    s->has_exported = 1;
    int64_t last = -(int64_t)((double)pp->cfg.scrape_interval_us * gsl_rng_uniform(pp->rng));
    for (int k = 3; k >= 0; k--) {
        s->ring[s->n].t_us = last - k * pp->cfg.scrape_interval_us;
        s->ring[s->n].v = v;
        s->n++;
    }
    s->first_scrape_us = -PROM_LOOKBACK_US;
}

/* Starts a series' exporter and scrape at uniform phases. */
static void start_series(prom_pipeline *pp, prom_series *s, lc_pod *lp) {
    memset(s, 0, sizeof *s);
    s->active = 1;
    s->lp = lp;
    s->first_scrape_us = -1;
    s->last_t_us = pp->eng->now_us;
    if (lp != NULL) {
        pod_sync(lp->p);
        s->last_cpu_core_ns = lp->p->cpu_usage_core_ns;
        if (lp->p->llm != NULL)
            s->last_gpu = lp->p->llm->act;
    }
    uint64_t arg = series_arg(pp, s);
    int64_t now = pp->eng->now_us;
    double e = (double)pp->cfg.exporter_interval_us * gsl_rng_uniform(pp->rng);
    double c = (double)pp->cfg.scrape_interval_us * gsl_rng_uniform(pp->rng);
    engine_at(pp->eng, now + (int64_t)e, on_export, pp, arg);
    engine_at(pp->eng, now + (int64_t)c, on_scrape, pp, arg);
}

void prom_pipeline_pod_running(prom_pipeline *pp, lc_pod *lp) {
    if (!pp->per_pod)
        return;
    prom_series *s = slot(pp, lp->id);
    if (s == NULL) {
        pp->eng->out_of_memory = 1;
        return;
    }
    start_series(pp, s, lp);
}

int prom_pipeline_init(prom_pipeline *pp, const prom_metric_cfg *cfg, lifecycle *lc,
                       const char *svc_name, uint64_t seed, prom_counter_fn requests,
                       void *requests_ctx, sim_error *err) {
    memset(pp, 0, sizeof *pp);
    pp->cfg = *cfg;
    pp->lc = lc;
    pp->eng = lc->eng;
    pp->requests = requests;
    pp->requests_ctx = requests_ctx;
    if (pp->cfg.exporter_interval_us == 0)
        pp->cfg.exporter_interval_us = PROM_EXPORTER_DEFAULT_US;
    if (pp->cfg.scrape_interval_us == 0)
        pp->cfg.scrape_interval_us = PROM_SCRAPE_DEFAULT_US;
    if (pp->cfg.exporter_interval_us < 0 || pp->cfg.scrape_interval_us < 0 ||
        pp->cfg.query_window_us < 0 || pp->cfg.relist_us < 0)
        return error_set(err, "metrics.prometheus %s: intervals must be >= 0", cfg->name);
    if (pp->cfg.query_window_us > (int64_t)(PROM_RING - 2) * pp->cfg.scrape_interval_us)
        return error_set(err, "metrics.prometheus %s: the query window covers more than %d scrapes",
                         cfg->name, PROM_RING - 2);
    pp->per_pod = cfg->source != SERIES_REQUESTS;
    char name[CFG_NAME_MAX * 2 + 32];
    snprintf(name, sizeof name, "%s.prom.%s", svc_name, cfg->name);
    pp->rng = rng_stream_new(seed, name);
    if (pp->rng == NULL)
        return error_set(err, "out of memory creating random streams");
    if (pp->cfg.relist_us > 0)
        pp->relist_phase_us = (int64_t)((double)pp->cfg.relist_us * gsl_rng_uniform(pp->rng));
    if (!pp->per_pod || cfg->source == SERIES_QUEUE || cfg->source == SERIES_INFLIGHT) {
        start_series(pp, &pp->total, NULL);
        seed_history(pp, &pp->total);
    }
    /* adopted pods: their series were discovered long ago */
    if (pp->per_pod)
        for (int i = 0; i < lc->n_all; i++) {
            lc_pod *lp = lc->all[i];
            if (lp->stage != LC_READY)
                continue;
            prom_series *s = slot(pp, lp->id);
            if (s == NULL)
                return error_set(err, "out of memory");
            start_series(pp, s, lp);
            seed_history(pp, s);
        }
    return 0;
}

void prom_pipeline_free(prom_pipeline *pp) {
    free(pp->pods);
    if (pp->rng)
        gsl_rng_free(pp->rng);
    memset(pp, 0, sizeof *pp);
}

/* The last relist at or before now (relists at phase + k * interval). */
static int discovered(const prom_pipeline *pp, const prom_series *s, int64_t now) {
    if (s->first_scrape_us < 0 && s->first_scrape_us != -PROM_LOOKBACK_US)
        return 0;
    if (pp->cfg.relist_us <= 0 || s->first_scrape_us < 0)
        return 1;
    if (now < pp->relist_phase_us)
        return 0;
    int64_t last =
        pp->relist_phase_us + (now - pp->relist_phase_us) / pp->cfg.relist_us * pp->cfg.relist_us;
    return s->first_scrape_us <= last;
}

/* The query's answer for one series; 0 when there is nothing in range. */
static int evaluate(const prom_pipeline *pp, const prom_series *s, int64_t now, double *out) {
    if (s->n == 0)
        return 0;
    const prom_sample *newest = &s->ring[(s->head + s->n - 1) % PROM_RING];
    int64_t w = pp->cfg.query_window_us;
    if (w == 0 && !is_counter(pp)) {
        if (now - newest->t_us > PROM_LOOKBACK_US)
            return 0;
        *out = newest->v;
        return 1;
    }
    if (w == 0)
        w = 2 * 60 * INT64_C(1000000); /* a counter needs a window: rate(x[2m]) as the samples */
    double sum = 0, first_v = 0;
    int64_t first_t = 0;
    int k = 0;
    for (int i = 0; i < s->n; i++) {
        const prom_sample *x = &s->ring[(s->head + i) % PROM_RING];
        if (x->t_us <= now - w || x->t_us > now)
            continue;
        if (k == 0) {
            first_v = x->v;
            first_t = x->t_us;
        }
        sum += x->v;
        k++;
    }
    if (k == 0)
        return 0;
    if (!is_counter(pp)) {
        *out = sum / k;
        return 1;
    }
    if (k < 2 || newest->t_us <= first_t)
        return 0;
    *out = (newest->v - first_v) / ((double)(newest->t_us - first_t) / 1e6);
    return 1;
}

int prom_pipeline_query_pods(const prom_pipeline *pp, hpa_pod_metric *out) {
    int n = 0;
    int64_t now = pp->eng->now_us;
    for (int i = 0; i < pp->cap; i++) {
        const prom_series *s = &pp->pods[i];
        double v;
        if (!series_alive(s) || !discovered(pp, s, now) || !evaluate(pp, s, now, &v))
            continue;
        out[n].pod = s->lp->name;
        out[n].value_milli = (int64_t)(v * 1000.0 + (v >= 0 ? 0.5 : -0.5));
        out[n].timestamp_us = now;
        out[n].window_us = pp->cfg.query_window_us;
        n++;
    }
    return n;
}

int prom_pipeline_query_value(const prom_pipeline *pp, int64_t *out_milli) {
    int64_t now = pp->eng->now_us;
    double v;
    if (pp->total.active) {
        if (!discovered(pp, &pp->total, now) || !evaluate(pp, &pp->total, now, &v))
            return -1;
        *out_milli = (int64_t)(v * 1000.0 + 0.5);
        return 0;
    }
    double sum = 0;
    int any = 0;
    for (int i = 0; i < pp->cap; i++) {
        const prom_series *s = &pp->pods[i];
        if (series_alive(s) && discovered(pp, s, now) && evaluate(pp, s, now, &v)) {
            sum += v;
            any = 1;
        }
    }
    if (!any)
        return -1;
    *out_milli = (int64_t)(sum * 1000.0 + 0.5);
    return 0;
}
