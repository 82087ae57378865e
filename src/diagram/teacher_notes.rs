//! What a teacher adds beside the packets (issue #23), each only where the capture shows it:
//! why TIME-WAIT lasts 2·MSL, how SYN retries back off, a snap length that cut a payload, ECN
//! marks on data.

use crate::tcp::lifecycle::TcpState;
use crate::tcp::TcpPacket;

/// Less than this between two SYNs is no retransmission timer (Linux's smallest is 1 s for a
/// SYN, RFC 6298's 1 s; 200 ms is the smallest RTO of any stack).
const TIMER_MIN_S: f64 = 0.2;

/// `text`, and why TIME-WAIT lasts as it does when a side of the capture reached it
/// (`reached`: the states each side went through, client and server).
pub fn with_time_wait(mut text: String, reached: &[Vec<TcpState>; 2]) -> String {
    if reached.iter().any(|r| r.contains(&TcpState::TimeWait)) {
        text.push_str(
            " TIME-WAIT lasts 2×MSL (twice the maximum segment lifetime, RFC 9293 §3.6): long enough for late duplicates of this connection's segments to die out before the same addresses and ports carry a new one, and to answer the peer's FIN again should the last ACK be lost. Linux waits a fixed 60 s.",
        );
    }
    text
}

fn seconds_list(gaps: &[f64]) -> String {
    gaps.iter().map(|g| format!("{g:.1} s")).collect::<Vec<_>>().join(", ")
}

/// How the client's SYN retries were spaced: doubling (RFC 6298 §5.5: 1 s, 2 s, 4 s …),
/// constant gaps (said as such), or sooner than any timer (copies, not retries).
pub fn syn_retries(retries: u32, gaps: &[f64]) -> String {
    let too_soon = gaps.iter().filter(|&&g| g < TIMER_MIN_S).count();
    let timed = gaps.iter().all(|&g| g >= TIMER_MIN_S);
    let growing = timed && gaps.len() >= 2 && gaps.windows(2).all(|w| w[1] >= 1.5 * w[0]);
    let constant = timed && gaps.len() >= 2 && gaps.iter().all(|&g| (g - gaps[0]).abs() <= 0.1 * gaps[0]);
    let how = if growing {
        format!("each after a longer timeout (the retransmission timer doubles): {}", seconds_list(gaps))
    } else if constant {
        format!("at constant gaps of {:.1} s: not the doubling RFC 6298 asks for (1 s, 2 s, 4 s …) but, likely, a fixed SYN timer of the client's kernel (recent Linux kernels retry the first SYNs every second before doubling) — the same ISN each time makes them one connection attempt, where an application's own retry would open a new socket with a new ISN", gaps[0])
    } else if gaps.is_empty() {
        "after a timeout".to_string()
    } else {
        let list = gaps.iter().map(|&g| crate::timefmt::milliseconds((g * 1e9) as i64)).collect::<Vec<_>>().join(", ");
        format!("after {list}")
    };
    // Copies only (R6c: zeek_vlan-pcp-dei's three SYNs 0.000 ms apart were "sent again"): the
    // capture holds one SYN several times; nothing says it was sent more than once.
    if all_too_soon(gaps) {
        let list = gaps.iter().map(|&g| crate::timefmt::milliseconds((g * 1e9) as i64)).collect::<Vec<_>>().join(", ");
        return format!(
            " The capture holds the client's SYN {} times with the same ISN (one connection attempt), {list} apart: shorter than any retransmission timer (200 ms at the least), so copies of one SYN (captured more than once, or sent so by a tool such as a scanner), not retries after a timeout.",
            retries + 1
        );
    }
    // Only a SYN with the first one's ISN counts as a retry (`Lifecycle::on_syn`).
    // (Copies among retries: the capture holds each SYN more than once — R17b-18, ndpi_rtsp.)
    let mut text = if too_soon > 0 {
        format!(" The capture holds the client's SYN {} times with the same ISN (the same connection attempt), {how}.", retries + 1)
    } else {
        format!(" The client sent its SYN again {retries} time(s) with the same ISN (the same connection attempt), {how}.")
    };
    if too_soon > 0 {
        text.push_str(&format!(
            " {too_soon} of those gaps are shorter than any retransmission timer (200 ms at the least): copies of the SYN (captured more than once, or sent so by a tool such as a scanner), not retries after a timeout; so the client sent it {} time(s).",
            gaps.len() - too_soon + 1
        ));
    } else if growing {
        text.push_str(" RFC 6298 doubles the timer after each expiry (1 s, 2 s, 4 s …).");
    }
    text
}

/// Every gap between the client's SYNs is shorter than any retransmission timer.
pub fn all_too_soon(gaps: &[f64]) -> bool {
    !gaps.is_empty() && gaps.iter().all(|&g| g < TIMER_MIN_S)
}

/// A frame the capture kept only part of (its snap length) though it carried payload.
pub fn snap_length_note(p: &TcpPacket) -> Option<String> {
    let saved = p.captured_payload_len();
    (saved < p.segment.payload_len).then(|| {
        if p.segment.beyond_frame > 0 {
            // (Not the snap length: the recording gives the cut length as the frame's own, R20C-5.)
            return format!(
                "The recording holds {} bytes of this frame and gives that as its length on the wire, though its IP header counts {} bytes more: its {} payload bytes are counted from the IP header's length, as its sender counted them; only {saved} of them were recorded (Wireshark's tcp.len counts those {saved}).",
                p.cap_len, p.segment.beyond_frame, p.segment.payload_len
            );
        }
        format!(
            "The capture kept only the first {} bytes of this frame (its snap length): its {} payload bytes are counted from the IP header's length, but only {saved} of them were saved.",
            p.cap_len, p.segment.payload_len
        )
    })
}

/// ECN marks on a segment after the handshake (RFC 3168): ECE echoes a congestion mark the
/// receiver saw; CWR says the sender has reduced its window.
pub fn ecn_note(p: &TcpPacket) -> Option<String> {
    let f = p.segment.flags;
    if f.syn() || f.rst() {
        return None;
    }
    let ece = f.has(crate::decode::TcpFlags::ECE);
    let cwr = f.has(crate::decode::TcpFlags::CWR);
    let mut parts = Vec::new();
    if ece {
        parts.push("ECE is set: its sender echoes a congestion mark (a router set CE in the IP header of a segment it received instead of dropping it, RFC 3168), asking the other side to slow down as for a loss; the receiver keeps echoing the mark until the sender answers with CWR");
    }
    if cwr {
        parts.push("CWR is set: its sender says it has reduced its congestion window in answer to an ECE, so the echo can stop");
    }
    (!parts.is_empty()).then(|| format!("{}.", parts.join("; ")))
}
