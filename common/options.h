/* options.h: the one command-line parser, shared by every subcommand.
 *
 * A command describes itself with a cmd_spec (name, usage line, one-line summary, longer
 * description) and a table of opt_spec ending with {0}. opts_parse fills the destinations,
 * collects positional arguments (in order, in argv's own storage), handles -h/--help by
 * printing generated help to stdout, and reports every mistake (unknown option with a
 * did-you-mean, missing or malformed value) through sim_error. Accepted forms: --name value,
 * --name=value, -x value, -xVALUE, and "--" to end options. */
#ifndef SCALESIM_COMMON_OPTIONS_H
#define SCALESIM_COMMON_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

#include "common/error.h"

typedef enum {
    OPT_FLAG,     /* int *: set to 1 */
    OPT_STRING,   /* const char **: points into argv */
    OPT_INT,      /* int64_t * */
    OPT_UINT64,   /* uint64_t * (seeds) */
    OPT_DOUBLE,   /* double * */
    OPT_DURATION, /* int64_t * microseconds; Go syntax or plain seconds */
    OPT_STRINGS,  /* opt_strings *: repeatable, each value appended (points into argv) */
} opt_kind;

#define OPT_STRINGS_MAX 32

/* The values of a repeatable option, in command-line order. */
typedef struct opt_strings {
    const char *v[OPT_STRINGS_MAX];
    int n;
} opt_strings;

typedef struct opt_spec {
    const char *long_name; /* without the leading "--" */
    char short_name;       /* 0 for none */
    opt_kind kind;
    const char *metavar; /* shown in help, e.g. "DIR" */
    const char *help;
    void *dest;
} opt_spec;

typedef struct cmd_spec {
    const char *name;        /* "run" */
    const char *usage;       /* "scalesim run SCENARIO [options]" */
    const char *summary;     /* one line, for `scalesim --help` */
    const char *description; /* paragraphs printed after the usage line; may be NULL */
    const opt_spec *options; /* terminated by an entry with long_name == NULL */
} cmd_spec;

enum { OPTS_OK = 0, OPTS_HELP = 1, OPTS_ERROR = -1 };

/* Parses argv[1..argc-1] (argv[0] is the command name). Positional arguments are moved to the
 * front of argv+1 and counted in *npositional, so they are argv[1..*npositional].
 * Returns OPTS_OK, OPTS_HELP (help was printed; exit 0) or OPTS_ERROR. */
int opts_parse(const cmd_spec *cmd, int argc, char **argv, int *npositional, sim_error *err);

/* Prints the generated help of a command. */
void opts_print_help(const cmd_spec *cmd, FILE *out);

/* Edit distance used for did-you-mean suggestions (also used by the scenario loader). */
int opts_edit_distance(const char *a, const char *b);

/* Returns the candidate closest to word when it is close enough to be a likely typo, else NULL. */
const char *opts_closest(const char *word, const char *const *candidates, int ncandidates);

/* Strict number parsers shared with other input readers: the whole text must be a number. */
int opts_parse_int64(const char *text, int64_t *out);
int opts_parse_uint64(const char *text, uint64_t *out);
int opts_parse_double(const char *text, double *out);

#endif
