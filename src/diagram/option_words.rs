//! What a SYN's or SYN-ACK's TCP options announce, in words: MSS, window scale, SACK permitted,
//! timestamps, Fast Open — and what the capture could not read of them.

use crate::decode::TcpOptions;

fn options_text(o: &TcpOptions) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(mss) = o.mss {
        parts.push(format!("MSS {mss} (the largest segment it wants to receive)"));
    }
    if let Some(ws) = o.window_scale {
        if ws > 14 {
            // R4 M4: 2^255 is not 16384; RFC 7323 §2.3 says what a receiver does.
            parts.push(format!("window scale {ws} — above the largest allowed, 14, so a receiver uses 14 (RFC 7323 §2.3): its windows count in units of 16384 bytes once both sides agree"));
        } else {
            // (Scale 0: "units of 1 bytes" read wrongly, R23A-6.)
            if ws == 0 {
                parts.push("window scale 0 (its own windows stay unscaled; sending the option lets the peer scale its windows once both sides agree)".to_string());
            } else {
                parts.push(format!("window scale {ws} (its windows count in units of {} bytes once both sides agree)", 1u64 << ws));
            }
        }
    }
    if o.sack_permitted {
        parts.push("SACK permitted".to_string());
    }
    if o.timestamps.is_some() {
        parts.push("timestamps".to_string());
    }
    match o.fast_open {
        Some(0) => parts.push("an empty TCP Fast Open option (RFC 7413): a request for a cookie, to put data in the SYN of a later connection".to_string()),
        Some(n) => parts.push(format!("a TCP Fast Open cookie ({n} bytes, RFC 7413)")),
        None => {}
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// " It announces MSS 1460, …." for a SYN or SYN-ACK, with what the capture could not read:
/// options cut off by the snap length, or a known option of the wrong length (R4 M3: silence
/// would read as "no options": MSS 536, no SACK).
pub(super) fn options_sentence(s: &crate::decode::TcpSegment) -> String {
    let o = &s.options;
    let listed = options_text(o);
    // A known option whose length is not the one its RFC gives (kept among the other kinds).
    let wrong: Vec<&str> = o.other_kinds[..usize::from(o.other_count)]
        .iter()
        .filter_map(|k| match k {
            2 => Some("MSS (should be 4 bytes)"),
            3 => Some("window scale (should be 3 bytes)"),
            4 => Some("SACK permitted (should be 2 bytes)"),
            8 => Some("Timestamps (should be 10 bytes, RFC 7323)"),
            _ => None,
        })
        .collect();
    let mut t = match (&listed, s.truncated) {
        (Some(l), true) => format!(" It announces {l}; the rest of its options were not captured (the snap length cut its TCP header short), so whatever else it announced cannot be told."),
        (None, true) if s.header_len > 20 => " Its options were not captured (the snap length cut its TCP header short): what it announced (MSS, window scale, SACK, timestamps) cannot be told.".to_string(),
        (Some(l), false) => format!(" It announces {l}."),
        _ => String::new(),
    };
    if !wrong.is_empty() {
        // R5e M3: ignoring it is Linux's way, not a rule (RFC 9293 §3.1 MUST-7 suggests a reset).
        t.push_str(&format!(
            " It also carries a malformed option — {} — which many stacks (Linux among them) skip; RFC 9293 §3.1 only asks a receiver to be prepared for it (it suggests resetting the connection and logging the reason).",
            wrong.join(", ")
        ));
    }
    t
}
