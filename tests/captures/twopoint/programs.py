#!/usr/bin/env python3
"""The client and the server of the two-point scenarios, run in their own namespaces by
record.sh; the kernel's TCP stack does everything else (cubic asked per socket, as in
tests/captures/lossy).

    programs.py server SCENARIO ADDR PORT
    programs.py client SCENARIO HOST PORT SPORT

The client binds its own port SPORT (so the NAT's port change is plain to see) and sends; the
server reads everything until the client's FIN, then closes.

  nat    300 000 bytes in one write
  bloat  220 writes of 4 000 bytes, 20 ms apart (880 000 bytes over ~4.4 s, ~200 kB/s), so
         the connection lasts while the relay's delay ramps up
"""
import socket
import sys
import time

PLANS = {
    "nat": [300_000],
    "bloat": [4_000] * 220,
}
GAP_S = {"nat": 0.0, "bloat": 0.020}


def cubic(s):
    try:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"cubic")
    except OSError:
        pass


def server(scenario, addr, port):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    cubic(ls)
    ls.bind((addr, port))
    ls.listen(1)
    conn, peer = ls.accept()
    total = 0
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        total += len(chunk)
    conn.close()
    ls.close()
    print(f"server {scenario}: {total} bytes from {peer[0]}:{peer[1]}", file=sys.stderr)


def client(scenario, host, port, sport):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    cubic(s)
    s.bind(("0.0.0.0", sport))
    s.connect((host, port))
    for i, n in enumerate(PLANS[scenario]):
        if i and GAP_S[scenario]:
            time.sleep(GAP_S[scenario])
        s.sendall(bytes((i + j) & 0xFF for j in range(n)) if n < 100_000 else b"x" * n)
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536):
        pass
    s.close()


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        client(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
