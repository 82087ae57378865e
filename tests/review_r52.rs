//! Review R52 (a teacher's reading of the application's words against the packets, with
//! tshark): the phases named by the application and the list's words where the capture lost or
//! cut an answer. Each test failed on the code before its fix.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::follow::follow_packets;
use tcp_ladder::messages::{app_phases, messages, AppPhase};
use tcp_ladder::session::{analyze_bytes, Session};

fn session(dir: &str, name: &str) -> (Session, Vec<u8>) {
    let bytes = read(&corpus_dir(dir).join(name));
    (analyze_bytes(&bytes).unwrap(), bytes)
}

fn phases(s: &Session, bytes: &[u8], stream: u32) -> Vec<(u64, u64, AppPhase)> {
    let conn = s.connection(stream).unwrap();
    let file = s.file_bytes(bytes);
    let plan = follow_packets((0..conn.len()).filter_map(|i| conn.packet(i)));
    let found = messages(&plan, |c| {
        let p = conn.packet(c.index as usize).unwrap();
        c.bytes(conn.payload_of(&p, p.frame_in(file))).into_owned()
    });
    let frame = |i: usize| conn.packet(i).unwrap().frame;
    app_phases(&found, false).into_iter().map(|p| (frame(p.first), frame(p.last), p)).collect()
}

/// R52-1 (FALSE): an answer whose start the capture lost shifted every later pairing by one
/// (request 2's phase took request 1's lost answer's place; tshark's http.request_in pairs
/// frame 1301 with the request of frame 1292).
#[test]
fn an_answer_whose_start_was_lost_answers_its_own_request() {
    let (s, bytes) = session("public", "ndpi_1kxun.pcap");
    let p = phases(&s, &bytes, 51);
    assert!(p[0].2.title.contains("answer's start not captured"), "{:?}", p[0].2.title);
    assert_eq!((p[1].0, p[1].1), (1292, 1301), "{:?}", p[1].2.title);
    assert!(p[1].2.title.contains("go_homepage.png → 200 OK, 1030 B body"), "{:?}", p[1].2.title);
    assert_eq!((p[2].0, p[2].1), (1308, 1320));
    assert!(p.iter().all(|x| !x.2.title.contains("no answer captured")));
}

/// R52-2 (FALSE): an answer the capture's end cut off read as complete ("9.42 MB body, 73.6 ms").
#[test]
fn an_answer_the_capture_cut_says_so_and_how_much_was_captured() {
    let (s, bytes) = session("public", "ndpi_1kxun.pcap");
    let p = phases(&s, &bytes, 17);
    assert!(p[0].2.cut_short);
    assert!(p[0].2.title.ends_with("206 Partial Content, body cut short: 2048 B captured of 9.42 MB"), "{:?}", p[0].2.title);
}

/// R52-4: the list said an interim "100 Continue" was the answer.
#[test]
fn an_interim_answer_is_not_the_lists_status() {
    let (s, _) = session("public", "ndpi_1kxun.pcap");
    for stream in [13, 14] {
        assert_eq!(s.opening(stream).unwrap().status, Some(200), "stream {stream}");
    }
}

/// R52-6/7: TLS's encrypted records after the handshake: closing alerts left out of the span
/// (one came 5.6 s after the last data), and what TLS 1.3's records may carry said.
#[test]
fn encrypted_records_leave_closing_alerts_out_and_say_what_they_may_be() {
    let (s, bytes) = session("public", "ndpi_1kxun.pcap");
    let p = phases(&s, &bytes, 15);
    let records = p.iter().find(|x| x.2.title.starts_with("encrypted records")).unwrap();
    assert_eq!((records.0, records.1), (519, 520));
    assert!(records.2.note.as_deref().unwrap().contains("1 encrypted alert"));
    let (s, bytes) = session("app", "tls13.pcap");
    let p = phases(&s, &bytes, 0);
    assert!(p[0].2.note.as_deref().unwrap().contains("inferred from the order"));
    assert!(p[1].2.note.as_deref().unwrap().contains("session tickets"));
}

/// R52-9: a handshake the capture does not finish said so, and its time is a least.
#[test]
fn an_unfinished_handshake_says_so() {
    let (s, bytes) = session("public", "zeek_tls_openjdk-25.0.2-zeek.org.pcap");
    let p = phases(&s, &bytes, 0);
    assert!(p[0].2.title.contains("not completed in the capture") && p[0].2.cut_short, "{:?}", p[0].2.title);
}
