/* descriptor.c: whole-string cron descriptors: @yearly @annually @monthly @weekly @daily
 * @midnight @hourly, @every <Go duration>, and the cronhpa fork's @date YYYY-MM-DD HH:MM:SS.
 *
 * Sources: robfig/cron v3.0.1 parser.go parseDescriptor and constantdelay.go Every (identical in
 * ringtail/go-cron cfb21c1, which adds parseDateSchedule: Go time.Parse with layout
 * "2006-01-02 15:04:05", then a schedule on that second/minute/hour/day/month of every year). */
#include <string.h>

#include "sim/control/cron/civil.h"
#include "sim/control/cron/internal.h"

#define ALL(lo, hi)                                                                                \
    ((((UINT64_C(1) << ((hi) + 1)) - 1) & ~((UINT64_C(1) << (lo)) - 1)) | CRON_STAR_BIT)

static void fixed(cron_schedule *s, int month_all, int dom_all, int dow_all, int hour_all) {
    s->kind = CRON_SPEC;
    s->bits[CRON_SEC] = 1;
    s->bits[CRON_MIN] = 1;
    s->bits[CRON_HOUR] = hour_all ? ALL(0, 23) : 1;
    s->bits[CRON_DOM] = dom_all ? ALL(1, 31) : UINT64_C(1) << 1;
    s->bits[CRON_MONTH] = month_all ? ALL(1, 12) : UINT64_C(1) << 1;
    s->bits[CRON_DOW] = dow_all ? ALL(0, 6) : 1; /* @weekly: Sunday only */
}

/* Go time.Parse's getnum: one or two digits; `fixed` demands two. */
static int getnum(const char **p, int fixed2, int *out) {
    const char *s = *p;
    if (!(s[0] >= '0' && s[0] <= '9'))
        return -1;
    if (!(s[1] >= '0' && s[1] <= '9')) {
        if (fixed2)
            return -1;
        *out = s[0] - '0';
        *p = s + 1;
        return 0;
    }
    *out = (s[0] - '0') * 10 + (s[1] - '0');
    *p = s + 2;
    return 0;
}

static int lit(const char **p, char c) {
    if (**p != c)
        return -1;
    (*p)++;
    return 0;
}

/* Go time.Parse(\"2006-01-02 15:04:05\", text), keeping the fields the fork uses. */
static int parse_date(const char *text, cron_schedule *s, sim_error *err) {
    const char *p = text;
    int year = 0, month, day, hour, min, sec;
    for (int i = 0; i < 4; i++) {
        if (!(p[i] >= '0' && p[i] <= '9'))
            return error_set(err, "@date \"%s\": expected YYYY-MM-DD HH:MM:SS", text);
        year = year * 10 + (p[i] - '0');
    }
    p += 4;
    if (lit(&p, '-') || getnum(&p, 1, &month) || lit(&p, '-'))
        return error_set(err, "@date \"%s\": expected YYYY-MM-DD HH:MM:SS", text);
    if (month < 1 || month > 12)
        return error_set(err, "@date \"%s\": month out of range", text);
    if (getnum(&p, 1, &day))
        return error_set(err, "@date \"%s\": expected YYYY-MM-DD HH:MM:SS", text);
    /* A space in a Go layout matches any run of spaces, but something must follow. */
    if (*p != '\0' && *p != ' ')
        return error_set(err, "@date \"%s\": expected YYYY-MM-DD HH:MM:SS", text);
    while (*p == ' ')
        p++;
    if (getnum(&p, 0, &hour))
        return error_set(err, "@date \"%s\": expected YYYY-MM-DD HH:MM:SS", text);
    if (hour >= 24)
        return error_set(err, "@date \"%s\": hour out of range", text);
    if (lit(&p, ':') || getnum(&p, 1, &min))
        return error_set(err, "@date \"%s\": expected YYYY-MM-DD HH:MM:SS", text);
    if (min >= 60)
        return error_set(err, "@date \"%s\": minute out of range", text);
    if (lit(&p, ':') || getnum(&p, 1, &sec))
        return error_set(err, "@date \"%s\": expected YYYY-MM-DD HH:MM:SS", text);
    if (sec >= 60)
        return error_set(err, "@date \"%s\": second out of range", text);
    /* Go accepts a fractional second the layout does not mention. */
    if ((p[0] == '.' || p[0] == ',') && p[1] >= '0' && p[1] <= '9') {
        p += 2;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p != '\0')
        return error_set(err, "@date \"%s\": extra text \"%s\"", text, p);
    if (day < 1 || day > civil_days_in_month(year, month))
        return error_set(err, "@date \"%s\": day out of range", text);
    s->kind = CRON_SPEC;
    s->bits[CRON_SEC] = UINT64_C(1) << sec;
    s->bits[CRON_MIN] = UINT64_C(1) << min;
    s->bits[CRON_HOUR] = UINT64_C(1) << hour;
    s->bits[CRON_DOM] = UINT64_C(1) << day;
    s->bits[CRON_MONTH] = UINT64_C(1) << month;
    s->bits[CRON_DOW] = ALL(0, 6);
    s->run_once = 1;
    return 0;
}

int cron_descriptor_parse(const char *text, cron_dialect dialect, cron_schedule *s,
                          sim_error *err) {
    if (strcmp(text, "@yearly") == 0 || strcmp(text, "@annually") == 0) {
        fixed(s, 0, 0, 1, 0);
        return 0;
    }
    if (strcmp(text, "@monthly") == 0) {
        fixed(s, 1, 0, 1, 0);
        return 0;
    }
    if (strcmp(text, "@weekly") == 0) {
        fixed(s, 1, 1, 0, 0);
        return 0;
    }
    if (strcmp(text, "@daily") == 0 || strcmp(text, "@midnight") == 0) {
        fixed(s, 1, 1, 1, 0);
        return 0;
    }
    if (strcmp(text, "@hourly") == 0) {
        fixed(s, 1, 1, 1, 1);
        return 0;
    }
    if (strncmp(text, "@every ", 7) == 0) {
        int64_t ns;
        if (cron_go_duration(text + 7, &ns, err) != 0)
            return error_prefix(err, "@every");
        /* Every(): below 1 s (zero and negative included) becomes 1 s; the sub-second part of
         * the delay is dropped. */
        if (ns < 1000000000)
            ns = 1000000000;
        s->kind = CRON_EVERY;
        s->every_us = (ns - ns % 1000000000) / 1000;
        return 0;
    }
    if (dialect == CRON_DIALECT_CRONHPA && strncmp(text, "@date ", 6) == 0)
        return parse_date(text + 6, s, err);
    return error_set(err,
                     "unknown descriptor \"%s\" (known: @yearly @annually @monthly @weekly @daily "
                     "@midnight @hourly, @every <duration>%s)",
                     text,
                     dialect == CRON_DIALECT_CRONHPA ? ", @date YYYY-MM-DD HH:MM:SS"
                                                     : "; @date is cronhpa only");
}
