//! gzip-compressed captures (as attached to tickets), detected by magic bytes, not by name.
//! flate2's pure-Rust backend works the same in the browser.

use std::io::Read;

pub(super) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

pub(super) struct Inflated {
    pub data: Vec<u8>,
    /// Why decompression stopped early (a sentence), if it did; `data` holds everything
    /// before that.
    pub error: Option<String>,
}

/// A real capture compresses a few times, rarely twenty; a decompression bomb (gigabytes of
/// zeros in a small file) a thousand times. Beyond this ratio, and past the floor below,
/// decompression stops and says why; what was decompressed until then is still read.
const MAX_RATIO: usize = 200;
#[cfg(not(fuzzing))]
const RATIO_FLOOR: usize = 64 << 20;
/// Fuzzing: the same check from 1 MiB, so that a mutated gzip input costs microseconds, not
/// the tenth of a second 64 MiB of zeros takes to inflate.
#[cfg(fuzzing)]
const RATIO_FLOOR: usize = 1 << 20;

pub(super) fn inflate(bytes: &[u8]) -> Inflated {
    let mut decoder = flate2::read::MultiGzDecoder::new(bytes);
    let mut data = Vec::with_capacity(bytes.len().saturating_mul(3));
    let mut chunk = vec![0u8; 64 * 1024];
    let limit = bytes.len().saturating_mul(MAX_RATIO).max(RATIO_FLOOR);
    loop {
        if data.len() > limit {
            let error = format!(
                "decompression stopped after {} bytes: that is over {MAX_RATIO} times the file's {} bytes, which no capture compresses to (a decompression bomb?)",
                data.len(),
                bytes.len()
            );
            return Inflated { data, error: Some(error) };
        }
        match decoder.read(&mut chunk) {
            Ok(0) => return Inflated { data, error: None },
            Ok(n) => data.extend_from_slice(&chunk[..n]),
            Err(e) => return Inflated { data, error: Some(format!("the gzip stream is damaged: {e}")) },
        }
    }
}
