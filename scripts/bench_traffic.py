#!/usr/bin/env python3
"""Traffic for scripts/make_big_captures.sh, run inside its network namespace.

    bench_traffic.py bulk|short PORT PAYLOAD_BYTES

bulk: one connection carrying PAYLOAD_BYTES in 1000-byte segments.
short: many connections, each a small request, a 1400-byte answer and a close, until about
PAYLOAD_BYTES have been answered.
"""
import socket
import sys
import threading
import time


def serve(port, kind):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(128)

    def handle(conn):
        if kind == "bulk":
            while conn.recv(1 << 16):
                pass
        else:
            conn.recv(1 << 16)
            conn.sendall(b"y" * 1400)
        conn.close()

    while True:
        conn, _ = srv.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def main():
    kind, port, payload = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    threading.Thread(target=serve, args=(port, kind), daemon=True).start()
    time.sleep(0.2)
    if kind == "bulk":
        c = socket.socket()
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 1000)
        c.connect(("127.0.0.1", port))
        chunk = b"x" * (1 << 20)
        for _ in range(max(1, payload // len(chunk))):
            c.sendall(chunk)
        c.close()
    else:
        answered = 0
        while answered < payload:
            c = socket.create_connection(("127.0.0.1", port))
            c.sendall(b"GET / HTTP/1.0\r\n\r\n")
            while c.recv(1 << 16):
                pass
            c.close()
            answered += 1400
    time.sleep(0.5)


if __name__ == "__main__":
    main()
