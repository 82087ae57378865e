//! The TCP options of one header, each as its own field of the packet detail view (the bytes
//! it takes, its decoded value, what it is for), where the header table used to say only
//! "Options 12 bytes". Raw values, as the rest of that table shows them.

/// One option: its offset within the options, its length, name, value and meaning.
pub(super) struct OptionField {
    pub at: usize,
    pub len: usize,
    pub name: &'static str,
    pub value: String,
    pub meaning: &'static str,
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// Every option of `bytes` (the header past its first 20 bytes); what does not parse ends the
/// list with one field saying so.
pub(super) fn option_fields(bytes: &[u8]) -> Vec<OptionField> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let kind = bytes[at];
        let field = |len: usize, name, value: String, meaning| OptionField { at, len, name, value, meaning };
        match kind {
            0 => {
                out.push(field(bytes.len() - at, "End of options", String::new(), "kind 0: nothing after it is an option (padding to a 32-bit boundary)"));
                break;
            }
            1 => {
                out.push(field(1, "No-operation", String::new(), "kind 1: padding, so that the next option starts on a word boundary"));
                at += 1;
                continue;
            }
            _ => {}
        }
        let len = bytes.get(at + 1).map_or(0, |&l| usize::from(l));
        if len < 2 || at + len > bytes.len() {
            out.push(field(bytes.len() - at, "Malformed option", format!("kind {kind}, length {len}"), "its length runs past the header or is below 2: the rest is not read"));
            break;
        }
        let body = &bytes[at + 2..at + len];
        let o = match (kind, body.len()) {
            (2, 2) => field(len, "Maximum segment size", u16::from_be_bytes([body[0], body[1]]).to_string(), "kind 2: the largest segment the sender wants to receive (in a SYN only)"),
            (3, 1) => field(len, "Window scale", format!("shift {} (×{})", body[0], 1u32 << body[0].min(14)), "kind 3 (RFC 7323): later windows from this side count in units of 2^shift bytes, if both SYNs carry it"),
            (4, 0) => field(len, "SACK permitted", String::new(), "kind 4 (RFC 2018): this side can read selective acknowledgments (in a SYN only)"),
            (5, n) if n % 8 == 0 => field(
                len,
                "SACK",
                body.chunks_exact(8).map(|e| format!("{}–{}", be32(e), be32(&e[4..]))).collect::<Vec<_>>().join(", "),
                "kind 5 (RFC 2018): blocks of bytes received beyond the ACK (left edge, right edge exclusive; raw sequence numbers): the gaps between are missing",
            ),
            (8, 8) => field(len, "Timestamps", format!("TSval {}, TSecr {}", be32(body), be32(&body[4..])), "kind 8 (RFC 7323): the sender's clock (TSval) and the latest TSval it received (TSecr), for RTT measurement and PAWS"),
            (34, 0) => field(len, "TCP Fast Open", "cookie request".to_string(), "kind 34 (RFC 7413): the client asks for a cookie to send data in later SYNs"),
            (34, n) => field(len, "TCP Fast Open", format!("cookie of {n} bytes"), "kind 34 (RFC 7413): the cookie that lets a SYN carry data"),
            (254, n) if n >= 2 && body[..2] == [0xF9, 0x89] => field(len, "TCP Fast Open (experimental)", format!("cookie of {} bytes", n - 2), "kind 254 with magic 0xF989 (RFC 6994): Fast Open before kind 34 was assigned"),
            (30, _) => field(len, "Multipath TCP", format!("{} bytes", len), "kind 30 (RFC 8684): Multipath TCP signalling"),
            (19, 16) => field(len, "TCP MD5 signature", String::new(), "kind 19 (RFC 2385): a keyed digest of the segment (BGP sessions)"),
            (29, _) => field(len, "TCP authentication", format!("{} bytes", len), "kind 29 (RFC 5925): TCP-AO, a keyed MAC of the segment"),
            _ => field(len, "Option", format!("kind {kind}, {len} bytes"), "an option this view does not decode"),
        };
        out.push(o);
        at += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linux_syn_options_are_each_a_field() {
        // MSS 1460, SACK permitted, timestamps, NOP, window scale 7: Linux's SYN.
        let bytes = [2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];
        let f = option_fields(&bytes);
        let names: Vec<&str> = f.iter().map(|o| o.name).collect();
        assert_eq!(names, ["Maximum segment size", "SACK permitted", "Timestamps", "No-operation", "Window scale"]);
        assert_eq!(f[0].value, "1460");
        assert_eq!(f[2].value, "TSval 1, TSecr 0");
        assert_eq!(f[4].value, "shift 7 (×128)");
        assert_eq!((f[4].at, f[4].len), (17, 3));
        let cut = option_fields(&[2, 4, 5]);
        assert_eq!(cut[0].name, "Malformed option");
    }
}
