/* events_log.c: see events_log.h. */
#include "sim/output/events_log.h"

#include "common/duration.h"
#include "sim/output/tabwriter.h"

/* k8s.io/apimachinery/pkg/util/duration/duration.go HumanDuration (v0.28). */
void k8s_human_duration(int64_t d_us, char *buf, size_t size) {
    int64_t seconds = d_us / US_PER_SEC;
    if (seconds < -1) {
        snprintf(buf, size, "<invalid>");
        return;
    }
    if (seconds < 0) {
        snprintf(buf, size, "0s");
        return;
    }
    if (seconds < 60 * 2) {
        snprintf(buf, size, "%llds", (long long)seconds);
        return;
    }
    int64_t minutes = d_us / US_PER_MIN;
    if (minutes < 10) {
        int64_t s = seconds % 60;
        if (s == 0)
            snprintf(buf, size, "%lldm", (long long)minutes);
        else
            snprintf(buf, size, "%lldm%llds", (long long)minutes, (long long)s);
        return;
    }
    if (minutes < 60 * 3) {
        snprintf(buf, size, "%lldm", (long long)minutes);
        return;
    }
    int64_t hours = d_us / US_PER_HOUR;
    if (hours < 8) {
        int64_t m = minutes % 60;
        if (m == 0)
            snprintf(buf, size, "%lldh", (long long)hours);
        else
            snprintf(buf, size, "%lldh%lldm", (long long)hours, (long long)m);
    } else if (hours < 48) {
        snprintf(buf, size, "%lldh", (long long)hours);
    } else if (hours < 24 * 8) {
        int64_t h = hours % 24;
        if (h == 0)
            snprintf(buf, size, "%lldd", (long long)(hours / 24));
        else
            snprintf(buf, size, "%lldd%lldh", (long long)(hours / 24), (long long)h);
    } else if (hours < 24 * 365 * 2) {
        snprintf(buf, size, "%lldd", (long long)(hours / 24));
    } else if (hours < 24 * 365 * 8) {
        int64_t dy = (hours / 24) % 365;
        if (dy == 0)
            snprintf(buf, size, "%lldy", (long long)(hours / 24 / 365));
        else
            snprintf(buf, size, "%lldy%lldd", (long long)(hours / 24 / 365), (long long)dy);
    } else {
        snprintf(buf, size, "%lldy", (long long)(hours / 24 / 365));
    }
}

void events_log_write(FILE *f, const hpa_cfg *cfg, const hpa_ctl *c, int64_t end_us) {
    char end[32];
    duration_format(end_us, end, sizeof end);
    fprintf(f, "# HorizontalPodAutoscaler %s/%s: events, Age at the end of the run (t=%s)\n",
            cfg->namespace_name[0] ? cfg->namespace_name : "default", cfg->name, end);
    tabwriter tw = {0};
    tw_printf(&tw, "TIME\tTYPE\tREASON\tAGE\tFROM\tMESSAGE\n");
    for (size_t i = 0; i < c->n_events; i++) {
        const hpa_ctl_event *e = &c->events[i];
        char t[32], age[32];
        duration_format(e->t_us, t, sizeof t);
        k8s_human_duration(end_us - e->t_us, age, sizeof age);
        tw_printf(&tw, "t=%s\t%s\t%s\t%s\t%s\t%s\n", t, e->ev.warning ? "Warning" : "Normal",
                  e->ev.reason, age, EVENTS_FROM, e->ev.message);
    }
    tw_flush(&tw, f);
    tw_free(&tw);
}
