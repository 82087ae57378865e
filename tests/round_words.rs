//! Round sentences true to their own numbers (R8b-11, R8b-18): "slow start … the flight roughly
//! doubles each round" only where the flight at most about doubled (zeek_http_206_example_b went
//! from 5 to 35 segments in one round: more than slow start allows), and no round of "loss
//! recovery … up to 0 segments in flight" (ndpi_1kxun stream 28 resent bytes already
//! acknowledged). Every connection of every capture.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{every_capture, read};
use tcp_ladder::report::story::story;
use tcp_ladder::session::analyze_bytes;

fn number_before(text: &str, word: &str) -> Option<u32> {
    let at = text.find(word)?;
    text[..at].trim_end().rsplit(' ').next()?.parse().ok()
}

#[test]
fn slow_start_and_recovery_rounds_agree_with_their_numbers() {
    let (mut doubling, mut jumps, mut problems) = (0, 0, Vec::new());
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        for s in session.streams().iter() {
            let Ok(conn) = session.connection(s.index) else { continue };
            for line in story(&conn).congestion.sentences {
                if line.contains("up to 0 segments in flight") {
                    problems.push(format!("{} stream {}: {line}", path.display(), s.index));
                }
                if line.contains("roughly doubles each round") {
                    doubling += 1;
                    let (now, before) = (number_before(&line, "segments in flight").unwrap(), number_before(&line, "the round before").unwrap());
                    if 2 * now > 5 * before {
                        problems.push(format!("{} stream {}: {line}", path.display(), s.index));
                    }
                }
                jumps += usize::from(line.contains("more than slow start's doubling a round"));
            }
        }
    }
    assert!(doubling >= 10 && jumps >= 1, "{doubling} doubling rounds, {jumps} jumps");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}

/// R8a-01: rto_backoff's loss probe (frame 23) did not repair the loss — two timeouts followed
/// (the kernel's TCPTimeouts 2) — so its round's line is no "repaired tail loss probe may leave
/// it uncut".
#[test]
fn a_probe_followed_by_timeouts_is_no_repaired_probe() {
    let nstat: serde_json::Value = serde_json::from_slice(&read(&common::corpus_dir("lossy").join("truth").join("rto_backoff.nstat.json"))).unwrap();
    assert_eq!(nstat["client"]["TcpExtTCPTimeouts"].as_u64(), Some(2));
    let session = analyze_bytes(&read(&common::corpus_dir("lossy").join("rto_backoff_at_sender.pcap"))).unwrap();
    let lines = story(&session.connection(0).unwrap()).congestion.sentences;
    let line = lines.iter().find(|l| l.contains("resent, inferred a tail loss probe")).unwrap();
    assert!(line.contains("timeouts followed it in that round") && !line.contains("a repaired tail loss probe"), "{line}");
}
