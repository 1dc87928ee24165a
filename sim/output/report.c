/* report.c: report_gather and the shared helpers of the report (see report.h). */
#include "sim/output/report.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/duration.h"
#include "sim/output/check.h"
#include "sim/scenario/scenario.h"

const char *report_num(double v, char *buf, size_t size) {
    if (isnan(v))
        snprintf(buf, size, "–");
    else
        snprintf(buf, size, "%.15g", v);
    return buf;
}

double report_cost(const report_run *r, const report_options *opt) {
    double c = NAN;
    if (!isnan(opt->pod_hour_price) && !isnan(r->pod_hours))
        c = r->pod_hours * opt->pod_hour_price;
    if (!isnan(opt->gpu_hour_price) && !isnan(r->gpu_hours))
        c = (isnan(c) ? 0 : c) + r->gpu_hours * opt->gpu_hour_price;
    return c;
}

static double jnum(const cJSON *root, const char *obj, const char *key) {
    const cJSON *o = obj ? cJSON_GetObjectItemCaseSensitive(root, obj) : root;
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static void warn(report_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(report_run *r, const char *fmt, ...) {
    if (r->n_warnings >= 8)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->warnings[r->n_warnings++], REPORT_TEXT_MAX, fmt, ap);
    va_end(ap);
}

/* Flattens scenario.json into path = value rows (comment and expect left out: shown apart). */
static void flatten(report_run *r, const cJSON *node, const char *path, size_t cap) {
    if (r->n_settings >= cap)
        return;
    if (cJSON_IsObject(node) || cJSON_IsArray(node)) {
        int i = 0;
        const cJSON *c;
        cJSON_ArrayForEach(c, node) {
            char p[REPORT_TEXT_MAX];
            if (cJSON_IsObject(node)) {
                if (path[0] == '\0' &&
                    (strcmp(c->string, "comment") == 0 || strcmp(c->string, "expect") == 0))
                    continue;
                snprintf(p, sizeof p, "%s%s%.200s", path, path[0] ? "." : "", c->string);
            } else {
                snprintf(p, sizeof p, "%.300s[%d]", path, i);
            }
            i++;
            flatten(r, c, p, cap);
        }
        return;
    }
    report_row *row = &r->settings[r->n_settings++];
    snprintf(row->key, sizeof row->key, "%s", path);
    if (cJSON_IsString(node)) {
        snprintf(row->value, sizeof row->value, "%s", node->valuestring);
    } else {
        char *s = cJSON_PrintUnformatted(node);
        snprintf(row->value, sizeof row->value, "%s", s ? s : "");
        free(s);
    }
}

/* Gives every id of an SVG a prefix (and every reference to one), so that several plots can
 * be inlined in one page; drops what comes before <svg. */
static char *svg_inline(const char *svg, int run, int plot) {
    const char *start = strstr(svg, "<svg");
    if (start == NULL)
        return NULL;
    char prefix[32];
    int plen = snprintf(prefix, sizeof prefix, "r%dp%d_", run, plot);
    static const char *const pats[] = {"id='", "id=\"", "href='#", "href=\"#", "url(#"};
    size_t n = strlen(start), count = 0;
    for (const char *p = start; *p; p++)
        for (int k = 0; k < 5; k++)
            if (strncmp(p, pats[k], strlen(pats[k])) == 0)
                count++;
    char *out = malloc(n + count * (size_t)plen + 1), *o = out;
    if (out == NULL)
        return NULL;
    for (const char *p = start; *p;) {
        int hit = -1;
        for (int k = 0; k < 5 && hit < 0; k++)
            if (strncmp(p, pats[k], strlen(pats[k])) == 0)
                hit = k;
        if (hit >= 0) {
            size_t l = strlen(pats[hit]);
            memcpy(o, p, l);
            o += l;
            p += l;
            memcpy(o, prefix, (size_t)plen);
            o += plen;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

/* The HPA's maxReplicas from scenario.json (hpa.maxReplicas or hpa.spec.maxReplicas). */
static double hpa_max(const cJSON *scn) {
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(scn, "hpa");
    if (h == NULL)
        return NAN;
    double v = jnum(h, NULL, "maxReplicas");
    if (isnan(v))
        v = jnum(h, "spec", "maxReplicas");
    if (isnan(v))
        v = jnum(h, NULL, "max_replicas");
    return v;
}

static void timeline_warnings(report_run *r, const check_run *run, double slo_ms, double max_rep) {
    const check_table *t = &run->timeline;
    int ts = check_table_col(t, "time_s"), ready = check_table_col(t, "pods_ready"),
        total = check_table_col(t, "pods_total"), rc = check_replica_col(t),
        p99 = check_table_col(t, "latency_p99_ms");
    char b1[32], b2[32];
    if (ts < 0)
        return;
    /* Pods not Ready for a minute or more in a row. */
    if (ready >= 0 && total >= 0) {
        size_t best = 0, run_len = 0, best_end = 0;
        double waiting = 0;
        for (size_t i = 0; i < t->nrows; i++) {
            if (t->cols[total][i] > t->cols[ready][i]) {
                run_len++;
                if (t->cols[total][i] - t->cols[ready][i] > waiting)
                    waiting = t->cols[total][i] - t->cols[ready][i];
                if (run_len > best) {
                    best = run_len;
                    best_end = i;
                }
            } else {
                run_len = 0;
            }
        }
        if (best >= 60) {
            duration_format((int64_t)best * 1000000, b1, sizeof b1);
            duration_format((int64_t)t->cols[ts][best_end + 1 - best] * 1000000, b2, sizeof b2);
            warn(r,
                 "Pods were not Ready for %s in a row from %s (up to %g waiting): stuck Pending "
                 "(no node or GPU capacity) or slow to start.",
                 b1, b2, waiting);
        }
    }
    /* At maxReplicas while the SLO was missed: more pods were allowed nowhere. */
    if (rc >= 0 && p99 >= 0 && !isnan(max_rep) && !isnan(slo_ms)) {
        long n = 0, first = -1;
        for (size_t i = 0; i < t->nrows; i++)
            if (t->cols[rc][i] >= max_rep && t->cols[p99][i] > slo_ms) {
                n++;
                if (first < 0)
                    first = (long)i;
            }
        if (n > 0) {
            duration_format((int64_t)t->cols[ts][first] * 1000000, b1, sizeof b1);
            warn(r,
                 "At maxReplicas (%g) while p99 latency missed the %gms SLO for %ld seconds, "
                 "first at %s: raise maxReplicas or lower the target.",
                 max_rep, slo_ms, n, b1);
        }
    }
    /* Saturation: CPU at or above 95% of the request for a minute or more in a row. */
    int cpu = check_table_col(t, "cpu_util_pct");
    if (cpu >= 0) {
        size_t len = 0, best = 0, best_end = 0;
        for (size_t i = 0; i < t->nrows; i++) {
            len = t->cols[cpu][i] >= 95 ? len + 1 : 0;
            if (len > best) {
                best = len;
                best_end = i;
            }
        }
        if (best >= 60) {
            duration_format((int64_t)best * 1000000, b1, sizeof b1);
            duration_format((int64_t)t->cols[ts][best_end + 1 - best] * 1000000, b2, sizeof b2);
            warn(r,
                 "Saturated: CPU at 95%% of the request or more for %s in a row from %s; requests "
                 "queue and latency grows with the load, not with the work.",
                 b1, b2);
        }
    }
    /* Flapping: the replica count changing direction again and again. */
    if (rc >= 0) {
        int dir = 0, reversals = 0;
        for (size_t i = 1; i < t->nrows; i++) {
            double d = t->cols[rc][i] - t->cols[rc][i - 1];
            int nd = d > 0 ? 1 : d < 0 ? -1 : 0;
            if (nd != 0 && dir != 0 && nd != dir)
                reversals++;
            if (nd != 0)
                dir = nd;
        }
        if (reversals >= 3)
            warn(r,
                 "Flapping: the replica count changed direction %d times (%d rescales); widen "
                 "the stabilization window or the tolerance.",
                 reversals, r->rescales);
    }
}

static void add_slo(report_run *out, const expect_assert *a, const check_result *res) {
    if (out->n_slo >= 16)
        return;
    report_row *row = &out->slo[out->n_slo++];
    snprintf(row->key, sizeof row->key, "p%g ≤ %gms, at least %g%% of the time", a->percentile,
             a->slo_ms, a->value);
    snprintf(row->value, sizeof row->value, "%.2f%%", res->observed);
}

/* When the scenario cannot be loaded here (a trace file left behind, a section this build does
 * not know), its SLOs are still read from the raw expect block. Returns the first objective. */
static double slo_fallback(report_run *out, const cJSON *scn, const check_run *run) {
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(scn, "expect"), *item;
    double first = NAN;
    if (!cJSON_IsArray(exp))
        return first;
    cJSON_ArrayForEach(item, exp) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, "slo_attainment_at_least");
        const cJSON *lat = cJSON_GetObjectItemCaseSensitive(item, "latency");
        const cJSON *pct = cJSON_GetObjectItemCaseSensitive(item, "percentile");
        expect_assert a = {.kind = EXPECT_SLO_AT_LEAST, .percentile = 99, .to_us = INT64_MAX};
        int64_t us = -1;
        if (!cJSON_IsNumber(v))
            continue;
        if (cJSON_IsString(lat) && duration_parse(lat->valuestring, &us, NULL) < 0)
            continue;
        if (cJSON_IsNumber(lat))
            us = (int64_t)llround(lat->valuedouble * 1e6);
        if (us <= 0)
            continue;
        a.value = v->valuedouble;
        a.slo_ms = (double)us / 1000.0;
        if (cJSON_IsNumber(pct))
            a.percentile = pct->valuedouble;
        check_result res;
        if (check_eval(&a, run, NULL, &res, NULL) < 0)
            continue;
        add_slo(out, &a, &res);
        if (isnan(first))
            first = a.slo_ms;
    }
    return first;
}

int report_gather(const char *run_dir, int index, const report_options *opt, report_run *out,
                  sim_error *err) {
    memset(out, 0, sizeof *out);
    snprintf(out->dir, sizeof out->dir, "%s", run_dir);
    check_run run;
    if (check_run_load(run_dir, &run, err) < 0)
        return -1;
    if (run.summary == NULL) {
        check_run_free(&run);
        return error_set(err, "%s: no summary.json (is this a scalesim run folder?)", run_dir);
    }
    const cJSON *s = run.summary;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(s, "scenario");
    snprintf(out->name, sizeof out->name, "%s", cJSON_IsString(name) ? name->valuestring : run_dir);
    double seed = jnum(s, NULL, "seed");
    out->seed = isnan(seed) ? 0 : (uint64_t)seed;
    out->duration_s = jnum(s, NULL, "duration_s");
    out->offered = jnum(s, "requests", "offered");
    out->completed = jnum(s, "requests", "completed");
    out->failed = jnum(s, "requests", "failed");
    out->throughput_rps = jnum(s, NULL, "throughput_rps");
    out->p50 = jnum(s, "latency_ms", "p50");
    out->p90 = jnum(s, "latency_ms", "p90");
    out->p95 = jnum(s, "latency_ms", "p95");
    out->p99 = jnum(s, "latency_ms", "p99");
    out->p999 = jnum(s, "latency_ms", "p999");
    out->mean = jnum(s, "latency_ms", "mean");
    out->max = jnum(s, "latency_ms", "max");
    out->pod_hours = jnum(s, "pods", "pod_hours");
    out->gpu_hours = jnum(s, NULL, "gpu_hours");
    if (isnan(out->gpu_hours))
        out->gpu_hours = jnum(s, "pods", "gpu_hours");
    out->cpu_util_pct = jnum(s, "pods", "cpu_util_pct");
    out->mem_util_pct = jnum(s, "pods", "mem_util_pct");

    /* Replicas and rescales. */
    const check_table *t = &run.timeline;
    int rc = check_replica_col(t), ts = check_table_col(t, "time_s");
    out->peak_replicas = NAN;
    if (rc >= 0 && ts >= 0) {
        out->replica_column = strcmp(t->names[rc], "desired_replicas") == 0   ? "desired_replicas"
                              : strcmp(t->names[rc], "current_replicas") == 0 ? "current_replicas"
                                                                              : "pods_total";
        for (size_t i = 0; i < t->nrows; i++) {
            if (isnan(out->peak_replicas) || t->cols[rc][i] > out->peak_replicas) {
                out->peak_replicas = t->cols[rc][i];
                out->peak_at_s = t->cols[ts][i];
            }
            if (i > 0 && t->cols[rc][i] != t->cols[rc][i - 1])
                out->rescales++;
        }
    }
    if (run.has_events) {
        out->rescales = (int)run.n_events;
        out->rescales_from_events = 1;
        out->events_from_log = 1;
        /* A copy: the verdicts below read the run's own list. */
        out->events = calloc(run.n_events + 1, sizeof *out->events);
        if (out->events != NULL) {
            if (run.n_events > 0)
                memcpy(out->events, run.events, run.n_events * sizeof *out->events);
            out->n_events = run.n_events;
        }
    } else if (rc >= 0 && ts >= 0) {
        /* No events.log: the changes of the replica column, as events. */
        out->events = calloc((size_t)out->rescales + 1, sizeof *out->events);
        for (size_t i = 1; out->events && i < t->nrows; i++)
            if (t->cols[rc][i] != t->cols[rc][i - 1])
                out->events[out->n_events++] = (check_event){
                    (int64_t)llround((t->cols[ts][i] + 1) * 1e6), (int)t->cols[rc][i]};
    }

    /* The scenario: settings, and the expect block's verdicts and SLOs. */
    char path[1200];
    snprintf(path, sizeof path, "%s/scenario.json", run_dir);
    size_t len;
    int missing = 0;
    sim_error e;
    char *text = check_read_file(path, &len, &missing, &e);
    cJSON *scn = text ? cJSON_ParseWithLength(text, len) : NULL;
    free(text);
    double slo_ms = NAN, max_rep = NAN;
    if (scn != NULL) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(scn, "comment");
        if (cJSON_IsString(c))
            out->comment = strdup(c->valuestring);
        out->settings = calloc(REPORT_MAX_ROWS, sizeof *out->settings);
        if (out->settings)
            flatten(out, scn, "", REPORT_MAX_ROWS);
        max_rep = hpa_max(scn);
    }
    scenario_cfg cfg;
    int have_cfg = 0; /* kept for the plots' target lines */
    memset(&cfg, 0, sizeof cfg);
    if (scn == NULL) {
        snprintf(
            out->verdict_note, sizeof out->verdict_note,
            "No scenario.json in the run folder (`scalesim run --plot` and `scalesim check -o` "
            "leave one): no settings or assertions to show.");
    } else if (scenario_load(path, &cfg, &e) < 0) {
        snprintf(out->verdict_note, sizeof out->verdict_note,
                 "The expect block could not be evaluated here: %.400s", e.msg);
        slo_ms = slo_fallback(out, scn, &run);
    } else {
        if (cfg.expect.n == 0)
            snprintf(out->verdict_note, sizeof out->verdict_note,
                     "The scenario has no expect block.");
        out->verdicts = calloc(cfg.expect.n + 1, sizeof *out->verdicts);
        for (size_t i = 0; out->verdicts && i < cfg.expect.n; i++) {
            const expect_assert *a = &cfg.expect.asserts[i];
            report_verdict *v = &out->verdicts[out->n_verdicts++];
            snprintf(v->name, sizeof v->name, "%s", a->name);
            check_table golden = {0};
            check_result res;
            if ((a->kind == EXPECT_GOLDEN && check_table_load(a->golden_path, &golden, &e) < 0) ||
                check_eval(a, &run, a->kind == EXPECT_GOLDEN ? &golden : NULL, &res, &e) < 0) {
                v->status = 2;
                snprintf(v->message, sizeof v->message, "%.500s", e.msg);
            } else {
                v->status = res.passed ? 0 : 1;
                snprintf(v->message, sizeof v->message, "%s", res.message);
                if (a->kind == EXPECT_SLO_AT_LEAST) {
                    add_slo(out, a, &res);
                    if (isnan(slo_ms))
                        slo_ms = a->slo_ms;
                }
            }
            check_table_free(&golden);
        }
        have_cfg = 1;
    }
    cJSON_Delete(scn);

    /* Warnings. */
    timeline_warnings(out, &run, slo_ms, max_rep);
    if (out->failed > 0)
        warn(out,
             "%.15g requests failed (%.3f%% of those answered): timeouts or refused "
             "connections.",
             out->failed, 100.0 * out->failed / (out->completed + out->failed));

    /* Plots, as SVG. */
    if (opt->no_plots) {
        snprintf(out->plot_note, sizeof out->plot_note, "Plots not drawn (--no-plots).");
    } else if (plot_run_dir(run_dir, have_cfg ? &cfg : NULL, slo_ms, PLOT_SVG, &out->plots, &e) <
               0) {
        snprintf(out->plot_note, sizeof out->plot_note, "Plots not drawn: %.440s", e.msg);
    } else {
        for (size_t i = 0; i < out->plots.n; i++) {
            snprintf(path, sizeof path, "%s/plots/%s.svg", run_dir, out->plots.name[i]);
            char *svg = check_read_file(path, &len, NULL, &e);
            if (svg) {
                out->svg[i] = svg_inline(svg, index, (int)i);
                free(svg);
            }
        }
    }
    scenario_cfg_free(&cfg);
    check_run_free(&run);
    return 0;
}

void report_run_free(report_run *r) {
    free(r->comment);
    free(r->verdicts);
    free(r->events);
    free(r->settings);
    for (int i = 0; i < PLOT_MAX; i++)
        free(r->svg[i]);
    memset(r, 0, sizeof *r);
}
