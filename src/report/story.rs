//! What the page says about one connection, as text or JSON (`tcp-ladder explain`): its
//! phases with their captions, each endpoint's states with their evidence, every segment's
//! explanation, and why each resend happened — the same sentences as the page, from the same
//! facts, for teachers who want text, for screen readers, for review and for tests.

use serde::Serialize;

use crate::connection::Connection;
use crate::diagram::{explain_all, layout, segment_label, LadderOptions};
use crate::report::recovery_json::{recovery_json, EpisodeJson};
use crate::tcp::recovery::Resend;

use super::time_words::{time_words, TimeWords};

/// One connection told in words.
#[derive(Debug, Clone, Serialize)]
pub struct Story {
    pub stream: u32,
    pub client: String,
    pub server: String,
    pub phases: Vec<PhaseWords>,
    pub states: StatesWords,
    pub segments: Vec<SegmentWords>,
    /// Loss-recovery episodes with their captions.
    pub recovery: Vec<EpisodeJson>,
    /// With no episode: a FIN that went by more than once at its sender's SYN's own sequence
    /// number, which no copy makes acceptable (R5e M1: "no resend" read as "sent once").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fin_at_syn_again: Option<String>,
    /// Rounds, phases and reductions, estimated from the capture (`congestion_words.rs`).
    pub congestion: super::congestion_words::CongestionStory,
    /// Where the connection's time went (the numbers of `analyze`'s `time_split`).
    pub time: TimeWords,
    /// ECN lines (`ecn_words.rs`); empty when the connection did not use ECN.
    pub ecn: Vec<String>,
    /// Datagrams a sender sent that did not pass the capture point, from its IPv4
    /// identification (`tcp/ip_id.rs`): one line per skip.
    pub unseen_datagrams: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseWords {
    pub kind: &'static str,
    pub title: String,
    pub caption: String,
    pub first_frame: u64,
    pub last_frame: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatesWords {
    pub client: Vec<StateWords>,
    pub server: Vec<StateWords>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StateWords {
    /// RFC 9293's name (`FIN-WAIT-1`).
    pub state: &'static str,
    /// Where it is drawn, and the segment that caused it.
    pub frame: u64,
    pub cause: u64,
    /// The capture cannot decide it.
    pub inferred: bool,
    pub why: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SegmentWords {
    pub frame: u64,
    pub index: usize,
    pub from_client: bool,
    /// "PSH,ACK seq=1 ack=1 win=65536 len=517", as on the arrow.
    pub label: String,
    pub explanation: String,
    /// For bytes sent again: the inferred kind, whether it was not needed, and the evidence.
    pub resend: Option<Resend>,
    /// For a segment IP split into fragments: the frames of its fragments (the last completed
    /// it and is `frame`); absent otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ip_fragments: Vec<u64>,
}

/// The story of `conn`.
pub fn story(conn: &Connection<'_>) -> Story {
    let ladder = layout(conn, &LadderOptions { expand_all: true, ..Default::default() });
    let s = conn.stream();
    let states = |client: bool| {
        ladder
            .states
            .iter()
            .filter(|l| l.client == client)
            .map(|l| StateWords { state: l.state, frame: l.frame, cause: l.cause, inferred: l.inferred, why: l.why.clone() })
            .collect()
    };
    let segments = explain_all(conn)
        .into_iter()
        .enumerate()
        .map(|(index, (p, explanation, resend))| {
            let ip_fragments = conn.reassembly(&p).map(|r| r.fragments.iter().map(|f| f.number).collect()).unwrap_or_default();
            SegmentWords { frame: p.frame, index, from_client: p.from_client, label: segment_label(&p, false), explanation, resend, ip_fragments }
        })
        .collect();
    let time = time_words(conn);
    Story {
        stream: conn.index(),
        client: s.client.to_string(),
        server: s.server.to_string(),
        phases: ladder
            .phases
            .iter()
            .map(|p| PhaseWords { kind: p.kind, title: p.title.clone(), caption: p.caption.clone(), first_frame: p.first_frame, last_frame: p.last_frame })
            .collect(),
        states: StatesWords { client: states(true), server: states(false) },
        segments,
        recovery: recovery_json(conn),
        fin_at_syn_again: fin_at_syn_again(conn),
        congestion: super::congestion_words::congestion_story(super::congestion_json::congestion_json(&crate::tcp::congestion::congestion(&conn.packets().collect::<Vec<_>>())), conn.payload_only(), at_sender(conn), [time.split.nagle_off[1], time.split.nagle_off[0]]),
        time,
        ecn: super::ecn_words::ecn_sentences(&crate::tcp::ecn::ecn_facts(&conn.packets().collect::<Vec<_>>())),
        unseen_datagrams: crate::tcp::ip_id::unseen_datagrams(&conn.packets().collect::<Vec<_>>())
            .iter()
            .map(|u| {
                let n = if u.skipped == 1 { "1 datagram".to_string() } else { format!("{} datagrams", u.skipped) };
                let who = if u.from_client { "client" } else { "server" };
                match u.carried {
                    // (R23D-7: the peer's ACK shows what it carried, and that it arrived.)
                    Some((first, last, ack)) => format!("{n} of the {who}'s is missing from this capture before frame {} (its IPv4 identification skips {:#06x} → {:#06x}): most likely the one that carried bytes {first} to {last}, which frame {ack} acknowledges: it arrived, and the capture dropped it (or it took a path the capture does not see)", u.frame, u.before, u.after),
                    None => format!("{n} of the {who}'s {} missing from this capture before frame {} (its IPv4 identification skips {:#06x} → {:#06x}): lost before the capture point, dropped by the capture itself (or filtered out of it), or sent on another connection if its stack numbers them all from one counter", if u.skipped == 1 { "is" } else { "are" }, u.frame, u.before, u.after),
                }
            })
            .collect(),
    }
}

/// The story as text: phases, states, then every segment.
pub fn story_text(story: &Story) -> String {
    let mut out = format!("{}\n\nPhases\n", super::story_roles::roles_line(story.stream, &story.client, &story.server, story.segments.iter().map(|s| s.label.as_str())));
    for p in &story.phases {
        out.push_str(&format!("  frames {}–{}, {}: {}\n", p.first_frame, p.last_frame, p.title, p.caption));
    }
    out.push_str(&format!("\nWhere the time went\n  {}\n", story.time.summary));
    for line in &story.time.parts {
        out.push_str(&format!("  {line}\n"));
    }
    out.push_str("\nStates\n");
    for (side, states) in [("client", &story.states.client), ("server", &story.states.server)] {
        for s in states {
            out.push_str(&format!("  {side} {}{} at frame {}: {}\n", s.state, if s.inferred { "?" } else { "" }, s.frame, s.why));
        }
    }
    out.push_str("\nRecovery\n");
    if story.recovery.is_empty() {
        match &story.fin_at_syn_again {
            Some(s) => out.push_str(&format!("  no loss signal, no resend: {s}\n")),
            // R7a-3: what passed here; a loss before the capture point shows only as a late byte.
            // R20B-1: a header cut before its flags hides a resend as well as anything else.
            None => match story.segments.iter().filter(|s| s.label.starts_with("header cut")).count() {
                // (R20A-3: a skip in the IP identifications, said next, may be a loss.)
                // (R26B-3, R26D-15: a simultaneous open's SYNs and a keep-alive's byte do go by
                // twice; what did not pass is a resend to repair a loss.)
                // (R36A-1: a resend of a segment lost before this point passes it once, as the
                // first copy here: lossy/tail_loss at the receiver, frame 22 the loss probe.)
                0 if !story.unseen_datagrams.is_empty() => out.push_str("  no duplicate ACK or SACK passed here, and no segment twice to repair a loss (a resend of one lost before this point passes it once, as the first copy here); but the sender's IP identifications skip, which may be a loss before this point (below)\n"),
                0 => out.push_str("  no loss signal and no segment twice to repair a loss passed here (a resend of one lost before this point would pass it once)\n"),
                cut if cut == story.segments.len() => out.push_str("  whether any segment was sent again cannot be told: the snap length cut every TCP header before its flags\n"),
                cut => out.push_str(&format!("  no loss signal and no segment twice to repair a loss among the segments whose headers were captured; the snap length cut {cut} of them before their flags, and of those it cannot be told\n")),
            },
        }
    }
    for line in &story.unseen_datagrams {
        out.push_str(&format!("  {line}\n"));
    }
    for e in &story.recovery {
        // What its resends carried: one kind, or both a handshake segment and data (R4:
        // ndpi_heuristic_tcp_ack_payload stream 5 resent its SYN-ACK and then data in one episode).
        let mut kinds: Vec<&str> = Vec::new();
        for r in &e.episode.resends {
            if !kinds.contains(&r.carries) {
                kinds.push(r.carries);
            }
        }
        let carries = if kinds.is_empty() { "data".to_string() } else { kinds.join(" and ") };
        let who = format!("{}'s {carries}", if e.episode.from_client { "client" } else { "server" });
        out.push_str(&format!("  frames {}–{}, {who}: {}\n", e.episode.first_frame, e.episode.last_frame, e.caption));
    }
    out.push_str("\nCongestion (estimated from the capture)\n");
    for s in &story.congestion.sentences {
        out.push_str(&format!("  {s}\n"));
    }
    if !story.ecn.is_empty() {
        out.push_str("\nECN\n");
        story.ecn.iter().for_each(|s| out.push_str(&format!("  {s}\n")));
    }
    out.push_str("\nSegments\n");
    for s in &story.segments {
        let dir = if s.from_client { "client → server" } else { "server → client" };
        out.push_str(&format!("  frame {} ({dir}) {}\n    {}\n", s.frame, s.label, s.explanation));
    }
    out
}

/// "the client's FIN went by 2 times at seq=0 …" (see [`Story::fin_at_syn_again`]).
fn fin_at_syn_again(conn: &Connection<'_>) -> Option<String> {
    [true, false].into_iter().find_map(|client| {
        use crate::tcp::seq::{below_window_at_own_isn, SeqNumber};
        // In relative numbers its ISN is 0, once its SYN was seen.
        let isn = conn.packets().any(|p| p.from_client == client && p.segment.flags.syn()).then_some(SeqNumber(0));
        let at_isn = |p: &crate::tcp::TcpPacket| p.segment.flags.fin() && below_window_at_own_isn(p.segment.flags.syn(), p.segment.flags.rst(), SeqNumber(p.seq), isn);
        let frames: Vec<u64> = conn.packets().filter(|p| p.from_client == client && at_isn(p)).map(|p| p.frame).collect();
        let (me, peer) = if client { ("client", "server") } else { ("server", "client") };
        (frames.len() > 1).then(|| {
            let list = frames.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
            format!("the {me}'s FIN went by {} times at seq=0 (frames {list}), its own SYN's sequence number: no copy is acceptable to the {peer}, so none repeats a byte it could take", frames.len())
        })
    })
}

/// Per sender (client's first): the capture was at it, or on the host of both ends.
fn at_sender(conn: &Connection<'_>) -> [bool; 2] {
    use crate::tcp::Near;
    let near = crate::tcp::capture_point(conn.timed()).map(|p| p.between(conn.stream().client.addr, conn.stream().server.addr).near);
    [matches!(near, Some(Near::Client | Near::OneHost)), matches!(near, Some(Near::Server | Near::OneHost))]
}
