//! `tcp-ladder follow`: a connection's reassembled payload (see [`crate::follow`]) as JSON,
//! as text, or as the raw bytes.

use std::fmt::Write as _;

use serde::Serialize;

use super::json::{endpoint, EndpointJson};
use crate::follow::{follow, ChunkKind, FollowChunk};
use crate::connection::Connection;

#[derive(Debug, Serialize)]
pub struct FollowJson {
    pub stream: u32,
    pub client: EndpointJson,
    pub server: EndpointJson,
    pub chunks: Vec<ChunkJson>,
    pub gaps: Vec<GapJson>,
}

#[derive(Debug, Serialize)]
pub struct ChunkJson {
    pub frame: u64,
    pub dir: &'static str,
    pub hex: String,
}

#[derive(Debug, Serialize)]
pub struct GapJson {
    pub dir: &'static str,
    /// Relative sequence number of the first missing byte.
    pub seq: u32,
    pub len: u32,
    pub before_frame: u64,
}

pub fn dir_name(from_client: bool) -> &'static str {
    if from_client {
        "c2s"
    } else {
        "s2c"
    }
}

/// The bytes of a chunk of `conn`, out of `file`: the (decompressed) file the session read,
/// as `Session::file_bytes` gives it.
pub fn chunk_bytes(conn: &Connection<'_>, file: &[u8], chunk: &FollowChunk) -> Vec<u8> {
    let payload = match chunk.kind {
        ChunkKind::Gap { .. } => &[][..],
        ChunkKind::Bytes { .. } => match conn.packet_as_captured(chunk.index as usize) {
            Some(p) => conn.payload_of(&p, p.frame_in(file)),
            None => &[],
        },
    };
    chunk.bytes(payload).into_owned()
}

/// The followed stream as JSON (`file`: as for [`chunk_bytes`]).
pub fn follow_json(conn: &Connection<'_>, file: &[u8]) -> FollowJson {
    let s = conn.stream();
    let plan = follow(conn);
    let mut chunks = Vec::new();
    let mut gaps = Vec::new();
    for c in &plan.chunks {
        match c.kind {
            ChunkKind::Bytes { .. } => {
                let bytes = chunk_bytes(conn, file, c);
                let mut hex = String::with_capacity(bytes.len() * 2);
                for b in &bytes {
                    let _ = write!(hex, "{b:02x}");
                }
                chunks.push(ChunkJson { frame: c.frame, dir: dir_name(c.from_client), hex });
            }
            ChunkKind::Gap { len, before_frame } => gaps.push(GapJson { dir: dir_name(c.from_client), seq: c.seq, len, before_frame }),
        }
    }
    FollowJson { stream: conn.index(), client: endpoint(&s.client), server: endpoint(&s.server), chunks, gaps }
}

/// The stream as text, as Follow TCP Stream shows it: printable ASCII and valid UTF-8 as they
/// are, other bytes as dots; the server's chunks indented by a tab, gaps as Wireshark marks them
/// (`file`: as for [`chunk_bytes`]).
pub fn follow_text(conn: &Connection<'_>, file: &[u8]) -> String {
    let s = conn.stream();
    let plan = follow(conn);
    let mut out = format!("Follow TCP stream {}\nclient {}\nserver {} (indented)\n\n", conn.index(), s.client, s.server);
    for c in &plan.chunks {
        let text = match c.kind {
            ChunkKind::Gap { len, .. } => format!("[{len} bytes missing in capture file]"),
            ChunkKind::Bytes { .. } => printable(&chunk_bytes(conn, file, c)),
        };
        for line in text.split('\n') {
            if !c.from_client {
                out.push('\t');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Bytes as readable text: valid UTF-8 is kept (except control characters other than tab and
/// line ends, which become dots), invalid bytes become dots.
pub fn printable(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for piece in bytes.utf8_chunks() {
        let mut chars = piece.valid().chars().peekable();
        while let Some(ch) = chars.next() {
            if ch == '\r' && chars.peek() == Some(&'\n') {
                continue; // A CRLF line end is a line end.
            }
            out.push(if ch == '\n' || ch == '\t' || !ch.is_control() { ch } else { '.' });
        }
        for _ in piece.invalid() {
            out.push('.');
        }
    }
    out
}

/// The raw bytes, both directions in order or one (`Some(true)`: the client's; `file`: as for
/// [`chunk_bytes`]).
pub fn follow_raw(conn: &Connection<'_>, file: &[u8], only: Option<bool>) -> Vec<u8> {
    let plan = follow(conn);
    let mut out = Vec::new();
    for c in plan.chunks.iter().filter(|c| only.is_none_or(|client| c.from_client == client)) {
        if let ChunkKind::Bytes { .. } = c.kind {
            out.extend_from_slice(&chunk_bytes(conn, file, c));
        }
    }
    out
}

/// Bytes as hex dump lines, Wireshark's layout: offset, sixteen bytes in hex, the same bytes as
/// ASCII (printable characters as themselves, the rest as dots). `offset` numbers the first.
pub fn hex_lines(bytes: &[u8], offset: u64) -> Vec<String> {
    bytes
        .chunks(16)
        .enumerate()
        .map(|(row, chunk)| {
            let mut line = format!("{:08x}  ", offset + row as u64 * 16);
            for i in 0..16 {
                match chunk.get(i) {
                    Some(b) => line += &format!("{b:02x} "),
                    None => line += "   ",
                }
                if i == 7 {
                    line.push(' ');
                }
            }
            line.push(' ');
            line.extend(chunk.iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '.' }));
            line
        })
        .collect()
}
