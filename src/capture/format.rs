//! What is known about a capture file as a whole (`FormatInfo`: pcap or pcapng, gzip, byte
//! order, timestamp resolution, link types, counts), gathered while it is read, for the summary
//! and the report.

use serde::Serialize;

/// The container format of a capture file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Container {
    Pcap,
    Pcapng,
}

/// Facts about the file as a whole, gathered while reading it.
#[derive(Debug, Clone)]
pub struct FormatInfo {
    pub container: Container,
    /// The file was gzip-compressed.
    pub gzip: bool,
    /// Byte order of the (first) header.
    pub big_endian: bool,
    /// pcap with nanosecond timestamps (magic a1b23c4d).
    pub nanosecond: bool,
    /// Distinct LINKTYPE_ values of the interfaces, in order of first appearance.
    pub link_types: Vec<u32>,
    /// Packets read (every packet record, whatever its protocol).
    pub packets: u64,
    /// pcapng records that are not packets but that Wireshark numbers as frames all the same
    /// (custom blocks, systemd journal entries), so our frame numbers stay Wireshark's.
    pub non_packet_frames: u64,
    /// Frames whose captured length is below their length on the wire.
    pub truncated_packets: u64,
}

impl FormatInfo {
    pub(crate) fn new(container: Container, big_endian: bool) -> Self {
        FormatInfo {
            container,
            gzip: false,
            big_endian,
            nanosecond: false,
            link_types: Vec::new(),
            packets: 0,
            non_packet_frames: 0,
            truncated_packets: 0,
        }
    }

    pub(crate) fn note_link_type(&mut self, link_type: u32) {
        if !self.link_types.contains(&link_type) {
            self.link_types.push(link_type);
        }
    }

    /// Frame numbers handed out so far: the number of the last frame.
    pub fn frames(&self) -> u64 {
        self.packets + self.non_packet_frames
    }

    /// Counts a packet that is about to be handed out and returns its frame number.
    pub(crate) fn count_frame(&mut self, captured: usize, orig_len: u32) -> u64 {
        self.packets += 1;
        if (captured as u64) < u64::from(orig_len) {
            self.truncated_packets += 1;
        }
        self.frames()
    }

    /// Counts a record that takes a frame number but carries no packet.
    pub(crate) fn count_non_packet_frame(&mut self) -> u64 {
        self.non_packet_frames += 1;
        self.frames()
    }
}
