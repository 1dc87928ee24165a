/* cmd_replay.c: `scalesim replay RECORDING --scenario S`: feeds a recorded HPA timeline through
 * the same HPA code, sync by sync, and reports the agreement with the recorded decisions and
 * the first divergence (sim/replay). See docs/replay.md. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "sim/model/sim.h"
#include "sim/output/tabwriter.h"
#include "sim/output/tune_space.h"
#include "sim/output/whatif.h"
#include "sim/replay/replay.h"
#include "sim/replay/replay_csv.h"
#include "sim/replay/replay_prom.h"
#include "sim/scenario/scenario.h"

static struct {
    const char *scenario;
    const char *syncs_out;
    int strict;
    double min_agreement_pct;
    opt_strings sets;
    opt_strings prom;
    const char *out_dir;
    const char *arrivals;
} replay_opts;

static const opt_spec replay_options_spec[] = {
    {"scenario", 's', OPT_STRING, "FILE", "the scenario whose hpa (and pod request) to replay",
     &replay_opts.scenario},
    {"syncs", 0, OPT_STRING, "FILE", "write one CSV row per sync (recorded vs computed)",
     &replay_opts.syncs_out},
    {"strict", 0, OPT_FLAG, NULL, "exit 1 unless every sync agrees", &replay_opts.strict},
    {"min-agreement", 0, OPT_DOUBLE, "PCT", "exit 1 when the agreement is below PCT percent",
     &replay_opts.min_agreement_pct},
    {"prom", 0, OPT_STRINGS, "[COLUMN=]FILE",
     "a Prometheus query_range JSON response as (part of) the recording (repeatable)",
     &replay_opts.prom},
    {"set", 0, OPT_STRINGS, "PATH=VALUE",
     "counterfactual: re-run the recorded load with this scenario edit (repeatable)",
     &replay_opts.sets},
    {"out", 'o', OPT_STRING, "DIR", "with --set: write the runs and diff.json here",
     &replay_opts.out_dir},
    {"arrivals", 0, OPT_STRING, "KIND",
     "with --set: how the recorded load arrives, uniform (default) or poisson",
     &replay_opts.arrivals},
    {0},
};

const cmd_spec cmd_replay_spec = {
    "replay",
    "scalesim replay RECORDING|--prom [COLUMN=]FILE... --scenario S [--syncs FILE] [--strict]\n"
    "       [--min-agreement PCT] [--set PATH=VALUE... [-o DIR] [--arrivals uniform|poisson]]",
    "replay a recorded HPA timeline through the HPA code; agreement and first divergence",
    "RECORDING is a CSV timeline: the simulator's timeline.csv or `scalesim loadgen\n"
    "--watch-hpa`'s trace (docs/replay.md), or Prometheus query_range responses given with\n"
    "--prom (series mapped by their kube-state-metrics names, or COLUMN=FILE). At each sync of\n"
    "the scenario's HPA (controller sync_period and sync_phase) the recorded metric values,\n"
    "pods and replica count go through hpa_sync; its decision is compared with the recorded\n"
    "one. Prints the agreement % and the first divergence with its metric values and the rule\n"
    "that decided. A CronHPA in the scenario fires as in the simulator and rewrites the HPA's\n"
    "min/max. With --set, the recorded offered load is simulated with the scenario as it is\n"
    "and with the edits, on the same seed, and the pods, cost, latency and errors of the\n"
    "recording and both runs are compared. Exit 0, 1 when the agreement is below --strict\n"
    "(100%) or --min-agreement, 2 on bad input.",
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

/* --prom [COLUMN=]FILE...: the files read and turned into a recording CSV (replay_prom.h). */
static char *prom_recording(const char *const *specs, int n, const char *const *cols,
                            const char *const *names, int nm, int64_t origin, size_t *len,
                            sim_error *err) {
    replay_prom_doc docs[OPT_STRINGS_MAX];
    char *texts[OPT_STRINGS_MAX], *owned[OPT_STRINGS_MAX];
    char *csv = NULL;
    int k = 0;
    for (; k < n; k++) {
        owned[k] = strdup(specs[k]);
        texts[k] = NULL;
        if (owned[k] == NULL) {
            error_set(err, "out of memory");
            break;
        }
        char *eq = strchr(owned[k], '='), *path = owned[k];
        docs[k].column = NULL;
        if (eq != NULL) {
            *eq = '\0';
            docs[k].column = owned[k];
            path = eq + 1;
        }
        docs[k].path = path;
        texts[k] = slurp(path, &docs[k].len, err);
        if (texts[k] == NULL) {
            free(owned[k]);
            break;
        }
        docs[k].text = texts[k];
    }
    if (k == n)
        csv = replay_prom_csv(docs, n, cols, names, nm, origin, len, err);
    for (int i = 0; i < k; i++) {
        free(texts[i]);
        free(owned[i]);
    }
    return csv;
}

/* The value of a figure, or "-" when unknown. */
static void cell(tabwriter *tw, double v) {
    if (isnan(v))
        tw_printf(tw, "-\t");
    else if (fabs(v) >= 1e4)
        tw_printf(tw, "%.0f\t", v);
    else
        tw_printf(tw, "%.4g\t", v);
}

static void change(tabwriter *tw, double b, double c) {
    if (isnan(b) || isnan(c))
        tw_printf(tw, "-\n");
    else if (b != 0)
        tw_printf(tw, fabs(c - b) >= 1e4 ? "%+.0f (%+.1f%%)\n" : "%+.4g (%+.1f%%)\n", c - b,
                  100.0 * (c - b) / fabs(b));
    else
        tw_printf(tw, fabs(c - b) >= 1e4 ? "%+.0f\n" : "%+.4g\n", c - b);
}

static void print_whatif(const whatif_job *job, const whatif_result *r, const whatif_figures *rec) {
    printf("counterfactual:");
    for (int k = 0; k < job->nsets; k++)
        printf(" %s", job->sets[k].text);
    printf(" (the recorded offered load, %.0f s, %s arrivals; same seed)\n", r->baseline.seconds,
           job->arrivals);
    tabwriter tw = {0};
    tw_printf(&tw, "\trecorded\tbaseline\twith --set\tchange\n");
    const char *cost = r->gpu ? "GPU-hours" : "pod-hours";
    struct {
        const char *name;
        double rec, b, c;
    } rows[] = {
        {"pods mean", rec->pods_mean, r->baseline.pods_mean, r->counterfactual.pods_mean},
        {"pods max", rec->pods_max, r->baseline.pods_max, r->counterfactual.pods_max},
        {cost, rec->cost, r->baseline.cost, r->counterfactual.cost},
        {"latency p50 ms", rec->p50_ms, r->baseline.p50_ms, r->counterfactual.p50_ms},
        {"latency p95 ms", rec->p95_ms, r->baseline.p95_ms, r->counterfactual.p95_ms},
        {"latency p99 ms", rec->p99_ms, r->baseline.p99_ms, r->counterfactual.p99_ms},
        {"per-second p50 ms *", rec->ps_p50_ms, r->baseline.ps_p50_ms, r->counterfactual.ps_p50_ms},
        {"per-second p95 ms *", rec->ps_p95_ms, r->baseline.ps_p95_ms, r->counterfactual.ps_p95_ms},
        {"per-second p99 ms *", rec->ps_p99_ms, r->baseline.ps_p99_ms, r->counterfactual.ps_p99_ms},
        {"requests", rec->requests, r->baseline.requests, r->counterfactual.requests},
        {"errors", rec->errors, r->baseline.errors, r->counterfactual.errors},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        tw_printf(&tw, "%s\t", rows[i].name);
        cell(&tw, rows[i].rec);
        cell(&tw, rows[i].b);
        cell(&tw, rows[i].c);
        change(&tw, rows[i].b, rows[i].c);
    }
    tw_flush(&tw, stdout);
    tw_free(&tw);
    printf("latency pNN: whole run (not known from a recording's per-second figures); * the "
           "mean of the per-second pNN, weighted by the requests completed each second\n");
}

static void remove_whatif_dir(const char *dir) {
    static const char *const files[] = {"offered.csv",
                                        "baseline.json",
                                        "counterfactual.json",
                                        "baseline/timeline.csv",
                                        "baseline/summary.json",
                                        "baseline/events.log",
                                        "counterfactual/timeline.csv",
                                        "counterfactual/summary.json",
                                        "counterfactual/events.log",
                                        "baseline",
                                        "counterfactual"};
    char path[4200];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        if (unlink(path) < 0)
            rmdir(path);
    }
    rmdir(dir);
}

/* The counterfactual (--set): returns 0, or -1 with err. */
static int run_whatif(const char *text, size_t len, sim_error *err) {
    const char *arrivals = replay_opts.arrivals ? replay_opts.arrivals : "uniform";
    if (strcmp(arrivals, "uniform") != 0 && strcmp(arrivals, "poisson") != 0)
        return error_set(err, "replay: --arrivals: expected uniform or poisson, got \"%s\"",
                         arrivals);
    whatif_set sets[OPT_STRINGS_MAX];
    tune_param params[OPT_STRINGS_MAX];
    int np = 0, rc = 0;
    for (int k = 0; k < replay_opts.sets.n && rc == 0; k++) {
        const char *t = replay_opts.sets.v[k];
        if (tune_param_parse(t, &params[np], err) < 0) {
            /* tune's message, which opens with "tune: parameter": here it is --set's */
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "%s",
                     strncmp(err->msg, "tune: ", 6) ? err->msg : err->msg + 6);
            rc = error_set(err, "replay: --set: %s", msg);
            break;
        }
        np++;
        if (params[np - 1].nvalues != 1 || strchr(t, ',') || strchr(strchr(t, '='), ':'))
            rc = error_set(err, "replay: --set \"%s\": one value, not a list or a range", t);
        else
            sets[k] = (whatif_set){params[np - 1].path, params[np - 1].values[0], t};
    }
    char *stext = NULL;
    cJSON *root = NULL;
    if (rc == 0) {
        size_t sl;
        stext = slurp(replay_opts.scenario, &sl, err);
        if (stext == NULL)
            rc = -1;
        else if ((root = cJSON_ParseWithLength(stext, sl)) == NULL)
            rc = error_set(err, "replay: %s: not JSON (--set edits JSON scenarios)",
                           replay_opts.scenario);
    }
    replay_series rec;
    memset(&rec, 0, sizeof rec);
    if (rc == 0)
        rc = replay_csv_series(text, len, &rec, err);
    char dir[4096], base_dir[4096];
    int temp = replay_opts.out_dir == NULL;
    if (rc == 0) {
        if (temp) {
            const char *tmp = getenv("TMPDIR");
            snprintf(dir, sizeof dir, "%s/scalesim-replay-XXXXXX", tmp && *tmp ? tmp : "/tmp");
            if (mkdtemp(dir) == NULL)
                rc = error_set(err, "replay: cannot create a folder in %s: %s",
                               tmp && *tmp ? tmp : "/tmp", strerror(errno));
        } else {
            snprintf(dir, sizeof dir, "%s", replay_opts.out_dir);
            if (mkdir(dir, 0777) < 0 && errno != EEXIST)
                rc = error_set(err, "replay: -o %s: cannot create: %s", dir, strerror(errno));
        }
    }
    if (rc == 0) {
        snprintf(base_dir, sizeof base_dir, "%s", replay_opts.scenario);
        snprintf(base_dir, sizeof base_dir, "%s", dirname(base_dir));
        whatif_job job = {root, replay_opts.scenario, base_dir, sets, np, &rec, arrivals, dir,
                          !temp};
        whatif_result res;
        rc = whatif_run(&job, &res, err);
        if (rc == 0) {
            whatif_figures recf;
            whatif_recorded(&rec, res.gpus_per_pod, &recf);
            print_whatif(&job, &res, &recf);
            if (!temp) {
                char *json = whatif_json(&job, &res, &recf);
                char path[4200];
                snprintf(path, sizeof path, "%s/diff.json", dir);
                FILE *f = json ? fopen(path, "w") : NULL;
                if (f == NULL || fputs(json, f) < 0 || fputc('\n', f) < 0)
                    rc = error_set(err, "replay: cannot write %s", path);
                if (f && fclose(f) != 0 && rc == 0)
                    rc = error_set(err, "replay: %s: write error", path);
                free(json);
                if (rc == 0)
                    printf("runs, scenarios and diff.json in %s\n", dir);
            }
        }
        if (temp)
            remove_whatif_dir(dir);
    }
    replay_series_free(&rec);
    cJSON_Delete(root);
    free(stext);
    for (int k = 0; k < np; k++)
        tune_param_free(&params[k]);
    return rc;
}

int cmd_replay_main(int argc, char **argv) {
    memset(&replay_opts, 0, sizeof replay_opts);
    replay_opts.min_agreement_pct = NAN;
    int npos = 0;
    int rc = cli_parse(&cmd_replay_spec, argc, argv, &npos);
    if (rc >= 0)
        return rc;
    sim_error err;
    if (npos > 1 || (npos == 0 && replay_opts.prom.n == 0) || (npos == 1 && replay_opts.prom.n)) {
        error_set(&err,
                  "replay: expected exactly one RECORDING file, got %d%s; see 'scalesim "
                  "replay --help'",
                  npos, replay_opts.prom.n ? " and --prom (give one or the other)" : "");
        return cli_fail(&err);
    }
    if (replay_opts.scenario == NULL) {
        error_set(&err, "replay: --scenario is required (the HPA spec and controller settings "
                        "to replay with)");
        return cli_fail(&err);
    }
    if (!isnan(replay_opts.min_agreement_pct) &&
        !(replay_opts.min_agreement_pct >= 0 && replay_opts.min_agreement_pct <= 100)) {
        error_set(&err, "replay: --min-agreement: expected a percentage from 0 to 100, got %g",
                  replay_opts.min_agreement_pct);
        return cli_fail(&err);
    }
    if ((replay_opts.out_dir || replay_opts.arrivals) && replay_opts.sets.n == 0) {
        error_set(&err, "replay: %s is for the counterfactual runs: give --set PATH=VALUE",
                  replay_opts.out_dir ? "-o" : "--arrivals");
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
    char *text = NULL;
    if (replay_opts.prom.n > 0)
        text = prom_recording(replay_opts.prom.v, replay_opts.prom.n, colp, namep, nm,
                              cfg.has_start ? cfg.start_unix_us : INT64_MIN, &len, &err);
    else
        text = slurp(argv[1], &len, &err);
    replay_sample *rows = NULL;
    int nrows = 0;
    replay_result res;
    memset(&res, 0, sizeof res);
    if (text == NULL || replay_csv_parse(text, len, colp, namep, nm, &rows, &nrows, &err) < 0 ||
        replay_run(&cfg.hpa, cfg.service.pod.cpu_request_milli, &cfg.cronhpa,
                   sim_start_unix_us(&cfg), rows, nrows, &res, &err) < 0) {
        free(text);
        free(rows);
        scenario_cfg_free(&cfg);
        return cli_fail(&err);
    }
    free(rows);
    if (replay_opts.syncs_out) {
        FILE *f = fopen(replay_opts.syncs_out, "w");
        if (f == NULL) {
            error_set(&err, "replay: %s: %s", replay_opts.syncs_out, strerror(errno));
            free(text);
            replay_result_free(&res);
            scenario_cfg_free(&cfg);
            return cli_fail(&err);
        }
        fputs("time_s,current,recorded,computed,proposal,pods_ready,pods_total,min,max,agree,rule",
              f);
        for (int m = 0; m < nm; m++)
            fprintf(f, ",%s", labels[m]);
        fputc('\n', f);
        for (int i = 0; i < res.nsyncs; i++) {
            const replay_sync *s = &res.syncs[i];
            fprintf(f, "%.3f,%d,%d,%d,%d,%d,%d,%d,%d,%d,%s", (double)s->t_us / 1e6, s->current,
                    s->recorded, s->computed, s->proposal, s->pods_ready, s->pods_total,
                    s->min_replicas, s->max_replicas, s->recorded == s->computed, s->rule);
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
            free(text);
            replay_result_free(&res);
            scenario_cfg_free(&cfg);
            return cli_fail(&err);
        }
    }
    double pct = res.nsyncs ? 100.0 * res.nagree / res.nsyncs : 0.0;
    /* never print 100.0% with a divergence */
    if (res.nagree < res.nsyncs && pct > 99.9)
        pct = 99.9;
    printf("replay: %d syncs (period %.3gs, phase %.3gs), %d agree: %.1f%%", res.nsyncs,
           (double)cfg.hpa.sync_period_us / 1e6, (double)cfg.hpa.sync_phase_us / 1e6, res.nagree,
           pct);
    if (res.nsyncs > 0 && res.syncs[res.nsyncs - 1].cron_fires > 0)
        printf(" (%d CronHPA fires replayed)", res.syncs[res.nsyncs - 1].cron_fires);
    putchar('\n');
    if (res.first_divergence < 0) {
        printf("no divergence\n");
    } else {
        const replay_sync *s = &res.syncs[res.first_divergence];
        printf("first divergence at t=%.3fs (sync %d): ", (double)s->t_us / 1e6,
               res.first_divergence + 1);
        print_metrics(stdout, s, labels);
        printf(" pods %d/%d ready; current %d, recorded %d, computed %d (proposal %d), "
               "min/max %d/%d, decided by: %s\n",
               s->pods_ready, s->pods_total, s->current, s->recorded, s->computed, s->proposal,
               s->min_replicas, s->max_replicas, s->rule);
    }
    double exact = res.nsyncs ? 100.0 * res.nagree / res.nsyncs : 0.0;
    int below = (replay_opts.strict && res.nagree < res.nsyncs) ||
                (!isnan(replay_opts.min_agreement_pct) && exact < replay_opts.min_agreement_pct);
    replay_result_free(&res);
    if (replay_opts.sets.n > 0 && run_whatif(text, len, &err) < 0) {
        free(text);
        scenario_cfg_free(&cfg);
        return cli_fail(&err);
    }
    free(text);
    scenario_cfg_free(&cfg);
    return below ? EXIT_ASSERTION_FAILED : EXIT_OK;
}
