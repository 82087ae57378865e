//! The connection list: a filter box, a sort order and a scrolled window of rows, one per
//! connection; the worker filters and sorts, and only the rows near the scroll position are
//! asked for and drawn.

use std::rc::Rc;

use web_sys::{Event, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use super::filter_box::FilterBox;
use crate::listing::SortKey;
use crate::service::protocol::ListPage;
use crate::ui::state::ListParams;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The window of rows the worker sent for `params`.
    pub page: Rc<ListPage>,
    pub params: ListParams,
    pub on_params: Callback<ListParams>,
    pub selected: Option<u32>,
    pub on_select: Callback<u32>,
    /// The file is still being read: the list grows.
    pub loading: bool,
    /// A new filter or order is being computed by the worker.
    #[prop_or_default]
    pub busy: bool,
    /// Addresses hidden: rows say "client → server".
    #[prop_or_default]
    pub hide: bool,
    /// The application's data hidden: "what" says the protocol alone.
    #[prop_or_default]
    pub hide_data: bool,
}

const ROW_HEIGHT: f64 = 74.0;
/// Rows kept above the first visible one, so that small scrolls need no new window.
const MARGIN_ROWS: u32 = 50;

/// What the connection speaks, from its first bytes each way (names and targets left out with
/// addresses hidden, all but the protocol with the application's data hidden).
fn what_line(r: &crate::listing::Row, hide: bool, hide_data: bool) -> Html {
    let what = if hide_data { &r.what_type } else if hide { &r.what_hidden } else { &r.what };
    if what.is_empty() {
        html! { <span class="what none" data-testid="connection-what">{"no payload"}</span> }
    } else {
        html! { <span class="what" data-testid="connection-what" title={what.clone()}>{ what }</span> }
    }
}

/// One row per TCP connection: client → server, what it speaks, packets, bytes each way,
/// open/close shape and problems; a filter box and a sort order. The worker filters and sorts; only a window of
/// rows near the scroll position is asked for and drawn, however many connections there are.
#[function_component(ConnectionList)]
pub fn connection_list(props: &Props) -> Html {
    let on_query = {
        let (on_params, params) = (props.on_params.clone(), props.params.clone());
        Callback::from(move |query: String| on_params.emit(ListParams { query, from: 0, ..params.clone() }))
    };
    let onchange = {
        let (on_params, params) = (props.on_params.clone(), props.params.clone());
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                let index: usize = select.value().parse().unwrap_or(0);
                let sort = SortKey::ALL.get(index).map_or(SortKey::Stream, |(k, _)| *k);
                on_params.emit(ListParams { sort, from: 0, ..params.clone() });
            }
        })
    };
    let on_reverse = {
        let (on_params, params) = (props.on_params.clone(), props.params.clone());
        Callback::from(move |_: MouseEvent| on_params.emit(ListParams { reverse: !params.reverse, from: 0, ..params.clone() }))
    };
    let onscroll = {
        let (on_params, params) = (props.on_params.clone(), props.params.clone());
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
                let row = (f64::from(el.scroll_top()) / ROW_HEIGHT) as u32;
                let from = row.saturating_sub(MARGIN_ROWS);
                // Ask for a new window only when the visible rows leave the current one.
                if from.abs_diff(params.from) > MARGIN_ROWS {
                    on_params.emit(ListParams { from, ..params.clone() });
                }
            }
        })
    };

    let page = &props.page;
    // ↑/↓ on the focused list choose the previous or next connection of the rows shown.
    let onkeydown = {
        let (rows, selected, on_select) = (page.rows.iter().map(|r| r.stream).collect::<Vec<_>>(), props.selected, props.on_select.clone());
        Callback::from(move |e: KeyboardEvent| {
            let at = selected.and_then(|s| rows.iter().position(|r| *r == s));
            let next = match (e.key().as_str(), at) {
                ("ArrowDown", None) => rows.first().copied(),
                ("ArrowDown", Some(i)) => rows.get(i + 1).copied(),
                ("ArrowUp", Some(i)) if i > 0 => rows.get(i - 1).copied(),
                _ => None,
            };
            if let Some(stream) = next {
                e.prevent_default();
                on_select.emit(stream);
            }
        })
    };
    let items = page.rows.iter().map(|r| {
        let index = r.stream;
        let onclick = props.on_select.reform(move |_| index);
        let selected = props.selected == Some(index);
        html! {
            <li key={index} data-testid="connection" data-stream={index.to_string()} role="option" id={format!("connection-{index}")}
                class={classes!("connection", selected.then_some("selected"))}
                aria-selected={selected.to_string()} {onclick}>
                <span class="stream-id">{ format!("#{index}") }</span>
                if props.hide {
                    <span class="endpoints">{"client → server (addresses hidden)"}</span>
                } else {
                    <span class="endpoints" title={r.endpoints.clone()}>{ &r.endpoints }</span>
                }
                {what_line(r, props.hide, props.hide_data)}
                <span class="counts">{ &r.counts }</span>
                <span class="shape" title={if r.problems > 0 { format!("{} · {} problem{}", r.shape, r.problems, if r.problems == 1 { "" } else { "s" }) } else { r.shape.clone() }}>
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
    let shown_end = page.from as usize + page.rows.len();
    let pad_top = f64::from(page.from) * ROW_HEIGHT;
    let pad_bottom = (page.matching as usize).saturating_sub(shown_end) as f64 * ROW_HEIGHT;
    html! {
        <nav class="connections" aria-label="TCP connections">
            <h2>{ format!("Connections ({} of {}{}{})", page.matching, page.total, if props.loading { ", reading…" } else { "" }, if props.busy { ", filtering…" } else { "" }) }</h2>
            // What the filter understands, one example per field (the same fields as
            // `listing::parse_query`; terms are combined with AND).
            <details class="filter-help" data-testid="filter-help">
                <summary>{"filter help"}</summary>
                <dl>
                    <dt><code>{"port:443"}</code></dt><dd>{"either end's port"}</dd>
                    <dt><code>{"addr:10.0.0.1"}</code></dt><dd>{"either end's address; "}<code>{"addr:10.0."}</code>{" for a prefix"}</dd>
                    <dt><code>{"shape:reset"}</code></dt><dd>{"how it opened or closed: handshake, refused, unanswered, simultaneous-open, before-capture; four-way, three-segment, simultaneous, reset, open-at-end"}</dd>
                    <dt><code>{"flag:rst"}</code></dt><dd>{"a TCP flag seen (syn, fin, rst, psh, urg, ece, cwr) or a Wireshark finding (retransmission, zero_window, duplicate_ack …)"}</dd>
                    <dt><code>{"frame:1234"}</code></dt><dd>{"the connection that frame belongs to"}</dd>
                    <dt><code>{"time:>2.5"}</code></dt><dd>{"started after 2.5 s; "}<code>{"time:<1"}</code>{" ended before 1 s; "}<code>{"time:3"}</code>{" open at 3 s"}</dd>
                    <dt><code>{"app:tls"}</code></dt><dd>{"the protocol its first bytes speak: http, http2, tls, dns, smtp, ftp, pop3, imap, ssh, redis, unknown; none (no payload)"}</dd>
                    <dt><code>{"host:example.com"}</code></dt><dd>{"the name the client asked for (TLS SNI, HTTP Host, DNS question), or a subdomain of it"}</dd>
                    <dt><code>{"http:404"}</code></dt><dd>{"the first exchange's status ("}<code>{"http:4"}</code>{" any 4xx), method ("}<code>{"http:post"}</code>{") or target ("}<code>{"http:/api"}</code>{")"}</dd>
                    <dt><code>{"#7"}</code></dt><dd>{"connection 7; Wireshark's "}<code>{"tcp.stream == 7"}</code>{", "}<code>{"tcp.port == 80"}</code>{", "}<code>{"ip.addr == …"}</code>{" work too"}</dd>
                    <dt>{"plain words"}</dt><dd>{"an address, a port (a number matches exactly), a shape, a finding, a protocol or a host name, by its start; every term must hold"}</dd>
                </dl>
            </details>
            <div class="list-controls">
                <FilterBox query={props.params.query.clone()} {on_query} />
                <select data-testid="connection-sort" {onchange} aria-label="sort">
                    { for SortKey::ALL.iter().enumerate().map(|(i, (key, name))| html! { <option value={i.to_string()} selected={props.params.sort == *key}>{ *name }</option> }) }
                </select>
                <button data-testid="sort-direction" onclick={on_reverse} aria-pressed={props.params.reverse.to_string()}
                        title={if props.params.reverse { "smallest first: click for largest first" } else { "largest first: click for smallest first" }}>
                    { if props.params.reverse { "↑" } else { "↓" } }
                </button>
            </div>
            if let Some(why) = &page.error {
                <p class="list-message" role="status" data-testid="list-message">{
                    // (An unknown field's or value's message lists the known ones itself.)
                    if why.starts_with("unknown ") { format!("The filter cannot be read: {why}.") }
                    else { format!("The filter cannot be read: {why}. Fields: port:80 addr:10.0.0.1 shape:reset flag:retransmission frame:1234 time:>2.5 app:tls host:example.com http:404, or tcp.port == 80, or plain words.") }
                }</p>
            } else if page.matching == 0 && page.total > 0 && !props.busy {
                <p class="list-message" role="status" data-testid="list-message">{ format!("No connection matches “{}”.", props.params.query.trim()) }</p>
            }
            // The rows not drawn are padding, so the scroll bar is the whole list's.
            <ul role="listbox" aria-label="TCP connections: ↑/↓ choose one" tabindex="0" {onscroll} {onkeydown}
                aria-activedescendant={props.selected.filter(|s| page.rows.iter().any(|r| r.stream == *s)).map(|s| format!("connection-{s}"))}
                style={format!("padding-top:{pad_top}px;padding-bottom:{pad_bottom}px")}>
                { for items }
            </ul>
        </nav>
    }
}
