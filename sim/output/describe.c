/* describe.c: see describe.h. */
#include "sim/output/describe.h"

#include <stdlib.h>
#include <string.h>

#include "common/duration.h"
#include "common/quantity.h"
#include "sim/output/events_log.h"
#include "sim/output/tabwriter.h"

#define EVENT_TTL_US (3600 * INT64_C(1000000)) /* kube-apiserver --event-ttl default 1h */

/* Go's Quantity.String() for a DecimalSI milli value ("250m", "2"); bytes for memory. */
static void qty(int64_t milli, int memory, char *buf, size_t size) {
    if (memory && milli % 1000 == 0)
        quantity_format_bytes(milli / 1000, buf, size);
    else
        quantity_format_cpu(milli, buf, size);
}

static const hpa_metric_status *status_of(const hpa_ctl *c, int i) {
    if (!c->synced || i >= c->status.nmetrics || !c->status.metrics[i].valid)
        return NULL;
    return &c->status.metrics[i];
}

static void metric_line(tabwriter *tw, const hpa_ctl *c, int i) {
    const hpa_metric_spec *m = hpa_ctl_metric(c, i);
    const hpa_metric_status *st = status_of(c, i);
    const hpa_metric_target *t = &m->target;
    char cur[64] = "<unknown>", tgt[64];
    int mem = m->name && strcmp(m->name, "memory") == 0;
    switch (m->type) {
    case HPA_METRIC_RESOURCE:
    case HPA_METRIC_CONTAINER_RESOURCE:
        tw_printf(tw, "  resource %s on pods", m->name);
        if (m->type == HPA_METRIC_CONTAINER_RESOURCE)
            tw_printf(tw, " (container %s)", m->container ? m->container : "");
        if (t->has_average_value) {
            if (st && st->has_average_value)
                qty(st->average_value_milli, mem, cur, sizeof cur);
            qty(t->average_value_milli, mem, tgt, sizeof tgt);
            tw_printf(tw, ":\t%s / %s\n", cur, tgt);
        } else {
            if (st && st->has_utilization) {
                char v[32];
                qty(st->average_value_milli, mem, v, sizeof v);
                snprintf(cur, sizeof cur, "%d%% (%s)", st->average_utilization, v);
            }
            if (t->has_utilization)
                snprintf(tgt, sizeof tgt, "%d%%", t->average_utilization);
            else
                snprintf(tgt, sizeof tgt, "<auto>");
            tw_printf(tw, "  (as a percentage of request):\t%s / %s\n", cur, tgt);
        }
        break;
    case HPA_METRIC_PODS:
        if (st && st->has_average_value)
            qty(st->average_value_milli, 0, cur, sizeof cur);
        qty(t->average_value_milli, 0, tgt, sizeof tgt);
        tw_printf(tw, "  \"%s\" on pods:\t%s / %s\n", m->name, cur, tgt);
        break;
    case HPA_METRIC_OBJECT:
        tw_printf(tw, "  \"%s\" on %s/%s ", m->name, m->object_kind ? m->object_kind : "",
                  m->object_name ? m->object_name : "");
        if (t->type == HPA_TARGET_AVERAGE_VALUE) {
            if (st && st->has_average_value)
                qty(st->average_value_milli, 0, cur, sizeof cur);
            qty(t->average_value_milli, 0, tgt, sizeof tgt);
            tw_printf(tw, "(target average value):\t%s / %s\n", cur, tgt);
        } else {
            if (st && st->has_value)
                qty(st->value_milli, 0, cur, sizeof cur);
            qty(t->value_milli, 0, tgt, sizeof tgt);
            tw_printf(tw, "(target value):\t%s / %s\n", cur, tgt);
        }
        break;
    case HPA_METRIC_EXTERNAL:
        if (t->has_average_value) {
            if (st && st->has_average_value)
                qty(st->average_value_milli, 0, cur, sizeof cur);
            qty(t->average_value_milli, 0, tgt, sizeof tgt);
            tw_printf(tw, "  \"%s\" (target average value):\t%s / %s\n", m->name, cur, tgt);
        } else {
            if (st && st->has_value)
                qty(st->value_milli, 0, cur, sizeof cur);
            qty(t->value_milli, 0, tgt, sizeof tgt);
            tw_printf(tw, "  \"%s\" (target value):\t%s / %s\n", m->name, cur, tgt);
        }
        break;
    default:
        break;
    }
}

/* printDirectionBehavior, with the rules as the API server defaults them. */
static void direction(tabwriter *tw, const char *name, const hpa_rules *given, int up) {
    hpa_rules r;
    hpa_rules_default(given, up, &r);
    tw_printf(tw, "  %s:\n", name);
    if (r.has_window)
        tw_printf(tw, "    Stabilization Window: %d seconds\n", r.window_s);
    if (r.npolicies > 0) {
        tw_printf(tw, "    Select Policy: %s\n",
                  hpa_select_name(r.has_select ? r.select : HPA_SELECT_MAX));
        tw_printf(tw, "    Policies:\n");
        for (int i = 0; i < r.npolicies; i++)
            tw_printf(tw, "      - Type: %s\tValue: %d\tPeriod: %d seconds\n",
                      hpa_policy_type_name(r.policies[i].type), r.policies[i].value,
                      r.policies[i].period_s);
    }
}

typedef struct agg {
    const hpa_event *ev;
    int64_t first_us, last_us;
    int count;
} agg;

static int by_last(const void *a, const void *b) {
    const agg *x = a, *y = b;
    return x->last_us < y->last_us ? -1 : x->last_us > y->last_us;
}

static void events(FILE *f, tabwriter *main_tw, const hpa_ctl *c, int64_t end_us) {
    agg *g = calloc(c->n_events ? c->n_events : 1, sizeof *g);
    size_t n = 0;
    for (size_t i = 0; g && i < c->n_events; i++) {
        const hpa_ctl_event *e = &c->events[i];
        size_t k = 0;
        while (k < n &&
               !(g[k].ev->warning == e->ev.warning && strcmp(g[k].ev->reason, e->ev.reason) == 0 &&
                 strcmp(g[k].ev->message, e->ev.message) == 0))
            k++;
        if (k == n) {
            g[n].ev = &e->ev;
            g[n].first_us = e->t_us;
            n++;
        }
        g[k].last_us = e->t_us;
        g[k].count++;
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (end_us - g[i].last_us <= EVENT_TTL_US)
            g[kept++] = g[i];
    if (kept == 0) {
        /* kubectl writes this line into the describe block's own tabwriter */
        tw_printf(main_tw, "Events:\t<none>\n");
        tw_flush(main_tw, f);
        free(g);
        return;
    }
    tw_flush(main_tw, f); /* DescribeEvents flushes before its table */
    qsort(g, kept, sizeof *g, by_last);
    tabwriter tw = {0};
    tw_printf(&tw, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    tw_printf(&tw, "  ----\t------\t----\t----\t-------\n");
    for (size_t i = 0; i < kept; i++) {
        char first[32], last[32], interval[96];
        k8s_human_duration(end_us - g[i].first_us, first, sizeof first);
        if (g[i].count > 1) {
            k8s_human_duration(end_us - g[i].last_us, last, sizeof last);
            snprintf(interval, sizeof interval, "%s (x%d over %s)", last, g[i].count, first);
        } else {
            snprintf(interval, sizeof interval, "%s", first);
        }
        tw_printf(&tw, "  %s\t%s\t%s\t%s\t%s\n", g[i].ev->warning ? "Warning" : "Normal",
                  g[i].ev->reason, interval, EVENTS_FROM, g[i].ev->message);
    }
    tw_flush(&tw, f);
    tw_free(&tw);
    free(g);
}

void describe_hpa(FILE *f, const hpa_cfg *cfg, const pod_cfg *pod, const hpa_ctl *c,
                  int64_t end_us) {
    (void)pod;
    tabwriter tw = {0};
    tw_printf(&tw, "Name:\t%s\n", cfg->name);
    tw_printf(&tw, "Namespace:\t%s\n", cfg->namespace_name[0] ? cfg->namespace_name : "default");
    tw_printf(&tw, "Labels:\t<none>\n");
    tw_printf(&tw, "Annotations:\t<none>\n");
    tw_printf(&tw, "CreationTimestamp:\t(simulated) t=0s\n");
    tw_printf(&tw, "Reference:\tDeployment/%s\n", c->lc->svc_name);
    tw_printf(&tw, "Metrics:\t( current / target )\n");
    for (int i = 0; i < hpa_ctl_nmetrics(c); i++)
        metric_line(&tw, c, i);
    tw_printf(&tw, "Min replicas:\t%d\n", c->min_replicas);
    tw_printf(&tw, "Max replicas:\t%d\n", c->max_replicas);
    const hpa_behavior *b = &cfg->spec.behavior;
    if (b->present) {
        tw_printf(&tw, "Behavior:\n");
        direction(&tw, "Scale Up", b->has_up ? &b->up : NULL, 1);
        direction(&tw, "Scale Down", b->has_down ? &b->down : NULL, 0);
    }
    tw_printf(&tw, "Deployment pods:\t%d current / %d desired\n", c->status.current_replicas,
              c->status.desired_replicas);
    int any = 0;
    for (int i = 0; i < HPA_NCONDITIONS; i++)
        any |= c->status.conditions.c[i].set;
    if (any) {
        tw_printf(&tw, "Conditions:\n");
        tw_printf(&tw, "  Type\tStatus\tReason\tMessage\n");
        tw_printf(&tw, "  ----\t------\t------\t-------\n");
        for (int i = 0; i < HPA_NCONDITIONS; i++) {
            const hpa_condition *k = &c->status.conditions.c[i];
            if (k->set)
                tw_printf(&tw, "  %s\t%s\t%s\t%s\n", hpa_condition_type_name((hpa_condition_type)i),
                          k->status_true ? "True" : "False", k->reason, k->message);
        }
    }
    events(f, &tw, c, end_us);
    tw_free(&tw);
}
