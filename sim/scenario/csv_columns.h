/* csv_columns.h: reads named columns of a CSV file that starts with a header row (libcsv).
 *
 * Used for rate traces (columns t_s,rps) and empirical distributions (one chosen column).
 * Fields are split by libcsv in strict mode (RFC 4180 quoting; spaces around unquoted fields
 * trimmed; empty lines skipped); every data row must have as many fields as the header; a
 * UTF-8 BOM before the header is ignored. For each data row, `row` gets the requested fields
 * in the order of `names` and the row's 1-based line number. Errors read "path:line: what". */
#ifndef SCALESIM_SCENARIO_CSV_COLUMNS_H
#define SCALESIM_SCENARIO_CSV_COLUMNS_H

#include "common/error.h"

/* Returned when the file cannot be opened or read; err then holds strerror's text only, so
 * that the caller can say where in the scenario the file was named. */
#define CSV_COLUMNS_CANNOT_OPEN (-2)
#define CSV_COLUMNS_MAX_BYTES   (256u << 20)

typedef int (*csv_row_fn)(void *user, const char *path, int line, const char *const *fields,
                          sim_error *err);

/* names: ncols column names; with ncols == 1, names[0] may be NULL for "the file's only
 * column". header_hint is shown in errors about the header ("t_s,rps"). At least one data row
 * is required. Returns the number of data rows, -1 (err set) or CSV_COLUMNS_CANNOT_OPEN. */
long csv_read_columns(const char *path, const char *const *names, int ncols,
                      const char *header_hint, csv_row_fn row, void *user, sim_error *err);

#endif
