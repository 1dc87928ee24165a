/* lg_run.h: one load run from a hey command line plus the loadgen's own options.
 *
 * lg_run starts -cpus event loops (lg_engine.h; 1 when -cpus is not given), splits the
 * workers (and hey's n/c quota, or the open-loop rate) among them, writes the per-second trace
 * (with the watcher's samples, lg_watch.h) and a live progress line while they run, and returns the
 * merged figures. lg_print_summary prints them in hey's format (common/hey_report.h); with -o csv
 * the per-request rows went to csv_fd during the run and no summary is printed, as hey does. */
#ifndef SCALESIM_LOADGEN_LG_RUN_H
#define SCALESIM_LOADGEN_LG_RUN_H

#include <signal.h>
#include <stdio.h>

#include "common/error.h"
#include "common/hey_args.h"
#include "loadgen/lg_stats.h"
#include "loadgen/lg_target.h"
#include "loadgen/lg_watch.h"

typedef struct lg_options {
    const char *load;       /* --load FILE or JSON: open loop, scenario load phases */
    const char *rate;       /* --rate R or FROM:TO: open loop */
    const char *rate_file;  /* --rate-file F: open loop from a t_s,rps CSV */
    const char *rate_steps; /* --rate-steps T=R,...: open loop, held steps */
    int poisson;            /* --arrivals poisson */
    uint64_t seed;          /* --seed: of the phases' Poisson streams (lg_arrivals.h) */
    int seed_set;           /* --seed given; else --load of a scenario uses the file's seed */
    const char *trace_path; /* --trace F */
    FILE *progress;         /* live progress line (a terminal), or NULL */
    int csv_fd;             /* where -o csv rows go */
    volatile sig_atomic_t *stop;
    const lg_watch_cfg *watch; /* --watch-hpa, --prometheus; NULL: none (t0_ns is set here) */
} lg_options;

typedef struct lg_outcome {
    lg_target target;
    lg_stats stats;
    int64_t in_flight_at_stop;
    int64_t total_us;
    int64_t seconds;  /* trace rows written */
    uint64_t dropped; /* seconds the trace writer lost (should be 0) */
    uint64_t watch_failures;
    char watch_error[SIM_ERROR_MAX]; /* the first failed look */
} lg_outcome;

int lg_run(const hey_args *a, const lg_options *o, lg_outcome *out, sim_error *err);
void lg_print_summary(FILE *f, const hey_args *a, const lg_outcome *out);
void lg_outcome_free(lg_outcome *out);

#endif
