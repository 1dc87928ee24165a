/* test_loadgen.c: the loadgen's parts without a network: hey's ticker (open-loop schedules:
 * test_loadgen_rate.c),
 * the http-parser glue (split chunked bodies, 1xx, close-delimited, HEAD, garbage), the
 * request bytes built from hey's flags, the trace CSV, and hey's summary for a real run
 * (Details phases, several status codes, errors in key order). */
#include "cu.h"

#include <stdlib.h>
#include <string.h>

#include "common/hey_report.h"
#include "loadgen/lg_h2.h"
#include "loadgen/lg_http.h"
#include "loadgen/lg_pace.h"
#include "loadgen/lg_stats.h"
#include "loadgen/lg_target.h"
#include "loadgen/lg_trace.h"

static void test_ticker(void) {
    lg_ticker t;
    lg_ticker_init(&t, 0, 20); /* hey -q 20: a tick every 50 ms */
    CU_ASSERT_EQUAL(t.interval_us, 50000);
    CU_ASSERT_EQUAL(lg_ticker_take(&t, 0), 50000);       /* the first tick after one interval */
    CU_ASSERT_EQUAL(lg_ticker_take(&t, 60000), 100000);  /* on time: wait for the next */
    CU_ASSERT_EQUAL(lg_ticker_take(&t, 370000), 370000); /* late: the kept tick, at once */
    CU_ASSERT_EQUAL(lg_ticker_take(&t, 370000), 400000); /* then the grid point after */
    lg_ticker_init(&t, 0, 3);
    CU_ASSERT_EQUAL(t.interval_us, 333333); /* time.Duration(1e6/3) truncates */
}

/* Feeds text in pieces of `step` bytes; returns the final state. */
static int feed(lg_http *h, const char *text, size_t step) {
    size_t n = strlen(text), off = 0;
    int st = LG_HTTP_MORE;
    while (off < n && st == LG_HTTP_MORE) {
        size_t k = n - off < step ? n - off : step, used;
        st = lg_http_feed(h, text + off, k, &used);
        off += used;
    }
    return st;
}

static void test_http_glue(void) {
    lg_http h;
    const char *chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    for (size_t step = 1; step <= strlen(chunked); step += 7) {
        lg_http_start(&h, 0);
        CU_ASSERT_EQUAL(feed(&h, chunked, step), LG_HTTP_DONE);
        CU_ASSERT_EQUAL(h.status, 200);
        CU_ASSERT_EQUAL(h.body_bytes, 11);
        CU_ASSERT_EQUAL(h.content_length, -1);
        CU_ASSERT(h.keepalive);
    }
    lg_http_start(&h, 0);
    CU_ASSERT_EQUAL(feed(&h,
                         "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"
                         "Content-Length: 3\r\n\r\nabc",
                         1000),
                    LG_HTTP_DONE);
    CU_ASSERT_EQUAL(h.status, 201);
    CU_ASSERT_EQUAL(h.content_length, 3);
    lg_http_start(&h, 0);
    CU_ASSERT_EQUAL(feed(&h, "HTTP/1.0 200 OK\r\n\r\nuntil close", 1000), LG_HTTP_MORE);
    CU_ASSERT_EQUAL(lg_http_eof(&h), LG_HTTP_DONE);
    CU_ASSERT(!h.keepalive);
    lg_http_start(&h, 0);
    CU_ASSERT_EQUAL(feed(&h, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 1000),
                    LG_HTTP_MORE);
    CU_ASSERT_EQUAL(lg_http_eof(&h), LG_HTTP_BAD); /* truncated */
    lg_http_start(&h, 1);                          /* HEAD: Content-Length but no body */
    CU_ASSERT_EQUAL(feed(&h, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", 1000), LG_HTTP_DONE);
    lg_http_start(&h, 0);
    CU_ASSERT_EQUAL(feed(&h, "garbage\r\n\r\n", 1000), LG_HTTP_BAD);
    lg_http_start(&h, 0);
    CU_ASSERT_EQUAL(feed(&h, "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", 1000), LG_HTTP_BAD);
    lg_http_start(&h, 0);
    CU_ASSERT_EQUAL(
        feed(&h, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 1000),
        LG_HTTP_DONE);
    CU_ASSERT(!h.keepalive);
}

/* The fast path (a whole plain response in one buffer) against http-parser (the same bytes fed
 * one at a time, which the fast path never takes): the same outcome for every sample, and the
 * fast path taken exactly for the plain ones. */
static void test_http_fast_path(void) {
    static const struct {
        int fast;
        const char *text;
    } samples[] = {
        {1, "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sat, 28 Nov 2026 12:15:34 GMT\r\n"
            "Content-Type: text/plain\r\nContent-Length: 6\r\nConnection: keep-alive\r\n\r\n"
            "hello\n"},
        {1, "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n"},
        {1, "HTTP/1.1 404 \r\nCONTENT-LENGTH:   003  \r\nCONNECTION: Close\r\n\r\nabc"},
        {1, "HTTP/1.1 200 OK\r\nX-A:\r\nContent-Length: 2\r\nX-B: a\tb\r\n\r\nhi"},
        {0, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiEXTRA"},    /* bytes past it */
        {0, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhi"},         /* more to come */
        {0, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"},               /* head not done */
        {0, "HTTP/1.1 200 OK\r\n\r\nuntil close"},                     /* no length */
        {0, "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi"},         /* HTTP/1.0 */
        {0, "HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n"},   /* no body */
        {0, "HTTP/1.1 304 Not Modified\r\nContent-Length: 2\r\n\r\n"}, /* no body */
        {0, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
        {0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"},
        {0, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi"},
        {0, "HTTP/1.1 200 OK\r\nContent-Length: 1 1\r\n\r\nhi"},
        {0, "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"},
        {0, "HTTP/1.1 200 OK\r\nConnection: keep-alive, Upgrade\r\nContent-Length: 0\r\n\r\n"},
        {0, "HTTP/1.1 200 OK\r\nProxy-Connection: close\r\nContent-Length: 0\r\n\r\n"},
        {0, "HTTP/1.1 200 OK\r\nUpgrade: h2c\r\nContent-Length: 0\r\n\r\n"},
        {0, "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 0\r\n\r\n"},
        {0, "HTTP/1.1 200 OK\r\nX_Odd: a\r\nContent-Length: 0\r\n\r\n"},
        {0, "HTTP/1.1 200 OK\nContent-Length: 0\n\n"}, /* bare LF */
        {0, "HTTP/1.1 200 OK\r\nX-Utf8: \xc3\xa9\r\nContent-Length: 0\r\n\r\n"},
        {0, "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n"},
        {0, "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"},
        {0, "garbage garbage garbage\r\n\r\n"},
    };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        const char *t = samples[i].text;
        size_t n = strlen(t), used_whole = 0, used_bytes = 0, u;
        lg_http a, b;
        lg_http_start(&a, 0);
        int st_a = lg_http_feed(&a, t, n, &used_whole);
        lg_http_start(&b, 0);
        int st_b = LG_HTTP_MORE;
        while (used_bytes < n && st_b == LG_HTTP_MORE) {
            st_b = lg_http_feed(&b, t + used_bytes, 1, &u);
            used_bytes += u;
        }
        if (a.fast != samples[i].fast || st_a != st_b || used_whole != used_bytes ||
            (st_a == LG_HTTP_DONE &&
             (a.status != b.status || a.content_length != b.content_length ||
              a.keepalive != b.keepalive || a.body_bytes != b.body_bytes)))
            fprintf(stderr,
                    "sample %zu: fast %d st %d/%d used %zu/%zu status %d/%d len %lld/%lld "
                    "keepalive %d/%d\n",
                    i, a.fast, st_a, st_b, used_whole, used_bytes, a.status, b.status,
                    (long long)a.content_length, (long long)b.content_length, a.keepalive,
                    b.keepalive);
        CU_ASSERT_EQUAL(a.fast, samples[i].fast);
        CU_ASSERT_EQUAL(st_a, st_b);
        CU_ASSERT_EQUAL(used_whole, used_bytes);
        if (st_a == LG_HTTP_DONE) {
            CU_ASSERT_EQUAL(a.status, b.status);
            CU_ASSERT_EQUAL(a.content_length, b.content_length);
            CU_ASSERT_EQUAL(a.keepalive, b.keepalive);
            CU_ASSERT_EQUAL(a.body_bytes, b.body_bytes);
        }
    }
    lg_http h; /* HEAD: never the fast path (no body follows the Content-Length) */
    lg_http_start(&h, 1);
    size_t u;
    CU_ASSERT_EQUAL(lg_http_feed(&h, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", 38, &u),
                    LG_HTTP_DONE);
    CU_ASSERT_EQUAL(h.fast, 0);
}

static char *request_of(const char *command) {
    hey_args a;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(hey_args_parse_command(command, &a, NULL, &err), 0);
    lg_target t;
    int rc = lg_target_init(&t, &a, &err);
    hey_args_free(&a);
    if (rc != 0)
        return strdup(err.msg);
    char *r = strdup(t.request);
    lg_target_free(&t);
    return r;
}

static void test_request_bytes(void) {
    char *r = request_of("hey http://127.0.0.1:8080/a?b=1");
    CU_ASSERT_STRING_EQUAL(r, "GET /a?b=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                              "User-Agent: hey/0.0.1\r\nContent-Type: text/html\r\n"
                              "Accept-Encoding: gzip\r\n\r\n");
    free(r);
    r = request_of(
        "hey -m POST -d '{\"x\":1}' -H 'Content-Type: application/json' -host svc.example "
        "-U curl -A '*/*' -a u:pw -disable-keepalive -disable-compression "
        "http://127.0.0.1/p");
    CU_ASSERT_STRING_EQUAL(r, "POST /p HTTP/1.1\r\nHost: svc.example\r\n"
                              "User-Agent: curl hey/0.0.1\r\nContent-Length: 7\r\n"
                              "Accept: */*\r\nAuthorization: Basic dTpwdw==\r\n"
                              "Content-Type: application/json\r\nConnection: close\r\n\r\n"
                              "{\"x\":1}");
    free(r);
    r = request_of("hey -x http://127.0.0.1:3128 http://example.invalid:81");
    const char *want = "GET http://example.invalid:81/ HTTP/1.1\r\nHost: example.invalid:81\r\n";
    CU_ASSERT(strncmp(r, want, strlen(want)) == 0);
    free(r);
    r = request_of("hey https://127.0.0.1/");
    CU_ASSERT(strncmp(r, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", 32) == 0);
    free(r);
    /* -h2 with an http URL changes nothing (Go's http2.ConfigureTransport is TLS only) */
    r = request_of("hey -h2 http://127.0.0.1/");
    CU_ASSERT(strncmp(r, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", 32) == 0);
    free(r);
    /* https through -x: origin-form inside the tunnel; the proxy resolves the URL's host */
    r = request_of("hey -x http://127.0.0.1:3128 https://example.invalid/");
    CU_ASSERT(strncmp(r, "GET / HTTP/1.1\r\nHost: example.invalid\r\n", 38) == 0);
    free(r);
    r = request_of("hey -x http://u:pw@127.0.0.1:3128 https://example.invalid/");
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "credentials in the proxy URL are not supported"));
    free(r);
    r = request_of("hey http://127.0.0.1:99999/");
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "invalid port"));
    free(r);
    r = request_of("hey -D /nonexistent/body.json http://127.0.0.1/");
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "-D /nonexistent/body.json: cannot open"));
    free(r);
}

/* The target of hey -h2 and -x: which protocol, the CONNECT bytes, origin-form through a tunnel. */
static void test_target_h2_proxy(void) {
    hey_args a;
    sim_error err;
    lg_target t;
    CU_ASSERT_EQUAL_FATAL(hey_args_parse_command("hey -h2 http://127.0.0.1:8080/", &a, NULL, &err),
                          0);
    CU_ASSERT_EQUAL_FATAL(lg_target_init(&t, &a, &err), 0);
    CU_ASSERT_EQUAL(t.h2, 0);
    CU_ASSERT_PTR_NULL(t.connect);
    lg_target_free(&t);
    hey_args_free(&a);
    CU_ASSERT_EQUAL_FATAL(
        hey_args_parse_command("hey -h2 -x http://127.0.0.1:3128 https://localhost:8443/p?q", &a,
                               NULL, &err),
        0);
    CU_ASSERT_EQUAL_FATAL(lg_target_init(&t, &a, &err), 0);
    CU_ASSERT_EQUAL(t.h2, 1);
    CU_ASSERT_EQUAL(t.dial_port, 3128);
    CU_ASSERT_STRING_EQUAL(t.dial_host, "127.0.0.1");
    CU_ASSERT_EQUAL(t.dial_literal, 1);
    CU_ASSERT_STRING_EQUAL(t.connect, "CONNECT localhost:8443 HTTP/1.1\r\nHost: localhost:8443\r\n"
                                      "User-Agent: Go-http-client/1.1\r\n\r\n");
    CU_ASSERT_EQUAL(t.connect_len, strlen(t.connect));
    const char *head = "GET /p?q HTTP/1.1\r\nHost: localhost:8443\r\n";
    CU_ASSERT(strncmp(t.request, head, strlen(head)) == 0);
    lg_target_free(&t);
    hey_args_free(&a);
    /* a host name is looked up per connection; the lookup time is the DNS phase */
    CU_ASSERT_EQUAL_FATAL(hey_args_parse_command("hey http://localhost:9/", &a, NULL, &err), 0);
    CU_ASSERT_EQUAL_FATAL(lg_target_init(&t, &a, &err), 0);
    CU_ASSERT_EQUAL(t.dial_literal, 0);
    struct sockaddr_storage sa;
    socklen_t len;
    int64_t dns_ns = -1;
    CU_ASSERT_EQUAL(lg_target_lookup(&t, &sa, &len, &dns_ns), 0);
    CU_ASSERT(dns_ns > 0);
    CU_ASSERT_EQUAL(len, t.addr_len);
    lg_target_free(&t);
    hey_args_free(&a);
}

/* hey's HTTP/1.1 request bytes as HTTP/2 fields, the way Go's http2 transport encodes them. */
static void test_h2_fields(void) {
    const char req[] = "POST /v1/m:predict?x=1 HTTP/1.1\r\nHost: svc.example\r\n"
                       "User-Agent: hey/0.0.1\r\nContent-Length: 7\r\n"
                       "Content-Type: application/json\r\nConnection: close\r\n"
                       "X-Custom:  v  \r\n\r\n{\"x\":1}";
    char store[sizeof req];
    lg_h2_field f[16];
    const char *body;
    size_t body_len;
    int n = lg_h2_fields(req, sizeof req - 1, store, f, 16, &body, &body_len);
    CU_ASSERT_EQUAL_FATAL(n, 8);
    const char *want[8][2] = {{":method", "POST"},
                              {":scheme", "https"},
                              {":authority", "svc.example"},
                              {":path", "/v1/m:predict?x=1"},
                              {"user-agent", "hey/0.0.1"},
                              {"content-length", "7"},
                              {"content-type", "application/json"},
                              {"x-custom", "v  "}};
    for (int i = 0; i < n; i++) {
        CU_ASSERT_EQUAL(f[i].name_len, strlen(want[i][0]));
        CU_ASSERT(memcmp(f[i].name, want[i][0], f[i].name_len) == 0);
        CU_ASSERT_EQUAL(f[i].value_len, strlen(want[i][1]));
        CU_ASSERT(memcmp(f[i].value, want[i][1], f[i].value_len) == 0);
    }
    CU_ASSERT_EQUAL(body_len, 7);
    CU_ASSERT(memcmp(body, "{\"x\":1}", 7) == 0);
    /* no body, and bytes that are not a request */
    const char get[] = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    CU_ASSERT_EQUAL(lg_h2_fields(get, sizeof get - 1, store, f, 16, &body, &body_len), 4);
    CU_ASSERT_EQUAL(body_len, 0);
    CU_ASSERT_EQUAL(lg_h2_fields("GET /\r\n\r\n", 9, store, f, 16, &body, &body_len), -1);
    CU_ASSERT_EQUAL(lg_h2_fields(get, sizeof get - 1, store, f, 3, &body, &body_len), -1);
    const char cut[] = "GET / HTTP/1.1\r\nHost: h\r\n";
    CU_ASSERT_EQUAL(lg_h2_fields(cut, sizeof cut - 1, store, f, 16, &body, &body_len), -1);
}

static void test_trace_row(void) {
    const char *path = cu_write_temp(".csv", "");
    lg_trace t;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(lg_trace_open(&t, path, NULL, 0, &err), 0);
    lg_second *s = malloc(sizeof *s);
    lg_second_init(s);
    s->sent = 5;
    s->completed = 3;
    s->failed = 1;
    s->errors[LG_ERR_TIMEOUT] = 1;
    s->status_class[2] = 2;
    s->status_class[5] = 1;
    s->in_flight = 1;
    histogram_record(&s->latency, 1000);
    histogram_record(&s->latency, 2000);
    histogram_record(&s->latency, 3000);
    lg_trace_row(&t, 0, s, NULL);
    lg_second_init(s);
    lg_trace_row(&t, 1, s, NULL);
    free(s);
    CU_ASSERT_EQUAL(lg_trace_close(&t, &err), 0);
    char buf[2048] = {0};
    FILE *f = fopen(path, "r");
    CU_ASSERT_FATAL(f != NULL);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    CU_ASSERT_STRING_EQUAL(
        buf, "t_s,rps,sent,completed,failed,err_refused,err_reset,err_timeout,err_malformed,"
             "err_eof,err_truncated,err_tls,err_dial,err_io,err_proxy,err_redirect_limit,err_"
             "redirect_host,"
             "s1xx,s2xx,s3xx,s4xx,s5xx,s_other,"
             "p50_ms,"
             "p90_ms,p99_ms,max_ms,in_flight\n"
             "0,5,5,3,1,0,0,1,0,0,0,0,0,0,0,0,0,0,2,0,0,1,0,2.003,2.999,2.999,3.000,1\n" /* bucket
                                                                                            mids */
             "1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,,,,,0\n");
}

static void test_report_real_run(void) {
    histogram *h = malloc(sizeof *h);
    histogram_init(h);
    histogram_record(h, 100000);
    histogram_record(h, 200000);
    uint64_t *codes = calloc(HEY_STATUS_MAX, sizeof *codes);
    codes[503] = 1;
    codes[200] = 1;
    hey_phase ph[HEY_NPHASES] = {
        {20000, 0, 20000}, {0, 0, 0}, {2000, 1000, 1000}, {278000, 90000, 188000}, {0, 0, 0}};
    hey_error_line errs[] = {
        {"Get \"u\": dial", 0}, {"Get \"u\": EOF", 2}, {"Get \"u\": context", 1}};
    hey_view v = {.latency = h,
                  .total_us = 1000000,
                  .url = "u",
                  .phases = ph,
                  .status_counts = codes,
                  .errors = errs,
                  .n_errors = 3,
                  .size_total = 30};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hey_report_print(f, &v);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  Requests/sec:\t5.0000\n")); /* errors count too */
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  Total data:\t30 bytes\n  Size/request:\t15 bytes\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  DNS+dialup:\t0.0100 secs, 0.0000 secs, 0.0200 secs\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  resp wait:\t0.1390 secs, 0.0900 secs, 0.1880 secs\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Status code distribution:\n  [200]\t1 responses\n"
                                       "  [503]\t1 responses\n\nError distribution:\n"
                                       "  [2]\tGet \"u\": EOF\n  [1]\tGet \"u\": context\n\n"));
    CU_ASSERT_PTR_NULL(strstr(buf, "u\": dial")); /* a count of 0 prints no line */
    free(buf);
    free(codes);
    free(h);
}

static const cu_test tests[] = {
    {"hey's ticker", test_ticker},
    {"http: the fast path agrees with http-parser", test_http_fast_path},
    {"http-parser glue", test_http_glue},
    {"request bytes from hey's flags", test_request_bytes},
    {"-h2 and -x targets, lookups", test_target_h2_proxy},
    {"HTTP/2 fields of hey's request", test_h2_fields},
    {"trace CSV rows", test_trace_row},
    {"hey summary of a real run", test_report_real_run},
    {NULL, NULL},
};

int main(void) {
    cu_add_suite("loadgen parts", tests);
    return cu_run_all();
}
