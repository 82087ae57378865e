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

pub(super) fn decode_ethernet(frame: &Frame<'_>) -> Decoded {
    match LaxSlicedPacket::from_ethernet(frame.data) {
        Ok(packet) => from_sliced(frame, &packet),
        Err(_) => Decoded::Undecodable("Ethernet header cut short"),
    }
}

pub(super) fn decode_ether_type(frame: &Frame<'_>, ether_type: u16, offset: usize) -> Decoded {
    from_sliced(frame, &LaxSlicedPacket::from_ether_type(EtherType(ether_type), &frame.data[offset..]))
}

pub(super) fn decode_ip(frame: &Frame<'_>, offset: usize) -> Decoded {
    match LaxSlicedPacket::from_ip(&frame.data[offset..]) {
        Ok(packet) => from_sliced(frame, &packet),
        Err(_) => Decoded::Undecodable("IP header invalid or cut short"),
    }
}

fn from_sliced(frame: &Frame<'_>, packet: &LaxSlicedPacket<'_>) -> Decoded {
    match &packet.net {
        Some(LaxNetSlice::Ipv4(v4)) => {
            let header = v4.header();
            if header.fragments_offset().value() != 0 {
                return Decoded::Fragment;
            }
            let payload = v4.payload();
            let header_len = usize::from(header.ihl()) * 4 + v4.extensions().auth.map_or(0, |a| a.slice().len());
            // Total length 0 happens with TCP segmentation offload: trust what was captured.
            let declared = match header.total_len() {
                0 => payload.payload.len(),
                total => usize::from(total).saturating_sub(header_len),
            }
            .min(frame.on_wire_from(payload.payload));
            transport(
                frame,
                Ecn::from_bits(header.ecn().value()),
                IpAddr::V4(header.source_addr()),
                IpAddr::V4(header.destination_addr()),
                payload.ip_number.0,
                payload.payload,
                declared,
            )
        }
        Some(LaxNetSlice::Ipv6(v6)) => {
            let header = v6.header();
            let payload = v6.payload();
            if payload.fragmented && !first_ipv6_fragment(header.next_header().0, v6.extensions().slice()) {
                return Decoded::Fragment;
            }
            let declared = match header.payload_length() {
                0 => payload.payload.len(), // jumbogram or offload
                len => usize::from(len).saturating_sub(v6.extensions().slice().len()),
            }
            .min(frame.on_wire_from(payload.payload));
            transport(
                frame,
                Ecn::from_bits(header.ecn().value()),
                IpAddr::V6(header.source_addr()),
                IpAddr::V6(header.destination_addr()),
                payload.ip_number.0,
                payload.payload,
                declared,
            )
        }
        Some(LaxNetSlice::Arp(_)) => Decoded::NonIp(Some(0x0806)),
        None if packet.stop_err.is_some() => Decoded::Undecodable("IP header invalid or cut short"),
        None => Decoded::NonIp(innermost_ether_type(packet)),
    }
}

/// Whether the fragment header among the IPv6 extension headers (RFC 8200 §4) says offset 0,
/// walking the chain from the fixed header's next-header value. No fragment header: not a
/// fragment at all, so the transport header is there.
fn first_ipv6_fragment(mut next: u8, exts: &[u8]) -> bool {
    const HOP_BY_HOP: u8 = 0;
    const ROUTING: u8 = 43;
    const FRAGMENT: u8 = 44;
    const AUTH: u8 = 51;
    const DEST_OPTS: u8 = 60;
    let mut at = 0;
    while let (true, Some(&[next_header, len])) = (matches!(next, HOP_BY_HOP | ROUTING | FRAGMENT | AUTH | DEST_OPTS), exts.get(at..at + 2)) {
        if next == FRAGMENT {
            return exts.get(at + 2..at + 4).is_none_or(|b| u16::from_be_bytes([b[0], b[1]]) >> 3 == 0);
        }
        at += match next {
            AUTH => (usize::from(len) + 2) * 4,
            _ => (usize::from(len) + 1) * 8,
        };
        next = next_header;
    }
    true
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

fn transport(frame: &Frame<'_>, ecn: Ecn, src: IpAddr, dst: IpAddr, protocol: u8, payload: &[u8], declared_len: usize) -> Decoded {
    match protocol {
        IPPROTO_TCP => match tcp_header::parse(src, dst, payload, declared_len) {
            Some(mut segment) => {
                let ip_payload_at = (payload.as_ptr() as usize).saturating_sub(frame.data.as_ptr() as usize);
                segment.payload_at = u16::try_from(ip_payload_at + usize::from(segment.header_len)).unwrap_or(u16::MAX);
                segment.ecn = ecn;
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
    use super::first_ipv6_fragment;

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
