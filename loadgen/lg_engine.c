/* lg_engine.c: the epoll loop (lg_engine.h). Sockets are edge-triggered and registered once
 * per connection; a request is one send() (more only when the socket buffer is full) and its
 * response usually one recv(), as in wrk. */
#include "loadgen/lg_engine.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "loadgen/lg_h2.h"
#include "loadgen/lg_http.h"
#include "loadgen/lg_redirect.h"
#include "loadgen/lg_tunnel.h"

/* C_H2: the request is a stream of a connection in lg_h2 (the conn has no socket of its own) */
enum { C_IDLE, C_WAIT, C_CONNECTING, C_TUNNEL, C_HANDSHAKE, C_WRITING, C_H2, C_READING, C_DONE };

typedef struct conn {
    int fd;
    int state;
    lg_tls *tls;    /* https only */
    uint32_t gen;   /* tells a stale epoll event from one for the current socket */
    int reused;     /* the request goes on a connection that served one before */
    int retried;    /* already retried once after a keep-alive close */
    size_t woff;    /* bytes of the request written */
    int64_t done;   /* requests this worker ended (closed loop) */
    int64_t due_ns; /* open loop: when the request was due; closed: when it started */
    int64_t t_start, t_dial, t_got_conn, t_written, t_first_byte, deadline_ns;
    int64_t dns_ns; /* the lookup of the connection's dial */
    lg_ticker ticker;
    lg_http http;
    lg_tunnel tun;     /* https through -x: the CONNECT exchange */
    lg_redirect redir; /* the hops of the current request (lg_redirect.h) */
    int via_h2;        /* the response came as a stream of lg_h2, not on fd */
    /* Go's transport keeps idle connections per origin: fd is to the origin okey (a
     * connection key, lg_target_key), and one more, kept alive while a redirect goes to
     * another origin, waits parked (pfd, not watched: its epoll data is stale until
     * unpark re-arms it). dial: "ip:port" each one dialed, for error texts. */
    int pfd;
    lg_tls *ptls;
    char okey[300], pkey[300];
    char odial[360], pdial[360]; /* the same size (swapped); "lookup HOST on SERVER" fits */
} conn;

typedef struct loop {
    const lg_engine_cfg *cfg;
    int ep;
    conn *c;
    int64_t nconns;
    int64_t *free_stack; /* open loop: connections with no request */
    int64_t nfree;
    int64_t in_flight;
    int64_t ndone;    /* closed loop: workers that will send no more */
    int64_t next_due; /* the earliest tick, arrival or deadline known */
    int stopping;     /* no new requests */
    int64_t deadline_ns, next_due_ns, open_sent;
    int64_t cur_sec;
    lg_second sec;
    lg_engine_result *res;
    char *csv;
    size_t csv_len;
    lg_h2 *h2;            /* -h2 over https: the HTTP/2 connections; else NULL */
    lg_tls_ctx *tls_away; /* https to a redirect's other origin over HTTP/1.1; made on need */
    lg_tls_ctx *tls_h2;   /* -h2 with an http URL: lg_h2's, for the https hops */
    char rbuf[65536];
} loop;

int64_t lg_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#define CSV_BUF 65536

static void csv_flush(loop *L) {
    if (L->csv_len == 0)
        return;
    if (L->cfg->csv_lock)
        pthread_mutex_lock(L->cfg->csv_lock);
    size_t off = 0;
    while (off < L->csv_len) {
        ssize_t w = write(L->cfg->csv_fd, L->csv + off, L->csv_len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break; /* stdout closed: the rows are lost, the run goes on */
        off += (size_t)w;
    }
    if (L->cfg->csv_lock)
        pthread_mutex_unlock(L->cfg->csv_lock);
    L->csv_len = 0;
}

/* Hands finished seconds to the writer, up to the second that holds now. */
static void tick_seconds(loop *L, int64_t now) {
    int64_t s = (now - L->cfg->t0_ns) / 1000000000;
    while (L->cur_sec < s) {
        L->sec.in_flight = L->in_flight;
        if (L->cfg->seconds)
            lg_seconds_flush(L->cfg->seconds, L->cur_sec, &L->sec);
        histogram_reset(&L->sec.latency);
        L->sec.sent = L->sec.completed = L->sec.failed = 0;
        memset(L->sec.errors, 0, sizeof L->sec.errors);
        memset(L->sec.status_class, 0, sizeof L->sec.status_class);
        L->cur_sec++;
    }
}

static void close_conn(loop *L, conn *c) {
    if (c->tls) {
        lg_tls_free(c->tls);
        c->tls = NULL;
    }
    if (c->fd >= 0) {
        close(c->fd); /* also leaves the epoll set */
        c->fd = -1;
    }
    c->gen++;
    c->reused = 0;
    (void)L;
}

static void close_parked(conn *c) {
    if (c->ptls) {
        lg_tls_free(c->ptls);
        c->ptls = NULL;
    }
    if (c->pfd >= 0) {
        close(c->pfd);
        c->pfd = -1;
    }
}

/* The current hop goes to another origin than the live connection's: that one, alive and
 * reusable (its response ended with keep-alive), waits parked in place of the parked one. */
static void park(conn *c) {
    close_parked(c);
    c->pfd = c->fd;
    c->ptls = c->tls;
    memcpy(c->pkey, c->okey, sizeof c->pkey);
    memcpy(c->pdial, c->odial, sizeof c->pdial);
    c->fd = -1;
    c->tls = NULL;
    c->gen++;
    c->reused = 0;
}

/* The parked connection is the hop's origin's: it becomes the live one, re-armed in epoll
 * under the conn's new generation (an edge-triggered MOD reports its state now). */
static int unpark(loop *L, conn *c) {
    c->fd = c->pfd;
    c->tls = c->ptls;
    memcpy(c->okey, c->pkey, sizeof c->okey);
    memcpy(c->odial, c->pdial, sizeof c->odial);
    c->pfd = -1;
    c->ptls = NULL;
    c->gen++;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                             .data.u64 = (uint64_t)(c - L->c) | (uint64_t)c->gen << 32};
    if (epoll_ctl(L->ep, EPOLL_CTL_MOD, c->fd, &ev) != 0) {
        close_conn(L, c);
        return -1;
    }
    c->reused = 1;
    return 0;
}

/* The current hop is to another origin than the URL's (a redirect's), on a connection of its
 * own; else lg_target's origin, through lg_h2 with -h2. */
static int hop_away(const conn *c) {
    return c->redir.hops > 0 && c->redir.away;
}

static int64_t us(int64_t ns) {
    return ns / 1000;
}

static void start_request(loop *L, conn *c, int64_t now);

/* After a request of c ended: what the worker does next. After a failure (defer) the next
 * request waits for the next turn of the loop: a server that refuses at once would otherwise
 * recurse start -> fail -> start without end. */
static void next_for(loop *L, conn *c, int64_t now, int defer) {
    const lg_engine_cfg *cfg = L->cfg;
    c->state = C_IDLE;
    if (cfg->rate) {
        L->free_stack[L->nfree++] = c - L->c;
        return;
    }
    c->done++;
    if (L->stopping || (cfg->per_worker_requests > 0 && c->done >= cfg->per_worker_requests)) {
        c->state = C_DONE;
        L->ndone++;
        return;
    }
    if (cfg->qps > 0) {
        int64_t at = lg_ticker_take(&c->ticker, us(now - cfg->t0_ns)) * 1000 + cfg->t0_ns;
        if (at > now) {
            c->state = C_WAIT;
            c->due_ns = at;
            if (at < L->next_due)
                L->next_due = at;
            return;
        }
    }
    if (defer) {
        c->state = C_WAIT;
        c->due_ns = now;
        L->next_due = now;
        return;
    }
    start_request(L, c, now);
}

static void end_request(loop *L, conn *c, int64_t now, int failed) {
    L->in_flight--;
    next_for(L, c, now, failed);
}

static void fail(loop *L, conn *c, lg_err kind, int64_t now) {
    if (c->state == C_H2)
        lg_h2_cancel(L->h2, c - L->c);
    lg_stats_error(&L->res->stats, &L->sec, kind);
    if (c->redir.hops > 0 && kind != LG_ERR_REDIRECT_LIMIT && kind != LG_ERR_REDIRECT_HOST) {
        char url[LG_REDIRECT_URL_MAX];
        lg_redirect_url(&c->redir, url, sizeof url);
        lg_stats_hop_error(&L->res->stats, kind, url,
                           hop_away(c) && !L->cfg->target->proxy ? c->odial
                                                                 : L->cfg->target->dial_addr);
    }
    close_conn(L, c);
    end_request(L, c, now, 1);
}

static void try_write(loop *L, conn *c, int64_t now);
static void dial(loop *L, conn *c, int64_t now);

/* Sends the current hop: a stream of lg_h2 for the URL's origin with -h2; else on the live
 * connection when it is to the hop's origin, on the parked one when that is, or on a new one
 * (Go's transport takes an idle connection of the origin, or dials). */
static void send_hop(loop *L, conn *c, int64_t now) {
    c->via_h2 = 0;
    const char *key = lg_redirect_key(&c->redir, L->cfg->target);
    if (!hop_away(c) && lg_h2_on(L->h2)) {
        c->state = C_H2;
        if (c->redir.hops == 0) {
            lg_h2_start(L->h2, c - L->c, now);
        } else {
            size_t len;
            const char *req = lg_redirect_request(&c->redir, L->cfg->target, &len);
            lg_h2_start_req(L->h2, c - L->c, req, len, NULL, now);
        }
        return;
    }
    /* -h2 and a hop to another https origin: a stream on that origin's HTTP/2 connections, as
     * Go's transport with h2 configured dials any https origin offering h2; unless the worker
     * holds an HTTP/1.1 connection to it (that origin did not choose h2), which Go would
     * reuse from its idle pool */
    if (L->h2 && hop_away(c) && c->redir.https && !(c->fd >= 0 && strcmp(c->okey, key) == 0) &&
        !(c->pfd >= 0 && strcmp(c->pkey, key) == 0)) {
        const lg_redirect *r = &c->redir;
        lg_h2_origin o = {r->key, r->host, r->port, r->sni, r->connect, r->connect_len};
        size_t len;
        const char *req = lg_redirect_request(r, L->cfg->target, &len);
        c->state = C_H2;
        lg_h2_start_req(L->h2, c - L->c, req, len, &o, now);
        return;
    }
    if (c->fd >= 0 && strcmp(c->okey, key) != 0) {
        if (c->pfd >= 0 && strcmp(c->pkey, key) == 0) { /* the two trade places */
            int fd = c->fd;
            lg_tls *tls = c->tls;
            char okey[sizeof c->okey], odial[sizeof c->odial];
            memcpy(okey, c->okey, sizeof okey);
            memcpy(odial, c->odial, sizeof odial);
            c->fd = -1;
            c->tls = NULL;
            unpark(L, c);
            c->pfd = fd;
            c->ptls = tls;
            memcpy(c->pkey, okey, sizeof okey);
            memcpy(c->pdial, odial, sizeof odial);
        } else {
            park(c);
        }
    } else if (c->fd < 0 && c->pfd >= 0 && strcmp(c->pkey, key) == 0) {
        unpark(L, c);
    }
    if (c->fd >= 0) {
        c->reused = 1;
        c->t_got_conn = now;
        c->state = C_WRITING;
        try_write(L, c, now);
    } else {
        dial(L, c, now);
    }
}

/* A redirect to follow: the next hop goes out on this connection when it may be reused, else
 * on a new one; the request's latency and deadline run on. Returns 1 when the request is not
 * over (followed, or failed here). Go's client reads at most 2 KB of a redirect's body before
 * closing it (client.go, maxBodySlurpSize), so a longer one costs the connection. */
static int redirect(loop *L, conn *c, int64_t now) {
    char why[600];
    int rc = lg_redirect_next(&c->redir, L->cfg->target, c->http.status, c->http.location,
                              c->http.location_len, why, sizeof why);
    if (rc == LG_REDIRECT_NONE)
        return 0;
    /* Go reads a redirect's body (up to 2 KB) and closes it before the next hop, or before
     * failing on the limit or the new URL, so the connection goes back to the pool; a
     * Location it cannot parse closes the body unread */
    int keep = c->via_h2 || (rc != LG_REDIRECT_BAD && rc != LG_REDIRECT_OOM && c->http.keepalive &&
                             L->cfg->target->keepalive && c->http.body_bytes <= 2048);
    if (!c->via_h2) {
        if (keep)
            c->reused = 1;
        else
            close_conn(L, c);
    }
    if (rc != LG_REDIRECT_FOLLOW) {
        lg_stats *st = &L->res->stats;
        if (rc == LG_REDIRECT_LIMIT)
            snprintf(st->redirect_loc, sizeof st->redirect_loc, "%.319s", why);
        else
            snprintf(st->redirect_why, sizeof st->redirect_why, "%s",
                     rc == LG_REDIRECT_OOM ? "\"\": out of memory following a redirect" : why);
        lg_stats_error(&L->res->stats, &L->sec,
                       rc == LG_REDIRECT_LIMIT ? LG_ERR_REDIRECT_LIMIT : LG_ERR_REDIRECT_HOST);
        end_request(L, c, now, 1);
        return 1;
    }
    c->woff = 0;
    c->retried = 0;
    lg_http_start(&c->http, c->redir.head);
    send_hop(L, c, now);
    return 1;
}

static void complete(loop *L, conn *c, int64_t now) {
    if (L->cfg->target->redirects && c->http.status >= 300 && c->http.status < 400 &&
        redirect(L, c, now))
        return;
    int64_t ph[HEY_NPHASES];
    ph[HEY_PHASE_DIAL] = c->reused ? 0 : us(c->t_got_conn - c->t_dial);
    ph[HEY_PHASE_DNS] = c->reused ? 0 : us(c->dns_ns);
    ph[HEY_PHASE_WRITE] = us(c->t_written - c->t_got_conn);
    ph[HEY_PHASE_WAIT] = us(c->t_first_byte - c->t_written);
    ph[HEY_PHASE_READ] = us(now - c->t_first_byte);
    int64_t lat = us(now - c->due_ns);
    lg_stats_response(&L->res->stats, &L->sec, c->http.status, c->http.content_length, lat, ph);
    if (L->cfg->csv_fd >= 0) {
        if (L->csv_len + 256 > CSV_BUF)
            csv_flush(L);
        L->csv_len +=
            (size_t)snprintf(L->csv + L->csv_len, CSV_BUF - L->csv_len,
                             "%4.4f,%4.4f,%4.4f,%4.4f,%4.4f,%4.4f,%d,%4.4f\n", lat / 1e6,
                             ph[0] / 1e6, ph[1] / 1e6, ph[2] / 1e6, ph[3] / 1e6, ph[4] / 1e6,
                             c->http.status, (double)(c->due_ns - L->cfg->t0_ns) / 1e9);
    }
    if (c->via_h2)
        ; /* lg_h2 keeps its connection; fd, if any, is an idle one to another origin */
    else if (!c->http.keepalive || !L->cfg->target->keepalive)
        close_conn(L, c);
    else
        c->reused = 1;
    L->res->t_end_ns = now;
    end_request(L, c, now, 0);
}

static int retry_on_new_conn(loop *L, conn *c, int64_t now);

/* One step of the TLS handshake; on success the request goes out. */
static void handshake(loop *L, conn *c, int64_t now) {
    int rc = lg_tls_handshake(c->tls);
    if (rc == LG_TLS_WAIT)
        return;
    if (rc == LG_TLS_FAIL) {
        fail(L, c, LG_ERR_TLS, now);
        return;
    }
    c->t_got_conn = lg_now_ns();
    c->state = C_WRITING;
    try_write(L, c, c->t_got_conn);
}

/* The connection (or the tunnel through the proxy) is up: TLS first for https, else the
 * request. */
static void secure(loop *L, conn *c, int64_t now) {
    int away = hop_away(c);
    if (away ? c->redir.https : L->cfg->target->https) {
        lg_tls_ctx *ctx = L->cfg->tls;
        if (away) { /* HTTP/1.1: with -h2, such a hop comes here only when lg_h2 found that
                     * the origin does not choose h2 */
            sim_error e;
            if (L->tls_away == NULL)
                L->tls_away = lg_tls_ctx_new(0, &e);
            ctx = L->tls_away;
        }
        c->tls = ctx ? lg_tls_new(ctx, c->fd, away ? c->redir.sni : L->cfg->target->sni) : NULL;
        if (c->tls == NULL) {
            fail(L, c, LG_ERR_TLS, now);
            return;
        }
        c->state = C_HANDSHAKE;
        handshake(L, c, now);
        return;
    }
    c->t_got_conn = now;
    c->state = C_WRITING;
    try_write(L, c, now);
}

/* One step of the CONNECT exchange with the proxy (lg_tunnel.h). */
static void tunnel(loop *L, conn *c, int64_t now) {
    lg_err kind;
    const lg_target *t = L->cfg->target;
    int rc = hop_away(c)
                 ? lg_tunnel_step(&c->tun, c->fd, c->redir.connect, c->redir.connect_len, &kind)
                 : lg_tunnel_step(&c->tun, c->fd, t->connect, t->connect_len, &kind);
    if (rc == LG_TUNNEL_WAIT)
        return;
    if (rc == LG_TUNNEL_FAIL) {
        if (kind == LG_ERR_PROXY)
            L->res->stats.proxy_status = c->tun.status;
        fail(L, c, kind, now);
        return;
    }
    secure(L, c, now);
}

/* The TCP connection is up: through -x to an https URL the tunnel first. */
static void connected(loop *L, conn *c, int64_t now) {
    if (hop_away(c) ? c->redir.connect_len > 0 : L->cfg->target->connect != NULL) {
        c->state = C_TUNNEL;
        lg_tunnel_start(&c->tun);
        tunnel(L, c, now);
        return;
    }
    secure(L, c, now);
}

static ssize_t io_send(conn *c, const char *buf, size_t n) {
    return c->tls ? lg_tls_write(c->tls, buf, n) : send(c->fd, buf, n, MSG_NOSIGNAL);
}

static ssize_t io_recv(conn *c, char *buf, size_t n) {
    return c->tls ? lg_tls_read(c->tls, buf, n) : recv(c->fd, buf, n, 0);
}

static void dial(loop *L, conn *c, int64_t now) {
    const lg_target *t = L->cfg->target;
    c->t_dial = now;
    c->reused = 0;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    snprintf(c->okey, sizeof c->okey, "%s", lg_redirect_key(&c->redir, t));
    int looked;
    if (hop_away(c) && !t->proxy) { /* another origin: its own name and port */
        looked = lg_lookup(c->redir.host, c->redir.port, &addr, &addr_len, &c->dns_ns, c->odial,
                           sizeof c->odial);
        if (looked != 0)
            lg_lookup_error(t, c->redir.host, c->odial, sizeof c->odial);
    } else {
        looked = lg_target_lookup(t, &addr, &addr_len, &c->dns_ns);
        snprintf(c->odial, sizeof c->odial, "%s", t->dial_addr);
    }
    if (looked != 0) {
        c->state = C_CONNECTING;
        fail(L, c, LG_ERR_DIAL, now);
        return;
    }
    c->fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        c->state = C_CONNECTING;
        fail(L, c, LG_ERR_DIAL, now);
        return;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->gen++;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                             .data.u64 = (uint64_t)(c - L->c) | (uint64_t)c->gen << 32};
    if (epoll_ctl(L->ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
        fail(L, c, LG_ERR_DIAL, now);
        return;
    }
    c->state = C_CONNECTING;
    if (connect(c->fd, (const struct sockaddr *)&addr, addr_len) == 0) {
        connected(L, c, lg_now_ns());
    } else if (errno != EINPROGRESS) {
        fail(L, c, errno == ECONNREFUSED ? LG_ERR_REFUSED : LG_ERR_DIAL, now);
    }
}

static void start_request(loop *L, conn *c, int64_t now) {
    if (!L->cfg->rate)
        c->due_ns = now;
    c->t_start = now;
    c->woff = 0;
    c->retried = 0;
    c->deadline_ns = L->cfg->timeout_us > 0 ? c->due_ns + L->cfg->timeout_us * 1000 : INT64_MAX;
    if (L->cfg->rate && L->cfg->timeout_us > 0)
        c->deadline_ns = now + L->cfg->timeout_us * 1000; /* the client's own clock starts now */
    lg_http_start(&c->http, L->cfg->target->head);
    lg_redirect_reset(&c->redir, L->cfg->target);
    L->in_flight++;
    L->res->stats.sent++;
    L->sec.sent++;
    send_hop(L, c, now);
}

static void try_write(loop *L, conn *c, int64_t now) {
    size_t len;
    const char *req = lg_redirect_request(&c->redir, L->cfg->target, &len);
    while (c->woff < len) {
        ssize_t w = io_send(c, req + c->woff, len - c->woff);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return; /* EPOLLOUT will come */
            if (retry_on_new_conn(L, c, now))
                return;
            fail(L, c,
                 errno == ECONNRESET || errno == EPIPE ? LG_ERR_RESET
                 : errno == EPROTO                     ? LG_ERR_TLS
                                                       : LG_ERR_IO,
                 now);
            return;
        }
        c->woff += (size_t)w;
    }
    c->t_written = lg_now_ns();
    c->state = C_READING;
}

/* The server closed or reset a kept-alive connection before any byte of the response: Go's
 * transport retries such a request once on a new connection (net/http transport.go,
 * shouldRetryRequest), so hey never sees it; neither do we. */
static int retry_on_new_conn(loop *L, conn *c, int64_t now) {
    if (!c->reused || c->retried || c->http.started)
        return 0;
    L->res->stats.reconnects++;
    close_conn(L, c);
    c->woff = 0;
    lg_http_start(&c->http, c->redir.head);
    dial(L, c, now); /* dial clears `reused`, so a second failure is an error */
    return 1;
}

static void on_readable(loop *L, conn *c, int64_t now) {
    for (;;) {
        ssize_t r = io_recv(c, L->rbuf, sizeof L->rbuf);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return;
            if (errno == ECONNRESET && retry_on_new_conn(L, c, now))
                return;
            fail(L, c,
                 errno == ECONNRESET ? LG_ERR_RESET
                 : errno == EPROTO   ? LG_ERR_TLS
                                     : LG_ERR_IO,
                 now);
            return;
        }
        if (r == 0) {
            if (retry_on_new_conn(L, c, now))
                return;
            if (!c->http.started) {
                fail(L, c, LG_ERR_EOF, now);
            } else if (lg_http_eof(&c->http) == LG_HTTP_DONE) {
                c->http.keepalive = 0;
                complete(L, c, now);
            } else {
                fail(L, c, LG_ERR_TRUNCATED, now);
            }
            return;
        }
        if (!c->http.started)
            c->t_first_byte = now;
        size_t used;
        int st = lg_http_feed(&c->http, L->rbuf, (size_t)r, &used);
        if (st == LG_HTTP_BAD) {
            fail(L, c, LG_ERR_MALFORMED, now);
            return;
        }
        if (st == LG_HTTP_DONE) {
            if (used < (size_t)r)
                c->http.keepalive = 0; /* bytes nobody asked for: do not trust the stream */
            complete(L, c, now);
            return;
        }
        /* not complete: read on until EAGAIN, since with edge-triggering a close that came
         * with these bytes would raise no new event */
    }
}

static void on_event(loop *L, conn *c, uint32_t events, int64_t now) {
    if (c->state == C_CONNECTING) {
        int e = 0;
        socklen_t len = sizeof e;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &len);
        if (e != 0) {
            fail(L, c, e == ECONNREFUSED ? LG_ERR_REFUSED : LG_ERR_DIAL, now);
            return;
        }
        if (!(events & EPOLLOUT))
            return;
        connected(L, c, now);
        if (c->state != C_READING)
            return;
    } else if (c->state == C_TUNNEL) {
        tunnel(L, c, now);
        if (c->state != C_READING)
            return;
    } else if (c->state == C_HANDSHAKE) {
        handshake(L, c, now);
        if (c->state != C_READING)
            return;
    } else if (c->state == C_WRITING && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        try_write(L, c, now);
        if (c->state != C_READING)
            return;
    }
    if (c->state == C_READING && (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)))
        on_readable(L, c, now);
    else if ((c->state == C_IDLE || c->state == C_WAIT || c->state == C_DONE) && c->fd >= 0 &&
             (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
        close_conn(L, c); /* the server closed an idle connection; dial anew when needed */
}

/* Timeouts, ticks and open-loop arrivals; returns the next instant something is due. */
static int64_t run_timers(loop *L, int64_t now) {
    const lg_engine_cfg *cfg = L->cfg;
    int64_t next = INT64_MAX;
    /* open loop: arrivals due before the deadline still go when the loop reaches them after
     * it with a connection free, as the simulator sends every arrival before its horizon */
    if (!L->stopping && L->deadline_ns && now >= L->deadline_ns &&
        !(cfg->rate && L->next_due_ns < L->deadline_ns && L->nfree > 0))
        L->stopping = 1;
    if (cfg->stop && *cfg->stop)
        L->stopping = 2;
    for (int64_t i = 0; i < L->nconns; i++) {
        conn *c = &L->c[i];
        if (c->state >= C_CONNECTING && c->state <= C_READING) {
            if (now >= c->deadline_ns)
                fail(L, c, LG_ERR_TIMEOUT, now);
            else if (c->deadline_ns < next)
                next = c->deadline_ns;
        }
        if (c->state == C_WAIT) {
            if (L->stopping) {
                c->state = C_DONE;
                L->ndone++;
            } else if (now >= c->due_ns) {
                start_request(L, c, now);
            } else if (c->due_ns < next) {
                next = c->due_ns;
            }
        }
    }
    if (cfg->rate && !L->stopping) {
        while (L->next_due_ns <= now && L->nfree > 0 &&
               (cfg->open_requests == 0 || L->open_sent < cfg->open_requests)) {
            conn *c = &L->c[L->free_stack[--L->nfree]];
            c->due_ns = L->next_due_ns;
            L->open_sent++;
            int64_t t = lg_arrivals_next(cfg->rate);
            L->next_due_ns = t == INT64_MAX ? INT64_MAX : cfg->t0_ns + t;
            tick_seconds(L, c->due_ns); /* counted in the second it was due (see the loop) */
            start_request(L, c, now);
        }
        if (cfg->open_requests > 0 && L->open_sent >= cfg->open_requests)
            L->stopping = 1;
        else if (L->next_due_ns < next && L->nfree > 0)
            next = L->next_due_ns;
        else if (L->next_due_ns == INT64_MAX && !L->deadline_ns)
            L->stopping = 1;
    }
    if (L->deadline_ns && !L->stopping && L->deadline_ns < next)
        next = L->deadline_ns;
    return next;
}

/* lg_h2's hooks: a stream ended, failed, or the server would not speak h2. */
static void h2_done(void *ctx, int64_t w, const lg_h2_req *r, int64_t now) {
    loop *L = ctx;
    conn *c = &L->c[w];
    c->state = C_READING;
    c->reused = r->reused;
    c->t_dial = r->t_dial;
    c->dns_ns = r->dns_ns;
    c->t_got_conn = r->t_got_conn;
    c->t_written = r->t_written ? r->t_written : r->t_got_conn;
    c->t_first_byte = r->t_first_byte ? r->t_first_byte : now;
    c->http.status = r->status;
    c->http.content_length = r->content_length;
    c->http.keepalive = 1;
    c->http.location_len = 0;
    c->http.location[0] = 0;
    if (r->location_len > 0) {
        snprintf(c->http.location, sizeof c->http.location, "%s", r->location);
        c->http.location_len = r->location_len;
    }
    c->via_h2 = 1;
    complete(L, c, now);
}

static void h2_failed(void *ctx, int64_t w, lg_err kind, int proxy_status, const char *dial,
                      int64_t now) {
    loop *L = ctx;
    conn *c = &L->c[w];
    c->state = C_READING; /* the stream is gone already: nothing to cancel */
    if (proxy_status)
        L->res->stats.proxy_status = proxy_status;
    if (dial) /* another origin's connection: fail() names what it dialed (c->odial) */
        snprintf(c->odial, sizeof c->odial, "%s", dial);
    fail(L, c, kind, now);
}

static void h2_fallback(void *ctx, int64_t w, int fd, lg_tls *tls, int64_t t_dial, int64_t dns_ns,
                        const char *dialed, int64_t now) {
    loop *L = ctx;
    conn *c = &L->c[w];
    c->state = C_CONNECTING; /* no longer a stream of lg_h2 */
    if (c->fd >= 0)          /* the worker's HTTP/1.1 connection to another origin: kept, parked */
        park(c);
    if (fd < 0) {
        dial(L, c, now);
        return;
    }
    c->fd = fd;
    c->tls = tls;
    c->gen++;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                             .data.u64 = (uint64_t)(c - L->c) | (uint64_t)c->gen << 32};
    if (epoll_ctl(L->ep, EPOLL_CTL_MOD, fd, &ev) != 0) {
        fail(L, c, LG_ERR_IO, now);
        return;
    }
    c->reused = 0;
    c->t_dial = t_dial;
    c->dns_ns = dns_ns;
    snprintf(c->okey, sizeof c->okey, "%s", lg_redirect_key(&c->redir, L->cfg->target));
    snprintf(c->odial, sizeof c->odial, "%s", dialed ? dialed : L->cfg->target->dial_addr);
    c->t_got_conn = now;
    c->state = C_WRITING;
    try_write(L, c, now);
}

int lg_engine_run(const lg_engine_cfg *cfg, lg_engine_result *res, sim_error *err) {
    loop *L = calloc(1, sizeof *L);
    if (L == NULL)
        return error_set(err, "loadgen: out of memory");
    L->cfg = cfg;
    L->res = res;
    memset(res, 0, sizeof *res);
    lg_stats_init(&res->stats);
    lg_second_init(&L->sec);
    L->nconns = cfg->conns;
    L->c = calloc((size_t)L->nconns, sizeof *L->c);
    L->free_stack = calloc((size_t)L->nconns, sizeof *L->free_stack);
    L->csv = cfg->csv_fd >= 0 ? malloc(CSV_BUF) : NULL;
    L->ep = epoll_create1(EPOLL_CLOEXEC);
    if (L->c == NULL || L->free_stack == NULL || (cfg->csv_fd >= 0 && L->csv == NULL) ||
        L->ep < 0) {
        if (L->ep >= 0)
            close(L->ep);
        free(L->c), free(L->free_stack), free(L->csv), free(L);
        return error_set(err, "loadgen: cannot start an event loop: %s", strerror(errno));
    }
    /* -h2: the pool for the https URL's requests and its https hops; with an http URL, for
     * its redirects' https hops only, on a TLS context of its own offering h2 */
    int h2_pool =
        cfg->target->h2 ? cfg->tls != NULL : cfg->target->h2_hops && cfg->target->redirects;
    if (h2_pool) {
        lg_tls_ctx *tls = cfg->target->h2 ? cfg->tls : (L->tls_h2 = lg_tls_ctx_new(1, err));
        lg_h2_hooks hooks = {L, h2_done, h2_failed, h2_fallback};
        L->h2 = tls ? lg_h2_new(cfg->target, tls, L->ep, L->nconns, &hooks, err) : NULL;
        if (L->h2 == NULL) {
            lg_tls_ctx_free(L->tls_h2);
            close(L->ep);
            free(L->c), free(L->free_stack), free(L->csv), free(L);
            return -1;
        }
    }
    int64_t now = lg_now_ns();
    L->deadline_ns = cfg->duration_us > 0 ? cfg->t0_ns + cfg->duration_us * 1000 : 0;
    for (int64_t i = 0; i < L->nconns; i++) {
        L->c[i].fd = -1;
        L->c[i].pfd = -1;
        lg_ticker_init(&L->c[i].ticker, us(now - cfg->t0_ns), cfg->qps);
    }
    if (cfg->rate) {
        for (int64_t i = L->nconns - 1; i >= 0; i--)
            L->free_stack[L->nfree++] = i;
        int64_t t = lg_arrivals_next(cfg->rate);
        L->next_due_ns = t == INT64_MAX ? INT64_MAX : cfg->t0_ns + t;
    } else {
        for (int64_t i = 0; i < L->nconns; i++) {
            conn *c = &L->c[i];
            if (cfg->per_worker_requests == 0 && L->deadline_ns == 0) {
                c->state = C_DONE;
                L->ndone++;
                continue;
            }
            if (cfg->qps > 0) {
                c->state = C_WAIT;
                c->due_ns = lg_ticker_take(&c->ticker, us(now - cfg->t0_ns)) * 1000 + cfg->t0_ns;
            } else {
                start_request(L, c, now);
            }
        }
    }
    struct epoll_event evs[256];
    int64_t next_sweep = now;
    L->next_due = now;
    for (;;) {
        now = lg_now_ns();
        /* An arrival due before a second's end is counted in that second even when the loop
         * wakes just after it (run_timers ticks on to its due time), so that a trace row's
         * `sent` is the load offered that second */
        tick_seconds(L, cfg->rate && !L->stopping && L->nfree > 0 && L->next_due_ns < now
                            ? L->next_due_ns
                            : now);
        if (now >= next_sweep || now >= L->next_due || (cfg->stop && *cfg->stop)) {
            L->next_due = INT64_MAX;
            int64_t t = run_timers(L, now);
            if (t < L->next_due)
                L->next_due = t;
            next_sweep = now + 10000000; /* 10 ms: the deadline check's resolution */
            tick_seconds(L, now);
        }
        if (L->stopping == 2 || (L->stopping && L->in_flight == 0))
            break;
        if (!cfg->rate && L->ndone >= L->nconns)
            break;
        int64_t wake = L->next_due < next_sweep ? L->next_due : next_sweep;
        int64_t sec_end = cfg->t0_ns + (L->cur_sec + 1) * 1000000000;
        if (sec_end < wake)
            wake = sec_end;
        int64_t wait_ns = wake - now;
        if (wait_ns < 0)
            wait_ns = 0;
        struct timespec ts = {wait_ns / 1000000000, wait_ns % 1000000000};
        int n = epoll_pwait2(L->ep, evs, 256, &ts, NULL);
        if (n < 0 && errno != EINTR) {
            for (int64_t i = 0; i < L->nconns; i++) {
                close_conn(L, &L->c[i]);
                close_parked(&L->c[i]);
                lg_redirect_free(&L->c[i].redir);
            }
            lg_tls_ctx_free(L->tls_away);
            lg_h2_free(L->h2);
            lg_tls_ctx_free(L->tls_h2);
            close(L->ep);
            free(L->c), free(L->free_stack), free(L->csv), free(L);
            return error_set(err, "loadgen: epoll: %s", strerror(errno));
        }
        now = lg_now_ns();
        for (int i = 0; i < n; i++) {
            uint64_t d = evs[i].data.u64;
            if ((uint32_t)d & LG_H2_TAG) {
                lg_h2_event(L->h2, d, evs[i].events, now);
                continue;
            }
            conn *c = &L->c[(uint32_t)d];
            if ((uint32_t)(d >> 32) != c->gen || c->fd < 0)
                continue; /* an event for a socket closed earlier in this batch */
            on_event(L, c, evs[i].events, now);
        }
        if (cfg->rate && L->nfree > 0 && L->next_due_ns <= now)
            L->next_due = now; /* a connection came free for a request already due */
    }
    now = lg_now_ns();
    res->in_flight_at_stop = L->in_flight;
    res->t_end_ns = now; /* hey's Total ends when its last worker returns */
    L->sec.in_flight = L->in_flight;
    if (cfg->seconds)
        lg_seconds_flush(cfg->seconds, L->cur_sec, &L->sec);
    if (cfg->csv_fd >= 0)
        csv_flush(L);
    for (int64_t i = 0; i < L->nconns; i++) {
        close_conn(L, &L->c[i]);
        close_parked(&L->c[i]);
        lg_redirect_free(&L->c[i].redir);
    }
    lg_tls_ctx_free(L->tls_away);
    res->h2_dials = lg_h2_dials(L->h2);
    lg_h2_free(L->h2);
    lg_tls_ctx_free(L->tls_h2);
    close(L->ep);
    free(L->c), free(L->free_stack), free(L->csv), free(L);
    return 0;
}
