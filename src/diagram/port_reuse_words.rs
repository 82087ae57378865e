//! A SYN on the addresses and ports of an earlier connection, in words (issue #23, RFC 6191):
//! which side held the pair in TIME-WAIT, the numbers RFC 6191 compares (raw, as in the
//! capture), whether its condition held, and what the receiver did — from [`PortReuse`].

use crate::tcp::port_reuse::PortReuse;
use crate::tcp::sender_clock::ticks_after;
use crate::timefmt::milliseconds;

/// The sentence for the SYN of `r` (its sender is this connection's client).
pub(super) fn port_reuse_note(r: &PortReuse) -> String {
    let mut s = format!(
        "Port numbers reused: connection {} used these addresses and ports before (its last frame {}, {} before this SYN).",
        r.old_stream,
        r.old_last_frame,
        milliseconds(r.since_old_ns)
    );
    s.push_str(match (r.syn_sender_closed_first, r.old_reset) {
        (Some(false), _) => " The server sent that connection's first FIN, so the server holds the pair in TIME-WAIT (2×MSL; 60 s on Linux). RFC 6191 lets a side in TIME-WAIT take a new SYN only if it cannot belong to the old connection: a timestamp newer than the old connection's last (when both use timestamps), else an ISN above the old connection's last sequence number.",
        (Some(true), _) => " The client sent that connection's first FIN, so the client itself waited in TIME-WAIT for this pair: reusing it is its own stack's choice (Linux's tcp_tw_reuse asks for timestamps); RFC 6191's test is for a side in TIME-WAIT that receives a SYN, and the server had closed its side.",
        (None, true) => " That connection ended with an RST, which leaves no TIME-WAIT: nothing held the pair.",
        (None, false) => " That connection did not close in the capture (no FIN, no RST).",
    });
    let mut compared = Vec::new();
    if let (Some(v), Some(old)) = (r.tsval, r.old_tsval) {
        let d = ticks_after(v, old);
        compared.push(format!("its TSval {v} is {} the client's last in the old connection ({old})", if d > 0 { format!("{d} ticks after") } else if d == 0 { "equal to".to_string() } else { format!("{} ticks before", -d) }));
    }
    if let Some(old) = r.old_next_seq {
        let d = r.isn.wrapping_sub(old) as i32;
        compared.push(format!("its ISN {} is {} the old connection's next sequence number from the client ({old}, just past the last it used there)", r.isn, if d > 0 { format!("{d} above") } else if d == 0 { "equal to".to_string() } else { format!("{} below", -i64::from(d)) }));
    }
    if !compared.is_empty() {
        s.push_str(&format!(" Here {}", compared.join(", and ")));
        s.push_str(match (r.condition_held(), r.tsval_newer().is_some()) {
            (Some(true), true) => ": RFC 6191's condition held (by the timestamps, which decide when both carry them).",
            (Some(true), false) => ": RFC 6191's condition held (by the ISN: no timestamps to compare).",
            (Some(false), true) => ": RFC 6191's condition did not hold (by the timestamps): a side in TIME-WAIT following it would not take this SYN.",
            (Some(false), false) => ": RFC 6191's condition did not hold (by the ISN): a side in TIME-WAIT following it would not take this SYN.",
            (None, _) => ".",
        });
    }
    s.push_str(&match r.answered_by {
        Some((frame, false)) => format!(" The server accepted it: SYN-ACK in frame {frame}."),
        Some((frame, true)) => format!(" The server refused it: RST in frame {frame}."),
        None => " No answer to it passes the capture point.".to_string(),
    });
    s
}
