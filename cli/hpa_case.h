/* hpa_case.h: one conformance case (schema: tests/conformance/hpa-cases.json, described in
 * docs/hpa.md) -> the structs of sim/control/hpa -> the library call -> the `got` object.
 *
 * Contract: hpa_case_eval never looks inside the case's `expect` except for its key list
 * (which keys to print, in that order); the comparison is the caller's job. Bad input fills
 * r->err ("FILE: case N: input.pods[2].phase: expected ...") and returns -1. */
#ifndef SCALESIM_CLI_HPA_CASE_H
#define SCALESIM_CLI_HPA_CASE_H

#include <stdio.h>

#include "cli/hpa_json.h"

/* Evaluates case object c. *got receives a malloc'd JSON object text holding the keys of
 * `expect_keys` (an object whose values are ignored), or every key the kind produces when it
 * is NULL. When explain is not NULL a readable account of the decision is written to it. */
int hpa_case_eval(hjson_reader *r, const cJSON *c, const cJSON *expect_keys, char **got,
                  FILE *explain);

#endif
