/* cmd_replay.c: `scalesim replay RECORDING --scenario S`: feeds a recorded HPA timeline through
 * the same HPA code, sync by sync, and reports the agreement with the recorded decisions and
 * the first divergence (sim/replay). See docs/replay.md. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "sim/replay/replay.h"
#include "sim/replay/replay_csv.h"
#include "sim/scenario/scenario.h"

static struct {
    const char *scenario;
    const char *syncs_out;
    int strict;
} replay_opts;

static const opt_spec replay_options_spec[] = {
    {"scenario", 's', OPT_STRING, "FILE", "the scenario whose hpa (and pod request) to replay",
     &replay_opts.scenario},
    {"syncs", 0, OPT_STRING, "FILE", "write one CSV row per sync (recorded vs computed)",
     &replay_opts.syncs_out},
    {"strict", 0, OPT_FLAG, NULL, "exit 1 unless every sync agrees", &replay_opts.strict},
    {0},
};

const cmd_spec cmd_replay_spec = {
    "replay",
    "scalesim replay RECORDING --scenario S [--syncs FILE] [--strict]",
    "replay a recorded HPA timeline through the HPA code; agreement and first divergence",
    "RECORDING is a CSV timeline: the simulator's timeline.csv or `scalesim loadgen "
    "--watch-hpa`'s\n"
    "trace (docs/replay.md). At each sync of the scenario's HPA (controller sync_period and\n"
    "sync_phase) the recorded metric values, pods and replica count go through hpa_sync; its\n"
    "decision is compared with the recorded one. Prints the agreement % and the first\n"
    "divergence with its metric values and the rule that decided.",
    replay_options_spec,
};

static char *slurp(const char *path, size_t *len, sim_error *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        error_set(err, "replay: %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        cap *= 2;
        char *p = realloc(buf, cap);
        if (p == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = p;
    }
    int bad = ferror(f);
    fclose(f);
    if (buf == NULL || bad) {
        free(buf);
        error_set(err, "replay: %s: %s", path, buf ? "read error" : "out of memory");
        return NULL;
    }
    *len = n;
    return buf;
}

static void print_metrics(FILE *f, const replay_sync *s, char (*labels)[96]) {
    for (int m = 0; m < s->nmetrics; m++) {
        if (isnan(s->metric[m]))
            fprintf(f, "%s%s=(none)", m ? " " : "", labels[m]);
        else
            fprintf(f, "%s%s=%g", m ? " " : "", labels[m], s->metric[m]);
    }
}

int cmd_replay_main(int argc, char **argv) {
    memset(&replay_opts, 0, sizeof replay_opts);
    int npos = 0;
    int rc = cli_parse(&cmd_replay_spec, argc, argv, &npos);
    if (rc >= 0)
        return rc;
    sim_error err;
    if (npos != 1) {
        error_set(&err,
                  "replay: expected exactly one RECORDING file, got %d; see 'scalesim "
                  "replay --help'",
                  npos);
        return cli_fail(&err);
    }
    if (replay_opts.scenario == NULL) {
        error_set(&err, "replay: --scenario is required (the HPA spec and controller settings "
                        "to replay with)");
        return cli_fail(&err);
    }
    scenario_cfg cfg;
    if (scenario_load(replay_opts.scenario, &cfg, &err) != 0)
        return cli_fail(&err);
    if (!cfg.hpa.present) {
        scenario_cfg_free(&cfg);
        error_set(&err, "replay: %s has no hpa section to replay", replay_opts.scenario);
        return cli_fail(&err);
    }
    int nm;
    const hpa_metric_spec *ms = hpa_spec_metrics(&cfg.hpa.spec, &nm);
    if (nm > HPA_MAX_METRICS) {
        scenario_cfg_free(&cfg);
        error_set(&err, "replay: at most %d metrics", HPA_MAX_METRICS);
        return cli_fail(&err);
    }
    /* the timeline's column names (the label of hpa_ctl_metric_label, then "_seen") */
    char labels[HPA_MAX_METRICS][96], cols[HPA_MAX_METRICS][128];
    const char *colp[HPA_MAX_METRICS], *namep[HPA_MAX_METRICS];
    for (int m = 0; m < nm; m++) {
        const char *name = ms[m].name ? ms[m].name : "metric";
        int pct =
            (ms[m].type == HPA_METRIC_RESOURCE || ms[m].type == HPA_METRIC_CONTAINER_RESOURCE) &&
            ms[m].target.has_utilization && !ms[m].target.has_average_value;
        snprintf(labels[m], sizeof labels[m], "%.80s%s", name, pct ? "_pct" : "");
        snprintf(cols[m], sizeof cols[m], "%s_seen", labels[m]);
        colp[m] = cols[m];
        namep[m] = name;
    }
    size_t len = 0;
    char *text = slurp(argv[1], &len, &err);
    replay_sample *rows = NULL;
    int nrows = 0;
    replay_result res;
    memset(&res, 0, sizeof res);
    if (text == NULL || replay_csv_parse(text, len, colp, namep, nm, &rows, &nrows, &err) < 0 ||
        replay_run(&cfg.hpa, cfg.service.pod.cpu_request_milli, rows, nrows, &res, &err) < 0) {
        free(text);
        free(rows);
        scenario_cfg_free(&cfg);
        return cli_fail(&err);
    }
    free(text);
    free(rows);
    if (replay_opts.syncs_out) {
        FILE *f = fopen(replay_opts.syncs_out, "w");
        if (f == NULL) {
            error_set(&err, "replay: %s: %s", replay_opts.syncs_out, strerror(errno));
            replay_result_free(&res);
            scenario_cfg_free(&cfg);
            return cli_fail(&err);
        }
        fputs("time_s,current,recorded,computed,proposal,pods_ready,pods_total,agree,rule", f);
        for (int m = 0; m < nm; m++)
            fprintf(f, ",%s", labels[m]);
        fputc('\n', f);
        for (int i = 0; i < res.nsyncs; i++) {
            const replay_sync *s = &res.syncs[i];
            fprintf(f, "%.3f,%d,%d,%d,%d,%d,%d,%d,%s", (double)s->t_us / 1e6, s->current,
                    s->recorded, s->computed, s->proposal, s->pods_ready, s->pods_total,
                    s->recorded == s->computed, s->rule);
            for (int m = 0; m < nm; m++) {
                if (isnan(s->metric[m]))
                    fputc(',', f);
                else
                    fprintf(f, ",%g", s->metric[m]);
            }
            fputc('\n', f);
        }
        if (fclose(f) != 0) {
            error_set(&err, "replay: %s: write error", replay_opts.syncs_out);
            replay_result_free(&res);
            scenario_cfg_free(&cfg);
            return cli_fail(&err);
        }
    }
    double pct = res.nsyncs ? 100.0 * res.nagree / res.nsyncs : 0.0;
    printf("replay: %d syncs (period %.3gs, phase %.3gs), %d agree: %.1f%%\n", res.nsyncs,
           (double)cfg.hpa.sync_period_us / 1e6, (double)cfg.hpa.sync_phase_us / 1e6, res.nagree,
           pct);
    if (res.first_divergence < 0) {
        printf("no divergence\n");
    } else {
        const replay_sync *s = &res.syncs[res.first_divergence];
        printf("first divergence at t=%.3fs (sync %d): ", (double)s->t_us / 1e6,
               res.first_divergence + 1);
        print_metrics(stdout, s, labels);
        printf(" pods %d/%d ready; current %d, recorded %d, computed %d (proposal %d), "
               "decided by: %s\n",
               s->pods_ready, s->pods_total, s->current, s->recorded, s->computed, s->proposal,
               s->rule);
    }
    int all = res.nagree == res.nsyncs;
    replay_result_free(&res);
    scenario_cfg_free(&cfg);
    return replay_opts.strict && !all ? EXIT_ASSERTION_FAILED : EXIT_OK;
}
