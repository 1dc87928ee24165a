#!/usr/bin/env bash
# cron_cli.sh: `scalesim cron`: fire times in a zone, notes on stderr, "never", exit codes and
# messages for bad input, and --cases reporting a failing case and rejecting a malformed file.
set -u
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The seed's CronHPA schedule, in the controller's default zone.
out=$("$SCALESIM" cron "0 30 10 * * *" --from 2024-01-01T00:00:00Z --count 2 2>"$tmp/err") || fail "rc $?"
[ "$out" = "2024-01-01T10:30:00+08:00
2024-01-02T10:30:00+08:00" ] || fail "default cronhpa output: $out"
grep -q "note: time zone Asia/Shanghai" "$tmp/err" || fail "no time zone note: $(cat "$tmp/err")"

# KEDA dialect, explicit zone, DST overlap fires twice.
out=$("$SCALESIM" cron "30 1 * * *" --dialect standard --tz America/New_York \
      --from 2024-11-03T00:30:00-04:00 -n 3 2>"$tmp/err") || fail "rc $?"
[ "$out" = "2024-11-03T01:30:00-04:00
2024-11-03T01:30:00-05:00
2024-11-04T01:30:00-05:00" ] || fail "standard output: $out"
[ ! -s "$tmp/err" ] || fail "unexpected stderr: $(cat "$tmp/err")"

# A crontab line given to cronhpa: runs every hour, and scalesim says why.
out=$("$SCALESIM" cron "30 10 * * *" --tz UTC --from 2024-01-01T00:00:00Z -n 2 2>"$tmp/err") || fail "rc $?"
[ "$out" = "2024-01-01T00:10:30Z
2024-01-01T01:10:30Z" ] || fail "five-field output: $out"
grep -q "five fields in cronhpa" "$tmp/err" || fail "no five-field note"

# Exhaustion prints "never".
out=$("$SCALESIM" cron "0 0 0 30 2 *" --tz UTC --from 2024-01-01T00:00:00Z 2>/dev/null) || fail "rc $?"
[ "$out" = "never: no further fire time within the 5-year search" ] || fail "never: $out"

# Bad input: exit 2 and a message naming the field and token.
msg=$("$SCALESIM" cron "0 61 * * * *" --tz UTC 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] || fail "bad expression rc $rc"
[ "$msg" = 'scalesim: cron: "0 61 * * * *": minute field: value 61 out of range 0-59' ] || fail "message: $msg"
"$SCALESIM" cron "0 0 * * *" --tz Mars/Olympus >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad zone"
"$SCALESIM" cron "0 0 * * *" --from yesterday >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --from"
"$SCALESIM" cron "0 0 * * *" --count 0 >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --count"
"$SCALESIM" cron "0 0 * * *" --dialect quartz >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad dialect"
"$SCALESIM" cron >/dev/null 2>&1; [ $? -eq 2 ] || fail "no expression"
"$SCALESIM" help cron | grep -q -- "--dialect" || fail "help"

# --cases: one failing case -> exit 1 and the count line; `got` has exactly expect's keys.
cat >"$tmp/cases.json" <<'JSON'
[
{"id": 1, "expr": "0 30 10 * * *", "dialect": "cronhpa", "tz": "UTC", "from": "2024-01-01T00:00:00Z", "expect": {"next": ["2024-01-01T10:30:00Z", "2024-01-02T10:30:00Z", "2024-01-03T10:30:00Z", "2024-01-04T10:30:00Z", "2024-01-05T10:30:00Z"]}},
{"id": 7, "expr": "0 30 10 * * *", "dialect": "cronhpa", "tz": "UTC", "from": "2024-01-01T00:00:00Z", "expect": {"next": ["2024-01-01T10:30:01Z", "2024-01-02T10:30:00Z", "2024-01-03T10:30:00Z", "2024-01-04T10:30:00Z", "2024-01-05T10:30:00Z"]}},
{"id": 9, "expr": "0 0 0 29 2 *", "dialect": "cronhpa", "tz": "UTC", "from": "2092-03-01T00:00:00Z", "expect": {"exhausted": true, "next": ["2096-02-29T00:00:00Z"]}},
{"id": 12, "expr": "@every 1d", "dialect": "cronhpa", "tz": "UTC", "expect": {"error": true}}
]
JSON
out=$("$SCALESIM" cron --cases "$tmp/cases.json" 2>"$tmp/err"); rc=$?
[ $rc -eq 1 ] || fail "--cases with a failure: rc $rc"
[ "$(printf '%s\n' "$out" | tail -n 1)" = "3 passed, 1 failed" ] || fail "count line: $out"
printf '%s\n' "$out" | grep -qx '{"id": 9, "got": {"exhausted": true, "next": \["2096-02-29T00:00:00Z"\]}}' || fail "exhausted line: $out"
printf '%s\n' "$out" | grep -qx '{"id": 12, "got": {"error": true}}' || fail "error line: $out"
grep -q "case 7 failed" "$tmp/err" || fail "no failure detail"

# Malformed case files: exit 2.
echo '{"id": 1}' >"$tmp/bad1.json"
"$SCALESIM" cron --cases "$tmp/bad1.json" >/dev/null 2>&1; [ $? -eq 2 ] || fail "not an array"
echo '[{"id": 1, "expr": "0 0 * * * *", "dialect": "cronhpa", "tz": "UTC", "expect": {"next": []}}]' >"$tmp/bad2.json"
msg=$("$SCALESIM" cron --cases "$tmp/bad2.json" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] || fail "missing from: rc $rc"
echo "$msg" | grep -q 'no "from"' || fail "missing from message: $msg"
"$SCALESIM" cron --cases "$tmp/cases.json" --tz UTC >/dev/null 2>&1; [ $? -eq 2 ] || fail "--cases with --tz"
"$SCALESIM" cron --cases "$tmp/nonexistent.json" >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing file"
echo '[{"id": 1, "expr": "0 0 * * * *", "dialect": "cronhpa", "tz": "Nowhere/Zone", "expect": {"error": false}}]' >"$tmp/bad3.json"
"$SCALESIM" cron --cases "$tmp/bad3.json" >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad tz in a case"
echo ok
