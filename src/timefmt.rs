//! Human-readable capture times, without a date library (the browser build stays small).

/// "2017-10-07 17:25:19.066204 UTC" for nanoseconds since the Unix epoch.
pub fn utc_datetime(ns: i64) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let micros = ns.rem_euclid(1_000_000_000) / 1000;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{micros:06} UTC", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// A span of time as people say it: "0.927 s", "12 min 3 s", "3 h 5 min", "2 137 days".
pub fn human_duration(ns: i64) -> String {
    let s = ns as f64 / 1e9;
    if s < 60.0 {
        format!("{s:.3} s")
    } else if s < 3600.0 {
        format!("{} min {} s", (s / 60.0) as u64, (s % 60.0) as u64)
    } else if s < 86_400.0 {
        format!("{} h {} min", (s / 3600.0) as u64, (s % 3600.0 / 60.0) as u64)
    } else {
        format!("{} days", (s / 86_400.0) as u64)
    }
}

/// A short span in the unit a reader compares with round trips: "0.031 ms", "40.2 ms", "1.204 s".
pub fn milliseconds(ns: i64) -> String {
    let ms = ns as f64 / 1e6;
    if ms >= 1000.0 {
        format!("{:.3} s", ms / 1000.0)
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.3} ms")
    }
}

/// "1 connection", "2 connections".
pub fn count(n: u64, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's well-known algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::utc_datetime;

    #[test]
    fn durations_and_counts_read_as_words() {
        assert_eq!(super::human_duration(927_000_000), "0.927 s");
        assert_eq!(super::human_duration(723_000_000_000), "12 min 3 s");
        assert_eq!(super::human_duration(184_280_863_461_183_000), "2132 days");
        assert_eq!((super::count(1, "frame", "frames"), super::count(2, "frame", "frames")), ("1 frame".to_string(), "2 frames".to_string()));
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(utc_datetime(0), "1970-01-01 00:00:00.000000 UTC");
        // capinfos: first packet of chrissanders_tcp_handshake.pcapng, 2010-01-07 19:38:34.341715
        assert_eq!(utc_datetime(1_262_893_114_341_715_000), "2010-01-07 19:38:34.341715 UTC");
        assert_eq!(utc_datetime(951_782_400_000_000_000), "2000-02-29 00:00:00.000000 UTC");
    }
}
