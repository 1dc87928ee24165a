/* hey_report.c: see hey_report.h. */
#include "common/hey_report.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#define BAR                                                                                        \
    "\xe2\x96\xa0" /* U+25A0: barChar in rakyll/hey requester/report.go (3dd8421, the template     \
                      era) and Debian hey 0.1.4 */

/* Go's %4.4f, which writes NaN and infinities as " NaN", "+Inf". */
static void num(FILE *out, double x) {
    if (isnan(x))
        fputs(" NaN", out);
    else if (isinf(x))
        fputs(x > 0 ? "+Inf" : "-Inf", out);
    else
        fprintf(out, "%4.4f", x);
}

int64_t hey_percentile_index(uint64_t n, int pct) {
    /* smallest i with i * 100 / n >= pct (integer division) is ceil(pct * n / 100) */
    uint64_t i = ((uint64_t)pct * n + 99) / 100;
    return i < n ? (int64_t)i : -1;
}

/* Value at sorted index i (0-based) from the histogram. */
static int64_t at_index(const histogram *h, uint64_t i) {
    return histogram_percentile(h, ((double)i + 0.5) / (double)h->count);
}

static void print_histogram(FILE *out, const histogram *h) {
    double fastest = (double)h->min / 1e6, slowest = (double)h->max / 1e6;
    double marks[11];
    uint64_t counts[11] = {0};
    double bs = (slowest - fastest) / 10;
    for (int i = 0; i < 10; i++)
        marks[i] = fastest + bs * i;
    marks[10] = slowest;
    int min_bucket = histogram_bucket_of(h->min);
    for (int b = h->lo; b <= h->hi; b++) {
        uint64_t c = h->buckets[b];
        if (c == 0)
            continue;
        if (b == min_bucket) { /* the fastest value itself lands on the first mark */
            counts[0]++;
            c--;
        }
        int64_t low = histogram_bucket_low(b), high = histogram_bucket_high(b);
        int64_t mid = high - low == 1 ? low : low + (high - 1 - low) / 2;
        if (mid < h->min)
            mid = h->min;
        if (mid > h->max)
            mid = h->max;
        double v = (double)mid / 1e6;
        int k = 0;
        while (k < 10 && v > marks[k])
            k++;
        counts[k] += c;
    }
    uint64_t max = 0;
    for (int i = 0; i < 11; i++)
        if (counts[i] > max)
            max = counts[i];
    for (int i = 0; i < 11; i++) {
        uint64_t bar = max > 0 ? (counts[i] * 40 + max / 2) / max : 0;
        fprintf(out, "  %4.3f [%llu]\t|", marks[i], (unsigned long long)counts[i]);
        for (uint64_t k = 0; k < bar; k++)
            fputs(BAR, out);
        fputc('\n', out);
    }
}

/* "http://host:port/path" -> "host:port" (Go's dial address; default ports filled in). */
static void dial_addr(const char *url, char *buf, size_t size) {
    const char *p = strstr(url, "://");
    int https = strncmp(url, "https", 5) == 0;
    p = p ? p + 3 : url;
    size_t n = strcspn(p, "/?#");
    const char *at = memchr(p, '@', n);
    if (at) {
        n -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    int has_port = memchr(p, ':', n) != NULL && p[0] != '[';
    snprintf(buf, size, "%.*s%s", (int)n, p, has_port ? "" : https ? ":443" : ":80");
}

/* Go's parsenum: digits from i; *i moves past them (to end on a number over 1e6, as Go's
 * tooLarge gives up); 1 when there were digits */
static int go_parsenum(const char *s, size_t *i, size_t end) {
    long num = 0;
    int isnum = 0;
    for (; *i < end && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
        if (num > 1000000) {
            *i = end;
            return 0;
        }
        num = num * 10 + (s[*i] - '0');
        isnum = 1;
    }
    return isnum;
}

/* Go's argNumber with no operands: a "[n]" (or a lone '[') is skipped and makes the verb a
 * BADINDEX; returns whether it was well formed (afterIndex) */
static int go_argnumber(const char *s, size_t *i, size_t end, int *bad) {
    if (*i >= end || s[*i] != '[')
        return 0;
    *bad = 1;
    const char *f = s + *i;
    size_t n = end - *i;
    if (n < 3) {
        *i += 1;
        return 0;
    }
    for (size_t j = 1; j < n; j++)
        if (f[j] == ']') {
            size_t k = 1;
            int ok = go_parsenum(f, &k, j) && k == j;
            *i += j + 1;
            return ok;
        }
    *i += 1;
    return 0;
}

void hey_print_go_format(FILE *out, const char *s) {
    size_t end = strlen(s);
    for (size_t i = 0; i < end;) {
        size_t lasti = i;
        while (i < end && s[i] != '%')
            i++;
        fwrite(s + lasti, 1, i - lasti, out);
        if (i >= end)
            break;
        i++;
        while (i < end && strchr("#0+- ", s[i])) /* flags */
            i++;
        int bad = 0, after = go_argnumber(s, &i, end, &bad);
        if (i < end && s[i] == '*') { /* a width operand that is not there */
            i++;
            fputs("%!(BADWIDTH)", out);
            after = 0;
        } else {
            go_parsenum(s, &i, end);
        }
        if (i + 1 < end && s[i] == '.') {
            i++;
            after = go_argnumber(s, &i, end, &bad);
            if (i < end && s[i] == '*') {
                i++;
                fputs("%!(BADPREC)", out);
                after = 0;
            } else {
                go_parsenum(s, &i, end);
            }
        }
        if (!after)
            go_argnumber(s, &i, end, &bad);
        if (i >= end) {
            fputs("%!(NOVERB)", out);
            break;
        }
        /* the verb is a rune: invalid UTF-8 is U+FFFD of one byte (utf8.DecodeRuneInString) */
        const unsigned char *v = (const unsigned char *)s + i;
        size_t k = v[0] < 0x80                    ? 1
                   : v[0] >= 0xf0 && v[0] <= 0xf4 ? 4
                   : v[0] >= 0xe0                 ? 3
                   : v[0] >= 0xc2                 ? 2
                                                  : 0;
        for (size_t j = 1; j < k; j++)
            if (i + j >= end || (v[j] & 0xc0) != 0x80)
                k = 0;
        if (k == 3 && ((v[0] == 0xe0 && v[1] < 0xa0) || (v[0] == 0xed && v[1] >= 0xa0)))
            k = 0; /* overlong, surrogate */
        if (k == 4 && ((v[0] == 0xf0 && v[1] < 0x90) || (v[0] == 0xf4 && v[1] >= 0x90)))
            k = 0; /* overlong, past U+10FFFF */
        if (k == 1 && v[0] == '%') {
            fputc('%', out);
            i++;
            continue;
        }
        fputs("%!", out);
        if (k == 0)
            fputs("\xef\xbf\xbd", out);
        else
            fwrite(v, 1, k, out);
        fputs(bad ? "(BADINDEX)" : "(MISSING)", out);
        i += k ? k : 1;
    }
}

/* Error lines in byte order of their text, as text/template ranges over map[string]int. */
static void print_error_lines(FILE *out, const hey_error_line *e, size_t n) {
    const char *prev = NULL;
    int any = 0;
    for (;;) { /* selection by successive minimum: a handful of kinds, no allocation */
        const hey_error_line *next = NULL;
        for (size_t i = 0; i < n; i++)
            if (e[i].count && (prev == NULL || strcmp(e[i].text, prev) > 0) &&
                (next == NULL || strcmp(e[i].text, next->text) < 0))
                next = &e[i];
        if (next == NULL)
            break;
        if (!any)
            fputs("Error distribution:", out);
        any = 1;
        fprintf(out, "\n  [%llu]\t", (unsigned long long)next->count);
        hey_print_go_format(out, next->text); /* hey's r.printf(summary) */
        prev = next->text;
    }
}

void hey_report_print(FILE *out, const hey_view *v) {
    const histogram *h = v->latency;
    uint64_t n = h->count;
    uint64_t failed = v->timeouts + v->refused;
    if (v->errors) {
        failed = 0;
        for (size_t i = 0; i < v->n_errors; i++)
            failed += v->errors[i].count;
    }
    uint64_t results = n + failed;
    double total = (double)v->total_us / 1e6;
    double average = (double)n > 0 ? h->sum / (double)n / 1e6 : NAN;
    double fastest = n ? (double)h->min / 1e6 : 0, slowest = n ? (double)h->max / 1e6 : 0;
    double rps = (double)results / total; /* Go divides by zero to +Inf or NaN as well */
    int64_t size_total = v->response_bytes > 0 ? v->response_bytes * (int64_t)n : v->size_total;

    fputs("\nSummary:\n  Total:\t", out);
    num(out, total);
    fputs(" secs\n  Slowest:\t", out);
    num(out, slowest);
    fputs(" secs\n  Fastest:\t", out);
    num(out, fastest);
    fputs(" secs\n  Average:\t", out);
    num(out, average);
    fputs(" secs\n  Requests/sec:\t", out);
    num(out, rps);
    fputs("\n  ", out);
    if (size_total > 0 && n > 0)
        fprintf(out, "\n  Total data:\t%lld bytes\n  Size/request:\t%lld bytes",
                (long long)size_total, (long long)(size_total / (int64_t)n));
    fputs("\n\nResponse time histogram:\n", out);
    if (n > 0)
        print_histogram(out, h);
    fputs("\n\nLatency distribution:", out);
    if (n > 0) {
        static const int pctls[] = {10, 25, 50, 75, 90, 95, 99};
        for (int i = 0; i < 7; i++) {
            int64_t idx = hey_percentile_index(n, pctls[i]);
            int64_t us = idx >= 0 ? at_index(h, (uint64_t)idx) : 0;
            if (us > 0) {
                fprintf(out, "\n  %d%% in ", pctls[i]);
                num(out, (double)us / 1e6);
            } else {
                fputs("\n  0% in 0.0000", out); /* hey prints its zero-valued entries too */
            }
            fputs(" secs", out);
        }
    }
    double zero_avg = n > 0 ? 0.0 : NAN;
    static const char *phases[] = {"DNS+dialup", "DNS-lookup", "req write", "resp wait",
                                   "resp read"};
    fputs("\n\nDetails (average, fastest, slowest):", out);
    for (int i = 0; i < HEY_NPHASES; i++) {
        fprintf(out, "\n  %s:\t", phases[i]);
        if (v->phases) {
            const hey_phase *p = &v->phases[i];
            num(out, n > 0 ? (double)p->sum_us / (double)n / 1e6 : NAN);
            fputs(" secs, ", out);
            num(out, n > 0 ? (double)p->min_us / 1e6 : 0);
            fputs(" secs, ", out);
            num(out, n > 0 ? (double)p->max_us / 1e6 : 0);
        } else if (i == HEY_PHASE_WAIT) {
            num(out, average);
            fputs(" secs, ", out);
            num(out, fastest);
            fputs(" secs, ", out);
            num(out, slowest);
        } else {
            num(out, zero_avg);
            fputs(" secs, ", out);
            num(out, 0);
            fputs(" secs, ", out);
            num(out, 0);
        }
        fputs(" secs", out);
    }
    fputs("\n\nStatus code distribution:", out);
    if (v->status_counts) {
        for (int code = 0; code < HEY_STATUS_MAX; code++)
            if (v->status_counts[code])
                fprintf(out, "\n  [%d]\t%llu responses", code,
                        (unsigned long long)v->status_counts[code]);
    } else if (n > 0) {
        fprintf(out, "\n  [%d]\t%llu responses", v->status_code ? v->status_code : 200,
                (unsigned long long)n);
    }
    fputs("\n\n", out);
    if (v->errors) {
        print_error_lines(out, v->errors, v->n_errors);
    } else if (v->timeouts + v->refused > 0) {
        /* Go's url.Error: Op is the method with only its first letter upper case */
        const char *method = v->method && *v->method ? v->method : "GET";
        const char *url = v->url && *v->url ? v->url : "http://localhost/";
        char op[32];
        size_t k = 0;
        for (; k < sizeof op - 1 && method[k]; k++)
            op[k] = k == 0 ? (char)toupper((unsigned char)method[k])
                           : (char)tolower((unsigned char)method[k]);
        op[k] = 0;
        char addr[256];
        dial_addr(url, addr, sizeof addr);
        fputs("Error distribution:", out);
        /* text/template ranges over a map in key order: "...: context" < "...: dial" */
        if (v->timeouts)
            fprintf(out,
                    "\n  [%llu]\t%s \"%s\": context deadline exceeded (Client.Timeout exceeded "
                    "while awaiting headers)",
                    (unsigned long long)v->timeouts, op, url);
        if (v->refused)
            fprintf(out, "\n  [%llu]\t%s \"%s\": dial tcp %s: connect: connection refused",
                    (unsigned long long)v->refused, op, url, addr);
    }
    fputs("\n\n", out);
}
