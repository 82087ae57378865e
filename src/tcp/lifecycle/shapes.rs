//! The named shapes of a connection's open and close, read off its facts.

use serde::Serialize;

use super::facts::{Fr, Lifecycle};

/// How the connection opened (stable identifiers of the JSON and the page's `data-kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenShape {
    /// SYN, SYN-ACK, ACK.
    Handshake,
    /// Both sides sent a SYN before seeing the other's.
    SimultaneousOpen,
    /// The SYN was answered by a RST.
    Refused,
    /// A SYN with no SYN-ACK in the capture.
    Unanswered,
    /// No SYN in the capture: the connection began before it.
    BeforeCapture,
}

/// How the connection ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseShape {
    /// FIN, ACK, FIN, ACK.
    FourWay,
    /// FIN, then the other side's ACK of it and its own FIN in one segment, then ACK.
    ThreeSegment,
    /// The FINs crossed: each was sent before the other arrived (both sides FIN-WAIT-1 → CLOSING).
    Simultaneous,
    /// Aborted by a RST after the connection was open.
    Reset,
    /// Still open (or only half-closed) when the capture ends.
    OpenAtEnd,
}

impl OpenShape {
    /// The stable identifier (JSON value and the page's `data-kind`).
    pub fn id(self) -> &'static str {
        match self {
            OpenShape::Handshake => "handshake",
            OpenShape::SimultaneousOpen => "simultaneous_open",
            OpenShape::Refused => "refused",
            OpenShape::Unanswered => "unanswered",
            OpenShape::BeforeCapture => "before_capture",
        }
    }
}

impl CloseShape {
    /// The stable identifier (JSON value and the page's `data-kind`).
    pub fn id(self) -> &'static str {
        match self {
            CloseShape::FourWay => "four_way",
            CloseShape::ThreeSegment => "three_segment",
            CloseShape::Simultaneous => "simultaneous",
            CloseShape::Reset => "reset",
            CloseShape::OpenAtEnd => "open_at_end",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosedBy {
    Client,
    Server,
    Both,
}

/// The shapes of one connection, with the frames that make each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shapes {
    pub open: OpenShape,
    /// First and last frame of the open (SYN … handshake ACK), when the capture has it.
    pub open_frames: Option<(u64, u64)>,
    pub syn_retries: u32,
    /// A handshake whose third segment (the ACK of the SYN-ACK) is in the capture.
    pub handshake_completed: bool,
    /// SYN-ACKs the server sent (more than one: it was not acknowledged in time).
    pub syn_acks: u32,
    /// Each side's FIN (client, server): its frame and the frame that acknowledged it.
    pub fins: [Option<(u64, Option<u64>)>; 2],
    /// The RST that ended the connection, and who sent it.
    pub rst: Option<(u64, ClosedBy)>,
    /// The server's RST that refused the client's SYN, and the client's same SYN sent again
    /// after it (which then opened the connection, or was refused or unanswered in turn).
    pub refused_then_retried: Option<(u64, u64)>,
    /// `None` for a connection that never opened (refused, unanswered).
    pub close: Option<CloseShape>,
    pub close_frames: Option<(u64, u64)>,
    pub closed_by: Option<ClosedBy>,
    pub half_close: bool,
}

fn side(index: usize) -> ClosedBy {
    if index == 0 {
        ClosedBy::Client
    } else {
        ClosedBy::Server
    }
}

impl Lifecycle {
    pub fn shapes(&self) -> Shapes {
        let (open, open_frames) = self.open_shape();
        let never_opened = matches!(open, OpenShape::Refused | OpenShape::Unanswered);
        let (close, close_frames, closed_by) = if never_opened { (None, None, None) } else { self.close_shape() };
        let frames = |f: Option<(Fr, Fr)>| f.map(|(a, b)| (a.get(), b.get()));
        let (open_frames, close_frames) = (frames(open_frames), frames(close_frames));
        Shapes {
            open,
            open_frames,
            syn_retries: self.syn_retries,
            handshake_completed: self.handshake_ack.is_some() || open == OpenShape::SimultaneousOpen,
            syn_acks: self.syn_acks,
            fins: [0, 1].map(|i| self.fin[i].map(|f| (f.frame.get(), f.acked_by.map(Fr::get)))),
            rst: self.rst.map(|(frame, sender)| (frame.get(), side(usize::from(sender)))),
            refused_then_retried: self.refused_then_retried.map(|(rst, retry)| (rst.get(), retry.get())),
            close,
            close_frames,
            closed_by,
            half_close: self.data_after_peer_fin.iter().any(|&b| b),
        }
    }

    fn open_shape(&self) -> (OpenShape, Option<(Fr, Fr)>) {
        match (self.syn[0], self.syn[1]) {
            (Some(a), Some(b)) => {
                let last = self.syn_ack.iter().flatten().max().copied().unwrap_or(a.max(b));
                return (OpenShape::SimultaneousOpen, Some((a.min(b), last)));
            }
            (Some(syn), None) => {
                if let Some(syn_ack) = self.syn_ack[1] {
                    // Without the third segment the open lasts to the last SYN-ACK sent.
                    let end = self.handshake_ack.unwrap_or(self.last_syn_ack.unwrap_or(syn_ack));
                    return (OpenShape::Handshake, Some((syn, end)));
                }
                if let Some((rst, 1)) = self.rst {
                    return (OpenShape::Refused, Some((syn, rst)));
                }
                return (OpenShape::Unanswered, Some((syn, self.last_syn.unwrap_or(syn))));
            }
            // No SYN captured, but the server's SYN-ACK was (R8b-13, zeek_tcp_missing-syn): the
            // handshake's end is in the capture and is its opening phase.
            (None, None) => {
                if let Some(syn_ack) = self.syn_ack[1] {
                    return (OpenShape::BeforeCapture, Some((syn_ack, self.handshake_ack.unwrap_or(self.last_syn_ack.unwrap_or(syn_ack)))));
                }
            }
            _ => {}
        }
        (OpenShape::BeforeCapture, None)
    }

    fn close_shape(&self) -> (Option<CloseShape>, Option<(Fr, Fr)>, Option<ClosedBy>) {
        let fins = (self.fin[0], self.fin[1]);
        let first_fin = match fins {
            (Some(a), Some(b)) => Some(if a.frame <= b.frame { 0 } else { 1 }),
            (Some(_), None) => Some(0),
            (None, Some(_)) => Some(1),
            (None, None) => None,
        };
        if let Some((rst_frame, sender)) = self.rst {
            let start = first_fin.and_then(|i| self.fin[i]).map_or(rst_frame, |f| f.frame.min(rst_frame));
            return (Some(CloseShape::Reset), Some((start, rst_frame)), Some(side(usize::from(sender))));
        }
        let (Some(a), Some(b)) = fins else {
            return (Some(CloseShape::OpenAtEnd), None, None);
        };
        let active = first_fin.unwrap_or(0);
        let (first, second) = if active == 0 { (a, b) } else { (b, a) };
        let end = [first.acked_by, second.acked_by].into_iter().flatten().max().unwrap_or(second.frame).max(second.frame);
        let frames = Some((first.frame, end));
        match first.acked_by {
            // The passive side's FIN is the first segment to acknowledge the active FIN.
            Some(ack) if ack == second.frame => (Some(CloseShape::ThreeSegment), frames, Some(side(active))),
            Some(ack) if ack < second.frame => (Some(CloseShape::FourWay), frames, Some(side(active))),
            // The second FIN went out before the first was acknowledged: they crossed.
            _ => (Some(CloseShape::Simultaneous), frames, Some(ClosedBy::Both)),
        }
    }
}

/// No connection existed: no SYN was captured and no segment before the RST (frame `rst`)
/// carried ACK (every segment of a synchronized connection does, RFC 9293 §3.10.7.4) — a probe
/// and a port's answer. One rule for the ladder's caption and the time split's words.
pub fn no_connection(wires: &[super::Wire], rst: u64) -> bool {
    !wires.iter().any(|w| w.flags.syn()) && !wires.iter().any(|w| w.frame < rst && w.flags.ack() && !w.flags.rst())
}

/// The frame where the side that sent `syn` sent the same SYN again (its ISN) after the RST at
/// `rst` (an index into `wires`): a connect retried after a refusal, in SYN-SENT still.
pub fn retried_syn(wires: &[super::Wire], rst: usize, syn: &super::Wire) -> Option<u64> {
    wires.get(rst + 1..)?.iter().find(|o| o.from_client == syn.from_client && o.pure_syn() && o.seq == syn.seq).map(|o| o.frame)
}

/// Segment `index` repeats bytes or a FIN its sender had sent before: an ACK that covers it
/// covers the first copy too, so it does not show this one arrived (R40C-1: zeek_http_get-gzip's
/// server ACK in frame 13 echoes the client's first FIN, frame 10, and left before the FIN's
/// copy in frame 12 can have reached it). Not a SYN-ACK repeating its sender's SYN: there the
/// D-SACK of the later ACK shows the copy arrived (real/simultaneous_open frames 5, 6), and
/// `Replay::confirms` weighs it. A look back: asked a few times a connection.
pub(super) fn repeats_earlier(segs: &[super::evidence::Wire], index: usize) -> bool {
    first_copy(segs, index).is_some()
}

/// The first earlier segment of the same sender whose sequence space covers all of segment
/// `index`'s (bytes, FIN), if `index` repeats one: the frame a state line names as the first
/// copy (R43-3: "its FIN again, first sent in frame 157").
pub fn first_copy(segs: &[super::evidence::Wire], index: usize) -> Option<&super::evidence::Wire> {
    let w = segs[index];
    let occupies = |o: &super::evidence::Wire| !o.flags.rst() && (o.len > 0 || o.flags.syn() || o.flags.fin());
    if w.flags.syn() || !occupies(&w) {
        return None;
    }
    segs[..index].iter().find(|o| o.from_client == w.from_client && occupies(o) && !o.seq.after(w.seq) && o.end().at_or_after(w.end()))
}
