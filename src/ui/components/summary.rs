//! The capture at a glance: format, link types, packet counts per protocol, time span.

use yew::prelude::*;

use crate::service::protocol::CaptureSummary;
use crate::timefmt::{count, human_duration, utc_datetime};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub name: String,
    pub summary: CaptureSummary,
}

/// The capture at a glance: format, link types, packet counts per protocol, time span.
#[function_component(Summary)]
pub fn summary(props: &Props) -> Html {
    let s = &props.summary;
    html! {
        <section class="summary" data-testid="capture-summary" data-packets={s.frames.to_string()} data-connections={s.connections.to_string()} data-memory={s.progress.memory_bytes.to_string()}>
            <span class="file-name">{ &props.name }</span>
            <span class="detail">{ &s.container }</span>
            <span class="detail">{ s.link_types.join(", ") }</span>
            <span>{ count(s.frames, "packet", "packets") }</span>
            <span class="detail" title="other: ICMP, other IP protocols, later IP fragments, non-IP, undecodable">{ format!("TCP {} · UDP {} · other {}", s.tcp, s.udp, s.other) }</span>
            <span>{ count(s.connections, "connection", "connections") }</span>
            <span title="from the first packet's time to the last's (as capinfos reports it)">{ human_duration(s.duration_ns) }</span>
            if let Some((frame, step)) = s.clock_jump {
                <span class="clock-note" data-testid="clock-jump" title="two captures joined into one file, or a clock set during the capture">
                    { format!("the clock jumps {} forward at frame {frame}", human_duration(step)) }
                </span>
            }
            if s.backward_steps > 0 {
                <span class="clock-note" title="merged interfaces or a clock set back during the capture (capinfos: not in strict time order)">
                    { format!("times step back {} (first at frame {})", count(s.backward_steps, "time", "times"), s.first_backward_frame.unwrap_or(0)) }
                </span>
            }
            if !s.untimed.is_empty() {
                <span class="clock-note" data-testid="untimed-frames" title="pcapng simple packet blocks record no time: Wireshark shows them at 0 (1970), and no time to or from them is told">
                    { untimed_words(&s.untimed) }
                </span>
            }
            if let (Some(first), Some(last)) = (s.first_time_ns, s.last_time_ns) {
                <span class="times detail">{ format!("{} → {}", utc_datetime(first), utc_datetime(last)) }</span>
            }
            if s.truncated_packets > 0 {
                <span>{ format!("{} truncated by snap length", s.truncated_packets) }</span>
            }
            if s.ip_fragments > 0 {
                <span>{ format!("{} later IP fragments", s.ip_fragments) }</span>
            }
            if s.undecodable_total > 0 {
                <details class="undecodable">
                    <summary>{ format!("{} could not be decoded", count(s.undecodable_total, "frame", "frames")) }</summary>
                    <ul>{ for s.undecodable.iter().map(|(frame, reason)| html! { <li>{ format!("{frame}: {reason}") }</li> }) }</ul>
                </details>
            }
        </section>
    }
}

/// "frames 1–5 have no timestamp" (the first three runs, then how many more).
fn untimed_words(runs: &[(u64, u64)]) -> String {
    let run = |&(a, b): &(u64, u64)| if a == b { a.to_string() } else { format!("{a}–{b}") };
    let listed: Vec<String> = runs.iter().take(3).map(run).collect();
    let more = if runs.len() > 3 { format!(" and {} more runs", runs.len() - 3) } else { String::new() };
    let one = runs.len() == 1 && runs[0].0 == runs[0].1;
    format!("{} {}{more} {} no timestamp", if one { "frame" } else { "frames" }, listed.join(", "), if one { "has" } else { "have" })
}
