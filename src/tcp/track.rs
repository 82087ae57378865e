//! One path from a frame's bytes to an analysed segment: decoded (`decode`), placed in its
//! connection by a [`TcpTracker`], and told where its bytes are in the file. The single pass
//! over a capture (`session`) and a connection read again from the file (`reanalysis`) both
//! take it, so a segment re-analysed is made exactly as it was the first time.

use super::{TcpPacket, TcpTracker};
use crate::decode::{Decoded, Defragmenter, FragmentFrame, Reassembly};

/// A frame as read from the (decompressed) file, whichever way it was read.
#[derive(Debug, Clone, Copy)]
pub struct FrameRead<'a> {
    /// Frame number, counting every packet of the file from 1.
    pub number: u64,
    /// Capture time, ns after the capture's first frame.
    pub time_ns: i64,
    /// LINKTYPE_ value of the interface it was captured on.
    pub link_type: u32,
    /// The captured bytes.
    pub data: &'a [u8],
    /// Length on the wire (decoding believes the IP length fields only up to it).
    pub orig_len: u32,
    /// Where `data` starts in the file, to find the bytes again later.
    pub data_offset: u64,
}

/// Decodes `frame` and, if it holds a TCP segment, places it in its connection through
/// `tracker` and returns it with where its bytes are; otherwise what the frame holds. An IP
/// fragment waits in `defrag` for the rest of its datagram; the frame that completes it gives
/// the datagram's segment, with the fragments it was put back together from.
pub fn track_frame(tracker: &mut TcpTracker, defrag: &mut Defragmenter, frame: &FrameRead<'_>) -> Result<(TcpPacket, Option<Reassembly>), Decoded> {
    let at = FragmentFrame {
        number: frame.number,
        time_ns: frame.time_ns,
        data_offset: frame.data_offset,
        cap_len: frame.data.len() as u32,
        orig_len: frame.orig_len,
        link_type: frame.link_type,
    };
    match defrag.decode(at, frame.data) {
        (Decoded::Tcp(segment), reassembly) => {
            let mut packet = tracker.push(frame.number, frame.time_ns, &segment);
            packet.data_offset = frame.data_offset;
            packet.cap_len = frame.data.len() as u32;
            packet.link_type = frame.link_type as u16;
            Ok((packet, reassembly))
        }
        (other, _) => Err(other),
    }
}
