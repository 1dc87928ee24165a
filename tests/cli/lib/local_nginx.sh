# local_nginx.sh: sourced by loadgen tests that need a plain local HTTP server. Defines what
# nginx_helpers.sh defines (fail, free_port, wait_port, cleanup of $pids and $tmp), then starts
# Debian's nginx (one worker, answering "ok") on a free 127.0.0.1 port and sets $url.
# Exits 0 with SKIP when nginx is not installed.
. "$SRC/tests/cli/lib/nginx_helpers.sh"
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
start_nginx "$tmp/nginx.conf" "$port"
url="http://127.0.0.1:$port/"
