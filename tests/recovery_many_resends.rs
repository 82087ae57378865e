//! A connection with tens of thousands of resends: each ACK looks only at the resends it can
//! still decide (RecoveryWalk's bisection), so the walk stays linear, and every resend is still
//! found with the same verdict.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::synth::{pcap_header, record, tcp_frame_between};
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::recovery::{recovery, ResendKind};
use tcp_ladder::tcp::recovery_episodes::recovery_episodes;

#[test]
fn many_resends_are_each_found_once() {
    const N: u32 = 30_000;
    let (client, server) = ([10, 0, 0, 1], [192, 168, 0, 1]);
    let c = |seq, ack, flags, payload: &[u8]| tcp_frame_between(client, server, 40000, 80, seq, ack, flags, &[], payload);
    let s = |seq, ack, flags| tcp_frame_between(server, client, 80, 40000, seq, ack, flags, &[], &[]);
    let mut file = pcap_header(1);
    let mut n = 0;
    let mut put = |frame: Vec<u8>| {
        record(&mut file, n, &frame);
        n += 1;
    };
    put(c(1000, 0, 0x02, &[]));
    put(s(5000, 1001, 0x12));
    put(c(1001, 5001, 0x10, &[]));
    // Each segment twice, 1 ms apart (too soon for any timer: a copy the capture does not
    // explain), then its ACK 1 ms later.
    for k in 0..N {
        let seq = 1001 + 100 * k;
        put(c(seq, 5001, 0x18, &[b'x'; 100]));
        put(c(seq, 5001, 0x18, &[b'x'; 100]));
        put(s(5001, seq + 100, 0x10));
    }
    let session = analyze_bytes(&file).unwrap();
    let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
    let r = recovery(&packets);
    assert_eq!(r.resends.len(), N as usize);
    assert!(r.resends.iter().all(|r| r.kind == ResendKind::Unexplained && r.from_client), "{:?}", &r.resends[..3]);
    // The ACK comes a round trip (1 ms, the shortest seen) after the copy: not too soon.
    assert!(r.resends.iter().all(|r| r.not_needed.is_none()));
    // No hole was ever reported: each resend is its own (timer-less) episode.
    let episodes = recovery_episodes(&packets);
    assert_eq!(episodes.len(), N as usize);
    assert!(episodes.iter().all(|e| e.resends.len() == 1 && e.segments_repaired == 1));
}
