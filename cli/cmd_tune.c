/* cmd_tune.c: `scalesim tune SCENARIO [PATH=VALUES...]`: a search over scenario parameters
 * addressed by JSON path (the command line's, else the scenario's "tune" block): a full grid, or
 * Sobol samples followed by a local refinement (sim/output/tune_search.h); R replications on
 * common random numbers; the cheapest configuration whose runs pass every `expect` assertion
 * (tune_eval.h); the ranking, Pareto plot, recommendation and manifests (tune_report.h); fork()ed
 * worker processes for --jobs; --shard and `tune merge`. See docs/tune.md. */
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
#include "sim/output/tune_report.h"
#include "sim/output/tune_search.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/tune_block.h"

#define TUNE_MAX_CONFIGS     1000000L
#define TUNE_DEFAULT_SAMPLES 64
#define TUNE_DEFAULT_ROUNDS  10

static struct {
    const char *param;
    const char *out_dir;
    int64_t reps;
    int64_t jobs;
    const char *seed_text;
    int64_t duration_us;
    const char *shard;
    const char *search;
    int64_t samples;
    int64_t refine;
    const char *objective;
    int svg;
    int quiet;
} tune_opts;

static const opt_spec tune_options_spec[] = {
    {"param", 'p', OPT_STRING, "PATH=VALUES", "one more parameter (as the positional ones)",
     &tune_opts.param},
    {"reps", 'r', OPT_INT, "R",
     "replications per configuration (seeds seed..seed+R-1; default the block's, else 1)",
     &tune_opts.reps},
    {"jobs", 'j', OPT_INT, "N", "worker processes (default 1)", &tune_opts.jobs},
    {"search", 0, OPT_STRING, "grid|sobol",
     "full grid, or Sobol samples then local refinement (default: the block's, else grid unless "
     "a parameter is continuous)",
     &tune_opts.search},
    {"samples", 0, OPT_INT, "N", "Sobol samples (default the block's, else 64)",
     &tune_opts.samples},
    {"refine", 0, OPT_INT, "ROUNDS",
     "refinement rounds after Sobol sampling; 0: none (default the block's, else 10)",
     &tune_opts.refine},
    {"objective", 0, OPT_STRING, "cost|pod_hours|gpu_hours",
     "what to minimise (default cost: GPU-hours when the pods have GPUs, else pod-hours)",
     &tune_opts.objective},
    {"seed", 0, OPT_STRING, "S", "first seed (default: the scenario's)", &tune_opts.seed_text},
    {"duration", 'd', OPT_DURATION, "D", "simulated horizon of every run", &tune_opts.duration_us},
    {"output", 'o', OPT_STRING, "DIR", "output folder (default out/<scenario name>-tune)",
     &tune_opts.out_dir},
    {"shard", 0, OPT_STRING, "I/N",
     "run configurations c with c mod N = I-1 only; write DIR/shard.json for `tune merge`",
     &tune_opts.shard},
    {"svg", 0, OPT_FLAG, NULL, "draw pareto.svg instead of pareto.png", &tune_opts.svg},
    {"quiet", 'q', OPT_FLAG, NULL, "print nothing but errors", &tune_opts.quiet},
    {0},
};

const cmd_spec cmd_tune_spec = {
    "tune",
    "scalesim tune SCENARIO [PATH=V1,V2,...|PATH=FROM:TO:STEP|PATH=MIN..MAX...] [options]\n"
    "       scalesim tune merge SHARD_DIR... [-o DIR] [-j N]",
    "search scenario parameters for the cheapest configuration meeting `expect`",
    "Each PATH addresses a number in the scenario JSON, e.g.\n"
    "hpa.spec.metrics[0].resource.target.averageUtilization=10:50:10, hpa.spec.minReplicas=1,2\n"
    "or hpa.spec.behavior.scaleDown.stabilizationWindowSeconds=0..600 (continuous). Without\n"
    "PATH arguments the scenario's \"tune\" block gives the parameters and settings; flags\n"
    "override it. --search grid tries every configuration of the grid; --search sobol tries\n"
    "--samples points of a Sobol sequence, then refines around the best feasible one. Every\n"
    "configuration is loaded by the normal loader, run R times on the same seeds, and judged by\n"
    "the scenario's expect assertions (as `scalesim check`). Writes DIR/tune.csv (ranked:\n"
    "feasible first, then cost), recommendation.md, pareto.png, recommended.json and the\n"
    "recommended HPA / CronHPA manifests (JSON and YAML). Exit 1 when no configuration is\n"
    "feasible. With --shard I/N only a deterministic share of the grid or samples runs and\n"
    "DIR/shard.json holds its outcomes; `scalesim tune merge` ranks (and refines) the shards\n"
    "together, byte for byte as one process would. See docs/tune.md.",
    tune_options_spec,
};

/* What a search is: the parameters and settings, after flags, block and defaults. */
typedef struct tune_plan {
    tune_param params[TUNE_MAX_PARAMS]; /* owned */
    int np;
    int sobol;
    long samples; /* sobol only; 0 for a grid */
    int rounds;   /* refinement rounds (sobol only) */
    int reps;
    int objective;
} tune_plan;

static void plan_free(tune_plan *p) {
    for (int i = 0; i < p->np; i++)
        tune_param_free(&p->params[i]);
    p->np = 0;
}

static const char *const objective_names[] = {"cost", "pod_hours", "gpu_hours"};

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
    return tune_outcome_cmp(&rank_base[*(const long *)a], &rank_base[*(const long *)b]);
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

static int write_csv(const tune_job *job, long n, const tune_outcome *outs,
                     const unsigned char *phase, const long *order, const int *front,
                     const char *out_dir, sim_error *err) {
    char csv[4300];
    snprintf(csv, sizeof csv, "%s/tune.csv", out_dir);
    FILE *f = fopen(csv, "w");
    if (f == NULL)
        return error_set(err, "tune: %s: %s", csv, strerror(errno));
    fputs("rank,config", f);
    for (int k = 0; k < job->nparams; k++)
        fprintf(f, ",%s", job->params[k].path);
    fprintf(f, ",feasible,%s,p95_ms,failed,note,pareto,phase\n",
            n > 0 && outs[order[0]].gpu ? "gpu_hours" : "pod_hours");
    double vals[TUNE_MAX_PARAMS];
    for (long r = 0; r < n; r++) {
        const tune_outcome *o = &outs[order[r]];
        fprintf(f, "%ld,%ld", r + 1, o->config);
        tune_job_values(job, o->config, vals);
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
        fprintf(f, ",%d,%s\n", front[o->config],
                tune_phase_name(phase ? phase[o->config] : TUNE_PHASE_GRID));
    }
    if (fclose(f) != 0)
        return error_set(err, "tune: %s: write error", csv);
    return 0;
}

/* Ranks the outcomes of all n configurations and writes tune.csv, the recommendation, the
 * manifests and the Pareto plot into out_dir (job->tmp_dir must exist: the recommended
 * configuration runs once more for its margins); prints the recommendation unless quiet. */
static int report(const tune_job *job, long n, const tune_outcome *outs, const unsigned char *phase,
                  const char *out_dir, long *nfeasible_out, sim_error *err) {
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
    rc = write_csv(job, n, outs, phase, order, front, out_dir, err);
    long nfeasible = 0;
    for (long i = 0; i < n; i++)
        nfeasible += outs[i].feasible;
    if (rc == 0 && !tune_opts.quiet)
        printf("tune: %ld configurations x %d replications (seeds %llu..%llu), %ld feasible; "
               "ranked in %s/tune.csv\n",
               n, job->reps, (unsigned long long)job->seed0,
               (unsigned long long)(job->seed0 + (uint64_t)job->reps - 1), nfeasible, out_dir);
    long best = rc == 0 && nfeasible > 0 ? order[0] : -1;
    tune_verdict verdicts[64];
    size_t nv = 0;
    if (best >= 0) {
        const tune_outcome *o = &outs[best];
        double vals[TUNE_MAX_PARAMS];
        tune_job_values(job, best, vals);
        if (!tune_opts.quiet) {
            printf("recommended (config %ld):", o->config);
            for (int k = 0; k < job->nparams; k++)
                printf(" %s=%.10g", job->params[k].path, vals[k]);
            printf("\n  cost %.6f %s (mean of %d), p95 %.1f ms, every expect assertion passes\n",
                   o->cost, o->gpu ? "GPU-hours" : "pod-hours", job->reps, o->p95_ms);
        }
        /* once more, for each assertion's margin (same seeds: the same runs) */
        tune_outcome again;
        if (tune_eval_detail(job, best, &again, verdicts, 64, &nv, err) < 0)
            rc = -1;
        for (size_t i = 0; rc == 0 && i < nv && !tune_opts.quiet; i++)
            /* + 0.0 turns -0 into 0 for printing */
            printf("  margin %.6g: %s (%s)\n", verdicts[i].worst.margin + 0.0, verdicts[i].name,
                   verdicts[i].worst.message);
        char *scen = rc == 0 ? tune_config_text(job, best, 1, err) : NULL;
        cJSON *tree = scen ? cJSON_Parse(scen) : NULL;
        char p[4300], note[512];
        int wrote = 0;
        snprintf(p, sizeof p, "%s/recommended.json", out_dir);
        FILE *g = scen ? fopen(p, "w") : NULL;
        if (rc == 0 && (g == NULL || fprintf(g, "%s\n", scen) < 0))
            rc = error_set(err, "tune: %s: cannot write", p);
        if (g && fclose(g) != 0 && rc == 0)
            rc = error_set(err, "tune: %s: cannot write", p);
        if (rc == 0 && tree == NULL)
            rc = error_set(err, "out of memory");
        if (rc == 0)
            rc = tune_manifests(out_dir, tree, &wrote, note, sizeof note, err);
        if (rc == 0 && !tune_opts.quiet) {
            if (wrote & 1)
                printf("  recommended hpa: %s/recommended-hpa.json and .yaml\n", out_dir);
            if (wrote & 2)
                printf("  recommended cronhpa: %s/recommended-cronhpa.json and .yaml\n", out_dir);
            if (*note)
                printf("  %s\n", note);
        }
        free(scen);
        cJSON_Delete(tree);
    } else if (rc == 0 && !tune_opts.quiet && n > 0) {
        printf("no configuration passes every expect assertion; closest: config %ld: %s\n",
               outs[order[0]].config, outs[order[0]].message);
    }
    if (rc == 0) {
        char *md = tune_recommendation_text(job, outs, n, phase, best, verdicts, nv, err);
        char p[4300];
        snprintf(p, sizeof p, "%s/recommendation.md", out_dir);
        FILE *g = md ? fopen(p, "w") : NULL;
        if (md == NULL)
            rc = -1;
        else if (g == NULL || fputs(md, g) < 0 || fclose(g) != 0)
            rc = error_set(err, "tune: %s: cannot write", p);
        free(md);
    }
    if (rc == 0) {
        sim_error perr;
        int drawn = tune_plot_pareto(out_dir, outs, n, front, best, tune_opts.svg, &perr);
        if (drawn < 0)
            fprintf(stderr, "scalesim: warning: %s\n", perr.msg); /* the ranking stands */
        char plot[4200] = "no plot: no configuration has a cost and a p95";
        if (drawn > 0)
            snprintf(plot, sizeof plot, "%s/pareto.%s", out_dir, tune_opts.svg ? "svg" : "png");
        else if (drawn < 0)
            snprintf(plot, sizeof plot, "no plot");
        if (!tune_opts.quiet)
            printf("Pareto front of cost against p95 latency: %ld configurations (column pareto, "
                   "%s); recommendation in %s/recommendation.md\n",
                   nfront, plot, out_dir);
    }
    free(order);
    free(front);
    *nfeasible_out = nfeasible;
    return rc;
}

/* The configuration list of a plan: NULL points for a grid (*n its size), else the Sobol rows. */
static long plan_points(const tune_plan *plan, tune_points *pts, sim_error *err) {
    memset(pts, 0, sizeof *pts);
    pts->nparams = plan->np;
    if (!plan->sobol)
        return tune_grid_size(plan->params, plan->np, TUNE_MAX_CONFIGS, err);
    if (tune_sobol(plan->params, plan->np, plan->samples, pts, err) < 0)
        return -1;
    return pts->n;
}

typedef struct batch_ctx {
    tune_job *job;
    tune_points *pts;
    int jobs;
} batch_ctx;

static int eval_batch(void *ctx, tune_outcome *outs, long first, long end, sim_error *err) {
    batch_ctx *b = ctx;
    b->job->points = b->pts->v;
    b->job->npoints = b->pts->n;
    return run_all(b->job, end, first, 1, b->jobs, outs, err);
}

static int make_dirs(const char *dir, sim_error *err) {
    char mk[4096];
    snprintf(mk, sizeof mk, "%s", dir);
    for (char *p = mk + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(mk, 0777);
            *p = '/';
        }
    if (mkdir(mk, 0777) < 0 && errno != EEXIST)
        return error_set(err, "tune: cannot create %s: %s", dir, strerror(errno));
    return 0;
}

/* After the grid or the samples: the refinement (sobol), then the report. *outs grows. */
static int finish(const tune_plan *plan, tune_job *job, tune_points *pts, tune_outcome **outs,
                  long n, const char *out_dir, long *nfeasible, sim_error *err) {
    if (plan->sobol && plan->rounds > 0) {
        batch_ctx ctx = {job, pts, (int)tune_opts.jobs};
        int done = 0;
        if (tune_refine(plan->params, plan->np, plan->samples, plan->rounds, pts, outs, eval_batch,
                        &ctx, &done, err) < 0)
            return -1;
        if (!tune_opts.quiet)
            printf("tune: %ld Sobol configurations, then %ld in %d refinement round%s\n", n,
                   pts->n - n, done, done == 1 ? "" : "s");
        n = pts->n;
        job->points = pts->v;
        job->npoints = pts->n;
    }
    return report(job, n, *outs, plan->sobol ? pts->phase : NULL, out_dir, nfeasible, err);
}

/* DIR/shard.json: what `tune merge` needs to rank the shards as one process would: the
 * scenario tree, the plan, reps, seed, horizon, and this shard's outcomes. */
static int write_shard(const tune_job *job, const tune_plan *plan, long n, long si, long sn,
                       const tune_outcome *outs, const char *out_dir, sim_error *err) {
    cJSON *o = cJSON_CreateObject();
    cJSON *ps = cJSON_AddArrayToObject(o, "params");
    for (int i = 0; i < plan->np; i++) {
        char text[8192];
        if (tune_param_text(&plan->params[i], text, sizeof text) < 0) {
            cJSON_Delete(o);
            return error_set(err, "tune: %s: too many values for a shard file",
                             plan->params[i].path);
        }
        cJSON_AddItemToArray(ps, cJSON_CreateString(text));
    }
    cJSON_AddStringToObject(o, "search", plan->sobol ? "sobol" : "grid");
    cJSON_AddNumberToObject(o, "samples", (double)plan->samples);
    cJSON_AddNumberToObject(o, "refine", plan->rounds);
    cJSON_AddStringToObject(o, "objective", objective_names[plan->objective]);
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

/* The plan of a shard file (the first one; the others must equal it). */
static int shard_plan(const cJSON *doc, const char *p, tune_plan *plan, sim_error *err) {
    memset(plan, 0, sizeof *plan);
    const cJSON *ps = cJSON_GetObjectItem(doc, "params"), *pt;
    cJSON_ArrayForEach(pt, ps) {
        if (plan->np == TUNE_MAX_PARAMS || !cJSON_IsString(pt) ||
            tune_param_parse(pt->valuestring, &plan->params[plan->np], err) < 0)
            return error_set(err, "tune merge: %s: bad params", p);
        plan->np++;
    }
    const cJSON *search = cJSON_GetObjectItem(doc, "search");
    const cJSON *obj = cJSON_GetObjectItem(doc, "objective");
    plan->sobol = cJSON_IsString(search) && strcmp(search->valuestring, "sobol") == 0;
    plan->samples = (long)num_or_nan(cJSON_GetObjectItem(doc, "samples"));
    plan->rounds = (int)num_or_nan(cJSON_GetObjectItem(doc, "refine"));
    plan->reps = (int)num_or_nan(cJSON_GetObjectItem(doc, "reps"));
    plan->objective = -1;
    for (int i = 0; i < 3 && cJSON_IsString(obj); i++)
        if (strcmp(obj->valuestring, objective_names[i]) == 0)
            plan->objective = i;
    if (plan->np < 1 || !cJSON_IsString(search) || plan->objective < 0 || plan->reps < 1 ||
        plan->rounds < 0 || plan->samples < 0 || (plan->sobol && plan->samples < 1))
        return error_set(err, "tune merge: %s: not a shard file of this scalesim version", p);
    return 0;
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
    if (tune_opts.jobs < 1 || tune_opts.jobs > 256) {
        error_set(&err, "tune merge: --jobs must be 1..256");
        return cli_fail(&err);
    }
    cJSON *first = NULL;
    cJSON *docs[256];
    int nd = 0;
    tune_plan plan;
    memset(&plan, 0, sizeof plan);
    tune_points pts;
    memset(&pts, 0, sizeof pts);
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
            rc = shard_plan(doc, p, &plan, &err);
            if (rc == 0 && (n < 0 || n > TUNE_MAX_CONFIGS || of < 1 ||
                            !cJSON_IsObject(cJSON_GetObjectItem(doc, "scenario")) ||
                            !cJSON_IsString(cJSON_GetObjectItem(doc, "scenario_path"))))
                rc = error_set(&err, "tune merge: %s: not a shard file", p);
            if (rc == 0 && plan_points(&plan, &pts, &err) != n)
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
            static const char *const same[] = {
                "params",         "search", "samples", "refine",      "objective",     "of",
                "configurations", "reps",   "seed",    "duration_us", "scenario_path", "scenario"};
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
        /* relative files of the scenario resolve as in the shards: against the scenario's
         * folder as the shards named it (run merge from the same working directory) */
        const char *spath = cJSON_GetObjectItem(first, "scenario_path")->valuestring;
        char base_dir[4096], tmp_dir[4200];
        snprintf(base_dir, sizeof base_dir, "%s", spath);
        snprintf(base_dir, sizeof base_dir, "%s", dirname(base_dir));
        snprintf(tmp_dir, sizeof tmp_dir, "%s/.runs", out_dir);
        rc = make_dirs(out_dir, &err);
        if (rc == 0 && mkdir(tmp_dir, 0777) < 0 && errno != EEXIST)
            rc = error_set(&err, "tune merge: cannot create %s: %s", tmp_dir, strerror(errno));
        tune_job job = {cJSON_GetObjectItem(first, "scenario"),
                        spath,
                        base_dir,
                        plan.params,
                        plan.np,
                        plan.reps,
                        seed0,
                        (int64_t)num_or_nan(cJSON_GetObjectItem(first, "duration_us")),
                        tmp_dir,
                        plan.sobol ? pts.v : NULL,
                        plan.sobol ? pts.n : 0,
                        (tune_objective)plan.objective};
        if (rc == 0)
            rc = finish(&plan, &job, &pts, &outs, n, out_dir, &nfeasible, &err);
        rmdir(tmp_dir);
    }
    free(outs);
    free(seen);
    tune_points_free(&pts);
    plan_free(&plan);
    for (int d = 0; d < nd; d++)
        cJSON_Delete(docs[d]);
    if (rc < 0)
        return cli_fail(&err);
    return nfeasible > 0 ? EXIT_OK : EXIT_ASSERTION_FAILED;
}

/* The plan from the command line and the scenario's tune block (flags win). */
static int make_plan(int npos, char **argv, tune_block *block, const cJSON *root, tune_plan *plan,
                     sim_error *err) {
    memset(plan, 0, sizeof *plan);
    const char *texts[TUNE_MAX_PARAMS + 1];
    int nt = 0;
    for (int i = 2; i <= npos && nt <= TUNE_MAX_PARAMS; i++)
        texts[nt++] = argv[i];
    if (tune_opts.param && nt <= TUNE_MAX_PARAMS)
        texts[nt++] = tune_opts.param;
    if (nt > TUNE_MAX_PARAMS)
        return error_set(err, "tune: at most %d parameters", TUNE_MAX_PARAMS);
    if (nt == 0 && !block->present)
        return error_set(err, "tune: expected at least one PATH=VALUES parameter or a \"tune\" "
                              "block in the scenario; see 'scalesim tune --help'");
    if (nt > 0) {
        for (int i = 0; i < nt; i++) {
            if (tune_param_parse(texts[i], &plan->params[plan->np], err) < 0)
                return -1;
            plan->np++;
            const char *pp = plan->params[plan->np - 1].path;
            cJSON *node = tune_get((cJSON *)root, pp);
            if (!tune_settable(node))
                return error_set(err,
                                 "tune: %s: the scenario has a non-number there (numbers, "
                                 "quantities and durations can be tuned)",
                                 pp);
        }
    } else {
        /* the block's parameters move into the plan */
        memcpy(plan->params, block->params, sizeof block->params);
        plan->np = block->nparams;
        block->nparams = 0;
    }
    int any_continuous = 0;
    for (int i = 0; i < plan->np; i++)
        any_continuous |= plan->params[i].continuous;
    if (tune_opts.search) {
        if (strcmp(tune_opts.search, "grid") != 0 && strcmp(tune_opts.search, "sobol") != 0)
            return error_set(err, "tune: --search: expected grid or sobol, got \"%s\"",
                             tune_opts.search);
        plan->sobol = strcmp(tune_opts.search, "sobol") == 0;
    } else {
        plan->sobol = block->search >= 0 ? block->search : any_continuous;
    }
    if (tune_opts.samples < 0 || tune_opts.samples > TUNE_MAX_CONFIGS)
        return error_set(err, "tune: --samples must be 1..%ld", TUNE_MAX_CONFIGS);
    if (tune_opts.refine < -1 || tune_opts.refine > 1000)
        return error_set(err, "tune: --refine must be 0..1000");
    if (plan->sobol) {
        plan->samples = tune_opts.samples > 0 ? (long)tune_opts.samples
                        : block->samples > 0  ? block->samples
                                              : TUNE_DEFAULT_SAMPLES;
        plan->rounds = tune_opts.refine >= 0       ? (int)tune_opts.refine
                       : block->refine_rounds >= 0 ? block->refine_rounds
                                                   : TUNE_DEFAULT_ROUNDS;
    } else if (tune_opts.samples > 0 || tune_opts.refine >= 0) {
        return error_set(err, "tune: --samples and --refine go with --search sobol");
    }
    plan->reps = tune_opts.reps > 0 ? (int)tune_opts.reps : block->reps > 0 ? block->reps : 1;
    plan->objective = block->objective >= 0 ? block->objective : TUNE_OBJ_COST;
    if (tune_opts.objective) {
        plan->objective = -1;
        for (int i = 0; i < 3; i++)
            if (strcmp(tune_opts.objective, objective_names[i]) == 0)
                plan->objective = i;
        if (plan->objective < 0)
            return error_set(err,
                             "tune: --objective: expected cost, pod_hours or gpu_hours, got "
                             "\"%s\"",
                             tune_opts.objective);
    }
    return 0;
}

int cmd_tune_main(int argc, char **argv) {
    memset(&tune_opts, 0, sizeof tune_opts);
    tune_opts.jobs = 1;
    tune_opts.refine = -1;
    if (argc > 1 && strcmp(argv[1], "merge") == 0)
        return tune_merge(argc - 1, argv + 1);
    int npos = 0;
    int rc = cli_parse(&cmd_tune_spec, argc, argv, &npos);
    if (rc >= 0)
        return rc;
    sim_error err;
    if (npos < 1) {
        error_set(&err, "tune: expected a SCENARIO and at least one PATH=VALUES parameter (or a "
                        "\"tune\" block in it); see 'scalesim tune --help'");
        return cli_fail(&err);
    }
    if (tune_opts.reps < 0 || tune_opts.reps > 1000 || tune_opts.jobs < 1 || tune_opts.jobs > 256) {
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
    char *text = slurp(path, &err);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    if (root == NULL) {
        if (text != NULL)
            error_set(&err, "tune: %s: not JSON (tune reads JSON scenarios)", path);
        free(text);
        return cli_fail(&err);
    }
    tune_block block;
    tune_plan plan;
    memset(&plan, 0, sizeof plan);
    rc = tune_block_read(text, strlen(text), path, &block, &err);
    free(text);
    if (rc == 0)
        rc = make_plan(npos, argv, &block, root, &plan, &err);
    tune_block_free(&block);
    tune_points pts;
    long n = rc == 0 ? plan_points(&plan, &pts, &err) : -1;
    if (rc < 0)
        memset(&pts, 0, sizeof pts);
    char dir_buf[4096], base_dir[4096], tmp_dir[4200];
    snprintf(base_dir, sizeof base_dir, "%s", path);
    snprintf(base_dir, sizeof base_dir, "%s", dirname(base_dir));
    const char *out_dir = tune_opts.out_dir;
    if (out_dir == NULL) {
        snprintf(dir_buf, sizeof dir_buf, "out/%s-tune", name);
        out_dir = dir_buf;
    }
    tune_outcome *outs = NULL;
    if (n >= 0 && make_dirs(out_dir, &err) < 0)
        n = -1;
    if (n >= 0) {
        outs = calloc((size_t)(n > 0 ? n : 1), sizeof *outs);
        if (outs == NULL) {
            error_set(&err, "out of memory");
            n = -1;
        }
    }
    snprintf(tmp_dir, sizeof tmp_dir, "%s/.runs", out_dir);
    if (n >= 0 && mkdir(tmp_dir, 0777) < 0 && errno != EEXIST) {
        error_set(&err, "tune: cannot create %s: %s", tmp_dir, strerror(errno));
        n = -1;
    }
    tune_job job = {root,
                    path,
                    base_dir,
                    plan.params,
                    plan.np,
                    plan.reps,
                    seed0,
                    tune_opts.duration_us,
                    tmp_dir,
                    plan.sobol ? pts.v : NULL,
                    plan.sobol ? pts.n : 0,
                    (tune_objective)plan.objective};
    if (n >= 0 && run_all(&job, n, shard_i - 1, shard_n, (int)tune_opts.jobs, outs, &err) < 0)
        n = -1;
    long nfeasible = 0;
    rc = n < 0 ? -1 : 0;
    if (rc == 0 && tune_opts.shard) {
        rc = write_shard(&job, &plan, n, shard_i, shard_n, outs, out_dir, &err);
        if (rc == 0 && !tune_opts.quiet)
            printf("tune: shard %ld/%ld of %ld configurations written to %s/shard.json\n", shard_i,
                   shard_n, n, out_dir);
        nfeasible = 1; /* a shard ranks nothing: exit 0 */
    } else if (rc == 0) {
        rc = finish(&plan, &job, &pts, &outs, n, out_dir, &nfeasible, &err);
    }
    rmdir(tmp_dir);
    free(outs);
    tune_points_free(&pts);
    plan_free(&plan);
    cJSON_Delete(root);
    if (rc < 0)
        return cli_fail(&err);
    return nfeasible > 0 ? EXIT_OK : EXIT_ASSERTION_FAILED;
}
