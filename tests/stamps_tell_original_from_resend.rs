//! The timestamp option as the evidence for original against resend (R8a-05, R8a-16): near the
//! receiver a segment that fills a hole is the original, overtaken (it shares TSval and TSecr with
//! the segments sent with it), or a retransmission (its TSval is later than a segment's above it
//! in sequence: a sender sends its bytes in order the first time). Checked against the sender's own capture of the same connection: a segment the
//! words call the original left the sender once; one they call a retransmission left it twice.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::diagram::explain_all;
use tcp_ladder::session::analyze_bytes;

const SCENARIOS: [&str; 12] = ["drop_mid", "rack", "reorder", "spurious", "spurious_fast", "tail_loss", "rto_backoff", "ecn", "slow_start", "spurious_rto", "receiver_limited", "app_limited"];

/// How many times the sender's capture holds data from the client starting at `seq`.
fn sent(scenario: &str, seq: u32) -> usize {
    let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("{scenario}_at_sender.pcap")))).unwrap();
    let conn = session.connection(0).unwrap();
    conn.packets().filter(|p| p.from_client && p.segment.payload_len > 0 && p.seq == seq).count()
}

#[test]
fn the_stamps_tell_an_overtaken_original_from_a_retransmission_as_the_sender_saw() {
    let (mut originals, mut resends) = (Vec::new(), Vec::new());
    for scenario in SCENARIOS {
        let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("{scenario}_at_receiver.pcap")))).unwrap();
        let conn = session.connection(0).unwrap();
        for (p, text, _) in explain_all(&conn) {
            if text.contains("Out of order, and the original") {
                originals.push((scenario, p.frame, p.seq, sent(scenario, p.seq)));
            }
            if text.contains("so by the sender's own clock it left after them: a retransmission") {
                resends.push((scenario, p.frame, p.seq, sent(scenario, p.seq)));
                // R9-01: an echo names the report of the hole only when the echoed TSval is on
                // no segment that asked for less (rack: nine ACKs share TSval 1931566867).
                if let Some(i) = text.find("the TSval of frame ") {
                    let f: u64 = text[i + 19..].split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap();
                    let tsecr = p.segment.options.timestamps.unwrap().1;
                    let askers: Vec<_> = conn.packets().filter(|q| q.from_client != p.from_client && q.segment.options.timestamps.map(|t| t.0) == Some(tsecr)).map(|q| (q.frame, q.ack == p.seq)).collect();
                    assert!(askers.iter().any(|a| a.0 == f) && askers.iter().all(|a| a.1), "{scenario} frame {}: echo of {f}, segments with that TSval (frame, asks for these bytes): {askers:?}", p.frame);
                }
            }
        }
    }
    println!("originals {originals:?}\nretransmissions {resends:?}");
    // reorder at the receiver, frame 132 (the relay held segment 100 behind two later ones).
    assert!(originals.iter().any(|o| o.0 == "reorder" && o.1 == 132), "{originals:?}");
    // drop_mid frame 369 and rack frame 22 (the relay dropped one segment in each).
    for (scenario, frame) in [("drop_mid", 369), ("rack", 22)] {
        assert!(resends.iter().any(|r| r.0 == scenario && r.1 == frame), "{scenario} frame {frame}: {resends:?}");
    }
    for o in &originals {
        assert_eq!(o.3, 1, "{o:?}: called the original, but the sender sent these bytes {} times", o.3);
    }
    for r in &resends {
        assert!(r.3 >= 2, "{r:?}: called a retransmission, but the sender sent these bytes once");
    }
}
