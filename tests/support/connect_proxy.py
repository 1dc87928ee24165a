#!/usr/bin/env python3
"""connect_proxy.py: a tiny HTTP proxy for the loadgen -x tests, on 127.0.0.1 only.

CONNECT host:port opens a TCP tunnel to host:port (answered "200 Connection established") or,
with --refuse CODE, is answered with that status and closed. Any other request is in absolute
form (GET http://host:port/path HTTP/1.1): the connection is relayed to that origin as it is
(servers must accept the absolute form, RFC 9112 3.2.2). The first line of each client
connection is appended to --log. Bounded: it exits after --seconds and serves at most --max
connections, so a failing test cannot leave it running.
"""
import argparse
import os
import select
import socket
import sys
import threading
import time


def relay(a, b, deadline):
    socks = [a, b]
    while time.monotonic() < deadline:
        r, _, _ = select.select(socks, [], [], 0.5)
        for s in r:
            try:
                data = s.recv(65536)
            except OSError:
                return
            if not data:
                return
            try:
                (b if s is a else a).sendall(data)
            except OSError:
                return


def serve(client, args, log, lock, deadline):
    try:
        client.settimeout(5)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                return
            head += chunk
            if len(head) > 65536:
                return
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        with lock:
            log.write(line + "\n")
            log.flush()
        parts = line.split(" ")
        if len(parts) != 3:
            client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        method, target, _ = parts
        if method == "CONNECT":
            if args.refuse:
                client.sendall(("HTTP/1.1 %d Refused\r\nContent-Length: 0\r\n\r\n" %
                                args.refuse).encode())
                return
            host, _, port = target.rpartition(":")
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=5)
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            rest = head.split(b"\r\n\r\n", 1)[1]
            if rest:
                upstream.sendall(rest)
        else:
            if not target.startswith("http://"):
                client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                return
            authority = target[7:].split("/", 1)[0]
            host, _, port = authority.rpartition(":") if ":" in authority else (authority, "", "80")
            upstream = socket.create_connection((host, int(port)), timeout=5)
            upstream.sendall(head)
        client.settimeout(None)
        upstream.settimeout(None)
        relay(client, upstream, deadline)
        upstream.close()
    except OSError:
        pass
    finally:
        client.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True, help="the chosen port is written here")
    p.add_argument("--log", required=True)
    p.add_argument("--refuse", type=int, default=0)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--max", type=int, default=1000)
    args = p.parse_args()
    deadline = time.monotonic() + args.seconds
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(128)
    srv.settimeout(0.2)
    log = open(args.log, "a")
    lock = threading.Lock()
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.getsockname()[1]))

    os.rename(args.port_file + ".tmp", args.port_file)
    served = 0
    while time.monotonic() < deadline and served < args.max:
        try:
            c, _ = srv.accept()
        except socket.timeout:
            continue
        served += 1
        threading.Thread(target=serve, args=(c, args, log, lock, deadline), daemon=True).start()
    srv.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
