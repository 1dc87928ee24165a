#!/usr/bin/env bash
# cron_differential.sh: 1450 further cron cases whose expected values come from the reference
# libraries themselves (robfig/cron v3.0.1 as packaged by Debian for ParseStandard, ringtail/go-cron
# cfb21c1 for cronhpa, both under Go 1.19.8 with the system tz database), generated from random
# expressions in both dialects over 42 zones, biased towards daylight-saving changes. Only instants up to
# 2025 are kept, so future tz database releases cannot change the answers. Same format and
# runner as cron_conformance.sh.
set -u
file="$SRC/tests/conformance/cron-diff-cases.json"
out=$("$SCALESIM" cron --cases "$file" 2>&1)
rc=$?
last=$(printf '%s\n' "$out" | tail -n 1)
echo "$last"
ncases=$(grep -c '"id"' "$file")
[ "$rc" -eq 0 ] && [ "$last" = "$ncases passed, 0 failed" ] && { echo ok; exit 0; }
echo "FAIL (rc=$rc)"
printf '%s\n' "$out" | grep -v '^{"id"' | head -n 20
exit 1
