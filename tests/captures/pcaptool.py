#!/usr/bin/env python3
"""Rewrites real captures into the container and link-layer variants tcp-ladder must read,
where editcap has no option for it. Packet bytes always come from a real capture; only the
container (byte order, block types, interface options) or a link header is rewritten.

    pcaptool.py pcapng-be SRC OUT            big-endian pcapng, with an unknown and a custom block
    pcaptool.py pcapng-multi OUT SRC...      one section, one interface per SRC, each with its own
                                             link type and if_tsresol/if_tsoffset, packets merged in time order
    pcaptool.py pcapng-sections OUT SRC...   one section per SRC, alternating byte order
    pcaptool.py pcapng-spb-pb SRC OUT        packets as Simple Packet Blocks, then obsolete Packet Blocks
    pcaptool.py pcap-be SRC OUT [ns]         big-endian pcap (microsecond, or nanosecond with "ns")
    pcaptool.py linktype SRC OUT N           same records, link-type field set to N
    pcaptool.py loopback SRC OUT N ORDER     raw-IP SRC to NULL/LOOP link type N with a 4-byte
                                             family header in byte order ORDER (le|be)
    pcaptool.py fragment SRC OUT FRAME       raw-IP SRC with IPv4 packet FRAME split in two fragments
    pcaptool.py ip-options SRC OUT           raw-IP SRC with 4 bytes of IPv4 options (NOP NOP NOP EOL)
                                             in every IPv4 header, and an 8-byte Hop-by-Hop
                                             extension header in every IPv6 one
"""
import struct
import sys


def read_pcap(path):
    """(linktype, [(ts_ns, orig_len, data)]) of a classic pcap file."""
    raw = open(path, "rb").read()
    magic = raw[:4]
    order = {b"\xd4\xc3\xb2\xa1": ("<", 1000), b"\xa1\xb2\xc3\xd4": (">", 1000),
             b"\x4d\x3c\xb2\xa1": ("<", 1), b"\xa1\xb2\x3c\x4d": (">", 1)}
    bo, mult = order[magic]
    linktype = struct.unpack(bo + "I", raw[20:24])[0] & 0xFFFF
    packets, at = [], 24
    while at + 16 <= len(raw):
        sec, frac, incl, orig = struct.unpack(bo + "IIII", raw[at:at + 16])
        packets.append((sec * 1_000_000_000 + frac * mult, orig, raw[at + 16:at + 16 + incl]))
        at += 16 + incl
    return linktype, packets


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def block(bo, btype, body):
    body = pad4(body)
    total = 12 + len(body)
    return struct.pack(bo + "II", btype, total) + body + struct.pack(bo + "I", total)


def option(bo, code, value):
    return struct.pack(bo + "HH", code, len(value)) + pad4(value)


def shb(bo):
    body = struct.pack(bo + "IHHq", 0x1A2B3C4D, 1, 0, -1) + option(bo, 0, b"")
    return block(bo, 0x0A0D0D0A, body)


def idb(bo, linktype, tsresol=None, tsoffset=None):
    opts = b""
    if tsresol is not None:
        opts += option(bo, 9, bytes([tsresol]))
    if tsoffset is not None:
        opts += option(bo, 14, struct.pack(bo + "q", tsoffset))
    if opts:
        opts += option(bo, 0, b"")
    return block(bo, 1, struct.pack(bo + "HHI", linktype, 0, 262144) + opts)


def units(ts_ns, tsresol, tsoffset):
    """Timestamp in the interface's units, given its if_tsresol and if_tsoffset (seconds)."""
    ts_ns -= (tsoffset or 0) * 1_000_000_000
    if tsresol is None:
        tsresol = 6
    if tsresol & 0x80:
        return ts_ns * (1 << (tsresol & 0x7F)) // 1_000_000_000
    return ts_ns * 10 ** tsresol // 1_000_000_000


def epb(bo, iface, ts, orig, data):
    body = struct.pack(bo + "IIIII", iface, ts >> 32, ts & 0xFFFFFFFF, len(data), orig) + pad4(data)
    return block(bo, 6, body)


def write(path, data):
    open(path, "wb").write(data)


def pcapng_be(src, out):
    lt, pkts = read_pcap(src)
    bo = ">"
    parts = [shb(bo), idb(bo, lt)]
    for i, (ts, orig, data) in enumerate(pkts):
        if i == 3:
            parts.append(block(bo, 0x00000BAD, struct.pack(bo + "I", 32473) + b"custom data, copy me"))
            parts.append(block(bo, 0x0000_0F0F, b"a block type nobody defined"))
        parts.append(epb(bo, 0, units(ts, None, None), orig, data))
    write(out, b"".join(parts))


# Interface settings for pcapng-multi: microseconds; nanoseconds with an offset; binary 2^-20.
MULTI_SETTINGS = [(None, None), (9, 1_000_000), (0x80 | 20, None)]


def pcapng_multi(out, srcs):
    bo = "<"
    parts = [shb(bo)]
    merged = []
    for iface, src in enumerate(srcs):
        lt, pkts = read_pcap(src)
        tsresol, tsoffset = MULTI_SETTINGS[iface % len(MULTI_SETTINGS)]
        parts.append(idb(bo, lt, tsresol, tsoffset))
        merged += [(ts, iface, orig, data, tsresol, tsoffset) for ts, orig, data in pkts]
    merged.sort(key=lambda p: p[0])
    for ts, iface, orig, data, tsresol, tsoffset in merged:
        parts.append(epb(bo, iface, units(ts, tsresol, tsoffset), orig, data))
    write(out, b"".join(parts))


def pcapng_sections(out, srcs):
    parts = []
    for i, src in enumerate(srcs):
        bo = "<" if i % 2 == 0 else ">"
        lt, pkts = read_pcap(src)
        parts += [shb(bo), idb(bo, lt, 9)]
        parts += [epb(bo, 0, units(ts, 9, None), orig, data) for ts, orig, data in pkts]
    write(out, b"".join(parts))


def pcapng_spb_pb(src, out):
    lt, pkts = read_pcap(src)
    bo = "<"
    parts = [shb(bo), idb(bo, lt)]
    half = len(pkts) // 2
    for ts, orig, data in pkts[:half]:
        parts.append(block(bo, 3, struct.pack(bo + "I", orig) + pad4(data)))
    for ts, orig, data in pkts[half:]:
        t = units(ts, None, None)
        body = struct.pack(bo + "HHIIII", 0, 0, t >> 32, t & 0xFFFFFFFF, len(data), orig) + pad4(data)
        parts.append(block(bo, 2, body))
    write(out, b"".join(parts))


def write_pcap(out, linktype, pkts, bo="<", ns=False):
    magic = 0xA1B23C4D if ns else 0xA1B2C3D4
    head = struct.pack(bo + "IHHiIII", magic, 2, 4, 0, 0, 262144, linktype)
    recs = []
    for ts, orig, data in pkts:
        sec, frac = divmod(ts, 1_000_000_000)
        if not ns:
            frac //= 1000
        recs.append(struct.pack(bo + "IIII", sec, frac, len(data), orig) + data)
    write(out, head + b"".join(recs))


def loopback(src, out, linktype, order):
    _, pkts = read_pcap(src)
    bo = "<" if order == "le" else ">"
    wrapped = []
    for ts, orig, data in pkts:
        family = 2 if data[0] >> 4 == 4 else 24
        wrapped.append((ts, orig + 4, struct.pack(bo + "I", family) + data))
    write_pcap(out, linktype, wrapped)


def fragment(src, out, frame):
    lt, pkts = read_pcap(src)
    result = []
    for n, (ts, orig, data) in enumerate(pkts, start=1):
        if n != frame:
            result.append((ts, orig, data))
            continue
        ihl = (data[0] & 0x0F) * 4
        header, payload = bytearray(data[:ihl]), data[ihl:]
        cut = (len(payload) // 2) & ~7
        for offset, piece, more in ((0, payload[:cut], True), (cut, payload[cut:], False)):
            h = bytearray(header)
            struct.pack_into(">H", h, 2, ihl + len(piece))
            struct.pack_into(">H", h, 6, (0x2000 if more else 0) | (offset // 8))
            struct.pack_into(">H", h, 10, 0)
            csum = sum(struct.unpack(">%dH" % (ihl // 2), bytes(h)))
            while csum > 0xFFFF:
                csum = (csum & 0xFFFF) + (csum >> 16)
            struct.pack_into(">H", h, 10, ~csum & 0xFFFF)
            result.append((ts, len(h) + len(piece), bytes(h) + piece))
    write_pcap(out, lt, result)


def ipv4_checksum(header):
    h = bytearray(header)
    struct.pack_into(">H", h, 10, 0)
    csum = sum(struct.unpack(">%dH" % (len(h) // 2), bytes(h)))
    while csum > 0xFFFF:
        csum = (csum & 0xFFFF) + (csum >> 16)
    struct.pack_into(">H", h, 10, ~csum & 0xFFFF)
    return bytes(h)


def ip_options(src, out):
    """The transport checksums stay valid: neither change alters the pseudo-header."""
    lt, pkts = read_pcap(src)
    result = []
    for ts, orig, data in pkts:
        if data[0] >> 4 == 4:
            ihl = (data[0] & 0x0F) * 4
            header = bytearray(data[:ihl]) + b"\x01\x01\x01\x00"
            header[0] = 0x40 | (len(header) // 4)
            struct.pack_into(">H", header, 2, struct.unpack(">H", data[2:4])[0] + 4)
            data = ipv4_checksum(header) + data[ihl:]
        elif data[0] >> 4 == 6:
            header = bytearray(data[:40])
            next_header = header[6]
            header[6] = 0  # Hop-by-Hop options follow
            struct.pack_into(">H", header, 4, struct.unpack(">H", data[4:6])[0] + 8)
            hop_by_hop = bytes([next_header, 0, 1, 4, 0, 0, 0, 0])  # PadN of 4 bytes
            data = bytes(header) + hop_by_hop + data[40:]
        result.append((ts, len(data), data))
    write_pcap(out, lt, result)


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "pcapng-be":
        pcapng_be(*args)
    elif cmd == "pcapng-multi":
        pcapng_multi(args[0], args[1:])
    elif cmd == "pcapng-sections":
        pcapng_sections(args[0], args[1:])
    elif cmd == "pcapng-spb-pb":
        pcapng_spb_pb(*args)
    elif cmd == "pcap-be":
        lt, pkts = read_pcap(args[0])
        write_pcap(args[1], lt, pkts, ">", len(args) > 2 and args[2] == "ns")
    elif cmd == "linktype":
        _, pkts = read_pcap(args[0])
        write_pcap(args[1], int(args[2]), pkts)
    elif cmd == "loopback":
        loopback(args[0], args[1], int(args[2]), args[3])
    elif cmd == "ip-options":
        ip_options(*args)
    elif cmd == "fragment":
        fragment(args[0], args[1], int(args[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
