//! The URL fragment that records a view of a capture: which connection, which segment, which
//! toggles, and which file (its name and size, so that a link opened without it can say what
//! to open, and a bundled sample's link can reopen it). It never holds capture data (no
//! addresses, no bytes): opening the same file on a page with the fragment restores the view.
//! `#c=3&f=12&v=timing,absolute,step&file=seed.pcap&size=1234`; two captures merged add the
//! second's name and an offset set by hand: `&file2=server.pcap&offset-ns=-12500000`.

/// What a link restores.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewLink {
    /// The connection (`tcp.stream`).
    pub stream: Option<u32>,
    /// The selected segment, by frame number.
    pub frame: Option<u64>,
    pub absolute: bool,
    pub by_time: bool,
    pub timing: bool,
    pub expand_all: bool,
    pub step: bool,
    pub hide_addresses: bool,
    /// The names the reader gave the endpoints (typed by the reader, not taken from the capture).
    pub names: [Option<String>; 2],
    /// The file the view is of: its name and size in bytes.
    pub file: Option<String>,
    pub size: Option<u64>,
    /// Two captures merged (issue #26): the second file's name (B; `file` is A's), and B's
    /// clock minus A's in ns where the reader set it by hand.
    pub second_file: Option<String>,
    pub offset_ns: Option<i64>,
}

/// Percent-encodes everything but letters, digits and `-_.~` (a name can hold any text).
fn encode(text: &str) -> String {
    text.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(text.get(i + 1..i + 3)?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

const VIEWS: [&str; 6] = ["absolute", "by-time", "timing", "every-segment", "step", "hide-addresses"];

impl ViewLink {
    /// The fragment, with its `#`.
    pub fn to_fragment(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.stream {
            parts.push(format!("c={s}"));
        }
        if let Some(f) = self.frame {
            parts.push(format!("f={f}"));
        }
        let flags = [self.absolute, self.by_time, self.timing, self.expand_all, self.step, self.hide_addresses];
        let views: Vec<&str> = VIEWS.iter().zip(flags).filter(|(_, on)| *on).map(|(v, _)| *v).collect();
        if !views.is_empty() {
            parts.push(format!("v={}", views.join(",")));
        }
        for (key, name) in ["n1", "n2"].iter().zip(&self.names) {
            if let Some(name) = name {
                parts.push(format!("{key}={}", encode(name)));
            }
        }
        if let Some(file) = &self.file {
            parts.push(format!("file={}", encode(file)));
        }
        if let Some(size) = self.size {
            parts.push(format!("size={size}"));
        }
        if let Some(second) = &self.second_file {
            parts.push(format!("file2={}", encode(second)));
        }
        if let Some(offset) = self.offset_ns {
            parts.push(format!("offset-ns={offset}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("#{}", parts.join("&"))
        }
    }

    /// Reads a fragment (with or without `#`); what it cannot read it leaves out.
    pub fn parse(fragment: &str) -> Self {
        let mut link = ViewLink::default();
        for part in fragment.trim_start_matches('#').split('&') {
            match part.split_once('=') {
                Some(("c", v)) => link.stream = v.parse().ok(),
                Some(("f", v)) => link.frame = v.parse().ok(),
                Some(("n1", v)) => link.names[0] = decode(v),
                Some(("n2", v)) => link.names[1] = decode(v),
                Some(("file", v)) => link.file = decode(v),
                Some(("size", v)) => link.size = v.parse().ok(),
                Some(("file2", v)) => link.second_file = decode(v),
                Some(("offset-ns", v)) => link.offset_ns = v.parse().ok(),
                Some(("v", v)) => {
                    for view in v.split(',') {
                        match view {
                            "absolute" => link.absolute = true,
                            "by-time" => link.by_time = true,
                            "timing" => link.timing = true,
                            "every-segment" => link.expand_all = true,
                            "step" => link.step = true,
                            "hide-addresses" => link.hide_addresses = true,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        link
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_link_reads_back_what_it_wrote() {
        let link = ViewLink { stream: Some(3), frame: Some(12), timing: true, step: true, ..Default::default() };
        assert_eq!(link.to_fragment(), "#c=3&f=12&v=timing,step");
        assert_eq!(ViewLink::parse(&link.to_fragment()), link);
        assert_eq!(ViewLink::parse("#c=x&f=9&v=nonsense,absolute"), ViewLink { frame: Some(9), absolute: true, ..Default::default() });
        assert_eq!(ViewLink::default().to_fragment(), "");
        let named = ViewLink { hide_addresses: true, names: [Some("web browser & co".into()), Some("服务器".into())], ..Default::default() };
        assert_eq!(ViewLink::parse(&named.to_fragment()), named);
        assert!(!named.to_fragment().contains(' '));
        let of_file = ViewLink { stream: Some(0), file: Some("capture (2).pcap".into()), size: Some(1234), ..Default::default() };
        assert_eq!(of_file.to_fragment(), "#c=0&file=capture%20%282%29.pcap&size=1234");
        assert_eq!(ViewLink::parse(&of_file.to_fragment()), of_file);
        let merged = ViewLink { stream: Some(2), file: Some("at client.pcap".into()), second_file: Some("at-server.pcapng".into()), offset_ns: Some(-12_500_000), ..Default::default() };
        assert_eq!(merged.to_fragment(), "#c=2&file=at%20client.pcap&file2=at-server.pcapng&offset-ns=-12500000");
        assert_eq!(ViewLink::parse(&merged.to_fragment()), merged);
    }
}
