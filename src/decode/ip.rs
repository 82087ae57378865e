//! The network layer, through etherparse's lax slicer: IPv4 (with options), IPv6 (with
//! extension headers), VLAN/QinQ tags on the way. The lax slicer keeps whatever it could parse
//! of a packet cut short by the snap length, which is what an analyzer needs.

use std::net::IpAddr;

use etherparse::{EtherType, LaxNetSlice, LaxSlicedPacket, LinkSlice, LaxLinkExtSlice};

use super::{tcp_header, Decoded, Ecn};

const IPPROTO_ICMP: u8 = 1;
const IPPROTO_TCP: u8 = 6;
const IPPROTO_UDP: u8 = 17;
const IPPROTO_ICMPV6: u8 = 58;

/// The frame being decoded: its captured bytes and its length on the wire.
#[derive(Debug, Clone, Copy)]
pub(super) struct Frame<'a> {
    pub data: &'a [u8],
    pub orig_len: usize,
}

impl Frame<'_> {
    /// How many bytes of the wire packet follow the start of `inner` (a sub-slice of `data`).
    /// Wireshark limits the IP-declared length to this.
    fn on_wire_from(&self, inner: &[u8]) -> usize {
        let start = (inner.as_ptr() as usize).saturating_sub(self.data.as_ptr() as usize);
        self.orig_len.max(self.data.len()).saturating_sub(start)
    }
}

/// A frame's decoding, or the fragment of an IP datagram it holds (for reassembly).
pub(super) type Sliced<'a> = Result<Decoded, Piece<'a>>;

/// One fragment of an IPv4 or IPv6 datagram: its datagram's key, where its bytes go, and them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Piece<'a> {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub protocol: u8,
    pub id: u32,
    /// Where its bytes start in the datagram's payload.
    pub offset: usize,
    /// More fragments follow (IPv4's MF, IPv6's M flag).
    pub more: bool,
    /// Its payload bytes as captured (up to the length its header declares).
    pub data: &'a [u8],
    /// The payload length its header declares.
    pub declared: usize,
    pub ecn: Ecn,
}

impl Piece<'_> {
    /// Every byte its header declares was captured: it can take part in a reassembly.
    pub fn whole(&self) -> bool {
        self.data.len() >= self.declared
    }
}

pub(super) fn decode_ethernet<'a>(frame: &Frame<'a>) -> Sliced<'a> {
    match LaxSlicedPacket::from_ethernet(frame.data) {
        Ok(packet) => from_sliced(frame, &packet),
        Err(_) => Ok(Decoded::Undecodable("Ethernet header cut short")),
    }
}

pub(super) fn decode_ether_type<'a>(frame: &Frame<'a>, ether_type: u16, offset: usize) -> Sliced<'a> {
    from_sliced(frame, &LaxSlicedPacket::from_ether_type(EtherType(ether_type), &frame.data[offset..]))
}

pub(super) fn decode_ip<'a>(frame: &Frame<'a>, offset: usize) -> Sliced<'a> {
    match LaxSlicedPacket::from_ip(&frame.data[offset..]) {
        Ok(packet) => from_sliced(frame, &packet),
        Err(_) => Ok(Decoded::Undecodable("IP header invalid or cut short")),
    }
}

/// A fragment read alone (no reassembly): the first still yields its transport header, with
/// the length its own IP header declares; a later one carries none.
pub(super) fn fragment_alone(frame: &Frame<'_>, piece: &Piece<'_>) -> Decoded {
    if piece.offset != 0 {
        return Decoded::Fragment;
    }
    transport(frame, (piece.ecn, None), piece.src, piece.dst, piece.protocol, piece.data, piece.declared)
}

/// The transport header of a datagram put back together from `fragments` fragments
/// (`last`: the fragment that completed it, for the addresses and ECN field).
pub(super) fn transport_of_reassembled(last: &Piece<'_>, payload: &[u8], fragments: usize) -> Decoded {
    let frame = Frame { data: payload, orig_len: payload.len() };
    match transport(&frame, (last.ecn, None), last.src, last.dst, last.protocol, payload, payload.len()) {
        Decoded::Tcp(mut segment) => {
            segment.fragments = u8::try_from(fragments).unwrap_or(u8::MAX);
            Decoded::Tcp(segment)
        }
        other => other,
    }
}

fn from_sliced<'a>(frame: &Frame<'a>, packet: &LaxSlicedPacket<'a>) -> Sliced<'a> {
    match &packet.net {
        Some(LaxNetSlice::Ipv4(v4)) => {
            let header = v4.header();
            let payload = v4.payload();
            let header_len = usize::from(header.ihl()) * 4 + v4.extensions().auth.map_or(0, |a| a.slice().len());
            // Total length 0 happens with TCP segmentation offload: trust what was captured.
            let claimed = match header.total_len() {
                0 => payload.payload.len(),
                total => usize::from(total).saturating_sub(header_len),
            };
            let declared = claimed.min(frame.on_wire_from(payload.payload));
            let (src, dst) = (IpAddr::V4(header.source_addr()), IpAddr::V4(header.destination_addr()));
            let ecn = Ecn::from_bits(header.ecn().value());
            if header.more_fragments() || header.fragments_offset().value() != 0 {
                return Err(Piece {
                    src,
                    dst,
                    protocol: payload.ip_number.0,
                    id: u32::from(header.identification()),
                    offset: usize::from(header.fragments_offset().value()) * 8,
                    more: header.more_fragments(),
                    data: &payload.payload[..declared.min(payload.payload.len())],
                    declared,
                    ecn,
                });
            }
            Ok(beyond(transport(frame, (ecn, Some(header.identification())), src, dst, payload.ip_number.0, payload.payload, declared), frame, claimed - declared))
        }
        Some(LaxNetSlice::Ipv6(v6)) => {
            let header = v6.header();
            let payload = v6.payload();
            let claimed = match header.payload_length() {
                0 => payload.payload.len(), // jumbogram or offload
                len => usize::from(len).saturating_sub(v6.extensions().slice().len()),
            };
            let declared = claimed.min(frame.on_wire_from(payload.payload));
            let (src, dst) = (IpAddr::V6(header.source_addr()), IpAddr::V6(header.destination_addr()));
            let ecn = Ecn::from_bits(header.ecn().value());
            if payload.fragmented {
                if let Some((offset, more, id)) = ipv6_fragment_header(header.next_header().0, v6.extensions().slice()) {
                    return Err(Piece {
                        src,
                        dst,
                        protocol: payload.ip_number.0,
                        id,
                        offset,
                        more,
                        data: &payload.payload[..declared.min(payload.payload.len())],
                        declared,
                        ecn,
                    });
                }
            }
            Ok(beyond(transport(frame, (ecn, None), src, dst, payload.ip_number.0, payload.payload, declared), frame, claimed - declared))
        }
        Some(LaxNetSlice::Arp(_)) => Ok(Decoded::NonIp(Some(0x0806))),
        None if packet.stop_err.is_some() => Ok(Decoded::Undecodable("IP header invalid or cut short")),
        None => Ok(Decoded::NonIp(innermost_ether_type(packet))),
    }
}

/// The fragment header among the IPv6 extension headers (RFC 8200 §4.5), walking the chain
/// from the fixed header's next-header value: (offset in bytes, more fragments, identification).
/// `None`: no fragment header (or one cut short).
fn ipv6_fragment_header(mut next: u8, exts: &[u8]) -> Option<(usize, bool, u32)> {
    const HOP_BY_HOP: u8 = 0;
    const ROUTING: u8 = 43;
    const FRAGMENT: u8 = 44;
    const AUTH: u8 = 51;
    const DEST_OPTS: u8 = 60;
    let mut at = 0;
    while let (true, Some(&[next_header, len])) = (matches!(next, HOP_BY_HOP | ROUTING | FRAGMENT | AUTH | DEST_OPTS), exts.get(at..at + 2)) {
        if next == FRAGMENT {
            let b = exts.get(at + 2..at + 8)?;
            let field = u16::from_be_bytes([b[0], b[1]]);
            return Some((usize::from(field >> 3) * 8, field & 1 == 1, u32::from_be_bytes([b[2], b[3], b[4], b[5]])));
        }
        at += match next {
            AUTH => (usize::from(len) + 2) * 4,
            _ => (usize::from(len) + 1) * 8,
        };
        next = next_header;
    }
    None
}

/// Notes the payload bytes the IP header claims past the frame's end, in a frame recorded
/// whole (a snap length's cut is told by the captured length instead).
fn beyond(decoded: Decoded, frame: &Frame<'_>, beyond: usize) -> Decoded {
    match decoded {
        Decoded::Tcp(mut segment) if beyond > 0 && frame.orig_len <= frame.data.len() => {
            segment.beyond_frame = u32::try_from(beyond).unwrap_or(u32::MAX);
            Decoded::Tcp(segment)
        }
        other => other,
    }
}

fn innermost_ether_type(packet: &LaxSlicedPacket<'_>) -> Option<u16> {
    if let Some(LaxLinkExtSlice::Vlan(vlan)) = packet.link_exts.last() {
        return Some(vlan.ether_type().0);
    }
    match &packet.link {
        Some(LinkSlice::Ethernet2(eth)) => Some(eth.ether_type().0),
        _ => None,
    }
}

fn transport(frame: &Frame<'_>, (ecn, ip_id): (Ecn, Option<u16>), src: IpAddr, dst: IpAddr, protocol: u8, payload: &[u8], declared_len: usize) -> Decoded {
    match protocol {
        IPPROTO_TCP => match tcp_header::parse(src, dst, payload, declared_len) {
            Some(mut segment) => {
                let ip_payload_at = (payload.as_ptr() as usize).saturating_sub(frame.data.as_ptr() as usize);
                segment.payload_at = u16::try_from(ip_payload_at + usize::from(segment.header_len)).unwrap_or(u16::MAX);
                segment.ecn = ecn;
                segment.ip_id = ip_id;
                let captured = payload.get(usize::from(segment.header_len)..).unwrap_or(&[]);
                segment.leading_zeros = captured.iter().take(255).take_while(|&&b| b == 0).count() as u8;
                if captured.len() as u32 == segment.payload_len {
                    segment.trailing_zeros = captured.iter().rev().take(255).take_while(|&&b| b == 0).count() as u8;
                }
                Decoded::Tcp(segment)
            }
            None => Decoded::Undecodable("TCP header cut short before the ports"),
        },
        IPPROTO_UDP => Decoded::Udp,
        IPPROTO_ICMP | IPPROTO_ICMPV6 => Decoded::Icmp,
        other => Decoded::OtherIp(other),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::ipv6_fragment_header;

    fn first_ipv6_fragment(next: u8, exts: &[u8]) -> bool {
        ipv6_fragment_header(next, exts).is_none_or(|(offset, _, _)| offset == 0)
    }

    #[test]
    fn walks_the_extension_chain_to_the_fragment_header() {
        // Fragment header straight after the fixed header: next=TCP, offset 0 / offset 185.
        let first = [6, 0, 0x00, 0x01, 0, 0, 0, 1];
        let later = [6, 0, 0x05, 0xc8, 0, 0, 0, 1];
        assert!(first_ipv6_fragment(44, &first));
        assert!(!first_ipv6_fragment(44, &later));
        // Hop-by-hop (8 bytes) before it.
        let mut chain = vec![44, 0, 1, 4, 0, 0, 0, 0];
        chain.extend_from_slice(&later);
        assert!(!first_ipv6_fragment(0, &chain));
        // No fragment header at all.
        assert!(first_ipv6_fragment(0, &[6, 0, 1, 4, 0, 0, 0, 0]));
    }
}
