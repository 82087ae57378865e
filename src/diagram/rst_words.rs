//! What an RST does, in words: a port's refusal, an abort and what it cut off, an answer from
//! an endpoint already closed, an RST the peer drops as not acceptable (split from explain.rs).

use crate::tcp::lifecycle::IgnoredReason;
use crate::tcp::TcpPacket;

use super::rst_facts::RstFacts;

/// What the rest of the connection says about an RST (from the explanation's context).
pub(super) struct RstContext<'a> {
    /// A SYN of either side was seen by then.
    pub syn_seen: bool,
    /// Its sender had been CLOSED since this frame.
    pub closed_since: Option<u64>,
    /// What it cut off, and which segment it answers.
    pub rst: Option<RstFacts>,
    /// Its IPv4 identification differs from its side's previous RST's: another datagram.
    pub other_datagram: bool,
    /// Why the peer ignored it, if it did.
    pub ignored: &'a [IgnoredReason],
}

/// The sentence of an RST segment `p` (not a copy captured twice: `segment_copies` tells those).
pub(super) fn rst_sentence(p: &TcpPacket, cx: &RstContext) -> String {
    let s = &p.segment;
    let f = s.flags;
    let (me, peer) = if p.from_client { ("client", "server") } else { ("server", "client") };
    if f.ack() && s.seq == 0 && !cx.syn_seen {
        format!(
            "The {me} answers with RST, seq=0 and ack={} in absolute numbers, as the segment carries them (the {peer}'s segment's own sequence number plus its length, SEG.SEQ + SEG.LEN, where a SYN or a FIN counts as one; the header line above shows them relative): the reply of a port with no connection (CLOSED, RFC 9293 §3.10.7.1). No connection existed here to abort.",
            s.ack
        )
    } else if let (Some(since), Some((answered, _))) = (cx.closed_since, cx.rst.filter(|r| r.answers_another()).and_then(|r| r.answers)) {
        // R43-2: ndpi_anydesk stream 3's RSTs 96 and 97 after the server's data 94 and 95.
        // (R45-2: zeek_tls_irc-starttls's RSTs 18 and 20 carry identifications 0x464b, 0x464c.)
        let twice = if cx.other_datagram {
            "Its IPv4 identification differs from the RST before it: another datagram, not that RST captured twice."
        } else {
            "Alike in every TCP field to the RST before it, it could also be that RST captured twice; the packets cannot rule that out."
        };
        format!(
            "The {me} was already CLOSED (since frame {since}): this RST (seq={}, frame {answered}'s ACK) is most likely its answer to frame {answered}, a segment of the {peer}'s that arrived with no connection for it (RFC 9293 §3.10.7.1: each such segment draws one). {twice}",
            p.seq
        )
    } else if let Some(since) = cx.closed_since {
        let cut_off = cx.rst.map(|r| super::rst_facts::rst_cut_off(&r, me, peer)).unwrap_or_default();
        format!("The {me} was already CLOSED (since frame {since}): this RST (seq={}) is how an endpoint with no connection answers a segment that still arrives (RFC 9293 §3.10.7.1) — {cut_off}.", p.seq)
    } else if cx.ignored.contains(&IgnoredReason::RstBadAck) {
        format!("An RST from the {me} side with ack={}, which is not the {peer}'s ISN + 1: the {peer}, in SYN-SENT, drops it as not acceptable (RFC 9293 §3.10.7.3) and the connection goes on.", p.ack)
    } else if let Some(retry) = cx.ignored.iter().find_map(|r| if let IgnoredReason::RetriedSyn(f) = r { Some(*f) } else { None }) {
        super::rst_facts::refused_then_retried(me, peer, retry)
    } else if f.ack() && p.seq <= 1 && p.ack <= 1 && !p.from_client {
        format!("The {me} refuses or aborts the connection with RST: nothing is listening, or the connection no longer exists. RST needs no answer; both sides are CLOSED at once.")
    } else {
        let cut_off = cx.rst.map(|r| super::rst_facts::rst_cut_off(&r, me, peer)).unwrap_or_default();
        format!("The {me} aborts the connection with RST (seq={}): {cut_off}. An RST is never acknowledged, and the {me} goes straight to CLOSED (the {peer} too, once it arrives).", p.seq)
    }
}
