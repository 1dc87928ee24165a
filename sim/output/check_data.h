/* check_data.h: a run's output files, parsed for the check engine (check.h) and the report.
 *
 * A run folder holds timeline.csv (one row a second, columns read by NAME so that columns added
 * later -- desired_replicas, current_replicas, per-metric true/observed values -- are used as
 * soon as they appear), summary.json and, once the autoscaling loop writes it, events.log.
 * The parsers are pure functions over text; check_run_load reads a folder. All return 0, or -1
 * with err filled ("path:line: what" for the CSV). A check_run owns everything inside it; free
 * it with check_run_free (safe on a zeroed or freed one). */
#ifndef SCALESIM_OUTPUT_CHECK_DATA_H
#define SCALESIM_OUTPUT_CHECK_DATA_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

/* A numeric CSV table with a header row, column by column. Empty fields read as NaN. */
typedef struct check_table {
    char **names;  /* ncols column names */
    double **cols; /* ncols arrays of nrows values */
    size_t ncols, nrows;
} check_table;

/* One SuccessfulRescale event from events.log. */
typedef struct check_event {
    int64_t t_us; /* simulated time, -1 when the line carries none that could be read */
    int new_size; /* "New size: N", -1 when absent */
} check_event;

typedef struct check_run {
    check_table timeline;
    cJSON *summary;      /* NULL when the folder had no summary.json */
    int has_events;      /* events.log was present */
    check_event *events; /* its SuccessfulRescale lines, in file order */
    size_t n_events;
} check_run;

/* Parses CSV text (a header of names, then rows of numbers; no quoting). `name` is used in
 * messages. At least the header is required; rows must have as many fields as the header. */
int check_table_parse(const char *text, size_t len, const char *name, check_table *out,
                      sim_error *err);
int check_table_load(const char *path, check_table *out, sim_error *err);
void check_table_free(check_table *t);

/* Index of a column by name, -1 when absent. */
int check_table_col(const check_table *t, const char *name);

/* Parses events.log text (kubectl describe hpa's event lines, or one event per line): keeps
 * the lines whose reason is SuccessfulRescale, with their time and new size when readable. */
int check_events_parse(const char *text, size_t len, check_event **out, size_t *n_out,
                       sim_error *err);

/* Reads dir/timeline.csv (required), dir/summary.json and dir/events.log (each optional). */
int check_run_load(const char *dir, check_run *out, sim_error *err);
void check_run_free(check_run *run);

/* A file's whole contents (malloc'd, NUL-terminated); NULL with err set, or NULL with
 * err untouched and *missing = 1 when the file does not exist and missing is not NULL. */
char *check_read_file(const char *path, size_t *len, int *missing, sim_error *err);

#endif
