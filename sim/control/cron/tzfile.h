/* tzfile.h: named IANA time zones read from the system tz database (TZif files, RFC 8536), for
 * evaluating cron schedules in a zone without touching the process's TZ or localtime.
 *
 * Contract: cron_zone_load reads <dir>/<name> once (version 2+ 64-bit data and the footer POSIX
 * TZ string that governs instants after the last transition; version 1 files use the 32-bit
 * data). A loaded zone is immutable and may be shared. The two queries reproduce Go's time
 * package (go1.19 src/time/zoneinfo.go lookup/tzset and time.go Date), because both cron
 * libraries modelled here (robfig/cron v3.0.1, ringtail/go-cron) do their arithmetic with it:
 *   - cron_zone_offset: UTC offset in effect at an instant (before the first transition: the
 *     zone Go's lookupFirstZone picks; after the last: the footer rule);
 *   - cron_zone_date: wall clock -> instant. For a wall time that exists once this is exact; for
 *     one in a spring-forward gap or a fall-back overlap it is Go's choice: take the offset at
 *     the wall time read as UTC, and if the instant it gives falls outside that offset's period,
 *     the offset at that instant instead (so New York 02:30 on a spring-forward day becomes 01:30
 *     EST, and a repeated 01:30 is the first, EDT, one).
 * A NULL zone means UTC. Names "" and "UTC" give UTC, as Go's LoadLocation does. */
#ifndef SCALESIM_CRON_TZFILE_H
#define SCALESIM_CRON_TZFILE_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#define CRON_ZONEINFO_DIR "/usr/share/zoneinfo"

typedef struct cron_zone cron_zone;

/* Loads zone `name` from CRON_ZONEINFO_DIR. On error fills err ("time zone \"X\": ...") and
 * returns -1. Rejects "Local" (the process zone is global state) and names with "..", a leading
 * '/' or '\\', like Go. */
int cron_zone_load(const char *name, cron_zone **out, sim_error *err);
int cron_zone_load_dir(const char *dir, const char *name, cron_zone **out, sim_error *err);

/* Builds a zone from the bytes of a TZif file (tests use this with hand-made data). */
int cron_zone_from_tzif(const char *name, const unsigned char *data, size_t len, cron_zone **out,
                        sim_error *err);

void cron_zone_free(cron_zone *zone);

/* "UTC" for NULL. */
const char *cron_zone_name(const cron_zone *zone);

/* UTC offset in seconds east of Greenwich at unix_s. */
int32_t cron_zone_offset(const cron_zone *zone, int64_t unix_s);

/* Instant (unix seconds) of a wall-clock time given as seconds since 1970-01-01T00:00 on the
 * zone's clock, with Go's gap/overlap choice described above. */
int64_t cron_zone_date(const cron_zone *zone, int64_t wall_s);

#endif
