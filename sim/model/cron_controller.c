/* cron_controller.c: see cron_controller.h. Upstream: kubernetes-cronhpa-controller 31c63bed
 * pkg/controller/cronmanager.go (engine, result handler), cronjob.go (Run), and the reconcile in
 * cronhorizontalpodautoscaler_controller.go; shared/conformance/cron/README.md 1.3-1.5. */
#include "sim/model/cron_controller.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/control/cron/rfc3339.h"

/* cronjob.go Run: retry every 3 s until 10 s have passed since the first attempt. */
#define RETRY_EVERY_US (3 * INT64_C(1000000))
#define RETRY_FOR_US   (10 * INT64_C(1000000))

static void *grow(void *p, size_t *cap, size_t n, size_t size) {
    if (n < *cap)
        return p;
    size_t nc = *cap ? *cap * 2 : 16;
    void *q = realloc(p, nc * size);
    if (q)
        *cap = nc;
    return q;
}

static int add_event(cron_ctl *c, int64_t t, int warning, const char *reason, const char *msg) {
    cron_ctl_event *e = grow(c->events, &c->cap_events, c->n_events, sizeof *e);
    if (e == NULL)
        return -1;
    c->events = e;
    e = &c->events[c->n_events++];
    e->t_us = t;
    e->warning = warning;
    e->reason = reason;
    snprintf(e->message, sizeof e->message, "%s", msg);
    return 0;
}

static int warn(cron_ctl *c, int64_t t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int warn(cron_ctl *c, int64_t t, const char *fmt, ...) {
    cron_ctl_warning *w = grow(c->warnings, &c->cap_warnings, c->n_warnings, sizeof *w);
    if (w == NULL)
        return -1;
    c->warnings = w;
    w = &c->warnings[c->n_warnings++];
    w->t_us = t;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->text, sizeof w->text, fmt, ap);
    va_end(ap);
    return 0;
}

void cron_ctl_wall(const cron_ctl *c, int64_t t_us, char *buf, size_t size) {
    cron_rfc3339_format(c->start_unix_us + t_us, c->zone, buf, size);
}

static void on_fire(engine *eng, void *obj, uint64_t arg);

/* Adds the job to the engine: its next time strictly after the simulated instant `now`. */
static void schedule(cron_ctl *c, size_t i, int64_t now) {
    cron_ctl_job *j = &c->jobs[i];
    j->next_us = -1;
    int64_t next = cron_next(&j->sched, c->zone, c->start_unix_us + now);
    if (next == CRON_NEVER)
        return;
    j->next_us = next - c->start_unix_us;
    engine_at(c->eng, j->next_us, on_fire, c, i);
}

/* One fire of job i at `now` (README 1.4). Returns the state; fills msg. */
static cronhpa_state run_job(cron_ctl *c, cron_ctl_job *j, int64_t now, char *msg, int size,
                             int64_t *finished) {
    const cronhpa_job_cfg *jc = j->cfg;
    const cronhpa_cfg *cfg = c->cfg;
    char detail[CRONHPA_MSG_MAX], when[40];
    *finished = now;
    cron_ctl_wall(c, now, when, sizeof when);
    int quirk = 0;
    int ex = cronhpa_excluded(c->excl_of, c->n_excl, c->zone, c->start_unix_us + now, &quirk);
    if (ex >= 0) {
        const char *expr = cfg->exclude_dates[c->excl_idx[ex]];
        cronhpa_msg_skip_exclude(jc->name, expr, msg, size);
        if (quirk)
            warn(c, now,
                 "job %s at %s skipped by excludeDates \"%s\": upstream compares only the month "
                 "and the hour of the exclude's next match with now (Go layout \"11-15-1990\"), "
                 "and that next match is not today",
                 jc->name, when, expr);
        if (jc->run_once || j->sched.run_once)
            warn(c, now,
                 "run-once job %s at %s was skipped by excludeDates \"%s\" and still counts as "
                 "its one run (state Succeed); it will not fire again",
                 jc->name, when, expr);
        return CRONHPA_SUCCEED;
    }
    if (quirk) {
        /* not skipped, but an exclude names today: the false negative */
        for (int k = 0; k < c->n_excl; k++) {
            int q2 = 0;
            const cron_schedule *one = c->excl_of[k];
            if (cronhpa_excluded(&one, 1, c->zone, c->start_unix_us + now, &q2) < 0 && q2) {
                warn(c, now,
                     "job %s at %s ran although excludeDates \"%s\" names today: upstream "
                     "compares only the month and the hour of the exclude's next match",
                     jc->name, when, cfg->exclude_dates[c->excl_idx[k]]);
                break;
            }
        }
    }
    int32_t T = jc->target_size;
    lifecycle *lc = c->lc;
    if (!c->target_hpa) {
        int32_t old = lc->spec_replicas;
        cronhpa_scale_workload(T, old, detail, sizeof detail);
        if (lifecycle_scale(lc, T) < 0) {
            c->eng->out_of_memory = 1;
            return CRONHPA_FAILED;
        }
        cronhpa_msg_succeed(jc->name, detail, msg, size);
        return CRONHPA_SUCCEED;
    }
    hpa_ctl *h = c->hpa;
    cronhpa_hpa_effect eff;
    int32_t cur = h->synced ? h->status.current_replicas : 0; /* #64: no status yet */
    cronhpa_scale_hpa(T, h->min_replicas, h->max_replicas, cur, lc->spec_replicas, cfg->target_name,
                      cfg->namespace_name, &eff, detail, sizeof detail);
    if (eff.hpa_updated && eff.min_replicas < 1 && !c->hpa_zero_ok) {
        /* the API server rejects minReplicas 0 without HPAScaleToZero: retried, then Failed */
        int tries = 0;
        for (int64_t t = 0; t < RETRY_FOR_US; t += RETRY_EVERY_US)
            tries++;
        *finished = now + (int64_t)tries * RETRY_EVERY_US;
        char cause[256];
        snprintf(cause, sizeof cause,
                 "HorizontalPodAutoscaler.autoscaling \"%s\" is invalid: spec.minReplicas: "
                 "Invalid value: 0: must be greater than or equal to 1",
                 cfg->target_name);
        cronhpa_msg_failed_scale("HorizontalPodAutoscaler", cfg->target_name, cfg->namespace_name,
                                 T, tries, cause, msg, size);
        return CRONHPA_FAILED;
    }
    if (eff.max_raised)
        warn(c, now,
             "job %s at %s raised HPA %s maxReplicas from %d to %d; the controller never lowers "
             "it again (later jobs with smaller targets only lower minReplicas)",
             jc->name, when, cfg->target_name, h->max_replicas, eff.max_replicas);
    if (eff.skipped && T > h->min_replicas && eff.min_replicas < T)
        warn(c, now,
             "job %s at %s: HPA %s already runs %d >= %d replicas, so minReplicas stays %d and "
             "the HPA may scale below %d later (upstream issue #87)",
             jc->name, when, cfg->target_name, cur, T, eff.min_replicas, T);
    h->min_replicas = eff.min_replicas;
    h->max_replicas = eff.max_replicas;
    if (eff.set_replicas && lifecycle_scale(lc, T) < 0) {
        c->eng->out_of_memory = 1;
        return CRONHPA_FAILED;
    }
    cronhpa_msg_succeed(jc->name, detail, msg, size);
    return CRONHPA_SUCCEED;
}

static void on_fire(engine *eng, void *obj, uint64_t arg) {
    cron_ctl *c = obj;
    size_t i = (size_t)arg;
    cron_ctl_job *j = &c->jobs[i];
    int64_t now = eng->now_us;
    if (j->removed || j->next_us != now)
        return;
    char msg[CRONHPA_MSG_MAX];
    int64_t finished;
    cronhpa_state st = run_job(c, j, now, msg, sizeof msg, &finished);
    j->state = st;
    snprintf(j->message, sizeof j->message, "%s", msg);
    j->last_probe_us = finished;
    j->fires++;
    if (add_event(c, finished, st == CRONHPA_FAILED, cronhpa_state_name(st), msg) < 0) {
        eng->out_of_memory = 1;
        return;
    }
    cron_ctl_fire *f = grow(c->fires, &c->cap_fires, c->n_fires, sizeof *f);
    if (f == NULL) {
        eng->out_of_memory = 1;
        return;
    }
    c->fires = f;
    f = &c->fires[c->n_fires++];
    f->t_us = now;
    f->job = (int)i;
    f->state = st;
    f->replicas_after = c->lc->spec_replicas;
    f->min_after = c->hpa && c->target_hpa ? c->hpa->min_replicas : 0;
    f->max_after = c->hpa && c->target_hpa ? c->hpa->max_replicas : 0;
    /* runOnce, or a schedule with "@date ": removed from the engine after its one run
     * (cronhpa_controller.go: finished run-once jobs are not re-added) */
    if (j->cfg->run_once || j->sched.run_once) {
        j->removed = 1;
        j->next_us = -1;
        return;
    }
    schedule(c, i, now); /* Next(wake-up instant) */
}

/* A deterministic job id shaped like upstream's UUID v4 (uuid.NewV4). */
static void job_id(uint64_t seed, size_t i, char *buf, size_t size) {
    uint64_t x = seed ^ (0x9e3779b97f4a7c15ULL * (i + 1)), w[2];
    for (int k = 0; k < 2; k++) {
        x += 0x9e3779b97f4a7c15ULL;
        uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        w[k] = z ^ (z >> 31);
    }
    snprintf(buf, size, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(w[0] >> 32),
             (unsigned)(w[0] >> 16) & 0xffff, (unsigned)w[0] & 0xfff,
             (unsigned)(0x8000 | ((w[1] >> 48) & 0x3fff)),
             (unsigned long long)(w[1] & 0xffffffffffffULL));
}

int cron_ctl_init(cron_ctl *c, const cronhpa_cfg *cfg, int64_t start_unix_us, lifecycle *lc,
                  hpa_ctl *hpa, uint64_t seed, sim_error *err) {
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    c->start_unix_us = start_unix_us;
    c->lc = lc;
    c->hpa = hpa;
    c->eng = lc->eng;
    c->target_hpa = strcmp(cfg->target_kind, "HorizontalPodAutoscaler") == 0;
    if (c->target_hpa && hpa == NULL)
        return error_set(err, "cronhpa: the target is an HPA but the scenario has none");
    c->hpa_zero_ok = hpa && hpa->cfg->spec.min_replicas == 0;
    if (cron_zone_load(cfg->tz[0] ? cfg->tz : "Asia/Shanghai", &c->zone, err) < 0)
        return -1;
    size_t ne = cfg->n_exclude_dates;
    c->excl = calloc(ne ? ne : 1, sizeof *c->excl);
    c->excl_of = calloc(ne ? ne : 1, sizeof *c->excl_of);
    c->excl_idx = calloc(ne ? ne : 1, sizeof *c->excl_idx);
    c->jobs = calloc(cfg->n_jobs ? cfg->n_jobs : 1, sizeof *c->jobs);
    if (!c->excl || !c->excl_of || !c->excl_idx || !c->jobs)
        return error_set(err, "out of memory");
    for (size_t k = 0; k < ne; k++) {
        sim_error e;
        if (cron_parse(cfg->exclude_dates[k], CRON_DIALECT_CRONHPA, &c->excl[c->n_excl], &e) < 0) {
            /* cronjob.go IsTodayOff logs and ignores an unparsable exclude */
            warn(c, 0, "excludeDates[%zu] is ignored by the controller: %s", k, e.msg);
            continue;
        }
        c->excl_of[c->n_excl] = &c->excl[c->n_excl];
        c->excl_idx[c->n_excl] = (int)k;
        c->n_excl++;
    }
    c->n_jobs = cfg->n_jobs;
    for (size_t i = 0; i < cfg->n_jobs; i++) {
        cron_ctl_job *j = &c->jobs[i];
        j->cfg = &cfg->jobs[i];
        j->next_us = -1;
        j->last_probe_us = 0;
        job_id(seed, i, j->job_id, sizeof j->job_id);
        sim_error e;
        if (cron_parse(j->cfg->schedule, CRON_DIALECT_CRONHPA, &j->sched, &e) < 0) {
            j->state = CRONHPA_FAILED;
            j->removed = 1;
            cronhpa_msg_failed_parse(j->cfg->name, e.msg, j->message, sizeof j->message);
            warn(c, 0, "job %s never runs: %s%s", j->cfg->name, e.msg,
                 j->cfg->run_once ? ""
                                  : " (upstream re-submits it on every reconcile, rewriting the "
                                    "object about once a second)");
            continue;
        }
        j->parsed = 1;
        j->state = CRONHPA_SUBMITTED;
        const char *notes[4];
        int nn = cron_pitfalls(&j->sched, notes, 4);
        for (int k = 0; k < nn && k < 4; k++)
            warn(c, 0, "job %s schedule \"%s\": %s", j->cfg->name, j->cfg->schedule, notes[k]);
        schedule(c, i, 0);
        if (j->next_us < 0)
            warn(c, 0,
                 "job %s schedule \"%s\" has no fire time within the library's 5-year search; "
                 "it never runs",
                 j->cfg->name, j->cfg->schedule);
    }
    return 0;
}

void cron_ctl_free(cron_ctl *c) {
    for (size_t i = 0; c->jobs && i < c->n_jobs; i++)
        if (c->jobs[i].parsed)
            cron_schedule_free(&c->jobs[i].sched);
    for (int k = 0; k < c->n_excl; k++)
        cron_schedule_free(&c->excl[k]);
    free(c->jobs);
    free(c->excl);
    free(c->excl_of);
    free(c->excl_idx);
    free(c->events);
    free(c->fires);
    free(c->warnings);
    cron_zone_free(c->zone);
    memset(c, 0, sizeof *c);
}

int keda_ctl_init(keda_ctl *k, const keda_cfg *cfg, int64_t start_unix_us, sim_error *err) {
    memset(k, 0, sizeof *k);
    k->cfg = cfg;
    k->start_unix_us = start_unix_us;
    for (int i = 0; i < HPA_MAX_METRICS; i++)
        k->trigger_of[i] = -1;
    size_t n = cfg->n_crons ? cfg->n_crons : 1;
    k->zones = calloc(n, sizeof *k->zones);
    k->start = calloc(n, sizeof *k->start);
    k->end = calloc(n, sizeof *k->end);
    if (!k->zones || !k->start || !k->end)
        return error_set(err, "out of memory");
    for (size_t i = 0; i < cfg->n_crons; i++) {
        const keda_cron_cfg *t = &cfg->crons[i];
        if (cron_zone_load(t->timezone, &k->zones[i], err) < 0 ||
            cron_parse(t->start, CRON_DIALECT_STANDARD, &k->start[i], err) < 0 ||
            cron_parse(t->end, CRON_DIALECT_STANDARD, &k->end[i], err) < 0)
            return -1;
        if (t->metric >= 0 && t->metric < HPA_MAX_METRICS)
            k->trigger_of[t->metric] = (int)i;
    }
    return 0;
}

int64_t keda_ctl_value(void *ctx, int metric, int64_t now_us) {
    keda_ctl *k = ctx;
    int i = metric >= 0 && metric < HPA_MAX_METRICS ? k->trigger_of[metric] : -1;
    if (i < 0)
        return 0;
    k->queries++;
    if (!keda_cron_active(&k->start[i], &k->end[i], k->zones[i], k->start_unix_us + now_us))
        return 0;
    k->active++;
    return (int64_t)k->cfg->crons[i].desired_replicas * 1000;
}

void keda_ctl_free(keda_ctl *k) {
    for (size_t i = 0; k->cfg && i < k->cfg->n_crons; i++) {
        if (k->zones)
            cron_zone_free(k->zones[i]);
        if (k->start)
            cron_schedule_free(&k->start[i]);
        if (k->end)
            cron_schedule_free(&k->end[i]);
    }
    free(k->zones);
    free(k->start);
    free(k->end);
    memset(k, 0, sizeof *k);
}
