/* test_cronhpa.c: the CronHPA controller's decision rules as pure functions (cronhpa.h): the
 * HPA-compatibility table of shared/conformance/cron/README.md 1.4, the excludeDates month/hour
 * comparison with its false positives and negatives, the condition texts, KEDA's cron activity
 * table (README 2) and KEDA's combination of a cron trigger with another metric (the HPA's max,
 * through hpa_sync itself). */
#include "cu.h"

#include <string.h>

#include "sim/control/cron/cronhpa.h"
#include "sim/control/cron/rfc3339.h"
#include "sim/control/hpa/hpa.h"

#define S INT64_C(1000000)

static int64_t at(const char *rfc) {
    int64_t us = 0;
    sim_error e;
    CU_ASSERT_EQUAL_FATAL(cron_rfc3339_parse(rfc, &us, &e), 0);
    return us;
}

/* README 1.4 worked examples: T | min/max | cur -> min/max after | HPA updated | replicas. */
static void test_hpa_table(void) {
    static const struct {
        int32_t t, min, max, cur, min_after, max_after, updated, set;
    } rows[] = {
        {3, 1, 10, 1, 3, 10, 1, 1},   {3, 1, 10, 5, 1, 10, 0, 0}, {11, 4, 10, 5, 11, 11, 1, 1},
        {1, 11, 11, 11, 1, 11, 1, 0}, {1, 4, 10, 4, 1, 10, 1, 0}, {3, 2, 10, 3, 2, 10, 0, 0},
        {5, 1, 10, 0, 5, 10, 1, 1},   {0, 1, 10, 3, 0, 10, 1, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cronhpa_hpa_effect e;
        char msg[CRONHPA_MSG_MAX];
        cronhpa_scale_hpa(rows[i].t, rows[i].min, rows[i].max, rows[i].cur, 7, "h", "default", &e,
                          msg, sizeof msg);
        CU_ASSERT_EQUAL(e.min_replicas, rows[i].min_after);
        CU_ASSERT_EQUAL(e.max_replicas, rows[i].max_after);
        CU_ASSERT_EQUAL(e.hpa_updated, rows[i].updated);
        CU_ASSERT_EQUAL(e.set_replicas, rows[i].set);
        CU_ASSERT_EQUAL(e.max_raised, rows[i].t > rows[i].max);
    }
    /* the skip message prints the workload's replicas (S = 7), not currentReplicas */
    cronhpa_hpa_effect e;
    char msg[CRONHPA_MSG_MAX];
    cronhpa_scale_hpa(3, 1, 10, 5, 7, "qwen-hpa", "default", &e, msg, sizeof msg);
    CU_ASSERT_STRING_EQUAL(msg, "Skip scale replicas because HPA qwen-hpa in namespace default "
                                "current replicas:7 >= desired replicas:3.");
    cronhpa_scale_hpa(3, 1, 10, 1, 1, "qwen-hpa", "default", &e, msg, sizeof msg);
    CU_ASSERT_STRING_EQUAL(msg, "current replicas:1, desired replicas:3.");
}

static void test_messages(void) {
    char msg[CRONHPA_MSG_MAX], d[CRONHPA_MSG_MAX];
    cronhpa_scale_workload(2, 1, d, sizeof d);
    cronhpa_msg_succeed("scale-up", d, msg, sizeof msg);
    CU_ASSERT_STRING_EQUAL(msg, "cron hpa job scale-up executed successfully. current "
                                "replicas:1, desired replicas:2.");
    cronhpa_msg_skip_exclude("scale-up", "* * * 15 11 *", msg, sizeof msg);
    CU_ASSERT_STRING_EQUAL(msg, "cron hpa job scale-up executed successfully. skip scaling "
                                "activity,because of excludeDate (* * * 15 11 *).");
    CU_ASSERT_STRING_EQUAL(cronhpa_state_name(CRONHPA_SUBMITTED), "Submitted");
    CU_ASSERT_STRING_EQUAL(cronhpa_state_name(CRONHPA_SUCCEED), "Succeed");
    CU_ASSERT_STRING_EQUAL(cronhpa_state_name(CRONHPA_FAILED), "Failed");
}

static int excluded(const char *expr, const char *now, int *quirk) {
    cron_zone *z = NULL;
    sim_error e;
    CU_ASSERT_EQUAL_FATAL(cron_zone_load("Asia/Shanghai", &z, &e), 0);
    cron_schedule s;
    CU_ASSERT_EQUAL_FATAL(cron_parse(expr, CRON_DIALECT_CRONHPA, &s, &e), 0);
    const cron_schedule *p = &s;
    int r = cronhpa_excluded(&p, 1, z, at(now), quirk);
    cron_schedule_free(&s);
    cron_zone_free(z);
    return r;
}

/* README 1.4: skipped iff Next(now) has now's month and hour. */
static void test_exclude_month_hour(void) {
    int q = -1;
    /* on the excluded day itself: as intended */
    CU_ASSERT_EQUAL(excluded("* * * 15 11 *", "2024-11-15T10:00:00+08:00", &q), 0);
    CU_ASSERT_EQUAL(q, 0);
    /* false positive: hour 00 of another November day (next match Nov 15 00:00) */
    CU_ASSERT_EQUAL(excluded("* * * 15 11 *", "2024-11-01T00:30:00+08:00", &q), 0);
    CU_ASSERT_EQUAL(q, 1);
    CU_ASSERT_EQUAL(excluded("* * * 15 11 *", "2024-11-16T00:00:05+08:00", &q), 0);
    CU_ASSERT_EQUAL(q, 1);
    /* same day, other hours of Nov 1: runs, as intended */
    CU_ASSERT_EQUAL(excluded("* * * 15 11 *", "2024-11-01T10:30:00+08:00", &q), -1);
    CU_ASSERT_EQUAL(q, 0);
    /* false negative: 23:59:59 on the excluded day, next match a year away */
    CU_ASSERT_EQUAL(excluded("* * * 15 11 *", "2024-11-15T23:59:59+08:00", &q), -1);
    CU_ASSERT_EQUAL(q, 1);
    /* issue #35: concrete time fields skip the 01:xx hour of every December day */
    CU_ASSERT_EQUAL(excluded("0 36 1 12 12 *", "2024-12-13T01:45:00+08:00", &q), 0);
    CU_ASSERT_EQUAL(q, 1);
    CU_ASSERT_EQUAL(excluded("0 36 1 12 12 *", "2024-12-12T01:45:00+08:00", &q), 0);
    CU_ASSERT_EQUAL(q, 0);
    CU_ASSERT_EQUAL(excluded("0 36 1 12 12 *", "2024-12-12T03:00:00+08:00", &q), -1);
    CU_ASSERT_EQUAL(q, 1);
}

static int keda(const char *start, const char *end, const char *tz, const char *now) {
    cron_zone *z = NULL;
    sim_error e;
    CU_ASSERT_EQUAL_FATAL(cron_zone_load(tz, &z, &e), 0);
    cron_schedule a, b;
    CU_ASSERT_EQUAL_FATAL(cron_parse(start, CRON_DIALECT_STANDARD, &a, &e), 0);
    CU_ASSERT_EQUAL_FATAL(cron_parse(end, CRON_DIALECT_STANDARD, &b, &e), 0);
    int r = keda_cron_active(&a, &b, z, at(now));
    cron_schedule_free(&a);
    cron_schedule_free(&b);
    cron_zone_free(z);
    return r;
}

/* README section 2's table, row by row. */
static void test_keda_activity(void) {
    CU_ASSERT_EQUAL(keda("0 6 * * *", "0 20 * * *", "Asia/Kolkata", "2024-01-01T05:59:59.5+05:30"),
                    0);
    CU_ASSERT_EQUAL(keda("0 6 * * *", "0 20 * * *", "Asia/Kolkata", "2024-01-01T06:00:00+05:30"),
                    1);
    CU_ASSERT_EQUAL(keda("0 6 * * *", "0 20 * * *", "Asia/Kolkata", "2024-01-01T20:00:00+05:30"),
                    0);
    CU_ASSERT_EQUAL(keda("0 22 * * *", "0 6 * * *", "UTC", "2024-01-02T05:00:00Z"), 1);
    CU_ASSERT_EQUAL(keda("0 6 * * 1", "0 20 * * *", "UTC", "2024-01-02T10:00:00Z"), 1);
    CU_ASSERT_EQUAL(keda("0 6 * * 1", "0 20 * * *", "UTC", "2024-01-03T23:00:00Z"), 1);
    CU_ASSERT_EQUAL(keda("0 6 * * 1", "0 20 * * *", "UTC", "2024-01-07T21:00:00Z"), 0);
    CU_ASSERT_EQUAL(keda("0 6 * * 1", "0 20 * * 1", "UTC", "2024-01-02T10:00:00Z"), 0);
    CU_ASSERT_EQUAL(
        keda("30 2 * * *", "0 4 * * *", "America/New_York", "2024-03-10T03:30:00-04:00"), 1);
    CU_ASSERT_EQUAL(keda("0 9 * * *", "0 9 * * 1-5", "UTC", "2024-01-07T10:00:00Z"), 1);
}

/* KEDA's HPA: the cron trigger is an External metric (AverageValue target 1, value
 * desiredReplicas when active, 0 when not); another trigger (here a queue length, AverageValue
 * target 10) is a second metric; the HPA takes the largest proposal. Run through hpa_sync. */
static int32_t keda_hpa(int64_t cron_value, int64_t queue_value, int32_t current) {
    hpa_config cfg;
    hpa_config_default(&cfg);
    hpa_metric_spec m[2] = {
        {HPA_METRIC_EXTERNAL,
         "External",
         "s0-cron-Asia-Shanghai-0010xx-0012xx",
         NULL,
         NULL,
         NULL,
         NULL,
         {HPA_TARGET_AVERAGE_VALUE, 0, 0, 1, 1000, 0, 0}},
        {HPA_METRIC_EXTERNAL,
         "External",
         "s1-queue",
         NULL,
         NULL,
         NULL,
         NULL,
         {HPA_TARGET_AVERAGE_VALUE, 0, 0, 1, 10000, 0, 0}},
    };
    hpa_spec spec = {"default", 1, 100, m, 2, {0}};
    hpa_state st;
    hpa_state_init(&st);
    hpa_status status;
    memset(&status, 0, sizeof status);
    int64_t v0 = cron_value * 1000, v1 = queue_value * 1000;
    hpa_metric_data data[2];
    memset(data, 0, sizeof data);
    data[0].external_values = &v0;
    data[0].nexternal = 1;
    data[1].external_values = &v1;
    data[1].nexternal = 1;
    hpa_inputs in;
    memset(&in, 0, sizeof in);
    in.now_us = 0;
    in.spec_replicas = current;
    in.status_replicas = current;
    in.metrics = data;
    hpa_decision d;
    sim_error e;
    CU_ASSERT_EQUAL_FATAL(hpa_sync(&cfg, &spec, &st, &status, &in, &d, &e), 0);
    hpa_state_free(&st);
    return d.replicas_after;
}

static void test_keda_combination(void) {
    /* 4 running: the scale-up limit max(2 x 4, 4) = 8 is out of the way and no proposal is
     * below 4 (a first sync stabilises scale-downs at the current count) */
    /* window active, desiredReplicas 5; queue 35 -> 4: max is the cron floor */
    CU_ASSERT_EQUAL(keda_hpa(5, 35, 4), 5);
    /* window active, queue 80 -> 8: the other metric wins */
    CU_ASSERT_EQUAL(keda_hpa(5, 80, 4), 8);
    /* window over (value 0): the queue alone */
    CU_ASSERT_EQUAL(keda_hpa(0, 35, 4), 4);
    /* tolerance against the current count: desired 10 while 11 run stays 11 */
    CU_ASSERT_EQUAL(keda_hpa(10, 0, 11), 11);
}

int main(void) {
    static const cu_test tests[] = {{"hpa_table", test_hpa_table},
                                    {"messages", test_messages},
                                    {"exclude_month_hour", test_exclude_month_hour},
                                    {"keda_activity", test_keda_activity},
                                    {"keda_combination", test_keda_combination},
                                    {NULL, NULL}};
    cu_add_suite("cronhpa", tests);
    return cu_run_all();
}
