/* lg_tls.h: https for the engine, with OpenSSL on non-blocking sockets.
 *
 * As hey does (rakyll/hey hey.go: tls.Config{InsecureSkipVerify: true, ServerName: host}),
 * the server's certificate is not verified and SNI carries the URL's host (or -host). The
 * engine drives each step (handshake, read, write) from its epoll events; a step that must
 * wait says so and is called again on the next event. With h2 the client offers ALPN "h2" and
 * "http/1.1", as Go's http2.ConfigureTransport sets tls.Config.NextProtos (golang.org/x/net
 * http2/transport.go); lg_tls_alpn_h2 says after the handshake whether the server chose h2. */
#ifndef SCALESIM_LOADGEN_LG_TLS_H
#define SCALESIM_LOADGEN_LG_TLS_H

#include <stddef.h>
#include <sys/types.h>

#include "common/error.h"

typedef struct lg_tls_ctx lg_tls_ctx;
typedef struct lg_tls lg_tls;

enum { LG_TLS_DONE = 0, LG_TLS_WAIT = 1, LG_TLS_FAIL = -1 };

lg_tls_ctx *lg_tls_ctx_new(int h2, sim_error *err);
void lg_tls_ctx_free(lg_tls_ctx *ctx);

lg_tls *lg_tls_new(lg_tls_ctx *ctx, int fd, const char *server_name);
void lg_tls_free(lg_tls *t);
/* One handshake step: LG_TLS_DONE, LG_TLS_WAIT or LG_TLS_FAIL. */
int lg_tls_handshake(lg_tls *t);
/* After the handshake: 1 when the server chose "h2" in ALPN. */
int lg_tls_alpn_h2(lg_tls *t);
/* Like send()/recv(): bytes moved, 0 at a clean close (read), or -1 with errno EAGAIN (wait),
 * ECONNRESET (reset), EPROTO (TLS failure) or EIO. */
ssize_t lg_tls_write(lg_tls *t, const void *buf, size_t n);
ssize_t lg_tls_read(lg_tls *t, void *buf, size_t n);

#endif
