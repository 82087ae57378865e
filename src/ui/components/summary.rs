use yew::prelude::*;

use crate::capture::{link_type_name, Container};
use crate::timefmt::utc_datetime;
use crate::ui::shared::SharedSession;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub name: String,
    pub session: SharedSession,
}

/// The capture at a glance: format, link types, packet counts per protocol, time span.
#[function_component(Summary)]
pub fn summary(props: &Props) -> Html {
    let s = &props.session;
    let f = &s.format;
    let c = &s.counts;
    let container = match f.container {
        Container::Pcap if f.nanosecond => "pcap (nanosecond)",
        Container::Pcap => "pcap",
        Container::Pcapng => "pcapng",
    };
    let links: Vec<String> = f.link_types.iter().map(|&l| link_type_name(l)).collect();
    let other = c.icmp + c.other_ip + c.ip_fragments + c.non_ip + c.undecodable;
    html! {
        <section class="summary" data-testid="capture-summary" data-packets={f.packets.to_string()}>
            <span class="file-name">{ &props.name }</span>
            <span>{ format!("{}{}", container, if f.gzip { ", gzip" } else { "" }) }</span>
            <span>{ links.join(", ") }</span>
            <span>{ format!("{} packets", f.packets) }</span>
            <span title="other: ICMP, other IP protocols, later IP fragments, non-IP, undecodable">{ format!("TCP {} · UDP {} · other {}", c.tcp, c.udp, other) }</span>
            <span>{ format!("{} connections", s.streams().len()) }</span>
            <span>{ format!("{:.3} s", s.duration_ns() as f64 / 1e9) }</span>
            if let (Some(first), Some(last)) = (s.first_time_ns, s.last_time_ns) {
                <span class="times">{ format!("{} → {}", utc_datetime(first), utc_datetime(last)) }</span>
            }
            if f.truncated_packets > 0 {
                <span>{ format!("{} truncated by snap length", f.truncated_packets) }</span>
            }
            if c.ip_fragments > 0 {
                <span>{ format!("{} later IP fragments", c.ip_fragments) }</span>
            }
            if !s.undecodable.is_empty() {
                <details class="undecodable">
                    <summary>{ format!("{} frames could not be decoded", s.undecodable.len()) }</summary>
                    <ul>{ for s.undecodable.iter().take(200).map(|u| html! { <li>{ format!("frame {}: {}", u.frame, u.reason) }</li> }) }</ul>
                </details>
            }
        </section>
    }
}
