/* lg_redirect.h: following HTTP redirects the way hey's http.Client does: where the next hop
 * goes, its request bytes, and the origin whose connection carries it.
 *
 * hey (rakyll/hey requester/requester.go at 002a66c) uses Go's http.Client, which follows
 * redirects unless -disable-redirects. Debian's hey 0.1.4 is built with go1.19.8 (strings
 * /usr/bin/hey); the rules below are read from that Go's src/net/http/client.go (Client.do,
 * redirectBehavior, makeHeadersCopier, shouldCopyHeaderOnRedirect, refererForURL,
 * defaultCheckRedirect) and src/net/url/url.go (Parse, ResolveReference, resolvePath):
 * - 301, 302, 303: the next request is GET (HEAD stays HEAD), without a body;
 * - 307, 308: same method and body; but hey builds its request with http.NewRequest(m, url,
 *   nil) and sets ContentLength itself, so GetBody is nil, and Go then returns a 307/308 to a
 *   request with a body as the response instead of following it;
 * - any other status, or a 3xx without Location: the response is the final one;
 * - after 10 redirects the next one fails: `stopped after 10 redirects`;
 * - the Location is resolved against the URL of the request it answers as
 *   url.ResolveReference does (the fragment never sent, but named with the hop's URL): dot segments
 * removed (RFC 3986 5.2.4, Go's resolvePath, for an absolute Location too), the old query kept only
 * for an empty reference;
 * - any origin (scheme, host, port) is followed; the engine sends the hop on a connection to
 *   that origin (key, away, sni, connect below: the engine pools one connection per worker
 *   and origin, and one more parked, as Go's transport pools them per origin);
 * - the first request's headers are sent again, except Authorization, Www-Authenticate, Cookie
 *   and Cookie2 when the new host:port is neither the previous hop's nor a subdomain of it
 *   (go1.19 compares with the previous hop, so they come back on a later hop to that host);
 *   Referer is the previous URL, none from https to http;
 * - with -host the custom Host goes on only while every Location is relative (no scheme;
 *   Go issue 22233); else Host is the new URL's host[:port] as written;
 * - a Location Go cannot parse fails as Go says (`failed to parse Location header ...`), a
 *   scheme other than http(s) as `unsupported protocol scheme "ftp"`, no host as
 *   `http: no Host in request URL`.
 * The latency counted is the whole exchange (all hops), the status the final response's.
 *
 * - the path goes out as Go's RequestURI writes it (url.go setPath, EscapedPath, shouldEscape:
 *   a space as %20, a byte outside ASCII as %XX), the query as written (RawQuery);
 * - the URL's user info (the command line's, or a Location's) is the hop's User, sent as basic
 *   auth when no Authorization header is copied (client.go send), kept on relative hops after
 *   it, dropped by an absolute Location without one (ResolveReference), never in the Referer,
 *   `user:***@` in error texts (stripPassword).
 * - a host outside ASCII is dialed, keyed and named (Host, request line, TLS name, CONNECT) in
 *   its IDNA form (lg_idna.h), or as written where that fails, as Go's transport does; error
 *   texts and the Referer name it escaped (URL.String).
 * (With -h2 the engine sends a hop to another https origin over HTTP/2, lg_h2.h.)
 *
 * lg_redirect is one worker's state: reset at each new request (cheap: the hop's URL is filled
 * on the first redirect only), its request buffer is grown on the first redirect and kept
 * (lg_redirect_free). */
#ifndef SCALESIM_LOADGEN_LG_REDIRECT_H
#define SCALESIM_LOADGEN_LG_REDIRECT_H

#include <stddef.h>

#include "loadgen/lg_http.h"
#include "loadgen/lg_target.h"
#include "loadgen/lg_url.h"

#define LG_REDIRECT_MAX 10 /* Go's defaultCheckRedirect */
/* a hop's URL as URL.String writes it always fits in this many bytes (lg_redirect_url) */
#define LG_REDIRECT_URL_MAX (LG_TARGET_PATH_MAX + 800 + 3 * LG_USERINFO_MAX + 16)

typedef struct lg_redirect {
    int hops;  /* redirects followed for the current request */
    int head;  /* the current hop is a HEAD request */
    char *req; /* the current hop's request when hops > 0 */
    size_t len, cap;
    /* the current hop's URL when hops > 0, as Go's url.URL holds it */
    char method[16];
    int https;
    char authority[300];       /* host[:port] as sent (Go's URL.Host; a host outside ASCII in its
                                * IDNA form, lg_idna.h), no user info */
    char authority_named[800]; /* such a host as URL.String writes it (escaped); else "" */
    /* Go's URL.User: the target's on the first hop, kept by relative Locations, replaced by
     * an absolute one's (none when it has none); sent as basic auth when no Authorization
     * header is copied, named `user:***@` in error texts */
    lg_userinfo user;
    char host[256]; /* the host alone, without brackets (IDNA form), as dialed */
    int port;
    /* Go's escaped Path ("" is possible), then '?' and RawQuery when a '?' was written; after
     * its NUL the EscapedFragment (named, never sent) */
    char uri[LG_TARGET_PATH_MAX];
    size_t path_len;   /* where the path ends in uri */
    int custom_host;   /* the -host Host header still goes */
    int away;          /* the origin is not the URL's: a connection of its own */
    char key[300];     /* the connection key of the hop's origin */
    char sni[256];     /* TLS server name on that connection */
    char connect[640]; /* https through -x: the CONNECT request for that origin */
    size_t connect_len;
} lg_redirect;

enum {
    LG_REDIRECT_NONE,   /* the response is final */
    LG_REDIRECT_FOLLOW, /* r->req holds the next request */
    LG_REDIRECT_LIMIT,  /* an 11th redirect: `stopped after 10 redirects` */
    LG_REDIRECT_HOST,   /* a Location this cannot follow (an unsupported scheme, no host) */
    LG_REDIRECT_BAD,    /* a Location Go cannot parse: Go closes the body unread (no reuse) */
    LG_REDIRECT_OOM
};

/* A new request starts (no hops yet). */
void lg_redirect_reset(lg_redirect *r, const lg_target *t);

/* The response to the current hop had `status` and `location` (NUL-terminated, location_len
 * past LG_HTTP_LOCATION_MAX when it was cut). Decides what follows; for LG_REDIRECT_LIMIT, why
 * (size bytes) gets the Location as Go names it; for LG_REDIRECT_HOST and LG_REDIRECT_BAD, Go's
 * error after the Op: `"URL": reason`. */
int lg_redirect_next(lg_redirect *r, const lg_target *t, int status, const char *location,
                     size_t location_len, char *why, size_t size);

/* The bytes of the current hop's request. */
const char *lg_redirect_request(const lg_redirect *r, const lg_target *t, size_t *len);

/* The connection key of the current hop's origin (t->key on the first hop). */
const char *lg_redirect_key(const lg_redirect *r, const lg_target *t);

/* The current hop's URL as Go's URL.String writes it (hops > 0), for error texts. */
void lg_redirect_url(const lg_redirect *r, char *buf, size_t size);

void lg_redirect_free(lg_redirect *r);

#endif
