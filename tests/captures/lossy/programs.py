#!/usr/bin/env python3
"""The client and the server of each lossy-path scenario, run in their own namespaces by
record.sh; the kernel's TCP stack does everything else. Every socket asks for cubic
(TCP_CONGESTION) so that ss shows an ssthresh (the namespace default, bbr, never does).

    programs.py server SCENARIO PORT
    programs.py client SCENARIO HOST PORT

The client sends in every scenario except delayed_ack (request/response: both send). What
the relay does to the frames is record.sh's part; the programs only make the traffic shape:

  drop_mid          300 000 bytes in one write
  tail_loss         10 segments (14 480 bytes) in one write, then 1.5 s of silence, 1 byte
  rto_backoff       the same shape as tail_loss (3 s of silence)
  reorder           300 000 bytes
  spurious          300 000 bytes (also spurious_rto)
  spurious_fast     1 000 000 bytes (so the connection still runs when the late segment lands)
  receiver_limited  300 000 bytes to a server with SO_RCVBUF 8 192 that reads nothing for 1 s,
                    then 4 096 bytes every 50 ms
  app_limited       100 writes of 2 000 bytes, 20 ms apart
  delayed_ack       40 rounds: a 100-byte request; the server sees it arrive (select), waits
                    100 ms, reads it and answers 1 000 bytes; the client waits 20 ms after
                    each answer before the next request
  slow_start        1 500 000 bytes in one write to a server with a 4 MB receive buffer
  rack              10 segments (14 480 bytes) in one write, then 1 s of silence, 1 byte
  ecn               300 000 bytes (both namespaces with net.ipv4.tcp_ecn=1)
"""
import os
import select
import socket
import sys
import time

# The loopback recordings' helpers, shared.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "real"))
from tcp_programs import recv_exactly  # noqa: E402

BULK = 300_000
SO_RCVBUFFORCE = 33


def cubic(s):
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"cubic")


def recv_all(conn, chunk=65536, pause=0.0):
    total = 0
    while True:
        data = conn.recv(chunk)
        if not data:
            return total
        total += len(data)
        if pause:
            time.sleep(pause)


def server(scenario, port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    cubic(srv)
    if scenario == "receiver_limited":
        # Before listen, so that the window scale of the handshake fits the small buffer.
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
    if scenario == "slow_start":
        # A 4 MB receive buffer (SO_RCVBUFFORCE, root) so the window is not what limits.
        srv.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 4 << 20)
    srv.bind(("0.0.0.0", port))
    srv.listen(1)
    conn, _ = srv.accept()
    if scenario == "receiver_limited":
        time.sleep(1.0)  # the buffer fills and the window closes (zero window, probes)
        recv_all(conn, 4096, 0.05)
    elif scenario == "delayed_ack":
        while True:
            # The request waits unread for 100 ms after it arrived: its ACK is the delayed-ACK
            # timer's (once the connection's first quick ACKs are used up), not a read's.
            select.select([conn], [], [])
            time.sleep(0.1)
            req = recv_exactly(conn, 100)
            if len(req) < 100:
                break
            conn.sendall(b"r" * 1000)
    else:
        recv_all(conn)
    conn.close()
    srv.close()


def client(scenario, host, port):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cubic(c)
    c.connect((host, port))
    time.sleep(0.2)  # the handshake's RTT sample settles; ss starts sampling
    if scenario in ("drop_mid", "reorder", "spurious", "spurious_rto", "receiver_limited", "ecn"):
        c.sendall(b"b" * BULK)
    elif scenario == "spurious_fast":
        c.sendall(b"b" * 1_000_000)
    elif scenario == "slow_start":
        c.sendall(b"b" * 1_500_000)
    elif scenario in ("tail_loss", "rto_backoff", "rack"):
        c.sendall(b"t" * 14480)
        time.sleep({"tail_loss": 1.5, "rto_backoff": 3.0, "rack": 1.0}[scenario])
        c.sendall(b"e")
    elif scenario == "app_limited":
        for _ in range(100):
            c.sendall(b"a" * 2000)
            time.sleep(0.02)
    elif scenario == "delayed_ack":
        for _ in range(40):
            c.sendall(b"q" * 100)
            recv_exactly(c, 1000)
            time.sleep(0.02)
    c.shutdown(socket.SHUT_WR)
    recv_all(c)
    c.close()


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], int(sys.argv[3]))
    else:
        client(sys.argv[2], sys.argv[3], int(sys.argv[4]))
