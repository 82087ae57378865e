//! What the capture around an unanswered SYN sent once shows (R9-02: chrissanders_synscan, 1 986
//! such connections, each with ≥ 17.9 s of capture after it, half of them followed within
//! 0.1–1.2 s by a SYN to the same port from the next source port). A client's TCP sends its SYN
//! again after about 1 s (RFC 6298 §2's initial RTO) on the same ports — the same connection; a
//! port scanner's retry comes from another source port — another connection.

use crate::connection::Connection;
use crate::tcp::{Completeness, Stream};

/// The neighbours of an unanswered SYN, as the session's connection records have them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnansweredSyn {
    /// Seconds of capture after the SYN (to the capture's last frame).
    pub capture_after_s: f64,
    /// Another unanswered SYN from the same address to the same address and port that began
    /// within [`NEAR_NS`] before or after this one: its stream, its source port, and the
    /// seconds from this SYN to its first segment (negative: before).
    pub neighbour: Option<(u32, u16, f64)>,
}

/// How near a SYN to the same port counts as a try of the same probe: past a client's first
/// two timeouts (1 s, then 2 s).
const NEAR_NS: i64 = 3_000_000_000;
/// Records looked at each way (a capture of a million connections stays quick).
const LOOK: u32 = 4096;

pub fn unanswered_syn(conn: &Connection<'_>) -> Option<UnansweredSyn> {
    let s = conn.stream();
    let last = conn.capture_end_ns()?;
    let streams = conn.session_streams();
    // (Only a SYN that went unanswered too: a port that answered is no silent port tried again.)
    let silent = |o: &Stream| o.completeness.0 & (Completeness::SYN_ACK | Completeness::RST) == 0;
    let same = |o: &Stream| o.index != s.index && o.client.addr == s.client.addr && o.server == s.server && o.client_from_syn && silent(o);
    let near = |o: &Stream| o.first_time_ns.saturating_sub(s.first_time_ns).saturating_abs() <= NEAR_NS;
    let after = (s.index + 1..s.index.saturating_add(LOOK)).map_while(|i| streams.get(i as usize)).take_while(|o| o.first_time_ns.saturating_sub(s.first_time_ns) <= NEAR_NS).find(|o| same(o));
    let before = || (s.index.saturating_sub(LOOK)..s.index).rev().filter_map(|i| streams.get(i as usize)).take_while(|o| near(o)).find(|o| same(o));
    let neighbour = after.or_else(before).map(|o| (o.index, o.client.port, o.first_time_ns.saturating_sub(s.first_time_ns) as f64 / 1e9));
    Some(UnansweredSyn { capture_after_s: last.saturating_sub(s.first_time_ns).max(0) as f64 / 1e9, neighbour })
}

/// The caption's sentence on a SYN that went by once.
pub fn went_by_once(u: Option<&UnansweredSyn>) -> String {
    let Some(u) = u else {
        return " It went by once: a client's TCP sends its SYN again about 1 s after it goes unanswered, so either the capture ended sooner or this was a single probe (as a port scanner sends).".to_string();
    };
    let mut text = if u.capture_after_s < 1.0 {
        format!(" It went by once, and the capture ends {:.3} s after it: sooner than a client's TCP sends an unanswered SYN again (about 1 s, RFC 6298), so whether it would have does not show.", u.capture_after_s)
    } else {
        format!(" It went by once, and the capture runs {:.1} s more with no second copy: a client's TCP would have sent it again on the same ports after about 1 s (RFC 6298), so this was a probe, as a port scanner sends, not a client's connect.", u.capture_after_s)
    };
    if let Some((stream, port, gap)) = u.neighbour {
        let when = if gap >= 0.0 { format!("{gap:.3} s later") } else { format!("{:.3} s earlier", -gap) };
        text.push_str(&format!(" Another unanswered SYN from the same address to the same port went by {when} from source port {port} (stream {stream}): a scanner tries a silent port again as a new connection, from a new source port."));
    }
    text
}
