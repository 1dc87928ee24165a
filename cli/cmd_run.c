/* cmd_run.c: `scalesim run SCENARIO`: load and validate a scenario, apply command-line
 * overrides, simulate it and write its outputs (sim/output/sim_run.h). */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "common/duration.h"
#include "sim/output/sim_run.h"
#include "sim/scenario/scenario.h"

static struct {
    const char *out_dir;
    const char *seed_text;
    int64_t duration_us;
    int quiet;
    int no_files;
} run_opts;

static const opt_spec run_options[] = {
    {"output", 'o', OPT_STRING, "DIR", "output folder (default: out/<scenario name>)",
     &run_opts.out_dir},
    {"seed", 's', OPT_STRING, "N", "random seed (overrides the scenario's)", &run_opts.seed_text},
    {"duration", 'd', OPT_DURATION, "D", "simulated horizon, e.g. 10m (overrides the scenario's)",
     &run_opts.duration_us},
    {"quiet", 'q', OPT_FLAG, NULL, "print nothing but errors", &run_opts.quiet},
    {"no-files", 0, OPT_FLAG, NULL, "write no output files (print the summary only)",
     &run_opts.no_files},
    {0},
};

const cmd_spec cmd_run_spec = {
    "run",
    "scalesim run SCENARIO [options]",
    "simulate a scenario; write timeline.csv and summary.json",
    "Reads SCENARIO (JSON, see docs/scenario.md), simulates it and writes into the output folder:\n"
    "  timeline.csv   one row per simulated second (load, latency, pods, CPU, memory)\n"
    "  summary.json   totals and whole-run percentiles\n"
    "then prints a short summary and, for every load phase, the client-side view in hey's\n"
    "summary format. The same scenario and seed always give byte-identical outputs.",
    run_options,
};

int cmd_run_main(int argc, char **argv) {
    memset(&run_opts, 0, sizeof run_opts);
    int npos = 0;
    int rc = cli_parse(&cmd_run_spec, argc, argv, &npos);
    if (rc >= 0)
        return rc;
    sim_error err;
    if (npos != 1) {
        error_set(&err,
                  "run: expected exactly one SCENARIO file, got %d; see 'scalesim run --help'",
                  npos);
        return cli_fail(&err);
    }
    uint64_t seed = 0;
    if (run_opts.seed_text && opts_parse_uint64(run_opts.seed_text, &seed) != 0) {
        error_set(&err, "run: --seed: expected a non-negative integer, got \"%s\"",
                  run_opts.seed_text);
        return cli_fail(&err);
    }
    if (run_opts.duration_us < 0) {
        error_set(&err, "run: --duration must not be negative");
        return cli_fail(&err);
    }
    scenario_cfg cfg;
    if (scenario_load(argv[1], &cfg, &err) != 0)
        return cli_fail(&err);
    if (run_opts.seed_text)
        cfg.seed = seed;
    if (run_opts.duration_us > 0)
        cfg.duration_us = run_opts.duration_us;

    char default_dir[512];
    const char *out_dir = run_opts.out_dir;
    if (out_dir == NULL) {
        snprintf(default_dir, sizeof default_dir, "out/%s", cfg.name);
        out_dir = default_dir;
    }
    sim_run_options opt = {
        .out_dir = run_opts.no_files ? NULL : out_dir,
        .summary = run_opts.quiet ? NULL : stdout,
        .progress = run_opts.quiet ? NULL : stderr,
    };
    int cfg_has_hpa = cfg.hpa.present || cfg.cronhpa.present;
    rc = sim_run(&cfg, &opt, &err);
    scenario_cfg_free(&cfg);
    if (rc != 0)
        return cli_fail(&err);
    if (!run_opts.quiet && opt.out_dir)
        printf("\nWrote %s/ (timeline.csv, summary.json%s)\n", out_dir,
               cfg_has_hpa ? ", events.log" : "");
    return EXIT_OK;
}
