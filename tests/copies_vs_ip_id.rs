//! "The same packet captured again" only where tshark's IPv4 identification says so (R4 F5,
//! F6): two datagrams have two identifications, so an ACK or a segment with another one than
//! the frame it is said to copy was sent twice (zeek_http_206_example_b's duplicate ACKs, one
//! per segment that arrived above the hole; ndpi_heuristic_tcp_ack_payload's 218-byte segment
//! after a 2-byte one). Run against tshark itself, on the captures where copies and real
//! repeats sit side by side; our decoded identification is checked against tshark's on every
//! frame first.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::HashMap;
use std::process::Command;

use common::{corpus_dir, read};
use tcp_ladder::diagram::explain_all;
use tcp_ladder::session::analyze_bytes;

/// tshark's `ip.id` per frame (IPv4 frames only).
fn tshark_ip_ids(path: &std::path::Path) -> HashMap<u64, u16> {
    let out = Command::new("tshark").args(["-r", path.to_str().unwrap(), "-T", "fields", "-e", "frame.number", "-e", "ip.id"]).output().expect("tshark (scripts/setup.sh installs it)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let (frame, id) = l.split_once('\t')?;
            let id = id.split(',').next()?.trim_start_matches("0x");
            Some((frame.parse().ok()?, u16::from_str_radix(id, 16).ok()?))
        })
        .collect()
}

/// The frame a sentence says this segment copies.
fn said_copy_of(text: &str) -> Option<u64> {
    if text.contains("the same ACK captured again") || text.contains("the same RST captured again") || text.contains("the same segment captured again") {
        return text.split("A copy of frame ").nth(1)?.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok();
    }
    None
}

#[test]
fn a_copy_has_the_ip_identification_of_the_frame_it_copies() {
    let (mut copies, mut repeats, mut problems) = (0, 0, Vec::new());
    for name in ["zeek_http_206_example_b.pcap", "ndpi_heuristic_tcp_ack_payload.pcap", "zeek_tcp_reassembly.pcap", "ndpi_rtsp.pcap", "zeek_tcp_ssh-dups.pcap", "tcpdump_pptp.pcap", "ndpi_1kxun.pcap"] {
        let path = corpus_dir("public").join(name);
        let ids = tshark_ip_ids(&path);
        let session = analyze_bytes(&read(&path)).unwrap();
        for stream in 0..session.streams().len() as u32 {
            let Ok(conn) = session.connection(stream) else { continue };
            for (p, text, _) in explain_all(&conn) {
                if p.segment.ip_id != ids.get(&p.frame).copied() {
                    problems.push(format!("{name} frame {}: decoded IP ID {:?}, tshark {:?}", p.frame, p.segment.ip_id, ids.get(&p.frame)));
                }
                match said_copy_of(&text) {
                    Some(of) if ids.get(&of) != ids.get(&p.frame) => problems.push(format!("{name} frame {}: said a copy of frame {of}, IP IDs {:?} / {:?}", p.frame, ids.get(&p.frame), ids.get(&of))),
                    Some(_) => copies += 1,
                    None => repeats += usize::from(text.contains("Not the same packet captured twice") || text.contains("Duplicate ACK #")),
                }
            }
        }
    }
    assert!(copies >= 50 && repeats >= 30, "{copies} copies, {repeats} real repeats");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.iter().take(40).cloned().collect::<Vec<_>>().join("\n"));
}
