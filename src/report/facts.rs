//! What a connection's JSON says beyond its record ([`StreamFacts`]: each endpoint's states,
//! the byte counts, the capture point), from a [`Connection`] when the session keeps its
//! segments, or gathered a segment at a time ([`FactsGatherer`]) by the streaming report,
//! which keeps none.

use crate::connection::Connection;
use crate::report::recovery_json::{episodes_json, EpisodeJson};
use crate::tcp::recovery_episodes::EpisodeWalk;
use crate::session::Session;
use crate::tcp::lifecycle::{endpoint_states, EndpointStates, OpenShape, Wire};
use crate::tcp::congestion::{Congestion, CongestionWalk};
use crate::tcp::ecn::{EcnFacts, EcnWalk};
use crate::tcp::ip_id::{UnseenDatagrams, UnseenWalk};
use super::time_split_json::walk;
use crate::tcp::time_split::{TimeSplit, TimeSplitWalk};
use crate::tcp::{byte_counts, capture_point, ByteCounts, CapturePoint, CapturePointMeter, Stream, TcpPacket, Timed};

/// What a connection's JSON needs beyond its record: each endpoint's states, the byte counts
/// and the capture point, all computed from its segments.
pub(crate) struct StreamFacts {
    pub states: EndpointStates,
    pub bytes: ByteCounts,
    pub capture_point: Option<CapturePoint>,
    /// Loss-recovery episodes (`None`: a session that kept none of the connection's segments).
    pub recovery: Option<Vec<EpisodeJson>>,
    pub congestion: Congestion,
    /// Where its time went.
    pub time_split: TimeSplit,
    /// ECN: negotiation, CE marks, echoes, CWR.
    pub ecn: EcnFacts,
    /// Datagrams a sender sent that did not pass the capture point (its IPv4 identification).
    pub unseen_datagrams: Vec<UnseenDatagrams>,
}

/// The facts of connection `s` of `session`: from its segments when the session keeps them,
/// else (a session that keeps only places or none) those of no segment.
pub(crate) fn stream_facts(session: &Session, s: &Stream) -> StreamFacts {
    match session.connection(s.index) {
        Ok(conn) => connection_facts(&conn),
        Err(_) => FactsGatherer::default().finish(s),
    }
}

/// The facts of a connection at hand: its states as it replayed them, the rest read from its
/// packed segments (none unpacked).
fn connection_facts(conn: &Connection<'_>) -> StreamFacts {
    let (mut split, mut ecn, mut episodes, mut unseen) = (walk(), EcnWalk::default(), EpisodeWalk::default(), UnseenWalk::default());
    // The walks take the segments as captured, as `analyze` streaming them must (it cannot
    // look ahead to bytes no end took, `tcp::bytes_not_taken`); the states and bytes leave
    // those out, as the streaming gatherer does once it has every segment's wire.
    (0..conn.len()).filter_map(|i| conn.packet_as_captured(i)).enumerate().for_each(|(i, p)| {
        split.push(&p);
        ecn.add(&p);
        episodes.add(i, &p);
        unseen.add(&p);
    });
    let (found, episodes) = episodes.finish();
    StreamFacts {
        states: conn.states().clone(),
        bytes: byte_counts(conn.wires()).with_captured_twice(&taken(found.resends, conn.not_taken())).with_probe_copies(crate::tcp::copies::probe_copy_bytes(conn.packets())),
        capture_point: capture_point(conn.timed()).map(|p| p.between(conn.stream().client.addr, conn.stream().server.addr)),
        recovery: Some(episodes_json(episodes)),
        congestion: walk_congestion(conn),
        time_split: split.finish(),
        ecn: ecn.finish(),
        unseen_datagrams: unseen.finish(),
    }
}

/// What [`StreamFacts`] are made from, gathered a segment at a time: a few words per segment
/// (the states are replayed from them), not whole segments — a connection can have millions.
pub(crate) struct FactsGatherer {
    wires: Vec<Wire>,
    point: CapturePointMeter,
    episodes: EpisodeWalk,
    /// The congestion rounds, walked a segment at a time.
    congestion: CongestionWalk,
    segments: usize,
    split: TimeSplitWalk,
    ecn: EcnWalk,
    unseen: UnseenWalk,
    probe_copies: crate::tcp::copies::ProbeCopies,
}

impl Default for FactsGatherer {
    fn default() -> Self {
        FactsGatherer { wires: Vec::new(), point: CapturePointMeter::default(), episodes: EpisodeWalk::default(), congestion: CongestionWalk::default(), segments: 0, split: walk(), ecn: EcnWalk::default(), unseen: UnseenWalk::default(), probe_copies: Default::default() }
    }
}

impl FactsGatherer {
    /// The connection's next segment.
    pub fn add(&mut self, p: &TcpPacket) {
        self.point.add(&Timed::of(p));
        self.episodes.add(self.wires.len(), p);
        // (As the story counts it: with what the IP header claims past a frame recorded short.)
        self.wires.push(Wire { len: p.segment.payload_len.saturating_add(p.segment.beyond_frame), ..Wire::of(p) });
        self.congestion.add(self.segments, p);
        self.segments += 1;
        self.split.push(p);
        self.ecn.add(p);
        self.unseen.add(p);
        self.probe_copies.add(p);
    }

    /// Heap bytes held (for a memory limit).
    pub fn heap_bytes(&self) -> usize {
        self.wires.capacity() * std::mem::size_of::<Wire>() + self.episodes.heap_bytes() + self.congestion.heap_bytes() + self.split.heap_bytes() + self.unseen.heap_bytes() + self.probe_copies.heap_bytes()
    }

    /// The facts of connection `s`, whose segments were added.
    pub fn finish(self, s: &Stream) -> StreamFacts {
        let (found, episodes) = self.episodes.finish();
        let recovery = (!self.wires.is_empty()).then(|| episodes_json(episodes));
        // A few zero bytes no end took as data (R13b-5) count for neither the states nor the
        // bytes, as on the page (`Connection::wires`).
        let mut wires = self.wires;
        let not_taken = crate::tcp::bytes_not_taken::bytes_not_taken(&wires);
        for w in wires.iter_mut() {
            if let Some(n) = crate::tcp::bytes_not_taken::not_taken_at(&not_taken, w.frame) {
                w.len = n.kept;
            }
        }
        let taken_resends = taken(found.resends, &not_taken);
        let states = endpoint_states(&wires, s.lifecycle.shapes().open == OpenShape::BeforeCapture);
        let time_split = self.split.clone().finish();
        StreamFacts { states, bytes: byte_counts(&wires).with_captured_twice(&taken_resends).with_probe_copies(self.probe_copies.bytes), capture_point: self.point.finish().map(|p| p.between(s.client.addr, s.server.addr)), recovery, congestion: self.congestion.finish(), time_split, ecn: self.ecn.finish(), unseen_datagrams: self.unseen.finish() }
    }
}

/// The resends but those of bytes no end took as data.
fn taken(resends: Vec<crate::tcp::recovery::Resend>, not_taken: &[crate::tcp::bytes_not_taken::NotTaken]) -> Vec<crate::tcp::recovery::Resend> {
    resends.into_iter().filter(|r| crate::tcp::bytes_not_taken::not_taken_at(not_taken, r.frame).is_none()).collect()
}

/// The congestion rounds of a connection at hand, a segment at a time (none kept), as captured.
fn walk_congestion(conn: &Connection<'_>) -> Congestion {
    let mut walk = CongestionWalk::default();
    for (index, p) in (0..conn.len()).filter_map(|i| conn.packet_as_captured(i)).enumerate() {
        walk.add(index, &p);
    }
    walk.finish()
}
