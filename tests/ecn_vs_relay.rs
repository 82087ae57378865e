//! The `ecn` recording (tests/captures/lossy/): ECN negotiated by both Linux ends, the relay
//! marks two ECN-capable data segments Congestion Experienced instead of dropping anything
//! (truth/ecn.relay.jsonl, action `ce_mark`). Checked against that log and the sender's `ss`:
//! the CE marks counted at the receiver's capture point are the relay's, none shows before the
//! relay (the sender's capture point), the handshake's negotiation is found at both points,
//! there is no loss episode, and the sender's window cut shows as "reduction after an ECN
//! echo" in the round after the first echo, agreeing with ss's cwnd.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use serde_json::Value;
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::congestion::congestion;
use tcp_ladder::tcp::congestion_phase::Phase;
use tcp_ladder::tcp::ecn::ecn_facts;
use tcp_ladder::tcp::recovery_episodes::recovery_episodes;
use tcp_ladder::tcp::TcpPacket;

fn truth_lines(file: &str) -> Vec<Value> {
    let text = String::from_utf8(read(&corpus_dir("lossy").join("truth").join(file))).unwrap();
    text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).collect()
}

fn packets(point: &str) -> (Vec<TcpPacket>, i64) {
    let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("ecn_{point}.pcap")))).unwrap();
    let packets = session.connection(0).unwrap().packets().collect();
    (packets, session.first_time_ns.unwrap())
}

#[test]
fn ce_marks_counted_are_the_relays() {
    let relay = truth_lines("ecn.relay.jsonl");
    let c2s_data: Vec<&Value> = relay.iter().filter(|v| v["dir"] == "c2s" && v["len"].as_u64() > Some(0)).collect();
    let marked: Vec<u32> = c2s_data.iter().filter(|v| v["action"] == "ce_mark").map(|v| v["seq"].as_u64().unwrap() as u32).collect();
    assert_eq!(marked.len(), 2, "the recording marks two segments");
    // Every data segment the relay saw arrived ECN-capable (the sender marks its data ECT(0)).
    let ect = c2s_data.iter().filter(|v| v["ecn"] == "ECT(0)" || v["ecn_before"] == "ECT(0)").count();
    for point in ["at_sender", "at_receiver"] {
        let (packets, _) = packets(point);
        let facts = ecn_facts(&packets);
        assert!(facts.negotiation.negotiated(), "{point}: {facts:?}");
        let client = facts.directions.iter().find(|d| d.from_client).expect("the client sends");
        let ce_seqs: Vec<u32> = client.ce_frames.iter().map(|&f| packets.iter().find(|p| p.frame == f).unwrap().seq).collect();
        // The relay marks between the two capture points: the receiver's side sees its marks,
        // the sender's none.
        let want = if point == "at_receiver" { marked.clone() } else { Vec::new() };
        assert_eq!(ce_seqs, want, "{point}");
        assert_eq!((client.data_ect0 + client.ce_frames.len() as u64) as usize, ect, "{point}: ECN-capable data segments");
        assert_eq!(client.data_not_ect, 0, "{point}");
        // Each mark is echoed (ECE) and answered (CWR): one CWR per mark here, the marks being
        // rounds apart.
        assert!(client.ece_acks >= 2 && client.first_ece_frame.is_some(), "{point}: {client:?}");
        assert_eq!(client.cwr_frames.len(), marked.len(), "{point}: {client:?}");
    }
}

#[test]
fn no_loss_episode_and_no_resend() {
    let nstat: Value = serde_json::from_slice(&read(&corpus_dir("lossy").join("truth/ecn.nstat.json"))).unwrap();
    assert_eq!(nstat["client"]["TcpRetransSegs"].as_u64().unwrap_or(0), 0, "the kernel resent nothing");
    assert!(nstat["client"]["TcpExtTCPDeliveredCE"].as_u64().unwrap_or(0) > 0, "the kernel counted CE-echoed deliveries");
    for point in ["at_sender", "at_receiver"] {
        let (packets, _) = packets(point);
        let with_resends: Vec<_> = recovery_episodes(&packets).into_iter().filter(|e| !e.resends.is_empty()).collect();
        assert!(with_resends.is_empty(), "{point}: {with_resends:#?}");
        let c = congestion(&packets);
        assert!(c.directions.iter().all(|d| d.rounds.iter().all(|r| !r.lost()) && d.reductions.is_empty()), "{point}");
    }
}

/// (Unix ns, cwnd, ssthresh) of the sender's ss samples once established.
fn ss_samples() -> Vec<(i64, u32, Option<u32>)> {
    truth_lines("ecn.ss.jsonl")
        .iter()
        .filter(|v| v["state"] != "SYN-SENT")
        .filter_map(|v| Some(((v["t"].as_f64()? * 1e9) as i64, v["cwnd"].as_u64()? as u32, v["ssthresh"].as_u64().map(|s| s as u32))))
        .collect()
}

#[test]
fn the_reduction_is_the_round_after_the_first_echo_and_agrees_with_ss() {
    let (packets, first) = packets("at_sender");
    let facts = ecn_facts(&packets);
    let first_ece = facts.directions.iter().find(|d| d.from_client).and_then(|d| d.first_ece_frame).unwrap();
    let ece_ns = packets.iter().find(|p| p.frame == first_ece).unwrap().time_ns;
    let c = congestion(&packets);
    let d = c.directions.iter().find(|d| d.from_client).unwrap();
    // The round under way when the first echo came back.
    let echo_round = d.rounds.iter().find(|r| r.start_ns <= ece_ns && ece_ns <= r.end_ns).expect("a round spans the first echo");
    let reductions: Vec<_> = d.rounds.iter().filter(|r| r.phase == Phase::EcnReduction).collect();
    assert!(!reductions.is_empty(), "{:#?}", d.rounds);
    let red = reductions[0];
    assert_eq!(red.number, echo_round.number + 1, "the reduction round follows the first echo's");
    // The sender answered the echo with CWR before the reduced round was over (Linux sets it
    // on its next new segment, often in the echo's own round).
    let cwr = facts.directions.iter().find(|d| d.from_client).unwrap().cwr_frames[0];
    assert!(first_ece < cwr && cwr <= red.last_frame, "CWR frame {cwr}, first ECE {first_ece}, reduction round ends {}", red.last_frame);
    assert!(d.rounds.iter().any(|r| r.cwr && r.number <= red.number));
    // ss: no ssthresh before the echo (slow start), one after; the reduction's estimate is
    // ss's cwnd at the round's start within the tolerance of congestion_vs_ss.rs, and below
    // the cwnd ss showed before the echo.
    let ss = ss_samples();
    let at = |t: i64| ss.iter().min_by_key(|s| (s.0 - t).abs()).filter(|s| (s.0 - t).abs() < 20_000_000).copied();
    assert!(ss.iter().filter(|s| s.0 < first + ece_ns).all(|s| s.2.is_none()), "ssthresh set before the first echo");
    let after = at(first + red.end_ns).expect("an ss sample near the reduction round");
    assert!(after.2.is_some(), "ss shows an ssthresh after the echo: {after:?}");
    let est = red.cwnd_estimate.expect("the reduction round is cwnd-limited");
    let truth = at(first + red.start_ns).expect("an ss sample at the round's start").1;
    assert!((f64::from(est) - f64::from(truth)).abs() <= (f64::from(truth) * 0.25).max(2.0), "estimate {est}, ss cwnd {truth}");
    let before = ss.iter().filter(|s| s.0 < first + ece_ns).map(|s| s.1).max().unwrap();
    assert!(est < before, "estimate {est} not below ss's cwnd {before} before the echo");
    eprintln!("first ECE frame {first_ece} in round {}; reduction round {}: estimate {est}, ss cwnd {truth} (before the echo {before})", echo_round.number, red.number);
}

/// explain's ECN lines and the CE note say the numbers of the facts.
#[test]
fn explain_says_the_ecn_facts() {
    let (packets, _) = packets("at_receiver");
    let facts = ecn_facts(&packets);
    let client = facts.directions.iter().find(|d| d.from_client).unwrap();
    let path = corpus_dir("lossy").join("ecn_at_receiver.pcap");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tcp-ladder")).arg("explain").arg(&path).args(["--stream", "0"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let want = format!("{} marked Congestion Experienced (CE) (frames {}, {})", client.ce_frames.len(), client.ce_frames[0], client.ce_frames[1]);
    assert!(text.contains(&want), "{want}");
    assert!(text.contains(&format!("with ECE on {} ACKs from frame {} on", client.ece_acks, client.first_ece_frame.unwrap())));
    assert!(text.contains("reduction after an ECN echo, no loss"));
    let ce_notes = text.matches("Its IP header says CE (Congestion Experienced)").count();
    assert_eq!(ce_notes, client.ce_frames.len());
}
