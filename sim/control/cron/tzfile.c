/* tzfile.c: TZif reader and Go-compatible zone queries for the cron engine; see tzfile.h.
 * Rules reimplemented from RFC 8536 (file layout) and go1.19 src/time/zoneinfo.go,
 * zoneinfo_read.go and time.go (lookup, lookupFirstZone, tzset, Date), whose answers the cron
 * conformance vectors were generated with. */
#include "sim/control/cron/tzfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/control/cron/civil.h"

#define TZIF_MAX_BYTES (4 << 20) /* real files are < 4 KiB; this only stops silly inputs */

enum { RULE_JULIAN, RULE_DOY, RULE_MONTH_WEEK_DAY };

typedef struct tz_rule {
    int kind;
    int day, week, mon;
    int time_s; /* local time of day of the change */
} tz_rule;

struct cron_zone {
    char name[128];
    int ntx;
    int64_t *tx_when;
    uint8_t *tx_index;
    int nzone;
    int32_t *zone_off;
    uint8_t *zone_isdst;
    int first_zone; /* Go's lookupFirstZone */
    /* Footer TZ string, parsed once (Go parses it on every lookup, with the same result). */
    int ext_ok, ext_dst;
    int32_t std_off, dst_off; /* seconds east, Go's sign convention */
    tz_rule start, end;
};

/* ---- footer TZ string (POSIX TZ as extended by tzcode), Go's tzsetName/Offset/Rule/Num ---- */

static int tz_num(const char **s, int min, int max, int *out) {
    const char *p = *s;
    int num = 0;
    if (*p == '\0')
        return 0;
    int i = 0;
    for (; p[i] >= '0' && p[i] <= '9'; i++) {
        num = num * 10 + (p[i] - '0');
        if (num > max)
            return 0;
    }
    if (i == 0 || num < min)
        return 0;
    *s = p + i;
    *out = num;
    return 1;
}

static int tz_name(const char **s) {
    const char *p = *s;
    if (*p == '\0')
        return 0;
    if (*p == '<') {
        const char *close = strchr(p, '>');
        if (close == NULL)
            return 0;
        *s = close + 1;
        return 1;
    }
    size_t i = 0;
    for (; p[i]; i++) {
        if ((p[i] >= '0' && p[i] <= '9') || p[i] == ',' || p[i] == '-' || p[i] == '+') {
            if (i < 3)
                return 0;
            *s = p + i;
            return 1;
        }
    }
    if (i < 3)
        return 0;
    *s = p + i;
    return 1;
}

static int tz_offset(const char **s, int *out) {
    const char *p = *s;
    if (*p == '\0')
        return 0;
    int neg = 0;
    if (*p == '+')
        p++;
    else if (*p == '-') {
        p++;
        neg = 1;
    }
    int hours, mins, secs;
    if (!tz_num(&p, 0, 24 * 7, &hours))
        return 0;
    int off = hours * 3600;
    if (*p == ':') {
        p++;
        if (!tz_num(&p, 0, 59, &mins))
            return 0;
        off += mins * 60;
        if (*p == ':') {
            p++;
            if (!tz_num(&p, 0, 59, &secs))
                return 0;
            off += secs;
        }
    }
    *out = neg ? -off : off;
    *s = p;
    return 1;
}

static int tz_rule_parse(const char **s, tz_rule *r) {
    const char *p = *s;
    if (*p == '\0')
        return 0;
    memset(r, 0, sizeof *r);
    if (*p == 'J') {
        p++;
        if (!tz_num(&p, 1, 365, &r->day))
            return 0;
        r->kind = RULE_JULIAN;
    } else if (*p == 'M') {
        p++;
        if (!tz_num(&p, 1, 12, &r->mon) || *p != '.')
            return 0;
        p++;
        if (!tz_num(&p, 1, 5, &r->week) || *p != '.')
            return 0;
        p++;
        if (!tz_num(&p, 0, 6, &r->day))
            return 0;
        r->kind = RULE_MONTH_WEEK_DAY;
    } else {
        if (!tz_num(&p, 0, 365, &r->day))
            return 0;
        r->kind = RULE_DOY;
    }
    r->time_s = 2 * 3600; /* 02:00 is the default */
    if (*p == '/') {
        p++;
        if (!tz_offset(&p, &r->time_s))
            return 0;
    }
    *s = p;
    return 1;
}

static void parse_footer(cron_zone *z, const char *s) {
    z->ext_ok = 0;
    if (!tz_name(&s) || !tz_offset(&s, &z->std_off))
        return;
    z->std_off = -z->std_off; /* POSIX offsets are west of Greenwich */
    if (*s == '\0' || *s == ',') {
        z->ext_dst = 0;
        z->ext_ok = 1;
        return;
    }
    if (!tz_name(&s))
        return;
    if (*s == '\0' || *s == ',') {
        z->dst_off = z->std_off + 3600;
    } else {
        if (!tz_offset(&s, &z->dst_off))
            return;
        z->dst_off = -z->dst_off;
    }
    if (*s == '\0')
        s = ",M3.2.0,M11.1.0"; /* tzcode's default rules */
    if (*s != ',' && *s != ';')
        return;
    s++;
    if (!tz_rule_parse(&s, &z->start) || *s != ',')
        return;
    s++;
    if (!tz_rule_parse(&s, &z->end) || *s != '\0')
        return;
    z->ext_dst = 1;
    z->ext_ok = 1;
}

/* Seconds since the start of `year` (UTC) at which rule r takes effect; Go's tzruleTime. */
static int64_t rule_time(int64_t year, const tz_rule *r, int32_t off) {
    static const int days_before[13] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};
    int64_t s = 0;
    switch (r->kind) {
    case RULE_JULIAN:
        s = (int64_t)(r->day - 1) * 86400;
        if (civil_is_leap(year) && r->day >= 60)
            s += 86400;
        break;
    case RULE_DOY:
        s = (int64_t)r->day * 86400;
        break;
    default: {
        /* Zeller's congruence: weekday of the first day of the month. */
        int64_t m1 = (r->mon + 9) % 12 + 1;
        int64_t yy0 = r->mon <= 2 ? year - 1 : year;
        int64_t yy1 = yy0 / 100, yy2 = yy0 % 100;
        int64_t dow = ((26 * m1 - 2) / 10 + 1 + yy2 + yy2 / 4 + yy1 / 4 - 2 * yy1) % 7;
        if (dow < 0)
            dow += 7;
        int64_t d = r->day - dow;
        if (d < 0)
            d += 7;
        for (int i = 1; i < r->week; i++) {
            if (d + 7 >= civil_days_in_month(year, r->mon))
                break;
            d += 7;
        }
        d += days_before[r->mon - 1];
        if (civil_is_leap(year) && r->mon > 2)
            d++;
        s = d * 86400;
    }
    }
    return s + r->time_s - off;
}

static int32_t footer_offset(const cron_zone *z, int64_t sec) {
    if (!z->ext_dst)
        return z->std_off;
    civil_time ct;
    civil_from_seconds(sec, &ct);
    int64_t ysec = (int64_t)ct.yday * 86400 + sec % 86400; /* Go's truncating % */
    int64_t start = rule_time(ct.year, &z->start, z->std_off);
    int64_t end = rule_time(ct.year, &z->end, z->dst_off);
    int32_t std = z->std_off, dst = z->dst_off;
    if (end < start) { /* southern hemisphere: the year starts in DST */
        int64_t t = start;
        start = end;
        end = t;
        int32_t o = std;
        std = dst;
        dst = o;
    }
    if (ysec < start || ysec >= end)
        return std;
    return dst;
}

int32_t cron_zone_offset(const cron_zone *z, int64_t sec) {
    if (z == NULL || z->nzone == 0)
        return 0;
    if (z->ntx == 0 || sec < z->tx_when[0])
        return z->zone_off[z->first_zone];
    int lo = 0, hi = z->ntx;
    while (hi - lo > 1) {
        int m = lo + (hi - lo) / 2;
        if (sec < z->tx_when[m])
            hi = m;
        else
            lo = m;
    }
    if (lo == z->ntx - 1 && z->ext_ok)
        return footer_offset(z, sec);
    return z->zone_off[z->tx_index[lo]];
}

int64_t cron_zone_date(const cron_zone *z, int64_t wall) {
    /* Go's Date: guess with the offset at the wall time read as UTC; keep it when the instant
     * it gives lies in the same offset period, else use the offset at that instant. Checking
     * "same period" is the same as checking the offset there, so this is two lookups. */
    int32_t off = cron_zone_offset(z, wall);
    if (off == 0)
        return wall;
    return wall - cron_zone_offset(z, wall - off);
}

const char *cron_zone_name(const cron_zone *z) {
    return z ? z->name : "UTC";
}

void cron_zone_free(cron_zone *z) {
    if (z == NULL)
        return;
    free(z->tx_when);
    free(z->tx_index);
    free(z->zone_off);
    free(z->zone_isdst);
    free(z);
}

/* ---- TZif reading ---- */

typedef struct reader {
    const unsigned char *p;
    size_t left;
} reader;

static const unsigned char *take(reader *r, size_t n) {
    if (n > r->left)
        return NULL;
    const unsigned char *p = r->p;
    r->p += n;
    r->left -= n;
    return p;
}

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p) {
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

enum { N_UTLOCAL, N_STDWALL, N_LEAP, N_TIME, N_TYPE, N_CHAR };

static int read_header(reader *r, char *version, uint32_t n[6]) {
    const unsigned char *h = take(r, 44);
    if (h == NULL || memcmp(h, "TZif", 4) != 0)
        return -1;
    *version = (char)h[4];
    for (int i = 0; i < 6; i++)
        n[i] = be32(h + 20 + 4 * i);
    /* Counts beyond the size limit cannot be real; also keeps the size sums below from
     * overflowing. */
    for (int i = 0; i < 6; i++)
        if (n[i] > TZIF_MAX_BYTES)
            return -1;
    return 0;
}

int cron_zone_from_tzif(const char *name, const unsigned char *data, size_t len, cron_zone **out,
                        sim_error *err) {
    reader r = {data, len};
    char version;
    uint32_t n[6];
    if (read_header(&r, &version, n) != 0)
        return error_set(err, "time zone \"%s\": not a TZif file", name);
    if (version != 0 && version != '2' && version != '3' && version != '4')
        return error_set(err, "time zone \"%s\": unsupported TZif version", name);
    int is64 = version != 0;
    if (is64) {
        size_t skip = (size_t)n[N_TIME] * 5 + (size_t)n[N_TYPE] * 6 + n[N_CHAR] +
                      (size_t)n[N_LEAP] * 8 + n[N_STDWALL] + n[N_UTLOCAL];
        if (take(&r, skip) == NULL || read_header(&r, &version, n) != 0)
            return error_set(err, "time zone \"%s\": truncated TZif file", name);
    }
    size_t tsize = is64 ? 8 : 4;
    const unsigned char *times = take(&r, n[N_TIME] * tsize);
    const unsigned char *idx = take(&r, n[N_TIME]);
    const unsigned char *types = take(&r, (size_t)n[N_TYPE] * 6);
    const unsigned char *chars = take(&r, n[N_CHAR]);
    const unsigned char *rest =
        take(&r, (size_t)n[N_LEAP] * (tsize + 4) + n[N_STDWALL] + n[N_UTLOCAL]);
    if (times == NULL || idx == NULL || types == NULL || chars == NULL || rest == NULL)
        return error_set(err, "time zone \"%s\": truncated TZif file", name);
    if (n[N_TYPE] == 0)
        return error_set(err, "time zone \"%s\": TZif file has no local time types", name);
    (void)chars;

    cron_zone *z = calloc(1, sizeof *z);
    if (z == NULL)
        return error_set(err, "time zone \"%s\": out of memory", name);
    snprintf(z->name, sizeof z->name, "%s", name);
    z->nzone = (int)n[N_TYPE];
    /* Go adds a transition at the beginning of time when there is none. */
    z->ntx = n[N_TIME] ? (int)n[N_TIME] : 1;
    z->zone_off = malloc(sizeof(int32_t) * z->nzone);
    z->zone_isdst = malloc((size_t)z->nzone);
    z->tx_when = malloc(sizeof(int64_t) * z->ntx);
    z->tx_index = malloc((size_t)z->ntx);
    if (!z->zone_off || !z->zone_isdst || !z->tx_when || !z->tx_index) {
        cron_zone_free(z);
        return error_set(err, "time zone \"%s\": out of memory", name);
    }
    for (int i = 0; i < z->nzone; i++) {
        z->zone_off[i] = (int32_t)be32(types + 6 * i);
        z->zone_isdst[i] = types[6 * i + 4] != 0;
        if (types[6 * i + 5] >= n[N_CHAR]) {
            cron_zone_free(z);
            return error_set(err, "time zone \"%s\": bad abbreviation index", name);
        }
    }
    if (n[N_TIME] == 0) {
        z->tx_when[0] = INT64_MIN;
        z->tx_index[0] = 0;
    }
    for (uint32_t i = 0; i < n[N_TIME]; i++) {
        z->tx_when[i] = is64 ? be64(times + 8 * i) : (int32_t)be32(times + 4 * i);
        z->tx_index[i] = idx[i];
        if (idx[i] >= n[N_TYPE]) {
            cron_zone_free(z);
            return error_set(err, "time zone \"%s\": bad transition type index", name);
        }
    }
    /* Go's lookupFirstZone: the zone for instants before the first transition. */
    int used0 = 0;
    for (int i = 0; i < z->ntx; i++)
        used0 |= z->tx_index[i] == 0;
    z->first_zone = 0;
    if (used0) {
        int found = -1;
        if (z->zone_isdst[z->tx_index[0]])
            for (int zi = z->tx_index[0] - 1; zi >= 0 && found < 0; zi--)
                if (!z->zone_isdst[zi])
                    found = zi;
        for (int zi = 0; zi < z->nzone && found < 0; zi++)
            if (!z->zone_isdst[zi])
                found = zi;
        z->first_zone = found < 0 ? 0 : found;
    }
    if (is64 && r.left > 2 && r.p[0] == '\n' && r.p[r.left - 1] == '\n') {
        char footer[256];
        size_t fl = r.left - 2;
        if (fl < sizeof footer && memchr(r.p + 1, '\0', fl) == NULL) {
            memcpy(footer, r.p + 1, fl);
            footer[fl] = '\0';
            parse_footer(z, footer);
        }
    }
    *out = z;
    return 0;
}

int cron_zone_load_dir(const char *dir, const char *name, cron_zone **out, sim_error *err) {
    *out = NULL;
    if (name[0] == '\0' || strcmp(name, "UTC") == 0) {
        cron_zone *z = calloc(1, sizeof *z);
        if (z == NULL)
            return error_set(err, "time zone \"%s\": out of memory", name);
        snprintf(z->name, sizeof z->name, "UTC"); /* nzone 0: Go's UTC location */
        *out = z;
        return 0;
    }
    if (strcmp(name, "Local") == 0)
        return error_set(err, "time zone \"Local\": the process's local zone is not supported; "
                              "name an IANA zone such as Asia/Shanghai");
    if (strstr(name, "..") || name[0] == '/' || name[0] == '\\' || strlen(name) > 100)
        return error_set(err, "time zone \"%s\": invalid location name", name);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return error_set(err, "time zone \"%s\": unknown (no %s: %s)", name, path, strerror(errno));
    unsigned char *buf = malloc(TZIF_MAX_BYTES);
    if (buf == NULL) {
        fclose(f);
        return error_set(err, "time zone \"%s\": out of memory", name);
    }
    size_t len = fread(buf, 1, TZIF_MAX_BYTES, f);
    int bad = ferror(f);
    fclose(f);
    int rc = bad ? error_set(err, "time zone \"%s\": cannot read %s", name, path)
                 : cron_zone_from_tzif(name, buf, len, out, err);
    free(buf);
    return rc;
}

int cron_zone_load(const char *name, cron_zone **out, sim_error *err) {
    return cron_zone_load_dir(CRON_ZONEINFO_DIR, name, out, err);
}
