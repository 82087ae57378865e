//! The application's messages of one connection, placed on its frames: the followed stream
//! (each byte once, Wireshark's rules: `follow`) fed per direction to `app`'s readers, each
//! message told by the frame that brings its first byte and the frame that completes it (the
//! frame where Wireshark reports it). Made when a connection is shown, never during the read.

mod app_phases;
mod arrow_words;
mod build;
mod line_words;
mod opening_words;
mod segment_words;
mod type_words;
mod words;

use serde::Serialize;

use crate::app::{Message, Protocol, What};
use crate::follow::{FollowChunk, FollowPlan};

pub use app_phases::{app_phase_types, app_phases, AppPhase, MAX_APP_PHASES};
pub use arrow_words::{arrow_labels, arrow_types, run_words, MessageMarks, MessageSpan};
pub use build::MessagesBuild;
pub use opening_words::{opening_type, opening_words};
pub use segment_words::segment_messages;
pub use type_words::type_words;
pub use words::summary;

#[derive(Debug, Clone, Serialize)]
pub struct Messages {
    pub protocol: Protocol,
    pub messages: Vec<Placed>,
}

/// A message and the frames it lies in.
#[derive(Debug, Clone, Serialize)]
pub struct Placed {
    #[serde(flatten)]
    pub message: Message,
    /// The frame that brings the message's first byte, and the one that brings its last.
    pub first_frame: u64,
    pub last_frame: u64,
    /// The same as positions among the connection's segments.
    pub first_index: u32,
    pub last_index: u32,
    /// A TLS 1.3 record of application data read as part of the handshake: the server's before
    /// the client's first encrypted record, and that record (the client's Finished). Inferred
    /// from the order, not read (the bytes are encrypted).
    pub encrypted_handshake: bool,
    /// A TLS 1.3 record of application data not read as the handshake: encrypted, it may be
    /// data or a post-handshake message (a NewSessionTicket, a close_notify alert).
    pub tls13_record: bool,
}

/// The messages of a followed connection; `bytes` gives a chunk's captured bytes (the CLI
/// takes them from the file in memory; the page's worker goes through [`MessagesBuild`] itself,
/// reading the frames it names).
pub fn messages(plan: &FollowPlan, mut bytes: impl FnMut(&FollowChunk) -> Vec<u8>) -> Messages {
    let mut build = MessagesBuild::new();
    loop {
        let needed = build.needs(plan, 256);
        if needed.is_empty() {
            break;
        }
        let given = needed.into_iter().map(|i| (i, bytes(&plan.chunks[i]))).collect();
        build.give(plan, given);
    }
    placed_messages(plan, build)
}

/// The messages a finished build read, placed on their frames.
pub fn placed_messages(plan: &FollowPlan, build: MessagesBuild) -> Messages {
    let (protocol, found) = build.finish();
    // Where each chunk lies in its direction's bytes (with what the capture cut off after it).
    let tails = build::cut_tails(plan);
    let mut ends: [Vec<(u64, usize)>; 2] = [Vec::new(), Vec::new()];
    for (i, c) in plan.chunks.iter().enumerate() {
        let side = &mut ends[usize::from(!c.from_client)];
        let start = side.last().map_or(0, |s| s.0);
        side.push((start + u64::from(c.len()) + u64::from(tails[i]), i));
    }
    let mut placed: Vec<Placed> = found.into_iter().map(|m| place(plan, &ends[usize::from(!m.from_client)], m)).collect();
    placed.sort_by_key(|p| (p.last_frame, p.last_index, !p.message.from_client, p.message.start));
    mark_encrypted_handshake(&mut placed);
    Messages { protocol, messages: placed }
}

/// The frames of a message's first and last byte.
fn place(plan: &FollowPlan, ends: &[(u64, usize)], message: Message) -> Placed {
    let at = |offset: u64| {
        let i = ends.partition_point(|s| s.0 <= offset).min(ends.len().saturating_sub(1));
        ends.get(i).map_or((0, 0), |s| (plan.chunks[s.1].frame, plan.chunks[s.1].index))
    };
    let (mut first_frame, mut first_index) = at(message.start);
    // The frame that completes it: the last of its chunks to arrive, which is not the one of its
    // last byte where segments came out of order (a hole filled later).
    let (mut last_frame, mut last_index) = {
        let from = ends.partition_point(|s| s.0 <= message.start);
        let to = ends.partition_point(|s| s.0 < message.end).min(ends.len().saturating_sub(1));
        ends.get(from..=to.max(from))
            .unwrap_or_default()
            .iter()
            .map(|s| &plan.chunks[s.1])
            .filter(|c| matches!(c.kind, crate::follow::ChunkKind::Bytes { .. }))
            .map(|c| (c.frame, c.index))
            .max()
            .unwrap_or_else(|| at(message.end.saturating_sub(1).max(message.start)))
    };
    if matches!(message.what, What::Gap) {
        // A gap is told where its bytes belong: before the frame that brought the bytes after
        // it (the frame of its chunk is the other side's ACK that showed it).
        let i = ends.partition_point(|s| s.0 <= message.start).min(ends.len().saturating_sub(1));
        if let Some(crate::follow::ChunkKind::Gap { before_frame, .. }) = ends.get(i).map(|s| plan.chunks[s.1].kind) {
            let next = ends[i + 1..].iter().map(|s| &plan.chunks[s.1]).find(|c| matches!(c.kind, crate::follow::ChunkKind::Bytes { .. }));
            (first_frame, last_frame) = (before_frame, before_frame);
            if let Some(c) = next {
                (first_index, last_index) = (c.index, c.index);
            }
        }
    }
    Placed { message, first_frame, last_frame, first_index, last_index, encrypted_handshake: false, tls13_record: false }
}

/// TLS 1.3 hides the handshake after the ServerHello in records of application data. Before
/// the client's Finished the server can send only its handshake (0.5-RTT data aside, which
/// servers rarely send), and the client's first encrypted record is its Finished (0-RTT data
/// aside, which needs a resumed session's early-data offer).
fn mark_encrypted_handshake(placed: &mut [Placed]) {
    let tls13 = placed.iter().any(|p| match &p.message.what {
        What::Tls(r) => r.handshakes.iter().any(|h| h.kind == 2 && h.hello.as_ref().is_some_and(|hello| hello.version == Some(0x0304) && !hello.hello_retry)),
        _ => false,
    });
    let early_data_offered = placed.iter().any(|p| match &p.message.what {
        What::Tls(r) => r.handshakes.iter().any(|h| h.kind == 1 && h.hello.as_ref().is_some_and(|hello| hello.early_data)),
        _ => false,
    });
    if !tls13 || early_data_offered {
        return;
    }
    let app_data = |p: &Placed| matches!(&p.message.what, What::Tls(r) if r.content_type == 23);
    for p in placed.iter_mut().filter(|p| app_data(p)) {
        p.tls13_record = true;
    }
    // The server's handshake ends where the client answers it: its first encrypted record
    // (its Finished), or, where it sends none, the first record it sends after the server's
    // hello (an alert in the clear), or the end of the capture.
    let hello_frame = placed.iter().find(|p| !p.message.from_client && matches!(&p.message.what, What::Tls(r) if r.handshakes.iter().any(|h| h.kind == 2))).map_or(0, |p| p.last_frame);
    let finished = placed.iter().position(|p| p.message.from_client && app_data(p));
    let before = match finished {
        Some(i) => placed[i].first_frame,
        None => placed.iter().find(|p| p.message.from_client && p.first_frame > hello_frame && matches!(p.message.what, What::Tls(_))).map_or(u64::MAX, |p| p.first_frame),
    };
    if let Some(i) = finished {
        placed[i].encrypted_handshake = true;
    }
    for p in placed.iter_mut() {
        if !p.message.from_client && app_data(p) && p.last_frame <= before && p.first_frame >= hello_frame {
            p.encrypted_handshake = true;
        }
    }
    for p in placed.iter_mut().filter(|p| p.encrypted_handshake) {
        p.tls13_record = false;
    }
}
