/* lg_target.c: URL parsing, one name resolution, and the request bytes (see lg_target.h). */
#include "loadgen/lg_target.h"

#include "loadgen/lg_idna.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef struct url_parts {
    int https;
    char host[256];
    int port;
    const char *path; /* from the first '/' or '?' after the authority; "" when none */
    const char *auth; /* host[:port] as written, after any user info */
    size_t auth_len;
    const char *userinfo; /* before the authority's last '@' (Go's parseAuthority), or NULL */
    size_t userinfo_len;
} url_parts;

static int parse_url(const char *url, url_parts *u, const char *what, sim_error *err) {
    const char *p;
    memset(u, 0, sizeof *u);
    if (strncasecmp(url, "http://", 7) == 0) { /* url.Parse lowers the scheme */
        p = url + 7;
    } else if (strncasecmp(url, "https://", 8) == 0) {
        u->https = 1;
        p = url + 8;
    } else {
        return error_set(err, "loadgen: %s \"%s\": expected http:// or https://", what, url);
    }
    size_t n = strcspn(p, "/?#");
    const char *end = p + n;
    const char *at = memrchr(p, '@', n);
    if (at) { /* user info: Go's URL.User (lg_target_init), never in the Host header */
        u->userinfo = p;
        u->userinfo_len = (size_t)(at - p);
        p = at + 1;
    }
    u->auth = p;
    u->auth_len = (size_t)(end - p);
    const char *colon = NULL;
    if (*p == '[') {
        const char *rb = memchr(p, ']', (size_t)(end - p));
        if (rb == NULL)
            return error_set(err, "loadgen: %s \"%s\": unclosed '[' in the host", what, url);
        if ((size_t)(rb - p - 1) >= sizeof u->host)
            return error_set(err, "loadgen: %s \"%s\": host too long", what, url);
        memcpy(u->host, p + 1, (size_t)(rb - p - 1));
        if (rb + 1 < end && rb[1] == ':')
            colon = rb + 1;
    } else {
        colon = memchr(p, ':', (size_t)(end - p));
        size_t hl = (size_t)((colon ? colon : end) - p);
        if (hl >= sizeof u->host)
            return error_set(err, "loadgen: %s \"%s\": host too long", what, url);
        memcpy(u->host, p, hl);
    }
    if (u->host[0] == 0)
        return error_set(err, "loadgen: %s \"%s\": no host", what, url);
    u->port = u->https ? 443 : 80;
    if (colon && colon + 1 < end) {
        long port = 0;
        for (const char *q = colon + 1; q < end; q++) {
            if (!isdigit((unsigned char)*q) || (port = port * 10 + (*q - '0')) > 65535)
                return error_set(err, "loadgen: %s \"%s\": invalid port", what, url);
        }
        if (port == 0)
            return error_set(err, "loadgen: %s \"%s\": invalid port", what, url);
        u->port = (int)port;
    }
    u->path = end;
    return 0;
}

static int resolve(lg_target *t, const char *host, int port, sim_error *err) {
    int64_t dns_ns = 0;
    int rc =
        lg_lookup(host, port, &t->addr, &t->addr_len, &dns_ns, t->dial_addr, sizeof t->dial_addr);
    if (rc != 0)
        return error_set(err, "loadgen: cannot resolve \"%s\": %s", host, gai_strerror(rc));
    t->dns_us = dns_ns / 1000;
    return 0;
}

/* A growing text buffer; on allocation failure it remembers and every later append is a no-op. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n) {
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 512;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (q == NULL) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void sb_str(sbuf *b, const char *s) {
    sb_add(b, s, strlen(s));
}

static void sb_header(sbuf *b, const char *name, const char *value) {
    sb_str(b, name);
    sb_str(b, ": ");
    sb_str(b, value);
    sb_str(b, "\r\n");
}

void lg_dns_server(const char *resolv_conf, char *buf, size_t size) {
    snprintf(buf, size, "127.0.0.1:53");
    FILE *f = fopen(resolv_conf, "r");
    if (f == NULL)
        return;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == ';' || line[0] == '#')
            continue;
        char *save = NULL, *f0 = strtok_r(line, " \r\t\n", &save);
        char *f1 = f0 ? strtok_r(NULL, " \r\t\n", &save) : NULL;
        if (f0 == NULL || f1 == NULL || strcmp(f0, "nameserver") != 0)
            continue;
        unsigned char ip[16];
        char host[64];
        snprintf(host, sizeof host, "%s", f1);
        char *zone = strrchr(host, '%'); /* splitHostZone: after the last '%', not first */
        if (zone != NULL && zone > host)
            *zone = 0;
        if (inet_pton(AF_INET, f1, ip) == 1) {
            snprintf(buf, size, "%s:53", f1);
            break;
        }
        if (strlen(f1) < sizeof host && inet_pton(AF_INET6, host, ip) == 1) {
            snprintf(buf, size, "[%s]:53", f1);
            break;
        }
    }
    fclose(f);
}

static int read_body_file(const char *path, char **body, size_t *len, sim_error *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return error_set(err, "loadgen: -D %s: cannot open: %s", path, strerror(errno));
    sbuf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_add(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad || b.oom) {
        free(b.p);
        return error_set(err, "loadgen: -D %s: cannot read: %s", path,
                         bad ? "I/O error" : "out of memory");
    }
    *body = b.p;
    *len = b.len;
    return 0;
}

static const hey_header_kv *find_header(const hey_args *a, const char *name) {
    for (size_t i = 0; i < a->n_headers; i++)
        if (strcasecmp(a->headers[i].name, name) == 0)
            return &a->headers[i];
    return NULL;
}

int lg_target_init(lg_target *t, const hey_args *a, sim_error *err) {
    memset(t, 0, sizeof *t);
    lg_dns_server("/etc/resolv.conf", t->dns_server, sizeof t->dns_server);
    if (a->url == NULL)
        return error_set(err, "loadgen: no URL given");
    url_parts u;
    if (parse_url(a->url, &u, "URL", err) != 0)
        return -1;
    if (u.userinfo) { /* Go's URL.User, parsed before anything is looked up, as url.Parse */
        char why[128];
        if (lg_userinfo_parse(u.userinfo, u.userinfo_len, &t->user, why, sizeof why) != 0)
            return error_set(err, "loadgen: URL \"%s\": %s", a->url, why);
    }
    /* url.Parse's checks (hey exits on them before the run): no control byte, the path's and
     * the fragment's escapes valid (setPath, setFragment); the query is taken as written */
    for (const char *c = a->url; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return error_set(err, "loadgen: URL \"%s\": net/url: invalid control character in URL",
                             a->url);
    const char *frag = strchr(u.path, '#');
    size_t rest_len = frag ? (size_t)(frag - u.path) : strlen(u.path);
    const char *query = memchr(u.path, '?', rest_len);
    size_t path_len = query ? (size_t)(query - u.path) : rest_len;
    size_t query_len = query ? rest_len - path_len : 0; /* with its '?' */
    size_t frag_len = frag ? strlen(frag + 1) : 0;
    char why[128];
    if (lg_url_check_escapes(u.path, path_len, why, sizeof why) != 0 ||
        (frag && lg_url_check_escapes(frag + 1, frag_len, why, sizeof why) != 0))
        return error_set(err, "loadgen: URL \"%s\": %s", a->url, why);
    /* a host outside ASCII (bytes, or %XX escapes of them: parseHost unescapes) is dialed and
     * sent in its IDNA form, as written where that fails (lg_idna.h; Go's transport converts
     * the command-line URL's host as a Location's) */
    const char *auth = u.auth; /* host[:port] as sent */
    size_t auth_len = u.auth_len;
    char idn_auth[300];
    int non_ascii = 0;
    for (const char *c = u.host; *c; c++)
        non_ascii = non_ascii || (unsigned char)*c >= 0x80 ||
                    (*c == '%' && isxdigit((unsigned char)c[1]) && lg_url_unhex(c[1]) >= 8);
    if (non_ascii && u.auth[0] != '[' &&
        lg_url_check_escapes(u.host, strlen(u.host), why, sizeof why) == 0) {
        char idn[256];
        long e = lg_idna_url_host(u.host, strlen(u.host), idn, sizeof idn, t->authority_named,
                                  sizeof t->authority_named); /* 3 * 255 bytes fit */
        const char *port = memchr(u.auth, ':', u.auth_len);
        int w = snprintf(idn_auth, sizeof idn_auth, "%s%.*s", idn,
                         port ? (int)(u.auth + u.auth_len - port) : 0, port ? port : "");
        if (e < 0 || w < 0 || (size_t)w >= sizeof idn_auth)
            return error_set(err, "loadgen: URL \"%s\": host too long", a->url);
        snprintf(t->authority_named + e, sizeof t->authority_named - (size_t)e, "%.*s",
                 port ? (int)(u.auth + u.auth_len - port) : 0, port ? port : "");
        snprintf(u.host, sizeof u.host, "%s", idn);
        auth = idn_auth;
        auth_len = (size_t)w;
    }
    t->https = u.https;
    t->h2 = a->h2 && u.https;
    t->h2_hops = a->h2;
    snprintf(t->host, sizeof t->host, "%s", u.host);
    snprintf(t->sni, sizeof t->sni, "%s", a->host ? a->host : u.host);
    t->port = u.port;
    if (a->proxy) {
        url_parts pu;
        if (parse_url(a->proxy, &pu, "-x proxy", err) != 0)
            return -1;
        if (pu.https)
            return error_set(err, "loadgen: -x %s: an https proxy is not supported", a->proxy);
        const char *auth = a->proxy + 7;
        if (memchr(auth, '@', strcspn(auth, "/?#")))
            return error_set(err,
                             "loadgen: -x %s: credentials in the proxy URL are not supported "
                             "(no Proxy-Authorization is sent)",
                             a->proxy);
        if (resolve(t, pu.host, pu.port, err) != 0)
            return -1;
        snprintf(t->dial_host, sizeof t->dial_host, "%s", pu.host);
        t->dial_port = pu.port;
    } else {
        if (resolve(t, u.host, u.port, err) != 0)
            return -1;
        snprintf(t->dial_host, sizeof t->dial_host, "%s", u.host);
        t->dial_port = u.port;
    }
    struct in_addr v4;
    struct in6_addr v6;
    t->dial_literal =
        inet_pton(AF_INET, t->dial_host, &v4) == 1 || inet_pton(AF_INET6, t->dial_host, &v6) == 1;
    const char *method = a->method ? a->method : "GET";
    t->head = strcmp(method, "HEAD") == 0;
    t->keepalive = !a->disable_keepalive;
    t->redirects = !a->disable_redirects;
    t->custom_host = a->host != NULL;
    t->proxy = a->proxy != NULL;
    snprintf(t->authority, sizeof t->authority, "%.*s", (int)auth_len, auth);
    lg_target_key(t->proxy, t->https, t->host, t->port, t->key, sizeof t->key);
    /* the request target as Go's URL.RequestURI writes it: EscapedPath ("/" when empty), then
     * RawQuery as written (a '?' alone included) */
    char *target = malloc(3 * path_len + query_len + 2);
    if (target == NULL)
        return error_set(err, "loadgen: out of memory");
    long tl = path_len ? lg_url_escaped(u.path, path_len, LG_ESC_PATH, target, 3 * path_len + 1)
                       : (long)snprintf(target, 2, "/");
    if (tl < 0) {
        free(target);
        return error_set(err, "loadgen: out of memory");
    }
    memcpy(target + tl, query ? query : "", query_len);
    target[(size_t)tl + query_len] = 0;
    /* a longer target stays "" here: a redirect from it then fails (lg_redirect.c) */
    if (strlen(target) < sizeof t->path)
        snprintf(t->path, sizeof t->path, "%s", target);

    char *body = NULL;
    size_t body_len = 0;
    if (a->body_file) {
        if (read_body_file(a->body_file, &body, &body_len, err) != 0) {
            free(target);
            return -1;
        }
    } else if (a->body) {
        body = strdup(a->body);
        body_len = strlen(a->body);
        if (body == NULL) {
            free(target);
            return error_set(err, "loadgen: out of memory");
        }
    }

    sbuf b = {0};
    sb_str(&b, method);
    sb_str(&b, " ");
    if (a->proxy && !u.https) { /* absolute form, without user info (go1.19 request.go write) */
        sb_str(&b, "http://");
        sb_add(&b, auth, auth_len);
    }
    sb_str(&b, target);
    sb_str(&b, " HTTP/1.1\r\n");
    char hostport[300];
    int default_port = u.port == (u.https ? 443 : 80);
    snprintf(hostport, sizeof hostport, strchr(u.host, ':') ? "[%s]" : "%s", u.host);
    if (!default_port) {
        size_t l = strlen(hostport);
        snprintf(hostport + l, sizeof hostport - l, ":%d", u.port);
    }
    sb_header(&b, "Host", a->host ? a->host : hostport);
    /* hey: ua = header.Get("User-Agent"); ua == "" ? heyUA : ua + " " + heyUA */
    const hey_header_kv *ua = find_header(a, "User-Agent");
    const char *ua_value = ua ? ua->value : a->user_agent;
    if (ua_value && *ua_value) {
        sb_str(&b, "User-Agent: ");
        sb_str(&b, ua_value);
        sb_str(&b, " hey/0.0.1\r\n");
    } else {
        sb_header(&b, "User-Agent", "hey/0.0.1");
    }
    /* Go's transport writes Content-Length: 0 for a body-less POST, PUT or PATCH */
    int wants_length =
        strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 || strcmp(method, "PATCH") == 0;
    if (body || wants_length) {
        char cl[32];
        snprintf(cl, sizeof cl, "%zu", body_len);
        sb_header(&b, "Content-Length", cl);
    }
    if (a->accept && !find_header(a, "Accept"))
        sb_header(&b, "Accept", a->accept);
    /* hey: Go's client sends the URL's User as basic auth when the request has no
     * Authorization header (go1.19 net/http client.go send, on a copy of the request: so it is
     * no header that redirects copy, lg_redirect.c); hey's own -a is lost (its header map
     * replaces the one SetBasicAuth wrote), loadgen's -a is used when the URL has no user info
     * and is a header like -H */
    if (!find_header(a, "Authorization") && (t->user.set || a->basic_auth)) {
        char enc[LG_USERINFO_BASIC_SIZE];
        char *big = NULL; /* -a of any length */
        if (t->user.set) {
            lg_userinfo_basic(&t->user, enc);
            t->user_auth = 1;
        } else if ((big = malloc(strlen(a->basic_auth) * 4 / 3 + 8)) != NULL) {
            lg_base64(a->basic_auth, strlen(a->basic_auth), big);
        } else {
            b.oom = 1;
        }
        sb_str(&b, "Authorization: Basic ");
        sb_str(&b, t->user.set ? enc : big ? big : "");
        sb_str(&b, "\r\n");
        free(big);
    }
    if (!find_header(a, "Content-Type"))
        sb_header(&b, "Content-Type", a->content_type ? a->content_type : "text/html");
    for (size_t i = 0; i < a->n_headers; i++)
        if (strcasecmp(a->headers[i].name, "User-Agent") != 0 &&
            strcasecmp(a->headers[i].name, "Host") != 0)
            sb_header(&b, a->headers[i].name, a->headers[i].value);
    if (!t->keepalive)
        sb_header(&b, "Connection", "close");
    if (!a->disable_compression && !t->head)
        sb_header(&b, "Accept-Encoding", "gzip");
    sb_str(&b, "\r\n");
    if (body)
        sb_add(&b, body, body_len);
    free(body);
    if (b.oom) {
        free(b.p), free(target);
        return error_set(err, "loadgen: out of memory building the request");
    }
    t->request = b.p;
    t->request_len = b.len;
    /* the URL in error texts as client.go stripPassword writes it: Go's URL.String (the scheme
     * in lower case, the host escaped as encodeHost, EscapedPath, RawQuery as written,
     * EscapedFragment when not empty) with the user info as `name:***@` */
    {
        char ui[3 * LG_USERINFO_MAX + 8] = "";
        lg_userinfo_named(&t->user, ui, sizeof ui);
        char *raw = malloc(u.auth_len + 1);
        size_t cap = 3 * strlen(a->url) + sizeof ui + 16, o;
        t->url_named = malloc(cap);
        if (t->url_named == NULL || raw == NULL) {
            free(raw), free(target);
            lg_target_free(t);
            return error_set(err, "loadgen: out of memory");
        }
        o = (size_t)snprintf(t->url_named, cap, "%s://%s", u.https ? "https" : "http", ui);
        /* parseHost unescapes the host (url.Parse refuses bad escapes there: such a host is
         * written as given) */
        size_t rl = u.auth_len;
        if (lg_url_check_escapes(u.auth, u.auth_len, why, sizeof why) == 0)
            rl = lg_url_unescape(u.auth, u.auth_len, raw);
        else
            memcpy(raw, u.auth, rl);
        o += (size_t)lg_url_escape(raw, rl, LG_ESC_HOST, t->url_named + o, cap - o);
        free(raw);
        o += (size_t)snprintf(t->url_named + o, cap - o, "%s", path_len ? target : target + 1);
        if (frag_len) {
            t->url_named[o++] = '#';
            lg_url_escaped(frag + 1, frag_len, LG_ESC_FRAGMENT, t->url_named + o, cap - o);
            /* the first redirect's Referer names it too; a longer one is left out there */
            if (strlen(t->url_named + o) < sizeof t->fragment)
                snprintf(t->fragment, sizeof t->fragment, "%s", t->url_named + o);
        }
    }
    free(target);
    if (a->proxy && u.https) {
        /* Go's transport (net/http transport.go, dialConn): CONNECT with the URL's host:port as
         * the request target and Host, and Go's default User-Agent. */
        char hp[300];
        snprintf(hp, sizeof hp, strchr(u.host, ':') ? "[%s]:%d" : "%s:%d", u.host, u.port);
        size_t cap = 2 * strlen(hp) + 128;
        t->connect = malloc(cap);
        if (t->connect == NULL) {
            lg_target_free(t);
            return error_set(err, "loadgen: out of memory");
        }
        t->connect_len = (size_t)snprintf(t->connect, cap,
                                          "CONNECT %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: "
                                          "Go-http-client/1.1\r\n\r\n",
                                          hp, hp);
    }
    return 0;
}

void lg_target_free(lg_target *t) {
    free(t->request);
    free(t->connect);
    free(t->url_named);
    t->request = NULL;
    t->connect = NULL;
    t->url_named = NULL;
}

void lg_target_key(int proxy, int https, const char *host, int port, char *key, size_t size) {
    if (proxy && !https) {
        snprintf(key, size, "proxy");
        return;
    }
    int n = snprintf(key, size, "%s|%s|%d", https ? "https" : "http", host, port);
    for (int i = 0; i < n && (size_t)i < size; i++)
        key[i] = (char)tolower((unsigned char)key[i]);
}

int lg_lookup(const char *host, int port, struct sockaddr_storage *addr, socklen_t *len,
              int64_t *dns_ns, char *dial, size_t dial_size) {
    struct in_addr v4;
    struct in6_addr v6;
    int literal = inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1;
    *dns_ns = 0;
    /* Go's resolver asks no one about such a name (lg_lookup_error); an IPv6 zone is the dial's */
    if (!literal && !strchr(host, '%') && !lg_go_domain_name(host))
        return EAI_NONAME;
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    char portbuf[8];
    snprintf(portbuf, sizeof portbuf, "%d", port);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int rc = getaddrinfo(host, portbuf, &hints, &res);
    clock_gettime(CLOCK_MONOTONIC, &b);
    *dns_ns = literal ? 0 : (int64_t)(b.tv_sec - a.tv_sec) * 1000000000 + (b.tv_nsec - a.tv_nsec);
    if (rc != 0)
        return rc;
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    char ip[INET6_ADDRSTRLEN] = "?";
    if (res->ai_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, ip, sizeof ip);
    else if (res->ai_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, ip, sizeof ip);
    snprintf(dial, dial_size, res->ai_family == AF_INET6 ? "[%s]:%d" : "%s:%d", ip, port);
    freeaddrinfo(res);
    return 0;
}

void lg_lookup_error(const lg_target *t, const char *host, char *buf, size_t size) {
    if (lg_go_domain_name(host) || strchr(host, '%'))
        snprintf(buf, size, "lookup %s on %s", host, t->dns_server);
    else
        snprintf(buf, size, "lookup %s", host);
}

int lg_target_lookup(const lg_target *t, struct sockaddr_storage *addr, socklen_t *len,
                     int64_t *dns_ns) {
    *dns_ns = 0;
    if (t->dial_literal) {
        memcpy(addr, &t->addr, t->addr_len);
        *len = t->addr_len;
        return 0;
    }
    /* hey's DNSStart/DNSDone (net/http/httptrace) bracket Go's resolver on every dial */
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    hints.ai_family = t->addr.ss_family; /* the family chosen at init, so dial_addr holds */
    char portbuf[8];
    snprintf(portbuf, sizeof portbuf, "%d", t->dial_port);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int rc = getaddrinfo(t->dial_host, portbuf, &hints, &res);
    clock_gettime(CLOCK_MONOTONIC, &b);
    *dns_ns = (int64_t)(b.tv_sec - a.tv_sec) * 1000000000 + (b.tv_nsec - a.tv_nsec);
    if (rc != 0)
        return -1;
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}
