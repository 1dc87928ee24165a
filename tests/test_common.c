/* test_common.c: durations, quantities, the option parser and the latency histogram. */
#include "cu.h"

#include <math.h>
#include <string.h>

#include "common/duration.h"
#include "common/histogram.h"
#include "common/options.h"
#include "common/quantity.h"

static int64_t dur(const char *s) {
    int64_t us = -42;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(duration_parse(s, &us, &err), 0);
    return us;
}

static void test_duration_parse(void) {
    CU_ASSERT_EQUAL(dur("0"), 0);
    CU_ASSERT_EQUAL(dur("250ms"), 250000);
    CU_ASSERT_EQUAL(dur("2m"), 120000000);
    CU_ASSERT_EQUAL(dur("1h30m"), 5400000000LL);
    CU_ASSERT_EQUAL(dur("1.5s"), 1500000);
    CU_ASSERT_EQUAL(dur("-2m"), -120000000);
    CU_ASSERT_EQUAL(dur("10us"), 10);
    CU_ASSERT_EQUAL(dur("1500ns"), 2); /* rounds to whole microseconds */
    CU_ASSERT_EQUAL(dur(".5s"), 500000);
}

static void test_duration_errors(void) {
    int64_t us;
    sim_error err;
    CU_ASSERT_EQUAL(duration_parse("", &us, &err), -1);
    CU_ASSERT_EQUAL(duration_parse("10", &us, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "missing unit"));
    CU_ASSERT_EQUAL(duration_parse("5d", &us, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown unit"));
    CU_ASSERT_EQUAL(duration_parse("1ns", &us, &err), -1);
    CU_ASSERT_EQUAL(duration_parse("ms", &us, &err), -1);
    CU_ASSERT_EQUAL(duration_parse("9999999999h", &us, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "out of range"));
}

static void test_duration_format(void) {
    char buf[64];
    duration_format(5400000000LL, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "1h30m");
    duration_format(120000000, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "2m");
    duration_format(250000, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "250ms");
    duration_format(1500000, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "1.5s");
    duration_format(0, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "0s");
}

static void test_quantity(void) {
    int64_t m;
    sim_error err;
    CU_ASSERT_EQUAL(quantity_parse_milli("500m", &m, &err), 0);
    CU_ASSERT_EQUAL(m, 500);
    CU_ASSERT_EQUAL(quantity_parse_milli("2", &m, &err), 0);
    CU_ASSERT_EQUAL(m, 2000);
    CU_ASSERT_EQUAL(quantity_parse_milli("0.5", &m, &err), 0);
    CU_ASSERT_EQUAL(m, 500);
    CU_ASSERT_EQUAL(quantity_parse_milli("200Mi", &m, &err), 0);
    CU_ASSERT_EQUAL(m, 200LL * 1024 * 1024 * 1000);
    CU_ASSERT_EQUAL(quantity_parse_milli("1e3", &m, &err), 0);
    CU_ASSERT_EQUAL(m, 1000000);
    CU_ASSERT_EQUAL(quantity_parse_milli("1.5k", &m, &err), 0);
    CU_ASSERT_EQUAL(m, 1500000);
    CU_ASSERT_EQUAL(quantity_parse_milli("12x", &m, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "invalid quantity \"12x\""));
    CU_ASSERT_EQUAL(quantity_parse_milli("1.2.3", &m, &err), -1);
    CU_ASSERT_EQUAL(quantity_parse_milli("", &m, &err), -1);
}

static void test_options(void) {
    const char *out = NULL;
    int64_t seed = 0, dur_us = 0;
    int verbose = 0;
    const opt_spec opts[] = {
        {"output", 'o', OPT_STRING, "DIR", "output dir", &out},
        {"seed", 0, OPT_INT, "N", "seed", &seed},
        {"duration", 0, OPT_DURATION, "D", "duration", &dur_us},
        {"verbose", 'v', OPT_FLAG, NULL, "talk", &verbose},
        {0},
    };
    const cmd_spec cmd = {"run", "scalesim run X", "runs", NULL, opts};
    char *argv[] = {"run", "a.json", "-o", "dir", "--seed=7", "--duration", "2m", "-v", "--", "-b"};
    int npos = 0;
    sim_error err;
    CU_ASSERT_EQUAL(opts_parse(&cmd, 10, argv, &npos, &err), OPTS_OK);
    CU_ASSERT_EQUAL(npos, 2);
    CU_ASSERT_STRING_EQUAL(argv[1], "a.json");
    CU_ASSERT_STRING_EQUAL(argv[2], "-b");
    CU_ASSERT_STRING_EQUAL(out, "dir");
    CU_ASSERT_EQUAL(seed, 7);
    CU_ASSERT_EQUAL(dur_us, 120000000);
    CU_ASSERT_EQUAL(verbose, 1);

    char *bad1[] = {"run", "--sed", "3"};
    CU_ASSERT_EQUAL(opts_parse(&cmd, 3, bad1, &npos, &err), OPTS_ERROR);
    CU_ASSERT_STRING_EQUAL(err.msg,
                           "run: unknown option '--sed' (did you mean '--seed'?); see 'scalesim "
                           "run --help'");
    char *bad2[] = {"run", "--seed", "x"};
    CU_ASSERT_EQUAL(opts_parse(&cmd, 3, bad2, &npos, &err), OPTS_ERROR);
    CU_ASSERT_STRING_EQUAL(err.msg, "run: --seed: expected an integer, got \"x\"");
    char *bad3[] = {"run", "-o"};
    CU_ASSERT_EQUAL(opts_parse(&cmd, 2, bad3, &npos, &err), OPTS_ERROR);
    CU_ASSERT_STRING_EQUAL(err.msg, "run: option -o/--output needs a value (DIR)");
}

/* OPT_STRINGS: a repeatable option keeps every value in order, with a cap. */
static void test_options_repeat(void) {
    static opt_strings sets;
    memset(&sets, 0, sizeof sets);
    const opt_spec opts[] = {
        {"set", 0, OPT_STRINGS, "P=V", "edit", &sets},
        {0},
    };
    const cmd_spec cmd = {"replay", "scalesim replay X", "replays", NULL, opts};
    char *argv[] = {"replay", "--set", "a=1", "r.csv", "--set=b=2"};
    int npos = 0;
    sim_error err;
    CU_ASSERT_EQUAL(opts_parse(&cmd, 5, argv, &npos, &err), OPTS_OK);
    CU_ASSERT_EQUAL(npos, 1);
    CU_ASSERT_EQUAL_FATAL(sets.n, 2);
    CU_ASSERT_STRING_EQUAL(sets.v[0], "a=1");
    CU_ASSERT_STRING_EQUAL(sets.v[1], "b=2");
    memset(&sets, 0, sizeof sets);
    char *many[2 * OPT_STRINGS_MAX + 3];
    int n = 0;
    many[n++] = "replay";
    for (int i = 0; i <= OPT_STRINGS_MAX; i++) {
        many[n++] = "--set";
        many[n++] = "x=1";
    }
    CU_ASSERT_EQUAL(opts_parse(&cmd, n, many, &npos, &err), OPTS_ERROR);
    CU_ASSERT_STRING_EQUAL(err.msg, "replay: --set: at most 32 times");
}

static void test_histogram_accuracy(void) {
    static histogram h;
    histogram_init(&h);
    /* Every value from 1 to 1e6: percentiles must be within 1% of the exact ones. */
    for (int64_t v = 1; v <= 1000000; v++)
        histogram_record(&h, v);
    CU_ASSERT_EQUAL(h.count, 1000000);
    double qs[] = {0.1, 0.5, 0.9, 0.95, 0.99, 0.999};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        double exact = qs[i] * 1e6;
        double got = (double)histogram_percentile(&h, qs[i]);
        CU_ASSERT(fabs(got - exact) / exact < 0.01);
    }
    CU_ASSERT_EQUAL(histogram_percentile(&h, 1.0), 1000000);
    CU_ASSERT_EQUAL(histogram_percentile(&h, 0.0), 1);
    CU_ASSERT_DOUBLE_EQUAL(histogram_mean(&h), 500000.5, 1e-6);
    histogram_reset(&h);
    CU_ASSERT_EQUAL(h.count, 0);
    CU_ASSERT_EQUAL(histogram_percentile(&h, 0.5), 0);
    for (int b = 0; b < HIST_BUCKETS; b++)
        CU_ASSERT_EQUAL_FATAL(h.buckets[b], 0);
}

static void test_histogram_buckets(void) {
    /* Buckets tile the number line without gaps and are at most 1/128 of their value wide. */
    for (int b = 0; b + 1 < HIST_BUCKETS; b++) {
        CU_ASSERT_EQUAL_FATAL(histogram_bucket_high(b), histogram_bucket_low(b + 1));
        CU_ASSERT_EQUAL_FATAL(histogram_bucket_of(histogram_bucket_low(b)), b);
        int64_t width = histogram_bucket_high(b) - histogram_bucket_low(b);
        CU_ASSERT_FATAL(width * 128 <= histogram_bucket_low(b) || histogram_bucket_low(b) < 128);
    }
    CU_ASSERT_EQUAL(histogram_bucket_of(INT64_MAX), HIST_BUCKETS - 1);
    CU_ASSERT_EQUAL(histogram_bucket_of(-5), 0);
}

static void test_histogram_merge(void) {
    static histogram a, b;
    histogram_init(&a);
    histogram_init(&b);
    histogram_record(&a, 10);
    histogram_record(&b, 1000000);
    histogram_merge(&a, &b);
    CU_ASSERT_EQUAL(a.count, 2);
    CU_ASSERT_EQUAL(a.min, 10);
    CU_ASSERT_EQUAL(a.max, 1000000);
    CU_ASSERT_EQUAL(histogram_percentile(&a, 0.5), 10);
}

int main(void) {
    static const cu_test duration_tests[] = {
        {"parse", test_duration_parse},
        {"errors", test_duration_errors},
        {"format", test_duration_format},
        {NULL, NULL},
    };
    static const cu_test misc_tests[] = {
        {"quantity", test_quantity},
        {"options", test_options},
        {"options repeat", test_options_repeat},
        {NULL, NULL},
    };
    static const cu_test hist_tests[] = {
        {"accuracy", test_histogram_accuracy},
        {"buckets", test_histogram_buckets},
        {"merge", test_histogram_merge},
        {NULL, NULL},
    };
    cu_add_suite("duration", duration_tests);
    cu_add_suite("quantity_options", misc_tests);
    cu_add_suite("histogram", hist_tests);
    return cu_run_all();
}
