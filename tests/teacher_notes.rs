//! What a teacher adds (issue #23), each only where the capture shows it, on every capture in
//! the repository: TIME-WAIT's 2·MSL where a side reached TIME-WAIT; the SYN retries' spacing
//! (doubling, constant, or copies sooner than any timer) from the SYNs' own times; a snap
//! length that cut a payload, against tshark's frame_len/cap_len/len (the oracles); the
//! unscaled window of a SYN against tshark's raw window field; ECN marks against tshark's flags;
//! the acceptability test behind every probe's answer.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::HashMap;

use common::{every_capture, load_oracle, read};
use serde_json::Value;
use tcp_ladder::diagram::{explain_all, layout, LadderOptions};
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::lifecycle::TcpState;

/// tshark's packets of a capture by frame (empty without an oracle).
fn oracle_packets(path: &std::path::Path) -> HashMap<u64, Value> {
    let oracle = path.with_file_name(format!("{}.oracle.json", path.file_name().unwrap().to_string_lossy()));
    if !oracle.exists() {
        return HashMap::new();
    }
    let v = load_oracle(path);
    v["packets"].as_array().cloned().unwrap_or_default().into_iter().filter_map(|p| Some((p["frame"].as_u64()?, p))).collect()
}

#[test]
fn teacher_notes_appear_exactly_where_the_capture_shows_them() {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let tshark = oracle_packets(&path);
        // The link-type variants keep the Ethernet original's on-wire length (`make_variants.sh`),
        // so tshark's frame_len there is no wire length: no snap-length check on them.
        let wire_lengths_true = !path.to_string_lossy().contains("/generated/");
        for stream in 0..session.streams().len() as u32 {
            let Ok(conn) = session.connection(stream) else { continue };
            let ladder = layout(&conn, &LadderOptions::default());
            // TIME-WAIT: in the captions exactly when a side reached it.
            let time_wait = conn.states().sides.iter().any(|s| s.iter().any(|c| c.state == TcpState::TimeWait));
            let said = ladder.phases.iter().any(|p| p.caption.contains("TIME-WAIT lasts 2×MSL"));
            if said != time_wait {
                problems.push(format!("{name} stream {stream}: TIME-WAIT reached {time_wait}, explained {said}"));
            }
            *seen.entry("time_wait").or_default() += usize::from(said);
            // SYN retries, from the client's SYN times.
            let packets: Vec<_> = conn.packets().collect();
            let syns: Vec<i64> = packets.iter().filter(|p| p.from_client && p.segment.flags.syn() && !p.segment.flags.ack()).map(|p| p.time_ns).collect();
            let gaps: Vec<i64> = syns.windows(2).map(|w| w[1] - w[0]).collect();
            if let Some(open) = ladder.phases.first().filter(|_| gaps.len() > 0) {
                let c = &open.caption;
                let copies = gaps.iter().any(|&g| g < 200_000_000);
                let doubling = !copies && gaps.len() >= 2 && gaps.windows(2).all(|w| w[1] as f64 >= 1.5 * w[0] as f64);
                // (Every gap too short: "copies of one SYN", the capture holding it again.)
                let said_copies = c.contains("copies of the SYN") || (gaps.iter().all(|&g| g < 200_000_000) && c.contains("copies of one SYN"));
                if said_copies != copies || c.contains("timer doubles") != doubling || (c.contains("constant gaps") && (copies || doubling)) {
                    problems.push(format!("{name} stream {stream}: SYN gaps {gaps:?} ns: {c}"));
                }
                *seen.entry("syn_retries").or_default() += 1;
            }
            for (p, text, _) in explain_all(&conn) {
                let f = p.segment.flags;
                if let Some(t) = tshark.get(&p.frame) {
                    // Snap length: tshark's on-wire and captured lengths.
                    let (frame_len, cap_len, len) = (t["frame_len"].as_u64().unwrap_or(0), t["cap_len"].as_u64().unwrap_or(0), t["len"].as_u64().unwrap_or(0));
                    let cut = frame_len.saturating_sub(cap_len);
                    let saved = len.saturating_sub(cut);
                    let says = text.contains("(its snap length)");
                    if wire_lengths_true && says != (cut > 0 && len > 0 && saved < len) || (says && !text.contains(&format!("only {saved} of them were saved"))) {
                        problems.push(format!("{name} frame {}: frame_len {frame_len}, cap_len {cap_len}, len {len}: {text}", p.frame));
                    }
                    *seen.entry("snap").or_default() += usize::from(says);
                    // A SYN's window is the raw field.
                    if f.syn() && !f.rst() {
                        if let Some(raw) = t["window_size_value"].as_u64() {
                            if !text.contains(&format!("can still receive {raw} bytes — a SYN's window is never scaled")) {
                                problems.push(format!("{name} frame {}: SYN window field {raw}: {text}", p.frame));
                            }
                            *seen.entry("syn_window").or_default() += 1;
                        }
                    }
                    // A SYN tshark marks as reusing ports names RFC 6191's rule.
                    let reused = t["analysis"].as_array().is_some_and(|a| a.iter().any(|m| m == "reused_ports"));
                    if reused && !text.contains("RFC 6191") {
                        problems.push(format!("{name} frame {}: ports reused without RFC 6191: {text}", p.frame));
                    }
                    *seen.entry("reused").or_default() += usize::from(reused);
                    // ECN marks after the handshake, from tshark's flags.
                    let flags = t["flags"].as_str().unwrap_or("");
                    if !f.syn() && !f.rst() {
                        if text.contains("ECE is set: its sender echoes") != flags.contains("ECE") || text.contains("CWR is set: its sender says") != flags.contains("CWR") {
                            problems.push(format!("{name} frame {}: tshark flags {flags}: {text}", p.frame));
                        }
                        *seen.entry("ecn").or_default() += usize::from(flags.contains("ECE") || flags.contains("CWR"));
                    }
                }
                // Every probe's answer is the acceptability test's.
                if (text.contains("Zero-window probe:") || text.contains("Keep-alive:")) && !text.contains("RFC 9293 §3.10.7.4") {
                    problems.push(format!("{name} frame {}: a probe without its acceptability test: {text}", p.frame));
                }
                *seen.entry("probes").or_default() += usize::from(text.contains("Zero-window probe:") || text.contains("Keep-alive:"));
            }
        }
    }
    for (what, least) in [("time_wait", 30), ("syn_retries", 10), ("snap", 100), ("syn_window", 200), ("probes", 5), ("reused", 2)] {
        assert!(seen.get(what).copied().unwrap_or(0) >= least, "only {:?} {what}", seen.get(what));
    }
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}
