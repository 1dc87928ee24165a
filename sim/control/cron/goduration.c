/* goduration.c: Go's time.ParseDuration, for `@every <duration>`.
 *
 * common/duration.h parses the same syntax but rounds to microseconds and rejects nonzero values
 * below 1us; `@every 1ns` is valid in both cron libraries (it becomes 1 s), and overflow is
 * judged in nanoseconds, so this reproduces go1.19 src/time/format.go ParseDuration exactly:
 * [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+, units ns us µs μs ms s m h, limits at 2^63 ns. */
#include <string.h>

#include "sim/control/cron/internal.h"

#define LIMIT (UINT64_C(1) << 63)

static int is_digit(char c) {
    return c >= '0' && c <= '9';
}

static uint64_t unit_ns(const char *u, size_t n) {
    static const struct {
        const char *name;
        uint64_t ns;
    } units[] = {
        {"ns", 1},
        {"us", 1000},
        {"\xc2\xb5s", 1000}, /* U+00B5 micro sign */
        {"\xce\xbcs", 1000}, /* U+03BC Greek small letter mu */
        {"ms", 1000000},
        {"s", 1000000000},
        {"m", UINT64_C(60000000000)},
        {"h", UINT64_C(3600000000000)},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].name) == n && memcmp(units[i].name, u, n) == 0)
            return units[i].ns;
    return 0;
}

int cron_go_duration(const char *orig, int64_t *out_ns, sim_error *err) {
    const char *s = orig;
    uint64_t d = 0;
    int neg = 0;
    if (*s == '-' || *s == '+') {
        neg = *s == '-';
        s++;
    }
    if (strcmp(s, "0") == 0) {
        *out_ns = 0;
        return 0;
    }
    if (*s == '\0')
        return error_set(err, "invalid duration \"%s\"", orig);
    while (*s) {
        uint64_t v = 0, f = 0;
        double scale = 1;
        if (!(*s == '.' || is_digit(*s)))
            return error_set(err, "invalid duration \"%s\"", orig);
        const char *begin = s;
        for (; is_digit(*s); s++) {
            if (v > LIMIT / 10)
                return error_set(err, "invalid duration \"%s\" (overflow)", orig);
            v = v * 10 + (uint64_t)(*s - '0');
            if (v > LIMIT)
                return error_set(err, "invalid duration \"%s\" (overflow)", orig);
        }
        int pre = s != begin, post = 0;
        if (*s == '.') {
            s++;
            const char *fbegin = s;
            int overflow = 0;
            for (; is_digit(*s); s++) {
                if (overflow)
                    continue;
                if (f > (LIMIT - 1) / 10) {
                    overflow = 1;
                    continue;
                }
                uint64_t y = f * 10 + (uint64_t)(*s - '0');
                if (y > LIMIT) {
                    overflow = 1;
                    continue;
                }
                f = y;
                scale *= 10;
            }
            post = s != fbegin;
        }
        if (!pre && !post)
            return error_set(err, "invalid duration \"%s\"", orig);
        size_t n = 0;
        while (s[n] && s[n] != '.' && !is_digit(s[n]))
            n++;
        if (n == 0)
            return error_set(err, "missing unit in duration \"%s\"", orig);
        uint64_t unit = unit_ns(s, n);
        if (unit == 0)
            return error_set(err,
                             "unknown unit \"%.*s\" in duration \"%s\" (Go units: ns us ms s m h; "
                             "there is no d)",
                             (int)n, s, orig);
        s += n;
        if (v > LIMIT / unit)
            return error_set(err, "invalid duration \"%s\" (overflow)", orig);
        v *= unit;
        if (f > 0) {
            v += (uint64_t)((double)f * ((double)unit / scale));
            if (v > LIMIT)
                return error_set(err, "invalid duration \"%s\" (overflow)", orig);
        }
        d += v;
        if (d > LIMIT)
            return error_set(err, "invalid duration \"%s\" (overflow)", orig);
    }
    if (neg) {
        *out_ns = (int64_t)(0 - d); /* 2^63 wraps to INT64_MIN, as Go's -Duration(d) */
        return 0;
    }
    if (d > LIMIT - 1)
        return error_set(err, "invalid duration \"%s\" (overflow)", orig);
    *out_ns = (int64_t)d;
    return 0;
}
