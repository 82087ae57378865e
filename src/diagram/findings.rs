//! Wireshark's analysis findings in words: one table gives each flag its identifier, the short
//! tag shown on an arrow and the sentence of the explanation, so the two never drift apart.

use crate::tcp::analysis::AnalysisFlags as A;
use crate::tcp::TcpPacket;

struct Finding {
    bit: u16,
    /// The analysis flag's name (CSS class suffix and `data-analysis` value).
    kind: &'static str,
    tag: &'static str,
    note: &'static str,
}

/// In display order. Of the retransmission family only the first one set is shown.
const FINDINGS: [Finding; 15] = [
    Finding { bit: A::FAST_RETRANSMISSION, kind: "fast_retransmission", tag: "Fast retransmission", note: "Fast retransmission: sent again right after duplicate ACKs asked for it, without waiting for a timeout." },
    Finding { bit: A::SPURIOUS_RETRANSMISSION, kind: "spurious_retransmission", tag: "Spurious retransmission", note: "Spurious retransmission: this data had already been acknowledged, so resending it was unnecessary." },
    Finding { bit: A::RETRANSMISSION, kind: "retransmission", tag: "Retransmission", note: "Retransmission: this repeats sequence numbers already sent; the first copy or its ACK was probably lost." },
    Finding { bit: A::OUT_OF_ORDER, kind: "out_of_order", tag: "Out-of-order", note: "Out of order: it arrived after segments that follow it (Wireshark's guess; it may also be a quick retransmission)." },
    Finding { bit: A::LOST_SEGMENT, kind: "lost_segment", tag: "Previous segment not captured", note: "Gap before it: it starts beyond the end of everything seen from this side, so earlier segments were not captured." },
    Finding { bit: A::ACK_LOST_SEGMENT, kind: "ack_lost_segment", tag: "ACKed unseen segment", note: "It acknowledges data the capture never saw (lost before the capture point, or the capture started late)." },
    // Tag and note are made with the duplicate's number and frame (see below).
    Finding { bit: A::DUPLICATE_ACK, kind: "duplicate_ack", tag: "", note: "" },
    Finding { bit: A::ZERO_WINDOW, kind: "zero_window", tag: "Zero window", note: "Zero window: the receiver's buffer is full; the other side must stop sending until the window opens." },
    Finding { bit: A::ZERO_WINDOW_PROBE, kind: "zero_window_probe", tag: "Zero-window probe", note: "Zero-window probe: one byte sent into a closed window, to learn when it opens. A zero window accepts no byte, so the segment is not acceptable and the receiver must answer with an ACK carrying its current window (RFC 9293 §3.10.7.4): that ACK is what the probe asks for." },
    Finding { bit: A::ZERO_WINDOW_PROBE_ACK, kind: "zero_window_probe_ack", tag: "Zero-window probe ACK", note: "Answer to a zero-window probe: the window is still closed." },
    Finding { bit: A::WINDOW_FULL, kind: "window_full", tag: "Window full", note: "Window full: this data fills the receiver's advertised window exactly." },
    Finding { bit: A::WINDOW_UPDATE, kind: "window_update", tag: "Window update", note: "Window update: nothing new but a larger window, telling the sender it may send more." },
    Finding { bit: A::KEEP_ALIVE, kind: "keep_alive", tag: "Keep-alive", note: "Keep-alive: one byte (or none) just before the next sequence number, to check that the other side is still there. It lies before the receiver's window, so the segment is not acceptable and the receiver must answer with an ACK (RFC 9293 §3.10.7.4): that ACK is the sign of life." },
    Finding { bit: A::KEEP_ALIVE_ACK, kind: "keep_alive_ack", tag: "Keep-alive ACK", note: "Answer to a keep-alive: the other side is still there." },
    Finding { bit: A::REUSED_PORTS, kind: "reused_ports", tag: "Port numbers reused", note: "Port numbers reused: a new connection on the same addresses and ports as an earlier one in this capture. While the old connection's closing side waits in TIME-WAIT (2×MSL; 60 s on Linux) that pair is still taken, but RFC 6191 lets it accept a new SYN whose ISN (or timestamp) is higher than the old connection's last, so no late segment of the old connection can pass for one of the new." },
];

/// The findings of a segment as (kind, tag, note).
pub fn findings(p: &TcpPacket) -> Vec<(&'static str, String, String)> {
    let flags = p.analysis.flags;
    let mut retransmission_shown = false;
    let mut out = Vec::new();
    for f in FINDINGS.iter().filter(|f| flags.has(f.bit)) {
        if f.bit & A::ANY_RETRANSMISSION != 0 {
            if retransmission_shown {
                continue;
            }
            retransmission_shown = true;
        }
        if f.bit == A::KEEP_ALIVE && flags.has(A::INTO_CLOSED_WINDOW) {
            // Wireshark's keep-alive test also matches Linux's zero-window probe.
            out.push((
                "zero_window_probe",
                "Zero-window probe".to_string(),
                "Zero-window probe: sent while the receiver's window is zero, with a sequence number just below the next one: outside the window, so the segment is not acceptable and the receiver must answer with an ACK carrying its current window (RFC 9293 §3.10.7.4) (Wireshark marks it as a keep-alive; here it probes a closed window).".to_string(),
            ));
            continue;
        }
        let (tag, note) = if f.bit == A::DUPLICATE_ACK {
            let (num, of) = (p.analysis.dup_ack_num, p.analysis.dup_ack_of);
            (
                format!("Dup ACK {of}#{num}"),
                format!(
                    "Duplicate ACK #{num} of frame {of}: the same ack again, so the receiver is still waiting for byte {}; three duplicates usually trigger a fast retransmission.",
                    p.ack
                ),
            )
        } else {
            (f.tag.to_string(), f.note.to_string())
        };
        out.push((f.kind, tag, note));
    }
    out
}

/// Sentences for Wireshark's analysis flags of a segment.
pub fn analysis_notes(p: &TcpPacket) -> Vec<String> {
    findings(p).into_iter().map(|(_, _, note)| note).collect()
}

/// A zero window announced with an ACK of the peer's FIN: the peer has nothing more to send,
/// so the zero holds nothing back — and it need not mean a full buffer (R27D-5:
/// ndpi_heuristic stream 2's frame 160, TIME-WAIT, nothing received since 66 048 bytes free).
pub fn zero_window_after_fin(me: &str, peer: &str) -> String {
    format!("Window 0, announced with the ACK of the {peer}'s FIN: the {peer} has nothing more to send, so it holds nothing back; a {me} whose application has closed or stopped reading may announce no room whether or not its buffer is full.")
}

/// What the receiver did not take in (RFC 9293's acceptability and state rules), from the
/// lifecycle's reasons for ignoring a segment.
pub(super) fn ignored_notes(ignored: &[crate::tcp::lifecycle::IgnoredReason]) -> Vec<String> {
    use crate::tcp::lifecycle::IgnoredReason;
    let mut notes = Vec::new();
    if ignored.contains(&IgnoredReason::NotAcknowledged) {
        notes.push("Its receiver's later ACKs never cover it, so the receiver did not process it here (it arrived out of order, or was lost after the capture point).".to_string());
    }
    if ignored.contains(&IgnoredReason::FinBeforeSynchronized) {
        notes.push("A FIN before the connection is synchronized is not a step of RFC 9293's state diagram; it changes no state.".to_string());
    }
    // R4 M9: zeek_ldap_gap-data-missing frame 17, the RST of frame 18 acks 2673, not the FIN.
    match ignored.iter().find_map(|r| if let IgnoredReason::AnsweredWithRst(f, ack) = r { Some((*f, *ack)) } else { None }) {
        Some((rst, true)) => notes.push(format!("Its receiver's next segment is an RST (frame {rst}) whose ACK stops short of it: the receiver reset the connection before taking this in (or had no connection for it), so it was never processed.")),
        // zeek_tls_irc-starttls frame 20: the reply of an endpoint already CLOSED.
        Some((rst, false)) => notes.push(format!("Its receiver answered with an RST (frame {rst}, without ACK): it had no connection for it any more, so it was never processed.")),
        None => {}
    }
    notes
}
