#!/usr/bin/env bash
# scalesim check from the command line: exit 0/1/2, messages naming the failed assertion with
# its observed value and simulated time, a flapping HPA caught by its rescale count (events.log
# and, without it, the replica column), golden timelines, --seeds, and JUnit XML that has the
# structure of the common JUnit schema (testsuites/testsuite/testcase/failure).
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A fixed single pod under hey -c 20 for a minute: p99 latency near 270 ms, no errors.
scenario() { # $1: file, $2: the expect array
  cat > "$1" <<JSON
{"name": "one-pod", "duration": "90s", "seed": 3,
 "service": {"replicas": 1, "pod": {"cpu_request": "1", "cpu_limit": "1",
             "demand": {"dist": "lognormal", "mean": "5ms", "cv": 0.5}}},
 "load": [{"name": "hey", "hey": "hey -z 1m -c 20 http://x/"}],
 "expect": $2}
JSON
}

scenario "$tmp/ok.json" '[{"replicas_at_most": 1}, {"error_rate_at_most": 0}, {"latency_at_most": "1s"}]'
out=$("$SCALESIM" check "$tmp/ok.json" --junit "$tmp/ok.xml") || fail "passing check exited $?: $out"
[[ $out == *"check: 3 assertions in 1 scenario: 3 passed, 0 failed"* ]] || fail "summary: $out"

scenario "$tmp/bad.json" '[{"replicas_at_most": 1}, {"latency_at_most": "100ms", "window": "10s", "name": "p99 per 10s"}]'
set +e
out=$("$SCALESIM" check "$tmp/bad.json" --junit "$tmp/bad.xml"); rc=$?
set -e
[[ $rc -eq 1 ]] || fail "failing check exited $rc: $out"
[[ $out == *"FAIL  p99 per 10s (line 5): p99 latency "*"ms in the 10s window at "*", above 100ms"* ]] ||
  fail "failure line: $out"

# The JUnit files: well-formed, one testcase per assertion, a failure element for the failure.
python3 - "$tmp/ok.xml" "$tmp/bad.xml" <<'PY' || fail "JUnit structure"
import sys, xml.etree.ElementTree as ET
for path, want_fail in ((sys.argv[1], 0), (sys.argv[2], 1)):
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites", root.tag
    suites = root.findall("testsuite")
    assert len(suites) == 1 and suites[0].get("name") == "one-pod"
    cases = suites[0].findall("testcase")
    assert int(suites[0].get("tests")) == len(cases) == int(root.get("tests"))
    fails = [c for c in cases if c.find("failure") is not None]
    assert int(suites[0].get("failures")) == len(fails) == want_fail, (path, len(fails))
    for c in cases:
        assert c.get("name") and c.get("classname") == "scalesim.one-pod"
        for f in c.findall("failure"):
            assert f.get("message") and f.get("type") == "AssertionFailed" and f.text
    assert set(e.tag for e in root.iter()) <= {"testsuites", "testsuite", "testcase", "failure",
                                               "error", "system-out"}
PY
# And against the schema (tests/cli/check_junit.xsd), when xmllint is installed.
if command -v xmllint > /dev/null; then
  for x in ok bad; do
    xmllint --noout --schema "$SRC/tests/cli/check_junit.xsd" "$tmp/$x.xml" 2> "$tmp/xsd.txt" ||
      fail "JUnit $x.xml does not validate: $(cat "$tmp/xsd.txt")"
  done
  # The schema can fail: a testcase without a name is refused.
  sed 's/<testcase name="[^"]*"/<testcase/' "$tmp/bad.xml" > "$tmp/broken.xml"
  if xmllint --noout --schema "$SRC/tests/cli/check_junit.xsd" "$tmp/broken.xml" 2> /dev/null; then
    fail "the schema accepted a testcase without a name"
  fi
fi

# A flapping HPA, judged on a run folder: events.log with six SuccessfulRescale events.
"$SCALESIM" run "$tmp/ok.json" -o "$tmp/run" -q
cat > "$tmp/run/events.log" <<'EOF2'
  Type    Reason             Time   Age    From                       Message
  ----    ------             ----   ----   ----                       -------
  Normal  SuccessfulRescale  15s    75s    horizontal-pod-autoscaler  New size: 3; reason: cpu resource utilization (percentage of request) above target
  Normal  SuccessfulRescale  30s    60s    horizontal-pod-autoscaler  New size: 1; reason: All metrics below target
  Normal  SuccessfulRescale  45s    45s    horizontal-pod-autoscaler  New size: 3; reason: cpu resource utilization (percentage of request) above target
  Normal  SuccessfulRescale  1m     30s    horizontal-pod-autoscaler  New size: 1; reason: All metrics below target
  Normal  SuccessfulRescale  1m15s  15s    horizontal-pod-autoscaler  New size: 3; reason: cpu resource utilization (percentage of request) above target
  Normal  SuccessfulRescale  1m29s  1s     horizontal-pod-autoscaler  New size: 1; reason: All metrics below target
EOF2
scenario "$tmp/flap.json" '[{"rescales_at_most": 2, "name": "no flapping"}]'
set +e
out=$("$SCALESIM" check "$tmp/flap.json" --run-dir "$tmp/run" --junit "$tmp/flap.xml"); rc=$?
set -e
[[ $rc -eq 1 ]] || fail "flapping exited $rc: $out"
[[ $out == *"FAIL  no flapping (line 5): 6 rescale events (SuccessfulRescale in events.log), more than 2: the 3rd at 45s"* ]] ||
  fail "flapping message: $out"
grep -q '<failure message="6 rescale events' "$tmp/flap.xml" || fail "flapping JUnit"
if command -v xmllint > /dev/null; then
  xmllint --noout --schema "$SRC/tests/cli/check_junit.xsd" "$tmp/flap.xml" 2> /dev/null || fail "flap.xml schema"
fi

# Without events.log, the replica column's changes are counted, and the message says so.
rm "$tmp/run/events.log"
awk -F, 'BEGIN {OFS=","} NR == 1 {print $0, "desired_replicas"; next}
         {print $0, (int($1 / 10) % 2 ? 3 : 1)}' "$tmp/run/timeline.csv" > "$tmp/t.csv"
mv "$tmp/t.csv" "$tmp/run/timeline.csv"
set +e
out=$("$SCALESIM" check "$tmp/flap.json" --run-dir "$tmp/run"); rc=$?
set -e
[[ $rc -eq 1 && $out == *"8 rescales, more than 2: the 3rd at 31s (no events.log: counted as changes of the replica count; column desired_replicas)"* ]] ||
  fail "timeline flapping: rc=$rc $out"

# Golden timeline: the run's own timeline holds; one value moved beyond its tolerance fails.
"$SCALESIM" run "$tmp/ok.json" -o "$tmp/g" -q
cp "$tmp/g/timeline.csv" "$tmp/golden.csv"
scenario "$tmp/golden.json" '[{"golden": "golden.csv", "tolerance": {"latency_p99_ms": "5%"}}]'
out=$("$SCALESIM" check "$tmp/golden.json") || fail "golden of itself: $out"
awk -F, 'BEGIN {OFS=","} NR == 12 {$7 = $7 * 1.2} {print}' "$tmp/g/timeline.csv" > "$tmp/golden.csv"
set +e
out=$("$SCALESIM" check "$tmp/golden.json"); rc=$?
set -e
[[ $rc -eq 1 && $out == *"latency_p99_ms at 10s: "*", golden "*"(tolerance 5%, i.e. "*"1 value outside tolerance in all"* ]] ||
  fail "golden: rc=$rc $out"

# --seeds: the worst seed is reported; outputs are kept with -o.
out=$("$SCALESIM" check "$tmp/ok.json" --seeds 3 -o "$tmp/keep") || fail "seeds: $out"
[[ $out == *"seeds 3..5"* && $out == *"worst of 3 seeds, seed "* ]] || fail "seeds output: $out"
[[ -s $tmp/keep/one-pod/seed-5/timeline.csv && -s $tmp/keep/one-pod/seed-5/scenario.json ]] ||
  fail "--seeds -o did not keep seed-5 with its scenario"

# Deterministic: the same check twice gives the same JUnit file.
"$SCALESIM" check "$tmp/ok.json" -q --junit "$tmp/ok2.xml" > /dev/null
cmp -s "$tmp/ok.xml" "$tmp/ok2.xml" || fail "JUnit differs between identical checks"

# Exit 2: bad input, and assertions that cannot be evaluated.
set +e
out=$("$SCALESIM" check 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"expected at least one SCENARIO"* ]] || fail "no args: rc=$rc $out"
out=$("$SCALESIM" check "$tmp/ok.json" --seeds 0 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"--seeds: expected 1 to 1000, got 0"* ]] || fail "seeds 0: rc=$rc $out"
scenario "$tmp/typo.json" '[{"replicas_at_mots": 1}]'
out=$("$SCALESIM" check "$tmp/typo.json" "$tmp/ok.json" --junit "$tmp/typo.xml" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"typo.json:5:"*'did you mean "replicas_at_most"'* && $out == *"1 scenario could not be run"* ]] ||
  fail "typo: rc=$rc $out"
grep -q '<error message=".*typo.json:5:' "$tmp/typo.xml" || fail "typo JUnit error"
if command -v xmllint > /dev/null; then
  xmllint --noout --schema "$SRC/tests/cli/check_junit.xsd" "$tmp/typo.xml" 2> /dev/null || fail "typo.xml schema"
fi
scenario "$tmp/gpu.json" '[{"gpu_hours_at_most": 1}]'
out=$("$SCALESIM" check "$tmp/gpu.json" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"ERROR gpu_hours_at_most 1 (line 5): summary.json has no gpu_hours"* ]] ||
  fail "gpu: rc=$rc $out"
scenario "$tmp/nog.json" '[{"golden": "missing.csv"}]'
out=$("$SCALESIM" check "$tmp/nog.json" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"nog.json:5: golden: "*"missing.csv: cannot open"* ]] || fail "golden missing: rc=$rc $out"
set -e
echo "check_cli: all checks passed"
