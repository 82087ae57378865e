//! Shifts a pcap's clock as a second capture point's clock would differ: every record's time
//! t becomes t + OFFSET + PPM·10⁻⁶·(t − the first record's time) (what `editcap -t` does for
//! the offset alone). For `tcp-ladder merge`'s tests and for trying it by hand:
//!
//!     cargo run --example shift_clock IN.pcap OUT.pcap OFFSET_MS PPM
//!
//! Classic pcap only (microsecond or nanosecond, either byte order).

/// The same bytes with every record's time shifted.
pub fn shift_pcap(bytes: &[u8], offset_ns: i64, ppm: f64) -> Result<Vec<u8>, String> {
    let magic = bytes.get(..4).ok_or("shorter than a pcap header")?;
    let (little, nanos) = match magic {
        [0xd4, 0xc3, 0xb2, 0xa1] => (true, false),
        [0x4d, 0x3c, 0xb2, 0xa1] => (true, true),
        [0xa1, 0xb2, 0xc3, 0xd4] => (false, false),
        [0xa1, 0xb2, 0x3c, 0x4d] => (false, true),
        _ => return Err("not a classic pcap file".into()),
    };
    let read = |b: &[u8]| -> u32 { let a = [b[0], b[1], b[2], b[3]]; if little { u32::from_le_bytes(a) } else { u32::from_be_bytes(a) } };
    let write = |v: u32| if little { v.to_le_bytes() } else { v.to_be_bytes() };
    let unit: i64 = if nanos { 1 } else { 1000 };
    let mut out = bytes.to_vec();
    let (mut at, mut first) = (24usize, None::<i64>);
    while at + 16 <= out.len() {
        let (sec, frac, incl) = (read(&out[at..]), read(&out[at + 4..]), read(&out[at + 8..]) as usize);
        let t = i64::from(sec) * 1_000_000_000 + i64::from(frac) * unit;
        let t0 = *first.get_or_insert(t);
        let shifted = t + offset_ns + (ppm * 1e-6 * (t - t0) as f64).round() as i64;
        let (s, f) = (shifted.div_euclid(1_000_000_000), shifted.rem_euclid(1_000_000_000) / unit);
        out[at..at + 4].copy_from_slice(&write(u32::try_from(s).map_err(|_| "a time out of pcap's range")?));
        out[at + 4..at + 8].copy_from_slice(&write(f as u32));
        at += 16 + incl;
    }
    Ok(out)
}

#[allow(dead_code)]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output, offset_ms, ppm] = args.as_slice() else {
        eprintln!("usage: shift_clock IN.pcap OUT.pcap OFFSET_MS PPM");
        std::process::exit(2);
    };
    let (offset_ms, ppm): (f64, f64) = (offset_ms.parse().expect("OFFSET_MS: a number"), ppm.parse().expect("PPM: a number"));
    let bytes = std::fs::read(input).expect("readable input");
    let shifted = shift_pcap(&bytes, (offset_ms * 1e6).round() as i64, ppm).unwrap_or_else(|e| panic!("{input}: {e}"));
    std::fs::write(output, shifted).expect("writable output");
}
