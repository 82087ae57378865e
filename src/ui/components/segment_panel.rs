//! The selected segment: its explanation, its header fields and its bytes; hovering a field
//! highlights its bytes, and with addresses hidden the fields that identify the endpoints are
//! masked.

use yew::prelude::*;

use std::rc::Rc;

use super::hex_dump::HexDump;
use crate::service::protocol::SegmentDetail;
use crate::ui::shared::SharedLadder;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ladder: SharedLadder,
    /// The worker's answer for the selected segment (None while it is on its way).
    pub detail: Option<Rc<SegmentDetail>>,
    pub selected: Option<usize>,
    /// Addresses hidden: MACs, IP addresses, ports and checksums are masked here too, and the
    /// payload's bytes (they may name hosts, paths and people).
    #[prop_or_default]
    pub hide: bool,
    /// The application's data hidden: the payload's bytes are masked, and the sentence on what
    /// the segment carries of its messages is left out.
    #[prop_or_default]
    pub hide_data: bool,
    /// The diagram's phase column is on screen (its words are not listed here then).
    #[prop_or(true)]
    pub column_in_view: bool,
}

/// Header fields that identify the endpoints (or could, through a checksum over them).
fn identifying(field: &str) -> bool {
    ["MAC", "address", "port", "checksum", "Checksum"].iter().any(|w| field.contains(w))
}

/// The selected segment in words, its header fields, and its bytes, where hovering a field
/// highlights its bytes.
#[function_component(SegmentPanel)]
pub fn segment_panel(props: &Props) -> Html {
    let hovered = use_state(|| None::<(usize, usize)>);
    let Some(index) = props.selected else {
        return html! {
            // Focusable: when the legend leaves it little height it scrolls, and a keyboard
            // must be able to scroll it too (axe's scrollable-region-focusable).
            <aside class="segment-panel" tabindex="0" aria-label="the connection">
                <p data-testid="connection-summary" class="connection-summary">{ props.ladder.summary_line() }</p>
                <p class="hint">{"Click an arrow (or use ↑/↓) to read about it: what the segment does, its header fields and its bytes."}</p>
                // The phase column beside the arrows says the phases' words (#24: they were here
                // twice): listed here only when it is scrolled out of view, or on a phone's
                // compact columns, which have none.
                if !props.ladder.phase_column() || !props.column_in_view {
                    <h3>{"Phases"}</h3>
                    { for props.ladder.phases.iter().map(|p| html! {
                        <div class="phase-caption-block" data-testid="phase-caption"><strong>{ &p.title }</strong>{ format!(" (frames {}–{})", p.first_frame, p.last_frame) }<p>{ &p.caption }</p></div>
                    }) }
                }
                // Compact columns (a phone) draw no episode captions beside the arrows: here they are.
                if props.ladder.episodes.iter().any(|e| e.x >= props.ladder.width) {
                    <h3>{"Loss and recovery"}</h3>
                    { for props.ladder.episodes.iter().map(|e| html! {
                        <div class="phase-caption-block" data-testid="episode-caption"><strong>{ format!("frames {}–{}", e.first_frame, e.last_frame) }</strong><p>{ &e.caption }</p></div>
                    }) }
                }
            </aside>
        };
    };
    let Some(detail) = props.detail.as_deref() else {
        return html! { <aside class="segment-panel"><p class="hint">{"Reading the segment…"}</p></aside> };
    };
    // The arrow's label (it follows the absolute/relative choice), or for a segment inside a
    // collapsed run the worker's.
    let label = props.ladder.arrows.iter().find(|a| a.index == index).map_or_else(|| detail.label.clone(), |a| a.label.clone());
    // With addresses hidden, identifying fields and their bytes are masked (zeroed).
    let mut masked: Vec<(usize, usize)> = if props.hide {
        detail.layers.iter().flat_map(|l| &l.fields).filter(|f| identifying(&f.name)).map(|f| (f.start, f.len)).collect()
    } else {
        Vec::new()
    };
    // The payload, with either hidden (a frame cut before its payload has none to mask).
    if (props.hide || props.hide_data) && detail.payload_at > 0 {
        let at = detail.payload_at as usize;
        masked.push((at, detail.bytes.len().saturating_sub(at)));
    }
    let data: &Vec<u8> = &detail.bytes.iter().enumerate().map(|(i, b)| if masked.iter().any(|(s, l)| i >= *s && i < s + l) { 0 } else { *b }).collect();
    let layers = &detail.layers;
    let highlight = *hovered;
    // Hovering a byte highlights the innermost field that holds it, and its bytes.
    let on_hover_byte = {
        let (hovered, layers) = (hovered.clone(), layers.clone());
        Callback::from(move |at: Option<usize>| {
            let field = at.and_then(|at| layers.iter().flat_map(|l| &l.fields).filter(|f| at >= f.start && at < f.start + f.len.max(1)).min_by_key(|f| f.len));
            hovered.set(field.map(|f| (f.start, f.len)));
        })
    };
    html! {
        <aside class="segment-panel">
            <h3>{ format!("Frame {}", detail.frame) }</h3>
            <p class="segment-label">{ label }</p>
            <p data-testid="explanation" class="explanation">{ &detail.explanation }</p>
            // It names targets, server names and hosts: left out with the addresses hidden.
            if let Some(message) = detail.message.as_ref().filter(|_| !props.hide && !props.hide_data) {
                <p data-testid="segment-message" class="explanation">{ message }</p>
            }
            <section data-testid="packet-detail" class="packet-detail">
                { for layers.iter().map(|layer| html! {
                    <details open=true>
                        <summary>{ &layer.name }</summary>
                        <table>
                            { for layer.fields.iter().map(|f| {
                                let range = (f.start, f.len);
                                let enter = { let hovered = hovered.clone(); Callback::from(move |_| hovered.set(Some(range))) };
                                let leave = { let hovered = hovered.clone(); Callback::from(move |_| hovered.set(None)) };
                                html! {
                                    <tr onmouseenter={enter} onmouseleave={leave} title={f.meaning.clone()} class={classes!((highlight == Some(range)).then_some("lit"))}>
                                        <th>{ &f.name }</th><td>{ if props.hide && identifying(&f.name) { "hidden".to_string() } else { f.value.clone() } }<div class="meaning">{ &f.meaning }</div></td>
                                    </tr>
                                }
                            }) }
                        </table>
                    </details>
                }) }
                <HexDump bytes={data.clone()} {highlight} on_hover={on_hover_byte} />
            </section>
        </aside>
    }
}
