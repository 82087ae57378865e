//! A FIN that leaves with the last data before a loss in that data is repaired (R8a-15:
//! drop_mid at the sender, FIN with the last 456 bytes in frame 265, the hole's fast retransmit
//! in frame 269, the ACK of everything in frame 371). The close cannot complete before the hole
//! is filled — the FIN is acknowledged only with all the data before it — so the repair belongs
//! to the data transfer, and the close phase starts at the ACK that covers all the data before
//! the FIN. So too for data merely still in flight when the FIN left (delayed bulk_at_client:
//! 477 frames of the "close" were ACKs of the data).

use crate::connection::Connection;
use crate::tcp::lifecycle::{CloseShape, Shapes};
use crate::tcp::resend::Resend;
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

/// ACKs of data before the FIN, after it, that make the data transfer go on past the FIN.
const STILL_COMING: usize = 4;

/// The close's phase moved past the data still on its way when the FIN left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloseAfterRepair {
    /// The FIN that began the close as captured, and the last data resend after it (`None`: no
    /// loss, the data was only still in flight).
    pub fin_frame: u64,
    pub fin_by_client: bool,
    pub last_resend: Option<u64>,
    /// The peer's first ACK of all the data before the FIN: the close phase starts there.
    pub close_from: u64,
}

/// [`close_after_repair`] of a connection's close, when it began with a FIN (not an RST).
pub fn of_connection(conn: &Connection<'_>, shapes: &Shapes, resends: &[Resend]) -> Option<CloseAfterRepair> {
    let first_fin = super::half_close::first_fin(shapes.fins.map(|f| f.map(|(frame, _)| frame)))?;
    let (start, end) = shapes.close_frames?;
    (shapes.close? != CloseShape::Reset && start == first_fin.0).then(|| close_after_repair(conn.packets(), resends, first_fin, end))?
}

/// For a close whose segments start with the FIN `fin` (its frame, and whether the client sent
/// it) and end at `close_end`: where its phase starts if data before that FIN was resent after
/// it, or the peer's ACKs of data before it (below the FIN's sequence number) kept coming after
/// it, at least [`STILL_COMING`] of them. `None` when neither, when
/// not, when the peer sent data after the FIN (a half-close, its own phase), or when no ACK of
/// all that data was captured before the close's end.
pub fn close_after_repair(packets: impl Iterator<Item = TcpPacket>, resends: &[Resend], (fin_frame, fin_by_client): (u64, bool), close_end: u64) -> Option<CloseAfterRepair> {
    let mut fin_seq = None;
    // A repair after the FIN, or ACKs of earlier data still coming (an ACK or two of the segment
    // before the FIN is an everyday close, zeek_ftp_ipv6: the close keeps its FIN then).
    let (mut repaired, mut behind) = (false, 0usize);
    for p in packets.skip_while(|p| p.frame < fin_frame).take_while(|p| p.frame <= close_end) {
        if p.frame == fin_frame {
            fin_seq = Some(SeqNumber(p.seq) + p.segment.payload_len);
            continue;
        }
        let fin = fin_seq?;
        if p.from_client == fin_by_client {
            // Data below the FIN sent again after it: a repair the close waits for.
            repaired |= p.segment.payload_len > 0 && fin.after(SeqNumber(p.seq));
            continue;
        }
        if p.segment.payload_len > 0 || p.segment.flags.rst() {
            return None;
        }
        if !p.segment.flags.ack() {
            continue;
        }
        if SeqNumber(p.ack).at_or_after(fin) {
            let last_resend = resends.iter().filter(|r| r.from_client == fin_by_client && r.frame > fin_frame && r.frame < p.frame && SeqNumber(r.next_seq).after(SeqNumber(r.seq))).map(|r| r.frame).max();
            return (repaired || behind >= STILL_COMING).then_some(CloseAfterRepair { fin_frame, fin_by_client, last_resend, close_from: p.frame });
        }
        behind += 1;
    }
    None
}

/// The close caption's note on where its phase starts.
pub fn repair_note(r: &CloseAfterRepair) -> String {
    let who = if r.fin_by_client { "client" } else { "server" };
    let why = match r.last_resend {
        // R9-05: the FIN may leave before the sender hears of the loss (drop_mid: FIN 265,
        // first SACK 266, resend 269): say what the order of frames shows, not "during".
        Some(resend) => format!("before all the data ahead of it had arrived: some of it had to be sent again (its last resend, frame {resend})"),
        None => "while data before it was still on its way".to_string(),
    };
    format!(
        " The {who}'s FIN left in frame {} {why}: a FIN is acknowledged only with all the data before it, so the close goes on from frame {}, the first ACK of all that data; the segments before it are in the data transfer.",
        r.fin_frame, r.close_from
    )
}
