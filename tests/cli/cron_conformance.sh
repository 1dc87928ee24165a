#!/usr/bin/env bash
# cron_conformance.sh: every case of the cron conformance sample (tests/conformance/cron-cases.json,
# a copy of shared/conformance/cron/cron-cases.json) must pass through `scalesim cron --cases`.
set -u
out=$("$SCALESIM" cron --cases "$SRC/tests/conformance/cron-cases.json")
rc=$?
last=$(printf '%s\n' "$out" | tail -n 1)
echo "$last"
case "$last" in
*" passed, 0 failed") ;;
*) echo "FAIL: conformance cases failed (rc=$rc)"; printf '%s\n' "$out" | head -n 20; exit 1 ;;
esac
[ "$rc" -eq 0 ] || { echo "FAIL: exit status $rc with 0 failed"; exit 1; }
# One JSON line per case, ids in file order, and a count that matches the file.
ncases=$(grep -c '"id"' "$SRC/tests/conformance/cron-cases.json")
nlines=$(printf '%s\n' "$out" | grep -c '^{"id": ')
[ "$ncases" -eq "$nlines" ] || { echo "FAIL: $nlines result lines for $ncases cases"; exit 1; }
[ "$last" = "$ncases passed, 0 failed" ] || { echo "FAIL: expected '$ncases passed, 0 failed'"; exit 1; }
echo "ok"
