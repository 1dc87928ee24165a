/* test_scenario_fuzz.c: damaged scenario files never crash the loader, never leak (the
 * sanitizer build checks both) and always fail with a positioned message.
 *
 * Inputs: the shipped scenarios and a file using every section, each cut at every length, with
 * every byte deleted, with every byte replaced by characters that matter to JSON, and with
 * seeded random splices; plus hey command lines damaged the same way. Every failure must read
 * "s.json:LINE:COL: ..." with LINE:COL inside the text (or "FILE:LINE: ..." from a CSV file
 * named by the scenario). A deeper libFuzzer harness lives in tests/fuzz/ (built by hand). */
#include "cu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hey_args.h"
#include "sim/scenario/scenario.h"

static const char *rich =
    "{\"name\": \"rich\", \"comment\": \"every section\", \"seed\": \"42\", \"duration\": "
    "\"1h\",\n"
    " \"service\": {\"name\": \"svc\", \"replicas\": 2, \"balancer\": \"queue\",\n"
    "  \"pod\": {\"startup\": {\"dist\": \"uniform\", \"min\": \"1s\", \"max\": 2},\n"
    "   \"cpu_request\": \"500m\", \"cpu_limit\": 1, \"cpu_idle\": \"1m\",\n"
    "   \"memory_request\": \"200Mi\", \"memory_base\": \"100Mi\", \"memory_per_request\": 1024,\n"
    "   \"concurrency\": 4, \"demand\": {\"dist\": \"lognormal\", \"mean\": \"5ms\", \"cv\": "
    "0.5},\n"
    "   \"response_bytes\": 21}},\n"
    " \"load\": [\n"
    "  {\"name\": \"a\", \"hey\": \"hey -z 2m -c 20 -m POST -H \\\"A: b\\\" http://h/\"},\n"
    "  {\"name\": \"b\", \"type\": \"closed\", \"c\": 2, \"n\": 10, \"t\": \"1s\"},\n"
    "  {\"type\": \"poisson\", \"ramp\": {\"from\": 1, \"to\": 9}, \"start\": 5, \"end\": 60},\n"
    "  {\"type\": \"uniform\", \"step\": [[0, 1], [\"1m\", 2]]},\n"
    "  {\"type\": \"poisson\", \"diurnal\": {\"min\": 1, \"max\": 3, \"period\": \"1h\"}},\n"
    "  {\"type\": \"poisson\", \"trace\": {\"file\": \"traces/morning-spike.csv\"}}]}\n";

static long loads, failures;

/* Loads text and checks the outcome; returns 0 when the outcome is acceptable. */
static int try_load(const char *text, size_t len, const char *base_dir) {
    scenario_cfg cfg;
    sim_error err;
    loads++;
    if (scenario_load_text(text, len, "s.json", base_dir, &cfg, &err) == 0) {
        scenario_cfg_free(&cfg);
        return 0;
    }
    failures++;
    if (cfg.loads != NULL || cfg.name != NULL)
        return -1;
    int line = 0, col = 0, n = 0;
    if (sscanf(err.msg, "s.json:%d:%d: %n", &line, &col, &n) == 2 && n > 0) {
        int lines = 1;
        for (size_t i = 0; i < len; i++)
            lines += text[i] == '\n';
        return line >= 1 && line <= lines && col >= 1 && (size_t)col <= len + 1 ? 0 : -1;
    }
    /* Errors inside a CSV file that the scenario names: "path.csv:LINE: ...". */
    const char *csv = strstr(err.msg, ".csv:");
    if (csv != NULL && sscanf(csv, ".csv:%d: ", &line) == 1 && line >= 1)
        return 0;
    return -1;
}

static void check_load(const char *text, size_t len, const char *base_dir) {
    if (try_load(text, len, base_dir) != 0) {
        scenario_cfg cfg;
        sim_error err;
        scenario_load_text(text, len, "s.json", base_dir, &cfg, &err);
        printf("\n  bad outcome for: %.*s\n  message: %s\n", (int)len, text, err.msg);
        CU_FAIL("badly formed error");
    }
}

static void mutate_all(const char *text, const char *base_dir) {
    size_t len = strlen(text);
    char *buf = malloc(len + 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    /* Every truncation (no NUL terminator either: the loader must respect len). */
    for (size_t cut = 0; cut <= len; cut++) {
        memcpy(buf, text, cut);
        buf[cut] = '#';
        check_load(buf, cut, base_dir);
    }
    /* Every single-byte deletion. */
    for (size_t i = 0; i < len; i++) {
        memcpy(buf, text, i);
        memcpy(buf + i, text + i + 1, len - i - 1);
        check_load(buf, len - 1, base_dir);
    }
    /* Every byte replaced by characters that change JSON's meaning. */
    static const char repl[] = {'"', '{', ']', ',', '0', '-', '\\', '\0'};
    for (size_t i = 0; i < len; i++) {
        for (size_t k = 0; k < sizeof repl; k++) {
            memcpy(buf, text, len);
            buf[i] = repl[k];
            check_load(buf, len, base_dir);
        }
    }
    free(buf);
}

static void test_shipped_scenarios(void) {
    const char *files[] = {"scenarios/sklearn-iris.json", "scenarios/diurnal.json",
                           "scenarios/trace-spike.json"};
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", cu_src_path("scenarios"));
    for (int f = 0; f < 3; f++) {
        FILE *fp = fopen(cu_src_path(files[f]), "rb");
        CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
        static char text[1 << 16];
        size_t len = fread(text, 1, sizeof text - 1, fp);
        fclose(fp);
        text[len] = '\0';
        mutate_all(text, dir);
    }
    mutate_all(rich, dir);
    printf("(%ld loads, %ld rejected) ", loads, failures);
    CU_ASSERT(failures > loads / 2); /* the mutations really damage the files */
}

/* Deterministic xorshift, so a failure reproduces. */
static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void test_random_splices(void) {
    size_t len = strlen(rich);
    char buf[8192];
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", cu_src_path("scenarios"));
    for (int round = 0; round < 20000; round++) {
        memcpy(buf, rich, len);
        size_t n = len;
        int edits = 1 + (int)(next() % 4);
        for (int e = 0; e < edits; e++) {
            size_t a = next() % n, b = next() % len, span = 1 + next() % 16;
            if (b + span > len)
                span = len - b;
            if (n + span >= sizeof buf)
                break;
            if (next() % 2) { /* insert a piece of the file elsewhere */
                memmove(buf + a + span, buf + a, n - a);
                memcpy(buf + a, rich + b, span);
                n += span;
            } else { /* overwrite with random bytes */
                for (size_t k = 0; k < span && a + k < n; k++)
                    buf[a + k] = (char)(next() & 0xFF);
            }
        }
        check_load(buf, n, dir);
    }
}

static void test_hey_mutations(void) {
    const char *cmd = "hey -z 2m -c 20 -q 1.5 -m POST -host h -H \"Content-Type: "
                      "application/json\" -d '{\"a\": 1}' -a u:pw http://1.2.3.4:80/v1/x:predict";
    size_t len = strlen(cmd);
    char buf[512];
    static const char repl[] = {'"', '\'', '\\', '-', '=', ' ', '0', '$', '|', '#', '`'};
    long ok = 0, bad = 0;
    for (size_t i = 0; i <= len; i++) {
        for (size_t k = 0; k <= sizeof repl; k++) {
            memcpy(buf, cmd, len + 1);
            if (k == sizeof repl)
                buf[i] = '\0'; /* truncation */
            else if (i < len)
                buf[i] = repl[k];
            hey_args a;
            sim_error err;
            size_t at = 99999;
            if (hey_args_parse_command(buf, &a, &at, &err) == 0) {
                ok++;
                hey_args_free(&a);
            } else {
                bad++;
                CU_ASSERT_FATAL(at <= strlen(buf));
                CU_ASSERT_FATAL(err.msg[0] != '\0');
            }
        }
    }
    CU_ASSERT(ok > 0 && bad > 0);
}

int main(void) {
    static const cu_test tests[] = {
        {"shipped_scenarios", test_shipped_scenarios},
        {"random_splices", test_random_splices},
        {"hey_mutations", test_hey_mutations},
        {NULL, NULL},
    };
    cu_add_suite("scenario_fuzz", tests);
    return cu_run_all();
}
