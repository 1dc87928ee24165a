/* duration.h: simulated time is an int64 count of microseconds everywhere in scalesim.
 *
 * duration_parse accepts Go's time.ParseDuration syntax ("250ms", "1h30m", "1.5s", "-2m", "0"),
 * the form users know from kubectl, hey (-z) and Kubernetes manifests, and rounds to whole
 * microseconds (a nonzero value below 1us is an error, not a silent zero). duration_format writes
 * the shortest Go-style form ("1h30m", "2m", "250ms", "0s"). */
#ifndef SCALESIM_COMMON_DURATION_H
#define SCALESIM_COMMON_DURATION_H

#include <stdint.h>
#include <stddef.h>

#include "common/error.h"

#define US_PER_MS   INT64_C(1000)
#define US_PER_SEC  INT64_C(1000000)
#define US_PER_MIN  (60 * US_PER_SEC)
#define US_PER_HOUR (60 * US_PER_MIN)

/* Parses a Go duration string. On error fills err with what was wrong and returns -1. */
int duration_parse(const char *text, int64_t *out_us, sim_error *err);

/* Converts seconds (a JSON number) to microseconds; rejects NaN, infinities and overflow. */
int duration_from_seconds(double seconds, int64_t *out_us, sim_error *err);

/* Writes a Go-style duration ("1h2m3.5s" style, trailing zero units dropped) into buf. */
void duration_format(int64_t us, char *buf, size_t size);

#endif
