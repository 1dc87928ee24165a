/* lg_target.h: where the load goes and the exact bytes of the request, built once.
 *
 * lg_target_init parses the URL (http:// or https://; -h2 is refused with a precise error),
 * resolves the host once with getaddrinfo (the time it took is kept for hey's DNS-lookup
 * phase of the first connection), and builds the request the way Go's net/http writes hey's
 * request (rakyll/hey hey.go and requester/requester.go at 8985827): Host (or -host), the
 * User-Agent "hey/0.0.1" (appended to a -U or -H User-Agent), Content-Length when there is a
 * body (-d, or the file of -D read here), Content-Type (-T, default text/html), Accept (-A),
 * basic auth (-a), -H headers, Accept-Encoding: gzip unless -disable-compression, and
 * Connection: close with -disable-keepalive. With -x the request goes to the proxy with the
 * absolute URL on its request line. The target owns its buffers: release with lg_target_free. */
#ifndef SCALESIM_LOADGEN_LG_TARGET_H
#define SCALESIM_LOADGEN_LG_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/error.h"
#include "common/hey_args.h"

typedef struct lg_target {
    char host[256]; /* from the URL, without brackets */
    int port;
    struct sockaddr_storage addr; /* where connections go (the proxy with -x) */
    socklen_t addr_len;
    char dial_addr[300]; /* "ip:port" as Go's dial errors name it */
    int64_t dns_us;      /* time getaddrinfo took (0 for an IP literal) */
    int head;            /* HEAD: responses carry no body */
    int keepalive;       /* 0 with -disable-keepalive */
    int https;
    char sni[256]; /* TLS server name: -host, else the URL's host */
    char *request; /* the whole request, headers and body */
    size_t request_len;
} lg_target;

int lg_target_init(lg_target *t, const hey_args *a, sim_error *err);
void lg_target_free(lg_target *t);

#endif
