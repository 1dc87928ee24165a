/* cron.h: cron expressions as the two autoscalers that schedule scaling read them, and the next
 * fire time of a schedule in a named time zone.
 *
 * Contract:
 *   - cron_parse turns an expression into a cron_schedule once; the schedule is plain data
 *     (bit sets), owns at most one zone (a CRON_TZ= prefix) and is freed with
 *     cron_schedule_free, so keep one copy and pass pointers to it. Errors fill sim_error with
 *     'cron: "EXPR": <field> field: <what>' and return -1; nothing is printed.
 *   - cron_next(s, zone, t) is the first fire time strictly after instant t (microseconds since
 *     the Unix epoch), evaluated on the wall clock of `zone` (NULL = UTC), or CRON_NEVER where
 *     the library gives up (its 5-year search) or would loop forever (a calendar day that was
 *     skipped entirely). It allocates nothing and reads no global state, so a controller parses
 *     once and calls it repeatedly: a few microseconds per call, a fraction of a millisecond
 *     for a search that ends in CRON_NEVER.
 *
 * Dialects (see docs/cron.md and shared/conformance/cron/README.md):
 *   CRON_DIALECT_CRONHPA  the ACK kubernetes-cronhpa-controller's library, ringtail/go-cron
 *                         (commit cfb21c1, vendored by the controller at 31c63bed): "sec min hour
 *                         dom month [dow]", descriptors, @every, @date; `*` + `/step` keeps the
 *                         "star" flag of the day fields.
 *   CRON_DIALECT_STANDARD robfig/cron v3.0.1 ParseStandard, which KEDA's cron scaler uses:
 *                         "min hour dom month dow", descriptors, @every, CRON_TZ=/TZ= prefix.
 * Fire times are whole seconds. Daylight saving follows what both libraries do with Go's time
 * package: a wall time skipped by a spring-forward change does not fire that day, one repeated
 * by a fall-back change fires twice. */
#ifndef SCALESIM_CRON_CRON_H
#define SCALESIM_CRON_CRON_H

#include <stdint.h>

#include "common/error.h"
#include "sim/control/cron/tzfile.h"

typedef enum { CRON_DIALECT_CRONHPA, CRON_DIALECT_STANDARD } cron_dialect;

typedef enum {
    CRON_SPEC,  /* field bit sets */
    CRON_EVERY, /* @every: a constant delay from the given instant, not aligned to the clock */
} cron_kind;

/* Bit 63 of a field: the field was written as `*` or `?` (decides the day-of-month /
 * day-of-week rule: if either day field has it a day must match both, else either). */
#define CRON_STAR_BIT (UINT64_C(1) << 63)
#define CRON_NEVER    INT64_MIN

/* Index of each field in cron_schedule.bits. */
enum { CRON_SEC, CRON_MIN, CRON_HOUR, CRON_DOM, CRON_MONTH, CRON_DOW, CRON_NFIELDS };

typedef struct cron_schedule {
    cron_kind kind;
    cron_dialect dialect;
    uint64_t bits[CRON_NFIELDS]; /* bit v set: value v matches (months 1-12, dow 0-6) */
    int64_t every_us;            /* CRON_EVERY: the delay, whole seconds, at least 1 s */
    int nfields;                 /* fields as written; 0 for a descriptor */
    int run_once;                /* @date: the cronhpa controller runs such a job once */
    cron_zone *zone;             /* CRON_TZ=/TZ= prefix; NULL: evaluate in the caller's zone */
} cron_schedule;

/* "cronhpa" or "standard". */
int cron_dialect_parse(const char *name, cron_dialect *out, sim_error *err);
const char *cron_dialect_name(cron_dialect dialect);

int cron_parse(const char *expr, cron_dialect dialect, cron_schedule *out, sim_error *err);
void cron_schedule_free(cron_schedule *s);

int64_t cron_next(const cron_schedule *s, const cron_zone *zone, int64_t after_us);

/* Notes on how a parsed expression is likely to be misread (five fields in cronhpa, the day
 * OR rule, the fork's `*` + `/step` rule). Writes up to max static strings into out and returns
 * how many. */
int cron_pitfalls(const cron_schedule *s, const char **out, int max);

/* Field names as used in messages: "second", "minute", ... */
const char *cron_field_name(int field);

#endif
