//! Words for a TCP segment that IP split into fragments (RFC 791 §2.3, RFC 8200 §4.5): the
//! capture holds every byte, in several frames, and the segment is read whole where its last
//! fragment completed it (as tshark places it). Without this sentence a learner sees the
//! segment at a frame whose bytes do not hold its TCP header, and fewer frames than packets.

use crate::decode::Reassembly;
use crate::tcp::TcpPacket;

/// "Reassembled from 2 IP fragments (frames 6 and 7) …", for a segment put back together from
/// `reassembly`'s fragments.
pub fn reassembled_sentence(p: &TcpPacket, reassembly: &Reassembly) -> String {
    let frames: Vec<String> = reassembly.fragments.iter().map(|f| f.number.to_string()).collect();
    let list = match frames.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => frames.join(""),
    };
    format!(
        "Reassembled from {} IP fragments (frames {list}; RFC 791): IP split this segment, and it is read whole at frame {}, the fragment that completed it, so all {} bytes were captured.",
        reassembly.fragments.len(),
        reassembly.frame(),
        p.segment.payload_len
    )
}
