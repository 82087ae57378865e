//! `cargo bench --bench stream_tools_vs_tshark`: how long the stream graphs and Follow TCP
//! Stream take on a long connection, against tshark giving the same data on the same file in
//! the same run (runs alternate, medians, ratios; nothing fails on speed).
//!
//! "After the click" is what the page does when the Graphs or Follow tab is opened: the capture
//! is already read and analysed, so ours is `graph_data` (every series of the graph, cut to a
//! 900-column summary) or the follow plan plus the first page's bytes. tshark has no state kept
//! between commands, so its figure includes reading the file again — as Wireshark's TCP Stream
//! Graph and Follow Stream re-read ("retap") the packets; our own read and analysis time is
//! printed beside it so the two can be added for a like-for-like total.
//!
//! Inputs: the bulk transfers in bench-data/ (scripts/make_big_captures.sh; KINDS=bulk
//! SIZES=700 makes one of 3.3 M segments) and tests/captures/real/bulk_100k.pcap.gz.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tcp_ladder::follow::follow;
use tcp_ladder::graph::{graph_data, GraphKind, GraphRequest};
use tcp_ladder::report::follow::chunk_bytes;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn tshark(args: &[&str], path: &Path) -> Option<Duration> {
    let start = Instant::now();
    let ok = Command::new("tshark").args(["-n", "-r"]).arg(path).args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().ok()?.success();
    ok.then(|| start.elapsed())
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs: Vec<PathBuf> = vec![root.join("tests/captures/real/bulk_100k.pcap.gz")];
    if let Ok(dir) = std::fs::read_dir(root.join("bench-data")) {
        let mut bulk: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("bulk-"))).collect();
        bulk.sort_by_key(|p| std::fs::metadata(p).map_or(0, |m| m.len()));
        inputs.extend(bulk);
    }
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let have_tshark = Command::new("tshark").arg("-v").output().is_ok_and(|o| o.status.success());
    println!("stream graphs and follow stream after the click (capture already analysed) vs tshark producing the same data; medians of {runs}");
    println!("{:<24} {:>10} {:>9} | {:>9} {:>9} {:>7} | {:>9} {:>9} {:>7} | {:>9}", "input", "segments", "read ms", "tseq ms", "tshark", "ratio", "follow ms", "tshark", "ratio", "rtt ms");
    for path in inputs {
        let bytes = std::fs::read(&path).expect("capture missing");
        let t = Instant::now();
        let session = tcp_ladder::session::analyze_bytes(&bytes).expect("a capture");
        let read = t.elapsed();
        let stream = (0..session.streams().len() as u32).max_by_key(|&s| session.connection(s).map_or(0, |c| c.len())).unwrap_or(0);
        let segments = session.connection(stream).map_or(0, |c| c.len());
        let graph = |kind| {
            let t = Instant::now();
            let data = graph_data(&session.connection(stream).expect("the connection"), &GraphRequest { stream, kind, from_client: None, range: None, y_range: None, columns: 900 });
            assert!(data.series.iter().map(|s| s.points.len()).sum::<usize>() > 0);
            t.elapsed()
        };
        let follow_page = || {
            let t = Instant::now();
            let conn = session.connection(stream).expect("the connection");
            let plan = follow(&conn);
            let page: usize = plan.chunks.iter().take(150).map(|c| chunk_bytes(&conn, session.file_bytes(&bytes), c).len()).sum();
            std::hint::black_box(page);
            t.elapsed()
        };
        let filter = format!("tcp.stream=={stream}");
        let (mut tseq, mut rtt, mut fol, mut t_tseq, mut t_fol) = (vec![], vec![], vec![], vec![], vec![]);
        for _ in 0..runs {
            tseq.push(graph(GraphKind::Tseq));
            if have_tshark {
                t_tseq.extend(tshark(&["-Y", &filter, "-T", "fields", "-e", "frame.time_relative", "-e", "tcp.seq", "-e", "tcp.len", "-e", "tcp.ack", "-e", "tcp.window_size"], &path));
            }
            fol.push(follow_page());
            if have_tshark {
                t_fol.extend(tshark(&["-q", "-z", &format!("follow,tcp,raw,{stream}")], &path));
            }
            rtt.push(graph(GraphKind::Rtt));
        }
        let ratio = |peer: &Vec<Duration>, ours: Duration| if peer.is_empty() { "-".to_string() } else { format!("{:.0}×", ms(median(peer.clone())) / ms(ours).max(1e-3)) };
        let peer = |v: &Vec<Duration>| if v.is_empty() { "-".to_string() } else { format!("{:.0}", ms(median(v.clone()))) };
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let (tseq, fol) = (median(tseq), median(fol));
        println!(
            "{name:<24} {segments:>10} {:>9.0} | {:>9.1} {:>9} {:>7} | {:>9.1} {:>9} {:>7} | {:>9.1}",
            ms(read),
            ms(tseq),
            peer(&t_tseq),
            ratio(&t_tseq, tseq),
            ms(fol),
            peer(&t_fol),
            ratio(&t_fol, fol),
            ms(median(rtt))
        );
    }
}
