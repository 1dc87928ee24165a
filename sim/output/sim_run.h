/* sim_run.h: the one entry point the CLI calls to simulate a scenario and write its outputs.
 *
 *   sim_run_options opt = {.out_dir = "out/x", .summary = stdout, .progress = stderr};
 *   if (sim_run(cfg, &opt, &err) < 0) -> print err.msg, exit 2 (bad input) -- see below
 *
 * sim_run builds the model from cfg (which it does not modify or keep), runs it, and:
 *   - with out_dir (created, with parents, when missing): writes out_dir/timeline.csv
 *     (sim/output/timeline.h) while running and out_dir/summary.json (summary_json.h) at the end,
 *     and with an HPA out_dir/events.log (events_log.h);
 *   - with summary: prints a short text summary, then for every load phase its client-side view
 *     in hey's summary format (hey_report.h), then with an HPA the `kubectl describe hpa` block
 *     (describe.h);
 *   - with progress and when that stream is a terminal: a one-line progress indicator, redrawn
 *     at most every 0.2 s of wall time and erased at the end.
 * Everything written is a function of cfg alone (the seed is cfg->seed): no wall-clock time
 * appears in files or in the summary, so the same scenario and seed give byte-identical output.
 * Returns 0, or -1 with err filled: an invalid scenario (the message names the field), an
 * output file that cannot be written (the message names the path), or out of memory. */
#ifndef SCALESIM_OUTPUT_SIM_RUN_H
#define SCALESIM_OUTPUT_SIM_RUN_H

#include <stdio.h>

#include "common/error.h"
#include "sim/model/sim.h"

typedef struct sim_run_options {
    const char *out_dir; /* NULL: write no files */
    FILE *summary;       /* NULL: print nothing */
    FILE *progress;      /* NULL: no progress; used only when isatty */
    int queue_arity;     /* event queue arity, 0 = default (for benchmarks) */
    sim_stats *stats;    /* when not NULL, receives the run's statistics */
} sim_run_options;

int sim_run(const scenario_cfg *cfg, const sim_run_options *opt, sim_error *err);

#endif
