//! TCP Fast Open in a connection's handshake (RFC 7413), as the packets show it: whether the
//! client's SYN asked for a cookie (an empty TFO option) or presented one with data, whether
//! the server's SYN-ACK gave a cookie, and whether it accepted the SYN's data — its SYN-ACK
//! then acknowledges ISN + 1 + the data's length, otherwise only ISN + 1 and the client sends
//! the data again after the handshake.

use crate::connection::Connection;

/// The client's first SYN and the server's first SYN-ACK, as far as Fast Open goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FastOpen {
    /// The SYN's TFO option: `Some(0)` a cookie request, `Some(n)` a cookie of n bytes.
    pub syn_option: Option<u8>,
    /// Payload bytes the SYN carried.
    pub syn_data: u32,
    /// The SYN-ACK's TFO option (`Some(n)`, n > 0: a cookie given to the client).
    pub syn_ack_option: Option<u8>,
    /// The SYN-ACK's acknowledgement number (relative: 1 + the SYN data it accepted).
    pub syn_ack_ack: Option<u32>,
}

impl FastOpen {
    /// The SYN carried data and the SYN-ACK acknowledged all of it (`None`: no SYN-ACK seen).
    pub fn data_accepted(&self) -> Option<bool> {
        self.syn_ack_ack.map(|ack| self.syn_data > 0 && ack == 1 + self.syn_data)
    }

    /// The sentence for the open caption (empty when the handshake used no Fast Open).
    pub fn caption(&self) -> String {
        let mut parts = Vec::new();
        match self.syn_option {
            Some(0) => parts.push("The client's SYN asks for a TCP Fast Open cookie (an empty TFO option, RFC 7413) and carries no data.".to_string()),
            Some(n) => parts.push(format!("The client's SYN presents a TCP Fast Open cookie ({n} bytes, RFC 7413) and carries {} bytes of data.", self.syn_data)),
            None if self.syn_data > 0 => parts.push(format!("The client's SYN carries {} bytes of data.", self.syn_data)),
            None => {}
        }
        if let Some(n) = self.syn_ack_option.filter(|&n| n > 0) {
            parts.push(format!("The server's SYN-ACK gives it a cookie ({n} bytes): with it, the client may put data in the SYN of a later connection to this server."));
        }
        if self.syn_data > 0 {
            parts.push(match (self.data_accepted(), self.syn_ack_ack) {
                (Some(true), Some(ack)) => format!("The server accepted that data: its SYN-ACK acknowledges ISN + 1 + {} (ack={ack}), so the data reached the application one round trip early.", self.syn_data),
                (Some(false), Some(ack)) => format!("The server did not accept that data: its SYN-ACK acknowledges only the SYN (ack={ack}), so the client sends the {} bytes again after the handshake.", self.syn_data),
                _ => "No SYN-ACK in the capture says whether the server accepted it.".to_string(),
            });
        }
        parts.join(" ")
    }
}

/// The Fast Open facts of the connection's handshake (`None`: its SYN was not captured).
pub fn fast_open(conn: &Connection<'_>) -> Option<FastOpen> {
    let mut out: Option<FastOpen> = None;
    // The handshake is at the start: a SYN-ACK ends the search, and so does any segment
    // without SYN after a few (a connection captured in the middle has none).
    for p in conn.packets().take(16) {
        let f = p.segment.flags;
        if f.syn() && !f.ack() && p.from_client && out.is_none() {
            out = Some(FastOpen { syn_option: p.segment.options.fast_open, syn_data: p.segment.payload_len, ..FastOpen::default() });
        } else if f.syn() && f.ack() && !p.from_client {
            if let Some(o) = out.as_mut() {
                o.syn_ack_option = p.segment.options.fast_open;
                o.syn_ack_ack = Some(p.ack);
            }
            break;
        }
    }
    out
}
