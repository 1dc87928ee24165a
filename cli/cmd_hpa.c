/* cmd_hpa.c: `scalesim hpa`: run the HPA decision code (sim/control/hpa) on recorded states.
 *
 *   scalesim hpa --cases FILE   every case of a conformance file (a JSON array): one line
 *                               {"id": N, "got": {...}} per case, then "N passed, M failed"
 *   scalesim hpa CASE.json      one case (a JSON object), explained readably
 *
 * `got` carries the keys of the case's `expect` and is computed without reading it; the
 * comparison with `expect` happens afterwards. Exit 0 when every case with an `expect` passes,
 * 1 when one fails, 2 on bad input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/hpa_case.h"
#include "cli/hpa_json.h"

static const char *cases_file;

static const opt_spec hpa_options[] = {
    {"cases", 0, OPT_STRING, "FILE", "evaluate every case of a conformance case file", &cases_file},
    {0},
};

const cmd_spec cmd_hpa_spec = {
    "hpa",
    "scalesim hpa CASE.json | scalesim hpa --cases FILE",
    "evaluate the HPA decision code on one recorded state or a case file",
    "A case is one object of the conformance schema (tests/conformance/hpa-cases.json, see\n"
    "docs/hpa.md): a kind (controller, replica_calc, behavior_rate, ...), an input and\n"
    "optionally an expect. With --cases each case prints {\"id\": N, \"got\": {...}} (the keys\n"
    "of its expect) and the last line counts passes and failures; exit 1 if any failed.",
    hpa_options,
};

/* Evaluates one case; *passed is 1/0, or -1 when it has no expect. */
static int run_case(hjson_reader *r, const cJSON *c, FILE *explain, int *passed, char **got_out) {
    const cJSON *expect = NULL;
    *passed = -1;
    if (hjson_object(r, c, "", "expect", 0, &expect) < 0)
        return -1;
    char *got = NULL;
    if (hpa_case_eval(r, c, expect, &got, explain) < 0)
        return -1;
    if (expect != NULL) {
        sim_error perr;
        cJSON *g = hjson_parse("got", got, strlen(got), &perr);
        *passed = g != NULL && hjson_equal(g, expect);
        cJSON_Delete(g);
    }
    *got_out = got;
    return 0;
}

static int case_id(hjson_reader *r, const cJSON *c, long index, long *id) {
    int64_t v = index;
    int present = 0;
    r->case_id = -1;
    char path[64];
    PATHF(path, "[%ld]", index);
    if (!cJSON_IsObject(c))
        return hjson_fail(r, path, "expected a case object");
    if (hjson_int64(r, c, path, "id", 0, &v, &present) < 0)
        return -1;
    *id = (long)v;
    r->case_id = *id;
    return 0;
}

static int run_file(const char *path) {
    sim_error err;
    cJSON *root = hjson_load(path, &err);
    if (root == NULL)
        return cli_fail(&err);
    hjson_reader r = {path, -1, &err};
    if (!cJSON_IsArray(root)) {
        cJSON_Delete(root);
        hjson_fail(&r, "(top level)",
                   "expected an array of cases (for one case object, use "
                   "`scalesim hpa CASE.json`)");
        return cli_fail(&err);
    }
    long npass = 0, nfail = 0, index = 0;
    int rc = EXIT_OK;
    for (const cJSON *c = root->child; c; c = c->next, index++) {
        long id = 0;
        int passed;
        char *got = NULL;
        if (case_id(&r, c, index, &id) < 0 || run_case(&r, c, NULL, &passed, &got) < 0) {
            rc = cli_fail(&err);
            break;
        }
        printf("{\"id\": %ld, \"got\": %s}\n", id, got);
        free(got);
        npass += passed == 1;
        nfail += passed == 0;
    }
    cJSON_Delete(root);
    if (rc != EXIT_OK)
        return rc;
    printf("%ld passed, %ld failed\n", npass, nfail);
    fflush(stdout);
    return nfail > 0 ? EXIT_ASSERTION_FAILED : EXIT_OK;
}

static int run_single(const char *path) {
    sim_error err;
    cJSON *root = hjson_load(path, &err);
    if (root == NULL)
        return cli_fail(&err);
    hjson_reader r = {path, -1, &err};
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        hjson_fail(&r, "(top level)", "expected one case object (for a list, use --cases)");
        return cli_fail(&err);
    }
    long id = 0;
    int passed;
    char *got = NULL;
    const char *name = NULL, *kind = NULL;
    if (case_id(&r, root, 0, &id) < 0 || hjson_string(&r, root, "", "name", 0, &name) < 0 ||
        hjson_string(&r, root, "", "kind", 0, &kind) < 0) {
        cJSON_Delete(root);
        return cli_fail(&err);
    }
    printf("case %ld: %s (%s)\n", id, name ? name : "(unnamed)", kind ? kind : "?");
    if (run_case(&r, root, stdout, &passed, &got) < 0) {
        cJSON_Delete(root);
        return cli_fail(&err);
    }
    printf("got: %s\n", got);
    if (passed >= 0) {
        char *want = cJSON_PrintUnformatted(hjson_get(root, "expect"));
        printf("expect: %s\n%s\n", want ? want : "?", passed ? "PASS" : "FAIL");
        free(want);
    }
    free(got);
    cJSON_Delete(root);
    return passed == 0 ? EXIT_ASSERTION_FAILED : EXIT_OK;
}

int cmd_hpa_main(int argc, char **argv) {
    int npos = 0;
    int rc = cli_parse(&cmd_hpa_spec, argc, argv, &npos);
    if (rc >= 0)
        return rc;
    sim_error err;
    if (cases_file != NULL && npos > 0) {
        error_set(&err, "hpa: give either --cases FILE or one CASE.json, not both");
        return cli_fail(&err);
    }
    if (cases_file != NULL)
        return run_file(cases_file);
    if (npos != 1) {
        error_set(&err, "hpa: expected one CASE.json (or --cases FILE); see 'scalesim help hpa'");
        return cli_fail(&err);
    }
    return run_single(argv[1]);
}
