/* rfc3339.c: RFC 3339 parsing and Go-style rendering for cron times; see rfc3339.h. */
#include "sim/control/cron/rfc3339.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/control/cron/civil.h"

static int digits(const char *p, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 0;
}

int cron_rfc3339_parse(const char *text, int64_t *out_us, sim_error *err) {
    const char *p = text;
    int y, mo, d, h, mi, s;
    if (digits(p, 4, &y) || p[4] != '-' || digits(p + 5, 2, &mo) || p[7] != '-' ||
        digits(p + 8, 2, &d) || p[10] != 'T' || digits(p + 11, 2, &h) || p[13] != ':' ||
        digits(p + 14, 2, &mi) || p[16] != ':' || digits(p + 17, 2, &s))
        return error_set(err, "\"%s\" is not an RFC 3339 time (2024-01-01T10:30:00+08:00)", text);
    if (mo < 1 || mo > 12 || d < 1 || d > civil_days_in_month(y, mo) || h > 23 || mi > 59 || s > 59)
        return error_set(err, "\"%s\": date or time out of range", text);
    p += 19;
    int64_t frac_us = 0;
    if (*p == '.') {
        p++;
        int n = 0;
        for (; *p >= '0' && *p <= '9'; p++, n++)
            if (n < 6)
                frac_us = frac_us * 10 + (*p - '0');
        if (n == 0)
            return error_set(err, "\"%s\": empty fraction of a second", text);
        for (; n < 6; n++)
            frac_us *= 10;
    }
    int off_s;
    if (*p == 'Z' && p[1] == '\0') {
        off_s = 0;
    } else if ((*p == '+' || *p == '-') && p[3] == ':' && p[6] == '\0') {
        int oh, om;
        if (digits(p + 1, 2, &oh) || digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return error_set(err, "\"%s\": bad UTC offset", text);
        off_s = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
    } else {
        return error_set(err, "\"%s\": expected Z or a +HH:MM offset after the time", text);
    }
    int64_t wall = civil_days_from_date(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    *out_us = (wall - off_s) * 1000000 + frac_us;
    return 0;
}

void cron_rfc3339_format(int64_t us, const cron_zone *zone, char *buf, size_t size) {
    int64_t sec = civil_floor_div(us, 1000000);
    int64_t frac = us - sec * 1000000;
    int32_t off = cron_zone_offset(zone, sec);
    civil_time c;
    civil_from_seconds(sec + off, &c);
    char fr[16] = "";
    if (frac) {
        snprintf(fr, sizeof fr, ".%06" PRId64, frac);
        for (char *e = fr + 6; *e == '0'; e--)
            *e = '\0'; /* Go's RFC3339Nano trims trailing zeros */
    }
    char zbuf[8];
    if (off == 0) {
        snprintf(zbuf, sizeof zbuf, "Z");
    } else {
        /* Go: minutes = offset/60 truncated toward zero, sign taken from the offset. */
        int zmin = off / 60;
        char sign = zmin < 0 ? '-' : '+';
        if (zmin < 0)
            zmin = -zmin;
        snprintf(zbuf, sizeof zbuf, "%c%02d:%02d", sign, (zmin / 60) % 100, zmin % 60);
    }
    snprintf(buf, size, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d%s%s", c.year, c.month, c.day,
             c.hour, c.minute, c.second, fr, zbuf);
}
