//! Duplicate ACKs counted as the packets have them (R8a-04): drop_mid at the sender numbers the
//! ACKs asking for byte 143353 by Wireshark's rule (only those with an unchanged window: #1–#4 in
//! frames 367–370) while 105 asked for it, and frame 269 had already resent it. Every such
//! sentence on the lossy recordings: its count is the number of ACKs of its side asking for the
//! byte since the frame it names, and the resend it names carries that byte, before it.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::diagram::explain_all;
use tcp_ladder::session::analyze_bytes;

fn number_after(text: &str, before: &str) -> Option<u64> {
    let at = text.find(before)? + before.len();
    text[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()
}

#[test]
fn a_duplicate_ack_says_how_many_asked_and_whether_the_byte_was_resent() {
    let (mut checked, mut resent_named) = (0, 0);
    for entry in std::fs::read_dir(corpus_dir("lossy")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "pcap") {
            continue;
        }
        let session = analyze_bytes(&read(&path)).unwrap();
        let conn = session.connection(0).unwrap();
        let packets: Vec<_> = conn.packets().collect();
        for (p, text, _) in explain_all(&conn) {
            let Some(nth) = number_after(&text, "Wireshark numbers only those with an unchanged window): the ") else { continue };
            let since = number_after(&text, ", counting frame ").unwrap();
            let asked = packets.iter().filter(|q| q.from_client == p.from_client && q.frame >= since && q.frame <= p.frame && q.ack == p.ack && q.segment.flags.ack()).count() as u64;
            assert_eq!(nth, asked, "{} frame {}: {text}", path.display(), p.frame);
            if let Some(f) = number_after(&text, "already sent again in frame ") {
                let resend = packets.iter().find(|q| q.frame == f).unwrap();
                assert!(f < p.frame && resend.seq == p.ack && resend.from_client != p.from_client, "{} frame {}: {text}", path.display(), p.frame);
                resent_named += 1;
            }
            checked += 1;
        }
    }
    assert!(checked >= 8 && resent_named >= 4, "{checked} sentences, {resent_named} naming the resend");
    let session = analyze_bytes(&read(&corpus_dir("lossy").join("drop_mid_at_sender.pcap"))).unwrap();
    let text = explain_all(&session.connection(0).unwrap()).into_iter().find(|(p, _, _)| p.frame == 370).unwrap().1;
    assert!(text.contains("Duplicate ACK #4 of frame 259") && text.contains("the 105th ACK asking for byte 143353, counting frame 259") && text.contains("already sent again in frame 269"), "{text}");
}
