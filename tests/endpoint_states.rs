//! Each endpoint's states come from evidence, not capture order (RFC 9293): over every
//! connection of every capture in the repository, each endpoint's path is a path of the
//! standard state diagram, and every close state agrees with what the FINs' ACK fields say.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, corpus_files, read};
use tcp_ladder::session::{analyze_bytes, Session};
use tcp_ladder::tcp::lifecycle::{valid_path, Evidence, StateChange, TcpState};
use tcp_ladder::tcp::seq::ge;
use tcp_ladder::tcp::TcpPacket;

fn every_session() -> Vec<(String, Session)> {
    let mut out = Vec::new();
    for which in ["public", "generated", "real", "delayed"] {
        for path in corpus_files(which) {
            if let Ok(s) = analyze_bytes(&read(&path)) {
                out.push((path.file_name().unwrap().to_string_lossy().into_owned(), s));
            }
        }
    }
    out
}

fn seq_end(p: &TcpPacket) -> u32 {
    let f = p.segment.flags;
    p.segment.seq.wrapping_add(p.segment.payload_len).wrapping_add(u32::from(f.syn())).wrapping_add(u32::from(f.fin()))
}

/// Checks one state change against the segments; returns what is wrong.
fn check(change: &StateChange, client: bool, packets: &[TcpPacket]) -> Option<String> {
    let at = |frame: u64| packets.iter().find(|p| p.frame == frame);
    let cause = at(change.cause)?;
    let peer_fins: Vec<&TcpPacket> = packets.iter().filter(|p| p.from_client != client && p.segment.flags.fin()).collect();
    match (change.state, change.evidence) {
        // A FIN sent: LAST-ACK only if it acknowledges a FIN of the peer, FIN-WAIT-1 only if it
        // acknowledges none.
        (TcpState::LastAck, Evidence::Sent) => {
            let acks = peer_fins.iter().any(|f| cause.segment.flags.ack() && ge(cause.segment.ack, seq_end(f)));
            (!acks || !cause.segment.flags.fin()).then(|| format!("LAST-ACK at frame {} whose FIN acknowledges no FIN", change.frame))
        }
        (TcpState::FinWait1, Evidence::Sent) => {
            let acks = peer_fins.iter().any(|f| f.frame < cause.frame && cause.segment.flags.ack() && ge(cause.segment.ack, seq_end(f)));
            (acks || !cause.segment.flags.fin()).then(|| format!("FIN-WAIT-1 at frame {} whose FIN acknowledges the peer's FIN", change.frame))
        }
        // A FIN received and acknowledged: the acknowledging segment really covers it.
        (TcpState::CloseWait | TcpState::Closing | TcpState::TimeWait, Evidence::Acknowledged) if cause.segment.flags.fin() => {
            let by = at(change.by?)?;
            (by.from_client != client || !ge(by.segment.ack, seq_end(cause)))
                .then(|| format!("{} at frame {}: frame {} does not acknowledge the FIN of frame {}", change.state.rfc_name(), change.frame, by.frame, cause.frame))
        }
        // A FIN received must never be acknowledged-short: no segment of this side sent before
        // `frame` and after the FIN may carry an ACK beyond the FIN... and none after it short of it.
        (TcpState::CloseWait | TcpState::Closing, _) => {
            let short = packets.iter().any(|p| {
                p.from_client == client && p.frame > cause.frame && p.frame > change.frame && p.segment.flags.ack() && !p.segment.flags.rst() && !ge(p.segment.ack, seq_end(cause))
                    && change.by.is_none_or(|by| p.frame < by)
            });
            short.then(|| format!("{} at frame {} but a later ACK of this side stops short of the FIN of frame {}", change.state.rfc_name(), change.frame, cause.frame))
        }
        _ => None,
    }
}

#[test]
fn every_endpoint_path_is_a_path_of_the_rfc_9293_diagram_and_agrees_with_the_ack_fields() {
    let (mut endpoints, mut changes, mut inferred) = (0usize, 0usize, 0usize);
    let mut problems = Vec::new();
    for (name, session) in every_session() {
        for s in session.streams().iter() {
            let states = session.connection(s.index).unwrap().states().clone();
            let packets: Vec<TcpPacket> = session.connection(s.index).unwrap().packets().collect();
            for client in [true, false] {
                let side = states.side(client);
                endpoints += 1;
                changes += side.len();
                inferred += side.iter().filter(|c| c.inferred()).count();
                let path: Vec<&str> = side.iter().map(|c| c.state.rfc_name()).collect();
                if !valid_path(side) {
                    problems.push(format!("{name} stream {} {}: not a path of the diagram: {path:?}", s.index, if client { "client" } else { "server" }));
                }
                // Placement never precedes the cause, and the frames are in order.
                if side.iter().any(|c| c.frame < c.cause) || side.windows(2).any(|w| w[1].frame < w[0].frame) {
                    problems.push(format!("{name} stream {}: states out of order {:?}", s.index, side.iter().map(|c| (c.state.rfc_name(), c.frame)).collect::<Vec<_>>()));
                }
                for c in side {
                    if let Some(p) = check(c, client, &packets) {
                        problems.push(format!("{name} stream {}: {p}", s.index));
                    }
                }
            }
        }
    }
    println!("{endpoints} endpoints, {changes} state changes ({inferred} inferred), {} problems", problems.len());
    assert!(endpoints > 2000, "the corpus is there");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn states(s: &Session, stream: u32, client: bool) -> Vec<(&'static str, u64)> {
    s.connection(stream).unwrap().states().side(client).iter().map(|c| (c.state.rfc_name(), c.frame)).collect()
}

fn public(name: &str) -> Session {
    analyze_bytes(&read(&corpus_dir("public").join(name))).unwrap()
}

#[test]
fn crossing_fins_are_fin_wait_1_closing_time_wait_on_both_sides() {
    // Frame 10 (client FIN, ack=343) and frame 11 (server FIN, ack=80) cross: neither's ACK
    // field covers the other FIN, so each was sent before the other arrived.
    let s = public("zeek_http_get-gzip.pcap");
    assert_eq!(&states(&s, 0, true)[2..], [("FIN-WAIT-1", 10), ("CLOSING", 11), ("TIME-WAIT", 13)]);
    assert_eq!(&states(&s, 0, false)[3..], [("FIN-WAIT-1", 11), ("CLOSING", 11), ("TIME-WAIT", 12)]);
    let e = s.connection(0).unwrap().states().clone();
    // The server received the client's FIN only after sending its own: the arrow crosses.
    assert_eq!(e.arrives_after(10), Some(11));
    let closing = e.side(false).iter().find(|c| c.state == TcpState::Closing).unwrap();
    assert_eq!((closing.cause, closing.by, closing.evidence), (10, Some(13), Evidence::Acknowledged));
}

#[test]
fn an_rst_that_does_not_acknowledge_the_syn_is_ignored_in_syn_sent() {
    // Frame 2: RST with ack = the client's ISN, not ISN + 1: RFC 9293 §3.10.7.3 drops it, and
    // the handshake goes on at frame 3.
    let s = public("zeek_tcp_rst-inject-rae.pcap");
    assert_eq!(states(&s, 0, true), [("SYN-SENT", 1), ("ESTABLISHED", 3), ("CLOSED", 8)]);
    let shapes = s.streams()[0].lifecycle.shapes();
    assert_eq!(shapes.close_frames, Some((7, 7)), "the reset that counts is frame 7");
    let e = s.connection(0).unwrap().states().clone();
    assert!(e.ignored_at(2).any(|i| i.client));
}

#[test]
fn a_fin_below_the_receive_window_does_not_close_a_listener() {
    // Frame 2: a bare FIN with the SYN's own sequence number, to a server still in LISTEN;
    // frame 4's FIN is below RCV.NXT too. Neither makes the server CLOSE-WAIT.
    let s = public("zeek_tcp_fin_retransmission.pcap");
    let server = states(&s, 0, false);
    assert!(server.iter().all(|(st, _)| *st != "CLOSE-WAIT"), "{server:?}");
    assert_eq!(server.first(), Some(&("LISTEN", 1)));
}

#[test]
fn a_fin_received_out_of_order_is_processed_only_when_the_acks_reach_it() {
    // Frame 5: the server's FIN at seq 14 arrives before its data (frames 7–8, seq 1–13). The
    // client's ACKs in frames 9 and 10 stop at 1; frame 11 acknowledges 15, FIN included. So
    // the client processed the FIN between frames 10 and 11, not at frame 5.
    let s = public("zeek_tcp_ctu-64702-888.pcap");
    let e = s.connection(0).unwrap().states().clone();
    let close_wait = e.side(true).iter().find(|c| c.state == TcpState::CloseWait).unwrap();
    assert_eq!((close_wait.cause, close_wait.frame, close_wait.by), (5, 10, Some(11)));
    assert_eq!(e.side(true).first().map(|c| (c.state, c.frame)), Some((TcpState::Established, 1)), "it acknowledged the SYN-ACK");
}
