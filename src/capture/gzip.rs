//! gzip-compressed captures (as attached to tickets), detected by magic bytes, not by name.
//! flate2's pure-Rust backend works the same in the browser.

use std::io::Read;

pub(super) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

pub(super) struct Inflated {
    pub data: Vec<u8>,
    /// Why decompression stopped early, if it did; `data` holds everything before that.
    pub error: Option<String>,
}

pub(super) fn inflate(bytes: &[u8]) -> Inflated {
    let mut decoder = flate2::read::MultiGzDecoder::new(bytes);
    let mut data = Vec::with_capacity(bytes.len().saturating_mul(3));
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match decoder.read(&mut chunk) {
            Ok(0) => return Inflated { data, error: None },
            Ok(n) => data.extend_from_slice(&chunk[..n]),
            Err(e) => return Inflated { data, error: Some(e.to_string()) },
        }
    }
}
