//! Every caption and explanation generated for the whole corpus, read as a teacher would: its
//! numbers and state names must be the analysis's (the same facts `analyze` prints).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{analyze_cli, corpus_files, read};
use serde_json::Value;
use tcp_ladder::diagram::{explain, layout, LadderOptions};
use tcp_ladder::session::analyze_bytes;

/// The number right after `key` in `text` ("ack=" → 130).
fn number_after(text: &str, key: &str) -> Option<u64> {
    let rest = &text[text.find(key)? + key.len()..];
    rest.chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()
}

fn side_states(stream: &Value, side: &str) -> Vec<String> {
    stream["states"][side].as_array().unwrap().iter().map(|c| c["state"].as_str().unwrap().to_string()).collect()
}

#[test]
fn captions_and_explanations_say_what_the_analysis_says() {
    let (mut captions, mut explanations, mut problems) = (0usize, 0usize, Vec::<String>::new());
    for which in ["public", "real", "delayed", "lossy"] {
        for path in corpus_files(which) {
            let Ok(session) = analyze_bytes(&read(&path)) else { continue };
            let (_, Some(json)) = analyze_cli(&path) else { continue };
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            for stream in json["streams"].as_array().unwrap() {
                let index = stream["stream"].as_u64().unwrap() as u32;
                let ladder = layout(&session.connection(index).unwrap(), &LadderOptions::default());
                let mut fail = |what: String| problems.push(format!("{name} stream {index}: {what}"));
                for phase in &ladder.phases {
                    captions += 1;
                    let c = &phase.caption;
                    if phase.kind == "data" {
                        let b = |k: &str| match stream[k].as_u64() { Some(1) => "1 byte".to_string(), v => format!("{} bytes", v.unwrap_or_default()) };
                        let want = format!("{} client → server and {} server → client", b("distinct_payload_bytes_c2s"), b("distinct_payload_bytes_s2c"));
                        if !c.contains(&want) {
                            fail(format!("data caption {c:?} lacks {want:?}"));
                        }
                        // Copies of one segment the capture holds again are said apart (R6c F7).
                        let n = |k: &str| stream[k].as_u64().unwrap();
                        let (t0, t1) = (n("captured_twice_bytes_c2s"), n("captured_twice_bytes_s2c"));
                        let (r0, r1) = (n("retransmitted_bytes_c2s") - t0, n("retransmitted_bytes_s2c") - t1);
                        let b = |n: u64| if n == 1 { "1 byte".to_string() } else { format!("{n} bytes") };
                        if (r0 + r1 > 0) != c.contains(&format!("Sent again: {} client → server, {} server → client", b(r0), b(r1))) {
                            fail(format!("data caption {c:?} and retransmitted {r0}/{r1}"));
                        }
                        if (t0 + t1 > 0) != c.contains(&format!("Captured again, not sent again: {} client → server, {} server → client", b(t0), b(t1))) {
                            fail(format!("data caption {c:?} and captured twice {t0}/{t1}"));
                        }
                    }
                    let (client, server) = (side_states(stream, "client"), side_states(stream, "server"));
                    if c.contains("Then both are ESTABLISHED") && !(client.iter().any(|s| s == "ESTABLISHED") && server.iter().any(|s| s == "ESTABLISHED")) {
                        fail(format!("{c:?} but states {client:?} / {server:?}"));
                    }
                    if c.contains("both go FIN-WAIT-1 → CLOSING → TIME-WAIT") && !(client.contains(&"CLOSING".to_string()) && server.contains(&"CLOSING".to_string())) {
                        fail(format!("{c:?} but states {client:?} / {server:?}"));
                    }
                    // Each side's own path, where one took the other's FIN from a later copy (R19-2).
                    for (who, states) in [("client", &client), ("server", &server)] {
                        let has = |s: &str| states.contains(&s.to_string());
                        if c.contains(&format!("the {who} goes FIN-WAIT-1 → CLOSING → TIME-WAIT")) && !has("CLOSING") {
                            fail(format!("{c:?} but states {client:?} / {server:?}"));
                        }
                        if c.contains(&format!("the {who} goes FIN-WAIT-1 → FIN-WAIT-2 → TIME-WAIT")) && !(has("FIN-WAIT-2") && has("TIME-WAIT") && !has("CLOSING")) {
                            fail(format!("{c:?} but states {client:?} / {server:?}"));
                        }
                    }
                    if phase.kind == "four_way" {
                        let (active, passive) = if stream["closed_by"] == "server" { (&server, &client) } else { (&client, &server) };
                        for (st, side) in [("FIN-WAIT-1", active), ("CLOSE-WAIT", passive), ("LAST-ACK", passive)] {
                            if !side.iter().any(|s| s == st) {
                                fail(format!("four-way caption names {st} but the side went {side:?}"));
                            }
                        }
                    }
                    if c.contains("each after a longer timeout") {
                        let gaps: Vec<f64> = c.split("timer doubles): ").nth(1).unwrap().split(", ").map(|g| g.trim_end_matches(['.', 's', ' ']).parse().unwrap()).collect();
                        if !gaps.windows(2).all(|w| w[1] >= 1.4 * w[0]) {
                            fail(format!("{c:?}: the gaps do not grow"));
                        }
                    }
                }
                // Explanations of the first segments of each connection.
                let packets: Vec<_> = session.connection(index).unwrap().packets().take(200).collect();
                for (i, p) in packets.iter().enumerate() {
                    let text = explain(&session.connection(index).unwrap(), i).unwrap();
                    explanations += 1;
                    let f = p.segment.flags;
                    let mut fail = |what: &str| problems.push(format!("{name} frame {}: {what}: {text}", p.frame));
                    if f.rst() && text.contains("Window:") {
                        fail("an RST's window explained");
                    }
                    let len = p.segment.payload_len;
                    // ("1 byte, sequence number N" for one byte: R25.)
                    let said = if len == 1 { format!("1 byte, sequence number {}", p.seq) } else { format!("sequence numbers {} to {}", p.seq, p.seq.wrapping_add(len.saturating_sub(1))) };
                    if !f.rst() && !f.syn() && !f.fin() && len > 0 && !text.contains(&said) {
                        fail("data sequence numbers differ");
                    }
                    // "FIN at seq=" is the FIN's own number, after the segment's data (R4 M2).
                    let fin_seq = if text.contains("FIN at seq=") { p.seq.wrapping_add(len) } else { p.seq };
                    // A FIN at its sender's ISN (R4 M1) is not acceptable: no ACK of it will come.
                    let below_window = f.fin() && text.contains("is not acceptable there");
                    if f.fin() && !f.rst() && number_after(&text, "seq=") != Some(u64::from(fin_seq)) {
                        fail("FIN seq differs");
                    }
                    // The ack the peer will send, and this segment's own ack, are the packet's.
                    if (len > 0 || f.fin()) && !f.rst() && !f.syn() && !below_window && !text.contains(&format!("ack={}", p.next_seq())) && !text.contains(&format!("ack={}", p.ack)) {
                        fail("ack differs");
                    }
                    if f.ack() && len == 0 && !f.fin() && !f.syn() && !f.rst() && number_after(&text, "ack=") != Some(u64::from(p.ack)) {
                        fail("pure ACK's ack differs");
                    }
                    if f.syn() && f.ack() && text.contains("ISN + 1, because") && p.ack != 1 {
                        fail("SYN-ACK said ISN + 1 with data in the SYN");
                    }
                    if text.contains("timer fired") {
                        // "A timeout (inferred): 236.0 ms of silence from the sender …"
                        let silence = text.split("A timeout (inferred): ").nth(1).unwrap_or("");
                        let mut words = silence.split(' ');
                        let value: f64 = words.next().and_then(|g| g.parse().ok()).unwrap_or(0.0);
                        let gap = if words.next() == Some("ms") { value / 1000.0 } else { value };
                        if gap < 0.2 {
                            fail("a timer fired sooner than 200 ms");
                        }
                    }
                    // "The two FINs crossed" only where this FIN's ACK field stops short of the
                    // peer's earlier FIN.
                    if text.contains("the two FINs crossed") {
                        let peer_fin = packets[..i].iter().find(|q| q.from_client != p.from_client && q.segment.flags.fin());
                        let short = peer_fin.is_some_and(|q| p.ack < q.next_seq());
                        if !short {
                            fail("crossing FINs said where the ACK field covers the peer's FIN");
                        }
                    }
                    if text.contains("Keep-alive:") && text.contains("window is zero") {
                        fail("a zero-window probe called a keep-alive");
                    }
                }
            }
        }
    }
    println!("{captions} captions and {explanations} explanations read, {} problems", problems.len());
    assert!(captions > 1000 && explanations > 5_000);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
