/* report.h: `scalesim report`: a capacity-planning report of one or more run folders, as a
 * self-contained HTML page (CSS and the gnuplot SVG plots inline, no external assets) and a
 * Markdown twin with the same tables (plots linked as files).
 *
 * report_gather reads a run folder (timeline.csv, summary.json, events.log when present, and
 * scenario.json, the copy `run --plot` and `check -o` leave there), draws its SVG plots
 * (plot.h) and works out the figures: results straight from summary.json (printed with the
 * digits summary.json has, so they can be compared), SLO attainment and the expect verdicts
 * (check.h), cost at the given prices, scaling events, and warnings (pods not Ready for long,
 * maximum replicas reached while the SLO was missed, flapping, failed requests).
 * Nothing in the report depends on the wall clock: the same runs give the same files. */
#ifndef SCALESIM_OUTPUT_REPORT_H
#define SCALESIM_OUTPUT_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/error.h"
#include "sim/output/check_data.h"
#include "sim/output/plot.h"

#define REPORT_TEXT_MAX 512
#define REPORT_MAX_ROWS 200

typedef struct report_options {
    double pod_hour_price; /* NaN: no money figures */
    double gpu_hour_price; /* NaN: none */
    const char *currency;  /* e.g. "$" (NULL: "") */
    int no_plots;          /* skip gnuplot (tests, or gnuplot missing) */
} report_options;

typedef struct report_row {
    char key[REPORT_TEXT_MAX];
    char value[REPORT_TEXT_MAX];
} report_row;

typedef struct report_verdict {
    char name[128];
    int status; /* 0 ok, 1 failed, 2 could not be evaluated */
    char message[REPORT_TEXT_MAX];
} report_verdict;

typedef struct report_run {
    char dir[1024];
    char name[128];
    char *comment; /* from scenario.json, may be NULL */
    uint64_t seed;
    double duration_s;
    /* summary.json figures (NaN when absent) */
    double offered, completed, failed, throughput_rps;
    double p50, p90, p95, p99, p999, mean, max;
    double pod_hours, gpu_hours, cpu_util_pct, mem_util_pct;
    /* from the timeline */
    double peak_replicas, peak_at_s;
    const char *replica_column;
    int rescales, rescales_from_events;
    /* SLO attainment (one row per slo_attainment assertion) */
    size_t n_slo;
    report_row slo[16];
    report_verdict *verdicts;
    size_t n_verdicts;
    char verdict_note[REPORT_TEXT_MAX]; /* why there are none, when there are none */
    check_event *events;
    size_t n_events;
    int events_from_log;
    size_t n_warnings;
    char warnings[8][REPORT_TEXT_MAX];
    report_row *settings;
    size_t n_settings;
    plot_set plots;
    char *svg[PLOT_MAX]; /* the inline SVG of each plot (ids made unique), NULL if not drawn */
    char plot_note[REPORT_TEXT_MAX];
} report_run;

int report_gather(const char *run_dir, int index, const report_options *opt, report_run *out,
                  sim_error *err);
void report_run_free(report_run *r);

/* Writers (report_html.c, report_md.c). md_dir is the folder the Markdown file is in, for the
 * relative links to the plots. */
int report_write_html(FILE *f, const report_run *runs, size_t n, const report_options *opt);
int report_write_md(FILE *f, const report_run *runs, size_t n, const report_options *opt,
                    const char *md_dir);

/* Money at the given prices (NaN when no price applies). */
double report_cost(const report_run *r, const report_options *opt);

/* Number formatting shared by both: the digits summary.json has (%.15g), "–" for NaN. */
const char *report_num(double v, char *buf, size_t size);

#endif
