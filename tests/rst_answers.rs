//! An RST without ACK whose sequence number is the ACK of the peer's segment just before it is
//! how a host with no connection answers that segment (RFC 9293 §3.10.7.1), not an abort of a
//! connection it still had (R8b-08: zeek_tcp_ctu-64702-888's server answered the client's FIN
//! 94 ms later; the Reset phase said it "aborted"). Every connection of every capture: the
//! Reset caption says which segment was answered exactly where the packets show it, as the test
//! reads them itself.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{every_capture, read};
use tcp_ladder::report::story::story;
use tcp_ladder::session::analyze_bytes;

#[test]
fn an_rst_without_ack_answering_a_segment_is_said_so() {
    let (mut answered, mut problems) = (0, Vec::new());
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        for s in session.streams().iter() {
            let Ok(conn) = session.connection(s.index) else { continue };
            let told = story(&conn);
            let Some(reset) = told.phases.iter().find(|p| p.kind == "reset") else { continue };
            let packets: Vec<_> = conn.packets().filter(|p| p.flags_captured()).collect();
            let Some(i) = packets.iter().position(|p| p.segment.flags.rst()) else { continue };
            let rst = &packets[i];
            let handshake = packets.iter().any(|p| p.segment.flags.syn()) || packets[..i].iter().any(|p| p.segment.flags.ack());
            let latest = packets[..i].iter().rev().find(|p| p.from_client != rst.from_client && p.segment.flags.ack() && !p.segment.flags.rst());
            // Each peer segment with data or FIN that finds the connection gone draws an RST
            // (R43-2): the first such since the RST's sender last sent anything but an RST, a
            // segment alike to the one before it being that one captured twice (R8b-08's FIN
            // 13/14); without one, the peer's latest segment with ACK.
            let since = packets[..i].iter().rposition(|p| p.from_client == rst.from_client && !p.segment.flags.rst()).map_or(0, |k| k + 1);
            let alike = |a: &tcp_ladder::tcp::TcpPacket, b: &tcp_ladder::tcp::TcpPacket| (a.segment.seq, a.segment.ack, a.segment.payload_len, a.segment.flags.0) == (b.segment.seq, b.segment.ack, b.segment.payload_len, b.segment.flags.0);
            let peer: Vec<_> = packets[since..i].iter().filter(|p| p.from_client != rst.from_client && !p.segment.flags.rst()).collect();
            let first_waiting = peer.iter().enumerate().find(|(k, p)| p.segment.flags.ack() && (p.segment.payload_len > 0 || p.segment.flags.fin()) && !(*k > 0 && alike(peer[k - 1], p)) && p.segment.ack == rst.segment.seq).map(|(_, p)| *p);
            let before = first_waiting.or(latest);
            let answers = handshake && !rst.segment.flags.ack() && before.is_some_and(|b| b.segment.ack == rst.segment.seq);
            let said = reset.caption.contains("was answered with an RST without ACK");
            if answers {
                answered += 1;
                let want = format!("(frame {}) was answered with an RST without ACK (frame {})", before.unwrap().frame, rst.frame);
                if !reset.caption.contains(&want) {
                    problems.push(format!("{} stream {}: want {want:?} in {:?}", path.display(), s.index, reset.caption));
                }
            } else if said {
                problems.push(format!("{} stream {}: {:?}", path.display(), s.index, reset.caption));
            }
        }
    }
    assert!(answered >= 2, "only {answered} RSTs answering a segment");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}

/// R8b-16: ndpi_anydesk stream 3 — the server's 954 bytes after the client's FIN were refused at
/// once by an RST without ACK (frame 96): not "a half-close (… the other still open)".
#[test]
fn data_refused_after_a_fin_is_no_half_close() {
    let session = analyze_bytes(&read(&common::corpus_dir("public").join("ndpi_anydesk.pcapng"))).unwrap();
    let conn = session.connection(3).unwrap();
    let packets: Vec<_> = conn.packets().collect();
    let fin = packets.iter().find(|p| p.from_client && p.segment.flags.fin()).unwrap().frame;
    let rst = packets.iter().find(|p| p.segment.flags.rst()).unwrap();
    assert!(rst.from_client && !rst.segment.flags.ack());
    let after: u32 = packets.iter().filter(|p| !p.from_client && p.frame > fin && p.frame < rst.frame).map(|p| p.segment.payload_len).sum();
    let data = story(&conn).phases.into_iter().find(|p| p.kind == "data").unwrap().caption;
    assert!(data.contains(&format!("{after} bytes server → client were sent after the client's FIN: the client refused them with an RST without ACK (frame {}): it received no more", rst.frame)), "{data}");
    assert!(!data.contains("half-close (one direction closed"), "{data}");
}
