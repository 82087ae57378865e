//! Two words of the story that the packets must back (issue #23; reviewers' R1 F14, F23, R2 F5,
//! F11): who is "client" when the capture holds no handshake (a guess, said as one, with what
//! the ports suggest), and what a recovery episode resent when it held no data (a SYN, a
//! SYN-ACK or a FIN, not "data").


fn port(addr: &str) -> Option<u16> {
    addr.rsplit(':').next()?.parse().ok()
}

fn host(addr: &str) -> &str {
    addr.rsplit_once(':').map_or(addr, |(h, _)| h)
}

/// The first line of the story: client and server (as "ip:port"), hedged when no label of the
/// connection's segments (`labels`, "SYN,ACK seq=0 …") shows a SYN.
pub fn roles_line<'a>(stream: u32, client: &str, server: &str, labels: impl Iterator<Item = &'a str>) -> String {
    let mut line = format!("Connection {stream}: client {client} → server {server}");
    let mut labels = labels.peekable();
    // R20B-2: a first header cut before its flags may have been a SYN.
    let first_cut = labels.peek().is_some_and(|l| l.starts_with("header cut"));
    let syn_seen = labels.any(|l| l.split_whitespace().next().is_some_and(|flags| flags.contains("SYN")));
    if !syn_seen {
        line.push_str(if first_cut {
            " (the snap length cut the first TCP headers before their flags: whether a handshake opened the connection, and which side opened it, cannot be told — \"client\" is the side seen first"
        } else {
            " (no handshake captured: which side opened the connection is unknown — \"client\" is the side seen first"
        });
        match (port(client), port(server)) {
            (Some(c), Some(s)) if c < 1024 && s >= 1024 => {
                line.push_str(&format!("; its port {c} suggests {} is the server, the other side the client", host(client)));
            }
            (Some(c), Some(s)) if s < 1024 && c >= 1024 => line.push_str(&format!("; port {s} agrees that {} is the server", host(server))),
            _ => {}
        }
        line.push(')');
    }
    line
}
