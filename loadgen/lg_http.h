/* lg_http.h: reading one HTTP/1.x response with Debian's http-parser (nodejs/http-parser 2.9).
 *
 * The parser is well kept and handles what a server may send: Content-Length and chunked
 * bodies, bodies ended by the connection closing, 1xx interim responses, HEAD. lg_http_feed
 * consumes bytes until the end of one response and reports where that happened, so bytes past
 * it (a pipelining server) are noticed. The glue keeps only what a load generator needs: the
 * status code, the Content-Length (-1 when none, as Go's Response.ContentLength), the body
 * bytes seen, whether the connection may be reused, the Location header of a redirect, and the
 * instant of the first byte. A plain
 * response that arrives whole (the usual case against a local server) is read by a short
 * strict scan instead, with the same results; anything it does not accept goes to the parser. */
#ifndef SCALESIM_LOADGEN_LG_HTTP_H
#define SCALESIM_LOADGEN_LG_HTTP_H

#include <http_parser.h>
#include <stddef.h>
#include <stdint.h>

enum { LG_HTTP_MORE = 0, LG_HTTP_DONE = 1, LG_HTTP_BAD = -1 };

#define LG_HTTP_LOCATION_MAX 2047

typedef struct lg_http {
    http_parser p;
    int status;
    int64_t content_length; /* -1: none given (chunked or until close) */
    uint64_t body_bytes;
    int done, keepalive, head, started;
    int fast; /* the response was read without the parser (lg_http.c, fast_path) */
    /* the first Location header (as Go's Header.Get), for redirects (lg_redirect.h);
     * location_len > LG_HTTP_LOCATION_MAX: it was longer than the buffer */
    char location[LG_HTTP_LOCATION_MAX + 1];
    size_t location_len;
    int hdr_state; /* 0: none yet; 1: in a header name; 2: in a value */
    int in_location, seen_location;
    char field[10]; /* the start of the current header name */
    size_t field_len;
} lg_http;

/* Prepares for the next response; head: the request was HEAD (no body follows). */
void lg_http_start(lg_http *h, int head);

/* Feeds n bytes. Returns LG_HTTP_DONE once a whole (final, non-1xx) response has been read,
 * with *used the bytes consumed; LG_HTTP_MORE when more are needed; LG_HTTP_BAD when the bytes
 * are not HTTP. */
int lg_http_feed(lg_http *h, const char *data, size_t n, size_t *used);

/* The connection reached end of file: returns LG_HTTP_DONE when that ends the response (a body
 * delimited by the close), else LG_HTTP_BAD (truncated). */
int lg_http_eof(lg_http *h);

#endif
