/* cmd_check.c: `scalesim check SCENARIO...`: runs each scenario (sim_run, into a temporary
 * folder or the one given with -o), evaluates its "expect" block on the run's output files
 * (sim/output/check.h), prints each verdict with the observed value and simulated time, and
 * optionally writes JUnit XML. With --seeds N every assertion must hold for N seeds (the
 * scenario's seed and the N-1 after it) and the worst seed is reported.
 * Exit: 0 all hold, 1 one failed, 2 bad input (a scenario, a golden file, an assertion that
 * cannot be evaluated on the run's files). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "common/duration.h"
#include "sim/output/check.h"
#include "sim/output/check_junit.h"
#include "sim/output/plot.h"
#include "sim/output/sim_run.h"
#include "sim/scenario/scenario.h"

#define MAX_SEEDS 1000

static struct {
    const char *junit;
    const char *out_dir;
    const char *run_dir;
    int64_t seeds;
    int quiet;
} check_opts;

static const opt_spec check_options[] = {
    {"junit", 0, OPT_STRING, "FILE", "also write the verdicts as JUnit XML to FILE",
     &check_opts.junit},
    {"seeds", 0, OPT_INT, "N",
     "every assertion must hold for N seeds (the scenario's and the N-1 after it); reports the "
     "worst",
     &check_opts.seeds},
    {"output", 'o', OPT_STRING, "DIR",
     "keep each run's outputs in DIR/<scenario>[/seed-<n>] (default: a temporary folder, removed)",
     &check_opts.out_dir},
    {"run-dir", 0, OPT_STRING, "DIR",
     "do not simulate: evaluate the one SCENARIO's expect block on the outputs already in DIR",
     &check_opts.run_dir},
    {"quiet", 'q', OPT_FLAG, NULL, "print only failures and errors", &check_opts.quiet},
    {0},
};

const cmd_spec cmd_check_spec = {
    "check",
    "scalesim check SCENARIO... [--junit FILE] [--seeds N] [options]",
    "run scenarios and evaluate their expect assertions (CI gate)",
    "Runs each SCENARIO and evaluates the assertions of its \"expect\" block (docs/check.md):\n"
    "replica counts, time to scale up, time back to the minimum, rescale events (flapping),\n"
    "latency percentiles, SLO attainment, error rate, pod-hours and GPU-hours, and a golden\n"
    "timeline. Each verdict names the assertion, the observed value and the simulated time.\n"
    "Exit codes: 0 every assertion holds, 1 one failed, 2 bad input or an assertion that\n"
    "cannot be evaluated on the run's files.",
    check_options,
};

/* One assertion's worst verdict over the seeds. */
typedef struct verdict {
    check_result worst;
    uint64_t worst_seed;
    int evaluated;
    int error;
    char error_msg[SIM_ERROR_MAX];
    char junit_msg[CHECK_MSG_MAX + 64];
} verdict;

typedef struct scenario_result {
    char *name;
    const char *file;
    check_case *cases;
    verdict *verdicts;
    size_t n;
    int input_error; /* the scenario itself could not be read or run */
    char *error_msg;
} scenario_result;

/* Removes the files of a folder this command created, then the folder. */
static void remove_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        char path[4352];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path)
                unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

static void print_verdict(const expect_assert *a, const verdict *v, int nseeds, FILE *out) {
    if (v->error) {
        fprintf(out, "  ERROR %s (line %d): %s\n", a->name, a->line, v->error_msg);
        return;
    }
    if (v->worst.passed && check_opts.quiet)
        return;
    if (nseeds > 1)
        fprintf(out, "  %-5s %s (line %d): worst of %d seeds, seed %llu: %s\n",
                v->worst.passed ? "ok" : "FAIL", a->name, a->line, nseeds,
                (unsigned long long)v->worst_seed, v->worst.message);
    else
        fprintf(out, "  %-5s %s (line %d): %s\n", v->worst.passed ? "ok" : "FAIL", a->name, a->line,
                v->worst.message);
}

/* Evaluates every assertion of cfg on one run folder, folding into verdicts. */
static int eval_run(const scenario_cfg *cfg, const char *dir, uint64_t seed, check_table *goldens,
                    verdict *vs, sim_error *err) {
    check_run run;
    if (check_run_load(dir, &run, err) < 0)
        return -1;
    for (size_t i = 0; i < cfg->expect.n; i++) {
        verdict *v = &vs[i];
        if (v->error)
            continue;
        check_result r;
        sim_error e;
        const expect_assert *a = &cfg->expect.asserts[i];
        if (check_eval(a, &run, a->kind == EXPECT_GOLDEN ? &goldens[i] : NULL, &r, &e) < 0) {
            v->error = 1;
            snprintf(v->error_msg, sizeof v->error_msg, "%s", e.msg);
            continue;
        }
        if (!v->evaluated || check_result_worse(&r, &v->worst)) {
            v->worst = r;
            v->worst_seed = seed;
        }
        v->evaluated = 1;
    }
    check_run_free(&run);
    return 0;
}

static int check_one(const char *file, int nseeds, scenario_result *res, FILE *out) {
    sim_error err;
    scenario_cfg cfg;
    res->file = file;
    if (scenario_load(file, &cfg, &err) < 0) {
        res->input_error = 1;
        res->error_msg = strdup(err.msg);
        res->name = strdup(file);
        fprintf(stderr, "scalesim: %s\n", err.msg);
        return EXIT_INPUT_ERROR;
    }
    res->name = strdup(cfg.name);
    res->n = cfg.expect.n;
    res->verdicts = calloc(cfg.expect.n + 1, sizeof *res->verdicts);
    res->cases = calloc(cfg.expect.n + 1, sizeof *res->cases);
    check_table *goldens = calloc(cfg.expect.n + 1, sizeof *goldens);
    int rc = EXIT_OK;
    if (res->name == NULL || res->verdicts == NULL || res->cases == NULL || goldens == NULL) {
        error_set(&err, "%s: out of memory", file);
        goto input_error;
    }
    if (nseeds > 1)
        fprintf(out, "%s (%s, seeds %llu..%llu):\n", cfg.name, file, (unsigned long long)cfg.seed,
                (unsigned long long)(cfg.seed + (uint64_t)nseeds - 1));
    else
        fprintf(out, "%s (%s, seed %llu):\n", cfg.name, file, (unsigned long long)cfg.seed);
    if (cfg.expect.n == 0) {
        fprintf(out, "  no \"expect\" block: nothing to check\n");
        goto done;
    }
    for (size_t i = 0; i < cfg.expect.n; i++) {
        const expect_assert *a = &cfg.expect.asserts[i];
        if (a->kind == EXPECT_GOLDEN && check_table_load(a->golden_path, &goldens[i], &err) < 0) {
            error_prefix(&err, "%s:%d: golden", file, a->line);
            goto input_error;
        }
    }
    if (check_opts.run_dir) {
        if (eval_run(&cfg, check_opts.run_dir, cfg.seed, goldens, res->verdicts, &err) < 0)
            goto input_error;
    } else {
        uint64_t seed0 = cfg.seed;
        for (int s = 0; s < nseeds; s++) {
            char dir[4096];
            int temp = check_opts.out_dir == NULL;
            cfg.seed = seed0 + (uint64_t)s;
            if (temp) {
                const char *tmp = getenv("TMPDIR");
                snprintf(dir, sizeof dir, "%s/scalesim-check-XXXXXX", tmp && *tmp ? tmp : "/tmp");
                if (mkdtemp(dir) == NULL) {
                    error_set(&err, "cannot create a temporary folder in %s", tmp ? tmp : "/tmp");
                    goto input_error;
                }
            } else if (nseeds > 1) {
                snprintf(dir, sizeof dir, "%s/%s/seed-%llu", check_opts.out_dir, cfg.name,
                         (unsigned long long)cfg.seed);
            } else {
                snprintf(dir, sizeof dir, "%s/%s", check_opts.out_dir, cfg.name);
            }
            sim_run_options opt = {.out_dir = dir, .progress = check_opts.quiet ? NULL : stderr};
            int r = sim_run(&cfg, &opt, &err);
            /* Kept outputs get the scenario too, so that `scalesim report` can show it. */
            if (r == 0 && !temp)
                r = plot_copy_scenario(file, dir, &err);
            if (r == 0)
                r = eval_run(&cfg, dir, cfg.seed, goldens, res->verdicts, &err);
            if (temp)
                remove_dir(dir);
            if (r < 0)
                goto input_error;
        }
        cfg.seed = seed0;
    }
    for (size_t i = 0; i < cfg.expect.n; i++) {
        const expect_assert *a = &cfg.expect.asserts[i];
        verdict *v = &res->verdicts[i];
        print_verdict(a, v, check_opts.run_dir ? 1 : nseeds, out);
        check_case *c = &res->cases[i];
        c->name = strdup(a->name);
        if (v->error) {
            c->status = CHECK_CASE_ERROR;
            c->message = strdup(v->error_msg);
            rc = EXIT_INPUT_ERROR;
            continue;
        }
        if (nseeds > 1 && !check_opts.run_dir)
            snprintf(v->junit_msg, sizeof v->junit_msg, "worst of %d seeds, seed %llu: %s", nseeds,
                     (unsigned long long)v->worst_seed, v->worst.message);
        else
            snprintf(v->junit_msg, sizeof v->junit_msg, "%s", v->worst.message);
        c->message = strdup(v->junit_msg);
        c->status = v->worst.passed ? CHECK_CASE_PASSED : CHECK_CASE_FAILED;
        if (!v->worst.passed && rc == EXIT_OK)
            rc = EXIT_ASSERTION_FAILED;
    }
    goto done;
input_error:
    fprintf(stderr, "scalesim: %s\n", err.msg);
    res->input_error = 1;
    res->error_msg = strdup(err.msg);
    rc = EXIT_INPUT_ERROR;
done:
    for (size_t i = 0; goldens && i < cfg.expect.n; i++)
        check_table_free(&goldens[i]);
    free(goldens);
    scenario_cfg_free(&cfg);
    return rc;
}

static void result_free(scenario_result *r) {
    for (size_t i = 0; r->cases && i < r->n; i++) {
        free((char *)r->cases[i].name);
        free((char *)r->cases[i].message);
    }
    free(r->cases);
    free(r->verdicts);
    free(r->name);
    free(r->error_msg);
}

static int write_junit(const char *path, scenario_result *res, size_t n, sim_error *err) {
    check_suite *suites = calloc(n, sizeof *suites);
    check_case *errcases = calloc(n, sizeof *errcases);
    if (suites == NULL || errcases == NULL) {
        free(suites);
        free(errcases);
        return error_set(err, "--junit: out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        suites[i].name = res[i].name ? res[i].name : res[i].file;
        suites[i].file = res[i].file;
        if (res[i].input_error) {
            /* A scenario that could not run is one errored case, so CI shows why. */
            errcases[i].name = "scenario";
            errcases[i].status = CHECK_CASE_ERROR;
            errcases[i].message = res[i].error_msg;
            suites[i].cases = &errcases[i];
            suites[i].n = 1;
        } else {
            suites[i].cases = res[i].cases;
            suites[i].n = res[i].n;
        }
    }
    FILE *f = fopen(path, "w");
    int rc = 0;
    if (f == NULL)
        rc = error_set(err, "--junit: cannot write %s", path);
    else if (check_junit_write(f, suites, n) < 0)
        rc = error_set(err, "--junit: error writing %s", path);
    if (f != NULL && fclose(f) != 0 && rc == 0)
        rc = error_set(err, "--junit: error writing %s", path);
    free(suites);
    free(errcases);
    return rc;
}

int cmd_check_main(int argc, char **argv) {
    memset(&check_opts, 0, sizeof check_opts);
    check_opts.seeds = 1;
    int npos = 0;
    int rc = cli_parse(&cmd_check_spec, argc, argv, &npos);
    if (rc >= 0)
        return rc;
    sim_error err;
    if (npos < 1) {
        error_set(&err, "check: expected at least one SCENARIO file; see 'scalesim check --help'");
        return cli_fail(&err);
    }
    if (check_opts.seeds < 1 || check_opts.seeds > MAX_SEEDS) {
        error_set(&err, "check: --seeds: expected 1 to %d, got %lld", MAX_SEEDS,
                  (long long)check_opts.seeds);
        return cli_fail(&err);
    }
    if (check_opts.run_dir && (npos != 1 || check_opts.seeds != 1 || check_opts.out_dir)) {
        error_set(&err, "check: --run-dir takes exactly one SCENARIO and no --seeds or --output");
        return cli_fail(&err);
    }
    scenario_result *res = calloc((size_t)npos, sizeof *res);
    if (res == NULL) {
        error_set(&err, "check: out of memory");
        return cli_fail(&err);
    }
    int worst = EXIT_OK;
    size_t total = 0, failed = 0, errors = 0, bad_files = 0;
    for (int i = 0; i < npos; i++) {
        int r = check_one(argv[1 + i], (int)check_opts.seeds, &res[i], stdout);
        if (r > worst)
            worst = r;
        if (res[i].input_error) {
            bad_files++;
            continue;
        }
        for (size_t j = 0; j < res[i].n; j++) {
            total++;
            failed += res[i].cases[j].status == CHECK_CASE_FAILED;
            errors += res[i].cases[j].status == CHECK_CASE_ERROR;
        }
    }
    printf("check: %zu assertion%s in %d scenario%s: %zu passed, %zu failed, %zu could not be "
           "evaluated",
           total, total == 1 ? "" : "s", npos, npos == 1 ? "" : "s", total - failed - errors,
           failed, errors);
    if (bad_files)
        printf("; %zu scenario%s could not be run", bad_files, bad_files == 1 ? "" : "s");
    printf("\n");
    if (check_opts.junit && write_junit(check_opts.junit, res, (size_t)npos, &err) < 0) {
        cli_fail(&err);
        worst = EXIT_INPUT_ERROR;
    }
    for (int i = 0; i < npos; i++)
        result_free(&res[i]);
    free(res);
    return worst;
}
