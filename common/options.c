/* options.c: the shared command-line parser; see options.h. */
#include "common/options.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/duration.h"

int opts_edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 1 << 20;
    int row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *opts_closest(const char *word, const char *const *candidates, int ncandidates) {
    const char *best = NULL;
    int best_d = 1 << 20;
    for (int i = 0; i < ncandidates; i++) {
        int d = opts_edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    /* A typo is at most a third of the word wrong (and at least one edit is allowed). */
    int limit = (int)strlen(word) / 3;
    if (limit < 1)
        limit = 1;
    return best_d <= limit ? best : NULL;
}

int opts_parse_int64(const char *text, int64_t *out) {
    if (text == NULL || *text == '\0')
        return -1;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = (int64_t)v;
    return 0;
}

int opts_parse_uint64(const char *text, uint64_t *out) {
    if (text == NULL || *text == '\0' || *text == '-')
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int opts_parse_double(const char *text, double *out) {
    if (text == NULL || *text == '\0')
        return -1;
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno != 0 || *end != '\0' || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static const opt_spec *find_long(const opt_spec *opts, const char *name, size_t len) {
    for (const opt_spec *o = opts; o && o->long_name; o++)
        if (strlen(o->long_name) == len && strncmp(o->long_name, name, len) == 0)
            return o;
    return NULL;
}

static const opt_spec *find_short(const opt_spec *opts, char c) {
    for (const opt_spec *o = opts; o && o->long_name; o++)
        if (o->short_name == c)
            return o;
    return NULL;
}

static void option_label(const opt_spec *o, char *buf, size_t size) {
    if (o->short_name)
        snprintf(buf, size, "-%c/--%s", o->short_name, o->long_name);
    else
        snprintf(buf, size, "--%s", o->long_name);
}

static int store_value(const cmd_spec *cmd, const opt_spec *o, const char *value, sim_error *err) {
    char label[96];
    option_label(o, label, sizeof label);
    switch (o->kind) {
    case OPT_FLAG:
        *(int *)o->dest = 1;
        return 0;
    case OPT_STRING:
        *(const char **)o->dest = value;
        return 0;
    case OPT_STRINGS: {
        opt_strings *l = o->dest;
        if (l->n == OPT_STRINGS_MAX)
            return error_set(err, "%s: %s: at most %d times", cmd->name, label, OPT_STRINGS_MAX);
        l->v[l->n++] = value;
        return 0;
    }
    case OPT_INT:
        if (opts_parse_int64(value, (int64_t *)o->dest) != 0)
            return error_set(err, "%s: %s: expected an integer, got \"%s\"", cmd->name, label,
                             value);
        return 0;
    case OPT_UINT64:
        if (opts_parse_uint64(value, (uint64_t *)o->dest) != 0)
            return error_set(err, "%s: %s: expected a non-negative integer, got \"%s\"", cmd->name,
                             label, value);
        return 0;
    case OPT_DOUBLE:
        if (opts_parse_double(value, (double *)o->dest) != 0)
            return error_set(err, "%s: %s: expected a number, got \"%s\"", cmd->name, label, value);
        return 0;
    case OPT_DURATION: {
        double seconds;
        if (opts_parse_double(value, &seconds) == 0) {
            if (duration_from_seconds(seconds, (int64_t *)o->dest, err) != 0)
                return error_prefix(err, "%s: %s", cmd->name, label);
            return 0;
        }
        if (duration_parse(value, (int64_t *)o->dest, err) != 0)
            return error_prefix(err, "%s: %s", cmd->name, label);
        return 0;
    }
    }
    return error_set(err, "%s: internal error: bad option kind", cmd->name);
}

static int unknown_option(const cmd_spec *cmd, const char *arg, sim_error *err) {
    const char *names[64];
    int n = 0;
    for (const opt_spec *o = cmd->options; o && o->long_name && n < 63; o++)
        names[n++] = o->long_name;
    names[n++] = "help";
    const char *word = arg;
    while (*word == '-')
        word++;
    char stem[128];
    snprintf(stem, sizeof stem, "%.*s", (int)strcspn(word, "="), word);
    const char *guess = opts_closest(stem, names, n);
    if (guess)
        return error_set(err,
                         "%s: unknown option '%s' (did you mean '--%s'?); see 'scalesim %s --help'",
                         cmd->name, arg, guess, cmd->name);
    return error_set(err, "%s: unknown option '%s'; see 'scalesim %s --help'", cmd->name, arg,
                     cmd->name);
}

int opts_parse(const cmd_spec *cmd, int argc, char **argv, int *npositional, sim_error *err) {
    int npos = 0;
    int only_positional = 0;
    for (int i = 1; i < argc; i++) {
        char *arg = argv[i];
        if (only_positional || arg[0] != '-' || arg[1] == '\0') {
            argv[1 + npos++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_positional = 1;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            opts_print_help(cmd, stdout);
            return OPTS_HELP;
        }
        const opt_spec *o = NULL;
        const char *value = NULL;
        if (arg[1] == '-') {
            const char *name = arg + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            o = find_long(cmd->options, name, len);
            if (o == NULL)
                return unknown_option(cmd, arg, err);
            if (eq) {
                if (o->kind == OPT_FLAG)
                    return error_set(err, "%s: option '--%s' takes no value", cmd->name,
                                     o->long_name);
                value = eq + 1;
            }
        } else {
            o = find_short(cmd->options, arg[1]);
            if (o == NULL)
                return unknown_option(cmd, arg, err);
            if (arg[2] != '\0') {
                if (o->kind == OPT_FLAG)
                    return error_set(err, "%s: option '-%c' takes no value", cmd->name,
                                     o->short_name);
                value = arg + 2;
            }
        }
        if (o->kind != OPT_FLAG && value == NULL) {
            if (i + 1 >= argc) {
                char label[96];
                option_label(o, label, sizeof label);
                return error_set(err, "%s: option %s needs a value (%s)", cmd->name, label,
                                 o->metavar ? o->metavar : "VALUE");
            }
            value = argv[++i];
        }
        if (store_value(cmd, o, value, err) != 0)
            return OPTS_ERROR;
    }
    *npositional = npos;
    return OPTS_OK;
}

void opts_print_help(const cmd_spec *cmd, FILE *out) {
    fprintf(out, "Usage: %s\n\n%s\n", cmd->usage, cmd->summary);
    if (cmd->description)
        fprintf(out, "\n%s\n", cmd->description);
    fprintf(out, "\nOptions:\n");
    for (const opt_spec *o = cmd->options; o && o->long_name; o++) {
        char left[96];
        int n;
        if (o->short_name)
            n = snprintf(left, sizeof left, "  -%c, --%s", o->short_name, o->long_name);
        else
            n = snprintf(left, sizeof left, "      --%s", o->long_name);
        if (o->kind != OPT_FLAG && n > 0 && (size_t)n < sizeof left)
            snprintf(left + n, sizeof left - (size_t)n, " %s", o->metavar ? o->metavar : "VALUE");
        fprintf(out, "%-30s %s\n", left, o->help);
    }
    fprintf(out, "%-30s %s\n", "  -h, --help", "show this help and exit");
}
