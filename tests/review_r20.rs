//! What the final reading of issue #23 (R20, session 24) found, each against the packets that
//! show it.
#![cfg(not(target_arch = "wasm32"))]

mod common;

/// zeek_tcp_reassembly frame 44 (ack=10471) covers frame 24's bytes 2.231 s after they passed,
/// but the server's frame 43, 80.6 ms earlier, still asked for byte 9023 (frame 22 carried it at
/// 0.66 s; its resend after the timeout is not in the capture): the server lacked that byte,
/// whatever it held beyond it (frame 24 may have waited out of order: no SACK to tell). Before,
/// only "held somewhere on the way", as if frame 24 itself had been.
#[test]
fn an_ack_after_one_that_stopped_below_the_segment_names_the_missing_byte() {
    let session = common::shared_session("zeek_tcp_reassembly.pcap");
    let words = common::segment_words(&session, 0, 44);
    for part in ["It acknowledges frame 24 exactly", "the server's frame 43", "still asked for byte 9023 (ack=9023)", "to frame 24's last (10470)", "whatever it held beyond it", "a copy sent again that this capture does not hold"] {
        assert!(words.contains(part), "{part}: {words}");
    }
    assert!(!words.contains("did not have all of frame 24's bytes"), "{words}");
    // Frame 41's earlier ACK stopped inside the frame it covers: the words for that case stay.
    let words = common::segment_words(&session, 0, 41);
    assert!(words.contains("a byte frame 20 carries, and no further"), "{words}");
}

/// At the data's sender (spurious_at_sender: the relay froze segment 100 and everything behind
/// it for 450 ms), an ACK after one that stopped below its segment says the bytes were held on
/// the way — the capture holds every copy the client sent — or waited in the receiver's queue.
#[test]
fn at_the_sender_a_missing_byte_was_held_not_resent_unseen() {
    let session = tcp_ladder::session::analyze_bytes(&common::read(&common::corpus_dir("lossy").join("spurious_at_sender.pcap"))).unwrap();
    let words = common::segment_words(&session, 0, 206);
    assert!(words.contains("still asked for byte 166521") && words.contains("held that long on the way (this capture, at the client, holds every copy it sent)") && !words.contains("a copy sent again that this capture does not hold"), "{words}");
}
