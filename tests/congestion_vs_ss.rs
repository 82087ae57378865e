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
    let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("{name}_at_sender.pcap")))).unwrap();
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
    let samples = ss_cwnd(name);
    let (d, first) = sender_rounds(name);
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
    for name in ["slow_start", "drop_mid", "reorder", "spurious_fast", "tail_loss", "rto_backoff", "app_limited", "receiver_limited", "spurious", "spurious_rto"] {
        let (compared, agree, table) = agreement(name);
        eprintln!("{name}: {agree}/{compared} rounds within ±max(2, 25 %) of ss's cwnd\n{table}");
        if compared > 0 && (agree as f64) < 0.8 * compared as f64 {
            problems.push(format!("{name}: only {agree} of {compared}"));
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
