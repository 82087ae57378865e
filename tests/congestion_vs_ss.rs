//! The estimated congestion window (`tcp::congestion`, from the sender's capture) against the
//! sending kernel's own cwnd (`ss -tin` every ~10 ms, tests/captures/lossy/truth/*.ss.jsonl),
//! and the phases against the known causes of each scenario.
//!
//! Tolerance: at the start of each round (the cwnd the round's flight fills) the estimate is compared with the nearest ss sample's
//! cwnd; it agrees when within ±max(2 segments, 25 %) (ss samples every ~10 ms of a 30 ms round
//! trip, and cwnd moves inside a round). Only rounds the estimate exists for (the sender
//! cwnd-limited: not receiver- or application-limited, no loss in it) are compared.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use serde_json::Value;
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::congestion::{congestion, DirectionCongestion};
use tcp_ladder::tcp::congestion_phase::Phase;

/// (Unix time ns, cwnd) of each ss sample with a cwnd in an established-or-later state.
fn ss_cwnd(name: &str) -> Vec<(i64, u32)> {
    let text = String::from_utf8(read(&corpus_dir("lossy").join(format!("truth/{name}.ss.jsonl")))).unwrap();
    text.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["state"].as_str() != Some("SYN-SENT"))
        .filter_map(|v| Some(((v["t"].as_f64()? * 1e9) as i64, v["cwnd"].as_u64()? as u32)))
        .collect()
}

/// The client's (the sender's) rounds and the capture's first frame time.
fn sender_rounds(name: &str) -> (DirectionCongestion, i64) {
    rounds_at(name, "sender")
}

/// The client's rounds as the capture at `at` ("sender" or "receiver") shows them.
fn rounds_at(name: &str, at: &str) -> (DirectionCongestion, i64) {
    let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("{name}_at_{at}.pcap")))).unwrap();
    let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
    let c = congestion(&packets);
    let d = c.directions.into_iter().find(|d| d.from_client).expect("the client sends data");
    (d, session.first_time_ns.unwrap())
}

fn nearest(samples: &[(i64, u32)], t: i64) -> Option<u32> {
    samples.iter().min_by_key(|(s, _)| (s - t).abs()).filter(|(s, _)| (s - t).abs() < 20_000_000).map(|&(_, c)| c)
}

/// (compared, agreeing) rounds.
fn agreement(name: &str) -> (usize, usize, String) {
    agreement_at(name, "sender")
}

/// (compared, agreeing) rounds of the capture at `at`. Near the receiver a round is seen about
/// one one-way delay after the sender sent it: within the 20 ms the nearest ss sample may be.
fn agreement_at(name: &str, at: &str) -> (usize, usize, String) {
    let samples = ss_cwnd(name);
    let (d, first) = rounds_at(name, at);
    let (mut compared, mut agree, mut table) = (0, 0, String::new());
    for r in &d.rounds {
        let truth = nearest(&samples, first + r.end_ns);
        let at_start = nearest(&samples, first + r.start_ns);
        table += &format!("  round {:>3} {:?} flight {} est {:?} ss {:?} (start {:?}) segs {} {}..{}\n", r.number, r.phase, r.max_flight_segments, r.cwnd_estimate, truth, at_start, r.segments, r.first_frame, r.last_frame);
        let (Some(est), Some(truth)) = (r.cwnd_estimate, at_start) else { continue };
        compared += 1;
        let tolerance = (f64::from(truth) * 0.25).max(2.0);
        agree += usize::from((f64::from(est) - f64::from(truth)).abs() <= tolerance);
    }
    (compared, agree, table)
}

#[test]
fn estimated_cwnd_follows_ss_at_round_boundaries() {
    let mut problems = Vec::new();
    for name in ["slow_start", "drop_mid", "reorder", "spurious_fast", "tail_loss", "rto_backoff", "app_limited", "receiver_limited", "spurious", "spurious_rto", "rack"] {
        let (compared, agree, table) = agreement(name);
        eprintln!("{name}: {agree}/{compared} rounds within ±max(2, 25 %) of ss's cwnd\n{table}");
        if compared > 0 && (agree as f64) < 0.8 * compared as f64 {
            problems.push(format!("{name}: only {agree} of {compared}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Near the receiver, where every ACK leaves microseconds after its segment, an ACK counts for
/// the sender only one capture-point-to-sender round trip later (a reviewer found one "round"
/// per segment there: "rounds 2–19: congestion avoidance, 1 segments" inside slow start's first
/// round trip). The receiver's capture must give the sender's rounds: the same estimates as
/// the sender's capture (±max(2 segments, 25 %)) round by round, and ss's cwnd as often.
#[test]
fn the_receivers_capture_shows_the_senders_rounds() {
    let mut problems = Vec::new();
    for name in ["slow_start", "drop_mid", "reorder", "spurious_fast", "tail_loss", "rto_backoff", "app_limited", "receiver_limited", "spurious", "spurious_rto"] {
        let (compared, agree, table) = agreement_at(name, "receiver");
        eprintln!("{name} at the receiver: {agree}/{compared} rounds within ±max(2, 25 %) of ss's cwnd\n{table}");
        if compared > 0 && (agree as f64) < 0.8 * compared as f64 {
            problems.push(format!("{name} at the receiver: only {agree} of {compared} agree with ss"));
        }
        // (A round the receiver's capture can only call receiver-limited — the window as the
        // sender knew it is uncertain there by the ACKs on their way — may show its cwnd at the
        // sender, whose capture sees the flight stay below the opened window: R20A-1,
        // spurious_fast's round 5, 49 segments = ss's cwnd. Such rounds are left out of both.)
        let far_window: Vec<u32> = rounds_at(name, "receiver").0.rounds.iter().filter(|r| r.phase == Phase::ReceiverLimited).map(|r| r.number).collect();
        let estimates = |at| rounds_at(name, at).0.rounds.iter().filter(|r| !far_window.contains(&r.number)).filter_map(|r| r.cwnd_estimate).collect::<Vec<_>>();
        let (sender, receiver) = (estimates("sender"), estimates("receiver"));
        let close = |a: u32, b: u32| (f64::from(a) - f64::from(b)).abs() <= (f64::from(a) * 0.25).max(2.0);
        if sender.len() != receiver.len() || !sender.iter().zip(&receiver).all(|(&a, &b)| close(a, b)) {
            problems.push(format!("{name}: estimates at the sender {sender:?}, at the receiver {receiver:?}"));
        }
        let rounds = rounds_at(name, "receiver").0.rounds;
        if let Some(r) = rounds.iter().find(|r| r.phase == Phase::CongestionAvoidance && r.max_flight_segments <= 1) {
            problems.push(format!("{name} at the receiver: round {} 'congestion avoidance' with {} segment in flight", r.number, r.max_flight_segments));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The phases each scenario's known cause implies.
#[test]
fn phases_match_each_scenarios_cause() {
    let phases = |name: &str| sender_rounds(name).0.rounds.iter().map(|r| r.phase).collect::<Vec<_>>();
    // slow_start: no loss, cwnd 10, 20, 40 … 640 in ss; the flight doubles round after round.
    let (d, _) = sender_rounds("slow_start");
    let doubling: Vec<u32> = d.rounds.iter().filter(|r| r.phase == Phase::SlowStart).filter_map(|r| r.cwnd_estimate).collect();
    assert!(doubling.len() >= 5 && doubling[0] == 10, "{doubling:?}");
    assert!(doubling.windows(2).all(|w| (w[1] as f64 / w[0] as f64 - 2.0).abs() < 0.25), "{doubling:?}");
    // drop_mid: one fast retransmit; ss: cwnd 99 → ssthresh 76 (cubic's 0.7). The flight when
    // it was sent is the window before; the data had run out by then (nothing new follows),
    // so the reduced window is not in the capture and no ratio may be claimed.
    for name in ["drop_mid", "spurious_fast"] {
        let (d, first) = sender_rounds(name);
        eprintln!("{name} reductions {:?}", d.reductions);
        assert_eq!(d.reductions.len(), 1, "{:?}", d.reductions);
        let r = &d.reductions[0];
        let t = d.rounds.iter().find(|x| x.number == r.loss_round).unwrap();
        let truth = nearest(&ss_cwnd(name), first + t.start_ns).unwrap();
        eprintln!("{name}: flight at the loss {} segments, ss cwnd at the loss round's start {truth}", r.before_segments);
        assert!((f64::from(r.before_segments) - f64::from(truth)).abs() <= (f64::from(truth) * 0.25).max(2.0));
        // spurious_fast's ratio (24/27) is printed, not asserted: the kernel undid that
        // reduction on the D-SACK, and ss's 10 ms samples do not show the reduced window.
    }
    assert_eq!(sender_rounds("drop_mid").0.reductions[0].ratio, None);
    // rto_backoff: two timeouts; a restart.
    assert!(phases("rto_backoff").contains(&Phase::RestartAfterTimeout));
    // app_limited: ss says app_limited all along; receiver_limited: rwnd_limited 4 400 of 4 472 ms.
    assert!(phases("app_limited").iter().all(|&p| p == Phase::ApplicationLimited), "{:?}", phases("app_limited"));
    let rl = phases("receiver_limited");
    let limited = rl.iter().filter(|&&p| p == Phase::ReceiverLimited).count();
    eprintln!("receiver_limited: {limited} of {} rounds receiver-limited", rl.len());
    assert!(limited as f64 >= 0.9 * rl.len() as f64, "{rl:?}");
}

/// Every "N segments in flight" of explain's congestion sentences is a flight of the rounds
/// `analyze` reports (the words come from the data, not beside it).
#[test]
fn explain_sentences_say_the_numbers_of_the_data() {
    for name in ["slow_start", "drop_mid", "rto_backoff", "spurious_fast"] {
        let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("{name}_at_sender.pcap")))).unwrap();
        let story = tcp_ladder::report::story::story(&session.connection(0).unwrap());
        let c = &story.congestion;
        assert!(!c.sentences.is_empty(), "{name}");
        let flights: Vec<u32> = c.directions.iter().flat_map(|d| d.phases.iter().map(|p| p.max_flight_segments).chain(d.reductions.iter().map(|r| r.before_segments))).collect();
        for s in &c.sentences {
            assert!(s.contains("estimated") || s.contains("inferred") || s.contains("does not show"), "{name}: {s}");
            for (i, _) in s.match_indices(" segments in flight") {
                let n: u32 = s[..i].rsplit(' ').next().unwrap().parse().unwrap();
                assert!(flights.contains(&n), "{name}: {n} not in {flights:?}: {s}");
            }
        }
    }
}

/// A reduction whose size the capture cannot show says why, and only when it truly cannot: in
/// every loss scenario at both capture points, a reduction without a ratio has no new data sent
/// after its resend before the recovery ended; where the sender's FIN went before the resend the
/// reduction names that frame, a FIN by the capture (drop_mid: ss shows ssthresh 76 with 109
/// segments unacknowledged, cubic's 0.7, but all 300 000 bytes and the FIN had left before the
/// fast retransmit, so no segment sent under the cut window exists to measure it by).
#[test]
fn a_reduction_without_a_ratio_is_one_the_packets_cannot_show() {
    let mut problems = Vec::new();
    for name in ["drop_mid", "spurious_fast", "tail_loss", "rto_backoff", "spurious", "spurious_rto", "rack"] {
        for at in ["sender", "receiver"] {
            let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("{name}_at_{at}.pcap")))).unwrap();
            let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
            let (d, _) = rounds_at(name, at);
            for r in &d.reductions {
                let resend = packets.iter().position(|p| p.frame == r.frame).unwrap();
                let high = packets[..resend].iter().filter(|p| p.from_client).map(|p| p.next_seq()).max_by(|a, b| (a.wrapping_sub(*b) as i32).cmp(&0)).unwrap();
                let new_after = packets[resend + 1..].iter().any(|p| p.from_client && p.segment.payload_len > 0 && (p.seq.wrapping_sub(high) as i32) >= 0);
                if let Some(fin) = r.data_ended {
                    let f = packets.iter().find(|p| p.frame == fin).unwrap();
                    if !(f.from_client && f.segment.flags.fin() && fin < r.frame) || new_after {
                        problems.push(format!("{name}_at_{at}: FIN frame {fin} before resend {}? new data after: {new_after}", r.frame));
                    }
                }
                if r.ratio.is_none() && r.after_segments.is_none() && new_after && r.data_ended.is_some() {
                    problems.push(format!("{name}_at_{at}: no ratio though new data followed the resend {}", r.frame));
                }
            }
            if name == "drop_mid" && d.reductions.first().and_then(|r| r.data_ended).is_none() {
                problems.push(format!("drop_mid_at_{at}: the FIN before the resend not named: {:?}", d.reductions));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
