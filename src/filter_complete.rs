//! What the connection filter can be completed with, for its suggestion list (#24): the word
//! being typed (the last one) as a field (`port:`, `addr:`, … and Wireshark's `tcp.port ==`, …)
//! or, after `shape:` or `flag:`, as one of the values that field knows. The fields are
//! `filter_forms`' own and the values the names the filter matches (`tcp::lifecycle` shape
//! ids, `AnalysisFlags::NAMES`), so a suggestion is always a term the filter reads.

use crate::filter_forms::{APP_NAMES, FIELDS, WIRESHARK_FIELDS};
use crate::tcp::analysis::AnalysisFlags;
use crate::tcp::lifecycle::{CloseShape, OpenShape};

/// One suggestion: the whole filter once it is taken, the term it adds and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The filter with the last word replaced by the suggestion.
    pub query: String,
    /// The suggested term as shown (`port:`, `tcp.port == `, `shape:reset`).
    pub term: String,
    /// What it matches, in a few words.
    pub meaning: String,
}

/// Suggestions shown at most (the list is for finding a field, not for reading every name).
pub const MAX: usize = 12;

/// What each native field matches (the filter help says the same at more length).
fn field_meaning(field: &str) -> &'static str {
    match field {
        "port" => "either end's port",
        "addr" => "either end's address, or a prefix ending in .",
        "shape" => "how it opened or closed",
        "flag" => "a TCP flag or a Wireshark finding seen",
        "frame" => "the connection a frame belongs to",
        "time" => "seconds: >2 started after, <2 ended before, 2 open at",
        "app" => "the protocol its first bytes speak",
        "host" => "the name asked for: SNI, Host, DNS question",
        "http" => "the first exchange: a status (404, 4), a method, a /target",
        _ => "",
    }
}

/// The values `shape:` and `flag:` know.
fn values(field: &str) -> Vec<(String, &'static str)> {
    match field {
        "shape" => {
            let open = [OpenShape::Handshake, OpenShape::Refused, OpenShape::Unanswered, OpenShape::SimultaneousOpen, OpenShape::BeforeCapture];
            let close = [CloseShape::FourWay, CloseShape::ThreeSegment, CloseShape::Simultaneous, CloseShape::Reset, CloseShape::OpenAtEnd];
            let opened = open.iter().map(|s| (s.id().replace('_', "-"), "how it opened"));
            opened.chain(close.iter().map(|s| (s.id().replace('_', "-"), "how it closed"))).collect()
        }
        "flag" => {
            let tcp = ["syn", "fin", "rst", "psh", "urg", "ece", "cwr"].into_iter().map(|f| (f.to_string(), "a TCP flag seen"));
            tcp.chain(AnalysisFlags::NAMES.iter().map(|(_, n)| (n.to_string(), "Wireshark's finding"))).collect()
        }
        "app" => APP_NAMES.iter().map(|n| (n.to_string(), "a protocol")).collect(),
        _ => Vec::new(),
    }
}

/// The suggestions for `query` as typed: empty when the last word is a complete term, a value
/// of a field with no list (a port, an address …) or a plain word no field starts with.
pub fn completions(query: &str) -> Vec<Completion> {
    let cut = query.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let (head, word) = query.split_at(cut);
    let lower = word.to_lowercase();
    let make = |term: String, meaning: &str| Completion { query: format!("{head}{term}"), term, meaning: meaning.to_string() };
    if let Some((field, typed)) = lower.split_once(':') {
        // (`tcp.port==` and the like are Wireshark's forms, completed as words below.)
        return values(field).into_iter().filter(|(v, _)| v.starts_with(typed) && *v != typed).take(MAX).map(|(v, m)| make(format!("{field}:{v}"), m)).collect();
    }
    if lower.is_empty() && !head.trim().is_empty() {
        return Vec::new();
    }
    let native = FIELDS.iter().map(|f| (format!("{f}:"), field_meaning(f)));
    let wireshark = WIRESHARK_FIELDS.iter().map(|(w, native)| (format!("{w} == "), native.map_or("Wireshark's connection number", field_meaning)));
    native.chain(wireshark).filter(|(t, _)| t.starts_with(&lower) && t.trim_end() != lower).take(MAX).map(|(t, m)| make(t, m)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(q: &str) -> Vec<String> {
        completions(q).into_iter().map(|c| c.term).collect()
    }

    #[test]
    fn a_field_is_completed_from_its_start() {
        assert_eq!(terms("po"), ["port:"]);
        assert_eq!(terms("f"), ["flag:", "frame:", "frame.number == "]);
        assert_eq!(terms("tcp."), ["tcp.port == ", "tcp.stream == "]);
        assert_eq!(completions("port:80 ad")[0].query, "port:80 addr:");
        assert_eq!(terms("").len(), (FIELDS.len() + WIRESHARK_FIELDS.len()).min(MAX));
    }

    #[test]
    fn shape_and_flag_values_are_terms_the_filter_reads() {
        assert_eq!(terms("shape:thr"), ["shape:three-segment"]);
        assert!(terms("flag:ret").contains(&"flag:retransmission".to_string()));
        assert_eq!(completions("port:80 flag:zero_window_p")[0].query, "port:80 flag:zero_window_probe");
        for c in completions("shape:").into_iter().chain(completions("flag:")) {
            assert!(crate::filter_forms::rewrite(&c.query).is_ok(), "{}", c.query);
        }
    }

    #[test]
    fn nothing_to_add_gives_no_list() {
        assert!(terms("port:").is_empty());
        assert!(terms("port:80 ").is_empty());
        assert!(terms("shape:reset").is_empty());
        assert!(terms("10.0.0.1").is_empty());
    }
}
