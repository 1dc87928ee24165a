/* cronhpa_report.h: what the CronHPA controller did, for the run's outputs: its status as
 * `kubectl describe cronhpa` shows the conditions (with the simulated wall clock in the
 * controller's zone), its events for events.log, the warnings about upstream quirks that
 * changed an outcome, and the same as a "cronhpa" object for summary.json.
 *
 * Contract: pure formatting of a finished cron_ctl; byte-identical for the same run. */
#ifndef SCALESIM_OUTPUT_CRONHPA_REPORT_H
#define SCALESIM_OUTPUT_CRONHPA_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "sim/model/cron_controller.h"

/* The summary block: target, zone, start, conditions, fire count and every warning. */
void cronhpa_report_print(FILE *f, const cron_ctl *c, int64_t end_us);

/* The events.log section (same columns as the HPA's, plus the wall clock). */
void cronhpa_events_write(FILE *f, const cron_ctl *c, int64_t end_us);

/* Adds "cronhpa": {...} to root. */
void cronhpa_summary_json(cJSON *root, const cron_ctl *c);

/* Adds "keda": {"scaledobject", "triggers": [{metric, timezone, start, end, desiredReplicas,
 * queries, active_queries}]} to root. */
void keda_summary_json(cJSON *root, const keda_ctl *k, const hpa_ctl *h);

/* One line per KEDA cron trigger for the summary. */
void keda_report_print(FILE *f, const keda_ctl *k, const hpa_ctl *h);

#endif
