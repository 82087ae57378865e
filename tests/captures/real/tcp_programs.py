#!/usr/bin/env python3
"""Small TCP client/server programs whose connections tests/captures/real/record.sh captures on
loopback. Each scenario produces one connection shape with the kernel's own TCP stack.

    tcp_programs.py SCENARIO HOST PORT

Scenarios:
  seed_close_immediately  the source document's programs (004): the client sends 128 bytes, the
                          server answers 128 bytes and closes at once; the client reads and closes
  seed_close_delayed      the same, but the server waits before closing, so the client closes first
  refused                 a connect to a port nobody listens on
  unanswered              a connect to a listener whose accept queue is full: the SYNs are dropped
                          and retried until the client gives up
  reset                   the client aborts with SO_LINGER 0 after a request: a RST
  half_close              the client shuts down its sending side after the request; the server
                          keeps sending its answer before closing
  simultaneous_open       both sides connect to each other at once: crossing SYNs
  port_reuse              the seed's exchange twice from the same client port: the server closes
                          first (it waits in TIME-WAIT), then the client connects again from that
                          port 0.2 s later; the server's TIME-WAIT accepts the new SYN (RFC 6191:
                          its ISN and timestamp are higher than the old connection's)
  bulk                    100 000 segments of 100 bytes (a small MSS): a connection of about 100 000
                          data segments (for the long-connection tests)
"""
import socket
import struct
import sys
import threading
import time

N = 128


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def listener(host, port, backlog=5):
    s = socket.socket(family(host), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(backlog)
    return s


def serve_once(host, port, handle):
    """Listens, then in a thread accepts one connection, runs handle(conn) and closes both
    sockets. Returns the thread; the listener is up when this returns."""
    srv = listener(host, port)

    def serve():
        conn, _ = srv.accept()
        handle(conn)
        conn.close()
        srv.close()

    t = threading.Thread(target=serve)
    t.start()
    return t


def recv_exactly(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


def seed(host, port, delay_close):
    def answer(conn):
        buf = recv_exactly(conn, N)
        conn.sendall(buf.replace(b"\0", b"*", 4)[:N])
        if delay_close:
            time.sleep(0.5)

    t = serve_once(host, port, answer)
    c = socket.create_connection((host, port))
    c.sendall(b"hello tcp-ladder".ljust(N, b"\0"))
    if not delay_close:
        # Delayed ACKs, as on a busy host: the ACK of a FIN can then ride on our own FIN.
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 0)
    recv_exactly(c, N)
    if not delay_close:
        # The document's client prints the answer before closing: a moment in which the
        # server's FIN arrives first.
        time.sleep(0.005)
    c.close()
    t.join()


def refused(host, port):
    try:
        socket.create_connection((host, port), timeout=2)
    except ConnectionRefusedError:
        pass


def unanswered(host, port):
    srv = listener(host, port, backlog=0)
    # Fill the accept queue (never accepted); the next SYNs are dropped by the kernel.
    first = socket.create_connection((host, port))
    time.sleep(0.2)
    c = socket.socket(family(host), socket.SOCK_STREAM)
    c.settimeout(3.5)
    try:
        c.connect((host, port))
    except (socket.timeout, OSError):
        pass
    for s in (c, first, srv):
        s.close()


def reset(host, port):
    def read_then_wait(conn):
        conn.recv(N)
        time.sleep(0.3)

    t = serve_once(host, port, read_then_wait)
    c = socket.create_connection((host, port))
    c.sendall(b"GET / please".ljust(N, b"."))
    time.sleep(0.1)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    t.join()


def half_close(host, port):
    def answer_after_eof(conn):
        while conn.recv(4096):
            pass
        for i in range(3):
            conn.sendall(bytes([65 + i]) * 300)
            time.sleep(0.05)

    t = serve_once(host, port, answer_after_eof)
    c = socket.create_connection((host, port))
    c.sendall(b"request, then I stop sending")
    c.shutdown(socket.SHUT_WR)
    while c.recv(4096):
        pass
    c.close()
    t.join()


def bulk(host, port, segments=100_000, size=100):
    """A bulk transfer of `segments` segments of `size` bytes each."""

    def drain(conn):
        while conn.recv(1 << 16):
            pass

    t = serve_once(host, port, drain)
    c = socket.socket(family(host), socket.SOCK_STREAM)
    # A small MSS makes every segment carry `size` bytes, however the writes are coalesced.
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, size)
    c.connect((host, port))
    c.sendall(b"x" * (size * segments))
    c.close()
    t.join()


def simultaneous_open(host, port, attempts=1000):
    """Two sockets bound to `port` and `port + 1` connect to each other at the same moment,
    until both SYNs cross (it takes a few hundred tries on loopback; the failed tries end in
    RSTs and record.sh keeps only the last connection)."""

    def side(local, remote, barrier, out):
        s = socket.socket(family(host), socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, local))
        s.settimeout(2)
        barrier.wait()
        try:
            s.connect((host, remote))
            out.append("ok")
            time.sleep(0.2)
        except OSError:
            out.append("failed")
        s.close()

    for _ in range(attempts):
        barrier, out = threading.Barrier(2), []
        threads = [threading.Thread(target=side, args=(port, port + 1, barrier, out)),
                   threading.Thread(target=side, args=(port + 1, port, barrier, out))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if out == ["ok", "ok"]:
            return
        time.sleep(0.02)
    sys.exit("no simultaneous open happened")


def port_reuse(host, port):
    """Two connections on one address/port pair: the server closes the first (so its side
    waits in TIME-WAIT), and the client connects again from the same port while it waits."""
    srv = listener(host, port)

    def serve(n):
        for _ in range(n):
            conn, _ = srv.accept()
            buf = recv_exactly(conn, N)
            conn.sendall(buf[:N])
            conn.close()  # the server closes first: TIME-WAIT on its side
        srv.close()

    t = threading.Thread(target=serve, args=(2,))
    t.start()
    for _ in range(2):
        c = socket.socket(family(host), socket.SOCK_STREAM)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind((host, port + 1))
        c.connect((host, port))
        c.sendall(b"hello tcp-ladder".ljust(N, b"\0"))
        recv_exactly(c, N)
        recv_exactly(c, 1)  # the server's FIN
        c.close()
        time.sleep(0.2)
    t.join()


SCENARIOS = {
    "port_reuse": port_reuse,
    "simultaneous_open": simultaneous_open,
    "bulk": bulk,
    "seed_close_immediately": lambda h, p: seed(h, p, False),
    "seed_close_delayed": lambda h, p: seed(h, p, True),
    "refused": refused,
    "unanswered": unanswered,
    "reset": reset,
    "half_close": half_close,
}

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in SCENARIOS:
        sys.exit(__doc__)
    SCENARIOS[sys.argv[1]](sys.argv[2], int(sys.argv[3]))
