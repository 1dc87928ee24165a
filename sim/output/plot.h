/* plot.h: plots of a run with the external gnuplot program.
 *
 * plot_write_data turns a run's outputs (check_data.h: timeline.csv by column name, events.log)
 * into plain whitespace-separated data files in RUN_DIR/plots/; plot_render then runs gnuplot
 * (fork/exec, no shell) inside that folder on the fixed templates plots/style.gp + plots/X.gp,
 * passing only numbers and file names it chose itself with -e: no user text ever reaches a
 * gnuplot command. Plots made when the run has the columns for them:
 *   replicas   desired (desired_replicas, when present), ready and total pods, rescale events
 *   metric-N   each metric's true value vs the value the HPA saw (column pairs <m>_true and
 *              <m>_seen), with its target; before the loop writes them, cpu_util_pct
 *   load       offered vs served (completed) vs failed per second
 *   latency    p50/p95/p99 per second, with the SLO line
 *   gpu        tokens_per_s and sm_util_pct, for GPU services
 * With PLOT_DUMB only the replicas plot is drawn, as text on stdout. When gnuplot is not
 * installed the data files are still written and plot_render says how to install it. */
#ifndef SCALESIM_OUTPUT_PLOT_H
#define SCALESIM_OUTPUT_PLOT_H

#include <stddef.h>

#include "common/error.h"
#include "sim/output/check_data.h"
#include "sim/scenario/config.h"

typedef enum { PLOT_PNG, PLOT_SVG, PLOT_DUMB } plot_format;

#define PLOT_MAX 16

typedef struct plot_set {
    size_t n;
    char name[PLOT_MAX][64];   /* "replicas", "metric-1", ... (file stem) */
    char title[PLOT_MAX][160]; /* for people: "Replicas", "Metric cpu_util_pct: ..." */
    char args[PLOT_MAX][160];  /* the -e variables of the template (numbers, fixed names) */
    char tmpl[PLOT_MAX][16];   /* template stem: "replicas", "metric", ... */
    double end_s;              /* the run's end (the time axis' end) */
} plot_set;

/* Writes the .dat files of RUN_DIR/plots/ from run and fills set. cfg (may be NULL) supplies the
 * HPA's metric targets; slo_ms (NaN: none) the latency SLO line. */
int plot_write_data(const char *run_dir, const check_run *run, const scenario_cfg *cfg,
                    double slo_ms, plot_set *set, sim_error *err);

/* Finds the templates: $SCALESIM_PLOTS, else plots/ next to or above the executable's folder,
 * else ./plots. Fills buf with the folder. */
int plot_find_templates(char *buf, size_t size, sim_error *err);
/* Runs gnuplot in dir on templates_dir/TMPL.gp alone (no style.gp: plots that have no time
 * axis set their own look), with the -e variables vars; an error says how to install gnuplot
 * when it is missing. */
int plot_gnuplot_template(const char *dir, const char *templates_dir, const char *tmpl,
                          const char *vars, sim_error *err);

/* Renders every plot of set (only "replicas", to stdout, for PLOT_DUMB) into RUN_DIR/plots/
 * as NAME.png or NAME.svg. Returns 0; -1 with err set when gnuplot is missing (the message says
 * how to install it and where the data files are) or failed on a plot. */
int plot_render(const char *run_dir, const plot_set *set, plot_format format,
                const char *templates_dir, sim_error *err);

/* The data, then the plots, of a run folder. */
int plot_run_dir(const char *run_dir, const scenario_cfg *cfg, double slo_ms, plot_format format,
                 plot_set *set, sim_error *err);

/* The latency SLO of a scenario for the latency plot's line: the first slo_attainment
 * assertion's objective in its expect block; NaN when it has none. */
double plot_slo_ms(const scenario_cfg *cfg);

/* Copies the scenario file into RUN_DIR/scenario.json, so that `scalesim report` can show the
 * scenario and settings of the run. */
int plot_copy_scenario(const char *scenario_path, const char *run_dir, sim_error *err);

#endif
