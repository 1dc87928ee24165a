/* lg_tunnel.h: an HTTP CONNECT tunnel through a proxy (-x with an https URL), on a non-blocking
 * socket that has just connected to the proxy.
 *
 * As Go's transport does for hey (net/http transport.go, dialConn, "proxy" case for https),
 * the client writes CONNECT host:port and reads the proxy's answer: 200 (only) opens the tunnel,
 * the TLS handshake then goes through it to the server; any other status ends the request with
 * LG_ERR_PROXY and the status kept in `status`. The answer has no body (http-parser is told so,
 * as for HEAD); a byte past it is malformed, since the server cannot speak before the client's
 * TLS hello. lg_tunnel_step is called on every socket event until it is done. */
#ifndef SCALESIM_LOADGEN_LG_TUNNEL_H
#define SCALESIM_LOADGEN_LG_TUNNEL_H

#include <stddef.h>

#include "loadgen/lg_http.h"
#include "loadgen/lg_stats.h"

enum { LG_TUNNEL_OPEN = 0, LG_TUNNEL_WAIT = 1, LG_TUNNEL_FAIL = -1 };

typedef struct lg_tunnel {
    size_t woff; /* bytes of the CONNECT request written */
    int status;  /* the proxy's status, once read */
    lg_http http;
} lg_tunnel;

void lg_tunnel_start(lg_tunnel *tn);

/* Writes what is left of req, reads what the proxy answered. LG_TUNNEL_OPEN: the tunnel is up;
 * LG_TUNNEL_WAIT: call again on the next event; LG_TUNNEL_FAIL: *kind says why. */
int lg_tunnel_step(lg_tunnel *tn, int fd, const char *req, size_t len, lg_err *kind);

#endif
