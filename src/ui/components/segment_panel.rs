use yew::prelude::*;

use crate::decode::header_fields;
use crate::diagram::{explain, segment_label};
use crate::ui::shared::{SharedBytes, SharedLadder, SharedSession};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub session: SharedSession,
    pub bytes: SharedBytes,
    pub ladder: SharedLadder,
    pub stream: u32,
    pub selected: Option<usize>,
}

/// The selected segment in words, its header fields, and its bytes, where hovering a field
/// highlights its bytes.
#[function_component(SegmentPanel)]
pub fn segment_panel(props: &Props) -> Html {
    let hovered = use_state(|| None::<(usize, usize)>);
    let Some(index) = props.selected else {
        return html! {
            <aside class="segment-panel">
                <p class="hint">{"Click an arrow (or use ↑/↓) to see what the segment does, its header fields and its bytes."}</p>
                <h3>{"Phases"}</h3>
                { for props.ladder.phases.iter().map(|p| html! {
                    <div class="phase-caption-block"><strong>{ &p.title }</strong>{ format!(" (frames {}–{})", p.first_frame, p.last_frame) }<p>{ &p.caption }</p></div>
                }) }
            </aside>
        };
    };
    let Some(packet) = props.session.stream_packets(props.stream).nth(index) else { return html! {} };
    // The arrow's label, or (for a segment inside a collapsed run) the same label made afresh.
    let label = props.ladder.arrows.iter().find(|a| a.index == index).map_or_else(|| segment_label(packet, false), |a| a.label.clone());
    let data = props.session.frame_data(&props.bytes, packet);
    let layers = header_fields(u32::from(packet.link_type), data);
    let highlight = *hovered;
    let rows = data.chunks(16).enumerate().map(|(row, chunk)| {
        let cells = chunk.iter().enumerate().map(|(i, b)| {
            let at = row * 16 + i;
            let lit = highlight.is_some_and(|(start, len)| at >= start && at < start + len);
            html! { <span class={classes!("byte", lit.then_some("lit"))}>{ format!("{b:02x}") }</span> }
        });
        html! { <div class="hex-row"><span class="hex-offset">{ format!("{:04x}", row * 16) }</span>{ for cells }</div> }
    });
    html! {
        <aside class="segment-panel">
            <h3>{ format!("Frame {}", packet.frame) }</h3>
            <p class="segment-label">{ label }</p>
            <p data-testid="explanation" class="explanation">{ explain(&props.session, props.stream, index).unwrap_or_default() }</p>
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
                                    <tr onmouseenter={enter} onmouseleave={leave} title={f.meaning}>
                                        <th>{ f.name }</th><td>{ &f.value }<div class="meaning">{ f.meaning }</div></td>
                                    </tr>
                                }
                            }) }
                        </table>
                    </details>
                }) }
                <div class="hexdump" aria-label="frame bytes">{ for rows }</div>
            </section>
        </aside>
    }
}
