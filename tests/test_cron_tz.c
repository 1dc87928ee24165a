/* test_cron_tz.c: the TZif reader and RFC 3339 handling behind the cron engine: offsets
 * against the C library's own reading of the same files, footer (POSIX TZ) rules for far-future
 * instants in both hemispheres, Go's wall-clock -> instant choice in gaps and overlaps, bad TZif
 * data and bad zone names, and RFC 3339 parsing/printing. */
#include "cu.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/control/cron/civil.h"
#include "sim/control/cron/rfc3339.h"
#include "sim/control/cron/tzfile.h"

static cron_zone *load(const char *name) {
    cron_zone *z = NULL;
    sim_error err;
    if (cron_zone_load(name, &z, &err) != 0)
        fprintf(stderr, "%s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(z);
    return z;
}

static int64_t at(const char *rfc3339) {
    int64_t us = 0;
    sim_error err;
    CU_ASSERT_EQUAL(cron_rfc3339_parse(rfc3339, &us, &err), 0);
    return us / 1000000;
}

static int64_t wall(int64_t y, int mo, int d, int h, int mi) {
    return civil_days_from_date(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

/* Offsets agree with glibc's localtime_r on the same tz database (test-only use of TZ). */
static void test_offsets_match_libc(void) {
    static const char *zones[] = {"America/New_York",  "Europe/Berlin",       "Asia/Shanghai",
                                  "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kolkata",
                                  "Europe/London",     "Pacific/Auckland",    "America/Santiago",
                                  "Asia/Tehran",       "Africa/Casablanca",   "Pacific/Chatham",
                                  "Europe/Dublin",     "America/St_Johns",    "Asia/Gaza"};
    char *saved = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    long mismatches = 0, checked = 0;
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        cron_zone *z = load(zones[i]);
        setenv("TZ", zones[i], 1);
        tzset();
        /* 1975-2037 every 5h13m, plus 2038-2099 (footer rules) every 3 days */
        for (int64_t t = 157766400; t < 4102444800; t += t < 2145916800 ? 18780 : 259200) {
            time_t tt = (time_t)t;
            struct tm tm;
            localtime_r(&tt, &tm);
            checked++;
            if (tm.tm_gmtoff != cron_zone_offset(z, t)) {
                if (mismatches++ < 5)
                    fprintf(stderr, "\n  %s at %lld: libc %ld, cron %d", zones[i], (long long)t,
                            tm.tm_gmtoff, cron_zone_offset(z, t));
            }
        }
        cron_zone_free(z);
    }
    if (saved) {
        setenv("TZ", saved, 1);
        free(saved);
    } else {
        unsetenv("TZ");
    }
    tzset();
    CU_ASSERT(checked > 1000000);
    CU_ASSERT_EQUAL(mismatches, 0);
}

static void test_known_offsets(void) {
    cron_zone *ny = load("America/New_York");
    CU_ASSERT_EQUAL(cron_zone_offset(ny, at("2024-07-01T00:00:00Z")), -4 * 3600);
    CU_ASSERT_EQUAL(cron_zone_offset(ny, at("2024-01-01T00:00:00Z")), -5 * 3600);
    /* exactly at the change, 2024-03-10T07:00Z, EDT starts */
    CU_ASSERT_EQUAL(cron_zone_offset(ny, at("2024-03-10T06:59:59Z")), -5 * 3600);
    CU_ASSERT_EQUAL(cron_zone_offset(ny, at("2024-03-10T07:00:00Z")), -4 * 3600);
    /* before the first transition: local mean time, printed without its seconds as Go does */
    CU_ASSERT_EQUAL(cron_zone_offset(ny, at("1850-01-01T00:00:00Z")), -17762);
    char buf[64];
    cron_rfc3339_format(at("1850-01-01T12:00:00Z") * 1000000, ny, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "1850-01-01T07:03:58-04:56");
    /* far future, from the footer rule */
    CU_ASSERT_EQUAL(cron_zone_offset(ny, at("2350-07-01T00:00:00Z")), -4 * 3600);
    cron_zone_free(ny);
    cron_zone *lh = load("Australia/Lord_Howe");
    CU_ASSERT_EQUAL(cron_zone_offset(lh, at("2030-01-15T00:00:00Z")), 11 * 3600);
    CU_ASSERT_EQUAL(cron_zone_offset(lh, at("2030-07-15T00:00:00Z")), 10 * 3600 + 1800);
    cron_zone_free(lh);
    cron_zone *sh = load("Asia/Shanghai");
    CU_ASSERT_EQUAL(cron_zone_offset(sh, at("1991-07-01T00:00:00Z")), 9 * 3600);
    CU_ASSERT_EQUAL(cron_zone_offset(sh, at("2024-07-01T00:00:00Z")), 8 * 3600);
    cron_zone_free(sh);
    CU_ASSERT_EQUAL(cron_zone_offset(NULL, 12345), 0);
    CU_ASSERT_STRING_EQUAL(cron_zone_name(NULL), "UTC");
}

static void test_wall_to_instant_go_choice(void) {
    cron_zone *ny = load("America/New_York");
    /* ordinary wall time */
    CU_ASSERT_EQUAL(cron_zone_date(ny, wall(2024, 7, 1, 10, 30)), at("2024-07-01T14:30:00Z"));
    /* gap: 02:30 on 2024-03-10 -> 01:30 EST (06:30Z), Go's choice west of Greenwich */
    CU_ASSERT_EQUAL(cron_zone_date(ny, wall(2024, 3, 10, 2, 30)), at("2024-03-10T06:30:00Z"));
    /* overlap: 01:30 on 2024-11-03 -> the first (EDT) one */
    CU_ASSERT_EQUAL(cron_zone_date(ny, wall(2024, 11, 3, 1, 30)), at("2024-11-03T05:30:00Z"));
    cron_zone_free(ny);
    cron_zone *be = load("Europe/Berlin");
    /* east of Greenwich Go lands on the other side: gap -> 03:30 CEST, overlap -> 02:30 CET */
    CU_ASSERT_EQUAL(cron_zone_date(be, wall(2024, 3, 31, 2, 30)), at("2024-03-31T01:30:00Z"));
    CU_ASSERT_EQUAL(cron_zone_date(be, wall(2024, 10, 27, 2, 30)), at("2024-10-27T01:30:00Z"));
    cron_zone_free(be);
    /* a missing midnight maps to 23:00 the day before (Sao Paulo 2018-11-04) */
    cron_zone *sp = load("America/Sao_Paulo");
    CU_ASSERT_EQUAL(cron_zone_date(sp, wall(2018, 11, 4, 0, 0)), at("2018-11-03T23:00:00-03:00"));
    cron_zone_free(sp);
}

/* A version-2 TZif file with no transitions, one type and the given footer. */
static size_t make_tzif(unsigned char *buf, int32_t utoff, const char *footer, char version) {
    size_t n = 0;
    for (int block = 0; block < 2; block++) {
        memcpy(buf + n, "TZif", 4);
        buf[n + 4] = (unsigned char)version;
        memset(buf + n + 5, 0, 15);
        n += 20;
        uint32_t counts[6] = {0, 0, 0, 0, 1, 4};
        for (int i = 0; i < 6; i++, n += 4) {
            buf[n] = 0;
            buf[n + 1] = 0;
            buf[n + 2] = 0;
            buf[n + 3] = (unsigned char)counts[i];
        }
        uint32_t u = (uint32_t)utoff;
        buf[n++] = (unsigned char)(u >> 24);
        buf[n++] = (unsigned char)(u >> 16);
        buf[n++] = (unsigned char)(u >> 8);
        buf[n++] = (unsigned char)u;
        buf[n++] = 0; /* isdst */
        buf[n++] = 0; /* abbreviation index */
        memcpy(buf + n, "XXX", 4);
        n += 4;
        if (version == 0)
            break;
    }
    if (version != 0) {
        n += (size_t)sprintf((char *)buf + n, "\n%s\n", footer);
    }
    return n;
}

static void test_footer_rules(void) {
    unsigned char buf[512];
    sim_error err;
    cron_zone *z, *ny = load("America/New_York"), *lh = load("Australia/Lord_Howe");
    size_t n = make_tzif(buf, -18000, "EST5EDT,M3.2.0,M11.1.0", '2');
    CU_ASSERT_EQUAL_FATAL(cron_zone_from_tzif("test/NY", buf, n, &z, &err), 0);
    int same = 1;
    for (int64_t t = at("2030-01-01T00:00:00Z"); t < at("2040-01-01T00:00:00Z"); t += 1800)
        same &= cron_zone_offset(z, t) == cron_zone_offset(ny, t);
    CU_ASSERT(same);
    cron_zone_free(z);
    /* southern hemisphere: the year starts in daylight time */
    n = make_tzif(buf, 37800, "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", '3');
    CU_ASSERT_EQUAL_FATAL(cron_zone_from_tzif("test/LH", buf, n, &z, &err), 0);
    same = 1;
    for (int64_t t = at("2030-01-01T00:00:00Z"); t < at("2040-01-01T00:00:00Z"); t += 1800)
        same &= cron_zone_offset(z, t) == cron_zone_offset(lh, t);
    CU_ASSERT(same);
    cron_zone_free(z);
    /* a footer that does not parse is ignored: the last type applies */
    n = make_tzif(buf, 3600, "garbage,,", '2');
    CU_ASSERT_EQUAL_FATAL(cron_zone_from_tzif("test/bad", buf, n, &z, &err), 0);
    CU_ASSERT_EQUAL(cron_zone_offset(z, at("2030-07-01T00:00:00Z")), 3600);
    cron_zone_free(z);
    /* version 1: 32-bit data, no footer */
    n = make_tzif(buf, 7200, "", 0);
    CU_ASSERT_EQUAL_FATAL(cron_zone_from_tzif("test/v1", buf, n, &z, &err), 0);
    CU_ASSERT_EQUAL(cron_zone_offset(z, 0), 7200);
    cron_zone_free(z);
    cron_zone_free(ny);
    cron_zone_free(lh);
}

static void test_bad_tzif_and_names(void) {
    unsigned char buf[512];
    sim_error err;
    cron_zone *z = NULL;
    size_t n = make_tzif(buf, 0, "UTC0", '2');
    CU_ASSERT_EQUAL(cron_zone_from_tzif("x", (const unsigned char *)"TZjf", 4, &z, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a TZif file"));
    CU_ASSERT_EQUAL(cron_zone_from_tzif("x", buf, 60, &z, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "truncated"));
    for (size_t cut = 0; cut < n; cut += 7) /* no prefix of a file may crash the reader */
        if (cron_zone_from_tzif("x", buf, cut, &z, &err) == 0)
            cron_zone_free(z);
    buf[4] = '9';
    CU_ASSERT_EQUAL(cron_zone_from_tzif("x", buf, n, &z, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unsupported TZif version"));
    CU_ASSERT_EQUAL(cron_zone_load("Nowhere/Zone", &z, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "time zone \"Nowhere/Zone\": unknown"));
    CU_ASSERT_EQUAL(cron_zone_load("Local", &z, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not supported"));
    CU_ASSERT_EQUAL(cron_zone_load("../../etc/passwd", &z, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "invalid location name"));
    CU_ASSERT_EQUAL(cron_zone_load("/etc/localtime", &z, &err), -1);
    CU_ASSERT_EQUAL(cron_zone_load("America", &z, &err), -1); /* a directory */
    CU_ASSERT_EQUAL(cron_zone_load("", &z, &err), 0);         /* Go: "" is UTC */
    CU_ASSERT_STRING_EQUAL(cron_zone_name(z), "UTC");
    CU_ASSERT_EQUAL(cron_zone_offset(z, 0), 0);
    cron_zone_free(z);
}

static void test_rfc3339(void) {
    int64_t us;
    sim_error err;
    CU_ASSERT_EQUAL(cron_rfc3339_parse("2024-02-28T23:59:59.5Z", &us, &err), 0);
    CU_ASSERT_EQUAL(us, INT64_C(1709164799500000));
    CU_ASSERT_EQUAL(cron_rfc3339_parse("2024-01-01T08:00:00+08:00", &us, &err), 0);
    CU_ASSERT_EQUAL(us, INT64_C(1704067200000000));
    CU_ASSERT_EQUAL(cron_rfc3339_parse("1969-12-31T23:59:59.25Z", &us, &err), 0);
    CU_ASSERT_EQUAL(us, -750000);
    const char *bad[] = {"2024-01-01 10:00:00Z",
                         "2024-02-30T00:00:00Z",
                         "2024-01-01T10:00:00",
                         "2024-01-01T10:00:00+0800",
                         "2024-01-01T24:00:00Z",
                         "2024-01-01T10:00:00.Z",
                         "",
                         "2024-01-01T10:00:00Zjunk"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CU_ASSERT_EQUAL(cron_rfc3339_parse(bad[i], &us, &err), -1);
    char buf[64];
    cron_rfc3339_format(-750000, NULL, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "1969-12-31T23:59:59.25Z");
    cron_zone *k = load("Asia/Kolkata");
    cron_rfc3339_format(INT64_C(1704067200000000), k, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "2024-01-01T05:30:00+05:30");
    cron_zone_free(k);
}

static const cu_test tests[] = {
    {"offsets match libc on the same files", test_offsets_match_libc},
    {"known offsets", test_known_offsets},
    {"wall clock -> instant, Go's choice", test_wall_to_instant_go_choice},
    {"footer TZ rules", test_footer_rules},
    {"bad TZif data and zone names", test_bad_tzif_and_names},
    {"RFC 3339", test_rfc3339},
    {NULL, NULL},
};

int main(void) {
    cu_add_suite("cron_tz", tests);
    return cu_run_all();
}
