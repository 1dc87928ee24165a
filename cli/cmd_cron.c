/* cmd_cron.c: `scalesim cron`: the next fire times of a cron expression in a time zone, as the
 * cronhpa controller or KEDA would compute them, and `--cases FILE` to run a conformance case
 * file (shared/conformance/cron/README.md) against sim/control/cron. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "sim/control/cron/cron.h"
#include "sim/control/cron/rfc3339.h"

#define CASE_NEXT_COUNT 5 /* the vectors list five fire times unless exhausted */
#define MAX_COUNT       100000
#define MAX_ZONES       64

static const char *dialect_opt;
static const char *tz_opt;
static const char *from_opt;
static int64_t count_opt = -1; /* -1: not given, 5 */
static const char *cases_opt;

static const opt_spec cron_options[] = {
    {"dialect", 'd', OPT_STRING, "NAME", "cronhpa (default; seconds first) or standard (KEDA)",
     &dialect_opt},
    {"tz", 0, OPT_STRING, "ZONE",
     "IANA time zone (default: Asia/Shanghai for cronhpa, the controller chart's TZ; UTC for "
     "standard)",
     &tz_opt},
    {"from", 0, OPT_STRING, "RFC3339", "list fire times strictly after this instant (default: now)",
     &from_opt},
    {"count", 'n', OPT_INT, "N", "how many fire times to print (default 5)", &count_opt},
    {"cases", 0, OPT_STRING, "FILE", "run a cron conformance case file instead", &cases_opt},
    {0},
};

const cmd_spec cmd_cron_spec = {
    "cron",
    "scalesim cron EXPR [--dialect cronhpa|standard] [--tz ZONE] [--from RFC3339] [--count N]\n"
    "       scalesim cron --cases FILE",
    "print the next fire times of a cron expression (cronhpa or KEDA dialect)",
    "Prints one RFC 3339 time per line, on the wall clock of --tz, then \"never: ...\" if the\n"
    "schedule runs out within the libraries' 5-year search. Notes about likely misreadings\n"
    "(five fields in cronhpa, the day-of-month/day-of-week OR rule) go to stderr.\n"
    "With --cases, prints {\"id\": N, \"got\": {...}} per case and \"N passed, M failed\";\n"
    "exit 0 when all pass, 1 otherwise, 2 on bad input. See docs/cron.md.",
    cron_options,
};

/* ---- one expression ---- */

static int64_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int run_expr(const char *expr) {
    sim_error err;
    cron_dialect dialect = CRON_DIALECT_CRONHPA;
    if (dialect_opt && cron_dialect_parse(dialect_opt, &dialect, &err) != 0)
        return cli_fail(&err);
    if (count_opt == -1)
        count_opt = 5;
    if (count_opt < 1 || count_opt > MAX_COUNT) {
        error_set(&err, "--count must be between 1 and %d, got %" PRId64, MAX_COUNT, count_opt);
        return cli_fail(&err);
    }
    int64_t from_us = now_us();
    if (from_opt && cron_rfc3339_parse(from_opt, &from_us, &err) != 0) {
        error_prefix(&err, "--from");
        return cli_fail(&err);
    }
    cron_schedule s;
    if (cron_parse(expr, dialect, &s, &err) != 0)
        return cli_fail(&err);
    const char *tz = tz_opt;
    if (tz == NULL) {
        tz = dialect == CRON_DIALECT_CRONHPA ? "Asia/Shanghai" : "UTC";
        fprintf(stderr, "scalesim: note: time zone %s (%s); pass --tz to change\n", tz,
                dialect == CRON_DIALECT_CRONHPA
                    ? "the cronhpa controller evaluates every job in its own TZ, Asia/Shanghai "
                      "in its chart"
                    : "KEDA's cron trigger requires a timezone");
    }
    cron_zone *zone;
    if (cron_zone_load(tz, &zone, &err) != 0) {
        cron_schedule_free(&s);
        error_prefix(&err, "--tz");
        return cli_fail(&err);
    }
    const char *notes[8];
    int nnotes = cron_pitfalls(&s, notes, 8);
    for (int i = 0; i < nnotes && i < 8; i++)
        fprintf(stderr, "scalesim: note: %s\n", notes[i]);
    int64_t t = from_us;
    char buf[64];
    for (int64_t i = 0; i < count_opt; i++) {
        int64_t next = cron_next(&s, zone, t);
        if (next == CRON_NEVER) {
            printf("never: no further fire time within the 5-year search\n");
            break;
        }
        cron_rfc3339_format(next, zone, buf, sizeof buf);
        printf("%s\n", buf);
        t = next;
    }
    cron_schedule_free(&s);
    cron_zone_free(zone);
    return EXIT_OK;
}

/* ---- case files ---- */

typedef struct zone_cache {
    int n;
    char *names[MAX_ZONES];
    cron_zone *zones[MAX_ZONES];
} zone_cache;

static int cached_zone(zone_cache *c, const char *name, cron_zone **out, sim_error *err) {
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->names[i], name) == 0) {
            *out = c->zones[i];
            return 0;
        }
    if (cron_zone_load(name, out, err) != 0)
        return -1;
    if (c->n < MAX_ZONES) {
        c->names[c->n] = strdup(name);
        c->zones[c->n++] = *out;
    }
    return 0;
}

static void zone_cache_free(zone_cache *c) {
    for (int i = 0; i < c->n; i++) {
        free(c->names[i]);
        cron_zone_free(c->zones[i]);
    }
}

static char *read_file(const char *path, sim_error *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        error_set(err, "%s: cannot open", path);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (buf == NULL)
            break;
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (buf == NULL || bad) {
        free(buf);
        error_set(err, "%s: cannot read", path);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

/* What one case computes; `expect` is never consulted for these values. */
typedef struct case_result {
    int error;
    char parse_error[SIM_ERROR_MAX];
    int exhausted;
    int nnext;
    char next[CASE_NEXT_COUNT][64];
} case_result;

static const char *str_field(const cJSON *c, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int compute_case(const cJSON *c, int index, int needs_times, zone_cache *zones,
                        case_result *r, sim_error *err) {
    const char *expr = str_field(c, "expr"), *dname = str_field(c, "dialect"),
               *tz = str_field(c, "tz"), *from = str_field(c, "from");
    if (expr == NULL || dname == NULL || tz == NULL)
        return error_set(err, "case #%d: needs string fields expr, dialect and tz", index);
    cron_dialect dialect;
    cron_zone *zone;
    if (cron_dialect_parse(dname, &dialect, err) != 0 || cached_zone(zones, tz, &zone, err) != 0)
        return error_prefix(err, "case #%d", index);
    memset(r, 0, sizeof *r);
    cron_schedule s;
    sim_error perr;
    if (cron_parse(expr, dialect, &s, &perr) != 0) {
        r->error = 1;
        snprintf(r->parse_error, sizeof r->parse_error, "%s", perr.msg);
        return 0;
    }
    int rc = 0;
    if (needs_times) {
        int64_t t;
        if (from == NULL) {
            rc =
                error_set(err, "case #%d: fire times are expected but there is no \"from\"", index);
        } else if (cron_rfc3339_parse(from, &t, err) != 0) {
            rc = error_prefix(err, "case #%d: from", index);
        } else {
            for (int i = 0; i < CASE_NEXT_COUNT; i++) {
                t = cron_next(&s, zone, t);
                if (t == CRON_NEVER) {
                    r->exhausted = 1;
                    break;
                }
                cron_rfc3339_format(t, zone, r->next[r->nnext++], 64);
            }
        }
    }
    cron_schedule_free(&s);
    return rc;
}

/* Appends `"key": value` for one expected key to line and reports whether it matches. */
static int got_key(const cJSON *want, const case_result *r, char *line, size_t cap) {
    size_t len = strlen(line);
    const char *key = want->string;
    if (strcmp(key, "next") == 0) {
        snprintf(line + len, cap - len, "\"next\": [");
        for (int i = 0; i < r->nnext; i++) {
            len = strlen(line);
            snprintf(line + len, cap - len, "%s\"%s\"", i ? ", " : "", r->next[i]);
        }
        len = strlen(line);
        snprintf(line + len, cap - len, "]");
        if (!cJSON_IsArray(want) || cJSON_GetArraySize(want) != r->nnext)
            return 0;
        for (int i = 0; i < r->nnext; i++) {
            const cJSON *w = cJSON_GetArrayItem(want, i);
            if (!cJSON_IsString(w) || strcmp(w->valuestring, r->next[i]) != 0)
                return 0;
        }
        return 1;
    }
    int value;
    if (strcmp(key, "error") == 0)
        value = r->error;
    else if (strcmp(key, "exhausted") == 0)
        value = r->exhausted;
    else {
        snprintf(line + len, cap - len, "\"%s\": null", key);
        return 0;
    }
    snprintf(line + len, cap - len, "\"%s\": %s", key, value ? "true" : "false");
    return cJSON_IsBool(want) && (cJSON_IsTrue(want) != 0) == value;
}

static int run_cases(const char *path) {
    sim_error err;
    char *text = read_file(path, &err);
    if (text == NULL)
        return cli_fail(&err);
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!cJSON_IsArray(root)) {
        cJSON_Delete(root);
        error_set(&err, "%s: not a JSON array of cases", path);
        return cli_fail(&err);
    }
    zone_cache zones = {0};
    int passed = 0, failed = 0, index = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, root) {
        index++;
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
        const cJSON *expect = cJSON_GetObjectItemCaseSensitive(c, "expect");
        if (!cJSON_IsNumber(id) || !cJSON_IsObject(expect) || expect->child == NULL) {
            error_set(&err, "%s: case #%d: needs a numeric id and a non-empty expect object", path,
                      index);
            goto bad;
        }
        /* Only the key list of `expect` is read here, to know what to compute and print. */
        int needs_times = cJSON_GetObjectItemCaseSensitive(expect, "next") != NULL ||
                          cJSON_GetObjectItemCaseSensitive(expect, "exhausted") != NULL;
        case_result r;
        if (compute_case(c, index, needs_times, &zones, &r, &err) != 0) {
            error_prefix(&err, "%s", path);
            goto bad;
        }
        char line[2048];
        snprintf(line, sizeof line, "{\"id\": %d, \"got\": {", id->valueint);
        int ok = 1;
        const cJSON *want;
        cJSON_ArrayForEach(want, expect) {
            if (want != expect->child)
                strncat(line, ", ", sizeof line - strlen(line) - 1);
            ok &= got_key(want, &r, line, sizeof line);
        }
        strncat(line, "}}", sizeof line - strlen(line) - 1);
        printf("%s\n", line);
        if (ok) {
            passed++;
        } else {
            failed++;
            fprintf(stderr, "scalesim: cron case %d failed: %s%s\n", id->valueint,
                    str_field(c, "expr"), r.error ? " (rejected)" : "");
            if (r.error)
                fprintf(stderr, "scalesim:   %s\n", r.parse_error);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    zone_cache_free(&zones);
    cJSON_Delete(root);
    return failed ? EXIT_ASSERTION_FAILED : EXIT_OK;
bad:
    fflush(stdout);
    zone_cache_free(&zones);
    cJSON_Delete(root);
    return cli_fail(&err);
}

int cmd_cron_main(int argc, char **argv) {
    int npos = 0;
    int rc = cli_parse(&cmd_cron_spec, argc, argv, &npos);
    if (rc >= 0)
        return rc;
    sim_error err;
    if (cases_opt) {
        if (npos != 0 || dialect_opt || tz_opt || from_opt || count_opt != -1) {
            error_set(&err, "cron: --cases takes no expression and no other option (each case "
                            "names its own dialect, tz and from)");
            return cli_fail(&err);
        }
        return run_cases(cases_opt);
    }
    if (npos != 1) {
        error_set(&err,
                  "cron: expected one expression (quote it: scalesim cron \"0 30 10 * * "
                  "*\"), got %d arguments; see 'scalesim help cron'",
                  npos);
        return cli_fail(&err);
    }
    return run_expr(argv[1]);
}
