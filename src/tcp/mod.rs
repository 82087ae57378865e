//! TCP connections: Wireshark-compatible stream indices, relative sequence numbers, window
//! scaling, and per-connection summaries. One pass over the segments in file order.
//!
//! Only decoded [`TcpSegment`](crate::decode::TcpSegment)s come in; nothing here knows about
//! capture files or link layers, except `track.rs`: the one path from a frame's bytes (decoded
//! by `decode`) to an analysed segment, for every way a frame arrives.

pub mod analysis;
mod byte_counts;
pub mod bytes_not_taken;
pub mod first_probe;
mod capture_point;
pub mod congestion;
mod congestion_ack;
mod congestion_handshake;
mod congestion_no_handshake;
pub mod congestion_phase;
mod congestion_side;
pub mod ecn;
mod episode_trigger;
pub mod heard_before_resend;
pub mod ip_id;
mod conversation;
pub mod lifecycle;
pub mod loss_probe;
pub mod handshake_clock;
pub mod port_reuse;
pub mod resend;
pub mod copies;
pub mod recovery;
mod recovery_sender;
pub mod recovery_episodes;
pub mod sender_clock;
pub mod scoreboard;
mod direction;
mod packed;
mod packet;
pub mod seq;
pub mod stamp_evidence;
pub mod nagle_release;
pub mod payload_only;
pub mod small_unacked;
pub mod time_split;
mod time_split_kinds;
pub mod nagle_hold;
mod time_split_state;
mod time_split_walk;
mod stream;
mod track;
mod tracker;

pub use byte_counts::{byte_counts, ByteCounts};
pub use capture_point::{capture_point, CapturePoint, CapturePointMeter, Near, Timed};
pub use packed::{PackedPacket, SideTables};
pub use packet::{ScaleFactor, TcpPacket};
pub use stream::{Endpoint, Stream, Completeness};
pub use track::{track_frame, FrameRead};
pub use tracker::TcpTracker;
