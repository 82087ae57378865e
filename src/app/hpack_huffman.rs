//! HPACK's Huffman code (RFC 7541 Appendix B), decoding only. The code is canonical: within
//! each length the codes count up in the order of the symbols, each length's first code
//! following the last of the shorter ones. So the bit length of each symbol is the whole
//! table (the tests check codes of Appendix B against it), and a decoder walks the lengths.

/// The code's length in bits of each symbol 0..=255 and of EOS (256), Appendix B's column.
const LENGTHS: [u8; 257] = [
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
    13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
    15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
    20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
    22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
    26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
    20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
    30,
];

const EOS: u16 = 256;
const LONGEST: usize = 30;

/// How many codes have each length.
const COUNTS: [u16; LONGEST + 1] = {
    let mut counts = [0u16; LONGEST + 1];
    let mut s = 0;
    while s < 257 {
        counts[LENGTHS[s] as usize] += 1;
        s += 1;
    }
    counts
};

/// The symbols in the order of their codes: by length, then by symbol.
const BY_CODE: [u16; 257] = {
    let mut out = [0u16; 257];
    let mut n = 0;
    let mut len = 1;
    while len <= LONGEST {
        let mut s = 0;
        while s < 257 {
            if LENGTHS[s] as usize == len {
                out[n] = s as u16;
                n += 1;
            }
            s += 1;
        }
        len += 1;
    }
    out
};

/// The bytes `code` stands for; `None` if it holds EOS, ends inside a code with more than 7
/// bits or with bits that are not EOS's first (all 1s): RFC 7541 §5.2's decoding errors.
pub fn decode(code: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(code.len() * 8 / 5);
    // The code read so far of the symbol under way, its length, and for that length the
    // first code and where its symbols begin in BY_CODE.
    let (mut value, mut len, mut first, mut index) = (0u32, 0usize, 0u32, 0usize);
    let mut all_ones = true;
    for byte in code {
        for bit in (0..8).rev() {
            let b = u32::from((byte >> bit) & 1);
            value = (value << 1) | b;
            all_ones &= b == 1;
            len += 1;
            let count = u32::from(COUNTS[len]);
            // Not below `first`: a shorter code would have matched (the code is complete).
            if value >= first && value - first < count {
                let symbol = BY_CODE[index + (value - first) as usize];
                if symbol == EOS {
                    return None;
                }
                out.push(symbol as u8);
                (value, len, first, index, all_ones) = (0, 0, 0, 0, true);
            } else {
                index += count as usize;
                first = (first + count) << 1;
                if len == LONGEST {
                    // Every 30-bit code is a symbol's: not reached with a complete table.
                    return None;
                }
            }
        }
    }
    (len <= 7 && all_ones).then_some(out)
}

#[cfg(test)]
pub(super) fn encode_for_tests(symbol: usize) -> (u32, u8) {
    // The canonical code of `symbol`, rebuilt as a Huffman encoder would.
    let (mut code, mut prev_len) = (0u32, 0u8);
    for (n, &s) in BY_CODE.iter().enumerate() {
        let len = LENGTHS[s as usize];
        if n > 0 {
            code = (code + 1) << (len - prev_len);
        }
        prev_len = len;
        if s as usize == symbol {
            return (code, len);
        }
    }
    unreachable!()
}
