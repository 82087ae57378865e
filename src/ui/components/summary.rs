use yew::prelude::*;

use crate::capture::{link_type_name, Container};
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
            <span>{ format!("TCP {} · UDP {} · other {}", c.tcp, c.udp, other) }</span>
            <span>{ format!("{} connections", s.streams.len()) }</span>
            <span>{ format!("{:.3} s", s.duration_ns() as f64 / 1e9) }</span>
            if f.truncated_packets > 0 {
                <span>{ format!("{} truncated by snap length", f.truncated_packets) }</span>
            }
        </section>
    }
}
