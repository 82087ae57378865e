//! Classic pcap files (both byte orders, micro- and nanosecond timestamps), read with
//! `pcap_file`'s slice parser. Records are taken raw and checked here, leniently, the way
//! Wireshark reads them: a record longer than the header's snap length is still shown.

use pcap_file::pcap::{PcapParseError, PcapParser};
use pcap_file::pcap::PcapTsResolution as TsResolution;
use pcap_file::Endianness;

use super::format::{Container, FormatInfo};
use super::{Damage, NotACapture, RawFrame, ReadOutcome};

/// Wireshark's largest accepted record (WTAP_MAX_PACKET_SIZE_STANDARD); anything longer is a
/// corrupt length field, not a packet.
const MAX_RECORD_LEN: u32 = 262_144;
const FILE_HEADER_LEN: usize = 24;
const LINK_TYPE_MASK: u32 = 0x0000_ffff;
const RECORD_HEADER_LEN: u64 = 16;

pub(super) fn read(bytes: &[u8], visit: &mut dyn FnMut(&RawFrame<'_>)) -> Result<ReadOutcome, NotACapture> {
    let (mut rest, parser) = PcapParser::new(bytes).map_err(|e| match e {
        PcapParseError::IncompleteBuffer(..) => NotACapture::new(format!(
            "the pcap file header is cut short: the file has {} bytes, the header needs {FILE_HEADER_LEN}",
            bytes.len()
        )),
        other => NotACapture::new(format!("the pcap file header is invalid: {other}")),
    })?;
    let header = parser.header();
    let mut format = FormatInfo::new(Container::Pcap, header.endianness == Endianness::Big);
    format.nanosecond = header.ts_resolution == TsResolution::NanoSecond;
    // The upper bits of the link-type field carry FCS information, not the type.
    let link_type = u32::from(header.datalink) & LINK_TYPE_MASK;
    format.note_link_type(link_type);
    let frac_to_ns: i64 = if format.nanosecond { 1 } else { 1000 };

    let mut damage = None;
    while !rest.is_empty() {
        let offset = (bytes.len() - rest.len()) as u64;
        let after_frame = format.frames();
        match parser.next_raw_packet(rest) {
            Ok((next, raw)) => {
                if raw.incl_len > MAX_RECORD_LEN {
                    damage = Some(Damage {
                        message: format!(
                            "bad record: frame {} claims {} captured bytes, more than any real packet ({MAX_RECORD_LEN}); the record length is corrupt",
                            after_frame + 1,
                            raw.incl_len
                        ),
                        offset,
                        after_frame,
                    });
                    break;
                }
                let data: &[u8] = &rest[RECORD_HEADER_LEN as usize..][..raw.incl_len as usize];
                // A corrupt orig_len below incl_len is shown as what was captured.
                let orig_len = raw.orig_len.max(raw.incl_len);
                let number = format.count_frame(data.len(), orig_len);
                let timestamp_ns = i64::from(raw.ts_sec) * 1_000_000_000 + i64::from(raw.ts_frac) * frac_to_ns;
                visit(&RawFrame {
                    number,
                    timestamp_ns,
                    link_type,
                    interface: 0,
                    data,
                    orig_len,
                    file_offset: offset,
                    data_offset: offset + RECORD_HEADER_LEN,
                });
                rest = next;
            }
            Err(PcapParseError::IncompleteBuffer(needed, had)) => {
                if rest.len() < RECORD_HEADER_LEN as usize {
                    let message = format!(
                        "the file ends in the middle of the record header of frame {}: {had} of 16 bytes",
                        after_frame + 1
                    );
                    damage = Some(Damage { message, offset, after_frame });
                    break;
                }
                // The record header is whole but its data is cut short: show what is there,
                // as Wireshark does, marked as truncated.
                let data = &rest[RECORD_HEADER_LEN as usize..];
                let le = header.endianness == Endianness::Little;
                let word = |at: usize| {
                    let b = [rest[at], rest[at + 1], rest[at + 2], rest[at + 3]];
                    if le { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) }
                };
                let orig_len = word(12).max(needed as u32);
                let number = format.count_frame(data.len(), orig_len);
                visit(&RawFrame {
                    number,
                    timestamp_ns: i64::from(word(0)) * 1_000_000_000 + i64::from(word(4)) * frac_to_ns,
                    link_type,
                    interface: 0,
                    data,
                    orig_len,
                    file_offset: offset,
                    data_offset: offset + RECORD_HEADER_LEN,
                });
                let message = if needed as u64 > u64::from(MAX_RECORD_LEN) {
                    format!(
                        "bad record: frame {number} claims {needed} captured bytes, more than any real packet ({MAX_RECORD_LEN}); the record length is corrupt or the file ends in the middle of the frame (the {had} bytes left are shown as that frame)"
                    )
                } else {
                    format!(
                        "the file ends in the middle of frame {number}: its record says {needed} bytes were captured, only {had} remain (the frame is shown with what is there)"
                    )
                };
                damage = Some(Damage { message, offset, after_frame });
                break;
            }
            Err(other) => {
                damage = Some(Damage { message: format!("bad record: {other}"), offset, after_frame });
                break;
            }
        }
    }
    Ok(ReadOutcome { format, damage, inflated: None })
}
