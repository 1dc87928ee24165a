/* lg_redirect.c: the next hop of a redirect: where it goes and its request bytes
 * (lg_redirect.h). The request is rebuilt from the target's own bytes, so every header hey
 * sends (User-Agent, -H, Accept-Encoding, Connection: close...) goes out again, as Go's
 * makeHeadersCopier copies the first request's headers to every hop. */
#include "loadgen/lg_redirect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void lg_redirect_reset(lg_redirect *r, const lg_target *t) {
    r->hops = 0;
    r->head = t->head;
}

void lg_redirect_free(lg_redirect *r) {
    free(r->req);
    r->req = NULL;
    r->len = r->cap = 0;
}

const char *lg_redirect_request(const lg_redirect *r, const lg_target *t, size_t *len) {
    if (r->hops == 0) {
        *len = t->request_len;
        return t->request;
    }
    *len = r->len;
    return r->req;
}

static int put(lg_redirect *r, const char *s, size_t n) {
    if (r->len + n > r->cap) {
        size_t cap = r->cap ? r->cap : 1024;
        while (cap < r->len + n)
            cap *= 2;
        char *p = realloc(r->req, cap);
        if (p == NULL)
            return -1;
        r->req = p;
        r->cap = cap;
    }
    memcpy(r->req + r->len, s, n);
    r->len += n;
    return 0;
}

static int puts_(lg_redirect *r, const char *s) {
    return put(r, s, strlen(s));
}

/* Does the header line [line, line + n) have this name (case-insensitive)? */
static int header_is(const char *line, size_t n, const char *name) {
    size_t k = strlen(name);
    return n > k && line[k] == ':' && strncasecmp(line, name, k) == 0;
}

/* "host[:port]" of the URL, as the Referer and an absolute-form request line write it. */
static void origin(const lg_target *t, char *buf, size_t size) {
    int v6 = strchr(t->host, ':') != NULL;
    int dflt = t->port == (t->https ? 443 : 80);
    if (dflt)
        snprintf(buf, size, "%s://%s%s%s", t->https ? "https" : "http", v6 ? "[" : "", t->host,
                 v6 ? "]" : "");
    else
        snprintf(buf, size, "%s://%s%s%s:%d", t->https ? "https" : "http", v6 ? "[" : "", t->host,
                 v6 ? "]" : "", t->port);
}

/* Resolves loc (no fragment) against the current path (RFC 3986 5.2, without removing dot
 * segments) into path; returns LG_REDIRECT_FOLLOW, or LG_REDIRECT_HOST with why set. */
static int resolve(const lg_redirect *r, const lg_target *t, const char *loc, char *path,
                   size_t size, char *why, size_t wsize) {
    const char *p = loc;
    int https = t->https, scheme = 0;
    size_t sl = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
    if (sl > 0 && p[sl] == ':' && ((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z')) {
        scheme = 1;
        if (sl == 4 && strncasecmp(p, "http", 4) == 0)
            https = 0;
        else if (sl == 5 && strncasecmp(p, "https", 5) == 0)
            https = 1;
        else
            https = -1;
        p += sl + 1;
    }
    if (https < 0 || (scheme && strncmp(p, "//", 2) != 0)) {
        snprintf(why, wsize, "redirect to another host (%s) is not followed by scalesim loadgen",
                 loc);
        return LG_REDIRECT_HOST;
    }
    if (strncmp(p, "//", 2) == 0) { /* an authority: the same origin? */
        p += 2;
        size_t al = strcspn(p, "/?");
        const char *a = p, *aend = p + al;
        const char *at = memchr(a, '@', al);
        if (at)
            a = at + 1;
        char host[256];
        size_t hl;
        const char *port_at;
        if (*a == '[') {
            const char *rb = memchr(a, ']', (size_t)(aend - a));
            if (rb == NULL)
                rb = aend;
            hl = (size_t)(rb - a - 1);
            if (hl >= sizeof host)
                hl = sizeof host - 1;
            memcpy(host, a + 1, hl);
            port_at = rb < aend ? rb + 1 : aend;
        } else {
            const char *colon = memchr(a, ':', (size_t)(aend - a));
            port_at = colon ? colon : aend;
            hl = (size_t)(port_at - a);
            if (hl >= sizeof host)
                hl = sizeof host - 1;
            memcpy(host, a, hl);
        }
        host[hl] = 0;
        long port = https ? 443 : 80;
        if (port_at < aend && *port_at == ':' && port_at + 1 < aend) {
            port = 0;
            for (const char *q = port_at + 1; q < aend; q++)
                port = *q >= '0' && *q <= '9' && port < 100000 ? port * 10 + (*q - '0') : -1;
        }
        if (https != t->https || port != t->port || strcasecmp(host, t->host) != 0) {
            snprintf(why, wsize,
                     "redirect to another host (%s) is not followed by scalesim loadgen", loc);
            return LG_REDIRECT_HOST;
        }
        p = aend;
        if (*p != '/') {
            if (snprintf(path, size, "/%s", p) >= (int)size)
                goto too_long;
            return LG_REDIRECT_FOLLOW;
        }
    }
    if (*p == '/') {
        if (snprintf(path, size, "%s", p) >= (int)size)
            goto too_long;
    } else if (*p == '?' || *p == 0) { /* same path, new (or same) query */
        size_t keep = strcspn(r->path, "?");
        if (*p == 0)
            keep = strlen(r->path);
        if (snprintf(path, size, "%.*s%s", (int)keep, r->path, p) >= (int)size)
            goto too_long;
    } else { /* relative to the current path's directory */
        size_t q = strcspn(r->path, "?");
        size_t dir = q;
        while (dir > 0 && r->path[dir - 1] != '/')
            dir--;
        if (snprintf(path, size, "%.*s%s", (int)dir, r->path, p) >= (int)size)
            goto too_long;
    }
    return LG_REDIRECT_FOLLOW;
too_long:
    snprintf(why, wsize, "redirect Location longer than %zu bytes is not followed", size - 1);
    return LG_REDIRECT_HOST;
}

/* Builds the next hop's request into r->req from the target's request: new request line, the
 * same headers less Content-Length and Referer, Go's Content-Length rule, Referer. */
static int build(lg_redirect *r, const lg_target *t, const char *method, const char *path,
                 const char *referer) {
    const char *req = t->request;
    const char *line_end = strstr(req, "\r\n");
    const char *hdr_end = strstr(req, "\r\n\r\n");
    if (line_end == NULL || hdr_end == NULL)
        return LG_REDIRECT_NONE; /* cannot happen: lg_target built it */
    const char *target = strchr(req, ' ') + 1;
    char org[300];
    origin(t, org, sizeof org);
    /* the new request is built beside the old one: the Referer may point into r->path */
    lg_redirect n = {0};
    int bad = puts_(&n, method) || puts_(&n, " ");
    if (strncmp(target, "http://", 7) == 0) /* -x with an http URL: absolute form */
        bad = bad || puts_(&n, org);
    bad = bad || puts_(&n, path) || puts_(&n, " HTTP/1.1\r\n");
    for (const char *h = line_end + 2; h < hdr_end + 2;) {
        const char *e = strstr(h, "\r\n");
        size_t hl = (size_t)(e - h);
        if (!header_is(h, hl, "Content-Length") && !header_is(h, hl, "Referer"))
            bad = bad || put(&n, h, hl + 2);
        h = e + 2;
    }
    /* the body is never sent again (lg_redirect.h); Go's transport still writes
     * Content-Length: 0 for a POST, PUT or PATCH without one (transfer.go,
     * shouldSendContentLength) */
    if (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 || strcmp(method, "PATCH") == 0)
        bad = bad || puts_(&n, "Content-Length: 0\r\n");
    bad = bad || puts_(&n, "Referer: ") || puts_(&n, org) || puts_(&n, referer) ||
          puts_(&n, "\r\n\r\n");
    if (bad) {
        free(n.req);
        return LG_REDIRECT_OOM;
    }
    free(r->req);
    r->req = n.req;
    r->len = n.len;
    r->cap = n.cap;
    return LG_REDIRECT_FOLLOW;
}

int lg_redirect_next(lg_redirect *r, const lg_target *t, int status, const char *location,
                     size_t location_len, char *why, size_t size) {
    if (!t->redirects)
        return LG_REDIRECT_NONE;
    int moved = status == 301 || status == 302 || status == 303;
    int kept = status == 307 || status == 308;
    if (!moved && !kept)
        return LG_REDIRECT_NONE;
    if (r->hops == 0) {
        size_t ml = strcspn(t->request, " ");
        snprintf(r->method, sizeof r->method, "%.*s", (int)ml, t->request);
        snprintf(r->path, sizeof r->path, "%s", t->path);
    }
    const char *body = strstr(t->request, "\r\n\r\n");
    size_t body_len = body ? t->request_len - (size_t)(body + 4 - t->request) : 0;
    if (kept && body_len > 0)
        return LG_REDIRECT_NONE; /* GetBody is nil in hey: Go returns the 307/308 */
    if (location_len == 0)
        return LG_REDIRECT_NONE; /* Go: a 3xx without Location is the response */
    if (r->hops >= LG_REDIRECT_MAX) {
        snprintf(why, size, "%s", location);
        return LG_REDIRECT_LIMIT;
    }
    if (location_len > LG_HTTP_LOCATION_MAX) {
        snprintf(why, size, "redirect Location longer than %d bytes is not followed",
                 LG_HTTP_LOCATION_MAX);
        return LG_REDIRECT_HOST;
    }
    for (const char *q = location; *q; q++)
        if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f) {
            snprintf(why, size,
                     "redirect Location with a space or a byte outside ASCII is not "
                     "followed by scalesim loadgen");
            return LG_REDIRECT_HOST;
        }
    if (t->path[0] == 0) {
        snprintf(why, size, "redirect from a URL path over %d bytes is not followed",
                 LG_TARGET_PATH_MAX - 2);
        return LG_REDIRECT_HOST;
    }
    char loc[LG_HTTP_LOCATION_MAX + 1];
    snprintf(loc, sizeof loc, "%.*s", (int)strcspn(location, "#"), location);
    char path[LG_TARGET_PATH_MAX];
    int rc = resolve(r, t, loc, path, sizeof path, why, size);
    if (rc != LG_REDIRECT_FOLLOW)
        return rc;
    /* Go (client.go, redirectBehavior): 301/302/303 turn anything but GET and HEAD into GET */
    if (moved && strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
        snprintf(r->method, sizeof r->method, "GET");
    rc = build(r, t, r->method, path, r->path);
    if (rc != LG_REDIRECT_FOLLOW)
        return rc;
    memcpy(r->path, path, sizeof path);
    r->head = strcmp(r->method, "HEAD") == 0;
    r->hops++;
    return LG_REDIRECT_FOLLOW;
}
