/* lg_url.h: the pieces of go1.19's net/url (src/net/url/url.go) that lg_target and lg_redirect
 * share: percent escapes (shouldEscape, escape, unescape's check, EscapedPath and
 * EscapedFragment), Go's %q of a URL in error texts (strconv.Quote) and a URL's user info (Go's
 * URL.User): parsed once here as parseAuthority parses it, written as client.go's
 * stripPassword writes it into error texts, and sent as client.go's send sends it (basic auth).
 *
 * An lg_userinfo is plain data (no allocation): the name and password unescaped, each at most
 * LG_USERINFO_MAX bytes. */
#ifndef SCALESIM_LOADGEN_LG_URL_H
#define SCALESIM_LOADGEN_LG_URL_H

#include <stddef.h>
#include <stdint.h>

/* the escaping modes used here (url.go encodePath, encodeUserPassword, encodeHost,
 * encodeFragment) */
enum { LG_ESC_PATH, LG_ESC_USER, LG_ESC_HOST, LG_ESC_FRAGMENT };

/* url.go shouldEscape for those modes */
int lg_url_should_escape(unsigned char c, int mode);

/* url.go escape of n bytes (never '+' for a space in these modes) into out, NUL-terminated;
 * the length written, or -1 when it does not fit in size */
long lg_url_escape(const char *s, size_t n, int mode, char *out, size_t size);

/* The value of one hex digit (0-9, a-f, A-F; the caller checked it is one). */
int lg_url_unhex(char c);

/* unescape's check: every '%' followed by two hex digits; else -1 with Go's
 * `invalid URL escape "%zz"` in err. */
int lg_url_check_escapes(const char *s, size_t n, char *err, size_t esize);

/* url.go unescape of a checked string into out (at least n + 1 bytes), NUL-terminated; returns
 * the length. */
size_t lg_url_unescape(const char *s, size_t n, char *out);

/* url.go EscapedPath (mode LG_ESC_PATH) or EscapedFragment (LG_ESC_FRAGMENT) of a path or
 * fragment as written (n bytes, its escapes checked): kept as written when it is validly
 * encoded (validEncoded), else unescaped and escaped again (a space as %20, a byte outside
 * ASCII as %XX, and then %41 as A). Into out, NUL-terminated; 3 * n + 1 bytes always fit. The
 * length, or -1 when it does not fit in size. */
long lg_url_escaped(const char *s, size_t n, int mode, char *out, size_t size);

/* Go's %q of s (strconv.Quote), as url.Error writes the URL in `Get "URL": ...`: quotes around,
 * '"' and '\\' escaped, control bytes as \a \b \f \n \r \t \v or \xNN, invalid UTF-8 as
 * \xNN, valid UTF-8 kept except the runes unicode.IsPrint refuses among U+0080-U+00AD,
 * U+2000-U+206F and U+FEFF (\u00a0...; other unprintable runes are kept: rare in a URL). Cut
 * at size (always NUL-terminated). */
void lg_url_quote(const char *s, char *out, size_t size);

/* The length of the valid UTF-8 sequence at s (NUL-terminated; Go's utf8.DecodeRune: shortest
 * form, no surrogates, at most U+10FFFF) with its rune in *r; 0 when invalid. */
int lg_utf8_rune(const unsigned char *s, uint32_t *r);

#define LG_USERINFO_MAX 255

typedef struct lg_userinfo {
    int set;      /* the URL has user info (Go's URL.User != nil) */
    int pass_set; /* a ':' was written: a password, possibly "" */
    char user[LG_USERINFO_MAX + 1], pass[LG_USERINFO_MAX + 1]; /* unescaped, NUL-terminated */
    size_t user_len, pass_len; /* their lengths (an escaped %00 is a byte of them) */
} lg_userinfo;

enum { LG_USERINFO_BAD = -1, LG_USERINFO_LONG = -2 };

/* The user info s (n bytes, what comes before the authority's last '@') as go1.19's
 * parseAuthority takes it: validUserinfo (ASCII letters, digits and -._:~!$&'()*+,;=%@), split
 * at the first ':', name and password unescaped each. 0; LG_USERINFO_BAD with Go's text in
 * err (`net/url: invalid userinfo`, `invalid URL escape "%zz"`); LG_USERINFO_LONG when valid
 * but a part is over LG_USERINFO_MAX bytes unescaped. */
int lg_userinfo_parse(const char *s, size_t n, lg_userinfo *u, char *err, size_t esize);

/* The user info as client.go stripPassword names it in error texts: "name:***@" (the name
 * unescaped) with a password, "name@" (escaped, as URL.String writes it) without, "" when
 * none. size >= 3 * LG_USERINFO_MAX + 8 always fits. */
void lg_userinfo_named(const lg_userinfo *u, char *out, size_t size);

/* client.go send, basicAuth: base64 of "name:password" (password "" when none), without the
 * "Basic " prefix; out holds LG_USERINFO_BASIC_SIZE bytes. */
#define LG_USERINFO_BASIC_SIZE (4 * ((2 * LG_USERINFO_MAX + 1 + 2) / 3) + 1)
void lg_userinfo_basic(const lg_userinfo *u, char *out);

/* Standard base64 (with '=' padding) of n bytes into out, which holds 4 * ((n + 2) / 3) + 1. */
void lg_base64(const char *in, size_t n, char *out);

#endif
