/* internal.h: what the files of sim/control/cron share and nothing outside uses: the one-field
 * parser, descriptor parsing, Go's duration syntax and Go's whitespace. */
#ifndef SCALESIM_CRON_INTERNAL_H
#define SCALESIM_CRON_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "sim/control/cron/cron.h"

/* Parses one field (a comma list) of `len` bytes into a bit set. keep_star_on_step: the fork
 * keeps CRON_STAR_BIT for `* /S` (S > 1), robfig v3 clears it. Error messages start with the
 * field name: "minute field: value 61 out of range 0-59". */
int cron_field_parse(const char *text, size_t len, int field, int keep_star_on_step, uint64_t *bits,
                     sim_error *err);

/* Parses a whole-string descriptor (text starts with '@'). */
int cron_descriptor_parse(const char *text, cron_dialect dialect, cron_schedule *out,
                          sim_error *err);

/* Go's time.ParseDuration (go1.19 src/time/format.go): nanoseconds, Go's units and limits. */
int cron_go_duration(const char *text, int64_t *out_ns, sim_error *err);

/* Length in bytes of the Unicode white space (Go's unicode.IsSpace) at p, 0 if none. */
size_t cron_space_len(const char *p);

#endif
