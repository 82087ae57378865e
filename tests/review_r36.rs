//! What the reading R36 (session 28's, the whole corpus) found, each fix against the packets
//! that show it.
#![cfg(not(target_arch = "wasm32"))]

mod common;

/// R36A-1: at the receiver of lossy/tail_loss the sender's loss probe (frame 22, seq 13033, the
/// relay's log: its first copy dropped) passes once, right after an IPv4 identification skip
/// (0x0180 → 0x0182). "No … resend to repair a loss passed here" denied it; no segment passed
/// twice is what the packets show. At the sender the probe and its original both pass.
#[test]
fn a_resend_of_a_segment_lost_before_here_passes_once() {
    for file in ["tail_loss_at_receiver.pcap", "rto_backoff_at_receiver.pcap"] {
        let told = common::story_text(&common::recorded("lossy", file), 0);
        assert!(told.contains("no duplicate ACK or SACK passed here, and no segment twice to repair a loss (a resend of one lost before this point passes it once") && !told.contains("resend to repair a loss passed here"), "{file}: {told}");
    }
}
