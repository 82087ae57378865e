//! `cargo bench`: how fast tcp-ladder's core reads and analyses real captures, against tshark on
//! the same files in the same run (runs alternate, medians reported as ratios). tshark is the
//! peer, not a threshold: nothing here fails on speed. Without tshark on the machine only our
//! own numbers are printed (install it with `apt-get install tshark`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs per side and input: 5 below 50 MB, 3 up to 200 MB, 1 above (tshark takes minutes
/// there); BENCH_RUNS overrides. The median is reported.
fn runs(bytes: u64) -> usize {
    let default = match bytes {
        0..=50_000_000 => 5,
        50_000_001..=200_000_000 => 3,
        _ => 1,
    };
    std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Input {
    name: &'static str,
    path: PathBuf,
}

/// A plain (not gzip) copy of a capture, so that both sides read the same bytes.
fn plain_copy(source: &Path, dir: &Path) -> PathBuf {
    let bytes = std::fs::read(source).expect("capture missing");
    let name = source.file_name().unwrap().to_string_lossy().trim_end_matches(".gz").to_string();
    let out = dir.join(name);
    let plain = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut v = Vec::new();
        flate2::read::MultiGzDecoder::new(&bytes[..]).read_to_end(&mut v).unwrap();
        v
    } else {
        bytes
    };
    std::fs::write(&out, plain).unwrap();
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Reads the file in 4 MiB pieces, as the browser's worker does, into the same analysis.
/// Returns the time, frames, and the session's bytes per TCP segment.
fn ours(path: &Path) -> (Duration, u64, f64) {
    let start = Instant::now();
    let mut file = std::fs::File::open(path).unwrap();
    let mut builder = tcp_ladder::session::SessionBuilder::new(Some(file.metadata().unwrap().len()));
    let mut piece = vec![0u8; 4 << 20];
    loop {
        let n = file.read(&mut piece).unwrap();
        if n == 0 {
            break;
        }
        builder.push(&piece[..n]).unwrap();
    }
    let session = builder.finish().unwrap();
    let elapsed = start.elapsed();
    let per_segment = session.memory_bytes() as f64 / session.packet_count().max(1) as f64;
    (elapsed, session.format.packets, per_segment)
}

fn tshark(args: &[&str], path: &Path) -> Option<Duration> {
    let start = Instant::now();
    let status = Command::new("tshark").args(["-n", "-r"]).arg(path).args(args).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).status().ok()?;
    status.success().then(|| start.elapsed())
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("tcp-ladder-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut inputs = vec![
        Input { name: "bulk transfer, loopback (113 892 packets)", path: plain_copy(&root.join("tests/captures/real/bulk_100k.pcap.gz"), &dir) },
        Input { name: "HTTP, 1000 requests (4 102 packets)", path: plain_copy(&root.join("tests/captures/public/zeek_http_1000-requests-one-dropped-response.pcap.gz"), &dir) },
        Input { name: "mixed traffic, 98 streams (1 723 packets)", path: plain_copy(&root.join("tests/captures/public/ndpi_1kxun.pcap"), &dir) },
    ];
    // Large captures made by scripts/make_big_captures.sh, when present.
    if let Ok(entries) = std::fs::read_dir(root.join("bench-data")) {
        let mut big: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "pcap")).collect();
        big.sort();
        for path in big {
            let name: &'static str = Box::leak(path.file_name().unwrap().to_string_lossy().to_string().into_boxed_str());
            inputs.push(Input { name, path });
        }
    }
    let have_tshark = Command::new("tshark").arg("-v").output().is_ok_and(|o| o.status.success());
    println!("tcp-ladder analysis (file read in 4 MiB pieces) vs tshark 'conv,tcp' and 'fields' on the same file, alternating runs, medians");
    if !have_tshark {
        println!("(tshark not found: only tcp-ladder's numbers)");
    }
    println!(
        "{:<44} {:>8} {:>5} {:>10} {:>8} {:>8} {:>8} {:>12} {:>8} {:>18}",
        "input", "MB", "runs", "ours ms", "MB/s", "Mpkt/s", "B/seg", "conv,tcp ms", "ratio", "fields ms / ratio"
    );
    for input in &inputs {
        let bytes = std::fs::metadata(&input.path).unwrap().len();
        let size = bytes as f64 / 1e6;
        let runs = runs(bytes);
        let mut per_segment = 0.0;
        let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
        let mut packets = 0;
        for _ in 0..runs {
            let (t, n, m) = ours(&input.path);
            a.push(t);
            packets = n;
            per_segment = m;
            if have_tshark {
                b.extend(tshark(&["-q", "-z", "conv,tcp"], &input.path));
                c.extend(tshark(&["-T", "fields", "-e", "tcp.stream", "-e", "tcp.analysis.flags"], &input.path));
            }
        }
        let ours_t = median(a);
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let rate = packets as f64 / ours_t.as_secs_f64() / 1e6;
        let peer = |v: Vec<Duration>| {
            if v.is_empty() {
                ("n/a".to_string(), "n/a".to_string())
            } else {
                let t = median(v);
                (format!("{:.1}", ms(t)), format!("{:.1}×", t.as_secs_f64() / ours_t.as_secs_f64()))
            }
        };
        let (conv_ms, conv_ratio) = peer(b);
        let (fields_ms, fields_ratio) = peer(c);
        println!(
            "{:<44} {size:>8.1} {runs:>5} {:>10.1} {:>8.1} {rate:>8.2} {per_segment:>8.0} {conv_ms:>12} {conv_ratio:>8} {:>18}",
            input.name,
            ms(ours_t),
            size / ours_t.as_secs_f64(),
            format!("{fields_ms} / {fields_ratio}")
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
