#!/usr/bin/env bash
# scenarios/diurnal-hpa.json (24 h, about 18 million requests, a few seconds): the HPA follows
# the daily curve: minReplicas (2) at night, about 13 replicas around the 14:00 peak (400 rps x
# 20 ms = 8 cores at a 60 % target), no request lost.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
set +e
out=$("$SCALESIM" run "$SRC/scenarios/diurnal-hpa.json" -o "$tmp/d" 2>&1); rc=$?
set -e
[[ $rc -eq 0 ]] || fail "rc=$rc $out"
tl=$tmp/d/timeline.csv
d=$(head -1 "$tl" | tr ',' '\n' | grep -nx desired_replicas | cut -d: -f1)
f=$(head -1 "$tl" | tr ',' '\n' | grep -nx failed | cut -d: -f1)
# desired at 02:00 (trough of the curve is at midnight) and at 14:00
night=$(awk -F, -v c="$d" '$1==7200 {print $c}' "$tl")
peak=$(awk -F, -v c="$d" '$1==50400 {print $c}' "$tl")
fails=$(awk -F, -v c="$f" 'NR>1 {s+=$c} END {print s}' "$tl")
echo "desired at 02:00 $night, at 14:00 $peak, failed requests $fails"
[[ $night -eq 2 ]] || fail "night: $night replicas, expected minReplicas 2"
(( peak >= 12 && peak <= 15 )) || fail "peak: $peak replicas, expected about 13"
[[ $fails -eq 0 ]] || fail "$fails failed requests"
echo ok
