/* hey_report.h: the client-side view of one load phase, printed the way hey prints its summary.
 *
 * The layout is hey's default template (rakyll/hey requester/print.go and report.go at 8985827):
 * Summary (Total, Slowest, Fastest, Average, Requests/sec, optional Total data and Size/request),
 * Response time histogram (11 marks from fastest to slowest, bars of U+25A0 scaled to 40),
 * Latency distribution (10/25/50/75/90/95/99% picked by hey's own index rule), Details (the
 * simulator has no DNS, dial, write or read phases, so those are 0 and "resp wait" is the whole
 * latency), Status code distribution and Error distribution, with its blank lines, tabs and Go's
 * number formatting (%4.4f, NaN as " NaN"). As in hey, Requests/sec counts errors too, while
 * the latency figures cover successful responses only. Latencies come from a log-bucket
 * histogram, so percentiles and bucket counts are exact to its resolution (under 1%); Fastest,
 * Slowest and Average are exact. Errors use Go's wording for a client timeout and for a refused
 * connection. Usable by any caller that has a histogram (the simulator, a load generator).
 * A real run (scalesim loadgen) also fills the Details phases, every status code seen and its
 * errors by text; Go's template ranges over its maps in key order, so codes print in numeric
 * order and error lines in byte order of their text (the caller's array need not be sorted). */
#ifndef SCALESIM_COMMON_HEY_REPORT_H
#define SCALESIM_COMMON_HEY_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/histogram.h"

/* One of hey's Details phases (DNS+dialup, DNS-lookup, req write, resp wait, resp read) over the
 * successful responses: the sum, fastest and slowest in microseconds. */
typedef struct hey_phase {
    int64_t sum_us, min_us, max_us;
} hey_phase;

enum {
    HEY_PHASE_DIAL,
    HEY_PHASE_DNS,
    HEY_PHASE_WRITE,
    HEY_PHASE_WAIT,
    HEY_PHASE_READ,
    HEY_NPHASES
};

/* Status codes 0..HEY_STATUS_MAX-1 are counted one by one. */
#define HEY_STATUS_MAX 1000

/* One line of the Error distribution: Go's error text and how many requests failed with it. */
typedef struct hey_error_line {
    const char *text;
    uint64_t count;
} hey_error_line;

typedef struct hey_view {
    const histogram *latency; /* successful responses, microseconds */
    uint64_t timeouts, refused;
    int64_t total_us;       /* hey's Total: start to the last result */
    int64_t response_bytes; /* per successful response; 0: none reported */
    int status_code;        /* of successful responses (200) */
    const char *method;     /* NULL: GET */
    const char *url;        /* NULL: http://localhost/ */
    /* What a real run adds (the loadgen); all zero/NULL for the simulator's view above. */
    const hey_phase *phases;       /* HEY_NPHASES entries; NULL: all of it is resp wait */
    const uint64_t *status_counts; /* HEY_STATUS_MAX entries; NULL: status_code for all */
    const hey_error_line *errors;  /* replaces timeouts and refused when not NULL */
    size_t n_errors;
    int64_t size_total; /* bytes of Content-Length > 0 bodies, used when
                           response_bytes is 0 */
} hey_view;

void hey_report_print(FILE *out, const hey_view *v);

/* Writes s as Go's fmt.Fprintf(out, s) with no operands writes it (go1.19 fmt/print.go
 * doPrintf): hey prints its whole summary with r.printf(buf.String()) (rakyll/hey
 * requester/report.go), so a '%' in an error line is a verb without operand: "%20b" is
 * "%!b(MISSING)", "%%" is "%", a '[' index "%!v(BADINDEX)", '*' "%!(BADWIDTH)" or
 * "%!(BADPREC)", a '%' at the end "%!(NOVERB)". hey_report_print writes error lines so. */
void hey_print_go_format(FILE *out, const char *s);

/* hey's percentile pick: the value at sorted index ceil(p * n / 100), or -1 when past the end. */
int64_t hey_percentile_index(uint64_t n, int pct);

#endif
