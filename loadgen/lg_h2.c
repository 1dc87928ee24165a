/* lg_h2.c: the HTTP/2 connection pool of one event loop, on libnghttp2 (lg_h2.h).
 *
 * nghttp2 callbacks only record what happened (a stream's status, its end) in the worker's slot
 * and queue the worker; the queue is run after nghttp2 returns, so the engine's hooks, which
 * may start the next request on the same session, never run inside the library. */
#include "loadgen/lg_h2.h"

#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "loadgen/lg_tunnel.h"

#define MAX_FIELDS 128
/* Go's stream limit until the server's SETTINGS come, and when they do not name one
 * (golang.org/x/net http2/transport.go: initialMaxConcurrentStreams,
 * defaultMaxConcurrentStreams) */
#define INITIAL_MAX_STREAMS 100
#define DEFAULT_MAX_STREAMS 1000
/* connections beyond one per worker: room for idle ones to redirects' other origins, which
 * Go's pool keeps (a chain A -> B -> C -> A with -c 1 re-dials none) */
#define SPARE_CONNS 4

enum { H_FREE, H_CONNECTING, H_TUNNEL, H_HANDSHAKE, H_READY, H_DRAINING };
enum { OUT_NONE, OUT_DONE, OUT_FAILED, OUT_RETRY };

#define DIAL_MAX 360 /* "ip:port", or "lookup HOST on SERVER" */

/* A redirect's other origin, copied from lg_h2_origin when a connection is made for it */
typedef struct h2away {
    char key[300], host[256], sni[256];
    int port;
    char connect[640];
    size_t connect_len;
    char dial[DIAL_MAX]; /* what the connection dialed, for error texts */
} h2away;

typedef struct h2conn {
    int fd;
    int state;
    uint32_t gen;
    lg_tls *tls;
    nghttp2_session *s;
    int64_t t_dial, dns_ns;
    int64_t nstreams;             /* workers on this connection, waiting or with a stream */
    int64_t nactive;              /* streams submitted and not yet closed */
    int64_t wait_head, wait_tail; /* workers waiting for a stream, in order; -1: none */
    int64_t served;               /* requests assigned over its life */
    int got_settings;             /* the server's SETTINGS arrived */
    int dirty;                    /* has frames to send */
    lg_err io_kind;               /* why a send failed */
    struct lg_h2 *pool;           /* for the callbacks */
    lg_tunnel tun;
    int away;  /* to the origin in o, not the target's */
    h2away *o; /* made the first time this connection slot serves another origin, then kept */
} h2conn;

typedef struct slot {
    int64_t conn;      /* -1: none */
    int32_t stream;    /* 0: waiting for the connection or a free stream */
    int64_t next_wait; /* the next worker in the connection's wait queue */
    int outcome;
    int queued;
    int retried;
    int final;   /* a final (non-1xx) status came */
    lg_err kind; /* OUT_FAILED */
    int proxy_status;
    size_t body_off;
    lg_h2_req r;
    /* a redirect's hop (lg_h2_start_req): its own fields; nnv 0: the pool's */
    nghttp2_nv *nv;
    size_t nnv;
    char *store;
    size_t store_cap;
    char location[LG_HTTP_LOCATION_MAX + 1];
    size_t location_len;
    int seen_location;
    /* a hop to another origin (lg_h2_start_req with an origin): its connections, and what
     * the one that failed dialed */
    int away;
    lg_h2_origin origin;
    char dial[DIAL_MAX];
} slot;

struct lg_h2 {
    const lg_target *t;
    lg_tls_ctx *tls;
    int ep;
    int off; /* a server refused h2: HTTP/1.1 from now on */
    lg_h2_hooks hooks;
    int64_t nworkers, nconns, dials;
    int64_t cur; /* the connection the last request went on */
    slot *w;
    h2conn *c;
    int64_t *fin, nfin; /* workers whose request ended, to report */
    int64_t *dirty, ndirty;
    int running; /* in run_queue */
    nghttp2_session_callbacks *cb;
    nghttp2_nv nv[MAX_FIELDS];
    size_t nnv;
    char *store;
    const char *body;
    size_t body_len;
    uint8_t rbuf[65536];
};

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- request fields ---- */

int lg_h2_fields(const char *req, size_t len, char *store, lg_h2_field *out, int max,
                 const char **body, size_t *body_len) {
    if (max < 4)
        return -1;
    memcpy(store, req, len);
    const char *end = store + len;
    char *p = store;
    char *sp1 = memchr(p, ' ', (size_t)(end - p));
    char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
    if (sp1 == NULL || eol == NULL || sp1 > eol)
        return -1;
    char *sp2 = memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1));
    if (sp2 == NULL)
        return -1;
    out[0] = (lg_h2_field){":method", p, 7, (size_t)(sp1 - p)};
    out[1] = (lg_h2_field){":scheme", "https", 7, 5};
    out[2] = (lg_h2_field){":authority", "", 10, 0};
    out[3] = (lg_h2_field){":path", sp1 + 1, 5, (size_t)(sp2 - sp1 - 1)};
    int n = 4;
    p = eol + 2;
    for (;;) {
        eol = memmem(p, (size_t)(end - p), "\r\n", 2);
        if (eol == NULL)
            return -1;
        if (eol == p)
            break; /* the blank line */
        char *colon = memchr(p, ':', (size_t)(eol - p));
        if (colon == NULL || colon == p)
            return -1;
        for (char *q = p; q < colon; q++)
            *q = (char)tolower((unsigned char)*q);
        const char *v = colon + 1;
        while (v < eol && (*v == ' ' || *v == '\t'))
            v++;
        size_t nl = (size_t)(colon - p), vl = (size_t)(eol - v);
        /* Go's http2 encodeHeaders: Host becomes :authority; connection-specific fields are
         * not sent */
        if (nl == 4 && memcmp(p, "host", 4) == 0) {
            out[2].value = v;
            out[2].value_len = vl;
        } else if (!((nl == 10 && memcmp(p, "connection", 10) == 0) ||
                     (nl == 10 && memcmp(p, "keep-alive", 10) == 0) ||
                     (nl == 16 && memcmp(p, "proxy-connection", 16) == 0) ||
                     (nl == 17 && memcmp(p, "transfer-encoding", 17) == 0) ||
                     (nl == 7 && memcmp(p, "upgrade", 7) == 0))) {
            if (n >= max)
                return -1;
            out[n++] = (lg_h2_field){p, v, nl, vl};
        }
        p = eol + 2;
    }
    *body = req + (p + 2 - store);
    *body_len = (size_t)(end - (p + 2));
    return n;
}

/* ---- the queue of ended requests ---- */

static void finish(lg_h2 *h, int64_t w, int outcome) {
    slot *s = &h->w[w];
    if (s->queued)
        return;
    s->outcome = outcome;
    s->queued = 1;
    h->fin[h->nfin++] = w;
}

static void wait_push(lg_h2 *h, h2conn *c, int64_t w) {
    h->w[w].next_wait = -1;
    if (c->wait_tail >= 0)
        h->w[c->wait_tail].next_wait = w;
    else
        c->wait_head = w;
    c->wait_tail = w;
}

static int64_t wait_pop(lg_h2 *h, h2conn *c) {
    int64_t w = c->wait_head;
    if (w >= 0) {
        c->wait_head = h->w[w].next_wait;
        if (c->wait_head < 0)
            c->wait_tail = -1;
    }
    return w;
}

static void wait_remove(lg_h2 *h, h2conn *c, int64_t w) {
    int64_t prev = -1;
    for (int64_t k = c->wait_head; k >= 0; prev = k, k = h->w[k].next_wait) {
        if (k != w)
            continue;
        if (prev >= 0)
            h->w[prev].next_wait = h->w[k].next_wait;
        else
            c->wait_head = h->w[k].next_wait;
        if (c->wait_tail == w)
            c->wait_tail = prev;
        return;
    }
}

/* The worker leaves its connection (its stream ended, or it never had one). */
static void detach(lg_h2 *h, int64_t w) {
    slot *s = &h->w[w];
    if (s->conn >= 0) {
        if (s->stream == 0)
            wait_remove(h, &h->c[s->conn], w);
        h->c[s->conn].nstreams--;
    }
    s->conn = -1;
    s->stream = 0;
}

static void mark_dirty(lg_h2 *h, h2conn *c) {
    if (!c->dirty) {
        c->dirty = 1;
        h->dirty[h->ndirty++] = c - h->c;
    }
}

static void close_h2conn(lg_h2 *h, h2conn *c) {
    if (c->s) {
        nghttp2_session_del(c->s);
        c->s = NULL;
    }
    if (c->tls) {
        lg_tls_free(c->tls);
        c->tls = NULL;
    }
    if (c->fd >= 0) {
        close(c->fd);
        c->fd = -1;
    }
    c->gen++;
    c->state = H_FREE;
    c->nstreams = c->nactive = 0;
    c->wait_head = c->wait_tail = -1;
    c->served = 0;
    c->got_settings = 0;
    (void)h;
}

/* The connection failed: every request on it ends with kind (EOF becomes truncated for a
 * request whose response had begun). */
static void conn_fail(lg_h2 *h, h2conn *c, lg_err kind, int proxy_status) {
    int64_t ci = c - h->c;
    for (int64_t w = 0; w < h->nworkers; w++) {
        slot *s = &h->w[w];
        if (s->conn != ci || s->queued)
            continue;
        s->kind = kind == LG_ERR_EOF && s->r.t_first_byte ? LG_ERR_TRUNCATED : kind;
        s->proxy_status = proxy_status;
        if (c->away)
            memcpy(s->dial, c->o->dial, sizeof s->dial);
        s->conn = -1;
        s->stream = 0;
        finish(h, w, OUT_FAILED);
    }
    close_h2conn(h, c);
}

static void assign(lg_h2 *h, int64_t w, int64_t now);
static void flush(lg_h2 *h, h2conn *c);

/* Reports ended requests and sends what was submitted meanwhile, until nothing is left. */
static void run_queue(lg_h2 *h) {
    if (h->running)
        return;
    h->running = 1;
    while (h->nfin > 0 || h->ndirty > 0) {
        if (h->nfin > 0) {
            int64_t w = h->fin[--h->nfin];
            slot *s = &h->w[w];
            s->queued = 0;
            int outcome = s->outcome;
            s->outcome = OUT_NONE;
            int64_t now = now_ns();
            if (outcome == OUT_RETRY) {
                assign(h, w, now);
            } else if (outcome == OUT_DONE) {
                lg_h2_req r = s->r;
                h->hooks.done(h->hooks.ctx, w, &r, now);
            } else if (outcome == OUT_FAILED) {
                h->hooks.failed(h->hooks.ctx, w, s->kind, s->proxy_status,
                                s->away && !h->t->proxy ? s->dial : NULL, now);
            }
            continue;
        }
        h2conn *c = &h->c[h->dirty[--h->ndirty]];
        c->dirty = 0;
        if (c->s)
            flush(h, c);
    }
    h->running = 0;
}

/* ---- nghttp2 callbacks ---- */

static int64_t stream_worker(nghttp2_session *s, int32_t id) {
    void *p = nghttp2_session_get_stream_user_data(s, id);
    return p ? (int64_t)(intptr_t)p - 1 : -1;
}

static ssize_t cb_send(nghttp2_session *session, const uint8_t *data, size_t length, int flags,
                       void *user_data) {
    (void)session, (void)flags;
    h2conn *c = user_data;
    ssize_t w = lg_tls_write(c->tls, data, length);
    if (w >= 0)
        return w;
    if (errno == EAGAIN)
        return NGHTTP2_ERR_WOULDBLOCK;
    c->io_kind = errno == ECONNRESET ? LG_ERR_RESET : errno == EPROTO ? LG_ERR_TLS : LG_ERR_IO;
    return NGHTTP2_ERR_CALLBACK_FAILURE;
}

static int cb_begin_headers(nghttp2_session *session, const nghttp2_frame *frame, void *user_data) {
    h2conn *c = user_data;
    int64_t w = stream_worker(session, frame->hd.stream_id);
    if (w >= 0 && c->pool->w[w].r.t_first_byte == 0)
        c->pool->w[w].r.t_first_byte = now_ns();
    return 0;
}

static int cb_header(nghttp2_session *session, const nghttp2_frame *frame, const uint8_t *name,
                     size_t namelen, const uint8_t *value, size_t valuelen, uint8_t flags,
                     void *user_data) {
    (void)flags;
    h2conn *c = user_data;
    if (frame->hd.type != NGHTTP2_HEADERS)
        return 0;
    int64_t w = stream_worker(session, frame->hd.stream_id);
    if (w < 0)
        return 0;
    slot *s = &c->pool->w[w];
    if (namelen == 7 && memcmp(name, ":status", 7) == 0) {
        int st = 0;
        for (size_t i = 0; i < valuelen && i < 4; i++)
            st = st * 10 + (value[i] - '0');
        s->r.status = st;
        s->final = st < 100 || st >= 200; /* 1xx: an interim response, the final one follows */
    } else if (s->final && !s->seen_location && namelen == 8 && memcmp(name, "location", 8) == 0) {
        s->seen_location = 1; /* the first one, as Go's Header.Get */
        size_t n = valuelen < LG_HTTP_LOCATION_MAX ? valuelen : LG_HTTP_LOCATION_MAX;
        memcpy(s->location, value, n);
        s->location[n] = 0;
        s->location_len = valuelen;
        s->r.location = s->location;
        s->r.location_len = valuelen > LG_HTTP_LOCATION_MAX ? LG_HTTP_LOCATION_MAX + 1 : valuelen;
    } else if (s->final && namelen == 14 && memcmp(name, "content-length", 14) == 0) {
        int64_t v = 0;
        for (size_t i = 0; i < valuelen && v < INT64_MAX / 10 - 10; i++) {
            if (value[i] < '0' || value[i] > '9')
                return 0; /* nghttp2 has checked it; leave -1 for anything odd */
            v = v * 10 + (value[i] - '0');
        }
        s->r.content_length = v;
    }
    return 0;
}

static int cb_frame_send(nghttp2_session *session, const nghttp2_frame *frame, void *user_data) {
    h2conn *c = user_data;
    if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
        (frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
        int64_t w = stream_worker(session, frame->hd.stream_id);
        if (w >= 0)
            c->pool->w[w].r.t_written = now_ns();
    }
    return 0;
}

static int cb_frame_recv(nghttp2_session *session, const nghttp2_frame *frame, void *user_data) {
    (void)session;
    h2conn *c = user_data;
    if (frame->hd.type == NGHTTP2_GOAWAY && c->state == H_READY)
        c->state = H_DRAINING; /* no new streams here (Go: cc.goAway, CanTakeNewRequest) */
    if (frame->hd.type == NGHTTP2_SETTINGS && !(frame->hd.flags & NGHTTP2_FLAG_ACK)) {
        c->got_settings = 1;
        mark_dirty(c->pool, c); /* the stream limit may have grown: waiting requests go */
    }
    return 0;
}

static int cb_stream_close(nghttp2_session *session, int32_t stream_id, uint32_t error_code,
                           void *user_data) {
    h2conn *c = user_data;
    lg_h2 *h = c->pool;
    c->nactive--;
    mark_dirty(h, c); /* a stream is free: a waiting request goes */
    int64_t w = stream_worker(session, stream_id);
    if (w < 0)
        return 0; /* cancelled by the engine */
    nghttp2_session_set_stream_user_data(session, stream_id, NULL);
    slot *s = &h->w[w];
    detach(h, w);
    if (error_code == NGHTTP2_NO_ERROR && s->final) {
        finish(h, w, OUT_DONE);
    } else if (error_code == NGHTTP2_REFUSED_STREAM && s->r.t_first_byte == 0 && !s->retried) {
        s->retried = 1; /* never processed by the server: Go retries it on another connection */
        finish(h, w, OUT_RETRY);
    } else {
        s->kind = error_code == NGHTTP2_NO_ERROR ? LG_ERR_MALFORMED : LG_ERR_RESET;
        finish(h, w, OUT_FAILED);
    }
    return 0;
}

static ssize_t cb_body(nghttp2_session *session, int32_t stream_id, uint8_t *buf, size_t length,
                       uint32_t *data_flags, nghttp2_data_source *source, void *user_data) {
    (void)source;
    h2conn *c = user_data;
    lg_h2 *h = c->pool;
    int64_t w = stream_worker(session, stream_id);
    if (w < 0)
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    slot *s = &h->w[w];
    size_t n = h->body_len - s->body_off;
    if (n > length)
        n = length;
    memcpy(buf, h->body + s->body_off, n);
    s->body_off += n;
    if (s->body_off == h->body_len)
        *data_flags |= NGHTTP2_DATA_FLAG_EOF;
    return (ssize_t)n;
}

/* ---- connections ---- */

static int64_t max_streams(const lg_h2 *h, const h2conn *c) {
    if (!h->t->keepalive)
        return 1;
    if (c->s == NULL || !c->got_settings)
        return INITIAL_MAX_STREAMS;
    uint32_t m = nghttp2_session_get_remote_settings(c->s, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS);
    return m == 0xffffffffu ? DEFAULT_MAX_STREAMS : (int64_t)m; /* 0xffffffff: not named */
}

static void submit(lg_h2 *h, h2conn *c, int64_t w, int64_t now);

/* Waiting requests take the streams that are free; on a connection that got GOAWAY they go
 * to another one. */
static void fill(lg_h2 *h, h2conn *c) {
    int64_t w;
    if (c->state == H_DRAINING) {
        while ((w = wait_pop(h, c)) >= 0) {
            c->nstreams--;
            h->w[w].conn = -1;
            finish(h, w, OUT_RETRY);
        }
        return;
    }
    int64_t now = 0;
    while (c->state == H_READY && c->nactive < max_streams(h, c) && (w = wait_pop(h, c)) >= 0) {
        if (now == 0)
            now = now_ns();
        submit(h, c, w, now);
    }
}

static void flush(lg_h2 *h, h2conn *c) {
    fill(h, c);
    if (c->s == NULL)
        return;
    int rc = nghttp2_session_send(c->s);
    if (rc != 0) {
        conn_fail(h, c, rc == NGHTTP2_ERR_CALLBACK_FAILURE ? c->io_kind : LG_ERR_MALFORMED, 0);
        return;
    }
    int over = !nghttp2_session_want_read(c->s) && !nghttp2_session_want_write(c->s);
    if (c->nstreams == 0 && (c->state == H_DRAINING || !h->t->keepalive || over))
        close_h2conn(h, c);
    else if (over) /* ended by a protocol error, streams left (see lg_h2_event) */
        conn_fail(h, c, LG_ERR_MALFORMED, 0);
}

/* Puts a waiting request on the connection's session (fill). */
static void submit(lg_h2 *h, h2conn *c, int64_t w, int64_t now) {
    slot *s = &h->w[w];
    s->r.t_got_conn = now;
    s->body_off = 0;
    s->stream = -1; /* out of the wait queue: detach must not look there */
    c->nactive++;
    nghttp2_data_provider prd = {.source.ptr = NULL, .read_callback = cb_body};
    int32_t id =
        s->nnv ? nghttp2_submit_request(c->s, NULL, s->nv, s->nnv, NULL, (void *)(intptr_t)(w + 1))
               : nghttp2_submit_request(c->s, NULL, h->nv, h->nnv, h->body_len ? &prd : NULL,
                                        (void *)(intptr_t)(w + 1));
    if (id < 0) {
        c->nactive--;
        detach(h, w);
        s->kind = LG_ERR_IO;
        finish(h, w, OUT_FAILED);
        return;
    }
    s->stream = id;
    if (c->away)
        memcpy(s->dial, c->o->dial, sizeof s->dial);
    mark_dirty(h, c);
}

/* TLS is up: h2 if the server chose it, else the waiting workers go over HTTP/1.1 (all of the
 * target's from now on; for another origin only these: Go offers h2 on each new connection). */
static void tls_ready(lg_h2 *h, h2conn *c, int64_t now) {
    int64_t ci = c - h->c;
    if (!lg_tls_alpn_h2(c->tls)) {
        const char *dial = c->away && !h->t->proxy ? c->o->dial : NULL;
        if (!c->away)
            h->off = 1;
        int handed = 0;
        for (int64_t w = 0; w < h->nworkers; w++) {
            slot *s = &h->w[w];
            if (s->conn != ci)
                continue;
            s->conn = -1;
            if (!handed) {
                handed = 1;
                int fd = c->fd;
                lg_tls *tls = c->tls;
                c->fd = -1, c->tls = NULL;
                h->hooks.fallback(h->hooks.ctx, w, fd, tls, c->t_dial, c->dns_ns, dial, now);
            } else {
                h->hooks.fallback(h->hooks.ctx, w, -1, NULL, 0, 0, NULL, now);
            }
        }
        close_h2conn(h, c);
        return;
    }
    if (nghttp2_session_client_new(&c->s, h->cb, c) != 0) {
        conn_fail(h, c, LG_ERR_IO, 0);
        return;
    }
    nghttp2_settings_entry iv[1] = {{NGHTTP2_SETTINGS_ENABLE_PUSH, 0}};
    nghttp2_submit_settings(c->s, NGHTTP2_FLAG_NONE, iv, 1);
    c->state = H_READY;
    mark_dirty(h, c); /* flush: the waiting requests go (fill) */
    (void)now;
}

static void handshake(lg_h2 *h, h2conn *c, int64_t now) {
    int rc = lg_tls_handshake(c->tls);
    if (rc == LG_TLS_WAIT)
        return;
    if (rc == LG_TLS_FAIL) {
        conn_fail(h, c, LG_ERR_TLS, 0);
        return;
    }
    tls_ready(h, c, now);
}

static void start_tls(lg_h2 *h, h2conn *c, int64_t now) {
    c->tls = lg_tls_new(h->tls, c->fd, c->away ? c->o->sni : h->t->sni);
    if (c->tls == NULL) {
        conn_fail(h, c, LG_ERR_TLS, 0);
        return;
    }
    c->state = H_HANDSHAKE;
    handshake(h, c, now);
}

static void tunnel(lg_h2 *h, h2conn *c, int64_t now) {
    lg_err kind;
    int rc = c->away ? lg_tunnel_step(&c->tun, c->fd, c->o->connect, c->o->connect_len, &kind)
                     : lg_tunnel_step(&c->tun, c->fd, h->t->connect, h->t->connect_len, &kind);
    if (rc == LG_TUNNEL_WAIT)
        return;
    if (rc == LG_TUNNEL_FAIL) {
        conn_fail(h, c, kind, c->tun.status);
        return;
    }
    start_tls(h, c, now);
}

static void connected(lg_h2 *h, h2conn *c, int64_t now) {
    if (c->away ? c->o->connect_len > 0 : h->t->connect != NULL) {
        c->state = H_TUNNEL;
        lg_tunnel_start(&c->tun);
        tunnel(h, c, now);
        return;
    }
    start_tls(h, c, now);
}

static void dial(lg_h2 *h, h2conn *c, int64_t now) {
    c->t_dial = now;
    c->state = H_CONNECTING;
    h->dials++;
    struct sockaddr_storage addr;
    socklen_t len;
    int looked;
    if (c->away && !h->t->proxy) { /* another origin: its own name and port */
        h2away *o = c->o;
        looked = lg_lookup(o->host, o->port, &addr, &len, &c->dns_ns, o->dial, sizeof o->dial);
        if (looked != 0)
            lg_lookup_error(h->t, o->host, o->dial, sizeof o->dial);
    } else {
        looked = lg_target_lookup(h->t, &addr, &len, &c->dns_ns);
    }
    if (looked != 0) {
        conn_fail(h, c, LG_ERR_DIAL, 0);
        return;
    }
    c->fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        conn_fail(h, c, LG_ERR_DIAL, 0);
        return;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->gen++;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                             .data.u64 = (uint64_t)(c - h->c) | LG_H2_TAG | (uint64_t)c->gen << 32};
    if (epoll_ctl(h->ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
        conn_fail(h, c, LG_ERR_DIAL, 0);
        return;
    }
    if (connect(c->fd, (const struct sockaddr *)&addr, len) == 0)
        connected(h, c, now_ns());
    else if (errno != EINPROGRESS)
        conn_fail(h, c, errno == ECONNREFUSED ? LG_ERR_REFUSED : LG_ERR_DIAL, 0);
}

/* hey's one connection per loop (Debian hey 0.1.4 -h2 -c 300 against nginx, whose limit is
 * 128 streams, sent every request on one connection: Go dials for a request that finds the
 * connection full, but by the time that dial is done a stream is free and x/net's
 * addConnIfNeeded closes the new connection unused). So a request waits for a free stream on
 * the connection rather than dialing; a new connection comes only after GOAWAY, a failure, or
 * with -disable-keepalive (one request per connection). */
static int can_take(const lg_h2 *h, const h2conn *k) {
    return k->state != H_FREE && k->state != H_DRAINING && (h->t->keepalive || k->served == 0);
}

/* Is k a connection to the origin the worker's request goes to? */
static int same_origin(const h2conn *k, const slot *s) {
    return k->away ? s->away && strcmp(k->o->key, s->origin.key) == 0 : !s->away;
}

/* A connection slot for a new connection: a free one, else an idle one (no request on it:
 * another origin's first) closed for it; NULL when none (cannot happen: a worker is on one
 * connection at most, and there are more connections than workers). */
static h2conn *free_conn(lg_h2 *h) {
    h2conn *idle = NULL;
    for (int64_t i = 0; i < h->nconns; i++) {
        h2conn *k = &h->c[i];
        if (k->state == H_FREE)
            return k;
        if (k->nstreams == 0 && (idle == NULL || (k->away && !idle->away)))
            idle = k;
    }
    if (idle)
        close_h2conn(h, idle);
    return idle;
}

/* The connection c, made now, goes to the request's origin. */
static int set_origin(h2conn *c, const slot *s) {
    c->away = s->away;
    if (!s->away)
        return 0;
    if (c->o == NULL && (c->o = malloc(sizeof *c->o)) == NULL) {
        c->away = 0;
        return -1;
    }
    const lg_h2_origin *o = &s->origin;
    h2away *a = c->o;
    snprintf(a->key, sizeof a->key, "%s", o->key);
    snprintf(a->host, sizeof a->host, "%s", o->host);
    snprintf(a->sni, sizeof a->sni, "%s", o->sni);
    a->port = o->port;
    a->connect_len = o->connect_len < sizeof a->connect ? o->connect_len : 0;
    memcpy(a->connect, o->connect ? o->connect : "", a->connect_len);
    a->dial[0] = 0;
    return 0;
}

/* The connection for a new request (the one used last first: the scan is rare), or a new one;
 * the request waits in its queue until a stream is free. */
static void assign(lg_h2 *h, int64_t w, int64_t now) {
    slot *s = &h->w[w];
    h2conn *c = NULL;
    if (can_take(h, &h->c[h->cur]) && same_origin(&h->c[h->cur], s))
        c = &h->c[h->cur];
    for (int64_t i = 0; c == NULL && i < h->nconns; i++)
        if (can_take(h, &h->c[i]) && same_origin(&h->c[i], s))
            c = &h->c[i];
    int fresh = c == NULL;
    if (fresh) {
        c = free_conn(h);
        if (c == NULL || set_origin(c, s) != 0) {
            s->kind = c == NULL ? LG_ERR_DIAL : LG_ERR_IO;
            snprintf(s->dial, sizeof s->dial, "%s", s->away ? s->origin.host : "");
            finish(h, w, OUT_FAILED);
            return;
        }
    }
    s->conn = h->cur = c - h->c;
    s->stream = 0;
    c->nstreams++;
    c->served++;
    wait_push(h, c, w);
    s->r.reused = !fresh && c->state >= H_READY;
    s->r.t_dial = now; /* hey's GetConn: a wait for a connection being made counts as dialing */
    if (fresh) {
        dial(h, c, now);
        if (s->conn >= 0 && !s->queued)
            s->r.dns_ns = c->dns_ns;
    } else if (c->state == H_READY) {
        mark_dirty(h, c); /* flush submits it if a stream is free */
    }
}

/* ---- the interface ---- */

lg_h2 *lg_h2_new(const lg_target *t, lg_tls_ctx *tls, int ep, int64_t workers,
                 const lg_h2_hooks *hooks, sim_error *err) {
    lg_h2 *h = calloc(1, sizeof *h);
    if (h == NULL) {
        error_set(err, "loadgen: out of memory");
        return NULL;
    }
    h->t = t;
    h->tls = tls;
    h->off = !t->h2; /* an http URL: only redirects to https origins come here */
    h->ep = ep;
    h->hooks = *hooks;
    h->nworkers = workers;
    h->nconns = workers + SPARE_CONNS;
    h->w = calloc((size_t)workers, sizeof *h->w);
    h->c = calloc((size_t)h->nconns, sizeof *h->c);
    h->fin = calloc((size_t)workers, sizeof *h->fin);
    h->dirty = calloc((size_t)h->nconns, sizeof *h->dirty);
    h->store = malloc(t->request_len + 1);
    lg_h2_field f[MAX_FIELDS];
    int n = -1;
    if (h->w && h->c && h->fin && h->dirty && h->store)
        n = lg_h2_fields(t->request, t->request_len, h->store, f, MAX_FIELDS, &h->body,
                         &h->body_len);
    if (n < 0 || nghttp2_session_callbacks_new(&h->cb) != 0) {
        error_set(err, n < 0 && h->store ? "loadgen: -h2: the request has too many headers"
                                         : "loadgen: out of memory");
        lg_h2_free(h);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        h->nv[i] =
            (nghttp2_nv){(uint8_t *)f[i].name, (uint8_t *)f[i].value, f[i].name_len, f[i].value_len,
                         NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE};
    h->nnv = (size_t)n;
    for (int64_t i = 0; i < workers; i++)
        h->w[i].conn = -1;
    for (int64_t i = 0; i < h->nconns; i++) {
        h->c[i].fd = -1;
        h->c[i].pool = h;
        h->c[i].wait_head = h->c[i].wait_tail = -1;
    }
    nghttp2_session_callbacks_set_send_callback(h->cb, cb_send);
    nghttp2_session_callbacks_set_on_begin_headers_callback(h->cb, cb_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(h->cb, cb_header);
    nghttp2_session_callbacks_set_on_frame_send_callback(h->cb, cb_frame_send);
    nghttp2_session_callbacks_set_on_frame_recv_callback(h->cb, cb_frame_recv);
    nghttp2_session_callbacks_set_on_stream_close_callback(h->cb, cb_stream_close);
    return h;
}

void lg_h2_free(lg_h2 *h) {
    if (h == NULL)
        return;
    for (int64_t i = 0; h->c && i < h->nconns; i++)
        close_h2conn(h, &h->c[i]), free(h->c[i].o);
    for (int64_t i = 0; h->w && i < h->nworkers; i++)
        free(h->w[i].nv), free(h->w[i].store);
    if (h->cb)
        nghttp2_session_callbacks_del(h->cb);
    free(h->w), free(h->c), free(h->fin), free(h->dirty), free(h->store), free(h);
}

int lg_h2_on(const lg_h2 *h) {
    return h != NULL && !h->off;
}

int64_t lg_h2_dials(const lg_h2 *h) {
    return h ? h->dials : 0;
}

void lg_h2_start(lg_h2 *h, int64_t w, int64_t now) {
    slot *s = &h->w[w];
    memset(&s->r, 0, sizeof s->r);
    s->r.content_length = -1;
    s->retried = 0;
    s->final = 0;
    s->seen_location = 0;
    s->nnv = 0;
    s->away = 0;
    assign(h, w, now);
    run_queue(h);
}

void lg_h2_start_req(lg_h2 *h, int64_t w, const char *req, size_t len, const lg_h2_origin *origin,
                     int64_t now) {
    slot *s = &h->w[w];
    s->away = origin != NULL;
    if (origin)
        s->origin = *origin;
    if (s->store_cap < len + 1) {
        char *p = realloc(s->store, len + 1);
        if (p == NULL) {
            s->kind = LG_ERR_IO;
            finish(h, w, OUT_FAILED);
            run_queue(h);
            return;
        }
        s->store = p;
        s->store_cap = len + 1;
    }
    if (s->nv == NULL && (s->nv = malloc(MAX_FIELDS * sizeof *s->nv)) == NULL) {
        s->kind = LG_ERR_IO;
        finish(h, w, OUT_FAILED);
        run_queue(h);
        return;
    }
    lg_h2_field f[MAX_FIELDS];
    const char *body;
    size_t body_len;
    int n = lg_h2_fields(req, len, s->store, f, MAX_FIELDS, &body, &body_len);
    if (n < 0) {
        s->kind = LG_ERR_IO;
        finish(h, w, OUT_FAILED);
        run_queue(h);
        return;
    }
    for (int i = 0; i < n; i++)
        s->nv[i] =
            (nghttp2_nv){(uint8_t *)f[i].name, (uint8_t *)f[i].value, f[i].name_len, f[i].value_len,
                         NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE};
    memset(&s->r, 0, sizeof s->r);
    s->r.content_length = -1;
    s->retried = 0;
    s->final = 0;
    s->seen_location = 0;
    s->nnv = (size_t)n;
    assign(h, w, now);
    run_queue(h);
}

void lg_h2_cancel(lg_h2 *h, int64_t w) {
    slot *s = &h->w[w];
    if (s->queued) { /* ended already, not yet reported: drop the report */
        for (int64_t i = 0; i < h->nfin; i++)
            if (h->fin[i] == w) {
                h->fin[i] = h->fin[--h->nfin];
                break;
            }
        s->queued = 0;
        s->outcome = OUT_NONE;
    }
    if (s->conn < 0)
        return;
    h2conn *c = &h->c[s->conn];
    if (s->stream > 0 && c->s) {
        nghttp2_session_set_stream_user_data(c->s, s->stream, NULL);
        nghttp2_submit_rst_stream(c->s, NGHTTP2_FLAG_NONE, s->stream, NGHTTP2_CANCEL);
        mark_dirty(h, c);
    }
    detach(h, w);
    run_queue(h);
}

void lg_h2_event(lg_h2 *h, uint64_t data, uint32_t events, int64_t now) {
    uint32_t idx = (uint32_t)data & ~LG_H2_TAG;
    if ((int64_t)idx >= h->nconns)
        return;
    h2conn *c = &h->c[idx];
    if ((uint32_t)(data >> 32) != c->gen || c->fd < 0)
        return; /* a socket closed earlier in this batch */
    if (c->state == H_CONNECTING) {
        int e = 0;
        socklen_t len = sizeof e;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &len);
        if (e != 0)
            conn_fail(h, c, e == ECONNREFUSED ? LG_ERR_REFUSED : LG_ERR_DIAL, 0);
        else if (events & EPOLLOUT)
            connected(h, c, now);
    } else if (c->state == H_TUNNEL) {
        tunnel(h, c, now);
    } else if (c->state == H_HANDSHAKE) {
        handshake(h, c, now);
    } else if (c->s) {
        for (;;) {
            ssize_t r = lg_tls_read(c->tls, h->rbuf, sizeof h->rbuf);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0 && errno == EAGAIN)
                break;
            if (r <= 0) {
                conn_fail(h, c,
                          r == 0                ? LG_ERR_EOF
                          : errno == ECONNRESET ? LG_ERR_RESET
                          : errno == EPROTO     ? LG_ERR_TLS
                                                : LG_ERR_IO,
                          0);
                break;
            }
            ssize_t used = nghttp2_session_mem_recv(c->s, h->rbuf, (size_t)r);
            if (used < 0) {
                conn_fail(h, c, LG_ERR_MALFORMED, 0);
                break;
            }
        }
        /* nghttp2 ends a session on a protocol error (a first frame that is not SETTINGS, a
         * bad frame) by queueing GOAWAY, without closing its streams: they are malformed */
        if (c->s && c->nstreams > 0 && !nghttp2_session_want_read(c->s) &&
            !nghttp2_session_want_write(c->s))
            conn_fail(h, c, LG_ERR_MALFORMED, 0);
        if (c->s)
            mark_dirty(h, c); /* WINDOW_UPDATE, SETTINGS ack, or writes that had to wait */
    }
    run_queue(h);
}
