/* lg_stats.h: what a load run counts, in constant memory.
 *
 * Every request ends exactly once, as a response (any status code, as hey counts them) or as an
 * error of one kind, so sent = completed + failed + in flight. Latencies go into log-bucket
 * histograms (common/histogram.h), never a per-request array. lg_stats is the whole run of one
 * event loop (merged across loops at the end); lg_second is one second of it, for the trace. */
#ifndef SCALESIM_LOADGEN_LG_STATS_H
#define SCALESIM_LOADGEN_LG_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "common/hey_report.h"
#include "common/histogram.h"

typedef enum lg_err {
    LG_ERR_REFUSED,        /* connect: connection refused */
    LG_ERR_RESET,          /* connection reset by peer */
    LG_ERR_TIMEOUT,        /* -t passed before the response was complete */
    LG_ERR_MALFORMED,      /* the bytes are not an HTTP response */
    LG_ERR_EOF,            /* closed before any byte of the response */
    LG_ERR_TRUNCATED,      /* closed in the middle of a response */
    LG_ERR_TLS,            /* TLS handshake or record failure */
    LG_ERR_DIAL,           /* any other connect failure (unreachable, no buffers, ...) */
    LG_ERR_IO,             /* any other send or receive failure */
    LG_ERR_PROXY,          /* -x: the proxy answered CONNECT with a status other than 200 */
    LG_ERR_REDIRECT_LIMIT, /* an 11th redirect: Go's `stopped after 10 redirects` */
    LG_ERR_REDIRECT_HOST,  /* a redirect this does not follow (another origin; lg_redirect.h) */
    LG_NERR
} lg_err;

/* Column name of each kind in the trace ("err_refused", ...). */
extern const char *const lg_err_names[LG_NERR];

typedef struct lg_second {
    uint64_t sent, completed, failed;
    uint64_t errors[LG_NERR];
    uint64_t status_class[6]; /* 1xx..5xx in [1..5]; anything else in [0] */
    int64_t in_flight;        /* at the end of the second */
    histogram latency;        /* of completed responses, us */
} lg_second;

typedef struct lg_stats {
    uint64_t sent, completed, failed, reconnects;
    uint64_t errors[LG_NERR];
    uint64_t status[HEY_STATUS_MAX]; /* codes past the table count as 999 */
    hey_phase phases[HEY_NPHASES];
    int64_t size_total;     /* Content-Length of responses that had one, as hey sums it */
    int proxy_status;       /* the last status a proxy refused CONNECT with (LG_ERR_PROXY) */
    char redirect_loc[320]; /* the last Location that hit the limit (LG_ERR_REDIRECT_LIMIT) */
    char redirect_why[600]; /* the last unfollowed redirect's error, `"URL": reason` (Go's) */
    /* Of errors[], those on a redirect hop: Go's url.Error names the hop's URL, and the hop
     * may dial another origin; the last such URL and "ip:port" of each kind (hop_dial
     * "lookup HOST on SERVER" when the name did not resolve) */
    uint64_t hop_errors[LG_NERR];
    char hop_url[LG_NERR][320];
    char hop_dial[LG_NERR][360];
    histogram latency; /* completed responses, us */
} lg_stats;

void lg_stats_init(lg_stats *s);
void lg_stats_merge(lg_stats *into, const lg_stats *from);
void lg_second_init(lg_second *s);
void lg_second_merge(lg_second *into, const lg_second *from);

/* Records one response: latency and phases in us (phases[] in hey's order). */
void lg_stats_response(lg_stats *s, lg_second *sec, int status, int64_t content_length,
                       int64_t latency_us, const int64_t phases_us[HEY_NPHASES]);
void lg_stats_error(lg_stats *s, lg_second *sec, lg_err kind);
/* The error was on a redirect hop to url (dial: its "ip:port"); call after lg_stats_error. */
void lg_stats_hop_error(lg_stats *s, lg_err kind, const char *url, const char *dial);

/* Go's error text for a kind (op is "Get", "Post"...; dial is "ip:port", or "lookup HOST on SERVER"
 * for a name that did not resolve); buf gets the text. */
void lg_err_text(lg_err kind, const char *op, const char *url, const char *dial, char *buf,
                 size_t size);

#endif
