//! Times Follow TCP Stream's plan on the longest connection of a capture:
//! `cargo run --release --example follow_time FILE` (for profiling with perf).
fn main() {
    let path = std::env::args().nth(1).expect("usage: follow_time FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let session = tcp_ladder::session::analyze_bytes(&bytes).expect("a capture");
    let stream = (0..session.streams().len() as u32).max_by_key(|&s| session.connection(s).map_or(0, |c| c.len())).unwrap_or(0);
    let t = std::time::Instant::now();
    let plan = tcp_ladder::follow::follow(&session.connection(stream).unwrap());
    let ms = t.elapsed().as_secs_f64() * 1e3;
    let gaps = plan.chunks.iter().filter(|c| matches!(c.kind, tcp_ladder::follow::ChunkKind::Gap { .. })).count();
    println!("{path}: stream {stream}, {} segments, {} chunks ({gaps} gaps), plan in {ms:.0} ms", session.connection(stream).map_or(0, |c| c.len()), plan.chunks.len());
}
