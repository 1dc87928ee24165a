/* civil.h: proleptic Gregorian calendar arithmetic on int64 seconds, the small set of helpers the
 * cron search and the time zone reader need (days <-> date, weekday, leap years).
 *
 * Contract: exact for every year that fits in int64 days; no time zones here (a "wall" count of
 * seconds is just seconds since 1970-01-01T00:00 of some clock). Pure functions, no state. */
#ifndef SCALESIM_CRON_CIVIL_H
#define SCALESIM_CRON_CIVIL_H

#include <stdint.h>

typedef struct civil_time {
    int64_t year;
    int month;   /* 1-12 */
    int day;     /* 1-31 */
    int hour;    /* 0-23 */
    int minute;  /* 0-59 */
    int second;  /* 0-59 */
    int weekday; /* 0 = Sunday */
    int yday;    /* 0-365 */
} civil_time;

int civil_is_leap(int64_t year);
int civil_days_in_month(int64_t year, int month);

/* Days since 1970-01-01 of year-month-day; month 1-12, day may run past the month (day 32 of
 * January is February 1st), which is how Go's time.Date normalises days. */
int64_t civil_days_from_date(int64_t year, int month, int64_t day);

/* Splits seconds since 1970-01-01T00:00 (floor division for negative values). */
void civil_from_seconds(int64_t seconds, civil_time *out);

/* Floor division and its non-negative remainder. */
int64_t civil_floor_div(int64_t a, int64_t b);

#endif
