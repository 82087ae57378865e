//! Where the time went (issue #23), against the sending kernel's own clocks: on every lossy
//! capture at the sender, the time found limited by the receiver's window agrees with the last
//! `ss` sample's `rwnd_limited_ms`, and the time with data outstanding (network + receiver's
//! window) with `busy_ms` (Linux's busy chrono, which includes the rwnd- and sndbuf-limited
//! ones), each within 10 % of the connection's duration. On every capture of the repository
//! the parts sum to the duration exactly, in order, without overlap.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use serde_json::Value;
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::time_split::{time_split, TimeKind};

/// The last `ss` sample that carries TCP_INFO's times.
fn last_times(path: &std::path::Path) -> Option<(f64, f64)> {
    let text = String::from_utf8(read(path)).ok()?;
    text.lines().rev().filter_map(|l| serde_json::from_str::<Value>(l).ok()).find_map(|v| Some((v["busy_ms"].as_f64()?, v["rwnd_limited_ms"].as_f64().unwrap_or(0.0))))
}

#[test]
fn limited_times_agree_with_the_senders_tcp_info() {
    let dir = corpus_dir("lossy");
    let (mut problems, mut rows, mut scenarios) = (Vec::new(), Vec::new(), 0);
    for entry in std::fs::read_dir(dir.join("truth")).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_name().unwrap().to_str().unwrap().strip_suffix(".ss.jsonl") else { continue };
        let Some((busy, rwnd)) = last_times(&path) else { continue };
        let session = analyze_bytes(&read(&dir.join(format!("{name}_at_sender.pcap")))).unwrap();
        let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
        let split = time_split(&packets);
        let ms = |ns: i64| ns as f64 / 1e6;
        let duration = ms(split.duration_ns);
        // ss shows the client's socket, the data sender: its parts only (in request/response
        // the server's answers are outstanding too, on the server's clock).
        let client_time = |kind: TimeKind| ms(split.parts.iter().filter(|p| p.kind == kind && p.client == Some(true)).map(|p| p.duration_ns()).sum());
        let mine_rwnd = client_time(TimeKind::ReceiverWindow);
        let mine_busy = mine_rwnd + client_time(TimeKind::Network);
        rows.push(format!("{name}: duration {duration:.0} ms, receiver window {mine_rwnd:.0} (kernel {rwnd:.0}), outstanding {mine_busy:.0} (kernel busy {busy:.0})"));
        if (mine_rwnd - rwnd).abs() > 0.1 * duration {
            problems.push(format!("{name}: receiver-window limited {mine_rwnd:.0} ms, the kernel {rwnd:.0} ms, duration {duration:.0} ms"));
        }
        if (mine_busy - busy).abs() > 0.1 * duration {
            problems.push(format!("{name}: data outstanding {mine_busy:.0} ms, the kernel busy {busy:.0} ms, duration {duration:.0} ms"));
        }
        scenarios += 1;
    }
    println!("{}", rows.join("\n"));
    assert!(scenarios >= 9, "only {scenarios} scenarios with ss samples");
    assert!(problems.is_empty(), "{}\n---\n{}", problems.join("\n"), rows.join("\n"));
}

#[test]
fn parts_sum_to_the_duration_on_every_capture() {
    let (mut problems, mut streams) = (Vec::new(), 0);
    for path in common::every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for stream in 0..session.streams().len() as u32 {
            let Ok(connection) = session.connection(stream) else { continue };
            let packets: Vec<_> = connection.packets().collect();
            let split = time_split(&packets);
            let duration = packets.last().map_or(0, |l| l.time_ns - packets[0].time_ns);
            let mut at = 0;
            for part in &split.parts {
                if part.start_ns != at || part.end_ns <= part.start_ns || part.first_frame > part.last_frame {
                    problems.push(format!("{name} stream {stream}: part {part:?} after {at}"));
                }
                at = part.end_ns;
            }
            let totals: i64 = split.totals_ns.iter().sum();
            if at != duration || totals != duration || split.duration_ns != duration {
                problems.push(format!("{name} stream {stream}: parts end at {at}, totals {totals}, duration {duration}"));
            }
            streams += 1;
        }
    }
    assert!(streams > 100, "only {streams} connections");
    problems.truncate(20);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}


/// `analyze` (streaming NDJSON) prints the same totals the split has, and `explain`'s sentence
/// says each of them in the same numbers.
#[test]
fn analyze_and_explain_say_the_same_numbers() {
    use std::process::Command;
    let dir = corpus_dir("lossy");
    for name in ["receiver_limited", "spurious", "delayed_ack"] {
        let path = dir.join(format!("{name}_at_sender.pcap"));
        let session = analyze_bytes(&read(&path)).unwrap();
        let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
        let split = time_split(&packets);
        let out = Command::new(env!("CARGO_BIN_EXE_tcp-ladder")).args(["analyze", "--streams-only", "--format", "ndjson"]).arg(&path).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let stream: Value = text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).find(|v| v["record"] == "stream").unwrap();
        let json = &stream["time_split"];
        for kind in TimeKind::ALL {
            let want = split.total(kind) as f64 / 1e6;
            assert_eq!(json["totals_ms"][kind.key()].as_f64(), Some(want), "{name} {kind:?}");
        }
        assert_eq!(json["parts"].as_array().unwrap().len(), split.parts.len().min(256), "{name}");
        let out = Command::new(env!("CARGO_BIN_EXE_tcp-ladder")).args(["explain", "--stream", "0", "--format", "json"]).arg(&path).output().unwrap();
        let story: Value = serde_json::from_slice(&out.stdout).unwrap();
        let summary = story["time"]["summary"].as_str().unwrap();
        for kind in TimeKind::ALL.into_iter().filter(|k| split.total(*k) > 0) {
            let words = format!("{} {}", kind.label(), tcp_ladder::timefmt::milliseconds(split.total(kind)));
            assert!(summary.contains(&words), "{name}: '{words}' not in {summary}");
        }
    }
}
