/* cmd_report.c: `scalesim report RUN_DIR... [-o report.html]`: a capacity-planning report of
 * run folders (sim/output/report.h), as a self-contained HTML page and its Markdown twin (the
 * same name with .md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "sim/output/report.h"

#define MAX_RUNS 32

static struct {
    const char *out;
    const char *currency;
    double pod_hour_price;
    double gpu_hour_price;
    int no_plots;
    int quiet;
} report_opts;

static const opt_spec report_options_spec[] = {
    {"output", 'o', OPT_STRING, "FILE", "the HTML file (default report.html); Markdown next to it",
     &report_opts.out},
    {"pod-hour-price", 0, OPT_DOUBLE, "P", "price of one pod-hour, for the cost figures",
     &report_opts.pod_hour_price},
    {"gpu-hour-price", 0, OPT_DOUBLE, "P", "price of one GPU-hour, for the cost figures",
     &report_opts.gpu_hour_price},
    {"currency", 0, OPT_STRING, "SYMBOL", "shown before money figures, e.g. '$'",
     &report_opts.currency},
    {"no-plots", 0, OPT_FLAG, NULL, "do not run gnuplot (tables only)", &report_opts.no_plots},
    {"quiet", 'q', OPT_FLAG, NULL, "print nothing but errors", &report_opts.quiet},
    {0},
};

const cmd_spec cmd_report_spec = {
    "report",
    "scalesim report RUN_DIR... [-o report.html] [options]",
    "capacity-planning report of run folders (HTML + Markdown)",
    "Reads run folders written by `scalesim run --plot` (or `run -o`, `check -o`): timeline.csv,\n"
    "summary.json, events.log and scenario.json when present, and writes one self-contained HTML\n"
    "page (plots as inline SVG, no external assets) and a Markdown twin: scenario and settings,\n"
    "plots, SLO attainment, latency, cost (pod-hours, GPU-hours, money at the given prices),\n"
    "scaling events, warnings, the expect verdicts, and with several runs a side-by-side\n"
    "comparison. See docs/report.md.",
    report_options_spec,
};

int cmd_report_main(int argc, char **argv) {
    memset(&report_opts, 0, sizeof report_opts);
    report_opts.pod_hour_price = NAN;
    report_opts.gpu_hour_price = NAN;
    int npos = 0;
    int rc = cli_parse(&cmd_report_spec, argc, argv, &npos);
    if (rc >= 0)
        return rc;
    sim_error err;
    if (npos < 1 || npos > MAX_RUNS) {
        error_set(&err,
                  "report: expected 1 to %d RUN_DIR folders, got %d; see 'scalesim report "
                  "--help'",
                  MAX_RUNS, npos);
        return cli_fail(&err);
    }
    if (report_opts.pod_hour_price < 0 || report_opts.gpu_hour_price < 0) {
        error_set(&err, "report: prices must not be negative");
        return cli_fail(&err);
    }
    const char *html = report_opts.out ? report_opts.out : "report.html";
    size_t hl = strlen(html);
    char md[4096], md_dir[4096];
    if (hl >= 5 && strcmp(html + hl - 5, ".html") == 0)
        snprintf(md, sizeof md, "%.*s.md", (int)(hl - 5), html);
    else
        snprintf(md, sizeof md, "%s.md", html);
    snprintf(md_dir, sizeof md_dir, "%s", md);
    char *slash = strrchr(md_dir, '/');
    if (slash == NULL)
        snprintf(md_dir, sizeof md_dir, ".");
    else if (slash == md_dir)
        md_dir[1] = '\0';
    else
        *slash = '\0';

    report_options opt = {report_opts.pod_hour_price, report_opts.gpu_hour_price,
                          report_opts.currency, report_opts.no_plots};
    report_run *runs = calloc((size_t)npos, sizeof *runs);
    if (runs == NULL) {
        error_set(&err, "report: out of memory");
        return cli_fail(&err);
    }
    rc = EXIT_OK;
    int n = 0;
    for (; n < npos; n++)
        if (report_gather(argv[1 + n], n, &opt, &runs[n], &err) < 0) {
            rc = cli_fail(&err);
            break;
        }
    if (rc == EXIT_OK) {
        FILE *f = fopen(html, "w");
        if (f == NULL || report_write_html(f, runs, (size_t)n, &opt) < 0 || fclose(f) != 0) {
            error_set(&err, "report: cannot write %s", html);
            rc = cli_fail(&err);
        }
    }
    if (rc == EXIT_OK) {
        FILE *f = fopen(md, "w");
        if (f == NULL || report_write_md(f, runs, (size_t)n, &opt, md_dir) < 0 || fclose(f) != 0) {
            error_set(&err, "report: cannot write %s", md);
            rc = cli_fail(&err);
        }
    }
    if (rc == EXIT_OK && !report_opts.quiet) {
        for (int i = 0; i < n; i++)
            if (runs[i].plot_note[0] && !report_opts.no_plots)
                fprintf(stderr, "scalesim: report: %s: %s\n", runs[i].dir, runs[i].plot_note);
        printf("Wrote %s and %s\n", html, md);
    }
    for (int i = 0; i < npos; i++)
        report_run_free(&runs[i]);
    free(runs);
    return rc;
}
