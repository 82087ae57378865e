//! R2 F18: the bytes in flight per round count what was sent and not yet acknowledged. Bytes
//! the capture never saw but an ACK covers (zeek_ldap_gap-data-missing: the server's bytes
//! 211–1552, acknowledged in frame 9) were sent and have arrived: no later round counts them.
//! Over every connection of every capture: a round's largest flight is at most the bytes the
//! capture saw its side send up to the round's last frame, plus the bytes it did not see that
//! no ACK captured before the round's first frame covers.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use tcp_ladder::tcp::congestion::congestion;
use tcp_ladder::tcp::TcpPacket;

/// Bytes of `[from, to)` (relative numbers) not covered by `seen` (sorted, merged ranges).
fn unseen(seen: &[(u32, u32)], from: u32, to: u32) -> u64 {
    let mut missing = 0u64;
    let mut at = from;
    for &(l, r) in seen {
        if r <= at {
            continue;
        }
        if l >= to {
            break;
        }
        if l > at {
            missing += u64::from(l.min(to) - at);
        }
        at = at.max(r);
        if at >= to {
            break;
        }
    }
    if at < to {
        missing += u64::from(to - at);
    }
    missing
}

fn merged(mut ranges: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    ranges.sort();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for (l, r) in ranges {
        match out.last_mut() {
            Some(last) if l <= last.1 => last.1 = last.1.max(r),
            _ => out.push((l, r)),
        }
    }
    out
}

/// How long after the capture point sees an ACK it has surely reached each side (client,
/// server): that side's part of the handshake's round trip at the capture point (0 without a
/// handshake: the walk then applies ACKs at once).
fn handshake_parts(packets: &[TcpPacket]) -> [i64; 2] {
    let syn = packets.iter().find(|p| p.segment.flags.syn() && !p.segment.flags.ack() && p.from_client);
    let syn_ack = packets.iter().find(|p| p.segment.flags.syn() && p.segment.flags.ack() && !p.from_client);
    let (Some(syn), Some(syn_ack)) = (syn, syn_ack) else { return [0, 0] };
    let ack = packets.iter().find(|p| p.from_client && p.frame > syn_ack.frame && !p.segment.flags.syn());
    let client = ack.map_or(0, |a| a.time_ns - syn_ack.time_ns);
    [client.max(0), (syn_ack.time_ns - syn.time_ns).max(0)]
}

#[test]
fn no_round_counts_acknowledged_bytes_the_capture_never_saw() {
    let mut rounds_checked = 0;
    let mut bad = Vec::new();
    common::each_connection(&common::every_capture_and_shared(), |_, name, stream, conn| {
        let packets: Vec<TcpPacket> = conn.packets().collect();
        // Sequence numbers near the wrap are left out (relative ranges as plain u32 here).
        if packets.iter().any(|p| p.seq > u32::MAX / 2) {
            return;
        }
        let part = handshake_parts(&packets);
        for d in congestion(&packets).directions {
            let mine = |p: &&TcpPacket| p.from_client == d.from_client && p.segment.payload_len > 0;
            for r in &d.rounds {
                let sent: Vec<&TcpPacket> = packets.iter().filter(mine).filter(|p| p.frame <= r.last_frame).collect();
                if sent.is_empty() {
                    continue;
                }
                let high = sent.iter().map(|p| p.seq + p.segment.payload_len).max().unwrap();
                let seen = merged(sent.iter().map(|p| (p.seq, p.seq + p.segment.payload_len)).collect());
                let captured: u64 = seen.iter().map(|(l, r)| u64::from(r - l)).sum();
                // ACKs certainly at the sender by the round's start: seen at least the sender's
                // part of the handshake's round trip before it.
                let start_ns = packets.iter().find(|p| p.frame == r.first_frame).map_or(0, |p| p.time_ns);
                let acked = packets
                    .iter()
                    .filter(|p| p.from_client != d.from_client && p.segment.flags.ack() && p.time_ns.saturating_add(part[usize::from(!d.from_client)]) <= start_ns && p.frame < r.first_frame)
                    .map(|p| p.ack)
                    .filter(|a| *a <= high.saturating_add(1))
                    .max()
                    .unwrap_or(0);
                let bound = captured + unseen(&seen, acked.min(high), high);
                rounds_checked += 1;
                if r.max_flight_bytes > bound {
                    bad.push(format!("{name} stream {stream} round {} (frames {}–{}): {} bytes in flight, at most {bound}", r.number, r.first_frame, r.last_frame, r.max_flight_bytes));
                }
            }
        }
    });
    for b in bad.iter().take(20) {
        println!("{b}");
    }
    assert!(rounds_checked > 1000, "{rounds_checked} rounds");
    assert!(bad.is_empty(), "{} rounds count bytes not in flight", bad.len());
}
