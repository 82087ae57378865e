#!/usr/bin/env python3
"""make_app_oracles.py - tshark's application-layer answers (HTTP, TLS, DNS, FTP, SMTP, ...).

For every capture FILE under the given folders that has FILE.oracle.json (made by
../shared/tools/make_oracle.py), writes FILE.app.oracle.json, so a test can hold our message
parser against Wireshark's dissectors without tshark installed:

  {"file": name, "sha256": of the capture (from FILE.oracle.json), "tshark_version": ...,
   "tshark_args": [the arguments after "tshark", with the file's bare name after -r],
   "frames": [
  {"frame": 4, "stream": 0, "http.request.method": "GET", ...},
  ...one row a line...
  ]}

  frames   one row per frame that matches FILTER and holds at least one of FIELDS: `frame`
           (frame.number) and `stream` (tcp.stream, the first one when the frame has several
           TCP headers; a list "tcp.stream" is added then if they differ), then each field of
           FIELDS tshark reports, under its tshark name, empty ones left out.
           Values are the strings `-T fields` prints (numbers in decimal, BASE_HEX fields such
           as tls.record.version / tls.handshake.ciphersuite / supported_version as "0x0303").
           Every tls.*, dns.* and http2.* field is a list (one entry per occurrence, in tree
           order: e.g. one tls.record.* entry per record in the frame, and
           tls.handshake.ciphersuite is the ClientHello's whole list, or the one suite a
           ServerHello chose). The other fields (http.*, smtp, ftp, pop, imap, ssh) are a
           string, or a list when the frame really holds two or more (pipelined messages
           completed by one frame).
           tls.record.opaque_type is recorded too (not in the original list): TLS 1.3
           encrypted records carry it ("23") instead of tls.record.content_type, so without it
           content_type and length/version lists would not line up record by record.
           All FIELDS exist in tshark 4.0.17 (`tshark -G fields`); none had to be left out.

Fields tshark reports on the frame that completes a message (TCP reassembly on, tshark's
defaults as in the GUI). One pass with -Y, as make_oracle.py runs tshark: -Y only chooses
which frames are printed, every frame is still dissected, so reassembled messages land on
their last frame (zeek_http_get.pcap: GET on frame 4, the 200 on frame 9, not on 6 where its
header starts). A second pass (-2 -Y) gave byte-identical rows for every capture here, so it
is not used. -R (needs -2) drops non-matching frames in the first pass: frames get renumbered
and reassembly breaks, so it is never used.

Escaping by `-T fields` in 4.0.17 (seen on crafted captures): tab, CR and LF inside a value
print as the two characters \\t, \\r, \\n; a backslash is NOT doubled (so "\\t" is ambiguous);
other control bytes pass raw in HTTP strings (0x01, 0x1e, 0x1f) but as octal \\ooo in DNS
names; bytes that are not UTF-8 (and any non-ASCII byte in HTTP strings) become U+FFFD. So
no value holds a raw newline, and tshark's output is UTF-8: the bytes 0xFE (column
separator) and 0xFF (aggregator between occurrences) can never appear in it.

Captures over 50 MB are skipped (and listed). Output folder: beside the capture when its
folder lies inside this repository; otherwise (the shared corpus, e.g.
/work/shared/captures/public, read-only) in tests/captures/<that folder's name>/ of this
repository, beside the repository's copy of the corpus. Python standard library only.

Usage: make_app_oracles.py DIR [DIR ...]
"""
import json
import os
import subprocess
import sys
import tempfile

ARGS = ["-n", "-o", "tcp.relative_sequence_numbers:TRUE", "-o", "tcp.analyze_sequence_numbers:TRUE",
        "-o", "tcp.calculate_timestamps:TRUE"]
FILTER = "tcp && (http || tls || dns || smtp || ftp || pop || imap || ssh || http2)"
SEP, AGG = b"\xfe", b"\xff"
HTTP = ["http.request.method", "http.request.uri", "http.request.version", "http.response.code",
        "http.response.phrase", "http.content_length_header", "http.transfer_encoding"]
TLS = ["tls.record.content_type", "tls.record.opaque_type", "tls.record.length", "tls.record.version",
       "tls.handshake.type", "tls.handshake.extensions_server_name", "tls.handshake.extensions_alpn_str",
       "tls.handshake.ciphersuite", "tls.handshake.extensions.supported_version",
       "tls.alert_message.level", "tls.alert_message.desc"]
DNS = ["dns.qry.name", "dns.qry.type", "dns.flags.response", "dns.flags.rcode", "dns.count.answers"]
OTHER = ["smtp.req.command", "smtp.req.parameter", "smtp.response.code",
         "ftp.request.command", "ftp.request.arg", "ftp.response.code",
         "pop.request.command", "pop.response.indicator", "imap.request.command", "ssh.protocol"]
HTTP2 = ["http2.type", "http2.streamid", "http2.length", "http2.headers.method", "http2.headers.path",
         "http2.headers.status"]
FIELDS = HTTP + TLS + DNS + OTHER + HTTP2
LISTS = set(TLS + DNS + HTTP2)
MAX_BYTES = 50 * 1000 * 1000
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tshark_args(path):
    fields = [a for f in ["frame.number", "tcp.stream", *FIELDS] for a in ("-e", f)]
    return [*ARGS, "-r", path, "-Y", FILTER, "-T", "fields", "-E", "separator=\xfe", "-E", "occurrence=a",
            "-E", "aggregator=\xff", "-E", "quote=n", *fields]


def frames(env, path):
    args = [a.encode("latin-1") if a in ("separator=\xfe", "aggregator=\xff") else a.encode()
            for a in tshark_args(path)]
    out = subprocess.run([b"tshark", *args], env=env, capture_output=True)
    rows = []
    for line in out.stdout.split(b"\n"):
        if not line:
            continue
        cols = line.split(SEP)
        assert len(cols) == 2 + len(FIELDS), (path, line)
        streams = [int(s) for s in cols[1].split(AGG)]
        row = {"frame": int(cols[0]), "stream": streams[0]}
        if len(set(streams)) > 1:
            row["tcp.stream"] = streams
        for name, value in zip(FIELDS, cols[2:]):
            if value:
                values = [v.decode("utf-8", errors="replace") for v in value.split(AGG)]
                row[name] = values if name in LISTS or len(values) > 1 else values[0]
        if len(row) > 2 + ("tcp.stream" in row):
            rows.append(row)
    return rows


def out_dir(d):
    d = os.path.abspath(d)
    if os.path.commonpath([d, REPO]) == REPO:
        return d
    return os.path.join(REPO, "tests", "captures", os.path.basename(d))


def main(dirs):
    home = tempfile.mkdtemp()
    env = dict(os.environ, HOME=home, WIRESHARK_CONFIG_DIR=home, XDG_CONFIG_HOME=home)
    version = subprocess.run(["tshark", "--version"], capture_output=True, text=True, env=env).stdout.splitlines()[0]
    skipped = []
    for d in dirs:
        target_dir = out_dir(d)
        os.makedirs(target_dir, exist_ok=True)
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if name.endswith(".json") or not os.path.exists(path + ".oracle.json"):
                continue
            if os.path.getsize(path) > MAX_BYTES:
                skipped.append(path)
                print(f"{path}: skipped, {os.path.getsize(path)} bytes", flush=True)
                continue
            oracle = json.load(open(path + ".oracle.json"))
            rows = frames(env, path)
            head = {"file": name, "sha256": oracle.get("sha256"), "tshark_version": version,
                    "tshark_args": tshark_args(name)}
            target = os.path.join(target_dir, name + ".app.oracle.json")
            with open(target, "w") as f:
                f.write(json.dumps(head, separators=(",", ":"))[:-1] + ',"frames":[')
                f.write(",".join("\n" + json.dumps(r, separators=(",", ":")) for r in rows))
                f.write("\n]}\n")
            print(f"{target}: {len(rows)} frames", flush=True)
    if skipped:
        print("skipped (over 50 MB): " + " ".join(skipped), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or ["tests/captures/public"])
