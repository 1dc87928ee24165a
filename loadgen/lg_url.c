/* lg_url.c: percent escapes and user info as go1.19's src/net/url/url.go has them (shouldEscape,
 * escape, unescape, validEncoded, EscapedPath, EscapedFragment, parseAuthority, validUserinfo,
 * Userinfo.String), strconv.Quote for url.Error's %q, client.go's stripPassword and basicAuth
 * (lg_url.h). */
#include "loadgen/lg_url.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
        if (mode == LG_ESC_FRAGMENT)
            return 0;
    }
    /* go1.19: sub-delims a fragment keeps (issue 19917: not the single quote) */
    if (mode == LG_ESC_FRAGMENT && (c == '!' || c == '(' || c == ')' || c == '*'))
        return 0;
    return 1;
}

/* url.go validEncoded: may this path or fragment stay as written? */
static int valid_encoded(const char *s, size_t n, int mode) {
    for (size_t i = 0; i < n; i++)
        if (!strchr("!$&'()*+,;=:@[]%", s[i]) && lg_url_should_escape((unsigned char)s[i], mode))
            return 0;
    return 1;
}

long lg_url_escaped(const char *s, size_t n, int mode, char *out, size_t size) {
    if (valid_encoded(s, n, mode)) {
        if (n + 1 > size)
            return -1;
        memcpy(out, s, n);
        out[n] = 0;
        return (long)n;
    }
    char *raw = malloc(n + 1); /* unescaping only shortens */
    if (raw == NULL)
        return -1;
    size_t rawl = lg_url_unescape(s, n, raw);
    long k = lg_url_escape(raw, rawl, mode, out, size);
    free(raw);
    return k;
}

/* Runes unicode.IsPrint refuses (Cc, Cf, Z* but U+0020) in the ranges a URL may plausibly
 * carry; see lg_url.h */
static int unprintable(uint32_t r) {
    return (r >= 0x80 && r <= 0xa0) || r == 0xad || (r >= 0x2000 && r <= 0x200f) ||
           (r >= 0x2028 && r <= 0x202f) || (r >= 0x205f && r <= 0x206f) || r == 0xfeff;
}

int lg_utf8_rune(const unsigned char *s, uint32_t *r) {
    int k = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (k == 0)
        return 0;
    uint32_t v = s[0] & (0x7f >> k);
    for (int i = 1; i < k; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3f);
    }
    if ((k == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
        (k == 4 && (v < 0x10000 || v > 0x10ffff)))
        return 0;
    *r = v;
    return k;
}

void lg_url_quote(const char *s, char *out, size_t size) {
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (size < 3) {
        if (size)
            out[0] = 0;
        return;
    }
    out[o++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        char esc[12];
        size_t el = 0;
        uint32_t r = *p;
        int k = 1;
        if (*p >= 0x80)
            k = lg_utf8_rune(p, &r);
        if (k == 0) { /* invalid UTF-8: the byte as \xNN */
            k = 1;
            el = (size_t)snprintf(esc, sizeof esc, "\\x%c%c", hex[*p >> 4], hex[*p & 15]);
        } else if (r == '"' || r == '\\') {
            el = (size_t)snprintf(esc, sizeof esc, "\\%c", (char)r);
        } else if (r < 0x20 || r == 0x7f) {
            static const char ctl[] = "\a\b\f\n\r\t\v";
            const char *named = r != 0 ? strchr(ctl, (int)r) : NULL;
            if (named)
                el = (size_t)snprintf(esc, sizeof esc, "\\%c", "abfnrtv"[named - ctl]);
            else
                el = (size_t)snprintf(esc, sizeof esc, "\\x%c%c", hex[r >> 4], hex[r & 15]);
        } else if (unprintable(r)) {
            el = (size_t)snprintf(esc, sizeof esc, "\\u%04x", (unsigned)r);
        } else {
            memcpy(esc, p, (size_t)k);
            el = (size_t)k;
        }
        if (o + el + 2 > size)
            break;
        memcpy(out + o, esc, el);
        o += el;
        p += k;
    }
    out[o++] = '"';
    out[o] = 0;
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
