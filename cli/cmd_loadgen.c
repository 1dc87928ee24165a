/* cmd_loadgen.c: `scalesim loadgen [hey flags] [loadgen options] URL`: a hey-compatible load
 * generator (loadgen/lg_run.h). hey's flags are read with hey's own rules (common/hey_args.h);
 * the loadgen's own options are long ones ("--rate"), taken out of the command line first. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "loadgen/lg_run.h"

static struct {
    const char *rate, *rate_file, *trace;
    int help;
} lg_opts;

static const opt_spec loadgen_options[] = {
    {"rate", 0, OPT_STRING, "R",
     "open loop: R requests/s, or FROM:TO ramped over -z; latency counts from when each request "
     "was due",
     &lg_opts.rate},
    {"rate-file", 0, OPT_STRING, "CSV", "open loop: rates from a t_s,rps CSV (held per row)",
     &lg_opts.rate_file},
    {"trace", 0, OPT_STRING, "FILE",
     "write one CSV row per second (scalesim run reads it as a load trace)", &lg_opts.trace},
    {0},
};

const cmd_spec cmd_loadgen_spec = {
    "loadgen",
    "scalesim loadgen [hey flags] [--rate R] [--trace FILE] URL",
    "hey-compatible HTTP load generator with a per-second trace",
    "Sends load to URL the way hey does, with hey's flags and meanings (rakyll/hey 0.1.4):\n"
    "  -n N      requests in all [200] (each worker sends n/c)   -c C   workers [50]\n"
    "  -q QPS    rate limit per worker                           -z D   duration (10s, 2m)\n"
    "  -t S      timeout per request, seconds [20]               -m M   method [GET]\n"
    "  -H 'K: V' header (repeatable)  -T type  -A accept  -a user:pass  -d body  -D file\n"
    "  -host H   Host header   -x proxy   -disable-keepalive   -disable-compression\n"
    "  -cpus N   event loops (threads) [1]   -o csv   one row per response instead of the "
    "summary\n"
    "and prints hey's summary. Not supported: -h2 and https:// (refused with a message);\n"
    "-disable-redirects is the only behaviour (redirects are never followed).\n"
    "Ctrl-C stops at once and prints the summary of what ran. See docs/loadgen.md.",
    loadgen_options,
};

static volatile sig_atomic_t stop_flag;

static void on_sigint(int sig) {
    (void)sig;
    stop_flag = 1;
}

/* Takes the loadgen's own --options out of argv (in place); the rest is hey's. */
static int take_own_options(int *argc, char **argv, sim_error *err) {
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *w = argv[i];
        if (strcmp(w, "--help") == 0) {
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
    struct sigaction sa = {0};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    stop_flag = 0;
    lg_options o = {.rate = lg_opts.rate,
                    .rate_file = lg_opts.rate_file,
                    .trace_path = lg_opts.trace,
                    .progress = isatty(STDERR_FILENO) ? stderr : NULL,
                    .csv_fd = STDOUT_FILENO,
                    .stop = &stop_flag};
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
    if (out.dropped)
        fprintf(stderr, "loadgen: the trace lost %llu seconds (writer too slow)\n",
                (unsigned long long)out.dropped);
    lg_outcome_free(&out);
    hey_args_free(&a);
    if (rc != 0)
        return cli_fail(&err);
    return EXIT_OK;
}
