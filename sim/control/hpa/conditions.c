/* conditions.c: status conditions and events; see conditions.h. */
#include "sim/control/hpa/conditions.h"

#include <stdarg.h>
#include <stdio.h>

void hpa_condition_set(hpa_conditions *cs, hpa_condition_type type, int status_true,
                       const char *reason, int64_t now_us, const char *fmt, ...) {
    hpa_condition *c = &cs->c[type];
    if (!c->set || c->status_true != (status_true != 0))
        c->last_transition_us = now_us;
    c->set = 1;
    c->status_true = status_true != 0;
    snprintf(c->reason, sizeof c->reason, "%s", reason);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->message, sizeof c->message, fmt, ap);
    va_end(ap);
}

const char *hpa_condition_type_name(hpa_condition_type type) {
    static const char *const names[HPA_NCONDITIONS] = {"AbleToScale", "ScalingActive",
                                                       "ScalingLimited"};
    return (unsigned)type < HPA_NCONDITIONS ? names[type] : "?";
}

void hpa_event_add(hpa_events *es, int warning, const char *reason, const char *fmt, ...) {
    if (es->n >= HPA_MAX_EVENTS) {
        es->dropped++;
        return;
    }
    hpa_event *e = &es->ev[es->n++];
    e->warning = warning;
    snprintf(e->reason, sizeof e->reason, "%s", reason);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}
