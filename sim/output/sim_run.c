/* sim_run.c: see sim_run.h. */
#include "sim/output/sim_run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/duration.h"
#include "common/hey_report.h"
#include "sim/model/hpa_controller.h"
#include "sim/model/lifecycle.h"
#include "sim/model/cron_controller.h"
#include "sim/output/cronhpa_report.h"
#include "sim/output/describe.h"
#include "sim/output/events_log.h"
#include "sim/output/summary_json.h"
#include "sim/output/timeline.h"

typedef struct run_ctx {
    FILE *timeline;
    FILE *progress;
    int64_t horizon_us;
    double last_wall;
    double start_wall; /* for the speed shown: simulated seconds per wall second */
    int drew;
} run_ctx;

static double wall_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_second(void *ctx, const sim_second *row) {
    run_ctx *c = ctx;
    if (c->timeline)
        timeline_row(c->timeline, row);
    if (c->progress) {
        double w = wall_s();
        if (w - c->last_wall >= 0.2) {
            char now[32], end[32];
            int64_t t = row->t_us + row->dt_us;
            duration_format(t, now, sizeof now);
            double speed = (double)t / 1e6 / (w - c->start_wall > 1e-6 ? w - c->start_wall : 1e-6);
            if (c->horizon_us > 0) {
                duration_format(c->horizon_us, end, sizeof end);
                fprintf(c->progress, "\rsimulated %s of %s (%.0f%%), %.0fx real time   ", now, end,
                        100.0 * (double)t / (double)c->horizon_us, speed);
            } else {
                fprintf(c->progress, "\rsimulated %s, %.0fx real time   ", now, speed);
            }
            fflush(c->progress);
            c->last_wall = w;
            c->drew = 1;
        }
    }
}

static int mkdir_p(const char *path, sim_error *err) {
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return error_set(err, "output folder name too long: %s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(buf, 0777) < 0 && errno != EEXIST)
            return error_set(err, "cannot create %s: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) < 0 && errno != EEXIST)
        return error_set(err, "cannot create %s: %s", buf, strerror(errno));
    return 0;
}

static const char *balancer_name(balancer_kind b) {
    switch (b) {
    case LB_RANDOM:
        return "random";
    case LB_ROUND_ROBIN:
        return "round-robin";
    case LB_LEAST_REQUESTS:
        return "least-requests";
    case LB_QUEUE:
        return "queue";
    }
    return "?";
}

static void print_summary(FILE *out, const scenario_cfg *cfg, const sim_model *m) {
    const sim_stats *st = sim_model_stats(m);
    char dur[32];
    duration_format(st->horizon_us, dur, sizeof dur);
    fprintf(out,
            "scenario %s (seed %llu): %s simulated, %zu load phase%s, %d pod%s at start, "
            "balancer %s\n",
            cfg->name ? cfg->name : "(unnamed)", (unsigned long long)cfg->seed, dur, cfg->n_loads,
            cfg->n_loads == 1 ? "" : "s", cfg->service.replicas,
            cfg->service.replicas == 1 ? "" : "s", balancer_name(cfg->service.balancer));
    fprintf(out,
            "requests: %llu sent, %llu completed, %llu failed (%llu timeouts, %llu refused), "
            "%llu unfinished\n",
            (unsigned long long)st->client.offered, (unsigned long long)st->client.completed,
            (unsigned long long)st->client.failed, (unsigned long long)st->timeouts,
            (unsigned long long)st->refused, (unsigned long long)st->unfinished);
    const histogram *h = &st->client.latency;
    fprintf(out, "latency: p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, mean %.3f ms\n",
            histogram_percentile(h, 0.5) / 1e3, histogram_percentile(h, 0.95) / 1e3,
            histogram_percentile(h, 0.99) / 1e3, histogram_mean(h) / 1e3);
    fprintf(out,
            "pods: %d ready / %d total at the end, %.1f pod-seconds, CPU %.1f%% and memory "
            "%.1f%% of requests\n",
            st->pods_ready, st->pods_total, st->pod_seconds, st->cpu_util_pct, st->mem_util_pct);
    const hpa_ctl *hc = sim_model_hpa(m);
    if (hc != NULL) {
        const lifecycle *lc = sim_model_lifecycle(m);
        char first[32] = "never";
        if (hc->first_rescale_up_us >= 0)
            duration_format(hc->first_rescale_up_us, first, sizeof first);
        fprintf(out,
                "autoscaling: %llu syncs, %llu rescales (first scale-up at t=%s), at most %d "
                "replicas; %llu pods created, %llu deleted\n",
                (unsigned long long)hc->syncs, (unsigned long long)hc->rescales, first,
                hc->max_replicas_seen, (unsigned long long)lc->created,
                (unsigned long long)lc->deleted);
    }
    for (size_t i = 0; i < sim_model_n_loads(m); i++) {
        const load_src *l = sim_model_load(m, i);
        const load_cfg *c = l->cfg;
        fprintf(out, "\n--- loads[%zu] %s: client view", i, c->name);
        if (c->hey_command)
            fprintf(out, " of `%s`", c->hey_command);
        fputs(" ---\n", out);
        hey_view v = {.latency = &l->st.latency,
                      .timeouts = l->st.timeouts,
                      .refused = l->st.refused,
                      .total_us = l->st.t_last_us - l->st.t_first_us,
                      .response_bytes = cfg->service.pod.response_bytes,
                      .status_code = 200,
                      .method = c->method,
                      .url = c->url};
        hey_report_print(out, &v);
    }
    if (hc != NULL) {
        fputs("\n--- kubectl describe hpa (at the end of the run) ---\n", out);
        describe_hpa(out, &cfg->hpa, &cfg->service.pod, hc, st->horizon_us);
    }
    const cron_ctl *cc = sim_model_cron(m);
    if (cc != NULL) {
        fputs("\n--- cronhpa (at the end of the run) ---\n", out);
        cronhpa_report_print(out, cc, st->horizon_us);
    }
    const keda_ctl *kc = sim_model_keda(m);
    if (kc != NULL && hc != NULL) {
        fputs("\n--- keda cron triggers ---\n", out);
        keda_report_print(out, kc, hc);
    }
}

int sim_run(const scenario_cfg *cfg, const sim_run_options *opt, sim_error *err) {
    sim_run_options none = {0};
    if (opt == NULL)
        opt = &none;
    sim_model *m = sim_model_new(cfg, opt->queue_arity, err);
    if (m == NULL)
        return -1;
    run_ctx ctx = {0};
    ctx.horizon_us = cfg->duration_us;
    char path[4096];
    int rc = -1;
    if (opt->progress && isatty(fileno(opt->progress)))
        ctx.progress = opt->progress;
    if (opt->out_dir) {
        if (mkdir_p(opt->out_dir, err) < 0)
            goto done;
        snprintf(path, sizeof path, "%s/timeline.csv", opt->out_dir);
        ctx.timeline = fopen(path, "w");
        if (ctx.timeline == NULL) {
            error_set(err, "cannot write %s: %s", path, strerror(errno));
            goto done;
        }
        setvbuf(ctx.timeline, NULL, _IOFBF, 1 << 16);
        timeline_begin_model(ctx.timeline, m);
    }
    sim_model_set_observer(m, (sim_observer){on_second, &ctx});
    ctx.last_wall = wall_s();
    ctx.start_wall = ctx.last_wall;
    if (sim_model_run(m, err) < 0)
        goto done;
    if (ctx.drew) {
        fputs("\r\033[K", ctx.progress);
        fflush(ctx.progress);
    }
    if (ctx.timeline) {
        int bad = ferror(ctx.timeline);
        bad |= fclose(ctx.timeline) != 0;
        ctx.timeline = NULL;
        if (bad) {
            error_set(err, "cannot write %s/timeline.csv", opt->out_dir);
            goto done;
        }
        const hpa_ctl *hc = sim_model_hpa(m);
        const cron_ctl *cc = sim_model_cron(m);
        if (hc != NULL || cc != NULL) {
            snprintf(path, sizeof path, "%s/events.log", opt->out_dir);
            FILE *ef = fopen(path, "w");
            if (ef == NULL) {
                error_set(err, "cannot write %s: %s", path, strerror(errno));
                goto done;
            }
            if (hc != NULL)
                events_log_write(ef, &cfg->hpa, hc, sim_model_stats(m)->horizon_us);
            if (cc != NULL) {
                if (hc != NULL)
                    fputc('\n', ef);
                cronhpa_events_write(ef, cc, sim_model_stats(m)->horizon_us);
            }
            int bad_ev = ferror(ef);
            bad_ev |= fclose(ef) != 0;
            if (bad_ev) {
                error_set(err, "cannot write %s", path);
                goto done;
            }
        }
        char *json = summary_json(cfg, m);
        if (json == NULL) {
            error_set(err, "out of memory writing summary.json");
            goto done;
        }
        snprintf(path, sizeof path, "%s/summary.json", opt->out_dir);
        FILE *f = fopen(path, "w");
        int ok = f && fputs(json, f) >= 0 && fputc('\n', f) != EOF;
        if (f && fclose(f) != 0)
            ok = 0;
        free(json);
        if (!ok) {
            error_set(err, "cannot write %s: %s", path, strerror(errno));
            goto done;
        }
    }
    if (opt->summary) {
        print_summary(opt->summary, cfg, m);
        fflush(opt->summary);
    }
    if (opt->stats)
        *opt->stats = *sim_model_stats(m);
    rc = 0;
done:
    if (ctx.timeline)
        fclose(ctx.timeline);
    sim_model_free(m);
    return rc;
}
