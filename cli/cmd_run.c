/* cmd_run.c: `scalesim run SCENARIO`: load and validate a scenario, apply command-line
 * overrides, simulate it and write its outputs (sim/output/sim_run.h). */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "common/duration.h"
#include "sim/output/plot.h"
#include "sim/output/sim_run.h"
#include "sim/scenario/scenario.h"

static struct {
    const char *out_dir;
    const char *seed_text;
    int64_t duration_us;
    int quiet;
    int no_files;
    const char *plot;
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
    {"plot", 0, OPT_STRING, "[=png|svg|dumb]",
     "also draw plots with gnuplot into DIR/plots (bare --plot: PNG and SVG; dumb: the replicas "
     "plot in the terminal)",
     &run_opts.plot},
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

/* The plots of a finished run (docs/report.md), and a copy of the scenario for `report`. */
static int run_plots(const scenario_cfg *cfg, const char *out_dir, sim_error *err) {
    static const struct {
        const char *name;
        plot_format formats[2];
        int n;
    } kinds[] = {{"all", {PLOT_PNG, PLOT_SVG}, 2},
                 {"png", {PLOT_PNG}, 1},
                 {"svg", {PLOT_SVG}, 1},
                 {"dumb", {PLOT_DUMB}, 1}};
    int k = -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(run_opts.plot, kinds[i].name) == 0)
            k = i;
    if (k < 0)
        return error_set(err, "run: --plot: expected png, svg or dumb, got \"%s\"", run_opts.plot);
    if (plot_copy_scenario(cfg->path, out_dir, err) < 0)
        return -1;
    double slo_ms = plot_slo_ms(cfg);
    for (int i = 0; i < kinds[k].n; i++) {
        plot_set set;
        if (plot_run_dir(out_dir, cfg, slo_ms, kinds[k].formats[i], &set, err) < 0)
            return -1;
    }
    return 0;
}

int cmd_run_main(int argc, char **argv) {
    memset(&run_opts, 0, sizeof run_opts);
    /* --plot takes an optional value: a bare --plot means both PNG and SVG. */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--plot") == 0)
            argv[i] = "--plot=all";
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
    if (run_opts.plot && run_opts.no_files) {
        error_set(&err, "run: --plot draws from the output files, so it cannot go with --no-files");
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
    if (rc != 0) {
        scenario_cfg_free(&cfg);
        return cli_fail(&err);
    }
    if (!run_opts.quiet && opt.out_dir)
        printf("\nWrote %s/ (timeline.csv, summary.json%s)\n", out_dir,
               cfg_has_hpa ? ", events.log" : "");
    if (run_opts.plot) {
        rc = run_plots(&cfg, out_dir, &err);
        scenario_cfg_free(&cfg);
        if (rc != 0)
            return cli_fail(&err);
        if (!run_opts.quiet && strcmp(run_opts.plot, "dumb") != 0)
            printf("Wrote the plots to %s/plots/\n", out_dir);
        return EXIT_OK;
    }
    scenario_cfg_free(&cfg);
    return EXIT_OK;
}
