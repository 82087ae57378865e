//! One connection captured at both ends (tests/captures/lossy/: `_at_sender` on the data
//! sender's interface, `_at_receiver` on the receiver's, a relay 15 ms each way between them):
//! what the receiver's capture says the sender had heard when it first resent must not
//! contradict what the sender's own capture shows it heard (R7a-1). Away from the sender the
//! resend passes half a round trip after it left, so the reports counted until it *arrives*
//! over-count; an estimate that cannot tell reports apart must give no count at all.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::report::story::story;
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::recovery_episodes::{recovery_episodes, Episode};

const SCENARIOS: [&str; 8] = ["drop_mid", "rack", "reorder", "spurious", "spurious_fast", "tail_loss", "rto_backoff", "ecn"];

fn first_resend_episode(scenario: &str, point: &str) -> Option<(Episode, Vec<tcp_ladder::tcp::TcpPacket>)> {
    let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("{scenario}_{point}.pcap")))).unwrap();
    let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
    let e = recovery_episodes(&packets).into_iter().find(|e| e.from_client && !e.resends.is_empty())?;
    Some((e, packets))
}

/// Reports of the hole heard before the resend: the sender's capture counts what reached the
/// sender; the receiver's either estimates the same count (within one) or says it cannot.
#[test]
fn the_receiver_never_counts_more_reports_than_the_sender_heard() {
    let mut compared = 0;
    for scenario in SCENARIOS {
        let Some((at_sender, _)) = first_resend_episode(scenario, "at_sender") else { continue };
        // (A lost last segment leaves no hole at the receiver: its one copy is no resend there.)
        let Some((at_receiver, packets)) = first_resend_episode(scenario, "at_receiver") else { continue };
        assert!(!at_sender.counted_away_from_sender, "{scenario}: the sender's own capture counts, it does not estimate");
        let heard = at_sender.dup_acks_before.max(at_sender.sacks_before);
        match at_receiver.heard_spread {
            Some(s) => {
                // No count: the first report and the resend, as the packets have them.
                let time = |f: u64| packets.iter().find(|p| p.frame == f).unwrap().time_ns;
                let first = at_receiver.resends[0].frame;
                assert_eq!(s.first_to_resend_ns, time(first) - time(s.first_frame), "{scenario}");
                assert!(s.passed_here >= heard, "{scenario}: fewer passed the receiver than reached the sender");
            }
            None => {
                let estimated = at_receiver.dup_acks_before.max(at_receiver.sacks_before);
                assert!(estimated.abs_diff(heard) <= 1, "{scenario}: the receiver's capture estimates {estimated}, the sender heard {heard}");
            }
        }
        compared += 1;
    }
    assert!(compared >= 4, "only {compared} scenarios had a resend at both ends");
}

/// drop_mid: the sender resent on its 3rd SACK (its capture, frames 266–269); 104 SACKs passed
/// the receiver's capture point before the resend arrived there. Neither the episode's caption
/// nor the resend's own sentence may say that 104 — or the old estimate's "about 12" — reached
/// the sender; both say how soon after the first report it resent.
#[test]
fn drop_mid_at_the_receiver_says_when_not_how_many() {
    let (at_sender, _) = first_resend_episode("drop_mid", "at_sender").unwrap();
    assert_eq!(at_sender.sacks_before, 3);
    let (e, packets) = first_resend_episode("drop_mid", "at_receiver").unwrap();
    let s = e.heard_spread.expect("the reports passed too close together to count");
    let reports_before = packets.iter().filter(|p| !p.from_client && p.ack == packets.iter().find(|q| q.frame == e.resends[0].frame).unwrap().seq && p.time_ns < packets.iter().find(|q| q.frame == e.resends[0].frame).unwrap().time_ns && p.segment.options.sack_blocks().len() > 0).count();
    assert_eq!(s.passed_here as usize, reports_before);
    let session = analyze_bytes(&read(&corpus_dir("lossy").join("drop_mid_at_receiver.pcap"))).unwrap();
    let told = story(&session.connection(0).unwrap());
    let caption = &told.recovery.iter().find(|r| r.episode.first_frame == e.first_frame).unwrap().caption;
    let resend = &told.segments.iter().find(|w| w.frame == e.resends[0].frame).unwrap().explanation;
    for text in [caption, resend] {
        assert!(text.contains(&format!("its first report, frame {}", s.first_frame)) && text.contains("how many had reached it by then does not show from here") && text.contains("a sender acts on the third (RFC 6675), or sooner (RFC 8985)"), "{text}");
        assert!(!text.contains("reached the sender before it resent") && !text.contains(&format!("{reports_before} duplicate ACKs")), "{text}");
    }
}

/// Datagrams lost before the receiver's capture point show there only as a skip in the
/// sender's IPv4 identification (Linux numbers a connection's datagrams one by one): at the
/// receiver the client's unseen datagrams are exactly the relay's drops of every scenario (its
/// own log), at the sender none (R7a-5: tail_loss at the receiver said "no loss signal" and
/// gave the 235 ms the sender's probe timer ran to its application).
#[test]
fn datagrams_lost_before_the_receiver_are_the_relays_drops() {
    let mut dropped_total = 0;
    for scenario in ["drop_mid", "rack", "reorder", "spurious", "spurious_fast", "spurious_rto", "tail_loss", "rto_backoff", "ecn", "slow_start", "receiver_limited", "app_limited", "delayed_ack"] {
        let log = String::from_utf8(read(&corpus_dir("lossy").join("truth").join(format!("{scenario}.relay.jsonl")))).unwrap();
        let dropped = log.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()).filter(|v| v["dir"] == "c2s" && v["action"] == "drop").count();
        dropped_total += dropped;
        for (point, want) in [("at_sender", 0), ("at_receiver", dropped)] {
            let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("{scenario}_{point}.pcap")))).unwrap();
            let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
            let unseen: usize = tcp_ladder::tcp::ip_id::unseen_datagrams(&packets).iter().filter(|u| u.from_client).map(|u| usize::from(u.skipped)).sum();
            assert_eq!(unseen, want, "{scenario} {point}");
        }
    }
    assert!(dropped_total >= 5, "{dropped_total} drops in the relays' logs");
    // The time the sender's probe timer ran is the network's at both ends, not its application's:
    // both captures give the application the same share.
    let application = |point: &str| {
        let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("tail_loss_{point}.pcap")))).unwrap();
        let summary = story(&session.connection(0).unwrap()).time.summary;
        let from = summary.find("sending application ").map(|i| i + "sending application ".len()).unwrap();
        summary[from..from + summary[from..].find(')').unwrap() + 1].to_string()
    };
    assert_eq!(application("at_receiver"), application("at_sender"));
}

/// The flight not SACKed when the sender resent (R8a-08): spurious_fast's sender had heard SACKs
/// up to byte 91224 (24 segments not SACKed, its own capture says); the receiver's capture, where
/// the SACK reaching byte 101360 passed just before the resend did, may not count it as heard
/// (17): it gives a range that holds the sender's count, or the sender's count itself.
#[test]
fn the_flight_not_sacked_at_the_resend_seen_away_from_the_sender_holds_the_senders_count() {
    use tcp_ladder::tcp::congestion::congestion;
    let reduction = |point: &str| {
        let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("spurious_fast_{point}.pcap")))).unwrap();
        let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
        congestion(&packets).directions.into_iter().find(|d| d.from_client).unwrap().reductions.into_iter().next().unwrap()
    };
    let (at_sender, at_receiver) = (reduction("at_sender"), reduction("at_receiver"));
    assert_eq!((at_sender.before_pipe_segments, at_sender.before_pipe_most), (24, 24), "near the sender one count");
    assert!(
        (at_receiver.before_pipe_segments..=at_receiver.before_pipe_most).contains(&at_sender.before_pipe_segments),
        "at the receiver {}–{}, the sender's {}",
        at_receiver.before_pipe_segments,
        at_receiver.before_pipe_most,
        at_sender.before_pipe_segments
    );
}
