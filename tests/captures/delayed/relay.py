#!/usr/bin/env python3
"""A user-space wire with a delay: forwards Ethernet frames between two interfaces of the
network namespace it runs in, holding each frame for a fixed time in each direction.

    relay.py IF_A IF_B DELAY_MS

This machine's kernel has no netem, so real TCP stacks get real one-way delays this way:
record.sh puts the client and the server in namespaces of their own, joined through relays.
Frames are forwarded unchanged (the relay is a two-port bridge), so ARP and TCP pass as on a
cable. Runs until killed.
"""
import heapq
import select
import socket
import sys
import threading
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def open_port(name):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((name, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    return s


def main():
    if_a, if_b, delay_ms = sys.argv[1], sys.argv[2], float(sys.argv[3])
    delay = delay_ms / 1000.0
    ports = {if_a: open_port(if_a), if_b: open_port(if_b)}
    other = {if_a: ports[if_b], if_b: ports[if_a]}
    queue = []  # (due, order, socket, frame)
    lock = threading.Condition()
    order = 0

    def sender():
        while True:
            with lock:
                while not queue or queue[0][0] > time.monotonic():
                    lock.wait(timeout=None if not queue else max(0.0, queue[0][0] - time.monotonic()))
                _, _, out, frame = heapq.heappop(queue)
            out.send(frame)

    threading.Thread(target=sender, daemon=True).start()
    by_fd = {s.fileno(): name for name, s in ports.items()}
    while True:
        ready, _, _ = select.select(list(ports.values()), [], [])
        for s in ready:
            frame, addr = s.recvfrom(65535)
            if addr[2] == PACKET_OUTGOING:
                continue  # our own forwarded frames, seen leaving
            name = by_fd[s.fileno()]
            with lock:
                order += 1
                heapq.heappush(queue, (time.monotonic() + delay, order, other[name], frame))
                lock.notify()


if __name__ == "__main__":
    main()
