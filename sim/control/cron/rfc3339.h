/* rfc3339.h: RFC 3339 timestamps for cron input and output, rendered the way Go's
 * time.Format(time.RFC3339) renders them (so the conformance vectors compare as strings):
 * "2024-03-10T03:00:00-04:00", "Z" for a zero offset, offset seconds dropped.
 *
 * Contract: cron_rfc3339_parse accepts YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM) and
 * returns microseconds since the Unix epoch (the fraction truncated to microseconds). */
#ifndef SCALESIM_CRON_RFC3339_H
#define SCALESIM_CRON_RFC3339_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "sim/control/cron/tzfile.h"

int cron_rfc3339_parse(const char *text, int64_t *out_us, sim_error *err);

/* Writes the instant (whole seconds; a fraction is printed only when nonzero) on the wall
 * clock of zone (NULL = UTC). buf needs 40 bytes. */
void cron_rfc3339_format(int64_t us, const cron_zone *zone, char *buf, size_t size);

#endif
