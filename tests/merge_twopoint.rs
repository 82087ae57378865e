//! `tcp-ladder merge` on real captures made at two points of one path with something between
//! them that the lossy captures do not have (tests/captures/twopoint, record.sh there):
//! - `nat`: an nftables masquerade (with a port change) between the points, so the client's
//!   address and port differ between the captures; the relay delays 15 ms each way.
//! - `bloat`: the relay's client-to-server delay ramps from 15 ms up by 50 ms a second to
//!   215 ms (a queue that fills), the other way stays 15 ms; the relay logs each frame's delay.
//! The expectations come from the relay's log (truth/<scenario>.relay.jsonl), not constants.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::PathBuf;

use tcp_ladder::merge::{merge, PairedBy};
use tcp_ladder::session::{analyze_bytes, Session};

fn twopoint(name: &str) -> PathBuf {
    common::corpus_dir("twopoint").join(name)
}

fn session(name: &str) -> Session {
    analyze_bytes(&std::fs::read(twopoint(name)).unwrap()).unwrap()
}

/// The relay's log lines of one direction that carry a frame (not the settings or summaries).
fn relay_frames(scenario: &str, dir: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(twopoint(&format!("truth/{scenario}.relay.jsonl")))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["dir"] == dir && v.get("action").is_some())
        .collect()
}

/// (seq, len) of every client-to-server frame the relay dropped.
fn relay_drops(scenario: &str) -> Vec<(u32, u32)> {
    let mut drops: Vec<(u32, u32)> = relay_frames(scenario, "c2s")
        .iter()
        .filter(|v| v["action"] == "drop")
        .map(|v| (v["seq"].as_u64().unwrap() as u32, v["len"].as_u64().unwrap() as u32))
        .collect();
    drops.sort();
    drops
}

/// The least and the largest delay (ms) the relay applied to a direction's logged frames.
fn relay_delay_range(scenario: &str, dir: &str) -> (f64, f64) {
    let delays: Vec<f64> = relay_frames(scenario, dir).iter().filter_map(|v| v["delay_ms"].as_f64()).collect();
    assert!(!delays.is_empty(), "{scenario} {dir}: no delay_ms in the relay's log");
    (delays.iter().cloned().fold(f64::INFINITY, f64::min), delays.iter().cloned().fold(f64::NEG_INFINITY, f64::max))
}

#[test]
fn a_connection_through_a_nat_is_paired_though_the_client_address_differs() {
    let (a, b) = (session("nat_at_client.pcap"), session("nat_at_server.pcap"));
    let (ca, cb) = (a.streams()[0].client, b.streams()[0].client);
    assert_ne!(ca.addr, cb.addr, "the NAT should have changed the client's address");
    assert_ne!(ca.port, cb.port, "the NAT should have changed the client's port");
    assert_eq!(a.streams()[0].server, b.streams()[0].server);
    let m = merge(&a, &b);
    assert!(m.unmatched_a.is_empty() && m.unmatched_b.is_empty(), "{m:?}");
    assert_eq!(m.connections.len(), 1);
    let c = &m.connections[0];
    assert_eq!((c.paired_by, c.a_near), (PairedBy::InitialSequenceNumbers, "client"));
    assert_eq!(c.segments_matched, c.segments_b, "every server-side segment matched");
    // The merge says the endpoints each point saw.
    assert_eq!((c.client_a.clone(), c.client_b.clone()), (ca.to_string(), cb.to_string()));
    let mut lost: Vec<(u32, u32)> = c.lost_between.iter().map(|l| (l.seq, l.len)).collect();
    lost.sort();
    assert_eq!(lost, relay_drops("nat"), "lost between the points, against the relay's log");
    assert_eq!(c.segments_a, c.segments_matched + lost.len());
    // One machine's clock at both points.
    let offset = c.offset_ns.unwrap() as f64 / 1e6;
    assert!(offset.abs() <= 0.2, "offset {offset} ms");
    // The fixed delay: the relay's, both ways (the NAT's routing adds next to nothing).
    let (lo, _) = relay_delay_range("nat", "c2s");
    for d in [c.path_ms.a_to_b.unwrap(), c.path_ms.b_to_a.unwrap()] {
        assert!(d.min >= lo - 0.1 && d.min <= lo + 1.0, "{d:?} against the relay's {lo} ms");
    }
}

#[test]
fn a_connection_under_a_delay_ramp_is_paired_and_matched_whole() {
    let m = merge(&session("bloat_at_client.pcap"), &session("bloat_at_server.pcap"));
    assert!(m.unmatched_a.is_empty() && m.unmatched_b.is_empty() && m.notes.is_empty(), "{m:?}");
    let c = &m.connections[0];
    assert_eq!((c.paired_by, c.a_near), (PairedBy::InitialSequenceNumbers, "client"));
    assert_eq!((c.segments_matched, c.segments_a), (c.segments_b, c.segments_b));
    assert_eq!(c.lost_between.iter().map(|l| (l.seq, l.len)).collect::<Vec<_>>(), relay_drops("bloat"));
    assert!(c.only_in_a.is_empty() && c.only_in_b.is_empty());
}

/// The merge sees the relay's ramp on the client-to-server way only. (It did not at first: the
/// clock fit took the ramp's half for a drift of the server-side clock, about +24 400 ppm over
/// the ~4.8 s connection; a drift moves both ways' least delays oppositely, a filling queue one
/// way only, and `src/merge/clock.rs` now takes the steadier way's slope where they disagree.)
#[test]
fn a_delay_ramp_is_seen_one_way_and_not_taken_for_clock_drift() {
    let m = merge(&session("bloat_at_client.pcap"), &session("bloat_at_server.pcap"));
    let c = &m.connections[0];
    let (lo, hi) = relay_delay_range("bloat", "c2s");
    assert!(hi - lo >= 100.0, "the relay's ramp is only {lo}–{hi} ms");
    let offset = c.offset_ns.unwrap() as f64 / 1e6;
    let (ab, ba) = (c.path_ms.a_to_b.unwrap(), c.path_ms.b_to_a.unwrap());
    let mut wrong = Vec::new();
    if offset.abs() > 0.2 {
        wrong.push(format!("offset {offset} ms on one clock (drift {:?} ppm)", c.drift_ppm));
    }
    if ab.max - ab.min < 0.8 * (hi - lo) {
        wrong.push(format!("A → B spans {:.3} ms, the relay's ramp {:.3} ms", ab.max - ab.min, hi - lo));
    }
    if (ab.min - lo).abs() > 1.0 {
        wrong.push(format!("A → B least {:.3} ms, the ramp's least {lo} ms", ab.min));
    }
    if ba.max - ba.min >= 5.0 {
        wrong.push(format!("B → A (no ramp) spans {:.3} ms", ba.max - ba.min));
    }
    assert!(wrong.is_empty(), "{}: {ab:?} {ba:?}", wrong.join("; "));
}
