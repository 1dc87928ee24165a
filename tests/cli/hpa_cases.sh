#!/usr/bin/env bash
# hpa_cases.sh: `scalesim hpa --cases` passes every conformance case of the repository's copy
# of the upstream-derived vectors, prints one {"id": N, "got": ...} line per case, and exits 0.
set -euo pipefail
file="$SRC/tests/conformance/hpa-cases.json"
want=$(grep -c '^{"id": ' "$file")
out=$(mktemp)
trap 'rm -f "$out"' EXIT
rc=0
"$SCALESIM" hpa --cases "$file" >"$out" || rc=$?
last=$(tail -n 1 "$out")
lines=$(grep -c '^{"id": [0-9]*, "got": {' "$out" || true)
if [ "$rc" -ne 0 ] || [ "$last" != "$want passed, 0 failed" ] || [ "$lines" -ne "$want" ]; then
    echo "FAIL: rc=$rc, last line '$last', $lines result lines; expected '$want passed, 0 failed'"
    grep -v '^{"id"' "$out" | head -20
    exit 1
fi
# got never invents keys: case 1 reports exactly what its expect asks for
grep -qx '{"id": 1, "got": {"replicas": 5, "utilization": 50, "raw_value_milli": 1000}}' "$out" ||
    { echo "FAIL: case 1 line"; grep '^{"id": 1,' "$out"; exit 1; }
# int64 values survive exactly (no trip through double)
grep -q '"usage_milli": 9223372036854775807' "$out" || { echo "FAIL: int64 output"; exit 1; }
echo "ok: $last"
