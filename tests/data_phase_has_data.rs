//! R2 F15: a phase called "Data transfer" holds data. zeek_tcp_ctu-64702-888.pcap stream 0
//! had "frames 1–4, Data transfer: 4 segments" over two SYN-ACK copies and two ACKs (its SYN
//! not captured). Over every connection of every capture: each data phase spans at least one
//! segment that carries payload, and starts at no SYN.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use tcp_ladder::diagram::{layout, LadderOptions};

#[test]
fn every_data_transfer_phase_carries_data() {
    let (mut phases, mut bad) = (0, Vec::new());
    common::each_connection(&common::every_capture_and_shared(), |_, name, stream, conn| {
        let ladder = layout(conn, &LadderOptions::default());
        for ph in ladder.phases.iter().filter(|p| p.kind == "data") {
            phases += 1;
            let inside: Vec<_> = conn.packets().filter(|p| (ph.first_frame..=ph.last_frame).contains(&p.frame)).collect();
            let data = inside.iter().any(|p| p.segment.payload_len > 0);
            let starts_at_syn = inside.first().is_some_and(|p| p.segment.flags.syn());
            // R8b-17: "N segments, M of them carrying data", both counted over the phase's frames.
            let carrying = inside.iter().filter(|p| p.segment.payload_len > 0).count();
            let said = match (inside.len(), carrying) {
                (1, 1) => "1 segment, carrying data.".to_string(),
                (1, _) => "1 segment, carrying no data.".to_string(),
                (n, c) => format!("{n} segments, {c} of them carrying data."),
            };
            if !ph.caption.contains(&said) && !ph.caption.contains("header cut") && !ph.caption.contains("cut before its flags") {
                bad.push(format!("{name} stream {stream}: {} segments, {carrying} carrying data: {}", inside.len(), ph.caption));
            }
            if !data || starts_at_syn {
                bad.push(format!("{name} stream {stream}: frames {}–{} \"{}\" (payload: {data}, starts at a SYN: {starts_at_syn})", ph.first_frame, ph.last_frame, ph.title));
            }
        }
    });
    for b in bad.iter().take(20) {
        println!("{b}");
    }
    assert!(phases > 200, "{phases} data phases");
    assert!(bad.is_empty(), "{} data phases without data", bad.len());
}
