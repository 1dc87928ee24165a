/* pipeline_prom.h: a custom or external metric through Prometheus: an exporter refreshes the
 * value every exporter interval (per pod for a Pods metric, one series for Object/External),
 * Prometheus scrapes it every scrape interval, and the adapter answers the HPA's query with
 * an instant query (the newest scraped sample) or, with a query window, avg_over_time (gauges)
 * or rate (counters) over that window; a new series is visible only after the adapter's next
 * relist.
 *
 * Contract: one prom_pipeline per prom_metric_cfg; it samples the lifecycle's pods and the
 * service itself; prom_pipeline_query_pods / _query_value give what custom.metrics.k8s.io or
 * external.metrics.k8s.io would return now. Phases are uniform, from the stream
 * "<service>.prom.<metric>". Sources: pipeline_prom.c, docs/model.md. */
#ifndef SCALESIM_MODEL_PIPELINE_PROM_H
#define SCALESIM_MODEL_PIPELINE_PROM_H

#include "sim/control/hpa/pods.h"
#include "sim/model/gpu_metrics.h"
#include "sim/model/lifecycle.h"

#define PROM_EXPORTER_DEFAULT_US (30 * INT64_C(1000000))
#define PROM_SCRAPE_DEFAULT_US   (15 * INT64_C(1000000))
#define PROM_RELIST_DEFAULT_US   (60 * INT64_C(1000000))
#define PROM_LOOKBACK_US         (300 * INT64_C(1000000))
#define PROM_RING                64

typedef struct prom_sample {
    int64_t t_us;
    double v;
} prom_sample;

typedef struct prom_series {
    int active;
    lc_pod *lp;      /* NULL for the service-wide series */
    double exported; /* the exporter's current value */
    int has_exported;
    int64_t last_t_us, last_cpu_core_ns; /* for the busy percentage */
    gpu_activity last_gpu;               /* for the GPU fields of an LLM pod */
    int64_t first_scrape_us;             /* -1 before the first scrape */
    prom_sample ring[PROM_RING];
    int n, head; /* head: index of the oldest */
} prom_series;

/* The counter of requests that arrived at the service so far (for SERIES_REQUESTS). */
typedef uint64_t (*prom_counter_fn)(void *ctx);

typedef struct prom_pipeline {
    prom_metric_cfg cfg; /* defaults applied */
    lifecycle *lc;
    engine *eng;
    gsl_rng *rng;
    int per_pod;
    prom_series *pods; /* per pod, indexed by lc_pod id */
    int cap;
    prom_series total;
    prom_counter_fn requests;
    void *requests_ctx;
    int64_t relist_phase_us;
} prom_pipeline;

int prom_pipeline_init(prom_pipeline *pp, const prom_metric_cfg *cfg, lifecycle *lc,
                       const char *svc_name, uint64_t seed, prom_counter_fn requests,
                       void *requests_ctx, sim_error *err);
void prom_pipeline_free(prom_pipeline *pp);

/* A pod's containers started: its exporter begins (per-pod metrics only). */
void prom_pipeline_pod_running(prom_pipeline *pp, lc_pod *lp);

/* Pods metric: values (milli-units) of the live pods whose series the adapter knows; out has
 * room for lc->n_all. Returns the count. */
int prom_pipeline_query_pods(const prom_pipeline *pp, hpa_pod_metric *out);

/* Object/External metric: the series' value in milli-units; -1 when there is none yet. For a
 * per-pod source, the sum over the pods. */
int prom_pipeline_query_value(const prom_pipeline *pp, int64_t *out_milli);

#endif
