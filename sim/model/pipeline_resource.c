/* pipeline_resource.c: see pipeline_resource.h. Upstream behaviour restated:
 * - cAdvisor housekeeping (google/cadvisor manager/container.go nextHousekeepingInterval with
 *   jitter(interval, 1.0); the kubelet passes a 10 s interval, kubernetes v1.28
 *   pkg/kubelet/cadvisor/cadvisor_linux.go): after each sample the next comes after
 *   interval * (1 + U[0,1)). A container is first sampled when cAdvisor sees it start.
 *   Dynamic housekeeping (longer gaps for containers whose stats do not change) is not modelled.
 * - The kubelet serves the latest sample with its own timestamp (pkg/kubelet/metrics/collectors/
 *   resource_metrics.go).
 * - metrics-server (kubernetes-sigs/metrics-server pkg/server/server.go, pkg/storage/pod.go,
 *   types.go): a ticker every --metric-resolution scrapes all nodes; a point becomes `last` only
 *   when its timestamp is newer than the stored one (the old `last` becomes `prev`); the CPU is
 *   (cum_last - cum_prev) / (t_last - t_prev) with timestamp t_last and window t_last - t_prev;
 *   memory is the working set of `last`. A container that started less than one resolution ago
 *   and at least 10 s ago gets a synthetic `prev` at its start time with zero CPU
 *   (freshContainerMinMetricsResolution). The per-node scrape delay (at most 8 ms per node) is
 *   left out. */
#include "sim/model/pipeline_resource.h"

#include <stdlib.h>
#include <string.h>

#include "sim/engine/rng.h"

#define FRESH_MIN_US (10 * INT64_C(1000000))

static res_pod *slot(res_pipeline *rp, int64_t id) {
    if (id >= rp->cap) {
        int cap = rp->cap ? rp->cap : 16;
        while (cap <= id)
            cap *= 2;
        res_pod *p = realloc(rp->pods, (size_t)cap * sizeof *p);
        if (p == NULL)
            return NULL;
        memset(p + rp->cap, 0, (size_t)(cap - rp->cap) * sizeof *p);
        rp->pods = p;
        rp->cap = cap;
    }
    return &rp->pods[id];
}

static int alive(const lc_pod *lp) {
    return lp->stage != LC_TERMINATING;
}

static void on_housekeeping(engine *eng, void *obj, uint64_t arg) {
    res_pipeline *rp = obj;
    res_pod *rs = &rp->pods[arg];
    lc_pod *lp = rs->lp;
    if (!alive(lp))
        return; /* the container is going away: cAdvisor stops tracking it */
    pod_sync(lp->p);
    rs->cadvisor.valid = 1;
    rs->cadvisor.t_us = eng->now_us;
    rs->cadvisor.cpu_core_ns = lp->p->cpu_usage_core_ns - lp->cpu_at_start_core_ns;
    rs->cadvisor.mem_bytes = pod_memory_bytes(lp->p);
    double gap = (double)rp->housekeeping_us * (1.0 + gsl_rng_uniform(rp->rng_cadvisor));
    engine_after(eng, (int64_t)gap, on_housekeeping, rp, arg);
}

void res_pipeline_pod_running(res_pipeline *rp, lc_pod *lp) {
    res_pod *rs = slot(rp, lp->id);
    if (rs == NULL) {
        rp->eng->out_of_memory = 1;
        return;
    }
    memset(rs, 0, sizeof *rs);
    rs->lp = lp;
    /* cAdvisor takes its first sample when it sees the container start */
    engine_at(rp->eng, rp->eng->now_us, on_housekeeping, rp, (uint64_t)lp->id);
}

static void on_scrape(engine *eng, void *obj, uint64_t arg) {
    (void)arg;
    res_pipeline *rp = obj;
    int64_t now = eng->now_us;
    rp->scrapes++;
    for (int i = 0; i < rp->cap; i++) {
        res_pod *rs = &rp->pods[i];
        if (rs->lp == NULL || !alive(rs->lp) || !rs->cadvisor.valid)
            continue;
        if (rs->last.valid && rs->cadvisor.t_us <= rs->last.t_us)
            continue; /* the same sample again: keep prev */
        rs->prev = rs->last;
        rs->last = rs->cadvisor;
        int64_t age = now - rs->lp->running_us;
        if (!rs->prev.valid && age < rp->resolution_us && age >= FRESH_MIN_US &&
            rs->last.t_us > rs->lp->running_us) {
            rs->prev.valid = 1;
            rs->prev.t_us = rs->lp->running_us;
            rs->prev.cpu_core_ns = 0;
            rs->prev.mem_bytes = rs->last.mem_bytes;
        }
    }
    engine_after(eng, rp->resolution_us, on_scrape, rp, 0);
}

static void on_running_hook(void *ctx, lc_pod *lp) {
    res_pipeline_pod_running(ctx, lp);
}

int res_pipeline_init(res_pipeline *rp, lifecycle *lc, const metrics_cfg *cfg, const char *svc_name,
                      uint64_t seed, sim_error *err) {
    memset(rp, 0, sizeof *rp);
    rp->lc = lc;
    rp->eng = lc->eng;
    rp->housekeeping_us =
        cfg && cfg->housekeeping_us ? cfg->housekeeping_us : METRICS_HOUSEKEEPING_DEFAULT_US;
    rp->resolution_us =
        cfg && cfg->resolution_us ? cfg->resolution_us : METRICS_RESOLUTION_DEFAULT_US;
    if (rp->housekeeping_us <= 0)
        return error_set(err, "metrics.housekeeping: must be > 0");
    if (rp->resolution_us < METRICS_RESOLUTION_MIN_US)
        return error_set(err, "metrics.resolution: metrics-server refuses less than 10s");
    char name[CFG_NAME_MAX + 32];
    snprintf(name, sizeof name, "%s.metrics-server", svc_name);
    rp->rng_scrape = rng_stream_new(seed, name);
    snprintf(name, sizeof name, "%s.cadvisor", svc_name);
    rp->rng_cadvisor = rng_stream_new(seed, name);
    if (rp->rng_scrape == NULL || rp->rng_cadvisor == NULL)
        return error_set(err, "out of memory creating random streams");
    /* Adopted pods have been sampled for an hour: two points already stored, the next sample
     * and scrape at uniform phases. */
    for (int i = 0; i < lc->n_all; i++) {
        lc_pod *lp = lc->all[i];
        if (lp->stage != LC_READY)
            continue;
        res_pod *rs = slot(rp, lp->id);
        if (rs == NULL)
            return error_set(err, "out of memory");
        rs->lp = lp;
        pod_sync(lp->p);
        res_point pt = {1, 0, lp->p->cpu_usage_core_ns - lp->cpu_at_start_core_ns,
                        pod_memory_bytes(lp->p)};
        double back = (double)rp->housekeeping_us * gsl_rng_uniform(rp->rng_cadvisor);
        pt.t_us = -(int64_t)back;
        rs->cadvisor = rs->last = pt;
        rs->prev = pt;
        rs->prev.t_us = pt.t_us - rp->resolution_us;
        rs->prev.cpu_core_ns -= lp->p->idle_milli * rp->resolution_us;
        double next = (double)rp->housekeeping_us * (1.0 + gsl_rng_uniform(rp->rng_cadvisor));
        engine_at(rp->eng, pt.t_us + (int64_t)next > 0 ? pt.t_us + (int64_t)next : 0,
                  on_housekeeping, rp, (uint64_t)lp->id);
    }
    double phase = (double)rp->resolution_us * gsl_rng_uniform(rp->rng_scrape);
    engine_at(rp->eng, (int64_t)phase, on_scrape, rp, 0);
    lc->on_running = on_running_hook;
    lc->hook_ctx = rp;
    return 0;
}

void res_pipeline_free(res_pipeline *rp) {
    free(rp->pods);
    if (rp->rng_scrape)
        gsl_rng_free(rp->rng_scrape);
    if (rp->rng_cadvisor)
        gsl_rng_free(rp->rng_cadvisor);
    memset(rp, 0, sizeof *rp);
}

int res_pipeline_query(const res_pipeline *rp, int memory, hpa_resource_sample *samples,
                       hpa_container_usage *usages) {
    int n = 0;
    for (int i = 0; i < rp->cap; i++) {
        const res_pod *rs = &rp->pods[i];
        if (rs->lp == NULL || !alive(rs->lp) || !rs->last.valid || !rs->prev.valid)
            continue;
        int64_t window = rs->last.t_us - rs->prev.t_us;
        if (window <= 0)
            continue;
        hpa_container_usage *u = &usages[n];
        u->name = "kserve-container";
        u->has_usage = 1;
        /* core-ns per us is millicores; metrics-server rounds to whole nanocores, well below */
        u->usage_milli = memory ? rs->last.mem_bytes * 1000
                                : (rs->last.cpu_core_ns - rs->prev.cpu_core_ns) / window;
        hpa_resource_sample *s = &samples[n];
        s->pod = rs->lp->name;
        s->timestamp_us = rs->last.t_us;
        s->window_us = window;
        s->containers = u;
        s->ncontainers = 1;
        n++;
    }
    return n;
}
