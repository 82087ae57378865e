//! Two captures of one connection in different formats (issue #26's bad pairs): a pcap with
//! microsecond times and Ethernet frames against a pcapng with nanosecond times and Linux
//! cooked (SLL) frames, its clock shifted. The merge is the same as between the two pcaps: every
//! segment matched, the relay's drop lost between the points, the shift found.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use tcp_ladder::merge::merge;
use tcp_ladder::session::analyze_bytes;

/// A little-endian microsecond pcap of Ethernet frames rewritten as a pcapng (one section, one
/// interface of link type LINUX_SLL with `if_tsresol` 9: nanoseconds), each frame's Ethernet
/// header replaced by a cooked header (its source address and EtherType), `shift_ns` added to
/// each time.
fn to_pcapng_sll(pcap: &[u8], shift_ns: i64) -> Vec<u8> {
    assert_eq!(&pcap[..4], &[0xd4, 0xc3, 0xb2, 0xa1], "a little-endian microsecond pcap");
    assert_eq!(u32::from_le_bytes(pcap[20..24].try_into().unwrap()), 1, "of Ethernet frames");
    let mut out = Vec::new();
    let block = |out: &mut Vec<u8>, kind: u32, body: &[u8]| {
        let len = (12 + body.len()) as u32;
        out.extend(kind.to_le_bytes());
        out.extend(len.to_le_bytes());
        out.extend(body);
        out.extend(len.to_le_bytes());
    };
    let mut shb = Vec::new();
    shb.extend(0x1A2B_3C4Du32.to_le_bytes());
    shb.extend(1u16.to_le_bytes());
    shb.extend(0u16.to_le_bytes());
    shb.extend((-1i64).to_le_bytes());
    block(&mut out, 0x0A0D_0D0A, &shb);
    let mut idb = Vec::new();
    idb.extend(113u16.to_le_bytes()); // LINUX_SLL
    idb.extend(0u16.to_le_bytes());
    idb.extend(262_144u32.to_le_bytes());
    idb.extend([9, 0, 1, 0, 9, 0, 0, 0]); // if_tsresol = 9 (10^-9 s), padded
    idb.extend([0, 0, 0, 0]); // opt_endofopt
    block(&mut out, 1, &idb);
    let mut at = 24;
    while at + 16 <= pcap.len() {
        let field = |k: usize| u32::from_le_bytes(pcap[at + 4 * k..at + 4 * k + 4].try_into().unwrap());
        let (sec, usec, incl, orig) = (field(0), field(1), field(2) as usize, field(3));
        let frame = &pcap[at + 16..at + 16 + incl];
        at += 16 + incl;
        let ns = (i64::from(sec) * 1_000_000_000 + i64::from(usec) * 1000 + shift_ns) as u64;
        let mut cooked = Vec::with_capacity(incl + 2);
        cooked.extend(0u16.to_be_bytes()); // to us
        cooked.extend(1u16.to_be_bytes()); // ARPHRD_ETHER
        cooked.extend(6u16.to_be_bytes());
        cooked.extend(&frame[6..12]);
        cooked.extend([0, 0]);
        cooked.extend(&frame[12..14]);
        cooked.extend(&frame[14..]);
        let mut epb = Vec::new();
        epb.extend(0u32.to_le_bytes());
        epb.extend(((ns >> 32) as u32).to_le_bytes());
        epb.extend((ns as u32).to_le_bytes());
        epb.extend((cooked.len() as u32).to_le_bytes());
        epb.extend((orig + 2).to_le_bytes());
        epb.extend(&cooked);
        epb.resize(epb.len().div_ceil(4) * 4, 0);
        block(&mut out, 6, &epb);
    }
    out
}

#[test]
fn a_microsecond_ethernet_pcap_merges_with_a_nanosecond_cooked_pcapng() {
    let dir = common::corpus_dir("lossy");
    for scenario in ["drop_mid", "delayed_ack", "reorder"] {
        let a = std::fs::read(dir.join(format!("{scenario}_at_sender.pcap"))).unwrap();
        let b = std::fs::read(dir.join(format!("{scenario}_at_receiver.pcap"))).unwrap();
        let plain = merge(&analyze_bytes(&a).unwrap(), &analyze_bytes(&b).unwrap());
        let shift = 37_500_000;
        let converted = analyze_bytes(&to_pcapng_sll(&b, shift)).unwrap();
        assert_eq!(converted.streams().len(), 1, "{scenario}: the converted file reads as one connection");
        let m = merge(&analyze_bytes(&a).unwrap(), &converted);
        assert!(m.notes.is_empty() && m.unmatched_a.is_empty() && m.unmatched_b.is_empty(), "{scenario}: {:?}", m.notes);
        let (c, p) = (&m.connections[0], &plain.connections[0]);
        assert_eq!((c.segments_matched, c.segments_b), (p.segments_matched, p.segments_b), "{scenario}");
        assert_eq!(c.lost_between.iter().map(|l| (l.frame, l.seq)).collect::<Vec<_>>(), p.lost_between.iter().map(|l| (l.frame, l.seq)).collect::<Vec<_>>(), "{scenario}");
        let found = c.offset_ns.unwrap() - p.offset_ns.unwrap();
        assert!((found - shift).abs() <= 200_000, "{scenario}: shift {shift} ns found as {found}");
        // The delays are the same (the µs times' rounding aside).
        let (dc, dp) = (c.path_ms.a_to_b.as_ref().unwrap(), p.path_ms.a_to_b.as_ref().unwrap());
        assert!((dc.median - dp.median).abs() < 0.01, "{scenario}: {dc:?} {dp:?}");
    }
}

/// A pcap of Ethernet/IPv4 frames as a middlebox that randomises the client's initial sequence
/// number leaves it: `delta` added to the client's sequence numbers, and to the server's
/// acknowledgements and SACK blocks of them (checksums left: nothing here checks them).
fn randomise_client_seq(pcap: &[u8], delta: u32) -> Vec<u8> {
    let mut out = pcap.to_vec();
    let mut at = 24;
    let mut client_port = None;
    while at + 16 <= out.len() {
        let incl = u32::from_le_bytes(out[at + 8..at + 12].try_into().unwrap()) as usize;
        let frame = at + 16;
        at = frame + incl;
        let ip = frame + 14;
        if out[frame + 12..frame + 14] != [0x08, 0x00] || out[ip + 9] != 6 {
            continue;
        }
        let tcp = ip + usize::from(out[ip] & 0x0f) * 4;
        let (src, flags) = (u16::from_be_bytes([out[tcp], out[tcp + 1]]), out[tcp + 13]);
        if flags & 0x12 == 0x02 {
            client_port = Some(src);
        }
        let add = |bytes: &mut [u8]| {
            let v = u32::from_be_bytes(bytes[..4].try_into().unwrap()).wrapping_add(delta);
            bytes[..4].copy_from_slice(&v.to_be_bytes());
        };
        if Some(src) == client_port {
            add(&mut out[tcp + 4..tcp + 8]);
        } else {
            if flags & 0x10 != 0 {
                add(&mut out[tcp + 8..tcp + 12]);
            }
            // SACK blocks (kind 5) acknowledge the client's bytes too.
            let end = (tcp + usize::from(out[tcp + 12] >> 4) * 4).min(at);
            let mut o = tcp + 20;
            while o < end {
                match out[o] {
                    0 => break,
                    1 => o += 1,
                    kind => {
                        let len = usize::from(*out.get(o + 1).unwrap_or(&2)).max(2);
                        if kind == 5 {
                            let mut b = o + 2;
                            while b + 4 <= (o + len).min(end) {
                                add(&mut out[b..b + 4]);
                                b += 4;
                            }
                        }
                        o += len;
                    }
                }
            }
        }
    }
    out
}

#[test]
fn a_middlebox_that_randomises_sequence_numbers_is_seen_through() {
    let dir = common::corpus_dir("lossy");
    for scenario in ["drop_mid", "reorder", "delayed_ack"] {
        let a = std::fs::read(dir.join(format!("{scenario}_at_sender.pcap"))).unwrap();
        let b = std::fs::read(dir.join(format!("{scenario}_at_receiver.pcap"))).unwrap();
        let plain = merge(&analyze_bytes(&a).unwrap(), &analyze_bytes(&b).unwrap());
        let delta = 0x9E37_79B9;
        let m = merge(&analyze_bytes(&a).unwrap(), &analyze_bytes(&randomise_client_seq(&b, delta)).unwrap());
        assert!(m.notes.is_empty(), "{scenario}: {:?}", m.notes);
        let (c, p) = (&m.connections[0], &plain.connections[0]);
        // Not the same initial sequence numbers: paired by the first segments' look, the
        // constant found.
        assert_eq!(c.paired_by, tcp_ladder::merge::PairedBy::FirstSegments, "{scenario}");
        assert_eq!((c.seq_offset.client, c.seq_offset.server), (delta, 0), "{scenario}");
        assert_eq!((c.segments_matched, c.segments_b), (p.segments_matched, p.segments_b), "{scenario}");
        assert_eq!(c.lost_between.iter().map(|l| (l.frame, l.seq)).collect::<Vec<_>>(), p.lost_between.iter().map(|l| (l.frame, l.seq)).collect::<Vec<_>>(), "{scenario}");
        assert_eq!(c.offset_ns, p.offset_ns, "{scenario}");
    }
}
