/* duration.c: Go-style durations <-> integer microseconds. Syntax follows Go's
 * time.ParseDuration (go/src/time/format.go, Go 1.21): an optional sign, then one or more
 * "<decimal><unit>" groups with units ns, us, µs, μs, ms, s, m, h; a bare "0" is allowed. */
#include "common/duration.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct unit {
    const char *name;
    double us;
};

/* Longest names first so that "ms" is not read as "m" followed by garbage. */
static const struct unit units[] = {
    {"ns", 1e-3}, {"us", 1.0}, {"\xc2\xb5s", 1.0}, {"\xce\xbcs", 1.0},
    {"ms", 1e3},  {"s", 1e6},  {"m", 6e7},         {"h", 3.6e9},
};

static const struct unit *match_unit(const char *p, size_t *len) {
    const struct unit *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t n = strlen(units[i].name);
        if (n > best_len && strncmp(p, units[i].name, n) == 0) {
            best = &units[i];
            best_len = n;
        }
    }
    *len = best_len;
    return best;
}

static int bad(sim_error *err, const char *text, const char *why) {
    return error_set(err,
                     "invalid duration \"%s\": %s (expected a number of seconds or a string "
                     "like \"250ms\", \"30s\", \"2m\", \"1h30m\")",
                     text, why);
}

int duration_parse(const char *text, int64_t *out_us, sim_error *err) {
    const char *p = text;
    double sign = 1.0;
    if (*p == '-' || *p == '+') {
        sign = *p == '-' ? -1.0 : 1.0;
        p++;
    }
    if (strcmp(p, "0") == 0) {
        *out_us = 0;
        return 0;
    }
    if (*p == '\0')
        return bad(err, text, "empty");
    double total_us = 0.0;
    while (*p != '\0') {
        const char *start = p;
        double whole = 0.0, frac = 0.0, scale = 1.0;
        int digits = 0;
        while (*p >= '0' && *p <= '9') {
            whole = whole * 10.0 + (*p - '0');
            p++;
            digits++;
        }
        if (*p == '.') {
            p++;
            while (*p >= '0' && *p <= '9') {
                frac = frac * 10.0 + (*p - '0');
                scale *= 10.0;
                p++;
                digits++;
            }
        }
        if (digits == 0)
            return bad(err, text, p == start ? "expected a number" : "no digits");
        size_t ulen = 0;
        const struct unit *u = match_unit(p, &ulen);
        if (u == NULL)
            return bad(err, text, *p ? "unknown unit (use ns, us, ms, s, m or h)" : "missing unit");
        total_us += (whole + frac / scale) * u->us;
        p += ulen;
    }
    total_us *= sign;
    if (!(fabs(total_us) < 9.2e18))
        return bad(err, text, "out of range");
    double rounded = nearbyint(total_us);
    if (rounded == 0.0 && total_us != 0.0)
        return bad(err, text, "shorter than the 1us resolution");
    *out_us = (int64_t)rounded;
    return 0;
}

int duration_from_seconds(double seconds, int64_t *out_us, sim_error *err) {
    if (!isfinite(seconds))
        return error_set(err, "invalid duration: not a finite number of seconds");
    double us = seconds * 1e6;
    if (!(fabs(us) < 9.2e18))
        return error_set(err, "invalid duration %g s: out of range", seconds);
    double rounded = nearbyint(us);
    if (rounded == 0.0 && us != 0.0)
        return error_set(err, "invalid duration %g s: shorter than the 1us resolution", seconds);
    *out_us = (int64_t)rounded;
    return 0;
}

void duration_format(int64_t us, char *buf, size_t size) {
    if (size == 0)
        return;
    if (us == 0) {
        snprintf(buf, size, "0s");
        return;
    }
    char tmp[64];
    size_t n = 0;
    uint64_t v = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
    if (us < 0)
        tmp[n++] = '-';
    if (v < (uint64_t)US_PER_SEC) {
        if (v % 1000 == 0)
            n +=
                (size_t)snprintf(tmp + n, sizeof tmp - n, "%llums", (unsigned long long)(v / 1000));
        else if (v >= 1000)
            n += (size_t)snprintf(tmp + n, sizeof tmp - n, "%.3fms", (double)v / 1000.0);
        else
            n += (size_t)snprintf(tmp + n, sizeof tmp - n, "%lluus", (unsigned long long)v);
        snprintf(buf, size, "%.*s", (int)n, tmp);
        return;
    }
    uint64_t h = v / (uint64_t)US_PER_HOUR;
    uint64_t m = (v / (uint64_t)US_PER_MIN) % 60;
    uint64_t s_us = v % (uint64_t)US_PER_MIN;
    if (h)
        n += (size_t)snprintf(tmp + n, sizeof tmp - n, "%lluh", (unsigned long long)h);
    if (m)
        n += (size_t)snprintf(tmp + n, sizeof tmp - n, "%llum", (unsigned long long)m);
    if (s_us) {
        if (s_us % (uint64_t)US_PER_SEC == 0)
            n += (size_t)snprintf(tmp + n, sizeof tmp - n, "%llus",
                                  (unsigned long long)(s_us / (uint64_t)US_PER_SEC));
        else {
            /* Trim trailing zeros of the fractional seconds. */
            char frac[32];
            snprintf(frac, sizeof frac, "%.6f", (double)s_us / 1e6);
            size_t len = strlen(frac);
            while (len > 0 && frac[len - 1] == '0')
                frac[--len] = '\0';
            n += (size_t)snprintf(tmp + n, sizeof tmp - n, "%ss", frac);
        }
    }
    snprintf(buf, size, "%.*s", (int)n, tmp);
}
