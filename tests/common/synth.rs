//! Frames and pcap files built byte by byte, for tests that need inputs no capture holds
//! (hostile lengths, generated connections).
#![allow(dead_code)]

/// A little-endian microsecond pcap header for `link_type`.
pub fn pcap_header(link_type: u32) -> Vec<u8> {
    let mut h = Vec::new();
    for v in [0xA1B2_C3D4u32.to_le_bytes().to_vec(), 2u16.to_le_bytes().to_vec(), 4u16.to_le_bytes().to_vec(), vec![0; 8], 65535u32.to_le_bytes().to_vec(), link_type.to_le_bytes().to_vec()] {
        h.extend(v);
    }
    h
}

pub fn record(out: &mut Vec<u8>, n: u32, frame: &[u8]) {
    for v in [1_700_000_000 + n / 1000, (n % 1000) * 1000, frame.len() as u32, frame.len() as u32] {
        out.extend(v.to_le_bytes());
    }
    out.extend_from_slice(frame);
}

/// An Ethernet/IPv4/TCP frame (checksums are not checked by the reader).
pub fn tcp_frame(src: [u8; 4], sport: u16, dport: u16, seq: u32, ack: u32, flags: u8, options: &[u8], payload: &[u8]) -> Vec<u8> {
    tcp_frame_between(src, [192, 168, 0, 1], sport, dport, seq, ack, flags, options, payload)
}

/// An Ethernet/IPv4/TCP frame from `src` to `dst`.
#[allow(clippy::too_many_arguments)]
pub fn tcp_frame_between(src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16, seq: u32, ack: u32, flags: u8, options: &[u8], payload: &[u8]) -> Vec<u8> {
    let tcp_len = 20 + options.len();
    let mut f = vec![0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00];
    let total = (20 + tcp_len + payload.len()) as u16;
    f.extend([0x45, 0]);
    f.extend(total.to_be_bytes());
    f.extend([0, 1, 0x40, 0, 64, 6, 0, 0]);
    f.extend(src);
    f.extend(dst);
    f.extend(sport.to_be_bytes());
    f.extend(dport.to_be_bytes());
    f.extend(seq.to_be_bytes());
    f.extend(ack.to_be_bytes());
    f.extend([((tcp_len / 4) as u8) << 4, flags, 0xff, 0xff, 0, 0, 0, 0]);
    f.extend_from_slice(options);
    f.extend_from_slice(payload);
    f
}

