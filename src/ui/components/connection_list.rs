use yew::prelude::*;

use crate::tcp::Endpoint;
use crate::ui::shared::SharedSession;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub session: SharedSession,
    pub selected: Option<u32>,
    pub on_select: Callback<u32>,
}

fn endpoint(e: &Endpoint) -> String {
    match e.addr {
        std::net::IpAddr::V6(a) => format!("[{a}]:{}", e.port),
        std::net::IpAddr::V4(a) => format!("{a}:{}", e.port),
    }
}

/// One row per TCP connection: client → server, packets, bytes each way.
#[function_component(ConnectionList)]
pub fn connection_list(props: &Props) -> Html {
    let rows = props.session.streams.iter().map(|s| {
        let index = s.index;
        let onclick = props.on_select.reform(move |_| index);
        let selected = props.selected == Some(index);
        html! {
            <li key={index} data-testid="connection" data-stream={index.to_string()}
                class={classes!("connection", selected.then_some("selected"))}
                aria-selected={selected.to_string()} {onclick}>
                <span class="stream-id">{ format!("#{index}") }</span>
                <span class="endpoints">{ format!("{} → {}", endpoint(&s.client), endpoint(&s.server)) }</span>
                <span class="counts">{ format!("{} pkts · {} B → · {} B ←", s.packets, s.payload_bytes_c2s, s.payload_bytes_s2c) }</span>
            </li>
        }
    });
    html! {
        <nav class="connections" aria-label="TCP connections">
            <h2>{ format!("Connections ({})", props.session.streams.len()) }</h2>
            <ul role="listbox">{ for rows }</ul>
        </nav>
    }
}
