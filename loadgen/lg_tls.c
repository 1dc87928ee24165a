/* lg_tls.c: OpenSSL glue for the engine (lg_tls.h). */
#include "loadgen/lg_tls.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdlib.h>

struct lg_tls_ctx {
    SSL_CTX *ctx;
};

lg_tls_ctx *lg_tls_ctx_new(int h2, sim_error *err) {
    lg_tls_ctx *c = calloc(1, sizeof *c);
    if (c == NULL || (c->ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
        free(c);
        error_set(err, "loadgen: cannot start OpenSSL");
        return NULL;
    }
    SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL); /* hey: InsecureSkipVerify */
    /* moving write buffer: nghttp2 retries a write that had to wait from its own buffer */
    SSL_CTX_set_mode(c->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_RELEASE_BUFFERS |
                                 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    static const unsigned char alpn[] = "\x02h2\x08http/1.1";
    if (h2 && SSL_CTX_set_alpn_protos(c->ctx, alpn, sizeof alpn - 1) != 0) {
        SSL_CTX_free(c->ctx);
        free(c);
        error_set(err, "loadgen: cannot set up ALPN for -h2");
        return NULL;
    }
    /* a close without close_notify ends a body like a TCP close does (as in Go) */
    SSL_CTX_set_options(c->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    return c;
}

void lg_tls_ctx_free(lg_tls_ctx *c) {
    if (c == NULL)
        return;
    SSL_CTX_free(c->ctx);
    free(c);
}

lg_tls *lg_tls_new(lg_tls_ctx *ctx, int fd, const char *server_name) {
    SSL *s = SSL_new(ctx->ctx);
    if (s == NULL)
        return NULL;
    if (SSL_set_fd(s, fd) != 1) {
        SSL_free(s);
        return NULL;
    }
    if (server_name && *server_name)
        SSL_set_tlsext_host_name(s, server_name);
    SSL_set_connect_state(s);
    return (lg_tls *)s;
}

void lg_tls_free(lg_tls *t) {
    if (t)
        SSL_free((SSL *)t);
}

/* Maps an SSL error to the engine's errno convention. */
static ssize_t fail(SSL *s, int rc) {
    int saved = errno;
    int e = SSL_get_error(s, rc);
    ERR_clear_error();
    switch (e) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        errno = EAGAIN;
        return -1;
    case SSL_ERROR_ZERO_RETURN:
        return 0;
    case SSL_ERROR_SYSCALL:
        errno = saved == ECONNRESET || saved == EPIPE ? ECONNRESET : saved ? saved : EIO;
        if (saved == 0)
            return 0; /* the peer closed without close_notify */
        return -1;
    default:
        errno = EPROTO;
        return -1;
    }
}

int lg_tls_handshake(lg_tls *t) {
    SSL *s = (SSL *)t;
    int rc = SSL_do_handshake(s);
    if (rc == 1)
        return LG_TLS_DONE;
    int e = SSL_get_error(s, rc);
    ERR_clear_error();
    return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? LG_TLS_WAIT : LG_TLS_FAIL;
}

int lg_tls_alpn_h2(lg_tls *t) {
    const unsigned char *p = NULL;
    unsigned int n = 0;
    SSL_get0_alpn_selected((SSL *)t, &p, &n);
    return n == 2 && p[0] == 'h' && p[1] == '2';
}

ssize_t lg_tls_write(lg_tls *t, const void *buf, size_t n) {
    SSL *s = (SSL *)t;
    int rc = SSL_write(s, buf, (int)n);
    return rc > 0 ? rc : fail(s, rc);
}

ssize_t lg_tls_read(lg_tls *t, void *buf, size_t n) {
    SSL *s = (SSL *)t;
    int rc = SSL_read(s, buf, (int)n);
    return rc > 0 ? rc : fail(s, rc);
}
