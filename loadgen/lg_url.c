/* lg_url.c: percent escapes and user info as go1.19's src/net/url/url.go has them (shouldEscape,
 * escape, unescape, parseAuthority, validUserinfo, Userinfo.String), client.go's stripPassword
 * and basicAuth (lg_url.h). */
#include "loadgen/lg_url.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int lg_url_should_escape(unsigned char c, int mode) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 0;
    if (mode == LG_ESC_HOST && c < 0x80 && strchr("!$&'()*+,;=:[]<>\"", c))
        return 0;
    if (c == '-' || c == '_' || c == '.' || c == '~')
        return 0;
    if (c < 0x80 && strchr("$&+,/:;=?@", c)) {
        if (mode == LG_ESC_PATH)
            return c == '?';
        if (mode == LG_ESC_USER)
            return c == '@' || c == '/' || c == '?' || c == ':';
    }
    return 1;
}

long lg_url_escape(const char *s, size_t n, int mode, char *out, size_t size) {
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (o + 4 > size)
            return -1;
        if (lg_url_should_escape(c, mode)) {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        } else {
            out[o++] = (char)c;
        }
    }
    if (o + 1 > size)
        return -1;
    out[o] = 0;
    return (long)o;
}

int lg_url_unhex(char c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

int lg_url_check_escapes(const char *s, size_t n, char *err, size_t esize) {
    for (size_t i = 0; i < n; i++)
        if (s[i] == '%' && (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) ||
                            !isxdigit((unsigned char)s[i + 2]))) {
            size_t k = n - i < 3 ? n - i : 3;
            snprintf(err, esize, "invalid URL escape \"%.*s\"", (int)k, s + i);
            return -1;
        }
    return 0;
}

size_t lg_url_unescape(const char *s, size_t n, char *out) {
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            out[o++] = (char)(lg_url_unhex(s[i + 1]) << 4 | lg_url_unhex(s[i + 2]));
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = 0;
    return o;
}

/* the bytes of s once unescaped (s checked) */
static size_t unescaped_len(const char *s, size_t n) {
    size_t k = n;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '%')
            k -= 2;
    return k;
}

int lg_userinfo_parse(const char *s, size_t n, lg_userinfo *u, char *err, size_t esize) {
    memset(u, 0, sizeof *u);
    for (size_t i = 0; i < n; i++) { /* validUserinfo: ASCII only (a byte >= 0x80 fails) */
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              (c != 0 && strchr("-._:~!$&'()*+,;=%@", c)))) {
            snprintf(err, esize, "net/url: invalid userinfo");
            return LG_USERINFO_BAD;
        }
    }
    const char *colon = memchr(s, ':', n); /* strings.Cut: the first ':' */
    size_t ul = colon ? (size_t)(colon - s) : n;
    const char *p = colon ? colon + 1 : s + n;
    size_t pl = colon ? n - ul - 1 : 0;
    if (lg_url_check_escapes(s, ul, err, esize) != 0 ||
        lg_url_check_escapes(p, pl, err, esize) != 0)
        return LG_USERINFO_BAD;
    if (unescaped_len(s, ul) > LG_USERINFO_MAX || unescaped_len(p, pl) > LG_USERINFO_MAX) {
        snprintf(err, esize, "user info over %d bytes", LG_USERINFO_MAX);
        return LG_USERINFO_LONG;
    }
    u->user_len = lg_url_unescape(s, ul, u->user);
    u->pass_len = lg_url_unescape(p, pl, u->pass);
    u->set = 1;
    u->pass_set = colon != NULL;
    return 0;
}

void lg_userinfo_named(const lg_userinfo *u, char *out, size_t size) {
    if (size == 0)
        return;
    out[0] = 0;
    if (!u->set)
        return;
    if (u->pass_set) {
        snprintf(out, size, "%.*s:***@", (int)u->user_len, u->user);
        return;
    }
    long k = lg_url_escape(u->user, u->user_len, LG_ESC_USER, out, size - 1);
    if (k < 0) {
        out[0] = 0;
        return;
    }
    out[k] = '@';
    out[k + 1] = 0;
}

void lg_userinfo_basic(const lg_userinfo *u, char *out) {
    char up[2 * LG_USERINFO_MAX + 2];
    size_t ul = u->user_len, pl = u->pass_len;
    memcpy(up, u->user, ul);
    up[ul] = ':';
    memcpy(up + ul + 1, u->pass, pl);
    lg_base64(up, ul + 1 + pl, out);
}

void lg_base64(const char *in, size_t n, char *out) {
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)(unsigned char)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)(unsigned char)in[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)in[i + 2];
        out[o++] = tab[(v >> 18) & 63];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = 0;
}
