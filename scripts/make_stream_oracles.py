#!/usr/bin/env python3
"""make_stream_oracles.py - tshark's answers for the stream toolbox (graphs, Follow TCP Stream).

For every capture FILE under the given folders that has FILE.oracle.json (made by
../shared/tools/make_oracle.py), writes FILE.streams.oracle.json with:

  frames   [frame, ack_rtt, bytes_in_flight, window_size] for every frame matching `tcp`:
           tcp.analysis.ack_rtt (the string tshark prints, seconds), tcp.analysis.bytes_in_flight,
           tcp.window_size; null where tshark gives nothing. Frames with more than one TCP
           header are left out (tshark joins the values with commas).
  follow   per tcp.stream, `tshark -q -z follow,tcp,raw,N`: node0/node1 ("addr:port" as tshark
           prints them), records [[node, length], ...] in tshark's order, and per node the byte
           count and the SHA-256 of all its bytes (the bytes themselves would make the
           repository tens of megabytes larger; the hash checks them all the same).

tshark runs as make_oracle.py runs it (one pass, no name resolution, relative sequence
numbers, an empty configuration folder). Python standard library only.

Usage: make_stream_oracles.py DIR [DIR ...]
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

ARGS = ["-n", "-o", "tcp.relative_sequence_numbers:TRUE", "-o", "tcp.analyze_sequence_numbers:TRUE",
        "-o", "tcp.calculate_timestamps:TRUE"]
BATCH = 200


def tshark(env, *args):
    out = subprocess.run(["tshark", *ARGS, *args], env=env, capture_output=True, text=True)
    return out.stdout


def per_frame(env, path):
    rows = []
    text = tshark(env, "-r", path, "-Y", "tcp", "-T", "fields", "-E", "separator=|",
                  "-e", "frame.number", "-e", "tcp.analysis.ack_rtt", "-e", "tcp.analysis.bytes_in_flight",
                  "-e", "tcp.window_size")
    for line in text.splitlines():
        frame, rtt, bif, win = (line.split("|") + ["", "", ""])[:4]
        if "," in rtt + bif + win:
            continue
        rows.append([int(frame), rtt or None, int(bif) if bif else None, int(win) if win else None])
    return rows


def follow(env, path, streams):
    result = []
    for start in range(0, len(streams), BATCH):
        batch = streams[start:start + BATCH]
        args = ["-r", path, "-q"]
        for n in batch:
            args += ["-z", f"follow,tcp,raw,{n}"]
        text = tshark(env, *args)
        for section in text.split("===================================================================\n"):
            lines = section.splitlines()
            if not lines or not lines[0].startswith("Follow: tcp,raw"):
                continue
            stream = int(lines[1].rsplit(" ", 1)[1])
            nodes = [lines[2].split(": ", 1)[1], lines[3].split(": ", 1)[1]]
            records, data = [], [bytearray(), bytearray()]
            for line in lines[4:]:
                node = 1 if line.startswith("\t") else 0
                raw = bytes.fromhex(line.strip())
                records.append([node, len(raw)])
                data[node] += raw
            result.append({"stream": stream, "node0": nodes[0], "node1": nodes[1], "records": records,
                           "bytes": [len(data[0]), len(data[1])],
                           "sha256": [hashlib.sha256(data[0]).hexdigest(), hashlib.sha256(data[1]).hexdigest()]})
    result.sort(key=lambda r: r["stream"])
    return result


def main(dirs):
    home = tempfile.mkdtemp()
    env = dict(os.environ, HOME=home, WIRESHARK_CONFIG_DIR=home, XDG_CONFIG_HOME=home)
    version = subprocess.run(["tshark", "--version"], capture_output=True, text=True, env=env).stdout.splitlines()[0]
    for d in dirs:
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if name.endswith(".json") or not os.path.exists(path + ".oracle.json"):
                continue
            oracle = json.load(open(path + ".oracle.json"))
            streams = [s["stream"] for s in oracle.get("streams", [])]
            out = {"file": name, "sha256": oracle.get("sha256"), "tshark_version": version,
                   "frames": per_frame(env, path), "follow": follow(env, path, streams)}
            with open(path + ".streams.oracle.json", "w") as f:
                json.dump(out, f, separators=(",", ":"))
                f.write("\n")
            print(f"{path}: {len(out['frames'])} frames, {len(out['follow'])} streams followed", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or ["tests/captures/public"])
