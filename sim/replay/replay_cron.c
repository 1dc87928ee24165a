/* replay_cron.c: see replay_cron.h. The timing and the order of the rules follow the
 * simulator's controller (sim/model/cron_controller.c, after kubernetes-cronhpa-controller
 * 31c63bed pkg/controller/cronmanager.go and cronjob.go); the rules themselves are the shared
 * pure functions of sim/control/cron/cronhpa.h, so replay and simulator cannot drift apart on
 * them. */
#include "sim/replay/replay_cron.h"

#include <stdlib.h>
#include <string.h>

#include "sim/control/cron/cronhpa.h"

static void schedule(replay_cron *c, replay_cron_job *j, int64_t now) {
    j->next_us = -1;
    int64_t next = cron_next(&j->sched, c->zone, c->start_unix_us + now);
    if (next != CRON_NEVER)
        j->next_us = next - c->start_unix_us;
}

int replay_cron_init(replay_cron *c, const cronhpa_cfg *cfg, int64_t start_unix_us,
                     int32_t hpa_min_replicas, sim_error *err) {
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    c->start_unix_us = start_unix_us;
    c->target_hpa = strcmp(cfg->target_kind, "HorizontalPodAutoscaler") == 0;
    c->hpa_zero_ok = hpa_min_replicas == 0;
    if (cron_zone_load(cfg->tz[0] ? cfg->tz : "Asia/Shanghai", &c->zone, err) < 0)
        return -1;
    size_t ne = cfg->n_exclude_dates;
    c->excl = calloc(ne ? ne : 1, sizeof *c->excl);
    c->excl_of = calloc(ne ? ne : 1, sizeof *c->excl_of);
    c->jobs = calloc(cfg->n_jobs ? cfg->n_jobs : 1, sizeof *c->jobs);
    if (!c->excl || !c->excl_of || !c->jobs) {
        replay_cron_free(c);
        return error_set(err, "out of memory");
    }
    for (size_t k = 0; k < ne; k++) {
        sim_error e;
        /* cronjob.go IsTodayOff logs and ignores an unparsable exclude */
        if (cron_parse(cfg->exclude_dates[k], CRON_DIALECT_CRONHPA, &c->excl[c->n_excl], &e) < 0)
            continue;
        c->excl_of[c->n_excl] = &c->excl[c->n_excl];
        c->n_excl++;
    }
    c->n_jobs = cfg->n_jobs;
    for (size_t i = 0; i < cfg->n_jobs; i++) {
        replay_cron_job *j = &c->jobs[i];
        j->cfg = &cfg->jobs[i];
        j->next_us = -1;
        sim_error e;
        if (cron_parse(j->cfg->schedule, CRON_DIALECT_CRONHPA, &j->sched, &e) < 0)
            continue; /* the controller marks it Failed; it never fires */
        j->parsed = 1;
        schedule(c, j, 0);
    }
    return 0;
}

void replay_cron_free(replay_cron *c) {
    for (size_t i = 0; c->jobs && i < c->n_jobs; i++)
        if (c->jobs[i].parsed)
            cron_schedule_free(&c->jobs[i].sched);
    for (int k = 0; k < c->n_excl; k++)
        cron_schedule_free(&c->excl[k]);
    free(c->jobs);
    free(c->excl);
    free(c->excl_of);
    cron_zone_free(c->zone);
    memset(c, 0, sizeof *c);
}

/* The job due first (lowest index among equal times), or NULL. */
static replay_cron_job *due(const replay_cron *c) {
    replay_cron_job *best = NULL;
    for (size_t i = 0; i < c->n_jobs; i++) {
        replay_cron_job *j = &c->jobs[i];
        if (j->next_us >= 0 && (best == NULL || j->next_us < best->next_us))
            best = j;
    }
    return best;
}

int64_t replay_cron_next(const replay_cron *c) {
    const replay_cron_job *j = due(c);
    return j ? j->next_us : -1;
}

int32_t replay_cron_fire(replay_cron *c, int32_t hpa_current, int32_t workload_replicas,
                         int32_t *min, int32_t *max) {
    replay_cron_job *j = due(c);
    if (j == NULL)
        return workload_replicas;
    int64_t now = j->next_us;
    int32_t after = workload_replicas;
    int quirk = 0;
    c->fires++;
    if (cronhpa_excluded(c->excl_of, c->n_excl, c->zone, c->start_unix_us + now, &quirk) < 0) {
        int32_t T = j->cfg->target_size;
        if (!c->target_hpa) {
            after = T;
        } else {
            cronhpa_hpa_effect eff;
            char detail[CRONHPA_MSG_MAX];
            cronhpa_scale_hpa(T, *min, *max, hpa_current, workload_replicas, c->cfg->target_name,
                              c->cfg->namespace_name, &eff, detail, sizeof detail);
            /* minReplicas 0 without HPAScaleToZero: rejected by the API server, nothing changes */
            if (!(eff.hpa_updated && eff.min_replicas < 1 && !c->hpa_zero_ok)) {
                *min = eff.min_replicas;
                *max = eff.max_replicas;
                if (eff.set_replicas)
                    after = T;
            }
        }
    }
    /* run-once (or @date) jobs fire once whatever the outcome, an excluded day included */
    if (j->cfg->run_once || j->sched.run_once)
        j->next_us = -1;
    else
        schedule(c, j, now);
    return after;
}
