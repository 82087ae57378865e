//! The short words a ladder's arrow carries for the messages it completes ("GET /index.html",
//! "200 OK", "TLS ClientHello"), before its TCP numbers. With the addresses hidden, what names
//! a place or a person — a URL's path, a DNS name — is left out, and only the message's kind
//! stays.

use crate::app::cut_chars;
use std::collections::BTreeMap;

use crate::app::What;

use super::{Messages, Placed};


/// Characters of a request target kept on an arrow.
const TARGET_CHARS: usize = 32;
/// Characters of an arrow's message words before "…".
const WORDS_CHARS: usize = 80;

/// What the ladder writes of the application's messages.
#[derive(Debug, Clone, Default)]
pub struct MessageMarks {
    /// Per segment index, the words of the messages that segment completes.
    pub labels: BTreeMap<usize, String>,
    /// Each message over more than one segment (a collapsed run inside it is titled by it;
    /// the ladder brackets it beside its sender's lifeline).
    pub spans: Vec<MessageSpan>,
    /// The segment index where each labelled message begins.
    pub starts: Vec<usize>,
    /// The phases the application's messages mark (HTTP exchanges, TLS's handshake …).
    pub phases: Vec<super::app_phases::AppPhase>,
    /// The words already give each message's size ("HTTP response, 4240 B").
    pub words_say_size: bool,
}

/// A message brought by more than one segment.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageSpan {
    /// The segment indexes that bring its first byte and its last.
    pub first: usize,
    pub last: usize,
    pub from_client: bool,
    /// Its bytes in the stream (a gap inside counted by its length).
    pub bytes: u64,
    pub words: String,
}

pub fn arrow_labels(messages: &Messages, hide: bool) -> MessageMarks {
    marks_with(messages, |p| short(p, hide), super::app_phases::app_phases(messages, hide))
}

/// The same with each message's type and size only ("hide application data"; see
/// [`super::type_words`]).
pub fn arrow_types(messages: &Messages) -> MessageMarks {
    MessageMarks { words_say_size: true, ..marks_with(messages, super::type_words::type_words, super::app_phases::app_phase_types(messages)) }
}

fn marks_with(messages: &Messages, words_of: impl Fn(&Placed) -> Option<String>, phases: Vec<super::app_phases::AppPhase>) -> MessageMarks {
    let mut by_segment: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut spans = Vec::new();
    let mut starts = Vec::new();
    for p in &messages.messages {
        if let Some(words) = words_of(p) {
            starts.push(p.first_index as usize);
            if p.first_index < p.last_index {
                spans.push(MessageSpan { first: p.first_index as usize, last: p.last_index as usize, from_client: p.message.from_client, bytes: p.message.end - p.message.start, words: words.clone() });
                // The segment that brings its first byte says so; the one that completes it
                // carries its words alone.
                by_segment.entry(p.first_index as usize).or_default().push(format!("{words} (begins)"));
            }
            by_segment.entry(p.last_index as usize).or_default().push(words);
        }
    }
    MessageMarks { labels: by_segment.into_iter().map(|(i, words)| (i, joined(&words))).collect(), spans, starts, phases, words_say_size: false }
}

/// The words of a collapsed run of segments `first..=last`: the messages that end in it, or
/// the one it is part of.
pub fn run_words(marks: &MessageMarks, first: usize, last: usize) -> Option<String> {
    let ending: Vec<String> = marks.labels.range(first..=last).map(|(_, w)| w.clone()).collect();
    match ending.len() {
        0 => {}
        1..=3 => return Some(joined(&ending)),
        n => return Some(format!("{n} arrows with messages, from {} to {}", ending[0], ending[n - 1])),
    }
    marks.spans.iter().find(|m| m.first < first && m.last > last).map(|m| if marks.words_say_size { format!("part of {}", m.words) } else { format!("part of {} (a message of {} B)", m.words, m.bytes) })
}

/// Repeated words counted ("TLS application data ×3"), cut at [`WORDS_CHARS`].
fn joined(words: &[String]) -> String {
    let mut runs: Vec<(String, usize)> = Vec::new();
    for w in words {
        match runs.last_mut() {
            Some((last, n)) if last == w => *n += 1,
            _ => runs.push((w.clone(), 1)),
        }
    }
    // "TLS ServerHello, ChangeCipherSpec, …": the protocol named once.
    let text = runs
        .iter()
        .enumerate()
        .map(|(k, (w, n))| {
            let w = if k > 0 { w.strip_prefix("TLS ").unwrap_or(w) } else { w };
            if *n > 1 {
                format!("{w} ×{n}")
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    cut_chars(&text, WORDS_CHARS)
}

fn short(p: &Placed, hide: bool) -> Option<String> {
    let words = match &p.message.what {
        What::HttpRequest(r) if hide => format!("{} (target hidden)", r.method),
        What::HttpRequest(r) => format!("{} {}", r.method, cut_chars(&r.target, TARGET_CHARS)),
        What::HttpResponse(r) => format!("{} {}", r.status, r.reason).trim_end().to_string(),
        What::Tls(r) => super::type_words::tls_short(r, p.encrypted_handshake, p.tls13_record),
        What::Dns(d) if d.response => match d.rcode {
            0 => format!("DNS response, {} answer{}", d.answers, if d.answers == 1 { "" } else { "s" }),
            3 => "DNS response NXDOMAIN".to_string(),
            r => format!("DNS response, rcode {r}"),
        },
        What::Dns(_) if hide => "DNS query (name hidden)".to_string(),
        What::Dns(d) => format!("DNS query {}", d.name.as_deref().map_or(String::new(), |n| cut_chars(n, TARGET_CHARS))),
        What::Line(l) => super::line_words::line_short(l, hide),
        What::Redis(r) => super::line_words::redis_short(r, p.message.from_client, hide),
        What::Http2(f) => super::line_words::http2_short(f, hide),
        // Unknown data and gaps say nothing a reader needs on an arrow (Follow and the
        // explanation have them).
        What::Unknown { .. } | What::Gap => return None,
    };
    Some(words)
}


