//! Tells a capture from the other files people drop by mistake, by their first bytes.

pub(super) enum Kind {
    Pcap,
    PcapNg,
    /// Not a capture we read; the text says what it looks like.
    Other(String),
}

const PCAP_MAGICS: [[u8; 4]; 4] = [
    [0xd4, 0xc3, 0xb2, 0xa1], // microseconds, little-endian
    [0xa1, 0xb2, 0xc3, 0xd4], // microseconds, big-endian
    [0x4d, 0x3c, 0xb2, 0xa1], // nanoseconds, little-endian
    [0xa1, 0xb2, 0x3c, 0x4d], // nanoseconds, big-endian
];

pub(super) fn sniff(bytes: &[u8]) -> Kind {
    if bytes.is_empty() {
        return Kind::Other("the file is empty".into());
    }
    if bytes.len() >= 4 {
        let magic = [bytes[0], bytes[1], bytes[2], bytes[3]];
        if PCAP_MAGICS.contains(&magic) {
            return Kind::Pcap;
        }
        if magic == [0x0a, 0x0d, 0x0d, 0x0a] {
            return Kind::PcapNg;
        }
    }
    Kind::Other(describe_other(bytes))
}

fn describe_other(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(512)];
    let lower: String = String::from_utf8_lossy(head).trim_start_matches('\u{feff}').trim_start().to_ascii_lowercase();
    let named = |what: &str| format!("this is {what}, not a packet capture (pcap or pcapng)");
    let unsupported = |what: &str| {
        format!("this is {what}, a capture format tcp-ladder does not read; save it as pcap or pcapng (e.g. with Wireshark or editcap)")
    };
    if bytes.len() < 4 {
        return format!("the file is only {} bytes long: too short to be a capture", bytes.len());
    }
    let magic = [bytes[0], bytes[1], bytes[2], bytes[3]];
    match magic {
        [0xa1, 0xb2, 0xcd, 0x34] | [0x34, 0xcd, 0xb2, 0xa1] => return unsupported("a Kuznetzov-modified pcap file"),
        [b's', b'n', b'o', b'o'] if bytes.starts_with(b"snoop\0\0\0") => return unsupported("a Solaris snoop file"),
        [b'X', b'C', b'P', 0] => return unsupported("a NetXRay / Sniffer capture"),
        [0x50, 0x4b, 0x03, 0x04] => return named("a ZIP archive; unpack it first"),
        [b'B', b'Z', b'h', _] => return named("a bzip2-compressed file; decompress it first"),
        [0xfd, b'7', b'z', b'X'] => return named("an xz-compressed file; decompress it first"),
        [0x28, 0xb5, 0x2f, 0xfd] => return named("a zstd-compressed file; decompress it first"),
        [0x89, b'P', b'N', b'G'] => return named("a PNG image"),
        [0xff, 0xd8, 0xff, _] => return named("a JPEG image"),
        [b'%', b'P', b'D', b'F'] => return named("a PDF document"),
        [0x7f, b'E', b'L', b'F'] => return named("an ELF executable"),
        _ => {}
    }
    if looks_like_erf(bytes) {
        return unsupported("an Endace ERF file");
    }
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return named("an HTML file");
    }
    if lower.starts_with("<?xml") || lower.starts_with('<') {
        return named("an XML file");
    }
    if lower.starts_with('{') || lower.starts_with('[') {
        return named("a JSON (or other text) file");
    }
    if head.iter().all(|&b| b == b'\n' || b == b'\r' || b == b'\t' || (0x20..0x7f).contains(&b)) {
        return named("a text file");
    }
    format!(
        "the file does not start with a pcap or pcapng magic number (it starts with {:02x} {:02x} {:02x} {:02x})",
        magic[0], magic[1], magic[2], magic[3]
    )
}

/// ERF has no magic number; its first record header is plausible when the type is a known
/// one and the record length is at least the header length.
fn looks_like_erf(bytes: &[u8]) -> bool {
    if bytes.len() < 16 {
        return false;
    }
    let rec_type = bytes[8] & 0x7f;
    let rlen = u16::from_be_bytes([bytes[10], bytes[11]]);
    (1..=27).contains(&rec_type) && rlen >= 16 && usize::from(rlen) <= bytes.len() && bytes[9] & 0xf0 == 0
}
