//! Explicit Congestion Notification (RFC 3168) as one connection's packets show it: whether the
//! handshake negotiated it (SYN with ECE and CWR, SYN-ACK with ECE), and per data sender its
//! ECN-capable segments, those that passed the capture point marked Congestion Experienced
//! (CE, set by a router — or a relay — on the way instead of a drop), the receiver's ACKs
//! echoing the mark (ECE) and the sender's answers (CWR). A CE mark is only visible downstream
//! of the router that set it: captured near the sender, the echoes show, the marks do not.

use serde::Serialize;

use crate::decode::{Ecn, TcpFlags};
use crate::tcp::TcpPacket;

/// The handshake's ECN negotiation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EcnNegotiation {
    /// The client's SYN with ECE and CWR: it asks for ECN (its frame).
    pub asked: Option<u64>,
    /// The server's SYN-ACK with ECE (and not CWR): it agrees (its frame).
    pub accepted: Option<u64>,
}

impl EcnNegotiation {
    pub fn negotiated(&self) -> bool {
        self.asked.is_some() && self.accepted.is_some()
    }
}

/// One data sender's ECN, with the ACKs its receiver sent it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EcnDirection {
    pub from_client: bool,
    /// Its data segments by IP ECN field as they passed here.
    pub data_not_ect: u64,
    pub data_ect0: u64,
    pub data_ect1: u64,
    /// Frames of its data segments that passed here marked CE.
    pub ce_frames: Vec<u64>,
    /// The receiver's ACKs with ECE (after the handshake), and the first of them.
    pub ece_acks: u64,
    pub first_ece_frame: Option<u64>,
    /// Its segments with CWR (after the handshake): it says it reduced its window.
    pub cwr_frames: Vec<u64>,
}

/// A connection's ECN facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EcnFacts {
    pub negotiation: EcnNegotiation,
    /// Client's sending first; a direction with no data, no ECE and no CWR is left out.
    pub directions: Vec<EcnDirection>,
}

/// Fed a connection's segments in capture order.
#[derive(Debug, Clone, Default)]
pub struct EcnWalk {
    negotiation: EcnNegotiation,
    sides: [EcnDirection; 2],
}

/// The ECN facts of one connection (its segments in capture order).
pub fn ecn_facts(packets: &[TcpPacket]) -> EcnFacts {
    let mut walk = EcnWalk::default();
    packets.iter().for_each(|p| walk.add(p));
    walk.finish()
}

impl EcnWalk {
    pub fn add(&mut self, p: &TcpPacket) {
        let f = p.segment.flags;
        let (ece, cwr) = (f.has(TcpFlags::ECE), f.has(TcpFlags::CWR));
        if f.syn() {
            if !f.ack() && ece && cwr && p.from_client {
                self.negotiation.asked.get_or_insert(p.frame);
            } else if f.ack() && ece && !cwr && !p.from_client {
                self.negotiation.accepted.get_or_insert(p.frame);
            }
            return;
        }
        if f.rst() {
            return;
        }
        let me = usize::from(!p.from_client);
        let side = &mut self.sides[me];
        if p.segment.payload_len > 0 {
            match p.segment.ecn {
                Ecn::NotEct => side.data_not_ect += 1,
                Ecn::Ect0 => side.data_ect0 += 1,
                Ecn::Ect1 => side.data_ect1 += 1,
                Ecn::Ce => side.ce_frames.push(p.frame),
            }
        }
        if cwr {
            side.cwr_frames.push(p.frame);
        }
        if ece && f.ack() {
            // An echo to the other side, the data sender.
            let peer = &mut self.sides[1 - me];
            peer.ece_acks += 1;
            peer.first_ece_frame.get_or_insert(p.frame);
        }
    }

    pub fn finish(self) -> EcnFacts {
        let directions = self
            .sides
            .into_iter()
            .enumerate()
            .map(|(i, d)| EcnDirection { from_client: i == 0, ..d })
            .filter(|d| d.data_not_ect + d.data_ect0 + d.data_ect1 > 0 || !d.ce_frames.is_empty() || d.ece_acks > 0 || !d.cwr_frames.is_empty())
            .collect();
        EcnFacts { negotiation: self.negotiation, directions }
    }
}
