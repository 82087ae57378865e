//! `tcp-ladder messages`: each connection's application messages (`crate::messages`) as JSON,
//! NDJSON or one line each, with the frames that carry them.

use serde::Serialize;

use super::follow::{chunk_bytes, dir_name};
use crate::app::{Protocol, What};
use crate::connection::Connection;
use crate::follow::follow_packets;
use crate::messages::{messages, summary, Messages};

#[derive(Debug, Serialize)]
pub struct StreamMessagesJson {
    pub stream: u32,
    pub protocol: Protocol,
    pub messages: Vec<MessageJson>,
}

#[derive(Debug, Serialize)]
pub struct MessageJson {
    pub dir: &'static str,
    pub first_frame: u64,
    pub last_frame: u64,
    /// Offsets of the message in its direction's bytes (gaps counted by their length).
    pub start: u64,
    pub end: u64,
    pub summary: String,
    /// Inferred, not read: see `messages::Placed::encrypted_handshake`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub encrypted_handshake: bool,
    pub what: What,
}

/// The messages of `conn`, its bytes out of `file` (as `Session::file_bytes` gives it). The
/// stream is followed as the receivers took it: zero bytes that padded a bare ACK and that no
/// end took as data (`Connection::not_taken`) are left out, where Follow TCP Stream shows them.
pub fn connection_messages(conn: &Connection<'_>, file: &[u8]) -> Messages {
    let plan = follow_packets((0..conn.len()).filter_map(|i| conn.packet(i)));
    messages(&plan, |chunk| chunk_bytes(conn, file, chunk))
}

pub fn messages_json(conn: &Connection<'_>, file: &[u8]) -> StreamMessagesJson {
    let found = connection_messages(conn, file);
    StreamMessagesJson {
        stream: conn.index(),
        protocol: found.protocol,
        messages: found
            .messages
            .iter()
            .map(|p| MessageJson {
                dir: dir_name(p.message.from_client),
                first_frame: p.first_frame,
                last_frame: p.last_frame,
                start: p.message.start,
                end: p.message.end,
                summary: summary(p),
                encrypted_handshake: p.encrypted_handshake,
                what: p.message.what.clone(),
            })
            .collect(),
    }
}

/// One line per message: stream, frames, direction and summary.
pub fn messages_text(all: &[StreamMessagesJson]) -> String {
    let mut out = String::new();
    for s in all {
        for m in &s.messages {
            let frames = if m.first_frame == m.last_frame { m.first_frame.to_string() } else { format!("{}-{}", m.first_frame, m.last_frame) };
            out.push_str(&format!("{}\t{}\t{}\t{}\n", s.stream, frames, m.dir, m.summary));
        }
    }
    out
}
