/* load.c: see load.h. */
#include "sim/model/load.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/rng.h"

#define UNIFORM_STEP_US 1000.0

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
    l->gap_next = LOAD_GAP_BATCH;
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
        switch (c->shape) {
        case RATE_CONSTANT:
            l->rate_peak = c->rate;
            break;
        case RATE_RAMP:
            l->rate_peak = fmax(c->rate_from, c->rate_to);
            break;
        case RATE_DIURNAL:
            l->rate_peak = c->rate_max;
            break;
        default:
            for (size_t k = 0; k < c->n_points; k++)
                l->rate_peak = fmax(l->rate_peak, c->points[k].rps);
        }
        l->gap_mean_us = l->rate_peak > 0 ? 1e6 / l->rate_peak : 0;
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

static double points_rate(const load_cfg *c, int64_t rel) {
    const rate_point *p = c->points;
    size_t n = c->n_points;
    if (rel <= p[0].t_us)
        return p[0].rps;
    if (rel >= p[n - 1].t_us)
        return p[n - 1].rps;
    size_t lo = 0, hi = n - 1; /* p[lo].t <= rel < p[hi].t */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (p[mid].t_us <= rel)
            lo = mid;
        else
            hi = mid;
    }
    if (c->shape == RATE_STEP || c->interpolation == INTERP_STEP)
        return p[lo].rps;
    double f = (double)(rel - p[lo].t_us) / (double)(p[hi].t_us - p[lo].t_us);
    return p[lo].rps + (p[hi].rps - p[lo].rps) * f;
}

double load_rate_at(const load_src *l, int64_t t_us) {
    const load_cfg *c = l->cfg;
    int64_t rel = t_us - l->start_us;
    switch (c->shape) {
    case RATE_CONSTANT:
        return c->rate;
    case RATE_RAMP: {
        int64_t span = l->stop_us - l->start_us;
        double f = span > 0 ? (double)rel / (double)span : 1.0;
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        return c->rate_from + (c->rate_to - c->rate_from) * f;
    }
    case RATE_DIURNAL: {
        double mid = (c->rate_min + c->rate_max) / 2, amp = (c->rate_max - c->rate_min) / 2;
        double x = (double)(rel - c->peak_at_us) / (double)c->period_us;
        return mid + amp * cos(2 * M_PI * x);
    }
    case RATE_STEP:
    case RATE_TRACE:
        return points_rate(c, rel);
    }
    return 0;
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

/* Advances clock_us to the next arrival; returns 0 when there is none before stop_us. */
static int next_arrival(load_src *l) {
    const load_cfg *c = l->cfg;
    double stop = (double)l->stop_us;
    if (l->rate_peak <= 0)
        return 0;
    if (c->arrivals == ARRIVALS_POISSON) {
        if (c->shape == RATE_CONSTANT) { /* no thinning: every gap is an arrival */
            if (l->gap_next == LOAD_GAP_BATCH) {
                for (int i = 0; i < LOAD_GAP_BATCH; i++)
                    l->gap_ahead[i] = zig_exp(l->rng);
                l->gap_next = 0;
            }
            /* mean * unit draw: the very product dist_exponential forms */
            l->clock_us += l->gap_mean_us * l->gap_ahead[l->gap_next++];
            return l->clock_us < stop;
        }
        for (;;) {
            l->clock_us += dist_exponential(l->rng, l->gap_mean_us);
            if (l->clock_us >= stop)
                return 0;
            double r = load_rate_at(l, (int64_t)l->clock_us);
            if (rng_uniform(l->rng) * l->rate_peak < r)
                return 1;
        }
    }
    if (c->shape == RATE_CONSTANT) {
        l->clock_us += 1e6 / c->rate;
        return l->clock_us < stop;
    }
    /* Uniform under a varying rate: the next arrival is where the integral of r(t) has grown by
     * one request, integrated in steps of at most 1 ms (rate taken at each step's middle). */
    double need = 1.0;
    for (;;) {
        double h = UNIFORM_STEP_US;
        double r = load_rate_at(l, (int64_t)(l->clock_us + h / 2));
        if (r * h / 1e6 >= need) {
            l->clock_us += need * 1e6 / r;
            return l->clock_us < stop;
        }
        need -= r * h / 1e6;
        l->clock_us += h;
        if (r == 0 && (c->shape == RATE_STEP || c->shape == RATE_TRACE)) {
            /* a stretch of rate 0 between points: jump to the next point */
            int64_t rel = (int64_t)l->clock_us - l->start_us;
            size_t k = 0;
            while (k < c->n_points && c->points[k].t_us <= rel)
                k++;
            if (k == c->n_points && c->points[k - 1].rps == 0)
                return 0; /* the last point's rate, 0, holds forever */
            if (k < c->n_points && (k == 0 || c->points[k - 1].rps == 0) &&
                (c->shape == RATE_STEP || c->interpolation == INTERP_STEP))
                l->clock_us = (double)(l->start_us + c->points[k].t_us);
        }
        if (l->clock_us >= stop)
            return 0;
    }
}

static void schedule_arrival(load_src *l) {
    if (!next_arrival(l))
        l->sending = 0;
    else if (l->lane >= 0)
        engine_lane_at(l->eng, l->lane, (int64_t)l->clock_us, on_arrival, l, 0);
    else
        engine_at(l->eng, (int64_t)l->clock_us, on_arrival, l, 0);
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
    l->clock_us = (double)l->start_us;
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
