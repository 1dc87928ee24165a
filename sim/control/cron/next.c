/* next.c: the next fire time of a schedule strictly after an instant.
 *
 * The search is the one both libraries share (robfig/cron v3.0.1 spec.go Next; ringtail/go-cron
 * cfb21c1 spec.go Next): start at the next whole second, then walk month -> day -> hour ->
 * minute -> second on the zone's wall clock, resetting the lower fields the first time a field
 * is advanced and starting over when a field wraps; give up (CRON_NEVER) once the year passes
 * the starting year + 5. Months and days advance with Go's AddDate (wall-clock arithmetic then
 * time.Date's gap/overlap choice, see tzfile.h), hours, minutes and seconds with real elapsed
 * time. That mix is what gives the daylight-saving behaviour: a wall time inside a gap is never
 * reached that day, one inside an overlap is reached twice. robfig v3 (the standard dialect)
 * also nudges a day that does not start at 00:00 back to midnight; the fork does not. */
#include "sim/control/cron/civil.h"
#include "sim/control/cron/internal.h"

/* Backstop against any other cycle: a real search takes at most a few hundred thousand steps
 * (5 years of days, each with at most 24 + 60 + 60 field steps). */
#define MAX_STEPS INT64_C(20000000)

typedef struct gotime {
    int64_t unix; /* seconds */
    civil_time c; /* wall clock in the evaluation zone */
} gotime;

static void set_unix(gotime *t, const cron_zone *z, int64_t unix) {
    t->unix = unix;
    civil_from_seconds(unix + cron_zone_offset(z, unix), &t->c);
}

/* Go's time.Date(year, month, day, hour, min, sec, 0, loc), month and day possibly overflowing. */
static void set_date(gotime *t, const cron_zone *z, int64_t year, int month, int64_t day, int hour,
                     int min, int sec) {
    int64_t m0 = month - 1;
    year += civil_floor_div(m0, 12);
    m0 -= civil_floor_div(m0, 12) * 12;
    int64_t wall =
        civil_days_from_date(year, (int)m0 + 1, day) * 86400 + hour * 3600 + min * 60 + sec;
    set_unix(t, z, cron_zone_date(z, wall));
}

static int has(uint64_t bits, int v) {
    return (bits >> v) & 1;
}

static int day_matches(const cron_schedule *s, const civil_time *c) {
    int dom = has(s->bits[CRON_DOM], c->day);
    int dow = has(s->bits[CRON_DOW], c->weekday);
    if ((s->bits[CRON_DOM] | s->bits[CRON_DOW]) & CRON_STAR_BIT)
        return dom && dow;
    return dom || dow;
}

/* A field with no value at all can never match; the library would only find that out after
 * searching five years second by second (up to ~1.6e8 steps), with the same answer. */
static int never_matches(const cron_schedule *s) {
    for (int f = CRON_SEC; f < CRON_NFIELDS; f++) {
        if (f == CRON_DOM || f == CRON_DOW)
            continue;
        if ((s->bits[f] & ~CRON_STAR_BIT) == 0)
            return 1;
    }
    return (s->bits[CRON_DOM] & ~CRON_STAR_BIT) == 0 && (s->bits[CRON_DOW] & ~CRON_STAR_BIT) == 0;
}

int64_t cron_next(const cron_schedule *s, const cron_zone *zone, int64_t after_us) {
    int64_t after_s = civil_floor_div(after_us, 1000000);
    if (s->kind == CRON_EVERY)
        return after_s * 1000000 + s->every_us;
    if (never_matches(s))
        return CRON_NEVER;
    const cron_zone *z = s->zone ? s->zone : zone;
    int midnight_fix = s->dialect == CRON_DIALECT_STANDARD;

    gotime t;
    int64_t steps = 0;
    set_unix(&t, z, after_s + 1);
    int added = 0;
    int64_t year_limit = t.c.year + 5;

wrap:
    if (t.c.year > year_limit)
        return CRON_NEVER;

    while (!has(s->bits[CRON_MONTH], t.c.month)) {
        if (!added) {
            added = 1;
            set_date(&t, z, t.c.year, t.c.month, 1, 0, 0, 0);
        }
        set_date(&t, z, t.c.year, t.c.month + 1, t.c.day, t.c.hour, t.c.minute, t.c.second);
        if (++steps > MAX_STEPS)
            return CRON_NEVER;
        if (t.c.month == 1)
            goto wrap;
    }

    while (!day_matches(s, &t.c)) {
        if (!added) {
            added = 1;
            set_date(&t, z, t.c.year, t.c.month, t.c.day, 0, 0, 0);
        }
        int64_t before = t.unix;
        set_date(&t, z, t.c.year, t.c.month, t.c.day + 1, t.c.hour, t.c.minute, t.c.second);
        if (midnight_fix && t.c.hour != 0) {
            /* robfig v3: a day whose midnight does not exist starts at 23:00 the day before or
             * 01:00; move to the next whole day boundary. */
            if (t.c.hour > 12)
                set_unix(&t, z, t.unix + (int64_t)(24 - t.c.hour) * 3600);
            else
                set_unix(&t, z, t.unix - (int64_t)t.c.hour * 3600);
        }
        /* A calendar day that does not exist at all (Pacific/Apia skipped 2011-12-30) maps the
         * next midnight back onto this one: both libraries then loop forever. A schedule that
         * would hang upstream never fires; say so instead of hanging. */
        if (t.unix == before || ++steps > MAX_STEPS)
            return CRON_NEVER;
        if (t.c.day == 1)
            goto wrap;
    }

    while (!has(s->bits[CRON_HOUR], t.c.hour)) {
        if (!added) {
            added = 1;
            set_date(&t, z, t.c.year, t.c.month, t.c.day, t.c.hour, 0, 0);
        }
        set_unix(&t, z, t.unix + 3600);
        if (++steps > MAX_STEPS)
            return CRON_NEVER;
        if (t.c.hour == 0)
            goto wrap;
    }

    while (!has(s->bits[CRON_MIN], t.c.minute)) {
        if (!added) {
            added = 1;
            /* Go's Truncate(time.Minute) works on absolute (UTC) time, not the wall clock. */
            set_unix(&t, z, civil_floor_div(t.unix, 60) * 60);
        }
        set_unix(&t, z, t.unix + 60);
        if (++steps > MAX_STEPS)
            return CRON_NEVER;
        if (t.c.minute == 0)
            goto wrap;
    }

    while (!has(s->bits[CRON_SEC], t.c.second)) {
        added = 1; /* Truncate(time.Second) is a no-op on whole seconds */
        set_unix(&t, z, t.unix + 1);
        if (++steps > MAX_STEPS)
            return CRON_NEVER;
        if (t.c.second == 0)
            goto wrap;
    }
    return t.unix * 1000000;
}
