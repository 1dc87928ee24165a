/* load.h: load sources (the clients) and what each of them sees.
 *
 * Closed loop, as rakyll/hey does it (requester/requester.go and hey.go at 8985827):
 *   - `workers` (-c) workers start together at the phase start; each sends a request, waits for
 *     its response (or its client timeout), then sends the next;
 *   - -n: each worker sends n / c requests (hey ignores the remainder; n < c is an error);
 *     neither -n nor -z: hey's default n = 200; with -z, n is ignored;
 *   - -z: at start + z the workers stop; a worker checks for the stop before each request, and
 *     requests already sent run to completion and are counted (so hey's Total exceeds z);
 *   - -q: each worker has its own ticker of period floor(1e6 / q) us started with the worker; the
 *     first request waits one period; a tick that fires while the worker is busy is kept (Go's
 *     ticker channel holds one), so a slow response is followed by an immediate send, and
 *     further missed ticks are dropped. A worker that passed the stop check and then waits for a
 *     tick still sends (hey checks before it waits);
 *   - -t: the request fails at send + t (an error in hey's summary, the worker goes on at once),
 *     while the server keeps working on it; 0 = no timeout.
 * Open loop: arrivals at rate r(t) requests/s over the shapes of config.h, Poisson or uniform,
 * computed by rate.h (shared with loadgen, which offers the same load descriptions).
 * A request refused by the Service (no Ready endpoint) fails after LOAD_REFUSED_US, the time a
 * rejected TCP connect takes; hey counts it as an error too. No source sends at or after the
 * scenario horizon. */
#ifndef SCALESIM_MODEL_LOAD_H
#define SCALESIM_MODEL_LOAD_H

#include <gsl/gsl_rng.h>

#include "common/histogram.h"
#include "sim/model/rate.h"
#include "sim/model/service.h"

#define LOAD_REFUSED_US  1000
#define HEY_DEFAULT_N    200
#define LOAD_MAX_WORKERS 1000000 /* a sanity bound: each worker is a record and an event */

/* Client-side counts shared by all sources: one for the current second, one for the run. The
 * second's latency histogram is filled by load_flush_second (each source records a response once,
 * in its own histogram of the second); the owner merges it into the run's when it closes the
 * second (merges once a second instead of three records per response). */
typedef struct traffic {
    uint64_t offered, completed, failed;
    histogram latency; /* successful responses, microseconds */
} traffic;

/* What one source saw: the numbers hey prints. */
typedef struct load_stats {
    uint64_t sent, ok, timeouts, refused;
    histogram latency;
    int64_t t_first_us; /* phase start */
    int64_t t_last_us;  /* last result (response or error) */
} load_stats;

struct load_src;
typedef void (*load_idle_fn)(void *ctx, struct load_src *l);

typedef struct worker {
    int64_t remaining;    /* requests left; -1: unlimited (-z) */
    int64_t last_take_us; /* when it last took a tick (starts at the phase start) */
} worker;

typedef struct load_src {
    const load_cfg *cfg;
    int index;
    engine *eng;
    service *svc;
    request_pool *pool;
    traffic *second, *total;
    gsl_rng *rng;
    int64_t start_us, stop_us, horizon_us;
    int64_t timeout_us;

    worker *workers;
    int n_workers, workers_active;
    int64_t tick_us;

    rate_clock arrivals; /* open loop (rate.h) */
    int lane;            /* open loop: the engine lane of the next arrival, -1: the heap */
    int sending;         /* more requests may come */

    request *head, *tail; /* in flight, send order = deadline order; kept only with a timeout,
                             the one thing that needs the order (nothing to link otherwise) */
    int64_t n_inflight;   /* sent and neither answered nor given up on */
    int64_t timer_at_us;
    uint32_t timer_gen;

    load_stats st;
    histogram sec_latency; /* this second's successful responses; load_flush_second moves them
                              into st.latency and the shared second (exact: integer counts and
                              sums, below 2^53 us, add up in any order) */
    histogram *rec;        /* where responses are recorded: &sec_latency, or the owner's second
                              itself when this is its only source (load_share_second) */
    load_idle_fn on_idle;  /* called when nothing is left to send and nothing is in flight */
    void *idle_ctx;
} load_src;

/* Validates cfg (errors name "loads[index].field"), makes the stream named cfg->name. An end_us
 * of 0 means "not set", like INT64_MAX: the phase runs until the scenario ends. */
int load_init(load_src *l, const load_cfg *cfg, int index, uint64_t seed, int64_t horizon_us,
              engine *eng, service *svc, request_pool *pool, traffic *second, traffic *total,
              sim_error *err);
void load_free(load_src *l);

/* Schedules the phase start. */
void load_start(load_src *l);

/* The server finished r (r->client is l). Frees r. */
void load_on_response(load_src *l, request *r);

/* The service refused r. */
void load_on_refused(load_src *l, request *r);

/* Moves the latencies recorded since the last flush into the phase's histogram (st.latency)
 * and into `second` (the owner's histogram of the current second). The owner calls it for every
 * source before it reads either: at the end of each second and of the run. */
void load_flush_second(load_src *l, histogram *second);

/* The owner has no other source: l records straight into `second` (the histogram it will pass to
 * load_flush_second, which then only has to add it to the phase's). */
static inline void load_share_second(load_src *l, histogram *second) {
    l->rec = second;
}

/* Nothing more to send and nothing in flight. */
static inline int load_idle(const load_src *l) {
    return !l->sending && l->n_inflight == 0;
}

#endif
