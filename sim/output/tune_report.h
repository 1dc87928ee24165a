/* tune_report.h: what `scalesim tune` writes besides its ranking: the Pareto plot, the short
 * recommendation and the ready-to-apply manifests of the recommended configuration.
 *
 * Contract (every file goes into out_dir; -1 with err when one cannot be written):
 * - tune_plot_pareto writes pareto.dat (block 0: every evaluated configuration with a cost and
 *   a p95, "p95_ms cost feasible config"; block 1: the front in order of cost; block 2: the
 *   recommended one, best < 0: none) and runs gnuplot on plots/pareto.gp into pareto.png or
 *   pareto.svg: 1 when drawn, 0 when no configuration has a cost and a p95 (no plot; an old
 *   one is removed); without gnuplot the error says how to install it (pareto.dat stays).
 * - tune_manifests writes, from the scenario tree of the recommended configuration,
 *   recommended-hpa.json/.yaml from its "hpa" object and recommended-cronhpa.json/.yaml from
 *   its "cronhpa" object (when inline: a {"manifest": FILE} reference is reported in *note and
 *   not copied). JSON files end with a newline; YAML is tune_yaml's. *wrote gets a bit per
 *   kind: 1 hpa, 2 cronhpa.
 * - tune_recommendation_text returns (malloc'd) the Markdown of recommendation.md: the chosen
 *   values, cost, p95, each expect assertion's worst observation and margin over the
 *   replications, and how many configurations were feasible per phase. */
#ifndef SCALESIM_OUTPUT_TUNE_REPORT_H
#define SCALESIM_OUTPUT_TUNE_REPORT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/error.h"
#include "sim/output/tune_eval.h"

int tune_plot_pareto(const char *out_dir, const tune_outcome *outs, long n, const int *front,
                     long best, int svg, sim_error *err);

int tune_manifests(const char *out_dir, const cJSON *tree, int *wrote, char *note, size_t note_size,
                   sim_error *err);

/* phase[i] is the tune_phase of configuration i (NULL: all grid); nv verdicts of the best. */
char *tune_recommendation_text(const tune_job *job, const tune_outcome *outs, long n,
                               const unsigned char *phase, long best, const tune_verdict *v,
                               size_t nv, sim_error *err);

#endif
