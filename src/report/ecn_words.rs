//! The ECN lines of `explain` (RFC 3168), from the same facts as `analyze`'s `ecn` field
//! ([`EcnFacts`]): negotiation, CE marks seen here, the receiver's echoes, the sender's CWRs.
//! Nothing is said for a connection that neither negotiated nor used ECN.

use crate::tcp::ecn::EcnFacts;

fn frames(list: &[u64]) -> String {
    let shown: Vec<String> = list.iter().take(6).map(u64::to_string).collect();
    let more = if list.len() > 6 { format!(" and {} more", list.len() - 6) } else { String::new() };
    format!("frame{} {}{more}", if list.len() == 1 { "" } else { "s" }, shown.join(", "))
}

/// One sentence per fact, in the order they happen.
pub fn ecn_sentences(facts: &EcnFacts) -> Vec<String> {
    let n = &facts.negotiation;
    let used = facts.directions.iter().any(|d| !d.ce_frames.is_empty() || d.ece_acks > 0 || !d.cwr_frames.is_empty() || d.data_ect0 + d.data_ect1 > 0);
    if n.asked.is_none() && !used {
        return Vec::new();
    }
    let mut out = Vec::new();
    match (n.asked, n.accepted) {
        (Some(a), Some(b)) => out.push(format!("ECN negotiated: the client's SYN (frame {a}) asked for it with ECE and CWR, the server's SYN-ACK (frame {b}) accepted with ECE.")),
        (Some(a), None) => out.push(format!("The client's SYN (frame {a}) asked for ECN, the server did not accept it: the connection runs without ECN.")),
        _ => {}
    }
    for d in &facts.directions {
        let (who, peer) = if d.from_client { ("client", "server") } else { ("server", "client") };
        let data = d.data_not_ect + d.data_ect0 + d.data_ect1 + d.ce_frames.len() as u64;
        if d.data_ect0 + d.data_ect1 > 0 || !d.ce_frames.is_empty() {
            out.push(format!(
                "{} of the {who}'s {data} data segments passed here ECN-capable (ECT), {} marked Congestion Experienced (CE){}.",
                d.data_ect0 + d.data_ect1 + d.ce_frames.len() as u64,
                d.ce_frames.len(),
                if d.ce_frames.is_empty() { ": no mark was set before this point (a mark set further on shows only in the echoes)".to_string() } else { format!(" ({}): a router on the path marked them instead of dropping them", frames(&d.ce_frames)) }
            ));
        }
        if let Some(first) = d.first_ece_frame {
            out.push(format!("The {peer} echoed a congestion mark with ECE on {} ACKs from frame {first} on: it keeps echoing until the {who} answers with CWR.", d.ece_acks));
        }
        if !d.cwr_frames.is_empty() {
            out.push(format!("The {who} set CWR in {}: it says it reduced its congestion window in answer to the echo.", frames(&d.cwr_frames)));
        }
    }
    out
}
