//! Follow TCP Stream: both directions' payload in capture order as text or hex, a page of
//! chunks at a time from the worker, with search and downloads of each side.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::report::follow::{hex_lines, printable};
use crate::service::protocol::FollowPage;
use crate::timefmt::count;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub page: Rc<FollowPage>,
    /// Chunks per page (the worker sends one page at a time).
    pub page_size: u32,
    /// The frame selected in the ladder (its chunks are marked).
    pub selected_frame: Option<u64>,
    /// The last search and the chunk it found.
    pub found: Option<(String, Option<u32>)>,
    /// A chunk was clicked: select its frame in the ladder.
    pub on_pick: Callback<u64>,
    /// Show the page starting at this chunk.
    pub on_from: Callback<u32>,
    /// Search from a chunk on: (text, first chunk).
    pub on_search: Callback<(String, u32)>,
    /// Save one side's bytes (true: the client's).
    pub on_download: Callback<bool>,
    /// Addresses or the application's data hidden: each chunk says how many bytes it holds,
    /// not what they are (they may name hosts, paths and people); the margin says the
    /// messages' types and sizes; nothing can be saved or searched.
    #[prop_or_default]
    pub hide: bool,
}

/// A byte count in words: "136 bytes", "5 007 bytes", "2.4 MB".
fn bytes(n: u64) -> String {
    if n >= 10_000_000 {
        crate::draw::numbers::megabytes(n)
    } else {
        count(n, "byte", "bytes")
    }
}

/// Follow TCP Stream: both directions' payload in capture order, each byte once, the client's
/// and the server's chunks in two colours; text or hex; a page of chunks at a time from the
/// worker (a long stream is never built whole in the page). Bytes are text nodes only.
///
/// The text is continuous as the application wrote it: consecutive chunks of one direction
/// are inline pieces of one block (a segment boundary is a thin mark, not a line break); a
/// new block starts where the other side speaks. In hex each chunk keeps its own lines
/// (offsets are per chunk). Where a segment brings the first byte of an application message
/// (HTTP, TLS, DNS …), the margin says so before it ("▸ GET /index.html HTTP/1.1").
#[function_component(FollowView)]
pub fn follow_view(props: &Props) -> Html {
    let hex = use_state(|| false);
    let query = use_state(String::new);
    let p = &props.page;
    let first = p.from;
    let last = p.from + p.chunks.len() as u32;
    let found_chunk = props.found.as_ref().and_then(|(_, c)| *c);
    let pieces = p.chunks.iter().enumerate().map(|(i, c)| {
        let at = first + i as u32;
        let dir = if c.from_client { "c2s" } else { "s2c" };
        let frame = c.frame;
        let onclick = props.on_pick.reform(move |_: MouseEvent| frame);
        if let Some(missing) = c.gap {
            return html! {
                <span class={classes!("follow-gap", dir)} data-testid="follow-gap" data-dir={dir} data-frame={frame.to_string()}>
                    { format!("[{} missing in capture file: the receiver acknowledged them (frame {frame}), the capture does not hold them]", count(u64::from(missing), "byte", "bytes")) }
                </span>
            };
        }
        let body = if props.hide {
            format!("[{} hidden] ", count(c.bytes.len() as u64, "byte", "bytes"))
        } else if *hex {
            hex_lines(&c.bytes, c.offset).join("\n")
        } else {
            printable(&c.bytes)
        };
        let classes = classes!("follow-chunk", dir, (props.selected_frame == Some(frame)).then_some("picked"), (found_chunk == Some(at)).then_some("found"));
        let onkeydown = {
            let on_pick = props.on_pick.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" {
                    on_pick.emit(frame);
                }
            })
        };
        // The margin: the messages whose first byte this segment brings (a line of its own,
        // not part of the bytes: not selected or copied with them).
        let marks = (if props.hide { &c.begins_types } else { &c.begins }).iter().map(|m| html! { <span class={classes!("follow-mark", dir)} data-testid="follow-mark" data-dir={dir}>{ format!("▸ {m}") }</span> });
        html! {
            <>
                { for marks }
                <span class={classes} data-testid="follow-chunk" data-frame={frame.to_string()} data-dir={dir} tabindex="0"
                     title={format!("frame {frame}, {}, seq {} (click: select it in the ladder)", if c.from_client { "client → server" } else { "server → client" }, c.seq)}
                     {onclick} {onkeydown}>{ body }</span>
            </>
        }
    });
    // Runs of one direction, each one block of continuous text.
    let dirs: Vec<bool> = p.chunks.iter().map(|c| c.from_client).collect();
    let mut runs: Vec<(bool, Vec<Html>)> = Vec::new();
    for (piece, client) in pieces.zip(dirs) {
        match runs.last_mut() {
            Some((c, run)) if *c == client => run.push(piece),
            _ => runs.push((client, vec![piece])),
        }
    }
    let runs = runs.into_iter().map(|(client, run)| {
        let dir = if client { "c2s" } else { "s2c" };
        html! { <pre class={classes!("follow-run", dir, hex.then_some("hex"))} data-testid="follow-run" data-dir={dir}>{ for run }</pre> }
    });
    let page_size = props.page_size;
    let prev = props.on_from.reform(move |_: MouseEvent| first.saturating_sub(page_size));
    let next = props.on_from.reform(move |_: MouseEvent| last);
    let on_input = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                query.set(input.value());
            }
        })
    };
    let search_from = |start: u32| {
        let (query, on_search) = (query.clone(), props.on_search.clone());
        move || {
            if !query.trim().is_empty() {
                on_search.emit(((*query).clone(), start));
            }
        }
    };
    let on_search_key = {
        let go = search_from(0);
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                go();
            }
        })
    };
    let on_find = {
        let go = search_from(0);
        Callback::from(move |_: MouseEvent| go())
    };
    let on_find_next = {
        let go = search_from(found_chunk.map_or(0, |c| c + 1));
        Callback::from(move |_: MouseEvent| go())
    };
    let toggle_hex = {
        let hex = hex.clone();
        Callback::from(move |_: MouseEvent| hex.set(!*hex))
    };
    let download = |client: bool| props.on_download.reform(move |_: MouseEvent| client);
    html! {
        <div class="follow" data-testid="follow" data-total={p.total.to_string()}>
            <p class="follow-summary">
                // (With addresses or the application's data hidden, the endpoints by role alone.)
                <span class="c2s">{ format!("client{}: {} in the stream", if props.hide { String::new() } else { format!(" {}", p.client) }, bytes(p.bytes[0])) }</span>
                {" · "}
                <span class="s2c">{ format!("server{}: {} in the stream", if props.hide { String::new() } else { format!(" {}", p.server) }, bytes(p.bytes[1])) }</span>
                if p.missing[0] + p.missing[1] > 0 {
                    { format!(" · never captured: {} from the client, {} from the server", bytes(p.missing[0]), bytes(p.missing[1])) }
                }
                if p.unplaced[0] + p.unplaced[1] > 0 {
                    { format!(" · captured out of order and never placed (left out, as Wireshark does): {}", bytes(p.unplaced[0] + p.unplaced[1])) }
                }
            </p>
            <div class="follow-bar">
                <button onclick={toggle_hex} aria-pressed={hex.to_string()} data-testid="follow-hex">{ if *hex { "show as text" } else { "show as hex" } }</button>
                // Hidden bytes are not searched either: a search would tell which chunk holds a word.
                <input type="search" data-testid="follow-search" placeholder="search the stream" aria-label="search the stream (Enter)" value={(*query).clone()} oninput={on_input} onkeydown={on_search_key} disabled={props.hide} />
                <button onclick={on_find} disabled={props.hide}>{"find"}</button>
                <button onclick={on_find_next} disabled={found_chunk.is_none() || props.hide}>{"next"}</button>
                if let Some((text, chunk)) = &props.found {
                    <span class="muted" role="status">{ match chunk { Some(c) => format!("“{text}” in chunk {}", c + 1), None => format!("“{text}” not found") } }</span>
                }
                <button onclick={download(true)} data-testid="follow-download-client" disabled={props.hide} title="every byte the client sent, as a file">{"save client bytes"}</button>
                <button onclick={download(false)} data-testid="follow-download-server" disabled={props.hide} title="every byte the server sent, as a file">{"save server bytes"}</button>
            </div>
            if p.total == 0 {
                <p class="muted">{"This connection carried no payload."}</p>
            }
            <div class="follow-chunks">{ for runs }</div>
            if p.total > page_size {
                <div class="follow-pages">
                    <button onclick={prev} disabled={first == 0}>{"◀ previous"}</button>
                    <span>{ format!(" chunks {}–{} of {} ", first + 1, last, p.total) }</span>
                    <button onclick={next} disabled={last >= p.total}>{"next ▶"}</button>
                </div>
            }
        </div>
    }
}
