//! A half-close as its own phase (issue #23): one side's FIN closes only its own direction
//! (RFC 9293 §3.6: "no more data from me"); when the other side goes on sending data before its
//! own FIN, that stretch is not part of a "four-way close" but a phase of its own, and the
//! close proper starts at the second FIN.

use crate::tcp::lifecycle::CloseShape;

/// The stretch between the first FIN and the other side's FIN during which that other side
/// kept sending data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HalfClose {
    /// The side that closed first is the client.
    pub by_client: bool,
    /// The first FIN's frame (the phase starts there).
    pub fin_frame: u64,
    /// The last segment before the other side's FIN (the phase ends there).
    pub last_frame: u64,
    /// The other side's FIN, if captured (the close proper starts there).
    pub other_fin: Option<u64>,
    /// Payload bytes and segments the other side sent in between (every copy counted).
    pub bytes: u64,
    pub segments: usize,
}

/// The first FIN of the two sides' (client, server) and whether the client sent it.
pub fn first_fin(fins: [Option<u64>; 2]) -> Option<(u64, bool)> {
    match fins {
        [Some(c), Some(s)] => Some((c.min(s), c < s)),
        [Some(c), None] => Some((c, true)),
        [None, Some(s)] => Some((s, false)),
        [None, None] => None,
    }
}

/// The half-close of a connection whose segments are `(frame, from_client, payload, fin)` in
/// capture order, closing as `close` over `close_frames`, the sides' FINs being `fins`
/// (client, server). `None` when nobody sent data after the other's FIN inside the close.
pub fn half_close(all: impl Iterator<Item = (u64, bool, u32, bool)>, close: Option<CloseShape>, close_frames: Option<(u64, u64)>, fins: [Option<u64>; 2]) -> Option<HalfClose> {
    // Only a four-way close has its second FIN after the data (a reset or a connection open at
    // the end keeps its one bracket; its data caption still names the half-close).
    if close != Some(CloseShape::FourWay) {
        return None;
    }
    let (start, end) = close_frames?;
    let (fin_frame, by_client) = first_fin(fins)?;
    let other_fin = fins[usize::from(by_client)];
    let (mut bytes, mut segments, mut last_frame) = (0u64, 0usize, fin_frame);
    for (frame, from_client, payload, _) in all.filter(|s| s.0 > fin_frame && s.0 >= start && s.0 <= end) {
        if other_fin.is_some_and(|f| frame >= f) {
            break;
        }
        last_frame = frame;
        if from_client != by_client && payload > 0 {
            bytes += u64::from(payload);
            segments += 1;
        }
    }
    (bytes > 0).then_some(HalfClose { by_client, fin_frame, last_frame, other_fin, bytes, segments })
}

fn sides(h: &HalfClose) -> (&'static str, &'static str) {
    if h.by_client {
        ("client", "server")
    } else {
        ("server", "client")
    }
}

pub fn half_close_title(h: &HalfClose) -> String {
    let (closer, other) = sides(h);
    format!("Half-close: the {other} kept sending {} bytes after the {closer}'s FIN", h.bytes)
}

pub fn half_close_caption(h: &HalfClose) -> String {
    let (closer, other) = sides(h);
    format!(
        "The {closer}'s FIN (frame {}) closes only its own direction: it will send no more data, but it still receives (FIN-WAIT-2 once its FIN is acknowledged). The {other} (CLOSE-WAIT) goes on sending: {} bytes in {} segments (every copy counted, resends included), {}.",
        h.fin_frame,
        h.bytes,
        h.segments,
        match h.other_fin {
            Some(f) => format!("until its own FIN in frame {f} starts the close"),
            None => "and the capture holds no FIN of its own".to_string(),
        }
    )
}

/// The data caption, its own count of bytes sent after the FIN left out, pointing to the
/// half-close's phase, which counts them (one number for one quantity).
pub fn data_caption_pointing_to(caption: String, h: &HalfClose) -> String {
    let (closer, other) = sides(h);
    format!("{caption} The {other} went on sending after the {closer}'s FIN: the half-close below counts those bytes.")
}

/// The close's caption once the half-close before it has its own phase (a four-way close
/// whose first FIN is in the half-close's bracket).
pub fn close_after_half_close(h: &HalfClose, last_ack_captured: bool) -> String {
    let (closer, other) = sides(h);
    if last_ack_captured {
        format!("After the half-close, the {other} sends its own FIN (LAST-ACK); the {closer}, in FIN-WAIT-2, acknowledges that and waits in TIME-WAIT for 2×MSL: the four-way close's last two segments.")
    } else {
        format!("After the half-close, the {other} sends its own FIN (LAST-ACK); the capture ends before the {closer}'s ACK of it.")
    }
}

/// One side's FIN and no other's when the capture ends (and no RST): the phase from that FIN
/// on, as `(title, caption, fin frame)` (R6b U2: ndpi_1kxun streams 2, 19, 20 and 29 had a FIN
/// and no close in their phases). `fins` are the sides' FINs (client, server) with the frame
/// that acknowledged each; `resent`: the FIN went by more than once.
pub fn half_closed_at_end(close: Option<CloseShape>, fins: [Option<(u64, Option<u64>)>; 2]) -> Option<(String, String, u64)> {
    let (by_client, (fin, acked)) = lone_fin(close, fins)?;
    let (closer, other) = if by_client { ("client", "server") } else { ("server", "client") };
    let caption = match acked {
        Some(ack) => format!(
            "The {closer} sends FIN (frame {fin}): it will send no more data (FIN-WAIT-1). The {other} acknowledges it in frame {ack} (CLOSE-WAIT; the {closer} then waits in FIN-WAIT-2 for the {other}'s FIN). The capture ends before the {other} sends a FIN of its own: its direction is still open, and the close is not complete in the capture."
        ),
        None => format!(
            "The {closer} sends FIN (frame {fin}): it will send no more data (FIN-WAIT-1). No ACK of it is in the capture, nor a FIN from the {other}: the close is not complete when the capture ends."
        ),
    };
    Some((format!("Half-closed at the end: the {closer}'s FIN only"), caption, fin))
}

/// The one FIN of a connection still open at the end of the capture: whether the client's, its
/// frame and the frame that acknowledged it.
pub fn lone_fin(close: Option<CloseShape>, fins: [Option<(u64, Option<u64>)>; 2]) -> Option<(bool, (u64, Option<u64>))> {
    match (close, fins) {
        (Some(CloseShape::OpenAtEnd), [Some(c), None]) => Some((true, c)),
        (Some(CloseShape::OpenAtEnd), [None, Some(s)]) => Some((false, s)),
        _ => None,
    }
}
