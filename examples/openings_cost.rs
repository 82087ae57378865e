//! What reading each connection's opening (the list's "what" column: its first 2 048 bytes each
//! way, read as the capture is read) costs the worker's read: `cargo run --release --example
//! openings_cost FILE... [--runs N]`. Each file is read in 4 MiB pieces, kept as the page's
//! worker keeps it (`SessionBuilder::placed`), with and without the openings, runs alternating;
//! prints the medians, the quickest runs, the difference, and the session's memory per
//! connection (`Session::memory_bytes`, which counts the openings' records). Nothing fails on speed (`scripts/bench.sh` runs it).
//! `--only with|without FILE` reads the file once that way and prints nothing: for a profiler
//! (`valgrind --tool=callgrind`, whose instruction counts of the two compare without noise).
use std::time::{Duration, Instant};

fn read(bytes: &[u8], openings: bool) -> (Duration, usize, usize) {
    let t = Instant::now();
    let builder = tcp_ladder::session::SessionBuilder::placed(Some(bytes.len() as u64));
    let mut builder = if openings { builder } else { builder.without_openings() };
    for piece in bytes.chunks(4 << 20) {
        builder.push(piece).expect("a capture");
    }
    let session = builder.finish().expect("a capture");
    let took = t.elapsed();
    let said = (0..session.streams().len() as u32).filter(|&i| session.opening(i).is_some()).count();
    (took, said, session.memory_bytes())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The quickest run: on a shared machine the other runs are this one plus someone else's work.
fn least(v: &[Duration]) -> Duration {
    v.iter().copied().min().unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--only") {
        let (with, path) = (args.get(i + 1).is_some_and(|w| w == "with"), args.get(i + 2).expect("--only with|without FILE"));
        read(&std::fs::read(path).expect("readable file"), with);
        return;
    }
    let runs = args.iter().position(|a| a == "--runs").and_then(|i| args.get(i + 1)).and_then(|n| n.parse().ok()).unwrap_or(5);
    let files = args.iter().enumerate().filter(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--runs")).map(|(_, a)| a);
    println!("| file | MB | connections | with a protocol | without openings ms (median, least) | with ms (median, least) | cost (medians, least) | session B per connection, without → with |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for path in files {
        let raw = std::fs::read(path).expect("readable file");
        let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&raw[..]), &mut v).expect("gzip");
            v
        } else {
            raw
        };
        let (mut with, mut without, mut said, mut memory) = (Vec::new(), Vec::new(), 0, [0, 0]);
        for _ in 0..runs {
            let (t, _, m) = read(&bytes, false);
            without.push(t);
            let (t, n, m2) = read(&bytes, true);
            with.push(t);
            (said, memory) = (n, [m, m2]);
        }
        let connections = tcp_ladder::session::analyze_bytes(&bytes).map_or(0, |s| s.streams().len());
        let (la, lb) = (least(&without), least(&with));
        let (a, b) = (median(without), median(with));
        let name = std::path::Path::new(path).file_name().map_or(path.clone(), |n| n.to_string_lossy().into_owned());
        println!(
            "| {name} | {:.1} | {connections} | {said} | {:.1}, {:.1} | {:.1}, {:.1} | {:+.1} %, {:+.1} % | {:.0} → {:.0} |",
            bytes.len() as f64 / 1e6,
            a.as_secs_f64() * 1e3,
            la.as_secs_f64() * 1e3,
            b.as_secs_f64() * 1e3,
            lb.as_secs_f64() * 1e3,
            (b.as_secs_f64() / a.as_secs_f64() - 1.0) * 100.0,
            (lb.as_secs_f64() / la.as_secs_f64() - 1.0) * 100.0,
            memory[0] as f64 / connections.max(1) as f64,
            memory[1] as f64 / connections.max(1) as f64
        );
    }
}
