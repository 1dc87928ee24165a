/* load.c: see load.h. */
#include "sim/model/load.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/rng.h"
#include "sim/model/rate.h"

static int finite_rate(double r) {
    return isfinite(r) && r >= 0;
}

static int check_open(const load_cfg *c, int i, sim_error *err) {
    switch (c->shape) {
    case RATE_CONSTANT:
        if (!finite_rate(c->rate))
            return error_set(err, "loads[%d].rate: must be a finite number >= 0 (got %g)", i,
                             c->rate);
        return 0;
    case RATE_RAMP:
        if (!finite_rate(c->rate_from) || !finite_rate(c->rate_to))
            return error_set(err, "loads[%d]: ramp rates must be finite numbers >= 0", i);
        return 0;
    case RATE_DIURNAL:
        if (!finite_rate(c->rate_min) || !finite_rate(c->rate_max) || c->rate_max < c->rate_min)
            return error_set(err, "loads[%d]: diurnal needs 0 <= rate_min <= rate_max", i);
        if (c->period_us <= 0)
            return error_set(err, "loads[%d].period: must be > 0", i);
        return 0;
    case RATE_STEP:
    case RATE_TRACE:
        if (c->n_points == 0 || c->points == NULL)
            return error_set(err, "loads[%d]: %s needs at least one point", i,
                             c->shape == RATE_STEP ? "step" : "trace");
        for (size_t k = 0; k < c->n_points; k++) {
            if (!finite_rate(c->points[k].rps))
                return error_set(err, "loads[%d].points[%zu]: rate must be finite and >= 0", i, k);
            if (k > 0 && c->points[k].t_us <= c->points[k - 1].t_us)
                return error_set(err, "loads[%d].points[%zu]: times must increase", i, k);
        }
        return 0;
    }
    return error_set(err, "loads[%d]: unknown rate shape %d", i, (int)c->shape);
}

int load_init(load_src *l, const load_cfg *c, int i, uint64_t seed, int64_t horizon_us, engine *eng,
              service *svc, request_pool *pool, traffic *second, traffic *total, sim_error *err) {
    memset(l, 0, sizeof *l);
    l->cfg = c;
    l->index = i;
    l->eng = eng;
    l->svc = svc;
    l->pool = pool;
    l->second = second;
    l->total = total;
    l->horizon_us = horizon_us;
    l->timer_at_us = -1;
    l->lane = -1;
    histogram_init(&l->st.latency);
    histogram_init(&l->sec_latency);
    l->rec = &l->sec_latency;
    if (c->start_us < 0)
        return error_set(err, "loads[%d].start: must be >= 0", i);
    if (c->end_us < 0)
        return error_set(err, "loads[%d].end: must be >= 0", i);
    int64_t end_us = c->end_us > 0 ? c->end_us : INT64_MAX; /* 0: not set, as INT64_MAX */
    if (end_us <= c->start_us)
        return error_set(err, "loads[%d].end: must be after start", i);
    if (c->timeout_us < 0)
        return error_set(err, "loads[%d].timeout: must be >= 0", i);
    l->start_us = c->start_us;
    l->stop_us = end_us < horizon_us ? end_us : horizon_us;
    l->timeout_us = c->timeout_us;
    if (c->kind == LOAD_CLOSED) {
        if (c->workers < 1)
            return error_set(err, "loads[%d].c: needs at least one worker (got %d)", i, c->workers);
        if (c->workers > LOAD_MAX_WORKERS)
            return error_set(err, "loads[%d].c: at most %d workers (got %d)", i, LOAD_MAX_WORKERS,
                             c->workers);
        if (c->duration_us < 0 || c->total_requests < 0)
            return error_set(err, "loads[%d]: -z and -n must be >= 0", i);
        if (!isfinite(c->qps_per_worker) || c->qps_per_worker < 0 || c->qps_per_worker > 1e6)
            return error_set(err, "loads[%d].q: must be between 0 and 1000000 (got %g)", i,
                             c->qps_per_worker);
        int64_t quota = -1;
        if (c->duration_us > 0) {
            if (c->start_us + c->duration_us < l->stop_us)
                l->stop_us = c->start_us + c->duration_us;
        } else {
            int64_t n = c->total_requests > 0 ? c->total_requests : HEY_DEFAULT_N;
            if (n < c->workers)
                return error_set(err, "loads[%d]: -n cannot be less than -c (n %lld, c %d)", i,
                                 (long long)n, c->workers);
            quota = n / c->workers;
        }
        l->tick_us = c->qps_per_worker > 0 ? (int64_t)(1e6 / c->qps_per_worker) : 0;
        l->workers = calloc((size_t)c->workers, sizeof *l->workers);
        if (l->workers == NULL)
            return error_set(err, "out of memory for %d workers", c->workers);
        l->n_workers = c->workers;
        for (int w = 0; w < c->workers; w++) {
            l->workers[w].remaining = quota;
            l->workers[w].last_take_us = c->start_us;
        }
    } else if (c->kind == LOAD_OPEN) {
        if (check_open(c, i, err) < 0)
            return -1;
        if (c->arrivals != ARRIVALS_POISSON && c->arrivals != ARRIVALS_UNIFORM)
            return error_set(err, "loads[%d].arrivals: unknown kind %d", i, (int)c->arrivals);
        l->lane = engine_lane_new(eng); /* -1 past EQ_LANES phases: those use the heap */
    } else {
        return error_set(err, "loads[%d].kind: unknown %d", i, (int)c->kind);
    }
    l->rng = rng_stream_new(seed, c->name);
    if (l->rng == NULL)
        return error_set(err, "out of memory creating a random stream");
    l->st.t_first_us = c->start_us;
    l->st.t_last_us = c->start_us;
    return 0;
}

void load_free(load_src *l) {
    free(l->workers);
    if (l->rng)
        gsl_rng_free(l->rng);
    l->workers = NULL;
    l->rng = NULL;
}

/* ---- the client side: in-flight list, timeouts, results ---- */

static void on_timeout_timer(engine *eng, void *obj, uint64_t gen);
static void worker_ready(load_src *l, int w);

static void arm_timer(load_src *l) {
    if (l->timeout_us <= 0 || l->head == NULL)
        return;
    int64_t due = l->head->t_sent_us + l->timeout_us;
    if (l->timer_at_us >= 0 && l->timer_at_us <= due)
        return; /* an earlier check is pending; it re-arms */
    l->timer_gen++;
    l->timer_at_us = due;
    engine_at(l->eng, due, on_timeout_timer, l, l->timer_gen);
}

static void unlink_req(load_src *l, request *r) {
    l->n_inflight--;
    if (l->timeout_us <= 0)
        return; /* not linked: see send */
    if (r->prev)
        r->prev->next = r->next;
    else
        l->head = r->next;
    if (r->next)
        r->next->prev = r->prev;
    else
        l->tail = r->prev;
    r->next = r->prev = NULL;
}

static void check_idle(load_src *l) {
    if (load_idle(l) && l->on_idle)
        l->on_idle(l->idle_ctx, l);
}

static void fail(load_src *l, int w) {
    l->st.t_last_us = l->eng->now_us;
    l->second->failed++;
    l->total->failed++;
    if (w >= 0)
        worker_ready(l, w);
}

static void on_timeout_timer(engine *eng, void *obj, uint64_t gen) {
    load_src *l = obj;
    if ((uint32_t)gen != l->timer_gen)
        return;
    l->timer_at_us = -1;
    while (l->head && l->head->t_sent_us + l->timeout_us <= eng->now_us) {
        request *r = l->head;
        int w = r->worker;
        unlink_req(l, r);
        if (service_cancel(l->svc, r))
            request_free(l->pool, r); /* it never reached a pod */
        else
            r->client_gone = 1; /* a pod (or the refusal) finishes it and frees it */
        l->st.timeouts++;
        fail(l, w);
    }
    arm_timer(l);
    check_idle(l);
}

static void send(load_src *l, int w) {
    request *r = request_new(l->pool);
    if (r == NULL) {
        l->eng->out_of_memory = 1;
        return;
    }
    r->client = l;
    r->worker = w;
    r->t_sent_us = l->eng->now_us;
    l->n_inflight++;
    if (l->timeout_us > 0) { /* the list serves the timeout timer only */
        r->prev = l->tail;
        if (l->tail)
            l->tail->next = r;
        else
            l->head = r;
        l->tail = r;
        if (l->timer_at_us < 0)
            arm_timer(l);
    }
    l->st.sent++;
    l->second->offered++;
    l->total->offered++;
    if (service_submit(l->svc, r) < 0)
        l->eng->out_of_memory = 1;
}

void load_on_response(load_src *l, request *r) {
    if (r->client_gone) {
        request_free(l->pool, r);
        return;
    }
    int64_t now = l->eng->now_us;
    int64_t lat = now - r->t_sent_us;
    int w = r->worker;
    unlink_req(l, r);
    request_free(l->pool, r);
    l->st.ok++;
    l->st.t_last_us = now;
    histogram_record(l->rec, lat); /* load_flush_second passes it on */
    l->second->completed++;
    l->total->completed++;
    if (w >= 0)
        worker_ready(l, w);
    check_idle(l);
}

void load_flush_second(load_src *l, histogram *second) {
    if (l->rec == second) { /* the only source: `second` holds exactly its responses */
        histogram_merge(&l->st.latency, second);
        return;
    }
    if (l->sec_latency.count == 0)
        return;
    histogram_merge(&l->st.latency, &l->sec_latency);
    histogram_merge(second, &l->sec_latency);
    histogram_reset(&l->sec_latency);
}

static void on_refused_late(engine *eng, void *obj, uint64_t gen) {
    (void)eng;
    request *r = obj;
    load_src *l = r->client;
    if ((uint32_t)gen != r->gen)
        return;
    if (r->client_gone) { /* the timeout came first */
        request_free(l->pool, r);
        return;
    }
    int w = r->worker;
    unlink_req(l, r);
    request_free(l->pool, r);
    l->st.refused++;
    fail(l, w);
    check_idle(l);
}

void load_on_refused(load_src *l, request *r) {
    engine_after(l->eng, LOAD_REFUSED_US, on_refused_late, r, r->gen);
}

/* ---- closed loop ---- */

static void on_worker_send(engine *eng, void *obj, uint64_t w) {
    (void)eng;
    send(obj, (int)w);
}

static void worker_done(load_src *l) {
    l->workers_active--;
    if (l->workers_active == 0)
        l->sending = 0;
}

/* hey's loop body: stop check, then wait for a tick (with -q), then send. */
static void worker_ready(load_src *l, int w) {
    worker *k = &l->workers[w];
    int64_t now = l->eng->now_us;
    if (now >= l->stop_us || k->remaining == 0) {
        worker_done(l);
        return;
    }
    int64_t at = now;
    if (l->tick_us > 0) {
        int64_t next_tick =
            l->start_us + ((k->last_take_us - l->start_us) / l->tick_us + 1) * l->tick_us;
        if (next_tick > now)
            at = next_tick;
    }
    if (at >= l->horizon_us) {
        worker_done(l);
        return;
    }
    k->last_take_us = at;
    if (k->remaining > 0)
        k->remaining--;
    if (at > now)
        engine_at(l->eng, at, on_worker_send, l, (uint64_t)w);
    else
        send(l, w);
}

static void on_closed_start(engine *eng, void *obj, uint64_t arg) {
    (void)eng;
    (void)arg;
    load_src *l = obj;
    l->workers_active = l->n_workers;
    for (int w = 0; w < l->n_workers; w++)
        worker_ready(l, w);
    check_idle(l);
}

/* ---- open loop ---- */

static void on_arrival(engine *eng, void *obj, uint64_t arg);

static void schedule_arrival(load_src *l) {
    if (!rate_clock_next(&l->arrivals, l->rng))
        l->sending = 0;
    else if (l->lane >= 0)
        engine_lane_at(l->eng, l->lane, (int64_t)l->arrivals.clock_us, on_arrival, l, 0);
    else
        engine_at(l->eng, (int64_t)l->arrivals.clock_us, on_arrival, l, 0);
}

static void on_arrival(engine *eng, void *obj, uint64_t arg) {
    (void)eng;
    (void)arg;
    load_src *l = obj;
    send(l, -1);
    schedule_arrival(l);
    check_idle(l);
}

static void on_open_start(engine *eng, void *obj, uint64_t arg) {
    (void)eng;
    (void)arg;
    load_src *l = obj;
    rate_clock_init(&l->arrivals, l->cfg, l->start_us, l->stop_us, 1.0);
    schedule_arrival(l);
    check_idle(l);
}

void load_start(load_src *l) {
    if (l->start_us >= l->stop_us) {
        l->sending = 0;
        return;
    }
    l->sending = 1;
    engine_at(l->eng, l->start_us, l->cfg->kind == LOAD_CLOSED ? on_closed_start : on_open_start, l,
              0);
}
