/* parse.c: a whole cron expression -> cron_schedule, per dialect: the optional CRON_TZ=/TZ=
 * prefix (standard only), descriptors, splitting into fields and the field count rules.
 *
 * Sources: ringtail/go-cron cfb21c1 parser.go (Parse with Second|Minute|Hour|Dom|Month|
 * DowOptional|Descriptor: 5 or 6 fields, a missing sixth is "*") for cronhpa, and robfig/cron
 * v3.0.1 parser.go (ParseStandard: Minute|Hour|Dom|Month|Dow|Descriptor, exactly 5 fields,
 * seconds fixed at 0, the zone prefix) for standard. Fields are split like Go's strings.Fields,
 * on any Unicode white space. */
#include <stdlib.h>
#include <string.h>

#include "sim/control/cron/internal.h"

int cron_dialect_parse(const char *name, cron_dialect *out, sim_error *err) {
    if (strcmp(name, "cronhpa") == 0)
        *out = CRON_DIALECT_CRONHPA;
    else if (strcmp(name, "standard") == 0)
        *out = CRON_DIALECT_STANDARD;
    else
        return error_set(err, "unknown cron dialect \"%s\" (expected cronhpa or standard)", name);
    return 0;
}

const char *cron_dialect_name(cron_dialect dialect) {
    return dialect == CRON_DIALECT_CRONHPA ? "cronhpa" : "standard";
}

size_t cron_space_len(const char *p) {
    const unsigned char *u = (const unsigned char *)p;
    if (*u == ' ' || (*u >= '\t' && *u <= '\r'))
        return 1;
    if (u[0] == 0xc2 && (u[1] == 0x85 || u[1] == 0xa0)) /* NEL, NO-BREAK SPACE */
        return 2;
    if (u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80) /* U+1680 */
        return 3;
    if (u[0] == 0xe2 && u[1] == 0x80 &&
        ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xa8 || u[2] == 0xa9 ||
         u[2] == 0xaf)) /* U+2000-200A, 2028/9, 202F */
        return 3;
    if (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f) /* U+205F */
        return 3;
    if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) /* U+3000 */
        return 3;
    return 0;
}

/* robfig v3's zone prefix: "TZ=Zone rest" or "CRON_TZ=Zone rest"; the zone name runs from the
 * '=' to the first ASCII space, and the rest is trimmed of white space. */
static int zone_prefix(const char *expr, cron_schedule *s, const char **rest, sim_error *err) {
    const char *eq = strchr(expr, '=');
    const char *sp = strchr(expr, ' ');
    if (sp == NULL) /* robfig v3 slices past the end here and panics: report it as an error */
        return error_set(err, "zone prefix \"%s\" must be followed by a space and the schedule",
                         expr);
    char name[256];
    size_t n = (size_t)(sp - eq - 1);
    if (n >= sizeof name)
        return error_set(err, "zone prefix: time zone name too long");
    memcpy(name, eq + 1, n);
    name[n] = '\0';
    /* "Local" is the caller's zone, which is what a schedule without a prefix uses. */
    if (strcmp(name, "Local") != 0 && cron_zone_load(name, &s->zone, err) != 0)
        return error_prefix(err, "zone prefix");
    *rest = sp;
    return 0;
}

static int parse_fields(const char *text, cron_dialect dialect, cron_schedule *s, sim_error *err) {
    const char *tok[8];
    size_t len[8];
    int n = 0;
    const char *p = text;
    for (;;) {
        size_t k;
        while ((k = cron_space_len(p)) > 0)
            p += k;
        if (*p == '\0')
            break;
        const char *start = p;
        while (*p && cron_space_len(p) == 0)
            p++;
        if (n < 8) {
            tok[n] = start;
            len[n] = (size_t)(p - start);
        }
        n++;
    }
    s->nfields = n;
    const char *fields[CRON_NFIELDS] = {"0", "0", "0", "*", "*", "*"};
    size_t flen[CRON_NFIELDS] = {1, 1, 1, 1, 1, 1};
    if (dialect == CRON_DIALECT_CRONHPA) {
        if (n < 5 || n > 6)
            return error_set(err,
                             "expected 5 or 6 fields (second minute hour day-of-month month "
                             "[day-of-week]), found %d%s",
                             n, n == 7 ? "; there is no year field" : "");
        for (int i = 0; i < n; i++) {
            fields[i] = tok[i];
            flen[i] = len[i];
        }
    } else {
        if (n != 5)
            return error_set(err,
                             "expected exactly 5 fields (minute hour day-of-month month "
                             "day-of-week), found %d%s",
                             n, n == 6 ? "; the standard dialect has no seconds field" : "");
        for (int i = 0; i < n; i++) {
            fields[i + 1] = tok[i];
            flen[i + 1] = len[i];
        }
    }
    s->kind = CRON_SPEC;
    for (int f = 0; f < CRON_NFIELDS; f++)
        if (cron_field_parse(fields[f], flen[f], f, dialect == CRON_DIALECT_CRONHPA, &s->bits[f],
                             err) != 0)
            return -1;
    return 0;
}

static int parse_inner(const char *expr, cron_dialect dialect, cron_schedule *s, sim_error *err) {
    if (expr[0] == '\0')
        return error_set(err, "empty expression");
    const char *spec = expr;
    char *trimmed = NULL;
    if (dialect == CRON_DIALECT_STANDARD &&
        (strncmp(expr, "TZ=", 3) == 0 || strncmp(expr, "CRON_TZ=", 8) == 0)) {
        const char *rest;
        if (zone_prefix(expr, s, &rest, err) != 0)
            return -1;
        size_t k;
        while ((k = cron_space_len(rest)) > 0)
            rest += k;
        trimmed = strdup(rest);
        if (trimmed == NULL)
            return error_set(err, "out of memory");
        /* Trim trailing white space too (Go's strings.TrimSpace): walk forward, remembering
         * where the last non-space character ended. */
        char *end = trimmed, *q = trimmed;
        while (*q) {
            size_t sl = cron_space_len(q);
            if (sl) {
                q += sl;
            } else {
                q++;
                end = q;
            }
        }
        *end = '\0';
        spec = trimmed;
    }
    int rc = spec[0] == '@' ? cron_descriptor_parse(spec, dialect, s, err)
                            : parse_fields(spec, dialect, s, err);
    free(trimmed);
    return rc;
}

int cron_parse(const char *expr, cron_dialect dialect, cron_schedule *out, sim_error *err) {
    memset(out, 0, sizeof *out);
    out->dialect = dialect;
    if (parse_inner(expr, dialect, out, err) != 0) {
        cron_schedule_free(out);
        return error_prefix(err, "cron: \"%s\"", expr);
    }
    return 0;
}

void cron_schedule_free(cron_schedule *s) {
    cron_zone_free(s->zone);
    s->zone = NULL;
}
