//! Where the time went (issue #23), the waits two readers found booked on the wrong party (R8a,
//! R8b): each against the other end's capture of the same connection, the programs that made it
//! (`tests/captures/lossy/programs.py`) or the packets' own arithmetic.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::time_split::{time_split, TimeKind, TimeSplit};

fn split(dir: &str, file: &str, stream: u32) -> TimeSplit {
    let session = analyze_bytes(&read(&corpus_dir(dir).join(file))).unwrap();
    let packets: Vec<_> = session.connection(stream).unwrap().packets().collect();
    time_split(&packets)
}

/// Milliseconds of `kind` (of `client`'s, or any endpoint's).
fn ms(split: &TimeSplit, kind: TimeKind, client: Option<bool>) -> f64 {
    split.parts.iter().filter(|p| p.kind == kind && (client.is_none() || p.client == client)).map(|p| p.duration_ns()).sum::<i64>() as f64 / 1e6
}

fn lines(split: &TimeSplit) -> String {
    split.parts.iter().map(|p| format!("{:?} {:?} {:.1}–{:.1} ms (frames {}–{})", p.kind, p.client, p.start_ns as f64 / 1e6, p.end_ns as f64 / 1e6, p.first_frame, p.last_frame)).collect::<Vec<_>>().join("\n")
}

/// receiver_limited near the receiver (R8a-09): frame 21 fills the window, the update (frame
/// 22, 1.0807 s) reaches the client a round trip later and its data (frame 23) arrives at 1.1117
/// s. The update before it (frame 20) reached the client at 1.0912 s with the window still full:
/// the wait lasted until the second, not the first, so the client's application (one write of
/// 300 000 bytes) has no share after its first 200 ms, as at the sender.
#[test]
fn a_full_window_lasts_until_the_update_that_opens_it_reaches_the_sender() {
    let (at_sender, at_receiver) = (split("lossy", "receiver_limited_at_sender.pcap", 0), split("lossy", "receiver_limited_at_receiver.pcap", 0));
    let (s, r) = (ms(&at_sender, TimeKind::SenderApplication, Some(true)), ms(&at_receiver, TimeKind::SenderApplication, Some(true)));
    assert!((s - r).abs() < 5.0, "the client's application: {s:.1} ms at the sender, {r:.1} ms at the receiver\n{}", lines(&at_receiver));
    assert!(!at_receiver.parts.iter().any(|p| p.kind == TimeKind::SenderApplication && p.start_ns > 1_000_000_000), "{}", lines(&at_receiver));
}

/// delayed_ack (R8a-12): one 100-byte request at a time, the server answering 100 ms after it
/// arrives (programs.py); its ACK, delayed by its timer in 25 rounds (TcpExtDelayedACKs 25),
/// went out before the answer and held nothing up: the client had nothing more to send. From
/// both ends no time is the receiver's delay, and the server's answers take about 100 ms each.
#[test]
fn an_ack_held_while_the_answer_was_prepared_delays_nothing() {
    for at in ["sender", "receiver"] {
        let s = split("lossy", &format!("delayed_ack_at_{at}.pcap"), 0);
        let delay = ms(&s, TimeKind::ReceiverDelay, None);
        assert!(delay == 0.0, "at the {at}: {delay:.1} ms booked on a held ACK\n{}", lines(&s));
        // Each answer: the parts of one wait (before and after its ACK), per request.
        let waits: Vec<f64> = s.parts.iter().fold(Vec::<(i64, i64)>::new(), |mut runs, p| {
            if p.kind == TimeKind::AwaitingAnswer && p.client == Some(false) {
                match runs.last_mut() {
                    Some(last) if last.1 == p.start_ns => last.1 = p.end_ns,
                    _ => runs.push((p.start_ns, p.end_ns)),
                }
            }
            runs
        }).iter().map(|(a, b)| (b - a) as f64 / 1e6).collect();
        assert!(waits.len() >= 39, "at the {at}: {} answers", waits.len());
        for w in &waits {
            assert!((95.0..=110.0).contains(w), "at the {at}: an answer took {w:.1} ms (the server holds each 100 ms)\n{}", lines(&s));
        }
    }
}

/// ndpi_rtsp stream 1 (R8b-10): every packet captured four times; the server's 199-byte answer
/// (frame 45) is acknowledged 43.2 ms later (frame 49) on a 0.4 ms path and its next 695 bytes
/// (frame 53) leave 0.27 ms after that ACK (Nagle's wait for it). The copies are no resends: the
/// 43 ms are the client holding its ACK, not the network. Its ACK of frame 89 (43.6 ms later,
/// frame 93) held nothing: the server sent nothing more, the client's next request came 58 s
/// later — that wait is the client's.
#[test]
fn a_delayed_ack_that_held_the_senders_data_is_the_receivers_and_copies_are_no_resends() {
    let s = split("public", "ndpi_rtsp.pcap", 1);
    let held: Vec<(u64, f64)> = s.parts.iter().filter(|p| p.kind == TimeKind::ReceiverDelay && p.client == Some(true)).map(|p| (p.first_frame, p.duration_ns() as f64 / 1e6)).collect();
    assert!(held.len() == 1 && (45..=48).contains(&held[0].0) && (40.0..46.0).contains(&held[0].1), "the client's held ACKs: {held:?}\n{}", lines(&s));
    let last = s.parts.iter().find(|p| p.first_frame <= 92 && p.end_ns > 200_000_000 && p.start_ns < 170_000_000).unwrap();
    assert!(last.kind == TimeKind::AwaitingAnswer && last.client == Some(true), "{last:?}\n{}", lines(&s));
    let network: Vec<f64> = s.parts.iter().filter(|p| p.kind == TimeKind::Network).map(|p| p.duration_ns() as f64 / 1e6).collect();
    assert!(network.iter().all(|n| *n < 5.0), "network parts on a 0.4 ms path: {network:?}\n{}", lines(&s));
}

/// spurious_rto near the receiver (R8a-07): after frame 130 nothing for 419.6 ms, then frame 131
/// and, 1.4 ms later, a second copy of its bytes (frame 204, the sender's RTO resend; the relay
/// held segment 100 and all behind it 450 ms). A resend sooner after the first than the sender
/// could learn of a loss past here means the first had left long before: the pause was the
/// path's. The client's application keeps only its first pause, as at the sender.
#[test]
fn a_second_copy_too_soon_after_a_pause_makes_the_pause_the_paths() {
    let (at_sender, at_receiver) = (split("lossy", "spurious_rto_at_sender.pcap", 0), split("lossy", "spurious_rto_at_receiver.pcap", 0));
    let (s, r) = (ms(&at_sender, TimeKind::SenderApplication, Some(true)), ms(&at_receiver, TimeKind::SenderApplication, Some(true)));
    assert!(r < 210.0 && (s - r).abs() < 5.0, "the client's application: {s:.1} ms at the sender, {r:.1} ms at the receiver\n{}", lines(&at_receiver));
    let sum: i64 = at_receiver.totals_ns.iter().sum();
    assert_eq!(sum, at_receiver.duration_ns, "the totals after the relabelling");
    let parts: i64 = at_receiver.parts.iter().map(|p| p.duration_ns()).sum();
    assert_eq!(parts, at_receiver.duration_ns);
}

/// zeek_tcp_missing-syn (R8b-05): no SYN captured, so no handshake round trip; the server's
/// flights (frames 8–11, 16) each leave one round trip (183 ms, as its first answer took) after
/// the client's ACKs that freed them (frames 7, 15): waiting for ACKs, not the server's
/// application.
#[test]
fn without_the_handshake_flights_clocked_by_acks_are_the_network() {
    let s = split("public", "zeek_tcp_missing-syn.pcap", 0);
    let app = ms(&s, TimeKind::SenderApplication, None);
    assert!(app == 0.0, "{app:.1} ms booked on an application\n{}", lines(&s));
    assert!(ms(&s, TimeKind::Network, Some(false)) > 360.0, "{}", lines(&s));
}

/// crossing (R8a-13): after the answer both applications wait for an agreed instant to close;
/// the 785 ms with everything acknowledged and nothing sent are named for what they are.
#[test]
fn time_with_nothing_in_flight_and_no_one_sending_is_both_idle() {
    let s = split("delayed", "crossing_at_client.pcap", 0);
    let idle = ms(&s, TimeKind::Other, None);
    assert!((780.0..790.0).contains(&idle), "{idle:.1} ms\n{}", lines(&s));
    assert_eq!(TimeKind::Other.label(), "both idle");
}

/// ndpi_1kxun stream 13: the server's 318 bytes (frame 540) are acknowledged 193 ms later (frame
/// 549) and the capture ends: the held ACK held nothing up, and the words say it was still to
/// come rather than calling the time the receiver's delay.
#[test]
fn a_held_ack_nothing_followed_is_both_idle_with_the_ack_still_to_come() {
    let session = analyze_bytes(&read(&corpus_dir("public").join("ndpi_1kxun.pcap"))).unwrap();
    let conn = session.connection(13).unwrap();
    let words = tcp_ladder::report::time_words::time_words(&conn);
    // The wait for the ACK ends when it comes (frame 549: R11b-02); the last instant is idle.
    let held = &words.parts[words.parts.len() - 2];
    assert!(held.contains("(frames 540–540): both idle (neither side sending; the client's ACK of the server's data not sent yet"), "{}", words.parts.join("\n"));
    assert!(words.parts.last().unwrap().contains("(frames 549–550): both idle (neither side sending), "), "{}", words.parts.join("\n"));
    assert_eq!(ms(&words.split, TimeKind::ReceiverDelay, None), 0.0, "{}", words.parts.join("\n"));
}

/// app_limited (R8a-11): the client writes 2000 bytes every 20 ms (programs.py); Linux sends the
/// full 1448 at once and holds the 552-byte rest while an earlier small segment is
/// unacknowledged (Nagle, Minshall's form). ss says app_limited, cwnd 10 throughout, and the
/// relay dropped nothing: nothing congested. Each hold the split names ends with a small segment
/// of new data, the first data after the ACK that covered the previous small segment (at the
/// sender: within 1 ms of it). The time once called "network / congestion" is mostly those
/// holds: 508.8 ms at the sender before, at most 60 ms now; 823.0 ms at the receiver before.
#[test]
fn the_rest_of_a_write_held_for_a_small_segments_ack_is_nagles_time() {
    // (At the sender the gaps between a released tail and the next write, 5–7.6 ms, are the
    // application's, not the network's: R10 N2, 159.9 → 28.9 ms.)
    for (at, least_nagle, most_network) in [("sender", 500.0, 60.0), ("receiver", 400.0, 650.0)] {
        let file = format!("app_limited_at_{at}.pcap");
        let s = split("lossy", &file, 0);
        let session = analyze_bytes(&read(&corpus_dir("lossy").join(&file))).unwrap();
        let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
        let origin = packets[0].time_ns;
        let (nagle, network) = (ms(&s, TimeKind::SenderNagle, Some(true)), ms(&s, TimeKind::Network, Some(true)));
        assert!(nagle >= least_nagle && network <= most_network, "at the {at}: Nagle {nagle:.1} ms, network {network:.1} ms\n{}", lines(&s));
        let holds: Vec<_> = s.parts.iter().filter(|p| p.kind == TimeKind::SenderNagle).collect();
        assert!(holds.len() >= 30, "at the {at}: {} holds", holds.len());
        for h in holds {
            // The client's first data after the hold: small, new, and the end of the hold.
            let i = packets.iter().position(|p| p.from_client && p.segment.payload_len > 0 && p.time_ns - origin >= h.end_ns).unwrap();
            let released = &packets[i];
            assert!(released.segment.payload_len < 1448 && released.time_ns - origin == h.end_ns, "at the {at}: hold {:?} ends at frame {}", (h.start_ns, h.end_ns), released.frame);
            let highest_before = packets[..i].iter().filter(|p| p.from_client && p.segment.payload_len > 0).map(|p| p.seq + p.segment.payload_len).max().unwrap();
            assert_eq!(released.seq, highest_before, "at the {at}: frame {} is no new data", released.frame);
            // The previous small segment, and the server's first ACK covering it.
            let small = packets[..i].iter().rev().find(|p| p.from_client && p.segment.payload_len > 0 && p.segment.payload_len < 1448).unwrap();
            let ack = packets.iter().find(|p| !p.from_client && p.frame > small.frame && p.ack >= small.seq + small.segment.payload_len).unwrap();
            assert!(ack.frame < released.frame, "at the {at}: frame {} left before the ACK of frame {}", released.frame, small.frame);
            if at == "sender" {
                assert!(released.time_ns - ack.time_ns <= 1_000_000, "frame {} left {} ns after the ACK (frame {})", released.frame, released.time_ns - ack.time_ns, ack.frame);
            }
        }
    }
}

/// delayed/seed (R8a-17): the server's answer and its FIN 20 µs later; the close (from that FIN,
/// as the phases count it) took the same round trip wherever the capture was, and the split
/// says so (it had said 51.2 ms at the client, 30.6 ms in the middle, 0.043 ms at the server).
/// A FIN beyond a hole is no close until the repair: zeek_tcp_reassembly's FIN (frame 110) went
/// with 31674 missing, resent after 3.2 s (frame 112): that time is no close.
#[test]
fn the_close_counts_from_the_fin_wherever_the_capture_is() {
    let closes: Vec<f64> = ["seed_at_client.pcap", "seed_middle.pcap", "seed_at_server.pcap"].iter().map(|f| ms(&split("delayed", f, 0), TimeKind::Close, None)).collect();
    let (least, most) = (closes.iter().cloned().fold(f64::MAX, f64::min), closes.iter().cloned().fold(0.0, f64::max));
    assert!(least >= 45.0 && most - least <= 0.1 * most, "close at the client, middle, server: {closes:?} ms");
    let s = split("public", "zeek_tcp_reassembly.pcap", 0);
    assert!(!s.parts.iter().any(|p| p.kind == TimeKind::Close && p.first_frame <= 112 && p.last_frame >= 110), "{}", lines(&s));
}

/// The capture point's round trip to an endpoint (0 without a handshake).
fn split_path(s: &TimeSplit, client: bool) -> i64 {
    s.path_ns.map_or(0, |p| p[usize::from(client)])
}

/// R10 F1–F4: "close" time after a FIN was acknowledged is the other end's application not
/// closing yet (receiver_limited: 77.7 ms of the server still reading; zeek_http_206_example_b
/// stream 1: 26.2 s until the client's RST), and a FIN nothing acknowledged is said so
/// (ndpi_1kxun stream 19: 36.2 s, the FIN resent twice). Checked against the packets on every
/// capture: the half-open part begins at or after the ACK of the other side's FIN and before the
/// open side's own FIN; the unacknowledged FIN's part ends before any ACK of it.
#[test]
fn a_close_says_whose_end_is_still_open_or_whose_fin_is_unacknowledged() {
    let (mut half_open, mut unacked) = (0, 0);
    common::each_connection(&common::every_capture(), |_, name, stream, conn| {
        let packets: Vec<_> = conn.packets().collect();
        let Some(origin) = packets.first().map(|p| p.time_ns) else { return };
        let s_split = tcp_ladder::tcp::time_split::time_split(&packets);
        let s = &s_split;
        // Per side (client first): when its FIN was first acknowledged, when it sent its FIN.
        // (A FIN on the SYN's own number is acknowledged by no ACK of the SYN.)
        let fin_end = |client: bool| packets.iter().find(|p| p.from_client == client && p.segment.flags.fin() && (p.seq != 0 || p.segment.payload_len > 0)).map(|p| p.seq.wrapping_add(p.segment.payload_len).wrapping_add(1));
        let acked_at = |client: bool| fin_end(client).and_then(|e| packets.iter().find(|p| p.from_client != client && p.segment.flags.ack() && p.ack.wrapping_sub(e) < 1 << 31).map(|p| p.time_ns - origin));
        let fin_at = |client: bool| packets.iter().find(|p| p.from_client == client && p.segment.flags.fin()).map(|p| p.time_ns - origin);
        for p in s.parts.iter().filter(|p| p.kind == TimeKind::Close) {
            match (p.client, p.outstanding) {
                (Some(open), _) => {
                    half_open += 1;
                    let acked = acked_at(!open).unwrap_or_else(|| panic!("{name} stream {stream}: {p:?} but the {}'s FIN was never acknowledged", if open { "server" } else { "client" }));
                    assert!(acked <= p.start_ns && fin_at(open).is_none_or(|f| f >= p.end_ns), "{name} stream {stream}: {p:?}, FIN acknowledged at {acked}, own FIN at {:?}", fin_at(open));
                }
                (None, Some(fin_side)) => {
                    unacked += 1;
                    // (An ACK counts for the FIN's sender once it can have reached it: the
                    // capture point's round trip to it, and 2 ms of slack, later.)
                    let way = split_path(&s_split, fin_side);
                    assert!(acked_at(fin_side).is_none_or(|a| a + way + 2_000_000 >= p.end_ns), "{name} stream {stream}: {p:?} but that FIN was acknowledged at {:?}", acked_at(fin_side));
                }
                _ => {}
            }
        }
    });
    assert!(half_open >= 10 && unacked >= 10, "{half_open} half-open parts, {unacked} unacknowledged FINs");
    let at = |file: &str, stream: u32| split(if file.starts_with("receiver") { "lossy" } else { "public" }, file, stream);
    let r = at("receiver_limited_at_sender.pcap", 0);
    assert!(r.parts.iter().any(|p| p.kind == TimeKind::Close && p.client == Some(false) && (p.duration_ns() - 77_700_000).abs() < 1_000_000), "{}", lines(&r));
    // A FIN on the SYN's number (before the SYN-ACK) is not acknowledged by the SYN's ACK.
    let z = at("zeek_tcp_fin_retransmission.pcap", 0);
    assert!(!z.parts.iter().any(|p| p.kind == TimeKind::Close && p.client.is_some()), "{}", lines(&z));
    let f = at("ndpi_1kxun.pcap", 19);
    assert!(f.parts.iter().all(|p| p.kind == TimeKind::Close && p.outstanding == Some(true)), "{}", lines(&f));
}
