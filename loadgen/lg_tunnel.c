/* lg_tunnel.c: the CONNECT exchange with a proxy (lg_tunnel.h). */
#include "loadgen/lg_tunnel.h"

#include <errno.h>
#include <sys/socket.h>

void lg_tunnel_start(lg_tunnel *tn) {
    tn->woff = 0;
    tn->status = 0;
    lg_http_start(&tn->http, 1); /* a 2xx answer to CONNECT has no body (RFC 9110 9.3.6) */
}

static lg_err errno_kind(int e) {
    return e == ECONNRESET || e == EPIPE ? LG_ERR_RESET : LG_ERR_IO;
}

int lg_tunnel_step(lg_tunnel *tn, int fd, const char *req, size_t len, lg_err *kind) {
    while (tn->woff < len) {
        ssize_t w = send(fd, req + tn->woff, len - tn->woff, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return LG_TUNNEL_WAIT;
            *kind = errno_kind(errno);
            return LG_TUNNEL_FAIL;
        }
        tn->woff += (size_t)w;
    }
    char buf[4096];
    for (;;) {
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return LG_TUNNEL_WAIT;
            *kind = errno_kind(errno);
            return LG_TUNNEL_FAIL;
        }
        if (r == 0) {
            *kind = tn->http.started ? LG_ERR_TRUNCATED : LG_ERR_EOF;
            return LG_TUNNEL_FAIL;
        }
        size_t used;
        int st = lg_http_feed(&tn->http, buf, (size_t)r, &used);
        if (st == LG_HTTP_BAD || (st == LG_HTTP_DONE && used < (size_t)r)) {
            *kind = LG_ERR_MALFORMED;
            return LG_TUNNEL_FAIL;
        }
        if (st == LG_HTTP_DONE) {
            tn->status = tn->http.status;
            if (tn->status == 200) /* Go: any other status, 2xx included, fails */
                return LG_TUNNEL_OPEN;
            *kind = LG_ERR_PROXY;
            return LG_TUNNEL_FAIL;
        }
    }
}
