#!/usr/bin/env bash
# csv_limits.sh: the three input-size limits of the CSV files a scenario names, each with its
# exact message and exit code 2 (docs/scenario.md): an empirical distribution of more than
# 10,000,000 samples, a rate trace of more than 10,000,000 rows, and any CSV file larger than
# 256 MiB. The big files come through named pipes (20 and 110 MB, written by awk while scalesim
# reads) or are sparse (the 257 MiB one), so they take no disk space. Slow-labelled (ten million
# rows parsed, 256 MiB read into memory): the Release build runs it, the sanitizer build not.
set -euo pipefail
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# expect_error SCENARIO_JSON MESSAGE: scalesim run exits 2 and prints exactly MESSAGE
expect_error() {
    printf '%s\n' "$1" >"$tmp/s.json"
    set +e
    out=$(timeout 120 "$SCALESIM" run "$tmp/s.json" --no-files 2>&1)
    rc=$?
    set -e
    [[ $rc -eq 2 ]] || fail "rc=$rc (expected 2): $out"
    [[ "$out" == "scalesim: $2" ]] || fail "got: $out
expected: scalesim: $2"
    echo "ok: $2"
}

pod='"service": {"replicas": 1, "pod": {"cpu_request": "1", "demand": DEMAND}}'

# The big files are written into named pipes, so they take no disk space.
pipe_from() { # pipe_from NAME COMMAND...: $tmp/NAME is a FIFO fed by COMMAND
    mkfifo "$tmp/$1"
    local name=$1
    shift
    "$@" >"$tmp/$name" &
}

# 10,000,001 samples of 1 ms, after a header: the 10,000,001st sample is on line 10,000,002
pipe_from samples.csv awk 'BEGIN { print "ms"; for (i = 0; i < 10000001; i++) print 1 }'
expect_error "{\"duration\": \"1s\", ${pod/DEMAND/{\"dist\": \"empirical\", \"file\": \"$tmp/samples.csv\", \"unit\": \"ms\"\}}, \"load\": [{\"type\": \"poisson\", \"rate\": 1}]}" \
    "$tmp/samples.csv:10000002: more than 10000000 samples (samples of service.pod.demand)"

# 10,000,001 trace rows (t_s 0, 1, 2, ...)
pipe_from trace.csv awk 'BEGIN { print "t_s,rps"; for (i = 0; i <= 10000000; i++) print i ",1" }'
expect_error "{\"duration\": \"1s\", ${pod/DEMAND/\"10ms\"}, \"load\": [{\"type\": \"poisson\", \"trace\": {\"file\": \"$tmp/trace.csv\"}}]}" \
    "$tmp/trace.csv:10000002: more than 10000000 rows"

# a sparse file of 257 MiB: no disk space, read up to the limit
truncate -s 257M "$tmp/huge.csv"
expect_error "{\"duration\": \"1s\", ${pod/DEMAND/\"10ms\"}, \"load\": [{\"type\": \"poisson\", \"trace\": {\"file\": \"$tmp/huge.csv\"}}]}" \
    "$tmp/huge.csv: file larger than 256 MiB"
echo ok
