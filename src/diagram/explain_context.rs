//! The explanation of one segment in its connection: what the segments before it and the
//! endpoints' states say about it (`SegmentContext`), then `explain_segment`'s words. Computed
//! on demand for the selected arrow and the lesson, apart from the ladder's geometry.

use crate::connection::Connection;
use crate::tcp::analysis::AnalysisFlags;
use crate::tcp::lifecycle::{EndpointStates, TcpState, Wire};
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

use super::explain::{explain_segment, SegmentContext};

/// What segment `index` of the connection does, in words (`None`: it has no such segment).
/// Computed on demand (for the selected arrow), not for every arrow of a long connection.
pub fn explain(conn: &Connection<'_>, index: usize) -> Option<String> {
    let packet = conn.packet(index)?;
    let cx = segment_context(conn, &packet, conn.states());
    Some(explain_segment(&packet, &cx))
}

/// What the rest of the connection says about one of its segments.
fn segment_context(conn: &Connection<'_>, p: &TcpPacket, states: &EndpointStates) -> SegmentContext {
    let f = p.segment.flags;
    let before: Vec<TcpPacket> = conn.packets().take_while(|q| q.frame < p.frame).collect();
    let peer_fin = before.iter().find(|q| q.from_client != p.from_client && q.segment.flags.fin());
    let peer_fin_end = peer_fin.map(|q| Wire::of(q).end());
    let covers = |q: &TcpPacket| q.segment.flags.ack() && peer_fin_end.is_some_and(|end| SeqNumber(q.segment.ack).at_or_after(end));
    // This FIN is the first segment of its side to acknowledge the peer's FIN: ACK and FIN merged.
    let acks_peer_fin = f.fin() && covers(p) && !before.iter().any(|q| q.from_client == p.from_client && covers(q));
    let passive_fin = f.fin() && states.side(p.from_client).iter().any(|c| c.state == TcpState::LastAck && c.cause == p.frame);
    // A FIN sent while the peer's earlier-captured FIN was still on its way (it sends FIN-WAIT-1).
    let crosses_peer_fin = peer_fin
        .filter(|_| f.fin() && !covers(p) && states.side(p.from_client).iter().any(|c| c.state == TcpState::FinWait1 && c.cause == p.frame))
        .map(|q| q.frame);
    let since_first_copy_ns = if p.analysis.flags.has(AnalysisFlags::ANY_RETRANSMISSION) {
        // The latest earlier copy: a retransmission timer restarts at every send.
        before
            .iter()
            .rev()
            .find(|q| {
                let overlaps = q.seq == p.seq || (q.segment.payload_len > 0 && SeqNumber(q.seq).at_or_before(SeqNumber(p.seq)) && SeqNumber(p.seq).before(SeqNumber(q.next_seq())));
                q.from_client == p.from_client && overlaps && !(q.segment.flags.syn() && !q.segment.flags.ack() && f.syn() && f.ack())
            })
            .map(|q| p.time_ns.saturating_sub(q.time_ns))
    } else {
        None
    };
    let peer_syn = before.iter().find(|q| q.from_client != p.from_client && q.segment.flags.syn() && !q.segment.flags.ack()).filter(|_| f.syn() && f.ack());
    let peer_syn_data = peer_syn.map_or(0, |q| q.segment.payload_len);
    let peer_syn_ecn = peer_syn.is_some_and(|q| q.segment.flags.has(crate::decode::TcpFlags::ECE) && q.segment.flags.has(crate::decode::TcpFlags::CWR));
    let ignored = states.ignored_at(p.frame).map(|i| i.reason).collect();
    SegmentContext { acks_peer_fin, passive_fin, crosses_peer_fin, since_first_copy_ns, peer_syn_data, peer_syn_ecn, ignored }
}
