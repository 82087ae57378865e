//! The application's messages of one connection, placed on its frames: the followed stream
//! (each byte once, Wireshark's rules: `follow`) fed per direction to `app`'s readers, each
//! message told by the frame that brings its first byte and the frame that completes it (the
//! frame where Wireshark reports it). Made when a connection is shown, never during the read.

mod words;

use serde::Serialize;

use crate::app::{self, Message, Piece, Protocol, What};
use crate::follow::{ChunkKind, FollowChunk, FollowPlan};

pub use words::summary;

/// Bytes of each direction's start read to tell the protocol (an HTTP request line can be
/// long).
const DETECT_BYTES: usize = 2048;

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
}

/// Where one chunk of the plan lies in its direction's bytes.
struct Span {
    end: u64,
    chunk: usize,
}

/// The messages of a followed connection; `bytes` gives a chunk's captured bytes (the page's
/// worker and the CLI take them from different places).
pub fn messages(plan: &FollowPlan, mut bytes: impl FnMut(&FollowChunk) -> Vec<u8>) -> Messages {
    let mut spans: [Vec<Span>; 2] = [Vec::new(), Vec::new()];
    for (i, c) in plan.chunks.iter().enumerate() {
        let side = &mut spans[usize::from(!c.from_client)];
        let start = side.last().map_or(0, |s| s.end);
        side.push(Span { end: start + u64::from(c.len()), chunk: i });
    }
    let first = |side: &[Span], bytes: &mut dyn FnMut(&FollowChunk) -> Vec<u8>| {
        let mut head = Vec::new();
        for s in side {
            let c = &plan.chunks[s.chunk];
            if matches!(c.kind, ChunkKind::Gap { .. }) || head.len() >= DETECT_BYTES {
                break;
            }
            head.extend(bytes(c));
        }
        head
    };
    let protocol = app::detect(&first(&spans[0], &mut bytes), &first(&spans[1], &mut bytes));
    let client = read_side(plan, &spans[0], protocol, true, &app::Context::default(), &mut bytes);
    let context = app::context_from(&client);
    let server = read_side(plan, &spans[1], protocol, false, &context, &mut bytes);
    let mut placed: Vec<Placed> = client.into_iter().map(|m| place(plan, &spans[0], m)).chain(server.into_iter().map(|m| place(plan, &spans[1], m))).collect();
    placed.sort_by_key(|p| (p.last_frame, p.last_index, p.message.start));
    mark_encrypted_handshake(&mut placed);
    Messages { protocol, messages: placed }
}

fn read_side(plan: &FollowPlan, side: &[Span], protocol: Protocol, from_client: bool, context: &app::Context, bytes: &mut impl FnMut(&FollowChunk) -> Vec<u8>) -> Vec<Message> {
    let mut reader = app::DirectionReader::new(protocol, from_client, context);
    for s in side {
        let c = &plan.chunks[s.chunk];
        match c.kind {
            ChunkKind::Gap { len, .. } => reader.piece(Piece::Gap(u64::from(len))),
            ChunkKind::Bytes { .. } => reader.piece(Piece::Bytes(&bytes(c))),
        }
    }
    reader.finish()
}

/// The frames of a message's first and last byte.
fn place(plan: &FollowPlan, side: &[Span], message: Message) -> Placed {
    let at = |offset: u64| {
        let i = side.partition_point(|s| s.end <= offset).min(side.len().saturating_sub(1));
        side.get(i).map_or((0, 0), |s| (plan.chunks[s.chunk].frame, plan.chunks[s.chunk].index))
    };
    let (first_frame, first_index) = at(message.start);
    let (last_frame, last_index) = at(message.end.saturating_sub(1).max(message.start));
    Placed { message, first_frame, last_frame, first_index, last_index, encrypted_handshake: false }
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
    let Some(finished) = placed.iter().position(|p| p.message.from_client && app_data(p)) else { return };
    let before = placed[finished].first_frame;
    placed[finished].encrypted_handshake = true;
    for p in placed.iter_mut() {
        if !p.message.from_client && app_data(p) && p.last_frame <= before {
            p.encrypted_handshake = true;
        }
    }
}
