//! RFC 7541 Appendix C's examples, Appendix B's codes, and hostile blocks.

use super::*;

fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
}

fn fields(d: &mut Decoder, block: &[u8]) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    d.decode(block, |n, v| out.push((String::from_utf8(n.to_vec()).unwrap(), String::from_utf8(v.to_vec()).unwrap())))?;
    Ok(out)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

const REQUESTS: [&[(&str, &str)]; 3] = [
    &[(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")],
    &[(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"), ("cache-control", "no-cache")],
    &[(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"), ("custom-key", "custom-value")],
];

/// C.3 (literals) and C.4 (the same requests in Huffman code): one decoder for the three.
#[test]
fn requests_share_the_dynamic_table() {
    let plain = ["8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", "8286 84be 5808 6e6f 2d63 6163 6865", "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"];
    let huffman = ["8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", "8286 84be 5886 a8eb 1064 9cbf", "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"];
    for blocks in [plain, huffman] {
        let mut d = Decoder::default();
        for ((block, want), size) in blocks.iter().zip(REQUESTS).zip([57, 110, 164]) {
            assert_eq!(fields(&mut d, &hex(block)).unwrap(), pairs(want));
            assert_eq!(d.table_size(), size);
        }
    }
}

const DATE_1: &str = "Mon, 21 Oct 2013 20:13:21 GMT";
const DATE_2: &str = "Mon, 21 Oct 2013 20:13:22 GMT";
const COOKIE: &str = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

/// C.5 (literals) and C.6 (Huffman): responses in a table of 256 bytes, which evicts.
#[test]
fn responses_evict_the_oldest_entries() {
    let plain = [
        "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
        "4803 3330 37c1 c0bf",
        "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31",
    ];
    let huffman = [
        "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
        "4883 640e ffc1 c0bf",
        "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
    ];
    let location = ("location", "https://www.example.com");
    let wanted: [&[(&str, &str)]; 3] = [
        &[(":status", "302"), ("cache-control", "private"), ("date", DATE_1), location],
        &[(":status", "307"), ("cache-control", "private"), ("date", DATE_1), location],
        &[(":status", "200"), ("cache-control", "private"), ("date", DATE_2), location, ("content-encoding", "gzip"), ("set-cookie", COOKIE)],
    ];
    for blocks in [plain, huffman] {
        let mut d = Decoder::default();
        // The examples' table holds 256 bytes: a size update (0x3f, 256 - 31 in two bytes).
        assert_eq!(fields(&mut d, &[0x3f, 0xe1, 0x01]).unwrap(), vec![]);
        for ((block, want), size) in blocks.iter().zip(wanted).zip([222, 222, 215]) {
            assert_eq!(fields(&mut d, &hex(block)).unwrap(), pairs(want));
            assert_eq!(d.table_size(), size);
        }
        assert_eq!(d.table.len(), 3, "the 302 and 307 entries are evicted");
    }
}

#[test]
fn appendix_b_codes() {
    use super::hpack_huffman::encode_for_tests as code;
    // (symbol, code, bits) rows of RFC 7541 Appendix B.
    let rows = [(0, 0x1ff8, 13), (1, 0x7fffd8, 23), (10, 0x3ffffffc, 30), (22, 0x3ffffffe, 30), (9, 0xffffea, 24), (b' ' as usize, 0x14, 6), (b'0' as usize, 0x0, 5), (b'a' as usize, 0x3, 5), (b'z' as usize, 0x7b, 7), (b'~' as usize, 0x1ffd, 13), (127, 0xffffffc, 28), (200, 0x3ffffe2, 26), (255, 0x3ffffee, 26), (256, 0x3fffffff, 30)];
    for (symbol, bits, len) in rows {
        assert_eq!(code(symbol), (bits, len), "symbol {symbol}");
    }
}

#[test]
fn size_updates_and_errors() {
    let mut d = Decoder::default();
    assert_eq!(fields(&mut d, &hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572")).unwrap().len(), 1);
    assert_eq!(d.table_size(), 55);
    // A size update to 0 empties the table; the entry is gone.
    assert_eq!(fields(&mut d, &[0x20]).unwrap(), vec![]);
    assert_eq!((d.table_size(), fields(&mut d, &[0xbe])), (0, Err(Error::BadIndex)));
    let mut d = Decoder::default();
    assert_eq!(fields(&mut d, &[0x82, 0x20]), Err(Error::BadSizeUpdate), "after a field");
    assert_eq!(Decoder::default().decode(&[0x3f, 0xff, 0xff, 0x7f], |_, _| {}), Err(Error::BadSizeUpdate), "over the bound");
    assert_eq!(Decoder::default().decode(&[0x80], |_, _| {}), Err(Error::BadIndex));
    assert_eq!(Decoder::default().decode(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], |_, _| {}), Err(Error::Overflow));
    assert_eq!(Decoder::default().decode(&[0x3f], |_, _| {}), Err(Error::Truncated));
    assert_eq!(Decoder::default().decode(&[0x40, 0x05, b'a'], |_, _| {}), Err(Error::Truncated));
    // Huffman: EOS inside, padding of 8 bits, padding with a 0.
    assert_eq!(Decoder::default().decode(&[0x00, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00], |_, _| {}), Err(Error::BadHuffman));
    assert_eq!(Decoder::default().decode(&[0x00, 0x82, 0x1f, 0xff, 0x00], |_, _| {}), Err(Error::BadHuffman));
    assert_eq!(Decoder::default().decode(&[0x00, 0x81, 0x1e, 0x00], |_, _| {}), Err(Error::BadHuffman));
    // '0' (00000) and padding 111: "0".
    assert_eq!(fields(&mut Decoder::default(), &[0x00, 0x81, 0x07, 0x81, 0x07]).unwrap(), pairs(&[("0", "0")]));
}

/// Random blocks, and random bytes after valid ones (a table in use), never panic.
#[test]
fn hostile_blocks_never_panic() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let valid = hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d");
    let (mut ok, mut failed) = (0, 0);
    for round in 0..100_000 {
        let len = (next() % 48) as usize;
        let mut block: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        if round % 2 == 0 {
            // Indexes near the table's end are the interesting ones.
            block.iter_mut().step_by(3).for_each(|b| *b |= 0x80);
        }
        let mut d = Decoder::default();
        d.decode(&valid, |_, _| {}).unwrap();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| d.decode(&block, |_, _| {})));
        match result.unwrap_or_else(|_| panic!("panics on {block:02x?}")) {
            Ok(()) => ok += 1,
            Err(_) => failed += 1,
        }
        assert!(d.table_size() <= 4096);
    }
    assert!(ok > 1000 && failed > 1000, "{ok} / {failed}");
}
