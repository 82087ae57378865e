//! A capture read a piece at a time (as the browser reads a big `File` in slices) must give
//! exactly what reading it whole gives: the same frames, numbers, offsets, analysis and damage,
//! whatever the piece size, for every capture we have and for damaged ones.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::PathBuf;

use common::{corpus_dir, read};
use tcp_ladder::capture::NotACapture;
use tcp_ladder::session::{analyze_bytes, Session, SessionBuilder};

fn analyze_in_pieces(bytes: &[u8], piece: usize) -> Result<Session, NotACapture> {
    let mut builder = SessionBuilder::new(Some(bytes.len() as u64));
    for chunk in bytes.chunks(piece) {
        builder.push(chunk)?;
        if builder.stopped() {
            break;
        }
    }
    builder.finish()
}

/// Everything a reader and the analysis produce, in one comparable value per packet.
fn fingerprint(s: &Session) -> Vec<String> {
    let mut out = vec![
        format!("{:?} {:?}", s.counts, s.damage),
        format!(
            "{:?} frames={} streams={}",
            s.format.container,
            s.format.frames(),
            s.streams().len()
        ),
        format!("{:?}", s.undecodable),
    ];
    out.extend(s.packets().map(|p| {
        format!(
            "{} {} {} {} {} {} {:?} {} {} {:?}",
            p.frame,
            p.time_ns,
            p.stream,
            p.seq,
            p.ack,
            p.window,
            p.analysis.flags,
            p.data_offset,
            p.cap_len,
            p.segment
        )
    }));
    for st in s.streams().iter() {
        out.push(format!(
            "{} {} {} {:?} {:?}",
            st.index,
            st.packets,
            st.problem_packets,
            st.lifecycle.shapes(),
            st.completeness
        ));
    }
    out
}

fn all_captures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for which in ["public", "generated", "real", "delayed"] {
        for e in std::fs::read_dir(corpus_dir(which)).unwrap() {
            let p = e.unwrap().path();
            let name = p.to_string_lossy().to_string();
            if name.ends_with(".pcap") || name.ends_with(".pcapng") || name.ends_with(".gz") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn pieces_of_any_size_give_the_same_session() {
    let files = all_captures();
    assert!(
        files.len() > 70,
        "expected the whole corpus, found {} files",
        files.len()
    );
    let mut compared = 0;
    for path in &files {
        let bytes = read(path);
        let whole = analyze_bytes(&bytes);
        // Small files also in tiny pieces, where every record straddles a boundary.
        let sizes: &[usize] = if bytes.len() < 200_000 {
            &[1, 7, 100, 4096, 1 << 20]
        } else {
            &[4093, 1 << 16, 1 << 22]
        };
        for &piece in sizes {
            let streamed = analyze_in_pieces(&bytes, piece);
            match (&whole, &streamed) {
                (Ok(w), Ok(s)) => assert!(
                    fingerprint(w) == fingerprint(s),
                    "{} read in pieces of {piece} differs",
                    path.display()
                ),
                (Err(w), Err(s)) => assert_eq!(w, s, "{} in pieces of {piece}", path.display()),
                _ => panic!(
                    "{} in pieces of {piece}: whole {:?}, pieces {:?}",
                    path.display(),
                    whole.is_ok(),
                    streamed.is_ok()
                ),
            }
            compared += 1;
        }
    }
    println!(
        "{compared} piece-wise reads of {} captures identical to whole reads",
        files.len()
    );
}

#[test]
fn damaged_files_stop_at_the_same_place_when_streamed() {
    let bytes = read(&corpus_dir("public").join("chrissanders_synscan.pcapng"));
    let pcap = read(&corpus_dir("real").join("seed_close_delayed.pcap"));
    for original in [&bytes, &pcap] {
        // Cut at many places, and a corrupt length in the middle.
        let step = (original.len() / 97).max(1);
        for cut in (0..original.len()).step_by(step) {
            let damaged = &original[..cut];
            let whole = analyze_bytes(damaged).map(|s| fingerprint(&s));
            let streamed = analyze_in_pieces(damaged, 64).map(|s| fingerprint(&s));
            assert_eq!(whole, streamed, "cut at {cut}");
        }
        let mut corrupt = original.clone();
        let mid = corrupt.len() / 2;
        corrupt[mid..mid + 8].copy_from_slice(&[0xff; 8]);
        assert_eq!(
            analyze_bytes(&corrupt).map(|s| fingerprint(&s)),
            analyze_in_pieces(&corrupt, 1000).map(|s| fingerprint(&s))
        );
    }
}

#[test]
fn a_streamed_session_can_be_looked_at_while_it_grows() {
    let bytes = read(&corpus_dir("public").join("chrissanders_synscan.pcapng"));
    let mut builder = SessionBuilder::new(Some(bytes.len() as u64));
    let mut seen = Vec::new();
    for chunk in bytes.chunks(bytes.len() / 5 + 1) {
        builder.push(chunk).unwrap();
        seen.push((builder.bytes_read(), builder.session().streams().len()));
    }
    let total = builder.finish().unwrap().streams().len();
    // Connections appear as the file is read, and bytes read only grow.
    assert!(
        seen.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1),
        "{seen:?}"
    );
    assert!(seen[0].1 > 0 && seen[0].1 < total, "{seen:?} of {total}");
}
