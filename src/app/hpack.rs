//! HPACK (RFC 7541), the decoding side only: a header block into its fields, with the dynamic
//! table a direction's blocks share. Written here rather than taken from a crate: of those
//! tried on random bytes, `hpack` and `httlib-hpack` panic, and `loona-hpack` (which did not)
//! brings `tracing` and `thiserror` into the wasm build for about 200 lines of our own.
//! Every length and index comes from a stranger: each is checked before it is used, and an
//! error leaves the table unknown (the caller stops decoding, never guesses).

use std::collections::VecDeque;

use super::hpack_huffman;

/// The largest dynamic table a size update may ask for. RFC 7541 lets the decoder's
/// SETTINGS_HEADER_TABLE_SIZE bound it; the other direction's SETTINGS are not seen here, so
/// this bounds the memory instead (browsers advertise 64 KiB; a larger table stops decoding).
pub const MAX_TABLE_SIZE: usize = 256 * 1024;

/// Why a block could not be decoded; the table is unknown from there on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// The block ends inside a field.
    Truncated,
    /// An integer longer than any length or index could be.
    Overflow,
    /// Index 0, or past the static and dynamic tables.
    BadIndex,
    /// A Huffman string with EOS, padding over 7 bits or padding not of 1s.
    BadHuffman,
    /// A size update after a field, or over the limit.
    BadSizeUpdate,
}

impl Error {
    /// The error in a few words, for a block said as not decoded.
    pub fn words(self) -> &'static str {
        match self {
            Error::Truncated => "a block that ends inside a field",
            Error::Overflow => "an integer too large",
            Error::BadIndex => "an index past the tables",
            Error::BadHuffman => "a broken Huffman string",
            Error::BadSizeUpdate => "a table size update out of place or over 256 KiB",
        }
    }
}

/// The static table (RFC 7541 Appendix A), index 1 first.
const STATIC: [(&str, &str); 61] = [
    (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"),
    (":scheme", "http"), (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"),
    (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"), ("accept-charset", ""),
    ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
    ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""), ("cache-control", ""),
    ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""), ("content-length", ""),
    ("content-location", ""), ("content-range", ""), ("content-type", ""), ("cookie", ""), ("date", ""), ("etag", ""),
    ("expect", ""), ("expires", ""), ("from", ""), ("host", ""), ("if-match", ""), ("if-modified-since", ""),
    ("if-none-match", ""), ("if-range", ""), ("if-unmodified-since", ""), ("last-modified", ""), ("link", ""),
    ("location", ""), ("max-forwards", ""), ("proxy-authenticate", ""), ("proxy-authorization", ""), ("range", ""),
    ("referer", ""), ("refresh", ""), ("retry-after", ""), ("server", ""), ("set-cookie", ""),
    ("strict-transport-security", ""), ("transfer-encoding", ""), ("user-agent", ""), ("vary", ""), ("via", ""),
    ("www-authenticate", ""),
];

/// Bytes an entry counts for beyond its name and value (RFC 7541 §4.1).
const ENTRY_OVERHEAD: usize = 32;

/// One direction's decoder: the dynamic table its encoder keeps, newest entry first.
#[derive(Debug)]
pub struct Decoder {
    table: VecDeque<(Vec<u8>, Vec<u8>)>,
    size: usize,
    max_size: usize,
}

impl Default for Decoder {
    fn default() -> Self {
        // 4096: SETTINGS_HEADER_TABLE_SIZE's initial value (RFC 9113 §6.5.2).
        Decoder { table: VecDeque::new(), size: 0, max_size: 4096 }
    }
}

impl Decoder {
    /// The dynamic table's size as RFC 7541 §4.1 counts it (for the tests: the reader needs
    /// no more than the fields).
    #[cfg(test)]
    pub fn table_size(&self) -> usize {
        self.size
    }

    /// Decodes one whole header block, handing each field (name, value) to `field` in order.
    /// On an error some fields may have been handed out already and the table is unknown.
    pub fn decode(&mut self, mut block: &[u8], mut field: impl FnMut(&[u8], &[u8])) -> Result<(), Error> {
        let mut fields_seen = false;
        while let Some(&first) = block.first() {
            if first & 0x80 != 0 {
                let index = integer(&mut block, 7)?;
                let (name, value) = self.entry(index)?;
                field(name, value);
            } else if first & 0xe0 == 0x20 {
                // A size update belongs before the block's first field (RFC 7541 §4.2).
                let size = integer(&mut block, 5)?;
                if fields_seen || size > MAX_TABLE_SIZE {
                    return Err(Error::BadSizeUpdate);
                }
                self.max_size = size;
                self.evict_to(size);
                continue;
            } else {
                let indexing = first & 0x40 != 0;
                let index = integer(&mut block, if indexing { 6 } else { 4 })?;
                let name = if index == 0 { string(&mut block)? } else { self.entry(index)?.0.to_vec() };
                let value = string(&mut block)?;
                field(&name, &value);
                if indexing {
                    self.insert(name, value);
                }
            }
            fields_seen = true;
        }
        Ok(())
    }

    fn entry(&self, index: usize) -> Result<(&[u8], &[u8]), Error> {
        match index {
            1..=61 => Ok((STATIC[index - 1].0.as_bytes(), STATIC[index - 1].1.as_bytes())),
            _ => self.table.get(index.checked_sub(62).ok_or(Error::BadIndex)?).map(|(n, v)| (n.as_slice(), v.as_slice())).ok_or(Error::BadIndex),
        }
    }

    /// RFC 7541 §4.4: room is made first; an entry larger than the table empties it.
    fn insert(&mut self, name: Vec<u8>, value: Vec<u8>) {
        let size = name.len() + value.len() + ENTRY_OVERHEAD;
        if size > self.max_size {
            self.evict_to(0);
            return;
        }
        self.evict_to(self.max_size - size);
        self.size += size;
        self.table.push_front((name, value));
    }

    fn evict_to(&mut self, limit: usize) {
        while self.size > limit {
            match self.table.pop_back() {
                Some((n, v)) => self.size -= n.len() + v.len() + ENTRY_OVERHEAD,
                None => break,
            }
        }
    }
}

/// An integer with an `prefix`-bit prefix (RFC 7541 §5.1), taken off the front of `bytes`.
fn integer(bytes: &mut &[u8], prefix: u32) -> Result<usize, Error> {
    let (&first, mut rest) = bytes.split_first().ok_or(Error::Truncated)?;
    let max_prefix = (1usize << prefix) - 1;
    let mut value = usize::from(first) & max_prefix;
    if value == max_prefix {
        let mut shift = 0;
        loop {
            let (&b, after) = rest.split_first().ok_or(Error::Truncated)?;
            rest = after;
            // Four continuation bytes reach 2^28: more than a block, a string or a table holds.
            if shift > 21 {
                return Err(Error::Overflow);
            }
            value += usize::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    *bytes = rest;
    Ok(value)
}

/// A string literal (RFC 7541 §5.2), taken off the front of `bytes`.
fn string(bytes: &mut &[u8]) -> Result<Vec<u8>, Error> {
    let huffman = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let len = integer(bytes, 7)?;
    if len > bytes.len() {
        return Err(Error::Truncated);
    }
    let (raw, rest) = bytes.split_at(len);
    *bytes = rest;
    if huffman {
        hpack_huffman::decode(raw).ok_or(Error::BadHuffman)
    } else {
        Ok(raw.to_vec())
    }
}

#[cfg(test)]
#[path = "hpack_tests.rs"]
mod tests;
