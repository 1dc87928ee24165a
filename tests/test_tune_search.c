/* test_tune_search.c: the sampled search of `scalesim tune` (sim/output/tune_search.h):
 * continuous parameters and their canonical text, the Sobol list (deterministic, mapped into
 * each parameter's values, integers whole), the refinement finding an optimum known by
 * construction within the step on a synthetic objective, and the scenario's "tune" block
 * (sim/scenario/tune_block.h) with its file:line:col errors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/output/tune_search.h"
#include "sim/scenario/tune_block.h"
#include "tests/support/cu.h"

static void test_continuous(void) {
    tune_param p;
    sim_error err;
    char text[256];
    CU_ASSERT_EQUAL_FATAL(tune_param_parse("a.b=1..20", &p, &err), 0);
    CU_ASSERT(p.continuous && p.integer && p.min == 1 && p.max == 20 && p.nvalues == 0);
    CU_ASSERT_EQUAL(tune_param_text(&p, text, sizeof text), 0);
    CU_ASSERT_STRING_EQUAL(text, "a.b=1..20");
    CU_ASSERT_DOUBLE_EQUAL(tune_param_at(&p, 0.5), 11, 1e-12); /* 10.5 rounds to 11 */
    CU_ASSERT_EQUAL(tune_grid_size(&p, 1, 100, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "use --search sobol"));
    tune_param_free(&p);
    CU_ASSERT_EQUAL_FATAL(tune_param_parse("t=0.0..1.0", &p, &err), 0);
    CU_ASSERT(p.continuous && !p.integer);
    CU_ASSERT_DOUBLE_EQUAL(tune_param_at(&p, 0.25), 0.25, 1e-12);
    CU_ASSERT_EQUAL(tune_param_text(&p, text, sizeof text), 0);
    CU_ASSERT_STRING_EQUAL(text, "t=0.0..1.0"); /* reads back as real */
    tune_param q;
    CU_ASSERT_EQUAL_FATAL(tune_param_parse(text, &q, &err), 0);
    CU_ASSERT(q.continuous && !q.integer && q.min == 0 && q.max == 1);
    tune_param_free(&q);
    tune_param_free(&p);
    CU_ASSERT_EQUAL_FATAL(tune_param_parse("x=0.1:0.5:0.1", &p, &err), 0);
    CU_ASSERT_EQUAL(tune_param_text(&p, text, sizeof text), 0);
    CU_ASSERT_EQUAL_FATAL(tune_param_parse(text, &q, &err), 0);
    CU_ASSERT_EQUAL(q.nvalues, 5);
    for (int i = 0; i < 5 && i < q.nvalues; i++)
        CU_ASSERT(q.values[i] == p.values[i]); /* exact round trip */
    CU_ASSERT_DOUBLE_EQUAL(tune_param_at(&p, 0.999), 0.5, 1e-9);
    tune_param_free(&q);
    tune_param_free(&p);
    CU_ASSERT_EQUAL(tune_param_parse("x=5..1", &p, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "needs MAX > MIN"));
    CU_ASSERT_EQUAL(tune_param_parse("x=1..y", &p, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not MIN..MAX numbers"));
}

static void test_settable(void) {
    cJSON *t = cJSON_Parse("{\"n\": 3, \"q\": \"500m\", \"m\": \"200Mi\", \"d\": \"1m30s\", "
                           "\"s\": \"svc\", \"a\": [1], \"b\": true}");
    CU_ASSERT(tune_settable(NULL));
    CU_ASSERT(tune_settable(cJSON_GetObjectItem(t, "n")));
    CU_ASSERT(tune_settable(cJSON_GetObjectItem(t, "q")));
    CU_ASSERT(tune_settable(cJSON_GetObjectItem(t, "m")));
    CU_ASSERT(tune_settable(cJSON_GetObjectItem(t, "d")));
    CU_ASSERT(!tune_settable(cJSON_GetObjectItem(t, "s")));
    CU_ASSERT(!tune_settable(cJSON_GetObjectItem(t, "a")));
    CU_ASSERT(!tune_settable(cJSON_GetObjectItem(t, "b")));
    cJSON_Delete(t);
}

static void test_sobol(void) {
    tune_param ps[3];
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(tune_param_parse("a=10:50:10", &ps[0], &err), 0);
    CU_ASSERT_EQUAL_FATAL(tune_param_parse("b=1..8", &ps[1], &err), 0);
    CU_ASSERT_EQUAL_FATAL(tune_param_parse("c=0.0..2.0", &ps[2], &err), 0);
    tune_points x = {0}, y = {0};
    CU_ASSERT_EQUAL_FATAL(tune_sobol(ps, 3, 200, &x, &err), 0);
    CU_ASSERT_EQUAL_FATAL(tune_sobol(ps, 3, 200, &y, &err), 0);
    CU_ASSERT(x.n > 100 && x.n <= 200); /* c is real: duplicates are rare */
    CU_ASSERT_EQUAL(x.n, y.n);
    CU_ASSERT(memcmp(x.v, y.v, (size_t)x.n * 3 * sizeof(double)) == 0);
    int seen_a[5] = {0}, seen_b[9] = {0};
    for (long i = 0; i < x.n; i++) {
        const double *v = x.v + i * 3;
        CU_ASSERT(v[0] == 10 || v[0] == 20 || v[0] == 30 || v[0] == 40 || v[0] == 50);
        CU_ASSERT(v[1] == floor(v[1]) && v[1] >= 1 && v[1] <= 8);
        CU_ASSERT(v[2] >= 0 && v[2] <= 2);
        CU_ASSERT_EQUAL(x.phase[i], TUNE_PHASE_SOBOL);
        if (v[0] == floor(v[0]) && v[0] >= 10 && v[0] <= 50)
            seen_a[(int)v[0] / 10 - 1] = 1;
        if (v[1] >= 1 && v[1] <= 8)
            seen_b[(int)v[1]] = 1;
        for (long j = 0; j < i; j++)
            CU_ASSERT(memcmp(v, x.v + j * 3, 3 * sizeof(double)) != 0); /* no duplicates */
    }
    for (int k = 0; k < 5; k++)
        CU_ASSERT(seen_a[k]); /* a low-discrepancy sequence covers every value */
    for (int k = 1; k <= 8; k++)
        CU_ASSERT(seen_b[k]);
    tune_points_free(&x);
    tune_points_free(&y);
    /* 2 values, 50 samples: only 2 distinct points */
    tune_param one;
    CU_ASSERT_EQUAL_FATAL(tune_param_parse("z=1,2", &one, &err), 0);
    CU_ASSERT_EQUAL_FATAL(tune_sobol(&one, 1, 50, &x, &err), 0);
    CU_ASSERT_EQUAL(x.n, 2);
    tune_points_free(&x);
    tune_param_free(&one);
    for (int k = 0; k < 3; k++)
        tune_param_free(&ps[k]);
}

/* A synthetic objective known by construction: cost = x + y, feasible when x >= 37.3 and
 * y >= 12; so the optimum is x = 37.3 (continuous, found within the smallest step),
 * y = 12 (an integer). */
typedef struct synth {
    tune_points *pts;
    long evaluated;
} synth;

static int synth_eval(void *ctx, tune_outcome *outs, long first, long end, sim_error *err) {
    synth *s = ctx;
    (void)err;
    for (long i = first; i < end; i++) {
        const double *v = s->pts->v + i * 2;
        memset(&outs[i], 0, sizeof outs[i]);
        outs[i].config = i;
        outs[i].valid = 1;
        outs[i].feasible = v[0] >= 37.3 && v[1] >= 12;
        outs[i].cost = v[0] + v[1];
        outs[i].p95_ms = 100 - v[0];
        s->evaluated++;
    }
    return 0;
}

static void test_refine(void) {
    tune_param ps[2];
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(tune_param_parse("x=0.0..100.0", &ps[0], &err), 0);
    CU_ASSERT_EQUAL_FATAL(tune_param_parse("y=1..50", &ps[1], &err), 0);
    for (int pass = 0; pass < 2; pass++) {
        tune_points pts = {0};
        CU_ASSERT_EQUAL_FATAL(tune_sobol(ps, 2, 16, &pts, &err), 0);
        long nsamples = pts.n;
        tune_outcome *outs = calloc((size_t)pts.cap, sizeof *outs);
        synth s = {&pts, 0};
        synth_eval(&s, outs, 0, pts.n, &err);
        int rounds = 0;
        CU_ASSERT_EQUAL_FATAL(
            tune_refine(ps, 2, 16, 100, &pts, &outs, synth_eval, &s, &rounds, &err), 0);
        CU_ASSERT(rounds > 0 && rounds < 100); /* stopped because no step could shrink */
        CU_ASSERT_EQUAL(s.evaluated, pts.n);   /* nothing evaluated twice */
        long best = 0;
        for (long i = 1; i < pts.n; i++)
            if (tune_outcome_cmp(&outs[i], &outs[best]) < 0)
                best = i;
        const double *v = pts.v + best * 2;
        CU_ASSERT(outs[best].feasible);
        CU_ASSERT(best >= nsamples && pts.phase[best] == TUNE_PHASE_REFINE);
        CU_ASSERT(v[0] >= 37.3 && v[0] <= 37.3 + 0.1 + 1e-9); /* within the smallest step */
        CU_ASSERT_EQUAL(v[1], 12);
        if (pass == 0)
            fprintf(stderr, "(refined to x=%.4f y=%g in %d rounds, %ld points) ", v[0], v[1],
                    rounds, pts.n);
        free(outs);
        tune_points_free(&pts);
    }
    /* no feasible sample: nothing to refine */
    tune_points pts = {0};
    CU_ASSERT_EQUAL_FATAL(tune_sobol(ps, 2, 4, &pts, &err), 0);
    tune_outcome *outs = calloc((size_t)pts.cap, sizeof *outs);
    int rounds = 7;
    long n = pts.n;
    CU_ASSERT_EQUAL(tune_refine(ps, 2, 4, 10, &pts, &outs, synth_eval, NULL, &rounds, &err), 0);
    CU_ASSERT_EQUAL(rounds, 0);
    CU_ASSERT_EQUAL(pts.n, n);
    free(outs);
    tune_points_free(&pts);
    tune_param_free(&ps[0]);
    tune_param_free(&ps[1]);
}

static const char *scen_head = "{\"service\": {\"replicas\": 2},\n \"hpa\": {\"spec\": "
                               "{\"minReplicas\": 1, \"metrics\": [{\"x\": 1}]}},\n";

static int block(const char *tune_json, tune_block *b, sim_error *err) {
    char text[4096];
    snprintf(text, sizeof text, "%s \"tune\": %s}", scen_head, tune_json);
    return tune_block_read(text, strlen(text), "s.json", b, err);
}

static void expect_error(const char *tune_json, const char *want) {
    tune_block b;
    sim_error err;
    int rc = block(tune_json, &b, &err);
    CU_ASSERT_EQUAL(rc, -1);
    if (rc == -1 && strstr(err.msg, want) == NULL)
        fprintf(stderr, "\n  got:  %s\n  want: %s\n", err.msg, want);
    if (rc == -1)
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
    if (rc == 0)
        tune_block_free(&b);
}

static void test_block(void) {
    tune_block b;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(
        block("{\"params\": [{\"path\": \"hpa.spec.minReplicas\", \"values\": [1, 2, 3]},\n"
              "{\"path\": \"service.replicas\", \"from\": 1, \"to\": 5, \"step\": 2},\n"
              "{\"path\": \"hpa.spec.tolerance\", \"min\": 0, \"max\": 1, \"integer\": false},\n"
              "{\"path\": \"hpa.spec.metrics[0].x\", \"min\": 1, \"max\": 90}],\n"
              "\"search\": \"sobol\", \"samples\": 32, \"refine\": {\"rounds\": 5}, \"reps\": 3,"
              " \"objective\": \"pod_hours\"}",
              &b, &err),
        0);
    CU_ASSERT(b.present && b.nparams == 4 && b.search == 1 && b.samples == 32 &&
              b.refine_rounds == 5 && b.reps == 3 && b.objective == 1);
    CU_ASSERT(b.params[0].nvalues == 3 && b.params[0].values[2] == 3);
    CU_ASSERT(b.params[1].nvalues == 3 && b.params[1].values[2] == 5);
    CU_ASSERT(b.params[2].continuous && !b.params[2].integer && b.params[2].max == 1);
    CU_ASSERT(b.params[3].continuous && b.params[3].integer);
    CU_ASSERT_STRING_EQUAL(b.params[3].path, "hpa.spec.metrics[0].x");
    tune_block_free(&b);
    CU_ASSERT_EQUAL(block("{\"params\": [{\"path\": \"service.replicas\", \"values\": [1]}], "
                          "\"refine\": false}",
                          &b, &err),
                    0);
    CU_ASSERT(b.search == -1 && b.samples == 0 && b.refine_rounds == 0 && b.reps == 0);
    tune_block_free(&b);
    /* no block */
    const char *plain = "{\"service\": {}}";
    CU_ASSERT_EQUAL(tune_block_read(plain, strlen(plain), "s.json", &b, &err), 0);
    CU_ASSERT_EQUAL(b.present, 0);

    expect_error("{\"params\": [{\"path\": \"service.replicas\", \"values\": [1]}], \"serch\": 1}",
                 "s.json:3:68: tune.serch: unknown key (did you mean \"search\"?)");
    expect_error("{\"params\": [{\"path\": \"service.nope.x\", \"values\": [1]}]}",
                 "s.json:3:31: tune.params[0].path: service.nope.x: the scenario has no "
                 "service.nope");
    expect_error("{\"params\": [{\"path\": \"hpa.spec.metrics\", \"values\": [1]}]}",
                 "tune.params[0].path: hpa.spec.metrics holds an array in the scenario, not a "
                 "number");
    expect_error("{\"params\": [{\"path\": \"service.replicas\", \"values\": [1], \"min\": 1}]}",
                 "tune.params[0]: give exactly one of");
    expect_error("{\"params\": [{\"path\": \"service.replicas\", \"from\": 1, \"to\": 3}]}",
                 "tune.params[0].step: missing");
    expect_error("{\"params\": [{\"path\": \"service.replicas\", \"min\": 3, \"max\": 3}]}",
                 "tune.params[0].max:");
    expect_error("{\"params\": [{\"path\": \"service.replicas\", \"values\": [1, \"2\"]}]}",
                 "tune.params[0].values[1]:");
    expect_error("{\"params\": [{\"path\": \"service.replicas\", \"min\": 1, \"max\": 9}], "
                 "\"search\": \"grid\"}",
                 "tune.search: a grid cannot hold a continuous (min/max) parameter");
    expect_error("{\"params\": [{\"path\": \"service.replicas\", \"values\": [1]}, "
                 "{\"path\": \"service.replicas\", \"values\": [2]}]}",
                 "tune.params[1].path: service.replicas is already params[0]");
    expect_error("{\"params\": [{\"path\": \"service.replicas\", \"from\": 0, \"to\": 1e9, "
                 "\"step\": 1}]}",
                 "tune.params[0]: from 0 to 1e+09 by 1 gives more than 100000 values");
    expect_error("{\"params\": [{\"path\": \"service.replicas\", \"min\": 0.2, \"max\": 0.7, "
                 "\"integer\": true}]}",
                 "no whole number lies between min and max");
    expect_error("{\"params\": []}", "tune.params: expected an array of 1 to 16 parameters");
    expect_error("{\"search\": \"sobol\"}", "tune.params: missing");
    expect_error("{\"params\": [{\"path\": \"service.replicas\", \"values\": [1]}], "
                 "\"objective\": \"price\"}",
                 "tune.objective:");
    expect_error("{\"params\": [{\"path\": \"service.replicas\", \"values\": [1]}], "
                 "\"refine\": {\"round\": 2}}",
                 "tune.refine.round: unknown key (did you mean \"rounds\"?)");
    expect_error("{\"params\": [{\"path\": \"a=b\", \"values\": [1]}]}",
                 "tune.params[0].path: expected a path like");
}

int main(void) {
    static const cu_test tests[] = {
        {"continuous", test_continuous}, {"settable", test_settable}, {"sobol", test_sobol},
        {"refine", test_refine},         {"block", test_block},       {NULL, NULL},
    };
    cu_add_suite("tune_search", tests);
    return cu_run_all();
}
