#!/usr/bin/env bash
# scalesim run from the command line: outputs written, deterministic across runs, a seed
# override changes them, and bad usage or input exits 2 with a precise message.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" -o "$tmp/a" --duration 30s > "$tmp/a.txt"
[[ -s $tmp/a/timeline.csv && -s $tmp/a/summary.json ]] || fail "outputs missing"
grep -q '^Summary:' "$tmp/a.txt" || fail "no hey-format summary"
rows=$(($(wc -l < "$tmp/a/timeline.csv") - 1))
[[ $rows -eq 30 ]] || fail "expected 30 timeline rows for --duration 30s, got $rows"

"$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" -o "$tmp/b" --duration 30s > "$tmp/b.txt"
cmp -s "$tmp/a/timeline.csv" "$tmp/b/timeline.csv" || fail "timeline differs between identical runs"
cmp -s "$tmp/a/summary.json" "$tmp/b/summary.json" || fail "summary differs between identical runs"

"$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" -o "$tmp/c" --duration 30s --seed 99 -q
cmp -s "$tmp/a/timeline.csv" "$tmp/c/timeline.csv" && fail "--seed 99 gave the same timeline"

set +e
out=$("$SCALESIM" run 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"expected exactly one SCENARIO file, got 0"* ]] || fail "no-arg: rc=$rc $out"
out=$("$SCALESIM" run "$tmp/nope.json" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"nope.json"* ]] || fail "missing file: rc=$rc $out"
out=$("$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" --seed -3 2>&1); rc=$?
[[ $rc -eq 2 && $out == *'--seed: expected a non-negative integer, got "-3"'* ]] || fail "seed: rc=$rc $out"
out=$("$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" --duration 5x 2>&1); rc=$?
[[ $rc -eq 2 && $out == *'invalid duration "5x"'* ]] || fail "duration: rc=$rc $out"
printf '{"name": "x", "servce": {}}' > "$tmp/typo.json"
out=$("$SCALESIM" run "$tmp/typo.json" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"typo.json:1:"*"did you mean"* ]] || fail "typo: rc=$rc $out"
out=$("$SCALESIM" help run); rc=$?
[[ $rc -eq 0 && $out == *"--duration"* ]] || fail "help run"
echo "run_cli: all checks passed"
