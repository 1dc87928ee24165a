/* error.h: the one error-reporting path.
 *
 * Library code never prints and never exits: a function that can fail takes a `sim_error *`,
 * fills it with a complete, human-readable message and returns -1. Only cli/ prints the message
 * (prefixed "scalesim: ") and picks the exit code. `err` may be NULL when the caller does not care.
 * Messages about input name where the problem is (file:line:col: json.path: what was expected). */
#ifndef SCALESIM_COMMON_ERROR_H
#define SCALESIM_COMMON_ERROR_H

#include <stddef.h>

/* Exit codes of every subcommand (documented in README.md). */
enum { EXIT_OK = 0, EXIT_ASSERTION_FAILED = 1, EXIT_INPUT_ERROR = 2 };

#define SIM_ERROR_MAX 1024

typedef struct sim_error {
    char msg[SIM_ERROR_MAX];
} sim_error;

/* Sets the message (printf-style) and returns -1, so callers can `return error_set(err, ...)`. */
int error_set(sim_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Puts "<prefix>: " in front of the current message; returns -1. */
int error_prefix(sim_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
