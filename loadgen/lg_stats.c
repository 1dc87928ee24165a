/* lg_stats.c: counting responses and errors (lg_stats.h). */
#include "loadgen/lg_stats.h"

#include "loadgen/lg_url.h"

#include <string.h>

const char *const lg_err_names[LG_NERR] = {
    "err_refused",        "err_reset",        "err_timeout", "err_malformed", "err_eof",
    "err_truncated",      "err_tls",          "err_dial",    "err_io",        "err_proxy",
    "err_redirect_limit", "err_redirect_host"};

void lg_stats_init(lg_stats *s) {
    memset(s, 0, sizeof *s);
    histogram_init(&s->latency);
}

void lg_second_init(lg_second *s) {
    memset(s, 0, sizeof *s);
    histogram_init(&s->latency);
}

static void phase_merge(hey_phase *into, const hey_phase *from, uint64_t n_into, uint64_t n_from) {
    if (n_from == 0)
        return;
    if (n_into == 0 || from->min_us < into->min_us)
        into->min_us = from->min_us;
    if (n_into == 0 || from->max_us > into->max_us)
        into->max_us = from->max_us;
    into->sum_us += from->sum_us;
}

void lg_stats_merge(lg_stats *into, const lg_stats *from) {
    for (int i = 0; i < HEY_NPHASES; i++)
        phase_merge(&into->phases[i], &from->phases[i], into->completed, from->completed);
    into->sent += from->sent;
    into->completed += from->completed;
    into->failed += from->failed;
    into->reconnects += from->reconnects;
    for (int i = 0; i < LG_NERR; i++) {
        into->errors[i] += from->errors[i];
        into->hop_errors[i] += from->hop_errors[i];
        if (from->hop_url[i][0]) {
            memcpy(into->hop_url[i], from->hop_url[i], sizeof into->hop_url[i]);
            memcpy(into->hop_dial[i], from->hop_dial[i], sizeof into->hop_dial[i]);
        }
    }
    for (int i = 0; i < HEY_STATUS_MAX; i++)
        into->status[i] += from->status[i];
    into->size_total += from->size_total;
    if (from->proxy_status)
        into->proxy_status = from->proxy_status;
    if (from->redirect_loc[0])
        memcpy(into->redirect_loc, from->redirect_loc, sizeof into->redirect_loc);
    if (from->redirect_why[0])
        memcpy(into->redirect_why, from->redirect_why, sizeof into->redirect_why);
    histogram_merge(&into->latency, &from->latency);
}

void lg_second_merge(lg_second *into, const lg_second *from) {
    into->sent += from->sent;
    into->completed += from->completed;
    into->failed += from->failed;
    for (int i = 0; i < LG_NERR; i++)
        into->errors[i] += from->errors[i];
    for (int i = 0; i < 6; i++)
        into->status_class[i] += from->status_class[i];
    into->in_flight += from->in_flight;
    histogram_merge(&into->latency, &from->latency);
}

void lg_stats_response(lg_stats *s, lg_second *sec, int status, int64_t content_length,
                       int64_t latency_us, const int64_t phases_us[HEY_NPHASES]) {
    for (int i = 0; i < HEY_NPHASES; i++) {
        hey_phase *p = &s->phases[i];
        int64_t v = phases_us[i];
        if (s->completed == 0 || v < p->min_us)
            p->min_us = v;
        if (s->completed == 0 || v > p->max_us)
            p->max_us = v;
        p->sum_us += v;
    }
    s->completed++;
    s->status[status >= 0 && status < HEY_STATUS_MAX ? status : HEY_STATUS_MAX - 1]++;
    if (content_length > 0)
        s->size_total += content_length;
    histogram_record(&s->latency, latency_us);
    sec->completed++;
    sec->status_class[status >= 100 && status < 600 ? status / 100 : 0]++;
    histogram_record(&sec->latency, latency_us);
}

void lg_stats_error(lg_stats *s, lg_second *sec, lg_err kind) {
    s->failed++;
    s->errors[kind]++;
    sec->failed++;
    sec->errors[kind]++;
}

void lg_stats_hop_error(lg_stats *s, lg_err kind, const char *url, const char *dial) {
    s->hop_errors[kind]++;
    snprintf(s->hop_url[kind], sizeof s->hop_url[kind], "%s", url);
    snprintf(s->hop_dial[kind], sizeof s->hop_dial[kind], "%s", dial);
}

/* Texts follow Go's net/http client errors as hey prints them (url.Error: "Op \"URL\": err").
 * Go also names the local and remote ports in read errors ("read tcp A->B: ..."); they are left
 * out so that errors of one kind count on one line instead of one line per connection. */
void lg_err_text(lg_err kind, const char *op, const char *url_in, const char *dial, char *buf,
                 size_t size) {
    char q[4 * 320 + 3]; /* Go's %q of the URL (url.Error) */
    lg_url_quote(url_in, q, sizeof q);
    const char *url = q;
    switch (kind) {
    case LG_ERR_REFUSED:
        snprintf(buf, size, "%s %s: dial tcp %s: connect: connection refused", op, url, dial);
        break;
    case LG_ERR_RESET:
        snprintf(buf, size, "%s %s: read tcp %s: read: connection reset by peer", op, url, dial);
        break;
    case LG_ERR_TIMEOUT:
        snprintf(buf, size,
                 "%s %s: context deadline exceeded (Client.Timeout exceeded while awaiting "
                 "headers)",
                 op, url);
        break;
    case LG_ERR_MALFORMED:
        snprintf(buf, size,
                 "%s %s: net/http: HTTP/1.x transport connection broken: malformed HTTP "
                 "response",
                 op, url);
        break;
    case LG_ERR_EOF:
        snprintf(buf, size, "%s %s: EOF", op, url);
        break;
    case LG_ERR_TRUNCATED:
        snprintf(buf, size, "%s %s: unexpected EOF", op, url);
        break;
    case LG_ERR_TLS:
        snprintf(buf, size, "%s %s: tls: handshake or record failure", op, url);
        break;
    case LG_ERR_DIAL:
        if (strncmp(dial, "lookup ", 7) ==
            0) /* Go: dial tcp: lookup HOST on SERVER: no such host */
            snprintf(buf, size, "%s %s: dial tcp: %s: no such host", op, url, dial);
        else
            snprintf(buf, size, "%s %s: dial tcp %s: connect failed", op, url, dial);
        break;
    case LG_ERR_PROXY:
        snprintf(buf, size, "%s %s: proxy refused CONNECT", op, url);
        break;
    case LG_ERR_REDIRECT_LIMIT: /* Go names the Location that was not followed */
        snprintf(buf, size, "%s %s: stopped after 10 redirects", op, url);
        break;
    case LG_ERR_REDIRECT_HOST:
        snprintf(buf, size, "%s %s: redirect not followed by scalesim loadgen", op, url);
        break;
    default:
        snprintf(buf, size, "%s %s: write tcp %s: i/o error", op, url, dial);
        break;
    }
}
