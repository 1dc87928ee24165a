/* field.c: one field of a cron expression ("0,30", "9-17/2", "MON-FRI", "*", "?") -> bit set.
 *
 * Grammar and quirks as robfig/cron v3.0.1 parser.go getField/getRange (ringtail/go-cron has the
 * same code but keeps the star flag with a step): the field is split on ',' with empty items
 * dropped (so "," is an empty set that never fires); an item is split on '/' and its range part
 * on '-'; when the range part starts with "*" or "?" the rest of it is ignored ("*-5" is "*");
 * numbers are Go Atoi (sign allowed, leading zeros fine, negatives rejected); "N/S" means
 * "N-max/S"; names are the 3-letter month and weekday names, any case. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sim/control/cron/internal.h"

typedef struct bounds {
    unsigned min, max;
    const char *const *names; /* names[i] is the name of min + i, or NULL */
} bounds;

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                          "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const dow_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

static const bounds field_bounds[CRON_NFIELDS] = {
    {0, 59, NULL}, {0, 59, NULL},        {0, 23, NULL},
    {1, 31, NULL}, {1, 12, month_names}, {0, 6, dow_names},
};

static const char *const field_names[CRON_NFIELDS] = {"second",       "minute", "hour",
                                                      "day-of-month", "month",  "day-of-week"};

const char *cron_field_name(int field) {
    return field >= 0 && field < CRON_NFIELDS ? field_names[field] : "?";
}

typedef struct span {
    const char *p;
    size_t n;
} span;

static int span_is(span s, const char *lit) {
    return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

/* Go strconv.Atoi: optional sign, then at least one decimal digit, all within int64. */
static int go_atoi(span s, int64_t *out) {
    size_t i = 0;
    int neg = 0;
    if (s.n > 0 && (s.p[0] == '+' || s.p[0] == '-')) {
        neg = s.p[0] == '-';
        i = 1;
    }
    if (i == s.n)
        return -1;
    uint64_t v = 0;
    for (; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s.p[i] - '0');
        if (v > (uint64_t)INT64_MAX + (uint64_t)neg)
            return -2; /* out of range */
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

/* A number (or a name, where the field has names); value range is checked by the caller. */
static int int_or_name(span s, span item, int field, const char *what, int64_t *out,
                       sim_error *err) {
    const bounds *b = &field_bounds[field];
    if (b->names) {
        for (unsigned i = 0; i <= b->max - b->min; i++)
            if (s.n == 3 && strncasecmp(s.p, b->names[i], 3) == 0) {
                *out = b->min + i;
                return 0;
            }
    }
    /* Name the whole item when the bad part is only a piece of it. */
    char ctx[160] = "";
    if (s.n != item.n)
        snprintf(ctx, sizeof ctx, " in \"%.*s\"", (int)(item.n > 100 ? 100 : item.n), item.p);
    int rc = go_atoi(s, out);
    if (rc == -2)
        return error_set(err, "%s field: %s \"%.*s\"%s out of range %u-%u", field_names[field],
                         what, (int)s.n, s.p, ctx, b->min, b->max);
    if (rc != 0) {
        if (s.n == 0)
            return error_set(err, "%s field: missing %s%s", field_names[field], what, ctx);
        return error_set(err, "%s field: %s \"%.*s\"%s is not a number%s", field_names[field], what,
                         (int)s.n, s.p, ctx,
                         b->names ? (field == CRON_MONTH ? " or a month name (jan-dec)"
                                                         : " or a weekday name (sun-sat)")
                                  : "");
    }
    if (*out < 0)
        return error_set(err, "%s field: negative number %" PRId64 " not allowed",
                         field_names[field], *out);
    return 0;
}

static int parse_item(span item, int field, int keep_star_on_step, uint64_t *bits, sim_error *err) {
    const bounds *b = &field_bounds[field];
    const char *name = field_names[field];
    /* Split on '/': range part and optional step. */
    const char *slash = memchr(item.p, '/', item.n);
    span range = {item.p, slash ? (size_t)(slash - item.p) : item.n};
    span step_text = {NULL, 0};
    if (slash) {
        step_text.p = slash + 1;
        step_text.n = item.n - range.n - 1;
        if (memchr(step_text.p, '/', step_text.n))
            return error_set(err, "%s field: too many '/' in \"%.*s\"", name, (int)item.n, item.p);
    }
    const char *dash = memchr(range.p, '-', range.n);
    span low = {range.p, dash ? (size_t)(dash - range.p) : range.n};
    int single = dash == NULL;
    int64_t start, end, step = 1;
    uint64_t star = 0;
    if (span_is(low, "*") || span_is(low, "?")) {
        start = b->min;
        end = b->max;
        star = CRON_STAR_BIT;
    } else {
        if (int_or_name(low, item, field, "value", &start, err) != 0)
            return -1;
        if (single) {
            end = start;
        } else {
            span high = {dash + 1, range.n - low.n - 1};
            if (memchr(high.p, '-', high.n))
                return error_set(err, "%s field: too many '-' in \"%.*s\"", name, (int)item.n,
                                 item.p);
            if (int_or_name(high, item, field, "value", &end, err) != 0)
                return -1;
        }
    }
    if (slash) {
        if (go_atoi(step_text, &step) != 0)
            return error_set(err, "%s field: step \"%.*s\" in \"%.*s\" is not a number", name,
                             (int)step_text.n, step_text.p, (int)item.n, item.p);
        if (step < 0)
            return error_set(err, "%s field: step %" PRId64 " in \"%.*s\" must be positive", name,
                             step, (int)item.n, item.p);
        if (single)
            end = b->max;
        if (step > 1 && !keep_star_on_step)
            star = 0;
    }
    if (start < (int64_t)b->min || start > (int64_t)b->max)
        return error_set(err, "%s field: value %" PRId64 " out of range %u-%u", name, start, b->min,
                         b->max);
    if (end > (int64_t)b->max)
        return error_set(err, "%s field: value %" PRId64 " out of range %u-%u", name, end, b->min,
                         b->max);
    if (start > end)
        return error_set(err, "%s field: range \"%.*s\" runs backwards (ranges do not wrap)", name,
                         (int)range.n, range.p);
    if (step == 0)
        return error_set(err, "%s field: step 0 in \"%.*s\" must be positive", name, (int)item.n,
                         item.p);
    for (uint64_t v = (uint64_t)start; v <= (uint64_t)end; v += (uint64_t)step)
        *bits |= UINT64_C(1) << v;
    *bits |= star;
    return 0;
}

int cron_field_parse(const char *text, size_t len, int field, int keep_star_on_step, uint64_t *bits,
                     sim_error *err) {
    *bits = 0;
    size_t i = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && text[j] != ',')
            j++;
        if (j > i && parse_item((span){text + i, j - i}, field, keep_star_on_step, bits, err))
            return -1;
        i = j + 1;
    }
    return 0;
}
