//! `analyze`'s `time_split` member of each stream: where the connection's time went
//! ([`crate::tcp::time_split`]), in milliseconds, the same numbers `explain` words.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::tcp::time_split::{TimeKind, TimeSplit, TimeSplitWalk};

/// Parts kept per connection, in the JSON and in the streaming report alike (so both print
/// the same): a connection that changes state more often keeps its first parts; every part's
/// time stays in `totals_ms` and the parts left out are counted.
pub(crate) const PARTS_KEPT: usize = 256;

pub(crate) fn walk() -> TimeSplitWalk {
    TimeSplitWalk::new(PARTS_KEPT)
}

#[derive(Debug, Serialize)]
pub struct TimeSplitJson {
    /// First segment to last, milliseconds; `totals_ms` sum to it, and so do all the parts.
    pub duration_ms: f64,
    /// Milliseconds per kind, every kind present (0 when none).
    pub totals_ms: BTreeMap<&'static str, f64>,
    pub parts: Vec<TimePartJson>,
    /// Parts past the first 256 (their time is in the totals).
    pub parts_left_out: u64,
    /// The connection's frames that carry no time (first, last): then nothing is split, every
    /// total is 0 and there are no parts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub untimed_frames: Option<[u64; 2]>,
    /// The capture holds only segments of it that carry data (four or more, none without):
    /// then nothing is split either (who waited does not show without the ACKs).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub payload_only: bool,
}

#[derive(Debug, Serialize)]
pub struct TimePartJson {
    pub kind: &'static str,
    /// Milliseconds from the connection's first segment.
    pub start_ms: f64,
    pub end_ms: f64,
    pub duration_ms: f64,
    pub first_frame: u64,
    pub last_frame: u64,
    /// The endpoint it concerns (`client`, `server`; null for handshake, close, other).
    pub endpoint: Option<&'static str>,
    /// Whose data was outstanding during it (`client`, `server`, null: none); Linux's `busy`
    /// time of a sender is the sum of its own.
    pub data_outstanding_from: Option<&'static str>,
    /// Of a `sender_application` or `network` part: the milliseconds within it its sender had a
    /// small segment unacknowledged (Nagle's algorithm may have held data then; the packets
    /// cannot tell), and the first such segment's frame. Absent when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub small_segment_unacknowledged_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub small_segment_frame: Option<u64>,
    /// Of an `other` part naming an endpoint: the other endpoint's frame whose ACK covers bytes
    /// of that endpoint's the capture does not hold (they went by within the part).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unseen_acknowledged_in_frame: Option<u64>,
}

fn ms(ns: i64) -> f64 {
    ns as f64 / 1e6
}

pub(crate) fn time_split_json(split: &TimeSplit, untimed: Option<(u64, u64)>) -> TimeSplitJson {
    if let Some((first, last)) = untimed {
        let mut none = time_split_json(&walk().finish(), None);
        none.untimed_frames = Some([first, last]);
        return none;
    }
    TimeSplitJson {
        duration_ms: ms(split.duration_ns),
        totals_ms: TimeKind::ALL.iter().map(|k| (k.key(), ms(split.total(*k)))).collect(),
        parts: split
            .parts
            .iter()
            .map(|p| TimePartJson {
                kind: p.kind.key(),
                start_ms: ms(p.start_ns),
                end_ms: ms(p.end_ns),
                duration_ms: ms(p.duration_ns()),
                first_frame: p.first_frame,
                last_frame: p.last_frame,
                endpoint: p.client.map(|c| if c { "client" } else { "server" }),
                data_outstanding_from: p.outstanding.map(|c| if c { "client" } else { "server" }),
                small_segment_unacknowledged_ms: (p.small_unacked_ns > 0).then(|| ms(p.small_unacked_ns)),
                small_segment_frame: (p.small_unacked_ns > 0).then_some(p.small_frame),
                unseen_acknowledged_in_frame: (p.unseen_ack_frame != 0).then_some(p.unseen_ack_frame),
            })
            .collect(),
        parts_left_out: split.parts_left_out,
        untimed_frames: None,
        payload_only: split.payload_only,
    }
}
