/* sim.c: see sim.h. */
#include "sim/model/sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/control/cron/civil.h"
#include "sim/model/cron_controller.h"
#include "sim/model/hpa_controller.h"

#define DRAIN_DEFAULT_US (60 * INT64_C(1000000))
#define HORIZON_NONE     (INT64_MAX / 4)

struct sim_model {
    const scenario_cfg *cfg;
    engine eng;
    service svc;
    request_pool pool;
    load_src *loads;
    size_t n_loads;
    int loads_busy; /* sources not yet idle */
    int engine_ok, service_ok;

    lifecycle lc;
    hpa_ctl hpa;
    int lc_ok, hpa_ok;
    cron_ctl cron;
    int cron_ok;
    keda_ctl keda;
    int keda_ok;

    traffic second;
    sim_stats st;
    sim_observer obs;
    int64_t horizon_us; /* HORIZON_NONE: run until the loads are done */
    int timeline_done;

    /* at the start of the current row */
    int64_t row_start_us;
    occupancy occ0;        /* its LLM counters */
    occupancy_areas area0; /* its time integrals */
    int64_t cpu0_core_ns;
    /* at time 0, for the whole-run figures */
    int64_t cpu_run_core_ns;
    occupancy_areas area_run;
};

/* The drain ends when no source has anything in flight and the server has finished the requests
 * whose clients gave up (so every record is back in the pool). */
static void maybe_stop(sim_model *m) {
    if (m->timeline_done && m->loads_busy == 0 && m->pool.live == 0)
        engine_stop(&m->eng);
}

static void on_done(void *ctx, request *r) {
    sim_model *m = ctx;
    int64_t now = m->eng.now_us;
    m->st.server_completed++;
    m->st.sum_wait_us += (double)(r->t_start_us - r->t_sent_us);
    m->st.sum_sojourn_us += (double)(now - r->t_sent_us);
    load_on_response(r->client, r);
    maybe_stop(m);
}

static void on_refused(void *ctx, request *r) {
    (void)ctx;
    load_on_refused(r->client, r);
}

static void on_load_idle(void *ctx, load_src *l) {
    sim_model *m = ctx;
    l->on_idle = NULL; /* once */
    m->loads_busy--;
    maybe_stop(m);
}

/* The true value of metric i over the row's second, in the unit of its target. CPU figures are
 * over the Running pods (cpu_req_pct of the request, cpu_cap_pct of the limit); the others come
 * from the row. */
static double true_value(const sim_model *m, const hpa_metric_spec *ms, const sim_second *row,
                         double cpu_req_pct, double cpu_cap_pct) {
    const pod_cfg *pc = &m->cfg->service.pod;
    double dt = row->dt_us > 0 ? (double)row->dt_us / 1e6 : 1.0;
    int pods = row->pods_total > 0 ? row->pods_total : 1;
    if (ms->type == HPA_METRIC_RESOURCE || ms->type == HPA_METRIC_CONTAINER_RESOURCE) {
        int mem = ms->name && strcmp(ms->name, "memory") == 0;
        double pct = mem ? row->mem_util_pct : cpu_req_pct;
        if (ms->target.has_utilization && !ms->target.has_average_value)
            return pct;
        return mem ? pct / 100.0 * (double)pc->memory_request_bytes
                   : pct / 100.0 * (double)pc->cpu_request_milli / 1000.0;
    }
    for (size_t i = 0; i < m->cfg->metrics.n_prom; i++) {
        const prom_metric_cfg *pm = &m->cfg->metrics.prom[i];
        if (ms->name == NULL || strcmp(pm->name, ms->name) != 0)
            continue;
        double v = 0;
        switch (pm->source) {
        case SERIES_BUSY_PCT:
            return ms->type == HPA_METRIC_PODS ? cpu_cap_pct : cpu_cap_pct * pods;
        case SERIES_INFLIGHT:
            v = row->inflight;
            break;
        case SERIES_QUEUE:
            v = row->queued;
            break;
        case SERIES_REQUESTS:
            v = (double)row->offered / dt;
            break;
        case SERIES_GPU_UTIL:
        case SERIES_PROCESS_SM_UTIL:
            v = row->gpu_util_pct * pods;
            break;
        case SERIES_SM_ACTIVE:
            v = row->sm_active * pods;
            break;
        case SERIES_SM_OCCUPANCY:
            return NAN; /* not integrated service-wide */
        case SERIES_LLM_RUNNING:
            v = row->inflight - row->queued;
            break;
        case SERIES_LLM_WAITING:
            v = row->queued;
            break;
        }
        if (ms->type == HPA_METRIC_PODS)
            return v / pods;
        return v;
    }
    return NAN;
}

static void fill_hpa_columns(sim_model *m, sim_second *row) {
    row->has_hpa = 1;
    row->desired_replicas = m->lc.spec_replicas;
    row->current_replicas = m->lc.n_live;
    row->pods_unscheduled = lifecycle_unscheduled(&m->lc);
    if (!m->hpa_ok) /* a CronHPA alone: the replica columns, no metrics */
        return;
    row->nmetrics = hpa_ctl_nmetrics(&m->hpa);
    double req_pct, cap_pct;
    hpa_ctl_true_cpu(&m->hpa, &req_pct, &cap_pct);
    for (int i = 0; i < row->nmetrics && i < HPA_MAX_METRICS; i++) {
        row->metric_true[i] = true_value(m, hpa_ctl_metric(&m->hpa, i), row, req_pct, cap_pct);
        row->metric_seen[i] = hpa_ctl_observed(&m->hpa, i);
    }
}

static uint64_t requests_arrived(void *ctx) {
    const sim_model *m = ctx;
    return m->st.client.offered; /* counted at each send */
}

static void emit_row(sim_model *m) {
    int64_t now = m->eng.now_us;
    int64_t cpu = service_cpu_usage_core_ns(&m->svc);
    const occupancy *o = &m->svc.occ, *o0 = &m->occ0;
    occupancy_areas a = occupancy_areas_at(o, now), *a0 = &m->area0;
    sim_second row;
    memset(&row, 0, sizeof row);
    row.t_us = m->row_start_us;
    row.dt_us = now - m->row_start_us;
    row.offered = m->second.offered;
    row.completed = m->second.completed;
    row.failed = m->second.failed;
    for (size_t i = 0; i < m->n_loads; i++)
        load_flush_second(&m->loads[i], &m->second.latency);
    static const double quantiles[3] = {0.50, 0.95, 0.99};
    int64_t pct[3];
    histogram_percentiles(&m->second.latency, quantiles, pct, 3);
    row.p50_us = pct[0];
    row.p95_us = pct[1];
    row.p99_us = pct[2];
    row.mean_us = histogram_mean(&m->second.latency);
    double dt = row.dt_us > 0 ? (double)row.dt_us : 1.0;
    int64_t svc_area = a.in_service - a0->in_service;
    int64_t q_area = (a.pod_queued - a0->pod_queued) + (a.central - a0->central);
    int64_t podq_area = a.pod_queued - a0->pod_queued;
    int64_t pod_area = a.pods - a0->pods;
    row.inflight = (double)(svc_area + q_area) / dt;
    row.queued = (double)q_area / dt;
    row.pods_ready = (int)o->pods_ready;
    row.pods_total = (int)o->pods;
    row.pod_seconds = (double)pod_area / 1e6;
    const pod_cfg *pc = &m->cfg->service.pod;
    if (pod_area > 0 && pc->cpu_request_milli > 0)
        row.cpu_util_pct = 100.0 * (double)(cpu - m->cpu0_core_ns) /
                           ((double)pc->cpu_request_milli * (double)pod_area);
    if (pod_area > 0 && pc->memory_request_bytes > 0)
        row.mem_util_pct = 100.0 *
                           ((double)pc->memory_base_bytes * (double)pod_area +
                            (double)pc->memory_per_request_bytes * (double)(svc_area + podq_area)) /
                           ((double)pc->memory_request_bytes * (double)pod_area);
    if (pc->llm != NULL) {
        row.has_llm = 1;
        row.tokens_per_s = (double)(o->llm_tokens - o0->llm_tokens) * 1e6 / dt;
        if (pod_area > 0) {
            row.gpu_util_pct = 100.0 * (o->llm_busy_us - o0->llm_busy_us) / (double)pod_area;
            row.sm_active = (o->llm_sm_active_us - o0->llm_sm_active_us) / (double)pod_area;
            row.batch = (o->llm_batch_area_us - o0->llm_batch_area_us) / (double)pod_area;
        }
    }
    if (m->lc_ok)
        fill_hpa_columns(m, &row);
    if (m->obs.second)
        m->obs.second(m->obs.ctx, &row);
    m->second.offered = m->second.completed = m->second.failed = 0;
    histogram_merge(&m->st.client.latency, &m->second.latency);
    histogram_reset(&m->second.latency);
    m->row_start_us = now;
    m->occ0 = *o;
    m->area0 = a;
    m->cpu0_core_ns = cpu;
}

static void finish_timeline(sim_model *m) {
    int64_t now = m->eng.now_us;
    const occupancy *o = &m->svc.occ;
    occupancy_areas a = occupancy_areas_at(o, now);
    int64_t cpu = service_cpu_usage_core_ns(&m->svc);
    int64_t pod_area = a.pods - m->area_run.pods;
    int64_t inpod_area =
        (a.in_service - m->area_run.in_service) + (a.pod_queued - m->area_run.pod_queued);
    const pod_cfg *pc = &m->cfg->service.pod;
    m->st.horizon_us = now;
    m->st.pod_seconds = (double)pod_area / 1e6;
    if (pod_area > 0 && pc->cpu_request_milli > 0)
        m->st.cpu_util_pct = 100.0 * (double)(cpu - m->cpu_run_core_ns) /
                             ((double)pc->cpu_request_milli * (double)pod_area);
    if (pod_area > 0 && pc->memory_request_bytes > 0)
        m->st.mem_util_pct = 100.0 *
                             ((double)pc->memory_base_bytes * (double)pod_area +
                              (double)pc->memory_per_request_bytes * (double)inpod_area) /
                             ((double)pc->memory_request_bytes * (double)pod_area);
    m->st.pods_ready = (int)o->pods_ready;
    m->st.pods_total = (int)o->pods;
    m->timeline_done = 1;
}

static void on_tick(engine *eng, void *obj, uint64_t arg) {
    (void)arg;
    sim_model *m = obj;
    if (m->timeline_done)
        return;
    emit_row(m);
    int64_t now = eng->now_us;
    if (now >= m->horizon_us || (m->horizon_us == HORIZON_NONE && m->loads_busy == 0)) {
        finish_timeline(m);
        maybe_stop(m);
        return;
    }
    int64_t next = (now / 1000000 + 1) * 1000000;
    if (next > m->horizon_us)
        next = m->horizon_us;
    engine_at(eng, next, on_tick, m, 0);
}

/* Duration 0: run until every phase is over; that needs each to have an end. */
static int check_ends(const scenario_cfg *cfg, sim_error *err) {
    for (size_t i = 0; i < cfg->n_loads; i++) {
        const load_cfg *c = &cfg->loads[i];
        if (c->end_us != INT64_MAX && c->end_us > 0)
            continue;
        if (c->kind == LOAD_CLOSED)
            continue; /* -z, or -n (hey's default 200 when neither) */
        return error_set(err,
                         "duration: a scenario without a duration needs every load phase to end; "
                         "loads[%zu] (%s) has no end",
                         i, c->name);
    }
    return 0;
}

sim_model *sim_model_new(const scenario_cfg *cfg, int queue_arity, sim_error *err) {
    if (cfg->duration_us < 0) {
        error_set(err, "duration: must be >= 0");
        return NULL;
    }
    if (cfg->n_loads > 0 && cfg->loads == NULL) {
        error_set(err, "loads: %zu phases announced but none given", cfg->n_loads);
        return NULL;
    }
    if (cfg->duration_us == 0 && check_ends(cfg, err) < 0)
        return NULL;
    sim_model *m = calloc(1, sizeof *m);
    if (m == NULL) {
        error_set(err, "out of memory");
        return NULL;
    }
    m->cfg = cfg;
    histogram_init(&m->second.latency);
    histogram_init(&m->st.client.latency);
    request_pool_init(&m->pool);
    m->horizon_us = cfg->duration_us > 0 ? cfg->duration_us : HORIZON_NONE;
    if (engine_init(&m->eng, queue_arity, err) < 0)
        goto fail;
    m->engine_ok = 1;
    service_hooks hooks = {on_done, on_refused, m};
    if (service_init(&m->svc, &cfg->service, cfg->seed, &m->eng, hooks, err) < 0) {
        service_free(&m->svc);
        goto fail;
    }
    m->service_ok = 1;
    if (cfg->hpa.present || cfg->cronhpa.present) {
        if (lifecycle_init(&m->lc, &m->svc, &cfg->service, cfg->seed, err) < 0) {
            lifecycle_free(&m->lc);
            goto fail;
        }
        m->lc_ok = 1;
    }
    if (cfg->hpa.present) {
        if (hpa_ctl_init(&m->hpa, &cfg->hpa, &cfg->metrics, &m->lc, cfg->service.name, cfg->seed,
                         requests_arrived, m, err) < 0) {
            hpa_ctl_free(&m->hpa);
            goto fail;
        }
        m->hpa_ok = 1;
    }
    if (cfg->keda.present && m->hpa_ok) {
        m->keda_ok = 1;
        if (keda_ctl_init(&m->keda, &cfg->keda, sim_start_unix_us(cfg), err) < 0)
            goto fail;
        m->hpa.keda_value = keda_ctl_value;
        m->hpa.keda_ctx = &m->keda;
    }
    if (cfg->cronhpa.present) {
        if (cron_ctl_init(&m->cron, &cfg->cronhpa, sim_start_unix_us(cfg), &m->lc,
                          m->hpa_ok ? &m->hpa : NULL, cfg->seed, err) < 0) {
            cron_ctl_free(&m->cron);
            goto fail;
        }
        m->cron_ok = 1;
    }
    if (cfg->n_loads > 0) {
        m->loads = calloc(cfg->n_loads, sizeof *m->loads);
        if (m->loads == NULL) {
            error_set(err, "out of memory");
            goto fail;
        }
    }
    for (size_t i = 0; i < cfg->n_loads; i++) {
        m->n_loads = i + 1;
        if (load_init(&m->loads[i], &cfg->loads[i], (int)i, cfg->seed, m->horizon_us, &m->eng,
                      &m->svc, &m->pool, &m->second, &m->st.client, err) < 0)
            goto fail;
        for (size_t k = 0; k < i; k++)
            if (strcmp(cfg->loads[k].name, cfg->loads[i].name) == 0) {
                error_set(err,
                          "loads[%zu].name: \"%s\" is also the name of loads[%zu]; each phase "
                          "needs its own name (it names its random stream)",
                          i, cfg->loads[i].name, k);
                goto fail;
            }
        m->loads[i].on_idle = on_load_idle;
        m->loads[i].idle_ctx = m;
    }
    if (m->n_loads == 1)
        load_share_second(&m->loads[0], &m->second.latency);
    return m;
fail:
    sim_model_free(m);
    return NULL;
}

void sim_model_free(sim_model *m) {
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n_loads; i++)
        load_free(&m->loads[i]);
    free(m->loads);
    if (m->cron_ok)
        cron_ctl_free(&m->cron);
    if (m->keda_ok)
        keda_ctl_free(&m->keda);
    if (m->hpa_ok)
        hpa_ctl_free(&m->hpa);
    if (m->lc_ok)
        lifecycle_free(&m->lc);
    if (m->service_ok)
        service_free(&m->svc);
    if (m->engine_ok)
        engine_free(&m->eng);
    request_pool_free(&m->pool);
    free(m);
}

void sim_model_set_observer(sim_model *m, sim_observer obs) {
    m->obs = obs;
}

int sim_model_run(sim_model *m, sim_error *err) {
    m->loads_busy = (int)m->n_loads;
    for (size_t i = 0; i < m->n_loads; i++)
        load_start(&m->loads[i]);
    int64_t first = m->horizon_us < 1000000 ? m->horizon_us : 1000000;
    engine_at(&m->eng, first, on_tick, m, 0);
    /* The timeline; with no duration, on_tick ends it when the loads are done. */
    if (engine_run(&m->eng, m->horizon_us == HORIZON_NONE ? INT64_MAX : m->horizon_us, err) < 0)
        return -1;
    if (!m->timeline_done) /* cannot happen: the tick is always pending until the end */
        return error_set(err, "internal error: the timeline ended early");
    /* The drain: no new sends; let what was sent finish. */
    if (m->loads_busy > 0 || m->pool.live > 0) {
        int64_t cap = 0;
        for (size_t i = 0; i < m->n_loads; i++)
            if (m->loads[i].timeout_us > cap)
                cap = m->loads[i].timeout_us;
        if (cap == 0)
            cap = DRAIN_DEFAULT_US;
        if (engine_run(&m->eng, m->st.horizon_us + cap, err) < 0)
            return -1;
    }
    m->st.end_us = m->eng.now_us > m->st.horizon_us ? m->eng.now_us : m->st.horizon_us;
    for (size_t i = 0; i < m->n_loads; i++)
        load_flush_second(&m->loads[i], &m->second.latency);
    histogram_merge(&m->st.client.latency, &m->second.latency); /* responses during the drain */
    histogram_reset(&m->second.latency);
    for (size_t i = 0; i < m->n_loads; i++) {
        const load_src *l = &m->loads[i];
        m->st.timeouts += l->st.timeouts;
        m->st.refused += l->st.refused;
        m->st.unfinished += (uint64_t)l->n_inflight;
    }
    m->st.events = m->eng.events_run;
    m->st.live_requests = m->pool.live;
    m->st.request_slabs = m->pool.n_slabs;
    return 0;
}

const sim_stats *sim_model_stats(const sim_model *m) {
    return &m->st;
}
size_t sim_model_n_loads(const sim_model *m) {
    return m->n_loads;
}
const load_src *sim_model_load(const sim_model *m, size_t i) {
    return &m->loads[i];
}
engine *sim_model_engine(sim_model *m) {
    return &m->eng;
}
service *sim_model_service(sim_model *m) {
    return &m->svc;
}
const struct hpa_ctl *sim_model_hpa(const sim_model *m) {
    return m->hpa_ok ? &m->hpa : NULL;
}
const struct cron_ctl *sim_model_cron(const sim_model *m) {
    return m->cron_ok ? &m->cron : NULL;
}
const struct keda_ctl *sim_model_keda(const sim_model *m) {
    return m->keda_ok ? &m->keda : NULL;
}
int64_t sim_start_unix_us(const scenario_cfg *cfg) {
    if (cfg->has_start)
        return cfg->start_unix_us;
    /* 2024-01-01T00:00:00 on the CronHPA controller's clock (UTC without one) */
    int64_t wall = civil_days_from_date(2024, 1, 1) * 86400;
    cron_zone *z = NULL;
    sim_error e;
    if (cfg->cronhpa.present && cron_zone_load(cfg->cronhpa.tz, &z, &e) < 0)
        z = NULL;
    int64_t s = cron_zone_date(z, wall);
    cron_zone_free(z);
    return s * 1000000;
}
const struct lifecycle *sim_model_lifecycle(const sim_model *m) {
    return m->lc_ok ? &m->lc : NULL;
}
void sim_model_set_sync_observer(sim_model *m,
                                 void (*fn)(void *ctx, const hpa_inputs *in, const hpa_decision *d),
                                 void *ctx) {
    if (m->hpa_ok) {
        m->hpa.on_sync = fn;
        m->hpa.on_sync_ctx = ctx;
    }
}
