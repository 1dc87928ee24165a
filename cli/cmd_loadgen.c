/* cmd_loadgen.c: `scalesim loadgen [hey flags] [loadgen options] URL`: a hey-compatible load
 * generator (loadgen/lg_run.h). hey's flags are read with hey's own rules (common/hey_args.h);
 * the loadgen's own options are long ones ("--rate"), taken out of the command line first. */
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "common/duration.h"
#include "loadgen/lg_run.h"

static struct {
    const char *load, *rate, *rate_file, *rate_steps, *arrivals, *seed, *trace, *hpa, *ns, *every,
        *prom, *query;
    int help;
} lg_opts;

static const opt_spec loadgen_options[] = {
    {"load", 0, OPT_STRING, "FILE|JSON",
     "open loop: the open-loop phases of a scenario file, or phases as JSON "
     "('{\"type\":\"poisson\",\"diurnal\":{...}}'), as `scalesim run` reads them",
     &lg_opts.load},
    {"rate", 0, OPT_STRING, "R",
     "open loop: R requests/s, or FROM:TO ramped over -z; latency counts from when each request "
     "was due",
     &lg_opts.rate},
    {"rate-file", 0, OPT_STRING, "CSV", "open loop: rates from a t_s,rps CSV (held per row)",
     &lg_opts.rate_file},
    {"rate-steps", 0, OPT_STRING, "T=R,...",
     "open loop: rates held from each time on, e.g. 0=20,5m=200,7m=20", &lg_opts.rate_steps},
    {"arrivals", 0, OPT_STRING, "KIND",
     "open loop: uniform (evenly spaced, the default) or poisson", &lg_opts.arrivals},
    {"seed", 0, OPT_STRING, "N",
     "seed of Poisson arrivals [1; with --load of a scenario, its seed]", &lg_opts.seed},
    {"trace", 0, OPT_STRING, "FILE",
     "write one CSV row per second (scalesim run reads it as a load trace)", &lg_opts.trace},
    {"watch-hpa", 0, OPT_STRING, "NAME",
     "record the HPA's replicas, metrics and conditions into the trace (kubectl get hpa NAME "
     "-o json, run from $PATH)",
     &lg_opts.hpa},
    {"namespace", 0, OPT_STRING, "NS", "the HPA's namespace (-n is hey's request count)",
     &lg_opts.ns},
    {"every", 0, OPT_STRING, "D", "how often to look at the HPA and Prometheus [5s]",
     &lg_opts.every},
    {"prometheus", 0, OPT_STRING, "URL", "Prometheus server for --query", &lg_opts.prom},
    {"query", 0, OPT_STRING, "NAME=PROMQL",
     "record an instant query into the trace as prom_NAME (repeatable, at most 16)",
     &lg_opts.query},
    {0},
};

const cmd_spec cmd_loadgen_spec = {
    "loadgen",
    "scalesim loadgen [hey flags] [--load FILE|JSON | --rate R] [--trace FILE] URL",
    "hey-compatible HTTP load generator with a per-second trace",
    "Sends load to URL the way hey does, with hey's flags and meanings (rakyll/hey 0.1.4):\n"
    "  -n N      requests in all [200] (each worker sends n/c)   -c C   workers [50]\n"
    "  -q QPS    rate limit per worker                           -z D   duration (10s, 2m)\n"
    "  -t S      timeout per request, seconds [20]               -m M   method [GET]\n"
    "  -H 'K: V' header (repeatable)  -T type  -A accept  -a user:pass  -d body  -D file\n"
    "  -host H   Host header   -x http://proxy:port (CONNECT for https)   -h2 HTTP/2 (https)\n"
    "  -disable-keepalive   -disable-compression\n"
    "  -cpus N   event loops (threads) [1]   -o csv   one row per response instead of the "
    "summary\n"
    "and prints hey's summary. https goes through OpenSSL without verifying the certificate,\n"
    "as hey does. Redirects on the same origin are followed as hey's Go client does (10 at\n"
    "most); one to another host fails the request. -disable-redirects: the 3xx is counted.\n"
    "Ctrl-C stops at once and prints the summary of what ran. See docs/loadgen.md.",
    loadgen_options,
};

static volatile sig_atomic_t stop_flag;

static void on_sigint(int sig) {
    (void)sig;
    stop_flag = 1;
}

static lg_watch_cfg watch;

/* --query NAME=PROMQL, kept in order. */
static int add_query(const char *text, sim_error *err) {
    const char *eq = strchr(text, '=');
    if (eq == NULL || eq == text || eq[1] == 0)
        return error_set(err, "loadgen: --query \"%s\": expected NAME=PROMQL", text);
    for (const char *c = text; c < eq; c++)
        if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9')))
            return error_set(err, "loadgen: --query \"%s\": NAME may hold letters, digits and _",
                             text);
    if (watch.nqueries >= LG_MAX_QUERIES)
        return error_set(err, "loadgen: at most %d --query", LG_MAX_QUERIES);
    static char names[LG_MAX_QUERIES][64];
    snprintf(names[watch.nqueries], sizeof names[0], "%.*s", (int)(eq - text), text);
    watch.qnames[watch.nqueries] = names[watch.nqueries];
    watch.queries[watch.nqueries++] = eq + 1;
    return 0;
}

/* Takes the loadgen's own --options out of argv (in place); the rest is hey's. */
static int take_own_options(int *argc, char **argv, sim_error *err) {
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *w = argv[i];
        if (strcmp(w, "--help") == 0 || (strcmp(w, "-h") == 0 && *argc == 2)) {
            lg_opts.help = 1;
            continue;
        }
        int taken = 0;
        for (const opt_spec *o = loadgen_options; o->long_name && w[0] == '-' && w[1] == '-'; o++) {
            size_t n = strlen(o->long_name);
            if (strncmp(w + 2, o->long_name, n) != 0)
                continue;
            if (w[2 + n] == '=') {
                *(const char **)o->dest = w + 3 + n;
            } else if (w[2 + n] == 0) {
                if (i + 1 >= *argc)
                    return error_set(err, "loadgen: --%s needs a value (%s)", o->long_name,
                                     o->metavar);
                *(const char **)o->dest = argv[++i];
            } else {
                continue;
            }
            taken = 1;
            if (o->dest == &lg_opts.query && add_query(lg_opts.query, err) != 0)
                return -1;
            break;
        }
        if (!taken)
            argv[out++] = argv[i];
    }
    *argc = out;
    return 0;
}

int cmd_loadgen_main(int argc, char **argv) {
    memset(&lg_opts, 0, sizeof lg_opts);
    memset(&watch, 0, sizeof watch);
    sim_error err;
    if (take_own_options(&argc, argv, &err) != 0)
        return cli_fail(&err);
    if (lg_opts.help) {
        opts_print_help(&cmd_loadgen_spec, stdout);
        return EXIT_OK;
    }
    hey_args a;
    int bad = -1;
    if (hey_args_parse_argv(argc - 1, argv + 1, &a, &bad, &err) != 0) {
        error_prefix(&err, "loadgen");
        return cli_fail(&err);
    }
    watch.hpa = lg_opts.hpa;
    watch.ns = lg_opts.ns;
    watch.prom_url = lg_opts.prom;
    watch.every_us = 5000000;
    if (lg_opts.every && duration_parse(lg_opts.every, &watch.every_us, &err) != 0) {
        error_prefix(&err, "loadgen: --every");
        hey_args_free(&a);
        return cli_fail(&err);
    }
    if (lg_opts.ns && !lg_opts.hpa) {
        error_set(&err, "loadgen: --namespace goes with --watch-hpa");
        hey_args_free(&a);
        return cli_fail(&err);
    }
    /* one descriptor per connection: lift the soft limit (often 1024) to the hard one */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    stop_flag = 0;
    int poisson = 0;
    uint64_t seed = 1;
    if (lg_opts.arrivals && strcmp(lg_opts.arrivals, "poisson") == 0)
        poisson = 1;
    else if (lg_opts.arrivals && strcmp(lg_opts.arrivals, "uniform") != 0) {
        error_set(&err, "loadgen: --arrivals \"%s\": expected uniform or poisson",
                  lg_opts.arrivals);
        hey_args_free(&a);
        return cli_fail(&err);
    }
    if (lg_opts.arrivals && lg_opts.load) {
        error_set(&err, "loadgen: --arrivals goes with --rate, --rate-steps and --rate-file; with "
                        "--load each phase's type (\"poisson\" or \"uniform\") says how its "
                        "arrivals are spaced");
        hey_args_free(&a);
        return cli_fail(&err);
    }
    if (lg_opts.seed && opts_parse_uint64(lg_opts.seed, &seed) != 0) {
        error_set(&err, "loadgen: --seed: expected a non-negative integer, got \"%s\"",
                  lg_opts.seed);
        hey_args_free(&a);
        return cli_fail(&err);
    }
    lg_options o = {.load = lg_opts.load,
                    .rate = lg_opts.rate,
                    .rate_file = lg_opts.rate_file,
                    .rate_steps = lg_opts.rate_steps,
                    .poisson = poisson,
                    .seed = seed,
                    .seed_set = lg_opts.seed != NULL,
                    .trace_path = lg_opts.trace,
                    .progress = isatty(STDERR_FILENO) ? stderr : NULL,
                    .csv_fd = STDOUT_FILENO,
                    .stop = &stop_flag,
                    .watch = &watch};
    lg_outcome out;
    fflush(stdout);
    int rc = lg_run(&a, &o, &out, &err);
    if (rc != 0 && out.stats.sent == 0) {
        lg_outcome_free(&out);
        hey_args_free(&a);
        return cli_fail(&err);
    }
    if (!(a.output && strcmp(a.output, "csv") == 0))
        lg_print_summary(stdout, &a, &out);
    fflush(stdout);
    fprintf(stderr,
            "loadgen: sent %llu = completed %llu + failed %llu + in flight at stop %lld%s\n",
            (unsigned long long)out.stats.sent, (unsigned long long)out.stats.completed,
            (unsigned long long)out.stats.failed, (long long)out.in_flight_at_stop,
            stop_flag ? " (interrupted)" : "");
    if (out.watch_failures)
        fprintf(stderr, "loadgen: %llu looks at the cluster failed; the first: %s\n",
                (unsigned long long)out.watch_failures, out.watch_error);
    if (out.dropped)
        fprintf(stderr, "loadgen: the trace lost %llu seconds (writer too slow)\n",
                (unsigned long long)out.dropped);
    lg_outcome_free(&out);
    hey_args_free(&a);
    if (rc != 0)
        return cli_fail(&err);
    return EXIT_OK;
}
