//! Numbers in readable units for axes, tooltips and progress: seconds ("340 ms"), bytes in
//! SI units ("1.5 MB", "12 kB/s") and megabytes with one decimal ("12.3 MB").

/// Seconds in readable units: "1.25 s", "340 ms", "85 µs".
pub fn seconds_text(s: f64) -> String {
    let a = s.abs();
    if a >= 1.0 || a == 0.0 {
        format!("{} s", trim(s, 3))
    } else if a >= 1e-3 {
        format!("{} ms", trim(s * 1e3, 3))
    } else {
        format!("{} µs", trim(s * 1e6, 1))
    }
}

/// Bytes in SI units, followed by `per` ("" or "/s"): "1460 B", "12.5 kB", "1.5 MB/s"; below
/// 10 000 bytes the count itself.
pub fn bytes_text(v: f64, per: &str) -> String {
    let a = v.abs();
    let (n, unit) = if a >= 1e9 {
        (v / 1e9, "GB")
    } else if a >= 1e6 {
        (v / 1e6, "MB")
    } else if a >= 1e4 {
        (v / 1e3, "kB")
    } else {
        return format!("{} B{per}", trim(v, 0));
    };
    format!("{} {unit}{per}", trim(n, 2))
}

/// Megabytes with one decimal: "12.3 MB" (how the page writes file sizes and memory).
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// At most `digits` decimals, trailing zeros dropped.
pub fn trim(v: f64, digits: usize) -> String {
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_in_their_units() {
        assert_eq!(seconds_text(1.25), "1.25 s");
        assert_eq!(seconds_text(0.34), "340 ms");
        assert_eq!(seconds_text(0.000085), "85 µs");
        assert_eq!(seconds_text(0.0), "0 s");
        assert_eq!(bytes_text(1460.0, ""), "1460 B");
        assert_eq!(bytes_text(12_500.0, ""), "12.5 kB");
        assert_eq!(bytes_text(1_500_000.0, "/s"), "1.5 MB/s");
        assert_eq!(megabytes(12_345_678), "12.3 MB");
        assert_eq!(trim(2.50, 2), "2.5");
    }
}
