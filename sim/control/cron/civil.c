/* civil.c: Gregorian calendar arithmetic for the cron engine; see civil.h. The day count uses
 * the era-of-400-years method, exact for negative years too. */
#include "sim/control/cron/civil.h"

int64_t civil_floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

int civil_is_leap(int64_t year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int civil_days_in_month(int64_t year, int month) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && civil_is_leap(year))
        return 29;
    return days[month - 1];
}

int64_t civil_days_from_date(int64_t year, int month, int64_t day) {
    /* Count from March so that the leap day is the last day of the counted year. */
    int64_t y = month <= 2 ? year - 1 : year;
    int64_t era = civil_floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t mp = (month + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5; /* days from March 1st to the 1st of the month */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + (day - 1);
}

void civil_from_seconds(int64_t seconds, civil_time *out) {
    int64_t days = civil_floor_div(seconds, 86400);
    int64_t rem = seconds - days * 86400;
    out->hour = (int)(rem / 3600);
    out->minute = (int)(rem / 60 % 60);
    out->second = (int)(rem % 60);
    /* 1970-01-01 was a Thursday (4). */
    int64_t wd = (days + 4) % 7;
    out->weekday = (int)(wd < 0 ? wd + 7 : wd);

    int64_t z = days + 719468;
    int64_t era = civil_floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    out->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    out->year = yoe + era * 400 + (out->month <= 2 ? 1 : 0);
    out->yday = (int)(days - civil_days_from_date(out->year, 1, 1));
}
