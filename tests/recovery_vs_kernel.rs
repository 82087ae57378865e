//! The inferred cause of every resend against the sending kernel's own counters (`nstat`, in
//! the sender's network namespace, around each recording of tests/captures/lossy/): fast
//! retransmits, tail loss probes (resending or with new data) and timeouts counted from the packets equal the kernel's
//! `TCPFastRetrans`, `TCPLossProbes` and `TCPTimeouts`, every resend is counted
//! (`TcpRetransSegs`), and a resend the receiver's D-SACK reported is found not needed.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use serde_json::Value;
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::recovery::{recovery, NotNeeded, ResendKind};

#[test]
fn resend_kinds_agree_with_the_senders_kernel() {
    let dir = corpus_dir("lossy");
    let mut problems = Vec::new();
    let mut scenarios = 0;
    for entry in std::fs::read_dir(dir.join("truth")).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_name().unwrap().to_str().unwrap().strip_suffix(".nstat.json") else { continue };
        let truth: Value = serde_json::from_slice(&read(&path)).unwrap();
        let sender = truth["sender_namespace"].as_str().unwrap();
        let counter = |key: &str| truth[sender][key].as_u64().unwrap_or(0) as usize;
        let session = analyze_bytes(&read(&dir.join(format!("{name}_at_sender.pcap")))).unwrap();
        let (mut found, mut new_data_probes) = (Vec::new(), 0);
        for stream in 0..session.streams().len() as u32 {
            let packets: Vec<_> = session.connection(stream).unwrap().packets().collect();
            let from_sender = |i: usize| packets[i].from_client == (sender == "client");
            let r = recovery(&packets);
            found.extend(r.resends.into_iter().filter(|r| from_sender(r.index)));
            new_data_probes += r.probes_with_new_data.iter().filter(|p| from_sender(p.index)).count();
        }
        let count = |kind: ResendKind| found.iter().filter(|r| r.kind == kind).count();
        // The kernel counts a probe whether it resent the last segment or sent new data.
        let got = [count(ResendKind::FastRetransmit), count(ResendKind::TailLossProbe) + new_data_probes, count(ResendKind::Timeout), found.len()];
        let want = [counter("TcpExtTCPFastRetrans"), counter("TcpExtTCPLossProbes"), counter("TcpExtTCPTimeouts"), counter("TcpRetransSegs")];
        if got != want {
            problems.push(format!("{name}: fast/TLP/timeout/all {got:?}, the kernel counted {want:?}: {found:?}"));
        }
        let dsacked = found.iter().filter(|r| matches!(r.not_needed, Some(NotNeeded::DSack(_)))).count();
        if (dsacked > 0) != (counter("TcpExtTCPDSACKRecv") > 0) {
            problems.push(format!("{name}: {dsacked} resends found reported by D-SACK, the kernel received {} D-SACKs", counter("TcpExtTCPDSACKRecv")));
        }
        scenarios += 1;
    }
    assert!(scenarios >= 9, "only {scenarios} scenarios with the kernel's counters");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every segment Wireshark calls a retransmission (data, SYN or FIN sent again; not an RST
/// with a payload, nor a simultaneous open's SYN-ACK, a repeat by design) is one of the
/// resends found, on every capture of the repository; the others found are ones Wireshark
/// calls out of order or leaves unmarked (they are counted, not asserted). The one exception:
/// a copy whose TSval is older than the earlier-captured resend's was sent before it — the
/// original arriving late (lossy/spurious_fast at the receiver, frame 178) — no resend.
#[test]
fn every_segment_wireshark_calls_a_retransmission_is_a_resend() {
    use tcp_ladder::tcp::analysis::AnalysisFlags;
    let (mut marked, mut extra, mut problems) = (0usize, 0usize, Vec::new());
    for path in common::every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for stream in 0..session.streams().len() as u32 {
            let packets: Vec<_> = session.connection(stream).unwrap().packets().collect();
            let r = recovery(&packets);
            let found: std::collections::BTreeSet<usize> = r.resends.iter().map(|r| r.index).chain(r.late_copies.iter().map(|l| l.index)).collect();
            let mut sent_syn = [false; 2];
            for (i, p) in packets.iter().enumerate() {
                let f = p.segment.flags;
                // A simultaneous open's SYN-ACK repeats its side's SYN by design.
                let by_design = f.syn() && f.ack() && sent_syn[usize::from(p.from_client)];
                // A FIN without ACK before the handshake completed repeats nothing (R4b-14:
                // zeek_tcp_fin_retransmission frame 2, a bare FIN while the SYN is unanswered).
                let by_design = by_design || (f.fin() && !f.ack());
                // A header the snap length cut before its flags is not read at all (R4 F12).
                let by_design = by_design || !p.flags_captured();
                // A FIN,ACK at its sender's own ISN repeats no byte: a FIN in the wrong place,
                // below the peer's window (R4 M1: zeek_tcp_fin_retransmission frame 4).
                let by_design = by_design || (f.fin() && !f.syn() && p.seq == 0 && sent_syn[usize::from(p.from_client)]);
                sent_syn[usize::from(p.from_client)] |= f.syn() && !f.ack();
                let wireshark = p.analysis.flags.has(AnalysisFlags::ANY_RETRANSMISSION) && p.next_seq() != p.seq && !f.rst() && !by_design;
                marked += usize::from(wireshark);
                if wireshark && !found.contains(&i) {
                    problems.push(format!("{name} frame {}", p.frame));
                }
                extra += usize::from(!wireshark && found.contains(&i));
            }
        }
    }
    eprintln!("{marked} retransmissions marked by Wireshark; {extra} more resends found");
    assert!(marked > 100, "only {marked}");
    assert!(problems.is_empty(), "{} of {marked} not found: {}", problems.len(), problems.join(", "));
}
