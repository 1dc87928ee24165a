/* lg_redirect.c: the next hop of a redirect: its URL, its origin and its request bytes
 * (lg_redirect.h). The request is rebuilt from the target's own bytes, so every header hey
 * sends (User-Agent, -H, Accept-Encoding, Connection: close...) goes out again, as Go's
 * makeHeadersCopier copies the first request's headers to every hop. Parsing and resolving
 * follow go1.19's src/net/url/url.go (parse, getScheme, parseAuthority, parseHost, setPath,
 * ResolveReference, resolvePath); the header rules its src/net/http/client.go. */
#include "loadgen/lg_redirect.h"

#include "loadgen/lg_idna.h"

#include <ctype.h>
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

const char *lg_redirect_key(const lg_redirect *r, const lg_target *t) {
    return r->hops == 0 ? t->key : r->key;
}

/* The hop's fragment (Go's EscapedFragment, "" when none): kept in uri after its NUL, as it is
 * only named (error texts, the next Referer), never sent */
static const char *fragment_of(const lg_redirect *r) {
    return r->uri + strlen(r->uri) + 1;
}

static int set_fragment(lg_redirect *r, const char *f) {
    size_t at = strlen(r->uri) + 1, n = strlen(f);
    if (at + n + 1 > sizeof r->uri)
        return -1;
    memmove(r->uri + at, f, n + 1);
    return 0;
}

/* Go's URL.String for an http(s) URL; with_user: the user info as client.go stripPassword
 * writes it for error texts (lg_userinfo_named); without: as refererForURL writes the Referer
 * (no user info) */
static void url_of(const lg_redirect *r, int with_user, char *buf, size_t size) {
    char ui[3 * LG_USERINFO_MAX + 8] = "";
    if (with_user)
        lg_userinfo_named(&r->user, ui, sizeof ui);
    const char *f = fragment_of(r);
    snprintf(buf, size, "%s://%s%s%s%s%s", r->https ? "https" : "http", ui,
             r->authority_named[0] ? r->authority_named : r->authority, r->uri, *f ? "#" : "", f);
}

void lg_redirect_url(const lg_redirect *r, char *buf, size_t size) {
    url_of(r, 1, buf, size);
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

/* A Location split as go1.19's url.parse splits it (viaRequest false). */
typedef struct uref {
    const char *scheme; /* NULL: none */
    size_t scheme_len;
    int has_auth;
    lg_userinfo user;   /* the authority's user info, before its last '@' (user.set) */
    int user_long;      /* valid, but longer than lg_userinfo holds: not followed */
    int host_non_ascii; /* a byte (or %-escape) outside ASCII in the host: needs IDNA */
    const char *host;   /* the host as written, brackets included; after user info */
    size_t host_len;
    const char *port; /* the digits after ':', NULL when none */
    size_t port_len;
    const char *path;
    size_t path_len;
    int has_query;
    const char *query;
    size_t query_len;
} uref;

static const char *last_of(const char *p, size_t n, char c) {
    const char *hit = NULL;
    for (size_t i = 0; i < n; i++)
        if (p[i] == c)
            hit = p + i;
    return hit;
}

/* validOptionalPort: "" or ':' then digits */
static int valid_port(const char *p, size_t n) {
    if (n == 0)
        return 1;
    if (p[0] != ':')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

/* Splits loc (no fragment) into u; on Go's parse error returns -1 with the reason in err. */
static int parse_ref(const char *loc, uref *u, char *err, size_t esize) {
    memset(u, 0, sizeof *u);
    size_t n = strlen(loc);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)loc[i] < 0x20 || loc[i] == 0x7f) {
            snprintf(err, esize, "net/url: invalid control character in URL");
            return -1;
        }
    const char *rest = loc;
    for (size_t i = 0; i < n; i++) { /* getScheme */
        char c = loc[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            continue;
        if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
            if (i == 0)
                break;
            continue;
        }
        if (c == ':') {
            if (i == 0) {
                snprintf(err, esize, "missing protocol scheme");
                return -1;
            }
            u->scheme = loc;
            u->scheme_len = i;
            rest = loc + i + 1;
        }
        break;
    }
    size_t rl = strlen(rest);
    const char *q = memchr(rest, '?', rl);
    if (q != NULL) { /* a single '?' at the end is ForceQuery: the same on the wire */
        u->has_query = 1;
        u->query = q + 1;
        u->query_len = rl - (size_t)(q + 1 - rest);
        rl = (size_t)(q - rest);
    }
    if (rl == 0 || rest[0] != '/') {
        if (u->scheme) { /* opaque: Go keeps it, the transport finds no host */
            u->path = rest;
            u->path_len = rl;
            return 1;
        }
        size_t seg = 0;
        while (seg < rl && rest[seg] != '/')
            seg++;
        if (memchr(rest, ':', seg)) {
            snprintf(err, esize, "first path segment in URL cannot contain colon");
            return -1;
        }
    }
    if ((u->scheme || !(rl >= 3 && strncmp(rest, "///", 3) == 0)) && rl >= 2 &&
        strncmp(rest, "//", 2) == 0) {
        const char *a = rest + 2, *end = rest + rl;
        const char *slash = memchr(a, '/', (size_t)(end - a));
        const char *aend = slash ? slash : end;
        const char *at = last_of(a, (size_t)(aend - a), '@');
        const char *ui = a;
        if (at)
            a = at + 1;
        u->has_auth = 1;
        const char *colon;
        if (a < aend && *a == '[') {
            const char *rb = last_of(a, (size_t)(aend - a), ']');
            if (rb == NULL) {
                snprintf(err, esize, "missing ']' in host");
                return -1;
            }
            colon = rb + 1;
        } else {
            colon = last_of(a, (size_t)(aend - a), ':');
            if (colon == NULL)
                colon = aend;
        }
        if (!valid_port(colon, (size_t)(aend - colon))) {
            snprintf(err, esize, "invalid port \"%.*s\" after host", (int)(aend - colon), colon);
            return -1;
        }
        /* parseHost: unescape(host, encodeHost) (an IPv6 zone, "%25" in brackets, is left to
         * the dial) */
        int zone = a < aend && *a == '[' && memmem(a, (size_t)(colon - a), "%25", 3) != NULL;
        for (const char *h = a; h < aend && !zone; h++) {
            unsigned char c = (unsigned char)*h;
            if (c == '%') {
                if (aend - h < 3 || !isxdigit((unsigned char)h[1]) ||
                    !isxdigit((unsigned char)h[2])) {
                    int k = aend - h < 3 ? (int)(aend - h) : 3;
                    snprintf(err, esize, "invalid URL escape \"%.*s\"", k, h);
                    return -1;
                }
                if (lg_url_unhex(h[1]) < 8 && strncmp(h, "%25", 3) != 0) {
                    snprintf(err, esize, "invalid URL escape \"%.3s\"", h);
                    return -1;
                }
                u->host_non_ascii = 1;
                h += 2;
            } else if (c >= 0x80) {
                u->host_non_ascii = 1;
            } else if (lg_url_should_escape(c, LG_ESC_HOST)) { /* strconv.Quote of the byte */
                snprintf(err, esize, "invalid character \"%s%c\" in host name",
                         c == '\\' || c == '"' ? "\\" : "", c);
                return -1;
            }
        }
        if (at) { /* parseAuthority: after the host, validUserinfo, then each part unescaped */
            int rc = lg_userinfo_parse(ui, (size_t)(at - ui), &u->user, err, esize);
            if (rc == LG_USERINFO_BAD)
                return -1;
            u->user_long = rc == LG_USERINFO_LONG;
        }
        u->host = a;
        u->host_len = (size_t)(colon - a);
        if (colon < aend && aend - colon > 1) {
            u->port = colon + 1;
            u->port_len = (size_t)(aend - colon - 1);
        }
        rest = aend;
        rl = (size_t)(end - aend);
    }
    if (lg_url_check_escapes(rest, rl, err, esize)) /* setPath: unescape must succeed */
        return -1;
    u->path = rest;
    u->path_len = rl;
    return 0;
}

/* go1.19 url.go resolvePath: joins ref to base's directory and removes dot segments
 * (RFC 3986 5.2.4). Writes the result to out; -1 when it does not fit. */
static long resolve_path(const char *base, size_t blen, const char *ref, size_t rlen, char *out,
                         size_t size) {
    char full[2 * LG_TARGET_PATH_MAX + 2];
    size_t fl = 0;
    if (rlen == 0) {
        if (blen >= sizeof full)
            return -1;
        memcpy(full, base, blen);
        fl = blen;
    } else if (ref[0] != '/') {
        const char *sl = last_of(base, blen, '/');
        size_t keep = sl ? (size_t)(sl - base) + 1 : 0;
        if (keep + rlen >= sizeof full)
            return -1;
        memcpy(full, base, keep);
        memcpy(full + keep, ref, rlen);
        fl = keep + rlen;
    } else {
        if (rlen >= sizeof full)
            return -1;
        memcpy(full, ref, rlen);
        fl = rlen;
    }
    if (fl == 0) {
        out[0] = 0;
        return 0;
    }
    char dst[2 * LG_TARGET_PATH_MAX + 4];
    size_t dl = 0;
    dst[dl++] = '/';
    int first = 1;
    const char *elem = full, *fend = full + fl;
    size_t el = 0;
    for (;;) {
        const char *sl = memchr(elem, '/', (size_t)(fend - elem));
        const char *eend = sl ? sl : fend;
        el = (size_t)(eend - elem);
        if (el == 1 && elem[0] == '.') {
            first = 0;
        } else if (el == 2 && elem[0] == '.' && elem[1] == '.') {
            const char *s = last_of(dst + 1, dl - 1, '/');
            if (s == NULL) {
                dl = 1;
                first = 1;
            } else {
                dl = (size_t)(s - dst);
            }
        } else {
            if (!first)
                dst[dl++] = '/';
            memcpy(dst + dl, elem, el);
            dl += el;
            first = 0;
        }
        if (sl == NULL)
            break;
        elem = sl + 1;
    }
    if ((el == 1 && elem[0] == '.') || (el == 2 && elem[0] == '.' && elem[1] == '.'))
        dst[dl++] = '/';
    const char *r = dst;
    if (dl > 1 && dst[1] == '/')
        r++, dl--;
    if (dl >= size)
        return -1;
    memcpy(out, r, dl);
    out[dl] = 0;
    return (long)dl;
}

/* Go's canonicalAddr: host:port with the scheme's port when none, brackets for IPv6 */
static void canonical(int https, const char *host, int port, char *buf, size_t size) {
    snprintf(buf, size, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
    (void)https;
}

/* go1.19 client.go isDomainOrSubdomain */
static int domain_or_sub(const char *sub, const char *parent) {
    size_t sl = strlen(sub), pl = strlen(parent);
    if (strcmp(sub, parent) == 0)
        return 1;
    return sl > pl && strcmp(sub + sl - pl, parent) == 0 && sub[sl - pl - 1] == '.';
}

/* The request line's target and Host of the hop n (already resolved) */
static void request_uri(const lg_redirect *n, char *buf, size_t size) {
    /* Go's RequestURI: "/" for an empty path, then ?query when a '?' was written */
    snprintf(buf, size, "%s%s", n->path_len == 0 ? "/" : "", n->uri);
}

/* Builds the hop n's request into n->req from the target's request: request line, Host, the
 * same headers less Host, Content-Length and Referer (and the credentials on another host, as
 * shouldCopyHeaderOnRedirect says), Go's Content-Length rule, Referer from prev. */
static int build(lg_redirect *n, const lg_target *t, const lg_redirect *prev) {
    const char *req = t->request;
    const char *line_end = strstr(req, "\r\n");
    const char *hdr_end = strstr(req, "\r\n\r\n");
    if (line_end == NULL || hdr_end == NULL)
        return LG_REDIRECT_NONE; /* cannot happen: lg_target built it */
    char host_hdr[300], uri[LG_TARGET_PATH_MAX + 2];
    if (n->custom_host) /* the -host value: lg_target keeps it as the TLS name */
        snprintf(host_hdr, sizeof host_hdr, "%s", t->sni);
    else
        snprintf(host_hdr, sizeof host_hdr, "%s", n->authority);
    request_uri(n, uri, sizeof uri);
    char pc[300], nc[300];
    canonical(prev->https, prev->host, prev->port, pc, sizeof pc);
    canonical(n->https, n->host, n->port, nc, sizeof nc);
    int creds = domain_or_sub(nc, pc);
    n->len = 0;
    int auth = 0; /* an Authorization header went out */
    int bad = puts_(n, n->method) || puts_(n, " ");
    /* through an http proxy, Go's Request.write puts scheme://Host on the request line */
    if (t->proxy && !n->https)
        bad = bad || puts_(n, "http://") || puts_(n, host_hdr);
    bad = bad || puts_(n, uri) || puts_(n, " HTTP/1.1\r\nHost: ") || puts_(n, host_hdr) ||
          puts_(n, "\r\n");
    for (const char *h = line_end + 2; h < hdr_end + 2;) {
        const char *e = strstr(h, "\r\n");
        size_t hl = (size_t)(e - h);
        /* the target's basic auth of its URL's user info is no header of hey's request (Go's
         * send adds it to a copy): it goes from the hop's own User, below */
        int skip = header_is(h, hl, "Host") || header_is(h, hl, "Content-Length") ||
                   header_is(h, hl, "Referer") ||
                   (t->user_auth && header_is(h, hl, "Authorization"));
        if (!creds)
            skip = skip || header_is(h, hl, "Authorization") ||
                   header_is(h, hl, "Www-Authenticate") || header_is(h, hl, "Cookie") ||
                   header_is(h, hl, "Cookie2");
        if (!skip) {
            bad = bad || put(n, h, hl + 2);
            auth = auth || header_is(h, hl, "Authorization");
        }
        h = e + 2;
    }
    /* client.go send: the hop URL's User as basic auth when no Authorization header goes */
    if (n->user.set && !auth) {
        char enc[LG_USERINFO_BASIC_SIZE];
        lg_userinfo_basic(&n->user, enc);
        bad = bad || puts_(n, "Authorization: Basic ") || puts_(n, enc) || puts_(n, "\r\n");
    }
    /* the body is never sent again (lg_redirect.h); Go's transport still writes
     * Content-Length: 0 for a POST, PUT or PATCH without one (transfer.go,
     * shouldSendContentLength) */
    if (strcmp(n->method, "POST") == 0 || strcmp(n->method, "PUT") == 0 ||
        strcmp(n->method, "PATCH") == 0)
        bad = bad || puts_(n, "Content-Length: 0\r\n");
    if (!(prev->https && !n->https)) { /* refererForURL: none from https to http */
        char ref[LG_REDIRECT_URL_MAX];
        url_of(prev, 0, ref, sizeof ref);
        bad = bad || puts_(n, "Referer: ") || puts_(n, ref) || puts_(n, "\r\n");
    }
    bad = bad || puts_(n, "\r\n");
    return bad ? LG_REDIRECT_OOM : LG_REDIRECT_FOLLOW;
}

/* The first hop's URL, from the target, as the base of the first redirect. */
static void from_target(lg_redirect *r, const lg_target *t) {
    size_t ml = strcspn(t->request, " ");
    snprintf(r->method, sizeof r->method, "%.*s", (int)ml, t->request);
    r->https = t->https;
    snprintf(r->authority, sizeof r->authority, "%s", t->authority);
    snprintf(r->authority_named, sizeof r->authority_named, "%s", t->authority_named);
    snprintf(r->host, sizeof r->host, "%s", t->host);
    r->port = t->port;
    snprintf(r->uri, sizeof r->uri, "%s", t->path);
    r->path_len = strcspn(r->uri, "?");
    if (set_fragment(r, t->fragment) != 0) /* too long to keep: left out of the names */
        set_fragment(r, "");
    r->custom_host = t->custom_host;
    r->user = t->user; /* Go's URL.User: relative hops keep it, others take the Location's */
    r->away = 0;
    snprintf(r->key, sizeof r->key, "%s", t->key);
}

/* The port a reference names (digits only: the parser checked them), or the scheme's default. */
static int ref_port(const char *port, size_t len, int https) {
    if (port == NULL)
        return https ? 443 : 80;
    long p = 0;
    for (size_t i = 0; i < len && p <= 65535; i++)
        p = p * 10 + (port[i] - '0');
    return (int)p;
}

int lg_redirect_next(lg_redirect *r, const lg_target *t, int status, const char *location,
                     size_t location_len, char *why, size_t size) {
    if (!t->redirects)
        return LG_REDIRECT_NONE;
    int moved = status == 301 || status == 302 || status == 303;
    int kept = status == 307 || status == 308;
    if (!moved && !kept)
        return LG_REDIRECT_NONE;
    const char *body = strstr(t->request, "\r\n\r\n");
    size_t body_len = body ? t->request_len - (size_t)(body + 4 - t->request) : 0;
    if (kept && body_len > 0)
        return LG_REDIRECT_NONE; /* GetBody is nil in hey: Go returns the 307/308 */
    if (location_len == 0)
        return LG_REDIRECT_NONE; /* Go: a 3xx without Location is the response */
    if (r->hops == 0) {
        if (t->path[0] == 0) {
            snprintf(why, size,
                     "\"%s://%s/...\": redirect from a URL path over %d bytes is not "
                     "followed by scalesim loadgen",
                     t->https ? "https" : "http", t->authority, LG_TARGET_PATH_MAX - 2);
            return LG_REDIRECT_HOST;
        }
        from_target(r, t);
    }
    char cur_url[LG_REDIRECT_URL_MAX];
    char cur[4 * sizeof cur_url]; /* %q of it */
    url_of(r, 1, cur_url, sizeof cur_url);
    lg_url_quote(cur_url, cur, sizeof cur);
    if (location_len > LG_HTTP_LOCATION_MAX) {
        snprintf(why, size,
                 "%s: redirect Location longer than %d bytes is not followed by scalesim "
                 "loadgen",
                 cur, LG_HTTP_LOCATION_MAX);
        return LG_REDIRECT_HOST;
    }
    char loc[LG_HTTP_LOCATION_MAX + 1];
    snprintf(loc, sizeof loc, "%.*s", (int)strcspn(location, "#"), location);
    uref u;
    char perr[128];
    int opaque = parse_ref(loc, &u, perr, sizeof perr);
    if (opaque < 0) { /* client.go: failed to parse Location header %q: %v (a url.Error) */
        char ql[4 * LG_HTTP_LOCATION_MAX + 3], qloc[4 * LG_HTTP_LOCATION_MAX + 3];
        lg_url_quote(location, ql, sizeof ql);
        lg_url_quote(loc, qloc, sizeof qloc);
        snprintf(why, size, "%s: failed to parse Location header %s: parse %s: %s", cur, ql, qloc,
                 perr);
        return LG_REDIRECT_BAD;
    }
    /* url.Parse: setFragment after the rest parsed (its error names the whole Location) */
    const char *hash = strchr(location, '#');
    char frag[3 * LG_HTTP_LOCATION_MAX + 1] = "";
    if (hash && lg_url_check_escapes(hash + 1, strlen(hash + 1), perr, sizeof perr) != 0) {
        char ql[4 * LG_HTTP_LOCATION_MAX + 3];
        lg_url_quote(location, ql, sizeof ql);
        snprintf(why, size, "%s: failed to parse Location header %s: parse %s: %s", cur, ql, ql,
                 perr);
        return LG_REDIRECT_BAD;
    }
    if (hash && lg_url_escaped(hash + 1, strlen(hash + 1), LG_ESC_FRAGMENT, frag, sizeof frag) < 0)
        return LG_REDIRECT_OOM;
    if (r->hops >= LG_REDIRECT_MAX) {
        snprintf(why, size, "%s", location);
        return LG_REDIRECT_LIMIT;
    }
    /* the reference's EscapedPath (url.go setPath, EscapedPath): the path as written when it
     * is validly encoded, else its unescaped bytes escaped again (a space becomes %20, a byte
     * outside ASCII %XX, and %41 then becomes A); the query stays as written (RawQuery) */
    char ep[3 * LG_HTTP_LOCATION_MAX + 4];
    size_t epl = u.path_len;
    if (opaque) {
        memcpy(ep, u.path, u.path_len);
        ep[epl] = 0;
    } else {
        long k = lg_url_escaped(u.path, u.path_len, LG_ESC_PATH, ep, sizeof ep); /* fits */
        if (k < 0)
            return LG_REDIRECT_OOM;
        epl = (size_t)k;
    }
    if (u.user_long) {
        snprintf(why, size,
                 "%s: redirect Location with user info over %d bytes is not followed by "
                 "scalesim loadgen",
                 cur, LG_USERINFO_MAX);
        return LG_REDIRECT_HOST;
    }
    /* ResolveReference into n, the next hop */
    lg_redirect *n = malloc(sizeof *n);
    if (n == NULL)
        return LG_REDIRECT_OOM;
    *n = *r;
    n->req = NULL;
    n->len = n->cap = 0;
    char scheme[16] = "";
    if (u.scheme) {
        snprintf(scheme, sizeof scheme, "%.*s", (int)(u.scheme_len < 15 ? u.scheme_len : 15),
                 u.scheme);
        for (char *p = scheme; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    }
    int rc = LG_REDIRECT_FOLLOW;
    char newurl[LG_REDIRECT_URL_MAX];
    long pl;
    if (u.scheme || u.has_auth) {
        if (u.scheme)
            n->https = strcmp(scheme, "https") == 0;
        pl = opaque ? -2 : resolve_path(ep, epl, "", 0, n->uri, sizeof n->uri);
        /* ResolveReference takes the reference's User (none when it has none) */
        n->user = u.user;
        n->authority_named[0] = 0;
        if (u.has_auth && u.host_non_ascii) {
            /* Go's URL.Host is the host unescaped (parseHost); the transport dials, keys and
             * names it (Host header, request line, TLS name) in its IDNA form (request.go
             * cleanHost, transport.go canonicalAddr: idnaASCII), or as it is when that fails;
             * URL.String escapes it again (encodeHost) */
            long e = lg_idna_url_host(u.host, u.host_len, n->host, sizeof n->host,
                                      n->authority_named, sizeof n->authority_named);
            if (e < 0) {
                snprintf(why, size,
                         "%s: redirect Location with a host over 255 bytes is not followed by "
                         "scalesim loadgen",
                         cur);
                rc = LG_REDIRECT_HOST;
                goto out;
            }
            snprintf(n->authority, sizeof n->authority, "%s%s%.*s", n->host, u.port ? ":" : "",
                     (int)u.port_len, u.port ? u.port : "");
            snprintf(n->authority_named + e, sizeof n->authority_named - (size_t)e, "%s%.*s",
                     u.port ? ":" : "", (int)u.port_len, u.port ? u.port : "");
            n->port = ref_port(u.port, u.port_len, n->https);
        } else if (u.has_auth) {
            size_t al = u.port ? (size_t)(u.port + u.port_len - u.host) : u.host_len;
            snprintf(n->authority, sizeof n->authority, "%.*s", (int)al, u.host);
            const char *h = u.host;
            size_t hl = u.host_len;
            if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']')
                h++, hl -= 2;
            snprintf(n->host, sizeof n->host, "%.*s", (int)hl, h);
            n->port = ref_port(u.port, u.port_len, n->https);
        } else {
            n->authority[0] = n->host[0] = 0;
        }
    } else {
        pl = resolve_path(r->uri, r->path_len, ep, epl, n->uri, sizeof n->uri); /* User kept */
    }
    if (pl == -1) {
        snprintf(why, size,
                 "%s: redirect Location longer than %d bytes is not followed by scalesim "
                 "loadgen",
                 cur, LG_TARGET_PATH_MAX - 2);
        rc = LG_REDIRECT_HOST;
        goto out;
    }
    if (pl >= 0) {
        n->path_len = (size_t)pl;
        size_t room = sizeof n->uri - n->path_len;
        int w = 0;
        if (u.has_query)
            w = snprintf(n->uri + n->path_len, room, "?%.*s", (int)u.query_len, u.query);
        else if (u.path_len == 0 && !u.scheme && !u.has_auth) /* keep the old query */
            w = snprintf(n->uri + n->path_len, room, "%s", r->uri + r->path_len);
        /* ResolveReference: the reference's fragment; an empty reference keeps the base's */
        const char *f = frag;
        if (!frag[0] && u.path_len == 0 && !u.has_query && !u.scheme && !u.has_auth)
            f = fragment_of(r);
        if (w >= 0 && (size_t)w < room && set_fragment(n, f) != 0)
            w = (int)room;
        if (w < 0 || (size_t)w >= room) {
            snprintf(why, size,
                     "%s: redirect Location longer than %d bytes is not followed by "
                     "scalesim loadgen",
                     cur, LG_TARGET_PATH_MAX - 2);
            rc = LG_REDIRECT_HOST;
            goto out;
        }
    }
    /* the transport's checks on the new URL (transport.go roundTrip), named by it */
    if (u.scheme && strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        lg_url_quote(loc, cur, sizeof cur);
        snprintf(why, size, "%s: unsupported protocol scheme \"%s\"", cur, scheme);
        rc = LG_REDIRECT_HOST;
        goto out;
    }
    url_of(n, 1, newurl, sizeof newurl);
    if (opaque || n->host[0] == 0) {
        lg_url_quote(opaque ? loc : newurl, cur, sizeof cur);
        snprintf(why, size, "%s: http: no Host in request URL", cur);
        rc = LG_REDIRECT_HOST;
        goto out;
    }
    if (n->port > 65535) {
        lg_url_quote(newurl, cur, sizeof cur);
        snprintf(why, size, "%s: dial tcp: address %d: invalid port", cur, n->port);
        rc = LG_REDIRECT_HOST;
        goto out;
    }
    /* Go (client.go, redirectBehavior): 301/302/303 turn anything but GET and HEAD into GET */
    if (moved && strcmp(n->method, "GET") != 0 && strcmp(n->method, "HEAD") != 0)
        snprintf(n->method, sizeof n->method, "GET");
    /* issue 22233: the custom Host goes on only for a relative Location (no scheme) */
    n->custom_host = r->custom_host && !u.scheme;
    lg_target_key(t->proxy, n->https, n->host, n->port, n->key, sizeof n->key);
    n->away = strcmp(n->key, t->key) != 0;
    /* hey's tls.Config has ServerName: -host, so Go names it on every connection; without
     * -host the transport names each connection's own host */
    snprintf(n->sni, sizeof n->sni, "%s", t->custom_host ? t->sni : n->host);
    n->connect_len = 0;
    if (t->proxy && n->https) {
        char hp[300];
        canonical(1, n->host, n->port, hp, sizeof hp);
        n->connect_len = (size_t)snprintf(n->connect, sizeof n->connect,
                                          "CONNECT %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: "
                                          "Go-http-client/1.1\r\n\r\n",
                                          hp, hp);
    }
    n->req = r->req; /* reuse the buffer: build reads only the target and prev's URL */
    n->cap = r->cap;
    r->req = NULL;
    r->cap = 0;
    rc = build(n, t, r);
    if (rc != LG_REDIRECT_FOLLOW) {
        r->req = n->req;
        r->cap = n->cap;
        r->len = 0;
        goto out;
    }
    n->head = strcmp(n->method, "HEAD") == 0;
    n->hops = r->hops + 1;
    *r = *n;
    free(n);
    return LG_REDIRECT_FOLLOW;
out:
    free(n);
    return rc;
}
