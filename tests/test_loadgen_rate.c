/* test_loadgen_rate.c: loadgen's open loop runs the simulator's load descriptions with the
 * simulator's own code. The rate of diurnal and linear-trace phases against hand-computed
 * values; loadgen's arrival instants (lg_arrivals, one loop) binned per second against the
 * offered column of `scalesim run`'s timeline.csv for the same scenario, second by second,
 * for uniform and Poisson arrivals; --load read by the scenario loader, with its messages; the
 * --rate flags as the phases they stand for. */
#include "cu.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loadgen/lg_arrivals.h"
#include "loadgen/lg_pace.h"
#include "sim/model/rate.h"
#include "sim/output/sim_run.h"
#include "sim/scenario/scenario.h"

#define SECONDS 120

static const char *trace_csv(void) {
    /* a linear trace with a rise, a fall to 0, a silence and a restart */
    return cu_write_temp(".csv", "t_s,rps\n0,5\n20,80\n50,80\n70,0\n80,0\n90,40\n");
}

/* The scenario text of one phase over SECONDS. */
static void scenario_text(char *buf, size_t size, const char *phase) {
    snprintf(buf, size, "{\"duration\": \"%ds\", \"seed\": 11, \"load\": [%s]}", SECONDS, phase);
}

/* Per-second offered counts of `scalesim run` (timeline.csv's second column). */
static void sim_counts(const scenario_cfg *cfg, long *counts) {
    char dir[256];
    snprintf(dir, sizeof dir, "%s.d", cu_write_temp(".out", ""));
    sim_run_options opt = {.out_dir = dir};
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(sim_run(cfg, &opt, &err), 0);
    char path[300], row[512];
    snprintf(path, sizeof path, "%s/timeline.csv", dir);
    FILE *f = fopen(path, "r");
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT_PTR_NOT_NULL(fgets(row, sizeof row, f));
    long t, n;
    while (fgets(row, sizeof row, f))
        if (sscanf(row, "%ld,%ld", &t, &n) == 2 && t >= 0 && t < SECONDS)
            counts[t] = n;
    fclose(f);
}

/* The same phase through loadgen: scenario read as --load reads it, arrivals of loop 0. */
static void loadgen_counts(const char *text, long *counts) {
    scenario_cfg cfg;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(scenario_open_loads_text(text, strlen(text), "t", "", &cfg, &err), 0);
    lg_arrivals a;
    CU_ASSERT_EQUAL_FATAL(
        lg_arrivals_init(&a, cfg.loads, cfg.n_loads, cfg.duration_us, 1.0, cfg.seed, 0, &err), 0);
    for (int64_t t; (t = lg_arrivals_next(&a)) != INT64_MAX;) {
        CU_ASSERT_FATAL(t >= 0 && t < (int64_t)SECONDS * 1000000000);
        counts[t / 1000000000]++;
    }
    lg_arrivals_free(&a);
    scenario_cfg_free(&cfg);
}

static void same_counts(const char *phase) {
    char text[1024];
    scenario_text(text, sizeof text, phase);
    scenario_cfg cfg;
    sim_error err;
    int rc = scenario_load_text(text, strlen(text), "t", "", &cfg, &err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    long sim[SECONDS] = {0}, lg[SECONDS] = {0}, total = 0;
    sim_counts(&cfg, sim);
    loadgen_counts(text, lg);
    int differ = 0;
    for (int s = 0; s < SECONDS; s++) {
        total += lg[s];
        if (sim[s] != lg[s] && differ++ < 3)
            fprintf(stderr, "%s: second %d: simulator %ld, loadgen %ld\n", phase, s, sim[s], lg[s]);
    }
    CU_ASSERT_EQUAL(differ, 0);
    CU_ASSERT(total > 1000); /* the phase did send */
    scenario_cfg_free(&cfg);
}

static void test_same_arrivals_diurnal(void) {
    same_counts("{\"type\": \"uniform\", \"diurnal\": {\"min\": 5, \"max\": 60, \"period\": "
                "\"100s\", \"peak_at\": \"30s\"}}");
    same_counts("{\"type\": \"poisson\", \"diurnal\": {\"min\": 0, \"max\": 40, \"period\": "
                "\"90s\"}, \"start\": \"7s\"}");
}

static void test_same_arrivals_trace(void) {
    char phase[512];
    snprintf(phase, sizeof phase,
             "{\"type\": \"uniform\", \"trace\": {\"file\": \"%s\", \"interpolation\": "
             "\"linear\"}}",
             trace_csv());
    same_counts(phase);
    snprintf(phase, sizeof phase,
             "{\"name\": \"p\", \"type\": \"poisson\", \"trace\": {\"file\": \"%s\", \"scale\": "
             "1.5}, \"end\": \"100s\"}",
             trace_csv());
    same_counts(phase);
}

/* rate_at against the formulas of docs/scenario.md, computed here by hand. */
static void test_rate_values(void) {
    char text[512];
    snprintf(text, sizeof text,
             "[{\"type\": \"uniform\", \"diurnal\": {\"min\": 10, \"max\": 50, \"period\": "
             "\"1m\", \"peak_at\": \"15s\"}}, {\"type\": \"uniform\", \"trace\": {\"file\": "
             "\"%s\"}}, {\"type\": \"uniform\", \"trace\": {\"file\": \"%s\", "
             "\"interpolation\": \"step\"}}]",
             trace_csv(), trace_csv());
    scenario_cfg cfg;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(lg_pace_read_load(text, &cfg, &err), 0);
    CU_ASSERT_EQUAL_FATAL(cfg.n_loads, 3);
    const load_cfg *d = &cfg.loads[0], *lin = &cfg.loads[1], *step = &cfg.loads[2];
    CU_ASSERT_DOUBLE_EQUAL(rate_at(d, 0, 15000000), 50, 1e-9);     /* peak */
    CU_ASSERT_DOUBLE_EQUAL(rate_at(d, 0, 45000000), 10, 1e-9);     /* half a period away */
    CU_ASSERT_DOUBLE_EQUAL(rate_at(d, 0, 30000000), 30, 1e-9);     /* a quarter: the middle */
    CU_ASSERT_DOUBLE_EQUAL(rate_at(d, 0, 75000000), 50, 1e-9);     /* periodic */
    CU_ASSERT_DOUBLE_EQUAL(rate_at(d, 0, 5000000), 40, 1e-9);      /* 30 + 20 cos(pi/3) */
    CU_ASSERT_DOUBLE_EQUAL(rate_at(lin, 0, 10000000), 42.5, 1e-9); /* 5 + 75 * 10/20 */
    CU_ASSERT_DOUBLE_EQUAL(rate_at(lin, 0, 60000000), 40, 1e-9);   /* 80 -> 0 over 50..70 s */
    CU_ASSERT_DOUBLE_EQUAL(rate_at(lin, 0, 85000000), 20, 1e-9);   /* 0 -> 40 over 80..90 s */
    CU_ASSERT_DOUBLE_EQUAL(rate_at(lin, 0, 500000000), 40, 1e-9);  /* the last holds */
    CU_ASSERT_DOUBLE_EQUAL(rate_at(step, 0, 10000000), 5, 1e-9);   /* held */
    CU_ASSERT_DOUBLE_EQUAL(rate_at(step, 0, 60000000), 80, 1e-9);
    scenario_cfg_free(&cfg);
}

/* --load: inline JSON and files go through the scenario loader, with its positions. */
static void test_load_errors(void) {
    scenario_cfg cfg;
    sim_error err;
    CU_ASSERT_EQUAL(
        lg_pace_read_load("{\"type\": \"poisson\", \"diurnal\": {\"min\": 9, \"max\": 3}}", &cfg,
                          &err),
        -1);
    CU_ASSERT_STRING_EQUAL(err.msg,
                           "loadgen: --load:1:50: load[0].diurnal.max: must be at least min (9), "
                           "got 3");
    CU_ASSERT_EQUAL(lg_pace_read_load("[{\"type\": \"uniform\", \"rate\": 5},\n {\"hey\": \"hey "
                                      "-z 1s http://h/\"}]",
                                      &cfg, &err),
                    -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--load:2:2: load[1]: a closed loop"));
    CU_ASSERT_EQUAL(lg_pace_read_load("{\"type\": \"uniform\", \"rat\": 5}", &cfg, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--load:1:21: load[0].rat: unknown key"));
    CU_ASSERT_EQUAL(lg_pace_read_load("[1, 2", &cfg, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--load:1:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "invalid JSON"));
    /* a scenario file: read whole; its seed and duration come with it */
    const char *f = cu_write_temp(".json", "{\"seed\": 5, \"duration\": \"30s\",\n \"load\": "
                                           "[{\"type\": \"uniform\", \"rate\": 3}]}");
    CU_ASSERT_EQUAL_FATAL(lg_pace_read_load(f, &cfg, &err), 0);
    CU_ASSERT_EQUAL(cfg.seed, 5);
    CU_ASSERT_EQUAL(cfg.duration_us, 30000000);
    scenario_cfg_free(&cfg);
    f = cu_write_temp(".json", "{\"duration\": \"30s\",\n \"load\": [{\"type\": \"closed\", \"c\": "
                               "2, \"z\": \"5s\"}]}");
    CU_ASSERT_EQUAL(lg_pace_read_load(f, &cfg, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":2:11: load[0]: a closed loop"));
    f = cu_write_temp(".json", "{\"duration\": \"3x\", \"load\": []}");
    CU_ASSERT_EQUAL(lg_pace_read_load(f, &cfg, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":1:14: duration:"));
    CU_ASSERT_EQUAL(lg_pace_read_load(" ", &cfg, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "loadgen: --load: expected a scenario file or JSON, got \" \"");
    CU_ASSERT_EQUAL(lg_pace_read_load("/nonexistent/s.json", &cfg, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot open"));
    /* phases alone: the run lasts until the latest end when every phase ends */
    CU_ASSERT_EQUAL_FATAL(lg_pace_read_load(" [{\"type\": \"uniform\", \"rate\": 3, \"end\": "
                                            "\"9s\"}, {\"type\": \"poisson\", \"rate\": 1, "
                                            "\"start\": 2, \"end\": 4}]",
                                            &cfg, &err),
                          0);
    CU_ASSERT_EQUAL(cfg.duration_us, 9000000);
    scenario_cfg_free(&cfg);
}

/* The flags as phases: --rate-steps, --rate FROM:TO, --rate-file. */
static void test_flags_as_phases(void) {
    scenario_cfg s;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(lg_pace_load(NULL, "0=20,5m=200,7m=20", NULL, 1, 0, &s, &err), 0);
    const load_cfg *l = &s.loads[0];
    CU_ASSERT_EQUAL(l->shape, RATE_STEP);
    CU_ASSERT_EQUAL(l->arrivals, ARRIVALS_POISSON);
    CU_ASSERT_EQUAL(l->n_points, 3);
    CU_ASSERT_EQUAL(l->points[1].t_us, 300000000);
    CU_ASSERT_DOUBLE_EQUAL(rate_at(l, 0, 299999999), 20, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(rate_at(l, 0, 400000000), 200, 1e-9);
    /* Poisson at 200/s from 5 m for 100 s: 20,000 arrivals expected (sd about 141) */
    lg_arrivals a, b;
    CU_ASSERT_EQUAL_FATAL(lg_arrivals_init(&a, s.loads, 1, 400000000, 1.0, 7, 0, &err), 0);
    CU_ASSERT_EQUAL_FATAL(lg_arrivals_init(&b, s.loads, 1, 400000000, 1.0, 7, 0, &err), 0);
    long n = 0, same = 1;
    for (int64_t t; (t = lg_arrivals_next(&a)) != INT64_MAX;) {
        same &= t == lg_arrivals_next(&b); /* one seed, one stream */
        n += t >= INT64_C(300000000000);
    }
    CU_ASSERT(n > 19500 && n < 20500);
    CU_ASSERT(same);
    lg_arrivals_free(&a);
    lg_arrivals_free(&b);
    scenario_cfg_free(&s);
    CU_ASSERT_EQUAL(lg_pace_load(NULL, "0=20,0=30", NULL, 0, 0, &s, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "times must increase"));
    CU_ASSERT_EQUAL(lg_pace_load(NULL, "0:20", NULL, 0, 0, &s, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "expected TIME=RATE"));
    CU_ASSERT_EQUAL(lg_pace_load(NULL, "5x=20", NULL, 0, 0, &s, &err), -1);
    CU_ASSERT_EQUAL(lg_pace_load(NULL, "1s=-3", NULL, 0, 0, &s, &err), -1);

    /* --rate 200: 1/200 s apart, the first at 5 ms (the simulator's uniform arrivals) */
    CU_ASSERT_EQUAL_FATAL(lg_pace_load("200", NULL, NULL, 0, 0, &s, &err), 0);
    CU_ASSERT_EQUAL_FATAL(lg_arrivals_init(&a, s.loads, 1, 0, 1.0, 1, 0, &err), 0);
    CU_ASSERT_EQUAL(lg_arrivals_next(&a), 5000000);
    CU_ASSERT_EQUAL(lg_arrivals_next(&a), 10000000);
    lg_arrivals_free(&a);
    CU_ASSERT_EQUAL_FATAL(lg_arrivals_init(&a, s.loads, 1, 0, 0.5, 1, 1, &err), 0);
    CU_ASSERT_EQUAL(lg_arrivals_next(&a), 10000000); /* half the rate in each of 2 loops */
    lg_arrivals_free(&a);
    scenario_cfg_free(&s);
    /* ramp 0 -> 100/s over 10 s: rate 10 t, count 5 t^2: the first arrival at sqrt(0.2) s */
    CU_ASSERT_EQUAL_FATAL(lg_pace_load("0:100", NULL, NULL, 0, 10000000, &s, &err), 0);
    CU_ASSERT_DOUBLE_EQUAL(rate_at(s.loads, 10000000, 5000000), 50, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(rate_at(s.loads, 10000000, 20000000), 100, 1e-9);
    CU_ASSERT_EQUAL_FATAL(lg_arrivals_init(&a, s.loads, 1, 10000000, 1.0, 1, 0, &err), 0);
    int64_t t = lg_arrivals_next(&a);
    CU_ASSERT(t >= 447213000 && t <= 447215000);
    n = 1;
    while (lg_arrivals_next(&a) != INT64_MAX)
        n++;
    CU_ASSERT(n >= 499 && n <= 500); /* 5 x 10^2 over the 10 s */
    lg_arrivals_free(&a);
    scenario_cfg_free(&s);
    CU_ASSERT_EQUAL(lg_pace_load("0:100", NULL, NULL, 0, 0, &s, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "a ramp needs -z"));
    CU_ASSERT_EQUAL(lg_pace_load("x", NULL, NULL, 0, 0, &s, &err), -1);
    CU_ASSERT_EQUAL(lg_pace_load("-5", NULL, NULL, 0, 0, &s, &err), -1);
    CU_ASSERT_EQUAL(lg_pace_load("0", NULL, NULL, 0, 0, &s, &err), -1);

    /* --rate-file: the scenario's trace reader, rates held */
    const char *f = cu_write_temp(".csv", "rps,t_s,note\n10,0,a\n0,1,b\n40,3,c\n");
    CU_ASSERT_EQUAL_FATAL(lg_pace_load(NULL, NULL, f, 0, 0, &s, &err), 0);
    CU_ASSERT_EQUAL(s.loads[0].n_points, 3);
    CU_ASSERT_DOUBLE_EQUAL(rate_at(s.loads, 0, 500000), 10, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(rate_at(s.loads, 0, 2000000), 0, 1e-9); /* held, not ramped */
    CU_ASSERT_EQUAL_FATAL(lg_arrivals_init(&a, s.loads, 1, 0, 1.0, 1, 0, &err), 0);
    while ((t = lg_arrivals_next(&a)) < 1500000000)
        ;
    CU_ASSERT(t >= 3024999000 && t <= 3025001000); /* the silence skipped */
    lg_arrivals_free(&a);
    scenario_cfg_free(&s);
    f = cu_write_temp(".csv", "t_s,rps\n0,10\n0,20\n");
    CU_ASSERT_EQUAL(lg_pace_load(NULL, NULL, f, 0, 0, &s, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "loadgen: --rate-file: "));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":3: t_s 0 is not after the previous row's 0"));
    f = cu_write_temp(".csv", "time,rate\n0,10\n");
    CU_ASSERT_EQUAL(lg_pace_load(NULL, NULL, f, 0, 0, &s, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "t_s"));
    CU_ASSERT_EQUAL(lg_pace_load(NULL, NULL, "/nonexistent/x.csv", 0, 0, &s, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot read"));
}

static const cu_test tests[] = {
    {"diurnal: loadgen's arrivals are the simulator's", test_same_arrivals_diurnal},
    {"linear trace: loadgen's arrivals are the simulator's", test_same_arrivals_trace},
    {"rate values: diurnal, linear and step traces", test_rate_values},
    {"--load: the scenario loader's messages", test_load_errors},
    {"--rate, --rate-steps, --rate-file as phases", test_flags_as_phases},
    {NULL, NULL},
};

int main(void) {
    cu_add_suite("loadgen open loop", tests);
    return cu_run_all();
}
