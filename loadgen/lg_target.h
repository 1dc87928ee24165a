/* lg_target.h: where the load goes and the exact bytes of the request, built once.
 *
 * lg_target_init parses the URL (http:// or https://), resolves the host once with getaddrinfo
 * so that a name that does not resolve is an error before the run (lg_target_lookup resolves it
 * again for every new connection, as Go's dialer does, for hey's DNS-lookup phase), and builds
 * the request the way Go's net/http writes hey's
 * request (rakyll/hey hey.go and requester/requester.go at 8985827): Host (or -host), the
 * User-Agent "hey/0.0.1" (appended to a -U or -H User-Agent), Content-Length when there is a
 * body (-d, or the file of -D read here), Content-Type (-T, default text/html), Accept (-A),
 * basic auth (the URL's user info, Go's URL.User, parsed by lg_url; else -a; neither with a
 * -H Authorization), -H headers, Accept-Encoding: gzip unless -disable-compression, and
 * Connection: close with -disable-keepalive. With -x and an http URL the request goes to the
 * proxy with the absolute URL on its request line; with -x and an https URL each connection
 * first asks the proxy for a tunnel (CONNECT host:port, as Go's transport writes it) and the
 * request goes through it as to the server itself. -h2 takes effect for https only (h2 is
 * offered in ALPN); with an http URL it changes nothing, as in hey (Go's
 * http2.ConfigureTransport only registers "h2" for TLS). The target owns its buffers: release
 * with lg_target_free. */
#ifndef SCALESIM_LOADGEN_LG_TARGET_H
#define SCALESIM_LOADGEN_LG_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/error.h"
#include "common/hey_args.h"
#include "loadgen/lg_url.h"

#define LG_TARGET_PATH_MAX 2048

typedef struct lg_target {
    char host[256]; /* from the URL, without brackets */
    int port;
    struct sockaddr_storage addr; /* where connections go (the proxy with -x) */
    socklen_t addr_len;
    char dial_addr[300]; /* "ip:port" as Go's dial errors name it */
    int64_t dns_us;      /* time the first getaddrinfo took (0 for an IP literal) */
    char dial_host[256]; /* the name each new connection resolves (the proxy's with -x) */
    int dial_port;
    int dial_literal;    /* dial_host is an IP address: no lookup, DNS-lookup 0 as in hey */
    int head;            /* HEAD: responses carry no body */
    int keepalive;       /* 0 with -disable-keepalive */
    int redirects;       /* follow redirects (lg_redirect.h); 0 with -disable-redirects */
    int custom_host;     /* -host was given: the Host header, and the TLS server name everywhere */
    int proxy;           /* -x was given: every connection dials the proxy */
    char authority[300]; /* the URL's host[:port] as sent, without user info (Go's URL.Host; a
                          * host outside ASCII in its IDNA form, lg_idna.h) */
    char authority_named[800]; /* such a host as URL.String writes it (escaped); else "" */
    lg_userinfo user; /* the URL's user info (Go's URL.User), for redirects (lg_redirect.h) */
    int user_auth;    /* request's Authorization is user's basic auth, not a header to copy */
    char *url_named;  /* the URL as Go's errors name it: URL.String, user info as `user:***@` */
    char key[300];    /* the connection key of the URL's origin (lg_target_key) */
    /* the URL's RequestURI (escaped path, "/" when none, and query); "" when too long */
    char path[LG_TARGET_PATH_MAX];
    char fragment[256]; /* the URL's EscapedFragment ("" when none or longer) */
    int https;
    int h2;        /* offer HTTP/2 in ALPN (-h2 with an https URL) */
    int h2_hops;   /* -h2 with any URL: a redirect to another https origin offers it too (Go's
                    * http2.ConfigureTransport registers h2 for every TLS connection) */
    char sni[256]; /* TLS server name: -host, else the URL's host */
    char *request; /* the whole request, headers and body */
    size_t request_len;
    char *connect; /* https through -x: the CONNECT request; else NULL */
    size_t connect_len;
    char dns_server[80]; /* the DNS server Go's resolver names in `lookup NAME on SERVER` */
} lg_target;

int lg_target_init(lg_target *t, const hey_args *a, sim_error *err);
void lg_target_free(lg_target *t);

/* The address a new connection dials: dial_host resolved now (getaddrinfo, blocking; a name in
 * /etc/hosts such as localhost takes microseconds) with *dns_ns the time it took, or the
 * address resolved at init with *dns_ns = 0 for an IP literal. -1 when the name no longer
 * resolves. */
int lg_target_lookup(const lg_target *t, struct sockaddr_storage *addr, socklen_t *len,
                     int64_t *dns_ns);

/* The same lookup for another origin (a redirect's, lg_redirect.h): host resolved now, any
 * family, *dns_ns the time it took (0 for an IP literal); dial gets "ip:port" as Go's dial
 * errors name it. 0, or getaddrinfo's code (gai_strerror) when the name does not resolve. */
int lg_lookup(const char *host, int port, struct sockaddr_storage *addr, socklen_t *len,
              int64_t *dns_ns, char *dial, size_t dial_size);

/* What Go's dial error says after `dial tcp: ` when host did not resolve: "lookup HOST on
 * SERVER" (t->dns_server), or "lookup HOST" for a name go1.19's resolver does not ask DNS about
 * (net/dnsclient_unix.go goLookupIPCNAMEOrder: !isDomainName, such as a host outside ASCII
 * whose IDNA failed, or an empty label; lg_lookup does not look such names up either). */
void lg_lookup_error(const lg_target *t, const char *host, char *buf, size_t size);

/* The key of the connections to an origin, as Go's transport pools them (net/http transport.go
 * connectMethod.key, go1.19): through an http proxy every http origin shares the proxy's
 * connections ("proxy"); else scheme, host (lower case) and port. */
void lg_target_key(int proxy, int https, const char *host, int port, char *key, size_t size);

/* The DNS server go1.19's resolver names when a name does not exist (`dial tcp: lookup NAME on
 * SERVER: no such host`), read from a resolv.conf as net/dnsconfig_unix.go dnsReadConfig reads
 * it: the first `nameserver` that is an IPv4 or IPv6 (zone allowed) address, with port 53
 * (IPv6 in brackets); "127.0.0.1:53" (Go's defaultNS) when there is none or no file. Go asks
 * the first server and stops at its NXDOMAIN, so that server is named (not so with `options
 * rotate`, where Go starts at a changing server). */
void lg_dns_server(const char *resolv_conf, char *buf, size_t size);

#endif
