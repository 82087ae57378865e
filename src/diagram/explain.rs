//! What one segment does, in words, generated from the analysis (never written per capture):
//! its flags and sequence arithmetic, what its SACK blocks report, and Wireshark's findings
//! corrected by what the rest of the connection shows (`SegmentContext`).

use crate::tcp::lifecycle::IgnoredReason;
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

use super::findings::findings;

pub(super) fn who(from_client: bool) -> &'static str {
    if from_client {
        "client"
    } else {
        "server"
    }
}

/// What the rest of the connection says about one segment: the explanation of a segment is
/// only true in its context.
#[derive(Debug, Clone, Default)]
pub struct SegmentContext {
    /// This FIN also acknowledges the peer's FIN (a three-segment close).
    pub acks_peer_fin: bool,
    /// The peer's FIN had been received before this FIN was sent (its sender is LAST-ACK).
    pub passive_fin: bool,
    /// This FIN was sent before the peer's FIN of this frame, captured earlier, had arrived.
    pub crosses_peer_fin: Option<u64>,
    /// For a SYN-ACK: its sender had sent a SYN without ACK before (a simultaneous open).
    pub own_syn_before: bool,
    /// For bytes sent again: why, as the packets show it (see [`crate::tcp::recovery`]).
    pub resend: Option<crate::tcp::recovery::Resend>,
    /// For a copy sent before the resend captured earlier (an older TSval): that, and the
    /// D-SACK frame the resend got.
    pub late_copy: Option<(crate::tcp::sender_clock::LateCopy, Option<u64>)>,
    /// For a resend whose original passes the capture point after it (sent before it by the
    /// sender's clock, delayed on the path): that original's frame.
    pub original_later: Option<u64>,
    /// For a SYN that reused the ports of an earlier connection: that one against it (RFC 6191).
    pub port_reuse: Option<crate::tcp::port_reuse::PortReuse>,
    /// For a SYN-ACK: payload bytes the peer's SYN carried (TCP Fast Open).
    pub peer_syn_data: u32,
    /// For a SYN-ACK: the peer's SYN asked for ECN (ECE and CWR set).
    pub peer_syn_ecn: bool,
    /// The receiver ignored it, and why.
    pub ignored: Vec<IgnoredReason>,
    /// For a segment whose ACK field moved: why it came when it did (a delayed ACK …).
    pub ack_timing: Option<super::ack_timing::AckTiming>,
    /// For an RST: what was outstanding when it was sent.
    pub rst: Option<super::rst_facts::RstFacts>,
    /// For an RST: its IPv4 identification differs from its side's previous RST's, so it is
    /// another datagram, not that RST captured twice (R45-2).
    pub rst_other_datagram: bool,
    /// The same segment as this side's previous one (`tcp::copies`): that frame and the gap; and
    /// whether its sender numbers each datagram anew (then the IPv4 identification says it).
    pub copy_of: Option<(u64, i64)>,
    pub copy_numbered: bool,
    /// For a FIN sent again that now acknowledges the peer's FIN: the frame of its first copy.
    pub fin_again_acking_peer_fin: Option<u64>,
    /// Some SYN of this connection is in the capture (without one, a segment lacking ACK is
    /// part of no synchronized connection).
    pub syn_seen: bool,
    /// For a SYN or SYN-ACK Wireshark flags "port numbers reused": the earlier SYN of the same
    /// connection attempt (same ISN) it repeats or answers.
    pub same_attempt_syn: Option<u64>,
    /// A FIN (with ACK) carrying the sequence number of its sender's own SYN (that SYN's
    /// frame): below what the peer expects, so not acceptable there.
    pub fin_at_own_syn: Option<u64>,
    /// For a segment after a gap: the bytes of the gap pass the capture point later.
    pub late_gap: Option<super::capture_limits::LateGap>,
    /// For an ACK of bytes the capture does not hold: which, in words.
    pub unseen_ack: Option<String>,
    /// Its payload was not taken as data by either end (R13b-5): which, and why.
    pub not_taken: Option<crate::tcp::bytes_not_taken::NotTaken>,
    /// For an RST: the frame that had already made its sender CLOSED (R2 F9).
    pub closed_since: Option<u64>,
    /// What its timestamps say of a data segment filling a hole (original or retransmission).
    pub stamps: Option<crate::tcp::stamp_evidence::StampVerdict>,
    /// For a duplicate ACK: the ACKs that asked for the same byte before it, and its resend.
    pub asking: Option<super::dup_ack_words::Asking>,
    /// The peer has sent nothing beyond this segment's ACK (see `SeenBytes::nothing_beyond_ack`);
    /// its ACK covers the peer's FIN (R27D-5: then a zero window holds nothing back).
    pub nothing_beyond_ack: bool,
    pub after_peer_fin: bool,
    /// For a FIN: its sender's later RST without ACK replying to the peer's data sent after
    /// it (the RST's frame, the data's first and last frames before it).
    pub refused_after_fin: Option<(u64, u64, u64)>,
    /// For a segment IP split into fragments: the sentence that says so.
    pub reassembled: Option<String>,
    /// Its sender's IPv4 identification skips datagrams the capture point did not see.
    pub unseen: Option<crate::tcp::ip_id::UnseenDatagrams>,
    /// This capture misses datagrams of this segment's sender that arrived: the first ACK that
    /// covered bytes of them. A copy not captured need not have been lost before the capture
    /// point (R26C-4).
    pub capture_drops: Option<u64>,
    /// Data a small unacknowledged segment held back until its ACK (Nagle).
    pub nagle: Option<super::nagle::NagleHold>,
}

/// Where a FIN sits: after the segment's data, if it carries any ("FIN at seq=1000001, after
/// 880 bytes of data (999121 to 1000000)"; it said the first data byte's number, R4 M2).
fn fin_at(p: &TcpPacket) -> String {
    let len = p.segment.payload_len;
    if len == 0 {
        return format!("FIN at seq={}", p.seq);
    }
    let fin = SeqNumber(p.seq) + len;
    format!("FIN at seq={}, after {len} bytes of data ({} to {})", fin.0, p.seq, (fin - 1u32).0)
}

/// What one segment does, in words, with the numbers that make it so.
pub fn explain_segment(p: &TcpPacket, cx: &SegmentContext) -> String {
    let s = &p.segment;
    let f = s.flags;
    let me = who(p.from_client);
    let peer = who(!p.from_client);
    let next = p.next_seq();
    let ecn = f.has(crate::decode::TcpFlags::ECE);
    let cwr = f.has(crate::decode::TcpFlags::CWR);
    if let Some(cut) = super::capture_limits::cut_header_sentence(p) {
        return cut;
    }
    // The same segment captured again: what it did, its first copy says.
    let copy = super::segment_copies::copy_to_tell(p, cx.copy_of);
    let mut text = if let Some(copy) = copy {
        super::segment_copies::copy_sentence(p, copy, cx.copy_numbered)
    } else if f.rst() {
        super::rst_words::rst_sentence(p, &super::rst_words::RstContext { syn_seen: cx.syn_seen, closed_since: cx.closed_since, rst: cx.rst, other_datagram: cx.rst_other_datagram, ignored: &cx.ignored })
    } else if f.syn() && !f.ack() {
        let mut t = format!(
            "The {me} asks to open a connection: SYN with its initial sequence number (ISN) {}, shown as relative seq=0. A SYN counts as one byte of sequence space, so the {me}'s first data byte will be seq=1.",
            s.seq
        );
        if s.payload_len > 0 {
            let how = if s.options.fast_open.is_some_and(|n| n > 0) { "TCP Fast Open, with its cookie" } else { "data on a SYN, without a Fast Open cookie" };
            t.push_str(&format!(" It carries {} bytes of data already ({how}): sequence numbers 1 to {}.", s.payload_len, s.payload_len));
        }
        if ecn && cwr {
            t.push_str(" ECE and CWR are set: it asks to use Explicit Congestion Notification (RFC 3168).");
        }
        t.push_str(&super::option_words::options_sentence(s));
        t
    } else if f.syn() {
        let ack_words = if cx.peer_syn_data > 0 && p.ack != 1 + cx.peer_syn_data {
            format!("the {peer}'s ISN + 1, for its SYN only: it did not accept the {} bytes of data the SYN carried, so the {peer} sends them again", cx.peer_syn_data)
        } else if cx.peer_syn_data > 0 {
            format!("the {peer}'s ISN + 1 for its SYN + {} for the data the SYN carried", cx.peer_syn_data)
        } else {
            format!("the {peer}'s ISN + 1, because the {peer}'s SYN counted as one byte")
        };
        let mut t = format!("The {me} accepts: its own SYN (ISN {}, relative seq=0) and ack={} — {ack_words}.", s.seq, p.ack);
        // R6b-M2: zeek_tcp_payload-synack, 110 bytes on the SYN-ACK.
        if s.payload_len > 0 {
            t.push_str(&format!(
                " It also carries {} bytes of data, sequence numbers 1 to {} (RFC 9293 allows data on a SYN-ACK, unusual without TCP Fast Open; the {peer} holds them until the handshake completes): an ACK of them carries ack={}.",
                s.payload_len,
                s.payload_len,
                s.payload_len + 1
            ));
        }
        if ecn && !cwr {
            t.push_str(" ECE is set: it agrees to use Explicit Congestion Notification.");
        } else if cx.peer_syn_ecn && !ecn {
            t.push_str(&format!(" ECE is not set: it does not agree to the ECN the {peer} asked for, so the connection runs without it."));
        }
        t.push_str(&super::option_words::options_sentence(s));
        t
    } else if f.fin() && !f.ack() {
        // RFC 9293 §3.10.7.4: every segment of a synchronized connection carries ACK.
        if cx.syn_seen {
            format!("A FIN without ACK while the {me} is not yet synchronized (its SYN not answered yet), at seq={} (its ack={} counts for nothing without the ACK flag): not a step of RFC 9293; it carries no data and repeats none, so it is no retransmission.", p.seq, p.ack)
        } else {
            format!("A FIN without ACK (seq={}; its ack={} counts for nothing without the ACK flag), and no handshake in the capture: every segment of a synchronized connection carries ACK (RFC 9293 §3.10.7.4), so this is no part of a connection — a probe, as a port scanner sends (a FIN, or FIN+PSH+URG 'Xmas', scan).", p.seq, p.ack)
        }
    } else if let Some(syn) = cx.fin_at_own_syn {
        format!(
            "A FIN at seq=0, the sequence number of the {me}'s own SYN (frame {syn}), not the next one (1): a FIN takes the sequence number after everything its sender sent, SYN included, so this one lies below what the {peer} expects (its RCV.NXT is 1) and is not acceptable there (RFC 9293 §3.10.7.4: such a segment is answered with an ACK and dropped, its FIN not processed)."
        )
    } else if let (true, Some(first)) = (f.fin(), cx.fin_again_acking_peer_fin) {
        format!(
            "The {me} sends its FIN again (seq={}, first sent in frame {first}), now acknowledging the {peer}'s FIN too (ack={}): the two FINs had crossed on the way (a simultaneous close), so the {me} is in CLOSING and goes to TIME-WAIT once the {peer} acknowledges its FIN.",
            p.seq, p.ack
        )
    } else if f.fin() && cx.acks_peer_fin {
        format!(
            "The {me} acknowledges the {peer}'s FIN (ack={}: the FIN counted as one byte) and sends its own FIN in the same segment (seq={}, LAST-ACK): its application closed before the ACK of the FIN went out on its own (a receiver may hold a pure ACK back for up to 40–200 ms), so one segment carries both and the close needs three segments instead of four.",
            p.ack, p.seq
        )
    } else if f.fin() && cx.passive_fin {
        format!(
            "The {me} had already received the {peer}'s FIN and now closes its own side: {} (LAST-ACK). Once the {peer}'s ACK of it (ack={next}) arrives, both directions are closed.",
            fin_at(p)
        )
    } else if f.fin() && cx.crosses_peer_fin.is_some() {
        format!(
            "The {me} has nothing more to send: {}. It did not yet have the {peer}'s FIN of frame {} (its ack={} stops short of it): the two FINs crossed, so both sides close at once (a simultaneous close). An ACK of it carries ack={next}.",
            fin_at(p),
            cx.crosses_peer_fin.unwrap_or(0),
            p.ack
        )
    } else if f.fin() {
        format!(
            "The {me} has nothing more to send: {}. The FIN counts as one sequence number, so an ACK of it from the {peer} carries ack={next}. {}",
            fin_at(p),
            match cx.refused_after_fin {
                _ if cx.after_peer_fin => format!("Its ack={} covers the {peer}'s FIN too: the {peer} had closed already.", p.ack),
                // R40C-2: zeek_tls_irc-starttls, the server's 31 bytes after the client's FIN
                // drew an RST without ACK.
                Some((rst, first, last)) => format!(
                    "A FIN closes only the {me}'s sending side, but its RST without ACK (frame {rst}) after the {peer}'s data of {} shows that by then it received no more: its application had closed the socket (or exited), or shut down its receiving side too; that data was not taken.",
                    if first == last { format!("frame {first}") } else { format!("frames {first}–{last}") }
                ),
                None => format!("The {me} can still receive until the {peer} closes too."),
            }
        )
    } else if s.payload_len > 0 {
        // (R25 NIT: a probe's one byte was "1 bytes, sequence numbers 14481 to 14481".)
        let (bytes, them) = if s.payload_len == 1 { (format!("1 byte, sequence number {}", p.seq), "it") } else { (format!("{} bytes, sequence numbers {} to {}", s.payload_len, p.seq, (SeqNumber(next) - 1).0), "them") };
        let mut t = format!("The {me} sends {bytes}. An ACK of {them} from the {peer} carries ack={next} = seq + len: the next byte it then expects.");
        if let Some(timing) = &cx.ack_timing {
            t.push(' ');
            t.push_str(&super::ack_timing_words::ack_timing_sentence(timing, me, peer, super::sack_words::has_dsack(p)));
        }
        t
    } else if f.ack() {
        let mut t = format!("The {me} acknowledges: ack={} is the next byte it expects, so everything before it has arrived.", p.ack);
        if let Some(timing) = &cx.ack_timing {
            t.push(' ');
            t.push_str(&super::ack_timing_words::ack_timing_sentence(timing, me, peer, super::sack_words::has_dsack(p)));
        }
        t
    } else {
        // R4 M6: a closed port answers it with RST (RFC 9293 §3.10.7.1), a listening one drops it.
        format!("A segment from the {me} with no flags at all (a \"NULL\" probe, as port scanners send): a closed port must answer it with RST (RFC 9293 §3.10.7.1), a listening one drops it silently (§3.10.7.2) — the difference a scanner reads.")
    };
    if let Some(fragments) = &cx.reassembled {
        text.push(' ');
        text.push_str(fragments);
    }
    if let Some(unseen) = &cx.unseen {
        text.push(' ');
        text.push_str(&crate::tcp::ip_id::unseen_sentence(unseen));
    }
    if let Some(hold) = cx.nagle.filter(|_| cx.resend.is_none()) {
        text.push(' ');
        text.push_str(&super::nagle::nagle_sentence(&hold, me, peer));
    }
    if let Some(report) = super::sack_words::sack_report(p) {
        text.push(' ');
        text.push_str(&report);
    }
    // An RST's window means nothing.
    if f.syn() && !f.rst() {
        // RFC 7323 §2.2: the scale applies only once both SYNs have agreed on it.
        text.push_str(&format!(" Window: the {me} can still receive {} bytes — a SYN's window is never scaled, so this is the plain byte count.", p.window));
    } else if let Some(words) = super::capture_limits::window_words(p, me).filter(|_| !f.rst()) {
        text.push(' ');
        text.push_str(&words);
    }
    for note in [super::ecn_words::ip_ecn_note(p), super::teacher_notes::ecn_note(p), super::teacher_notes::snap_length_note(p)].into_iter().flatten() {
        text.push(' ');
        text.push_str(&note);
    }
    for note in context_notes(p, cx) {
        text.push(' ');
        text.push_str(&note);
    }
    if let Some(n) = &cx.not_taken {
        text.push_str(&format!(" {}", super::not_taken_words::not_taken_sentence(n, me, peer, p.seq)));
    }
    text
}

/// The analysis notes, corrected by what the context shows.
fn context_notes(p: &TcpPacket, cx: &SegmentContext) -> Vec<String> {
    let mut notes = Vec::new();
    let copy = super::segment_copies::copy_to_tell(p, cx.copy_of).is_some();
    // (A copy's findings are its first copy's: that frame tells them.)
    for (kind, _, note) in findings(p).into_iter().filter(|_| !copy) {
        let note = match kind {
            // An ACK identical to the one just before, with nothing from the peer between, is
            // the same ACK captured twice: no arrival prompted it, it reports no hole.
            "duplicate_ack" if cx.copy_of.is_some() => super::segment_copies::ack_copy_note(cx.copy_of.unwrap_or_default(), cx.copy_numbered, true),
            // Nothing sent beyond it: no hole to report, no fast retransmit to trigger.
            "duplicate_ack" if cx.nothing_beyond_ack => format!(
                "Another ACK of the same point (ack={}, as frame {}): the {} has sent nothing beyond it, so this duplicate reports no loss.",
                p.ack,
                p.analysis.dup_ack_of,
                who(!p.from_client)
            ),
            "duplicate_ack" if cx.asking.and_then(|a| super::dup_ack_words::sentence(p, &a)).is_some() => cx.asking.and_then(|a| super::dup_ack_words::sentence(p, &a)).unwrap_or_default(),
            "lost_segment" if cx.late_gap.is_some() => cx.late_gap.map(|g| super::capture_limits::late_gap_sentence(&g, cx.capture_drops)).unwrap_or_default(),
            "ack_lost_segment" if cx.unseen_ack.is_some() => cx.unseen_ack.clone().unwrap_or_default(),
            "reused_ports" if cx.same_attempt_syn.is_some() => format!("Wireshark flags the port numbers as reused because a SYN went by on these addresses and ports before; but {} frame {}'s SYN: the same connection attempt, not a new connection: no earlier connection here waits in TIME-WAIT, so RFC 6191's rule for taking over such a pair does not come into it.",
                if p.segment.flags.ack() { "this SYN-ACK answers (its ack is the ISN + 1 of)" } else { "this SYN carries the same ISN as" }, cx.same_attempt_syn.unwrap_or(0)),
            "zero_window" if cx.after_peer_fin => super::findings::zero_window_after_fin(who(p.from_client), who(!p.from_client)),
            "reused_ports" if cx.port_reuse.is_some_and(|r| r.syn_frame == p.frame) => cx.port_reuse.map(|r| super::port_reuse_words::port_reuse_note(&r)).unwrap_or_default(),
            // A FIN before synchronization repeats nothing (its sentence says what it is); a
            // copy captured again is no resend (R29-3).
            "retransmission" | "fast_retransmission" | "spurious_retransmission" | "out_of_order" if (p.segment.flags.fin() && !p.segment.flags.ack()) || copy => continue,
            // Wireshark's window update is "window changed, nothing else did": an ACK with
            // SACK blocks reports arrivals, which is what it is for.
            "window_update" if !p.segment.options.sack_blocks().is_empty() => {
                "Wireshark marks it a window update because its window differs from the previous ACK's; what it brings is the SACK report above.".to_string()
            }
            "retransmission" if p.segment.flags.syn() && p.segment.flags.ack() && cx.own_syn_before => {
                "A resend of this side's SYN, by design: in a simultaneous open each side sends its SYN again with the ACK of the other's (RFC 9293 Figure 7), so Wireshark marks it a retransmission; the peer, which has its SYN already, may report the copy with a D-SACK.".to_string()
            }
            // Bytes sent again: why, from the packets, in place of Wireshark's label (an
            // "out of order" copy of bytes already captured is a resend too).
            // Its FIN again, now acknowledging the peer's: the first sentence says why (R4 U1).
            "retransmission" | "fast_retransmission" | "spurious_retransmission" | "out_of_order" if cx.fin_again_acking_peer_fin.is_some() || cx.fin_at_own_syn.is_some() => continue,
            "retransmission" | "fast_retransmission" | "spurious_retransmission" | "out_of_order" if cx.late_copy.is_some() => {
                cx.late_copy.map(|(l, dsack)| super::late_copy_words::late_copy_note(&l, dsack)).unwrap_or_default()
            }
            "retransmission" | "fast_retransmission" | "spurious_retransmission" | "out_of_order" if cx.resend.is_some() => {
                let mut text = cx.resend.map(|r| super::resend_words::resend_note(&r, cx.original_later, cx.stamps, cx.capture_drops)).unwrap_or_default();
                match kind {
                    "out_of_order" => text.push_str(" (Wireshark calls it out of order.)"),
                    // Away from the sender an ACK seen here first may not have reached it yet.
                    "spurious_retransmission" if cx.resend.is_some_and(|r| matches!(r.not_needed, Some(crate::tcp::recovery::NotNeeded::AckedBefore(_)))) => {}
                    "spurious_retransmission" if cx.resend.is_some_and(|r| r.away_from_sender) => text.push_str(" These bytes had been acknowledged before this copy passed the capture point, which is away from the sender: that ACK may not have reached the sender when it sent this copy."),
                    "spurious_retransmission" => text.push_str(" These bytes had already been acknowledged before this copy passed the capture point."),
                    _ => {}
                }
                text
            }
            "out_of_order" if cx.stamps.is_some_and(|v| matches!(v, crate::tcp::stamp_evidence::StampVerdict::Original { .. })) => {
                cx.stamps.and_then(|v| super::resend_words::original_sentence(&v)).unwrap_or_default()
            }
            _ => note,
        };
        notes.push(note);
    }
    // A resend Wireshark does not mark is still one.
    let marked = findings(p).iter().any(|(kind, ..)| matches!(*kind, "retransmission" | "fast_retransmission" | "spurious_retransmission" | "out_of_order"));
    let fin_unsynchronized = p.segment.flags.fin() && !p.segment.flags.ack();
    if let Some(r) = cx.resend.filter(|_| !marked && !fin_unsynchronized && !copy && cx.fin_again_acking_peer_fin.is_none()) {
        notes.push(super::resend_words::resend_note(&r, cx.original_later, cx.stamps, cx.capture_drops));
    }
    // An ACK's copy Wireshark does not flag (it counts trailer bytes as data: R30-3,
    // ndpi_heuristic_tcp_ack_payload stream 4's frame 185, a copy of 184).
    if let Some(of) = cx.copy_of.filter(|_| !copy && !findings(p).iter().any(|(k, ..)| *k == "duplicate_ack")) {
        notes.push(super::segment_copies::ack_copy_note(of, cx.copy_numbered, false));
    }
    notes.extend(super::findings::ignored_notes(&cx.ignored));
    notes
}
