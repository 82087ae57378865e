//! Times the analysis of one capture natively, read whole and in 4 MiB pieces as the browser
//! worker reads it, and prints the session's memory: `cargo run --release --example
//! time_analysis FILE [--core-only] [--placed]`. For profiling (perf, callgrind) the slow spots
//! of a capture; `--core-only` stops after the reading (the browser benchmark's native side);
//! `--placed` keeps the segments as the page's worker does (see `tcp_ladder::reanalysis`).
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: time_analysis FILE [--core-only] [--placed]");
    let core_only = std::env::args().any(|a| a == "--core-only");
    let bytes = std::fs::read(&path).expect("readable file");
    let t = Instant::now();
    let whole = tcp_ladder::session::analyze_bytes(&bytes).expect("a capture");
    let whole_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    // `--placed`: as the worker keeps it (where each segment is; the first connection
    // analysed in full, the page showing it).
    let placed = std::env::args().any(|a| a == "--placed");
    let mut builder = if placed { tcp_ladder::session::SessionBuilder::placed(Some(bytes.len() as u64)) } else { tcp_ladder::session::SessionBuilder::new(Some(bytes.len() as u64)) };
    for piece in bytes.chunks(4 << 20) {
        builder.push(piece).expect("a capture");
    }
    let mut pieces = builder.finish().expect("a capture");
    let pieces_ms = t.elapsed().as_secs_f64() * 1e3;
    let n = whole.packet_count();
    println!(
        "{path}: {n} TCP segments, {} connections; whole {whole_ms:.0} ms, in pieces {pieces_ms:.0} ms ({:.0} MB/s); session {:.1} MB = {:.0} B per segment",
        whole.streams().len(),
        bytes.len() as f64 / 1e6 / (pieces_ms / 1e3),
        pieces.memory_bytes() as f64 / 1e6,
        pieces.memory_bytes() as f64 / n.max(1) as f64
    );
    if core_only {
        return;
    }
    for (part, bytes) in tcp_ladder::tcp::Stream::record_parts() {
        println!("connection record: {part}: {bytes} B");
    }
    let live = pieces.streams().iter().filter(|s| s.can_receive()).count();
    println!("connections that can still receive segments (holding their analysis state): {live} of {}", pieces.streams().len());
    let biggest = (0..pieces.streams().len() as u32).max_by_key(|&i| pieces.streams()[i as usize].packets).unwrap_or(0);
    if placed {
        let t = Instant::now();
        pieces.reanalyse_from(biggest, &bytes);
        println!("re-analysing connection #{biggest} alone: {:.0} ms; session then {:.1} MB", t.elapsed().as_secs_f64() * 1e3, pieces.memory_bytes() as f64 / 1e6);
    }
    let t = Instant::now();
    let ladder = pieces.connection(biggest).ok().map(|conn| tcp_ladder::diagram::layout(&conn, &tcp_ladder::diagram::LadderOptions::default()));
    println!(
        "layout of its longest connection (#{biggest}, {} segments): {:.0} ms, {} arrows; {} B per connection record",
        pieces.streams().get(biggest as usize).map_or(0, |s| s.packets),
        t.elapsed().as_secs_f64() * 1e3,
        ladder.map_or(0, |l| l.arrows.len()),
        std::mem::size_of::<tcp_ladder::tcp::Stream>()
    );
    // The timing view shows every segment; the page asks for a window around the screen.
    for (what, window) in [("whole", None), ("a 12 000-unit window", Some((0, 12_000)))] {
        let t = Instant::now();
        let options = tcp_ladder::diagram::LadderOptions { timing: true, window, ..Default::default() };
        let ladder = pieces.connection(biggest).ok().map(|conn| tcp_ladder::diagram::layout(&conn, &options));
        println!(
            "timing view ({what}): {:.0} ms, {} arrows, {:.0} units tall",
            t.elapsed().as_secs_f64() * 1e3,
            ladder.as_ref().map_or(0, |l| l.arrows.len()),
            ladder.as_ref().map_or(0.0, |l| l.height)
        );
    }
}
