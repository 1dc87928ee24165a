/* report_md.c: the report's Markdown twin: the same sections and tables as the HTML page, with
 * the plots linked (relative to the Markdown file) instead of inlined. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/duration.h"
#include "sim/output/report.h"

/* Markdown table cells: no raw '|' or newlines. */
static void cell(FILE *f, const char *s) {
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

/* The path of target relative to the folder base (both made absolute); target itself when
 * either cannot be resolved. */
static void relative(const char *base, const char *target, char *out, size_t size) {
    char a[PATH_MAX], b[PATH_MAX];
    if (realpath(base, a) == NULL || realpath(target, b) == NULL) {
        snprintf(out, size, "%s", target);
        return;
    }
    size_t common = 0, i = 0;
    while (a[i] && a[i] == b[i]) {
        if (a[i] == '/')
            common = i;
        i++;
    }
    if (a[i] == '\0' && (b[i] == '/' || b[i] == '\0'))
        common = i;
    out[0] = '\0';
    size_t used = 0;
    for (const char *p = a + common; *p; p++)
        if (*p == '/' && used + 4 < size) {
            strcat(out, "../");
            used += 3;
        }
    const char *rest = b + common + (b[common] == '/' ? 1 : 0);
    snprintf(out + used, size - used, "%s", rest);
}

int report_write_md(FILE *f, const report_run *runs, size_t n, const report_options *opt,
                    const char *md_dir) {
    char b[128], d[32];
    fputs("# Capacity report\n\n", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? ", " : "", runs[i].name);
    fprintf(f, " — simulated with scalesim %s\n\n", SCALESIM_VERSION);
    if (n > 1) {
        fputs("## Comparison\n\n| Figure |", f);
        for (size_t i = 0; i < n; i++) {
            fputc(' ', f);
            cell(f, runs[i].name);
            fprintf(f, " (seed %llu) |", (unsigned long long)runs[i].seed);
        }
        fputs("\n|---|", f);
        for (size_t i = 0; i < n; i++)
            fputs("---:|", f);
        fputc('\n', f);
        static const char *const labels[] = {
            "Requests completed", "Requests failed", "Latency p50 (ms)", "Latency p99 (ms)",
            "Pod-hours",          "GPU-hours",       "Peak replicas",    "Rescales"};
        for (int k = 0; k < 8; k++) {
            fprintf(f, "| %s |", labels[k]);
            for (size_t i = 0; i < n; i++) {
                const report_run *r = &runs[i];
                double v[] = {r->completed, r->failed,    r->p50,           r->p99,
                              r->pod_hours, r->gpu_hours, r->peak_replicas, (double)r->rescales};
                fprintf(f, " %s |", report_num(v[k], b, sizeof b));
            }
            fputc('\n', f);
        }
        fputs("| SLO attainment |", f);
        for (size_t i = 0; i < n; i++)
            fprintf(f, " %s |", runs[i].n_slo ? runs[i].slo[0].value : "–");
        fputs("\n\n", f);
    }
    for (size_t ri = 0; ri < n; ri++) {
        const report_run *r = &runs[ri];
        duration_format((int64_t)llround((isnan(r->duration_s) ? 0 : r->duration_s) * 1e6), d,
                        sizeof d);
        fprintf(f, "## %s\n\nseed %llu · %s simulated · run folder `%s`\n\n", r->name,
                (unsigned long long)r->seed, d, r->dir);
        if (r->comment)
            fprintf(f, "> %s\n\n", r->comment);
        fputs("### Warnings\n\n", f);
        if (r->n_warnings == 0)
            fputs("None.\n\n", f);
        for (size_t i = 0; i < r->n_warnings; i++)
            fprintf(f, "- %s\n%s", r->warnings[i], i + 1 == r->n_warnings ? "\n" : "");
        fputs("### Plots\n\n", f);
        if (r->plot_note[0])
            fprintf(f, "%s\n\n", r->plot_note);
        for (size_t i = 0; i < r->plots.n; i++) {
            char target[2048], rel[PATH_MAX];
            snprintf(target, sizeof target, "%s/plots/%s.svg", r->dir, r->plots.name[i]);
            relative(md_dir, target, rel, sizeof rel);
            fprintf(f, "![%s](%s)\n\n", r->plots.title[i], rel);
        }
        fputs("### Results\n\n| Figure | Value |\n|---|---:|\n", f);
        double answered = r->completed + r->failed;
        struct {
            const char *k;
            double v;
        } rows[] = {
            {"Requests offered", r->offered},
            {"Requests completed", r->completed},
            {"Requests failed", r->failed},
            {"Error rate (%)", answered > 0 ? 100.0 * r->failed / answered : NAN},
            {"Throughput (req/s)", r->throughput_rps},
            {"Latency p50 (ms)", r->p50},
            {"Latency p90 (ms)", r->p90},
            {"Latency p95 (ms)", r->p95},
            {"Latency p99 (ms)", r->p99},
            {"Latency p99.9 (ms)", r->p999},
            {"Latency mean (ms)", r->mean},
            {"Latency max (ms)", r->max},
            {"Pod-hours", r->pod_hours},
            {"GPU-hours", r->gpu_hours},
            {"Cost", report_cost(r, opt)},
            {"Peak replicas", r->peak_replicas},
            {"Rescales", (double)r->rescales},
        };
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
            fprintf(f, "| %s | %s |\n", rows[i].k, report_num(rows[i].v, b, sizeof b));
        fputs("\n### SLO attainment\n\n", f);
        if (r->n_slo == 0)
            fputs("No SLO: add an `slo_attainment_at_least` assertion to the scenario's expect "
                  "block.\n\n",
                  f);
        else
            fputs("| Objective | Attained |\n|---|---:|\n", f);
        for (size_t i = 0; i < r->n_slo; i++)
            fprintf(f, "| %s | %s |\n%s", r->slo[i].key, r->slo[i].value,
                    i + 1 == r->n_slo ? "\n" : "");
        fputs("### Assertions (expect)\n\n", f);
        if (r->n_verdicts == 0)
            fprintf(f, "%s\n\n", r->verdict_note);
        else
            fputs("| | Assertion | Observed |\n|---|---|---|\n", f);
        for (size_t i = 0; i < r->n_verdicts; i++) {
            const report_verdict *v = &r->verdicts[i];
            fprintf(f, "| %s | ", v->status == 0 ? "ok" : v->status == 1 ? "**FAIL**" : "ERROR");
            cell(f, v->name);
            fputs(" | ", f);
            cell(f, v->message);
            fprintf(f, " |\n%s", i + 1 == r->n_verdicts ? "\n" : "");
        }
        fputs("### Scaling events\n\n", f);
        if (r->n_events == 0)
            fputs("No rescales.\n\n", f);
        else
            fprintf(f, "%s\n\n| Time | New size |\n|---|---:|\n",
                    r->events_from_log ? "SuccessfulRescale events from events.log."
                                       : "No events.log in this run: changes of the replica "
                                         "count from timeline.csv.");
        for (size_t i = 0; i < r->n_events && i < REPORT_MAX_ROWS; i++) {
            if (r->events[i].t_us >= 0)
                duration_format(r->events[i].t_us, d, sizeof d);
            else
                snprintf(d, sizeof d, "?");
            fprintf(f, "| %s | %d |\n%s", d, r->events[i].new_size,
                    i + 1 == r->n_events ? "\n" : "");
        }
        fputs("### Scenario and settings\n\n", f);
        if (r->n_settings == 0)
            fputs("No scenario.json in the run folder.\n\n", f);
        else
            fputs("| Setting | Value |\n|---|---|\n", f);
        for (size_t i = 0; i < r->n_settings; i++) {
            fputs("| `", f);
            cell(f, r->settings[i].key);
            fputs("` | ", f);
            cell(f, r->settings[i].value);
            fprintf(f, " |\n%s", i + 1 == r->n_settings ? "\n" : "");
        }
    }
    fflush(f);
    return ferror(f) ? -1 : 0;
}
