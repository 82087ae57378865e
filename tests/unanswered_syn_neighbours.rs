//! An unanswered SYN that went by once (R9-02, chrissanders_synscan: 1 986 of them, each with at
//! least 17.9 s of capture after it; half followed within 0.1–1.2 s by a SYN to the same port
//! from the next source port). The caption says how much capture followed — a client's TCP
//! sends its SYN again after about 1 s on the same ports — and names the scanner's other try.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::diagram::{layout, LadderOptions};
use tcp_ladder::session::analyze_bytes;

#[test]
fn a_single_syn_says_how_much_capture_followed_and_names_the_other_try() {
    let session = analyze_bytes(&read(&corpus_dir("public").join("chrissanders_synscan.pcapng"))).unwrap();
    let streams = session.streams();
    let end_ns = session.last_time_ns.unwrap() - session.first_time_ns.unwrap();
    let (mut single, mut named) = (0, 0);
    for stream in 0..streams.len() as u32 {
        let s = &streams[stream as usize];
        let conn = session.connection(stream).unwrap();
        let ladder = layout(&conn, &LadderOptions::default());
        let Some(open) = ladder.phases.iter().find(|p| p.title == "Unanswered SYN") else { continue };
        single += 1;
        let after = format!("the capture runs {:.1} s more with no second copy", (end_ns - s.first_time_ns) as f64 / 1e9);
        assert!(open.caption.contains(&after) && !open.caption.contains("capture ended sooner"), "stream {stream}: {}", open.caption);
        // The other try it names: an unanswered SYN from the same address to the same port.
        if let Some(i) = open.caption.find("(stream ") {
            named += 1;
            let other: usize = open.caption[i + 8..].split(')').next().unwrap().parse().unwrap();
            let o = &streams[other];
            assert!(o.client.addr == s.client.addr && o.server == s.server && o.client.port != s.client.port, "stream {stream} names stream {other}");
            assert!((o.first_time_ns - s.first_time_ns).abs() <= 3_000_000_000, "stream {stream} names stream {other}");
            let gap = (o.first_time_ns - s.first_time_ns) as f64 / 1e9;
            let when = if gap >= 0.0 { format!("{gap:.3} s later") } else { format!("{:.3} s earlier", -gap) };
            assert!(open.caption.contains(&format!("went by {when} from source port {}", o.client.port)), "{}", open.caption);
            let answered = session.connection(other as u32).unwrap().packets().any(|p| p.segment.flags.rst() || (p.segment.flags.syn() && p.segment.flags.ack()));
            assert!(!answered, "stream {other} was answered");
        }
    }
    // tshark: 1 986 single unanswered SYNs; every one's port tried twice (993 pairs).
    assert_eq!(single, 1986);
    assert_eq!(named, 1986);
}
