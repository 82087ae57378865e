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
