//! The same resends seen from both ends of the lossy path (tests/captures/lossy/, issue #23, R1
//! F5/F6): a capture next to the receiver sees the sender's segments as the path delivered them
//! — a stall lets them through together, a held original arrives after its resend — so what it
//! infers must agree with the capture beside the sender, whose view is the kernel's own:
//! - a copy sent before the resend captured earlier (an older TSval) is the original arriving
//!   late, not a resend: no second resend and no second episode;
//! - each resend gets the kind it gets at the sender, or, where the packets at the receiver
//!   cannot tell when it was sent (no timestamps, capture point away from the sender), is left
//!   unexplained and said so — never a kind that contradicts the sender's view.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::recovery::{recovery, Recovery, ResendKind};
use tcp_ladder::tcp::recovery_episodes::{recovery_episodes, EpisodeKind};

fn scenarios() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(corpus_dir("lossy").join("truth"))
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().to_str()?.strip_suffix(".relay.jsonl").map(str::to_string))
        .collect();
    out.sort();
    out
}

fn recovery_at(name: &str, point: &str) -> (Recovery, Vec<tcp_ladder::tcp::recovery_episodes::Episode>, bool) {
    let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("{name}_{point}.pcap")))).unwrap();
    let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
    let stamped = packets.iter().filter(|p| p.from_client).all(|p| p.segment.options.timestamps.is_some());
    let mut r = recovery(&packets);
    r.resends.retain(|r| r.from_client && !r.captured_twice);
    r.late_copies.retain(|l| l.from_client);
    (r, recovery_episodes(&packets).into_iter().filter(|e| e.from_client).collect(), stamped)
}

#[test]
fn the_receivers_capture_infers_what_the_senders_does() {
    let (mut problems, mut report) = (Vec::new(), Vec::new());
    for name in scenarios() {
        let (at_sender, sender_eps, _) = recovery_at(&name, "at_sender");
        let (at_receiver, receiver_eps, stamped) = recovery_at(&name, "at_receiver");
        let mut fail = |why: String| problems.push(format!("{name}: {why}"));
        // The sender's capture shows every copy it sent: a late copy there would be a clock gone
        // backwards.
        if !at_sender.late_copies.is_empty() {
            fail(format!("late copies at the sender: {:?}", at_sender.late_copies));
        }
        // Resends that reached the receiver: at the receiver's capture, the same ones (by
        // sequence number and in order), no more — a late original is none of them.
        let reached: Vec<u32> = at_sender.resends.iter().map(|r| r.seq).filter(|s| at_receiver.resends.iter().any(|q| q.seq == *s)).collect();
        let seen: Vec<u32> = at_receiver.resends.iter().map(|r| r.seq).collect();
        if seen != reached {
            fail(format!("resends at the receiver {seen:?}, of the sender's {:?} these reached it: {reached:?}; late copies {:?}", at_sender.resends.iter().map(|r| r.seq).collect::<Vec<_>>(), at_receiver.late_copies));
        }
        for r in &at_receiver.resends {
            let Some(s) = at_sender.resends.iter().find(|s| s.seq == r.seq) else { continue };
            let agree = r.kind == s.kind || (r.kind == ResendKind::Unexplained && r.away_from_sender && !stamped);
            if !agree {
                fail(format!("frame {} (seq {}): {:?} at the receiver, {:?} at the sender (frame {}){}", r.frame, r.seq, r.kind, s.kind, s.frame, if stamped { ", timestamps on" } else { "" }));
            }
            if r.kind == ResendKind::Unexplained && stamped {
                fail(format!("frame {}: unexplained although both copies carry TSval", r.frame));
            }
        }
        // One episode per episode at the sender whose resends reached the receiver as resends
        // (a tail segment lost before the receiver arrives there once: no resend to see), of
        // the same kind.
        let kinds = |eps: &[tcp_ladder::tcp::recovery_episodes::Episode]| {
            eps.iter().filter(|e| e.kind != EpisodeKind::Reordering && e.resends.iter().any(|r| reached.contains(&r.seq))).map(|e| e.kind).collect::<Vec<_>>()
        };
        if kinds(&receiver_eps) != kinds(&sender_eps) {
            fail(format!("episodes at the receiver {:?}, at the sender {:?}", kinds(&receiver_eps), kinds(&sender_eps)));
        }
        report.push(format!(
            "{name}: sender {:?}; receiver {:?}, late copies {:?}",
            at_sender.resends.iter().map(|r| (r.frame, r.kind)).collect::<Vec<_>>(),
            at_receiver.resends.iter().map(|r| (r.frame, r.kind, r.by_sender_clock.map(|b| b.since_last_send_ns / 1_000_000))).collect::<Vec<_>>(),
            at_receiver.late_copies.iter().map(|l| (l.frame, l.earlier_frame, l.original, l.sent_before_ns)).collect::<Vec<_>>()
        ));
    }
    eprintln!("{}", report.join("\n"));
    assert!(report.len() >= 12, "only {} scenarios", report.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The words say what the facts say: a late original is explained as no resend with both
/// TSvals and the gap by the sender's clock, its episode names it; a resend dated by the
/// sender's clock gives that clock's silence; without timestamps away from the sender the
/// sentence says the sending time cannot be told; and no sentence claims an ACK "when it was
/// sent" at a capture point away from the sender.
#[test]
fn the_words_at_the_receiver_follow_the_senders_clock() {
    let (mut problems, mut late_seen, mut dated) = (Vec::new(), 0, 0);
    for name in scenarios() {
        let path = corpus_dir("lossy").join(format!("{name}_at_receiver.pcap"));
        let session = analyze_bytes(&read(&path)).unwrap();
        let conn = session.connection(0).unwrap();
        let packets: Vec<_> = conn.packets().collect();
        let found = recovery(&packets);
        let text = |frame: u64| tcp_ladder::diagram::explain_all(&conn).into_iter().find(|(p, ..)| p.frame == frame).map(|(_, t, _)| t).unwrap();
        let ms = tcp_ladder::timefmt::milliseconds;
        for l in &found.late_copies {
            late_seen += 1;
            let t = text(l.frame);
            let want = [format!("Not a resend: the original of frame {}'s bytes", l.earlier_frame), format!("TSval {} is older than that resend's {}", l.tsval, l.earlier_tsval), ms(l.sent_before_ns.unwrap())];
            if want.iter().any(|w| !t.contains(w.as_str())) || t.contains("Sent again") {
                problems.push(format!("{name} frame {}: {t}", l.frame));
            }
            let caption = recovery_episodes(&packets).iter().find(|e| e.late_originals.contains(&l.frame)).map(tcp_ladder::diagram::episode_caption);
            // Its arrow: tagged a late original, not Wireshark's "spurious retransmission".
            let ladder = tcp_ladder::diagram::layout(&conn, &tcp_ladder::diagram::LadderOptions { expand_all: true, ..Default::default() });
            let tags: Vec<&str> = ladder.arrows.iter().filter(|a| a.frame == l.frame).flat_map(|a| a.tags.iter().map(|t| t.kind)).collect();
            if tags.iter().any(|k| k.ends_with("retransmission")) || !tags.contains(&"late_original") {
                problems.push(format!("{name} frame {}: tagged {tags:?}", l.frame));
            }
            if !caption.as_deref().is_some_and(|c| c.contains(&format!("the original was only late: it arrived in frame {}", l.frame))) {
                problems.push(format!("{name}: no episode names late original {}: {caption:?}", l.frame));
            }
            // The resend before it names it, and never calls the first copy lost (R4 F1).
            let resend = text(l.earlier_frame);
            if resend.contains("the first copy was lost") || (resend.contains("no earlier copy") && !resend.contains(&format!("the first copy passes later, in frame {}", l.frame))) {
                problems.push(format!("{name} frame {}: the resend of late original {}: {resend}", l.earlier_frame, l.frame));
            }
        }
        for r in found.resends.iter().filter(|r| r.from_client) {
            let t = text(r.frame);
            if let Some(b) = r.by_sender_clock {
                dated += 1;
                if !t.contains(&format!("{} of silence from the sender by its own clock", ms(b.since_last_send_ns))) || !t.contains(&format!("it left {} after it", ms(b.since_earlier_ns.unwrap()))) {
                    problems.push(format!("{name} frame {}: {t}", r.frame));
                }
            }
            if r.away_from_sender && !r.stamped && r.kind == ResendKind::Unexplained && !t.contains("cannot be told here") {
                problems.push(format!("{name} frame {}: {t}", r.frame));
            }
            if r.away_from_sender && t.contains("already been acknowledged") {
                problems.push(format!("{name} frame {}: acknowledged 'already' away from the sender: {t}", r.frame));
            }
        }
    }
    assert!(late_seen >= 1 && dated >= 1, "{late_seen} late originals, {dated} resends dated by the sender's clock");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Tail loss probes (RFC 8985 §7.3: new data when there is some, else the last segment again)
/// counted from the packets at both capture points against the sender's `TCPLossProbes`. At the
/// sender every probe must be found; at the receiver too, and as the same segment, except where
/// the packets there cannot show it, each exception checked rather than assumed:
/// - the probe resent a segment no copy of which reached the receiver before (tail_loss,
///   rto_backoff: lost before the relay), so there it is the first copy, not a resend;
/// - the sender's segments carry no timestamps (spurious_rto): away from the sender, its waits
///   cannot be told from when segments passed there.
#[test]
fn tail_loss_probes_agree_with_the_kernel_at_both_points() {
    use serde_json::Value;
    let (mut problems, mut report) = (Vec::new(), Vec::new());
    for name in scenarios() {
        let truth: Value = serde_json::from_slice(&read(&corpus_dir("lossy").join("truth").join(format!("{name}.nstat.json")))).unwrap();
        let kernel = truth[truth["sender_namespace"].as_str().unwrap()]["TcpExtTCPLossProbes"].as_u64().unwrap_or(0) as usize;
        let probes = |r: &Recovery| -> Vec<u32> {
            let mut seqs: Vec<u32> = r.resends.iter().filter(|r| r.kind == ResendKind::TailLossProbe).map(|r| r.seq).collect();
            // A probe with new data by its index, tagged, its sequence number looked up below.
            seqs.extend(r.probes_with_new_data.iter().filter(|p| p.from_client).map(|p| p.index as u32 | 0x8000_0000));
            seqs
        };
        let (at_sender, ..) = recovery_at(&name, "at_sender");
        let (at_receiver, _, stamped) = recovery_at(&name, "at_receiver");
        let seq_of = |point: &str, tagged: u32| -> u32 {
            if tagged & 0x8000_0000 == 0 {
                return tagged;
            }
            let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("{name}_{point}.pcap")))).unwrap();
            session.connection(0).unwrap().packet((tagged & 0x7fff_ffff) as usize).unwrap().seq
        };
        let sender: Vec<u32> = probes(&at_sender).into_iter().map(|t| seq_of("at_sender", t)).collect();
        let receiver: Vec<u32> = probes(&at_receiver).into_iter().map(|t| seq_of("at_receiver", t)).collect();
        if sender.len() != kernel {
            problems.push(format!("{name} at the sender: {} probes {sender:?}, the kernel counted {kernel}", sender.len()));
        }
        // At the receiver: each probe found is one the sender's capture shows, and each the
        // sender's capture shows is found unless an exception above holds for it.
        for seq in &receiver {
            if !sender.contains(seq) {
                problems.push(format!("{name} at the receiver: a probe at seq {seq} the sender's capture does not show ({sender:?})"));
            }
        }
        for seq in sender.iter().filter(|s| !receiver.contains(s)) {
            let first_copy_there = at_sender.resends.iter().any(|r| r.seq == *seq) && !at_receiver.resends.iter().any(|r| r.seq == *seq);
            if !(first_copy_there || !stamped) {
                problems.push(format!("{name} at the receiver: the probe at seq {seq} not found ({receiver:?}), timestamps on"));
            }
        }
        // The episode the probe went before says so, with its frame.
        for point in ["at_sender", "at_receiver"] {
            let (r, eps, _) = recovery_at(&name, point);
            for p in r.probes_with_new_data.iter().filter(|p| p.from_client) {
                let said = eps.iter().find(|e| e.probe_before == Some(*p)).map(tcp_ladder::diagram::episode_caption);
                if said.as_ref().is_some_and(|c| !c.contains(&format!("likely tail loss probe with new data: frame {} left", p.frame))) || (kernel > 0 && said.is_none()) {
                    problems.push(format!("{name}_{point}: probe frame {} not told in its episode: {said:?}", p.frame));
                }
            }
        }
        report.push(format!("{name}: kernel {kernel}, at the sender {sender:?}, at the receiver {receiver:?}{}", if stamped { "" } else { " (no timestamps)" }));
    }
    eprintln!("{}", report.join("\n"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A reordering (a hole reported, then filled by the original, no resend) lasts until the
/// cumulative ACK moves past the hole, at either capture point: 0.05 ms here (R4b-7: at the
/// sender it ran on to the ACK of everything sent before it, "28.5 ms").
#[test]
fn a_reordering_ends_when_the_hole_fills() {
    for at in ["sender", "receiver"] {
        let (_, episodes, _) = recovery_at("reorder", &format!("at_{at}"));
        let r: Vec<_> = episodes.iter().filter(|e| e.kind == EpisodeKind::Reordering).collect();
        assert_eq!(r.len(), 1, "reorder at the {at}: {r:?}");
        assert!(r[0].duration_ns < 1_000_000, "reorder at the {at}: {} ns", r[0].duration_ns);
    }
}
