/* quantity.c: Kubernetes quantity parsing; see quantity.h. */
#include "common/quantity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct suffix {
    const char *name;
    long double factor;
};

static const struct suffix suffixes[] = {
    {"Ki", 1024.0L},
    {"Mi", 1048576.0L},
    {"Gi", 1073741824.0L},
    {"Ti", 1099511627776.0L},
    {"Pi", 1125899906842624.0L},
    {"Ei", 1152921504606846976.0L},
    {"n", 1e-9L},
    {"u", 1e-6L},
    {"m", 1e-3L},
    {"", 1.0L},
    {"k", 1e3L},
    {"M", 1e6L},
    {"G", 1e9L},
    {"T", 1e12L},
    {"P", 1e15L},
    {"E", 1e18L},
};

int quantity_parse_milli(const char *text, int64_t *out_milli, sim_error *err) {
    const char *p = text;
    int negative = 0;
    if (*p == '+' || *p == '-') {
        negative = *p == '-';
        p++;
    }
    const char *num_start = p;
    int digits = 0;
    while ((*p >= '0' && *p <= '9') || *p == '.') {
        digits += *p != '.';
        p++;
    }
    if (digits == 0)
        goto bad;
    char number[64];
    size_t num_len = (size_t)(p - num_start);
    if (num_len >= sizeof number || strchr(num_start, '.') != strrchr(num_start, '.'))
        goto bad;
    memcpy(number, num_start, num_len);
    number[num_len] = '\0';
    long double value = strtold(number, NULL);
    long double factor = 0.0L;
    if ((*p == 'e' || *p == 'E') && p[1] != '\0' && strchr("+-0123456789", p[1]) != NULL) {
        char *end = NULL;
        long exp10 = strtol(p + 1, &end, 10);
        if (*end != '\0' || exp10 < -30 || exp10 > 30)
            goto bad;
        factor = powl(10.0L, (long double)exp10);
    } else {
        for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
            if (strcmp(p, suffixes[i].name) == 0) {
                factor = suffixes[i].factor;
                break;
            }
        }
        if (factor == 0.0L)
            goto bad;
    }
    long double milli = ceill(value * factor * 1000.0L - 1e-9L);
    if (!(milli < 9.2e18L))
        return error_set(err, "quantity \"%s\" is too large", text);
    *out_milli = negative ? -(int64_t)milli : (int64_t)milli;
    return 0;
bad:
    return error_set(err,
                     "invalid quantity \"%s\" (expected a Kubernetes quantity such as \"500m\", "
                     "\"2\", \"200Mi\" or \"1Gi\")",
                     text);
}

void quantity_format_cpu(int64_t milli, char *buf, size_t size) {
    if (milli % 1000 == 0)
        snprintf(buf, size, "%lld", (long long)(milli / 1000));
    else
        snprintf(buf, size, "%lldm", (long long)milli);
}

void quantity_format_bytes(int64_t bytes, char *buf, size_t size) {
    static const char *names[] = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
    for (int i = 0; i < 6; i++) {
        int64_t unit = INT64_C(1) << (10 * (6 - i));
        if (bytes != 0 && bytes % unit == 0) {
            snprintf(buf, size, "%lld%s", (long long)(bytes / unit), names[i]);
            return;
        }
    }
    snprintf(buf, size, "%lld", (long long)bytes);
}
