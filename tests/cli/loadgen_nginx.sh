#!/usr/bin/env bash
# loadgen_nginx.sh: `scalesim loadgen` against Debian's nginx, started here on 127.0.0.1 (a free
# port, a config in a temporary folder, one worker): the request count in nginx's access log
# equals loadgen's, POST bodies arrive whole, hey's summary and -o csv come out, and a --trace
# file drives `scalesim run` and reproduces the offered load per second. Then usage errors.
# Skipped (exit 0 with a note) when nginx is not installed (scripts/install-deps installs it).
# Waits are for events (a port, nginx's access log lines), never fixed sleeps: nginx logs a
# request after answering it, so its lines are waited for before they are counted.
set -u
. "$SRC/tests/cli/lib/nginx_helpers.sh"
port=$(free_port)
sport=$(free_port)
self_signed_cert
cat >"$tmp/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events { worker_connections 256; }
http {
  access_log $tmp/access.log;
  client_body_temp_path $tmp/body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
  keepalive_requests 1000000;
  log_format lg '\$request_method \$request_length \$status';
  server {
    listen 127.0.0.1:$port;
    access_log $tmp/access.log lg;
    location / { return 200 "hello\n"; }
  }
  server {
    listen 127.0.0.1:$sport ssl;
    ssl_certificate $tmp/cert.pem;
    ssl_certificate_key $tmp/key.pem;
    access_log $tmp/ssl.log lg;
    location / { return 200 "secure\n"; }
  }
}
CONF
start_nginx "$tmp/nginx.conf" "$port"
wait_port "$sport" || fail "nginx does not listen on $sport"
logged() { wait_lines "$1" "$2" || fail "nginx logged $(wc -l <"$1") of $2 requests in $1"; }
url="http://127.0.0.1:$port/v1/models/sklearn-iris:predict"

# 1. hey's command, POST with a body file: every request reaches nginx, and only those.
timeout 60 "$SCALESIM" loadgen -n 1000 -c 10 -m POST -H "Content-Type: application/json" \
    -D "$SRC/scenarios/bodies/iris-input.json" "$url" >"$tmp/out" 2>"$tmp/err" || fail "rc $?: $(cat "$tmp/err")"
grep -q "sent 1000 = completed 1000 + failed 0 + in flight at stop 0" "$tmp/err" || fail "books: $(cat "$tmp/err")"
logged "$tmp/access.log" 1000
n=$(wc -l <"$tmp/access.log")
[ "$n" -eq 1000 ] || fail "nginx logged $n requests, loadgen sent 1000"
[ "$(grep -c '^POST ' "$tmp/access.log")" -eq 1000 ] || fail "not all POST"
grep -qP '^  \[200\]\t1000 responses$' "$tmp/out" || fail "status line: $(cat "$tmp/out")"
grep -qP '^  Total data:\t6000 bytes$' "$tmp/out" || fail "total data"
for section in "Summary:" "Response time histogram:" "Latency distribution:" \
               "Details (average, fastest, slowest):" "Status code distribution:"; do
    grep -qF "$section" "$tmp/out" || fail "no $section"
done

# 2. -o csv: hey's header and one row per response, no summary.
: >"$tmp/access.log"
timeout 60 "$SCALESIM" loadgen -n 50 -c 5 -o csv "$url" >"$tmp/csv" 2>"$tmp/err" || fail "csv rc $?"
[ "$(head -1 "$tmp/csv")" = "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset" ] \
    || fail "csv header: $(head -1 "$tmp/csv")"
[ "$(wc -l <"$tmp/csv")" -eq 51 ] || fail "csv rows: $(wc -l <"$tmp/csv")"
[ "$(awk -F, 'NR>1 && NF==8 && $7==200' "$tmp/csv" | wc -l)" -eq 50 ] || fail "csv row shape"
logged "$tmp/access.log" 50
[ "$(wc -l <"$tmp/access.log")" -eq 50 ] || fail "csv: nginx count"

# 3. --trace: an open-loop run at 300/s for 3 s, replayed by the simulator. -c 60: an arrival
#    still waiting for a free connection at the deadline is not sent, and at -c 20 a stall of
#    nginx for 67 ms around it would do that; 60 takes 200 ms.
timeout 60 "$SCALESIM" loadgen --rate 300 -z 3s -c 60 --trace "$tmp/trace.csv" "$url" \
    >/dev/null 2>"$tmp/err" || fail "trace rc $?: $(cat "$tmp/err")"
head -1 "$tmp/trace.csv" | grep -q '^t_s,rps,' || fail "trace header"
rows=$(awk -F, 'NR>1' "$tmp/trace.csv" | wc -l)
[ "$rows" -ge 3 ] && [ "$rows" -le 4 ] || fail "trace rows: $rows"
awk -F, 'NR>=2 && NR<=4 && ($2 < 295 || $2 > 305) {bad=1} END {exit bad}' "$tmp/trace.csv" \
    || fail "offered rate per second: $(cut -d, -f1,2 "$tmp/trace.csv")"
sent=$(awk -F, 'NR>1 {s+=$3} END {print s}' "$tmp/trace.csv")
grep -q "sent $sent = " "$tmp/err" || fail "trace total $sent vs $(cat "$tmp/err")"
logged "$tmp/access.log" $((50 + sent))
[ "$(wc -l <"$tmp/access.log")" -eq $((50 + sent)) ] || fail "trace: nginx count"
cat >"$tmp/replay.json" <<JSON
{"duration": "3s", "load": [{"type": "uniform", "trace": {"file": "trace.csv", "interpolation": "step"}}]}
JSON
"$SCALESIM" run "$tmp/replay.json" -o "$tmp/sim" -q || fail "scalesim run rejected the trace"
paste -d, <(awk -F, 'NR>1 && NR<=4 {print $2}' "$tmp/trace.csv") \
          <(awk -F, 'NR>1 && NR<=4 {print $2}' "$tmp/sim/timeline.csv") >"$tmp/cmp"
awk -F, '{d=$1-$2; if (d<0) d=-d; if (d>2) bad=1} END {exit bad}' "$tmp/cmp" \
    || fail "simulated offered load differs from the trace: $(cat "$tmp/cmp")"

# 4. https through OpenSSL: keep-alive over TLS, every request logged; TLS to a plain port fails
#    as a TLS error, counted, never a crash.
timeout 60 "$SCALESIM" loadgen -n 300 -c 3 "https://127.0.0.1:$sport/" >"$tmp/out" 2>"$tmp/err" \
    || fail "https rc $?: $(cat "$tmp/err")"
grep -q "sent 300 = completed 300 + failed 0 + in flight at stop 0" "$tmp/err" || fail "https: $(cat "$tmp/err")"
logged "$tmp/ssl.log" 300
[ "$(wc -l <"$tmp/ssl.log")" -eq 300 ] || fail "nginx logged $(wc -l <"$tmp/ssl.log") https requests"
grep -qP '^  Total data:\t2100 bytes$' "$tmp/out" || fail "https body size"
timeout 60 "$SCALESIM" loadgen -n 4 -c 2 -t 5 "https://127.0.0.1:$port/" >"$tmp/out" 2>"$tmp/err" \
    || fail "tls failure rc $?"
grep -q "sent 4 = completed 0 + failed 4 + in flight at stop 0" "$tmp/err" || fail "tls failure: $(cat "$tmp/err")"
grep -qF "[4]	Get \"https://127.0.0.1:$port/\": tls: handshake or record failure" "$tmp/out" \
    || fail "tls error line: $(cat "$tmp/out")"

# 5. Ctrl-C: stops at once, prints the summary of what ran, the books still balance. The
#    signal goes once nginx has logged some of the run's requests (not after a fixed sleep,
#    which a slow start could outlast with nothing sent yet).
before=$(wc -l <"$tmp/access.log")
"$SCALESIM" loadgen -z 60s -c 4 "$url" >"$tmp/int.out" 2>"$tmp/int.err" &
lg=$!
pids+=($lg)
wait_lines "$tmp/access.log" $((before + 100)) || fail "loadgen -z 60s sent nothing: $(cat "$tmp/int.err")"
kill -INT "$lg"
for _ in $(seq 50); do kill -0 "$lg" 2>/dev/null || break; sleep 0.1; done
kill -0 "$lg" 2>/dev/null && { kill -9 "$lg"; fail "loadgen still running 5 s after SIGINT"; }
wait "$lg" || fail "rc $? after SIGINT"
grep -q "^Summary:" "$tmp/int.out" || fail "no summary after SIGINT"
grep -qE "^loadgen: sent ([0-9]+) = completed [0-9]+ \+ failed 0 \+ in flight at stop [0-4] \(interrupted\)$" \
    "$tmp/int.err" || fail "after SIGINT: $(cat "$tmp/int.err")"
read -r s c f i < <(sed -E 's/^loadgen: sent ([0-9]+) = completed ([0-9]+) \+ failed ([0-9]+) \+ in flight at stop ([0-9]+).*/\1 \2 \3 \4/' "$tmp/int.err")
[ "$s" -eq $((c + f + i)) ] && [ "$s" -gt 0 ] || fail "books after SIGINT: $s != $c + $f + $i"

# 6. usage errors: precise, exit 2, never a crash.
check_err() { # expected message, then the command's arguments
    local want=$1; shift
    "$SCALESIM" loadgen "$@" >/dev/null 2>"$tmp/err"; local rc=$?
    [ "$rc" -eq 2 ] || fail "rc $rc for $*"
    grep -qF -- "$want" "$tmp/err" || fail "message for $*: $(cat "$tmp/err")"
}
check_err "must start with http:// or https://" -n 1 -c 1 "ftp://127.0.0.1:$port/"
check_err "an https proxy is not supported" -x https://127.0.0.1:1 -n 1 -c 1 "$url"
check_err "-n cannot be less than -c" -n 1 -c 2 "$url"
check_err "--rate \"abc\": expected R or FROM:TO" --rate abc -z 1s "$url"
check_err "a ramp needs -z" --rate 0:10 "$url"
check_err "--trace needs a value" "$url" --trace
check_err "cannot open" -D "$tmp/missing.json" -n 1 -c 1 "$url"
check_err "cannot create" --trace "$tmp/no/such/dir/t.csv" -n 1 -c 1 "$url"
echo "ok"
