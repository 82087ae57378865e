//! pcapng files: several sections (each with its own byte order), several interfaces with their
//! own link types and timestamp resolution/offset (`if_tsresol`, `if_tsoffset`, applied by
//! `pcap_file`'s state), Enhanced, Simple and obsolete Packet blocks. Every other block type,
//! known or not, is skipped. Like the pcap reader, it is fed the file a piece at a time.

use pcap_file::pcapng::blocks::Block;
use pcap_file::pcapng::{PcapNgParseError, PcapNgParser};
use pcap_file::Endianness;

use super::format::{Container, FormatInfo};
use super::pcap::Fed;
use super::{Damage, NotACapture, RawFrame};

/// Block types that carry packets; everything else only updates state or is skipped.
const ENHANCED_PACKET: u32 = 6;
const SIMPLE_PACKET: u32 = 3;
const OBSOLETE_PACKET: u32 = 2;
/// Records Wireshark numbers as frames although they hold no packet: systemd journal export
/// and custom blocks (copiable and not).
const NUMBERED_NON_PACKETS: [u32; 3] = [0x0000_0009, 0x0000_0bad, 0x4000_0bad];

/// A block claiming more than this is corrupt: the streaming reader stops waiting for it.
const MAX_BLOCK_LEN: usize = 64 << 20;

pub(super) struct PcapNgReader {
    parser: PcapNgParser,
}

impl PcapNgReader {
    /// Reads the first section header block. `Ok(None)`: more bytes are needed first.
    pub(super) fn start(
        bytes: &[u8],
        eof: bool,
    ) -> Result<Option<(usize, PcapNgReader, FormatInfo)>, NotACapture> {
        let (rest, parser) = match PcapNgParser::new(bytes) {
            Ok(ok) => ok,
            Err(PcapNgParseError::IncompleteBuffer(..)) if !eof && bytes.len() < MAX_BLOCK_LEN => return Ok(None),
            Err(e) => {
                return Err(NotACapture::new(format!(
                    "this looks like a pcapng file, but its first section header block is unreadable: {}",
                    describe(&e)
                )))
            }
        };
        let format = FormatInfo::new(
            Container::Pcapng,
            parser.section().endianness == Endianness::Big,
        );
        Ok(Some((
            bytes.len() - rest.len(),
            PcapNgReader { parser },
            format,
        )))
    }

    /// Reads every whole block of `bytes`, which starts at file offset `base`. With `eof`
    /// false, a block cut short by the end of the buffer is left for the next call.
    pub(super) fn feed(
        &mut self,
        format: &mut FormatInfo,
        bytes: &[u8],
        base: u64,
        eof: bool,
        visit: &mut dyn FnMut(&RawFrame<'_>),
    ) -> Fed {
        let parser = &mut self.parser;
        let mut rest = bytes;
        let mut damage = None;
        while !rest.is_empty() {
            let offset = base + (bytes.len() - rest.len()) as u64;
            let after_frame = format.frames();
            let fail = |e: &PcapNgParseError| Damage {
                message: if matches!(e, PcapNgParseError::IncompleteBuffer(..)) {
                    format!(
                        "the file ends in the middle of a block (after frame {after_frame}): {}",
                        describe(e)
                    )
                } else {
                    format!("bad pcapng block: {}", describe(e))
                },
                offset,
                after_frame,
            };
            let (next, raw) = match parser.next_raw_block(rest) {
                Ok(ok) => ok,
                Err(PcapNgParseError::IncompleteBuffer(..))
                    if !eof && rest.len() < MAX_BLOCK_LEN =>
                {
                    break
                }
                Err(e) => {
                    damage = Some(fail(&e));
                    break;
                }
            };
            for iface in parser.interfaces() {
                format.note_link_type(u32::from(iface.linktype));
            }
            if NUMBERED_NON_PACKETS.contains(&raw.type_) {
                format.count_non_packet_frame();
            }
            if matches!(raw.type_, ENHANCED_PACKET | SIMPLE_PACKET | OBSOLETE_PACKET) {
                let block = match raw.try_into_block(parser.state()) {
                    Ok(block) => block,
                    Err(e) => {
                        damage = Some(fail(&PcapNgParseError::from(e)));
                        break;
                    }
                };
                if let Some((interface, ts, orig_len, data)) = packet_fields(&block) {
                    let link_type = parser
                        .interfaces()
                        .get(interface as usize)
                        .map_or(1, |i| u32::from(i.linktype));
                    let orig_len = orig_len.max(data.len() as u32);
                    let number = format.count_frame(data.len(), orig_len);
                    visit(&RawFrame {
                        number,
                        timestamp_ns: ts,
                        timed: !matches!(block, Block::SimplePacket(_)),
                        link_type,
                        interface,
                        data,
                        orig_len,
                        file_offset: offset,
                        // The packet bytes are a sub-slice of the buffer: their distance from
                        // its start, plus where the buffer starts in the file.
                        data_offset: base
                            + (data.as_ptr() as usize).saturating_sub(bytes.as_ptr() as usize)
                                as u64,
                    });
                }
            }
            rest = next;
        }
        Fed {
            consumed: bytes.len() - rest.len(),
            damage,
        }
    }
}

/// (interface, timestamp in ns, original length, captured bytes) of a packet-carrying block.
fn packet_fields<'b>(block: &'b Block<'_>) -> Option<(u32, i64, u32, &'b [u8])> {
    let ns = |d: std::time::Duration| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX);
    match block {
        Block::EnhancedPacket(p) => {
            Some((p.interface_id, ns(p.timestamp), p.original_len, &p.data))
        }
        // A simple packet block has no timestamp and always belongs to interface 0.
        Block::SimplePacket(p) => Some((0, 0, p.original_len, &p.data)),
        Block::Packet(p) => Some((
            u32::from(p.interface_id),
            ns(p.timestamp),
            p.original_len,
            &p.data,
        )),
        _ => None,
    }
}

fn describe(e: &PcapNgParseError) -> String {
    match e {
        PcapNgParseError::IncompleteBuffer(needed, had) => {
            format!("needed {needed} bytes, only {had} remain")
        }
        other => {
            let mut text = other.to_string();
            let mut source = std::error::Error::source(other);
            while let Some(s) = source {
                text.push_str(": ");
                text.push_str(&s.to_string());
                source = s.source();
            }
            text
        }
    }
}
