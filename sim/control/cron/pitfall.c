/* pitfall.c: how a parsed cron expression is commonly misread, as short notes for output.
 * The readings come from shared/conformance/cron/README.md (sections 1.2 and 1.2.1). */
#include "sim/control/cron/internal.h"

int cron_pitfalls(const cron_schedule *s, const char **out, int max) {
    int n = 0;
#define NOTE(text)                                                                                 \
    do {                                                                                           \
        if (n < max)                                                                               \
            out[n] = (text);                                                                       \
        n++;                                                                                       \
    } while (0)
    if (s->dialect == CRON_DIALECT_STANDARD && s->nfields == 0)
        NOTE("KEDA's cron trigger parses start/end without descriptors and rejects @... forms; "
             "robfig v3's ParseStandard (shown here) accepts them");
    if (s->dialect == CRON_DIALECT_STANDARD && s->zone != NULL)
        NOTE("the CRON_TZ=/TZ= prefix overrides the zone the schedule is evaluated in (in KEDA, "
             "the trigger's timezone)");
    if (s->kind != CRON_SPEC)
        return n;
    if (s->dialect == CRON_DIALECT_CRONHPA && s->nfields == 5)
        NOTE("five fields in cronhpa are second minute hour day-of-month month (day-of-week "
             "defaults to *), not a crontab line: \"30 10 * * *\" fires at second 30 of minute "
             "10 of every hour");
    uint64_t dom = s->bits[CRON_DOM], dow = s->bits[CRON_DOW];
    int both_restricted = s->nfields > 0 && !(dom & CRON_STAR_BIT) && !(dow & CRON_STAR_BIT);
    if (both_restricted)
        NOTE("day-of-month and day-of-week are both restricted: a day matching EITHER fires "
             "(\"1-7 * MON\" is days 1-7 and every Monday, not the first Monday)");
    int dom_all = (dom & ~CRON_STAR_BIT) == (((UINT64_C(1) << 32) - 1) & ~UINT64_C(1));
    int dow_all = (dow & ~CRON_STAR_BIT) == 0x7f;
    /* The fork ANDs the day fields when either carries the star; robfig v3 drops the star of
     * a `* /N` (N > 1) field, i.e. of a star field that is not full. */
    int v3_star = ((dom & CRON_STAR_BIT) && dom_all) || ((dow & CRON_STAR_BIT) && dow_all);
    if (s->dialect == CRON_DIALECT_CRONHPA && s->nfields > 0 && ((dom | dow) & CRON_STAR_BIT) &&
        !v3_star)
        NOTE("a day field written as */N keeps its star in cronhpa, so a day must match BOTH day "
             "fields (robfig v3, and so KEDA, would accept a day matching either)");
    return n;
#undef NOTE
}
