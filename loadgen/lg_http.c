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

/* Header names and values may come in pieces across reads: a name is collected (lower case) up
 * to sizeof field bytes, which a longer name fills, so only a name of 8 can be "location"; a
 * value only while the name is Location. */
static int on_header_field(http_parser *p, const char *at, size_t n) {
    lg_http *h = p->data;
    if (h->hdr_state != 1) {
        h->hdr_state = 1;
        h->field_len = 0;
    }
    for (size_t i = 0; i < n && h->field_len < sizeof h->field; i++)
        h->field[h->field_len++] = (char)(at[i] | 0x20);
    return 0;
}

static int on_header_value(http_parser *p, const char *at, size_t n) {
    lg_http *h = p->data;
    if (h->hdr_state != 2) {
        h->hdr_state = 2;
        h->in_location =
            !h->seen_location && h->field_len == 8 && memcmp(h->field, "location", 8) == 0;
        if (h->in_location)
            h->seen_location = 1;
    }
    if (!h->in_location)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (h->location_len < LG_HTTP_LOCATION_MAX)
            h->location[h->location_len] = at[i];
        if (h->location_len <= LG_HTTP_LOCATION_MAX)
            h->location_len++;
    }
    if (h->location_len <= LG_HTTP_LOCATION_MAX)
        h->location[h->location_len] = 0;
    else
        h->location[LG_HTTP_LOCATION_MAX] = 0;
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
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

void lg_http_start(lg_http *h, int head) {
    /* the parser is set up on its first use: the fast path does without it */
    h->status = 0;
    h->content_length = -1;
    h->body_bytes = 0;
    h->done = h->keepalive = h->started = h->fast = 0;
    h->head = head;
    h->location_len = 0;
    h->location[0] = 0;
    h->hdr_state = h->in_location = h->seen_location = 0;
    h->field_len = 0;
}

static void parser_start(lg_http *h) {
    http_parser_init(&h->p, HTTP_RESPONSE);
    h->p.data = h;
}

/* Case-insensitive: does the header name [a, a + n) equal lower-case `want`? */
static int name_is(const char *a, size_t n, const char *want, size_t wn) {
    if (n != wn)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((a[i] | 0x20) != want[i])
            return 0;
    return 1;
}

/* The common response read without http-parser, which costs about 300 ns a response, 5-6% of
 * the client's CPU per request against a local nginx (measured 2026-11-28): the whole response
 * in one buffer, "HTTP/1.1 NNN reason", header lines "Name: value" in plain ASCII, a
 * Content-Length of digits, no Transfer-Encoding, Upgrade or Proxy-Connection, Connection
 * absent, "keep-alive" or "close", and exactly Content-Length bytes of body with nothing after.
 * Anything else (1xx, 204, 3xx, HEAD, HTTP/1.0, chunked, a response split across reads, bytes
 * past the body, folded or unusual headers) returns 0 and goes to http-parser from the same
 * bytes, so the parser stays the judge of every response this does not read; the two agree on
 * what this reads (tests/test_loadgen.c, "fast path"). Status, Content-Length and keep-alive
 * follow http-parser 2.9 (http_should_keep_alive: HTTP/1.1 keeps the connection unless
 * "Connection: close"). */
static int fast_path(lg_http *h, const char *d, size_t n) {
    if (h->head || n < 19 || memcmp(d, "HTTP/1.1 ", 9) != 0)
        return 0;
    if (d[9] < '2' || d[9] > '5' || d[10] < '0' || d[10] > '9' || d[11] < '0' || d[11] > '9' ||
        d[12] != ' ')
        return 0;
    int status = (d[9] - '0') * 100 + (d[10] - '0') * 10 + (d[11] - '0');
    if (status == 204 || status == 304 || (status >= 300 && status < 400))
        return 0; /* a redirect's Location is read by the parser (on_header_value) */
    const char *p = d + 13, *end = d + n;
    while (p < end && *p != '\r') { /* the reason phrase */
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
            return 0;
        p++;
    }
    int64_t length = -1;
    int keepalive = 1;
    for (;;) { /* p at the CR ending the previous line */
        if (end - p < 2 || p[1] != '\n')
            return 0;
        p += 2;
        if (p < end && *p == '\r') { /* the empty line */
            if (end - p < 2 || p[1] != '\n')
                return 0;
            p += 2;
            break;
        }
        const char *name = p;
        while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                           (*p >= '0' && *p <= '9') || *p == '-'))
            p++;
        size_t name_len = (size_t)(p - name);
        if (name_len == 0 || p >= end || *p != ':')
            return 0;
        p++;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *value = p;
        while (p < end && *p != '\r') {
            if (((unsigned char)*p < 0x20 && *p != '\t') || (unsigned char)*p > 0x7e)
                return 0;
            p++;
        }
        const char *vend = p;
        while (vend > value && (vend[-1] == ' ' || vend[-1] == '\t'))
            vend--;
        size_t vlen = (size_t)(vend - value);
        if (name_is(name, name_len, "content-length", 14)) {
            if (length >= 0 || vlen == 0 || vlen > 15)
                return 0;
            length = 0;
            for (size_t i = 0; i < vlen; i++) {
                if (value[i] < '0' || value[i] > '9')
                    return 0;
                length = length * 10 + (value[i] - '0');
            }
        } else if (name_is(name, name_len, "connection", 10)) {
            if (name_is(value, vlen, "close", 5))
                keepalive = 0;
            else if (!name_is(value, vlen, "keep-alive", 10))
                return 0;
        } else if (name_is(name, name_len, "transfer-encoding", 17) ||
                   name_is(name, name_len, "upgrade", 7) ||
                   name_is(name, name_len, "proxy-connection", 16)) {
            return 0;
        }
    }
    if (length < 0 || (size_t)(end - p) != (size_t)length)
        return 0;
    h->status = status;
    h->content_length = length;
    h->body_bytes = (uint64_t)length;
    h->keepalive = keepalive;
    h->done = 1;
    h->fast = 1;
    return 1;
}

int lg_http_feed(lg_http *h, const char *data, size_t n, size_t *used) {
    if (!h->started && fast_path(h, data, n)) {
        h->started = 1;
        *used = n;
        return LG_HTTP_DONE;
    }
    if (!h->started)
        parser_start(h);
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
    if (!h->started)
        parser_start(h);
    http_parser_execute(&h->p, &settings, NULL, 0); /* tells the parser the stream ended */
    return h->done ? LG_HTTP_DONE : LG_HTTP_BAD;
}
