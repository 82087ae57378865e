//! The sender's own clock, read from its TCP timestamps (RFC 7323's TSval), for a capture point
//! that is not beside the sender (issue #23, R1 F5/F6). Where segments pass the capture point
//! is the path's doing: a stall on the way bunches them together, a held segment arrives after
//! later ones. TSval is stamped when the sender sends, so the gap between two TSvals is the gap
//! between two sends, and a copy whose TSval is older than an earlier-captured copy's was sent
//! before it — the original arriving late, not a resend.
//!
//! The clock's rate is not in the packets (RFC 7323 allows 1 ms to 1 s a tick; Linux ticks
//! every millisecond): it is estimated from TSval against capture time over the connection so
//! far, as the smallest ratio seen over at least [`MIN_SPAN_TICKS`] ticks (delays on the path
//! only ever lengthen the capture-time side).

use serde::Serialize;

/// Ticks the estimate must span: over fewer, the capture's jitter and the tick's rounding
/// dominate.
const MIN_SPAN_TICKS: u32 = 20;
/// RFC 7323 §5.4: the timestamp clock ticks between once a millisecond and once a second.
const FASTEST_NS_PER_TICK: f64 = 59_000.0;
const SLOWEST_NS_PER_TICK: f64 = 1_000_000_000.0;

/// One sender's timestamp clock, fed that sender's segments in capture order.
#[derive(Debug, Clone, Copy, Default)]
pub struct SenderClock {
    /// The first timestamped segment: when it passed here, and its TSval.
    anchor: Option<(i64, u32)>,
    ns_per_tick: Option<f64>,
    /// The TSval and TSecr of the sender's previous segment (of any kind).
    last_tsval: Option<u32>,
    last_tsecr: Option<u32>,
}

/// How much `later` is after `earlier` in ticks (RFC 7323's modular comparison): negative when
/// `later` is older.
pub fn ticks_after(later: u32, earlier: u32) -> i64 {
    i64::from(later.wrapping_sub(earlier) as i32)
}

impl SenderClock {
    /// The sender's next segment: when it passed here and its (TSval, TSecr), if it carries them.
    pub fn add(&mut self, time_ns: i64, timestamps: Option<(u32, u32)>) {
        let Some((v, echo)) = timestamps else { return };
        self.last_tsecr = Some(echo);
        match self.anchor {
            None => self.anchor = Some((time_ns, v)),
            Some((t0, v0)) => {
                let ticks = ticks_after(v, v0);
                if ticks >= i64::from(MIN_SPAN_TICKS) && time_ns > t0 {
                    let rate = (time_ns - t0) as f64 / ticks as f64;
                    if (FASTEST_NS_PER_TICK..=SLOWEST_NS_PER_TICK).contains(&rate) {
                        self.ns_per_tick = Some(self.ns_per_tick.map_or(rate, |r| r.min(rate)));
                    }
                }
            }
        }
        self.last_tsval = Some(v);
    }

    /// The estimated length of a tick, once enough of the connection went by.
    pub fn ns_per_tick(&self) -> Option<f64> {
        self.ns_per_tick
    }

    /// The TSval of the sender's previous segment.
    pub fn last_tsval(&self) -> Option<u32> {
        self.last_tsval
    }

    /// The time between two sends by the sender's clock (negative: `later` was sent first).
    pub fn between_ns(&self, later: u32, earlier: u32) -> Option<i64> {
        self.ns_per_tick.map(|r| (ticks_after(later, earlier) as f64 * r).round() as i64)
    }
}

/// The silence before a segment by the sender's clock, when no ACK reached the sender in it:
/// its TSecr is the previous segment's (RFC 7323 §4.3: a sender echoes the TSval of the latest
/// ACK it took, and a receiver's clock moves on between ACKs sent apart). What a capture away
/// from the sender tells of a tail loss probe's wait, where ACKs pass at other times than they
/// reach the sender.
pub fn silence_hearing_nothing(clock: &SenderClock, timestamps: Option<(u32, u32)>) -> Option<i64> {
    let (v, echo) = timestamps?;
    (clock.last_tsecr? == echo).then(|| clock.between_ns(v, clock.last_tsval?)).flatten()
}

/// A resend's timing by the sender's own clock, kept when it differs from what the capture
/// point saw by more than the clock's resolution (the path bunched the segments together).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BySenderClock {
    /// The resend's TSval, and its earlier copy's.
    pub tsval: u32,
    pub earlier_tsval: Option<u32>,
    /// The estimated length of one tick.
    pub ns_per_tick: f64,
    /// From the earlier copy's sending to this one's, by the sender's clock.
    pub since_earlier_ns: Option<i64>,
    /// From the sender's previous segment to this one, by its clock.
    pub since_last_send_ns: i64,
}

/// The sender's silence before a resend by its own clock, when the capture saw a much shorter
/// one — by more than half again and two ticks (the path held the segments and let them go
/// together; the rate is an estimate, a few per cent off on a coarse clock, so a gap the
/// capture roughly agrees with is the capture's); `None` when the capture's own gap can be
/// trusted or the clock is not known.
pub fn by_sender_clock(clock: &SenderClock, tsval: Option<u32>, earlier_tsval: Option<u32>, capture_silence_ns: i64) -> Option<BySenderClock> {
    let v = tsval?;
    let tick = clock.ns_per_tick()?;
    let silence = clock.between_ns(v, clock.last_tsval()?)?;
    if (silence as f64) <= 1.5 * capture_silence_ns as f64 + 2.0 * tick {
        return None;
    }
    Some(BySenderClock {
        tsval: v,
        earlier_tsval,
        ns_per_tick: tick,
        since_earlier_ns: earlier_tsval.and_then(|e| clock.between_ns(v, e)),
        since_last_send_ns: silence,
    })
}

/// A copy of bytes already captured that is no resend: its TSval is older than the earlier
/// copy's, so the sender sent it first — it was held or reordered on the path and arrives late.
/// When the earlier copy was the first resend of bytes never captured before, this is their
/// original.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LateCopy {
    /// Its index in the connection and its frame.
    pub index: usize,
    pub frame: u64,
    pub from_client: bool,
    pub seq: u32,
    pub next_seq: u32,
    /// The copy captured before it (a resend), and how long before it passed here.
    pub earlier_frame: u64,
    pub since_earlier_ns: i64,
    /// Its TSval and the earlier copy's.
    pub tsval: u32,
    pub earlier_tsval: u32,
    /// How long before the earlier copy it was sent, by the sender's clock (when the rate is
    /// known), and that rate.
    pub sent_before_ns: Option<i64>,
    pub ns_per_tick: Option<f64>,
    /// The earlier copy was the first resend of bytes no copy of which had passed here: this
    /// is the original.
    pub original: bool,
}

/// Segment `p` (index `index`) repeats bytes whose latest earlier copy passed here as `earlier`
/// (frame, time, TSval): a late copy when its own TSval is older and the earlier copy was a
/// resend (`Some`: whether it was the first resend of bytes never captured before, which makes
/// this their original).
pub fn late_copy(index: usize, p: &super::TcpPacket, earlier: (u64, i64, u32), earlier_resend: Option<bool>, clock: &SenderClock) -> Option<LateCopy> {
    let (frame, time_ns, earlier_tsval) = earlier;
    let (tsval, _) = p.segment.options.timestamps?;
    let first_resend = earlier_resend?;
    if ticks_after(tsval, earlier_tsval) >= 0 {
        return None;
    }
    let payload = p.segment.payload_len + u32::from(p.segment.flags.syn()) + u32::from(p.segment.flags.fin());
    Some(LateCopy {
        index,
        frame: p.frame,
        from_client: p.from_client,
        seq: p.seq,
        next_seq: p.seq.wrapping_add(payload),
        earlier_frame: frame,
        since_earlier_ns: p.time_ns - time_ns,
        tsval,
        earlier_tsval,
        sent_before_ns: clock.between_ns(earlier_tsval, tsval),
        ns_per_tick: clock.ns_per_tick(),
        original: first_resend,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_millisecond_clock_is_estimated_from_the_fastest_path() {
        let mut c = SenderClock::default();
        c.add(0, Some((1000, 7)));
        // 100 ticks in 100 ms, then 100 ticks in 150 ms (held on the way): 1 ms a tick.
        c.add(100_000_000, Some((1100, 7)));
        c.add(350_000_000, Some((1200, 9)));
        assert_eq!(silence_hearing_nothing(&c, Some((1269, 9))), Some(69_000_000));
        assert_eq!(silence_hearing_nothing(&c, Some((1269, 10))), None, "an ACK came between");
        assert_eq!(c.ns_per_tick(), Some(1_000_000.0));
        assert_eq!(c.between_ns(1352, 1000), Some(352_000_000));
        assert!(ticks_after(5, u32::MAX - 2) == 8, "wraps");
        // Bunched by a stall: 244 ticks apart, captured 0.018 ms apart.
        let r = by_sender_clock(&c, Some(1444), Some(1092), 18_000).unwrap();
        assert_eq!(r.since_last_send_ns, 244_000_000);
        assert_eq!(r.since_earlier_ns, Some(352_000_000));
        // Beside the sender the capture's gap agrees: nothing kept; nor a gap a coarse clock's
        // estimate overstates by a tenth (zeek_tcp_reassembly: 4.47 s by the clock, 4.01 s seen).
        assert!(by_sender_clock(&c, Some(1201), None, 1_000_000).is_none());
        assert!(by_sender_clock(&c, Some(1200 + 4470), None, 4_010_000_000).is_none());
    }
}
