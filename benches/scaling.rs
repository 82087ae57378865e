//! `cargo bench --bench scaling`: does the time stay linear in the file size, and how much
//! memory do millions of connections take? Generated captures (built in memory, the same bytes
//! on every machine): a SYN flood of one-packet connections from random sources with random
//! sequence numbers (hostile input, issue #13), and one long connection of small data
//! segments and ACKs, each at 100 000, 1 000 000 and 3 000 000 frames. Prints the time per
//! frame and its ratio to the smallest size (1.0 = linear), the session's memory per
//! connection or segment, and the process's peak RSS. Nothing fails on speed.

#[path = "../tests/common/synth.rs"]
mod synth;

use std::time::Instant;

use synth::{pcap_header, record, tcp_frame_between};

/// A small deterministic generator (the same captures everywhere).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 32) as u32
    }
}

fn flood(frames: u32) -> Vec<u8> {
    let mut rng = Lcg(1);
    let mut out = pcap_header(1);
    for n in 0..frames {
        let src = rng.next().to_be_bytes();
        let frame = tcp_frame_between(src, [10, 0, 0, 1], (rng.next() % 60000 + 1024) as u16, 80, rng.next(), 0, 0x02, &[], &[]);
        record(&mut out, n, &frame);
    }
    out
}

fn bulk(frames: u32) -> Vec<u8> {
    let (c, s) = ([10, 0, 0, 2], [10, 0, 0, 1]);
    let mut out = pcap_header(1);
    let payload = [0x61u8; 10];
    record(&mut out, 0, &tcp_frame_between(c, s, 40000, 80, 0, 0, 0x02, &[], &[]));
    record(&mut out, 1, &tcp_frame_between(s, c, 80, 40000, 0, 1, 0x12, &[], &[]));
    record(&mut out, 2, &tcp_frame_between(c, s, 40000, 80, 1, 1, 0x10, &[], &[]));
    let mut seq: u32 = 1;
    let mut n = 3;
    while n < frames {
        record(&mut out, n, &tcp_frame_between(c, s, 40000, 80, seq, 1, 0x18, &[], &payload));
        seq = seq.wrapping_add(payload.len() as u32);
        n += 1;
        if n % 3 == 0 {
            record(&mut out, n, &tcp_frame_between(s, c, 80, 40000, 1, seq, 0x10, &[], &[]));
            n += 1;
        }
    }
    out
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    println!("time per frame as files grow (1.00 = linear), memory per connection/segment; generated captures");
    println!("{:<7} {:>10} {:>9} {:>9} {:>11} {:>9} {:>13} {:>13} {:>10}", "kind", "frames", "MB", "ms", "ns/frame", "vs 100k", "connections", "B/record", "peak RSS");
    for (kind, make) in [("flood", flood as fn(u32) -> Vec<u8>), ("bulk", bulk)] {
        let mut base = None;
        for frames in [100_000u32, 1_000_000, 3_000_000] {
            let bytes = make(frames);
            let t = Instant::now();
            let session = tcp_ladder::session::analyze_bytes(&bytes).expect("a capture");
            let elapsed = t.elapsed();
            let ns = elapsed.as_nanos() as f64 / f64::from(frames);
            let base_ns = *base.get_or_insert(ns);
            let connections = session.streams().len();
            // Per connection for the flood (one segment each), per segment for the bulk.
            let per = session.memory_bytes() as f64 / if kind == "flood" { connections.max(1) } else { session.packet_count().max(1) } as f64;
            println!(
                "{kind:<7} {frames:>10} {:>9.0} {:>9.0} {:>11.0} {:>9.2} {:>13} {:>13.0} {:>8.0} MB",
                bytes.len() as f64 / 1e6,
                elapsed.as_secs_f64() * 1e3,
                ns,
                ns / base_ns,
                connections,
                per,
                peak_rss_mb()
            );
        }
    }
}
