//! The capture's clock against capinfos (in every oracle): a file is in strict time order
//! exactly when we count no step back, and its duration is capinfos's "Capture duration"
//! where the order is strict. A named case: `ndpi_1kxun` is two captures joined (frame 1 033
//! is dated 2022, frame 1 032 2016: `tshark -T fields -e frame.time_epoch`), said as a jump.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_files, load_oracle, read};
use tcp_ladder::session::analyze_bytes;

#[test]
fn time_order_and_duration_agree_with_capinfos() {
    let (mut checked, mut unordered, mut problems) = (0, 0, Vec::new());
    for which in ["public", "real", "delayed", "generated"] {
        for path in corpus_files(which) {
            let oracle = load_oracle(&path);
            // "Unknown" where capinfos could not tell (a file without packet times).
            let Some(strict) = oracle["format"]["Strict time order"].as_str().filter(|s| *s != "Unknown") else { continue };
            let Ok(session) = analyze_bytes(&read(&path)) else { continue };
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let ours = session.clock.backward_steps == 0;
            if ours != (strict == "True") {
                problems.push(format!("{name}: capinfos strict time order {strict}, we count {} steps back", session.clock.backward_steps));
            }
            {
                let theirs: f64 = oracle["format"]["Capture duration"].as_str().and_then(|d| d.trim_end_matches(" seconds").parse().ok()).unwrap_or(-1.0);
                let ours = session.duration_ns() as f64 / 1e9;
                if (ours - theirs).abs() > 1e-6 {
                    problems.push(format!("{name}: duration {ours} s, capinfos {theirs} s"));
                }
            }
            unordered += usize::from(strict != "True");
            checked += 1;
        }
    }
    println!("{checked} captures: time order and duration as capinfos says ({unordered} not in strict order)");
    assert!(checked > 60);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn two_captures_joined_show_as_a_clock_jump() {
    let session = analyze_bytes(&read(&common::corpus_dir("public").join("ndpi_1kxun.pcap"))).unwrap();
    let (frame, step) = session.clock.jump(session.duration_ns()).expect("a jump");
    assert_eq!(frame, 1033);
    assert!(step > 2000 * 86_400 * 1_000_000_000, "{step} ns");
    // A capture of one sitting has none.
    let steady = analyze_bytes(&read(&common::corpus_dir("public").join("tcpdump_whois.pcap"))).unwrap();
    assert_eq!(steady.clock.jump(steady.duration_ns()), None);
}

/// Frames whose record carries no time (pcapng simple packet blocks) are exactly those tshark
/// gives no `frame.time_relative`, in every oracle; a connection holding one gets no time split
/// and no timings measured from them (R3 T11: their 0, 1970, made "waiting for the server's
/// answer, 1507397119.304 s" and "the client's quickest ACKs took 0.000 ms").
#[test]
fn frames_without_a_time_are_never_timed() {
    use tcp_ladder::report::story::{story, story_text};
    let mut with_untimed = 0;
    for which in ["public", "real", "delayed", "generated", "lossy", "hostile"] {
        for path in corpus_files(which) {
            let oracle = load_oracle(&path);
            let Some(packets) = oracle["packets"].as_array() else { continue };
            let Ok(session) = analyze_bytes(&read(&path)) else { continue };
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let theirs: Vec<u64> = packets.iter().filter(|p| p["time_relative"].is_null()).filter_map(|p| p["frame"].as_u64()).collect();
            let ours: Vec<u64> = session.clock.untimed.iter().flat_map(|&(a, b)| a..=b).filter(|f| packets.iter().any(|p| p["frame"].as_u64() == Some(*f))).collect();
            assert_eq!(ours, theirs, "{name}: frames without a time");
            if theirs.is_empty() {
                continue;
            }
            with_untimed += 1;
            for stream in 0..session.streams().len() as u32 {
                let Ok(conn) = session.connection(stream) else { continue };
                let text = story_text(&story(&conn));
                if let Some((first, last)) = conn.untimed_frames() {
                    assert!(text.contains(&format!("Where the time went cannot be told for this connection: frames {first}–{last} carry no timestamp")), "{name} stream {stream}: {text}");
                    assert!(!text.contains("1507397119") && !text.contains("took 0.000 ms"), "{name} stream {stream}: a time from an untimed frame:\n{text}");
                }
            }
        }
    }
    assert!(with_untimed >= 1, "no capture with untimed frames was read");
}
