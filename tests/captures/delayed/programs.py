#!/usr/bin/env python3
"""The client and the server of each delayed-path scenario, run in their own namespaces by
record.sh (the kernel's TCP stack does everything else).

    programs.py server SCENARIO PORT
    programs.py client SCENARIO HOST PORT

Scenarios:
  seed       the source document's programs: 128 bytes each way, the server closes at once
  bulk       the client sends 2 000 000 bytes; over a 50 ms round trip slow start shows
  crossing   both sides close at the same agreed instant (one clock: one machine), so the two
             FINs are in flight at once and cross (a simultaneous close)
"""
import os
import socket
import sys
import time

# The loopback recordings' helpers, shared.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "real"))
from tcp_programs import recv_exactly  # noqa: E402

N = 128


def recv_all(conn):
    data = b""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk


def at(instant):
    time.sleep(max(0.0, instant - time.time()))


def server(scenario, port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(1)
    conn, _ = srv.accept()
    if scenario == "seed":
        recv_exactly(conn, N)
        conn.sendall(b"s" * N)
    elif scenario == "bulk":
        recv_all(conn)
    elif scenario == "crossing":
        recv_exactly(conn, N)
        conn.sendall(b"s" * N)
        # record.sh wrote the instant both sides close at.
        at(float(open("/tmp/tcp-ladder-crossing-at").read()))
        conn.shutdown(socket.SHUT_WR)
        recv_all(conn)
    conn.close()
    srv.close()


def client(scenario, host, port):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.connect((host, port))
    if scenario == "seed":
        c.sendall(b"c" * N)
        recv_exactly(c, N)
        recv_all(c)
    elif scenario == "bulk":
        c.sendall(b"b" * 2_000_000)
        c.shutdown(socket.SHUT_WR)
        recv_all(c)
    elif scenario == "crossing":
        c.sendall(b"c" * N)
        recv_exactly(c, N)
        at(float(open("/tmp/tcp-ladder-crossing-at").read()))
        c.shutdown(socket.SHUT_WR)
        recv_all(c)
    c.close()


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], int(sys.argv[3]))
    else:
        client(sys.argv[2], sys.argv[3], int(sys.argv[4]))
