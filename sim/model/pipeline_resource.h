/* pipeline_resource.h: the resource metrics pipeline (cpu, memory): the kubelet's cAdvisor
 * samples each container's cumulative CPU and working set; metrics-server scrapes the latest
 * samples every --metric-resolution and keeps two points per pod; metrics.k8s.io answers the
 * CPU rate between them with the newer point's timestamp and the window between the two.
 *
 * Contract: one per service, fed by the lifecycle's on_running hook (res_pipeline_pod_running)
 * and by its own timers; res_pipeline_query fills what metrics.k8s.io would return now for the
 * live pods, so the HPA sees only what this chain delivered. Pods without two points yet are
 * absent (missing to the HPA). Random phases come from the stream "<service>.metrics-server"
 * and per pod from "<service>.cadvisor". Rules and sources: pipeline_resource.c, docs/model.md. */
#ifndef SCALESIM_MODEL_PIPELINE_RESOURCE_H
#define SCALESIM_MODEL_PIPELINE_RESOURCE_H

#include "sim/control/hpa/pods.h"
#include "sim/model/lifecycle.h"

#define METRICS_HOUSEKEEPING_DEFAULT_US (10 * INT64_C(1000000))
#define METRICS_RESOLUTION_DEFAULT_US   (15 * INT64_C(1000000))
#define METRICS_RESOLUTION_MIN_US       (10 * INT64_C(1000000))

typedef struct res_point {
    int valid;
    int64_t t_us;
    int64_t cpu_core_ns; /* cumulative since the container started */
    int64_t mem_bytes;
} res_point;

typedef struct res_pod {
    lc_pod *lp;
    res_point cadvisor;   /* the kubelet's latest housekeeping sample */
    res_point last, prev; /* metrics-server's storage */
} res_pod;

typedef struct res_pipeline {
    lifecycle *lc;
    engine *eng;
    int64_t housekeeping_us, resolution_us;
    gsl_rng *rng_scrape, *rng_cadvisor;
    res_pod *pods; /* indexed by lc_pod id */
    int cap;
    uint64_t scrapes;
} res_pipeline;

/* cfg may be NULL or zero-filled (defaults). Starts the timers (the adopted pods' samplers and
 * the metrics-server tick at a uniform phase in [0, resolution)). */
int res_pipeline_init(res_pipeline *rp, lifecycle *lc, const metrics_cfg *cfg, const char *svc_name,
                      uint64_t seed, sim_error *err);
void res_pipeline_free(res_pipeline *rp);

/* The lifecycle hook: a pod's containers started; cAdvisor begins sampling it. */
void res_pipeline_pod_running(res_pipeline *rp, lc_pod *lp);

/* metrics.k8s.io PodMetrics for the live pods that have a rate: into samples and usages (room
 * for lc->n_all each); memory 1: working set in milli-bytes, else cpu in millicores. Returns
 * the count. */
int res_pipeline_query(const res_pipeline *rp, int memory, hpa_resource_sample *samples,
                       hpa_container_usage *usages);

#endif
