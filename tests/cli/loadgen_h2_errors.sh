#!/usr/bin/env bash
# loadgen_h2_errors.sh: `scalesim loadgen -h2` against a tiny HTTP/2 server of the tests' own
# (tests/support/h2_server.py: frames written by hand over TLS with ALPN h2) that misbehaves on
# purpose, so each error kind is seen on HTTP/2 as on HTTP/1.1: a 100 interim response before
# the 200, RST_STREAM (reset), a connection closed in the middle of a body (truncated; the other
# stream on it, with no byte of its response yet, eof), bytes that are not HTTP/2 (malformed),
# a GOAWAY that refuses a request, which goes once more on a new connection and succeeds, and
# the server's stream limit, kept by requests waiting for a free stream.
# Every run is bounded: -n, -t, the server's --seconds, timeout.
set -u
. "$SRC/tests/cli/lib/nginx_helpers.sh"
self_signed_cert
server() { # mode [options]: starts the server and sets $url
    rm -f "$tmp/h2.port"
    python3 "$SRC/tests/support/h2_server.py" --mode "$@" --cert "$tmp/cert.pem" --key "$tmp/key.pem" \
        --port-file "$tmp/h2.port" --log "$tmp/h2.log" --seconds 120 --max 50 &
    pids+=($!)
    for _ in $(seq 300); do [ -s "$tmp/h2.port" ] && break; sleep 0.1; done
    [ -s "$tmp/h2.port" ] || fail "h2_server $1 did not start"
    url="https://127.0.0.1:$(cat "$tmp/h2.port")/"
}
lg() { timeout 60 "$SCALESIM" loadgen "$@" >"$tmp/out" 2>"$tmp/err" || fail "rc $? for $*: $(cat "$tmp/err")"; }
errline() { grep -qF "[$1]	Get \"$url\": $2" "$tmp/out" || fail "want [$1] $2: $(cat "$tmp/out")"; }

# 1. a 100 (Continue) before the 200: the final status counts, with its content-length.
server interim
lg -h2 -n 20 -c 4 -t 5 "$url"
grep -q "sent 20 = completed 20 + failed 0 + in flight at stop 0" "$tmp/err" || fail "interim: $(cat "$tmp/err")"
grep -qP '^  \[200\]\t20 responses$' "$tmp/out" || fail "interim status: $(cat "$tmp/out")"
grep -qP '^  Total data:\t40 bytes$' "$tmp/out" || fail "interim content-length: $(cat "$tmp/out")"
grep -q "connections 1 requests 20 " "$tmp/h2.log" || fail "interim server saw: $(cat "$tmp/h2.log")"

# 2. RST_STREAM: reset, the connection stays (one for all).
server rst
lg -h2 -n 10 -c 2 -t 5 "$url"
grep -q "sent 10 = completed 0 + failed 10 + in flight at stop 0" "$tmp/err" || fail "rst: $(cat "$tmp/err")"
errline 10 "read tcp"
grep -q "connection reset by peer" "$tmp/out" || fail "rst kind: $(cat "$tmp/out")"
grep -q "connections 1 requests 10 " "$tmp/h2.log" || fail "rst server saw: $(cat "$tmp/h2.log")"

# 3. closed in the middle of a body: truncated; one worker, so every request is cut.
server trunc
lg -h2 -n 4 -c 1 -t 5 "$url"
grep -q "sent 4 = completed 0 + failed 4 + in flight at stop 0" "$tmp/err" || fail "trunc: $(cat "$tmp/err")"
errline 4 "unexpected EOF"
# two workers on one connection: the stream that had its headers is truncated, the other eof
server trunc
lg -h2 -n 2 -c 2 -t 5 "$url"
errline 1 "unexpected EOF"
errline 1 "EOF"

# 4. not HTTP/2 at all: malformed.
server garbage
lg -h2 -n 4 -c 2 -t 5 "$url"
grep -q "sent 4 = completed 0 + failed 4 + in flight at stop 0" "$tmp/err" || fail "garbage: $(cat "$tmp/err")"
errline 4 "net/http: HTTP/1.x transport connection broken: malformed HTTP response"

# 5. GOAWAY with last stream 0 on the first connection: the request was never processed, so
#    it goes once more on a new connection (as Go retries it); nothing fails.
server goaway
lg -h2 -n 10 -c 1 -t 5 "$url"
grep -q "sent 10 = completed 10 + failed 0 + in flight at stop 0" "$tmp/err" || fail "goaway: $(cat "$tmp/err")"
grep -q "connections 2 requests 11 " "$tmp/h2.log" || fail "goaway server saw: $(cat "$tmp/h2.log")"

# 6. the server's SETTINGS_MAX_CONCURRENT_STREAMS (3) is kept: 10 workers share one connection,
#    at most 3 streams open at once, the others wait for a free stream; all succeed.
server batch --max-streams 3
lg -h2 -n 40 -c 10 -t 5 "$url"
grep -q "sent 40 = completed 40 + failed 0 + in flight at stop 0" "$tmp/err" || fail "batch: $(cat "$tmp/err")"
grep -q "connections 1 requests 40 max_open 3" "$tmp/h2.log" || fail "batch server saw: $(cat "$tmp/h2.log")"
echo "ok"
