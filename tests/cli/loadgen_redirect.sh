#!/usr/bin/env bash
# loadgen_redirect.sh: `scalesim loadgen` following redirects against Debian's nginx (`return
# 302` locations): a 302 to 200 is counted as 200 and nginx's access log shows both hops on one
# connection; -disable-redirects counts the 302; a redirect loop stops after 10 redirects with
# Go's wording; a redirect to a host that does not resolve fails on that hop. Bounded: -n, -t, nginx
# answers at once. Skipped (exit 0) when nginx is not installed.
set -u
. "$SRC/tests/cli/lib/nginx_helpers.sh"
port=$(free_port)
cat >"$tmp/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events { worker_connections 64; }
http {
  client_body_temp_path $tmp/body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
  log_format lg '\$request \$status \$connection';
  server {
    listen 127.0.0.1:$port;
    access_log $tmp/access.log lg;
    location = /r302 { return 302 /target; }
    location = /loop { return 302 /loop; }
    location = /other { return 302 http://other.invalid:81/x; }
    location = /target { return 200 "target\n"; }
  }
}
CONF
start_nginx "$tmp/nginx.conf" "$port"
url=http://127.0.0.1:$port

# 1. 302 -> 200: 10 requests, 20 hops in the log, each pair on one connection
out=$("$SCALESIM" loadgen -n 10 -c 1 -t 5 "$url/r302" 2>&1) || fail "302: $out"
echo "$out" | grep -q '\[200\]	10 responses' || fail "302 not counted as 200: $out"
echo "$out" | grep -q '\[302\]' && fail "302 counted: $out"
wait_lines "$tmp/access.log" 20 || fail "20 log lines: $(cat "$tmp/access.log")"
[ "$(grep -c 'GET /r302 HTTP/1.1 302' "$tmp/access.log")" = 10 ] || fail "302 hops: $(cat "$tmp/access.log")"
[ "$(grep -c 'GET /target HTTP/1.1 200' "$tmp/access.log")" = 10 ] || fail "200 hops: $(cat "$tmp/access.log")"
[ "$(awk '{print $NF}' "$tmp/access.log" | sort -u | wc -l)" = 1 ] || fail "hops not on one connection: $(cat "$tmp/access.log")"

# 2. -disable-redirects: the 302 is the response
: >"$tmp/access.log"
out=$("$SCALESIM" loadgen -disable-redirects -n 10 -c 1 -t 5 "$url/r302" 2>&1) || fail "-disable-redirects: $out"
echo "$out" | grep -q '\[302\]	10 responses' || fail "-disable-redirects: $out"
wait_lines "$tmp/access.log" 10 || fail "10 log lines: $(cat "$tmp/access.log")"
grep -q /target "$tmp/access.log" && fail "-disable-redirects followed: $(cat "$tmp/access.log")"

# 3. a loop: 11 requests each, then Go's error naming the Location
: >"$tmp/access.log"
out=$("$SCALESIM" loadgen -n 2 -c 1 -t 5 "$url/loop" 2>&1) || fail "loop: $out"
wait_lines "$tmp/access.log" 22 || fail "22 log lines: $(wc -l <"$tmp/access.log")"
[ "$(grep -c 'GET /loop' "$tmp/access.log")" = 22 ] || fail "loop hops: $(wc -l <"$tmp/access.log")"
echo "$out" | grep -q "\[2\]	Get \"$url/loop\": stopped after 10 redirects" || fail "loop error: $out"

# 4. another host is followed (tests/cli/loadgen_redirect_origin.sh); one whose name does not
# resolve fails on that hop, named by its URL and, as go1.19's own resolver names it, the DNS
# server (the first nameserver of /etc/resolv.conf); where hey is installed, its line is the same
ns=$(awk '$1 == "nameserver" && $2 ~ /^[0-9a-fA-F.:%]+$/ {
    print ($2 ~ /:/ ? "[" $2 "]" : $2) ":53"; exit }' /etc/resolv.conf 2>/dev/null)
out=$("$SCALESIM" loadgen -n 2 -c 1 -t 5 "$url/other" 2>&1) || fail "other: $out"
want="Get \"http://other.invalid:81/x\": dial tcp: lookup other.invalid on ${ns:-127.0.0.1:53}: no such host"
echo "$out" | grep -qF "[2]	$want" || fail "other host error: $out"
if command -v hey >/dev/null && [ -n "$ns" ]; then
    hout=$(timeout 30 hey -n 1 -c 1 -t 5 "$url/other" 2>&1)
    echo "$hout" | grep -qF "[1]	$want" || fail "hey said otherwise: $hout"
fi
echo PASS
