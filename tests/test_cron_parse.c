/* test_cron_parse.c: cron expression parsing in both dialects: field grammar (steps, ranges,
 * names, `?`, empty items, Go Atoi numbers), field counts, descriptors, @every durations, @date,
 * the zone prefix, and that every rejection names the field and the offending token. */
#include "cu.h"

#include <string.h>

#include "sim/control/cron/cron.h"

#define B(v) (UINT64_C(1) << (v))

static cron_schedule parse_ok(const char *expr, cron_dialect d) {
    cron_schedule s;
    sim_error err = {{0}};
    int rc = cron_parse(expr, d, &s, &err);
    if (rc != 0)
        fprintf(stderr, "unexpected error: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    return s;
}

/* Asserts a parse error whose message contains `needle`. */
static void parse_err(const char *expr, cron_dialect d, const char *needle) {
    cron_schedule s;
    sim_error err = {{0}};
    CU_ASSERT_EQUAL(cron_parse(expr, d, &s, &err), -1);
    if (strstr(err.msg, needle) == NULL)
        fprintf(stderr, "message \"%s\" lacks \"%s\"\n", err.msg, needle);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
    CU_ASSERT_PTR_NULL(s.zone);
}

static const cron_dialect HPA = CRON_DIALECT_CRONHPA, STD = CRON_DIALECT_STANDARD;

static void test_error_messages_name_field_and_token(void) {
    cron_schedule s;
    sim_error err;
    CU_ASSERT_EQUAL(cron_parse("0 61 * * * *", HPA, &s, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg,
                           "cron: \"0 61 * * * *\": minute field: value 61 out of range 0-59");
    parse_err("0 0 24 * * *", HPA, "hour field: value 24 out of range 0-23");
    parse_err("0 0 0 0 * *", HPA, "day-of-month field: value 0 out of range 1-31");
    parse_err("0 0 0 L * *", HPA, "day-of-month field: value \"L\" is not a number");
    parse_err("0 0 0 1W * *", HPA, "day-of-month field: value \"1W\" is not a number");
    parse_err("0 0 0 * * 5L", HPA, "day-of-week field: value \"5L\" is not a number");
    parse_err("0 0 H * * *", HPA, "hour field: value \"H\" is not a number");
    parse_err("0 0 0 * * MONDAY", HPA,
              "day-of-week field: value \"MONDAY\" is not a number or a weekday name");
    parse_err("0 0 0 * 13 *", HPA, "month field: value 13 out of range 1-12");
    parse_err("0 0 0 * * FRI-MON", HPA, "day-of-week field: range \"FRI-MON\" runs backwards");
    parse_err("0 5-10/0 * * * *", HPA, "minute field: step 0 in \"5-10/0\" must be positive");
    parse_err("0 1/2/3 * * * *", HPA, "minute field: too many '/' in \"1/2/3\"");
    parse_err("0 1-2-3 * * * *", HPA, "minute field: too many '-' in \"1-2-3\"");
    parse_err("0 -1 * * * *", HPA, "minute field: missing value in \"-1\"");
    parse_err("0 */-2 * * * *", HPA, "minute field: step -2 in \"*/-2\" must be positive");
    parse_err("0 */x * * * *", HPA, "minute field: step \"x\" in \"*/x\" is not a number");
    parse_err("0 99999999999999999999 * * * *", HPA,
              "minute field: value \"99999999999999999999\" out of range");
    parse_err("0 0 0 * * 7", HPA, "day-of-week field: value 7 out of range 0-6");
    parse_err("0 0 * * 7", STD, "day-of-week field: value 7 out of range 0-6");
    parse_err("60 * * * *", STD, "minute field: value 60 out of range 0-59");
}

static void test_field_counts(void) {
    parse_err("0 0 0 * * * *", HPA, "expected 5 or 6 fields");
    parse_err("0 0 0 *", HPA, "found 4");
    parse_err("   ", HPA, "found 0");
    parse_err("", HPA, "empty expression");
    parse_err("0 0 * * * *", STD, "expected exactly 5 fields");
    parse_err("0 0 * * * *", STD, "no seconds field");
    parse_err("0 * * *", STD, "found 4");
    /* Five fields in cronhpa: second minute hour dom month, day-of-week "*". */
    cron_schedule s = parse_ok("30 10 * * *", HPA);
    CU_ASSERT_EQUAL(s.nfields, 5);
    CU_ASSERT_EQUAL(s.bits[CRON_SEC], B(30));
    CU_ASSERT_EQUAL(s.bits[CRON_MIN], B(10));
    CU_ASSERT_EQUAL(s.bits[CRON_HOUR], ((B(24) - 1) | CRON_STAR_BIT));
    CU_ASSERT_EQUAL(s.bits[CRON_DOW], (0x7f | CRON_STAR_BIT));
    /* The same line in the standard dialect: minute 30, hour 10, second 0. */
    s = parse_ok("30 10 * * *", STD);
    CU_ASSERT_EQUAL(s.bits[CRON_SEC], B(0));
    CU_ASSERT_EQUAL(s.bits[CRON_MIN], B(30));
    CU_ASSERT_EQUAL(s.bits[CRON_HOUR], B(10));
    /* Any Unicode white space separates fields (Go's strings.Fields). */
    s = parse_ok("0\t0\n0\xc2\xa0*\xe3\x80\x80* *", HPA);
    CU_ASSERT_EQUAL(s.nfields, 6);
    CU_ASSERT_EQUAL(s.bits[CRON_HOUR], B(0));
}

static void test_steps_ranges_names(void) {
    cron_schedule s = parse_ok("5/20 0-10/5 9-17/2 */10 JAN-mar mon/2", HPA);
    CU_ASSERT_EQUAL(s.bits[CRON_SEC], B(5) | B(25) | B(45));
    CU_ASSERT_EQUAL(s.bits[CRON_MIN], B(0) | B(5) | B(10));
    CU_ASSERT_EQUAL(s.bits[CRON_HOUR], B(9) | B(11) | B(13) | B(15) | B(17));
    /* dom "*" + "/10" = 1, 11, 21, 31 and (fork) keeps the star flag */
    CU_ASSERT_EQUAL(s.bits[CRON_DOM], B(1) | B(11) | B(21) | B(31) | CRON_STAR_BIT);
    CU_ASSERT_EQUAL(s.bits[CRON_MONTH], B(1) | B(2) | B(3));
    CU_ASSERT_EQUAL(s.bits[CRON_DOW], B(1) | B(3) | B(5));
    /* robfig v3 drops the star flag for a step above 1, keeps it for /1 */
    s = parse_ok("0 0 */10 * */1", STD);
    CU_ASSERT_EQUAL(s.bits[CRON_DOM], B(1) | B(11) | B(21) | B(31));
    CU_ASSERT_EQUAL(s.bits[CRON_DOW], 0x7f | CRON_STAR_BIT);
    /* empty items are dropped; a field of commas only is an empty set */
    s = parse_ok("0,,30 , * * * ?", HPA);
    CU_ASSERT_EQUAL(s.bits[CRON_SEC], B(0) | B(30));
    CU_ASSERT_EQUAL(s.bits[CRON_MIN], 0);
    CU_ASSERT_EQUAL(s.bits[CRON_DOW], 0x7f | CRON_STAR_BIT);
    /* Go Atoi: '+' sign and leading zeros; "*-5" is "*" (the rest after a star is ignored) */
    s = parse_ok("+5 05 *-5 ?-1 * sun,SAT", HPA);
    CU_ASSERT_EQUAL(s.bits[CRON_SEC], B(5));
    CU_ASSERT_EQUAL(s.bits[CRON_MIN], B(5));
    CU_ASSERT_EQUAL(s.bits[CRON_HOUR], (B(24) - 1) | CRON_STAR_BIT);
    CU_ASSERT_EQUAL(s.bits[CRON_DOM], ((B(32) - 1) & ~B(0)) | CRON_STAR_BIT);
    CU_ASSERT_EQUAL(s.bits[CRON_DOW], B(0) | B(6));
    /* names only where they belong */
    parse_err("0 0 0 * * JAN", HPA, "day-of-week field: value \"JAN\"");
    parse_err("0 MON * * * *", HPA, "minute field: value \"MON\" is not a number");
}

static void test_descriptors(void) {
    cron_schedule s = parse_ok("@weekly", HPA);
    CU_ASSERT_EQUAL(s.kind, CRON_SPEC);
    CU_ASSERT_EQUAL(s.nfields, 0);
    CU_ASSERT_EQUAL(s.bits[CRON_DOW], B(0));
    CU_ASSERT_EQUAL(s.bits[CRON_HOUR], B(0));
    s = parse_ok("@hourly", STD);
    CU_ASSERT_EQUAL(s.bits[CRON_HOUR], (B(24) - 1) | CRON_STAR_BIT);
    s = parse_ok("@annually", HPA);
    CU_ASSERT_EQUAL(s.bits[CRON_MONTH], B(1));
    CU_ASSERT_EQUAL(s.bits[CRON_DOM], B(1));
    parse_err("@reboot", HPA, "unknown descriptor \"@reboot\"");
    parse_err("@hourly ", HPA, "unknown descriptor"); /* whole-string match */
    parse_err(" @hourly", HPA, "found 1");            /* not a descriptor, one field */
}

static void test_every(void) {
    struct {
        const char *expr;
        int64_t us;
    } ok[] = {
        {"@every 90s", 90000000},
        {"@every 1h30m", 5400000000},
        {"@every 1.5h", 5400000000},
        {"@every 1500ms", 1000000}, /* sub-second part dropped */
        {"@every 500ms", 1000000},  /* below 1 s raised to 1 s */
        {"@every 1ns", 1000000},
        {"@every 0", 1000000},
        {"@every -5s", 1000000},
        {"@every 1\xc2\xb5s", 1000000}, /* micro sign */
        {"@every 2562047h47m16.854775807s", INT64_C(9223372036000000)},
        {"@every .5m", 30000000},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        cron_schedule s = parse_ok(ok[i].expr, HPA);
        CU_ASSERT_EQUAL(s.kind, CRON_EVERY);
        CU_ASSERT_EQUAL(s.every_us, ok[i].us);
        s = parse_ok(ok[i].expr, STD);
        CU_ASSERT_EQUAL(s.every_us, ok[i].us);
    }
    parse_err("@every 1d", HPA, "unknown unit \"d\"");
    parse_err("@every 10", HPA, "missing unit");
    parse_err("@every ", HPA, "invalid duration");
    parse_err("@every  90s", HPA, "invalid duration");
    parse_err("@every 1h 30m", HPA, "unknown unit \"h \"");
    parse_err("@every 2562047h47m16.854775808s", HPA, "overflow");
    parse_err("@every .s", HPA, "invalid duration");
}

static void test_date(void) {
    cron_schedule s = parse_ok("@date 2024-10-01 10:30:05", HPA);
    CU_ASSERT_EQUAL(s.run_once, 1);
    CU_ASSERT_EQUAL(s.bits[CRON_SEC], B(5));
    CU_ASSERT_EQUAL(s.bits[CRON_MIN], B(30));
    CU_ASSERT_EQUAL(s.bits[CRON_HOUR], B(10));
    CU_ASSERT_EQUAL(s.bits[CRON_DOM], B(1));
    CU_ASSERT_EQUAL(s.bits[CRON_MONTH], B(10));
    /* Go's time.Parse leniencies: one-digit hour, runs of spaces, an unasked-for fraction */
    s = parse_ok("@date 2024-10-01   9:05:00.25", HPA);
    CU_ASSERT_EQUAL(s.bits[CRON_HOUR], B(9));
    parse_err("@date 2024-10-01 10:30:00", STD, "unknown descriptor");
    parse_err("@date 2023-02-29 00:00:00", HPA, "day out of range");
    parse_err("@date 2024-13-01 00:00:00", HPA, "month out of range");
    parse_err("@date 2024-1-01 00:00:00", HPA, "expected YYYY-MM-DD HH:MM:SS");
    parse_err("@date 2024-01-01 24:00:00", HPA, "hour out of range");
    parse_err("@date 2024-01-01 10:60:00", HPA, "minute out of range");
    parse_err("@date 2024-01-01 10:00", HPA, "expected YYYY-MM-DD HH:MM:SS");
    parse_err("@date 2024-01-01 10:00:00 x", HPA, "extra text");
    parse_err("@date  2024-01-01 10:00:00", HPA, "expected YYYY-MM-DD");
    parse_err("@date", HPA, "unknown descriptor");
}

static void test_zone_prefix(void) {
    cron_schedule s = parse_ok("CRON_TZ=Asia/Shanghai 0 9 * * *", STD);
    CU_ASSERT_PTR_NOT_NULL(s.zone);
    CU_ASSERT_STRING_EQUAL(cron_zone_name(s.zone), "Asia/Shanghai");
    cron_schedule_free(&s);
    CU_ASSERT_PTR_NULL(s.zone);
    s = parse_ok("TZ=UTC   @hourly  ", STD); /* rest is trimmed before the descriptor check */
    CU_ASSERT_STRING_EQUAL(cron_zone_name(s.zone), "UTC");
    cron_schedule_free(&s);
    s = parse_ok("CRON_TZ=Local 0 9 * * *", STD); /* Local = the caller's zone */
    CU_ASSERT_PTR_NULL(s.zone);
    parse_err("CRON_TZ=Nowhere/Zone 0 9 * * *", STD, "zone prefix: time zone \"Nowhere/Zone\"");
    parse_err("CRON_TZ=../../etc/passwd 0 9 * * *", STD, "invalid location name");
    parse_err("TZ=UTC", STD, "must be followed by a space");
    parse_err("CRON_TZ=UTC 0 9 * * * *", STD, "expected exactly 5 fields");
    /* the fork has no prefix: the zone lands in the seconds field */
    parse_err("CRON_TZ=America/New_York 0 30 9 * * *", HPA, "expected 5 or 6 fields");
    parse_err("TZ=Asia/Tokyo 0 0 9 * *", HPA,
              "second field: value \"TZ=Asia\" in \"TZ=Asia/Tokyo\"");
}

static void test_dialect_names_and_pitfalls(void) {
    cron_dialect d;
    sim_error err;
    CU_ASSERT_EQUAL(cron_dialect_parse("standard", &d, &err), 0);
    CU_ASSERT_EQUAL(d, STD);
    CU_ASSERT_EQUAL(cron_dialect_parse("quartz", &d, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cronhpa or standard"));
    const char *notes[4];
    cron_schedule s = parse_ok("30 10 * * *", HPA);
    CU_ASSERT_EQUAL(cron_pitfalls(&s, notes, 4), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(notes[0], "five fields"));
    s = parse_ok("0 0 0 1-7 * MON", HPA);
    CU_ASSERT_EQUAL(cron_pitfalls(&s, notes, 4), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(notes[0], "EITHER"));
    s = parse_ok("0 0 0 */2 * MON", HPA);
    CU_ASSERT_EQUAL(cron_pitfalls(&s, notes, 4), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(notes[0], "BOTH"));
    s = parse_ok("0 0 */2 * MON", STD); /* v3: no star left, OR rule: the either note */
    CU_ASSERT_EQUAL(cron_pitfalls(&s, notes, 4), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(notes[0], "EITHER"));
    s = parse_ok("0 30 10 * * *", HPA);
    CU_ASSERT_EQUAL(cron_pitfalls(&s, notes, 4), 0);
    s = parse_ok("@daily", HPA);
    CU_ASSERT_EQUAL(cron_pitfalls(&s, notes, 4), 0);
    s = parse_ok("@every 90s", STD);
    CU_ASSERT_EQUAL(cron_pitfalls(&s, notes, 4), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(notes[0], "rejects @"));
    s = parse_ok("CRON_TZ=Asia/Shanghai 0 9 * * *", STD);
    CU_ASSERT_EQUAL(cron_pitfalls(&s, notes, 4), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(notes[0], "overrides"));
    cron_schedule_free(&s);
}

/* Random strings over the cron alphabet, in both dialects: parsing never crashes, a rejection
 * always says what was wrong, and an accepted schedule answers cron_next (run under ASan/UBSan
 * in the sanitizer build). Deterministic: fixed seed. */
static void test_random_expressions_never_crash(void) {
    static const char *const pieces[] = {"0",
                                         "5",
                                         "59",
                                         "60",
                                         "*",
                                         "?",
                                         "/",
                                         "-",
                                         ",",
                                         " ",
                                         " ",
                                         " ",
                                         "\t",
                                         "MON",
                                         "jan",
                                         "@",
                                         "@every ",
                                         "@date ",
                                         "1h",
                                         "2024-02-29 ",
                                         "10:30:00",
                                         "CRON_TZ=UTC ",
                                         "L",
                                         "+",
                                         "99999999999999999999",
                                         "7"};
    uint64_t state = 42;
    int accepted = 0, rejected = 0;
    cron_zone *ny;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(cron_zone_load("America/New_York", &ny, &err), 0);
    for (int i = 0; i < 20000; i++) {
        char expr[256] = "";
#define RND() (state = state * 6364136223846793005ULL + 1442695040888963407ULL, state >> 33)
        if (i % 2) { /* free-form: pieces glued together */
            int n = 1 + (int)(RND() % 14);
            for (int k = 0; k < n; k++)
                strncat(expr, pieces[RND() % (sizeof pieces / sizeof pieces[0])],
                        sizeof expr - strlen(expr) - 1);
        } else { /* field-shaped: 4 to 7 fields of items with numbers around the bounds */
            int nf = 4 + (int)(RND() % 4);
            for (int f = 0; f < nf; f++) {
                char field[48];
                int a1 = (int)(RND() % 64), b1 = (int)(RND() % 64), st = (int)(RND() % 9);
                switch (RND() % 8) {
                case 0:
                    snprintf(field, sizeof field, "*");
                    break;
                case 1:
                    snprintf(field, sizeof field, "%d", a1 % 8);
                    break;
                case 2:
                    snprintf(field, sizeof field, "%d-%d", a1 % 7, 7 + b1 % 20);
                    break;
                case 3:
                    snprintf(field, sizeof field, "*/%d", st);
                    break;
                case 4:
                    snprintf(field, sizeof field, "%d/%d", a1 % 12, st);
                    break;
                case 5:
                    snprintf(field, sizeof field, "%d,%d", a1 % 12, b1);
                    break;
                case 6:
                    snprintf(field, sizeof field, "?");
                    break;
                default:
                    snprintf(field, sizeof field, "%s",
                             pieces[RND() % (sizeof pieces / sizeof pieces[0])]);
                }
                if (f)
                    strncat(expr, " ", sizeof expr - strlen(expr) - 1);
                strncat(expr, field, sizeof expr - strlen(expr) - 1);
            }
        }
#undef RND
        for (int d = 0; d < 2; d++) {
            cron_schedule sch;
            err.msg[0] = '\0';
            if (cron_parse(expr, d ? STD : HPA, &sch, &err) == 0) {
                accepted++;
                int64_t t = cron_next(&sch, ny, INT64_C(1704067200000000));
                CU_ASSERT(t == CRON_NEVER || t > INT64_C(1704067200000000));
                cron_schedule_free(&sch);
            } else {
                rejected++;
                CU_ASSERT(strncmp(err.msg, "cron: \"", 7) == 0 &&
                          strlen(err.msg) > strlen(expr) + 12);
            }
        }
    }
    cron_zone_free(ny);
    CU_ASSERT(accepted > 100);
    CU_ASSERT(rejected > 100);
}

static const cu_test tests[] = {
    {"error messages name field and token", test_error_messages_name_field_and_token},
    {"field counts per dialect", test_field_counts},
    {"steps, ranges, names, ?, empty items", test_steps_ranges_names},
    {"descriptors", test_descriptors},
    {"@every durations", test_every},
    {"@date", test_date},
    {"CRON_TZ= prefix", test_zone_prefix},
    {"dialect names and pitfall notes", test_dialect_names_and_pitfalls},
    {"random expressions never crash", test_random_expressions_never_crash},
    {NULL, NULL},
};

int main(void) {
    cu_add_suite("cron_parse", tests);
    return cu_run_all();
}
