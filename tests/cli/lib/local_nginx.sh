# local_nginx.sh: sourced by loadgen tests that need a plain local HTTP server. Defines fail,
# free_port, wait_port, a cleanup trap that stops every pid in $pids and removes $tmp, then
# starts Debian's nginx (one worker, answering "ok") on a free 127.0.0.1 port and sets $url.
# Exits 0 with SKIP when nginx is not installed.
fail() { echo "FAIL: $*"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "SKIP: nginx not installed"; exit 0; }
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
port=$(free_port)
cat >"$tmp/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events { worker_connections 64; }
http { access_log off; client_body_temp_path $tmp/body;
       server { listen 127.0.0.1:$port; location / { return 200 "ok"; } } }
CONF
"$NGINX" -c "$tmp/nginx.conf" -p "$tmp" -e "$tmp/error.log" 2>/dev/null &
pids+=($!)
wait_port "$port" || fail "nginx did not start"
url="http://127.0.0.1:$port/"
