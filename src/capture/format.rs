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
    /// Frames read (every record, whatever its protocol).
    pub packets: u64,
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
            truncated_packets: 0,
        }
    }

    pub(crate) fn note_link_type(&mut self, link_type: u32) {
        if !self.link_types.contains(&link_type) {
            self.link_types.push(link_type);
        }
    }

    /// Counts a frame that is about to be handed out and returns its number.
    pub(crate) fn count_frame(&mut self, captured: usize, orig_len: u32) -> u64 {
        self.packets += 1;
        if (captured as u64) < u64::from(orig_len) {
            self.truncated_packets += 1;
        }
        self.packets
    }
}
