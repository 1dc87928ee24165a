#!/usr/bin/env bash
# The main paths under valgrind's memcheck: no invalid access, no uninitialised use, no leak.
# (The ASan+UBSan build covers the unit tests; this covers the shipped binary end to end.)
set -euo pipefail
command -v valgrind >/dev/null || { echo "valgrind missing (scripts/install-deps installs it)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vg=(valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9 -q)
"${vg[@]}" "$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" --duration 60s -q -o "$tmp/iris"
"${vg[@]}" "$SCALESIM" run "$SRC/scenarios/qwen-cronhpa.json" --duration 2h -q -o "$tmp/cron"
"${vg[@]}" "$SCALESIM" check "$SRC/scenarios/qwen.json" -q > /dev/null
"${vg[@]}" "$SCALESIM" hpa --cases "$SRC/tests/conformance/hpa-cases.json" > /dev/null
"${vg[@]}" "$SCALESIM" cron --cases "$SRC/tests/conformance/cron-cases.json" > /dev/null
"${vg[@]}" "$SCALESIM" replay "$tmp/iris/timeline.csv" --scenario "$SRC/scenarios/sklearn-iris.json" \
    --set 'hpa.spec.metrics[0].resource.target.averageUtilization=15' -o "$tmp/whatif" > /dev/null
set +e
"${vg[@]}" "$SCALESIM" run "$SRC/scenarios/does-not-exist.json" 2>/dev/null; rc=$?
set -e
[[ $rc -eq 2 ]] || { echo "FAIL: a missing scenario under valgrind exited $rc (9 = valgrind error)"; exit 1; }
echo "valgrind_clean: all runs clean"
