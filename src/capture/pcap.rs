//! Classic pcap files (both byte orders, micro- and nanosecond timestamps), read with
//! `pcap_file`'s slice parser. Records are taken raw and checked here, leniently, the way
//! Wireshark reads them: a record longer than the header's snap length is still shown.
//!
//! The reader is incremental: it is fed the file a piece at a time and reads every record that
//! is whole, so a big file never has to be in memory at once.

use pcap_file::pcap::PcapTsResolution as TsResolution;
use pcap_file::pcap::{PcapParseError, PcapParser};
use pcap_file::Endianness;

use super::format::{Container, FormatInfo};
use super::{Damage, NotACapture, RawFrame};

/// Wireshark's largest accepted record (WTAP_MAX_PACKET_SIZE_STANDARD); anything longer is a
/// corrupt length field, not a packet.
const MAX_RECORD_LEN: u32 = 262_144;
const FILE_HEADER_LEN: usize = 24;
const LINK_TYPE_MASK: u32 = 0x0000_ffff;
const RECORD_HEADER_LEN: u64 = 16;

pub(super) struct PcapReader {
    parser: PcapParser,
    link_type: u32,
    frac_to_ns: i64,
    little_endian: bool,
    /// The file's length when known: tells a corrupt length (the record would fit in the file)
    /// from a record cut short by the end of the file without waiting for the end.
    pub(super) file_len: Option<u64>,
}

/// What one call to `feed` did.
pub(super) struct Fed {
    /// Bytes of the buffer used up by whole records.
    pub consumed: usize,
    /// Reading must stop here.
    pub damage: Option<Damage>,
}

impl PcapReader {
    /// Reads the file header. `Ok(None)`: more bytes are needed first.
    pub(super) fn start(
        bytes: &[u8],
        eof: bool,
    ) -> Result<Option<(usize, PcapReader, FormatInfo)>, NotACapture> {
        let (rest, parser) = match PcapParser::new(bytes) {
            Ok(ok) => ok,
            Err(PcapParseError::IncompleteBuffer(..)) if !eof => return Ok(None),
            Err(PcapParseError::IncompleteBuffer(..)) => {
                return Err(NotACapture::new(format!(
                    "the pcap file header is cut short: the file has {} bytes, the header needs {FILE_HEADER_LEN}",
                    bytes.len()
                )))
            }
            Err(other) => return Err(NotACapture::new(format!("the pcap file header is invalid: {other}"))),
        };
        let header = parser.header();
        let mut format = FormatInfo::new(Container::Pcap, header.endianness == Endianness::Big);
        format.nanosecond = header.ts_resolution == TsResolution::NanoSecond;
        // The upper bits of the link-type field carry FCS information, not the type.
        let link_type = u32::from(header.datalink) & LINK_TYPE_MASK;
        format.note_link_type(link_type);
        let reader = PcapReader {
            link_type,
            frac_to_ns: if format.nanosecond { 1 } else { 1000 },
            little_endian: header.endianness == Endianness::Little,
            file_len: None,
            parser,
        };
        Ok(Some((bytes.len() - rest.len(), reader, format)))
    }

    /// The frame of the record at `offset`, with its (seconds, fraction) timestamp.
    fn frame<'a>(&self, number: u64, (sec, frac): (u32, u32), data: &'a [u8], orig_len: u32, offset: u64) -> RawFrame<'a> {
        RawFrame {
            number,
            timestamp_ns: i64::from(sec) * 1_000_000_000 + i64::from(frac) * self.frac_to_ns,
            timed: true,
            link_type: self.link_type,
            interface: 0,
            data,
            orig_len,
            file_offset: offset,
            data_offset: offset + RECORD_HEADER_LEN,
        }
    }

    fn word(&self, record: &[u8], at: usize) -> u32 {
        let b = [record[at], record[at + 1], record[at + 2], record[at + 3]];
        if self.little_endian {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        }
    }

    /// Reads every whole record of `bytes`, which starts at file offset `base`. With `eof`
    /// false, a record cut short by the end of the buffer is left for the next call.
    pub(super) fn feed(
        &mut self,
        format: &mut FormatInfo,
        bytes: &[u8],
        base: u64,
        eof: bool,
        visit: &mut dyn FnMut(&RawFrame<'_>),
    ) -> Fed {
        let mut rest = bytes;
        let mut damage = None;
        while !rest.is_empty() {
            let offset = base + (bytes.len() - rest.len()) as u64;
            let after_frame = format.frames();
            // Check the claimed length before asking for the whole record: a corrupt length
            // must not make a streaming reader wait for gigabytes that will never be a packet.
            if rest.len() >= RECORD_HEADER_LEN as usize && self.word(rest, 8) > MAX_RECORD_LEN {
                let claimed = self.word(rest, 8);
                let end = offset + RECORD_HEADER_LEN + u64::from(claimed);
                let buffered_end = base + bytes.len() as u64;
                let whole_in_file = if eof {
                    end <= buffered_end
                } else {
                    self.file_len.map_or(true, |len| end <= len)
                };
                if whole_in_file {
                    damage = Some(Damage {
                        message: format!(
                            "bad record: frame {} claims {claimed} captured bytes, more than any real packet ({MAX_RECORD_LEN}); the record length is corrupt",
                            after_frame + 1
                        ),
                        offset,
                        after_frame,
                    });
                    break;
                }
            }
            match self.parser.next_raw_packet(rest) {
                Ok((next, raw)) => {
                    let data: &[u8] = &rest[RECORD_HEADER_LEN as usize..][..raw.incl_len as usize];
                    // A corrupt orig_len below incl_len is shown as what was captured.
                    let orig_len = raw.orig_len.max(raw.incl_len);
                    let number = format.count_frame(data.len(), orig_len);
                    visit(&self.frame(number, (raw.ts_sec, raw.ts_frac), data, orig_len, offset));
                    rest = next;
                }
                Err(PcapParseError::IncompleteBuffer(..)) if !eof => break,
                Err(PcapParseError::IncompleteBuffer(needed, had)) => {
                    damage = Some(self.cut_short(format, rest, offset, needed, had, visit));
                    rest = &[];
                    break;
                }
                Err(other) => {
                    damage = Some(Damage {
                        message: format!("bad record: {other}"),
                        offset,
                        after_frame,
                    });
                    break;
                }
            }
        }
        Fed {
            consumed: bytes.len() - rest.len(),
            damage,
        }
    }

    /// The file ends inside a record: a whole record header with short data is still shown
    /// (as Wireshark does, marked as truncated); a partial record header is not.
    fn cut_short(
        &self,
        format: &mut FormatInfo,
        rest: &[u8],
        offset: u64,
        needed: usize,
        had: usize,
        visit: &mut dyn FnMut(&RawFrame<'_>),
    ) -> Damage {
        let after_frame = format.frames();
        if rest.len() < RECORD_HEADER_LEN as usize {
            let message = format!(
                "the file ends in the middle of the record header of frame {}: {had} of 16 bytes",
                after_frame + 1
            );
            return Damage {
                message,
                offset,
                after_frame,
            };
        }
        let data = &rest[RECORD_HEADER_LEN as usize..];
        let orig_len = self.word(rest, 12).max(needed as u32);
        let number = format.count_frame(data.len(), orig_len);
        visit(&self.frame(number, (self.word(rest, 0), self.word(rest, 4)), data, orig_len, offset));
        let message = if needed as u64 > u64::from(MAX_RECORD_LEN) {
            format!(
                "bad record: frame {number} claims {needed} captured bytes, more than any real packet ({MAX_RECORD_LEN}); the record length is corrupt or the file ends in the middle of the frame (the {had} bytes left are shown as that frame)"
            )
        } else {
            format!(
                "the file ends in the middle of frame {number}: its record says {needed} bytes were captured, only {had} remain (the frame is shown with what is there)"
            )
        };
        Damage {
            message,
            offset,
            after_frame,
        }
    }
}
