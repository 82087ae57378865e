//! Wireshark-style filter forms, rewritten into the list's own filter language
//! (`listing::parse_query`) before it reads them, and the "unknown field" error.
//! Why a rewrite and not a second parser: one matcher decides what a term means, so the
//! Wireshark form and the native form can never disagree about which connections match.
//!
//! Accepted: `tcp.port == 80` (also `tcp.port==80`, `tcp.port eq 80`), `ip.addr == 10.0.0.1`,
//! `ipv6.addr == ::1`, `tcp.stream == 3`, `frame.number == 12`, and `&&` / `and` between
//! terms (the list language already means "all of these"). `||`, `or`, `!` and `not` are
//! refused with a message, since the language has no "or" or "not" yet.

/// The native fields, as said in the "unknown field" message.
pub const FIELDS: &[&str] = &["port", "addr", "shape", "flag", "frame", "time", "app", "host", "http"];

/// The values `app:` knows: the protocols `app::detect` tells apart (as `Protocol::name`
/// spells them), and `none` (no byte sent).
pub const APP_NAMES: [&str; 12] = ["http", "http2", "tls", "dns", "smtp", "ftp", "pop3", "imap", "ssh", "redis", "unknown", "none"];

/// Wireshark field → native field (`None` for tcp.stream, which becomes `#N`).
pub const WIRESHARK_FIELDS: &[(&str, Option<&str>)] =
    &[("tcp.port", Some("port")), ("ip.addr", Some("addr")), ("ipv6.addr", Some("addr")), ("frame.number", Some("frame")), ("tcp.stream", None),
      ("http.host", Some("host")), ("tls.handshake.extensions_server_name", Some("host")), ("dns.qry.name", Some("host")), ("http.response.code", Some("http")), ("http.request.method", Some("http"))];

/// A field word: letters, dots or underscores, with at least one letter that is not a hex
/// digit, so IPv6 plain words like `fe80::1` or `dead:beef` are never taken for a field.
fn looks_like_field(f: &str) -> bool {
    !f.is_empty() && f.chars().all(|c| c.is_ascii_alphabetic() || c == '.' || c == '_') && f.chars().any(|c| c.is_ascii_alphabetic() && !c.is_ascii_hexdigit())
}

fn unknown(field: &str) -> String {
    let wireshark: Vec<&str> = WIRESHARK_FIELDS.iter().map(|(w, _)| *w).collect();
    format!("unknown field '{field}': fields are {}, or Wireshark's {}", FIELDS.join(", "), wireshark.join(", "))
}

/// The query in the native language, or an error naming what cannot be read.
pub fn rewrite(query: &str) -> Result<String, String> {
    let spaced = query.replace("==", " == ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let lower = w.to_lowercase();
        match lower.as_str() {
            "&&" | "and" => {
                i += 1;
                continue;
            }
            "||" | "or" | "!" | "not" => return Err(format!("'{w}' is not understood yet: the filter keeps connections matching all of its terms, with no \"or\" or \"not\"")),
            _ if lower.starts_with('!') => return Err(format!("'!' is not understood yet: the filter keeps connections matching all of its terms, with no \"not\"")),
            _ => {}
        }
        // `field == value` / `field eq value`
        let op = words.get(i + 1).map(|o| o.to_lowercase());
        if matches!(op.as_deref(), Some("==") | Some("eq")) && lower.contains('.') || matches!(op.as_deref(), Some("==")) {
            let value = words.get(i + 2).ok_or_else(|| format!("'{w} ==' needs a value after it"))?;
            out.push(native(&lower, value)?);
            i += 3;
            continue;
        }
        // `field:value`: a native field passes through; a Wireshark or unknown one does not.
        if let Some((f, v)) = lower.split_once(':') {
            if looks_like_field(f) && !FIELDS.contains(&f) {
                out.push(native(f, v)?);
                i += 1;
                continue;
            }
        }
        out.push(w.to_string());
        i += 1;
    }
    Ok(out.join(" "))
}

/// One Wireshark `field == value` as a native term.
fn native(field: &str, value: &str) -> Result<String, String> {
    // Wireshark quotes strings: `http.host == "example.com"`.
    let value = value.trim_matches('"');
    if FIELDS.contains(&field) {
        return Ok(format!("{field}:{value}"));
    }
    match WIRESHARK_FIELDS.iter().find(|(w, _)| *w == field) {
        Some((_, Some(n))) => Ok(format!("{n}:{value}")),
        Some((_, None)) => Ok(format!("#{value}")),
        None => Err(unknown(field)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wireshark_forms_become_native_terms() {
        assert_eq!(rewrite("tcp.port == 80").unwrap(), "port:80");
        assert_eq!(rewrite("tcp.port==80").unwrap(), "port:80");
        assert_eq!(rewrite("ip.addr == 10.0.0.1 && tcp.port eq 443").unwrap(), "addr:10.0.0.1 port:443");
        assert_eq!(rewrite("ipv6.addr == ::1").unwrap(), "addr:::1");
        assert_eq!(rewrite("tcp.stream == 3").unwrap(), "#3");
        assert_eq!(rewrite("frame.number == 12").unwrap(), "frame:12");
        assert_eq!(rewrite("port == 80 and shape:reset").unwrap(), "port:80 shape:reset");
        assert_eq!(rewrite("http.host == \"example.com\"").unwrap(), "host:example.com");
        assert_eq!(rewrite("tls.handshake.extensions_server_name == a.b").unwrap(), "host:a.b");
        assert_eq!(rewrite("http.response.code == 404").unwrap(), "http:404");
    }

    #[test]
    fn native_words_and_ipv6_pass_unchanged() {
        assert_eq!(rewrite("port:80 shape:reset time:>2.5 fe80::1 dead:beef #4").unwrap(), "port:80 shape:reset time:>2.5 fe80::1 dead:beef #4");
    }

    #[test]
    fn an_unknown_field_is_named_with_the_fields() {
        let e = rewrite("bogus:1").unwrap_err();
        assert!(e.starts_with("unknown field 'bogus': fields are port, addr"), "{e}");
        let e = rewrite("tcp.window_size == 5").unwrap_err();
        assert!(e.starts_with("unknown field 'tcp.window_size'"), "{e}");
        assert_ne!(e, "no connection matches");
    }

    #[test]
    fn or_and_not_are_refused_with_a_reason() {
        assert!(rewrite("port:80 || port:443").unwrap_err().contains("no \"or\""));
        assert!(rewrite("!port:80").unwrap_err().contains("'!'"));
        assert!(rewrite("tcp.port ==").unwrap_err().contains("needs a value"));
    }
}
