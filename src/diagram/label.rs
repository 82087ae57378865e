//! Arrow labels in the style of the textbook figures: flags, then seq/ack/len/win.

use crate::tcp::TcpPacket;

use super::findings::findings;
use super::ladder::Tag;

/// Short tags for Wireshark's findings on a segment, as shown on its arrow.
pub fn analysis_tags(p: &TcpPacket) -> Vec<Tag> {
    findings(p).into_iter().map(|(kind, text, _)| Tag { kind, text }).collect()
}

/// "SYN,ACK seq=0 ack=1 win=65535 len=0" with relative numbers, or raw ones when `absolute`.
pub fn segment_label(p: &TcpPacket, absolute: bool) -> String {
    let seg = &p.segment;
    let (seq, ack) = if absolute { (seg.seq, seg.ack) } else { (p.seq, p.ack) };
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
}
