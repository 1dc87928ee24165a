/* cronhpa_report.c: see cronhpa_report.h. */
#include "sim/output/cronhpa_report.h"

#include "common/duration.h"
#include "sim/output/events_log.h"
#include "sim/output/tabwriter.h"

void cronhpa_report_print(FILE *f, const cron_ctl *c, int64_t end_us) {
    const cronhpa_cfg *cfg = c->cfg;
    char start[48], end[48];
    cron_ctl_wall(c, 0, start, sizeof start);
    cron_ctl_wall(c, end_us, end, sizeof end);
    fprintf(f, "CronHorizontalPodAutoscaler %s/%s -> %s/%s, controller TZ %s, simulated %s .. %s\n",
            cfg->namespace_name, cfg->name, cfg->target_kind, cfg->target_name,
            cron_zone_name(c->zone), start, end);
    tabwriter tw = {0};
    tw_printf(&tw, "  JOB\tSCHEDULE\tTARGET\tRUNONCE\tFIRES\tSTATE\tLAST PROBE\tNEXT\tMESSAGE\n");
    for (size_t i = 0; i < c->n_jobs; i++) {
        const cron_ctl_job *j = &c->jobs[i];
        char probe[48], next[48] = "-";
        cron_ctl_wall(c, j->last_probe_us, probe, sizeof probe);
        if (j->next_us >= 0)
            cron_ctl_wall(c, j->next_us, next, sizeof next);
        tw_printf(&tw, "  %s\t%s\t%d\t%s\t%llu\t%s\t%s\t%s\t%s\n", j->cfg->name, j->cfg->schedule,
                  j->cfg->target_size,
                  j->cfg->run_once    ? "true"
                  : j->sched.run_once ? "(@date)"
                                      : "false",
                  (unsigned long long)j->fires, cronhpa_state_name(j->state), probe, next,
                  j->message[0] ? j->message : "<none>");
    }
    tw_flush(&tw, f);
    tw_free(&tw);
    for (size_t i = 0; i < c->n_warnings; i++) {
        char t[32];
        duration_format(c->warnings[i].t_us, t, sizeof t);
        fprintf(f, "warning: cronhpa (t=%s): %s\n", t, c->warnings[i].text);
    }
}

void cronhpa_events_write(FILE *f, const cron_ctl *c, int64_t end_us) {
    char end[32];
    duration_format(end_us, end, sizeof end);
    fprintf(f,
            "# CronHorizontalPodAutoscaler %s/%s: events, Age at the end of the run (t=%s), "
            "wall clock in %s\n",
            c->cfg->namespace_name, c->cfg->name, end, cron_zone_name(c->zone));
    tabwriter tw = {0};
    tw_printf(&tw, "TIME\tWALL\tTYPE\tREASON\tAGE\tFROM\tMESSAGE\n");
    for (size_t i = 0; i < c->n_events; i++) {
        const cron_ctl_event *e = &c->events[i];
        char t[32], age[32], wall[48];
        duration_format(e->t_us, t, sizeof t);
        cron_ctl_wall(c, e->t_us, wall, sizeof wall);
        k8s_human_duration(end_us - e->t_us, age, sizeof age);
        tw_printf(&tw, "t=%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t, wall, e->warning ? "Warning" : "Normal",
                  e->reason, age, CRON_CTL_FROM, e->message);
    }
    for (size_t i = 0; i < c->n_warnings; i++) {
        char t[32];
        duration_format(c->warnings[i].t_us, t, sizeof t);
        tw_printf(&tw, "t=%s\t-\tWarning\tQuirk\t-\tscalesim\t%s\n", t, c->warnings[i].text);
    }
    tw_flush(&tw, f);
    tw_free(&tw);
}

void cronhpa_summary_json(cJSON *root, const cron_ctl *c) {
    char buf[48];
    cJSON *o = cJSON_AddObjectToObject(root, "cronhpa");
    cJSON_AddStringToObject(o, "name", c->cfg->name);
    cJSON_AddStringToObject(o, "target_kind", c->cfg->target_kind);
    cJSON_AddStringToObject(o, "target", c->cfg->target_name);
    cJSON_AddStringToObject(o, "tz", cron_zone_name(c->zone));
    cron_ctl_wall(c, 0, buf, sizeof buf);
    cJSON_AddStringToObject(o, "start", buf);
    cJSON *fires = cJSON_AddArrayToObject(o, "fires");
    for (size_t i = 0; i < c->n_fires; i++) {
        const cron_ctl_fire *fr = &c->fires[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "t_s", (double)fr->t_us / 1e6);
        cron_ctl_wall(c, fr->t_us, buf, sizeof buf);
        cJSON_AddStringToObject(x, "wall", buf);
        cJSON_AddStringToObject(x, "job", c->jobs[fr->job].cfg->name);
        cJSON_AddStringToObject(x, "state", cronhpa_state_name(fr->state));
        cJSON_AddNumberToObject(x, "replicas", fr->replicas_after);
        if (c->target_hpa) {
            cJSON_AddNumberToObject(x, "min_replicas", fr->min_after);
            cJSON_AddNumberToObject(x, "max_replicas", fr->max_after);
        }
        cJSON_AddItemToArray(fires, x);
    }
    cJSON *jobs = cJSON_AddArrayToObject(o, "conditions");
    for (size_t i = 0; i < c->n_jobs; i++) {
        const cron_ctl_job *j = &c->jobs[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", j->cfg->name);
        cJSON_AddStringToObject(x, "jobId", j->job_id);
        cJSON_AddStringToObject(x, "schedule", j->cfg->schedule);
        cJSON_AddNumberToObject(x, "targetSize", j->cfg->target_size);
        cJSON_AddBoolToObject(x, "runOnce", j->cfg->run_once);
        cJSON_AddStringToObject(x, "state", cronhpa_state_name(j->state));
        cron_ctl_wall(c, j->last_probe_us, buf, sizeof buf);
        cJSON_AddStringToObject(x, "lastProbeTime", buf);
        cJSON_AddStringToObject(x, "message", j->message);
        cJSON_AddItemToArray(jobs, x);
    }
    cJSON *w = cJSON_AddArrayToObject(o, "warnings");
    for (size_t i = 0; i < c->n_warnings; i++)
        cJSON_AddItemToArray(w, cJSON_CreateString(c->warnings[i].text));
}

void keda_summary_json(cJSON *root, const keda_ctl *k, const hpa_ctl *h) {
    cJSON *o = cJSON_AddObjectToObject(root, "keda");
    cJSON_AddStringToObject(o, "scaledobject", k->cfg->name);
    cJSON *a = cJSON_AddArrayToObject(o, "triggers");
    for (size_t i = 0; i < k->cfg->n_crons; i++) {
        const keda_cron_cfg *t = &k->cfg->crons[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "metric", hpa_ctl_metric(h, t->metric)->name);
        cJSON_AddStringToObject(x, "timezone", t->timezone);
        cJSON_AddStringToObject(x, "start", t->start);
        cJSON_AddStringToObject(x, "end", t->end);
        cJSON_AddNumberToObject(x, "desiredReplicas", t->desired_replicas);
        cJSON_AddItemToArray(a, x);
    }
    cJSON_AddNumberToObject(o, "queries", (double)k->queries);
    cJSON_AddNumberToObject(o, "active_queries", (double)k->active);
}

void keda_report_print(FILE *f, const keda_ctl *k, const hpa_ctl *h) {
    fprintf(f,
            "KEDA ScaledObject %s: %zu cron trigger%s on the HPA (%llu of %llu metric queries "
            "in a window)\n",
            k->cfg->name, k->cfg->n_crons, k->cfg->n_crons == 1 ? "" : "s",
            (unsigned long long)k->active, (unsigned long long)k->queries);
    for (size_t i = 0; i < k->cfg->n_crons; i++) {
        const keda_cron_cfg *t = &k->cfg->crons[i];
        fprintf(f, "  %s: %s .. %s in %s, desiredReplicas %d\n", hpa_ctl_metric(h, t->metric)->name,
                t->start, t->end, t->timezone, t->desired_replicas);
    }
}
