//! The connection list as the page shows it: one row per connection, filtered by a query and
//! sorted by a column. Pure data, so the view only draws it.

use serde::{Deserialize, Serialize};

use crate::paged::PagedVec;
use crate::session::Session;
use crate::tcp::lifecycle::{CloseShape, OpenShape};
use crate::tcp::Stream;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SortKey {
    /// By `tcp.stream` index (capture order).
    #[default]
    Stream,
    Packets,
    Bytes,
    Problems,
    Duration,
}

impl SortKey {
    pub const ALL: [(SortKey, &'static str); 5] = [
        (SortKey::Stream, "order in capture"),
        (SortKey::Packets, "most packets"),
        (SortKey::Bytes, "most bytes"),
        (SortKey::Problems, "most problems"),
        (SortKey::Duration, "longest"),
    ];
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub stream: u32,
    pub endpoints: String,
    pub counts: String,
    /// "handshake → four_way" in words.
    pub shape: String,
    pub problems: u64,
    pub retransmissions: u64,
}

fn open_word(o: OpenShape) -> &'static str {
    match o {
        OpenShape::Handshake => "handshake",
        OpenShape::SimultaneousOpen => "simultaneous open",
        OpenShape::Refused => "refused",
        OpenShape::Unanswered => "unanswered SYN",
        OpenShape::BeforeCapture => "started before capture",
    }
}

fn close_word(c: Option<CloseShape>) -> &'static str {
    match c {
        Some(CloseShape::FourWay) => "four-way close",
        Some(CloseShape::ThreeSegment) => "three-segment close",
        Some(CloseShape::Simultaneous) => "simultaneous close",
        Some(CloseShape::Reset) => "reset",
        Some(CloseShape::OpenAtEnd) => "open at end",
        None => "never opened",
    }
}

/// The row of one connection.
pub fn row(s: &Stream) -> Row {
    let shapes = s.lifecycle.shapes();
    Row {
        stream: s.index,
        endpoints: format!("{} → {}", s.client, s.server),
        counts: format!("{} pkts · {} B → · {} B ←", s.packets, s.payload_bytes_c2s, s.payload_bytes_s2c),
        shape: format!("{} · {}", open_word(shapes.open), close_word(shapes.close)),
        problems: s.problem_packets,
        retransmissions: s.retransmissions,
    }
}

/// The connections matching `query` (case-insensitive words, all of which must appear in the
/// addresses, ports, shape or the word "problems" for connections that have some), by index,
/// sorted. The list shows a window of these, so only visible rows are ever formatted for it.
pub fn matching(streams: &PagedVec<Stream>, query: &str, sort: SortKey) -> Vec<u32> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let mut matched: Vec<&Stream> = if words.is_empty() {
        streams.iter().collect()
    } else {
        streams
            .iter()
            .filter(|s| {
                let r = row(s);
                let haystack = format!("#{} {} {} {}", r.stream, r.endpoints, r.shape, if r.problems > 0 { "problems" } else { "" }).to_lowercase();
                words.iter().all(|w| haystack.contains(w.as_str()))
            })
            .collect()
    };
    let key = |s: &Stream| -> i128 {
        match sort {
            SortKey::Stream => -i128::from(s.index),
            SortKey::Packets => i128::from(s.packets),
            SortKey::Bytes => i128::from(s.payload_bytes_c2s + s.payload_bytes_s2c),
            SortKey::Problems => i128::from(s.problem_packets),
            SortKey::Duration => i128::from(s.last_time_ns - s.first_time_ns),
        }
    };
    // Largest first; ties (and the default) in capture order.
    if sort != SortKey::Stream {
        matched.sort_by(|a, b| key(b).cmp(&key(a)).then(a.index.cmp(&b.index)));
    }
    matched.into_iter().map(|s| s.index).collect()
}

/// Every matching row, formatted (for tests and small captures).
pub fn rows(session: &Session, query: &str, sort: SortKey) -> Vec<Row> {
    let streams = session.streams();
    matching(streams, query, sort).into_iter().map(|i| row(&streams[i as usize])).collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::session::analyze_bytes;

    fn synscan() -> Session {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/captures/public/chrissanders_synscan.pcapng");
        analyze_bytes(&std::fs::read(path).unwrap()).unwrap()
    }

    #[test]
    fn filters_by_shape_and_port_and_sorts() {
        let session = synscan();
        let all = rows(&session, "", SortKey::Stream);
        assert_eq!(all.len(), 1994);
        assert_eq!(all[0].stream, 0);
        let refused = rows(&session, "refused", SortKey::Stream);
        assert_eq!(refused.len(), session.streams().iter().filter(|s| s.lifecycle.shapes().open == OpenShape::Refused).count());
        assert!(!refused.is_empty() && refused.iter().all(|r| r.shape.starts_with("refused")));
        let port = rows(&session, ":443 handshake", SortKey::Stream);
        assert!(port.iter().all(|r| r.endpoints.contains(":443") && r.shape.contains("handshake")));
        let by_packets = rows(&session, "", SortKey::Packets);
        assert!(by_packets.windows(2).all(|w| {
            let p = |r: &Row| session.streams()[r.stream as usize].packets;
            p(&w[0]) >= p(&w[1])
        }));
    }
}
