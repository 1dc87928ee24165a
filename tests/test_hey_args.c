/* test_hey_args.c: hey command lines are split like a shell and read like hey (common/hey_args.h):
 * defaults, Go flag syntax, hey's own checks and messages, and the offsets of faulty words. */
#include "cu.h"

#include <stdio.h>
#include <string.h>

#include "common/hey_args.h"

static const char *seed_command =
    "hey -z 2m -c 20 -m POST -host $SERVICE_HOSTNAME -H \"Content-Type: application/json\" "
    "-D ./iris-input.json http://${NGINX_INGRESS_IP}:80/v1/models/sklearn-iris:predict";

/* Parses a command that must fail; checks the message and the offset of the faulty word. */
static void expect_fail(const char *command, const char *msg, size_t offset) {
    hey_args a;
    sim_error err;
    size_t at = 9999;
    int rc = hey_args_parse_command(command, &a, &at, &err);
    CU_ASSERT_EQUAL(rc, -1);
    if (rc == 0) {
        hey_args_free(&a);
        printf("\n  accepted: %s\n", command);
        return;
    }
    if (strcmp(err.msg, msg) != 0 || at != offset)
        printf("\n  command: %s\n  got:  %s @%zu\n  want: %s @%zu\n", command, err.msg, at, msg,
               offset);
    CU_ASSERT_STRING_EQUAL(err.msg, msg);
    CU_ASSERT_EQUAL(at, offset);
}

static void test_defaults(void) {
    hey_args a;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(hey_args_parse_command("hey http://h/", &a, NULL, &err), 0);
    CU_ASSERT_EQUAL(a.n, 200);
    CU_ASSERT_EQUAL(a.c, 50);
    CU_ASSERT_EQUAL(a.q, 0);
    CU_ASSERT_EQUAL(a.z_us, 0);
    CU_ASSERT_EQUAL(a.t_s, 20);
    CU_ASSERT_STRING_EQUAL(a.method, "GET");
    CU_ASSERT_STRING_EQUAL(a.content_type, "text/html");
    CU_ASSERT_STRING_EQUAL(a.url, "http://h/");
    CU_ASSERT_PTR_NULL(a.body);
    CU_ASSERT_PTR_NULL(a.host);
    CU_ASSERT_EQUAL(a.n_headers, 0);
    CU_ASSERT_EQUAL(a.h2, 0);
    CU_ASSERT_EQUAL(a.cpus, 0);
    hey_args_free(&a);
}

static void test_seed_command(void) {
    hey_args a;
    sim_error err;
    CU_ASSERT_EQUAL_FATAL(hey_args_parse_command(seed_command, &a, NULL, &err), 0);
    CU_ASSERT_EQUAL(a.z_us, 120000000);
    CU_ASSERT_EQUAL(a.c, 20);
    CU_ASSERT_EQUAL(a.n, 200); /* parsed default; hey ignores it under -z */
    CU_ASSERT_STRING_EQUAL(a.method, "POST");
    CU_ASSERT_STRING_EQUAL(a.host, "$SERVICE_HOSTNAME");
    CU_ASSERT_STRING_EQUAL(a.body_file, "./iris-input.json");
    CU_ASSERT_STRING_EQUAL(a.url, "http://${NGINX_INGRESS_IP}:80/v1/models/sklearn-iris:predict");
    CU_ASSERT_EQUAL_FATAL(a.n_headers, 1);
    CU_ASSERT_STRING_EQUAL(a.headers[0].name, "Content-Type");
    CU_ASSERT_STRING_EQUAL(a.headers[0].value, "application/json");
    CU_ASSERT_STRING_EQUAL(a.content_type, "application/json"); /* -H wins over -T's default */
    hey_args_free(&a);
}

static void test_go_flag_forms(void) {
    hey_args a;
    sim_error err;
    /* Double dashes, -flag=value, base prefixes and underscores as strconv.ParseInt(s, 0, 64). */
    CU_ASSERT_EQUAL_FATAL(
        hey_args_parse_command("/usr/local/bin/hey --c=0x10 -n 1_000 -q=2.5 --t 0 -m put "
                               "-h2 -disable-keepalive=false -disable-compression=T "
                               "-cpus 010 -o csv -A text/plain -T application/xml "
                               "-a user:secret -U bot -x http://proxy:3128 -d 'a b' "
                               "-H 'x-trace-id:  42' -H 'X-TRACE-ID: 43' https://h/p",
                               &a, NULL, &err),
        0);
    CU_ASSERT_EQUAL(a.c, 16);
    CU_ASSERT_EQUAL(a.n, 1000);
    CU_ASSERT_DOUBLE_EQUAL(a.q, 2.5, 0);
    CU_ASSERT_EQUAL(a.t_s, 0);
    CU_ASSERT_STRING_EQUAL(a.method, "PUT");
    CU_ASSERT_EQUAL(a.h2, 1);
    CU_ASSERT_EQUAL(a.disable_keepalive, 0);
    CU_ASSERT_EQUAL(a.disable_compression, 1);
    CU_ASSERT_EQUAL(a.cpus, 8); /* a leading 0 is octal in Go */
    CU_ASSERT_STRING_EQUAL(a.output, "csv");
    CU_ASSERT_STRING_EQUAL(a.accept, "text/plain");
    CU_ASSERT_STRING_EQUAL(a.content_type, "application/xml");
    CU_ASSERT_STRING_EQUAL(a.basic_auth, "user:secret");
    CU_ASSERT_STRING_EQUAL(a.user_agent, "bot");
    CU_ASSERT_STRING_EQUAL(a.proxy, "http://proxy:3128");
    CU_ASSERT_STRING_EQUAL(a.body, "a b");
    /* Canonical names; a later -H of the same name replaces the earlier (http.Header.Set). */
    CU_ASSERT_EQUAL_FATAL(a.n_headers, 1);
    CU_ASSERT_STRING_EQUAL(a.headers[0].name, "X-Trace-Id");
    CU_ASSERT_STRING_EQUAL(a.headers[0].value, "43");
    hey_args_free(&a);

    /* The program name may be left out; "--" ends the flags; -z makes -n irrelevant. */
    CU_ASSERT_EQUAL_FATAL(
        hey_args_parse_command("-z 1h30m -c 500 -n 3 -- http://h/", &a, NULL, &err), 0);
    CU_ASSERT_EQUAL(a.z_us, 5400000000LL);
    CU_ASSERT_EQUAL(a.c, 500);
    hey_args_free(&a);

    /* hey accepts negative -t and -q: no timeout, no rate limit. */
    CU_ASSERT_EQUAL_FATAL(hey_args_parse_command("hey -t -1 -q -3 http://h/", &a, NULL, &err), 0);
    CU_ASSERT_EQUAL(a.t_s, -1);
    CU_ASSERT(a.q < 0);
    hey_args_free(&a);
}

static void test_shell_quoting(void) {
    char **argv = NULL;
    size_t *offs = NULL;
    int argc = 0;
    sim_error err;
    const char *line = "hey  -d '{\"a\": 1}' -H \"X-A: \\\"q\\\" \\$HOME\" a\\ b \\\n -m ''  # c";
    CU_ASSERT_EQUAL_FATAL(hey_shell_split(line, &argv, &offs, &argc, NULL, &err), 0);
    CU_ASSERT_EQUAL_FATAL(argc, 8);
    CU_ASSERT_STRING_EQUAL(argv[0], "hey");
    CU_ASSERT_STRING_EQUAL(argv[1], "-d");
    CU_ASSERT_STRING_EQUAL(argv[2], "{\"a\": 1}");
    CU_ASSERT_EQUAL(offs[2], 8);
    CU_ASSERT_STRING_EQUAL(argv[3], "-H");
    CU_ASSERT_STRING_EQUAL(argv[4], "X-A: \"q\" $HOME");
    CU_ASSERT_STRING_EQUAL(argv[5], "a b");
    CU_ASSERT_STRING_EQUAL(argv[6], "-m");
    CU_ASSERT_STRING_EQUAL(argv[7], "");
    CU_ASSERT_PTR_NULL(argv[8]);
    hey_shell_free(argv, offs, argc);

    /* Single quotes keep backslashes; double quotes keep other backslashes too. */
    CU_ASSERT_EQUAL_FATAL(hey_shell_split("'a\\b' \"c\\d\"", &argv, &offs, &argc, NULL, &err), 0);
    CU_ASSERT_EQUAL_FATAL(argc, 2);
    CU_ASSERT_STRING_EQUAL(argv[0], "a\\b");
    CU_ASSERT_STRING_EQUAL(argv[1], "c\\d");
    hey_shell_free(argv, offs, argc);

    CU_ASSERT_EQUAL_FATAL(hey_shell_split("   ", &argv, &offs, &argc, NULL, &err), 0);
    CU_ASSERT_EQUAL(argc, 0);
    hey_shell_free(argv, offs, argc);
}

static void test_shell_errors(void) {
    expect_fail("hey -d 'abc http://h/", "unterminated single quote", 7);
    expect_fail("hey -d \"abc http://h/", "unterminated double quote", 7);
    expect_fail("hey http://h/ | tee out",
                "shell operators (| & ; < > ( )) are not supported: give one hey command", 14);
    expect_fail("hey -host $(hostname) http://h/",
                "command substitution is not supported: write the value itself", 10);
    expect_fail("hey -host `hostname` http://h/",
                "command substitution is not supported: write the value itself", 10);
    expect_fail("hey http://h/ \\", "the command ends with a lone backslash", 14);
    expect_fail("",
                "empty command: expected a hey command line such as \"hey -z 2m -c 20 "
                "http://host/\"",
                0);
    expect_fail("curl http://h/", "expected a hey command line starting with \"hey\", got \"curl\"",
                0);
}

static void test_hey_checks(void) {
    /* hey.go's own checks, with its own words. */
    expect_fail("hey -n 10 -c 20 http://h/", "-n cannot be less than -c.", 4);
    expect_fail("hey -c 300 http://h/", "-n cannot be less than -c.", 4); /* default -n 200 */
    expect_fail("hey -n 0 http://h/", "-n and -c cannot be smaller than 1.", 4);
    expect_fail("hey -c 0 http://h/", "-n and -c cannot be smaller than 1.", 4);
    expect_fail("hey -z 1m -c 0 http://h/", "-c cannot be smaller than 1.", 10);
    expect_fail("hey -h x http://h/", "Flag '-h' is deprecated, please use '-H' instead.", 4);
    expect_fail("hey -H nocolon http://h/",
                "could not parse the provided input; input = nocolon (-H wants \"Name: value\")",
                4);
    expect_fail("hey -a nopassword http://h/",
                "could not parse the provided input; input = nopassword (-a wants "
                "\"user:password\")",
                4);
    /* authRegexp ^(.+):([^\s].+) wants two characters after the colon, so hey refuses this. */
    expect_fail("hey -a u:p http://h/",
                "could not parse the provided input; input = u:p (-a wants \"user:password\")", 4);
    expect_fail("hey -m 'GE T' http://h/", "net/http: invalid method \"GE T\"", 4);
    expect_fail("hey -c 20",
                "missing URL: hey needs the URL after the flags (hey [options...] <url>)", 9);
    /* -n 10 with -z: hey ignores -n, so no complaint. */
    hey_args a;
    sim_error err;
    CU_ASSERT_EQUAL(hey_args_parse_command("hey -z 10s -n 10 -c 20 http://h/", &a, NULL, &err), 0);
    hey_args_free(&a);
}

static void test_flag_errors(void) {
    /* Go's flag package messages. */
    expect_fail("hey -k 3 http://h/", "flag provided but not defined: -k", 4);
    expect_fail("hey -cpu 3 http://h/", "flag provided but not defined: -cpu (did you mean -cpus?)",
                4);
    expect_fail("hey -disable-keepalives http://h/",
                "flag provided but not defined: -disable-keepalives (did you mean "
                "-disable-keepalive?)",
                4);
    expect_fail("hey -c", "flag needs an argument: -c", 4);
    expect_fail("hey -c ten http://h/", "invalid value \"ten\" for flag -c: parse error", 4);
    expect_fail("hey -n 99999999999999999999 http://h/",
                "invalid value \"99999999999999999999\" for flag -n: value out of range", 4);
    expect_fail("hey -c 1__0 http://h/", "invalid value \"1__0\" for flag -c: parse error", 4);
    expect_fail("hey -c 08 http://h/", "invalid value \"08\" for flag -c: parse error", 4);
    expect_fail("hey -q fast http://h/", "invalid value \"fast\" for flag -q: parse error", 4);
    expect_fail("hey -q inf http://h/", "invalid value \"inf\" for flag -q: not a finite number",
                4);
    expect_fail("hey -z 5d http://h/",
                "invalid value \"5d\" for flag -z: parse error (invalid duration \"5d\": unknown "
                "unit (use ns, us, ms, s, m or h) (expected a number of seconds or a string like "
                "\"250ms\", \"30s\", \"2m\", \"1h30m\"))",
                4);
    expect_fail("hey -h2=maybe http://h/", "invalid boolean value \"maybe\" for -h2: parse error",
                4);
    expect_fail("hey ---c 3 http://h/", "bad flag syntax: ---c", 4);
    expect_fail("hey -=3 http://h/", "bad flag syntax: -=3", 4);
    expect_fail("hey -help", "-help makes hey print its usage and exit: it sends no requests", 4);
}

static void test_scalesim_checks(void) {
    expect_fail("hey http://h/ -c 10",
                "\"-c\" comes after the URL, where hey ignores it (Go's flag package stops at the "
                "first non-flag argument); move it before the URL",
                14);
    /* A boolean flag takes no separate value, so "false" becomes the URL, as in hey. */
    expect_fail("hey -h2 false http://h/",
                "\"http://h/\" comes after the URL, where hey ignores it (Go's flag package stops "
                "at the first non-flag argument); move it before the URL",
                14);
    expect_fail("hey -c 5 localhost:8080/",
                "URL \"localhost:8080/\" must start with http:// or https:// (hey sends nothing "
                "else)",
                9);
    expect_fail("hey -q 2000000 http://h/",
                "-q 2e+06 is above 1000000: hey paces each worker with a ticker of "
                "time.Duration(1e6/q) microseconds, which truncates to 0, and then never sends",
                4);
    expect_fail("hey -z 1m -c 2000000 http://h/",
                "-c 2000000 is above the 1000000 workers scalesim simulates", 10);
    expect_fail("hey -t 9999999999 http://h/",
                "-t 9999999999 seconds is out of range (hey's time.Duration overflows)", 4);
}

static void test_argv_entry(void) {
    /* The loadgen's path: words already split by the real shell. */
    char *argv[] = {"-c", "4", "-n", "8", "http://h/"};
    hey_args a;
    sim_error err;
    int bad = -1;
    CU_ASSERT_EQUAL_FATAL(hey_args_parse_argv(5, argv, &a, &bad, &err), 0);
    CU_ASSERT_EQUAL(a.c, 4);
    CU_ASSERT_EQUAL(a.n, 8);
    hey_args_free(&a);
    char *bad_argv[] = {"-c", "4", "-n", "2", "http://h/"};
    CU_ASSERT_EQUAL(hey_args_parse_argv(5, bad_argv, &a, &bad, &err), -1);
    CU_ASSERT_EQUAL(bad, 2);
    CU_ASSERT_STRING_EQUAL(err.msg, "-n cannot be less than -c.");
}

int main(void) {
    static const cu_test tests[] = {
        {"defaults", test_defaults},           {"seed_command", test_seed_command},
        {"go_flag_forms", test_go_flag_forms}, {"shell_quoting", test_shell_quoting},
        {"shell_errors", test_shell_errors},   {"hey_checks", test_hey_checks},
        {"flag_errors", test_flag_errors},     {"scalesim_checks", test_scalesim_checks},
        {"argv_entry", test_argv_entry},       {NULL, NULL},
    };
    cu_add_suite("hey_args", tests);
    return cu_run_all();
}
