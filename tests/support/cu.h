/* cu.h: a thin layer over CUnit so each tests/test_*.c is just its tests and a table.
 *
 *   static const cu_test tests[] = {{"name", fn}, ..., {NULL, NULL}};
 *   int main(void) { cu_add_suite("suite", tests); return cu_run_all(); }
 *
 * cu_run_all runs everything with CUnit's basic interface (verbose) and returns nonzero when
 * any assertion failed, so ctest sees the result. Helpers for tests that read project files
 * and run the scalesim binary are here too. */
#ifndef SCALESIM_TESTS_CU_H
#define SCALESIM_TESTS_CU_H

#include <CUnit/CUnit.h>
#include <stddef.h>

typedef struct cu_test {
    const char *name;
    void (*fn)(void);
} cu_test;

void cu_add_suite(const char *name, const cu_test *tests);
int cu_run_all(void);

/* Path of a file in the source tree ($SRC, or the compiled-in source dir); static buffer. */
const char *cu_src_path(const char *relative);

/* The scalesim binary ($SCALESIM); NULL when unset. */
const char *cu_scalesim(void);

/* Runs a shell command, captures stdout+stderr (up to cap-1 bytes) into out; returns the
 * command's exit status (or -1). */
int cu_run_capture(const char *command, char *out, size_t cap);

/* Writes text to a fresh temporary file and returns its path (static buffer per call slot). */
const char *cu_write_temp(const char *suffix, const char *text);

/* A copy of s with every backquote turned into a double quote, so JSON can be written inside C
 * strings readably; free() it. */
char *cu_swap_quotes(const char *s);

/* Line and column (characters, from 1) in text of marker (backquotes read as double quotes); a
 * '^' in the marker marks the spot inside it (default: its start). A missing marker fails the
 * test. NULL marker: 1:1. */
void cu_marker_pos(const char *text, const char *marker, int *line, int *col);

#endif
