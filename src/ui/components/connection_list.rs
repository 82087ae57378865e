use web_sys::{Event, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::listing::{rows, SortKey};
use crate::ui::shared::SharedSession;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub session: SharedSession,
    pub selected: Option<u32>,
    pub on_select: Callback<u32>,
}

/// Rows drawn at most at once: a capture with thousands of connections keeps a small DOM.
const WINDOW: usize = 200;
const ROW_HEIGHT: f64 = 58.0;

/// One row per TCP connection: client → server, packets, bytes each way, open/close shape and
/// problems; a filter box and a sort order. Only the rows near the scroll position are in the DOM.
#[function_component(ConnectionList)]
pub fn connection_list(props: &Props) -> Html {
    let query = use_state(String::new);
    let sort = use_state(SortKey::default);
    let first_row = use_state(|| 0usize);
    let list = use_memo((props.session.clone(), (*query).clone(), *sort), |(session, query, sort)| rows(session, query, *sort));

    let oninput = {
        let (query, first_row) = (query.clone(), first_row.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                query.set(input.value());
                first_row.set(0);
            }
        })
    };
    let onchange = {
        let sort = sort.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                let index: usize = select.value().parse().unwrap_or(0);
                sort.set(SortKey::ALL.get(index).map_or(SortKey::Stream, |(k, _)| *k));
            }
        })
    };
    let onscroll = {
        let first_row = first_row.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
                let row = (f64::from(el.scroll_top()) / ROW_HEIGHT) as usize;
                // Re-render only when the window has to move.
                if row.abs_diff(*first_row) > WINDOW / 4 {
                    first_row.set(row.saturating_sub(WINDOW / 4));
                }
            }
        })
    };

    let start = (*first_row).min(list.len());
    let end = (start + WINDOW).min(list.len());
    let items = list[start..end].iter().map(|r| {
        let index = r.stream;
        let onclick = props.on_select.reform(move |_| index);
        let selected = props.selected == Some(index);
        html! {
            <li key={index} data-testid="connection" data-stream={index.to_string()}
                class={classes!("connection", selected.then_some("selected"))}
                aria-selected={selected.to_string()} {onclick}>
                <span class="stream-id">{ format!("#{index}") }</span>
                <span class="endpoints">{ &r.endpoints }</span>
                <span class="counts">{ &r.counts }</span>
                <span class="shape">
                    { &r.shape }
                    if r.problems > 0 {
                        <span class="problems" title="segments Wireshark flags: retransmissions, duplicate ACKs, lost segments, zero windows">
                            { format!(" · {} problem{}", r.problems, if r.problems == 1 { "" } else { "s" }) }
                        </span>
                    }
                </span>
            </li>
        }
    });
    let pad_top = start as f64 * ROW_HEIGHT;
    let pad_bottom = (list.len() - end) as f64 * ROW_HEIGHT;
    html! {
        <nav class="connections" aria-label="TCP connections">
            <h2>{ format!("Connections ({} of {})", list.len(), props.session.streams().len()) }</h2>
            <div class="list-controls">
                <input type="search" data-testid="connection-filter" placeholder="filter: address, port, shape, problems" value={(*query).clone()} {oninput} />
                <select data-testid="connection-sort" {onchange} aria-label="sort">
                    { for SortKey::ALL.iter().enumerate().map(|(i, (key, name))| html! { <option value={i.to_string()} selected={*sort == *key}>{ *name }</option> }) }
                </select>
            </div>
            <ul role="listbox" {onscroll}>
                <li class="spacer" aria-hidden="true" style={format!("height:{pad_top}px")}></li>
                { for items }
                <li class="spacer" aria-hidden="true" style={format!("height:{pad_bottom}px")}></li>
            </ul>
        </nav>
    }
}
