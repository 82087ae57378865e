//! Header fields of one frame, with their byte ranges and what they mean, for the packet
//! detail view (the header tables of the source documents, filled in from a real frame).

use super::link::{network_layer, Network};

/// One header field: where it is in the frame, its value, and what it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub value: String,
    pub meaning: &'static str,
    /// Byte range in the frame.
    pub start: usize,
    pub len: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    pub name: String,
    pub fields: Vec<Field>,
}

struct Reader<'a> {
    data: &'a [u8],
    fields: Vec<Field>,
}

impl Reader<'_> {
    fn bytes(&self, at: usize, len: usize) -> Option<&[u8]> {
        self.data.get(at..at + len)
    }
    fn be(&self, at: usize, len: usize) -> Option<u64> {
        self.bytes(at, len).map(|b| b.iter().fold(0u64, |acc, &x| acc << 8 | u64::from(x)))
    }
    fn push(&mut self, name: &'static str, at: usize, len: usize, value: String, meaning: &'static str) {
        if at + len <= self.data.len() {
            self.fields.push(Field { name, value, meaning, start: at, len });
        }
    }
    fn take(&mut self, name: &str) -> Layer {
        Layer { name: name.to_string(), fields: std::mem::take(&mut self.fields) }
    }
}

fn mac(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(":")
}

/// Every header we can lay out, outermost first. Stops quietly where the frame is cut short.
pub fn header_fields(link_type: u32, data: &[u8]) -> Vec<Layer> {
    let mut r = Reader { data, fields: Vec::new() };
    let mut layers = Vec::new();
    let ip_start = match network_layer(link_type, data) {
        Network::Ethernet => {
            let dst = r.bytes(0, 6).map(mac).unwrap_or_default();
            let src = r.bytes(6, 6).map(mac).unwrap_or_default();
            r.push("Destination MAC", 0, 6, dst, "the next hop's hardware address");
            r.push("Source MAC", 6, 6, src, "the sender's hardware address");
            let mut at = 12;
            while let Some(t @ (0x8100 | 0x88a8 | 0x9100)) = r.be(at, 2) {
                r.push("VLAN tag", at, 4, format!("TPID {t:#06x}, VLAN {}", r.be(at + 2, 2).unwrap_or(0) & 0x0fff), "802.1Q/802.1ad tag: which virtual LAN the frame belongs to");
                at += 4;
            }
            let et = r.be(at, 2).unwrap_or(0);
            r.push("EtherType", at, 2, format!("{et:#06x}"), "what the payload is: 0x0800 IPv4, 0x86dd IPv6, 0x0806 ARP");
            layers.push(r.take("Ethernet II"));
            at + 2
        }
        Network::Ip(offset) | Network::EtherType(_, offset) => {
            if offset > 0 {
                r.push("Link header", 0, offset, format!("{offset} bytes"), "the capture's link-layer header (cooked capture, loopback family or NFLOG)");
                layers.push(r.take("Link layer"));
            }
            offset
        }
        Network::NonIp(_) | Network::Error(_) => return layers,
    };
    let tcp_start = match data.get(ip_start).map(|b| b >> 4) {
        Some(4) => ipv4(&mut r, ip_start, &mut layers),
        Some(6) => ipv6(&mut r, ip_start, &mut layers),
        _ => None,
    };
    if let Some(at) = tcp_start {
        tcp(&mut r, at);
        layers.push(r.take("TCP"));
    }
    layers
}

fn ipv4(r: &mut Reader<'_>, at: usize, layers: &mut Vec<Layer>) -> Option<usize> {
    let ihl = usize::from(r.data.get(at)? & 0x0f) * 4;
    r.push("Version / IHL", at, 1, format!("4 / {ihl} bytes"), "IP version, and the header length in 32-bit words");
    r.push("DSCP / ECN", at + 1, 1, format!("{:#04x}", r.be(at + 1, 1)?), "quality-of-service class and congestion signal");
    r.push("Total length", at + 2, 2, r.be(at + 2, 2)?.to_string(), "header + data in bytes: TCP's length is this minus both headers");
    r.push("Identification", at + 4, 2, format!("{:#06x}", r.be(at + 4, 2)?), "ties the fragments of one datagram together");
    let ff = r.be(at + 6, 2)?;
    r.push("Flags / fragment offset", at + 6, 2, format!("DF={} MF={} offset={}", ff >> 14 & 1, ff >> 13 & 1, (ff & 0x1fff) * 8), "don't fragment, more fragments, where this fragment goes");
    r.push("TTL", at + 8, 1, r.be(at + 8, 1)?.to_string(), "hops left before a router drops the packet");
    r.push("Protocol", at + 9, 1, r.be(at + 9, 1)?.to_string(), "what the payload is: 6 is TCP");
    r.push("Header checksum", at + 10, 2, format!("{:#06x}", r.be(at + 10, 2)?), "detects corruption of the IP header");
    let ip = |b: &[u8]| b.iter().map(u8::to_string).collect::<Vec<_>>().join(".");
    r.push("Source address", at + 12, 4, r.bytes(at + 12, 4).map(ip)?, "the sender");
    r.push("Destination address", at + 16, 4, r.bytes(at + 16, 4).map(ip)?, "the receiver");
    if ihl > 20 {
        r.push("Options", at + 20, ihl - 20, format!("{} bytes", ihl - 20), "IP options (rare)");
    }
    layers.push(r.take("IPv4"));
    (r.be(at + 9, 1)? == 6).then_some(at + ihl)
}

fn ipv6(r: &mut Reader<'_>, at: usize, layers: &mut Vec<Layer>) -> Option<usize> {
    let first = r.be(at, 4)?;
    r.push("Version / class / flow", at, 4, format!("6 / {:#04x} / {:#07x}", first >> 20 & 0xff, first & 0xfffff), "version, traffic class, flow label");
    r.push("Payload length", at + 4, 2, r.be(at + 4, 2)?.to_string(), "bytes after this 40-byte header");
    r.push("Next header", at + 6, 1, r.be(at + 6, 1)?.to_string(), "what follows: 6 is TCP");
    r.push("Hop limit", at + 7, 1, r.be(at + 7, 1)?.to_string(), "hops left (IPv6's TTL)");
    let addr = |b: &[u8]| {
        let words: [u16; 8] = std::array::from_fn(|i| u16::from_be_bytes([b[2 * i], b[2 * i + 1]]));
        std::net::Ipv6Addr::from(words).to_string()
    };
    r.push("Source address", at + 8, 16, r.bytes(at + 8, 16).map(addr)?, "the sender");
    r.push("Destination address", at + 24, 16, r.bytes(at + 24, 16).map(addr)?, "the receiver");
    let mut next = r.be(at + 6, 1)?;
    let mut pos = at + 40;
    // Extension headers: hop-by-hop, routing, fragment, destination options.
    while matches!(next, 0 | 43 | 44 | 60) {
        let len = if next == 44 { 8 } else { (usize::from(*r.data.get(pos + 1)?) + 1) * 8 };
        r.push("Extension header", pos, len, format!("type {next}, {len} bytes"), "an IPv6 extension header");
        next = r.be(pos, 1)?;
        pos += len;
    }
    layers.push(r.take("IPv6"));
    (next == 6).then_some(pos)
}

fn tcp(r: &mut Reader<'_>, at: usize) {
    let Some(offset_byte) = r.data.get(at + 12).copied() else {
        r.push("Source port", at, 2, r.be(at, 2).unwrap_or(0).to_string(), "the sending application's port");
        return;
    };
    let hlen = usize::from(offset_byte >> 4) * 4;
    r.push("Source port", at, 2, r.be(at, 2).unwrap_or(0).to_string(), "the sending application's port");
    r.push("Destination port", at + 2, 2, r.be(at + 2, 2).unwrap_or(0).to_string(), "the receiving application's port");
    r.push("Sequence number", at + 4, 4, r.be(at + 4, 4).unwrap_or(0).to_string(), "number of the first byte of data in this segment (a SYN or FIN also takes one)");
    r.push("Acknowledgment number", at + 8, 4, r.be(at + 8, 4).unwrap_or(0).to_string(), "next byte the sender expects: everything before it has arrived (valid when ACK is set)");
    r.push("Data offset", at + 12, 1, format!("{hlen} bytes"), "TCP header length in 32-bit words, options included");
    let flags = (u16::from(offset_byte & 0x0f) << 8) | r.be(at + 13, 1).unwrap_or(0) as u16;
    r.push("Flags", at + 12, 2, super::TcpFlags(flags).names(), "control bits: SYN opens, FIN closes, RST aborts, ACK makes the ack field valid, PSH pushes to the application");
    r.push("Window", at + 14, 2, r.be(at + 14, 2).unwrap_or(0).to_string(), "bytes the sender can still receive (times the window scale, once agreed)");
    r.push("Checksum", at + 16, 2, format!("{:#06x}", r.be(at + 16, 2).unwrap_or(0)), "detects corruption of header and data (with an IP pseudo-header)");
    r.push("Urgent pointer", at + 18, 2, r.be(at + 18, 2).unwrap_or(0).to_string(), "end of urgent data when URG is set (almost never used)");
    if hlen > 20 {
        let end = (at + hlen).min(r.data.len());
        let options = r.data.get(at + 20..end).unwrap_or(&[]).to_vec();
        for o in super::option_fields::option_fields(&options) {
            r.push(o.name, at + 20 + o.at, o.len, o.value, o.meaning);
        }
    }
    let payload = r.data.len().saturating_sub(at + hlen);
    if payload > 0 {
        r.push("Payload", at + hlen, payload, format!("{payload} bytes captured"), "the application's data");
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn ethernet_ipv4_tcp_fields_of_a_real_syn() {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/captures/public/chrissanders_tcp_handshake.pcapng")).unwrap();
        let session = crate::session::analyze_bytes(&bytes).unwrap();
        let p = &session.packet(0).unwrap();
        let layers = header_fields(u32::from(p.link_type), p.frame_in(session.file_bytes(&bytes)));
        let names: Vec<&str> = layers.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Ethernet II", "IPv4", "TCP"]);
        let tcp = &layers[2].fields;
        let seq = tcp.iter().find(|f| f.name == "Sequence number").unwrap();
        assert_eq!(seq.value, "3691127924");
        assert_eq!((seq.start, seq.len), (14 + 20 + 4, 4));
        assert_eq!(tcp.iter().find(|f| f.name == "Flags").unwrap().value, "SYN");
        // tshark: option kinds 2,1,3,1,1,4; MSS 1460, window scale shift 2.
        let options: Vec<(&str, &str)> = tcp.iter().skip_while(|f| f.name != "Urgent pointer").skip(1).map(|f| (f.name, f.value.as_str())).collect();
        assert_eq!(options, [("Maximum segment size", "1460"), ("No-operation", ""), ("Window scale", "shift 2 (×4)"), ("No-operation", ""), ("No-operation", ""), ("SACK permitted", "")]);
        let src = layers[1].fields.iter().find(|f| f.name == "Source address").unwrap();
        assert_eq!(src.value, "172.16.16.128");
    }
}
