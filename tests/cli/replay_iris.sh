#!/usr/bin/env bash
# scalesim replay: a simulated run's timeline.csv replayed through the HPA code agrees at every
# sync (100%); one perturbed sample (the cpu the HPA reported after the 30 s sync) is reported
# as the first divergence at that sync, with its value and the rule that decided; bad usage
# and bad recordings exit 2 with a precise message.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
sc="$SRC/scenarios/sklearn-iris.json"

"$SCALESIM" run "$sc" -o "$tmp/run" --duration 3m -q
out=$("$SCALESIM" replay "$tmp/run/timeline.csv" --scenario "$sc" --syncs "$tmp/syncs.csv" --strict)
echo "$out"
[[ $out == *"replay: 12 syncs (period 15s, phase 0s), 12 agree: 100.0%"* ]] || fail "not 100%: $out"
[[ $out == *"no divergence"* ]] || fail "divergence reported: $out"
[[ $(wc -l < "$tmp/syncs.csv") -eq 13 ]] || fail "syncs.csv rows"
# the run scales up at the 30 s sync: the replay says which rule capped it
grep -q '^30.000,1,5,5,9,1,1,1,10,1,rate limit (ScaleUpLimit),81$' "$tmp/syncs.csv" ||
    fail "sync 30 not as expected: $(sed -n 4p "$tmp/syncs.csv")"

# perturb the row labelled 30 (seen at the end of second 30, after the 30 s sync): cpu 5%
col=$(head -1 "$tmp/run/timeline.csv" | tr ',' '\n' | grep -n '^cpu_pct_seen$' | cut -d: -f1)
awk -F, -v OFS=, -v c="$col" 'NR > 1 && $1 == 30 { $c = "5.00" } { print }' \
    "$tmp/run/timeline.csv" > "$tmp/perturbed.csv"
cmp -s "$tmp/run/timeline.csv" "$tmp/perturbed.csv" && fail "perturbation changed nothing"
set +e
out=$("$SCALESIM" replay "$tmp/perturbed.csv" --scenario "$sc" --strict); rc=$?
set -e
echo "$out"
[[ $rc -eq 1 ]] || fail "--strict with a divergence: rc=$rc"
[[ $out == *"11 agree: 91.7%"* ]] || fail "agreement after perturbation: $out"
[[ $out == *"first divergence at t=30.000s (sync 3): cpu_pct=5 pods 1/1 ready; current 1, recorded 5, computed 1 (proposal 1), min/max 1/10, decided by: proposal = current (usage ratio 0.50, outside the tolerance)"* ]] ||
    fail "divergence line: $out"

set +e
out=$("$SCALESIM" replay 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"expected exactly one RECORDING file, got 0"* ]] || fail "no-arg: rc=$rc $out"
out=$("$SCALESIM" replay "$tmp/run/timeline.csv" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"--scenario is required"* ]] || fail "no scenario: rc=$rc $out"
out=$("$SCALESIM" replay "$tmp/nope.csv" --scenario "$sc" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"nope.csv: No such file"* ]] || fail "missing file: rc=$rc $out"
out=$("$SCALESIM" replay "$tmp/run/timeline.csv" --scenario "$SRC/scenarios/diurnal.json" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"has no hpa section"* ]] || fail "no hpa: rc=$rc $out"
printf 'time_s,desired_replicas,cpu_pct_seen\n0,1,5\n0,1,5\n' > "$tmp/bad.csv"
out=$("$SCALESIM" replay "$tmp/bad.csv" --scenario "$sc" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"line 3: time 0 is not after the previous row"* ]] || fail "bad csv: rc=$rc $out"
exit 0
