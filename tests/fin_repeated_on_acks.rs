//! R2 F17 (zeek_tcp_reassembly.pcap stream 0): the server's FIN repeated on each ACK it sends
//! (frames 8, 10, 12) is no lost data and no probe, and the bytes the client sent after that
//! FIN are one number, defined once. Over every connection of every capture:
//! - the phases give at most one count of the bytes one side sent after the other's FIN (the
//!   data caption's "N bytes … were sent after the X's FIN" and the half-close's "kept sending
//!   N bytes after the X's FIN" never disagree; where the half-close phase is drawn, it alone
//!   counts them);
//! - a SYN, SYN-ACK or FIN sent again alone is never "these bytes", nor "data", nor a probe.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use tcp_ladder::diagram::{explain_all, layout, LadderOptions};

/// The number just before `marker` in `text`, each time `marker` occurs.
fn numbers_before(text: &str, marker: &str) -> Vec<u64> {
    text.match_indices(marker)
        .filter_map(|(at, _)| {
            let head = text[..at].trim_end();
            let digits: String = head.chars().rev().take_while(|c| c.is_ascii_digit()).collect::<Vec<_>>().into_iter().rev().collect();
            digits.parse().ok()
        })
        .collect()
}

#[test]
fn bytes_after_a_fin_are_counted_once_and_a_repeated_fin_is_no_data() {
    let (mut checked, mut bad) = (0, Vec::new());
    common::each_connection(&common::every_capture_and_shared(), |_, name, stream, conn| {
        let ladder = layout(conn, &LadderOptions::default());
        let all: String = ladder.phases.iter().map(|p| format!("{} {} ", p.title, p.caption)).collect();
        for (me, other) in [("client", "server"), ("server", "client")] {
            let mut counts: Vec<u64> = numbers_before(&all, &format!(" bytes {me} → {other} were sent after the {other}'s FIN"));
            for (at, _) in all.match_indices(&format!("the {me} kept sending ")) {
                let rest = &all[at + format!("the {me} kept sending ").len()..];
                counts.extend(rest.split(" ").next().and_then(|n| n.parse::<u64>().ok()));
            }
            counts.dedup();
            if !counts.is_empty() {
                checked += 1;
            }
            if counts.len() > 1 {
                bad.push(format!("{name} stream {stream}: {me}'s bytes after the {other}'s FIN counted as {counts:?}"));
            }
        }
        for (p, text, resend) in explain_all(conn) {
            let Some(r) = resend.filter(|r| r.carries != "data") else { continue };
            let own_data = format!("{}'s data", if p.from_client { "client" } else { "server" });
            for wrong in ["these bytes went by", own_data.as_str(), "tail loss probe", "loss probe"] {
                if text.contains(wrong) {
                    bad.push(format!("{name} stream {stream} frame {}: a {} alone sent again, said {wrong:?}", p.frame, r.carries));
                }
            }
        }
    });
    for b in bad.iter().take(20) {
        println!("{b}");
    }
    assert!(checked >= 3, "only {checked} counts of bytes after a FIN");
    assert!(bad.is_empty(), "{} false sentences", bad.len());
}
