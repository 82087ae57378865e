//! TCP Fast Open and the handshake's words (issue #23), on every capture in the repository:
//! "ISN + 1 + N" and "data in the SYN" only where a SYN carried N bytes and its SYN-ACK
//! acknowledged them; a SYN that only asked for a cookie carries no data; the SYNs and SYN-ACKs
//! tshark marks `tcp.analysis.tfo_syn` / `tfo_ack` (the oracles' `analysis_other`) are named
//! as Fast Open with their data accepted.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, every_capture, read};
use serde_json::Value;
use tcp_ladder::diagram::{explain_all, layout, LadderOptions};
use tcp_ladder::session::analyze_bytes;

/// Frames tshark marks with `mark` in its `analysis_other` (none without an oracle).
fn tshark_marks(path: &std::path::Path, mark: &str) -> Vec<u64> {
    let oracle = path.with_file_name(format!("{}.oracle.json", path.file_name().unwrap().to_string_lossy()));
    let Ok(bytes) = std::fs::read(oracle) else { return Vec::new() };
    let Ok(v) = serde_json::from_slice::<Value>(&bytes) else { return Vec::new() };
    let packets = v["packets"].as_array().cloned().unwrap_or_default();
    packets.iter().filter(|p| p["analysis_other"].as_array().is_some_and(|a| a.iter().any(|m| m == mark))).filter_map(|p| p["frame"].as_u64()).collect()
}

#[test]
fn handshake_words_match_the_syns_data_and_its_acknowledgement() {
    let (mut opens, mut tfo_syns, mut problems) = (0usize, 0usize, Vec::new());
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (marked_syn, marked_ack) = (tshark_marks(&path, "tfo_syn"), tshark_marks(&path, "tfo_ack"));
        for stream in 0..session.streams().len() as u32 {
            let Ok(conn) = session.connection(stream) else { continue };
            let explained = explain_all(&conn);
            let syn = explained.iter().find(|(p, ..)| p.from_client && p.segment.flags.syn() && !p.segment.flags.ack());
            let syn_ack = explained.iter().find(|(p, ..)| !p.from_client && p.segment.flags.syn() && p.segment.flags.ack());
            let syn_data = syn.map_or(0, |(p, ..)| p.segment.payload_len);
            let accepted = syn_data > 0 && syn_ack.is_some_and(|(p, ..)| p.ack == 1 + syn_data);
            let ladder = layout(&conn, &LadderOptions::default());
            let Some(open) = ladder.phases.first().filter(|ph| ph.kind == "handshake") else { continue };
            opens += 1;
            let c = &open.caption;
            if c.contains("Data already travels in the handshake") {
                problems.push(format!("{name} stream {stream}: the old words: {c}"));
            }
            if (c.contains("as its SYN carried data") || c.contains("The server accepted that data")) != accepted {
                problems.push(format!("{name} stream {stream}: SYN data {syn_data}, accepted {accepted}: {c}"));
            }
            if syn_data == 0 && (c.contains("SYN carries") || c.contains("SYN presents")) {
                problems.push(format!("{name} stream {stream}: a SYN without data said to carry some: {c}"));
            }
            if let Some((p, text, _)) = syn_ack {
                if text.contains("for the data the SYN carried") != accepted || (accepted && !text.contains(&format!("+ {syn_data} for the data"))) {
                    problems.push(format!("{name} frame {}: SYN data {syn_data}, ack={}: {text}", p.frame, p.ack));
                }
                if marked_ack.contains(&p.frame) && !(accepted && c.contains("The server accepted that data")) {
                    problems.push(format!("{name} frame {}: tshark says the SYN-ACK accepts TFO data: {c}", p.frame));
                }
            }
            if let Some((p, text, _)) = syn.filter(|(p, ..)| marked_syn.contains(&p.frame)) {
                tfo_syns += 1;
                if !text.contains("TCP Fast Open, with its cookie") || !c.contains("presents a TCP Fast Open cookie") {
                    problems.push(format!("{name} frame {}: tshark marks a TFO SYN: {text} / {c}", p.frame));
                }
            }
        }
    }
    assert!(opens >= 100 && tfo_syns >= 1, "only {opens} handshakes, {tfo_syns} TFO SYNs marked by tshark");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}

/// The Fast Open options of `zeek_tcp_tcp-fast-open.pcap` as tshark reads them
/// (`tshark -e tcp.options.tfo.cookie`): frame 1's SYN has an empty option (a cookie request),
/// frame 2's SYN-ACK gives the 8-byte cookie 261fb060cecab690, frame 8's SYN presents it with 86 bytes.
#[test]
fn fast_open_cookie_request_and_cookie_are_named() {
    let session = analyze_bytes(&read(&corpus_dir("public").join("zeek_tcp_tcp-fast-open.pcap"))).unwrap();
    let first = session.connection(0).unwrap();
    let texts: Vec<(u64, String)> = explain_all(&first).into_iter().map(|(p, t, _)| (p.frame, t)).collect();
    assert!(texts[0].1.contains("an empty TCP Fast Open option"), "{}", texts[0].1);
    assert!(texts[1].1.contains("a TCP Fast Open cookie (8 bytes"), "{}", texts[1].1);
    let open = &layout(&first, &LadderOptions::default()).phases[0].caption;
    assert!(open.contains("asks for a TCP Fast Open cookie") && open.contains("carries no data") && open.contains("gives it a cookie (8 bytes)"), "{open}");
    let second = session.connection(1).unwrap();
    let open = &layout(&second, &LadderOptions::default()).phases[0].caption;
    assert!(open.contains("presents a TCP Fast Open cookie (8 bytes, RFC 7413) and carries 86 bytes") && open.contains("ack=87"), "{open}");
}
