//! IPv4 fragments (made from a real capture by tests/captures/make_variants.sh): the first
//! fragment still yields its TCP header; the later one is listed as a fragment, not dropped.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::session::analyze_bytes;

#[test]
fn first_fragment_is_tcp_and_later_fragments_are_counted() {
    let session = analyze_bytes(&read(&corpus_dir("generated").join("ipv4-fragments.pcap"))).unwrap();
    assert_eq!(session.format.packets, 12);
    assert_eq!(session.counts.ip_fragments, 1, "the second fragment is listed as a fragment");
    assert_eq!(session.counts.tcp, 11);
    let first = session.packets().find(|p| p.frame == 6).expect("frame 6, the first fragment, is TCP");
    // Its stream and sequence numbers are those of frame 6 of the unfragmented capture; its
    // length is what this fragment's IP header says it carries.
    let whole = analyze_bytes(&read(&corpus_dir("public").join("tcpdump_whois.pcap"))).unwrap();
    let original = &whole.packet(5).unwrap();
    assert_eq!((first.stream, first.seq, first.ack), (original.stream, original.seq, original.ack));
    assert!(first.segment.payload_len < original.segment.payload_len);
    assert!(session.packets().all(|p| p.frame != 7), "frame 7 is the later fragment");
}
