/* hey_args.h: a hey command line, parsed exactly as hey parses its own.
 *
 * hey_args_parse_command takes the line a user would type ("hey -z 2m -c 20 -m POST ... URL"),
 * splits it into words with POSIX shell quoting (hey_shell_split), then reads the words with the
 * rules of Go's flag package and hey's own flag set, defaults and checks (rakyll/hey hey.go at
 * commit 8985827, after v0.1.4). hey_args_parse_argv does the same for words already split (the
 * loadgen's own command line). Every flag is kept, including those that do not shape load
 * (headers, body, proxy...). On error, err says what hey would have objected to and *err_offset
 * (when not NULL) is the byte offset in the command of the word at fault. A hey_args owns its
 * strings: release it with hey_args_free. */
#ifndef SCALESIM_COMMON_HEY_ARGS_H
#define SCALESIM_COMMON_HEY_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

/* The largest -q hey can honour: its per-worker ticker interval is time.Duration(1e6/q) us,
 * which truncates to 0 above this, and time.Tick(0) returns nil, so hey would never send. */
#define HEY_MAX_QPS 1e6
/* scalesim's own bound on -c (hey has none): one simulated worker per request slot. */
#define HEY_MAX_WORKERS 1000000

typedef struct hey_header_kv {
    char *name; /* canonical form, as Go's http.Header.Set stores it ("Content-Type") */
    char *value;
} hey_header_kv;

typedef struct hey_args {
    /* What shapes the load (hey's defaults in brackets). */
    int64_t n;    /* -n [200]; ignored by hey when -z > 0 */
    int64_t c;    /* -c [50] */
    double q;     /* -q [0]: per-worker rate limit; <= 0 means none */
    int64_t z_us; /* -z [0]: duration; <= 0 means none (then -n applies) */
    int64_t t_s;  /* -t [20]: client timeout in whole seconds; <= 0 means none */
    /* What does not (kept for loadgen and reports). NULL when not given unless noted. */
    char *method;       /* -m [GET], upper-cased as hey does */
    char *url;          /* the first argument after the flags */
    char *body;         /* -d */
    char *body_file;    /* -D */
    char *accept;       /* -A */
    char *content_type; /* -T [text/html], replaced by a -H Content-Type (hey sets -T first) */
    char *basic_auth;   /* -a "user:password" */
    char *host;         /* -host */
    char *user_agent;   /* -U */
    char *proxy;        /* -x */
    char *output;       /* -o ("csv" or a summary) */
    int h2, disable_compression, disable_keepalive, disable_redirects;
    int64_t cpus;           /* -cpus; 0 when not given (hey uses every core) */
    hey_header_kv *headers; /* -H, later ones replacing earlier ones of the same name */
    size_t n_headers;
} hey_args;

/* Splits a shell command line into words: blanks separate words, '...' is literal, "..." keeps
 * blanks and honours \" \\ \$ \` escapes, a backslash outside quotes escapes the next character,
 * backslash-newline joins lines, and an unquoted # at the start of a word starts a comment.
 * $VAR and ${VAR} are kept as written (not expanded). Pipes, redirections, ';', '&', '(' and
 * command substitution are refused. On success *argv (NULL-terminated, *argc words) and
 * *offsets (byte offset of each word's first character) are allocated; free with
 * hey_shell_free. On error returns -1 with *err_offset at the fault. */
int hey_shell_split(const char *line, char ***argv, size_t **offsets, int *argc, size_t *err_offset,
                    sim_error *err);
void hey_shell_free(char **argv, size_t *offsets, int argc);

/* Parses words that follow the program name ("-z", "2m", ..., URL). On error returns -1 and
 * sets *bad_word (when not NULL) to the index of the word at fault. */
int hey_args_parse_argv(int argc, char *const *argv, hey_args *out, int *bad_word, sim_error *err);

/* Parses a whole command line; the first word must be hey (any path ending in "hey") or the
 * line may start directly with a flag. */
int hey_args_parse_command(const char *command, hey_args *out, size_t *err_offset, sim_error *err);

void hey_args_free(hey_args *args);

#endif
