/* lg_engine.h: one event loop (one thread) driving HTTP/1.1 keep-alive connections on epoll.
 *
 * Closed loop, as hey runs it (rakyll/hey requester/requester.go at 8985827): `conns` workers,
 * each with its own connection, sends its next request when the previous one ended; with
 * per_worker_requests > 0 each stops after that many (hey's n/c), with duration_us > 0 all stop
 * sending at the deadline and the loop waits for the requests in flight (as hey does); qps > 0
 * paces each worker with hey's ticker (one tick every floor(1e6/q) us, missed ticks dropped but
 * one kept). Open loop (rate != NULL): requests are due at the instants lg_arrivals gives,
 * whatever the server does; each goes out on a free connection (at most `conns`) and its
 * latency counts from the instant it was due, so queueing in the client is not hidden
 * (no coordinated omission). A request that errs ends; its connection is closed and the next
 * request dials a new one. Per-second figures are handed to `seconds` at every second
 * boundary. *stop (set from a signal handler) ends the loop at once; what is in flight then
 * is reported in in_flight_at_stop. With -h2 over https (target->h2) a worker's request is a
 * stream on connections the loop's workers share (lg_h2.h), as hey's one Transport shares
 * them. Redirects are followed as hey's Go client follows them (lg_redirect.h): a hop to
 * another origin goes on a connection of the worker's to that origin, and the worker keeps
 * one more idle connection parked (the URL's while a hop is away, or the other origin's) for
 * the next request or hop that goes there; with -h2 (any URL) a hop to another https origin is
 * a stream on that origin's shared HTTP/2 connections instead (lg_h2.h), HTTP/1.1 on the
 * worker's own connection only where that origin does not choose h2. Memory is fixed by
 * `conns`, never by the request count. */
#ifndef SCALESIM_LOADGEN_LG_ENGINE_H
#define SCALESIM_LOADGEN_LG_ENGINE_H

#include <pthread.h>
#include <signal.h>
#include <stdint.h>

#include "common/error.h"
#include "loadgen/lg_arrivals.h"
#include "loadgen/lg_pace.h"
#include "loadgen/lg_seconds.h"
#include "loadgen/lg_stats.h"
#include "loadgen/lg_target.h"
#include "loadgen/lg_tls.h"

typedef struct lg_engine_cfg {
    const lg_target *target;
    int64_t conns;               /* workers (closed) or most connections (open) */
    int64_t per_worker_requests; /* closed loop: hey's n/c; 0: no count */
    int64_t duration_us;         /* 0: no deadline */
    int64_t timeout_us;          /* per request; 0: none */
    double qps;                  /* closed loop: per-worker rate; <= 0: none */
    lg_arrivals *rate;           /* open loop when not NULL: when requests are due */
    int64_t open_requests;       /* open loop: most requests this loop sends; 0: no limit */
    int csv_fd;                  /* -o csv: rows of successful responses; -1: none */
    pthread_mutex_t *csv_lock;
    lg_seconds *seconds;         /* may be NULL */
    volatile sig_atomic_t *stop; /* may be NULL */
    int64_t t0_ns;               /* the run's start, CLOCK_MONOTONIC */
    lg_tls_ctx *tls;             /* https: OpenSSL context shared by the loops; else NULL */
} lg_engine_cfg;

typedef struct lg_engine_result {
    lg_stats stats;
    int64_t in_flight_at_stop;
    int64_t t_end_ns; /* when the last request ended */
    int64_t h2_dials; /* -h2: HTTP/2 connections dialed */
} lg_engine_result;

/* Runs to the end. Returns -1 with err set only when the loop cannot run at all (epoll or
 * memory); request failures are counted, never returned. */
int lg_engine_run(const lg_engine_cfg *cfg, lg_engine_result *res, sim_error *err);

int64_t lg_now_ns(void);

#endif
