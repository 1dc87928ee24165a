/* label_selector.h: a metric's label selector written as Go's %+v prints a
 * *metav1.LabelSelector (its generated String()), the form upstream's HPA error messages and
 * events quote: "&LabelSelector{MatchLabels:map[string]string{k: v,},MatchExpressions:[]...}".
 *
 * Contract: match_labels is an object of string values (or NULL), match_expressions an array of
 * {key, operator, values} objects (or NULL); callers validate the shapes first (a value of
 * another type prints as ""). Returns a malloc'd string, NULL when memory runs out. Shared by
 * the scenario loader (hpa_section.c) and `scalesim hpa` (cli/hpa_case_io.c). */
#ifndef SCALESIM_SCENARIO_LABEL_SELECTOR_H
#define SCALESIM_SCENARIO_LABEL_SELECTOR_H

#include <cjson/cJSON.h>

char *label_selector_string(const cJSON *match_labels, const cJSON *match_expressions);

#endif
