/* check_junit.h: writes `scalesim check` results as JUnit XML, the common format CI systems
 * read: <testsuites> holding one <testsuite> per scenario and one <testcase> per assertion,
 * with a <failure> child for an assertion that failed and an <error> child for one that could
 * not be evaluated. Text is escaped for XML 1.0 (characters XML cannot carry become '?').
 * The output is deterministic: no timestamps, no host names; time attributes are 0. */
#ifndef SCALESIM_OUTPUT_CHECK_JUNIT_H
#define SCALESIM_OUTPUT_CHECK_JUNIT_H

#include <stddef.h>
#include <stdio.h>

typedef enum { CHECK_CASE_PASSED, CHECK_CASE_FAILED, CHECK_CASE_ERROR } check_case_status;

typedef struct check_case {
    const char *name; /* the assertion's name */
    check_case_status status;
    const char *message; /* the observation or the error; may be NULL */
} check_case;

typedef struct check_suite {
    const char *name; /* the scenario's name */
    const char *file; /* the scenario file, or NULL */
    const check_case *cases;
    size_t n;
} check_suite;

/* Writes the document to f. Returns 0, or -1 when writing failed (ferror). */
int check_junit_write(FILE *f, const check_suite *suites, size_t n);

#endif
