//! Damaged variants of real captures: cut at every offset, corrupted lengths, garbage and
//! flipped bytes. Each must give a clear message with the byte offset and the last good frame,
//! keep every frame before the damage exactly as in the undamaged file, and never panic.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{analyze_cli, corpus_dir, read};
use tcp_ladder::capture::{read_capture, RawFrame};
use tcp_ladder::session::{analyze_bytes, Session};

/// (frame number, byte offset of its record, byte offset just past it) for every frame.
fn records(bytes: &[u8]) -> Vec<(u64, u64, u64)> {
    let mut starts = Vec::new();
    read_capture(bytes, &mut |f: &RawFrame<'_>| starts.push((f.number, f.file_offset))).unwrap();
    let mut out = Vec::new();
    for (i, &(n, start)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(bytes.len() as u64, |&(_, s)| s);
        out.push((n, start, end));
    }
    out
}

/// The TCP frames of `damaged` up to `last_frame` are those of `whole`, field for field.
#[track_caller]
fn same_frames_before(whole: &Session, damaged: &Session, last_frame: u64) {
    let expected: Vec<_> = whole.packets().filter(|p| p.frame <= last_frame).collect();
    let got: Vec<_> = damaged.packets().filter(|p| p.frame <= last_frame).collect();
    assert_eq!(got.len(), expected.len(), "TCP frames up to {last_frame}");
    for (g, e) in got.iter().zip(expected) {
        assert_eq!((g.frame, g.stream, g.seq, g.ack, g.segment), (e.frame, e.stream, e.seq, e.ack, e.segment));
    }
}

fn cut_everywhere(name: &str, header_len: usize) {
    let bytes = read(&corpus_dir("public").join(name));
    let whole = analyze_bytes(&bytes).unwrap();
    let recs = records(&bytes);
    let mut checked = 0;
    for cut in 0..bytes.len() {
        let result = analyze_bytes(&bytes[..cut]);
        if cut < header_len {
            let err = result.expect_err("a file cut inside its header is not a capture");
            assert!(!err.message.is_empty());
            continue;
        }
        let damaged = result.unwrap_or_else(|e| panic!("{name} cut at {cut}: {e}"));
        let whole_records = recs.iter().filter(|r| r.2 <= cut as u64).count() as u64;
        match recs.iter().find(|r| r.1 < cut as u64 && (cut as u64) < r.2) {
            None => {
                // Between packets: at a block boundary nothing is wrong; inside a block that
                // holds no packet (an interface description, say) the damage is that block.
                if let Some(d) = &damaged.damage {
                    let last_end = recs.iter().filter(|r| r.2 <= cut as u64).map(|r| r.2).max().unwrap_or(0);
                    assert!(d.offset >= last_end.min(header_len as u64) && d.offset < cut as u64, "{name} cut at {cut}: {d}");
                    assert_eq!(d.after_frame, whole_records, "{name} cut at {cut}: {d}");
                }
                assert_eq!(damaged.format.packets, whole_records);
            }
            Some(&(frame, start, _)) => {
                let d = damaged.damage.as_ref().unwrap_or_else(|| panic!("{name} cut at {cut}: no damage reported"));
                assert_eq!(d.offset, start, "{name} cut at {cut}: offset of the cut record");
                assert_eq!(d.after_frame, frame - 1, "{name} cut at {cut}: last good frame");
                assert!(d.message.contains("ends in the middle"), "{name} cut at {cut}: {}", d.message);
            }
        }
        same_frames_before(&whole, &damaged, whole_records);
        checked += 1;
    }
    assert!(checked > 100, "{name}: only {checked} cuts checked");
}

#[test]
fn a_pcap_cut_at_any_offset_keeps_every_frame_before_the_cut() {
    cut_everywhere("tcpdump_whois.pcap", 24);
}

#[test]
fn a_pcapng_cut_at_any_offset_keeps_every_frame_before_the_cut() {
    // A file cut inside its section header block is not readable at all.
    let bytes = read(&corpus_dir("public").join("zeek_tcp_retransmit-timeout.pcapng"));
    let section_header_len = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    cut_everywhere("zeek_tcp_retransmit-timeout.pcapng", section_header_len);
}

#[test]
fn a_truncated_gzip_keeps_what_could_be_inflated() {
    let bytes = read(&corpus_dir("public").join("zeek_http_1000-requests-one-dropped-response.pcap.gz"));
    let whole = analyze_bytes(&bytes).unwrap();
    let damaged = analyze_bytes(&bytes[..bytes.len() / 2]).unwrap();
    let d = damaged.damage.clone().expect("damage reported");
    assert!(d.after_frame > 100 && d.after_frame < whole.format.packets, "{d}");
    same_frames_before(&whole, &damaged, d.after_frame);
}

#[test]
fn a_corrupt_pcap_record_length_stops_there_with_its_offset() {
    let mut bytes = read(&corpus_dir("public").join("tcpdump_whois.pcap"));
    let recs = records(&bytes);
    let (_, start, _) = recs[4]; // frame 5
    let at = start as usize + 8; // incl_len
    bytes[at..at + 4].copy_from_slice(&0x7fff_ffffu32.to_le_bytes());
    let damaged = analyze_bytes(&bytes).unwrap();
    let d = damaged.damage.clone().unwrap();
    assert_eq!((d.offset, d.after_frame), (start, 4));
    assert!(d.message.contains("frame 5") && d.message.contains("record length is corrupt"), "{}", d.message);
    same_frames_before(&analyze_bytes(&read(&corpus_dir("public").join("tcpdump_whois.pcap"))).unwrap(), &damaged, 4);
}

#[test]
fn a_corrupt_pcapng_block_length_stops_there_with_its_offset() {
    let path = corpus_dir("public").join("chrissanders_tcp_dupack.pcapng");
    let mut bytes = read(&path);
    let recs = records(&bytes);
    let (_, start, _) = recs[2]; // frame 3
    let at = start as usize + 4; // block total length
    bytes[at..at + 4].copy_from_slice(&13u32.to_le_bytes()); // not a multiple of 4
    let damaged = analyze_bytes(&bytes).unwrap();
    let d = damaged.damage.clone().unwrap();
    assert_eq!((d.offset, d.after_frame), (start, 2), "{d}");
    assert!(d.message.contains("bad pcapng block"), "{}", d.message);
    same_frames_before(&analyze_bytes(&read(&path)).unwrap(), &damaged, 2);
}

#[test]
fn garbage_in_the_middle_of_a_pcapng_is_reported_where_it_starts() {
    let path = corpus_dir("public").join("ndpi_ocsp.pcapng");
    let whole_bytes = read(&path);
    let recs = records(&whole_bytes);
    let (_, start, _) = recs[20];
    let mut bytes = whole_bytes[..start as usize].to_vec();
    bytes.extend(std::iter::repeat_n(0xa5u8, 100));
    bytes.extend_from_slice(&whole_bytes[start as usize..]);
    let damaged = analyze_bytes(&bytes).unwrap();
    let d = damaged.damage.clone().unwrap();
    assert_eq!((d.offset, d.after_frame), (start, 20), "{d}");
    same_frames_before(&analyze_bytes(&whole_bytes).unwrap(), &damaged, 20);
}

#[test]
fn a_flipped_magic_number_is_not_a_capture_and_says_what_it_saw() {
    let mut bytes = read(&corpus_dir("public").join("tcpdump_whois.pcap"));
    bytes[0] ^= 0xff;
    let err = analyze_bytes(&bytes).unwrap_err();
    assert!(err.message.contains("magic number"), "{}", err.message);
}

#[test]
fn a_flipped_ip_version_lists_that_frame_as_undecodable_and_keeps_the_rest() {
    let path = corpus_dir("public").join("tcpdump_whois.pcap");
    let mut bytes = read(&path);
    let recs = records(&bytes);
    let (_, start, _) = recs[5]; // frame 6
    let ip_version = start as usize + 16 + 14;
    bytes[ip_version] = 0x35; // version 3
    let session = analyze_bytes(&bytes).unwrap();
    assert!(session.damage.is_none());
    assert_eq!(session.format.packets, 11);
    assert_eq!(session.counts.tcp, 10);
    assert_eq!(session.counts.undecodable, 1);
    assert_eq!(session.undecodable[0].frame, 6);
}

#[test]
fn files_that_are_not_captures_are_named() {
    let cases: [(&[u8], &str); 6] = [
        (b"<!DOCTYPE html><html><head>", "HTML file"),
        (b"{\"packets\": []}", "JSON"),
        (b"snoop\0\0\0\0\0\0\x02\0\0\0\x04", "snoop"),
        (b"PK\x03\x04rest of a zip", "ZIP"),
        (b"", "empty"),
        (b"ab", "too short"),
    ];
    for (bytes, expected) in cases {
        let err = analyze_bytes(bytes).unwrap_err();
        assert!(err.message.contains(expected), "{expected}: {}", err.message);
    }
}

#[test]
fn the_cli_exit_status_says_whole_damaged_or_unreadable() {
    let dir = std::env::temp_dir().join(format!("tcp-ladder-damage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bytes = read(&corpus_dir("public").join("tcpdump_whois.pcap"));
    let cut = dir.join("cut.pcap");
    std::fs::write(&cut, &bytes[..bytes.len() - 10]).unwrap();
    let (code, json) = analyze_cli(&cut);
    assert_eq!(code, 1);
    let json = json.unwrap();
    assert_eq!(json["errors"][0]["frame"], 10);
    assert!(json["errors"][0]["offset"].as_u64().unwrap() > 24);
    assert_eq!(json["packets"].as_array().unwrap().len(), 11, "the partial last frame is kept");

    let html = dir.join("page.pcap");
    std::fs::write(&html, "<html><body>not a capture</body></html>").unwrap();
    let (code, json) = analyze_cli(&html);
    assert_eq!((code, json.is_none()), (2, true));
    let _ = std::fs::remove_dir_all(&dir);
}
