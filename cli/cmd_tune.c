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
#include "sim/output/tune_yaml.h"
#include "sim/scenario/scenario.h"

#define TUNE_MAX_CONFIGS 1000000L

static struct {
    const char *param;
    const char *out_dir;
    int64_t reps;
    int64_t jobs;
    const char *seed_text;
    int64_t duration_us;
    const char *shard;
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
    {"shard", 0, OPT_STRING, "I/N",
     "run configurations c with c mod N = I-1 only; write DIR/shard.json for `tune merge`",
     &tune_opts.shard},
    {"quiet", 'q', OPT_FLAG, NULL, "print nothing but errors", &tune_opts.quiet},
    {0},
};

const cmd_spec cmd_tune_spec = {
    "tune",
    "scalesim tune SCENARIO PATH=V1,V2,...|PATH=FROM:TO:STEP... [options]\n"
    "       scalesim tune merge SHARD_DIR... [-o DIR]",
    "grid search over scenario parameters: the cheapest configuration meeting `expect`",
    "Each PATH addresses a number in the scenario JSON, e.g.\n"
    "hpa.spec.metrics[0].resource.target.averageUtilization=10:50:10 or hpa.spec.minReplicas=1,2.\n"
    "Every configuration of the full grid is loaded by the normal loader, run R times on the same\n"
    "seeds, and judged by the scenario's expect assertions (as `scalesim check`). Cost is\n"
    "pod-hours (GPU-hours when the pods have GPUs). Writes DIR/tune.csv (ranked: feasible first,\n"
    "then cost), DIR/recommended.json (the scenario of the best feasible configuration) and\n"
    "DIR/recommended-hpa.json (its hpa). Exit 1 when no configuration is feasible.\n"
    "With --shard I/N only a deterministic share runs and DIR/shard.json holds its outcomes;\n"
    "`scalesim tune merge` ranks the shards together, byte for byte as one process would. See\n"
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

/* Runs configurations first, first + stride, ... below n (a shard; 0 and 1 for all), split
 * over `jobs` processes; outcomes land at their index. */
static int run_all(const tune_job *job, long n, long first, long stride, int jobs,
                   tune_outcome *outs, sim_error *err) {
    long want = first < n ? (n - first + stride - 1) / stride : 0;
    if (jobs <= 1) {
        for (long i = first; i < n; i += stride)
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
            for (long i = first + w * stride; i < n; i += stride * jobs) {
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
    if (rc == 0 && got != want)
        rc =
            error_set(err, "tune: %ld of %ld configurations came back from the workers", got, want);
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

/* Ranks the outcomes of all n configurations and writes tune.csv, recommended.json and
 * recommended-hpa.json into out_dir; prints the recommendation unless quiet. */
static int report(const tune_job *job, long n, const tune_outcome *outs, const char *out_dir,
                  long *nfeasible_out, sim_error *err) {
    int rc = 0;
    long *order = calloc((size_t)(n > 0 ? n : 1), sizeof *order);
    int *front = calloc((size_t)(n > 0 ? n : 1), sizeof *front);
    if (order == NULL || front == NULL || tune_pareto(outs, n, front, err) < 0) {
        free(order);
        free(front);
        return error_set(err, "out of memory");
    }
    long nfront = 0;
    for (long i = 0; i < n; i++)
        nfront += front[i];
    for (long i = 0; i < n; i++)
        order[i] = i;
    rank_base = outs;
    qsort(order, (size_t)n, sizeof *order, by_rank);
    char csv[4300];
    snprintf(csv, sizeof csv, "%s/tune.csv", out_dir);
    FILE *f = fopen(csv, "w");
    if (f == NULL) {
        error_set(err, "tune: %s: %s", csv, strerror(errno));
        rc = -1;
    } else {
        fputs("rank,config", f);
        for (int k = 0; k < job->nparams; k++)
            fprintf(f, ",%s", job->params[k].path);
        fprintf(f, ",feasible,%s,p95_ms,failed,note,pareto\n",
                n > 0 && outs[order[0]].gpu ? "gpu_hours" : "pod_hours");
        double vals[TUNE_MAX_PARAMS];
        for (long r = 0; r < n; r++) {
            const tune_outcome *o = &outs[order[r]];
            fprintf(f, "%ld,%ld", r + 1, o->config);
            tune_grid_values(job->params, job->nparams, o->config, vals);
            for (int k = 0; k < job->nparams; k++)
                fprintf(f, ",%.10g", vals[k]);
            fprintf(f, ",%d,", o->feasible);
            if (o->valid)
                fprintf(f, "%.6f,", o->cost);
            else
                fputc(',', f);
            if (!isnan(o->p95_ms))
                fprintf(f, "%.3f", o->p95_ms);
            fprintf(f, ",%d,", o->failed);
            csv_text(f, o->message);
            fprintf(f, ",%d\n", front[o->config]);
        }
        if (fclose(f) != 0)
            rc = error_set(err, "tune: %s: write error", csv);
    }
    long nfeasible = 0;
    for (long i = 0; i < n; i++)
        nfeasible += outs[i].feasible;
    if (rc == 0 && !tune_opts.quiet)
        printf("tune: %ld configurations x %d replications (seeds %llu..%llu), %ld feasible; "
               "ranked in %s\n",
               n, job->reps, (unsigned long long)job->seed0,
               (unsigned long long)(job->seed0 + (uint64_t)job->reps - 1), nfeasible, csv);
    if (rc == 0 && nfeasible > 0) {
        const tune_outcome *best = &outs[order[0]];
        double vals[TUNE_MAX_PARAMS];
        tune_grid_values(job->params, job->nparams, best->config, vals);
        if (!tune_opts.quiet) {
            printf("recommended (config %ld):", best->config);
            for (int k = 0; k < job->nparams; k++)
                printf(" %s=%.10g", job->params[k].path, vals[k]);
            printf("\n  cost %.6f %s (mean of %d), p95 %.1f ms, every expect assertion passes\n",
                   best->cost, best->gpu ? "GPU-hours" : "pod-hours", job->reps, best->p95_ms);
        }
        char *scen = tune_config_text(job, best->config, 1, err);
        cJSON *tree = scen ? cJSON_Parse(scen) : NULL;
        const cJSON *hpa_node = cJSON_GetObjectItemCaseSensitive(tree, "hpa");
        char *hpa = hpa_node ? cJSON_Print(hpa_node) : NULL;
        char *yaml = hpa_node ? tune_yaml(hpa_node, err) : NULL;
        if (hpa_node && yaml == NULL)
            rc = -1;
        const char *names[3] = {"recommended.json", "recommended-hpa.json", "recommended-hpa.yaml"};
        const char *bodies[3] = {scen, hpa, yaml};
        for (int i = 0; i < 3 && rc == 0; i++) {
            if (bodies[i] == NULL)
                continue;
            char p[4300];
            snprintf(p, sizeof p, "%s/%s", out_dir, names[i]);
            FILE *g = fopen(p, "w");
            if (g == NULL || fputs(bodies[i], g) < 0 || (i < 2 && fputc('\n', g) < 0) ||
                fclose(g) != 0)
                rc = error_set(err, "tune: %s: cannot write", p);
        }
        if (rc == 0 && hpa && !tune_opts.quiet)
            printf("  recommended hpa: %s/recommended-hpa.json and .yaml\n", out_dir);
        free(scen);
        free(hpa);
        free(yaml);
        cJSON_Delete(tree);
    } else if (rc == 0 && !tune_opts.quiet && n > 0) {
        printf("no configuration passes every expect assertion; closest: config %ld: %s\n",
               outs[order[0]].config, outs[order[0]].message);
    }
    if (rc == 0 && !tune_opts.quiet)
        printf("Pareto front of cost against p95 latency: %ld configurations (column pareto)\n",
               nfront);
    free(order);
    free(front);
    *nfeasible_out = nfeasible;
    return rc;
}

/* DIR/shard.json: what `tune merge` needs to rank the shards as one process would: the
 * scenario tree, the parameter texts, reps, seed, horizon, and this shard's outcomes. */
static int write_shard(const tune_job *job, const char *const *texts, int nt, long n, long si,
                       long sn, const tune_outcome *outs, const char *out_dir, sim_error *err) {
    cJSON *o = cJSON_CreateObject();
    cJSON *ps = cJSON_AddArrayToObject(o, "params");
    for (int i = 0; i < nt; i++)
        cJSON_AddItemToArray(ps, cJSON_CreateString(texts[i]));
    cJSON_AddNumberToObject(o, "shard", (double)si);
    cJSON_AddNumberToObject(o, "of", (double)sn);
    cJSON_AddNumberToObject(o, "configurations", (double)n);
    cJSON_AddNumberToObject(o, "reps", job->reps);
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)job->seed0);
    cJSON_AddStringToObject(o, "seed", seed);
    cJSON_AddNumberToObject(o, "duration_us", (double)job->duration_us);
    cJSON_AddStringToObject(o, "scenario_path", job->name);
    cJSON_AddItemToObject(o, "scenario", cJSON_Duplicate(job->root, 1));
    cJSON *arr = cJSON_AddArrayToObject(o, "outcomes");
    for (long i = si - 1; i < n; i += sn) {
        const tune_outcome *x = &outs[i];
        cJSON *row = cJSON_CreateArray();
        cJSON_AddItemToArray(row, cJSON_CreateNumber((double)x->config));
        cJSON_AddItemToArray(row, cJSON_CreateNumber(x->valid));
        cJSON_AddItemToArray(row, cJSON_CreateNumber(x->feasible));
        cJSON_AddItemToArray(row, cJSON_CreateNumber(x->gpu));
        cJSON_AddItemToArray(row,
                             isnan(x->cost) ? cJSON_CreateNull() : cJSON_CreateNumber(x->cost));
        cJSON_AddItemToArray(row,
                             isnan(x->p95_ms) ? cJSON_CreateNull() : cJSON_CreateNumber(x->p95_ms));
        cJSON_AddItemToArray(row, cJSON_CreateNumber(x->failed));
        cJSON_AddItemToArray(row, cJSON_CreateString(x->message));
        cJSON_AddItemToArray(arr, row);
    }
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (text == NULL)
        return error_set(err, "out of memory");
    char p[4300];
    snprintf(p, sizeof p, "%s/shard.json", out_dir);
    FILE *f = fopen(p, "w");
    int bad = f == NULL || fprintf(f, "%s\n", text) < 0;
    if (f && fclose(f) != 0)
        bad = 1;
    free(text);
    return bad ? error_set(err, "tune: %s: cannot write", p) : 0;
}

static double num_or_nan(const cJSON *v) {
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* `scalesim tune merge SHARD_DIR... [-o DIR]`: argv[0] is "merge". */
static int tune_merge(int argc, char **argv) {
    int npos = 0;
    int rc = cli_parse(&cmd_tune_spec, argc, argv, &npos);
    if (rc >= 0)
        return rc;
    sim_error err;
    if (npos < 1) {
        error_set(&err, "tune merge: expected the SHARD_DIR folders of `tune --shard I/N` runs");
        return cli_fail(&err);
    }
    cJSON *first = NULL;
    cJSON *docs[256];
    int nd = 0;
    tune_param params[TUNE_MAX_PARAMS];
    int np = 0;
    tune_outcome *outs = NULL;
    char *seen = NULL;
    long n = 0, of = 0;
    rc = 0;
    if (npos > 256)
        rc = error_set(&err, "tune merge: at most 256 shards");
    for (int d = 0; d < npos && rc == 0; d++) {
        char p[4300];
        snprintf(p, sizeof p, "%s/shard.json", argv[1 + d]);
        char *text = slurp(p, &err);
        if (text == NULL) {
            rc = -1;
            break;
        }
        cJSON *doc = cJSON_Parse(text);
        free(text);
        if (doc == NULL) {
            rc = error_set(&err, "tune merge: %s: not JSON", p);
            break;
        }
        docs[nd++] = doc;
        if (first == NULL) {
            first = doc;
            n = (long)num_or_nan(cJSON_GetObjectItem(doc, "configurations"));
            of = (long)num_or_nan(cJSON_GetObjectItem(doc, "of"));
            const cJSON *ps = cJSON_GetObjectItem(doc, "params"), *pt;
            cJSON_ArrayForEach(pt, ps) {
                if (np == TUNE_MAX_PARAMS || !cJSON_IsString(pt) ||
                    tune_param_parse(pt->valuestring, &params[np], &err) < 0) {
                    rc = rc < 0 ? rc : error_set(&err, "tune merge: %s: bad params", p);
                    break;
                }
                np++;
            }
            if (rc == 0 && (n < 0 || n > TUNE_MAX_CONFIGS || of < 1 ||
                            !cJSON_IsObject(cJSON_GetObjectItem(doc, "scenario"))))
                rc = error_set(&err, "tune merge: %s: not a shard file", p);
            if (rc == 0 && tune_grid_size(params, np, TUNE_MAX_CONFIGS, &err) != n)
                rc = error_set(&err,
                               "tune merge: %s: the parameters do not give %ld "
                               "configurations",
                               p, n);
            if (rc == 0) {
                outs = calloc((size_t)(n ? n : 1), sizeof *outs);
                seen = calloc((size_t)(n ? n : 1), 1);
                if (outs == NULL || seen == NULL)
                    rc = error_set(&err, "out of memory");
            }
        } else {
            static const char *const same[] = {"params", "of",          "configurations", "reps",
                                               "seed",   "duration_us", "scenario"};
            for (size_t k = 0; k < sizeof same / sizeof same[0] && rc == 0; k++)
                if (!cJSON_Compare(cJSON_GetObjectItem(doc, same[k]),
                                   cJSON_GetObjectItem(first, same[k]), 1))
                    rc = error_set(&err, "tune merge: %s: \"%s\" differs from %s/shard.json", p,
                                   same[k], argv[1]);
        }
        const cJSON *row;
        cJSON_ArrayForEach(row, cJSON_GetObjectItem(doc, "outcomes")) {
            if (rc < 0)
                break;
            long c = (long)num_or_nan(cJSON_GetArrayItem(row, 0));
            const cJSON *msg = cJSON_GetArrayItem(row, 7);
            if (cJSON_GetArraySize(row) != 8 || c < 0 || c >= n || !cJSON_IsString(msg)) {
                rc = error_set(&err, "tune merge: %s: a bad outcome row", p);
                break;
            }
            if (seen[c]) {
                rc = error_set(&err, "tune merge: configuration %ld is in two shards (%s)", c, p);
                break;
            }
            seen[c] = 1;
            tune_outcome *o = &outs[c];
            o->config = c;
            o->valid = (int)num_or_nan(cJSON_GetArrayItem(row, 1));
            o->feasible = (int)num_or_nan(cJSON_GetArrayItem(row, 2));
            o->gpu = (int)num_or_nan(cJSON_GetArrayItem(row, 3));
            o->cost = num_or_nan(cJSON_GetArrayItem(row, 4));
            o->p95_ms = num_or_nan(cJSON_GetArrayItem(row, 5));
            o->failed = (int)num_or_nan(cJSON_GetArrayItem(row, 6));
            snprintf(o->message, sizeof o->message, "%s", msg->valuestring);
        }
    }
    for (long c = 0; rc == 0 && c < n; c++)
        if (!seen[c])
            rc = error_set(&err,
                           "tune merge: configuration %ld is in no shard (%ld shards of %ld "
                           "given)",
                           c, (long)npos, of);
    long nfeasible = 0;
    if (rc == 0) {
        const cJSON *seed = cJSON_GetObjectItem(first, "seed");
        uint64_t seed0 = 0;
        if (cJSON_IsString(seed))
            opts_parse_uint64(seed->valuestring, &seed0);
        const char *out_dir = tune_opts.out_dir ? tune_opts.out_dir : "out/tune-merged";
        if (mkdir(out_dir, 0777) < 0 && errno != EEXIST)
            rc = error_set(&err, "tune merge: cannot create %s: %s", out_dir, strerror(errno));
        tune_job job = {cJSON_GetObjectItem(first, "scenario"),
                        "shard.json",
                        ".",
                        params,
                        np,
                        (int)num_or_nan(cJSON_GetObjectItem(first, "reps")),
                        seed0,
                        0,
                        out_dir};
        if (rc == 0)
            rc = report(&job, n, outs, out_dir, &nfeasible, &err);
    }
    free(outs);
    free(seen);
    for (int i = 0; i < np; i++)
        tune_param_free(&params[i]);
    for (int d = 0; d < nd; d++)
        cJSON_Delete(docs[d]);
    if (rc < 0)
        return cli_fail(&err);
    return nfeasible > 0 ? EXIT_OK : EXIT_ASSERTION_FAILED;
}

int cmd_tune_main(int argc, char **argv) {
    memset(&tune_opts, 0, sizeof tune_opts);
    tune_opts.reps = 1;
    tune_opts.jobs = 1;
    if (argc > 1 && strcmp(argv[1], "merge") == 0)
        return tune_merge(argc - 1, argv + 1);
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
    long shard_i = 1, shard_n = 1;
    if (tune_opts.shard) {
        char extra;
        if (sscanf(tune_opts.shard, "%ld/%ld%c", &shard_i, &shard_n, &extra) != 2 || shard_n < 1 ||
            shard_i < 1 || shard_i > shard_n) {
            error_set(&err, "tune: --shard: expected I/N with 1 <= I <= N, got \"%s\"",
                      tune_opts.shard);
            return cli_fail(&err);
        }
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
    if (n >= 0 && run_all(&job, n, shard_i - 1, shard_n, (int)tune_opts.jobs, outs, &err) < 0)
        n = -1;
    rmdir(tmp_dir);
    if (n >= 0 && tune_opts.shard) {
        rc = write_shard(&job, texts, nt, n, shard_i, shard_n, outs, out_dir, &err);
        free(outs);
        free(order);
        for (int i = 0; i < np; i++)
            tune_param_free(&params[i]);
        cJSON_Delete(root);
        if (rc < 0)
            return cli_fail(&err);
        if (!tune_opts.quiet)
            printf("tune: shard %ld/%ld of %ld configurations written to %s/shard.json\n", shard_i,
                   shard_n, n, out_dir);
        return EXIT_OK;
    }
    if (n < 0) {
        free(outs);
        free(order);
        for (int i = 0; i < np; i++)
            tune_param_free(&params[i]);
        cJSON_Delete(root);
        return cli_fail(&err);
    }
    long nfeasible = 0;
    rc = report(&job, n, outs, out_dir, &nfeasible, &err);
    free(outs);
    free(order);
    for (int i = 0; i < np; i++)
        tune_param_free(&params[i]);
    cJSON_Delete(root);
    if (rc < 0)
        return cli_fail(&err);
    return nfeasible > 0 ? EXIT_OK : EXIT_ASSERTION_FAILED;
}
