//! Port reuse inside TIME-WAIT (RFC 6191, issue #23): a SYN on the addresses and ports of an
//! earlier connection is told against that connection — who holds the pair in TIME-WAIT, the
//! numbers RFC 6191 compares and whether its condition held — with the numbers checked against
//! tshark's (raw sequence numbers from the oracles) and the verdict against what the receiving
//! kernel did. tests/captures/real/port_reuse.pcap (recorded by record.sh on Linux loopback):
//! the server closes first, so it waits in TIME-WAIT; the client connects again from the same
//! port 0.2 s later, with a higher ISN and TSval; the server's kernel accepts (SYN-ACK).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use serde_json::Value;
use tcp_ladder::session::analyze_bytes;

#[test]
fn a_syn_in_time_wait_is_told_by_rfc_6191s_condition() {
    let (mut problems, mut told) = (Vec::new(), 0);
    for path in common::every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let oracle_path = path.with_file_name(format!("{}.oracle.json", path.file_name().unwrap().to_string_lossy()));
        let oracle: Option<Value> = std::fs::read(&oracle_path).ok().and_then(|b| serde_json::from_slice(&b).ok());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for stream in 0..session.streams().len() as u32 {
            let conn = session.connection(stream).unwrap();
            let Some(r) = conn.port_reuse() else { continue };
            let texts = tcp_ladder::diagram::explain_all(&conn);
            let Some((_, text, _)) = texts.iter().find(|(p, ..)| p.frame == r.syn_frame) else { continue };
            // The same connection attempt (same ISN) is not a reuse: its own sentence says so.
            if text.contains("the same connection attempt") {
                continue;
            }
            told += 1;
            let mut fail = |why: String| problems.push(format!("{name} stream {stream}: {why}: {text}"));
            let want = [format!("connection {} used these addresses and ports before", r.old_stream), format!("ISN {}", r.isn)];
            if want.iter().any(|w| !text.contains(w.as_str())) {
                fail("the facts are not in the sentence".into());
            }
            let held = r.condition_held();
            if held.is_some() && text.contains("condition held") != (held == Some(true)) {
                fail(format!("condition {held:?}"));
            }
            // tshark's raw numbers: the SYN's, and just past the highest the SYN's sender used in
            // the earlier connection.
            let Some(oracle) = &oracle else { continue };
            let packets = oracle["packets"].as_array().unwrap();
            let syn = packets.iter().find(|p| p["frame"].as_u64() == Some(r.syn_frame)).unwrap();
            if syn["seq_raw"].as_u64() != Some(u64::from(r.isn)) || !syn["analysis"].to_string().contains("reused_ports") {
                fail(format!("tshark's SYN {syn}"));
            }
            let sender = (&syn["src"], &syn["srcport"]);
            let old_next = packets
                .iter()
                .filter(|p| p["stream"].as_u64() == Some(u64::from(r.old_stream)) && (&p["src"], &p["srcport"]) == sender && !p["flags"].as_str().unwrap().contains("RST"))
                .map(|p| (p["seq_raw"].as_u64().unwrap() + p["nxtseq"].as_u64().unwrap().saturating_sub(p["seq"].as_u64().unwrap())) as u32)
                .max_by(|a, b| (a.wrapping_sub(*b) as i32).cmp(&0));
            if old_next != r.old_next_seq {
                fail(format!("tshark's last sequence number of the sender there {old_next:?}, ours {:?}", r.old_next_seq));
            }
            // What the receiver's kernel did: a SYN-ACK acknowledging this SYN, per tshark.
            let accepted = packets.iter().find(|p| p["flags"] == "SYN,ACK" && p["ack_raw"].as_u64() == Some(u64::from(r.isn.wrapping_add(1))) && p["dst"] == syn["src"] && p["dstport"] == syn["srcport"]);
            if accepted.and_then(|p| p["frame"].as_u64()) != r.answered_by.filter(|a| !a.1).map(|a| a.0) {
                fail(format!("tshark's SYN-ACK {accepted:?}, ours {:?}", r.answered_by));
            }
        }
    }
    // The recorded TIME-WAIT reuse: the server closed first, the condition held by the
    // timestamps (200 ms of a 1 ms clock later) and the ISN, and its kernel accepted.
    let session = analyze_bytes(&read(&corpus_dir("real").join("port_reuse.pcap"))).unwrap();
    let r = session.connection(1).unwrap().port_reuse().expect("stream 1 reuses stream 0's ports");
    assert_eq!((r.old_stream, r.syn_sender_closed_first, r.tsval_newer(), r.isn_above(), r.answered_by), (0, Some(false), Some(true), Some(true), Some((12, false))), "{r:?}");
    assert!(told >= 1 && problems.is_empty(), "{told} told: {}", problems.join("\n"));
}
