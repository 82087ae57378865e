//! Link-layer headers: where the network layer starts for each LINKTYPE_.

/// Where to continue decoding after the link-layer header.
pub(super) enum Network {
    /// Ethernet II (etherparse handles VLAN/QinQ tags itself).
    Ethernet,
    /// An IP packet (v4 or v6, told by its version nibble) starts at this offset.
    Ip(usize),
    /// A payload of this EtherType starts at this offset.
    EtherType(u16, usize),
    NonIp(Option<u16>),
    Error(&'static str),
}

const ETHERTYPE_IPV4: u16 = 0x0800;
const ETHERTYPE_IPV6: u16 = 0x86dd;

pub(super) fn network_layer(link_type: u32, data: &[u8]) -> Network {
    match link_type {
        1 => Network::Ethernet,
        0 | 108 => bsd_loopback(data),
        12 | 14 | 101 | 228 | 229 => Network::Ip(0),
        113 => linux_sll(data),
        276 => linux_sll2(data),
        239 => nflog(data),
        274 => ethernet_mpacket(data),
        _ => Network::Error("link type not supported"),
    }
}

fn be16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?]))
}

/// DLT_NULL / DLT_LOOP: a 4-byte address family, in the byte order of the capturing host for
/// NULL and network order for LOOP; both orders are accepted for both, since the value is small.
fn bsd_loopback(data: &[u8]) -> Network {
    let Some(head) = data.get(..4) else { return Network::Error("loopback header cut short") };
    let le = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    let be = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
    let family = if le <= 0xffff { le } else { be };
    match family {
        // AF_INET everywhere; AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS), 10 (Linux).
        2 | 10 | 24 | 28 | 30 => Network::Ip(4),
        _ => Network::NonIp(None),
    }
}

/// Linux cooked capture v1: 16-byte header, protocol type in the last two bytes.
fn linux_sll(data: &[u8]) -> Network {
    match be16(data, 14) {
        Some(proto) if data.len() >= 16 => ip_or_other(proto, 16),
        _ => Network::Error("Linux cooked (SLL) header cut short"),
    }
}

/// Linux cooked capture v2: 20-byte header, protocol type first.
fn linux_sll2(data: &[u8]) -> Network {
    match be16(data, 0) {
        Some(proto) if data.len() >= 20 => ip_or_other(proto, 20),
        _ => Network::Error("Linux cooked v2 (SLL2) header cut short"),
    }
}

fn ip_or_other(proto: u16, offset: usize) -> Network {
    match proto {
        ETHERTYPE_IPV4 | ETHERTYPE_IPV6 => Network::Ip(offset),
        // VLAN tags can follow a cooked header too.
        0x8100 | 0x88a8 | 0x9100 => Network::EtherType(proto, offset),
        other => Network::NonIp(Some(other)),
    }
}

/// NFLOG: 4-byte header then TLVs (length and type in host byte order, little-endian on every
/// capture seen); the packet is the NFULA_PAYLOAD (type 9) TLV.
fn nflog(data: &[u8]) -> Network {
    const NFULA_PAYLOAD: u16 = 9;
    let mut at = 4;
    while at + 4 <= data.len() {
        let len = usize::from(u16::from_le_bytes([data[at], data[at + 1]]));
        let tlv_type = u16::from_le_bytes([data[at + 2], data[at + 3]]) & 0x7fff;
        if len < 4 {
            return Network::Error("NFLOG TLV with a length below 4");
        }
        if tlv_type == NFULA_PAYLOAD {
            return Network::Ip(at + 4);
        }
        at += (len + 3) & !3;
    }
    Network::NonIp(None)
}

/// Ethernet with preamble and start-of-frame delimiter (802.3br mPackets): 8 bytes, then Ethernet.
fn ethernet_mpacket(data: &[u8]) -> Network {
    match be16(data, 8 + 12) {
        Some(et) if data.len() >= 8 + 14 => ip_or_other(et, 8 + 14),
        _ => Network::Error("Ethernet mPacket cut short"),
    }
}
