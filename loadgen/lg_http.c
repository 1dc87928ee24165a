/* lg_http.c: http-parser callbacks and the one-response-at-a-time contract (lg_http.h). */
#include "loadgen/lg_http.h"

#include <string.h>

static int on_headers_complete(http_parser *p) {
    lg_http *h = p->data;
    h->status = p->status_code;
    /* http-parser leaves content_length at ULLONG_MAX when the header is absent */
    h->content_length =
        (p->flags & F_CHUNKED) || p->content_length == UINT64_MAX ? -1 : (int64_t)p->content_length;
    return h->head ? 1 : 0; /* 1: no body follows (HEAD) */
}

static int on_body(http_parser *p, const char *at, size_t n) {
    (void)at;
    ((lg_http *)p->data)->body_bytes += n;
    return 0;
}

static int on_message_complete(http_parser *p) {
    lg_http *h = p->data;
    if (p->status_code >= 100 && p->status_code < 200 && p->status_code != 101)
        return 0; /* interim response: the real one follows */
    h->done = 1;
    h->keepalive = http_should_keep_alive(p);
    http_parser_pause(p, 1); /* stop right after this response */
    return 0;
}

static const http_parser_settings settings = {
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

void lg_http_start(lg_http *h, int head) {
    memset(h, 0, sizeof *h);
    http_parser_init(&h->p, HTTP_RESPONSE);
    h->p.data = h;
    h->head = head;
    h->content_length = -1;
}

int lg_http_feed(lg_http *h, const char *data, size_t n, size_t *used) {
    h->started = 1;
    size_t k = http_parser_execute(&h->p, &settings, data, n);
    *used = k;
    if (h->done)
        return LG_HTTP_DONE;
    if (HTTP_PARSER_ERRNO(&h->p) != HPE_OK)
        return LG_HTTP_BAD;
    return LG_HTTP_MORE;
}

int lg_http_eof(lg_http *h) {
    if (h->done)
        return LG_HTTP_DONE;
    http_parser_execute(&h->p, &settings, NULL, 0); /* tells the parser the stream ended */
    return h->done ? LG_HTTP_DONE : LG_HTTP_BAD;
}
