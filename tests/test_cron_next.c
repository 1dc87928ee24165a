/* test_cron_next.c: next fire times: daylight-saving gaps and overlaps (west and east of
 * Greenwich, 30-minute shifts, a missing midnight), the day-of-month/day-of-week rule in each
 * dialect, @every, @date, the CRON_TZ prefix, and exhaustion after the 5-year search.
 * Expected values marked "vector" are from shared/conformance/cron (generated with Go); the
 * others are derived by hand from the libraries' code, as the comments explain. */
#include "cu.h"

#include <string.h>
#include <time.h>

#include "sim/control/cron/cron.h"
#include "sim/control/cron/rfc3339.h"

static const cron_dialect HPA = CRON_DIALECT_CRONHPA, STD = CRON_DIALECT_STANDARD;

/* Runs expr from `from` in zone `tz` and compares the first n fire times (as Go renders them)
 * with want[]; a NULL entry in want means "never" at that point. */
static void expect_times(const char *expr, cron_dialect d, const char *tz, const char *from,
                         const char *const *want, int n) {
    sim_error err = {{0}};
    cron_zone *zone;
    CU_ASSERT_EQUAL_FATAL(cron_zone_load(tz, &zone, &err), 0);
    cron_schedule s;
    int rc = cron_parse(expr, d, &s, &err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    int64_t t;
    CU_ASSERT_EQUAL_FATAL(cron_rfc3339_parse(from, &t, &err), 0);
    for (int i = 0; i < n; i++) {
        t = cron_next(&s, zone, t);
        char buf[64];
        if (t == CRON_NEVER)
            snprintf(buf, sizeof buf, "never");
        else
            cron_rfc3339_format(t, zone, buf, sizeof buf);
        const char *w = want[i] ? want[i] : "never";
        if (strcmp(buf, w) != 0)
            fprintf(stderr, "\n  %s [%s] from %s #%d: got %s, want %s\n", expr,
                    cron_dialect_name(d), from, i, buf, w);
        CU_ASSERT_STRING_EQUAL(buf, w);
        if (t == CRON_NEVER)
            break;
    }
    cron_schedule_free(&s);
    cron_zone_free(zone);
}

#define EXPECT(expr, d, tz, from, ...)                                                             \
    do {                                                                                           \
        const char *const want_[] = {__VA_ARGS__};                                                 \
        expect_times(expr, d, tz, from, want_, (int)(sizeof want_ / sizeof want_[0]));             \
    } while (0)

static void test_dst_gap_is_skipped(void) {
    /* vector 157: 02:30 does not exist on 2024-03-10 in New York; no run at 03:30 either */
    EXPECT("0 30 2 * * *", HPA, "America/New_York", "2024-03-09T12:00:00-05:00",
           "2024-03-11T02:30:00-04:00", "2024-03-12T02:30:00-04:00");
    EXPECT("30 2 * * *", STD, "America/New_York", "2024-03-09T12:00:00-05:00",
           "2024-03-11T02:30:00-04:00");
    /* vector 161: hourly jumps from 01:00 EST to 03:00 EDT */
    EXPECT("0 0 * * * *", HPA, "America/New_York", "2024-03-10T00:30:00-05:00",
           "2024-03-10T01:00:00-05:00", "2024-03-10T03:00:00-04:00", "2024-03-10T04:00:00-04:00");
    /* East of Greenwich: Berlin skips 02:00-03:00 on 2024-03-31 (hand-derived: the hour walk
     * goes 01:00 CET + 1h = 03:00 CEST) */
    EXPECT("0 30 2 * * *", HPA, "Europe/Berlin", "2024-03-30T12:00:00+01:00",
           "2024-04-01T02:30:00+02:00");
    /* vector 170: 30-minute shift in Lord Howe */
    EXPECT("0 15 2 * * *", HPA, "Australia/Lord_Howe", "2024-10-05T12:00:00+10:30",
           "2024-10-07T02:15:00+11:00");
    /* vector 164: a yearly schedule on a gap time skips that year */
    EXPECT("0 0 2 10 3 *", HPA, "America/New_York", "2024-01-01T00:00:00-05:00",
           "2025-03-10T02:00:00-04:00", "2026-03-10T02:00:00-04:00", "2027-03-10T02:00:00-05:00");
    /* @date on a gap time: the year it does not exist is skipped */
    EXPECT("@date 2024-03-10 02:30:00", HPA, "America/New_York", "2024-01-01T00:00:00-05:00",
           "2025-03-10T02:30:00-04:00");
}

static void test_dst_overlap_fires_twice(void) {
    /* vector 160 */
    EXPECT("0 30 1 * * *", HPA, "America/New_York", "2024-11-03T00:30:00-04:00",
           "2024-11-03T01:30:00-04:00", "2024-11-03T01:30:00-05:00", "2024-11-04T01:30:00-05:00");
    EXPECT("30 1 * * *", STD, "America/New_York", "2024-11-03T00:30:00-04:00",
           "2024-11-03T01:30:00-04:00", "2024-11-03T01:30:00-05:00");
    /* vector 163 */
    EXPECT("0 */20 * * * *", HPA, "America/New_York", "2024-11-03T01:30:00-04:00",
           "2024-11-03T01:40:00-04:00", "2024-11-03T01:00:00-05:00", "2024-11-03T01:20:00-05:00",
           "2024-11-03T01:40:00-05:00", "2024-11-03T02:00:00-05:00");
    /* Berlin repeats 02:00-03:00 on 2024-10-27 (hand-derived: minutes advance in real time) */
    EXPECT("0 30 2 * * *", HPA, "Europe/Berlin", "2024-10-26T12:00:00+02:00",
           "2024-10-27T02:30:00+02:00", "2024-10-27T02:30:00+01:00", "2024-10-28T02:30:00+01:00");
    EXPECT("0 * * * *", STD, "Europe/Berlin", "2024-10-27T00:30:00+02:00",
           "2024-10-27T01:00:00+02:00", "2024-10-27T02:00:00+02:00", "2024-10-27T02:00:00+01:00",
           "2024-10-27T03:00:00+01:00");
    /* vector 167: historical China DST, 1991 (tzdata) */
    EXPECT("0 30 2 * * *", HPA, "Asia/Shanghai", "1991-04-13T12:00:00+08:00",
           "1991-04-15T02:30:00+09:00");
}

static void test_missing_midnight(void) {
    /* vector 166: the 4th of November 2018 has no midnight in Sao Paulo */
    EXPECT("0 0 0 4 11 *", HPA, "America/Sao_Paulo", "2018-11-01T00:00:00-03:00",
           "2019-11-04T00:00:00-03:00");
    EXPECT("0 0 4 11 *", STD, "America/Sao_Paulo", "2018-11-01T00:00:00-03:00",
           "2019-11-04T00:00:00-03:00");
    /* 01:00 on the 4th, reached through the day loop. Go's time.Date puts the missing midnight
     * at 23:00 on the 3rd; robfig v3 nudges that to 01:00 on the 4th and fires, the fork steps
     * on to 23:00 on the 4th and misses the whole day (derived from the two spec.go files). */
    EXPECT("0 1 4 * *", STD, "America/Sao_Paulo", "2018-11-01T12:00:00-03:00",
           "2018-11-04T01:00:00-02:00", "2018-12-04T01:00:00-02:00");
    EXPECT("0 0 1 4 * *", HPA, "America/Sao_Paulo", "2018-11-01T12:00:00-03:00",
           "2018-12-04T01:00:00-02:00");
    /* A daily 01:00 that is reached through the hour walk fires in both */
    EXPECT("0 0 1 * * *", HPA, "America/Sao_Paulo", "2018-11-03T12:00:00-03:00",
           "2018-11-04T01:00:00-02:00");
}

static void test_day_rule(void) {
    /* vectors 40, 43: both day fields restricted: OR */
    EXPECT("0 0 0 15 * MON", HPA, "UTC", "2024-01-01T00:00:00Z", "2024-01-08T00:00:00Z",
           "2024-01-15T00:00:00Z", "2024-01-22T00:00:00Z");
    EXPECT("0 0 0 1-7 * MON", HPA, "UTC", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z",
           "2024-01-03T00:00:00Z");
    /* vector 46: ? is a star: AND, so Mondays only */
    EXPECT("0 0 0 ? * MON", HPA, "UTC", "2024-01-01T00:00:00Z", "2024-01-08T00:00:00Z");
    /* vector 49 (fork keeps the star of * /2: odd days that are Mondays) ... */
    EXPECT("0 0 0 */2 * MON", HPA, "UTC", "2024-01-01T00:00:00Z", "2024-01-15T00:00:00Z",
           "2024-01-29T00:00:00Z", "2024-02-05T00:00:00Z");
    /* ... and robfig v3 drops it: odd days or Mondays (README 1.2.1, verified there) */
    EXPECT("0 0 */2 * MON", STD, "UTC", "2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z",
           "2024-01-05T00:00:00Z", "2024-01-07T00:00:00Z", "2024-01-08T00:00:00Z",
           "2024-01-09T00:00:00Z");
    /* vector 82: Feb 29 or any Monday in February */
    EXPECT("0 0 0 29 2 MON", HPA, "UTC", "2024-02-26T00:00:00Z", "2024-02-29T00:00:00Z",
           "2025-02-03T00:00:00Z");
    /* vector 76: months without a 31st are skipped */
    EXPECT("0 0 0 31 * *", HPA, "UTC", "2024-01-31T00:00:00Z", "2024-03-31T00:00:00Z");
}

static void test_fields_and_strictly_after(void) {
    /* strictly after: a fire time given as `from` is not repeated; fractions truncate */
    EXPECT("0 30 10 * * *", HPA, "Asia/Shanghai", "2024-01-01T10:30:00+08:00",
           "2024-01-02T10:30:00+08:00");
    EXPECT("0 30 10 * * *", HPA, "Asia/Shanghai", "2024-01-01T10:29:59.999999+08:00",
           "2024-01-01T10:30:00+08:00");
    EXPECT("* * * * * *", HPA, "UTC", "2024-12-31T23:59:59.5Z", "2025-01-01T00:00:00Z");
    /* vector 106: a crontab line in cronhpa fires every hour */
    EXPECT("30 10 * * *", HPA, "UTC", "2024-01-01T00:00:00Z", "2024-01-01T00:10:30Z",
           "2024-01-01T01:10:30Z");
    EXPECT("5/20 * * * * *", HPA, "UTC", "2024-01-01T00:00:00Z", "2024-01-01T00:00:05Z",
           "2024-01-01T00:00:25Z", "2024-01-01T00:00:45Z", "2024-01-01T00:01:05Z");
    EXPECT("0 0 9-17/4 * * MON-FRI", HPA, "UTC", "2024-01-05T12:00:00Z", "2024-01-05T13:00:00Z",
           "2024-01-05T17:00:00Z", "2024-01-08T09:00:00Z");
    EXPECT("0 0 12 * JAN,jul *", HPA, "UTC", "2024-02-28T23:59:59.5Z", "2024-07-01T12:00:00Z");
    EXPECT("@weekly", STD, "UTC", "2024-01-01T00:00:00Z", "2024-01-07T00:00:00Z");
}

static void test_every(void) {
    /* vectors 133/134: not aligned to the clock; the given instant is truncated */
    EXPECT("@every 90s", HPA, "UTC", "2024-02-28T23:59:59.5Z", "2024-02-29T00:01:29Z",
           "2024-02-29T00:02:59Z");
    EXPECT("@every 1500ms", HPA, "UTC", "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z");
    /* a constant delay in real time, regardless of daylight saving */
    EXPECT("@every 1h", HPA, "America/New_York", "2024-03-10T01:30:00-05:00",
           "2024-03-10T03:30:00-04:00", "2024-03-10T04:30:00-04:00");
}

static void test_date_and_zone_prefix(void) {
    /* @date ignores the year: next is this year's date if still ahead, else next year's */
    EXPECT("@date 2020-10-01 10:30:00", HPA, "Asia/Shanghai", "2024-01-01T00:00:00+08:00",
           "2024-10-01T10:30:00+08:00", "2025-10-01T10:30:00+08:00");
    EXPECT("@date 2024-02-29 08:00:00", HPA, "UTC", "2024-03-01T00:00:00Z", "2028-02-29T08:00:00Z");
    /* vector 221: the prefix zone decides, results are shown in the caller's zone */
    EXPECT("CRON_TZ=Asia/Shanghai 0 9 * * *", STD, "UTC", "2024-01-01T00:00:00Z",
           "2024-01-01T01:00:00Z", "2024-01-02T01:00:00Z");
    EXPECT("TZ=America/New_York 30 2 * * *", STD, "Asia/Tokyo", "2024-03-09T12:00:00-05:00",
           "2024-03-11T15:30:00+09:00");
}

static void test_exhaustion(void) {
    /* vectors 85, 88: never within the 5-year search */
    EXPECT("0 0 0 30 2 *", HPA, "UTC", "2024-01-01T00:00:00Z", NULL);
    EXPECT("0 0 0 * * ,", HPA, "UTC", "2024-01-01T00:00:00Z", NULL);
    /* 2100 is not a leap year: from 2096-03-01 the next Feb 29 (2104) is past 2096+5 */
    EXPECT("0 0 0 29 2 *", HPA, "UTC", "2092-03-01T00:00:00Z", "2096-02-29T00:00:00Z", NULL);
    EXPECT("0 0 29 2 *", STD, "UTC", "2096-03-01T00:00:00Z", NULL);
    /* an empty seconds field never fires; answered without a second-by-second search */
    clock_t start = clock();
    EXPECT(", * * * * *", HPA, "UTC", "2024-01-01T00:00:00Z", NULL);
    EXPECT("0 , * * *", STD, "UTC", "2024-01-01T00:00:00Z", NULL);
    CU_ASSERT(clock() - start < CLOCKS_PER_SEC);
    /* Pacific/Apia skipped 2011-12-30 entirely: stepping a day from the 29th lands on the 29th
     * again and both libraries loop forever (seen running them); scalesim answers never. */
    EXPECT("30 15 12 15 12", HPA, "Pacific/Apia", "2010-11-24T17:59:59.5Z",
           "2010-12-15T12:15:30-10:00", "2011-12-15T12:15:30-10:00", NULL);
    EXPECT("0 0 1 12 *", STD, "Pacific/Apia", "2010-12-01T12:00:00Z", "2011-12-01T00:00:00-10:00",
           NULL);
}

static void test_next_is_cheap_and_monotonic(void) {
    /* A controller calls cron_next repeatedly; 20 000 consecutive daily fires across DST
     * changes must be strictly increasing and all at 10:30 wall time. */
    sim_error err;
    cron_zone *zone;
    CU_ASSERT_EQUAL_FATAL(cron_zone_load("America/New_York", &zone, &err), 0);
    cron_schedule s;
    CU_ASSERT_EQUAL_FATAL(cron_parse("0 30 10 * * *", HPA, &s, &err), 0);
    int64_t t = 0;
    int ok = 1;
    for (int i = 0; i < 20000; i++) {
        int64_t n = cron_next(&s, zone, t);
        char buf[64];
        cron_rfc3339_format(n, zone, buf, sizeof buf);
        ok &= n > t && strncmp(buf + 11, "10:30:00", 8) == 0;
        t = n;
    }
    CU_ASSERT(ok);
    cron_schedule_free(&s);
    cron_zone_free(zone);
}

static const cu_test tests[] = {
    {"DST gap is skipped", test_dst_gap_is_skipped},
    {"DST overlap fires twice", test_dst_overlap_fires_twice},
    {"missing midnight (fork vs v3)", test_missing_midnight},
    {"day-of-month / day-of-week rule", test_day_rule},
    {"fields, strictly after, truncation", test_fields_and_strictly_after},
    {"@every", test_every},
    {"@date and CRON_TZ", test_date_and_zone_prefix},
    {"exhaustion", test_exhaustion},
    {"cheap and monotonic", test_next_is_cheap_and_monotonic},
    {NULL, NULL},
};

int main(void) {
    cu_add_suite("cron_next", tests);
    return cu_run_all();
}
