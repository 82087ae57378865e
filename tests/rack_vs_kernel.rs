//! The `rack` recording (tests/captures/lossy/): segment 9 of a 10-segment burst dropped by the
//! relay, so only one duplicate ACK (with SACK) ever came back and the classic three-duplicate
//! rule could not fire; the sender's kernel counted a fast retransmit and no loss probe. At both
//! capture points the inference must name RACK as the trigger (not "likely": fewer than three
//! segments were SACKed above the hole, so RFC 6675's rule cannot explain it either), count as
//! many resends as the kernel's TcpRetransSegs, and repair exactly the relay's dropped segments.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeSet;

use common::{corpus_dir, read};
use serde_json::Value;
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::recovery::ResendKind;
use tcp_ladder::tcp::recovery_episodes::{recovery_episodes, EpisodeKind, Trigger};

fn truth(file: &str) -> String {
    String::from_utf8(read(&corpus_dir("lossy").join("truth").join(file))).unwrap()
}

#[test]
fn rack_is_named_and_agrees_with_the_kernel_and_the_relay() {
    let nstat: Value = serde_json::from_str(&truth("rack.nstat.json")).unwrap();
    let counter = |k: &str| nstat["client"][k].as_u64().unwrap_or(0) as usize;
    // What the recording proves: a fast retransmit, no probe, no timeout.
    assert_eq!((counter("TcpExtTCPFastRetrans"), counter("TcpExtTCPLossProbes"), counter("TcpExtTCPTimeouts")), (1, 0, 0));
    let dropped: BTreeSet<u32> = truth("rack.relay.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["dir"] == "c2s" && v["action"] == "drop")
        .map(|v| v["seq"].as_u64().unwrap() as u32)
        .collect();
    assert_eq!(dropped.len(), 1);
    for point in ["at_sender", "at_receiver"] {
        let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("rack_{point}.pcap")))).unwrap();
        let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
        let episodes: Vec<_> = recovery_episodes(&packets).into_iter().filter(|e| e.from_client && !e.resends.is_empty()).collect();
        assert_eq!(episodes.len(), 1, "{point}: {episodes:#?}");
        let e = &episodes[0];
        assert_eq!(e.kind, EpisodeKind::Loss, "{point}");
        assert_eq!((e.trigger, e.trigger_likely), (Some(Trigger::Rack), false), "{point}: {e:#?}");
        assert!(e.dup_acks_before < 3, "{point}: {} duplicate ACKs", e.dup_acks_before);
        assert_eq!(e.resends.len(), counter("TcpRetransSegs"), "{point}");
        assert!(e.resends.iter().all(|r| r.kind == ResendKind::FastRetransmit), "{point}");
        let repaired: BTreeSet<u32> = e.resends.iter().map(|r| r.seq).collect();
        assert_eq!(repaired, dropped, "{point}");
    }
}

/// The per-segment sentence of the resend names RACK and its evidence (one duplicate ACK).
#[test]
fn the_resend_sentence_names_rack() {
    let path = corpus_dir("lossy").join("rack_at_sender.pcap");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tcp-ladder")).arg("explain").arg(&path).args(["--stream", "0"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text.lines().find(|l| l.contains("A fast retransmit (inferred)")).expect("a fast retransmit sentence");
    assert!(line.contains("(1 duplicate ACK, and SACK blocks") && line.contains("Likely RACK (RFC 8985): only 1 duplicate ACK came back"), "{line}");
}
