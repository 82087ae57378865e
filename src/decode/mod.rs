//! Packet decoding: a raw frame's bytes become a TCP segment, or a reason it is something else.
//!
//! Only this module knows about `etherparse`. The link layer is peeled here (Ethernet with VLAN
//! and QinQ tags, Linux cooked v1/v2, raw IP, BSD loopback, NFLOG), IP with options and
//! extension headers by etherparse's lax slicer, and the TCP header by [`tcp_header`], which also
//! accepts a header cut short by the snap length.

mod defrag;
mod ecn;
mod fields;
mod ip;
mod option_fields;
mod link;
mod tcp_header;
mod tcp_options;

pub use defrag::{Defragmenter, FragmentFrame, Reassembly};
pub use ecn::Ecn;
pub use fields::{header_fields, Field, Layer};
pub use tcp_header::{TcpFlags, TcpSegment};
pub use tcp_options::{SackBlock, TcpOptions};

/// What a frame turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    Tcp(TcpSegment),
    Udp,
    Icmp,
    /// An IP packet of another protocol (its IP protocol number).
    OtherIp(u8),
    /// A later fragment of a fragmented IPv4/IPv6 packet: no transport header in it.
    Fragment,
    /// A link-layer frame that does not carry IP (ARP, LLDP, …): its EtherType when known.
    NonIp(Option<u16>),
    /// The frame could not be decoded; the text says why.
    Undecodable(&'static str),
}

/// Decodes one frame captured on a link of type `link_type` (a LINKTYPE_ value). `orig_len` is
/// the frame's length on the wire: the IP length fields are believed only up to it. A fragment
/// is read alone (see [`Defragmenter`] for reassembly): the first yields its transport header.
pub fn decode(link_type: u32, data: &[u8], orig_len: u32) -> Decoded {
    let frame = ip::Frame { data, orig_len: orig_len as usize };
    match decode_pieces(link_type, data, orig_len) {
        Ok(decoded) => decoded,
        Err(piece) => ip::fragment_alone(&frame, &piece),
    }
}

/// As [`decode`], but a fragment that was captured whole comes back as such, for reassembly.
fn decode_pieces(link_type: u32, data: &[u8], orig_len: u32) -> Result<Decoded, ip::Piece<'_>> {
    let frame = ip::Frame { data, orig_len: orig_len as usize };
    let sliced = match link::network_layer(link_type, data) {
        link::Network::Ip(offset) => ip::decode_ip(&frame, offset),
        link::Network::EtherType(ether_type, offset) => ip::decode_ether_type(&frame, ether_type, offset),
        link::Network::Ethernet => ip::decode_ethernet(&frame),
        link::Network::NonIp(ether_type) => Ok(Decoded::NonIp(ether_type)),
        link::Network::Error(why) => Ok(Decoded::Undecodable(why)),
    };
    match sliced {
        Err(piece) if !piece.whole() => Ok(ip::fragment_alone(&frame, &piece)),
        other => other,
    }
}
