/* lg_idna.c: IDNA of a host outside ASCII with libidn2, as Go's idnaASCII converts it
 * (lg_idna.h), and Go's isDomainName. */
#include "loadgen/lg_idna.h"

#include <ctype.h>
#include <idn2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "loadgen/lg_http.h"
#include "loadgen/lg_url.h"

/* x/net/idna's Lookup profile as libidn2 has it (lg_idna.h) */
#define IDNA_FLAGS (IDN2_NONTRANSITIONAL | IDN2_USE_STD3_ASCII_RULES)

static int convert(const char *s, char *out, size_t size) {
    char *a = NULL;
    int rc = idn2_lookup_u8((const uint8_t *)s, (uint8_t **)&a, IDNA_FLAGS);
    if (rc == IDN2_OK && strlen(a) >= size)
        rc = IDN2_TOO_BIG_DOMAIN;
    if (rc == IDN2_OK)
        memcpy(out, a, strlen(a) + 1);
    idn2_free(a);
    return rc;
}

/* The first rune Go's validateAndMap calls disallowed (runeError), or -1: ASCII outside
 * STD3's letters, digits, '-' and '.' (libidn2 drops some of these silently), invalid UTF-8
 * (U+FFFD), a rune libidn2 refuses alone as disallowed or unassigned. */
static long disallowed_rune(const char *host) {
    char one[8], tmp[64];
    for (const unsigned char *p = (const unsigned char *)host; *p;) {
        uint32_t r = *p;
        int k = 1;
        if (*p < 0x80) {
            if (!isalnum(*p) && *p != '-' && *p != '.')
                return (long)r;
        } else if ((k = lg_utf8_rune(p, &r)) == 0) {
            return 0xfffd;
        } else {
            memcpy(one, p, (size_t)k);
            one[k] = 0;
            int rc = convert(one, tmp, sizeof tmp);
            if (rc == IDN2_DISALLOWED || rc == IDN2_UNASSIGNED)
                return (long)r;
        }
        p += k;
    }
    return -1;
}

int lg_idna_host(const char *host, char *out, size_t size, char *err, size_t esize) {
    int ascii = 1;
    for (const char *p = host; *p; p++)
        ascii = ascii && (unsigned char)*p < 0x80;
    if (ascii) { /* idnaASCII: ascii.Is(v) returns v */
        if (strlen(host) >= size) {
            snprintf(err, esize, "idna: host too long");
            return -1;
        }
        memcpy(out, host, strlen(host) + 1);
        return 0;
    }
    int rc = convert(host, out, size);
    long bad = -1;
    int ascii_bad = 0;
    for (const char *p = host; *p; p++)
        ascii_bad = ascii_bad || ((unsigned char)*p < 0x80 && !isalnum((unsigned char)*p) &&
                                  *p != '-' && *p != '.');
    if (rc == IDN2_OK && !ascii_bad)
        return 0;
    if (rc == IDN2_TOO_BIG_DOMAIN || rc == IDN2_TOO_BIG_LABEL) {
        /* Lookup has no DNS length check: only what does not fit here */
        snprintf(err, esize, "idna: host too long");
        return -1;
    }
    if ((bad = disallowed_rune(host)) >= 0) {
        snprintf(err, esize, "idna: disallowed rune U+%04lX", (unsigned long)bad);
        return -1;
    }
    /* a label of its own fails (hyphens, joiners, punycode): Go's labelError names it, an
     * A-label's without its xn-- (punyError) */
    char label[256], tmp[256];
    for (const char *p = host; *p;) {
        size_t n = strcspn(p, ".");
        if (n > 0 && n < sizeof label) {
            memcpy(label, p, n);
            label[n] = 0;
            if (convert(label, tmp, sizeof tmp) != IDN2_OK) {
                for (char *c = label; *c; c++)
                    *c = (char)tolower((unsigned char)*c);
                char q[4 * sizeof label + 3];
                lg_url_quote(strncmp(label, "xn--", 4) == 0 ? label + 4 : label, q, sizeof q);
                snprintf(err, esize, "idna: invalid label %s", q);
                return -1;
            }
        }
        p += n;
        if (*p == '.')
            p++;
    }
    char q[1024]; /* the labels together (bidi): Go names the whole name */
    lg_url_quote(host, q, sizeof q);
    snprintf(err, esize, "idna: invalid label %s", q);
    return -1;
}

long lg_idna_url_host(const char *host, size_t n, char *dial, size_t dsize, char *named,
                      size_t nsize) {
    char raw[LG_HTTP_LOCATION_MAX + 1], idn[256], ierr[128];
    if (n >= sizeof raw)
        return -1;
    lg_url_unescape(host, n, raw); /* only shrinks */
    const char *h = lg_idna_host(raw, idn, sizeof idn, ierr, sizeof ierr) == 0 ? idn : raw;
    int w = snprintf(dial, dsize, "%s", h);
    if (w < 0 || (size_t)w >= dsize)
        return -1;
    return lg_url_escape(raw, strlen(raw), LG_ESC_HOST, named, nsize);
}

int lg_go_domain_name(const char *s) {
    size_t l = strlen(s);
    if (strcmp(s, ".") == 0)
        return 1;
    if (l == 0 || l > 254 || (l == 254 && s[l - 1] != '.'))
        return 0;
    char last = '.';
    int non_numeric = 0;
    size_t part = 0;
    for (size_t i = 0; i < l; i++) {
        char c = s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
            non_numeric = 1;
            part++;
        } else if (c >= '0' && c <= '9') {
            part++;
        } else if (c == '-') {
            if (last == '.') /* the byte before a dash cannot be a dot */
                return 0;
            part++;
            non_numeric = 1;
        } else if (c == '.') {
            if (last == '.' || last == '-' || part > 63 || part == 0)
                return 0;
            part = 0;
        } else {
            return 0;
        }
        last = c;
    }
    return last != '-' && part <= 63 && non_numeric;
}
