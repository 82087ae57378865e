//! The throughput graphs' sliding window, sized from the connection: long enough to hold a
//! couple of round trips (a shorter window shows each round's burst, not a rate), short enough
//! that the connection's length holds many windows (Wireshark's fixed 1 s on a 0.45 s capture
//! is one cumulative ramp running off the top). Said on the graph with its reason.

use crate::draw::numbers::seconds_text;

/// Round trips the window covers at least.
const ROUND_TRIPS: i64 = 2;
/// The window is at least this part of the connection's length ...
const MIN_PARTS: i64 = 100;
/// ... and at most this part of it.
const MAX_PARTS: i64 = 10;

/// The window chosen and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThroughputWindow {
    pub ns: i64,
    /// The round trip it was sized from (`None`: none measured).
    pub rtt_ns: Option<i64>,
    /// The connection's length.
    pub duration_ns: i64,
    /// What decided it.
    pub bound: Bound,
}

/// Which rule sized the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// Two round trips.
    RoundTrips,
    /// A hundredth of the connection's length (longer than two round trips, or none known).
    Length,
    /// A tenth of the connection's length (two round trips would be longer).
    Capped,
}

/// The window for a connection `duration_ns` long with round-trip time `rtt_ns` (the
/// handshake's when captured): the larger of 2 round trips and 1/100 of the length, at most
/// 1/10 of the length, rounded to 1, 2 or 5 × 10ⁿ (at least 1 µs).
pub fn throughput_window(duration_ns: i64, rtt_ns: Option<i64>) -> ThroughputWindow {
    let duration = duration_ns.max(1);
    let rtt = rtt_ns.filter(|r| *r > 0);
    let trips = rtt.map_or(0, |r| r.saturating_mul(ROUND_TRIPS));
    let wanted = trips.max(duration / MIN_PARTS);
    let bound = if wanted > duration / MAX_PARTS {
        Bound::Capped
    } else if trips >= duration / MIN_PARTS && trips > 0 {
        Bound::RoundTrips
    } else {
        Bound::Length
    };
    let ns = nice(wanted.min(duration / MAX_PARTS)).max(1_000);
    ThroughputWindow { ns, rtt_ns: rtt, duration_ns: duration, bound }
}

/// The window for `conn`: its first to last frame, its handshake's round trip.
pub fn of_connection(conn: &crate::connection::Connection<'_>) -> ThroughputWindow {
    let s = conn.stream();
    throughput_window(s.last_time_ns.saturating_sub(s.first_time_ns).max(0), s.irtt_ns)
}

/// The nearest of 1, 2, 5 × 10ⁿ at or below `ns` (the window reads as a round number).
fn nice(ns: i64) -> i64 {
    let mut decade = 1i64;
    while decade.saturating_mul(10) <= ns {
        decade *= 10;
    }
    [5, 2, 1].into_iter().map(|m| m * decade).find(|&v| v <= ns).unwrap_or(decade)
}

impl ThroughputWindow {
    /// In words, for the graph's subtitle: "over a sliding window of 50 ms (about 2 round
    /// trips of 30.5 ms; the connection lasts 2.282 s), per direction".
    pub fn words(&self) -> String {
        let w = seconds_text(self.ns as f64 / 1e9);
        let length = seconds_text(self.duration_ns as f64 / 1e9);
        let rtt = self.rtt_ns.map(|r| seconds_text(r as f64 / 1e9));
        let why = match (self.bound, rtt) {
            (Bound::RoundTrips, Some(r)) => format!("about 2 round trips of {r} (the handshake's); the connection lasts {length}"),
            (Bound::Capped, Some(r)) => format!("at most a tenth of the connection's {length}, though shorter than 2 round trips of {r}"),
            (Bound::Capped, None) => format!("at most a tenth of the connection's {length}"),
            (_, Some(r)) => format!("about 1/100 of the connection's {length}, longer than 2 round trips of {r}"),
            (_, None) => format!("about 1/100 of the connection's {length}; no round trip measured"),
        };
        format!("over a sliding window of {w} ({why}), per direction")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: i64 = 1_000_000;

    #[test]
    fn a_short_capture_gets_a_window_far_shorter_than_one_second() {
        // 0.45 s with a 1.2 ms round trip: 4.5 ms (1/100) → 2 ms … 5 ms, never 1 s.
        let w = throughput_window(450 * MS, Some(1_200_000));
        assert_eq!(w.ns, 2 * MS, "{w:?}");
        assert!(w.ns * 10 <= 450 * MS);
        // A long round trip on a short capture: capped at a tenth of it.
        assert_eq!(throughput_window(450 * MS, Some(200 * MS)).ns, 20 * MS);
        assert_eq!(w.words(), "over a sliding window of 2 ms (about 1/100 of the connection's 450 ms, longer than 2 round trips of 1.2 ms), per direction");
        assert_eq!(throughput_window(450 * MS, Some(200 * MS)).bound, Bound::Capped);
        assert_eq!(throughput_window(6_000 * MS, Some(50 * MS)).bound, Bound::RoundTrips);
    }

    #[test]
    fn a_long_capture_gets_a_window_from_its_length() {
        // 60 s with a 50 ms round trip: 1/100 of 60 s = 600 ms → 500 ms.
        assert_eq!(throughput_window(60_000 * MS, Some(50 * MS)).ns, 500 * MS);
        // 60 s with a 2 s round trip (satellite-like): 4 s, within a tenth (6 s).
        assert_eq!(throughput_window(60_000 * MS, Some(2_000 * MS)).ns, 2_000 * MS);
        // No round trip: from the length alone.
        assert_eq!(throughput_window(60_000 * MS, None).ns, 500 * MS);
        assert_eq!(throughput_window(0, None).ns, 1_000);
    }
}
