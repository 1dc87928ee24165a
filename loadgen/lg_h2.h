/* lg_h2.h: HTTP/2 for the engine (-h2 with an https URL), with libnghttp2 on the engine's epoll.
 *
 * hey with -h2 (rakyll/hey requester/requester.go at 8985827) shares one http.Transport among
 * its -c workers and calls http2.ConfigureTransport on it, so every worker's request is a
 * stream on a shared connection. Measured with Debian's hey 0.1.4 against nginx (128 streams
 * per connection): -h2 -c 20 and -c 300 each sent every request on one connection (Go's extra
 * dials for a full connection end unused, x/net addConnIfNeeded). This module is that
 * connection for one event loop: workers stay the engine's (closed or open loop), each with at
 * most one request, which lg_h2_start queues on the connection; it becomes a stream when one
 * is free under the server's SETTINGS_MAX_CONCURRENT_STREAMS (100 until they come, 1000 when
 * they name none, as Go assumes).
 *
 * Connections: dial (the target's address, looked up per connection), the CONNECT tunnel with
 * -x, TLS with ALPN "h2", then an nghttp2 client session; requests waiting for the connection
 * go out when it is ready. A server that does not choose h2 turns the pool off for the rest of
 * the run (Go then speaks HTTP/1.1 on that connection): the first waiting worker is handed the
 * connection, the others dial their own, and lg_h2_on says 0 from then on. A GOAWAY stops new
 * streams on a connection (its waiting requests move to a new one); streams the server refused
 * (REFUSED_STREAM, or above GOAWAY's last stream id) go once more on another connection, as Go
 * retries them. With -disable-keepalive a connection carries one stream and is closed after it
 * (Go's singleUse).
 *
 * A redirect's hop to another https origin goes on that origin's connections of the same pool
 * (lg_h2_start_req with an origin), as Go's transport keys its HTTP/2 connections by origin:
 * a connection serves only requests of its origin, and when every connection is taken, an idle
 * one (no stream, another origin's first) is closed for the new origin.
 *
 * The engine learns of each request's end through the hooks, never from inside an nghttp2
 * callback, so a hook may start the worker's next request at once. Memory is fixed by the
 * worker count: one slot per worker, at most workers + 4 connections (each with the address of
 * a redirect's origin once it served one). */
#ifndef SCALESIM_LOADGEN_LG_H2_H
#define SCALESIM_LOADGEN_LG_H2_H

#include <stdint.h>

#include "common/error.h"
#include "loadgen/lg_http.h"
#include "loadgen/lg_stats.h"
#include "loadgen/lg_target.h"
#include "loadgen/lg_tls.h"

/* Set in the low 32 bits of the epoll data of the pool's sockets (the engine's are below). */
#define LG_H2_TAG 0x80000000u

typedef struct lg_h2 lg_h2;

/* One finished request, times in ns (CLOCK_MONOTONIC). */
typedef struct lg_h2_req {
    int status;
    int64_t content_length; /* -1: no content-length header */
    int reused;             /* went on a connection that existed already */
    int64_t t_dial, dns_ns, t_got_conn, t_written, t_first_byte;
    /* the final response's first Location (a redirect, lg_redirect.h), into the worker's
     * slot until its next request; location_len past LG_HTTP_LOCATION_MAX when cut */
    const char *location;
    size_t location_len;
} lg_h2_req;

/* In failed and fallback, dial is what the connection dialed, as Go's dial errors name it
 * ("ip:port", or "lookup HOST on SERVER" when the name did not resolve) for a redirect's other
 * origin, NULL for the target's (its dial_addr). */
typedef struct lg_h2_hooks {
    void *ctx;
    void (*done)(void *ctx, int64_t worker, const lg_h2_req *r, int64_t now);
    /* proxy_status: with LG_ERR_PROXY, the status the proxy answered CONNECT with */
    void (*failed)(void *ctx, int64_t worker, lg_err kind, int proxy_status, const char *dial,
                   int64_t now);
    /* The server chose HTTP/1.1: send the worker's request that way, on fd/tls (a connection
     * made at t_dial, now the worker's, to be re-registered) or, with fd < 0, on a new one. */
    void (*fallback)(void *ctx, int64_t worker, int fd, lg_tls *tls, int64_t t_dial, int64_t dns_ns,
                     const char *dial, int64_t now);
} lg_h2_hooks;

/* A redirect's hop to another https origin than the target's (lg_redirect.h: key, host, port,
 * sni, connect): Go's transport, with h2 configured, pools HTTP/2 connections per origin for
 * every worker, so such a hop is a stream on a connection of that origin, shared like the
 * target's. The strings are the caller's and stay valid until the worker's request ends. */
typedef struct lg_h2_origin {
    const char *key;  /* lg_target_key: connections are shared by equal keys */
    const char *host; /* looked up per connection (without -x) */
    int port;
    const char *sni;     /* TLS server name */
    const char *connect; /* through -x: the CONNECT request for this origin */
    size_t connect_len;
} lg_h2_origin;

/* The request's headers and body come from t->request (hey's HTTP/1.1 bytes, built once),
 * turned into HTTP/2 fields the way Go's http2 transport encodes a request: :method, :scheme,
 * :authority (Host), :path, then the other headers with lower-case names, without the
 * connection-specific ones (Connection). ep: the engine's epoll. */
lg_h2 *lg_h2_new(const lg_target *t, lg_tls_ctx *tls, int ep, int64_t workers,
                 const lg_h2_hooks *hooks, sim_error *err);
void lg_h2_free(lg_h2 *h);

/* 1 while requests go over HTTP/2; 0 once a server answered ALPN without h2. */
int lg_h2_on(const lg_h2 *h);

/* Sends worker's request; its end comes through a hook (perhaps before this returns). */
void lg_h2_start(lg_h2 *h, int64_t worker, int64_t now);

/* The same for a redirect's hop: a new stream with the fields of req (the hop's HTTP/1.1 bytes,
 * lg_redirect.h; no body), kept in the worker's slot; origin NULL: the target's origin, else
 * another https one (its own connections; a server there that does not choose h2 hands the
 * connection to the worker through fallback, and only for this request). */
void lg_h2_start_req(lg_h2 *h, int64_t worker, const char *req, size_t len,
                     const lg_h2_origin *origin, int64_t now);

/* The engine ended worker's request itself (timeout): the stream is reset (CANCEL), no hook. */
void lg_h2_cancel(lg_h2 *h, int64_t worker);

/* An epoll event whose data carries LG_H2_TAG. */
void lg_h2_event(lg_h2 *h, uint64_t data, uint32_t events, int64_t now);

/* Connections dialed so far (for tests and the report). */
int64_t lg_h2_dials(const lg_h2 *h);

/* One HTTP/2 header field. */
typedef struct lg_h2_field {
    const char *name, *value;
    size_t name_len, value_len;
} lg_h2_field;

/* Turns hey's HTTP/1.1 request bytes into HTTP/2 fields (exposed for the unit test): the four
 * pseudo-headers (:scheme is "https"), then the headers. Names and values point into store
 * (lower-cased names), which must hold len bytes; *body and *body_len: what follows the head.
 * Returns the field count, or -1 when the bytes are not a request or hold more than max. */
int lg_h2_fields(const char *req, size_t len, char *store, lg_h2_field *out, int max,
                 const char **body, size_t *body_len);

#endif
