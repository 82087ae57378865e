//! IP fragments (made from a real capture by tests/captures/make_variants.sh, and built here
//! from it): a TCP segment split by IP is put back together as tshark does (`ip.defragment`),
//! placed at the fragment that completed it, and told as such; nothing is "never captured".
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::diagram::explain_all;
use tcp_ladder::session::analyze_bytes;

/// tshark's TCP segments of a capture: (frame, relative seq, tcp.len), from its oracle (tshark
/// 4.0 with IP reassembly on, its default).
fn tshark_segments(path: &std::path::Path) -> Vec<(u64, u64, u64)> {
    let text = std::fs::read_to_string(format!("{}.oracle.json", path.display())).unwrap();
    let oracle: serde_json::Value = serde_json::from_str(&text).unwrap();
    oracle["packets"].as_array().unwrap().iter().filter_map(|p| Some((p["frame"].as_u64()?, p["seq"].as_u64()?, p["len"].as_u64()?))).collect()
}

#[test]
fn fragments_are_put_back_together_where_tshark_does() {
    let path = corpus_dir("generated").join("ipv4-fragments.pcap");
    let session = analyze_bytes(&read(&path)).unwrap();
    assert_eq!(session.format.packets, 12);
    let ours: Vec<(u64, u64, u64)> = session.packets().map(|p| (p.frame, u64::from(p.seq), u64::from(p.segment.payload_len))).collect();
    assert_eq!(ours, tshark_segments(&path), "frame, seq and length of every TCP segment as tshark gives them");
    assert_eq!(session.counts.ip_fragments, 1, "frame 6 is a fragment waiting for the rest of its datagram");
    let whole = analyze_bytes(&read(&corpus_dir("public").join("tcpdump_whois.pcap"))).unwrap();
    let original = whole.packet(5).unwrap();
    let segment = session.packets().find(|p| p.frame == 7).unwrap();
    assert_eq!((segment.seq, segment.segment.payload_len), (original.seq, original.segment.payload_len), "the unfragmented capture's segment");
    assert_eq!(session.reassembled().len(), 1);
    assert_eq!(session.reassembled()[0].fragments.iter().map(|f| f.number).collect::<Vec<_>>(), [6, 7]);
}

#[test]
fn a_reassembled_segment_is_told_whole_and_nothing_is_called_missing() {
    let session = analyze_bytes(&read(&corpus_dir("generated").join("ipv4-fragments.pcap"))).unwrap();
    let conn = session.connection(0).unwrap();
    for (p, text, _) in explain_all(&conn) {
        assert!(!text.contains("never saw") && !text.contains("were not captured"), "frame {}: {text}", p.frame);
        if p.frame == 7 {
            assert!(text.contains("The server sends 233 bytes"), "{text}");
            assert!(text.contains("Reassembled from 2 IP fragments (frames 6 and 7; RFC 791)"), "{text}");
        }
    }
    // `explain --format json` carries the fragments' frames as a field.
    let json = serde_json::to_value(tcp_ladder::report::story::story(&conn)).unwrap();
    let fragmented: Vec<_> = json["segments"].as_array().unwrap().iter().filter(|s| s.get("ip_fragments").is_some()).collect();
    assert_eq!(fragmented.len(), 1);
    assert_eq!((fragmented[0]["frame"].as_u64(), fragmented[0]["ip_fragments"].clone()), (Some(7), serde_json::json!([6, 7])));
}

/// Every capture: a segment said to be put back together names fragment frames that tshark
/// does not show as TCP, ending at the frame where tshark shows the segment, with tshark's
/// length; and every segment tshark shows is one of ours (checked frame by frame in
/// corpus_vs_oracle.rs).
#[test]
fn every_reassembly_in_the_corpus_agrees_with_tshark() {
    let mut reassembled = 0;
    for path in common::every_capture_and_shared() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let oracle = std::path::PathBuf::from(format!("{}.oracle.json", path.display()));
        if !oracle.exists() {
            continue;
        }
        let theirs = tshark_segments(&path);
        for r in session.reassembled() {
            reassembled += 1;
            let ours = session.packets().find(|p| p.frame == r.frame()).expect("the segment sits at the completing frame");
            assert!(theirs.contains(&(r.frame(), u64::from(ours.seq), u64::from(ours.segment.payload_len))), "{}: frame {}", path.display(), r.frame());
            for f in &r.fragments[..r.fragments.len() - 1] {
                assert!(theirs.iter().all(|t| t.0 != f.number), "{}: fragment frame {} is TCP for tshark", path.display(), f.number);
            }
        }
    }
    assert!(reassembled >= 1, "the corpus holds a fragmented segment");
}
