//! The stream graphs on the real Linux captures of tests/captures/lossy/, against the sending
//! kernel's own counters: the time-sequence graph draws as many retransmission marks as the
//! kernel counted resent segments (`TcpRetransSegs`); zoomed into a retransmission timeout's
//! stall (the kernel counted `TCPTimeouts`), where no segment was sent, the ACK line still
//! crosses the window and the value axis fits it; the throughput window is sized from the
//! connection, not a fixed second.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use serde_json::Value;
use tcp_ladder::graph::plot::plot;
use tcp_ladder::graph::{graph_data, GraphKind, GraphRequest};
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::recovery::{recovery, ResendKind};

fn scenarios() -> Vec<(String, Value)> {
    let dir = corpus_dir("lossy");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(dir.join("truth"))
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name()?.to_str()?.strip_suffix(".nstat.json")?.to_string();
            Some((name, serde_json::from_slice(&read(&path)).unwrap()))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn retransmission_marks_equal_the_kernels_resent_segments() {
    let (mut problems, mut checked) = (Vec::new(), 0);
    for (name, truth) in scenarios() {
        let sender = truth["sender_namespace"].as_str().unwrap();
        let want = truth[sender]["TcpRetransSegs"].as_u64().unwrap_or(0);
        let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("{name}_at_sender.pcap")))).unwrap();
        let mut got = 0;
        for stream in 0..session.streams().len() as u32 {
            let conn = session.connection(stream).unwrap();
            let request = GraphRequest { stream, kind: GraphKind::Tseq, from_client: Some(sender == "client"), range: None, y_range: None, columns: 4000 };
            let data = graph_data(&conn, &request);
            assert!(data.exact, "{name}: a summarized graph cannot be counted");
            got += data.series.iter().filter(|s| s.class == "g-retrans").map(|s| s.points.len() as u64).sum::<u64>();
        }
        if got != want {
            problems.push(format!("{name}: {got} retransmission marks, the kernel resent {want} segments"));
        }
        checked += 1;
    }
    assert!(checked >= 9, "only {checked} scenarios");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn zoomed_into_a_timeout_stall_the_ack_line_still_crosses_it() {
    let truth = scenarios().into_iter().find(|(n, _)| n == "rto_backoff").expect("the rto_backoff scenario").1;
    let sender = truth["sender_namespace"].as_str().unwrap();
    assert!(truth[sender]["TcpExtTCPTimeouts"].as_u64().unwrap_or(0) > 0, "the kernel counted a timeout");
    let session = analyze_bytes(&read(&corpus_dir("lossy").join("rto_backoff_at_sender.pcap"))).unwrap();
    let conn = session.connection(0).unwrap();
    let packets: Vec<_> = conn.packets().collect();
    let timeout = recovery(&packets).resends.into_iter().find(|r| r.kind == ResendKind::Timeout).expect("a timeout found in the packets");
    // The stall: from the sender's previous segment to the resend; its middle half.
    let (end, silence) = (timeout.time_ns as f64 / 1e9, timeout.since_last_send_ns as f64 / 1e9);
    assert!(silence > 0.1, "a stall of {silence} s");
    let window = (end - silence * 0.75, end - silence * 0.25);
    assert!(packets.iter().all(|p| { let t = p.time_ns as f64 / 1e9; t < window.0 || t > window.1 }), "nothing is sent in the stall's middle");
    let request = GraphRequest { stream: 0, kind: GraphKind::Tseq, from_client: Some(sender == "client"), range: Some(window), y_range: None, columns: 900 };
    let data = graph_data(&conn, &request);
    let p = plot(&data, 900.0, 300.0);
    assert!(p.marks.iter().all(|m| m.on_line), "no segment is drawn in the stall");
    let ack = data.series.iter().find(|s| s.class == "g-ack").expect("the ACK series");
    // The ACK level across the stall: the last ACK before the window.
    let level = ack.points.iter().filter(|q| q.t < window.0).last().expect("an ACK before the stall").y;
    assert!(data.y_range.0 <= level && level <= data.y_range.1, "the value axis {:?} fits the ACK level {level}", data.y_range);
    let line = p.lines.iter().find(|l| l.class == "g-ack").expect("the ACK line is drawn");
    assert!(line.d.starts_with('M') && line.d.contains('L'), "the ACK line crosses the window: {}", line.d);
    let xs: Vec<f32> = line.d.split(['M', 'L', ',']).filter_map(|v| v.parse().ok()).step_by(2).collect();
    assert!(xs.iter().cloned().fold(f32::MAX, f32::min) <= p.left() + 0.1 && xs.iter().cloned().fold(0.0, f32::max) >= p.right() - 0.1, "from edge to edge: {xs:?}");
    // A box in value too: the ACK line is clipped, not dropped, and nothing leaves the box.
    let boxed = GraphRequest { y_range: Some((level - 1000.0, level + 1000.0)), ..request };
    let data = graph_data(&conn, &boxed);
    assert_eq!(data.y_range, (level - 1000.0, level + 1000.0));
    let p = plot(&data, 900.0, 300.0);
    assert!(p.lines.iter().any(|l| l.class == "g-ack" && l.d.contains('L')));
}

#[test]
fn the_throughput_window_is_sized_from_each_connection() {
    for (name, _) in scenarios() {
        let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("{name}_at_sender.pcap")))).unwrap();
        let conn = session.connection(0).unwrap();
        let s = conn.stream();
        let window = tcp_ladder::graph::throughput_window::of_connection(&conn);
        let length = s.last_time_ns - s.first_time_ns;
        assert!(window.ns * 10 <= length.max(10_000), "{name}: window {} ns on a {length} ns connection", window.ns);
        if let Some(rtt) = s.irtt_ns.filter(|r| r * 20 <= length) {
            assert!(window.ns * 5 >= rtt * 2, "{name}: window {} ns, round trip {rtt} ns", window.ns);
        }
        let data = graph_data(&conn, &GraphRequest { stream: 0, kind: GraphKind::Throughput, from_client: None, range: None, y_range: None, columns: 900 });
        assert!(data.subtitle.contains("sliding window of"), "{name}: {}", data.subtitle);
        let top = data.series.iter().flat_map(|s| &s.points).fold(0.0f64, |m, p| m.max(p.y2));
        assert!(top <= data.y_range.1, "{name}: the curve runs off the top ({top} > {:?})", data.y_range);
        println!("{name}: {} over {:.3} s", data.subtitle, length as f64 / 1e9);
    }
}
