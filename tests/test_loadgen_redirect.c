/* test_loadgen_redirect.c: lg_redirect_next without a server: Location resolution against
 * RFC 3986 5.4's examples as go1.19's url.ResolveReference answers them (src/net/url/
 * url_test.go, resolveReferenceTests), the hop's request bytes (Host, -host, credentials,
 * Referer, -x absolute form), the origin key, and Go's error texts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hey_args.h"
#include "loadgen/lg_idna.h"
#include "loadgen/lg_redirect.h"
#include "loadgen/lg_stats.h"
#include "loadgen/lg_target.h"
#include "tests/support/cu.h"

static lg_target target_of(const char *command) {
    hey_args a;
    sim_error err;
    lg_target t;
    memset(&t, 0, sizeof t);
    CU_ASSERT_EQUAL_FATAL(hey_args_parse_command(command, &a, NULL, &err), 0);
    CU_ASSERT_EQUAL_FATAL(lg_target_init(&t, &a, &err), 0);
    hey_args_free(&a);
    return t;
}

/* The request line's target after one redirect to loc, or the error text. */
static void hop(const lg_target *t, const char *loc, char *out, size_t size) {
    lg_redirect r = {0};
    char why[600];
    lg_redirect_reset(&r, t);
    int rc = lg_redirect_next(&r, t, 302, loc, strlen(loc), why, sizeof why);
    if (rc == LG_REDIRECT_FOLLOW) {
        const char *sp = strchr(r.req, ' ') + 1;
        snprintf(out, size, "%.*s", (int)(strstr(sp, " HTTP/1.1\r\n") - sp), sp);
    } else {
        snprintf(out, size, "%d %s", rc, why);
    }
    lg_redirect_free(&r);
}

/* RFC 3986 5.4.1 and 5.4.2 with base http://a/b/c/d;p?q (here 127.0.0.1, which resolves) */
static void test_rfc3986_examples(void) {
    lg_target t = target_of("hey 'http://127.0.0.1/b/c/d;p?q'");
    static const char *const cases[][2] = {
        {"g", "/b/c/g"},
        {"./g", "/b/c/g"},
        {"g/", "/b/c/g/"},
        {"/g", "/g"},
        {"?y", "/b/c/d;p?y"},
        {"g?y", "/b/c/g?y"},
        {"#s", "/b/c/d;p?q"},
        {"g#s", "/b/c/g"},
        {"g?y#s", "/b/c/g?y"},
        {";x", "/b/c/;x"},
        {"g;x", "/b/c/g;x"},
        {"g;x?y#s", "/b/c/g;x?y"},
        /* "" is no Location for Go's client (Header.Get): the 3xx is the response */
        {".", "/b/c/"},
        {"./", "/b/c/"},
        {"..", "/b/"},
        {"../", "/b/"},
        {"../g", "/b/g"},
        {"../..", "/"},
        {"../../", "/"},
        {"../../g", "/g"},
        {"../../../g", "/g"},
        {"../../../../g", "/g"},
        {"/./g", "/g"},
        {"/../g", "/g"},
        {"g.", "/b/c/g."},
        {".g", "/b/c/.g"},
        {"g..", "/b/c/g.."},
        {"..g", "/b/c/..g"},
        {"./../g", "/b/g"},
        {"./g/.", "/b/c/g/"},
        {"g/./h", "/b/c/g/h"},
        {"g/../h", "/b/c/h"},
        {"g;x=1/./y", "/b/c/g;x=1/y"},
        {"g;x=1/../y", "/b/c/y"},
        {"g?y/./x", "/b/c/g?y/./x"},
        {"g?y/../x", "/b/c/g?y/../x"},
        {"g#s/./x", "/b/c/g"},
        {"g#s/../x", "/b/c/g"},
        /* absolute: dot segments go too (ResolveReference: resolvePath(ref, "")) */
        {"http://127.0.0.1/a/./b/../c", "/a/c"},
        {"http://127.0.0.1", "/"},
        {"http://127.0.0.1?x", "/?x"},
        {"?", "/b/c/d;p?"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[700];
        hop(&t, cases[i][0], got, sizeof got);
        if (strcmp(got, cases[i][1]) != 0)
            printf("\n  %s: got %s, want %s", cases[i][0], got, cases[i][1]);
        CU_ASSERT_STRING_EQUAL(got, cases[i][1]);
    }
    lg_target_free(&t);
}

/* The whole next request of one redirect. */
static char *next_request(const lg_target *t, const char *loc, lg_redirect *r) {
    char why[600];
    lg_redirect_reset(r, t);
    int rc = lg_redirect_next(r, t, 302, loc, strlen(loc), why, sizeof why);
    CU_ASSERT_EQUAL_FATAL(rc, LG_REDIRECT_FOLLOW);
    char *s = malloc(r->len + 1);
    memcpy(s, r->req, r->len);
    s[r->len] = 0;
    return s;
}

static void test_headers(void) {
    lg_redirect r = {0};
    /* credentials: kept on the same host:port and a subdomain, dropped elsewhere */
    lg_target t = target_of("hey -H 'Authorization: Bearer t' -H 'Cookie: k=v' -H 'X-A: 1' "
                            "http://localhost:8080/p");
    char *q = next_request(&t, "http://sub.localhost:8080/x", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nAuthorization: Bearer t\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nHost: sub.localhost:8080\r\n"));
    CU_ASSERT_EQUAL(r.away, 1);
    CU_ASSERT_STRING_EQUAL(r.key, "http|sub.localhost|8080");
    free(q);
    q = next_request(&t, "http://localhost:8081/x", &r);
    CU_ASSERT_PTR_NULL(strstr(q, "Authorization"));
    CU_ASSERT_PTR_NULL(strstr(q, "Cookie"));
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nX-A: 1\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nReferer: http://localhost:8080/p\r\n"));
    free(q);
    q = next_request(&t, "/same", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nAuthorization: Bearer t\r\n"));
    CU_ASSERT_EQUAL(r.away, 0);
    free(q);
    lg_redirect_free(&r);
    lg_target_free(&t);
    /* -host: kept for a relative Location (a scheme-relative one too), not for an absolute */
    t = target_of("hey -host h.test http://127.0.0.1:8080/p");
    q = next_request(&t, "/x", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "GET /x HTTP/1.1\r\nHost: h.test\r\n"));
    free(q);
    q = next_request(&t, "http://127.0.0.1:8080/x", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "GET /x HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"));
    free(q);
    q = next_request(&t, "https://127.0.0.1/x", &r);
    CU_ASSERT_STRING_EQUAL(r.sni, "h.test"); /* hey's tls.Config ServerName */
    CU_ASSERT_STRING_EQUAL(r.key, "https|127.0.0.1|443");
    free(q);
    lg_redirect_free(&r);
    lg_target_free(&t);
    /* no Referer from https to http */
    t = target_of("hey https://127.0.0.1:8443/p");
    q = next_request(&t, "http://127.0.0.1:8080/x", &r);
    CU_ASSERT_PTR_NULL(strstr(q, "Referer"));
    free(q);
    lg_redirect_free(&r);
    lg_target_free(&t);
    /* -x: absolute form for http, every http origin on the proxy's connection; CONNECT for
     * https */
    t = target_of("hey -x http://127.0.0.1:3128 http://127.0.0.1:8080/p");
    q = next_request(&t, "http://127.0.0.1:9090/x?y", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "GET http://127.0.0.1:9090/x?y HTTP/1.1\r\n"));
    CU_ASSERT_STRING_EQUAL(r.key, "proxy");
    CU_ASSERT_EQUAL(r.away, 0);
    free(q);
    q = next_request(&t, "https://localhost:9443/x", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "GET /x HTTP/1.1\r\n"));
    CU_ASSERT_STRING_EQUAL(r.connect, "CONNECT localhost:9443 HTTP/1.1\r\nHost: localhost:9443\r\n"
                                      "User-Agent: Go-http-client/1.1\r\n\r\n");
    CU_ASSERT_EQUAL(r.away, 1);
    free(q);
    lg_redirect_free(&r);
    lg_target_free(&t);
}

static void test_errors(void) {
    lg_target t = target_of("hey http://127.0.0.1:8080/p");
    static const char *const cases[][2] = {
        {"ftp://x/y", "3 \"ftp://x/y\": unsupported protocol scheme \"ftp\""},
        {"mailto:a@b", "3 \"mailto:a@b\": unsupported protocol scheme \"mailto\""},
        {"http:g", "3 \"http:g\": http: no Host in request URL"},
        {"http:///x", "3 \"http:///x\": http: no Host in request URL"},
        {"http://[::1/x", "4 \"http://127.0.0.1:8080/p\": failed to parse Location header "
                          "\"http://[::1/x\": parse \"http://[::1/x\": missing ']' in host"},
        {"http://h:8x/", "4 \"http://127.0.0.1:8080/p\": failed to parse Location header "
                         "\"http://h:8x/\": parse \"http://h:8x/\": invalid port \":8x\" after "
                         "host"},
        {"a:b/c", "3 \"a:b/c\": unsupported protocol scheme \"a\""},
        {"/a%zzb", "4 \"http://127.0.0.1:8080/p\": failed to parse Location header \"/a%zzb\": "
                   "parse \"/a%zzb\": invalid URL escape \"%zz\""},
        {":x", "4 \"http://127.0.0.1:8080/p\": failed to parse Location header \":x\": parse "
               "\":x\": missing protocol scheme"},
        {"http://h:99999/", "3 \"http://h:99999/\": dial tcp: address 99999: invalid port"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[700];
        hop(&t, cases[i][0], got, sizeof got);
        if (strcmp(got, cases[i][1]) != 0)
            printf("\n  %s: got %s", cases[i][0], got);
        CU_ASSERT_STRING_EQUAL(got, cases[i][1]);
    }
    lg_target_free(&t);
}

/* Expected values printed by go1.19.8's own url.Parse / RequestURI here (base
 * http://127.0.0.1:8080/p), and its client.go send for the user info. */
static void test_escaping_and_user_info(void) {
    lg_target t = target_of("hey http://127.0.0.1:8080/p");
    static const char *const cases[][2] = {
        {"/a b", "/a%20b"},
        {"/\xc3\xa9", "/%C3%A9"},
        {"/a b/%41!*()", "/a%20b/A%21%2A%28%29"},
        {"/x?a b&\xc3\xa9", "/x?a b&\xc3\xa9"}, /* RawQuery as written */
        {"a b/../c d", "/c%20d"},
        {"http://127.0.0.1/a b?c d", "/a%20b?c d"},
        {"/a%2Fb c", "/a/b%20c"},
        {"/a\"<>\\^`{|}", "/a%22%3C%3E%5C%5E%60%7B%7C%7D"},
        {"/%41!*()", "/%41!*()"}, /* validly encoded: kept as written */
        {"http://127.0.0.1:8/[x]", "/[x]"},
        {"http://a b/x", "4 \"http://127.0.0.1:8080/p\": failed to parse Location header "
                         "\"http://a b/x\": parse \"http://a b/x\": invalid character \" \" in "
                         "host name"},
        {"http://a%41/x", "4 \"http://127.0.0.1:8080/p\": failed to parse Location header "
                          "\"http://a%41/x\": parse \"http://a%41/x\": invalid URL escape "
                          "\"%41\""},
        {"http://u p@h/x", "4 \"http://127.0.0.1:8080/p\": failed to parse Location header "
                           "\"http://u p@h/x\": parse \"http://u p@h/x\": net/url: invalid "
                           "userinfo"},
        {"http://u%3:p@h/x", "4 \"http://127.0.0.1:8080/p\": failed to parse Location header "
                             "\"http://u%3:p@h/x\": parse \"http://u%3:p@h/x\": invalid URL "
                             "escape \"%3\""},
        {"/x\x01", "4 \"http://127.0.0.1:8080/p\": failed to parse Location header "
                   "\"/x\\x01\": parse \"/x\\x01\": net/url: invalid control character in URL"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[700];
        hop(&t, cases[i][0], got, sizeof got);
        if (strcmp(got, cases[i][1]) != 0)
            printf("\n  %s: got %s, want %s", cases[i][0], got, cases[i][1]);
        CU_ASSERT_STRING_EQUAL(got, cases[i][1]);
    }
    /* user info: basic auth of the unescaped name and password (base64 of "u x:p:"), kept on
     * a relative redirect after it, never in the Referer; not when Authorization is copied */
    lg_redirect r = {0};
    char *q = next_request(&t, "http://u%20x:p%3A@localhost:8080/x", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "GET /x HTTP/1.1\r\nHost: localhost:8080\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nAuthorization: Basic dSB4OnA6\r\n"));
    free(q);
    char why[600], url[700];
    lg_redirect_url(&r, url, sizeof url); /* stripPassword: the name unescaped */
    CU_ASSERT_STRING_EQUAL(url, "http://u x:***@localhost:8080/x");
    CU_ASSERT_EQUAL(lg_redirect_next(&r, &t, 302, "/y", 2, why, sizeof why), LG_REDIRECT_FOLLOW);
    r.req[r.len - 1] = 0;
    CU_ASSERT_PTR_NOT_NULL(strstr(r.req, "\r\nAuthorization: Basic dSB4OnA6\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.req, "\r\nReferer: http://localhost:8080/x\r\n"));
    q = next_request(&t, "//u@localhost:8080/x", &r); /* no password: "u:" */
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nAuthorization: Basic dTo=\r\n"));
    lg_redirect_url(&r, url, sizeof url);
    CU_ASSERT_STRING_EQUAL(url, "http://u@localhost:8080/x");
    free(q);
    q = next_request(&t, "http://localhost:8080/x", &r); /* none */
    CU_ASSERT_PTR_NULL(strstr(q, "Authorization"));
    free(q);
    lg_redirect_free(&r);
    lg_target_free(&t);
    t = target_of("hey -H 'Authorization: Bearer t' http://127.0.0.1:8080/p");
    q = next_request(&t, "http://u:p@127.0.0.1:8080/x", &r); /* same host: Bearer copied */
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nAuthorization: Bearer t\r\n"));
    CU_ASSERT_PTR_NULL(strstr(q, "Basic"));
    free(q);
    q = next_request(&t, "http://u:p@localhost:8080/x", &r); /* another host: Bearer dropped */
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nAuthorization: Basic dTpw\r\n"));
    CU_ASSERT_PTR_NULL(strstr(q, "Bearer"));
    free(q);
    lg_redirect_free(&r);
    lg_target_free(&t);
}

/* The request's header block as a string (for strstr). */
static char *request_of(const lg_redirect *r) {
    char *s = malloc(r->len + 1);
    memcpy(s, r->req, r->len);
    s[r->len] = 0;
    return s;
}

/* User info in the command-line URL is the target's User (go1.19 url.URL.User), not a header:
 * client.go send adds its basic auth to a copy of each request whose URL has a User and no
 * Authorization header, so a relative Location keeps it (ResolveReference keeps the base's
 * User), an absolute one drops it (same host too) or brings its own, and a -H Authorization is
 * copied as a header instead. Expected values as real hey 0.1.4 sent them to nginx
 * (tests/cli/loadgen_redirect_origin.sh). */
static void test_url_user_info(void) {
    lg_target t = target_of("hey 'http://u%20x:p@127.0.0.1:8080/p'");
    CU_ASSERT_PTR_NOT_NULL(strstr(t.request, "GET /p HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t.request, "\r\nAuthorization: Basic dSB4OnA=\r\n"));
    CU_ASSERT_STRING_EQUAL(t.url_named, "http://u x:***@127.0.0.1:8080/p");
    CU_ASSERT_EQUAL(t.user.set, 1);
    CU_ASSERT_STRING_EQUAL(t.user.user, "u x");
    CU_ASSERT_STRING_EQUAL(t.user.pass, "p");
    lg_redirect r = {0};
    char url[700], why[600];
    /* relative: the User stays, as basic auth and in error texts; never in the Referer */
    char *q = next_request(&t, "/x", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nAuthorization: Basic dSB4OnA=\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nReferer: http://127.0.0.1:8080/p\r\n"));
    CU_ASSERT_PTR_NULL(strstr(strstr(q, "Authorization") + 1, "Authorization")); /* once */
    lg_redirect_url(&r, url, sizeof url);
    CU_ASSERT_STRING_EQUAL(url, "http://u x:***@127.0.0.1:8080/x");
    free(q);
    CU_ASSERT_EQUAL(lg_redirect_next(&r, &t, 302, "y", 1, why, sizeof why), LG_REDIRECT_FOLLOW);
    q = request_of(&r);
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nAuthorization: Basic dSB4OnA=\r\n"));
    free(q);
    /* then absolute to the same host: no User, and nothing copied (Go drops it) */
    CU_ASSERT_EQUAL(lg_redirect_next(&r, &t, 302, "http://127.0.0.1:8080/z", 23, why, sizeof why),
                    LG_REDIRECT_FOLLOW);
    q = request_of(&r);
    CU_ASSERT_PTR_NULL(strstr(q, "Authorization"));
    lg_redirect_url(&r, url, sizeof url);
    CU_ASSERT_STRING_EQUAL(url, "http://127.0.0.1:8080/z");
    free(q);
    /* absolute, same host, first hop */
    q = next_request(&t, "http://127.0.0.1:8080/x", &r);
    CU_ASSERT_PTR_NULL(strstr(q, "Authorization"));
    free(q);
    /* another host */
    q = next_request(&t, "http://localhost:8081/x", &r);
    CU_ASSERT_PTR_NULL(strstr(q, "Authorization"));
    free(q);
    /* a Location with its own user info */
    q = next_request(&t, "http://a:b@127.0.0.1:8080/x", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nAuthorization: Basic YTpi\r\n"));
    CU_ASSERT_PTR_NULL(strstr(q, "dSB4OnA="));
    free(q);
    /* the one that answered is named with `user:***@` in a parse error */
    char got[700];
    hop(&t, "/a%zz", got, sizeof got);
    CU_ASSERT_STRING_EQUAL(got, "4 \"http://u x:***@127.0.0.1:8080/p\": failed to parse Location "
                                "header \"/a%zz\": parse \"/a%zz\": invalid URL escape \"%zz\"");
    lg_redirect_free(&r);
    lg_target_free(&t);

    /* no password: "u:"; named escaped, as URL.String writes it (hey: `uA@`) */
    t = target_of("hey 'http://u%41@127.0.0.1:8080/p'");
    CU_ASSERT_PTR_NOT_NULL(strstr(t.request, "\r\nAuthorization: Basic dUE6\r\n"));
    CU_ASSERT_STRING_EQUAL(t.url_named, "http://uA@127.0.0.1:8080/p");
    q = next_request(&t, "/x", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nAuthorization: Basic dUE6\r\n"));
    lg_redirect_url(&r, url, sizeof url);
    CU_ASSERT_STRING_EQUAL(url, "http://uA@127.0.0.1:8080/x");
    free(q);
    lg_redirect_free(&r);
    lg_target_free(&t);

    /* -H Authorization wins over the user info and is a header: copied to the same host
     * (absolute Location too), dropped on another */
    t = target_of("hey -H 'Authorization: Bearer t' 'http://u:p@127.0.0.1:8080/p'");
    CU_ASSERT_PTR_NOT_NULL(strstr(t.request, "\r\nAuthorization: Bearer t\r\n"));
    CU_ASSERT_PTR_NULL(strstr(t.request, "Basic"));
    q = next_request(&t, "http://127.0.0.1:8080/x", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nAuthorization: Bearer t\r\n"));
    free(q);
    q = next_request(&t, "/x", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nAuthorization: Bearer t\r\n"));
    CU_ASSERT_PTR_NULL(strstr(q, "Basic"));
    free(q);
    q = next_request(&t, "http://localhost:8080/x", &r);
    CU_ASSERT_PTR_NULL(strstr(q, "Authorization"));
    free(q);
    lg_redirect_free(&r);
    lg_target_free(&t);

    /* -a (loadgen's; hey loses it): a header like -H, used only without user info */
    t = target_of("hey -a ab:cd 'http://u:p@127.0.0.1:8080/p'");
    CU_ASSERT_PTR_NOT_NULL(strstr(t.request, "\r\nAuthorization: Basic dTpw\r\n"));
    CU_ASSERT_PTR_NULL(strstr(t.request, "YWI6Y2Q="));
    lg_target_free(&t);
    t = target_of("hey -a ab:cd http://127.0.0.1:8080/p");
    CU_ASSERT_PTR_NOT_NULL(strstr(t.request, "\r\nAuthorization: Basic YWI6Y2Q=\r\n"));
    CU_ASSERT_EQUAL(t.user_auth, 0);
    q = next_request(&t, "http://127.0.0.1:8080/x", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nAuthorization: Basic YWI6Y2Q=\r\n"));
    free(q);
    lg_redirect_free(&r);
    lg_target_free(&t);

    /* -x: never in the absolute request line nor in Host, on the first hop or a relative one */
    t = target_of("hey -x http://127.0.0.1:3128 'http://u:p@127.0.0.1:8080/p'");
    CU_ASSERT_PTR_NOT_NULL(
        strstr(t.request, "GET http://127.0.0.1:8080/p HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"));
    q = next_request(&t, "/x", &r);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(q, "GET http://127.0.0.1:8080/x HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nAuthorization: Basic dTpw\r\n"));
    free(q);
    lg_redirect_free(&r);
    lg_target_free(&t);

    /* bad user info fails as go1.19's url.Parse says */
    static const char *const bad[][2] = {
        {"hey 'http://u p@127.0.0.1:8080/p'", "net/url: invalid userinfo"},
        {"hey 'http://u%zz:p@127.0.0.1:8080/p'", "invalid URL escape \"%zz\""},
        {"hey 'http://u:p%4@127.0.0.1:8080/p'", "invalid URL escape \"%4\""},
        {"hey 'http://\xc3\xa9@127.0.0.1:8080/p'", "net/url: invalid userinfo"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hey_args a;
        sim_error err;
        lg_target bt;
        CU_ASSERT_EQUAL_FATAL(hey_args_parse_command(bad[i][0], &a, NULL, &err), 0);
        CU_ASSERT_EQUAL(lg_target_init(&bt, &a, &err), -1);
        if (strstr(err.msg, bad[i][1]) == NULL)
            printf("\n  %s: %s", bad[i][0], err.msg);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[i][1]));
        hey_args_free(&a);
    }
}

/* The server named in `lookup NAME on SERVER`, from resolv.conf files as go1.19's
 * dnsReadConfig reads them. */
static void test_dns_server(void) {
    static const char *const cases[][2] = {
        {"nameserver 10.255.255.53\nnameserver 1.1.1.1\n", "10.255.255.53:53"},
        {"# nameserver 9.9.9.9\n; x\nsearch a b\nnameserver\tdns.example\n"
         "nameserver  01.2.3.4\nnameserver 127.0.0.53 # stub\n",
         "127.0.0.53:53"}, /* comments, a name and a leading zero skipped */
        {"nameserver fe80::1%eth0\n", "[fe80::1%eth0]:53"},
        {"search x\n", "127.0.0.1:53"}, /* defaultNS */
    };
    char path[] = "/tmp/test_resolv_XXXXXX", got[80];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int fd = mkstemp(path);
        CU_ASSERT_FATAL(fd >= 0);
        FILE *f = fdopen(fd, "w");
        fputs(cases[i][0], f);
        fclose(f);
        lg_dns_server(path, got, sizeof got);
        remove(path);
        memcpy(path + strlen(path) - 6, "XXXXXX", 6);
        CU_ASSERT_STRING_EQUAL(got, cases[i][1]);
    }
    lg_dns_server("/nonexistent/resolv.conf", got, sizeof got);
    CU_ASSERT_STRING_EQUAL(got, "127.0.0.1:53");
}

/* The command-line URL as Go's URL.String names it in error texts (client.go stripPassword,
 * then url.Error's %q) and its request target as URL.RequestURI writes it. Expected values
 * printed by go1.19.8's url.Parse, String and RequestURI here. */
static void test_command_line_url(void) {
    static const char *const cases[][3] = {
        /* URL, String() (stripPassword), RequestURI() */
        {"http://127.0.0.1:8080/a b", "http://127.0.0.1:8080/a%20b", "/a%20b"},
        {"http://127.0.0.1:8080/\xc3\xbc", "http://127.0.0.1:8080/%C3%BC", "/%C3%BC"},
        {"http://127.0.0.1:8080/x?q=a b", "http://127.0.0.1:8080/x?q=a b", "/x?q=a b"},
        {"http://127.0.0.1:8080/a%2Fb c?q=\xc3\xbc\"\\",
         "http://127.0.0.1:8080/a/b%20c?q=\xc3\xbc\"\\", "/a/b%20c?q=\xc3\xbc\"\\"},
        {"HTTP://127.0.0.1:8080/a#fr ag(!)\xc3\xa9", "http://127.0.0.1:8080/a#fr%20ag(!)%C3%A9",
         "/a"},
        {"http://127.0.0.1:8080?x", "http://127.0.0.1:8080?x", "/?x"},
        {"http://127.0.0.1:8080", "http://127.0.0.1:8080", "/"},
        {"http://127.0.0.1:8080/%41#%41", "http://127.0.0.1:8080/%41#%41", "/%41"},
        {"http://u%20x:p@127.0.0.1:8080/a b", "http://u x:***@127.0.0.1:8080/a%20b", "/a%20b"},
        {"http://127.0.0.1:8080/p?", "http://127.0.0.1:8080/p?", "/p?"},
        {"http://127.0.0.1:8080/a'\"<>", "http://127.0.0.1:8080/a%27%22%3C%3E", "/a%27%22%3C%3E"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hey_args a;
        sim_error err;
        lg_target t;
        const char *argv[] = {cases[i][0]};
        CU_ASSERT_EQUAL_FATAL(hey_args_parse_argv(1, (char *const *)argv, &a, NULL, &err), 0);
        CU_ASSERT_EQUAL_FATAL(lg_target_init(&t, &a, &err), 0);
        char line[600];
        snprintf(line, sizeof line, "GET %s HTTP/1.1\r\n", cases[i][2]);
        if (strcmp(t.url_named, cases[i][1]) != 0 || strncmp(t.request, line, strlen(line)))
            printf("\n  %s: got %s, %.*s", cases[i][0], t.url_named, (int)strcspn(t.request, "\r"),
                   t.request);
        CU_ASSERT_STRING_EQUAL(t.url_named, cases[i][1]);
        CU_ASSERT_NSTRING_EQUAL(t.request, line, strlen(line));
        CU_ASSERT_STRING_EQUAL(t.path, cases[i][2]); /* the base of a first redirect */
        lg_target_free(&t);
        hey_args_free(&a);
    }
    /* url.Error's %q: quotes and backslashes escaped, bytes Go does not print as \x or \u */
    char text[700];
    lg_err_text(LG_ERR_REFUSED, "Get",
                "http://h/x?q=\"\\\xc3\xbc\xc2\xa0\xff\xe2\x80\x8b\xe2\x80\x90", "127.0.0.1:9",
                text, sizeof text);
    CU_ASSERT_STRING_EQUAL(text,
                           "Get \"http://h/x?q=\\\"\\\\\xc3\xbc\\u00a0\\xff\\u200b\xe2\x80\x90\": "
                           "dial tcp 127.0.0.1:9: connect: connection refused");
    /* what url.Parse refuses, hey before the run */
    static const char *const bad[][2] = {
        {"http://127.0.0.1:8080/a%zz", "invalid URL escape \"%zz\""},
        {"http://127.0.0.1:8080/a#%4", "invalid URL escape \"%4\""},
        {"http://127.0.0.1:8080/a\tb", "net/url: invalid control character in URL"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hey_args a;
        sim_error err;
        lg_target t;
        const char *argv[] = {bad[i][0]};
        CU_ASSERT_EQUAL_FATAL(hey_args_parse_argv(1, (char *const *)argv, &a, NULL, &err), 0);
        CU_ASSERT_EQUAL(lg_target_init(&t, &a, &err), -1);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[i][1]));
        lg_target_free(&t);
        hey_args_free(&a);
    }
}

/* A host outside ASCII as Go's idnaASCII converts it; expected values printed by go1.19.8's
 * vendored golang.org/x/net/idna Lookup.ToASCII here (where Go fails, its error text). */
static void test_idna(void) {
    static const char *const ok[][2] = {
        {"b\xc3\xbc"
         "cher.example",
         "xn--bcher-kva.example"},
        {"B\xc3\x9c"
         "cher.Example",
         "xn--bcher-kva.example"}, /* mapped to lower case */
        {"b\xc3\xbc"
         "cher.example.",
         "xn--bcher-kva.example."}, /* the root's dot kept */
        {"stra\xc3\x9f"
         "e.example",
         "xn--strae-oqa.example"},                 /* non-transitional: ß stays */
        {"\xc3\xbc..example", "xn--tda..example"}, /* no DNS length check */
        {"xn--bcher-kva.\xc3\xbc", "xn--bcher-kva.xn--tda"},
        {"\xc3\xbc\xe3\x80\x82"
         "example",
         "xn--tda.example"}, /* U+3002 is a dot */
        {"\xc3\x96"
         "BB.at",
         "xn--bb-eka.at"},
        {"localhost", "localhost"}, /* ASCII: as it is (ascii.Is) */
        {"ab--c.example", "ab--c.example"},
    };
    char out[256], err[128];
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int rc = lg_idna_host(ok[i][0], out, sizeof out, err, sizeof err);
        if (rc != 0 || strcmp(out, ok[i][1]) != 0)
            printf("\n  %s: rc %d %s %s", ok[i][0], rc, rc ? err : out, ok[i][1]);
        CU_ASSERT_EQUAL(rc, 0);
        CU_ASSERT_STRING_EQUAL(out, ok[i][1]);
    }
    static const char *const bad[][2] = {
        {"b\xc3\xbc-.example", "idna: invalid label \"b\xc3\xbc-\""},
        {"b\xc3\xbc_x.example", "idna: disallowed rune U+005F"},
        {"xn--zz.b\xc3\xbc", "idna: invalid label \"zz\""},
        {"ab--c.\xc3\xbc", "idna: invalid label \"ab--c\""},
        {"a\xe2\x80\x8c"
         "b.\xc3\xbc",
         "idna: invalid label \"a\\u200cb\""},
        {"\xc3\xbc.-x", "idna: invalid label \"-x\""},
        {"\xc3\xbc\xff", "idna: disallowed rune U+FFFD"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = lg_idna_host(bad[i][0], out, sizeof out, err, sizeof err);
        if (rc != -1 || strcmp(err, bad[i][1]) != 0)
            printf("\n  %s: rc %d %s, want %s", bad[i][0], rc, rc ? err : out, bad[i][1]);
        CU_ASSERT_EQUAL(rc, -1);
        CU_ASSERT_STRING_EQUAL(err, bad[i][1]);
    }
    /* Go's isDomainName: what its resolver asks DNS about */
    CU_ASSERT_TRUE(lg_go_domain_name("xn--bcher-kva.example"));
    CU_ASSERT_TRUE(lg_go_domain_name("a_b.example."));
    CU_ASSERT_FALSE(lg_go_domain_name("xn--tda..example"));
    CU_ASSERT_FALSE(lg_go_domain_name("b\xc3\xbc-.example"));
    CU_ASSERT_FALSE(lg_go_domain_name("a-.b"));
    CU_ASSERT_FALSE(lg_go_domain_name("127.1"));

    /* a Location with such a host: dialed, keyed and sent (Host, -x request line) in its IDNA
     * form, named escaped in error texts and the next Referer (as hey sent it to a proxy) */
    lg_target t = target_of("hey -x http://127.0.0.1:9 http://127.0.0.1:8080/p");
    lg_redirect r = {0};
    char *q = next_request(&t,
                           "http://B\xc3\x9c"
                           "cher.Example.:81/x",
                           &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(
        q,
        "GET http://xn--bcher-kva.example.:81/x HTTP/1.1\r\nHost: xn--bcher-kva.example.:81\r\n"));
    free(q);
    CU_ASSERT_STRING_EQUAL(r.host, "xn--bcher-kva.example.");
    char url[LG_REDIRECT_URL_MAX], why[600];
    lg_redirect_url(&r, url, sizeof url);
    CU_ASSERT_STRING_EQUAL(url, "http://B%C3%9Ccher.Example.:81/x");
    CU_ASSERT_EQUAL(lg_redirect_next(&r, &t, 302, "/y", 2, why, sizeof why), LG_REDIRECT_FOLLOW);
    r.req[r.len - 1] = 0;
    CU_ASSERT_PTR_NOT_NULL(strstr(r.req, "\r\nReferer: http://B%C3%9Ccher.Example.:81/x\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.req, "GET http://xn--bcher-kva.example.:81/y HTTP/1.1\r\n"));
    q = next_request(&t, "http://b\xc3\xbc-.example/x", &r); /* IDNA fails: as written */
    CU_ASSERT_PTR_NOT_NULL(
        strstr(q, "GET http://b\xc3\xbc-.example/x HTTP/1.1\r\nHost: b\xc3\xbc-.example\r\n"));
    free(q);
    lg_lookup_error(&t, r.host, url, sizeof url);
    CU_ASSERT_STRING_EQUAL(url, "lookup b\xc3\xbc-.example"); /* not asked of DNS */
    lg_redirect_free(&r);
    lg_target_free(&t);
    /* the command-line URL's host too (as hey sent it to a proxy), escaped ones included */
    t = target_of("hey -x http://127.0.0.1:9 'http://B\xc3\x9c"
                  "cher.example:9/p'");
    CU_ASSERT_PTR_NOT_NULL(strstr(
        t.request,
        "GET http://xn--bcher-kva.example:9/p HTTP/1.1\r\nHost: xn--bcher-kva.example:9\r\n"));
    CU_ASSERT_STRING_EQUAL(t.url_named, "http://B%C3%9Ccher.example:9/p");
    CU_ASSERT_STRING_EQUAL(t.key, "proxy");
    q = next_request(&t, "/y", &r);
    CU_ASSERT_PTR_NOT_NULL(strstr(
        q, "GET http://xn--bcher-kva.example:9/y HTTP/1.1\r\nHost: xn--bcher-kva.example:9\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nReferer: http://B%C3%9Ccher.example:9/p\r\n"));
    free(q);
    lg_redirect_free(&r);
    lg_target_free(&t);
    t = target_of("hey -x http://127.0.0.1:9 'https://b%c3%bc"
                  "cher.example/p'");
    CU_ASSERT_STRING_EQUAL(t.sni, "xn--bcher-kva.example");
    CU_ASSERT_PTR_NOT_NULL(strstr(t.connect, "CONNECT xn--bcher-kva.example:443 HTTP/1.1\r\n"));
    CU_ASSERT_STRING_EQUAL(t.url_named, "https://b%C3%BCcher.example/p");
    lg_target_free(&t);
}

/* A Location's fragment is not sent but is part of the hop's URL (ResolveReference takes the
 * reference's, an empty reference keeps the base's): error texts and the next Referer name it.
 * Expected values printed by go1.19.8's ResolveReference(...).String() here. */
static void test_fragment(void) {
    lg_target t = target_of("hey 'http://127.0.0.1:8080/p#top'");
    static const char *const cases[][2] = {
        {"#", "http://127.0.0.1:8080/p#top"},
        {"#s", "http://127.0.0.1:8080/p#s"},
        {"/y#f g", "http://127.0.0.1:8080/y#f%20g"},
        {"/y", "http://127.0.0.1:8080/y"},
        {"?q#(x)'", "http://127.0.0.1:8080/p?q#(x)'"},
        {"http://u:p@h/z#a%41", "http://u:***@h/z#a%41"},
    };
    lg_redirect r = {0};
    char url[LG_REDIRECT_URL_MAX], why[600];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *q = next_request(&t, cases[i][0], &r);
        CU_ASSERT_PTR_NULL(memchr(q, '#', strcspn(q, "\r"))); /* never on the request line */
        free(q);
        lg_redirect_url(&r, url, sizeof url);
        if (strcmp(url, cases[i][1]) != 0)
            printf("\n  %s: got %s", cases[i][0], url);
        CU_ASSERT_STRING_EQUAL(url, cases[i][1]);
    }
    char *q = next_request(&t, "/y#f g", &r); /* the first hop's Referer has the URL's */
    CU_ASSERT_PTR_NOT_NULL(strstr(q, "\r\nReferer: http://127.0.0.1:8080/p#top\r\n"));
    free(q);
    CU_ASSERT_EQUAL(lg_redirect_next(&r, &t, 302, "/z", 2, why, sizeof why), LG_REDIRECT_FOLLOW);
    r.req[r.len - 1] = 0;
    CU_ASSERT_PTR_NOT_NULL(strstr(r.req, "\r\nReferer: http://127.0.0.1:8080/y#f%20g\r\n"));
    lg_redirect_free(&r);
    char got[700];
    hop(&t, "/y#%zz", got, sizeof got);
    CU_ASSERT_STRING_EQUAL(got, "4 \"http://127.0.0.1:8080/p#top\": failed to parse Location "
                                "header \"/y#%zz\": parse \"/y#%zz\": invalid URL escape \"%zz\"");
    lg_target_free(&t);
}

static const cu_test tests[] = {
    {"a Location's fragment in the hop's URL", test_fragment},
    {"hosts outside ASCII as Go's IDNA converts them", test_idna},
    {"the command-line URL as Go's URL.String and RequestURI", test_command_line_url},
    {"the DNS server named as Go's resolver names it", test_dns_server},
    {"Location escaping and user info as go1.19 does", test_escaping_and_user_info},
    {"the command-line URL's user info is Go's URL.User", test_url_user_info},
    {"RFC 3986 5.4 examples as Go resolves them", test_rfc3986_examples},
    {"hop headers: credentials, -host, Referer, -x", test_headers},
    {"Go's error texts for Locations not followed", test_errors},
    {NULL, NULL},
};

int main(void) {
    cu_add_suite("loadgen redirects", tests);
    return cu_run_all();
}
