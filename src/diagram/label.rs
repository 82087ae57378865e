//! Arrow labels in the style of the textbook figures: flags, then seq/ack/len/win.

use crate::tcp::TcpPacket;

use serde::{Deserialize, Serialize};

use super::findings::findings;
use super::vocab::Word;

/// A Wireshark analysis finding shown on an arrow: an identifier and its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    /// Analysis flag name (`retransmission`, `duplicate_ack`, …), also the CSS class suffix.
    #[serde(deserialize_with = "super::vocab::word")]
    pub kind: Word,
    pub text: String,
}

/// Short tags for Wireshark's findings on a segment, as shown on its arrow. An ACK with SACK
/// blocks that Wireshark calls a window update (its window moved by a few bytes) is tagged by
/// what it brings, its SACK report, as its explanation says.
pub fn analysis_tags(p: &TcpPacket) -> Vec<Tag> {
    let sack = !p.segment.options.sack_blocks().is_empty();
    findings(p)
        .into_iter()
        .map(|(kind, text, _)| match kind {
            "window_update" if sack => Tag { kind: "sack", text: "SACK".to_string() },
            _ => Tag { kind, text },
        })
        .collect()
}

/// "SYN,ACK seq=0 ack=1 win=65535 len=0" with relative numbers, or raw ones when `absolute`.
pub fn segment_label(p: &TcpPacket, absolute: bool) -> String {
    let seg = &p.segment;
    let (seq, ack) = if absolute { (seg.seq, seg.ack) } else { (p.seq, p.ack) };
    // A header cut before its flags: only what was captured (R4 F12).
    if !p.flags_captured() {
        return format!("header cut: seq={seq}");
    }
    let mut label = seg.flags.names();
    if label.is_empty() {
        label.push_str("(no flags)");
    }
    label.push_str(&format!(" seq={seq}"));
    if seg.flags.ack() {
        label.push_str(&format!(" ack={ack}"));
    }
    label.push_str(&format!(" win={} len={}", p.window, seg.payload_len));
    label
}

/// The arrow in words, for a screen reader: "frame 8, server to client, FIN ACK, seq 129,
/// ack 129, window 502, no data; Retransmission". The same numbers as the label.
pub fn spoken_label(p: &TcpPacket, absolute: bool, tags: &[Tag]) -> String {
    let seg = &p.segment;
    let (seq, ack) = if absolute { (seg.seq, seg.ack) } else { (p.seq, p.ack) };
    let flags = seg.flags.names().replace(',', " ");
    let mut words = format!(
        "frame {}, {}, {}, seq {seq}",
        p.frame,
        if p.from_client { "client to server" } else { "server to client" },
        if flags.is_empty() { "no flags".to_string() } else { flags }
    );
    if seg.flags.ack() {
        words.push_str(&format!(", ack {ack}"));
    }
    words.push_str(&format!(", window {}, ", p.window));
    words.push_str(&match seg.payload_len {
        0 => "no data".to_string(),
        1 => "1 byte of data".to_string(),
        n => format!("{n} bytes of data"),
    });
    if !tags.is_empty() {
        words.push_str("; ");
        words.push_str(&tags.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(", "));
    }
    words
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::session::analyze_bytes;

    #[test]
    fn handshake_labels_use_relative_numbers_by_default() {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/captures/public/chrissanders_tcp_handshake.pcapng")).unwrap();
        let session = analyze_bytes(&bytes).unwrap();
        let labels: Vec<String> = session.packets().map(|p| segment_label(&p, false)).collect();
        assert_eq!(labels[0], "SYN seq=0 win=8192 len=0");
        assert_eq!(labels[1], "SYN,ACK seq=0 ack=1 win=5840 len=0");
        assert_eq!(labels[2], "ACK seq=1 ack=1 win=16872 len=0");
        assert_eq!(segment_label(&session.packet(1).unwrap(), true), "SYN,ACK seq=233779340 ack=3691127925 win=5840 len=0");
    }

    #[test]
    fn spoken_labels_name_the_frame_the_direction_and_the_numbers() {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/captures/public/chrissanders_tcp_handshake.pcapng")).unwrap();
        let session = analyze_bytes(&bytes).unwrap();
        let p = session.packet(1).unwrap();
        assert_eq!(spoken_label(&p, false, &analysis_tags(&p)), "frame 2, server to client, SYN ACK, seq 0, ack 1, window 5840, no data");
    }
}
