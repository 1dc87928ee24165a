/* cmd_tune.c: `scalesim tune SCENARIO PATH=VALUES...`: a full grid over scenario parameters
 * addressed by JSON path, R replications on common random numbers, the cheapest configuration
 * whose runs pass every `expect` assertion (sim/output/tune_space.h, tune_eval.h), with fork()ed
 * worker processes for --jobs. See docs/tune.md. */
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/commands.h"
#include "sim/output/tune_eval.h"
#include "sim/scenario/scenario.h"

#define TUNE_MAX_CONFIGS 1000000L

static struct {
    const char *param;
    const char *out_dir;
    int64_t reps;
    int64_t jobs;
    const char *seed_text;
    int64_t duration_us;
    int quiet;
} tune_opts;

static const opt_spec tune_options_spec[] = {
    {"param", 'p', OPT_STRING, "PATH=VALUES", "one more parameter (as the positional ones)",
     &tune_opts.param},
    {"reps", 'r', OPT_INT, "R", "replications per configuration (seeds seed..seed+R-1; default 1)",
     &tune_opts.reps},
    {"jobs", 'j', OPT_INT, "N", "worker processes (default 1)", &tune_opts.jobs},
    {"seed", 0, OPT_STRING, "S", "first seed (default: the scenario's)", &tune_opts.seed_text},
    {"duration", 'd', OPT_DURATION, "D", "simulated horizon of every run", &tune_opts.duration_us},
    {"output", 'o', OPT_STRING, "DIR", "output folder (default out/<scenario name>-tune)",
     &tune_opts.out_dir},
    {"quiet", 'q', OPT_FLAG, NULL, "print nothing but errors", &tune_opts.quiet},
    {0},
};

const cmd_spec cmd_tune_spec = {
    "tune",
    "scalesim tune SCENARIO PATH=V1,V2,...|PATH=FROM:TO:STEP... [options]",
    "grid search over scenario parameters: the cheapest configuration meeting `expect`",
    "Each PATH addresses a number in the scenario JSON, e.g.\n"
    "hpa.spec.metrics[0].resource.target.averageUtilization=10:50:10 or hpa.spec.minReplicas=1,2.\n"
    "Every configuration of the full grid is loaded by the normal loader, run R times on the same\n"
    "seeds, and judged by the scenario's expect assertions (as `scalesim check`). Cost is\n"
    "pod-hours (GPU-hours when the pods have GPUs). Writes DIR/tune.csv (ranked: feasible first,\n"
    "then cost), DIR/recommended.json (the scenario of the best feasible configuration) and\n"
    "DIR/recommended-hpa.json (its hpa). Exit 1 when no configuration is feasible. See\n"
    "docs/tune.md.",
    tune_options_spec,
};

static char *slurp(const char *path, sim_error *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        error_set(err, "tune: %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
        char *p = realloc(buf, cap + 1);
        if (p == NULL)
            free(buf);
        buf = p;
    }
    fclose(f);
    if (buf == NULL) {
        error_set(err, "out of memory");
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static int write_all(int fd, const void *buf, size_t n) {
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Runs configurations [0, n) split over `jobs` processes; outcomes land at their index. */
static int run_all(const tune_job *job, long n, int jobs, tune_outcome *outs, sim_error *err) {
    if (jobs <= 1) {
        for (long i = 0; i < n; i++)
            if (tune_eval(job, i, &outs[i], err) < 0)
                return -1;
        return 0;
    }
    int fds[2];
    if (pipe(fds) < 0)
        return error_set(err, "tune: pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pids[256];
    int started = 0;
    for (int w = 0; w < jobs; w++) {
        pid_t pid = fork();
        if (pid < 0)
            break;
        if (pid == 0) {
            close(fds[0]);
            for (long i = w; i < n; i += jobs) {
                tune_outcome o;
                sim_error e;
                if (tune_eval(job, i, &o, &e) < 0) {
                    o.config = -1 - i; /* tells the parent this configuration failed */
                    snprintf(o.message, sizeof o.message, "%s", e.msg);
                }
                if (write_all(fds[1], &o, sizeof o) < 0)
                    _exit(3);
            }
            _exit(0);
        }
        pids[started++] = pid;
    }
    close(fds[1]);
    long got = 0;
    int rc = 0;
    tune_outcome o;
    size_t have = 0;
    for (;;) {
        ssize_t r = read(fds[0], (char *)&o + have, sizeof o - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        have += (size_t)r;
        if (have < sizeof o)
            continue;
        have = 0;
        if (o.config < 0) {
            if (rc == 0)
                rc = error_set(err, "%s", o.message);
            continue;
        }
        if (o.config < n) {
            outs[o.config] = o;
            got++;
        }
    }
    close(fds[0]);
    for (int w = 0; w < started; w++) {
        int st;
        while (waitpid(pids[w], &st, 0) < 0 && errno == EINTR)
            ;
    }
    if (rc == 0 && got != n)
        rc = error_set(err, "tune: %ld of %ld configurations came back from the workers", got, n);
    return rc;
}

static const tune_outcome *rank_base;
static int by_rank(const void *a, const void *b) {
    const tune_outcome *x = &rank_base[*(const long *)a], *y = &rank_base[*(const long *)b];
    if (x->feasible != y->feasible)
        return y->feasible - x->feasible;
    if (x->valid != y->valid)
        return y->valid - x->valid;
    if (x->valid && x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    return x->config < y->config ? -1 : x->config > y->config;
}

static void csv_text(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s == '\n' ? ' ' : *s, f);
    }
    fputc('"', f);
}

int cmd_tune_main(int argc, char **argv) {
    memset(&tune_opts, 0, sizeof tune_opts);
    tune_opts.reps = 1;
    tune_opts.jobs = 1;
    int npos = 0;
    int rc = cli_parse(&cmd_tune_spec, argc, argv, &npos);
    if (rc >= 0)
        return rc;
    sim_error err;
    if (npos < 1 || (npos < 2 && tune_opts.param == NULL)) {
        error_set(&err, "tune: expected a SCENARIO and at least one PATH=VALUES parameter; see "
                        "'scalesim tune --help'");
        return cli_fail(&err);
    }
    if (tune_opts.reps < 1 || tune_opts.reps > 1000 || tune_opts.jobs < 1 || tune_opts.jobs > 256) {
        error_set(&err, "tune: --reps must be 1..1000 and --jobs 1..256");
        return cli_fail(&err);
    }
    if (tune_opts.duration_us < 0) {
        error_set(&err, "tune: --duration must not be negative");
        return cli_fail(&err);
    }
    const char *path = argv[1];
    scenario_cfg base;
    if (scenario_load(path, &base, &err) != 0)
        return cli_fail(&err);
    uint64_t seed0 = base.seed;
    char name[256];
    snprintf(name, sizeof name, "%s", base.name);
    size_t nexpect = base.expect.n;
    scenario_cfg_free(&base);
    if (tune_opts.seed_text && opts_parse_uint64(tune_opts.seed_text, &seed0) != 0) {
        error_set(&err, "tune: --seed: expected a non-negative integer, got \"%s\"",
                  tune_opts.seed_text);
        return cli_fail(&err);
    }
    if (nexpect == 0) {
        error_set(&err,
                  "tune: %s has no expect block: nothing says which configurations are "
                  "acceptable",
                  path);
        return cli_fail(&err);
    }
    tune_param params[TUNE_MAX_PARAMS];
    int np = 0;
    const char *texts[TUNE_MAX_PARAMS + 1];
    int nt = 0;
    for (int i = 2; i <= npos && nt <= TUNE_MAX_PARAMS; i++)
        texts[nt++] = argv[i];
    if (tune_opts.param && nt <= TUNE_MAX_PARAMS)
        texts[nt++] = tune_opts.param;
    if (nt > TUNE_MAX_PARAMS) {
        error_set(&err, "tune: at most %d parameters", TUNE_MAX_PARAMS);
        return cli_fail(&err);
    }
    char *text = slurp(path, &err);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (root == NULL) {
        if (text != NULL)
            error_set(&err, "tune: %s: not JSON (tune reads JSON scenarios)", path);
        return cli_fail(&err);
    }
    rc = 0;
    for (int i = 0; i < nt; i++) {
        if (tune_param_parse(texts[i], &params[np], &err) < 0) {
            rc = -1;
            break;
        }
        np++;
        cJSON *node = tune_get(root, params[np - 1].path);
        if (node != NULL && !cJSON_IsNumber(node)) {
            error_set(&err, "tune: %s: the scenario has a non-number there", params[np - 1].path);
            rc = -1;
            break;
        }
    }
    long n = rc == 0 ? tune_grid_size(params, np, TUNE_MAX_CONFIGS, &err) : -1;
    char dir_buf[4096], base_dir[4096], tmp_dir[4200];
    snprintf(base_dir, sizeof base_dir, "%s", path);
    snprintf(base_dir, sizeof base_dir, "%s", dirname(base_dir));
    const char *out_dir = tune_opts.out_dir;
    if (out_dir == NULL) {
        snprintf(dir_buf, sizeof dir_buf, "out/%s-tune", name);
        out_dir = dir_buf;
    }
    tune_outcome *outs = NULL;
    long *order = NULL;
    if (n >= 0) {
        char mk[4096];
        snprintf(mk, sizeof mk, "%s", out_dir);
        for (char *p = mk + 1; *p; p++)
            if (*p == '/') {
                *p = '\0';
                mkdir(mk, 0777);
                *p = '/';
            }
        if (mkdir(mk, 0777) < 0 && errno != EEXIST) {
            error_set(&err, "tune: cannot create %s: %s", out_dir, strerror(errno));
            n = -1;
        }
    }
    if (n >= 0) {
        outs = calloc((size_t)n, sizeof *outs);
        order = calloc((size_t)n, sizeof *order);
        if (outs == NULL || order == NULL) {
            error_set(&err, "out of memory");
            n = -1;
        }
    }
    snprintf(tmp_dir, sizeof tmp_dir, "%s/.runs", out_dir);
    if (n >= 0 && mkdir(tmp_dir, 0777) < 0 && errno != EEXIST) {
        error_set(&err, "tune: cannot create %s: %s", tmp_dir, strerror(errno));
        n = -1;
    }
    tune_job job = {
        root,   path, base_dir, params, np, (int)tune_opts.reps, seed0, tune_opts.duration_us,
        tmp_dir};
    if (n >= 0 && run_all(&job, n, (int)tune_opts.jobs, outs, &err) < 0)
        n = -1;
    rmdir(tmp_dir);
    if (n < 0) {
        free(outs);
        free(order);
        for (int i = 0; i < np; i++)
            tune_param_free(&params[i]);
        cJSON_Delete(root);
        return cli_fail(&err);
    }
    for (long i = 0; i < n; i++)
        order[i] = i;
    rank_base = outs;
    qsort(order, (size_t)n, sizeof *order, by_rank);
    char csv[4300];
    snprintf(csv, sizeof csv, "%s/tune.csv", out_dir);
    FILE *f = fopen(csv, "w");
    if (f == NULL) {
        error_set(&err, "tune: %s: %s", csv, strerror(errno));
        rc = -1;
    } else {
        fputs("rank,config", f);
        for (int k = 0; k < np; k++)
            fprintf(f, ",%s", params[k].path);
        fprintf(f, ",feasible,%s,p95_ms,failed,note\n",
                n > 0 && outs[order[0]].gpu ? "gpu_hours" : "pod_hours");
        double vals[TUNE_MAX_PARAMS];
        for (long r = 0; r < n; r++) {
            const tune_outcome *o = &outs[order[r]];
            fprintf(f, "%ld,%ld", r + 1, o->config);
            tune_grid_values(params, np, o->config, vals);
            for (int k = 0; k < np; k++)
                fprintf(f, ",%.10g", vals[k]);
            fprintf(f, ",%d,", o->feasible);
            if (o->valid)
                fprintf(f, "%.6f,", o->cost);
            else
                fputc(',', f);
            if (!isnan(o->p95_ms))
                fprintf(f, "%.3f", o->p95_ms);
            fprintf(f, ",%d,", o->failed);
            csv_text(f, o->valid ? o->message : o->message);
            fputc('\n', f);
        }
        if (fclose(f) != 0)
            rc = error_set(&err, "tune: %s: write error", csv);
    }
    long nfeasible = 0;
    for (long i = 0; i < n; i++)
        nfeasible += outs[i].feasible;
    if (rc == 0 && !tune_opts.quiet)
        printf("tune: %ld configurations x %d replications (seeds %llu..%llu), %ld feasible; "
               "ranked in %s\n",
               n, (int)tune_opts.reps, (unsigned long long)seed0,
               (unsigned long long)(seed0 + (uint64_t)tune_opts.reps - 1), nfeasible, csv);
    if (rc == 0 && nfeasible > 0) {
        const tune_outcome *best = &outs[order[0]];
        double vals[TUNE_MAX_PARAMS];
        tune_grid_values(params, np, best->config, vals);
        if (!tune_opts.quiet) {
            printf("recommended (config %ld):", best->config);
            for (int k = 0; k < np; k++)
                printf(" %s=%.10g", params[k].path, vals[k]);
            printf("\n  cost %.6f %s (mean of %d), p95 %.1f ms, every expect assertion passes\n",
                   best->cost, best->gpu ? "GPU-hours" : "pod-hours", (int)tune_opts.reps,
                   best->p95_ms);
        }
        char *scen = tune_config_text(&job, best->config, 1, &err);
        cJSON *tree = scen ? cJSON_Parse(scen) : NULL;
        char *hpa = tree ? cJSON_Print(cJSON_GetObjectItemCaseSensitive(tree, "hpa")) : NULL;
        const char *names[2] = {"recommended.json", "recommended-hpa.json"};
        const char *bodies[2] = {scen, hpa};
        for (int i = 0; i < 2 && rc == 0; i++) {
            if (bodies[i] == NULL)
                continue;
            char p[4300];
            snprintf(p, sizeof p, "%s/%s", out_dir, names[i]);
            FILE *g = fopen(p, "w");
            if (g == NULL || fprintf(g, "%s\n", bodies[i]) < 0 || fclose(g) != 0)
                rc = error_set(&err, "tune: %s: cannot write", p);
        }
        if (rc == 0 && hpa && !tune_opts.quiet)
            printf("  recommended hpa: %s/recommended-hpa.json\n", out_dir);
        free(scen);
        free(hpa);
        cJSON_Delete(tree);
    } else if (rc == 0 && !tune_opts.quiet && n > 0) {
        printf("no configuration passes every expect assertion; closest: config %ld: %s\n",
               outs[order[0]].config, outs[order[0]].message);
    }
    free(outs);
    free(order);
    for (int i = 0; i < np; i++)
        tune_param_free(&params[i]);
    cJSON_Delete(root);
    if (rc < 0)
        return cli_fail(&err);
    return nfeasible > 0 ? EXIT_OK : EXIT_ASSERTION_FAILED;
}
