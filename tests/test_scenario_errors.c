/* test_scenario_errors.c: every validation error documented in docs/scenario.md, with its
 * exact message, "file:line:col: path: what was expected".
 *
 * To keep the JSON readable, tests write ` for " (the helper swaps them back). The expected
 * line:col is not written by hand: it is where a marker first occurs in the input ('^' in the
 * marker points inside it), counted here independently of the loader, so every test also
 * checks that the error points at the right place. */
#include "cu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/scenario/scenario.h"

static void check(const char *file, const char *base_dir, const char *json_bq, const char *marker,
                  const char *rest_bq) {
    char *json = cu_swap_quotes(json_bq);
    char *rest = cu_swap_quotes(rest_bq);
    int line, col;
    cu_marker_pos(json, marker, &line, &col);
    char want[2048];
    snprintf(want, sizeof want, "%s:%d:%d: %s", file, line, col, rest);
    scenario_cfg cfg;
    sim_error err;
    int rc = scenario_load_text(json, strlen(json), file, base_dir, &cfg, &err);
    CU_ASSERT_EQUAL(rc, -1);
    if (rc == 0) {
        printf("\n  accepted: %s\n", json);
        scenario_cfg_free(&cfg);
    } else {
        if (strcmp(err.msg, want) != 0)
            printf("\n  input: %s\n  got:  %s\n  want: %s\n", json, err.msg, want);
        CU_ASSERT_STRING_EQUAL(err.msg, want);
        CU_ASSERT_PTR_NULL(cfg.loads); /* nothing left behind */
        CU_ASSERT_PTR_NULL(cfg.name);
    }
    free(json);
    free(rest);
}

static void expect(const char *json, const char *marker, const char *rest) {
    check("s.json", NULL, json, marker, rest);
}

#define LOAD_OK  "`load`: [{`type`: `poisson`, `rate`: 1}]"
#define POD(x)   "{`duration`: 1, " LOAD_OK ", `service`: {`pod`: {" x "}}}"
#define PHASE(x) "{`duration`: 1, `load`: [" x "]}"

static void test_json_syntax(void) {
    expect("", NULL, "invalid JSON: empty file: expected a JSON object");
    expect("{`load`: [1,]}", ",]",
           "invalid JSON: trailing comma before ']' (JSON does not allow one)");
    expect("{`a`: 1,\n}", ",\n",
           "invalid JSON: trailing comma before '}' (JSON does not allow one)");
    expect("{`name`: `abc}", "`abc", "invalid JSON: unterminated string");
    expect("{`name`: `a\nb`}", "`a",
           "invalid JSON: unterminated string (a line break inside a "
           "string must be written \\n)");
    expect("{\n  // note\n  `load`: []}", "//",
           "invalid JSON: comments are not allowed in JSON "
           "(use a `comment` field)");
    expect("{'load': 1}", "'", "invalid JSON: strings must use double quotes");
    expect("{`a`: 'x'}", "'x", "invalid JSON: strings must use double quotes");
    expect("{`a` 1}", "1}", "invalid JSON: expected ':' after the key, got '1'");
    expect("{`a`: 1 `b`: 2}", "`b",
           "invalid JSON: expected ',' or '}' after the member, got '\"' (a missing comma?)");
    expect("[1 2]", "2", "invalid JSON: expected ',' or ']' after the item, got '2'");
    expect("{`a`: [1, 2}", "}", "invalid JSON: expected ',' or ']' after the item, got '}'");
    expect("{`a`: 1", "1^", "invalid JSON: unexpected end of file: missing '}'");
    expect("{`a`: 1} x", "x", "invalid JSON: unexpected text after the end of the JSON document");
    expect("{`a`: ", " ^", "invalid JSON: unexpected end of file: expected a value");
    expect("{`a`: tru}", "tru",
           "invalid JSON: invalid literal (expected true, false or null; "
           "strings need double quotes)");
    expect("{`a`: 012}", "012",
           "invalid JSON: invalid number: leading zeros are not allowed in JSON");
    expect("{`a`: 1.}", "1.", "invalid JSON: invalid number: expected a digit after '.'");
    expect("{`a`: -x}", "-x", "invalid JSON: invalid number: expected a digit after '-'");
    expect("{`a`: 1e}", "1e", "invalid JSON: invalid number: expected a digit in the exponent");
    expect("{`a`: 1000000000000000000000000000000000000000000000000000000000000000}", "1000",
           "invalid JSON: number too long (at most 63 characters)");
    expect("{`a`: `x\\qy`}", "\\q",
           "invalid JSON: invalid escape \\q in a string (JSON allows \\` "
           "\\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
    expect("{`a`: `\\u12`}", "\\u",
           "invalid JSON: \\u must be followed by four hexadecimal digits");
    expect("{`a`: `\\u0000`}", "\\u",
           "invalid JSON: \\u0000 (a NUL character) is not allowed in "
           "strings");
    expect("{`a`: `\\udc00`}", "\\u", "invalid JSON: unpaired UTF-16 surrogate \\uDC00");
    expect("{`a`: `\\ud800x`}", "\\u", "invalid JSON: unpaired UTF-16 surrogate \\uD800");
    expect("{`a`: `x\ty`}", "\ty",
           "invalid JSON: control character 0x09 in a string (write it as "
           "an escape such as \\t)");
    expect("{`a`: @}", "@",
           "invalid JSON: expected a value (object, array, string, number, true, "
           "false or null), got '@'");
    char deep[200] = "{`a`: ";
    for (int i = 0; i < 70; i++)
        strcat(deep, "[");
    char marker[100] = "`a`: ";
    for (int i = 0; i < 63; i++) /* the root object and 63 arrays make 64 levels */
        strcat(marker, "[");
    strcat(marker, "^[");
    expect(deep, marker, "invalid JSON: nesting deeper than 64 levels");
    /* Columns count characters, not bytes. */
    expect("{`comment`: `héllo wörld`, `x`: 1}", "`x`",
           "x: unknown key (expected one of: name, "
           "comment, seed, duration, service, load, hpa, controller, metrics, expect, "
           "cronhpa, cronhpa_controller, start, keda, tune)");
}

static void test_top_level(void) {
    expect(PHASE("{`type`: `poisson`, `rate`: 1e999}"), "1e999",
           "load[0].rate: number out of range");
    expect("{`duration`: `1ns`, " LOAD_OK "}", "`1ns`",
           "duration: invalid duration `1ns`: shorter than the 1us resolution (expected a number "
           "of seconds or a string like `250ms`, `30s`, `2m`, `1h30m`)");
    expect("{`duration`: `ms`, " LOAD_OK "}", "`ms`",
           "duration: invalid duration `ms`: expected a number (expected a number of seconds or a "
           "string like `250ms`, `30s`, `2m`, `1h30m`)");
    {
        /* More than 1000 phases. */
        size_t cap = 64 + 1001 * 40;
        char *many = malloc(cap);
        strcpy(many, "{`duration`: 1, `load`: [");
        for (int i = 0; i < 1001; i++)
            strcat(many, i ? ", {`type`: `poisson`, `rate`: 1}" : "{`type`: `poisson`, `rate`: 1}");
        strcat(many, "]}");
        expect(many, "[{", "load: more than 1000 load phases");
        free(many);
    }
    {
        /* A scenario file above 4 MiB. */
        size_t big = (4u << 20) + 1;
        char *text = malloc(big);
        memset(text, ' ', big);
        scenario_cfg cfg;
        sim_error err;
        CU_ASSERT_EQUAL(scenario_load_text(text, big, "s.json", NULL, &cfg, &err), -1);
        CU_ASSERT_STRING_EQUAL(err.msg, "s.json: file larger than 4 MiB");
        free(text);
    }
    expect("[]", NULL, "expected a JSON object at the top level, got an array");
    expect("{`sed`: 3, " LOAD_OK "}", "`sed`", "sed: unknown key (did you mean `seed`?)");
    expect("{`duration`: 1, `duration`: 2, " LOAD_OK "}", "`duration`: 2",
           "duration: duplicate key (first given at line 1, column 2)");
    expect("{`comment`: 5, " LOAD_OK "}", "5", "comment: expected a string, got the number 5");
    expect("{`name`: `my scenario`, " LOAD_OK "}", "`my",
           "name: expected a name of 1 to 63 "
           "letters, digits, '.', '_' or '-', got "
           "the string `my scenario`");
    expect("{`name`: ``, " LOAD_OK "}", "``",
           "name: expected a name of 1 to 63 letters, digits, "
           "'.', '_' or '-', got the string ``");
    expect("{`seed`: -1, " LOAD_OK "}", "-1", "seed: must be at least 0, got -1");
    expect("{`seed`: 1.5, " LOAD_OK "}", "1.5", "seed: expected an integer, got the number 1.5");
    expect("{`seed`: `12x`, " LOAD_OK "}", "`12x`",
           "seed: expected an integer from 0 to 18446744073709551615, got `12x`");
    expect("{`seed`: `99999999999999999999`, " LOAD_OK "}", "`999",
           "seed: expected an integer from 0 to 18446744073709551615, got `99999999999999999999`");
    expect("{`duration`: true, " LOAD_OK "}", "true",
           "duration: expected a duration (a number of seconds or a string such as `250ms`, "
           "`30s`, `2m`, `1h30m`), got true");
    expect("{`duration`: `1d`, " LOAD_OK "}", "`1d`",
           "duration: invalid duration `1d`: unknown unit (use ns, us, ms, s, m or h) (expected a "
           "number of seconds or a string like `250ms`, `30s`, `2m`, `1h30m`)");
    expect("{`duration`: `10`, " LOAD_OK "}", "`10`",
           "duration: invalid duration `10`: missing unit (expected a number of seconds or a "
           "string like `250ms`, `30s`, `2m`, `1h30m`)");
    expect("{`duration`: 0, " LOAD_OK "}", "0,", "duration: must be greater than 0s, got 0s");
    expect("{`duration`: `-5s`, " LOAD_OK "}", "`-5s`",
           "duration: must be greater than 0s, got -5s");
    expect("{`duration`: `9000h`, " LOAD_OK "}", "`9000h`",
           "duration: must be at most 8784h, got 9000h");
    expect("{`duration`: 1e300, " LOAD_OK "}", "1e300",
           "duration: invalid duration 1e+300 s: out of range");
    expect("{`duration`: 1}", NULL,
           "load: missing; a scenario needs at least one load phase, "
           "e.g. [{`hey`: `hey -z 2m -c 20 http://host/`}]");
    expect("{`duration`: 1, `load`: {}}", "{}",
           "load: expected an array of load phases, got an "
           "object");
    expect("{`duration`: 1, `load`: []}", "[]",
           "load: expected at least one load phase, got an "
           "empty array");
    expect("{`load`: [{`type`: `poisson`, `rate`: 1}]}", NULL,
           "duration: missing; it may be left out only when every load phase ends, and load[0] "
           "has no end (give it `end`)");
    expect("{`load`: [{`hey`: `hey http://h/`}]}", NULL,
           "duration: missing; it may be left out only when every load phase ends, and load[0] "
           "has no end (give it `end` or z / -z)");
}

static void test_service(void) {
    expect("{`duration`: 1, " LOAD_OK ", `service`: []}", "[]}",
           "service: expected an object, got an array");
    expect("{`duration`: 1, " LOAD_OK ", `service`: {`replica`: 2}}", "`replica`",
           "service.replica: unknown key (did you mean `replicas`?)");
    expect("{`duration`: 1, " LOAD_OK ", `service`: {`replicas`: -1}}", "-1",
           "service.replicas: must be at least 0, got -1");
    expect("{`duration`: 1, " LOAD_OK ", `service`: {`replicas`: 20000}}", "20000",
           "service.replicas: must be at most 10000, got 20000");
    expect("{`duration`: 1, " LOAD_OK ", `service`: {`replicas`: `2`}}", "`2`",
           "service.replicas: expected an integer, got the string `2`");
    expect("{`duration`: 1, " LOAD_OK ", `service`: {`name`: `a/b`}}", "`a/b`",
           "service.name: expected a name of 1 to 63 letters, digits, '.', '_' or '-', got the "
           "string `a/b`");
    expect("{`duration`: 1, " LOAD_OK ", `service`: {`balancer`: `round_robin`}}", "`round_",
           "service.balancer: expected one of `random`, `round-robin`, `least-requests`, "
           "`queue`, got `round_robin` (did you mean `round-robin`?)");
    expect("{`duration`: 1, " LOAD_OK ", `service`: {`balancer`: 3}}", "3}",
           "service.balancer: expected one of `random`, `round-robin`, `least-requests`, "
           "`queue`, got the number 3");
    expect("{`duration`: 1, " LOAD_OK ", `service`: {`balancer`: `queue`}}", "`queue`",
           "service.balancer: `queue` holds requests until a pod has room, so it needs "
           "service.pod.concurrency of at least 1");
    expect("{`duration`: 1, " LOAD_OK ", `service`: {`pod`: 1}}", "1}}",
           "service.pod: expected an object, got the number 1");
}

static void test_pod(void) {
    expect(POD("`cpu_requests`: 1"), "`cpu_requests`",
           "service.pod.cpu_requests: unknown key (did you mean `cpu_request`?)");
    expect(POD("`cpu_request`: `1 core`"), "`1 core`",
           "service.pod.cpu_request: invalid quantity `1 core` (expected a Kubernetes quantity "
           "such as `500m`, `2`, `200Mi` or `1Gi`)");
    expect(POD("`cpu_request`: 0"), "0}",
           "service.pod.cpu_request: must be greater than 0 (CPU "
           "utilization is usage / request)");
    expect(POD("`cpu_request`: `-1`"), "`-1`",
           "service.pod.cpu_request: must not be negative, "
           "got `-1`");
    expect(POD("`cpu_request`: -0.5"), "-0.5",
           "service.pod.cpu_request: must not be negative, "
           "got -0.5");
    expect(POD("`cpu_request`: 2e6"), "2e6",
           "service.pod.cpu_request: must be at most 1000000, "
           "got 2000000");
    expect(POD("`cpu_request`: [1]"), "[1]",
           "service.pod.cpu_request: expected a CPU quantity "
           "such as `500m` or `2`, or a number of cores, got an "
           "array");
    expect(POD("`cpu_request`: `2`, `cpu_limit`: `500m`"), "`500m`",
           "service.pod.cpu_limit: 500m is less than cpu_request 2 (Kubernetes requires limit >= "
           "request)");
    expect(POD("`cpu_limit`: 0"), "0}",
           "service.pod.cpu_limit: must be greater than 0 (leave "
           "cpu_limit out for no limit)");
    expect(POD("`cpu_limit`: 1, `cpu_idle`: `1500m`"), "`1500m`",
           "service.pod.cpu_idle: 1500m is more than cpu_limit 1 (an idle pod cannot use more "
           "than its limit)");
    expect(POD("`memory_request`: `200MB`"), "`200MB`",
           "service.pod.memory_request: invalid quantity `200MB` (expected a Kubernetes quantity "
           "such as `500m`, `2`, `200Mi` or `1Gi`)");
    expect(POD("`memory_base`: true"), "true",
           "service.pod.memory_base: expected a memory "
           "quantity such as `200Mi` or `1Gi`, or a number of "
           "bytes, got true");
    expect(POD("`memory_per_request`: -1"), "-1",
           "service.pod.memory_per_request: must not be "
           "negative, got -1");
    expect(POD("`memory_request`: `2Ei`"), "`2Ei`",
           "service.pod.memory_request: quantity `2Ei` "
           "is too large");
    expect(POD("`concurrency`: 1.5"), "1.5",
           "service.pod.concurrency: expected an integer, got "
           "the number 1.5");
    expect(POD("`concurrency`: 100001"), "100001",
           "service.pod.concurrency: must be at most "
           "100000, got 100001");
    expect(POD("`response_bytes`: null"), "null",
           "service.pod.response_bytes: expected a memory "
           "quantity such as `200Mi` or `1Gi`, or a number "
           "of bytes, got null");
    expect(POD("`startup`: `-1s`"), "`-1s`", "service.pod.startup: must not be negative, got -1s");
    expect(POD("`demand`: 0"), "0}", "service.pod.demand: must be greater than 0s, got 0s");
}

static void test_distributions(void) {
    expect(POD("`demand`: [1]"), "[1]",
           "service.pod.demand: expected a duration (`20ms`, 0.02) "
           "or a distribution such as {`dist`: `lognormal`, `mean`: "
           "`20ms`, `cv`: 0.5}, got an array");
    expect(POD("`demand`: {`mean`: `5ms`}"), "{`mean",
           "service.pod.demand.dist: missing; expected one of `constant`, `exponential`, "
           "`lognormal`, `gamma`, `uniform`, `empirical`");
    expect(POD("`demand`: {`dist`: `normal`, `mean`: `5ms`}"), "`normal`",
           "service.pod.demand.dist: expected one of `constant`, `exponential`, `lognormal`, "
           "`gamma`, `uniform`, `empirical`, got `normal`");
    expect(POD("`demand`: {`dist`: `exponential`, `mean`: `5ms`, `cv`: 1}"), "`cv`",
           "service.pod.demand.cv: not a parameter of `exponential` (it takes: mean)");
    expect(POD("`demand`: {`dist`: `gamma`, `mean`: `5ms`, `mena`: 1}"), "`mena`",
           "service.pod.demand.mena: unknown key (did you mean `mean`?)");
    expect(POD("`demand`: {`dist`: `gamma`, `mean`: `5ms`, `meam`: 1}"), "`meam`",
           "service.pod.demand.meam: unknown key (did you mean `mean`?)");
    expect(POD("`demand`: {`dist`: `lognormal`, `mean`: `5ms`}"), "{`dist",
           "service.pod.demand.cv: missing; this distribution needs its coefficient of variation "
           "(stddev / mean)");
    expect(POD("`demand`: {`dist`: `lognormal`, `cv`: 1}"), "{`dist",
           "service.pod.demand.mean: missing; this distribution needs its mean");
    expect(POD("`demand`: {`dist`: `lognormal`, `mean`: `5ms`, `cv`: 0}"), "0}",
           "service.pod.demand.cv: must be greater than 0, got 0");
    expect(POD("`demand`: {`dist`: `gamma`, `mean`: `5ms`, `cv`: 101}"), "101",
           "service.pod.demand.cv: must be at most 100, got 101");
    expect(POD("`demand`: {`dist`: `exponential`, `mean`: 0}"), "0}",
           "service.pod.demand.mean: must be greater than 0s, got 0s");
    expect(POD("`demand`: {`dist`: `exponential`}"), "{`dist",
           "service.pod.demand.mean: missing; an exponential needs its mean");
    expect(POD("`demand`: {`dist`: `constant`}"), "{`dist",
           "service.pod.demand.value: missing; a constant needs its value");
    expect(POD("`demand`: {`dist`: `constant`, `value`: 0}"), "0}",
           "service.pod.demand.value: must be greater than 0s, got 0s");
    expect(POD("`startup`: {`dist`: `uniform`, `min`: `10s`}"), "{`dist",
           "service.pod.startup.max: missing; a uniform distribution needs min and max");
    expect(POD("`startup`: {`dist`: `uniform`, `min`: `10s`, `max`: `5s`}"), "`5s`",
           "service.pod.startup.max: must be at least min (10s)");
    expect(POD("`startup`: {`dist`: `empirical`}"), "{`dist",
           "service.pod.startup.file: missing; an empirical distribution reads its samples from "
           "a CSV file");
    expect(POD("`startup`: {`dist`: `empirical`, `file`: ``}"), "``",
           "service.pod.startup.file: expected a file name, got ``");
    expect(POD("`startup`: {`dist`: `empirical`, `file`: `a.csv`, `unit`: `min`}"), "`min`",
           "service.pod.startup.unit: expected one of `s`, `ms`, `us`, got `min`");
    expect(POD("`startup`: {`dist`: `empirical`, `file`: `/nonexistent/a.csv`}"), "`/non",
           "service.pod.startup.file: cannot read `/nonexistent/a.csv`: No such file or "
           "directory");
}

static void test_phase(void) {
    expect(PHASE("5"), "5]", "load[0]: expected an object (a load phase), got the number 5");
    expect(PHASE("{`rate`: 5}"), "{`rate",
           "load[0].type: missing; expected `closed`, `poisson` "
           "or `uniform` (or a hey command line in `hey`)");
    expect(PHASE("{`type`: `open`, `rate`: 5}"), "`open`",
           "load[0].type: expected one of `closed`, `poisson`, `uniform`, got `open`");
    expect(PHASE("{`type`: `poison`, `rate`: 5}"), "`poison`",
           "load[0].type: expected one of `closed`, `poisson`, `uniform`, got `poison` (did you "
           "mean `poisson`?)");
    expect(PHASE("{`type`: `poisson`, `hey`: `hey http://h/`}"), "`hey`",
           "load[0].hey: a hey command line is a closed loop; it cannot have type `poisson`");
    expect(PHASE("{`type`: `poisson`, `rate`: 5, `c`: 3}"), "`c`",
           "load[0].c: not valid for an open-loop phase (type `poisson`); c, q, z and n belong "
           "to type `closed`");
    expect(PHASE("{`type`: `closed`, `rate`: 5}"), "`rate`",
           "load[0].rate: not valid for a closed loop (type `closed`); rate, ramp, step, diurnal "
           "and trace belong to the open-loop types `poisson` and `uniform`");
    expect(PHASE("{`hey`: `hey http://h/`, `c`: 20}"), "`c`",
           "load[0].c: not allowed with `hey`: the hey command line sets the load (give -c in "
           "it)");
    expect(PHASE("{`hey`: `hey http://h/`, `rate`: 20}"), "`rate`",
           "load[0].rate: not allowed with `hey`: a hey command line is a closed loop");
    expect(PHASE("{`hey`: `hey http://h/`, `stat`: 20}"), "`stat`",
           "load[0].stat: unknown key (did you mean `start`?)");
    expect(PHASE("{`type`: `poisson`, `rate`: 1, `name`: `a b`}"), "`a b`",
           "load[0].name: expected a name of 1 to 63 letters, digits, '.', '_' or '-', got the "
           "string `a b`");
    expect(PHASE("{`type`: `poisson`, `rate`: 1, `name`: `x`}, {`type`: `poisson`, `rate`: 2, "
                 "`name`: `x`}"),
           "`x`}]",
           "load[1].name: `x` is already the name of load[0] (each phase needs its own "
           "name: it names the phase's random stream)");
    expect(PHASE("{`type`: `poisson`, `rate`: 1, `start`: -1}"), "-1",
           "load[0].start: must not be negative, got -1s");
    expect(PHASE("{`type`: `poisson`, `rate`: 1, `start`: `2m`, `end`: `1m`}"), "`1m`",
           "load[0].end: must be after start (2m), got 1m");
    expect(PHASE("{`type`: `poisson`, `rate`: 1, `start`: `2m`, `end`: `2m`}"), "`2m`}",
           "load[0].end: must be after start (2m), got 2m");
}

static void test_closed(void) {
    expect(PHASE("{`type`: `closed`, `c`: 0}"), "0}", "load[0].c: must be at least 1, got 0");
    expect(PHASE("{`type`: `closed`, `c`: 2000000}"), "2000000",
           "load[0].c: must be at most 1000000, got 2000000");
    expect(PHASE("{`type`: `closed`, `q`: -1}"), "-1", "load[0].q: must be at least 0, got -1");
    expect(PHASE("{`type`: `closed`, `q`: 2000000}"), "2000000",
           "load[0].q: must be at most 1000000, got 2000000");
    expect(PHASE("{`type`: `closed`, `z`: 0}"), "0}", "load[0].z: must be greater than 0s, got 0s");
    expect(PHASE("{`type`: `closed`, `n`: 0}"), "0}", "load[0].n: must be at least 1, got 0");
    expect(PHASE("{`type`: `closed`, `t`: `-1s`}"), "`-1s`",
           "load[0].t: must not be negative, got -1s");
    expect(PHASE("{`type`: `closed`, `z`: `1m`, `n`: 100}"), "`n`",
           "load[0].n: hey ignores n when z is given; give one of them");
    expect(PHASE("{`type`: `closed`, `z`: `1m`, `end`: `5m`}"), "`end`",
           "load[0].end: give either z or end, not both");
    expect(PHASE("{`type`: `closed`, `c`: 20, `n`: 10}"), "10}",
           "load[0].n: 10 is less than c (20): hey gives each worker n/c requests, so n cannot "
           "be less than c");
    expect(PHASE("{`type`: `closed`, `c`: 300}"), "300",
           "load[0].c: 300 workers are more than hey's default n of 200 requests; give n, z or "
           "end");
}

static void test_hey(void) {
    expect(PHASE("{`hey`: 5}"), "5}", "load[0].hey: expected a string, got the number 5");
    /* The position points into the string, at the word at fault. */
    expect(PHASE("{`hey`: `hey -n 10 -c 20 http://h/`}"), "-n 10",
           "load[0].hey: -n cannot be less than -c.");
    /* Escapes inside the JSON string are counted at their written width. */
    expect(PHASE("{`hey`: `hey -H \\`A: b\\` -x`}"), "-x`",
           "load[0].hey: flag needs an argument: -x");
    expect(PHASE("{`hey`: `hey -c 2 -z 1m http://h/`, `end`: `5m`}"), "`end`",
           "load[0].end: give either -z in the hey command line or end, not both");
    expect(PHASE("{`hey`: `hey -c 2 http://h/ -z 1m`}"), "-z 1m",
           "load[0].hey: `-z` comes after the URL, where hey ignores it (Go's flag package stops "
           "at the first non-flag argument); move it before the URL");
    expect(PHASE("{`hey`: `hey -z 9000h http://h/`}"), "`hey -z",
           "load[0].hey: -z is longer than the longest scenario (8784h)");
    expect(PHASE("{`hey`: `hey -c 20`}"), "`}",
           "load[0].hey: missing URL: hey needs the URL "
           "after the flags (hey [options...] <url>)");
}

static void test_open(void) {
    expect(PHASE("{`type`: `poisson`}"), "{`type",
           "load[0].rate: missing; an open-loop phase "
           "needs one of rate, ramp, step, diurnal or "
           "trace");
    expect(PHASE("{`type`: `poisson`, `rate`: 1, `step`: [[0, 1]]}"), "`step`",
           "load[0].step: give only one of rate, ramp, step, diurnal and trace (rate is given "
           "too)");
    expect(PHASE("{`type`: `poisson`, `rate`: 0}"), "0}",
           "load[0].rate: must be greater than 0, "
           "got 0");
    expect(PHASE("{`type`: `poisson`, `rate`: 2e7}"), "2e7",
           "load[0].rate: must be at most "
           "10000000, got 20000000");
    expect(PHASE("{`type`: `poisson`, `rate`: `5`}"), "`5`",
           "load[0].rate: expected a number, "
           "got the string `5`");
    expect(PHASE("{`type`: `poisson`, `t`: `1x`, `rate`: 5}"), "`1x`",
           "load[0].t: invalid duration `1x`: unknown unit (use ns, us, ms, s, m or h) (expected "
           "a number of seconds or a string like `250ms`, `30s`, `2m`, `1h30m`)");
    expect(PHASE("{`type`: `poisson`, `ramp`: {`from`: 1}, `end`: 10}"), "{`from",
           "load[0].ramp.to: missing; a ramp needs both from and to (requests per second)");
    expect(PHASE("{`type`: `poisson`, `ramp`: {`to`: 1}, `end`: 10}"), "{`to",
           "load[0].ramp.from: missing; a ramp needs both from and to (requests per second)");
    expect(PHASE("{`type`: `poisson`, `ramp`: {`from`: 1, `to`: 5}}"), "{`type",
           "load[0].end: missing; a ramp needs an end: it goes from `from` at start to `to` at "
           "end");
    expect(PHASE("{`type`: `poisson`, `ramp`: {`fro`: 1, `to`: 5}, `end`: 10}"), "`fro`",
           "load[0].ramp.fro: unknown key (did you mean `from`?)");
    expect(PHASE("{`type`: `poisson`, `ramp`: {`from`: -1, `to`: 5}, `end`: 10}"), "-1",
           "load[0].ramp.from: must be at least 0, got -1");
    expect(PHASE("{`type`: `poisson`, `step`: []}"), "[]",
           "load[0].step: expected a non-empty array of [time, requests per second] pairs, got "
           "an empty array");
    expect(PHASE("{`type`: `poisson`, `step`: [[0, 1], [60]]}"), "[60]",
           "load[0].step[1]: expected a pair [time, requests per second], got an array");
    expect(PHASE("{`type`: `poisson`, `step`: [[0, 1], [`1m`, 2], [30, 3]]}"), "30,",
           "load[0].step[2][0]: must be after the previous step's time (1m), got 30s");
    expect(PHASE("{`type`: `poisson`, `step`: [[0, 1], [`1m`, -2]]}"), "-2",
           "load[0].step[1][1]: must be at least 0, got -2");
    expect(PHASE("{`type`: `poisson`, `diurnal`: {`min`: 5}}"), "{`min",
           "load[0].diurnal.max: missing; a diurnal rate needs min and max (requests per "
           "second)");
    expect(PHASE("{`type`: `poisson`, `diurnal`: {`min`: 5, `max`: 2}}"), "2}",
           "load[0].diurnal.max: must be at least min (5), got 2");
    expect(PHASE("{`type`: `poisson`, `diurnal`: {`min`: 5, `max`: 20, `peak_at`: `25h`}}"),
           "`25h`", "load[0].diurnal.peak_at: must be less than period (24h), got 25h");
    expect(PHASE("{`type`: `poisson`, `diurnal`: {`min`: 5, `max`: 20, `period`: 0}}"), "0}",
           "load[0].diurnal.period: must be greater than 0s, got 0s");
    expect(PHASE("{`type`: `poisson`, `diurnal`: {`min`: 5, `max`: 20, `peakat`: 0}}"), "`peakat`",
           "load[0].diurnal.peakat: unknown key (did you mean `peak_at`?)");
    expect(PHASE("{`type`: `poisson`, `trace`: {}}"), "{}",
           "load[0].trace.file: missing; a trace reads its rates from a CSV file (t_s,rps)");
    expect(PHASE("{`type`: `poisson`, `trace`: {`file`: `x.csv`, `interpolation`: `cubic`}}"),
           "`cubic`", "load[0].trace.interpolation: expected one of `step`, `linear`, got `cubic`");
    expect(PHASE("{`type`: `poisson`, `trace`: {`file`: `x.csv`, `scale`: 0}}"), "0}",
           "load[0].trace.scale: must be greater than 0, got 0");
    expect(PHASE("{`type`: `poisson`, `trace`: {`file`: ``}}"), "``",
           "load[0].trace.file: expected a file name, got ``");
}

/* ---- CSV files: errors read "path:line: what" ------------------------------------------- */

static char dir[256];

static void csv_expect(const char *csv, const char *rest_fmt) {
    char path[512];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(csv, f);
    fclose(f);
    const char *json = "{\"duration\": 1, \"load\": [{\"type\": \"poisson\", \"trace\": "
                       "{\"file\": \"t.csv\"}}]}";
    char want[1024];
    snprintf(want, sizeof want, rest_fmt, path);
    scenario_cfg cfg;
    sim_error err;
    int rc = scenario_load_text(json, strlen(json), "s.json", dir, &cfg, &err);
    CU_ASSERT_EQUAL(rc, -1);
    if (rc == 0) {
        scenario_cfg_free(&cfg);
        return;
    }
    if (strcmp(err.msg, want) != 0)
        printf("\n  csv: %s\n  got:  %s\n  want: %s\n", csv, err.msg, want);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
}

static void sample_expect(const char *csv, const char *dist_extra, const char *rest_fmt) {
    char path[512];
    snprintf(path, sizeof path, "%s/d.csv", dir);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(csv, f);
    fclose(f);
    char json[512];
    snprintf(json, sizeof json,
             "{\"duration\": 1, \"service\": {\"pod\": {\"demand\": {\"dist\": \"empirical\", "
             "\"file\": \"d.csv\"%s}}}, \"load\": [{\"type\": \"poisson\", \"rate\": 1}]}",
             dist_extra);
    char want[1024];
    snprintf(want, sizeof want, rest_fmt, path);
    scenario_cfg cfg;
    sim_error err;
    int rc = scenario_load_text(json, strlen(json), "s.json", dir, &cfg, &err);
    CU_ASSERT_EQUAL(rc, -1);
    if (rc == 0) {
        scenario_cfg_free(&cfg);
        return;
    }
    if (strcmp(err.msg, want) != 0)
        printf("\n  csv: %s\n  got:  %s\n  want: %s\n", csv, err.msg, want);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
}

static void test_trace_csv(void) {
    snprintf(dir, sizeof dir, "/tmp/scalesim-errors-XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    char missing[512];
    snprintf(missing, sizeof missing, "%s/none.csv", dir);
    char want[1024];
    snprintf(want, sizeof want, "load[0].trace.file: cannot read `%s`: No such file or directory",
             missing);
    check("s.json", dir, PHASE("{`type`: `poisson`, `trace`: {`file`: `none.csv`}}"), "`none.csv`",
          want);
    snprintf(want, sizeof want, "load[0].trace.file: cannot read `%s/.`: Is a directory", dir);
    check("s.json", dir, PHASE("{`type`: `poisson`, `trace`: {`file`: `.`}}"), "`.`", want);
    csv_expect("", "%s:1: empty file; expected a header line such as \"t_s,rps\"");
    csv_expect("t_s,rps\n", "%s:2: no data rows after the header");
    csv_expect("t,rps\n0,1\n",
               "%s:1: the header has no column \"t_s\" (it names: t,rps); expected a header such "
               "as \"t_s,rps\"");
    csv_expect("t_s,rsp\n0,1\n", "%s:1: the header has no column \"rps\" (did you mean \"rsp\"?); "
                                 "expected a header such as \"t_s,rps\"");
    csv_expect("t_s,rp\n0,1\n", "%s:1: the header has no column \"rps\" (did you mean \"rp\"?); "
                                "expected a header such as \"t_s,rps\"");
    csv_expect("t_s,rps\n0,1\n10,x\n",
               "%s:3: rps: expected a number of requests per second, got \"x\"");
    csv_expect("t_s,rps\n0,1\n,2\n", "%s:3: t_s: expected a number of seconds, got \"\"");
    csv_expect("t_s,rps\n0,1\n-5,2\n", "%s:3: t_s: must be from 0 to 31622400 seconds, got -5");
    csv_expect("t_s,rps\n0,-1\n", "%s:2: rps: must be from 0 to 1e+07 (after scale), got -1");
    csv_expect("t_s,rps\n0,1\n60,2\n30,3\n",
               "%s:4: t_s 30 is not after the previous row's 60 (rows must be in increasing time "
               "order)");
    csv_expect("t_s,rps\n0,1\n60,2\n60,3\n",
               "%s:4: t_s 60 is not after the previous row's 60 (rows must be in increasing time "
               "order)");
    csv_expect("t_s,rps\n0,1\n60\n", "%s:3: expected 2 fields as in the header, got 1");
    csv_expect("t_s,rps\n0,1\n6\"0,2\n",
               "%s:3: malformed quoting (a quote inside an unquoted field, or text after a "
               "closing quote)");
    csv_expect("t_s,rps\n0,1\n\"60,2\n", "%s:3: unterminated quoted field");
}

static void test_sample_csv(void) {
    sample_expect("ms\n12\nabc\n", "",
                  "%s:3: column \"(the only column)\": expected a duration (a number in the "
                  "scenario's \"unit\" or a string such as \"20ms\"), got \"abc\" (samples of "
                  "service.pod.demand)");
    sample_expect("ms\n-3\n", ", \"column\": \"ms\"",
                  "%s:2: column \"ms\": must not be negative, got \"-3\" (samples of "
                  "service.pod.demand)");
    sample_expect("a,b\n1,2\n", "",
                  "%s:1: the header names 2 columns (a,b); say which one to use with \"column\" "
                  "(samples of service.pod.demand)");
    sample_expect("s\n1\n9000h\n", "",
                  "%s:3: column \"(the only column)\": too long, got \"9000h\" (samples of "
                  "service.pod.demand)");
    {
        /* A NUL byte inside a field. */
        char path[512];
        snprintf(path, sizeof path, "%s/d.csv", dir);
        FILE *f = fopen(path, "wb");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        fwrite("s\n1\n2\0003\n", 1, 9, f);
        fclose(f);
        const char *json = "{\"duration\": 1, \"service\": {\"pod\": {\"demand\": {\"dist\": "
                           "\"empirical\", \"file\": \"d.csv\"}}}, \"load\": [{\"type\": "
                           "\"poisson\", \"rate\": 1}]}";
        scenario_cfg cfg;
        sim_error err;
        CU_ASSERT_EQUAL(scenario_load_text(json, strlen(json), "s.json", dir, &cfg, &err), -1);
        char want[600];
        snprintf(want, sizeof want, "%s:3: NUL byte in a field (samples of service.pod.demand)",
                 path);
        CU_ASSERT_STRING_EQUAL(err.msg, want);
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_file_errors(void) {
    scenario_cfg cfg;
    sim_error err;
    CU_ASSERT_EQUAL(scenario_load("/nonexistent/s.json", &cfg, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "/nonexistent/s.json: cannot open: No such file or directory");
    CU_ASSERT_EQUAL(scenario_load("/tmp", &cfg, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "/tmp: cannot read: Is a directory");
}

int main(void) {
    static const cu_test tests[] = {
        {"json_syntax", test_json_syntax},
        {"top_level", test_top_level},
        {"service", test_service},
        {"pod", test_pod},
        {"distributions", test_distributions},
        {"phase", test_phase},
        {"closed", test_closed},
        {"hey", test_hey},
        {"open", test_open},
        {"trace_csv", test_trace_csv},
        {"sample_csv", test_sample_csv},
        {"file_errors", test_file_errors},
        {NULL, NULL},
    };
    cu_add_suite("scenario_errors", tests);
    return cu_run_all();
}
