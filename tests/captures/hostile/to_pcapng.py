#!/usr/bin/env python3
"""Rewrites markup_in_payloads.pcap as markup_in_comments.pcapng: the same real packets, with
markup and script in every text a pcapng file can carry (the section's comment, hardware, OS
and application, the interface's name and description, a comment on every packet). Written
block by block after the pcapng specification (draft-ietf-opsawg-pcapng)."""
import struct
import sys
from pathlib import Path

here = Path(__file__).parent
MARKUP = '<script>window.__pwned="pcapng"</script><img src=x onerror="window.__pwned=1"> javascript:alert(1) %%{init: {}}%% @enduml'


def option(code, text):
    data = text.encode()
    return struct.pack('<HH', code, len(data)) + data + b'\0' * (-len(data) % 4)


def block(kind, body):
    length = 12 + len(body)
    return struct.pack('<II', kind, length) + body + struct.pack('<I', length)


def main():
    raw = (here / 'markup_in_payloads.pcap').read_bytes()
    magic, _, _, _, _, snaplen, linktype = struct.unpack('<IHHiIII', raw[:24])
    if magic != 0xA1B2C3D4:
        sys.exit('expected a little-endian microsecond pcap')
    out = bytearray()
    shb_options = option(1, 'section: ' + MARKUP) + option(2, 'hardware ' + MARKUP) + option(3, 'os ' + MARKUP) + option(4, 'app ' + MARKUP) + b'\0\0\0\0'
    out += block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1) + shb_options)
    idb_options = option(2, 'lo<svg onload=alert(1)>') + option(3, 'interface ' + MARKUP) + b'\0\0\0\0'
    out += block(0x00000001, struct.pack('<HHI', linktype, 0, snaplen) + idb_options)
    offset, number = 24, 0
    while offset + 16 <= len(raw):
        sec, usec, incl, orig = struct.unpack('<IIII', raw[offset:offset + 16])
        data = raw[offset + 16:offset + 16 + incl]
        offset += 16 + incl
        number += 1
        ts = sec * 1_000_000 + usec
        body = struct.pack('<IIIII', 0, ts >> 32, ts & 0xFFFFFFFF, incl, orig) + data + b'\0' * (-incl % 4)
        body += option(1, f'frame {number}: ' + MARKUP) + b'\0\0\0\0'
        out += block(0x00000006, body)
    (here / 'markup_in_comments.pcapng').write_bytes(out)
    print(f'wrote markup_in_comments.pcapng ({number} packets)')


main()
