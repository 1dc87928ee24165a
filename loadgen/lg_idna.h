/* lg_idna.h: a host name outside ASCII as Go's net/http sends and dials it (go1.19
 * src/net/http/request.go idnaASCII, used by cleanHost for the Host header and the request
 * line, and transport.go canonicalAddr for the dial address and the connection key): a host
 * that is all ASCII is left alone; any other goes through golang.org/x/net/idna's Lookup
 * profile (UTS #46, non-transitional since go1.18: ß stays ß; STD3 rules; hyphen, joiner and
 * bidi checks; no DNS length check), here libidn2's idn2_lookup_u8 with IDN2_NONTRANSITIONAL
 * and IDN2_USE_STD3_ASCII_RULES. Where the conversion fails Go uses the host as written (the
 * lookup then fails: lg_go_domain_name).
 *
 * Where libidn2 (IDNA2008 on UTS #46 mapping) and x/net/idna (UTS #46 alone) differ:
 * libidn2 refuses what IDNA2008 disallows and UTS #46 allows (symbols such as emoji: Go
 * converts 😀 to xn--e28h); libidn2 drops ASCII that STD3 forbids where Go fails, so such
 * bytes are refused here first, as Go does; an error names the label as written (ASCII lower
 * case), where Go names it after mapping (NFC, lower case of the rest). */
#ifndef SCALESIM_LOADGEN_LG_IDNA_H
#define SCALESIM_LOADGEN_LG_IDNA_H

#include <stddef.h>

/* host (UTF-8, NUL-terminated, unescaped) as idnaASCII converts it, into out (size bytes).
 * 0 with the ASCII form (host itself when all ASCII); -1 with Go's error text in err:
 * `idna: invalid label "bü-"` (hyphens, joiners, bad punycode, bidi), `idna: disallowed rune
 * U+005F` (a rune STD3 or IDNA forbids), or, when out is too small, `idna: host too long`. */
int lg_idna_host(const char *host, char *out, size_t size, char *err, size_t esize);

/* A URL's host that is not plain ASCII, as Go's net/http takes it: url.Parse unescapes it
 * (parseHost), the transport dials and sends its IDNA form (lg_idna_host), or the unescaped host
 * itself where IDNA fails, and URL.String escapes it again (encodeHost). host[0..n): as written
 * in the URL, escapes already checked. Writes the dialed form into dial (NUL-terminated) and the
 * named one into named; returns the length of named, or -1 when either buffer is too small. */
long lg_idna_url_host(const char *host, size_t n, char *dial, size_t dsize, char *named,
                      size_t nsize);

/* go1.19 net/dnsclient.go isDomainName: only such a name is asked of DNS; Go's resolver
 * fails any other with `lookup NAME: no such host` (no server named). */
int lg_go_domain_name(const char *s);

#endif
