/* quantity.h: Kubernetes resource quantities ("500m", "1", "0.5", "200Mi", "1Gi", "1e3", "2k")
 * as int64 milli-units (1 CPU core = 1000, 1 byte of memory = 1000). Suffixes and rounding follow
 * k8s.io/apimachinery/pkg/api/resource/quantity.go (v0.28): binary Ki..Ei, decimal n u m k M G T
 * P E, exponent e/E; MilliValue rounds up, so does quantity_parse_milli. */
#ifndef SCALESIM_COMMON_QUANTITY_H
#define SCALESIM_COMMON_QUANTITY_H

#include <stdint.h>
#include <stddef.h>

#include "common/error.h"

int quantity_parse_milli(const char *text, int64_t *out_milli, sim_error *err);

/* Formats milli-units the way kubectl prints them for cpu ("250m", "2") into buf. */
void quantity_format_cpu(int64_t milli, char *buf, size_t size);

/* Formats bytes with a binary suffix where exact ("200Mi", "1Gi", "1536"). */
void quantity_format_bytes(int64_t bytes, char *buf, size_t size);

#endif
