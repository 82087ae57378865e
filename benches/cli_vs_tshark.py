#!/usr/bin/env python3
"""The command line against tshark on the same files: wall time and peak resident memory
(GNU time's %M) of

  tcp-ladder analyze FILE                 every packet's row and every connection, as JSON
  tcp-ladder analyze FILE --streams-only  connections only
  tshark -n -r FILE -T fields -e frame.number -e tcp.stream -e tcp.analysis.flags

each writing to /dev/null, runs alternating, medians. Nothing fails on speed: it prints what it
measured. Usage: benches/cli_vs_tshark.py [FILE...] (default: bench-data/*.pcap); BENCH_RUNS
sets runs per side (default 3; 1 for files over 300 MB).
"""
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "target/release/tcp-ladder"


def measure(argv):
    """(seconds, peak RSS in bytes) of one run."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    last = out.stderr.strip().splitlines()[-1].split()
    return float(last[0]), int(last[1]) * 1024


def main():
    files = [Path(f) for f in sys.argv[1:]] or sorted((ROOT / "bench-data").glob("*.pcap"))
    if not CLI.exists():
        sys.exit(f"{CLI} is missing: cargo build --release --bin tcp-ladder")
    sides = {
        "ours": lambda f: [str(CLI), "analyze", str(f), "-o", "/dev/null"],
        "streams": lambda f: [str(CLI), "analyze", str(f), "--streams-only", "-o", "/dev/null"],
        "tshark": lambda f: ["tshark", "-n", "-r", str(f), "-T", "fields", "-e", "frame.number", "-e", "tcp.stream", "-e", "tcp.analysis.flags"],
    }
    print("CLI benchmark: tcp-ladder analyze against tshark -T fields (frame.number, tcp.stream, tcp.analysis.flags); medians of alternating runs")
    head = ["input", "MB", "ours s", "RSS MB", "RSS/file", "streams s", "RSS MB", "tshark s", "RSS MB", "ratio"]
    print(head[0].ljust(28) + "".join(h.rjust(11) for h in head[1:]))
    for f in files:
        size = f.stat().st_size
        runs = int(os.environ.get("BENCH_RUNS", "3" if size <= 300e6 else "1"))
        results = {k: [] for k in sides}
        for _ in range(runs):
            for k, argv in sides.items():
                results[k].append(measure(argv(f)))
        med = {k: (statistics.median(t for t, _ in v), max(m for _, m in v)) for k, v in results.items()}
        ours, streams, tshark = med["ours"], med["streams"], med["tshark"]
        cells = [
            f.name.ljust(28),
            f"{size / 1e6:.0f}",
            f"{ours[0]:.2f}", f"{ours[1] / 1e6:.0f}", f"{ours[1] / size:.2f}",
            f"{streams[0]:.2f}", f"{streams[1] / 1e6:.0f}",
            f"{tshark[0]:.2f}", f"{tshark[1] / 1e6:.0f}",
            f"{tshark[0] / ours[0]:.1f}×",
        ]
        print(cells[0] + "".join(c.rjust(11) for c in cells[1:]), flush=True)


if __name__ == "__main__":
    main()
