/* lg_redirect.h: following HTTP redirects the way hey's http.Client does, within one origin.
 *
 * hey (rakyll/hey requester/requester.go at 002a66c) uses Go's http.Client, which follows
 * redirects unless -disable-redirects; the rules below are Go's (golang/go src/net/http/
 * client.go at 076c3d7, Client.do, redirectBehavior, defaultCheckRedirect):
 * - 301, 302, 303: the next request is GET (HEAD stays HEAD), without a body;
 * - 307, 308: same method and body; but hey builds its request with http.NewRequest(m, url,
 *   nil) and sets ContentLength itself, so GetBody is nil, and Go then returns a 307/308 to a
 *   request with a body as the response instead of following it;
 * - any other status, or a 3xx without Location: the response is the final one;
 * - after 10 redirects the next one fails: `stopped after 10 redirects`;
 * - the Location is resolved against the URL of the request it answers; the headers of the
 *   first request are sent again, with Referer set to the previous URL.
 * The latency counted is the whole exchange (all hops), the status the final response's.
 *
 * What this does not do (docs/loadgen.md, limits): a Location on another origin (scheme, host
 * or port) fails the request with err_redirect_host instead of being followed; with -h2 the
 * 3xx is returned as is; dot segments ("../") in a relative Location are kept as written;
 * with -host the Host header stays on every hop.
 *
 * lg_redirect is one worker's state: reset at each new request, its request buffer is grown on
 * the first redirect and kept (lg_redirect_free). */
#ifndef SCALESIM_LOADGEN_LG_REDIRECT_H
#define SCALESIM_LOADGEN_LG_REDIRECT_H

#include <stddef.h>

#include "loadgen/lg_http.h"
#include "loadgen/lg_target.h"

#define LG_REDIRECT_MAX 10 /* Go's defaultCheckRedirect */

typedef struct lg_redirect {
    int hops;  /* redirects followed for the current request */
    int head;  /* the current hop is a HEAD request */
    char *req; /* the current hop's request when hops > 0 */
    size_t len, cap;
    char method[16];               /* the current hop's method */
    char path[LG_TARGET_PATH_MAX]; /* the current hop's path (and query) */
} lg_redirect;

enum {
    LG_REDIRECT_NONE,   /* the response is final */
    LG_REDIRECT_FOLLOW, /* r->req holds the next request */
    LG_REDIRECT_LIMIT,  /* an 11th redirect: `stopped after 10 redirects` */
    LG_REDIRECT_HOST,   /* to another origin, or a Location this cannot follow */
    LG_REDIRECT_OOM
};

/* A new request starts (no hops yet). */
void lg_redirect_reset(lg_redirect *r, const lg_target *t);

/* The response to the current hop had `status` and `location` (NUL-terminated, location_len
 * past LG_HTTP_LOCATION_MAX when it was cut). Decides what follows; for LG_REDIRECT_LIMIT and
 * LG_REDIRECT_HOST, why (size bytes) gets the Location or the reason, as the error says it. */
int lg_redirect_next(lg_redirect *r, const lg_target *t, int status, const char *location,
                     size_t location_len, char *why, size_t size);

/* The bytes of the current hop's request. */
const char *lg_redirect_request(const lg_redirect *r, const lg_target *t, size_t *len);

void lg_redirect_free(lg_redirect *r);

#endif
