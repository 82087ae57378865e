//! `RawFrame`: one record of a capture file as the readers hand it on, before any protocol
//! decoding, with the offsets that find its bytes in the file again.

/// One record of a capture file, before any protocol decoding.
#[derive(Debug, Clone, Copy)]
pub struct RawFrame<'a> {
    /// Frame number, counting every packet of the file from 1, as Wireshark does.
    pub number: u64,
    /// Capture time in nanoseconds since the Unix epoch (negative only for odd offsets).
    pub timestamp_ns: i64,
    /// The record carries a time (a pcapng simple packet block does not: its `timestamp_ns`
    /// is 0, 1970, as Wireshark counts it, and means nothing).
    pub timed: bool,
    /// LINKTYPE_ value of the interface the frame was captured on.
    pub link_type: u32,
    /// Index of the pcapng interface (0 for pcap).
    pub interface: u32,
    /// The captured bytes (may be shorter than `orig_len` when the snap length cut them).
    pub data: &'a [u8],
    /// Length of the packet on the wire.
    pub orig_len: u32,
    /// Byte offset of the frame's record in the (decompressed) file.
    pub file_offset: u64,
    /// Byte offset of `data` in the (decompressed) file, to find the bytes again later.
    pub data_offset: u64,
}
