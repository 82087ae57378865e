//! A FIN sent before the data it follows was acknowledged (R8a-15): drop_mid's client sends its
//! FIN with the last 456 bytes while a segment before them is lost; the hole is repaired after
//! the FIN, and only then is the FIN acknowledged. The repair is the data transfer's: at both
//! capture points the data phase holds the resend (the relay dropped one segment: `drop 1`), the
//! close starts at the first ACK of all the data, and its caption names the FIN and the resend.
//! Where no data followed the FIN unacknowledged (the seed exchange), the close starts at the FIN.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::report::story::story;
use tcp_ladder::session::analyze_bytes;

fn phases(dir: &str, file: &str) -> Vec<(String, u64, u64, String)> {
    let session = analyze_bytes(&read(&corpus_dir(dir).join(file))).unwrap();
    let conn = session.connection(0).unwrap();
    story(&conn).phases.iter().map(|p| (p.kind.to_string(), p.first_frame, p.last_frame, p.caption.clone())).collect()
}

#[test]
fn a_repair_after_the_fin_is_the_data_transfers_at_both_ends() {
    // The relay's log: one data segment dropped (its 100th), so one resend.
    let log = std::fs::read_to_string(corpus_dir("lossy").join("truth/drop_mid.relay.jsonl")).unwrap();
    assert_eq!(log.lines().filter(|l| l.contains("\"action\":\"drop\"") && l.contains("\"dir\"")).count(), 1, "the relay dropped one segment");
    for (at, fin, resend, ack) in [("sender", 265, 269, 371), ("receiver", 368, 369, 370)] {
        let file = format!("drop_mid_at_{at}.pcap");
        let session = analyze_bytes(&read(&corpus_dir("lossy").join(&file))).unwrap();
        let conn = session.connection(0).unwrap();
        let packets: Vec<_> = conn.packets().collect();
        // The frames as the packets have them: the FIN, the only data resend, the first ACK of all.
        let fin_packet = packets.iter().find(|p| p.segment.flags.fin()).unwrap();
        assert_eq!(fin_packet.frame, fin, "{file}");
        let fin_seq = fin_packet.seq.wrapping_add(fin_packet.segment.payload_len);
        let first_full_ack = packets.iter().find(|p| !p.from_client && p.frame > fin && p.ack.wrapping_sub(fin_seq) < 1 << 31).unwrap();
        assert_eq!(first_full_ack.frame, ack, "{file}");
        let told = phases("lossy", &file);
        let data = told.iter().find(|p| p.0 == "data").unwrap();
        let close = told.iter().find(|p| p.0 == "four_way").unwrap_or_else(|| panic!("{file}: {told:?}"));
        assert!(data.1 <= resend && resend <= data.2 && data.2 + 1 == ack, "{file}: data phase {}–{}", data.1, data.2);
        assert_eq!(close.1, ack, "{file}: close phase {}–{}", close.1, close.2);
        assert!(close.3.contains(&format!("FIN left in frame {fin} before all the data ahead of it had arrived: some of it had to be sent again (its last resend, frame {resend})")), "{file}: {}", close.3);
    }
}

/// (zeek_ftp_ipv6: one ACK of the 6 bytes before the server's FIN comes after it — an everyday
/// close, which keeps its FIN; delayed bulk_at_client: 474 ACKs of data in flight did not.)
#[test]
fn a_close_with_nothing_unacknowledged_before_its_fin_starts_at_the_fin() {
    for (dir, file) in [("delayed", "seed_at_client.pcap"), ("delayed", "seed_middle.pcap"), ("delayed", "seed_at_server.pcap"), ("public", "zeek_ftp_ipv6.pcap")] {
        let session = analyze_bytes(&read(&corpus_dir(dir).join(file))).unwrap();
        let fin = session.connection(0).unwrap().packets().find(|p| p.segment.flags.fin()).unwrap().frame;
        let told = phases(dir, file);
        let close = told.iter().find(|p| p.0 != "data" && p.0 != "handshake").unwrap();
        assert_eq!(close.1, fin, "{file}: {told:?}");
        assert!(!close.3.contains("FIN left in frame"), "{file}: {}", close.3);
    }
}

/// Data still in flight when the FIN left, and its ACKs kept coming: delayed bulk_at_client's FIN
/// (frame 1962) is followed by the server's ACKs of the data before it until frame 2436.
#[test]
fn many_acks_of_data_before_the_fin_after_it_are_the_data_transfers() {
    let told = phases("delayed", "bulk_at_client.pcap");
    let close = told.iter().find(|p| p.0 == "four_way").unwrap();
    assert_eq!(close.1, 2436, "{told:?}");
    assert!(close.3.contains("FIN left in frame 1962 while data before it was still on its way"), "{}", close.3);
}
