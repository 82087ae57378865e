//! Places each segment in its connection: Wireshark's `tcp.stream` rules (a new index per new
//! address/port pair, and a new one when a SYN reuses the ports of a finished connection),
//! relative sequence numbers and window scaling.

use crate::decode::TcpSegment;
use crate::paged::PagedVec;

use super::analysis::{analyze_segment, AnalysisFlags, SegmentInput};
use super::conversation::{ConversationKey, ConversationTable};
use super::direction::WindowScale;
use super::packet::{ScaleFactor, TcpPacket};
use super::seq::SeqNumber;
use super::stream::{Completeness, Endpoint, Stream};

/// RFC 7323 §2.3: a shift count above 14 is treated as 14.
const MAX_WINDOW_SHIFT: u8 = 14;

#[derive(Debug, Clone)]
pub struct TcpTracker {
    table: ConversationTable,
    /// In pages: a capture of a million connections must not copy them all as it grows.
    streams: PagedVec<Stream>,
    /// Keep each connection's SYN and SYN-ACK options (the command line reports them).
    keep_syn_options: bool,
}

impl Default for TcpTracker {
    fn default() -> Self {
        TcpTracker { table: ConversationTable::default(), streams: PagedVec::default(), keep_syn_options: true }
    }
}

impl TcpTracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Does not keep connections' SYN options (the page's worker never shows them; 120 bytes
    /// per connection).
    pub fn forget_syn_options(&mut self) {
        self.keep_syn_options = false;
    }

    pub fn streams(&self) -> &PagedVec<Stream> {
        &self.streams
    }

    pub fn into_streams(self) -> PagedVec<Stream> {
        self.streams
    }

    /// Places one segment (frames must come in file order) and returns it with its stream,
    /// relative numbers and scaled window.
    pub fn push(&mut self, frame: u64, time_ns: i64, seg: &TcpSegment) -> TcpPacket {
        let src = Endpoint { addr: seg.src, port: seg.src_port };
        let dst = Endpoint { addr: seg.dst, port: seg.dst_port };
        let key = ConversationKey::new((src.addr, src.port), (dst.addr, dst.port));
        let flags = seg.flags;
        let pure_syn = flags.syn() && !flags.ack();

        let mut reused_ports = false;
        let index = match self.table.get(&key) {
            None => self.open(key, src, dst, seg, frame, time_ns),
            Some(index) => {
                let stream = &self.streams[index as usize];
                let (c2s, s2c) = stream.live_directions();
                let fwd = if stream.client == src { c2s } else { s2c };
                // A SYN with a new ISN starts a new connection on the same ports (Wireshark:
                // "TCP Port numbers reused"). Wireshark 4.0 treats a SYN with the same ISN as a
                // retransmission even after a RST or FIN, and so do we.
                if pure_syn && fwd.base_set && SeqNumber(seg.seq) != fwd.base_seq {
                    reused_ports = true;
                    self.streams[index as usize].supersede();
                    let new = self.open(key, src, dst, seg, frame, time_ns);
                    self.streams[new as usize].opened_by_port_reuse = true;
                    new
                } else {
                    index
                }
            }
        };

        let stream = &mut self.streams[index as usize];
        let from_client = stream.client == src;
        let irtt_ns = stream.irtt_ns;
        let first_packet = stream.packets == 0;
        let live = stream.live();
        let (fwd, rev) = live.directions(from_client);

        // A SYN-ACK with a new ISN re-bases the sender but keeps the stream, as Wireshark 4.0 does.
        if flags.syn() && flags.ack() && fwd.base_set && SeqNumber(seg.seq) != fwd.base_seq {
            fwd.base_seq = SeqNumber(seg.seq);
            reused_ports = true;
        }
        fwd.learn_base_from_own(seg.seq, flags.syn());
        if flags.ack() {
            rev.learn_base_from_peer_ack(seg.ack);
        }

        if flags.syn() {
            fwd.syn_seen = true;
            match seg.options.window_scale {
                Some(shift) if rev.window_scale != WindowScale::NotUsed || !flags.ack() => {
                    fwd.window_scale = WindowScale::Shift(shift.min(MAX_WINDOW_SHIFT));
                }
                _ => {
                    // Scaling needs both SYNs to carry the option (RFC 7323 §2.2).
                    fwd.window_scale = WindowScale::NotUsed;
                    if flags.ack() {
                        rev.window_scale = WindowScale::NotUsed;
                    }
                }
            }
        }
        fwd.fin_seen |= flags.fin();
        fwd.rst_seen |= flags.rst();

        let raw_window = u32::from(seg.window);
        let (window, scale_factor) = if flags.syn() {
            (raw_window, ScaleFactor::NotApplicable)
        } else {
            match fwd.window_scale {
                WindowScale::Shift(s) => (raw_window << s, ScaleFactor::Factor(1 << s)),
                WindowScale::NotUsed => (raw_window, ScaleFactor::NoScaling),
                WindowScale::Unknown => (raw_window, ScaleFactor::Unknown),
            }
        };
        let seq = fwd.relative(seg.seq);
        let ack = if flags.ack() { rev.relative(seg.ack) } else { seg.ack };
        let rev_scale_known = rev.window_scale != WindowScale::Unknown;

        // iRTT: from the latest SYN to the first ACK without SYN.
        if flags.syn() && !flags.ack() {
            live.last_syn_ns = Some(time_ns);
        }
        let irtt_ns = match (irtt_ns, live.last_syn_ns) {
            (None, Some(syn)) if flags.ack() && !flags.syn() => Some(time_ns - syn),
            (known, _) => known,
        };
        let input = SegmentInput {
            frame,
            time_ns,
            seq: SeqNumber(seg.seq),
            ack: SeqNumber(seg.ack),
            len: seg.payload_len,
            syn: flags.syn(),
            fin: flags.fin(),
            rst: flags.rst(),
            ack_flag: flags.ack(),
            window,
            rev_scale_known,
            irtt_ns: irtt_ns.unwrap_or(0),
            sacked_bytes: (seg.options.sack_count > 0).then(|| {
                seg.options.sack[..usize::from(seg.options.sack_count.min(4))].iter().fold(0u32, |sum, b| sum.wrapping_add(SeqNumber(b.right) - SeqNumber(b.left)))
            }),
        };
        let (fwd_flow, rev_flow) = live.flows(from_client);
        let mut analysis = analyze_segment(&input, fwd_flow, rev_flow);
        let completeness_before = live.completeness_reported;
        let bits = completeness_bits(seg);
        live.completeness_reported.0 |= if first_packet { bits & (Completeness::SYN | Completeness::SYN_ACK) } else { bits };
        stream.irtt_ns = irtt_ns;
        if reused_ports {
            analysis.flags.set(AnalysisFlags::REUSED_PORTS);
        }
        let retransmitted = AnalysisFlags::ANY_RETRANSMISSION;
        let problems = retransmitted
            | AnalysisFlags::OUT_OF_ORDER
            | AnalysisFlags::LOST_SEGMENT
            | AnalysisFlags::ACK_LOST_SEGMENT
            | AnalysisFlags::DUPLICATE_ACK
            | AnalysisFlags::ZERO_WINDOW;
        stream.retransmissions += u64::from(analysis.flags.has(retransmitted));
        stream.analysis_seen.0 |= analysis.flags.0;
        stream.tcp_flags_seen |= flags.0;
        stream.problem_packets += u64::from(analysis.flags.has(problems));

        // What tshark 4.0 reports for a stream (the OR of the per-packet field in one pass)
        // leaves out the last packet's bits, since each packet shows the value from before it
        // counted, and the first packet counts only with its SYN bits. Measured on the corpus;
        // `completeness` keeps every bit.
        stream.completeness_shown = completeness_before;
        stream.completeness.0 |= bits;
        stream.packets += 1;
        if from_client {
            stream.packets_c2s += 1;
            stream.payload_bytes_c2s += u64::from(seg.payload_len);
        } else {
            stream.payload_bytes_s2c += u64::from(seg.payload_len);
        }
        stream.last_frame = frame;
        stream.last_time_ns = time_ns;

        if flags.syn() {
            if self.keep_syn_options {
                stream.syn_options.get_or_insert_with(Default::default)[usize::from(!from_client)].get_or_insert(seg.options);
            }
        }
        let packet = TcpPacket {
            frame,
            time_ns,
            stream: index,
            from_client,
            segment: *seg,
            seq,
            ack,
            window,
            scale_factor,
            analysis,
            data_offset: 0,
            cap_len: 0,
            link_type: 0,
        };
        stream.lifecycle.observe(&packet);
        packet
    }

    /// Starts a new stream for this conversation and makes it the current one.
    fn open(&mut self, key: ConversationKey, src: Endpoint, dst: Endpoint, seg: &TcpSegment, frame: u64, time_ns: i64) -> u32 {
        let index = self.streams.len() as u32;
        let flags = seg.flags;
        // The client is the SYN's sender; a SYN-ACK's receiver; failing both, whoever spoke first.
        let (client, server, from_syn) = match (flags.syn(), flags.ack()) {
            (true, false) => (src, dst, true),
            (true, true) => (dst, src, true),
            _ => (src, dst, false),
        };
        let mut stream = Stream::new(index, client, server, from_syn, frame, time_ns);
        if flags.syn() && flags.ack() {
            // Zeek marks a connection whose direction it flipped (first seen: the SYN-ACK).
            stream.lifecycle.mark_flipped();
        }
        self.streams.push(stream);
        self.table.set(key, index);
        index
    }
}

/// This segment's contribution to `tcp.completeness` (Wireshark's `conversation_completeness`).
fn completeness_bits(seg: &TcpSegment) -> u8 {
    let f = seg.flags;
    let mut bits = 0;
    if f.syn() {
        bits |= if f.ack() { Completeness::SYN_ACK } else { Completeness::SYN };
    }
    if f.ack() && !f.syn() && seg.payload_len == 0 {
        bits |= Completeness::ACK;
    }
    if seg.payload_len > 0 {
        bits |= Completeness::DATA;
    }
    if f.fin() && f.ack() {
        bits |= Completeness::FIN;
    }
    if f.rst() {
        bits |= Completeness::RST;
    }
    bits
}
