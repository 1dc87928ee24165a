#!/usr/bin/env bash
# Progress on long work: when stderr is a terminal, a line with the simulated time and the
# speed (simulated seconds per wall second), erased at the end; nothing when it is not.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v script > /dev/null || { echo "util-linux script(1) missing"; exit 1; }
# Twelve simulated hours take over 0.2 s of wall time, when the first progress line is drawn.
cmd="\"$SCALESIM\" run \"$SRC/scenarios/diurnal.json\" --duration 12h --no-files"
script -qc "$cmd" /dev/null > "$tmp/tty.txt" || fail "run under a pty failed"
grep -aq 'simulated .* of 12h ([0-9]*%), [0-9]*x real time' "$tmp/tty.txt" || fail "no progress line on a terminal: $(cat -v "$tmp/tty.txt" | head -c 400)"
grep -aq $'\033\[K' "$tmp/tty.txt" || fail "progress line not erased at the end"
"$SCALESIM" run "$SRC/scenarios/diurnal.json" --duration 12h --no-files > /dev/null 2> "$tmp/err.txt"
[[ ! -s $tmp/err.txt ]] || fail "progress written to a non-terminal: $(head -c 200 "$tmp/err.txt")"
"$SCALESIM" check "$SRC/scenarios/trace-spike.json" > /dev/null 2> "$tmp/err2.txt"
[[ ! -s $tmp/err2.txt ]] || fail "check wrote progress to a non-terminal"
echo "check_progress: all checks passed"
