/* report_html.c: the report as one self-contained HTML page: inline CSS, the plots as inline
 * SVG, no scripts and no external assets, so it can be mailed or attached to a CI run. Every
 * figure taken from summary.json carries data-field="<its path in summary.json>", so a test can
 * compare the page with the file. */
#include <math.h>
#include <string.h>

#include "common/duration.h"
#include "sim/output/report.h"

static const char *const CSS =
    ":root{--fg:#1d2330;--muted:#5b6475;--line:#e3e7ee;--bg:#f4f6fa;--ok:#1a7f37;--bad:#cf222e}"
    "*{box-sizing:border-box}"
    "body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',"
    "sans-serif;color:var(--fg);background:var(--bg)}"
    "header{background:#14213d;color:#fff;padding:26px 40px}"
    "header h1{margin:0;font-size:26px;font-weight:650}"
    "header p{margin:4px 0 0;color:#c9d3e6}"
    "main{max-width:1120px;margin:0 auto;padding:8px 28px 60px}"
    "section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:22px 28px;"
    "margin:22px 0;box-shadow:0 1px 3px rgba(20,33,61,.05)}"
    "h2{margin:0 0 2px;font-size:22px}"
    "h3{margin:26px 0 10px;font-size:13px;text-transform:uppercase;letter-spacing:.06em;"
    "color:var(--muted)}"
    ".sub{color:var(--muted);margin:0 0 14px}"
    ".comment{background:#f3f6fa;border-radius:6px;padding:10px 14px;margin:0 0 16px}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}"
    ".card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:#fbfcfe}"
    ".card .v{font-size:22px;font-weight:650;font-variant-numeric:tabular-nums}"
    ".card .k{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}"
    "table{border-collapse:collapse;width:100%;font-size:14px}"
    "th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);"
    "vertical-align:top}"
    "th{background:#f0f3f8;font-weight:600}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "tr:nth-child(even) td{background:#fafbfd}"
    ".ok{color:var(--ok);font-weight:600}.bad{color:var(--bad);font-weight:600}"
    ".err{color:#9a6700;font-weight:600}"
    "ul.warn{list-style:none;padding:0;margin:0}"
    "ul.warn li{background:#fff8e1;border-left:4px solid #d4a72c;padding:8px 12px;margin:6px 0;"
    "border-radius:4px}"
    "p.none{color:var(--muted);margin:0}"
    "figure{margin:14px 0;border:1px solid var(--line);border-radius:8px;padding:6px;"
    "background:#fff}"
    "figure svg{width:100%;height:auto;display:block}"
    "figcaption{font-size:13px;color:var(--muted);padding:2px 6px 4px}"
    "code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:13px;"
    "word-break:break-all}"
    "footer{color:var(--muted);font-size:13px;text-align:center;margin-top:30px}";

static void esc(FILE *f, const char *s) {
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* A figure cell: the value with the digits summary.json has, tagged with its path there. */
static void num_td(FILE *f, const char *field, double v) {
    char b[64];
    if (field)
        fprintf(f, "<td class=\"n\" data-field=\"%s\">%s</td>", field, report_num(v, b, sizeof b));
    else
        fprintf(f, "<td class=\"n\">%s</td>", report_num(v, b, sizeof b));
}

static double error_rate(const report_run *r) {
    double answered = r->completed + r->failed;
    return answered > 0 ? 100.0 * r->failed / answered : NAN;
}

#define cost report_cost

/* The rows of the results table and of the comparison: label, summary.json path, value. */
typedef struct figure {
    const char *label;
    const char *field;
    double v;
} figure;

static size_t figures(const report_run *r, const report_options *opt, figure *out) {
    size_t n = 0;
    out[n++] = (figure){"Requests offered", "requests.offered", r->offered};
    out[n++] = (figure){"Requests completed", "requests.completed", r->completed};
    out[n++] = (figure){"Requests failed", "requests.failed", r->failed};
    out[n++] = (figure){"Error rate (%)", NULL, error_rate(r)};
    out[n++] = (figure){"Throughput (req/s)", "throughput_rps", r->throughput_rps};
    out[n++] = (figure){"Latency p50 (ms)", "latency_ms.p50", r->p50};
    out[n++] = (figure){"Latency p90 (ms)", "latency_ms.p90", r->p90};
    out[n++] = (figure){"Latency p95 (ms)", "latency_ms.p95", r->p95};
    out[n++] = (figure){"Latency p99 (ms)", "latency_ms.p99", r->p99};
    out[n++] = (figure){"Latency p99.9 (ms)", "latency_ms.p999", r->p999};
    out[n++] = (figure){"Latency mean (ms)", "latency_ms.mean", r->mean};
    out[n++] = (figure){"Latency max (ms)", "latency_ms.max", r->max};
    out[n++] = (figure){"Pod-hours", "pods.pod_hours", r->pod_hours};
    out[n++] = (figure){"GPU-hours", "gpu_hours", r->gpu_hours};
    out[n++] = (figure){"Cost", NULL, cost(r, opt)};
    out[n++] =
        (figure){"CPU utilization, mean (% of request)", "pods.cpu_util_pct", r->cpu_util_pct};
    out[n++] =
        (figure){"Memory utilization, mean (% of request)", "pods.mem_util_pct", r->mem_util_pct};
    out[n++] = (figure){"Peak replicas", NULL, r->peak_replicas};
    out[n++] = (figure){"Rescales", NULL, (double)r->rescales};
    return n;
}

static void card(FILE *f, const char *k, const char *v) {
    fputs("<div class=\"card\"><div class=\"v\">", f);
    esc(f, v);
    fputs("</div><div class=\"k\">", f);
    esc(f, k);
    fputs("</div></div>", f);
}

static void run_section(FILE *f, const report_run *r, const report_options *opt) {
    char b[128], d[32];
    fputs("<section class=\"run\">\n<h2>", f);
    esc(f, r->name);
    duration_format((int64_t)llround((isnan(r->duration_s) ? 0 : r->duration_s) * 1e6), d,
                    sizeof d);
    fprintf(f, "</h2>\n<p class=\"sub\">seed %llu · %s simulated · run folder <code>",
            (unsigned long long)r->seed, d);
    esc(f, r->dir);
    fputs("</code></p>\n", f);
    if (r->comment) {
        fputs("<p class=\"comment\">", f);
        esc(f, r->comment);
        fputs("</p>\n", f);
    }
    fputs("<div class=\"cards\">", f);
    snprintf(b, sizeof b, "%.1f ms", r->p99);
    card(f, "p99 latency", b);
    if (r->n_slo > 0)
        card(f, "SLO attainment", r->slo[0].value);
    snprintf(b, sizeof b, "%.2f%%", error_rate(r));
    card(f, "error rate", isnan(error_rate(r)) ? "–" : b);
    snprintf(b, sizeof b, "%.3g", r->pod_hours);
    card(f, "pod-hours", b);
    if (!isnan(r->gpu_hours)) {
        snprintf(b, sizeof b, "%.3g", r->gpu_hours);
        card(f, "GPU-hours", b);
    }
    double c = cost(r, opt);
    if (!isnan(c)) {
        snprintf(b, sizeof b, "%s%.4g", opt->currency ? opt->currency : "", c);
        card(f, "cost", b);
    }
    snprintf(b, sizeof b, "%g", r->peak_replicas);
    card(f, "peak replicas", isnan(r->peak_replicas) ? "–" : b);
    snprintf(b, sizeof b, "%d", r->rescales);
    card(f, "rescales", b);
    fputs("</div>\n<h3>Warnings</h3>\n", f);
    if (r->n_warnings == 0) {
        fputs("<p class=\"none\">None.</p>\n", f);
    } else {
        fputs("<ul class=\"warn\">", f);
        for (size_t i = 0; i < r->n_warnings; i++) {
            fputs("<li>", f);
            esc(f, r->warnings[i]);
            fputs("</li>", f);
        }
        fputs("</ul>\n", f);
    }
    fputs("<h3>Plots</h3>\n", f);
    if (r->plot_note[0]) {
        fputs("<p class=\"none\">", f);
        esc(f, r->plot_note);
        fputs("</p>\n", f);
    }
    for (size_t i = 0; i < r->plots.n; i++) {
        if (r->svg[i] == NULL)
            continue;
        fputs("<figure><figcaption>", f);
        esc(f, r->plots.title[i]);
        fputs("</figcaption>", f);
        fputs(r->svg[i], f);
        fputs("</figure>\n", f);
    }
    fputs("<h3>Results</h3>\n<table class=\"results\"><tr><th>Figure</th><th>Value</th></tr>\n", f);
    figure fig[32];
    size_t nf = figures(r, opt, fig);
    for (size_t i = 0; i < nf; i++) {
        fputs("<tr><td>", f);
        esc(f, fig[i].label);
        fputs("</td>", f);
        num_td(f, fig[i].field, fig[i].v);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n<h3>SLO attainment</h3>\n", f);
    if (r->n_slo == 0) {
        fputs("<p class=\"none\">No SLO: add an <code>slo_attainment_at_least</code> assertion to "
              "the scenario's expect block (docs/check.md).</p>\n",
              f);
    } else {
        fputs("<table><tr><th>Objective</th><th>Attained</th></tr>\n", f);
        for (size_t i = 0; i < r->n_slo; i++) {
            fputs("<tr><td>", f);
            esc(f, r->slo[i].key);
            fputs("</td><td class=\"n\">", f);
            esc(f, r->slo[i].value);
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
    }
    fputs("<h3>Assertions (expect)</h3>\n", f);
    if (r->n_verdicts == 0) {
        fputs("<p class=\"none\">", f);
        esc(f, r->verdict_note);
        fputs("</p>\n", f);
    } else {
        fputs("<table><tr><th></th><th>Assertion</th><th>Observed</th></tr>\n", f);
        for (size_t i = 0; i < r->n_verdicts; i++) {
            const report_verdict *v = &r->verdicts[i];
            fprintf(f, "<tr><td class=\"%s\">%s</td><td>",
                    v->status == 0   ? "ok"
                    : v->status == 1 ? "bad"
                                     : "err",
                    v->status == 0   ? "ok"
                    : v->status == 1 ? "FAIL"
                                     : "ERROR");
            esc(f, v->name);
            fputs("</td><td>", f);
            esc(f, v->message);
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
    }
    fprintf(f, "<h3>Scaling events</h3>\n");
    if (r->n_events == 0) {
        fputs("<p class=\"none\">No rescales.</p>\n", f);
    } else {
        fprintf(f, "<p class=\"sub\">%s</p>\n",
                r->events_from_log ? "SuccessfulRescale events from events.log."
                                   : "No events.log in this run: changes of the replica count "
                                     "from timeline.csv.");
        fputs("<table><tr><th>Time</th><th>New size</th></tr>\n", f);
        for (size_t i = 0; i < r->n_events && i < REPORT_MAX_ROWS; i++) {
            if (r->events[i].t_us >= 0)
                duration_format(r->events[i].t_us, d, sizeof d);
            else
                snprintf(d, sizeof d, "?");
            fprintf(f, "<tr><td>%s</td><td class=\"n\">%d</td></tr>\n", d, r->events[i].new_size);
        }
        if (r->n_events > REPORT_MAX_ROWS)
            fprintf(f, "<tr><td colspan=\"2\">… and %zu more</td></tr>\n",
                    r->n_events - REPORT_MAX_ROWS);
        fputs("</table>\n", f);
    }
    fputs("<h3>Scenario and settings</h3>\n", f);
    if (r->n_settings == 0) {
        fputs("<p class=\"none\">No scenario.json in the run folder.</p>\n", f);
    } else {
        fputs("<table><tr><th>Setting</th><th>Value</th></tr>\n", f);
        for (size_t i = 0; i < r->n_settings; i++) {
            fputs("<tr><td><code>", f);
            esc(f, r->settings[i].key);
            fputs("</code></td><td><code>", f);
            esc(f, r->settings[i].value);
            fputs("</code></td></tr>\n", f);
        }
        fputs("</table>\n", f);
    }
    fputs("</section>\n", f);
}

int report_write_html(FILE *f, const report_run *runs, size_t n, const report_options *opt) {
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<title>scalesim report: ");
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        esc(f, runs[i].name);
    }
    fprintf(f,
            "</title>\n<style>%s</style>\n</head>\n<body>\n<header><h1>Capacity report</h1>"
            "<p>",
            CSS);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(" · ", f);
        esc(f, runs[i].name);
    }
    fprintf(f, " — simulated with scalesim %s</p></header>\n<main>\n", SCALESIM_VERSION);
    if (n > 1) {
        fputs("<section class=\"compare\">\n<h2>Comparison</h2>\n<p class=\"sub\">The runs side "
              "by side.</p>\n<table><tr><th>Figure</th>",
              f);
        for (size_t i = 0; i < n; i++) {
            fputs("<th>", f);
            esc(f, runs[i].name);
            fprintf(f, " <span class=\"sub\">(seed %llu)</span></th>",
                    (unsigned long long)runs[i].seed);
        }
        fputs("</tr>\n", f);
        figure fig[32][32];
        size_t nf = 0;
        for (size_t i = 0; i < n && i < 32; i++)
            nf = figures(&runs[i], opt, fig[i]);
        for (size_t k = 0; k < nf; k++) {
            fputs("<tr><td>", f);
            esc(f, fig[0][k].label);
            fputs("</td>", f);
            for (size_t i = 0; i < n && i < 32; i++)
                num_td(f, fig[i][k].field, fig[i][k].v);
            fputs("</tr>\n", f);
        }
        fputs("<tr><td>SLO attainment</td>", f);
        for (size_t i = 0; i < n && i < 32; i++) {
            fputs("<td class=\"n\">", f);
            esc(f, runs[i].n_slo ? runs[i].slo[0].value : "–");
            fputs("</td>", f);
        }
        fputs("</tr>\n</table>\n</section>\n", f);
    }
    for (size_t i = 0; i < n; i++)
        run_section(f, &runs[i], opt);
    fputs(
        "<footer>Generated by <code>scalesim report</code>. Figures come from each run's "
        "summary.json and timeline.csv; see docs/report.md.</footer>\n</main>\n</body>\n</html>\n",
        f);
    fflush(f);
    return ferror(f) ? -1 : 0;
}
