//! Where on the path a connection was captured, estimated from the round trips the capture
//! point sees on each side of it.
//!
//! A segment from the client and the server's answer to it pass the capture point one server-side
//! round trip apart (capture point → server → capture point, plus the server's own delay); a
//! segment from the server and the client's answer, one client-side round trip apart. The
//! handshake gives one of each (SYN → SYN-ACK, SYN-ACK → ACK); every ACK that acknowledges a data
//! segment exactly gives another (Wireshark's `tcp.analysis.ack_rtt`). The smallest of each side
//! carries the least host delay (delayed ACKs, application time), so the estimate takes minima.
//! Half of each is the one-way delay between the capture point and that endpoint.

use serde::Serialize;

use crate::decode::TcpFlags;

use super::TcpPacket;

/// What the estimate needs of a segment (so a long connection is read without full segments).
#[derive(Debug, Clone, Copy)]
pub struct Timed {
    pub from_client: bool,
    pub flags: TcpFlags,
    pub time_ns: i64,
    /// Wireshark's `tcp.analysis.ack_rtt` when this segment acknowledges a data segment exactly.
    pub ack_rtt_ns: Option<i64>,
}

impl Timed {
    pub fn of(p: &TcpPacket) -> Self {
        Timed {
            from_client: p.from_client,
            flags: p.segment.flags,
            time_ns: p.time_ns,
            ack_rtt_ns: (p.analysis.acked_frame > 0).then_some(p.analysis.ack_rtt_ns),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Near {
    Client,
    Server,
    Between,
    /// Both ends on the capturing host (loopback, or one address): the delays are the stack's
    /// own time, not a place on a path.
    OneHost,
}

impl Near {
    pub fn id(self) -> &'static str {
        match self {
            Near::Client => "client",
            Near::Server => "server",
            Near::Between => "between",
            Near::OneHost => "one_host",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CapturePoint {
    pub near: Near,
    /// Estimated one-way delay between the client and the capture point, milliseconds.
    pub client_ms: f64,
    /// Estimated one-way delay between the capture point and the server, milliseconds.
    pub server_ms: f64,
    /// How many round trips of each side the minima were taken over (client side, server side).
    #[serde(skip)]
    pub samples: [u32; 2],
}

impl CapturePoint {
    /// The same estimate, said of a connection whose two ends are `client` and `server`: when
    /// both are one host (the same address, or both loopback) the capture was on that host.
    pub fn between(mut self, client: std::net::IpAddr, server: std::net::IpAddr) -> Self {
        if client == server || (client.is_loopback() && server.is_loopback()) {
            self.near = Near::OneHost;
        }
        self
    }

    /// The capture point's place between the lifelines: 0 at the client, 1 at the server.
    pub fn fraction(&self) -> f64 {
        let total = self.client_ms + self.server_ms;
        if total > 0.0 {
            self.client_ms / total
        } else {
            0.5
        }
    }

    /// "near the client (client 0.02 ms, server 24.9 ms one way)".
    pub fn describe(&self) -> String {
        let place = match self.near {
            Near::Client => "near the client",
            Near::Server => "near the server",
            Near::Between => "between the two",
            Near::OneHost => {
                return format!(
                    "on the host of both ends (client {} ms, server {} ms: stack time, not a path)",
                    round_ms(self.client_ms),
                    round_ms(self.server_ms)
                )
            }
        };
        format!("{place} (one way: client {} ms, server {} ms)", round_ms(self.client_ms), round_ms(self.server_ms))
    }
}

fn round_ms(ms: f64) -> String {
    if ms >= 10.0 {
        format!("{ms:.1}")
    } else if ms >= 0.1 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.3}")
    }
}

/// The estimate for one connection (its segments in file order), or `None` when the capture has
/// no round trip of one of the two sides.
pub fn capture_point(packets: impl IntoIterator<Item = Timed>) -> Option<CapturePoint> {
    let mut meter = CapturePointMeter::default();
    for p in packets {
        meter.add(&p);
    }
    meter.finish()
}

/// [`capture_point`] a segment at a time, for a reader that does not keep the segments.
#[derive(Debug, Clone, Copy, Default)]
pub struct CapturePointMeter {
    /// Minimum round trip (ns) seen through each side: 0 the client's, 1 the server's.
    best: [Option<i64>; 2],
    samples: [u32; 2],
    syn: Option<i64>,
    syn_ack: Option<i64>,
    handshake_ack_seen: bool,
}

impl CapturePointMeter {
    fn take(&mut self, side: usize, rtt: i64) {
        if rtt >= 0 {
            self.samples[side] += 1;
            self.best[side] = Some(self.best[side].map_or(rtt, |b| b.min(rtt)));
        }
    }

    /// The connection's next segment.
    pub fn add(&mut self, p: &Timed) {
        let f = p.flags;
        // The side whose answer this is: an ACK sent by the client measures the client side.
        let side = usize::from(!p.from_client);
        if f.syn() && !f.ack() && p.from_client {
            self.syn = Some(p.time_ns);
        } else if f.syn() && f.ack() && !p.from_client {
            if let Some(t) = self.syn {
                self.take(1, p.time_ns.saturating_sub(t));
            }
            self.syn_ack.get_or_insert(p.time_ns);
        } else if let (true, Some(t)) = (f.ack() && p.from_client && !self.handshake_ack_seen, self.syn_ack) {
            self.handshake_ack_seen = true;
            self.take(0, p.time_ns.saturating_sub(t));
        }
        if let (Some(rtt), false) = (p.ack_rtt_ns, f.syn()) {
            self.take(side, rtt);
        }
    }

    /// The estimate from the segments added.
    pub fn finish(&self) -> Option<CapturePoint> {
        let (best, samples) = (self.best, self.samples);
        let (client, server) = (best[0]?, best[1]?);
        let (client_ms, server_ms) = (client as f64 / 2e6, server as f64 / 2e6);
        let total = client_ms + server_ms;
        let near = if total > 0.0 && client_ms < 0.1 * total {
            Near::Client
        } else if total > 0.0 && server_ms < 0.1 * total {
            Near::Server
        } else {
            Near::Between
        };
        Some(CapturePoint { near, client_ms, server_ms, samples })
    }
}
